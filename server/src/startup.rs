//! Building the application: database, Leptos options, the router with its layers, and serving
//! with graceful shutdown. Integration tests call [`build_router`] on a fresh database.

use std::sync::Arc;
use std::time::Duration;

use app::state::{AppState, Settings};
use app::{shell, App};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::cli::CliError;
use crate::config::{redact_url, Config};

/// Creates the data directory, opens the database and applies migrations.
pub async fn open_database(config: &Config) -> Result<app::db::Pool, CliError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| CliError::DataDir {
        path: config.data_dir.display().to_string(),
        source,
    })?;
    let url = redact_url(&config.database_url);
    let pool = app::db::connect(&config.database_url)
        .await
        .map_err(|source| CliError::Database {
            url: url.clone(),
            source,
        })?;
    app::db::migrate(&pool)
        .await
        .map_err(|source| CliError::Migrate {
            url: url.clone(),
            source,
        })?;
    // Projects written before the staff search index (or by an older word splitting).
    let indexed = app::projects::db::index_outdated(&pool)
        .await
        .map_err(|source| CliError::Index { url, source })?;
    if indexed > 0 {
        tracing::info!(projects = indexed, "indexed projects for staff search");
    }
    Ok(pool)
}

/// Leptos's own options, built from our configuration rather than from `Cargo.toml`, so that the
/// binary runs the same whether cargo-leptos started it or not.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("libfolio")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .hash_files(hash_files_enabled(config))
        .build()
}

/// cargo-leptos writes `hash.txt` beside the server binary when `hash-files` is on; asset names
/// then carry content hashes. Hashed names are used only when the site root really holds the
/// files that `hash.txt` names: a copied binary, or the plain-named site the browser tests build
/// next to a cargo-leptos build, gets plain names.
fn hash_files_enabled(config: &Config) -> bool {
    let Some(hash_file) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
    else {
        return false;
    };
    let Ok(hashes) = std::fs::read_to_string(hash_file) else {
        return false;
    };
    hashes
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(kind, _)| kind.trim() == "js")
        .is_some_and(|(_, hash)| {
            config
                .site_root
                .join("pkg")
                .join(format!("libfolio.{}.js", hash.trim()))
                .is_file()
        })
}

/// The application state for a configuration and an open database.
pub fn app_state(config: &Config, pool: app::db::Pool) -> AppState {
    AppState {
        leptos_options: leptos_options(config),
        pool,
        settings: Arc::new(Settings {
            secure_cookies: config.secure_cookies(),
            public_url: config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", config.addr))
                .trim_end_matches('/')
                .to_owned(),
            trusted_proxies: config.trusted_proxies.clone(),
        }),
    }
}

/// The whole router with every layer, as production serves it.
pub fn build_router(state: AppState, max_body_bytes: usize) -> Router {
    let routes = route_list();
    let context_state = state.clone();
    // Pages the router does not know (404s) render the same layout, which reads the state too.
    let fallback_state = state.clone();
    let shell_options = state.leptos_options.clone();
    let limits = crate::security::BodyLimits::new(max_body_bytes);

    Router::new()
        .route("/healthz", get(healthz))
        .route("/prefs/lang", post(crate::prefs::set_language))
        .route("/prefs/view", post(crate::prefs::set_view))
        .route("/files/{id}", get(app::files::serve::original))
        .route("/files/{id}/thumb", get(app::files::serve::thumb))
        .route("/sitemap.xml", get(app::showcase::feeds::sitemap))
        .route("/robots.txt", get(app::showcase::feeds::robots))
        .route(
            "/p/{id}/export.zip",
            get(app::showcase::export::project_zip),
        )
        .route(
            "/feeds/projects.atom",
            get(app::showcase::feeds::district_feed),
        )
        .route(
            "/feeds/schools/{file}",
            get(app::showcase::feeds::school_feed),
        )
        .route(
            "/feeds/initiatives/{file}",
            get(app::showcase::feeds::initiative_feed),
        )
        .route(
            "/manage/{slug}/catalog.csv",
            get(app::catalog::export::catalog_csv),
        )
        .route(
            "/manage/analytics.csv",
            get(app::analytics::export::district_csv),
        )
        .route(
            "/manage/{slug}/analytics.csv",
            get(app::analytics::export::csv),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || leptos::prelude::provide_context(context_state.clone()),
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || leptos::prelude::provide_context(fallback_state.clone()),
            shell,
        ))
        // Each request gets a reactive root of its own (see `reactive`): without it, a request
        // could take the pending headers of a page rendered on the same thread.
        .layer(axum::middleware::from_fn(crate::reactive::own_root))
        // A form posted without JavaScript that comes back with an error keeps its values.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            app::forms::echo::keep_failed_forms,
        ))
        .layer(axum::middleware::from_fn(
            crate::security::reject_cross_site,
        ))
        .layer(DefaultBodyLimit::max(limits.uploads.max(limits.imports)))
        .layer(RequestBodyLimitLayer::new(
            limits.uploads.max(limits.imports),
        ))
        .layer(axum::middleware::from_fn_with_state(
            limits,
            crate::security::limit_body,
        ))
        .layer(axum::middleware::from_fn(crate::security::security_headers))
        // The fastest levels: a page is rendered in about 4 ms, and the default levels spent
        // 2–4 ms more compressing it for a few per cent of size (`benches/showcase.rs`).
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
        .layer(CatchPanicLayer::custom(crate::security::panic_response))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The app's routes, generated once per process.
///
/// Generating them renders the app with resource loading suppressed by a process-wide flag
/// (leptos_server 0.8): a resource first polled by a request on another thread while that flag is
/// set never loads, and its page hangs. Generating once, before any router serves, closes that
/// window; it also matters where several routers live in one process (the integration tests).
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match tokio::time::timeout(Duration::from_secs(2), app::db::ping(&state.pool)).await {
        Ok(Ok(())) => (StatusCode::OK, "ok"),
        Ok(Err(error)) => {
            tracing::error!(%error, "health check: database error");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => {
            tracing::error!("health check: database timed out");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// `libfolio serve`: open the database, bind, serve until SIGINT or SIGTERM.
pub async fn serve(config: Config) -> Result<(), CliError> {
    let pool = open_database(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| CliError::Listen {
            addr: config.addr.to_string(),
            source,
        })?;
    let state = app_state(&config, pool.clone());
    let setup_url = format!("{}/setup", state.settings.public_url);
    let router = build_router(state, config.max_body_bytes);
    let shutdown = shutdown_signal();
    // Without an administrator, the web set-up page opens with a token only this log shows.
    match app::accounts::admin::prepare_setup(&pool).await {
        Ok(Some(token)) => tracing::warn!(
            "no administrator yet: open {setup_url}?token={token} to create one \
             (or run `libfolio create-admin`)"
        ),
        Ok(None) => {}
        Err(error) => tracing::error!(%error, "could not prepare the set-up token"),
    }
    let local = listener.local_addr().map_err(CliError::Serve)?;
    tracing::info!(address = %local, database = %redact_url(&config.database_url), "Libfolio is serving on http://{local}");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(CliError::Serve)?;
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM; in-flight requests then finish before the process
/// exits. The handlers are installed when this is called, not when the future is first polled,
/// so a signal that arrives right after start-up is not lost.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {},
                        _ = terminate.recv() => {},
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
            tracing::info!("shutting down");
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    }
}
