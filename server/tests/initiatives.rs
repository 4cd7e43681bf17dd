//! Initiatives through the real router: the coordinator creates one with its schools and
//! reading list (and nobody else may); bad input changes nothing; each reading-list item shows
//! every participating school's copies; supervisors enter their projects only in initiatives
//! their school takes part in; and the initiative's page, feed and the sitemap show each reader
//! only what is published to them.

mod common;

use app::initiatives::api::{
    AddReading, EnterInitiative, RemoveReading, SaveInitiative, SetInitiativeSchools,
    WithdrawFromInitiative,
};
use common::{
    between, count, form_error_in, get_text, page_as, post, project_id, publication_links, session,
    spawn_demo, well_formed, TestApp,
};
use leptos::server_fn::ServerFn;

/// One school's group of entered projects on an initiative's page.
fn school_group<'a>(page: &'a str, slug: &str) -> &'a str {
    between(
        page,
        &format!("aria-labelledby=\"school-{slug}\" class=\"school-projects\""),
        "</section>",
    )
}

/// One item of the public reading list, with its availability.
fn reading_item<'a>(page: &'a str, record_id: &str) -> &'a str {
    let item = between(page, &format!("<a href=\"/catalog/{record_id}\""), "</ol>");
    // Up to the next item.
    match item[1..].find("<a href=\"/catalog/") {
        Some(next) => &item[..next + 1],
        None => item,
    }
}

/// Today and a day three months on, as the server's database counts them (`YYYY-MM-DD`).
async fn current_dates(app: &TestApp) -> (String, String) {
    sqlx::query_as("SELECT date('now'), date('now', '+90 days')")
        .fetch_one(&app.pool)
        .await
        .expect("dates")
}

/// A form's fields as posted.
type Form<'a> = Vec<(&'static str, &'a str)>;

/// The new-initiative form as the coordinator fills it in.
fn initiative_form<'a>(
    current: &'a str,
    slug: &'a str,
    title: &'a str,
    starts_on: &'a str,
    ends_on: &'a str,
) -> Form<'a> {
    vec![
        ("current", current),
        ("initiative[slug]", slug),
        ("initiative[title]", title),
        ("initiative[level]", "municipal"),
        ("initiative[school]", ""),
        ("initiative[organiser]", "ИБЦ «Маяк» МБОУ СОШ № 1"),
        ("initiative[starts_on]", starts_on),
        ("initiative[ends_on]", ends_on),
        (
            "initiative[description]",
            "Читаем **вместе** всю зиму.\n\n<script>alert(1)</script>",
        ),
    ]
}

