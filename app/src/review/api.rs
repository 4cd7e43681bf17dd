//! Server functions of the review workflow. Each finds the project, asks the policy, then asks
//! the state machine (`workflow`) whether the move applies, and writes the move, its audit
//! record and its notifications in one transaction guarded by the position it read.

use leptos::prelude::*;

use super::{
    AssessmentView, Dashboard, HeaderCounts, NotificationsView, ProcedureView, ProtocolView,
    ReviewLetterView, SubmissionView, WorkflowView,
};
use crate::error::AppError;

/// A project's stages, submissions and diary.
#[server]
pub async fn load_workflow(project_id: String) -> Result<WorkflowView, AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::load_workflow(project).await
}

/// A member submits the current stage (`stage_id`, as the form showed it) for review.
#[server]
pub async fn submit_stage(project_id: String, stage_id: String) -> Result<(), AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::submit_stage(project, stage_id).await
}

/// A submission: its snapshot, the diff with the last accepted one, remarks and decision.
#[server]
pub async fn load_submission(project_id: String, number: i64) -> Result<SubmissionView, AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::load_submission(project, number).await
}

/// A reviewer's remark on a waiting submission: on the whole, a page or a heading of a page
/// (`anchor`, as `page_id#h-…`).
#[server]
pub async fn add_remark(
    project_id: String,
    number: i64,
    body: String,
    anchor: Option<String>,
) -> Result<(), AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::add_remark(project, number, body, anchor.unwrap_or_default()).await
}

/// A reply in a remark's thread (members and reviewers).
#[server]
pub async fn reply_to_remark(remark_id: String, body: String) -> Result<(), AppError> {
    ssr::reply_to_remark(remark_id, body).await
}

/// A reviewer returns (`decision` = `return`, remarks required) or accepts a submission.
#[server]
pub async fn decide_submission(
    project_id: String,
    number: i64,
    decision: String,
    comment: Option<String>,
) -> Result<(), AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::decide_submission(project, number, decision, comment.unwrap_or_default()).await
}

/// Sets or clears (empty `due_on`) a stage's due date for a project (reviewers).
#[server]
pub async fn set_stage_due(
    project_id: String,
    stage_id: String,
    due_on: String,
) -> Result<(), AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::set_stage_due(project, stage_id, due_on).await
}

/// A dated entry in the project diary (members and staff).
#[server]
pub async fn add_diary_entry(
    project_id: String,
    entry_date: String,
    body: String,
) -> Result<(), AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::add_diary_entry(project, entry_date, body).await
}

/// The signed-in person's notifications, newest first.
#[server]
pub async fn load_notifications() -> Result<NotificationsView, AppError> {
    let user = ssr::signed_in().await?;
    ssr::load_notifications(user).await
}

/// Marks one notification read, or all of them (no `id`).
#[server]
pub async fn mark_notifications_read(id: Option<String>) -> Result<(), AppError> {
    let user = ssr::signed_in().await?;
    ssr::mark_notifications_read(user, id).await
}

/// The counts in the header: unread notifications and submissions waiting for review.
#[server]
pub async fn load_header_counts() -> Result<HeaderCounts, AppError> {
    ssr::header_counts().await
}

/// The dashboard: queue, projects by stage, overdue stages, remarks to answer.
#[server]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    let user = ssr::signed_in().await?;
    ssr::load_dashboard(user).await
}

/// The assessment page of a project.
#[server]
pub async fn load_assessment(project_id: String) -> Result<AssessmentView, AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::load_assessment(project).await
}

/// One assessor's card for one pupil: `scores[i]` for the i-th criterion ("" for none).
#[server]
pub async fn save_assessment(
    project_id: String,
    pupil_id: String,
    scores: Vec<String>,
) -> Result<(), AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::save_assessment(project, pupil_id, scores).await
}

/// Adds a member of the school's staff to the defence commission (reviewers).
#[server]
pub async fn add_commission_member(project_id: String, user_id: String) -> Result<(), AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::change_commission(project, user_id, true).await
}

#[server]
pub async fn remove_commission_member(project_id: String, user_id: String) -> Result<(), AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::change_commission(project, user_id, false).await
}

/// The supervisor's written review (Markdown).
#[server]
pub async fn save_supervisor_review(project_id: String, body: String) -> Result<(), AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::save_supervisor_review(project, body).await
}

/// The defence protocol, one page per pupil.
#[server]
pub async fn load_protocol(project_id: String) -> Result<ProtocolView, AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::load_protocol(project).await
}

/// The supervisor's review, printable.
#[server]
pub async fn load_review_letter(project_id: String) -> Result<ReviewLetterView, AppError> {
    let project = ssr::reader(&project_id).await?;
    ssr::load_review_letter(project).await
}

/// A school's stages and criteria.
#[server]
pub async fn load_procedure(slug: String) -> Result<ProcedureView, AppError> {
    let school = ssr::procedure_manager(&slug).await?;
    ssr::load_procedure(school).await
}

/// Renames a stage (empty `name`: back to the district's name for a default stage).
#[server]
pub async fn rename_stage(slug: String, stage_id: String, name: String) -> Result<(), AppError> {
    let school = ssr::procedure_manager(&slug).await?;
    ssr::rename_stage(school, stage_id, name).await
}

/// Moves a stage `up` or `down`.
#[server]
pub async fn move_stage(slug: String, stage_id: String, direction: String) -> Result<(), AppError> {
    let school = ssr::procedure_manager(&slug).await?;
    ssr::move_stage(school, stage_id, direction).await
}

/// Adds a stage of the school's own before the last (the defence).
#[server]
pub async fn add_stage(slug: String, name: String) -> Result<(), AppError> {
    let school = ssr::procedure_manager(&slug).await?;
    ssr::add_stage(school, name).await
}

/// Removes a stage no project has reached or been submitted at.
#[server]
pub async fn delete_stage(slug: String, stage_id: String) -> Result<(), AppError> {
    let school = ssr::procedure_manager(&slug).await?;
    ssr::delete_stage(school, stage_id).await
}

