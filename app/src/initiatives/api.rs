//! Server functions of initiatives: public pages for everyone, the coordinator's management,
//! and entering a project (its supervisors and the school's librarians).

use leptos::prelude::*;

use super::{InitiativeEditor, InitiativeForm, InitiativeView, InitiativesAdmin, InitiativesList};
use crate::error::AppError;

/// The initiatives: current and coming ones, then finished ones.
#[server]
pub async fn load_initiatives() -> Result<InitiativesList, AppError> {
    ssr::load_initiatives().await
}

/// The initiatives a school takes part in (by its address name).
#[server]
pub async fn load_school_initiatives(
    school: String,
) -> Result<Vec<super::InitiativeCard>, AppError> {
    ssr::load_school_initiatives(school).await
}

/// One initiative's page.
#[server]
pub async fn load_initiative(slug: String) -> Result<InitiativeView, AppError> {
    ssr::load_initiative(slug).await
}

/// The coordinator's list of initiatives.
#[server]
pub async fn load_initiatives_admin() -> Result<InitiativesAdmin, AppError> {
    ssr::load_initiatives_admin().await
}

/// The coordinator's page of one initiative, with catalogue records found by `q`.
#[server]
pub async fn load_initiative_editor(
    slug: String,
    #[server(default)] q: String,
) -> Result<InitiativeEditor, AppError> {
    ssr::load_initiative_editor(slug, q).await
}

/// Creates an initiative (`current` empty) or saves its fields.
#[server]
pub async fn save_initiative(current: String, initiative: InitiativeForm) -> Result<(), AppError> {
    ssr::save_initiative(current, initiative).await
}

/// Sets the participating schools (`schools[i]` the ids of the ticked ones).
#[server]
pub async fn set_initiative_schools(
    slug: String,
    #[server(default)] schools: Vec<String>,
) -> Result<(), AppError> {
    ssr::set_initiative_schools(slug, schools).await
}

/// Puts a catalogue record on the reading list.
#[server]
pub async fn add_reading(slug: String, record_id: String) -> Result<(), AppError> {
    ssr::change_reading(slug, record_id, true).await
}

/// Takes a record off the reading list.
#[server]
pub async fn remove_reading(slug: String, record_id: String) -> Result<(), AppError> {
    ssr::change_reading(slug, record_id, false).await
}

/// The initiatives a project is entered in, and those it may be entered in (for whoever may
/// enter it).
#[server]
pub async fn load_project_initiatives(
    project_id: String,
) -> Result<Vec<super::InitiativeChoice>, AppError> {
    ssr::load_project_initiatives(project_id).await
}

/// Enters a project in an initiative its school takes part in.
#[server]
pub async fn enter_initiative(project_id: String, slug: String) -> Result<(), AppError> {
    ssr::enter_initiative(project_id, slug, true).await
}