#[tokio::test]
async fn the_coordinator_creates_an_initiative_with_its_schools_and_reading_list() {
    let app = spawn_demo().await;
    let coordinator = session(&app, "metodist").await;
    let admin = "/manage/initiatives";
    let (status, page) = page_as(&app, admin, &coordinator).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("name=\"initiative[title]\"") && page.contains("festival-korennyh-narodov"),
        "{page}"
    );
    let (today, later) = current_dates(&app).await;

    // Created from the form: the coordinator lands on its page.
    let form = initiative_form("", "zimnee-chtenie", "Зимнее чтение", &today, &later);
    let to = post(&app, &coordinator, admin, SaveInitiative::PATH, &form).await;
    assert!(
        to.ends_with("/manage/initiatives/zimnee-chtenie"),
        "{to} {}",
        form_error_in(&to)
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM initiatives").await, 3);
    let editor = "/manage/initiatives/zimnee-chtenie";
    let (status, page) = page_as(&app, editor, &coordinator).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("value=\"Зимнее чтение\""), "{page}");

    // Its public page, with the description rendered and nothing of the script left to run.
    let public = "/initiatives/zimnee-chtenie";
    let (status, page) = page_as(&app, public, "").await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("<h1>Зимнее чтение</h1>")
            && page.contains("<strong>вместе</strong>")
            && page.contains("Муниципальная")
            && page.contains("Список чтения пока пуст."),
        "{page}"
    );
    assert!(!page.contains("<script>alert(1)"), "{page}");
    let (_, list) = page_as(&app, "/initiatives", "").await;
    assert!(
        list.contains("href=\"/initiatives/zimnee-chtenie\""),
        "{list}"
    );

    // The participating schools, as unticked checkboxes leave their indices: sparse.
    let to = post(
        &app,
        &coordinator,
        editor,
        SetInitiativeSchools::PATH,
        &[
            ("slug", "zimnee-chtenie"),
            ("schools[0]", "sosh-1"),
            ("schools[2]", "gimnaziya-3"),
        ],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let taking_part = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT s.slug FROM initiative_schools i JOIN schools s ON s.id = i.school_id \
                 JOIN initiatives n ON n.id = i.initiative_id \
                 WHERE n.slug = 'zimnee-chtenie' ORDER BY s.slug",
            )
            .fetch_all(&pool)
            .await
            .expect("schools")
        }
    };
    assert_eq!(taking_part(&app).await, ["gimnaziya-3", "sosh-1"]);
    let (_, page) = page_as(&app, public, "").await;
    let facts = between(&page, "<dl class=\"facts\">", "</dl>");
    assert!(
        facts.contains("href=\"/schools/sosh-1\"")
            && facts.contains("href=\"/schools/gimnaziya-3\"")
            && !facts.contains("href=\"/schools/sosh-7\""),
        "{facts}"
    );
    // Saving again replaces the list.
    let to = post(
        &app,
        &coordinator,
        editor,
        SetInitiativeSchools::PATH,
        &[("slug", "zimnee-chtenie"), ("schools[5]", "sosh-7")],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    assert_eq!(taking_part(&app).await, ["sosh-7"]);

    // The reading list: two records of СОШ № 1's fund in, the first one out again.
    let records: Vec<String> = sqlx::query_scalar(
        "SELECT r.id FROM catalog_records r JOIN schools s ON s.id = r.school_id \
         WHERE s.slug = 'sosh-1' ORDER BY r.sort_key LIMIT 2",
    )
    .fetch_all(&app.pool)
    .await
    .expect("records");
    let [first, second] = records.as_slice() else {
        panic!("two records of СОШ № 1: {records:?}");
    };
    for record in [first, second] {
        let to = post(
            &app,
            &coordinator,
            editor,
            AddReading::PATH,
            &[("slug", "zimnee-chtenie"), ("record_id", record)],
        )
        .await;
        assert!(to.contains("/manage/initiatives/zimnee-chtenie"), "{to}");
        assert!(!to.contains("__err"), "{}", form_error_in(&to));
    }
    let reading = "SELECT COUNT(*) FROM initiative_records ir \
                   JOIN initiatives i ON i.id = ir.initiative_id WHERE i.slug = 'zimnee-chtenie'";
    assert_eq!(count(&app, reading).await, 2);
    // Listed once.
    let to = post(
        &app,
        &coordinator,
        editor,
        AddReading::PATH,
        &[("slug", "zimnee-chtenie"), ("record_id", first)],
    )
    .await;
    assert!(form_error_in(&to).contains("Conflict"), "{to}");
    assert_eq!(count(&app, reading).await, 2);
    let to = post(
        &app,
        &coordinator,
        editor,
        RemoveReading::PATH,
        &[("slug", "zimnee-chtenie"), ("record_id", first)],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    assert_eq!(count(&app, reading).await, 1);
    let (_, page) = page_as(&app, public, "").await;
    assert!(
        page.contains(&format!("href=\"/catalog/{second}\""))
            && !page.contains(&format!("href=\"/catalog/{first}\"")),
        "{page}"
    );
    let (_, page) = page_as(&app, editor, &coordinator).await;
    let list = between(&page, "<ol class=\"reading-list\">", "</ol>");
    assert!(
        list.contains(&format!("value=\"{second}\"")) && !list.contains(first.as_str()),
        "{list}"
    );
    for (action, n) in [
        ("create_initiative", 1),
        ("set_initiative_schools", 2),
        ("add_initiative_record", 2),
        ("remove_initiative_record", 1),
    ] {
        assert_eq!(
            count(
                &app,
                &format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")
            )
            .await,
            n,
            "{action}"
        );
    }
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_changes_nothing() {
    let app = spawn_demo().await;
    let coordinator = session(&app, "metodist").await;
    let admin = "/manage/initiatives";
    let (today, later) = current_dates(&app).await;
    let form = initiative_form("", "zimnee-chtenie", "Зимнее чтение", &today, &later);
    let to = post(&app, &coordinator, admin, SaveInitiative::PATH, &form).await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let snapshot = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_as::<_, (i64, String, String, i64)>(
                "SELECT (SELECT COUNT(*) FROM initiatives), \
                        (SELECT title FROM initiatives WHERE slug = 'zimnee-chtenie'), \
                        (SELECT ends_on FROM initiatives WHERE slug = 'zimnee-chtenie'), \
                        (SELECT COUNT(*) FROM audit_log)",
            )
            .fetch_one(&pool)
            .await
            .expect("snapshot")
        }
    };
    let before = snapshot(&app).await;

    // (what, the form as posted, the field named, its problem)
    let new = |slug, title, starts, ends| initiative_form("", slug, title, starts, ends);
    let cases: Vec<(&str, Form, &str, &str)> = vec![
        (
            "no title",
            new("letnee-chtenie", "  ", &today, &later),
            "title",
            "Required",
        ),
        (
            "ends before it starts",
            new("letnee-chtenie", "Летнее чтение", &later, &today),
            "ends_on",
            "EndsBeforeStart",
        ),
        (
            "no date",
            new("letnee-chtenie", "Летнее чтение", &today, "31.05.2027"),
            "ends_on",
            "BadDate",
        ),
        (
            "not a slug",
            new("Летнее чтение!", "Летнее чтение", &today, &later),
            "slug",
            "BadSlug",
        ),
        (
            "a page's own name",
            new("new", "Летнее чтение", &today, &later),
            "slug",
            "BadSlug",
        ),
        (
            "a taken slug",
            new("chitaem-vmeste", "Летнее чтение", &today, &later),
            "slug",
            "Taken",
        ),
        (
            "renamed to a taken slug",
            initiative_form(
                "zimnee-chtenie",
                "festival-korennyh-narodov",
                "Зимнее чтение (новое)",
                &today,
                &later,
            ),
            "slug",
            "Taken",
        ),
    ];
    for (what, form, field, problem) in cases {
        let current = form[0].1; // the `current` field: empty for a new initiative
        let referer = if current.is_empty() {
            admin.to_owned()
        } else {
            format!("/manage/initiatives/{current}")
        };
        let to = post(&app, &coordinator, &referer, SaveInitiative::PATH, &form).await;
        let error = form_error_in(&to);
        assert!(
            error.contains(&format!("initiative[{field}]")) && error.contains(problem),
            "{what}: {to} {error}"
        );
        assert!(to.contains(&referer), "{what}: sent back to the form, {to}");
        assert_eq!(snapshot(&app).await, before, "{what} changed something");
    }
    // The form shows the problem next to its field.
    let to = post(
        &app,
        &coordinator,
        admin,
        SaveInitiative::PATH,
        &initiative_form("", "letnee-chtenie", "", &today, &later),
    )
    .await;
    let path = to.trim_start_matches(&app.base);
    let (status, page) = page_as(&app, path, &coordinator).await;
    assert_eq!(status, 200);
    let message = between(&page, "id=\"initiative-title-error\"", "</p>");
    assert!(message.contains("Заполните это поле."), "{page}");
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test]
async fn only_the_district_manages_initiatives() {
    let app = spawn_demo().await;
    let (today, later) = current_dates(&app).await;
    let before = count(&app, "SELECT COUNT(*) FROM initiatives").await;
    let schools = "SELECT COUNT(*) FROM initiative_schools";
    let reading = "SELECT COUNT(*) FROM initiative_records";
    let (schools_before, reading_before) = (count(&app, schools).await, count(&app, reading).await);
    let record: String = sqlx::query_scalar("SELECT id FROM catalog_records LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .expect("a record");
    let form = initiative_form("", "chuzhaya", "Чужая инициатива", &today, &later);
    for (who, username, refusal, page_status) in [
        ("librarian", "bibl.sosh1", "Forbidden", 403),
        ("supervisor", "uchitel.sosh1", "Forbidden", 403),
        ("pupil", "ivanova.m", "Forbidden", 403),
        ("parent", "roditel.lebedeva", "Forbidden", 403),
        ("anonymous", "", "Unauthorized", 401),
    ] {
        let cookie = if username.is_empty() {
            String::new()
        } else {
            session(&app, username).await
        };
        assert_eq!(
            page_as(&app, "/manage/initiatives", &cookie).await.0,
            page_status,
            "{who} opening the management page"
        );
        assert_eq!(
            page_as(&app, "/manage/initiatives/chitaem-vmeste", &cookie)
                .await
                .0,
            page_status,
            "{who} opening an initiative's management page"
        );
        let to = post(&app, &cookie, "/initiatives", SaveInitiative::PATH, &form).await;
        assert!(form_error_in(&to).contains(refusal), "{who}: {to}");
        let edit = initiative_form(
            "chitaem-vmeste",
            "chitaem-vmeste",
            "Переименовано",
            &today,
            &later,
        );
        let to = post(&app, &cookie, "/initiatives", SaveInitiative::PATH, &edit).await;
        assert!(form_error_in(&to).contains(refusal), "{who}: {to}");
        let to = post(
            &app,
            &cookie,
            "/initiatives/chitaem-vmeste",
            SetInitiativeSchools::PATH,
            &[("slug", "chitaem-vmeste"), ("schools[0]", "sosh-12")],
        )
        .await;
        assert!(form_error_in(&to).contains(refusal), "{who}: {to}");
        let to = post(
            &app,
            &cookie,
            "/initiatives/chitaem-vmeste",
            AddReading::PATH,
            &[("slug", "chitaem-vmeste"), ("record_id", &record)],
        )
        .await;
        assert!(form_error_in(&to).contains(refusal), "{who}: {to}");
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM initiatives").await,
        before
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM initiatives WHERE title = 'Переименовано'"
        )
        .await,
        0
    );
    assert_eq!(count(&app, schools).await, schools_before);
    assert_eq!(count(&app, reading).await, reading_before);
    // Nobody but the coordinator is offered the management link.
    let (_, page) = page_as(&app, "/initiatives", &session(&app, "bibl.sosh1").await).await;
    assert!(!page.contains("href=\"/manage/initiatives\""), "{page}");
    let (_, page) = page_as(&app, "/initiatives", &session(&app, "metodist").await).await;
    assert!(page.contains("href=\"/manage/initiatives\""), "{page}");
}

