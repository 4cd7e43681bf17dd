//! Search over published work through the real router, on the demo district: words are found in
//! any grammatical form and marked in the snippet; each reader finds only what is published to
//! them (and every result opens for them); the filters, tag pages and found initiatives; staff
//! also find the projects they may open unpublished; and a project taken down is no longer found.

mod common;

use app::showcase::api::UnpublishProject;
use common::{
    between, form_error_in, page_as, post_form, project_id, publication_links, session, spawn_demo,
    TestApp,
};
use leptos::server_fn::ServerFn;

const UDEGE: &str = "Удэгейский орнамент на праздничной одежде";
const YAMBUY: &str = "Читаем «Злой дух Ямбуя»: тайга Григория Федосеева";
/// Published to its people and their parents only.
const BIRCH: &str = "Узоры на берестяной посуде";
const LIGHTHOUSES: &str = "Маяки Татарского пролива";
/// A page fetched with its query (or path) percent-encoded as a browser sends it, read by the
/// person of `cookie` (empty: a visitor). Every publication the page links to must open for
/// that same reader.
async fn fetch(app: &TestApp, url: reqwest::Url, cookie: &str) -> String {
    let response = app
        .client
        .get(url.clone())
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .expect("get");
    assert_eq!(response.status().as_u16(), 200, "{url}");
    let page = response.text().await.expect("body").replace("<!>", "");
    for link in publication_links(&page) {
        assert_eq!(
            page_as(app, &link, cookie).await.0,
            200,
            "{link}, found on {url}, does not open for the same reader"
        );
    }
    page
}

/// `/search` with these parameters.
async fn search(app: &TestApp, cookie: &str, params: &[(&str, &str)]) -> String {
    let mut url = reqwest::Url::parse(&app.url("/search")).expect("url");
    url.query_pairs_mut().extend_pairs(params);
    fetch(app, url, cookie).await
}

/// `/tags/{tag}`.
async fn tag_page(app: &TestApp, cookie: &str, tag: &str) -> String {
    let mut url = reqwest::Url::parse(&app.base).expect("url");
    url.path_segments_mut()
        .expect("a base")
        .clear()
        .push("tags")
        .push(tag);
    fetch(app, url, cookie).await
}

/// The titles of the publications found, sorted.
fn found(page: &str) -> Vec<String> {
    let mut titles: Vec<String> = page
        .split("<h3><a href=\"/p/")
        .skip(1)
        .filter_map(|rest| rest.split_once("\">"))
        .filter_map(|(_, rest)| rest.split("</a>").next())
        .map(|t| t.to_owned())
        .collect();
    titles.sort();
    titles
}

fn sorted(titles: &[&str]) -> Vec<String> {
    let mut titles: Vec<String> = titles.iter().map(|t| (*t).to_owned()).collect();
    titles.sort();
    titles
}

/// The words marked in a part of a page.
fn marked(part: &str) -> Vec<String> {
    part.split("<mark>")
        .skip(1)
        .filter_map(|rest| rest.split("</mark>").next())
        .map(|w| w.to_owned())
        .collect()
}

#[tokio::test]
async fn words_are_found_in_any_form_and_marked_in_the_snippet() {
    let app = spawn_demo().await;
    let udege = project_id(&app, UDEGE).await;

    // «орнаментом» finds «орнамент» and «орнамента», and marks them.
    let page = search(&app, "", &[("q", "орнаментом")]).await;
    assert!(
        page.contains("value=\"орнаментом\""),
        "the query stays in the form"
    );
    assert_eq!(found(&page), [UDEGE], "{page}");
    assert!(page.contains("Найдено проектов: 1"), "{page}");
    let card = between(&page, &format!("<h3><a href=\"/p/{udege}\""), "</li>");
    let snippet = between(card, "<p class=\"snippet\">", "</p>");
    let marks = marked(snippet);
    assert!(!marks.is_empty(), "{card}");
    for word in &marks {
        assert!(
            word.to_lowercase().starts_with("орнамент"),
            "{word} marked: {snippet}"
        );
    }
    // Any case, any form.
    for q in ["ОРНАМЕНТЫ", "орнамента"] {
        assert_eq!(found(&search(&app, "", &[("q", q)]).await), [UDEGE], "{q}");
    }
    for q in ["тайгу", "тайга", "тайге", "Федосеева"] {
        let page = search(&app, "", &[("q", q)]).await;
        assert_eq!(found(&page), [YAMBUY], "{q}: {page}");
    }
    // Several words: every one of them.
    assert_eq!(
        found(&search(&app, "", &[("q", "тайга людях")]).await),
        [YAMBUY]
    );
    assert!(found(&search(&app, "", &[("q", "тайга орнамент")]).await).is_empty());

    // A word no project has.
    let page = search(&app, "", &[("q", "зюзюкалка")]).await;
    assert!(found(&page).is_empty(), "{page}");
    assert!(
        page.contains("Найдено проектов: 0") && page.contains("Ничего не найдено."),
        "{page}"
    );
}

