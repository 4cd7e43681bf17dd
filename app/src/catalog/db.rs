//! SQL for the catalogue: records, their search terms and the record of imports.

use sqlx::QueryBuilder;

use crate::db::{new_id, now, Pool, WriteTx};

type Db = sqlx::Sqlite;

/// A record as stored: what lists, search and filters read, plus the whole record as JSON.
pub struct RecordRow<'a> {
    pub school_id: Option<&'a str>,
    pub kind: &'a str,
    pub source_id: Option<&'a str>,
    pub isbn: Option<&'a str>,
    pub title: &'a str,
    pub authors: &'a str,
    pub year: Option<i32>,
    pub age_rating: Option<&'a str>,
    pub url: Option<&'a str>,
    pub data: &'a str,
    pub description: &'a str,
    pub sort_key: &'a str,
}

/// The condition on the column `column` (a school id) that picks one fund: a school's, or with
/// `None` the district's shared e-resources. Parameter `$n` is bound either way (NULL for the
/// district), so that both forms take the same binds; a school's keeps its plain, indexed
/// equality.
fn in_fund(column: &str, school_id: Option<&str>, n: usize) -> String {
    match school_id {
        Some(_) => format!("{column} = ${n}"),
        None => format!("{column} IS NULL AND ${n} IS NULL"),
    }
}

/// The record of the school that an imported one replaces: the same source id, else the same
/// ISBN.
pub async fn find_match(
    tx: &mut WriteTx,
    school_id: Option<&str>,
    source_id: Option<&str>,
    isbn: Option<&str>,
) -> Result<Option<String>, sqlx::Error> {
    let fund = in_fund("school_id", school_id, 1);
    if let Some(source_id) = source_id {
        let found: Option<String> = sqlx::query_scalar(&format!(
            "SELECT id FROM catalog_records WHERE {fund} AND source_id = $2"
        ))
        .bind(school_id)
        .bind(source_id)
        .fetch_optional(&mut **tx)
        .await?;
        if found.is_some() {
            return Ok(found);
        }
    }
    match isbn {
        Some(isbn) => {
            sqlx::query_scalar(&format!(
                "SELECT id FROM catalog_records WHERE {fund} AND isbn = $2 \
                 ORDER BY created_at LIMIT 1"
            ))
            .bind(school_id)
            .bind(isbn)
            .fetch_optional(&mut **tx)
            .await
        }
        None => Ok(None),
    }
}

pub async fn insert_record(tx: &mut WriteTx, r: &RecordRow<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    let at = now();
    sqlx::query(
        "INSERT INTO catalog_records (id, school_id, kind, source_id, isbn, title, authors, year, \
         age_rating, url, data, description, sort_key, created_at, updated_at, available) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)",
    )
    .bind(&id)
    .bind(r.school_id)
    .bind(r.kind)
    .bind(r.source_id)
    .bind(r.isbn)
    .bind(r.title)
    .bind(r.authors)
    .bind(r.year)
    .bind(r.age_rating)
    .bind(r.url)
    .bind(r.data)
    .bind(r.description)
    .bind(r.sort_key)
    .bind(&at)
    // A new record has no copies yet: only an online one can be had.
    .bind(super::RecordKind::parse(r.kind).is_some_and(super::RecordKind::is_online))
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn update_record(
    tx: &mut WriteTx,
    id: &str,
    r: &RecordRow<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE catalog_records SET kind = $2, source_id = COALESCE($3, source_id), isbn = $4, \
         title = $5, authors = $6, year = $7, age_rating = $8, url = $9, data = $10, \
         description = $11, sort_key = $12, updated_at = $13, \
         available = CASE WHEN $2 IN {ONLINE_KINDS} THEN TRUE ELSE EXISTS \
         (SELECT 1 FROM catalog_copies c WHERE c.record_id = $1 AND c.available = TRUE) END \
         WHERE id = $1"
    ))
    .bind(id)
    .bind(r.kind)
    .bind(r.source_id)
    .bind(r.isbn)
    .bind(r.title)
    .bind(r.authors)
    .bind(r.year)
    .bind(r.age_rating)
    .bind(r.url)
    .bind(r.data)
    .bind(r.description)
    .bind(r.sort_key)
    .bind(now())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Recomputes whether the record can be had now (a copy on the shelf, or an online kind): the
