//! Class rosters: the CSV files school librarians export from Excel, 1С or the school's records
//! system, with one pupil per line (surname, first name, optional patronymic, class). Reading
//! them (server only), and the pieces the web UI shows (class names, row problems).
//!
//! Also the usernames and initial passwords pupils get: passport transliteration
//! (приказ МВД России № 889, as ICAO 9303) and pronounceable passwords for printed cards.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The most pupils one file may hold.
pub const MAX_ROWS: usize = 1000;
/// The longest name part accepted, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// A class name like «7Б»: a grade from 1 to 11 and one Cyrillic capital letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ClassName {
    pub grade: u8,
    pub letter: char,
}

/// Latin letters typed by mistake for the Cyrillic ones they look like.
fn cyrillic_look_alike(c: char) -> char {
    match c.to_ascii_uppercase() {
        'A' => 'А',
        'B' => 'В',
        'E' => 'Е',
        'K' => 'К',
        'M' => 'М',
        'H' => 'Н',
        'O' => 'О',
        'P' => 'Р',
        'C' => 'С',
        'T' => 'Т',
        'X' => 'Х',
        _ => c,
    }
}

impl ClassName {
    /// Accepts «7Б», «7б», « 7 Б », «7-Б», «07Б» and a Latin look-alike letter («7B»);
    /// refuses «12А», «0А», «7», «Б», «7ББ», «7Ъ».
    pub fn parse(input: &str) -> Option<ClassName> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let digits: String = compact.chars().take_while(char::is_ascii_digit).collect();
        let rest: Vec<char> = compact.chars().skip(digits.chars().count()).collect();
        let grade: u8 = digits.parse().ok()?;
        if !(1..=11).contains(&grade) || rest.len() != 1 {
            return None;
        }
        let letter = cyrillic_look_alike(rest[0]).to_uppercase().next()?;
        let allowed = ('А'..='Я').contains(&letter) && !matches!(letter, 'Ъ' | 'Ь' | 'Ы' | 'Й');
        allowed.then_some(ClassName { grade, letter })
    }

    /// The next academic year's class: 7Б → 8Б; the eleventh grade leaves school (`None`).
    pub fn next(&self) -> Option<ClassName> {
        (self.grade < 11).then_some(ClassName {
            grade: self.grade + 1,
            letter: self.letter,
        })
    }
}

impl fmt::Display for ClassName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.grade, self.letter)
    }
}

/// One pupil read from a roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    /// The line number as a spreadsheet shows it (the header is line 1).
    pub line: usize,
    pub surname: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub class_name: ClassName,
}

/// What is wrong with a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowProblem {
    /// Not 3 or 4 fields.
    WrongFieldCount {
        found: usize,
    },
    MissingSurname,
    MissingFirstName,
    MissingClass,
    BadClass {
        value: String,
    },
    /// Characters other than letters, spaces, hyphens, apostrophes and dots.
    BadName {
        value: String,
    },
    TooLong {
        value: String,
    },
    /// The same pupil (name and class) as an earlier line.
    Duplicate {
        first_line: usize,
    },
}

/// A problem on a line; a line may have several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: usize,
    pub problem: RowProblem,
}

/// Why a roster was refused. All or nothing: one bad line refuses the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RosterError {
    Empty,
    TooManyRows { max: usize },
    Unreadable,
    Rows(Vec<RowError>),
}

/// Names are tidied: spaces trimmed and collapsed; a name typed ALL CAPS or all lower case gets
/// capitals the Russian way («ИВАНОВА» → «Иванова», «анна-мария» → «Анна-Мария»); a name in
/// mixed case is kept as typed.
pub fn tidy_name(input: &str) -> String {
    let collapsed = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let letters = || collapsed.chars().filter(|c| c.is_alphabetic());
    let all_upper = letters().all(char::is_uppercase);
    let all_lower = letters().all(char::is_lowercase);
    if !(all_upper || all_lower) {
        return collapsed;
    }
    let mut out = String::with_capacity(collapsed.len());
    let mut start = true;
    for c in collapsed.chars() {
        if c.is_alphabetic() {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            start = matches!(c, ' ' | '-');
        }
    }
    out
}

