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
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("application state", "missing from context"))
}
