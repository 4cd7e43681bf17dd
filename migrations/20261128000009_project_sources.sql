-- A project's list of sources: records of the catalogue, and sources the library lacks entered
-- through the same structured fields. Each keeps a copy of the record (JSON) and its ГОСТ
-- description, made once when added, so the list stays as the pupils cited it.
CREATE TABLE project_sources (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    -- NULL for a source entered by hand (or a catalogue record since removed).
    record_id   TEXT REFERENCES catalog_records (id) ON DELETE SET NULL,
    -- printed_book, ebook, neb, article, web, other
    kind        TEXT NOT NULL,
    data        TEXT NOT NULL,
    -- 'YYYY-MM-DD': when an online source was consulted («дата обращения»).
    access_date TEXT,
    description TEXT NOT NULL,
    sort_key    TEXT NOT NULL,
    added_by    TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX project_sources_by_project ON project_sources (project_id, sort_key);
CREATE UNIQUE INDEX project_sources_record ON project_sources (project_id, record_id)
    WHERE record_id IS NOT NULL;

-- The least number of sources a school's «Положение» asks of a project.
ALTER TABLE schools ADD COLUMN min_sources INTEGER NOT NULL DEFAULT 5;
