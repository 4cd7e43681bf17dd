//! The review workflow: a school's stages of a project, submissions frozen as immutable
//! snapshots, the supervisor's remarks and decision, notifications, the project diary, and the
//! assessment card and protocol of the defence. Types shared by the server and the browser; the
//! state machine is in `workflow`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod ui;
pub mod workflow;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::markdown::{SafeHtml, TocEntry};
use crate::people::SchoolRef;
use crate::projects::{DiffLine, Passport, ProjectKind, ProjectType};
pub use workflow::{ReviewState, Standing};

/// The district's default stages, in order; a school may rename, reorder and extend them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageCode {
    Topic,
    Passport,
    Sources,
    Product,
    Predefence,
    Defence,
}

impl StageCode {
    pub const ALL: [StageCode; 6] = [
        StageCode::Topic,
        StageCode::Passport,
        StageCode::Sources,
        StageCode::Product,
        StageCode::Predefence,
        StageCode::Defence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StageCode::Topic => "topic",
            StageCode::Passport => "passport",
            StageCode::Sources => "sources",
            StageCode::Product => "product",
            StageCode::Predefence => "predefence",
            StageCode::Defence => "defence",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        StageCode::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A stage's name: the translated default, or the school's own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageName {
    Default(StageCode),
    Own(String),
}

/// The default assessment criteria (ФГОС: subject knowledge and the three kinds of learning
/// skills), each scored 0 to 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CriterionCode {
    Subject,
    Cognitive,
    Regulatory,
    Communicative,
}

impl CriterionCode {
    pub const ALL: [CriterionCode; 4] = [
        CriterionCode::Subject,
        CriterionCode::Cognitive,
        CriterionCode::Regulatory,
        CriterionCode::Communicative,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CriterionCode::Subject => "subject",
            CriterionCode::Cognitive => "cognitive",
            CriterionCode::Regulatory => "regulatory",
            CriterionCode::Communicative => "communicative",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        CriterionCode::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A criterion's name and level descriptors: the translated defaults, or the school's own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CriterionText {
    Default(CriterionCode),
    Own {
        name: String,
        /// What 0, 1, 2, 3 and 4 points mean.
        descriptors: Vec<String>,
    },
}

/// The highest score on one criterion.
pub const MAX_SCORE: i64 = 4;
/// Remarks, replies, comments and diary entries are at most this long.
pub const MAX_REMARK_CHARS: usize = 5_000;
/// Days before a due date when members and supervisors are reminded.
pub const DUE_SOON_DAYS: i64 = 3;

/// The level a pupil reached, from their total.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    /// Below half of the maximum.
    NotReached,
    Basic,
    Advanced,
}

impl Level {
    /// Basic from half of the maximum, advanced from four fifths (13 of 16 with the default
    /// four criteria), as in the district's model «Положение».
    pub fn of(total: f64, max: i64) -> Level {
        let max = max as f64;
        if max <= 0.0 {
            Level::NotReached
        } else if total >= (max * 4.0 / 5.0).ceil() {
            Level::Advanced
        } else if total >= max / 2.0 {
            Level::Basic
        } else {
            Level::NotReached
        }
    }
}

/// A stage of a school's procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageInfo {
    pub id: String,
    pub name: StageName,
    pub assessed: bool,
}

/// How a project's stage stands relative to its current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageProgress {
    Done,
    Current,
    Ahead,
}

/// One stage on a project's workflow page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectStage {
    pub stage: StageInfo,
    pub progress: StageProgress,
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
}

/// A submission in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionSummary {
    pub number: i64,
    pub stage: StageName,
    pub state: SubmissionState,
    pub submitted_by: Option<String>,
    pub submitted_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubmissionState {
    Waiting,
    Returned,
    Accepted,
    /// A pupil's proposal the supervisor declined (the topic stage only).
    Declined,
}

impl SubmissionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionState::Waiting => "waiting",
            SubmissionState::Returned => "returned",
            SubmissionState::Accepted => "accepted",
            SubmissionState::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "waiting" => SubmissionState::Waiting,
            "returned" => SubmissionState::Returned,
            "accepted" => SubmissionState::Accepted,
            "declined" => SubmissionState::Declined,
            _ => return None,
        })
    }
}

/// A dated entry of the project diary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiaryEntry {
    pub id: String,
    pub date: NaiveDate,
    pub author: Option<String>,
    pub html: SafeHtml,
}

