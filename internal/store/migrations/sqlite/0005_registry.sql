-- Establishment registry: priority-group flag, upsert keys, duplicate review,
-- merge, full-text search and import jobs.
ALTER TABLE establishments ADD COLUMN artisan INTEGER NOT NULL DEFAULT 0;
-- The id an establishment carries in the file it was imported from (a
-- province's own register number), for upserts on re-import.
ALTER TABLE establishments ADD COLUMN ext_id TEXT;
-- Duplicate key: folded name with legal-form words removed (vntext.NameKey).
ALTER TABLE establishments ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE establishments ADD COLUMN review_duplicate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE establishments ADD COLUMN merged_into_id INTEGER REFERENCES establishments (id);

CREATE UNIQUE INDEX establishments_ext_id ON establishments (ext_id) WHERE ext_id IS NOT NULL;
CREATE INDEX establishments_province_fold ON establishments (province_id, name_fold, id);
CREATE INDEX establishments_published_fold ON establishments (published, name_fold, id);
CREATE INDEX establishments_commune_key ON establishments (commune_id, name_key);
CREATE INDEX establishments_review ON establishments (province_id, id) WHERE review_duplicate = 1;

-- Search: an FTS5 index of trigrams over name_fold (substring search that
-- uses an index), kept in sync with the table by triggers so that every
-- writer (the app, the demo loader, raw SQL) is covered.
CREATE VIRTUAL TABLE establishments_fts USING fts5(name_fold, content='establishments', content_rowid='id', tokenize='trigram');
INSERT INTO establishments_fts (rowid, name_fold) SELECT id, name_fold FROM establishments;
CREATE TRIGGER establishments_fts_ai AFTER INSERT ON establishments BEGIN
    INSERT INTO establishments_fts (rowid, name_fold) VALUES (new.id, new.name_fold);
END;
CREATE TRIGGER establishments_fts_ad AFTER DELETE ON establishments BEGIN
    INSERT INTO establishments_fts (establishments_fts, rowid, name_fold) VALUES ('delete', old.id, old.name_fold);
END;
CREATE TRIGGER establishments_fts_au AFTER UPDATE OF name_fold ON establishments BEGIN
    INSERT INTO establishments_fts (establishments_fts, rowid, name_fold) VALUES ('delete', old.id, old.name_fold);
    INSERT INTO establishments_fts (rowid, name_fold) VALUES (new.id, new.name_fold);
END;

-- Import jobs are database rows: the uploaded rows are staged in
-- import_rows, validated, then applied in chunks; each chunk commits with
-- the job's cursor (applied_through), so a killed process resumes where it
-- stopped and a re-run changes nothing.
CREATE TABLE import_jobs (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    file_name       TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL CHECK (state IN ('mapping', 'validating', 'validated', 'applying', 'done', 'cancelled', 'failed')),
    atomic          INTEGER NOT NULL DEFAULT 0,
    header_row      INTEGER NOT NULL DEFAULT 0,
    header_json     TEXT NOT NULL DEFAULT '[]',
    mapping_json    TEXT NOT NULL DEFAULT '[]',
    total_rows      INTEGER NOT NULL DEFAULT 0,
    validated_rows  INTEGER NOT NULL DEFAULT 0,
    rejected_rows   INTEGER NOT NULL DEFAULT 0,
    applied_through INTEGER NOT NULL DEFAULT 0,
    imported        INTEGER NOT NULL DEFAULT 0,
    updated         INTEGER NOT NULL DEFAULT 0,
    unchanged       INTEGER NOT NULL DEFAULT 0,
    message         TEXT NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX import_jobs_state ON import_jobs (state, id);

CREATE TABLE import_rows (
    job_id      INTEGER NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    row_num     INTEGER NOT NULL,
    cells_json  TEXT NOT NULL,
    valid       INTEGER,
    errors_json TEXT NOT NULL DEFAULT '',
    record_json TEXT NOT NULL DEFAULT '',
    dup_key     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job_id, row_num)
);
CREATE INDEX import_rows_dup ON import_rows (job_id, dup_key, row_num);
