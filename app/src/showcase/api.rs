//! Server functions of the showcase: reading a published project (by its project, or by a
//! secret link), and the publisher's panel with its actions. Every refusal to read is a 404
//! (whether a project is published is nobody else's business), except a known link that
//! expired or was revoked: 410.

use leptos::prelude::*;

use super::{PublicationView, PublishPanel, PublishedCard};
use crate::error::AppError;

/// A project's live publication, if the reader is of its audience.
#[server]
pub async fn load_publication(project_id: String) -> Result<PublicationView, AppError> {
    ssr::load_publication(project_id).await
}

/// The newest public publications of a school (by its address name), or of all (`school` empty).
#[server]
pub async fn load_published(school: String) -> Result<Vec<PublishedCard>, AppError> {
    ssr::load_published(school).await
}

/// A snapshot shared by a secret link.
#[server]
pub async fn load_shared(token: String) -> Result<PublicationView, AppError> {
    ssr::load_shared(token).await
}

/// The publisher's panel of a project (its supervisors and librarians; the district).
#[server]
pub async fn load_publish_panel(project_id: String) -> Result<PublishPanel, AppError> {
    let project = crate::projects::api::ssr::reader_of(&project_id).await?;
    ssr::load_publish_panel(project).await
}

/// Publishes the accepted snapshot `number` to `audience` (parents, school, public), replacing
/// the live publication.
#[server]
pub async fn publish_project(
    project_id: String,
    number: i64,
    audience: String,
) -> Result<(), AppError> {
    let project = crate::projects::api::ssr::reader_of(&project_id).await?;
    ssr::publish_project(project, number, audience).await
}

/// Takes the project's publication down (its links stay until revoked or expired).
#[server]
pub async fn unpublish_project(project_id: String) -> Result<(), AppError> {
    let project = crate::projects::api::ssr::reader_of(&project_id).await?;
    ssr::unpublish_project(project).await
}

/// Shares the accepted snapshot `number` by a secret link for `days` days (1 to 90).
#[server]
pub async fn share_project_link(
    project_id: String,
    number: i64,
    days: String,
) -> Result<(), AppError> {
    let project = crate::projects::api::ssr::reader_of(&project_id).await?;
    ssr::share_project_link(project, number, days).await
}