/// column the search filters on, kept by every change to copies.
pub async fn refresh_available(tx: &mut WriteTx, record_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE catalog_records SET available = CASE WHEN kind IN {ONLINE_KINDS} THEN TRUE \
         ELSE EXISTS (SELECT 1 FROM catalog_copies c WHERE c.record_id = $1 \
         AND c.available = TRUE) END WHERE id = $1"
    ))
    .bind(record_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Replaces a record's search terms.
pub async fn set_terms(tx: &mut WriteTx, id: &str, terms: &[String]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM catalog_terms WHERE record_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if terms.is_empty() {
        return Ok(());
    }
    let mut q = QueryBuilder::<Db>::new("INSERT INTO catalog_terms (term, record_id) ");
    q.push_values(terms, |mut row, term| {
        row.push_bind(term.clone()).push_bind(id.to_owned());
    });
    q.build().execute(&mut **tx).await.map(|_| ())
}

pub async fn insert_import(
    tx: &mut WriteTx,
    school_id: Option<&str>,
    file_name: &str,
    created_by: Option<&str>,
    report: &super::ImportReport,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO catalog_imports (id, school_id, file_name, created_by, created, updated, \
         skipped, report, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(school_id)
    .bind(file_name)
    .bind(created_by)
    .bind(report.created as i64)
    .bind(report.updated as i64)
    .bind(report.skipped.len() as i64)
    .bind(serde_json::to_string(&report.skipped).unwrap_or_else(|_| "[]".into()))
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// A record in a list of search results.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FoundRow {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub authors: String,
    pub year: Option<i64>,
    pub description: String,
    pub school: Option<String>,
}

/// Records whose terms include every one of `terms` (each may be the start of a stored term),
/// of one school and the district's shared ones (or of every school, `None`), of one kind or
/// all, in catalogue order.
/// What a search is narrowed to besides its words.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'a> {
    /// One school's fund and the district's shared records; `None` for every school.
    pub school_id: Option<&'a str>,
    pub kind: Option<&'a str>,
    /// Only records with a copy on the shelf, and online resources.
    pub available: bool,
    /// Only records rated at most this age (436-ФЗ), or not rated.
    pub max_age: Option<u8>,
}

/// The kinds that are read online, always to be had ([`RecordKind::is_online`] as SQL).
pub(crate) const ONLINE_KINDS: &str = "('ebook', 'neb', 'lecta', 'web')";

pub async fn search(
    pool: &Pool,
    filter: Filter<'_>,
    terms: &[String],
    limit: i64,
    offset: i64,
) -> Result<Vec<FoundRow>, sqlx::Error> {
    let Filter {
        school_id, kind, ..
    } = filter;
    let mut q = QueryBuilder::<Db>::new(
        "SELECT r.id, r.kind, r.title, r.authors, r.year, r.description, \
         (SELECT short_name FROM schools s WHERE s.id = r.school_id) AS school FROM ",
    );
    // The matching records come from the terms index first (a prefix range over its key), and
    // only they are read and sorted: a search touches the
    // records it finds, not the whole catalogue. `CROSS JOIN` keeps that order in SQLite (its
    // planner would otherwise walk every record and probe the matches).
    if !terms.is_empty() {
        // With a rare term among common ones (a volume's «том» and its number), the rare
        // term's records are the candidates and each other term is a probe of the candidate's
        // own terms: one lookup per candidate instead of a read of a range that covers nearly
        // every record. When every term is common, intersecting the ranges is cheaper.
        let mut ordered: Vec<(i64, &String)> = Vec::with_capacity(terms.len());
        if terms.len() > 1 {
            for term in terms {
                ordered.push((term_frequency(pool, term).await?, term));
            }
            ordered.sort();
        }
        match ordered.first() {
            Some(&(count, driver)) if count < FREQUENCY_CAP => {
                q.push("(SELECT DISTINCT record_id FROM catalog_terms WHERE term >= ")
                    .push_bind(driver.clone())
                    .push(" AND term < ")
                    .push_bind(upper_bound(driver));
                q.push(") m CROSS JOIN catalog_records r WHERE r.id = m.record_id");
                for (_, term) in &ordered[1..] {
                    q.push(
                        " AND EXISTS (SELECT 1 FROM catalog_terms t \
                         WHERE t.record_id = m.record_id AND t.term >= ",
                    )
                    .push_bind((*term).clone())
                    .push(" AND t.term < ")
                    .push_bind(upper_bound(term))
                    .push(")");
                }
            }
            _ => {
                q.push("(");
                for (i, term) in terms.iter().enumerate() {
                    if i > 0 {
                        q.push(" INTERSECT ");
                    }
                    q.push("SELECT DISTINCT record_id FROM catalog_terms WHERE term >= ")
                        .push_bind(term.clone())
                        .push(" AND term < ")
                        .push_bind(upper_bound(term));
                }
                q.push(") m CROSS JOIN catalog_records r WHERE r.id = m.record_id");
            }
        }
    } else {
        q.push("catalog_records r WHERE 1 = 1");
    }
    if let Some(school_id) = school_id {
        q.push(" AND (r.school_id = ")
            .push_bind(school_id.to_owned())
            .push(" OR r.school_id IS NULL)");
    }
    if let Some(kind) = kind {
        q.push(" AND r.kind = ").push_bind(kind.to_owned());
    }
    if filter.available {
        q.push(" AND r.available = TRUE");
    }
    if let Some(age) = filter.max_age {
        q.push(" AND (r.age_rating IS NULL OR r.age_rating IN (");
        let mut list = q.separated(", ");
        for rating in super::ratings_up_to(age) {
            list.push_bind(rating);
        }
        q.push("))");
    }
    q.push(" ORDER BY r.sort_key, r.id LIMIT ")
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset);
    q.build_query_as().fetch_all(pool).await
}

