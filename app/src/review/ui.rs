//! Pages of the review workflow: a project's stages and diary, a submission with its remarks
//! and decision, notifications, the dashboard, the assessment, the printable protocol and
//! review, and a school's procedure. Every form is a plain POST that works without JavaScript.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::api::{
    load_assessment, load_dashboard, load_notifications, load_procedure, load_protocol,
    load_review_letter, load_submission, load_workflow, AddCommissionMember, AddDiaryEntry,
    AddRemark, AddStage, DecideSubmission, DeleteStage, MarkNotificationsRead, MoveStage,
    RemoveCommissionMember, RenameStage, ReplyToRemark, SaveAssessment, SaveSupervisorReview,
    SetStageDue, SubmitStage, UpdateCriterion,
};
use super::{
    AssessmentView, CriterionCode, CriterionText, Dashboard, Level, Notification, NotificationKind,
    NotificationsView, PageChange, ProcedureView, ProtocolView, QueueItem, Remark,
    ReviewLetterView, ReviewState, SchoolBoard, StageCode, StageItem, StageName, StageProgress,
    Standing, SubmissionState, SubmissionView, WorkflowView, MAX_SCORE,
};
use crate::components::{
    form_error, loaded, param, ErrorNotice, FieldMessage, FormNotice, PageTitle,
};
use crate::format::{format_date, format_date_time};
use crate::i18n::{t, t_string, use_i18n};
use crate::people::academic_year_label;
use crate::projects::ui::DiffLines;

/// The translated or the school's own name of a stage.
pub fn stage_label(name: &StageName) -> String {
    let i18n = use_i18n();
    match name {
        StageName::Own(name) => name.clone(),
        StageName::Default(code) => match code {
            StageCode::Topic => t_string!(i18n, review.stage_topic),
            StageCode::Passport => t_string!(i18n, review.stage_passport),
            StageCode::Sources => t_string!(i18n, review.stage_sources),
            StageCode::Product => t_string!(i18n, review.stage_product),
            StageCode::Predefence => t_string!(i18n, review.stage_predefence),
            StageCode::Defence => t_string!(i18n, review.stage_defence),
        }
        .to_owned(),
    }
}

pub fn state_label(state: ReviewState, standing: Standing) -> &'static str {
    let i18n = use_i18n();
    match (standing, state) {
        (Standing::Proposed, _) => t_string!(i18n, review.state_proposed),
        (Standing::Declined, _) => t_string!(i18n, review.state_declined),
        (_, ReviewState::Working) => t_string!(i18n, review.state_working),
        (_, ReviewState::Submitted) => t_string!(i18n, review.state_submitted),
        (_, ReviewState::Returned) => t_string!(i18n, review.state_returned),
        (_, ReviewState::Completed) => t_string!(i18n, review.state_completed),
    }
}

fn submission_state_label(state: SubmissionState) -> &'static str {
    let i18n = use_i18n();
    match state {
        SubmissionState::Waiting => t_string!(i18n, review.submission_waiting),
        SubmissionState::Returned => t_string!(i18n, review.submission_returned),
        SubmissionState::Accepted => t_string!(i18n, review.submission_accepted),
        SubmissionState::Declined => t_string!(i18n, review.submission_declined),
    }
}

fn criterion_name(text: &CriterionText) -> String {
    let i18n = use_i18n();
    match text {
        CriterionText::Own { name, .. } => name.clone(),
        CriterionText::Default(code) => match code {
            CriterionCode::Subject => t_string!(i18n, review.criterion_subject),
            CriterionCode::Cognitive => t_string!(i18n, review.criterion_cognitive),
            CriterionCode::Regulatory => t_string!(i18n, review.criterion_regulatory),
            CriterionCode::Communicative => t_string!(i18n, review.criterion_communicative),
        }
        .to_owned(),
    }
}

/// What 0 to 4 points mean on a criterion.
fn criterion_levels(text: &CriterionText) -> Vec<String> {
    let i18n = use_i18n();
    match text {
        CriterionText::Own { descriptors, .. } => descriptors.clone(),
        CriterionText::Default(code) => {
            let all = match code {
                CriterionCode::Subject => t_string!(i18n, review.levels_subject),
                CriterionCode::Cognitive => t_string!(i18n, review.levels_cognitive),
                CriterionCode::Regulatory => t_string!(i18n, review.levels_regulatory),
                CriterionCode::Communicative => t_string!(i18n, review.levels_communicative),
            };
            all.split('|').map(|s| s.trim().to_owned()).collect()
        }
    }
}

fn level_label(level: Level) -> &'static str {
    let i18n = use_i18n();
    match level {
        Level::NotReached => t_string!(i18n, review.level_not_reached),
        Level::Basic => t_string!(i18n, review.level_basic),
        Level::Advanced => t_string!(i18n, review.level_advanced),
    }
}

fn project_href(id: &str) -> String {
    format!("/projects/{id}")
}

fn submission_href(project_id: &str, number: i64) -> String {
    format!("/projects/{project_id}/submissions/{number}")
}

// ---------------------------------------------------------------------------------------------
// The workflow page

/// `/projects/:id/workflow`: stages with due dates, submitting, submissions and the diary.
#[component]
pub fn WorkflowPage() -> impl IntoView {
    let id = param("id");
    let workflow = Resource::new_blocking(id, load_workflow);
    loaded!(workflow, |w| view! { <WorkflowBody w /> })
}

