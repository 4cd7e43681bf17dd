//! A school's people: classes per academic year, pupils (added one by one or from a class
//! roster), consents, families (parents linked by invite codes) and login cards. The types
//! shared by the server and the browser.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod ui;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

pub use crate::roster::{ClassName, RowError, RowProblem};

/// An academic year by its first calendar year: 2026 is «2026/2027».
pub type AcademicYear = i32;

/// The academic year a day belongs to. Schools prepare the coming year's classes in August, so
/// the new year starts on 1 August.
pub fn academic_year_of(day: NaiveDate) -> AcademicYear {
    if day.month() >= 8 {
        day.year()
    } else {
        day.year() - 1
    }
}

/// «2026/2027».
pub fn academic_year_label(year: AcademicYear) -> String {
    format!("{year}/{}", year + 1)
}

/// The school a management page is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolRef {
    pub slug: String,
    pub short_name: String,
}

/// A school in the staff overview, with its numbers for the current year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedSchool {
    pub slug: String,
    pub short_name: String,
    pub town: String,
    pub class_count: i64,
    pub pupil_count: i64,
}

/// A class in lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSummary {
    pub id: String,
    pub name: String,
    pub academic_year: AcademicYear,
    pub pupil_count: i64,
}

/// `/manage/{slug}`: a school's classes in one academic year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolPeople {
    pub school: SchoolRef,
    pub academic_year: AcademicYear,
    /// The years that have classes, and the current one, newest first.
    pub years: Vec<AcademicYear>,
    pub classes: Vec<ClassSummary>,
    /// Whether the next year already has classes (then moving pupils up is not offered).
    pub next_year_has_classes: bool,
    /// The school's librarians and supervisors (those with `staff_role` when it is set).
    pub staff: Vec<StaffMember>,
    pub staff_role: Option<crate::accounts::Role>,
    /// Whether this person may create librarian accounts here (else only supervisors).
    pub may_add_librarians: bool,
}

/// A librarian or supervisor of a school.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: String,
    pub display_name: String,
    pub username: String,
    pub roles: Vec<crate::accounts::Role>,
}

/// A pupil in a class list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilSummary {
    pub id: String,
    pub surname: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub username: String,
    pub processing_consent: bool,
    pub publication_consent: bool,
    pub parent_count: i64,
}

impl PupilSummary {
    pub fn full_name(&self) -> String {
        full_name(&self.surname, &self.first_name, self.patronymic.as_deref())
    }
}

/// «Иванова Мария Петровна».
pub fn full_name(surname: &str, first_name: &str, patronymic: Option<&str>) -> String {
    match patronymic.filter(|p| !p.is_empty()) {
        Some(p) => format!("{surname} {first_name} {p}"),
        None => format!("{surname} {first_name}"),
    }
}

/// The form of a name that searches compare: lower case, ё as е, single spaces.
pub fn search_form(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('ё', "е")
}

/// Which pupils a search shows by their consents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentFilter {
    /// No consent to publish on file.
    NoPublication,
    /// No consent to process personal data on file.
    NoProcessing,
}

/// A pupil in the school-wide search, with their class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundPupil {
    pub pupil: PupilSummary,
    pub class_name: Option<String>,
}

/// `/manage/{slug}/pupils`: the school's pupils in a year, searched and filtered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilSearch {
    pub school: SchoolRef,
    pub academic_year: AcademicYear,
    /// The years the school has classes in, newest first.
    pub years: Vec<AcademicYear>,
    pub classes: Vec<ClassSummary>,
    pub query: String,
    pub class_id: Option<String>,
    pub consent: Option<ConsentFilter>,
    pub pupils: Vec<FoundPupil>,
    /// More pupils matched than are shown.
    pub truncated: bool,
}

/// `/manage/{slug}/classes/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassDetail {
    pub school: SchoolRef,
    pub class: ClassSummary,
    pub pupils: Vec<PupilSummary>,
}

