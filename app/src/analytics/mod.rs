//! The librarian's report on how projects use the library: the most cited catalogue records,
//! printed against electronic sources, sources per project, and use by academic year and by
//! school; shown as server-rendered SVG charts with the same figures in tables, and exported as
//! CSV for Excel. The types shared by the server and the browser.
//!
//! A school's report is for its librarians, the coordinator and administrators
//! (`Action::ManageCatalog`); the district's report, for those who may manage every school's
//! catalogue. Declined proposals are left out of every figure.

pub mod api;
pub mod chart;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
pub mod ui;

use serde::{Deserialize, Serialize};

use crate::catalog::RecordKind;
use crate::i18n::{td_string, Locale};
use crate::people::{AcademicYear, SchoolRef};

/// How many of the most cited records the report lists.
pub const TOP_CITED: i64 = 10;

/// Whether a source is on paper or online, for the printed-versus-electronic summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Medium {
    /// Printed books.
    Printed,
    /// E-books, documents of the НЭБ and web resources.
    Electronic,
    /// Articles and other media, which may be either.
    Other,
}

impl Medium {
    pub const ALL: [Medium; 3] = [Medium::Printed, Medium::Electronic, Medium::Other];

    /// The medium of a kind of source.
    pub fn of(kind: RecordKind) -> Medium {
        match kind {
            RecordKind::PrintedBook => Medium::Printed,
            RecordKind::EBook | RecordKind::Neb | RecordKind::Lecta | RecordKind::Web => {
                Medium::Electronic
            }
            RecordKind::Article | RecordKind::Other => Medium::Other,
        }
    }
}

/// A kind of source as the report names it.
pub fn kind_label(locale: Locale, kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::PrintedBook => td_string!(locale, catalog.kind_printed_book),
        RecordKind::EBook => td_string!(locale, catalog.kind_ebook),
        RecordKind::Neb => td_string!(locale, catalog.kind_neb),
        RecordKind::Lecta => td_string!(locale, catalog.kind_lecta),
        RecordKind::Article => td_string!(locale, catalog.kind_article),
        RecordKind::Web => td_string!(locale, catalog.kind_web),
        RecordKind::Other => td_string!(locale, catalog.kind_other),
    }
}

/// Printed, electronic or other, as the report names them.
pub fn medium_label(locale: Locale, medium: Medium) -> &'static str {
    match medium {
        Medium::Printed => td_string!(locale, analytics.printed),
        Medium::Electronic => td_string!(locale, analytics.electronic),
        Medium::Other => td_string!(locale, analytics.other_media),
    }
}

/// A catalogue record among the most cited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedRecord {
    pub record_id: String,
    pub title: String,
    /// Its description by ГОСТ Р 7.0.100-2018.
    pub description: String,
    /// How many projects list it among their sources.
    pub projects: i64,
}

/// How many sources the projects list: the distribution and its summary.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SourcesPerProject {
    pub projects: i64,
    pub none: i64,
    pub one_to_four: i64,
    pub five_to_nine: i64,
    pub ten_or_more: i64,
    pub mean: f64,
    pub median: f64,
    /// Projects with fewer sources than their school's «Положение» asks for.
    pub below_minimum: i64,
}

impl SourcesPerProject {
    /// The summary of each project's (number of sources, its school's minimum).
    pub fn from_counts(counts: &[(i64, i64)]) -> Self {
        let mut sorted: Vec<i64> = counts.iter().map(|(n, _)| *n).collect();
        sorted.sort_unstable();
        let projects = sorted.len() as i64;
        let median = match sorted.len() {
            0 => 0.0,
            n if n % 2 == 1 => sorted[n / 2] as f64,
            n => (sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0,
        };
        let total: i64 = sorted.iter().sum();
        let within =
            |lo: i64, hi: i64| sorted.iter().filter(|n| (lo..=hi).contains(*n)).count() as i64;
        SourcesPerProject {
            projects,
            none: within(0, 0),
            one_to_four: within(1, 4),
            five_to_nine: within(5, 9),
            ten_or_more: within(10, i64::MAX),
            mean: if projects == 0 {
                0.0
            } else {
                total as f64 / projects as f64
            },
            median,
            below_minimum: counts.iter().filter(|(n, min)| n < min).count() as i64,
        }
    }
}

/// Sources added to the projects of one academic year, by kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearUsage {
    pub year: AcademicYear,
    /// Every kind, in [`RecordKind::ALL`] order, zeros included.
    pub by_kind: Vec<(RecordKind, i64)>,
    pub total: i64,
}

