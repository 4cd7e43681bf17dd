//! Creating administrators: from the command line (`libfolio create-admin`), or once through
//! the web set-up page, guarded by a token the server prints at start-up while no
//! administrator exists.

use super::{db, password, Role, Username};
use crate::db::{begin_write, Pool};

/// While no administrator exists, a fresh set-up token (the previous ones stop working);
/// `None` once there is one. The server prints the token in its log at start-up.
pub async fn prepare_setup(pool: &Pool) -> Result<Option<String>, sqlx::Error> {
    if db::count_admins(pool).await? > 0 {
        db::delete_setup_tokens(pool).await?;
        return Ok(None);
    }
    let token = super::session::new_token()
        .map_err(|e| sqlx::Error::Protocol(format!("no randomness: {e}")))?;
    let mut tx = begin_write(pool).await?;
    db::delete_setup_tokens(&mut *tx).await?;
    db::insert_setup_token(&mut *tx, &super::session::token_hash(&token)).await?;
    tx.commit().await?;
    Ok(Some(token))
}

/// Whether the web set-up is still open (no administrator yet).
pub async fn setup_open(pool: &Pool) -> Result<bool, sqlx::Error> {
    Ok(db::count_admins(pool).await? == 0)
}

/// Whether a typed set-up token is the current one.
pub async fn setup_token_valid(pool: &Pool, token: &str) -> Result<bool, sqlx::Error> {
    db::setup_token_exists(pool, &super::session::token_hash(token.trim())).await
}

/// Creates the first administrator through the web, once: the token is used up and no
/// second administrator can be made this way. Returns the new user's id.
pub async fn complete_setup(
    pool: &Pool,
    token: &str,
    username: &Username,
    display_name: &str,
    password_hash: &str,
) -> Result<Option<String>, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let used = db::take_setup_token(&mut *tx, &super::session::token_hash(token.trim())).await?;
    let admins = db::count_admins(&mut *tx).await?;
    if !used || admins > 0 || db::username_taken(&mut *tx, username.as_str()).await? {
        tx.rollback().await?;
        return Ok(None);
    }
    let id = db::insert_user(&mut *tx, username.as_str(), display_name, password_hash).await?;
    db::insert_role(&mut *tx, &id, Role::Admin, None).await?;
    db::insert_audit(&mut *tx, Some(&id), "create_admin", Some(&id), "web set-up").await?;
    db::delete_setup_tokens(&mut *tx).await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// Creates an administrator; returns the username. Errors are sentences for the operator.
pub async fn create_admin(
    pool: &Pool,
    username: &str,
    display_name: Option<&str>,
    new_password: String,
) -> Result<String, String> {
    let name = Username::parse(username).ok_or_else(|| {
        format!("«{username}» is not a valid username (3–40 Latin letters, digits, '.', '_', '-', starting with a letter)")
    })?;
    if new_password.chars().count() < password::MIN_LENGTH {
        return Err(format!(
            "the password must be at least {} characters long",
            password::MIN_LENGTH
        ));
    }
    let hash = password::hash(new_password).await?;
    let mut tx = begin_write(pool).await.map_err(|e| e.to_string())?;
    let taken = db::username_taken(&mut *tx, name.as_str())
        .await
        .map_err(|e| e.to_string())?;
    if taken {
        return Err(format!("the username «{}» is taken", name.as_str()));
    }
    let display = display_name
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .unwrap_or(name.as_str());
    let id = db::insert_user(&mut *tx, name.as_str(), display, &hash)
        .await
        .map_err(|e| e.to_string())?;
    db::insert_role(&mut *tx, &id, Role::Admin, None)
        .await
        .map_err(|e| e.to_string())?;
    db::insert_audit(&mut *tx, None, "create_admin", Some(&id), "command line")
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(name.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::fresh_pool;

    #[tokio::test]
    async fn creates_an_admin_once_and_checks_its_input() {
        let pool = fresh_pool().await;
        assert_eq!(
            create_admin(&pool, "Admin", None, "долгий пароль".into()).await,
            Ok("admin".into())
        );
        assert_eq!(db::count_admins(&pool).await.expect("count"), 1);
        assert!(
            create_admin(&pool, "admin", None, "долгий пароль".into())
                .await
                .is_err(),
            "taken"
        );
        assert!(
            create_admin(&pool, "x", None, "долгий пароль".into())
                .await
                .is_err(),
            "bad name"
        );
        assert!(
            create_admin(&pool, "other", None, "short".into())
                .await
                .is_err(),
            "short password"
        );
        assert_eq!(
            db::count_admins(&pool).await.expect("count"),
            1,
            "nothing stored from bad input"
        );
    }
}
