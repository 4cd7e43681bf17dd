//! Signing in and out through the real router: cookies, rotation, server-side logout, rate
//! limiting, changing one's password.

mod common;

use common::{spawn_demo, TestApp};
use leptos::server_fn::ServerFn;
use reqwest::header;

const PASSWORD: &str = "библиотека-2026";

async fn with_admin() -> TestApp {
    let app = spawn_demo().await;
    app::accounts::admin::create_admin(
        &app.pool,
        "admin",
        Some("Анна Админова"),
        PASSWORD.to_owned(),
    )
    .await
    .expect("admin");
    app
}

/// A form post as a browser without JavaScript makes it.
async fn browser_post(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, app.url("/login"))
        .header("sec-fetch-site", "same-origin")
        .form(form);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.send().await.expect("post")
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("libfolio_session="))
        .map(str::to_owned)
}

fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}

async fn sign_in(app: &TestApp, cookie: Option<&str>) -> String {
    let response = browser_post(
        app,
        app::accounts::api::Login::url(),
        cookie,
        &[
            ("username", "admin"),
            ("password", PASSWORD),
            ("next", "/account"),
        ],
    )
    .await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()[header::LOCATION], "/account");
    cookie_pair(&session_cookie(&response).expect("a session cookie"))
}

async fn account_page(app: &TestApp, cookie: &str) -> String {
    app.client
        .get(app.url("/account"))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body")
}

