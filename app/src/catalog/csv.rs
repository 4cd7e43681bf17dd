//! The catalogue as a spreadsheet: the documented CSV template (`app/public/catalog-template.csv`)
//! that a librarian fills in Excel or LibreOffice when the library system has no MARC export,
//! read leniently, and the export of a school's catalogue in the same template, so that an
//! exported file imports again unchanged.
//!
//! Reading, in order:
//! - Encoding: UTF-8 (a byte order mark is dropped) when the bytes are valid UTF-8, else
//!   windows-1251, in which Russian Excel saves «CSV (разделители — запятые)».
//! - Separator: `;`, `,` or a tab, whichever the header line has most of outside quotes.
//! - Header: one row naming the columns in Russian or English, in any order, in any case and
//!   spacing ([`Column`]); unknown columns are ignored; only «заглавие» is required.
//! - Rows: a row without a title, with an unknown kind, a wrong ISBN check digit, a year out of
//!   range, an age rating that 436-ФЗ does not have, or copies that do not add up is skipped and
//!   reported by its line number ([`SkippedRow`]); the others are read. Empty rows are passed over.
//!
//! A row holds the cells of the columns the file has: [`CsvRecord::build`] lays those that
//! differ from the export of the record being updated over it, so that what the template cannot
//! express (contributors, volumes, dates as recorded, MARC details) survives an export and a
//! re-import, and an untouched export changes nothing.
//!
//! Nothing here touches the database; `import` and `export` do.

use std::collections::HashSet;

use chrono::Datelike;

use super::gost::AccessMode;
use super::marc::{CatalogRecord, HostItem, Isbn, Person};
use super::{RecordKind, AGE_RATINGS};

/// A column of the template, in the template's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Kind,
    Id,
    Authors,
    Title,
    OtherTitle,
    Responsibility,
    Edition,
    Place,
    Publisher,
    Year,
    Extent,
    Series,
    Isbn,
    Issn,
    Host,
    Issue,
    Pages,
    Url,
    Access,
    AgeRating,
    Subjects,
    Annotation,
    InventoryNumbers,
    ShelfMark,
    Available,
}

impl Column {
    /// Every column in the template's order.
    pub const ALL: [Column; 25] = [
        Column::Kind,
        Column::Id,
        Column::Authors,
        Column::Title,
        Column::OtherTitle,
        Column::Responsibility,
        Column::Edition,
        Column::Place,
        Column::Publisher,
        Column::Year,
        Column::Extent,
        Column::Series,
        Column::Isbn,
        Column::Issn,
        Column::Host,
        Column::Issue,
        Column::Pages,
        Column::Url,
        Column::Access,
        Column::AgeRating,
        Column::Subjects,
        Column::Annotation,
        Column::InventoryNumbers,
        Column::ShelfMark,
        Column::Available,
    ];

    /// The header the template and the export write.
    pub fn header(self) -> &'static str {
        match self {
            Column::Kind => "вид",
            Column::Id => "id",
            Column::Authors => "авторы",
            Column::Title => "заглавие",
            Column::OtherTitle => "сведения к заглавию",
            Column::Responsibility => "ответственность",
            Column::Edition => "издание",
            Column::Place => "место",
            Column::Publisher => "издательство",
            Column::Year => "год",
            Column::Extent => "объём",
            Column::Series => "серия",
            Column::Isbn => "isbn",
            Column::Issn => "issn",
            Column::Host => "источник",
            Column::Issue => "номер",
            Column::Pages => "страницы",
            Column::Url => "url",
            Column::Access => "режим доступа",
            Column::AgeRating => "возрастной ценз",
            Column::Subjects => "ключевые слова",
            Column::Annotation => "аннотация",
            Column::InventoryNumbers => "инвентарные номера",
            Column::ShelfMark => "шифр",
            Column::Available => "в наличии",
        }
    }

    /// Other names the column is known by, folded (see [`fold`]).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::Kind => &["kind", "type", "тип", "вид издания", "вид документа"],
            Column::Id => &["source id", "record id", "номер записи", "идентификатор"],
            Column::Authors => &["authors", "author", "автор"],
            Column::Title => &["title", "название", "основное заглавие"],
            Column::OtherTitle => &["other title", "subtitle", "подзаголовок"],
            Column::Responsibility => &[
                "responsibility",
                "statement of responsibility",
                "сведения об ответственности",
            ],
            Column::Edition => &["edition", "сведения об издании"],
            Column::Place => &["place", "место издания", "город"],
            Column::Publisher => &["publisher", "издатель"],
            Column::Year => &["year", "год издания", "дата"],
            Column::Extent => &["extent", "объем", "количество страниц"],
            Column::Series => &["series"],
            Column::Isbn => &["isbn"],
            Column::Issn => &["issn"],
            Column::Host => &["host", "host title", "journal", "журнал", "сборник"],
            Column::Issue => &["issue", "номер выпуска", "выпуск"],
            Column::Pages => &["pages", "page range"],
            Column::Url => &["link", "адрес", "ссылка", "электронный адрес"],
            Column::Access => &["access", "access mode", "доступ"],
            Column::AgeRating => &[
                "age rating",
                "age",
                "возрастная маркировка",
                "возрастное ограничение",
            ],
            Column::Subjects => &["keywords", "subjects", "рубрики", "предметные рубрики"],
            Column::Annotation => &["annotation", "abstract", "summary", "аннотации"],
            Column::InventoryNumbers => &[
                "inventory numbers",
                "inventory number",
                "inventory",
                "инвентарный номер",
                "инв номер",
                "инв номера",
            ],
            Column::ShelfMark => &["shelf mark", "shelfmark", "call number", "шифр хранения"],
            Column::Available => &["available", "availability", "наличие", "на полке"],
        }
    }

    /// The column a header cell names, if any.
    pub fn from_header(text: &str) -> Option<Column> {
        let folded = fold(text);
        Column::ALL
            .into_iter()
            .find(|c| fold(c.header()) == folded || c.aliases().contains(&folded.as_str()))
    }
}

