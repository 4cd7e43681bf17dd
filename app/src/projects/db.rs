//! SQL for projects, their members and supervisors, pages, revisions, drafts and files.
//! Lists fetch their rows and then the people of all listed projects in one more query (never
//! one query per project).

use sqlx::{FromRow, QueryBuilder};

use super::{Member, PageRef, PersonRef};
use crate::db::{new_id, now, Pool};

type Db = sqlx::Sqlite;

/// A project row as the server functions need it.
#[derive(Debug, Clone, FromRow)]
pub struct ProjectRow {
    pub id: String,
    pub school_id: String,
    pub school_slug: String,
    pub school_short_name: String,
    pub academic_year: i32,
    pub kind: String,
    pub status: String,
    pub title: String,
    pub topic: String,
    pub subject: String,
    pub project_type: String,
    pub relevance: String,
    pub goal: String,
    pub tasks: String,
    pub hypothesis: String,
    pub product: String,
    pub cover_file_id: Option<String>,
    pub updated_at: String,
    /// The current stage (none only for a school without stages).
    pub stage_id: Option<String>,
    pub review_state: String,
}

const PROJECT_COLUMNS: &str = "p.id, p.school_id, s.slug AS school_slug, \
    s.short_name AS school_short_name, p.academic_year, p.kind, p.status, p.title, p.topic, \
    p.subject, p.project_type, p.relevance, p.goal, p.tasks, p.hypothesis, p.product, \
    p.cover_file_id, p.updated_at, p.stage_id, p.review_state";

/// The people standing in a relation to a project: members, supervisors, members' parents.
#[derive(Debug, Clone, Default)]
pub struct ProjectPeople {
    pub members: Vec<String>,
    pub supervisors: Vec<String>,
    pub parents: Vec<String>,
    pub commission: Vec<String>,
}

pub struct NewProject<'a> {
    pub school_id: &'a str,
    pub academic_year: i32,
    pub kind: &'a str,
    pub status: &'a str,
    pub title: &'a str,
    pub topic: &'a str,
    pub subject: &'a str,
    pub project_type: &'a str,
    pub created_by: &'a str,
}

/// Adds a project and indexes its card for staff search.
pub async fn insert_project(
    tx: &mut crate::db::WriteTx,
    p: &NewProject<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let at = now();
    sqlx::query(
        "INSERT INTO projects (id, school_id, academic_year, kind, status, title, topic, subject, \
         project_type, created_by, created_at, updated_at, stage_id, review_state) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, \
         (SELECT id FROM stages WHERE school_id = $2 ORDER BY position LIMIT 1 OFFSET $12), 'working')",
    )
    .bind(&id)
    .bind(p.school_id)
    .bind(p.academic_year)
    .bind(p.kind)
    .bind(p.status)
    .bind(p.title)
    .bind(p.topic)
    .bind(p.subject)
    .bind(p.project_type)
    .bind(p.created_by)
    .bind(&at)
    // A proposal waits on the first stage (the topic); staff who start a project approve its
    // topic by doing so.
    .bind(if p.status == "proposed" { 0_i64 } else { 1 })
    .execute(&mut **tx)
    .await?;
    index_card(tx, &id).await?;
    Ok(id)
}

pub async fn find_project(pool: &Pool, id: &str) -> Result<Option<ProjectRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {PROJECT_COLUMNS} FROM projects p JOIN schools s ON s.id = p.school_id \
         WHERE p.id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Members, supervisors and members' parents of a project, in one query.
pub async fn project_people(pool: &Pool, project_id: &str) -> Result<ProjectPeople, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT 'member', pupil_id FROM project_members WHERE project_id = $1 \
         UNION ALL SELECT 'supervisor', user_id FROM project_supervisors WHERE project_id = $1 \
         UNION ALL SELECT 'parent', l.parent_id FROM parent_links l \
           JOIN project_members m ON m.pupil_id = l.pupil_id WHERE m.project_id = $1 \
         UNION ALL SELECT 'commission', user_id FROM commission_members WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await?;
    let mut people = ProjectPeople::default();
    for (relation, id) in rows {
        match relation.as_str() {
            "member" => people.members.push(id),
            "supervisor" => people.supervisors.push(id),
            "commission" => people.commission.push(id),
            _ => people.parents.push(id),
        }
    }
    Ok(people)
}

