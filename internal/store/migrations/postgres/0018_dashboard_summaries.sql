-- More grains of distinct establishments, kept exact like the others
-- (issue 19: dashboards counted these from progress_reach and
-- progress_reach_groups on every view): a province's establishments by
-- year and by activity type, 'p34_year', 'p63_year', 'p34_activity',
-- 'p63_activity' (key: the province id of that map, '/', the year or
-- activity type); and per priority group, 'group' (key: the group),
-- 'group_p34' and 'group_p63' (key: the group, '/', the province id). The rows of the new grains are filled after this SQL, from
-- progress_reach_groups (store.afterMigration "dashboard_summaries").
ALTER TABLE progress_reach_grains DROP CONSTRAINT progress_reach_grains_grain_check;
ALTER TABLE progress_reach_grains ADD CONSTRAINT progress_reach_grains_grain_check
    CHECK (grain IN ('all', 'year', 'p34', 'p63', 'activity', 'p34_year', 'p63_year', 'p34_activity', 'p63_activity',
        'group', 'group_p34', 'group_p63'));

-- The funding again, summed over the activity types (by year and province
-- of either map) and over the provinces (by year and activity type): what
-- a national dashboard with no activity filter reads, a few hundred rows
-- instead of every cell of progress_funding. Kept by the same handlers,
-- rebuilt and verified with it; filled after this SQL.
CREATE TABLE progress_funding_years (
    program_id         BIGINT NOT NULL REFERENCES programs (id),
    year               INTEGER NOT NULL,
    province_id        BIGINT NOT NULL REFERENCES admin_units (id),
    orig_province_id   BIGINT NOT NULL REFERENCES admin_units (id),
    source             TEXT NOT NULL,
    approved           BIGINT NOT NULL DEFAULT 0,
    settled            BIGINT NOT NULL DEFAULT 0,
    committed          BIGINT NOT NULL DEFAULT 0,
    disbursed          BIGINT NOT NULL DEFAULT 0,
    spent              BIGINT NOT NULL DEFAULT 0,
    refunded           BIGINT NOT NULL DEFAULT 0,
    contributed        BIGINT NOT NULL DEFAULT 0,
    released           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, year, province_id, orig_province_id, source)
);
CREATE TABLE progress_funding_activities (
    program_id         BIGINT NOT NULL REFERENCES programs (id),
    year               INTEGER NOT NULL,
    activity_type_code TEXT NOT NULL,
    source             TEXT NOT NULL,
    approved           BIGINT NOT NULL DEFAULT 0,
    settled            BIGINT NOT NULL DEFAULT 0,
    committed          BIGINT NOT NULL DEFAULT 0,
    disbursed          BIGINT NOT NULL DEFAULT 0,
    spent              BIGINT NOT NULL DEFAULT 0,
    refunded           BIGINT NOT NULL DEFAULT 0,
    contributed        BIGINT NOT NULL DEFAULT 0,
    released           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, year, activity_type_code, source)
);
