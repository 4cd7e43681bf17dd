//! The librarian's report on how projects use the library: pupils and staff list sources as
//! they would (through the same forms), then the report page and its CSV show the most cited
//! record, the counts by kind and per project, follow the year filter, leave declined proposals
//! out, and are not found for anyone who may not read them.

mod common;

use app::catalog::api::{AddCatalogSource, AddOwnSource};
use common::{form_error_in, page_as, post_form, session, spawn_demo, TestApp};
use leptos::server_fn::ServerFn;

/// The id of a catalogue record of СОШ № 1 by the start of its title.
async fn record(app: &TestApp, title: &str) -> String {
    sqlx::query_scalar(
        "SELECT r.id FROM catalog_records r JOIN schools s ON s.id = r.school_id \
         WHERE s.slug = 'sosh-1' AND r.title LIKE $1 || '%' ORDER BY r.id LIMIT 1",
    )
    .bind(title)
    .fetch_one(&app.pool)
    .await
    .unwrap_or_else(|e| panic!("{title}: {e}"))
}

async fn project(app: &TestApp, title: &str) -> String {
    sqlx::query_scalar("SELECT id FROM projects WHERE title LIKE $1 || '%'")
        .bind(title)
        .fetch_one(&app.pool)
        .await
        .unwrap_or_else(|e| panic!("{title}: {e}"))
}

/// Adds a catalogue record to a project's sources as `cookie` would with the picker's button.
async fn cite(app: &TestApp, cookie: &str, project: &str, record: &str) {
    let sources = format!("/projects/{project}/sources");
    let response = post_form(
        app,
        AddCatalogSource::PATH,
        cookie,
        &sources,
        &[("project_id", project), ("record_id", record)],
    )
    .await;
    let to = common::location(&response);
    assert_eq!(to, sources, "{}", form_error_in(&to));
}

/// Adds a source the library lacks, entered field by field.
async fn own(app: &TestApp, cookie: &str, project: &str, given: &[(&str, &str)]) {
    let sources = format!("/projects/{project}/sources");
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
    let response = post_form(app, AddOwnSource::PATH, cookie, &sources, &form).await;
    let to = common::location(&response);
    assert_eq!(to, sources, "{}", form_error_in(&to));
}

/// A project of СОШ № 1 made directly: last year's, or a declined proposal.
async fn extra_project(app: &TestApp, title: &str, year: i32, status: &str) -> String {
    use app::projects::db;
    let teacher = common::user_id(app, "uchitel.sosh1").await;
    let school: String = sqlx::query_scalar("SELECT id FROM schools WHERE slug = 'sosh-1'")
        .fetch_one(&app.pool)
        .await
        .expect("school");
    let mut tx = app::db::begin_write(&app.pool).await.expect("tx");
    let id = db::insert_project(
        &mut tx,
        &db::NewProject {
            school_id: &school,
            academic_year: year,
            kind: "individual",
            status,
            title,
            topic: "",
            subject: "",
            project_type: "research",
            created_by: &teacher,
        },
    )
    .await
    .expect("project");
    db::add_supervisor(&mut *tx, &id, &teacher)
        .await
        .expect("supervisor");
    tx.commit().await.expect("commit");
    id
}

/// The rows of a CSV export, after checking it is the file Excel in Russian expects.
async fn csv_rows(app: &TestApp, path: &str, cookie: &str) -> Vec<Vec<String>> {
    let response = app
        .client
        .get(app.url(path))
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .expect("csv");
    assert_eq!(response.status().as_u16(), 200, "{path}");
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
    let disposition = header(reqwest::header::CONTENT_DISPOSITION);
    assert!(
        disposition.starts_with("attachment; filename=\"libfolio-analytics-"),
        "{disposition}"
    );
    let bytes = response.bytes().await.expect("body");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a byte order mark");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| r.expect("a CSV row").iter().map(str::to_owned).collect())
        .collect()
}

/// The value of the row (section, item, detail).
fn value(rows: &[Vec<String>], section: &str, item: &str, detail: &str) -> String {
    rows.iter()
        .find(|r| r[0] == section && r[1].starts_with(item) && r[2] == detail)
        .unwrap_or_else(|| panic!("no row {section} / {item} / {detail} in {rows:?}"))[3]
        .clone()
}