/// Transliteration for usernames: lower-case ASCII by the passport rules (приказ МВД № 889).
/// Latin letters and digits pass; anything else is dropped.
pub fn transliterate(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' => "ie",
            'ы' => "y",
            'ь' => "",
            'ю' => "iu",
            'я' => "ia",
            c if c.is_ascii_lowercase() || c.is_ascii_digit() => {
                out.push(c);
                continue;
            }
            _ => "",
        };
        out.push_str(mapped);
    }
    out
}

/// The longest username made from names.
const MAX_USERNAME_BASE: usize = 30;

/// A pupil's username before it is made unique: the transliterated surname, a dot and the
/// transliteration of the first letter of the first name (Иванова Мария → `ivanova.m`,
/// Щукин Юрий → `shchukin.iu`), at most 30 characters; `pupil` when the surname gives nothing.
pub fn username_base(surname: &str, first_name: &str) -> String {
    let mut family = transliterate(surname);
    if family.is_empty() || !family.starts_with(|c: char| c.is_ascii_lowercase()) {
        family = format!("pupil{family}");
    }
    let initial = first_name
        .chars()
        .find(|c| c.is_alphabetic())
        .map(|c| transliterate(&c.to_string()))
        .unwrap_or_default();
    let room = MAX_USERNAME_BASE.saturating_sub(initial.len() + 1);
    family.truncate(room);
    if initial.is_empty() {
        family
    } else {
        format!("{family}.{initial}")
    }
}

