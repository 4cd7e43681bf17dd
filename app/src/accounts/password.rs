//! Password hashing with Argon2id (19 MiB, 2 iterations, 1 lane: the OWASP minimum), always off
//! the async runtime, and readable generated passwords for pupils and password resets.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// The shortest password a person may choose.
pub const MIN_LENGTH: usize = 8;

fn hasher() -> Argon2<'static> {
    // 19 MiB, 2 passes, 1 lane. The parameters are fixed here and recorded in every hash.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password on a blocking thread; returns a PHC string.
pub async fn hash(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Checks a password against a stored hash on a blocking thread.
pub async fn verify(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|parsed| {
                hasher()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash that no password matches, used to spend the same time on unknown usernames.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4b2f5e9ZzC0pS3m4u8ZpV7q9yC1x2w3v4u5t6s7r8q0";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let stored = hash("правильный пароль".to_owned()).await.expect("hashes");
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("правильный пароль".to_owned(), stored.clone()).await);
        assert!(!verify("неправильный".to_owned(), stored).await);
        assert!(!verify("x".to_owned(), "not a hash".to_owned()).await);
        assert!(!verify("x".to_owned(), DUMMY_HASH.to_owned()).await);
    }
}
