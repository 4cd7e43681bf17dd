//! `GET /manage/{slug}/analytics.csv?year=` and `/manage/analytics.csv?school=&year=`: the
//! report's figures as one long table for Excel: UTF-8 with a byte order mark and `;` between
//! fields, as Excel in a Russian locale opens it with a double click. Each row is (section, item,
//! detail, value), so the file sorts and pivots without hand work. Refused and anonymous
//! readers get 404, like the pages they cannot see.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::api::ssr::{authorise, build_report};
use super::{kind_label, medium_label, CatalogReport};
use crate::accounts::session;
use crate::error::AppError;
use crate::format::format_decimal;
use crate::i18n::{td_string, Locale};
use crate::i18n_server::locale_from_headers;
use crate::people::academic_year_label;
use crate::state::AppState;

/// The filters of the export, as the report page's link sends them.
#[derive(Debug, Default, Deserialize)]
pub struct CsvQuery {
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub year: String,
}

/// A school's report.
pub async fn csv(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<CsvQuery>,
    headers: HeaderMap,
) -> Response {
    respond(&state, &slug, &query.year, &headers).await
}

/// The district's report (`school` empty) or, for the district's staff, one school's.
pub async fn district_csv(
    State(state): State<AppState>,
    Query(query): Query<CsvQuery>,
    headers: HeaderMap,
) -> Response {
    respond(&state, query.school.trim(), &query.year, &headers).await
}

