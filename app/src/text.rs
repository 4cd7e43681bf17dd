//! Small text helpers shared by server and browser.

use std::cmp::Ordering;

/// Compares two names so that runs of digits compare as numbers: «СОШ № 5» < «СОШ № 12».
/// Letters compare case-insensitively first, so the order does not depend on capitalisation.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let mut left = a.chars().peekable();
    let mut right = b.chars().peekable();
    loop {
        match (left.peek().copied(), right.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let n = take_number(&mut left);
                let m = take_number(&mut right);
                let by_value = n
                    .trim_start_matches('0')
                    .len()
                    .cmp(&m.trim_start_matches('0').len())
                    .then_with(|| n.trim_start_matches('0').cmp(m.trim_start_matches('0')));
                if by_value != Ordering::Equal {
                    return by_value;
                }
            }
            (Some(x), Some(y)) => {
                let order = x.to_lowercase().cmp(y.to_lowercase());
                if order != Ordering::Equal {
                    return order;
                }
                left.next();
                right.next();
            }
        }
    }
}

fn take_number(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut digits = String::new();
    while let Some(c) = chars.peek().copied().filter(char::is_ascii_digit) {
        digits.push(c);
        chars.next();
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_sort_as_numbers() {
        let mut names = vec!["СОШ № 16", "СОШ № 5", "СОШ № 12", "СОШ № 1", "Гимназия № 3"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            ["Гимназия № 3", "СОШ № 1", "СОШ № 5", "СОШ № 12", "СОШ № 16"]
        );
    }

    #[test]
    fn case_does_not_decide_order() {
        assert_eq!(natural_cmp("лицей", "Лицей 2"), Ordering::Less);
        assert_eq!(natural_cmp("a", "a"), Ordering::Equal);
        assert_eq!(natural_cmp("x007", "x7"), natural_cmp("x007", "x7"));
        assert_ne!(natural_cmp("x007", "x7"), Ordering::Equal, "a total order");
    }
}
