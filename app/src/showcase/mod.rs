//! The showcase: what schools show of their pupils' work beyond the project's own people.
//!
//! Publication is a gate of its own, after review: a supervisor or the school's librarian
//! publishes an **accepted snapshot** (never the working copy) to an [`Audience`], or shares it by
//! a secret link that expires, and can take it down at any time; each step is audited. A
//! published project is immutable: its pages are the snapshot's revisions (rendered once, when
//! saved), its list of sources and its people were frozen at submission. Pupils appear by their
//! public name (first name, initial, class) only with a consent to publish on file, otherwise
//! they are counted, not named; no surname, e-mail or birth date reaches a published page.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod feeds;
#[cfg(feature = "ssr")]
pub mod search;
pub mod ui;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::markdown::{SafeHtml, TocEntry};
use crate::people::SchoolRef;
use crate::projects::Passport;

/// Who may read a publication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Audience {
    /// The project's people and their parents: those who read the project already, now shown
    /// the finished work.
    Parents,
    /// Also every signed-in pupil and teacher of the school.
    School,
    /// Everyone.
    Public,
    /// Whoever has the secret link, until it expires.
    Link,
}

impl Audience {
    /// The audiences a publisher chooses from (a link is made by a form of its own).
    pub const CHOSEN: [Audience; 3] = [Audience::Parents, Audience::School, Audience::Public];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Parents => "parents",
            Audience::School => "school",
            Audience::Public => "public",
            Audience::Link => "link",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        [
            Audience::Parents,
            Audience::School,
            Audience::Public,
            Audience::Link,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// The longest a secret link may live, in days.
pub const MAX_LINK_DAYS: i64 = 90;

/// A page of a published project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedPage {
    pub slug: String,
    pub title: String,
    pub html: SafeHtml,
    pub toc: Vec<TocEntry>,
}

/// A published project as its readers see it. Nothing here can hold a pupil's surname: members
/// are public names, or only counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationView {
    pub project_id: String,
    pub title: String,
    pub topic: String,
    pub subject: String,
    pub passport: Passport,
    pub school: SchoolRef,
    pub academic_year: i32,
    pub published_at: NaiveDateTime,
    pub audience: Audience,
    /// Public names of the members with a consent to publish.
    pub members: Vec<String>,
    /// Members without one: counted, never named.
    pub anonymous_members: usize,
    pub supervisors: Vec<String>,
    pub pages: Vec<PublishedPage>,
    /// The list of sources by ГОСТ Р 7.0.100-2018, in the list's order.
    pub sources: Vec<String>,
    /// The reader may take it down (its publishers, the district).
    pub may_unpublish: bool,
    /// The topic cut for previews.
    pub summary: String,
    /// The site's public address, for the canonical link and previews.
    pub site_url: String,
    /// The reader may download the archive (signed in).
    pub may_export: bool,
    /// (slug, title) of the initiatives the project takes part in.
    pub initiatives: Vec<(String, String)>,
    pub tags: Vec<String>,
    /// The cover image's address (a file of the snapshot), for link previews.
    pub cover: Option<String>,
}

/// An accepted snapshot a publisher may publish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedSnapshot {
    pub number: i64,
    pub decided_at: Option<NaiveDateTime>,
    pub pages: i64,
}

/// The live publication of a project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentPublication {
    pub audience: Audience,
    pub number: i64,
    pub published_at: NaiveDateTime,
}

/// A secret link of a project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareLink {
    pub id: String,
    pub number: i64,
    pub expires_at: NaiveDateTime,
    /// Not expired and not revoked.
    pub live: bool,
}

/// A member as the published pages will show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPreview {
    /// The full name, for the publisher only.
    pub name: String,
    /// The public name; none: shown anonymously (no consent to publish).
    pub public_name: Option<String>,
}

/// The publisher's page of a project: what can be published, what is, and to whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishPanel {
    pub project_id: String,
    pub title: String,
    pub accepted: Vec<AcceptedSnapshot>,
    pub current: Option<CurrentPublication>,
    pub links: Vec<ShareLink>,
    pub members: Vec<MemberPreview>,
    /// The reader may publish (not only take down).
    pub may_publish: bool,
    /// The initiatives the project is in and those it may enter, for a reader who may enter
    /// it in one (read with the panel: one load, no nested resource).
    pub initiatives: Option<Vec<crate::initiatives::InitiativeChoice>>,
}

/// A public publication in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedCard {
    pub project_id: String,
    pub title: String,
    pub summary: String,
    pub school: SchoolRef,
    pub published_at: NaiveDateTime,
}

/// How many publications the home page and a school's page list.
pub const RECENT: i64 = 12;

/// A piece of a search snippet: text as it is, marked when it is a word the query found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    pub text: String,
    pub hit: bool,
}

/// A published project found by search or listed under a tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub project_id: String,
    pub title: String,
    pub summary: String,
    pub school: SchoolRef,
    pub academic_year: i32,
    pub published_at: NaiveDateTime,
    /// Shown only to those who see more than the public: whom it is published to.
    pub audience: Audience,
    pub tags: Vec<String>,
    /// Where the words were found (page title and text around them); empty without a query.
    pub snippet: Vec<Fragment>,
    pub snippet_page: Option<String>,
}

/// An initiative found by search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeHit {
    pub slug: String,
    pub title: String,
    pub organiser: String,
    pub snippet: Vec<Fragment>,
}

/// A project not published (or not to the public) that the staff member searching may open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffHit {
    pub project_id: String,
    pub title: String,
    pub school: SchoolRef,
    pub published: Option<Audience>,
}

/// The filters the search page offers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchFilters {
    pub schools: Vec<SchoolRef>,
    /// (slug, title)
    pub initiatives: Vec<(String, String)>,
    pub years: Vec<i32>,
    /// The most used tags of public publications, with their counts.
    pub tags: Vec<(String, i64)>,
}

/// `/search` and `/tags/:tag`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub school: String,
    pub initiative: String,
    pub year: Option<i32>,
    pub tag: String,
    pub hits: Vec<SearchHit>,
    pub total: usize,
    /// 1-based.
    pub page: usize,
    pub pages: usize,
    pub initiatives: Vec<InitiativeHit>,
    /// Staff: projects they may open that match the query by title, topic or tags.
    pub staff: Vec<StaffHit>,
    pub staff_searched: bool,
    pub filters: SearchFilters,
}

/// Search results per page.
pub const HITS_PER_PAGE: usize = 20;

/// A project of a parent's child on the home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildProject {
    pub project_id: String,
    pub title: String,
    pub school: SchoolRef,
    pub page_count: i64,
    pub updated_at: NaiveDateTime,
    pub published: Option<Audience>,
}