/// Sets a criterion's own name and five level descriptors (one per line, 0 to 4); both empty
/// bring back the district's text.
#[server]
pub async fn update_criterion(
    slug: String,
    criterion_id: String,
    name: String,
    descriptors: String,
) -> Result<(), AppError> {
    let school = ssr::procedure_manager(&slug).await?;
    ssr::update_criterion(school, criterion_id, name, descriptors).await
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use std::collections::HashMap;

    use chrono::{Days, NaiveDate};

    use super::super::db::{self, NewNotification, NewRemark, Scope, StageRow};
    use super::super::workflow::{
        Position, Refusal, ReviewState, Role as WorkflowRole, Standing, Transition,
    };
    use super::super::{
        AssessmentView, Card, Criterion, CriterionCode, CriterionText, Dashboard, DiaryEntry,
        HeaderCounts, Level, Notification, NotificationKind, NotificationsView, PageChange,
        ProcedureView, ProjectStage, ProtocolPupil, ProtocolView, QueueItem, Remark,
        ReviewLetterView, SchoolBoard, SnapshotPage, SnapshotPassport, StageCode, StageInfo,
        StageItem, StageName, StageProgress, SubmissionState, SubmissionSummary, SubmissionView,
        WorkflowView, DUE_SOON_DAYS, MAX_REMARK_CHARS, MAX_SCORE,
    };
    use crate::accounts::api::ssr::signed_in_user;
    use crate::accounts::policy::{may, Action};
    use crate::accounts::{CurrentUser, Role};
    use crate::db::begin_write;
    use crate::error::{AppError, FieldError, FieldProblem};
    use crate::markdown::{SafeHtml, TocEntry};
    use crate::people::db::{audit, find_school, SchoolKey};
    use crate::people::SchoolRef;
    use crate::projects::api::ssr::{
        acting_on, check_body, diff_lines, invalid, parse_date as date_of, parse_time, render,
        Acting, Need,
    };
    use crate::projects::db as project_db;
    use crate::projects::{Passport, ProjectStatus};
    use crate::state::app_state;

    pub async fn reader(project_id: &str) -> Result<Acting, AppError> {
        acting_on(project_id, Need::View).await
    }

    pub async fn signed_in() -> Result<CurrentUser, AppError> {
        signed_in_user().await?.ok_or(AppError::Unauthorized)
    }

    /// The district's today (the demo district lives in Vladivostok time, like the rest).
    pub fn today() -> NaiveDate {
        chrono::Utc::now()
            .with_timezone(&chrono_tz::Asia::Vladivostok)
            .date_naive()
    }

    pub fn stage_name(code: Option<&str>, name: Option<&str>) -> StageName {
        match (
            name.filter(|n| !n.is_empty()),
            code.and_then(StageCode::parse),
        ) {
            (Some(name), _) => StageName::Own(name.to_owned()),
            (None, Some(code)) => StageName::Default(code),
            (None, None) => StageName::Own(String::new()),
        }
    }

    fn stage_info(row: &StageRow) -> StageInfo {
        StageInfo {
            id: row.id.clone(),
            name: stage_name(row.code.as_deref(), row.name.as_deref()),
            assessed: row.assessed,
        }
    }

    fn criterion(row: &db::CriterionRow) -> Criterion {
        let text = match (
            &row.name,
            row.code.as_deref().and_then(CriterionCode::parse),
        ) {
            (None, Some(code)) => CriterionText::Default(code),
            (name, _) => CriterionText::Own {
                name: name.clone().unwrap_or_default(),
                descriptors: row
                    .descriptors
                    .as_deref()
                    .and_then(|d| serde_json::from_str(d).ok())
                    .unwrap_or_default(),
            },
        };
        Criterion {
            id: row.id.clone(),
            text,
        }
    }

    /// Where the project stands, as the state machine sees it.
    fn position(project: &Acting, stages: &[StageRow]) -> Result<(Position, usize), AppError> {
        let row = &project.row;
        let index = row
            .stage_id
            .as_deref()
            .and_then(|id| stages.iter().position(|s| s.id == id))
            .ok_or(AppError::Internal)?;
        let standing = match ProjectStatus::parse(&row.status) {
            Some(ProjectStatus::Proposed) => Standing::Proposed,
            Some(ProjectStatus::Declined) => Standing::Declined,
            _ => Standing::Active,
        };
        let state = ReviewState::parse(&row.review_state).ok_or(AppError::Internal)?;
        Ok((
            Position {
                standing,
                stage: index,
                stage_count: stages.len(),
                state,
            },
            index,
        ))
    }

    fn role(project: &Acting) -> WorkflowRole {
        if may(Some(&project.user), Action::SubmitStage(project.access())) {
            WorkflowRole::Member
        } else if may(Some(&project.user), Action::ReviewProject(project.access())) {
            WorkflowRole::Reviewer
        } else {
            WorkflowRole::Reader
        }
    }

    fn refused(refusal: Refusal) -> AppError {
        match refusal {
            Refusal::NotYourRole => AppError::Forbidden,
            Refusal::WrongState => AppError::Conflict,
            Refusal::RemarksRequired => invalid("comment", FieldProblem::RemarksRequired),
        }
    }

    fn others(ids: &[String], me: &str) -> Vec<String> {
        let mut out: Vec<String> = ids.iter().filter(|id| *id != me).cloned().collect();
        out.sort();
        out.dedup();
        out
    }

    fn remark_text(field: &str, input: &str) -> Result<String, AppError> {
        let text = input.trim().replace("\r\n", "\n");
        if text.is_empty() {
            return Err(invalid(field, FieldProblem::Required));
        }
        if text.chars().count() > MAX_REMARK_CHARS {
            return Err(invalid(
                field,
                FieldProblem::TooLong {
                    max: MAX_REMARK_CHARS,
                },
            ));
        }
        Ok(text)
    }

    // -----------------------------------------------------------------------------------------
    // Topic approval (called by the projects' `decide_proposal`)

    /// The supervisor accepts or declines a pupil's proposal with an optional comment;
    /// accepting completes the topic stage. Recorded as a decided submission of that stage.
    pub async fn decide_proposal(
        project: Acting,
        decision: String,
        comment: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let stages = db::list_stages(&state.pool, &project.row.school_id).await?;
        let (from, index) = position(&project, &stages)?;
        let transition = match decision.as_str() {
            "accept" => Transition::AcceptProposal,
            "decline" => Transition::DeclineProposal,
            _ => return Err(AppError::BadRequest),
        };
        let comment = comment.trim().to_owned();
        if comment.chars().count() > MAX_REMARK_CHARS {
            return Err(invalid(
                "comment",
                FieldProblem::TooLong {
                    max: MAX_REMARK_CHARS,
                },
            ));
        }
        let to = from
            .apply(role(&project), transition, true)
            .map_err(refused)?;
        let (status, action, kind, decided) = if transition == Transition::AcceptProposal {
            (
                ProjectStatus::Active,
                "accept_proposal",
                NotificationKind::ProposalAccepted,
                SubmissionState::Accepted,
            )
        } else {
            (
                ProjectStatus::Declined,
                "decline_proposal",
                NotificationKind::ProposalDeclined,
                SubmissionState::Declined,
            )
        };
        let mut tx = begin_write(&state.pool).await?;
        let topic_stage = &stages[index].id;
        let (submission_id, _) = db::insert_submission(
            &mut tx,
            &project.row.id,
            topic_stage,
            &snapshot_json(&project, &state.pool).await?,
            &project.user.id,
        )
        .await?;
        db::decide_submission(
            &mut tx,
            &submission_id,
            decided.as_str(),
            &project.user.id,
            &comment,
        )
        .await?;
        let moved = db::move_project(
            &mut tx,
            &project.row.id,
            (Some(topic_stage), from.state.as_str()),
            (Some(&stages[to.stage].id), to.state.as_str()),
            Some(status.as_str()),
        )
        .await?;
        if moved != 1 {
            return Err(AppError::Conflict);
        }
        project.audit(&mut tx, action, None).await?;
        db::notify(
            &mut tx,
            &others(&project.people.members, &project.user.id),
            &NewNotification {
                kind: kind.as_str(),
                project_id: &project.row.id,
                submission_id: Some(&submission_id),
                actor_id: Some(&project.user.id),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn snapshot_json(project: &Acting, pool: &crate::db::Pool) -> Result<String, AppError> {
        let row = &project.row;
        let members = project_db::list_members(pool, &row.id, row.academic_year).await?;
        let snapshot = SnapshotPassport {
            title: row.title.clone(),
            topic: row.topic.clone(),
            subject: row.subject.clone(),
            project_type: row.project_type.clone(),
            kind: row.kind.clone(),
            passport: Passport {
                relevance: row.relevance.clone(),
                goal: row.goal.clone(),
                tasks: row.tasks.clone(),
                hypothesis: row.hypothesis.clone(),
                product: row.product.clone(),
            },
            members: members.into_iter().map(|m| m.name).collect(),
        };
        serde_json::to_string(&snapshot).map_err(|_| AppError::Internal)
    }

    // -----------------------------------------------------------------------------------------
    // The workflow page

    fn diary_entry(row: db::DiaryRow) -> DiaryEntry {
        DiaryEntry {
            date: date_of(&row.entry_date).unwrap_or_default(),
            author: row.author,
            html: SafeHtml::from_stored(row.html),
            id: row.id,
        }
    }

    fn summary(row: &db::SubmissionRow, stages: &[StageRow]) -> SubmissionSummary {
        SubmissionSummary {
            number: row.number,
            stage: stages
                .iter()
                .find(|s| s.id == row.stage_id)
                .map(|s| stage_info(s).name)
                .unwrap_or(StageName::Own(String::new())),
            state: SubmissionState::parse(&row.state).unwrap_or(SubmissionState::Waiting),
            submitted_by: row.submitted_by.clone(),
            submitted_at: parse_time(&row.submitted_at),
            decided_at: row.decided_at.as_deref().map(parse_time),
        }
    }

    pub async fn load_workflow(project: Acting) -> Result<WorkflowView, AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        let stages = db::list_stages(pool, &project.row.school_id).await?;
        let (pos, index) = position(&project, &stages)?;
        let dues: HashMap<String, String> = db::list_dues(pool, &project.row.id)
            .await?
            .into_iter()
            .collect();
        let today = today();
        let project_stages = stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let progress = if pos.state == ReviewState::Completed || i < index {
                    StageProgress::Done
                } else if i == index {
                    StageProgress::Current
                } else {
                    StageProgress::Ahead
                };
                let due_on = dues.get(&s.id).and_then(|d| date_of(d));
                ProjectStage {
                    stage: stage_info(s),
                    overdue: progress != StageProgress::Done
                        && pos.standing == Standing::Active
                        && due_on.is_some_and(|d| d < today),
                    progress,
                    due_on,
                }
            })
            .collect();
        let submissions = db::list_submissions(pool, &project.row.id).await?;
        let open_remarks = db::open_remarks(pool, std::slice::from_ref(&project.row.id))
            .await?
            .first()
            .map(|(_, n)| *n)
            .unwrap_or(0);
        let role = role(&project);
        Ok(WorkflowView {
            project_id: project.row.id.clone(),
            project_title: project.row.title.clone(),
            standing: pos.standing,
            state: pos.state,
            current: stages.get(index).map(stage_info),
            stages: project_stages,
            submissions: submissions.iter().map(|s| summary(s, &stages)).collect(),
            diary: db::list_diary(pool, &project.row.id, None)
                .await?
                .into_iter()
                .map(diary_entry)
                .collect(),
            open_remarks,
            may_submit: pos.apply(role, Transition::Submit, false).is_ok(),
            may_review: role == WorkflowRole::Reviewer,
            may_write_diary: may(Some(&project.user), Action::WriteDiary(project.access())),
            may_assess: may(Some(&project.user), Action::AssessProject(project.access()))
                || role == WorkflowRole::Reviewer,
            today,
        })
    }

    pub async fn submit_stage(project: Acting, stage_id: String) -> Result<(), AppError> {
        if role(&project) != WorkflowRole::Member {
            return Err(AppError::Forbidden);
        }
        let state = app_state()?;
        let stages = db::list_stages(&state.pool, &project.row.school_id).await?;
        let (from, index) = position(&project, &stages)?;
        if stages[index].id != stage_id {
            // The page showed another stage: someone moved the project meanwhile.
            return Err(AppError::Conflict);
        }
        let to = from
            .apply(role(&project), Transition::Submit, false)
            .map_err(refused)?;
        let snapshot = snapshot_json(&project, &state.pool).await?;
        let mut tx = begin_write(&state.pool).await?;
        let moved = db::move_project(
            &mut tx,
            &project.row.id,
            (Some(&stage_id), from.state.as_str()),
            (Some(&stage_id), to.state.as_str()),
            None,
        )
        .await?;
        if moved != 1 {
            return Err(AppError::Conflict);
        }
        let (submission_id, number) = db::insert_submission(
            &mut tx,
            &project.row.id,
            &stage_id,
            &snapshot,
            &project.user.id,
        )
        .await?;
        project
            .audit(
                &mut tx,
                "submit_stage",
                Some(&format!("{} · №{number}", project.row.title)),
            )
            .await?;
        // The supervisors review; a project without one goes to the school's librarians.
        let mut reviewers = project.people.supervisors.clone();
        if reviewers.is_empty() {
            reviewers = db::school_librarians(&mut tx, &project.row.school_id).await?;
        }
        db::notify(
            &mut tx,
            &others(&reviewers, &project.user.id),
            &NewNotification {
                kind: NotificationKind::Submitted.as_str(),
                project_id: &project.row.id,
                submission_id: Some(&submission_id),
                actor_id: Some(&project.user.id),
            },
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!(
            "/projects/{}/submissions/{number}",
            project.row.id
        ));
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // A submission

    fn toc_of(json: &str) -> Vec<TocEntry> {
        serde_json::from_str(json).unwrap_or_default()
    }

    pub async fn load_submission(project: Acting, number: i64) -> Result<SubmissionView, AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        let row = db::find_submission(pool, &project.row.id, number)
            .await?
            .ok_or(AppError::NotFound)?;
        let stages = db::list_stages(pool, &project.row.school_id).await?;
        let pages = db::snapshot_pages(pool, &row.id).await?;
        let previous = db::last_accepted_before(pool, &project.row.id, number).await?;
        let before: Option<Vec<db::SnapshotPageRow>> = match &previous {
            Some(p) => Some(db::snapshot_pages(pool, &p.id).await?),
            None => None,
        };
        let snapshot_pages = pages
            .into_iter()
            .map(|p| {
                let old = before
                    .as_ref()
                    .map(|b| b.iter().find(|o| o.page_id == p.page_id));
                let (change, diff) = match old {
                    None => (PageChange::First, Vec::new()),
                    Some(None) => (PageChange::New, Vec::new()),
                    Some(Some(o)) if o.revision == p.revision => (PageChange::Same, Vec::new()),
                    Some(Some(o)) => {
                        let old = format!("# {}\n{}", o.title, o.body);
                        let new = format!("# {}\n{}", p.title, p.body);
                        let diff = diff_lines(&old, &new);
                        if diff.is_empty() {
                            (PageChange::Same, diff)
                        } else {
                            (PageChange::Changed, diff)
                        }
                    }
                };
                SnapshotPage {
                    toc: toc_of(&p.toc),
                    html: SafeHtml::from_stored(p.html),
                    page_id: p.page_id,
                    slug: p.slug,
                    title: p.title,
                    revision: p.revision,
                    change,
                    diff,
                }
            })
            .collect::<Vec<_>>();
        let remark_rows = db::list_remarks(pool, &row.id).await?;
        let members = &project.people.members;
        let to_remark = |r: &db::RemarkRow| {
            let page = r
                .page_id
                .as_ref()
                .and_then(|id| snapshot_pages.iter().find(|p| &p.page_id == id));
            Remark {
                id: r.id.clone(),
                author: r.author.clone(),
                by_member: r.author_id.as_ref().is_some_and(|a| members.contains(a)),
                at: parse_time(&r.created_at),
                body: r.body.clone(),
                page_title: page.map(|p| p.title.clone()),
                page_slug: page.map(|p| p.slug.clone()),
                heading: page.and_then(|p| {
                    let anchor = r.anchor.as_ref()?;
                    p.toc
                        .iter()
                        .find(|t| &t.anchor == anchor)
                        .map(|t| (t.text.clone(), t.anchor.clone()))
                }),
                replies: Vec::new(),
            }
        };
        let mut remarks: Vec<Remark> = remark_rows
            .iter()
            .filter(|r| r.parent_id.is_none())
            .map(to_remark)
            .collect();
        for reply in remark_rows.iter().filter(|r| r.parent_id.is_some()) {
            if let Some(root) = remarks
                .iter_mut()
                .find(|r| Some(&r.id) == reply.parent_id.as_ref())
            {
                root.replies.push(to_remark(reply));
            }
        }
        let state_now = SubmissionState::parse(&row.state).unwrap_or(SubmissionState::Waiting);
        let role = role(&project);
        let waiting = state_now == SubmissionState::Waiting;
        let snapshot: SnapshotPassport = serde_json::from_str(&row.passport).unwrap_or_default();
        Ok(SubmissionView {
            project_id: project.row.id.clone(),
            number,
            stage: summary(&row, &stages).stage,
            state: state_now,
            submitted_by: row.submitted_by.clone(),
            submitted_at: parse_time(&row.submitted_at),
            decided_by: row.decided_by.clone(),
            decided_at: row.decided_at.as_deref().map(parse_time),
            comment: row.decision_comment.clone(),
            snapshot,
            pages: snapshot_pages,
            files: db::snapshot_files(pool, &row.id).await?,
            compared_with: previous.map(|p| p.number),
            remarks,
            diary: db::list_diary(pool, &project.row.id, Some(&row.id))
                .await?
                .into_iter()
                .map(diary_entry)
                .collect(),
            may_decide: waiting && role == WorkflowRole::Reviewer,
            may_remark: waiting && role == WorkflowRole::Reviewer,
            may_reply: matches!(role, WorkflowRole::Reviewer | WorkflowRole::Member),
        })
    }

    fn submission_path(project_id: &str, number: i64) -> String {
        format!("/projects/{project_id}/submissions/{number}")
    }

    pub async fn add_remark(
        project: Acting,
        number: i64,
        body: String,
        anchor: String,
    ) -> Result<(), AppError> {
        if role(&project) != WorkflowRole::Reviewer {
            return Err(AppError::Forbidden);
        }
        let body = remark_text("body", &body)?;
        let state = app_state()?;
        let row = db::find_submission(&state.pool, &project.row.id, number)
            .await?
            .ok_or(AppError::NotFound)?;
        if row.state != SubmissionState::Waiting.as_str() {
            return Err(AppError::Conflict);
        }
        // "" (the whole), "page_id" or "page_id#h-anchor", checked against the snapshot.
        let (page_id, heading) = match anchor.split_once('#') {
            Some((page, heading)) => (Some(page), Some(heading)),
            None if anchor.is_empty() => (None, None),
            None => (Some(anchor.as_str()), None),
        };
        if let Some(page_id) = page_id {
            let pages = db::snapshot_pages(&state.pool, &row.id).await?;
            let page = pages
                .iter()
                .find(|p| p.page_id == page_id)
                .ok_or_else(|| invalid("anchor", FieldProblem::Invalid))?;
            if let Some(h) = heading {
                if !toc_of(&page.toc).iter().any(|t| t.anchor == h) {
                    return Err(invalid("anchor", FieldProblem::Invalid));
                }
            }
        }
        let mut tx = begin_write(&state.pool).await?;
        db::insert_remark(
            &mut tx,
            &NewRemark {
                submission_id: &row.id,
                project_id: &project.row.id,
                parent_id: None,
                page_id,
                anchor: heading,
                author_id: &project.user.id,
                body: &body,
            },
        )
        .await?;
        db::notify(
            &mut tx,
            &others(&project.people.members, &project.user.id),
            &NewNotification {
                kind: NotificationKind::Remark.as_str(),
                project_id: &project.row.id,
                submission_id: Some(&row.id),
                actor_id: Some(&project.user.id),
            },
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!(
            "{}#remarks",
            submission_path(&project.row.id, number)
        ));
        Ok(())
    }

    pub async fn reply_to_remark(remark_id: String, body: String) -> Result<(), AppError> {
        signed_in().await?;
        let state = app_state()?;
        let (submission_id, project_id, parent, root_author) =
            db::find_remark(&state.pool, &remark_id)
                .await?
                .ok_or(AppError::NotFound)?;
        let project = reader(&project_id).await?;
        let role = role(&project);
        if role == WorkflowRole::Reader {
            return Err(AppError::Forbidden);
        }
        if parent.is_some() {
            // Threads are one level deep: answer the remark itself.
            return Err(AppError::BadRequest);
        }
        let body = remark_text("body", &body)?;
        let number: i64 = db::list_submissions(&state.pool, &project_id)
            .await?
            .into_iter()
            .find(|s| s.id == submission_id)
            .map(|s| s.number)
            .ok_or(AppError::NotFound)?;
        let mut tx = begin_write(&state.pool).await?;
        db::insert_remark(
            &mut tx,
            &NewRemark {
                submission_id: &submission_id,
                project_id: &project_id,
                parent_id: Some(&remark_id),
                page_id: None,
                anchor: None,
                author_id: &project.user.id,
                body: &body,
            },
        )
        .await?;
        let mut to = if role == WorkflowRole::Member {
            project.people.supervisors.clone()
        } else {
            project.people.members.clone()
        };
        to.extend(root_author);
        db::notify(
            &mut tx,
            &others(&to, &project.user.id),
            &NewNotification {
                kind: NotificationKind::Reply.as_str(),
                project_id: &project_id,
                submission_id: Some(&submission_id),
                actor_id: Some(&project.user.id),
            },
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!(
            "{}#remark-{remark_id}",
            submission_path(&project_id, number)
        ));
        Ok(())
    }

    pub async fn decide_submission(
        project: Acting,
        number: i64,
        decision: String,
        comment: String,
    ) -> Result<(), AppError> {
        if role(&project) != WorkflowRole::Reviewer {
            return Err(AppError::Forbidden);
        }
        let transition = match decision.as_str() {
            "accept" => Transition::Accept,
            "return" => Transition::Return,
            _ => return Err(AppError::BadRequest),
        };
        let comment = comment.trim().replace("\r\n", "\n");
        if comment.chars().count() > MAX_REMARK_CHARS {
            return Err(invalid(
                "comment",
                FieldProblem::TooLong {
                    max: MAX_REMARK_CHARS,
                },
            ));
        }
        let state = app_state()?;
        let row = db::find_submission(&state.pool, &project.row.id, number)
            .await?
            .ok_or(AppError::NotFound)?;
        let stages = db::list_stages(&state.pool, &project.row.school_id).await?;
        let (from, _) = position(&project, &stages)?;
        if row.state != SubmissionState::Waiting.as_str() {
            return Err(AppError::Conflict);
        }
        let mut tx = begin_write(&state.pool).await?;
        let has_remarks = !comment.is_empty() || db::count_remarks(&mut tx, &row.id).await? > 0;
        let to = from
            .apply(role(&project), transition, has_remarks)
            .map_err(refused)?;
        let (decided, kind, action) = if transition == Transition::Accept {
            (
                SubmissionState::Accepted,
                NotificationKind::Accepted,
                "accept_stage",
            )
        } else {
            (
                SubmissionState::Returned,
                NotificationKind::Returned,
                "return_stage",
            )
        };
        // Both guards: the submission is still waiting and the project still where it was.
        if db::decide_submission(
            &mut tx,
            &row.id,
            decided.as_str(),
            &project.user.id,
            &comment,
        )
        .await?
            != 1
        {
            return Err(AppError::Conflict);
        }
        let moved = db::move_project(
            &mut tx,
            &project.row.id,
            (Some(&stages[from.stage].id), from.state.as_str()),
            (Some(&stages[to.stage].id), to.state.as_str()),
            None,
        )
        .await?;
        if moved != 1 {
            return Err(AppError::Conflict);
        }
        project
            .audit(
                &mut tx,
                action,
                Some(&format!("{} · №{number}", project.row.title)),
            )
            .await?;
        db::notify(
            &mut tx,
            &others(&project.people.members, &project.user.id),
            &NewNotification {
                kind: kind.as_str(),
                project_id: &project.row.id,
                submission_id: Some(&row.id),
                actor_id: Some(&project.user.id),
            },
        )
        .await?;
        tx.commit().await?;
        leptos_axum::redirect(&submission_path(&project.row.id, number));
        Ok(())
    }

    pub async fn set_stage_due(
        project: Acting,
        stage_id: String,
        due_on: String,
    ) -> Result<(), AppError> {
        if role(&project) != WorkflowRole::Reviewer {
            return Err(AppError::Forbidden);
        }
        let due = match due_on.trim() {
            "" => None,
            s => Some(date_of(s).ok_or_else(|| invalid("due_on", FieldProblem::BadDate))?),
        };
        let state = app_state()?;
        let stages = db::list_stages(&state.pool, &project.row.school_id).await?;
        if !stages.iter().any(|s| s.id == stage_id) {
            return Err(AppError::NotFound);
        }
        let mut tx = begin_write(&state.pool).await?;
        let due_text = due.map(|d| d.format("%Y-%m-%d").to_string());
        db::set_due(&mut tx, &project.row.id, &stage_id, due_text.as_deref()).await?;
        project.audit(&mut tx, "set_stage_due", None).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_diary_entry(
        project: Acting,
        entry_date: String,
        body: String,
    ) -> Result<(), AppError> {
        if !may(Some(&project.user), Action::WriteDiary(project.access())) {
            return Err(AppError::Forbidden);
        }
        let date = match entry_date.trim() {
            "" => today(),
            s => date_of(s).ok_or_else(|| invalid("entry_date", FieldProblem::BadDate))?,
        };
        if date > today() {
            return Err(invalid("entry_date", FieldProblem::FutureDate));
        }
        let body = remark_text("body", &check_body(&body)?)?;
        let rendered = render(&project.row.id, &body).await?;
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        db::insert_diary_entry(
            &mut tx,
            &project.row.id,
            &project.user.id,
            &date.format("%Y-%m-%d").to_string(),
            &body,
            rendered.html.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Notifications and the header

    /// Writes reminders of stages due soon; cheap, idempotent, and safe from several processes.
    pub async fn remind_due_stages() -> Result<(), AppError> {
        let state = app_state()?;
        let today = today();
        let until = today + Days::new(DUE_SOON_DAYS as u64);
        db::remind_due(
            &state.pool,
            &today.format("%Y-%m-%d").to_string(),
            &until.format("%Y-%m-%d").to_string(),
        )
        .await?;
        Ok(())
    }

    pub async fn load_notifications(user: CurrentUser) -> Result<NotificationsView, AppError> {
        remind_due_stages().await?;
        let state = app_state()?;
        let rows = db::list_notifications(&state.pool, &user.id, 200).await?;
        Ok(NotificationsView {
            unread: db::unread_count(&state.pool, &user.id).await?,
            items: rows
                .into_iter()
                .filter_map(|r| {
                    Some(Notification {
                        kind: NotificationKind::parse(&r.kind)?,
                        stage: (r.stage_code.is_some() || r.stage_name.is_some())
                            .then(|| stage_name(r.stage_code.as_deref(), r.stage_name.as_deref())),
                        due_on: r.due_on.as_deref().and_then(date_of),
                        at: parse_time(&r.created_at),
                        read: r.read_at.is_some(),
                        id: r.id,
                        project_id: r.project_id,
                        project_title: r.project_title,
                        submission: r.number,
                        actor: r.actor,
                    })
                })
                .collect(),
        })
    }

    pub async fn mark_notifications_read(
        user: CurrentUser,
        id: Option<String>,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        db::mark_read(
            &state.pool,
            &user.id,
            id.as_deref().filter(|s| !s.is_empty()),
        )
        .await?;
        Ok(())
    }

    pub async fn header_counts() -> Result<HeaderCounts, AppError> {
        let Some(user) = signed_in_user().await? else {
            return Ok(HeaderCounts::default());
        };
        let state = app_state()?;
        Ok(HeaderCounts {
            unread: db::unread_count(&state.pool, &user.id).await?,
            waiting: db::waiting_count(&state.pool, &user.id).await?,
        })
    }

    // -----------------------------------------------------------------------------------------
    // Dashboards

    async fn people_names(
        pool: &crate::db::Pool,
        ids: Vec<String>,
    ) -> Result<HashMap<String, (Vec<String>, Vec<String>)>, AppError> {
        let mut out: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
        for (project, relation, name) in project_db::people_of_projects(pool, &ids).await? {
            let entry = out.entry(project).or_default();
            if relation == "member" {
                entry.0.push(name);
            } else {
                entry.1.push(name);
            }
        }
        Ok(out)
    }

    async fn queue_items(
        pool: &crate::db::Pool,
        scope: &Scope<'_>,
    ) -> Result<Vec<QueueItem>, AppError> {
        let rows = db::waiting(pool, scope).await?;
        let people =
            people_names(pool, rows.iter().map(|r| r.project_id.clone()).collect()).await?;
        Ok(rows
            .into_iter()
            .map(|r| QueueItem {
                members: people
                    .get(&r.project_id)
                    .map(|p| p.0.clone())
                    .unwrap_or_default(),
                stage: stage_name(r.stage_code.as_deref(), r.stage_name.as_deref()),
                submitted_at: parse_time(&r.submitted_at),
                project_id: r.project_id,
                project_title: r.project_title,
                number: r.number,
            })
            .collect())
    }

    async fn stage_items(
        pool: &crate::db::Pool,
        scope: &Scope<'_>,
        today: NaiveDate,
    ) -> Result<Vec<StageItem>, AppError> {
        let rows = db::stage_items(pool, scope).await?;
        let ids: Vec<String> = rows.iter().map(|r| r.project_id.clone()).collect();
        let people = people_names(pool, ids.clone()).await?;
        let open: HashMap<String, i64> = db::open_remarks(pool, &ids).await?.into_iter().collect();
        Ok(rows
            .into_iter()
            .map(|r| {
                let state = ReviewState::parse(&r.review_state).unwrap_or(ReviewState::Working);
                let standing = match ProjectStatus::parse(&r.status) {
                    Some(ProjectStatus::Proposed) => Standing::Proposed,
                    _ => Standing::Active,
                };
                let due_on = r.due_on.as_deref().and_then(date_of);
                let (members, supervisors) = people.get(&r.project_id).cloned().unwrap_or_default();
                StageItem {
                    standing,
                    stage: (r.stage_position.is_some())
                        .then(|| stage_name(r.stage_code.as_deref(), r.stage_name.as_deref())),
                    overdue: standing == Standing::Active
                        && matches!(state, ReviewState::Working | ReviewState::Returned)
                        && due_on.is_some_and(|d| d < today),
                    state,
                    due_on,
                    members,
                    supervisors,
                    open_remarks: open.get(&r.project_id).copied().unwrap_or(0),
                    project_id: r.project_id,
                    project_title: r.project_title,
                }
            })
            .collect())
    }

    async fn school_board(
        pool: &crate::db::Pool,
        school: SchoolKey,
        today: NaiveDate,
    ) -> Result<SchoolBoard, AppError> {
        let scope = Scope::School(&school.id);
        let stages = db::list_stages(pool, &school.id).await?;
        let counts: HashMap<String, i64> = db::projects_per_stage(pool, &school.id)
            .await?
            .into_iter()
            .collect();
        let items = stage_items(pool, &scope, today).await?;
        let waiting = queue_items(pool, &scope).await?;
        let mut by_supervisor: Vec<(String, i64, i64, i64)> = Vec::new();
        for item in &items {
            for name in &item.supervisors {
                let waits = waiting
                    .iter()
                    .filter(|w| w.project_id == item.project_id)
                    .count() as i64;
                match by_supervisor.iter_mut().find(|s| &s.0 == name) {
                    Some(s) => {
                        s.1 += 1;
                        s.2 += waits;
                        s.3 += i64::from(item.overdue);
                    }
                    None => by_supervisor.push((name.clone(), 1, waits, i64::from(item.overdue))),
                }
            }
        }
        by_supervisor.sort();
        Ok(SchoolBoard {
            school: SchoolRef {
                slug: school.slug.clone(),
                short_name: school.short_name.clone(),
            },
            by_stage: stages
                .iter()
                .map(|s| (stage_info(s).name, counts.get(&s.id).copied().unwrap_or(0)))
                .collect(),
            by_supervisor,
            waiting,
            overdue: items.into_iter().filter(|i| i.overdue).collect(),
        })
    }

    pub async fn load_dashboard(user: CurrentUser) -> Result<Dashboard, AppError> {
        remind_due_stages().await?;
        let state = app_state()?;
        let pool = &state.pool;
        let today = today();
        let mut board = Dashboard {
            unread: db::unread_count(pool, &user.id).await?,
            ..Dashboard::default()
        };
        if user.has_role(Role::Supervisor) || user.has_role(Role::Librarian) {
            board.queue = queue_items(pool, &Scope::SupervisedBy(&user.id)).await?;
            board.supervised = stage_items(pool, &Scope::SupervisedBy(&user.id), today).await?;
        }
        for grant in user.roles.iter().filter(|g| g.role == Role::Librarian) {
            let Some(school_id) = &grant.school_id else {
                continue;
            };
            if let Some(school) = crate::people::db::find_school_by_id(pool, school_id).await? {
                board.schools.push(school_board(pool, school, today).await?);
            }
        }
        if user.has_role(Role::Pupil) {
            board.mine = stage_items(pool, &Scope::MemberIs(&user.id), today).await?;
        }
        if user.has_role(Role::Parent) {
            board.children = stage_items(pool, &Scope::ChildrenOf(&user.id), today).await?;
        }
        Ok(board)
    }

    // -----------------------------------------------------------------------------------------
    // Assessment, the commission and the supervisor's review

    async fn at_defence(project: &Acting, stages: &[StageRow]) -> Result<bool, AppError> {
        let (pos, index) = position(project, stages)?;
        Ok(pos.standing == Standing::Active
            && (stages[..=index].iter().any(|s| s.assessed) || pos.state == ReviewState::Completed))
    }

    pub async fn load_assessment(project: Acting) -> Result<AssessmentView, AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        let stages = db::list_stages(pool, &project.row.school_id).await?;
        let criteria: Vec<Criterion> = db::list_criteria(pool, &project.row.school_id)
            .await?
            .iter()
            .map(criterion)
            .collect();
        let members =
            project_db::list_members(pool, &project.row.id, project.row.academic_year).await?;
        let scores = db::list_scores(pool, &project.row.id).await?;
        let cards = members
            .iter()
            .map(|m| Card {
                pupil_id: m.id.clone(),
                pupil_name: m.name.clone(),
                scores: criteria
                    .iter()
                    .map(|c| {
                        scores
                            .iter()
                            .find(|s| s.0 == m.id && s.1 == project.user.id && s.3 == c.id)
                            .map(|s| s.4)
                    })
                    .collect(),
            })
            .collect();
        let may_manage = role(&project) == WorkflowRole::Reviewer;
        let commission = db::list_commission(pool, &project.row.id).await?;
        let commission_choices = if may_manage {
            project_db::school_supervisors(pool, &project.row.school_id)
                .await?
                .into_iter()
                .filter(|p| !commission.iter().any(|c| c.0 == p.id))
                .map(|p| (p.id, p.name))
                .collect()
        } else {
            Vec::new()
        };
        let review_body = db::list_reviews(pool, &project.row.id)
            .await?
            .into_iter()
            .find(|r| r.0 == project.user.id)
            .map(|r| r.2)
            .unwrap_or_default();
        Ok(AssessmentView {
            project_id: project.row.id.clone(),
            project_title: project.row.title.clone(),
            at_defence: at_defence(&project, &stages).await?,
            criteria,
            cards,
            commission,
            commission_choices,
            review_body,
            may_assess: may(Some(&project.user), Action::AssessProject(project.access())),
            may_manage,
            is_supervisor: project.people.supervisors.contains(&project.user.id),
        })
    }

    pub async fn save_assessment(
        project: Acting,
        pupil_id: String,
        scores: Vec<String>,
    ) -> Result<(), AppError> {
        if !may(Some(&project.user), Action::AssessProject(project.access())) {
            return Err(AppError::Forbidden);
        }
        if !project.people.members.contains(&pupil_id) {
            return Err(AppError::NotFound);
        }
        let state = app_state()?;
        let stages = db::list_stages(&state.pool, &project.row.school_id).await?;
        if !at_defence(&project, &stages).await? {
            return Err(AppError::Conflict);
        }
        let criteria = db::list_criteria(&state.pool, &project.row.school_id).await?;
        if scores.len() != criteria.len() {
            return Err(AppError::BadRequest);
        }
        let mut parsed = Vec::with_capacity(scores.len());
        let mut problems = Vec::new();
        for (i, s) in scores.iter().enumerate() {
            match s.trim() {
                "" => parsed.push(None),
                s => match s.parse::<i64>() {
                    Ok(n) if (0..=MAX_SCORE).contains(&n) => parsed.push(Some(n)),
                    _ => problems.push(FieldError::new(
                        &format!("scores[{i}]"),
                        FieldProblem::OutOfRange {
                            min: 0,
                            max: MAX_SCORE as usize,
                        },
                    )),
                },
            }
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let mut tx = begin_write(&state.pool).await?;
        for (c, score) in criteria.iter().zip(parsed) {
            db::set_score(
                &mut tx,
                &project.row.id,
                &pupil_id,
                &project.user.id,
                &c.id,
                score,
            )
            .await?;
        }
        project.audit(&mut tx, "assess", None).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn change_commission(
        project: Acting,
        user_id: String,
        add: bool,
    ) -> Result<(), AppError> {
        if role(&project) != WorkflowRole::Reviewer {
            return Err(AppError::Forbidden);
        }
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        if add {
            let staff = project_db::school_supervisors(&state.pool, &project.row.school_id).await?;
            if !staff.iter().any(|p| p.id == user_id) {
                return Err(invalid("user_id", FieldProblem::Invalid));
            }
            db::add_commission_member(&mut tx, &project.row.id, &user_id).await?;
        } else {
            db::remove_commission_member(&mut tx, &project.row.id, &user_id).await?;
        }
        project
            .audit(
                &mut tx,
                if add {
                    "add_commission_member"
                } else {
                    "remove_commission_member"
                },
                None,
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn save_supervisor_review(project: Acting, body: String) -> Result<(), AppError> {
        if !project.people.supervisors.contains(&project.user.id) {
            return Err(AppError::Forbidden);
        }
        let body = remark_text("body", &check_body(&body)?)?;
        let rendered = render(&project.row.id, &body).await?;
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        db::save_review(
            &mut tx,
            &project.row.id,
            &project.user.id,
            &body,
            rendered.html.as_str(),
        )
        .await?;
        project
            .audit(&mut tx, "save_supervisor_review", None)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn load_protocol(project: Acting) -> Result<ProtocolView, AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        let row = &project.row;
        let stages = db::list_stages(pool, &row.school_id).await?;
        let criteria: Vec<Criterion> = db::list_criteria(pool, &row.school_id)
            .await?
            .iter()
            .map(criterion)
            .collect();
        let members = project_db::list_members(pool, &row.id, row.academic_year).await?;
        let scores = db::list_scores(pool, &row.id).await?;
        let max_total = criteria.len() as i64 * MAX_SCORE;
        let pupils = members
            .iter()
            .map(|m| {
                let mut assessors: Vec<(String, Vec<Option<i64>>, i64)> = Vec::new();
                for s in scores.iter().filter(|s| s.0 == m.id) {
                    if assessors.iter().any(|a| a.0 == s.2) {
                        continue;
                    }
                    let per: Vec<Option<i64>> = criteria
                        .iter()
                        .map(|c| {
                            scores
                                .iter()
                                .find(|x| x.0 == m.id && x.1 == s.1 && x.3 == c.id)
                                .map(|x| x.4)
                        })
                        .collect();
                    let total = per.iter().flatten().sum();
                    assessors.push((s.2.clone(), per, total));
                }
                let total = if assessors.is_empty() {
                    0.0
                } else {
                    assessors.iter().map(|a| a.2 as f64).sum::<f64>() / assessors.len() as f64
                };
                ProtocolPupil {
                    name: m.name.clone(),
                    class: m.class.clone(),
                    part: m.note.clone(),
                    level: Level::of(total, max_total),
                    total: (total * 10.0).round() / 10.0,
                    assessors,
                }
            })
            .collect();
        let dues: HashMap<String, String> =
            db::list_dues(pool, &row.id).await?.into_iter().collect();
        let defence_on = stages
            .iter()
            .find(|s| s.assessed)
            .and_then(|s| dues.get(&s.id))
            .and_then(|d| date_of(d));
        let school_name = db::school_name(pool, &row.school_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(ProtocolView {
            project_id: row.id.clone(),
            project_title: row.title.clone(),
            topic: row.topic.clone(),
            kind: crate::projects::ProjectKind::parse(&row.kind).ok_or(AppError::Internal)?,
            project_type: crate::projects::ProjectType::parse(&row.project_type)
                .ok_or(AppError::Internal)?,
            school_name,
            academic_year: row.academic_year,
            defence_on,
            supervisors: project_db::list_supervisors(pool, &row.id)
                .await?
                .into_iter()
                .map(|p| p.name)
                .collect(),
            commission: db::list_commission(pool, &row.id)
                .await?
                .into_iter()
                .map(|c| c.1)
                .collect(),
            criteria,
            max_total,
            pupils,
        })
    }

    pub async fn load_review_letter(project: Acting) -> Result<ReviewLetterView, AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        let row = &project.row;
        let school_name = db::school_name(pool, &row.school_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(ReviewLetterView {
            project_id: row.id.clone(),
            project_title: row.title.clone(),
            school_name,
            members: project_db::list_members(pool, &row.id, row.academic_year)
                .await?
                .into_iter()
                .map(|m| m.name)
                .collect(),
            reviews: db::list_reviews(pool, &row.id)
                .await?
                .into_iter()
                .map(|(_, name, _, html, at)| {
                    (name, SafeHtml::from_stored(html), parse_time(&at).date())
                })
                .collect(),
        })
    }

    // -----------------------------------------------------------------------------------------
    // The school's procedure

    pub async fn procedure_manager(slug: &str) -> Result<SchoolKey, AppError> {
        let user = signed_in().await?;
        let state = app_state()?;
        let school = find_school(&state.pool, slug)
            .await?
            .ok_or(AppError::NotFound)?;
        if !may(
            Some(&user),
            Action::ManageSchoolProcedure {
                school_id: &school.id,
            },
        ) {
            return Err(AppError::Forbidden);
        }
        Ok(school)
    }

    pub async fn load_procedure(school: SchoolKey) -> Result<ProcedureView, AppError> {
        let state = app_state()?;
        let pool = &state.pool;
        let stages = db::list_stages(pool, &school.id).await?;
        let counts: HashMap<String, i64> = db::projects_per_stage(pool, &school.id)
            .await?
            .into_iter()
            .collect();
        Ok(ProcedureView {
            stages: stages
                .iter()
                .map(|s| (stage_info(s), counts.get(&s.id).copied().unwrap_or(0)))
                .collect(),
            criteria: db::list_criteria(pool, &school.id)
                .await?
                .iter()
                .map(criterion)
                .collect(),
            school: SchoolRef {
                slug: school.slug,
                short_name: school.short_name,
            },
        })
    }

    fn stage_title(input: &str) -> Result<String, AppError> {
        let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.chars().count() > 120 {
            return Err(invalid("name", FieldProblem::TooLong { max: 120 }));
        }
        Ok(name)
    }

    async fn procedure_audit(
        tx: &mut crate::db::WriteTx,
        school: &SchoolKey,
        action: &str,
        detail: &str,
    ) -> Result<(), AppError> {
        let user = signed_in().await?;
        audit(&mut **tx, &user.id, action, None, &school.id, detail).await?;
        Ok(())
    }

    pub async fn rename_stage(
        school: SchoolKey,
        stage_id: String,
        name: String,
    ) -> Result<(), AppError> {
        let name = stage_title(&name)?;
        let state = app_state()?;
        let stages = db::list_stages(&state.pool, &school.id).await?;
        let stage = stages
            .iter()
            .find(|s| s.id == stage_id)
            .ok_or(AppError::NotFound)?;
        if name.is_empty() && stage.code.is_none() {
            return Err(invalid("name", FieldProblem::Required));
        }
        let mut tx = begin_write(&state.pool).await?;
        db::rename_stage(
            &mut tx,
            &school.id,
            &stage_id,
            (!name.is_empty()).then_some(name.as_str()),
        )
        .await?;
        procedure_audit(&mut tx, &school, "rename_stage", &name).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn move_stage(
        school: SchoolKey,
        stage_id: String,
        direction: String,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        let stages = db::list_stages(&mut *tx, &school.id).await?;
        let i = stages
            .iter()
            .position(|s| s.id == stage_id)
            .ok_or(AppError::NotFound)?;
        let j = match direction.as_str() {
            "up" if i > 0 => i - 1,
            "down" if i + 1 < stages.len() => i + 1,
            "up" | "down" => return Ok(()),
            _ => return Err(AppError::BadRequest),
        };
        // The first stage is the topic's approval: it stays first.
        if i == 0 || j == 0 {
            return Err(AppError::Conflict);
        }
        let mut order: Vec<&StageRow> = stages.iter().collect();
        order.swap(i, j);
        for (n, s) in order.iter().enumerate() {
            db::set_stage_position(&mut tx, &s.id, n as i64 + 1).await?;
        }
        procedure_audit(&mut tx, &school, "move_stage", &stage_id).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_stage(school: SchoolKey, name: String) -> Result<(), AppError> {
        let name = stage_title(&name)?;
        if name.is_empty() {
            return Err(invalid("name", FieldProblem::Required));
        }
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        let stages = db::list_stages(&mut *tx, &school.id).await?;
        // Before the last stage (the defence), renumbering what follows.
        let at = stages.len().saturating_sub(1);
        for (n, s) in stages.iter().enumerate() {
            let position = if n < at { n + 1 } else { n + 2 };
            db::set_stage_position(&mut tx, &s.id, position as i64).await?;
        }
        db::insert_stage(&mut tx, &school.id, at as i64 + 1, &name).await?;
        procedure_audit(&mut tx, &school, "add_stage", &name).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_stage(school: SchoolKey, stage_id: String) -> Result<(), AppError> {
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        let stages = db::list_stages(&mut *tx, &school.id).await?;
        if stages.first().is_some_and(|s| s.id == stage_id) {
            return Err(AppError::Conflict);
        }
        if !db::delete_unused_stage(&mut tx, &school.id, &stage_id).await? {
            return Err(AppError::Conflict);
        }
        procedure_audit(&mut tx, &school, "delete_stage", &stage_id).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn update_criterion(
        school: SchoolKey,
        criterion_id: String,
        name: String,
        descriptors: String,
    ) -> Result<(), AppError> {
        let name = stage_title(&name)?;
        let lines: Vec<String> = descriptors
            .lines()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect();
        let own = !name.is_empty() || !lines.is_empty();
        if own && name.is_empty() {
            return Err(invalid("name", FieldProblem::Required));
        }
        if own && lines.len() != MAX_SCORE as usize + 1 {
            return Err(invalid("descriptors", FieldProblem::FiveLevels));
        }
        if lines.iter().any(|l| l.chars().count() > 500) {
            return Err(invalid("descriptors", FieldProblem::TooLong { max: 500 }));
        }
        let json = serde_json::to_string(&lines).map_err(|_| AppError::Internal)?;
        let state = app_state()?;
        let mut tx = begin_write(&state.pool).await?;
        let changed = db::update_criterion(
            &mut tx,
            &school.id,
            &criterion_id,
            own.then_some(name.as_str()),
            own.then_some(json.as_str()),
        )
        .await?;
        if changed != 1 {
            return Err(AppError::NotFound);
        }
        procedure_audit(&mut tx, &school, "update_criterion", &name).await?;
        tx.commit().await?;
        Ok(())
    }
}