/// [`project_people`] of many projects in one query (the policy's view of who reads each).
pub async fn people_by_project(
    pool: &Pool,
    project_ids: &[String],
) -> Result<std::collections::HashMap<String, ProjectPeople>, sqlx::Error> {
    let mut out: std::collections::HashMap<String, ProjectPeople> = project_ids
        .iter()
        .map(|id| (id.clone(), ProjectPeople::default()))
        .collect();
    if project_ids.is_empty() {
        return Ok(out);
    }
    let mut q = QueryBuilder::<Db>::new("WITH wanted (id) AS (VALUES ");
    let mut ids = q.separated(", ");
    for id in project_ids {
        ids.push("(")
            .push_bind_unseparated(id.clone())
            .push_unseparated(")");
    }
    q.push(
        ") SELECT m.project_id, 'member', m.pupil_id FROM project_members m \
         JOIN wanted w ON w.id = m.project_id \
         UNION ALL SELECT v.project_id, 'supervisor', v.user_id FROM project_supervisors v \
         JOIN wanted w ON w.id = v.project_id \
         UNION ALL SELECT m.project_id, 'parent', l.parent_id FROM parent_links l \
         JOIN project_members m ON m.pupil_id = l.pupil_id JOIN wanted w ON w.id = m.project_id \
         UNION ALL SELECT c.project_id, 'commission', c.user_id FROM commission_members c \
         JOIN wanted w ON w.id = c.project_id",
    );
    let rows: Vec<(String, String, String)> = q.build_query_as().fetch_all(pool).await?;
    for (project, relation, id) in rows {
        let people = out.entry(project).or_default();
        match relation.as_str() {
            "member" => people.members.push(id),
            "supervisor" => people.supervisors.push(id),
            "commission" => people.commission.push(id),
            _ => people.parents.push(id),
        }
    }
    Ok(out)
}

/// The members of a project with their names, classes (in the project's year) and parts.
pub async fn list_members(
    pool: &Pool,
    project_id: &str,
    year: i32,
) -> Result<Vec<Member>, sqlx::Error> {
    // id, name, class grade and letter (in that year), note
    type MemberRow = (String, String, Option<i64>, Option<String>, String);
    let rows: Vec<MemberRow> = sqlx::query_as(
        "SELECT u.id, u.display_name, c.grade, c.letter, m.note FROM project_members m \
         JOIN users u ON u.id = m.pupil_id \
         LEFT JOIN class_members cm ON cm.pupil_id = m.pupil_id AND cm.academic_year = $2 \
         LEFT JOIN classes c ON c.id = cm.class_id \
         WHERE m.project_id = $1 ORDER BY m.added_at, u.display_name",
    )
    .bind(project_id)
    .bind(year)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, grade, letter, note)| Member {
            id,
            name,
            class: grade.zip(letter).map(|(g, l)| format!("{g}{l}")),
            note,
        })
        .collect())
}

pub async fn list_supervisors(
    pool: &Pool,
    project_id: &str,
) -> Result<Vec<PersonRef>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name FROM project_supervisors ps JOIN users u ON u.id = ps.user_id \
         WHERE ps.project_id = $1 ORDER BY ps.added_at, u.display_name",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| PersonRef { id, name })
        .collect())
}

pub async fn list_tags(pool: &Pool, project_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT tag FROM project_tags WHERE project_id = $1 ORDER BY tag")
        .bind(project_id)
        .fetch_all(pool)
        .await
}

pub async fn add_member<'e, E>(
    executor: E,
    project_id: &str,
    pupil_id: &str,
    note: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query(
        "INSERT INTO project_members (project_id, pupil_id, note, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (project_id, pupil_id) DO UPDATE SET note = excluded.note",
    )
    .bind(project_id)
    .bind(pupil_id)
    .bind(note)
    .bind(now())
    .execute(executor)
    .await
    .map(|_| ())
}

pub async fn remove_member<'e, E>(
    executor: E,
    project_id: &str,
    pupil_id: &str,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let done = sqlx::query("DELETE FROM project_members WHERE project_id = $1 AND pupil_id = $2")
        .bind(project_id)
        .bind(pupil_id)
        .execute(executor)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn add_supervisor<'e, E>(
    executor: E,
    project_id: &str,
    user_id: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query(
        "INSERT INTO project_supervisors (project_id, user_id, added_at) VALUES ($1, $2, $3) \
         ON CONFLICT (project_id, user_id) DO NOTHING",
    )
    .bind(project_id)
    .bind(user_id)
    .bind(now())
    .execute(executor)
    .await
    .map(|_| ())
}

pub async fn remove_supervisor<'e, E>(
    executor: E,
    project_id: &str,
    user_id: &str,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let done =
        sqlx::query("DELETE FROM project_supervisors WHERE project_id = $1 AND user_id = $2")
            .bind(project_id)
            .bind(user_id)
            .execute(executor)
            .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn count_supervisors(
    tx: &mut crate::db::WriteTx,
    project_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM project_supervisors WHERE project_id = $1")
        .bind(project_id)
        .fetch_one(&mut **tx)
        .await
}

pub async fn set_tags(
    tx: &mut crate::db::WriteTx,
    project_id: &str,
    tags: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM project_tags WHERE project_id = $1")
        .bind(project_id)
        .execute(&mut **tx)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO project_tags (project_id, tag) VALUES ($1, $2)")
            .bind(project_id)
            .bind(tag)
            .execute(&mut **tx)
            .await?;
    }
    // Callers change the passport first and the tags last: the card is indexed once, here.
    index_card(tx, project_id).await
}

