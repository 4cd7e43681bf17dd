//! Pages of the catalogue: the search (public, works without JavaScript: a GET form), a record
//! with its ГОСТ description, and for the librarian the import form with past imports and each
//! import's report.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::api::{
    load_catalog_admin, load_catalog_import, load_record, search_catalog, ImportCatalog,
};
use super::{CatalogAdmin, ImportView, RecordKind, RecordView, SearchResults, SkipReason};
use crate::components::{
    loaded, param, url_error, ErrorNotice, FieldMessage, FormNotice, PageTitle,
};
use crate::format::format_date_time;
use crate::i18n::{t, t_string, use_i18n};

fn kind_label(kind: RecordKind) -> &'static str {
    let i18n = use_i18n();
    match kind {
        RecordKind::PrintedBook => t_string!(i18n, catalog.kind_printed_book),
        RecordKind::EBook => t_string!(i18n, catalog.kind_ebook),
        RecordKind::Neb => t_string!(i18n, catalog.kind_neb),
        RecordKind::Article => t_string!(i18n, catalog.kind_article),
        RecordKind::Web => t_string!(i18n, catalog.kind_web),
        RecordKind::Other => t_string!(i18n, catalog.kind_other),
    }
}

fn skip_label(reason: SkipReason) -> &'static str {
    let i18n = use_i18n();
    match reason {
        SkipReason::NotARecord => t_string!(i18n, catalog.skip_not_a_record),
        SkipReason::Truncated => t_string!(i18n, catalog.skip_truncated),
        SkipReason::BadDirectory => t_string!(i18n, catalog.skip_bad_directory),
        SkipReason::BadXml => t_string!(i18n, catalog.skip_bad_xml),
        SkipReason::NoTitle => t_string!(i18n, catalog.skip_no_title),
    }
}

/// `/catalog?q=…&school=…&kind=…&page=…`: the search.
#[component]
pub fn CatalogSearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let results = Resource::new_blocking(
        move || {
            let q = query.read();
            (
                q.get("q").unwrap_or_default(),
                q.get("school").unwrap_or_default(),
                q.get("kind").unwrap_or_default(),
                q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
            )
        },
        |(q, school, kind, page)| search_catalog(q, school, kind, page),
    );
    view! {
        <PageTitle text=t_string!(i18n, catalog.search_title).to_owned() />
        <h1>{t!(i18n, catalog.search_title)}</h1>
        {loaded!(results, |r| view! { <SearchBody r /> })}
    }
}

#[component]
fn SearchBody(r: SearchResults) -> impl IntoView {
    let i18n = use_i18n();
    let school_options = r
        .schools
        .iter()
        .map(|s| view! { <option value=s.slug.clone() selected=s.slug == r.school>{s.short_name.clone()}</option> })
        .collect_view();
    let kind_options = RecordKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.as_str() selected=k.as_str() == r.kind>{kind_label(k)}</option> })
        .collect_view();
    let rows = r
        .records
        .iter()
        .map(|rec| view! {
            <li class="catalog-item">
                <a href=format!("/catalog/{}", rec.id)>{rec.title.clone()}</a>
                {(!rec.authors.is_empty()).then(|| view! { " — " {rec.authors.clone()} })}
                {rec.year.map(|y| format!(", {y}"))}
                " " <span class="badge">{kind_label(rec.kind)}</span>
                " " <span class="hint">{rec.school.clone().unwrap_or_else(|| t_string!(i18n, catalog.district).to_owned())}</span>
                <p class="gost">{rec.description.clone()}</p>
            </li>
        })
        .collect_view();
    let link = |page: i64| {
        format!(
            "/catalog?q={}&school={}&kind={}&page={page}",
            urlencoding(&r.query),
            urlencoding(&r.school),
            urlencoding(&r.kind)
        )
    };
    view! {
        <form class="filter-form" method="get" action="/catalog" role="search">
            <label for="catalog-q">{t!(i18n, catalog.query)}</label>
            <input id="catalog-q" type="search" name="q" value=r.query.clone() maxlength="200" />
            <label for="catalog-school">{t!(i18n, catalog.school)}</label>
            <select id="catalog-school" name="school">
                <option value="">{t!(i18n, catalog.all_schools)}</option>
                {school_options}
            </select>
            <label for="catalog-kind">{t!(i18n, catalog.kind)}</label>
            <select id="catalog-kind" name="kind">
                <option value="">{t!(i18n, catalog.all_kinds)}</option>
                {kind_options}
            </select>
            <button type="submit" class="primary">{t!(i18n, catalog.find)}</button>
        </form>
        <p class="hint">{t!(i18n, catalog.search_hint)}</p>
        {r.records.is_empty().then(|| view! { <p role="status">{t!(i18n, catalog.nothing_found)}</p> })}
        <ol class="catalog-list" start=((r.page - 1) * super::RESULTS_PER_PAGE + 1).to_string()>{rows}</ol>
        <nav class="pager" aria-label=t_string!(i18n, catalog.pages)>
            {(r.page > 1).then(|| view! { <a href=link(r.page - 1)>{t!(i18n, catalog.previous)}</a> " " })}
            {r.has_more.then(|| view! { <a href=link(r.page + 1)>{t!(i18n, catalog.next)}</a> })}
        </nav>
    }
}