#[tokio::test]
async fn the_reading_list_shows_each_participating_schools_copies() {
    let app = spawn_demo().await;
    let coordinator = session(&app, "metodist").await;
    let slug = "festival-korennyh-narodov";
    let public = format!("/initiatives/{slug}");
    // A printed book of СОШ № 1 without copies yet, and without twins by ISBN.
    let record: String = sqlx::query_scalar(
        "SELECT r.id FROM catalog_records r JOIN schools s ON s.id = r.school_id \
         WHERE s.slug = 'sosh-1' AND r.kind = 'printed_book' \
           AND NOT EXISTS (SELECT 1 FROM catalog_copies c WHERE c.record_id = r.id) \
           AND (r.isbn IS NULL OR NOT EXISTS ( \
                SELECT 1 FROM catalog_records o WHERE o.isbn = r.isbn AND o.id <> r.id)) \
         ORDER BY r.sort_key LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("a printed book of СОШ № 1 without copies");
    let to = post(
        &app,
        &coordinator,
        &format!("/manage/initiatives/{slug}"),
        AddReading::PATH,
        &[("slug", slug), ("record_id", &record)],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));

    // In the catalogue, no copies counted yet.
    let (status, page) = page_as(&app, &public, "").await;
    assert_eq!(status, 200);
    let item = reading_item(&page, &record);
    assert!(item.contains("МБОУ СОШ № 1: есть в каталоге"), "{item}");

    // Three copies, one of them out.
    for (n, available) in [(1, true), (2, true), (3, false)] {
        sqlx::query(
            "INSERT INTO catalog_copies (id, record_id, inventory_number, available, created_at) \
             VALUES ($1, $2, $3, $4, '2026-09-01T00:00:00Z')",
        )
        .bind(format!("test-copy-{n}"))
        .bind(&record)
        .bind(format!("ИНВ-{n}"))
        .bind(available)
        .execute(&app.pool)
        .await
        .expect("a copy");
    }
    let (_, page) = page_as(&app, &public, "").await;
    let item = reading_item(&page, &record);
    assert!(
        item.contains("МБОУ СОШ № 1: экземпляров: 3, на полке: 2"),
        "{item}"
    );
    // The other participating schools have no such book.
    for school in ["МБОУ «Гимназия № 3»", "МБОУ СОШ № 7"] {
        assert!(item.contains(&format!("{school}: нет в фонде")), "{item}");
    }
    // Only participating schools are listed.
    assert!(!item.contains("СОШ № 5"), "{item}");

    // A district e-resource is online for every school.
    let online: String = sqlx::query_scalar(
        "SELECT ir.record_id FROM initiative_records ir \
         JOIN initiatives i ON i.id = ir.initiative_id \
         JOIN catalog_records r ON r.id = ir.record_id \
         WHERE i.slug = $1 AND r.school_id IS NULL LIMIT 1",
    )
    .bind(slug)
    .fetch_one(&app.pool)
    .await
    .expect("a district e-resource on the festival's list");
    let item = reading_item(&page, &online);
    assert!(item.contains("онлайн"), "{item}");
    assert!(!item.contains("нет в фонде"), "{item}");
    // Each item leads to its catalogue page.
    assert_eq!(
        page_as(&app, &format!("/catalog/{record}"), "").await.0,
        200
    );
}