/// The first string after every string that starts with `term`.
pub(crate) fn upper_bound(term: &str) -> String {
    let mut upper = term.to_owned();
    upper.push(char::MAX);
    upper
}

/// Where a term stops being rare: more index entries than this are not counted.
const FREQUENCY_CAP: i64 = 2000;

/// How many index entries start with `term`, counted up to [`FREQUENCY_CAP`]: enough to tell a
/// rare term from a common one.
async fn term_frequency(pool: &Pool, term: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM catalog_terms WHERE term >= $1 AND term < $2 \
         LIMIT $3) capped",
    )
    .bind(term)
    .bind(upper_bound(term))
    .bind(FREQUENCY_CAP)
    .fetch_one(pool)
    .await
}

/// A record with its school's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecordFull {
    pub id: String,
    pub school_id: Option<String>,
    pub school: Option<String>,
    pub school_slug: Option<String>,
    pub kind: String,
    pub isbn: Option<String>,
    pub title: String,
    pub authors: String,
    pub year: Option<i64>,
    pub age_rating: Option<String>,
    pub url: Option<String>,
    pub data: String,
    pub description: String,
}

pub async fn find_record(pool: &Pool, id: &str) -> Result<Option<RecordFull>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.school_id, s.short_name AS school, s.slug AS school_slug, r.kind, r.isbn, r.title, r.authors, \
         r.year, r.age_rating, r.url, r.data, r.description FROM catalog_records r \
         LEFT JOIN schools s ON s.id = r.school_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// (kind, count) of a school's records.
