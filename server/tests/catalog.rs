//! Importing library catalogues: every sample export (RUSMARC and MARC21 in ISO 2709, MARCXML)
//! comes out with its titles, authors, years and ISBNs; importing a file again updates instead of
//! duplicating; a broken record is reported and skipped while the rest is imported; a file that
//! is not a catalogue changes nothing; the search finds Russian word forms; and the
//! `import-catalog` command does the same from the terminal.

mod common;

use std::path::PathBuf;

use app::catalog::import::{import_file, ImportError};
use app::catalog::SkipReason;
use common::{spawn_demo, TestApp};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../app/tests/fixtures/marc")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const SAMPLES: &[&str] = &[
    "7_rusmarc.mrc",
    "NLR009673669.mrc",
    "NLR009673670.mrc",
    "ISBN-978-5-901202-50-0_01003120729_rsl.iso",
    "01002988236_rusmarc.iso",
    "seed_1_marc21.mrc",
    "seed_ISBN-978-5-901202-50-0_01003120729_marc21.mrc",
    "seed_01002988236_marc21.xml",
    "pymarc_test.dat",
    "pymarc_batch.xml",
];

/// Rows of the school the tests import into.
const IN_SCHOOL: &str = "school_id = (SELECT id FROM schools WHERE slug = 'sosh-5')";

/// A school of the demo without a catalogue (the demo imports one into СОШ № 1).
async fn school(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT id FROM schools WHERE slug = 'sosh-5'")
        .fetch_one(&app.pool)
        .await
        .expect("school")
}

fn in_school(school_id: &str) -> app::catalog::db::Filter<'_> {
    app::catalog::db::Filter {
        school_id: Some(school_id),
        ..Default::default()
    }
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

/// (title, authors, year, isbn) of the record with this title start.
async fn record(app: &TestApp, title: &str) -> (String, String, Option<i64>, Option<String>) {
    sqlx::query_as(
        "SELECT title, authors, year, isbn FROM catalog_records WHERE title LIKE $1 || '%' \
         AND school_id = (SELECT id FROM schools WHERE slug = 'sosh-5')",
    )
    .bind(title)
    .fetch_one(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{title}: {e}"))
}

#[tokio::test]
async fn every_sample_export_imports_and_a_second_import_updates() {
    let app = spawn_demo().await;
    let school = school(&app).await;
    let mut created = 0;
    for name in SAMPLES {
        let (report, _) = import_file(
            &app.pool,
            Some(&school),
            name,
            None,
            &fixture(name),
            |_, _| {},
        )
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(report.skipped.is_empty(), "{name}: {:?}", report.skipped);
        created += report.created;
    }
    let stored = count(
        &app,
        &format!("SELECT COUNT(*) FROM catalog_records WHERE {IN_SCHOOL}"),
    )
    .await;
    assert_eq!(stored as usize, created);
    // The RUSMARC and MARC21 twins of one book are one record (matched by ISBN).
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM catalog_records WHERE isbn = '9785901202500' AND {IN_SCHOOL}"
            )
        )
        .await,
        1
    );

    let (title, authors, year, _) = record(&app, "Таблицы логарифмов").await;
    assert!(
        title.starts_with("Таблицы логарифмов простых чисел"),
        "{title}"
    );
    assert_eq!(authors, "Афанасьев П. А.");
    assert_eq!(year, Some(1818));
    let (_, _, year, isbn) = record(&app, "Международный стандартный книжный номер").await;
    assert_eq!((year, isbn.as_deref()), (Some(2007), Some("9785901202500")));
    let (_, authors, year, _) = record(&app, "Модная книга").await;
    assert!(authors.starts_with("Караччоли"), "{authors}");
    assert_eq!(year, Some(1789));
    let (_, authors, year, isbn) = record(&app, "ActivePerl with ASP and ADO").await;
    assert!(authors.starts_with("Martinsson"), "{authors}");
    assert_eq!((year, isbn.as_deref()), (Some(2000), Some("0471383147")));
    // Each record carries its ГОСТ description, made once on import.
    let description: String = sqlx::query_scalar(
        "SELECT description FROM catalog_records WHERE title LIKE 'Таблицы логарифмов%' \
         AND school_id = (SELECT id FROM schools WHERE slug = 'sosh-5')",
    )
    .fetch_one(&app.pool)
    .await
    .expect("description");
    assert!(
        description.starts_with("Афанасьев, П. А. Таблицы логарифмов"),
        "{description}"
    );
    assert!(
        description.contains("Текст : непосредственный"),
        "{description}"
    );

    // Importing the same file again updates its records; nothing is duplicated.
    let before = count(&app, "SELECT COUNT(*) FROM catalog_records").await;
    let demo_imports = count(
        &app,
        &format!("SELECT COUNT(*) FROM catalog_imports WHERE school_id IS NULL OR NOT {IN_SCHOOL}"),
    )
    .await;
    let (report, _) = import_file(
        &app.pool,
        Some(&school),
        "pymarc_test.dat",
        None,
        &fixture("pymarc_test.dat"),
        |_, _| {},
    )
    .await
    .expect("again");
    assert_eq!((report.created, report.updated), (0, 10));
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM catalog_records").await,
        before
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM catalog_imports").await,
        demo_imports + SAMPLES.len() as i64 + 1
    );
}

#[tokio::test]
async fn broken_records_are_reported_and_a_file_that_is_not_a_catalogue_changes_nothing() {
    let app = spawn_demo().await;
    let school = school(&app).await;
    // A good record, then one cut off in the middle, then another good one.
    let good = fixture("seed_1_marc21.mrc");
    let other = fixture("7_rusmarc.mrc");
    let mut bytes = good.clone();
    bytes.extend_from_slice(&other[..other.len() / 2]);
    bytes.extend_from_slice(&fixture("NLR009673669.mrc"));
    let mut seen = Vec::new();
    let (report, _) = import_file(
        &app.pool,
        Some(&school),
        "broken.mrc",
        None,
        &bytes,
        |done, total| seen.push((done, total)),
    )
    .await
    .expect("imported");
    assert_eq!(report.created, 2, "{report:?}");
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    assert_eq!(report.skipped[0].index, 2);
    assert!(matches!(
        report.skipped[0].reason,
        SkipReason::Truncated | SkipReason::BadDirectory | SkipReason::NotARecord
    ));
    assert_eq!(seen.last(), Some(&(2, 2)), "the progress reaches the end");

    let stored = count(&app, "SELECT COUNT(*) FROM catalog_records").await;
    let imports = count(&app, "SELECT COUNT(*) FROM catalog_imports").await;
    for junk in [
        "Фамилия;Имя;Класс\nИванова;Мария;7Б\n".as_bytes(),
        b"<html><body>not a catalogue</body></html>",
        b"   \n",
    ] {
        let result = import_file(&app.pool, Some(&school), "junk", None, junk, |_, _| {}).await;
        assert!(
            matches!(result, Err(ImportError::NotMarc | ImportError::Empty)),
            "{result:?}"
        );
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM catalog_records").await,
        stored
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM catalog_imports").await,
        imports
    );
}

