//! The report's server function. The same authorisation and figures serve the CSV export
//! ([`super::export`]), which reads the signed-in user from the request itself.

use leptos::prelude::*;

use super::CatalogReport;
use crate::error::AppError;

/// The report on a school's use of the library (`slug`), or the district's (`slug` empty), in
/// one academic year (`year`, its first calendar year) or all years (`year` empty).
#[server]
pub async fn load_catalog_report(slug: String, year: String) -> Result<CatalogReport, AppError> {
    let user = crate::accounts::api::ssr::signed_in_user().await?;
    let state = crate::state::app_state()?;
    let reader = ssr::authorise(&state.pool, user.as_ref(), slug.trim()).await?;
    let year = super::parse_year(&year).map_err(|_| AppError::BadRequest)?;
    ssr::build_report(&state.pool, &reader, year).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::super::db::{self, Scope};
    use super::super::{
        CatalogReport, CitedRecord, Medium, SchoolUsage, SourcesPerProject, YearUsage, TOP_CITED,
    };
    use crate::accounts::policy::{may, Action};
    use crate::accounts::CurrentUser;
    use crate::catalog::RecordKind;
    use crate::db::Pool;
    use crate::error::AppError;
    use crate::people::db::{all_schools, SchoolKey};
    use crate::people::{AcademicYear, SchoolRef};

    /// Who reads a report, and about what.
    pub struct Reader {
        /// The school reported on; none for the district.
        pub school: Option<SchoolKey>,
        /// Whether the reader may manage every school's catalogue.
        pub district_wide: bool,
        /// Every school (for the district-wide reader's choice).
        pub schools: Vec<SchoolKey>,
    }

    fn school_ref(school: &SchoolKey) -> SchoolRef {
        SchoolRef {
            slug: school.slug.clone(),
            short_name: school.short_name.clone(),
        }
    }

    /// May `user` read the report of the school `slug` (or, with `slug` empty, the district's)?
    /// A school's report is for those who manage its catalogue; the district's, for those who
    /// manage every school's.
    pub async fn authorise(
        pool: &Pool,
        user: Option<&CurrentUser>,
        slug: &str,
    ) -> Result<Reader, AppError> {
        let user = user.ok_or(AppError::Unauthorized)?;
        let schools = all_schools(pool).await?;
        let manages = |s: &SchoolKey| may(Some(user), Action::ManageCatalog { school_id: &s.id });
        let district_wide = !schools.is_empty() && schools.iter().all(manages);
        let school = if slug.is_empty() {
            if !district_wide {
                return Err(AppError::Forbidden);
            }
            None
        } else {
            let school = schools
                .iter()
                .find(|s| s.slug == slug)
                .cloned()
                .ok_or(AppError::NotFound)?;
            if !manages(&school) {
                return Err(AppError::Forbidden);
            }
            Some(school)
        };
        Ok(Reader {
            school,
            district_wide,
            schools,
        })
    }

    /// Every figure of the report, one query each.
    pub async fn build_report(
        pool: &Pool,
        reader: &Reader,
        year: Option<AcademicYear>,
    ) -> Result<CatalogReport, AppError> {
        let school_id = reader.school.as_ref().map(|s| s.id.as_str());
        let scope = Scope { school_id, year };
        let top_cited = db::list_most_cited(pool, scope, TOP_CITED)
            .await?
            .into_iter()
            .map(|r| CitedRecord {
                record_id: r.id,
                title: r.title,
                description: r.description,
                projects: r.projects,
            })
            .collect();
        let rows = db::count_sources_by_year_and_kind(pool, scope).await?;
        let mut by_kind: Vec<(RecordKind, i64)> = RecordKind::ALL.map(|k| (k, 0)).into();
        let mut by_year: Vec<YearUsage> = Vec::new();
        for (row_year, kind, n) in rows {
            // Rows come by year: a new year opens a new line.
            let row_year = row_year as AcademicYear;
            if by_year.last().is_none_or(|y| y.year != row_year) {
                by_year.push(YearUsage {
                    year: row_year,
                    by_kind: RecordKind::ALL.map(|k| (k, 0)).into(),
                    total: 0,
                });
            }
            let Some(kind) = RecordKind::parse(&kind) else {
                tracing::warn!(kind, "a project source of an unknown kind");
                continue;
            };
            for (k, count) in by_kind.iter_mut() {
                if *k == kind {
                    *count += n;
                }
            }
            if let Some(line) = by_year.last_mut() {
                for (k, count) in line.by_kind.iter_mut() {
                    if *k == kind {
                        *count += n;
                    }
                }
                line.total += n;
            }
        }
        let by_medium = Medium::ALL
            .map(|m| {
                let n = by_kind
                    .iter()
                    .filter(|(k, _)| Medium::of(*k) == m)
                    .map(|(_, n)| n)
                    .sum();
                (m, n)
            })
            .into();
        let per_project =
            SourcesPerProject::from_counts(&db::list_project_source_counts(pool, scope).await?);
        let years = db::list_project_years(pool, school_id)
            .await?
            .into_iter()
            .map(|y| y as AcademicYear)
            .collect();
        let by_school = if reader.school.is_none() {
            db::list_school_usage(pool, year)
                .await?
                .into_iter()
                .map(|r| SchoolUsage {
                    school: SchoolRef {
                        slug: r.slug,
                        short_name: r.short_name,
                    },
                    projects: r.projects,
                    sources: r.sources,
                    printed: r.printed,
                    electronic: r.electronic,
                    other: r.sources - r.printed - r.electronic,
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(CatalogReport {
            school: reader.school.as_ref().map(school_ref),
            district_wide: reader.district_wide,
            schools: if reader.district_wide {
                reader.schools.iter().map(school_ref).collect()
            } else {
                Vec::new()
            },
            year,
            years,
            top_cited,
            by_kind,
            by_medium,
            per_project,
            by_year,
            by_school,
        })
    }
}