pub async fn count_by_kind(
    pool: &Pool,
    school_id: Option<&str>,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT kind, COUNT(*) FROM catalog_records WHERE {} GROUP BY kind ORDER BY kind",
        in_fund("school_id", school_id, 1)
    ))
    .bind(school_id)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportRow {
    pub id: String,
    pub file_name: String,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub report: String,
    pub created_at: String,
}

pub async fn list_imports(
    pool: &Pool,
    school_id: Option<&str>,
) -> Result<Vec<ImportRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT id, file_name, created, updated, skipped, report, created_at FROM catalog_imports \
         WHERE {} ORDER BY created_at DESC, id DESC LIMIT 50",
        in_fund("school_id", school_id, 1)
    ))
    .bind(school_id)
    .fetch_all(pool)
    .await
}

pub async fn find_import(
    pool: &Pool,
    school_id: Option<&str>,
    id: &str,
) -> Result<Option<ImportRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT id, file_name, created, updated, skipped, report, created_at FROM catalog_imports \
         WHERE {} AND id = $2",
        in_fund("school_id", school_id, 1)
    ))
    .bind(school_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

// ---------------------------------------------------------------------------------------------
// A project's sources

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SourceRow {
    pub id: String,
    pub record_id: Option<String>,
    pub kind: String,
    pub description: String,
    pub cite_key: String,
}

pub struct NewSource<'a> {
    pub project_id: &'a str,
    pub record_id: Option<&'a str>,
    pub kind: &'a str,
    pub data: &'a str,
    pub access_date: Option<&'a str>,
    pub description: &'a str,
    pub sort_key: &'a str,
    pub added_by: &'a str,
    /// The key wished for; made unique within the project here.
    pub cite_key: &'a str,
}

/// Adds a source; `false` when the project already lists that catalogue record.
pub async fn insert_source(tx: &mut WriteTx, s: &NewSource<'_>) -> Result<bool, sqlx::Error> {
    if let Some(record_id) = s.record_id {
        let listed: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM project_sources WHERE project_id = $1 AND record_id = $2",
        )
        .bind(s.project_id)
        .bind(record_id)
        .fetch_optional(&mut **tx)
        .await?;
        if listed.is_some() {
            return Ok(false);
        }
    }
    let taken: Vec<String> =
        sqlx::query_scalar("SELECT cite_key FROM project_sources WHERE project_id = $1")
            .bind(s.project_id)
            .fetch_all(&mut **tx)
            .await?;
    let cite_key = super::cite::unique_key(s.cite_key, &taken);
    sqlx::query(
        "INSERT INTO project_sources (id, project_id, record_id, kind, data, access_date, \
         description, sort_key, added_by, created_at, cite_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(new_id())
    .bind(s.project_id)
    .bind(s.record_id)
    .bind(s.kind)
    .bind(s.data)
    .bind(s.access_date)
    .bind(s.description)
    .bind(s.sort_key)
    .bind(s.added_by)
    .bind(now())
    .bind(cite_key)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// A project's sources in the order of its list (Cyrillic before Latin, then alphabetical).
pub async fn list_sources(pool: &Pool, project_id: &str) -> Result<Vec<SourceRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, record_id, kind, description, cite_key FROM project_sources \
         WHERE project_id = $1 ORDER BY sort_key, created_at",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await
}

pub async fn delete_source(
    tx: &mut WriteTx,
    project_id: &str,
    id: &str,
) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM project_sources WHERE project_id = $1 AND id = $2")
            .bind(project_id)
            .bind(id)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}

/// The least number of sources the school asks for.
pub async fn min_sources(pool: &Pool, school_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT min_sources FROM schools WHERE id = $1")
        .bind(school_id)
        .fetch_one(pool)
        .await
}

/// The Markdown of the project's pages as they are now.
pub async fn current_page_bodies(
    pool: &Pool,
    project_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT r.body FROM pages p \
         JOIN page_revisions r ON r.page_id = p.id AND r.number = p.revision \
         WHERE p.project_id = $1 AND p.deleted_at IS NULL ORDER BY p.position",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await
}

