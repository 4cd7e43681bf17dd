//! Pages of the catalogue: the search (public, works without JavaScript: a GET form), a record
//! with its ГОСТ description, and for the librarian the import form with past imports and each
//! import's report.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::api::{
    load_catalog_admin, load_catalog_import, load_record, load_record_form, load_sources,
    search_catalog, AddCatalogSource, AddCopy, AddOwnSource, ImportCatalog, MergeRecords,
    RemoveCopy, RemoveSource, SaveCatalogRecord, SetCopyAvailable, SetMinSources,
};
use super::{
    CatalogAdmin, ImportView, RecordForm, RecordKind, RecordView, SearchResults, SkipReason,
    SourcesView,
};
use crate::components::{
    form_error, loaded, param, url_error, ErrorNotice, FieldMessage, FormNotice, PageTitle,
};
use crate::format::format_date_time;
use crate::i18n::{t, t_string, use_i18n};

fn kind_label(kind: RecordKind) -> &'static str {
    let i18n = use_i18n();
    match kind {
        RecordKind::PrintedBook => t_string!(i18n, catalog.kind_printed_book),
        RecordKind::EBook => t_string!(i18n, catalog.kind_ebook),
        RecordKind::Neb => t_string!(i18n, catalog.kind_neb),
        RecordKind::Lecta => t_string!(i18n, catalog.kind_lecta),
        RecordKind::Article => t_string!(i18n, catalog.kind_article),
        RecordKind::Web => t_string!(i18n, catalog.kind_web),
        RecordKind::Other => t_string!(i18n, catalog.kind_other),
    }
}

/// The access modes of online resources by name (`gost::AccessMode::as_str`), in the order
/// the forms offer them.
const ACCESS_MODES: [&str; 4] = [
    "free",
    "registered_users",
    "authorised_users",
    "reading_room",
];

fn access_label(name: &str) -> &'static str {
    let i18n = use_i18n();
    match name {
        "free" => t_string!(i18n, catalog.access_free),
        "registered_users" => t_string!(i18n, catalog.access_registered_users),
        "authorised_users" => t_string!(i18n, catalog.access_authorised_users),
        "reading_room" => t_string!(i18n, catalog.access_reading_room),
        _ => t_string!(i18n, catalog.access_usual),
    }
}

/// The access select of the record's and the source's forms: the kind's usual mode, or one
/// named.
fn access_select(id: &'static str, error_id: &'static str, chosen: String) -> impl IntoView {
    let i18n = use_i18n();
    let options = ACCESS_MODES
        .into_iter()
        .map(|m| view! { <option value=m selected=m == chosen>{access_label(m)}</option> })
        .collect_view();
    view! {
        <label for=id>{t!(i18n, catalog.f_access)}</label>
        <select id=id name="access" aria-describedby=error_id>
            <option value="">{t!(i18n, catalog.access_usual)}</option>
            {options}
        </select>
    }
}

/// The name of a fund: its school's, or the district's e-resources.
fn fund_name(school: &crate::people::SchoolRef) -> String {
    if school.slug == super::DISTRICT_FUND {
        t_string!(use_i18n(), catalog.district_fund).to_owned()
    } else {
        school.short_name.clone()
    }
}

