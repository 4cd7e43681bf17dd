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

/// Search over published projects, their pages and initiatives (`q`), narrowed by school,
/// initiative, academic year and tag; for staff also the projects they may open unpublished.
/// The lists the search form offers (schools, initiatives, years, popular tags) come only
/// `with_filters`: a tag page shows no form.
#[server]
pub async fn search_showcase(
    #[server(default)] q: String,
    #[server(default)] school: String,
    #[server(default)] initiative: String,
    #[server(default)] year: String,
    #[server(default)] tag: String,
    #[server(default)] page: String,
    #[server(default)] with_filters: bool,
) -> Result<super::SearchResults, AppError> {
    ssr::search_showcase(q, school, initiative, year, tag, page, with_filters).await
}

/// A signed-in parent's children's projects, at every stage, with what is published.
#[server]
pub async fn load_children_projects() -> Result<Vec<super::ChildProject>, AppError> {
    ssr::load_children_projects().await
}

/// A snapshot shared by a secret link (410 once it expired or was revoked).
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

    /// Whether `user` reads a live publication to `audience` of a project (for lists and
    /// search, which read the project's people in bulk): the policy's one rule.
    pub(crate) fn reads_publication(
        user: Option<&crate::accounts::CurrentUser>,
        school_id: &str,
        status: &str,
        people: &crate::projects::db::ProjectPeople,
        audience: Audience,
    ) -> bool {
        may(
            user,
            Action::ReadPublication(PublicationAccess {
                project: crate::projects::api::ssr::access_of(school_id, status, people),
                audience,
                live: true,
            }),
        )
    }

    /// Whether `user` reads the project itself (its working copy).
    pub(crate) fn views_project(
        user: Option<&crate::accounts::CurrentUser>,
        school_id: &str,
        status: &str,
        people: &crate::projects::db::ProjectPeople,
    ) -> bool {
        may(
            user,
            Action::ViewProject(crate::projects::api::ssr::access_of(
                school_id, status, people,
            )),
        )
    }

    /// The schools where `user` is a pupil, supervisor or librarian (those whose "school"
    /// publications they read).
    fn member_schools(user: &crate::accounts::CurrentUser) -> Vec<String> {
        use crate::accounts::Role;
        user.roles
            .iter()
            .filter(|g| matches!(g.role, Role::Pupil | Role::Supervisor | Role::Librarian))
            .filter_map(|g| g.school_id.clone())
            .collect()
    }

    fn district_wide(user: &crate::accounts::CurrentUser) -> bool {
        use crate::accounts::Role;
        user.has_role(Role::Admin) || user.has_role(Role::Coordinator)
    }

    /// Most hits a search reads before the policy and the pages cut them.
    const SEARCH_CAP: i64 = 500;
    /// Most working copies a staff search reads before the policy, and shows after it.
    const STAFF_CAP: i64 = 200;
    const STAFF_SHOWN: usize = 50;

    pub async fn search_showcase(
        q: String,
        school: String,
        initiative: String,
        year: String,
        tag: String,
        page: String,
        with_filters: bool,
    ) -> Result<super::super::SearchResults, AppError> {
        use super::super::{
            search::snippet, InitiativeHit, SearchFilters, SearchHit, SearchResults, StaffHit,
            HITS_PER_PAGE,
        };
        use crate::catalog::search::terms;
        let user = signed_in_user().await?;
        let state = app_state()?;
        let pool = &state.pool;
        let query = q.split_whitespace().collect::<Vec<_>>().join(" ");
        let query: String = query.chars().take(200).collect();
        let words: Vec<String> = terms(&query).into_iter().take(8).collect();
        let (school, initiative, tag) = (school.trim(), initiative.trim(), tag.trim());
        let year = year.trim().parse::<i32>().ok();
        let page = page.trim().parse::<usize>().unwrap_or(1).max(1);
        let filtered =
            !school.is_empty() || !initiative.is_empty() || year.is_some() || !tag.is_empty();
        let schools = user.as_ref().map(member_schools).unwrap_or_default();
        let viewer = match &user {
            None => db::Viewer::Anonymous,
            Some(u) if district_wide(u) => db::Viewer::District,
            Some(u) => db::Viewer::Person {
                user_id: &u.id,
                schools: &schools,
            },
        };
        let found = if words.is_empty() && !filtered {
            Vec::new()
        } else {
            db::find_publications(
                pool,
                &db::PublicationQuery {
                    terms: &words,
                    school: (!school.is_empty()).then_some(school),
                    initiative: (!initiative.is_empty()).then_some(initiative),
                    year,
                    tag: (!tag.is_empty()).then_some(tag),
                },
                &viewer,
                SEARCH_CAP,
            )
            .await?
        };
        // The policy decides on every row the SQL let through (people read in one query).
        let private: Vec<String> = found
            .iter()
            .filter(|f| f.audience != Audience::Public.as_str())
            .map(|f| f.project_id.clone())
            .collect();
        let people = crate::projects::db::people_by_project(pool, &private).await?;
        let empty = Default::default();
        let visible: Vec<db::FoundPublication> = found
            .into_iter()
            .filter(|f| {
                Audience::parse(&f.audience).is_some_and(|a| {
                    a == Audience::Public
                        || reads_publication(
                            user.as_ref(),
                            &f.school_id,
                            &f.status,
                            people.get(&f.project_id).unwrap_or(&empty),
                            a,
                        )
                })
            })
            .collect();
        let total = visible.len();
        let pages = total.div_ceil(HITS_PER_PAGE).max(1);
        let page = page.min(pages);
        let shown: Vec<db::FoundPublication> = visible
            .into_iter()
            .skip((page - 1) * HITS_PER_PAGE)
            .take(HITS_PER_PAGE)
            .collect();
        let ids: Vec<String> = shown.iter().map(|f| f.id.clone()).collect();
        let texts = if words.is_empty() {
            Vec::new()
        } else {
            db::publication_texts(pool, &ids).await?
        };
        let tags = db::publication_tags(pool, &ids).await?;
        let hits = shown
            .into_iter()
            .map(|f| {
                let found = texts.iter().filter(|(id, ..)| *id == f.id).find_map(
                    |(_, position, title, body)| {
                        snippet(body, &words).map(|s| (*position, title.clone(), s))
                    },
                );
                let (snippet_page, snippet) = match found {
                    Some((position, title, s)) => ((position > 0).then_some(title), s),
                    None => (None, Vec::new()),
                };
                SearchHit {
                    tags: tags
                        .iter()
                        .filter(|(id, _)| *id == f.id)
                        .map(|(_, t)| t.clone())
                        .collect(),
                    audience: Audience::parse(&f.audience).unwrap_or(Audience::Public),
                    project_id: f.project_id,
                    title: f.title,
                    summary: f.summary,
                    school: SchoolRef {
                        slug: f.school_slug,
                        short_name: f.school_short_name,
                    },
                    academic_year: f.academic_year,
                    published_at: parse_time(&f.published_at),
                    snippet,
                    snippet_page,
                }
            })
            .collect();
        let initiatives = if words.is_empty() || page > 1 {
            Vec::new()
        } else {
            crate::initiatives::db::search(pool, &words, 10)
                .await?
                .into_iter()
                .map(|i| InitiativeHit {
                    snippet: snippet(&i.words(), &words).unwrap_or_default(),
                    slug: i.slug,
                    title: i.title,
                    organiser: i.organiser,
                })
                .collect()
        };
        // Staff find the projects they may open, published or not, by every word of the working
        // copy (card, tags and pages: `project_terms`).
        let staff_user = user.as_ref().filter(|u| {
            use crate::accounts::Role;
            district_wide(u) || u.has_role(Role::Supervisor) || u.has_role(Role::Librarian)
        });
        let mut staff = Vec::new();
        if let (Some(u), false, 1) = (staff_user, words.is_empty(), page) {
            use crate::accounts::Role;
            let librarian_of: Vec<String> = u
                .roles
                .iter()
                .filter(|g| g.role == Role::Librarian)
                .filter_map(|g| g.school_id.clone())
                .collect();
            let school = (!school.is_empty()).then_some(school);
            let scope = crate::projects::db::WorkingScope {
                user_id: &u.id,
                schools: &librarian_of,
                all: district_wide(u),
            };
            let matches =
                crate::projects::db::find_working(pool, &words, &scope, school, STAFF_CAP).await?;
            let ids: Vec<String> = matches.iter().map(|c| c.id.clone()).collect();
            let people = crate::projects::db::people_by_project(pool, &ids).await?;
            let live = db::live_audiences(pool, &ids).await?;
            staff = matches
                .into_iter()
                .filter(|c| {
                    views_project(
                        Some(u),
                        &c.school_id,
                        &c.status,
                        people.get(&c.id).unwrap_or(&empty),
                    )
                })
                .take(STAFF_SHOWN)
                .map(|c| StaffHit {
                    published: live
                        .iter()
                        .find(|(id, _)| *id == c.id)
                        .and_then(|(_, a)| Audience::parse(a)),
                    project_id: c.id,
                    title: c.title,
                    school: SchoolRef {
                        slug: c.school_slug,
                        short_name: c.school_short_name,
                    },
                })
                .collect();
        }
        let filters = if !with_filters {
            SearchFilters::default()
        } else {
            SearchFilters {
                schools: crate::initiatives::db::all_schools(pool)
                    .await?
                    .into_iter()
                    .map(|(_, slug, short_name)| SchoolRef { slug, short_name })
                    .collect(),
                initiatives: crate::initiatives::db::list_initiatives(pool)
                    .await?
                    .into_iter()
                    .map(|i| (i.slug, i.title))
                    .collect(),
                years: db::publication_years(pool).await?,
                tags: db::popular_tags(pool, 30).await?,
            }
        };
        Ok(SearchResults {
            query,
            school: school.to_owned(),
            initiative: initiative.to_owned(),
            year,
            tag: tag.to_owned(),
            hits,
            total,
            page,
            pages,
            initiatives,
            staff,
            staff_searched: staff_user.is_some() && !words.is_empty(),
            filters,
        })
    }

    pub async fn load_children_projects() -> Result<Vec<super::super::ChildProject>, AppError> {
        use crate::accounts::Role;
        use crate::projects::db::{list_projects, ProjectFilter};
        let Some(user) = signed_in_user().await?.filter(|u| u.has_role(Role::Parent)) else {
            return Ok(Vec::new());
        };
        let state = app_state()?;
        let pool = &state.pool;
        let rows = list_projects(pool, &ProjectFilter::ChildrenOf(&user.id), 100, 0).await?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let live = db::live_audiences(pool, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| super::super::ChildProject {
                published: live
                    .iter()
                    .find(|(id, _)| *id == r.id)
                    .and_then(|(_, a)| Audience::parse(a)),
                project_id: r.id,
                title: r.title,
                school: SchoolRef {
                    slug: r.school_slug,
                    short_name: r.school_short_name,
                },
                page_count: r.page_count,
                updated_at: parse_time(&r.updated_at),
            })
            .collect())
    }

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
        // Everything below depends only on the publication row: read it all at once, each
        // query on its own connection of the pool.
        let (submission, pages, snapshot_members, supervisors, sources, initiatives, tags, cover) =
            tokio::try_join!(
                crate::review::db::find_submission(pool, &project.id, row.number),
                crate::review::db::snapshot_page_html(pool, &row.submission_id),
                db::snapshot_members(pool, &row.submission_id, project.academic_year),
                db::snapshot_supervisors(pool, &row.submission_id),
                db::snapshot_sources(pool, &row.submission_id),
                crate::initiatives::db::initiatives_of_project(pool, &project.id),
                db::tags_of(pool, &row.id),
                db::snapshot_cover(pool, &project.id, &row.submission_id),
            )?;
        let submission = submission.ok_or(AppError::NotFound)?;
        // Only the passport's text: its `members` hold full names and are never read here.
        let passport: SnapshotPassport =
            serde_json::from_str(&submission.passport).unwrap_or_default();
        let pages = pages
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
        for m in &snapshot_members {
            match member_name(m) {
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
            supervisors,
            pages,
            sources,
            may_unpublish,
            summary: summary_of(&topic),
            site_url: site_url.to_owned(),
            may_export: false,
            initiatives,
            tags,
            cover: cover.map(|id| format!("/files/{id}")),
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
        let (project, row, people) = tokio::try_join!(
            find_project(pool, &project_id),
            db::live_publication(pool, &project_id),
            project_people(pool, &project_id),
        )?;
        let (Some(project), Some(row)) = (project, row) else {
            return Err(AppError::NotFound);
        };
        let audience = Audience::parse(&row.audience).ok_or(AppError::NotFound)?;
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
        let listing = if school.is_empty() {
            db::Listing::District
        } else {
            db::Listing::School(school)
        };
        Ok(
            db::recent_public(&state.pool, listing, super::super::RECENT)
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
                .collect(),
        )
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
            initiatives: crate::initiatives::api::ssr::choices_for(&project).await?,
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

    /// Writes a new audience publication's tags, texts and search terms (links are never
    /// indexed): the passport's text and each page's, without markup.
    pub(crate) async fn index(
        tx: &mut crate::db::WriteTx,
        project_id: &str,
        publication_id: &str,
        submission_id: &str,
        passport: &SnapshotPassport,
    ) -> Result<(), AppError> {
        let tags = db::project_tags(tx, project_id).await?;
        let p = &passport.passport;
        let passport_text = [
            passport.topic.as_str(),
            passport.subject.as_str(),
            p.relevance.as_str(),
            p.goal.as_str(),
            p.tasks.as_str(),
            p.hypothesis.as_str(),
            p.product.as_str(),
        ]
        .into_iter()
        .filter(|t| !t.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
        let mut texts = vec![(String::new(), passport.title.clone(), passport_text)];
        for (slug, title, body) in db::snapshot_texts(tx, submission_id).await? {
            texts.push((slug, title, crate::markdown::plain_text(&body)));
        }
        let mut words = tags.join(" ");
        for (_, title, body) in &texts {
            words.push(' ');
            words.push_str(title);
            words.push(' ');
            words.push_str(body);
        }
        let terms = crate::catalog::search::terms(&words);
        db::index_publication(tx, publication_id, &tags, &texts, &terms).await?;
        Ok(())
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
        let publication = db::insert_publication(
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
        index(
            &mut tx,
            &project.row.id,
            &publication,
            &submission,
            &passport,
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
        let expires_at = crate::db::stamp(Utc::now() + Duration::days(days));
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
