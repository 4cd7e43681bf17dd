//! Server functions for the district and schools. These pages are public: anyone may read the
//! district's name and its list of schools (the policy module of the accounts issue will take
//! over the first line of each function).

use leptos::prelude::*;

use super::{District, HomeData, School};
use crate::error::AppError;

/// The district's name and contacts for the header and footer (`None` before set-up).
#[server]
pub async fn load_district() -> Result<Option<District>, AppError> {
    let state = crate::state::app_state()?;
    let district = super::db::find_district(&state.pool).await?;
    Ok(district.map(Into::into))
}

/// The home page: the district and its schools.
#[server]
pub async fn load_home() -> Result<HomeData, AppError> {
    let state = crate::state::app_state()?;
    let district = super::db::find_district(&state.pool).await?.map(Into::into);
    let schools = super::db::list_schools(&state.pool).await?;
    Ok(HomeData { district, schools })
}

/// One school's page by the slug in its URL.
#[server]
pub async fn load_school(slug: String) -> Result<School, AppError> {
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

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use chrono::NaiveDate;

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
