//! The middleware that keeps a failed form's values (see the module [`crate::forms`]).

use std::borrow::Cow;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use http::header::{ACCEPT, CONTENT_TYPE, LOCATION};
use http::{HeaderMap, HeaderValue, Method, StatusCode};

use super::{FormEcho, PARAM};
use crate::accounts::session;
use crate::state::AppState;

/// How long the values of a failed form are kept.
pub const KEPT_FOR_MINUTES: i64 = 60;

/// Forms larger than this are not kept (a page's text is far smaller).
const MAX_KEPT_BYTES: usize = 1024 * 1024;

/// The pairs of a query string or a posted form, decoded.
pub fn query_pairs(query: &str) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
    form_urlencoded::parse(query.as_bytes())
}

/// Keeps the values of a form posted without JavaScript that its server function refused, and
/// gives them back to the page it redirects to.
pub async fn keep_failed_forms(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::GET {
        return next.run(with_echo(&state, request).await).await;
    }
    if !is_plain_form_post(&request) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The body's size is already limited by the layers outside.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let session = session_hash(&parts.headers);
    let mut response = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    let Some(location) = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return response;
    };
    let failed = location
        .split_once('?')
        .is_some_and(|(_, q)| query_pairs(q).any(|(n, _)| n == "__err"));
    let mut token = None;
    if failed && bytes.len() <= MAX_KEPT_BYTES {
        let fields: Vec<(String, String)> = form_urlencoded::parse(&bytes)
            .filter(|(name, _)| !is_secret(name))
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        if !fields.is_empty() {
            match keep(&state, &session, FormEcho { fields }).await {
                Ok(kept) => token = Some(kept),
                Err(error) => tracing::warn!(%error, "a failed form's values were not kept"),
            }
        }
    }
    // An earlier failure's token never travels on: the values shown are this post's or none.
    let location = with_param(&location, PARAM, token.as_deref());
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// A form posted by the browser itself to a server function: without JavaScript, it asks for
/// a page back (`Accept: text/html`); Leptos's own requests ask for data.
fn is_plain_form_post(request: &Request) -> bool {
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .unwrap_or_default()
    };
    request.method() == Method::POST
        && super::is_echoed(request.uri().path())
        && header(CONTENT_TYPE).starts_with("application/x-www-form-urlencoded")
        && header(ACCEPT).contains("text/html")
}

/// Fields never kept or shown again, whatever the form (forms with passwords are not echoed at
/// all: see [`super::is_echoed`]).
fn is_secret(name: &str) -> bool {
    name.contains("password")
}

/// The hash of the request's session token, `''` when signed out: values are shown again only
/// to the session that typed them.
fn session_hash(headers: &HeaderMap) -> String {
    session::token_from_headers(headers)
        .map(|token| session::token_hash(&token))
        .unwrap_or_default()
}

fn expired_before() -> String {
    crate::db::stamp(Utc::now() - Duration::minutes(KEPT_FOR_MINUTES))
}

async fn keep(state: &AppState, session: &str, echo: FormEcho) -> Result<String, String> {
    let token = session::new_token().map_err(|e| e.to_string())?;
    let fields = serde_json::to_string(&echo).map_err(|e| e.to_string())?;
    super::db::insert(
        &state.pool,
        &session::token_hash(&token),
        session,
        &fields,
        &crate::db::now(),
        &expired_before(),
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok(token)
}

/// The request with the failed form's values its address names, for the page to read.
async fn with_echo(state: &AppState, mut request: Request) -> Request {
    let token = request.uri().query().and_then(|q| {
        query_pairs(q)
            .filter(|(n, _)| n == PARAM)
            .map(|(_, v)| v.into_owned())
            .last()
    });
    let Some(token) = token else { return request };
    let session = session_hash(request.headers());
    match super::db::find(
        &state.pool,
        &session::token_hash(&token),
        &session,
        &expired_before(),
    )
    .await
    {
        Ok(Some(fields)) => match serde_json::from_str::<FormEcho>(&fields) {
            Ok(echo) => {
                request.extensions_mut().insert(Arc::new(echo));
            }
            Err(error) => tracing::warn!(%error, "a kept form does not parse"),
        },
        Ok(None) => {}
        Err(error) => tracing::warn!(%error, "a kept form could not be read"),
    }
    request
}

/// `location` with the parameter `name` removed, then set to `value` when given. The rest of
/// the address (path, other parameters, fragment) is kept.
pub fn with_param(location: &str, name: &str, value: Option<&str>) -> String {
    let (rest, fragment) = match location.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (location, None),
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if value.is_none() && !query_pairs(query).any(|(n, _)| n == name) {
        return location.to_owned();
    }
    let mut pairs = form_urlencoded::Serializer::new(String::new());
    for (n, v) in query_pairs(query).filter(|(n, _)| n != name) {
        pairs.append_pair(&n, &v);
    }
    if let Some(value) = value {
        pairs.append_pair(name, value);
    }
    let query = pairs.finish();
    let mut out = path.to_owned();
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query);
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::with_param;

    #[test]
    fn the_token_replaces_an_earlier_one_and_keeps_the_rest_of_the_address() {
        assert_eq!(
            with_param("http://h/p?a=1&__form=old#top", "__form", Some("new")),
            "http://h/p?a=1&__form=new#top"
        );
        assert_eq!(with_param("/p", "__form", Some("t")), "/p?__form=t");
        assert_eq!(
            with_param("http://h/p?__form=old&b=%D0%B4", "__form", None),
            "http://h/p?b=%D0%B4"
        );
        assert_eq!(
            with_param("http://h/p?x=1", "__form", None),
            "http://h/p?x=1"
        );
        assert_eq!(
            with_param("http://h/p?__form=old", "__form", None),
            "http://h/p"
        );
    }
}
