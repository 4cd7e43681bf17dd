//! The initiatives' SQL: initiatives, their schools, reading lists and entered projects, and
//! their search terms.

use sqlx::QueryBuilder;

use crate::catalog::db::upper_bound;
use crate::db::{new_id, now, Pool, WriteTx};

type Db = sqlx::Sqlite;

/// An initiative in a list, with its projects counted.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CardRow {
    pub slug: String,
    pub title: String,
    pub level: String,
    pub organiser: String,
    pub starts_on: String,
    pub ends_on: String,
    pub projects: i64,
}

const CARD_COLUMNS: &str = "i.slug, i.title, i.level, i.organiser, i.starts_on, i.ends_on, \
    (SELECT COUNT(*) FROM initiative_projects ip WHERE ip.initiative_id = i.id) AS projects";

/// Every initiative, the latest to end first.
pub async fn list_initiatives(pool: &Pool) -> Result<Vec<CardRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CARD_COLUMNS} FROM initiatives i ORDER BY i.ends_on DESC, i.starts_on DESC, i.slug"
    ))
    .fetch_all(pool)
    .await
}

/// The initiatives a school takes part in or runs, the latest to end first.
pub async fn initiatives_of_school(
    pool: &Pool,
    school_slug: &str,
) -> Result<Vec<CardRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CARD_COLUMNS} FROM initiatives i WHERE i.id IN ( \
            SELECT s.initiative_id FROM initiative_schools s JOIN schools sc ON sc.id = s.school_id \
            WHERE sc.slug = $1 \
            UNION SELECT i2.id FROM initiatives i2 JOIN schools sc ON sc.id = i2.school_id \
            WHERE sc.slug = $1) \
         ORDER BY i.ends_on DESC, i.starts_on DESC, i.slug"
    ))
    .bind(school_slug)
    .fetch_all(pool)
    .await
}

/// An initiative with its host school.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InitiativeRow {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub level: String,
    pub school_id: Option<String>,
    pub host_slug: Option<String>,
    pub host_short_name: Option<String>,
    pub organiser: String,
    pub starts_on: String,
    pub ends_on: String,
    pub description: String,
    pub html: String,
    /// The description without markup ('' for one saved before the column existed).
    pub plain: String,
}

pub async fn find_initiative(
    pool: &Pool,
    slug: &str,
) -> Result<Option<InitiativeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, i.slug, i.title, i.level, i.school_id, s.slug AS host_slug, \
                s.short_name AS host_short_name, i.organiser, i.starts_on, i.ends_on, \
                i.description, i.html, i.plain \
         FROM initiatives i LEFT JOIN schools s ON s.id = i.school_id WHERE i.slug = $1",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await
}

/// The id of the initiative with this address name.
pub async fn initiative_id(tx: &mut WriteTx, slug: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM initiatives WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut **tx)
        .await
}

/// (id, slug, short name) of every school, in name order.
pub async fn all_schools(pool: &Pool) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, short_name FROM schools ORDER BY short_name, slug")
        .fetch_all(pool)
        .await
}

/// (id, slug, short name) of the schools taking part, in name order.
pub async fn participating_schools(
    pool: &Pool,
    initiative_id: &str,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.slug, s.short_name FROM initiative_schools i \
         JOIN schools s ON s.id = i.school_id WHERE i.initiative_id = $1 \
         ORDER BY s.short_name, s.slug",
    )
    .bind(initiative_id)
    .fetch_all(pool)
    .await
}

/// The fields an initiative is saved with.
pub struct NewInitiative<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub level: &'a str,
    pub school_id: Option<&'a str>,
    pub organiser: &'a str,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
    pub description: &'a str,
    pub html: &'a str,
    /// The description's words without markup.
    pub plain: &'a str,
}

