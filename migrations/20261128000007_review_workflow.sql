-- The review workflow: each school's stages of a project, submissions frozen as snapshots,
-- remarks, notifications, the project diary, and the assessment at the defence.
-- Plain standard SQL (see 0005): text ids, RFC 3339 UTC timestamps, dates as 'YYYY-MM-DD'.

-- The stages of a school's «Положение об индивидуальном проекте», in order. The district's
-- defaults carry a `code` and no `name` (the name is translated); a school may rename them
-- (`name`), reorder them and add its own (no `code`).
CREATE TABLE stages (
    id         TEXT PRIMARY KEY,
    school_id  TEXT NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    -- topic, passport, sources, product, predefence, defence (the district's defaults)
    code       TEXT,
    name       TEXT,
    -- The assessment card and the defence protocol belong to this stage.
    assessed   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL
);
CREATE INDEX stages_by_school ON stages (school_id, position);

INSERT INTO stages (id, school_id, position, code, name, assessed, created_at)
SELECT s.id || '-' || d.column2, s.id, d.column1, d.column2, NULL, d.column3, s.created_at
FROM schools s
CROSS JOIN (VALUES (1, 'topic', FALSE), (2, 'passport', FALSE), (3, 'sources', FALSE),
                   (4, 'product', FALSE), (5, 'predefence', FALSE), (6, 'defence', TRUE)) AS d;

-- Where each project stands: its current stage and whether that stage is being worked on,
-- waits for review, was returned, or (after the last stage) the project is completed.
ALTER TABLE projects ADD COLUMN stage_id TEXT REFERENCES stages (id);
-- 'working', 'submitted', 'returned', 'completed'
ALTER TABLE projects ADD COLUMN review_state TEXT NOT NULL DEFAULT 'working';
-- A proposal waits at the first stage; a project under way has its topic approved.
UPDATE projects SET stage_id = (
    SELECT st.id FROM stages st
    WHERE st.school_id = projects.school_id
      AND st.position = CASE WHEN projects.status = 'proposed' OR projects.status = 'declined' THEN 1 ELSE 2 END
);
CREATE INDEX projects_by_stage ON projects (school_id, stage_id, review_state);

-- Optional due dates of a project's stages.
CREATE TABLE stage_dues (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    stage_id   TEXT NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    due_on     TEXT NOT NULL,
    PRIMARY KEY (project_id, stage_id)
);
CREATE INDEX stage_dues_by_date ON stage_dues (due_on);

-- A stage submitted for review. The snapshot (this row's passport, submission_pages and
-- submission_files) is written once, when submitted, and never changed: the decision columns
-- are the only ones ever updated, once, from 'waiting'.
CREATE TABLE submissions (
    id               TEXT PRIMARY KEY,
    project_id       TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    stage_id         TEXT NOT NULL REFERENCES stages (id),
    -- 1, 2, … within the project
    number           INTEGER NOT NULL,
    -- 'waiting', 'returned', 'accepted'
    state            TEXT NOT NULL,
    -- The project's title, topic, passport and members at that moment, as JSON.
    passport         TEXT NOT NULL,
    submitted_by     TEXT REFERENCES users (id) ON DELETE SET NULL,
    submitted_at     TEXT NOT NULL,
    decided_by       TEXT REFERENCES users (id) ON DELETE SET NULL,
    decided_at       TEXT,
    decision_comment TEXT NOT NULL DEFAULT '',
    UNIQUE (project_id, number)
);
CREATE INDEX submissions_by_state ON submissions (state, submitted_at);

-- The exact revision of every page at submission (revisions are never changed or deleted).
CREATE TABLE submission_pages (
    submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    page_id       TEXT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    revision      INTEGER NOT NULL,
    PRIMARY KEY (submission_id, page_id)
);

-- The files at submission. A file a snapshot names is never removed, only hidden
-- (files.deleted_at), so that the snapshot keeps its images and documents.
CREATE TABLE submission_files (
    submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    file_id       TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    PRIMARY KEY (submission_id, file_id)
);
ALTER TABLE files ADD COLUMN deleted_at TEXT;

-- A supervisor's remark on a submission (on the whole, on a page, or on a heading of a page),
-- and the replies in its thread (`parent_id`).
CREATE TABLE remarks (
    id            TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    project_id    TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    parent_id     TEXT REFERENCES remarks (id) ON DELETE CASCADE,
    page_id       TEXT REFERENCES pages (id) ON DELETE CASCADE,
    -- The heading's anchor (`h-…`) on that page.
    anchor        TEXT,
    author_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    body          TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX remarks_by_submission ON remarks (submission_id, created_at);
CREATE INDEX remarks_by_project ON remarks (project_id, created_at);

-- In-app notifications. `emailed_at` is for a mailer that reads this table later.
CREATE TABLE notifications (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- submitted, returned, accepted, remark, reply, due_soon, proposal_accepted, proposal_declined
    kind          TEXT NOT NULL,
    project_id    TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    submission_id TEXT REFERENCES submissions (id) ON DELETE CASCADE,
    stage_id      TEXT REFERENCES stages (id) ON DELETE CASCADE,
    due_on        TEXT,
    actor_id      TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    read_at       TEXT,
    emailed_at    TEXT
);
CREATE INDEX notifications_by_user ON notifications (user_id, read_at, created_at);
-- One reminder per person, project, stage and due date, however many processes look.
CREATE UNIQUE INDEX notifications_due_once ON notifications (user_id, project_id, stage_id, due_on)
    WHERE kind = 'due_soon';

-- The project diary: dated entries by members and supervisors.
CREATE TABLE diary_entries (
    id         TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    author_id  TEXT REFERENCES users (id) ON DELETE SET NULL,
    entry_date TEXT NOT NULL,
    body       TEXT NOT NULL,
    html       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX diary_by_project ON diary_entries (project_id, entry_date);

-- The diary entries a submission was made with (timestamps have whole seconds only: an entry
-- written in the same second after it must not show in it).
CREATE TABLE submission_diary (
    submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    entry_id      TEXT NOT NULL REFERENCES diary_entries (id) ON DELETE CASCADE,
    PRIMARY KEY (submission_id, entry_id)
);

-- The assessment card's criteria, per school; the defaults have a `code` (name and level
-- descriptors translated), a school's own have `name` and `descriptors` (five lines, 0 to 4).
CREATE TABLE assessment_criteria (
    id          TEXT PRIMARY KEY,
    school_id   TEXT NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    code        TEXT,
    name        TEXT,
    descriptors TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX criteria_by_school ON assessment_criteria (school_id, position);

INSERT INTO assessment_criteria (id, school_id, position, code, name, descriptors, created_at)
SELECT s.id || '-' || d.column2, s.id, d.column1, d.column2, NULL, NULL, s.created_at
FROM schools s
CROSS JOIN (VALUES (1, 'subject'), (2, 'cognitive'), (3, 'regulatory'), (4, 'communicative')) AS d;

-- The defence commission of a project (staff of its school).
CREATE TABLE commission_members (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at   TEXT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX commission_by_user ON commission_members (user_id);

-- One assessor's score of one pupil on one criterion (0 to 4).
CREATE TABLE assessment_scores (
    project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pupil_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    assessor_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    criterion_id TEXT NOT NULL REFERENCES assessment_criteria (id) ON DELETE CASCADE,
    score        INTEGER NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (project_id, pupil_id, assessor_id, criterion_id)
);

-- The supervisor's written review (отзыв руководителя), Markdown rendered on save.
CREATE TABLE supervisor_reviews (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    author_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    html       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (project_id, author_id)
);
