//! Demo content: a plausible district for `libfolio seed-demo` and `make run` on an empty
//! database. Later features add their demo data here, so the demo grows in one place.
//!
//! Every demo account shares one password; its Argon2id hash is computed once by the caller
//! ([`password_hash`]) and stored for each account.

use crate::accounts::db::{insert_role, insert_user};
use crate::accounts::Role;
use crate::db::{begin_write, Pool};
use crate::people::db as people;
use crate::people::ConsentKind;
use crate::projects::db as projects;
use crate::schools::db::{district_exists, insert_district, insert_school, NewDistrict, NewSchool};

/// The demo accounts by role, as the README lists them.
pub const DEMO_USERNAMES: &[(&str, &str)] = &[
    ("coordinator", "metodist"),
    ("librarian", "bibl.sosh1"),
    ("librarian", "bibl.gim3"),
    ("supervisor", "uchitel.sosh1"),
    ("pupil", "ivanova.m"),
    ("pupil", "petrov.i"),
    ("parent", "roditel.ivanova"),
    ("supervisor", "uchitel.gim3"),
    ("supervisor", "uchitel.sosh7"),
    ("pupil", "lebedeva.a"),
    ("parent", "roditel.lebedeva"),
];

/// The hash stored for every demo account.
pub async fn password_hash(password: &str) -> Result<String, String> {
    crate::accounts::password::hash(password.to_owned()).await
}

/// Sovetskaya Gavan municipal district, Khabarovsk krai, six schools with an ИБЦ, and their
/// people: a coordinator, librarians, a teacher, classes with pupils (with and without
/// consents) and a parent. Does nothing (and returns `false`) when a district already exists.
pub async fn seed_if_empty(pool: &Pool, password_hash: &str) -> Result<bool, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    if district_exists(&mut *tx).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    insert_district(
        &mut *tx,
        &NewDistrict {
            name: "Советско-Гаванский муниципальный район",
            region: "Хабаровский край",
            time_zone: "Asia/Vladivostok",
            contact_email: Some("ibc@sovgavan.example.ru"),
            website: None,
        },
    )
    .await?;
    let mut school_ids = Vec::new();
    for school in SCHOOLS {
        let id = insert_school(&mut *tx, school).await?;
        crate::review::db::insert_school_defaults(&mut tx, &id).await?;
        school_ids.push(id);
    }
    let (sosh1, gim3) = (&school_ids[0], &school_ids[1]);
    let year = crate::people::api::ssr::current_year();
    let staff: [(&str, &str, &[Role], Option<&str>); 4] = [
        (
            "metodist",
            "Ольга Николаевна Смирнова",
            &[Role::Coordinator],
            None,
        ),
        (
            "bibl.sosh1",
            "Елена Викторовна Кравцова",
            &[Role::Librarian, Role::Supervisor],
            Some(sosh1),
        ),
        (
            "bibl.gim3",
            "Татьяна Сергеевна Белова",
            &[Role::Librarian],
            Some(gim3),
        ),
        (
            "uchitel.sosh1",
            "Андрей Павлович Ким",
            &[Role::Supervisor],
            Some(sosh1),
        ),
    ];
    let mut librarian = String::new();
    let mut teacher = String::new();
    for (username, name, roles, school) in staff {
        let id = insert_user(&mut *tx, username, name, password_hash).await?;
        for role in roles {
            insert_role(&mut *tx, &id, *role, school).await?;
        }
        if username == "bibl.sosh1" {
            librarian = id.clone();
        }
        if username == "uchitel.sosh1" {
            teacher = id.clone();
        }
    }
    let class_7b = people::insert_class(&mut *tx, sosh1, year, 7, 'Б').await?;
    let class_9a = people::insert_class(&mut *tx, sosh1, year, 9, 'А').await?;
    // (username, surname, first name, patronymic, class, consents on file)
    type DemoPupil<'a> = (
        &'a str,
        &'a str,
        &'a str,
        Option<&'a str>,
        &'a str,
        &'a [ConsentKind],
    );
    let pupils: [DemoPupil; 5] = [
        (
            "ivanova.m",
            "Иванова",
            "Мария",
            Some("Сергеевна"),
            &class_7b,
            &[ConsentKind::Processing, ConsentKind::Publication],
        ),
        (
            "petrov.i",
            "Петров",
            "Илья",
            Some("Андреевич"),
            &class_7b,
            &[ConsentKind::Processing],
        ),
        ("udinskaya.a", "Удинская", "Алина", None, &class_7b, &[]),
        (
            "zaitsev.d",
            "Зайцев",
            "Денис",
            Some("Олегович"),
            &class_9a,
            &[ConsentKind::Processing, ConsentKind::Publication],
        ),
        (
            "kim.s",
            "Ким",
            "София",
            Some("Игоревна"),
            &class_9a,
            &[ConsentKind::Processing],
        ),
    ];
    let mut maria = String::new();
    let mut pupil_ids = Vec::new();
    for (username, surname, first_name, patronymic, class_id, consents) in pupils {
        let id = insert_user(
            &mut *tx,
            username,
            &format!("{first_name} {surname}"),
            password_hash,
        )
        .await?;
        insert_role(&mut *tx, &id, Role::Pupil, Some(sosh1)).await?;
        people::insert_pupil(&mut *tx, &id, sosh1, surname, first_name, patronymic).await?;
        people::insert_class_member(&mut *tx, &id, year, class_id).await?;
        for kind in consents {
            let given_on = format!("{year}-09-01");
            people::insert_consent(&mut *tx, &id, *kind, &given_on, "№ 12/к", &librarian).await?;
        }
        if username == "ivanova.m" {
            maria = id.clone();
        }
        pupil_ids.push(id);
    }
    let parent = insert_user(
        &mut *tx,
        "roditel.ivanova",
        "Светлана Иванова",
        password_hash,
    )
    .await?;
    insert_role(&mut *tx, &parent, Role::Parent, None).await?;
    people::link_parent(&mut *tx, &parent, &maria).await?;
    let staff = DemoStaff {
        librarian: &librarian,
        teacher: &teacher,
    };
    seed_projects(&mut tx, sosh1, year, &staff, &pupil_ids).await?;
    tx.commit().await?;
    // The fund of СОШ № 1: real exports (RUSMARC and MARC21), imported as a librarian would.
    for (name, bytes) in DEMO_CATALOGUE {
        let imported = crate::catalog::import::import_file(
            pool,
            Some(sosh1),
            name,
            Some(&librarian),
            bytes,
            |_, _| {},
        )
        .await;
        match imported {
            Ok(_) => {}
            Err(crate::catalog::import::ImportError::Database(e)) => return Err(e),
            Err(e) => tracing::warn!(file = name, error = %e, "demo catalogue file not imported"),
        }
    }
    // The district's shared e-resources, in the CSV template, as the coordinator would import
    // them at `/manage/district/catalog`.
    match crate::catalog::import::import_file(
        pool,
        None,
        "district-e-resources.csv",
        None,
        DISTRICT_E_RESOURCES.as_bytes(),
        |_, _| {},
    )
    .await
    {
        Ok(_) => {}
        Err(crate::catalog::import::ImportError::Database(e)) => return Err(e),
        Err(e) => tracing::warn!(error = %e, "demo district e-resources not imported"),
    }
    seed_showcase(pool, password_hash, year, &school_ids).await?;
    Ok(true)
}

