//! A property test of the review workflow through the real router: no sequence of actions, by
//! anyone, reaches an invalid position of a project or changes a submission after it was made.
//!
//! Each case starts a fresh demo district and plays a random sequence of 12 to 25 actions (after
//! a prelude of 0 to 4 rounds of submitting and accepting, so that the last stage and its
//! completion are reached too) by random people: the pupil, the supervisor, the school's
//! librarian, and three who must be refused (the parent of another pupil, a pupil outside the
//! project, the district's coordinator who may only read it). The actions are the form posts of
//! a browser without JavaScript: edit a page on its current revision (sometimes with an image),
//! add, move, delete and restore pages, restore an old revision, change the passport's title and
//! goal, upload and delete files, write in the diary, submit the stage (also from a stale form),
//! accept, return with a comment, return without one, add a remark, reply to one.
//!
//! After every step, read straight from the database:
//! 1. the project's position is valid: its stage is one of its school's stages, its review state
//!    one of `working`, `submitted`, `returned`, `completed`; it is `submitted` exactly when one
//!    submission waits; `completed` only on the last stage; the stage never goes back. A small
//!    model of the workflow, written here independently of `app::review::workflow`, predicts for
//!    every action whether it is done or refused and why, and where the project then stands;
//! 2. every submission's snapshot (the passport, each page's frozen revision with its title, body
//!    and HTML, the files) is byte for byte what it was right after it was made, and a decision,
//!    once taken, never changes; after every step that was done, each submission's page, fetched
//!    as the supervisor, still shows the submitted HTML and nothing written after it, and its
//!    files are still served;
//! 3. a refused action changes nothing: a digest of every row that belongs to the project
//!    (pages, revisions, drafts, files, submissions and their snapshots, remarks, diary,
//!    notifications, audit records) is the same before and after.
//!
//! It found that a submission's page showed diary entries written later in the same second
//! (timestamps have whole seconds); a submission now records its diary entries.
//!
//! The cases are deterministic: a small pseudo-random generator seeded by the case number
//! (proptest is a dev-dependency of `app` only, not of `server`). A failure prints the seed and
//! every step so far; `REVIEW_PROPS_SEED=n` replays one case, `REVIEW_PROPS_CASES=n` runs `n`
//! cases per scenario instead of 6, `REVIEW_PROPS_LOG=1` prints the steps of every case.

mod common;

use std::collections::BTreeMap;

use common::{form_error_in, location, page_as, post_form, session, spawn_demo, TestApp};
use leptos::server_fn::ServerFn;

use app::projects::api::{
    AddPage, DecideProposal, DeleteFile, DeletePage, MovePage, RestorePage, RestoreRevision,
    SavePage, UpdatePassport, UploadFile,
};
use app::review::api::{AddDiaryEntry, AddRemark, DecideSubmission, ReplyToRemark, SubmitStage};

/// Cases per scenario unless `REVIEW_PROPS_CASES` says otherwise.
const CASES: u64 = 6;

/// Fails the case with its seed and history unless `cond` holds.
macro_rules! ensure {
    ($case:expr, $cond:expr, $($message:tt)+) => {
        if !$cond {
            $case.fail(&format!($($message)+));
        }
    };
}

// ---------------------------------------------------------------------------------------------
// The scenarios and the cases

/// A project of the demo and the pupil who works on it.
struct Scenario {
    name: &'static str,
    title: &'static str,
    pupil: &'static str,
    /// A pupil's proposal, approved by the supervisor before anything else.
    proposal: bool,
    /// Seeds are numbered apart so that the two scenarios never play the same sequence.
    first_seed: u64,
}

const LIGHTHOUSES: Scenario = Scenario {
    name: "lighthouses",
    title: "Маяки Татарского пролива",
    pupil: "zaitsev.d",
    proposal: false,
    first_seed: 0,
};

const PROPOSAL: Scenario = Scenario {
    name: "proposal",
    title: "Комикс по нанайской сказке «Айога»",
    pupil: "petrov.i",
    proposal: true,
    first_seed: 1000,
};

#[tokio::test]
async fn no_sequence_of_actions_breaks_the_lighthouses_project() {
    run_scenario(&LIGHTHOUSES).await;
}

#[tokio::test]
async fn no_sequence_of_actions_breaks_an_approved_proposal() {
    run_scenario(&PROPOSAL).await;
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

async fn run_scenario(scenario: &'static Scenario) {
    let seeds: Vec<u64> = match env_number("REVIEW_PROPS_SEED") {
        Some(seed) => vec![seed],
        None => {
            let cases = env_number("REVIEW_PROPS_CASES").unwrap_or(CASES);
            (scenario.first_seed..scenario.first_seed + cases).collect()
        }
    };
    for seed in seeds {
        let mut case = Case::start(scenario, seed).await;
        case.play().await;
    }
}

// ---------------------------------------------------------------------------------------------
// A deterministic pseudo-random generator

/// SplitMix64: tiny, deterministic and good enough to pick actions.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0 ..= n - 1 (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn between(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as usize) as i64
    }

    fn percent(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    fn weighted<T: Copy>(&mut self, items: &[(u64, T)]) -> T {
        let total: u64 = items.iter().map(|(w, _)| w).sum();
        let mut roll = self.next() % total;
        for (weight, item) in items {
            if roll < *weight {
                return *item;
            }
            roll -= weight;
        }
        items[items.len() - 1].1
    }
}

// ---------------------------------------------------------------------------------------------
// Who acts and what they do

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Actor {
    /// The project's pupil.
    Pupil,
    /// Its supervisor.
    Teacher,
    /// The school's librarian: reviews every project of the school.
    Librarian,
    /// The mother of a pupil who is not in the project.
    Parent,
    /// A pupil of the school outside the project.
    OtherPupil,
    /// The district's coordinator: reads every project, changes none.
    Coordinator,
}

impl Actor {
    const ALL: [Actor; 6] = [
        Actor::Pupil,
        Actor::Teacher,
        Actor::Librarian,
        Actor::Parent,
        Actor::OtherPupil,
        Actor::Coordinator,
    ];

