//! The authorization matrix: every registered server function, called by every kind of person,
//! is allowed or refused exactly as the table below says. A server function missing from the
//! table fails the test, so a new one cannot be added without deciding who may call it.
//!
//! "Allowed" means the policy let the call through: it may still fail on its arguments (most
//! calls here carry deliberately invalid ones, so that nothing changes). "Refused" means the
//! answer was `Unauthorized` (a visitor) or `Forbidden` (signed in, but not allowed).

mod common;

use std::collections::BTreeSet;

use app::error::AppError;
use common::{spawn_demo, TestApp};
use reqwest::header;

/// Who calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Pupil,
    Parent,
    Supervisor,
    /// Librarian of the school the objects belong to (СОШ № 1).
    Librarian,
    /// Librarian of another school (Гимназия № 3).
    OtherLibrarian,
    Coordinator,
    Admin,
}

const EVERYONE: &[Who] = &[
    Who::Anonymous,
    Who::Pupil,
    Who::Parent,
    Who::Supervisor,
    Who::Librarian,
    Who::OtherLibrarian,
    Who::Coordinator,
    Who::Admin,
];
const SIGNED_IN: &[Who] = &[
    Who::Pupil,
    Who::Parent,
    Who::Supervisor,
    Who::Librarian,
    Who::OtherLibrarian,
    Who::Coordinator,
    Who::Admin,
];
const ANY_STAFF_OFFICE: &[Who] = &[
    Who::Librarian,
    Who::OtherLibrarian,
    Who::Coordinator,
    Who::Admin,
];
const DISTRICT_OFFICE: &[Who] = &[Who::Coordinator, Who::Admin];
const THIS_SCHOOL_OFFICE: &[Who] = &[Who::Librarian, Who::Coordinator, Who::Admin];
const GROWN_UPS: &[Who] = &[
    Who::Parent,
    Who::Supervisor,
    Who::Librarian,
    Who::OtherLibrarian,
    Who::Coordinator,
    Who::Admin,
];

/// The objects the calls are about, all in СОШ № 1.
struct Objects {
    class_id: String,
    /// A pupil who never calls (a password reset ends their sessions).
    other_pupil_id: String,
    pupil_id: String,
    consent_id: String,
    invite_id: String,
    import_id: String,
    year: i32,
}

