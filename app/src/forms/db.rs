//! The SQL of form echoes.

use crate::db::Pool;

/// Keeps a failed form's values, and forgets those older than `expired_before`.
pub async fn insert(
    pool: &Pool,
    token_hash: &str,
    session_hash: &str,
    fields: &str,
    now: &str,
    expired_before: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    sqlx::query("DELETE FROM form_echoes WHERE created_at < $1")
        .bind(expired_before)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO form_echoes (token_hash, session_hash, fields, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(session_hash)
    .bind(fields)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The values kept under a token for this session, unless older than `expired_before`.
pub async fn find(
    pool: &Pool,
    token_hash: &str,
    session_hash: &str,
    expired_before: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT fields FROM form_echoes \
         WHERE token_hash = $1 AND session_hash = $2 AND created_at >= $3",
    )
    .bind(token_hash)
    .bind(session_hash)
    .bind(expired_before)
    .fetch_optional(pool)
    .await
}
