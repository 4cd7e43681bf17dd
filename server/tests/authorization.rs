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
use common::{spawn_demo, user_id, TestApp};
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
/// People who read the project of the matrix: its pupil and her parent, its supervisor, the
/// school's librarian, the district.
const PROJECT_READERS: &[Who] = &[
    Who::Pupil,
    Who::Parent,
    Who::Supervisor,
    Who::Librarian,
    Who::Coordinator,
    Who::Admin,
];
const PROJECT_WRITERS: &[Who] = &[Who::Pupil, Who::Supervisor, Who::Librarian];
const PROJECT_MANAGERS: &[Who] = &[Who::Supervisor, Who::Librarian];
/// Those who publish the project (its supervisor, the school's librarian) and the district,
/// which may take any publication down.
const PUBLISHERS_AND_DISTRICT: &[Who] = &[
    Who::Supervisor,
    Who::Librarian,
    Who::Coordinator,
    Who::Admin,
];
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
    /// A project of the pupil, supervised by the teacher, with a page and a deleted page.
    project_id: String,
    page_id: String,
    deleted_page_id: String,
    file_id: String,
    /// A supervisor's remark on a submission of the project.
    remark_id: String,
    /// A record of the school's catalogue.
    record_id: String,
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
        ("load_my_projects", SIGNED_IN, Form(vec![])),
        (
            "load_new_project_form",
            PROJECT_MANAGERS,
            Form(vec![("slug", s("sosh-1"))]),
        ),
        (
            "create_project",
            PROJECT_MANAGERS,
            Form(vec![
                ("slug", s("sosh-1")),
                ("title", s("")),
                ("kind", s("individual")),
                ("project_type", s("research")),
            ]),
        ),
        (
            "propose_project",
            &[Who::Pupil],
            Form(vec![
                ("title", s("")),
                ("topic", s("")),
                ("project_type", s("research")),
                ("supervisor", s("")),
            ]),
        ),
        (
            "list_school_projects",
            THIS_SCHOOL_OFFICE,
            Form(vec![("slug", s("sosh-1"))]),
        ),
        (
            "load_project",
            PROJECT_READERS,
            Form(vec![("id", o.project_id.clone())]),
        ),
        (
            "decide_proposal",
            PROJECT_MANAGERS,
            project(o, vec![("decision", s("accept"))]),
        ),
        (
            "update_passport",
            PROJECT_WRITERS,
            project(
                o,
                vec![
                    ("title", s("")),
                    ("topic", s("")),
                    ("subject", s("")),
                    ("project_type", s("research")),
                    ("relevance", s("")),
                    ("goal", s("")),
                    ("tasks", s("")),
                    ("hypothesis", s("")),
                    ("product", s("")),
                    ("tags", s("")),
                ],
            ),
        ),
        (
            "set_project_kind",
            PROJECT_MANAGERS,
            project(o, vec![("kind", s(""))]),
        ),
        (
            "add_project_member",
            PROJECT_MANAGERS,
            project(o, vec![("pupil_id", s(""))]),
        ),
        (
            "remove_project_member",
            PROJECT_MANAGERS,
            project(o, vec![("pupil_id", s("nobody"))]),
        ),
        (
            "add_project_supervisor",
            PROJECT_MANAGERS,
            project(o, vec![("user_id", s(""))]),
        ),
        (
            "remove_project_supervisor",
            PROJECT_MANAGERS,
            project(o, vec![("user_id", s("nobody"))]),
        ),
        (
            "set_cover",
            PROJECT_WRITERS,
            project(o, vec![("file_id", s("nothing"))]),
        ),
        (
            "add_page",
            PROJECT_WRITERS,
            project(o, vec![("title", s(""))]),
        ),
        (
            "move_page",
            PROJECT_WRITERS,
            Form(vec![("page_id", o.page_id.clone()), ("direction", s("up"))]),
        ),
        (
            "reorder_pages",
            PROJECT_WRITERS,
            project(o, vec![("order", s(""))]),
        ),
        (
            "delete_page",
            PROJECT_WRITERS,
            Form(vec![("page_id", o.deleted_page_id.clone())]),
        ),
        (
            "restore_page",
            PROJECT_WRITERS,
            Form(vec![("page_id", o.page_id.clone())]),
        ),
        (
            "load_page",
            PROJECT_READERS,
            project(o, vec![("slug", s("vvedenie"))]),
        ),
        (
            "load_editor",
            PROJECT_WRITERS,
            project(o, vec![("slug", s("vvedenie"))]),
        ),
        (
            "save_page",
            PROJECT_WRITERS,
            Form(vec![
                ("page_id", o.page_id.clone()),
                ("base_revision", s("1")),
                ("title", s("")),
                ("body", s("")),
            ]),
        ),
        (
            "preview_page",
            PROJECT_WRITERS,
            Form(vec![
                ("page_id", o.page_id.clone()),
                ("base_revision", s("1")),
                ("title", s("")),
                ("body", s("")),
            ]),
        ),
        (
            "render_preview",
            PROJECT_WRITERS,
            project(o, vec![("body", s("**x**"))]),
        ),
        (
            "page_history",
            PROJECT_READERS,
            project(o, vec![("slug", s("vvedenie"))]),
        ),
        (
            "load_revision",
            PROJECT_READERS,
            project(o, vec![("slug", s("vvedenie")), ("number", s("1"))]),
        ),
        (
            "diff_revisions",
            PROJECT_READERS,
            project(
                o,
                vec![("slug", s("vvedenie")), ("from", s("1")), ("to", s("1"))],
            ),
        ),
        (
            "restore_revision",
            PROJECT_WRITERS,
            Form(vec![("page_id", o.page_id.clone()), ("number", s("999"))]),
        ),
        (
            "upload_file",
            PROJECT_WRITERS,
            Multipart(vec![("project_id", o.project_id.clone())]),
        ),
        (
            "delete_file",
            PROJECT_WRITERS,
            project(o, vec![("file_id", o.file_id.clone())]),
        ),
        // The review workflow.
        ("load_workflow", PROJECT_READERS, project(o, vec![])),
        (
            "submit_stage",
            &[Who::Pupil],
            project(o, vec![("stage_id", s("a stale stage"))]),
        ),
        (
            "load_submission",
            PROJECT_READERS,
            project(o, vec![("number", s("999"))]),
        ),
        (
            "add_remark",
            PROJECT_MANAGERS,
            project(o, vec![("number", s("999")), ("body", s(""))]),
        ),
        (
            "reply_to_remark",
            &[Who::Pupil, Who::Supervisor, Who::Librarian],
            Form(vec![("remark_id", o.remark_id.clone()), ("body", s(""))]),
        ),
        (
            "decide_submission",
            PROJECT_MANAGERS,
            project(o, vec![("number", s("999")), ("decision", s("accept"))]),
        ),
        (
            "set_stage_due",
            PROJECT_MANAGERS,
            project(o, vec![("stage_id", s("none")), ("due_on", s(""))]),
        ),
        (
            "add_diary_entry",
            PROJECT_WRITERS,
            project(o, vec![("entry_date", s("")), ("body", s(""))]),
        ),
        ("load_notifications", SIGNED_IN, Form(vec![])),
        (
            "mark_notifications_read",
            SIGNED_IN,
            Form(vec![("id", s("nothing"))]),
        ),
        ("load_header_counts", EVERYONE, Form(vec![])),
        ("load_dashboard", SIGNED_IN, Form(vec![])),
        ("load_assessment", PROJECT_READERS, project(o, vec![])),
        (
            "save_assessment",
            &[Who::Supervisor],
            project(o, vec![("pupil_id", s("nobody")), ("scores[0]", s(""))]),
        ),
        (
            "add_commission_member",
            PROJECT_MANAGERS,
            project(o, vec![("user_id", s("nobody"))]),
        ),
        (
            "remove_commission_member",
            PROJECT_MANAGERS,
            project(o, vec![("user_id", s("nobody"))]),
        ),
        (
            "save_supervisor_review",
            &[Who::Supervisor],
            project(o, vec![("body", s(""))]),
        ),
        ("load_protocol", PROJECT_READERS, project(o, vec![])),
        ("load_review_letter", PROJECT_READERS, project(o, vec![])),
        (
            "load_procedure",
            THIS_SCHOOL_OFFICE,
            Form(vec![("slug", s("sosh-1"))]),
        ),
        (
            "rename_stage",
            THIS_SCHOOL_OFFICE,
            Form(vec![
                ("slug", s("sosh-1")),
                ("stage_id", s("none")),
                ("name", s("")),
            ]),
        ),
        (
            "move_stage",
            THIS_SCHOOL_OFFICE,
            Form(vec![
                ("slug", s("sosh-1")),
                ("stage_id", s("none")),
                ("direction", s("up")),
            ]),
        ),
        (
            "add_stage",
            THIS_SCHOOL_OFFICE,
            Form(vec![("slug", s("sosh-1")), ("name", s(""))]),
        ),
        (
            "delete_stage",
            THIS_SCHOOL_OFFICE,
            Form(vec![("slug", s("sosh-1")), ("stage_id", s("none"))]),
        ),
        (
            "update_criterion",
            THIS_SCHOOL_OFFICE,
            Form(vec![
                ("slug", s("sosh-1")),
                ("criterion_id", s("none")),
                ("name", s("")),
                ("descriptors", s("")),
            ]),
        ),
        // The catalogue.
        (
            "load_catalog_admin",
            THIS_SCHOOL_OFFICE,
            Form(vec![("slug", s("sosh-1"))]),
        ),
        (
            "import_catalog",
            THIS_SCHOOL_OFFICE,
            Multipart(vec![("slug", s("sosh-1"))]),
        ),
        (
            "load_catalog_import",
            THIS_SCHOOL_OFFICE,
            Form(vec![("slug", s("sosh-1")), ("id", s("none"))]),
        ),
        (
            "search_catalog",
            EVERYONE,
            Form(vec![
                ("q", s("книга")),
                ("school", s("")),
                ("kind", s("")),
                ("available", s("")),
                ("age", s("")),
                ("page", s("1")),
            ]),
        ),
        ("load_record", EVERYONE, Form(vec![("id", s("none"))])),
        (
            "add_copy",
            THIS_SCHOOL_OFFICE,
            Form(vec![
                ("record_id", o.record_id.clone()),
                ("inventory_number", s("")),
                ("shelf_mark", s("")),
            ]),
        ),
        (
            "set_copy_available",
            THIS_SCHOOL_OFFICE,
            Form(vec![
                ("record_id", o.record_id.clone()),
                ("copy_id", s("none")),
                ("available", s("true")),
            ]),
        ),
        (
            "remove_copy",
            THIS_SCHOOL_OFFICE,
            Form(vec![
                ("record_id", o.record_id.clone()),
                ("copy_id", s("none")),
            ]),
        ),
        (
            "merge_records",
            THIS_SCHOOL_OFFICE,
            Form(vec![
                ("record_id", o.record_id.clone()),
                ("duplicate_id", s("none")),
            ]),
        ),
        (
            "load_record_form",
            THIS_SCHOOL_OFFICE,
            Form(vec![("slug", s("sosh-1")), ("record_id", s("new"))]),
        ),
        (
            "save_catalog_record",
            THIS_SCHOOL_OFFICE,
            Form(
                [
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
                    "series",
                    "isbn",
                    "host_title",
                    "host_issue",
                    "host_pages",
                    "url",
                    "age_rating",
                    "subjects",
                    "annotation",
                ]
                .into_iter()
                .map(|f| (f, s("")))
                .chain([("slug", s("sosh-1")), ("record_id", s("new"))])
                .collect(),
            ),
        ),
        (
            "set_min_sources",
            THIS_SCHOOL_OFFICE,
            Form(vec![("slug", s("sosh-1")), ("min_sources", s(""))]),
        ),
        (
            "load_sources",
            PROJECT_READERS,
            project(o, vec![("q", s(""))]),
        ),
        (
            "add_catalog_source",
            PROJECT_WRITERS,
            project(o, vec![("record_id", s("none"))]),
        ),
        (
            "add_own_source",
            PROJECT_WRITERS,
            project(
                o,
                vec![
                    ("kind", s("")),
                    ("authors", s("")),
                    ("title", s("")),
                    ("other_title", s("")),
                    ("responsibility", s("")),
                    ("edition", s("")),
                    ("place", s("")),
                    ("publisher", s("")),
                    ("year", s("")),
                    ("extent", s("")),
                    ("isbn", s("")),
                    ("host_title", s("")),
                    ("host_issue", s("")),
                    ("host_pages", s("")),
                    ("url", s("")),
                    ("access_date", s("")),
                ],
            ),
        ),
        (
            "remove_source",
            PROJECT_WRITERS,
            project(o, vec![("source_id", s("none"))]),
        ),
        // The showcase: reading a publication is everyone's (a 404 when there is none), the
        // panel and taking down are the publishers' and the district's, publishing the
        // publishers'.
        (
            "load_publication",
            EVERYONE,
            Form(vec![("project_id", o.project_id.clone())]),
        ),
        ("load_shared", EVERYONE, Form(vec![("token", s("none"))])),
        ("load_published", EVERYONE, Form(vec![("school", s(""))])),
        (
            "load_publish_panel",
            PUBLISHERS_AND_DISTRICT,
            project(o, vec![]),
        ),
        (
            "publish_project",
            PROJECT_MANAGERS,
            project(o, vec![("number", s("99")), ("audience", s("public"))]),
        ),
        (
            "unpublish_project",
            PUBLISHERS_AND_DISTRICT,
            project(o, vec![]),
        ),
        (
            "share_project_link",
            PROJECT_MANAGERS,
            project(o, vec![("number", s("99")), ("days", s("7"))]),
        ),
        (
            "revoke_project_link",
            PUBLISHERS_AND_DISTRICT,
            project(o, vec![("link_id", s("none"))]),
        ),
        // Initiatives and search: the public pages are everyone's (each reader sees what the
        // policy lets them); running initiatives is the district's; entering a project is for
        // those who publish it.
        ("load_initiatives", EVERYONE, Form(vec![])),
        (
            "load_school_initiatives",
            EVERYONE,
            Form(vec![("school", s("sosh-1"))]),
        ),
        ("load_initiative", EVERYONE, Form(vec![("slug", s("none"))])),
        (
            "search_showcase",
            EVERYONE,
            Form(vec![("q", s("проект")), ("school", s("")), ("tag", s(""))]),
        ),
        ("load_children_projects", EVERYONE, Form(vec![])),
        ("load_initiatives_admin", DISTRICT_OFFICE, Form(vec![])),
        (
            "load_initiative_editor",
            DISTRICT_OFFICE,
            Form(vec![("slug", s("none")), ("q", s(""))]),
        ),
        (
            "save_initiative",
            DISTRICT_OFFICE,
            Form(vec![
                ("current", s("none")),
                ("initiative[slug]", s("")),
                ("initiative[title]", s("")),
                ("initiative[level]", s("municipal")),
                ("initiative[organiser]", s("")),
                ("initiative[starts_on]", s("")),
                ("initiative[ends_on]", s("")),
            ]),
        ),
        (
            "set_initiative_schools",
            DISTRICT_OFFICE,
            Form(vec![("slug", s("none"))]),
        ),
        (
            "add_reading",
            DISTRICT_OFFICE,
            Form(vec![
                ("slug", s("none")),
                ("record_id", o.record_id.clone()),
            ]),
        ),
        (
            "remove_reading",
            DISTRICT_OFFICE,
            Form(vec![
                ("slug", s("none")),
                ("record_id", o.record_id.clone()),
            ]),
        ),
        (
            "load_project_initiatives",
            PUBLISHERS_AND_DISTRICT,
            project(o, vec![]),
        ),
        (
            "enter_initiative",
            PUBLISHERS_AND_DISTRICT,
            project(o, vec![("slug", s("none"))]),
        ),
        (
            "withdraw_from_initiative",
            PUBLISHERS_AND_DISTRICT,
            project(o, vec![("slug", s("none"))]),
        ),
        // The library's report.
        (
            "load_catalog_report",
            THIS_SCHOOL_OFFICE,
            Form(vec![("slug", s("sosh-1")), ("year", s(""))]),
        ),
    ]
}

