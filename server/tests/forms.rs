//! Forms posted without JavaScript that come back with an error keep what the reader typed
//! ("bad input gets a clear error and loses nothing").

mod common;

use app::projects::api::SavePage;
use common::{count, location, page_as, post_form, session, spawn_demo, TestApp};
use leptos::server_fn::ServerFn;

/// A live page of a project the demo pupil `ivanova.m` is a member of: (id, revision, editor).
async fn pupil_page(app: &TestApp) -> (String, i64, String) {
    let (id, revision, project, slug): (String, i64, String, String) = sqlx::query_as(
        "SELECT pg.id, pg.revision, pg.project_id, pg.slug FROM pages pg \
         JOIN project_members m ON m.project_id = pg.project_id \
         JOIN users u ON u.id = m.pupil_id \
         WHERE u.username = 'ivanova.m' AND pg.deleted_at IS NULL \
         ORDER BY pg.project_id, pg.position",
    )
    .fetch_one(&app.pool)
    .await
    .expect("a page of the demo pupil");
    (
        id,
        revision,
        format!("/projects/{project}/pages/{slug}/edit"),
    )
}

/// The demo project of СОШ № 1 that `ivanova.m` works on.
async fn festival_project(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT id FROM projects WHERE title LIKE 'Фестиваль%'")
        .fetch_one(&app.pool)
        .await
        .expect("project")
}

/// The text of a page's latest revision.
async fn current_text(app: &TestApp, page_id: &str) -> String {
    sqlx::query_scalar("SELECT body FROM page_revisions WHERE page_id = $1 ORDER BY number DESC")
        .bind(page_id)
        .fetch_one(&app.pool)
        .await
        .expect("stored text")
}

/// Posts a form as a browser does and expects it refused, sent back with the typed values' token;
/// returns the address it was sent back to and that page (status, body) as the same person sees
/// it.
async fn refused(
    app: &TestApp,
    path: &str,
    cookie: &str,
    from: &str,
    form: &[(&str, &str)],
) -> (String, u16, String) {
    let to = location(&post_form(app, path, cookie, from, form).await);
    assert!(to.contains("__err="), "refused: {to}");
    assert!(
        to.contains("__form="),
        "the typed values travel with the error: {to}"
    );
    let back = to.trim_start_matches(&app.base).to_owned();
    let (status, body) = page_as(app, &back, cookie).await;
    (back, status, body)
}

const TYPED: &str = "Мы записали рассказ бабушки о нерпе: «весной лёд трещит, как ружьё».";

#[tokio::test]
async fn a_refused_save_without_javascript_comes_back_with_the_text_as_typed() {
    let app = spawn_demo().await;
    let pupil = session(&app, "ivanova.m").await;
    let (page_id, revision, editor) = pupil_page(&app).await;
    let before = current_text(&app, &page_id).await;

    // The title is left empty: the save is refused.
    let revision = revision.to_string();
    let (back, status, body) = refused(
        &app,
        SavePage::PATH,
        &pupil,
        &editor,
        &[
            ("page_id", &page_id),
            ("base_revision", &revision),
            ("title", "   "),
            ("body", TYPED),
            ("summary", "Рассказ о нерпе"),
        ],
    )
    .await;
    assert_eq!(status, 200);

    // The editor shows the error, the text as typed and the summary; nothing was saved.
    assert!(body.contains(TYPED), "the typed text is back");
    assert!(
        body.contains("value=\"Рассказ о нерпе\""),
        "the typed summary is back"
    );
    assert!(
        body.contains("field-error"),
        "the error is shown at its field"
    );
    let after = current_text(&app, &page_id).await;
    assert_eq!(after, before, "nothing was saved");

    // Another person with the same address, or no session at all, sees the stored page only.
    let teacher = session(&app, "uchitel.sosh1").await;
    for cookie in [teacher.as_str(), ""] {
        let (_, body) = page_as(&app, &back, cookie).await;
        assert!(
            !body.contains("весной лёд трещит"),
            "shown to another reader"
        );
    }

    // The values are not kept for a successful save, and a later success drops the token.
    let kept = count(&app, "SELECT COUNT(*) FROM form_echoes").await;
    assert_eq!(kept, 1);
    let response = post_form(
        &app,
        SavePage::PATH,
        &pupil,
        &back,
        &[
            ("page_id", &page_id),
            ("base_revision", &revision),
            ("title", "Рассказ о нерпе"),
            ("body", TYPED),
            ("summary", ""),
        ],
    )
    .await;
    let to = location(&response);
    assert!(
        !to.contains("__err=") && !to.contains("__form="),
        "saved: {to}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM form_echoes").await, 1);
}

#[tokio::test]
async fn passwords_are_never_kept_and_old_values_expire() {
    let app = spawn_demo().await;
    let pupil = session(&app, "ivanova.m").await;
    // A refused password change: the current password is wrong.
    let response = post_form(
        &app,
        app::accounts::api::ChangePassword::PATH,
        &pupil,
        "/account",
        &[
            ("current", "not-my-password"),
            ("new_password", "a-new-password-1"),
            ("confirm", "a-new-password-1"),
        ],
    )
    .await;
    let to = location(&response);
    assert!(to.contains("__err="), "refused: {to}");
    assert!(!to.contains("__form="), "{to}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM form_echoes").await,
        0,
        "a password form was kept"
    );

    // Values older than an hour are not shown and are forgotten with the next failure.
    let (page_id, revision, editor) = pupil_page(&app).await;
    let revision = revision.to_string();
    let form = [
        ("page_id", page_id.as_str()),
        ("base_revision", revision.as_str()),
        ("title", ""),
        ("body", TYPED),
        ("summary", ""),
    ];
    let refuse = || post_form(&app, SavePage::PATH, &pupil, &editor, &form);
    let back = location(&refuse().await)
        .trim_start_matches(&app.base)
        .to_owned();
    sqlx::query("UPDATE form_echoes SET created_at = '2000-01-01T00:00:00Z'")
        .execute(&app.pool)
        .await
        .expect("age");
    let (_, body) = page_as(&app, &back, &pupil).await;
    assert!(!body.contains("весной лёд трещит"), "expired values shown");
    refuse().await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM form_echoes").await, 1);
}

