//! The publication gate through the real router: only an accepted snapshot is published, never
//! the working copy; each audience is read by exactly the people it names and is a 404 for the
//! rest; files follow their publication; secret links work anonymously until they expire or are
//! revoked (410); taking down is always possible; every step is audited; and pupils without a
//! consent to publish are never named.

mod common;

use app::projects::api::SavePage;
use app::showcase::api::{PublishProject, RevokeProjectLink, ShareProjectLink, UnpublishProject};
use common::{
    count, form_error_in, get_text, page_as, post, session, spawn_demo, well_formed, TestApp,
};
use leptos::server_fn::ServerFn;

/// The status of a file for a reader.
async fn file_status(app: &TestApp, file: &str, cookie: &str) -> u16 {
    app.client
        .get(app.url(&format!("/files/{file}")))
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .expect("file")
        .status()
        .as_u16()
}

#[tokio::test]
async fn an_accepted_snapshot_is_published_to_its_audience_and_taken_down() {
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let maria = session(&app, "ivanova.m").await;
    let mother = session(&app, "roditel.ivanova").await;
    let classmate = session(&app, "zaitsev.d").await;
    // Анна Лебедева is a pupil of Гимназия № 3; her mother is the parent of another child.
    let other_parent = session(&app, "roditel.lebedeva").await;
    let far_pupil = session(&app, "lebedeva.a").await;
    let teacher = session(&app, "uchitel.sosh1").await;
    let far_librarian = session(&app, "bibl.gim3").await;
    let coordinator = session(&app, "metodist").await;
    let project: String =
        sqlx::query_scalar("SELECT id FROM projects WHERE title LIKE 'Фестиваль%'")
            .fetch_one(&app.pool)
            .await
            .expect("project");
    let panel = format!("/projects/{project}/publish");
    let public = format!("/p/{project}");

    // The working copy moves on after the accepted snapshot: its text is never published.
    let (page_id, revision, slug): (String, i64, String) = sqlx::query_as(
        "SELECT id, revision, slug FROM pages WHERE project_id = $1 AND deleted_at IS NULL \
         ORDER BY position LIMIT 1",
    )
    .bind(&project)
    .fetch_one(&app.pool)
    .await
    .expect("a page");
    let page = format!("/projects/{project}/pages/{slug}");
    let revision = revision.to_string();
    let to = post(
        &app,
        &maria,
        &format!("{page}/edit"),
        SavePage::PATH,
        &[
            ("page_id", &page_id),
            ("base_revision", &revision),
            ("title", "Черновик"),
            ("body", "РАБОЧАЯ-ВЕРСИЯ-НЕ-ДЛЯ-ПУБЛИКАЦИИ"),
            ("summary", ""),
        ],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));

    // Nothing is published yet; the panel shows how the members will be named.
    assert_eq!(page_as(&app, &public, "").await.0, 404);
    let (status, body) = page_as(&app, &panel, &librarian).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Мария И., 7Б") && body.contains("анонимно: нет согласия на публикацию"),
        "{body}"
    );
    assert_ne!(
        page_as(&app, &panel, &maria).await.0,
        200,
        "pupils do not publish"
    );

    // Only an accepted snapshot: the waiting one (№2) is refused, and a pupil may not publish.
    let pid = project.as_str();
    let to = post(
        &app,
        &librarian,
        &panel,
        PublishProject::PATH,
        &[("project_id", pid), ("number", "2"), ("audience", "public")],
    )
    .await;
    assert!(form_error_in(&to).contains("number"), "{to}");
    let to = post(
        &app,
        &maria,
        &panel,
        PublishProject::PATH,
        &[("project_id", pid), ("number", "1"), ("audience", "public")],
    )
    .await;
    assert!(form_error_in(&to).contains("Forbidden"), "{to}");
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM publications WHERE project_id = '{project}'")
        )
        .await,
        0
    );

    // The image of the snapshot is the project's people's only.
    let image: String = sqlx::query_scalar(
        "SELECT sf.file_id FROM submission_files sf JOIN submissions s ON s.id = sf.submission_id \
         JOIN files f ON f.id = sf.file_id \
         WHERE s.project_id = $1 AND s.number = 1 AND f.file_type IN ('png', 'jpeg', 'webp') LIMIT 1",
    )
    .bind(&project)
    .fetch_one(&app.pool)
    .await
    .expect("an image in the snapshot");
    assert_eq!(file_status(&app, &image, "").await, 401);

    // To the public.
    let to = post(
        &app,
        &librarian,
        &panel,
        PublishProject::PATH,
        &[("project_id", pid), ("number", "1"), ("audience", "public")],
    )
    .await;
    assert!(to.ends_with(&panel), "{to} {}", form_error_in(&to));
    let (status, body) = page_as(&app, &public, "").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Фестиваль коренных народов"), "{body}");
    assert!(!body.contains("РАБОЧАЯ-ВЕРСИЯ"), "never the working copy");
    assert!(body.contains("Мария И., 7Б"), "{body}");
    assert!(
        body.contains("и ещё"),
        "members without consent are counted: {body}"
    );
    for secret in ["Иванова", "Петров", "ivanova.m", "petrov.i"] {
        assert!(!body.contains(secret), "{secret} on a public page");
    }
    assert_eq!(file_status(&app, &image, "").await, 200);
    assert!(!body.contains("noindex"), "a public page may be indexed");

    // Each audience, each reader: 200 or 404.
    let readers: [(&str, &str); 10] = [
        ("anonymous", ""),
        ("parent of a member", &mother),
        ("parent of another child", &other_parent),
        ("member", &maria),
        ("pupil of the school", &classmate),
        ("pupil of another school", &far_pupil),
        ("teacher of the school", &teacher),
        ("librarian of the school", &librarian),
        ("librarian of another school", &far_librarian),
        ("coordinator", &coordinator),
    ];
    let expected: [(&str, [u16; 10]); 3] = [
        (
            "parents",
            [404, 200, 404, 200, 404, 404, 404, 200, 404, 200],
        ),
        ("school", [404, 200, 404, 200, 200, 404, 200, 200, 404, 200]),
        ("public", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ];
    for (audience, statuses) in expected {
        let to = post(
            &app,
            &librarian,
            &panel,
            PublishProject::PATH,
            &[("project_id", pid), ("number", "1"), ("audience", audience)],
        )
        .await;
        assert!(!to.contains("__err"), "{}", form_error_in(&to));
        for ((who, cookie), status) in readers.iter().zip(statuses) {
            assert_eq!(
                page_as(&app, &public, cookie).await.0,
                status,
                "{who} reading a publication to {audience}"
            );
        }
    }
    // One live publication at a time.
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM publications WHERE unpublished_at IS NULL \
                 AND audience <> 'link' AND project_id = '{project}'"
            )
        )
        .await,
        1
    );

    // Taken down: gone for everyone, the image too.
    let to = post(
        &app,
        &librarian,
        &public,
        UnpublishProject::PATH,
        &[("project_id", pid)],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    for (who, cookie) in readers.iter() {
        let status = page_as(&app, &public, cookie).await.0;
        assert_eq!(status, 404, "{who} after the take-down");
    }
    assert_eq!(file_status(&app, &image, "").await, 401);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('publish_project', 'unpublish_project')"
        )
        .await,
        5
    );
}