/// A header or a kind as compared: lower case, «ё» read as «е», hyphens, underscores, full
/// stops and runs of white space as one space, no byte order mark.
fn fold(text: &str) -> String {
    text.trim_start_matches('\u{feff}')
        .chars()
        .map(|c| match c {
            'ё' | 'Ё' => 'е',
            '-' | '_' | '.' | '‐' | '–' => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// How the template names a record kind.
pub fn kind_label(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::PrintedBook => "печатная книга",
        RecordKind::EBook => "электронная книга",
        RecordKind::Neb => "НЭБ",
        RecordKind::Lecta => "Лекта",
        RecordKind::Article => "статья",
        RecordKind::Web => "веб-ресурс",
        RecordKind::Other => "другое",
    }
}

/// A kind from its label, code (`printed_book`) or a usual synonym; `Ok(None)` for an empty cell.
fn parse_kind(text: &str) -> Result<Option<RecordKind>, RowProblem> {
    let folded = fold(text);
    if folded.is_empty() {
        return Ok(None);
    }
    let synonyms: &[(&str, RecordKind)] = &[
        ("книга", RecordKind::PrintedBook),
        ("печатное издание", RecordKind::PrintedBook),
        ("book", RecordKind::PrintedBook),
        ("printed book", RecordKind::PrintedBook),
        ("ebook", RecordKind::EBook),
        ("e book", RecordKind::EBook),
        ("электронное издание", RecordKind::EBook),
        ("документ нэб", RecordKind::Neb),
        ("national electronic library", RecordKind::Neb),
        ("материал лекта", RecordKind::Lecta),
        ("лекта", RecordKind::Lecta),
        ("lecta", RecordKind::Lecta),
        ("article", RecordKind::Article),
        ("веб ресурс", RecordKind::Web),
        ("интернет ресурс", RecordKind::Web),
        ("сайт", RecordKind::Web),
        ("web resource", RecordKind::Web),
        ("website", RecordKind::Web),
        ("иное", RecordKind::Other),
    ];
    RecordKind::ALL
        .into_iter()
        .find(|k| fold(kind_label(*k)) == folded || fold(k.as_str()) == folded)
        .or_else(|| {
            synonyms
                .iter()
                .find(|(name, _)| *name == folded)
                .map(|(_, k)| *k)
        })
        .map(Some)
        .ok_or(RowProblem::BadKind)
}

/// The kind of a row that names none: an article when it names its journal, an online resource
/// when it has an address (an e-book when it also has an ISBN), otherwise a printed book.
fn guess_kind(record: &CatalogRecord) -> RecordKind {
    let url = record.url.as_deref().unwrap_or_default().to_lowercase();
    if record.host.is_some() {
        RecordKind::Article
    } else if url.contains("rusneb.ru") {
        RecordKind::Neb
    } else if url.contains("lecta.") {
        RecordKind::Lecta
    } else if url.is_empty() {
        RecordKind::PrintedBook
    } else if record.isbn.is_empty() {
        RecordKind::Web
    } else {
        RecordKind::EBook
    }
}

/// One copy of a book as a row lists it (the same as a MARC export's).
pub use super::marc::HeldCopy as CsvCopy;

/// How the template writes an access mode.
pub fn access_label(mode: AccessMode) -> &'static str {
    match mode {
        AccessMode::Free => "свободный",
        AccessMode::RegisteredUsers => "для зарегистрированных",
        AccessMode::AuthorisedUsers => "для авторизованных",
        AccessMode::ReadingRoom => "в читальном зале",
    }
}

/// An access mode from its label, code or a usual synonym; `Ok(None)` for an empty cell.
fn parse_access(text: &str) -> Result<Option<AccessMode>, RowProblem> {
    let folded = fold(text);
    if folded.is_empty() {
        return Ok(None);
    }
    let synonyms: &[(&str, AccessMode)] = &[
        ("открытый", AccessMode::Free),
        ("free", AccessMode::Free),
        ("open", AccessMode::Free),
        ("для зарегистрир пользователей", AccessMode::RegisteredUsers),
        ("по регистрации", AccessMode::RegisteredUsers),
        ("для авториз пользователей", AccessMode::AuthorisedUsers),
        ("по подписке", AccessMode::AuthorisedUsers),
        ("читальный зал", AccessMode::ReadingRoom),
        ("в виртуальных читальных залах нэб", AccessMode::ReadingRoom),
        ("reading room", AccessMode::ReadingRoom),
    ];
    AccessMode::ALL
        .into_iter()
        .find(|m| fold(access_label(*m)) == folded || fold(m.as_str()) == folded)
        .or_else(|| {
            synonyms
                .iter()
                .find(|(name, _)| fold(name) == folded)
                .map(|(_, m)| *m)
        })
        .map(Some)
        .ok_or(RowProblem::BadAccess)
}

/// Why a row was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowProblem {
    /// The title cell is empty.
    NoTitle,
    /// The kind is none of the template's.
    BadKind,
    /// An ISBN is not 10 or 13 digits, or its check digit is wrong.
    BadIsbn,
    /// The year is not a year, or before 1400, or after next year.
    BadYear,
    /// The age rating is none of 0+, 6+, 12+, 16+, 18+.
    BadAgeRating,
    /// The access mode is none of the template's.
    BadAccess,
    /// The shelf marks or availabilities are a list whose length is not the number of copies,
    /// or an availability is not «да» or «нет».
    BadCopies,
}

/// A skipped row: the line of the file it starts on (the header is line 1) and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SkippedRow {
    pub row: usize,
    pub reason: RowProblem,
}

/// The file as a whole is not a catalogue in the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum NotCsv {
    #[error("the file is empty")]
    Empty,
    #[error("the file has no header row with a title column")]
    NoTitleColumn,
}

/// One row of a file, with the columns the file has.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvRecord {
    /// The line of the file the row starts on (the header is line 1).
    pub row: usize,
    /// The kind the row names; none when its cell is empty or the file has no such column.
    pub kind: Option<RecordKind>,
    /// The record's id in the system it came from (or Libfolio's own, in an export).
    pub id: Option<String>,
    /// The row's copies, when its inventory-number cell lists any: they replace the record's.
    pub copies: Option<Vec<CsvCopy>>,
    /// The row's fields (those of absent columns left empty).
    fields: CatalogRecord,
    /// The cells of the columns the file has, as written.
    cells: Vec<(Column, String)>,
}

impl CsvRecord {
    /// The first ISBN of the row, normalised, for finding the record it updates.
    pub fn isbn(&self) -> Option<&str> {
        self.fields.isbn.first().map(|i| i.normalized.as_str())
    }

    /// The row's title.
    pub fn title(&self) -> &str {
        &self.fields.title
    }