/// The passport and settings members and staff edit together.
pub struct PassportUpdate<'a> {
    pub title: &'a str,
    pub topic: &'a str,
    pub subject: &'a str,
    pub project_type: &'a str,
    pub relevance: &'a str,
    pub goal: &'a str,
    pub tasks: &'a str,
    pub hypothesis: &'a str,
    pub product: &'a str,
}

pub async fn update_passport<'e, E>(
    executor: E,
    project_id: &str,
    p: &PassportUpdate<'_>,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query(
        "UPDATE projects SET title = $2, topic = $3, subject = $4, project_type = $5, \
         relevance = $6, goal = $7, tasks = $8, hypothesis = $9, product = $10, updated_at = $11 \
         WHERE id = $1",
    )
    .bind(project_id)
    .bind(p.title)
    .bind(p.topic)
    .bind(p.subject)
    .bind(p.project_type)
    .bind(p.relevance)
    .bind(p.goal)
    .bind(p.tasks)
    .bind(p.hypothesis)
    .bind(p.product)
    .bind(now())
    .execute(executor)
    .await
    .map(|_| ())
}

pub async fn set_kind<'e, E>(executor: E, project_id: &str, kind: &str) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query("UPDATE projects SET kind = $2, updated_at = $3 WHERE id = $1")
        .bind(project_id)
        .bind(kind)
        .bind(now())
        .execute(executor)
        .await
        .map(|_| ())
}

pub async fn set_status<'e, E>(
    executor: E,
    project_id: &str,
    status: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query("UPDATE projects SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(project_id)
        .bind(status)
        .bind(now())
        .execute(executor)
        .await
        .map(|_| ())
}

pub async fn set_cover<'e, E>(
    executor: E,
    project_id: &str,
    file_id: Option<&str>,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query("UPDATE projects SET cover_file_id = $2, updated_at = $3 WHERE id = $1")
        .bind(project_id)
        .bind(file_id)
        .bind(now())
        .execute(executor)
        .await
        .map(|_| ())
}

pub async fn touch_project<'e, E>(executor: E, project_id: &str) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query("UPDATE projects SET updated_at = $2 WHERE id = $1")
        .bind(project_id)
        .bind(now())
        .execute(executor)
        .await
        .map(|_| ())
}

// ---------------------------------------------------------------------------------------------
// Lists

/// Which projects a list shows.
pub enum ProjectFilter<'a> {
    MemberOf(&'a str),
    SupervisedBy(&'a str),
    ChildrenOf(&'a str),
    School {
        school_id: &'a str,
        year: i32,
        class_id: Option<&'a str>,
        supervisor_id: Option<&'a str>,
        kind: Option<&'a str>,
    },
}

#[derive(Debug, Clone, FromRow)]
pub struct SummaryRow {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub academic_year: i32,
    pub school_slug: String,
    pub school_short_name: String,
    pub page_count: i64,
    pub updated_at: String,
}

fn push_filter(q: &mut QueryBuilder<'_, Db>, filter: &ProjectFilter<'_>) {
    match filter {
        ProjectFilter::MemberOf(user) => {
            q.push(" WHERE p.id IN (SELECT project_id FROM project_members WHERE pupil_id = ");
            q.push_bind(user.to_string()).push(")");
        }
        ProjectFilter::SupervisedBy(user) => {
            q.push(" WHERE p.id IN (SELECT project_id FROM project_supervisors WHERE user_id = ");
            q.push_bind(user.to_string()).push(")");
        }
        ProjectFilter::ChildrenOf(parent) => {
            q.push(
                " WHERE p.id IN (SELECT m.project_id FROM project_members m \
                 JOIN parent_links l ON l.pupil_id = m.pupil_id WHERE l.parent_id = ",
            );
            q.push_bind(parent.to_string()).push(")");
        }
        ProjectFilter::School {
            school_id,
            year,
            class_id,
            supervisor_id,
            kind,
        } => {
            q.push(" WHERE p.school_id = ")
                .push_bind(school_id.to_string());
            q.push(" AND p.academic_year = ").push_bind(*year);
            if let Some(class_id) = class_id {
                q.push(
                    " AND p.id IN (SELECT m.project_id FROM project_members m \
                     JOIN class_members cm ON cm.pupil_id = m.pupil_id WHERE cm.class_id = ",
                );
                q.push_bind(class_id.to_string()).push(")");
            }
            if let Some(supervisor_id) = supervisor_id {
                q.push(" AND p.id IN (SELECT project_id FROM project_supervisors WHERE user_id = ");
                q.push_bind(supervisor_id.to_string()).push(")");
            }
            if let Some(kind) = kind {
                q.push(" AND p.kind = ").push_bind(kind.to_string());
            }
        }
    }
}

/// Projects matching `filter`, proposals first, then the most recently changed.
pub async fn list_projects(
    pool: &Pool,
    filter: &ProjectFilter<'_>,
    limit: u32,
    offset: u32,
) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let mut q = QueryBuilder::<Db>::new(
        "SELECT p.id, p.title, p.kind, p.status, p.academic_year, s.slug AS school_slug, \
         s.short_name AS school_short_name, \
         (SELECT COUNT(*) FROM pages g WHERE g.project_id = p.id AND g.deleted_at IS NULL) \
           AS page_count, p.updated_at \
         FROM projects p JOIN schools s ON s.id = p.school_id",
    );
    push_filter(&mut q, filter);
    q.push(
        " ORDER BY CASE p.status WHEN 'proposed' THEN 0 WHEN 'active' THEN 1 ELSE 2 END, \
         p.updated_at DESC, p.id LIMIT ",
    )
    .push_bind(i64::from(limit))
    .push(" OFFSET ")
    .push_bind(i64::from(offset));
    q.build_query_as().fetch_all(pool).await
}

pub async fn count_projects(pool: &Pool, filter: &ProjectFilter<'_>) -> Result<i64, sqlx::Error> {
    let mut q = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM projects p");
    push_filter(&mut q, filter);
    q.build_query_scalar().fetch_one(pool).await
}

/// The names of members and supervisors of many projects at once:
/// (project id, 'member' or 'supervisor', name).
pub async fn people_of_projects(
    pool: &Pool,
    project_ids: &[String],
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    if project_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Db>::new(
        "SELECT m.project_id, 'member', u.display_name FROM project_members m \
         JOIN users u ON u.id = m.pupil_id WHERE m.project_id IN (",
    );
    crate::db::push_ids(&mut q, project_ids);
    q.push(
        ") UNION ALL SELECT ps.project_id, 'supervisor', u.display_name FROM project_supervisors ps \
         JOIN users u ON u.id = ps.user_id WHERE ps.project_id IN (",
    );
    crate::db::push_ids(&mut q, project_ids);
    q.push(") ORDER BY 3");
    q.build_query_as().fetch_all(pool).await
}

/// Staff of a school who can supervise projects (supervisors and librarians), by name.
pub async fn school_supervisors(
    pool: &Pool,
    school_id: &str,
) -> Result<Vec<PersonRef>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT u.id, u.display_name FROM user_roles r JOIN users u ON u.id = r.user_id \
         WHERE r.school_id = $1 AND r.role IN ('supervisor', 'librarian') AND u.is_active = 1 \
         ORDER BY u.display_name",
    )
    .bind(school_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| PersonRef { id, name })
        .collect())
}

