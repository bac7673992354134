-- Progress summaries (issue 19; docs/ARCHITECTURE.md, "Progress
-- summaries"): the facts of every program's results and money, kept
-- current by the app's "progress" event handlers in the transaction of the
-- change, so that dashboards never read the base tables. Every summary is
-- keyed by program, plan year, activity type, today's province
-- (province_id, a 2025 unit) and the province at the time
-- (orig_province_id: a 2008 unit for a project made before the merger).
-- The store fills them on migrating (RebuildProgress) and `nipp rollup
-- verify` recomputes them from the base tables. Keep in step with
-- ../sqlite/0016_progress.sql.

-- What each project was last counted as: its dimensions, and its facts
-- (fact = output: k1 indicator, v0 achieved, v1 committed, v2/v3 one when
-- the project has an achieved/committed figure; funding: k1 source, v0..v7
-- approved, settled, committed, disbursed, spent, refunded, contributed,
-- released; reach: k1 establishment id, v0 one, v1 one when prioritised in
-- a group; group: k1 establishment id, k2 group, v0 one, v1 one when
-- prioritised). A change subtracts the old facts and adds the new ones.
CREATE TABLE progress_projects (
    project_id         BIGINT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    program_id         BIGINT NOT NULL,
    year               INTEGER NOT NULL,
    activity_type_code TEXT NOT NULL,
    province_id        BIGINT NOT NULL,
    orig_province_id   BIGINT NOT NULL
);
CREATE TABLE progress_project_facts (
    project_id BIGINT NOT NULL REFERENCES progress_projects (project_id) ON DELETE CASCADE,
    fact       TEXT NOT NULL CHECK (fact IN ('output', 'funding', 'reach', 'group')),
    k1         TEXT NOT NULL,
    k2         TEXT NOT NULL DEFAULT '',
    v0         BIGINT NOT NULL DEFAULT 0,
    v1         BIGINT NOT NULL DEFAULT 0,
    v2         BIGINT NOT NULL DEFAULT 0,
    v3         BIGINT NOT NULL DEFAULT 0,
    v4         BIGINT NOT NULL DEFAULT 0,
    v5         BIGINT NOT NULL DEFAULT 0,
    v6         BIGINT NOT NULL DEFAULT 0,
    v7         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, fact, k1, k2)
);
-- An establishment merge finds the projects counting the merged record.
CREATE INDEX progress_project_facts_est ON progress_project_facts (k1, fact);
CREATE INDEX progress_project_facts_k2 ON progress_project_facts (k2, fact);

-- Outputs per indicator: achieved (accepted and settled projects' actual
-- outputs) and committed (approved and running projects' planned ones),
-- with the number of projects behind each.
CREATE TABLE progress_outputs (
    program_id         BIGINT NOT NULL REFERENCES programs (id),
    year               INTEGER NOT NULL,
    activity_type_code TEXT NOT NULL,
    province_id        BIGINT NOT NULL REFERENCES admin_units (id),
    orig_province_id   BIGINT NOT NULL REFERENCES admin_units (id),
    indicator_code     TEXT NOT NULL,
    achieved           BIGINT NOT NULL DEFAULT 0,
    committed          BIGINT NOT NULL DEFAULT 0,
    achieved_projects  INTEGER NOT NULL DEFAULT 0,
    committed_projects INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, year, activity_type_code, province_id, orig_province_id, indicator_code)
);

-- Money per funding source: approved (decided projects' lines), settled
-- (settled projects' lines) and the ledger's measures (every project with
-- entries): committed, disbursed (advanced + paid), spent (spent +
-- adjusted), refunded, contributed, released. VND.
CREATE TABLE progress_funding (
    program_id         BIGINT NOT NULL REFERENCES programs (id),
    year               INTEGER NOT NULL,
    activity_type_code TEXT NOT NULL,
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
    PRIMARY KEY (program_id, year, activity_type_code, province_id, orig_province_id, source)
);

-- Establishments reached, refcounted so that "distinct" stays exact: per
-- cell and establishment, the number of decided projects with it as a
-- beneficiary (projects) and of those where it was prioritised
-- (prioritised). A row whose projects fall to 0 is deleted. No foreign
-- key to establishments: a merge re-counts the projects (the handler),
-- never moves these rows.
CREATE TABLE progress_reach (
    program_id         BIGINT NOT NULL REFERENCES programs (id),
    year               INTEGER NOT NULL,
    activity_type_code TEXT NOT NULL,
    province_id        BIGINT NOT NULL REFERENCES admin_units (id),
    orig_province_id   BIGINT NOT NULL REFERENCES admin_units (id),
    establishment_id   BIGINT NOT NULL,
    projects           INTEGER NOT NULL DEFAULT 0,
    prioritised        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, year, activity_type_code, province_id, orig_province_id, establishment_id)
);
CREATE INDEX progress_reach_program ON progress_reach (program_id, establishment_id);

-- The same per priority group (facts recorded when the beneficiary was
-- added): projects with the establishment in the group, and those where
-- the group was prioritised.
CREATE TABLE progress_reach_groups (
    program_id         BIGINT NOT NULL REFERENCES programs (id),
    year               INTEGER NOT NULL,
    activity_type_code TEXT NOT NULL,
    province_id        BIGINT NOT NULL REFERENCES admin_units (id),
    orig_province_id   BIGINT NOT NULL REFERENCES admin_units (id),
    group_code         TEXT NOT NULL,
    establishment_id   BIGINT NOT NULL,
    projects           INTEGER NOT NULL DEFAULT 0,
    prioritised        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, year, activity_type_code, province_id, orig_province_id, group_code, establishment_id)
);

-- Distinct establishments at the grains the default views read, kept
-- exact by refcount like progress_reach: per program and grain (all: key
-- ''; year; p34: today's province id; p63: the province id at the time;
-- activity: the activity type), the decided projects counting each
-- establishment (progress_reach_grains), and the number of establishments
-- with a count, and of those prioritised (progress_reach_counts), moved
-- when a count leaves or reaches 0. A dashboard of a whole program with no
-- activity filter reads these few rows instead of counting distinct ones.
CREATE TABLE progress_reach_grains (
    program_id       BIGINT NOT NULL REFERENCES programs (id),
    grain            TEXT NOT NULL CHECK (grain IN ('all', 'year', 'p34', 'p63', 'activity')),
    grain_key        TEXT NOT NULL,
    establishment_id BIGINT NOT NULL,
    projects         BIGINT NOT NULL DEFAULT 0,
    prioritised      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, grain, grain_key, establishment_id)
);
CREATE TABLE progress_reach_counts (
    program_id     BIGINT NOT NULL REFERENCES programs (id),
    grain          TEXT NOT NULL,
    grain_key      TEXT NOT NULL,
    establishments BIGINT NOT NULL DEFAULT 0,
    prioritised    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, grain, grain_key)
);