pub async fn insert_initiative(
    tx: &mut WriteTx,
    i: &NewInitiative<'_>,
    user_id: &str,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let at = now();
    sqlx::query(
        "INSERT INTO initiatives (id, slug, title, level, school_id, organiser, starts_on, \
         ends_on, description, html, plain, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(&id)
    .bind(i.slug)
    .bind(i.title)
    .bind(i.level)
    .bind(i.school_id)
    .bind(i.organiser)
    .bind(i.starts_on)
    .bind(i.ends_on)
    .bind(i.description)
    .bind(i.html)
    .bind(i.plain)
    .bind(user_id)
    .bind(&at)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn update_initiative(
    tx: &mut WriteTx,
    id: &str,
    i: &NewInitiative<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE initiatives SET slug = $2, title = $3, level = $4, school_id = $5, \
         organiser = $6, starts_on = $7, ends_on = $8, description = $9, html = $10, \
         plain = $11, updated_at = $12 WHERE id = $1",
    )
    .bind(id)
    .bind(i.slug)
    .bind(i.title)
    .bind(i.level)
    .bind(i.school_id)
    .bind(i.organiser)
    .bind(i.starts_on)
    .bind(i.ends_on)
    .bind(i.description)
    .bind(i.html)
    .bind(i.plain)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replaces the initiative's search terms.
pub async fn set_terms(tx: &mut WriteTx, id: &str, terms: &[String]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM initiative_terms WHERE initiative_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for term in terms {
        sqlx::query("INSERT INTO initiative_terms (term, initiative_id) VALUES ($1, $2)")
            .bind(term)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Replaces the participating schools (ids); the ids that were not schools are ignored.
pub async fn set_schools(
    tx: &mut WriteTx,
    id: &str,
    school_ids: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM initiative_schools WHERE initiative_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for school in school_ids {
        sqlx::query(
            "INSERT INTO initiative_schools (initiative_id, school_id) \
             SELECT $1, id FROM schools WHERE id = $2",
        )
        .bind(id)
        .bind(school)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A record on a reading list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReadingRow {
    pub record_id: String,
    pub kind: String,
    pub description: String,
    pub fund: Option<String>,
}

/// The reading list in its order.
pub async fn reading_list(
    pool: &Pool,
    initiative_id: &str,
) -> Result<Vec<ReadingRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id AS record_id, r.kind, r.description, s.short_name AS fund \
         FROM initiative_records ir JOIN catalog_records r ON r.id = ir.record_id \
         LEFT JOIN schools s ON s.id = r.school_id \
         WHERE ir.initiative_id = $1 ORDER BY ir.position, r.sort_key",
    )
    .bind(initiative_id)
    .fetch_all(pool)
    .await
}

/// (reading-list record, participating school id, copies, copies on the shelf): the copies in
/// each participating school's fund of the record or of the same book (the same ISBN), in one
/// query for the whole list.
pub async fn reading_availability(
    pool: &Pool,
    initiative_id: &str,
) -> Result<Vec<(String, String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT ir.record_id, r2.school_id, COUNT(c.id), \
                COALESCE(SUM(CASE WHEN c.available THEN 1 ELSE 0 END), 0) \
         FROM initiative_records ir JOIN catalog_records r ON r.id = ir.record_id \
         JOIN catalog_records r2 ON r2.id = r.id OR (r.isbn IS NOT NULL AND r2.isbn = r.isbn) \
         JOIN initiative_schools isc ON isc.initiative_id = ir.initiative_id \
              AND isc.school_id = r2.school_id \
         LEFT JOIN catalog_copies c ON c.record_id = r2.id \
         WHERE ir.initiative_id = $1 GROUP BY ir.record_id, r2.school_id",
    )
    .bind(initiative_id)
    .fetch_all(pool)
    .await
}

/// How many records the reading list has, read in the write transaction.
pub async fn reading_count(tx: &mut WriteTx, initiative_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM initiative_records WHERE initiative_id = $1")
        .bind(initiative_id)
        .fetch_one(&mut **tx)
        .await
}

/// Puts a record at the end of the reading list; false if it is on it already or unknown.
pub async fn add_record(
    tx: &mut WriteTx,
    initiative_id: &str,
    record_id: &str,
) -> Result<bool, sqlx::Error> {
    let added = sqlx::query(
        "INSERT INTO initiative_records (initiative_id, record_id, position) \
         SELECT $1, r.id, (SELECT COALESCE(MAX(position), 0) + 1 FROM initiative_records \
                           WHERE initiative_id = $1) \
         FROM catalog_records r WHERE r.id = $2 AND NOT EXISTS ( \
             SELECT 1 FROM initiative_records WHERE initiative_id = $1 AND record_id = $2)",
    )
    .bind(initiative_id)
    .bind(record_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(added > 0)
}

pub async fn remove_record(
    tx: &mut WriteTx,
    initiative_id: &str,
    record_id: &str,
) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM initiative_records WHERE initiative_id = $1 AND record_id = $2")
            .bind(initiative_id)
            .bind(record_id)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}

/// A project entered in an initiative, with its live publication (links aside), if any.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EnteredRow {
    pub project_id: String,
    pub title: String,
    pub school_id: String,
    pub school_slug: String,
    pub school_short_name: String,
    pub status: String,
    pub audience: Option<String>,
    pub published_title: Option<String>,
}

/// The projects entered in an initiative, by school and title.
pub async fn entered_projects(
    pool: &Pool,
    initiative_id: &str,
) -> Result<Vec<EnteredRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id AS project_id, p.title, p.school_id, s.slug AS school_slug, \
                s.short_name AS school_short_name, p.status, pb.audience, \
                pb.title AS published_title \
         FROM initiative_projects ip JOIN projects p ON p.id = ip.project_id \
         JOIN schools s ON s.id = p.school_id \
         LEFT JOIN publications pb ON pb.project_id = p.id AND pb.unpublished_at IS NULL \
              AND pb.audience <> 'link' \
         WHERE ip.initiative_id = $1 ORDER BY s.short_name, s.slug, p.title, p.id",
    )
    .bind(initiative_id)
    .fetch_all(pool)
    .await
}

