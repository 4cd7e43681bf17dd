//! A school's people through the real router: roster imports (a bad file stores nothing, a good
//! one creates every account once), login cards shown until erased, family invites (expired,
//! revoked, reused), and one school's pupils hidden from another school's librarian.

mod common;

use common::{session, spawn_demo, user_id, TestApp};
use leptos::server_fn::ServerFn;
use reqwest::header;

use app::people::api::{
    ConfirmImport, CreateInvite, ForgetCards, RegisterParent, RevokeInvite, UploadRoster,
};

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.pool)
        .await
        .expect(sql)
}

/// A form post as a browser makes it without JavaScript.
async fn post(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, app.url("/manage"))
        .header("sec-fetch-site", "same-origin")
        .form(form);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.send().await.expect("post")
}

fn location(response: &reqwest::Response) -> String {
    response.headers()[header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned()
}

/// Uploads a roster file for СОШ № 1; returns where the server sent the browser.
async fn upload(app: &TestApp, cookie: &str, file: &[u8]) -> String {
    let boundary = "roster-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"slug\"\r\n\r\nsosh-1\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"7v.csv\"\r\n\
             Content-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = app
        .client
        .post(app.url(UploadRoster::url()))
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, app.url("/manage/sosh-1"))
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), 302);
    location(&response)
}

async fn page(app: &TestApp, path: &str, cookie: &str) -> (u16, String) {
    let response = app
        .client
        .get(app.url(path))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .expect("get");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body").replace("<!>", "");
    (status, text)
}

#[tokio::test]
async fn a_roster_with_bad_lines_imports_nothing_and_names_every_line() {
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let users = count(&app, "SELECT COUNT(*) FROM users").await;
    let classes = count(&app, "SELECT COUNT(*) FROM classes").await;
    let file = "Фамилия;Имя;Отчество;Класс\nСоколова;Вера;;7В\n;Борис;;7В\nКотов;Вадим;;13А\n";
    let report = upload(&app, &librarian, file.as_bytes()).await;
    assert!(report.starts_with("/manage/imports/"), "{report}");
    let (status, body) = page(&app, &report, &librarian).await;
    assert_eq!(status, 200);
    assert!(body.contains("Список не загружен"));
    assert!(body.contains("Строк с ошибками: 2"));
    assert!(
        body.contains("<td>3</td><td>не указана фамилия</td>"),
        "{body}"
    );
    assert!(
        body.contains("<td>4</td><td>«13А» — не название класса"),
        "{body}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM users").await, users);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM classes").await, classes);
    // Nothing can be confirmed from a refused file.
    let id = report.trim_start_matches("/manage/imports/");
    let response = post(&app, ConfirmImport::url(), Some(&librarian), &[("id", id)]).await;
    assert!(location(&response).contains("__err="));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM users").await, users);
}

#[tokio::test]
async fn a_good_roster_in_windows_1251_creates_each_pupil_once_with_a_card() {
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let text = "Фамилия,Имя,Отчество,Класс\r\nИванова,Мария,Олеговна,7В\r\nЩукин,Юрий,,7в\r\n";
    let (file, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    let preview = upload(&app, &librarian, &file).await;
    let (_, body) = page(&app, &preview, &librarian).await;
    assert!(body.contains("Проверьте список перед загрузкой"));
    // ivanova.m is the demo pupil's: the new Мария gets the next free name.
    assert!(body.contains("<code>ivanova.m2</code>"), "{body}");
    assert!(body.contains("<code>shchukin.iu</code>"), "{body}");
    assert!(body.contains("Будут созданы классы: 7В."), "{body}");
    let id = preview.trim_start_matches("/manage/imports/").to_owned();

    let response = post(&app, ConfirmImport::url(), Some(&librarian), &[("id", &id)]).await;
    let cards = location(&response);
    assert_eq!(cards, format!("/manage/imports/{id}/cards"));
    let (status, body) = page(&app, &cards, &librarian).await;
    assert_eq!(status, 200);
    assert!(body.contains("Иванова Мария Олеговна, 7В"), "{body}");
    let pupils: i64 = count(
        &app,
        "SELECT COUNT(*) FROM class_members m JOIN classes c ON c.id = m.class_id \
         WHERE c.grade = 7 AND c.letter = 'В'",
    )
    .await;
    assert_eq!(pupils, 2);

    // A second confirmation creates nobody.
    let again = post(&app, ConfirmImport::url(), Some(&librarian), &[("id", &id)]).await;
    assert!(location(&again).contains("__err="));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM users WHERE username LIKE 'shchukin%'"
        )
        .await,
        1
    );

    // The password on the card signs the pupil in.
    let password = body
        .split("<dt>Пароль</dt><dd><code>")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .expect("a password on the card")
        .to_owned();
    let login = post(
        &app,
        app::accounts::api::Login::url(),
        None,
        &[("username", "ivanova.m2"), ("password", &password)],
    )
    .await;
    assert_eq!(location(&login), "/");

    // Once marked printed, the passwords are gone for good.
    post(&app, ForgetCards::url(), Some(&librarian), &[("id", &id)]).await;
    let (status, body) = page(&app, &cards, &librarian).await;
    assert_eq!(status, 410);
    assert!(!body.contains(&password));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM roster_imports WHERE cards_json IS NOT NULL"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn another_schools_librarian_sees_none_of_these_pupils() {
    let app = spawn_demo().await;
    let other = session(&app, "bibl.gim3").await;
    let pupil = user_id(&app, "ivanova.m").await;
    let (status, body) = page(&app, &format!("/manage/pupils/{pupil}"), &other).await;
    assert_eq!(status, 403);
    assert!(!body.contains("Иванова"));
    let (status, _) = page(&app, "/manage/sosh-1", &other).await;
    assert_eq!(status, 403);
    let (status, body) = page(&app, "/manage", &other).await;
    assert_eq!(status, 200);
    assert!(body.contains("Гимназия № 3") && !body.contains("МБОУ СОШ № 1"));
}