#[tokio::test]
async fn each_reader_finds_only_what_is_published_to_them() {
    let app = spawn_demo().await;
    let birch = project_id(&app, BIRCH).await;
    let mother = session(&app, "roditel.lebedeva").await;
    let anna = session(&app, "lebedeva.a").await;
    let other_pupil = session(&app, "ivanova.m").await;
    let other_parent = session(&app, "roditel.ivanova").await;
    let words = [
        "орнамент",
        "берестяной",
        "береста",
        "узоры",
        "нанайцы",
        "коробах",
    ];
    for (who, cookie) in [
        ("a visitor", ""),
        ("a pupil of another school", other_pupil.as_str()),
        ("another pupil's parent", other_parent.as_str()),
    ] {
        for q in words {
            let page = search(&app, cookie, &[("q", q)]).await;
            assert!(!found(&page).contains(&BIRCH.to_owned()), "{who}, {q}");
            assert!(
                !page.contains(BIRCH) && !page.contains(&birch),
                "{who} searching {q}: {page}"
            );
        }
        let page = search(&app, cookie, &[("tag", "береста")]).await;
        assert!(found(&page).is_empty(), "{who}: {page}");
    }
    // Anna and her mother find her project, marked as published to the family.
    for (who, cookie) in [("Anna", anna.as_str()), ("her mother", mother.as_str())] {
        let page = search(&app, cookie, &[("q", "берестяной")]).await;
        assert_eq!(found(&page), [BIRCH], "{who}: {page}");
        let card = between(&page, &format!("<h3><a href=\"/p/{birch}\""), "</li>");
        assert!(
            card.contains("участникам проекта и их родителям"),
            "{who}: {card}"
        );
        let page = search(&app, cookie, &[("q", "орнамент")]).await;
        assert_eq!(found(&page), sorted(&[BIRCH, UDEGE]), "{who}: {page}");
    }
    // A public publication carries no badge.
    let page = search(&app, &mother, &[("q", "удэгейцы")]).await;
    let card = between(&page, "<h3><a href=\"/p/", "</li>");
    assert!(!card.contains("class=\"badge\""), "{card}");
}

