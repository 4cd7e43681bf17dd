//! Lenient reader of library catalogue exports (RUSMARC and MARC21, ISO 2709 and MARCXML).
//!
//! School libraries in Russia export their catalogues from 1С:Библиотека, ИРБИС, MARC-SQL
//! and similar systems. What arrives is seldom textbook ISO 2709: the encoding is UTF-8 or
//! windows-1251 whatever the record claims, directory lengths are counted in characters after a
//! re-encoding, records are glued together with or without line breaks, and the last record is
//! often cut off. This module reads what it can and reports, by record number, what it had to
//! skip, so one broken record never costs the user the whole file.
//!
//! The entry point is [`read`]: bytes in, normalised [`CatalogRecord`]s and [`Problem`]s out.
//! [`read_raw`] gives the tag-level [`RawRecord`]s for callers that need more fields.
//!
//! How the reader decides, in order:
//! - Format, by content: XML if the first character after a BOM and white space is `<`,
//!   otherwise ISO 2709. The file name is never consulted.
//! - Encoding, per record: UTF-8 when the bytes have its shape (windows-1251 Cyrillic is
//!   practically never valid UTF-8), whatever the leader or 100$a declare; otherwise a
//!   single-byte code page: a declared KOI8-R ("99") or CP866 ("79") if it decodes to mostly
//!   lower-case Russian, else windows-1251 unless that gives mostly capitals and another code
//!   page does not. XML uses its BOM or declaration the same way.
//! - Record boundaries: the leader's length if the terminator is there, else the next
//!   terminator, else the next leader-shaped position (so a truncated record does not swallow
//!   the next one).
//! - Fields: the directory if it fits the data exactly, else the data split at field
//!   terminators with the directory's tags in order (lengths counted in characters, line
//!   breaks inserted every 80 bytes, wrong base address).
//! - Flavour: by which tags are present (200/210/215… or 245/260/300…), the leader breaking ties.
//!
//! Nothing here produces text for people: problems are enum values that the app translates.

use std::collections::HashSet;

use encoding_rs::{Encoding, IBM866, KOI8_R, UTF_16BE, UTF_16LE, WINDOWS_1251};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;

/// ISO 2709 record terminator.
const RECORD_TERMINATOR: u8 = 0x1D;
/// ISO 2709 field terminator.
const FIELD_TERMINATOR: u8 = 0x1E;
/// ISO 2709 subfield delimiter.
const SUBFIELD_DELIMITER: u8 = 0x1F;
/// Length of the record leader, fixed by ISO 2709.
const LEADER_LEN: usize = 24;
/// Length of one directory entry with the "45" entry map both RUSMARC and MARC21 use.
const DIRECTORY_ENTRY_LEN: usize = 12;

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/// Which cataloguing format the record's tags follow.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Flavour {
    /// RUSMARC (Russian UNIMARC): title in 200, publication in 210, authors in 700/701.
    #[default]
    Rusmarc,
    /// MARC 21: title in 245, publication in 260/264, authors in 100/700.
    Marc21,
}

/// Character encoding a record was decoded from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum TextEncoding {
    /// UTF-8 (RUSMARC "50", MARC21 leader/09 "a").
    #[default]
    Utf8,
    /// UTF-16 with a byte order mark; only seen in XML saved by Windows tools.
    Utf16,
    /// windows-1251, the usual encoding of 1С and ИРБИС exports.
    Windows1251,
    /// KOI8-R (RUSMARC character set "99").
    Koi8R,
    /// CP866, DOS Cyrillic (RUSMARC character set "79").
    Cp866,
}

/// One subfield of a data field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subfield {
    /// Subfield code, e.g. `'a'`.
    pub code: char,
    /// Value as decoded, without any clean-up.
    pub value: String,
}

/// One field of a record, as found in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// Control field (tags 001–009): a value without indicators or subfields.
    Control {
        /// Three-character tag.
        tag: String,
        /// Value as decoded.
        value: String,
    },
    /// Data field with two indicators and subfields.
    Data {
        /// Three-character tag.
        tag: String,
        /// First indicator (space when blank or missing).
        ind1: char,
        /// Second indicator (space when blank or missing).
        ind2: char,
        /// Subfields in file order.
        subfields: Vec<Subfield>,
    },
}

impl Field {
    /// The field's tag.
    pub fn tag(&self) -> &str {
        match self {
            Field::Control { tag, .. } | Field::Data { tag, .. } => tag,
        }
    }

    /// The indicators of a data field; two spaces for a control field.
    pub fn indicators(&self) -> (char, char) {
        match self {
            Field::Control { .. } => (' ', ' '),
            Field::Data { ind1, ind2, .. } => (*ind1, *ind2),
        }
    }

    /// All subfields of a data field; empty for a control field.
    pub fn subfields(&self) -> &[Subfield] {
        match self {
            Field::Control { .. } => &[],
            Field::Data { subfields, .. } => subfields,
        }
    }

    /// The value of the first subfield with this code.
    pub fn subfield(&self, code: char) -> Option<&str> {
        self.values(code).next()
    }

    /// The values of every subfield with this code, in order.
    pub fn values(&self, code: char) -> impl Iterator<Item = &str> + '_ {
        self.subfields()
            .iter()
            .filter(move |s| s.code == code)
            .map(|s| s.value.as_str())
    }

    /// The value of a control field.
    pub fn control_value(&self) -> Option<&str> {
        match self {
            Field::Control { value, .. } => Some(value),
            Field::Data { .. } => None,
        }
    }
}

/// A record at tag level, before any interpretation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawRecord {
    /// The 24-character leader (spaces when the source had none).
    pub leader: String,
    /// Control and data fields in file order.
    pub fields: Vec<Field>,
    /// The encoding the record's text was decoded from.
    pub encoding: TextEncoding,
}

impl RawRecord {
    /// Every field with this tag, in order.
    pub fn fields_tagged<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.fields.iter().filter(move |f| f.tag() == tag)
    }

    /// The first field with this tag.
    pub fn first(&self, tag: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.tag() == tag)
    }

    /// The first subfield `code` of the first field `tag` that has one.
    pub fn subfield(&self, tag: &str, code: char) -> Option<&str> {
        self.fields
            .iter()
            .filter(|f| f.tag() == tag)
            .find_map(|f| f.subfield(code))
    }

    /// The value of the first control field with this tag.
    pub fn control_value(&self, tag: &str) -> Option<&str> {
        self.fields
            .iter()
            .filter(|f| f.tag() == tag)
            .find_map(Field::control_value)
    }

    /// Decides whether the tags are RUSMARC or MARC21.
    ///
    /// Tags decide first, because exports copy leaders carelessly; the leader's entry map
    /// ("4500" in MARC21, "450 " in RUSMARC) only breaks a tie. Without any clue, RUSMARC wins:
    /// it is what Russian school libraries use.
    pub fn flavour(&self) -> Flavour {
        const RUSMARC_TAGS: [&str; 10] = [
            "200", "210", "214", "215", "010", "101", "225", "461", "463", "606",
        ];
        const MARC21_TAGS: [&str; 10] = [
            "245", "260", "264", "300", "020", "008", "041", "490", "650", "773",
        ];
        let count = |tags: &[&str]| tags.iter().filter(|t| self.first(t).is_some()).count();
        let (rusmarc, marc21) = (count(&RUSMARC_TAGS), count(&MARC21_TAGS));
        if rusmarc != marc21 {
            return if rusmarc > marc21 {
                Flavour::Rusmarc
            } else {
                Flavour::Marc21
            };
        }
        if self.leader.get(20..24) == Some("4500") {
            Flavour::Marc21
        } else {
            Flavour::Rusmarc
        }
    }
}

/// A personal name split the way a bibliography needs it.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Person {
    /// Family name, or the whole name for names entered under a forename ("Агапит", "Павел I").
    pub family: String,
    /// Given names as the record has them: full ("Сергей Юрьевич") or initials ("С. Ю."); may be empty.
    pub given: String,
}

impl Person {
    /// Initials of the given names, "И. О." style: "Сергей Юрьевич" and "С.Ю." both give "С. Ю.",
    /// "Жан-Поль" gives "Ж.-П.". Empty when there are no given names.
    pub fn initials(&self) -> String {
        self.given
            .split(|c: char| c.is_whitespace() || c == '.')
            .filter_map(|word| {
                let parts: Vec<String> = word
                    .split('-')
                    .filter_map(|p| p.chars().find(|c| c.is_alphabetic()))
                    .map(|c| format!("{}.", c.to_uppercase()))
                    .collect();
                (!parts.is_empty()).then(|| parts.join("-"))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What a person other than an author did, as far as the record says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Role {
    /// Author (RUSMARC relator 070, MARC21 "aut").
    Author,
    /// Editor (340, "edt", "ред.").
    Editor,
    /// Translator (730, "trl", "пер.").
    Translator,
    /// Compiler (220, "com", "сост.").
    Compiler,
    /// Illustrator (440, "ill", "ил.", "худож.").
    Illustrator,
    /// Any other relator, with the code or term as recorded.
    Other(String),
}

/// A person with secondary responsibility (editor, translator, compiler…).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Contributor {
    /// The person.
    pub person: Person,
    /// Their role, when the record codes one.
    pub role: Option<Role>,
}

/// An ISBN, normalised for comparison and kept as written for printing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Isbn {
    /// Digits and a final "X" only, e.g. "9785901202500".
    pub normalized: String,
    /// As printed in the record, without qualifiers, e.g. "978-5-901202-50-0".
    pub written: String,
}

impl Isbn {
    /// Extracts an ISBN from a subfield such as "0471383147 (paper : alk. paper)" or
    /// "ISBN 978-5-901202-50-0". Returns `None` unless 10 or 13 characters remain.
    pub fn parse(text: &str) -> Option<Isbn> {
        let text = text.trim_start();
        let text = match text.get(..4) {
            Some(prefix) if prefix.eq_ignore_ascii_case("isbn") => text[4..].trim_start(),
            _ => text,
        };
        let text = text.trim_start_matches([':', ' ']);
        let end = text
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_digit() || matches!(c, '-' | ' ' | 'X' | 'x' | '‐')))
            .map_or(text.len(), |(i, _)| i);
        let written = text[..end].trim_matches(|c: char| c == '-' || c == ' ' || c == '‐');
        let normalized: String = written
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let x_misplaced = normalized
            .char_indices()
            .any(|(i, c)| c == 'X' && (i != 9 || normalized.len() != 10));
        if !matches!(normalized.len(), 10 | 13) || x_misplaced {
            return None;
        }
        Some(Isbn {
            normalized,
            written: written.to_string(),
        })
    }

    /// Whether the check digit is right. Wrong ISBNs are still kept (the book says so),
    /// but the app may want to warn.
    pub fn is_valid(&self) -> bool {
        let digits: Vec<u32> = self
            .normalized
            .chars()
            .map(|c| c.to_digit(10).unwrap_or(10))
            .collect();
        match digits.len() {
            10 => {
                let sum: u32 = digits.iter().zip((1..=10).rev()).map(|(d, w)| d * w).sum();
                sum.is_multiple_of(11)
            }
            13 => {
                let sum: u32 = digits
                    .iter()
                    .enumerate()
                    .map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 })
                    .sum();
                digits.iter().all(|d| *d < 10) && sum.is_multiple_of(10)
            }
            _ => false,
        }
    }
}

/// One volume or part of a multi-part work ("Т. 2 : Стихотворения").
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Part {
    /// Designation and number as recorded, e.g. "Т. 2", "Ч. 1", "Вып. 3".
    pub number: Option<String>,
    /// Title of the part.
    pub title: Option<String>,
    /// Other title information of the part.
    pub other_title: Option<String>,
}

/// The journal, collection or site an article belongs to (RUSMARC 463, MARC21 773).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct HostItem {
    /// Control number of the host record, if linked.
    pub source_id: Option<String>,
    /// Title of the journal or collection.
    pub title: String,
    /// Other title information ("сборник научных трудов").
    pub other_title: Option<String>,
    /// Statement of responsibility of the collection.
    pub responsibility: Option<String>,
    /// Places of publication (collections).
    pub places: Vec<String>,
    /// Publishers (collections).
    pub publishers: Vec<String>,
    /// Year of the issue or collection.
    pub year: Option<i32>,
    /// Volume number, digits as recorded ("62").
    pub volume: Option<String>,
    /// Issue number as recorded ("3", "3 (45)" is reduced to "3").
    pub issue: Option<String>,
    /// Page range with a hyphen, e.g. "15-20".
    pub pages: Option<String>,
    /// ISSN of a journal.
    pub issn: Option<String>,
    /// ISBN of a collection.
    pub isbn: Option<Isbn>,
}

/// A record normalised to what the app stores and what a ГОСТ description needs.
///
/// Strings are cleaned: white space collapsed, ISBD punctuation left at the ends of subfields
/// (" :", " /", " ;", a closing full stop that is not an abbreviation) removed.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct CatalogRecord {
    /// Control number (001).
    pub source_id: Option<String>,
    /// Tag set the record was read as.
    pub flavour: Flavour,
    /// Encoding the record was decoded from.
    pub encoding: TextEncoding,
    /// Authors in record order (RUSMARC 700/701, MARC21 100 and 700 without another role).
    pub authors: Vec<Person>,
    /// Editors, translators, compilers… (RUSMARC 702, MARC21 700 with a non-author role).
    pub contributors: Vec<Contributor>,
    /// Title proper. For one volume of a multi-part work, the title of the whole work.
    pub title: String,
    /// Other title information ("учебное пособие").
    pub other_title: Option<String>,
    /// Volume or part, for one volume of a multi-part work.
    pub part: Option<Part>,
    /// First statement of responsibility as recorded ("сост.: С. Ю. Калинин, И. И. Ильина").
    pub responsibility: Option<String>,
    /// Subsequent statements ("под редакцией И. И. Иванова", "перевод с немецкого").
    pub further_responsibility: Vec<String>,
    /// Edition statement ("2-е изд., испр.").
    pub edition: Option<String>,
    /// Places of publication in order.
    pub places: Vec<String>,
    /// Publishers in order.
    pub publishers: Vec<String>,
    /// Date of publication as recorded ("2007", "1804-1807", "c1999").
    pub date: Option<String>,
    /// Year of publication (the first year of a range).
    pub year: Option<i32>,
    /// Extent ("27 с.", "xxi, 289 p.").
    pub extent: Option<String>,
    /// Series statement, with its own ISBD punctuation inside ("Серия ; вып. 3").
    pub series: Option<String>,
    /// ISBNs in record order.
    pub isbn: Vec<Isbn>,
    /// ISSN.
    pub issn: Option<String>,
    /// Host journal or collection, for an article.
    pub host: Option<HostItem>,
    /// First URL of the record (856$u).
    pub url: Option<String>,
    /// Language code ("rus").
    pub language: Option<String>,
    /// Subject headings and keywords, without repeats.
    pub subjects: Vec<String>,
    /// Age rating of Russian law 436-ФЗ ("12+"), if the record states one.
    pub age_rating: Option<String>,
    /// Annotation or summary.
    pub annotation: Option<String>,
    /// The record describes an electronic resource (type of record, or a medium designation).
    pub electronic: bool,
    /// Leader/06, type of record, with the same codes in RUSMARC and MARC21: 'a' text,
    /// 'e' map, 'g' video, 'i' spoken word, 'j' music recording, 'k' picture, 'l'/'m' electronic.
    pub type_of_record: Option<char>,
    /// Who may open an online resource, when the librarian has said (a НЭБ document in the
    /// reading room, say); none leaves the kind's usual note. Absent from records stored before
    /// it existed, and left out of the stored JSON when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_mode: Option<super::gost::AccessMode>,
    /// The library's own copies that an export carries (RUSMARC 899 or 852, MARC21 852 or 876,
    /// ИРБИС 910); only what has an inventory number. The import stores them as the record's
    /// copies, so they are not part of the stored record.
    #[serde(skip)]
    pub copies: Vec<HeldCopy>,
}

