-- More grains of distinct establishments, kept exact like the others
-- (issue 19: dashboards counted these from progress_reach and
-- progress_reach_groups on every view): a province's establishments by
-- year and by activity type, 'p34_year', 'p63_year', 'p34_activity',
-- 'p63_activity' (key: the province id of that map, '/', the year or
-- activity type); and per priority group, 'group' (key: the group),
-- 'group_p34' and 'group_p63' (key: the group, '/', the province id). The rows of the new grains are filled after this SQL, from
-- progress_reach_groups (store.afterMigration "group_reach").
ALTER TABLE progress_reach_grains DROP CONSTRAINT progress_reach_grains_grain_check;
ALTER TABLE progress_reach_grains ADD CONSTRAINT progress_reach_grains_grain_check
    CHECK (grain IN ('all', 'year', 'p34', 'p63', 'activity', 'p34_year', 'p63_year', 'p34_activity', 'p63_activity',
        'group', 'group_p34', 'group_p63'));
