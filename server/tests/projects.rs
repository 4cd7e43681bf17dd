//! Projects through the real router: a teacher starts a project and pupils write it; two
//! members saving the same page from the same revision (one wins, the other's text is kept and
//! shown beside the winner's); history, diff and restore; pages served from the HTML stored at
//! save time; hostile Markdown; uploads checked by content, re-encoded and served by the rules.

mod common;

use common::{session, spawn_demo, user_id, TestApp};
use leptos::server_fn::ServerFn;
use reqwest::header;

use app::projects::api::{
    AddPage, AddProjectMember, CreateProject, DecideProposal, DeletePage, MovePage, PreviewPage,
    ProposeProject, RestorePage, RestoreRevision, SavePage, SetCover, SetProjectKind,
    UpdatePassport, UploadFile,
};

/// A form post as a browser makes it without JavaScript.
async fn post(app: &TestApp, path: &str, cookie: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, app.url("/projects"))
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, cookie)
        .form(form)
        .send()
        .await
        .expect("post")
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
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
    (status, response.text().await.expect("body"))
}

/// The teacher of СОШ № 1 creates a project for Мария Иванова; returns its id.
async fn create_project(app: &TestApp, teacher: &str, title: &str, kind: &str) -> String {
    let pupil = user_id(app, "ivanova.m").await;
    let response = post(
        app,
        CreateProject::url(),
        teacher,
        &[
            ("slug", "sosh-1"),
            ("title", title),
            ("kind", kind),
            ("project_type", "research"),
            ("subject", "Краеведение"),
            ("pupil", &pupil),
        ],
    )
    .await;
    let to = location(&response);
    assert!(to.starts_with("/projects/"), "went to {to}");
    to.trim_start_matches("/projects/").to_owned()
}

async fn page_row(app: &TestApp, project: &str) -> (String, i64) {
    sqlx::query_as("SELECT id, revision FROM pages WHERE project_id = $1 AND deleted_at IS NULL ORDER BY position")
        .bind(project)
        .fetch_one(&app.pool)
        .await
        .expect("page")
}

async fn save(
    app: &TestApp,
    cookie: &str,
    page_id: &str,
    base: i64,
    title: &str,
    body: &str,
) -> String {
    let base = base.to_string();
    location(
        &post(
            app,
            SavePage::url(),
            cookie,
            &[
                ("page_id", page_id),
                ("base_revision", &base),
                ("title", title),
                ("body", body),
                ("summary", ""),
            ],
        )
        .await,
    )
}

const PAGE: &str = "## Источники\n\nМы изучили три книги[^1].\n\n| Книга | Год |\n|:--|--:|\n| Сказки | 1985 |\n\n- [x] прочитать\n- [ ] пересказать\n\n~~черновик~~\n\n[^1]: Из фонда ИБЦ.\n";