#[tokio::test]
async fn filters_narrow_the_results() {
    let app = spawn_demo().await;
    let mother = session(&app, "roditel.lebedeva").await;
    let year: i64 = sqlx::query_scalar("SELECT academic_year FROM projects WHERE title = $1")
        .bind(UDEGE)
        .fetch_one(&app.pool)
        .await
        .expect("the demo's academic year");
    let (this_year, next_year) = (year.to_string(), (year + 1).to_string());

    // (reader, parameters, the titles found)
    type Params<'a> = Vec<(&'a str, &'a str)>;
    let cases: Vec<(&str, Params, Vec<&str>)> = vec![
        ("mother", vec![("q", "орнамент")], vec![BIRCH, UDEGE]),
        (
            "mother",
            vec![("q", "орнамент"), ("school", "sosh-7")],
            vec![UDEGE],
        ),
        (
            "mother",
            vec![("q", "орнамент"), ("school", "gimnaziya-3")],
            vec![BIRCH],
        ),
        (
            "mother",
            vec![("q", "орнамент"), ("school", "sosh-1")],
            vec![],
        ),
        ("visitor", vec![("school", "sosh-7")], vec![UDEGE]),
        ("visitor", vec![("school", "gimnaziya-3")], vec![YAMBUY]),
        (
            "mother",
            vec![("school", "gimnaziya-3")],
            vec![BIRCH, YAMBUY],
        ),
        ("visitor", vec![("tag", "орнамент")], vec![UDEGE]),
        ("mother", vec![("tag", "орнамент")], vec![BIRCH, UDEGE]),
        ("visitor", vec![("tag", "тайга")], vec![YAMBUY]),
        ("visitor", vec![("tag", "Дальний Восток")], vec![YAMBUY]),
        ("visitor", vec![("tag", "нет-такого-тега")], vec![]),
        (
            "visitor",
            vec![("initiative", "chitaem-vmeste")],
            vec![YAMBUY],
        ),
        (
            "visitor",
            vec![("initiative", "festival-korennyh-narodov")],
            vec![UDEGE],
        ),
        (
            "mother",
            vec![("initiative", "festival-korennyh-narodov")],
            vec![BIRCH, UDEGE],
        ),
        (
            "visitor",
            vec![("q", "тайга"), ("initiative", "festival-korennyh-narodov")],
            vec![],
        ),
        ("visitor", vec![("year", &this_year)], vec![UDEGE, YAMBUY]),
        (
            "mother",
            vec![("year", &this_year)],
            vec![BIRCH, UDEGE, YAMBUY],
        ),
        ("visitor", vec![("year", &next_year)], vec![]),
        (
            "visitor",
            vec![
                ("year", &this_year),
                ("school", "sosh-7"),
                ("tag", "орнамент"),
            ],
            vec![UDEGE],
        ),
    ];
    for (who, params, expected) in cases {
        let cookie = if who == "mother" { mother.as_str() } else { "" };
        let page = search(&app, cookie, &params).await;
        assert_eq!(found(&page), sorted(&expected), "{who} {params:?}: {page}");
        assert!(
            page.contains(&format!("Найдено проектов: {}", expected.len())),
            "{who} {params:?}: {page}"
        );
    }
    // The form offers the demo's year and initiatives.
    let page = search(&app, "", &[("q", "тайга")]).await;
    let years = between(&page, "<select id=\"find-year\"", "</select>");
    assert!(years.contains(&format!("value=\"{year}\"")), "{years}");
    let initiatives = between(&page, "<select id=\"find-initiative\"", "</select>");
    assert!(
        initiatives.contains("value=\"chitaem-vmeste\"")
            && initiatives.contains("value=\"festival-korennyh-narodov\""),
        "{initiatives}"
    );
}