/// Percent-encodes a query value (letters, digits and `-_.~` stay).
fn urlencoding(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `/catalog/:id`: a record.
#[component]
pub fn RecordPage() -> impl IntoView {
    let id = param("id");
    let record = Resource::new_blocking(id, load_record);
    loaded!(record, |r| view! { <RecordBody r /> })
}

#[component]
fn RecordBody(r: RecordView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=r.title.clone() />
        <p class="breadcrumbs"><a href="/catalog">{t!(i18n, catalog.search_title)}</a></p>
        <h1>{r.title.clone()}</h1>
        <section aria-labelledby="gost">
            <h2 id="gost">{t!(i18n, catalog.description)}</h2>
            <p class="gost">{r.description.clone()}</p>
        </section>
        <dl class="facts">
            {(!r.authors.is_empty()).then(|| view! { <dt>{t!(i18n, catalog.authors)}</dt><dd>{r.authors.clone()}</dd> })}
            <dt>{t!(i18n, catalog.kind)}</dt><dd>{kind_label(r.kind)}</dd>
            {r.year.map(|y| view! { <dt>{t!(i18n, catalog.year)}</dt><dd>{y}</dd> })}
            {r.isbn.clone().map(|i| view! { <dt>"ISBN"</dt><dd>{i}</dd> })}
            {r.age_rating.clone().map(|a| view! { <dt>{t!(i18n, catalog.age_rating)}</dt><dd>{a}</dd> })}
            <dt>{t!(i18n, catalog.fund)}</dt><dd>{r.school.clone().unwrap_or_else(|| t_string!(i18n, catalog.district).to_owned())}</dd>
            {(!r.subjects.is_empty()).then(|| view! { <dt>{t!(i18n, catalog.subjects)}</dt><dd>{r.subjects.join("; ")}</dd> })}
            {r.url.clone().filter(|u| u.starts_with("https://") || u.starts_with("http://")).map(|u| view! {
                <dt>{t!(i18n, catalog.online)}</dt><dd><a href=u.clone() rel="noopener noreferrer">{u.clone()}</a></dd>
            })}
        </dl>
        {r.annotation.clone().map(|a| view! { <p class="prewrap">{a}</p> })}
    }
}

/// `/manage/:slug/catalog`: the school's catalogue for its librarian.
#[component]
pub fn CatalogAdminPage() -> impl IntoView {
    let slug = param("slug");
    let admin = Resource::new_blocking(slug, load_catalog_admin);
    loaded!(admin, |a| view! { <CatalogAdminBody a /> })
}

