//! Citation keys: the short names by which a project's pages cite its sources (`[@Иванов2019]`),
//! made from the first author's family name (else the title's first word) and the year, and
//! kept unique within the project with a letter after the year (`Иванов2019а`, `Smith2020b`).

use super::marc::CatalogRecord;

/// The longest key, in characters, before the year.
const MAX_NAME: usize = 24;

/// The key a record would get in a project that has no other.
pub fn base_key(record: &CatalogRecord) -> String {
    let name = record
        .authors
        .first()
        .map(|p| p.family.as_str())
        .filter(|f| f.chars().any(char::is_alphanumeric))
        .unwrap_or_else(|| {
            record
                .title
                .split_whitespace()
                .find(|w| w.chars().any(char::is_alphabetic))
                .unwrap_or("")
        });
    let mut key: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(MAX_NAME)
        .collect();
    if let Some(first) = key.chars().next() {
        let upper: String = first.to_uppercase().collect();
        key.replace_range(..first.len_utf8(), &upper);
    }
    if key.is_empty() {
        key.push_str("src");
    }
    if let Some(year) = record.year {
        key.push_str(&year.to_string());
    }
    key
}

/// `base`, or `base` with the first letter after it that no key of `taken` has (compared
/// without case, as citations are matched).
pub fn unique_key(base: &str, taken: &[String]) -> String {
    let is_taken = |key: &str| taken.iter().any(|t| t.to_lowercase() == key.to_lowercase());
    if !is_taken(base) {
        return base.to_owned();
    }
    let cyrillic = base
        .chars()
        .next()
        .is_some_and(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'));
    let letters: Vec<char> = if cyrillic {
        "абвгдежзиклмнопрстуфхцчшэюя".chars().collect()
    } else {
        ('a'..='z').collect()
    };
    letters
        .iter()
        .map(|l| format!("{base}{l}"))
        .chain((2..).map(|n| format!("{base}_{n}")))
        .find(|key| !is_taken(key))
        .unwrap_or_else(|| base.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::marc::Person;

    fn record(family: Option<&str>, title: &str, year: Option<i32>) -> CatalogRecord {
        CatalogRecord {
            authors: family
                .map(|f| Person {
                    family: f.to_owned(),
                    given: "И. И.".to_owned(),
                })
                .into_iter()
                .collect(),
            title: title.to_owned(),
            year,
            ..CatalogRecord::default()
        }
    }

    #[test]
    fn keys_are_the_first_author_and_the_year() {
        assert_eq!(
            base_key(&record(Some("Арсеньев"), "Дерсу Узала", Some(1921))),
            "Арсеньев1921"
        );
        assert_eq!(
            base_key(&record(Some("Салтыков-Щедрин"), "Сказки", None)),
            "СалтыковЩедрин"
        );
        assert_eq!(
            base_key(&record(None, "«Тайга» и люди", Some(2020))),
            "Тайга2020"
        );
        assert_eq!(base_key(&record(None, "1812 год", None)), "Год");
        assert_eq!(base_key(&record(None, "!!!", Some(2001))), "src2001");
    }

    #[test]
    fn a_taken_key_gets_the_next_letter() {
        let taken = vec!["Иванов2019".to_owned(), "иванов2019а".to_owned()];
        assert_eq!(unique_key("Иванов2019", &taken), "Иванов2019б");
        assert_eq!(
            unique_key("Smith2020", &["smith2020".to_owned()]),
            "Smith2020a"
        );
        assert_eq!(unique_key("Петров", &taken), "Петров");
    }
}