/// A school's pupils in an academic year with their classes, by class and name.
pub async fn school_pupils(
    pool: &Pool,
    school_id: &str,
    year: i32,
) -> Result<Vec<Member>, sqlx::Error> {
    let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, c.grade, c.letter FROM class_members cm \
         JOIN classes c ON c.id = cm.class_id JOIN users u ON u.id = cm.pupil_id \
         WHERE c.school_id = $1 AND cm.academic_year = $2 AND u.is_active = 1 \
         ORDER BY c.grade, c.letter, u.display_name",
    )
    .bind(school_id)
    .bind(year)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, grade, letter)| Member {
            id,
            name,
            class: Some(format!("{grade}{letter}")),
            note: String::new(),
        })
        .collect())
}

/// The school and year of a pupil's class membership, if they are a pupil of `school_id` in
/// `year`.
pub async fn pupil_in_school(
    pool: &Pool,
    pupil_id: &str,
    school_id: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM pupils WHERE user_id = $1 AND school_id = $2")
            .bind(pupil_id)
            .bind(school_id)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}

/// Whether `user_id` is a supervisor or librarian of `school_id`.
pub async fn is_school_staff(
    pool: &Pool,
    user_id: &str,
    school_id: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM user_roles WHERE user_id = $1 AND school_id = $2 \
         AND role IN ('supervisor', 'librarian') LIMIT 1",
    )
    .bind(user_id)
    .bind(school_id)
    .fetch_optional(pool)
    .await?;
    Ok(found.is_some())
}

/// Classes of a school in a year: (id, name), for the list's filter.
pub async fn school_classes(
    pool: &Pool,
    school_id: &str,
    year: i32,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT id, grade, letter FROM classes WHERE school_id = $1 AND academic_year = $2 \
         ORDER BY grade, letter",
    )
    .bind(school_id)
    .bind(year)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, grade, letter)| (id, format!("{grade}{letter}")))
        .collect())
}

/// Academic years in which a school has projects, newest first.
pub async fn project_years(pool: &Pool, school_id: &str) -> Result<Vec<i32>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT academic_year FROM projects WHERE school_id = $1 \
         ORDER BY academic_year DESC",
    )
    .bind(school_id)
    .fetch_all(pool)
    .await
}

// ---------------------------------------------------------------------------------------------
// Pages and revisions

#[derive(Debug, Clone, FromRow)]
pub struct PageRow {
    pub id: String,
    pub project_id: String,
    pub slug: String,
    pub title: String,
    pub position: i64,
    pub revision: i64,
    pub deleted_at: Option<String>,
}