#[tokio::test]
async fn signing_in_sets_an_http_only_session_cookie() {
    let app = with_admin().await;
    let response = browser_post(
        &app,
        app::accounts::api::Login::url(),
        None,
        &[
            ("username", "Admin"),
            ("password", PASSWORD),
            ("next", "/account"),
        ],
    )
    .await;
    assert_eq!(response.status(), 302);
    let cookie = session_cookie(&response).expect("cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let page = account_page(&app, &cookie_pair(&cookie)).await;
    assert!(page.contains("Анна Админова"));
    assert!(page.contains("Администратор"));
    assert!(page.contains("Выйти"));
}

#[tokio::test]
async fn a_wrong_password_is_refused_without_a_session() {
    let app = with_admin().await;
    let response = browser_post(
        &app,
        app::accounts::api::Login::url(),
        None,
        &[("username", "admin"), ("password", "не тот"), ("next", "/")],
    )
    .await;
    assert_eq!(response.status(), 302, "back to the form with the error");
    let location = response.headers()[header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(
        location.starts_with(&app.url("/login")) || location.starts_with("/login"),
        "{location}"
    );
    assert!(location.contains("__err="), "{location}");
    assert!(session_cookie(&response).is_none());
    // The error page shows the message.
    let target = if location.starts_with("http") {
        location.clone()
    } else {
        app.url(&location)
    };
    let page = app.client.get(target).send().await.expect("get");
    let body = page.text().await.expect("body");
    assert!(
        body.contains("Неверное имя пользователя или пароль"),
        "{body}"
    );
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in_and_the_old_one_ends() {
    let app = with_admin().await;
    let first = sign_in(&app, None).await;
    let second = sign_in(&app, Some(&first)).await;
    assert_ne!(first, second);
    assert!(
        !account_page(&app, &first).await.contains("Анна Админова"),
        "the old session is gone"
    );
    assert!(account_page(&app, &second).await.contains("Анна Админова"));
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = with_admin().await;
    let cookie = sign_in(&app, None).await;
    let response = browser_post(&app, app::accounts::api::Logout::url(), Some(&cookie), &[]).await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()[header::LOCATION], "/");
    let cleared = session_cookie(&response).expect("cookie cleared");
    assert!(cleared.contains("Max-Age=0"));
    // Replaying the old cookie does not bring the session back.
    let page = account_page(&app, &cookie).await;
    assert!(!page.contains("Анна Админова"));
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = with_admin().await;
    for _ in 0..5 {
        let response = app
            .client
            .post(app.url(app::accounts::api::Login::url()))
            .form(&[("username", "admin"), ("password", "guess")])
            .send()
            .await
            .expect("post");
        assert!(response
            .text()
            .await
            .expect("body")
            .contains("WrongCredentials"));
    }
    // Even the right password waits now, and the message says how long.
    let response = app
        .client
        .post(app.url(app::accounts::api::Login::url()))
        .form(&[("username", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert!(session_cookie(&response).is_none());
    let body = response.text().await.expect("body");
    assert!(
        body.contains("TooManyAttempts") && body.contains("\"minutes\":15"),
        "{body}"
    );
    // The table of failures stays small: one row per failed attempt and key.
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(rows, 10);
}

#[tokio::test]
async fn changing_the_password_checks_the_current_one_and_signs_out_elsewhere() {
    let app = with_admin().await;
    let here = sign_in(&app, None).await;
    let elsewhere = sign_in(&app, None).await;
    let url = app::accounts::api::ChangePassword::url();

    let wrong = app
        .client
        .post(app.url(url))
        .header(header::COOKIE, &here)
        .form(&[
            ("current", "не тот"),
            ("new_password", "новый пароль"),
            ("confirm", "новый пароль"),
        ])
        .send()
        .await
        .expect("post");
    assert!(wrong.text().await.expect("body").contains("WrongPassword"));

    let mismatch = app
        .client
        .post(app.url(url))
        .header(header::COOKIE, &here)
        .form(&[
            ("current", PASSWORD),
            ("new_password", "новый пароль"),
            ("confirm", "другой пароль"),
        ])
        .send()
        .await
        .expect("post");
    assert!(mismatch.text().await.expect("body").contains("Mismatch"));

    let ok = browser_post(
        &app,
        url,
        Some(&here),
        &[
            ("current", PASSWORD),
            ("new_password", "новый пароль"),
            ("confirm", "новый пароль"),
        ],
    )
    .await;
    assert_eq!(ok.status(), 302);
    assert_eq!(ok.headers()[header::LOCATION], "/account?changed=1");
    assert!(
        account_page(&app, &here).await.contains("Анна Админова"),
        "this device stays signed in"
    );
    assert!(
        !account_page(&app, &elsewhere)
            .await
            .contains("Анна Админова"),
        "others are signed out"
    );
    let audit: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'change_password'")
            .fetch_one(&app.pool)
            .await
            .expect("count");
    assert_eq!(audit, 1);
}

#[tokio::test]
async fn the_account_page_asks_visitors_to_sign_in() {
    let app = with_admin().await;
    let page = app.get("/account").await;
    assert_eq!(page.status(), 401);
    let body = page.text().await.expect("body");
    assert!(body.contains("войдите"), "{body}");
    assert!(body.contains("/login?next=/account"));
}

#[tokio::test]
async fn the_web_set_up_creates_one_administrator_with_the_logged_token() {
    let app = spawn_demo().await;
    let token = app::accounts::admin::prepare_setup(&app.pool)
        .await
        .expect("prepare")
        .expect("a token while no administrator exists");
    let page = app.get("/setup").await.text().await.expect("body");
    assert!(page.contains("Ключ настройки"), "{page}");
    let url = app::accounts::api::CompleteSetup::url();
    let form = |token: &'static str| {
        [
            ("token", token),
            ("username", "glavnyi"),
            ("display_name", "Главный Администратор"),
            ("password", "надёжный-пароль"),
            ("confirm", "надёжный-пароль"),
        ]
    };
    let wrong = browser_post(&app, url, None, &form("not-the-token")).await;
    let location = wrong.headers()[header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(location.contains("__err="), "{location}");
    assert_eq!(
        app::accounts::db::count_admins(&app.pool)
            .await
            .expect("count"),
        0
    );

    let token: &'static str = Box::leak(token.into_boxed_str());
    let right = browser_post(&app, url, None, &form(token)).await;
    assert_eq!(right.headers()[header::LOCATION], "/account");
    assert!(session_cookie(&right).is_some(), "signed in");
    assert_eq!(
        app::accounts::db::count_admins(&app.pool)
            .await
            .expect("count"),
        1
    );

    // Closed for good: the token is used up and the page says so.
    let again = browser_post(&app, url, None, &form(token)).await;
    let location = again.headers()[header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(location.contains("__err="), "{location}");
    assert_eq!(
        app::accounts::db::count_admins(&app.pool)
            .await
            .expect("count"),
        1
    );
    let page = app.get("/setup").await.text().await.expect("body");
    assert!(page.contains("уже настроен"), "{page}");
    assert!(app::accounts::admin::prepare_setup(&app.pool)
        .await
        .expect("prepare")
        .is_none());
}
