//! The HTML shell (server only) and the routed application (server and browser).

use leptos::prelude::*;
use leptos_i18n::context::CookieOptions;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::accounts::ui::{AccountPage, LoginPage, SetupPage};
use crate::analytics::ui::CatalogReportPage;
use crate::audit::ui::AuditLogPage;
use crate::catalog::ui::{
    CatalogAdminPage, CatalogSearchPage, ImportReportPage, RecordFormPage, RecordPage, SourcesPage,
};
use crate::components::{Layout, NotFoundPage};
use crate::i18n::{I18nContextProvider, Locale};
use crate::initiatives::ui::{
    InitiativeEditPage, InitiativePage, InitiativesAdminPage, InitiativesPage,
};
use crate::people::ui::{
    CardsPage, ClassPage, ImportPage, ManagePage, PupilPage, PupilSearchPage, RegisterPage,
    SchoolPeoplePage,
};
use crate::prefs;
use crate::projects::ui::{
    DiffPage, MyProjectsPage, NewProjectPage, PageEditorPage, PageHistoryPage, PassportPage,
    ProjectPage, ProjectPageView, RevisionPage, SchoolProjectsPage,
};
use crate::review::ui::{
    AssessmentPage, DashboardPage, NotificationsPage, ProcedurePage, ProtocolPage,
    ReviewLetterPage, SubmissionPage, WorkflowPage,
};
use crate::schools::ui::{HomePage, SchoolEditPage, SchoolPage, SchoolsAdminPage, SchoolsPage};
use crate::showcase::ui::{
    PrintPage, PublicationPage, PublishPanelPage, SearchPage, SharedPage, SharedPrintPage, TagPage,
};

/// The document around the application. Rendered on the server only: it sets the
/// Content-Security-Policy with this response's nonce and the view class on `<html>`.
/// Published documents ([`is_document_path`]) get no hydration scripts: they are read, not
/// worked in, and a megabyte of wasm would outweigh the page many times.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    csp::set_content_security_policy(&options);
    let hydration = hydrates().then(|| view! { <HydrationScripts options=options.clone() /> });
    let view_class = prefs::is_a11y_view().then_some(prefs::VIEW_A11Y);
    view! {
        <!DOCTYPE html>
        <html class=view_class>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                {hydration}
                <HashedStylesheet options id="leptos" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Published, read-only documents: a publication (`/p/{id}`), a snapshot shared by a secret
/// link (`/s/{token}`) and their print views. They read fully without JavaScript.
pub fn is_document_path(path: &str) -> bool {
    let Some(rest) = path
        .strip_prefix("/p/")
        .or_else(|| path.strip_prefix("/s/"))
    else {
        return false;
    };
    match rest.split_once('/') {
        None => !rest.is_empty(),
        Some((id, "print")) => !id.is_empty(),
        Some(_) => false,
    }
}

/// Whether this response hydrates: not for a published document. Its resources then skip
/// serializing their data into the page for a hydration that never comes (the page would
/// otherwise carry its text twice); Leptos's islands mode turns this off the same way.
#[cfg(feature = "ssr")]
fn hydrates() -> bool {
    let document = use_context::<http::request::Parts>()
        .is_some_and(|parts| is_document_path(parts.uri.path()));
    if document {
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
    }
    !document
}

#[cfg(not(feature = "ssr"))]
fn hydrates() -> bool {
    true
}

/// The application: language context, router, layout and pages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let cookie = CookieOptions::<Locale>::default()
        .path("/")
        .max_age(prefs::COOKIE_MAX_AGE_SECS * 1000);
    view! {
        <I18nContextProvider cookie_name=prefs::LOCALE_COOKIE cookie_options=cookie>
            <Router>
                <Layout>
                    <Routes fallback=|| view! { <NotFoundPage /> }>
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("/schools") view=SchoolsPage ssr=SsrMode::Async />
                        <Route path=path!("/schools/:slug") view=SchoolPage ssr=SsrMode::Async />
                        <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                        <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                        <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async />
                        <Route path=path!("/manage") view=ManagePage ssr=SsrMode::Async />
                        <Route path=path!("/admin/schools") view=SchoolsAdminPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/schools/:slug") view=SchoolEditPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/audit") view=AuditLogPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/analytics") view=CatalogReportPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/classes/:id") view=ClassPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/pupils/:id") view=PupilPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/imports/:id") view=ImportPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/imports/:id/cards") view=CardsPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/initiatives") view=InitiativesAdminPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/initiatives/:slug") view=InitiativeEditPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/:slug") view=SchoolPeoplePage ssr=SsrMode::Async />
                        <Route path=path!("/manage/:slug/pupils") view=PupilSearchPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/:slug/projects") view=SchoolProjectsPage ssr=SsrMode::Async />
                        <Route path=path!("/projects") view=MyProjectsPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/new/:slug") view=NewProjectPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id") view=ProjectPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/passport") view=PassportPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/pages/:slug") view=ProjectPageView ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/pages/:slug/edit") view=PageEditorPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/pages/:slug/history") view=PageHistoryPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/pages/:slug/diff") view=DiffPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/pages/:slug/revisions/:number") view=RevisionPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/workflow") view=WorkflowPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/submissions/:number") view=SubmissionPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/assessment") view=AssessmentPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/protocol") view=ProtocolPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/review-letter") view=ReviewLetterPage ssr=SsrMode::Async />
                        <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/:slug/procedure") view=ProcedurePage ssr=SsrMode::Async />
                        <Route path=path!("/manage/:slug/catalog") view=CatalogAdminPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/:slug/analytics") view=CatalogReportPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/:slug/catalog/imports/:id") view=ImportReportPage ssr=SsrMode::Async />
                        <Route path=path!("/manage/:slug/catalog/records/:id") view=RecordFormPage ssr=SsrMode::Async />
                        <Route path=path!("/catalog") view=CatalogSearchPage ssr=SsrMode::Async />
                        <Route path=path!("/catalog/:id") view=RecordPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/sources") view=SourcesPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/publish") view=PublishPanelPage ssr=SsrMode::Async />
                        <Route path=path!("/p/:id") view=PublicationPage ssr=SsrMode::Async />
                        <Route path=path!("/s/:token") view=SharedPage ssr=SsrMode::Async />
                        <Route path=path!("/initiatives") view=InitiativesPage ssr=SsrMode::Async />
                        <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async />
                        <Route path=path!("/tags/:tag") view=TagPage ssr=SsrMode::Async />
                        <Route path=path!("/p/:id/print") view=PrintPage ssr=SsrMode::Async />
                        <Route path=path!("/s/:token/print") view=SharedPrintPage ssr=SsrMode::Async />
                        <Route path=path!("/initiatives/:slug") view=InitiativePage ssr=SsrMode::Async />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}

