//! Demo content: a plausible district for `libfolio seed-demo` and `make run` on an empty
//! database. Later features add their demo data here, so the demo grows in one place.

use crate::db::{begin_write, Pool};
use crate::schools::db::{district_exists, insert_district, insert_school, NewDistrict, NewSchool};

/// Sovetskaya Gavan municipal district, Khabarovsk krai, and six schools with an ИБЦ.
/// Does nothing (and returns `false`) when a district already exists.
pub async fn seed_if_empty(pool: &Pool) -> Result<bool, sqlx::Error> {
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
    for school in SCHOOLS {
        insert_school(&mut *tx, school).await?;
    }
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
        assert!(seed_if_empty(&pool).await.expect("seeds"));
        assert!(
            !seed_if_empty(&pool).await.expect("second run"),
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
