//! Serving a project page from the database: the real router over TCP, a signed-in pupil, a
//! demo page with a table and footnotes. Viewing reads the HTML stored at save time; nothing
//! is rendered per view. Run with `cargo bench -p server --bench project_page`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use server::config::Config;
use server::startup;

struct Served {
    url: String,
    cookie: String,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn serve(runtime: &tokio::runtime::Runtime) -> Served {
    let dir = tempfile::tempdir().expect("temp dir");
    let data_dir = dir.path().to_string_lossy().into_owned();
    let config = Config::from_lookup(|name| match name {
        "LIBFOLIO_DATA_DIR" => Some(data_dir.clone()),
        "LIBFOLIO_ADDR" => Some("127.0.0.1:0".to_owned()),
        _ => None,
    })
    .expect("config");
    let pool = startup::open_database(&config).await.expect("database");
    let hash = app::demo::password_hash("bench-password")
        .await
        .expect("hash");
    app::demo::seed_if_empty(&pool, &hash).await.expect("demo");
    let (project, slug): (String, String) = sqlx::query_as(
        "SELECT p.id, g.slug FROM projects p JOIN pages g ON g.project_id = p.id \
         WHERE p.title = 'Маяки Татарского пролива' AND g.slug = 'istoriya'",
    )
    .fetch_one(&pool)
    .await
    .expect("demo page");
    let pupil: String = sqlx::query_scalar("SELECT id FROM users WHERE username = 'zaitsev.d'")
        .fetch_one(&pool)
        .await
        .expect("pupil");
    let token = app::accounts::session::start(&pool, &pupil)
        .await
        .expect("session");
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
        url: format!("http://{addr}/projects/{project}/pages/{slug}"),
        cookie: format!("{}={token}", app::accounts::session::COOKIE),
        client: reqwest::Client::new(),
        _dir: dir,
    }
}

fn project_page(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let served = runtime.block_on(serve(&runtime));
    let fetch = || async {
        let response = served
            .client
            .get(&served.url)
            .header(reqwest::header::COOKIE, &served.cookie)
            .send()
            .await
            .expect("get");
        assert_eq!(response.status().as_u16(), 200);
        response.bytes().await.expect("body").len()
    };
    assert!(runtime.block_on(fetch()) > 1000, "the page is served");
    let mut group = c.benchmark_group("project page");
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("GET a project page (signed-in pupil)", |b| {
        b.iter(|| black_box(runtime.block_on(fetch())))
    });
    group.finish();
}

criterion_group!(benches, project_page);
criterion_main!(benches);
