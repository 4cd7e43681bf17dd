//! SQL for the review workflow: stages and due dates, submissions and their snapshots, remarks,
//! notifications, the diary, the assessment and the school's procedure. Every change of a
//! project's position is guarded by the position it changes from, so that of two people acting
//! at once exactly one succeeds.

use sqlx::{FromRow, QueryBuilder};

use super::{CriterionCode, StageCode};
use crate::db::{new_id, now, Pool, WriteTx};

type Db = sqlx::Sqlite;

// ---------------------------------------------------------------------------------------------
// Stages and criteria

#[derive(Debug, Clone, FromRow)]
pub struct StageRow {
    pub id: String,
    pub position: i64,
    pub code: Option<String>,
    pub name: Option<String>,
    pub assessed: bool,
}

/// Gives a new school the district's default stages and assessment criteria.
pub async fn insert_school_defaults(tx: &mut WriteTx, school_id: &str) -> Result<(), sqlx::Error> {
    let at = now();
    for (i, code) in StageCode::ALL.into_iter().enumerate() {
        sqlx::query(
            "INSERT INTO stages (id, school_id, position, code, name, assessed, created_at) \
             VALUES ($1, $2, $3, $4, NULL, $5, $6)",
        )
        .bind(new_id())
        .bind(school_id)
        .bind(i as i64 + 1)
        .bind(code.as_str())
        .bind(code == StageCode::Defence)
        .bind(&at)
        .execute(&mut **tx)
        .await?;
    }
    for (i, code) in CriterionCode::ALL.into_iter().enumerate() {
        sqlx::query(
            "INSERT INTO assessment_criteria (id, school_id, position, code, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(new_id())
        .bind(school_id)
        .bind(i as i64 + 1)
        .bind(code.as_str())
        .bind(&at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub async fn list_stages<'e, E>(executor: E, school_id: &str) -> Result<Vec<StageRow>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    sqlx::query_as(
        "SELECT id, position, code, name, assessed FROM stages WHERE school_id = $1 \
         ORDER BY position, created_at",
    )
    .bind(school_id)
    .fetch_all(executor)
    .await
}

/// The stages of several schools at once (dashboards).
pub async fn stages_of_schools(
    pool: &Pool,
    school_ids: &[String],
) -> Result<Vec<(String, StageRow)>, sqlx::Error> {
    if school_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Db>::new(
        "SELECT school_id, id, position, code, name, assessed FROM stages WHERE school_id IN (",
    );
    crate::db::push_ids(&mut q, school_ids);
    q.push(") ORDER BY school_id, position, created_at");
    // school id, then the stage's columns
    type Row = (String, String, i64, Option<String>, Option<String>, bool);
    let rows: Vec<Row> = q.build_query_as().fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(school, id, position, code, name, assessed)| {
            (
                school,
                StageRow {
                    id,
                    position,
                    code,
                    name,
                    assessed,
                },
            )
        })
        .collect())
}

/// How many projects are on each stage of a school: (stage id, count).
pub async fn projects_per_stage(
    pool: &Pool,
    school_id: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT stage_id, COUNT(*) FROM projects WHERE school_id = $1 AND stage_id IS NOT NULL \
         AND status <> 'declined' GROUP BY stage_id",
    )
    .bind(school_id)
    .fetch_all(pool)
    .await
}

pub async fn rename_stage(
    tx: &mut WriteTx,
    school_id: &str,
    stage_id: &str,
    name: Option<&str>,
) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE stages SET name = $3 WHERE id = $2 AND school_id = $1")
            .bind(school_id)
            .bind(stage_id)
            .bind(name)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}

pub async fn set_stage_position(
    tx: &mut WriteTx,
    stage_id: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE stages SET position = $2 WHERE id = $1")
        .bind(stage_id)
        .bind(position)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

pub async fn insert_stage(
    tx: &mut WriteTx,
    school_id: &str,
    position: i64,
    name: &str,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO stages (id, school_id, position, code, name, assessed, created_at) \
         VALUES ($1, $2, $3, NULL, $4, FALSE, $5)",
    )
    .bind(&id)
    .bind(school_id)
    .bind(position)
    .bind(name)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Removes a stage no project stands on or was submitted at; answers whether it did.
pub async fn delete_unused_stage(
    tx: &mut WriteTx,
    school_id: &str,
    stage_id: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "DELETE FROM stages WHERE id = $2 AND school_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM projects WHERE stage_id = $2) \
         AND NOT EXISTS (SELECT 1 FROM submissions WHERE stage_id = $2)",
    )
    .bind(school_id)
    .bind(stage_id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct CriterionRow {
    pub id: String,
    pub code: Option<String>,
    pub name: Option<String>,
    pub descriptors: Option<String>,
}

pub async fn list_criteria(pool: &Pool, school_id: &str) -> Result<Vec<CriterionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, code, name, descriptors FROM assessment_criteria WHERE school_id = $1 \
         ORDER BY position, created_at",
    )
    .bind(school_id)
    .fetch_all(pool)
    .await
}

