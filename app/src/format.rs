//! Dates, numbers and plural forms in the reader's language. The words and separators come from
//! the translation files; the rules for choosing a plural form are the CLDR rules for Russian and
//! English, written here to keep the ICU data out of the browser bundle.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::i18n::{td_string, Locale};

/// `26 ноября 2026 г.` in Russian, `26 November 2026` in English.
pub fn format_date(locale: Locale, date: NaiveDate) -> String {
    let month = match date.month() {
        1 => td_string!(locale, dates.month_1),
        2 => td_string!(locale, dates.month_2),
        3 => td_string!(locale, dates.month_3),
        4 => td_string!(locale, dates.month_4),
        5 => td_string!(locale, dates.month_5),
        6 => td_string!(locale, dates.month_6),
        7 => td_string!(locale, dates.month_7),
        8 => td_string!(locale, dates.month_8),
        9 => td_string!(locale, dates.month_9),
        10 => td_string!(locale, dates.month_10),
        11 => td_string!(locale, dates.month_11),
        _ => td_string!(locale, dates.month_12),
    };
    td_string!(
        locale,
        dates.date,
        day = date.day(),
        month = month,
        year = date.year()
    )
}

/// `26 ноября 2026 г., 14:05` in Russian, `26 November 2026, 14:05` in English.
pub fn format_date_time(locale: Locale, at: NaiveDateTime) -> String {
    format!("{}, {}", format_date(locale, at.date()), at.format("%H:%M"))
}

/// A number with at most one decimal: `12,5` in Russian, `12.5` in English; `12` when whole.
pub fn format_decimal(locale: Locale, x: f64) -> String {
    let tenths = (x * 10.0).round() as i64;
    if tenths % 10 == 0 {
        format_integer(locale, tenths / 10)
    } else {
        format!(
            "{}{}{}",
            format_integer(locale, tenths / 10),
            td_string!(locale, numbers.decimal_separator),
            (tenths % 10).abs()
        )
    }
}

/// A file size: `340 КБ`, `2,5 МБ` in Russian; `340 KB`, `2.5 MB` in English.
pub fn format_size(locale: Locale, bytes: i64) -> String {
    let kib = bytes.max(0) as f64 / 1024.0;
    if kib < 1000.0 {
        let n = kib.ceil() as i64;
        return td_string!(locale, units.kib, n = format_integer(locale, n));
    }
    let mib = kib / 1024.0;
    let tenths = (mib * 10.0).round() as i64;
    let text = if tenths % 10 == 0 {
        format_integer(locale, tenths / 10)
    } else {
        format!(
            "{}{}{}",
            format_integer(locale, tenths / 10),
            td_string!(locale, numbers.decimal_separator),
            tenths % 10
        )
    };
    td_string!(locale, units.mib, n = text)
}

