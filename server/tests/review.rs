//! The review workflow through the real router, as the demo's teacher and two pupils live it:
//! the topic approved, then every stage submitted, returned with remarks, revised, resubmitted
//! and accepted, up to the defence with its assessment cards and printed protocol. What a pupil
//! does after submitting never changes what the supervisor reviews; two reviewers deciding at
//! once cannot both win.

mod common;

use common::{form_error_in, location, page_as, post_form, session, spawn_demo, user_id, TestApp};
use leptos::server_fn::ServerFn;

use app::projects::api::{AddPage, AddProjectMember, DecideProposal, SavePage, SetProjectKind};
use app::review::api::{
    AddCommissionMember, AddDiaryEntry, AddRemark, DecideSubmission, MarkNotificationsRead,
    ReplyToRemark, SaveAssessment, SaveSupervisorReview, SetStageDue, SubmitStage,
};

const PROPOSAL: &str = "Комикс по нанайской сказке «Айога»";

async fn project_id(app: &TestApp, title: &str) -> String {
    sqlx::query_scalar("SELECT id FROM projects WHERE title = $1")
        .bind(title)
        .fetch_one(&app.pool)
        .await
        .expect("project")
}

/// (stage id, stage position, review state, status)
async fn standing(app: &TestApp, project: &str) -> (String, i64, String, String) {
    sqlx::query_as(
        "SELECT p.stage_id, s.position, p.review_state, p.status FROM projects p \
         JOIN stages s ON s.id = p.stage_id WHERE p.id = $1",
    )
    .bind(project)
    .fetch_one(&app.pool)
    .await
    .expect("standing")
}

/// Posts a form from the project's workflow page; returns where it went.
async fn act(app: &TestApp, cookie: &str, path: &str, form: &[(&str, &str)]) -> String {
    location(&post_form(app, path, cookie, "/dashboard", form).await)
}

async fn submit(app: &TestApp, cookie: &str, project: &str) -> String {
    let (stage, ..) = standing(app, project).await;
    act(
        app,
        cookie,
        SubmitStage::url(),
        &[("project_id", project), ("stage_id", &stage)],
    )
    .await
}

async fn decide(
    app: &TestApp,
    cookie: &str,
    project: &str,
    number: i64,
    decision: &str,
    comment: &str,
) -> String {
    let number = number.to_string();
    act(
        app,
        cookie,
        DecideSubmission::url(),
        &[
            ("project_id", project),
            ("number", &number),
            ("decision", decision),
            ("comment", comment),
        ],
    )
    .await
}

async fn save_page(app: &TestApp, cookie: &str, project: &str, body: &str) {
    let (page_id, revision): (String, i64) = sqlx::query_as(
        "SELECT id, revision FROM pages WHERE project_id = $1 AND deleted_at IS NULL",
    )
    .bind(project)
    .fetch_one(&app.pool)
    .await
    .expect("page");
    let base = revision.to_string();
    let to = act(
        app,
        cookie,
        SavePage::url(),
        &[
            ("page_id", &page_id),
            ("base_revision", &base),
            ("title", "Сказка"),
            ("body", body),
            ("summary", ""),
        ],
    )
    .await;
    assert!(!to.contains("__err"), "saved: {}", form_error_in(&to));
}

fn number_in(location: &str) -> i64 {
    location
        .rsplit('/')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a submission address: {location}"))
}

