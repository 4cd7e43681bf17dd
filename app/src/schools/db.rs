//! SQL for the district and its schools. The only place that knows these tables.

use sqlx::FromRow;

use super::{District, SchoolSummary};
use crate::db::{new_id, now, Pool};

/// A district row as stored.
#[derive(Debug, FromRow)]
pub struct DistrictRow {
    pub name: String,
    pub region: String,
    pub time_zone: String,
    pub contact_email: Option<String>,
    pub website: Option<String>,
}

impl From<DistrictRow> for District {
    fn from(row: DistrictRow) -> Self {
        District {
            name: row.name,
            region: row.region,
            contact_email: row.contact_email,
            website: row.website,
        }
    }
}

/// A school row as stored.
#[derive(Debug, FromRow)]
pub struct SchoolRow {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub town: String,
    pub ibc_name: Option<String>,
    pub address: Option<String>,
    pub description: Option<String>,
    pub created_at: String,
}

/// What a new school needs.
#[derive(Debug, Clone)]
pub struct NewSchool<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    pub town: &'a str,
    pub ibc_name: Option<&'a str>,
    pub address: Option<&'a str>,
    pub description: Option<&'a str>,
}

/// What a new district needs.
#[derive(Debug, Clone)]
pub struct NewDistrict<'a> {
    pub name: &'a str,
    pub region: &'a str,
    pub time_zone: &'a str,
    pub contact_email: Option<&'a str>,
    pub website: Option<&'a str>,
}

pub async fn find_district(pool: &Pool) -> Result<Option<DistrictRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT name, region, time_zone, contact_email, website FROM district \
         ORDER BY created_at LIMIT 1",
    )
    .fetch_optional(pool)
    .await
}

pub async fn list_schools(pool: &Pool) -> Result<Vec<SchoolSummary>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT slug, name, short_name, town, ibc_name FROM schools ORDER BY short_name, slug",
    )
    .fetch_all(pool)
    .await?;
    let mut schools: Vec<SchoolSummary> = rows
        .into_iter()
        .map(|(slug, name, short_name, town, ibc_name)| SchoolSummary {
            slug,
            name,
            short_name,
            town,
            ibc_name,
        })
        .collect();
    // «СОШ № 5» comes before «СОШ № 12», as a librarian expects.
    schools.sort_by(|a, b| crate::text::natural_cmp(&a.short_name, &b.short_name));
    Ok(schools)
}

pub async fn find_school_by_slug(
    pool: &Pool,
    slug: &str,
) -> Result<Option<SchoolRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slug, name, short_name, town, ibc_name, address, description, created_at \
         FROM schools WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await
}

pub async fn count_schools<'e, E>(executor: E) -> Result<i64, sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    sqlx::query_scalar("SELECT COUNT(*) FROM schools")
        .fetch_one(executor)
        .await
}

pub async fn district_exists<'e, E>(executor: E) -> Result<bool, sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM district")
        .fetch_one(executor)
        .await?;
    Ok(n > 0)
}

pub async fn insert_district<'e, E>(
    executor: E,
    district: &NewDistrict<'_>,
) -> Result<String, sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    let id = new_id();
    let at = now();
    sqlx::query(
        "INSERT INTO district (id, name, region, time_zone, contact_email, website, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(&id)
    .bind(district.name)
    .bind(district.region)
    .bind(district.time_zone)
    .bind(district.contact_email)
    .bind(district.website)
    .bind(&at)
    .execute(executor)
    .await?;
    Ok(id)
}

pub async fn insert_school<'e, E>(
    executor: E,
    school: &NewSchool<'_>,
) -> Result<String, sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    let id = new_id();
    let at = now();
    sqlx::query(
        "INSERT INTO schools (id, slug, name, short_name, town, ibc_name, address, description, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(school.slug)
    .bind(school.name)
    .bind(school.short_name)
    .bind(school.town)
    .bind(school.ibc_name)
    .bind(school.address)
    .bind(school.description)
    .bind(&at)
    .execute(executor)
    .await?;
    Ok(id)
}

/// Changes a school's fields (found by its current slug); false when there is no such school.
pub async fn update_school<'e, E>(
    executor: E,
    current_slug: &str,
    school: &NewSchool<'_>,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    let done = sqlx::query(
        "UPDATE schools SET slug = $1, name = $2, short_name = $3, town = $4, ibc_name = $5, \
         address = $6, description = $7, updated_at = $8 WHERE slug = $9",
    )
    .bind(school.slug)
    .bind(school.name)
    .bind(school.short_name)
    .bind(school.town)
    .bind(school.ibc_name)
    .bind(school.address)
    .bind(school.description)
    .bind(now())
    .bind(current_slug)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The id of the school with this slug.
pub async fn school_id_by_slug<'e, E>(
    executor: E,
    slug: &str,
) -> Result<Option<String>, sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    sqlx::query_scalar("SELECT id FROM schools WHERE slug = $1")
        .bind(slug)
        .fetch_optional(executor)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::fresh_pool;

    fn school<'a>(slug: &'a str, short_name: &'a str) -> NewSchool<'a> {
        NewSchool {
            slug,
            name: "Полное имя",
            short_name,
            town: "г. Советская Гавань",
            ibc_name: None,
            address: None,
            description: None,
        }
    }

    #[tokio::test]
    async fn schools_are_listed_by_short_name_and_found_by_slug() {
        let pool = fresh_pool().await;
        insert_school(&pool, &school("sosh-12", "МБОУ СОШ № 12"))
            .await
            .expect("insert");
        insert_school(&pool, &school("sosh-5", "МБОУ СОШ № 5"))
            .await
            .expect("insert");
        let list = list_schools(&pool).await.expect("list");
        let slugs: Vec<_> = list.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(
            slugs,
            ["sosh-5", "sosh-12"],
            "numbers in names sort as numbers"
        );
        assert!(find_school_by_slug(&pool, "sosh-5")
            .await
            .expect("find")
            .is_some());
        assert!(find_school_by_slug(&pool, "nope")
            .await
            .expect("find")
            .is_none());
        assert_eq!(count_schools(&pool).await.expect("count"), 2);
    }

    #[tokio::test]
    async fn a_slug_is_unique() {
        let pool = fresh_pool().await;
        insert_school(&pool, &school("sosh-1", "A"))
            .await
            .expect("first");
        assert!(insert_school(&pool, &school("sosh-1", "B")).await.is_err());
    }
}