/// The workflow page of a project: its stages, submissions and diary, and what this person may
/// do there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowView {
    pub project_id: String,
    pub project_title: String,
    pub standing: Standing,
    pub state: ReviewState,
    pub current: Option<StageInfo>,
    pub stages: Vec<ProjectStage>,
    pub submissions: Vec<SubmissionSummary>,
    pub diary: Vec<DiaryEntry>,
    /// Remarks of the last returned submission that no member has answered yet.
    pub open_remarks: i64,
    pub may_submit: bool,
    pub may_review: bool,
    pub may_write_diary: bool,
    pub may_assess: bool,
    pub today: NaiveDate,
}

/// The project as it was submitted (from the snapshot's JSON).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotPassport {
    pub title: String,
    pub topic: String,
    pub subject: String,
    pub project_type: String,
    pub kind: String,
    pub passport: Passport,
    pub members: Vec<String>,
}

/// How a page of a snapshot differs from the last accepted snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageChange {
    /// There is no accepted snapshot to compare with.
    First,
    New,
    Changed,
    Same,
}

/// A page as it was submitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotPage {
    pub page_id: String,
    pub slug: String,
    pub title: String,
    pub revision: i64,
    pub html: SafeHtml,
    pub toc: Vec<TocEntry>,
    pub change: PageChange,
    pub diff: Vec<DiffLine>,
}

/// A remark or a reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remark {
    pub id: String,
    pub author: Option<String>,
    /// Whether the author is a member of the project (a pupil's reply).
    pub by_member: bool,
    pub at: NaiveDateTime,
    pub body: String,
    pub page_title: Option<String>,
    pub page_slug: Option<String>,
    /// The heading the remark is about, with its anchor in the page.
    pub heading: Option<(String, String)>,
    pub replies: Vec<Remark>,
}

/// A submission with its snapshot, remarks and what this person may do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionView {
    pub project_id: String,
    pub number: i64,
    pub stage: StageName,
    pub state: SubmissionState,
    pub submitted_by: Option<String>,
    pub submitted_at: NaiveDateTime,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub comment: String,
    pub snapshot: SnapshotPassport,
    pub pages: Vec<SnapshotPage>,
    /// (id, name) of the files at submission.
    pub files: Vec<(String, String)>,
    /// The accepted submission this one is compared with.
    pub compared_with: Option<i64>,
    pub remarks: Vec<Remark>,
    /// The diary up to the submission, newest first.
    pub diary: Vec<DiaryEntry>,
    pub may_decide: bool,
    pub may_remark: bool,
    pub may_reply: bool,
}

/// What a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotificationKind {
    Submitted,
    Returned,
    Accepted,
    Remark,
    Reply,
    DueSoon,
    ProposalAccepted,
    ProposalDeclined,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 8] = [
        NotificationKind::Submitted,
        NotificationKind::Returned,
        NotificationKind::Accepted,
        NotificationKind::Remark,
        NotificationKind::Reply,
        NotificationKind::DueSoon,
        NotificationKind::ProposalAccepted,
        NotificationKind::ProposalDeclined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Submitted => "submitted",
            NotificationKind::Returned => "returned",
            NotificationKind::Accepted => "accepted",
            NotificationKind::Remark => "remark",
            NotificationKind::Reply => "reply",
            NotificationKind::DueSoon => "due_soon",
            NotificationKind::ProposalAccepted => "proposal_accepted",
            NotificationKind::ProposalDeclined => "proposal_declined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        NotificationKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    pub kind: NotificationKind,
    pub project_id: String,
    pub project_title: String,
    pub submission: Option<i64>,
    pub stage: Option<StageName>,
    pub due_on: Option<NaiveDate>,
    pub actor: Option<String>,
    pub at: NaiveDateTime,
    pub read: bool,
}

impl Notification {
    /// Where the notification leads.
    pub fn href(&self) -> String {
        match self.submission {
            Some(n) => format!("/projects/{}/submissions/{n}", self.project_id),
            None => format!("/projects/{}/workflow", self.project_id),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsView {
    pub items: Vec<Notification>,
    pub unread: i64,
}

/// The counts in the header of every page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderCounts {
    pub unread: i64,
    /// Submissions waiting for this person's review.
    pub waiting: i64,
}

/// A submission waiting in a reviewer's queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub project_id: String,
    pub project_title: String,
    pub number: i64,
    pub stage: StageName,
    pub members: Vec<String>,
    pub submitted_at: NaiveDateTime,
}

/// A project on a dashboard, with its stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageItem {
    pub project_id: String,
    pub project_title: String,
    pub standing: Standing,
    pub stage: Option<StageName>,
    pub state: ReviewState,
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    pub members: Vec<String>,
    pub supervisors: Vec<String>,
    /// Remarks waiting for a member's answer (pupils' dashboard).
    pub open_remarks: i64,
}