/// (cite key, description) of the project's sources: what its pages' citations resolve to.
pub async fn citable_sources(
    pool: &Pool,
    project_id: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT cite_key, description FROM project_sources WHERE project_id = $1 \
         ORDER BY sort_key, created_at",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await
}

/// Sets the least number of sources the school asks for.
pub async fn set_min_sources(
    tx: &mut WriteTx,
    school_id: &str,
    min: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE schools SET min_sources = $2 WHERE id = $1")
        .bind(school_id)
        .bind(min)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

// ---------------------------------------------------------------------------------------------
// Copies, holdings, citing projects, duplicates

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CopyRow {
    pub id: String,
    pub inventory_number: String,
    pub shelf_mark: String,
    pub available: bool,
}

pub async fn list_copies(pool: &Pool, record_id: &str) -> Result<Vec<CopyRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, inventory_number, shelf_mark, available FROM catalog_copies \
         WHERE record_id = $1 ORDER BY inventory_number, id",
    )
    .bind(record_id)
    .fetch_all(pool)
    .await
}

/// Adds a copy; `false` when the record already has one with that inventory number.
pub async fn insert_copy(
    tx: &mut WriteTx,
    record_id: &str,
    inventory_number: &str,
    shelf_mark: &str,
) -> Result<bool, sqlx::Error> {
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM catalog_copies WHERE record_id = $1 AND inventory_number = $2",
    )
    .bind(record_id)
    .bind(inventory_number)
    .fetch_optional(&mut **tx)
    .await?;
    if taken.is_some() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO catalog_copies (id, record_id, inventory_number, shelf_mark, available, \
         created_at) VALUES ($1, $2, $3, $4, TRUE, $5)",
    )
    .bind(new_id())
    .bind(record_id)
    .bind(inventory_number)
    .bind(shelf_mark)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    refresh_available(tx, record_id).await?;
    Ok(true)
}

/// Marks a copy of the record on the shelf or not; the number of copies changed (0 or 1).
pub async fn set_copy_available(
    tx: &mut WriteTx,
    record_id: &str,
    copy_id: &str,
    available: bool,
) -> Result<u64, sqlx::Error> {
    let changed =
        sqlx::query("UPDATE catalog_copies SET available = $3 WHERE record_id = $1 AND id = $2")
            .bind(record_id)
            .bind(copy_id)
            .bind(available)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    refresh_available(tx, record_id).await?;
    Ok(changed)
}

pub async fn delete_copy(
    tx: &mut WriteTx,
    record_id: &str,
    copy_id: &str,
) -> Result<u64, sqlx::Error> {
    let removed = sqlx::query("DELETE FROM catalog_copies WHERE record_id = $1 AND id = $2")
        .bind(record_id)
        .bind(copy_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    refresh_available(tx, record_id).await?;
    Ok(removed)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HoldingRow {
    pub school: String,
    pub record_id: String,
    pub copies: i64,
    pub available: i64,
}

/// The record, and the records of other schools with its ISBN, with their copies counted.
pub async fn holdings(
    pool: &Pool,
    record_id: &str,
    isbn: Option<&str>,
) -> Result<Vec<HoldingRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.short_name AS school, r.id AS record_id, COUNT(c.id) AS copies, \
         COALESCE(SUM(CASE WHEN c.available THEN 1 ELSE 0 END), 0) AS available \
         FROM catalog_records r JOIN schools s ON s.id = r.school_id \
         LEFT JOIN catalog_copies c ON c.record_id = r.id \
         WHERE r.id = $1 OR (r.isbn IS NOT NULL AND r.isbn = $2) \
         GROUP BY s.short_name, r.id ORDER BY s.short_name, r.id",
    )
    .bind(record_id)
    .bind(isbn)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CitingRow {
    pub id: String,
    pub title: String,
    pub school_id: String,
    pub school: String,
}

/// The projects that list any of the records among their sources (declined proposals left out).
pub async fn citing_projects(
    pool: &Pool,
    record_ids: &[String],
) -> Result<Vec<CitingRow>, sqlx::Error> {
    if record_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Db>::new(
        "SELECT DISTINCT p.id, p.title, p.school_id, s.short_name AS school \
         FROM project_sources ps JOIN projects p ON p.id = ps.project_id \
         JOIN schools s ON s.id = p.school_id \
         WHERE p.status <> 'declined' AND ps.record_id IN (",
    );
    crate::db::push_ids(&mut q, record_ids);
    q.push(") ORDER BY s.short_name, p.title");
    q.build_query_as().fetch_all(pool).await
}

/// Records of the same school that look like the same book: the same ISBN, or the same title
/// and year.
pub async fn duplicates_of(pool: &Pool, record_id: &str) -> Result<Vec<FoundRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, d.kind, d.title, d.authors, d.year, d.description, \
         (SELECT short_name FROM schools s WHERE s.id = d.school_id) AS school \
         FROM catalog_records r JOIN catalog_records d ON d.school_id = r.school_id \
         AND d.id <> r.id \
         AND ((r.isbn IS NOT NULL AND d.isbn = r.isbn) \
              OR (d.title = r.title AND ((d.year IS NULL AND r.year IS NULL) OR d.year = r.year))) \
         WHERE r.id = $1 ORDER BY d.sort_key, d.id LIMIT 20",
    )
    .bind(record_id)
    .fetch_all(pool)
    .await
}

