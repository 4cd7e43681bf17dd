//! Project pages: my projects, a school's projects, the project with its passport, pages,
//! people and files, the page editor, history, revisions and differences. Every form is a plain
//! HTML form posting to its server function (it works without JavaScript); with JavaScript the
//! editor adds a live preview and the page list drag and drop.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::api::{
    diff_revisions, list_school_projects, load_editor, load_my_projects, load_new_project_form,
    load_page, load_project, load_revision, page_history, AddPage, AddProjectMember,
    AddProjectSupervisor, CreateProject, DecideProposal, DeleteFile, DeletePage, MovePage,
    PreviewPage, ProposeProject, RemoveProjectMember, RemoveProjectSupervisor, RestorePage,
    RestoreRevision, SavePage, SetCover, SetProjectKind, UpdatePassport, UploadFile,
};
use super::{
    DiffLine, DiffView, DraftReason, EditorView, FileInfo, HistoryView, MyProjects, NewProjectForm,
    PageRef, PageView, ProjectKind, ProjectStatus, ProjectSummary, ProjectType, ProjectView,
    RevisionView, SchoolProjects, MAX_FILE_BYTES,
};
use crate::components::{
    form_error, loaded, param, url_error, ErrorNotice, FieldMessage, FormNotice, PageTitle,
};
use crate::format::{format_date_time, format_size};
use crate::i18n::{t, t_string, use_i18n};
use crate::people::academic_year_label;

fn kind_name(kind: ProjectKind) -> impl Fn() -> &'static str + Copy {
    let i18n = use_i18n();
    move || match kind {
        ProjectKind::Individual => t_string!(i18n, projects.kind_individual),
        ProjectKind::Collective => t_string!(i18n, projects.kind_collective),
    }
}

fn type_name(project_type: ProjectType) -> impl Fn() -> &'static str + Copy {
    let i18n = use_i18n();
    move || match project_type {
        ProjectType::Research => t_string!(i18n, projects.type_research),
        ProjectType::Information => t_string!(i18n, projects.type_information),
        ProjectType::Creative => t_string!(i18n, projects.type_creative),
        ProjectType::Social => t_string!(i18n, projects.type_social),
        ProjectType::Applied => t_string!(i18n, projects.type_applied),
        ProjectType::Engineering => t_string!(i18n, projects.type_engineering),
    }
}

fn status_name(status: ProjectStatus) -> impl Fn() -> &'static str + Copy {
    let i18n = use_i18n();
    move || match status {
        ProjectStatus::Proposed => t_string!(i18n, projects.status_proposed),
        ProjectStatus::Active => t_string!(i18n, projects.status_active),
        ProjectStatus::Declined => t_string!(i18n, projects.status_declined),
    }
}

/// The `<option>`s of the project type select.
fn type_options(selected: Option<ProjectType>) -> impl IntoView {
    ProjectType::ALL
        .into_iter()
        .map(|t| {
            view! { <option value=t.as_str() selected=selected == Some(t)>{type_name(t)}</option> }
        })
        .collect_view()
}

fn project_href(id: &str) -> String {
    format!("/projects/{id}")
}

fn page_href(project_id: &str, slug: &str) -> String {
    format!("/projects/{project_id}/pages/{slug}")
}

