-- A draft keeps the page title typed with it too (a preview or a refused save must not lose a
-- changed title). NULL: the title was not changed.
ALTER TABLE page_drafts ADD COLUMN title TEXT;