/// Merges record `gone` into `kept` (both of one school): its copies move, projects that cite
/// it cite `kept` instead (a project citing both keeps its entry, unlinked), its imports'
/// source id is kept so a re-import updates `kept`, and `gone` is deleted.
pub async fn merge_records(tx: &mut WriteTx, kept: &str, gone: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE catalog_copies SET record_id = $1 WHERE record_id = $2 \
         AND inventory_number NOT IN \
         (SELECT inventory_number FROM catalog_copies WHERE record_id = $1)",
    )
    .bind(kept)
    .bind(gone)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE project_sources SET record_id = NULL WHERE record_id = $2 AND project_id IN \
         (SELECT project_id FROM project_sources WHERE record_id = $1)",
    )
    .bind(kept)
    .bind(gone)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE project_sources SET record_id = $1 WHERE record_id = $2")
        .bind(kept)
        .bind(gone)
        .execute(&mut **tx)
        .await?;
    let gone_source: Option<String> =
        sqlx::query_scalar("SELECT source_id FROM catalog_records WHERE id = $1")
            .bind(gone)
            .fetch_optional(&mut **tx)
            .await?
            .flatten();
    sqlx::query("DELETE FROM catalog_records WHERE id = $1")
        .bind(gone)
        .execute(&mut **tx)
        .await?;
    // The kept record answers to the merged one's source id when it has none of its own.
    if let Some(source_id) = gone_source {
        sqlx::query(
            "UPDATE catalog_records SET source_id = $2 WHERE id = $1 AND source_id IS NULL",
        )
        .bind(kept)
        .bind(source_id)
        .execute(&mut **tx)
        .await?;
    }
    refresh_available(tx, kept).await
}

// ---------------------------------------------------------------------------------------------
// The CSV template: matching rows, replacing copies, the export

