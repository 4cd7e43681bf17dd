//! `POST /prefs/lang` and `POST /prefs/view`: the language and the version for the visually
//! impaired, kept in cookies and applied by a redirect back to the page the reader was on.
//! Plain form posts, so the switches work without JavaScript.

use app::i18n::I18nLocaleTrait as _;
use app::prefs::{safe_return_path, COOKIE_MAX_AGE_SECS, LOCALE_COOKIE, VIEW_A11Y, VIEW_COOKIE};
use app::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    pub lang: String,
    #[serde(default)]
    pub back: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ViewForm {
    pub view: String,
    #[serde(default)]
    pub back: Option<String>,
}

/// Sets the language cookie (`ru` or `en`) and returns to the page.
pub async fn set_language(
    State(state): State<AppState>,
    Form(form): Form<LanguageForm>,
) -> Response {
    let Ok(locale) = form.lang.parse::<app::i18n::Locale>() else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let cookie = preference_cookie(
        LOCALE_COOKIE,
        locale.as_str(),
        state.settings.secure_cookies,
    );
    redirect_with_cookie(form.back.as_deref(), cookie)
}

/// Sets the view cookie (`a11y` or `standard`) and returns to the page.
pub async fn set_view(State(state): State<AppState>, Form(form): Form<ViewForm>) -> Response {
    let value = match form.view.as_str() {
        VIEW_A11Y => VIEW_A11Y,
        "standard" => "standard",
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    let cookie = preference_cookie(VIEW_COOKIE, value, state.settings.secure_cookies);
    redirect_with_cookie(form.back.as_deref(), cookie)
}

fn preference_cookie(name: &str, value: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={COOKIE_MAX_AGE_SECS}; SameSite=Lax{secure}")
}

fn redirect_with_cookie(back: Option<&str>, cookie: String) -> Response {
    let mut response = Redirect::to(&safe_return_path(back)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_last_a_year_and_are_secure_behind_https() {
        let plain = preference_cookie("libfolio_view", "a11y", false);
        assert_eq!(
            plain,
            "libfolio_view=a11y; Path=/; Max-Age=31536000; SameSite=Lax"
        );
        assert!(preference_cookie("x", "y", true).ends_with("; Secure"));
    }
}
