//! Search snippets: the words around the first place a query's terms occur in a text, with the
//! found words marked. Words are compared by their stems, as the index stores them.

use super::Fragment;
use crate::catalog::search::terms;

/// Words shown before the first hit and in all.
const BEFORE: usize = 10;
const WORDS: usize = 32;

/// Whether a word's stem starts with one of the query's terms (as the index's prefix ranges
/// match).
fn is_hit(word: &str, query: &[String]) -> bool {
    terms(word)
        .first()
        .is_some_and(|stem| query.iter().any(|q| stem.starts_with(q.as_str())))
}

/// The snippet of `text` for `query` (stemmed terms), or none if no word of it matches.
pub fn snippet(text: &str, query: &[String]) -> Option<Vec<Fragment>> {
    if query.is_empty() {
        return None;
    }
    // (start, end) byte ranges of the words.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    let first = words
        .iter()
        .position(|&(s, e)| is_hit(&text[s..e], query))?;
    let from = first.saturating_sub(BEFORE);
    let to = (from + WORDS).min(words.len());
    let mut out: Vec<Fragment> = Vec::new();
    let mut push = |text: &str, hit: bool| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if !last.hit && !hit => last.text.push_str(text),
            _ => out.push(Fragment {
                text: text.to_owned(),
                hit,
            }),
        }
    };
    if from > 0 {
        push("… ", false);
    }
    let mut at = if from == 0 { 0 } else { words[from].0 };
    for &(s, e) in &words[from..to] {
        push(&text[at..s], false);
        push(&text[s..e], is_hit(&text[s..e], query));
        at = e;
    }
    if to < words.len() {
        push(" …", false);
    } else {
        push(&text[at..], false);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(fragments: &[Fragment]) -> String {
        fragments
            .iter()
            .map(|f| {
                if f.hit {
                    format!("[{}]", f.text)
                } else {
                    f.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn word_forms_are_found_and_marked() {
        let text = "Мы изучали орнаменты нанайцев. Орнамент — это язык.";
        let query = terms("орнаментом");
        let s = snippet(text, &query).expect("found");
        assert_eq!(
            marked(&s),
            "Мы изучали [орнаменты] нанайцев. [Орнамент] — это язык."
        );
        assert!(snippet(text, &terms("маяк")).is_none());
    }

    #[test]
    fn long_texts_are_cut_around_the_first_hit() {
        let before = "слово ".repeat(50);
        let after = " конец".repeat(50);
        let text = format!("{before}маяки{after}");
        let s = snippet(&text, &terms("маяк")).expect("found");
        let m = marked(&s);
        assert!(m.starts_with("… "), "{m}");
        assert!(m.ends_with(" …"), "{m}");
        assert!(m.contains("[маяки]"));
        assert_eq!(m.split_whitespace().count(), WORDS + 2);
    }

    #[test]
    fn markup_in_text_stays_text() {
        let s = snippet("<script>маяк</script>", &terms("маяк")).expect("found");
        assert_eq!(marked(&s), "<script>[маяк]</script>");
    }
}
