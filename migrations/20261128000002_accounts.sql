-- Accounts, their roles, server-side sessions, sign-in attempts (rate limiting shared by every
-- server process) and the audit log. Portable SQL: text ids, RFC 3339 UTC timestamps as text.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    -- Argon2id PHC string; never leaves the server.
    password_hash TEXT NOT NULL,
    is_active     INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- A person may hold several roles; school-bound roles name their school.
CREATE TABLE user_roles (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    school_id TEXT REFERENCES schools (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX user_roles_by_user ON user_roles (user_id);
CREATE INDEX user_roles_by_role ON user_roles (role, school_id);

-- Only a hash of the session token is stored: a stolen database copy opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Failed sign-ins per account ("user:name") and per client address ("addr:ip"), pruned as they age.
CREATE TABLE login_failures (
    id         TEXT PRIMARY KEY,
    key        TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
CREATE INDEX login_failures_by_at ON login_failures (at);

CREATE TABLE audit_log (
    id         TEXT PRIMARY KEY,
    at         TEXT NOT NULL,
    actor_id   TEXT,
    action     TEXT NOT NULL,
    subject_id TEXT,
    school_id  TEXT,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_at ON audit_log (at);
CREATE INDEX audit_log_by_school ON audit_log (school_id, at);