/// Registers a parent with a code; returns where the server sent the browser.
async fn register(app: &TestApp, code: &str, username: &str) -> reqwest::Response {
    post(
        app,
        RegisterParent::url(),
        None,
        &[
            ("code", code),
            ("display_name", "Ольга Петрова"),
            ("username", username),
            ("password", "родительский-пароль"),
            ("confirm", "родительский-пароль"),
        ],
    )
    .await
}

async fn new_invite(app: &TestApp, librarian: &str, pupil: &str) -> (String, String) {
    let response = post(
        app,
        CreateInvite::url(),
        Some(librarian),
        &[("pupil_id", pupil), ("days", "14")],
    )
    .await;
    assert_eq!(location(&response), format!("/manage/pupils/{pupil}"));
    sqlx::query_as(
        "SELECT id, code_plain FROM family_invites WHERE pupil_id = $1 AND used_at IS NULL \
         AND revoked_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(pupil)
    .fetch_one(&app.pool)
    .await
    .expect("invite")
}

#[tokio::test]
async fn invite_codes_work_once_and_not_when_expired_or_revoked() {
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let pupil = user_id(&app, "petrov.i").await;
    let parents = "SELECT COUNT(*) FROM parent_links";
    let before = count(&app, parents).await;

    // Expired.
    let (id, code) = new_invite(&app, &librarian, &pupil).await;
    sqlx::query("UPDATE family_invites SET expires_at = '2000-01-01T00:00:00Z' WHERE id = $1")
        .bind(&id)
        .execute(&app.pool)
        .await
        .expect("expire");
    let response = register(&app, &code, "petrova.o").await;
    assert!(location(&response).contains("__err="));
    assert_eq!(count(&app, parents).await, before);

    // Revoked.
    let (id, code) = new_invite(&app, &librarian, &pupil).await;
    post(&app, RevokeInvite::url(), Some(&librarian), &[("id", &id)]).await;
    let response = register(&app, &code, "petrova.o").await;
    assert!(location(&response).contains("__err="));
    assert_eq!(count(&app, parents).await, before);

    // A good one, typed in lower case with a space: the parent is signed in and linked.
    let (_, code) = new_invite(&app, &librarian, &pupil).await;
    let typed = code.to_lowercase().replace('-', " ");
    let response = register(&app, &typed, "petrova.o").await;
    assert_eq!(location(&response), "/account");
    let cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("libfolio_session="))
        .and_then(|c| c.split(';').next())
        .expect("signed in")
        .to_owned();
    assert_eq!(count(&app, parents).await, before + 1);
    let (_, body) = page(&app, "/account", &cookie).await;
    assert!(
        body.contains("Мои дети") && body.contains("Петров Илья Андреевич"),
        "{body}"
    );
    // The used code no longer shows, and it does not work again.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM family_invites WHERE code_plain IS NOT NULL"
        )
        .await,
        0
    );
    let response = register(&app, &code, "drugoi.rod").await;
    assert!(location(&response).contains("__err="));
    assert_eq!(count(&app, parents).await, before + 1);
    // Every step left an audit record.
    for action in ["create_invite", "revoke_invite", "link_parent"] {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(&app.pool)
            .await
            .expect("audit");
        assert!(n > 0, "{action}");
    }
}