/// The label of a field of a record's or a source's form, by the field's name.
fn field_label(name: &str) -> &'static str {
    let i18n = use_i18n();
    match name {
        "authors" => t_string!(i18n, catalog.f_authors),
        "title" => t_string!(i18n, catalog.f_title),
        "other_title" => t_string!(i18n, catalog.f_other_title),
        "responsibility" => t_string!(i18n, catalog.f_responsibility),
        "edition" => t_string!(i18n, catalog.f_edition),
        "place" => t_string!(i18n, catalog.f_place),
        "publisher" => t_string!(i18n, catalog.f_publisher),
        "year" => t_string!(i18n, catalog.f_year),
        "extent" => t_string!(i18n, catalog.f_extent),
        "series" => t_string!(i18n, catalog.f_series),
        "isbn" => t_string!(i18n, catalog.f_isbn),
        "host_title" => t_string!(i18n, catalog.f_host_title),
        "host_issue" => t_string!(i18n, catalog.f_host_issue),
        "host_pages" => t_string!(i18n, catalog.f_host_pages),
        "url" => t_string!(i18n, catalog.f_url),
        "subjects" => t_string!(i18n, catalog.f_subjects),
        "annotation" => t_string!(i18n, catalog.f_annotation),
        _ => t_string!(i18n, catalog.f_access_date),
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
        SkipReason::BadKind => t_string!(i18n, catalog.skip_bad_kind),
        SkipReason::BadIsbn => t_string!(i18n, catalog.skip_bad_isbn),
        SkipReason::BadYear => t_string!(i18n, catalog.skip_bad_year),
        SkipReason::BadAgeRating => t_string!(i18n, catalog.skip_bad_age_rating),
        SkipReason::BadAccess => t_string!(i18n, catalog.skip_bad_access),
        SkipReason::BadCopies => t_string!(i18n, catalog.skip_bad_copies),
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
                q.get("available").unwrap_or_default(),
                q.get("age").unwrap_or_default(),
                q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
            )
        },
        |(q, school, kind, available, age, page)| {
            search_catalog(q, school, kind, available, age, page)
        },
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
    let age_value = r.age.map(|a| a.to_string()).unwrap_or_default();
    let link = |page: i64| {
        format!(
            "/catalog?q={}&school={}&kind={}&available={}&age={}&page={page}",
            urlencoding(&r.query),
            urlencoding(&r.school),
            urlencoding(&r.kind),
            if r.available { "1" } else { "" },
            age_value
        )
    };
    let age_options = super::AGE_RATINGS
        .into_iter()
        .map(|rating| {
            let value = rating.trim_end_matches('+').to_owned();
            let selected = value == age_value;
            view! { <option value=value selected=selected>{t_string!(i18n, catalog.age_up_to, rating = rating)}</option> }
        })
        .collect_view();
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
            <label for="catalog-age">{t!(i18n, catalog.age_rating)}</label>
            <select id="catalog-age" name="age">
                <option value="">{t!(i18n, catalog.any_age)}</option>
                {age_options}
            </select>
            <span class="check">
                <input id="catalog-available" type="checkbox" name="available" value="1" checked=r.available />
                <label for="catalog-available">{t!(i18n, catalog.only_available)}</label>
            </span>
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
        {r.may_edit.then(|| r.school_slug.clone()).flatten().map(|slug| view! {
            <p><a href=format!("/manage/{slug}/catalog/records/{}", r.id)>{t!(i18n, catalog.edit_record)}</a></p>
        })}
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
            {r.access.clone().map(|a| view! { <dt>{t!(i18n, catalog.access)}</dt><dd>{access_label(&a)}</dd> })}
        </dl>
        {r.annotation.clone().map(|a| view! { <p class="prewrap">{a}</p> })}
        <RecordFund r=r.clone() />
        <RecordCiting r=r.clone() />
        {r.may_manage.then(|| view! { <RecordDuplicates r=r.clone() /> })}
    }
}

