//! `/manage/audit`: the audit log with filters (a plain GET form) and pages.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::load_audit;
use super::{AuditPage, ACTIONS};
use crate::components::{ErrorNotice, PageTitle};
use crate::format::format_date;
use crate::i18n::{t, t_string, use_i18n, Locale};
use leptos_i18n::I18nContext;

/// The translated name of an action (the stored name when it is not known).
fn action_name(i18n: I18nContext<Locale>, action: &str) -> String {
    let known = match action {
        "sign_in" => t_string!(i18n, audit.sign_in),
        "sign_out" => t_string!(i18n, audit.sign_out),
        "change_password" => t_string!(i18n, audit.change_password),
        "create_admin" => t_string!(i18n, audit.create_admin),
        "create_class" => t_string!(i18n, audit.create_class),
        "promote_year" => t_string!(i18n, audit.promote_year),
        "create_pupil" => t_string!(i18n, audit.create_pupil),
        "import_roster" => t_string!(i18n, audit.import_roster),
        "cancel_import" => t_string!(i18n, audit.cancel_import),
        "erase_cards" => t_string!(i18n, audit.erase_cards),
        "create_staff" => t_string!(i18n, audit.create_staff),
        "reset_password" => t_string!(i18n, audit.reset_password),
        "record_consent_processing" => t_string!(i18n, audit.record_consent_processing),
        "record_consent_publication" => t_string!(i18n, audit.record_consent_publication),
        "withdraw_consent" => t_string!(i18n, audit.withdraw_consent),
        "create_invite" => t_string!(i18n, audit.create_invite),
        "revoke_invite" => t_string!(i18n, audit.revoke_invite),
        "link_parent" => t_string!(i18n, audit.link_parent),
        "create_school" => t_string!(i18n, audit.create_school),
        "update_school" => t_string!(i18n, audit.update_school),
        "create_project" => t_string!(i18n, audit.create_project),
        "propose_project" => t_string!(i18n, audit.propose_project),
        "accept_proposal" => t_string!(i18n, audit.accept_proposal),
        "decline_proposal" => t_string!(i18n, audit.decline_proposal),
        "add_project_member" => t_string!(i18n, audit.add_project_member),
        "remove_project_member" => t_string!(i18n, audit.remove_project_member),
        "add_project_supervisor" => t_string!(i18n, audit.add_project_supervisor),
        "remove_project_supervisor" => t_string!(i18n, audit.remove_project_supervisor),
        "delete_page" => t_string!(i18n, audit.delete_page),
        "delete_file" => t_string!(i18n, audit.delete_file),
        "publish_project" => t_string!(i18n, audit.publish_project),
        "unpublish_project" => t_string!(i18n, audit.unpublish_project),
        "share_project_link" => t_string!(i18n, audit.share_project_link),
        "revoke_project_link" => t_string!(i18n, audit.revoke_project_link),
        "create_initiative" => t_string!(i18n, audit.create_initiative),
        "update_initiative" => t_string!(i18n, audit.update_initiative),
        "set_initiative_schools" => t_string!(i18n, audit.set_initiative_schools),
        "add_initiative_record" => t_string!(i18n, audit.add_initiative_record),
        "remove_initiative_record" => t_string!(i18n, audit.remove_initiative_record),
        "enter_initiative" => t_string!(i18n, audit.enter_initiative),
        "withdraw_from_initiative" => t_string!(i18n, audit.withdraw_from_initiative),
        other => return other.to_owned(),
    };
    known.to_owned()
}

/// `/manage/audit?school=…&action=…&page=…`
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let log = Resource::new_blocking(
        move || {
            let q = query.read();
            (
                q.get("school"),
                q.get("action"),
                q.get("page").and_then(|p| p.parse::<u32>().ok()),
            )
        },
        |(school, action, page)| load_audit(school, action, page),
    );
    view! {
        <PageTitle text=move || t_string!(i18n, audit.title).to_owned() />
        <p class="breadcrumbs"><a href="/manage">{t!(i18n, manage.title)}</a></p>
        <h1>{t!(i18n, audit.title)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(page) => view! { <AuditView page /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AuditView(page: AuditPage) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let school_options = page
        .schools
        .iter()
        .map(|s| {
            let selected = page.school.as_deref() == Some(s.slug.as_str());
            view! { <option value=s.slug.clone() selected=selected>{s.short_name.clone()}</option> }
        })
        .collect_view();
    let action_options = ACTIONS
        .iter()
        .map(|a| {
            let selected = page.action.as_deref() == Some(*a);
            view! { <option value=*a selected=selected>{action_name(i18n, a)}</option> }
        })
        .collect_view();
    let rows = page
        .entries
        .iter()
        .map(|e| {
            let when = format!(
                "{}, {}",
                format_date(locale, e.at.date()),
                e.at.format("%H:%M")
            );
            view! {
                <tr>
                    <td>{when}</td>
                    <td>{e.actor.clone().unwrap_or_else(|| "—".into())}</td>
                    <td>{action_name(i18n, &e.action)}</td>
                    <td>
                        {e.subject.clone().unwrap_or_default()}
                        {(e.subject.is_some() && !e.detail.is_empty()).then_some(" · ")}
                        {e.detail.clone()}
                    </td>
                    <td>{e.school.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let link = |n: u32| {
        let mut params = vec![format!("page={n}")];
        if let Some(s) = &page.school {
            params.push(format!("school={s}"));
        }
        if let Some(a) = &page.action {
            params.push(format!("action={a}"));
        }
        format!("/manage/audit?{}", params.join("&"))
    };
    let previous = (page.page > 1).then(|| {
        view! { <a href=link(page.page - 1) rel="prev">{t!(i18n, audit.newer)}</a> }
    });
    let next = page.has_more.then(|| {
        view! { <a href=link(page.page + 1) rel="next">{t!(i18n, audit.older)}</a> }
    });
    let empty = page.entries.is_empty();
    view! {
        <form class="inline-form" method="get" action="/manage/audit">
            <label for="audit-school">{t!(i18n, audit.school)}</label>
            <select id="audit-school" name="school">
                {page.district_wide.then(|| view! { <option value="">{t!(i18n, audit.all_schools)}</option> })}
                {school_options}
            </select>
            <label for="audit-action">{t!(i18n, audit.action)}</label>
            <select id="audit-action" name="action">
                <option value="">{t!(i18n, audit.all_actions)}</option>
                {action_options}
            </select>
            <button type="submit">{t!(i18n, audit.show)}</button>
        </form>
        {if empty {
            view! { <p>{t!(i18n, audit.empty)}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="data">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, audit.when)}</th>
                                <th scope="col">{t!(i18n, audit.who)}</th>
                                <th scope="col">{t!(i18n, audit.action)}</th>
                                <th scope="col">{t!(i18n, audit.whom)}</th>
                                <th scope="col">{t!(i18n, audit.school)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
        <nav class="actions" aria-label=move || t_string!(i18n, audit.pages)>{previous}{next}</nav>
    }
}
