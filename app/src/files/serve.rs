//! `GET /files/{id}` and `/files/{id}/thumb`: a project's uploads, for the people who may read
//! the project. Images are shown inline, attachments are downloads; the type is the one decided
//! from the content at upload, and `nosniff` (set for every response) stops browsers guessing.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::media::FileType;
use crate::accounts::policy::{may, Action, ProjectAccess};
use crate::accounts::session;
use crate::projects::db;
use crate::state::AppState;

/// The file as uploaded (re-encoded for images).
pub async fn original(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&state, &id, "original", &headers).await
}

/// The thumbnail of an image.
pub async fn thumb(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&state, &id, "thumb", &headers).await
}

async fn serve(state: &AppState, id: &str, variant: &str, headers: &HeaderMap) -> Response {
    match load(state, id, variant, headers).await {
        Ok(response) => response,
        Err(status) => status.into_response(),
    }
}

/// Whether the file is in a snapshot the project has published to `user` (or shared by a link
/// that has not expired: the file's id, unguessable, is only in the pages the link shows).
async fn published_to(
    pool: &crate::db::Pool,
    file_id: &str,
    project: ProjectAccess<'_>,
    user: Option<&crate::accounts::CurrentUser>,
) -> Result<bool, sqlx::Error> {
    use crate::showcase::Audience;
    Ok(crate::showcase::db::publications_of_file(pool, file_id)
        .await?
        .into_iter()
        .any(|(audience, expires_at)| {
            let Some(audience) = Audience::parse(&audience) else {
                return false;
            };
            let live = audience != Audience::Link
                || !crate::showcase::api::ssr::expired(expires_at.as_deref());
            may(
                user,
                Action::ReadPublication(crate::accounts::policy::PublicationAccess {
                    project,
                    audience,
                    live,
                }),
            )
        }))
}

async fn load(
    state: &AppState,
    id: &str,
    variant: &str,
    headers: &HeaderMap,
) -> Result<Response, StatusCode> {
    let pool = &state.pool;
    let internal = |error: sqlx::Error| {
        tracing::error!(%error, "serving a file");
        StatusCode::INTERNAL_SERVER_ERROR
    };
    let user = match session::token_from_headers(headers) {
        Some(token) => session::user_for_token(pool, &token)
            .await
            .map_err(internal)?,
        None => None,
    };
    let file = db::find_file(pool, id)
        .await
        .map_err(internal)?
        .ok_or(StatusCode::NOT_FOUND)?;
    let project = db::find_project(pool, &file.project_id)
        .await
        .map_err(internal)?
        .ok_or(StatusCode::NOT_FOUND)?;
    let people = db::project_people(pool, &project.id)
        .await
        .map_err(internal)?;
    let access = crate::projects::api::ssr::access(&project, &people);
    if !may(user.as_ref(), Action::ViewProject(access))
        && !published_to(pool, id, access, user.as_ref())
            .await
            .map_err(internal)?
    {
        return Err(if user.is_some() {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::UNAUTHORIZED
        });
    }
    let etag = format!("\"{}-{variant}\"", file.sha256);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag)
    {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    let (content_type, bytes) = db::file_content(pool, id, variant)
        .await
        .map_err(internal)?
        .ok_or(StatusCode::NOT_FOUND)?;
    let is_image = FileType::parse(&file.file_type).is_some_and(FileType::is_image);
    let disposition = if is_image {
        "inline".to_owned()
    } else {
        // RFC 6266: an ASCII fallback and the real (Cyrillic) name percent-encoded.
        let ascii: String = file
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!(
            "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
            percent_encode(&file.name)
        )
    };
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            h.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, &content_type);
    set(header::CONTENT_DISPOSITION, &disposition);
    set(header::ETAG, &etag);
    // Private: access depends on who asks. The bytes of an id never change, so browsers may
    // keep them; access is checked again when they revalidate.
    set(header::CACHE_CONTROL, "private, max-age=3600");
    set(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    );
    Ok(response)
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_percent_encoded_for_content_disposition() {
        assert_eq!(
            super::percent_encode("доклад 1.pdf"),
            "%D0%B4%D0%BE%D0%BA%D0%BB%D0%B0%D0%B4%201.pdf"
        );
    }
}