#[tokio::test]
async fn a_supervisor_enters_a_project_that_its_people_see_and_visitors_only_count() {
    let app = spawn_demo().await;
    let teacher = session(&app, "uchitel.sosh1").await;
    let member = session(&app, "zaitsev.d").await;
    let far_librarian = session(&app, "bibl.gim3").await;
    let lighthouses = project_id(&app, "Маяки Татарского пролива").await;
    let panel = format!("/projects/{lighthouses}/publish");
    let slug = "chitaem-vmeste";
    let public = format!("/initiatives/{slug}");
    let entered = |app: &TestApp| {
        let pool = app.pool.clone();
        let project = lighthouses.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT i.slug FROM initiative_projects ip \
                 JOIN initiatives i ON i.id = ip.initiative_id \
                 WHERE ip.project_id = $1 ORDER BY i.slug",
            )
            .bind(project)
            .fetch_all(&pool)
            .await
            .expect("entered")
        }
    };
    let all_entries = "SELECT COUNT(*) FROM initiative_projects";
    let entries_before = count(&app, all_entries).await;

    // The publisher's panel offers the initiatives СОШ № 1 takes part in.
    let (status, page) = page_as(&app, &panel, &teacher).await;
    assert_eq!(status, 200, "{page}");
    let section = between(&page, "id=\"initiatives\"", "</section>");
    assert!(
        section.contains("href=\"/initiatives/chitaem-vmeste\"")
            && section.contains("href=\"/initiatives/festival-korennyh-narodov\"")
            && section.contains("Заявить проект"),
        "{section}"
    );
    let (_, page) = page_as(&app, &public, "").await;
    let hidden = "Ещё проектов готовится или опубликовано для своих";
    assert!(
        school_group(&page, "sosh-1").contains(&format!("{hidden}: 1")),
        "{page}"
    );

    // A pupil of the project may not enter it.
    let to = post(
        &app,
        &member,
        &panel,
        EnterInitiative::PATH,
        &[("project_id", &lighthouses), ("slug", slug)],
    )
    .await;
    assert!(form_error_in(&to).contains("Forbidden"), "{to}");
    // Nor may another school's librarian.
    let to = post(
        &app,
        &far_librarian,
        &public,
        EnterInitiative::PATH,
        &[("project_id", &lighthouses), ("slug", slug)],
    )
    .await;
    assert!(to.contains("__err"), "{to}");
    assert!(entered(&app).await.is_empty());

    // Its supervisor enters it.
    let to = post(
        &app,
        &teacher,
        &panel,
        EnterInitiative::PATH,
        &[("project_id", &lighthouses), ("slug", slug)],
    )
    .await;
    assert!(
        to.ends_with(&format!("{panel}#initiatives")),
        "{to} {}",
        form_error_in(&to)
    );
    assert_eq!(entered(&app).await, [slug]);
    let (_, page) = page_as(&app, &panel, &teacher).await;
    let section = between(&page, "id=\"initiatives\"", "</section>");
    assert!(
        section.contains("проект заявлен") && section.contains("Снять с участия"),
        "{section}"
    );
    // Once only.
    let to = post(
        &app,
        &teacher,
        &panel,
        EnterInitiative::PATH,
        &[("project_id", &lighthouses), ("slug", slug)],
    )
    .await;
    assert!(form_error_in(&to).contains("Conflict"), "{to}");

    // Its people see it, as their project in work; visitors only count it.
    let link = format!("<a href=\"/projects/{lighthouses}\">Маяки Татарского пролива</a>");
    for (who, cookie) in [("supervisor", &teacher), ("member", &member)] {
        let (status, page) = page_as(&app, &public, cookie).await;
        assert_eq!(status, 200);
        let group = school_group(&page, "sosh-1");
        assert!(
            group.contains(&link) && group.contains("(в работе"),
            "{who}: {group}"
        );
    }
    for (who, cookie) in [
        ("anonymous", ""),
        ("another school's librarian", &far_librarian),
    ] {
        let (_, page) = page_as(&app, &public, cookie).await;
        assert!(!page.contains("Маяки Татарского пролива"), "{who}: {page}");
        assert!(!page.contains(&lighthouses), "{who}: {page}");
        assert!(
            school_group(&page, "sosh-1").contains(&format!("{hidden}: 2")),
            "{who}: {page}"
        );
    }
    let (_, list) = page_as(&app, "/initiatives", "").await;
    let card = between(&list, "href=\"/initiatives/chitaem-vmeste\"", "</li>");
    assert!(card.contains("Проектов: 3"), "{card}");

    // Not in an initiative its school does not take part in: СОШ № 7 is not in «Читаем вместе».
    let udege = project_id(&app, "Удэгейский орнамент на праздничной одежде").await;
    let to = post(
        &app,
        &session(&app, "uchitel.sosh7").await,
        &format!("/projects/{udege}/publish"),
        EnterInitiative::PATH,
        &[("project_id", &udege), ("slug", slug)],
    )
    .await;
    assert!(form_error_in(&to).contains("Conflict"), "{to}");
    assert_eq!(count(&app, all_entries).await, entries_before + 1);

    // Withdrawn: gone from the page.
    let to = post(
        &app,
        &teacher,
        &panel,
        WithdrawFromInitiative::PATH,
        &[("project_id", &lighthouses), ("slug", slug)],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    assert!(entered(&app).await.is_empty());
    let (_, page) = page_as(&app, &public, &teacher).await;
    assert!(!page.contains("Маяки Татарского пролива"), "{page}");
    let (_, page) = page_as(&app, &public, "").await;
    assert!(
        school_group(&page, "sosh-1").contains(&format!("{hidden}: 1")),
        "{page}"
    );
    assert_eq!(count(&app, all_entries).await, entries_before);

    // Each step that changed something is in the audit log, with its project and school.
    for action in ["enter_initiative", "withdraw_from_initiative"] {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT a.subject_id, s.slug, a.detail FROM audit_log a \
             JOIN schools s ON s.id = a.school_id WHERE a.action = $1",
        )
        .bind(action)
        .fetch_all(&app.pool)
        .await
        .expect("audit");
        assert_eq!(rows.len(), 1, "{action}: {rows:?}");
        let (subject, school, detail) = &rows[0];
        assert_eq!(subject, &lighthouses, "{action}");
        assert_eq!(school, "sosh-1", "{action}");
        assert!(detail.contains(slug), "{action}: {detail}");
    }
}