/// Sets a criterion's own name and descriptors (JSON), or back to the default (both `None`).
pub async fn update_criterion(
    tx: &mut WriteTx,
    school_id: &str,
    criterion_id: &str,
    name: Option<&str>,
    descriptors: Option<&str>,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE assessment_criteria SET name = $3, descriptors = $4 WHERE id = $2 AND school_id = $1",
    )
    .bind(school_id)
    .bind(criterion_id)
    .bind(name)
    .bind(descriptors)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

// ---------------------------------------------------------------------------------------------
// A project's position and due dates

/// Moves a project from the position it was read at; 0 rows when someone moved it first.
pub async fn move_project(
    tx: &mut WriteTx,
    project_id: &str,
    from: (Option<&str>, &str),
    to: (Option<&str>, &str),
    status: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let mut q = QueryBuilder::<Db>::new("UPDATE projects SET stage_id = ");
    q.push_bind(to.0.map(str::to_owned))
        .push(", review_state = ")
        .push_bind(to.1.to_owned())
        .push(", updated_at = ")
        .push_bind(now());
    if let Some(status) = status {
        q.push(", status = ").push_bind(status.to_owned());
    }
    q.push(" WHERE id = ")
        .push_bind(project_id.to_owned())
        .push(" AND review_state = ")
        .push_bind(from.1.to_owned());
    match from.0 {
        Some(stage) => q.push(" AND stage_id = ").push_bind(stage.to_owned()),
        None => q.push(" AND stage_id IS NULL"),
    };
    Ok(q.build().execute(&mut **tx).await?.rows_affected())
}

/// (stage id, due date) of a project.
pub async fn list_dues(
    pool: &Pool,
    project_id: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT stage_id, due_on FROM stage_dues WHERE project_id = $1")
        .bind(project_id)
        .fetch_all(pool)
        .await
}

