-- nipp core schema (SQLite). Keep in step with ../postgres/0001_core.sql.
-- Conventions: money is INTEGER VND; dates are DATE ('YYYY-MM-DD'); timestamps
-- are TIMESTAMP in UTC; booleans are INTEGER 0/1; every public record has a
-- stable public_id and a published flag; editable records carry a version.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE regions (
    code    TEXT PRIMARY KEY,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sort    INTEGER NOT NULL DEFAULT 0
);

-- Administrative units of every generation. generation 2008 = the 63
-- provinces and their communes in force until 2025-06-30; generation 2025 =
-- the 34 provinces and 3,321 communes from 2025-07-01.
CREATE TABLE admin_units (
    id          INTEGER PRIMARY KEY,
    level       TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    code        TEXT NOT NULL,
    generation  INTEGER NOT NULL,
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    name_fold   TEXT NOT NULL DEFAULT '',
    unit_type   TEXT NOT NULL,
    parent_id   INTEGER REFERENCES admin_units (id),
    region_code TEXT REFERENCES regions (code),
    valid_from  DATE,
    valid_to    DATE,
    UNIQUE (level, code, generation)
);
CREATE INDEX admin_units_parent ON admin_units (parent_id);
CREATE INDEX admin_units_fold ON admin_units (level, name_fold);

CREATE TABLE admin_unit_successors (
    old_id INTEGER NOT NULL REFERENCES admin_units (id),
    new_id INTEGER NOT NULL REFERENCES admin_units (id),
    share  TEXT NOT NULL CHECK (share IN ('full', 'partial')),
    PRIMARY KEY (old_id, new_id)
);
CREATE INDEX admin_unit_successors_new ON admin_unit_successors (new_id);

CREATE TABLE activity_types (
    code       TEXT PRIMARY KEY,
    group_code TEXT NOT NULL DEFAULT '',
    name_vi    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    sort       INTEGER NOT NULL DEFAULT 0,
    valid_from DATE,
    valid_to   DATE
);

CREATE TABLE indicators (
    code               TEXT PRIMARY KEY,
    name_vi            TEXT NOT NULL,
    name_en            TEXT NOT NULL,
    unit_vi            TEXT NOT NULL DEFAULT '',
    unit_en            TEXT NOT NULL DEFAULT '',
    activity_type_code TEXT REFERENCES activity_types (code),
    sort               INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE organizations (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('ministry', 'central_agency', 'provincial_department', 'promotion_center', 'other')),
    name_vi      TEXT NOT NULL,
    name_en      TEXT NOT NULL DEFAULT '',
    province_id  INTEGER REFERENCES admin_units (id),
    parent_id    INTEGER REFERENCES organizations (id),
    successor_id INTEGER REFERENCES organizations (id),
    valid_from   DATE,
    valid_to     DATE
);

-- Dated names: a decision shows the name in force on its date.
CREATE TABLE organization_names (
    org_id      INTEGER NOT NULL REFERENCES organizations (id),
    valid_from  DATE NOT NULL DEFAULT '0001-01-01',
    valid_to    DATE,
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    legal_basis TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (org_id, valid_from)
);

CREATE TABLE programs (
    id            INTEGER PRIMARY KEY,
    public_id     TEXT NOT NULL UNIQUE,
    code          TEXT NOT NULL UNIQUE,
    name_vi       TEXT NOT NULL,
    name_en       TEXT NOT NULL DEFAULT '',
    level         TEXT NOT NULL CHECK (level IN ('national', 'local')),
    province_id   INTEGER REFERENCES admin_units (id),
    start_year    INTEGER NOT NULL,
    end_year      INTEGER NOT NULL,
    decision_no   TEXT NOT NULL DEFAULT '',
    decision_date DATE,
    approved_by   TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    published     INTEGER NOT NULL DEFAULT 1,
    CHECK (end_year >= start_year)
);

-- Target sets are versioned: a revision never changes; a new decision adds one.
CREATE TABLE target_revisions (
    id            INTEGER PRIMARY KEY,
    program_id    INTEGER NOT NULL REFERENCES programs (id),
    revision      INTEGER NOT NULL,
    decision_no   TEXT NOT NULL DEFAULT '',
    decision_date DATE,
    note          TEXT NOT NULL DEFAULT '',
    created_by    INTEGER,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (program_id, revision)
);

CREATE TABLE targets (
    id             INTEGER PRIMARY KEY,
    revision_id    INTEGER NOT NULL REFERENCES target_revisions (id),
    indicator_code TEXT NOT NULL REFERENCES indicators (code),
    province_id    INTEGER REFERENCES admin_units (id),
    year           INTEGER,
    value          INTEGER NOT NULL CHECK (value >= 0)
);
CREATE UNIQUE INDEX targets_key ON targets (revision_id, indicator_code, COALESCE(province_id, 0), COALESCE(year, 0));

-- Rule sets (Decree 45/2012, its 2025 amendment, ...): dated data.
CREATE TABLE rule_sets (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    legal_basis TEXT NOT NULL DEFAULT '',
    valid_from  DATE NOT NULL,
    valid_to    DATE,
    loaded_at   TIMESTAMP NOT NULL,
    source      TEXT NOT NULL DEFAULT ''
);