/// The first of `base`, `base2`, `base3`, … that `taken` does not claim.
pub fn unique_username(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2u32..)
        .map(|n| format!("{base}{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| base.to_owned())
}

/// A password a child can type from a printed card: three two-syllable groups and two digits,
/// like `ramo-kisu-te47` (no letters or digits that look alike: no l, 1, 0, o in the digits).
#[cfg(feature = "ssr")]
pub fn readable_password() -> Result<String, getrandom::Error> {
    const CONSONANTS: &[u8] = b"bdfgkmnprstvz";
    const VOWELS: &[u8] = b"aeiou";
    const DIGITS: &[u8] = b"23456789";
    let mut random = [0u8; 14];
    getrandom::fill(&mut random)?;
    let pick = |set: &[u8], byte: u8| set[usize::from(byte) % set.len()] as char;
    let mut out = String::with_capacity(16);
    for group in 0..3 {
        if group > 0 {
            out.push('-');
        }
        let syllables = if group == 2 { 1 } else { 2 };
        for s in 0..syllables {
            let i = group * 4 + s * 2;
            out.push(pick(CONSONANTS, random[i]));
            out.push(pick(VOWELS, random[i + 1]));
        }
    }
    out.push(pick(DIGITS, random[12]));
    out.push(pick(DIGITS, random[13]));
    Ok(out)
}

/// The text of a file: UTF-8 (a byte-order mark is dropped) when it is valid UTF-8, else
/// Windows-1251, in which Excel and 1С save Russian CSV.
#[cfg(feature = "ssr")]
pub fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1251
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// The separator of a CSV text: `;` or `,`, whichever the first non-empty line has more of
/// outside quotes (`;` on a tie, as Russian Excel writes it).
#[cfg(feature = "ssr")]
fn separator(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let (mut semicolons, mut commas, mut quoted) = (0usize, 0usize, false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if commas > semicolons {
        b','
    } else {
        b';'
    }
}

#[cfg(feature = "ssr")]
fn is_header(first_field: &str) -> bool {
    let f = first_field.trim().to_lowercase();
    f.starts_with("фамилия") || f == "surname" || f == "last name"
}

/// Checks one name part; `None` when it is fine.
#[cfg(feature = "ssr")]
fn name_problem(value: &str, missing: RowProblem) -> Option<RowProblem> {
    if value.is_empty() {
        return Some(missing);
    }
    if value.chars().count() > MAX_NAME_CHARS {
        return Some(RowProblem::TooLong {
            value: value.chars().take(MAX_NAME_CHARS).collect::<String>() + "…",
        });
    }
    let ok = value
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.'))
        && !value.starts_with('-')
        && !value.ends_with('-');
    (!ok).then(|| RowProblem::BadName {
        value: value.to_owned(),
    })
}

/// Reads a whole roster. Any bad line refuses the file, with every problem of every line.
#[cfg(feature = "ssr")]
pub fn parse_roster(bytes: &[u8]) -> Result<Vec<RosterRow>, RosterError> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(separator(&text))
        .from_reader(text.as_bytes());
    let mut rows: Vec<RosterRow> = Vec::new();
    let mut problems: Vec<RowError> = Vec::new();
    let mut first = true;
    for record in reader.records() {
        let record = record.map_err(|_| RosterError::Unreadable)?;
        // The csv crate's own line count skips blank lines, and its record position may fall on
        // the line break before the record: step over line breaks, then count them.
        let bytes = text.as_bytes();
        let mut start = record.position().map(|p| p.byte() as usize).unwrap_or(0);
        while bytes.get(start).is_some_and(|b| *b == b'\r' || *b == b'\n') {
            start += 1;
        }
        let line = 1 + bytes
            .get(..start)
            .map(|before| before.iter().filter(|b| **b == b'\n').count())
            .unwrap_or(0);
        let mut fields: Vec<&str> = record.iter().collect();
        // Spreadsheets export trailing separators (`Иванов;Иван;7Б;`): empty cells after the
        // third are dropped.
        while fields.len() > 3 && fields.last().is_some_and(|f| f.is_empty()) {
            fields.pop();
        }
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        if std::mem::take(&mut first) && is_header(fields[0]) {
            continue;
        }
        if rows.len() + problems.len() >= MAX_ROWS {
            return Err(RosterError::TooManyRows { max: MAX_ROWS });
        }
        let (surname, first_name, patronymic, class) = match fields.len() {
            3 => (fields[0], fields[1], "", fields[2]),
            4 => (fields[0], fields[1], fields[2], fields[3]),
            found => {
                problems.push(RowError {
                    line,
                    problem: RowProblem::WrongFieldCount { found },
                });
                continue;
            }
        };
        let surname = tidy_name(surname);
        let first_name = tidy_name(first_name);
        let patronymic = tidy_name(patronymic);
        let mut line_problems = Vec::new();
        line_problems.extend(name_problem(&surname, RowProblem::MissingSurname));
        line_problems.extend(name_problem(&first_name, RowProblem::MissingFirstName));
        if !patronymic.is_empty() {
            line_problems.extend(name_problem(&patronymic, RowProblem::MissingFirstName));
        }
        let class_name = if class.trim().is_empty() {
            line_problems.push(RowProblem::MissingClass);
            None
        } else {
            let parsed = ClassName::parse(class);
            if parsed.is_none() {
                line_problems.push(RowProblem::BadClass {
                    value: class.chars().take(20).collect(),
                });
            }
            parsed
        };
        match class_name {
            Some(class_name) if line_problems.is_empty() => {
                let key = |r: &RosterRow| {
                    (
                        r.surname.to_lowercase().replace('ё', "е"),
                        r.first_name.to_lowercase().replace('ё', "е"),
                        r.patronymic
                            .clone()
                            .unwrap_or_default()
                            .to_lowercase()
                            .replace('ё', "е"),
                        r.class_name,
                    )
                };
                let row = RosterRow {
                    line,
                    surname,
                    first_name,
                    patronymic: (!patronymic.is_empty()).then_some(patronymic),
                    class_name,
                };
                if let Some(earlier) = rows.iter().find(|r| key(r) == key(&row)) {
                    problems.push(RowError {
                        line,
                        problem: RowProblem::Duplicate {
                            first_line: earlier.line,
                        },
                    });
                } else {
                    rows.push(row);
                }
            }
            _ => problems.extend(
                line_problems
                    .into_iter()
                    .map(|problem| RowError { line, problem }),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(RosterError::Rows(problems));
    }
    if rows.is_empty() {
        return Err(RosterError::Empty);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(name: &str) -> ClassName {
        ClassName::parse(name).expect(name)
    }

    #[test]
    fn class_names_are_read_forgivingly() {
        for (input, grade, letter) in [
            ("7Б", 7, 'Б'),
            ("7б", 7, 'Б'),
            (" 7 Б ", 7, 'Б'),
            ("7-Б", 7, 'Б'),
            ("07Б", 7, 'Б'),
            ("11a", 11, 'А'),
            ("5B", 5, 'В'),
            ("1к", 1, 'К'),
        ] {
            assert_eq!(
                ClassName::parse(input),
                Some(ClassName { grade, letter }),
                "{input}"
            );
        }
        for bad in ["12А", "0А", "7", "Б", "7ББ", "7Ъ", "7Й", "", "7Q", "А7"] {
            assert_eq!(ClassName::parse(bad), None, "{bad}");
        }
        assert_eq!(class("7б").to_string(), "7Б");
    }

    #[test]
    fn classes_move_up_and_the_eleventh_leaves() {
        assert_eq!(class("7Б").next(), Some(class("8Б")));
        assert_eq!(class("10А").next(), Some(class("11А")));
        assert_eq!(class("11А").next(), None);
    }

    #[test]
    fn names_are_tidied_only_when_typed_in_one_case() {
        assert_eq!(tidy_name("  ИВАНОВА "), "Иванова");
        assert_eq!(tidy_name("анна-мария"), "Анна-Мария");
        assert_eq!(tidy_name("мария  анна"), "Мария Анна");
        assert_eq!(tidy_name("МакКензи"), "МакКензи");
        assert_eq!(tidy_name("д'артаньян"), "Д'артаньян");
    }

    #[test]
    fn transliteration_follows_the_passport_rules() {
        assert_eq!(
            transliterate("абвгдеёжзийклмнопрстуфхцчшщъыьэюя"),
            "abvgdeezhziiklmnoprstufkhtschshshchieyeiuia"
        );
        assert_eq!(transliterate("Щукин"), "shchukin");
        assert_eq!(transliterate("Юлия"), "iuliia");
        assert_eq!(transliterate("Зырянова"), "zyrianova");
        assert_eq!(transliterate("Подъячев"), "podieiachev");
        assert_eq!(transliterate("Мамин-Сибиряк"), "maminsibiriak");
        assert_eq!(transliterate("O'Neil 2"), "oneil2");
    }

    #[test]
    fn usernames_are_surname_dot_initial() {
        assert_eq!(username_base("Иванова", "Мария"), "ivanova.m");
        assert_eq!(username_base("Щукин", "Юрий"), "shchukin.iu");
        assert_eq!(username_base("", "Мария"), "pupil.m");
        let long = username_base(&"Ы".repeat(40), "Яна");
        assert!(long.len() <= 30, "{long}");
        assert!(long.ends_with(".ia"), "{long}");
        let taken = ["ivanova.m", "ivanova.m2"];
        assert_eq!(
            unique_username("ivanova.m", |c| taken.contains(&c)),
            "ivanova.m3"
        );
        assert_eq!(
            unique_username("petrov.i", |c| taken.contains(&c)),
            "petrov.i"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn initial_passwords_are_readable_and_random() {
        let a = readable_password().expect("random");
        let b = readable_password().expect("random");
        assert_ne!(a, b);
        assert_eq!(a.len(), 14, "{a}");
        let groups: Vec<&str> = a.split('-').collect();
        assert_eq!(groups.len(), 3, "{a}");
        assert!(a
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || ('2'..='9').contains(&c)));
        assert!(!a.contains(['l', '0', '1']), "{a}");
        assert!(groups[2].ends_with(|c: char| c.is_ascii_digit()));
    }

    #[cfg(feature = "ssr")]
    mod files {
        use super::super::*;

        fn names(rows: &[RosterRow]) -> Vec<String> {
            rows.iter()
                .map(|r| format!("{} {} {}", r.line, r.surname, r.class_name))
                .collect()
        }

        #[test]
        fn utf8_with_a_bom_semicolons_and_a_header() {
            let file = "\u{feff}Фамилия;Имя;Отчество;Класс\r\nИванова;Мария;Петровна;7Б\r\nПЕТРОВ;ИЛЬЯ;;7б\r\n";
            let rows = parse_roster(file.as_bytes()).expect("reads");
            assert_eq!(names(&rows), ["2 Иванова 7Б", "3 Петров 7Б"]);
            assert_eq!(rows[0].patronymic.as_deref(), Some("Петровна"));
            assert_eq!(rows[1].patronymic, None);
            assert_eq!(rows[1].first_name, "Илья");
        }

        #[test]
        fn windows_1251_with_commas_and_three_or_four_fields() {
            let text = "Ёжиков,Пётр,Ильич,5А\nИванова,\"Мария\",5А\n";
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(text);
            assert!(!unmappable);
            let rows = parse_roster(&bytes).expect("reads");
            assert_eq!(names(&rows), ["1 Ёжиков 5А", "2 Иванова 5А"]);
            assert_eq!(rows[0].patronymic.as_deref(), Some("Ильич"));
        }

        #[test]
        fn a_separator_inside_quotes_stays_in_its_field() {
            let file = "Иванова,\"Анна, Мария\",5А\n";
            assert_eq!(
                parse_roster(file.as_bytes()),
                Err(RosterError::Rows(vec![RowError {
                    line: 1,
                    problem: RowProblem::BadName {
                        value: "Анна, Мария".into()
                    }
                }]))
            );
        }

        #[test]
        fn trailing_separators_from_spreadsheets_are_ignored() {
            let file = "Иванова;Мария;7Б;\nПетров;Илья;Ильич;7Б;;;\nОрлов;Олег;;;\n";
            let Err(RosterError::Rows(problems)) = parse_roster(file.as_bytes()) else {
                panic!("refused");
            };
            assert_eq!(
                problems,
                vec![RowError {
                    line: 3,
                    problem: RowProblem::MissingClass
                }]
            );
            let rows = parse_roster("Иванова;Мария;7Б;\nПетров;Илья;Ильич;7Б;;;\n".as_bytes())
                .expect("reads");
            assert_eq!(names(&rows), ["1 Иванова 7Б", "2 Петров 7Б"]);
        }

        #[test]
        fn blank_lines_are_skipped_and_line_numbers_kept() {
            let file = "Иванова;Мария;7Б\n\n;;;\nПетров;Илья;7Б\n";
            let rows = parse_roster(file.as_bytes()).expect("reads");
            assert_eq!(names(&rows), ["1 Иванова 7Б", "4 Петров 7Б"]);
        }

        #[test]
        fn every_bad_line_is_reported() {
            let file = "Фамилия;Имя;Класс\n\
                        Иванова;Мария;7Б\n\
                        ;Илья;7Б\n\
                        Котов;Вадим;13А\n\
                        \n\
                        Сидоров;Иван;Иванович;7Б;лишнее\n\
                        Лис1цин;Олег;7Б\n\
                        Иванова;Мария;7б\n\
                        Орлов;;\n";
            let Err(RosterError::Rows(problems)) = parse_roster(file.as_bytes()) else {
                panic!("refused");
            };
            let found: Vec<(usize, RowProblem)> =
                problems.into_iter().map(|e| (e.line, e.problem)).collect();
            assert_eq!(
                found,
                vec![
                    (3, RowProblem::MissingSurname),
                    (
                        4,
                        RowProblem::BadClass {
                            value: "13А".into()
                        }
                    ),
                    (6, RowProblem::WrongFieldCount { found: 5 }),
                    (
                        7,
                        RowProblem::BadName {
                            value: "Лис1цин".into()
                        }
                    ),
                    (8, RowProblem::Duplicate { first_line: 2 }),
                    (9, RowProblem::MissingFirstName),
                    (9, RowProblem::MissingClass),
                ]
            );
        }

        #[test]
        fn empty_files_oversized_files_and_broken_quotes() {
            assert_eq!(parse_roster(b""), Err(RosterError::Empty));
            assert_eq!(
                parse_roster("Фамилия;Имя;Класс\n\n".as_bytes()),
                Err(RosterError::Empty)
            );
            let many: String = (0..=MAX_ROWS)
                .map(|i| format!("Ученик;Номер{};7Б\n", "а".repeat(i % 50 + 1)))
                .collect();
            assert!(matches!(
                parse_roster(many.as_bytes()),
                Err(RosterError::TooManyRows { .. }) | Err(RosterError::Rows(_))
            ));
            let distinct: String = (0..=MAX_ROWS)
                .map(|i| {
                    format!(
                        "Ученик;Имя;{}{}\n",
                        i % 11 + 1,
                        [
                            'А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'З', 'И', 'К', 'Л', 'М', 'Н', 'О',
                            'П', 'Р', 'С', 'Т', 'У', 'Ф', 'Х', 'Ц', 'Ч', 'Ш', 'Щ', 'Э', 'Ю', 'Я'
                        ][i / 11 % 28]
                    )
                })
                .collect();
            assert_eq!(
                parse_roster(distinct.as_bytes()),
                Err(RosterError::TooManyRows { max: MAX_ROWS })
            );
            // An unclosed quote swallows the rest of the line: reported, not guessed at.
            assert_eq!(
                parse_roster("Иванова;\"Мария;7Б\n".as_bytes()),
                Err(RosterError::Rows(vec![RowError {
                    line: 1,
                    problem: RowProblem::WrongFieldCount { found: 2 }
                }]))
            );
        }
    }
}
