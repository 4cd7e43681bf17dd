//! The library catalogue: each school's fund and the district's shared e-resources, with the
//! import from the formats school library systems export and a
//! search index of stemmed words, so that «книга», «книги» and «книгой» find each other.
//! `marc` reads the exports of school library systems leniently (ISO 2709 RUSMARC and MARC21 in
//! UTF-8 or windows-1251, MARCXML), reporting each broken record; `gost` writes a record's
//! description by ГОСТ Р 7.0.100-2018 (electronic resources by ГОСТ Р 7.0.108-2022).

pub mod api;
#[cfg(feature = "ssr")]
pub mod cite;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod gost;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod marc;
#[cfg(feature = "ssr")]
pub mod search;
pub mod ui;

use chrono::NaiveDateTime;

use crate::people::SchoolRef;

use serde::{Deserialize, Serialize};

/// The address name of the district's e-resources shared by every school, managed like a
/// school's fund (`/manage/district/catalog`) by the coordinator and administrators.
pub const DISTRICT_FUND: &str = "district";

/// What a catalogue record describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordKind {
    /// A printed book in the fund (copies, shelf mark, availability).
    PrintedBook,
    /// An e-book (ЛитРес and other electronic libraries).
    EBook,
    /// A document of the Национальная электронная библиотека (rusneb.ru).
    Neb,
    /// A digital textbook or other material of the Лекта platform.
    Lecta,
    /// An article in a journal or a collection.
    Article,
    /// A web resource.
    Web,
    /// Other media: video, audio, maps, pictures, discs.
    Other,
}

impl RecordKind {
    pub const ALL: [RecordKind; 7] = [
        RecordKind::PrintedBook,
        RecordKind::EBook,
        RecordKind::Neb,
        RecordKind::Lecta,
        RecordKind::Article,
        RecordKind::Web,
        RecordKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::PrintedBook => "printed_book",
            RecordKind::EBook => "ebook",
            RecordKind::Neb => "neb",
            RecordKind::Lecta => "lecta",
            RecordKind::Article => "article",
            RecordKind::Web => "web",
            RecordKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Read online, and so always to be had (an access date goes with its citation).
    pub fn is_online(self) -> bool {
        matches!(
            self,
            RecordKind::EBook | RecordKind::Neb | RecordKind::Lecta | RecordKind::Web
        )
    }
}

/// Why a record of an imported file was skipped (translated by the interface).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SkipReason {
    /// The bytes are not a record at all.
    NotARecord,
    /// The record ends before its declared length.
    Truncated,
    /// Its directory does not match its data.
    BadDirectory,
    /// Broken MARCXML.
    BadXml,
    /// A record without a title cannot be cited.
    NoTitle,
    /// A CSV row whose kind is none of the template's.
    BadKind,
    /// An ISBN with a wrong check digit.
    BadIsbn,
    /// A year that is not a publication year.
    BadYear,
    /// An age rating other than 0+, 6+, 12+, 16+, 18+.
    BadAgeRating,
    /// Shelf marks or availabilities that do not match the inventory numbers.
    BadCopies,
    /// An access mode other than the template's.
    BadAccess,
}

/// One skipped record: its number in the file (from 1) and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub index: usize,
    pub reason: SkipReason,
    /// `index` is a line of a CSV file, not a record's number.
    #[serde(default)]
    pub line: bool,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub skipped: Vec<Skipped>,
}

/// The largest catalogue file accepted (a school's whole fund exported at once).
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;
/// Search results per page.
pub const RESULTS_PER_PAGE: i64 = 25;

/// An import in the list of a school's imports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub id: String,
    pub file_name: String,
    pub at: NaiveDateTime,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
}

/// A school's catalogue for its librarian: counts, the import form, past imports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogAdmin {
    pub school: SchoolRef,
    /// The least number of sources the school asks of a project.
    pub min_sources: i64,
    pub by_kind: Vec<(RecordKind, i64)>,
    pub imports: Vec<ImportSummary>,
}

/// One import's report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub school: SchoolRef,
    pub summary: ImportSummary,
    pub skipped: Vec<Skipped>,
}

/// A record in search results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundRecord {
    pub id: String,
    pub kind: RecordKind,
    pub title: String,
    pub authors: String,
    pub year: Option<i64>,
    pub description: String,
    /// The school whose fund holds it; none for the district's shared e-resources.
    pub school: Option<String>,
}

