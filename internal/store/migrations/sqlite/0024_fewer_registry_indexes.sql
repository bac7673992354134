-- Fewer indexes for every registry record to keep (issue 20).
--
-- An import of the national registry (2,000,000 records) spends most of
-- its writer's time inserting into the establishments' indexes, one entry
-- in each for every record. Three of them no query needs:
-- - establishments_commune (commune_id) is the first column of
--   establishments_commune_key (commune_id, name_key), which serves every
--   lookup by commune, and the foreign key's checks, as well;
-- - establishments_count_province and establishments_count_published
--   (migration 0011) were the covering indexes of the registry's totals,
--   which establishment_counts now keeps (migration 0013); a total with a
--   sector or legal form reads the records either way, through
--   establishments_province or establishments_published_fold.
DROP INDEX establishments_commune;
DROP INDEX establishments_count_province;
DROP INDEX establishments_count_published;