/// A school's board for its librarian.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolBoard {
    pub school: SchoolRef,
    /// Projects per stage, in the school's order (stage, count).
    pub by_stage: Vec<(StageName, i64)>,
    /// Per supervisor: (name, projects, waiting reviews, overdue).
    pub by_supervisor: Vec<(String, i64, i64, i64)>,
    pub waiting: Vec<QueueItem>,
    pub overdue: Vec<StageItem>,
}

/// The dashboard: each part is filled for the roles it belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub queue: Vec<QueueItem>,
    pub supervised: Vec<StageItem>,
    pub schools: Vec<SchoolBoard>,
    pub mine: Vec<StageItem>,
    pub children: Vec<StageItem>,
    pub unread: i64,
}

/// A criterion on the assessment card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: String,
    pub text: CriterionText,
}

/// One pupil's card as one assessor filled it: score per criterion (in criteria order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub pupil_id: String,
    pub pupil_name: String,
    pub scores: Vec<Option<i64>>,
}

/// The assessment page: this assessor's cards, the commission, the supervisor's review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentView {
    pub project_id: String,
    pub project_title: String,
    pub at_defence: bool,
    pub criteria: Vec<Criterion>,
    pub cards: Vec<Card>,
    pub commission: Vec<(String, String)>,
    pub commission_choices: Vec<(String, String)>,
    pub review_body: String,
    pub may_assess: bool,
    pub may_manage: bool,
    pub is_supervisor: bool,
}

/// A pupil's page of the defence protocol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProtocolPupil {
    pub name: String,
    pub class: Option<String>,
    pub part: String,
    /// Per assessor: (name, scores in criteria order, total).
    pub assessors: Vec<(String, Vec<Option<i64>>, i64)>,
    /// The mean of the assessors' totals.
    pub total: f64,
    pub level: Level,
}

/// The printable protocol of the defence, one page per pupil.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProtocolView {
    pub project_id: String,
    pub project_title: String,
    pub topic: String,
    pub kind: ProjectKind,
    pub project_type: ProjectType,
    pub school_name: String,
    pub academic_year: i32,
    pub defence_on: Option<NaiveDate>,
    pub supervisors: Vec<String>,
    pub commission: Vec<String>,
    pub criteria: Vec<Criterion>,
    pub max_total: i64,
    pub pupils: Vec<ProtocolPupil>,
}

/// The supervisor's written review, printable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLetterView {
    pub project_id: String,
    pub project_title: String,
    pub school_name: String,
    pub members: Vec<String>,
    /// (author, rendered review, date)
    pub reviews: Vec<(String, SafeHtml, NaiveDate)>,
}

/// A school's procedure: its stages and criteria, for its librarian to change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureView {
    pub school: SchoolRef,
    pub stages: Vec<(StageInfo, i64)>,
    pub criteria: Vec<Criterion>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_model_regulations() {
        // Four criteria, 16 points: basic from 8, advanced from 13.
        assert_eq!(Level::of(7.5, 16), Level::NotReached);
        assert_eq!(Level::of(8.0, 16), Level::Basic);
        assert_eq!(Level::of(12.5, 16), Level::Basic);
        assert_eq!(Level::of(13.0, 16), Level::Advanced);
        assert_eq!(Level::of(16.0, 16), Level::Advanced);
        // A school with five criteria (20 points): basic from 10, advanced from 16.
        assert_eq!(Level::of(9.5, 20), Level::NotReached);
        assert_eq!(Level::of(15.0, 20), Level::Basic);
        assert_eq!(Level::of(16.0, 20), Level::Advanced);
        assert_eq!(Level::of(0.0, 0), Level::NotReached);
    }

    #[test]
    fn codes_read_back() {
        for code in StageCode::ALL {
            assert_eq!(StageCode::parse(code.as_str()), Some(code));
        }
        for kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(kind.as_str()), Some(kind));
        }
        for c in CriterionCode::ALL {
            assert_eq!(CriterionCode::parse(c.as_str()), Some(c));
        }
        assert_eq!(
            SubmissionState::parse("declined"),
            Some(SubmissionState::Declined)
        );
        assert_eq!(StageCode::parse("elsewhere"), None);
    }
}
