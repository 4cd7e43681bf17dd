//! Pages of the showcase: a published project (`/p/:id`), the same shared by a secret link
//! (`/s/:token`), and the publisher's panel (`/projects/:id/publish`). All are plain HTML with
//! plain form posts: they read and work without JavaScript.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

use super::api::{
    load_children_projects, load_publication, load_publish_panel, load_published, load_shared,
    search_showcase, PublishProject, RevokeProjectLink, ShareProjectLink, UnpublishProject,
};
use super::{Audience, PublicationView, PublishPanel, SearchResults, MAX_LINK_DAYS};
use crate::components::{
    loaded, param, url_error, ErrorNotice, FieldMessage, FormNotice, PageTitle,
};
use crate::format::{anonymous_members, format_date_time};
use crate::i18n::{t, t_string, use_i18n};
use crate::people::academic_year_label;

fn audience_label(audience: Audience) -> &'static str {
    let i18n = use_i18n();
    match audience {
        Audience::Parents => t_string!(i18n, showcase.audience_parents),
        Audience::School => t_string!(i18n, showcase.audience_school),
        Audience::Public => t_string!(i18n, showcase.audience_public),
        Audience::Link => t_string!(i18n, showcase.audience_link),
    }
}

/// The newest public publications of a school (`school` its address name) or of the district
/// (empty), with the Atom feed of the same.
#[component]
pub fn PublishedList(school: String) -> impl IntoView {
    let i18n = use_i18n();
    let feed = if school.is_empty() {
        "/feeds/projects.atom".to_owned()
    } else {
        format!("/feeds/schools/{school}.atom")
    };
    let cards = Resource::new_blocking(move || school.clone(), load_published);
    view! {
        <section aria-labelledby="published-heading">
            <h2 id="published-heading">{t!(i18n, showcase.recent_title)}</h2>
            {loaded!(cards, |cards| {
                let locale = i18n.get_locale();
                if cards.is_empty() {
                    return view! { <p>{t!(i18n, showcase.none_yet)}</p> }.into_any();
                }
                view! {
                    <ul class="card-list">
                        {cards.into_iter().map(|c| view! {
                            <li class="card">
                                <h3><a href=format!("/p/{}", c.project_id)>{c.title}</a></h3>
                                <p class="muted">{c.school.short_name} " · " {format_date_time(locale, c.published_at)}</p>
                                {(!c.summary.is_empty()).then(|| view! { <p>{c.summary}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
            <p><a href=feed.clone() type="application/atom+xml">{t!(i18n, showcase.feed)}</a></p>
        </section>
        <leptos_meta::Link rel="alternate" type_="application/atom+xml" href=feed />
    }
}

/// `/p/:id`: a project's publication, for its audience (404 for everyone else).
#[component]
pub fn PublicationPage() -> impl IntoView {
    let id = param("id");
    let publication = Resource::new_blocking(id, load_publication);
    loaded!(publication, |p| view! { <PublicationBody p print=false /> })
}

/// `/p/:id/print`: the whole project on one page for paper, without the site's chrome.
#[component]
pub fn PrintPage() -> impl IntoView {
    let id = param("id");
    let publication = Resource::new_blocking(id, load_publication);
    loaded!(publication, |p| view! { <PublicationBody p print=true /> })
}

/// `/s/:token`: a snapshot shared by a secret link (410 once it expired or was revoked).
#[component]
pub fn SharedPage() -> impl IntoView {
    shared_view(false)
}

/// `/s/:token/print`: the print view of a snapshot shared by a secret link.
#[component]
pub fn SharedPrintPage() -> impl IntoView {
    shared_view(true)
}

fn shared_view(print: bool) -> impl IntoView {
    let token = param("token");
    let publication = Resource::new_blocking(token, load_shared);
    loaded!(
        publication,
        |p| view! { <PublicationBody p print shared=token() /> }
    )
}

/// A publication's pages; `shared` is the secret link's token when read through one (its print
/// view is then under the link too).
#[component]
fn PublicationBody(
    p: PublicationView,
    print: bool,
    #[prop(optional)] shared: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale();
    let unpublish_error = url_error(UnpublishProject::PATH);
    let members = {
        let mut text = p.members.join(", ");
        if p.anonymous_members > 0 {
            let more = anonymous_members(locale, p.anonymous_members);
            text = if text.is_empty() {
                more
            } else {
                format!("{text} {more}")
            };
        }
        text
    };
    let contents = p
        .pages
        .iter()
        .map(|page| {
            view! { <li><a href=format!("#page-{}", page.slug)>{page.title.clone()}</a></li> }
        })
        .collect_view();
    let pages = p
        .pages
        .iter()
        .map(|page| {
            view! {
                <section class="published-page" aria-labelledby=format!("page-{}", page.slug)>
                    <h2 id=format!("page-{}", page.slug)>{page.title.clone()}</h2>
                    <div class="markdown" inner_html=page.html.as_str().to_owned()></div>
                </section>
            }
        })
        .collect_view();
    let passport = [
        (
            t_string!(i18n, projects.relevance),
            p.passport.relevance.clone(),
        ),
        (t_string!(i18n, projects.goal), p.passport.goal.clone()),
        (t_string!(i18n, projects.tasks), p.passport.tasks.clone()),
        (
            t_string!(i18n, projects.hypothesis),
            p.passport.hypothesis.clone(),
        ),
        (
            t_string!(i18n, projects.product),
            p.passport.product.clone(),
        ),
    ]
    .into_iter()
    .filter(|(_, text)| !text.trim().is_empty())
    .map(|(label, text)| view! { <dt>{label}</dt><dd class="prewrap">{text}</dd> })
    .collect_view();
    let sources = p
        .sources
        .iter()
        .map(|s| view! { <li class="gost-entry">{s.clone()}</li> })
        .collect_view();
    // Only what is public may be indexed; a link's address (its token) is not sent on to the
    // sites its pages link to.
    let private = p.audience != Audience::Public;
    let tags = p
        .tags
        .iter()
        .map(|t| view! { <li><a href=format!("/tags/{}", encode(t))>{format!("#{t}")}</a></li> })
        .collect_view();
    let initiatives = p
        .initiatives
        .iter()
        .enumerate()
        .map(|(n, (slug, title))| {
            view! { {(n > 0).then_some(", ")} <a href=format!("/initiatives/{slug}")>{title.clone()}</a> }
        })
        .collect_view();
    let cover = p.cover.as_ref().map(|c| format!("{}{c}", p.site_url));
    let print_href = match &shared {
        Some(token) => format!("/s/{token}/print"),
        None => format!("/p/{}/print", p.project_id),
    };
    view! {
        <PageTitle text=p.title.clone() />
        {private.then(|| view! { <Meta name="robots" content="noindex, nofollow" /> })}
        {(!private).then(|| {
            // Link previews (VK, Telegram) and the one address of the page.
            let url = format!("{}/p/{}", p.site_url, p.project_id);
            let description = p.summary.clone();
            view! {
                <leptos_meta::Link rel="canonical" href=url.clone() />
                <Meta property="og:type" content="article" />
                <Meta property="og:title" content=p.title.clone() />
                <Meta property="og:description" content=description.clone() />
                <Meta property="og:url" content=url />
                <Meta property="og:site_name" content=t_string!(i18n, app.name) />
                <Meta property="og:locale" content="ru_RU" />
                {match cover.clone() {
                    Some(image) => view! {
                        <Meta property="og:image" content=image.clone() />
                        <Meta name="twitter:card" content="summary_large_image" />
                        <Meta name="twitter:image" content=image />
                    }.into_any(),
                    None => view! { <Meta name="twitter:card" content="summary" /> }.into_any(),
                }}
                <Meta name="twitter:title" content=p.title.clone() />
                <Meta name="description" content=description />
            }
        })}
        {(p.audience == Audience::Link).then(|| view! { <Meta name="referrer" content="no-referrer" /> })}
        {print.then(|| view! { <Meta name="robots" content="noindex, follow" /> })}
        <p class="breadcrumbs no-print"><a href=format!("/schools/{}", p.school.slug)>{p.school.short_name.clone()}</a></p>
        {print.then(|| view! {
            <p class="no-print print-note">
                {t!(i18n, showcase.print_note)} " "
                <a href=format!("/p/{}", p.project_id)>{t!(i18n, showcase.back_to_page)}</a>
            </p>
        })}
        <article class=if print { "publication print-view" } else { "publication" }>
            <h1>{p.title.clone()}</h1>
            {(!p.topic.is_empty()).then(|| view! { <p class="lead">{p.topic.clone()}</p> })}
            {(p.audience == Audience::Link).then(|| view! { <p class="notice">{t!(i18n, showcase.link_notice)}</p> })}
            <dl class="facts">
                <dt>{t!(i18n, showcase.school)}</dt><dd>{p.school.short_name.clone()}</dd>
                <dt>{t!(i18n, showcase.year)}</dt><dd>{academic_year_label(p.academic_year)}</dd>
                {(!p.subject.is_empty()).then(|| view! { <dt>{t!(i18n, projects.subject)}</dt><dd>{p.subject.clone()}</dd> })}
                {(!members.is_empty()).then(|| view! { <dt>{t!(i18n, showcase.members)}</dt><dd>{members.clone()}</dd> })}
                {(!p.supervisors.is_empty()).then(|| view! { <dt>{t!(i18n, showcase.supervisors)}</dt><dd>{p.supervisors.join(", ")}</dd> })}
                {(!p.initiatives.is_empty()).then(|| view! { <dt>{t!(i18n, initiatives.title)}</dt><dd>{initiatives}</dd> })}
                <dt>{t!(i18n, showcase.published)}</dt><dd>{format_date_time(locale, p.published_at)}</dd>
            </dl>
            {(!p.tags.is_empty()).then(|| view! {
                <ul class="tags" aria-label=t_string!(i18n, find.tags)>{tags}</ul>
            })}
            {(!print && (p.audience != Audience::Link || shared.is_some())).then(|| view! {
                <p class="no-print"><a href=print_href>{t!(i18n, showcase.print)}</a></p>
            })}
            {(!p.pages.is_empty()).then(|| view! {
                <nav class="toc" aria-labelledby="contents">
                    <h2 id="contents">{t!(i18n, showcase.contents)}</h2>
                    <ol>{contents}</ol>
                </nav>
            })}
            <section aria-labelledby="passport">
                <h2 id="passport">{t!(i18n, projects.passport)}</h2>
                <dl class="passport">{passport}</dl>
            </section>
            {pages}
            {(p.may_export && !print).then(|| view! {
                <p class="no-print"><a href=format!("/p/{}/export.zip", p.project_id) download>{t!(i18n, showcase.export)}</a></p>
            })}
            {(!p.sources.is_empty()).then(|| view! {
                <section aria-labelledby="sources">
                    <h2 id="sources">{t!(i18n, showcase.sources)}</h2>
                    <ol class="source-list">{sources}</ol>
                </section>
            })}
        </article>
        {(p.may_unpublish && !print).then(|| view! {
            <section class="no-print" aria-labelledby="publisher">
                <h2 id="publisher">{t!(i18n, showcase.for_publisher)}</h2>
                {move || view! { <FormNotice error=unpublish_error() /> }}
                <p><a href=format!("/projects/{}/publish", p.project_id)>{t!(i18n, showcase.panel_title)}</a></p>
                <form class="inline" method="post" action=UnpublishProject::url()>
                    <input type="hidden" name="project_id" value=p.project_id.clone() />
                    <button type="submit">{t!(i18n, showcase.unpublish)}</button>
                </form>
            </section>
        })}
    }
}

/// `/projects/:id/publish`: what can be published and to whom, the secret links, and how the
/// members will appear.
#[component]
pub fn PublishPanelPage() -> impl IntoView {
    let id = param("id");
    let panel = Resource::new_blocking(id, load_publish_panel);
    loaded!(panel, |panel| view! { <PublishPanelBody panel /> })
}

#[component]
fn PublishPanelBody(panel: PublishPanel) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale();
    let query = use_query_map();
    let new_link = move || query.read().get("link").filter(|l| !l.is_empty());
    let publish_error = url_error(PublishProject::PATH);
    let share_error = url_error(ShareProjectLink::PATH);
    let revoke_error = url_error(RevokeProjectLink::PATH);
    let unpublish_error = url_error(UnpublishProject::PATH);
    let pid = panel.project_id.clone();
    let accepted = panel.accepted.clone();
    let snapshots = move || {
        accepted
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let decided = s
                    .decided_at
                    .map(|d| format_date_time(locale, d))
                    .unwrap_or_default();
                let label = t_string!(
                    i18n,
                    showcase.snapshot_option,
                    n = s.number,
                    date = decided,
                    pages = s.pages
                );
                view! { <option value=s.number.to_string() selected=i == 0>{label}</option> }
            })
            .collect_view()
    };
    let audiences = Audience::CHOSEN
        .into_iter()
        .map(|a| {
            let id = format!("audience-{}", a.as_str());
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name="audience" value=a.as_str() checked=a == Audience::Public required />
                    <label for=id>{audience_label(a)}</label>
                </div>
            }
        })
        .collect_view();
    let members = panel
        .members
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <td>{m.name.clone()}</td>
                    <td>{match &m.public_name {
                        Some(name) => name.clone().into_any(),
                        None => view! { <strong>{t!(i18n, showcase.anonymous)}</strong> }.into_any(),
                    }}</td>
                </tr>
            }
        })
        .collect_view();
    let anonymous = panel.members.iter().any(|m| m.public_name.is_none());
    let links = panel
        .links
        .iter()
        .map(|l| {
            let state = if l.live {
                t_string!(i18n, showcase.link_live)
            } else {
                t_string!(i18n, showcase.link_ended)
            };
            view! {
                <tr>
                    <td>{format!("№{}", l.number)}</td>
                    <td>{format_date_time(locale, l.expires_at)}</td>
                    <td>{state}</td>
                    <td>{l.live.then(|| view! {
                        <form class="inline" method="post" action=RevokeProjectLink::url()>
                            <input type="hidden" name="project_id" value=panel.project_id.clone() />
                            <input type="hidden" name="link_id" value=l.id.clone() />
                            <button type="submit" class="small">{t!(i18n, showcase.revoke)}</button>
                        </form>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    let has_accepted = !panel.accepted.is_empty();
    view! {
        <PageTitle text=format!("{} — {}", panel.title, t_string!(i18n, showcase.panel_title)) />
        <p class="breadcrumbs"><a href=format!("/projects/{}", pid)>{panel.title.clone()}</a></p>
        <h1>{t!(i18n, showcase.panel_title)}</h1>
        <p class="hint">{t!(i18n, showcase.panel_hint)}</p>
        <section aria-labelledby="current">
            <h2 id="current">{t!(i18n, showcase.current_title)}</h2>
            {move || view! { <FormNotice error=unpublish_error() /> }}
            {match panel.current.clone() {
                Some(c) => view! {
                    <p role="status">
                        {t_string!(i18n, showcase.current, audience = audience_label(c.audience), n = c.number, date = format_date_time(locale, c.published_at))}
                        " " <a href=format!("/p/{}", pid)>{t!(i18n, showcase.open_published)}</a>
                    </p>
                    <form class="inline" method="post" action=UnpublishProject::url()>
                        <input type="hidden" name="project_id" value=pid.clone() />
                        <button type="submit">{t!(i18n, showcase.unpublish)}</button>
                    </form>
                }.into_any(),
                None => view! { <p role="status">{t!(i18n, showcase.not_published)}</p> }.into_any(),
            }}
        </section>
        {(!panel.members.is_empty()).then(|| view! {
            <section aria-labelledby="members">
                <h2 id="members">{t!(i18n, showcase.members_title)}</h2>
                <table>
                    <thead><tr><th scope="col">{t!(i18n, showcase.member)}</th><th scope="col">{t!(i18n, showcase.shown_as)}</th></tr></thead>
                    <tbody>{members}</tbody>
                </table>
                {anonymous.then(|| view! { <p class="notice">{t!(i18n, showcase.anonymous_warning)}</p> })}
                <p class="hint">{t!(i18n, showcase.text_warning)}</p>
            </section>
        })}
        {(panel.may_publish && !has_accepted).then(|| view! { <p class="notice">{t!(i18n, showcase.no_accepted)}</p> })}
        {(panel.may_publish && has_accepted).then(|| view! {
            <section aria-labelledby="publish">
                <h2 id="publish">{t!(i18n, showcase.publish_title)}</h2>
                {move || view! { <FormNotice error=publish_error() /> }}
                <form class="stack-form" method="post" action=PublishProject::url()>
                    <input type="hidden" name="project_id" value=pid.clone() />
                    <label for="publish-number">{t!(i18n, showcase.snapshot)}</label>
                    <select id="publish-number" name="number">{snapshots()}</select>
                    <fieldset>
                        <legend>{t!(i18n, showcase.audience)}</legend>
                        {audiences}
                    </fieldset>
                    <button type="submit" class="primary">{t!(i18n, showcase.publish)}</button>
                </form>
            </section>
            <section aria-labelledby="links">
                <h2 id="links">{t!(i18n, showcase.links_title)}</h2>
                <p class="hint">{t!(i18n, showcase.links_hint)}</p>
                {move || new_link().map(|token| view! {
                    <div class="notice" role="status">
                        <p>{t!(i18n, showcase.link_created)}</p>
                        <p><a id="new-link" href=format!("/s/{token}")>{format!("/s/{token}")}</a></p>
                    </div>
                })}
                {move || view! { <FormNotice error=share_error() /> }}
                {move || view! { <FormNotice error=revoke_error() /> }}
                <form class="inline-form" method="post" action=ShareProjectLink::url()>
                    <input type="hidden" name="project_id" value=pid.clone() />
                    <label for="link-number">{t!(i18n, showcase.snapshot)}</label>
                    <select id="link-number" name="number">{snapshots()}</select>
                    <label for="link-days">{t!(i18n, showcase.link_days)}</label>
                    <input id="link-days" name="days" type="number" min="1" max=MAX_LINK_DAYS.to_string() value="14" required aria-describedby="link-days-error" />
                    <button type="submit">{t!(i18n, showcase.share)}</button>
                </form>
                {move || view! { <FieldMessage id="link-days-error" problem=share_error().and_then(|e| e.field_problem("days")) /> }}
                {(!panel.links.is_empty()).then(|| view! {
                    <table>
                        <thead><tr>
                            <th scope="col">{t!(i18n, showcase.snapshot)}</th>
                            <th scope="col">{t!(i18n, showcase.expires)}</th>
                            <th scope="col">{t!(i18n, showcase.link_state)}</th>
                            <th scope="col"><span class="visually-hidden">{t!(i18n, showcase.actions)}</span></th>
                        </tr></thead>
                        <tbody>{links}</tbody>
                    </table>
                })}
            </section>
        })}
        {panel.initiatives.clone().map(|choices| view! {
            <crate::initiatives::ui::ProjectInitiatives project_id=panel.project_id.clone() choices />
        })}
    }
}

/// Percent-encodes a query value or path segment (everything but unreserved characters).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Snippet fragments, the found words in `<mark>` (text only: nothing is parsed as markup).
fn snippet_view(fragments: Vec<super::Fragment>) -> impl IntoView {
    fragments
        .into_iter()
        .map(|f| {
            if f.hit {
                view! { <mark>{f.text}</mark> }.into_any()
            } else {
                f.text.into_any()
            }
        })
        .collect_view()
}

/// A query string of the search's parameters (empty ones left out), with `page`.
fn search_href(r: &SearchResults, page: usize) -> String {
    let mut pairs: Vec<(&str, String)> = vec![
        ("q", r.query.clone()),
        ("school", r.school.clone()),
        ("initiative", r.initiative.clone()),
        ("year", r.year.map(|y| y.to_string()).unwrap_or_default()),
        ("tag", r.tag.clone()),
    ];
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    let query = pairs
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(&v)))
        .collect::<Vec<_>>()
        .join("&");
    format!("/search?{query}")
}

#[component]
fn Hits(results: SearchResults) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale();
    let hits = results.hits.clone();
    let (page, pages) = (results.page, results.pages);
    let prev = (page > 1).then(|| search_href(&results, page - 1));
    let next = (page < pages).then(|| search_href(&results, page + 1));
    view! {
        <ol class="card-list search-hits">
            {hits.into_iter().map(|h| {
                let private = h.audience != Audience::Public;
                view! {
                    <li class="card">
                        <h3><a href=format!("/p/{}", h.project_id)>{h.title}</a></h3>
                        <p class="muted">
                            {h.school.short_name} " · " {academic_year_label(h.academic_year)} " · "
                            {format_date_time(locale, h.published_at)}
                            {private.then(|| view! { " · " <span class="badge">{audience_label(h.audience)}</span> })}
                        </p>
                        {if h.snippet.is_empty() {
                            (!h.summary.is_empty()).then(|| view! { <p>{h.summary}</p> }).into_any()
                        } else {
                            view! {
                                <p class="snippet">
                                    {h.snippet_page.map(|t| view! { <span class="muted">{t} ": "</span> })}
                                    {snippet_view(h.snippet)}
                                </p>
                            }.into_any()
                        }}
                        {(!h.tags.is_empty()).then(|| view! {
                            <ul class="tags" aria-label=t_string!(i18n, find.tags)>
                                {h.tags.into_iter().map(|t| view! {
                                    <li><a href=format!("/tags/{}", encode(&t))>{format!("#{t}")}</a></li>
                                }).collect_view()}
                            </ul>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label=t_string!(i18n, find.pages)>
                {prev.map(|href| view! { <a href=href rel="prev">{t!(i18n, find.prev)}</a> " " })}
                <span>{t_string!(i18n, find.page_of, page = page, pages = pages)}</span>
                {next.map(|href| view! { " " <a href=href rel="next">{t!(i18n, find.next)}</a> })}
            </nav>
        })}
    }
}

/// `/search?q=…&school=…&initiative=…&year=…&tag=…&page=…`: a plain GET form.
#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let results = Resource::new_blocking(
        move || {
            let q = query.read();
            let get = |k: &str| q.get(k).unwrap_or_default();
            (
                get("q"),
                get("school"),
                get("initiative"),
                get("year"),
                get("tag"),
                get("page"),
            )
        },
        |(q, school, initiative, year, tag, page)| {
            search_showcase(q, school, initiative, year, tag, page, true)
        },
    );
    view! {
        <PageTitle text=move || t_string!(i18n, find.title).to_owned() />
        <Meta name="robots" content="noindex, follow" />
        <h1>{t!(i18n, find.title)}</h1>
        {loaded!(results, |r| view! { <SearchBody r /> })}
    }
}

#[component]
fn SearchBody(r: SearchResults) -> impl IntoView {
    let i18n = use_i18n();
    let f = r.filters.clone();
    let searched = !r.query.is_empty()
        || !r.school.is_empty()
        || !r.initiative.is_empty()
        || r.year.is_some()
        || !r.tag.is_empty();
    let popular = f.tags.clone();
    view! {
        <form class="search-form filters" method="get" action="/search" role="search">
            <label for="find-q">{t!(i18n, find.query)}</label>
            <input id="find-q" type="search" name="q" value=r.query.clone() />
            <label for="find-school">{t!(i18n, showcase.school)}</label>
            <select id="find-school" name="school">
                <option value="">{t!(i18n, find.any_school)}</option>
                {f.schools.into_iter().map(|s| view! {
                    <option value=s.slug.clone() selected=s.slug == r.school>{s.short_name}</option>
                }).collect_view()}
            </select>
            <label for="find-initiative">{t!(i18n, find.initiative)}</label>
            <select id="find-initiative" name="initiative">
                <option value="">{t!(i18n, find.any_initiative)}</option>
                {f.initiatives.into_iter().map(|(slug, title)| view! {
                    <option value=slug.clone() selected=slug == r.initiative>{title}</option>
                }).collect_view()}
            </select>
            <label for="find-year">{t!(i18n, showcase.year)}</label>
            <select id="find-year" name="year">
                <option value="">{t!(i18n, find.any_year)}</option>
                {f.years.into_iter().map(|y| view! {
                    <option value=y.to_string() selected=Some(y) == r.year>{academic_year_label(y)}</option>
                }).collect_view()}
            </select>
            <label for="find-tag">{t!(i18n, find.tag)}</label>
            <input id="find-tag" name="tag" value=r.tag.clone() list="find-tags" />
            <datalist id="find-tags">
                {popular.iter().map(|(t, _)| view! { <option value=t.clone()></option> }).collect_view()}
            </datalist>
            <button type="submit" class="primary">{t!(i18n, find.submit)}</button>
        </form>
        {if !searched {
            view! {
                <p>{t!(i18n, find.hint)}</p>
                {(!popular.is_empty()).then(|| view! {
                    <section aria-labelledby="popular-tags">
                        <h2 id="popular-tags">{t!(i18n, find.popular_tags)}</h2>
                        <ul class="tags">
                            {popular.into_iter().map(|(t, n)| view! {
                                <li><a href=format!("/tags/{}", encode(&t))>{format!("#{t}")}</a> <span class="muted">{format!("({n})")}</span></li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
            }.into_any()
        } else {
            let initiatives = r.initiatives.clone();
            let staff = r.staff.clone();
            let staff_searched = r.staff_searched;
            view! {
                {(!initiatives.is_empty()).then(|| view! {
                    <section aria-labelledby="found-initiatives">
                        <h2 id="found-initiatives">{t!(i18n, initiatives.title)}</h2>
                        <ul class="card-list">
                            {initiatives.into_iter().map(|i| view! {
                                <li class="card">
                                    <h3><a href=format!("/initiatives/{}", i.slug)>{i.title}</a></h3>
                                    <p class="muted">{i.organiser}</p>
                                    {(!i.snippet.is_empty()).then(|| view! { <p class="snippet">{snippet_view(i.snippet)}</p> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                <section aria-labelledby="found-projects">
                    <h2 id="found-projects">{t_string!(i18n, find.found, n = r.total)}</h2>
                    {if r.hits.is_empty() {
                        view! { <p>{t!(i18n, find.nothing)}</p> }.into_any()
                    } else {
                        view! { <Hits results=r.clone() /> }.into_any()
                    }}
                </section>
                {staff_searched.then(|| view! {
                    <section aria-labelledby="found-staff">
                        <h2 id="found-staff">{t!(i18n, find.staff_title)}</h2>
                        <p class="hint">{t!(i18n, find.staff_hint)}</p>
                        {if staff.is_empty() {
                            view! { <p>{t!(i18n, find.nothing)}</p> }.into_any()
                        } else {
                            view! {
                                <ul>
                                    {staff.into_iter().map(|s| view! {
                                        <li>
                                            <a href=format!("/projects/{}", s.project_id)>{s.title}</a>
                                            " " <span class="muted">{s.school.short_name}</span>
                                            " · " <span class="badge">{match s.published {
                                                Some(a) => audience_label(a).to_owned(),
                                                None => t_string!(i18n, find.unpublished).to_owned(),
                                            }}</span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                })}
            }.into_any()
        }}
    }
}

/// `/tags/:tag`: the published projects with a tag.
#[component]
pub fn TagPage() -> impl IntoView {
    let i18n = use_i18n();
    let tag = param("tag");
    let results = Resource::new_blocking(tag, |tag| {
        search_showcase(
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            tag,
            String::new(),
            false,
        )
    });
    view! {
        {move || {
            let tag = tag();
            view! { <PageTitle text=format!("#{tag}") /> <h1>{format!("#{tag}")}</h1> }
        }}
        {loaded!(results, |r| {
            let all = t_string!(i18n, find.found, n = r.total);
            view! {
                <p class="muted">{all}</p>
                {if r.hits.is_empty() {
                    view! { <p>{t!(i18n, find.nothing)}</p> }.into_any()
                } else {
                    view! { <Hits results=r /> }.into_any()
                }}
                <p><a href="/search">{t!(i18n, find.title)}</a></p>
            }
        })}
    }
}

/// «Проекты ваших детей» on the home page of a signed-in parent: every project of their
/// children at every stage (read only), and what of it is published.
#[component]
pub fn ChildrenProjects() -> impl IntoView {
    let i18n = use_i18n();
    let projects = Resource::new_blocking(|| (), |_| load_children_projects());
    loaded!(projects, |projects| {
        let locale = i18n.get_locale();
        (!projects.is_empty()).then(|| view! {
            <section aria-labelledby="children-heading">
                <h2 id="children-heading">{t!(i18n, find.children_title)}</h2>
                <ul class="card-list">
                    {projects.into_iter().map(|p| view! {
                        <li class="card">
                            <h3><a href=format!("/projects/{}", p.project_id)>{p.title}</a></h3>
                            <p class="muted">{p.school.short_name}</p>
                            <p class="muted">{t_string!(i18n, find.child_pages, n = p.page_count)} " · " {format_date_time(locale, p.updated_at)}</p>
                            {match p.published {
                                Some(a) => view! {
                                    <p><a href=format!("/p/{}", p.project_id)>{t!(i18n, find.child_published)}</a> " " <span class="badge">{audience_label(a)}</span></p>
                                }.into_any(),
                                None => view! { <p class="muted">{t!(i18n, find.child_not_published)}</p> }.into_any(),
                            }}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })
    })
}
