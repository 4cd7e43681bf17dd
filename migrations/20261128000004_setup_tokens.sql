-- The one-time token that guards the web set-up page while no administrator exists. Only its
-- SHA-256 is stored, so any server process can check a token that another one printed.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);
