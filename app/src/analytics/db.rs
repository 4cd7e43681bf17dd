//! SQL for the report: one query per figure, standard SQL only (`GROUP BY`, `COUNT`, `CASE`),
//! so that it runs unchanged on PostgreSQL. Every query reads the projects in a [`Scope`] and
//! leaves declined proposals out.

use sqlx::QueryBuilder;

use crate::db::Pool;
use crate::people::AcademicYear;

type Db = sqlx::Sqlite;

/// Which projects a figure counts.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scope<'a> {
    /// One school, or the whole district.
    pub school_id: Option<&'a str>,
    /// One academic year, or all of them.
    pub year: Option<AcademicYear>,
}

impl Scope<'_> {
    /// Appends ` AND …` conditions on the projects aliased `p`.
    fn push(&self, q: &mut QueryBuilder<'_, Db>) {
        q.push(" AND p.status <> 'declined'");
        if let Some(school_id) = self.school_id {
            q.push(" AND p.school_id = ")
                .push_bind(school_id.to_owned());
        }
        if let Some(year) = self.year {
            q.push(" AND p.academic_year = ").push_bind(year);
        }
    }
}

/// A catalogue record with the number of projects that list it.
#[derive(sqlx::FromRow)]
pub struct CitedRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub projects: i64,
}

/// The records of the catalogue most projects list, most cited first.
pub async fn list_most_cited(
    pool: &Pool,
    scope: Scope<'_>,
    limit: i64,
) -> Result<Vec<CitedRow>, sqlx::Error> {
    let mut q = QueryBuilder::<Db>::new(
        "SELECT r.id, r.title, r.description, COUNT(DISTINCT s.project_id) AS projects \
         FROM project_sources s \
         JOIN projects p ON p.id = s.project_id \
         JOIN catalog_records r ON r.id = s.record_id \
         WHERE 1 = 1",
    );
    scope.push(&mut q);
    q.push(
        " GROUP BY r.id, r.title, r.description, r.sort_key \
         ORDER BY COUNT(DISTINCT s.project_id) DESC, r.sort_key, r.id LIMIT ",
    )
    .push_bind(limit);
    q.build_query_as().fetch_all(pool).await
}

/// Sources by the academic year of their project and by kind: (year, kind, count).
pub async fn count_sources_by_year_and_kind(
    pool: &Pool,
    scope: Scope<'_>,
) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    let mut q = QueryBuilder::<Db>::new(
        "SELECT p.academic_year, s.kind, COUNT(*) \
         FROM project_sources s JOIN projects p ON p.id = s.project_id WHERE 1 = 1",
    );
    scope.push(&mut q);
    q.push(" GROUP BY p.academic_year, s.kind ORDER BY p.academic_year, s.kind");
    q.build_query_as().fetch_all(pool).await
}

/// Each project's number of sources with its school's least number: (sources, minimum).
pub async fn list_project_source_counts(
    pool: &Pool,
    scope: Scope<'_>,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let mut q = QueryBuilder::<Db>::new(
        "SELECT COUNT(s.id), sc.min_sources \
         FROM projects p \
         JOIN schools sc ON sc.id = p.school_id \
         LEFT JOIN project_sources s ON s.project_id = p.id \
         WHERE 1 = 1",
    );
    scope.push(&mut q);
    q.push(" GROUP BY p.id, sc.min_sources");
    q.build_query_as().fetch_all(pool).await
}

/// The academic years that have projects in a school (or anywhere), newest first.
pub async fn list_project_years(
    pool: &Pool,
    school_id: Option<&str>,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut q =
        QueryBuilder::<Db>::new("SELECT DISTINCT p.academic_year FROM projects p WHERE 1 = 1");
    Scope {
        school_id,
        year: None,
    }
    .push(&mut q);
    q.push(" ORDER BY p.academic_year DESC");
    q.build_query_scalar().fetch_all(pool).await
}

/// A school's line in the district's report.
#[derive(sqlx::FromRow)]
pub struct SchoolRow {
    pub slug: String,
    pub short_name: String,
    pub projects: i64,
    pub sources: i64,
    pub printed: i64,
    pub electronic: i64,
}

/// Every school with its projects and their sources (printed and electronic counted apart),
/// in a year or all years; schools without projects too.
pub async fn list_school_usage(
    pool: &Pool,
    year: Option<AcademicYear>,
) -> Result<Vec<SchoolRow>, sqlx::Error> {
    let mut q = QueryBuilder::<Db>::new(format!(
        "SELECT sc.slug, sc.short_name, \
                COUNT(DISTINCT p.id) AS projects, \
                COUNT(s.id) AS sources, \
                COALESCE(SUM(CASE WHEN s.kind = 'printed_book' THEN 1 ELSE 0 END), 0) AS printed, \
                COALESCE(SUM(CASE WHEN s.kind IN {} THEN 1 ELSE 0 END), 0) \
                  AS electronic \
         FROM schools sc \
         LEFT JOIN projects p ON p.school_id = sc.id AND p.status <> 'declined'",
        crate::catalog::db::ONLINE_KINDS
    ));
    if let Some(year) = year {
        q.push(" AND p.academic_year = ").push_bind(year);
    }
    q.push(
        " LEFT JOIN project_sources s ON s.project_id = p.id \
         GROUP BY sc.id, sc.slug, sc.short_name \
         ORDER BY sc.short_name, sc.slug",
    );
    q.build_query_as().fetch_all(pool).await
}