#[tokio::test]
async fn a_collective_project_goes_from_topic_approval_to_the_printed_protocol() {
    let app = spawn_demo().await;
    let teacher = session(&app, "uchitel.sosh1").await;
    let ilya = session(&app, "petrov.i").await;
    let maria = session(&app, "ivanova.m").await;
    let project = project_id(&app, PROPOSAL).await;
    let workflow = format!("/projects/{project}/workflow");

    // The proposal waits on the first stage; the pupil cannot approve it himself.
    let (_, position, state, status) = standing(&app, &project).await;
    assert_eq!(
        (position, state.as_str(), status.as_str()),
        (1, "working", "proposed")
    );
    let refused = act(
        &app,
        &ilya,
        DecideProposal::url(),
        &[("project_id", &project), ("decision", "accept")],
    )
    .await;
    assert!(form_error_in(&refused).contains("Forbidden"), "{refused}");

    // The teacher approves the topic with a comment: the first stage is done.
    let to = act(
        &app,
        &teacher,
        DecideProposal::url(),
        &[
            ("project_id", &project),
            ("decision", "accept"),
            ("comment", "Тема хорошая, возьмите два издания сказки."),
        ],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let (_, position, state, status) = standing(&app, &project).await;
    assert_eq!(
        (position, state.as_str(), status.as_str()),
        (2, "working", "active")
    );
    let (_, body) = page_as(&app, "/notifications", &ilya).await;
    assert!(body.contains("утвердил(а) тему"), "{body}");
    let (_, body) = page_as(&app, &format!("/projects/{project}/submissions/1"), &ilya).await;
    assert!(body.contains("Тема хорошая, возьмите два издания сказки."));
    assert!(body.contains("Тема и руководитель утверждены"));

    // It becomes collective: Мария joins to draw.
    let maria_id = user_id(&app, "ivanova.m").await;
    for (path, form) in [
        (
            SetProjectKind::url(),
            vec![("project_id", project.as_str()), ("kind", "collective")],
        ),
        (
            AddProjectMember::url(),
            vec![
                ("project_id", project.as_str()),
                ("pupil_id", maria_id.as_str()),
                ("note", "Рисунки"),
            ],
        ),
    ] {
        let to = act(&app, &teacher, path, &form).await;
        assert!(!to.contains("__err"), "{}", form_error_in(&to));
    }
    act(
        &app,
        &ilya,
        AddPage::url(),
        &[("project_id", &project), ("title", "Сказка")],
    )
    .await;
    save_page(&app, &ilya, &project, "## Начало\n\nПервая редакция.\n").await;

    // A due date for the current stage, already past: it shows as overdue.
    let (stage, ..) = standing(&app, &project).await;
    let to = act(
        &app,
        &teacher,
        SetStageDue::url(),
        &[
            ("project_id", &project),
            ("stage_id", &stage),
            ("due_on", "2020-09-30"),
        ],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let (_, body) = page_as(&app, &workflow, &maria).await;
    assert!(body.contains("просрочен"), "{body}");
    let (_, body) = page_as(&app, "/dashboard", &teacher).await;
    assert!(
        body.contains("просрочен"),
        "the teacher's dashboard: {body}"
    );

    // A diary entry is part of what the reviewer sees.
    let to = act(
        &app,
        &maria,
        AddDiaryEntry::url(),
        &[
            ("project_id", &project),
            ("entry_date", ""),
            ("body", "Нарисовала раскадровку."),
        ],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));

    // Stages 2 to 6: submit, return with a remark, revise, answer, resubmit, accept.
    let mut revision = 1;
    for stage_position in 2..=6 {
        let (_, position, ..) = standing(&app, &project).await;
        assert_eq!(position, stage_position);
        let submitter = if stage_position % 2 == 0 {
            &ilya
        } else {
            &maria
        };
        let first = number_in(&submit(&app, submitter, &project).await);
        assert_eq!(standing(&app, &project).await.2, "submitted");
        // Submitting twice is refused while it waits.
        assert!(form_error_in(&submit(&app, submitter, &project).await).contains("Conflict"));

        // After submitting, Мария keeps working; the snapshot does not change.
        revision += 1;
        save_page(
            &app,
            &maria,
            &project,
            &format!("## Начало\n\nПравка после сдачи {revision}.\n"),
        )
        .await;
        let snapshot = format!("/projects/{project}/submissions/{first}");
        let (status, body) = page_as(&app, &snapshot, &teacher).await;
        assert_eq!(status, 200);
        assert!(
            !body.contains(&format!("Правка после сдачи {revision}.")),
            "the snapshot is frozen"
        );
        if stage_position == 2 {
            assert!(body.contains("Первая редакция."), "{body}");
            assert!(
                body.contains("Нарисовала раскадровку."),
                "the diary is shown"
            );
        }

        // Returning needs a remark; a pupil may not decide.
        let to = decide(&app, &teacher, &project, first, "return", "").await;
        assert!(form_error_in(&to).contains("RemarksRequired"), "{to}");
        let to = decide(&app, &ilya, &project, first, "accept", "").await;
        assert!(form_error_in(&to).contains("Forbidden"), "{to}");
        let page_id: String = sqlx::query_scalar("SELECT id FROM pages WHERE project_id = $1")
            .bind(&project)
            .fetch_one(&app.pool)
            .await
            .expect("page");
        let n = first.to_string();
        let anchor = format!("{page_id}#h-начало");
        let to = act(
            &app,
            &teacher,
            AddRemark::url(),
            &[
                ("project_id", &project),
                ("number", &n),
                ("anchor", &anchor),
                ("body", "Добавьте ссылку на издание из фонда."),
            ],
        )
        .await;
        assert!(!to.contains("__err"), "{}", form_error_in(&to));
        let to = decide(&app, &teacher, &project, first, "return", "").await;
        assert!(!to.contains("__err"), "{}", form_error_in(&to));
        assert_eq!(standing(&app, &project).await.2, "returned");
        // Accepting what was returned is refused.
        assert!(
            form_error_in(&decide(&app, &teacher, &project, first, "accept", "").await)
                .contains("Conflict")
        );

        // The pupils see the remark on the heading, answer it and revise.
        let (_, body) = page_as(&app, &snapshot, &ilya).await;
        assert!(body.contains("Добавьте ссылку на издание из фонда."));
        assert!(body.contains("Сказка › Начало"), "{body}");
        let (_, board) = page_as(&app, "/dashboard", &ilya).await;
        assert!(board.contains("Замечаний без ответа: 1"), "{board}");
        let remark: String = sqlx::query_scalar(
            "SELECT r.id FROM remarks r JOIN submissions s ON s.id = r.submission_id \
             WHERE s.project_id = $1 AND s.number = $2 AND r.parent_id IS NULL",
        )
        .bind(&project)
        .bind(first)
        .fetch_one(&app.pool)
        .await
        .expect("remark");
        let to = act(
            &app,
            &ilya,
            ReplyToRemark::url(),
            &[
                ("remark_id", &remark),
                ("body", "Добавили «Нанайские сказки», 1985."),
            ],
        )
        .await;
        assert!(!to.contains("__err"), "{}", form_error_in(&to));
        revision += 1;
        save_page(
            &app,
            &ilya,
            &project,
            &format!("## Начало\n\nИсправлено {revision}: «Нанайские сказки», 1985.\n"),
        )
        .await;

        // Resubmitted and accepted; the project moves on.
        let second = number_in(&submit(&app, submitter, &project).await);
        assert_eq!(second, first + 1);
        let (_, body) = page_as(
            &app,
            &format!("/projects/{project}/submissions/{second}"),
            &teacher,
        )
        .await;
        assert!(body.contains(&format!("Исправлено {revision}")));
        // Compared with the last accepted submission: the page is new at first, then changed.
        if stage_position == 2 {
            assert!(body.contains("Новая страница"), "{body}");
        } else {
            assert!(
                body.contains("Изменена") && body.contains("Показать изменения"),
                "{body}"
            );
        }
        let to = decide(&app, &teacher, &project, second, "accept", "Принято.").await;
        assert!(!to.contains("__err"), "{}", form_error_in(&to));
    }
    let (_, position, state, _) = standing(&app, &project).await;
    assert_eq!((position, state.as_str()), (6, "completed"));
    // Every move is in the audit log.
    for (action, times) in [
        ("accept_proposal", 1),
        ("submit_stage", 10),
        ("return_stage", 5),
        ("accept_stage", 5),
    ] {
        let logged: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE subject_id = $1 AND action = $2",
        )
        .bind(&project)
        .bind(action)
        .fetch_one(&app.pool)
        .await
        .expect("audit");
        assert_eq!(logged, times, "{action}");
    }

    // The teacher was told of every submission and reply; the pupils of every decision.
    let (_, body) = page_as(&app, "/notifications", &teacher).await;
    assert!(body.contains("сдал(а) этап «Защита» на проверку"), "{body}");
    assert!(body.contains("ответил(а) в обсуждении"));
    let (_, body) = page_as(&app, "/notifications", &maria).await;
    assert!(body.contains("принял(а) этап «Предзащита»"));
    assert!(body.contains("вернул(а) этап «Паспорт и план» на доработку"));
    act(&app, &maria, MarkNotificationsRead::url(), &[]).await;
    let (_, body) = page_as(&app, "/notifications", &maria).await;
    assert!(body.contains("Непрочитанных уведомлений: 0"));

    // The defence: the librarian joins the commission; both assess both pupils.
    let librarian = session(&app, "bibl.sosh1").await;
    let librarian_id = user_id(&app, "bibl.sosh1").await;
    let to = act(
        &app,
        &teacher,
        AddCommissionMember::url(),
        &[("project_id", &project), ("user_id", &librarian_id)],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let ilya_id = user_id(&app, "petrov.i").await;
    for (who, pupil, scores) in [
        (&teacher, &ilya_id, ["4", "3", "4", "3"]),
        (&teacher, &maria_id, ["2", "2", "3", "2"]),
        (&librarian, &ilya_id, ["4", "4", "4", "4"]),
        (&librarian, &maria_id, ["2", "2", "2", "2"]),
    ] {
        let to = act(
            &app,
            who,
            SaveAssessment::url(),
            &[
                ("project_id", &project),
                ("pupil_id", pupil),
                ("scores[0]", scores[0]),
                ("scores[1]", scores[1]),
                ("scores[2]", scores[2]),
                ("scores[3]", scores[3]),
            ],
        )
        .await;
        assert!(!to.contains("__err"), "{}", form_error_in(&to));
    }
    // A pupil cannot assess; a score of 5 is refused and changes nothing.
    let to = act(
        &app,
        &ilya,
        SaveAssessment::url(),
        &[
            ("project_id", &project),
            ("pupil_id", &ilya_id),
            ("scores[0]", "4"),
            ("scores[1]", "4"),
            ("scores[2]", "4"),
            ("scores[3]", "4"),
        ],
    )
    .await;
    assert!(form_error_in(&to).contains("Forbidden"), "{to}");
    let to = act(
        &app,
        &teacher,
        SaveAssessment::url(),
        &[
            ("project_id", &project),
            ("pupil_id", &ilya_id),
            ("scores[0]", "5"),
            ("scores[1]", "0"),
            ("scores[2]", "0"),
            ("scores[3]", "0"),
        ],
    )
    .await;
    assert!(form_error_in(&to).contains("OutOfRange"), "{to}");
    let to = act(
        &app,
        &teacher,
        SaveSupervisorReview::url(),
        &[
            ("project_id", &project),
            ("body", "Илья и Мария работали **самостоятельно** и в срок."),
        ],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));

    // The protocol: one sheet per pupil, the mean of the assessors and the level.
    let (status, protocol) =
        page_as(&app, &format!("/projects/{project}/protocol"), &teacher).await;
    assert_eq!(status, 200);
    assert_eq!(
        protocol.matches("class=\"protocol-sheet\"").count(),
        2,
        "{protocol}"
    );
    assert!(protocol.contains("Протокол защиты индивидуального проекта"));
    assert!(protocol.contains("Илья") && protocol.contains("Мария"));
    assert!(
        protocol.contains("<strong>15</strong>"),
        "Илья: (14 + 16) / 2"
    );
    assert!(
        protocol.contains("<strong>8,5</strong>"),
        "Мария: (9 + 8) / 2"
    );
    assert!(protocol.contains("повышенный") && protocol.contains("базовый"));
    let (_, letter) = page_as(&app, &format!("/projects/{project}/review-letter"), &maria).await;
    assert!(
        letter.contains("<strong>самостоятельно</strong>"),
        "{letter}"
    );
}

