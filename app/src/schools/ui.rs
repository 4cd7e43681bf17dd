//! Pages of the district and its schools: home, the list of schools, a school's page.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{load_home, load_school};
use super::{HomeData, School, SchoolSummary};
use crate::components::{ErrorNotice, PageTitle};
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
    }
}
