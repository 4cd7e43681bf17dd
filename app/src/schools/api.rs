//! Server functions for the district and schools. The public ones ask the policy for
//! `ReadPublic` (everyone may read the district, its schools and a school's page); editing
//! schools asks for `ManageSchools`.

use leptos::prelude::*;

use super::{District, HomeData, School, SchoolForm};
use crate::error::AppError;

/// The district's name and contacts for the header and footer (`None` before set-up).
#[server]
pub async fn load_district() -> Result<Option<District>, AppError> {
    public()?;
    let state = crate::state::app_state()?;
    let district = super::db::find_district(&state.pool).await?;
    Ok(district.map(Into::into))
}

/// The home page: the district and its schools.
#[server]
pub async fn load_home() -> Result<HomeData, AppError> {
    public()?;
    let state = crate::state::app_state()?;
    let district = super::db::find_district(&state.pool).await?.map(Into::into);
    let schools = super::db::list_schools(&state.pool).await?;
    Ok(HomeData { district, schools })
}

/// One school's page by the slug in its URL.
#[server]
pub async fn load_school(slug: String) -> Result<School, AppError> {
    public()?;
    let state = crate::state::app_state()?;
    let slug = super::Slug::parse(&slug).ok_or(AppError::NotFound)?;
    let row = super::db::find_school_by_slug(&state.pool, slug.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let time_zone = super::db::find_district(&state.pool)
        .await?
        .map(|d| d.time_zone)
        .unwrap_or_default();
    let joined_on = ssr::local_date(&row.created_at, &time_zone)
        .ok_or_else(|| AppError::internal("school created_at", &row.created_at))?;
    Ok(School {
        slug: row.slug,
        name: row.name,
        short_name: row.short_name,
        town: row.town,
        ibc_name: row.ibc_name,
        address: row.address,
        description: row.description,
        joined_on,
    })
}

/// Everyone may read the public pages; the one place that says so.
#[cfg(feature = "ssr")]
fn public() -> Result<(), AppError> {
    use crate::accounts::policy::{may, Action};
    // Public pages answer the same to everyone, so who is asking is not looked up.
    if may(None, Action::ReadPublic) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A school's fields for the edit form (administrators and the coordinator).
#[server]
pub async fn load_school_form(slug: String) -> Result<SchoolForm, AppError> {
    use crate::accounts::policy::{may, Action};
    crate::people::api::ssr::require(|u| may(u, Action::ManageSchools)).await?;
    let state = crate::state::app_state()?;
    let row = super::db::find_school_by_slug(&state.pool, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(SchoolForm {
        slug: row.slug,
        name: row.name,
        short_name: row.short_name,
        town: row.town,
        ibc_name: row.ibc_name.unwrap_or_default(),
        address: row.address.unwrap_or_default(),
        description: row.description.unwrap_or_default(),
    })
}

/// Creates a school (`current` empty) or changes the one whose slug is `current`.
#[server]
pub async fn save_school(current: String, school: SchoolForm) -> Result<(), AppError> {
    use crate::accounts::policy::{may, Action};
    let user = crate::people::api::ssr::require(|u| may(u, Action::ManageSchools)).await?;
    ssr::save_school(user, current, school).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use chrono::NaiveDate;

    use crate::accounts::CurrentUser;
    use crate::error::{AppError, FieldError, FieldProblem};
    use crate::schools::{SchoolForm, Slug};

    pub async fn save_school(
        user: CurrentUser,
        current: String,
        form: SchoolForm,
    ) -> Result<(), AppError> {
        let tidy = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let (name, short_name, town) = (tidy(&form.name), tidy(&form.short_name), tidy(&form.town));
        let (ibc_name, address) = (tidy(&form.ibc_name), tidy(&form.address));
        let description = form.description.trim().to_owned();
        let mut problems = Vec::new();
        let mut check = |field: &str, value: &str, required: bool, max: usize| {
            if required && value.is_empty() {
                problems.push(FieldError {
                    field: field.into(),
                    problem: FieldProblem::Required,
                });
            } else if value.chars().count() > max {
                problems.push(FieldError {
                    field: field.into(),
                    problem: FieldProblem::TooLong { max },
                });
            }
        };
        check("school[name]", &name, true, 300);
        check("school[short_name]", &short_name, true, 100);
        check("school[town]", &town, true, 100);
        check("school[ibc_name]", &ibc_name, false, 200);
        check("school[address]", &address, false, 300);
        check("school[description]", &description, false, 4000);
        let slug = Slug::parse(form.slug.trim());
        if slug.is_none() {
            problems.push(FieldError {
                field: "school[slug]".into(),
                problem: FieldProblem::BadSlug,
            });
        }
        let Some(slug) = slug.filter(|_| problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        let optional = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let (ibc_name, address, description) = (
            optional(&ibc_name),
            optional(&address),
            optional(&description),
        );
        let school = super::super::db::NewSchool {
            slug: slug.as_str(),
            name: &name,
            short_name: &short_name,
            town: &town,
            ibc_name: ibc_name.as_deref(),
            address: address.as_deref(),
            description: description.as_deref(),
        };
        let state = crate::state::app_state()?;
        let mut tx = crate::db::begin_write(&state.pool).await?;
        let taken = super::super::db::school_id_by_slug(&mut *tx, slug.as_str()).await?;
        let current_id = super::super::db::school_id_by_slug(&mut *tx, &current).await?;
        if taken.is_some() && taken != current_id {
            return Err(AppError::Invalid(vec![FieldError {
                field: "school[slug]".into(),
                problem: FieldProblem::Taken,
            }]));
        }
        let (id, action) = if current.is_empty() {
            let id = super::super::db::insert_school(&mut *tx, &school).await?;
            // A new school starts with the district's stages and assessment criteria.
            crate::review::db::insert_school_defaults(&mut tx, &id).await?;
            (id, "create_school")
        } else {
            let id = current_id.ok_or(AppError::NotFound)?;
            super::super::db::update_school(&mut *tx, &current, &school).await?;
            (id, "update_school")
        };
        crate::people::db::audit(&mut *tx, &user.id, action, None, &id, slug.as_str()).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/schools/{}", slug.as_str()));
        Ok(())
    }

    /// The calendar day of a stored RFC 3339 timestamp in a time zone (UTC if the zone is unknown).
    pub fn local_date(timestamp: &str, time_zone: &str) -> Option<NaiveDate> {
        let at = chrono::DateTime::parse_from_rfc3339(timestamp).ok()?;
        match time_zone.parse::<chrono_tz::Tz>() {
            Ok(tz) => Some(at.with_timezone(&tz).date_naive()),
            Err(_) => Some(at.naive_utc().date()),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn dates_are_taken_in_the_district_time_zone() {
            // 20:30 UTC on 27 November is already 28 November in Sovetskaya Gavan (UTC+10).
            let day = local_date("2026-11-27T20:30:00Z", "Asia/Vladivostok").expect("parses");
            assert_eq!(day, NaiveDate::from_ymd_opt(2026, 11, 28).expect("date"));
            let day = local_date("2026-11-27T20:30:00Z", "Nowhere/Unknown").expect("parses");
            assert_eq!(day, NaiveDate::from_ymd_opt(2026, 11, 27).expect("date"));
        }
    }
}