/// A copy of a book in the library's fund, as an export or the CSV template lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeldCopy {
    pub inventory_number: String,
    pub shelf_mark: String,
    pub available: bool,
}

/// Why a record was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// Bytes that do not start a record: garbage before, between or after records.
    NotARecord,
    /// The record ends before the fields its directory lists, or its XML is cut off.
    Truncated,
    /// The directory cannot be read or does not match the data, even leniently.
    BadDirectory,
    /// The XML is malformed; nothing after this point could be read.
    BadXml,
    /// The record was read but has no title, so there is nothing to cite.
    NoTitle,
}

/// A record that was skipped, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Problem {
    /// Position in the file, from 1, counting records and unreadable stretches alike.
    pub index: usize,
    /// What was wrong.
    pub reason: ProblemKind,
}

/// The file as a whole is not a catalogue export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum NotMarc {
    /// Nothing but white space.
    #[error("the file is empty")]
    Empty,
    /// Neither ISO 2709 records nor MARCXML.
    #[error("the file is neither ISO 2709 nor MARCXML")]
    Unrecognised,
}

/// Container format of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    /// Binary ISO 2709 (".mrc", ".iso", ".dat").
    Iso2709,
    /// MARCXML (`<collection>`/`<record>`), with or without namespace.
    MarcXml,
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/// Reads a catalogue export and normalises every readable record.
///
/// Records that cannot be read are skipped and listed as [`Problem`]s; the rest are returned in
/// file order. `Err` only when the file as a whole is empty or not MARC at all.
pub fn read(bytes: &[u8]) -> Result<(Vec<CatalogRecord>, Vec<Problem>), NotMarc> {
    let entries = read_raw(bytes)?;
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        match entry.and_then(|raw| CatalogRecord::from_raw(&raw)) {
            Ok(record) => records.push(record),
            Err(reason) => problems.push(Problem {
                index: i + 1,
                reason,
            }),
        }
    }
    Ok((records, problems))
}

/// Reads a catalogue export at tag level: one entry per record or unreadable stretch, in order.
pub fn read_raw(bytes: &[u8]) -> Result<Vec<Result<RawRecord, ProblemKind>>, NotMarc> {
    match detect_format(bytes)? {
        SourceFormat::MarcXml => {
            let (text, encoding) = decode_xml_document(bytes);
            read_xml(&text, encoding)
        }
        // Some Windows tools put a UTF-8 BOM even before binary records.
        SourceFormat::Iso2709 => read_iso(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)),
    }
}

/// Tells ISO 2709 from MARCXML by content: XML starts with "<" after a BOM and white space.
pub fn detect_format(bytes: &[u8]) -> Result<SourceFormat, NotMarc> {
    if let Some(text) = decode_utf16_with_bom(bytes) {
        let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        return match trimmed.chars().next() {
            None => Err(NotMarc::Empty),
            Some('<') => Ok(SourceFormat::MarcXml),
            Some(_) => Err(NotMarc::Unrecognised),
        };
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match body.iter().find(|b| !is_blank(**b)) {
        None => Err(NotMarc::Empty),
        Some(b'<') => Ok(SourceFormat::MarcXml),
        Some(_) => Ok(SourceFormat::Iso2709),
    }
}

impl CatalogRecord {
    /// Normalises a raw record of either flavour. Fails only when there is no title.
    pub fn from_raw(raw: &RawRecord) -> Result<CatalogRecord, ProblemKind> {
        let record = match raw.flavour() {
            Flavour::Rusmarc => from_rusmarc(raw),
            Flavour::Marc21 => from_marc21(raw),
        };
        if record.title.is_empty() {
            Err(ProblemKind::NoTitle)
        } else {
            Ok(record)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Text decoding
// ---------------------------------------------------------------------------------------------

/// Bytes that may separate records: white space, NUL padding, and DOS end-of-file.
fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0 | 0x1A)
}

fn decode_utf16_with_bom(bytes: &[u8]) -> Option<String> {
    let encoding = if bytes.starts_with(&[0xFF, 0xFE]) {
        UTF_16LE
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        UTF_16BE
    } else {
        return None;
    };
    Some(encoding.decode_with_bom_removal(bytes).0.into_owned())
}

/// Whether bytes are UTF-8, allowing a few broken sequences (a record cut inside a character)
/// as long as well-formed multi-byte characters clearly dominate. windows-1251 Cyrillic is
/// almost never valid UTF-8, so the test separates the two reliably.
fn is_mostly_utf8(bytes: &[u8]) -> bool {
    let mut multibyte = 0usize;
    let mut broken = 0usize;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            broken += 1;
        }
    }
    broken == 0 || multibyte > 3 * broken
}

/// Counts lower- and upper-case Cyrillic letters in a decoding, to compare candidate encodings:
/// Russian text is mostly lower case, and a wrong single-byte code page swaps or scrambles cases.
fn cyrillic_case_counts(text: &str) -> (usize, usize) {
    text.chars().fold((0, 0), |(lower, upper), c| match c {
        'а'..='я' | 'ё' => (lower + 1, upper),
        'А'..='Я' | 'Ё' => (lower, upper + 1),
        _ => (lower, upper),
    })
}

fn encoding_rs_for(encoding: TextEncoding) -> &'static Encoding {
    match encoding {
        TextEncoding::Koi8R => KOI8_R,
        TextEncoding::Cp866 => IBM866,
        _ => WINDOWS_1251,
    }
}

/// Chooses a single-byte Cyrillic code page for bytes that are not UTF-8.
///
/// windows-1251 is the default because that is what 1С and ИРБИС write. A declared KOI8-R or
/// CP866 is believed if it decodes to mostly lower case; another code page is chosen without a
/// declaration only when windows-1251 yields mostly capitals and the other clearly does not.
fn choose_single_byte(bytes: &[u8], declared: Option<TextEncoding>) -> TextEncoding {
    let counts = |enc: TextEncoding| {
        cyrillic_case_counts(&encoding_rs_for(enc).decode_without_bom_handling(bytes).0)
    };
    if let Some(enc @ (TextEncoding::Koi8R | TextEncoding::Cp866)) = declared {
        let (lower, upper) = counts(enc);
        if lower >= upper {
            return enc;
        }
    }
    let (lower, upper) = counts(TextEncoding::Windows1251);
    if lower >= upper {
        return TextEncoding::Windows1251;
    }
    [TextEncoding::Koi8R, TextEncoding::Cp866]
        .into_iter()
        .map(|enc| (enc, counts(enc)))
        .filter(|(_, (l, u))| *l > 2 * *u && *l > lower)
        .max_by_key(|(_, (l, _))| *l)
        .map_or(TextEncoding::Windows1251, |(enc, _)| enc)
}

fn decode_with(encoding: TextEncoding, bytes: &[u8]) -> String {
    match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf16 => String::from_utf8_lossy(bytes).into_owned(),
        other => encoding_rs_for(other)
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Decodes a whole XML document: UTF-16 by BOM, UTF-8 when it is UTF-8, else the encoding its
/// declaration names (if Cyrillic), else windows-1251.
fn decode_xml_document(bytes: &[u8]) -> (String, TextEncoding) {
    if let Some(text) = decode_utf16_with_bom(bytes) {
        return (text, TextEncoding::Utf16);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if is_mostly_utf8(body) {
        return (
            String::from_utf8_lossy(body).into_owned(),
            TextEncoding::Utf8,
        );
    }
    let declared = declared_xml_encoding(body).and_then(|label| {
        let enc = Encoding::for_label(label.as_bytes())?;
        if enc == KOI8_R {
            Some(TextEncoding::Koi8R)
        } else if enc == IBM866 {
            Some(TextEncoding::Cp866)
        } else {
            None
        }
    });
    let encoding = choose_single_byte(body, declared);
    (decode_with(encoding, body), encoding)
}

/// The `encoding="…"` of an XML declaration, read from the first bytes as ASCII.
fn declared_xml_encoding(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
    let decl_end = head.find("?>")?;
    let decl = &head[..decl_end];
    let at = decl.find("encoding")? + "encoding".len();
    let rest = decl[at..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_string())
}

// ---------------------------------------------------------------------------------------------
// ISO 2709
// ---------------------------------------------------------------------------------------------

fn all_digits(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_digit)
}

fn parse_digits(bytes: &[u8]) -> Option<usize> {
    if bytes.is_empty() || !all_digits(bytes) {
        return None;
    }
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

/// The strict shape of a leader: record length, "22" (indicator and subfield code lengths),
/// base address, and the "45" entry map. Used to find where a record starts inside damaged
/// data, so it must not match ordinary text.
fn leader_signature_at(bytes: &[u8], p: usize) -> bool {
    let Some(l) = bytes.get(p..p + LEADER_LEN) else {
        return false;
    };
    all_digits(&l[..5])
        && l[10] == b'2'
        && l[11] == b'2'
        && all_digits(&l[12..17])
        && l[20] == b'4'
        && l[21] == b'5'
}

/// A looser shape for the start of a chunk: some systems write odd indicator counts or entry
/// maps, but the two numbers are always digits.
fn loose_leader_at(bytes: &[u8], p: usize) -> bool {
    let Some(l) = bytes.get(p..p + LEADER_LEN) else {
        return false;
    };
    leader_signature_at(bytes, p) || (all_digits(&l[..5]) && all_digits(&l[12..17]))
}

fn find_signature(bytes: &[u8], from: usize, to: usize) -> Option<usize> {
    (from..to).find(|&q| leader_signature_at(bytes, q))
}

/// A stretch of the file: a candidate record, or bytes that are no record.
enum Chunk<'a> {
    Record(&'a [u8]),
    Garbage,
}

/// Cuts the file into records.
///
/// A record ends where its leader says if the terminator is there; otherwise (lengths counted in
/// characters, lost bytes) at the next terminator, or earlier where another leader begins, which
/// is how a record truncated in the middle of a file is kept from swallowing the next one.
fn split_iso(bytes: &[u8]) -> Vec<Chunk<'_>> {
    let n = bytes.len();
    let mut chunks = Vec::new();
    let mut p = 0;
    // Position of the next record terminator at or after `p`, found once and reused, so that a
    // file of many unterminated leaders is still read in linear time.
    let mut next_terminator: Option<Option<usize>> = None;
    loop {
        while p < n && is_blank(bytes[p]) {
            p += 1;
        }
        if p >= n {
            break;
        }
        if !loose_leader_at(bytes, p) {
            chunks.push(Chunk::Garbage);
            match find_signature(bytes, p + 1, n) {
                Some(q) => {
                    p = q;
                    continue;
                }
                None => break,
            }
        }
        let declared = parse_digits(&bytes[p..p + 5]);
        let end = match declared {
            Some(len)
                if len >= LEADER_LEN && p + len <= n && bytes[p + len - 1] == RECORD_TERMINATOR =>
            {
                p + len
            }
            _ => {
                let terminator = match next_terminator {
                    Some(known) if known.is_none_or(|t| t >= p) => known,
                    _ => bytes[p..]
                        .iter()
                        .position(|&b| b == RECORD_TERMINATOR)
                        .map(|i| p + i),
                };
                next_terminator = Some(terminator);
                let limit = terminator.map_or(n, |t| t + 1);
                find_signature(bytes, p + LEADER_LEN, terminator.unwrap_or(n)).unwrap_or(limit)
            }
        };
        chunks.push(Chunk::Record(&bytes[p..end]));
        p = end;
    }
    chunks
}

fn read_iso(bytes: &[u8]) -> Result<Vec<Result<RawRecord, ProblemKind>>, NotMarc> {
    let chunks = split_iso(bytes);
    // A file is MARC if at least one chunk has a leader and field terminators; a text file that
    // happens to start with digits is not.
    let looks_marc = chunks
        .iter()
        .any(|c| matches!(c, Chunk::Record(r) if r.contains(&FIELD_TERMINATOR)));
    if !looks_marc {
        return Err(NotMarc::Unrecognised);
    }
    Ok(chunks
        .into_iter()
        .map(|chunk| match chunk {
            Chunk::Garbage => Err(ProblemKind::NotARecord),
            Chunk::Record(record) => parse_iso_record(record),
        })
        .collect())
}

/// Where the fields of a record lie in its buffer.
struct Layout {
    fields: Vec<([u8; 3], std::ops::Range<usize>)>,
}

/// Parses one record: by the directory when it fits the data exactly, otherwise (after removing
/// line breaks some exports insert) by splitting the data at field terminators and giving the
/// pieces the directory's tags in order.
fn parse_iso_record(chunk: &[u8]) -> Result<RawRecord, ProblemKind> {
    if let Ok(layout) = locate_fields(chunk, true) {
        return Ok(decode_iso(chunk, &layout));
    }
    if chunk.iter().any(|&b| b == b'\r' || b == b'\n') {
        let unwrapped: Vec<u8> = chunk
            .iter()
            .copied()
            .filter(|&b| b != b'\r' && b != b'\n')
            .collect();
        if let Ok(layout) = locate_fields(&unwrapped, false) {
            return Ok(decode_iso(&unwrapped, &layout));
        }
    }
    locate_fields(chunk, false).map(|layout| decode_iso(chunk, &layout))
}

fn locate_fields(chunk: &[u8], exact_only: bool) -> Result<Layout, ProblemKind> {
    if chunk.len() < LEADER_LEN {
        return Err(ProblemKind::Truncated);
    }
    let terminated = chunk.last() == Some(&RECORD_TERMINATOR);
    let body = if terminated {
        &chunk[..chunk.len() - 1]
    } else {
        chunk
    };
    let incomplete = if terminated {
        ProblemKind::BadDirectory
    } else {
        ProblemKind::Truncated
    };
    if body.len() <= LEADER_LEN {
        // A leader and nothing else (found by the property tests).
        return Err(incomplete);
    }

    // The directory ends at the base address if that is believable, else at the first
    // field terminator after the leader.
    let base = parse_digits(&chunk[12..17]);
    let directory_end = match base {
        Some(b)
            if b > LEADER_LEN
                && b <= body.len()
                && body[b - 1] == FIELD_TERMINATOR
                && (b - 1 - LEADER_LEN).is_multiple_of(DIRECTORY_ENTRY_LEN) =>
        {
            b - 1
        }
        _ => body[LEADER_LEN..]
            .iter()
            .position(|&b| b == FIELD_TERMINATOR)
            .map(|i| LEADER_LEN + i)
            .ok_or(incomplete)?,
    };

    let mut entries = Vec::new();
    for entry in body[LEADER_LEN..directory_end].chunks_exact(DIRECTORY_ENTRY_LEN) {
        let tag = [entry[0], entry[1], entry[2]];
        let (Some(len), Some(start)) = (parse_digits(&entry[3..7]), parse_digits(&entry[7..12]))
        else {
            break;
        };
        if !tag.iter().all(u8::is_ascii_alphanumeric) {
            break;
        }
        entries.push((tag, len, start));
    }
    if entries.is_empty() {
        return Err(ProblemKind::BadDirectory);
    }

    let data_start = directory_end + 1;
    let data = &body[data_start..];
    let fits = entries.iter().all(|&(_, len, start)| {
        len >= 1 && start + len <= data.len() && data[start + len - 1] == FIELD_TERMINATOR
    });
    if fits {
        return Ok(Layout {
            fields: entries
                .iter()
                .map(|&(tag, len, start)| (tag, data_start + start..data_start + start + len - 1))
                .collect(),
        });
    }
    if exact_only {
        return Err(ProblemKind::BadDirectory);
    }

    // Fallback: fields in directory order, cut at field terminators. The piece after the last
    // terminator is empty in a whole record and a partial field in a truncated one.
    let mut pieces = Vec::new();
    let mut from = 0;
    for (i, &b) in data.iter().enumerate() {
        if b == FIELD_TERMINATOR {
            pieces.push(data_start + from..data_start + i);
            from = i + 1;
        }
    }
    if pieces.len() < entries.len() {
        return Err(incomplete);
    }
    Ok(Layout {
        fields: entries
            .iter()
            .zip(pieces)
            .map(|(&(tag, _, _), range)| (tag, range))
            .collect(),
    })
}

/// The character set RUSMARC declares in 100$a/26-27, read from raw bytes (it is ASCII).
fn rusmarc_declared_charset(buf: &[u8], layout: &Layout) -> Option<TextEncoding> {
    let (_, range) = layout.fields.iter().find(|(tag, _)| tag == b"100")?;
    let field = &buf[range.clone()];
    let start = field
        .windows(2)
        .position(|w| w[0] == SUBFIELD_DELIMITER && w[1] == b'a')?
        + 2;
    match field.get(start + 26..start + 28)? {
        b"50" => Some(TextEncoding::Utf8),
        b"89" => Some(TextEncoding::Windows1251),
        b"99" => Some(TextEncoding::Koi8R),
        b"79" => Some(TextEncoding::Cp866),
        _ => None,
    }
}

fn decode_iso(buf: &[u8], layout: &Layout) -> RawRecord {
    // Declarations are only a hint: UTF-8 is recognised by its shape, whatever the record says.
    let encoding = if is_mostly_utf8(buf) {
        TextEncoding::Utf8
    } else {
        choose_single_byte(buf, rusmarc_declared_charset(buf, layout))
    };
    let decode = |bytes: &[u8]| decode_with(encoding, bytes);
    let fields = layout
        .fields
        .iter()
        .map(|(tag, range)| {
            let tag = String::from_utf8_lossy(tag).into_owned();
            let data = &buf[range.clone()];
            if is_control_tag(&tag) {
                return Field::Control {
                    value: decode(data),
                    tag,
                };
            }
            let (indicators, rest) = match data.iter().position(|&b| b == SUBFIELD_DELIMITER) {
                Some(i) => data.split_at(i),
                None => (data, &[][..]),
            };
            let indicator = |i: usize| {
                indicators
                    .get(i)
                    .filter(|b| b.is_ascii_graphic())
                    .map_or(' ', |&b| char::from(b))
            };
            let subfields = rest
                .split(|&b| b == SUBFIELD_DELIMITER)
                .filter(|piece| !piece.is_empty())
                .map(|piece| Subfield {
                    code: if piece[0].is_ascii_graphic() {
                        char::from(piece[0])
                    } else {
                        '?'
                    },
                    value: decode(&piece[1..]),
                })
                .collect();
            Field::Data {
                tag,
                ind1: indicator(0),
                ind2: indicator(1),
                subfields,
            }
        })
        .collect();
    RawRecord {
        leader: decode(&buf[..LEADER_LEN]),
        fields,
        encoding,
    }
}

fn is_control_tag(tag: &str) -> bool {
    tag.starts_with("00")
}

// ---------------------------------------------------------------------------------------------
// MARCXML
// ---------------------------------------------------------------------------------------------

/// Where character data currently goes.
enum XmlTarget {
    Nothing,
    Leader,
    Control(String),
    Subfield(char),
}

#[derive(Default)]
struct XmlRecord {
    leader: Option<String>,
    fields: Vec<Field>,
}

impl XmlRecord {
    fn has_content(&self) -> bool {
        self.leader.is_some() || !self.fields.is_empty()
    }

    fn finish(self, encoding: TextEncoding) -> RawRecord {
        let mut leader = self.leader.unwrap_or_default().trim().to_string();
        while leader.chars().count() < LEADER_LEN {
            leader.push(' ');
        }
        RawRecord {
            leader,
            fields: self.fields,
            encoding,
        }
    }
}

fn xml_attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    let attribute = element.try_get_attribute(name).ok()??;
    let value = attribute
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .map(|v| v.into_owned())
        .unwrap_or_else(|_| attribute.value.clone().into_owned());
    Some(value)
}

