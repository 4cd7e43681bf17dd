//! A scan of every public page of the demo finds no surname, e-mail or birth date of a pupil.
//!
//! A crawler reads the demo district as a visitor without JavaScript does: plain GETs from the
//! home page along same-site links, plus every address of the sitemap and the feeds. Every page
//! it gets (HTML with its serialised data, XML) must not name a pupil: no surname as a word, no
//! username, no full name, no e-mail address but the district's own. Pupils have no e-mail or
//! birth date on file: a test below fails as soon as one is added, so that this scan is
//! extended with it. The same scan runs for a parent, over everything but the projects'
//! working pages (the family's own view).

mod common;

use std::collections::{BTreeSet, HashMap, VecDeque};

use common::{session, spawn_demo, TestApp};

/// Most pages one crawl reads.
const MAX_PAGES: usize = 300;
/// Most addresses with a query string read for one path (search pages, catalogue pages).
const MAX_QUERIES_PER_PATH: usize = 8;

/// Sections that are not public pages: the API, files, staff and working pages, secret links,
/// account forms, and the built assets.
const SKIPPED_PREFIXES: [&str; 16] = [
    "/api/",
    "/files/",
    "/manage",
    "/projects",
    "/s/",
    "/login",
    "/logout",
    "/register",
    "/setup",
    "/account",
    "/dashboard",
    "/notifications",
    "/admin",
    "/pkg/",
    "/prefs/",
    "/healthz",
];
const SKIPPED_ENDINGS: [&str; 9] = [
    ".zip", ".png", ".jpg", ".webp", ".svg", ".ico", ".css", ".js", ".wasm",
];

/// Lower case with ё as е, the way names are compared.
fn normalise(text: &str) -> String {
    text.to_lowercase().replace('ё', "е")
}

/// `%D0%98…` sequences decoded, so that a name in an address is read too.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether `needle` occurs in `text` as a whole word: no letter or digit (of any script)
/// right before or after it.
fn has_word(text: &str, needle: &str) -> bool {
    let word_char = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(needle).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        !before.is_some_and(word_char) && !after.is_some_and(word_char)
    })
}

/// Every e-mail address in `text` (a `local@domain.tld` token).
fn emails(text: &str) -> Vec<String> {
    let local = |c: char| c.is_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_alphanumeric() || ".-".contains(c);
    let mut found = Vec::new();
    for (at, _) in text.match_indices('@') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| local(c))
            .last()
            .map_or(at, |(i, _)| i);
        let end = text[at + 1..]
            .char_indices()
            .take_while(|&(_, c)| domain(c))
            .last()
            .map_or(at + 1, |(i, c)| at + 1 + i + c.len_utf8());
        let (name, host) = (&text[start..at], text[at + 1..end].trim_end_matches('.'));
        if !name.is_empty() && host.contains('.') && !host.starts_with('.') {
            found.push(format!("{name}@{host}"));
        }
    }
    found
}

/// What no public page may show, read from the database.
struct Secrets {
    /// Names of the people who are not pupils (staff, parents), removed before the scan: the
    /// teacher «Андрей Павлович Ким» shares a surname with the pupil «София Ким».
    others: Vec<String>,
    surnames: Vec<String>,
    usernames: Vec<String>,
    full_names: Vec<String>,
    /// The district's contact address, the only e-mail a page may show.
    contact: String,
}

