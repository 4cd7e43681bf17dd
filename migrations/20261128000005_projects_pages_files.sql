-- Projects, their Markdown pages with every revision, and their uploaded files.
-- Plain standard SQL: text ids (UUID v7), RFC 3339 UTC timestamps, no engine-specific types
-- except BLOB (BYTEA in the PostgreSQL migrations to come).

-- A pupil's individual or collective project with its ФГОС passport.
CREATE TABLE projects (
    id            TEXT PRIMARY KEY,
    school_id     TEXT NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    academic_year INTEGER NOT NULL,
    -- 'individual' or 'collective'
    kind          TEXT NOT NULL,
    -- 'proposed' (a pupil's proposal waiting for the supervisor), 'active' or 'declined'
    status        TEXT NOT NULL,
    title         TEXT NOT NULL,
    topic         TEXT NOT NULL DEFAULT '',
    subject       TEXT NOT NULL DEFAULT '',
    -- research, information, creative, social, applied, engineering
    project_type  TEXT NOT NULL,
    relevance     TEXT NOT NULL DEFAULT '',
    goal          TEXT NOT NULL DEFAULT '',
    tasks         TEXT NOT NULL DEFAULT '',
    hypothesis    TEXT NOT NULL DEFAULT '',
    product       TEXT NOT NULL DEFAULT '',
    -- An image among the project's files (no foreign key: files reference projects).
    cover_file_id TEXT,
    created_by    TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX projects_by_school ON projects (school_id, academic_year, updated_at);

CREATE TABLE project_members (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pupil_id   TEXT NOT NULL REFERENCES pupils (user_id) ON DELETE CASCADE,
    -- The member's part in a collective project.
    note       TEXT NOT NULL DEFAULT '',
    added_at   TEXT NOT NULL,
    PRIMARY KEY (project_id, pupil_id)
);
CREATE INDEX project_members_by_pupil ON project_members (pupil_id);

CREATE TABLE project_supervisors (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at   TEXT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_supervisors_by_user ON project_supervisors (user_id);

CREATE TABLE project_tags (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (project_id, tag)
);
CREATE INDEX project_tags_by_tag ON project_tags (tag);

-- A page of a project. `revision` is the number of its current revision: a save names the
-- revision it was based on and succeeds only if that is still the current one.
CREATE TABLE pages (
    id         TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    slug       TEXT NOT NULL,
    title      TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    deleted_at TEXT,
    deleted_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX pages_by_project ON pages (project_id, position);
CREATE UNIQUE INDEX pages_slug_in_project ON pages (project_id, slug) WHERE deleted_at IS NULL;

-- Every saved state of a page: the Markdown source and its HTML, rendered and sanitized once,
-- on save (views never render Markdown).
CREATE TABLE page_revisions (
    page_id       TEXT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    html          TEXT NOT NULL,
    -- The table of contents as JSON: [{"level":2,"anchor":"h-…","text":"…"}]
    toc           TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    author_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    -- Set when this revision restores an earlier one.
    restored_from INTEGER,
    PRIMARY KEY (page_id, number)
);

-- Text a writer sent that is not a revision (yet): a preview asked for without JavaScript, or a
-- save refused because someone else saved first. Kept for its author until merged and saved.
CREATE TABLE page_drafts (
    id            TEXT PRIMARY KEY,
    page_id       TEXT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    author_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 'preview' or 'conflict'
    reason        TEXT NOT NULL,
    base_revision INTEGER NOT NULL,
    body          TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);
CREATE INDEX page_drafts_by_page ON page_drafts (page_id, author_id);
CREATE INDEX page_drafts_by_age ON page_drafts (created_at);

-- An uploaded file. Its bytes live in file_contents, in the database itself, so that a backup
-- of the database is complete and several server processes share the files without a shared
-- disk.
CREATE TABLE files (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    -- The name shown and used in Markdown (`![](name)`), unique in the project.
    name        TEXT NOT NULL,
    -- png, jpeg, webp, pdf, docx, pptx, odt, odp: decided from the content.
    file_type   TEXT NOT NULL,
    -- Bytes stored (the file and its thumbnail), counted against the project's quota.
    size_bytes  INTEGER NOT NULL,
    width       INTEGER,
    height      INTEGER,
    sha256      TEXT NOT NULL,
    uploaded_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (project_id, name)
);
CREATE INDEX files_by_project ON files (project_id, created_at);

CREATE TABLE file_contents (
    file_id      TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    -- 'original' or 'thumb'
    variant      TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    PRIMARY KEY (file_id, variant)
);