/// A pupil of the showcase's demo: (username, surname, first name, consents to publish).
type ShowcasePupil<'a> = (&'a str, &'a str, &'a str, bool);

/// A pupil with a class and a consent to processing (and to publication when `publish`).
async fn demo_pupil(
    tx: &mut crate::db::WriteTx,
    school: &str,
    year: i32,
    class: &str,
    (username, surname, first_name, publish): ShowcasePupil<'_>,
    password_hash: &str,
    librarian: &str,
) -> Result<String, sqlx::Error> {
    let id = insert_user(
        &mut **tx,
        username,
        &format!("{first_name} {surname}"),
        password_hash,
    )
    .await?;
    insert_role(&mut **tx, &id, Role::Pupil, Some(school)).await?;
    people::insert_pupil(&mut **tx, &id, school, surname, first_name, None).await?;
    people::insert_class_member(&mut **tx, &id, year, class).await?;
    let given_on = format!("{year}-09-01");
    people::insert_consent(
        &mut **tx,
        &id,
        ConsentKind::Processing,
        &given_on,
        "№ 3/к",
        librarian,
    )
    .await?;
    if publish {
        people::insert_consent(
            &mut **tx,
            &id,
            ConsentKind::Publication,
            &given_on,
            "№ 3/к",
            librarian,
        )
        .await?;
    }
    Ok(id)
}

/// A demo project of the showcase, with its pages and tags.
struct ShowcaseProject<'a> {
    school: &'a str,
    title: &'a str,
    topic: &'a str,
    subject: &'a str,
    kind: &'a str,
    project_type: &'a str,
    members: &'a [&'a str],
    supervisor: &'a str,
    tags: &'a [&'a str],
    pages: &'a [(&'a str, &'a str, &'a str)],
    /// Catalogue records (by title) listed as its sources.
    sources: &'a [&'a str],
}

async fn showcase_project(
    tx: &mut crate::db::WriteTx,
    year: i32,
    p: &ShowcaseProject<'_>,
) -> Result<String, sqlx::Error> {
    let id = projects::insert_project(
        tx,
        &projects::NewProject {
            school_id: p.school,
            academic_year: year,
            kind: p.kind,
            status: "active",
            title: p.title,
            topic: p.topic,
            subject: p.subject,
            project_type: p.project_type,
            created_by: p.supervisor,
        },
    )
    .await?;
    for member in p.members {
        projects::add_member(&mut **tx, &id, member, "").await?;
    }
    projects::add_supervisor(&mut **tx, &id, p.supervisor).await?;
    let tags: Vec<String> = p.tags.iter().map(|t| (*t).to_owned()).collect();
    projects::set_tags(tx, &id, &tags).await?;
    let author = p.members.first().copied().unwrap_or(p.supervisor);
    for page in p.pages {
        demo_page(tx, &id, author, *page, &[]).await?;
    }
    for title in p.sources {
        let record: Option<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT id, kind, data, description, sort_key FROM catalog_records \
             WHERE title = $1 AND (school_id IS NULL OR school_id = $2) LIMIT 1",
        )
        .bind(title)
        .bind(p.school)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some((record_id, kind, data, description, sort_key)) = record {
            crate::catalog::db::insert_source(
                tx,
                &crate::catalog::db::NewSource {
                    project_id: &id,
                    record_id: Some(&record_id),
                    kind: &kind,
                    data: &data,
                    access_date: None,
                    description: &description,
                    sort_key: &sort_key,
                    added_by: p.supervisor,
                    cite_key: title,
                },
            )
            .await?;
        }
    }
    Ok(id)
}

/// Submits the project's working copy for its passport stage and accepts it; the snapshot's
/// id.
async fn accepted_snapshot(
    tx: &mut crate::db::WriteTx,
    school: &str,
    project: &str,
    pupil: &str,
    supervisor: &str,
) -> Result<Option<String>, sqlx::Error> {
    use crate::review::db as review;
    let stages = review::list_stages(&mut **tx, school).await?;
    let Some(stage) = stages.get(1) else {
        return Ok(None);
    };
    let snapshot = serde_json::to_string(&review::snapshot_of(tx, project).await?)
        .unwrap_or_else(|_| "{}".into());
    let (submission, _) =
        review::insert_submission(tx, project, &stage.id, &snapshot, pupil).await?;
    review::decide_submission(tx, &submission, "accepted", supervisor, "Принято.").await?;
    Ok(Some(submission))
}

