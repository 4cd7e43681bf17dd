//! Server functions for projects, pages, revisions and files. Each finds the project it acts
//! on and asks the policy about it before anything else.

// A server function takes one argument per form field (the passport form has eleven).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};

use super::{
    DiffView, EditorView, HistoryView, MyProjects, NewProjectForm, PageView, ProjectView,
    RevisionView, SchoolProjects,
};
use crate::error::AppError;
use crate::markdown::SafeHtml;

/// The signed-in person's projects: their own, those they supervise, their children's.
#[server]
pub async fn load_my_projects() -> Result<MyProjects, AppError> {
    let user = crate::people::api::ssr::require(|u| {
        crate::accounts::policy::may(u, crate::accounts::policy::Action::ManageOwnAccount)
    })
    .await?;
    ssr::my_projects(user).await
}

/// What the form for a new project in a school offers (its pupils and supervisors).
#[server]
pub async fn load_new_project_form(slug: String) -> Result<NewProjectForm, AppError> {
    let (_, school) = ssr::creator_in(&slug).await?;
    ssr::new_project_form(school).await
}

/// Creates a project in a school (staff), optionally with its first pupil; the creator
/// supervises it. Goes to the new project.
#[server]
pub async fn create_project(
    slug: String,
    title: String,
    kind: String,
    project_type: String,
    topic: Option<String>,
    subject: Option<String>,
    pupil: Option<String>,
) -> Result<(), AppError> {
    let (user, school) = ssr::creator_in(&slug).await?;
    ssr::create_project(
        user,
        school,
        title,
        kind,
        project_type,
        topic,
        subject,
        pupil,
    )
    .await
}

/// A pupil proposes a project (title, topic, type) to a supervisor of their school; it waits
/// for the supervisor's answer.
#[server]
pub async fn propose_project(
    title: String,
    topic: String,
    project_type: String,
    supervisor: String,
) -> Result<(), AppError> {
    let (user, school_id) = ssr::proposer().await?;
    ssr::propose_project(user, school_id, title, topic, project_type, supervisor).await
}

/// The supervisor accepts (`decision` = `accept`) or declines a proposal, with an optional
/// comment for the pupil; accepting approves the topic (the first stage of the workflow).
#[server]
pub async fn decide_proposal(
    project_id: String,
    decision: String,
    comment: Option<String>,
) -> Result<(), AppError> {
    let project = ssr::manager_of(&project_id).await?;
    crate::review::api::ssr::decide_proposal(project, decision, comment.unwrap_or_default()).await
}

/// A project with its passport, people, pages and files.
#[server]
pub async fn load_project(id: String) -> Result<ProjectView, AppError> {
    let project = ssr::reader_of(&id).await?;
    ssr::load_project(project).await
}

/// Saves the passport (members and staff).
#[server]
pub async fn update_passport(
    project_id: String,
    title: String,
    topic: String,
    subject: String,
    project_type: String,
    relevance: String,
    goal: String,
    tasks: String,
    hypothesis: String,
    product: String,
    tags: String,
) -> Result<(), AppError> {
    let project = ssr::writer_of(&project_id).await?;
    let fields = ssr::PassportForm {
        title,
        topic,
        subject,
        project_type,
        relevance,
        goal,
        tasks,
        hypothesis,
        product,
        tags,
    };
    ssr::update_passport(project, fields).await
}

/// Individual or collective (staff).
#[server]
pub async fn set_project_kind(project_id: String, kind: String) -> Result<(), AppError> {
    let project = ssr::manager_of(&project_id).await?;
    ssr::set_project_kind(project, kind).await
}

/// Adds a pupil of the school to the project, or changes their note on their part (staff).
#[server]
pub async fn add_project_member(
    project_id: String,
    pupil_id: String,
    note: Option<String>,
) -> Result<(), AppError> {
    let project = ssr::manager_of(&project_id).await?;
    ssr::add_member(project, pupil_id, note.unwrap_or_default()).await
}

#[server]
pub async fn remove_project_member(project_id: String, pupil_id: String) -> Result<(), AppError> {
    let project = ssr::manager_of(&project_id).await?;
    ssr::remove_member(project, pupil_id).await
}

/// Adds a supervisor (a supervisor or librarian of the school).
#[server]
pub async fn add_project_supervisor(project_id: String, user_id: String) -> Result<(), AppError> {
    let project = ssr::manager_of(&project_id).await?;
    ssr::add_supervisor(project, user_id).await
}

/// Removes a supervisor; the last one stays.
#[server]
pub async fn remove_project_supervisor(
    project_id: String,
    user_id: String,
) -> Result<(), AppError> {
    let project = ssr::manager_of(&project_id).await?;
    ssr::remove_supervisor(project, user_id).await
}

/// Chooses one of the project's images as its cover (empty: none).
#[server]
pub async fn set_cover(project_id: String, file_id: String) -> Result<(), AppError> {
    let project = ssr::writer_of(&project_id).await?;
    ssr::set_cover(project, file_id).await
}

/// A school's projects for its librarian: by year, class, supervisor and kind, paged.
#[server]
pub async fn list_school_projects(
    slug: String,
    year: Option<i32>,
    class: Option<String>,
    supervisor: Option<String>,
    kind: Option<String>,
    page: Option<u32>,
) -> Result<SchoolProjects, AppError> {
    let school = ssr::school_lister(&slug).await?;
    ssr::school_projects(school, year, class, supervisor, kind, page.unwrap_or(1)).await
}

/// Adds a page at the end of the project; goes to its editor.
#[server]
pub async fn add_page(project_id: String, title: String) -> Result<(), AppError> {
    let project = ssr::writer_of(&project_id).await?;
    ssr::add_page(project, title).await
}

/// Moves a page one place `up` or `down`.
#[server]
pub async fn move_page(page_id: String, direction: String) -> Result<(), AppError> {
    let (project, page) = ssr::page_writer(&page_id).await?;
    ssr::move_page(project, page, direction).await
}

/// Puts the pages in the order given (page ids separated by commas), as drag and drop does.
#[server]
pub async fn reorder_pages(project_id: String, order: String) -> Result<(), AppError> {
    let project = ssr::writer_of(&project_id).await?;
    ssr::reorder_pages(project, order).await
}

/// Deletes a page; it stays recoverable with its history.
#[server]
pub async fn delete_page(page_id: String) -> Result<(), AppError> {
    let (project, page) = ssr::page_writer(&page_id).await?;
    ssr::delete_page(project, page).await
}

/// Brings a deleted page back.
#[server]
pub async fn restore_page(page_id: String) -> Result<(), AppError> {
    let (project, page) = ssr::page_writer(&page_id).await?;
    ssr::restore_page(project, page).await
}

/// A page as readers see it.
#[server]
pub async fn load_page(project_id: String, slug: String) -> Result<PageView, AppError> {
    let project = ssr::reader_of(&project_id).await?;
    ssr::load_page(project, slug).await
}

/// The editor of a page, with a draft of this writer's (a preview or a refused save).
#[server]
pub async fn load_editor(
    project_id: String,
    slug: String,
    draft: Option<String>,
) -> Result<EditorView, AppError> {
    let project = ssr::writer_of(&project_id).await?;
    ssr::load_editor(project, slug, draft).await
}