/// A form about the matrix's project.
fn project(o: &Objects, mut fields: Vec<(&'static str, String)>) -> Body {
    fields.insert(0, ("project_id", o.project_id.clone()));
    Body::Form(fields)
}

/// The function's name in its path: `/api/load_school12345` → `load_school`.
fn name_of(path: &str) -> &str {
    path.trim_start_matches("/api/")
        .trim_end_matches(|c: char| c.is_ascii_digit())
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
    let teacher = user_id(app, "uchitel.sosh1").await;
    let (project_id, page_id, deleted_page_id, file_id) =
        matrix_project(app, &school, year as i32, &pupil_id, &teacher).await;
    let remark_id = matrix_remark(app, &project_id, &teacher).await;
    let record_id: String =
        sqlx::query_scalar("SELECT id FROM catalog_records WHERE school_id = $1 LIMIT 1")
            .bind(&school)
            .fetch_one(pool)
            .await
            .expect("a record of the demo's catalogue");
    Objects {
        record_id,
        remark_id,
        project_id,
        page_id,
        deleted_page_id,
        file_id,
        other_pupil_id: user_id(app, "kim.s").await,
        class_id,
        pupil_id,
        consent_id,
        invite_id,
        import_id,
        year: year as i32,
    }
}

/// The matrix's project: the pupil's, supervised by the teacher, with a page «Введение», a
/// deleted page and a file (deleting it is allowed; then it is gone for the callers after).
async fn matrix_project(
    app: &TestApp,
    school: &str,
    year: i32,
    pupil: &str,
    teacher: &str,
) -> (String, String, String, String) {
    use app::projects::db;
    let mut tx = app::db::begin_write(&app.pool).await.expect("tx");
    let project = db::insert_project(
        &mut tx,
        &db::NewProject {
            school_id: school,
            academic_year: year,
            kind: "individual",
            status: "active",
            title: "Проект для матрицы",
            topic: "",
            subject: "",
            project_type: "research",
            created_by: teacher,
        },
    )
    .await
    .expect("project");
    db::add_member(&mut *tx, &project, pupil, "")
        .await
        .expect("member");
    db::add_supervisor(&mut *tx, &project, teacher)
        .await
        .expect("supervisor");
    let revision = |title: &'static str| db::NewRevision {
        title,
        body: "",
        html: "",
        toc: "[]",
        summary: "",
        author_id: teacher,
        restored_from: None,
    };
    let page = db::insert_page(&mut tx, &project, "vvedenie", &revision("Введение"))
        .await
        .expect("page");
    let gone = db::insert_page(&mut tx, &project, "udalena", &revision("Удалена"))
        .await
        .expect("page");
    db::delete_page(&mut tx, &gone, teacher)
        .await
        .expect("delete");
    let file = db::insert_file(
        &mut tx,
        &db::NewFile {
            project_id: &project,
            name: "doklad.pdf",
            file_type: "pdf",
            width: None,
            height: None,
            sha256: "0",
            uploaded_by: teacher,
            variants: vec![("original", "application/pdf", b"%PDF-1.4\n")],
        },
    )
    .await
    .expect("file");
    tx.commit().await.expect("commit");
    (project, page, gone, file)
}