#[tokio::test]
async fn a_teacher_starts_a_project_and_its_pupil_writes_pages_with_history() {
    let app = spawn_demo().await;
    let teacher = session(&app, "uchitel.sosh1").await;
    let pupil = session(&app, "ivanova.m").await;
    let project = create_project(&app, &teacher, "Сказки нанайцев", "individual").await;

    // The pupil sees her project and adds a page; she is taken to its editor.
    let (status, body) = page(&app, "/projects", &pupil).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Сказки нанайцев"),
        "listed among her projects"
    );
    let to = location(
        &post(
            &app,
            AddPage::url(),
            &pupil,
            &[("project_id", &project), ("title", "Введение")],
        )
        .await,
    );
    assert_eq!(to, format!("/projects/{project}/pages/vvedenie/edit"));
    let (status, body) = page(&app, &to, &pupil).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("name=\"base_revision\" value=\"1\""),
        "{body}"
    );

    // Saving renders the Markdown once: a table, a footnote, a task list, strikethrough.
    let (page_id, revision) = page_row(&app, &project).await;
    let to = save(&app, &pupil, &page_id, revision, "Введение", PAGE).await;
    assert_eq!(to, format!("/projects/{project}/pages/vvedenie"));
    let (status, body) = page(&app, &to, &pupil).await;
    assert_eq!(status, 200);
    assert!(body.contains("<table>"), "{body}");
    assert!(body.contains("<del>черновик</del>"));
    assert!(body.contains("id=\"h-источники\""));
    assert!(body.contains("type=\"checkbox\""));
    assert!(body.contains("Из фонда ИБЦ."));
    assert!(body.contains("Версия 2"));

    // History lists both versions; the diff shows the added lines; restoring the first version
    // makes a third, and nothing is lost.
    let (_, history) = page(&app, &format!("{to}/history"), &pupil).await;
    assert!(history.contains("Версия 1") && history.contains("Версия 2"));
    let (_, diff) = page(&app, &format!("{to}/diff?from=1&to=2"), &pupil).await;
    assert!(
        diff.contains("<ins class=\"diff-add\">+ ## Источники"),
        "{diff}"
    );
    let (status, old) = page(&app, &format!("{to}/revisions/1"), &pupil).await;
    assert_eq!(status, 200);
    assert!(old.contains("Вернуть версию 1"));
    let back = location(
        &post(
            &app,
            RestoreRevision::url(),
            &pupil,
            &[("page_id", &page_id), ("number", "1")],
        )
        .await,
    );
    assert_eq!(back, to);
    let (_, body) = page(&app, &to, &pupil).await;
    assert!(!body.contains("<table>") && body.contains("Версия 3"));
    let revisions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM page_revisions WHERE page_id = $1")
            .bind(&page_id)
            .fetch_one(&app.pool)
            .await
            .expect("count");
    assert_eq!(revisions, 3);

    // Another school's librarian and a pupil who is not a member see nothing of it.
    let other = session(&app, "bibl.gim3").await;
    assert_eq!(page(&app, &to, &other).await.0, 403);
    let classmate = session(&app, "petrov.i").await;
    assert_eq!(
        page(&app, &format!("/projects/{project}"), &classmate)
            .await
            .0,
        403
    );
    // Her parent reads it, and cannot edit it.
    let parent = session(&app, "roditel.ivanova").await;
    let (status, body) = page(&app, &format!("/projects/{project}"), &parent).await;
    assert_eq!(status, 200);
    assert!(body.contains("Введение") && !body.contains("Добавить страницу"));
    assert_eq!(page(&app, &format!("{to}/edit"), &parent).await.0, 403);
}

#[tokio::test]
async fn two_members_saving_the_same_page_lose_nothing() {
    let app = spawn_demo().await;
    let teacher = session(&app, "uchitel.sosh1").await;
    let project = create_project(&app, &teacher, "Фестиваль коренных народов", "collective").await;
    let petrov = user_id(&app, "petrov.i").await;
    post(
        &app,
        AddProjectMember::url(),
        &teacher,
        &[
            ("project_id", &project),
            ("pupil_id", &petrov),
            ("note", "фотографии"),
        ],
    )
    .await;
    let maria = session(&app, "ivanova.m").await;
    let ilya = session(&app, "petrov.i").await;
    post(
        &app,
        AddPage::url(),
        &maria,
        &[("project_id", &project), ("title", "План")],
    )
    .await;
    let (page_id, base) = page_row(&app, &project).await;

    // Both opened revision 1. Maria saves first; Ilya's save is refused and kept.
    let to = save(&app, &maria, &page_id, base, "План", "Текст Марии\n").await;
    assert!(to.ends_with("/pages/plan"), "{to}");
    let to = save(&app, &ilya, &page_id, base, "План", "Текст Ильи\n").await;
    assert!(to.contains("/pages/plan/edit?draft="), "{to}");
    let (status, editor) = page(&app, &to, &ilya).await;
    assert_eq!(status, 200);
    assert!(
        editor.contains("Текст Ильи"),
        "his text stays in the editor"
    );
    assert!(
        editor.contains("Пока вы редактировали, страницу сохранил(а) Мария"),
        "{editor}"
    );
    assert!(
        editor.contains("<ins class=\"diff-add\">+ Текст Марии"),
        "her change beside it"
    );
    assert!(editor.contains("name=\"base_revision\" value=\"2\""));
    // The draft is his alone.
    assert_eq!(page(&app, &to, &maria).await.0, 200);
    let (_, hers) = page(&app, &to, &maria).await;
    assert!(!hers.contains("Текст Ильи"));
    // A preview without JavaScript keeps the changed title and text in the editor.
    let to_preview = location(
        &post(
            &app,
            PreviewPage::url(),
            &ilya,
            &[
                ("page_id", &page_id),
                ("base_revision", "2"),
                ("title", "План работы"),
                ("body", "**жирный** текст"),
            ],
        )
        .await,
    );
    assert!(to_preview.contains("/edit?draft="), "{to_preview}");
    let (_, preview) = page(
        &app,
        to_preview.split('#').next().unwrap_or_default(),
        &ilya,
    )
    .await;
    assert!(
        preview.contains("value=\"План работы\""),
        "the title typed is kept"
    );
    assert!(
        preview.contains("<strong>жирный</strong>"),
        "the preview is rendered"
    );
    // He merges and saves on top of revision 2.
    let to = save(
        &app,
        &ilya,
        &page_id,
        2,
        "План",
        "Текст Марии\nТекст Ильи\n",
    )
    .await;
    assert!(to.ends_with("/pages/plan"), "{to}");
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM page_revisions WHERE page_id = $1 ORDER BY number")
            .bind(&page_id)
            .fetch_all(&app.pool)
            .await
            .expect("bodies");
    assert_eq!(
        bodies,
        vec!["", "Текст Марии\n", "Текст Марии\nТекст Ильи\n"]
    );

    // Truly at the same moment: exactly one of two saves from the same base wins.
    let (a, b) = tokio::join!(
        save(&app, &maria, &page_id, 3, "План", "одновременно М\n"),
        save(&app, &ilya, &page_id, 3, "План", "одновременно И\n"),
    );
    let refused = [&a, &b].iter().filter(|l| l.contains("draft=")).count();
    assert_eq!(refused, 1, "{a} / {b}");
    let drafts: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM page_drafts WHERE page_id = $1 AND body LIKE 'одновременно%'",
    )
    .bind(&page_id)
    .fetch_one(&app.pool)
    .await
    .expect("drafts");
    let saved: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM page_revisions WHERE page_id = $1 AND body LIKE 'одновременно%'",
    )
    .bind(&page_id)
    .fetch_one(&app.pool)
    .await
    .expect("saved");
    assert_eq!((drafts, saved), (1, 1), "both texts survive");
}