/// What a call sends.
enum Body {
    Form(Vec<(&'static str, String)>),
    Multipart(Vec<(&'static str, String)>),
}

/// Every server function: its name, who may call it, and the arguments to call it with.
fn matrix(o: &Objects) -> Vec<(&'static str, &'static [Who], Body)> {
    use Body::{Form, Multipart};
    let s = |v: &str| v.to_owned();
    vec![
        ("load_district", EVERYONE, Form(vec![])),
        ("load_home", EVERYONE, Form(vec![])),
        ("load_school", EVERYONE, Form(vec![("slug", s("sosh-1"))])),
        ("who_am_i", EVERYONE, Form(vec![])),
        (
            "login",
            EVERYONE,
            Form(vec![("username", s("nobody")), ("password", s("x"))]),
        ),
        ("logout", EVERYONE, Form(vec![])),
        ("setup_status", EVERYONE, Form(vec![])),
        (
            "complete_setup",
            &[Who::Anonymous],
            Form(vec![
                ("token", s("x")),
                ("username", s("")),
                ("display_name", s("")),
                ("password", s("")),
                ("confirm", s("")),
            ]),
        ),
        (
            "change_password",
            SIGNED_IN,
            Form(vec![
                ("current", s("")),
                ("new_password", s("")),
                ("confirm", s("")),
            ]),
        ),
        ("manage_overview", ANY_STAFF_OFFICE, Form(vec![])),
        (
            "load_school_form",
            DISTRICT_OFFICE,
            Form(vec![("slug", s("sosh-1"))]),
        ),
        (
            "save_school",
            DISTRICT_OFFICE,
            Form(vec![
                ("current", s("sosh-1")),
                ("school[slug]", s("")),
                ("school[name]", s("")),
                ("school[short_name]", s("")),
                ("school[town]", s("")),
                ("school[ibc_name]", s("")),
                ("school[address]", s("")),
                ("school[description]", s("")),
            ]),
        ),
        (
            "load_school_people",
            THIS_SCHOOL_OFFICE,
            Form(vec![("slug", s("sosh-1"))]),
        ),
        (
            "create_class",
            THIS_SCHOOL_OFFICE,
            Form(vec![
                ("slug", s("sosh-1")),
                ("year", o.year.to_string()),
                ("name", s("")),
            ]),
        ),
        (
            "promote_year",
            THIS_SCHOOL_OFFICE,
            Form(vec![("slug", s("sosh-1")), ("year", s("1999"))]),
        ),
        (
            "create_staff",
            THIS_SCHOOL_OFFICE,
            Form(vec![
                ("slug", s("sosh-1")),
                ("display_name", s("")),
                ("username", s("")),
                ("role", s("supervisor")),
            ]),
        ),
        (
            "reset_password",
            THIS_SCHOOL_OFFICE,
            Form(vec![("user_id", o.other_pupil_id.clone())]),
        ),
        (
            "search_pupils",
            THIS_SCHOOL_OFFICE,
            Form(vec![("slug", s("sosh-1")), ("q", s("ив"))]),
        ),
        (
            "load_class",
            THIS_SCHOOL_OFFICE,
            Form(vec![("id", o.class_id.clone())]),
        ),
        (
            "add_pupil",
            THIS_SCHOOL_OFFICE,
            Form(vec![
                ("class_id", o.class_id.clone()),
                ("surname", s("")),
                ("first_name", s("")),
            ]),
        ),
        (
            "upload_roster",
            THIS_SCHOOL_OFFICE,
            Multipart(vec![("slug", s("sosh-1")), ("year", o.year.to_string())]),
        ),
        (
            "load_import",
            THIS_SCHOOL_OFFICE,
            Form(vec![("id", o.import_id.clone())]),
        ),
        (
            "confirm_import",
            THIS_SCHOOL_OFFICE,
            Form(vec![("id", o.import_id.clone())]),
        ),
        (
            "cancel_import",
            THIS_SCHOOL_OFFICE,
            Form(vec![("id", o.import_id.clone())]),
        ),
        (
            "load_cards",
            THIS_SCHOOL_OFFICE,
            Form(vec![("id", o.import_id.clone())]),
        ),
        (
            "forget_cards",
            THIS_SCHOOL_OFFICE,
            Form(vec![("id", o.import_id.clone())]),
        ),
        (
            "load_pupil",
            THIS_SCHOOL_OFFICE,
            Form(vec![("id", o.pupil_id.clone())]),
        ),
        (
            "record_consent",
            THIS_SCHOOL_OFFICE,
            Form(vec![
                ("pupil_id", o.pupil_id.clone()),
                ("kind", s("")),
                ("given_on", s("")),
                ("note", s("")),
            ]),
        ),
        (
            "withdraw_consent",
            THIS_SCHOOL_OFFICE,
            Form(vec![("id", o.consent_id.clone())]),
        ),
        (
            "create_invite",
            THIS_SCHOOL_OFFICE,
            Form(vec![("pupil_id", o.pupil_id.clone()), ("days", s("0"))]),
        ),
        (
            "revoke_invite",
            THIS_SCHOOL_OFFICE,
            Form(vec![("id", o.invite_id.clone())]),
        ),
        (
            "register_parent",
            &[Who::Anonymous],
            Form(vec![
                ("code", s("")),
                ("display_name", s("")),
                ("username", s("")),
                ("password", s("")),
                ("confirm", s("")),
            ]),
        ),
        ("claim_invite", GROWN_UPS, Form(vec![("code", s("bad"))])),
        ("my_family", SIGNED_IN, Form(vec![])),
        ("load_audit", ANY_STAFF_OFFICE, Form(vec![])),
    ]
}

/// The function's name in its path: `/api/load_school12345` → `load_school`.
fn name_of(path: &str) -> &str {
    path.trim_start_matches("/api/")
        .trim_end_matches(|c: char| c.is_ascii_digit())
}

async fn user_id(app: &TestApp, username: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&app.pool)
        .await
        .expect(username)
}

/// A fresh session cookie for the person (a call such as `logout` may end it).
async fn cookie_for(app: &TestApp, who: Who) -> Option<String> {
    let username = match who {
        Who::Anonymous => return None,
        Who::Pupil => "ivanova.m",
        Who::Parent => "roditel.ivanova",
        Who::Supervisor => "uchitel.sosh1",
        Who::Librarian => "bibl.sosh1",
        Who::OtherLibrarian => "bibl.gim3",
        Who::Coordinator => "metodist",
        Who::Admin => "admin",
    };
    let id = user_id(app, username).await;
    let token = app::accounts::session::start(&app.pool, &id)
        .await
        .expect("session");
    Some(format!("{}={token}", app::accounts::session::COOKIE))
}

async fn objects(app: &TestApp) -> Objects {
    let pool = &app.pool;
    let pupil_id = user_id(app, "ivanova.m").await;
    let (class_id, year): (String, i64) =
        sqlx::query_as("SELECT class_id, academic_year FROM class_members WHERE pupil_id = $1")
            .bind(&pupil_id)
            .fetch_one(pool)
            .await
            .expect("class");
    let consent_id: String = sqlx::query_scalar("SELECT id FROM consents WHERE pupil_id = $1")
        .bind(&pupil_id)
        .fetch_one(pool)
        .await
        .expect("consent");
    let school: String = sqlx::query_scalar("SELECT id FROM schools WHERE slug = 'sosh-1'")
        .fetch_one(pool)
        .await
        .expect("school");
    let librarian = user_id(app, "bibl.sosh1").await;
    let invite_id = app::people::db::insert_invite(
        pool,
        "TEST-CODE",
        "matrix-test-hash",
        &pupil_id,
        &librarian,
        "2999-01-01T00:00:00Z",
    )
    .await
    .expect("invite");
    // A cancelled import: looking at it is allowed, acting on it changes nothing.
    let import_id = app::people::db::insert_import(
        pool,
        app::people::db::NewImport {
            school_id: &school,
            created_by: &librarian,
            academic_year: year as i32,
            file_name: "matrix.csv",
            status: app::people::ImportStatus::Cancelled,
            rows_json: "[]",
            problems_json: "[[],null]",
        },
    )
    .await
    .expect("import");
    Objects {
        other_pupil_id: user_id(app, "kim.s").await,
        class_id,
        pupil_id,
        consent_id,
        invite_id,
        import_id,
        year: year as i32,
    }
}

async fn call(app: &TestApp, path: &str, body: &Body, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request = match body {
        Body::Form(fields) => request.form(fields),
        Body::Multipart(fields) => {
            let boundary = "libfolio-matrix-boundary";
            let mut text = String::new();
            for (name, value) in fields {
                text.push_str(&format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                ));
            }
            text.push_str(&format!("--{boundary}--\r\n"));
            request
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(text)
        }
    };
    request.send().await.expect("call")
}

/// Whether the answer says the caller was refused (and how).
async fn refusal(response: reqwest::Response) -> Option<AppError> {
    if response.status().is_success() || response.status().is_redirection() {
        return None;
    }
    let text = response.text().await.unwrap_or_default();
    match serde_json::from_str::<AppError>(&text) {
        Ok(error @ (AppError::Unauthorized | AppError::Forbidden)) => Some(error),
        // Arguments that do not even decode never reach the policy: the table must be fixed.
        Ok(AppError::BadRequest) => panic!("arguments that do not decode: {text}"),
        Ok(_) => None,
        Err(_) => panic!("not a server function error: {text}"),
    }
}

#[tokio::test]
async fn every_server_function_is_in_the_matrix_and_obeys_it() {
    let app = spawn_demo().await;
    app::accounts::admin::create_admin(&app.pool, "admin", None, "пароль-админа".into())
        .await
        .expect("admin");
    let objects = objects(&app).await;
    let table = matrix(&objects);

    let registered: BTreeSet<(String, String)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| (name_of(path).to_owned(), path.to_owned()))
        .collect();
    let listed: BTreeSet<&str> = table.iter().map(|(name, _, _)| *name).collect();
    let missing: Vec<&str> = registered
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| !listed.contains(name))
        .collect();
    assert!(
        missing.is_empty(),
        "server functions missing from the matrix: {missing:?}"
    );
    let unknown: Vec<&&str> = listed
        .iter()
        .filter(|name| !registered.iter().any(|(n, _)| n == *name))
        .collect();
    assert!(
        unknown.is_empty(),
        "the matrix lists unknown functions: {unknown:?}"
    );

    let mut wrong = Vec::new();
    for (name, allowed, body) in &table {
        let path = &registered
            .iter()
            .find(|(n, _)| n == name)
            .expect("registered")
            .1;
        for who in EVERYONE {
            let cookie = cookie_for(&app, *who).await;
            let response = call(&app, path, body, cookie.as_deref()).await;
            let refused = refusal(response).await;
            let expected = if allowed.contains(who) {
                None
            } else if *who == Who::Anonymous {
                Some(AppError::Unauthorized)
            } else {
                Some(AppError::Forbidden)
            };
            // A visitor refused by a rule that is not about signing in gets Forbidden too.
            let acceptable = refused == expected
                || (*who == Who::Anonymous
                    && expected.is_some()
                    && refused == Some(AppError::Forbidden));
            if !acceptable {
                wrong.push(format!(
                    "{name} as {who:?}: expected {expected:?}, got {refused:?}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
