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

-- Change stamps: a number that grows with every change to what the
-- project pages add up or list (projects, their provinces, budget lines
-- and beneficiaries, plans' ceilings, councils, and the names they show), kept
-- by statement triggers. The year's plan and project totals are computed
-- once per stamp and kept in memory (store/readcache.go): each read
-- compares the stamp it sees in its own snapshot, so a kept result is never
-- stale, on one node or many. Like establishment_counts, each connection
-- adds to its own row (shard = its process id) and the stamp is their sum.
CREATE TABLE change_stamps (
    name  TEXT NOT NULL,
    shard INTEGER NOT NULL DEFAULT 0,
    n     BIGINT NOT NULL,
    PRIMARY KEY (name, shard)
);
INSERT INTO change_stamps (name, shard, n) VALUES ('projects', 0, 1);
CREATE FUNCTION projects_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_stamps AS c (name, shard, n) VALUES ('projects', pg_backend_pid(), 1)
        ON CONFLICT (name, shard) DO UPDATE SET n = c.n + 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER projects_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON projects FOR EACH STATEMENT EXECUTE FUNCTION projects_stamp();
CREATE TRIGGER project_provinces_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON project_provinces FOR EACH STATEMENT EXECUTE FUNCTION projects_stamp();
CREATE TRIGGER budget_lines_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON budget_lines FOR EACH STATEMENT EXECUTE FUNCTION projects_stamp();
CREATE TRIGGER project_beneficiaries_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON project_beneficiaries FOR EACH STATEMENT EXECUTE FUNCTION projects_stamp();
CREATE TRIGGER annual_plans_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON annual_plans FOR EACH STATEMENT EXECUTE FUNCTION projects_stamp();
CREATE TRIGGER appraisal_assignments_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal_assignments FOR EACH STATEMENT EXECUTE FUNCTION projects_stamp();
CREATE TRIGGER appraisal_members_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal_members FOR EACH STATEMENT EXECUTE FUNCTION projects_stamp();
CREATE TRIGGER programs_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programs FOR EACH STATEMENT EXECUTE FUNCTION projects_stamp();
CREATE TRIGGER activity_types_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON activity_types FOR EACH STATEMENT EXECUTE FUNCTION projects_stamp();
CREATE TRIGGER admin_units_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON admin_units FOR EACH STATEMENT EXECUTE FUNCTION projects_stamp();
CREATE TRIGGER project_beneficiary_groups_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON project_beneficiary_groups FOR EACH STATEMENT EXECUTE FUNCTION projects_stamp();
CREATE TRIGGER organizations_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organizations FOR EACH STATEMENT EXECUTE FUNCTION projects_stamp();

-- A province's projects (any of their provinces), for provincial officers'
-- lists and totals and the province filter.
CREATE INDEX project_provinces_province ON project_provinces (province_id, project_id);

-- The registry's name indexes carry each record's status: a search walking
-- one of them (a common word) tests the words and the status on the index
-- entry, and its total (counted up to 1,001) reads no row at all.
DROP INDEX establishments_fold;
CREATE INDEX establishments_fold ON establishments (name_fold, id, status);
DROP INDEX establishments_province_fold;
CREATE INDEX establishments_province_fold ON establishments (province_id, name_fold, id, status);