/// Publishes an accepted snapshot to an audience, as the publisher's panel would.
async fn demo_publish(
    tx: &mut crate::db::WriteTx,
    school: &str,
    project: &str,
    submission: &str,
    audience: crate::showcase::Audience,
    publisher: &str,
) -> Result<(), sqlx::Error> {
    let passport: String = sqlx::query_scalar("SELECT passport FROM submissions WHERE id = $1")
        .bind(submission)
        .fetch_one(&mut **tx)
        .await?;
    let passport: crate::review::SnapshotPassport =
        serde_json::from_str(&passport).unwrap_or_default();
    let summary = crate::showcase::api::ssr::summary_of(&passport.topic);
    let publication = crate::showcase::db::insert_publication(
        tx,
        &crate::showcase::db::NewPublication {
            project_id: project,
            submission_id: submission,
            school_id: school,
            audience: audience.as_str(),
            title: &passport.title,
            summary: &summary,
            token_hash: None,
            expires_at: None,
            published_by: publisher,
        },
    )
    .await?;
    crate::showcase::api::ssr::index(tx, project, &publication, submission, &passport)
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("indexing a demo publication: {e:?}")))?;
    Ok(())
}

/// The showcase of the demo: projects of Гимназия № 3 and СОШ № 7 published to the public and
/// to parents, pupils with and without a consent to publish, and the two initiatives with
/// their schools, reading lists and projects (СОШ № 1's festival and booktrailer take part,
/// still in work).
async fn seed_showcase(
    pool: &Pool,
    password_hash: &str,
    year: i32,
    schools: &[String],
) -> Result<(), sqlx::Error> {
    use crate::showcase::Audience;
    let [sosh1, gim3, sosh5, sosh7, ..] = schools else {
        return Ok(());
    };
    let mut tx = begin_write(pool).await?;
    let user_id = |username: &'static str| {
        sqlx::query_scalar::<_, String>("SELECT id FROM users WHERE username = $1").bind(username)
    };
    let librarian_gim3 = user_id("bibl.gim3").fetch_one(&mut *tx).await?;
    let coordinator = user_id("metodist").fetch_one(&mut *tx).await?;
    let teacher_gim3 = insert_user(
        &mut *tx,
        "uchitel.gim3",
        "Марина Юрьевна Соколова",
        password_hash,
    )
    .await?;
    insert_role(&mut *tx, &teacher_gim3, Role::Supervisor, Some(gim3)).await?;
    let teacher_sosh7 = insert_user(
        &mut *tx,
        "uchitel.sosh7",
        "Ирина Владимировна Гейкер",
        password_hash,
    )
    .await?;
    insert_role(&mut *tx, &teacher_sosh7, Role::Supervisor, Some(sosh7)).await?;
    insert_role(&mut *tx, &teacher_sosh7, Role::Librarian, Some(sosh7)).await?;
    let class_8a = people::insert_class(&mut *tx, gim3, year, 8, 'А').await?;
    let class_6v = people::insert_class(&mut *tx, sosh7, year, 6, 'В').await?;
    let anna = demo_pupil(
        &mut tx,
        gim3,
        year,
        &class_8a,
        ("lebedeva.a", "Лебедева", "Анна", true),
        password_hash,
        &librarian_gim3,
    )
    .await?;
    let artyom = demo_pupil(
        &mut tx,
        gim3,
        year,
        &class_8a,
        ("khodzher.a", "Ходжер", "Артём", false),
        password_hash,
        &librarian_gim3,
    )
    .await?;
    let vera = demo_pupil(
        &mut tx,
        gim3,
        year,
        &class_8a,
        ("orlova.v", "Орлова", "Вера", true),
        password_hash,
        &librarian_gim3,
    )
    .await?;
    let nikita = demo_pupil(
        &mut tx,
        sosh7,
        year,
        &class_6v,
        ("kyalundzyuga.n", "Кялундзюга", "Никита", false),
        password_hash,
        &teacher_sosh7,
    )
    .await?;
    let parent = insert_user(
        &mut *tx,
        "roditel.lebedeva",
        "Ирина Лебедева",
        password_hash,
    )
    .await?;
    insert_role(&mut *tx, &parent, Role::Parent, None).await?;
    people::link_parent(&mut *tx, &parent, &anna).await?;

    // Гимназия № 3: a collective booktrailer, published to everyone (one of its two pupils has
    // no consent to publish and is counted, not named).
    let yambuy = showcase_project(
        &mut tx,
        year,
        &ShowcaseProject {
            school: gim3,
            title: "Читаем «Злой дух Ямбуя»: тайга Григория Федосеева",
            topic: "Как повесть о поиске пропавших геодезистов рассказывает о тайге и людях Дальнего Востока",
            subject: "Литература, география",
            kind: "collective",
            project_type: "information",
            members: &[&anna, &artyom],
            supervisor: &teacher_gim3,
            tags: &["чтение", "тайга", "Дальний Восток"],
            pages: YAMBUY_PAGES,
            sources: &["Злой дух Ямбуя", "Дерсу Узала"],
        },
    )
    .await?;
    if let Some(s) = accepted_snapshot(&mut tx, gim3, &yambuy, &anna, &teacher_gim3).await? {
        demo_publish(&mut tx, gim3, &yambuy, &s, Audience::Public, &teacher_gim3).await?;
    }
    // Anna's own project, shown to her family only.
    let birch = showcase_project(
        &mut tx,
        year,
        &ShowcaseProject {
            school: gim3,
            title: "Узоры на берестяной посуде",
            topic: "Какие мотивы нанайского орнамента встречаются на берестяных коробах из школьного музея",
            subject: "Краеведение, технология",
            kind: "individual",
            project_type: "research",
            members: &[&anna],
            supervisor: &teacher_gim3,
            tags: &["орнамент", "нанайцы", "береста"],
            pages: BIRCH_PAGES,
            sources: &[],
        },
    )
    .await?;
    if let Some(s) = accepted_snapshot(&mut tx, gim3, &birch, &anna, &teacher_gim3).await? {
        demo_publish(&mut tx, gim3, &birch, &s, Audience::Parents, &teacher_gim3).await?;
    }
    // Vera's project, still in work.
    let legends = showcase_project(
        &mut tx,
        year,
        &ShowcaseProject {
            school: gim3,
            title: "Легенды Татарского пролива",
            topic: "Записать легенды о проливе, которые рассказывают в семьях одноклассников",
            subject: "Литература, краеведение",
            kind: "individual",
            project_type: "creative",
            members: &[&vera],
            supervisor: &teacher_gim3,
            tags: &["легенды", "краеведение"],
            pages: &[(
                "Замысел",
                "zamysel",
                "## Что собираем

Легенды о проливе и маяках, которые рассказывают бабушки и дедушки.
",
            )],
            sources: &[],
        },
    )
    .await?;
    // СОШ № 7, the festival's host: Udege patterns, published to everyone; its pupil has no
    // consent to publish.
    let udege = showcase_project(
        &mut tx,
        year,
        &ShowcaseProject {
            school: sosh7,
            title: "Удэгейский орнамент на праздничной одежде",
            topic: "Что означают узоры на халатах удэгейцев и как их повторить на мастер-классе",
            subject: "Изобразительное искусство, краеведение",
            kind: "individual",
            project_type: "creative",
            members: &[&nikita],
            supervisor: &teacher_sosh7,
            tags: &["орнамент", "удэгейцы", "фестиваль"],
            pages: UDEGE_PAGES,
            sources: &["Дерсу Узала"],
        },
    )
    .await?;
    if let Some(s) = accepted_snapshot(&mut tx, sosh7, &udege, &nikita, &teacher_sosh7).await? {
        demo_publish(&mut tx, sosh7, &udege, &s, Audience::Public, &teacher_sosh7).await?;
    }

    // The two initiatives.
    let academic_end = year + 1;
    let festival = DemoInitiative {
        slug: "festival-korennyh-narodov",
        title: "Фестиваль коренных народов Дальнего Востока",
        level: "municipal",
        organiser:
            "Управление образования Советско-Гаванского района и ИБЦ «Открытие» МБОУ СОШ № 7",
        starts_on: &format!("{year}-11-01"),
        ends_on: &format!("{academic_end}-04-30"),
        description: FESTIVAL_DESCRIPTION,
        schools: &[sosh1, gim3, sosh7],
        reading: &["Дерсу Узала", "Злой дух Ямбуя"],
    };
    let reading = DemoInitiative {
        slug: "chitaem-vmeste",
        title: "Читаем вместе Дальневосточную книгу",
        level: "regional",
        organiser: "Хабаровская краевая детская библиотека им. Н. Д. Наволочкина",
        starts_on: &format!("{year}-09-01"),
        ends_on: &format!("{academic_end}-05-31"),
        description: READING_DESCRIPTION,
        schools: &[sosh1, gim3, sosh5],
        reading: &["Злой дух Ямбуя", "Дерсу Узала", "Литература"],
    };
    let festival = demo_initiative(&mut tx, &festival, &coordinator).await?;
    let reading = demo_initiative(&mut tx, &reading, &coordinator).await?;
    let projects_in = |title: &'static str| {
        sqlx::query_scalar::<_, String>("SELECT id FROM projects WHERE title = $1").bind(title)
    };
    let ornament =
        projects_in("Фестиваль коренных народов Дальнего Востока: орнамент нанайцев и удэгейцев")
            .fetch_optional(&mut *tx)
            .await?;
    let booktrailer = projects_in("Буктрейлер по повести «Дерсу Узала»")
        .fetch_optional(&mut *tx)
        .await?;
    let now = crate::db::now();
    let entries = [
        (&festival, ornament.as_deref()),
        (&festival, Some(birch.as_str())),
        (&festival, Some(udege.as_str())),
        (&festival, Some(legends.as_str())),
        (&reading, booktrailer.as_deref()),
        (&reading, Some(yambuy.as_str())),
    ];
    for (initiative, project) in entries {
        if let Some(project) = project {
            sqlx::query(
                "INSERT INTO initiative_projects (initiative_id, project_id, entered_by, \
                 entered_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(initiative)
            .bind(project)
            .bind(&coordinator)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await
}

struct DemoInitiative<'a> {
    slug: &'a str,
    title: &'a str,
    level: &'a str,
    organiser: &'a str,
    starts_on: &'a str,
    ends_on: &'a str,
    description: &'a str,
    schools: &'a [&'a String],
    /// Catalogue records by title (the first found).
    reading: &'a [&'a str],
}