/// The copies of the record and the same book in other schools' funds; the librarian marks
/// copies on the shelf or out, adds and writes them off.
#[component]
fn RecordFund(r: RecordView) -> impl IntoView {
    let i18n = use_i18n();
    let add_error = url_error(AddCopy::PATH);
    let copy_problem = move |field: &'static str| add_error().and_then(|e| e.field_problem(field));
    let rid = r.id.clone();
    let copies = r
        .copies
        .iter()
        .map(|c| {
            let state = if c.available {
                t_string!(i18n, catalog.on_shelf)
            } else {
                t_string!(i18n, catalog.checked_out)
            };
            let actions = r.may_manage.then(|| {
                let (value, label) = if c.available {
                    ("false", t_string!(i18n, catalog.mark_out))
                } else {
                    ("true", t_string!(i18n, catalog.mark_in))
                };
                view! {
                    <td>
                        <form class="inline" method="post" action=SetCopyAvailable::url()>
                            <input type="hidden" name="record_id" value=rid.clone() />
                            <input type="hidden" name="copy_id" value=c.id.clone() />
                            <input type="hidden" name="available" value=value />
                            <button type="submit" class="small">{label}</button>
                        </form>
                        " "
                        <form class="inline" method="post" action=RemoveCopy::url()>
                            <input type="hidden" name="record_id" value=rid.clone() />
                            <input type="hidden" name="copy_id" value=c.id.clone() />
                            <button type="submit" class="small">{t!(i18n, catalog.write_off)}</button>
                        </form>
                    </td>
                }
            });
            view! {
                <tr>
                    <td>{c.inventory_number.clone()}</td>
                    <td>{c.shelf_mark.clone()}</td>
                    <td class=if c.available { "ok" } else { "warning" }>{state}</td>
                    {actions}
                </tr>
            }
        })
        .collect_view();
    let others: Vec<_> = r
        .holdings
        .iter()
        .filter(|h| h.record_id != r.id)
        .cloned()
        .collect();
    let holdings = others
        .iter()
        .map(|h| view! {
            <li>
                <a href=format!("/catalog/{}", h.record_id)>{h.school.clone()}</a> ": "
                {t_string!(i18n, catalog.holding_line, copies = h.copies, available = h.available)}
            </li>
        })
        .collect_view();
    let online = matches!(
        r.kind,
        RecordKind::EBook | RecordKind::Neb | RecordKind::Web
    );
    view! {
        <section aria-labelledby="fund">
            <h2 id="fund">{t!(i18n, catalog.availability)}</h2>
            {online.then(|| view! { <p>{t!(i18n, catalog.online_always)}</p> })}
            {(!online && r.copies.is_empty()).then(|| view! { <p>{t!(i18n, catalog.no_copies)}</p> })}
            {(!r.copies.is_empty()).then(|| view! {
                <table class="list copies">
                    <thead><tr>
                        <th scope="col">{t!(i18n, catalog.inventory_number)}</th>
                        <th scope="col">{t!(i18n, catalog.shelf_mark)}</th>
                        <th scope="col">{t!(i18n, catalog.copy_state)}</th>
                        {r.may_manage.then(|| view! { <th scope="col">{t!(i18n, catalog.actions)}</th> })}
                    </tr></thead>
                    <tbody>{copies}</tbody>
                </table>
            })}
            {(!others.is_empty()).then(|| view! {
                <h3>{t!(i18n, catalog.other_funds)}</h3>
                <ul>{holdings}</ul>
            })}
            {r.may_manage.then(|| view! {
                <form class="inline-form" method="post" action=AddCopy::url()>
                    <input type="hidden" name="record_id" value=r.id.clone() />
                    <label for="copy-number">{t!(i18n, catalog.inventory_number)}</label>
                    <input id="copy-number" name="inventory_number" required maxlength="50" aria-describedby="copy-number-error" />
                    <label for="copy-shelf">{t!(i18n, catalog.shelf_mark)}</label>
                    <input id="copy-shelf" name="shelf_mark" maxlength="100" aria-describedby="copy-shelf-error" />
                    <button type="submit">{t!(i18n, catalog.add_copy)}</button>
                </form>
                {move || view! { <FieldMessage id="copy-number-error" problem=copy_problem("inventory_number") /> }}
                {move || view! { <FieldMessage id="copy-shelf-error" problem=copy_problem("shelf_mark") /> }}
            })}
        </section>
    }
}

/// The projects that cite the record: those the reader may open, and how many in all.
#[component]
fn RecordCiting(r: RecordView) -> impl IntoView {
    let i18n = use_i18n();
    let rows = r
        .citing
        .iter()
        .map(|p| {
            let href = if p.published {
                format!("/p/{}", p.id)
            } else {
                format!("/projects/{}", p.id)
            };
            view! { <li><a href=href>{p.title.clone()}</a> " · " {p.school.clone()}</li> }
        })
        .collect_view();
    view! {
        <section aria-labelledby="citing">
            <h2 id="citing">{t!(i18n, catalog.citing_title)}</h2>
            <p>{t_string!(i18n, catalog.cited_by, n = r.cited_by)}</p>
            {(!r.citing.is_empty()).then(|| view! { <ul>{rows}</ul> })}
        </section>
    }
}