/// A table of projects.
#[component]
fn ProjectTable(
    projects: Vec<ProjectSummary>,
    #[prop(optional)] show_school: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let rows = projects
        .into_iter()
        .map(|p| {
            let status = (p.status != ProjectStatus::Active)
                .then(|| view! { <span class="badge">{status_name(p.status)}</span> " " });
            view! {
                <tr>
                    <td>{status}<a href=project_href(&p.id)>{p.title.clone()}</a></td>
                    <td>{kind_name(p.kind)}</td>
                    <td>{p.members.join(", ")}</td>
                    <td>{p.supervisors.join(", ")}</td>
                    {show_school.then(|| view! { <td>{p.school.short_name.clone()}</td> })}
                    <td>{p.page_count}</td>
                    <td>{format_date_time(locale, p.updated_at)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, projects.title)}</th>
                    <th scope="col">{t!(i18n, projects.kind)}</th>
                    <th scope="col">{t!(i18n, projects.members)}</th>
                    <th scope="col">{t!(i18n, projects.supervisors)}</th>
                    {show_school.then(|| view! { <th scope="col">{t!(i18n, projects.school)}</th> })}
                    <th scope="col">{t!(i18n, projects.pages_count)}</th>
                    <th scope="col">{t!(i18n, projects.updated)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// `/projects`: my projects, the ones I supervise, my children's; proposing and creating.
#[component]
pub fn MyProjectsPage() -> impl IntoView {
    let i18n = use_i18n();
    let mine = Resource::new_blocking(|| (), |_| load_my_projects());
    view! {
        <PageTitle text=move || t_string!(i18n, projects.my_title).to_owned() />
        <h1>{t!(i18n, projects.my_title)}</h1>
        {loaded!(mine, |mine| view! { <MyProjectsView mine /> })}
    }
}

#[component]
fn MyProjectsView(mine: MyProjects) -> impl IntoView {
    let i18n = use_i18n();
    let propose = ServerAction::<ProposeProject>::new();
    let propose_error = form_error(propose);
    let problem = move |field: &'static str| propose_error().and_then(|e| e.field_problem(field));
    let typed = crate::forms::typed(ProposeProject::PATH);
    let nothing = mine.member_of.is_empty()
        && mine.supervised.is_empty()
        && mine.children.is_empty()
        && !mine.may_propose
        && mine.create_in.is_empty();
    let create_links = mine
        .create_in
        .iter()
        .map(|s| {
            view! {
                <li>
                    <a class="button primary" href=format!("/projects/new/{}", s.slug)>
                        {t_string!(i18n, projects.create_in, school = s.short_name.clone())}
                    </a>
                    " "
                    <a href=format!("/manage/{}/projects", s.slug)>{t!(i18n, projects.school_list)}</a>
                </li>
            }
        })
        .collect_view();
    let supervisor_options = mine
        .supervisors
        .iter()
        .map(|p| {
            let selected = typed.chosen("supervisor", &p.id, false);
            view! { <option value=p.id.clone() selected=selected>{p.name.clone()}</option> }
        })
        .collect_view();
    view! {
        {nothing.then(|| view! { <p>{t!(i18n, projects.none_for_you)}</p> })}
        {(!mine.create_in.is_empty()).then(|| view! { <ul class="inline-list">{create_links}</ul> })}
        {(!mine.member_of.is_empty()).then(|| view! {
            <section aria-labelledby="mine">
                <h2 id="mine">{t!(i18n, projects.member_of)}</h2>
                <ProjectTable projects=mine.member_of.clone() />
            </section>
        })}
        {(!mine.supervised.is_empty()).then(|| view! {
            <section aria-labelledby="supervised">
                <h2 id="supervised">{t!(i18n, projects.supervised)}</h2>
                <ProjectTable projects=mine.supervised.clone() />
            </section>
        })}
        {(!mine.children.is_empty()).then(|| view! {
            <section aria-labelledby="children">
                <h2 id="children">{t!(i18n, projects.children)}</h2>
                <ProjectTable projects=mine.children.clone() show_school=true />
            </section>
        })}
        {mine.may_propose.then(|| view! {
            <section aria-labelledby="propose">
                <h2 id="propose">{t!(i18n, projects.propose_title)}</h2>
                <p>{t!(i18n, projects.propose_intro)}</p>
                {move || view! { <FormNotice error=propose_error() /> }}
                <form class="stack-form" method="post" action=ProposeProject::url()>
                    <label for="propose-title">{t!(i18n, projects.title)}</label>
                    <input id="propose-title" name="title" required maxlength="200" value=typed.get("title") aria-describedby="propose-title-error" />
                    {move || view! { <FieldMessage id="propose-title-error" problem=problem("title") /> }}
                    <label for="propose-topic">{t!(i18n, projects.topic_idea)}</label>
                    <textarea id="propose-topic" name="topic" rows="4" required maxlength="4000" aria-describedby="propose-topic-error">{typed.get("topic")}</textarea>
                    {move || view! { <FieldMessage id="propose-topic-error" problem=problem("topic") /> }}
                    <label for="propose-type">{t!(i18n, projects.project_type)}</label>
                    <select id="propose-type" name="project_type">{type_options(ProjectType::parse(&typed.get("project_type")))}</select>
                    <label for="propose-supervisor">{t!(i18n, projects.wished_supervisor)}</label>
                    <select id="propose-supervisor" name="supervisor" required aria-describedby="propose-supervisor-error">
                        {supervisor_options}
                    </select>
                    {move || view! { <FieldMessage id="propose-supervisor-error" problem=problem("supervisor") /> }}
                    <button type="submit" class="primary">{t!(i18n, projects.propose_button)}</button>
                </form>
            </section>
        })}
    }
}

/// `/projects/new/{school}`: a new project, by a supervisor or librarian of the school.
#[component]
pub fn NewProjectPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = param("slug");
    let form = Resource::new_blocking(slug, load_new_project_form);
    view! {
        <PageTitle text=move || t_string!(i18n, projects.new_title).to_owned() />
        <p class="breadcrumbs"><a href="/projects">{t!(i18n, projects.my_title)}</a></p>
        <h1>{t!(i18n, projects.new_title)}</h1>
        {loaded!(form, |form| view! { <NewProjectView form /> })}
    }
}

#[component]
fn NewProjectView(form: NewProjectForm) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateProject>::new();
    let error = form_error(create);
    let problem = move |field: &'static str| error().and_then(|e| e.field_problem(field));
    let typed = crate::forms::typed(CreateProject::PATH);
    let pupils = form
        .pupils
        .iter()
        .map(|p| {
            let label = format!("{}, {}", p.name, p.class.clone().unwrap_or_default());
            let selected = typed.chosen("pupil", &p.id, false);
            view! { <option value=p.id.clone() selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <p class="lead">{form.school.short_name.clone()} " · " {academic_year_label(form.academic_year)}</p>
        {move || view! { <FormNotice error=error() /> }}
        <form class="stack-form" method="post" action=CreateProject::url()>
            <input type="hidden" name="slug" value=form.school.slug.clone() />
            <label for="project-title">{t!(i18n, projects.title)}</label>
            <input id="project-title" name="title" required maxlength="200" value=typed.get("title") aria-describedby="project-title-error" />
            {move || view! { <FieldMessage id="project-title-error" problem=problem("title") /> }}
            <fieldset>
                <legend>{t!(i18n, projects.kind)}</legend>
                <label><input type="radio" name="kind" value="individual" checked=typed.chosen("kind", "individual", true) /> {t!(i18n, projects.kind_individual)}</label>
                <label><input type="radio" name="kind" value="collective" checked=typed.chosen("kind", "collective", false) /> {t!(i18n, projects.kind_collective)}</label>
            </fieldset>
            <label for="project-type">{t!(i18n, projects.project_type)}</label>
            <select id="project-type" name="project_type">{type_options(ProjectType::parse(&typed.get("project_type")))}</select>
            <label for="project-subject">{t!(i18n, projects.subject)}</label>
            <input id="project-subject" name="subject" maxlength="200" value=typed.get("subject") />
            <label for="project-topic">{t!(i18n, projects.topic)}</label>
            <textarea id="project-topic" name="topic" rows="3" maxlength="4000">{typed.get("topic")}</textarea>
            <label for="project-pupil">{t!(i18n, projects.first_pupil)}</label>
            <select id="project-pupil" name="pupil" aria-describedby="project-pupil-hint project-pupil-error">
                <option value="">{t!(i18n, projects.no_pupil_yet)}</option>
                {pupils}
            </select>
            <p class="hint" id="project-pupil-hint">{t!(i18n, projects.first_pupil_hint)}</p>
            {move || view! { <FieldMessage id="project-pupil-error" problem=problem("pupil") /> }}
            <button type="submit" class="primary">{t!(i18n, projects.create_button)}</button>
        </form>
    }
}

/// `/manage/{school}/projects`: the school's projects for its librarian, filtered and paged.
#[component]
pub fn SchoolProjectsPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = param("slug");
    let query = use_query_map();
    let list = Resource::new_blocking(
        move || {
            let q = query.read();
            (
                slug(),
                q.get("year").and_then(|y| y.parse::<i32>().ok()),
                q.get("class").filter(|c| !c.is_empty()),
                q.get("supervisor").filter(|s| !s.is_empty()),
                q.get("kind").filter(|k| !k.is_empty()),
                q.get("page").and_then(|p| p.parse::<u32>().ok()),
            )
        },
        |(slug, year, class, supervisor, kind, page)| {
            list_school_projects(slug, year, class, supervisor, kind, page)
        },
    );
    view! {
        <PageTitle text=move || t_string!(i18n, projects.school_title).to_owned() />
        <p class="breadcrumbs"><a href="/manage">{t!(i18n, manage.title)}</a></p>
        {loaded!(list, |list| view! { <SchoolProjectsView list /> })}
    }
}

#[component]
fn SchoolProjectsView(list: SchoolProjects) -> impl IntoView {
    let i18n = use_i18n();
    let slug = list.school.slug.clone();
    let years = list
        .years
        .iter()
        .map(|y| {
            view! { <option value=y.to_string() selected=*y == list.academic_year>{academic_year_label(*y)}</option> }
        })
        .collect_view();
    let classes = list
        .classes
        .iter()
        .map(|(id, name)| {
            view! { <option value=id.clone() selected=list.class.as_deref() == Some(id.as_str())>{name.clone()}</option> }
        })
        .collect_view();
    let supervisors = list
        .supervisors
        .iter()
        .map(|p| {
            view! { <option value=p.id.clone() selected=list.supervisor.as_deref() == Some(p.id.as_str())>{p.name.clone()}</option> }
        })
        .collect_view();
    let link = |n: u32| {
        let mut params = vec![format!("page={n}"), format!("year={}", list.academic_year)];
        if let Some(c) = &list.class {
            params.push(format!("class={c}"));
        }
        if let Some(s) = &list.supervisor {
            params.push(format!("supervisor={s}"));
        }
        if let Some(k) = list.kind {
            params.push(format!("kind={}", k.as_str()));
        }
        format!("/manage/{}/projects?{}", list.school.slug, params.join("&"))
    };
    let previous = (list.page > 1).then(
        || view! { <a href=link(list.page - 1) rel="prev">{t!(i18n, projects.previous_page)}</a> },
    );
    let next = list.has_more.then(
        || view! { <a href=link(list.page + 1) rel="next">{t!(i18n, projects.next_page)}</a> },
    );
    let kind = list.kind;
    view! {
        <h1>{t_string!(i18n, projects.school_heading, school = list.school.short_name.clone())}</h1>
        <p><a class="button primary" href=format!("/projects/new/{slug}")>{t!(i18n, projects.new_title)}</a></p>
        <form class="filter-form" method="get" action=format!("/manage/{slug}/projects")>
            <label for="filter-year">{t!(i18n, projects.year)}</label>
            <select id="filter-year" name="year">{years}</select>
            <label for="filter-class">{t!(i18n, manage.class)}</label>
            <select id="filter-class" name="class">
                <option value="">{t!(i18n, projects.any)}</option>
                {classes}
            </select>
            <label for="filter-supervisor">{t!(i18n, projects.supervisor)}</label>
            <select id="filter-supervisor" name="supervisor">
                <option value="">{t!(i18n, projects.any)}</option>
                {supervisors}
            </select>
            <label for="filter-kind">{t!(i18n, projects.kind)}</label>
            <select id="filter-kind" name="kind">
                <option value="">{t!(i18n, projects.any)}</option>
                <option value="individual" selected=kind == Some(ProjectKind::Individual)>{t!(i18n, projects.kind_individual)}</option>
                <option value="collective" selected=kind == Some(ProjectKind::Collective)>{t!(i18n, projects.kind_collective)}</option>
            </select>
            <button type="submit">{t!(i18n, search.show)}</button>
        </form>
        <p>{t_string!(i18n, projects.found, count = list.total)}</p>
        {(!list.projects.is_empty()).then(|| view! { <ProjectTable projects=list.projects.clone() /> })}
        <nav class="pager" aria-label=move || t_string!(i18n, projects.pages_nav)>{previous} " " {next}</nav>
    }
}

/// `/projects/{id}`: the project with its passport, people, pages and files.
#[component]
pub fn ProjectPage() -> impl IntoView {
    let id = param("id");
    let project = Resource::new_blocking(id, load_project);
    loaded!(project, |project| view! { <ProjectBody project /> })
}

/// A passport field, shown when filled in.
fn passport_entry(label: impl Fn() -> &'static str + Send + 'static, text: &str) -> impl IntoView {
    (!text.is_empty()).then(|| {
        let text = text.to_owned();
        view! {
            <dt>{label}</dt>
            <dd class="pre-line">{text}</dd>
        }
    })
}

#[component]
fn ProjectBody(project: ProjectView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = project.id.clone();
    let upload_error = url_error(UploadFile::PATH);
    let add_page = ServerAction::<AddPage>::new();
    let add_page_error = form_error(add_page);
    let member_action = ServerAction::<AddProjectMember>::new();
    let member_error = form_error(member_action);
    let decide = ServerAction::<DecideProposal>::new();
    let decide_error = form_error(decide);
    let cover = project.cover.clone().map(|file| {
        view! { <img class="project-cover" src=format!("/files/{file}") alt="" /> }
    });
    let passport = &project.passport;
    let passport_empty = passport.relevance.is_empty()
        && passport.goal.is_empty()
        && passport.tasks.is_empty()
        && passport.hypothesis.is_empty()
        && passport.product.is_empty();
    let members = project
        .members
        .iter()
        .map(|m| {
            let remove = project.may_manage.then(|| {
                view! {
                    <form class="inline" method="post" action=RemoveProjectMember::url()>
                        <input type="hidden" name="project_id" value=project.id.clone() />
                        <input type="hidden" name="pupil_id" value=m.id.clone() />
                        <button type="submit" class="small">{t!(i18n, projects.remove)}</button>
                    </form>
                }
            });
            view! {
                <li>
                    {m.name.clone()}
                    {m.class.clone().map(|c| format!(", {c}"))}
                    {(!m.note.is_empty()).then(|| format!(" — {}", m.note))}
                    " " {remove}
                </li>
            }
        })
        .collect_view();
    let supervisors = project
        .supervisors
        .iter()
        .map(|p| {
            let remove = (project.may_manage && project.supervisors.len() > 1).then(|| {
                view! {
                    <form class="inline" method="post" action=RemoveProjectSupervisor::url()>
                        <input type="hidden" name="project_id" value=project.id.clone() />
                        <input type="hidden" name="user_id" value=p.id.clone() />
                        <button type="submit" class="small">{t!(i18n, projects.remove)}</button>
                    </form>
                }
            });
            view! { <li>{p.name.clone()} " " {remove}</li> }
        })
        .collect_view();
    let page_count = project.pages.len();
    let pages = project
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let controls = project.may_edit.then(|| {
                let up = (i > 0).then(|| view! {
                    <form class="inline" method="post" action=MovePage::url()>
                        <input type="hidden" name="page_id" value=p.id.clone() />
                        <input type="hidden" name="direction" value="up" />
                        <button type="submit" class="small" aria-label=t_string!(i18n, projects.move_up_named, page = p.title.clone())>"↑"</button>
                    </form>
                });
                let down = (i + 1 < page_count).then(|| view! {
                    <form class="inline" method="post" action=MovePage::url()>
                        <input type="hidden" name="page_id" value=p.id.clone() />
                        <input type="hidden" name="direction" value="down" />
                        <button type="submit" class="small" aria-label=t_string!(i18n, projects.move_down_named, page = p.title.clone())>"↓"</button>
                    </form>
                });
                view! { " " {up} {down} }
            });
            view! {
                <li data-page-id=p.id.clone()>
                    <a href=page_href(&project.id, &p.slug)>{p.title.clone()}</a>
                    {controls}
                </li>
            }
        })
        .collect_view();
    let deleted = project
        .deleted_pages
        .iter()
        .map(|p| {
            view! {
                <li>
                    {p.title.clone()} " "
                    <form class="inline" method="post" action=RestorePage::url()>
                        <input type="hidden" name="page_id" value=p.id.clone() />
                        <button type="submit" class="small">{t!(i18n, projects.restore_page)}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let files = project
        .files
        .iter()
        .map(|f| {
            let preview = f.is_image.then(|| {
                view! { <img class="thumb" src=format!("/files/{}/thumb", f.id) alt="" loading="lazy" /> }
            });
            let is_cover = project.cover.as_deref() == Some(f.id.as_str());
            let cover_button = (project.may_edit && f.is_image && !is_cover).then(|| view! {
                <form class="inline" method="post" action=SetCover::url()>
                    <input type="hidden" name="project_id" value=project.id.clone() />
                    <input type="hidden" name="file_id" value=f.id.clone() />
                    <button type="submit" class="small">{t!(i18n, projects.make_cover)}</button>
                </form>
            });
            let delete = project.may_edit.then(|| {
                let confirm_id = format!("confirm-file-{}", f.id);
                view! {
                    <form class="inline confirm-form" method="post" action=DeleteFile::url()>
                        <input type="hidden" name="project_id" value=project.id.clone() />
                        <input type="hidden" name="file_id" value=f.id.clone() />
                        <input type="checkbox" id=confirm_id.clone() required />
                        <label for=confirm_id>{t!(i18n, projects.confirm_delete_file)}</label>
                        <button type="submit" class="small">{t!(i18n, projects.delete)}</button>
                    </form>
                }
            });
            view! {
                <li class="file">
                    {preview}
                    <div>
                        <a href=f.href()>{f.name.clone()}</a>
                        " · " {format_size(locale, f.size_bytes)}
                        {is_cover.then(|| view! { " · " <span class="badge">{t!(i18n, projects.cover)}</span> })}
                        <br />
                        <code class="snippet">{f.markdown()}</code>
                        <div>{cover_button} {delete}</div>
                    </div>
                </li>
            }
        })
        .collect_view();
    let pupil_options = project
        .pupil_choices
        .iter()
        .filter(|p| !project.members.iter().any(|m| m.id == p.id))
        .map(|p| {
            let label = format!("{}, {}", p.name, p.class.clone().unwrap_or_default());
            view! { <option value=p.id.clone()>{label}</option> }
        })
        .collect_view();
    let supervisor_options = project
        .supervisor_choices
        .iter()
        .filter(|p| !project.supervisors.iter().any(|s| s.id == p.id))
        .map(|p| view! { <option value=p.id.clone()>{p.name.clone()}</option> })
        .collect_view();
    let used = format_size(locale, project.quota_used);
    let total = format_size(locale, project.quota_total);
    let proposal = (project.status == ProjectStatus::Proposed).then(|| {
        view! {
            <div class="notice" role="status">
                <p>{t!(i18n, projects.proposal_waiting)}</p>
                {project.may_manage.then(|| view! {
                    {move || view! { <FormNotice error=decide_error() /> }}
                    <form method="post" action=DecideProposal::url() class="proposal-decision">
                        <input type="hidden" name="project_id" value=project.id.clone() />
                        <label for="proposal-comment">{t!(i18n, review.proposal_comment)}</label>
                        <textarea id="proposal-comment" name="comment" rows="2" maxlength="5000"></textarea>
                        <button type="submit" name="decision" value="accept" class="primary">{t!(i18n, projects.accept_proposal)}</button>
                        " "
                        <button type="submit" name="decision" value="decline">{t!(i18n, projects.decline_proposal)}</button>
                    </form>
                })}
            </div>
        }
    });
    let declined = (project.status == ProjectStatus::Declined).then(
        || view! { <p class="notice" role="status">{t!(i18n, projects.proposal_declined)}</p> },
    );
    let kind = project.kind;
    let tags = (!project.tags.is_empty()).then(|| {
        let tags = project
            .tags
            .iter()
            .map(|t| view! { <li class="tag">{t.clone()}</li> })
            .collect_view();
        view! { <ul class="tags" aria-label=move || t_string!(i18n, projects.tags)>{tags}</ul> }
    });
    view! {
        <PageTitle text=project.title.clone() />
        <p class="breadcrumbs"><a href="/projects">{t!(i18n, projects.my_title)}</a> " › " {project.school.short_name.clone()}</p>
        {cover}
        <h1>{project.title.clone()}</h1>
        <p class="workflow-link">
            {project.stage.as_ref().map(|s| view! {
                {t!(i18n, review.current_stage)} " " <strong>{crate::review::ui::stage_label(s)}</strong>
                " — " {crate::review::ui::state_label(project.review_state, match project.status {
                    ProjectStatus::Proposed => crate::review::Standing::Proposed,
                    ProjectStatus::Declined => crate::review::Standing::Declined,
                    ProjectStatus::Active => crate::review::Standing::Active,
                })} ". "
            })}
            <a href=format!("/projects/{}/workflow", project.id)>{t!(i18n, review.workflow_title)}</a>
            " · " <a href=format!("/projects/{}/sources", project.id)>{t!(i18n, catalog.sources_link)}</a>
            {project.may_manage.then(|| view! {
                " · " <a href=format!("/projects/{}/publish", project.id)>{t!(i18n, showcase.panel_link)}</a>
            })}
        </p>
        {proposal}
        {declined}
        <dl class="facts">
            <dt>{t!(i18n, projects.project_type)}</dt><dd>{type_name(project.project_type)}</dd>
            <dt>{t!(i18n, projects.kind)}</dt><dd>{kind_name(kind)}</dd>
            {(!project.subject.is_empty()).then(|| view! { <dt>{t!(i18n, projects.subject)}</dt><dd>{project.subject.clone()}</dd> })}
            <dt>{t!(i18n, projects.year)}</dt><dd>{academic_year_label(project.academic_year)}</dd>
            <dt>{t!(i18n, projects.school)}</dt><dd>{project.school.short_name.clone()}</dd>
        </dl>
        {tags}
        <section aria-labelledby="passport">
            <h2 id="passport">{t!(i18n, projects.passport)}</h2>
            {passport_empty.then(|| view! { <p>{t!(i18n, projects.passport_empty)}</p> })}
            <dl class="passport">
                {passport_entry(move || t_string!(i18n, projects.topic), &project.topic)}
                {passport_entry(move || t_string!(i18n, projects.relevance), &passport.relevance)}
                {passport_entry(move || t_string!(i18n, projects.goal), &passport.goal)}
                {passport_entry(move || t_string!(i18n, projects.tasks), &passport.tasks)}
                {passport_entry(move || t_string!(i18n, projects.hypothesis), &passport.hypothesis)}
                {passport_entry(move || t_string!(i18n, projects.product), &passport.product)}
            </dl>
            {project.may_edit.then(|| view! { <p><a href=format!("/projects/{id}/passport")>{t!(i18n, projects.edit_passport)}</a></p> })}
        </section>
        <section aria-labelledby="pages">
            <h2 id="pages">{t!(i18n, projects.pages)}</h2>
            {project.pages.is_empty().then(|| view! { <p>{t!(i18n, projects.no_pages)}</p> })}
            <ol class="page-list" id="page-list">{pages}</ol>
            {project.may_edit.then(|| view! {
                <PageOrderHelp project_id=project.id.clone() />
                {move || view! { <FormNotice error=add_page_error() /> }}
                <form class="inline-form" method="post" action=AddPage::url()>
                    <input type="hidden" name="project_id" value=project.id.clone() />
                    <label for="new-page-title">{t!(i18n, projects.new_page_title)}</label>
                    <input id="new-page-title" name="title" required maxlength="200" aria-describedby="new-page-title-error" />
                    <button type="submit" class="primary">{t!(i18n, projects.add_page)}</button>
                    {move || view! { <FieldMessage id="new-page-title-error" problem=add_page_error().and_then(|e| e.field_problem("title")) /> }}
                </form>
            })}
            {(!project.deleted_pages.is_empty() && project.may_edit).then(|| view! {
                <details>
                    <summary>{t!(i18n, projects.deleted_pages)}</summary>
                    <ul>{deleted}</ul>
                </details>
            })}
        </section>
        <section aria-labelledby="people">
            <h2 id="people">{t!(i18n, projects.people)}</h2>
            <h3>{t!(i18n, projects.members)}</h3>
            {project.members.is_empty().then(|| view! { <p>{t!(i18n, projects.no_members)}</p> })}
            <ul>{members}</ul>
            {project.may_manage.then(|| view! {
                {move || view! { <FormNotice error=member_error() /> }}
                <form class="inline-form" method="post" action=AddProjectMember::url()>
                    <input type="hidden" name="project_id" value=project.id.clone() />
                    <label for="member-pupil">{t!(i18n, projects.add_member)}</label>
                    <select id="member-pupil" name="pupil_id" aria-describedby="member-pupil-error">{pupil_options}</select>
                    <label for="member-note">{t!(i18n, projects.member_note)}</label>
                    <input id="member-note" name="note" maxlength="300" />
                    <button type="submit">{t!(i18n, projects.add)}</button>
                    {move || view! { <FieldMessage id="member-pupil-error" problem=member_error().and_then(|e| e.field_problem("pupil_id")).map(|_| crate::error::FieldProblem::Invalid) /> }}
                </form>
                {(kind == ProjectKind::Individual).then(|| view! { <p class="hint">{t!(i18n, projects.individual_hint)}</p> })}
                <form class="inline" method="post" action=SetProjectKind::url()>
                    <input type="hidden" name="project_id" value=project.id.clone() />
                    <input type="hidden" name="kind" value=if kind == ProjectKind::Individual { "collective" } else { "individual" } />
                    <button type="submit" class="small">
                        {if kind == ProjectKind::Individual { t!(i18n, projects.make_collective).into_any() } else { t!(i18n, projects.make_individual).into_any() }}
                    </button>
                </form>
            })}
            <h3>{t!(i18n, projects.supervisors)}</h3>
            <ul>{supervisors}</ul>
            {project.may_manage.then(|| view! {
                <form class="inline-form" method="post" action=AddProjectSupervisor::url()>
                    <input type="hidden" name="project_id" value=project.id.clone() />
                    <label for="supervisor-add">{t!(i18n, projects.add_supervisor)}</label>
                    <select id="supervisor-add" name="user_id">{supervisor_options}</select>
                    <button type="submit">{t!(i18n, projects.add)}</button>
                </form>
            })}
        </section>
        <section aria-labelledby="files-heading" id="files">
            <h2 id="files-heading">{t!(i18n, projects.files)}</h2>
            <p>
                <label for="quota">{t_string!(i18n, projects.quota, used = used.clone(), total = total.clone())}</label>
                " "
                <meter id="quota" min="0" max=project.quota_total.to_string() value=project.quota_used.to_string()>{used.clone()}</meter>
            </p>
            {project.files.is_empty().then(|| view! { <p>{t!(i18n, projects.no_files)}</p> })}
            <ul class="files">{files}</ul>
            {project.may_edit.then(|| view! {
                {move || view! { <FormNotice error=upload_error() /> }}
                <form class="stack-form" method="post" enctype="multipart/form-data" action=UploadFile::url()>
                    <input type="hidden" name="project_id" value=project.id.clone() />
                    <label for="upload-file">{t!(i18n, projects.upload_label)}</label>
                    <input id="upload-file" name="file" type="file" required
                        accept=".png,.jpg,.jpeg,.webp,.pdf,.docx,.pptx,.odt,.odp"
                        aria-describedby="upload-hint upload-error" />
                    <p class="hint" id="upload-hint">{t_string!(i18n, projects.upload_hint, max = format_size(locale, MAX_FILE_BYTES as i64))}</p>
                    {move || view! { <FieldMessage id="upload-error" problem=upload_error().and_then(|e| e.field_problem("file")) /> }}
                    <button type="submit" class="primary">{t!(i18n, projects.upload_button)}</button>
                </form>
            })}
        </section>
    }
}

/// With JavaScript, pages can be dragged into a new order (the ↑/↓ buttons do the same without
/// it). The list itself is rendered by the server; this only listens to it.
#[component]
fn PageOrderHelp(project_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    {
        let project_id = project_id.clone();
        Effect::new(move |_| drag_and_drop::attach(project_id.clone(), status));
    }
    let _ = &project_id;
    view! {
        <p class="hint js-only">{t!(i18n, projects.drag_hint)}</p>
        <p class="visually-hidden" role="status" aria-live="polite">{move || status.get()}</p>
    }
}

#[cfg(feature = "hydrate")]
mod drag_and_drop {
    //! Drag and drop on the server-rendered page list: on drop, the new order is sent to
    //! `reorder_pages`; if that fails the page reloads to show the stored order.
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    fn list() -> Option<web_sys::Element> {
        document().get_element_by_id("page-list")
    }

    fn order(list: &web_sys::Element) -> String {
        let items = list.children();
        (0..items.length())
            .filter_map(|i| items.item(i))
            .filter_map(|li| li.get_attribute("data-page-id"))
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn attach(project_id: String, status: RwSignal<String>) {
        let Some(list) = list() else { return };
        let items = list.children();
        for i in 0..items.length() {
            if let Some(li) = items.item(i) {
                let _ = li.set_attribute("draggable", "true");
            }
        }
        let dragged: std::rc::Rc<std::cell::RefCell<Option<web_sys::Element>>> =
            std::rc::Rc::default();
        let on_start = {
            let dragged = dragged.clone();
            Closure::<dyn FnMut(web_sys::DragEvent)>::new(move |ev: web_sys::DragEvent| {
                let target = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|e| e.closest("li[data-page-id]").ok().flatten());
                *dragged.borrow_mut() = target;
            })
        };
        let on_over =
            Closure::<dyn FnMut(web_sys::DragEvent)>::new(move |ev: web_sys::DragEvent| {
                ev.prevent_default();
            });
        let on_drop = {
            let dragged = dragged.clone();
            let list = list.clone();
            Closure::<dyn FnMut(web_sys::DragEvent)>::new(move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                let Some(source) = dragged.borrow_mut().take() else {
                    return;
                };
                let target = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|e| e.closest("li[data-page-id]").ok().flatten());
                let Some(target) = target else { return };
                if target == source {
                    return;
                }
                let _ = list.insert_before(&source, Some(&target));
                let order = order(&list);
                let project_id = project_id.clone();
                leptos::task::spawn_local(async move {
                    match super::super::api::reorder_pages(project_id, order).await {
                        Ok(()) => status.set("✓".into()),
                        Err(_) => {
                            let _ = window().location().reload();
                        }
                    }
                });
            })
        };
        let _ =
            list.add_event_listener_with_callback("dragstart", on_start.as_ref().unchecked_ref());
        let _ = list.add_event_listener_with_callback("dragover", on_over.as_ref().unchecked_ref());
        let _ = list.add_event_listener_with_callback("drop", on_drop.as_ref().unchecked_ref());
        // The listeners live as long as the page.
        on_start.forget();
        on_over.forget();
        on_drop.forget();
    }
}

/// `/projects/{id}/passport`: the passport form (members and staff).
#[component]
pub fn PassportPage() -> impl IntoView {
    let id = param("id");
    let project = Resource::new_blocking(id, load_project);
    loaded!(project, |project| view! { <PassportForm project /> })
}

#[component]
fn PassportForm(project: ProjectView) -> impl IntoView {
    let i18n = use_i18n();
    let update = ServerAction::<UpdatePassport>::new();
    let error = form_error(update);
    let problem = move |field: &'static str| error().and_then(|e| e.field_problem(field));
    let typed = crate::forms::typed(UpdatePassport::PATH);
    let p = project.passport.clone();
    let typed_area = typed.clone();
    let area = move |id: &'static str, name: &'static str, label: &'static str, value: String| {
        let error_id = format!("{id}-error");
        let value = typed_area.or(name, value);
        let label_text = move || match label {
            "relevance" => t_string!(i18n, projects.relevance),
            "goal" => t_string!(i18n, projects.goal),
            "tasks" => t_string!(i18n, projects.tasks),
            "hypothesis" => t_string!(i18n, projects.hypothesis),
            "product" => t_string!(i18n, projects.product),
            _ => t_string!(i18n, projects.topic),
        };
        view! {
            <label for=id>{label_text}</label>
            <textarea id=id name=name rows="4" maxlength="4000" aria-describedby=error_id.clone()>{value}</textarea>
            {move || view! { <FieldMessage id=id problem=problem(name) /> }}
        }
    };
    view! {
        <PageTitle text=project.title.clone() />
        <p class="breadcrumbs"><a href=project_href(&project.id)>{project.title.clone()}</a></p>
        <h1>{t!(i18n, projects.edit_passport)}</h1>
        <p class="lead">{t!(i18n, projects.passport_intro)}</p>
        {move || view! { <FormNotice error=error() /> }}
        <form class="stack-form" method="post" action=UpdatePassport::url()>
            <input type="hidden" name="project_id" value=project.id.clone() />
            <label for="passport-title">{t!(i18n, projects.title)}</label>
            <input id="passport-title" name="title" required maxlength="200" value=typed.or("title", project.title.clone()) aria-describedby="passport-title-error" />
            {move || view! { <FieldMessage id="passport-title-error" problem=problem("title") /> }}
            <label for="passport-subject">{t!(i18n, projects.subject)}</label>
            <input id="passport-subject" name="subject" maxlength="200" value=typed.or("subject", project.subject.clone()) />
            <label for="passport-type">{t!(i18n, projects.project_type)}</label>
            <select id="passport-type" name="project_type">{type_options(if typed.is_echo() { ProjectType::parse(&typed.get("project_type")) } else { Some(project.project_type) })}</select>
            {area("passport-topic", "topic", "topic", project.topic.clone())}
            {area("passport-relevance", "relevance", "relevance", p.relevance)}
            {area("passport-goal", "goal", "goal", p.goal)}
            {area("passport-tasks", "tasks", "tasks", p.tasks)}
            {area("passport-hypothesis", "hypothesis", "hypothesis", p.hypothesis)}
            {area("passport-product", "product", "product", p.product)}
            <label for="passport-tags">{t!(i18n, projects.tags)}</label>
            <input id="passport-tags" name="tags" maxlength="500" value=typed.or("tags", project.tags.join(", ")) aria-describedby="passport-tags-hint" />
            <p class="hint" id="passport-tags-hint">{t!(i18n, projects.tags_hint)}</p>
            <button type="submit" class="primary">{t!(i18n, projects.save)}</button>
        </form>
    }
}

/// The list of a project's pages beside a page, the current one marked.
#[component]
fn PageNav(project_id: String, pages: Vec<PageRef>, current: String) -> impl IntoView {
    let i18n = use_i18n();
    let items = pages
        .into_iter()
        .map(|p| {
            let here = (p.id == current).then_some("page");
            view! { <li><a href=page_href(&project_id, &p.slug) aria-current=here>{p.title}</a></li> }
        })
        .collect_view();
    view! {
        <nav class="page-nav" aria-label=move || t_string!(i18n, projects.pages)>
            <ol>{items}</ol>
        </nav>
    }
}

/// Pages with at least this many headings show a table of contents.
const TOC_FROM: usize = 3;

/// `/projects/{id}/pages/{slug}`: a page as its readers see it.
#[component]
pub fn ProjectPageView() -> impl IntoView {
    let id = param("id");
    let slug = param("slug");
    let page = Resource::new_blocking(move || (id(), slug()), |(id, slug)| load_page(id, slug));
    loaded!(page, |page| view! { <PageBody page /> })
}

#[component]
fn PageBody(page: PageView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let base = page_href(&page.project_id, &page.page.slug);
    let toc = (page.toc.len() >= TOC_FROM).then(|| {
        let items = page
            .toc
            .iter()
            .map(|e| {
                let class = if e.level > 2 { "toc-sub" } else { "" };
                view! { <li class=class><a href=format!("#{}", e.anchor)>{e.text.clone()}</a></li> }
            })
            .collect_view();
        view! {
            <nav class="toc" aria-labelledby="toc-heading">
                <h2 id="toc-heading">{t!(i18n, projects.contents)}</h2>
                <ol>{items}</ol>
            </nav>
        }
    });
    let saved = format_date_time(locale, page.saved_at);
    let author = page.author.clone().unwrap_or_default();
    view! {
        <PageTitle text=format!("{} · {}", page.page.title, page.project_title) />
        <p class="breadcrumbs"><a href=project_href(&page.project_id)>{page.project_title.clone()}</a></p>
        <div class="page-layout">
            <PageNav project_id=page.project_id.clone() pages=page.pages.clone() current=page.page.id.clone() />
            <article class="page-content">
                <h1>{page.page.title.clone()}</h1>
                {toc}
                // Sanitized HTML made when the page was saved (`SafeHtml`); nothing else reaches
                // inner_html.
                <div class="markdown" inner_html=page.html.as_str().to_owned()></div>
                <footer class="page-meta">
                    <p>
                        {t_string!(i18n, projects.revision_line, number = page.revision, author = author.clone(), at = saved.clone())}
                        " · " <a href=format!("{base}/history")>{t!(i18n, projects.history)}</a>
                        {page.may_edit.then(|| view! { " · " <a class="button" href=format!("{base}/edit")>{t!(i18n, projects.edit_page)}</a> })}
                    </p>
                </footer>
            </article>
        </div>
    }
}

/// `/projects/{id}/pages/{slug}/edit[?draft=…]`: the editor.
#[component]
pub fn PageEditorPage() -> impl IntoView {
    let id = param("id");
    let slug = param("slug");
    let query = use_query_map();
    let editor = Resource::new_blocking(
        move || (id(), slug(), query.read().get("draft")),
        |(id, slug, draft)| load_editor(id, slug, draft),
    );
    loaded!(editor, |editor| view! { <Editor editor /> })
}

#[component]
fn Editor(editor: EditorView) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SavePage>::new();
    let save_error = form_error(save);
    // A refused save comes back with the text as it was typed.
    let typed = crate::forms::typed(SavePage::PATH);
    let page_url = page_href(&editor.project_id, &editor.page.slug);
    let live_preview = RwSignal::new(None::<String>);
    // Effects run only in the browser: once hydrated, the form says that typing previews live
    // (browser tests wait for this before typing).
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    #[cfg(feature = "hydrate")]
    let on_input = {
        let project_id = editor.project_id.clone();
        let pending = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
        move |ev: leptos::ev::Event| {
            let body = event_target_value(&ev);
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let project_id = project_id.clone();
            let handle = set_timeout_with_handle(
                move || {
                    leptos::task::spawn_local(async move {
                        if let Ok(html) = super::api::render_preview(project_id, body).await {
                            live_preview.set(Some(html.into_string()));
                        }
                    });
                },
                std::time::Duration::from_millis(600),
            )
            .ok();
            pending.set_value(handle);
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_input = move |_: leptos::ev::Event| {};
    let draft = editor.draft.clone();
    let conflict = draft
        .as_ref()
        .filter(|d| d.reason == DraftReason::Conflict)
        .map(|d| {
            let lines = d.changes.clone();
            view! {
                <div class="notice warning" role="alert">
                    <p><strong>{t_string!(i18n, projects.conflict_title, author = d.other_author.clone().unwrap_or_default())}</strong></p>
                    <p>{t!(i18n, projects.conflict_text)}</p>
                </div>
                <section class="conflict" aria-labelledby="their-version">
                    <h2 id="their-version">{t!(i18n, projects.their_changes)}</h2>
                    <DiffLines lines />
                    <details>
                        <summary>{t!(i18n, projects.their_text)}</summary>
                        <pre class="source">{d.current_body.clone()}</pre>
                    </details>
                </section>
            }
        });
    let preview = draft.as_ref().map(|d| {
        let html = d.preview.as_str().to_owned();
        view! {
            <section class="preview" id="preview" aria-labelledby="preview-heading">
                <h2 id="preview-heading">{t!(i18n, projects.preview)}</h2>
                <div class="markdown" inner_html=html></div>
            </section>
        }
    });
    let images = editor
        .images
        .iter()
        .map(|f: &FileInfo| view! { <li><code>{f.markdown()}</code></li> })
        .collect_view();
    let has_images = !editor.images.is_empty();
    // The picker of citations: each source's key to copy, and with JavaScript a button that
    // puts it where the cursor is.
    let body_ref = NodeRef::<leptos::html::Textarea>::new();
    let insert = move |snippet: &str| {
        #[cfg(feature = "hydrate")]
        if let Some(area) = body_ref.get_untracked() {
            let value: Vec<u16> = area.value().encode_utf16().collect();
            // Selection offsets count UTF-16 units.
            let start = (area
                .selection_start()
                .ok()
                .flatten()
                .unwrap_or(value.len() as u32) as usize)
                .min(value.len());
            let end = (area.selection_end().ok().flatten().unwrap_or(start as u32) as usize)
                .clamp(start, value.len());
            let mut text = String::from_utf16_lossy(&value[..start]);
            text.push_str(snippet);
            text.push_str(&String::from_utf16_lossy(&value[end..]));
            area.set_value(&text);
            let caret = (start + snippet.encode_utf16().count()) as u32;
            let _ = area.set_selection_range(caret, caret);
            let _ = area.focus();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (snippet, body_ref);
    };
    let citable = editor
        .sources
        .iter()
        .map(|source| {
            let snippet = format!("[@{}]", source.key);
            let for_button = snippet.clone();
            view! {
                <li>
                    <code>{snippet}</code>
                    {move || {
                        let snippet = for_button.clone();
                        live.get().then(|| view! {
                            " "
                            <button type="button" class="small" on:click=move |_| insert(&snippet)>
                                {t!(i18n, catalog.insert_citation)}
                            </button>
                        })
                    }}
                    " " <span class="gost-entry">{source.description.clone()}</span>
                </li>
            }
        })
        .collect_view();
    let has_sources = !editor.sources.is_empty();
    let sources_href = format!("/projects/{}/sources", editor.project_id);
    let confirm_id = "confirm-delete-page";
    view! {
        <PageTitle text=format!("{} · {}", editor.page.title, editor.project_title) />
        <p class="breadcrumbs">
            <a href=project_href(&editor.project_id)>{editor.project_title.clone()}</a> " › "
            <a href=page_url.clone()>{editor.page.title.clone()}</a>
        </p>
        <h1>{t_string!(i18n, projects.editing, page = editor.page.title.clone())}</h1>
        {conflict}
        {move || view! { <FormNotice error=save_error() /> }}
        <div class="editor-layout">
            <form class="stack-form editor" method="post" action=SavePage::url() data-live=move || live.get().then_some("on")>
                <input type="hidden" name="page_id" value=editor.page.id.clone() />
                <input type="hidden" name="base_revision" value=editor.base_revision.to_string() />
                <label for="page-title">{t!(i18n, projects.page_title)}</label>
                <input id="page-title" name="title" required maxlength="200" value=typed.or("title", editor.title.clone()) aria-describedby="page-title-error" />
                {move || view! { <FieldMessage id="page-title-error" problem=save_error().and_then(|e| e.field_problem("title")) /> }}
                <label for="page-body">{t!(i18n, projects.page_text)}</label>
                <textarea id="page-body" node_ref=body_ref name="body" rows="24" spellcheck="true" aria-describedby="page-body-hint page-body-error" on:input=on_input>{typed.or("body", editor.body.clone())}</textarea>
                <p class="hint" id="page-body-hint">{t!(i18n, projects.markdown_hint)}</p>
                {move || view! { <FieldMessage id="page-body-error" problem=save_error().and_then(|e| e.field_problem("body")) /> }}
                <label for="page-summary">{t!(i18n, projects.summary)}</label>
                <input id="page-summary" name="summary" maxlength="200" value=typed.or("summary", editor.summary.clone()) />
                <div class="buttons">
                    <button type="submit" class="primary">{t!(i18n, projects.save)}</button>
                    " "
                    <button type="submit" formaction=PreviewPage::url()>{t!(i18n, projects.preview_button)}</button>
                    " "
                    <a href=page_url.clone()>{t!(i18n, projects.cancel)}</a>
                </div>
            </form>
            {move || live_preview.get().map(|html| view! {
                <section class="preview live" aria-live="polite" aria-labelledby="live-preview-heading">
                    <h2 id="live-preview-heading">{t!(i18n, projects.live_preview)}</h2>
                    <div class="markdown" inner_html=html></div>
                </section>
            })}
        </div>
        {preview}
        {has_images.then(|| view! {
            <section aria-labelledby="images-heading">
                <h2 id="images-heading">{t!(i18n, projects.images_to_use)}</h2>
                <ul class="snippets">{images}</ul>
            </section>
        })}
        <section aria-labelledby="citations-heading">
            <h2 id="citations-heading">{t!(i18n, catalog.editor_sources)}</h2>
            <p class="hint">{t!(i18n, catalog.editor_sources_hint)}</p>
            {(!has_sources).then(|| view! { <p>{t!(i18n, catalog.no_project_sources)}</p> })}
            <ul class="snippets citable">{citable}</ul>
            <p><a href=sources_href>{t!(i18n, catalog.sources_link)}</a></p>
        </section>
        <MarkdownHelp />
        <section aria-labelledby="delete-heading" class="danger-zone">
            <h2 id="delete-heading">{t!(i18n, projects.delete_page)}</h2>
            <form method="post" action=DeletePage::url() class="confirm-form">
                <input type="hidden" name="page_id" value=editor.page.id.clone() />
                <input type="checkbox" id=confirm_id required />
                <label for=confirm_id>{t!(i18n, projects.confirm_delete_page)}</label>
                <button type="submit">{t!(i18n, projects.delete_page)}</button>
            </form>
        </section>
    }
}

/// A short Markdown help in the reader's language.
#[component]
fn MarkdownHelp() -> impl IntoView {
    let i18n = use_i18n();
    let rows = [
        (
            t_string!(i18n, projects.help_heading_sample),
            t_string!(i18n, projects.help_heading),
        ),
        (
            t_string!(i18n, projects.help_emphasis_sample),
            t_string!(i18n, projects.help_emphasis),
        ),
        (
            t_string!(i18n, projects.help_lists_sample),
            t_string!(i18n, projects.help_lists),
        ),
        (
            t_string!(i18n, projects.help_link_sample),
            t_string!(i18n, projects.help_link),
        ),
        (
            t_string!(i18n, projects.help_image_sample),
            t_string!(i18n, projects.help_image),
        ),
        (
            t_string!(i18n, projects.help_table_sample),
            t_string!(i18n, projects.help_table),
        ),
        (
            t_string!(i18n, projects.help_footnote_sample),
            t_string!(i18n, projects.help_footnote),
        ),
        (
            t_string!(i18n, projects.help_quote_sample),
            t_string!(i18n, projects.help_quote),
        ),
        (
            t_string!(i18n, projects.help_citation_sample),
            t_string!(i18n, projects.help_citation),
        ),
    ]
    .into_iter()
    .map(|(sample, what)| view! { <tr><td><pre>{sample}</pre></td><td>{what}</td></tr> })
    .collect_view();
    view! {
        <details class="markdown-help">
            <summary>{t!(i18n, projects.help_title)}</summary>
            <table class="data">
                <thead><tr><th scope="col">{t!(i18n, projects.help_write)}</th><th scope="col">{t!(i18n, projects.help_get)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}

/// Lines of a diff, with `<ins>`/`<del>` so that screen readers announce them.
#[component]
pub fn DiffLines(lines: Vec<DiffLine>) -> impl IntoView {
    let i18n = use_i18n();
    if lines.is_empty() {
        return view! { <p>{t!(i18n, projects.no_differences)}</p> }.into_any();
    }
    let rows = lines
        .into_iter()
        .map(|line| match line {
            DiffLine::Same(text) => {
                view! { <div class="diff-same">{format!("  {text}")}</div> }.into_any()
            }
            DiffLine::Added(text) => {
                view! { <ins class="diff-add">{format!("+ {text}")}</ins> }.into_any()
            }
            DiffLine::Removed(text) => {
                view! { <del class="diff-del">{format!("− {text}")}</del> }.into_any()
            }
            DiffLine::Gap => view! { <div class="diff-gap">"…"</div> }.into_any(),
        })
        .collect_view();
    view! { <div class="diff" role="group" aria-label=move || t_string!(i18n, projects.differences)>{rows}</div> }
        .into_any()
}

/// `/projects/{id}/pages/{slug}/history`
#[component]
pub fn PageHistoryPage() -> impl IntoView {
    let id = param("id");
    let slug = param("slug");
    let history =
        Resource::new_blocking(move || (id(), slug()), |(id, slug)| page_history(id, slug));
    loaded!(history, |history| view! { <HistoryBody history /> })
}

#[component]
fn HistoryBody(history: HistoryView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let base = page_href(&history.project_id, &history.page.slug);
    let newest = history.revisions.first().map(|r| r.number).unwrap_or(1);
    let rows = history
        .revisions
        .iter()
        .map(|r| {
            let from_id = format!("from-{}", r.number);
            let to_id = format!("to-{}", r.number);
            let note = match r.restored_from {
                Some(n) => t_string!(i18n, projects.restored_from, number = n),
                None => r.summary.clone(),
            };
            view! {
                <tr>
                    <td>
                        <input type="radio" name="from" value=r.number.to_string() id=from_id.clone() checked=r.number == newest - 1 />
                        <label for=from_id class="visually-hidden">{t_string!(i18n, projects.compare_from, number = r.number)}</label>
                        " "
                        <input type="radio" name="to" value=r.number.to_string() id=to_id.clone() checked=r.number == newest />
                        <label for=to_id class="visually-hidden">{t_string!(i18n, projects.compare_to, number = r.number)}</label>
                    </td>
                    <td><a href=format!("{base}/revisions/{}", r.number)>{t_string!(i18n, projects.version, number = r.number)}</a></td>
                    <td>{r.author.clone().unwrap_or_default()}</td>
                    <td>{format_date_time(locale, r.saved_at)}</td>
                    <td>{note}</td>
                </tr>
            }
        })
        .collect_view();
    let many = history.revisions.len() > 1;
    view! {
        <PageTitle text=format!("{} · {}", t_string!(i18n, projects.history), history.page.title) />
        <p class="breadcrumbs">
            <a href=project_href(&history.project_id)>{history.project_title.clone()}</a> " › "
            <a href=base.clone()>{history.page.title.clone()}</a>
        </p>
        <h1>{t_string!(i18n, projects.history_of, page = history.page.title.clone())}</h1>
        <form method="get" action=format!("{base}/diff")>
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, projects.compare)}</th>
                        <th scope="col">{t!(i18n, projects.revision)}</th>
                        <th scope="col">{t!(i18n, projects.author)}</th>
                        <th scope="col">{t!(i18n, projects.saved)}</th>
                        <th scope="col">{t!(i18n, projects.summary)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            {many.then(|| view! { <button type="submit">{t!(i18n, projects.compare_button)}</button> })}
        </form>
    }
}

/// `/projects/{id}/pages/{slug}/revisions/{number}`
#[component]
pub fn RevisionPage() -> impl IntoView {
    let id = param("id");
    let slug = param("slug");
    let number = param("number");
    let revision = Resource::new_blocking(
        move || (id(), slug(), number().parse::<i64>().unwrap_or(0)),
        |(id, slug, number)| load_revision(id, slug, number),
    );
    loaded!(revision, |revision| view! { <RevisionBody revision /> })
}

#[component]
fn RevisionBody(revision: RevisionView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let base = page_href(&revision.project_id, &revision.page.slug);
    let number = revision.info.number;
    let old = number != revision.current;
    let restore = (old && revision.may_edit).then(|| {
        view! {
            <form method="post" action=RestoreRevision::url()>
                <input type="hidden" name="page_id" value=revision.page.id.clone() />
                <input type="hidden" name="number" value=number.to_string() />
                <button type="submit" class="primary">{t_string!(i18n, projects.restore_version, number = number)}</button>
            </form>
        }
    });
    let at = format_date_time(locale, revision.info.saved_at);
    view! {
        <PageTitle text=format!("{} · {}", revision.title, t_string!(i18n, projects.version, number = number)) />
        <p class="breadcrumbs">
            <a href=project_href(&revision.project_id)>{revision.project_title.clone()}</a> " › "
            <a href=base.clone()>{revision.page.title.clone()}</a> " › "
            <a href=format!("{base}/history")>{t!(i18n, projects.history)}</a>
        </p>
        <div class="notice" role="status">
            <p>
                {t_string!(i18n, projects.old_version_line, number = number, at = at, author = revision.info.author.clone().unwrap_or_default())}
                {old.then(|| view! { " " {t_string!(i18n, projects.current_is, number = revision.current)} })}
            </p>
            {old.then(|| view! { <p><a href=format!("{base}/diff?from={number}&to={}", revision.current)>{t!(i18n, projects.compare_with_current)}</a></p> })}
            {restore}
        </div>
        <article class="page-content">
            <h1>{revision.title.clone()}</h1>
            <div class="markdown" inner_html=revision.html.as_str().to_owned()></div>
        </article>
    }
}

/// `/projects/{id}/pages/{slug}/diff?from=…&to=…`
#[component]
pub fn DiffPage() -> impl IntoView {
    let id = param("id");
    let slug = param("slug");
    let query = use_query_map();
    let diff = Resource::new_blocking(
        move || {
            let q = query.read();
            (
                id(),
                slug(),
                q.get("from")
                    .and_then(|n| n.parse::<i64>().ok())
                    .unwrap_or(1),
                q.get("to").and_then(|n| n.parse::<i64>().ok()).unwrap_or(1),
            )
        },
        |(id, slug, from, to)| diff_revisions(id, slug, from, to),
    );
    loaded!(diff, |diff| view! { <DiffBody diff /> })
}

#[component]
fn DiffBody(diff: DiffView) -> impl IntoView {
    let i18n = use_i18n();
    let base = page_href(&diff.project_id, &diff.page.slug);
    view! {
        <PageTitle text=format!("{} · {}", t_string!(i18n, projects.differences), diff.page.title) />
        <p class="breadcrumbs">
            <a href=project_href(&diff.project_id)>{diff.project_title.clone()}</a> " › "
            <a href=base.clone()>{diff.page.title.clone()}</a> " › "
            <a href=format!("{base}/history")>{t!(i18n, projects.history)}</a>
        </p>
        <h1>{t_string!(i18n, projects.diff_heading, from = diff.from, to = diff.to)}</h1>
        <DiffLines lines=diff.lines.clone() />
    }
}