/// The two consents a school records for a pupil.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConsentKind {
    /// Consent to process the pupil's personal data (152-ФЗ).
    Processing,
    /// Consent to publish the pupil's name and work on public pages.
    Publication,
}

impl ConsentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentKind::Processing => "processing",
            ConsentKind::Publication => "publication",
        }
    }

    pub fn parse(name: &str) -> Option<ConsentKind> {
        match name {
            "processing" => Some(ConsentKind::Processing),
            "publication" => Some(ConsentKind::Publication),
            _ => None,
        }
    }
}

/// A recorded consent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub id: String,
    pub kind: ConsentKind,
    pub given_on: NaiveDate,
    pub note: String,
    pub withdrawn: bool,
}

/// Where a family invite stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteStatus {
    Active,
    Used,
    Revoked,
    Expired,
}

/// A family invite as staff see it; the code only while it can be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRecord {
    pub id: String,
    pub code: Option<String>,
    pub created_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub status: InviteStatus,
}

/// A parent linked to a pupil.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentSummary {
    pub display_name: String,
    pub username: String,
}

/// `/manage/{slug}/pupils/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilDetail {
    pub school: SchoolRef,
    pub id: String,
    pub surname: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub username: String,
    pub class: Option<ClassSummary>,
    pub consents: Vec<ConsentRecord>,
    pub invites: Vec<InviteRecord>,
    pub parents: Vec<ParentSummary>,
    pub public_name: PublicName,
}

/// How a pupil is shown on public pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PublicName {
    /// «Мария И., 7Б»: consent to publish is on file.
    Named(String),
    /// No consent to publish: the pupil appears without a name.
    Anonymous,
}

/// The public name of a pupil: first name, the initial of the surname and the class when a
/// consent to publish is on file; otherwise anonymous. Every public page uses this.
pub fn public_name(
    first_name: &str,
    surname: &str,
    class_name: Option<&str>,
    may_publish: bool,
) -> PublicName {
    if !may_publish {
        return PublicName::Anonymous;
    }
    let initial = surname
        .chars()
        .next()
        .map(|c| format!(" {}.", c.to_uppercase()))
        .unwrap_or_default();
    let class = class_name.map(|c| format!(", {c}")).unwrap_or_default();
    PublicName::Named(format!("{first_name}{initial}{class}"))
}

/// Where a roster import stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportStatus {
    /// Read and checked; waiting for staff to confirm.
    Preview,
    /// The file had problems; nothing was imported.
    Rejected,
    /// Confirmed: the accounts exist.
    Done,
    /// Staff cancelled the preview.
    Cancelled,
}

impl ImportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Preview => "preview",
            ImportStatus::Rejected => "rejected",
            ImportStatus::Done => "done",
            ImportStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(name: &str) -> Option<ImportStatus> {
        Some(match name {
            "preview" => ImportStatus::Preview,
            "rejected" => ImportStatus::Rejected,
            "done" => ImportStatus::Done,
            "cancelled" => ImportStatus::Cancelled,
            _ => return None,
        })
    }
}

/// Why a whole roster file was refused (as opposed to some of its rows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileProblem {
    Empty,
    TooManyRows { max: usize },
    Unreadable,
}

/// One pupil a roster import will create (or created).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedPupil {
    pub line: usize,
    pub surname: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub class_name: String,
    pub username: String,
}

/// `/manage/{slug}/imports/{id}`: the preview, or the report of a refused file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: String,
    pub school: SchoolRef,
    pub academic_year: AcademicYear,
    pub file_name: String,
    pub status: ImportStatus,
    pub pupils: Vec<PlannedPupil>,
    pub row_problems: Vec<RowError>,
    pub file_problem: Option<FileProblem>,
    /// Classes the import creates because they do not exist yet in that year.
    pub new_classes: Vec<String>,
    pub cards_available: bool,
}

