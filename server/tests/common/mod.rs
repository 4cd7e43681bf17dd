//! Starts the real router on port 0 with a fresh temporary database.
//!
//! Every test server runs on one shared runtime that lives as long as the test binary: Leptos
//! keeps process-wide state (its executor, lazily started tasks), and tying that to the runtime of
//! whichever test happened to start it first would hang the others when that test ends.

// Each test file uses the helpers it needs.
#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use server::config::Config;
use server::startup;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub pool: app::db::Pool,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }
}

/// The demo district, as `make run` creates it.
pub async fn spawn_demo() -> TestApp {
    spawn(true, None).await
}

/// An empty, migrated database.
pub async fn spawn_empty() -> TestApp {
    spawn(false, None).await
}

/// The password of every demo account in tests.
pub const DEMO_PASSWORD: &str = "demo-password-for-tests";

/// Its hash, computed once per test binary (Argon2id is slow on purpose).
async fn demo_password_hash() -> &'static str {
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    HASH.get_or_init(|| async {
        app::demo::password_hash(DEMO_PASSWORD)
            .await
            .expect("demo hash")
    })
    .await
}

fn server_runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("server runtime")
    })
}

/// The configuration of a test server: its data in `data_dir`, its assets in `site_root`.
pub fn config(data_dir: &Path, site_root: Option<&Path>) -> Config {
    let data_dir = data_dir.to_string_lossy().into_owned();
    let site_root = site_root.map(|p| p.to_string_lossy().into_owned());
    Config::from_lookup(|name| match name {
        "LIBFOLIO_DATA_DIR" => Some(data_dir.clone()),
        "LIBFOLIO_ADDR" => Some("127.0.0.1:0".to_owned()),
        "LIBFOLIO_SITE_ROOT" => site_root.clone(),
        _ => None,
    })
    .expect("test config")
}

pub async fn spawn(seed: bool, site_root: Option<&Path>) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(dir.path(), site_root);
    let (ready, started) = tokio::sync::oneshot::channel();
    server_runtime().spawn(async move {
        let pool = startup::open_database(&config).await.expect("database");
        if seed {
            app::demo::seed_if_empty(&pool, demo_password_hash().await)
                .await
                .expect("demo");
        }
        let router = startup::build_router(
            startup::app_state(&config, pool.clone()),
            config.max_body_bytes,
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let _ = ready.send((addr, pool));
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    let (addr, pool) = started.await.expect("test server started");
    // A request that hangs fails its test in seconds instead of holding CI until its deadline.
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        base: format!("http://{addr}"),
        client,
        pool,
        _dir: dir,
    }
}

/// The id of a demo account.
pub async fn user_id(app: &TestApp, username: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&app.pool)
        .await
        .expect(username)
}

/// A session cookie for a demo account, made directly (no sign-in form).
pub async fn session(app: &TestApp, username: &str) -> String {
    let id = user_id(app, username).await;
    let token = app::accounts::session::start(&app.pool, &id)
        .await
        .expect("session");
    format!("{}={token}", app::accounts::session::COOKIE)
}

/// A form post as a browser makes it without JavaScript, coming from `referer` (a path).
pub async fn post_form(
    app: &TestApp,
    path: &str,
    cookie: &str,
    referer: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header(reqwest::header::ACCEPT, "text/html")
        .header(reqwest::header::REFERER, app.url(referer))
        .header("sec-fetch-site", "same-origin")
        .header(reqwest::header::COOKIE, cookie)
        .form(form)
        .send()
        .await
        .expect("post")
}

/// Where a response redirects to.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A page as a signed-in person sees it: (status, body without the `<!>` markers that
/// Leptos leaves between pieces of text for hydration).
pub async fn page_as(app: &TestApp, path: &str, cookie: &str) -> (u16, String) {
    let response = app
        .client
        .get(app.url(path))
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .expect("get");
    let status = response.status().as_u16();
    let body = response.text().await.expect("body");
    (status, body.replace("<!>", ""))
}

/// The error a no-JavaScript form post was sent back with (`__err`, base64 JSON), or "".
pub fn form_error_in(location: &str) -> String {
    use base64::Engine;
    let Some(encoded) = location.split("__err=").nth(1) else {
        return String::new();
    };
    let encoded = encoded
        .split('&')
        .next()
        .unwrap_or_default()
        .replace("%3D", "=");
    let bytes = base64::engine::general_purpose::URL_SAFE
        .decode(&encoded)
        .or_else(|_| base64::engine::general_purpose::STANDARD.decode(&encoded))
        .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

// -----------------------------------------------------------------------------------------
// Helpers the showcase, initiative and search tests share

/// Posts a form as a browser without JavaScript does; returns where it was sent.
pub async fn post(
    app: &TestApp,
    cookie: &str,
    referer: &str,
    path: &str,
    form: &[(&str, &str)],
) -> String {
    location(&post_form(app, path, cookie, referer, form).await)
}

/// The number a `SELECT COUNT(*)` returns.
pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

/// The id of the project with this title.
pub async fn project_id(app: &TestApp, title: &str) -> String {
    sqlx::query_scalar("SELECT id FROM projects WHERE title = $1")
        .bind(title)
        .fetch_one(&app.pool)
        .await
        .expect(title)
}

/// The part of `body` from `start` up to the first `end` after it ("" if `start` is absent).
pub fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let Some(from) = body.find(start) else {
        return "";
    };
    let rest = &body[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// Every `/p/…` address linked from an HTML page.
pub fn publication_links(page: &str) -> Vec<String> {
    page.split("href=\"/p/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|id| format!("/p/{id}"))
        .collect()
}

/// Every element of `text` closes and nests: the document is well-formed XML. Returns the
/// root element's name and every `href` and `loc`.
pub fn well_formed(text: &str) -> (String, Vec<String>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut root = String::new();
    let mut depth = 0usize;
    let mut addresses = Vec::new();
    let mut in_loc = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let name = e.name().as_ref().to_owned();
                if depth == 0 {
                    root = name.clone();
                }
                in_loc = name == "loc";
                depth += 1;
            }
            Event::Empty(e) => {
                for attr in e.attributes() {
                    let attr = attr.expect("an attribute");
                    if attr.key.as_ref() == "href" {
                        addresses.push(attr.value.to_string());
                    }
                }
            }
            Event::Text(t) if in_loc => {
                addresses.push(t.to_string());
            }
            Event::End(_) => {
                depth -= 1;
                in_loc = false;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "every element closes");
    (root, addresses)
}

/// (status, content type, body) of a plain GET.
pub async fn get_text(app: &TestApp, path: &str) -> (u16, String, String) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, kind, response.text().await.expect("body"))
}