    fn username(self, scenario: &Scenario) -> &'static str {
        match self {
            Actor::Pupil => scenario.pupil,
            Actor::Teacher => "uchitel.sosh1",
            Actor::Librarian => "bibl.sosh1",
            Actor::Parent => "roditel.ivanova",
            Actor::OtherPupil => "kim.s",
            Actor::Coordinator => "metodist",
        }
    }

    /// Members and staff change the working copy and answer remarks.
    fn writes(self) -> bool {
        matches!(self, Actor::Pupil | Actor::Teacher | Actor::Librarian)
    }

    /// Staff review.
    fn reviews(self) -> bool {
        matches!(self, Actor::Teacher | Actor::Librarian)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    EditPage,
    AddPage,
    DeletePage,
    RestorePage,
    MovePage,
    RestoreRevision,
    UpdatePassport,
    Upload,
    DeleteFile,
    Submit,
    /// Submitting from a page that showed another stage.
    SubmitStale,
    Accept,
    ReturnWithComment,
    ReturnWithoutComment,
    AddRemark,
    Reply,
    AddDiaryEntry,
    /// Only in the prelude of the proposal scenario.
    AcceptProposal,
}

/// How often each action is drawn: the workflow's moves often enough to reach the last stage.
const WEIGHTS: &[(u64, Action)] = &[
    (12, Action::EditPage),
    (4, Action::AddPage),
    (4, Action::DeletePage),
    (2, Action::RestorePage),
    (3, Action::MovePage),
    (5, Action::RestoreRevision),
    (5, Action::UpdatePassport),
    (3, Action::Upload),
    (3, Action::DeleteFile),
    (14, Action::Submit),
    (2, Action::SubmitStale),
    (11, Action::Accept),
    (6, Action::ReturnWithComment),
    (6, Action::ReturnWithoutComment),
    (8, Action::AddRemark),
    (6, Action::Reply),
    (4, Action::AddDiaryEntry),
];

/// What the model says an action must come to: done, or refused with this error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Done,
    Refused(&'static str),
}

/// What a done action changes in the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Effect {
    /// Only the working copy (pages, passport, files) or a thread.
    WorkingCopy,
    Submitted,
    Accepted,
    Returned,
    Remarked(i64),
    ProposalAccepted,
}

/// One attempted action, described for the history.
struct Attempt {
    what: String,
    expect: Expect,
    effect: Effect,
    /// Where the form post was sent (its `Location`), or why it was not redirected.
    to: String,
}

/// Where the project stands, as the workflow's rules say it must.
struct Model {
    /// The position of the stage a project stands on before any acceptance.
    start: i64,
    /// The position of the school's last stage.
    last: i64,
    position: i64,
    state: &'static str,
    accepted: i64,
    submissions: i64,
    waiting: Option<i64>,
    /// Remarks (not replies) per submission number.
    remarks: BTreeMap<i64, i64>,
}

impl Model {
    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::WorkingCopy => {}
            Effect::Submitted => {
                self.submissions += 1;
                self.waiting = Some(self.submissions);
                self.state = "submitted";
            }
            Effect::Accepted => {
                self.accepted += 1;
                self.waiting = None;
                if self.position == self.last {
                    self.state = "completed";
                } else {
                    self.position += 1;
                    self.state = "working";
                }
            }
            Effect::Returned => {
                self.waiting = None;
                self.state = "returned";
            }
            Effect::Remarked(number) => *self.remarks.entry(number).or_default() += 1,
            Effect::ProposalAccepted => {
                self.submissions += 1;
                self.accepted += 1;
                self.position += 1;
                self.state = "working";
            }
        }
    }

    /// A reviewer's decision on submission `number`; `needs_remarks` when returning it without
    /// a comment.
    fn decision(&self, actor: Actor, number: i64, needs_remarks: bool) -> Expect {
        if !actor.reviews() {
            Expect::Refused("Forbidden")
        } else if number < 1 || number > self.submissions {
            Expect::Refused("NotFound")
        } else if self.waiting != Some(number) {
            Expect::Refused("Conflict")
        } else if needs_remarks && self.remarks.get(&number).copied().unwrap_or(0) == 0 {
            Expect::Refused("RemarksRequired")
        } else {
            Expect::Done
        }
    }
}