-- Support caps: the largest share of the cost (basis points, 10000 = 100%)
-- and amount (VND, NULL = no amount cap) the state may pay.
CREATE TABLE support_caps (
    id                 INTEGER PRIMARY KEY,
    rule_set_id        INTEGER NOT NULL REFERENCES rule_sets (id),
    activity_type_code TEXT NOT NULL REFERENCES activity_types (code),
    area_category      TEXT NOT NULL CHECK (area_category IN ('ordinary', 'disadvantaged')),
    funding_source     TEXT NOT NULL CHECK (funding_source IN ('national', 'local')),
    max_share_bp       INTEGER NOT NULL CHECK (max_share_bp BETWEEN 0 AND 10000),
    max_amount         INTEGER CHECK (max_amount >= 0),
    note               TEXT NOT NULL DEFAULT '',
    UNIQUE (rule_set_id, activity_type_code, area_category, funding_source)
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    email                TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL DEFAULT '',
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'central', 'provincial', 'appraiser', 'auditor')),
    password_hash        TEXT NOT NULL,
    active               INTEGER NOT NULL DEFAULT 1,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    organization_id      INTEGER REFERENCES organizations (id),
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    password_changed_at  TIMESTAMP NOT NULL
);

CREATE TABLE user_provinces (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    province_id INTEGER NOT NULL REFERENCES admin_units (id),
    PRIMARY KEY (user_id, province_id)
);

CREATE TABLE establishments (
    id                    INTEGER PRIMARY KEY,
    public_id             TEXT NOT NULL UNIQUE,
    name                  TEXT NOT NULL,
    name_fold             TEXT NOT NULL,
    legal_form            TEXT NOT NULL CHECK (legal_form IN ('enterprise', 'cooperative', 'cooperative_group', 'household')),
    tax_code              TEXT UNIQUE,
    province_id           INTEGER NOT NULL REFERENCES admin_units (id),
    orig_province_id      INTEGER NOT NULL REFERENCES admin_units (id),
    commune_id            INTEGER REFERENCES admin_units (id),
    orig_commune_id       INTEGER REFERENCES admin_units (id),
    address               TEXT NOT NULL DEFAULT '',
    sector_code           TEXT NOT NULL DEFAULT '',
    craft_village         TEXT NOT NULL DEFAULT '',
    employees             INTEGER CHECK (employees >= 0),
    founded_year          INTEGER,
    contact_name          TEXT NOT NULL DEFAULT '',
    phone                 TEXT NOT NULL DEFAULT '',
    email                 TEXT NOT NULL DEFAULT '',
    women_owned           INTEGER NOT NULL DEFAULT 0,
    ethnic_minority_owned INTEGER NOT NULL DEFAULT 0,
    status                TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'archived')),
    published             INTEGER NOT NULL DEFAULT 0,
    recorded_on           DATE NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    created_by            INTEGER REFERENCES users (id)
);
CREATE INDEX establishments_province ON establishments (province_id, id);
CREATE INDEX establishments_fold ON establishments (name_fold, id);
CREATE INDEX establishments_commune ON establishments (commune_id);

CREATE TABLE projects (
    id                  INTEGER PRIMARY KEY,
    public_id           TEXT NOT NULL UNIQUE,
    code                TEXT NOT NULL UNIQUE,
    program_id          INTEGER NOT NULL REFERENCES programs (id),
    year                INTEGER NOT NULL,
    title               TEXT NOT NULL,
    title_fold          TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL DEFAULT '',
    activity_type_code  TEXT NOT NULL REFERENCES activity_types (code),
    implementing_org_id INTEGER NOT NULL REFERENCES organizations (id),
    province_id         INTEGER NOT NULL REFERENCES admin_units (id),
    orig_province_id    INTEGER NOT NULL REFERENCES admin_units (id),
    area_category       TEXT NOT NULL DEFAULT 'ordinary' CHECK (area_category IN ('ordinary', 'disadvantaged')),
    state               TEXT NOT NULL DEFAULT 'draft',
    rule_set_id         INTEGER REFERENCES rule_sets (id),
    decision_no         TEXT NOT NULL DEFAULT '',
    decision_date       DATE,
    published           INTEGER NOT NULL DEFAULT 0,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    created_by          INTEGER REFERENCES users (id)
);
CREATE INDEX projects_program_year ON projects (program_id, year, id);
CREATE INDEX projects_province ON projects (province_id, id);
CREATE INDEX projects_state ON projects (state);

CREATE TABLE project_provinces (
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    province_id INTEGER NOT NULL REFERENCES admin_units (id),
    PRIMARY KEY (project_id, province_id)
);

CREATE TABLE project_beneficiaries (
    project_id       INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    establishment_id INTEGER NOT NULL REFERENCES establishments (id),
    note             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, establishment_id)
);
CREATE INDEX project_beneficiaries_est ON project_beneficiaries (establishment_id);

-- Budget lines per funding source. planned at proposal, approved at
-- approval, actual at settlement. The co-financing ledger will hang off them.
CREATE TABLE budget_lines (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    source      TEXT NOT NULL CHECK (source IN ('national', 'local', 'reciprocal', 'credit', 'science', 'trade', 'other')),
    description TEXT NOT NULL DEFAULT '',
    planned     INTEGER NOT NULL DEFAULT 0 CHECK (planned >= 0),
    approved    INTEGER CHECK (approved >= 0),
    actual      INTEGER CHECK (actual >= 0)
);
CREATE INDEX budget_lines_project ON budget_lines (project_id);

CREATE TABLE project_outputs (
    project_id     INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    indicator_code TEXT NOT NULL REFERENCES indicators (code),
    planned        INTEGER NOT NULL DEFAULT 0 CHECK (planned >= 0),
    actual         INTEGER CHECK (actual >= 0),
    PRIMARY KEY (project_id, indicator_code)
);

-- Audit trail, hash-chained: hash = sha256(prev_hash || canonical entry).
-- audit_head holds the last seq and hash; updating it serialises writers.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    user_id     INTEGER,
    actor       TEXT NOT NULL DEFAULT '',
    remote_addr TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT NOT NULL DEFAULT '',
    after_json  TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_user ON audit_log (user_id, seq);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
