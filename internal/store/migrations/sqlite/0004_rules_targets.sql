-- Rule sets as dated data, part two (issue 11): who is eligible, advance
-- limits per funding source and who approves what. Loaded rule sets never
-- change; a new decree is a new rule set. Keep in step with ../postgres.

ALTER TABLE rule_sets ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE rule_sets ADD COLUMN loaded_by INTEGER REFERENCES users (id);

-- Eligible beneficiaries: one row per allowed value. A kind without rows
-- means no restriction (legal_form, unit_type, activity_type); priority_group
-- rows are the groups given priority.
CREATE TABLE rule_set_eligibility (
    rule_set_id INTEGER NOT NULL REFERENCES rule_sets (id),
    kind        TEXT NOT NULL CHECK (kind IN ('legal_form', 'unit_type', 'priority_group', 'activity_type')),
    value       TEXT NOT NULL,
    PRIMARY KEY (rule_set_id, kind, value)
);

-- Advances per funding source, as shares (basis points) of the approved
-- state support from that source: first tranche, and all tranches before
-- acceptance together; the rest is paid after acceptance.
CREATE TABLE advance_limits (
    rule_set_id       INTEGER NOT NULL REFERENCES rule_sets (id),
    funding_source    TEXT NOT NULL CHECK (funding_source IN ('national', 'local')),
    first_max_bp      INTEGER NOT NULL CHECK (first_max_bp BETWEEN 0 AND 10000),
    cumulative_max_bp INTEGER NOT NULL CHECK (cumulative_max_bp BETWEEN 0 AND 10000),
    note              TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (rule_set_id, funding_source),
    CHECK (first_max_bp <= cumulative_max_bp)
);

-- Who approves what: per action and project level, the authority, and for
-- changes the largest share of the approved support it may change alone
-- (NULL: no bound).
CREATE TABLE approval_rules (
    id            INTEGER PRIMARY KEY,
    rule_set_id   INTEGER NOT NULL REFERENCES rule_sets (id),
    action        TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('national', 'local')),
    authority     TEXT NOT NULL,
    max_change_bp INTEGER CHECK (max_change_bp BETWEEN 1 AND 10000),
    note          TEXT NOT NULL DEFAULT '',
    UNIQUE (rule_set_id, action, level, authority)
);
CREATE INDEX approval_rules_set ON approval_rules (rule_set_id);
