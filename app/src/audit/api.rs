//! Reading the audit log: administrators and the coordinator see everything, librarians their
//! own school's records.

use leptos::prelude::*;

use super::AuditPage;
use crate::error::AppError;

/// A page of the audit log, filtered by school (slug) and action.
#[server]
pub async fn load_audit(
    school: Option<String>,
    action: Option<String>,
    page: Option<u32>,
) -> Result<AuditPage, AppError> {
    use crate::accounts::policy::{may, Action};
    let user = crate::people::api::ssr::require(|u| may(u, Action::ManagePeopleAnywhere)).await?;
    ssr::load_audit(user, school, action, page.unwrap_or(1)).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use chrono::DateTime;

    use super::super::{db, AuditEntry, AuditPage, ACTIONS, PAGE_SIZE};
    use crate::accounts::policy::{may, Action};
    use crate::accounts::{CurrentUser, Role};
    use crate::error::AppError;
    use crate::people::SchoolRef;
    use crate::state::app_state;

    pub async fn load_audit(
        user: CurrentUser,
        school: Option<String>,
        action: Option<String>,
        page: u32,
    ) -> Result<AuditPage, AppError> {
        let state = app_state()?;
        let district_wide = user.has_role(Role::Admin) || user.has_role(Role::Coordinator);
        let schools: Vec<(String, SchoolRef)> = crate::people::db::all_schools(&state.pool)
            .await?
            .into_iter()
            .filter(|s| may(Some(&user), Action::ManageSchoolPeople { school_id: &s.id }))
            .map(|s| {
                (
                    s.id,
                    SchoolRef {
                        slug: s.slug,
                        short_name: s.short_name,
                    },
                )
            })
            .collect();
        let school = school.filter(|s| !s.is_empty());
        // Librarians see their school's records only; the first of their schools by default.
        let chosen = match &school {
            Some(slug) => Some(
                schools
                    .iter()
                    .find(|(_, s)| &s.slug == slug)
                    .ok_or(AppError::Forbidden)?,
            ),
            None if district_wide => None,
            None => Some(schools.first().ok_or(AppError::Forbidden)?),
        };
        let action = action.filter(|a| ACTIONS.contains(&a.as_str()));
        let page = page.clamp(1, 10_000);
        let mut rows = db::list(
            &state.pool,
            chosen.map(|(id, _)| id.as_str()),
            action.as_deref(),
            PAGE_SIZE,
            (page - 1) * PAGE_SIZE,
        )
        .await?;
        let has_more = rows.len() > PAGE_SIZE as usize;
        rows.truncate(PAGE_SIZE as usize);
        let tz = chrono_tz::Asia::Vladivostok;
        let entries = rows
            .into_iter()
            .filter_map(|row| {
                let at = DateTime::parse_from_rfc3339(&row.at).ok()?;
                Some(AuditEntry {
                    at: at.with_timezone(&tz).naive_local(),
                    actor: row.actor,
                    action: row.action,
                    subject: row.subject,
                    detail: row.detail,
                    school: row.school,
                })
            })
            .collect();
        Ok(AuditPage {
            school: chosen.map(|(_, s)| s.slug.clone()),
            schools: schools.into_iter().map(|(_, s)| s).collect(),
            district_wide,
            action,
            page,
            has_more,
            entries,
        })
    }
}
