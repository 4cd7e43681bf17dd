//! The catalogue as a spreadsheet: the published template imports through the librarian's form
//! (its copies with it), importing it again updates instead of duplicating, broken rows are
//! reported by line and the rest imported; the export is the same template, for the school's
//! catalogue staff only, and imports again: into another school with its titles, authors,
//! ISBNs and copies, into its own school leaving every record as it was.

mod common;

use std::path::PathBuf;

use app::catalog::csv::{self as catalog_csv, Column};
use app::catalog::{SkipReason, Skipped};
use common::{page_as, session, spawn_demo, TestApp};

fn public_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../app/public")
}

fn template() -> Vec<u8> {
    std::fs::read(public_dir().join("catalog-template.csv")).expect("the template")
}

/// A multipart form post of the import form, as a browser sends it without JavaScript; where it
/// redirects to.
async fn upload(app: &TestApp, cookie: &str, slug: &str, name: &str, bytes: Vec<u8>) -> String {
    use leptos::server_fn::ServerFn;
    let boundary = "libfolio-catalog-csv-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"slug\"\r\n\r\n{slug}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = app
        .client
        .post(app.url(app::catalog::api::ImportCatalog::PATH))
        .header(reqwest::header::ACCEPT, "text/html")
        .header(
            reqwest::header::REFERER,
            app.url(&format!("/manage/{slug}/catalog")),
        )
        .header("sec-fetch-site", "same-origin")
        .header(reqwest::header::COOKIE, cookie)
        .header(
            reqwest::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload");
    common::location(&response)
}

/// Uploads a file and returns the report's counts line as the page shows it.
async fn import(app: &TestApp, cookie: &str, slug: &str, bytes: Vec<u8>) -> (String, String) {
    let to = upload(app, cookie, slug, "каталог.csv", bytes).await;
    assert!(
        to.starts_with(&format!("/manage/{slug}/catalog/imports/")),
        "{to}"
    );
    let (status, body) = page_as(app, &to, cookie).await;
    assert_eq!(status, 200);
    (to, body)
}

/// The export as someone sees it: (status, response).
async fn export(app: &TestApp, slug: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .get(app.url(&format!("/manage/{slug}/catalog.csv")));
    if let Some(cookie) = cookie {
        request = request.header(reqwest::header::COOKIE, cookie);
    }
    request.send().await.expect("export")
}

/// (kind, title, authors, isbn, year) of a record.
type RecordLine = (String, String, String, Option<String>, Option<i64>);

/// (kind, title, authors, isbn, year) of a school's records, sorted.
async fn records(app: &TestApp, slug: &str) -> Vec<RecordLine> {
    let mut rows: Vec<RecordLine> = sqlx::query_as(
        "SELECT kind, title, authors, isbn, year FROM catalog_records \
         WHERE school_id = (SELECT id FROM schools WHERE slug = $1)",
    )
    .bind(slug)
    .fetch_all(&app.pool)
    .await
    .expect("records");
    rows.sort();
    rows
}

/// (title, inventory number, shelf mark, on the shelf) of a school's copies, sorted.
async fn copies(app: &TestApp, slug: &str) -> Vec<(String, String, String, bool)> {
    let mut rows: Vec<(String, String, String, bool)> = sqlx::query_as(
        "SELECT r.title, c.inventory_number, c.shelf_mark, c.available FROM catalog_copies c \
         JOIN catalog_records r ON r.id = c.record_id \
         WHERE r.school_id = (SELECT id FROM schools WHERE slug = $1)",
    )
    .bind(slug)
    .fetch_all(&app.pool)
    .await
    .expect("copies");
    rows.sort();
    rows
}

/// The skipped rows of the school's latest import.
async fn last_skipped(app: &TestApp, slug: &str) -> Vec<Skipped> {
    let report: String = sqlx::query_scalar(
        "SELECT report FROM catalog_imports \
         WHERE school_id = (SELECT id FROM schools WHERE slug = $1) \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(slug)
    .fetch_one(&app.pool)
    .await
    .expect("import");
    serde_json::from_str(&report).expect("report")
}

/// Everything stored of a school's records, by id.
async fn stored(
    app: &TestApp,
    slug: &str,
) -> Vec<(String, String, String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT id, kind, data, description, source_id FROM catalog_records \
         WHERE school_id = (SELECT id FROM schools WHERE slug = $1) ORDER BY id",
    )
    .bind(slug)
    .fetch_all(&app.pool)
    .await
    .expect("stored")
}

fn owned(rows: &[(&str, &str, &str, bool)]) -> Vec<(String, String, String, bool)> {
    rows.iter()
        .map(|(t, n, s, a)| (t.to_string(), n.to_string(), s.to_string(), *a))
        .collect()
}

#[tokio::test]
async fn the_template_imports_with_its_copies_again_without_duplicates_and_bad_rows_are_reported() {
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.gim3").await;

    let (_, report) = import(&app, &librarian, "gimnaziya-3", template()).await;
    assert!(
        report.contains("Добавлено: 5, обновлено: 0, пропущено: 0."),
        "{report}"
    );
    let expected = vec![
        (
            "article".to_owned(),
            "Проектная деятельность школьников в библиотеке".to_owned(),
            "Кузнецова Е. В.; Орлов И. А.".to_owned(),
            None,
            Some(2023),
        ),
        (
            "printed_book".to_owned(),
            "Капитанская дочка".to_owned(),
            "Пушкин А. С.".to_owned(),
            Some("9785080062247".to_owned()),
            Some(2019),
        ),
        (
            "web".to_owned(),
            "Грамота.ру".to_owned(),
            String::new(),
            None,
            None,
        ),
        (
            "neb".to_owned(),
            "Дерсу Узала".to_owned(),
            "Арсеньев В. К.".to_owned(),
            None,
            Some(1984),
        ),
        (
            "lecta".to_owned(),
            "Литература".to_owned(),
            "Коровина В. Я.; Журавлев В. П.".to_owned(),
            None,
            Some(2023),
        ),
    ];
    let mut sorted = expected.clone();
    sorted.sort();
    assert_eq!(records(&app, "gimnaziya-3").await, sorted);
    let book_copies = owned(&[
        ("Капитанская дочка", "Б-1021", "84(2Рос=Рус)1 П91", true),
        ("Капитанская дочка", "Б-1022", "84(2Рос=Рус)1 П91", true),
        ("Капитанская дочка", "Б-1023", "84(2Рос=Рус)1 П91", false),
    ]);
    assert_eq!(copies(&app, "gimnaziya-3").await, book_copies);
    // The descriptions by ГОСТ: the article in its journal, the site with its address, the
    // НЭБ document in the reading room, the Лекта textbook behind the school's login.
    let descriptions: Vec<String> = sqlx::query_scalar(
        "SELECT description FROM catalog_records \
         WHERE school_id = (SELECT id FROM schools WHERE slug = 'gimnaziya-3') ORDER BY kind",
    )
    .fetch_all(&app.pool)
    .await
    .expect("descriptions");
    assert!(
        descriptions[0].contains("Школьная библиотека: сегодня и завтра")
            && descriptions[0].contains("С. 12–17"),
        "{descriptions:?}"
    );
    assert!(
        descriptions[1].contains("// Лекта : образовательная платформа : [сайт]")
            && descriptions[1].contains("Режим доступа: для авториз. пользователей."),
        "{descriptions:?}"
    );
    assert!(
        descriptions[2].contains("Режим доступа: в виртуальных читальных залах НЭБ."),
        "{descriptions:?}"
    );
    assert!(
        descriptions[3].starts_with("Пушкин, А. С. Капитанская дочка : повесть"),
        "{descriptions:?}"
    );
    assert!(
        descriptions[4].contains("https://gramota.ru/"),
        "{descriptions:?}"
    );
    // The search finds them in any word form.
    let (_, results) = page_as(&app, "/catalog?q=капитанской&school=gimnaziya-3", "").await;
    assert!(results.contains("Капитанская дочка"), "{results}");

    // The same file again: the records are updated, nothing is duplicated.
    let (_, report) = import(&app, &librarian, "gimnaziya-3", template()).await;
    assert!(
        report.contains("Добавлено: 0, обновлено: 5, пропущено: 0."),
        "{report}"
    );
    assert_eq!(records(&app, "gimnaziya-3").await, sorted);
    assert_eq!(copies(&app, "gimnaziya-3").await, book_copies);

    // Edited in a spreadsheet: a copy written off, the others on the shelf, and two broken rows
    // (no title; a wrong ISBN check digit) that are reported while the rest is imported.
    let edited = String::from_utf8(template())
        .expect("UTF-8")
        .replace("\"Б-1021; Б-1022; Б-1023\"", "\"Б-1021; Б-1022\"")
        .replace("\"да; да; нет\"", "да")
        + "печатная книга;;Иванов И. И.;;;;;;;2020\r\n\
           печатная книга;;;Плохой ISBN;;;;;;2020;;;978-5-08-006224-8\r\n";
    let (_, report) = import(&app, &librarian, "gimnaziya-3", edited.into_bytes()).await;
    assert!(
        report.contains("Добавлено: 0, обновлено: 5, пропущено: 2."),
        "{report}"
    );
    assert!(report.contains("Строка 7: нет заглавия"), "{report}");
    assert!(
        report.contains("Строка 8: ISBN с неверной контрольной цифрой"),
        "{report}"
    );
    let skipped = last_skipped(&app, "gimnaziya-3").await;
    assert_eq!(
        skipped.iter().map(|s| s.index).collect::<Vec<_>>(),
        [7, 8],
        "{skipped:?}"
    );
    assert_eq!(skipped[0].reason, SkipReason::NoTitle);
    assert_eq!(skipped[1].reason, SkipReason::BadIsbn);
    assert_eq!(records(&app, "gimnaziya-3").await, sorted);
    assert_eq!(
        copies(&app, "gimnaziya-3").await,
        owned(&[
            ("Капитанская дочка", "Б-1021", "84(2Рос=Рус)1 П91", true),
            ("Капитанская дочка", "Б-1022", "84(2Рос=Рус)1 П91", true),
        ])
    );

    // A file whose header names no title is not a catalogue: nothing changes.
    let to = upload(
        &app,
        &librarian,
        "gimnaziya-3",
        "ученики.csv",
        "Фамилия;Имя\nИванов;Иван\n".as_bytes().to_vec(),
    )
    .await;
    assert!(common::form_error_in(&to).contains("NotACatalogue"), "{to}");
}

#[tokio::test]
async fn the_export_is_the_template_for_the_schools_catalogue_staff_only() {
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.gim3").await;
    import(&app, &librarian, "gimnaziya-3", template()).await;

    let response = export(&app, "gimnaziya-3", Some(&librarian)).await;
    assert_eq!(response.status().as_u16(), 200);
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        header(reqwest::header::CONTENT_TYPE),
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        header(reqwest::header::CONTENT_DISPOSITION),
        "attachment; filename=\"catalog-gimnaziya-3.csv\""
    );
    let bytes = response.bytes().await.expect("body").to_vec();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a byte order mark for Excel"
    );

    // As Excel reads it: the template's header, a row per record.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(&bytes[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(
        rows[0].iter().collect::<Vec<_>>(),
        Column::ALL.map(Column::header)
    );
    assert_eq!(rows.len(), 6);
    let title = Column::ALL
        .iter()
        .position(|c| *c == Column::Title)
        .expect("title");
    let kind = Column::ALL
        .iter()
        .position(|c| *c == Column::Kind)
        .expect("kind");
    let inventory = Column::ALL
        .iter()
        .position(|c| *c == Column::InventoryNumbers)
        .expect("inventory");
    let available = Column::ALL
        .iter()
        .position(|c| *c == Column::Available)
        .expect("available");
    let book = rows
        .iter()
        .find(|r| &r[title] == "Капитанская дочка")
        .expect("the book");
    assert_eq!(&book[kind], "печатная книга");
    assert_eq!(&book[inventory], "Б-1021; Б-1022; Б-1023");
    assert_eq!(&book[available], "да; да; нет");

    // The district's coordinator may export it too; nobody else learns that it exists.
    let coordinator = session(&app, "metodist").await;
    assert_eq!(
        export(&app, "gimnaziya-3", Some(&coordinator))
            .await
            .status()
            .as_u16(),
        200
    );
    for who in ["ivanova.m", "bibl.sosh1", "uchitel.sosh1"] {
        let cookie = session(&app, who).await;
        assert_eq!(
            export(&app, "gimnaziya-3", Some(&cookie))
                .await
                .status()
                .as_u16(),
            404,
            "{who}"
        );
    }
    assert_eq!(
        export(&app, "gimnaziya-3", None).await.status().as_u16(),
        404
    );
    assert_eq!(
        export(&app, "nowhere", Some(&librarian))
            .await
            .status()
            .as_u16(),
        404
    );
}

