//! Pages of initiatives: the list (`/initiatives`), one initiative (`/initiatives/:slug`), the
//! coordinator's management (`/manage/initiatives`, `/manage/initiatives/:slug`) and the section
//! of the publisher's panel where a project is entered. Plain HTML and plain form posts.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

use super::api::{
    load_initiative, load_initiative_editor, load_initiatives, load_initiatives_admin,
    load_school_initiatives, AddReading, EnterInitiative, RemoveReading, SaveInitiative,
    SetInitiativeSchools, WithdrawFromInitiative,
};
use super::{
    InitiativeCard, InitiativeChoice, InitiativeEditor, InitiativeForm, InitiativeView, Level,
    ReadingItem,
};
use crate::components::{
    loaded, param, url_error, ErrorNotice, FieldMessage, FormNotice, PageTitle,
};
use crate::format::format_date;
use crate::i18n::{t, t_string, use_i18n};

fn level_label(level: Level) -> &'static str {
    let i18n = use_i18n();
    match level {
        Level::School => t_string!(i18n, initiatives.level_school),
        Level::Municipal => t_string!(i18n, initiatives.level_municipal),
        Level::Regional => t_string!(i18n, initiatives.level_regional),
    }
}

/// «1 декабря 2026 — 31 марта 2027».
fn dates(starts_on: chrono::NaiveDate, ends_on: chrono::NaiveDate) -> String {
    let locale = use_i18n().get_locale();
    format!(
        "{} — {}",
        format_date(locale, starts_on),
        format_date(locale, ends_on)
    )
}

