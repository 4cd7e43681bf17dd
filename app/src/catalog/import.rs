//! Importing a catalogue file: a spreadsheet in the CSV template when its first line names a
//! title column (read by `csv`), else MARC (read by `marc`; format and encoding detected from the
//! content); then every readable record created or, when the school already has it, updated;
//! broken records are skipped and reported. A record is the school's when it has the same
//! source id, else the same ISBN; for a CSV row also when it has Libfolio's own id (as an
//! export writes it) or, for a row with neither id nor ISBN, the same title, authors and year.
//! A CSV row that lists inventory numbers also replaces the record's copies. One transaction:
//! a file is imported whole with its report, or not at all.

use super::csv::{self, CsvCopy, CsvRecord, RowProblem};
use super::gost::{self, MediaContent, Source, SourceKind};
use super::marc::{self, CatalogRecord, ProblemKind};

use super::db::{self, RecordRow};
use super::{ImportReport, RecordKind, SkipReason, Skipped};
use crate::db::{begin_write, Pool, WriteTx};

/// Why a whole file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    /// Neither MARC (ISO 2709, MARCXML) nor a spreadsheet in the CSV template.
    #[error("the file is not a catalogue: MARC, MARCXML or CSV in the template")]
    NotMarc,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

pub(crate) fn kind_of(record: &CatalogRecord) -> RecordKind {
    match gost::guess_kind(record) {
        SourceKind::PrintedBook => RecordKind::PrintedBook,
        SourceKind::EBook => RecordKind::EBook,
        SourceKind::NebDocument => RecordKind::Neb,
        SourceKind::LectaMaterial => RecordKind::Lecta,
        SourceKind::Article => RecordKind::Article,
        SourceKind::WebResource => RecordKind::Web,
        SourceKind::OtherMedia(_) => RecordKind::Other,
    }
}

/// The kind a ГОСТ description is written for. «Other» keeps the medium a MARC record gives.
pub(crate) fn gost_kind(kind: RecordKind, record: &CatalogRecord) -> SourceKind {
    match kind {
        RecordKind::PrintedBook => SourceKind::PrintedBook,
        RecordKind::EBook => SourceKind::EBook,
        RecordKind::Neb => SourceKind::NebDocument,
        RecordKind::Lecta => SourceKind::LectaMaterial,
        RecordKind::Article => SourceKind::Article,
        RecordKind::Web => SourceKind::WebResource,
        RecordKind::Other => match gost::guess_kind(record) {
            media @ SourceKind::OtherMedia(_) => media,
            _ => SourceKind::OtherMedia(MediaContent::ElectronicText),
        },
    }
}

/// Why a CSV row was skipped, as the report says it.
fn row_skip_reason(problem: RowProblem) -> SkipReason {
    match problem {
        RowProblem::NoTitle => SkipReason::NoTitle,
        RowProblem::BadKind => SkipReason::BadKind,
        RowProblem::BadIsbn => SkipReason::BadIsbn,
        RowProblem::BadYear => SkipReason::BadYear,
        RowProblem::BadAgeRating => SkipReason::BadAgeRating,
        RowProblem::BadAccess => SkipReason::BadAccess,
        RowProblem::BadCopies => SkipReason::BadCopies,
    }
}

fn skip_reason(kind: ProblemKind) -> SkipReason {
    match kind {
        ProblemKind::NotARecord => SkipReason::NotARecord,
        ProblemKind::Truncated => SkipReason::Truncated,
        ProblemKind::BadDirectory => SkipReason::BadDirectory,
        ProblemKind::BadXml => SkipReason::BadXml,
        ProblemKind::NoTitle => SkipReason::NoTitle,
    }
}

/// The key records are listed by: Cyrillic before Latin-script descriptions, then the
/// description lower-cased with «ё» read as «е».
pub fn sort_key(description: &str) -> String {
    let first = description.chars().find(|c| c.is_alphabetic());
    let script = match first {
        Some('а'..='я' | 'А'..='Я' | 'ё' | 'Ё') => '0',
        Some(c) if c.is_ascii_alphabetic() => '1',
        _ => '2',
    };
    let folded: String = description
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect();
    format!("{script}{}", folded.trim())
}