impl Secrets {
    async fn of(app: &TestApp) -> Secrets {
        let strings = |sql: &'static str| {
            let pool = app.pool.clone();
            async move {
                let mut list: Vec<String> = sqlx::query_scalar::<_, String>(sql)
                    .fetch_all(&pool)
                    .await
                    .expect(sql)
                    .iter()
                    .map(|s| normalise(s.trim()))
                    .filter(|s| !s.is_empty())
                    .collect();
                // The longest first, so that no name is cut by a shorter one.
                list.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
                list.dedup();
                list
            }
        };
        let secrets = Secrets {
            others: strings(
                "SELECT display_name FROM users WHERE id NOT IN (SELECT user_id FROM pupils)",
            )
            .await,
            surnames: strings("SELECT surname FROM pupils").await,
            usernames: strings("SELECT u.username FROM users u JOIN pupils p ON p.user_id = u.id")
                .await,
            full_names: strings(
                "SELECT u.display_name FROM users u JOIN pupils p ON p.user_id = u.id \
                 UNION SELECT p.first_name || ' ' || p.surname FROM pupils p \
                 UNION SELECT p.surname || ' ' || p.first_name FROM pupils p",
            )
            .await,
            contact: sqlx::query_scalar::<_, Option<String>>("SELECT contact_email FROM district")
                .fetch_one(&app.pool)
                .await
                .expect("the district")
                .map(|e| normalise(&e))
                .unwrap_or_default(),
        };
        // The demo has pupils whose names this scan looks for, and the teacher who shares one.
        assert!(secrets.surnames.len() >= 9, "{:?}", secrets.surnames);
        assert!(secrets.surnames.contains(&"ким".to_owned()));
        assert!(secrets.others.contains(&"андрей павлович ким".to_owned()));
        secrets
    }

    /// What of a pupil `body` shows: (what, the text found).
    fn findings(&self, body: &str) -> Vec<(&'static str, String)> {
        let mut text = normalise(body);
        text.push('\n');
        text.push_str(&normalise(&percent_decoded(body)));
        for name in &self.others {
            text = text.replace(name.as_str(), " ");
        }
        let mut found = Vec::new();
        for (what, list) in [
            ("full name", &self.full_names),
            ("username", &self.usernames),
            ("surname", &self.surnames),
        ] {
            for secret in list {
                if has_word(&text, secret) {
                    found.push((what, secret.clone()));
                }
            }
        }
        for email in emails(&text) {
            if email != self.contact {
                found.push(("e-mail", email));
            }
        }
        found
    }
}

/// The addresses a page links to: `href` attributes and sitemap `<loc>`s.
fn links(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for rest in body.split("href=\"").skip(1) {
        if let Some(link) = rest.split('"').next() {
            out.push(link.replace("&amp;", "&"));
        }
    }
    for rest in body.split("<loc>").skip(1) {
        if let Some(link) = rest.split("</loc>").next() {
            out.push(link.replace("&amp;", "&"));
        }
    }
    out
}

/// A crawl's record: the pages read (path → status) and what each one showed.
#[derive(Default)]
struct Crawl {
    statuses: HashMap<String, u16>,
    findings: Vec<(String, &'static str, String)>,
}

impl Crawl {
    fn visited(&self, path: &str) -> bool {
        self.statuses.get(path) == Some(&200)
    }