/// One printed login card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginCard {
    pub full_name: String,
    pub class_name: String,
    pub username: String,
    pub password: String,
}

/// `/manage/{slug}/imports/{id}/cards`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardsSheet {
    pub school: SchoolRef,
    pub import_id: String,
    /// The address pupils type to sign in.
    pub sign_in_address: String,
    pub cards: Vec<LoginCard>,
}

/// A child on a parent's account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildSummary {
    pub full_name: String,
    pub school: String,
    pub class_name: Option<String>,
}

/// A pupil's own school and class on their account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilPlace {
    pub school: String,
    pub class_name: Option<String>,
}

/// What the account page adds for parents and pupils.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyView {
    pub children: Vec<ChildSummary>,
    pub own_place: Option<PupilPlace>,
}

/// A family invite code: eight characters from an alphabet without look-alikes, shown as
/// `ABCD-2345`. Typed codes are accepted in any case, with or without the hyphen or spaces.
pub mod invite_code {
    /// No 0/O, 1/I/L: the code is read off paper.
    pub const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    pub const LEN: usize = 8;

    /// The canonical form of a typed code, or `None` if it cannot be a code.
    pub fn normalize(input: &str) -> Option<String> {
        let chars: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let ok = chars.len() == LEN && chars.bytes().all(|b| ALPHABET.contains(&b));
        ok.then(|| format!("{}-{}", &chars[..4], &chars[4..]))
    }

    /// A new random code.
    #[cfg(feature = "ssr")]
    pub fn generate() -> Result<String, getrandom::Error> {
        let mut bytes = [0u8; LEN];
        getrandom::fill(&mut bytes)?;
        // 256 is not a multiple of the alphabet's 31 letters; the bias (under 1 %) does not
        // matter for a code that is also rate limited and expires.
        let chars: String = bytes
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect();
        Ok(format!("{}-{}", &chars[..4], &chars[4..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn the_academic_year_turns_in_august() {
        assert_eq!(academic_year_of(day(2026, 11, 28)), 2026);
        assert_eq!(academic_year_of(day(2027, 5, 31)), 2026);
        assert_eq!(academic_year_of(day(2027, 8, 1)), 2027);
        assert_eq!(academic_year_label(2026), "2026/2027");
    }

    #[test]
    fn public_names_need_consent() {
        assert_eq!(
            public_name("Мария", "иванова", Some("7Б"), true),
            PublicName::Named("Мария И., 7Б".into())
        );
        assert_eq!(
            public_name("Мария", "Иванова", None, true),
            PublicName::Named("Мария И.".into())
        );
        assert_eq!(
            public_name("Мария", "Иванова", Some("7Б"), false),
            PublicName::Anonymous
        );
    }

    #[test]
    fn invite_codes_are_read_forgivingly() {
        assert_eq!(
            invite_code::normalize("abcd-2345"),
            Some("ABCD-2345".into())
        );
        assert_eq!(
            invite_code::normalize(" ABCD 2345 "),
            Some("ABCD-2345".into())
        );
        assert_eq!(invite_code::normalize("ABCD-234"), None);
        assert_eq!(invite_code::normalize("ABCD-2340"), None, "0 is not used");
        assert_eq!(
            invite_code::normalize("АВСD-2345"),
            None,
            "Cyrillic look-alikes"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn generated_invite_codes_normalize_to_themselves() {
        let code = invite_code::generate().expect("random");
        assert_eq!(invite_code::normalize(&code), Some(code.clone()));
        assert_ne!(code, invite_code::generate().expect("random"));
    }

    #[test]
    fn full_names_skip_a_missing_patronymic() {
        assert_eq!(
            full_name("Иванова", "Мария", Some("Петровна")),
            "Иванова Мария Петровна"
        );
        assert_eq!(full_name("Иванова", "Мария", Some("")), "Иванова Мария");
        assert_eq!(full_name("Иванова", "Мария", None), "Иванова Мария");
    }
}