/// A page of search results with the filters that made it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub school: String,
    pub kind: String,
    /// Only what can be had now: a copy on the shelf, or an online resource.
    pub available: bool,
    /// The highest age rating shown (436-ФЗ: 0, 6, 12, 16, 18); none for all.
    pub age: Option<u8>,
    pub page: i64,
    pub has_more: bool,
    pub records: Vec<FoundRecord>,
    pub schools: Vec<SchoolRef>,
}

/// A record's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    pub id: String,
    pub kind: RecordKind,
    pub description: String,
    pub title: String,
    pub authors: String,
    pub year: Option<i64>,
    pub isbn: Option<String>,
    pub age_rating: Option<String>,
    pub url: Option<String>,
    /// Who may open it online, when the librarian has said (`gost::AccessMode` by name).
    pub access: Option<String>,
    pub school: Option<String>,
    pub subjects: Vec<String>,
    pub annotation: Option<String>,
    /// The copies of this record in its school's fund.
    pub copies: Vec<CopyView>,
    /// The same book in each school's fund (by ISBN): copies and how many are on the shelf.
    pub holdings: Vec<Holding>,
    /// Projects citing it that the reader may open.
    pub citing: Vec<CitingProject>,
    /// How many projects cite it in all.
    pub cited_by: i64,
    /// The reader manages this record's school catalogue (copies, editing, merging).
    pub may_manage: bool,
    /// The reader may correct the record: manages its school's catalogue, or for the
    /// district's shared records, the district's.
    pub may_edit: bool,
    /// The address name of the fund that holds it: its school's, or [`DISTRICT_FUND`].
    pub school_slug: Option<String>,
    /// Records of the same school that look like the same book (same ISBN, or title and year).
    pub duplicates: Vec<FoundRecord>,
}

/// The fields of the librarian's form for a record, as text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordFields {
    pub kind: String,
    /// One author per line: «Фамилия Имя Отчество» or «Фамилия И. О.».
    pub authors: String,
    pub title: String,
    pub other_title: String,
    pub responsibility: String,
    pub edition: String,
    pub place: String,
    pub publisher: String,
    pub year: String,
    pub extent: String,
    pub series: String,
    pub isbn: String,
    pub host_title: String,
    pub host_issue: String,
    pub host_pages: String,
    pub url: String,
    /// Who may open an online resource (`gost::AccessMode` by name); empty for the kind's usual.
    pub access: String,
    pub age_rating: String,
    /// One subject or keyword per line.
    pub subjects: String,
    pub annotation: String,
}

/// The librarian's form for a new record or an edited one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordForm {
    pub school: SchoolRef,
    /// None for a new record.
    pub record_id: Option<String>,
    pub fields: RecordFields,
}

/// A copy of a printed book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyView {
    pub id: String,
    pub inventory_number: String,
    pub shelf_mark: String,
    pub available: bool,
}

/// One school's copies of a book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holding {
    pub school: String,
    pub record_id: String,
    pub copies: i64,
    pub available: i64,
}

/// A project that lists a record among its sources.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitingProject {
    pub id: String,
    pub title: String,
    pub school: String,
    /// Shown as its public publication (`/p/{id}`), not as the working project.
    pub published: bool,
}

/// Age ratings of Russian law 436-ФЗ, from the youngest.
pub const AGE_RATINGS: [&str; 5] = ["0+", "6+", "12+", "16+", "18+"];

/// The ratings at most `age`.
pub fn ratings_up_to(age: u8) -> Vec<&'static str> {
    AGE_RATINGS
        .into_iter()
        .filter(|r| {
            r.trim_end_matches('+')
                .parse::<u8>()
                .is_ok_and(|n| n <= age)
        })
        .collect()
}

/// A source in a project's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceItem {
    pub id: String,
    pub description: String,
    /// The key pages cite it by: `[@key]`.
    pub cite_key: String,
    /// The catalogue record it came from (none for a source entered by hand).
    pub record_id: Option<String>,
}

/// A project's list of sources with the picker's results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcesView {
    pub project_id: String,
    pub project_title: String,
    pub sources: Vec<SourceItem>,
    /// The numbered list as plain text, to copy into the written part.
    pub plain_text: String,
    /// The least number of sources the school asks for.
    pub min_sources: i64,
    pub query: String,
    /// Catalogue records of the project's school (and the district's) for the query.
    pub found: Vec<FoundRecord>,
    pub may_edit: bool,
}