/// The rows of the top table, in order: the text of each `<tr>` of its body.
fn top_rows(body: &str) -> Vec<String> {
    let table = body
        .split("<caption>Самые цитируемые записи каталога</caption>")
        .nth(1)
        .and_then(|t| t.split("</tbody>").next())
        .unwrap_or_else(|| panic!("no table of the most cited: {body}"));
    table.split("<tr>").skip(2).map(str::to_owned).collect()
}

#[tokio::test]
async fn the_report_counts_what_projects_cite_by_year_and_is_for_the_library_only() {
    let app = spawn_demo().await;
    let year: i32 = sqlx::query_scalar("SELECT academic_year FROM projects LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .expect("year");
    let logarithms = record(&app, "Таблицы логарифмов").await;
    let fashion = record(&app, "Модная книга").await;
    let festival = project(&app, "Фестиваль").await;
    let lighthouses = project(&app, "Маяки").await;
    let reading = project(&app, "Буктрейлер").await;

    // This year: three projects list the tables of logarithms, two the fashion book; pupils
    // add a web page and a printed book the library lacks.
    let maria = session(&app, "ivanova.m").await;
    cite(&app, &maria, &festival, &logarithms).await;
    cite(&app, &maria, &festival, &fashion).await;
    own(
        &app,
        &maria,
        &festival,
        &[
            ("kind", "web"),
            ("title", "Нанайский орнамент"),
            ("url", "https://example.org/ornament"),
        ],
    )
    .await;
    let denis = session(&app, "zaitsev.d").await;
    cite(&app, &denis, &lighthouses, &logarithms).await;
    own(
        &app,
        &denis,
        &lighthouses,
        &[
            ("kind", "printed_book"),
            ("authors", "Смирнов Пётр"),
            ("title", "Маяки Дальнего Востока"),
            ("year", "2015"),
        ],
    )
    .await;
    let sofia = session(&app, "kim.s").await;
    cite(&app, &sofia, &reading, &logarithms).await;
    cite(&app, &sofia, &reading, &fashion).await;
    // Last year's project cites the logarithms too; a declined proposal's list is not counted.
    let librarian = session(&app, "bibl.sosh1").await;
    let last_year = extra_project(&app, "Прошлогодний проект", year - 1, "active").await;
    cite(&app, &librarian, &last_year, &logarithms).await;
    let declined = extra_project(&app, "Отклонённая заявка", year, "declined").await;
    cite(&app, &librarian, &declined, &fashion).await;
    cite(&app, &librarian, &declined, &logarithms).await;

    // All years: five projects (the pupil's proposal without sources counts), eight sources.
    let (status, body) = page_as(&app, "/manage/sosh-1/analytics", &librarian).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("<h1>Библиотека в проектах: отчёт</h1>"),
        "{body}"
    );
    assert!(
        body.contains("Проектов: 5, источников в их списках: 8."),
        "{body}"
    );
    assert!(
        body.contains("role=\"img\"") && body.contains("<title id=\"chart-top-title\">"),
        "charts are images with titles: {body}"
    );
    let top = top_rows(&body);
    assert_eq!(top.len(), 2, "{top:?}");
    assert!(
        top[0].contains("Афанасьев, П. А. Таблицы логарифмов") && top[0].contains(">4</td>"),
        "{top:?}"
    );
    assert!(top[1].contains(">2</td>"), "{top:?}");
    assert!(
        body.contains("href=\"/manage/sosh-1/analytics.csv?year=\""),
        "{body}"
    );

    // This year only.
    let path = format!("/manage/sosh-1/analytics?year={year}");
    let (_, body) = page_as(&app, &path, &librarian).await;
    assert!(
        body.contains("Проектов: 4, источников в их списках: 7."),
        "{body}"
    );
    let top = top_rows(&body);
    assert!(
        top[0].contains("Таблицы логарифмов") && top[0].contains(">3</td>"),
        "{top:?}"
    );
    assert!(
        body.contains(&format!("<option value=\"{year}\" selected")),
        "the year stays chosen: {body}"
    );
    // The mean of 3, 2, 2 and 0 sources, with a decimal comma.
    assert!(body.contains("<dd>1,8</dd>"), "{body}");

    let rows = csv_rows(
        &app,
        &format!("/manage/sosh-1/analytics.csv?year={year}"),
        &librarian,
    )
    .await;
    assert_eq!(rows[0], ["Раздел", "Показатель", "Подробности", "Значение"]);
    let top = "Самые цитируемые записи каталога";
    assert_eq!(
        rows.iter().filter(|r| r[0] == top).count(),
        2,
        "two records cited: {rows:?}"
    );
    let first = rows.iter().find(|r| r[0] == top).expect("a cited record");
    assert!(first[1].starts_with("Таблицы логарифмов"), "{first:?}");
    assert!(first[2].starts_with("Афанасьев, П. А."), "{first:?}");
    assert_eq!(first[3], "3");
    let kinds = "Источники по видам";
    assert_eq!(value(&rows, kinds, "книга", ""), "6");
    assert_eq!(value(&rows, kinds, "интернет-ресурс", ""), "1");
    assert_eq!(value(&rows, kinds, "статья", ""), "0");
    let media = "Печатные и электронные источники";
    assert_eq!(value(&rows, media, "Печатные", ""), "6");
    assert_eq!(value(&rows, media, "Электронные", ""), "1");
    let per = "Источников в проекте";
    assert_eq!(value(&rows, per, "Проектов", ""), "4");
    assert_eq!(value(&rows, per, "0", ""), "1");
    assert_eq!(value(&rows, per, "1–4", ""), "3");
    assert_eq!(value(&rows, per, "Среднее", ""), "1,8");
    assert_eq!(value(&rows, per, "Медиана", ""), "2");
    assert_eq!(value(&rows, per, "Меньше, чем требует школа", ""), "4");
    let label = format!("{year}/{}", year + 1);
    assert_eq!(value(&rows, "По учебным годам", &label, "Всего"), "7");
    assert!(
        !rows
            .iter()
            .any(|r| r[0] == "По учебным годам" && r[1] != label),
        "only the chosen year: {rows:?}"
    );

    // All years in the CSV: last year has its own line.
    let rows = csv_rows(&app, "/manage/sosh-1/analytics.csv?year=", &librarian).await;
    let last = format!("{}/{year}", year - 1);
    assert_eq!(value(&rows, "По учебным годам", &last, "Всего"), "1");
    assert_eq!(value(&rows, "По учебным годам", &last, "книга"), "1");

    // The district: the coordinator sees every school, and may pick one.
    let coordinator = session(&app, "metodist").await;
    let (status, body) = page_as(&app, "/manage/analytics", &coordinator).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("По школам") && body.contains("МБОУ «Гимназия № 3»"),
        "{body}"
    );
    let rows = csv_rows(&app, "/manage/analytics.csv?school=&year=", &coordinator).await;
    assert_eq!(value(&rows, "По школам", "МБОУ СОШ № 1", "Источников"), "8");
    // The demo's showcase: Гимназия № 3 has three projects, one of them citing two records.
    assert_eq!(
        value(&rows, "По школам", "МБОУ «Гимназия № 3»", "Проектов"),
        "3"
    );
    assert_eq!(
        value(&rows, "По школам", "МБОУ «Гимназия № 3»", "Источников"),
        "2"
    );
    let (status, body) = page_as(
        &app,
        &format!("/manage/analytics?school=sosh-1&year={year}"),
        &coordinator,
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Проектов: 4, источников в их списках: 7."),
        "{body}"
    );

    // A year that is not one is refused, not guessed.
    assert_eq!(
        page_as(&app, "/manage/sosh-1/analytics?year=когда-то", &librarian)
            .await
            .0,
        400
    );

    // Nobody else learns that the report exists: pupils, teachers, another school's librarian,
    // visitors; and a school's librarian cannot open the district's.
    let refused = [
        ("ivanova.m", "/manage/sosh-1/analytics"),
        ("uchitel.sosh1", "/manage/sosh-1/analytics"),
        ("bibl.gim3", "/manage/sosh-1/analytics"),
        ("bibl.sosh1", "/manage/analytics"),
        ("bibl.gim3", "/manage/analytics?school=sosh-1"),
    ];
    for (who, page) in refused {
        let cookie = session(&app, who).await;
        assert_eq!(page_as(&app, page, &cookie).await.0, 404, "{who}: {page}");
        let csv = page.replacen("/analytics", "/analytics.csv", 1);
        assert_eq!(page_as(&app, &csv, &cookie).await.0, 404, "{who}: {csv}");
    }
    for path in [
        "/manage/sosh-1/analytics",
        "/manage/sosh-1/analytics.csv",
        "/manage/analytics",
        "/manage/analytics.csv",
    ] {
        assert_eq!(
            app.get(path).await.status().as_u16(),
            404,
            "visitor: {path}"
        );
    }
}
