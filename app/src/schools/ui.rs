//! Pages of the district and its schools: home, the list of schools, a school's page.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use super::api::{load_home, load_school, load_school_form, SaveSchool};
use super::{HomeData, School, SchoolForm, SchoolSummary};
use crate::components::{form_error, ErrorNotice, FieldMessage, FormNotice, PageTitle};
use crate::format::{format_date, schools_count};
use crate::i18n::{t, t_string, use_i18n};

/// `/`: the district, what Libfolio is for, and the schools.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let home = Resource::new_blocking(|| (), |_| load_home());
    view! {
        <PageTitle text=move || t_string!(i18n, home.title).to_owned() />
        <Suspense fallback=move || view! { <p>{t!(i18n, errors.loading)}</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(data) => view! { <HomeContent data /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HomeContent(data: HomeData) -> impl IntoView {
    let i18n = use_i18n();
    let HomeData { district, schools } = data;
    match district {
        None => view! {
            <h1>{t!(i18n, app.name)}</h1>
            <p class="lead">{t!(i18n, app.tagline)}</p>
            <p class="notice">{t!(i18n, home.not_set_up)}</p>
        }
        .into_any(),
        Some(district) => view! {
            <h1>{district.name}</h1>
            <p class="lead">{district.region}</p>
            <p class="intro">{t!(i18n, home.intro)}</p>
            <section aria-labelledby="schools-heading">
                <h2 id="schools-heading">{t!(i18n, home.schools_heading)}</h2>
                <SchoolList schools />
            </section>
            <crate::initiatives::ui::InitiativesBlock school=String::new() />
            <crate::showcase::ui::ChildrenProjects />
            <crate::showcase::ui::PublishedList school=String::new() />
        }
        .into_any(),
    }
}

/// `/schools`: every school of the district.
#[component]
pub fn SchoolsPage() -> impl IntoView {
    let i18n = use_i18n();
    let home = Resource::new_blocking(|| (), |_| load_home());
    view! {
        <PageTitle text=move || t_string!(i18n, schools.title).to_owned() />
        <h1>{t!(i18n, schools.title)}</h1>
        <p class="lead">{t!(i18n, schools.intro)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, errors.loading)}</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(data) => view! { <SchoolList schools=data.schools /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Cards of schools with their counts, «6 школ».
#[component]
fn SchoolList(schools: Vec<SchoolSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if schools.is_empty() {
        return view! { <p>{t!(i18n, home.no_schools)}</p> }.into_any();
    }
    let count = schools.len();
    let cards = schools
        .into_iter()
        .map(|school| {
            let href = format!("/schools/{}", school.slug);
            view! {
                <li>
                    <article class="school-card">
                        <h3>
                            <a href=href>{school.short_name}</a>
                        </h3>
                        <p class="town">{school.town}</p>
                        {school.ibc_name.map(|name| view! { <p class="ibc">{name}</p> })}
                    </article>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="count">{move || schools_count(i18n.get_locale(), count)}</p>
        <ul class="school-list">{cards}</ul>
    }
    .into_any()
}

/// `/schools/{slug}`: a school and its information and library centre.
#[component]
pub fn SchoolPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let school = Resource::new_blocking(slug, load_school);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, errors.loading)}</p> }>
            {move || Suspend::new(async move {
                match school.await {
                    Ok(school) => view! { <SchoolContent school /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SchoolContent(school: School) -> impl IntoView {
    let i18n = use_i18n();
    let School {
        slug,
        short_name,
        name,
        town,
        ibc_name,
        address,
        description,
        joined_on,
        ..
    } = school;
    let title = short_name.clone();
    view! {
        <PageTitle text=move || title.clone() />
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <ol>
                <li>
                    <a href="/">{t!(i18n, nav.home)}</a>
                </li>
                <li>
                    <a href="/schools">{t!(i18n, nav.schools)}</a>
                </li>
                <li aria-current="page">{short_name.clone()}</li>
            </ol>
        </nav>
        <h1>{short_name}</h1>
        <dl class="facts">
            <dt>{t!(i18n, schools.full_name)}</dt>
            <dd>{name}</dd>
            <dt>{t!(i18n, schools.town)}</dt>
            <dd>{town}</dd>
            {ibc_name
                .map(|ibc| {
                    view! {
                        <dt>{t!(i18n, schools.ibc)}</dt>
                        <dd>{ibc}</dd>
                    }
                })}
            {address
                .map(|address| {
                    view! {
                        <dt>{t!(i18n, schools.address)}</dt>
                        <dd>{address}</dd>
                    }
                })}
            <dt>{t!(i18n, schools.joined)}</dt>
            <dd>
                <time datetime=joined_on
                    .to_string()>{move || format_date(i18n.get_locale(), joined_on)}</time>
            </dd>
        </dl>
        {description.map(|text| view! { <p class="description">{text}</p> })}
        <crate::initiatives::ui::InitiativesBlock school=slug.clone() />
        <crate::showcase::ui::PublishedList school=slug />
    }
}

/// `/admin/schools`: the district's schools, to edit, and a new one (administrators and the
/// coordinator).
#[component]
pub fn SchoolsAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let home = Resource::new_blocking(|| (), |_| load_home());
    view! {
        <PageTitle text=move || t_string!(i18n, school_admin.title).to_owned() />
        <p class="breadcrumbs"><a href="/manage">{t!(i18n, manage.title)}</a></p>
        <h1>{t!(i18n, school_admin.title)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(data) => view! {
                        <ul class="plain">
                            {data
                                .schools
                                .into_iter()
                                .map(|s| {
                                    let href = format!("/admin/schools/{}", s.slug);
                                    view! { <li><a href=href>{s.short_name}</a> " — " {s.town}</li> }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
        <h2>{t!(i18n, school_admin.new_school)}</h2>
        <SchoolEditor current=String::new() form=SchoolForm::default() />
    }
}

/// `/admin/schools/{slug}`: one school's fields.
#[component]
pub fn SchoolEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let form = Resource::new_blocking(
        move || params.read().get("slug").unwrap_or_default(),
        load_school_form,
    );
    view! {
        <PageTitle text=move || t_string!(i18n, school_admin.edit).to_owned() />
        <p class="breadcrumbs"><a href="/admin/schools">{t!(i18n, school_admin.title)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => {
                        let current = form.slug.clone();
                        view! {
                            <h1>{form.short_name.clone()}</h1>
                            <SchoolEditor current form />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The school form: plain fields posted to `save_school`; errors beside the fields.
#[component]
fn SchoolEditor(current: String, form: SchoolForm) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveSchool>::new();
    let error = form_error(action);
    let problem = move |f: &'static str| error().and_then(|e| e.field_problem(f));
    // A refused form comes back with what was typed.
    let typed = crate::forms::typed(SaveSchool::PATH);
    let form = if typed.is_echo() {
        let field = |name: &str| typed.get(&format!("school[{name}]"));
        SchoolForm {
            slug: field("slug"),
            name: field("name"),
            short_name: field("short_name"),
            town: field("town"),
            ibc_name: field("ibc_name"),
            address: field("address"),
            description: field("description"),
        }
    } else {
        form
    };
    let field = move |id: &'static str,
                      name: &'static str,
                      label: String,
                      value: String,
                      required: bool| {
        let error_id: &'static str = match id {
            "school-slug" => "school-slug-error",
            "school-name" => "school-name-error",
            "school-short" => "school-short-error",
            "school-town" => "school-town-error",
            "school-ibc" => "school-ibc-error",
            _ => "school-address-error",
        };
        view! {
            <label for=id>{label}</label>
            <input id=id name=name value=value required=required aria-describedby=error_id />
            {move || view! { <FieldMessage id=error_id problem=problem(name) /> }}
        }
    };
    view! {
        {move || view! { <FormNotice error=error() /> }}
        <form class="stack-form" method="post" action=SaveSchool::url()>
            <input type="hidden" name="current" value=current />
            {field("school-short", "school[short_name]", t_string!(i18n, school_admin.short_name).to_owned(), form.short_name, true)}
            {field("school-name", "school[name]", t_string!(i18n, schools.full_name).to_owned(), form.name, true)}
            {field("school-slug", "school[slug]", t_string!(i18n, school_admin.slug).to_owned(), form.slug, true)}
            <p class="hint">{t!(i18n, school_admin.slug_hint)}</p>
            {field("school-town", "school[town]", t_string!(i18n, schools.town).to_owned(), form.town, true)}
            {field("school-ibc", "school[ibc_name]", t_string!(i18n, schools.ibc).to_owned(), form.ibc_name, false)}
            {field("school-address", "school[address]", t_string!(i18n, schools.address).to_owned(), form.address, false)}
            <label for="school-description">{t!(i18n, school_admin.description)}</label>
            <textarea id="school-description" name="school[description]" rows="5" aria-describedby="school-description-error">{form.description}</textarea>
            {move || view! { <FieldMessage id="school-description-error" problem=problem("school[description]") /> }}
            <button type="submit" class="primary">{t!(i18n, school_admin.save)}</button>
        </form>
    }
}