async fn demo_initiative(
    tx: &mut crate::db::WriteTx,
    i: &DemoInitiative<'_>,
    coordinator: &str,
) -> Result<String, sqlx::Error> {
    use crate::initiatives::db;
    let html = crate::markdown::render(i.description, &|_| None).html;
    let plain = crate::markdown::plain_text(i.description);
    let id = db::insert_initiative(
        tx,
        &db::NewInitiative {
            slug: i.slug,
            title: i.title,
            level: i.level,
            school_id: None,
            organiser: i.organiser,
            starts_on: i.starts_on,
            ends_on: i.ends_on,
            description: i.description,
            html: html.as_str(),
            plain: &plain,
        },
        coordinator,
    )
    .await?;
    let terms = crate::catalog::search::terms(&format!("{} {} {plain}", i.title, i.organiser));
    db::set_terms(tx, &id, &terms).await?;
    let schools: Vec<String> = i.schools.iter().map(|s| (*s).clone()).collect();
    db::set_schools(tx, &id, &schools).await?;
    for title in i.reading {
        let record: Option<String> =
            sqlx::query_scalar("SELECT id FROM catalog_records WHERE title = $1 LIMIT 1")
                .bind(title)
                .fetch_optional(&mut **tx)
                .await?;
        if let Some(record) = record {
            db::add_record(tx, &id, &record).await?;
        }
    }
    Ok(id)
}

