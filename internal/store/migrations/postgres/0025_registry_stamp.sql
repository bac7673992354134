-- The registry's change stamp (issue 20): change_stamps 'registry' grows
-- with every change to what a registry list shows (an establishment, or
-- the names of the units it lies in). The JSON API's registry searches
-- are kept per scope and query with the stamp read before them (like the
-- project list's with 'projects', migration 0013): while it has not
-- moved, nothing they show has changed. One upsert per statement, each
-- connection on a row of its own (shard = its process id), so writers
-- never wait on one another's stamp; the stamp is the rows' sum.
INSERT INTO change_stamps (name, shard, n) VALUES ('registry', 0, 1);
CREATE FUNCTION registry_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_stamps AS c (name, shard, n) VALUES ('registry', pg_backend_pid(), 1)
        ON CONFLICT (name, shard) DO UPDATE SET n = c.n + 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER establishments_registry_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON establishments FOR EACH STATEMENT EXECUTE FUNCTION registry_stamp();
CREATE TRIGGER admin_units_registry_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON admin_units FOR EACH STATEMENT EXECUTE FUNCTION registry_stamp();
