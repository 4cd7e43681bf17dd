//! Server functions of the catalogue: the import from a file (the school's librarians and the
//! district office), the search and record pages (public, like any library catalogue).

// A server function takes one argument per form field (a hand-entered source has sixteen).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};

use super::{CatalogAdmin, ImportView, RecordForm, RecordView, SearchResults, SourcesView};
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
    available: String,
    age: String,
    page: i64,
) -> Result<SearchResults, AppError> {
    ssr::search_catalog(q, school, kind, available, age, page).await
}

/// A record with its description by ГОСТ Р 7.0.100-2018.
#[server]
pub async fn load_record(id: String) -> Result<RecordView, AppError> {
    ssr::load_record(id).await
}

/// Adds a copy of a printed book to the fund (the school's catalogue managers).
#[server]
pub async fn add_copy(
    record_id: String,
    inventory_number: String,
    shelf_mark: String,
) -> Result<(), AppError> {
    let record = ssr::record_manager(&record_id).await?;
    ssr::add_copy(record, inventory_number, shelf_mark).await
}

/// Marks a copy on the shelf (`available` = "true") or out (anything else).
#[server]
pub async fn set_copy_available(
    record_id: String,
    copy_id: String,
    available: String,
) -> Result<(), AppError> {
    let record = ssr::record_manager(&record_id).await?;
    ssr::set_copy_available(record, copy_id, available == "true").await
}

/// Removes a copy (written off).
#[server]
pub async fn remove_copy(record_id: String, copy_id: String) -> Result<(), AppError> {
    let record = ssr::record_manager(&record_id).await?;
    ssr::remove_copy(record, copy_id).await
}

/// Merges the duplicate `duplicate_id` into `record_id` (both of one school).
#[server]
pub async fn merge_records(record_id: String, duplicate_id: String) -> Result<(), AppError> {
    let record = ssr::record_manager(&record_id).await?;
    ssr::merge_records(record, duplicate_id).await
}

/// The librarian's form for a record: `record_id` "new" for a new one.
#[server]
pub async fn load_record_form(slug: String, record_id: String) -> Result<RecordForm, AppError> {
    let school = ssr::catalog_manager(&slug).await?;
    ssr::load_record_form(school, record_id).await
}

/// Saves a record entered or corrected by hand (`record_id` "new" for a new one).
#[server]
pub async fn save_catalog_record(
    slug: String,
    record_id: String,
    kind: String,
    authors: String,
    title: String,
    other_title: String,
    responsibility: String,
    edition: String,
    place: String,
    publisher: String,
    year: String,
    extent: String,
    series: String,
    isbn: String,
    host_title: String,
    host_issue: String,
    host_pages: String,
    url: String,
    age_rating: String,
    subjects: String,
    annotation: String,
    #[server(default)] access: String,
) -> Result<(), AppError> {
    let school = ssr::catalog_manager(&slug).await?;
    let form = ssr::OwnSource {
        kind,
        authors,
        title,
        other_title,
        responsibility,
        edition,
        place,
        publisher,
        year,
        extent,
        isbn,
        host_title,
        host_issue,
        host_pages,
        url,
        series,
        age_rating,
        subjects,
        annotation,
        access,
        access_date: String::new(),
    };
    ssr::save_catalog_record(school, record_id, form).await
}

/// Sets the least number of sources the school asks of a project.
#[server]
pub async fn set_min_sources(slug: String, min_sources: String) -> Result<(), AppError> {
    let school = ssr::catalog_manager(&slug).await?;
    ssr::set_min_sources(school, min_sources).await
}

/// A project's list of sources, and the catalogue records found for `q` to add to it.
#[server]
pub async fn load_sources(project_id: String, q: String) -> Result<SourcesView, AppError> {
    let project = crate::projects::api::ssr::reader_of(&project_id).await?;
    ssr::load_sources(project, q).await
}

/// Adds a record of the catalogue to a project's sources (members and staff).
#[server]
pub async fn add_catalog_source(project_id: String, record_id: String) -> Result<(), AppError> {
    let project = crate::projects::api::ssr::writer_of(&project_id).await?;
    ssr::add_catalog_source(project, record_id).await
}