const FESTIVAL_DESCRIPTION: &str = "Муниципальный фестиваль, на котором школы района показывают проекты о культуре **нанайцев, удэгейцев, орочей и ульчей**: орнамент, сказки, ремёсла, промыслы.\n\n## Как участвовать\n\n1. Руководитель заявляет проект на странице публикации проекта.\n2. ИБЦ школы подбирает книги из списка чтения.\n3. В апреле — выставка и защита проектов в СОШ № 7.\n";

const READING_DESCRIPTION: &str = "Краевой проект о книгах, написанных о Дальнем Востоке и на Дальнем Востоке. Школьники читают книги из списка, снимают буктрейлеры, пишут отзывы и рассказывают о прочитанном младшим.\n\nКниги из списка есть в фондах ИБЦ и в электронных ресурсах округа (НЭБ, ЛитРес).\n";

const YAMBUY_PAGES: &[(&str, &str, &str)] = &[
    (
        "О книге",
        "o-knige",
        "## Повесть и её автор\n\nГригорий Федосеев — геодезист, который полвека провёл в экспедициях по тайге. Повесть «Злой дух Ямбуя» рассказывает о поиске пропавших людей и о старом эвенке Улукиткане.\n\n## Почему мы выбрали её\n\nВ повести тайга — не декорация, а живой мир: с туманами, медведями и законами, которые знает проводник.\n",
    ),
    (
        "Сценарий буктрейлера",
        "scenariy",
        "## Кадры\n\n1. Туман над сопками, голос за кадром.\n2. Карта маршрута экспедиции.\n3. Вопрос зрителю: «Кому бы вы доверились в тайге?»\n\n## Где взять книгу\n\nВ ИБЦ гимназии и в электронной библиотеке (ЛитРес).\n",
    ),
];

const BIRCH_PAGES: &[(&str, &str, &str)] = &[(
    "Берестяные короба",
    "korob",
    "## Что мы нашли в музее\n\nВ школьном музее хранятся три берестяных короба. На всех — спирали и волны: орнамент нанайцев связан с рекой.\n",
)];

const UDEGE_PAGES: &[(&str, &str, &str)] = &[
    (
        "Халат с узорами",
        "halat",
        "## Узоры на одежде\n\nУдэгейцы украшали праздничные халаты вышивкой и аппликацией. Главные мотивы орнамента — спираль, завиток и стилизованные птицы.\n",
    ),
    (
        "Мастер-класс",
        "master-klass",
        "## Как повторить узор\n\n- вырезать шаблон завитка из картона;\n- обвести на цветной бумаге;\n- собрать симметричный узор.\n",
    ),
];

/// The district's e-resources of the demo: a НЭБ document read in the reading room, a Лекта
/// textbook, an e-book of an electronic library. The addresses are the services' search pages.
const DISTRICT_E_RESOURCES: &str = "вид;авторы;заглавие;сведения к заглавию;место;издательство;год;объём;isbn;url;режим доступа;возрастной ценз;ключевые слова
НЭБ;Арсеньев Владимир Клавдиевич;Дерсу Узала;из воспоминаний о путешествиях по Уссурийскому краю;Владивосток;Дальневосточное книжное издательство;1972;368 с.;;https://rusneb.ru/search/?q=Дерсу+Узала;в читальном зале;12+;\"Дальний Восток; путешествия\"
Лекта;Коровина Вера Яковлевна;Литература;5-й класс : учебник;Москва;Просвещение;2023;;;https://lecta.rosuchebnik.ru/;для авторизованных;6+;\"литература; учебник\"
электронная книга;Федосеев Григорий Анисимович;Злой дух Ямбуя;повесть;Москва;Вече;2019;320 с.;;https://www.litres.ru/search/?q=Злой+дух+Ямбуя;;12+;\"тайга; Дальний Восток\"
";

/// The demo school's catalogue files (the importer's test fixtures, with their sources in
/// `app/tests/fixtures/marc/README.md`).
const DEMO_CATALOGUE: &[(&str, &[u8])] = &[
    (
        "7_rusmarc.mrc",
        include_bytes!("../tests/fixtures/marc/7_rusmarc.mrc"),
    ),
    (
        "NLR009673669.mrc",
        include_bytes!("../tests/fixtures/marc/NLR009673669.mrc"),
    ),
    (
        "NLR009673670.mrc",
        include_bytes!("../tests/fixtures/marc/NLR009673670.mrc"),
    ),
    (
        "isbn_rsl.iso",
        include_bytes!("../tests/fixtures/marc/ISBN-978-5-901202-50-0_01003120729_rsl.iso"),
    ),
    (
        "01002988236_rusmarc.iso",
        include_bytes!("../tests/fixtures/marc/01002988236_rusmarc.iso"),
    ),
    (
        "seed_1_marc21.mrc",
        include_bytes!("../tests/fixtures/marc/seed_1_marc21.mrc"),
    ),
];

struct DemoStaff<'a> {
    librarian: &'a str,
    teacher: &'a str,
}

/// A demo page: its title, slug and Markdown, rendered as a save would render it.
async fn demo_page(
    tx: &mut crate::db::WriteTx,
    project: &str,
    author: &str,
    (title, slug, body): (&str, &str, &str),
    images: &[(String, String)],
) -> Result<String, sqlx::Error> {
    let resolve = |src: &str| {
        images
            .iter()
            .find(|(name, _)| name == src)
            .map(|(_, id)| format!("/files/{id}"))
    };
    let rendered = crate::markdown::render(body, &resolve);
    let toc = serde_json::to_string(&rendered.toc).unwrap_or_else(|_| "[]".into());
    projects::insert_page(
        tx,
        project,
        slug,
        &projects::NewRevision {
            title,
            body,
            html: rendered.html.as_str(),
            toc: &toc,
            summary: "",
            author_id: author,
            restored_from: None,
        },
    )
    .await
}

