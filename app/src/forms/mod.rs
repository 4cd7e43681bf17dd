//! Forms that come back with an error keep what the reader typed.
//!
//! With JavaScript, a form's values stay in the page while its server function answers. Without
//! it, the browser posts the form, the server function redirects back to the page with the error
//! in the address (`__path`, `__err`), and the page would render its form empty or with the
//! stored values: whatever the reader typed was lost. [`echo`] (server only) keeps the posted
//! values of such a failed form for an hour, bound to the reader's session, and adds their token
//! to the address (`__form`); the page's form reads them back with [`typed`].

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

    /// Whether a checkbox or radio button was ticked, else `stored`.
    pub fn checked(&self, name: &str, value: &str, stored: bool) -> bool {
        match &self.0 {
            Some(echo) => echo.has(name, value),
            None => stored,
        }
    }

    /// The typed choice of a select, else `stored`.
    pub fn selected(&self, name: &str, value: &str, stored: bool) -> bool {
        self.checked(name, value, stored)
    }
}

/// The values the reader typed into the form of the server function at `path`, when the server
/// sent them back with its error (see the module's comment). Empty with JavaScript, where the
/// form keeps its values by itself.
pub fn typed(path: &'static str) -> Typed {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        let echo = use_context::<http::request::Parts>().and_then(|parts| {
            let failed = parts
                .uri
                .query()
                .is_some_and(|q| form_urlencoded_has(q, "__path", path));
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

/// Whether a query string has `name=value` (values compared after decoding).
#[cfg(feature = "ssr")]
fn form_urlencoded_has(query: &str, name: &str, value: &str) -> bool {
    echo::query_pairs(query).any(|(n, v)| n == name && v == value)
}