#[tokio::test]
async fn pages_are_served_from_the_html_stored_at_save_time_and_hostile_markdown_is_inert() {
    let app = spawn_demo().await;
    let teacher = session(&app, "uchitel.sosh1").await;
    let project = create_project(&app, &teacher, "Проверка", "individual").await;
    post(
        &app,
        AddPage::url(),
        &teacher,
        &[("project_id", &project), ("title", "Опасное")],
    )
    .await;
    let (page_id, base) = page_row(&app, &project).await;
    let hostile = "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](JaVaScRiPt:alert(2))\n\n<img src=x onerror=alert(3)>\n\n![z](data:image/png;base64,AAAA)\n\n<svg onload=alert(4)>";
    let to = save(&app, &teacher, &page_id, base, "Опасное", hostile).await;
    let (_, body) = page(&app, &to, &teacher).await;
    let content = body.split("class=\"markdown\"").nth(1).expect("content");
    let content = content.split("</article>").next().expect("article");
    // Inside tags (not in the text the pupil sees): no script, svg, handlers or script URLs.
    for tag in content
        .split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap_or_default())
    {
        let tag = tag.to_lowercase();
        assert!(
            !tag.starts_with("script") && !tag.starts_with("svg"),
            "<{tag}>"
        );
        assert!(
            !tag.contains("onerror") && !tag.contains("onload"),
            "<{tag}>"
        );
        assert!(
            !tag.contains("javascript:") && !tag.contains("data:"),
            "<{tag}>"
        );
    }
    assert!(
        content.contains("&lt;script&gt;"),
        "the pupil sees what they typed"
    );

    // Viewing never renders: change the stored HTML and the page shows exactly that.
    sqlx::query("UPDATE page_revisions SET html = '<p>сохранённый HTML</p>' WHERE page_id = $1")
        .bind(&page_id)
        .execute(&app.pool)
        .await
        .expect("update");
    let (_, body) = page(&app, &to, &teacher).await;
    assert!(body.contains("<p>сохранённый HTML</p>"));
}