/// A submission of the matrix's project (decided, so that nothing moves) with a remark.
async fn matrix_remark(app: &TestApp, project: &str, teacher: &str) -> String {
    use app::review::db;
    let mut tx = app::db::begin_write(&app.pool).await.expect("tx");
    let stage: String = sqlx::query_scalar("SELECT stage_id FROM projects WHERE id = $1")
        .bind(project)
        .fetch_one(&mut *tx)
        .await
        .expect("stage");
    let (submission, _) = db::insert_submission(&mut tx, project, &stage, "{}", teacher)
        .await
        .expect("submission");
    db::decide_submission(&mut tx, &submission, "returned", teacher, "")
        .await
        .expect("decided");
    let remark = db::insert_remark(
        &mut tx,
        &db::NewRemark {
            submission_id: &submission,
            project_id: project,
            parent_id: None,
            page_id: None,
            anchor: None,
            author_id: teacher,
            body: "Замечание",
        },
    )
    .await
    .expect("remark");
    tx.commit().await.expect("commit");
    remark
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
async fn refusal(name: &str, response: reqwest::Response) -> Option<AppError> {
    if response.status().is_success() || response.status().is_redirection() {
        return None;
    }
    let text = response.text().await.unwrap_or_default();
    match serde_json::from_str::<AppError>(&text) {
        Ok(error @ (AppError::Unauthorized | AppError::Forbidden)) => Some(error),
        // Arguments that do not even decode never reach the policy: the table must be fixed.
        Ok(AppError::BadRequest) => panic!("{name}: arguments that do not decode: {text}"),
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
    // Two functions of the same name would hide one of them from this table (it happened:
    // `load_import` of rosters and of the catalogue).
    let names: Vec<&str> = registered.iter().map(|(name, _)| name.as_str()).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(
        names.len(),
        unique.len(),
        "server functions share a name: {names:?}"
    );
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
            let refused = refusal(name, response).await;
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
