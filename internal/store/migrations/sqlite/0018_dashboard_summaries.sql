-- More grains of distinct establishments, kept exact like the others
-- (issue 19: dashboards counted these from progress_reach and
-- progress_reach_groups on every view): a province's establishments by
-- year and by activity type, 'p34_year', 'p63_year', 'p34_activity',
-- 'p63_activity' (key: the province id of that map, '/', the year or
-- activity type); and per priority group, 'group' (key: the group),
-- 'group_p34' and 'group_p63' (key: the group, '/', the province id). The grains' CHECK widens; SQLite rebuilds the table for it.
-- The rows of the new grains are filled after this SQL, from
-- progress_reach_groups (store.afterMigration "dashboard_summaries").
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

-- The funding again, summed over the activity types (by year and province
-- of either map) and over the provinces (by year and activity type): what
-- a national dashboard with no activity filter reads, a few hundred rows
-- instead of every cell of progress_funding. Kept by the same handlers,
-- rebuilt and verified with it; filled after this SQL.
CREATE TABLE progress_funding_years (
    program_id         INTEGER NOT NULL REFERENCES programs (id),
    year               INTEGER NOT NULL,
    province_id        INTEGER NOT NULL REFERENCES admin_units (id),
    orig_province_id   INTEGER NOT NULL REFERENCES admin_units (id),
    source             TEXT NOT NULL,
    approved           INTEGER NOT NULL DEFAULT 0,
    settled            INTEGER NOT NULL DEFAULT 0,
    committed          INTEGER NOT NULL DEFAULT 0,
    disbursed          INTEGER NOT NULL DEFAULT 0,
    spent              INTEGER NOT NULL DEFAULT 0,
    refunded           INTEGER NOT NULL DEFAULT 0,
    contributed        INTEGER NOT NULL DEFAULT 0,
    released           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, year, province_id, orig_province_id, source)
);
CREATE TABLE progress_funding_activities (
    program_id         INTEGER NOT NULL REFERENCES programs (id),
    year               INTEGER NOT NULL,
    activity_type_code TEXT NOT NULL,
    source             TEXT NOT NULL,
    approved           INTEGER NOT NULL DEFAULT 0,
    settled            INTEGER NOT NULL DEFAULT 0,
    committed          INTEGER NOT NULL DEFAULT 0,
    disbursed          INTEGER NOT NULL DEFAULT 0,
    spent              INTEGER NOT NULL DEFAULT 0,
    refunded           INTEGER NOT NULL DEFAULT 0,
    contributed        INTEGER NOT NULL DEFAULT 0,
    released           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, year, activity_type_code, source)
);