#[component]
fn WorkflowBody(w: WorkflowView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let submit = ServerAction::<SubmitStage>::new();
    let submit_error = form_error(submit);
    let due = ServerAction::<SetStageDue>::new();
    let due_error = form_error(due);
    let diary = ServerAction::<AddDiaryEntry>::new();
    let diary_error = form_error(diary);
    let diary_typed = crate::forms::typed(AddDiaryEntry::PATH);
    let pid = w.project_id.clone();
    let current = w
        .current
        .as_ref()
        .map(|s| stage_label(&s.name))
        .unwrap_or_default();
    let stages = w
        .stages
        .iter()
        .map(|s| {
            let class = match s.progress {
                StageProgress::Done => "stage done",
                StageProgress::Current => "stage current",
                StageProgress::Ahead => "stage ahead",
            };
            let mark = match s.progress {
                StageProgress::Done => t_string!(i18n, review.stage_done),
                StageProgress::Current => t_string!(i18n, review.stage_current),
                StageProgress::Ahead => "",
            };
            let due_text = s.due_on.map(|d| format_date(locale, d));
            let due_form = w.may_review.then(|| {
                let input_id = format!("due-{}", s.stage.id);
                view! {
                    <form class="inline due-form" method="post" action=SetStageDue::url()>
                        <input type="hidden" name="project_id" value=pid.clone() />
                        <input type="hidden" name="stage_id" value=s.stage.id.clone() />
                        <label for=input_id.clone() class="visually-hidden">
                            {t!(i18n, review.due_for)} " " {stage_label(&s.stage.name)}
                        </label>
                        <input id=input_id type="date" name="due_on" value=s.due_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default() />
                        <button type="submit" class="small">{t!(i18n, review.set_due)}</button>
                    </form>
                }
            });
            view! {
                <li class=class aria-current=(s.progress == StageProgress::Current).then_some("step")>
                    <span class="stage-name">{stage_label(&s.stage.name)}</span>
                    {(!mark.is_empty()).then(|| view! { " " <span class="badge">{mark}</span> })}
                    {due_text.map(|d| view! { " " <span class="due">{t!(i18n, review.due)} " " {d}</span> })}
                    {s.overdue.then(|| view! { " " <strong class="overdue">{t!(i18n, review.overdue)}</strong> })}
                    " " {due_form}
                </li>
            }
        })
        .collect_view();
    let submit_form = w.may_submit.then(|| {
        let stage_id = w.current.as_ref().map(|s| s.id.clone()).unwrap_or_default();
        view! {
            <form method="post" action=SubmitStage::url() class="submit-stage">
                <input type="hidden" name="project_id" value=pid.clone() />
                <input type="hidden" name="stage_id" value=stage_id />
                <p>{t!(i18n, review.submit_explained)}</p>
                <button type="submit" class="primary">{t!(i18n, review.submit)} " «" {current.clone()} "»"</button>
            </form>
        }
    });
    let submissions = w
        .submissions
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <td><a href=submission_href(&pid, s.number)>"№" {s.number}</a></td>
                    <td>{stage_label(&s.stage)}</td>
                    <td>{submission_state_label(s.state)}</td>
                    <td>{s.submitted_by.clone()}</td>
                    <td>{format_date_time(locale, s.submitted_at)}</td>
                </tr>
            }
        })
        .collect_view();
    let entries = w
        .diary
        .iter()
        .map(|e| {
            view! {
                <article class="diary-entry">
                    <h3>{format_date(locale, e.date)} {e.author.clone().map(|a| format!(" · {a}"))}</h3>
                    <div class="markdown" inner_html=e.html.as_str().to_owned()></div>
                </article>
            }
        })
        .collect_view();
    let today = w.today.format("%Y-%m-%d").to_string();
    view! {
        <PageTitle text=format!("{} — {}", w.project_title, t_string!(i18n, review.workflow_title)) />
        <p class="breadcrumbs"><a href=project_href(&w.project_id)>{w.project_title.clone()}</a></p>
        <h1>{t!(i18n, review.workflow_title)}</h1>
        <p class="workflow-state" role="status">
            {t!(i18n, review.current_stage)} " " <strong>{current.clone()}</strong> " — " {state_label(w.state, w.standing)}
        </p>
        {(w.open_remarks > 0).then(|| view! {
            <p class="notice">{t_string!(i18n, review.open_remarks, n = w.open_remarks)}</p>
        })}
        {move || view! { <FormNotice error=submit_error() /> }}
        {submit_form}
        <section aria-labelledby="stages">
            <h2 id="stages">{t!(i18n, review.stages)}</h2>
            {move || view! { <FormNotice error=due_error() /> }}
            {move || view! { <FieldMessage id="due-error" problem=due_error().and_then(|e| e.field_problem("due_on")) /> }}
            <ol class="stages">{stages}</ol>
        </section>
        <section aria-labelledby="submissions">
            <h2 id="submissions">{t!(i18n, review.submissions)}</h2>
            {w.submissions.is_empty().then(|| view! { <p>{t!(i18n, review.no_submissions)}</p> })}
            {(!w.submissions.is_empty()).then(|| view! {
                <table class="list">
                    <thead><tr>
                        <th scope="col">{t!(i18n, review.number)}</th>
                        <th scope="col">{t!(i18n, review.stage)}</th>
                        <th scope="col">{t!(i18n, review.state)}</th>
                        <th scope="col">{t!(i18n, review.submitted_by)}</th>
                        <th scope="col">{t!(i18n, review.submitted_at)}</th>
                    </tr></thead>
                    <tbody>{submissions}</tbody>
                </table>
            })}
        </section>
        {w.may_assess.then(|| view! {
            <p>
                <a href=format!("/projects/{}/assessment", w.project_id)>{t!(i18n, review.assessment_link)}</a>
                " · " <a href=format!("/projects/{}/protocol", w.project_id)>{t!(i18n, review.protocol_link)}</a>
                " · " <a href=format!("/projects/{}/review-letter", w.project_id)>{t!(i18n, review.letter_link)}</a>
            </p>
        })}
        <section aria-labelledby="diary">
            <h2 id="diary">{t!(i18n, review.diary)}</h2>
            {w.may_write_diary.then(|| view! {
                {move || view! { <FormNotice error=diary_error() /> }}
                <form method="post" action=AddDiaryEntry::url() class="diary-form">
                    <input type="hidden" name="project_id" value=pid.clone() />
                    <label for="diary-date">{t!(i18n, review.diary_date)}</label>
                    <input id="diary-date" type="date" name="entry_date" value=diary_typed.or("entry_date", today.clone()) max=today.clone() aria-describedby="diary-date-error" />
                    {move || view! { <FieldMessage id="diary-date-error" problem=diary_error().and_then(|e| e.field_problem("entry_date")) /> }}
                    <label for="diary-body">{t!(i18n, review.diary_body)}</label>
                    <textarea id="diary-body" name="body" rows="4" required maxlength="5000" aria-describedby="diary-body-error">{diary_typed.get("body")}</textarea>
                    {move || view! { <FieldMessage id="diary-body-error" problem=diary_error().and_then(|e| e.field_problem("body")) /> }}
                    <button type="submit">{t!(i18n, review.diary_add)}</button>
                </form>
            })}
            {w.diary.is_empty().then(|| view! { <p>{t!(i18n, review.diary_empty)}</p> })}
            {entries}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// A submission

/// `/projects/:id/submissions/:number`: the snapshot as submitted, the changes since the last
/// accepted one, remarks with their threads, and the decision.
#[component]
pub fn SubmissionPage() -> impl IntoView {
    let id = param("id");
    let number = param("number");
    let submission = Resource::new_blocking(
        move || (id(), number()),
        |(id, number)| async move {
            let number = number
                .parse()
                .map_err(|_| crate::error::AppError::NotFound)?;
            load_submission(id, number).await
        },
    );
    loaded!(submission, |s| view! { <SubmissionBody s /> })
}

#[component]
fn RemarkItem(remark: Remark, may_reply: bool, project_id: String, number: i64) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let _ = (project_id, number);
    let about = match (&remark.page_title, &remark.heading) {
        (Some(page), Some((heading, anchor))) => Some(view! {
            <p class="remark-about">{t!(i18n, review.about)} " " <a href=format!("#p-{}-{anchor}", remark.page_slug.clone().unwrap_or_default())>{format!("{page} › {heading}")}</a></p>
        }.into_any()),
        (Some(page), None) => Some(view! {
            <p class="remark-about">{t!(i18n, review.about)} " " <a href=format!("#p-{}", remark.page_slug.clone().unwrap_or_default())>{page.clone()}</a></p>
        }.into_any()),
        _ => None,
    };
    let replies = remark
        .replies
        .iter()
        .map(|r| {
            let class = if r.by_member { "reply by-member" } else { "reply" };
            view! {
                <li class=class>
                    <p class="remark-meta">{r.author.clone()} " · " {format_date_time(locale, r.at)}</p>
                    <p class="remark-body">{r.body.clone()}</p>
                </li>
            }
        })
        .collect_view();
    let reply_id = format!("reply-{}", remark.id);
    // A refused reply comes back into the form of the remark it answered.
    let typed = crate::forms::typed(ReplyToRemark::PATH);
    let typed_reply = if typed.get("remark_id") == remark.id {
        typed.get("body")
    } else {
        String::new()
    };
    view! {
        <li class="remark" id=format!("remark-{}", remark.id)>
            {about}
            <p class="remark-meta">{remark.author.clone()} " · " {format_date_time(locale, remark.at)}</p>
            <p class="remark-body">{remark.body.clone()}</p>
            {(!remark.replies.is_empty()).then(|| view! { <ul class="replies">{replies}</ul> })}
            {may_reply.then(|| view! {
                <form method="post" action=ReplyToRemark::url() class="reply-form">
                    <input type="hidden" name="remark_id" value=remark.id.clone() />
                    <label for=reply_id.clone()>{t!(i18n, review.reply)}</label>
                    <textarea id=reply_id name="body" rows="2" required maxlength="5000">{typed_reply.clone()}</textarea>
                    <button type="submit" class="small">{t!(i18n, review.send_reply)}</button>
                </form>
            })}
        </li>
    }
}