/// Saves a page as a new revision if nobody saved since `base_revision`; otherwise keeps the
/// text as a draft and goes back to the editor showing both versions. Nothing is overwritten.
#[server]
pub async fn save_page(
    page_id: String,
    base_revision: i64,
    title: String,
    body: String,
    summary: Option<String>,
) -> Result<(), AppError> {
    let (project, page) = ssr::page_writer(&page_id).await?;
    let text = ssr::PageText {
        base_revision,
        title,
        body,
        summary: summary.unwrap_or_default(),
    };
    ssr::save_page(project, page, text).await
}

/// The preview button without JavaScript: keeps the text as a draft and goes back to the
/// editor with the rendered preview.
#[server]
pub async fn preview_page(
    page_id: String,
    base_revision: i64,
    title: String,
    body: String,
    summary: Option<String>,
) -> Result<(), AppError> {
    let (project, page) = ssr::page_writer(&page_id).await?;
    let text = ssr::PageText {
        base_revision,
        title,
        body,
        summary: summary.unwrap_or_default(),
    };
    ssr::preview_page(project, page, text).await
}

/// The live preview beside the editor (with JavaScript): the same pipeline as saving.
#[server]
pub async fn render_preview(project_id: String, body: String) -> Result<SafeHtml, AppError> {
    let project = ssr::writer_of(&project_id).await?;
    ssr::render_preview(project, body).await
}

/// A page's revisions, newest first.
#[server]
pub async fn page_history(project_id: String, slug: String) -> Result<HistoryView, AppError> {
    let project = ssr::reader_of(&project_id).await?;
    ssr::page_history(project, slug).await
}

/// One revision of a page as it was saved.
#[server]
pub async fn load_revision(
    project_id: String,
    slug: String,
    number: i64,
) -> Result<RevisionView, AppError> {
    let project = ssr::reader_of(&project_id).await?;
    ssr::load_revision(project, slug, number).await
}

/// What changed between two revisions of a page.
#[server]
pub async fn diff_revisions(
    project_id: String,
    slug: String,
    from: i64,
    to: i64,
) -> Result<DiffView, AppError> {
    let project = ssr::reader_of(&project_id).await?;
    ssr::diff_revisions(project, slug, from, to).await
}

/// Makes an old revision the current text again, as a new revision (history keeps both).
#[server]
pub async fn restore_revision(page_id: String, number: i64) -> Result<(), AppError> {
    let (project, page) = ssr::page_writer(&page_id).await?;
    ssr::restore_revision(project, page, number).await
}

/// Uploads an image or an attachment (fields `project_id`, `file`).
#[server(input = MultipartFormData)]
pub async fn upload_file(data: MultipartData) -> Result<(), AppError> {
    // The project is named inside the form data: read the fields up to the file, ask the
    // policy, and only then read the file (its size is bounded by the server's body limit).
    ssr::upload_file(data).await
}

