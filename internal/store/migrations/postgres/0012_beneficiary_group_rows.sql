-- Priority groups as rows (issue 17): one row per beneficiary of a project
-- and group it belonged to when it was added (facts from the registry:
-- women_owned, ethnic_minority_owned, craft_village, artisan), prioritised
-- when the project's pinned rule set gives that group priority
-- (recomputed when approval re-pins the rule set). They replace 0008's
-- comma lists and are counted by join. The rows follow their beneficiary:
-- removed with it, moved with it when establishments are merged.
CREATE TABLE project_beneficiary_groups (
    project_id       BIGINT NOT NULL,
    establishment_id BIGINT NOT NULL,
    group_code       TEXT NOT NULL CHECK (group_code <> ''),
    prioritised      BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (project_id, establishment_id, group_code),
    FOREIGN KEY (project_id, establishment_id) REFERENCES project_beneficiaries (project_id, establishment_id)
        ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX project_beneficiary_groups_code ON project_beneficiary_groups (group_code, prioritised);

-- Move the comma lists into rows.
INSERT INTO project_beneficiary_groups (project_id, establishment_id, group_code, prioritised)
SELECT pb.project_id, pb.establishment_id, g, g = ANY (string_to_array(pb.priority_groups, ','))
FROM project_beneficiaries pb, unnest(string_to_array(pb.beneficiary_groups, ',')) AS g
WHERE pb.beneficiary_groups <> '' AND g <> '';

ALTER TABLE project_beneficiaries DROP COLUMN beneficiary_groups;
ALTER TABLE project_beneficiaries DROP COLUMN priority_groups;
