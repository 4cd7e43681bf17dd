//! Request and response guards: cross-site request refusal (server functions have no CSRF
//! token by design), security headers, and cache lifetimes for hashed assets.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The policy for responses that did not set their own (static files, redirects, health).
/// Pages rendered by Leptos set a stricter one with a per-request nonce in `app::shell`.
pub const FALLBACK_CSP: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Refuses state-changing requests sent by another site.
///
/// Browsers send `Sec-Fetch-Site` with every request; when it is missing (old browsers), the
/// `Origin` header must name this host. Requests with neither come from non-browser clients,
/// which cannot carry a victim's cookies, and are let through (the approach of Go's
/// `http.CrossOriginProtection`).
pub async fn reject_cross_site(request: Request, next: Next) -> Response {
    if is_cross_site(request.method(), request.headers()) {
        tracing::warn!(method = %request.method(), uri = %request.uri(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            app::i18n_server::cross_site_refused(request.headers()),
        )
            .into_response();
    }
    next.run(request).await
}

/// Whether a request is a cross-site attempt to change state.
pub fn is_cross_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    match headers.get(header::ORIGIN) {
        None => false,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            let origin_host = origin
                .to_str()
                .ok()
                .and_then(|o| o.split_once("://"))
                .map(|(_, rest)| rest.trim_end_matches('/'));
            match (origin_host, host) {
                (Some(o), Some(h)) => !o.eq_ignore_ascii_case(h),
                _ => true,
            }
        }
    }
}

/// Adds the headers every response carries.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let is_hashed_asset = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    let ok = response.status() == StatusCode::OK;
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set(headers, header::CONTENT_SECURITY_POLICY, FALLBACK_CSP);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(
        headers,
        header::REFERRER_POLICY,
        "strict-origin-when-cross-origin",
    );
    set(
        headers,
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    );
    set(
        headers,
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if is_hashed_asset && ok {
        // File names carry a content hash (cargo-leptos `hash-files`), so they never change.
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    } else if !headers.contains_key(header::CACHE_CONTROL) {
        let is_html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if is_html {
            // Pages depend on the language and view cookies and on who is signed in.
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            );
            headers.append(
                header::VARY,
                HeaderValue::from_static("Accept-Language, Cookie"),
            );
        }
    }
    response
}

/// The largest bodies accepted: forms everywhere, file uploads on the upload function, and
/// catalogue files on the catalogue import.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimits {
    pub forms: usize,
    pub uploads: usize,
    pub imports: usize,
}

impl BodyLimits {
    /// `forms` from the configuration; uploads take the largest file plus room for the form.
    pub fn new(forms: usize) -> Self {
        BodyLimits {
            forms,
            uploads: forms.max(app::projects::MAX_FILE_BYTES + 256 * 1024),
            imports: forms.max(app::catalog::MAX_IMPORT_BYTES + 256 * 1024),
        }
    }

    fn for_path(&self, path: &str) -> usize {
        use leptos::server_fn::ServerFn;
        if path == app::projects::api::UploadFile::PATH {
            self.uploads
        } else if path == app::catalog::api::ImportCatalog::PATH {
            self.imports
        } else {
            self.forms
        }
    }
}

/// Refuses bodies over the limit with a translated 413: at once when `Content-Length` says so
/// (nothing is buffered), and with the same message when a streamed body runs over this path's
/// limit while it is read.
pub async fn limit_body(
    State(limits): State<BodyLimits>,
    request: Request,
    next: Next,
) -> Response {
    let max = limits.for_path(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let headers = request.headers().clone();
    if declared.is_some_and(|n| n > max as u64) {
        return payload_too_large(&headers);
    }
    // A body without a length (chunked) is cut at this path's limit while it is read: the
    // outer layers only know the largest limit of all paths.
    let request = request.map(|body| Body::new(http_body_util::Limited::new(body, max)));
    let response = next.run(request).await;
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return payload_too_large(&headers);
    }
    response
}

/// A body that was refused for its size, in the caller's language.
fn payload_too_large(headers: &HeaderMap) -> Response<Body> {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        app::i18n_server::payload_too_large(headers),
    )
        .into_response()
}

/// A 500 for a request whose handler panicked: logged, and answered with the generic message
/// (the request's language is no longer known here, so it is the default, Russian).
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        app::i18n_server::internal_error(&HeaderMap::new()),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn reads_are_never_refused() {
        assert!(!is_cross_site(
            &Method::GET,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
    }

    #[test]
    fn cross_site_posts_are_refused() {
        assert!(is_cross_site(
            &Method::POST,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(is_cross_site(
            &Method::POST,
            &headers(&[("sec-fetch-site", "same-site")])
        ));
        assert!(is_cross_site(
            &Method::POST,
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "libfolio.example")
            ])
        ));
        assert!(is_cross_site(
            &Method::DELETE,
            &headers(&[("origin", "null"), ("host", "a")])
        ));
    }

    #[test]
    fn same_origin_posts_pass() {
        assert!(!is_cross_site(
            &Method::POST,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(!is_cross_site(
            &Method::POST,
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ])
        ));
        assert!(
            !is_cross_site(&Method::POST, &headers(&[])),
            "non-browser clients"
        );
    }
}