#[tokio::test]
async fn a_pupil_proposes_a_project_and_the_supervisor_accepts_it() {
    let app = spawn_demo().await;
    let pupil = session(&app, "petrov.i").await;
    let teacher_id = user_id(&app, "uchitel.sosh1").await;
    // Missing topic: refused, nothing stored.
    let response = post(
        &app,
        ProposeProject::url(),
        &pupil,
        &[
            ("title", "Мой проект"),
            ("topic", " "),
            ("project_type", "creative"),
            ("supervisor", &teacher_id),
        ],
    )
    .await;
    assert!(location(&response).contains("__err="));
    let to = location(
        &post(
            &app,
            ProposeProject::url(),
            &pupil,
            &[
                ("title", "Комиксы по сказкам"),
                ("topic", "Нарисовать сказку"),
                ("project_type", "creative"),
                ("supervisor", &teacher_id),
            ],
        )
        .await,
    );
    assert!(to.starts_with("/projects/"), "{to}");
    let project = to.trim_start_matches("/projects/").to_owned();
    let (_, body) = page(&app, &to, &pupil).await;
    assert!(body.contains("ждёт ответа руководителя"));

    let teacher = session(&app, "uchitel.sosh1").await;
    let (_, list) = page(&app, "/projects", &teacher).await;
    assert!(list.contains("Комиксы по сказкам") && list.contains("предложение"));
    // Another teacher's pupil cannot accept it; the supervisor can.
    let other = session(&app, "ivanova.m").await;
    assert_eq!(
        post(
            &app,
            DecideProposal::url(),
            &other,
            &[("project_id", &project), ("decision", "accept")]
        )
        .await
        .status()
        .as_u16()
            / 100,
        3
    );
    let status: String = sqlx::query_scalar("SELECT status FROM projects WHERE id = $1")
        .bind(&project)
        .fetch_one(&app.pool)
        .await
        .expect("status");
    assert_eq!(status, "proposed", "a pupil's attempt changes nothing");
    post(
        &app,
        DecideProposal::url(),
        &teacher,
        &[("project_id", &project), ("decision", "accept")],
    )
    .await;
    let status: String = sqlx::query_scalar("SELECT status FROM projects WHERE id = $1")
        .bind(&project)
        .fetch_one(&app.pool)
        .await
        .expect("status");
    assert_eq!(status, "active");
}

#[tokio::test]
async fn the_librarian_filters_the_school_projects_and_pages_move() {
    let app = spawn_demo().await;
    let teacher = session(&app, "uchitel.sosh1").await;
    let solo = create_project(&app, &teacher, "Один автор", "individual").await;
    let group = create_project(&app, &teacher, "Вся группа", "collective").await;
    let librarian = session(&app, "bibl.sosh1").await;
    let (status, body) = page(&app, "/manage/sosh-1/projects?kind=collective", &librarian).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Вся группа") && !body.contains("Один автор"),
        "{body}"
    );
    let (_, body) = page(&app, "/manage/sosh-1/projects", &librarian).await;
    assert!(body.contains("Вся группа") && body.contains("Один автор"));
    assert_eq!(
        page(
            &app,
            "/manage/sosh-1/projects",
            &session(&app, "bibl.gim3").await
        )
        .await
        .0,
        403
    );

    // An individual project takes one pupil until it is made collective.
    let petrov = user_id(&app, "petrov.i").await;
    let refused = post(
        &app,
        AddProjectMember::url(),
        &teacher,
        &[("project_id", &solo), ("pupil_id", &petrov)],
    )
    .await;
    assert!(location(&refused).contains("__err="));
    post(
        &app,
        SetProjectKind::url(),
        &teacher,
        &[("project_id", &solo), ("kind", "collective")],
    )
    .await;
    post(
        &app,
        AddProjectMember::url(),
        &teacher,
        &[("project_id", &solo), ("pupil_id", &petrov)],
    )
    .await;
    let members: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM project_members WHERE project_id = $1")
            .bind(&solo)
            .fetch_one(&app.pool)
            .await
            .expect("members");
    assert_eq!(members, 2);

    // Pages move down and up without JavaScript.
    for title in ["Первая", "Вторая"] {
        post(
            &app,
            AddPage::url(),
            &teacher,
            &[("project_id", &group), ("title", title)],
        )
        .await;
    }
    let (first, _) = page_row(&app, &group).await;
    post(
        &app,
        MovePage::url(),
        &teacher,
        &[("page_id", &first), ("direction", "down")],
    )
    .await;
    let order: Vec<String> =
        sqlx::query_scalar("SELECT title FROM pages WHERE project_id = $1 ORDER BY position")
            .bind(&group)
            .fetch_all(&app.pool)
            .await
            .expect("order");
    assert_eq!(order, vec!["Вторая", "Первая"]);

    // A deleted page leaves the list, keeps its history and comes back with it.
    post(&app, DeletePage::url(), &teacher, &[("page_id", &first)]).await;
    let (_, body) = page(&app, &format!("/projects/{group}"), &teacher).await;
    assert!(body.contains("Удалённые страницы"));
    assert_eq!(
        page(&app, &format!("/projects/{group}/pages/pervaia"), &teacher)
            .await
            .0,
        404
    );
    let to = location(&post(&app, RestorePage::url(), &teacher, &[("page_id", &first)]).await);
    assert_eq!(to, format!("/projects/{group}/pages/pervaia"));
    assert_eq!(page(&app, &to, &teacher).await.0, 200);
}

