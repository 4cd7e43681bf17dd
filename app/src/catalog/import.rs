//! Importing a catalogue file: read by `marc` (format and encoding detected from the
//! content), then every readable record created or, when the school already has it (the same
//! source id, else the same ISBN), updated; broken records are skipped and reported. One
//! transaction: a file is imported whole with its report, or not at all.

use super::gost::{self, Source, SourceKind};
use super::marc::{self, CatalogRecord, ProblemKind};

use super::db::{self, RecordRow};
use super::{ImportReport, RecordKind, SkipReason, Skipped};
use crate::db::{begin_write, Pool};

/// Why a whole file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a MARC or MARCXML catalogue")]
    NotMarc,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

pub(crate) fn kind_of(record: &CatalogRecord) -> RecordKind {
    match gost::guess_kind(record) {
        SourceKind::PrintedBook => RecordKind::PrintedBook,
        SourceKind::EBook => RecordKind::EBook,
        SourceKind::NebDocument => RecordKind::Neb,
        SourceKind::Article => RecordKind::Article,
        SourceKind::WebResource => RecordKind::Web,
        SourceKind::OtherMedia(_) => RecordKind::Other,
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

/// Imports `bytes` into the school's catalogue; `progress(done, total)` is called as records are
/// written.
pub async fn import_file(
    pool: &Pool,
    school_id: &str,
    file_name: &str,
    created_by: Option<&str>,
    bytes: &[u8],
    mut progress: impl FnMut(usize, usize),
) -> Result<(ImportReport, String), ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    let (records, problems) = marc::read(bytes).map_err(|e| match e {
        marc::NotMarc::Empty => ImportError::Empty,
        _ => ImportError::NotMarc,
    })?;
    let mut report = ImportReport {
        skipped: problems
            .iter()
            .map(|p| Skipped {
                index: p.index,
                reason: skip_reason(p.reason),
            })
            .collect(),
        ..ImportReport::default()
    };
    let total = records.len();
    let mut tx = begin_write(pool).await?;
    for (done, record) in records.into_iter().enumerate() {
        let kind = kind_of(&record);
        let description = Source::new(record.clone(), gost::guess_kind(&record)).describe();
        let isbn = record.isbn.first().map(|i| i.normalized.clone());
        let data = serde_json::to_string(&record).unwrap_or_else(|_| "{}".into());
        let row = RecordRow {
            school_id: Some(school_id),
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
        let id = match db::find_match(&mut tx, school_id, row.source_id, row.isbn).await? {
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
