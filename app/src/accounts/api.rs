//! Server functions for signing in and out and for one's own account.

use leptos::prelude::*;

use super::CurrentUser as SignedInUser;
use crate::error::AppError;

/// The signed-in person, or `None` for a visitor.
#[server]
pub async fn who_am_i() -> Result<Option<SignedInUser>, AppError> {
    // Policy: anyone may ask who they are.
    ssr::signed_in_user().await
}

/// Signs in with a username and password, then goes to `next` (a path on this site).
#[server]
pub async fn login(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::policy::{may, Action};
    if !may(None, Action::SignIn) {
        return Err(AppError::Forbidden);
    }
    ssr::login(username, password, next).await
}

/// Signs out: the session ends on the server and the cookie is removed.
#[server]
pub async fn logout() -> Result<(), AppError> {
    // Policy: anyone may end their own session (a visitor has none to end).
    ssr::logout().await
}

/// Changes one's own password after checking the current one.
#[server]
pub async fn change_password(
    current: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    use super::policy::{may, Action};
    let user = ssr::signed_in_user().await?;
    if !may(user.as_ref(), Action::ManageOwnAccount) {
        return Err(AppError::Unauthorized);
    }
    let user = user.ok_or(AppError::Unauthorized)?;
    ssr::change_password(user, current, new_password, confirm).await
}

/// Whether the web set-up page is open (no administrator exists yet).
#[server]
pub async fn setup_status() -> Result<bool, AppError> {
    // Policy: anyone may ask; the page says nothing more than whether set-up is open.
    let state = crate::state::app_state()?;
    Ok(super::admin::setup_open(&state.pool).await?)
}