/// Deletes an uploaded file of a project.
#[server]
pub async fn delete_file(project_id: String, file_id: String) -> Result<(), AppError> {
    // The project first: whether the file still exists is nobody else's business.
    let project = ssr::writer_of(&project_id).await?;
    ssr::delete_file(project, file_id).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use chrono::{DateTime, NaiveDateTime};
    use server_fn::codec::MultipartData;

    use super::super::db::{
        self, FileRow, NewFile, NewProject, NewRevision, PageRow, PassportUpdate, ProjectFilter,
        ProjectPeople, ProjectRow,
    };
    use super::super::{
        page_slug, parse_tags, DiffLine, DiffView, DraftReason, DraftView, EditorView, FileInfo,
        HistoryView, MyProjects, NewProjectForm, PageRef, PageView, Passport, ProjectKind,
        ProjectStatus, ProjectSummary, ProjectType, ProjectView, RevisionInfo, RevisionView,
        SchoolProjects, MAX_FILE_BYTES, MAX_PASSPORT_CHARS, MAX_TITLE_CHARS, PROJECTS_PER_PAGE,
        PROJECT_QUOTA_BYTES,
    };
    use crate::accounts::api::ssr::signed_in_user;
    use crate::accounts::policy::{may, Action, ProjectAccess};
    use crate::accounts::{CurrentUser, Role};
    use crate::db::begin_write;
    use crate::error::{AppError, FieldError, FieldProblem};
    use crate::files::media::{self, FileType, MediaError};
    use crate::markdown::{self, SafeHtml, TocEntry};
    use crate::people::db::{audit, find_school, SchoolKey};
    use crate::people::SchoolRef;
    use crate::state::app_state;

    pub(crate) fn invalid(field: &str, problem: FieldProblem) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, problem)])
    }

    /// A project with the people around it and the person acting on it.
    pub struct Acting {
        pub user: CurrentUser,
        pub row: ProjectRow,
        pub people: ProjectPeople,
    }

    impl Acting {
        pub(crate) fn access(&self) -> ProjectAccess<'_> {
            access(&self.row, &self.people)
        }
        /// Records `action` on this project in the audit log; `detail` defaults to its title.
        pub(crate) async fn audit(
            &self,
            tx: &mut crate::db::WriteTx,
            action: &str,
            detail: Option<&str>,
        ) -> Result<(), AppError> {
            let detail = detail.unwrap_or(&self.row.title);
            audit(
                &mut **tx,
                &self.user.id,
                action,
                Some(&self.row.id),
                &self.row.school_id,
                detail,
            )
            .await?;
            Ok(())
        }

        pub(crate) fn may(&self, need: Need) -> bool {
            may(Some(&self.user), need.action(self.access()))
        }
    }

    /// What a server function needs to do to a project.
    #[derive(Clone, Copy)]
    pub enum Need {
        View,
        Edit,
        Manage,
    }

    impl Need {
        fn action(self, access: ProjectAccess<'_>) -> Action<'_> {
            match self {
                Need::View => Action::ViewProject(access),
                Need::Edit => Action::EditProject(access),
                Need::Manage => Action::ManageProject(access),
            }
        }
    }

    pub(crate) fn access<'a>(row: &'a ProjectRow, people: &'a ProjectPeople) -> ProjectAccess<'a> {
        access_of(&row.school_id, &row.status, people)
    }

    /// [`access`] of a project known by its school, status and people (lists read them in bulk).
    pub(crate) fn access_of<'a>(
        school_id: &'a str,
        status: &str,
        people: &'a ProjectPeople,
    ) -> ProjectAccess<'a> {
        ProjectAccess {
            school_id,
            declined: status == ProjectStatus::Declined.as_str(),
            members: &people.members,
            supervisors: &people.supervisors,
            parents: &people.parents,
            commission: &people.commission,
        }
    }

    /// Loads a project and checks `action` for the signed-in person: 401 for visitors, 403 for
    /// others, 404 when the project does not exist.
    pub(crate) async fn acting_on(project_id: &str, need: Need) -> Result<Acting, AppError> {
        let user = signed_in_user().await?;
        let state = app_state()?;
        let Some(user) = user else {
            return Err(AppError::Unauthorized);
        };
        let row = db::find_project(&state.pool, project_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let people = db::project_people(&state.pool, project_id).await?;
        if !may(Some(&user), need.action(access(&row, &people))) {
            return Err(AppError::Forbidden);
        }
        Ok(Acting { user, row, people })
    }

    pub async fn reader_of(project_id: &str) -> Result<Acting, AppError> {
        acting_on(project_id, Need::View).await
    }

    pub async fn writer_of(project_id: &str) -> Result<Acting, AppError> {
        acting_on(project_id, Need::Edit).await
    }

    pub async fn manager_of(project_id: &str) -> Result<Acting, AppError> {
        acting_on(project_id, Need::Manage).await
    }

    /// The page and the writer of its project.
    pub async fn page_writer(page_id: &str) -> Result<(Acting, PageRow), AppError> {
        signed_in_user().await?.ok_or(AppError::Unauthorized)?;
        let state = app_state()?;
        let page = db::find_page(&state.pool, page_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let project = writer_of(&page.project_id).await?;
        Ok((project, page))
    }

    /// Someone who may create projects in the school with this slug.
    pub async fn creator_in(slug: &str) -> Result<(CurrentUser, SchoolKey), AppError> {
        let user = signed_in_user().await?.ok_or(AppError::Unauthorized)?;
        let state = app_state()?;
        let school = find_school(&state.pool, slug)
            .await?
            .ok_or(AppError::NotFound)?;
        if !may(
            Some(&user),
            Action::CreateProject {
                school_id: &school.id,
            },
        ) {
            return Err(AppError::Forbidden);
        }
        Ok((user, school))
    }

    /// A pupil who may propose a project, with their school.
    pub async fn proposer() -> Result<(CurrentUser, String), AppError> {
        let user = signed_in_user().await?.ok_or(AppError::Unauthorized)?;
        let school_id = user
            .roles
            .iter()
            .find(|g| g.role == Role::Pupil)
            .and_then(|g| g.school_id.clone())
            .ok_or(AppError::Forbidden)?;
        if !may(
            Some(&user),
            Action::ProposeProject {
                school_id: &school_id,
            },
        ) {
            return Err(AppError::Forbidden);
        }
        Ok((user, school_id))
    }

    pub async fn school_lister(slug: &str) -> Result<SchoolKey, AppError> {
        let user = signed_in_user().await?.ok_or(AppError::Unauthorized)?;
        let state = app_state()?;
        let school = find_school(&state.pool, slug)
            .await?
            .ok_or(AppError::NotFound)?;
        if !may(
            Some(&user),
            Action::ListSchoolProjects {
                school_id: &school.id,
            },
        ) {
            return Err(AppError::Forbidden);
        }
        Ok(school)
    }

    /// A calendar date as stored (`YYYY-MM-DD`).
    pub(crate) fn parse_date(stored: &str) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::parse_from_str(stored, "%Y-%m-%d").ok()
    }

    pub(crate) fn parse_time(stamp: &str) -> NaiveDateTime {
        DateTime::parse_from_rfc3339(stamp)
            .map(|t| t.with_timezone(&chrono_tz::Asia::Vladivostok).naive_local())
            .unwrap_or_default()
    }

    fn school_ref(row: &ProjectRow) -> SchoolRef {
        SchoolRef {
            slug: row.school_slug.clone(),
            short_name: row.school_short_name.clone(),
        }
    }

    fn title_of(field: &str, input: &str) -> Result<String, AppError> {
        let title = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            return Err(invalid(field, FieldProblem::Required));
        }
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(invalid(
                field,
                FieldProblem::TooLong {
                    max: MAX_TITLE_CHARS,
                },
            ));
        }
        Ok(title)
    }

    fn long_text(field: &str, input: &str, problems: &mut Vec<FieldError>) -> String {
        let text = input.trim().replace("\r\n", "\n");
        if text.chars().count() > MAX_PASSPORT_CHARS {
            problems.push(FieldError::new(
                field,
                FieldProblem::TooLong {
                    max: MAX_PASSPORT_CHARS,
                },
            ));
        }
        text
    }

    // -----------------------------------------------------------------------------------------
    // Lists

    async fn summaries(rows: Vec<db::SummaryRow>) -> Result<Vec<ProjectSummary>, AppError> {
        let state = app_state()?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let people = db::people_of_projects(&state.pool, &ids).await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let names = |relation: &str| -> Vec<String> {
                    people
                        .iter()
                        .filter(|(p, rel, _)| *p == r.id && rel == relation)
                        .map(|(_, _, name)| name.clone())
                        .collect()
                };
                Some(ProjectSummary {
                    members: names("member"),
                    supervisors: names("supervisor"),
                    kind: ProjectKind::parse(&r.kind)?,
                    status: ProjectStatus::parse(&r.status)?,
                    academic_year: r.academic_year,
                    school: SchoolRef {
                        slug: r.school_slug,
                        short_name: r.school_short_name,
                    },
                    page_count: r.page_count,
                    updated_at: parse_time(&r.updated_at),
                    id: r.id,
                    title: r.title,
                })
            })
            .collect())
    }

    /// Lists longer than this are cut on personal pages (the school's list pages instead).
    const PERSONAL_LIST_LIMIT: u32 = 200;

    pub async fn my_projects(user: CurrentUser) -> Result<MyProjects, AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        async fn list(
            pool: &crate::db::Pool,
            filter: ProjectFilter<'_>,
        ) -> Result<Vec<ProjectSummary>, AppError> {
            let rows = db::list_projects(pool, &filter, PERSONAL_LIST_LIMIT, 0).await?;
            summaries(rows).await
        }
        let member_of = if user.has_role(Role::Pupil) {
            list(pool, ProjectFilter::MemberOf(&user.id)).await?
        } else {
            Vec::new()
        };
        let staff = user.has_role(Role::Supervisor) || user.has_role(Role::Librarian);
        let supervised = if staff {
            list(pool, ProjectFilter::SupervisedBy(&user.id)).await?
        } else {
            Vec::new()
        };
        let children = if user.has_role(Role::Parent) {
            list(pool, ProjectFilter::ChildrenOf(&user.id)).await?
        } else {
            Vec::new()
        };
        let pupil_school = user
            .roles
            .iter()
            .find(|g| g.role == Role::Pupil)
            .and_then(|g| g.school_id.clone());
        let supervisors = match &pupil_school {
            Some(school_id) => db::school_supervisors(pool, school_id).await?,
            None => Vec::new(),
        };
        let mut create_in = Vec::new();
        for grant in &user.roles {
            if let (Role::Supervisor | Role::Librarian, Some(school_id)) =
                (grant.role, &grant.school_id)
            {
                if let Some(school) = crate::people::db::find_school_by_id(pool, school_id).await? {
                    let school = SchoolRef {
                        slug: school.slug,
                        short_name: school.short_name,
                    };
                    if !create_in.contains(&school) {
                        create_in.push(school);
                    }
                }
            }
        }
        Ok(MyProjects {
            member_of,
            supervised,
            children,
            may_propose: pupil_school.is_some(),
            supervisors,
            create_in,
        })
    }

    pub async fn new_project_form(school: SchoolKey) -> Result<NewProjectForm, AppError> {
        let state = app_state()?;
        let year = crate::people::api::ssr::current_year();
        Ok(NewProjectForm {
            supervisors: db::school_supervisors(&state.pool, &school.id).await?,
            pupils: db::school_pupils(&state.pool, &school.id, year).await?,
            school: SchoolRef {
                slug: school.slug,
                short_name: school.short_name,
            },
            academic_year: year,
        })
    }

    pub async fn school_projects(
        school: SchoolKey,
        year: Option<i32>,
        class: Option<String>,
        supervisor: Option<String>,
        kind: Option<String>,
        page: u32,
    ) -> Result<SchoolProjects, AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        let current = crate::people::api::ssr::current_year();
        let year = year
            .filter(|y| (2000..=2100).contains(y))
            .unwrap_or(current);
        let classes = db::school_classes(pool, &school.id, year).await?;
        let supervisors = db::school_supervisors(pool, &school.id).await?;
        // Unknown filter values are ignored rather than refused: the list is still useful.
        let class = class.filter(|c| classes.iter().any(|(id, _)| id == c));
        let supervisor = supervisor.filter(|s| supervisors.iter().any(|p| &p.id == s));
        let kind = kind.as_deref().and_then(ProjectKind::parse);
        let page = page.clamp(1, 10_000);
        let filter = ProjectFilter::School {
            school_id: &school.id,
            year,
            class_id: class.as_deref(),
            supervisor_id: supervisor.as_deref(),
            kind: kind.map(ProjectKind::as_str),
        };
        let total = db::count_projects(pool, &filter).await?;
        let mut rows = db::list_projects(
            pool,
            &filter,
            PROJECTS_PER_PAGE + 1,
            (page - 1) * PROJECTS_PER_PAGE,
        )
        .await?;
        let has_more = rows.len() > PROJECTS_PER_PAGE as usize;
        rows.truncate(PROJECTS_PER_PAGE as usize);
        let mut years = db::project_years(pool, &school.id).await?;
        if !years.contains(&current) {
            years.insert(0, current);
        }
        Ok(SchoolProjects {
            school: SchoolRef {
                slug: school.slug,
                short_name: school.short_name,
            },
            academic_year: year,
            years,
            classes,
            supervisors,
            class,
            supervisor,
            kind,
            page,
            has_more,
            total,
            projects: summaries(rows).await?,
        })
    }

    // -----------------------------------------------------------------------------------------
    // Creating and managing projects

    pub async fn create_project(
        user: CurrentUser,
        school: SchoolKey,
        title: String,
        kind: String,
        project_type: String,
        topic: Option<String>,
        subject: Option<String>,
        pupil: Option<String>,
    ) -> Result<(), AppError> {
        let title = title_of("title", &title)?;
        let kind =
            ProjectKind::parse(&kind).ok_or_else(|| invalid("kind", FieldProblem::Invalid))?;
        let project_type = ProjectType::parse(&project_type)
            .ok_or_else(|| invalid("project_type", FieldProblem::Invalid))?;
        let mut problems = Vec::new();
        let topic = long_text("topic", topic.as_deref().unwrap_or(""), &mut problems);
        let subject = long_text("subject", subject.as_deref().unwrap_or(""), &mut problems);
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let state = app_state()?;
        let pupil = pupil.filter(|p| !p.is_empty());
        if let Some(pupil) = &pupil {
            if !db::pupil_in_school(&state.pool, pupil, &school.id).await? {
                return Err(invalid("pupil", FieldProblem::Invalid));
            }
        }
        let year = crate::people::api::ssr::current_year();
        let mut tx = begin_write(&state.pool).await?;
        let id = db::insert_project(
            &mut tx,
            &NewProject {
                school_id: &school.id,
                academic_year: year,
                kind: kind.as_str(),
                status: ProjectStatus::Active.as_str(),
                title: &title,
                topic: &topic,
                subject: &subject,
                project_type: project_type.as_str(),
                created_by: &user.id,
            },
        )
        .await?;
        db::add_supervisor(&mut *tx, &id, &user.id).await?;
        if let Some(pupil) = &pupil {
            db::add_member(&mut *tx, &id, pupil, "").await?;
        }
        audit(
            &mut *tx,
            &user.id,
            "create_project",
            Some(&id),
            &school.id,
            &title,
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/projects/{id}"));
        Ok(())
    }

    pub async fn propose_project(
        user: CurrentUser,
        school_id: String,
        title: String,
        topic: String,
        project_type: String,
        supervisor: String,
    ) -> Result<(), AppError> {
        let title = title_of("title", &title)?;
        let project_type = ProjectType::parse(&project_type)
            .ok_or_else(|| invalid("project_type", FieldProblem::Invalid))?;
        let mut problems = Vec::new();
        let topic = long_text("topic", &topic, &mut problems);
        if topic.is_empty() {
            problems.push(FieldError::new("topic", FieldProblem::Required));
        }
        let state = app_state()?;
        if !db::is_school_staff(&state.pool, &supervisor, &school_id).await? {
            problems.push(FieldError::new("supervisor", FieldProblem::Invalid));
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let year = crate::people::api::ssr::current_year();
        let mut tx = begin_write(&state.pool).await?;
        let id = db::insert_project(
            &mut tx,
            &NewProject {
                school_id: &school_id,
                academic_year: year,
                kind: ProjectKind::Individual.as_str(),
                status: ProjectStatus::Proposed.as_str(),
                title: &title,
                topic: &topic,
                subject: "",
                project_type: project_type.as_str(),
                created_by: &user.id,
            },
        )
        .await?;
        db::add_member(&mut *tx, &id, &user.id, "").await?;
        db::add_supervisor(&mut *tx, &id, &supervisor).await?;
        audit(
            &mut *tx,
            &user.id,
            "propose_project",
            Some(&id),
            &school_id,
            &title,
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/projects/{id}"));
        Ok(())
    }

    /// The fields of the passport form.
    pub struct PassportForm {
        pub title: String,
        pub topic: String,
        pub subject: String,
        pub project_type: String,
        pub relevance: String,
        pub goal: String,
        pub tasks: String,
        pub hypothesis: String,
        pub product: String,
        pub tags: String,
    }

    pub async fn update_passport(project: Acting, form: PassportForm) -> Result<(), AppError> {
        let mut problems = Vec::new();
        let title = match title_of("title", &form.title) {
            Ok(t) => t,
            Err(AppError::Invalid(mut p)) => {
                problems.append(&mut p);
                String::new()
            }
            Err(other) => return Err(other),
        };
        let project_type = ProjectType::parse(&form.project_type);
        if project_type.is_none() {
            problems.push(FieldError::new("project_type", FieldProblem::Invalid));
        }
        let topic = long_text("topic", &form.topic, &mut problems);
        let subject = long_text("subject", &form.subject, &mut problems);
        let relevance = long_text("relevance", &form.relevance, &mut problems);
        let goal = long_text("goal", &form.goal, &mut problems);
        let tasks = long_text("tasks", &form.tasks, &mut problems);
        let hypothesis = long_text("hypothesis", &form.hypothesis, &mut problems);
        let product = long_text("product", &form.product, &mut problems);
        let (Some(project_type), true) = (project_type, problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        let tags = parse_tags(&form.tags);
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        db::update_passport(
            &mut *tx,
            &project.row.id,
            &PassportUpdate {
                title: &title,
                topic: &topic,
                subject: &subject,
                project_type: project_type.as_str(),
                relevance: &relevance,
                goal: &goal,
                tasks: &tasks,
                hypothesis: &hypothesis,
                product: &product,
            },
        )
        .await?;
        db::set_tags(&mut tx, &project.row.id, &tags).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/projects/{}", project.row.id));
        Ok(())
    }

    pub async fn set_project_kind(project: Acting, kind: String) -> Result<(), AppError> {
        let kind =
            ProjectKind::parse(&kind).ok_or_else(|| invalid("kind", FieldProblem::Invalid))?;
        if kind == ProjectKind::Individual && project.people.members.len() > 1 {
            return Err(invalid("kind", FieldProblem::Invalid));
        }
        let state = app_state()?;
        db::set_kind(&state.pool, &project.row.id, kind.as_str()).await?;
        Ok(())
    }

    pub async fn add_member(
        project: Acting,
        pupil_id: String,
        note: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        if !db::pupil_in_school(&state.pool, &pupil_id, &project.row.school_id).await? {
            return Err(invalid("pupil_id", FieldProblem::Invalid));
        }
        let note: String = note.trim().chars().take(300).collect();
        let is_new = !project.people.members.contains(&pupil_id);
        if is_new
            && project.row.kind == ProjectKind::Individual.as_str()
            && !project.people.members.is_empty()
        {
            // An individual project has one pupil: make it collective first.
            return Err(invalid("pupil_id", FieldProblem::Taken));
        }
        let mut tx = begin_write(&state.pool).await?;
        db::add_member(&mut *tx, &project.row.id, &pupil_id, &note).await?;
        db::touch_project(&mut *tx, &project.row.id).await?;
        if is_new {
            project.audit(&mut tx, "add_project_member", None).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn remove_member(project: Acting, pupil_id: String) -> Result<(), AppError> {
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        if db::remove_member(&mut *tx, &project.row.id, &pupil_id).await? {
            project
                .audit(&mut tx, "remove_project_member", None)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_supervisor(project: Acting, user_id: String) -> Result<(), AppError> {
        let state = app_state()?;
        if !db::is_school_staff(&state.pool, &user_id, &project.row.school_id).await? {
            return Err(invalid("user_id", FieldProblem::Invalid));
        }
        let mut tx = begin_write(&state.pool).await?;
        db::add_supervisor(&mut *tx, &project.row.id, &user_id).await?;
        project
            .audit(&mut tx, "add_project_supervisor", None)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn remove_supervisor(project: Acting, user_id: String) -> Result<(), AppError> {
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        if db::count_supervisors(&mut tx, &project.row.id).await? <= 1 {
            return Err(AppError::Conflict);
        }
        if db::remove_supervisor(&mut *tx, &project.row.id, &user_id).await? {
            project
                .audit(&mut tx, "remove_project_supervisor", None)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_cover(project: Acting, file_id: String) -> Result<(), AppError> {
        let state = app_state()?;
        let cover = if file_id.is_empty() {
            None
        } else {
            let file = db::find_file(&state.pool, &file_id)
                .await?
                .filter(|f| f.project_id == project.row.id && !f.name.contains('/'))
                .ok_or(AppError::NotFound)?;
            if !FileType::parse(&file.file_type).is_some_and(FileType::is_image) {
                return Err(invalid("file_id", FieldProblem::Invalid));
            }
            Some(file.id)
        };
        db::set_cover(&state.pool, &project.row.id, cover.as_deref()).await?;
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Reading a project

    fn file_info(f: &FileRow) -> FileInfo {
        let file_type = FileType::parse(&f.file_type);
        FileInfo {
            id: f.id.clone(),
            name: f.name.clone(),
            is_image: file_type.is_some_and(FileType::is_image),
            extension: file_type.map(FileType::extension).unwrap_or("").to_owned(),
            size_bytes: f.size_bytes,
            width: f.width,
            height: f.height,
        }
    }

    pub async fn load_project(project: Acting) -> Result<ProjectView, AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        let row = &project.row;
        let pages = db::list_pages(pool, &row.id).await?;
        let files = db::list_files(pool, &row.id).await?;
        let (live, deleted): (Vec<_>, Vec<_>) = pages.iter().partition(|p| p.deleted_at.is_none());
        let may_manage = project.may(Need::Manage);
        let (pupil_choices, supervisor_choices) = if may_manage {
            (
                db::school_pupils(pool, &row.school_id, row.academic_year).await?,
                db::school_supervisors(pool, &row.school_id).await?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(ProjectView {
            id: row.id.clone(),
            title: row.title.clone(),
            topic: row.topic.clone(),
            subject: row.subject.clone(),
            kind: ProjectKind::parse(&row.kind).ok_or(AppError::Internal)?,
            status: ProjectStatus::parse(&row.status).ok_or(AppError::Internal)?,
            project_type: ProjectType::parse(&row.project_type).ok_or(AppError::Internal)?,
            academic_year: row.academic_year,
            school: school_ref(row),
            passport: Passport {
                relevance: row.relevance.clone(),
                goal: row.goal.clone(),
                tasks: row.tasks.clone(),
                hypothesis: row.hypothesis.clone(),
                product: row.product.clone(),
            },
            members: db::list_members(pool, &row.id, row.academic_year).await?,
            supervisors: db::list_supervisors(pool, &row.id).await?,
            tags: db::list_tags(pool, &row.id).await?,
            cover: row.cover_file_id.clone(),
            pages: live.iter().map(|p| p.page_ref()).collect(),
            deleted_pages: deleted.iter().map(|p| p.page_ref()).collect(),
            quota_used: files.iter().map(|f| f.size_bytes).sum(),
            quota_total: PROJECT_QUOTA_BYTES,
            files: files.iter().map(file_info).collect(),
            may_edit: project.may(Need::Edit),
            may_manage,
            pupil_choices,
            supervisor_choices,
            stage: match &row.stage_id {
                Some(stage_id) => crate::review::db::list_stages(pool, &row.school_id)
                    .await?
                    .into_iter()
                    .find(|s| &s.id == stage_id)
                    .map(|s| {
                        crate::review::api::ssr::stage_name(s.code.as_deref(), s.name.as_deref())
                    }),
                None => None,
            },
            review_state: crate::review::ReviewState::parse(&row.review_state)
                .unwrap_or(crate::review::ReviewState::Working),
        })
    }

    async fn live_page(project: &Acting, slug: &str) -> Result<PageRow, AppError> {
        let state = app_state()?;
        db::find_page_by_slug(&state.pool, &project.row.id, slug)
            .await?
            .ok_or(AppError::NotFound)
    }

    async fn live_pages(project: &Acting) -> Result<Vec<PageRef>, AppError> {
        let state = app_state()?;
        Ok(db::list_pages(&state.pool, &project.row.id)
            .await?
            .iter()
            .filter(|p| p.deleted_at.is_none())
            .map(PageRow::page_ref)
            .collect())
    }

    fn toc_of(json: &str) -> Vec<TocEntry> {
        serde_json::from_str(json).unwrap_or_default()
    }

    pub async fn load_page(project: Acting, slug: String) -> Result<PageView, AppError> {
        let state = app_state()?;
        let page = live_page(&project, &slug).await?;
        let revision = db::find_revision(&state.pool, &page.id, page.revision)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(PageView {
            project_id: project.row.id.clone(),
            project_title: project.row.title.clone(),
            pages: live_pages(&project).await?,
            page: page.page_ref(),
            revision: page.revision,
            // Rendered and sanitized when it was saved: reading never renders Markdown.
            html: SafeHtml::from_stored(revision.html),
            toc: toc_of(&revision.toc),
            author: revision.author,
            saved_at: parse_time(&revision.created_at),
            may_edit: project.may(Need::Edit),
        })
    }

    /// Renders Markdown with the project's images resolved by name or by address.
    pub(crate) async fn render(
        project_id: &str,
        body: &str,
    ) -> Result<markdown::Rendered, AppError> {
        let state = app_state()?;
        let files = db::list_files(&state.pool, project_id).await?;
        let images: Vec<&FileRow> = files
            .iter()
            .filter(|f| FileType::parse(&f.file_type).is_some_and(FileType::is_image))
            .collect();
        let resolve = |src: &str| -> Option<String> {
            let src = src.trim();
            let by_address = src
                .strip_prefix("/files/")
                .map(|rest| rest.trim_end_matches("/thumb"));
            images
                .iter()
                .find(|f| f.name == src || by_address == Some(f.id.as_str()))
                .map(|f| {
                    if src.ends_with("/thumb") {
                        format!("/files/{}/thumb", f.id)
                    } else {
                        format!("/files/{}", f.id)
                    }
                })
        };
        // Citations resolve to the project's sources as they are now; the numbered list the
        // page ends with is written into the stored HTML, so a revision keeps it as it was.
        let sources = crate::catalog::db::citable_sources(&state.pool, project_id).await?;
        let citable: Vec<markdown::Citable> = sources
            .iter()
            .map(|(key, description)| markdown::Citable { key, description })
            .collect();
        let citations = markdown::Citations {
            sources: &citable,
            heading: crate::i18n::td_string!(crate::i18n::Locale::ru, catalog.page_sources),
        };
        Ok(markdown::render_with(body, &resolve, Some(&citations)))
    }

    pub(crate) fn check_body(body: &str) -> Result<String, AppError> {
        if body.len() > markdown::MAX_SOURCE_BYTES {
            return Err(invalid(
                "body",
                FieldProblem::FileTooLarge {
                    max_kib: markdown::MAX_SOURCE_BYTES / 1024,
                },
            ));
        }
        Ok(body.replace("\r\n", "\n"))
    }

    pub async fn render_preview(project: Acting, body: String) -> Result<SafeHtml, AppError> {
        let body = check_body(&body)?;
        Ok(render(&project.row.id, &body).await?.html)
    }

    // -----------------------------------------------------------------------------------------
    // Pages

    fn page_path(project_id: &str, slug: &str) -> String {
        format!("/projects/{project_id}/pages/{slug}")
    }

    pub async fn add_page(project: Acting, title: String) -> Result<(), AppError> {
        let title = title_of("title", &title)?;
        let rendered = render(&project.row.id, "").await?;
        let toc = serde_json::to_string(&rendered.toc).map_err(|e| AppError::internal("toc", e))?;
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        let slug = db::free_slug(&mut tx, &project.row.id, &page_slug(&title), None).await?;
        db::insert_page(
            &mut tx,
            &project.row.id,
            &slug,
            &NewRevision {
                title: &title,
                body: "",
                html: rendered.html.as_str(),
                toc: &toc,
                summary: "",
                author_id: &project.user.id,
                restored_from: None,
            },
        )
        .await?;
        db::touch_project(&mut *tx, &project.row.id).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("{}/edit", page_path(&project.row.id, &slug)));
        Ok(())
    }

    pub async fn move_page(
        project: Acting,
        page: PageRow,
        direction: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        let mut ids = db::live_page_ids(&mut tx, &project.row.id).await?;
        let at = ids
            .iter()
            .position(|id| *id == page.id)
            .ok_or(AppError::NotFound)?;
        match direction.as_str() {
            "up" if at > 0 => ids.swap(at, at - 1),
            "down" if at + 1 < ids.len() => ids.swap(at, at + 1),
            "up" | "down" => {}
            _ => return Err(AppError::BadRequest),
        }
        db::set_positions(&mut tx, &project.row.id, &ids).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn reorder_pages(project: Acting, order: String) -> Result<(), AppError> {
        let wanted: Vec<String> = order
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        let mut current = db::live_page_ids(&mut tx, &project.row.id).await?;
        let mut sorted_wanted = wanted.clone();
        sorted_wanted.sort();
        current.sort();
        // The order must name exactly the live pages: a stale list (a page added or deleted
        // meanwhile) is refused rather than half applied.
        if sorted_wanted != current {
            return Err(AppError::Conflict);
        }
        db::set_positions(&mut tx, &project.row.id, &wanted).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_page(project: Acting, page: PageRow) -> Result<(), AppError> {
        if page.deleted_at.is_some() {
            return Ok(());
        }
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        db::delete_page(&mut tx, &page.id, &project.user.id).await?;
        project
            .audit(
                &mut tx,
                "delete_page",
                Some(&format!("{} · {}", project.row.title, page.title)),
            )
            .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/projects/{}", project.row.id));
        Ok(())
    }

    pub async fn restore_page(project: Acting, page: PageRow) -> Result<(), AppError> {
        if page.deleted_at.is_none() {
            return Ok(());
        }
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        let slug = db::free_slug(&mut tx, &project.row.id, &page.slug, Some(&page.id)).await?;
        db::undelete_page(&mut tx, &page.id, &project.row.id, &slug).await?;
        tx.commit().await?;
        leptos_axum::redirect(&page_path(&project.row.id, &slug));
        Ok(())
    }

    /// The text of the editor form.
    pub struct PageText {
        pub base_revision: i64,
        pub title: String,
        pub body: String,
        pub summary: String,
    }

    fn summary_of(input: &str) -> String {
        input
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(200)
            .collect()
    }

    pub async fn save_page(project: Acting, page: PageRow, text: PageText) -> Result<(), AppError> {
        if page.deleted_at.is_some() {
            return Err(AppError::NotFound);
        }
        let body = check_body(&text.body)?;
        let title = title_of("title", &text.title)?;
        let summary = summary_of(&text.summary);
        let rendered = render(&project.row.id, &body).await?;
        let toc = serde_json::to_string(&rendered.toc).map_err(|e| AppError::internal("toc", e))?;
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        let slug = if title == page.title {
            page.slug.clone()
        } else {
            db::free_slug(&mut tx, &project.row.id, &page_slug(&title), Some(&page.id)).await?
        };
        let saved = db::save_revision(
            &mut tx,
            &page.id,
            text.base_revision,
            &slug,
            &NewRevision {
                title: &title,
                body: &body,
                html: rendered.html.as_str(),
                toc: &toc,
                summary: &summary,
                author_id: &project.user.id,
                restored_from: None,
            },
        )
        .await?;
        match saved {
            Some(_) => {
                db::delete_drafts(&mut tx, &page.id, &project.user.id).await?;
                db::touch_project(&mut *tx, &project.row.id).await?;
                tx.commit().await?;
                leptos_axum::redirect(&page_path(&project.row.id, &slug));
            }
            None => {
                // Someone saved since this writer opened the editor: keep this text for them
                // and show both versions; nothing is overwritten.
                let draft = db::insert_draft(
                    &mut tx,
                    &db::NewDraft {
                        page_id: &page.id,
                        author_id: &project.user.id,
                        reason: DraftReason::Conflict.as_str(),
                        base_revision: text.base_revision,
                        title: &title,
                        body: &body,
                        summary: &summary,
                    },
                )
                .await?;
                tx.commit().await?;
                leptos_axum::redirect(&format!(
                    "{}/edit?draft={draft}",
                    page_path(&project.row.id, &page.slug)
                ));
            }
        }
        Ok(())
    }

    pub async fn preview_page(
        project: Acting,
        page: PageRow,
        text: PageText,
    ) -> Result<(), AppError> {
        if page.deleted_at.is_some() {
            return Err(AppError::NotFound);
        }
        let body = check_body(&text.body)?;
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        // A title left empty is kept as the page's: the preview is not the place to refuse it.
        let title = title_of("title", &text.title).unwrap_or_else(|_| page.title.clone());
        let draft = db::insert_draft(
            &mut tx,
            &db::NewDraft {
                page_id: &page.id,
                author_id: &project.user.id,
                reason: DraftReason::Preview.as_str(),
                base_revision: text.base_revision,
                title: &title,
                body: &body,
                summary: &summary_of(&text.summary),
            },
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!(
            "{}/edit?draft={draft}#preview",
            page_path(&project.row.id, &page.slug)
        ));
        Ok(())
    }

    /// Line by line differences, with three lines of context around each change.
    pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
        use similar::{ChangeTag, TextDiff};
        let diff = TextDiff::from_lines(old, new);
        let mut lines = Vec::new();
        for (i, group) in diff.grouped_ops(3).iter().enumerate() {
            if i > 0 {
                lines.push(DiffLine::Gap);
            }
            for op in group {
                for change in diff.iter_changes(op) {
                    let text = change.value().trim_end_matches('\n').to_owned();
                    lines.push(match change.tag() {
                        ChangeTag::Equal => DiffLine::Same(text),
                        ChangeTag::Insert => DiffLine::Added(text),
                        ChangeTag::Delete => DiffLine::Removed(text),
                    });
                }
            }
        }
        lines
    }

    pub async fn load_editor(
        project: Acting,
        slug: String,
        draft: Option<String>,
    ) -> Result<EditorView, AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        let page = live_page(&project, &slug).await?;
        let current = db::find_revision(pool, &page.id, page.revision)
            .await?
            .ok_or(AppError::NotFound)?;
        let draft = match draft.filter(|d| !d.is_empty()) {
            Some(id) => db::find_draft(pool, &id, &project.user.id)
                .await?
                .filter(|d| d.page_id == page.id),
            None => None,
        };
        let images = db::list_files(pool, &project.row.id)
            .await?
            .iter()
            .map(file_info)
            .filter(|f| f.is_image)
            .collect();
        let sources = crate::catalog::db::citable_sources(pool, &project.row.id)
            .await?
            .into_iter()
            .map(|(key, description)| super::super::CitableSource { key, description })
            .collect::<Vec<_>>();
        let Some(draft) = draft else {
            return Ok(EditorView {
                sources,
                project_id: project.row.id.clone(),
                project_title: project.row.title.clone(),
                page: page.page_ref(),
                base_revision: page.revision,
                title: page.title.clone(),
                body: current.body,
                summary: String::new(),
                draft: None,
                images,
            });
        };
        let reason = DraftReason::parse(&draft.reason).unwrap_or(DraftReason::Preview);
        let preview = render(&project.row.id, &draft.body).await?.html;
        // A conflict is shown against the revision the writer started from; a preview whose
        // base is no longer current is a conflict too (someone saved while they previewed).
        let conflict = reason == DraftReason::Conflict || draft.base_revision != page.revision;
        let (other_author, changes) = if conflict {
            let base = db::find_revision(pool, &page.id, draft.base_revision).await?;
            let base_body = base.map(|b| b.body).unwrap_or_default();
            (
                Some(current.author.clone().unwrap_or_default()),
                diff_lines(&base_body, &current.body),
            )
        } else {
            (None, Vec::new())
        };
        Ok(EditorView {
            project_id: project.row.id.clone(),
            project_title: project.row.title.clone(),
            page: page.page_ref(),
            // Saving the merged text builds on what is current now.
            base_revision: page.revision,
            title: draft.title.clone().unwrap_or_else(|| page.title.clone()),
            body: draft.body,
            summary: draft.summary,
            draft: Some(DraftView {
                id: draft.id,
                reason: if conflict {
                    DraftReason::Conflict
                } else {
                    DraftReason::Preview
                },
                preview,
                other_author,
                current_body: if conflict {
                    current.body
                } else {
                    String::new()
                },
                changes,
            }),
            images,
            sources,
        })
    }

    fn revision_info(r: &db::RevisionRow) -> RevisionInfo {
        RevisionInfo {
            number: r.number,
            author: r.author.clone(),
            saved_at: parse_time(&r.created_at),
            summary: r.summary.clone(),
            restored_from: r.restored_from,
        }
    }

    pub async fn page_history(project: Acting, slug: String) -> Result<HistoryView, AppError> {
        let state = app_state()?;
        let page = live_page(&project, &slug).await?;
        let revisions = db::list_revisions(&state.pool, &page.id)
            .await?
            .into_iter()
            .map(
                |(number, author, at, summary, restored_from)| RevisionInfo {
                    number,
                    author,
                    saved_at: parse_time(&at),
                    summary,
                    restored_from,
                },
            )
            .collect();
        Ok(HistoryView {
            project_id: project.row.id.clone(),
            project_title: project.row.title.clone(),
            page: page.page_ref(),
            current: page.revision,
            revisions,
            may_edit: project.may(Need::Edit),
        })
    }

    pub async fn load_revision(
        project: Acting,
        slug: String,
        number: i64,
    ) -> Result<RevisionView, AppError> {
        let state = app_state()?;
        let page = live_page(&project, &slug).await?;
        let revision = db::find_revision(&state.pool, &page.id, number)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(RevisionView {
            project_id: project.row.id.clone(),
            project_title: project.row.title.clone(),
            page: page.page_ref(),
            current: page.revision,
            info: revision_info(&revision),
            title: revision.title,
            html: SafeHtml::from_stored(revision.html),
            may_edit: project.may(Need::Edit),
        })
    }

    pub async fn diff_revisions(
        project: Acting,
        slug: String,
        from: i64,
        to: i64,
    ) -> Result<DiffView, AppError> {
        let state = app_state()?;
        let page = live_page(&project, &slug).await?;
        let (from, to) = (from.min(to), from.max(to));
        let old = db::find_revision(&state.pool, &page.id, from)
            .await?
            .ok_or(AppError::NotFound)?;
        let new = db::find_revision(&state.pool, &page.id, to)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut lines = Vec::new();
        if old.title != new.title {
            lines.push(DiffLine::Removed(format!("# {}", old.title)));
            lines.push(DiffLine::Added(format!("# {}", new.title)));
        }
        lines.extend(diff_lines(&old.body, &new.body));
        Ok(DiffView {
            project_id: project.row.id.clone(),
            project_title: project.row.title.clone(),
            page: page.page_ref(),
            from,
            to,
            lines,
        })
    }

    pub async fn restore_revision(
        project: Acting,
        page: PageRow,
        number: i64,
    ) -> Result<(), AppError> {
        if page.deleted_at.is_some() {
            return Err(AppError::NotFound);
        }
        let state = app_state()?;
        let old = db::find_revision(&state.pool, &page.id, number)
            .await?
            .ok_or(AppError::NotFound)?;
        // Rendered again: the project's images may have changed since.
        let rendered = render(&project.row.id, &old.body).await?;
        let toc = serde_json::to_string(&rendered.toc).map_err(|e| AppError::internal("toc", e))?;
        let mut tx = begin_write(&state.pool).await?;
        let current = db::find_page(&mut *tx, &page.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let slug = if old.title == current.title {
            current.slug.clone()
        } else {
            db::free_slug(
                &mut tx,
                &project.row.id,
                &page_slug(&old.title),
                Some(&page.id),
            )
            .await?
        };
        db::save_revision(
            &mut tx,
            &page.id,
            current.revision,
            &slug,
            &NewRevision {
                title: &old.title,
                body: &old.body,
                html: rendered.html.as_str(),
                toc: &toc,
                summary: "",
                author_id: &project.user.id,
                restored_from: Some(number),
            },
        )
        .await?
        .ok_or(AppError::Conflict)?;
        db::touch_project(&mut *tx, &project.row.id).await?;
        tx.commit().await?;
        leptos_axum::redirect(&page_path(&project.row.id, &slug));
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Files

    /// A file name safe to show and to type into Markdown: no path, no control characters,
    /// at most 100 characters, with the extension of the detected type.
    pub fn clean_file_name(original: &str, file_type: FileType) -> String {
        let base = original.rsplit(['/', '\\']).next().unwrap_or_default();
        let stem = match base.rsplit_once('.') {
            Some((stem, _)) if !stem.is_empty() => stem,
            _ => base,
        };
        let stem: String = stem
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .take(90)
            .collect();
        let stem = stem.trim_matches(|c| c == '-' || c == '.');
        let stem = if stem.is_empty() { "file" } else { stem };
        format!("{stem}.{}", file_type.extension())
    }

    pub async fn upload_file(data: MultipartData) -> Result<(), AppError> {
        let mut multipart = data.into_inner().ok_or(AppError::BadRequest)?;
        let mut project: Option<Acting> = None;
        let mut name = String::new();
        let mut bytes: Vec<u8> = Vec::new();
        while let Some(mut part) = multipart
            .next_field()
            .await
            .map_err(|_| AppError::BadRequest)?
        {
            match part.name().unwrap_or_default() {
                "project_id" => {
                    let id = part.text().await.map_err(|_| AppError::BadRequest)?;
                    project = Some(writer_of(id.trim()).await?);
                }
                "file" => {
                    // The policy first: the form sends the project before the file.
                    if project.is_none() {
                        return Err(AppError::BadRequest);
                    }
                    name = part
                        .file_name()
                        .map(|n| n.chars().take(200).collect())
                        .unwrap_or_default();
                    while let Some(chunk) = part.chunk().await.map_err(|_| AppError::BadRequest)? {
                        if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                            return Err(invalid(
                                "file",
                                FieldProblem::FileTooLarge {
                                    max_kib: MAX_FILE_BYTES / 1024,
                                },
                            ));
                        }
                        bytes.extend_from_slice(&chunk);
                    }
                }
                _ => {}
            }
        }
        let project = project.ok_or(AppError::BadRequest)?;
        if bytes.is_empty() {
            return Err(invalid("file", FieldProblem::Required));
        }
        let file_type = media::detect(&bytes)
            .ok_or_else(|| invalid("file", FieldProblem::FileTypeNotAllowed))?;
        let (stored, thumb, width, height) = if file_type.is_image() {
            // Decoding is CPU work: off the async runtime.
            let processed =
                tokio::task::spawn_blocking(move || media::process_image(&bytes, file_type))
                    .await
                    .map_err(|e| AppError::internal("image task", e))?
                    .map_err(|e| match e {
                        MediaError::NotAllowed => invalid("file", FieldProblem::FileTypeNotAllowed),
                        MediaError::Broken => invalid("file", FieldProblem::BrokenImage),
                        MediaError::TooManyPixels => invalid("file", FieldProblem::ImageTooLarge),
                    })?;
            (
                (processed.file_type, processed.bytes),
                Some((processed.thumb_type, processed.thumb)),
                Some(i64::from(processed.width)),
                Some(i64::from(processed.height)),
            )
        } else {
            ((file_type, bytes), None, None, None)
        };
        let sha256 = {
            use sha2::Digest;
            let digest = sha2::Sha256::digest(&stored.1);
            digest
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        let size = stored.1.len() as i64 + thumb.as_ref().map_or(0, |t| t.1.len() as i64);
        let used = db::used_bytes(&mut tx, &project.row.id).await?;
        if used + size > PROJECT_QUOTA_BYTES {
            let free_kib = ((PROJECT_QUOTA_BYTES - used).max(0) / 1024) as usize;
            return Err(invalid("file", FieldProblem::QuotaExceeded { free_kib }));
        }
        let wanted = clean_file_name(&name, stored.0);
        let mut file_name = wanted.clone();
        let mut n = 1;
        while db::file_name_taken(&mut tx, &project.row.id, &file_name).await? {
            n += 1;
            file_name = match wanted.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}-{n}.{ext}"),
                None => format!("{wanted}-{n}"),
            };
        }
        let mut variants: Vec<(&str, &str, &[u8])> =
            vec![("original", stored.0.content_type(), &stored.1)];
        if let Some((thumb_type, thumb_bytes)) = &thumb {
            variants.push(("thumb", thumb_type.content_type(), thumb_bytes));
        }
        db::insert_file(
            &mut tx,
            &NewFile {
                project_id: &project.row.id,
                name: &file_name,
                file_type: stored.0.as_str(),
                width,
                height,
                sha256: &sha256,
                uploaded_by: &project.user.id,
                variants,
            },
        )
        .await?;
        db::touch_project(&mut *tx, &project.row.id).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("/projects/{}#files", project.row.id));
        Ok(())
    }

    pub async fn delete_file(project: Acting, file_id: String) -> Result<(), AppError> {
        let state = app_state()?;
        let file = db::find_file(&state.pool, &file_id)
            .await?
            .filter(|f| f.project_id == project.row.id && !f.name.contains('/'))
            .ok_or(AppError::NotFound)?;
        let mut tx = begin_write(&state.pool).await?;
        db::delete_file(&mut tx, &file.id).await?;
        project
            .audit(
                &mut tx,
                "delete_file",
                Some(&format!("{} · {}", project.row.title, file.name)),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn file_names_keep_the_stem_and_take_the_detected_extension() {
            assert_eq!(
                clean_file_name("Карта района.JPG", FileType::Jpeg),
                "Карта-района.jpg"
            );
            assert_eq!(
                clean_file_name("../../etc/passwd", FileType::Pdf),
                "passwd.pdf"
            );
            assert_eq!(
                clean_file_name("C:\\Users\\x\\доклад.exe", FileType::Docx),
                "доклад.docx"
            );
            assert_eq!(clean_file_name("", FileType::Png), "file.png");
            assert_eq!(clean_file_name("<script>.png", FileType::Png), "script.png");
        }

        #[test]
        fn diffs_show_changes_with_context() {
            let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
            let new = "a\nb\nC\nd\ne\nf\ng\nh\ni\nj\nk\n";
            let lines = diff_lines(old, new);
            assert!(lines.contains(&DiffLine::Removed("c".into())));
            assert!(lines.contains(&DiffLine::Added("C".into())));
            assert!(lines.contains(&DiffLine::Added("k".into())));
            assert!(lines.contains(&DiffLine::Same("b".into())));
            assert!(diff_lines("same\n", "same\n").is_empty());
        }
    }
}
