-- The registry's change stamp (issue 20): change_stamps 'registry' grows
-- with every change to what a registry list shows (an establishment, or
-- the names of the units it lies in). The JSON API's registry searches
-- are kept per scope and query with the stamp read before them (like the
-- project list's with 'projects', migration 0013): while it has not
-- moved, nothing they show has changed. SQLite has one writer: one row,
-- moved by row triggers (an import's INSERT of 500 records moves it 500
-- times, on one page already in the cache).
INSERT INTO change_stamps (name, shard, n) VALUES ('registry', 0, 1);
CREATE TRIGGER establishments_registry_stamp_i AFTER INSERT ON establishments BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'registry' AND shard = 0;
END;
CREATE TRIGGER establishments_registry_stamp_u AFTER UPDATE ON establishments BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'registry' AND shard = 0;
END;
CREATE TRIGGER establishments_registry_stamp_d AFTER DELETE ON establishments BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'registry' AND shard = 0;
END;
CREATE TRIGGER admin_units_registry_stamp_i AFTER INSERT ON admin_units BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'registry' AND shard = 0;
END;
CREATE TRIGGER admin_units_registry_stamp_u AFTER UPDATE ON admin_units BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'registry' AND shard = 0;
END;
CREATE TRIGGER admin_units_registry_stamp_d AFTER DELETE ON admin_units BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'registry' AND shard = 0;
END;