/// Text of an entity or character reference: XML's five, numeric ones, and `&nbsp;` that HTML
/// habits leave in exports. Anything else is kept literally rather than dropped.
fn resolve_reference(reference: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return c.to_string();
    }
    match &**reference {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        "nbsp" => " ".into(),
        other => format!("&{other};"),
    }
}

/// Reads MARCXML by local element names, so any namespace prefix (or none) works, and so does a
/// MARC record nested in an OAI-PMH `<record>`.
fn read_xml(
    text: &str,
    encoding: TextEncoding,
) -> Result<Vec<Result<RawRecord, ProblemKind>>, NotMarc> {
    let mut reader = Reader::from_str(text);
    {
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.allow_dangling_amp = true;
    }
    let mut out = Vec::new();
    let mut saw_marc = false;
    let mut record: Option<XmlRecord> = None;
    let mut datafield: Option<(String, char, char, Vec<Subfield>)> = None;
    let mut target = XmlTarget::Nothing;
    let mut text_buf = String::new();
    let indicator = |value: Option<String>| {
        value
            .and_then(|v| v.chars().next())
            .filter(|c| !c.is_whitespace())
            .unwrap_or(' ')
    };

    loop {
        match reader.read_event() {
            Ok(Event::Start(element)) => match element.local_name().as_ref() {
                "collection" => saw_marc = true,
                "record" => {
                    saw_marc = true;
                    // An unclosed previous record still counts; an empty one (an OAI wrapper)
                    // is simply replaced by the inner MARC record.
                    if let Some(previous) = record.take().filter(XmlRecord::has_content) {
                        out.push(Ok(previous.finish(encoding)));
                    }
                    record = Some(XmlRecord::default());
                    datafield = None;
                }
                "leader" => {
                    saw_marc = true;
                    record.get_or_insert_with(XmlRecord::default);
                    target = XmlTarget::Leader;
                    text_buf.clear();
                }
                "controlfield" => {
                    saw_marc = true;
                    record.get_or_insert_with(XmlRecord::default);
                    let tag = xml_attribute(&element, "tag").unwrap_or_default();
                    target = XmlTarget::Control(tag);
                    text_buf.clear();
                }
                "datafield" => {
                    saw_marc = true;
                    record.get_or_insert_with(XmlRecord::default);
                    datafield = Some((
                        xml_attribute(&element, "tag").unwrap_or_default(),
                        indicator(xml_attribute(&element, "ind1")),
                        indicator(xml_attribute(&element, "ind2")),
                        Vec::new(),
                    ));
                }
                "subfield" => {
                    let code = xml_attribute(&element, "code")
                        .and_then(|c| c.chars().next())
                        .unwrap_or('?');
                    target = XmlTarget::Subfield(code);
                    text_buf.clear();
                }
                _ => {}
            },
            Ok(Event::End(element)) => match element.local_name().as_ref() {
                "leader" => {
                    if let Some(r) = record.as_mut() {
                        r.leader = Some(std::mem::take(&mut text_buf));
                    }
                    target = XmlTarget::Nothing;
                }
                "controlfield" => {
                    if let (XmlTarget::Control(tag), Some(r)) = (
                        std::mem::replace(&mut target, XmlTarget::Nothing),
                        record.as_mut(),
                    ) {
                        // Pretty-printed files wrap values in new lines; positions in
                        // fixed-length fields count from the first real character.
                        let value = std::mem::take(&mut text_buf);
                        let value = if value.contains('\n') {
                            value.trim().to_string()
                        } else {
                            value
                        };
                        r.fields.push(Field::Control { tag, value });
                    }
                }
                "subfield" => {
                    if let (XmlTarget::Subfield(code), Some(df)) = (
                        std::mem::replace(&mut target, XmlTarget::Nothing),
                        datafield.as_mut(),
                    ) {
                        df.3.push(Subfield {
                            code,
                            value: std::mem::take(&mut text_buf),
                        });
                    }
                }
                "datafield" => {
                    if let (Some((tag, ind1, ind2, subfields)), Some(r)) =
                        (datafield.take(), record.as_mut())
                    {
                        r.fields.push(Field::Data {
                            tag,
                            ind1,
                            ind2,
                            subfields,
                        });
                    }
                }
                "record" => {
                    if let Some(r) = record.take().filter(XmlRecord::has_content) {
                        out.push(Ok(r.finish(encoding)));
                    }
                }
                _ => {}
            },
            Ok(Event::Text(t)) => {
                if !matches!(target, XmlTarget::Nothing) {
                    text_buf.push_str(&t.xml10_content());
                }
            }
            Ok(Event::CData(t)) => {
                if !matches!(target, XmlTarget::Nothing) {
                    text_buf.push_str(&t);
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if !matches!(target, XmlTarget::Nothing) {
                    text_buf.push_str(&resolve_reference(&r));
                }
            }
            Ok(Event::Eof) => {
                if record.as_ref().is_some_and(XmlRecord::has_content) || datafield.is_some() {
                    out.push(Err(ProblemKind::Truncated));
                }
                break;
            }
            Err(_) => {
                // quick-xml cannot resynchronise after a syntax error, so everything from here
                // on is one problem: the record in progress, or the rest of the file.
                if saw_marc {
                    out.push(Err(ProblemKind::BadXml));
                }
                break;
            }
            Ok(_) => {}
        }
    }
    if saw_marc {
        Ok(out)
    } else {
        Err(NotMarc::Unrecognised)
    }
}

// ---------------------------------------------------------------------------------------------
// Normalisation: shared helpers
// ---------------------------------------------------------------------------------------------

/// Abbreviations whose full stop belongs to the word (ГОСТ Р 7.0.12 and common English ones).
/// A closing full stop after them is kept; after any other word it is ISBD punctuation.
const ABBREVIATIONS: &[&str] = &[
    "авт",
    "акад",
    "англ",
    "библиогр",
    "вв",
    "вступ",
    "вып",
    "гг",
    "гл",
    "гос",
    "доп",
    "др",
    "журн",
    "изд",
    "ил",
    "им",
    "ин-т",
    "ин-та",
    "испр",
    "коммент",
    "кн",
    "коп",
    "лит",
    "нем",
    "науч",
    "обл",
    "общ",
    "отв",
    "пер",
    "перераб",
    "полн",
    "портр",
    "пособ",
    "послесл",
    "предисл",
    "прил",
    "примеч",
    "ред",
    "рис",
    "руб",
    "рус",
    "сб",
    "собр",
    "сост",
    "соч",
    "спб",
    "ст",
    "стер",
    "табл",
    "тр",
    "ун-т",
    "ун-та",
    "указ",
    "учеб",
    "фр",
    "франц",
    "худож",
    "экз",
    "al",
    "ca",
    "cm",
    "co",
    "comp",
    "corp",
    "dept",
    "dr",
    "ed",
    "eds",
    "enl",
    "etc",
    "ill",
    "inc",
    "jr",
    "ltd",
    "mass",
    "mr",
    "mrs",
    "no",
    "pp",
    "publ",
    "repr",
    "rev",
    "sr",
    "st",
    "suppl",
    "trans",
    "univ",
    "vol",
    "vols",
];

/// Whether the full stop ending `text` belongs to an abbreviation or an initial.
fn ends_with_abbreviation(text: &str) -> bool {
    let body = text.strip_suffix('.').unwrap_or(text);
    let word = body
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '[')
        .next()
        .unwrap_or("");
    if word.contains('.') {
        // "Л.А.", "т.д.", "N.Y.": dotted clusters are abbreviations.
        return true;
    }
    let letters = word.chars().count();
    if letters == 1 && word.chars().all(char::is_alphabetic) {
        return true;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Collapses white space, drops control characters (MARC non-sorting markers among them) and
/// strips ISBD punctuation that catalogues leave at subfield ends: " :", " /", " ;", " =", ",",
/// and a final full stop unless it ends an abbreviation.
fn clean(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !collapsed.is_empty();
        } else if !c.is_control() {
            if pending_space {
                collapsed.push(' ');
                pending_space = false;
            }
            collapsed.push(c);
        }
    }
    let mut s = collapsed.as_str();
    loop {
        let before = s.len();
        s = s.trim_start_matches([':', ';', '/', '=']).trim_start();
        if let Some(rest) = s.strip_suffix([':', ';', '/', '=', ',']) {
            s = rest.trim_end();
        } else if s.ends_with('.') && !s.ends_with("..") && !ends_with_abbreviation(s) {
            s = s[..s.len() - 1].trim_end();
        }
        if s.len() == before {
            break;
        }
    }
    s.to_string()
}

fn cleaned(text: Option<&str>) -> Option<String> {
    text.map(clean).filter(|s| !s.is_empty())
}

fn cleaned_all<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    values.map(clean).filter(|s| !s.is_empty()).collect()
}

/// The first four-digit number between 1000 and 2100 that is not part of a longer number.
fn parse_year(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                let year: i32 = text[start..i].parse().ok()?;
                if (1000..=2100).contains(&year) {
                    return Some(year);
                }
            }
        } else {
            i += 1;
        }
    }
    None
}

fn dedup(values: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    values
        .into_iter()
        .filter(|v| seen.insert(v.to_lowercase()))
        .collect()
}

