-- More grains of distinct establishments, kept exact like the others
-- (issue 19: dashboards counted these from progress_reach and
-- progress_reach_groups on every view): a province's establishments by
-- year and by activity type, 'p34_year', 'p63_year', 'p34_activity',
-- 'p63_activity' (key: the province id of that map, '/', the year or
-- activity type); and per priority group, 'group' (key: the group),
-- 'group_p34' and 'group_p63' (key: the group, '/', the province id). The grains' CHECK widens; SQLite rebuilds the table for it.
-- The rows of the new grains are filled after this SQL, from
-- progress_reach_groups (store.afterMigration "group_reach").
CREATE TABLE progress_reach_grains_new (
    program_id       INTEGER NOT NULL REFERENCES programs (id),
    grain            TEXT NOT NULL CHECK (grain IN ('all', 'year', 'p34', 'p63', 'activity', 'p34_year', 'p63_year', 'p34_activity', 'p63_activity',
        'group', 'group_p34', 'group_p63')),
    grain_key        TEXT NOT NULL,
    establishment_id INTEGER NOT NULL,
    projects         INTEGER NOT NULL DEFAULT 0,
    prioritised      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, grain, grain_key, establishment_id)
);
INSERT INTO progress_reach_grains_new (program_id, grain, grain_key, establishment_id, projects, prioritised)
    SELECT program_id, grain, grain_key, establishment_id, projects, prioritised FROM progress_reach_grains;
DROP TABLE progress_reach_grains;
ALTER TABLE progress_reach_grains_new RENAME TO progress_reach_grains;