#[tokio::test]
async fn the_search_finds_russian_word_forms() {
    let app = spawn_demo().await;
    let school = school(&app).await;
    for name in SAMPLES {
        import_file(
            &app.pool,
            Some(&school),
            name,
            None,
            &fixture(name),
            |_, _| {},
        )
        .await
        .expect("import");
    }
    let find = |query: &'static str| {
        let pool = app.pool.clone();
        let school = school.clone();
        async move {
            let terms = app::catalog::search::terms(query);
            app::catalog::db::search(&pool, in_school(&school), &terms, 50, 0)
                .await
                .expect("search")
                .into_iter()
                .map(|r| r.title)
                .collect::<Vec<_>>()
        }
    };
    for query in ["книга", "книги", "книгой", "модную книгу"] {
        let found = find(query).await;
        assert!(
            found.iter().any(|t| t.starts_with("Модная книга")),
            "{query}: {found:?}"
        );
    }
    assert!(find("логарифмы")
        .await
        .iter()
        .any(|t| t.starts_with("Таблицы логарифмов")));
    assert!(find("Афанасьев")
        .await
        .iter()
        .any(|t| t.starts_with("Таблицы логарифмов")));
    assert!(find("9785901202500").await.len() == 1);
    assert!(find("perl")
        .await
        .iter()
        .any(|t| t.starts_with("ActivePerl")));
    assert!(find("несуществующее слово").await.is_empty());
    // Another school does not see this school's fund.
    let other: String = sqlx::query_scalar("SELECT id FROM schools WHERE slug = 'gimnaziya-3'")
        .fetch_one(&app.pool)
        .await
        .expect("school");
    let terms = app::catalog::search::terms("книга");
    assert!(
        app::catalog::db::search(&app.pool, in_school(&other), &terms, 50, 0)
            .await
            .expect("search")
            .is_empty()
    );
}

#[test]
fn the_import_command_reports_what_it_did() {
    let dir = tempfile::tempdir().expect("dir");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_libfolio"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("LIBFOLIO_DATA_DIR", dir.path())
            .env("LIBFOLIO_DEMO_PASSWORD", "cli-demo-password")
            .args(args)
            .output()
            .expect("runs")
    };
    assert!(run(&["seed-demo"]).status.success());
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../app/tests/fixtures/marc/pymarc_test.dat");
    let file = file.to_str().expect("path");
    let output = run(&["import-catalog", "--school", "sosh-5", file]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("10 created, 0 updated, 0 skipped"),
        "{stdout}"
    );
    let output = run(&["import-catalog", "--school", "sosh-5", file]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("0 created, 10 updated"));
    let output = run(&["import-catalog", "--school", "nowhere", file]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no school"));
}