/// One school's line in the district's report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolUsage {
    pub school: SchoolRef,
    pub projects: i64,
    pub sources: i64,
    pub printed: i64,
    pub electronic: i64,
    pub other: i64,
}

/// The report for one school or the whole district, in one academic year or all of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogReport {
    /// The school reported on; none for the whole district.
    pub school: Option<SchoolRef>,
    /// Whether the reader may see every school (and so pick one, or the district).
    pub district_wide: bool,
    /// The schools a district-wide reader may pick (empty for a school's librarian).
    pub schools: Vec<SchoolRef>,
    /// The academic year reported on; none for all years.
    pub year: Option<AcademicYear>,
    /// The academic years that have projects, newest first.
    pub years: Vec<AcademicYear>,
    pub top_cited: Vec<CitedRecord>,
    /// Every kind, in [`RecordKind::ALL`] order, zeros included.
    pub by_kind: Vec<(RecordKind, i64)>,
    /// Printed, electronic, other: in [`Medium::ALL`] order.
    pub by_medium: Vec<(Medium, i64)>,
    pub per_project: SourcesPerProject,
    /// Oldest year first.
    pub by_year: Vec<YearUsage>,
    /// For the whole district only: each school, by name.
    pub by_school: Vec<SchoolUsage>,
}

impl CatalogReport {
    /// The report's page: `/manage/{slug}/analytics`, or `/manage/analytics` for the district.
    pub fn page_path(&self) -> String {
        match &self.school {
            Some(s) => format!("/manage/{}/analytics", s.slug),
            None => "/manage/analytics".to_owned(),
        }
    }

    /// The CSV of the same figures (same school and year).
    pub fn csv_path(&self) -> String {
        let year = self.year.map(|y| y.to_string()).unwrap_or_default();
        match (&self.school, self.district_wide) {
            (Some(s), false) => format!("/manage/{}/analytics.csv?year={year}", s.slug),
            (Some(s), true) => format!("/manage/analytics.csv?school={}&year={year}", s.slug),
            (None, _) => format!("/manage/analytics.csv?school=&year={year}"),
        }
    }

    /// The sum of the counts by kind: every source of the projects reported on.
    pub fn total_sources(&self) -> i64 {
        self.by_kind.iter().map(|(_, n)| n).sum()
    }
}

/// A year filter that is not an academic year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadYear;

/// The year filter as sent by the form: empty for all years, else an academic year by its
/// first calendar year.
pub fn parse_year(text: &str) -> Result<Option<AcademicYear>, BadYear> {
    match text.trim() {
        "" => Ok(None),
        y => y
            .parse::<AcademicYear>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .map(Some)
            .ok_or(BadYear),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_buckets_mean_median_and_shortfall() {
        let s = SourcesPerProject::from_counts(&[(0, 5), (3, 5), (5, 5), (12, 3)]);
        assert_eq!(
            (
                s.projects,
                s.none,
                s.one_to_four,
                s.five_to_nine,
                s.ten_or_more
            ),
            (4, 1, 1, 1, 1)
        );
        assert_eq!(s.mean, 5.0);
        assert_eq!(s.median, 4.0);
        assert_eq!(s.below_minimum, 2);
        let odd = SourcesPerProject::from_counts(&[(7, 5), (1, 5), (2, 5)]);
        assert_eq!(odd.median, 2.0);
        assert_eq!(
            SourcesPerProject::from_counts(&[]),
            SourcesPerProject::default()
        );
    }

    #[test]
    fn kinds_fall_into_printed_electronic_and_other() {
        assert_eq!(Medium::of(RecordKind::PrintedBook), Medium::Printed);
        for kind in [
            RecordKind::EBook,
            RecordKind::Neb,
            RecordKind::Lecta,
            RecordKind::Web,
        ] {
            assert_eq!(Medium::of(kind), Medium::Electronic);
        }
        assert_eq!(Medium::of(RecordKind::Article), Medium::Other);
        assert_eq!(Medium::of(RecordKind::Other), Medium::Other);
    }

    #[test]
    fn years_are_empty_or_plausible() {
        assert_eq!(parse_year(""), Ok(None));
        assert_eq!(parse_year(" 2026 "), Ok(Some(2026)));
        assert!(parse_year("2026/2027").is_err());
        assert!(parse_year("1700").is_err());
        assert!(parse_year("; DROP TABLE").is_err());
    }
}
