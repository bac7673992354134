-- Read paths at national scale (issue 20).
--
-- Duplicates review: the flagged records in the list's order (name_fold,
-- id), nationwide and per province, so a page reads one page of index
-- entries instead of every flagged record sorted. The list writes the
-- condition as the index does (review_duplicate = 1, not a bound
-- parameter), so that the planner can use them.
DROP INDEX establishments_review;
CREATE INDEX establishments_review ON establishments (province_id, name_fold, id) WHERE review_duplicate = 1;
CREATE INDEX establishments_review_fold ON establishments (name_fold, id) WHERE review_duplicate = 1;

-- Project title search: an FTS5 index of trigrams over title_fold (words
-- without diacritics found anywhere in the title), kept in sync by triggers
-- like establishments_fts.
CREATE VIRTUAL TABLE projects_fts USING fts5(title_fold, content='projects', content_rowid='id', tokenize='trigram');
INSERT INTO projects_fts (rowid, title_fold) SELECT id, title_fold FROM projects;
CREATE TRIGGER projects_fts_ai AFTER INSERT ON projects BEGIN
    INSERT INTO projects_fts (rowid, title_fold) VALUES (new.id, new.title_fold);
END;
CREATE TRIGGER projects_fts_ad AFTER DELETE ON projects BEGIN
    INSERT INTO projects_fts (projects_fts, rowid, title_fold) VALUES ('delete', old.id, old.title_fold);
END;
CREATE TRIGGER projects_fts_au AFTER UPDATE OF title_fold ON projects BEGIN
    INSERT INTO projects_fts (projects_fts, rowid, title_fold) VALUES ('delete', old.id, old.title_fold);
    INSERT INTO projects_fts (rowid, title_fold) VALUES (new.id, new.title_fold);
END;

-- Registry totals: how many establishments each (province, status,
-- published, flagged) combination holds, kept by triggers like the FTS
-- index (every writer is covered: the app, imports, the demo loader, raw
-- SQL). A list's total without a text, sector or legal-form filter is a sum
-- over these few hundred rows instead of a count of the registry (2,000,000
-- rows at national scale). shard is always 0 on SQLite (one writer); on
-- PostgreSQL each connection writes its own rows (see there).
CREATE TABLE establishment_counts (
    province_id      INTEGER NOT NULL,
    status           TEXT NOT NULL,
    published        INTEGER NOT NULL,
    review_duplicate INTEGER NOT NULL,
    shard            INTEGER NOT NULL DEFAULT 0,
    n                INTEGER NOT NULL,
    PRIMARY KEY (province_id, status, published, review_duplicate, shard)
);
INSERT INTO establishment_counts (province_id, status, published, review_duplicate, shard, n)
    SELECT province_id, status, published, review_duplicate, 0, COUNT(*) FROM establishments
    GROUP BY province_id, status, published, review_duplicate;
CREATE TRIGGER establishment_counts_ai AFTER INSERT ON establishments BEGIN
    INSERT INTO establishment_counts (province_id, status, published, review_duplicate, shard, n)
        VALUES (new.province_id, new.status, new.published, new.review_duplicate, 0, 1)
        ON CONFLICT (province_id, status, published, review_duplicate, shard) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER establishment_counts_ad AFTER DELETE ON establishments BEGIN
    INSERT INTO establishment_counts (province_id, status, published, review_duplicate, shard, n)
        VALUES (old.province_id, old.status, old.published, old.review_duplicate, 0, -1)
        ON CONFLICT (province_id, status, published, review_duplicate, shard) DO UPDATE SET n = n - 1;
END;
CREATE TRIGGER establishment_counts_au AFTER UPDATE OF province_id, status, published, review_duplicate ON establishments
WHEN old.province_id IS NOT new.province_id OR old.status IS NOT new.status OR old.published IS NOT new.published
    OR old.review_duplicate IS NOT new.review_duplicate BEGIN
    INSERT INTO establishment_counts (province_id, status, published, review_duplicate, shard, n)
        VALUES (old.province_id, old.status, old.published, old.review_duplicate, 0, -1)
        ON CONFLICT (province_id, status, published, review_duplicate, shard) DO UPDATE SET n = n - 1;
    INSERT INTO establishment_counts (province_id, status, published, review_duplicate, shard, n)
        VALUES (new.province_id, new.status, new.published, new.review_duplicate, 0, 1)
        ON CONFLICT (province_id, status, published, review_duplicate, shard) DO UPDATE SET n = n + 1;
END;
