//! Projects and their Markdown pages: the pupils' work. Types shared by the server and the
//! browser. A project belongs to one school and academic year; its pages keep every revision,
//! and a save names the revision it was based on, so that nobody's text is ever overwritten.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod ui;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::markdown::{SafeHtml, TocEntry};
use crate::people::{AcademicYear, SchoolRef};

/// Individual or collective work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProjectKind {
    Individual,
    Collective,
}

impl ProjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectKind::Individual => "individual",
            ProjectKind::Collective => "collective",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "individual" => ProjectKind::Individual,
            "collective" => ProjectKind::Collective,
            _ => return None,
        })
    }
}

/// Where a project stands before the review workflow takes over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProjectStatus {
    /// A pupil proposed it; it waits for the supervisor they asked for.
    Proposed,
    /// Work is under way.
    Active,
    /// The supervisor declined the proposal.
    Declined,
}

impl ProjectStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Proposed => "proposed",
            ProjectStatus::Active => "active",
            ProjectStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "proposed" => ProjectStatus::Proposed,
            "active" => ProjectStatus::Active,
            "declined" => ProjectStatus::Declined,
            _ => return None,
        })
    }
}

/// The type of project in the ФГОС passport.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProjectType {
    Research,
    Information,
    Creative,
    Social,
    Applied,
    Engineering,
}

impl ProjectType {
    pub const ALL: [ProjectType; 6] = [
        ProjectType::Research,
        ProjectType::Information,
        ProjectType::Creative,
        ProjectType::Social,
        ProjectType::Applied,
        ProjectType::Engineering,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProjectType::Research => "research",
            ProjectType::Information => "information",
            ProjectType::Creative => "creative",
            ProjectType::Social => "social",
            ProjectType::Applied => "applied",
            ProjectType::Engineering => "engineering",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ProjectType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// The ФГОС passport of a project: what the pupils write before the work itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passport {
    pub relevance: String,
    pub goal: String,
    pub tasks: String,
    pub hypothesis: String,
    pub product: String,
}

/// A person named on a project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

/// A pupil on a project, with their class and their part in the work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub class: Option<String>,
    pub note: String,
}

/// A line in a list of projects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub id: String,
    pub title: String,
    pub kind: ProjectKind,
    pub status: ProjectStatus,
    pub academic_year: AcademicYear,
    pub school: SchoolRef,
    pub members: Vec<String>,
    pub supervisors: Vec<String>,
    pub page_count: i64,
    pub updated_at: NaiveDateTime,
}

/// A page in a project's list of pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRef {
    pub id: String,
    pub slug: String,
    pub title: String,
}

/// An uploaded file as the project page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    pub id: String,
    pub name: String,
    pub is_image: bool,
    pub extension: String,
    pub size_bytes: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
}

impl FileInfo {
    /// The address the file is served from (with the same access rules as the project).
    pub fn href(&self) -> String {
        format!("/files/{}", self.id)
    }

    /// What a pupil types into a page to show or link this file.
    pub fn markdown(&self) -> String {
        if self.is_image {
            format!("![{}]({})", self.name, self.name)
        } else {
            format!("[{}](/files/{})", self.name, self.id)
        }
    }
}

/// Everything the project page shows, and what this person may do there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectView {
    pub id: String,
    pub title: String,
    pub topic: String,
    pub subject: String,
    pub kind: ProjectKind,
    pub status: ProjectStatus,
    pub project_type: ProjectType,
    pub academic_year: AcademicYear,
    pub school: SchoolRef,
    pub passport: Passport,
    pub members: Vec<Member>,
    pub supervisors: Vec<PersonRef>,
    pub tags: Vec<String>,
    pub cover: Option<String>,
    pub pages: Vec<PageRef>,
    pub deleted_pages: Vec<PageRef>,
    pub files: Vec<FileInfo>,
    pub quota_used: i64,
    pub quota_total: i64,
    /// Members, supervisors and the school's librarians write pages and the passport.
    pub may_edit: bool,
    /// Supervisors and the school's librarians change members, supervisors and settings.
    pub may_manage: bool,
    /// For those who manage: the school's pupils (this year) and staff to add.
    pub pupil_choices: Vec<Member>,
    pub supervisor_choices: Vec<PersonRef>,
    /// The current stage of the review workflow and where it stands.
    pub stage: Option<crate::review::StageName>,
    pub review_state: crate::review::ReviewState,
}

/// A rendered page as readers see it (the HTML was made when it was saved).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageView {
    pub project_id: String,
    pub project_title: String,
    pub pages: Vec<PageRef>,
    pub page: PageRef,
    pub revision: i64,
    pub html: SafeHtml,
    pub toc: Vec<TocEntry>,
    pub author: Option<String>,
    pub saved_at: NaiveDateTime,
    pub may_edit: bool,
}

/// Text kept for its author that is not (yet) a revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DraftReason {
    /// Asked for a preview without JavaScript.
    Preview,
    /// Someone else saved the page first.
    Conflict,
}

impl DraftReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftReason::Preview => "preview",
            DraftReason::Conflict => "conflict",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "preview" => DraftReason::Preview,
            "conflict" => DraftReason::Conflict,
            _ => return None,
        })
    }
}

/// One line of a diff between two texts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffLine {
    Same(String),
    Added(String),
    Removed(String),
    /// Unchanged lines left out between two changes.
    Gap,
}

/// What the editor shows besides the text: a preview, or the other person's version when a
/// save was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: String,
    pub reason: DraftReason,
    /// The rendered preview of the draft.
    pub preview: SafeHtml,
    /// For a conflict: who saved meanwhile, their text, and what they changed since the
    /// revision this writer started from.
    pub other_author: Option<String>,
    pub current_body: String,
    pub changes: Vec<DiffLine>,
}

