//! How errors look to the reader: a translated sentence and the matching HTTP status.

use leptos::prelude::*;

use super::PageTitle;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};

/// The page for an address that does not exist (HTTP 404).
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    AppError::NotFound.set_response_status();
    let i18n = use_i18n();
    view! {
        <PageTitle text=move || t_string!(i18n, errors.not_found_title).to_owned() />
        <h1>{t!(i18n, errors.not_found_title)}</h1>
        <p>{t!(i18n, errors.not_found_text)}</p>
        <p>
            <a href="/">{t!(i18n, errors.go_home)}</a>
        </p>
    }
}

/// Shows an error from a server function in place of the content that failed, and gives the
/// server response the error's status. Internal details never reach this point.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    error.set_response_status();
    let i18n = use_i18n();
    match error {
        AppError::NotFound => view! { <NotFoundPage /> }.into_any(),
        AppError::Internal => view! {
            <PageTitle text=move || t_string!(i18n, errors.internal_title).to_owned() />
            <h1>{t!(i18n, errors.internal_title)}</h1>
            <p>{t!(i18n, errors.internal_text)}</p>
            <p>
                <a href="/">{t!(i18n, errors.go_home)}</a>
            </p>
        }
        .into_any(),
        other => {
            let message = move || match other.clone() {
                AppError::Unauthorized => t_string!(i18n, errors.unauthorized).to_owned(),
                AppError::Forbidden => t_string!(i18n, errors.forbidden).to_owned(),
                AppError::BadRequest => t_string!(i18n, errors.bad_request).to_owned(),
                AppError::Conflict => t_string!(i18n, errors.conflict).to_owned(),
                AppError::Gone => t_string!(i18n, errors.gone).to_owned(),
                AppError::WrongCredentials => t_string!(i18n, account.wrong_credentials).to_owned(),
                AppError::TooManyAttempts { minutes } => {
                    t_string!(i18n, account.too_many_attempts, minutes = minutes)
                }
                AppError::Invalid(_) => t_string!(i18n, errors.invalid).to_owned(),
                _ => t_string!(i18n, errors.network).to_owned(),
            };
            view! {
                <p class="notice error" role="alert">
                    {message}
                </p>
            }
            .into_any()
        }
    }
}
