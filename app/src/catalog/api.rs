//! Server functions of the catalogue: the import from a file (the school's librarians and the
//! district office), the search and record pages (public, like any library catalogue).

use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};

use super::{CatalogAdmin, ImportView, RecordView, SearchResults};
use crate::error::AppError;

/// A school's catalogue for its librarian.
#[server]
pub async fn load_catalog_admin(slug: String) -> Result<CatalogAdmin, AppError> {
    let school = ssr::catalog_manager(&slug).await?;
    ssr::load_catalog_admin(school).await
}

/// Imports a catalogue file (fields `slug`, then `file`); goes to the import's report.
#[server(input = MultipartFormData)]
pub async fn import_catalog(data: MultipartData) -> Result<(), AppError> {
    // The school is named before the file: the policy is asked before the file is read.
    ssr::import_catalog(data).await
}

/// The report of one import.
#[server]
pub async fn load_catalog_import(slug: String, id: String) -> Result<ImportView, AppError> {
    let school = ssr::catalog_manager(&slug).await?;
    ssr::load_catalog_import(school, id).await
}

/// Searches the catalogue: words of the title, authors, subjects or an ISBN, in any form.
#[server]
pub async fn search_catalog(
    q: String,
    school: String,
    kind: String,
    page: i64,
) -> Result<SearchResults, AppError> {
    ssr::search_catalog(q, school, kind, page).await
}