/// (slug, title, entered) of the initiatives a project is in, and of those not ended on `today`
/// that its school takes part in.
pub async fn initiatives_for_project(
    pool: &Pool,
    project_id: &str,
    school_id: &str,
    today: &str,
) -> Result<Vec<(String, String, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.slug, i.title, EXISTS (SELECT 1 FROM initiative_projects ip \
                WHERE ip.initiative_id = i.id AND ip.project_id = $1) AS entered \
         FROM initiatives i \
         WHERE EXISTS (SELECT 1 FROM initiative_projects ip \
                       WHERE ip.initiative_id = i.id AND ip.project_id = $1) \
            OR (i.ends_on >= $3 AND (i.school_id = $2 OR EXISTS ( \
                SELECT 1 FROM initiative_schools s WHERE s.initiative_id = i.id \
                AND s.school_id = $2))) \
         ORDER BY i.ends_on, i.title",
    )
    .bind(project_id)
    .bind(school_id)
    .bind(today)
    .fetch_all(pool)
    .await
}

/// Enters a project in an initiative its school takes part in (or runs) and that has not
/// ended; false if it may not be entered (or is already).
pub async fn enter_project(
    tx: &mut WriteTx,
    initiative_id: &str,
    project_id: &str,
    school_id: &str,
    today: &str,
    user_id: &str,
) -> Result<bool, sqlx::Error> {
    let entered = sqlx::query(
        "INSERT INTO initiative_projects (initiative_id, project_id, entered_by, entered_at) \
         SELECT i.id, $2, $5, $6 FROM initiatives i WHERE i.id = $1 AND i.ends_on >= $4 \
            AND (i.school_id = $3 OR EXISTS (SELECT 1 FROM initiative_schools s \
                 WHERE s.initiative_id = i.id AND s.school_id = $3)) \
            AND NOT EXISTS (SELECT 1 FROM initiative_projects ip \
                 WHERE ip.initiative_id = i.id AND ip.project_id = $2)",
    )
    .bind(initiative_id)
    .bind(project_id)
    .bind(school_id)
    .bind(today)
    .bind(user_id)
    .bind(now())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(entered > 0)
}

pub async fn withdraw_project(
    tx: &mut WriteTx,
    initiative_id: &str,
    project_id: &str,
) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM initiative_projects WHERE initiative_id = $1 AND project_id = $2")
            .bind(initiative_id)
            .bind(project_id)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}

/// (slug, title) of the initiatives a project is entered in.
pub async fn initiatives_of_project(
    pool: &Pool,
    project_id: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.slug, i.title FROM initiative_projects ip \
         JOIN initiatives i ON i.id = ip.initiative_id WHERE ip.project_id = $1 \
         ORDER BY i.starts_on, i.title",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await
}

/// An initiative found by search, with its description's words for a snippet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FoundInitiative {
    pub slug: String,
    pub title: String,
    pub organiser: String,
    pub description: String,
    pub plain: String,
}

impl FoundInitiative {
    /// The description's words (parsed here only for one saved before they were stored).
    pub fn words(&self) -> std::borrow::Cow<'_, str> {
        if self.plain.is_empty() && !self.description.is_empty() {
            crate::markdown::plain_text(&self.description).into()
        } else {
            self.plain.as_str().into()
        }
    }
}

/// Initiatives whose terms include every one of `terms` (each the start of a stored term).
pub async fn search(
    pool: &Pool,
    terms: &[String],
    limit: i64,
) -> Result<Vec<FoundInitiative>, sqlx::Error> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Db>::new(
        "SELECT i.slug, i.title, i.organiser, i.description, i.plain FROM initiatives i \
         WHERE i.id IN (",
    );
    for (n, term) in terms.iter().enumerate() {
        if n > 0 {
            q.push(" INTERSECT ");
        }
        q.push("SELECT initiative_id FROM initiative_terms WHERE term >= ")
            .push_bind(term.clone())
            .push(" AND term < ")
            .push_bind(upper_bound(term));
    }
    q.push(") ORDER BY i.ends_on DESC, i.title LIMIT ")
        .push_bind(limit);
    q.build_query_as().fetch_all(pool).await
}
