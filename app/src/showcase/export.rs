//! `GET /p/{id}/export.zip`: a published project as a self-contained static archive for the
//! pupil's portfolio and the school's archive: `index.html` (the passport, every page, the list
//! of sources, with its own small stylesheet and no script) and the images the pages show under
//! `files/`, linked relatively, so that it opens from a disk or a USB stick without a server.
//! For signed-in readers of the publication; everyone else gets 404.

use std::io::Write as _;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::api::ssr::view_of;
use super::db;
use super::feeds::escape;
use super::{Audience, PublicationView};
use crate::accounts::policy::{may, Action, PublicationAccess};
use crate::accounts::session;
use crate::error::AppError;
use crate::files::media::FileType;
use crate::i18n::{td_string, Locale};
use crate::projects::api::ssr::access;
use crate::state::AppState;

/// The handler.
pub async fn project_zip(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match archive(&state, &id, &headers).await {
        Ok(bytes) => {
            let mut response = bytes.into_response();
            let h = response.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip"),
            );
            if let Ok(value) =
                HeaderValue::from_str(&format!("attachment; filename=\"project-{id}.zip\""))
            {
                h.insert(header::CONTENT_DISPOSITION, value);
            }
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            response
        }
        Err(AppError::Internal) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        // Whether a project is published is not told to those who may not read it.
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn archive(state: &AppState, id: &str, headers: &HeaderMap) -> Result<Vec<u8>, AppError> {
    let pool = &state.pool;
    let user = match session::token_from_headers(headers) {
        Some(token) => session::user_for_token(pool, &token).await?,
        None => None,
    };
    let user = user.ok_or(AppError::Unauthorized)?;
    let project = crate::projects::db::find_project(pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = db::live_publication(pool, &project.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let audience = Audience::parse(&row.audience).ok_or(AppError::NotFound)?;
    let people = crate::projects::db::project_people(pool, &project.id).await?;
    if !may(
        Some(&user),
        Action::ReadPublication(PublicationAccess {
            project: access(&project, &people),
            audience,
            live: row.unpublished_at.is_none(),
        }),
    ) {
        return Err(AppError::NotFound);
    }
    let mut view = view_of(
        pool,
        &state.settings.public_url,
        &row,
        &project,
        audience,
        false,
    )
    .await?;
    // The snapshot's images that its pages show, renamed `files/{id}.{type}`.
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (file_id, _) in crate::review::db::snapshot_files(pool, &row.submission_id).await? {
        let reference = format!("/files/{file_id}");
        if !view
            .pages
            .iter()
            .any(|p| p.html.as_str().contains(&reference))
        {
            continue;
        }
        let Some(file) = crate::projects::db::find_file(pool, &file_id).await? else {
            continue;
        };
        let Some(kind) = FileType::parse(&file.file_type).filter(|t| t.is_image()) else {
            continue;
        };
        let Some((_, bytes)) =
            crate::projects::db::file_content(pool, &file_id, "original").await?
        else {
            continue;
        };
        let local = format!("files/{file_id}.{}", kind.as_str());
        for page in &mut view.pages {
            let html = page
                .html
                .as_str()
                .replace(&format!("\"{reference}/thumb\""), &format!("\"{local}\""))
                .replace(&format!("\"{reference}\""), &format!("\"{local}\""));
            page.html = crate::markdown::SafeHtml::from_stored(html);
        }
        files.push((local, bytes));
    }
    let index = index_html(&view);
    tokio::task::spawn_blocking(move || write_zip(&index, &files))
        .await
        .map_err(|e| AppError::internal("writing a project's archive", e))?
}

fn write_zip(index: &str, files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, AppError> {
    let fail = |e: &dyn std::fmt::Display| AppError::internal("writing a project's archive", e);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    // Images are compressed already.
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("index.html", deflated)
        .map_err(|e| fail(&e))?;
    zip.write_all(index.as_bytes()).map_err(|e| fail(&e))?;
    for (name, bytes) in files {
        zip.start_file(name.as_str(), stored)
            .map_err(|e| fail(&e))?;
        zip.write_all(bytes).map_err(|e| fail(&e))?;
    }
    Ok(zip.finish().map_err(|e| fail(&e))?.into_inner())
}

/// The whole project on one page, in Russian (the school's language), readable offline.
fn index_html(p: &PublicationView) -> String {
    let l = Locale::ru;
    let mut out = String::new();
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        escape(&p.title),
        escape(&p.title)
    ));
    if !p.topic.is_empty() {
        out.push_str(&format!("<p class=\"lead\">{}</p>\n", escape(&p.topic)));
    }
    let mut members = p.members.join(", ");
    if p.anonymous_members > 0 {
        let more = crate::format::anonymous_members(l, p.anonymous_members);
        members = if members.is_empty() {
            more
        } else {
            format!("{members} {more}")
        };
    }
    out.push_str("<dl>\n");
    let mut fact = |label: &str, value: &str| {
        if !value.is_empty() {
            out.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>\n",
                escape(label),
                escape(value)
            ));
        }
    };
    fact(td_string!(l, showcase.school), &p.school.short_name);
    fact(
        td_string!(l, showcase.year),
        &crate::people::academic_year_label(p.academic_year),
    );
    fact(td_string!(l, projects.subject), &p.subject);
    fact(td_string!(l, showcase.members), &members);
    fact(
        td_string!(l, showcase.supervisors),
        &p.supervisors.join(", "),
    );
    fact(
        td_string!(l, showcase.published),
        &crate::format::format_date_time(l, p.published_at),
    );
    out.push_str("</dl>\n");
    out.push_str(&format!(
        "<section>\n<h2>{}</h2>\n<dl>\n",
        escape(td_string!(l, projects.passport))
    ));
    for (label, text) in [
        (td_string!(l, projects.relevance), &p.passport.relevance),
        (td_string!(l, projects.goal), &p.passport.goal),
        (td_string!(l, projects.tasks), &p.passport.tasks),
        (td_string!(l, projects.hypothesis), &p.passport.hypothesis),
        (td_string!(l, projects.product), &p.passport.product),
    ] {
        if !text.trim().is_empty() {
            out.push_str(&format!(
                "<dt>{}</dt><dd class=\"prewrap\">{}</dd>\n",
                escape(label),
                escape(text)
            ));
        }
    }
    out.push_str("</dl>\n</section>\n");
    for page in &p.pages {
        // The page's HTML is the sanitised HTML stored when it was saved.
        out.push_str(&format!(
            "<section>\n<h2 id=\"page-{}\">{}</h2>\n<div class=\"markdown\">{}</div>\n</section>\n",
            escape(&page.slug),
            escape(&page.title),
            page.html.as_str()
        ));
    }
    if !p.sources.is_empty() {
        out.push_str(&format!(
            "<section>\n<h2>{}</h2>\n<ol>\n",
            escape(td_string!(l, showcase.sources))
        ));
        for s in &p.sources {
            out.push_str(&format!("<li>{}</li>\n", escape(s)));
        }
        out.push_str("</ol>\n</section>\n");
    }
    out.push_str(&format!(
        "<p class=\"source\">{} {}</p>\n</main>\n</body>\n</html>\n",
        escape(td_string!(l, showcase.exported_from)),
        escape(&format!("{}/p/{}", p.site_url, p.project_id))
    ));
    out
}

const STYLE: &str = "body{font:18px/1.5 Georgia,serif;margin:0;color:#111;background:#fff}\
main{max-width:46rem;margin:0 auto;padding:1rem}img{max-width:100%;height:auto}\
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.25rem .5rem}\
dt{font-weight:bold}.lead{font-size:1.2rem}.prewrap{white-space:pre-wrap}.source{color:#444}\
@media print{main{max-width:none}}";
