//! A published project as a visitor reads it, with the district grown to 10 000 projects: the
//! real router over TCP on a fresh database (the demo, cloned in SQL), and one project of 10
//! pages and 20 sources whose accepted snapshot is published to everyone. Measures
//! `GET /p/{id}` and checks what reading it costs: the HTML and its stylesheet, compressed as
//! the server sends them, stay under 100 KB, and no script is sent. Images are left out (the
//! budget excludes them). Run with `cargo bench -p server --bench showcase`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use app::catalog::gost::{AccessDate, Source, SourceKind};
use app::catalog::marc::{CatalogRecord, HostItem, Person};
use app::catalog::RecordKind;
use app::db::Pool;
use criterion::{criterion_group, criterion_main, Criterion};
use server::config::Config;
use server::startup;

/// How many projects the district has while the page is measured.
const PROJECTS: i64 = 10_000;
/// Issue 7's budget for a published page: compressed, without images.
const BUDGET_BYTES: usize = 100 * 1024;
/// The project's pages, each after a `=== slug | title` line.
const PAGES: &str = include_str!("showcase/pages.md");
/// The project's sources (books, articles, web pages), one a line.
const SOURCES: &str = include_str!("showcase/sources.txt");
/// A sentence of the last chapters: found once in the page, or the page carries its text twice.
const ONCE: &str = "Берегите гавань, мы скоро вернёмся";

/// A table cloned for the grown district: its name, the columns replaced (name, SQL value) and
/// the rows to clone (`FROM` text, `c` the clone and `t` the original row).
type CloneStep<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);

