//! The library catalogue: each school's fund and the district's shared e-resources, with the
//! import from the formats school library systems export (the `catalog` crate reads them) and a
//! search index of stemmed words, so that «книга», «книги» and «книгой» find each other.

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod search;

use serde::{Deserialize, Serialize};

/// What a catalogue record describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordKind {
    /// A printed book in the fund (copies, shelf mark, availability).
    PrintedBook,
    /// An e-book (ЛитРес and other electronic libraries).
    EBook,
    /// A document of the Национальная электронная библиотека (rusneb.ru).
    Neb,
    /// An article in a journal or a collection.
    Article,
    /// A web resource.
    Web,
    /// Other media: video, audio, maps, pictures, discs.
    Other,
}

impl RecordKind {
    pub const ALL: [RecordKind; 6] = [
        RecordKind::PrintedBook,
        RecordKind::EBook,
        RecordKind::Neb,
        RecordKind::Article,
        RecordKind::Web,
        RecordKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::PrintedBook => "printed_book",
            RecordKind::EBook => "ebook",
            RecordKind::Neb => "neb",
            RecordKind::Article => "article",
            RecordKind::Web => "web",
            RecordKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s)
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
}

/// One skipped record: its number in the file (from 1) and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub index: usize,
    pub reason: SkipReason,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub skipped: Vec<Skipped>,
}