async fn respond(state: &AppState, slug: &str, year: &str, headers: &HeaderMap) -> Response {
    match load(state, slug, year, headers).await {
        Ok(report) => {
            let locale = locale_from_headers(headers);
            match write_csv(locale, &report) {
                Ok(bytes) => attachment(bytes, &file_name(&report)),
                Err(error) => {
                    AppError::internal("writing the report's CSV", error);
                    StatusCode::INTERNAL_SERVER_ERROR.into_response()
                }
            }
        }
        Err(error) => match error {
            // Whether a report exists is not told to those who may not read it.
            AppError::Unauthorized | AppError::Forbidden | AppError::NotFound => {
                StatusCode::NOT_FOUND.into_response()
            }
            AppError::BadRequest => StatusCode::BAD_REQUEST.into_response(),
            _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    }
}

async fn load(
    state: &AppState,
    slug: &str,
    year: &str,
    headers: &HeaderMap,
) -> Result<CatalogReport, AppError> {
    let pool = &state.pool;
    let user = match session::token_from_headers(headers) {
        Some(token) => session::user_for_token(pool, &token).await?,
        None => None,
    };
    let reader = authorise(pool, user.as_ref(), slug).await?;
    let year = super::parse_year(year).map_err(|_| AppError::BadRequest)?;
    build_report(pool, &reader, year).await
}

fn attachment(bytes: Vec<u8>, name: &str) -> Response {
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    // What it shows depends on who asks.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// `libfolio-analytics-sosh-1-2026.csv`, `libfolio-analytics-district.csv`: ASCII only (the
/// slug is Latin letters, digits and hyphens).
fn file_name(report: &CatalogReport) -> String {
    let scope = report
        .school
        .as_ref()
        .map(|s| s.slug.as_str())
        .unwrap_or("district");
    match report.year {
        Some(year) => format!("libfolio-analytics-{scope}-{year}.csv"),
        None => format!("libfolio-analytics-{scope}.csv"),
    }
}

/// A text cell that Excel would take for a formula (`=`, `+`, `-`, `@`, or a tab or return
/// first) is prefixed with an apostrophe: titles are typed by pupils and imported from outside.
fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The report as CSV bytes: byte order mark, header row, one row per figure.
pub fn write_csv(locale: Locale, report: &CatalogReport) -> Result<Vec<u8>, csv::Error> {
    // The byte order mark tells Excel the file is UTF-8.
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut row = |section: &str, item: &str, detail: &str, value: String| {
        out.write_record([
            text_cell(section),
            text_cell(item),
            text_cell(detail),
            value,
        ])
    };
    row(
        td_string!(locale, analytics.csv_section),
        td_string!(locale, analytics.csv_item),
        td_string!(locale, analytics.csv_detail),
        td_string!(locale, analytics.csv_value).to_owned(),
    )?;
    let title = td_string!(locale, analytics.title);
    let school = report
        .school
        .as_ref()
        .map(|s| s.short_name.clone())
        .unwrap_or_else(|| td_string!(locale, analytics.whole_district).to_owned());
    row(
        title,
        td_string!(locale, analytics.school),
        &school,
        String::new(),
    )?;
    let year = report
        .year
        .map(academic_year_label)
        .unwrap_or_else(|| td_string!(locale, analytics.all_years).to_owned());
    row(
        title,
        td_string!(locale, analytics.year),
        &year,
        String::new(),
    )?;

    let section = td_string!(locale, analytics.top_title);
    for r in &report.top_cited {
        row(section, &r.title, &r.description, r.projects.to_string())?;
    }
    let section = td_string!(locale, analytics.kinds_title);
    for (kind, n) in &report.by_kind {
        row(section, kind_label(locale, *kind), "", n.to_string())?;
    }
    let section = td_string!(locale, analytics.medium_title);
    for (medium, n) in &report.by_medium {
        row(section, medium_label(locale, *medium), "", n.to_string())?;
    }
    let section = td_string!(locale, analytics.per_project_title);
    let p = &report.per_project;
    for (item, value) in [
        (
            td_string!(locale, analytics.projects),
            p.projects.to_string(),
        ),
        (
            td_string!(locale, analytics.bucket_none),
            p.none.to_string(),
        ),
        (
            td_string!(locale, analytics.bucket_few),
            p.one_to_four.to_string(),
        ),
        (
            td_string!(locale, analytics.bucket_some),
            p.five_to_nine.to_string(),
        ),
        (
            td_string!(locale, analytics.bucket_many),
            p.ten_or_more.to_string(),
        ),
        (
            td_string!(locale, analytics.mean),
            format_decimal(locale, p.mean),
        ),
        (
            td_string!(locale, analytics.median),
            format_decimal(locale, p.median),
        ),
        (
            td_string!(locale, analytics.below_minimum),
            p.below_minimum.to_string(),
        ),
    ] {
        row(section, item, "", value)?;
    }
    let section = td_string!(locale, analytics.years_title);
    for line in &report.by_year {
        let label = academic_year_label(line.year);
        for (kind, n) in &line.by_kind {
            row(section, &label, kind_label(locale, *kind), n.to_string())?;
        }
        row(
            section,
            &label,
            td_string!(locale, analytics.total),
            line.total.to_string(),
        )?;
    }
    let section = td_string!(locale, analytics.schools_title);
    for s in &report.by_school {
        for (detail, n) in [
            (td_string!(locale, analytics.projects), s.projects),
            (td_string!(locale, analytics.sources), s.sources),
            (td_string!(locale, analytics.printed), s.printed),
            (td_string!(locale, analytics.electronic), s.electronic),
            (td_string!(locale, analytics.other_media), s.other),
        ] {
            row(section, &s.school.short_name, detail, n.to_string())?;
        }
    }
    out.into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::{Medium, SourcesPerProject};
    use crate::catalog::RecordKind;
    use crate::people::SchoolRef;

    fn report() -> CatalogReport {
        CatalogReport {
            school: Some(SchoolRef {
                slug: "sosh-1".into(),
                short_name: "СОШ № 1".into(),
            }),
            district_wide: false,
            schools: vec![],
            year: Some(2026),
            years: vec![2026],
            top_cited: vec![super::super::CitedRecord {
                record_id: "r".into(),
                title: "=HYPERLINK(\"x\")".into(),
                description: "Описание; с точкой с запятой и \"кавычками\"".into(),
                projects: 3,
            }],
            by_kind: RecordKind::ALL.map(|k| (k, 1)).into(),
            by_medium: Medium::ALL.map(|m| (m, 2)).into(),
            per_project: SourcesPerProject::from_counts(&[(1, 5), (4, 5)]),
            by_year: vec![],
            by_school: vec![],
        }
    }

    #[test]
    fn excel_gets_a_bom_semicolons_quotes_and_no_formulas() {
        let bytes = write_csv(Locale::ru, &report()).expect("csv");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        assert!(
            text.starts_with("Раздел;Показатель;Подробности;Значение\n"),
            "{text}"
        );
        assert!(
            text.contains("'=HYPERLINK(\"\"x\"\")"),
            "a formula is neutralised: {text}"
        );
        assert!(text.contains("\"Описание; с точкой с запятой и \"\"кавычками\"\"\";3"));
        assert!(text.contains(";Среднее;;2,5\n"), "decimal comma: {text}");
    }

    #[test]
    fn file_names_are_ascii() {
        assert_eq!(file_name(&report()), "libfolio-analytics-sosh-1-2026.csv");
        let district = CatalogReport {
            school: None,
            year: None,
            ..report()
        };
        assert_eq!(file_name(&district), "libfolio-analytics-district.csv");
    }
}