struct Served {
    base: String,
    project: String,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn serve(runtime: &tokio::runtime::Runtime) -> Served {
    let dir = tempfile::tempdir().expect("temp dir");
    let data_dir = dir.path().join("data").to_string_lossy().into_owned();
    // The stylesheet is served by the router from a site root, as in production (without the
    // minification cargo-leptos applies, so its size here is an upper bound).
    let site_root = dir.path().join("site");
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::create_dir_all(site_root.join("pkg")).expect("site root");
    std::fs::copy(
        repository.join("style/main.css"),
        site_root.join("pkg/libfolio.css"),
    )
    .expect("stylesheet");
    let site_root = site_root.to_string_lossy().into_owned();
    let config = Config::from_lookup(|name| match name {
        "LIBFOLIO_DATA_DIR" => Some(data_dir.clone()),
        "LIBFOLIO_ADDR" => Some("127.0.0.1:0".to_owned()),
        "LIBFOLIO_SITE_ROOT" => Some(site_root.clone()),
        _ => None,
    })
    .expect("config");
    let pool = startup::open_database(&config).await.expect("database");
    let hash = app::demo::password_hash("bench-password")
        .await
        .expect("hash");
    app::demo::seed_if_empty(&pool, &hash).await.expect("demo");
    multiply_projects(&pool, PROJECTS - 1).await;
    let project = publish_target(&pool).await;
    let projects: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(projects, PROJECTS, "the district's size");
    let router = startup::build_router(startup::app_state(&config, pool), config.max_body_bytes);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    runtime.spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    Served {
        base: format!("http://{addr}"),
        project,
        client: reqwest::Client::new(),
        _dir: dir,
    }
}

/// Clones the demo's projects (with their pages, revisions, sources, people, tags, snapshots
/// and publications, links aside) until the district has `total`. Files, diaries, remarks and
/// initiative entries are not cloned: `/p/{id}` reads none of them in bulk.
async fn multiply_projects(pool: &Pool, total: i64) {
    let mut tx = app::db::begin_write(pool).await.expect("begin");
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
        .fetch_one(&mut *tx)
        .await
        .expect("count");
    let want = total - have;
    let copies = (want + have - 1) / have;
    sqlx::query(&format!(
        "CREATE TEMP TABLE clones AS \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {copies}) \
         SELECT p.id AS src, '-x' || n.i AS suffix, p.id || '-x' || n.i AS id \
         FROM projects p CROSS JOIN n ORDER BY n.i, p.id LIMIT {want}"
    ))
    .execute(&mut *tx)
    .await
    .expect("clones");
    // (table, columns replaced, rows to clone with `c` the clone and `t` the original row)
    let project = "clones c JOIN {t} t ON t.project_id = c.src";
    let submission = "{t} t JOIN submissions s ON s.id = t.submission_id \
                      JOIN clones c ON c.src = s.project_id";
    let publication = "{t} t JOIN publications b ON b.id = t.publication_id \
                       AND b.audience <> 'link' JOIN clones c ON c.src = b.project_id";
    let plan: [CloneStep; 16] = [
        (
            "projects",
            &[("id", "c.id"), ("cover_file_id", "NULL")],
            "clones c JOIN projects t ON t.id = c.src",
        ),
        ("project_members", &[("project_id", "c.id")], project),
        ("project_supervisors", &[("project_id", "c.id")], project),
        ("project_tags", &[("project_id", "c.id")], project),
        (
            "pages",
            &[("id", "t.id || c.suffix"), ("project_id", "c.id")],
            project,
        ),
        (
            "page_revisions",
            &[("page_id", "t.page_id || c.suffix")],
            "{t} t JOIN pages g ON g.id = t.page_id JOIN clones c ON c.src = g.project_id",
        ),
        (
            "project_sources",
            &[("id", "t.id || c.suffix"), ("project_id", "c.id")],
            project,
        ),
        (
            "submissions",
            &[("id", "t.id || c.suffix"), ("project_id", "c.id")],
            project,
        ),
        (
            "submission_pages",
            &[
                ("submission_id", "t.submission_id || c.suffix"),
                ("page_id", "t.page_id || c.suffix"),
            ],
            submission,
        ),
        (
            "submission_sources",
            &[
                ("submission_id", "t.submission_id || c.suffix"),
                ("source_id", "t.source_id || c.suffix"),
            ],
            submission,
        ),
        (
            "submission_people",
            &[("submission_id", "t.submission_id || c.suffix")],
            submission,
        ),
        (
            "publications",
            &[
                ("id", "t.id || c.suffix"),
                ("project_id", "c.id"),
                ("submission_id", "t.submission_id || c.suffix"),
            ],
            "clones c JOIN publications t ON t.project_id = c.src AND t.audience <> 'link'",
        ),
        (
            "publication_tags",
            &[("publication_id", "t.publication_id || c.suffix")],
            publication,
        ),
        (
            "publication_texts",
            &[("publication_id", "t.publication_id || c.suffix")],
            publication,
        ),
        (
            "publication_terms",
            &[("publication_id", "t.publication_id || c.suffix")],
            publication,
        ),
        ("stage_dues", &[("project_id", "c.id")], project),
    ];
    for (table, replaced, rows) in plan {
        // Every column of the table as it is now, so that columns added later are cloned too.
        let columns: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(&mut *tx)
                .await
                .expect("columns");
        let values: Vec<String> = columns
            .iter()
            .map(|column| {
                replaced
                    .iter()
                    .find(|(name, _)| name == column)
                    .map_or_else(|| format!("t.{column}"), |(_, value)| (*value).to_owned())
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO {table} ({}) SELECT {} FROM {}",
            columns.join(", "),
            values.join(", "),
            rows.replace("{t}", table)
        ))
        .execute(&mut *tx)
        .await
        .unwrap_or_else(|error| panic!("cloning {table}: {error}"));
    }
    sqlx::query("DROP TABLE clones")
        .execute(&mut *tx)
        .await
        .expect("drop");
    tx.commit().await.expect("commit");
}

/// Creates the measured project as the app would (sources described by ГОСТ, pages rendered
/// with their citations on save), submits it, accepts the snapshot and publishes it to everyone.
async fn publish_target(pool: &Pool) -> String {
    use app::projects::db as projects;
    let user = |username: &'static str| async move {
        sqlx::query_scalar::<_, String>("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_one(pool)
            .await
            .expect(username)
    };
    let (supervisor, anna, vera, artyom) = (
        user("uchitel.gim3").await,
        user("lebedeva.a").await,
        user("orlova.v").await,
        user("khodzher.a").await,
    );
    let (school, year): (String, i32) = sqlx::query_as(
        "SELECT s.id, p.academic_year FROM schools s JOIN projects p ON p.school_id = s.id \
         WHERE s.slug = 'gimnaziya-3' LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("school");
    let title = "От залива Хаджи до Советской Гавани: история города в книгах и воспоминаниях";
    let topic = "Как открытие гавани, судьба фрегата «Паллада», порт и железная дорога сделали \
                 Советскую Гавань такой, какой мы её знаем";
    let mut tx = app::db::begin_write(pool).await.expect("begin");
    let project = projects::insert_project(
        &mut tx,
        &projects::NewProject {
            school_id: &school,
            academic_year: year,
            kind: "collective",
            status: "active",
            title,
            topic,
            subject: "История, краеведение",
            project_type: "research",
            created_by: &supervisor,
        },
    )
    .await
    .expect("project");
    projects::update_passport(
        &mut *tx,
        &project,
        &projects::PassportUpdate {
            title,
            topic,
            subject: "История, краеведение",
            project_type: "research",
            relevance: "Большинство учеников гимназии живут в Советской Гавани, но, как показал \
                        наш опрос, многие не знают, откуда у города такое имя и почему здесь \
                        появился порт. Книг об истории города в школьной библиотеке мало, и \
                        почти все они изданы давно.",
            goal: "Собрать историю Советской Гавани по книгам, документам и воспоминаниям \
                   жителей и составить маршрут экскурсии для школьников.",
            tasks: "1. Изучить литературу и электронные ресурсы об истории города.\n\
                    2. Записать интервью со старожилами.\n\
                    3. Провести анкетирование одноклассников.\n\
                    4. Составить и опробовать маршрут экскурсии.",
            hypothesis: "Школьники знают историю своего города хуже, чем события, которые \
                         изучают на уроках истории.",
            product: "Маршрут пешеходной экскурсии «От залива Хаджи до Советской Гавани» с \
                      картой, отрывками для чтения и вопросами викторины.",
        },
    )
    .await
    .expect("passport");
    for (pupil, note) in [
        (&anna, "главы 1–5, маршрут"),
        (&vera, "интервью, главы 6–7"),
        (&artyom, "анкета"),
    ] {
        projects::add_member(&mut *tx, &project, pupil, note)
            .await
            .expect("member");
    }
    projects::add_supervisor(&mut *tx, &project, &supervisor)
        .await
        .expect("supervisor");
    let tags: Vec<String> = [
        "краеведение",
        "история города",
        "Советская Гавань",
        "фрегат «Паллада»",
        "интервью",
    ]
    .map(str::to_owned)
    .to_vec();
    projects::set_tags(&mut tx, &project, &tags)
        .await
        .expect("tags");
    for (record, kind, accessed) in sources() {
        let mut source = Source::new(record.clone(), gost_kind(kind));
        source.access_date = accessed.and_then(|(d, m, y)| AccessDate::new(d, m, y));
        let description = source.describe();
        let access_date = accessed.map(|(d, m, y)| format!("{y:04}-{m:02}-{d:02}"));
        let added = app::catalog::db::insert_source(
            &mut tx,
            &app::catalog::db::NewSource {
                project_id: &project,
                record_id: None,
                kind: kind.as_str(),
                data: &serde_json::to_string(&record).expect("record"),
                access_date: access_date.as_deref(),
                description: &description,
                sort_key: &app::catalog::import::sort_key(&description),
                added_by: &supervisor,
                cite_key: &app::catalog::cite::base_key(&record),
            },
        )
        .await
        .expect("source");
        assert!(added, "{description}");
    }
    tx.commit().await.expect("commit");

    // Pages are rendered on save against the project's sources, as the editor does.
    let sources = app::catalog::db::citable_sources(pool, &project)
        .await
        .expect("sources");
    assert_eq!(sources.len(), 20, "20 sources");
    let citable: Vec<app::markdown::Citable> = sources
        .iter()
        .map(|(key, description)| app::markdown::Citable { key, description })
        .collect();
    let citations = app::markdown::Citations {
        sources: &citable,
        heading: "Источники",
    };
    let mut tx = app::db::begin_write(pool).await.expect("begin");
    let mut pages = 0;
    for page in PAGES.split("=== ").filter(|p| !p.trim().is_empty()) {
        let (head, body) = page.split_once('\n').expect("a page's head line");
        let (slug, page_title) = head.split_once(" | ").expect("slug | title");
        let rendered = app::markdown::render_with(body, &|_: &str| None, Some(&citations));
        assert!(
            rendered.unknown_citations.is_empty(),
            "{slug}: {:?}",
            rendered.unknown_citations
        );
        let toc = serde_json::to_string(&rendered.toc).expect("toc");
        projects::insert_page(
            &mut tx,
            &project,
            slug.trim(),
            &projects::NewRevision {
                title: page_title.trim(),
                body,
                html: rendered.html.as_str(),
                toc: &toc,
                summary: "",
                author_id: &anna,
                restored_from: None,
            },
        )
        .await
        .expect("page");
        pages += 1;
    }
    assert_eq!(pages, 10, "10 pages");

    // Submitted at the passport stage, accepted, published to everyone.
    let stages = app::review::db::list_stages(&mut *tx, &school)
        .await
        .expect("stages");
    let snapshot = app::review::db::snapshot_of(&mut tx, &project)
        .await
        .expect("snapshot");
    let (submission, _) = app::review::db::insert_submission(
        &mut tx,
        &project,
        &stages[1].id,
        &serde_json::to_string(&snapshot).expect("snapshot"),
        &anna,
    )
    .await
    .expect("submission");
    app::review::db::decide_submission(&mut tx, &submission, "accepted", &supervisor, "Принято.")
        .await
        .expect("accepted");
    let publication = app::db::new_id();
    sqlx::query(
        "INSERT INTO publications (id, project_id, submission_id, school_id, audience, title, \
         summary, published_by, published_at) VALUES ($1, $2, $3, $4, 'public', $5, $6, $7, $8)",
    )
    .bind(&publication)
    .bind(&project)
    .bind(&submission)
    .bind(&school)
    .bind(title)
    .bind(topic)
    .bind(&supervisor)
    .bind(app::db::now())
    .execute(&mut *tx)
    .await
    .expect("publication");
    for tag in &tags {
        sqlx::query("INSERT INTO publication_tags (publication_id, tag) VALUES ($1, $2)")
            .bind(&publication)
            .bind(tag)
            .execute(&mut *tx)
            .await
            .expect("publication tag");
    }
    tx.commit().await.expect("commit");
    project
}

fn gost_kind(kind: RecordKind) -> SourceKind {
    match kind {
        RecordKind::Article => SourceKind::Article,
        RecordKind::Web => SourceKind::WebResource,
        _ => SourceKind::PrintedBook,
    }
}

/// A source of `showcase/sources.txt`: its record, kind and access date (day, month, year).
type Listed = (CatalogRecord, RecordKind, Option<(u8, u8, u16)>);

/// The 12 books, 4 articles and 4 web pages of `showcase/sources.txt`, as catalogue records.
fn sources() -> Vec<Listed> {
    let text = |field: &str| (!field.is_empty()).then(|| field.to_owned());
    let number = |field: &str| field.parse::<i32>().expect("a year");
    SOURCES
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let f: Vec<&str> = line.split(" | ").map(str::trim).collect();
            let authors = |family: &str, given: &str| -> Vec<Person> {
                text(family)
                    .map(|family| Person {
                        family,
                        given: given.to_owned(),
                    })
                    .into_iter()
                    .collect()
            };
            match f[..] {
                ["book", family, given, title, other, place, publisher, year, extent] => (
                    CatalogRecord {
                        authors: authors(family, given),
                        title: title.to_owned(),
                        other_title: text(other),
                        places: vec![place.to_owned()],
                        publishers: vec![publisher.to_owned()],
                        date: text(year),
                        year: Some(number(year)),
                        extent: text(extent),
                        language: Some("rus".to_owned()),
                        type_of_record: Some('a'),
                        ..CatalogRecord::default()
                    },
                    RecordKind::PrintedBook,
                    None,
                ),
                ["article", family, given, title, journal, year, issue, pages] => (
                    CatalogRecord {
                        authors: authors(family, given),
                        title: title.to_owned(),
                        date: text(year),
                        year: Some(number(year)),
                        language: Some("rus".to_owned()),
                        host: Some(HostItem {
                            title: journal.to_owned(),
                            year: Some(number(year)),
                            issue: text(issue),
                            pages: text(pages),
                            ..HostItem::default()
                        }),
                        ..CatalogRecord::default()
                    },
                    RecordKind::Article,
                    None,
                ),
                ["web", title, other, url, year, accessed] => {
                    let date: Vec<u16> = accessed
                        .split('-')
                        .map(|n| n.parse().expect("YYYY-MM-DD"))
                        .collect();
                    let [y, m, d] = date[..] else {
                        panic!("{accessed}: YYYY-MM-DD")
                    };
                    (
                        CatalogRecord {
                            title: title.to_owned(),
                            other_title: text(other),
                            url: text(url),
                            date: text(year),
                            year: Some(number(year)),
                            electronic: true,
                            language: Some("rus".to_owned()),
                            ..CatalogRecord::default()
                        },
                        RecordKind::Web,
                        Some((d as u8, m as u8, y)),
                    )
                }
                _ => panic!("not a source line: {line}"),
            }
        })
        .collect()
}