/// A record with its description by ГОСТ Р 7.0.100-2018.
#[server]
pub async fn load_record(id: String) -> Result<RecordView, AppError> {
    ssr::load_record(id).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use chrono::{DateTime, NaiveDateTime};
    use server_fn::codec::MultipartData;

    use super::super::import::{import_file, ImportError};
    use super::super::{
        db, search, CatalogAdmin, FoundRecord, ImportSummary, ImportView, RecordKind, RecordView,
        SearchResults, Skipped, MAX_IMPORT_BYTES, RESULTS_PER_PAGE,
    };
    use crate::accounts::api::ssr::signed_in_user;
    use crate::accounts::policy::{may, Action};
    use crate::error::{AppError, FieldError, FieldProblem};
    use crate::people::db::{all_schools, audit, find_school, SchoolKey};
    use crate::people::SchoolRef;
    use crate::state::app_state;

    fn invalid(field: &str, problem: FieldProblem) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, problem)])
    }

    fn parse_time(stamp: &str) -> NaiveDateTime {
        DateTime::parse_from_rfc3339(stamp)
            .map(|t| t.with_timezone(&chrono_tz::Asia::Vladivostok).naive_local())
            .unwrap_or_default()
    }

    fn school_ref(school: &SchoolKey) -> SchoolRef {
        SchoolRef {
            slug: school.slug.clone(),
            short_name: school.short_name.clone(),
        }
    }

    pub async fn catalog_manager(slug: &str) -> Result<SchoolKey, AppError> {
        let user = signed_in_user().await?.ok_or(AppError::Unauthorized)?;
        let state = app_state()?;
        let school = find_school(&state.pool, slug)
            .await?
            .ok_or(AppError::NotFound)?;
        if !may(
            Some(&user),
            Action::ManageCatalog {
                school_id: &school.id,
            },
        ) {
            return Err(AppError::Forbidden);
        }
        Ok(school)
    }

    fn summary(row: &db::ImportRow) -> ImportSummary {
        ImportSummary {
            id: row.id.clone(),
            file_name: row.file_name.clone(),
            at: parse_time(&row.created_at),
            created: row.created,
            updated: row.updated,
            skipped: row.skipped,
        }
    }

    pub async fn load_catalog_admin(school: SchoolKey) -> Result<CatalogAdmin, AppError> {
        let state = app_state()?;
        Ok(CatalogAdmin {
            by_kind: db::count_by_kind(&state.pool, &school.id)
                .await?
                .into_iter()
                .filter_map(|(k, n)| Some((RecordKind::parse(&k)?, n)))
                .collect(),
            imports: db::list_imports(&state.pool, &school.id)
                .await?
                .iter()
                .map(summary)
                .collect(),
            school: school_ref(&school),
        })
    }

    pub async fn load_catalog_import(
        school: SchoolKey,
        id: String,
    ) -> Result<ImportView, AppError> {
        let state = app_state()?;
        let row = db::find_import(&state.pool, &school.id, &id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(ImportView {
            school: school_ref(&school),
            summary: summary(&row),
            skipped: serde_json::from_str::<Vec<Skipped>>(&row.report).unwrap_or_default(),
        })
    }

    pub async fn import_catalog(data: MultipartData) -> Result<(), AppError> {
        let user = signed_in_user().await?.ok_or(AppError::Unauthorized)?;
        let mut multipart = data.into_inner().ok_or(AppError::BadRequest)?;
        let mut school: Option<SchoolKey> = None;
        let mut name = String::new();
        let mut bytes: Vec<u8> = Vec::new();
        while let Some(mut part) = multipart
            .next_field()
            .await
            .map_err(|_| AppError::BadRequest)?
        {
            match part.name().unwrap_or_default() {
                "slug" => {
                    let slug = part.text().await.map_err(|_| AppError::BadRequest)?;
                    school = Some(catalog_manager(slug.trim()).await?);
                }
                "file" => {
                    if school.is_none() {
                        return Err(AppError::BadRequest);
                    }
                    name = part
                        .file_name()
                        .map(|n| n.chars().take(200).collect())
                        .unwrap_or_default();
                    while let Some(chunk) = part.chunk().await.map_err(|_| AppError::BadRequest)? {
                        if bytes.len() + chunk.len() > MAX_IMPORT_BYTES {
                            return Err(invalid(
                                "file",
                                FieldProblem::FileTooLarge {
                                    max_kib: MAX_IMPORT_BYTES / 1024,
                                },
                            ));
                        }
                        bytes.extend_from_slice(&chunk);
                    }
                }
                _ => {}
            }
        }
        let school = school.ok_or(AppError::BadRequest)?;
        if bytes.is_empty() {
            return Err(invalid("file", FieldProblem::Required));
        }
        let state = app_state()?;
        let (report, id) = import_file(
            &state.pool,
            &school.id,
            &name,
            Some(&user.id),
            &bytes,
            |_, _| {},
        )
        .await
        .map_err(|e| match e {
            ImportError::Empty => invalid("file", FieldProblem::Required),
            ImportError::NotMarc => invalid("file", FieldProblem::NotACatalogue),
            ImportError::Database(e) => AppError::from(e),
        })?;
        audit(
            &state.pool,
            &user.id,
            "import_catalog",
            Some(&id),
            &school.id,
            &format!(
                "{name}: {} + {} ~ {} −",
                report.created,
                report.updated,
                report.skipped.len()
            ),
        )
        .await?;
        leptos_axum::redirect(&format!("/manage/{}/catalog/imports/{id}", school.slug));
        Ok(())
    }

    pub async fn search_catalog(
        q: String,
        school: String,
        kind: String,
        page: i64,
    ) -> Result<SearchResults, AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        let schools = all_schools(pool).await?;
        let school_id = schools
            .iter()
            .find(|s| s.slug == school)
            .map(|s| s.id.clone());
        let kind_filter = RecordKind::parse(&kind);
        let query: String = q.chars().take(200).collect();
        let terms: Vec<String> = search::terms(&query).into_iter().take(8).collect();
        let page = page.clamp(1, 1000);
        let rows = db::search(
            pool,
            school_id.as_deref(),
            kind_filter.map(RecordKind::as_str),
            &terms,
            RESULTS_PER_PAGE + 1,
            (page - 1) * RESULTS_PER_PAGE,
        )
        .await?;
        let has_more = rows.len() as i64 > RESULTS_PER_PAGE;
        Ok(SearchResults {
            query,
            school: if school_id.is_some() {
                school
            } else {
                String::new()
            },
            kind: kind_filter
                .map(|k| k.as_str().to_owned())
                .unwrap_or_default(),
            page,
            has_more,
            records: rows
                .into_iter()
                .take(RESULTS_PER_PAGE as usize)
                .filter_map(|r| {
                    Some(FoundRecord {
                        kind: RecordKind::parse(&r.kind)?,
                        id: r.id,
                        title: r.title,
                        authors: r.authors,
                        year: r.year,
                        description: r.description,
                        school: r.school,
                    })
                })
                .collect(),
            schools: schools.iter().map(school_ref).collect(),
        })
    }

    pub async fn load_record(id: String) -> Result<RecordView, AppError> {
        let state = app_state()?;
        let row = db::find_record(&state.pool, &id)
            .await?
            .ok_or(AppError::NotFound)?;
        let data: Option<catalog::marc::CatalogRecord> = serde_json::from_str(&row.data).ok();
        Ok(RecordView {
            kind: RecordKind::parse(&row.kind).ok_or(AppError::Internal)?,
            subjects: data
                .as_ref()
                .map(|d| d.subjects.clone())
                .unwrap_or_default(),
            annotation: data.and_then(|d| d.annotation),
            id: row.id,
            description: row.description,
            title: row.title,
            authors: row.authors,
            year: row.year,
            isbn: row.isbn,
            age_rating: row.age_rating,
            url: row.url,
            school: row.school,
        })
    }
}
