//! The app shell through the real router: health, home, school pages, 404 and 500, language
//! and view switches, security headers, refused cross-site posts, body limits, caching.

mod common;

use common::{config, spawn, spawn_demo, spawn_empty};
use reqwest::header;

#[tokio::test]
async fn health_answers_while_the_database_answers() {
    let app = spawn_empty().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.expect("body"), "ok");

    app.pool.close().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 503);
}

#[tokio::test]
async fn the_home_page_shows_the_district_and_its_six_schools_in_russian() {
    let app = spawn_demo().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html")));
    let body = response.text().await.expect("body");
    assert!(body.contains(r#"lang="ru""#), "Russian by default");
    assert!(body.contains("Советско-Гаванский муниципальный район"));
    for school in [
        "МБОУ СОШ № 1",
        "МБОУ «Гимназия № 3»",
        "МБОУ СОШ № 5",
        "МБОУ СОШ № 7",
        "МБОУ СОШ № 12",
        "МБОУ СОШ № 16",
    ] {
        assert!(body.contains(school), "{school} is listed");
    }
    assert!(body.contains("6 школ"));
    assert!(body.contains("<title>Главная — Libfolio</title>"));
    // Numbers in names sort as numbers: № 5 before № 12.
    let five = body.find("МБОУ СОШ № 5").expect("5");
    let twelve = body.find("МБОУ СОШ № 12").expect("12");
    assert!(five < twelve);
}

#[tokio::test]
async fn an_empty_database_says_the_district_is_not_set_up() {
    let app = spawn_empty().await;
    let body = app.get("/").await.text().await.expect("body");
    assert!(body.contains("Район ещё не настроен"));
}

#[tokio::test]
async fn a_school_page_shows_the_school_and_the_date_in_russian() {
    let app = spawn_demo().await;
    let response = app.get("/schools/sosh-7").await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.expect("body");
    assert!(body.contains("МБОУ СОШ № 7"));
    assert!(body.contains("р. п. Заветы Ильича"));
    assert!(body.contains("ИБЦ «Открытие»"));
    let months = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ];
    assert!(
        months.iter().any(|m| body.contains(&format!(" {m} 20")))
            // `<!>` marks where hydration splits text nodes.
            && body.replace("<!>", "").contains(" г.</time>"),
        "a date like «28 ноября 2026 г.»"
    );
    let list = app.get("/schools").await;
    assert_eq!(list.status(), 200);
    assert!(list
        .text()
        .await
        .expect("body")
        .contains("/schools/sosh-16"));
}

#[tokio::test]
async fn unknown_addresses_get_a_real_404_page() {
    let app = spawn_demo().await;
    for path in [
        "/no/such/page",
        "/schools/no-such-school",
        "/schools/Bad%20Slug",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let body = response.text().await.expect("body");
        assert!(body.contains("Страница не найдена"), "{path}");
        assert!(
            body.contains("Советско-Гаванский"),
            "{path}: the page has the usual header"
        );
    }
}

#[tokio::test]
async fn an_internal_error_shows_a_generic_message_and_no_details() {
    let app = spawn_demo().await;
    sqlx::query("DROP TABLE schools")
        .execute(&app.pool)
        .await
        .expect("drop");
    let response = app.get("/").await;
    assert_eq!(response.status(), 500);
    let body = response.text().await.expect("body");
    assert!(body.contains("Что-то пошло не так"));
    assert!(!body.to_lowercase().contains("no such table"));
    assert!(!body.contains("SELECT"));
}

#[tokio::test]
async fn english_is_chosen_from_accept_language() {
    let app = spawn_demo().await;
    let response = app
        .client
        .get(app.url("/"))
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9,ru;q=0.5")
        .send()
        .await
        .expect("request");
    let body = response.text().await.expect("body");
    assert!(body.contains(r#"lang="en""#));
    assert!(body.contains("6 schools"));
    assert!(body.contains("<title>Home — Libfolio</title>"));
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_and_returns_to_the_page() {
    let app = spawn_demo().await;
    let response = app
        .client
        .post(app.url("/prefs/lang"))
        .form(&[("lang", "en"), ("back", "/schools/sosh-1")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()[header::LOCATION], "/schools/sosh-1");
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(cookie.starts_with("i18n_pref_locale=en;"), "{cookie}");
    assert!(cookie.contains("Path=/") && cookie.contains("SameSite=Lax"));

    let page = app
        .client
        .get(app.url("/schools/sosh-1"))
        .header(header::COOKIE, "i18n_pref_locale=en")
        .header(header::ACCEPT_LANGUAGE, "ru-RU")
        .send()
        .await
        .expect("get");
    let body = page.text().await.expect("body");
    assert!(
        body.contains(r#"lang="en""#),
        "the cookie wins over Accept-Language"
    );
    assert!(body.contains("On Libfolio since"));
}

#[tokio::test]
async fn the_switches_never_redirect_off_the_site_and_refuse_nonsense() {
    let app = spawn_demo().await;
    for back in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let response = app
            .client
            .post(app.url("/prefs/view"))
            .form(&[("view", "a11y"), ("back", back)])
            .send()
            .await
            .expect("post");
        assert_eq!(response.headers()[header::LOCATION], "/", "{back}");
    }
    let response = app
        .client
        .post(app.url("/prefs/lang"))
        .form(&[("lang", "fr"), ("back", "/")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 400);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn the_version_for_the_visually_impaired_is_kept_in_a_cookie() {
    let app = spawn_demo().await;
    let response = app
        .client
        .post(app.url("/prefs/view"))
        .form(&[("view", "a11y"), ("back", "/schools")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(cookie.starts_with("libfolio_view=a11y;"), "{cookie}");

    let with = app
        .client
        .get(app.url("/schools"))
        .header(header::COOKIE, "libfolio_view=a11y")
        .send()
        .await
        .expect("get");
    let body = with.text().await.expect("body");
    assert!(body.contains(r#"class="a11y""#));
    assert!(body.contains("Обычная версия"));
    let without = app.get("/schools").await.text().await.expect("body");
    assert!(!without.contains(r#"class="a11y""#));
    assert!(without.contains("Версия для слабовидящих"));
}

#[tokio::test]
async fn pages_carry_a_nonce_based_content_security_policy() {
    let app = spawn_demo().await;
    let response = app.get("/").await;
    let headers = response.headers().clone();
    let csp = headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(csp.contains("'strict-dynamic'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in script-src")
        .to_owned();
    assert!(nonce.len() >= 16);
    let body = response.text().await.expect("body");
    assert!(
        body.contains(&format!(r#"nonce="{nonce}""#)),
        "scripts carry the header's nonce"
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        headers[header::REFERRER_POLICY],
        "strict-origin-when-cross-origin"
    );
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(headers[header::CACHE_CONTROL], "private, no-cache");
    let vary: Vec<_> = headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        vary.iter()
            .any(|v| v.contains("Accept-Language") && v.contains("Cookie")),
        "{vary:?}"
    );

    // A fresh nonce for every response.
    let again = app.get("/").await;
    let csp_again = again.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("csp")
        .to_owned();
    assert_ne!(csp, csp_again);
}

#[tokio::test]
async fn published_documents_are_sent_without_hydration_scripts() {
    let app = spawn_demo().await;
    let home = app.get("/").await.text().await.expect("body");
    assert!(home.contains("modulepreload"), "working pages hydrate");
    let project: String = sqlx::query_scalar(
        "SELECT project_id FROM publications WHERE audience = 'public' \
         AND unpublished_at IS NULL AND title LIKE '%Ямбуя%'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("a public demo publication");
    for path in [format!("/p/{project}"), format!("/p/{project}/print")] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp")
            .to_owned();
        assert!(csp.contains("'nonce-"), "{path}: {csp}");
        let body = response.text().await.expect("body");
        assert!(
            body.contains("Злой дух Ямбуя"),
            "{path}: the publication is shown"
        );
        for script in ["modulepreload", ".wasm", "<script src"] {
            assert!(!body.contains(script), "{path}: {script}");
        }
        // The page's data is not serialized a second time for a hydration that never comes.
        assert_eq!(body.matches("Улукиткане").count(), 1, "{path}");
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = spawn_demo().await;
    let attempts = [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", "https://evil.example")],
    ];
    for headers in attempts {
        let mut request = app
            .client
            .post(app.url("/prefs/lang"))
            .form(&[("lang", "en"), ("back", "/")]);
        for (k, v) in &headers {
            request = request.header(*k, *v);
        }
        let response = request.send().await.expect("post");
        assert_eq!(response.status(), 403, "{headers:?}");
        assert!(response.headers().get(header::SET_COOKIE).is_none());
        assert!(response
            .text()
            .await
            .expect("body")
            .contains("другого сайта"));
    }
    // Server functions are protected the same way.
    let response = app
        .client
        .post(app.url("/api/load_home"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 403);
    // The same site may post.
    let response = app
        .client
        .post(app.url("/prefs/lang"))
        .header("sec-fetch-site", "same-origin")
        .header("origin", app.base.clone())
        .form(&[("lang", "en"), ("back", "/")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_reading() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_demo().await;
    // Announce 3 MiB and send none of it: the answer must come from the headers alone.
    let addr = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /prefs/lang HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nCookie: i18n_pref_locale=ru\r\nConnection: close\r\n\r\n",
        3 * 1024 * 1024
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await;
    assert!(read.is_ok(), "answered without waiting for the body");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("слишком велики"), "{answer}");
}

#[tokio::test]
async fn responses_are_compressed_and_hashed_assets_cached_for_a_year() {
    let site = tempfile::tempdir().expect("site");
    std::fs::create_dir_all(site.path().join("pkg")).expect("pkg");
    std::fs::write(
        site.path().join("pkg/libfolio.0123abcd.css"),
        "body{}".repeat(500),
    )
    .expect("css");
    let app = spawn(true, Some(site.path())).await;

    let page = app
        .client
        .get(app.url("/"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .expect("get");
    assert_eq!(page.headers()[header::CONTENT_ENCODING], "gzip");

    let asset = app.get("/pkg/libfolio.0123abcd.css").await;
    assert_eq!(asset.status(), 200);
    assert_eq!(
        asset.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(asset.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}

/// Rendering a page leaves its root reactive owner as the worker thread's current owner (Leptos's
/// `Owner::new_root`). A static file served next on that thread must not take the headers the page
/// has pending: before `server::reactive`, the page's nonce policy went out on the file now and
/// then and the page got the fallback policy, so the browser blocked its scripts.
#[tokio::test(flavor = "current_thread")]
async fn a_static_file_never_takes_the_headers_of_a_page_rendered_on_the_same_thread() {
    use axum::body::Body;
    use leptos::prelude::{provide_context, Owner};
    use tower::ServiceExt;

    let site = tempfile::tempdir().expect("site");
    std::fs::write(site.path().join("favicon.svg"), "<svg/>").expect("favicon");
    let data = tempfile::tempdir().expect("data");
    let config = config(data.path(), Some(site.path()));
    let pool = server::startup::open_database(&config)
        .await
        .expect("database");
    let router = server::startup::build_router(
        server::startup::app_state(&config, pool),
        config.max_body_bytes,
    );

    // What a page being rendered on this thread leaves behind.
    let page = Owner::new_root(None);
    let pending = leptos_axum::ResponseOptions::default();
    pending.insert_header(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("script-src 'nonce-of-the-page'"),
    );
    provide_context(pending.clone());

    let request = axum::http::Request::get("/favicon.svg")
        .body(Body::empty())
        .expect("request");
    let response = router.oneshot(request).await.expect("response");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[header::CONTENT_SECURITY_POLICY],
        server::security::FALLBACK_CSP,
        "the file took the page's policy"
    );
    assert!(
        pending
            .0
            .read()
            .expect("lock")
            .headers
            .contains_key(header::CONTENT_SECURITY_POLICY),
        "the page lost its policy"
    );
    drop(page);
}