/// A drawn «ornament» (a real PNG made here, so the demo needs no image files) stored as the
/// project's upload, as an upload would store it.
async fn demo_image(
    tx: &mut crate::db::WriteTx,
    project: &str,
    author: &str,
    name: &str,
) -> Result<Option<String>, sqlx::Error> {
    let pattern = image::RgbImage::from_fn(480, 240, |x, y| {
        let (cx, cy) = ((x % 60) as i32 - 30, (y % 60) as i32 - 30);
        let wave = (cx.abs() + cy.abs()) % 20 < 6;
        if wave {
            image::Rgb([23, 62, 112])
        } else if (x / 60 + y / 60) % 2 == 0 {
            image::Rgb([238, 226, 200])
        } else {
            image::Rgb([196, 64, 48])
        }
    });
    let mut png = std::io::Cursor::new(Vec::new());
    if pattern.write_to(&mut png, image::ImageFormat::Png).is_err() {
        return Ok(None);
    }
    let png = png.into_inner();
    let Ok(processed) =
        crate::files::media::process_image(&png, crate::files::media::FileType::Png)
    else {
        return Ok(None);
    };
    let id = projects::insert_file(
        tx,
        &projects::NewFile {
            project_id: project,
            name,
            file_type: processed.file_type.as_str(),
            width: Some(i64::from(processed.width)),
            height: Some(i64::from(processed.height)),
            sha256: "demo",
            uploaded_by: author,
            variants: vec![
                (
                    "original",
                    processed.file_type.content_type(),
                    &processed.bytes,
                ),
                (
                    "thumb",
                    processed.thumb_type.content_type(),
                    &processed.thumb,
                ),
            ],
        },
    )
    .await?;
    Ok(Some(id))
}

/// Demo projects of СОШ № 1: the festival of the Indigenous Peoples of the Far East as a
/// collective project with an image, an individual research project with a table, footnotes
/// and two revisions, a reading project, and a pupil's proposal waiting for the teacher.
/// The festival in the review workflow: its passport accepted, the sources stage submitted and
/// waiting for the librarian with one remark, due dates ahead, and a diary entry.
async fn seed_review(
    tx: &mut crate::db::WriteTx,
    school: &str,
    project: &str,
    librarian: &str,
    maria: &str,
    ilya: &str,
) -> Result<(), sqlx::Error> {
    use crate::review::db as review;
    let stages = review::list_stages(&mut **tx, school).await?;
    if stages.len() < 6 {
        return Ok(());
    }
    let today = crate::review::api::ssr::today();
    let day = |days: i64| {
        (today + chrono::Duration::days(days))
            .format("%Y-%m-%d")
            .to_string()
    };
    let diary = "Взяли в ИБЦ три книги об орнаменте, договорились об интервью с мастерицей.";
    let html = crate::markdown::render(diary, &|_| None).html;
    review::insert_diary_entry(tx, project, maria, &day(-7), diary, html.as_str()).await?;
    let snapshot = serde_json::to_string(&review::snapshot_of(tx, project).await?)
        .unwrap_or_else(|_| "{}".into());
    let (passport, _) =
        review::insert_submission(tx, project, &stages[1].id, &snapshot, maria).await?;
    review::decide_submission(
        tx,
        &passport,
        "accepted",
        librarian,
        "Паспорт принят: цель и задачи понятны.",
    )
    .await?;
    review::move_project(
        tx,
        project,
        (Some(&stages[1].id), "working"),
        (Some(&stages[2].id), "submitted"),
        None,
    )
    .await?;
    let (sources, _) =
        review::insert_submission(tx, project, &stages[2].id, &snapshot, ilya).await?;
    review::insert_remark(
        tx,
        &review::NewRemark {
            submission_id: &sources,
            project_id: project,
            parent_id: None,
            page_id: None,
            anchor: None,
            author_id: librarian,
            body: "Добавьте в список источников книгу из краеведческого фонда ИБЦ.",
        },
    )
    .await?;
    review::notify(
        tx,
        &[librarian.to_owned()],
        &review::NewNotification {
            kind: "submitted",
            project_id: project,
            submission_id: Some(&sources),
            actor_id: Some(ilya),
        },
    )
    .await?;
    for (stage, days) in [(2, 10), (3, 45), (4, 100), (5, 120)] {
        review::set_due(tx, project, &stages[stage].id, Some(&day(days))).await?;
    }
    Ok(())
}

