-- Classes and pupils of each school, consents, families (parents linked to pupils, invite codes),
-- and class roster imports. Portable SQL: text ids, RFC 3339 UTC timestamps as text, calendar
-- dates as YYYY-MM-DD text, academic years as the integer of their first calendar year
-- (2026 is the year 2026/2027).

CREATE TABLE classes (
    id            TEXT PRIMARY KEY,
    school_id     TEXT NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    academic_year INTEGER NOT NULL,
    grade         INTEGER NOT NULL,
    letter        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (school_id, academic_year, grade, letter)
);

-- A pupil is a user with a pupil role and this record: their name as the school registers it.
CREATE TABLE pupils (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    school_id  TEXT NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    surname    TEXT NOT NULL,
    first_name TEXT NOT NULL,
    patronymic TEXT,
    -- The full name in lower case with ё as е, for searching (SQLite's lower() is ASCII only).
    search_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX pupils_by_school ON pupils (school_id, surname, first_name);
CREATE INDEX pupils_by_search_name ON pupils (school_id, search_name);

-- One class per pupil and academic year.
CREATE TABLE class_members (
    pupil_id      TEXT NOT NULL REFERENCES pupils (user_id) ON DELETE CASCADE,
    academic_year INTEGER NOT NULL,
    class_id      TEXT NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    PRIMARY KEY (pupil_id, academic_year)
);
CREATE INDEX class_members_by_class ON class_members (class_id);

-- Consents given by a parent for a pupil: 'processing' (personal data) and 'publication'
-- (name and work on public pages). A withdrawn consent keeps its record.
CREATE TABLE consents (
    id           TEXT PRIMARY KEY,
    pupil_id     TEXT NOT NULL REFERENCES pupils (user_id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    given_on     TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    recorded_at  TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawn_by TEXT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX consents_by_pupil ON consents (pupil_id, kind);

CREATE TABLE parent_links (
    parent_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    pupil_id   TEXT NOT NULL REFERENCES pupils (user_id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (parent_id, pupil_id)
);
CREATE INDEX parent_links_by_pupil ON parent_links (pupil_id);

-- A family invite: a code staff hand to a family so that a parent links to the pupil. The code
-- is looked up by its SHA-256; its plain text is kept only while it can still be used, so that
-- staff can print the letter again, and erased when it is used, revoked or found expired.
CREATE TABLE family_invites (
    id         TEXT PRIMARY KEY,
    code_hash  TEXT NOT NULL UNIQUE,
    code_plain TEXT,
    pupil_id   TEXT NOT NULL REFERENCES pupils (user_id) ON DELETE CASCADE,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    used_by    TEXT REFERENCES users (id) ON DELETE SET NULL,
    revoked_at TEXT,
    revoked_by TEXT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX family_invites_by_pupil ON family_invites (pupil_id, created_at);

-- A class roster import: previewed, then confirmed (or found invalid, or cancelled). Rows and
-- problems are JSON documents. The login cards (with initial passwords) are kept only until
-- staff mark them printed or they expire.
CREATE TABLE roster_imports (
    id              TEXT PRIMARY KEY,
    school_id       TEXT NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    created_by      TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    academic_year   INTEGER NOT NULL,
    file_name       TEXT NOT NULL,
    status          TEXT NOT NULL,
    rows_json       TEXT NOT NULL,
    problems_json   TEXT NOT NULL DEFAULT '[]',
    cards_json      TEXT,
    cards_expire_at TEXT,
    done_at         TEXT
);
CREATE INDEX roster_imports_by_school ON roster_imports (school_id, created_at);

CREATE INDEX audit_log_by_subject ON audit_log (subject_id, at);