// ---------------------------------------------------------------------------------------------
// Uploads

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

/// A JPEG with an EXIF segment that carries a GPS block.
fn jpeg_with_gps() -> Vec<u8> {
    let image = image::RgbImage::from_pixel(64, 48, image::Rgb([20, 120, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("jpeg");
    let jpeg = out.into_inner();
    // TIFF header, IFD0 with one entry (GPS IFD pointer → offset 26), GPS IFD with one entry
    // (GPSLatitudeRef = "N").
    let mut tiff: Vec<u8> = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend_from_slice(&[1, 0, 0x25, 0x88, 4, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0, 0, 0, 0]);
    tiff.extend_from_slice(&[
        1, 0, 1, 0, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let length = (app1.len() + 2) as u16;
    let mut result = jpeg[..2].to_vec();
    result.extend_from_slice(&[0xFF, 0xE1]);
    result.extend_from_slice(&length.to_be_bytes());
    result.extend_from_slice(&app1);
    result.extend_from_slice(&jpeg[2..]);
    result
}

/// A PNG whose header claims 50000 × 50000 pixels: a decompression bomb.
fn png_bomb() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&crc32fast::hash(&ihdr).to_be_bytes());
    out
}

async fn upload(
    app: &TestApp,
    cookie: &str,
    project: &str,
    name: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let boundary = "upload-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"project_id\"\r\n\r\n{project}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    app.client
        .post(app.url(UploadFile::url()))
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, app.url(&format!("/projects/{project}")))
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload")
}

/// Announces an upload of `length` bytes and sends none: the server's answer.
async fn announce_upload(app: &TestApp, cookie: &str, length: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: multipart/form-data; boundary=x\r\n\
         Content-Length: {length}\r\nCookie: {cookie}\r\nSec-Fetch-Site: same-origin\r\n\
         Connection: close\r\n\r\n",
        UploadFile::url()
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await
    .expect("answered without waiting for the body")
    .expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

async fn files(app: &TestApp, project: &str) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT id, name, file_type FROM files WHERE project_id = $1 ORDER BY created_at, name",
    )
    .bind(project)
    .fetch_all(&app.pool)
    .await
    .expect("files")
}

#[tokio::test]
async fn uploads_are_judged_by_content_re_encoded_and_served_by_the_project_rules() {
    let app = spawn_demo().await;
    let teacher = session(&app, "uchitel.sosh1").await;
    let pupil = session(&app, "ivanova.m").await;
    let project = create_project(&app, &teacher, "Фотоальбом", "individual").await;

    // A PNG named .pdf is stored as the PNG it is, under a .png name.
    let response = upload(&app, &pupil, &project, "карта района.pdf", &png(3000, 1000)).await;
    assert_eq!(location(&response), format!("/projects/{project}#files"));
    let stored = files(&app, &project).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].1.as_str(), stored[0].2.as_str()),
        ("карта-района.png", "png")
    );
    let (width,): (i64,) = sqlx::query_as("SELECT width FROM files WHERE id = $1")
        .bind(&stored[0].0)
        .fetch_one(&app.pool)
        .await
        .expect("width");
    assert_eq!(width, 2000, "resized to at most 2000 px");

    // Refused, each with its reason and nothing stored: SVG, a bomb, an oversized body.
    for (name, bytes, reason) in [
        (
            "icon.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(),
            "FileTypeNotAllowed",
        ),
        ("bomb.png", png_bomb(), "ImageTooLarge"),
        (
            "page.html",
            b"<html><script>alert(1)</script></html>".to_vec(),
            "FileTypeNotAllowed",
        ),
    ] {
        let to = location(&upload(&app, &pupil, &project, name, &bytes).await);
        let decoded = decode_error(&to);
        assert!(decoded.contains(reason), "{name}: {decoded}");
    }
    // Too large: refused from the headers alone, before any of it is read.
    let answer = announce_upload(&app, &pupil, app::projects::MAX_FILE_BYTES + 1024 * 1024).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("слишком велики"), "{answer}");
    assert_eq!(files(&app, &project).await.len(), 1);
    // A file larger than ordinary forms may be (2 MiB) but within the upload limit is taken.
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(3 * 1024 * 1024, b' ');
    let to = location(&upload(&app, &pupil, &project, "большой.pdf", &pdf).await);
    assert!(!to.contains("__err"), "{to}");

    // A photo with GPS data: the stored copy has no EXIF at all.
    upload(&app, &pupil, &project, "photo.jpg", &jpeg_with_gps()).await;
    let photo = files(&app, &project)
        .await
        .into_iter()
        .find(|f| f.2 == "jpeg")
        .expect("jpeg stored");
    let bytes: Vec<u8> = sqlx::query_scalar(
        "SELECT bytes FROM file_contents WHERE file_id = $1 AND variant = 'original'",
    )
    .bind(&photo.0)
    .fetch_one(&app.pool)
    .await
    .expect("bytes");
    assert!(!bytes.windows(4).any(|w| w == b"Exif"), "EXIF removed");

    // Served to the project's people only; images inline, documents as downloads.
    let url = format!("/files/{}", photo.0);
    let response = app
        .client
        .get(app.url(&url))
        .header(header::COOKIE, &pupil)
        .send()
        .await
        .expect("get");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let thumb = app
        .client
        .get(app.url(&format!("{url}/thumb")))
        .header(header::COOKIE, &pupil)
        .send()
        .await
        .expect("thumb");
    assert_eq!(thumb.status().as_u16(), 200);
    assert_eq!(app.get(&url).await.status().as_u16(), 401);
    let other = session(&app, "bibl.gim3").await;
    let response = app
        .client
        .get(app.url(&url))
        .header(header::COOKIE, &other)
        .send()
        .await
        .expect("get");
    assert_eq!(response.status().as_u16(), 403);

    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
    upload(&app, &pupil, &project, "доклад.pdf", pdf).await;
    let doc = files(&app, &project)
        .await
        .into_iter()
        .find(|f| f.2 == "pdf")
        .expect("pdf");
    let response = app
        .client
        .get(app.url(&format!("/files/{}", doc.0)))
        .header(header::COOKIE, &pupil)
        .send()
        .await
        .expect("get");
    let disposition = response.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''"),
        "{disposition}"
    );

    // The image can be used in a page by its name.
    post(
        &app,
        AddPage::url(),
        &pupil,
        &[("project_id", &project), ("title", "Карта")],
    )
    .await;
    let (page_id, base) = page_row(&app, &project).await;
    let to = save(
        &app,
        &pupil,
        &page_id,
        base,
        "Карта",
        "![Карта района](карта-района.png)\n\n![чужая](https://example.org/x.png)",
    )
    .await;
    let (_, body) = page(&app, &to, &pupil).await;
    assert!(
        body.contains(&format!("src=\"/files/{}\"", stored[0].0)),
        "{body}"
    );
    assert!(
        !body.contains("example.org/x.png\""),
        "outside images are not shown"
    );
}

