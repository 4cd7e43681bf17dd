-- The showcase's gate: a project is shown beyond its own people only as an accepted snapshot,
-- published to an audience or shared by a secret link. A snapshot froze its pages (revisions)
-- and files; it now freezes its list of sources and its people too, so that a published project
-- never changes under its readers. Plain standard SQL (see 0005).

-- The list of sources as submitted (copied: the working list changes afterwards).
CREATE TABLE submission_sources (
    submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    -- The project_sources row it was (which may be removed later).
    source_id     TEXT NOT NULL,
    record_id     TEXT REFERENCES catalog_records (id) ON DELETE SET NULL,
    kind          TEXT NOT NULL,
    cite_key      TEXT NOT NULL,
    description   TEXT NOT NULL,
    sort_key      TEXT NOT NULL,
    PRIMARY KEY (submission_id, source_id)
);
CREATE INDEX submission_sources_by_record ON submission_sources (record_id);

-- Members and supervisors as submitted: ids only. Public names are made when read, from the
-- pupil's record and consents, so a consent withdrawn takes effect at once everywhere.
CREATE TABLE submission_people (
    submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 'member' or 'supervisor'
    role          TEXT NOT NULL,
    -- A member's part in a collective project.
    note          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (submission_id, user_id, role)
);

-- Earlier submissions get today's lists: the nearest there is.
INSERT INTO submission_sources (submission_id, source_id, record_id, kind, cite_key, description,
    sort_key)
    SELECT s.id, ps.id, ps.record_id, ps.kind, COALESCE(ps.cite_key, ps.id), ps.description,
        ps.sort_key
    FROM submissions s JOIN project_sources ps ON ps.project_id = s.project_id;
INSERT INTO submission_people (submission_id, user_id, role, note)
    SELECT s.id, m.pupil_id, 'member', m.note
    FROM submissions s JOIN project_members m ON m.project_id = s.project_id;
INSERT INTO submission_people (submission_id, user_id, role, note)
    SELECT s.id, v.user_id, 'supervisor', ''
    FROM submissions s JOIN project_supervisors v ON v.project_id = s.project_id;

-- A publication of one accepted submission. Rows are never deleted: unpublishing sets
-- unpublished_at, so the audit trail and the history of what was shown stay. A secret link is
-- a row with audience 'link'; its token is looked up by its SHA-256 and never stored plain.
CREATE TABLE publications (
    id             TEXT PRIMARY KEY,
    project_id     TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    submission_id  TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    -- Copied from the project, for the lists of a school's published work.
    school_id      TEXT NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    -- 'parents' (the project's people and their parents), 'school' (its signed-in members too),
    -- 'public', or 'link'
    audience       TEXT NOT NULL,
    token_hash     TEXT,
    -- The snapshot's title and topic, for lists, feeds and link previews.
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL,
    -- RFC 3339 UTC; a link stops working then.
    expires_at     TEXT,
    published_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    published_at   TEXT NOT NULL,
    unpublished_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    unpublished_at TEXT
);
-- The live publication of a project (links aside) is found by the project; two publishers at
-- once are kept apart by the write transaction, which unpublishes before it publishes.
CREATE INDEX publications_by_project ON publications (project_id, unpublished_at);
CREATE UNIQUE INDEX publications_by_token ON publications (token_hash);
CREATE INDEX publications_recent ON publications (audience, unpublished_at, published_at);
CREATE INDEX publications_by_school ON publications (school_id, audience, unpublished_at,
    published_at);
