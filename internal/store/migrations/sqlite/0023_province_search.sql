-- Registry search within a province (issue 20).
--
-- A word common nationwide but rare in a province ("nuoc mam": 42,271
-- names nationwide, 81 in Ha Noi) was found either by walking the
-- province's name index (to its end, for the capped count) or by reading
-- every nationwide match from the FTS index and testing its province.
-- The FTS index is now keyed by province: its rowid is
-- province_id * 2^32 + id, so a province's entries are one rowid range and
-- FTS5 reads only that range of each word's doclist (a MATCH with
-- "rowid BETWEEN"): Ha Noi's "nuoc mam" in 0.3 ms. A search nationwide
-- takes the id back as rowid & (2^32 - 1). Ids stay below 2^32.
--
-- The content is read through a view (for 'integrity-check');
-- the triggers give FTS5 the old values of what they delete, as before, and
-- move an entry when its record moves to another province.
DROP TRIGGER establishments_fts_ai;
DROP TRIGGER establishments_fts_ad;
DROP TRIGGER establishments_fts_au;
DROP TABLE establishments_fts;
CREATE VIEW establishments_fts_rows AS
    SELECT province_id * 4294967296 + id AS fts_key, name_fold FROM establishments;
CREATE VIRTUAL TABLE establishments_fts USING fts5(name_fold, content='establishments_fts_rows', content_rowid='fts_key', tokenize='trigram');
-- Filled in key order: FTS5 writes its pending entries out whenever a key
-- is lower than the last one ('rebuild' reads the view in id order: 61 s of
-- CPU at national scale, against 23 s sorted).
INSERT INTO establishments_fts (rowid, name_fold) SELECT fts_key, name_fold FROM establishments_fts_rows ORDER BY fts_key;
CREATE TRIGGER establishments_fts_ai AFTER INSERT ON establishments BEGIN
    INSERT INTO establishments_fts (rowid, name_fold) VALUES (new.province_id * 4294967296 + new.id, new.name_fold);
END;
CREATE TRIGGER establishments_fts_ad AFTER DELETE ON establishments BEGIN
    INSERT INTO establishments_fts (establishments_fts, rowid, name_fold) VALUES ('delete', old.province_id * 4294967296 + old.id, old.name_fold);
END;
CREATE TRIGGER establishments_fts_au AFTER UPDATE OF name_fold, province_id ON establishments
    WHEN new.name_fold IS NOT old.name_fold OR new.province_id IS NOT old.province_id BEGIN
    INSERT INTO establishments_fts (establishments_fts, rowid, name_fold) VALUES ('delete', old.province_id * 4294967296 + old.id, old.name_fold);
    INSERT INTO establishments_fts (rowid, name_fold) VALUES (new.province_id * 4294967296 + new.id, new.name_fold);
END;