/// `12 345` (with a no-break space) in Russian, `12,345` in English. Russian leaves four-digit
/// numbers whole (`1000`), as Russian typography does.
pub fn format_integer(locale: Locale, n: i64) -> String {
    let separator = td_string!(locale, numbers.group_separator);
    let group_from: usize = td_string!(locale, numbers.group_from_digits)
        .parse()
        .unwrap_or(4);
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if n < 0 {
        out.push('−');
    }
    if digits.len() < group_from {
        out.push_str(&digits);
        return out;
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

/// The plural forms a count can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    /// 1, 21, 101 школа / 1 school
    One,
    /// 2–4, 22–24 школы
    Few,
    /// 0, 5–20, 25 школ / 0, 2 schools
    Many,
}

/// CLDR cardinal plural rules for whole numbers.
pub fn plural(locale: Locale, n: u64) -> Plural {
    match locale {
        Locale::ru => {
            let (last, last_two) = (n % 10, n % 100);
            if last == 1 && last_two != 11 {
                Plural::One
            } else if (2..=4).contains(&last) && !(12..=14).contains(&last_two) {
                Plural::Few
            } else {
                Plural::Many
            }
        }
        Locale::en => {
            if n == 1 {
                Plural::One
            } else {
                Plural::Many
            }
        }
    }
}

/// «6 школ», «21 школа», «1 school».
pub fn schools_count(locale: Locale, n: usize) -> String {
    let count = format_integer(locale, n as i64);
    match plural(locale, n as u64) {
        Plural::One => td_string!(locale, schools.count_one, count = count),
        Plural::Few => td_string!(locale, schools.count_few, count = count),
        Plural::Many => td_string!(locale, schools.count_many, count = count),
    }
}

/// «и ещё 2 участника»: the members of a published project shown without a name.
pub fn anonymous_members(locale: Locale, n: usize) -> String {
    let count = format_integer(locale, n as i64);
    match plural(locale, n as u64) {
        Plural::One => td_string!(locale, showcase.anonymous_one, count = count),
        Plural::Few => td_string!(locale, showcase.anonymous_few, count = count),
        Plural::Many => td_string!(locale, showcase.anonymous_many, count = count),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn sizes_read_naturally_in_both_languages() {
        assert_eq!(format_size(Locale::ru, 340 * 1024), "340 КБ");
        assert_eq!(format_size(Locale::ru, 5 * 1024 * 1024 / 2), "2,5 МБ");
        assert_eq!(format_size(Locale::en, 5 * 1024 * 1024 / 2), "2.5 MB");
        assert_eq!(format_size(Locale::ru, 100 * 1024 * 1024), "100 МБ");
        assert_eq!(format_size(Locale::ru, 1), "1 КБ");
    }

    #[test]
    fn decimals_take_the_language_separator() {
        assert_eq!(format_decimal(Locale::ru, 8.5), "8,5");
        assert_eq!(format_decimal(Locale::en, 8.5), "8.5");
        assert_eq!(format_decimal(Locale::ru, 15.0), "15");
        assert_eq!(format_decimal(Locale::ru, 12.25), "12,3");
    }

    #[test]
    fn russian_dates_use_the_genitive_month_and_year_mark() {
        assert_eq!(
            format_date(Locale::ru, day(2026, 11, 26)),
            "26 ноября 2026 г."
        );
        assert_eq!(format_date(Locale::ru, day(2027, 3, 1)), "1 марта 2027 г.");
        assert_eq!(format_date(Locale::ru, day(2027, 5, 9)), "9 мая 2027 г.");
    }

    #[test]
    fn english_dates() {
        assert_eq!(
            format_date(Locale::en, day(2026, 11, 26)),
            "26 November 2026"
        );
    }

    #[test]
    fn every_month_has_a_name() {
        for m in 1..=12 {
            for locale in [Locale::ru, Locale::en] {
                let text = format_date(locale, day(2026, m, 1));
                assert!(!text.contains("{{"), "{text}");
            }
        }
    }

    #[test]
    fn russian_numbers_group_with_no_break_spaces_from_five_digits() {
        assert_eq!(format_integer(Locale::ru, 6), "6");
        assert_eq!(format_integer(Locale::ru, 1000), "1000");
        assert_eq!(format_integer(Locale::ru, 12345), "12\u{a0}345");
        assert_eq!(format_integer(Locale::ru, 1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(format_integer(Locale::ru, -20000), "−20\u{a0}000");
        assert_eq!(format_integer(Locale::en, 1000), "1,000");
    }

    #[test]
    fn russian_plurals() {
        let forms: Vec<_> = [1, 2, 5, 11, 12, 14, 21, 22, 25, 101, 111, 0]
            .iter()
            .map(|n| schools_count(Locale::ru, *n))
            .collect();
        assert_eq!(
            forms,
            [
                "1 школа",
                "2 школы",
                "5 школ",
                "11 школ",
                "12 школ",
                "14 школ",
                "21 школа",
                "22 школы",
                "25 школ",
                "101 школа",
                "111 школ",
                "0 школ"
            ]
        );
        assert_eq!(schools_count(Locale::en, 1), "1 school");
        assert_eq!(schools_count(Locale::en, 6), "6 schools");
    }
}
