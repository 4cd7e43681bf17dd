//! Creating administrators from the command line (`libfolio create-admin`).

use super::{db, password, Role, Username};
use crate::db::{begin_write, Pool};

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
    let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1")
        .bind(name.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    if taken > 0 {
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