#[component]
fn CatalogAdminBody(a: CatalogAdmin) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let error = url_error(ImportCatalog::PATH);
    let total: i64 = a.by_kind.iter().map(|(_, n)| n).sum();
    let counts = a
        .by_kind
        .iter()
        .map(|(k, n)| view! { <li>{kind_label(*k)} ": " {*n}</li> })
        .collect_view();
    let imports = a
        .imports
        .iter()
        .map(|i| view! {
            <tr>
                <td><a href=format!("/manage/{}/catalog/imports/{}", a.school.slug, i.id)>{i.file_name.clone()}</a></td>
                <td>{format_date_time(locale, i.at)}</td>
                <td>{i.created}</td><td>{i.updated}</td><td>{i.skipped}</td>
            </tr>
        })
        .collect_view();
    view! {
        <PageTitle text=format!("{} — {}", a.school.short_name, t_string!(i18n, catalog.admin_title)) />
        <p class="breadcrumbs"><a href=format!("/manage/{}", a.school.slug)>{a.school.short_name.clone()}</a></p>
        <h1>{t!(i18n, catalog.admin_title)}</h1>
        <p>{t_string!(i18n, catalog.total, n = total)} " · " <a href=format!("/catalog?school={}", a.school.slug)>{t!(i18n, catalog.search_title)}</a></p>
        <ul>{counts}</ul>
        <section aria-labelledby="import">
            <h2 id="import">{t!(i18n, catalog.import_title)}</h2>
            <p class="hint">{t!(i18n, catalog.import_hint)}</p>
            {move || view! { <FormNotice error=error() /> }}
            <form class="stack-form" method="post" enctype="multipart/form-data" action=ImportCatalog::url()>
                <input type="hidden" name="slug" value=a.school.slug.clone() />
                <label for="catalog-file">{t!(i18n, catalog.file)}</label>
                <input id="catalog-file" type="file" name="file" required aria-describedby="catalog-file-error" />
                {move || view! { <FieldMessage id="catalog-file-error" problem=error().and_then(|e| e.field_problem("file")) /> }}
                <button type="submit" class="primary">{t!(i18n, catalog.import_button)}</button>
            </form>
        </section>
        <section aria-labelledby="imports">
            <h2 id="imports">{t!(i18n, catalog.imports)}</h2>
            {a.imports.is_empty().then(|| view! { <p>{t!(i18n, catalog.no_imports)}</p> })}
            {(!a.imports.is_empty()).then(|| view! {
                <table class="list">
                    <thead><tr>
                        <th scope="col">{t!(i18n, catalog.file)}</th>
                        <th scope="col">{t!(i18n, catalog.when)}</th>
                        <th scope="col">{t!(i18n, catalog.created)}</th>
                        <th scope="col">{t!(i18n, catalog.updated)}</th>
                        <th scope="col">{t!(i18n, catalog.skipped)}</th>
                    </tr></thead>
                    <tbody>{imports}</tbody>
                </table>
            })}
        </section>
    }
}

/// `/manage/:slug/catalog/imports/:id`: what an import did, with each skipped record and why.
#[component]
pub fn ImportReportPage() -> impl IntoView {
    let slug = param("slug");
    let id = param("id");
    let report = Resource::new_blocking(
        move || (slug(), id()),
        |(slug, id)| load_catalog_import(slug, id),
    );
    loaded!(report, |r| view! { <ImportReportBody r /> })
}

#[component]
fn ImportReportBody(r: ImportView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let skipped = r
        .skipped
        .iter()
        .map(|s| view! { <li>{t_string!(i18n, catalog.record_number, n = s.index)} ": " {skip_label(s.reason)}</li> })
        .collect_view();
    view! {
        <PageTitle text=format!("{} — {}", r.summary.file_name, t_string!(i18n, catalog.report_title)) />
        <p class="breadcrumbs"><a href=format!("/manage/{}/catalog", r.school.slug)>{t!(i18n, catalog.admin_title)}</a></p>
        <h1>{t!(i18n, catalog.report_title)} ": " {r.summary.file_name.clone()}</h1>
        <p role="status" class="import-counts">
            {t_string!(i18n, catalog.report_line, created = r.summary.created, updated = r.summary.updated, skipped = r.summary.skipped)}
        </p>
        <p class="hint">{format_date_time(locale, r.summary.at)}</p>
        {(!r.skipped.is_empty()).then(|| view! {
            <h2>{t!(i18n, catalog.skipped_records)}</h2>
            <ul>{skipped}</ul>
        })}
    }
}
