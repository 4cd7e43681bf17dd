//! The report's page: `/manage/{slug}/analytics` for a school, `/manage/analytics` for the
//! district. A GET form picks the academic year (and, for the district's staff, the school):
//! it works without JavaScript. Each figure is a bar chart with the same numbers in a table
//! (for screen readers and print), and the whole report downloads as CSV.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::load_catalog_report;
use super::chart::BarChart;
use super::{kind_label, medium_label, CatalogReport};
use crate::catalog::RecordKind;
use crate::components::{loaded, param, ErrorNotice, PageTitle};
use crate::error::AppError;
use crate::format::{format_decimal, format_integer};
use crate::i18n::{t, t_string, use_i18n};
use crate::people::academic_year_label;

/// `/manage/:slug/analytics?year=…` and `/manage/analytics?school=…&year=…`.
#[component]
pub fn CatalogReportPage() -> impl IntoView {
    let slug = param("slug");
    let query = use_query_map();
    let report = Resource::new_blocking(
        move || {
            let q = query.read();
            let slug = slug();
            let school = if slug.is_empty() {
                q.get("school").unwrap_or_default()
            } else {
                slug
            };
            (school, q.get("year").unwrap_or_default())
        },
        |(school, year)| async move {
            // Like a page that does not exist for those who may not read it.
            load_catalog_report(school, year)
                .await
                .map_err(|e| match e {
                    AppError::Unauthorized | AppError::Forbidden => AppError::NotFound,
                    other => other,
                })
        },
    );
    loaded!(report, |r| view! { <ReportBody r /> })
}