/// Revokes a secret link of the project.
#[server]
pub async fn revoke_project_link(project_id: String, link_id: String) -> Result<(), AppError> {
    let project = crate::projects::api::ssr::reader_of(&project_id).await?;
    ssr::revoke_project_link(project, link_id).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use chrono::{Duration, Utc};

    use super::super::db::{self, NewPublication, PublicationRow};
    use super::super::{
        AcceptedSnapshot, Audience, CurrentPublication, MemberPreview, PublicationView,
        PublishPanel, PublishedCard, PublishedPage, ShareLink, MAX_LINK_DAYS,
    };
    use crate::accounts::api::ssr::signed_in_user;
    use crate::accounts::policy::{may, Action, PublicationAccess};
    use crate::accounts::session::{new_token, token_hash};
    use crate::db::begin_write;
    use crate::error::{AppError, FieldProblem};
    use crate::markdown::SafeHtml;
    use crate::people::{public_name, PublicName, SchoolRef};
    use crate::projects::api::ssr::{access, invalid, parse_time, Acting};
    use crate::projects::db::{find_project, project_people, ProjectRow};
    use crate::review::SnapshotPassport;
    use crate::state::app_state;

    /// Whether a link's expiry (RFC 3339) has passed.
    pub(crate) fn expired(expires_at: Option<&str>) -> bool {
        expires_at
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .is_none_or(|t| t <= Utc::now())
    }

    /// The published view of a publication, for a reader the policy let in.
    pub(crate) async fn view_of(
        pool: &crate::db::Pool,
        site_url: &str,
        row: &PublicationRow,
        project: &ProjectRow,
        audience: Audience,
        may_unpublish: bool,
    ) -> Result<PublicationView, AppError> {
        let submission = crate::review::db::find_submission(pool, &project.id, row.number)
            .await?
            .ok_or(AppError::NotFound)?;
        // Only the passport's text: its `members` hold full names and are never read here.
        let passport: SnapshotPassport =
            serde_json::from_str(&submission.passport).unwrap_or_default();
        let pages = crate::review::db::snapshot_pages(pool, &row.submission_id)
            .await?
            .into_iter()
            .map(|p| PublishedPage {
                slug: p.slug,
                title: p.title,
                html: SafeHtml::from_stored(p.html),
                toc: serde_json::from_str(&p.toc).unwrap_or_default(),
            })
            .collect();
        let mut members = Vec::new();
        let mut anonymous_members = 0;
        for m in db::snapshot_members(pool, &row.submission_id, project.academic_year).await? {
            match member_name(&m) {
                PublicName::Named(name) => members.push(name),
                PublicName::Anonymous => anonymous_members += 1,
            }
        }
        let topic = passport.topic.clone();
        Ok(PublicationView {
            project_id: project.id.clone(),
            title: passport.title,
            topic: passport.topic,
            subject: passport.subject,
            passport: passport.passport,
            school: SchoolRef {
                slug: project.school_slug.clone(),
                short_name: project.school_short_name.clone(),
            },
            academic_year: project.academic_year,
            published_at: parse_time(&row.published_at),
            audience,
            members,
            anonymous_members,
            supervisors: db::snapshot_supervisors(pool, &row.submission_id).await?,
            pages,
            sources: db::snapshot_sources(pool, &row.submission_id).await?,
            may_unpublish,
            summary: summary_of(&topic),
            site_url: site_url.to_owned(),
            may_export: false,
        })
    }

    /// A member's name on published pages: the public name with a consent to publish, else
    /// anonymous (so is anyone who is not a pupil of record).
    fn member_name(m: &db::SnapshotMember) -> PublicName {
        let class = m
            .grade
            .zip(m.letter.as_ref())
            .map(|(grade, letter)| format!("{grade}{letter}"));
        match (&m.first_name, &m.surname) {
            (Some(first), Some(surname)) => {
                public_name(first, surname, class.as_deref(), m.may_publish)
            }
            _ => PublicName::Anonymous,
        }
    }

    pub async fn load_publication(project_id: String) -> Result<PublicationView, AppError> {
        let user = signed_in_user().await?;
        let state = app_state()?;
        let pool = &state.pool;
        let project = find_project(pool, &project_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let row = db::live_publication(pool, &project.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let audience = Audience::parse(&row.audience).ok_or(AppError::NotFound)?;
        let people = project_people(pool, &project.id).await?;
        let access = access(&project, &people);
        let readable = may(
            user.as_ref(),
            Action::ReadPublication(PublicationAccess {
                project: access,
                audience,
                live: row.unpublished_at.is_none(),
            }),
        );
        if !readable {
            return Err(AppError::NotFound);
        }
        let may_unpublish = may(user.as_ref(), Action::UnpublishProject(access));
        let mut view = view_of(
            pool,
            &state.settings.public_url,
            &row,
            &project,
            audience,
            may_unpublish,
        )
        .await?;
        // The archive is for signed-in readers (it carries every file of the snapshot).
        view.may_export = user.is_some();
        Ok(view)
    }

    pub async fn load_published(school: String) -> Result<Vec<PublishedCard>, AppError> {
        let state = app_state()?;
        let school = school.trim();
        Ok(db::recent_public(
            &state.pool,
            (!school.is_empty()).then_some(school),
            super::super::RECENT,
        )
        .await?
        .into_iter()
        .map(|r| PublishedCard {
            project_id: r.project_id,
            title: r.title,
            summary: r.summary,
            school: SchoolRef {
                slug: r.school_slug,
                short_name: r.school_short_name,
            },
            published_at: parse_time(&r.published_at),
        })
        .collect())
    }

    pub async fn load_shared(token: String) -> Result<PublicationView, AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        let row = db::find_link(pool, &token_hash(token.trim()))
            .await?
            .ok_or(AppError::NotFound)?;
        if row.unpublished_at.is_some() || expired(row.expires_at.as_deref()) {
            return Err(AppError::Gone);
        }
        let project = find_project(pool, &row.project_id)
            .await?
            .ok_or(AppError::NotFound)?;
        // A secret link is read anonymously: it offers no action on the project.
        view_of(
            pool,
            &state.settings.public_url,
            &row,
            &project,
            Audience::Link,
            false,
        )
        .await
    }

    pub async fn load_publish_panel(project: Acting) -> Result<PublishPanel, AppError> {
        let may_publish = may(
            Some(&project.user),
            Action::PublishProject(project.access()),
        );
        if !may_publish
            && !may(
                Some(&project.user),
                Action::UnpublishProject(project.access()),
            )
        {
            return Err(AppError::Forbidden);
        }
        let state = app_state()?;
        let pool = &state.pool;
        let accepted = db::accepted_snapshots(pool, &project.row.id)
            .await?
            .into_iter()
            .map(|(number, decided_at, pages)| AcceptedSnapshot {
                number,
                decided_at: decided_at.as_deref().map(parse_time),
                pages,
            })
            .collect::<Vec<_>>();
        let current = db::live_publication(pool, &project.row.id)
            .await?
            .and_then(|row| {
                Some(CurrentPublication {
                    audience: Audience::parse(&row.audience)?,
                    number: row.number,
                    published_at: parse_time(&row.published_at),
                })
            });
        let links = db::list_links(pool, &project.row.id)
            .await?
            .into_iter()
            .map(|row| ShareLink {
                live: row.unpublished_at.is_none() && !expired(row.expires_at.as_deref()),
                expires_at: row
                    .expires_at
                    .as_deref()
                    .map(parse_time)
                    .unwrap_or_default(),
                id: row.id,
                number: row.number,
            })
            .collect();
        // How the members of the newest accepted snapshot will appear.
        let members = match accepted.first() {
            Some(newest) => {
                let submission =
                    crate::review::db::find_submission(pool, &project.row.id, newest.number)
                        .await?
                        .ok_or(AppError::NotFound)?;
                db::snapshot_members(pool, &submission.id, project.row.academic_year)
                    .await?
                    .into_iter()
                    .map(|m| MemberPreview {
                        public_name: match member_name(&m) {
                            PublicName::Named(n) => Some(n),
                            PublicName::Anonymous => None,
                        },
                        name: m.display_name,
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        Ok(PublishPanel {
            project_id: project.row.id.clone(),
            title: project.row.title.clone(),
            accepted,
            current,
            links,
            members,
            may_publish,
        })
    }

    /// The topic, cut to 300 characters at a word, for lists and previews.
    pub(crate) fn summary_of(topic: &str) -> String {
        let topic = topic.split_whitespace().collect::<Vec<_>>().join(" ");
        if topic.chars().count() <= 300 {
            return topic;
        }
        let cut: String = topic.chars().take(300).collect();
        let cut = cut.rsplit_once(' ').map(|(head, _)| head).unwrap_or(&cut);
        format!("{cut}…")
    }

    fn panel_path(project: &Acting) -> String {
        format!("/projects/{}/publish", project.row.id)
    }

    pub async fn publish_project(
        project: Acting,
        number: i64,
        audience: String,
    ) -> Result<(), AppError> {
        if !may(
            Some(&project.user),
            Action::PublishProject(project.access()),
        ) {
            return Err(AppError::Forbidden);
        }
        let audience = Audience::parse(&audience)
            .filter(|a| Audience::CHOSEN.contains(a))
            .ok_or_else(|| invalid("audience", FieldProblem::Invalid))?;
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        // Only an accepted snapshot: never the working copy, never one waiting or returned.
        let (submission, passport) = db::accepted_submission(&mut tx, &project.row.id, number)
            .await?
            .ok_or_else(|| invalid("number", FieldProblem::Invalid))?;
        let passport: SnapshotPassport = serde_json::from_str(&passport).unwrap_or_default();
        db::unpublish(&mut tx, &project.row.id, &project.user.id).await?;
        db::insert_publication(
            &mut tx,
            &NewPublication {
                project_id: &project.row.id,
                submission_id: &submission,
                school_id: &project.row.school_id,
                audience: audience.as_str(),
                title: &passport.title,
                summary: &summary_of(&passport.topic),
                token_hash: None,
                expires_at: None,
                published_by: &project.user.id,
            },
        )
        .await?;
        project
            .audit(
                &mut tx,
                "publish_project",
                Some(&format!(
                    "{} · №{number} · {}",
                    project.row.title,
                    audience.as_str()
                )),
            )
            .await?;
        tx.commit().await?;
        leptos_axum::redirect(&panel_path(&project));
        Ok(())
    }

    pub async fn unpublish_project(project: Acting) -> Result<(), AppError> {
        if !may(
            Some(&project.user),
            Action::UnpublishProject(project.access()),
        ) {
            return Err(AppError::Forbidden);
        }
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        if db::unpublish(&mut tx, &project.row.id, &project.user.id).await? == 0 {
            return Err(AppError::NotFound);
        }
        project.audit(&mut tx, "unpublish_project", None).await?;
        tx.commit().await?;
        leptos_axum::redirect(&panel_path(&project));
        Ok(())
    }

    pub async fn share_project_link(
        project: Acting,
        number: i64,
        days: String,
    ) -> Result<(), AppError> {
        if !may(
            Some(&project.user),
            Action::PublishProject(project.access()),
        ) {
            return Err(AppError::Forbidden);
        }
        let days = match days.trim().parse::<i64>() {
            Ok(d) if (1..=MAX_LINK_DAYS).contains(&d) => d,
            _ => {
                return Err(invalid(
                    "days",
                    FieldProblem::OutOfRange {
                        min: 1,
                        max: MAX_LINK_DAYS as usize,
                    },
                ))
            }
        };
        let token = new_token().map_err(|e| AppError::internal("a link's token", e))?;
        let expires_at =
            (Utc::now() + Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        let (submission, passport) = db::accepted_submission(&mut tx, &project.row.id, number)
            .await?
            .ok_or_else(|| invalid("number", FieldProblem::Invalid))?;
        let passport: SnapshotPassport = serde_json::from_str(&passport).unwrap_or_default();
        db::insert_publication(
            &mut tx,
            &NewPublication {
                project_id: &project.row.id,
                submission_id: &submission,
                school_id: &project.row.school_id,
                audience: Audience::Link.as_str(),
                title: &passport.title,
                summary: &summary_of(&passport.topic),
                token_hash: Some(&token_hash(&token)),
                expires_at: Some(&expires_at),
                published_by: &project.user.id,
            },
        )
        .await?;
        project
            .audit(
                &mut tx,
                "share_project_link",
                Some(&format!("{} · №{number} · {days}", project.row.title)),
            )
            .await?;
        tx.commit().await?;
        // The link is shown once, to its maker: only its hash is kept.
        leptos_axum::redirect(&format!("{}?link={token}", panel_path(&project)));
        Ok(())
    }

    pub async fn revoke_project_link(project: Acting, link_id: String) -> Result<(), AppError> {
        if !may(
            Some(&project.user),
            Action::UnpublishProject(project.access()),
        ) {
            return Err(AppError::Forbidden);
        }
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        if db::revoke_link(&mut tx, &project.row.id, &link_id, &project.user.id).await? == 0 {
            return Err(AppError::NotFound);
        }
        project.audit(&mut tx, "revoke_project_link", None).await?;
        tx.commit().await?;
        leptos_axum::redirect(&panel_path(&project));
        Ok(())
    }
}
