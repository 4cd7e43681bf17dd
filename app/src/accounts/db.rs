//! SQL for accounts, roles, sessions, sign-in failures and the audit log.

use super::{CurrentUser, Role, RoleGrant};
use crate::db::{new_id, now, Pool};

/// A user row for signing in (with the hash, which never leaves the server).
#[derive(Debug, sqlx::FromRow)]
pub struct UserLogin {
    pub id: String,
    pub password_hash: String,
    pub is_active: bool,
}

pub async fn insert_user<'e, E>(
    executor: E,
    username: &str,
    display_name: &str,
    password_hash: &str,
) -> Result<String, sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    let id = new_id();
    let at = now();
    sqlx::query(
        "INSERT INTO users (id, username, display_name, password_hash, is_active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $5)",
    )
    .bind(&id)
    .bind(username)
    .bind(display_name)
    .bind(password_hash)
    .bind(&at)
    .execute(executor)
    .await?;
    Ok(id)
}

pub async fn insert_role<'e, E>(
    executor: E,
    user_id: &str,
    role: Role,
    school_id: Option<&str>,
) -> Result<(), sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    sqlx::query(
        "INSERT INTO user_roles (user_id, role, school_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(role.as_str())
    .bind(school_id)
    .bind(now())
    .execute(executor)
    .await
    .map(|_| ())
}

pub async fn find_login(pool: &Pool, username: &str) -> Result<Option<UserLogin>, sqlx::Error> {
    sqlx::query_as("SELECT id, password_hash, is_active FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(pool)
        .await
}

pub async fn find_password_hash(pool: &Pool, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(pool)
        .await
}

pub async fn update_password<'e, E>(
    executor: E,
    user_id: &str,
    password_hash: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now())
        .bind(user_id)
        .execute(executor)
        .await
        .map(|_| ())
}

pub async fn count_admins<'e, E>(executor: E) -> Result<i64, sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    sqlx::query_scalar("SELECT COUNT(*) FROM user_roles WHERE role = 'admin'")
        .fetch_one(executor)
        .await
}

/// Forgets every web set-up token.
pub async fn delete_setup_tokens<'e, E>(executor: E) -> Result<(), sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    sqlx::query("DELETE FROM setup_tokens")
        .execute(executor)
        .await
        .map(|_| ())
}

pub async fn insert_setup_token<'e, E>(executor: E, token_hash: &str) -> Result<(), sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    sqlx::query("INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)")
        .bind(token_hash)
        .bind(now())
        .execute(executor)
        .await
        .map(|_| ())
}

pub async fn setup_token_exists(pool: &Pool, token_hash: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM setup_tokens WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}

/// Deletes a set-up token; false when it was not (or no longer) there.
pub async fn take_setup_token<'e, E>(executor: E, token_hash: &str) -> Result<bool, sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    let done = sqlx::query("DELETE FROM setup_tokens WHERE token_hash = $1")
        .bind(token_hash)
        .execute(executor)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn insert_session(
    pool: &Pool,
    token_hash: &str,
    user_id: &str,
    expires_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now())
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|_| ())
}

pub async fn delete_session(pool: &Pool, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await
        .map(|_| ())
}

pub async fn delete_other_sessions<'e, E>(
    executor: E,
    user_id: &str,
    keep_hash: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep_hash)
        .execute(executor)
        .await
        .map(|_| ())
}

/// One row of the session lookup: the user, and one of their roles (if any).
#[derive(Debug, sqlx::FromRow)]
struct SessionUserRow {
    id: String,
    username: String,
    display_name: String,
    role: Option<String>,
    school_id: Option<String>,
}

/// The user of a live session with all their roles, in one query.
pub async fn find_session_user(
    pool: &Pool,
    token_hash: &str,
    now: &str,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let rows: Vec<SessionUserRow> = sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, r.role, r.school_id \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN user_roles r ON r.user_id = u.id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.is_active = 1",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_all(pool)
    .await?;
    let mut user: Option<CurrentUser> = None;
    for row in rows {
        let entry = user.get_or_insert_with(|| CurrentUser {
            id: row.id,
            username: row.username,
            display_name: row.display_name,
            roles: Vec::new(),
        });
        if let Some(role) = row.role.as_deref().and_then(Role::parse) {
            entry.roles.push(RoleGrant {
                role,
                school_id: row.school_id,
            });
        }
    }
    Ok(user)
}

/// Records a failed sign-in for each key and forgets failures older than `cutoff`, so the
/// table stays small (bounded by the attempts of one window).
pub async fn record_login_failure(
    pool: &Pool,
    keys: &[&str],
    cutoff: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
    let at = now();
    for key in keys {
        sqlx::query("INSERT INTO login_failures (id, key, at) VALUES ($1, $2, $3)")
            .bind(new_id())
            .bind(key)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// How many failures a key has since `since`, and the oldest of them.
pub async fn recent_failures(
    pool: &Pool,
    key: &str,
    since: &str,
) -> Result<(i64, Option<String>), sqlx::Error> {
    sqlx::query_as("SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = $1 AND at >= $2")
        .bind(key)
        .bind(since)
        .fetch_one(pool)
        .await
}

pub async fn clear_login_failures(pool: &Pool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(pool)
        .await
        .map(|_| ())
}

/// One line of the audit log.
pub async fn insert_audit<'e, E>(
    executor: E,
    actor_id: Option<&str>,
    action: &str,
    subject_id: Option<&str>,
    detail: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    sqlx::query("INSERT INTO audit_log (id, at, actor_id, action, subject_id, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(new_id())
        .bind(now())
        .bind(actor_id)
        .bind(action)
        .bind(subject_id)
        .bind(detail)
        .execute(executor)
        .await
        .map(|_| ())
}

/// Every role a person holds.
pub async fn roles_of<'e, E>(executor: E, user_id: &str) -> Result<Vec<RoleGrant>, sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT role, school_id FROM user_roles WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(executor)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(role, school_id)| {
            Some(RoleGrant {
                role: Role::parse(&role)?,
                school_id,
            })
        })
        .collect())
}

/// Ends every session of a person (after a password reset).
pub async fn delete_user_sessions<'e, E>(executor: E, user_id: &str) -> Result<(), sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(executor)
        .await
        .map(|_| ())
}

/// Whether a username is taken.
pub async fn username_taken<'e, E>(executor: E, username: &str) -> Result<bool, sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(executor)
        .await?;
    Ok(n > 0)
}

/// A person's display name.
pub async fn display_name(pool: &Pool, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(pool)
        .await
}