/// Records of the same school that look like this one, each to merge into it; any other record
/// can be named by its address.
#[component]
fn RecordDuplicates(r: RecordView) -> impl IntoView {
    let i18n = use_i18n();
    let error = url_error(MergeRecords::PATH);
    let rows = r
        .duplicates
        .iter()
        .map(|d| {
            view! {
                <li>
                    <a href=format!("/catalog/{}", d.id)>{d.description.clone()}</a>
                    " "
                    <form class="inline" method="post" action=MergeRecords::url()>
                        <input type="hidden" name="record_id" value=r.id.clone() />
                        <input type="hidden" name="duplicate_id" value=d.id.clone() />
                        <button type="submit" class="small">{t!(i18n, catalog.merge_here)}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="duplicates">
            <h2 id="duplicates">{t!(i18n, catalog.duplicates_title)}</h2>
            <p class="hint">{t!(i18n, catalog.duplicates_hint)}</p>
            {r.duplicates.is_empty().then(|| view! { <p>{t!(i18n, catalog.no_duplicates)}</p> })}
            <ul>{rows}</ul>
            <form class="inline-form" method="post" action=MergeRecords::url()>
                <input type="hidden" name="record_id" value=r.id.clone() />
                <label for="merge-id">{t!(i18n, catalog.duplicate_id)}</label>
                <input id="merge-id" name="duplicate_id" required maxlength="36" aria-describedby="merge-id-error" />
                <button type="submit">{t!(i18n, catalog.merge_button)}</button>
            </form>
            {move || view! { <FieldMessage id="merge-id-error" problem=error().and_then(|e| e.field_problem("duplicate_id")) /> }}
        </section>
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
    let min_error = url_error(SetMinSources::PATH);
    // With JavaScript the file is sent by XMLHttpRequest, which reports how much has gone: a
    // whole fund from a slow line takes a while. Without it, the browser's own indicator shows.
    let progress = RwSignal::new(None::<u32>);
    #[cfg(feature = "hydrate")]
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        use wasm_bindgen::{closure::Closure, JsCast};
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let (Ok(data), Ok(xhr)) = (
            web_sys::FormData::new_with_form(&form),
            web_sys::XmlHttpRequest::new(),
        ) else {
            return;
        };
        if xhr.open("POST", &form.action()).is_err() {
            return;
        }
        // Answered as a plain form post is: a redirect to the report, or back with the error.
        let _ = xhr.set_request_header("Accept", "text/html");
        ev.prevent_default();
        progress.set(Some(0));
        if let Ok(upload) = xhr.upload() {
            let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(
                move |e: web_sys::ProgressEvent| {
                    if e.length_computable() && e.total() > 0.0 {
                        progress.set(Some((e.loaded() / e.total() * 100.0).round() as u32));
                    }
                },
            );
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
            on_progress.forget();
        }
        let done = xhr.clone();
        let on_load = Closure::<dyn FnMut()>::new(move || {
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign(&done.response_url());
            }
        });
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        if xhr.send_with_opt_form_data(Some(&data)).is_err() {
            progress.set(None);
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_submit = move |_: leptos::ev::SubmitEvent| {};
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
    let district = a.school.slug == super::DISTRICT_FUND;
    let (crumb, crumb_href) = if district {
        (
            t_string!(i18n, manage.title).to_owned(),
            "/manage".to_owned(),
        )
    } else {
        (
            a.school.short_name.clone(),
            format!("/manage/{}", a.school.slug),
        )
    };
    view! {
        <PageTitle text=format!("{} — {}", fund_name(&a.school), t_string!(i18n, catalog.admin_title)) />
        <p class="breadcrumbs"><a href=crumb_href>{crumb}</a></p>
        <h1>{if district { t_string!(i18n, catalog.district_fund) } else { t_string!(i18n, catalog.admin_title) }}</h1>
        {district.then(|| view! { <p class="hint">{t!(i18n, catalog.district_fund_hint)}</p> })}
        <p>
            {t_string!(i18n, catalog.total, n = total)} " · "
            <a href=if district { "/catalog".to_owned() } else { format!("/catalog?school={}", a.school.slug) }>{t!(i18n, catalog.search_title)}</a> " · "
            <a href=format!("/manage/{}/catalog/records/new", a.school.slug)>{t!(i18n, catalog.new_record)}</a>
            {(!district).then(|| view! {
                " · "
                <a href=format!("/manage/{}/analytics", a.school.slug)>{t!(i18n, analytics.open_report)}</a>
            })}
        </p>
        <ul>{counts}</ul>
        {(!district).then(|| view! { <section aria-labelledby="min-sources">
            <h2 id="min-sources">{t!(i18n, catalog.min_sources_title)}</h2>
            <form class="inline-form" method="post" action=SetMinSources::url()>
                <input type="hidden" name="slug" value=a.school.slug.clone() />
                <label for="min-sources-input">{t!(i18n, catalog.min_sources_label)}</label>
                <input id="min-sources-input" name="min_sources" type="number" min="0" max="100" required value=a.min_sources.to_string() aria-describedby="min-sources-error" />
                <button type="submit">{t!(i18n, catalog.save)}</button>
            </form>
            {move || view! { <FieldMessage id="min-sources-error" problem=min_error().and_then(|e| e.field_problem("min_sources")) /> }}
        </section> })}
        <section aria-labelledby="import">
            <h2 id="import">{t!(i18n, catalog.import_title)}</h2>
            <p class="hint">{t!(i18n, catalog.import_hint)}</p>
            <p>
                <a href="/catalog-template.csv" download>{t!(i18n, catalog.csv_template)}</a> " · "
                <a href=format!("/manage/{}/catalog.csv", a.school.slug) download>{t!(i18n, catalog.export_csv)}</a>
            </p>
            {move || view! { <FormNotice error=error() /> }}
            <form class="stack-form" method="post" enctype="multipart/form-data" action=ImportCatalog::url() on:submit=on_submit>
                <input type="hidden" name="slug" value=a.school.slug.clone() />
                <label for="catalog-file">{t!(i18n, catalog.file)}</label>
                <input id="catalog-file" type="file" name="file" required aria-describedby="catalog-file-error" />
                {move || view! { <FieldMessage id="catalog-file-error" problem=error().and_then(|e| e.field_problem("file")) /> }}
                <button type="submit" class="primary">{t!(i18n, catalog.import_button)}</button>
            </form>
            {move || progress.get().map(|p| view! {
                <div class="upload-progress" role="status">
                    <progress max="100" value=p.to_string() aria-label=t_string!(i18n, catalog.upload_progress)></progress>
                    " "
                    {if p < 100 {
                        t_string!(i18n, catalog.uploaded_percent, n = p)
                    } else {
                        t_string!(i18n, catalog.upload_processing).to_owned()
                    }}
                </div>
            })}
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
        .map(|s| {
            let at = if s.line {
                t_string!(i18n, catalog.line_number, n = s.index)
            } else {
                t_string!(i18n, catalog.record_number, n = s.index)
            };
            view! { <li>{at} ": " {skip_label(s.reason)}</li> }
        })
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

/// `/projects/:id/sources`: the project's list of sources by ГОСТ Р 7.0.100-2018, the picker that
/// searches the school's catalogue (a GET form: works without JavaScript), and the form for a
/// source the library lacks.
#[component]
pub fn SourcesPage() -> impl IntoView {
    let id = param("id");
    let query = use_query_map();
    let sources = Resource::new_blocking(
        move || (id(), query.read().get("q").unwrap_or_default()),
        |(id, q)| load_sources(id, q),
    );
    loaded!(sources, |s| view! { <SourcesBody s /> })
}

#[component]
fn SourcesBody(s: SourcesView) -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddCatalogSource>::new();
    let add_error = form_error(add);
    let own = ServerAction::<AddOwnSource>::new();
    let own_error = form_error(own);
    let remove_error = url_error(RemoveSource::PATH);
    let problem = move |field: &'static str| own_error().and_then(|e| e.field_problem(field));
    // A refused source comes back with what was typed.
    let typed = crate::forms::typed(AddOwnSource::PATH);
    let pid = s.project_id.clone();
    let count = s.sources.len() as i64;
    let missing = (s.min_sources - count).max(0);
    let status_class = if missing > 0 {
        "notice warning"
    } else {
        "notice"
    };
    let list = s
        .sources
        .iter()
        .map(|src| {
            let remove = s.may_edit.then(|| view! {
                " "
                <form class="inline" method="post" action=RemoveSource::url()>
                    <input type="hidden" name="project_id" value=pid.clone() />
                    <input type="hidden" name="source_id" value=src.id.clone() />
                    <button type="submit" class="small">{t!(i18n, catalog.remove_source)}</button>
                </form>
            });
            let link = src.record_id.clone().map(|id| view! {
                " " <a href=format!("/catalog/{id}")>{t!(i18n, catalog.in_catalogue)}</a>
            });
            view! {
                <li>
                    <span class="gost-entry">{src.description.clone()}</span> {link} {remove}
                    <br /><span class="hint">{t!(i18n, catalog.cite_as)} " " <code class="cite-key">{format!("[@{}]", src.cite_key)}</code></span>
                </li>
            }
        })
        .collect_view();
    let found = s
        .found
        .iter()
        .map(|rec| {
            view! {
                <li>
                    <span class="gost-entry">{rec.description.clone()}</span>
                    " "
                    <form class="inline" method="post" action=AddCatalogSource::url()>
                        <input type="hidden" name="project_id" value=pid.clone() />
                        <input type="hidden" name="record_id" value=rec.id.clone() />
                        <button type="submit" class="small">{t!(i18n, catalog.add_source)}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let typed_field = typed.clone();
    let field = move |id: &'static str, name: &'static str, label: &'static str| {
        let label_text = move || field_label(label);
        let error_id = format!("{id}-error");
        let value = typed_field.get(name);
        let input = if name == "authors" {
            view! { <textarea id=id name=name rows="3" maxlength="500" aria-describedby=error_id.clone()>{value}</textarea> }.into_any()
        } else if name == "access_date" {
            view! { <input id=id name=name type="date" value=value aria-describedby=error_id.clone() /> }
                .into_any()
        } else {
            view! { <input id=id name=name maxlength="500" value=value aria-describedby=error_id.clone() /> }
                .into_any()
        };
        view! {
            <label for=id>{label_text}</label>
            {input}
            {move || view! { <FieldMessage id=own_error_id(id) problem=problem(name) /> }}
        }
    };
    let kinds = [
        RecordKind::PrintedBook,
        RecordKind::Article,
        RecordKind::Web,
        RecordKind::EBook,
        RecordKind::Neb,
        RecordKind::Lecta,
    ]
    .into_iter()
    .map(|k| {
        let selected = typed.chosen("kind", k.as_str(), false);
        view! { <option value=k.as_str() selected=selected>{kind_label(k)}</option> }
    })
    .collect_view();
    view! {
        <PageTitle text=format!("{} — {}", s.project_title, t_string!(i18n, catalog.sources_title)) />
        <p class="breadcrumbs"><a href=format!("/projects/{}", s.project_id)>{s.project_title.clone()}</a></p>
        <h1>{t!(i18n, catalog.sources_title)}</h1>
        <p role="status" class=status_class>
            {t_string!(i18n, catalog.sources_count, n = count, min = s.min_sources)}
            {(missing > 0).then(|| view! { " " {t_string!(i18n, catalog.sources_missing, n = missing)} })}
        </p>
        {move || view! { <FormNotice error=add_error() /> }}
        {move || view! { <FieldMessage id="remove-source-error" problem=remove_error().and_then(|e| e.field_problem("source_id")) /> }}
        {(!s.sources.is_empty()).then(|| view! { <p class="hint">{t!(i18n, catalog.cite_hint)}</p> })}
        {s.sources.is_empty().then(|| view! { <p>{t!(i18n, catalog.no_sources)}</p> })}
        <ol class="source-list">{list}</ol>
        {(!s.sources.is_empty()).then(|| view! {
            <label for="sources-text">{t!(i18n, catalog.copy_list)}</label>
            <textarea id="sources-text" class="copy-list" rows="6" readonly>{s.plain_text.clone()}</textarea>
        })}
        {s.may_edit.then(|| view! {
            <section aria-labelledby="picker">
                <h2 id="picker">{t!(i18n, catalog.pick_title)}</h2>
                <form class="inline-form" method="get" action=format!("/projects/{}/sources", pid) role="search">
                    <label for="picker-q">{t!(i18n, catalog.query)}</label>
                    <input id="picker-q" type="search" name="q" value=s.query.clone() maxlength="200" />
                    <button type="submit">{t!(i18n, catalog.find)}</button>
                </form>
                {(!s.query.is_empty() && s.found.is_empty()).then(|| view! { <p role="status">{t!(i18n, catalog.nothing_found)}</p> })}
                <ul class="picker-results">{found}</ul>
            </section>
            <section aria-labelledby="own-source">
                <h2 id="own-source">{t!(i18n, catalog.own_title)}</h2>
                <p class="hint">{t!(i18n, catalog.own_hint)}</p>
                {move || view! { <FormNotice error=own_error() /> }}
                <form class="stack-form" method="post" action=AddOwnSource::url()>
                    <input type="hidden" name="project_id" value=pid.clone() />
                    <label for="own-kind">{t!(i18n, catalog.kind)}</label>
                    <select id="own-kind" name="kind">{kinds}</select>
                    {field("own-authors", "authors", "authors")}
                    {field("own-title", "title", "title")}
                    {field("own-other-title", "other_title", "other_title")}
                    {field("own-responsibility", "responsibility", "responsibility")}
                    {field("own-edition", "edition", "edition")}
                    {field("own-place", "place", "place")}
                    {field("own-publisher", "publisher", "publisher")}
                    {field("own-year", "year", "year")}
                    {field("own-extent", "extent", "extent")}
                    {field("own-isbn", "isbn", "isbn")}
                    {field("own-host-title", "host_title", "host_title")}
                    {field("own-host-issue", "host_issue", "host_issue")}
                    {field("own-host-pages", "host_pages", "host_pages")}
                    {field("own-url", "url", "url")}
                    {access_select("own-access", "own-access-error", typed.get("access"))}
                    {move || view! { <FieldMessage id="own-access-error" problem=problem("access") /> }}
                    {field("own-access-date", "access_date", "access_date")}
                    <button type="submit" class="primary">{t!(i18n, catalog.add_own)}</button>
                </form>
            </section>
        })}
    }
}

/// `/manage/:slug/catalog/records/:id`: the librarian's form for a record entered or corrected
/// by hand (`new` for a new one); the ISBN's check digit is checked.
#[component]
pub fn RecordFormPage() -> impl IntoView {
    let slug = param("slug");
    let id = param("id");
    let form = Resource::new_blocking(
        move || (slug(), id()),
        |(slug, id)| load_record_form(slug, id),
    );
    loaded!(form, |f| view! { <RecordFormBody f /> })
}

#[component]
fn RecordFormBody(f: RecordForm) -> impl IntoView {
    let i18n = use_i18n();
    let save_error = url_error(SaveCatalogRecord::PATH);
    let problem = move |field: &'static str| save_error().and_then(|e| e.field_problem(field));
    // A refused record comes back with what was typed.
    let typed = crate::forms::typed(SaveCatalogRecord::PATH);
    let v = f.fields.clone();
    let typed_field = typed.clone();
    let field = move |name: &'static str, value: String| {
        let value = typed_field.or(name, value);
        let label = move || field_label(name);
        let id = format!("record-{name}");
        let described = record_error_id(name);
        let input = match name {
            "authors" | "subjects" => view! {
                <textarea id=id.clone() name=name rows="3" maxlength="500" aria-describedby=described>{value}</textarea>
            }
            .into_any(),
            "annotation" => view! {
                <textarea id=id.clone() name=name rows="5" maxlength="5000" aria-describedby=described>{value}</textarea>
            }
            .into_any(),
            "title" => view! {
                <input id=id.clone() name=name required maxlength="500" value=value aria-describedby=described />
            }
            .into_any(),
            _ => view! {
                <input id=id.clone() name=name maxlength="500" value=value aria-describedby=described />
            }
            .into_any(),
        };
        let error_id = record_error_id(name);
        view! {
            <label for=id>{label}</label>
            {input}
            {move || view! { <FieldMessage id=error_id problem=problem(name) /> }}
        }
    };
    let kinds = RecordKind::ALL
        .into_iter()
        .map(|k| {
            let selected = typed.chosen("kind", k.as_str(), k.as_str() == v.kind);
            view! { <option value=k.as_str() selected=selected>{kind_label(k)}</option> }
        })
        .collect_view();
    let ages = super::AGE_RATINGS
        .into_iter()
        .map(|a| {
            let selected = typed.chosen("age_rating", a, a == v.age_rating);
            view! { <option value=a selected=selected>{a}</option> }
        })
        .collect_view();
    let heading = if f.record_id.is_some() {
        t_string!(i18n, catalog.edit_record)
    } else {
        t_string!(i18n, catalog.new_record)
    };
    let back = match &f.record_id {
        Some(id) => format!("/catalog/{id}"),
        None => format!("/manage/{}/catalog", f.school.slug),
    };
    view! {
        <PageTitle text=format!("{} — {}", heading, fund_name(&f.school)) />
        <p class="breadcrumbs"><a href=format!("/manage/{}/catalog", f.school.slug)>{t!(i18n, catalog.admin_title)}</a></p>
        <h1>{heading}</h1>
        {move || view! { <FormNotice error=save_error() /> }}
        <form class="stack-form" method="post" action=SaveCatalogRecord::url()>
            <input type="hidden" name="slug" value=f.school.slug.clone() />
            <input type="hidden" name="record_id" value=f.record_id.clone().unwrap_or_else(|| "new".to_owned()) />
            <label for="record-kind">{t!(i18n, catalog.kind)}</label>
            <select id="record-kind" name="kind">{kinds}</select>
            {field("authors", v.authors.clone())}
            {field("title", v.title.clone())}
            {field("other_title", v.other_title.clone())}
            {field("responsibility", v.responsibility.clone())}
            {field("edition", v.edition.clone())}
            {field("place", v.place.clone())}
            {field("publisher", v.publisher.clone())}
            {field("year", v.year.clone())}
            {field("extent", v.extent.clone())}
            {field("series", v.series.clone())}
            {field("isbn", v.isbn.clone())}
            {field("host_title", v.host_title.clone())}
            {field("host_issue", v.host_issue.clone())}
            {field("host_pages", v.host_pages.clone())}
            {field("url", v.url.clone())}
            {access_select("record-access", "record-access-error", typed.or("access", v.access.clone()))}
            {move || view! { <FieldMessage id="record-access-error" problem=problem("access") /> }}
            <label for="record-age">{t!(i18n, catalog.age_rating)}</label>
            <select id="record-age" name="age_rating" aria-describedby="record-age_rating-error">
                <option value="">{t!(i18n, catalog.no_rating)}</option>
                {ages}
            </select>
            {move || view! { <FieldMessage id="record-age_rating-error" problem=problem("age_rating") /> }}
            {field("subjects", v.subjects.clone())}
            {field("annotation", v.annotation.clone())}
            <div class="buttons">
                <button type="submit" class="primary">{t!(i18n, catalog.save)}</button>
                " " <a href=back>{t!(i18n, catalog.cancel)}</a>
            </div>
        </form>
    }
}

/// The id of the message under a field of the form for a source entered by hand.
fn own_error_id(id: &str) -> &'static str {
    match id {
        "own-authors" => "own-authors-error",
        "own-title" => "own-title-error",
        "own-other-title" => "own-other-title-error",
        "own-responsibility" => "own-responsibility-error",
        "own-edition" => "own-edition-error",
        "own-place" => "own-place-error",
        "own-publisher" => "own-publisher-error",
        "own-year" => "own-year-error",
        "own-extent" => "own-extent-error",
        "own-isbn" => "own-isbn-error",
        "own-host-title" => "own-host-title-error",
        "own-host-issue" => "own-host-issue-error",
        "own-host-pages" => "own-host-pages-error",
        "own-url" => "own-url-error",
        _ => "own-access-date-error",
    }
}

/// The id of the message under a field of the record form.
fn record_error_id(name: &str) -> &'static str {
    match name {
        "authors" => "record-authors-error",
        "title" => "record-title-error",
        "other_title" => "record-other_title-error",
        "responsibility" => "record-responsibility-error",
        "edition" => "record-edition-error",
        "place" => "record-place-error",
        "publisher" => "record-publisher-error",
        "year" => "record-year-error",
        "extent" => "record-extent-error",
        "series" => "record-series-error",
        "isbn" => "record-isbn-error",
        "host_title" => "record-host_title-error",
        "host_issue" => "record-host_issue-error",
        "host_pages" => "record-host_pages-error",
        "url" => "record-url-error",
        "subjects" => "record-subjects-error",
        _ => "record-annotation-error",
    }
}