/// Creates the first administrator with the token from the server's log, and signs them in.
#[server]
pub async fn complete_setup(
    token: String,
    username: String,
    display_name: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use super::policy::{may, Action};
    let user = ssr::signed_in_user().await?;
    if !may(user.as_ref(), Action::SetUp) {
        return Err(AppError::Forbidden);
    }
    ssr::complete_setup(token, username, display_name, password, confirm).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use std::net::SocketAddr;

    use axum::extract::ConnectInfo;
    use chrono::{DateTime, Duration, Utc};
    use http::header::SET_COOKIE;
    use http::HeaderValue;
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;

    use crate::accounts::{db, password, session, CurrentUser, Username};
    use crate::error::{AppError, FieldError, FieldProblem};
    use crate::prefs::safe_return_path;
    use crate::state::app_state;

    /// The window in which failed sign-ins are counted.
    pub const FAILURE_WINDOW_MINUTES: i64 = 15;
    /// Failed sign-ins allowed per account in the window.
    pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
    /// Failed sign-ins allowed per client address in the window (a school shares one address).
    pub const MAX_FAILURES_PER_ADDRESS: i64 = 30;

    fn request_headers() -> http::HeaderMap {
        use_context::<http::request::Parts>()
            .map(|p| p.headers)
            .unwrap_or_default()
    }

    /// The client's address for rate limiting: the peer, or, when the peer is a trusted
    /// reverse proxy, the last address in `X-Forwarded-For` that is not one.
    pub fn client_address() -> String {
        let Some(parts) = use_context::<http::request::Parts>() else {
            return "unknown".to_owned();
        };
        let Some(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
        else {
            return "unknown".to_owned();
        };
        let trusted = app_state()
            .map(|s| s.settings.trusted_proxies.clone())
            .unwrap_or_default();
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        resolve_client(peer, &forwarded, &trusted).to_string()
    }

    /// See [`client_address`]: a forwarded chain is read right to left, skipping trusted
    /// proxies; anything unparsable stops the walk at the last address known to be real.
    pub fn resolve_client(
        peer: std::net::IpAddr,
        forwarded_for: &str,
        trusted: &[std::net::IpAddr],
    ) -> std::net::IpAddr {
        if !trusted.contains(&peer) {
            return peer;
        }
        let mut client = peer;
        for hop in forwarded_for.split(',').rev() {
            match hop.trim().parse::<std::net::IpAddr>() {
                Ok(ip) => {
                    client = ip;
                    if !trusted.contains(&ip) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        client
    }

    fn set_cookie(value: String) {
        if let (Some(response), Ok(value)) = (
            use_context::<ResponseOptions>(),
            HeaderValue::from_str(&value),
        ) {
            response.append_header(SET_COOKIE, value);
        }
    }

    use crate::db::stamp;

    pub async fn signed_in_user() -> Result<Option<CurrentUser>, AppError> {
        let state = app_state()?;
        match session::token_from_headers(&request_headers()) {
            Some(token) => Ok(session::user_for_token(&state.pool, &token).await?),
            None => Ok(None),
        }
    }

    /// Minutes until a key may try again, if it is over its limit.
    pub async fn locked_for(
        pool: &crate::db::Pool,
        key: &str,
        limit: i64,
    ) -> Result<Option<u32>, AppError> {
        let window = Duration::minutes(FAILURE_WINDOW_MINUTES);
        let since = stamp(Utc::now() - window);
        let (count, oldest) = db::recent_failures(pool, key, &since).await?;
        if count < limit {
            return Ok(None);
        }
        let oldest = oldest
            .and_then(|o| DateTime::parse_from_rfc3339(&o).ok())
            .map(|o| o.with_timezone(&Utc))
            .unwrap_or_else(Utc::now);
        let seconds = (oldest + window - Utc::now()).num_seconds().max(1);
        Ok(Some(((seconds + 59) / 60) as u32))
    }

    pub async fn login(
        username: String,
        password: String,
        next: Option<String>,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        let name = Username::parse(&username);
        let account_key = format!(
            "user:{}",
            name.as_ref().map(Username::as_str).unwrap_or("-")
        );
        let address_key = format!("addr:{}", client_address());
        for (key, limit) in [
            (&account_key, MAX_FAILURES_PER_ACCOUNT),
            (&address_key, MAX_FAILURES_PER_ADDRESS),
        ] {
            if let Some(minutes) = locked_for(pool, key, limit).await? {
                return Err(AppError::TooManyAttempts { minutes });
            }
        }
        let found = match &name {
            Some(name) => db::find_login(pool, name.as_str()).await?,
            None => None,
        };
        let verified = match found {
            Some(login) if login.is_active => password::verify(password, login.password_hash)
                .await
                .then_some(login.id),
            _ => {
                // Spend the same time whether or not the account exists.
                password::verify(password, password::DUMMY_HASH.to_owned()).await;
                None
            }
        };
        let user_id = match verified {
            Some(id) => id,
            None => {
                let cutoff = stamp(Utc::now() - Duration::minutes(FAILURE_WINDOW_MINUTES));
                db::record_login_failure(pool, &[&account_key, &address_key], &cutoff).await?;
                return Err(AppError::WrongCredentials);
            }
        };
        db::clear_login_failures(pool, &account_key).await?;
        // A new session id at every sign-in; a session the browser already had ends.
        if let Some(old) = session::token_from_headers(&request_headers()) {
            session::end(pool, &old).await?;
        }
        start_session(&state, &user_id).await?;
        leptos_axum::redirect(&safe_return_path(next.as_deref()));
        Ok(())
    }

    /// Signs `user_id` in: a new session, its cookie, an audit record.
    pub async fn start_session(
        state: &crate::state::AppState,
        user_id: &str,
    ) -> Result<(), AppError> {
        let token = session::start(&state.pool, user_id).await?;
        db::insert_audit(&state.pool, Some(user_id), "sign_in", Some(user_id), "").await?;
        set_cookie(session::set_cookie(&token, state.settings.secure_cookies));
        Ok(())
    }

    pub async fn logout() -> Result<(), AppError> {
        let state = app_state()?;
        if let Some(token) = session::token_from_headers(&request_headers()) {
            if let Some(user) = session::user_for_token(&state.pool, &token).await? {
                db::insert_audit(&state.pool, Some(&user.id), "sign_out", Some(&user.id), "")
                    .await?;
            }
            session::end(&state.pool, &token).await?;
        }
        set_cookie(session::clear_cookie(state.settings.secure_cookies));
        leptos_axum::redirect("/");
        Ok(())
    }

    pub async fn complete_setup(
        token: String,
        username: String,
        display_name: String,
        new_password: String,
        confirm: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        if !crate::accounts::admin::setup_open(&state.pool).await? {
            return Err(AppError::NotFound);
        }
        let field = |name: &str, problem| FieldError {
            field: name.into(),
            problem,
        };
        let mut problems = Vec::new();
        let key = format!("setup:{}", client_address());
        if let Some(minutes) = locked_for(&state.pool, &key, MAX_FAILURES_PER_ACCOUNT).await? {
            return Err(AppError::TooManyAttempts { minutes });
        }
        if !crate::accounts::admin::setup_token_valid(&state.pool, &token).await? {
            let cutoff = stamp(Utc::now() - Duration::minutes(FAILURE_WINDOW_MINUTES));
            db::record_login_failure(&state.pool, &[&key], &cutoff).await?;
            problems.push(field("token", FieldProblem::Invalid));
        }
        let name = Username::parse(&username);
        if name.is_none() {
            problems.push(field("username", FieldProblem::BadUsername));
        }
        let display_name = display_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if display_name.is_empty() {
            problems.push(field("display_name", FieldProblem::Required));
        }
        if new_password.chars().count() < password::MIN_LENGTH {
            problems.push(field(
                "password",
                FieldProblem::TooShort {
                    min: password::MIN_LENGTH,
                },
            ));
        } else if new_password != confirm {
            problems.push(field("confirm", FieldProblem::Mismatch));
        }
        let Some(name) = name.filter(|_| problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        let hash = password::hash(new_password)
            .await
            .map_err(|e| AppError::internal("hashing a password", e))?;
        let Some(id) = crate::accounts::admin::complete_setup(
            &state.pool,
            &token,
            &name,
            &display_name,
            &hash,
        )
        .await?
        else {
            return Err(AppError::Conflict);
        };
        start_session(&state, &id).await?;
        leptos_axum::redirect("/account");
        Ok(())
    }

    pub async fn change_password(
        user: CurrentUser,
        current: String,
        new_password: String,
        confirm: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let mut problems = Vec::new();
        if current.is_empty() {
            problems.push(FieldError {
                field: "current".into(),
                problem: FieldProblem::Required,
            });
        }
        if new_password.chars().count() < password::MIN_LENGTH {
            problems.push(FieldError {
                field: "new_password".into(),
                problem: FieldProblem::TooShort {
                    min: password::MIN_LENGTH,
                },
            });
        } else if new_password != confirm {
            problems.push(FieldError {
                field: "confirm".into(),
                problem: FieldProblem::Mismatch,
            });
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let stored = db::find_password_hash(&state.pool, &user.id)
            .await?
            .ok_or(AppError::Unauthorized)?;
        if !password::verify(current, stored).await {
            return Err(AppError::Invalid(vec![FieldError {
                field: "current".into(),
                problem: FieldProblem::WrongPassword,
            }]));
        }
        let hash = password::hash(new_password)
            .await
            .map_err(|e| AppError::internal("hashing a password", e))?;
        let keep = session::token_from_headers(&request_headers())
            .map(|t| session::token_hash(&t))
            .unwrap_or_default();
        let mut tx = crate::db::begin_write(&state.pool).await?;
        db::update_password(&mut *tx, &user.id, &hash).await?;
        // Other devices signed in with the old password are signed out.
        db::delete_other_sessions(&mut *tx, &user.id, &keep).await?;
        db::insert_audit(
            &mut *tx,
            Some(&user.id),
            "change_password",
            Some(&user.id),
            "",
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect("/account?changed=1");
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::resolve_client;
        use std::net::IpAddr;

        fn ip(s: &str) -> IpAddr {
            s.parse().expect("ip")
        }

        #[test]
        fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
            let proxy = [ip("10.0.0.1")];
            // Straight from the internet: the header is the client's own claim, ignored.
            assert_eq!(
                resolve_client(ip("203.0.113.9"), "1.2.3.4", &proxy),
                ip("203.0.113.9")
            );
            assert_eq!(
                resolve_client(ip("203.0.113.9"), "1.2.3.4", &[]),
                ip("203.0.113.9")
            );
            // Through the proxy: the address the proxy saw.
            assert_eq!(
                resolve_client(ip("10.0.0.1"), "198.51.100.7", &proxy),
                ip("198.51.100.7")
            );
            // A client cannot hide behind a forged left part of the chain.
            assert_eq!(
                resolve_client(ip("10.0.0.1"), "6.6.6.6, 198.51.100.7", &proxy),
                ip("198.51.100.7")
            );
            // Chained trusted proxies are skipped; garbage stops the walk.
            let two = [ip("10.0.0.1"), ip("10.0.0.2")];
            assert_eq!(
                resolve_client(ip("10.0.0.1"), "198.51.100.7, 10.0.0.2", &two),
                ip("198.51.100.7")
            );
            assert_eq!(
                resolve_client(ip("10.0.0.1"), "nonsense", &proxy),
                ip("10.0.0.1")
            );
            assert_eq!(resolve_client(ip("10.0.0.1"), "", &proxy), ip("10.0.0.1"));
        }
    }
}
