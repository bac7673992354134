-- Projects (issue 5): state history, pinned support caps, appraisal rounds
-- and councils, annual plans with ceilings, attachments, duplicate-support
-- confirmations and settings. Keep in step with ../postgres/0006_projects.sql.

ALTER TABLE projects ADD COLUMN pass_override_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX projects_activity_year ON projects (activity_type_code, year);
CREATE INDEX projects_year_id ON projects (year, id);

-- Every state change, with actor, time and comment (the timeline).
CREATE TABLE project_transitions (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    user_id    INTEGER REFERENCES users (id),
    actor      TEXT NOT NULL DEFAULT '',
    at         TIMESTAMP NOT NULL
);
CREATE INDEX project_transitions_project ON project_transitions (project_id, id);

-- The support caps a project's budget was last checked against, copied from
-- its rule set: a later rule set never changes them.
CREATE TABLE project_caps (
    project_id     INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    funding_source TEXT NOT NULL,
    rule_set_id    INTEGER NOT NULL REFERENCES rule_sets (id),
    rule_set_code  TEXT NOT NULL,
    legal_basis    TEXT NOT NULL DEFAULT '',
    max_share_bp   INTEGER NOT NULL,
    max_amount     INTEGER NOT NULL DEFAULT 0,
    total_cost     INTEGER NOT NULL,
    allowed        INTEGER NOT NULL,
    requested      INTEGER NOT NULL,
    checked_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (project_id, funding_source)
);

-- An establishment added as beneficiary although it already received
-- support of the same kind recently: who confirmed, why.
ALTER TABLE project_beneficiaries ADD COLUMN duplicate_reason TEXT NOT NULL DEFAULT '';
CREATE TABLE duplicate_confirmations (
    id               INTEGER PRIMARY KEY,
    project_id       INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    establishment_id INTEGER NOT NULL REFERENCES establishments (id),
    other_project_id INTEGER NOT NULL REFERENCES projects (id),
    reason           TEXT NOT NULL,
    user_id          INTEGER REFERENCES users (id),
    at               TIMESTAMP NOT NULL
);
CREATE INDEX duplicate_confirmations_project ON duplicate_confirmations (project_id);

CREATE TABLE IF NOT EXISTS settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP
);
INSERT INTO settings (key, value) VALUES ('projects.duplicate_support_years', '3') ON CONFLICT (key) DO NOTHING;

-- Appraisal.
CREATE TABLE appraisal_rounds (
    id         INTEGER PRIMARY KEY,
    year       INTEGER NOT NULL,
    name       TEXT NOT NULL,
    pass_mark  INTEGER NOT NULL CHECK (pass_mark BETWEEN 0 AND 10000), -- hundredths of a point out of 100
    created_at TIMESTAMP NOT NULL,
    created_by INTEGER REFERENCES users (id)
);

CREATE TABLE appraisal_criteria (
    id        INTEGER PRIMARY KEY,
    round_id  INTEGER NOT NULL REFERENCES appraisal_rounds (id) ON DELETE CASCADE,
    code      TEXT NOT NULL,
    name      TEXT NOT NULL,
    weight    INTEGER NOT NULL CHECK (weight > 0),
    max_score INTEGER NOT NULL CHECK (max_score > 0),
    sort      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (round_id, code)
);

CREATE TABLE appraisal_councils (
    id       INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES appraisal_rounds (id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    UNIQUE (round_id, name)
);

CREATE TABLE appraisal_members (
    council_id INTEGER NOT NULL REFERENCES appraisal_councils (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (council_id, user_id)
);
CREATE INDEX appraisal_members_user ON appraisal_members (user_id);

-- A project is appraised by one council of a round.
CREATE TABLE appraisal_assignments (
    project_id INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    council_id INTEGER NOT NULL REFERENCES appraisal_councils (id) ON DELETE CASCADE
);
CREATE INDEX appraisal_assignments_council ON appraisal_assignments (council_id);

CREATE TABLE appraisal_scores (
    project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    criterion_id INTEGER NOT NULL REFERENCES appraisal_criteria (id) ON DELETE CASCADE,
    score        INTEGER NOT NULL CHECK (score >= 0),
    scored_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (project_id, user_id, criterion_id)
);

CREATE TABLE appraisal_conflicts (
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    reason      TEXT NOT NULL,
    declared_at TIMESTAMP NOT NULL,
    PRIMARY KEY (project_id, user_id)
);

-- Annual plans: the national budget ceiling of a year.
CREATE TABLE annual_plans (
    year       INTEGER PRIMARY KEY,
    ceiling    INTEGER NOT NULL CHECK (ceiling >= 0),
    note       TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL,
    updated_by INTEGER REFERENCES users (id)
);

-- Attachments: metadata here, content under <files dir>/sha256[:2]/sha256.
CREATE TABLE project_attachments (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('proposal', 'decision', 'acceptance', 'settlement', 'other')),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    uploaded_by  INTEGER REFERENCES users (id),
    uploaded_at  TIMESTAMP NOT NULL
);
CREATE INDEX project_attachments_project ON project_attachments (project_id, id);