/// A multipart form post as a browser sends it without JavaScript.
async fn upload(app: &TestApp, cookie: &str, slug: &str, name: &str, bytes: Vec<u8>) -> String {
    use leptos::server_fn::ServerFn;
    let boundary = "libfolio-catalog-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"slug\"\r\n\r\n{slug}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
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

#[tokio::test]
async fn a_librarian_imports_through_the_web_and_anyone_searches() {
    use common::{form_error_in, page_as, session};
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.gim3").await;
    let (status, body) = page_as(&app, "/manage/gimnaziya-3/catalog", &librarian).await;
    assert_eq!(status, 200);
    assert!(body.contains("Каталог ещё не загружали."));
    // Another school's librarian and a teacher cannot import here.
    for other in ["bibl.sosh1", "uchitel.sosh1"] {
        let cookie = session(&app, other).await;
        assert_eq!(
            page_as(&app, "/manage/gimnaziya-3/catalog", &cookie)
                .await
                .0,
            403
        );
        let to = upload(
            &app,
            &cookie,
            "gimnaziya-3",
            "x.mrc",
            fixture("seed_1_marc21.mrc"),
        )
        .await;
        assert!(form_error_in(&to).contains("Forbidden"), "{other}: {to}");
    }
    // Not a catalogue: the field says so, nothing is stored.
    let to = upload(
        &app,
        &librarian,
        "gimnaziya-3",
        "ученики.csv",
        "Фамилия;Имя\n".as_bytes().to_vec(),
    )
    .await;
    assert!(form_error_in(&to).contains("NotACatalogue"), "{to}");
    // A real export: the report, then the records in the search, without JavaScript.
    let to = upload(
        &app,
        &librarian,
        "gimnaziya-3",
        "fond.dat",
        fixture("pymarc_test.dat"),
    )
    .await;
    assert!(
        to.starts_with("/manage/gimnaziya-3/catalog/imports/"),
        "{to}"
    );
    let (_, report) = page_as(&app, &to, &librarian).await;
    assert!(
        report.contains("Добавлено: 10, обновлено: 0, пропущено: 0."),
        "{report}"
    );
    let (status, results) = app_get(&app, "/catalog?q=perl&school=gimnaziya-3").await;
    assert_eq!(status, 200);
    assert!(results.contains("ActivePerl with ASP and ADO"), "{results}");
    assert!(results.contains("Текст : непосредственный"));
    let (_, none) = app_get(&app, "/catalog?q=perl&school=sosh-5").await;
    assert!(none.contains("Ничего не найдено."));
    let id: String =
        sqlx::query_scalar("SELECT id FROM catalog_records WHERE title LIKE 'ActivePerl%'")
            .fetch_one(&app.pool)
            .await
            .expect("record");
    let (status, record) = app_get(&app, &format!("/catalog/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        record.contains("0471383147") && record.contains("Martinsson"),
        "{record}"
    );
    assert_eq!(app_get(&app, "/catalog/nothing").await.0, 404);
}

async fn app_get(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    (
        status,
        response.text().await.expect("body").replace("<!>", ""),
    )
}

/// The fields of the form for a source entered by hand, all empty but those given.
fn own_source<'a>(project: &'a str, given: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![("project_id", project)];
    for name in [
        "kind",
        "authors",
        "title",
        "other_title",
        "responsibility",
        "edition",
        "place",
        "publisher",
        "year",
        "extent",
        "isbn",
        "host_title",
        "host_issue",
        "host_pages",
        "url",
        "access_date",
    ] {
        let value = given
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .unwrap_or("");
        form.push((name, value));
    }
    form
}

#[tokio::test]
async fn pupils_build_their_list_of_sources_from_the_catalogue_and_by_hand() {
    use app::catalog::api::{AddCatalogSource, AddOwnSource, RemoveSource};
    use app::projects::api::SavePage;
    use common::{form_error_in, page_as, session};
    use leptos::server_fn::ServerFn;
    let app = spawn_demo().await;
    let pupil = session(&app, "ivanova.m").await;
    let project: String =
        sqlx::query_scalar("SELECT id FROM projects WHERE title LIKE 'Фестиваль%'")
            .fetch_one(&app.pool)
            .await
            .expect("project");
    let sources = format!("/projects/{project}/sources");

    // The picker finds the school's books by a word form, without JavaScript.
    let (status, body) = page_as(&app, &format!("{sources}?q=логарифм"), &pupil).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Таблицы логарифмов") && body.contains("Добавить в список"),
        "{body}"
    );
    assert!(
        body.contains("Источников: 0, школа требует не меньше 5."),
        "{body}"
    );
    let record: String = sqlx::query_scalar(
        "SELECT r.id FROM catalog_records r JOIN schools s ON s.id = r.school_id \
         WHERE s.slug = 'sosh-1' AND r.title LIKE 'Таблицы логарифмов%'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("record");
    let to = post_to(
        &app,
        &pupil,
        &sources,
        AddCatalogSource::PATH,
        vec![("project_id", &project), ("record_id", &record)],
    )
    .await;
    assert_eq!(to, sources);
    let to = post_to(
        &app,
        &pupil,
        &sources,
        AddCatalogSource::PATH,
        vec![("project_id", &project), ("record_id", &record)],
    )
    .await;
    assert!(form_error_in(&to).contains("Conflict"), "listed once: {to}");

    // By hand: a web page (address required, the access date printed by ГОСТ Р 7.0.108-2022)…
    let to = post_to(
        &app,
        &pupil,
        &sources,
        AddOwnSource::PATH,
        own_source(
            &project,
            &[("kind", "web"), ("title", "Нанайский орнамент")],
        ),
    )
    .await;
    assert!(form_error_in(&to).contains("\"url\""), "{to}");
    let to = post_to(
        &app,
        &pupil,
        &sources,
        AddOwnSource::PATH,
        own_source(
            &project,
            &[
                ("kind", "web"),
                ("title", "Нанайский орнамент"),
                ("url", "https://example.org/ornament"),
                ("access_date", "2026-11-01"),
            ],
        ),
    )
    .await;
    assert_eq!(to, sources, "{}", form_error_in(&to));
    // …a book in English with a wrong ISBN, refused, then right…
    let book = |isbn: &'static str| {
        own_source(
            &project,
            &[
                ("kind", "printed_book"),
                ("authors", "Smith John"),
                ("title", "Ornament of the Amur peoples"),
                ("place", "London"),
                ("publisher", "Folio"),
                ("year", "2001"),
                ("extent", "120 p."),
                ("isbn", isbn),
            ],
        )
    };
    let to = post_to(
        &app,
        &pupil,
        &sources,
        AddOwnSource::PATH,
        book("978-5-901202-50-1"),
    )
    .await;
    assert!(form_error_in(&to).contains("BadIsbn"), "{to}");
    let to = post_to(
        &app,
        &pupil,
        &sources,
        AddOwnSource::PATH,
        book("0471383147"),
    )
    .await;
    assert_eq!(to, sources, "{}", form_error_in(&to));
    // …and an article needs its journal.
    let to = post_to(
        &app,
        &pupil,
        &sources,
        AddOwnSource::PATH,
        own_source(&project, &[("kind", "article"), ("title", "Узоры")]),
    )
    .await;
    assert!(form_error_in(&to).contains("host_title"), "{to}");

    let (_, body) = page_as(&app, &sources, &pupil).await;
    assert!(
        body.contains("Источников: 3, школа требует не меньше 5. Не хватает: 2."),
        "{body}"
    );
    assert!(
        body.contains("URL: https://example.org/ornament (дата обращения: 01.11.2026)"),
        "{body}"
    );
    assert!(body.contains("Текст : электронный"));
    // Russian entries first, then Latin-script ones; numbered for the written part.
    let list = body.split("class=\"copy-list\"").nth(1).unwrap_or_default();
    let afanasiev = list
        .find("1. Афанасьев")
        .expect("the catalogue's book first");
    let ornament = list
        .find("2. Нанайский орнамент")
        .expect("then the web page");
    let smith = list.find("3. Smith, J.").expect("the English book last");
    assert!(afanasiev < ornament && ornament < smith);

    // A parent reads the list but cannot change it; a pupil of another project sees nothing.
    let parent = session(&app, "roditel.ivanova").await;
    assert_eq!(page_as(&app, &sources, &parent).await.0, 200);
    let to = post_to(
        &app,
        &parent,
        &sources,
        AddCatalogSource::PATH,
        vec![("project_id", &project), ("record_id", &record)],
    )
    .await;
    assert!(form_error_in(&to).contains("Forbidden"));
    assert_eq!(
        page_as(&app, &sources, &session(&app, "zaitsev.d").await)
            .await
            .0,
        403
    );

    // Each source has a key to cite it by; a page's citations become numbers in the order of
    // first citation, linked to the list at the page's end.
    let key = |like: &'static str| {
        let app = &app;
        let project = project.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT cite_key FROM project_sources WHERE project_id = $1 AND description LIKE $2",
            )
            .bind(&project)
            .bind(like)
            .fetch_one(&app.pool)
            .await
            .expect("key")
        }
    };
    let smith = key("Smith%").await;
    let afanasiev = key("Афанасьев%").await;
    assert_eq!(smith, "Smith2001");
    assert!(afanasiev.starts_with("Афанасьев"), "{afanasiev}");
    let (_, body) = page_as(&app, &sources, &pupil).await;
    assert!(body.contains("[@Smith2001]"), "{body}");
    let (page_id, page_slug, page_title, revision): (String, String, String, i64) = sqlx::query_as(
        "SELECT id, slug, title, revision FROM pages WHERE project_id = $1 AND deleted_at IS NULL \
         ORDER BY position",
    )
    .bind(&project)
    .fetch_one(&app.pool)
    .await
    .expect("page");
    let page = format!("/projects/{project}/pages/{page_slug}");
    let save = |body: String, base: i64| {
        let (app, pupil, page, page_id, title) = (
            &app,
            &pupil,
            page.clone(),
            page_id.clone(),
            page_title.clone(),
        );
        async move {
            let base = base.to_string();
            post_to(
                app,
                pupil,
                &format!("{page}/edit"),
                SavePage::PATH,
                vec![
                    ("page_id", &page_id),
                    ("base_revision", &base),
                    ("title", &title),
                    ("body", &body),
                    ("summary", ""),
                ],
            )
            .await
        }
    };
    let to = save(
        format!(
            "Узоры [@{smith}, p. 5] и сказки [@{afanasiev}]; снова [@smith2001]. \
             Неизвестный [@Нет1999]. Код: `[@{smith}]`."
        ),
        revision,
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let (_, body) = page_as(&app, &page, &pupil).await;
    assert!(
        body.contains(r##"Узоры [<a href="#cite-1" rel="noopener noreferrer nofollow">1</a>, p. 5] и сказки [<a href="#cite-2" rel="noopener noreferrer nofollow">2</a>]; снова [<a href="#cite-1""##),
        "{body}"
    );
    assert!(body.contains("Неизвестный [@Нет1999]") && body.contains("<code>[@Smith2001]</code>"));
    let list = body
        .split("<h2 id=\"h-источники\">Источники</h2>")
        .nth(1)
        .expect("the page's list");
    let first = list
        .find("<li id=\"cite-1\">Smith, J.")
        .expect("Smith first");
    let second = list
        .find("<li id=\"cite-2\">Афанасьев")
        .expect("Афанасьев second");
    assert!(first < second);
    // The editor offers the keys.
    let (_, body) = page_as(&app, &format!("{page}/edit"), &pupil).await;
    assert!(
        body.contains("Источники для ссылок") && body.contains("[@Smith2001]"),
        "{body}"
    );

    // A cited source stays in the list until the page stops citing it.
    let smith_id: String = sqlx::query_scalar(
        "SELECT id FROM project_sources WHERE project_id = $1 AND cite_key = 'Smith2001'",
    )
    .bind(&project)
    .fetch_one(&app.pool)
    .await
    .expect("source");
    let to = post_to(
        &app,
        &pupil,
        &sources,
        RemoveSource::PATH,
        vec![("project_id", &project), ("source_id", &smith_id)],
    )
    .await;
    assert!(form_error_in(&to).contains("CitedOnPage"), "{to}");
    let back = reqwest::Url::parse(&to).expect("a URL");
    let back = format!("{}?{}", back.path(), back.query().unwrap_or_default());
    let (_, body) = page_as(&app, &back, &pupil).await;
    assert!(
        body.contains("Страницы проекта ссылаются на этот источник"),
        "{body}"
    );
    let to = save(format!("Только сказки [@{afanasiev}]."), revision + 1).await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));

    // Removing a source.
    let id: String = sqlx::query_scalar(
        "SELECT id FROM project_sources WHERE project_id = $1 AND description LIKE 'Smith%'",
    )
    .bind(&project)
    .fetch_one(&app.pool)
    .await
    .expect("source");
    let to = post_to(
        &app,
        &pupil,
        &sources,
        RemoveSource::PATH,
        vec![("project_id", &project), ("source_id", &id)],
    )
    .await;
    assert!(!to.contains("__err"), "{to}");
    let (_, body) = page_as(&app, &sources, &pupil).await;
    assert!(!body.contains("Smith, J."));
}

