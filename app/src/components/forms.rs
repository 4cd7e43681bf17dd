//! Form helpers shared by every page: the translated sentence for a field's problem, the
//! message under a field, and the notice for an error that is not about one field.

use leptos::prelude::*;

use super::ErrorNotice;
use crate::error::{AppError, FieldProblem};
use crate::i18n::{t_string, use_i18n};

/// The translated sentence for a field's problem.
pub fn problem_text(problem: FieldProblem) -> impl Fn() -> String {
    let i18n = use_i18n();
    move || match problem {
        FieldProblem::Required => t_string!(i18n, forms.required).to_owned(),
        FieldProblem::TooShort { min } => t_string!(i18n, forms.too_short, min = min),
        FieldProblem::TooLong { max } => t_string!(i18n, forms.too_long, max = max),
        FieldProblem::Mismatch => t_string!(i18n, forms.mismatch).to_owned(),
        FieldProblem::WrongPassword => t_string!(i18n, account.wrong_current_password).to_owned(),
        FieldProblem::Invalid => t_string!(i18n, forms.invalid).to_owned(),
        FieldProblem::Taken => t_string!(i18n, forms.taken).to_owned(),
        FieldProblem::BadClassName => t_string!(i18n, forms.bad_class_name).to_owned(),
        FieldProblem::BadSlug => t_string!(i18n, forms.bad_slug).to_owned(),
        FieldProblem::BadName => t_string!(i18n, forms.bad_name).to_owned(),
        FieldProblem::BadUsername => t_string!(i18n, forms.bad_username).to_owned(),
        FieldProblem::BadDate => t_string!(i18n, forms.bad_date).to_owned(),
        FieldProblem::FutureDate => t_string!(i18n, forms.future_date).to_owned(),
        FieldProblem::OutOfRange { min, max } => {
            t_string!(i18n, forms.out_of_range, min = min, max = max)
        }
        FieldProblem::FileTooLarge { max_kib } => {
            t_string!(i18n, forms.file_too_large, max = max_kib)
        }
        FieldProblem::BadInviteCode => t_string!(i18n, forms.bad_invite_code).to_owned(),
        FieldProblem::FileTypeNotAllowed => t_string!(i18n, forms.file_type).to_owned(),
        FieldProblem::BrokenImage => t_string!(i18n, forms.broken_image).to_owned(),
        FieldProblem::ImageTooLarge => t_string!(i18n, forms.image_too_large).to_owned(),
        FieldProblem::QuotaExceeded { free_kib } => {
            t_string!(i18n, forms.quota_exceeded, free = free_kib)
        }
        FieldProblem::RemarksRequired => t_string!(i18n, forms.remarks_required).to_owned(),
        FieldProblem::FiveLevels => t_string!(i18n, forms.five_levels).to_owned(),
        FieldProblem::NotACatalogue => t_string!(i18n, forms.not_a_catalogue).to_owned(),
        FieldProblem::BadIsbn => t_string!(i18n, forms.bad_isbn).to_owned(),
        FieldProblem::CitedOnPage => t_string!(i18n, forms.cited_on_page).to_owned(),
        FieldProblem::EndsBeforeStart => t_string!(i18n, forms.ends_before_start).to_owned(),
    }
}

/// The error under a field, tied to it with `aria-describedby`.
#[component]
pub fn FieldMessage(id: &'static str, problem: Option<FieldProblem>) -> impl IntoView {
    problem.map(|p| view! { <p class="field-error" id=id>{problem_text(p)}</p> })
}

/// The last result of a form's server function, read from the action (with JavaScript) or
/// from the address the server redirected back to (without it).
pub fn form_error<A>(action: ServerAction<A>) -> impl Fn() -> Option<AppError> + Copy
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    move || action.value().get().and_then(Result::err)
}

/// The error of a server function that has no `ServerAction` (multipart uploads): without
/// JavaScript the server redirects back with the error in the address, for that function only.
pub fn url_error(path: &'static str) -> impl Fn() -> Option<AppError> + Copy {
    let query = leptos_router::hooks::use_query_map();
    move || {
        let query = query.read();
        (query.get("__path").as_deref() == Some(path))
            .then(|| query.get("__err"))
            .flatten()
            .map(|err| leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(&err))
    }
}

/// An error that is not about one field (the other kind shows beside its field).
#[component]
pub fn FormNotice(error: Option<AppError>) -> impl IntoView {
    error
        .filter(|e| !matches!(e, AppError::Invalid(_)))
        .map(|error| view! { <ErrorNotice error /> })
}
