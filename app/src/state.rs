//! The application state given to every request: no globals, so a second server process
//! behaves exactly like the first.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;

use crate::db::Pool;
use crate::error::AppError;

/// Settings the application reads while serving requests.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Cookies carry `Secure` (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// The address people type to reach the site (printed on login cards), without a
    /// trailing slash: `LIBFOLIO_PUBLIC_URL`, else the listening address.
    pub public_url: String,
    /// Reverse proxies whose `X-Forwarded-For` header is believed; empty: none.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// Shared by the axum router and (through Leptos context) by server functions.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: Pool,
    pub settings: Arc<Settings>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state inside a server function or a server-rendered component.
///
/// When the request itself is gone from the context too, the reader left before the page was
/// rendered (axum dropped the response and Leptos disposed of its owner while a resource was
/// still loading): nothing reads the answer, so that is logged at debug level, not as an error.
pub fn app_state() -> Result<AppState, AppError> {
    if let Some(state) = use_context::<AppState>() {
        return Ok(state);
    }
    if use_context::<http::request::Parts>().is_none() {
        tracing::debug!("no request in context (the reader left): not loading");
        return Err(AppError::Gone);
    }
    Err(AppError::internal(
        "application state",
        "missing from context",
    ))
}

#[cfg(test)]
mod tests {
    use leptos::prelude::{provide_context, Owner};

    use super::app_state;
    use crate::error::AppError;

    #[test]
    fn a_request_without_its_state_is_an_error_and_an_abandoned_one_is_gone() {
        let owner = Owner::new();
        owner.with(|| {
            // No request at all: a render whose reader left.
            assert!(matches!(app_state(), Err(AppError::Gone)));
            // A request whose state was not provided: a server bug.
            let (parts, _) = http::Request::new(()).into_parts();
            provide_context(parts);
            assert!(matches!(app_state(), Err(AppError::Internal)));
        });
    }
}