#[cfg(feature = "ssr")]
mod csp {
    use http::header::CONTENT_SECURITY_POLICY;
    use http::HeaderValue;
    use leptos::config::LeptosOptions;
    use leptos::nonce::use_nonce;
    use leptos::prelude::use_context;

    /// A strict policy: scripts only with this response's nonce (Leptos stamps it on its
    /// hydration scripts) or loaded by them; no inline styles; no framing; forms post home.
    pub fn set_content_security_policy(options: &LeptosOptions) {
        // leptos_axum provides a fresh nonce for every render; Leptos stamps it on its scripts.
        let Some(nonce) = use_nonce() else { return };
        // `cargo leptos watch` reloads the page over a websocket on the reload port.
        let live_reload = if std::env::var_os("LEPTOS_WATCH").is_some() {
            format!(" ws://{}:{}", options.site_addr.ip(), options.reload_port)
        } else {
            String::new()
        };
        let policy = format!(
            "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'{live_reload}; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        );
        if let (Some(response), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            HeaderValue::from_str(&policy),
        ) {
            response.insert_header(CONTENT_SECURITY_POLICY, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_document_path;

    #[test]
    fn published_documents_and_their_print_views_are_documents() {
        for path in [
            "/p/0190c2d4-7e1a-7b3c-9d2e-5f6a7b8c9d0e",
            "/p/0190c2d4-7e1a-7b3c-9d2e-5f6a7b8c9d0e/print",
            "/s/Zx81_token-value",
            "/s/Zx81_token-value/print",
        ] {
            assert!(is_document_path(path), "{path}");
        }
    }

    #[test]
    fn working_pages_and_other_addresses_are_not() {
        for path in [
            "/",
            "/p",
            "/p/",
            "/s/",
            "/p//print",
            "/p/123/export.zip",
            "/p/123/print/more",
            "/s/token/edit",
            "/projects/123",
            "/projects/123/publish",
            "/pp/123",
            "/search",
        ] {
            assert!(!is_document_path(path), "{path}");
        }
    }
}
