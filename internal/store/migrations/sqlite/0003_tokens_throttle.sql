-- Accounts, part 2: API tokens for machine clients, failed sign-in
-- bookkeeping for throttling, and indexes for the audit page.

-- The token itself is shown once; the database keeps its SHA-256 and a
-- short visible prefix so a user can tell tokens apart.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL DEFAULT '',
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

-- One row per failed sign-in, keyed by account (normalized e-mail, known
-- or not) and by client address. A successful sign-in clears the account's rows.
CREATE TABLE login_failures (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('account', 'address')),
    subject TEXT NOT NULL,
    at   TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (kind, subject, at);
CREATE INDEX login_failures_at ON login_failures (at);

CREATE INDEX audit_log_entity_seq ON audit_log (entity, seq);
CREATE INDEX audit_log_at ON audit_log (at);
