-- Read paths at national scale (issue 20).
--
-- Duplicates review: the flagged records in the list's order (name_fold,
-- id), nationwide and per province, so a page reads one page of index
-- entries instead of every flagged record sorted. The list writes the
-- condition as a constant (a generic plan cannot use a partial index for a
-- parameter).
DROP INDEX establishments_review;
CREATE INDEX establishments_review ON establishments (province_id, name_fold, id) WHERE review_duplicate;
CREATE INDEX establishments_review_fold ON establishments (name_fold, id) WHERE review_duplicate;

-- Project title search: pg_trgm (migration 0005) over title_fold, so words
-- without diacritics found anywhere in the title use an index.
CREATE INDEX projects_title_trgm ON projects USING gin (title_fold gin_trgm_ops);

-- Registry totals: how many establishments each (province, status,
-- published, flagged) combination holds, kept by triggers like SQLite's FTS
-- index (every writer is covered: the app, imports, the demo loader, raw
-- SQL). A list's total without a text, sector or legal-form filter is a sum
-- over these rows instead of a count of the registry (2,000,000 rows at
-- national scale).
--
-- Each connection adds to its own rows (shard = its server process id), so
-- concurrent writers (two imports into one province) never wait for each
-- other's counter row nor deadlock on them; a count sums the shards, and
-- CompactEstablishmentCounts folds them back into shard 0 now and then.
CREATE TABLE establishment_counts (
    province_id      BIGINT NOT NULL,
    status           TEXT NOT NULL,
    published        BOOLEAN NOT NULL,
    review_duplicate BOOLEAN NOT NULL,
    shard            INTEGER NOT NULL DEFAULT 0,
    n                BIGINT NOT NULL,
    PRIMARY KEY (province_id, status, published, review_duplicate, shard)
);
INSERT INTO establishment_counts (province_id, status, published, review_duplicate, shard, n)
    SELECT province_id, status, published, review_duplicate, 0, COUNT(*) FROM establishments
    GROUP BY province_id, status, published, review_duplicate;
CREATE FUNCTION establishment_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO establishment_counts AS c (province_id, status, published, review_duplicate, shard, n)
            VALUES (OLD.province_id, OLD.status, OLD.published, OLD.review_duplicate, pg_backend_pid(), -1)
            ON CONFLICT (province_id, status, published, review_duplicate, shard) DO UPDATE SET n = c.n - 1;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO establishment_counts AS c (province_id, status, published, review_duplicate, shard, n)
            VALUES (NEW.province_id, NEW.status, NEW.published, NEW.review_duplicate, pg_backend_pid(), 1)
            ON CONFLICT (province_id, status, published, review_duplicate, shard) DO UPDATE SET n = c.n + 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER establishment_counts_insdel AFTER INSERT OR DELETE ON establishments
    FOR EACH ROW EXECUTE FUNCTION establishment_counts_change();
CREATE TRIGGER establishment_counts_upd AFTER UPDATE OF province_id, status, published, review_duplicate ON establishments
    FOR EACH ROW WHEN (OLD.province_id IS DISTINCT FROM NEW.province_id OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.published IS DISTINCT FROM NEW.published OR OLD.review_duplicate IS DISTINCT FROM NEW.review_duplicate)
    EXECUTE FUNCTION establishment_counts_change();
