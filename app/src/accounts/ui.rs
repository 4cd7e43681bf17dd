//! Sign-in, sign-out and the account page. The forms are plain HTML forms that post to the
//! server functions: they work without JavaScript, and a full page load after signing in or out
//! brings every part of the page up to date. Errors come back in the address and are shown next
//! to the fields.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::api::{setup_status, who_am_i, ChangePassword, CompleteSetup, Login, Logout};
use super::{CurrentUser, Role};
use crate::components::{ErrorNotice, FieldMessage, PageTitle};
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::people::ui::{family_resource, FamilySection};
use crate::people::FamilyView;

/// `/login`
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".to_owned());
    let error = move || {
        action.value().get().and_then(Result::err).map(|error| {
            let text = match error {
                AppError::WrongCredentials => t_string!(i18n, account.wrong_credentials).to_owned(),
                AppError::TooManyAttempts { minutes } => {
                    t_string!(i18n, account.too_many_attempts, minutes = minutes)
                }
                _ => t_string!(i18n, errors.internal_text).to_owned(),
            };
            view! { <p class="notice error" role="alert">{text}</p> }
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, account.sign_in).to_owned() />
        <h1>{t!(i18n, account.sign_in)}</h1>
        {error}
        <form class="stack-form" method="post" action=Login::url()>
            <input type="hidden" name="next" value=next />
            <label for="username">{t!(i18n, account.username)}</label>
            <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required />
            <label for="password">{t!(i18n, account.password)}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
            <button type="submit" class="primary">{t!(i18n, account.sign_in)}</button>
        </form>
        <p class="hint">{t!(i18n, account.forgot_hint)}</p>
        <p>{t!(i18n, register.for_parents)} " " <a href="/register">{t!(i18n, register.link)}</a></p>
    }
}

/// The header's account part: «Войти», or the name and «Выйти».
#[component]
pub fn AccountMenu() -> impl IntoView {
    let i18n = use_i18n();
    let user = Resource::new_blocking(|| (), |_| who_am_i());
    // Read in the same Suspense as the user, so that the first bytes carry them too.
    let counts = Resource::new_blocking(|| (), |_| crate::review::api::load_header_counts());
    let menu = move || {
        let counts = counts.get().and_then(Result::ok).unwrap_or_default();
        user.get().map(|result| match result.ok().flatten() {
            None => {
                view! { <a class="button" href="/login">{t!(i18n, account.sign_in)}</a> }.into_any()
            }
            Some(user) => view! {
                {(user.has_role(Role::Admin) || user.has_role(Role::Coordinator) || user.has_role(Role::Librarian))
                    .then(|| view! { <a class="manage-link" href="/manage">{t!(i18n, manage.nav)}</a> })}
                <a class="projects-link" href="/projects">{t!(i18n, projects.nav)}</a>
                <DashboardLink counts=counts.clone() />
                <a class="account-name" href="/account">{user.display_name}</a>
                <form method="post" action=Logout::url()>
                    <button type="submit">{t!(i18n, account.sign_out)}</button>
                </form>
            }
            .into_any(),
        })
    };
    view! { <Suspense fallback=|| ()>{menu}</Suspense> }
}

/// The dashboard link with what waits: unread notifications and submissions to review.
#[component]
fn DashboardLink(counts: crate::review::HeaderCounts) -> impl IntoView {
    let i18n = use_i18n();
    let mut parts = Vec::new();
    if counts.waiting > 0 {
        parts.push(t_string!(i18n, review.nav_waiting, n = counts.waiting));
    }
    if counts.unread > 0 {
        parts.push(t_string!(i18n, review.nav_unread, n = counts.unread));
    }
    let extra = (!parts.is_empty())
        .then(|| view! { " " <span class="counts">"(" {parts.join(", ")} ")"</span> });
    view! {
        <a class="dashboard-link" href="/dashboard">
            {t!(i18n, review.nav_dashboard)}
            {extra}
        </a>
    }
}