#[tokio::test]
async fn two_reviewers_deciding_at_once_cannot_both_win() {
    let app = spawn_demo().await;
    let teacher = session(&app, "uchitel.sosh1").await;
    let librarian = session(&app, "bibl.sosh1").await;
    let pupil = session(&app, "zaitsev.d").await;
    let project = project_id(&app, "Маяки Татарского пролива").await;
    let mut accepted = 0;
    let mut returned = 0;
    for _ in 0..3 {
        let number = number_in(&submit(&app, &pupil, &project).await);
        let (_, before, ..) = standing(&app, &project).await;
        let (a, b) = tokio::join!(
            decide(&app, &teacher, &project, number, "accept", ""),
            decide(
                &app,
                &librarian,
                &project,
                number,
                "return",
                "Добавьте вывод."
            )
        );
        let wins = [&a, &b].iter().filter(|to| !to.contains("__err")).count();
        assert_eq!(wins, 1, "exactly one decision: {a} / {b}");
        let loser = if a.contains("__err") { &a } else { &b };
        assert!(
            form_error_in(loser).contains("Conflict"),
            "the other is told"
        );
        let (_, after, state, _) = standing(&app, &project).await;
        let decided: String = sqlx::query_scalar(
            "SELECT state FROM submissions WHERE project_id = $1 AND number = $2",
        )
        .bind(&project)
        .bind(number)
        .fetch_one(&app.pool)
        .await
        .expect("state");
        // The project and the submission tell the same story.
        if decided == "accepted" {
            accepted += 1;
            assert_eq!((after, state.as_str()), (before + 1, "working"));
        } else {
            returned += 1;
            assert_eq!(
                (decided.as_str(), after, state.as_str()),
                ("returned", before, "returned")
            );
        }
    }
    assert_eq!(accepted + returned, 3);
}