async fn post_to(
    app: &TestApp,
    cookie: &str,
    referer: &str,
    path: &str,
    form: Vec<(&str, &str)>,
) -> String {
    common::location(&common::post_form(app, path, cookie, referer, &form).await)
}

/// The path and query of a redirect (the server answers with the referer's full address).
fn path_of(location: &str) -> String {
    if location.starts_with('/') {
        return location.to_owned();
    }
    let url = reqwest::Url::parse(location).expect("a URL");
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

#[tokio::test]
async fn a_librarian_keeps_copies_merges_duplicates_and_sets_the_minimum_of_sources() {
    use app::catalog::api::{
        AddCatalogSource, AddCopy, MergeRecords, RemoveCopy, SetCopyAvailable, SetMinSources,
    };
    use common::{form_error_in, page_as, session};
    use leptos::server_fn::ServerFn;
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let other_librarian = session(&app, "bibl.gim3").await;
    let pupil = session(&app, "ivanova.m").await;
    let sosh1: String = sqlx::query_scalar("SELECT id FROM schools WHERE slug = 'sosh-1'")
        .fetch_one(&app.pool)
        .await
        .expect("school");
    let (record, title): (String, String) = sqlx::query_as(
        "SELECT id, title FROM catalog_records WHERE school_id = $1 \
         AND kind = 'printed_book' AND isbn IS NOT NULL ORDER BY sort_key LIMIT 1",
    )
    .bind(&sosh1)
    .fetch_one(&app.pool)
    .await
    .expect("a printed book with an ISBN");
    let page = format!("/catalog/{record}");

    // No copies yet: the "available" filter leaves the book out.
    let search = |filters: &'static str| {
        let (app, title, record) = (&app, title.clone(), record.clone());
        async move {
            let word = title
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            let (_, body) = page_as(
                app,
                &format!("/catalog?q={}&school=sosh-1{filters}", urlencode(&word)),
                "",
            )
            .await;
            body.contains(&format!("href=\"/catalog/{record}\"")) && body.contains(&title)
        }
    };
    assert!(search("").await, "found without filters");
    assert!(!search("&available=1").await, "no copy on the shelf yet");

    // The librarian adds copies; a repeated inventory number is refused.
    let add = |number: &'static str| {
        let (app, librarian, page, record) = (&app, &librarian, page.clone(), record.clone());
        async move {
            post_to(
                app,
                librarian,
                &page,
                AddCopy::PATH,
                vec![
                    ("record_id", &record),
                    ("inventory_number", number),
                    ("shelf_mark", "63.3(2Рос)"),
                ],
            )
            .await
        }
    };
    assert!(!add("И-001").await.contains("__err"));
    assert!(!add("И-002").await.contains("__err"));
    let to = add("И-001").await;
    assert!(form_error_in(&to).contains("Taken"), "{to}");
    let (_, body) = page_as(&app, &path_of(&to), &librarian).await;
    assert!(body.contains("Уже занято"), "a translated refusal: {body}");
    let (_, body) = page_as(&app, &page, "").await;
    assert!(
        body.contains("И-001") && body.contains("63.3(2Рос)"),
        "{body}"
    );
    assert_eq!(body.matches("на полке").count(), 2, "{body}");
    assert!(
        !body.contains("Добавить экземпляр"),
        "the public cannot change the fund"
    );
    assert!(search("&available=1").await, "on the shelf now");

    // Both copies checked out: not available any more.
    let copies: Vec<String> =
        sqlx::query_scalar("SELECT id FROM catalog_copies WHERE record_id = $1 ORDER BY id")
            .bind(&record)
            .fetch_all(&app.pool)
            .await
            .expect("copies");
    for copy in &copies {
        let to = post_to(
            &app,
            &librarian,
            &page,
            SetCopyAvailable::PATH,
            vec![
                ("record_id", &record),
                ("copy_id", copy),
                ("available", "false"),
            ],
        )
        .await;
        assert!(!to.contains("__err"), "{to}");
    }
    assert!(!search("&available=1").await, "every copy is out");
    let (_, body) = page_as(&app, &page, &librarian).await;
    assert_eq!(body.matches(">выдан<").count(), 2, "{body}");

    // Age ratings: a book for 16+ is not shown to a search up to 12+; unrated books are.
    sqlx::query("UPDATE catalog_records SET age_rating = '16+' WHERE id = $1")
        .bind(&record)
        .execute(&app.pool)
        .await
        .expect("rating");
    assert!(!search("&age=12").await);
    assert!(search("&age=16").await);

    // Others cannot change the fund: a pupil, the librarian of another school.
    for cookie in [&pupil, &other_librarian] {
        let to = post_to(
            &app,
            cookie,
            &page,
            RemoveCopy::PATH,
            vec![("record_id", &record), ("copy_id", &copies[0])],
        )
        .await;
        assert!(form_error_in(&to).contains("Forbidden"), "{to}");
    }
    let to = post_to(
        &app,
        &librarian,
        &page,
        RemoveCopy::PATH,
        vec![("record_id", &record), ("copy_id", &copies[0])],
    )
    .await;
    assert!(!to.contains("__err"), "{to}");
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM catalog_copies WHERE record_id = '{record}'")
        )
        .await,
        1
    );

    // The same book in another school's fund shows on the record's page.
    let gim3: String = sqlx::query_scalar("SELECT id FROM schools WHERE slug = 'gimnaziya-3'")
        .fetch_one(&app.pool)
        .await
        .expect("school");
    for name in &SAMPLES[..6] {
        import_file(
            &app.pool,
            Some(&gim3),
            name,
            None,
            &fixture(name),
            |_, _| {},
        )
        .await
        .expect("import");
    }
    let (_, body) = page_as(&app, &page, "").await;
    assert!(body.contains("В фондах других школ"), "{body}");
    assert!(body.contains("экземпляров: 0, на полке: 0"), "{body}");

    // A duplicate without an ISBN, cited by a project, merges into the record.
    let duplicate = "0190a3b2-7c4d-7e8f-9a0b-00000000d001".to_owned();
    sqlx::query(
        "INSERT INTO catalog_records (id, school_id, kind, source_id, isbn, title, authors, year, \
         age_rating, url, data, description, sort_key, created_at, updated_at) \
         SELECT $2, school_id, kind, NULL, NULL, title, authors, year, age_rating, url, data, \
         description || ' (дубль)', sort_key, created_at, updated_at FROM catalog_records \
         WHERE id = $1",
    )
    .bind(&record)
    .bind(&duplicate)
    .execute(&app.pool)
    .await
    .expect("a duplicate");
    sqlx::query(
        "INSERT INTO catalog_copies (id, record_id, inventory_number, shelf_mark, available, \
         created_at) VALUES ('0190a3b2-7c4d-7e8f-9a0b-00000000c001', $1, 'И-777', '', TRUE, '2026-11-28 10:00:00')",
    )
    .bind(&duplicate)
    .execute(&app.pool)
    .await
    .expect("a copy of the duplicate");
    let project: String =
        sqlx::query_scalar("SELECT id FROM projects WHERE title LIKE 'Фестиваль%'")
            .fetch_one(&app.pool)
            .await
            .expect("project");
    let to = post_to(
        &app,
        &pupil,
        &format!("/projects/{project}/sources"),
        AddCatalogSource::PATH,
        vec![("project_id", &project), ("record_id", &duplicate)],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let (_, body) = page_as(&app, &page, &librarian).await;
    assert!(
        body.contains("(дубль)") && body.contains("Объединить с этой записью"),
        "{body}"
    );
    // A record of another school cannot be merged in.
    let foreign: String =
        sqlx::query_scalar("SELECT id FROM catalog_records WHERE school_id = $1 LIMIT 1")
            .bind(&gim3)
            .fetch_one(&app.pool)
            .await
            .expect("record");
    let to = post_to(
        &app,
        &librarian,
        &page,
        MergeRecords::PATH,
        vec![("record_id", &record), ("duplicate_id", &foreign)],
    )
    .await;
    assert!(form_error_in(&to).contains("duplicate_id"), "{to}");
    let to = post_to(
        &app,
        &librarian,
        &page,
        MergeRecords::PATH,
        vec![("record_id", &record), ("duplicate_id", &duplicate)],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    assert_eq!(
        page_as(&app, &format!("/catalog/{duplicate}"), "").await.0,
        404
    );
    let (_, body) = page_as(&app, &page, &librarian).await;
    assert!(body.contains("И-777"), "the duplicate's copy moved");
    assert!(body.contains("Источник в проектах: 1."), "{body}");
    assert!(body.contains("Фестиваль"), "staff see the citing project");
    let (_, public) = page_as(&app, &page, "").await;
    assert!(public.contains("Источник в проектах: 1.") && !public.contains("Фестиваль"));
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM project_sources WHERE record_id = '{record}'")
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'catalog.merged'"
        )
        .await,
        1
    );

    // The school's minimum of sources.
    let admin = "/manage/sosh-1/catalog";
    let to = post_to(
        &app,
        &librarian,
        admin,
        SetMinSources::PATH,
        vec![("slug", "sosh-1"), ("min_sources", "-1")],
    )
    .await;
    assert!(form_error_in(&to).contains("min_sources"), "{to}");
    let to = post_to(
        &app,
        &pupil,
        admin,
        SetMinSources::PATH,
        vec![("slug", "sosh-1"), ("min_sources", "1")],
    )
    .await;
    assert!(form_error_in(&to).contains("Forbidden"), "{to}");
    let to = post_to(
        &app,
        &librarian,
        admin,
        SetMinSources::PATH,
        vec![("slug", "sosh-1"), ("min_sources", "3")],
    )
    .await;
    assert!(!to.contains("__err"), "{to}");
    let (_, body) = page_as(&app, &format!("/projects/{project}/sources"), &pupil).await;
    assert!(body.contains("школа требует не меньше 3"), "{body}");
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn a_librarian_adds_and_corrects_records_by_hand() {
    use app::catalog::api::SaveCatalogRecord;
    use common::{form_error_in, page_as, session};
    use leptos::server_fn::ServerFn;
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let form = "/manage/sosh-1/catalog/records/new";
    let (status, body) = page_as(&app, form, &librarian).await;
    assert_eq!(status, 200);
    assert!(body.contains("Новая запись каталога"), "{body}");
    fn fields<'a>(isbn: &'a str, title: &'a str, id: &'a str) -> Vec<(&'a str, &'a str)> {
        vec![
            ("slug", "sosh-1"),
            ("record_id", id),
            ("kind", "printed_book"),
            ("authors", "Сем Юрий Александрович\nСем Лидия Ивановна"),
            ("title", title),
            ("other_title", "очерки"),
            ("responsibility", ""),
            ("edition", ""),
            ("place", "Владивосток"),
            ("publisher", "Дальневосточное книжное издательство"),
            ("year", "1973"),
            ("extent", "146 с."),
            ("series", ""),
            ("isbn", isbn),
            ("host_title", ""),
            ("host_issue", ""),
            ("host_pages", ""),
            ("url", ""),
            ("age_rating", "6+"),
            ("subjects", "нанайцы\nорнамент"),
            ("annotation", "О культуре нанайцев."),
        ]
    }
    // A wrong check digit is refused and nothing is stored.
    let before = count(&app, "SELECT COUNT(*) FROM catalog_records").await;
    let to = post_to(
        &app,
        &librarian,
        form,
        SaveCatalogRecord::PATH,
        fields("978-5-7042-1994-0", "Нанайцы", "new"),
    )
    .await;
    assert!(form_error_in(&to).contains("BadIsbn"), "{to}");
    let (_, body) = page_as(&app, &path_of(&to), &librarian).await;
    assert!(body.contains("Это не ISBN"), "{body}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM catalog_records").await,
        before
    );

    let to = post_to(
        &app,
        &librarian,
        form,
        SaveCatalogRecord::PATH,
        fields("", "Нанайцы", "new"),
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let record = to.rsplit('/').next().expect("the new record").to_owned();
    let (status, body) = page_as(&app, &format!("/catalog/{record}"), "").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Сем, Ю. А. Нанайцы : очерки / Ю. А. Сем, Л. И. Сем. – Владивосток : Дальневосточное книжное издательство, 1973. – 146 с."),
        "{body}"
    );
    let (_, found) = page_as(
        &app,
        "/catalog?q=%D0%BD%D0%B0%D0%BD%D0%B0%D0%B9%D1%86%D0%B5%D0%B2&school=sosh-1",
        "",
    )
    .await;
    assert!(
        found.contains(&format!("/catalog/{record}")),
        "found by a word form of a subject"
    );

    // Corrected: the title changes, the search follows; other schools' librarians cannot.
    let edit = format!("/manage/sosh-1/catalog/records/{record}");
    let (_, body) = page_as(&app, &edit, &librarian).await;
    assert!(
        body.contains("Исправить запись") && body.contains("Нанайцы"),
        "{body}"
    );
    let id = record.as_str();
    let to = post_to(
        &app,
        &librarian,
        &edit,
        SaveCatalogRecord::PATH,
        fields("", "Нанайцы Приамурья", id),
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let (_, body) = page_as(&app, &format!("/catalog/{record}"), "").await;
    assert!(body.contains("Нанайцы Приамурья : очерки"), "{body}");
    let (_, found) = page_as(
        &app,
        "/catalog?q=%D0%BF%D1%80%D0%B8%D0%B0%D0%BC%D1%83%D1%80%D1%8C%D0%B5&school=sosh-1",
        "",
    )
    .await;
    assert!(found.contains(&format!("/catalog/{record}")));
    let other = session(&app, "bibl.gim3").await;
    let to = post_to(
        &app,
        &other,
        &edit,
        SaveCatalogRecord::PATH,
        fields("", "Чужое", id),
    )
    .await;
    assert!(form_error_in(&to).contains("Forbidden"), "{to}");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'catalog.record_%'"
        )
        .await,
        2
    );
}

