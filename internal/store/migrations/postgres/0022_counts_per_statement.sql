-- The registry's totals kept per statement, not per row, on insert and
-- delete (issue 20). The row trigger of 0013 ran one upsert of
-- establishment_counts for each inserted record: an import's INSERT of 500
-- records ran 500, each making a new version of one of a few rows (8.7 ms of
-- a 47 ms INSERT of 500). A statement trigger adds each group's count once.
-- Updates stay row by row: they change few records at a time, and only
-- when a counted column changes (0013's establishment_counts_upd).
DROP TRIGGER establishment_counts_insdel ON establishments;

CREATE FUNCTION establishment_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO establishment_counts AS c (province_id, status, published, review_duplicate, shard, n)
        SELECT province_id, status, published, review_duplicate, pg_backend_pid(), COUNT(*)
        FROM new_rows GROUP BY province_id, status, published, review_duplicate
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (province_id, status, published, review_duplicate, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END;
$$;
CREATE TRIGGER establishment_counts_ins AFTER INSERT ON establishments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION establishment_counts_insert();

CREATE FUNCTION establishment_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO establishment_counts AS c (province_id, status, published, review_duplicate, shard, n)
        SELECT province_id, status, published, review_duplicate, pg_backend_pid(), -COUNT(*)
        FROM old_rows GROUP BY province_id, status, published, review_duplicate
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (province_id, status, published, review_duplicate, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END;
$$;
CREATE TRIGGER establishment_counts_del AFTER DELETE ON establishments REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION establishment_counts_delete();