/// «Фамилия И. О.; Фамилия И. О.» for lists.
pub(crate) fn authors_line(record: &CatalogRecord) -> String {
    record
        .authors
        .iter()
        .map(|p| {
            let initials = p.initials();
            if initials.is_empty() {
                p.family.clone()
            } else {
                format!("{} {initials}", p.family)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The words a record is found by.
pub(crate) fn record_terms(record: &CatalogRecord) -> Vec<String> {
    let mut text = String::new();
    text.push_str(&record.title);
    for extra in [&record.other_title, &record.series].into_iter().flatten() {
        text.push(' ');
        text.push_str(extra);
    }
    for p in &record.authors {
        text.push(' ');
        text.push_str(&p.family);
        text.push(' ');
        text.push_str(&p.given);
    }
    for c in &record.contributors {
        text.push(' ');
        text.push_str(&c.person.family);
    }
    for s in &record.subjects {
        text.push(' ');
        text.push_str(s);
    }
    let mut terms = super::search::terms(&text);
    for isbn in &record.isbn {
        if !terms.contains(&isbn.normalized.to_lowercase()) {
            terms.push(isbn.normalized.to_lowercase());
        }
    }
    terms
}

/// A record read from the file, before it is matched with the school's records.
enum Incoming {
    Marc(CatalogRecord),
    Csv(CsvRecord),
}

/// Reads the file as CSV or MARC: the records, and the skipped ones.
fn read_file(bytes: &[u8]) -> Result<(Vec<Incoming>, Vec<Skipped>), ImportError> {
    if csv::is_csv(bytes) {
        let (rows, problems) = csv::read(bytes).map_err(|e| match e {
            csv::NotCsv::Empty => ImportError::Empty,
            csv::NotCsv::NoTitleColumn => ImportError::NotMarc,
        })?;
        let skipped = problems
            .iter()
            .map(|p| Skipped {
                index: p.row,
                reason: row_skip_reason(p.reason),
                line: true,
            })
            .collect();
        return Ok((rows.into_iter().map(Incoming::Csv).collect(), skipped));
    }
    let (records, problems) = marc::read(bytes).map_err(|e| match e {
        marc::NotMarc::Empty => ImportError::Empty,
        _ => ImportError::NotMarc,
    })?;
    let skipped = problems
        .iter()
        .map(|p| Skipped {
            index: p.index,
            reason: skip_reason(p.reason),
            line: false,
        })
        .collect();
    Ok((records.into_iter().map(Incoming::Marc).collect(), skipped))
}

/// What a record of the file becomes: its kind, the whole record, the school's record it
/// updates (if any), and the copies it lists (CSV only).
struct Matched {
    kind: RecordKind,
    source_kind: SourceKind,
    record: CatalogRecord,
    existing: Option<String>,
    copies: Option<Vec<CsvCopy>>,
}

/// Finds the school's record an incoming one updates and builds what will be stored.
async fn match_record(
    tx: &mut WriteTx,
    school_id: Option<&str>,
    incoming: Incoming,
) -> Result<Matched, sqlx::Error> {
    match incoming {
        Incoming::Marc(mut record) => {
            let isbn = record.isbn.first().map(|i| i.normalized.clone());
            let existing =
                db::find_match(tx, school_id, record.source_id.as_deref(), isbn.as_deref()).await?;
            // MARC says neither the kind the librarian chose (a Лекта material, a НЭБ document
            // in the reading room) nor the access mode: what the record has stays.
            let mut kind = kind_of(&record);
            if let Some(id) = &existing {
                if let Some((stored_kind, data)) = db::record_kind_and_data(tx, id).await? {
                    let base: CatalogRecord = serde_json::from_str(&data).unwrap_or_default();
                    record.access_mode = base.access_mode;
                    kind = RecordKind::parse(&stored_kind).unwrap_or(kind);
                }
            }
            // The export's copies replace the record's; a file without any leaves them alone.
            let copies = (!record.copies.is_empty()).then(|| std::mem::take(&mut record.copies));
            Ok(Matched {
                kind,
                source_kind: gost_kind(kind, &record),
                record,
                existing,
                copies,
            })
        }
        Incoming::Csv(row) => {
            // An export writes Libfolio's own id for records that came without one.
            let own = match row.id.as_deref() {
                Some(id) => db::find_school_record(tx, school_id, id).await?,
                None => None,
            };
            let matched_own = own.is_some();
            let existing = match own {
                Some(id) => Some(id),
                None => db::find_match(tx, school_id, row.id.as_deref(), row.isbn()).await?,
            };
            // A row typed by hand often has neither: the same title, authors and year then,
            // among records that have neither either.
            let existing = match existing {
                None if row.id.is_none() && row.isbn().is_none() => {
                    let (_, alone) = row.build(CatalogRecord::default(), None);
                    db::find_same_record(
                        tx,
                        school_id,
                        &alone.title,
                        &authors_line(&alone),
                        alone.year,
                    )
                    .await?
                }
                found => found,
            };
            let (base_kind, base) = match &existing {
                Some(id) => match db::record_kind_and_data(tx, id).await? {
                    Some((kind, data)) => (
                        RecordKind::parse(&kind),
                        serde_json::from_str(&data).unwrap_or_default(),
                    ),
                    None => (None, CatalogRecord::default()),
                },
                None => (None, CatalogRecord::default()),
            };
            let kept_source_id = base.source_id.clone();
            let (kind, mut record) = row.build(base, base_kind);
            record.source_id = if matched_own {
                kept_source_id
            } else {
                row.id.clone().or(kept_source_id)
            };
            Ok(Matched {
                kind,
                source_kind: gost_kind(kind, &record),
                record,
                existing,
                copies: row.copies,
            })
        }
    }
}

/// Imports `bytes` into the school's catalogue; `progress(done, total)` is called as records are
/// written.
pub async fn import_file(
    pool: &Pool,
    school_id: Option<&str>,
    file_name: &str,
    created_by: Option<&str>,
    bytes: &[u8],
    mut progress: impl FnMut(usize, usize),
) -> Result<(ImportReport, String), ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    let (records, skipped) = read_file(bytes)?;
    let mut report = ImportReport {
        skipped,
        ..ImportReport::default()
    };
    let total = records.len();
    let mut tx = begin_write(pool).await?;
    for (done, incoming) in records.into_iter().enumerate() {
        let Matched {
            kind,
            source_kind,
            record,
            existing,
            copies,
        } = match_record(&mut tx, school_id, incoming).await?;
        let description = Source::new(record.clone(), source_kind).describe();
        let isbn = record.isbn.first().map(|i| i.normalized.clone());
        let data = serde_json::to_string(&record).unwrap_or_else(|_| "{}".into());
        let row = RecordRow {
            school_id,
            kind: kind.as_str(),
            source_id: record.source_id.as_deref(),
            isbn: isbn.as_deref(),
            title: &record.title,
            authors: &authors_line(&record),
            year: record.year,
            age_rating: record.age_rating.as_deref(),
            url: record.url.as_deref(),
            data: &data,
            description: &description,
            sort_key: &sort_key(&description),
        };
        let id = match existing {
            Some(id) => {
                db::update_record(&mut tx, &id, &row).await?;
                report.updated += 1;
                id
            }
            None => {
                report.created += 1;
                db::insert_record(&mut tx, &row).await?
            }
        };
        db::set_terms(&mut tx, &id, &record_terms(&record)).await?;
        if let Some(copies) = copies {
            db::replace_copies(&mut tx, &id, &copies).await?;
        }
        if done % 500 == 0 || done + 1 == total {
            progress(done + 1, total);
        }
    }
    let import_id = db::insert_import(&mut tx, school_id, file_name, created_by, &report).await?;
    tx.commit().await?;
    Ok((report, import_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_descriptions_sort_before_latin_ones() {
        let mut keys = [
            sort_key("Smith, J. Libraries"),
            sort_key("Ёжик в тумане"),
            sort_key("Азбука"),
            sort_key("[Б. м.] Сборник"),
        ];
        keys.sort();
        assert!(keys[0].starts_with("0азбука"));
        assert!(keys[1].starts_with("0б м сборник"));
        assert!(keys[2].starts_with("0ежик"));
        assert!(keys[3].starts_with("1smith"));
    }
}