#[component]
fn Cards(cards: Vec<InitiativeCard>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="card-list">
            {cards.into_iter().map(|c| view! {
                <li class="card">
                    <h3><a href=format!("/initiatives/{}", c.slug)>{c.title.clone()}</a></h3>
                    <p class="muted">{level_label(c.level)} " · " {dates(c.starts_on, c.ends_on)}</p>
                    <p>{c.organiser.clone()}</p>
                    <p class="muted">{t_string!(i18n, initiatives.projects_count, n = c.projects)}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// `/initiatives`: current and coming initiatives, then finished ones.
#[component]
pub fn InitiativesPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new_blocking(|| (), |_| load_initiatives());
    view! {
        <PageTitle text=move || t_string!(i18n, initiatives.title).to_owned() />
        <h1>{t!(i18n, initiatives.title)}</h1>
        <p class="lead">{t!(i18n, initiatives.intro)}</p>
        {loaded!(list, |list| view! {
            {list.may_manage.then(|| view! {
                <p><a href="/manage/initiatives">{t!(i18n, initiatives.manage)}</a></p>
            })}
            <section aria-labelledby="current-initiatives">
                <h2 id="current-initiatives">{t!(i18n, initiatives.current)}</h2>
                {if list.current.is_empty() {
                    view! { <p>{t!(i18n, initiatives.none_current)}</p> }.into_any()
                } else {
                    view! { <Cards cards=list.current /> }.into_any()
                }}
            </section>
            {(!list.past.is_empty()).then(|| view! {
                <section aria-labelledby="past-initiatives">
                    <h2 id="past-initiatives">{t!(i18n, initiatives.past)}</h2>
                    <Cards cards=list.past />
                </section>
            })}
        })}
    }
}

/// The current initiatives on the home page (none: nothing shown), or a school's initiatives.
#[component]
pub fn InitiativesBlock(
    /// A school's address name; empty: the district's current initiatives.
    school: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let for_school = !school.is_empty();
    let cards = Resource::new_blocking(
        move || school.clone(),
        |school| async move {
            if school.is_empty() {
                load_initiatives().await.map(|l| l.current)
            } else {
                load_school_initiatives(school).await
            }
        },
    );
    loaded!(cards, |cards| {
        (!cards.is_empty()).then(|| {
            view! {
                <section aria-labelledby="initiatives-heading">
                    <h2 id="initiatives-heading">{if for_school {
                        t_string!(i18n, initiatives.of_school)
                    } else {
                        t_string!(i18n, initiatives.current)
                    }}</h2>
                    <Cards cards />
                    <p><a href="/initiatives">{t!(i18n, initiatives.all)}</a></p>
                </section>
            }
        })
    })
}

/// `/initiatives/:slug`.
#[component]
pub fn InitiativePage() -> impl IntoView {
    let slug = param("slug");
    let initiative = Resource::new_blocking(slug, load_initiative);
    loaded!(initiative, |i| view! { <InitiativeBody i /> })
}

fn availability(item: &ReadingItem) -> impl IntoView {
    let i18n = use_i18n();
    if item.online {
        return view! { <p class="muted">{t!(i18n, initiatives.online)}</p> }.into_any();
    }
    if item.per_school.is_empty() {
        return ().into_any();
    }
    view! {
        <ul class="availability">
            {item.per_school.iter().map(|a| {
                let text = if !a.in_catalogue {
                    t_string!(i18n, initiatives.not_in_fund).to_owned()
                } else if a.copies == 0 {
                    t_string!(i18n, initiatives.in_catalogue).to_owned()
                } else {
                    t_string!(i18n, catalog.holding_line, copies = a.copies, available = a.available)
                        .to_string()
                };
                view! { <li>{a.school.short_name.clone()} ": " {text}</li> }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn InitiativeBody(i: InitiativeView) -> impl IntoView {
    let i18n = use_i18n();
    let feed = format!("/feeds/initiatives/{}.atom", i.slug);
    let url = format!("{}/initiatives/{}", i.site_url, i.slug);
    let reading = i
        .reading
        .iter()
        .map(|r| {
            view! {
                <li>
                    <a class="gost-entry" href=format!("/catalog/{}", r.record_id)>{r.description.clone()}</a>
                    {availability(r)}
                </li>
            }
        })
        .collect_view();
    let groups = i
        .groups
        .iter()
        .map(|g| {
            view! {
                <section class="school-projects" aria-labelledby=format!("school-{}", g.school.slug)>
                    <h3 id=format!("school-{}", g.school.slug)><a href=format!("/schools/{}", g.school.slug)>{g.school.short_name.clone()}</a></h3>
                    {(!g.projects.is_empty()).then(|| view! {
                        <ul>
                            {g.projects.iter().map(|p| view! {
                                <li>
                                    <a href=p.href.clone()>{p.title.clone()}</a>
                                    {(!p.published).then(|| view! { " " <span class="muted">{t!(i18n, initiatives.in_work)}</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                    {(g.hidden > 0).then(|| view! {
                        <p class="muted">{t_string!(i18n, initiatives.hidden, n = g.hidden)}</p>
                    })}
                </section>
            }
        })
        .collect_view();
    view! {
        <PageTitle text=i.title.clone() />
        <leptos_meta::Link rel="canonical" href=url.clone() />
        <leptos_meta::Link rel="alternate" type_="application/atom+xml" href=feed.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:title" content=i.title.clone() />
        <Meta property="og:description" content=i.summary.clone() />
        <Meta property="og:url" content=url />
        <Meta property="og:site_name" content=t_string!(i18n, app.name) />
        <Meta property="og:locale" content="ru_RU" />
        <Meta name="twitter:card" content="summary" />
        <Meta name="description" content=i.summary.clone() />
        <p class="breadcrumbs"><a href="/initiatives">{t!(i18n, initiatives.title)}</a></p>
        <article class="initiative">
            <h1>{i.title.clone()}</h1>
            <dl class="facts">
                <dt>{t!(i18n, initiatives.level)}</dt><dd>{level_label(i.level)}</dd>
                <dt>{t!(i18n, initiatives.dates)}</dt><dd>{dates(i.starts_on, i.ends_on)}</dd>
                <dt>{t!(i18n, initiatives.organiser)}</dt><dd>{i.organiser.clone()}</dd>
                {i.host.clone().map(|h| view! {
                    <dt>{t!(i18n, initiatives.host)}</dt>
                    <dd><a href=format!("/schools/{}", h.slug)>{h.short_name}</a></dd>
                })}
                {(!i.schools.is_empty()).then(|| view! {
                    <dt>{t!(i18n, initiatives.schools)}</dt>
                    <dd>
                        {i.schools.iter().enumerate().map(|(n, s)| view! {
                            {(n > 0).then_some(", ")}
                            <a href=format!("/schools/{}", s.slug)>{s.short_name.clone()}</a>
                        }).collect_view()}
                    </dd>
                })}
            </dl>
            <div class="markdown" inner_html=i.html.as_str().to_owned()></div>
            {i.may_manage.then(|| view! {
                <p class="no-print"><a href=format!("/manage/initiatives/{}", i.slug)>{t!(i18n, initiatives.edit)}</a></p>
            })}
            <section aria-labelledby="reading">
                <h2 id="reading">{t!(i18n, initiatives.reading)}</h2>
                {if i.reading.is_empty() {
                    view! { <p>{t!(i18n, initiatives.no_reading)}</p> }.into_any()
                } else {
                    view! { <ol class="reading-list">{reading}</ol> }.into_any()
                }}
            </section>
            <section aria-labelledby="entered">
                <h2 id="entered">{t!(i18n, initiatives.projects)}</h2>
                {if i.groups.is_empty() {
                    view! { <p>{t!(i18n, initiatives.no_projects)}</p> }.into_any()
                } else {
                    groups.into_any()
                }}
                <p><a href=feed type="application/atom+xml">{t!(i18n, showcase.feed)}</a></p>
            </section>
        </article>
    }
}

/// The fields of an initiative, for a new one and for an existing one.
#[component]
fn InitiativeFields(
    current: String,
    form: InitiativeForm,
    schools: Vec<crate::people::SchoolRef>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = url_error(SaveInitiative::PATH);
    let problem = move |f: &'static str| error().and_then(|e| e.field_problem(f));
    // A refused form comes back with what was typed.
    let typed = crate::forms::typed(SaveInitiative::PATH);
    let form = if typed.is_echo() {
        let field = |name: &str| typed.get(&format!("initiative[{name}]"));
        InitiativeForm {
            slug: field("slug"),
            title: field("title"),
            level: field("level"),
            school: field("school"),
            organiser: field("organiser"),
            starts_on: field("starts_on"),
            ends_on: field("ends_on"),
            description: field("description"),
        }
    } else {
        form
    };
    // One form of an initiative per page (the new one, or the one being edited).
    let input =
        move |field: &'static str, label: &'static str, value: String, kind: &'static str| {
            let (id, error_id, name): (&'static str, &'static str, &'static str) = match field {
                "title" => (
                    "initiative-title",
                    "initiative-title-error",
                    "initiative[title]",
                ),
                "slug" => (
                    "initiative-slug",
                    "initiative-slug-error",
                    "initiative[slug]",
                ),
                "organiser" => (
                    "initiative-organiser",
                    "initiative-organiser-error",
                    "initiative[organiser]",
                ),
                "starts_on" => (
                    "initiative-starts",
                    "initiative-starts-error",
                    "initiative[starts_on]",
                ),
                _ => (
                    "initiative-ends",
                    "initiative-ends-error",
                    "initiative[ends_on]",
                ),
            };
            view! {
                <label for=id>{label}</label>
                <input id=id type=kind name=name value=value required aria-describedby=error_id />
                {move || view! { <FieldMessage id=error_id problem=problem(name) /> }}
            }
        };
    let chosen_level = form.level.clone();
    let chosen_school = form.school.clone();
    view! {
        {move || view! { <FormNotice error=error() /> }}
        <form class="stack-form" method="post" action=SaveInitiative::url()>
            <input type="hidden" name="current" value=current.clone() />
            {input("title", t_string!(i18n, initiatives.field_title), form.title, "text")}
            {input("slug", t_string!(i18n, school_admin.slug), form.slug, "text")}
            <p class="hint">{t!(i18n, school_admin.slug_hint)}</p>
            <label for="initiative-level">{t!(i18n, initiatives.level)}</label>
            <select id="initiative-level" name="initiative[level]">
                {Level::ALL.into_iter().map(|l| view! {
                    <option value=l.as_str() selected=chosen_level == l.as_str()>{level_label(l)}</option>
                }).collect_view()}
            </select>
            <label for="initiative-school">{t!(i18n, initiatives.host_field)}</label>
            <select id="initiative-school" name="initiative[school]" aria-describedby="initiative-school-error">
                <option value="">{t!(i18n, initiatives.host_none)}</option>
                {schools.into_iter().map(|s| view! {
                    <option value=s.slug.clone() selected=chosen_school == s.slug>{s.short_name}</option>
                }).collect_view()}
            </select>
            {move || view! { <FieldMessage id="initiative-school-error" problem=problem("initiative[school]") /> }}
            {input("organiser", t_string!(i18n, initiatives.organiser), form.organiser, "text")}
            {input("starts_on", t_string!(i18n, initiatives.starts_on), form.starts_on, "date")}
            {input("ends_on", t_string!(i18n, initiatives.ends_on), form.ends_on, "date")}
            <label for="initiative-description">{t!(i18n, initiatives.description)}</label>
            <textarea id="initiative-description" name="initiative[description]" rows="10" aria-describedby="initiative-description-error">{form.description}</textarea>
            {move || view! { <FieldMessage id="initiative-description-error" problem=problem("initiative[description]") /> }}
            <p class="hint">{t!(i18n, initiatives.description_hint)}</p>
            <button type="submit" class="primary">{t!(i18n, initiatives.save)}</button>
        </form>
    }
}

/// `/manage/initiatives`: the coordinator's list and the form of a new initiative.
#[component]
pub fn InitiativesAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let admin = Resource::new_blocking(|| (), |_| load_initiatives_admin());
    view! {
        <PageTitle text=move || t_string!(i18n, initiatives.manage).to_owned() />
        <p class="breadcrumbs"><a href="/initiatives">{t!(i18n, initiatives.title)}</a></p>
        <h1>{t!(i18n, initiatives.manage)}</h1>
        {loaded!(admin, |admin| view! {
            {if admin.initiatives.is_empty() {
                view! { <p>{t!(i18n, initiatives.none_yet)}</p> }.into_any()
            } else {
                view! {
                    <table>
                        <thead><tr>
                            <th scope="col">{t!(i18n, initiatives.field_title)}</th>
                            <th scope="col">{t!(i18n, initiatives.level)}</th>
                            <th scope="col">{t!(i18n, initiatives.dates)}</th>
                        </tr></thead>
                        <tbody>
                            {admin.initiatives.into_iter().map(|c| view! {
                                <tr>
                                    <td><a href=format!("/manage/initiatives/{}", c.slug)>{c.title.clone()}</a></td>
                                    <td>{level_label(c.level)}</td>
                                    <td>{dates(c.starts_on, c.ends_on)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <section aria-labelledby="new-initiative">
                <h2 id="new-initiative">{t!(i18n, initiatives.create)}</h2>
                <InitiativeFields current=String::new() form=InitiativeForm {
                    level: Level::Municipal.as_str().to_owned(),
                    ..Default::default()
                } schools=admin.schools />
            </section>
        })}
    }
}

/// `/manage/initiatives/:slug`: the fields, the participating schools and the reading list.
#[component]
pub fn InitiativeEditPage() -> impl IntoView {
    let slug = param("slug");
    let query = use_query_map();
    let editor = Resource::new_blocking(
        move || (slug(), query.read().get("q").unwrap_or_default()),
        |(slug, q)| load_initiative_editor(slug, q),
    );
    loaded!(editor, |editor| view! { <InitiativeEditorBody editor /> })
}

#[component]
fn InitiativeEditorBody(editor: InitiativeEditor) -> impl IntoView {
    let i18n = use_i18n();
    let schools_error = url_error(SetInitiativeSchools::PATH);
    let add_error = url_error(AddReading::PATH);
    let remove_error = url_error(RemoveReading::PATH);
    let slug = editor.form.slug.clone();
    let all_schools: Vec<_> = editor.schools.iter().map(|(s, _)| s.clone()).collect();
    let fund = move |fund: Option<String>| {
        fund.unwrap_or_else(|| t_string!(i18n, initiatives.district_fund).to_owned())
    };
    view! {
        <PageTitle text=editor.form.title.clone() />
        <p class="breadcrumbs">
            <a href="/manage/initiatives">{t!(i18n, initiatives.manage)}</a> " · "
            <a href=format!("/initiatives/{}", slug)>{t!(i18n, initiatives.open_public)}</a>
        </p>
        <h1>{editor.form.title.clone()}</h1>
        <InitiativeFields current=slug.clone() form=editor.form.clone() schools=all_schools />
        <section aria-labelledby="schools">
            <h2 id="schools">{t!(i18n, initiatives.schools)}</h2>
            {move || view! { <FormNotice error=schools_error() /> }}
            <form class="stack-form" method="post" action=SetInitiativeSchools::url()>
                <input type="hidden" name="slug" value=slug.clone() />
                <fieldset>
                    <legend>{t!(i18n, initiatives.schools_legend)}</legend>
                    {editor.schools.iter().enumerate().map(|(n, (s, on))| {
                        let id = format!("school-{}", s.slug);
                        view! {
                            <div class="choice">
                                <input type="checkbox" id=id.clone() name=format!("schools[{n}]") value=s.slug.clone() checked=*on />
                                <label for=id>{s.short_name.clone()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit">{t!(i18n, initiatives.save_schools)}</button>
            </form>
        </section>
        <section aria-labelledby="reading">
            <h2 id="reading">{t!(i18n, initiatives.reading)}</h2>
            {move || view! { <FormNotice error=remove_error() /> }}
            {if editor.reading.is_empty() {
                view! { <p>{t!(i18n, initiatives.no_reading)}</p> }.into_any()
            } else {
                view! {
                    <ol class="reading-list">
                        {editor.reading.iter().map(|r| view! {
                            <li>
                                <span class="gost-entry">{r.description.clone()}</span>
                                " " <span class="muted">{fund(r.fund.clone())}</span>
                                <form class="inline" method="post" action=RemoveReading::url()>
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <input type="hidden" name="record_id" value=r.record_id.clone() />
                                    <button type="submit" class="small">{t!(i18n, initiatives.remove)}</button>
                                </form>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <form class="search-form" method="get" action=format!("/manage/initiatives/{slug}#reading")>
                <label for="reading-q">{t!(i18n, initiatives.find_record)}</label>
                <input id="reading-q" type="search" name="q" value=editor.query.clone() />
                <button type="submit">{t!(i18n, catalog.find)}</button>
            </form>
            {move || view! { <FormNotice error=add_error() /> }}
            {(!editor.query.is_empty() && editor.found.is_empty()).then(|| view! {
                <p>{t!(i18n, initiatives.nothing_found)}</p>
            })}
            {(!editor.found.is_empty()).then(|| view! {
                <ul class="found">
                    {editor.found.iter().map(|r| view! {
                        <li>
                            <span class="gost-entry">{r.description.clone()}</span>
                            " " <span class="muted">{fund(r.fund.clone())}</span>
                            <form class="inline" method="post" action=AddReading::url()>
                                <input type="hidden" name="slug" value=slug.clone() />
                                <input type="hidden" name="record_id" value=r.record_id.clone() />
                                <button type="submit" class="small">{t!(i18n, initiatives.add)}</button>
                            </form>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// The publisher's panel section: the initiatives the project is in, and those its school
/// takes part in that it may enter.
#[component]
pub fn ProjectInitiatives(project_id: String, choices: Vec<InitiativeChoice>) -> impl IntoView {
    let i18n = use_i18n();
    let enter_error = url_error(EnterInitiative::PATH);
    let withdraw_error = url_error(WithdrawFromInitiative::PATH);
    view! {
        <section aria-labelledby="initiatives" id="initiatives">
            <h2 id="initiatives">{t!(i18n, initiatives.title)}</h2>
            {move || view! { <FormNotice error=enter_error() /> }}
            {move || view! { <FormNotice error=withdraw_error() /> }}
            {if choices.is_empty() {
                view! { <p>{t!(i18n, initiatives.none_for_project)}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {choices.into_iter().map(|c| {
                            let (action, label) = if c.entered {
                                (WithdrawFromInitiative::url(), t_string!(i18n, initiatives.withdraw))
                            } else {
                                (EnterInitiative::url(), t_string!(i18n, initiatives.enter))
                            };
                            view! {
                                <li>
                                    <a href=format!("/initiatives/{}", c.slug)>{c.title.clone()}</a>
                                    {c.entered.then(|| view! { " " <span class="badge">{t!(i18n, initiatives.entered)}</span> })}
                                    <form class="inline" method="post" action=action>
                                        <input type="hidden" name="project_id" value=project_id.clone() />
                                        <input type="hidden" name="slug" value=c.slug.clone() />
                                        <button type="submit" class="small">{label}</button>
                                    </form>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