#[tokio::test]
async fn only_the_right_people_move_a_project() {
    let app = spawn_demo().await;
    let project = project_id(&app, "Маяки Татарского пролива").await;
    let pupil = session(&app, "zaitsev.d").await;
    let (stage, ..) = standing(&app, &project).await;
    // Staff, parents, other pupils and other schools cannot submit for the pupil.
    for other in [
        "uchitel.sosh1",
        "bibl.sosh1",
        "ivanova.m",
        "bibl.gim3",
        "metodist",
    ] {
        let cookie = session(&app, other).await;
        let to = act(
            &app,
            &cookie,
            SubmitStage::url(),
            &[("project_id", &project), ("stage_id", &stage)],
        )
        .await;
        let error = form_error_in(&to);
        assert!(error.contains("Forbidden"), "{other}: {to}");
    }
    // A stale form (another stage) is refused whole.
    let to = act(
        &app,
        &pupil,
        SubmitStage::url(),
        &[("project_id", &project), ("stage_id", "not-this-one")],
    )
    .await;
    assert!(form_error_in(&to).contains("Conflict"));
    let number = number_in(&submit(&app, &pupil, &project).await);
    // Nobody outside the project's staff decides; nothing changed.
    for other in ["zaitsev.d", "ivanova.m", "bibl.gim3", "metodist"] {
        let cookie = session(&app, other).await;
        let to = decide(&app, &cookie, &project, number, "accept", "").await;
        assert!(form_error_in(&to).contains("Forbidden"), "{other}: {to}");
    }
    assert_eq!(standing(&app, &project).await.2, "submitted");
    // Anonymous visitors get nothing.
    assert_eq!(
        app.get(&format!("/projects/{project}/submissions/{number}"))
            .await
            .status()
            .as_u16(),
        401
    );
    // The header counts what waits for the teacher.
    let teacher = session(&app, "uchitel.sosh1").await;
    let (_, body) = page_as(&app, "/projects", &teacher).await;
    assert!(body.contains("на проверке: 1"), "{body}");
    let (_, board) = page_as(&app, "/dashboard", &session(&app, "bibl.sosh1").await).await;
    // The queue is oldest first: the demo's festival waited before.
    let festival = board
        .find("Фестиваль коренных народов Дальнего Востока: орнамент нанайцев и удэгейцев · №2")
        .expect("the festival waits");
    let lighthouses = board
        .find("Маяки Татарского пролива · №")
        .expect("the lighthouses wait");
    assert!(festival < lighthouses, "oldest first");
}

