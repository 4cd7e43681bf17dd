-- Staff search over working copies (issue 7, point 6): the stemmed words of each project, kept
-- on every save. `source` is '' for the project's card (title, topic, subject, passport, tags)
-- and a page's id for the current revision of that live page. `terms_version` says which
-- version of the word splitting indexed the project; the server indexes older ones at start.
CREATE TABLE project_terms (
    term       TEXT NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    PRIMARY KEY (term, project_id, source)
);
CREATE INDEX project_terms_by_project ON project_terms (project_id, source);

ALTER TABLE projects ADD COLUMN terms_version INTEGER NOT NULL DEFAULT 0;

-- An initiative's description without its markup, written on save with the HTML: previews and
-- search snippets read it instead of parsing the Markdown on every view.
ALTER TABLE initiatives ADD COLUMN plain TEXT NOT NULL DEFAULT '';