/// The school's record with this Libfolio id, if it is the school's.
pub async fn find_school_record(
    tx: &mut WriteTx,
    school_id: Option<&str>,
    id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT id FROM catalog_records WHERE {} AND id = $2",
        in_fund("school_id", school_id, 1)
    ))
    .bind(school_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// A record of the school without source id and ISBN with this title, authors line and year.
pub async fn find_same_record(
    tx: &mut WriteTx,
    school_id: Option<&str>,
    title: &str,
    authors: &str,
    year: Option<i32>,
) -> Result<Option<String>, sqlx::Error> {
    // -1 stands for «no year» on both sides, so that the query needs no `IS NULL` parameter.
    sqlx::query_scalar(&format!(
        "SELECT id FROM catalog_records WHERE {} AND source_id IS NULL \
         AND isbn IS NULL AND title = $2 AND authors = $3 AND COALESCE(year, -1) = $4 \
         ORDER BY created_at, id LIMIT 1",
        in_fund("school_id", school_id, 1)
    ))
    .bind(school_id)
    .bind(title)
    .bind(authors)
    .bind(year.unwrap_or(-1))
    .fetch_optional(&mut **tx)
    .await
}

/// (kind, data) of a record, read inside the import's transaction.
pub async fn record_kind_and_data(
    tx: &mut WriteTx,
    id: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT kind, data FROM catalog_records WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Makes the record's copies the ones listed: a listed inventory number the record has keeps
/// its copy (shelf mark and availability updated), a new one is added, and copies not
/// listed are removed. `copies` is never empty (an empty cell leaves the copies alone).
pub async fn replace_copies(
    tx: &mut WriteTx,
    record_id: &str,
    copies: &[super::csv::CsvCopy],
) -> Result<(), sqlx::Error> {
    for copy in copies {
        let updated = sqlx::query(
            "UPDATE catalog_copies SET shelf_mark = $3, available = $4 \
             WHERE record_id = $1 AND inventory_number = $2",
        )
        .bind(record_id)
        .bind(&copy.inventory_number)
        .bind(&copy.shelf_mark)
        .bind(copy.available)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if updated == 0 {
            sqlx::query(
                "INSERT INTO catalog_copies (id, record_id, inventory_number, shelf_mark, \
                 available, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new_id())
            .bind(record_id)
            .bind(&copy.inventory_number)
            .bind(&copy.shelf_mark)
            .bind(copy.available)
            .bind(now())
            .execute(&mut **tx)
            .await?;
        }
    }
    let mut q = QueryBuilder::<Db>::new("DELETE FROM catalog_copies WHERE record_id = ");
    q.push_bind(record_id.to_owned())
        .push(" AND inventory_number NOT IN (");
    let mut listed = q.separated(", ");
    for copy in copies {
        listed.push_bind(copy.inventory_number.clone());
    }
    listed.push_unseparated(")");
    q.build().execute(&mut **tx).await?;
    refresh_available(tx, record_id).await
}

/// A record as the export reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportRow {
    pub id: String,
    pub kind: String,
    pub source_id: Option<String>,
    pub data: String,
}

/// A copy with its record.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportCopyRow {
    pub record_id: String,
    pub inventory_number: String,
    pub shelf_mark: String,
    pub available: bool,
}

/// Every record of the school, in the catalogue's order.
pub async fn list_school_records(
    pool: &Pool,
    school_id: Option<&str>,
) -> Result<Vec<ExportRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT id, kind, source_id, data FROM catalog_records WHERE {} \
         ORDER BY sort_key, id",
        in_fund("school_id", school_id, 1)
    ))
    .bind(school_id)
    .fetch_all(pool)
    .await
}

/// Every copy of the school's records, by inventory number.
pub async fn list_school_copies(
    pool: &Pool,
    school_id: Option<&str>,
) -> Result<Vec<ExportCopyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT c.record_id, c.inventory_number, c.shelf_mark, c.available \
         FROM catalog_copies c JOIN catalog_records r ON r.id = c.record_id \
         WHERE {} ORDER BY c.record_id, c.inventory_number, c.id",
        in_fund("r.school_id", school_id, 1)
    ))
    .bind(school_id)
    .fetch_all(pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::ONLINE_KINDS;
    use crate::catalog::RecordKind;

    #[test]
    fn the_online_kinds_in_sql_are_the_online_kinds() {
        let listed: Vec<String> = RecordKind::ALL
            .into_iter()
            .filter(|k| k.is_online())
            .map(|k| format!("'{}'", k.as_str()))
            .collect();
        assert_eq!(ONLINE_KINDS, format!("({})", listed.join(", ")));
    }
}