/// Adds a source the library lacks, described field by field (members and staff).
#[server]
pub async fn add_own_source(
    project_id: String,
    kind: String,
    authors: String,
    title: String,
    other_title: String,
    responsibility: String,
    edition: String,
    place: String,
    publisher: String,
    year: String,
    extent: String,
    isbn: String,
    host_title: String,
    host_issue: String,
    host_pages: String,
    url: String,
    access_date: String,
    #[server(default)] access: String,
) -> Result<(), AppError> {
    let project = crate::projects::api::ssr::writer_of(&project_id).await?;
    let form = ssr::OwnSource {
        kind,
        authors,
        title,
        other_title,
        responsibility,
        edition,
        place,
        publisher,
        year,
        extent,
        isbn,
        host_title,
        host_issue,
        host_pages,
        url,
        access_date,
        access,
        ..Default::default()
    };
    ssr::add_own_source(project, form).await
}

/// Removes a source from a project's list (members and staff).
#[server]
pub async fn remove_source(project_id: String, source_id: String) -> Result<(), AppError> {
    let project = crate::projects::api::ssr::writer_of(&project_id).await?;
    ssr::remove_source(project, source_id).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use server_fn::codec::MultipartData;

    use super::super::gost::{self, AccessDate, Source, SourceKind};
    use super::super::import::{import_file, ImportError};
    use super::super::marc::{CatalogRecord, HostItem, Isbn, Person};
    use super::super::{
        db, search, CatalogAdmin, CitingProject, CopyView, FoundRecord, Holding, ImportSummary,
        ImportView, RecordFields, RecordForm, RecordKind, RecordView, SearchResults, Skipped,
        SourceItem, SourcesView, DISTRICT_FUND, MAX_IMPORT_BYTES, RESULTS_PER_PAGE,
    };
    use crate::accounts::api::ssr::signed_in_user;
    use crate::accounts::policy::{may, Action};
    use crate::accounts::Role;
    use crate::error::{AppError, FieldError, FieldProblem};
    use crate::people::db::{all_schools, audit, find_school, SchoolKey};
    use crate::people::SchoolRef;
    use crate::projects::api::ssr::{invalid, parse_time, Acting};
    use crate::review::api::ssr::today;
    use crate::state::app_state;
    use chrono::Datelike;

    fn school_ref(school: &SchoolKey) -> SchoolRef {
        SchoolRef {
            slug: school.slug.clone(),
            short_name: school.short_name.clone(),
        }
    }

    /// A catalogue someone manages: a school's fund, or (`id` none, address name
    /// [`DISTRICT_FUND`]) the district's e-resources shared by every school.
    pub struct Fund {
        pub id: Option<String>,
        pub slug: String,
        pub short_name: String,
    }

    impl Fund {
        pub fn id(&self) -> Option<&str> {
            self.id.as_deref()
        }

        /// The school an audit entry names (none for the district's fund).
        fn audit_school(&self) -> &str {
            self.id().unwrap_or_default()
        }

        fn school_ref(&self) -> SchoolRef {
            SchoolRef {
                slug: self.slug.clone(),
                short_name: self.short_name.clone(),
            }
        }
    }

    /// The fund with address name `slug`, if `user` manages it.
    pub async fn managed_fund(
        pool: &crate::db::Pool,
        user: &crate::accounts::CurrentUser,
        slug: &str,
    ) -> Result<Fund, AppError> {
        if slug == DISTRICT_FUND {
            return if may(Some(user), Action::ManageDistrictCatalog) {
                Ok(Fund {
                    id: None,
                    slug: DISTRICT_FUND.to_owned(),
                    short_name: String::new(),
                })
            } else {
                Err(AppError::Forbidden)
            };
        }
        let school = find_school(pool, slug).await?.ok_or(AppError::NotFound)?;
        if !may(
            Some(user),
            Action::ManageCatalog {
                school_id: &school.id,
            },
        ) {
            return Err(AppError::Forbidden);
        }
        Ok(Fund {
            id: Some(school.id),
            slug: school.slug,
            short_name: school.short_name,
        })
    }

    pub async fn catalog_manager(slug: &str) -> Result<Fund, AppError> {
        let user = signed_in_user().await?.ok_or(AppError::Unauthorized)?;
        let state = app_state()?;
        managed_fund(&state.pool, &user, slug).await
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

    pub async fn load_catalog_admin(school: Fund) -> Result<CatalogAdmin, AppError> {
        let state = app_state()?;
        Ok(CatalogAdmin {
            min_sources: match school.id() {
                Some(id) => db::min_sources(&state.pool, id).await?,
                None => 0,
            },
            by_kind: db::count_by_kind(&state.pool, school.id())
                .await?
                .into_iter()
                .filter_map(|(k, n)| Some((RecordKind::parse(&k)?, n)))
                .collect(),
            imports: db::list_imports(&state.pool, school.id())
                .await?
                .iter()
                .map(summary)
                .collect(),
            school: school.school_ref(),
        })
    }

    pub async fn load_catalog_import(school: Fund, id: String) -> Result<ImportView, AppError> {
        let state = app_state()?;
        let row = db::find_import(&state.pool, school.id(), &id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(ImportView {
            school: school.school_ref(),
            summary: summary(&row),
            skipped: serde_json::from_str::<Vec<Skipped>>(&row.report).unwrap_or_default(),
        })
    }

    pub async fn import_catalog(data: MultipartData) -> Result<(), AppError> {
        let user = signed_in_user().await?.ok_or(AppError::Unauthorized)?;
        let mut multipart = data.into_inner().ok_or(AppError::BadRequest)?;
        let mut school: Option<Fund> = None;
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
            school.id(),
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
            school.audit_school(),
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
        available: String,
        age: String,
        page: i64,
    ) -> Result<SearchResults, AppError> {
        let available = !available.is_empty();
        let age = age
            .parse::<u8>()
            .ok()
            .filter(|a| [0, 6, 12, 16, 18].contains(a));
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
            db::Filter {
                school_id: school_id.as_deref(),
                kind: kind_filter.map(RecordKind::as_str),
                available,
                max_age: age,
            },
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
            available,
            age,
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
        let data: Option<super::super::marc::CatalogRecord> = serde_json::from_str(&row.data).ok();
        let user = signed_in_user().await?;
        let may_manage = match (&user, &row.school_id) {
            (Some(user), Some(school_id)) => may(Some(user), Action::ManageCatalog { school_id }),
            _ => false,
        };
        let may_edit = may_manage
            || (row.school_id.is_none() && may(user.as_ref(), Action::ManageDistrictCatalog));
        let pool = &state.pool;
        let holdings: Vec<Holding> = db::holdings(pool, &row.id, row.isbn.as_deref())
            .await?
            .into_iter()
            .map(|h| Holding {
                school: h.school,
                record_id: h.record_id,
                copies: h.copies,
                available: h.available,
            })
            .collect();
        let mut same_book: Vec<String> = holdings.iter().map(|h| h.record_id.clone()).collect();
        if !same_book.contains(&row.id) {
            same_book.push(row.id.clone());
        }
        let citing_rows = db::citing_projects(pool, &same_book).await?;
        // Staff see their schools' projects as they are.
        let sees = |school_id: &str| {
            user.as_ref().is_some_and(|u| {
                u.roles.iter().any(|g| {
                    matches!(g.role, Role::Admin | Role::Coordinator)
                        || (matches!(g.role, Role::Librarian | Role::Supervisor)
                            && g.school_id.as_deref() == Some(school_id))
                })
            })
        };
        // Everyone else sees the projects published to the public, under their published title.
        let unseen: Vec<String> = citing_rows
            .iter()
            .filter(|p| !sees(&p.school_id))
            .map(|p| p.id.clone())
            .collect();
        let public = crate::showcase::db::public_among(pool, &unseen).await?;
        let citing = citing_rows
            .iter()
            .filter_map(|p| {
                if sees(&p.school_id) {
                    return Some(CitingProject {
                        id: p.id.clone(),
                        title: p.title.clone(),
                        school: p.school.clone(),
                        published: false,
                    });
                }
                let (_, title) = public.iter().find(|(id, _)| *id == p.id)?;
                Some(CitingProject {
                    id: p.id.clone(),
                    title: title.clone(),
                    school: p.school.clone(),
                    published: true,
                })
            })
            .collect();
        let copies = db::list_copies(pool, &row.id)
            .await?
            .into_iter()
            .map(|c| CopyView {
                id: c.id,
                inventory_number: c.inventory_number,
                shelf_mark: c.shelf_mark,
                available: c.available,
            })
            .collect();
        let duplicates = if may_manage {
            db::duplicates_of(pool, &row.id)
                .await?
                .into_iter()
                .filter_map(found)
                .collect()
        } else {
            Vec::new()
        };
        let kind = RecordKind::parse(&row.kind).ok_or(AppError::Internal)?;
        let access = kind
            .is_online()
            .then(|| {
                data.as_ref()
                    .and_then(|d| d.access_mode)
                    .or(gost::AccessMode::usual_for(gost_kind(kind)))
            })
            .flatten()
            .map(|m| m.as_str().to_owned());
        Ok(RecordView {
            kind,
            access,
            copies,
            holdings,
            cited_by: citing_rows.len() as i64,
            citing,
            may_manage,
            duplicates,
            may_edit,
            school_slug: if row.school_id.is_none() {
                Some(DISTRICT_FUND.to_owned())
            } else {
                row.school_slug.clone()
            },
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

    fn found(r: db::FoundRow) -> Option<FoundRecord> {
        Some(FoundRecord {
            kind: RecordKind::parse(&r.kind)?,
            id: r.id,
            title: r.title,
            authors: r.authors,
            year: r.year,
            description: r.description,
            school: r.school,
        })
    }

    /// A record of a school's fund, and the user who manages that school's catalogue.
    pub struct Managed {
        pub user: crate::accounts::CurrentUser,
        pub record: db::RecordFull,
        pub school_id: String,
    }

    /// The record, when the signed-in user manages its school's catalogue (the district's
    /// shared records are not edited here).
    pub async fn record_manager(record_id: &str) -> Result<Managed, AppError> {
        let user = signed_in_user().await?.ok_or(AppError::Unauthorized)?;
        let state = app_state()?;
        let record = db::find_record(&state.pool, record_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let school_id = record.school_id.clone().ok_or(AppError::NotFound)?;
        if !may(
            Some(&user),
            Action::ManageCatalog {
                school_id: &school_id,
            },
        ) {
            return Err(AppError::Forbidden);
        }
        Ok(Managed {
            user,
            record,
            school_id,
        })
    }

    fn record_path(id: &str) -> String {
        format!("/catalog/{id}")
    }

    pub async fn add_copy(
        m: Managed,
        inventory_number: String,
        shelf_mark: String,
    ) -> Result<(), AppError> {
        let number = opt(&inventory_number).unwrap_or_default();
        let shelf = opt(&shelf_mark).unwrap_or_default();
        let mut problems = Vec::new();
        if number.is_empty() {
            problems.push(FieldError::new("inventory_number", FieldProblem::Required));
        } else if number.chars().count() > 50 {
            problems.push(FieldError::new(
                "inventory_number",
                FieldProblem::TooLong { max: 50 },
            ));
        }
        if shelf.chars().count() > 100 {
            problems.push(FieldError::new(
                "shelf_mark",
                FieldProblem::TooLong { max: 100 },
            ));
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let state = app_state()?;
        let mut tx = crate::db::begin_write(&state.pool).await?;
        if !db::insert_copy(&mut tx, &m.record.id, &number, &shelf).await? {
            return Err(invalid("inventory_number", FieldProblem::Taken));
        }
        audit(
            &mut *tx,
            &m.user.id,
            "catalog.copy_added",
            Some(&m.record.id),
            &m.school_id,
            &format!("{number} · {}", m.record.title),
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&record_path(&m.record.id));
        Ok(())
    }

    pub async fn set_copy_available(
        m: Managed,
        copy_id: String,
        available: bool,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let mut tx = crate::db::begin_write(&state.pool).await?;
        if db::set_copy_available(&mut tx, &m.record.id, &copy_id, available).await? != 1 {
            return Err(AppError::NotFound);
        }
        tx.commit().await?;
        leptos_axum::redirect(&record_path(&m.record.id));
        Ok(())
    }

    pub async fn remove_copy(m: Managed, copy_id: String) -> Result<(), AppError> {
        let state = app_state()?;
        let mut tx = crate::db::begin_write(&state.pool).await?;
        if db::delete_copy(&mut tx, &m.record.id, &copy_id).await? != 1 {
            return Err(AppError::NotFound);
        }
        audit(
            &mut *tx,
            &m.user.id,
            "catalog.copy_removed",
            Some(&m.record.id),
            &m.school_id,
            &m.record.title,
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&record_path(&m.record.id));
        Ok(())
    }

    pub async fn merge_records(m: Managed, duplicate_id: String) -> Result<(), AppError> {
        let state = app_state()?;
        let duplicate = db::find_record(&state.pool, duplicate_id.trim())
            .await?
            .filter(|d| d.school_id.as_deref() == Some(m.school_id.as_str()) && d.id != m.record.id)
            .ok_or_else(|| invalid("duplicate_id", FieldProblem::Invalid))?;
        let mut tx = crate::db::begin_write(&state.pool).await?;
        db::merge_records(&mut tx, &m.record.id, &duplicate.id).await?;
        audit(
            &mut *tx,
            &m.user.id,
            "catalog.merged",
            Some(&m.record.id),
            &m.school_id,
            &format!("{} ← {}", m.record.description, duplicate.description),
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&record_path(&m.record.id));
        Ok(())
    }

    pub async fn load_record_form(school: Fund, record_id: String) -> Result<RecordForm, AppError> {
        let state = app_state()?;
        let (record_id, fields) = if record_id == "new" {
            (
                None,
                RecordFields {
                    kind: RecordKind::PrintedBook.as_str().to_owned(),
                    ..RecordFields::default()
                },
            )
        } else {
            let row = db::find_record(&state.pool, &record_id)
                .await?
                .filter(|r| r.school_id.as_deref() == school.id())
                .ok_or(AppError::NotFound)?;
            let r: CatalogRecord = serde_json::from_str(&row.data).unwrap_or_default();
            let host = r.host.clone().unwrap_or_default();
            let fields = RecordFields {
                kind: row.kind.clone(),
                authors: r
                    .authors
                    .iter()
                    .map(|p| format!("{} {}", p.family, p.given).trim().to_owned())
                    .collect::<Vec<_>>()
                    .join("\n"),
                title: r.title.clone(),
                other_title: r.other_title.clone().unwrap_or_default(),
                responsibility: r.responsibility.clone().unwrap_or_default(),
                edition: r.edition.clone().unwrap_or_default(),
                place: r.places.join(" ; "),
                publisher: r.publishers.join(" ; "),
                year: r.year.map(|y| y.to_string()).unwrap_or_default(),
                extent: r.extent.clone().unwrap_or_default(),
                series: r.series.clone().unwrap_or_default(),
                isbn: r
                    .isbn
                    .first()
                    .map(|i| i.normalized.clone())
                    .unwrap_or_default(),
                host_title: if r.host.is_some() {
                    host.title
                } else {
                    String::new()
                },
                host_issue: host.issue.unwrap_or_default(),
                host_pages: host.pages.unwrap_or_default(),
                url: r.url.clone().unwrap_or_default(),
                access: r
                    .access_mode
                    .map(|m| m.as_str().to_owned())
                    .unwrap_or_default(),
                age_rating: r.age_rating.clone().unwrap_or_default(),
                subjects: r.subjects.join("\n"),
                annotation: r.annotation.clone().unwrap_or_default(),
            };
            (Some(row.id), fields)
        };
        Ok(RecordForm {
            school: school.school_ref(),
            record_id,
            fields,
        })
    }

    pub async fn save_catalog_record(
        school: Fund,
        record_id: String,
        f: OwnSource,
    ) -> Result<(), AppError> {
        let user = signed_in_user().await?.ok_or(AppError::Unauthorized)?;
        let state = app_state()?;
        let existing = if record_id == "new" {
            None
        } else {
            Some(
                db::find_record(&state.pool, &record_id)
                    .await?
                    .filter(|r| r.school_id.as_deref() == school.id())
                    .ok_or(AppError::NotFound)?,
            )
        };
        let base: CatalogRecord = existing
            .as_ref()
            .and_then(|r| serde_json::from_str(&r.data).ok())
            .unwrap_or_default();
        let (kind, record, _) = parse_source(&f, base, true)?;
        let mut source = Source::new(record.clone(), gost_kind(kind));
        source.access_date = None;
        let description = source.describe();
        let data = serde_json::to_string(&record).map_err(|_| AppError::Internal)?;
        let isbn = record.isbn.first().map(|i| i.normalized.clone());
        let authors = super::super::import::authors_line(&record);
        let row = db::RecordRow {
            school_id: school.id(),
            kind: kind.as_str(),
            source_id: None,
            isbn: isbn.as_deref(),
            title: &record.title,
            authors: &authors,
            year: record.year,
            age_rating: record.age_rating.as_deref(),
            url: record.url.as_deref(),
            data: &data,
            description: &description,
            sort_key: &super::super::import::sort_key(&description),
        };
        let mut tx = crate::db::begin_write(&state.pool).await?;
        let id = match &existing {
            Some(existing) => {
                db::update_record(&mut tx, &existing.id, &row).await?;
                existing.id.clone()
            }
            None => db::insert_record(&mut tx, &row).await?,
        };
        db::set_terms(&mut tx, &id, &super::super::import::record_terms(&record)).await?;
        audit(
            &mut *tx,
            &user.id,
            if existing.is_some() {
                "catalog.record_edited"
            } else {
                "catalog.record_added"
            },
            Some(&id),
            school.audit_school(),
            &description,
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&record_path(&id));
        Ok(())
    }

    pub async fn set_min_sources(school: Fund, min_sources: String) -> Result<(), AppError> {
        // The district's e-resources ask nothing of projects.
        let school_id = school.id().ok_or(AppError::NotFound)?;
        let min = match min_sources.trim().parse::<i64>() {
            Ok(n) if (0..=100).contains(&n) => n,
            _ => {
                return Err(invalid(
                    "min_sources",
                    FieldProblem::OutOfRange { min: 0, max: 100 },
                ))
            }
        };
        let user = signed_in_user().await?.ok_or(AppError::Unauthorized)?;
        let state = app_state()?;
        let mut tx = crate::db::begin_write(&state.pool).await?;
        db::set_min_sources(&mut tx, school_id, min).await?;
        audit(
            &mut *tx,
            &user.id,
            "catalog.min_sources",
            None,
            school_id,
            &min.to_string(),
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/{}/catalog", school.slug));
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // A project's sources

    fn gost_kind(kind: RecordKind) -> SourceKind {
        match kind {
            RecordKind::PrintedBook => SourceKind::PrintedBook,
            RecordKind::EBook => SourceKind::EBook,
            RecordKind::Neb => SourceKind::NebDocument,
            RecordKind::Lecta => SourceKind::LectaMaterial,
            RecordKind::Article => SourceKind::Article,
            RecordKind::Web => SourceKind::WebResource,
            RecordKind::Other => SourceKind::OtherMedia(gost::MediaContent::ElectronicText),
        }
    }

    fn access(date: chrono::NaiveDate) -> Option<AccessDate> {
        AccessDate::new(date.day() as u8, date.month() as u8, date.year() as u16)
    }

    /// Stores a source with its description and sort key.
    async fn store(
        project: &Acting,
        record: CatalogRecord,
        kind: RecordKind,
        record_id: Option<&str>,
        accessed: Option<chrono::NaiveDate>,
    ) -> Result<bool, AppError> {
        let mut source = Source::new(record.clone(), gost_kind(kind));
        source.access_date = accessed.and_then(access);
        let description = source.describe();
        let data = serde_json::to_string(&record).map_err(|_| AppError::Internal)?;
        let state = app_state()?;
        let mut tx = crate::db::begin_write(&state.pool).await?;
        let added = db::insert_source(
            &mut tx,
            &db::NewSource {
                project_id: &project.row.id,
                record_id,
                kind: kind.as_str(),
                data: &data,
                access_date: accessed
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .as_deref(),
                description: &description,
                sort_key: &super::super::import::sort_key(&description),
                added_by: &project.user.id,
                cite_key: &super::super::cite::base_key(&record),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(added)
    }

    pub async fn load_sources(project: Acting, q: String) -> Result<SourcesView, AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        let sources: Vec<SourceItem> = db::list_sources(pool, &project.row.id)
            .await?
            .into_iter()
            .map(|s| SourceItem {
                id: s.id,
                description: s.description,
                record_id: s.record_id,
                cite_key: s.cite_key,
            })
            .collect();
        let plain_text = sources
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{}. {}", i + 1, s.description))
            .collect::<Vec<_>>()
            .join("\n");
        let query: String = q.trim().chars().take(200).collect();
        let found = if query.is_empty() {
            Vec::new()
        } else {
            let terms: Vec<String> = search::terms(&query).into_iter().take(8).collect();
            let filter = db::Filter {
                school_id: Some(&project.row.school_id),
                ..db::Filter::default()
            };
            db::search(pool, filter, &terms, 20, 0)
                .await?
                .into_iter()
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
                .collect()
        };
        Ok(SourcesView {
            project_id: project.row.id.clone(),
            project_title: project.row.title.clone(),
            min_sources: db::min_sources(pool, &project.row.school_id).await?,
            sources,
            plain_text,
            query,
            found,
            may_edit: may(Some(&project.user), Action::EditProject(project.access())),
        })
    }

    pub async fn add_catalog_source(project: Acting, record_id: String) -> Result<(), AppError> {
        let state = app_state()?;
        let row = db::find_record(&state.pool, &record_id)
            .await?
            .ok_or(AppError::NotFound)?;
        // A record of this school's fund or of the district's e-resources.
        if row
            .school_id
            .as_ref()
            .is_some_and(|s| *s != project.row.school_id)
        {
            return Err(AppError::NotFound);
        }
        let record: CatalogRecord =
            serde_json::from_str(&row.data).map_err(|_| AppError::Internal)?;
        let kind = RecordKind::parse(&row.kind).ok_or(AppError::Internal)?;
        let accessed = kind.is_online().then(today);
        if !store(&project, record, kind, Some(&row.id), accessed).await? {
            return Err(AppError::Conflict);
        }
        leptos_axum::redirect(&format!("/projects/{}/sources", project.row.id));
        Ok(())
    }

    /// The fields of a source entered by hand.
    #[derive(Default)]
    pub struct OwnSource {
        /// The librarian's fields (a project's source leaves them empty).
        pub series: String,
        pub age_rating: String,
        pub subjects: String,
        pub annotation: String,
        pub kind: String,
        pub authors: String,
        pub title: String,
        pub other_title: String,
        pub responsibility: String,
        pub edition: String,
        pub place: String,
        pub publisher: String,
        pub year: String,
        pub extent: String,
        pub isbn: String,
        pub host_title: String,
        pub host_issue: String,
        pub host_pages: String,
        pub url: String,
        /// Who may open an online resource (`AccessMode` by name); empty for the kind's usual.
        pub access: String,
        pub access_date: String,
    }

    fn opt(s: &str) -> Option<String> {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        (!s.is_empty()).then_some(s)
    }

    /// «Фамилия Имя Отчество» or «Фамилия И. О.», one per line (or separated by `;`).
    fn people(text: &str) -> Vec<Person> {
        text.split(['\n', ';'])
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                let family = words.next()?.trim_end_matches(',').to_owned();
                Some(Person {
                    family,
                    given: words.collect::<Vec<_>>().join(" "),
                })
            })
            .collect()
    }

    pub async fn add_own_source(project: Acting, f: OwnSource) -> Result<(), AppError> {
        let (kind, record, accessed) = parse_source(&f, CatalogRecord::default(), false)?;
        store(&project, record, kind, None, accessed).await?;
        leptos_axum::redirect(&format!("/projects/{}/sources", project.row.id));
        Ok(())
    }

    /// A record from the fields of the form, over `base` (what an edited record had: fields the
    /// form does not show are kept); with `catalogue`, the librarian's fields too (series, age
    /// rating, subjects, annotation, and the kind «other»).
    fn parse_source(
        f: &OwnSource,
        base: CatalogRecord,
        catalogue: bool,
    ) -> Result<(RecordKind, CatalogRecord, Option<chrono::NaiveDate>), AppError> {
        let kind = RecordKind::parse(&f.kind)
            .filter(|k| catalogue || *k != RecordKind::Other)
            .ok_or_else(|| invalid("kind", FieldProblem::Invalid))?;
        let mut problems = Vec::new();
        let title = opt(&f.title).unwrap_or_default();
        if title.is_empty() {
            problems.push(FieldError::new("title", FieldProblem::Required));
        }
        let long = |field: &str, value: &str, problems: &mut Vec<FieldError>| {
            if value.chars().count() > 500 {
                problems.push(FieldError::new(field, FieldProblem::TooLong { max: 500 }));
            }
        };
        for (field, value) in [
            ("authors", &f.authors),
            ("title", &f.title),
            ("other_title", &f.other_title),
            ("responsibility", &f.responsibility),
            ("host_title", &f.host_title),
            ("url", &f.url),
        ] {
            long(field, value, &mut problems);
        }
        let year = match f.year.trim() {
            "" => None,
            y => match y.parse::<i32>() {
                Ok(y) if (1400..=today().year() + 1).contains(&y) => Some(y),
                _ => {
                    problems.push(FieldError::new(
                        "year",
                        FieldProblem::OutOfRange {
                            min: 1400,
                            max: (today().year() + 1) as usize,
                        },
                    ));
                    None
                }
            },
        };
        let isbn = match f.isbn.trim() {
            "" => None,
            text => match Isbn::parse(text).filter(Isbn::is_valid) {
                Some(isbn) => Some(isbn),
                None => {
                    problems.push(FieldError::new("isbn", FieldProblem::BadIsbn));
                    None
                }
            },
        };
        let url = opt(&f.url);
        if url
            .as_ref()
            .is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://")))
        {
            problems.push(FieldError::new("url", FieldProblem::Invalid));
        }
        if kind.is_online() && url.is_none() {
            problems.push(FieldError::new("url", FieldProblem::Required));
        }
        let accessed = if kind.is_online() {
            match f.access_date.trim() {
                "" => Some(today()),
                d => match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                    Ok(d) if d <= today() => Some(d),
                    Ok(_) => {
                        problems.push(FieldError::new("access_date", FieldProblem::FutureDate));
                        None
                    }
                    Err(_) => {
                        problems.push(FieldError::new("access_date", FieldProblem::BadDate));
                        None
                    }
                },
            }
        } else {
            None
        };
        let access_mode = match f.access.trim() {
            "" => None,
            name => match gost::AccessMode::parse(name) {
                // Only what is read online has an access mode.
                Some(mode) => kind.is_online().then_some(mode),
                None => {
                    problems.push(FieldError::new("access", FieldProblem::Invalid));
                    None
                }
            },
        };
        if kind == RecordKind::Article && opt(&f.host_title).is_none() {
            problems.push(FieldError::new("host_title", FieldProblem::Required));
        }
        let age_rating = opt(&f.age_rating);
        if age_rating
            .as_deref()
            .is_some_and(|a| !super::super::AGE_RATINGS.contains(&a))
        {
            problems.push(FieldError::new("age_rating", FieldProblem::Invalid));
        }
        for (field, value) in [("series", &f.series), ("subjects", &f.subjects)] {
            long(field, value, &mut problems);
        }
        if f.annotation.chars().count() > 5000 {
            problems.push(FieldError::new(
                "annotation",
                FieldProblem::TooLong { max: 5000 },
            ));
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let (series, age_rating, subjects, annotation) = if catalogue {
            (
                opt(&f.series),
                age_rating,
                f.subjects
                    .split([';', '\n'])
                    .filter_map(opt)
                    .collect::<Vec<_>>(),
                Some(f.annotation.trim().replace("\r\n", "\n")).filter(|a| !a.is_empty()),
            )
        } else {
            (
                base.series.clone(),
                base.age_rating.clone(),
                base.subjects.clone(),
                base.annotation.clone(),
            )
        };
        let record = CatalogRecord {
            series,
            age_rating,
            subjects,
            annotation,
            authors: people(&f.authors),
            title,
            other_title: opt(&f.other_title),
            responsibility: opt(&f.responsibility),
            edition: opt(&f.edition),
            places: opt(&f.place).into_iter().collect(),
            publishers: opt(&f.publisher).into_iter().collect(),
            date: year.map(|y| y.to_string()),
            year,
            extent: opt(&f.extent),
            isbn: isbn.into_iter().collect(),
            host: opt(&f.host_title).map(|title| HostItem {
                title,
                year,
                issue: opt(&f.host_issue),
                pages: opt(&f.host_pages),
                ..HostItem::default()
            }),
            url,
            access_mode,
            electronic: kind.is_online(),
            ..base
        };
        Ok((kind, record, accessed))
    }

    pub async fn remove_source(project: Acting, source_id: String) -> Result<(), AppError> {
        let state = app_state()?;
        // A source a page cites stays until the citation goes: removing it would leave the
        // page's next save with a citation to nothing.
        let key = db::list_sources(&state.pool, &project.row.id)
            .await?
            .into_iter()
            .find(|s| s.id == source_id)
            .ok_or(AppError::NotFound)?
            .cite_key;
        let only = [crate::markdown::Citable {
            key: &key,
            description: "",
        }];
        let citations = crate::markdown::Citations {
            sources: &only,
            heading: "",
        };
        for body in db::current_page_bodies(&state.pool, &project.row.id).await? {
            let rendered = crate::markdown::render_with(&body, &|_| None, Some(&citations));
            if rendered.html.as_str().contains("href=\"#cite-") {
                return Err(invalid("source_id", FieldProblem::CitedOnPage));
            }
        }
        let mut tx = crate::db::begin_write(&state.pool).await?;
        if db::delete_source(&mut tx, &project.row.id, &source_id).await? != 1 {
            return Err(AppError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }
}
