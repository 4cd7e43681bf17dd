//! The reader's display preferences, kept in cookies so they work without JavaScript: the
//! language (the cookie leptos_i18n reads) and the version for the visually impaired.

/// The cookie that holds the chosen language (`ru` or `en`); leptos_i18n reads this name.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";
/// The cookie that holds the chosen view: `a11y` for the version for the visually impaired.
pub const VIEW_COOKIE: &str = "libfolio_view";
/// The value of [`VIEW_COOKIE`] that turns the version for the visually impaired on.
pub const VIEW_A11Y: &str = "a11y";
/// A year, in seconds, for the `Max-Age` of preference cookies.
pub const COOKIE_MAX_AGE_SECS: i64 = 365 * 24 * 3600;

/// The value of a cookie in a `Cookie` header.
pub fn cookie_value<'h>(headers: &'h http::HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v.trim_matches('"')))
}

/// A path on this site to return to after a preference form, or `/`. Refuses anything that
/// could send the reader elsewhere (`//evil`, `https://…`, backslashes, control characters).
pub fn safe_return_path(path: Option<&str>) -> String {
    match path {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(char::is_control)
                && p.len() <= 2048 =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Whether the current page is shown in the version for the visually impaired.
/// On the server it reads the cookie; in the browser, the class the server put on `<html>`,
/// so both render the same thing and hydration matches.
pub fn is_a11y_view() -> bool {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .is_some_and(|parts| cookie_value(&parts.headers, VIEW_COOKIE) == Some(VIEW_A11Y))
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::document()
            .document_element()
            .is_some_and(|html| html.class_name().split_whitespace().any(|c| c == VIEW_A11Y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_cookie_among_others() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "a=1; libfolio_view=a11y; i18n_pref_locale=en"
                .parse()
                .expect("h"),
        );
        assert_eq!(cookie_value(&headers, VIEW_COOKIE), Some("a11y"));
        assert_eq!(cookie_value(&headers, LOCALE_COOKIE), Some("en"));
        assert_eq!(cookie_value(&headers, "missing"), None);
    }

    #[test]
    fn return_paths_stay_on_this_site() {
        assert_eq!(
            safe_return_path(Some("/schools/sosh-1?x=1")),
            "/schools/sosh-1?x=1"
        );
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "javascript:alert(1)",
            "/a\r\nSet-Cookie: x=1",
        ] {
            assert_eq!(safe_return_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_return_path(None), "/");
    }
}