/// Splits statements of responsibility at " ; " into the first and the subsequent ones.
fn split_responsibility<'a>(
    first: impl Iterator<Item = &'a str>,
    subsequent: impl Iterator<Item = &'a str>,
) -> (Option<String>, Vec<String>) {
    let mut parts: Vec<String> = first.flat_map(|f| f.split(" ; ")).map(clean).collect();
    parts.extend(subsequent.flat_map(|f| f.split(" ; ")).map(clean));
    parts.retain(|p| !p.is_empty());
    if parts.is_empty() {
        return (None, Vec::new());
    }
    let first = parts.remove(0);
    (Some(first), parts)
}

/// Maps a relator code (RUSMARC numeric, MARC21 alphabetic) or term to a role.
fn role_from(code: Option<&str>, term: Option<&str>) -> Option<Role> {
    let by_code = code.map(str::trim).and_then(|code| {
        Some(match code {
            "070" | "aut" => Role::Author,
            "340" | "edt" => Role::Editor,
            "730" | "trl" => Role::Translator,
            "220" | "com" => Role::Compiler,
            "440" | "ill" => Role::Illustrator,
            "" => return None,
            other => Role::Other(other.to_string()),
        })
    });
    let by_term = term.map(|t| clean(t).to_lowercase()).and_then(|t| {
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| t.starts_with(p));
        Some(if t.is_empty() {
            return None;
        } else if starts(&["авт", "author"]) {
            Role::Author
        } else if starts(&["ред", "под ред", "edit", "ed."]) {
            Role::Editor
        } else if starts(&["пер", "trans"]) {
            Role::Translator
        } else if starts(&["сост", "comp"]) {
            Role::Compiler
        } else if starts(&["ил", "худож", "illus"]) {
            Role::Illustrator
        } else {
            Role::Other(t)
        })
    });
    // A known role wins over an unmapped one, whichever subfield it came from.
    match (by_code, by_term) {
        (Some(Role::Other(_)), Some(known)) if !matches!(known, Role::Other(_)) => Some(known),
        (Some(role), _) => Some(role),
        (None, term) => term,
    }
}

/// Whether a title looks like a bare volume designation ("Т. 2", "Ч.1.", "Вып. 3").
fn is_part_designation(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "т",
        "том",
        "ч",
        "часть",
        "кн",
        "книга",
        "вып",
        "выпуск",
        "vol",
        "part",
        "bd",
        "tome",
        "t",
    ];
    if text.chars().count() > 20 {
        return false;
    }
    let lower = text.to_lowercase();
    let word_end = lower
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(lower.len());
    let rest = lower[word_end..].trim_start_matches(['.', ' ']);
    WORDS.contains(&&lower[..word_end])
        && rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, 'i' | 'v' | 'x'))
}

/// "Ч.1." → "Ч. 1": the spacing ГОСТ uses, and no closing full stop.
fn normalise_designation(text: &str) -> String {
    let text = clean(text);
    let text = text.strip_suffix('.').unwrap_or(&text);
    let mut out = String::with_capacity(text.len() + 1);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '.' && chars.peek().is_some_and(|n| n.is_alphanumeric()) {
            out.push(' ');
        }
    }
    out
}

/// Volume, issue, pages and year found in a free-text locator such as
/// "2020. – Т. 62, № 3. – С. 15–20" or "Vol. 5, no. 3 (2020), p. 15-20".
#[derive(Debug, Default, PartialEq, Eq)]
struct Locators {
    volume: Option<String>,
    issue: Option<String>,
    pages: Option<String>,
    year: Option<i32>,
}

fn parse_locators(text: &str) -> Locators {
    enum Kind {
        Volume,
        Issue,
        Pages,
    }
    // Longer markers first so that "No." is not read as "N".
    const MARKERS: &[(&str, Kind)] = &[
        ("Том", Kind::Volume),
        ("Vol.", Kind::Volume),
        ("vol.", Kind::Volume),
        ("Bd.", Kind::Volume),
        ("Т.", Kind::Volume),
        ("т.", Kind::Volume),
        ("v.", Kind::Volume),
        ("Вып.", Kind::Issue),
        ("вып.", Kind::Issue),
        ("Iss.", Kind::Issue),
        ("iss.", Kind::Issue),
        ("No.", Kind::Issue),
        ("no.", Kind::Issue),
        ("Nr.", Kind::Issue),
        ("№", Kind::Issue),
        ("N", Kind::Issue),
        ("pp.", Kind::Pages),
        ("С.", Kind::Pages),
        ("с.", Kind::Pages),
        ("P.", Kind::Pages),
        ("p.", Kind::Pages),
        ("S.", Kind::Pages),
    ];
    let mut found = Locators {
        year: parse_year(text),
        ..Locators::default()
    };
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        let at_boundary =
            previous.is_none_or(|p| p.is_whitespace() || matches!(p, ',' | ';' | '(' | '.' | ':'));
        previous = Some(c);
        if !at_boundary {
            continue;
        }
        let Some((marker, kind)) = MARKERS.iter().find(|(m, _)| text[i..].starts_with(m)) else {
            continue;
        };
        let after = &text[i + marker.len()..];
        if *marker == "N"
            && !after.starts_with([' ', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
        {
            continue;
        }
        let value_text = after.trim_start();
        let value: String = value_text
            .chars()
            .take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '–' | '—' | '/'))
            .collect();
        let value = value.trim_end_matches(['-', '–', '—', '/']);
        if value.is_empty() || !value.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let slot = match kind {
            Kind::Volume => &mut found.volume,
            Kind::Issue => &mut found.issue,
            Kind::Pages => &mut found.pages,
        };
        if slot.is_none() {
            *slot = Some(value.replace(['–', '—'], "-"));
        }
    }
    found
}

/// Builds the fields embedded in a RUSMARC linking field (4XX with $1): each $1 opens a field
/// whose tag and indicators are its first characters.
fn embedded_record(link: &Field) -> RawRecord {
    let mut fields: Vec<Field> = Vec::new();
    for sub in link.subfields() {
        if sub.code == '1' {
            let mut chars = sub.value.chars();
            let tag: String = chars.by_ref().take(3).collect();
            if is_control_tag(&tag) {
                fields.push(Field::Control {
                    tag,
                    value: chars.collect(),
                });
            } else {
                let ind1 = chars.next().unwrap_or(' ');
                let ind2 = chars.next().unwrap_or(' ');
                fields.push(Field::Data {
                    tag,
                    ind1,
                    ind2,
                    subfields: Vec::new(),
                });
            }
        } else if let Some(Field::Data { subfields, .. }) = fields.last_mut() {
            subfields.push(sub.clone());
        }
    }
    RawRecord {
        leader: String::new(),
        fields,
        encoding: TextEncoding::default(),
    }
}

fn subject_headings(raw: &RawRecord, tags: &[&str], subdivisions: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    for field in raw.fields.iter().filter(|f| tags.contains(&f.tag())) {
        if matches!(field.tag(), "610" | "653") {
            // Uncontrolled keywords: every $a is a term of its own.
            out.extend(cleaned_all(field.values('a')));
            continue;
        }
        let Some(main) = cleaned(field.subfield('a')) else {
            continue;
        };
        let mut heading = main;
        if field.tag() == "600" {
            // Numerals of rulers: RUSMARC keeps them in $d, MARC21 in $b.
            let numeral = [field.subfield('d'), field.subfield('b')]
                .into_iter()
                .flatten()
                .map(clean)
                .find(|n| !n.is_empty() && n.chars().all(|c| "IVXLC".contains(c)));
            if let Some(numeral) = numeral {
                heading = format!("{heading} {numeral}");
            }
        }
        for sub in field.subfields() {
            if subdivisions.contains(&sub.code) {
                let value = clean(&sub.value);
                if !value.is_empty() {
                    heading = format!("{heading} -- {value}");
                }
            }
        }
        out.push(heading);
    }
    out
}

/// Extent as recorded, unless it has no number at all: "p. cm." is the placeholder of
/// cataloguing-in-publication records, written before the page count was known.
fn extent(text: Option<&str>) -> Option<String> {
    cleaned(text).filter(|e| e.chars().any(|c| c.is_ascii_digit()))
}

/// Leader/06 when it is a letter.
fn type_of_record(raw: &RawRecord) -> Option<char> {
    raw.leader.chars().nth(6).filter(|c| c.is_ascii_lowercase())
}

/// The "NN+" age rating of law 436-ФЗ in a note, if there is one.
fn age_rating_in(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).find_map(|i| {
        if chars[i] != '+' || i == 0 {
            return None;
        }
        let start = (0..i)
            .rev()
            .take_while(|&j| chars[j].is_ascii_digit())
            .last()?;
        let boundary = start == 0 || !chars[start - 1].is_alphanumeric();
        let digits: String = chars[start..i].iter().collect();
        (boundary && matches!(digits.as_str(), "0" | "6" | "12" | "16" | "18"))
            .then(|| format!("{digits}+"))
    })
}

// ---------------------------------------------------------------------------------------------
// RUSMARC
// ---------------------------------------------------------------------------------------------

/// People from RUSMARC 70X fields. A second field with the same $6 linkage is the same person in
/// another script (e.g. the Latin form of a Russian name) and is skipped.
fn rusmarc_people(raw: &RawRecord, tags: &[&str]) -> Vec<(Person, Option<Role>)> {
    let mut seen_links = HashSet::new();
    let mut out = Vec::new();
    for field in raw.fields.iter().filter(|f| tags.contains(&f.tag())) {
        if let Some(link) = field.subfield('6') {
            if !seen_links.insert(link.trim().to_string()) {
                continue;
            }
        }
        let Some(mut family) = cleaned(field.subfield('a')) else {
            continue;
        };
        let (_, ind2) = field.indicators();
        if let Some(numeral) = cleaned(field.subfield('d')) {
            // Names entered under a forename carry their numeral: "Павел I".
            if ind2 == '0' || numeral.chars().all(|c| "IVXLC".contains(c)) {
                family = format!("{family} {numeral}");
            }
        }
        let given = cleaned(field.subfield('g'))
            .or_else(|| {
                field
                    .subfield('b')
                    .map(|b| b.trim().trim_end_matches(',').to_string())
            })
            .unwrap_or_default();
        let role = role_from(field.subfield('4'), None);
        out.push((Person { family, given }, role));
    }
    out
}

fn rusmarc_series(raw: &RawRecord) -> Option<String> {
    if let Some(f) = raw.first("225") {
        let title = cleaned(f.subfield('a'))?;
        let mut series = title;
        if let Some(other) = cleaned(f.subfield('e')) {
            series = format!("{series} : {other}");
        }
        if let Some(number) = cleaned(f.subfield('h')) {
            series = format!("{series}. {number}");
        }
        if let Some(name) = cleaned(f.subfield('i')) {
            series = format!("{series}, {name}");
        }
        if let Some(resp) = cleaned(f.subfield('f')) {
            series = format!("{series} / {resp}");
        }
        if let Some(volume) = cleaned(f.subfield('v')) {
            series = format!("{series} ; {volume}");
        }
        return Some(series);
    }
    let link = raw.first("410")?;
    let embedded = embedded_record(link);
    let title = cleaned(embedded.subfield("200", 'a')).or_else(|| cleaned(link.subfield('t')))?;
    Some(
        match cleaned(link.subfield('v').or_else(|| embedded.subfield("200", 'v'))) {
            Some(volume) => format!("{title} ; {volume}"),
            None => title,
        },
    )
}

/// The host of a RUSMARC analytic record (463), embedded-field or standard-subfield technique.
fn rusmarc_host(link: &Field, own_extent: Option<&str>) -> Option<HostItem> {
    let embedded = embedded_record(link);
    let publication = embedded.first("210").or_else(|| embedded.first("214"));
    let title = cleaned(embedded.subfield("200", 'a')).or_else(|| cleaned(link.subfield('t')))?;
    let mut locator_text: Vec<&str> = Vec::new();
    locator_text.extend(link.values('v'));
    locator_text.extend(link.values('h'));
    for (tag, code) in [("200", 'v'), ("200", 'h'), ("215", 'a')] {
        locator_text.extend(embedded.subfield(tag, code));
    }
    locator_text.extend(own_extent);
    let locators = parse_locators(&locator_text.join(", "));
    let year = publication
        .and_then(|p| p.subfield('d'))
        .or_else(|| link.subfield('d'))
        .and_then(parse_year)
        .or(locators.year);
    Some(HostItem {
        source_id: cleaned(embedded.control_value("001")),
        title,
        other_title: cleaned(embedded.subfield("200", 'e')).or_else(|| cleaned(link.subfield('o'))),
        responsibility: cleaned(embedded.subfield("200", 'f')),
        places: match publication {
            Some(p) => cleaned_all(p.values('a')),
            None => cleaned_all(link.values('c')),
        },
        publishers: match publication {
            Some(p) => cleaned_all(p.values('c')),
            None => cleaned_all(link.values('n')),
        },
        year,
        volume: locators.volume,
        issue: locators.issue,
        pages: locators.pages,
        issn: cleaned(embedded.subfield("011", 'a')).or_else(|| cleaned(link.subfield('x'))),
        isbn: embedded
            .subfield("010", 'a')
            .or_else(|| link.subfield('y'))
            .and_then(Isbn::parse),
    })
}

