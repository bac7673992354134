-- Priority groups as rows (issue 17): one row per beneficiary of a project
-- and group it belonged to when it was added (facts from the registry:
-- women_owned, ethnic_minority_owned, craft_village, artisan), prioritised
-- when the project's pinned rule set gives that group priority
-- (recomputed when approval re-pins the rule set). They replace 0008's
-- comma lists and are counted by join. The rows follow their beneficiary:
-- removed with it, moved with it when establishments are merged.
CREATE TABLE project_beneficiary_groups (
    project_id       INTEGER NOT NULL,
    establishment_id INTEGER NOT NULL,
    group_code       TEXT NOT NULL CHECK (group_code <> ''),
    prioritised      INTEGER NOT NULL DEFAULT 0 CHECK (prioritised IN (0, 1)),
    PRIMARY KEY (project_id, establishment_id, group_code),
    FOREIGN KEY (project_id, establishment_id) REFERENCES project_beneficiaries (project_id, establishment_id)
        ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX project_beneficiary_groups_code ON project_beneficiary_groups (group_code, prioritised);

-- Move the comma lists into rows.
INSERT INTO project_beneficiary_groups (project_id, establishment_id, group_code, prioritised)
WITH RECURSIVE split (project_id, establishment_id, grp, rest, prio) AS (
    SELECT project_id, establishment_id, '', beneficiary_groups || ',', ',' || priority_groups || ','
    FROM project_beneficiaries WHERE beneficiary_groups <> ''
    UNION ALL
    SELECT project_id, establishment_id, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1), prio
    FROM split WHERE rest <> ''
)
SELECT project_id, establishment_id, grp, CASE WHEN instr(prio, ',' || grp || ',') > 0 THEN 1 ELSE 0 END
FROM split WHERE grp <> '';

ALTER TABLE project_beneficiaries DROP COLUMN beneficiary_groups;
ALTER TABLE project_beneficiaries DROP COLUMN priority_groups;
