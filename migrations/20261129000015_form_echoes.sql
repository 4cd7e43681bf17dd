-- What a reader typed into a form that came back with an error, when the form was posted
-- without JavaScript: the server redirects back to the page, which shows the values again
-- instead of an empty form ("bad input loses nothing"). Kept for an hour, readable only with
-- the token in the address and from the same session (`session_hash`, '' when signed out).
CREATE TABLE form_echoes (
    token_hash   TEXT PRIMARY KEY,
    session_hash TEXT NOT NULL,
    fields       TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX form_echoes_by_age ON form_echoes (created_at);