#[tokio::test]
async fn the_demo_initiative_shows_each_reader_what_is_published_to_them() {
    let app = spawn_demo().await;
    let mother = session(&app, "roditel.lebedeva").await;
    let slug = "festival-korennyh-narodov";
    let public = format!("/initiatives/{slug}");
    let udege = project_id(&app, "Удэгейский орнамент на праздничной одежде").await;
    let birch = project_id(&app, "Узоры на берестяной посуде").await;
    let audience_of = |id: String| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT audience FROM publications WHERE project_id = $1 \
                 AND unpublished_at IS NULL AND audience <> 'link'",
            )
            .bind(id)
            .fetch_optional(&pool)
            .await
            .expect("audience")
        }
    };
    assert_eq!(audience_of(udege.clone()).await.as_deref(), Some("public"));
    assert_eq!(audience_of(birch.clone()).await.as_deref(), Some("parents"));

    // A visitor: the public publication's title links to it; the rest are counted.
    let (status, page) = page_as(&app, &public, "").await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!(
            "<a href=\"/p/{udege}\">Удэгейский орнамент на праздничной одежде</a>"
        )),
        "{page}"
    );
    for secret in [
        "Узоры на берестяной посуде",
        "Легенды Татарского пролива",
        "орнамент нанайцев и удэгейцев",
        birch.as_str(),
        "/projects/",
    ] {
        assert!(
            !page.contains(secret),
            "{secret} shown to a visitor: {page}"
        );
    }
    assert!(
        school_group(&page, "gimnaziya-3").contains("опубликовано для своих: 2"),
        "{page}"
    );
    let links = publication_links(&page);
    assert_eq!(links, [format!("/p/{udege}")]);
    for link in &links {
        assert_eq!(page_as(&app, link, "").await.0, 200, "{link}");
    }

    // Anna's mother: her daughter's project for the family, linked to its publication.
    let (_, page) = page_as(&app, &public, &mother).await;
    let group = school_group(&page, "gimnaziya-3");
    assert!(
        group.contains(&format!(
            "<a href=\"/p/{birch}\">Узоры на берестяной посуде</a>"
        )),
        "{page}"
    );
    assert!(group.contains("опубликовано для своих: 1"), "{group}");
    assert!(!page.contains("Легенды Татарского пролива"), "{page}");
    for link in publication_links(&page) {
        assert_eq!(page_as(&app, &link, &mother).await.0, 200, "{link}");
    }
    assert_eq!(page_as(&app, &format!("/p/{birch}"), "").await.0, 404);

    // The feed: well-formed Atom of the public publications only.
    let feed = format!("/feeds/initiatives/{slug}.atom");
    let (status, kind, text) = get_text(&app, &feed).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("application/atom+xml"), "{kind}");
    let (root, links) = well_formed(&text);
    assert_eq!(root, "feed");
    assert!(
        text.contains("xmlns=\"http://www.w3.org/2005/Atom\""),
        "{text}"
    );
    assert!(
        text.contains("<title>Libfolio — Фестиваль коренных народов Дальнего Востока</title>"),
        "{text}"
    );
    let entries: Vec<&String> = links.iter().filter(|l| l.contains("/p/")).collect();
    assert_eq!(entries.len(), 1, "{links:?}");
    assert!(entries[0].ends_with(&format!("/p/{udege}")), "{links:?}");
    assert!(links.iter().any(|l| l.ends_with(&public)), "{links:?}");
    assert!(
        !text.contains(&birch) && !text.contains("берестяной"),
        "{text}"
    );
    assert_eq!(
        get_text(&app, "/feeds/initiatives/nowhere.atom").await.0,
        404
    );
    assert_eq!(page_as(&app, "/initiatives/nowhere", "").await.0, 404);

    // The sitemap lists both initiatives' pages, and the public page links its feed.
    let (status, _, text) = get_text(&app, "/sitemap.xml").await;
    assert_eq!(status, 200);
    let (root, locs) = well_formed(&text);
    assert_eq!(root, "urlset");
    for slug in ["festival-korennyh-narodov", "chitaem-vmeste"] {
        assert!(
            locs.iter()
                .any(|l| l.ends_with(&format!("/initiatives/{slug}"))),
            "{locs:?}"
        );
    }
    assert!(!locs.iter().any(|l| l.ends_with(&birch)), "{locs:?}");
    let (_, page) = page_as(&app, &public, "").await;
    assert!(page.contains(&format!("href=\"{feed}\"")), "{page}");
}