/// The password printed on a card page.
fn card_password(body: &str) -> String {
    body.split("<dt>Пароль</dt><dd><code>")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .expect("a password on the card")
        .to_owned()
}

async fn signs_in(app: &TestApp, username: &str, password: &str) -> bool {
    let response = post(
        app,
        app::accounts::api::Login::url(),
        None,
        &[("username", username), ("password", password)],
    )
    .await;
    !location(&response).contains("__err=")
}

#[tokio::test]
async fn librarians_add_teachers_and_reset_pupils_passwords_with_a_card() {
    use app::people::api::{CreateStaff, ResetPassword};
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;

    let response = post(
        &app,
        CreateStaff::url(),
        Some(&librarian),
        &[
            ("slug", "sosh-1"),
            ("display_name", "Нина Павловна Орлова"),
            ("username", "orlova.n"),
            ("role", "supervisor"),
        ],
    )
    .await;
    let card = location(&response);
    assert!(card.ends_with("/cards"), "{card}");
    let (_, body) = page(&app, &card, &librarian).await;
    assert!(body.contains("Нина Павловна Орлова"));
    assert!(signs_in(&app, "orlova.n", &card_password(&body)).await);
    // The school's staff list shows her as a supervisor, also when filtered by that role.
    let (_, body) = page(&app, "/manage/sosh-1", &librarian).await;
    assert!(body.contains("orlova.n") && body.contains("Руководитель проектов"));
    let (_, body) = page(&app, "/manage/sosh-1?staff_role=librarian", &librarian).await;
    assert!(!body.contains("<code>orlova.n</code>") && body.contains("<code>bibl.sosh1</code>"));
    let (_, body) = page(&app, "/manage/sosh-1?staff_role=supervisor", &librarian).await;
    assert!(body.contains("<code>orlova.n</code>"));

    // A librarian may not make librarians.
    let users = count(&app, "SELECT COUNT(*) FROM users").await;
    let response = post(
        &app,
        CreateStaff::url(),
        Some(&librarian),
        &[
            ("slug", "sosh-1"),
            ("display_name", "Кто-то"),
            ("username", "novyi.bibl"),
            ("role", "librarian"),
        ],
    )
    .await;
    assert!(location(&response).contains("__err="));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM users").await, users);

    // A reset ends the pupil's sessions; the new password on the card works.
    let pupil = user_id(&app, "petrov.i").await;
    let pupil_session = session(&app, "petrov.i").await;
    let response = post(
        &app,
        ResetPassword::url(),
        Some(&librarian),
        &[("user_id", &pupil)],
    )
    .await;
    let card = location(&response);
    let (_, body) = page(&app, &card, &librarian).await;
    assert!(body.contains("Петров Илья Андреевич, 7Б"), "{body}");
    let (_, account) = page(&app, "/account", &pupil_session).await;
    assert!(!account.contains("Илья Петров"), "the old session ended");
    assert!(signs_in(&app, "petrov.i", &card_password(&body)).await);
    // Another school's librarian cannot reset it.
    let other = session(&app, "bibl.gim3").await;
    let response = post(
        &app,
        ResetPassword::url(),
        Some(&other),
        &[("user_id", &pupil)],
    )
    .await;
    assert!(location(&response).contains("__err="));
}