fn from_rusmarc(raw: &RawRecord) -> CatalogRecord {
    let mut rec = CatalogRecord {
        flavour: Flavour::Rusmarc,
        encoding: raw.encoding,
        source_id: cleaned(raw.control_value("001")),
        ..CatalogRecord::default()
    };
    let f200 = raw.first("200");
    let own_titles: Vec<String> = f200.map(|f| cleaned_all(f.values('a'))).unwrap_or_default();
    let own_other = f200.and_then(|f| cleaned(f.subfield('e')));
    let part_number = f200.and_then(|f| f.subfield('h'));
    let part_name = f200.and_then(|f| cleaned(f.subfield('i')));

    // A record linked to a set by 461 describes one volume: the set's title is the title, and
    // the record's own 200 names the volume (ГОСТ: "Общее заглавие. Т. 2 : Заглавие тома").
    let set_link = raw.first("461");
    let set = set_link.map(embedded_record);
    let set_title = set.as_ref().and_then(|s| cleaned(s.subfield("200", 'a')));
    if let (Some(set_title), Some(set), Some(link)) = (set_title, set.as_ref(), set_link) {
        rec.title = set_title;
        rec.other_title = cleaned(set.subfield("200", 'e'));
        let mut titles = own_titles;
        let mut number = link
            .subfield('v')
            .or_else(|| set.subfield("200", 'v'))
            .or(part_number)
            .map(normalise_designation);
        if number.is_none() && titles.first().is_some_and(|t| is_part_designation(t)) {
            number = Some(normalise_designation(&titles.remove(0)));
        }
        let title = part_name.or_else(|| (!titles.is_empty()).then(|| titles.join(" ; ")));
        rec.part = Some(Part {
            number,
            title,
            other_title: own_other,
        });
    } else {
        rec.title = own_titles.join(" ; ");
        rec.other_title = own_other;
        if part_number.is_some() || part_name.is_some() {
            rec.part = Some(Part {
                number: part_number.map(normalise_designation),
                title: part_name,
                other_title: None,
            });
        }
    }

    let (responsibility, further) = match f200 {
        Some(f) => split_responsibility(f.values('f'), f.values('g')),
        None => (None, Vec::new()),
    };
    rec.responsibility = responsibility;
    rec.further_responsibility = further;

    rec.authors = rusmarc_people(raw, &["700", "701"])
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    if rec.authors.is_empty() {
        if let Some(set) = &set {
            rec.authors = rusmarc_people(set, &["700", "701"])
                .into_iter()
                .map(|(p, _)| p)
                .collect();
        }
    }
    rec.contributors = rusmarc_people(raw, &["702"])
        .into_iter()
        .map(|(person, role)| Contributor { person, role })
        .collect();

    rec.edition = raw.first("205").and_then(|f| {
        let edition = cleaned(f.subfield('a'))?;
        Some(match cleaned(f.subfield('b')) {
            Some(extra) => format!("{edition}, {extra}"),
            None => edition,
        })
    });

    // 214 replaced 210 in recent RUSMARC; a volume without its own imprint inherits the set's.
    let publication = raw
        .first("210")
        .or_else(|| raw.first("214"))
        .or_else(|| set.as_ref().and_then(|s| s.first("210")));
    if let Some(p) = publication {
        rec.places = cleaned_all(p.values('a'));
        rec.publishers = cleaned_all(p.values('c'));
        rec.date = cleaned(p.subfield('d'));
    }
    let date1 = |r: &RawRecord| {
        r.subfield("100", 'a')
            .and_then(|a| a.get(9..13))
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse().ok())
    };
    rec.year = rec
        .date
        .as_deref()
        .and_then(parse_year)
        .or_else(|| date1(raw))
        .or_else(|| set.as_ref().and_then(date1));

    rec.extent = extent(raw.subfield("215", 'a'));
    rec.series = rusmarc_series(raw);
    rec.isbn = raw
        .fields_tagged("010")
        .filter_map(|f| f.subfield('a'))
        .filter_map(Isbn::parse)
        .collect();
    rec.issn = cleaned(raw.subfield("011", 'a'));
    rec.host = raw
        .first("463")
        .and_then(|link| rusmarc_host(link, raw.subfield("215", 'a')));
    rec.url = raw
        .subfield("856", 'u')
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    rec.language = cleaned(raw.subfield("101", 'a'));
    rec.subjects = dedup(subject_headings(
        raw,
        &["600", "601", "602", "605", "606", "607", "610"],
        &['j', 'x', 'y', 'z'],
    ));
    rec.age_rating = raw
        .fields_tagged("333")
        .chain(raw.fields_tagged("300"))
        .flat_map(|f| f.values('a'))
        .find_map(age_rating_in);
    let annotation: Vec<String> = raw
        .fields_tagged("330")
        .filter_map(|f| cleaned(f.subfield('a')))
        .collect();
    rec.annotation = (!annotation.is_empty()).then(|| annotation.join("\n"));
    rec.type_of_record = type_of_record(raw);
    rec.electronic = raw.leader.as_bytes().get(6) == Some(&b'l')
        || f200
            .and_then(|f| f.subfield('b'))
            .is_some_and(|b| b.to_lowercase().contains("электрон"));
    rec.copies = copies(raw, &["899", "852", "910"]);
    rec
}

// ---------------------------------------------------------------------------------------------
// MARC 21
// ---------------------------------------------------------------------------------------------

fn marc21_person(field: &Field) -> Option<Person> {
    let name = cleaned(field.subfield('a'))?;
    let (ind1, _) = field.indicators();
    if ind1 == '0' || !name.contains(',') {
        // Forename entry ("Charles", "Павел"), with its numeration if any.
        let family = match cleaned(field.subfield('b')) {
            Some(numeral) => format!("{name} {numeral}"),
            None => name,
        };
        return Some(Person {
            family,
            given: String::new(),
        });
    }
    let (family, given) = name.split_once(',').unwrap_or((&name, ""));
    Some(Person {
        family: clean(family),
        given: clean(given),
    })
}

fn marc21_role(field: &Field) -> Option<Role> {
    role_from(field.subfield('4'), field.subfield('e'))
}

/// "Москва : Наука, 2019" (773$d) → places, publishers and year.
fn split_imprint(text: &str) -> (Vec<String>, Vec<String>, Option<i32>) {
    let year = parse_year(text);
    let (place, rest) = match text.split_once(" : ") {
        Some((place, rest)) => (Some(place), rest),
        None => (None, text),
    };
    let publisher = rest.rsplit_once(',').map_or(rest, |(p, _)| p);
    let publisher = if place.is_none() && parse_year(publisher).is_some() {
        ""
    } else {
        publisher
    };
    (
        place
            .map(clean)
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect(),
        Some(clean(publisher))
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect(),
        year,
    )
}

fn marc21_host(field: &Field) -> Option<HostItem> {
    let title = cleaned(field.subfield('t'))?;
    let (places, publishers, imprint_year) =
        field.subfield('d').map(split_imprint).unwrap_or_default();
    let locators = parse_locators(&field.values('g').collect::<Vec<_>>().join(", "));
    Some(HostItem {
        source_id: cleaned(field.subfield('w')),
        title,
        other_title: None,
        responsibility: None,
        places,
        publishers,
        year: locators.year.or(imprint_year),
        volume: locators.volume,
        issue: locators.issue,
        pages: locators.pages,
        issn: cleaned(field.subfield('x')),
        isbn: field.subfield('z').and_then(Isbn::parse),
    })
}

/// Location codes of the federal libraries whose records schools borrow; their holdings are not
/// the school's copies.
const FEDERAL_LIBRARIES: [&str; 10] = [
    "РГБ",
    "RuMoRGB",
    "РНБ",
    "NLR",
    "RuSpRNB",
    "БАН",
    "RuSpBAN",
    "ГПИБ",
    "ГПНТБ",
    "РГДБ",
];

/// The library's own copies in the holdings fields of `tags`, in order, one per inventory
/// number. No export seen so far carries a school's copies, so the subfields are the formats'
/// documented ones:
/// - RUSMARC 899 and 852, MARC21 852: `$p` the inventory number (piece designation), `$j` the
///   shelf mark, or else `$h` and `$i` (classification and item part). A field without `$p`
///   names a library that holds the book (national libraries list dozens), not a copy; so does
///   one whose `$a` is a federal library's code ([`FEDERAL_LIBRARIES`]): a record borrowed from
///   the РГБ keeps the РГБ's copy, which is not the school's.
/// - MARC21 876: `$p` the barcode, or else `$a` the item number; `$j` the item status.
/// - ИРБИС 910 (kept in its ISO exports): `$b` the inventory number, `$a` the status (`0` on
///   the shelf, `6` written off, anything else not to be had now), `$d` the place of storage;
///   the shelf mark is the record's 906 and 908 (class and author mark) when it has them.
fn copies(raw: &RawRecord, tags: &[&str]) -> Vec<HeldCopy> {
    let federal = |field: &Field| {
        field.subfield('a').is_some_and(|a| {
            let a = clean(a).to_uppercase();
            FEDERAL_LIBRARIES
                .iter()
                .any(|code| a == code.to_uppercase())
        })
    };
    let irbis_shelf_mark = [raw.subfield("906", 'a'), raw.subfield("908", 'a')]
        .into_iter()
        .flatten()
        .map(clean)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out: Vec<HeldCopy> = Vec::new();
    for tag in tags {
        for field in raw.fields_tagged(tag) {
            let copy = match *tag {
                "910" => {
                    let status = field.subfield('a').map(str::trim).unwrap_or("0");
                    if status == "6" {
                        continue;
                    }
                    let shelf_mark = if irbis_shelf_mark.is_empty() {
                        cleaned(field.subfield('d')).unwrap_or_default()
                    } else {
                        irbis_shelf_mark.clone()
                    };
                    cleaned(field.subfield('b')).map(|inventory_number| HeldCopy {
                        inventory_number,
                        shelf_mark,
                        available: status == "0",
                    })
                }
                "876" => cleaned(field.subfield('p'))
                    .or_else(|| cleaned(field.subfield('a')))
                    .map(|inventory_number| {
                        let status = field.subfield('j').unwrap_or("").to_lowercase();
                        HeldCopy {
                            inventory_number,
                            shelf_mark: String::new(),
                            available: !["out", "loan", "lost", "missing", "выдан", "утерян"]
                                .iter()
                                .any(|w| status.contains(w)),
                        }
                    }),
                _ if federal(field) => None,
                _ => cleaned(field.subfield('p')).map(|inventory_number| HeldCopy {
                    inventory_number,
                    shelf_mark: cleaned(field.subfield('j')).unwrap_or_else(|| {
                        cleaned_all(
                            [field.subfield('h'), field.subfield('i')]
                                .into_iter()
                                .flatten(),
                        )
                        .join(" ")
                    }),
                    available: true,
                }),
            };
            if let Some(copy) = copy {
                if !out
                    .iter()
                    .any(|c| c.inventory_number == copy.inventory_number)
                {
                    out.push(copy);
                }
            }
        }
    }
    out
}