/// The error a no-JavaScript form post was sent back with (`__err`, base64 JSON).
fn decode_error(location: &str) -> String {
    use base64::Engine;
    let encoded = location.split("__err=").nth(1).unwrap_or_default();
    let encoded = encoded
        .split('&')
        .next()
        .unwrap_or_default()
        .replace("%3D", "=");
    let bytes = base64::engine::general_purpose::URL_SAFE
        .decode(&encoded)
        .or_else(|_| base64::engine::general_purpose::STANDARD.decode(&encoded))
        .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[tokio::test]
async fn tags_cover_contents_quota_and_list_pages_work_for_their_users() {
    let app = spawn_demo().await;
    let teacher = session(&app, "uchitel.sosh1").await;
    let pupil = session(&app, "ivanova.m").await;
    let project = create_project(&app, &teacher, "Паспорт и обложка", "individual").await;

    // The passport with tags, as the pupil fills it in.
    let to = location(
        &post(
            &app,
            UpdatePassport::url(),
            &pupil,
            &[
                ("project_id", &project),
                ("title", "Паспорт и обложка"),
                ("topic", "Узоры"),
                ("subject", "ИЗО"),
                ("project_type", "creative"),
                ("relevance", "Узоры забываются."),
                ("goal", "Собрать узоры."),
                ("tasks", "1. Найти.\n2. Нарисовать."),
                ("hypothesis", ""),
                ("product", "Альбом"),
                ("tags", "Орнамент, нанайцы, орнамент"),
            ],
        )
        .await,
    );
    assert_eq!(to, format!("/projects/{project}"));
    let (_, body) = page(&app, &to, &pupil).await;
    // Lower case, without the repeat.
    assert_eq!(
        body.matches("<li class=\"tag\">орнамент").count(),
        1,
        "{body}"
    );
    assert!(body.contains("<li class=\"tag\">нанайцы"));
    assert!(body.contains("Узоры забываются."));

    // An uploaded image becomes the cover.
    upload(&app, &pupil, &project, "cover.png", &png(400, 300)).await;
    let image = files(&app, &project).await.remove(0).0;
    post(
        &app,
        SetCover::url(),
        &pupil,
        &[("project_id", &project), ("file_id", &image)],
    )
    .await;
    let (_, body) = page(&app, &to, &pupil).await;
    assert!(
        body.contains(&format!(
            "<img src=\"/files/{image}\" alt=\"\" class=\"project-cover\">"
        )),
        "{body}"
    );

    // A page with three chapters gets a table of contents; a short one does not.
    post(
        &app,
        AddPage::url(),
        &pupil,
        &[("project_id", &project), ("title", "Главы")],
    )
    .await;
    let (page_id, base) = page_row(&app, &project).await;
    let long = save(
        &app,
        &pupil,
        &page_id,
        base,
        "Главы",
        "## Один\n\nа\n\n## Два\n\nб\n\n### Три\n\nв\n",
    )
    .await;
    let (_, body) = page(&app, &long, &pupil).await;
    assert!(
        body.contains("Содержание") && body.contains("href=\"#h-два\""),
        "{body}"
    );
    save(&app, &pupil, &page_id, base + 1, "Главы", "## Один\n").await;
    let (_, body) = page(&app, &long, &pupil).await;
    assert!(!body.contains("Содержание"));

    // A full quota refuses the next file with the space still free, and stores nothing.
    sqlx::query("UPDATE files SET size_bytes = $2 WHERE id = $1")
        .bind(&image)
        .bind(app::projects::PROJECT_QUOTA_BYTES - 1024)
        .execute(&app.pool)
        .await
        .expect("fill quota");
    let to = location(&upload(&app, &pupil, &project, "more.png", &png(400, 300)).await);
    assert!(decode_error(&to).contains("QuotaExceeded"), "{to}");
    assert_eq!(files(&app, &project).await.len(), 1);

    // The school's list pages by 25.
    let school: String = sqlx::query_scalar("SELECT id FROM schools WHERE slug = 'sosh-1'")
        .fetch_one(&app.pool)
        .await
        .expect("school");
    let year: i32 = sqlx::query_scalar("SELECT academic_year FROM projects WHERE id = $1")
        .bind(&project)
        .fetch_one(&app.pool)
        .await
        .expect("year");
    let teacher_id = user_id(&app, "uchitel.sosh1").await;
    let mut tx = app::db::begin_write(&app.pool).await.expect("begin");
    for n in 0..30 {
        app::projects::db::insert_project(
            &mut tx,
            &app::projects::db::NewProject {
                school_id: &school,
                academic_year: year,
                kind: "individual",
                status: "active",
                title: &format!("Проект номер {n}"),
                topic: "",
                subject: "",
                project_type: "research",
                created_by: &teacher_id,
            },
        )
        .await
        .expect("project");
    }
    tx.commit().await.expect("commit");
    let librarian = session(&app, "bibl.sosh1").await;
    let (_, first) = page(&app, "/manage/sosh-1/projects", &librarian).await;
    assert!(first.contains("rel=\"next\"") && !first.contains("rel=\"prev\""));
    let rows = |html: &str| html.matches("<tr>").count() - 1;
    assert_eq!(rows(&first), 25);
    let (_, second) = page(
        &app,
        &format!("/manage/sosh-1/projects?page=2&year={year}"),
        &librarian,
    )
    .await;
    assert!(second.contains("rel=\"prev\"") && !second.contains("rel=\"next\""));
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM projects WHERE school_id = $1 AND academic_year = $2",
    )
    .bind(&school)
    .bind(year)
    .fetch_one(&app.pool)
    .await
    .expect("total");
    assert_eq!(rows(&second) as i64, total - 25);
}