impl PageRow {
    pub fn page_ref(&self) -> PageRef {
        PageRef {
            id: self.id.clone(),
            slug: self.slug.clone(),
            title: self.title.clone(),
        }
    }
}

const PAGE_COLUMNS: &str = "id, project_id, slug, title, position, revision, deleted_at";

/// The pages of a project in order, the deleted ones last.
pub async fn list_pages(pool: &Pool, project_id: &str) -> Result<Vec<PageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {PAGE_COLUMNS} FROM pages WHERE project_id = $1 \
         ORDER BY CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END, position, created_at"
    ))
    .bind(project_id)
    .fetch_all(pool)
    .await
}

pub async fn find_page_by_slug(
    pool: &Pool,
    project_id: &str,
    slug: &str,
) -> Result<Option<PageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {PAGE_COLUMNS} FROM pages WHERE project_id = $1 AND slug = $2 \
         AND deleted_at IS NULL"
    ))
    .bind(project_id)
    .bind(slug)
    .fetch_optional(pool)
    .await
}

pub async fn find_page<'e, E>(executor: E, page_id: &str) -> Result<Option<PageRow>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query_as(&format!("SELECT {PAGE_COLUMNS} FROM pages WHERE id = $1"))
        .bind(page_id)
        .fetch_optional(executor)
        .await
}

/// Whether a slug is used by a live page of the project (other than `except`).
pub async fn slug_taken(
    tx: &mut crate::db::WriteTx,
    project_id: &str,
    slug: &str,
    except: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM pages WHERE project_id = $1 AND slug = $2 AND deleted_at IS NULL \
         AND id <> $3",
    )
    .bind(project_id)
    .bind(slug)
    .bind(except.unwrap_or(""))
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

/// A slug for a page: `base`, or `base-2`, `base-3`… if taken.
pub async fn free_slug(
    tx: &mut crate::db::WriteTx,
    project_id: &str,
    base: &str,
    except: Option<&str>,
) -> Result<String, sqlx::Error> {
    let mut candidate = base.to_owned();
    let mut n = 1;
    while slug_taken(tx, project_id, &candidate, except).await? {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    Ok(candidate)
}

/// The rendered content saved with a revision.
pub struct NewRevision<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub html: &'a str,
    pub toc: &'a str,
    pub summary: &'a str,
    pub author_id: &'a str,
    pub restored_from: Option<i64>,
}

async fn insert_revision(
    tx: &mut crate::db::WriteTx,
    page_id: &str,
    number: i64,
    r: &NewRevision<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO page_revisions (page_id, number, title, body, html, toc, summary, author_id, \
         created_at, restored_from) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(page_id)
    .bind(number)
    .bind(r.title)
    .bind(r.body)
    .bind(r.html)
    .bind(r.toc)
    .bind(r.summary)
    .bind(r.author_id)
    .bind(now())
    .bind(r.restored_from)
    .execute(&mut **tx)
    .await?;
    // Every new revision becomes the page's current one: its words replace the page's terms.
    index_page(tx, page_id, r.title, r.body).await
}

/// Adds a page at the end of the project with its first revision.
pub async fn insert_page(
    tx: &mut crate::db::WriteTx,
    project_id: &str,
    slug: &str,
    first: &NewRevision<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let at = now();
    let position: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM pages WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO pages (id, project_id, position, slug, title, revision, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
    )
    .bind(&id)
    .bind(project_id)
    .bind(position)
    .bind(slug)
    .bind(first.title)
    .bind(&at)
    .execute(&mut **tx)
    .await?;
    insert_revision(tx, &id, 1, first).await?;
    Ok(id)
}

/// Saves a new revision if the page is still at `base`; `None` when someone saved meanwhile.
/// The check and the increment are one statement, so two writers cannot both pass it.
pub async fn save_revision(
    tx: &mut crate::db::WriteTx,
    page_id: &str,
    base: i64,
    slug: &str,
    r: &NewRevision<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE pages SET revision = revision + 1, title = $3, slug = $4, updated_at = $5 \
         WHERE id = $1 AND revision = $2 AND deleted_at IS NULL",
    )
    .bind(page_id)
    .bind(base)
    .bind(r.title)
    .bind(slug)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    insert_revision(tx, page_id, base + 1, r).await?;
    Ok(Some(base + 1))
}

#[derive(Debug, Clone, FromRow)]
pub struct RevisionRow {
    pub number: i64,
    pub title: String,
    pub body: String,
    pub html: String,
    pub toc: String,
    pub summary: String,
    pub author: Option<String>,
    pub created_at: String,
    pub restored_from: Option<i64>,
}

const REVISION_COLUMNS: &str = "r.number, r.title, r.body, r.html, r.toc, r.summary, \
    u.display_name AS author, r.created_at, r.restored_from";

pub async fn find_revision<'e, E>(
    executor: E,
    page_id: &str,
    number: i64,
) -> Result<Option<RevisionRow>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query_as(&format!(
        "SELECT {REVISION_COLUMNS} FROM page_revisions r LEFT JOIN users u ON u.id = r.author_id \
         WHERE r.page_id = $1 AND r.number = $2"
    ))
    .bind(page_id)
    .bind(number)
    .fetch_optional(executor)
    .await
}

