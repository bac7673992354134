-- Background work as jobs (issue 17). A job is a row: its kind (which
-- handler runs it), its payload (JSON, the handler's), its state (queued,
-- running, done, failed), how many times it was started (attempts) of at
-- most max_attempts, when it may run next (run_after: the backoff after a
-- failure), the worker holding it (lease_owner) until lease_until (renewed
-- while it runs: a job whose lease expired belongs to a process that died
-- and is taken over), the last error and a line of progress. dedup_key
-- names the work (e.g. "import:12") so it is queued once.
-- import_rows.undo_json: what applying a row of an atomic import changed
-- (the record created, or the record before its update), so a failure
-- while applying can put the registry back; import_jobs.undo_row: the row
-- whose failure is being undone (0: none).
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL,
    dedup_key    TEXT NOT NULL DEFAULT '',
    payload      TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    run_after    TIMESTAMP NOT NULL,
    lease_owner  TEXT NOT NULL DEFAULT '',
    lease_until  TIMESTAMP,
    last_error   TEXT NOT NULL DEFAULT '',
    progress     TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, run_after, id);
CREATE INDEX jobs_dedup ON jobs (dedup_key, state);
ALTER TABLE import_rows ADD COLUMN undo_json TEXT NOT NULL DEFAULT '';
ALTER TABLE import_jobs ADD COLUMN undo_row INTEGER NOT NULL DEFAULT 0;
