-- The showcase, continued: the district's and schools' initiatives (a programme with its
-- participating schools, a reading list from the catalogue and the projects taking part), and
-- the index that tag pages and search read over published work. Plain standard SQL (see 0005).

CREATE TABLE initiatives (
    id            TEXT PRIMARY KEY,
    -- The address name: /initiatives/{slug}.
    slug          TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    -- 'school', 'municipal' or 'regional'
    level         TEXT NOT NULL,
    -- The school running a school-level initiative.
    school_id     TEXT REFERENCES schools (id) ON DELETE CASCADE,
    organiser     TEXT NOT NULL,
    -- Dates, 'YYYY-MM-DD'.
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL,
    -- Markdown, and its HTML rendered once on save.
    description   TEXT NOT NULL DEFAULT '',
    html          TEXT NOT NULL DEFAULT '',
    created_by    TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX initiatives_by_dates ON initiatives (ends_on, starts_on);

CREATE TABLE initiative_schools (
    initiative_id TEXT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    school_id     TEXT NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    PRIMARY KEY (initiative_id, school_id)
);
CREATE INDEX initiative_schools_by_school ON initiative_schools (school_id);

-- The reading list: records of a school's fund or of the district's e-resources.
CREATE TABLE initiative_records (
    initiative_id TEXT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    record_id     TEXT NOT NULL REFERENCES catalog_records (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    PRIMARY KEY (initiative_id, record_id)
);

-- The projects a supervisor (or the school's librarian) entered.
CREATE TABLE initiative_projects (
    initiative_id TEXT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    project_id    TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    entered_by    TEXT REFERENCES users (id) ON DELETE SET NULL,
    entered_at    TEXT NOT NULL,
    PRIMARY KEY (initiative_id, project_id)
);
CREATE INDEX initiative_projects_by_project ON initiative_projects (project_id);

-- The index of live audience publications (links are never indexed): written when a project is
-- published, deleted when it is taken down. Tags are the project's as published.
CREATE TABLE publication_tags (
    publication_id TEXT NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
    tag            TEXT NOT NULL,
    PRIMARY KEY (publication_id, tag)
);
CREATE INDEX publication_tags_by_tag ON publication_tags (tag);

-- Plain text of the passport (position 0) and of each page, for search snippets.
CREATE TABLE publication_texts (
    publication_id TEXT NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    slug           TEXT NOT NULL,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,
    PRIMARY KEY (publication_id, position)
);

-- Stemmed words (catalogue search's stemmer) of a publication and of an initiative.
CREATE TABLE publication_terms (
    term           TEXT NOT NULL,
    publication_id TEXT NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
    PRIMARY KEY (term, publication_id)
);
CREATE INDEX publication_terms_by_publication ON publication_terms (publication_id);

CREATE TABLE initiative_terms (
    term          TEXT NOT NULL,
    initiative_id TEXT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    PRIMARY KEY (term, initiative_id)
);
CREATE INDEX initiative_terms_by_initiative ON initiative_terms (initiative_id);