#[tokio::test]
async fn the_audit_log_shows_each_librarian_their_own_school() {
    use app::people::api::CreateClass;
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let year = sqlx::query_scalar::<_, i64>("SELECT MAX(academic_year) FROM classes")
        .fetch_one(&app.pool)
        .await
        .expect("year")
        .to_string();
    post(
        &app,
        CreateClass::url(),
        Some(&librarian),
        &[("slug", "sosh-1"), ("year", &year), ("name", "5Д")],
    )
    .await;
    let (status, body) = page(&app, "/manage/audit", &librarian).await;
    assert_eq!(status, 200);
    assert!(body.contains("<td>Создан класс</td>"), "{body}");
    assert!(body.contains("5Д "), "the class in the record");
    assert!(body.contains("Елена Викторовна Кравцова"));
    // Another school's librarian sees nothing of it and cannot ask for it.
    let other = session(&app, "bibl.gim3").await;
    let (_, body) = page(&app, "/manage/audit", &other).await;
    assert!(!body.contains("<td>Создан класс</td>"));
    let (status, _) = page(&app, "/manage/audit?school=sosh-1", &other).await;
    assert_eq!(status, 403);
    // The coordinator filters the whole district by action.
    let coordinator = session(&app, "metodist").await;
    let (_, body) = page(&app, "/manage/audit?action=create_class", &coordinator).await;
    assert!(body.contains("<td>Создан класс</td>") && body.contains("<td>МБОУ СОШ № 1</td>"));
    // Pupils have no audit log.
    let pupil = session(&app, "ivanova.m").await;
    let (status, _) = page(&app, "/manage/audit", &pupil).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn the_school_pupil_search_finds_by_name_class_and_missing_consent() {
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    // Any case, ё or е, part of a name.
    let (status, body) = page(&app, "/manage/sosh-1/pupils?q=ИВАН", &librarian).await;
    assert_eq!(status, 200);
    assert!(body.contains("Иванова Мария Сергеевна"), "{body}");
    assert!(body.contains("Найдено учеников: 1"), "{body}");
    // Without a consent to publish: Петров, Удинская (7Б) and Ким (9А).
    let (_, body) = page(
        &app,
        "/manage/sosh-1/pupils?consent=no_publication",
        &librarian,
    )
    .await;
    assert!(body.contains("Найдено учеников: 3"), "{body}");
    assert!(!body.contains("Иванова Мария"));
    // Another year has no pupils yet; an unknown year falls back to this one.
    let (_, body) = page(&app, "/manage/sosh-1/pupils?year=1999&q=иван", &librarian).await;
    assert!(body.contains("Найдено учеников: 1"), "{body}");
    // Wildcards are only characters.
    let (_, body) = page(&app, "/manage/sosh-1/pupils?q=%25", &librarian).await;
    assert!(body.contains("Найдено учеников: 0"), "{body}");
    let other = session(&app, "bibl.gim3").await;
    let (status, _) = page(&app, "/manage/sosh-1/pupils?q=a", &other).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn the_coordinator_adds_and_renames_schools_and_librarians_cannot() {
    use app::schools::api::SaveSchool;
    let app = spawn_demo().await;
    let coordinator = session(&app, "metodist").await;
    let fields = |current: &'static str, slug: &'static str, short: &'static str| {
        vec![
            ("current", current),
            ("school[slug]", slug),
            (
                "school[name]",
                "МБОУ «Основная общеобразовательная школа № 9»",
            ),
            ("school[short_name]", short),
            ("school[town]", "с. Гатка"),
            ("school[ibc_name]", ""),
            ("school[address]", ""),
            ("school[description]", ""),
        ]
    };
    let response = post(
        &app,
        SaveSchool::url(),
        Some(&coordinator),
        &fields("", "oosh-9", "МБОУ ООШ № 9"),
    )
    .await;
    assert_eq!(location(&response), "/schools/oosh-9");
    let (status, body) = page(&app, "/schools/oosh-9", &coordinator).await;
    assert_eq!(status, 200);
    assert!(body.contains("МБОУ ООШ № 9") && body.contains("с. Гатка"));
    // A taken address is refused; a rename keeps the school.
    let taken = post(
        &app,
        SaveSchool::url(),
        Some(&coordinator),
        &fields("oosh-9", "sosh-1", "МБОУ ООШ № 9"),
    )
    .await;
    assert!(location(&taken).contains("__err="));
    let renamed = post(
        &app,
        SaveSchool::url(),
        Some(&coordinator),
        &fields("oosh-9", "oosh-9-gatka", "МБОУ ООШ № 9 с. Гатка"),
    )
    .await;
    assert_eq!(location(&renamed), "/schools/oosh-9-gatka");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM schools").await, 7);
    // Librarians run their school's people, not the list of schools.
    let librarian = session(&app, "bibl.sosh1").await;
    let refused = post(
        &app,
        SaveSchool::url(),
        Some(&librarian),
        &fields("", "oosh-10", "МБОУ ООШ № 10"),
    )
    .await;
    assert!(location(&refused).contains("__err="));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM schools").await, 7);
}

#[tokio::test]
async fn one_pupil_at_a_time_moving_up_a_year_withdrawing_consent_and_a_second_child() {
    use app::people::api::{AddPupil, ClaimInvite, PromoteYear, WithdrawConsent};
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let (class_id, year): (String, i64) =
        sqlx::query_as("SELECT id, academic_year FROM classes WHERE grade = 7 AND letter = 'Б'")
            .fetch_one(&app.pool)
            .await
            .expect("7Б");

    // One pupil, typed in capitals: tidied, given a username and a card.
    let response = post(
        &app,
        AddPupil::url(),
        Some(&librarian),
        &[
            ("class_id", &class_id),
            ("surname", "СОКОЛОВА"),
            ("first_name", "вера"),
            ("patronymic", ""),
        ],
    )
    .await;
    let card = location(&response);
    let (_, body) = page(&app, &card, &librarian).await;
    assert!(body.contains("Соколова Вера, 7Б"), "{body}");
    assert!(signs_in(&app, "sokolova.v", &card_password(&body)).await);
    let bad = post(
        &app,
        AddPupil::url(),
        Some(&librarian),
        &[
            ("class_id", &class_id),
            ("surname", "Соколова1"),
            ("first_name", ""),
        ],
    )
    .await;
    assert!(location(&bad).contains("__err="));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM pupils WHERE school_id = \
             (SELECT id FROM schools WHERE slug = 'sosh-1')"
        )
        .await,
        6
    );

    // Everyone moves up: 7Б → 8Б and 9А → 10А in the next year, with the same pupils.
    let response = post(
        &app,
        PromoteYear::url(),
        Some(&librarian),
        &[("slug", "sosh-1"), ("year", &year.to_string())],
    )
    .await;
    assert_eq!(
        location(&response),
        format!("/manage/sosh-1?year={}", year + 1)
    );
    let next: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT c.grade, c.letter, COUNT(m.pupil_id) FROM classes c \
         LEFT JOIN class_members m ON m.class_id = c.id \
         WHERE c.academic_year = $1 GROUP BY c.id, c.grade, c.letter ORDER BY c.grade",
    )
    .bind(year + 1)
    .fetch_all(&app.pool)
    .await
    .expect("next year");
    assert_eq!(next, vec![(8, "Б".into(), 4), (10, "А".into(), 2)]);
    // Once is enough: a second move is refused and changes nothing.
    let again = post(
        &app,
        PromoteYear::url(),
        Some(&librarian),
        &[("slug", "sosh-1"), ("year", &year.to_string())],
    )
    .await;
    assert!(location(&again).contains("__err="));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM class_members m JOIN classes c ON c.id = m.class_id \
             WHERE c.school_id = (SELECT id FROM schools WHERE slug = 'sosh-1')"
        )
        .await,
        12
    );

    // A withdrawn consent to publish makes the pupil anonymous again.
    let maria = user_id(&app, "ivanova.m").await;
    let consent: String =
        sqlx::query_scalar("SELECT id FROM consents WHERE pupil_id = $1 AND kind = 'publication'")
            .bind(&maria)
            .fetch_one(&app.pool)
            .await
            .expect("consent");
    let (_, body) = page(&app, &format!("/manage/pupils/{maria}"), &librarian).await;
    assert!(body.contains("Мария И."), "{body}");
    post(
        &app,
        WithdrawConsent::url(),
        Some(&librarian),
        &[("id", &consent)],
    )
    .await;
    let (_, body) = page(&app, &format!("/manage/pupils/{maria}"), &librarian).await;
    assert!(body.contains("Участник проекта (без имени)"), "{body}");
    assert!(!body.contains("Мария И."));

    // A teacher who is also a parent adds a child to the existing account with a code.
    let petrov = user_id(&app, "petrov.i").await;
    let (_, code) = new_invite(&app, &librarian, &petrov).await;
    let teacher = session(&app, "uchitel.sosh1").await;
    let response = post(&app, ClaimInvite::url(), Some(&teacher), &[("code", &code)]).await;
    assert_eq!(location(&response), "/account");
    let (_, body) = page(&app, "/account", &teacher).await;
    assert!(
        body.contains("Мои дети") && body.contains("Петров Илья Андреевич"),
        "{body}"
    );
    // A pupil cannot claim a child.
    let (_, code) = new_invite(&app, &librarian, &petrov).await;
    let pupil = session(&app, "ivanova.m").await;
    let response = post(&app, ClaimInvite::url(), Some(&pupil), &[("code", &code)]).await;
    assert!(location(&response).contains("__err="));
}