#[tokio::test]
async fn a_school_level_initiative_names_its_school_and_shows_on_that_schools_page() {
    let app = spawn_demo().await;
    let coordinator = session(&app, "metodist").await;
    let admin = "/manage/initiatives";
    let (today, later) = current_dates(&app).await;
    let mut form = initiative_form("", "nedelya-knigi", "Неделя детской книги", &today, &later);
    let set = |form: &mut Form<'_>, name: &str, value: &'static str| {
        if let Some(field) = form.iter_mut().find(|(n, _)| *n == name) {
            field.1 = value;
        }
    };
    set(&mut form, "initiative[level]", "school");

    // A school-level initiative without its school is refused at that field, and not saved.
    let to = post(&app, &coordinator, admin, SaveInitiative::PATH, &form).await;
    let error = form_error_in(&to);
    assert!(error.contains("\"initiative[school]\""), "{to} {error}");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM initiatives WHERE slug = 'nedelya-knigi'"
        )
        .await,
        0
    );

    set(&mut form, "initiative[school]", "sosh-7");
    let to = post(&app, &coordinator, admin, SaveInitiative::PATH, &form).await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let (status, page) = page_as(&app, "/initiatives/nedelya-knigi", "").await;
    assert_eq!(status, 200, "{page}");
    let facts = between(&page, "<dl", "</dl>");
    assert!(
        facts.contains("Школьная")
            && facts.contains("Проводит")
            && facts.contains("href=\"/schools/sosh-7\""),
        "{facts}"
    );
    // On its school's page, not on another's.
    let (_, school) = page_as(&app, "/schools/sosh-7", "").await;
    assert!(
        school.contains("href=\"/initiatives/nedelya-knigi\""),
        "{school}"
    );
    let (_, other) = page_as(&app, "/schools/sosh-1", "").await;
    assert!(!other.contains("nedelya-knigi"), "{other}");

    // Made municipal, it names no school.
    set(&mut form, "initiative[level]", "municipal");
    set(&mut form, "current", "nedelya-knigi");
    let to = post(
        &app,
        &coordinator,
        "/manage/initiatives/nedelya-knigi",
        SaveInitiative::PATH,
        &form,
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM initiatives WHERE slug = 'nedelya-knigi' AND school_id IS NULL \
             AND level = 'municipal'"
        )
        .await,
        1
    );
    let (_, school) = page_as(&app, "/schools/sosh-7", "").await;
    assert!(!school.contains("nedelya-knigi"), "{school}");
}
