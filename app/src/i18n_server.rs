//! Translated text for responses that the server writes outside Leptos rendering (refused
//! requests, oversized bodies, preference redirects), with the same choice of language as pages:
//! the language cookie, then `Accept-Language`, then Russian.

use http::HeaderMap;

use crate::i18n::{td_string, I18nLocaleTrait, Locale};
use crate::prefs::{cookie_value, LOCALE_COOKIE};

/// The reader's language for a request.
pub fn locale_from_headers(headers: &HeaderMap) -> Locale {
    if let Some(locale) =
        cookie_value(headers, LOCALE_COOKIE).and_then(|v| v.parse::<Locale>().ok())
    {
        return locale;
    }
    let accept = headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Highest quality first; equal qualities keep the order the browser sent.
    let mut ranges: Vec<(f32, &str)> = accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && q > 0.0).then_some((q, tag))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    let tags: Vec<&str> = ranges.into_iter().map(|(_, tag)| tag).collect();
    Locale::find_locale(&tags)
}

/// The body of a 403 for a cross-site request.
pub fn cross_site_refused(headers: &HeaderMap) -> String {
    td_string!(locale_from_headers(headers), errors.cross_site).to_owned()
}

/// The body of a 413 for a request that is too large.
pub fn payload_too_large(headers: &HeaderMap) -> String {
    td_string!(locale_from_headers(headers), errors.too_large).to_owned()
}

/// The body of a 500 when rendering itself failed.
pub fn internal_error(headers: &HeaderMap) -> String {
    let locale = locale_from_headers(headers);
    format!(
        "{}. {}",
        td_string!(locale, errors.internal_title),
        td_string!(locale, errors.internal_text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(http::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(k.clone(), v.parse().expect("header value"));
        }
        map
    }

    #[test]
    fn russian_by_default() {
        assert_eq!(locale_from_headers(&HeaderMap::new()), Locale::ru);
        assert_eq!(
            locale_from_headers(&headers(&[(http::header::ACCEPT_LANGUAGE, "de-DE, fr")])),
            Locale::ru
        );
    }

    #[test]
    fn accept_language_with_qualities() {
        let h = headers(&[(
            http::header::ACCEPT_LANGUAGE,
            "de;q=0.9, en-GB;q=0.8, ru;q=0.5",
        )]);
        assert_eq!(locale_from_headers(&h), Locale::en);
        let h = headers(&[(http::header::ACCEPT_LANGUAGE, "en;q=0.3, ru-RU")]);
        assert_eq!(locale_from_headers(&h), Locale::ru);
    }

    #[test]
    fn the_cookie_wins() {
        let h = headers(&[
            (http::header::ACCEPT_LANGUAGE, "ru-RU"),
            (http::header::COOKIE, "i18n_pref_locale=en"),
        ]);
        assert_eq!(locale_from_headers(&h), Locale::en);
        assert!(cross_site_refused(&h).contains("another site"));
    }
}