#[tokio::test]
async fn a_tag_page_lists_the_tagged_public_projects() {
    let app = spawn_demo().await;
    let mother = session(&app, "roditel.lebedeva").await;
    let page = tag_page(&app, "", "орнамент").await;
    assert!(page.contains("<h1>#орнамент</h1>"), "{page}");
    assert_eq!(found(&page), [UDEGE], "{page}");
    assert!(!page.contains(BIRCH), "{page}");
    assert_eq!(
        found(&tag_page(&app, &mother, "орнамент").await),
        sorted(&[BIRCH, UDEGE])
    );
    // A tag of two words.
    let page = tag_page(&app, "", "Дальний Восток").await;
    assert_eq!(found(&page), [YAMBUY], "{page}");
    let page = tag_page(&app, "", "нет-такого-тега").await;
    assert!(page.contains("Найдено проектов: 0"), "{page}");

    // The tags of a result lead to their pages.
    let page = search(&app, "", &[("q", "тайга")]).await;
    let card = between(&page, "<h3><a href=\"/p/", "</ul>");
    let tags: Vec<&str> = card
        .split("href=\"/tags/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(tags.len(), 3, "{card}");
    for tag in tags {
        let (status, page) = page_as(&app, &format!("/tags/{tag}"), "").await;
        assert_eq!(status, 200, "{tag}");
        assert_eq!(found(&page), [YAMBUY], "/tags/{tag}: {page}");
    }
}

#[tokio::test]
async fn initiatives_are_found_by_their_words() {
    let app = spawn_demo().await;
    let page = search(&app, "", &[("q", "фестиваль")]).await;
    let section = between(&page, "aria-labelledby=\"found-initiatives\"", "</section>");
    assert!(
        section.contains("href=\"/initiatives/festival-korennyh-narodov\""),
        "{page}"
    );
    assert!(!section.contains("chitaem-vmeste"), "{section}");
    let page = search(&app, "", &[("q", "буктрейлеры")]).await;
    let section = between(&page, "aria-labelledby=\"found-initiatives\"", "</section>");
    assert!(
        section.contains("href=\"/initiatives/chitaem-vmeste\""),
        "{page}"
    );
    assert!(
        marked(section)
            .iter()
            .any(|w| w.to_lowercase().starts_with("буктрейлер")),
        "{section}"
    );
    let page = search(&app, "", &[("q", "маяки")]).await;
    assert!(!page.contains("found-initiatives"), "{page}");
}

#[tokio::test]
async fn staff_also_find_the_projects_they_may_open_unpublished() {
    let app = spawn_demo().await;
    let lighthouses = project_id(&app, LIGHTHOUSES).await;
    let teacher = session(&app, "uchitel.sosh1").await;
    let page = search(&app, &teacher, &[("q", "маяки")]).await;
    assert!(found(&page).is_empty(), "nothing published: {page}");
    let staff = between(&page, "aria-labelledby=\"found-staff\"", "</section>");
    assert!(
        staff.contains(&format!(
            "<a href=\"/projects/{lighthouses}\">{LIGHTHOUSES}</a>"
        )) && staff.contains("не опубликован"),
        "{page}"
    );
    assert_eq!(
        page_as(&app, &format!("/projects/{lighthouses}"), &teacher)
            .await
            .0,
        200
    );
    // A word of its topic, another form.
    let page = search(&app, &teacher, &[("q", "маяков")]).await;
    assert!(page.contains(&format!("/projects/{lighthouses}")), "{page}");

    // Staff of another school have the section, without that project.
    let far_librarian = session(&app, "bibl.gim3").await;
    let page = search(&app, &far_librarian, &[("q", "маяки")]).await;
    assert!(page.contains("found-staff"), "{page}");
    assert!(!page.contains(LIGHTHOUSES), "{page}");

    // Visitors and pupils never see the section nor the project.
    for (who, username) in [
        ("a visitor", ""),
        ("a pupil of another school", "lebedeva.a"),
        ("a pupil of its school", "ivanova.m"),
        ("its own member", "zaitsev.d"),
    ] {
        let cookie = if username.is_empty() {
            String::new()
        } else {
            session(&app, username).await
        };
        let page = search(&app, &cookie, &[("q", "маяки")]).await;
        assert!(!page.contains("found-staff"), "{who}: {page}");
        assert!(
            !page.contains("Проекты, которые вы ведёте"),
            "{who}: {page}"
        );
        assert!(!page.contains(LIGHTHOUSES), "{who}: {page}");
        assert!(!page.contains(&lighthouses), "{who}: {page}");
    }
}

#[tokio::test]
async fn a_project_taken_down_is_no_longer_found() {
    let app = spawn_demo().await;
    let udege = project_id(&app, UDEGE).await;
    let supervisor = session(&app, "uchitel.sosh7").await;
    assert_eq!(
        found(&search(&app, "", &[("q", "орнаментом")]).await),
        [UDEGE]
    );

    let to = common::location(
        &post_form(
            &app,
            UnpublishProject::PATH,
            &supervisor,
            &format!("/p/{udege}"),
            &[("project_id", udege.as_str())],
        )
        .await,
    );
    assert!(!to.contains("__err"), "{}", form_error_in(&to));

    for (who, cookie) in [("a visitor", ""), ("its supervisor", supervisor.as_str())] {
        for params in [
            vec![("q", "орнаментом")],
            vec![("tag", "орнамент")],
            vec![("school", "sosh-7")],
            vec![("initiative", "festival-korennyh-narodov")],
        ] {
            let page = search(&app, cookie, &params).await;
            assert!(
                !found(&page).contains(&UDEGE.to_owned()) && !page.contains(&format!("/p/{udege}")),
                "{who} {params:?}: {page}"
            );
        }
        let page = tag_page(&app, cookie, "орнамент").await;
        assert!(!page.contains(&format!("/p/{udege}")), "{who}: {page}");
    }
    assert_eq!(page_as(&app, &format!("/p/{udege}"), "").await.0, 404);
    // Its supervisor still finds the project itself among theirs.
    let page = search(&app, &supervisor, &[("q", "орнаментом")]).await;
    let staff = between(&page, "aria-labelledby=\"found-staff\"", "</section>");
    assert!(staff.contains(&format!("/projects/{udege}")), "{page}");
}

/// Whether `staff` search for `q` lists the working copy `project` in its section.
async fn staff_finds(app: &TestApp, cookie: &str, q: &str, project: &str) -> bool {
    let page = search(app, cookie, &[("q", q)]).await;
    assert!(page.contains("found-staff"), "{q}: {page}");
    let listed = between(&page, "aria-labelledby=\"found-staff\"", "</section>")
        .matches(&format!("/projects/{project}\""))
        .count();
    assert!(listed <= 1, "{q}: listed {listed} times: {page}");
    listed == 1
}

#[tokio::test]
async fn staff_find_working_copies_by_the_words_of_their_pages_as_they_are_now() {
    use app::projects::api::{DeletePage, RestorePage, SavePage};
    let app = spawn_demo().await;
    let lighthouses = project_id(&app, LIGHTHOUSES).await;
    let teacher = session(&app, "uchitel.sosh1").await;
    let (page_id, revision): (String, i64) = sqlx::query_as(
        "SELECT id, revision FROM pages WHERE project_id = $1 AND slug = 'istoriya'",
    )
    .bind(&lighthouses)
    .fetch_one(&app.pool)
    .await
    .expect("page");
    // «смотритель» is only in the text of pages, «Низменный» only in this page's table: not in
    // the title, topic or tags.
    let card: String =
        sqlx::query_scalar("SELECT title || ' ' || topic FROM projects WHERE id = $1")
            .bind(&lighthouses)
            .fetch_one(&app.pool)
            .await
            .expect("card");
    assert!(!card.to_lowercase().contains("смотрит"), "{card}");
    assert!(!card.contains("Низменн"), "{card}");
    assert!(staff_finds(&app, &teacher, "смотрителей", &lighthouses).await);
    assert!(staff_finds(&app, &teacher, "Красного партизана", &lighthouses).await);
    assert!(staff_finds(&app, &teacher, "низменного", &lighthouses).await);
    assert!(!staff_finds(&app, &teacher, "горнами", &lighthouses).await);

    // The page is rewritten: its old words no longer find the project, the new ones do.
    let post = |path: &'static str, form: Vec<(&'static str, String)>| {
        let (app, teacher, lighthouses) = (&app, &teacher, &lighthouses);
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let to = common::location(
                &post_form(
                    app,
                    path,
                    teacher,
                    &format!("/projects/{lighthouses}"),
                    &form,
                )
                .await,
            );
            assert!(!to.contains("__err"), "{path}: {}", form_error_in(&to));
        }
    };
    post(
        SavePage::PATH,
        vec![
            ("page_id", page_id.clone()),
            ("base_revision", revision.to_string()),
            ("title", "История маяков".into()),
            (
                "body",
                "## Туман\n\nВ туман маяки подавали знак **горнами**.\n".into(),
            ),
            ("summary", String::new()),
        ],
    )
    .await;
    assert!(!staff_finds(&app, &teacher, "низменного", &lighthouses).await);
    assert!(!staff_finds(&app, &teacher, "Красного партизана", &lighthouses).await);
    assert!(staff_finds(&app, &teacher, "горн", &lighthouses).await);
    // Words of the other pages and of the card still find it.
    assert!(staff_finds(&app, &teacher, "смотрителей", &lighthouses).await);
    assert!(staff_finds(&app, &teacher, "гипотеза маяков", &lighthouses).await);

    // A deleted page's words find nothing; restored, they find the project again.
    post(DeletePage::PATH, vec![("page_id", page_id.clone())]).await;
    assert!(!staff_finds(&app, &teacher, "горнами", &lighthouses).await);
    assert!(staff_finds(&app, &teacher, "маяки", &lighthouses).await);
    post(RestorePage::PATH, vec![("page_id", page_id.clone())]).await;
    assert!(staff_finds(&app, &teacher, "горнами", &lighthouses).await);

    // Staff of another school never find it by its text.
    let far_librarian = session(&app, "bibl.gim3").await;
    assert!(!staff_finds(&app, &far_librarian, "горнами", &lighthouses).await);
}

#[tokio::test]
async fn projects_written_before_the_index_are_indexed_when_the_server_starts() {
    let app = spawn_demo().await;
    let lighthouses = project_id(&app, LIGHTHOUSES).await;
    let teacher = session(&app, "uchitel.sosh1").await;
    // As a database migrated from before the index: no terms, every project outdated.
    sqlx::query("DELETE FROM project_terms")
        .execute(&app.pool)
        .await
        .expect("wipe");
    sqlx::query("UPDATE projects SET terms_version = 0")
        .execute(&app.pool)
        .await
        .expect("outdate");
    assert!(!staff_finds(&app, &teacher, "смотрителей", &lighthouses).await);
    let projects: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    let indexed = app::projects::db::index_outdated(&app.pool)
        .await
        .expect("index");
    assert_eq!(indexed as i64, projects);
    assert!(staff_finds(&app, &teacher, "смотрителей", &lighthouses).await);
    assert!(staff_finds(&app, &teacher, "краеведение", &lighthouses).await);
    // Nothing is left to index.
    assert_eq!(
        app::projects::db::index_outdated(&app.pool)
            .await
            .expect("again"),
        0
    );
}