/// A write to the working copy: done by members and staff, refused to everyone else.
fn writer(actor: Actor) -> Expect {
    if actor.writes() {
        Expect::Done
    } else {
        Expect::Refused("Forbidden")
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshots as they were made

/// A page of a snapshot: the frozen revision with its text.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
struct FrozenPage {
    page_id: String,
    position: i64,
    revision: i64,
    title: String,
    body: String,
    html: String,
    toc: String,
}

/// A file of a snapshot: id, name at submission, type, hash, and its stored variants.
type FrozenFile = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Everything a submission froze, read from the database.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Frozen {
    id: String,
    number: i64,
    stage_id: String,
    passport: String,
    submitted_by: Option<String>,
    submitted_at: String,
    pages: Vec<FrozenPage>,
    files: Vec<FrozenFile>,
}

/// (state, decided by, decided at, comment) once decided.
type Decision = (String, Option<String>, Option<String>, String);

/// A snapshot recorded right after its submission, with the step that made it.
struct Recorded {
    frozen: Frozen,
    made_at: usize,
    decision: Option<Decision>,
    /// The files its pages' images and its file list link to that were served when it was made.
    served: Vec<String>,
}

/// The ids of the files an HTML text links to (`/files/{id}`).
fn file_links(html: &str) -> Vec<String> {
    let mut ids: Vec<String> = html
        .split("/files/")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .filter(|id| !id.is_empty())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// A submission row with its decision columns.
#[derive(sqlx::FromRow)]
struct SubmissionRow {
    id: String,
    number: i64,
    stage_id: String,
    passport: String,
    submitted_by: Option<String>,
    submitted_at: String,
    state: String,
    decided_by: Option<String>,
    decided_at: Option<String>,
    decision_comment: String,
}

/// The rows a digest covers: table and the condition that picks the project's rows ($1 = id).
const DIGESTED: &[(&str, &str)] = &[
    ("projects", "id = $1"),
    ("project_members", "project_id = $1"),
    ("project_supervisors", "project_id = $1"),
    ("project_tags", "project_id = $1"),
    ("pages", "project_id = $1"),
    (
        "page_revisions",
        "page_id IN (SELECT id FROM pages WHERE project_id = $1)",
    ),
    (
        "page_drafts",
        "page_id IN (SELECT id FROM pages WHERE project_id = $1)",
    ),
    ("files", "project_id = $1"),
    (
        "file_contents",
        "file_id IN (SELECT id FROM files WHERE project_id = $1)",
    ),
    ("submissions", "project_id = $1"),
    (
        "submission_pages",
        "submission_id IN (SELECT id FROM submissions WHERE project_id = $1)",
    ),
    (
        "submission_files",
        "submission_id IN (SELECT id FROM submissions WHERE project_id = $1)",
    ),
    ("remarks", "project_id = $1"),
    ("notifications", "project_id = $1"),
    ("stage_dues", "project_id = $1"),
    ("diary_entries", "project_id = $1"),
    ("audit_log", "subject_id = $1"),
];

// ---------------------------------------------------------------------------------------------
// One case

struct PageInfo {
    id: String,
    title: String,
    revision: i64,
    deleted: bool,
}

struct Case {
    scenario: &'static Scenario,
    seed: u64,
    rng: Rng,
    app: TestApp,
    project: String,
    school: String,
    cookies: Vec<(Actor, String)>,
    model: Model,
    recorded: Vec<Recorded>,
    /// Unique words written into the working copy, with the step that wrote them.
    markers: Vec<(String, usize)>,
    counter: u64,
    step: usize,
    highest_position: i64,
    history: Vec<String>,
    /// The prelude decides the latest submission; random steps sometimes pick another.
    prelude: bool,
}

impl Case {
    async fn start(scenario: &'static Scenario, seed: u64) -> Case {
        let app = spawn_demo().await;
        let (project, school): (String, String) =
            sqlx::query_as("SELECT id, school_id FROM projects WHERE title = $1")
                .bind(scenario.title)
                .fetch_one(&app.pool)
                .await
                .expect("the scenario's project in the demo");
        let mut cookies = Vec::new();
        for actor in Actor::ALL {
            cookies.push((actor, session(&app, actor.username(scenario)).await));
        }
        let (position, last): (i64, i64) = sqlx::query_as(
            "SELECT s.position, (SELECT MAX(position) FROM stages WHERE school_id = p.school_id) \
             FROM projects p JOIN stages s ON s.id = p.stage_id WHERE p.id = $1",
        )
        .bind(&project)
        .fetch_one(&app.pool)
        .await
        .expect("the project's stage");
        Case {
            scenario,
            seed,
            rng: Rng::new(seed),
            app,
            project,
            school,
            cookies,
            model: Model {
                start: position,
                last,
                position,
                state: "working",
                accepted: 0,
                submissions: 0,
                waiting: None,
                remarks: BTreeMap::new(),
            },
            recorded: Vec::new(),
            markers: Vec::new(),
            counter: 0,
            step: 0,
            highest_position: position,
            history: Vec::new(),
            prelude: true,
        }
    }

    fn fail(&self, message: &str) -> ! {
        panic!(
            "scenario {}, seed {} (replay with REVIEW_PROPS_SEED={}), step {}: {message}\n\
             steps:\n{}",
            self.scenario.name,
            self.seed,
            self.seed,
            self.step,
            self.history.join("\n")
        );
    }

    fn cookie(&self, actor: Actor) -> &str {
        self.cookies
            .iter()
            .find(|(a, _)| *a == actor)
            .map(|(_, c)| c.as_str())
            .unwrap_or_else(|| self.fail(&format!("no session for {actor:?}")))
    }

    /// A number never used before in this case.
    fn next_number(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// A unique word written at this step ("правка7ж": no marker is part of another).
    fn marker(&mut self, prefix: &str) -> String {
        let marker = format!("{prefix}{}ж", self.next_number());
        self.markers.push((marker.clone(), self.step));
        marker
    }

    async fn play(&mut self) {
        self.check_invariants().await;
        if self.scenario.proposal {
            self.perform(Actor::Teacher, Action::AcceptProposal).await;
        }
        // The prelude takes the project 0 to 4 stages on (by the seed, so that every few cases
        // one starts on the last stage and may well complete it).
        for _ in 0..self.seed % 5 {
            self.perform(Actor::Pupil, Action::Submit).await;
            let reviewer = self.rng.pick(&[Actor::Teacher, Actor::Librarian]);
            self.perform(reviewer, Action::Accept).await;
        }
        self.prelude = false;
        let steps = self.rng.between(12, 25);
        for _ in 0..steps {
            let action = self.rng.weighted(WEIGHTS);
            let actor = if self.rng.percent(55) {
                self.natural_actor(action)
            } else {
                self.rng.pick(&Actor::ALL)
            };
            self.perform(actor, action).await;
        }
        self.check_submission_pages().await;
        if std::env::var_os("REVIEW_PROPS_LOG").is_some() {
            eprintln!(
                "scenario {}, seed {}:\n{}",
                self.scenario.name,
                self.seed,
                self.history.join("\n")
            );
        }
    }

    /// Who would usually do `action`.
    fn natural_actor(&mut self, action: Action) -> Actor {
        match action {
            Action::Submit | Action::SubmitStale => Actor::Pupil,
            Action::Accept
            | Action::ReturnWithComment
            | Action::ReturnWithoutComment
            | Action::AddRemark
            | Action::AcceptProposal => self.rng.pick(&[Actor::Teacher, Actor::Librarian]),
            Action::Reply => self.rng.pick(&[Actor::Pupil, Actor::Teacher]),
            _ => self
                .rng
                .pick(&[Actor::Pupil, Actor::Pupil, Actor::Teacher, Actor::Librarian]),
        }
    }

    /// Attempts one action and checks its outcome and every invariant.
    async fn perform(&mut self, actor: Actor, action: Action) {
        self.step += 1;
        let before = self.digest().await;
        let attempt = self.attempt(actor, action).await;
        let error = form_error_in(&attempt.to);
        let done = !attempt.to.contains("__err") && !attempt.to.starts_with('(');
        self.history.push(format!(
            "{:>3}. {actor:?}: {} → {}",
            self.step,
            attempt.what,
            if done {
                "done".to_owned()
            } else if error.is_empty() {
                attempt.to.clone()
            } else {
                format!("refused {error}")
            }
        ));
        match attempt.expect {
            Expect::Done => ensure!(
                self,
                done,
                "expected to be done, went to {} ({error})",
                attempt.to
            ),
            Expect::Refused(why) => ensure!(
                self,
                !done && error.contains(why),
                "expected to be refused with {why}, went to {} ({error})",
                attempt.to
            ),
        }
        if done {
            if attempt.effect == Effect::Submitted {
                let number = self.model.submissions + 1;
                ensure!(
                    self,
                    attempt
                        .to
                        .ends_with(&format!("/projects/{}/submissions/{number}", self.project)),
                    "a submission goes to its page №{number}: {}",
                    attempt.to
                );
            }
            self.model.apply(attempt.effect);
            if let Some(line) = self.history.last_mut() {
                line.push_str(&format!(
                    " (now stage {}, {})",
                    self.model.position, self.model.state
                ));
            }
        } else {
            let after = self.digest().await;
            if before != after {
                let removed: Vec<_> = before.iter().filter(|r| !after.contains(r)).collect();
                let added: Vec<_> = after.iter().filter(|r| !before.contains(r)).collect();
                self.fail(&format!(
                    "a refused action changed the project:\nbefore: {removed:#?}\nafter: {added:#?}"
                ));
            }
        }
        self.check_invariants().await;
        if done {
            self.check_submission_pages().await;
        }
    }

    // -----------------------------------------------------------------------------------------
    // The actions

    async fn attempt(&mut self, actor: Actor, action: Action) -> Attempt {
        match action {
            Action::EditPage => self.edit_page(actor).await,
            Action::AddPage => self.add_page(actor).await,
            Action::DeletePage => self.delete_page(actor).await,
            Action::RestorePage => self.restore_page(actor).await,
            Action::MovePage => self.move_page(actor).await,
            Action::RestoreRevision => self.restore_revision(actor).await,
            Action::UpdatePassport => self.update_passport(actor).await,
            Action::Upload => self.upload(actor).await,
            Action::DeleteFile => self.delete_file(actor).await,
            Action::Submit => self.submit(actor, false).await,
            Action::SubmitStale => self.submit(actor, true).await,
            Action::Accept => self.decide(actor, "accept", "").await,
            Action::ReturnWithComment => {
                self.decide(actor, "return", "Добавьте вывод по каждому маяку.")
                    .await
            }
            Action::ReturnWithoutComment => self.decide(actor, "return", "").await,
            Action::AddRemark => self.add_remark(actor).await,
            Action::Reply => self.reply(actor).await,
            Action::AddDiaryEntry => self.add_diary_entry(actor).await,
            Action::AcceptProposal => self.accept_proposal(actor).await,
        }
    }

    /// A form post as a browser without JavaScript sends it; where it was redirected.
    async fn post(&self, actor: Actor, path: &str, form: &[(&str, &str)]) -> String {
        let response = post_form(&self.app, path, self.cookie(actor), "/dashboard", form).await;
        let to = location(&response);
        if to.is_empty() {
            format!("(no redirect: HTTP {})", response.status())
        } else {
            to
        }
    }

    async fn pages(&self) -> Vec<PageInfo> {
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT id, title, revision, deleted_at IS NOT NULL FROM pages \
             WHERE project_id = $1 ORDER BY position, id",
        )
        .bind(&self.project)
        .fetch_all(&self.app.pool)
        .await
        .expect("pages");
        rows.into_iter()
            .map(|(id, title, revision, deleted)| PageInfo {
                id,
                title,
                revision,
                deleted: deleted != 0,
            })
            .collect()
    }

    /// A page to write to: a live one mostly, sometimes a deleted one (refused as not found).
    async fn some_page(&mut self) -> Option<PageInfo> {
        let (deleted, live): (Vec<PageInfo>, Vec<PageInfo>) =
            self.pages().await.into_iter().partition(|p| p.deleted);
        let mut from = if !deleted.is_empty() && (live.is_empty() || self.rng.percent(15)) {
            deleted
        } else {
            live
        };
        if from.is_empty() {
            return None;
        }
        let at = self.rng.below(from.len());
        Some(from.swap_remove(at))
    }

    async fn edit_page(&mut self, actor: Actor) -> Attempt {
        let Some(page) = self.some_page().await else {
            return self.add_page(actor).await;
        };
        let marker = self.marker("правка");
        let mut body = format!(
            "## Раздел {}\n\nТекст {marker}.\n\n### Подробности\n\nЕщё одна строка.\n",
            self.next_number()
        );
        // Sometimes with one of the project's images.
        let images: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM files WHERE project_id = $1 AND deleted_at IS NULL ORDER BY name",
        )
        .bind(&self.project)
        .fetch_all(&self.app.pool)
        .await
        .expect("images");
        if !images.is_empty() && self.rng.percent(40) {
            body.push_str(&format!("\n![Рисунок]({})\n", self.rng.pick(&images)));
        }
        let base = page.revision.to_string();
        let to = self
            .post(
                actor,
                SavePage::url(),
                &[
                    ("page_id", &page.id),
                    ("base_revision", &base),
                    ("title", &page.title),
                    ("body", &body),
                    ("summary", ""),
                ],
            )
            .await;
        let expect = match writer(actor) {
            Expect::Done if page.deleted => Expect::Refused("NotFound"),
            other => other,
        };
        Attempt {
            what: format!(
                "saves «{}» (deleted: {}) on revision {base} with {marker}",
                page.title, page.deleted
            ),
            expect,
            effect: Effect::WorkingCopy,
            to,
        }
    }

    async fn add_page(&mut self, actor: Actor) -> Attempt {
        let title = format!("Страница {}", self.next_number());
        let to = self
            .post(
                actor,
                AddPage::url(),
                &[("project_id", &self.project), ("title", &title)],
            )
            .await;
        Attempt {
            what: format!("adds the page «{title}»"),
            expect: writer(actor),
            effect: Effect::WorkingCopy,
            to,
        }
    }

    async fn delete_page(&mut self, actor: Actor) -> Attempt {
        let live: Vec<PageInfo> = self
            .pages()
            .await
            .into_iter()
            .filter(|p| !p.deleted)
            .collect();
        if live.is_empty() {
            return self.add_page(actor).await;
        }
        let page = &live[self.rng.below(live.len())];
        let to = self
            .post(actor, DeletePage::url(), &[("page_id", &page.id)])
            .await;
        Attempt {
            what: format!("deletes the page «{}»", page.title),
            expect: writer(actor),
            effect: Effect::WorkingCopy,
            to,
        }
    }

    async fn restore_page(&mut self, actor: Actor) -> Attempt {
        let deleted: Vec<PageInfo> = self
            .pages()
            .await
            .into_iter()
            .filter(|p| p.deleted)
            .collect();
        if deleted.is_empty() {
            return self.delete_page(actor).await;
        }
        let page = &deleted[self.rng.below(deleted.len())];
        let to = self
            .post(actor, RestorePage::url(), &[("page_id", &page.id)])
            .await;
        Attempt {
            what: format!("brings back the deleted page «{}»", page.title),
            expect: writer(actor),
            effect: Effect::WorkingCopy,
            to,
        }
    }

    async fn move_page(&mut self, actor: Actor) -> Attempt {
        let Some(page) = self.some_page().await else {
            return self.add_page(actor).await;
        };
        let direction = self.rng.pick(&["up", "down"]);
        let to = self
            .post(
                actor,
                MovePage::url(),
                &[("page_id", &page.id), ("direction", direction)],
            )
            .await;
        let expect = match writer(actor) {
            Expect::Done if page.deleted => Expect::Refused("NotFound"),
            other => other,
        };
        Attempt {
            what: format!(
                "moves «{}» {direction} (deleted: {})",
                page.title, page.deleted
            ),
            expect,
            effect: Effect::WorkingCopy,
            to,
        }
    }

    async fn restore_revision(&mut self, actor: Actor) -> Attempt {
        let Some(page) = self.some_page().await else {
            return self.add_page(actor).await;
        };
        // Sometimes a revision that does not exist.
        let number = if self.rng.percent(90) {
            self.rng.between(1, page.revision)
        } else {
            page.revision + 3
        };
        let n = number.to_string();
        let to = self
            .post(
                actor,
                RestoreRevision::url(),
                &[("page_id", &page.id), ("number", &n)],
            )
            .await;
        let expect = match writer(actor) {
            Expect::Done if page.deleted || number > page.revision => Expect::Refused("NotFound"),
            other => other,
        };
        Attempt {
            what: format!(
                "restores revision {number} of «{}» (at {}, deleted: {})",
                page.title, page.revision, page.deleted
            ),
            expect,
            effect: Effect::WorkingCopy,
            to,
        }
    }

    async fn update_passport(&mut self, actor: Actor) -> Attempt {
        type Fields = (
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
        );
        let (topic, subject, project_type, relevance, tasks, hypothesis, product, tags): Fields =
            sqlx::query_as(
                "SELECT topic, subject, project_type, relevance, tasks, hypothesis, product, \
                 (SELECT group_concat(tag, ', ') FROM project_tags WHERE project_id = p.id) \
                 FROM projects p WHERE id = $1",
            )
            .bind(&self.project)
            .fetch_one(&self.app.pool)
            .await
            .expect("passport");
        let title = format!("Проект {}", self.marker("заголовок"));
        let goal = format!("Проверить {}.", self.marker("цель"));
        let to = self
            .post(
                actor,
                UpdatePassport::url(),
                &[
                    ("project_id", &self.project),
                    ("title", &title),
                    ("topic", &topic),
                    ("subject", &subject),
                    ("project_type", &project_type),
                    ("relevance", &relevance),
                    ("goal", &goal),
                    ("tasks", &tasks),
                    ("hypothesis", &hypothesis),
                    ("product", &product),
                    ("tags", &tags.unwrap_or_default()),
                ],
            )
            .await;
        Attempt {
            what: format!("sets the title «{title}» and the goal «{goal}»"),
            expect: writer(actor),
            effect: Effect::WorkingCopy,
            to,
        }
    }

    async fn upload(&mut self, actor: Actor) -> Attempt {
        let marker = self.marker("фото");
        let name = format!("{marker}.png");
        let shade = (self.counter % 200) as u8;
        let image = image::RgbImage::from_pixel(16, 12, image::Rgb([shade, 90, 160]));
        let mut png = std::io::Cursor::new(Vec::new());
        image
            .write_to(&mut png, image::ImageFormat::Png)
            .expect("a PNG");
        let boundary = "review-props-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"project_id\"\r\n\r\n{}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: image/png\r\n\r\n",
            self.project
        )
        .into_bytes();
        body.extend_from_slice(&png.into_inner());
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let response = self
            .app
            .client
            .post(self.app.url(UploadFile::url()))
            .header(reqwest::header::ACCEPT, "text/html")
            .header(reqwest::header::REFERER, self.app.url("/dashboard"))
            .header("sec-fetch-site", "same-origin")
            .header(reqwest::header::COOKIE, self.cookie(actor))
            .header(
                reqwest::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .expect("upload");
        let mut to = location(&response);
        if to.is_empty() {
            to = format!("(no redirect: HTTP {})", response.status());
        }
        Attempt {
            what: format!("uploads {name}"),
            expect: writer(actor),
            effect: Effect::WorkingCopy,
            to,
        }
    }

    async fn delete_file(&mut self, actor: Actor) -> Attempt {
        let files: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT id, name, deleted_at IS NOT NULL FROM files WHERE project_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(&self.project)
        .fetch_all(&self.app.pool)
        .await
        .expect("files");
        let (hidden, live): (Vec<_>, Vec<_>) = files.into_iter().partition(|f| f.2 != 0);
        // A file a snapshot keeps is hidden, not removed: deleting it again is not found.
        let from = if !hidden.is_empty() && (live.is_empty() || self.rng.percent(15)) {
            hidden
        } else {
            live
        };
        if from.is_empty() {
            return self.upload(actor).await;
        }
        let (id, name, hidden) = from[self.rng.below(from.len())].clone();
        let to = self
            .post(
                actor,
                DeleteFile::url(),
                &[("project_id", &self.project), ("file_id", &id)],
            )
            .await;
        let expect = match writer(actor) {
            Expect::Done if hidden != 0 => Expect::Refused("NotFound"),
            other => other,
        };
        Attempt {
            what: format!("deletes the file {name}"),
            expect,
            effect: Effect::WorkingCopy,
            to,
        }
    }

    async fn stages(&self) -> Vec<String> {
        sqlx::query_scalar("SELECT id FROM stages WHERE school_id = $1 ORDER BY position")
            .bind(&self.school)
            .fetch_all(&self.app.pool)
            .await
            .expect("stages")
    }

    async fn current_stage(&self) -> String {
        sqlx::query_scalar("SELECT stage_id FROM projects WHERE id = $1")
            .bind(&self.project)
            .fetch_one(&self.app.pool)
            .await
            .expect("the current stage")
    }

    async fn submit(&mut self, actor: Actor, stale: bool) -> Attempt {
        let current = self.current_stage().await;
        let stage = if stale {
            let others: Vec<String> = self
                .stages()
                .await
                .into_iter()
                .filter(|s| *s != current)
                .collect();
            self.rng.pick(&others)
        } else {
            current
        };
        let to = self
            .post(
                actor,
                SubmitStage::url(),
                &[("project_id", &self.project), ("stage_id", &stage)],
            )
            .await;
        let expect = if actor != Actor::Pupil {
            Expect::Refused("Forbidden")
        } else if stale || !matches!(self.model.state, "working" | "returned") {
            Expect::Refused("Conflict")
        } else {
            Expect::Done
        };
        Attempt {
            what: if stale {
                "submits from a stale form (another stage)".to_owned()
            } else {
                format!("submits the stage (project {})", self.model.state)
            },
            expect,
            effect: Effect::Submitted,
            to,
        }
    }

    /// The submission a reviewer acts on: the latest mostly, sometimes an older one or one
    /// that does not exist.
    fn some_submission(&mut self) -> i64 {
        let latest = self.model.submissions;
        if self.prelude || (latest > 0 && self.rng.percent(75)) {
            latest
        } else {
            self.rng.between(1, latest + 1)
        }
    }

    async fn decide(&mut self, actor: Actor, decision: &str, comment: &str) -> Attempt {
        let number = self.some_submission();
        let n = number.to_string();
        let to = self
            .post(
                actor,
                DecideSubmission::url(),
                &[
                    ("project_id", &self.project),
                    ("number", &n),
                    ("decision", decision),
                    ("comment", comment),
                ],
            )
            .await;
        let returning = decision == "return";
        Attempt {
            what: format!(
                "{decision}s №{number} {} (waiting: {:?}, remarks: {})",
                if comment.is_empty() {
                    "without a comment"
                } else {
                    "with a comment"
                },
                self.model.waiting,
                self.model.remarks.get(&number).copied().unwrap_or(0)
            ),
            expect: self
                .model
                .decision(actor, number, returning && comment.is_empty()),
            effect: if returning {
                Effect::Returned
            } else {
                Effect::Accepted
            },
            to,
        }
    }

    async fn add_remark(&mut self, actor: Actor) -> Attempt {
        let number = self.some_submission();
        // On the whole, on a page of the snapshot or on one of its headings.
        let pages: Vec<(String, String)> = sqlx::query_as(
            "SELECT sp.page_id, r.toc FROM submission_pages sp \
             JOIN submissions s ON s.id = sp.submission_id \
             JOIN page_revisions r ON r.page_id = sp.page_id AND r.number = sp.revision \
             WHERE s.project_id = $1 AND s.number = $2 ORDER BY sp.position",
        )
        .bind(&self.project)
        .bind(number)
        .fetch_all(&self.app.pool)
        .await
        .expect("snapshot pages");
        let mut anchors = vec![String::new()];
        for (page, toc) in &pages {
            anchors.push(page.clone());
            let toc: Vec<serde_json::Value> = serde_json::from_str(toc).unwrap_or_default();
            for entry in toc {
                if let Some(anchor) = entry.get("anchor").and_then(|a| a.as_str()) {
                    anchors.push(format!("{page}#{anchor}"));
                }
            }
        }
        let anchor = self.rng.pick(&anchors);
        let n = number.to_string();
        let to = self
            .post(
                actor,
                AddRemark::url(),
                &[
                    ("project_id", &self.project),
                    ("number", &n),
                    ("anchor", &anchor),
                    ("body", "Уточните источник этих сведений."),
                ],
            )
            .await;
        // Remarks go on a waiting submission, by reviewers: as for a decision.
        let expect = self.model.decision(actor, number, false);
        Attempt {
            what: format!(
                "remarks on №{number} at «{}» (waiting: {:?})",
                anchor.split('#').nth(1).unwrap_or(if anchor.is_empty() {
                    "the whole"
                } else {
                    "a page"
                }),
                self.model.waiting
            ),
            expect,
            effect: Effect::Remarked(number),
            to,
        }
    }

    async fn reply(&mut self, actor: Actor) -> Attempt {
        let remarks: Vec<(String, i64)> = sqlx::query_as(
            "SELECT id, parent_id IS NULL FROM remarks WHERE project_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(&self.project)
        .fetch_all(&self.app.pool)
        .await
        .expect("remarks");
        let (roots, replies): (Vec<_>, Vec<_>) = remarks.into_iter().partition(|r| r.1 != 0);
        if roots.is_empty() {
            return self.add_remark(actor).await;
        }
        // Threads are one level deep: answering a reply is a bad request.
        let to_reply = !replies.is_empty() && self.rng.percent(15);
        let (remark, _) = if to_reply {
            self.rng.pick(&replies)
        } else {
            self.rng.pick(&roots)
        };
        let to = self
            .post(
                actor,
                ReplyToRemark::url(),
                &[
                    ("remark_id", &remark),
                    ("body", "Исправлю к следующей сдаче."),
                ],
            )
            .await;
        // Members and reviewers answer: the same people as the writers.
        let expect = match writer(actor) {
            Expect::Done if to_reply => Expect::Refused("BadRequest"),
            other => other,
        };
        Attempt {
            what: format!("replies to a {}", if to_reply { "reply" } else { "remark" }),
            expect,
            effect: Effect::WorkingCopy,
            to,
        }
    }

    async fn add_diary_entry(&mut self, actor: Actor) -> Attempt {
        let body = format!("Сегодня {}.", self.marker("запись"));
        let to = self
            .post(
                actor,
                AddDiaryEntry::url(),
                &[
                    ("project_id", &self.project),
                    ("entry_date", ""),
                    ("body", &body),
                ],
            )
            .await;
        Attempt {
            what: format!("writes in the diary «{body}»"),
            expect: writer(actor),
            effect: Effect::WorkingCopy,
            to,
        }
    }

    async fn accept_proposal(&mut self, actor: Actor) -> Attempt {
        let to = self
            .post(
                actor,
                DecideProposal::url(),
                &[
                    ("project_id", &self.project),
                    ("decision", "accept"),
                    ("comment", "Тема утверждена."),
                ],
            )
            .await;
        Attempt {
            what: "approves the proposal".to_owned(),
            expect: if actor.reviews() {
                Expect::Done
            } else {
                Expect::Refused("Forbidden")
            },
            effect: Effect::ProposalAccepted,
            to,
        }
    }

    // -----------------------------------------------------------------------------------------
    // The invariants

    /// Every row that belongs to the project, each as its columns' SQL literals.
    async fn digest(&self) -> Vec<String> {
        let mut rows = Vec::new();
        for (table, filter) in DIGESTED {
            let columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                    .bind(table)
                    .fetch_all(&self.app.pool)
                    .await
                    .expect("columns");
            let literals = columns
                .iter()
                .map(|c| format!("quote({c})"))
                .collect::<Vec<_>>()
                .join(" || ',' || ");
            let sql =
                format!("SELECT '{table}: ' || {literals} FROM {table} WHERE {filter} ORDER BY 1");
            let mut table_rows: Vec<String> = sqlx::query_scalar(&sql)
                .bind(&self.project)
                .fetch_all(&self.app.pool)
                .await
                .unwrap_or_else(|e| panic!("digest of {table}: {e}"));
            rows.append(&mut table_rows);
        }
        rows
    }

    async fn check_invariants(&mut self) {
        self.check_position().await;
        self.check_snapshots().await;
    }

    /// 1. The project stands on a valid position, the one the model says.
    async fn check_position(&mut self) {
        type Standing = (Option<String>, String, String, Option<String>, Option<i64>);
        let (stage_id, state, status, stage_school, position): Standing = sqlx::query_as(
            "SELECT p.stage_id, p.review_state, p.status, s.school_id, s.position \
             FROM projects p LEFT JOIN stages s ON s.id = p.stage_id WHERE p.id = $1",
        )
        .bind(&self.project)
        .fetch_one(&self.app.pool)
        .await
        .expect("standing");
        ensure!(
            self,
            stage_school.as_deref() == Some(self.school.as_str()),
            "the stage {stage_id:?} is not one of the school's stages"
        );
        let position = position.unwrap_or_default();
        ensure!(
            self,
            ["working", "submitted", "returned", "completed"].contains(&state.as_str()),
            "review state {state:?}"
        );
        let expected_status = if self.scenario.proposal && self.model.accepted == 0 {
            "proposed"
        } else {
            "active"
        };
        ensure!(self, status == expected_status, "status {status}");
        let (waiting, accepted, total, foreign, odd): (i64, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(s.state = 'waiting'), 0), COALESCE(SUM(s.state = 'accepted'), 0), \
             COUNT(*), COALESCE(SUM(st.school_id IS NULL OR st.school_id <> $2), 0), \
             COALESCE(SUM(s.state NOT IN ('waiting', 'returned', 'accepted')), 0) \
             FROM submissions s LEFT JOIN stages st ON st.id = s.stage_id WHERE s.project_id = $1",
        )
        .bind(&self.project)
        .bind(&self.school)
        .fetch_one(&self.app.pool)
        .await
        .expect("submission counts");
        ensure!(self, waiting <= 1, "{waiting} submissions wait at once");
        ensure!(
            self,
            (state == "submitted") == (waiting == 1),
            "review state {state} with {waiting} waiting submissions"
        );
        ensure!(
            self,
            state != "completed" || position == self.model.last,
            "completed on stage {position} of {}",
            self.model.last
        );
        ensure!(
            self,
            position >= self.highest_position,
            "the stage went back from {} to {position}",
            self.highest_position
        );
        self.highest_position = position;
        ensure!(
            self,
            foreign == 0 && odd == 0,
            "{foreign} submissions at another school's stage, {odd} in an unknown state"
        );
        ensure!(
            self,
            (position, state.as_str()) == (self.model.position, self.model.state),
            "stands at ({position}, {state}), the model says ({}, {})",
            self.model.position,
            self.model.state
        );
        ensure!(
            self,
            (accepted, total) == (self.model.accepted, self.model.submissions),
            "{accepted} accepted of {total} submissions, the model says {} of {}",
            self.model.accepted,
            self.model.submissions
        );
        // Each acceptance moved the project one stage on (the last one completes it).
        let moves = position - self.model.start + i64::from(state == "completed");
        ensure!(
            self,
            moves == accepted,
            "at stage {position} ({state}) after {accepted} acceptances"
        );
        if waiting == 1 {
            let waits_at: String = sqlx::query_scalar(
                "SELECT stage_id FROM submissions WHERE project_id = $1 AND state = 'waiting'",
            )
            .bind(&self.project)
            .fetch_one(&self.app.pool)
            .await
            .expect("the waiting submission");
            ensure!(
                self,
                Some(&waits_at) == stage_id.as_ref(),
                "the waiting submission is at another stage than the project"
            );
        }
    }

    async fn frozen(&self, row: &SubmissionRow) -> Frozen {
        let pages: Vec<FrozenPage> = sqlx::query_as(
            "SELECT sp.page_id, sp.position, sp.revision, r.title, r.body, r.html, r.toc \
             FROM submission_pages sp \
             JOIN page_revisions r ON r.page_id = sp.page_id AND r.number = sp.revision \
             WHERE sp.submission_id = $1 ORDER BY sp.position, sp.page_id",
        )
        .bind(&row.id)
        .fetch_all(&self.app.pool)
        .await
        .expect("snapshot pages");
        let files: Vec<FrozenFile> = sqlx::query_as(
            "SELECT sf.file_id, sf.name, f.file_type, f.sha256, \
             (SELECT group_concat(v, ',') FROM (SELECT c.variant || ':' || c.content_type || ':' \
              || length(c.bytes) AS v FROM file_contents c WHERE c.file_id = sf.file_id \
              ORDER BY c.variant)) \
             FROM submission_files sf LEFT JOIN files f ON f.id = sf.file_id \
             WHERE sf.submission_id = $1 ORDER BY sf.file_id",
        )
        .bind(&row.id)
        .fetch_all(&self.app.pool)
        .await
        .expect("snapshot files");
        Frozen {
            id: row.id.clone(),
            number: row.number,
            stage_id: row.stage_id.clone(),
            passport: row.passport.clone(),
            submitted_by: row.submitted_by.clone(),
            submitted_at: row.submitted_at.clone(),
            pages,
            files,
        }
    }

    /// 2. Every snapshot is what it was when made; a decision, once taken, stays.
    async fn check_snapshots(&mut self) {
        let rows: Vec<SubmissionRow> = sqlx::query_as(
            "SELECT id, number, stage_id, passport, submitted_by, submitted_at, state, \
             decided_by, decided_at, decision_comment FROM submissions WHERE project_id = $1 \
             ORDER BY number",
        )
        .bind(&self.project)
        .fetch_all(&self.app.pool)
        .await
        .expect("submissions");
        let numbers: Vec<i64> = rows.iter().map(|r| r.number).collect();
        let expected: Vec<i64> = (1..=self.model.submissions).collect();
        ensure!(
            self,
            numbers == expected,
            "submissions {numbers:?}, expected {expected:?}"
        );
        for row in &rows {
            let now = self.frozen(row).await;
            let decision = (row.state != "waiting").then(|| {
                (
                    row.state.clone(),
                    row.decided_by.clone(),
                    row.decided_at.clone(),
                    row.decision_comment.clone(),
                )
            });
            let Some(at) = self
                .recorded
                .iter()
                .position(|r| r.frozen.number == row.number)
            else {
                // Made by this step: recorded as it is now, with the files it links to.
                let mut links: Vec<String> = now.files.iter().map(|f| f.0.clone()).collect();
                for page in &now.pages {
                    links.extend(file_links(&page.html));
                }
                let mut served = Vec::new();
                for id in links {
                    if self.file_status(&id).await == 200 && !served.contains(&id) {
                        served.push(id);
                    }
                }
                self.recorded.push(Recorded {
                    frozen: now,
                    made_at: self.step,
                    decision,
                    served,
                });
                continue;
            };
            let then = &self.recorded[at].frozen;
            if *then != now {
                let part = if then.passport != now.passport {
                    format!("passport:\n{}\n→\n{}", then.passport, now.passport)
                } else if then.pages != now.pages {
                    format!("pages:\n{:#?}\n→\n{:#?}", then.pages, now.pages)
                } else if then.files != now.files {
                    format!("files:\n{:#?}\n→\n{:#?}", then.files, now.files)
                } else {
                    format!("row:\n{then:#?}\n→\n{now:#?}")
                };
                self.fail(&format!(
                    "the snapshot of №{} changed after it was made (step {}): {part}",
                    row.number, self.recorded[at].made_at
                ));
            }
            match (self.recorded[at].decision.clone(), decision) {
                (None, now) => self.recorded[at].decision = now,
                (Some(then), Some(now)) if then == now => {}
                (then, now) => self.fail(&format!(
                    "the decision on №{} changed: {then:?} → {now:?}",
                    row.number
                )),
            }
        }
    }

    /// `GET /files/{id}` as the supervisor.
    async fn file_status(&self, id: &str) -> u16 {
        self.app
            .client
            .get(self.app.url(&format!("/files/{id}")))
            .header(reqwest::header::COOKIE, self.cookie(Actor::Teacher))
            .send()
            .await
            .expect("a file")
            .status()
            .as_u16()
    }

    /// Each submission's page, as the supervisor reads it, shows the submitted HTML and nothing
    /// written after the submission; its files are still served.
    async fn check_submission_pages(&mut self) {
        let teacher = self.cookie(Actor::Teacher);
        for recorded in &self.recorded {
            let frozen = &recorded.frozen;
            let path = format!("/projects/{}/submissions/{}", self.project, frozen.number);
            let (status, html) = page_as(&self.app, &path, teacher).await;
            ensure!(self, status == 200, "{path}: HTTP {status}");
            for page in &frozen.pages {
                ensure!(
                    self,
                    html.contains(&page.html),
                    "{path} lost the submitted HTML of «{}» (revision {}):\n{}",
                    page.title,
                    page.revision,
                    page.html
                );
            }
            for (marker, written_at) in &self.markers {
                // A file's name shows in the file list; in a page it is an image's source,
                // shown as the file's address.
                let submitted = if marker.starts_with("фото") {
                    frozen.files.iter().any(|f| f.1.contains(marker.as_str()))
                } else {
                    frozen.passport.contains(marker.as_str())
                        || frozen
                            .pages
                            .iter()
                            .any(|p| p.body.contains(marker.as_str()))
                };
                ensure!(
                    self,
                    !submitted || html.contains(marker.as_str()),
                    "{path} does not show {marker}, which was submitted"
                );
                if *written_at > recorded.made_at && html.contains(marker.as_str()) {
                    self.fail(&format!(
                        "{path} (made at step {}) shows {marker}, written at step {written_at}",
                        recorded.made_at
                    ));
                }
            }
            for name in &frozen.files {
                ensure!(
                    self,
                    recorded.served.contains(&name.0),
                    "{} of №{} was not served when submitted",
                    name.1,
                    frozen.number
                );
            }
            for file in &recorded.served {
                let status = self.file_status(file).await;
                ensure!(
                    self,
                    status == 200,
                    "/files/{file}, linked from №{}, is no longer served: HTTP {status}",
                    frozen.number
                );
            }
        }
    }
}
