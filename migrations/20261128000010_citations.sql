-- Citations: the short key by which a project's pages cite one of its sources (`[@Иванов2019]`),
-- made when the source is added (the first author's family name or the title's first word, and
-- the year) and unique within the project. Sources added before keys existed get their id.
ALTER TABLE project_sources ADD COLUMN cite_key TEXT;
UPDATE project_sources SET cite_key = id WHERE cite_key IS NULL;
CREATE UNIQUE INDEX project_sources_cite_key ON project_sources (project_id, cite_key);

-- Whether a record can be had now: a copy on the shelf, or an online kind. Kept by every change
-- to copies, so that «only what can be had now» reads an index instead of every record's copies.
ALTER TABLE catalog_records ADD COLUMN available BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE catalog_records SET available = CASE WHEN kind IN ('ebook', 'neb', 'web') THEN TRUE
    ELSE EXISTS (SELECT 1 FROM catalog_copies c WHERE c.record_id = catalog_records.id
                 AND c.available = TRUE) END;
CREATE INDEX catalog_available ON catalog_records (available, sort_key);
CREATE INDEX catalog_copies_available ON catalog_copies (record_id, available);
-- A record's page lists the same book (by ISBN) in every school's fund.
CREATE INDEX catalog_isbn_any_school ON catalog_records (isbn);
