-- Priority groups of a project's beneficiaries (issue 11's eligibility
-- check, recorded by the projects use case). beneficiary_groups: the
-- groups the establishment belonged to when it was added (facts from the
-- registry: women_owned, ethnic_minority_owned, craft_village, artisan);
-- priority_groups: those among them that the project's pinned rule set
-- gives priority to (recomputed when approval re-pins the rule set). Both
-- are sorted comma lists ('' for none), counted with
-- ',' || col || ',' LIKE '%,code,%'.
ALTER TABLE project_beneficiaries ADD COLUMN beneficiary_groups TEXT NOT NULL DEFAULT '';
ALTER TABLE project_beneficiaries ADD COLUMN priority_groups TEXT NOT NULL DEFAULT '';

-- Existing rows: today's registry flags, and the rule set each project pins.
UPDATE project_beneficiaries SET beneficiary_groups = COALESCE((SELECT trim(
    CASE WHEN e.artisan <> 0 THEN 'artisan,' ELSE '' END ||
    CASE WHEN e.craft_village <> '' THEN 'craft_village,' ELSE '' END ||
    CASE WHEN e.ethnic_minority_owned <> 0 THEN 'ethnic_minority_owned,' ELSE '' END ||
    CASE WHEN e.women_owned <> 0 THEN 'women_owned,' ELSE '' END, ',')
  FROM establishments e WHERE e.id = project_beneficiaries.establishment_id), '');

UPDATE project_beneficiaries SET priority_groups = trim(
    (SELECT COALESCE(group_concat(r.value || ',', ''), '') FROM (
        SELECT r.value FROM projects p JOIN rule_set_eligibility r ON r.rule_set_id = p.rule_set_id AND r.kind = 'priority_group'
        WHERE p.id = project_beneficiaries.project_id
          AND ',' || project_beneficiaries.beneficiary_groups || ',' LIKE '%,' || r.value || ',%'
        ORDER BY r.value) r), ',')
WHERE beneficiary_groups <> '';
