//! The audit log: who did what to whom, when. Every account, role, consent, roster and
//! password action writes one record (see each domain's `db.rs`); this module shows them to the
//! people allowed to see them, filtered.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod ui;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::people::SchoolRef;

/// How many records a page shows.
pub const PAGE_SIZE: u32 = 50;

/// One record as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// In the district's time zone.
    pub at: NaiveDateTime,
    pub actor: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    pub detail: String,
    pub school: Option<String>,
}

/// `/manage/audit`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    /// The schools this person may filter by; `None` in `school` means all of them, offered
    /// only to district-wide roles.
    pub schools: Vec<SchoolRef>,
    pub district_wide: bool,
    pub school: Option<String>,
    pub action: Option<String>,
    pub page: u32,
    pub has_more: bool,
    pub entries: Vec<AuditEntry>,
}

/// The actions the log knows, for the filter.
pub const ACTIONS: &[&str] = &[
    "sign_in",
    "sign_out",
    "change_password",
    "create_admin",
    "create_class",
    "promote_year",
    "create_pupil",
    "import_roster",
    "cancel_import",
    "erase_cards",
    "create_staff",
    "reset_password",
    "record_consent_processing",
    "record_consent_publication",
    "withdraw_consent",
    "create_invite",
    "revoke_invite",
    "link_parent",
    "create_school",
    "update_school",
    "create_project",
    "propose_project",
    "accept_proposal",
    "decline_proposal",
    "add_project_member",
    "remove_project_member",
    "add_project_supervisor",
    "remove_project_supervisor",
    "delete_page",
    "delete_file",
    "publish_project",
    "unpublish_project",
    "share_project_link",
    "revoke_project_link",
    "create_initiative",
    "update_initiative",
    "set_initiative_schools",
    "add_initiative_record",
    "remove_initiative_record",
    "enter_initiative",
    "withdraw_from_initiative",
];