    /// Whether the file has the column and the row's cell says something else than an export
    /// of `base` would.
    fn changes(&self, column: Column, base: &CsvEntry) -> bool {
        self.cells
            .iter()
            .find(|(c, _)| *c == column)
            .is_some_and(|(_, cell)| !same_cell(cell, &cell_of(column, base)))
    }

    /// The record this row makes when laid over `base` (the record it updates, or an empty one
    /// for a new record): a cell that differs from what the export writes for `base` replaces
    /// its field; everything else is kept as recorded, so that an exported file imports back
    /// into its school without changing a record, whatever the template cannot express (dates
    /// as recorded, contributors, volumes, MARC details). The kind is the row's, else
    /// `base_kind`, else guessed from the fields. The source id is left to the caller, who knows
    /// what the row matched.
    pub fn build(
        &self,
        base: CatalogRecord,
        base_kind: Option<RecordKind>,
    ) -> (RecordKind, CatalogRecord) {
        let base = CsvEntry {
            kind: base_kind.unwrap_or_else(|| guess_kind(&base)),
            id: String::new(),
            record: base,
            copies: Vec::new(),
        };
        let changed: HashSet<Column> = Column::ALL
            .into_iter()
            .filter(|c| self.changes(*c, &base))
            .collect();
        let has = |column: Column| changed.contains(&column);
        let f = &self.fields;
        let mut r = base.record;
        for column in Column::ALL.into_iter().filter(|c| has(*c)) {
            match column {
                Column::Authors => r.authors = f.authors.clone(),
                Column::Title => r.title = f.title.clone(),
                Column::OtherTitle => r.other_title = f.other_title.clone(),
                Column::Responsibility => r.responsibility = f.responsibility.clone(),
                Column::Edition => r.edition = f.edition.clone(),
                Column::Place => r.places = f.places.clone(),
                Column::Publisher => r.publishers = f.publishers.clone(),
                Column::Year => {
                    r.year = f.year;
                    r.date = f.date.clone();
                }
                Column::Extent => r.extent = f.extent.clone(),
                Column::Series => r.series = f.series.clone(),
                Column::Isbn => r.isbn = f.isbn.clone(),
                Column::Url => r.url = f.url.clone(),
                Column::Access => r.access_mode = f.access_mode,
                Column::AgeRating => r.age_rating = f.age_rating.clone(),
                Column::Subjects => r.subjects = f.subjects.clone(),
                Column::Annotation => r.annotation = f.annotation.clone(),
                // The host's fields and the ISSN are laid below; the rest are not the record's.
                Column::Host
                | Column::Issue
                | Column::Pages
                | Column::Issn
                | Column::Kind
                | Column::Id
                | Column::InventoryNumbers
                | Column::ShelfMark
                | Column::Available => {}
            }
        }
        let row_host = f.host.clone().unwrap_or_default();
        if has(Column::Host) {
            r.host = if row_host.title.is_empty() {
                None
            } else {
                Some(HostItem {
                    title: row_host.title.clone(),
                    ..r.host.take().unwrap_or_default()
                })
            };
        }
        if let Some(host) = r.host.as_mut() {
            if has(Column::Issue) {
                host.issue = row_host.issue.clone();
            }
            if has(Column::Pages) {
                host.pages = row_host.pages.clone();
            }
            if has(Column::Year) {
                host.year = f.year;
            }
        }
        let kind = self.kind.or(base_kind).unwrap_or_else(|| guess_kind(&r));
        if has(Column::Issn) {
            // A journal's ISSN belongs to the journal an article is in.
            match r.host.as_mut() {
                Some(host) if kind == RecordKind::Article => host.issn = f.issn.clone(),
                _ => r.issn = f.issn.clone(),
            }
        }
        if Some(kind) != base_kind {
            r.electronic = kind.is_online() || (kind == RecordKind::Other && r.electronic);
        }
        (kind, r)
    }
}

/// Whether the bytes look like the template: the first line names a title column.
pub fn is_csv(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Some(line) = bytes
        .split(|b| *b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
    else {
        return false;
    };
    // MARCXML, and ISO 2709 with its terminators and delimiters.
    if line.trim_ascii_start().starts_with(b"<") || line.iter().any(|b| (0x1D..=0x1F).contains(b)) {
        return false;
    }
    decode(line)
        .split([';', ',', '\t'])
        .any(|cell| Column::from_header(cell.trim().trim_matches('"')) == Some(Column::Title))
}

/// The text of the file: UTF-8 when valid, else windows-1251.
fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    crate::roster::decode(bytes)
}