async fn seed_projects(
    tx: &mut crate::db::WriteTx,
    school: &str,
    year: i32,
    staff: &DemoStaff<'_>,
    pupils: &[String],
) -> Result<(), sqlx::Error> {
    let [maria, ilya, alina, denis, sofia] = pupils else {
        return Ok(());
    };
    // The festival: collective, three pupils with their parts, the librarian supervising.
    let festival = projects::insert_project(
        tx,
        &projects::NewProject {
            school_id: school,
            academic_year: year,
            kind: "collective",
            status: "active",
            title: "Фестиваль коренных народов Дальнего Востока: орнамент нанайцев и удэгейцев",
            topic: "Как орнамент рассказывает о жизни народов Приамурья и побережья Татарского пролива",
            subject: "Краеведение, изобразительное искусство",
            project_type: "creative",
            created_by: staff.librarian,
        },
    )
    .await?;
    sqlx::query(
        "UPDATE projects SET relevance = $2, goal = $3, tasks = $4, hypothesis = $5, product = $6 \
         WHERE id = $1",
    )
    .bind(&festival)
    .bind("Орнаменты нанайцев и удэгейцев уходят из быта; школьники района мало знают о культуре соседей, хотя живут рядом с их сёлами.")
    .bind("Собрать и объяснить основные мотивы орнамента и показать их на муниципальном фестивале.")
    .bind("1. Изучить книги фонда ИБЦ и музея.\n2. Записать рассказы мастериц.\n3. Нарисовать таблицы мотивов.\n4. Подготовить выставку и мастер-класс.")
    .bind("Мотивы орнамента связаны с природой и промыслами: рыбой, птицами, волной.")
    .bind("Выставка «Живой узор» и памятка для мастер-класса.")
    .execute(&mut **tx)
    .await?;
    for (pupil, note) in [
        (maria, "тексты и таблица мотивов"),
        (ilya, "фотографии"),
        (alina, "интервью с мастерицей"),
    ] {
        projects::add_member(&mut **tx, &festival, pupil, note).await?;
    }
    projects::add_supervisor(&mut **tx, &festival, staff.librarian).await?;
    projects::set_tags(
        tx,
        &festival,
        &["фестиваль".into(), "нанайцы".into(), "орнамент".into()],
    )
    .await?;
    let mut images = Vec::new();
    if let Some(id) = demo_image(tx, &festival, maria, "uzor.png").await? {
        projects::set_cover(&mut **tx, &festival, Some(&id)).await?;
        images.push(("uzor.png".to_owned(), id));
    }
    for page in FESTIVAL_PAGES {
        demo_page(tx, &festival, maria, *page, &images).await?;
    }
    seed_review(tx, school, &festival, staff.librarian, maria, ilya).await?;

    // Lighthouses: individual research with two revisions of its first page.
    let lighthouses = projects::insert_project(
        tx,
        &projects::NewProject {
            school_id: school,
            academic_year: year,
            kind: "individual",
            status: "active",
            title: "Маяки Татарского пролива",
            topic: "История маяков у Советской Гавани и их роль в судоходстве",
            subject: "История, география",
            project_type: "research",
            created_by: staff.teacher,
        },
    )
    .await?;
    projects::add_member(&mut **tx, &lighthouses, denis, "").await?;
    projects::add_supervisor(&mut **tx, &lighthouses, staff.teacher).await?;
    projects::set_tags(tx, &lighthouses, &["краеведение".into(), "маяки".into()]).await?;
    let first = demo_page(tx, &lighthouses, denis, LIGHTHOUSE_PAGES[0], &[]).await?;
    let (title, slug, body) = LIGHTHOUSE_INTRO_V2;
    let rendered = crate::markdown::render(body, &|_| None);
    let toc = serde_json::to_string(&rendered.toc).unwrap_or_else(|_| "[]".into());
    projects::save_revision(
        tx,
        &first,
        1,
        slug,
        &projects::NewRevision {
            title,
            body,
            html: rendered.html.as_str(),
            toc: &toc,
            summary: "Добавил цель и гипотезу по замечаниям руководителя",
            author_id: denis,
            restored_from: None,
        },
    )
    .await?;
    for page in &LIGHTHOUSE_PAGES[1..] {
        demo_page(tx, &lighthouses, denis, *page, &[]).await?;
    }

    // Reading together: a booktrailer about a Far Eastern book.
    let reading = projects::insert_project(
        tx,
        &projects::NewProject {
            school_id: school,
            academic_year: year,
            kind: "individual",
            status: "active",
            title: "Буктрейлер по повести «Дерсу Узала»",
            topic: "Читаем вместе Дальневосточную книгу",
            subject: "Литература",
            project_type: "information",
            created_by: staff.librarian,
        },
    )
    .await?;
    projects::add_member(&mut **tx, &reading, sofia, "").await?;
    projects::add_supervisor(&mut **tx, &reading, staff.librarian).await?;
    demo_page(tx, &reading, sofia, READING_PAGE, &[]).await?;

    // A proposal waiting for the teacher.
    let proposal = projects::insert_project(
        tx,
        &projects::NewProject {
            school_id: school,
            academic_year: year,
            kind: "individual",
            status: "proposed",
            title: "Комикс по нанайской сказке «Айога»",
            topic: "Пересказать сказку в картинках и сравнить с её изданиями в фонде ИБЦ",
            subject: "Литература, ИЗО",
            project_type: "creative",
            created_by: ilya,
        },
    )
    .await?;
    projects::add_member(&mut **tx, &proposal, ilya, "").await?;
    projects::add_supervisor(&mut **tx, &proposal, staff.teacher).await?;
    Ok(())
}

const FESTIVAL_PAGES: &[(&str, &str, &str)] = &[
    (
        "Замысел",
        "zamysel",
        "## Почему орнамент\n\nНа муниципальном фестивале коренных народов Дальнего Востока каждая школа показывает одну тему. Мы выбрали **орнамент**: его можно увидеть на одежде, берестяной посуде и даже на лодках[^1].\n\n## Как мы работаем\n\n- читаем книги из фонда ИБЦ «Маяк»;\n- записываем рассказ мастерицы из села Уська-Орочская;\n- рисуем таблицы мотивов;\n- готовим выставку и мастер-класс.\n\n## План\n\n- [x] выбрать тему\n- [x] составить список книг\n- [ ] взять интервью\n- [ ] нарисовать таблицы\n\n[^1]: Об этом рассказывает книга из краеведческого фонда ИБЦ.\n",
    ),
    (
        "Мотивы орнамента",
        "motivy",
        "## Основные мотивы\n\n| Мотив | Что означает | Где встречается |\n|:--|:--|:--|\n| Волна | вода, река Амур | халаты, коврики |\n| Рыба | промысел, достаток | берестяные короба |\n| Птица | связь с небом | детская одежда |\n| Спираль | жизнь, движение | почти везде |\n\n![Наш рисунок узора](uzor.png)\n\n## Цвета\n\nМастерицы говорят, что *синий* — это вода, а *красный* — огонь очага. ~~Жёлтый не используют~~ Жёлтый встречается редко.\n\n> «Узор нельзя рисовать как попало: у каждой линии есть место» — из интервью.\n",
    ),
    (
        "Фотоотчёт",
        "fotootchet",
        "## Мастер-класс\n\nИлья сделал фотографии на мастер-классе для пятиклассников. Здесь будет подборка лучших снимков с подписями.\n",
    ),
];

