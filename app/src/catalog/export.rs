//! `GET /manage/{slug}/catalog.csv`: the school's catalogue in the CSV template, with its copies,
//! in the catalogue's order, for the school's librarians, the coordinator and administrators
//! (anyone else gets 404, like the pages they cannot see). The file imports again as it is: into
//! the same school it updates every record (each row carries the record's id), into another it
//! copies the fund.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::csv::{self, CsvCopy, CsvEntry};
use super::db;
use super::RecordKind;
use crate::accounts::session;
use crate::error::AppError;
use crate::state::AppState;

/// The handler.
pub async fn catalog_csv(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    match load(&state, &slug, &headers).await {
        Ok(bytes) => attachment(bytes, &slug),
        // Whether a school's catalogue exists is not told to those who may not export it.
        Err(AppError::Unauthorized | AppError::Forbidden | AppError::NotFound) => {
            StatusCode::NOT_FOUND.into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn load(state: &AppState, slug: &str, headers: &HeaderMap) -> Result<Vec<u8>, AppError> {
    let pool = &state.pool;
    let user = match session::token_from_headers(headers) {
        Some(token) => session::user_for_token(pool, &token).await?,
        None => None,
    };
    let user = user.ok_or(AppError::Unauthorized)?;
    let fund = super::api::ssr::managed_fund(pool, &user, slug).await?;
    let mut copies: HashMap<String, Vec<CsvCopy>> = HashMap::new();
    for c in db::list_school_copies(pool, fund.id()).await? {
        copies.entry(c.record_id).or_default().push(CsvCopy {
            inventory_number: c.inventory_number,
            shelf_mark: c.shelf_mark,
            available: c.available,
        });
    }
    let entries: Vec<CsvEntry> = db::list_school_records(pool, fund.id())
        .await?
        .into_iter()
        .map(|r| {
            let record = serde_json::from_str(&r.data).unwrap_or_default();
            CsvEntry {
                // A kind the app does not know (never written) reads as «other».
                kind: RecordKind::parse(&r.kind).unwrap_or(RecordKind::Other),
                copies: copies.remove(&r.id).unwrap_or_default(),
                id: r.source_id.unwrap_or(r.id),
                record,
            }
        })
        .collect();
    csv::write(&entries).map_err(|e| AppError::internal("writing the catalogue's CSV", e))
}

/// `catalog-sosh-1.csv`: the slug is Latin letters, digits and hyphens.
fn attachment(bytes: Vec<u8>, slug: &str) -> Response {
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) =
        HeaderValue::from_str(&format!("attachment; filename=\"catalog-{slug}.csv\""))
    {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}