/// `;`, `,` or a tab: whichever the line has most of outside quotes (`;` first on a tie, as
/// Russian Excel writes it, then a tab).
fn separator(line: &str) -> u8 {
    let (mut counts, mut quoted) = ([0usize; 3], false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
    [b';', b'\t', b','][best]
}

/// This year and next are the latest a book can carry.
fn latest_year() -> i32 {
    chrono::Utc::now().year() + 1
}

/// Reads a file in the template: the rows that are fine, and the rows skipped with their reason.
pub fn read(bytes: &[u8]) -> Result<(Vec<CsvRecord>, Vec<SkippedRow>), NotCsv> {
    read_until(bytes, latest_year())
}

fn read_until(bytes: &[u8], latest_year: i32) -> Result<(Vec<CsvRecord>, Vec<SkippedRow>), NotCsv> {
    let text = decode(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let Some(header_line) = text.lines().find(|l| !l.trim().is_empty()) else {
        return Err(NotCsv::Empty);
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(separator(header_line))
        .from_reader(text.as_bytes());
    let mut rows = reader.records();
    let header = match rows.next() {
        Some(Ok(header)) => header,
        _ => return Err(NotCsv::NoTitleColumn),
    };
    // The first of two columns with one name counts.
    let mut positions: Vec<(Column, usize)> = Vec::new();
    for (i, cell) in header.iter().enumerate() {
        if let Some(column) = Column::from_header(cell) {
            if !positions.iter().any(|(c, _)| *c == column) {
                positions.push((column, i));
            }
        }
    }
    if !positions.iter().any(|(c, _)| *c == Column::Title) {
        return Err(NotCsv::NoTitleColumn);
    }
    let mut records = Vec::new();
    let mut skipped = Vec::new();
    for row in rows {
        // A broken quote runs to the end of the file; what was read before it stands.
        let Ok(row) = row else { break };
        let line = line_of(text, &row);
        let cells: Vec<(Column, &str)> = positions
            .iter()
            .map(|(column, i)| (*column, row.get(*i).map(unprotect).unwrap_or_default()))
            .collect();
        if cells.iter().all(|(_, value)| value.is_empty()) {
            continue;
        }
        match parse_row(&cells, latest_year) {
            Ok(mut record) => {
                record.row = line;
                records.push(record);
            }
            Err(reason) => skipped.push(SkippedRow { row: line, reason }),
        }
    }
    Ok((records, skipped))
}

/// The line of the file a row starts on. The csv crate's position may fall on the line break
/// before the row: step over line breaks, then count them.
fn line_of(text: &str, row: &csv::StringRecord) -> usize {
    let bytes = text.as_bytes();
    let mut start = row.position().map(|p| p.byte() as usize).unwrap_or(0);
    while bytes.get(start).is_some_and(|b| *b == b'\r' || *b == b'\n') {
        start += 1;
    }
    1 + bytes
        .get(..start)
        .map(|before| before.iter().filter(|b| **b == b'\n').count())
        .unwrap_or(0)
}

/// A cell without the apostrophe the export puts before a leading `=`, `+`, `-` or `@` (so that
/// Excel does not run it as a formula).
fn unprotect(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// A cell's words with their white space collapsed; none when empty.
fn text(cell: &str) -> Option<String> {
    let s = cell.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// The items of a `;`-separated cell (line breaks count as separators too).
fn items(cell: &str) -> Vec<String> {
    cell.split([';', '\n']).filter_map(text).collect()
}

/// «Фамилия Имя Отчество», «Фамилия И. О.» or «Фамилия, Имя»: the comma, when there is one,
/// ends a family name of several words («Сент-Экзюпери», «Де Голль, Ш.»).
fn person(item: &str) -> Option<Person> {
    let (family, given) = match item.split_once(',') {
        Some((family, given)) => (text(family)?, text(given).unwrap_or_default()),
        None => {
            let mut words = item.split_whitespace();
            let family = words.next()?.to_owned();
            (family, words.collect::<Vec<_>>().join(" "))
        }
    };
    Some(Person { family, given })
}

/// The year cell: «2019», «1804-1807», «[1957?]», «c1999»; «б. г.» (no date) gives none.
fn year(cell: &str, latest: i32) -> Result<Option<(String, i32)>, RowProblem> {
    let Some(date) = text(cell) else {
        return Ok(None);
    };
    if ["б г", "без года", "s a", "n d"].contains(&fold(&date.replace(['[', ']'], "")).as_str())
    {
        return Ok(None);
    }
    let start = date
        .find(|c: char| c.is_ascii_digit())
        .ok_or(RowProblem::BadYear)?;
    let digits: String = date[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let rest_ok = date[start + digits.len()..]
        .chars()
        .all(|c| c.is_ascii_digit() || " []?-–—г.".contains(c));
    let prefix_ok = date[..start]
        .chars()
        .all(|c| " [cс©".contains(c.to_ascii_lowercase()));
    let year: i32 = digits.parse().map_err(|_| RowProblem::BadYear)?;
    if digits.len() != 4 || !rest_ok || !prefix_ok || !(1400..=latest).contains(&year) {
        return Err(RowProblem::BadYear);
    }
    Ok(Some((date, year)))
}

/// «12+», «12» or «12 +»; `Ok(None)` for an empty cell.
fn age_rating(cell: &str) -> Result<Option<String>, RowProblem> {
    let compact: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Ok(None);
    }
    let rating = format!("{}+", compact.trim_end_matches('+'));
    if AGE_RATINGS.contains(&rating.as_str()) {
        Ok(Some(rating))
    } else {
        Err(RowProblem::BadAgeRating)
    }
}

fn yes_no(item: &str) -> Option<bool> {
    match fold(item).as_str() {
        "" | "да" | "yes" | "y" | "д" | "1" | "true" | "+" | "есть" | "на полке" => {
            Some(true)
        }
        "нет" | "no" | "n" | "н" | "0" | "false" | "-" | "выдан" | "выдана" => {
            Some(false)
        }
        _ => None,
    }
}

/// The copies of a row: one per inventory number, with one shelf mark and one availability for
/// all, or a list of each as long as the numbers. None when no inventory number is given.
fn copies(numbers: &str, shelf: &str, available: &str) -> Result<Option<Vec<CsvCopy>>, RowProblem> {
    let mut seen = HashSet::new();
    let numbers: Vec<String> = items(numbers)
        .into_iter()
        .filter(|n| seen.insert(n.clone()))
        .collect();
    if numbers.is_empty() {
        return Ok(None);
    }
    // One value for all, or one per copy.
    let per_copy = |cell: &str| -> Result<Vec<String>, RowProblem> {
        let values: Vec<String> = if cell.contains([';', '\n']) {
            cell.split([';', '\n'])
                .map(|v| text(v).unwrap_or_default())
                .collect()
        } else {
            vec![text(cell).unwrap_or_default()]
        };
        match values.len() {
            1 => Ok(vec![values[0].clone(); numbers.len()]),
            n if n == numbers.len() => Ok(values),
            _ => Err(RowProblem::BadCopies),
        }
    };
    let shelf = per_copy(shelf)?;
    let available = per_copy(available)?
        .iter()
        .map(|v| yes_no(v).ok_or(RowProblem::BadCopies))
        .collect::<Result<Vec<bool>, _>>()?;
    Ok(Some(
        numbers
            .into_iter()
            .zip(shelf)
            .zip(available)
            .map(|((inventory_number, shelf_mark), available)| CsvCopy {
                inventory_number,
                shelf_mark,
                available,
            })
            .collect(),
    ))
}

fn parse_row(cells: &[(Column, &str)], latest_year: i32) -> Result<CsvRecord, RowProblem> {
    let cell = |column: Column| {
        cells
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, v)| *v)
            .unwrap_or_default()
    };
    let title = text(cell(Column::Title)).ok_or(RowProblem::NoTitle)?;
    let kind = parse_kind(cell(Column::Kind))?;
    let mut isbn = Vec::new();
    for item in items(cell(Column::Isbn)) {
        match Isbn::parse(&item).filter(Isbn::is_valid) {
            Some(i) if !isbn.contains(&i) => isbn.push(i),
            Some(_) => {}
            None => return Err(RowProblem::BadIsbn),
        }
    }
    let (date, year) = match year(cell(Column::Year), latest_year)? {
        Some((date, year)) => (Some(date), Some(year)),
        None => (None, None),
    };
    let age_rating = age_rating(cell(Column::AgeRating))?;
    let access_mode = parse_access(cell(Column::Access))?;
    let copies = copies(
        cell(Column::InventoryNumbers),
        cell(Column::ShelfMark),
        cell(Column::Available),
    )?;
    let host = HostItem {
        title: text(cell(Column::Host)).unwrap_or_default(),
        issue: text(cell(Column::Issue)),
        pages: text(cell(Column::Pages)),
        ..HostItem::default()
    };
    let mut subjects: Vec<String> = Vec::new();
    for s in items(cell(Column::Subjects)) {
        if !subjects.contains(&s) {
            subjects.push(s);
        }
    }
    let annotation = cell(Column::Annotation).trim().replace("\r\n", "\n");
    let fields = CatalogRecord {
        authors: items(cell(Column::Authors))
            .iter()
            .filter_map(|a| person(a))
            .collect(),
        title,
        other_title: text(cell(Column::OtherTitle)),
        responsibility: text(cell(Column::Responsibility)),
        edition: text(cell(Column::Edition)),
        places: items(cell(Column::Place)),
        publishers: items(cell(Column::Publisher)),
        date,
        year,
        extent: text(cell(Column::Extent)),
        series: text(cell(Column::Series)),
        isbn,
        issn: text(cell(Column::Issn)),
        host: Some(host),
        url: text(cell(Column::Url)),
        access_mode,
        subjects,
        age_rating,
        annotation: (!annotation.is_empty()).then_some(annotation),
        ..CatalogRecord::default()
    };
    Ok(CsvRecord {
        row: 0,
        kind,
        id: text(cell(Column::Id)),
        copies,
        fields,
        cells: cells.iter().map(|(c, v)| (*c, (*v).to_owned())).collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// Writing

/// A record as the export writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvEntry {
    pub kind: RecordKind,
    /// The record's id in the system it came from, else Libfolio's own: a re-import finds it.
    pub id: String,
    pub record: CatalogRecord,
    pub copies: Vec<CsvCopy>,
}

/// Whether two cells say the same: the same items, white space aside.
fn same_cell(a: &str, b: &str) -> bool {
    let items = |cell: &str| cell.split([';', '\n']).filter_map(text).collect::<Vec<_>>();
    items(a) == items(b)
}

/// A cell that Excel would take for a formula gets an apostrophe first; [`read`] drops it.
fn protect(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// «Фамилия Имя», or «Фамилия из слов, Имя» (also when the given names hold a comma) so that it
/// reads back the same.
fn person_cell(p: &Person) -> String {
    if p.given.is_empty() {
        p.family.clone()
    } else if p.family.contains(char::is_whitespace) || p.given.contains(',') {
        format!("{}, {}", p.family, p.given)
    } else {
        format!("{} {}", p.family, p.given)
    }
}

/// One value when every copy has the same, else the list.
fn per_copy_cell(values: Vec<String>) -> String {
    match values.first() {
        Some(first) if values.iter().all(|v| v == first) => first.clone(),
        _ => values.join("; "),
    }
}

fn cell_of(column: Column, e: &CsvEntry) -> String {
    let r = &e.record;
    let host = r.host.as_ref();
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    match column {
        Column::Kind => kind_label(e.kind).to_owned(),
        Column::Id => e.id.clone(),
        Column::Authors => r
            .authors
            .iter()
            .map(person_cell)
            .collect::<Vec<_>>()
            .join("; "),
        Column::Title => r.title.clone(),
        Column::OtherTitle => opt(&r.other_title),
        Column::Responsibility => opt(&r.responsibility),
        Column::Edition => opt(&r.edition),
        Column::Place => r.places.join("; "),
        Column::Publisher => r.publishers.join("; "),
        // The date as recorded when it reads back as the same year («1804-1807», «[1957?]»).
        Column::Year => r
            .date
            .as_ref()
            .filter(|d| year(d, i32::MAX).ok().flatten().map(|(_, y)| y) == r.year)
            .cloned()
            .or_else(|| r.year.map(|y| y.to_string()))
            .unwrap_or_default(),
        Column::Extent => opt(&r.extent),
        Column::Series => opt(&r.series),
        // An ISBN with a wrong check digit (MARC keeps them) would not read back.
        Column::Isbn => r
            .isbn
            .iter()
            .filter(|i| i.is_valid())
            .map(|i| {
                if i.written.is_empty() {
                    i.normalized.clone()
                } else {
                    i.written.clone()
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        Column::Issn => match host {
            Some(h) if e.kind == RecordKind::Article => opt(&h.issn.clone().or(r.issn.clone())),
            _ => opt(&r.issn),
        },
        Column::Host => host.map(|h| h.title.clone()).unwrap_or_default(),
        Column::Issue => host.and_then(|h| h.issue.clone()).unwrap_or_default(),
        Column::Pages => host.and_then(|h| h.pages.clone()).unwrap_or_default(),
        Column::Url => opt(&r.url),
        Column::Access => r
            .access_mode
            .map(access_label)
            .unwrap_or_default()
            .to_owned(),
        Column::AgeRating => opt(&r.age_rating),
        Column::Subjects => r.subjects.join("; "),
        Column::Annotation => opt(&r.annotation),
        Column::InventoryNumbers => e
            .copies
            .iter()
            .map(|c| c.inventory_number.clone())
            .collect::<Vec<_>>()
            .join("; "),
        Column::ShelfMark => per_copy_cell(e.copies.iter().map(|c| c.shelf_mark.clone()).collect()),
        Column::Available => per_copy_cell(
            e.copies
                .iter()
                .map(|c| if c.available { "да" } else { "нет" }.to_owned())
                .collect(),
        ),
    }
}

/// The records in the template: UTF-8 with a byte order mark and `;` between fields, as Excel in
/// a Russian locale opens it with a double click.
pub fn write(entries: &[CsvEntry]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(Column::ALL.map(Column::header))?;
    for entry in entries {
        out.write_record(Column::ALL.map(|c| protect(cell_of(c, entry))))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const YEAR: i32 = 2026;

    fn read_text(text: &str) -> (Vec<CsvRecord>, Vec<SkippedRow>) {
        read_until(text.as_bytes(), YEAR).expect("a catalogue in the template")
    }

    fn built(record: &CsvRecord) -> (RecordKind, CatalogRecord) {
        record.build(CatalogRecord::default(), None)
    }

    #[test]
    fn headers_are_found_in_any_case_order_and_language() {
        assert_eq!(Column::from_header("Заглавие"), Some(Column::Title));
        assert_eq!(Column::from_header("  TITLE "), Some(Column::Title));
        assert_eq!(Column::from_header("\u{feff}вид"), Some(Column::Kind));
        assert_eq!(Column::from_header("Объем"), Some(Column::Extent));
        assert_eq!(
            Column::from_header("Сведения  к\tзаглавию"),
            Some(Column::OtherTitle)
        );
        assert_eq!(
            Column::from_header("Inventory_Numbers"),
            Some(Column::InventoryNumbers)
        );
        assert_eq!(Column::from_header("В наличии"), Some(Column::Available));
        assert_eq!(Column::from_header("цена"), None);
        for column in Column::ALL {
            assert_eq!(Column::from_header(column.header()), Some(column));
        }
    }

    #[test]
    fn quoted_lists_cyrillic_and_copies() {
        let text = "\u{feff}Вид;Авторы;Заглавие;Год;ISBN;Возрастной ценз;Ключевые слова;\
                    Инвентарные номера;Шифр;В наличии;Аннотация\r\n\
                    печатная книга;\"Пушкин Александр Сергеевич; Иванов И. И.\";\
                    \"Капитанская дочка; повесть\";2019;978-5-08-006224-7;12;\
                    \"история; Пугачёв; история\";\"Б-1021; Б-1022\";84(2Рос=Рус)1;\"да; нет\";\
                    \"Первая строка;\r\nвторая строка\"\r\n\
                    статья;Кузнецова Е. В.;Следующая;2023;;;;;;;\r\n";
        let (records, skipped) = read_text(text);
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(records.len(), 2);
        let (_, book) = built(&records[0]);
        assert_eq!(book.title, "Капитанская дочка; повесть");
        assert_eq!(
            book.authors,
            vec![
                Person {
                    family: "Пушкин".into(),
                    given: "Александр Сергеевич".into()
                },
                Person {
                    family: "Иванов".into(),
                    given: "И. И.".into()
                },
            ]
        );
        assert_eq!(book.year, Some(2019));
        assert_eq!(book.isbn[0].normalized, "9785080062247");
        assert_eq!(book.age_rating.as_deref(), Some("12+"));
        assert_eq!(book.subjects, vec!["история", "Пугачёв"]);
        assert_eq!(
            book.annotation.as_deref(),
            Some("Первая строка;\nвторая строка")
        );
        assert_eq!(
            records[0].copies,
            Some(vec![
                CsvCopy {
                    inventory_number: "Б-1021".into(),
                    shelf_mark: "84(2Рос=Рус)1".into(),
                    available: true
                },
                CsvCopy {
                    inventory_number: "Б-1022".into(),
                    shelf_mark: "84(2Рос=Рус)1".into(),
                    available: false
                },
            ])
        );
        // The second row starts after the annotation's line break: line 4 of the file.
        assert_eq!(records[1].row, 4);
        assert_eq!(records[1].copies, None);
    }

    #[test]
    fn windows_1251_with_commas_and_english_headers() {
        let text = "Title,Authors,Year,Publisher,Kind\r\n\
                    \"Война и мир. Том 1\",\"Толстой Лев Николаевич\",2020,Эксмо,book\r\n";
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(text);
        assert!(!unmappable);
        assert!(is_csv(&bytes));
        let (records, skipped) = read_until(&bytes, YEAR).expect("csv");
        assert!(skipped.is_empty());
        let (kind, r) = built(&records[0]);
        assert_eq!(kind, RecordKind::PrintedBook);
        assert_eq!(r.title, "Война и мир. Том 1");
        assert_eq!(r.authors[0].family, "Толстой");
        assert_eq!(r.publishers, vec!["Эксмо"]);
    }

    #[test]
    fn tabs_separate_too() {
        let (records, skipped) = read_text("заглавие\tгод\tцена\nАзбука\t2001\t100,50\n");
        assert!(skipped.is_empty());
        let (_, r) = built(&records[0]);
        assert_eq!((r.title.as_str(), r.year), ("Азбука", Some(2001)));
    }

    #[test]
    fn bad_rows_are_skipped_with_their_line_and_the_rest_read() {
        let text = "заглавие;isbn;год;вид;возрастной ценз;инвентарные номера;в наличии;шифр\n\
                    Хорошая;978-5-08-006224-7;2019;;;;;\n\
                    ;978-5-08-006224-7;2019;;;;;\n\
                    Плохой ISBN;978-5-08-006224-8;2019;;;;;\n\
                    Не ISBN;12345;2019;;;;;\n\
                    Будущее;;2099;;;;;\n\
                    Древность;;1200;;;;;\n\
                    Не год;;позапрошлый;;;;;\n\
                    Непонятный вид;;;брошюра;;;;\n\
                    Ценз;;;;15+;;;\n\
                    Копии;;;;;\"1; 2\";\"да; нет; да\";\n\
                    Наличие;;;;;1;может быть;\n\
                    Шифры;;;;;\"1; 2\";;\"а; б; в\"\n\
                    ;;;;;;;\n\
                    Без года;;[б. г.];;;;;\n";
        let (records, skipped) = read_text(text);
        let titles: Vec<&str> = records.iter().map(CsvRecord::title).collect();
        assert_eq!(titles, ["Хорошая", "Без года"]);
        let reasons: Vec<(usize, RowProblem)> = skipped.iter().map(|s| (s.row, s.reason)).collect();
        assert_eq!(
            reasons,
            [
                (3, RowProblem::NoTitle),
                (4, RowProblem::BadIsbn),
                (5, RowProblem::BadIsbn),
                (6, RowProblem::BadYear),
                (7, RowProblem::BadYear),
                (8, RowProblem::BadYear),
                (9, RowProblem::BadKind),
                (10, RowProblem::BadAgeRating),
                (11, RowProblem::BadCopies),
                (12, RowProblem::BadCopies),
                (13, RowProblem::BadCopies),
            ]
        );
        assert_eq!(built(&records[1]).1.year, None);
    }

    #[test]
    fn years_as_libraries_write_them() {
        for (cell, expected) in [
            ("2019", Some(2019)),
            ("2019 г.", Some(2019)),
            ("1804-1807", Some(1804)),
            ("[1957?]", Some(1957)),
            ("c1999", Some(1999)),
            ("©1999", Some(1999)),
            ("2027", Some(2027)),
            ("", None),
            ("б. г.", None),
        ] {
            assert_eq!(
                year(cell, 2027).map(|y| y.map(|(_, y)| y)),
                Ok(expected),
                "{cell}"
            );
        }
        for cell in ["2028", "19", "20199", "около 1900", "1900 или 1901", "MMXX"] {
            assert_eq!(year(cell, 2027), Err(RowProblem::BadYear), "{cell}");
        }
    }

    #[test]
    fn kinds_by_label_code_and_synonym() {
        for (cell, kind) in [
            ("Печатная книга", RecordKind::PrintedBook),
            ("printed_book", RecordKind::PrintedBook),
            ("книга", RecordKind::PrintedBook),
            ("электронная книга", RecordKind::EBook),
            ("нэб", RecordKind::Neb),
            ("Статья", RecordKind::Article),
            ("веб-ресурс", RecordKind::Web),
            ("веб ресурс", RecordKind::Web),
            ("web", RecordKind::Web),
            ("другое", RecordKind::Other),
        ] {
            assert_eq!(parse_kind(cell), Ok(Some(kind)), "{cell}");
        }
        assert_eq!(parse_kind(" "), Ok(None));
        assert_eq!(parse_kind("брошюра"), Err(RowProblem::BadKind));
    }

    #[test]
    fn an_empty_kind_is_guessed_from_the_fields() {
        let (records, _) = read_text(
            "заглавие;источник;url;isbn\n\
             Статья;Школьная библиотека;;\n\
             Сайт;;https://gramota.ru/;\n\
             Книга онлайн;;https://litres.ru/1;978-5-08-006224-7\n\
             НЭБ;;https://rusneb.ru/catalog/1;\n\
             Книга;;;\n",
        );
        let kinds: Vec<RecordKind> = records.iter().map(|r| built(r).0).collect();
        assert_eq!(
            kinds,
            [
                RecordKind::Article,
                RecordKind::Web,
                RecordKind::EBook,
                RecordKind::Neb,
                RecordKind::PrintedBook
            ]
        );
        assert!(built(&records[1]).1.electronic);
    }

    #[test]
    fn articles_keep_their_journal_issue_pages_and_issn() {
        let (records, _) = read_text(
            "вид;заглавие;источник;номер;страницы;год;issn\n\
             статья;О проектах;Школьная библиотека;4;12-17;2023;1727-4893\n",
        );
        let (kind, r) = built(&records[0]);
        assert_eq!(kind, RecordKind::Article);
        let host = r.host.expect("the journal");
        assert_eq!(host.title, "Школьная библиотека");
        assert_eq!(host.issue.as_deref(), Some("4"));
        assert_eq!(host.pages.as_deref(), Some("12-17"));
        assert_eq!(host.year, Some(2023));
        assert_eq!(host.issn.as_deref(), Some("1727-4893"));
        assert_eq!(r.issn, None);
    }

    #[test]
    fn only_the_files_columns_replace_fields_of_the_record_updated() {
        let base = CatalogRecord {
            title: "Старое".into(),
            annotation: Some("Старая аннотация".into()),
            contributors: vec![super::super::marc::Contributor {
                person: Person {
                    family: "Редактор".into(),
                    given: "Р. Р.".into(),
                },
                role: None,
            }],
            subjects: vec!["старое".into()],
            ..CatalogRecord::default()
        };
        let (records, _) = read_text("заглавие;ключевые слова\nНовое;\n");
        let (kind, r) = records[0].build(base, Some(RecordKind::Other));
        assert_eq!(kind, RecordKind::Other);
        assert_eq!(r.title, "Новое");
        // An empty cell of a column the file has clears the field …
        assert!(r.subjects.is_empty());
        // … a column the file lacks leaves it, and what the template has no column for stays.
        assert_eq!(r.annotation.as_deref(), Some("Старая аннотация"));
        assert_eq!(r.contributors.len(), 1);
    }

    #[test]
    fn unchanged_cells_leave_the_record_as_recorded() {
        let base = CatalogRecord {
            title: "Таблицы логарифмов".into(),
            date: Some("MDCCCXVIII".into()),
            year: Some(1818),
            isbn: vec![Isbn::parse("978-5-08-006224-8").expect("a wrong ISBN")],
            issn: Some("1234-5678".into()),
            host: Some(HostItem {
                title: "Журнал".into(),
                ..HostItem::default()
            }),
            electronic: true,
            ..CatalogRecord::default()
        };
        let entry = CsvEntry {
            kind: RecordKind::Article,
            id: "1".into(),
            record: base.clone(),
            copies: Vec::new(),
        };
        let bytes = write(std::slice::from_ref(&entry)).expect("written");
        let (records, skipped) = read_until(&bytes, YEAR).expect("csv");
        assert!(skipped.is_empty(), "{skipped:?}");
        let (kind, again) = records[0].build(base.clone(), Some(RecordKind::Article));
        assert_eq!((kind, &again), (RecordKind::Article, &base));
        // A changed year replaces the date as recorded.
        let edited = String::from_utf8(bytes)
            .expect("UTF-8")
            .replace(";1818;", ";1819;");
        let (records, _) = read_until(edited.as_bytes(), YEAR).expect("csv");
        let (_, again) = records[0].build(base, Some(RecordKind::Article));
        assert_eq!(
            (again.year, again.date.as_deref()),
            (Some(1819), Some("1819"))
        );
    }

    #[test]
    fn what_is_not_the_template_is_not_csv() {
        assert!(!is_csv(b""));
        assert!(!is_csv("Фамилия;Имя\nИванов;Иван\n".as_bytes()));
        assert!(!is_csv(
            b"<?xml version=\"1.0\"?><collection><record>title</record>"
        ));
        assert!(!is_csv(b"00714cam a2200205 a 4500\x1e001title\x1f"));
        assert!(is_csv("\u{feff}\r\n\"Заглавие\";Год\n".as_bytes()));
        assert!(is_csv(b"kind,title,year\n"));
        assert_eq!(
            read_until("Фамилия;Имя\n".as_bytes(), YEAR),
            Err(NotCsv::NoTitleColumn)
        );
        assert_eq!(read_until(b"  \n\n", YEAR), Err(NotCsv::Empty));
        assert_eq!(read_until(b"\xEF\xBB\xBF", YEAR), Err(NotCsv::Empty));
    }

    #[test]
    fn unknown_columns_are_ignored_and_the_first_of_two_counts() {
        let (records, skipped) =
            read_text("цена;заглавие;заглавие;примечание\n100;Первое;Второе;что-то\n");
        assert!(skipped.is_empty());
        assert_eq!(records[0].title(), "Первое");
    }

    #[test]
    fn the_published_template_reads_without_a_skip() {
        let template = include_bytes!("../../public/catalog-template.csv");
        assert!(is_csv(template));
        let (records, skipped) = read_until(template, YEAR).expect("the template");
        assert!(skipped.is_empty(), "{skipped:?}");
        let kinds: Vec<RecordKind> = records.iter().map(|r| built(r).0).collect();
        assert_eq!(
            kinds,
            [
                RecordKind::PrintedBook,
                RecordKind::Article,
                RecordKind::Web,
                RecordKind::Neb,
                RecordKind::Lecta
            ]
        );
        assert_eq!(records[0].copies.as_ref().map(Vec::len), Some(3));
        assert!(records[1].copies.is_none() && records[2].copies.is_none());
        let access: Vec<Option<AccessMode>> =
            records.iter().map(|r| built(r).1.access_mode).collect();
        assert_eq!(
            access,
            [
                None,
                None,
                None,
                Some(AccessMode::ReadingRoom),
                Some(AccessMode::AuthorisedUsers)
            ]
        );
    }

    fn sample_entries() -> Vec<CsvEntry> {
        let book = CatalogRecord {
            authors: vec![
                Person {
                    family: "Пушкин".into(),
                    given: "Александр Сергеевич".into(),
                },
                Person {
                    family: "Де Голль".into(),
                    given: "Ш.".into(),
                },
                Person {
                    family: "Агапит".into(),
                    given: String::new(),
                },
            ],
            title: "=Капитанская дочка; повесть".into(),
            other_title: Some("повесть".into()),
            responsibility: Some("А. С. Пушкин ; иллюстрации П. Соколова".into()),
            edition: Some("2-е изд.".into()),
            places: vec!["Москва".into(), "Санкт-Петербург".into()],
            publishers: vec!["Детская литература".into()],
            date: Some("1804-1807".into()),
            year: Some(1804),
            extent: Some("160 с.".into()),
            series: Some("Школьная библиотека ; вып. 3".into()),
            isbn: vec![Isbn::parse("978-5-08-006224-7").expect("isbn")],
            url: None,
            subjects: vec!["история".into(), "Пугачёв".into()],
            age_rating: Some("12+".into()),
            annotation: Some("Строка «в кавычках» и \"так\";\nвторая строка".into()),
            ..CatalogRecord::default()
        };
        let article = CatalogRecord {
            authors: vec![Person {
                family: "Кузнецова".into(),
                given: "Е. В.".into(),
            }],
            title: "-Проекты в библиотеке".into(),
            year: Some(2023),
            date: Some("2023".into()),
            host: Some(HostItem {
                title: "Школьная библиотека".into(),
                issue: Some("4".into()),
                pages: Some("12-17".into()),
                year: Some(2023),
                issn: Some("1727-4893".into()),
                ..HostItem::default()
            }),
            ..CatalogRecord::default()
        };
        let site = CatalogRecord {
            title: "Грамота.ру".into(),
            other_title: Some("справочно-информационный портал".into()),
            url: Some("https://gramota.ru/".into()),
            electronic: true,
            age_rating: Some("0+".into()),
            ..CatalogRecord::default()
        };
        vec![
            CsvEntry {
                kind: RecordKind::PrintedBook,
                id: "RU/IS/BASE/123".into(),
                record: book,
                copies: vec![
                    CsvCopy {
                        inventory_number: "Б-1021".into(),
                        shelf_mark: "84(2Рос=Рус)1".into(),
                        available: true,
                    },
                    CsvCopy {
                        inventory_number: "Б-1022".into(),
                        shelf_mark: "84(2Рос=Рус)1 П91".into(),
                        available: false,
                    },
                ],
            },
            CsvEntry {
                kind: RecordKind::Article,
                id: "019e0d8c-7b5a-7000-8000-000000000001".into(),
                record: article,
                copies: Vec::new(),
            },
            CsvEntry {
                kind: RecordKind::Web,
                id: "019e0d8c-7b5a-7000-8000-000000000002".into(),
                record: site,
                copies: Vec::new(),
            },
            CsvEntry {
                kind: RecordKind::Neb,
                id: "019e0d8c-7b5a-7000-8000-000000000003".into(),
                record: CatalogRecord {
                    title: "Дерсу Узала".into(),
                    url: Some("https://rusneb.ru/catalog/000199_000009_010101010/".into()),
                    access_mode: Some(AccessMode::ReadingRoom),
                    electronic: true,
                    ..CatalogRecord::default()
                },
                copies: Vec::new(),
            },
        ]
    }

    #[test]
    fn an_export_reads_back_the_same() {
        let entries = sample_entries();
        let bytes = write(&entries).expect("written");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF\xD0\xB2\xD0\xB8\xD0\xB4;id;"));
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        // Formula-like cells are defused for Excel.
        assert!(text.contains("\"'=Капитанская дочка; повесть\""), "{text}");
        assert!(is_csv(&bytes));
        let (records, skipped) = read_until(&bytes, YEAR).expect("the export");
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(records.len(), entries.len());
        for (entry, row) in entries.iter().zip(&records) {
            let (kind, record) = row.build(CatalogRecord::default(), None);
            assert_eq!(kind, entry.kind);
            assert_eq!(row.id.as_deref(), Some(entry.id.as_str()));
            assert_eq!(record, entry.record, "{}", entry.record.title);
            let copies = row.copies.clone().unwrap_or_default();
            assert_eq!(copies, entry.copies);
        }
    }

    #[test]
    fn an_export_of_nothing_is_the_header() {
        let bytes = write(&[]).expect("written");
        let (records, skipped) = read_until(&bytes, YEAR).expect("the header");
        assert!(records.is_empty() && skipped.is_empty());
    }
}
