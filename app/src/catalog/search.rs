//! The words a record is found by: lower-cased, «ё» read as «е», and stemmed by the Snowball
//! rules of their language (Russian for Cyrillic words, English for Latin ones), so that the
//! forms of a word share one term. Queries are cut into terms the same way.

use rust_stemmers::{Algorithm, Stemmer};

/// Cuts text into search terms: stems of words (at least two letters), and numbers as they are.
pub fn terms(text: &str) -> Vec<String> {
    let russian = Stemmer::create(Algorithm::Russian);
    let english = Stemmer::create(Algorithm::English);
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let word = word.to_lowercase().replace('ё', "е");
        let term = if word.chars().all(|c| c.is_ascii_digit() || c == 'x')
            && word.chars().any(|c| c.is_ascii_digit())
        {
            word
        } else if word.chars().count() < 2 {
            continue;
        } else if word.chars().any(|c| matches!(c, 'а'..='я')) {
            russian.stem(&word).into_owned()
        } else {
            english.stem(&word).into_owned()
        };
        if seen.insert(term.clone()) {
            out.push(term);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_forms_share_a_term() {
        assert_eq!(terms("книга"), terms("книги"));
        assert_eq!(terms("книгой"), terms("книгу"));
        assert_eq!(terms("Сказки"), terms("сказка"));
        assert_eq!(terms("ёлка"), terms("елки"));
        assert_eq!(terms("Libraries"), terms("library"));
    }

    #[test]
    fn numbers_and_isbns_stay_whole() {
        assert_eq!(
            terms("978-5-901202-50-0"),
            ["978", "5", "901202", "50", "0"]
        );
        assert_eq!(terms("9785901202500"), ["9785901202500"]);
        assert_eq!(
            terms("Том 2, 1985 г."),
            [terms("Том")[0].clone(), "2".into(), "1985".into()]
        );
    }
}
