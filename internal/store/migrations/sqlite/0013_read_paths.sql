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

-- Change stamps: a number that grows with every change to what the
-- project pages add up or list (projects, their provinces, budget lines
-- and beneficiaries, plans' ceilings, councils, and the names they show), kept
-- by triggers. The year's plan and project totals are computed once per
-- stamp and kept in memory (store/readcache.go): each read compares the
-- stamp it sees in its own snapshot, so a kept result is never stale, on
-- one node or many.
CREATE TABLE change_stamps (
    name  TEXT NOT NULL,
    shard INTEGER NOT NULL DEFAULT 0,
    n     INTEGER NOT NULL,
    PRIMARY KEY (name, shard)
);
INSERT INTO change_stamps (name, shard, n) VALUES ('projects', 0, 1);
CREATE TRIGGER projects_stamp_i AFTER INSERT ON projects BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER projects_stamp_u AFTER UPDATE ON projects BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER projects_stamp_d AFTER DELETE ON projects BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER project_provinces_stamp_i AFTER INSERT ON project_provinces BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER project_provinces_stamp_u AFTER UPDATE ON project_provinces BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER project_provinces_stamp_d AFTER DELETE ON project_provinces BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER budget_lines_stamp_i AFTER INSERT ON budget_lines BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER budget_lines_stamp_u AFTER UPDATE ON budget_lines BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER budget_lines_stamp_d AFTER DELETE ON budget_lines BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER project_beneficiaries_stamp_i AFTER INSERT ON project_beneficiaries BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER project_beneficiaries_stamp_u AFTER UPDATE ON project_beneficiaries BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER project_beneficiaries_stamp_d AFTER DELETE ON project_beneficiaries BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER annual_plans_stamp_i AFTER INSERT ON annual_plans BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER annual_plans_stamp_u AFTER UPDATE ON annual_plans BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER annual_plans_stamp_d AFTER DELETE ON annual_plans BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER appraisal_assignments_stamp_i AFTER INSERT ON appraisal_assignments BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER appraisal_assignments_stamp_u AFTER UPDATE ON appraisal_assignments BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER appraisal_assignments_stamp_d AFTER DELETE ON appraisal_assignments BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER appraisal_members_stamp_i AFTER INSERT ON appraisal_members BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER appraisal_members_stamp_u AFTER UPDATE ON appraisal_members BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER appraisal_members_stamp_d AFTER DELETE ON appraisal_members BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER programs_stamp_i AFTER INSERT ON programs BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER programs_stamp_u AFTER UPDATE ON programs BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER programs_stamp_d AFTER DELETE ON programs BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER activity_types_stamp_i AFTER INSERT ON activity_types BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER activity_types_stamp_u AFTER UPDATE ON activity_types BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER activity_types_stamp_d AFTER DELETE ON activity_types BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER admin_units_stamp_i AFTER INSERT ON admin_units BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER admin_units_stamp_u AFTER UPDATE ON admin_units BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER admin_units_stamp_d AFTER DELETE ON admin_units BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER project_beneficiary_groups_stamp_i AFTER INSERT ON project_beneficiary_groups BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER project_beneficiary_groups_stamp_u AFTER UPDATE ON project_beneficiary_groups BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER project_beneficiary_groups_stamp_d AFTER DELETE ON project_beneficiary_groups BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER organizations_stamp_i AFTER INSERT ON organizations BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER organizations_stamp_u AFTER UPDATE ON organizations BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;
CREATE TRIGGER organizations_stamp_d AFTER DELETE ON organizations BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'projects' AND shard = 0;
END;

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