/// НЭБ documents open or in the reading room, Лекта materials, and copies that a MARC export
/// brings: entered by hand, printed in the description, shown on the record page, kept by a
/// re-import, and a pupil's own НЭБ source carries its access mode too.
#[tokio::test]
async fn neb_access_lecta_materials_and_copies_from_a_marc_export() {
    use app::catalog::api::{AddOwnSource, SaveCatalogRecord};
    use common::{form_error_in, page_as, session};
    use leptos::server_fn::ServerFn;
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let form = "/manage/sosh-1/catalog/records/new";
    let (_, body) = page_as(&app, form, &librarian).await;
    assert!(
        body.contains("Режим доступа (для электронных ресурсов)")
            && body.contains("в виртуальных читальных залах НЭБ")
            && body.contains("материал Лекты"),
        "{body}"
    );
    fn fields<'a>(
        kind: &'a str,
        title: &'a str,
        url: &'a str,
        access: &'a str,
    ) -> Vec<(&'a str, &'a str)> {
        let mut f = vec![("slug", "sosh-1"), ("record_id", "new"), ("kind", kind)];
        for name in [
            "other_title",
            "responsibility",
            "edition",
            "series",
            "isbn",
            "host_title",
            "host_issue",
            "host_pages",
            "age_rating",
            "subjects",
            "annotation",
            "extent",
        ] {
            f.push((name, ""));
        }
        f.extend([
            ("authors", "Арсеньев Владимир Клавдиевич"),
            ("title", title),
            ("place", "Хабаровск"),
            ("publisher", "Книжное издательство"),
            ("year", "1984"),
            ("url", url),
            ("access", access),
        ]);
        f
    }
    let neb = "https://rusneb.ru/catalog/000199_000009_010101010/";

    // An access mode that is none of the form's is refused and nothing is stored.
    let before = count(&app, "SELECT COUNT(*) FROM catalog_records").await;
    let to = post_to(
        &app,
        &librarian,
        form,
        SaveCatalogRecord::PATH,
        fields("neb", "Дерсу Узала", neb, "everyone"),
    )
    .await;
    assert!(form_error_in(&to).contains("access"), "{to}");
    let (_, body) = page_as(&app, &path_of(&to), &librarian).await;
    assert!(body.contains("id=\"record-access-error\""), "{body}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM catalog_records").await,
        before
    );

    // A НЭБ document under copyright, read in the reading room.
    let to = post_to(
        &app,
        &librarian,
        form,
        SaveCatalogRecord::PATH,
        fields("neb", "Дерсу Узала", neb, "reading_room"),
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let neb_record = to.rsplit('/').next().expect("the new record").to_owned();
    let (_, body) = page_as(&app, &format!("/catalog/{neb_record}"), "").await;
    assert!(
        body.contains(&format!(
            "Текст : электронный // Национальная электронная библиотека : [сайт]. – URL: {neb}"
        )) && body.contains("Режим доступа: в виртуальных читальных залах НЭБ."),
        "{body}"
    );
    assert!(
        body.contains("<dt>Доступ</dt><dd>в виртуальных читальных залах НЭБ</dd>"),
        "{body}"
    );
    let (_, edit) = page_as(
        &app,
        &format!("/manage/sosh-1/catalog/records/{neb_record}"),
        &librarian,
    )
    .await;
    assert!(
        edit.contains("<option value=\"reading_room\" selected"),
        "the form shows the mode chosen: {edit}"
    );
    // Opened to everyone: the note follows.
    let mut open = fields("neb", "Дерсу Узала", neb, "free");
    open[1] = ("record_id", neb_record.as_str());
    let to = post_to(
        &app,
        &librarian,
        &format!("/manage/sosh-1/catalog/records/{neb_record}"),
        SaveCatalogRecord::PATH,
        open,
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let (_, body) = page_as(&app, &format!("/catalog/{neb_record}"), "").await;
    assert!(body.contains("Режим доступа: свободный."), "{body}");
    assert!(!body.contains("читальных залах"), "{body}");

    // A Лекта material: the platform as the site, and the school's login by default.
    let to = post_to(
        &app,
        &librarian,
        form,
        SaveCatalogRecord::PATH,
        fields(
            "lecta",
            "По Уссурийскому краю",
            "https://lecta.rosuchebnik.ru/product/42",
            "",
        ),
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let lecta = to.rsplit('/').next().expect("the new record").to_owned();
    let (_, body) = page_as(&app, &format!("/catalog/{lecta}"), "").await;
    assert!(
        body.contains("Текст : электронный // Лекта : образовательная платформа : [сайт]. – URL: https://lecta.rosuchebnik.ru/product/42")
            && body.contains("Режим доступа: для авториз. пользователей."),
        "{body}"
    );
    let (_, found) = page_as(&app, "/catalog?kind=lecta&school=sosh-1", "").await;
    assert!(found.contains(&format!("/catalog/{lecta}")), "{found}");
    assert!(
        !found.contains(&format!("/catalog/{neb_record}")),
        "{found}"
    );
    // A printed book has no access mode, whatever the form sent.
    let to = post_to(
        &app,
        &librarian,
        form,
        SaveCatalogRecord::PATH,
        fields("printed_book", "Сквозь тайгу", "", "reading_room"),
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let book = to.rsplit('/').next().expect("the new record").to_owned();
    let (_, body) = page_as(&app, &format!("/catalog/{book}"), "").await;
    assert!(
        !body.contains("Режим доступа") && !body.contains("<dt>Доступ</dt>"),
        "{body}"
    );

    // A RUSMARC export with the school's copies in 899 (and the РГБ's, which is not ours).
    let marcxml = |second_available: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<collection xmlns="http://www.loc.gov/MARC21/slim">
<record>
  <leader>00000nam0 2200000   450 </leader>
  <controlfield tag="001">school-1-copies</controlfield>
  <datafield tag="200" ind1="1" ind2=" "><subfield code="a">В горах Сихотэ-Алиня</subfield><subfield code="f">В. К. Арсеньев</subfield></datafield>
  <datafield tag="210" ind1=" " ind2=" "><subfield code="a">Владивосток</subfield><subfield code="c">Дальиздат</subfield><subfield code="d">1977</subfield></datafield>
  <datafield tag="700" ind1=" " ind2="1"><subfield code="a">Арсеньев</subfield><subfield code="b">В. К.</subfield></datafield>
  <datafield tag="852" ind1=" " ind2=" "><subfield code="a">РГБ</subfield><subfield code="j">FB</subfield><subfield code="p">РГБ-1</subfield></datafield>
  <datafield tag="899" ind1=" " ind2=" "><subfield code="a">ИБЦ</subfield><subfield code="j">26.89 А85</subfield><subfield code="p">Б-5001</subfield></datafield>
  <datafield tag="910" ind1=" " ind2=" "><subfield code="a">{second_available}</subfield><subfield code="b">Б-5002</subfield><subfield code="d">АБ</subfield></datafield>
</record>
</collection>"#
        )
        .into_bytes()
    };
    let to = upload(&app, &librarian, "sosh-1", "export.xml", marcxml("1")).await;
    assert!(!to.contains("__err"), "{to}");
    let id: String =
        sqlx::query_scalar("SELECT id FROM catalog_records WHERE source_id = 'school-1-copies'")
            .fetch_one(&app.pool)
            .await
            .expect("the imported record");
    let copies = |app: &TestApp, id: String| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_as::<_, (String, String, bool)>(
                "SELECT inventory_number, shelf_mark, available FROM catalog_copies \
                 WHERE record_id = $1 ORDER BY inventory_number",
            )
            .bind(id)
            .fetch_all(&pool)
            .await
            .expect("copies")
        }
    };
    assert_eq!(
        copies(&app, id.clone()).await,
        vec![
            ("Б-5001".to_owned(), "26.89 А85".to_owned(), true),
            ("Б-5002".to_owned(), "АБ".to_owned(), false),
        ]
    );
    let (_, body) = page_as(&app, &format!("/catalog/{id}"), &librarian).await;
    assert!(
        body.contains("Б-5001") && body.contains("Б-5002") && !body.contains("РГБ-1"),
        "{body}"
    );
    // A re-import with the copy returned updates the copies, not the count of records.
    let to = upload(&app, &librarian, "sosh-1", "export.xml", marcxml("0")).await;
    assert!(!to.contains("__err"), "{to}");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM catalog_records WHERE title = 'В горах Сихотэ-Алиня'"
        )
        .await,
        1
    );
    assert_eq!(
        copies(&app, id.clone()).await,
        vec![
            ("Б-5001".to_owned(), "26.89 А85".to_owned(), true),
            ("Б-5002".to_owned(), "АБ".to_owned(), true),
        ]
    );

    // A re-import keeps the access mode and kind the librarian set on an imported record.
    let neb_xml = |title: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<collection xmlns="http://www.loc.gov/MARC21/slim"><record>
  <leader>00000nlm0 2200000   450 </leader>
  <controlfield tag="001">school-1-neb</controlfield>
  <datafield tag="200" ind1="1" ind2=" "><subfield code="a">{title}</subfield></datafield>
  <datafield tag="856" ind1="4" ind2=" "><subfield code="u">https://rusneb.ru/catalog/000199_000009_020202020/</subfield></datafield>
