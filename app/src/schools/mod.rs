//! The district this instance serves and its schools (each with its information and library
//! centre, ИБЦ): the types shared by the server and the browser.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod ui;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The district: one instance of Libfolio serves one municipal district.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    pub name: String,
    pub region: String,
    pub contact_email: Option<String>,
    pub website: Option<String>,
}

/// A school as it appears in lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolSummary {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub town: String,
    pub ibc_name: Option<String>,
}

/// A school's own page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct School {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub town: String,
    pub ibc_name: Option<String>,
    pub address: Option<String>,
    pub description: Option<String>,
    /// The day the school joined Libfolio, in the district's time zone.
    pub joined_on: NaiveDate,
}

/// What the home page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    /// `None` until the district has been set up.
    pub district: Option<District>,
    pub schools: Vec<SchoolSummary>,
}

/// A school's editable fields, as the form sends and shows them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolForm {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub town: String,
    pub ibc_name: String,
    pub address: String,
    pub description: String,
}

/// The short name used in URLs: lower-case Latin letters, digits and single hyphens.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 64;

    /// Accepts `sosh-1`, refuses `Sosh 1`, `-a`, `a--b`, `../x` and anything longer than 64.
    pub fn parse(input: &str) -> Option<Slug> {
        let ok = !input.is_empty()
            && input.len() <= Self::MAX_LEN
            && input
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !input.starts_with('-')
            && !input.ends_with('-')
            && !input.contains("--");
        ok.then(|| Slug(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe_words() {
        for good in ["sosh-1", "gimnaziya-3", "a", "x1-2-3"] {
            assert!(Slug::parse(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "Sosh-1",
            "sosh 1",
            "-a",
            "a-",
            "a--b",
            "../etc",
            "школа",
            &"a".repeat(65),
        ] {
            assert!(Slug::parse(bad).is_none(), "{bad}");
        }
    }
}
