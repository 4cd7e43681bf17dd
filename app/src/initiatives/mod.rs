//! Initiatives: the district's and the region's reading and project programmes («Фестиваль
//! коренных народов Дальнего Востока», «Читаем вместе Дальневосточную книгу») and a school's own.
//!
//! The coordinator creates one with its dates, organiser and description (Markdown, rendered
//! once on save like a project's pages), chooses the participating schools and puts together a
//! reading list from the catalogue; each item shows whether each participating school's fund has
//! it. Supervisors (and the school's librarian) enter their projects; the initiative's page
//! groups them by school, and shows each one as far as the reader may see it: the published
//! snapshot, or for the project's own people the project itself; the rest are only counted.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod ui;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::markdown::SafeHtml;
use crate::people::SchoolRef;

/// Who runs an initiative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Level {
    /// A school's own programme (its school is the host).
    School,
    /// The municipal district's.
    Municipal,
    /// The krai's.
    Regional,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Regional, Level::Municipal, Level::School];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::School => "school",
            Level::Municipal => "municipal",
            Level::Regional => "regional",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// The longest description, in characters.
pub const MAX_DESCRIPTION: usize = 20_000;
/// The longest reading list.
pub const MAX_READING: usize = 100;
/// Address names that are pages of their own.
pub const RESERVED_SLUGS: [&str; 1] = ["new"];

/// An initiative in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeCard {
    pub slug: String,
    pub title: String,
    pub level: Level,
    pub organiser: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Projects entered, across all schools.
    pub projects: i64,
}

/// The initiatives page: current and coming ones first, then the finished ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativesList {
    pub current: Vec<InitiativeCard>,
    pub past: Vec<InitiativeCard>,
    pub may_manage: bool,
}

/// A reading-list item's copies in one participating school's fund.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    pub school: SchoolRef,
    /// The school's catalogue has the book (its copies may not be counted yet).
    pub in_catalogue: bool,
    pub copies: i64,
    pub available: i64,
}

/// An item of the reading list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingItem {
    pub record_id: String,
    /// The record's description by ГОСТ Р 7.0.100-2018.
    pub description: String,
    /// An e-resource: read online, wherever the reader is.
    pub online: bool,
    /// Each participating school, in the list's order of schools (none copies: not in its fund).
    pub per_school: Vec<Availability>,
}

/// A project entered in the initiative, as the reader may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnteredProject {
    pub title: String,
    /// The published snapshot (`/p/…`) or, for the project's own people, the project.
    pub href: String,
    pub published: bool,
}

/// The projects of one school in an initiative.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolProjects {
    pub school: SchoolRef,
    pub projects: Vec<EnteredProject>,
    /// Projects the reader may not see yet (in work, or published to others): only counted.
    pub hidden: usize,
}

/// An initiative's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeView {
    pub slug: String,
    pub title: String,
    pub level: Level,
    pub organiser: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub html: SafeHtml,
    /// The school that runs a school-level initiative.
    pub host: Option<SchoolRef>,
    pub schools: Vec<SchoolRef>,
    pub reading: Vec<ReadingItem>,
    pub groups: Vec<SchoolProjects>,
    pub may_manage: bool,
    /// A one-line summary for previews.
    pub summary: String,
    pub site_url: String,
}

/// The fields of an initiative as its form posts them (dates as typed, `YYYY-MM-DD`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeForm {
    pub slug: String,
    pub title: String,
    pub level: String,
    /// The host school's address name (school level only).
    #[serde(default)]
    pub school: String,
    pub organiser: String,
    pub starts_on: String,
    pub ends_on: String,
    #[serde(default)]
    pub description: String,
}

/// A record on the coordinator's reading list, or found to be added to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordChoice {
    pub record_id: String,
    pub description: String,
    /// The fund it belongs to (a school's short name; none: the district's e-resources).
    pub fund: Option<String>,
}

/// The coordinator's page of one initiative.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeEditor {
    pub form: InitiativeForm,
    /// Every school, and whether it takes part.
    pub schools: Vec<(SchoolRef, bool)>,
    pub reading: Vec<RecordChoice>,
    /// Catalogue records matching the search typed on the page (not yet on the list).
    pub found: Vec<RecordChoice>,
    pub query: String,
}

/// The coordinator's list of initiatives and the form of a new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativesAdmin {
    pub initiatives: Vec<InitiativeCard>,
    pub schools: Vec<SchoolRef>,
}

/// An initiative a project is entered in, or may be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeChoice {
    pub slug: String,
    pub title: String,
    pub entered: bool,
}

/// Whether an initiative is on (or coming) on `today`.
pub fn is_current(ends_on: NaiveDate, today: NaiveDate) -> bool {
    ends_on >= today
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_their_stored_names() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Some(level));
        }
        assert_eq!(Level::parse("federal"), None);
    }

    #[test]
    fn an_initiative_is_current_through_its_last_day() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).expect("date");
        assert!(is_current(day(28), day(28)));
        assert!(is_current(day(30), day(28)));
        assert!(!is_current(day(27), day(28)));
    }
}