pub async fn set_due(
    tx: &mut WriteTx,
    project_id: &str,
    stage_id: &str,
    due_on: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM stage_dues WHERE project_id = $1 AND stage_id = $2")
        .bind(project_id)
        .bind(stage_id)
        .execute(&mut **tx)
        .await?;
    if let Some(due_on) = due_on {
        sqlx::query("INSERT INTO stage_dues (project_id, stage_id, due_on) VALUES ($1, $2, $3)")
            .bind(project_id)
            .bind(stage_id)
            .bind(due_on)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Submissions and snapshots

#[derive(Debug, Clone, FromRow)]
pub struct SubmissionRow {
    pub id: String,
    pub project_id: String,
    pub stage_id: String,
    pub number: i64,
    pub state: String,
    pub passport: String,
    pub submitted_by: Option<String>,
    pub submitted_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_comment: String,
}

const SUBMISSION_COLUMNS: &str = "s.id, s.project_id, s.stage_id, s.number, s.state, s.passport, \
    (SELECT display_name FROM users WHERE id = s.submitted_by) AS submitted_by, s.submitted_at, \
    (SELECT display_name FROM users WHERE id = s.decided_by) AS decided_by, s.decided_at, \
    s.decision_comment";

/// Freezes the project as it is now: the passport (JSON), the current revision of every live
/// page and every file. Returns the submission's id and number.
pub async fn insert_submission(
    tx: &mut WriteTx,
    project_id: &str,
    stage_id: &str,
    passport_json: &str,
    user_id: &str,
) -> Result<(String, i64), sqlx::Error> {
    let id = new_id();
    let number: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM submissions WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO submissions (id, project_id, stage_id, number, state, passport, submitted_by, \
         submitted_at) VALUES ($1, $2, $3, $4, 'waiting', $5, $6, $7)",
    )
    .bind(&id)
    .bind(project_id)
    .bind(stage_id)
    .bind(number)
    .bind(passport_json)
    .bind(user_id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO submission_pages (submission_id, page_id, position, revision) \
         SELECT $1, id, position, revision FROM pages WHERE project_id = $2 AND deleted_at IS NULL",
    )
    .bind(&id)
    .bind(project_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO submission_files (submission_id, file_id, name) \
         SELECT $1, id, name FROM files WHERE project_id = $2 AND deleted_at IS NULL",
    )
    .bind(&id)
    .bind(project_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO submission_diary (submission_id, entry_id) \
         SELECT $1, id FROM diary_entries WHERE project_id = $2",
    )
    .bind(&id)
    .bind(project_id)
    .execute(&mut **tx)
    .await?;
    // The list of sources and the people, as the showcase will publish them.
    sqlx::query(
        "INSERT INTO submission_sources (submission_id, source_id, record_id, kind, cite_key, \
         description, sort_key) \
         SELECT $1, id, record_id, kind, COALESCE(cite_key, id), description, sort_key \
         FROM project_sources WHERE project_id = $2",
    )
    .bind(&id)
    .bind(project_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO submission_people (submission_id, user_id, role, note) \
         SELECT $1, pupil_id, 'member', note FROM project_members WHERE project_id = $2",
    )
    .bind(&id)
    .bind(project_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO submission_people (submission_id, user_id, role, note) \
         SELECT $1, user_id, 'supervisor', '' FROM project_supervisors WHERE project_id = $2",
    )
    .bind(&id)
    .bind(project_id)
    .execute(&mut **tx)
    .await?;
    Ok((id, number))
}

/// Records the decision on a waiting submission; 0 rows when it was decided already.
pub async fn decide_submission(
    tx: &mut WriteTx,
    id: &str,
    state: &str,
    user_id: &str,
    comment: &str,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE submissions SET state = $2, decided_by = $3, decided_at = $4, decision_comment = $5 \
         WHERE id = $1 AND state = 'waiting'",
    )
    .bind(id)
    .bind(state)
    .bind(user_id)
    .bind(now())
    .bind(comment)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

pub async fn find_submission(
    pool: &Pool,
    project_id: &str,
    number: i64,
) -> Result<Option<SubmissionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SUBMISSION_COLUMNS} FROM submissions s WHERE s.project_id = $1 AND s.number = $2"
    ))
    .bind(project_id)
    .bind(number)
    .fetch_optional(pool)
    .await
}

pub async fn list_submissions(
    pool: &Pool,
    project_id: &str,
) -> Result<Vec<SubmissionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SUBMISSION_COLUMNS} FROM submissions s WHERE s.project_id = $1 ORDER BY s.number DESC"
    ))
    .bind(project_id)
    .fetch_all(pool)
    .await
}

/// The last accepted submission before `number`.
pub async fn last_accepted_before(
    pool: &Pool,
    project_id: &str,
    number: i64,
) -> Result<Option<SubmissionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SUBMISSION_COLUMNS} FROM submissions s WHERE s.project_id = $1 AND s.number < $2 \
         AND s.state = 'accepted' ORDER BY s.number DESC LIMIT 1"
    ))
    .bind(project_id)
    .bind(number)
    .fetch_optional(pool)
    .await
}

/// A page of a snapshot with the revision it froze.
#[derive(Debug, Clone, FromRow)]
pub struct SnapshotPageRow {
    pub page_id: String,
    pub slug: String,
    pub revision: i64,
    pub title: String,
    pub body: String,
    pub html: String,
    pub toc: String,
}

/// A snapshot's pages at their frozen revisions, in order (`sp`, `p` and `r` to select from).
const SNAPSHOT_PAGES: &str = "FROM submission_pages sp JOIN pages p ON p.id = sp.page_id \
    JOIN page_revisions r ON r.page_id = sp.page_id AND r.number = sp.revision \
    WHERE sp.submission_id = $1 ORDER BY sp.position";

pub async fn snapshot_pages(
    pool: &Pool,
    submission_id: &str,
) -> Result<Vec<SnapshotPageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT sp.page_id, p.slug, sp.revision, r.title, r.body, r.html, r.toc {SNAPSHOT_PAGES}"
    ))
    .bind(submission_id)
    .fetch_all(pool)
    .await
}