#[tokio::test]
async fn a_source_refused_for_its_isbn_comes_back_with_every_field_and_its_kind() {
    use app::catalog::api::AddOwnSource;
    let app = spawn_demo().await;
    let pupil = session(&app, "ivanova.m").await;
    let project = festival_project(&app).await;
    let sources = format!("/projects/{project}/sources");
    let listed = "SELECT COUNT(*) FROM project_sources";
    let before = count(&app, listed).await;
    let (_, _, body) = refused(
        &app,
        AddOwnSource::PATH,
        &pupil,
        &sources,
        &[
            ("project_id", project.as_str()),
            ("kind", "article"),
            ("authors", "Киле Анна"),
            ("title", "Узоры амурских нанайцев"),
            ("host_title", "Дальний Восток"),
            ("host_issue", "№ 3"),
            ("year", "2019"),
            ("isbn", "978-5-901202-50-1"),
            ("access", ""),
        ],
    )
    .await;
    for typed in [
        ">Киле Анна</textarea>",
        "value=\"Узоры амурских нанайцев\"",
        "value=\"Дальний Восток\"",
        "value=\"№ 3\"",
        "value=\"978-5-901202-50-1\"",
        "<option value=\"article\" selected",
    ] {
        assert!(body.contains(typed), "{typed} is not back");
    }
    assert_eq!(count(&app, listed).await, before, "nothing was added");
}

#[tokio::test]
async fn a_diary_entry_refused_for_its_date_keeps_its_text_and_date() {
    use app::review::api::AddDiaryEntry;
    let app = spawn_demo().await;
    let pupil = session(&app, "ivanova.m").await;
    let project = festival_project(&app).await;
    let workflow = format!("/projects/{project}/workflow");
    let entries = "SELECT COUNT(*) FROM diary_entries";
    let before = count(&app, entries).await;
    let text = "Съездили в Сикачи-Алян, сфотографировали петроглифы.";
    let (_, status, body) = refused(
        &app,
        AddDiaryEntry::PATH,
        &pupil,
        &workflow,
        &[
            ("project_id", project.as_str()),
            ("entry_date", "2999-01-01"),
            ("body", text),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        body.contains(&format!(">{text}</textarea>")),
        "the text is back"
    );
    assert!(body.contains("value=\"2999-01-01\""), "the date is back");
    assert_eq!(count(&app, entries).await, before, "nothing was added");
}

#[tokio::test]
async fn a_pupil_refused_for_a_bad_name_comes_back_as_typed_to_the_librarian() {
    use app::people::api::AddPupil;
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let class_id: String =
        sqlx::query_scalar("SELECT id FROM classes WHERE grade = 7 AND letter = 'Б'")
            .fetch_one(&app.pool)
            .await
            .expect("7Б");
    let class_page = format!("/manage/classes/{class_id}");
    let pupils = "SELECT COUNT(*) FROM pupils";
    let before = count(&app, pupils).await;
    let (_, status, body) = refused(
        &app,
        AddPupil::PATH,
        &librarian,
        &class_page,
        &[
            ("class_id", class_id.as_str()),
            ("surname", "Бельды2"),
            ("first_name", "Алёна"),
            ("patronymic", "Игоревна"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    for typed in ["value=\"Бельды2\"", "value=\"Алёна\"", "value=\"Игоревна\""] {
        assert!(body.contains(typed), "{typed} is not back");
    }
    assert!(
        body.contains("id=\"surname-error\""),
        "the error is at its field"
    );
    assert_eq!(count(&app, pupils).await, before, "nobody was added");
}

#[tokio::test]
async fn a_criterion_refused_for_four_levels_comes_back_into_its_own_form() {
    use app::review::api::UpdateCriterion;
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let procedure = "/manage/sosh-1/procedure";
    let criteria: Vec<String> = sqlx::query_scalar(
        "SELECT c.id FROM assessment_criteria c JOIN schools s ON s.id = c.school_id \
         WHERE s.slug = 'sosh-1' ORDER BY c.position",
    )
    .fetch_all(&app.pool)
    .await
    .expect("criteria");
    assert!(criteria.len() > 1, "the school has several criteria");
    let levels = "нет\nмало\nсредне\nхорошо";
    let (_, status, body) = refused(
        &app,
        UpdateCriterion::PATH,
        &librarian,
        procedure,
        &[
            ("slug", "sosh-1"),
            ("criterion_id", criteria[1].as_str()),
            ("name", "Знание предмета"),
            ("descriptors", levels),
        ],
    )
    .await;
    assert_eq!(status, 200);
    // Back in the second criterion's form, and only there.
    let typed_name = "value=\"Знание предмета\"";
    assert_eq!(body.matches(typed_name).count(), 1, "the typed name once");
    assert!(
        body.contains(&format!(
            "id=\"criterion-name-{}\" name=\"name\" {typed_name}",
            criteria[1]
        )),
        "the name is in its own form"
    );
    assert!(
        body.contains(&format!(">{levels}</textarea>")),
        "the levels are back"
    );
}
