//! The one application error type. Server functions return `Result<T, AppError>`; the browser
//! receives only the variant (never SQL, paths or internal messages), and pages show it through
//! [`crate::components::ErrorNotice`] as a translated sentence.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// Everything that can go wrong between a page and the server, as the user needs to know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (or the caller may not know that it exists).
    #[error("not found")]
    NotFound,
    /// The caller must sign in first.
    #[error("unauthorized")]
    Unauthorized,
    /// The caller is signed in but may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The request itself was malformed.
    #[error("bad request")]
    BadRequest,
    /// Sign-in refused: unknown name or wrong password (never says which).
    #[error("wrong credentials")]
    WrongCredentials,
    /// Too many failed sign-ins; try again after this many minutes.
    #[error("too many attempts")]
    TooManyAttempts { minutes: u32 },
    /// A form had fields that could not be accepted; each is named with its problem.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The object changed meanwhile (an import already confirmed, an invite already used):
    /// reload and look again.
    #[error("conflict")]
    Conflict,
    /// What was asked for existed but is gone for good (login cards after printing).
    #[error("gone")]
    Gone,
    /// The server could not be reached or answered in a way the browser could not read.
    #[error("network")]
    Network,
    /// Anything else: logged with context on the server, shown as a generic message.
    #[error("internal")]
    Internal,
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::BadRequest => 400,
            AppError::WrongCredentials => 401,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Invalid(_) => 422,
            AppError::Conflict => 409,
            AppError::Gone => 410,
            AppError::Network => 502,
            AppError::Internal => 500,
        }
    }

    /// Logs an internal failure with its context and turns it into [`AppError::Internal`].
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "{context}");
        AppError::Internal
    }

    /// Sets the HTTP status of the current server response (page or server function) to match.
    #[cfg(feature = "ssr")]
    pub fn set_response_status(&self) {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = http::StatusCode::from_u16(self.status()) {
                response.set_status(status);
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => AppError::NotFound,
            other => AppError::internal("database error", other),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Network,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            ServerFnErrorErr::Deserialization(_) => AppError::Network,
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failure");
                let _ = other;
                AppError::Internal
            }
        }
    }
}

/// One field of a form that could not be accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's `name`.
    pub field: String,
    pub problem: FieldProblem,
}

/// Why a field could not be accepted; each has a translated sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldProblem {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    Mismatch,
    WrongPassword,
    /// Not one of the values offered (a year out of range).
    Invalid,
    /// Already exists (a class name in that year, a username).
    Taken,
    BadClassName,
    /// Not a URL name (lower-case Latin letters, digits and single hyphens).
    BadSlug,
    BadName,
    BadUsername,
    BadDate,
    FutureDate,
    OutOfRange {
        min: usize,
        max: usize,
    },
    FileTooLarge {
        max_kib: usize,
    },
    /// The family invite code is unknown, used, revoked or expired (never says which).
    BadInviteCode,
    /// An upload whose content is not one of the accepted types (whatever its name says).
    FileTypeNotAllowed,
    /// An image that cannot be read.
    BrokenImage,
    /// An image with more pixels than the server decodes (or a decompression bomb).
    ImageTooLarge,
    /// The project's file quota would be exceeded; this many KiB are still free.
    QuotaExceeded {
        free_kib: usize,
    },
    /// Returning a submission for revision needs a remark or a comment saying what to change.
    RemarksRequired,
    /// Level descriptors come as five lines, for 0 to 4 points.
    FiveLevels,
    /// The file is not a catalogue export (ISO 2709 or MARCXML).
    NotACatalogue,
    /// Not an ISBN: 10 or 13 digits whose check digit matches.
    BadIsbn,
    /// A source that a page cites (`[@key]`) cannot leave the list.
    CitedOnPage,
    /// An end date before the start date.
    EndsBeforeStart,
}

impl FieldError {
    /// The problem `problem` with the form field named `field`.
    pub fn new(field: &str, problem: FieldProblem) -> Self {
        FieldError {
            field: field.into(),
            problem,
        }
    }
}

impl AppError {
    /// The problem with one field, if this error names it.
    pub fn field_problem(&self, field: &str) -> Option<FieldProblem> {
        match self {
            AppError::Invalid(errors) => {
                errors.iter().find(|e| e.field == field).map(|e| e.problem)
            }
            _ => None,
        }
    }
}

/// Shorthand used by server functions.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_match_http_meaning() {
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::Unauthorized.status(), 401);
        assert_eq!(AppError::BadRequest.status(), 400);
        assert_eq!(AppError::Internal.status(), 500);
    }

    #[test]
    fn transport_failures_never_carry_internal_text() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "SELECT * FROM secret failed at /srv/data/libfolio.db".into(),
        ));
        assert_eq!(e, AppError::Internal);
        let json = serde_json::to_string(&e).unwrap_or_default();
        assert!(!json.contains("SELECT"));
        assert!(!json.contains("/srv"));
    }
}