/// Withdraws a project from an initiative.
#[server]
pub async fn withdraw_from_initiative(project_id: String, slug: String) -> Result<(), AppError> {
    ssr::enter_initiative(project_id, slug, false).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use std::collections::HashMap;

    use chrono::NaiveDate;

    use super::super::{
        db, is_current, Availability, EnteredProject, InitiativeCard, InitiativeEditor,
        InitiativeForm, InitiativeView, InitiativesAdmin, InitiativesList, Level, ReadingItem,
        RecordChoice, SchoolProjects, MAX_DESCRIPTION, MAX_READING, RESERVED_SLUGS,
    };
    use crate::accounts::api::ssr::signed_in_user;
    use crate::accounts::db::insert_audit;
    use crate::accounts::policy::{may, Action};
    use crate::accounts::CurrentUser;
    use crate::catalog::RecordKind;
    use crate::db::begin_write;
    use crate::error::{AppError, FieldError, FieldProblem};
    use crate::markdown::SafeHtml;
    use crate::people::api::ssr::require;
    use crate::people::SchoolRef;
    use crate::projects::api::ssr::{acting_on, Need};
    use crate::review::api::ssr::today;
    use crate::schools::Slug;
    use crate::showcase::api::ssr::reads_publication;
    use crate::showcase::Audience;
    use crate::state::app_state;

    fn date(stored: &str) -> NaiveDate {
        crate::projects::api::ssr::parse_date(stored).unwrap_or_default()
    }

    fn card(r: db::CardRow) -> Option<InitiativeCard> {
        Some(InitiativeCard {
            level: Level::parse(&r.level)?,
            starts_on: date(&r.starts_on),
            ends_on: date(&r.ends_on),
            slug: r.slug,
            title: r.title,
            organiser: r.organiser,
            projects: r.projects,
        })
    }

    pub async fn load_initiatives() -> Result<InitiativesList, AppError> {
        let user = signed_in_user().await?;
        let state = app_state()?;
        let today = today();
        let (mut current, past): (Vec<_>, Vec<_>) = db::list_initiatives(&state.pool)
            .await?
            .into_iter()
            .filter_map(card)
            .partition(|c| is_current(c.ends_on, today));
        // The soonest to start first among the current ones; the latest to end first among
        // the finished ones (as listed).
        current.sort_by(|a, b| a.starts_on.cmp(&b.starts_on).then(a.title.cmp(&b.title)));
        Ok(InitiativesList {
            current,
            past,
            may_manage: may(user.as_ref(), Action::ManageInitiatives),
        })
    }

    pub async fn load_school_initiatives(school: String) -> Result<Vec<InitiativeCard>, AppError> {
        let state = app_state()?;
        Ok(db::initiatives_of_school(&state.pool, school.trim())
            .await?
            .into_iter()
            .filter_map(card)
            .collect())
    }

    pub async fn load_initiative(slug: String) -> Result<InitiativeView, AppError> {
        let user = signed_in_user().await?;
        let state = app_state()?;
        let pool = &state.pool;
        let row = db::find_initiative(pool, slug.trim())
            .await?
            .ok_or(AppError::NotFound)?;
        let level = Level::parse(&row.level).ok_or(AppError::NotFound)?;
        let schools = db::participating_schools(pool, &row.id).await?;
        // The reading list, with each participating school's copies (one query for all).
        let mut copies: HashMap<(String, String), (i64, i64)> = HashMap::new();
        for (record, school, n, available) in db::reading_availability(pool, &row.id).await? {
            let entry = copies.entry((record, school)).or_default();
            entry.0 += n;
            entry.1 += available;
        }
        let reading = db::reading_list(pool, &row.id)
            .await?
            .into_iter()
            .map(|r| {
                let per_school = schools
                    .iter()
                    .map(|(id, slug, short_name)| {
                        let held = copies.get(&(r.record_id.clone(), id.clone())).copied();
                        let (copies, available) = held.unwrap_or_default();
                        Availability {
                            in_catalogue: held.is_some(),
                            school: SchoolRef {
                                slug: slug.clone(),
                                short_name: short_name.clone(),
                            },
                            copies,
                            available,
                        }
                    })
                    .collect();
                ReadingItem {
                    online: RecordKind::parse(&r.kind).is_some_and(RecordKind::is_online),
                    record_id: r.record_id,
                    description: r.description,
                    per_school,
                }
            })
            .collect();
        // The projects entered, each as far as the reader may see it: the policy decides, with
        // the people of every project read in one query.
        let entered = db::entered_projects(pool, &row.id).await?;
        let ids: Vec<String> = entered.iter().map(|e| e.project_id.clone()).collect();
        let people = crate::projects::db::people_by_project(pool, &ids).await?;
        let mut groups: Vec<SchoolProjects> = Vec::new();
        for e in entered {
            let empty = Default::default();
            let project_people = people.get(&e.project_id).unwrap_or(&empty);
            let audience = e.audience.as_deref().and_then(Audience::parse);
            let published = audience.is_some_and(|a| {
                reads_publication(user.as_ref(), &e.school_id, &e.status, project_people, a)
            });
            let shown = if published {
                Some(EnteredProject {
                    title: e.published_title.clone().unwrap_or_else(|| e.title.clone()),
                    href: format!("/p/{}", e.project_id),
                    published: true,
                })
            } else if crate::showcase::api::ssr::views_project(
                user.as_ref(),
                &e.school_id,
                &e.status,
                project_people,
            ) {
                Some(EnteredProject {
                    title: e.title.clone(),
                    href: format!("/projects/{}", e.project_id),
                    published: false,
                })
            } else {
                None
            };
            if groups.last().is_none_or(|g| g.school.slug != e.school_slug) {
                groups.push(SchoolProjects {
                    school: SchoolRef {
                        slug: e.school_slug.clone(),
                        short_name: e.school_short_name.clone(),
                    },
                    projects: Vec::new(),
                    hidden: 0,
                });
            }
            if let Some(group) = groups.last_mut() {
                match shown {
                    Some(p) => group.projects.push(p),
                    None => group.hidden += 1,
                }
            }
        }
        let plain = if row.plain.is_empty() {
            // Saved before the words were stored with the description.
            crate::markdown::plain_text(&row.description)
        } else {
            row.plain
        };
        let summary = crate::showcase::api::ssr::summary_of(&plain);
        Ok(InitiativeView {
            slug: row.slug,
            title: row.title,
            level,
            organiser: row.organiser,
            starts_on: date(&row.starts_on),
            ends_on: date(&row.ends_on),
            html: SafeHtml::from_stored(row.html),
            host: row
                .host_slug
                .zip(row.host_short_name)
                .map(|(slug, short_name)| SchoolRef { slug, short_name }),
            schools: schools
                .into_iter()
                .map(|(_, slug, short_name)| SchoolRef { slug, short_name })
                .collect(),
            reading,
            groups,
            may_manage: may(user.as_ref(), Action::ManageInitiatives),
            summary,
            site_url: state.settings.public_url.clone(),
        })
    }

    async fn manager() -> Result<CurrentUser, AppError> {
        require(|u| may(u, Action::ManageInitiatives)).await
    }

    pub async fn load_initiatives_admin() -> Result<InitiativesAdmin, AppError> {
        manager().await?;
        let state = app_state()?;
        Ok(InitiativesAdmin {
            initiatives: db::list_initiatives(&state.pool)
                .await?
                .into_iter()
                .filter_map(card)
                .collect(),
            schools: db::all_schools(&state.pool)
                .await?
                .into_iter()
                .map(|(_, slug, short_name)| SchoolRef { slug, short_name })
                .collect(),
        })
    }

    pub async fn load_initiative_editor(
        slug: String,
        q: String,
    ) -> Result<InitiativeEditor, AppError> {
        manager().await?;
        let state = app_state()?;
        let pool = &state.pool;
        let row = db::find_initiative(pool, slug.trim())
            .await?
            .ok_or(AppError::NotFound)?;
        let taking_part: Vec<String> = db::participating_schools(pool, &row.id)
            .await?
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        let schools = db::all_schools(pool)
            .await?
            .into_iter()
            .map(|(id, slug, short_name)| {
                (SchoolRef { slug, short_name }, taking_part.contains(&id))
            })
            .collect();
        let reading: Vec<RecordChoice> = db::reading_list(pool, &row.id)
            .await?
            .into_iter()
            .map(|r| RecordChoice {
                record_id: r.record_id,
                description: r.description,
                fund: r.fund,
            })
            .collect();
        let query = q.trim().to_owned();
        let terms: Vec<String> = crate::catalog::search::terms(&query)
            .into_iter()
            .take(8)
            .collect();
        let found = if terms.is_empty() {
            Vec::new()
        } else {
            crate::catalog::db::search(pool, Default::default(), &terms, 20, 0)
                .await?
                .into_iter()
                .filter(|r| !reading.iter().any(|c| c.record_id == r.id))
                .map(|r| RecordChoice {
                    record_id: r.id,
                    description: r.description,
                    fund: r.school,
                })
                .collect()
        };
        Ok(InitiativeEditor {
            form: InitiativeForm {
                slug: row.slug,
                title: row.title,
                level: row.level,
                school: row.host_slug.unwrap_or_default(),
                organiser: row.organiser,
                starts_on: row.starts_on,
                ends_on: row.ends_on,
                description: row.description,
            },
            schools,
            reading,
            found,
            query,
        })
    }

    fn problem(field: &str, problem: FieldProblem) -> FieldError {
        FieldError {
            field: format!("initiative[{field}]"),
            problem,
        }
    }

    pub async fn save_initiative(current: String, form: InitiativeForm) -> Result<(), AppError> {
        let user = manager().await?;
        let state = app_state()?;
        let pool = &state.pool;
        let tidy = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let (title, organiser) = (tidy(&form.title), tidy(&form.organiser));
        let description = form.description.trim().to_owned();
        let mut problems = Vec::new();
        for (field, value, max) in [("title", &title, 300), ("organiser", &organiser, 300)] {
            if value.is_empty() {
                problems.push(problem(field, FieldProblem::Required));
            } else if value.chars().count() > max {
                problems.push(problem(field, FieldProblem::TooLong { max }));
            }
        }
        if description.chars().count() > MAX_DESCRIPTION {
            problems.push(problem(
                "description",
                FieldProblem::TooLong {
                    max: MAX_DESCRIPTION,
                },
            ));
        }
        let slug = Slug::parse(form.slug.trim()).filter(|s| !RESERVED_SLUGS.contains(&s.as_str()));
        if slug.is_none() {
            problems.push(problem("slug", FieldProblem::BadSlug));
        }
        let level = Level::parse(&form.level);
        if level.is_none() {
            problems.push(problem("level", FieldProblem::Invalid));
        }
        // A school-level initiative names its school; the others none.
        let host = match level {
            Some(Level::School) => {
                let school = db::all_schools(pool)
                    .await?
                    .into_iter()
                    .find(|(_, slug, _)| *slug == form.school.trim())
                    .map(|(id, _, _)| id);
                if school.is_none() {
                    problems.push(problem("school", FieldProblem::Required));
                }
                school
            }
            _ => None,
        };
        let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let (starts_on, ends_on) = (day(&form.starts_on), day(&form.ends_on));
        if starts_on.is_none() {
            problems.push(problem("starts_on", FieldProblem::BadDate));
        }
        match (starts_on, ends_on) {
            (_, None) => problems.push(problem("ends_on", FieldProblem::BadDate)),
            (Some(start), Some(end)) if end < start => {
                problems.push(problem("ends_on", FieldProblem::EndsBeforeStart))
            }
            _ => {}
        }
        let (Some(slug), Some(level), Some(starts_on), Some(ends_on), true) =
            (slug, level, starts_on, ends_on, problems.is_empty())
        else {
            return Err(AppError::Invalid(problems));
        };
        let html = crate::markdown::render(&description, &|_| None).html;
        let plain = crate::markdown::plain_text(&description);
        let terms = crate::catalog::search::terms(&format!("{title} {organiser} {plain}"));
        let record = db::NewInitiative {
            slug: slug.as_str(),
            title: &title,
            level: level.as_str(),
            school_id: host.as_deref(),
            organiser: &organiser,
            starts_on: &starts_on.format("%Y-%m-%d").to_string(),
            ends_on: &ends_on.format("%Y-%m-%d").to_string(),
            description: &description,
            html: html.as_str(),
            plain: &plain,
        };
        let mut tx = begin_write(pool).await?;
        let taken = db::initiative_id(&mut tx, slug.as_str()).await?;
        let current_id = db::initiative_id(&mut tx, current.trim()).await?;
        if taken.is_some() && taken != current_id {
            return Err(AppError::Invalid(vec![problem(
                "slug",
                FieldProblem::Taken,
            )]));
        }
        let (id, action) = if current.trim().is_empty() {
            (
                db::insert_initiative(&mut tx, &record, &user.id).await?,
                "create_initiative",
            )
        } else {
            let id = current_id.ok_or(AppError::NotFound)?;
            db::update_initiative(&mut tx, &id, &record).await?;
            (id, "update_initiative")
        };
        db::set_terms(&mut tx, &id, &terms).await?;
        insert_audit(&mut *tx, Some(&user.id), action, Some(&id), &title).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/initiatives/{}", slug.as_str()));
        Ok(())
    }

    pub async fn set_initiative_schools(
        slug: String,
        schools: Vec<String>,
    ) -> Result<(), AppError> {
        let user = manager().await?;
        let state = app_state()?;
        let all = db::all_schools(&state.pool).await?;
        let ids: Vec<String> = all
            .into_iter()
            .filter(|(_, s, _)| schools.iter().any(|chosen| chosen == s))
            .map(|(id, _, _)| id)
            .collect();
        let mut tx = begin_write(&state.pool).await?;
        let id = db::initiative_id(&mut tx, slug.trim())
            .await?
            .ok_or(AppError::NotFound)?;
        db::set_schools(&mut tx, &id, &ids).await?;
        insert_audit(
            &mut *tx,
            Some(&user.id),
            "set_initiative_schools",
            Some(&id),
            &schools.join(", "),
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/initiatives/{}", slug.trim()));
        Ok(())
    }

    pub async fn change_reading(
        slug: String,
        record_id: String,
        add: bool,
    ) -> Result<(), AppError> {
        let user = manager().await?;
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        let id = db::initiative_id(&mut tx, slug.trim())
            .await?
            .ok_or(AppError::NotFound)?;
        if add {
            if db::reading_count(&mut tx, &id).await? >= MAX_READING as i64 {
                return Err(AppError::Invalid(vec![FieldError {
                    field: "record_id".into(),
                    problem: FieldProblem::OutOfRange {
                        min: 1,
                        max: MAX_READING,
                    },
                }]));
            }
            if !db::add_record(&mut tx, &id, &record_id).await? {
                return Err(AppError::Conflict);
            }
        } else if db::remove_record(&mut tx, &id, &record_id).await? == 0 {
            return Err(AppError::NotFound);
        }
        let action = if add {
            "add_initiative_record"
        } else {
            "remove_initiative_record"
        };
        insert_audit(&mut *tx, Some(&user.id), action, Some(&id), &record_id).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/manage/initiatives/{}#reading", slug.trim()));
        Ok(())
    }

    pub async fn load_project_initiatives(
        project_id: String,
    ) -> Result<Vec<super::super::InitiativeChoice>, AppError> {
        let project = acting_on(&project_id, Need::View).await?;
        choices_for(&project).await?.ok_or(AppError::Forbidden)
    }

    /// The initiatives `project` is entered in and those it may be entered in; `None` when
    /// its reader may not enter it in any.
    pub async fn choices_for(
        project: &crate::projects::api::ssr::Acting,
    ) -> Result<Option<Vec<super::super::InitiativeChoice>>, AppError> {
        if !may(
            Some(&project.user),
            Action::EnterInitiative(project.access()),
        ) {
            return Ok(None);
        }
        let state = app_state()?;
        let day = today().format("%Y-%m-%d").to_string();
        Ok(Some(
            db::initiatives_for_project(&state.pool, &project.row.id, &project.row.school_id, &day)
                .await?
                .into_iter()
                .map(|(slug, title, entered)| super::super::InitiativeChoice {
                    slug,
                    title,
                    entered,
                })
                .collect(),
        ))
    }

    pub async fn enter_initiative(
        project_id: String,
        slug: String,
        enter: bool,
    ) -> Result<(), AppError> {
        let project = acting_on(&project_id, Need::View).await?;
        if !may(
            Some(&project.user),
            Action::EnterInitiative(project.access()),
        ) {
            return Err(AppError::Forbidden);
        }
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        let id = db::initiative_id(&mut tx, slug.trim())
            .await?
            .ok_or(AppError::NotFound)?;
        let (changed, action) = if enter {
            let day = today().format("%Y-%m-%d").to_string();
            let entered = db::enter_project(
                &mut tx,
                &id,
                &project.row.id,
                &project.row.school_id,
                &day,
                &project.user.id,
            )
            .await?;
            (entered, "enter_initiative")
        } else {
            (
                db::withdraw_project(&mut tx, &id, &project.row.id).await? > 0,
                "withdraw_from_initiative",
            )
        };
        if !changed {
            // Not a participating school, an initiative that has ended, or already so.
            return Err(AppError::Conflict);
        }
        project
            .audit(
                &mut tx,
                action,
                Some(&format!("{} · {}", project.row.title, slug.trim())),
            )
            .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/projects/{}/publish#initiatives", project.row.id));
        Ok(())
    }
}