    fn ok_pages(&self) -> BTreeSet<&str> {
        self.statuses
            .iter()
            .filter(|(_, s)| **s == 200)
            .map(|(p, _)| p.as_str())
            .collect()
    }
}

/// The site's own addresses: this server's and the configured public one.
struct Site {
    origins: Vec<String>,
}

impl Site {
    /// The path of a same-site address worth reading, or none.
    fn path_of(&self, link: &str) -> Option<String> {
        let link = link.split('#').next().unwrap_or_default();
        let path = if link.starts_with('/') && !link.starts_with("//") {
            link.to_owned()
        } else {
            let origin = self.origins.iter().find(|o| link.starts_with(o.as_str()))?;
            let rest = &link[origin.len()..];
            if rest.is_empty() {
                "/".to_owned()
            } else if rest.starts_with('/') {
                rest.to_owned()
            } else {
                return None;
            }
        };
        let bare = path.split('?').next().unwrap_or_default();
        let skipped = SKIPPED_PREFIXES.iter().any(|p| bare.starts_with(p))
            || SKIPPED_ENDINGS.iter().any(|e| bare.ends_with(e))
            || bare.contains("logout");
        (!skipped).then_some(path)
    }
}

/// Reads the site as `cookie`'s person (empty: a visitor) from `seeds`, breadth-first, and
/// scans every page it gets but the `unscanned` ones (read for their links only).
async fn crawl(
    app: &TestApp,
    cookie: &str,
    seeds: &[String],
    unscanned: &[&str],
    secrets: &Secrets,
) -> Crawl {
    let (_, sitemap) = get(app, "/sitemap.xml", "").await;
    let public_base = links(&sitemap)
        .into_iter()
        .find(|l| l.starts_with("http"))
        .map(|l| l.trim_end_matches('/').to_owned())
        .expect("the sitemap lists the home page");
    let site = Site {
        origins: vec![app.base.clone(), public_base],
    };
    let mut crawl = Crawl::default();
    let mut queries: HashMap<String, usize> = HashMap::new();
    let mut queue: VecDeque<String> = seeds.iter().cloned().collect();
    while let Some(path) = queue.pop_front() {
        if crawl.statuses.contains_key(&path) {
            continue;
        }
        if crawl.statuses.len() >= MAX_PAGES {
            break;
        }
        if let Some((bare, _)) = path.split_once('?') {
            let n = queries.entry(bare.to_owned()).or_default();
            if *n >= MAX_QUERIES_PER_PATH {
                continue;
            }
            *n += 1;
        }
        let (status, body) = get(app, &path, cookie).await;
        crawl.statuses.insert(path.clone(), status);
        if status == 200 && !unscanned.contains(&path.as_str()) {
            for (what, secret) in secrets.findings(&body) {
                crawl.findings.push((path.clone(), what, secret));
            }
        }
        let mut next = links(&body);
        if (300..400).contains(&status) {
            next.push(body);
        }
        for link in next {
            if let Some(path) = site.path_of(&link) {
                if !crawl.statuses.contains_key(&path) {
                    queue.push_back(path);
                }
            }
        }
    }
    crawl
}

/// (status, body) of a GET; for a redirect, its location in place of the body.
async fn get(app: &TestApp, path: &str, cookie: &str) -> (u16, String) {
    let response = app
        .client
        .get(app.url(path))
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .expect("get");
    let status = response.status().as_u16();
    if response.status().is_redirection() {
        return (status, common::location(&response));
    }
    (status, response.text().await.expect("body"))
}

/// The home page, the sitemap, the district's feed and each school's and initiative's feed.
async fn seeds(app: &TestApp) -> Vec<String> {
    let mut seeds: Vec<String> = ["/", "/sitemap.xml", "/robots.txt", "/feeds/projects.atom"]
        .map(String::from)
        .to_vec();
    let schools: Vec<String> = sqlx::query_scalar("SELECT slug FROM schools ORDER BY slug")
        .fetch_all(&app.pool)
        .await
        .expect("schools");
    seeds.extend(schools.iter().map(|s| format!("/feeds/schools/{s}.atom")));
    let initiatives: Vec<String> = sqlx::query_scalar("SELECT slug FROM initiatives ORDER BY slug")
        .fetch_all(&app.pool)
        .await
        .expect("initiatives");
    seeds.extend(
        initiatives
            .iter()
            .map(|s| format!("/feeds/initiatives/{s}.atom")),
    );
    seeds
}

/// The `/p/…` pages of the live publications to `audiences`.
async fn publications(app: &TestApp, audiences: &str) -> Vec<String> {
    sqlx::query_scalar::<_, String>(&format!(
        "SELECT '/p/' || project_id FROM publications WHERE unpublished_at IS NULL \
         AND audience IN ({audiences}) ORDER BY project_id"
    ))
    .fetch_all(&app.pool)
    .await
    .expect("publications")
}

fn report(crawl: &Crawl) -> String {
    crawl
        .findings
        .iter()
        .map(|(page, what, secret)| format!("{page}: {what} «{secret}»"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_scan_of_every_public_page_finds_no_surname_email_or_birth_date_of_a_pupil() {
    let app = spawn_demo().await;
    let secrets = Secrets::of(&app).await;
    let crawl = crawl(&app, "", &seeds(&app).await, &[], &secrets).await;

    // The crawl read what a visitor can read: not a vacuous pass.
    let public = publications(&app, "'public'").await;
    assert!(public.len() >= 2, "{public:?}");
    let mut expected: Vec<String> = [
        "/",
        "/schools",
        "/schools/gimnaziya-3",
        "/schools/sosh-7",
        "/catalog",
        "/initiatives",
        "/initiatives/festival-korennyh-narodov",
        "/initiatives/chitaem-vmeste",
        "/sitemap.xml",
        "/feeds/projects.atom",
        "/feeds/initiatives/festival-korennyh-narodov.atom",
    ]
    .map(String::from)
    .to_vec();
    expected.extend(public.iter().cloned());
    expected.extend(public.iter().map(|p| format!("{p}/print")));
    for page in &expected {
        assert!(
            crawl.visited(page),
            "{page} was not read: {:?}",
            crawl.ok_pages()
        );
    }
    let pages = crawl.ok_pages();
    assert!(
        pages.iter().any(|p| p.starts_with("/tags/"))
            && pages.iter().any(|p| p.starts_with("/catalog/")),
        "tag and catalogue pages are read too: {pages:?}"
    );
    // What is not public was not read: the parents' publication is a 404 for a visitor.
    for page in publications(&app, "'parents', 'school'").await {
        assert_ne!(crawl.statuses.get(&page), Some(&200), "{page}");
    }
    assert!(crawl.findings.is_empty(), "{}", report(&crawl));
}

#[tokio::test]
async fn a_parent_reads_no_other_pupil_named_on_the_shared_pages() {
    let app = spawn_demo().await;
    let secrets = Secrets::of(&app).await;
    let mother = session(&app, "roditel.lebedeva").await;
    let mut seeds = seeds(&app).await;
    // Her daughter's publication for the family, as her home page links it.
    let family = publications(&app, "'parents'").await;
    seeds.extend(family.iter().cloned());
    // Her home page too: its «Проекты ваших детей» names projects, not their members.
    let crawl = crawl(&app, &mother, &seeds, &[], &secrets).await;
    let mut expected = publications(&app, "'public', 'parents'").await;
    expected.extend(
        [
            "/initiatives",
            "/initiatives/festival-korennyh-narodov",
            "/initiatives/chitaem-vmeste",
        ]
        .map(String::from),
    );
    for page in &expected {
        assert!(
            crawl.visited(page),
            "{page} was not read: {:?}",
            crawl.ok_pages()
        );
    }
    assert!(crawl.findings.is_empty(), "{}", report(&crawl));
}

#[tokio::test]
async fn the_scan_finds_a_pupil_where_one_is_named() {
    let app = spawn_demo().await;
    let secrets = Secrets::of(&app).await;
    // A working page of a project names its pupils in full, for its own people.
    let festival: String =
        sqlx::query_scalar("SELECT id FROM projects WHERE title LIKE 'Фестиваль%'")
            .fetch_one(&app.pool)
            .await
            .expect("project");
    let librarian = session(&app, "bibl.sosh1").await;
    let (status, body) = get(&app, &format!("/projects/{festival}"), &librarian).await;
    assert_eq!(status, 200);
    let found = secrets.findings(&body);
    assert!(
        found
            .iter()
            .any(|(what, s)| *what == "surname" && s == "иванова"),
        "{found:?}"
    );
    // Word boundaries in Cyrillic, ё, the staff's names, addresses and e-mails.
    let check = |text: &str| secrets.findings(text);
    assert!(check("Иванова").iter().any(|(_, s)| s == "иванова"));
    assert!(
        check("работа Ивановой").is_empty(),
        "another form is not looked for"
    );
    assert!(check("Ивановаа Кимберли").is_empty(), "not part of a word");
    assert!(check("руководитель Андрей Павлович Ким").is_empty());
    assert!(check("Андрей Павлович Ким и Ким")
        .iter()
        .any(|(_, s)| s == "ким"));
    assert!(check("/tags/%D0%9A%D0%B8%D0%BC")
        .iter()
        .any(|(_, s)| s == "ким"));
    assert!(check("@media print {} ibc@sovgavan.example.ru").is_empty());
    assert!(check("пишите: maria.ivanova@mail.example.ru.")
        .iter()
        .any(|(what, s)| *what == "e-mail" && s == "maria.ivanova@mail.example.ru"));
    assert!(check("вход: kim.s")
        .iter()
        .any(|(what, _)| *what == "username"));
}

#[tokio::test]
async fn pupils_have_no_email_or_birth_date_that_the_scan_would_miss() {
    let app = spawn_demo().await;
    for table in ["pupils", "users"] {
        let columns: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(&app.pool)
                .await
                .expect("columns");
        assert!(columns.contains(&"user_id".to_owned()) || columns.contains(&"id".to_owned()));
        for column in &columns {
            let name = column.to_lowercase();
            assert!(
                !name.contains("birth") && !name.contains("email") && !name.contains("mail"),
                "{table}.{column}: extend the scan in this file to look for it on public pages"
            );
        }
    }
}

#[tokio::test]
async fn searching_for_a_pupil_finds_nothing() {
    let app = spawn_demo().await;
    let secrets = Secrets::of(&app).await;
    let mother = session(&app, "roditel.lebedeva").await;
    // Names are not indexed: a pupil's surname or username finds no publication, for a visitor
    // and for a parent who reads one more.
    for cookie in ["", mother.as_str()] {
        for name in secrets.surnames.iter().chain(&secrets.usernames) {
            let mut url = reqwest::Url::parse(&app.url("/search")).expect("url");
            url.query_pairs_mut().append_pair("q", name);
            let response = app
                .client
                .get(url)
                .header(reqwest::header::COOKIE, cookie)
                .send()
                .await
                .expect("search");
            assert_eq!(response.status(), 200);
            let page = response.text().await.expect("body").replace("<!>", "");
            assert!(
                page.contains("Найдено проектов: 0") && !page.contains("href=\"/p/"),
                "searching {name}: {page}"
            );
            assert!(
                !page.contains("found-initiatives"),
                "searching {name}: {page}"
            );
        }
    }
}
