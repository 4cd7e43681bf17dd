-- The district this instance serves, and its schools with their information and library centres.
-- Portable SQL: text ids (UUID v7 made by the application), RFC 3339 UTC timestamps as text.

CREATE TABLE district (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    region        TEXT NOT NULL,
    -- IANA time zone in which dates are shown to users.
    time_zone     TEXT NOT NULL,
    contact_email TEXT,
    website       TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE schools (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL,
    town        TEXT NOT NULL,
    ibc_name    TEXT,
    address     TEXT,
    description TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Lists of schools are ordered by short name.
CREATE INDEX schools_by_short_name ON schools (short_name);