/// The editor of one page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorView {
    pub project_id: String,
    pub project_title: String,
    pub page: PageRef,
    /// The revision a save will be based on.
    pub base_revision: i64,
    /// The title in the editor (the page's, or the one kept with a draft).
    pub title: String,
    pub body: String,
    pub summary: String,
    pub draft: Option<DraftView>,
    pub images: Vec<FileInfo>,
    /// The project's sources, which the text may cite as `[@key]`.
    pub sources: Vec<CitableSource>,
}

/// A source of the project as the editor offers it for citing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitableSource {
    pub key: String,
    pub description: String,
}

/// One revision in a page's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionInfo {
    pub number: i64,
    pub author: Option<String>,
    pub saved_at: NaiveDateTime,
    pub summary: String,
    pub restored_from: Option<i64>,
}

/// A page's history, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    pub project_id: String,
    pub project_title: String,
    pub page: PageRef,
    pub current: i64,
    pub revisions: Vec<RevisionInfo>,
    pub may_edit: bool,
}

/// One old revision, rendered as it was saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionView {
    pub project_id: String,
    pub project_title: String,
    pub page: PageRef,
    pub current: i64,
    pub info: RevisionInfo,
    pub title: String,
    pub html: SafeHtml,
    pub may_edit: bool,
}

/// The differences between two revisions of a page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffView {
    pub project_id: String,
    pub project_title: String,
    pub page: PageRef,
    pub from: i64,
    pub to: i64,
    pub lines: Vec<DiffLine>,
}

/// The projects a signed-in person works on, supervises or follows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyProjects {
    /// Projects the person is a member of (pupils).
    pub member_of: Vec<ProjectSummary>,
    /// Projects the person supervises (staff), proposals first.
    pub supervised: Vec<ProjectSummary>,
    /// Projects of the person's children (parents), read only.
    pub children: Vec<ProjectSummary>,
    /// Whether the person may propose a project, and to whom.
    pub may_propose: bool,
    pub supervisors: Vec<PersonRef>,
    /// Schools where the person may create projects (slug, short name).
    pub create_in: Vec<SchoolRef>,
}

/// A school's projects for its librarian, filtered and paged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolProjects {
    pub school: SchoolRef,
    pub academic_year: AcademicYear,
    pub years: Vec<AcademicYear>,
    pub classes: Vec<(String, String)>,
    pub supervisors: Vec<PersonRef>,
    pub class: Option<String>,
    pub supervisor: Option<String>,
    pub kind: Option<ProjectKind>,
    pub page: u32,
    pub has_more: bool,
    pub total: i64,
    pub projects: Vec<ProjectSummary>,
}

/// What the form for a new project offers in one school.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewProjectForm {
    pub school: SchoolRef,
    pub academic_year: AcademicYear,
    pub supervisors: Vec<PersonRef>,
    /// Pupils of the school this year: id, name and class.
    pub pupils: Vec<Member>,
}

/// Largest uploaded file (bytes); the server's body limit for uploads is a little above it.
pub const MAX_FILE_BYTES: usize = 15 * 1024 * 1024;
/// Bytes a project may store in files.
pub const PROJECT_QUOTA_BYTES: i64 = 100 * 1024 * 1024;
/// Longest title of a project or page, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest passport field, in characters.
pub const MAX_PASSPORT_CHARS: usize = 4000;
/// Projects per page in the school's list.
pub const PROJECTS_PER_PAGE: u32 = 25;

/// A page address inside its project, made from the title: transliterated Latin, lower case,
/// words joined by `-` (`Введение` → `vvedenie`); `page` when nothing is left.
pub fn page_slug(title: &str) -> String {
    let mut slug = String::new();
    for word in title.split(|c: char| !c.is_alphanumeric()) {
        let latin: String = crate::roster::transliterate(word)
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        if latin.is_empty() || slug.len() + latin.len() > 60 {
            continue;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&latin);
    }
    if slug.is_empty() {
        "page".into()
    } else {
        slug
    }
}

/// Tags typed as one line: split on commas, trimmed, lower case, without repeats, at most 10
/// of at most 40 characters each.
pub fn parse_tags(input: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in input.split([',', ';']) {
        let tag: String = tag.trim().to_lowercase().chars().take(40).collect();
        if !tag.is_empty() && !tags.contains(&tag) && tags.len() < 10 {
            tags.push(tag);
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_slugs_are_latin_and_readable() {
        assert_eq!(page_slug("Введение"), "vvedenie");
        assert_eq!(page_slug("Глава 1. Источники!"), "glava-1-istochniki");
        assert_eq!(page_slug("  ---  "), "page");
        assert!(page_slug(&"очень длинное название ".repeat(20)).len() <= 60);
    }

    #[test]
    fn tags_are_split_trimmed_and_unique() {
        assert_eq!(
            parse_tags("Краеведение, нанайцы,краеведение ; ;Музей"),
            vec!["краеведение", "нанайцы", "музей"]
        );
        assert_eq!(parse_tags(&"a,".repeat(30)).len(), 1);
    }

    #[test]
    fn stored_names_round_trip() {
        for t in ProjectType::ALL {
            assert_eq!(ProjectType::parse(t.as_str()), Some(t));
        }
        for k in [ProjectKind::Individual, ProjectKind::Collective] {
            assert_eq!(ProjectKind::parse(k.as_str()), Some(k));
        }
        for s in [
            ProjectStatus::Proposed,
            ProjectStatus::Active,
            ProjectStatus::Declined,
        ] {
            assert_eq!(ProjectStatus::parse(s.as_str()), Some(s));
        }
    }
}