#[tokio::test]
async fn a_secret_link_opens_the_snapshot_until_it_expires_or_is_revoked() {
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let project: String =
        sqlx::query_scalar("SELECT id FROM projects WHERE title LIKE 'Фестиваль%'")
            .fetch_one(&app.pool)
            .await
            .expect("project");
    let panel = format!("/projects/{project}/publish");
    let pid = project.as_str();
    let share = |days: &'static str| {
        let app = &app;
        let librarian = &librarian;
        let panel = &panel;
        async move {
            post(
                app,
                librarian,
                panel,
                ShareProjectLink::PATH,
                &[("project_id", pid), ("number", "1"), ("days", days)],
            )
            .await
        }
    };
    let to = share("0").await;
    assert!(form_error_in(&to).contains("days"), "{to}");
    let to = share("91").await;
    assert!(form_error_in(&to).contains("days"), "{to}");
    let to = share("7").await;
    let token = to.split("link=").nth(1).expect("the new link").to_owned();
    let (_, body) = page_as(&app, &format!("{panel}?link={token}"), &librarian).await;
    assert!(body.contains(&format!("/s/{token}")), "{body}");
    // Only the token's hash is stored.
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM publications WHERE token_hash = '{token}'")
        )
        .await,
        0
    );

    // Anonymous readers open it; the project itself stays unpublished.
    let link = format!("/s/{token}");
    let (status, body) = page_as(&app, &link, "").await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("Фестиваль коренных народов") && body.contains("по ссылке"),
        "{body}"
    );
    assert!(
        body.contains(r#"<meta name="robots" content="noindex, nofollow">"#)
            && body.contains(r#"<meta name="referrer" content="no-referrer">"#),
        "a link is not indexed and not passed on: {body}"
    );
    assert_eq!(page_as(&app, &format!("/p/{project}"), "").await.0, 404);
    assert_eq!(page_as(&app, "/s/not-a-link", "").await.0, 404);
    // Its print view is under the link too (the project's own `/p/…/print` is not readable).
    let print = format!("{link}/print");
    assert!(body.contains(&format!("href=\"{print}\"")), "{body}");
    assert!(!body.contains(&format!("/p/{project}/print")), "{body}");
    let (status, printed) = page_as(&app, &print, "").await;
    assert_eq!(status, 200, "{printed}");
    assert!(
        printed.contains("print-view")
            && printed.contains("Фестиваль коренных народов")
            && printed.contains(r#"<meta name="robots" content="noindex, nofollow">"#)
            && !printed.contains("<script src"),
        "{printed}"
    );
    assert_eq!(
        page_as(&app, &format!("/p/{project}/print"), "").await.0,
        404
    );

    // Expired: 410.
    sqlx::query(
        "UPDATE publications SET expires_at = '2020-01-01T00:00:00Z' WHERE audience = 'link'",
    )
    .execute(&app.pool)
    .await
    .expect("expire");
    assert_eq!(page_as(&app, &link, "").await.0, 410);
    assert_eq!(page_as(&app, &print, "").await.0, 410);

    // Revoked: 410 too, and the panel says so.
    let to = share("30").await;
    let token = to.split("link=").nth(1).expect("the new link").to_owned();
    let link = format!("/s/{token}");
    assert_eq!(page_as(&app, &link, "").await.0, 200);
    let live: String = sqlx::query_scalar(
        "SELECT id FROM publications WHERE audience = 'link' AND unpublished_at IS NULL \
         AND expires_at > '2021-01-01'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("the live link");
    let to = post(
        &app,
        &librarian,
        &panel,
        RevokeProjectLink::PATH,
        &[("project_id", pid), ("link_id", &live)],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    assert_eq!(page_as(&app, &link, "").await.0, 410);
    let (_, body) = page_as(&app, &panel, &librarian).await;
    assert!(!body.contains("Отозвать"), "no live link left: {body}");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('share_project_link', 'revoke_project_link')"
        )
        .await,
        3
    );
}
#[tokio::test]
async fn public_projects_are_listed_shared_and_fed_and_nothing_else_is() {
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let project: String =
        sqlx::query_scalar("SELECT id FROM projects WHERE title LIKE 'Фестиваль%'")
            .fetch_one(&app.pool)
            .await
            .expect("project");
    let panel = format!("/projects/{project}/publish");
    let publish = |audience: &'static str| {
        let (app, librarian, panel, pid) = (&app, &librarian, &panel, project.as_str());
        async move {
            let to = post(
                app,
                librarian,
                panel,
                PublishProject::PATH,
                &[("project_id", pid), ("number", "1"), ("audience", audience)],
            )
            .await;
            assert!(!to.contains("__err"), "{}", form_error_in(&to));
        }
    };
    let entry = format!("/p/{project}");

    // The project cites a record of the school's fund; visitors see only a count of citing
    // projects until it is published to the public.
    let record: String = sqlx::query_scalar(
        "SELECT r.id FROM catalog_records r JOIN schools s ON s.id = r.school_id \
         WHERE s.slug = 'sosh-1' ORDER BY r.sort_key LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("a record");
    let maria = session(&app, "ivanova.m").await;
    let to = post(
        &app,
        &maria,
        &format!("/projects/{project}/sources"),
        app::catalog::api::AddCatalogSource::PATH,
        &[
            ("project_id", project.as_str()),
            ("record_id", record.as_str()),
        ],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let record_page = format!("/catalog/{record}");

    // Published to parents only: in no list, feed or sitemap.
    publish("parents").await;
    let (_, page) = page_as(&app, &record_page, "").await;
    assert!(!page.contains(&entry), "{page}");
    let (_, home) = page_as(&app, "/", "").await;
    assert!(!home.contains(&entry), "{home}");
    for path in [
        "/sitemap.xml",
        "/feeds/projects.atom",
        "/feeds/schools/sosh-1.atom",
    ] {
        let (status, _, text) = get_text(&app, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            !text.contains(&entry),
            "{path} lists a project for parents only"
        );
    }

    // Public: on the home page, the school's page, in the sitemap and the feeds.
    publish("public").await;
    let (_, home) = page_as(&app, "/", "").await;
    assert!(
        home.contains(&format!("href=\"{entry}\"")) && home.contains("Фестиваль коренных народов"),
        "{home}"
    );
    assert!(home.contains("/feeds/projects.atom"), "{home}");
    let (_, school) = page_as(&app, "/schools/sosh-1", "").await;
    assert!(school.contains(&format!("href=\"{entry}\"")), "{school}");
    // The record page lists it for visitors, under its published title.
    let (_, page) = page_as(&app, &record_page, "").await;
    assert!(
        page.contains(&format!("href=\"{entry}\"")) && page.contains("Фестиваль коренных народов"),
        "{page}"
    );
    let (_, other) = page_as(&app, "/schools/gimnaziya-3", "").await;
    assert!(!other.contains(&entry), "only its own school's");
    let (_, page) = page_as(&app, &entry, "").await;
    assert!(
        page.contains("property=\"og:title\"")
            && page.contains(&format!("{entry}\" rel=\"canonical\"")),
        "{page}"
    );
    // The preview shows the cover: an image of the snapshot, readable by the visitor.
    let cover: String = sqlx::query_scalar("SELECT cover_file_id FROM projects WHERE id = $1")
        .bind(&project)
        .fetch_one(&app.pool)
        .await
        .expect("the festival has a cover");
    assert!(
        page.contains("property=\"og:image\"")
            && page.contains(&format!("/files/{cover}\""))
            && page.contains("summary_large_image"),
        "{page}"
    );
    assert_eq!(page_as(&app, &format!("/files/{cover}"), "").await.0, 200);

    let (status, kind, text) = get_text(&app, "/sitemap.xml").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("application/xml"), "{kind}");
    let (root, locs) = well_formed(&text);
    assert_eq!(root, "urlset");
    // Absolute addresses under the configured public address.
    assert!(locs.iter().any(|l| l.ends_with(&entry)), "{locs:?}");
    assert!(
        locs.iter().any(|l| l.ends_with("/schools/sosh-1")),
        "{locs:?}"
    );
    assert!(locs.iter().all(|l| l.starts_with("http://")), "{locs:?}");

    for feed in ["/feeds/projects.atom", "/feeds/schools/sosh-1.atom"] {
        let (status, kind, text) = get_text(&app, feed).await;
        assert_eq!(status, 200, "{feed}");
        assert!(kind.starts_with("application/atom+xml"), "{kind}");
        let (root, links) = well_formed(&text);
        assert_eq!(root, "feed");
        assert!(text.contains("xmlns=\"http://www.w3.org/2005/Atom\""));
        assert!(
            links.iter().any(|l| l.ends_with(&entry)),
            "{feed}: {links:?}"
        );
        assert!(
            links.iter().all(|l| l.starts_with("http://")),
            "{feed}: {links:?}"
        );
        assert!(text.contains("<id>urn:uuid:"), "{text}");
        for secret in ["Иванова", "Петров"] {
            assert!(!text.contains(secret), "{secret} in {feed}");
        }
    }
    let (status, _, robots) = get_text(&app, "/robots.txt").await;
    assert_eq!(status, 200);
    assert!(
        robots.contains("Disallow: /s/") && robots.contains("/sitemap.xml"),
        "{robots}"
    );
    let (_, _, other_feed) = get_text(&app, "/feeds/schools/gimnaziya-3.atom").await;
    assert!(!other_feed.contains(&entry));
    assert_eq!(get_text(&app, "/feeds/schools/nowhere.atom").await.0, 404);

    // Taken down: gone from the lists and the feeds.
    let to = post(
        &app,
        &librarian,
        &panel,
        UnpublishProject::PATH,
        &[("project_id", project.as_str())],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    let (_, home) = page_as(&app, "/", "").await;
    assert!(!home.contains(&entry));
    let (_, _, feed) = get_text(&app, "/feeds/projects.atom").await;
    assert!(!feed.contains(&entry));
}

#[tokio::test]
async fn a_signed_in_reader_downloads_the_published_project_as_a_static_archive() {
    use std::io::Read as _;
    let app = spawn_demo().await;
    let librarian = session(&app, "bibl.sosh1").await;
    let mother = session(&app, "roditel.ivanova").await;
    let classmate = session(&app, "zaitsev.d").await;
    let project: String =
        sqlx::query_scalar("SELECT id FROM projects WHERE title LIKE 'Фестиваль%'")
            .fetch_one(&app.pool)
            .await
            .expect("project");
    let zip_path = format!("/p/{project}/export.zip");
    let download = |cookie: &str| {
        let request = app
            .client
            .get(app.url(&zip_path))
            .header(reqwest::header::COOKIE, cookie.to_owned());
        async move { request.send().await.expect("download") }
    };
    // Nothing published: nothing to download.
    assert_eq!(download(&librarian).await.status(), 404);
    let to = post(
        &app,
        &librarian,
        &format!("/projects/{project}/publish"),
        PublishProject::PATH,
        &[
            ("project_id", &project),
            ("number", "1"),
            ("audience", "parents"),
        ],
    )
    .await;
    assert!(!to.contains("__err"), "{}", form_error_in(&to));
    // For the publication's signed-in readers only.
    assert_eq!(download("").await.status(), 404);
    assert_eq!(download(&classmate).await.status(), 404);
    let (_, page) = page_as(&app, &format!("/p/{project}"), &mother).await;
    assert!(
        page.contains(&zip_path),
        "the page offers the archive: {page}"
    );

    let response = download(&mother).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/zip")
    );
    let bytes = response.bytes().await.expect("the archive").to_vec();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.expect("a name").into_owned())
        .collect();
    assert!(names.contains(&"index.html".to_owned()), "{names:?}");
    let images: Vec<&String> = names.iter().filter(|n| n.starts_with("files/")).collect();
    assert!(
        !images.is_empty(),
        "the pages' images come along: {names:?}"
    );
    let mut index = String::new();
    archive
        .by_name("index.html")
        .expect("index.html")
        .read_to_string(&mut index)
        .expect("UTF-8");
    assert!(
        index.contains("Фестиваль коренных народов") && index.contains("Мария И., 7Б"),
        "{index}"
    );
    // Self-contained: relative images present in the archive, no script, no server address.
    for image in &images {
        assert!(
            index.contains(&format!("\"{image}\"")),
            "{image} is shown: {index}"
        );
    }
    assert!(
        !index.contains("\"/files/") && !index.contains("<script"),
        "{index}"
    );
    for secret in ["Иванова", "Петров", "ivanova.m"] {
        assert!(!index.contains(secret), "{secret} in the archive");
    }
    for image in images {
        let mut file = archive.by_name(image).expect("the image");
        let mut head = [0u8; 4];
        file.read_exact(&mut head).expect("bytes");
        assert_eq!(&head, b"\x89PNG", "{image} is the image itself");
    }
}
