//! SQL for reading the audit log (records are written by each domain's `db.rs`).

use sqlx::FromRow;

use crate::db::Pool;

#[derive(Debug, FromRow)]
pub struct AuditRow {
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    pub detail: String,
    pub school: Option<String>,
}

/// A page of records, newest first, for one school (or all) and one action (or all); one more
/// than `limit` is asked for to tell whether another page follows.
pub async fn list(
    pool: &Pool,
    school_id: Option<&str>,
    action: Option<&str>,
    limit: u32,
    offset: u32,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.at, actor.display_name AS actor, a.action, subject.display_name AS subject, \
                a.detail, s.short_name AS school \
         FROM audit_log a \
         LEFT JOIN users actor ON actor.id = a.actor_id \
         LEFT JOIN users subject ON subject.id = a.subject_id \
         LEFT JOIN schools s ON s.id = a.school_id \
         WHERE ($1 IS NULL OR a.school_id = $1) AND ($2 IS NULL OR a.action = $2) \
         ORDER BY a.at DESC, a.id DESC LIMIT $3 OFFSET $4",
    )
    .bind(school_id)
    .bind(action)
    .bind(i64::from(limit) + 1)
    .bind(i64::from(offset))
    .fetch_all(pool)
    .await
}