/// A snapshot's pages as published: their rendered HTML and contents, not their Markdown.
#[derive(Debug, Clone, FromRow)]
pub struct SnapshotPageHtml {
    pub slug: String,
    pub title: String,
    pub html: String,
    pub toc: String,
}

pub async fn snapshot_page_html(
    pool: &Pool,
    submission_id: &str,
) -> Result<Vec<SnapshotPageHtml>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT p.slug, r.title, r.html, r.toc {SNAPSHOT_PAGES}"
    ))
    .bind(submission_id)
    .fetch_all(pool)
    .await
}

/// (file id, name at submission)
pub async fn snapshot_files(
    pool: &Pool,
    submission_id: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT file_id, name FROM submission_files WHERE submission_id = $1 ORDER BY name",
    )
    .bind(submission_id)
    .fetch_all(pool)
    .await
}

// ---------------------------------------------------------------------------------------------
// Remarks

#[derive(Debug, Clone, FromRow)]
pub struct RemarkRow {
    pub id: String,
    pub parent_id: Option<String>,
    pub page_id: Option<String>,
    pub anchor: Option<String>,
    pub author_id: Option<String>,
    pub author: Option<String>,
    pub body: String,
    pub created_at: String,
}

pub struct NewRemark<'a> {
    pub submission_id: &'a str,
    pub project_id: &'a str,
    pub parent_id: Option<&'a str>,
    pub page_id: Option<&'a str>,
    pub anchor: Option<&'a str>,
    pub author_id: &'a str,
    pub body: &'a str,
}

pub async fn insert_remark(tx: &mut WriteTx, r: &NewRemark<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO remarks (id, submission_id, project_id, parent_id, page_id, anchor, author_id, \
         body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(r.submission_id)
    .bind(r.project_id)
    .bind(r.parent_id)
    .bind(r.page_id)
    .bind(r.anchor)
    .bind(r.author_id)
    .bind(r.body)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn list_remarks(pool: &Pool, submission_id: &str) -> Result<Vec<RemarkRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.parent_id, r.page_id, r.anchor, r.author_id, u.display_name AS author, \
         r.body, r.created_at FROM remarks r LEFT JOIN users u ON u.id = r.author_id \
         WHERE r.submission_id = $1 ORDER BY r.created_at, r.id",
    )
    .bind(submission_id)
    .fetch_all(pool)
    .await
}

pub async fn find_remark(
    pool: &Pool,
    id: &str,
) -> Result<Option<(String, String, Option<String>, Option<String>)>, sqlx::Error> {
    // submission id, project id, parent id, author id
    sqlx::query_as(
        "SELECT submission_id, project_id, parent_id, author_id FROM remarks WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Root remarks on a submission (what returning it needs).
pub async fn count_remarks(tx: &mut WriteTx, submission_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM remarks WHERE submission_id = $1 AND parent_id IS NULL",
    )
    .bind(submission_id)
    .fetch_one(&mut **tx)
    .await
}

/// Per project: remarks of its latest submission, returned, that nobody has answered yet.
pub async fn open_remarks(
    pool: &Pool,
    project_ids: &[String],
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    if project_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Db>::new(
        "SELECT r.project_id, COUNT(*) FROM remarks r \
         JOIN submissions s ON s.id = r.submission_id \
         WHERE r.parent_id IS NULL AND s.state = 'returned' \
         AND s.number = (SELECT MAX(number) FROM submissions x WHERE x.project_id = s.project_id) \
         AND NOT EXISTS (SELECT 1 FROM remarks a WHERE a.parent_id = r.id) \
         AND r.project_id IN (",
    );
    crate::db::push_ids(&mut q, project_ids);
    q.push(") GROUP BY r.project_id");
    q.build_query_as().fetch_all(pool).await
}

// ---------------------------------------------------------------------------------------------
// Notifications

pub struct NewNotification<'a> {
    pub kind: &'a str,
    pub project_id: &'a str,
    pub submission_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
}

