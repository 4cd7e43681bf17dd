//! The frame of every page: skip link, header (district, navigation, language and view
//! switches), main content and footer.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::accounts::ui::AccountMenu;
use crate::i18n::{t, t_string, use_i18n};
use crate::prefs;
use crate::schools::api::load_district;

/// Sets the document title as «Page — Libfolio».
///
/// The full title is computed once, when the component is created, into a plain string. On
/// the server the title is read when the `<head>` is written, after the page's async parts
/// resolved, and by then arena-owned values (a `Signal`, or the i18n context's locale that a
/// translation closure reads) may already be disposed: reading them lazily panicked now and
/// then under load (a 500). The language switch reloads the page, so nothing is lost.
#[component]
pub fn PageTitle(#[prop(into)] text: TextProp) -> impl IntoView {
    let i18n = use_i18n();
    let full = untrack(|| t_string!(i18n, app.title_suffix, title = text.get()).to_string());
    view! { <Title text=full /> }
}

/// The page frame around the routed content.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    // Blocking: the header is complete in the first bytes sent, also without JavaScript.
    let district = Resource::new_blocking(|| (), |_| load_district());
    let district_name = move || {
        district
            .get()
            .and_then(|result| result.ok().flatten())
            .map(|d| view! { <span class="brand-district">{d.name}</span> })
    };
    let district_contact = move || {
        district
            .get()
            .and_then(|result| result.ok().flatten())
            .and_then(|d| d.contact_email)
            .map(|email| {
                let href = format!("mailto:{email}");
                view! {
                    <p>
                        {t!(i18n, footer.contact)} " " <a href=href>{email}</a>
                    </p>
                }
            })
    };
    view! {
        <a class="skip-link" href="#main">
            {t!(i18n, nav.skip)}
        </a>
        <header class="site-header">
            <div class="container">
                <a class="brand" href="/">
                    <span class="brand-name">{t!(i18n, app.name)}</span>
                    <Suspense fallback=|| ()>{district_name}</Suspense>
                </a>
                <nav class="site-nav" aria-label=move || t_string!(i18n, nav.label)>
                    <ul>
                        <li>
                            <A href="/" exact=true>
                                {t!(i18n, nav.home)}
                            </A>
                        </li>
                        <li>
                            <A href="/schools">{t!(i18n, nav.schools)}</A>
                        </li>
                        <li>
                            <A href="/initiatives">{t!(i18n, initiatives.title)}</A>
                        </li>
                        <li>
                            <A href="/catalog">{t!(i18n, catalog.nav)}</A>
                        </li>
                        <li>
                            <A href="/search">{t!(i18n, find.nav)}</A>
                        </li>
                    </ul>
                </nav>
                <PreferenceSwitches />
                <div class="account-menu">
                    <AccountMenu />
                </div>
            </div>
        </header>
        <main id="main" tabindex="-1">
            <div class="container">{children()}</div>
        </main>
        <footer class="site-footer">
            <div class="container">
                <p>{t!(i18n, footer.about)}</p>
                <Suspense fallback=|| ()>{district_contact}</Suspense>
            </div>
        </footer>
    }
}

/// The language switch and the switch to the version for the visually impaired: plain forms
/// that post to the server and come back to the same page, with or without JavaScript.
#[component]
fn PreferenceSwitches() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let back = move || {
        let path = location.pathname.get();
        let search = location.search.get();
        match search.as_str() {
            "" => path,
            s if s.starts_with('?') => format!("{path}{s}"),
            s => format!("{path}?{s}"),
        }
    };
    let a11y = prefs::is_a11y_view();
    let next_view = if a11y { "standard" } else { prefs::VIEW_A11Y };
    let view_label = move || {
        if a11y {
            t_string!(i18n, prefs.view_a11y_off)
        } else {
            t_string!(i18n, prefs.view_a11y_on)
        }
    };
    view! {
        <div class="site-tools" role="group" aria-label=move || t_string!(i18n, prefs.tools_label)>
            <form method="post" action="/prefs/lang">
                <input type="hidden" name="back" value=back />
                <button
                    type="submit"
                    name="lang"
                    value=move || t_string!(i18n, prefs.switch_language_code)
                    lang=move || t_string!(i18n, prefs.switch_language_code)
                    title=move || t_string!(i18n, prefs.switch_language_hint)
                >
                    {t!(i18n, prefs.switch_language)}
                </button>
            </form>
            <form method="post" action="/prefs/view">
                <input type="hidden" name="back" value=back />
                <input type="hidden" name="view" value=next_view />
                <button type="submit" aria-pressed=if a11y { "true" } else { "false" }>
                    {view_label}
                </button>
            </form>
        </div>
    }
}