</record></collection>"#
        )
        .into_bytes()
    };
    upload(
        &app,
        &librarian,
        "sosh-1",
        "neb.xml",
        neb_xml("Сквозь тайгу"),
    )
    .await;
    // (The hand-entered book of the same title is another record.)
    let neb_id: String =
        sqlx::query_scalar("SELECT id FROM catalog_records WHERE source_id = 'school-1-neb'")
            .fetch_one(&app.pool)
            .await
            .expect("the НЭБ record");
    assert_ne!(neb_id, book);
    let mut reading_room = fields(
        "neb",
        "Сквозь тайгу",
        "https://rusneb.ru/catalog/000199_000009_020202020/",
        "reading_room",
    );
    reading_room[1] = ("record_id", neb_id.as_str());
    reading_room.retain(|(n, _)| !matches!(*n, "authors" | "place" | "publisher" | "year"));
    reading_room.extend([
        ("authors", ""),
        ("place", ""),
        ("publisher", ""),
        ("year", ""),
    ]);
    let to = post_to(
        &app,
        &librarian,
        &format!("/manage/sosh-1/catalog/records/{neb_id}"),
        SaveCatalogRecord::PATH,
        reading_room,
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    upload(
        &app,
        &librarian,
        "sosh-1",
        "neb.xml",
        neb_xml("Сквозь тайгу"),
    )
    .await;
    let (_, body) = page_as(&app, &format!("/catalog/{neb_id}"), "").await;
    assert!(
        body.contains("Режим доступа: в виртуальных читальных залах НЭБ."),
        "the re-import kept the mode: {body}"
    );

    // A pupil's own НЭБ source in the reading room.
    let pupil = session(&app, "ivanova.m").await;
    let project: String =
        sqlx::query_scalar("SELECT id FROM projects WHERE title LIKE 'Фестиваль%'")
            .fetch_one(&app.pool)
            .await
            .expect("project");
    let sources = format!("/projects/{project}/sources");
    let mut own = own_source(
        &project,
        &[
            ("kind", "neb"),
            ("title", "Удэгейцы"),
            ("url", "https://rusneb.ru/catalog/000199_000009_030303030/"),
            ("access_date", "2026-11-02"),
        ],
    );
    own.push(("access", "reading_room"));
    let to = post_to(&app, &pupil, &sources, AddOwnSource::PATH, own).await;
    assert_eq!(to, sources, "{}", form_error_in(&to));
    let (_, body) = page_as(&app, &sources, &pupil).await;
    assert!(
        body.contains(
            "(дата обращения: 02.11.2026). – Режим доступа: в виртуальных читальных залах НЭБ."
        ),
        "{body}"
    );
}