#[component]
fn SubmissionBody(s: SubmissionView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let remark = ServerAction::<AddRemark>::new();
    let remark_error = form_error(remark);
    let decide = ServerAction::<DecideSubmission>::new();
    let decide_error = form_error(decide);
    let reply = ServerAction::<ReplyToRemark>::new();
    let reply_error = form_error(reply);
    let remark_typed = crate::forms::typed(AddRemark::PATH);
    let decide_typed = crate::forms::typed(DecideSubmission::PATH);
    let pid = s.project_id.clone();
    let number = s.number;
    let snapshot = &s.snapshot;
    let passport = [
        (t_string!(i18n, projects.topic), snapshot.topic.clone()),
        (
            t_string!(i18n, projects.relevance),
            snapshot.passport.relevance.clone(),
        ),
        (
            t_string!(i18n, projects.goal),
            snapshot.passport.goal.clone(),
        ),
        (
            t_string!(i18n, projects.tasks),
            snapshot.passport.tasks.clone(),
        ),
        (
            t_string!(i18n, projects.hypothesis),
            snapshot.passport.hypothesis.clone(),
        ),
        (
            t_string!(i18n, projects.product),
            snapshot.passport.product.clone(),
        ),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| view! { <dt>{k}</dt><dd class="prewrap">{v}</dd> })
    .collect_view();
    let pages = s
        .pages
        .iter()
        .map(|p| {
            let change = match p.change {
                PageChange::First => None,
                PageChange::New => Some(t_string!(i18n, review.page_new)),
                PageChange::Changed => Some(t_string!(i18n, review.page_changed)),
                PageChange::Same => Some(t_string!(i18n, review.page_same)),
            };
            let diff = (p.change == PageChange::Changed).then(|| {
                view! {
                    <details class="page-diff">
                        <summary>{t!(i18n, review.show_changes)}</summary>
                        <DiffLines lines=p.diff.clone() />
                    </details>
                }
            });
            view! {
                <article class="snapshot-page" id=format!("p-{}", p.slug)>
                    <h2>{p.title.clone()} " " <small>{t_string!(i18n, review.revision, number = p.revision)}</small></h2>
                    {change.map(|c| view! { <p class="badge">{c}</p> })}
                    {diff}
                    <div class="markdown" inner_html=p.html.as_str().to_owned()></div>
                </article>
            }
        })
        .collect_view();
    let anchors = s
        .pages
        .iter()
        .flat_map(|p| {
            let mut options = vec![(p.page_id.clone(), p.title.clone())];
            options.extend(p.toc.iter().map(|t| {
                (
                    format!("{}#{}", p.page_id, t.anchor),
                    format!("{} › {}", p.title, t.text),
                )
            }));
            options
        })
        .map(|(value, label)| {
            let selected = remark_typed.chosen("anchor", &value, false);
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    let remarks = s
        .remarks
        .iter()
        .map(|r| view! { <RemarkItem remark=r.clone() may_reply=s.may_reply project_id=pid.clone() number /> })
        .collect_view();
    let files = s
        .files
        .iter()
        .map(|(id, name)| view! { <li><a href=format!("/files/{id}")>{name.clone()}</a></li> })
        .collect_view();
    let diary = s
        .diary
        .iter()
        .map(|e| view! {
            <article class="diary-entry">
                <h3>{format_date(locale, e.date)} {e.author.clone().map(|a| format!(" · {a}"))}</h3>
                <div class="markdown" inner_html=e.html.as_str().to_owned()></div>
            </article>
        })
        .collect_view();
    let decision = s.decided_at.map(|at| {
        view! {
            <section class="decision" aria-labelledby="decision">
                <h2 id="decision">{submission_state_label(s.state)}</h2>
                <p>{s.decided_by.clone()} " · " {format_date_time(locale, at)}</p>
                {(!s.comment.is_empty()).then(|| view! { <p class="prewrap">{s.comment.clone()}</p> })}
            </section>
        }
    });
    let stage = stage_label(&s.stage);
    view! {
        <PageTitle text=format!("{} — №{}", snapshot.title, s.number) />
        <p class="breadcrumbs">
            <a href=project_href(&s.project_id)>{snapshot.title.clone()}</a> " › "
            <a href=format!("/projects/{}/workflow", s.project_id)>{t!(i18n, review.workflow_title)}</a>
        </p>
        <h1>{t_string!(i18n, review.submission_title, number = s.number)} " · " {stage.clone()}</h1>
        <p class="submission-state" role="status">
            <span class="badge">{submission_state_label(s.state)}</span> " "
            {t!(i18n, review.submitted_line)} " " {s.submitted_by.clone()} " · " {format_date_time(locale, s.submitted_at)}
        </p>
        <p class="hint">{t!(i18n, review.snapshot_explained)}</p>
        {s.compared_with.map(|n| view! { <p>{t!(i18n, review.compared_with)} " " <a href=submission_href(&s.project_id, n)>"№" {n}</a></p> })}
        {decision}
        {s.may_decide.then(|| view! {
            <section class="decide" aria-labelledby="decide">
                <h2 id="decide">{t!(i18n, review.decide)}</h2>
                {move || view! { <FormNotice error=decide_error() /> }}
                <form method="post" action=DecideSubmission::url()>
                    <input type="hidden" name="project_id" value=pid.clone() />
                    <input type="hidden" name="number" value=number />
                    <label for="decision-comment">{t!(i18n, review.comment)}</label>
                    <textarea id="decision-comment" name="comment" rows="3" maxlength="5000" aria-describedby="decision-comment-error">{decide_typed.get("comment")}</textarea>
                    {move || view! { <FieldMessage id="decision-comment-error" problem=decide_error().and_then(|e| e.field_problem("comment")) /> }}
                    <p class="hint">{t!(i18n, review.return_needs_remarks)}</p>
                    <button type="submit" name="decision" value="accept" class="primary">{t!(i18n, review.accept)}</button>
                    " "
                    <button type="submit" name="decision" value="return">{t!(i18n, review.return_for_revision)}</button>
                </form>
            </section>
        })}
        <section aria-labelledby="remarks-title" id="remarks">
            <h2 id="remarks-title">{t!(i18n, review.remarks)}</h2>
            {move || view! { <FormNotice error=reply_error() /> }}
            {s.remarks.is_empty().then(|| view! { <p>{t!(i18n, review.no_remarks)}</p> })}
            <ul class="remarks">{remarks}</ul>
            {s.may_remark.then(|| view! {
                {move || view! { <FormNotice error=remark_error() /> }}
                <form method="post" action=AddRemark::url() class="remark-form">
                    <input type="hidden" name="project_id" value=pid.clone() />
                    <input type="hidden" name="number" value=number />
                    <label for="remark-anchor">{t!(i18n, review.remark_about)}</label>
                    <select id="remark-anchor" name="anchor">
                        <option value="">{t!(i18n, review.whole_work)}</option>
                        {anchors}
                    </select>
                    <label for="remark-body">{t!(i18n, review.remark)}</label>
                    <textarea id="remark-body" name="body" rows="3" required maxlength="5000" aria-describedby="remark-body-error">{remark_typed.get("body")}</textarea>
                    {move || view! { <FieldMessage id="remark-body-error" problem=remark_error().and_then(|e| e.field_problem("body")) /> }}
                    <button type="submit">{t!(i18n, review.add_remark)}</button>
                </form>
            })}
        </section>
        <section aria-labelledby="snapshot-passport">
            <h2 id="snapshot-passport">{t!(i18n, review.passport_as_submitted)}</h2>
            <p>{t!(i18n, review.members)} " " {snapshot.members.join(", ")}</p>
            <dl class="passport">{passport}</dl>
        </section>
        {pages}
        {(!s.files.is_empty()).then(|| view! {
            <section aria-labelledby="snapshot-files">
                <h2 id="snapshot-files">{t!(i18n, review.files_as_submitted)}</h2>
                <ul>{files}</ul>
            </section>
        })}
        {(!s.diary.is_empty()).then(|| view! {
            <section aria-labelledby="snapshot-diary">
                <h2 id="snapshot-diary">{t!(i18n, review.diary)}</h2>
                {diary}
            </section>
        })}
    }
}

// ---------------------------------------------------------------------------------------------
// Notifications

/// `/notifications`: what happened on my projects, unread first in bold.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new_blocking(|| (), |_| load_notifications());
    view! {
        <PageTitle text=t_string!(i18n, review.notifications_title).to_owned() />
        <h1>{t!(i18n, review.notifications_title)}</h1>
        {loaded!(list, |n| view! { <NotificationList n /> })}
    }
}

fn notification_text(n: &Notification) -> String {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let who = n.actor.clone().unwrap_or_default();
    let stage = n.stage.as_ref().map(stage_label).unwrap_or_default();
    let number = n.submission.unwrap_or_default();
    match n.kind {
        NotificationKind::Submitted => t_string!(
            i18n,
            review.n_submitted,
            who = who.clone(),
            stage = stage.clone(),
            number = number
        ),
        NotificationKind::Returned => t_string!(
            i18n,
            review.n_returned,
            who = who.clone(),
            stage = stage.clone()
        ),
        NotificationKind::Accepted => t_string!(
            i18n,
            review.n_accepted,
            who = who.clone(),
            stage = stage.clone()
        ),
        NotificationKind::Remark => {
            t_string!(i18n, review.n_remark, who = who.clone(), number = number)
        }
        NotificationKind::Reply => {
            t_string!(i18n, review.n_reply, who = who.clone(), number = number)
        }
        NotificationKind::DueSoon => t_string!(
            i18n,
            review.n_due_soon,
            stage = stage.clone(),
            date = n.due_on.map(|d| format_date(locale, d)).unwrap_or_default()
        ),
        NotificationKind::ProposalAccepted => {
            t_string!(i18n, review.n_proposal_accepted, who = who.clone())
        }
        NotificationKind::ProposalDeclined => {
            t_string!(i18n, review.n_proposal_declined, who = who.clone())
        }
    }
}

#[component]
fn NotificationList(n: NotificationsView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let items = n
        .items
        .iter()
        .map(|item| {
            let class = if item.read { "notification" } else { "notification unread" };
            view! {
                <li class=class>
                    <p>
                        {(!item.read).then(|| view! { <span class="badge">{t!(i18n, review.unread_badge)}</span> " " })}
                        <a href=item.href()>{item.project_title.clone()}</a> ": " {notification_text(item)}
                    </p>
                    <p class="remark-meta">{format_date_time(locale, item.at)}
                        {(!item.read).then(|| view! {
                            " "
                            <form class="inline" method="post" action=MarkNotificationsRead::url()>
                                <input type="hidden" name="id" value=item.id.clone() />
                                <button type="submit" class="small">{t!(i18n, review.mark_read)}</button>
                            </form>
                        })}
                    </p>
                </li>
            }
        })
        .collect_view();
    view! {
        <p role="status">{t_string!(i18n, review.unread_count, n = n.unread)}</p>
        {(n.unread > 0).then(|| view! {
            <form method="post" action=MarkNotificationsRead::url()>
                <button type="submit">{t!(i18n, review.mark_all_read)}</button>
            </form>
        })}
        {n.items.is_empty().then(|| view! { <p>{t!(i18n, review.no_notifications)}</p> })}
        <ul class="notifications">{items}</ul>
    }
}

// ---------------------------------------------------------------------------------------------
// The dashboard

/// `/dashboard`: a supervisor's queue and projects by stage, a librarian's school boards, a
/// pupil's stage and what is asked of them, a parent's children's projects.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let board = Resource::new_blocking(|| (), |_| load_dashboard());
    view! {
        <PageTitle text=t_string!(i18n, review.dashboard_title).to_owned() />
        <h1>{t!(i18n, review.dashboard_title)}</h1>
        {loaded!(board, |d| view! { <DashboardBody d /> })}
    }
}