#[component]
fn ReportBody(r: CatalogReport) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let int = move |n: i64| format_integer(locale, n);
    let scope_name = r
        .school
        .as_ref()
        .map(|s| s.short_name.clone())
        .unwrap_or_else(|| t_string!(i18n, analytics.whole_district).to_owned());
    let year_name = r
        .year
        .map(academic_year_label)
        .unwrap_or_else(|| t_string!(i18n, analytics.all_years).to_owned());
    let back = match &r.school {
        Some(s) => {
            view! { <a href=format!("/manage/{}/catalog", s.slug)>{s.short_name.clone()}</a> }
                .into_any()
        }
        None => view! { <a href="/manage">{t!(i18n, analytics.whole_district)}</a> }.into_any(),
    };

    // The filter form: the year, and for the district's staff the school.
    let mut years = r.years.clone();
    if let Some(y) = r.year.filter(|y| !years.contains(y)) {
        years.push(y);
        years.sort_unstable_by(|a, b| b.cmp(a));
    }
    let year_options = years
        .into_iter()
        .map(|y| view! { <option value=y.to_string() selected=r.year == Some(y)>{academic_year_label(y)}</option> })
        .collect_view();
    let current_slug = r
        .school
        .as_ref()
        .map(|s| s.slug.clone())
        .unwrap_or_default();
    let school_select = r.district_wide.then(|| {
        let options = r
            .schools
            .iter()
            .map(|s| view! { <option value=s.slug.clone() selected=s.slug == current_slug>{s.short_name.clone()}</option> })
            .collect_view();
        view! {
            <label for="report-school">{t!(i18n, analytics.school)}</label>
            <select id="report-school" name="school">
                <option value="" selected=current_slug.is_empty()>{t!(i18n, analytics.whole_district)}</option>
                {options}
            </select>
        }
    });
    let form_action = if r.district_wide {
        "/manage/analytics".to_owned()
    } else {
        r.page_path()
    };

    // Most cited records.
    let top = if r.top_cited.is_empty() {
        view! { <p role="status">{t!(i18n, analytics.no_citations)}</p> }.into_any()
    } else {
        let bars = r
            .top_cited
            .iter()
            .map(|c| (c.title.clone(), c.projects))
            .collect();
        let rows = r
            .top_cited
            .iter()
            .enumerate()
            .map(|(i, c)| view! {
                <tr>
                    <td>{i + 1}</td>
                    <td><a href=format!("/catalog/{}", c.record_id)>{c.description.clone()}</a></td>
                    <td class="number">{int(c.projects)}</td>
                </tr>
            })
            .collect_view();
        view! {
            <BarChart id="chart-top" title=t_string!(i18n, analytics.top_chart).to_owned() bars locale />
            <div class="table-scroll">
                <table class="data report-table">
                    <caption>{t!(i18n, analytics.top_title)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, analytics.rank)}</th>
                        <th scope="col">{t!(i18n, analytics.record)}</th>
                        <th scope="col" class="number">{t!(i18n, analytics.projects)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    // Printed, electronic, other; and each kind.
    let total = r.total_sources();
    let medium_bars = r
        .by_medium
        .iter()
        .map(|(m, n)| (medium_label(locale, *m).to_owned(), *n))
        .collect();
    let medium_rows = r
        .by_medium
        .iter()
        .map(|(m, n)| view! { <tr><th scope="row">{medium_label(locale, *m)}</th><td class="number">{int(*n)}</td></tr> })
        .collect_view();
    let kind_bars = r
        .by_kind
        .iter()
        .map(|(k, n)| (kind_label(locale, *k).to_owned(), *n))
        .collect();
    let kind_rows = r
        .by_kind
        .iter()
        .map(|(k, n)| view! { <tr><th scope="row">{kind_label(locale, *k)}</th><td class="number">{int(*n)}</td></tr> })
        .collect_view();

    // Sources per project.
    let p = r.per_project.clone();
    let bucket_bars = vec![
        (t_string!(i18n, analytics.bucket_none).to_owned(), p.none),
        (
            t_string!(i18n, analytics.bucket_few).to_owned(),
            p.one_to_four,
        ),
        (
            t_string!(i18n, analytics.bucket_some).to_owned(),
            p.five_to_nine,
        ),
        (
            t_string!(i18n, analytics.bucket_many).to_owned(),
            p.ten_or_more,
        ),
    ];
    let bucket_rows = bucket_bars
        .iter()
        .map(|(label, n)| view! { <tr><th scope="row">{label.clone()}</th><td class="number">{int(*n)}</td></tr> })
        .collect_view();

    // By academic year: totals in the chart, each kind in the table.
    let years_part = if r.by_year.is_empty() {
        view! { <p role="status">{t!(i18n, analytics.no_data)}</p> }.into_any()
    } else {
        let bars = r
            .by_year
            .iter()
            .map(|y| (academic_year_label(y.year), y.total))
            .collect();
        let heads = RecordKind::ALL
            .into_iter()
            .map(|k| view! { <th scope="col" class="number">{kind_label(locale, k)}</th> })
            .collect_view();
        let rows = r
            .by_year
            .iter()
            .map(|y| {
                let cells = y
                    .by_kind
                    .iter()
                    .map(|(_, n)| view! { <td class="number">{int(*n)}</td> })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row">{academic_year_label(y.year)}</th>
                        {cells}
                        <td class="number">{int(y.total)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <BarChart id="chart-years" title=t_string!(i18n, analytics.years_chart).to_owned() bars locale />
            <div class="table-scroll">
                <table class="data report-table">
                    <caption>{t!(i18n, analytics.years_title)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, analytics.year)}</th>
                        {heads}
                        <th scope="col" class="number">{t!(i18n, analytics.total)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    // By school, for the whole district.
    let schools_part = (!r.by_school.is_empty()).then(|| {
        let bars = r
            .by_school
            .iter()
            .map(|s| (s.school.short_name.clone(), s.sources))
            .collect();
        let rows = r
            .by_school
            .iter()
            .map(|s| view! {
                <tr>
                    <th scope="row"><a href=format!("/manage/analytics?school={}&year={}", s.school.slug, r.year.map(|y| y.to_string()).unwrap_or_default())>{s.school.short_name.clone()}</a></th>
                    <td class="number">{int(s.projects)}</td>
                    <td class="number">{int(s.sources)}</td>
                    <td class="number">{int(s.printed)}</td>
                    <td class="number">{int(s.electronic)}</td>
                    <td class="number">{int(s.other)}</td>
                </tr>
            })
            .collect_view();
        view! {
            <section aria-labelledby="report-schools" class="report-section">
                <h2 id="report-schools">{t!(i18n, analytics.schools_title)}</h2>
                <BarChart id="chart-schools" title=t_string!(i18n, analytics.schools_chart).to_owned() bars locale />
                <div class="table-scroll">
                    <table class="data report-table">
                        <caption>{t!(i18n, analytics.schools_title)}</caption>
                        <thead><tr>
                            <th scope="col">{t!(i18n, analytics.school)}</th>
                            <th scope="col" class="number">{t!(i18n, analytics.projects)}</th>
                            <th scope="col" class="number">{t!(i18n, analytics.sources)}</th>
                            <th scope="col" class="number">{t!(i18n, analytics.printed)}</th>
                            <th scope="col" class="number">{t!(i18n, analytics.electronic)}</th>
                            <th scope="col" class="number">{t!(i18n, analytics.other_media)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        }
    });

    view! {
        <PageTitle text=format!("{} — {}", scope_name, t_string!(i18n, analytics.title)) />
        <p class="breadcrumbs">{back}</p>
        <h1>{t!(i18n, analytics.title)}</h1>
        <p class="report-scope">{scope_name.clone()} ", " {year_name}</p>
        <form class="filter-form no-print" method="get" action=form_action aria-label=t_string!(i18n, analytics.filters)>
            {school_select}
            <label for="report-year">{t!(i18n, analytics.year)}</label>
            <select id="report-year" name="year">
                <option value="" selected=r.year.is_none()>{t!(i18n, analytics.all_years)}</option>
                {year_options}
            </select>
            <button type="submit" class="primary">{t!(i18n, analytics.show)}</button>
        </form>
        <p class="no-print"><a class="button" href=r.csv_path() download>{t!(i18n, analytics.download_csv)}</a></p>
        <p role="status" class="report-summary">
            {t_string!(i18n, analytics.summary, projects = int(p.projects), sources = int(total))}
        </p>

        <section aria-labelledby="report-top" class="report-section">
            <h2 id="report-top">{t!(i18n, analytics.top_title)}</h2>
            <p class="hint">{t!(i18n, analytics.top_hint)}</p>
            {top}
        </section>

        <section aria-labelledby="report-medium" class="report-section">
            <h2 id="report-medium">{t!(i18n, analytics.medium_title)}</h2>
            <p class="hint">{t!(i18n, analytics.medium_hint)}</p>
            <BarChart id="chart-medium" title=t_string!(i18n, analytics.medium_chart).to_owned() bars=medium_bars locale />
            <div class="table-scroll">
                <table class="data report-table">
                    <caption>{t!(i18n, analytics.medium_title)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, analytics.kind)}</th>
                        <th scope="col" class="number">{t!(i18n, analytics.sources)}</th>
                    </tr></thead>
                    <tbody>{medium_rows}</tbody>
                    <tfoot><tr><th scope="row">{t!(i18n, analytics.total)}</th><td class="number">{int(total)}</td></tr></tfoot>
                </table>
            </div>
            <h3>{t!(i18n, analytics.kinds_title)}</h3>
            <BarChart id="chart-kinds" title=t_string!(i18n, analytics.kinds_chart).to_owned() bars=kind_bars locale />
            <div class="table-scroll">
                <table class="data report-table">
                    <caption>{t!(i18n, analytics.kinds_title)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, analytics.kind)}</th>
                        <th scope="col" class="number">{t!(i18n, analytics.sources)}</th>
                    </tr></thead>
                    <tbody>{kind_rows}</tbody>
                </table>
            </div>
        </section>

        <section aria-labelledby="report-per-project" class="report-section">
            <h2 id="report-per-project">{t!(i18n, analytics.per_project_title)}</h2>
            <dl class="facts report-facts">
                <dt>{t!(i18n, analytics.projects)}</dt><dd>{int(p.projects)}</dd>
                <dt>{t!(i18n, analytics.mean)}</dt><dd>{format_decimal(locale, p.mean)}</dd>
                <dt>{t!(i18n, analytics.median)}</dt><dd>{format_decimal(locale, p.median)}</dd>
                <dt>{t!(i18n, analytics.below_minimum)}</dt><dd class="below-minimum">{int(p.below_minimum)}</dd>
            </dl>
            <BarChart id="chart-per-project" title=t_string!(i18n, analytics.per_project_chart).to_owned() bars=bucket_bars locale />
            <div class="table-scroll">
                <table class="data report-table">
                    <caption>{t!(i18n, analytics.per_project_chart)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, analytics.sources_in_project)}</th>
                        <th scope="col" class="number">{t!(i18n, analytics.projects)}</th>
                    </tr></thead>
                    <tbody>{bucket_rows}</tbody>
                </table>
            </div>
        </section>

        <section aria-labelledby="report-years" class="report-section">
            <h2 id="report-years">{t!(i18n, analytics.years_title)}</h2>
            {years_part}
        </section>

        {schools_part}
    }
}