/// `/account`: who I am, my roles, and changing my password.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = Resource::new_blocking(|| (), |_| who_am_i());
    let family = family_resource();
    view! {
        <PageTitle text=move || t_string!(i18n, account.title).to_owned() />
        <h1>{t!(i18n, account.title)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => view! { <AccountDetails user family /> }.into_any(),
                    Ok(None) => view! { <ErrorNotice error=AppError::Unauthorized /> <p><a href="/login?next=/account">{t!(i18n, account.sign_in)}</a></p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

pub fn role_name(role: Role) -> impl Fn() -> &'static str {
    let i18n = use_i18n();
    move || match role {
        Role::Admin => t_string!(i18n, roles.admin),
        Role::Coordinator => t_string!(i18n, roles.coordinator),
        Role::Librarian => t_string!(i18n, roles.librarian),
        Role::Supervisor => t_string!(i18n, roles.supervisor),
        Role::Pupil => t_string!(i18n, roles.pupil),
        Role::Parent => t_string!(i18n, roles.parent),
    }
}

#[component]
fn AccountDetails(
    user: CurrentUser,
    family: Resource<Result<FamilyView, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ChangePassword>::new();
    let query = use_query_map();
    let changed = move || query.read().get("changed").is_some();
    let problem = move |field: &'static str| {
        action
            .value()
            .get()
            .and_then(Result::err)
            .and_then(|e| e.field_problem(field))
    };
    let other_error = move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| !matches!(e, AppError::Invalid(_)))
            .map(|error| view! { <ErrorNotice error /> })
    };
    let is_pupil = user.has_role(Role::Pupil);
    let roles = user
        .roles
        .iter()
        .map(|grant| view! { <li>{role_name(grant.role)}</li> })
        .collect_view();
    view! {
        <dl class="facts">
            <dt>{t!(i18n, account.name)}</dt>
            <dd>{user.display_name.clone()}</dd>
            <dt>{t!(i18n, account.username)}</dt>
            <dd>{user.username.clone()}</dd>
            <dt>{t!(i18n, account.roles)}</dt>
            <dd><ul class="plain">{roles}</ul></dd>
        </dl>
        <FamilySection is_pupil family />
        <h2>{t!(i18n, account.change_password)}</h2>
        {move || changed().then(|| view! { <p class="notice" role="status">{t!(i18n, account.password_changed)}</p> })}
        {other_error}
        <form class="stack-form" method="post" action=ChangePassword::url()>
            <label for="current">{t!(i18n, account.current_password)}</label>
            <input id="current" name="current" type="password" autocomplete="current-password" required aria-describedby="current-error" />
            {move || view! { <FieldMessage id="current-error" problem=problem("current") /> }}
            <label for="new_password">{t!(i18n, account.new_password)}</label>
            <input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="8" aria-describedby="new_password-error" />
            {move || view! { <FieldMessage id="new_password-error" problem=problem("new_password") /> }}
            <label for="confirm">{t!(i18n, account.confirm_password)}</label>
            <input id="confirm" name="confirm" type="password" autocomplete="new-password" required aria-describedby="confirm-error" />
            {move || view! { <FieldMessage id="confirm-error" problem=problem("confirm") /> }}
            <button type="submit" class="primary">{t!(i18n, account.change_password)}</button>
        </form>
    }
}

/// `/setup?token=…`: creates the first administrator while none exists. The token is printed
/// in the server's log at start-up.
#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let open = Resource::new_blocking(|| (), |_| setup_status());
    let action = ServerAction::<CompleteSetup>::new();
    let error = crate::components::form_error(action);
    let problem = move |f: &'static str| error().and_then(|e| e.field_problem(f));
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let form = move || {
        view! {
            <p>{t!(i18n, setup.intro)}</p>
            {move || view! { <crate::components::FormNotice error=error() /> }}
            <form class="stack-form" method="post" action=CompleteSetup::url()>
                <label for="token">{t!(i18n, setup.token)}</label>
                <input id="token" name="token" required autocomplete="off" spellcheck="false" value=token aria-describedby="token-hint token-error" />
                <p class="hint" id="token-hint">{t!(i18n, setup.token_hint)}</p>
                {move || view! { <FieldMessage id="token-error" problem=problem("token") /> }}
                <label for="display_name">{t!(i18n, register.display_name)}</label>
                <input id="display_name" name="display_name" required maxlength="100" autocomplete="name" aria-describedby="display_name-error" />
                {move || view! { <FieldMessage id="display_name-error" problem=problem("display_name") /> }}
                <label for="username">{t!(i18n, account.username)}</label>
                <input id="username" name="username" required maxlength="40" autocomplete="username" autocapitalize="none" spellcheck="false" aria-describedby="username-error" />
                {move || view! { <FieldMessage id="username-error" problem=problem("username") /> }}
                <label for="password">{t!(i18n, account.new_password)}</label>
                <input id="password" name="password" type="password" required minlength="8" autocomplete="new-password" aria-describedby="password-error" />
                {move || view! { <FieldMessage id="password-error" problem=problem("password") /> }}
                <label for="confirm">{t!(i18n, account.confirm_password)}</label>
                <input id="confirm" name="confirm" type="password" required autocomplete="new-password" aria-describedby="confirm-error" />
                {move || view! { <FieldMessage id="confirm-error" problem=problem("confirm") /> }}
                <button type="submit" class="primary">{t!(i18n, setup.submit)}</button>
            </form>
        }
    };
    view! {
        <PageTitle text=move || t_string!(i18n, setup.title).to_owned() />
        <h1>{t!(i18n, setup.title)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match open.await {
                    Ok(true) => form().into_any(),
                    Ok(false) => view! { <p>{t!(i18n, setup.closed)}</p> <p><a href="/login">{t!(i18n, account.sign_in)}</a></p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