/// The district's e-resources shared by every school: the coordinator imports and corrects them
/// at `/manage/district/catalog`, every school's search and source picker finds them, and a
/// school's librarian cannot touch them.
#[tokio::test]
async fn the_coordinator_keeps_the_districts_e_resources() {
    use app::catalog::api::SaveCatalogRecord;
    use common::{form_error_in, page_as, session};
    use leptos::server_fn::ServerFn;
    let app = spawn_demo().await;
    let coordinator = session(&app, "metodist").await;
    let librarian = session(&app, "bibl.sosh1").await;
    let district = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT title FROM catalog_records WHERE school_id IS NULL ORDER BY title",
            )
            .fetch_all(&pool)
            .await
            .expect("district records")
        }
    };
    // The demo's: a НЭБ document in the reading room, a Лекта textbook, an e-book.
    assert_eq!(
        district(&app).await,
        ["Дерсу Узала", "Злой дух Ямбуя", "Литература"]
    );
    let (status, body) = page_as(&app, "/manage/district/catalog", &coordinator).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Электронные ресурсы района") && body.contains("Записей в каталоге: 3"),
        "{body}"
    );
    assert!(
        !body.contains("min-sources"),
        "no minimum of sources for the district"
    );
    let (status, _) = page_as(&app, "/manage/district/catalog", &librarian).await;
    assert_ne!(
        status, 200,
        "a school's librarian does not manage the district's fund"
    );

    // An import of the coordinator's goes to the district, and a second one updates.
    let csv = "вид;заглавие;авторы;год;url;режим доступа\n\
               веб-ресурс;Хабаровский краевой музей;;;https://hkm.ru/;свободный\n\
               НЭБ;По Уссурийскому краю;Арсеньев Владимир Клавдиевич;1921;https://rusneb.ru/search/?q=1921;\n"
        .as_bytes()
        .to_vec();
    let to = upload(&app, &coordinator, "district", "district.csv", csv.clone()).await;
    assert!(
        to.contains("/manage/district/catalog/imports/"),
        "{to} {}",
        form_error_in(&to)
    );
    let (_, report) = page_as(&app, &path_of(&to), &coordinator).await;
    assert!(report.contains("district.csv"), "{report}");
    upload(&app, &coordinator, "district", "district.csv", csv).await;
    assert_eq!(district(&app).await.len(), 5);
    let to = upload(
        &app,
        &librarian,
        "district",
        "district.csv",
        b"title\nX\n".to_vec(),
    )
    .await;
    assert!(form_error_in(&to).contains("Forbidden"), "{to}");
    assert_eq!(district(&app).await.len(), 5);

    // Found from every school, and picked into a project's sources.
    let (_, found) = page_as(&app, "/catalog?q=музей&school=gimnaziya-3", "").await;
    assert!(found.contains("Хабаровский краевой музей"), "{found}");
    let pupil = session(&app, "ivanova.m").await;
    let project: String =
        sqlx::query_scalar("SELECT id FROM projects WHERE title LIKE 'Фестиваль%'")
            .fetch_one(&app.pool)
            .await
            .expect("project");
    let (_, picker) = page_as(
        &app,
        &format!("/projects/{project}/sources?q=%D0%AF%D0%BC%D0%B1%D1%83%D1%8F"),
        &pupil,
    )
    .await;
    assert!(picker.contains("Злой дух Ямбуя"), "{picker}");

    // The record page offers the coordinator, not the librarian, to correct it.
    let id: String = sqlx::query_scalar(
        "SELECT id FROM catalog_records WHERE school_id IS NULL AND title = 'Дерсу Узала'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("record");
    let edit = format!("/manage/district/catalog/records/{id}");
    let (_, page) = page_as(&app, &format!("/catalog/{id}"), &coordinator).await;
    assert!(page.contains(&edit), "{page}");
    assert!(
        page.contains("Режим доступа: в виртуальных читальных залах НЭБ."),
        "{page}"
    );
    let (_, page) = page_as(&app, &format!("/catalog/{id}"), &librarian).await;
    assert!(!page.contains(&edit), "{page}");
    let (_, form) = page_as(&app, &edit, &coordinator).await;
    assert!(form.contains("Дерсу Узала"), "{form}");
    let mut fields = vec![
        ("slug", "district"),
        ("record_id", id.as_str()),
        ("kind", "neb"),
    ];
    for name in [
        "authors",
        "other_title",
        "responsibility",
        "edition",
        "place",
        "publisher",
        "year",
        "extent",
        "series",
        "isbn",
        "host_title",
        "host_issue",
        "host_pages",
        "age_rating",
        "subjects",
        "annotation",
    ] {
        fields.push((name, ""));
    }
    fields.extend([
        ("title", "Дерсу Узала"),
        ("url", "https://rusneb.ru/search/?q=Дерсу+Узала"),
        ("access", "free"),
    ]);
    let to = post_to(
        &app,
        &coordinator,
        &edit,
        SaveCatalogRecord::PATH,
        fields.clone(),
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let (_, page) = page_as(&app, &format!("/catalog/{id}"), "").await;
    assert!(page.contains("Режим доступа: свободный."), "{page}");
    let to = post_to(&app, &librarian, &edit, SaveCatalogRecord::PATH, fields).await;
    assert!(form_error_in(&to).contains("Forbidden"), "{to}");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'catalog.record_edited'"
        )
        .await,
        1
    );

    // Exported in the template by the coordinator only.
    let response = app
        .client
        .get(app.url("/manage/district/catalog.csv"))
        .header(reqwest::header::COOKIE, &coordinator)
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("csv");
    assert!(
        text.contains("Хабаровский краевой музей")
            && text.contains("свободный")
            && !text.contains("в читальном зале"),
        "{text}"
    );
    let response = app
        .client
        .get(app.url("/manage/district/catalog.csv"))
        .header(reqwest::header::COOKIE, &librarian)
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), 404);
}
