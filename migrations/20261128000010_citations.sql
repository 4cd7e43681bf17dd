-- Citations: the short key by which a project's pages cite one of its sources (`[@Иванов2019]`),
-- made when the source is added (the first author's family name or the title's first word, and
-- the year) and unique within the project. Sources added before keys existed get their id.
ALTER TABLE project_sources ADD COLUMN cite_key TEXT;
UPDATE project_sources SET cite_key = id WHERE cite_key IS NULL;
CREATE UNIQUE INDEX project_sources_cite_key ON project_sources (project_id, cite_key);

-- The catalogue filters on copies that are on the shelf.
CREATE INDEX catalog_copies_available ON catalog_copies (record_id, available);
-- A record's page lists the same book (by ISBN) in every school's fund.
CREATE INDEX catalog_isbn_any_school ON catalog_records (isbn);