/// A response's body as sent, and its `Content-Encoding`.
async fn fetch(served: &Served, path: &str, encoding: Option<&str>) -> (Vec<u8>, String) {
    let mut request = served.client.get(format!("{}{path}", served.base));
    if let Some(encoding) = encoding {
        request = request.header(reqwest::header::ACCEPT_ENCODING, encoding);
    }
    let response = request.send().await.expect("get");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let sent = response
        .headers()
        .get(reqwest::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .to_owned();
    (response.bytes().await.expect("body").to_vec(), sent)
}

/// Sizes of the page and its stylesheet as sent with each encoding, and what the page must
/// (and must not) carry. Panics over the budget.
fn check_weight(runtime: &tokio::runtime::Runtime, served: &Served, path: &str) {
    let (html, _) = runtime.block_on(fetch(served, path, None));
    let html = String::from_utf8(html).expect("UTF-8");
    for needle in [
        "id=\"page-vvedenie\"",
        "id=\"page-zaklyuchenie\"",
        "Анна Л., 8А",
        "Гончаров, И. А.",
        "Мы благодарим сотрудников районного музея",
    ] {
        assert!(html.contains(needle), "the page shows {needle}");
    }
    assert_eq!(html.matches("id=\"page-").count(), 10, "10 pages shown");
    assert_eq!(
        html.matches("class=\"gost-entry\"").count(),
        20,
        "20 sources"
    );
    assert_eq!(
        html.matches(ONCE).count(),
        1,
        "the page's text is sent once (not again as resource data)"
    );
    assert!(
        !html.contains("<script src") && !html.contains(".wasm") && !html.contains("modulepreload"),
        "no script to load: the page reads without JavaScript"
    );
    let inline_scripts: usize = html
        .split("<script")
        .skip(1)
        .map(|s| {
            s.split_once("</script>")
                .map_or(s.len(), |(body, _)| body.len())
        })
        .sum();
    let stylesheets: Vec<String> = html
        .split("<link")
        .skip(1)
        .filter(|link| link.contains("stylesheet"))
        .filter_map(|link| link.split("href=\"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    assert_eq!(stylesheets.len(), 1, "one stylesheet: {stylesheets:?}");
    let css = runtime
        .block_on(fetch(served, &stylesheets[0], None))
        .0
        .len();
    eprintln!(
        "GET {path}: HTML {} B raw; {} <script> element(s) inline, {inline_scripts} B in all",
        html.len(),
        html.matches("<script").count()
    );
    eprintln!(
        "  stylesheet {}: {css} B raw (unminified source)",
        stylesheets[0]
    );
    for encoding in ["gzip", "br"] {
        let (page, sent) = runtime.block_on(fetch(served, path, Some(encoding)));
        assert_eq!(sent, encoding, "the server compresses HTML with {encoding}");
        let (style, sent) = runtime.block_on(fetch(served, &stylesheets[0], Some(encoding)));
        assert_eq!(sent, encoding, "the server compresses CSS with {encoding}");
        let total = page.len() + style.len();
        eprintln!(
            "  {encoding}: HTML {} B + CSS {} B = {total} B (budget {BUDGET_BYTES} B)",
            page.len(),
            style.len()
        );
        assert!(
            total < BUDGET_BYTES,
            "{path} with {encoding}: {total} B, over the budget of {BUDGET_BYTES} B"
        );
    }
}

fn showcase(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let served = runtime.block_on(serve(&runtime));
    let path = format!("/p/{}", served.project);
    check_weight(&runtime, &served, &path);
    let mut group = c.benchmark_group("published project (10 000 projects)");
    group.measurement_time(Duration::from_secs(10));
    for encoding in [None, Some("br"), Some("gzip")] {
        let name = format!(
            "GET /p/{{id}}, 10 pages, 20 sources, visitor, {}",
            encoding.unwrap_or("identity")
        );
        group.bench_function(name, |b| {
            b.iter(|| black_box(runtime.block_on(fetch(&served, &path, encoding)).0.len()))
        });
    }
    group.finish();
}

criterion_group!(benches, showcase);
criterion_main!(benches);
