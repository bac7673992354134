-- Registry search within a province (issue 20).
--
-- A word common nationwide but rare in a province ("nuoc mam": 42,271
-- names nationwide, 81 in Ha Noi) was found either by walking the
-- province's name index (to its end, for the capped count) or through the
-- trigram index, which reads every nationwide candidate (180 ms) before
-- the province is tested. establishments_province_trgm indexes each name's
-- trigrams prefixed by its province ("64:nuo"), so a province's search
-- reads that province's posting lists only: Ha Noi's "nuoc mam" in 3 ms.
-- Only trigrams without a space are kept (pg_trgm pads each word: "  n",
-- " nu", "oc "): a query word is a substring of one word of a name, and
-- the store asks for its inner trigrams only.
--
-- (A multicolumn GIN index over province_id (btree_gin) and the trigrams
-- was tried: PostgreSQL read both posting lists whole and ANDed the
-- bitmaps, 300 ms.)
--
-- show_trgm is pg_trgm's, named with its schema: an index expression is
-- also evaluated where search_path is not the application's (restores,
-- autovacuum's ANALYZE).
DO $$
BEGIN
    EXECUTE format($f$
        CREATE FUNCTION establishment_province_trigrams(province_id BIGINT, name_fold TEXT) RETURNS TEXT[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
        'SELECT ARRAY(SELECT province_id::text || '':'' || t FROM unnest(%I.show_trgm(name_fold)) t WHERE strpos(t, '' '') = 0)'
    $f$, (SELECT n.nspname FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname = 'pg_trgm'));
END;
$$;
SET LOCAL maintenance_work_mem = '256MB';
CREATE INDEX establishments_province_trgm ON establishments USING gin (establishment_province_trigrams(province_id, name_fold));
