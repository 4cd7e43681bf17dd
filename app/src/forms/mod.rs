//! Forms that come back with an error keep what the reader typed.
//!
//! Forms are plain posts to their server function (with JavaScript on or off): the server function
//! redirects back to the page with the error in the address (`__path`, `__err`), and the page
//! would render its form empty or with the stored values, losing whatever the reader typed.
//! [`echo`] (server only) keeps the posted values of such a refused form for an hour, bound to the
//! reader's session, and adds their token to the address (`__form`); the page's form reads them
//! back with [`typed`].

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod echo;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Whether the server function at `path` has a form that shows its typed values again. Only
/// these forms' values are kept: never a password form's, never a file upload's.
#[cfg(feature = "ssr")]
pub fn is_echoed(path: &str) -> bool {
    use crate::projects::api::{CreateProject, ProposeProject, SavePage, UpdatePassport};
    use crate::review::api::{
        AddDiaryEntry, AddRemark, DecideSubmission, ReplyToRemark, SaveSupervisorReview,
        UpdateCriterion,
    };
    use leptos::server_fn::ServerFn;
    [
        SavePage::PATH,
        ProposeProject::PATH,
        CreateProject::PATH,
        UpdatePassport::PATH,
        AddDiaryEntry::PATH,
        AddRemark::PATH,
        ReplyToRemark::PATH,
        DecideSubmission::PATH,
        SaveSupervisorReview::PATH,
        UpdateCriterion::PATH,
        crate::initiatives::api::SaveInitiative::PATH,
        crate::schools::api::SaveSchool::PATH,
        crate::catalog::api::AddOwnSource::PATH,
        crate::catalog::api::SaveCatalogRecord::PATH,
        crate::people::api::CreateClass::PATH,
        crate::people::api::CreateStaff::PATH,
        crate::people::api::AddPupil::PATH,
    ]
    .contains(&path)
}

/// The query parameter that carries the token of a failed form's values.
pub const PARAM: &str = "__form";

/// The values of a failed form, in the order they were posted (a name may repeat).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormEcho {
    pub fields: Vec<(String, String)>,
}

impl FormEcho {
    /// The first value posted under a name.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether a name was posted with this value (a ticked checkbox).
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.fields.iter().any(|(n, v)| n == name && v == value)
    }
}

/// What the reader typed into one form, when it came back with an error; empty otherwise.
#[derive(Debug, Clone, Default)]
pub struct Typed(Option<Arc<FormEcho>>);

impl Typed {
    /// Whether the form came back with the reader's values.
    pub fn is_echo(&self) -> bool {
        self.0.is_some()
    }

    /// The typed value of a field, else `stored` (what the page shows normally).
    pub fn or(&self, name: &str, stored: impl Into<String>) -> String {
        match &self.0 {
            Some(echo) => echo.value(name).unwrap_or_default().to_owned(),
            None => stored.into(),
        }
    }

    /// The typed value of a field that starts empty.
    pub fn get(&self, name: &str) -> String {
        self.or(name, String::new())
    }

    /// Whether a checkbox, radio button or option was chosen, else `stored`.
    pub fn chosen(&self, name: &str, value: &str, stored: bool) -> bool {
        match &self.0 {
            Some(echo) => echo.has(name, value),
            None => stored,
        }
    }
}

/// The values the reader typed into the form of the server function at `path`, when the server
/// sent them back with its error (see the module's comment). Always empty in the browser: the
/// server renders the values and hydration keeps them.
pub fn typed(path: &'static str) -> Typed {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        let echo = use_context::<http::request::Parts>().and_then(|parts| {
            let failed = parts
                .uri
                .query()
                .is_some_and(|q| echo::query_pairs(q).any(|(n, v)| n == "__path" && v == path));
            failed
                .then(|| parts.extensions.get::<Arc<FormEcho>>().cloned())
                .flatten()
        });
        Typed(echo)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = path;
        Typed(None)
    }
}