fn from_marc21(raw: &RawRecord) -> CatalogRecord {
    let mut rec = CatalogRecord {
        flavour: Flavour::Marc21,
        encoding: raw.encoding,
        source_id: cleaned(raw.control_value("001")),
        ..CatalogRecord::default()
    };
    let f008 = raw.control_value("008").unwrap_or("");
    if let Some(f) = raw.first("245") {
        rec.title = cleaned_all(f.values('a')).join(" ; ");
        rec.other_title = cleaned(f.subfield('b'));
        let (responsibility, further) = split_responsibility(f.values('c'), std::iter::empty());
        rec.responsibility = responsibility;
        rec.further_responsibility = further;
        let numbers = cleaned_all(f.values('n'));
        let names = cleaned_all(f.values('p'));
        if !numbers.is_empty() || !names.is_empty() {
            rec.part = Some(Part {
                number: (!numbers.is_empty()).then(|| normalise_designation(&numbers.join(", "))),
                title: (!names.is_empty()).then(|| names.join(". ")),
                other_title: None,
            });
        }
        rec.electronic = f.values('h').any(|h| {
            let h = h.to_lowercase();
            h.contains("electronic") || h.contains("электрон") || h.contains("computer file")
        });
    }
    rec.type_of_record = type_of_record(raw);
    rec.electronic |= rec.type_of_record == Some('m');

    rec.authors
        .extend(raw.fields_tagged("100").filter_map(marc21_person));
    for field in raw.fields_tagged("700") {
        let Some(person) = marc21_person(field) else {
            continue;
        };
        match marc21_role(field) {
            // Added entries without a relator are co-authors in LC and RSL practice.
            None | Some(Role::Author) => rec.authors.push(person),
            role => rec.contributors.push(Contributor { person, role }),
        }
    }

    rec.edition = raw.first("250").and_then(|f| {
        let edition = cleaned(f.subfield('a'))?;
        Some(match cleaned(f.subfield('b')) {
            Some(extra) => format!("{edition}, {extra}"),
            None => edition,
        })
    });
    let publication = raw.first("260").or_else(|| {
        raw.fields_tagged("264")
            .find(|f| f.indicators().1 == '1')
            .or_else(|| raw.first("264"))
    });
    if let Some(p) = publication {
        rec.places = cleaned_all(p.values('a'));
        rec.publishers = cleaned_all(p.values('b'));
        rec.date = cleaned(p.subfield('c'));
    }
    rec.year = rec.date.as_deref().and_then(parse_year).or_else(|| {
        f008.get(7..11)
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse().ok())
    });
    rec.extent = extent(raw.subfield("300", 'a'));
    rec.series = ["490", "830", "440"].iter().find_map(|tag| {
        let f = raw.first(tag)?;
        let title = cleaned(f.subfield('a'))?;
        Some(match cleaned(f.subfield('v')) {
            Some(volume) => format!("{title} ; {volume}"),
            None => title,
        })
    });
    rec.isbn = raw
        .fields_tagged("020")
        .filter_map(|f| f.subfield('a'))
        .filter_map(Isbn::parse)
        .collect();
    rec.issn = cleaned(raw.subfield("022", 'a'));
    rec.host = raw.first("773").and_then(marc21_host);
    rec.url = raw
        .subfield("856", 'u')
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    rec.language = cleaned(raw.subfield("041", 'a')).or_else(|| {
        f008.get(35..38)
            .map(str::trim)
            .filter(|l| l.len() == 3 && l.chars().all(|c| c.is_ascii_alphabetic()))
            .map(str::to_string)
    });
    rec.subjects = dedup(subject_headings(
        raw,
        &["600", "610", "611", "630", "650", "651", "653"],
        &['v', 'x', 'y', 'z'],
    ));
    rec.age_rating = raw
        .fields_tagged("521")
        .chain(raw.fields_tagged("500"))
        .flat_map(|f| f.values('a'))
        .find_map(age_rating_in);
    let annotation: Vec<String> = raw
        .fields_tagged("520")
        .filter_map(|f| cleaned(f.subfield('a')))
        .collect();
    rec.annotation = (!annotation.is_empty()).then(|| annotation.join("\n"));
    rec.copies = copies(raw, &["852", "876"]);
    rec
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::path::PathBuf;
    use std::sync::OnceLock;

    // ---- Fixtures ------------------------------------------------------------------------

    /// Real exports kept with the tests (`tests/fixtures/marc`, see its README for sources and
    /// licences).
    fn sample_path(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/marc")
            .join(name)
    }

    fn sample(name: &str) -> Vec<u8> {
        let path = sample_path(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("sample {}: {e}", path.display()))
    }

    const SAMPLES: [&str; 10] = [
        "7_rusmarc.mrc",
        "NLR009673669.mrc",
        "NLR009673670.mrc",
        "ISBN-978-5-901202-50-0_01003120729_rsl.iso",
        "01002988236_rusmarc.iso",
        "seed_1_marc21.mrc",
        "seed_ISBN-978-5-901202-50-0_01003120729_marc21.mrc",
        "seed_01002988236_marc21.xml",
        "pymarc_test.dat",
        "pymarc_batch.xml",
    ];

    /// Reads a file that must be read completely: every record, no problem.
    fn read_clean(bytes: &[u8]) -> Vec<CatalogRecord> {
        let (records, problems) = read(bytes).expect("MARC");
        assert_eq!(problems, vec![], "no record may be skipped");
        records
    }

    fn read_one(name: &str) -> CatalogRecord {
        let mut records = read_clean(&sample(name));
        assert_eq!(records.len(), 1, "{name} holds one record");
        records.remove(0)
    }

    fn isbns(record: &CatalogRecord) -> Vec<&str> {
        record.isbn.iter().map(|i| i.written.as_str()).collect()
    }

    /// Builds an ISO 2709 record. `body` of a data field is indicators plus "\x1f"-delimited
    /// subfields. `encode` turns text into the file's bytes; with `lengths_in_chars` the
    /// directory counts characters instead of bytes, as some re-encoding exporters do.
    fn iso_record(
        flavour: Flavour,
        fields: &[(&str, &str)],
        encode: &dyn Fn(&str) -> Vec<u8>,
        lengths_in_chars: bool,
    ) -> Vec<u8> {
        let mut directory = Vec::new();
        let mut data = Vec::new();
        let mut position = 0;
        for (tag, body) in fields {
            let mut bytes = encode(body);
            bytes.push(FIELD_TERMINATOR);
            let length = if lengths_in_chars {
                body.chars().count() + 1
            } else {
                bytes.len()
            };
            directory.extend(format!("{tag}{length:04}{position:05}").bytes());
            position += length;
            data.extend(bytes);
        }
        directory.push(FIELD_TERMINATOR);
        let base = LEADER_LEN + directory.len();
        let total = base + data.len() + 1;
        let (middle, tail) = match flavour {
            Flavour::Rusmarc => ("nam0 ", "   450 "),
            Flavour::Marc21 => ("nam a", " i 4500"),
        };
        let leader = format!("{total:05}{middle}22{base:05}{tail}");
        assert_eq!(leader.len(), LEADER_LEN);
        let mut out = leader.into_bytes();
        out.extend(directory);
        out.extend(data);
        out.push(RECORD_TERMINATOR);
        out
    }

    fn utf8(text: &str) -> Vec<u8> {
        text.as_bytes().to_vec()
    }

    fn cp1251(text: &str) -> Vec<u8> {
        WINDOWS_1251.encode(text).0.into_owned()
    }

    fn koi8(text: &str) -> Vec<u8> {
        KOI8_R.encode(text).0.into_owned()
    }

    /// A RUSMARC record like a school library's, declaring character set `charset` in 100$a.
    fn tolstoy_fields(charset: &str) -> Vec<(&'static str, String)> {
        vec![
            ("001", "school-42".to_string()),
            (
                "100",
                format!("  \x1fa20200101d2020    u  y0rusy{charset}      ca"),
            ),
            ("010", "  \x1fa978-5-901202-50-0\x1fdв пер.".to_string()),
            ("101", "0 \x1farus".to_string()),
            (
                "200",
                "1 \x1faВойна и мир\x1feроман\x1ffЛ. Н. Толстой ; под ред. И. И. Иванова"
                    .to_string(),
            ),
            ("205", "  \x1fa2-е изд.".to_string()),
            ("210", "  \x1faМосква\x1fcПросвещение\x1fd2020".to_string()),
            ("215", "  \x1fa350 с.\x1fcил.".to_string()),
            ("330", "  \x1faРоман-эпопея о русском обществе.".to_string()),
            (
                "333",
                "  \x1faЗнак информационной продукции 12+".to_string(),
            ),
            ("606", "0 \x1faРусская литература\x1fyXIX в.".to_string()),
            (
                "700",
                " 1\x1faТолстой\x1fbЛ. Н.\x1fgЛев Николаевич\x1f4070".to_string(),
            ),
        ]
    }

    fn tolstoy(charset: &str, encode: &dyn Fn(&str) -> Vec<u8>, in_chars: bool) -> Vec<u8> {
        let fields = tolstoy_fields(charset);
        let refs: Vec<(&str, &str)> = fields.iter().map(|(t, b)| (*t, b.as_str())).collect();
        iso_record(Flavour::Rusmarc, &refs, encode, in_chars)
    }

    fn second_record() -> Vec<u8> {
        iso_record(
            Flavour::Rusmarc,
            &[
                ("001", "school-43"),
                ("200", "1 \x1faКапитанская дочка\x1ffА. С. Пушкин"),
                ("210", "  \x1faМосква\x1fcДетская литература\x1fd2019"),
                ("700", " 1\x1faПушкин\x1fbА. С."),
            ],
            &utf8,
            false,
        )
    }

    fn third_record() -> Vec<u8> {
        iso_record(
            Flavour::Marc21,
            &[
                ("001", "school-44"),
                ("008", "200101s2018    ru            000 0 rus d"),
                ("100", "1 \x1faГайдар, Аркадий Петрович"),
                ("245", "10\x1faТимур и его команда /\x1fcА. П. Гайдар."),
                ("260", "  \x1faМосква :\x1fbМахаон,\x1fc2018."),
            ],
            &utf8,
            false,
        )
    }

    fn titles(records: &[CatalogRecord]) -> Vec<&str> {
        records.iter().map(|r| r.title.as_str()).collect()
    }

    // ---- Every sample file ---------------------------------------------------------------

    #[test]
    fn sample_7_rusmarc() {
        let r = read_one("7_rusmarc.mrc");
        assert_eq!(r.flavour, Flavour::Rusmarc);
        assert_eq!(r.encoding, TextEncoding::Utf8);
        assert_eq!(r.source_id.as_deref(), Some("009670190"));
        // 200$a ends with "," before $f in the file; the comma is ISBD punctuation.
        assert_eq!(
            r.title,
            "Изложение глав или статей увещательных греческому императору Иустиниану"
        );
        // 700 with second indicator 0: a name entered under the forename, no given names.
        assert_eq!(
            r.authors,
            vec![Person {
                family: "Агапит".into(),
                given: String::new()
            }]
        );
        assert_eq!(r.year, Some(1771));
        assert!(r.isbn.is_empty());
        assert_eq!(r.places, vec!["[Санкт-Петербург]"]);
        assert_eq!(
            r.responsibility.as_deref(),
            Some("Поднесенное Константинопольския соборныя церкви диаконом")
        );
        assert_eq!(r.extent.as_deref(), Some("[8], 35, [1] с."));
        // 702 translator with the full given names of $g; the linked 790 is not a person twice.
        assert_eq!(r.contributors[0].person.family, "Писарев");
        assert_eq!(r.contributors[0].person.initials(), "С. И.");
        assert_eq!(r.contributors[0].role, Some(Role::Translator));
        assert_eq!(r.contributors[1].person.family, "Павел I");
        assert_eq!(
            r.subjects,
            vec!["Юстиниан I -- в художественной литературе"]
        );
    }

    #[test]
    fn sample_nlr_set_record() {
        let r = read_one("NLR009673669.mrc");
        assert_eq!(r.title, "Модная книга");
        // The Latin-script twin of the 700 field (same $6 link) is not a second author.
        assert_eq!(r.authors.len(), 1);
        assert_eq!(r.authors[0].family, "Караччоли");
        assert_eq!(r.authors[0].initials(), "Л. А.");
        assert_eq!(r.year, Some(1789));
        assert!(r.isbn.is_empty());
        assert_eq!(r.places, vec!["Москва"]);
        assert_eq!(
            r.publishers,
            vec!["в Университетской типографии, у Н.Новикова"]
        );
        let roles: Vec<_> = r.contributors.iter().map(|c| c.role.clone()).collect();
        assert_eq!(
            roles,
            vec![
                Some(Role::Other("610".into())),
                Some(Role::Other("190".into()))
            ]
        );
    }

    #[test]
    fn sample_nlr_volume_record_takes_set_title_and_author() {
        let r = read_one("NLR009673670.mrc");
        // 461 links the volume to its set: the set's title, the volume as the part.
        assert_eq!(r.title, "Модная книга");
        let part = r.part.expect("volume");
        assert_eq!(part.number.as_deref(), Some("Ч. 1"));
        assert_eq!(
            part.title.as_deref(),
            Some("Здесь должен быть попугай. В зеленолистии")
        );
        assert_eq!(r.authors[0].family, "Караччоли");
        // No 210 in the volume: the year comes from 100$a date 1.
        assert_eq!(r.year, Some(1789));
        assert!(r.isbn.is_empty());
        assert_eq!(r.extent.as_deref(), Some("67, [1] с."));
        assert_eq!(
            r.url.as_deref(),
            Some("http://vivaldi.nlr.ru/bx000016429/view")
        );
    }

    #[test]
    fn sample_rsl_isbn_rusmarc() {
        let r = read_one("ISBN-978-5-901202-50-0_01003120729_rsl.iso");
        assert_eq!(r.title, "Международный стандартный книжный номер (ISBN)");
        assert_eq!(r.other_title.as_deref(), Some("пособие для издателей"));
        assert_eq!(
            r.responsibility.as_deref(),
            Some("сост.: С. Ю. Калинин, И. И. Ильина, В. П. Борисова")
        );
        // Compilers are not authors: no heading in a ГОСТ description.
        assert!(r.authors.is_empty());
        assert_eq!(r.contributors[0].person.family, "Калинин");
        assert_eq!(r.contributors[0].role, Some(Role::Compiler));
        assert_eq!(r.year, Some(2007));
        assert_eq!(isbns(&r), vec!["978-5-901202-50-0"]);
        assert_eq!(r.isbn[0].normalized, "9785901202500");
        assert!(r.isbn[0].is_valid());
        assert_eq!(
            (r.places.clone(), r.publishers.clone()),
            (vec!["Москва".to_string()], vec!["РКП".to_string()])
        );
        assert_eq!(r.extent.as_deref(), Some("27 с."));
        assert_eq!(
            r.series.as_deref(),
            Some("Библиотека Российской книжной палаты : методические материалы и рекомендации / Российская кн. палата ; вып. 3")
        );
        assert!(r.subjects.contains(&"ISBN".to_string()));
    }

    #[test]
    fn sample_rusmarc_multipart_matches_its_catalogue_card() {
        let r = read_one("01002988236_rusmarc.iso");
        assert!(r
            .title
            .starts_with("История XVIII столетия, или Обстоятельное описание"));
        assert!(r.title.ends_with("в течении онаго живших"));
        assert!(r.authors.is_empty());
        assert_eq!(r.contributors[0].person.family, "Озеров");
        assert_eq!(r.year, Some(1804));
        assert_eq!(r.date.as_deref(), Some("1804-1807"));
        assert!(r.isbn.is_empty());
        // The printed card (01002988236_card.txt) is the library's own description of this
        // record; its first area must be what the fields say.
        let card = std::fs::read_to_string(sample_path("01002988236_card.txt")).expect("present");
        let expected = format!(
            "{} / {}. - {} : {}, {}.",
            r.title,
            r.responsibility.as_deref().expect("present"),
            r.places[0],
            r.publishers[0],
            r.date.as_deref().expect("present")
        );
        assert!(
            card.starts_with(&expected),
            "card: {card}\nours: {expected}"
        );
    }

    #[test]
    fn sample_marc21_iso() {
        let r = read_one("seed_1_marc21.mrc");
        assert_eq!(r.flavour, Flavour::Marc21);
        assert_eq!(
            r.title,
            "Таблицы логарифмов простых чисел и тригонометрических линей"
        );
        assert_eq!(
            r.authors,
            vec![Person {
                family: "Афанасьев".into(),
                given: "Пафнутий Алексеевич".into()
            }]
        );
        assert_eq!(r.year, Some(1818));
        assert!(r.isbn.is_empty());
        assert_eq!(r.places, vec!["Санктпетербург"]);
        assert_eq!(r.contributors[0].role, Some(Role::Other("cns".into())));
        assert!(r
            .url
            .as_deref()
            .expect("present")
            .ends_with("rsl01002986566.pdf"));
    }

    #[test]
    fn sample_marc21_twin_reads_like_the_rusmarc_record() {
        let marc21 = read_one("seed_ISBN-978-5-901202-50-0_01003120729_marc21.mrc");
        let rusmarc = read_one("ISBN-978-5-901202-50-0_01003120729_rsl.iso");
        assert_eq!(marc21.flavour, Flavour::Marc21);
        assert_eq!(
            marc21.title,
            "Международный стандартный книжный номер (ISBN)"
        );
        assert_eq!(isbns(&marc21), vec!["978-5-901202-50-0"]);
        assert_eq!(marc21.year, Some(2007));
        // 700 with "$e сост." is a compiler, as 702 is in RUSMARC.
        assert!(marc21.authors.is_empty());
        assert_eq!(marc21.contributors[0].role, Some(Role::Compiler));
        for (a, b) in [
            (&marc21.title, &rusmarc.title),
            (
                &marc21.source_id.clone().expect("present"),
                &rusmarc.source_id.clone().expect("present"),
            ),
        ] {
            assert_eq!(a, b);
        }
        assert_eq!(marc21.other_title, rusmarc.other_title);
        assert_eq!(marc21.responsibility, rusmarc.responsibility);
        assert_eq!(marc21.places, rusmarc.places);
        assert_eq!(marc21.publishers, rusmarc.publishers);
        assert_eq!(marc21.extent, rusmarc.extent);
        assert_eq!(marc21.series, rusmarc.series);
        assert_eq!(marc21.isbn, rusmarc.isbn);
    }

    #[test]
    fn sample_marcxml_default_namespace_cyrillic() {
        let xml = read_one("seed_01002988236_marc21.xml");
        let iso = read_one("01002988236_rusmarc.iso");
        assert_eq!(xml.flavour, Flavour::Marc21);
        // The XML wraps the title over three indented lines; white space is collapsed.
        assert_eq!(xml.title, iso.title);
        assert_eq!(xml.year, Some(1804));
        assert_eq!(xml.date.as_deref(), Some("1804-1807"));
        assert!(xml.authors.is_empty());
        assert_eq!(xml.contributors.len(), 3);
        assert!(xml
            .contributors
            .iter()
            .all(|c| c.role == Some(Role::Translator)));
        assert_eq!(xml.contributors[0].person.family, "Озеров");
        assert!(xml.isbn.is_empty());
        assert_eq!(xml.responsibility, iso.responsibility);
        assert_eq!(xml.subjects, vec!["Екатерина II"]);
    }

    #[test]
    fn sample_pymarc_dat_ten_marc21_records() {
        let records = read_clean(&sample("pymarc_test.dat"));
        assert_eq!(
            titles(&records),
            vec![
                "ActivePerl with ASP and ADO",
                "Programming the Perl DBI",
                "Perl",
                "Perl",
                "CGI programming with Perl",
                "Proceedings of the Perl Conference 4.0",
                "Perl for system administration",
                "Programming Perl",
                "Perl programmer's interactive workbook",
                "Cross-platform Perl",
            ]
        );
        let first = &records[0];
        assert_eq!(
            first.authors[0],
            Person {
                family: "Martinsson".into(),
                given: "Tobias".into()
            }
        );
        assert_eq!(first.year, Some(2000));
        assert_eq!(isbns(first), vec!["0471383147"]);
        assert_eq!(first.publishers, vec!["John Wiley & Sons"]);
        assert_eq!(first.extent.as_deref(), Some("xxi, 289 p."));
        // "c1999." → 1999; "Perl :" → "Perl" with "programmer's reference" as other title.
        assert_eq!(records[2].year, Some(1999));
        assert_eq!(records[2].date.as_deref(), Some("c1999"));
        assert_eq!(
            records[2].other_title.as_deref(),
            Some("programmer's reference")
        );
        assert!(records[2].isbn.is_empty());
        // 700 without relator: co-authors.
        let wall: Vec<_> = records[7]
            .authors
            .iter()
            .map(|p| p.family.as_str())
            .collect();
        assert_eq!(wall, vec!["Wall", "Christiansen", "Orwant"]);
        assert_eq!(isbns(&records[8]), vec!["013020868X"]);
        assert!(records[8].isbn[0].is_valid());
        assert_eq!(
            records[4].edition.as_deref(),
            Some("2nd ed., expanded & updated")
        );
        // "p. cm." is a CIP placeholder, not an extent.
        assert_eq!(records[4].extent, None);
        // "Cambridge, Mass." keeps the full stop of its abbreviation.
        assert_eq!(records[4].places, vec!["Cambridge, Mass."]);
        assert!(records.iter().all(|r| r.flavour == Flavour::Marc21));
        assert!(records.iter().all(|r| r.language.as_deref() == Some("eng")));
    }

    #[test]
    fn sample_pymarc_batch_xml_with_marc_prefix() {
        let records = read_clean(&sample("pymarc_batch.xml"));
        assert_eq!(
            titles(&records),
            vec!["The Great Ray Charles", "The White House"]
        );
        let ray = &records[0];
        assert!(ray.authors.is_empty());
        assert_eq!(ray.contributors[0].person.family, "Charles");
        assert_eq!(ray.contributors[0].role, Some(Role::Other("prf".into())));
        assert_eq!(ray.year, Some(1957));
        assert_eq!(ray.date.as_deref(), Some("[1957?]"));
        assert!(ray.isbn.is_empty());
        let house = &records[1];
        assert_eq!(house.year, Some(1994));
        assert_eq!(house.url.as_deref(), Some("http://www.whitehouse.gov"));
        assert!(house.electronic, "leader/06 'm' is a computer file");
        assert_eq!(ray.type_of_record, Some('j'));
        assert_eq!(house.type_of_record, Some('m'));
        assert!(house
            .annotation
            .as_deref()
            .expect("present")
            .starts_with("Features the White House"));
    }

    #[test]
    fn every_sample_is_read_without_problems() {
        let expected_counts = [1, 1, 1, 1, 1, 1, 1, 1, 10, 2];
        for (name, count) in SAMPLES.iter().zip(expected_counts) {
            let (records, problems) = read(&sample(name)).expect("present");
            assert_eq!((records.len(), problems.len()), (count, 0), "{name}");
        }
    }

    // ---- Encodings -------------------------------------------------------------------------

    #[test]
    fn windows_1251_and_utf8_of_the_same_record_read_alike() {
        let from_utf8 = read_clean(&tolstoy("50", &utf8, false)).remove(0);
        let from_1251 = read_clean(&tolstoy("89", &cp1251, false)).remove(0);
        assert_eq!(from_utf8.encoding, TextEncoding::Utf8);
        assert_eq!(from_1251.encoding, TextEncoding::Windows1251);
        assert_eq!(
            CatalogRecord {
                encoding: TextEncoding::Utf8,
                ..from_1251
            },
            from_utf8
        );
        let r = from_utf8;
        assert_eq!(r.title, "Война и мир");
        assert_eq!(r.other_title.as_deref(), Some("роман"));
        assert_eq!(r.responsibility.as_deref(), Some("Л. Н. Толстой"));
        assert_eq!(r.further_responsibility, vec!["под ред. И. И. Иванова"]);
        assert_eq!(r.authors[0].initials(), "Л. Н.");
        assert_eq!(r.edition.as_deref(), Some("2-е изд."));
        assert_eq!(r.year, Some(2020));
        assert_eq!(r.age_rating.as_deref(), Some("12+"));
        assert_eq!(r.subjects, vec!["Русская литература -- XIX в."]);
        assert_eq!(
            r.annotation.as_deref(),
            Some("Роман-эпопея о русском обществе")
        );
    }

    #[test]
    fn windows_1251_record_that_claims_utf8_is_still_read() {
        // 100$a says "50" (UTF-8) but the bytes are windows-1251: exports lie.
        let r = read_clean(&tolstoy("50", &cp1251, false)).remove(0);
        assert_eq!(r.encoding, TextEncoding::Windows1251);
        assert_eq!(r.title, "Война и мир");
    }

    #[test]
    fn koi8_r_declared_or_not() {
        let declared = read_clean(&tolstoy("99", &koi8, false)).remove(0);
        assert_eq!(declared.encoding, TextEncoding::Koi8R);
        assert_eq!(declared.title, "Война и мир");
        // Undeclared: windows-1251 would turn the lower-case text into capitals.
        let guessed = read_clean(&tolstoy("  ", &koi8, false)).remove(0);
        assert_eq!(guessed.encoding, TextEncoding::Koi8R);
        assert_eq!(guessed.authors[0].family, "Толстой");
    }

    #[test]
    fn cp866_declared() {
        let encode = |t: &str| {
            // encoding_rs has no IBM866 encoder; map the letters this record uses by hand.
            t.chars()
                .map(|c| match c {
                    'А'..='п' => (0x80 + (c as u32 - 'А' as u32)) as u8,
                    'р'..='я' => (0xE0 + (c as u32 - 'р' as u32)) as u8,
                    c if c.is_ascii() => c as u8,
                    _ => b'?',
                })
                .collect::<Vec<u8>>()
        };
        let r = read_clean(&tolstoy("79", &encode, false)).remove(0);
        assert_eq!(r.encoding, TextEncoding::Cp866);
        assert_eq!(r.title, "Война и мир");
    }

    // ---- Damaged ISO 2709 ------------------------------------------------------------------

    #[test]
    fn directory_lengths_counted_in_characters_are_tolerated() {
        let r = read_clean(&tolstoy("50", &utf8, true)).remove(0);
        assert_eq!(r.title, "Война и мир");
        assert_eq!(r.publishers, vec!["Просвещение"]);
        assert_eq!(r.authors[0].given, "Лев Николаевич");
    }

    #[test]
    fn wrong_leader_numbers_and_a_bom_are_tolerated() {
        let mut first = tolstoy("50", &utf8, false);
        first[..5].copy_from_slice(b"99999"); // record length
        let mut second = second_record();
        second[12..17].copy_from_slice(b"00013"); // base address
        let mut file = b"\xEF\xBB\xBF".to_vec();
        file.extend(first);
        file.extend(second);
        let records = read_clean(&file);
        assert_eq!(titles(&records), vec!["Война и мир", "Капитанская дочка"]);
    }

    #[test]
    fn records_concatenated_with_or_without_line_breaks() {
        for separator in [&b""[..], b"\n", b"\r\n", b"\r\n\r\n"] {
            let mut file = tolstoy("50", &utf8, false);
            file.extend_from_slice(separator);
            file.extend(second_record());
            file.extend_from_slice(separator);
            file.extend(third_record());
            file.extend_from_slice(separator);
            let records = read_clean(&file);
            assert_eq!(
                titles(&records),
                vec!["Война и мир", "Капитанская дочка", "Тимур и его команда"]
            );
            assert_eq!(records[2].flavour, Flavour::Marc21);
            assert_eq!(records[2].authors[0].initials(), "А. П.");
        }
    }

    #[test]
    fn truncated_record_among_good_ones_is_reported_and_skipped() {
        let mut file = second_record();
        let broken = tolstoy("50", &utf8, false);
        file.extend_from_slice(&broken[..broken.len() / 2]);
        file.extend(third_record());
        let (records, problems) = read(&file).expect("present");
        assert_eq!(
            titles(&records),
            vec!["Капитанская дочка", "Тимур и его команда"]
        );
        assert_eq!(
            problems,
            vec![Problem {
                index: 2,
                reason: ProblemKind::Truncated
            }]
        );
    }

    #[test]
    fn truncated_last_record_is_reported() {
        let mut file = second_record();
        let cut = tolstoy("50", &utf8, false);
        file.extend_from_slice(&cut[..cut.len() - 40]);
        let (records, problems) = read(&file).expect("present");
        assert_eq!(titles(&records), vec!["Капитанская дочка"]);
        assert_eq!(problems[0].index, 2);
        assert_eq!(problems[0].reason, ProblemKind::Truncated);
        // Only the terminator missing: every field is there, so the record is kept.
        let mut whole = second_record();
        whole.pop();
        assert_eq!(titles(&read_clean(&whole)), vec!["Капитанская дочка"]);
    }

    #[test]
    fn garbage_between_and_around_records() {
        let mut file = b"\x00\x13garbage!!".to_vec();
        file.extend(second_record());
        file.extend_from_slice(b"~~~ \xff\xfe not a record ~~~");
        file.extend(third_record());
        let (records, problems) = read(&file).expect("present");
        assert_eq!(
            titles(&records),
            vec!["Капитанская дочка", "Тимур и его команда"]
        );
        assert_eq!(
            problems,
            vec![
                Problem {
                    index: 1,
                    reason: ProblemKind::NotARecord
                },
                Problem {
                    index: 3,
                    reason: ProblemKind::NotARecord
                }
            ]
        );
    }

    #[test]
    fn line_wrapped_export_is_unwrapped() {
        let record = tolstoy("50", &cp1251, false);
        let mut wrapped = Vec::new();
        for line in record.chunks(80) {
            wrapped.extend_from_slice(line);
            wrapped.extend_from_slice(b"\r\n");
        }
        let r = read_clean(&wrapped).remove(0);
        assert_eq!(r.title, "Война и мир");
        assert_eq!(r.places, vec!["Москва"]);
        assert_eq!(r.authors[0].family, "Толстой");
    }

    #[test]
    fn copies_come_from_the_holdings_fields() {
        // RUSMARC 899 with inventory numbers (and the same number twice), a national library's
        // holding without one, and an ИРБИС 910 with a copy out and one written off.
        let bytes = iso_record(
            Flavour::Rusmarc,
            &[
                ("001", "school-77"),
                ("200", "1 \x1faДерсу Узала\x1ffВ. К. Арсеньев"),
                ("899", "  \x1faИБЦ школы 5\x1fj84(2Рос=Рус)6 А86\x1fpБ-101"),
                (
                    "899",
                    "  \x1faИБЦ школы 5\x1fh84(2Рос=Рус)6\x1fiА86\x1fpБ-102",
                ),
                ("899", "  \x1faИБЦ школы 5\x1fpБ-101"),
                ("899", "  \x1faNLR\x1fj18.261.6.12"),
                ("852", "  \x1faРГБ\x1fjMK XIX\x1fpMK IV-33851"),
                ("910", "  \x1fa1\x1fbБ-103\x1fdАБ"),
                ("910", "  \x1fa6\x1fbБ-104\x1fdАБ"),
                ("910", "  \x1fa0\x1fbБ-105\x1fdЧЗ"),
            ],
            &utf8,
            false,
        );
        let record = read_clean(&bytes).remove(0);
        let copy = |n: &str, shelf: &str, available: bool| HeldCopy {
            inventory_number: n.into(),
            shelf_mark: shelf.into(),
            available,
        };
        assert_eq!(
            record.copies,
            vec![
                copy("Б-101", "84(2Рос=Рус)6 А86", true),
                copy("Б-102", "84(2Рос=Рус)6 А86", true),
                copy("Б-103", "АБ", false),
                copy("Б-105", "ЧЗ", true),
            ]
        );
        // Copies are the import's to store, not part of the record's JSON.
        let json = serde_json::to_string(&record).expect("json");
        assert!(
            !json.contains("Б-101") && !json.contains("access_mode"),
            "{json}"
        );

        // MARC21: 852 with a piece designation, 876 with a barcode and a status.
        let bytes = iso_record(
            Flavour::Marc21,
            &[
                ("001", "school-78"),
                ("245", "10\x1faТимур и его команда /\x1fcА. П. Гайдар."),
                ("852", "4 \x1faSchool 5\x1fjГ14\x1fp000123"),
                ("876", "  \x1fp000124\x1fjChecked out"),
                ("876", "  \x1fa000125"),
            ],
            &utf8,
            false,
        );
        let record = read_clean(&bytes).remove(0);
        assert_eq!(
            record.copies,
            vec![
                copy("000123", "Г14", true),
                copy("000124", "", false),
                copy("000125", "", true),
            ]
        );
        // The samples from national libraries bring none of their holdings as copies.
        for name in ["seed_1_marc21.mrc", "NLR009673669.mrc", "7_rusmarc.mrc"] {
            assert!(read_one(name).copies.is_empty(), "{name}");
        }
    }

    #[test]
    fn the_access_mode_is_stored_only_when_set() {
        let record = CatalogRecord {
            title: "Дерсу Узала".into(),
            access_mode: Some(crate::catalog::gost::AccessMode::ReadingRoom),
            ..CatalogRecord::default()
        };
        let json = serde_json::to_string(&record).expect("json");
        assert!(json.contains("\"access_mode\":\"reading_room\""), "{json}");
        let back: CatalogRecord = serde_json::from_str(&json).expect("read back");
        assert_eq!(back, record);
        // A record stored before the field existed still reads.
        let old = json.replace(",\"access_mode\":\"reading_room\"", "");
        let back: CatalogRecord = serde_json::from_str(&old).expect("old JSON");
        assert_eq!(back.access_mode, None);
    }

    #[test]
    fn record_without_title_is_a_problem() {
        let mut file = iso_record(
            Flavour::Rusmarc,
            &[("001", "x"), ("700", " 1\x1faИванов")],
            &utf8,
            false,
        );
        file.extend(second_record());
        let (records, problems) = read(&file).expect("present");
        assert_eq!(titles(&records), vec!["Капитанская дочка"]);
        assert_eq!(
            problems,
            vec![Problem {
                index: 1,
                reason: ProblemKind::NoTitle
            }]
        );
    }

    #[test]
    fn many_unterminated_leaders_are_split_in_linear_time() {
        // Each piece looks like a record start but none is terminated: a naive search for the
        // next terminator from every piece would be quadratic.
        let piece = format!("{:05}nam0 22{:05}   450 \x1eabcd\x1e", 30, 25);
        let file = piece.repeat(20_000);
        let started = std::time::Instant::now();
        let (records, problems) = read(file.as_bytes()).expect("present");
        assert!(records.is_empty());
        assert_eq!(problems.len(), 20_000);
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }

    #[test]
    fn not_marc_at_all() {
        assert_eq!(read(b""), Err(NotMarc::Empty));
        assert_eq!(read(b" \r\n\t\n"), Err(NotMarc::Empty));
        assert_eq!(read(b"\xEF\xBB\xBF\n"), Err(NotMarc::Empty));
        let text = "Список литературы\n1. Толстой Л. Н. Война и мир.\n".as_bytes();
        assert_eq!(read(text), Err(NotMarc::Unrecognised));
        assert_eq!(
            read(b"000000000000000000000000000000 all digits, no fields"),
            Err(NotMarc::Unrecognised)
        );
        let garbage: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert_eq!(read(&garbage), Err(NotMarc::Unrecognised));
        assert_eq!(
            read(b"<html><body>Hello</body></html>"),
            Err(NotMarc::Unrecognised)
        );
        assert_eq!(read(b"<<<< not xml"), Err(NotMarc::Unrecognised));
    }

    #[test]
    fn format_detection_looks_at_content() {
        assert_eq!(
            detect_format(b"\xEF\xBB\xBF  \n<collection/>"),
            Ok(SourceFormat::MarcXml)
        );
        assert_eq!(detect_format(&second_record()), Ok(SourceFormat::Iso2709));
        assert_eq!(detect_format(b""), Err(NotMarc::Empty));
    }

    // ---- MARCXML ---------------------------------------------------------------------------

    const XML_BODY: &str = r#"<{p}record>
      <{p}leader>00000nam a2200000 i 4500</{p}leader>
      <{p}controlfield tag="001">xml-1</{p}controlfield>
      <{p}controlfield tag="008">200101s2021    ru            000 0 rus d</{p}controlfield>
      <{p}datafield tag="020" ind1=" " ind2=" "><{p}subfield code="a">978-5-17-000000-0 (в пер.)</{p}subfield></{p}datafield>
      <{p}datafield tag="100" ind1="1" ind2=" "><{p}subfield code="a">Носов, Николай Николаевич</{p}subfield></{p}datafield>
      <{p}datafield tag="245" ind1="1" ind2="0">
        <{p}subfield code="a">Приключения Незнайки &amp; его друзей :</{p}subfield>
        <{p}subfield code="b">сказка /</{p}subfield>
        <{p}subfield code="c">Н. Н. Носов ; худож. А. &#1051;аптев</{p}subfield>
      </{p}datafield>
      <{p}datafield tag="264" ind1=" " ind2="1"><{p}subfield code="a">Москва :</{p}subfield><{p}subfield code="b">АСТ,</{p}subfield><{p}subfield code="c">2021</{p}subfield></{p}datafield>
      <{p}datafield tag="521" ind1=" " ind2=" "><{p}subfield code="a">6+</{p}subfield></{p}datafield>
    </{p}record>"#;

    fn marcxml(prefix: &str, root: &str) -> String {
        let body = XML_BODY.replace("{p}", prefix);
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
            root.replace("{body}", &body)
        )
    }

    fn check_nosov(r: &CatalogRecord) {
        assert_eq!(r.flavour, Flavour::Marc21);
        assert_eq!(r.title, "Приключения Незнайки & его друзей");
        assert_eq!(r.other_title.as_deref(), Some("сказка"));
        assert_eq!(r.responsibility.as_deref(), Some("Н. Н. Носов"));
        assert_eq!(r.further_responsibility, vec!["худож. А. Лаптев"]);
        assert_eq!(r.authors[0].family, "Носов");
        assert_eq!(r.year, Some(2021));
        assert_eq!(r.places, vec!["Москва"]);
        assert_eq!(r.publishers, vec!["АСТ"]);
        assert_eq!(r.isbn[0].written, "978-5-17-000000-0");
        assert_eq!(r.age_rating.as_deref(), Some("6+"));
    }

    #[test]
    fn marcxml_with_and_without_namespace_or_prefix() {
        let variants = [
            marcxml(
                "",
                r#"<collection xmlns="http://www.loc.gov/MARC21/slim">{body}</collection>"#,
            ),
            marcxml("", "<collection>{body}</collection>"),
            marcxml(
                "marc:",
                r#"<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">{body}</marc:collection>"#,
            ),
            marcxml("", "{body}"),
            marcxml(
                "",
                r#"<OAI-PMH><ListRecords><record><header/><metadata>{body}</metadata></record></ListRecords></OAI-PMH>"#,
            ),
        ];
        for xml in variants {
            let records = read_clean(xml.as_bytes());
            assert_eq!(records.len(), 1, "{xml}");
            check_nosov(&records[0]);
        }
    }

    #[test]
    fn marcxml_in_windows_1251_and_utf16() {
        let xml = marcxml("", "<collection>{body}</collection>")
            .replace("encoding=\"UTF-8\"", "encoding=\"windows-1251\"");
        let r = read_clean(&cp1251(&xml)).remove(0);
        assert_eq!(r.encoding, TextEncoding::Windows1251);
        check_nosov(&r);

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in marcxml("", "<collection>{body}</collection>").encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let r = read_clean(&utf16).remove(0);
        assert_eq!(r.encoding, TextEncoding::Utf16);
        check_nosov(&r);
    }

    #[test]
    fn marcxml_with_rusmarc_tags() {
        let xml = r#"<collection><record><leader>00000nam0 22000001i 450 </leader>
            <controlfield tag="001">rus-1</controlfield>
            <datafield tag="010" ind1=" " ind2=" "><subfield code="a">5-02-003134-8</subfield></datafield>
            <datafield tag="200" ind1="1" ind2=" "><subfield code="a">Мастер и Маргарита</subfield><subfield code="e">роман</subfield><subfield code="f">М. А. Булгаков</subfield></datafield>
            <datafield tag="210" ind1=" " ind2=" "><subfield code="a">Москва</subfield><subfield code="c">Художественная литература</subfield><subfield code="d">1988</subfield></datafield>
            <datafield tag="700" ind1=" " ind2="1"><subfield code="a">Булгаков</subfield><subfield code="b">М. А.</subfield></datafield>
        </record></collection>"#;
        let r = read_clean(xml.as_bytes()).remove(0);
        assert_eq!(r.flavour, Flavour::Rusmarc);
        assert_eq!(r.title, "Мастер и Маргарита");
        assert_eq!(r.authors[0].given, "М. А.");
        assert_eq!(r.year, Some(1988));
        assert_eq!(r.isbn[0].normalized, "5020031348");
    }

    #[test]
    fn marcxml_cut_off_or_broken() {
        let whole = marcxml("", "<collection>{body}{body}</collection>");
        let cut = &whole[..whole.rfind("<datafield tag=\"245\"").expect("present")];
        let (records, problems) = read(cut.as_bytes()).expect("present");
        assert_eq!(records.len(), 1);
        check_nosov(&records[0]);
        assert_eq!(
            problems,
            vec![Problem {
                index: 2,
                reason: ProblemKind::Truncated
            }]
        );

        // quick-xml forgives a lot (stray "<", mismatched end tags); an unclosed comment is
        // one thing it cannot read past.
        let second = whole.rfind("<record>").expect("present");
        let broken = format!(
            "{}<record><!-- broken{}",
            &whole[..second],
            &whole[second + 8..]
        );
        let (records, problems) = read(broken.as_bytes()).expect("present");
        assert_eq!(records.len(), 1);
        assert_eq!(
            problems,
            vec![Problem {
                index: 2,
                reason: ProblemKind::BadXml
            }]
        );
    }

    // ---- Articles and links ------------------------------------------------------------------

    #[test]
    fn rusmarc_article_with_embedded_host() {
        let file = iso_record(
            Flavour::Rusmarc,
            &[
                ("001", "art-1"),
                ("200", "1 \x1faШкольная библиотека как центр чтения\x1ffА. В. Петров"),
                ("215", "  \x1faС. 15-20"),
                (
                    "463",
                    " 1\x1f1001jour-7\x1f12001 \x1faШкольная библиотека\x1fv№ 3\x1f1210  \x1fd2021\x1f1011  \x1fa1727-4893",
                ),
                ("700", " 1\x1faПетров\x1fbА. В."),
            ],
            &utf8,
            false,
        );
        let r = read_clean(&file).remove(0);
        let host = r.host.expect("host");
        assert_eq!(host.title, "Школьная библиотека");
        assert_eq!(host.source_id.as_deref(), Some("jour-7"));
        assert_eq!(host.year, Some(2021));
        assert_eq!(host.issue.as_deref(), Some("3"));
        assert_eq!(host.pages.as_deref(), Some("15-20"));
        assert_eq!(host.issn.as_deref(), Some("1727-4893"));
    }

    #[test]
    fn marc21_article_with_773() {
        let file = iso_record(
            Flavour::Marc21,
            &[
                ("100", "1 \x1faSmith, John"),
                ("245", "10\x1faReading in schools /\x1fcJohn Smith."),
                (
                    "773",
                    "0 \x1ftJournal of Reading\x1fgVol. 62, no. 2 (2019), p. 36-48\x1fx0022-4103",
                ),
            ],
            &utf8,
            false,
        );
        let r = read_clean(&file).remove(0);
        let host = r.host.expect("host");
        assert_eq!(host.title, "Journal of Reading");
        assert_eq!(
            (
                host.volume.as_deref(),
                host.issue.as_deref(),
                host.pages.as_deref(),
                host.year
            ),
            (Some("62"), Some("2"), Some("36-48"), Some(2019))
        );
        assert_eq!(host.issn.as_deref(), Some("0022-4103"));
    }

    // ---- Small helpers -------------------------------------------------------------------------

    #[test]
    fn isbd_punctuation_is_stripped_but_abbreviations_kept() {
        let cases = [
            (
                "ActivePerl with ASP and ADO /",
                "ActivePerl with ASP and ADO",
            ),
            ("Perl :", "Perl"),
            ("John Wiley & Sons,", "John Wiley & Sons"),
            ("Модная книга.", "Модная книга"),
            ("Война и мир.", "Война и мир"),
            ("2-е изд.", "2-е изд."),
            ("М.", "М."),
            ("Cambridge, Mass.", "Cambridge, Mass."),
            ("Washington, D.C. :", "Washington, D.C."),
            ("в 3 т.", "в 3 т."),
            ("Brown, Martin C.", "Brown, Martin C."),
            ("Programming in C++", "Programming in C++"),
            ("Что делать? ;", "Что делать?"),
            ("  много   \n пробелов  ", "много пробелов"),
            ("Ожидание...", "Ожидание..."),
            ("\u{98}The \u{9c}Book", "The Book"),
        ];
        for (input, expected) in cases {
            assert_eq!(clean(input), expected, "{input:?}");
        }
    }

    #[test]
    fn isbn_parsing_and_check_digits() {
        let isbn = Isbn::parse("ISBN 978-5-901202-50-0").expect("present");
        assert_eq!(
            (isbn.normalized.as_str(), isbn.written.as_str()),
            ("9785901202500", "978-5-901202-50-0")
        );
        assert!(isbn.is_valid());
        let isbn = Isbn::parse("0764547291 (alk. paper)").expect("present");
        assert_eq!(isbn.written, "0764547291");
        assert!(isbn.is_valid());
        assert!(Isbn::parse("013020868x").expect("present").is_valid());
        assert!(!Isbn::parse("978-5-901202-50-1")
            .expect("present")
            .is_valid());
        assert_eq!(Isbn::parse("в пер."), None);
        assert_eq!(Isbn::parse("12345"), None);
        assert_eq!(Isbn::parse("97X5901202500"), None);
    }

    #[test]
    fn locators_in_russian_and_english() {
        let ru = parse_locators("2020. – Т. 62, № 3 (45). – С. 15–20");
        assert_eq!(
            ru,
            Locators {
                volume: Some("62".into()),
                issue: Some("3".into()),
                pages: Some("15-20".into()),
                year: Some(2020),
            }
        );
        let en = parse_locators("Vol. 5, no. 3 (2020), pp. 115-120");
        assert_eq!(
            (
                en.volume.as_deref(),
                en.issue.as_deref(),
                en.pages.as_deref(),
                en.year
            ),
            (Some("5"), Some("3"), Some("115-120"), Some(2020))
        );
        // "N" only as a number sign, not the start of a word.
        assert_eq!(parse_locators("New York, N 7").issue.as_deref(), Some("7"));
        assert_eq!(parse_locators("27 с.").pages, None);
    }

    #[test]
    fn initials_from_full_names_and_initials() {
        let person = |given: &str| Person {
            family: "X".into(),
            given: given.into(),
        };
        assert_eq!(person("Сергей Юрьевич").initials(), "С. Ю.");
        assert_eq!(person("Л.А.").initials(), "Л. А.");
        assert_eq!(person("Жан-Поль").initials(), "Ж.-П.");
        assert_eq!(person("Martin C.").initials(), "M. C.");
        assert_eq!(person("").initials(), "");
    }

    #[test]
    fn years_from_free_text() {
        assert_eq!(parse_year("c1999."), Some(1999));
        assert_eq!(parse_year("[1957?]"), Some(1957));
        assert_eq!(parse_year("1804-1807"), Some(1804));
        assert_eq!(parse_year("19--"), None);
        assert_eq!(parse_year("12345"), None);
    }

    #[test]
    fn age_ratings() {
        assert_eq!(age_rating_in("Для детей 12+ лет").as_deref(), Some("12+"));
        assert_eq!(age_rating_in("0+").as_deref(), Some("0+"));
        assert_eq!(age_rating_in("C++ 17+"), None);
    }

    // ---- Never panic ---------------------------------------------------------------------------

    fn samples() -> &'static Vec<Vec<u8>> {
        static SAMPLES_BYTES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
        SAMPLES_BYTES.get_or_init(|| SAMPLES.iter().map(|n| sample(n)).collect())
    }

    /// Maps a random byte to one rich in MARC structure characters and digits, so the parser's
    /// inner paths run. (A per-byte `prop_oneof!` would make generation, not parsing, take
    /// most of the test time in a debug build.)
    fn marcish(b: u8) -> u8 {
        match b % 12 {
            0 | 1 => FIELD_TERMINATOR,
            2 | 3 => SUBFIELD_DELIMITER,
            4 => RECORD_TERMINATOR,
            5..=7 => b'0' + (b / 12) % 10,
            8 => b'<',
            _ => b,
        }
    }

    fn marcish_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 0..max)
            .prop_map(|bytes| bytes.into_iter().map(marcish).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn read_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
            let _ = read(&bytes);
        }

        #[test]
        fn read_never_panics_on_marc_like_bytes(
            bytes in marcish_bytes(3000),
            leader in "[0-9]{5}nam0 22[0-9]{5}   450 ",
        ) {
            let mut input = leader.into_bytes();
            input.extend(bytes);
            let _ = read(&input);
        }

        #[test]
        fn read_never_panics_on_mutated_samples(
            which in 0..SAMPLES.len(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>().prop_map(marcish)), 0..24),
            cut in proptest::option::of(any::<prop::sample::Index>()),
            insert in proptest::option::of((any::<prop::sample::Index>(), proptest::collection::vec(any::<u8>(), 1..64))),
        ) {
            let mut bytes = samples()[which].clone();
            for (at, byte) in edits {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            if let Some((at, extra)) = insert {
                let i = at.index(bytes.len());
                bytes.splice(i..i, extra);
            }
            if let Some(at) = cut {
                bytes.truncate(at.index(bytes.len()));
            }
            let _ = read(&bytes);
        }

        #[test]
        fn read_never_panics_on_xml_like_text(text in "<(collection|record|datafield|subfield|leader)( tag=\"[0-9a-z]{0,4}\")?>[^&]{0,40}(&[a-z#0-9]{0,6};)?.{0,200}") {
            let _ = read(text.as_bytes());
        }

        #[test]
        fn clean_is_idempotent(text in "\\PC{0,60}") {
            let once = clean(&text);
            prop_assert_eq!(clean(&once), once.clone());
        }
    }
}