#[tokio::test]
async fn an_export_imports_into_another_school_and_into_its_own_unchanged() {
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    // СОШ № 1's fund is imported from MARC; two of its books get copies, one of them out.
    sqlx::query(
        "INSERT INTO catalog_copies (id, record_id, inventory_number, shelf_mark, available, \
         created_at) SELECT 'copy-' || n.n, r.id, n.number, 'Ш 22', n.available, '2026-01-01' \
         FROM catalog_records r JOIN (SELECT 1 AS n, '0042' AS number, TRUE AS available \
         UNION ALL SELECT 2, '0043', FALSE) n ON TRUE \
         WHERE r.title LIKE 'Таблицы логарифмов%' \
         AND r.school_id = (SELECT id FROM schools WHERE slug = 'sosh-1')",
    )
    .execute(&app.pool)
    .await
    .expect("copies");
    let before = records(&app, "sosh-1").await;
    assert!(before.len() >= 5, "{before:?}");
    let before_copies = copies(&app, "sosh-1").await;
    assert_eq!(before_copies.len(), 2);

    let response = export(&app, "sosh-1", Some(&librarian)).await;
    assert_eq!(response.status().as_u16(), 200);
    let exported = response.bytes().await.expect("body").to_vec();
    let (rows, skipped) = catalog_csv::read(&exported).expect("the export reads");
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(rows.len(), before.len());

    // Into another school (by the district's coordinator): the same records and copies.
    let coordinator = session(&app, "metodist").await;
    let (_, report) = import(&app, &coordinator, "sosh-5", exported.clone()).await;
    assert!(
        report.contains(&format!(
            "Добавлено: {}, обновлено: 0, пропущено: 0.",
            before.len()
        )),
        "{report}"
    );
    assert_eq!(records(&app, "sosh-5").await, before);
    assert_eq!(copies(&app, "sosh-5").await, before_copies);

    // Into its own school: every record updated, none added, each stored exactly as before.
    let data_before = stored(&app, "sosh-1").await;
    let (_, report) = import(&app, &librarian, "sosh-1", exported).await;
    assert!(
        report.contains(&format!(
            "Добавлено: 0, обновлено: {}, пропущено: 0.",
            before.len()
        )),
        "{report}"
    );
    let data_after = stored(&app, "sosh-1").await;
    for (b, a) in data_before.iter().zip(&data_after) {
        assert_eq!(b, a);
    }
    assert_eq!(data_before.len(), data_after.len());
    assert_eq!(copies(&app, "sosh-1").await, before_copies);
}

#[tokio::test]
async fn the_template_is_published_beside_the_site() {
    let app = common::spawn(false, Some(&public_dir())).await;
    let response = app.get("/catalog-template.csv").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.bytes().await.expect("body").to_vec(), template());
}
