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
        school_ids.push(insert_school(&mut *tx, school).await?);
    }
    let (sosh1, gim3) = (&school_ids[0], &school_ids[1]);
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
    for (username, name, roles, school) in staff {
        let id = insert_user(&mut *tx, username, name, password_hash).await?;
        for role in roles {
            insert_role(&mut *tx, &id, *role, school).await?;
        }
        if username == "bibl.sosh1" {
            librarian = id;
        }
    }
    let year = crate::people::api::ssr::current_year();
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
            maria = id;
        }
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
    tx.commit().await?;
    Ok(true)
}

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
