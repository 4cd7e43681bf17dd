//! Staff pages for a school's people (`/manage/…`), login cards, parent registration and the
//! family part of the account page. Every form is a plain HTML form posting to its server
//! function: it works without JavaScript, and errors come back beside the fields.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::api::{
    load_cards, load_class, load_import, load_pupil, load_school_people, manage_overview,
    my_family, search_pupils, AddPupil, CancelImport, ClaimInvite, ConfirmImport, CreateClass,
    CreateInvite, CreateStaff, ForgetCards, PromoteYear, RecordConsent, RegisterParent,
    ResetPassword, RevokeInvite, UploadRoster, WithdrawConsent,
};
use super::{
    academic_year_label, CardsSheet, ClassDetail, ConsentFilter, ConsentKind, FamilyView,
    FileProblem, ImportStatus, ImportView, InviteStatus, PublicName, PupilDetail, PupilSearch,
    RowProblem, SchoolPeople,
};
use crate::components::{
    form_error, loaded, param, url_error, ErrorNotice, FieldMessage, FormNotice, PageTitle,
};
use crate::format::{format_date, format_integer};
use crate::i18n::{t, t_string, use_i18n};

/// `/manage`: the schools this person manages.
#[component]
pub fn ManagePage() -> impl IntoView {
    let i18n = use_i18n();
    let schools = Resource::new_blocking(|| (), |_| manage_overview());
    view! {
        <PageTitle text=move || t_string!(i18n, manage.title).to_owned() />
        <h1>{t!(i18n, manage.title)}</h1>
        <p class="lead">{t!(i18n, manage.intro)}</p>
        <p>
            <a href="/manage/audit">{t!(i18n, audit.link)}</a> " · "
            <a href="/admin/schools">{t!(i18n, school_admin.link)}</a> " · "
            <a href="/manage/district/catalog">{t!(i18n, catalog.district_fund)}</a> " · "
            <a href="/manage/analytics">{t!(i18n, analytics.district_link)}</a>
        </p>
        {loaded!(schools, |schools| {
            let locale = i18n.get_locale();
            view! {
                <ul class="card-list">
                    {schools
                        .into_iter()
                        .map(|school| {
                            let href = format!("/manage/{}", school.slug);
                            let classes = format_integer(locale, school.class_count);
                            let pupils = format_integer(locale, school.pupil_count);
                            view! {
                                <li class="card">
                                    <h2><a href=href>{school.short_name}</a></h2>
                                    <p class="muted">{school.town}</p>
                                    <p>
                                        {t!(i18n, manage.classes_count)} ": " {classes} " · "
                                        {t!(i18n, manage.pupils_count)} ": " {pupils}
                                    </p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })}
    }
}

/// `/manage/{slug}?year=2026`: a school's classes, new class, roster import, next year.
#[component]
pub fn SchoolPeoplePage() -> impl IntoView {
    let slug = param("slug");
    let query = use_query_map();
    let people = Resource::new_blocking(
        move || {
            let q = query.read();
            (
                slug(),
                q.get("year").and_then(|y| y.parse::<i32>().ok()),
                q.get("staff_role"),
            )
        },
        |(slug, year, role)| load_school_people(slug, year, role),
    );
    loaded!(people, |people| view! { <SchoolPeopleView people /> })
}

#[component]
fn SchoolPeopleView(people: SchoolPeople) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateClass>::new();
    let promote = ServerAction::<PromoteYear>::new();
    let add_staff = ServerAction::<CreateStaff>::new();
    let staff_error = form_error(add_staff);
    let staff_problem = move |f: &'static str| staff_error().and_then(|e| e.field_problem(f));
    // Refused forms come back with what was typed.
    let staff_typed = crate::forms::typed(CreateStaff::PATH);
    let class_typed = crate::forms::typed(CreateClass::PATH);
    let may_add_librarians = people.may_add_librarians;
    let staff_role = people.staff_role;
    let staff = people
        .staff
        .iter()
        .map(|member| {
            let roles = member
                .roles
                .iter()
                .map(|r| crate::accounts::ui::role_name(*r)())
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <tr>
                    <td>{member.display_name.clone()}</td>
                    <td><code>{member.username.clone()}</code></td>
                    <td>{roles}</td>
                    <td>
                        <form method="post" action=ResetPassword::url()>
                            <input type="hidden" name="user_id" value=member.id.clone() />
                            <button type="submit" class="small">{t!(i18n, manage.reset_password)}</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let create_error = form_error(create);
    let upload_error = url_error(UploadRoster::PATH);
    let promote_error = form_error(promote);
    let year = people.academic_year;
    let year_label = academic_year_label(year);
    let title = format!("{} · {}", people.school.short_name, year_label);
    let slug = people.school.slug.clone();
    let years = people
        .years
        .iter()
        .map(|y| {
            let label = academic_year_label(*y);
            let href = format!("/manage/{}?year={y}", people.school.slug);
            let current = (*y == year).then_some("page");
            view! { <li><a href=href aria-current=current>{label}</a></li> }
        })
        .collect_view();
    let classes = people.classes.clone();
    let can_promote = !people.classes.is_empty() && !people.next_year_has_classes;
    let next_label = academic_year_label(year + 1);
    view! {
        <PageTitle text=title.clone() />
        <p class="breadcrumbs"><a href="/manage">{t!(i18n, manage.title)}</a></p>
        <h1>{people.school.short_name.clone()}</h1>
        <nav aria-label=move || t_string!(i18n, manage.years)>
            <ul class="inline-list">{years}</ul>
        </nav>
        <p><a href=format!("/manage/{}/pupils", slug)>{t!(i18n, search.link)}</a></p>
        <h2>{t_string!(i18n, manage.classes_of_year, year = year_label.clone())}</h2>
        {if classes.is_empty() {
            view! { <p>{t!(i18n, manage.no_classes)}</p> }.into_any()
        } else {
            view! {
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, manage.class)}</th>
                            <th scope="col">{t!(i18n, manage.pupils_count)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {classes
                            .into_iter()
                            .map(|class| {
                                let href = format!("/manage/classes/{}", class.id);
                                view! {
                                    <tr>
                                        <td><a href=href>{class.name}</a></td>
                                        <td>{class.pupil_count}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }}
        <section aria-labelledby="new-class">
            <h2 id="new-class">{t!(i18n, manage.new_class)}</h2>
            {move || view! { <FormNotice error=create_error() /> }}
            <form class="inline-form" method="post" action=CreateClass::url()>
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="year" value=year.to_string() />
                <label for="class-name">{t!(i18n, manage.class_name)}</label>
                <input id="class-name" name="name" required maxlength="8" size="6" value=class_typed.get("name") aria-describedby="class-name-hint class-name-error" />
                <button type="submit" class="primary">{t!(i18n, manage.create_class)}</button>
                <p class="hint" id="class-name-hint">{t!(i18n, manage.class_name_hint)}</p>
                {move || view! { <FieldMessage id="class-name-error" problem=create_error().and_then(|e| e.field_problem("name")) /> }}
            </form>
        </section>
        <section aria-labelledby="roster">
            <h2 id="roster">{t!(i18n, manage.roster_title)}</h2>
            <p>{t!(i18n, manage.roster_intro)}</p>
            <pre class="sample">"Фамилия;Имя;Отчество;Класс\nИванова;Мария;Петровна;7Б\nПетров;Илья;;7Б"</pre>
            {move || view! { <FormNotice error=upload_error() /> }}
            <form class="stack-form" method="post" enctype="multipart/form-data" action=UploadRoster::url()>
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="year" value=year.to_string() />
                <label for="roster-file">{t!(i18n, manage.roster_file)}</label>
                <input id="roster-file" name="file" type="file" accept=".csv,text/csv,text/plain" required aria-describedby="roster-file-error" />
                {move || view! { <FieldMessage id="roster-file-error" problem=upload_error().and_then(|e| e.field_problem("file")) /> }}
                <button type="submit" class="primary">{t!(i18n, manage.roster_check)}</button>
            </form>
        </section>
        <section aria-labelledby="staff">
            <h2 id="staff">{t!(i18n, manage.staff)}</h2>
            <form class="inline-form" method="get" action=format!("/manage/{slug}")>
                <input type="hidden" name="year" value=year.to_string() />
                <label for="staff-filter">{t!(i18n, manage.staff_role)}</label>
                <select id="staff-filter" name="staff_role">
                    <option value="">{t!(i18n, search.any_consent)}</option>
                    <option value="librarian" selected=staff_role == Some(crate::accounts::Role::Librarian)>{t!(i18n, roles.librarian)}</option>
                    <option value="supervisor" selected=staff_role == Some(crate::accounts::Role::Supervisor)>{t!(i18n, roles.supervisor)}</option>
                </select>
                <button type="submit">{t!(i18n, search.show)}</button>
            </form>
            {move || view! { <FormNotice error=staff_error() /> }}
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, account.name)}</th>
                        <th scope="col">{t!(i18n, account.username)}</th>
                        <th scope="col">{t!(i18n, account.roles)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, manage.actions)}</span></th>
                    </tr>
                </thead>
                <tbody>{staff}</tbody>
            </table>
            <h3>{t!(i18n, manage.add_staff)}</h3>
            <form class="stack-form" method="post" action=CreateStaff::url()>
                <input type="hidden" name="slug" value=slug.clone() />
                <label for="staff-name">{t!(i18n, manage.staff_name)}</label>
                <input id="staff-name" name="display_name" required maxlength="100" autocomplete="off" value=staff_typed.get("display_name") aria-describedby="staff-name-error" />
                {move || view! { <FieldMessage id="staff-name-error" problem=staff_problem("display_name") /> }}
                <label for="staff-username">{t!(i18n, account.username)}</label>
                <input id="staff-username" name="username" required maxlength="40" autocomplete="off" autocapitalize="none" spellcheck="false" value=staff_typed.get("username") aria-describedby="staff-username-hint staff-username-error" />
                <p class="hint" id="staff-username-hint">{t!(i18n, register.username_hint)}</p>
                {move || view! { <FieldMessage id="staff-username-error" problem=staff_problem("username") /> }}
                <label for="staff-role">{t!(i18n, manage.staff_role)}</label>
                <select id="staff-role" name="role">
                    <option value="supervisor">{t!(i18n, roles.supervisor)}</option>
                    {may_add_librarians.then(|| view! { <option value="librarian" selected=staff_typed.chosen("role", "librarian", false)>{t!(i18n, roles.librarian)}</option> })}
                </select>
                <button type="submit" class="primary">{t!(i18n, manage.add_staff_button)}</button>
            </form>
        </section>
        {can_promote.then(|| view! {
            <section aria-labelledby="promote">
                <h2 id="promote">{t!(i18n, manage.promote_title)}</h2>
                <p>{t_string!(i18n, manage.promote_intro, year = next_label.clone())}</p>
                {move || view! { <FormNotice error=promote_error() /> }}
                {move || promote_error().and_then(|e| e.field_problem("year")).map(|_| view! { <p class="field-error">{t!(i18n, manage.promote_taken)}</p> })}
                <form method="post" action=PromoteYear::url()>
                    <input type="hidden" name="slug" value=slug.clone() />
                    <input type="hidden" name="year" value=year.to_string() />
                    <button type="submit">{t_string!(i18n, manage.promote_button, year = next_label.clone())}</button>
                </form>
            </section>
        })}
    }
}

/// `/manage/classes/{id}`: the pupils of a class and adding one.
#[component]
pub fn ClassPage() -> impl IntoView {
    let id = param("id");
    let class = Resource::new_blocking(id, load_class);
    loaded!(class, |detail| view! { <ClassView detail /> })
}

fn yes_no(value: bool) -> impl Fn() -> &'static str {
    let i18n = use_i18n();
    move || {
        if value {
            t_string!(i18n, manage.yes)
        } else {
            t_string!(i18n, manage.no)
        }
    }
}

#[component]
fn ClassView(detail: ClassDetail) -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddPupil>::new();
    let add_error = form_error(add);
    let problem = move |field: &'static str| add_error().and_then(|e| e.field_problem(field));
    // A refused pupil comes back with what was typed.
    let typed = crate::forms::typed(AddPupil::PATH);
    let year_label = academic_year_label(detail.class.academic_year);
    let title = format!("{} · {}", detail.class.name, detail.school.short_name);
    let school_href = format!(
        "/manage/{}?year={}",
        detail.school.slug, detail.class.academic_year
    );
    let pupils = detail.pupils.clone();
    view! {
        <PageTitle text=title />
        <p class="breadcrumbs">
            <a href="/manage">{t!(i18n, manage.title)}</a> " › "
            <a href=school_href>{detail.school.short_name.clone()}</a>
        </p>
        <h1>{t_string!(i18n, manage.class_heading, class = detail.class.name.clone(), year = year_label)}</h1>
        {if pupils.is_empty() {
            view! { <p>{t!(i18n, manage.no_pupils)}</p> }.into_any()
        } else {
            view! {
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, manage.pupil)}</th>
                            <th scope="col">{t!(i18n, account.username)}</th>
                            <th scope="col">{t!(i18n, manage.consent_processing_short)}</th>
                            <th scope="col">{t!(i18n, manage.consent_publication_short)}</th>
                            <th scope="col">{t!(i18n, manage.parents)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {pupils
                            .into_iter()
                            .map(|pupil| {
                                let href = format!("/manage/pupils/{}", pupil.id);
                                let name = pupil.full_name();
                                view! {
                                    <tr>
                                        <td><a href=href>{name}</a></td>
                                        <td><code>{pupil.username}</code></td>
                                        <td>{yes_no(pupil.processing_consent)}</td>
                                        <td>{yes_no(pupil.publication_consent)}</td>
                                        <td>{pupil.parent_count}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }}
        <section aria-labelledby="add-pupil">
            <h2 id="add-pupil">{t!(i18n, manage.add_pupil)}</h2>
            {move || view! { <FormNotice error=add_error() /> }}
            <form class="stack-form" method="post" action=AddPupil::url()>
                <input type="hidden" name="class_id" value=detail.class.id.clone() />
                <label for="surname">{t!(i18n, manage.surname)}</label>
                <input id="surname" name="surname" required maxlength="60" autocomplete="off" value=typed.get("surname") aria-describedby="surname-error" />
                {move || view! { <FieldMessage id="surname-error" problem=problem("surname") /> }}
                <label for="first_name">{t!(i18n, manage.first_name)}</label>
                <input id="first_name" name="first_name" required maxlength="60" autocomplete="off" value=typed.get("first_name") aria-describedby="first_name-error" />
                {move || view! { <FieldMessage id="first_name-error" problem=problem("first_name") /> }}
                <label for="patronymic">{t!(i18n, manage.patronymic)}</label>
                <input id="patronymic" name="patronymic" maxlength="60" autocomplete="off" value=typed.get("patronymic") aria-describedby="patronymic-error" />
                {move || view! { <FieldMessage id="patronymic-error" problem=problem("patronymic") /> }}
                <button type="submit" class="primary">{t!(i18n, manage.add_pupil_button)}</button>
            </form>
        </section>
    }
}

/// `/manage/imports/{id}`: what a roster file will do, or why it was refused.
#[component]
pub fn ImportPage() -> impl IntoView {
    let id = param("id");
    let import = Resource::new_blocking(id, load_import);
    loaded!(import, |import| view! { <ImportViewPage import /> })
}

fn row_problem_text(problem: RowProblem) -> impl Fn() -> String {
    let i18n = use_i18n();
    move || match problem.clone() {
        RowProblem::WrongFieldCount { found } => {
            t_string!(i18n, roster.wrong_field_count, found = found)
        }
        RowProblem::MissingSurname => t_string!(i18n, roster.missing_surname).to_owned(),
        RowProblem::MissingFirstName => t_string!(i18n, roster.missing_first_name).to_owned(),
        RowProblem::MissingClass => t_string!(i18n, roster.missing_class).to_owned(),
        RowProblem::BadClass { value } => t_string!(i18n, roster.bad_class, value = value),
        RowProblem::BadName { value } => t_string!(i18n, roster.bad_name, value = value),
        RowProblem::TooLong { value } => t_string!(i18n, roster.too_long, value = value),
        RowProblem::Duplicate { first_line } => {
            t_string!(i18n, roster.duplicate, line = first_line)
        }
    }
}

#[component]
fn ImportViewPage(import: ImportView) -> impl IntoView {
    let i18n = use_i18n();
    let confirm = ServerAction::<ConfirmImport>::new();
    let confirm_error = form_error(confirm);
    let school_href = format!(
        "/manage/{}?year={}",
        import.school.slug, import.academic_year
    );
    let year_label = academic_year_label(import.academic_year);
    let body = match import.status {
        ImportStatus::Rejected => {
            let file_problem = import.file_problem.map(|problem| {
                let text = move || match problem {
                    FileProblem::Empty => t_string!(i18n, roster.empty).to_owned(),
                    FileProblem::Unreadable => t_string!(i18n, roster.unreadable).to_owned(),
                    FileProblem::TooManyRows { max } => {
                        t_string!(i18n, roster.too_many_rows, max = max)
                    }
                };
                view! { <p class="notice error" role="alert">{text}</p> }
            });
            let count = import.row_problems.len();
            let rows = (!import.row_problems.is_empty()).then(|| {
                view! {
                    <p class="notice error" role="alert">{t_string!(i18n, roster.rejected, n = count)}</p>
                    <table class="data">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, roster.line)}</th>
                                <th scope="col">{t!(i18n, roster.problem)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {import
                                .row_problems
                                .iter()
                                .map(|e| view! { <tr><td>{e.line}</td><td>{row_problem_text(e.problem.clone())}</td></tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                }
            });
            view! {
                <h1>{t!(i18n, roster.rejected_title)}</h1>
                <p>{t!(i18n, roster.nothing_imported)}</p>
                {file_problem}
                {rows}
                <p><a class="button" href=school_href.clone()>{t!(i18n, roster.try_again)}</a></p>
            }
            .into_any()
        }
        ImportStatus::Preview => {
            let count = import.pupils.len();
            let new_classes = (!import.new_classes.is_empty()).then(|| {
                let list = import.new_classes.join(", ");
                view! { <p>{t_string!(i18n, roster.new_classes, classes = list)}</p> }
            });
            view! {
                <h1>{t!(i18n, roster.preview_title)}</h1>
                <p>{t_string!(i18n, roster.preview_intro, n = count, year = year_label.clone())}</p>
                {new_classes}
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, roster.line)}</th>
                            <th scope="col">{t!(i18n, manage.pupil)}</th>
                            <th scope="col">{t!(i18n, manage.class)}</th>
                            <th scope="col">{t!(i18n, account.username)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {import
                            .pupils
                            .iter()
                            .map(|p| {
                                let name = super::full_name(&p.surname, &p.first_name, p.patronymic.as_deref());
                                view! {
                                    <tr>
                                        <td>{p.line}</td>
                                        <td>{name}</td>
                                        <td>{p.class_name.clone()}</td>
                                        <td><code>{p.username.clone()}</code></td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                {move || view! { <FormNotice error=confirm_error() /> }}
                <div class="actions">
                    <form method="post" action=ConfirmImport::url()>
                        <input type="hidden" name="id" value=import.id.clone() />
                        <button type="submit" class="primary">{t_string!(i18n, roster.confirm, n = count)}</button>
                    </form>
                    <form method="post" action=CancelImport::url()>
                        <input type="hidden" name="id" value=import.id.clone() />
                        <button type="submit">{t!(i18n, roster.cancel)}</button>
                    </form>
                </div>
            }
            .into_any()
        }
        ImportStatus::Done => {
            let cards = import.cards_available.then(|| {
                let href = format!("/manage/imports/{}/cards", import.id);
                view! { <p><a class="button primary" href=href>{t!(i18n, roster.open_cards)}</a></p> }
            });
            view! {
                <h1>{t!(i18n, roster.done_title)}</h1>
                <p>{t_string!(i18n, roster.done_intro, n = import.pupils.len())}</p>
                {cards}
                <p><a href=school_href.clone()>{t!(i18n, roster.back_to_school)}</a></p>
            }
            .into_any()
        }
        ImportStatus::Cancelled => view! {
            <h1>{t!(i18n, roster.cancelled_title)}</h1>
            <p><a href=school_href.clone()>{t!(i18n, roster.back_to_school)}</a></p>
        }
        .into_any(),
    };
    let title = import.file_name.clone();
    view! {
        <PageTitle text=move || t_string!(i18n, roster.page_title, file = title.clone()) />
        <p class="breadcrumbs">
            <a href="/manage">{t!(i18n, manage.title)}</a> " › "
            <a href=school_href.clone()>{import.school.short_name.clone()}</a>
        </p>
        {body}
    }
}

/// `/manage/imports/{id}/cards`: the login cards to print, cut and hand out.
#[component]
pub fn CardsPage() -> impl IntoView {
    let id = param("id");
    let sheet = Resource::new_blocking(id, load_cards);
    loaded!(sheet, |sheet| view! { <CardsView sheet /> })
}

#[component]
fn CardsView(sheet: CardsSheet) -> impl IntoView {
    let i18n = use_i18n();
    let school = sheet.school.short_name.clone();
    let address = sheet.sign_in_address.clone();
    view! {
        <PageTitle text=move || t_string!(i18n, cards.title).to_owned() />
        <div class="no-print">
            <p class="breadcrumbs">
                <a href="/manage">{t!(i18n, manage.title)}</a> " › "
                <a href=format!("/manage/{}", sheet.school.slug)>{school.clone()}</a>
            </p>
            <h1>{t!(i18n, cards.title)}</h1>
            <p>{t!(i18n, cards.intro)}</p>
        </div>
        <ul class="login-cards">
            {sheet
                .cards
                .into_iter()
                .map(|card| {
                    view! {
                        <li class="login-card">
                            <p class="login-card-school">{school.clone()}</p>
                            <p class="login-card-name">
                                {card.full_name}
                                {(!card.class_name.is_empty()).then(|| format!(", {}", card.class_name))}
                            </p>
                            <dl>
                                <dt>{t!(i18n, cards.address)}</dt>
                                <dd>{address.clone()}</dd>
                                <dt>{t!(i18n, account.username)}</dt>
                                <dd><code>{card.username}</code></dd>
                                <dt>{t!(i18n, account.password)}</dt>
                                <dd><code>{card.password}</code></dd>
                            </dl>
                            <p class="login-card-hint">{t!(i18n, cards.hint)}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <form class="no-print" method="post" action=ForgetCards::url()>
            <input type="hidden" name="id" value=sheet.import_id />
            <button type="submit">{t!(i18n, cards.forget)}</button>
        </form>
    }
}

/// `/manage/pupils/{id}`: a pupil's consents, family invites and parents.
#[component]
pub fn PupilPage() -> impl IntoView {
    let id = param("id");
    let pupil = Resource::new_blocking(id, load_pupil);
    loaded!(pupil, |pupil| view! { <PupilView pupil /> })
}

fn consent_kind_name(kind: ConsentKind) -> impl Fn() -> &'static str {
    let i18n = use_i18n();
    move || match kind {
        ConsentKind::Processing => t_string!(i18n, manage.consent_processing),
        ConsentKind::Publication => t_string!(i18n, manage.consent_publication),
    }
}

#[component]
fn PupilView(pupil: PupilDetail) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let record = ServerAction::<RecordConsent>::new();
    let withdraw = ServerAction::<WithdrawConsent>::new();
    let invite = ServerAction::<CreateInvite>::new();
    let revoke = ServerAction::<RevokeInvite>::new();
    let record_error = form_error(record);
    let withdraw_error = form_error(withdraw);
    let invite_error = form_error(invite);
    let revoke_error = form_error(revoke);
    let record_problem = move |f: &'static str| record_error().and_then(|e| e.field_problem(f));
    let name = super::full_name(
        &pupil.surname,
        &pupil.first_name,
        pupil.patronymic.as_deref(),
    );
    let class_name = pupil.class.as_ref().map(|c| c.name.clone());
    let class_link = pupil.class.as_ref().map(|c| {
        let href = format!("/manage/classes/{}", c.id);
        view! { " › " <a href=href>{c.name.clone()}</a> }
    });
    let public = match pupil.public_name.clone() {
        PublicName::Named(n) => n,
        PublicName::Anonymous => t_string!(i18n, manage.anonymous).to_owned(),
    };
    let consents = pupil
        .consents
        .iter()
        .map(|c| {
            let date = format_date(locale, c.given_on);
            let withdraw_form = (!c.withdrawn).then(|| {
                view! {
                    <form method="post" action=WithdrawConsent::url()>
                        <input type="hidden" name="id" value=c.id.clone() />
                        <button type="submit" class="small">{t!(i18n, manage.withdraw)}</button>
                    </form>
                }
            });
            let state = if c.withdrawn {
                Some(view! { <span class="tag">{t!(i18n, manage.withdrawn)}</span> })
            } else {
                None
            };
            view! {
                <tr>
                    <td>{consent_kind_name(c.kind)}</td>
                    <td>{date}</td>
                    <td>{c.note.clone()}</td>
                    <td>{state}{withdraw_form}</td>
                </tr>
            }
        })
        .collect_view();
    let invites = pupil
        .invites
        .iter()
        .map(|inv| {
            let expires = format_date(locale, inv.expires_on);
            let current = inv.status;
            let status = move || match current {
                InviteStatus::Active => t_string!(i18n, invites.active),
                InviteStatus::Used => t_string!(i18n, invites.used),
                InviteStatus::Revoked => t_string!(i18n, invites.revoked),
                InviteStatus::Expired => t_string!(i18n, invites.expired),
            };
            let revoke_form = (inv.status == InviteStatus::Active).then(|| {
                view! {
                    <form method="post" action=RevokeInvite::url()>
                        <input type="hidden" name="id" value=inv.id.clone() />
                        <button type="submit" class="small">{t!(i18n, invites.revoke)}</button>
                    </form>
                }
            });
            view! {
                <tr>
                    <td><code class="invite-code">{inv.code.clone().unwrap_or_else(|| "—".into())}</code></td>
                    <td>{expires}</td>
                    <td>{status}</td>
                    <td>{revoke_form}</td>
                </tr>
            }
        })
        .collect_view();
    let active_code = pupil
        .invites
        .iter()
        .find(|i| i.status == InviteStatus::Active)
        .and_then(|i| i.code.clone().map(|code| (code, i.expires_on)));
    let letter = active_code.map(|(code, expires_on)| {
        let expires = format_date(locale, expires_on);
        let child = name.clone();
        view! {
            <div class="invite-letter">
                <h3>{t!(i18n, invites.letter_title)}</h3>
                <p>{t_string!(i18n, invites.letter_text, child = child, school = pupil.school.short_name.clone())}</p>
                <p class="invite-code-big"><code>{code}</code></p>
                <p>{t!(i18n, invites.letter_steps)}</p>
                <p>{t_string!(i18n, invites.letter_expires, date = expires)}</p>
            </div>
        }
    });
    let parents = pupil
        .parents
        .iter()
        .map(|p| view! { <li>{p.display_name.clone()} " (" <code>{p.username.clone()}</code> ")"</li> })
        .collect_view();
    let no_parents = pupil.parents.is_empty();
    let school_href = format!("/manage/{}", pupil.school.slug);
    view! {
        <PageTitle text=name.clone() />
        <p class="breadcrumbs no-print">
            <a href="/manage">{t!(i18n, manage.title)}</a> " › "
            <a href=school_href>{pupil.school.short_name.clone()}</a>
            {class_link}
        </p>
        <h1>{name.clone()}</h1>
        <form class="no-print" method="post" action=ResetPassword::url()>
            <input type="hidden" name="user_id" value=pupil.id.clone() />
            <button type="submit">{t!(i18n, manage.reset_password)}</button>
            <span class="hint">" " {t!(i18n, manage.reset_hint)}</span>
        </form>
        <dl class="facts">
            <dt>{t!(i18n, account.username)}</dt>
            <dd><code>{pupil.username.clone()}</code></dd>
            <dt>{t!(i18n, manage.class)}</dt>
            <dd>{class_name.unwrap_or_else(|| "—".into())}</dd>
            <dt>{t!(i18n, manage.public_name)}</dt>
            <dd>{public}</dd>
        </dl>
        <section aria-labelledby="consents" class="no-print">
            <h2 id="consents">{t!(i18n, manage.consents)}</h2>
            <p class="hint">{t!(i18n, manage.consents_intro)}</p>
            {move || view! { <FormNotice error=withdraw_error() /> }}
            {if pupil.consents.is_empty() {
                view! { <p>{t!(i18n, manage.no_consents)}</p> }.into_any()
            } else {
                view! {
                    <table class="data">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, manage.consent_kind)}</th>
                                <th scope="col">{t!(i18n, manage.consent_date)}</th>
                                <th scope="col">{t!(i18n, manage.consent_note)}</th>
                                <th scope="col"><span class="visually-hidden">{t!(i18n, manage.actions)}</span></th>
                            </tr>
                        </thead>
                        <tbody>{consents}</tbody>
                    </table>
                }
                .into_any()
            }}
            <h3>{t!(i18n, manage.record_consent)}</h3>
            {move || view! { <FormNotice error=record_error() /> }}
            <form class="stack-form" method="post" action=RecordConsent::url()>
                <input type="hidden" name="pupil_id" value=pupil.id.clone() />
                <label for="consent-kind">{t!(i18n, manage.consent_kind)}</label>
                <select id="consent-kind" name="kind">
                    <option value="processing">{t!(i18n, manage.consent_processing)}</option>
                    <option value="publication">{t!(i18n, manage.consent_publication)}</option>
                </select>
                <label for="consent-date">{t!(i18n, manage.consent_date)}</label>
                <input id="consent-date" name="given_on" type="date" required aria-describedby="consent-date-error" />
                {move || view! { <FieldMessage id="consent-date-error" problem=record_problem("given_on") /> }}
                <label for="consent-note">{t!(i18n, manage.consent_note_label)}</label>
                <input id="consent-note" name="note" maxlength="200" aria-describedby="consent-note-error" />
                {move || view! { <FieldMessage id="consent-note-error" problem=record_problem("note") /> }}
                <button type="submit" class="primary">{t!(i18n, manage.record_consent)}</button>
            </form>
        </section>
        <section aria-labelledby="family">
            <h2 id="family" class="no-print">{t!(i18n, invites.title)}</h2>
            <div class="no-print">
                {if no_parents {
                    view! { <p>{t!(i18n, invites.no_parents)}</p> }.into_any()
                } else {
                    view! { <ul>{parents}</ul> }.into_any()
                }}
                {move || view! { <FormNotice error=revoke_error() /> }}
                {(!pupil.invites.is_empty()).then(|| view! {
                    <table class="data">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, invites.code)}</th>
                                <th scope="col">{t!(i18n, invites.expires)}</th>
                                <th scope="col">{t!(i18n, invites.status)}</th>
                                <th scope="col"><span class="visually-hidden">{t!(i18n, manage.actions)}</span></th>
                            </tr>
                        </thead>
                        <tbody>{invites}</tbody>
                    </table>
                })}
                {move || view! { <FormNotice error=invite_error() /> }}
                <form class="inline-form" method="post" action=CreateInvite::url()>
                    <input type="hidden" name="pupil_id" value=pupil.id.clone() />
                    <label for="invite-days">{t!(i18n, invites.days)}</label>
                    <input id="invite-days" name="days" type="number" min="1" max="90" value="14" required aria-describedby="invite-days-error" />
                    <button type="submit" class="primary">{t!(i18n, invites.create)}</button>
                    {move || view! { <FieldMessage id="invite-days-error" problem=invite_error().and_then(|e| e.field_problem("days")) /> }}
                </form>
            </div>
            {letter}
        </section>
    }
}

/// `/register`: a parent creates an account with the family invite code from school.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RegisterParent>::new();
    let error = form_error(action);
    let problem = move |f: &'static str| error().and_then(|e| e.field_problem(f));
    view! {
        <PageTitle text=move || t_string!(i18n, register.title).to_owned() />
        <h1>{t!(i18n, register.title)}</h1>
        <p>{t!(i18n, register.intro)}</p>
        {move || view! { <FormNotice error=error() /> }}
        <form class="stack-form" method="post" action=RegisterParent::url()>
            <label for="code">{t!(i18n, register.code)}</label>
            <input id="code" name="code" required autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="ABCD-2345" aria-describedby="code-error" />
            {move || view! { <FieldMessage id="code-error" problem=problem("code") /> }}
            <label for="display_name">{t!(i18n, register.display_name)}</label>
            <input id="display_name" name="display_name" required maxlength="100" autocomplete="name" aria-describedby="display_name-error" />
            {move || view! { <FieldMessage id="display_name-error" problem=problem("display_name") /> }}
            <label for="username">{t!(i18n, account.username)}</label>
            <input id="username" name="username" required maxlength="40" autocomplete="username" autocapitalize="none" spellcheck="false" aria-describedby="username-hint username-error" />
            <p class="hint" id="username-hint">{t!(i18n, register.username_hint)}</p>
            {move || view! { <FieldMessage id="username-error" problem=problem("username") /> }}
            <label for="password">{t!(i18n, account.new_password)}</label>
            <input id="password" name="password" type="password" required minlength="8" autocomplete="new-password" aria-describedby="password-error" />
            {move || view! { <FieldMessage id="password-error" problem=problem("password") /> }}
            <label for="confirm">{t!(i18n, account.confirm_password)}</label>
            <input id="confirm" name="confirm" type="password" required autocomplete="new-password" aria-describedby="confirm-error" />
            {move || view! { <FieldMessage id="confirm-error" problem=problem("confirm") /> }}
            <button type="submit" class="primary">{t!(i18n, register.submit)}</button>
        </form>
        <p>{t!(i18n, register.have_account)} " " <a href="/login">{t!(i18n, account.sign_in)}</a></p>
    }
}

/// The resource behind [`FamilySection`]. The page creates it with its other resources, before
/// anything is awaited, so that the server and the browser number them alike (a resource
/// created inside an awaited branch could be matched to the wrong serialized value, and the
/// browser would fetch it again and fail to hydrate).
pub fn family_resource() -> Resource<Result<FamilyView, crate::error::AppError>> {
    Resource::new_blocking(|| (), |_| my_family())
}

/// The account page's family part: a parent's children and the form to add one; a pupil's
/// school and class.
#[component]
pub fn FamilySection(
    is_pupil: bool,
    family: Resource<Result<FamilyView, crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let claim = ServerAction::<ClaimInvite>::new();
    let claim_error = form_error(claim);
    let render = move |family: FamilyView| {
        let place = family.own_place.map(|place| {
            let class = place.class_name.unwrap_or_else(|| "—".into());
            view! {
                <h2>{t!(i18n, family.my_school)}</h2>
                <p>{place.school} ", " {class}</p>
            }
        });
        let children = (!family.children.is_empty()).then(|| {
            view! {
                <h2>{t!(i18n, family.children)}</h2>
                <ul class="card-list">
                    {family
                        .children
                        .into_iter()
                        .map(|child| {
                            let class = child.class_name.unwrap_or_else(|| "—".into());
                            view! {
                                <li class="card">
                                    <h3>{child.full_name}</h3>
                                    <p>{child.school} ", " {class}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        });
        view! { {place} {children} }
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match family.await {
                    Ok(f) => render(f).into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
        {(!is_pupil).then(|| view! {
            <section aria-labelledby="claim">
                <h2 id="claim">{t!(i18n, family.add_child)}</h2>
                <p class="hint">{t!(i18n, family.add_child_hint)}</p>
                {move || view! { <FormNotice error=claim_error() /> }}
                <form class="inline-form" method="post" action=ClaimInvite::url()>
                    <label for="claim-code">{t!(i18n, register.code)}</label>
                    <input id="claim-code" name="code" required autocomplete="off" autocapitalize="characters" spellcheck="false" aria-describedby="claim-code-error" />
                    <button type="submit" class="primary">{t!(i18n, family.add_child_button)}</button>
                    {move || view! { <FieldMessage id="claim-code-error" problem=claim_error().and_then(|e| e.field_problem("code")) /> }}
                </form>
            </section>
        })}
    }
}

/// `/manage/{slug}/pupils?q=…&class=…&consent=…`: every pupil of the school this year, found by
/// name, class or a missing consent (a plain GET form).
#[component]
pub fn PupilSearchPage() -> impl IntoView {
    let slug = param("slug");
    let query = use_query_map();
    let found = Resource::new_blocking(
        move || {
            let q = query.read();
            (
                slug(),
                q.get("q"),
                q.get("class"),
                q.get("consent"),
                q.get("year").and_then(|y| y.parse::<i32>().ok()),
            )
        },
        |(slug, q, class, consent, year)| search_pupils(slug, q, class, consent, year),
    );
    loaded!(found, |found| view! { <PupilSearchView found /> })
}

#[component]
fn PupilSearchView(found: PupilSearch) -> impl IntoView {
    let i18n = use_i18n();
    let school_href = format!("/manage/{}", found.school.slug);
    let action = format!("/manage/{}/pupils", found.school.slug);
    let title = format!(
        "{} · {}",
        t_string!(i18n, search.title),
        found.school.short_name
    );
    let class_options = found
        .classes
        .iter()
        .map(|c| {
            let selected = found.class_id.as_deref() == Some(c.id.as_str());
            view! { <option value=c.id.clone() selected=selected>{c.name.clone()}</option> }
        })
        .collect_view();
    let consent = found.consent;
    let count = found.pupils.len();
    let year_options = found
        .years
        .iter()
        .map(|y| {
            let selected = *y == found.academic_year;
            view! { <option value=y.to_string() selected=selected>{academic_year_label(*y)}</option> }
        })
        .collect_view();
    let rows = found
        .pupils
        .into_iter()
        .map(|f| {
            let href = format!("/manage/pupils/{}", f.pupil.id);
            let name = f.pupil.full_name();
            view! {
                <tr>
                    <td><a href=href>{name}</a></td>
                    <td>{f.class_name.unwrap_or_else(|| "—".into())}</td>
                    <td><code>{f.pupil.username}</code></td>
                    <td>{yes_no(f.pupil.processing_consent)}</td>
                    <td>{yes_no(f.pupil.publication_consent)}</td>
                    <td>{f.pupil.parent_count}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <PageTitle text=title />
        <p class="breadcrumbs">
            <a href="/manage">{t!(i18n, manage.title)}</a> " › "
            <a href=school_href>{found.school.short_name.clone()}</a>
        </p>
        <h1>{t!(i18n, search.title)}</h1>
        <form class="inline-form" method="get" action=action role="search">
            <label for="q">{t!(i18n, search.name)}</label>
            <input id="q" name="q" type="search" value=found.query.clone() maxlength="100" />
            <label for="year">{t!(i18n, search.year)}</label>
            <select id="year" name="year">{year_options}</select>
            <label for="class">{t!(i18n, manage.class)}</label>
            <select id="class" name="class">
                <option value="">{t!(i18n, search.all_classes)}</option>
                {class_options}
            </select>
            <label for="consent">{t!(i18n, manage.consents)}</label>
            <select id="consent" name="consent">
                <option value="">{t!(i18n, search.any_consent)}</option>
                <option value="no_publication" selected=consent == Some(ConsentFilter::NoPublication)>{t!(i18n, search.no_publication)}</option>
                <option value="no_processing" selected=consent == Some(ConsentFilter::NoProcessing)>{t!(i18n, search.no_processing)}</option>
            </select>
            <button type="submit" class="primary">{t!(i18n, search.find)}</button>
        </form>
        <p role="status">{t_string!(i18n, search.found, n = count)}</p>
        {found.truncated.then(|| view! { <p class="hint">{t!(i18n, search.truncated)}</p> })}
        {(count > 0).then(|| view! {
            <div class="table-scroll">
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, manage.pupil)}</th>
                            <th scope="col">{t!(i18n, manage.class)}</th>
                            <th scope="col">{t!(i18n, account.username)}</th>
                            <th scope="col">{t!(i18n, manage.consent_processing_short)}</th>
                            <th scope="col">{t!(i18n, manage.consent_publication_short)}</th>
                            <th scope="col">{t!(i18n, manage.parents)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        })}
    }
}