/// Notifies each of `user_ids` (the actor is left out by the caller).
pub async fn notify(
    tx: &mut WriteTx,
    user_ids: &[String],
    n: &NewNotification<'_>,
) -> Result<(), sqlx::Error> {
    let at = now();
    for user in user_ids {
        sqlx::query(
            "INSERT INTO notifications (id, user_id, kind, project_id, submission_id, actor_id, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new_id())
        .bind(user)
        .bind(n.kind)
        .bind(n.project_id)
        .bind(n.submission_id)
        .bind(n.actor_id)
        .bind(&at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Reminds members and supervisors of current stages due between `today` and `until`
/// (inclusive), once per person, project, stage and date, whichever process looks first.
pub async fn remind_due(pool: &Pool, today: &str, until: &str) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO notifications (id, user_id, kind, project_id, stage_id, due_on, created_at) \
         SELECT $3 || '-' || who.user_id || '-' || p.id || '-' || d.due_on, who.user_id, \
                'due_soon', p.id, d.stage_id, d.due_on, $4 \
         FROM projects p \
         JOIN stage_dues d ON d.project_id = p.id AND d.stage_id = p.stage_id \
         JOIN (SELECT project_id, pupil_id AS user_id FROM project_members \
               UNION SELECT project_id, user_id FROM project_supervisors) who \
           ON who.project_id = p.id \
         WHERE p.status = 'active' AND p.review_state IN ('working', 'returned') \
           AND d.due_on >= $1 AND d.due_on <= $2 \
           AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.kind = 'due_soon' \
               AND n.user_id = who.user_id AND n.project_id = p.id \
               AND n.stage_id = d.stage_id AND n.due_on = d.due_on)",
    )
    .bind(today)
    .bind(until)
    .bind(new_id())
    .bind(now())
    .execute(pool)
    .await;
    match result {
        Ok(r) => Ok(r.rows_affected()),
        // Another process inserted the same reminders between our check and insert.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(0),
        Err(e) => Err(e),
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct NotificationRow {
    pub id: String,
    pub kind: String,
    pub project_id: String,
    pub project_title: String,
    pub number: Option<i64>,
    pub stage_code: Option<String>,
    pub stage_name: Option<String>,
    pub due_on: Option<String>,
    pub actor: Option<String>,
    pub created_at: String,
    pub read_at: Option<String>,
}

pub async fn list_notifications(
    pool: &Pool,
    user_id: &str,
    limit: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, n.kind, n.project_id, p.title AS project_title, s.number, \
         st.code AS stage_code, st.name AS stage_name, n.due_on, u.display_name AS actor, \
         n.created_at, n.read_at \
         FROM notifications n JOIN projects p ON p.id = n.project_id \
         LEFT JOIN submissions s ON s.id = n.submission_id \
         LEFT JOIN stages st ON st.id = COALESCE(n.stage_id, s.stage_id) \
         LEFT JOIN users u ON u.id = n.actor_id \
         WHERE n.user_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

pub async fn unread_count(pool: &Pool, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .fetch_one(pool)
        .await
}

/// Marks one notification (or all, `None`) of the user read.
pub async fn mark_read(pool: &Pool, user_id: &str, id: Option<&str>) -> Result<(), sqlx::Error> {
    let mut q = QueryBuilder::<Db>::new("UPDATE notifications SET read_at = ");
    q.push_bind(now())
        .push(" WHERE read_at IS NULL AND user_id = ")
        .push_bind(user_id.to_owned());
    if let Some(id) = id {
        q.push(" AND id = ").push_bind(id.to_owned());
    }
    q.build().execute(pool).await.map(|_| ())
}

// ---------------------------------------------------------------------------------------------
// Dashboards

/// Which projects a dashboard list shows.
pub enum Scope<'a> {
    SupervisedBy(&'a str),
    MemberIs(&'a str),
    ChildrenOf(&'a str),
    School(&'a str),
}

fn push_scope(q: &mut QueryBuilder<'_, Db>, scope: &Scope<'_>) {
    match scope {
        Scope::SupervisedBy(u) => q
            .push("p.id IN (SELECT project_id FROM project_supervisors WHERE user_id = ")
            .push_bind(u.to_string())
            .push(")"),
        Scope::MemberIs(u) => q
            .push("p.id IN (SELECT project_id FROM project_members WHERE pupil_id = ")
            .push_bind(u.to_string())
            .push(")"),
        Scope::ChildrenOf(u) => q
            .push(
                "p.id IN (SELECT m.project_id FROM project_members m JOIN parent_links l \
                 ON l.pupil_id = m.pupil_id WHERE l.parent_id = ",
            )
            .push_bind(u.to_string())
            .push(")"),
        Scope::School(s) => q.push("p.school_id = ").push_bind(s.to_string()),
    };
}

#[derive(Debug, Clone, FromRow)]
pub struct QueueRow {
    pub project_id: String,
    pub project_title: String,
    pub number: i64,
    pub stage_code: Option<String>,
    pub stage_name: Option<String>,
    pub submitted_at: String,
}

/// Waiting submissions, oldest first.
pub async fn waiting(pool: &Pool, scope: &Scope<'_>) -> Result<Vec<QueueRow>, sqlx::Error> {
    let mut q = QueryBuilder::<Db>::new(
        "SELECT s.project_id, p.title AS project_title, s.number, st.code AS stage_code, \
         st.name AS stage_name, s.submitted_at FROM submissions s \
         JOIN projects p ON p.id = s.project_id JOIN stages st ON st.id = s.stage_id \
         WHERE s.state = 'waiting' AND ",
    );
    push_scope(&mut q, scope);
    q.push(" ORDER BY s.submitted_at, s.id LIMIT 500");
    q.build_query_as().fetch_all(pool).await
}

pub async fn waiting_count(pool: &Pool, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM submissions s JOIN project_supervisors ps \
         ON ps.project_id = s.project_id WHERE s.state = 'waiting' AND ps.user_id = $1",
    )
    .bind(user_id)
    .fetch_one(pool)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct StageItemRow {
    pub project_id: String,
    pub project_title: String,
    pub status: String,
    pub review_state: String,
    pub stage_code: Option<String>,
    pub stage_name: Option<String>,
    pub stage_position: Option<i64>,
    pub due_on: Option<String>,
}

/// Projects with their current stage and its due date (declined proposals left out).
pub async fn stage_items(pool: &Pool, scope: &Scope<'_>) -> Result<Vec<StageItemRow>, sqlx::Error> {
    let mut q = QueryBuilder::<Db>::new(
        "SELECT p.id AS project_id, p.title AS project_title, p.status, p.review_state, \
         st.code AS stage_code, st.name AS stage_name, st.position AS stage_position, d.due_on \
         FROM projects p LEFT JOIN stages st ON st.id = p.stage_id \
         LEFT JOIN stage_dues d ON d.project_id = p.id AND d.stage_id = p.stage_id \
         WHERE p.status <> 'declined' AND ",
    );
    push_scope(&mut q, scope);
    q.push(" ORDER BY st.position, p.title LIMIT 1000");
    q.build_query_as().fetch_all(pool).await
}

// ---------------------------------------------------------------------------------------------
// Diary

#[derive(Debug, Clone, FromRow)]
pub struct DiaryRow {
    pub id: String,
    pub entry_date: String,
    pub author: Option<String>,
    pub html: String,
}

pub async fn insert_diary_entry(
    tx: &mut WriteTx,
    project_id: &str,
    author_id: &str,
    entry_date: &str,
    body: &str,
    html: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO diary_entries (id, project_id, author_id, entry_date, body, html, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(project_id)
    .bind(author_id)
    .bind(entry_date)
    .bind(body)
    .bind(html)
    .bind(now())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Diary entries, newest first; with `submission`, only those that submission was made with.
pub async fn list_diary(
    pool: &Pool,
    project_id: &str,
    submission: Option<&str>,
) -> Result<Vec<DiaryRow>, sqlx::Error> {
    let mut q = QueryBuilder::<Db>::new(
        "SELECT d.id, d.entry_date, u.display_name AS author, d.html FROM diary_entries d \
         LEFT JOIN users u ON u.id = d.author_id WHERE d.project_id = ",
    );
    q.push_bind(project_id.to_owned());
    if let Some(submission) = submission {
        q.push(" AND d.id IN (SELECT entry_id FROM submission_diary WHERE submission_id = ")
            .push_bind(submission.to_owned())
            .push(")");
    }
    q.push(" ORDER BY d.entry_date DESC, d.created_at DESC");
    q.build_query_as().fetch_all(pool).await
}

// ---------------------------------------------------------------------------------------------
// Assessment

/// (pupil id, assessor id, assessor name, criterion id, score) of a project.
pub async fn list_scores(
    pool: &Pool,
    project_id: &str,
) -> Result<Vec<(String, String, String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.pupil_id, a.assessor_id, u.display_name, a.criterion_id, a.score \
         FROM assessment_scores a JOIN users u ON u.id = a.assessor_id \
         WHERE a.project_id = $1 ORDER BY u.display_name",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await
}

pub async fn set_score(
    tx: &mut WriteTx,
    project_id: &str,
    pupil_id: &str,
    assessor_id: &str,
    criterion_id: &str,
    score: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM assessment_scores WHERE project_id = $1 AND pupil_id = $2 \
         AND assessor_id = $3 AND criterion_id = $4",
    )
    .bind(project_id)
    .bind(pupil_id)
    .bind(assessor_id)
    .bind(criterion_id)
    .execute(&mut **tx)
    .await?;
    if let Some(score) = score {
        sqlx::query(
            "INSERT INTO assessment_scores (project_id, pupil_id, assessor_id, criterion_id, \
             score, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(project_id)
        .bind(pupil_id)
        .bind(assessor_id)
        .bind(criterion_id)
        .bind(score)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// (user id, name) of the defence commission.
pub async fn list_commission(
    pool: &Pool,
    project_id: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.display_name FROM commission_members c JOIN users u ON u.id = c.user_id \
         WHERE c.project_id = $1 ORDER BY u.display_name",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await
}

pub async fn add_commission_member(
    tx: &mut WriteTx,
    project_id: &str,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO commission_members (project_id, user_id, added_at) \
         SELECT $1, $2, $3 WHERE NOT EXISTS \
         (SELECT 1 FROM commission_members WHERE project_id = $1 AND user_id = $2)",
    )
    .bind(project_id)
    .bind(user_id)
    .bind(now())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn remove_commission_member(
    tx: &mut WriteTx,
    project_id: &str,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM commission_members WHERE project_id = $1 AND user_id = $2")
        .bind(project_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// (author id, author name, body, html, updated at) of the supervisors' reviews.
pub async fn list_reviews(
    pool: &Pool,
    project_id: &str,
) -> Result<Vec<(String, String, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.author_id, u.display_name, r.body, r.html, r.updated_at \
         FROM supervisor_reviews r JOIN users u ON u.id = r.author_id \
         WHERE r.project_id = $1 ORDER BY u.display_name",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await
}

pub async fn save_review(
    tx: &mut WriteTx,
    project_id: &str,
    author_id: &str,
    body: &str,
    html: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM supervisor_reviews WHERE project_id = $1 AND author_id = $2")
        .bind(project_id)
        .bind(author_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO supervisor_reviews (project_id, author_id, body, html, updated_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(project_id)
    .bind(author_id)
    .bind(body)
    .bind(html)
    .bind(now())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

// ---------------------------------------------------------------------------------------------
// Schools

/// The librarians of a school (who review projects that have no supervisor).
pub async fn school_librarians(
    tx: &mut WriteTx,
    school_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM user_roles WHERE school_id = $1 AND role = 'librarian' ORDER BY user_id",
    )
    .bind(school_id)
    .fetch_all(&mut **tx)
    .await
}

/// A school's full name (for the printed protocol).
pub async fn school_name(pool: &Pool, school_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM schools WHERE id = $1")
        .bind(school_id)
        .fetch_optional(pool)
        .await
}

/// The project's passport and members' names as a snapshot stores them (used by the demo, which
/// has no signed-in person to act through).
pub async fn snapshot_of(
    tx: &mut WriteTx,
    project_id: &str,
) -> Result<super::SnapshotPassport, sqlx::Error> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    );
    let (title, topic, subject, project_type, kind, relevance, goal, tasks, hypothesis, product): Row =
        sqlx::query_as(
            "SELECT title, topic, subject, project_type, kind, relevance, goal, tasks, hypothesis, \
             product FROM projects WHERE id = $1",
        )
        .bind(project_id)
        .fetch_one(&mut **tx)
        .await?;
    let members: Vec<String> = sqlx::query_scalar(
        "SELECT u.display_name FROM project_members m JOIN users u ON u.id = m.pupil_id \
         WHERE m.project_id = $1 ORDER BY m.added_at, u.display_name",
    )
    .bind(project_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(super::SnapshotPassport {
        title,
        topic,
        subject,
        project_type,
        kind,
        passport: crate::projects::Passport {
            relevance,
            goal,
            tasks,
            hypothesis,
            product,
        },
        members,
    })
}