/// The history of a page, newest first, without the texts.
pub async fn list_revisions(
    pool: &Pool,
    page_id: &str,
) -> Result<Vec<(i64, Option<String>, String, String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.number, u.display_name, r.created_at, r.summary, r.restored_from \
         FROM page_revisions r LEFT JOIN users u ON u.id = r.author_id \
         WHERE r.page_id = $1 ORDER BY r.number DESC",
    )
    .bind(page_id)
    .fetch_all(pool)
    .await
}

/// Gives the live pages of a project the positions 1, 2, 3… in the order of `ids`.
pub async fn set_positions(
    tx: &mut crate::db::WriteTx,
    project_id: &str,
    ids: &[String],
) -> Result<(), sqlx::Error> {
    for (i, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE pages SET position = $3 WHERE id = $1 AND project_id = $2")
            .bind(id)
            .bind(project_id)
            .bind(i as i64 + 1)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub async fn live_page_ids(
    tx: &mut crate::db::WriteTx,
    project_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM pages WHERE project_id = $1 AND deleted_at IS NULL \
         ORDER BY position, created_at",
    )
    .bind(project_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn delete_page(
    tx: &mut crate::db::WriteTx,
    page_id: &str,
    by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE pages SET deleted_at = $2, deleted_by = $3 WHERE id = $1")
        .bind(page_id)
        .bind(now())
        .bind(by)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "DELETE FROM project_terms \
         WHERE project_id = (SELECT project_id FROM pages WHERE id = $1) AND source = $1",
    )
    .bind(page_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Brings a deleted page back at the end of the project, under a free slug.
pub async fn undelete_page(
    tx: &mut crate::db::WriteTx,
    page_id: &str,
    project_id: &str,
    slug: &str,
) -> Result<(), sqlx::Error> {
    let position: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM pages WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE pages SET deleted_at = NULL, deleted_by = NULL, slug = $2, position = $3, \
         updated_at = $4 WHERE id = $1",
    )
    .bind(page_id)
    .bind(slug)
    .bind(position)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    let (title, body): (String, String) = sqlx::query_as(
        "SELECT r.title, r.body FROM pages p \
         JOIN page_revisions r ON r.page_id = p.id AND r.number = p.revision WHERE p.id = $1",
    )
    .bind(page_id)
    .fetch_one(&mut **tx)
    .await?;
    index_page(tx, page_id, &title, &body).await
}

// ---------------------------------------------------------------------------------------------
// Search terms of the working copy (staff search)

/// Which word splitting indexed a project (`projects.terms_version`); a project indexed by an
/// older one is indexed again when the server starts ([`index_outdated`]).
pub const TERMS_VERSION: i64 = 1;

/// Replaces the terms of one source of a project: '' for the card, a page's id for a page.
async fn replace_terms(
    tx: &mut crate::db::WriteTx,
    project_id: &str,
    source: &str,
    words: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM project_terms WHERE project_id = $1 AND source = $2")
        .bind(project_id)
        .bind(source)
        .execute(&mut **tx)
        .await?;
    let terms = crate::catalog::search::terms(words);
    // Several rows a statement, well under the bound-parameter limits of SQLite and PostgreSQL.
    for chunk in terms.chunks(300) {
        let mut q =
            QueryBuilder::<Db>::new("INSERT INTO project_terms (term, project_id, source) ");
        q.push_values(chunk, |mut row, term| {
            row.push_bind(term.clone())
                .push_bind(project_id.to_owned())
                .push_bind(source.to_owned());
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Indexes a project's card: title, topic, subject, passport and tags, as they are in `tx`.
pub async fn index_card(tx: &mut crate::db::WriteTx, project_id: &str) -> Result<(), sqlx::Error> {
    // The card's texts joined in SQL: one column, whatever the passport grows to.
    let card: Option<String> = sqlx::query_scalar(
        "SELECT title || ' ' || topic || ' ' || subject || ' ' || relevance || ' ' || goal \
                || ' ' || tasks || ' ' || hypothesis || ' ' || product \
         FROM projects WHERE id = $1",
    )
    .bind(project_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(card) = card else {
        return Ok(());
    };
    let tags: Vec<String> =
        sqlx::query_scalar("SELECT tag FROM project_tags WHERE project_id = $1 ORDER BY tag")
            .bind(project_id)
            .fetch_all(&mut **tx)
            .await?;
    let words = std::iter::once(card)
        .chain(tags)
        .collect::<Vec<_>>()
        .join(" ");
    replace_terms(tx, project_id, "", &words).await?;
    sqlx::query("UPDATE projects SET terms_version = $2 WHERE id = $1")
        .bind(project_id)
        .bind(TERMS_VERSION)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// The words a page is found by: its title and its Markdown's text.
fn page_words(title: &str, body: &str) -> String {
    format!("{title} {}", crate::markdown::plain_text(body))
}

/// Indexes a page's current revision (its title and the words of its Markdown).
async fn index_page(
    tx: &mut crate::db::WriteTx,
    page_id: &str,
    title: &str,
    body: &str,
) -> Result<(), sqlx::Error> {
    let project_id: String = sqlx::query_scalar("SELECT project_id FROM pages WHERE id = $1")
        .bind(page_id)
        .fetch_one(&mut **tx)
        .await?;
    replace_terms(tx, &project_id, page_id, &page_words(title, body)).await
}

/// Indexes the whole working copy of a project: its card and its live pages.
pub async fn index_project(
    tx: &mut crate::db::WriteTx,
    project_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM project_terms WHERE project_id = $1")
        .bind(project_id)
        .execute(&mut **tx)
        .await?;
    let pages: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT p.id, r.title, r.body FROM pages p \
         JOIN page_revisions r ON r.page_id = p.id AND r.number = p.revision \
         WHERE p.project_id = $1 AND p.deleted_at IS NULL",
    )
    .bind(project_id)
    .fetch_all(&mut **tx)
    .await?;
    for (page_id, title, body) in pages {
        replace_terms(tx, project_id, &page_id, &page_words(&title, &body)).await?;
    }
    index_card(tx, project_id).await
}

/// Indexes the projects an older word splitting indexed (or none: those written before the
/// index existed), a hundred a transaction; returns how many. Run when the server starts.
pub async fn index_outdated(pool: &Pool) -> Result<usize, sqlx::Error> {
    let mut done = 0;
    loop {
        let mut tx = crate::db::begin_write(pool).await?;
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM projects WHERE terms_version < $1 ORDER BY id LIMIT 100",
        )
        .bind(TERMS_VERSION)
        .fetch_all(&mut *tx)
        .await?;
        if ids.is_empty() {
            return Ok(done);
        }
        for id in &ids {
            index_project(&mut tx, id).await?;
        }
        tx.commit().await?;
        done += ids.len();
    }
}

/// Projects whose working copy has words starting with each of `terms` (stems), among those
/// of `schools` or supervised by `user_id` (every project when `all`), in school `school`
/// (a slug) if given; most recently changed first, at most `limit`. The caller still asks the
/// policy about each.
pub async fn find_working(
    pool: &Pool,
    terms: &[String],
    scope: &WorkingScope<'_>,
    school: Option<&str>,
    limit: i64,
) -> Result<Vec<WorkingHit>, sqlx::Error> {
    let mut q = QueryBuilder::<Db>::new(
        "SELECT p.id, p.title, p.school_id, s.slug AS school_slug, \
                s.short_name AS school_short_name, p.status FROM (",
    );
    for (n, term) in terms.iter().enumerate() {
        if n > 0 {
            q.push(" INTERSECT ");
        }
        // A word may be in several pages of a project (and INTERSECT is not there to merge
        // them when the search has one word).
        q.push("SELECT DISTINCT project_id FROM project_terms WHERE term >= ")
            .push_bind(term.clone())
            .push(" AND term < ")
            .push_bind(crate::catalog::db::upper_bound(term));
    }
    q.push(
        ") m JOIN projects p ON p.id = m.project_id JOIN schools s ON s.id = p.school_id \
         WHERE 1 = 1",
    );
    if !scope.all {
        q.push(" AND (p.id IN (SELECT project_id FROM project_supervisors WHERE user_id = ")
            .push_bind(scope.user_id.to_owned())
            .push(")");
        if !scope.schools.is_empty() {
            q.push(" OR p.school_id IN (");
            crate::db::push_ids(&mut q, scope.schools);
            q.push(")");
        }
        q.push(")");
    }
    if let Some(school) = school {
        q.push(" AND s.slug = ").push_bind(school.to_owned());
    }
    q.push(" ORDER BY p.updated_at DESC, p.id LIMIT ")
        .push_bind(limit);
    q.build_query_as().fetch_all(pool).await
}

/// Whose working copies a staff search may look in.
pub struct WorkingScope<'a> {
    pub user_id: &'a str,
    /// Schools whose every project the searcher may open (a librarian's).
    pub schools: &'a [String],
    /// The district: every project.
    pub all: bool,
}

#[derive(Debug, Clone, FromRow)]
pub struct WorkingHit {
    pub id: String,
    pub title: String,
    pub school_id: String,
    pub school_slug: String,
    pub school_short_name: String,
    pub status: String,
}

// ---------------------------------------------------------------------------------------------
// Drafts

#[derive(Debug, Clone, FromRow)]
pub struct DraftRow {
    pub id: String,
    pub page_id: String,
    pub reason: String,
    pub base_revision: i64,
    pub body: String,
    pub summary: String,
    pub title: Option<String>,
}

/// What a draft keeps: the editor's text as it was sent.
pub struct NewDraft<'a> {
    pub page_id: &'a str,
    pub author_id: &'a str,
    pub reason: &'a str,
    pub base_revision: i64,
    pub title: &'a str,
    pub body: &'a str,
    pub summary: &'a str,
}

/// Drafts are kept this many days.
pub const DRAFT_DAYS: i64 = 14;

pub async fn insert_draft(
    tx: &mut crate::db::WriteTx,
    d: &NewDraft<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let cutoff = crate::db::stamp(chrono::Utc::now() - chrono::Duration::days(DRAFT_DAYS));
    sqlx::query("DELETE FROM page_drafts WHERE created_at < $1")
        .bind(cutoff)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO page_drafts (id, page_id, author_id, reason, base_revision, title, body, \
         summary, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(d.page_id)
    .bind(d.author_id)
    .bind(d.reason)
    .bind(d.base_revision)
    .bind(d.title)
    .bind(d.body)
    .bind(d.summary)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// A draft, only for its author.
pub async fn find_draft(
    pool: &Pool,
    id: &str,
    author_id: &str,
) -> Result<Option<DraftRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, page_id, reason, base_revision, body, summary, title FROM page_drafts \
         WHERE id = $1 AND author_id = $2",
    )
    .bind(id)
    .bind(author_id)
    .fetch_optional(pool)
    .await
}

/// Forgets an author's drafts of a page once they saved it.
pub async fn delete_drafts(
    tx: &mut crate::db::WriteTx,
    page_id: &str,
    author_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM page_drafts WHERE page_id = $1 AND author_id = $2")
        .bind(page_id)
        .bind(author_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

// ---------------------------------------------------------------------------------------------
// Files

#[derive(Debug, Clone, FromRow)]
pub struct FileRow {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub file_type: String,
    pub size_bytes: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub sha256: String,
}

const FILE_COLUMNS: &str = "id, project_id, name, file_type, size_bytes, width, height, sha256";

pub async fn list_files(pool: &Pool, project_id: &str) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {FILE_COLUMNS} FROM files WHERE project_id = $1 AND deleted_at IS NULL \
         ORDER BY created_at, name"
    ))
    .bind(project_id)
    .fetch_all(pool)
    .await
}

/// A file, also one deleted from the project but kept for a snapshot (served by its id).
pub async fn find_file<'e, E>(executor: E, id: &str) -> Result<Option<FileRow>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query_as(&format!("SELECT {FILE_COLUMNS} FROM files WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

pub async fn used_bytes(tx: &mut crate::db::WriteTx, project_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(SUM(size_bytes), 0) FROM files WHERE project_id = $1 AND deleted_at IS NULL")
        .bind(project_id)
        .fetch_one(&mut **tx)
        .await
}

pub async fn file_name_taken(
    tx: &mut crate::db::WriteTx,
    project_id: &str,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM files WHERE project_id = $1 AND name = $2")
            .bind(project_id)
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(found.is_some())
}

/// A file with its stored variants: (variant, content type, bytes).
pub struct NewFile<'a> {
    pub project_id: &'a str,
    pub name: &'a str,
    pub file_type: &'a str,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub sha256: &'a str,
    pub uploaded_by: &'a str,
    pub variants: Vec<(&'a str, &'a str, &'a [u8])>,
}

pub async fn insert_file(
    tx: &mut crate::db::WriteTx,
    f: &NewFile<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let size: i64 = f.variants.iter().map(|(_, _, b)| b.len() as i64).sum();
    sqlx::query(
        "INSERT INTO files (id, project_id, name, file_type, size_bytes, width, height, sha256, \
         uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(f.project_id)
    .bind(f.name)
    .bind(f.file_type)
    .bind(size)
    .bind(f.width)
    .bind(f.height)
    .bind(f.sha256)
    .bind(f.uploaded_by)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    for (variant, content_type, bytes) in &f.variants {
        sqlx::query(
            "INSERT INTO file_contents (file_id, variant, content_type, bytes) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&id)
        .bind(*variant)
        .bind(*content_type)
        .bind(*bytes)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

pub async fn delete_file(tx: &mut crate::db::WriteTx, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE projects SET cover_file_id = NULL WHERE cover_file_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    // A file a submitted snapshot names stays, hidden, so that the snapshot keeps it; its name
    // is freed for a new upload ('/' never occurs in a cleaned file name).
    let kept = sqlx::query(
        "UPDATE files SET deleted_at = $2, name = id || '/' || name \
         WHERE id = $1 AND deleted_at IS NULL \
         AND EXISTS (SELECT 1 FROM submission_files sf WHERE sf.file_id = files.id)",
    )
    .bind(id)
    .bind(now())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if kept == 0 {
        sqlx::query("DELETE FROM files WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The bytes of a file's variant ('original' or 'thumb') with their content type.
pub async fn file_content(
    pool: &Pool,
    id: &str,
    variant: &str,
) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT content_type, bytes FROM file_contents WHERE file_id = $1 AND variant = $2",
    )
    .bind(id)
    .bind(variant)
    .fetch_optional(pool)
    .await
}