const LIGHTHOUSE_PAGES: &[(&str, &str, &str)] = &[
    (
        "Введение",
        "vvedenie",
        "## Тема\n\nМаяки Татарского пролива.\n\n## Актуальность\n\nО маяках района мало написано для школьников.\n",
    ),
    (
        "История маяков",
        "istoriya",
        "## Самые известные маяки\n\n| Маяк | Год постройки | Состояние |\n|:--|--:|:--|\n| Красный Партизан | 1920-е | действует |\n| Низменный | 1930-е | действует |\n| Старый маяк бухты Ванина | 1940-е | памятник |\n\n## Как работал смотритель\n\nСмотритель жил при маяке круглый год[^1]. Он следил за огнём, вёл журнал погоды и помогал судам в тумане[^2].\n\n### Туманный сигнал\n\nВ туман вместо огня работал звуковой сигнал.\n\n[^1]: По материалам краеведческого музея Советской Гавани.\n[^2]: Из книги фонда ИБЦ о мореплавании на Дальнем Востоке.\n",
    ),
    (
        "Выводы",
        "vyvody",
        "## Что получилось\n\n1. Составлена таблица маяков района.\n2. Собраны рассказы о работе смотрителей.\n3. Гипотеза подтвердилась частично: два маяка из трёх действуют.\n",
    ),
];

const LIGHTHOUSE_INTRO_V2: (&str, &str, &str) = (
    "Введение",
    "vvedenie",
    "## Тема\n\nМаяки Татарского пролива.\n\n## Актуальность\n\nО маяках района мало написано для школьников, а многие маяки уже не действуют.\n\n## Цель\n\nСоставить иллюстрированный справочник маяков у Советской Гавани.\n\n## Гипотеза\n\nБольшинство старых маяков района продолжают работать.\n",
);

const READING_PAGE: (&str, &str, &str) = (
    "Сценарий буктрейлера",
    "scenariy",
    "## О книге\n\nВ. К. Арсеньев, «Дерсу Узала» — повесть о путешествиях по Уссурийской тайге и о проводнике-нанайце.\n\n## Кадры\n\n1. Тайга зимой, голос за кадром.\n2. Встреча Арсеньева и Дерсу.\n3. Вопрос зрителю: «Что бы вы взяли в тайгу?»\n\n## Музыка и титры\n\nМузыка без слов; в титрах — где взять книгу в ИБЦ.\n",
);

const SCHOOLS: &[NewSchool<'static>] = &[
    NewSchool {
        slug: "sosh-1",
        name: "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1» г. Советская Гавань",
        short_name: "МБОУ СОШ № 1",
        town: "г. Советская Гавань",
        ibc_name: Some("ИБЦ «Маяк»"),
        address: Some("г. Советская Гавань, ул. Пионерская, 10"),
        description: Some("Информационно-библиотечный центр с читальным залом на 30 мест и медиатекой. Ведёт краеведческие проекты о Татарском проливе."),
    },
    NewSchool {
        slug: "gimnaziya-3",
        name: "Муниципальное бюджетное общеобразовательное учреждение «Гимназия № 3» г. Советская Гавань",
        short_name: "МБОУ «Гимназия № 3»",
        town: "г. Советская Гавань",
        ibc_name: Some("ИБЦ гимназии"),
        address: Some("г. Советская Гавань, ул. Ленина, 24"),
        description: Some("Центр чтения и проектной работы; координирует участие школ района в краевом проекте «Читаем вместе Дальневосточную книгу»."),
    },
    NewSchool {
        slug: "sosh-5",
        name: "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 5» г. Советская Гавань",
        short_name: "МБОУ СОШ № 5",
        town: "г. Советская Гавань",
        ibc_name: Some("ИБЦ «Страница»"),
        address: Some("г. Советская Гавань, ул. Гончарова, 7"),
        description: Some("Библиотека с электронным читальным залом: доступ к ЛитРес, НЭБ и платформе Лекта."),
    },
    NewSchool {
        slug: "sosh-7",
        name: "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 7» р. п. Заветы Ильича",
        short_name: "МБОУ СОШ № 7",
        town: "р. п. Заветы Ильича",
        ibc_name: Some("ИБЦ «Открытие»"),
        address: Some("р. п. Заветы Ильича, ул. Школьная, 3"),
        description: Some("Проводит муниципальный «Фестиваль коренных народов Дальнего Востока» вместе с другими школами района."),
    },
    NewSchool {
        slug: "sosh-12",
        name: "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 12» р. п. Лососина",
        short_name: "МБОУ СОШ № 12",
        town: "р. п. Лососина",
        ibc_name: Some("ИБЦ школы № 12"),
        address: Some("р. п. Лососина, ул. Центральная, 15"),
        description: None,
    },
    NewSchool {
        slug: "sosh-16",
        name: "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 16» р. п. Майский",
        short_name: "МБОУ СОШ № 16",
        town: "р. п. Майский",
        ibc_name: Some("ИБЦ «Книжный причал»"),
        address: Some("р. п. Майский, ул. Морская, 2"),
        description: Some("Самый молодой ИБЦ района: открыт в 2019/2020 учебном году."),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::fresh_pool;
    use crate::schools::db::{count_schools, list_schools};

    #[tokio::test]
    async fn seeds_six_schools_once() {
        let pool = fresh_pool().await;
        assert!(seed_if_empty(&pool, "hash").await.expect("seeds"));
        assert!(
            !seed_if_empty(&pool, "hash").await.expect("second run"),
            "an existing district is kept"
        );
        assert_eq!(count_schools(&pool).await.expect("count"), 6);
        let names: Vec<_> = list_schools(&pool)
            .await
            .expect("list")
            .into_iter()
            .map(|s| s.short_name)
            .collect();
        assert_eq!(names[0], "МБОУ «Гимназия № 3»");
        assert_eq!(
            names[1..],
            [
                "МБОУ СОШ № 1",
                "МБОУ СОШ № 5",
                "МБОУ СОШ № 7",
                "МБОУ СОШ № 12",
                "МБОУ СОШ № 16"
            ]
        );
    }
}
