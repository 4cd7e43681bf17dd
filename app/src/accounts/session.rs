//! Server-side sessions. The browser holds a random token in an `HttpOnly`, `SameSite=Lax`
//! cookie (`Secure` behind HTTPS); the database holds only its SHA-256, so every server process
//! sees the same sessions and a copy of the database opens none. A new token is issued at every
//! sign-in (rotation) and deleted at sign-out.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, Utc};
use sha2::{Digest, Sha256};

use super::CurrentUser;
use crate::db::Pool;
use crate::prefs::cookie_value;

/// The session cookie's name.
pub const COOKIE: &str = "libfolio_session";
/// How long a session lasts.
pub const LIFETIME_DAYS: i64 = 14;

/// A new random token (256 bits), as the browser will hold it.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database stores for a token.
pub fn token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value that gives the browser its session.
pub fn set_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    let max_age = LIFETIME_DAYS * 24 * 3600;
    format!("{COOKIE}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}")
}

/// The session token the request carries, if any.
pub fn token_from_headers(headers: &http::HeaderMap) -> Option<String> {
    cookie_value(headers, COOKIE)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// Creates a session for a user and returns its token.
pub async fn start(pool: &Pool, user_id: &str) -> Result<String, sqlx::Error> {
    let token = new_token().map_err(|e| sqlx::Error::Protocol(format!("no randomness: {e}")))?;
    let expires = crate::db::stamp(Utc::now() + Duration::days(LIFETIME_DAYS));
    super::db::insert_session(pool, &token_hash(&token), user_id, &expires).await?;
    Ok(token)
}

/// The user a token belongs to, while the session has not expired and the account is active.
pub async fn user_for_token(pool: &Pool, token: &str) -> Result<Option<CurrentUser>, sqlx::Error> {
    super::db::find_session_user(pool, &token_hash(token), &crate::db::now()).await
}

/// Ends the session of a token.
pub async fn end(pool: &Pool, token: &str) -> Result<(), sqlx::Error> {
    super::db::delete_session(pool, &token_hash(token)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let a = new_token().expect("token");
        let b = new_token().expect("token");
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn the_cookie_is_http_only_and_lax() {
        let c = set_cookie("abc", false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        assert!(set_cookie("abc", true).ends_with("; Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }
}