#[component]
fn QueueTable(items: Vec<QueueItem>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    if items.is_empty() {
        return view! { <p>{t!(i18n, review.queue_empty)}</p> }.into_any();
    }
    let rows = items
        .iter()
        .map(|q| view! {
            <tr>
                <td><a href=submission_href(&q.project_id, q.number)>{q.project_title.clone()} " · №" {q.number}</a></td>
                <td>{stage_label(&q.stage)}</td>
                <td>{q.members.join(", ")}</td>
                <td>{format_date_time(locale, q.submitted_at)}</td>
            </tr>
        })
        .collect_view();
    view! {
        <table class="list queue">
            <thead><tr>
                <th scope="col">{t!(i18n, review.project)}</th>
                <th scope="col">{t!(i18n, review.stage)}</th>
                <th scope="col">{t!(i18n, review.members)}</th>
                <th scope="col">{t!(i18n, review.submitted_at)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn StageTable(items: Vec<StageItem>, #[prop(optional)] pupil: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    if items.is_empty() {
        return view! { <p>{t!(i18n, review.no_projects)}</p> }.into_any();
    }
    let rows = items
        .iter()
        .map(|p| {
            let asked = if pupil {
                Some(match (p.standing, p.state) {
                    (Standing::Proposed, _) => t_string!(i18n, review.ask_wait_proposal),
                    (_, ReviewState::Working) => t_string!(i18n, review.ask_work),
                    (_, ReviewState::Returned) => t_string!(i18n, review.ask_revise),
                    (_, ReviewState::Submitted) => t_string!(i18n, review.ask_wait),
                    (_, ReviewState::Completed) => t_string!(i18n, review.ask_done),
                })
            } else {
                None
            };
            view! {
                <tr class=p.overdue.then_some("overdue-row")>
                    <td><a href=format!("/projects/{}/workflow", p.project_id)>{p.project_title.clone()}</a></td>
                    <td>{p.stage.as_ref().map(stage_label)}</td>
                    <td>{state_label(p.state, p.standing)}
                        {(p.open_remarks > 0).then(|| view! { " · " {t_string!(i18n, review.open_remarks, n = p.open_remarks)} })}
                    </td>
                    <td>{p.due_on.map(|d| format_date(locale, d))}
                        {p.overdue.then(|| view! { " " <strong class="overdue">{t!(i18n, review.overdue)}</strong> })}
                    </td>
                    {(!pupil).then(|| view! { <td>{p.members.join(", ")}</td> })}
                    {asked.map(|a| view! { <td>{a}</td> })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="list">
            <thead><tr>
                <th scope="col">{t!(i18n, review.project)}</th>
                <th scope="col">{t!(i18n, review.stage)}</th>
                <th scope="col">{t!(i18n, review.state)}</th>
                <th scope="col">{t!(i18n, review.due)}</th>
                {(!pupil).then(|| view! { <th scope="col">{t!(i18n, review.members)}</th> })}
                {pupil.then(|| view! { <th scope="col">{t!(i18n, review.asked)}</th> })}
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn SchoolBoardView(board: SchoolBoard) -> impl IntoView {
    let i18n = use_i18n();
    let heading_id = format!("board-{}", board.school.slug);
    let by_stage = board
        .by_stage
        .iter()
        .map(|(name, n)| view! { <tr><td>{stage_label(name)}</td><td>{*n}</td></tr> })
        .collect_view();
    let by_supervisor = board
        .by_supervisor
        .iter()
        .map(|(name, projects, waiting, overdue)| view! {
            <tr><td>{name.clone()}</td><td>{*projects}</td><td>{*waiting}</td><td>{*overdue}</td></tr>
        })
        .collect_view();
    view! {
        <section aria-labelledby=heading_id.clone() class="school-board">
            <h2 id=heading_id.clone()>{board.school.short_name.clone()}</h2>
            <p>
                <a href=format!("/manage/{}/projects", board.school.slug)>{t!(i18n, review.all_projects)}</a>
                " · " <a href=format!("/manage/{}/procedure", board.school.slug)>{t!(i18n, review.procedure_link)}</a>
                " · " <a href=format!("/manage/{}/catalog", board.school.slug)>{t!(i18n, catalog.admin_title)}</a>
            </p>
            <div class="board-tables">
                <table class="list">
                    <caption>{t!(i18n, review.by_stage)}</caption>
                    <thead><tr><th scope="col">{t!(i18n, review.stage)}</th><th scope="col">{t!(i18n, review.projects_count)}</th></tr></thead>
                    <tbody>{by_stage}</tbody>
                </table>
                <table class="list">
                    <caption>{t!(i18n, review.by_supervisor)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, review.supervisor)}</th>
                        <th scope="col">{t!(i18n, review.projects_count)}</th>
                        <th scope="col">{t!(i18n, review.waiting_count)}</th>
                        <th scope="col">{t!(i18n, review.overdue_count)}</th>
                    </tr></thead>
                    <tbody>{by_supervisor}</tbody>
                </table>
            </div>
            <h3>{t!(i18n, review.school_waiting)}</h3>
            <QueueTable items=board.waiting.clone() />
            <h3>{t!(i18n, review.school_overdue)}</h3>
            <StageTable items=board.overdue.clone() />
        </section>
    }
}

#[component]
fn DashboardBody(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let staff = !d.queue.is_empty() || !d.supervised.is_empty();
    let overdue: Vec<StageItem> = d.supervised.iter().filter(|p| p.overdue).cloned().collect();
    let schools = d
        .schools
        .iter()
        .map(|b| view! { <SchoolBoardView board=b.clone() /> })
        .collect_view();
    view! {
        <p><a href="/notifications">{t_string!(i18n, review.unread_count, n = d.unread)}</a></p>
        {(!d.mine.is_empty()).then(|| view! {
            <section aria-labelledby="mine">
                <h2 id="mine">{t!(i18n, review.my_stages)}</h2>
                <StageTable items=d.mine.clone() pupil=true />
            </section>
        })}
        {staff.then(|| view! {
            <section aria-labelledby="queue">
                <h2 id="queue">{t!(i18n, review.my_queue)} " (" {d.queue.len()} ")"</h2>
                <QueueTable items=d.queue.clone() />
            </section>
            <section aria-labelledby="overdue">
                <h2 id="overdue">{t!(i18n, review.my_overdue)}</h2>
                <StageTable items=overdue.clone() />
            </section>
            <section aria-labelledby="supervised">
                <h2 id="supervised">{t!(i18n, review.my_projects_by_stage)}</h2>
                <StageTable items=d.supervised.clone() />
            </section>
        })}
        {schools}
        {(!d.children.is_empty()).then(|| view! {
            <section aria-labelledby="children">
                <h2 id="children">{t!(i18n, review.children_projects)}</h2>
                <StageTable items=d.children.clone() />
            </section>
        })}
        {(d.mine.is_empty() && !staff && d.schools.is_empty() && d.children.is_empty())
            .then(|| view! { <p>{t!(i18n, review.dashboard_empty)}</p> })}
    }
}

// ---------------------------------------------------------------------------------------------
// Assessment

/// `/projects/:id/assessment`: the commission, each pupil's card by this assessor, and the
/// supervisor's review.
#[component]
pub fn AssessmentPage() -> impl IntoView {
    let id = param("id");
    let assessment = Resource::new_blocking(id, load_assessment);
    loaded!(assessment, |a| view! { <AssessmentBody a /> })
}

#[component]
fn AssessmentBody(a: AssessmentView) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveAssessment>::new();
    let save_error = form_error(save);
    let commission = ServerAction::<AddCommissionMember>::new();
    let commission_error = form_error(commission);
    let review = ServerAction::<SaveSupervisorReview>::new();
    let review_error = form_error(review);
    let review_typed = crate::forms::typed(SaveSupervisorReview::PATH);
    let pid = a.project_id.clone();
    let legend = a
        .criteria
        .iter()
        .map(|c| {
            let levels = criterion_levels(&c.text)
                .into_iter()
                .enumerate()
                .map(|(i, l)| view! { <li value=i.to_string()>{l}</li> })
                .collect_view();
            view! {
                <details class="criterion-levels">
                    <summary>{criterion_name(&c.text)}</summary>
                    <ol start="0">{levels}</ol>
                </details>
            }
        })
        .collect_view();
    let cards = a
        .cards
        .iter()
        .map(|card| {
            let fields = a
                .criteria
                .iter()
                .zip(card.scores.iter())
                .enumerate()
                .map(|(i, (c, score))| {
                    let id = format!("score-{}-{i}", card.pupil_id);
                    let options = (0..=MAX_SCORE)
                        .map(|n| view! { <option value=n.to_string() selected=*score == Some(n)>{n}</option> })
                        .collect_view();
                    view! {
                        <label for=id.clone()>{criterion_name(&c.text)}</label>
                        <select id=id name=format!("scores[{i}]")>
                            <option value="" selected=score.is_none()>"—"</option>
                            {options}
                        </select>
                    }
                })
                .collect_view();
            let total: i64 = card.scores.iter().flatten().sum();
            view! {
                <form method="post" action=SaveAssessment::url() class="card-form">
                    <fieldset>
                        <legend>{card.pupil_name.clone()}</legend>
                        <input type="hidden" name="project_id" value=pid.clone() />
                        <input type="hidden" name="pupil_id" value=card.pupil_id.clone() />
                        {fields}
                        <p>{t!(i18n, review.total)} " " {total} " / " {a.criteria.len() as i64 * MAX_SCORE}</p>
                        <button type="submit" class="primary">{t!(i18n, review.save_card)}</button>
                    </fieldset>
                </form>
            }
        })
        .collect_view();
    let commission_list = a
        .commission
        .iter()
        .map(|(id, name)| {
            let remove = a.may_manage.then(|| {
                view! {
                    " "
                    <form class="inline" method="post" action=RemoveCommissionMember::url()>
                        <input type="hidden" name="project_id" value=pid.clone() />
                        <input type="hidden" name="user_id" value=id.clone() />
                        <button type="submit" class="small">{t!(i18n, projects.remove)}</button>
                    </form>
                }
            });
            view! { <li>{name.clone()} {remove}</li> }
        })
        .collect_view();
    let choices = a
        .commission_choices
        .iter()
        .map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> })
        .collect_view();
    view! {
        <PageTitle text=format!("{} — {}", a.project_title, t_string!(i18n, review.assessment_title)) />
        <p class="breadcrumbs">
            <a href=project_href(&a.project_id)>{a.project_title.clone()}</a> " › "
            <a href=format!("/projects/{}/workflow", a.project_id)>{t!(i18n, review.workflow_title)}</a>
        </p>
        <h1>{t!(i18n, review.assessment_title)}</h1>
        <p>
            <a href=format!("/projects/{}/protocol", a.project_id)>{t!(i18n, review.protocol_link)}</a>
            " · " <a href=format!("/projects/{}/review-letter", a.project_id)>{t!(i18n, review.letter_link)}</a>
        </p>
        <section aria-labelledby="commission">
            <h2 id="commission">{t!(i18n, review.commission)}</h2>
            {a.commission.is_empty().then(|| view! { <p>{t!(i18n, review.no_commission)}</p> })}
            <ul>{commission_list}</ul>
            {(a.may_manage && !a.commission_choices.is_empty()).then(|| view! {
                {move || view! { <FormNotice error=commission_error() /> }}
                <form class="inline-form" method="post" action=AddCommissionMember::url()>
                    <input type="hidden" name="project_id" value=pid.clone() />
                    <label for="commission-member">{t!(i18n, review.add_to_commission)}</label>
                    <select id="commission-member" name="user_id">{choices}</select>
                    <button type="submit">{t!(i18n, review.add)}</button>
                </form>
            })}
        </section>
        <section aria-labelledby="cards">
            <h2 id="cards">{t!(i18n, review.cards)}</h2>
            {(!a.at_defence).then(|| view! { <p class="notice">{t!(i18n, review.not_at_defence)}</p> })}
            {(a.at_defence && !a.may_assess).then(|| view! { <p class="notice">{t!(i18n, review.not_an_assessor)}</p> })}
            {legend}
            {move || view! { <FormNotice error=save_error() /> }}
            {(a.at_defence && a.may_assess).then_some(cards)}
        </section>
        {a.is_supervisor.then(|| view! {
            <section aria-labelledby="review-letter">
                <h2 id="review-letter">{t!(i18n, review.supervisor_review)}</h2>
                {move || view! { <FormNotice error=review_error() /> }}
                <form method="post" action=SaveSupervisorReview::url()>
                    <input type="hidden" name="project_id" value=pid.clone() />
                    <label for="review-body">{t!(i18n, review.review_body)}</label>
                    <textarea id="review-body" name="body" rows="10" required maxlength="5000" aria-describedby="review-body-error">{review_typed.or("body", a.review_body.clone())}</textarea>
                    {move || view! { <FieldMessage id="review-body-error" problem=review_error().and_then(|e| e.field_problem("body")) /> }}
                    <button type="submit" class="primary">{t!(i18n, review.save_review)}</button>
                </form>
            </section>
        })}
    }
}

// ---------------------------------------------------------------------------------------------
// Printables

/// `/projects/:id/protocol`: the defence protocol, one printed page per pupil.
#[component]
pub fn ProtocolPage() -> impl IntoView {
    let id = param("id");
    let protocol = Resource::new_blocking(id, load_protocol);
    loaded!(protocol, |p| view! { <ProtocolBody p /> })
}

#[component]
fn ProtocolBody(p: ProtocolView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let kind = match p.kind {
        crate::projects::ProjectKind::Individual => t_string!(i18n, projects.kind_individual),
        crate::projects::ProjectKind::Collective => t_string!(i18n, projects.kind_collective),
    };
    let date = p.defence_on.map(|d| format_date(locale, d));
    let criterion_names: Vec<String> = p.criteria.iter().map(|c| criterion_name(&c.text)).collect();
    let header_cells = move || {
        criterion_names
            .iter()
            .map(|name| view! { <th scope="col">{name.clone()}</th> })
            .collect_view()
    };
    let sheets = p
        .pupils
        .iter()
        .map(|pupil| {
            let rows = pupil
                .assessors
                .iter()
                .map(|(name, scores, total)| {
                    let cells = scores
                        .iter()
                        .map(|s| view! { <td>{s.map(|n| n.to_string()).unwrap_or_else(|| "—".into())}</td> })
                        .collect_view();
                    view! { <tr><th scope="row">{name.clone()}</th>{cells}<td>{*total}</td></tr> }
                })
                .collect_view();
            let total = crate::format::format_decimal(locale, pupil.total);
            view! {
                <article class="protocol-sheet">
                    <h1>{t!(i18n, review.protocol_heading)}</h1>
                    <p class="protocol-school">{p.school_name.clone()} " · " {academic_year_label(p.academic_year)}</p>
                    <dl class="protocol-facts">
                        <dt>{t!(i18n, review.pupil)}</dt><dd>{pupil.name.clone()} {pupil.class.clone().map(|c| format!(", {c}"))}</dd>
                        <dt>{t!(i18n, review.project)}</dt><dd>{p.project_title.clone()} " (" {kind} ")"</dd>
                        {(!p.topic.is_empty()).then(|| view! { <dt>{t!(i18n, projects.topic)}</dt><dd>{p.topic.clone()}</dd> })}
                        {(!pupil.part.is_empty()).then(|| view! { <dt>{t!(i18n, review.part)}</dt><dd>{pupil.part.clone()}</dd> })}
                        <dt>{t!(i18n, review.supervisor)}</dt><dd>{p.supervisors.join(", ")}</dd>
                        <dt>{t!(i18n, review.commission)}</dt><dd>{p.commission.join(", ")}</dd>
                        <dt>{t!(i18n, review.defence_date)}</dt><dd>{date.clone().unwrap_or_else(|| "____________".into())}</dd>
                    </dl>
                    <table class="protocol-table">
                        <thead><tr><th scope="col">{t!(i18n, review.assessor)}</th>{header_cells()}<th scope="col">{t!(i18n, review.total)}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <p class="protocol-result">
                        {t!(i18n, review.mean_total)} " " <strong>{total}</strong> " / " {p.max_total}
                        " — " {t!(i18n, review.level)} " " <strong>{level_label(pupil.level)}</strong>
                    </p>
                    <p class="signatures">{t!(i18n, review.signatures)}</p>
                </article>
            }
        })
        .collect_view();
    view! {
        <PageTitle text=format!("{} — {}", p.project_title, t_string!(i18n, review.protocol_heading)) />
        <p class="breadcrumbs no-print"><a href=project_href(&p.project_id)>{p.project_title.clone()}</a></p>
        <p class="no-print hint">{t!(i18n, review.print_hint)}</p>
        {p.pupils.is_empty().then(|| view! { <p>{t!(i18n, review.no_pupils)}</p> })}
        {sheets}
    }
}

/// `/projects/:id/review-letter`: the supervisor's review, printable.
#[component]
pub fn ReviewLetterPage() -> impl IntoView {
    let id = param("id");
    let letter = Resource::new_blocking(id, load_review_letter);
    loaded!(letter, |l| view! { <ReviewLetterBody l /> })
}

#[component]
fn ReviewLetterBody(l: ReviewLetterView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let reviews = l
        .reviews
        .iter()
        .map(|(author, html, date)| view! {
            <article class="protocol-sheet">
                <h1>{t!(i18n, review.letter_heading)}</h1>
                <p class="protocol-school">{l.school_name.clone()}</p>
                <p>{t!(i18n, review.project)} " «" {l.project_title.clone()} "». " {t!(i18n, review.members)} " " {l.members.join(", ")}</p>
                <div class="markdown" inner_html=html.as_str().to_owned()></div>
                <p class="signatures">{t!(i18n, review.supervisor)} " " {author.clone()} " · " {format_date(locale, *date)} " · ____________"</p>
            </article>
        })
        .collect_view();
    view! {
        <PageTitle text=format!("{} — {}", l.project_title, t_string!(i18n, review.letter_heading)) />
        <p class="breadcrumbs no-print"><a href=project_href(&l.project_id)>{l.project_title.clone()}</a></p>
        {l.reviews.is_empty().then(|| view! { <p>{t!(i18n, review.no_review)}</p> })}
        {reviews}
    }
}

// ---------------------------------------------------------------------------------------------
// The school's procedure

/// `/manage/:slug/procedure`: the school's stages and assessment criteria.
#[component]
pub fn ProcedurePage() -> impl IntoView {
    let slug = param("slug");
    let procedure = Resource::new_blocking(slug, load_procedure);
    loaded!(procedure, |p| view! { <ProcedureBody p /> })
}

#[component]
fn ProcedureBody(p: ProcedureView) -> impl IntoView {
    let i18n = use_i18n();
    let rename = ServerAction::<RenameStage>::new();
    let rename_error = form_error(rename);
    let add = ServerAction::<AddStage>::new();
    let add_error = form_error(add);
    let delete = ServerAction::<DeleteStage>::new();
    let delete_error = form_error(delete);
    let criterion = ServerAction::<UpdateCriterion>::new();
    let criterion_error = form_error(criterion);
    let slug = p.school.slug.clone();
    let count = p.stages.len();
    let stages = p
        .stages
        .iter()
        .enumerate()
        .map(|(i, (stage, projects))| {
            let input_id = format!("stage-name-{}", stage.id);
            let own = match &stage.name {
                StageName::Own(n) => n.clone(),
                StageName::Default(_) => String::new(),
            };
            let movable = i > 0;
            view! {
                <li>
                    <strong>{stage_label(&stage.name)}</strong>
                    " · " {t_string!(i18n, review.projects_on_stage, n = *projects)}
                    <form class="inline" method="post" action=RenameStage::url()>
                        <input type="hidden" name="slug" value=slug.clone() />
                        <input type="hidden" name="stage_id" value=stage.id.clone() />
                        <label for=input_id.clone()>{t!(i18n, review.stage_name)}</label>
                        <input id=input_id name="name" value=own maxlength="120" />
                        <button type="submit" class="small">{t!(i18n, review.rename)}</button>
                    </form>
                    {(movable && i > 1).then(|| view! {
                        <form class="inline" method="post" action=MoveStage::url()>
                            <input type="hidden" name="slug" value=slug.clone() />
                            <input type="hidden" name="stage_id" value=stage.id.clone() />
                            <button type="submit" class="small" name="direction" value="up" aria-label=t_string!(i18n, review.move_up)>"↑"</button>
                        </form>
                    })}
                    {(movable && i + 1 < count).then(|| view! {
                        <form class="inline" method="post" action=MoveStage::url()>
                            <input type="hidden" name="slug" value=slug.clone() />
                            <input type="hidden" name="stage_id" value=stage.id.clone() />
                            <button type="submit" class="small" name="direction" value="down" aria-label=t_string!(i18n, review.move_down)>"↓"</button>
                        </form>
                    })}
                    {(movable && *projects == 0).then(|| view! {
                        <form class="inline" method="post" action=DeleteStage::url()>
                            <input type="hidden" name="slug" value=slug.clone() />
                            <input type="hidden" name="stage_id" value=stage.id.clone() />
                            <button type="submit" class="small">{t!(i18n, review.delete_stage)}</button>
                        </form>
                    })}
                </li>
            }
        })
        .collect_view();
    // A refused criterion comes back into its own form as it was typed.
    let criterion_typed = crate::forms::typed(UpdateCriterion::PATH);
    let criteria = p
        .criteria
        .iter()
        .map(|c| {
            let (name, lines) = match &c.text {
                CriterionText::Own { name, descriptors } => (name.clone(), descriptors.join("\n")),
                CriterionText::Default(_) => (String::new(), String::new()),
            };
            let (name, lines) = if criterion_typed.get("criterion_id") == c.id {
                (criterion_typed.get("name"), criterion_typed.get("descriptors"))
            } else {
                (name, lines)
            };
            let name_id = format!("criterion-name-{}", c.id);
            let lines_id = format!("criterion-levels-{}", c.id);
            view! {
                <form method="post" action=UpdateCriterion::url() class="criterion-form">
                    <fieldset>
                        <legend>{criterion_name(&c.text)}</legend>
                        <input type="hidden" name="slug" value=slug.clone() />
                        <input type="hidden" name="criterion_id" value=c.id.clone() />
                        <label for=name_id.clone()>{t!(i18n, review.criterion_name)}</label>
                        <input id=name_id name="name" value=name maxlength="120" />
                        <label for=lines_id.clone()>{t!(i18n, review.criterion_levels)}</label>
                        <textarea id=lines_id name="descriptors" rows="5" placeholder=criterion_levels(&c.text).join("\n")>{lines}</textarea>
                        <button type="submit" class="small">{t!(i18n, review.save)}</button>
                    </fieldset>
                </form>
            }
        })
        .collect_view();
    view! {
        <PageTitle text=format!("{} — {}", p.school.short_name, t_string!(i18n, review.procedure_title)) />
        <p class="breadcrumbs"><a href=format!("/manage/{}", p.school.slug)>{p.school.short_name.clone()}</a></p>
        <h1>{t!(i18n, review.procedure_title)}</h1>
        <p class="hint">{t!(i18n, review.procedure_explained)}</p>
        <section aria-labelledby="stage-list">
            <h2 id="stage-list">{t!(i18n, review.stages)}</h2>
            {move || view! { <FormNotice error=rename_error() /> }}
            {move || view! { <FieldMessage id="stage-name-error" problem=rename_error().and_then(|e| e.field_problem("name")) /> }}
            {move || view! { <FormNotice error=delete_error() /> }}
            <ol class="stages">{stages}</ol>
            {move || view! { <FormNotice error=add_error() /> }}
            <form class="inline-form" method="post" action=AddStage::url()>
                <input type="hidden" name="slug" value=slug.clone() />
                <label for="new-stage">{t!(i18n, review.new_stage)}</label>
                <input id="new-stage" name="name" required maxlength="120" aria-describedby="new-stage-error" />
                <button type="submit">{t!(i18n, review.add)}</button>
                {move || view! { <FieldMessage id="new-stage-error" problem=add_error().and_then(|e| e.field_problem("name")) /> }}
            </form>
        </section>
        <section aria-labelledby="criteria">
            <h2 id="criteria">{t!(i18n, review.criteria)}</h2>
            {move || view! { <FormNotice error=criterion_error() /> }}
            {move || view! { <FieldMessage id="criterion-error" problem=criterion_error().and_then(|e| e.field_problem("descriptors").or_else(|| e.field_problem("name"))) /> }}
            {criteria}
        </section>
    }
}