#[tokio::test]
async fn a_school_shapes_its_procedure_and_reminders_come_before_due_dates() {
    use app::review::api::{AddStage, DeleteStage, MoveStage, RenameStage, UpdateCriterion};
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let procedure = "/manage/sosh-1/procedure";
    let (status, body) = page_as(&app, procedure, &librarian).await;
    assert_eq!(status, 200);
    assert!(body.contains("Тема и руководитель утверждены"));
    // Only the school's office changes it.
    for other in ["bibl.gim3", "uchitel.sosh1", "ivanova.m"] {
        assert_eq!(
            page_as(&app, procedure, &session(&app, other).await)
                .await
                .0,
            403,
            "{other}"
        );
    }
    let stage = |code: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT st.id FROM stages st JOIN schools s ON s.id = st.school_id \
                 WHERE s.slug = 'sosh-1' AND st.code = $1",
            )
            .bind(code)
            .fetch_one(&pool)
            .await
            .expect("stage")
        }
    };
    let names = || {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT COALESCE(st.name, st.code) FROM stages st JOIN schools s ON s.id = st.school_id \
                 WHERE s.slug = 'sosh-1' ORDER BY st.position",
            )
            .fetch_all(&pool)
            .await
            .expect("stages")
        }
    };
    let ok = |to: String| assert!(!to.contains("__err"), "{}", form_error_in(&to));

    // Renamed: the projects on that stage show the school's name.
    let sources = stage("sources").await;
    ok(act(
        &app,
        &librarian,
        RenameStage::url(),
        &[
            ("slug", "sosh-1"),
            ("stage_id", &sources),
            ("name", "Источники и библиография"),
        ],
    )
    .await);
    let festival = project_id(
        &app,
        "Фестиваль коренных народов Дальнего Востока: орнамент нанайцев и удэгейцев",
    )
    .await;
    let (_, body) = page_as(&app, &format!("/projects/{festival}/workflow"), &librarian).await;
    assert!(body.contains("Источники и библиография"), "{body}");

    // A stage of its own goes before the defence, then up one; unused, it can be removed.
    ok(act(
        &app,
        &librarian,
        AddStage::url(),
        &[("slug", "sosh-1"), ("name", "Экспертиза текста")],
    )
    .await);
    assert_eq!(
        names().await,
        [
            "topic",
            "passport",
            "Источники и библиография",
            "product",
            "predefence",
            "Экспертиза текста",
            "defence"
        ]
    );
    let own: String = sqlx::query_scalar("SELECT id FROM stages WHERE name = 'Экспертиза текста'")
        .fetch_one(&app.pool)
        .await
        .expect("own stage");
    ok(act(
        &app,
        &librarian,
        MoveStage::url(),
        &[("slug", "sosh-1"), ("stage_id", &own), ("direction", "up")],
    )
    .await);
    assert_eq!(names().await[4], "Экспертиза текста");
    // The topic's approval stays first; a stage projects stand on stays.
    let topic = stage("topic").await;
    let passport = stage("passport").await;
    for (id, what) in [(&topic, "topic"), (&passport, "in use")] {
        let to = act(
            &app,
            &librarian,
            DeleteStage::url(),
            &[("slug", "sosh-1"), ("stage_id", id)],
        )
        .await;
        assert!(form_error_in(&to).contains("Conflict"), "{what}: {to}");
    }
    let to = act(
        &app,
        &librarian,
        MoveStage::url(),
        &[
            ("slug", "sosh-1"),
            ("stage_id", &passport),
            ("direction", "up"),
        ],
    )
    .await;
    assert!(
        form_error_in(&to).contains("Conflict"),
        "nothing goes above the topic"
    );
    ok(act(
        &app,
        &librarian,
        DeleteStage::url(),
        &[("slug", "sosh-1"), ("stage_id", &own)],
    )
    .await);
    assert_eq!(names().await.len(), 6);

    // A criterion of the school's own needs five level descriptors.
    let criterion: String = sqlx::query_scalar(
        "SELECT c.id FROM assessment_criteria c JOIN schools s ON s.id = c.school_id \
         WHERE s.slug = 'sosh-1' AND c.code = 'subject'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("criterion");
    let to = act(
        &app,
        &librarian,
        UpdateCriterion::url(),
        &[
            ("slug", "sosh-1"),
            ("criterion_id", &criterion),
            ("name", "Знание предмета"),
            ("descriptors", "нет\nмало\nсредне\nхорошо"),
        ],
    )
    .await;
    assert!(form_error_in(&to).contains("FiveLevels"), "{to}");
    ok(act(
        &app,
        &librarian,
        UpdateCriterion::url(),
        &[
            ("slug", "sosh-1"),
            ("criterion_id", &criterion),
            ("name", "Знание предмета"),
            ("descriptors", "нет\nмало\nсредне\nхорошо\nотлично"),
        ],
    )
    .await);
    let (_, body) = page_as(
        &app,
        &format!("/projects/{festival}/assessment"),
        &librarian,
    )
    .await;
    assert!(
        body.contains("Знание предмета") && body.contains("отлично"),
        "{body}"
    );

    // A due date two days ahead: the pupil and the teacher are reminded once each.
    let teacher = session(&app, "uchitel.sosh1").await;
    let pupil = session(&app, "zaitsev.d").await;
    let project = project_id(&app, "Маяки Татарского пролива").await;
    let (stage_id, ..) = standing(&app, &project).await;
    // Two days ahead in UTC is one or two days ahead in the district.
    let soon: String = sqlx::query_scalar("SELECT date('now', '+2 days')")
        .fetch_one(&app.pool)
        .await
        .expect("date");
    ok(act(
        &app,
        &teacher,
        SetStageDue::url(),
        &[
            ("project_id", &project),
            ("stage_id", &stage_id),
            ("due_on", &soon),
        ],
    )
    .await);
    let to = act(
        &app,
        &teacher,
        SetStageDue::url(),
        &[
            ("project_id", &project),
            ("stage_id", &stage_id),
            ("due_on", "31.02.2027"),
        ],
    )
    .await;
    assert!(form_error_in(&to).contains("BadDate"), "{to}");
    for _ in 0..2 {
        let (_, body) = page_as(&app, "/notifications", &pupil).await;
        assert!(body.contains("срок этапа «Паспорт и план»"), "{body}");
        page_as(&app, "/dashboard", &teacher).await;
    }
    let reminders: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE kind = 'due_soon' AND project_id = $1",
    )
    .bind(&project)
    .fetch_one(&app.pool)
    .await
    .expect("count");
    assert_eq!(reminders, 2, "one for the pupil, one for the teacher");

    // The librarian's board: the festival waits, counted by stage and by supervisor.
    let (_, board) = page_as(&app, "/dashboard", &librarian).await;
    assert!(
        board.contains("МБОУ СОШ № 1") || board.contains("СОШ № 1"),
        "{board}"
    );
    assert!(board.contains(
        "Фестиваль коренных народов Дальнего Востока: орнамент нанайцев и удэгейцев · №2"
    ));
    assert!(board.contains("Проекты по этапам") && board.contains("По руководителям"));
}
