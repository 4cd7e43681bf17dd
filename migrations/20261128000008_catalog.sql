-- The library catalogue: each school's fund and the district's shared e-resources, imported from
-- the formats school library systems export or entered by hand; a search index of stemmed
-- words; copies of printed books; and a record of each import. Plain standard SQL (see 0005).

CREATE TABLE catalog_records (
    id          TEXT PRIMARY KEY,
    -- NULL: a district-wide e-resource shared by every school.
    school_id   TEXT REFERENCES schools (id) ON DELETE CASCADE,
    -- printed_book, ebook, neb, article, web, other
    kind        TEXT NOT NULL,
    -- The record's own control number (001) in the system it came from.
    source_id   TEXT,
    -- The first ISBN, digits and X only.
    isbn        TEXT,
    title       TEXT NOT NULL,
    -- «Фамилия И. О.; …», as lists show them.
    authors     TEXT NOT NULL DEFAULT '',
    year        INTEGER,
    -- 0+, 6+, 12+, 16+, 18+ (436-ФЗ)
    age_rating  TEXT,
    url         TEXT,
    -- The whole record as JSON (authors, contributors, host item, subjects, …).
    data        TEXT NOT NULL,
    -- The description by ГОСТ Р 7.0.100-2018, made once when the record is saved.
    description TEXT NOT NULL,
    sort_key    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX catalog_by_source ON catalog_records (school_id, source_id)
    WHERE source_id IS NOT NULL;
CREATE INDEX catalog_by_isbn ON catalog_records (school_id, isbn);
CREATE INDEX catalog_by_school ON catalog_records (school_id, kind, sort_key);

-- The search index: every stemmed word of a record's title, authors, subjects and ISBN.
CREATE TABLE catalog_terms (
    term      TEXT NOT NULL,
    record_id TEXT NOT NULL REFERENCES catalog_records (id) ON DELETE CASCADE,
    PRIMARY KEY (term, record_id)
);
CREATE INDEX catalog_terms_by_record ON catalog_terms (record_id);

-- Copies of a printed book in the school's fund.
CREATE TABLE catalog_copies (
    id               TEXT PRIMARY KEY,
    record_id        TEXT NOT NULL REFERENCES catalog_records (id) ON DELETE CASCADE,
    inventory_number TEXT NOT NULL,
    shelf_mark       TEXT NOT NULL DEFAULT '',
    available        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at       TEXT NOT NULL
);
CREATE INDEX catalog_copies_by_record ON catalog_copies (record_id);

-- Each import with its report (the skipped records and why, as JSON).
CREATE TABLE catalog_imports (
    id         TEXT PRIMARY KEY,
    school_id  TEXT NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    file_name  TEXT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created    INTEGER NOT NULL,
    updated    INTEGER NOT NULL,
    skipped    INTEGER NOT NULL,
    report     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX catalog_imports_by_school ON catalog_imports (school_id, created_at);
