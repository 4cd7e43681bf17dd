-- The district's shared e-resources are imported like a school's fund: an import's school is
-- NULL for them, as a record's is. SQLite cannot drop a NOT NULL, so the table is rebuilt with
-- its rows (plain standard SQL; the PostgreSQL migrations will say ALTER COLUMN … DROP NOT NULL).
CREATE TABLE catalog_imports_new (
    id         TEXT PRIMARY KEY,
    -- NULL: an import into the district's shared e-resources.
    school_id  TEXT REFERENCES schools (id) ON DELETE CASCADE,
    file_name  TEXT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created    INTEGER NOT NULL,
    updated    INTEGER NOT NULL,
    skipped    INTEGER NOT NULL,
    report     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO catalog_imports_new (id, school_id, file_name, created_by, created, updated, skipped,
    report, created_at)
    SELECT id, school_id, file_name, created_by, created, updated, skipped, report, created_at
    FROM catalog_imports;
DROP TABLE catalog_imports;
ALTER TABLE catalog_imports_new RENAME TO catalog_imports;
CREATE INDEX catalog_imports_by_school ON catalog_imports (school_id, created_at);
