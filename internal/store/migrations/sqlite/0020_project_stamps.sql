-- A project's detail kept per change stamp (issue 20).
--
-- The JSON API's project detail (web/api_projects.go) is kept in memory,
-- read and encoded once per version of the project (app/detail.go). Two
-- numbers say whether a kept detail is still what the database holds:
--
-- project_stamps.n, per project, grows with every change to the rows the
-- detail shows of that project alone: the project, its provinces, budget
-- lines, outputs, pinned caps, beneficiaries and their groups, history,
-- attachments, council assignment, scores and conflicts, and the shown
-- columns of its beneficiary establishments. A project without a row has
-- stamp 0 (a bulk load writes none); rows are never deleted, so a stamp
-- never goes back.
--
-- change_stamps 'details' grows with every change to what details share:
-- the names of programs, activity types, organizations, units, rule sets,
-- indicators, appraisal rounds, criteria, councils and their members, and
-- users' e-mail addresses (attachments' uploaders, council members).
--
-- A read compares both with the kept ones (one statement, by public id):
-- equal means nothing the detail shows has changed, on one node or many.
CREATE TABLE project_stamps (
    project_id INTEGER PRIMARY KEY,
    n          INTEGER NOT NULL
);
INSERT INTO change_stamps (name, shard, n) VALUES ('details', 0, 1);

CREATE TRIGGER projects_pstamp_i AFTER INSERT ON projects BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER projects_pstamp_u AFTER UPDATE ON projects BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER projects_pstamp_d AFTER DELETE ON projects BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (old.id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_provinces_pstamp_i AFTER INSERT ON project_provinces BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_provinces_pstamp_u AFTER UPDATE ON project_provinces BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
    INSERT INTO project_stamps (project_id, n) SELECT old.project_id, 1 WHERE old.project_id IS NOT new.project_id
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_provinces_pstamp_d AFTER DELETE ON project_provinces BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (old.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER budget_lines_pstamp_i AFTER INSERT ON budget_lines BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER budget_lines_pstamp_u AFTER UPDATE ON budget_lines BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
    INSERT INTO project_stamps (project_id, n) SELECT old.project_id, 1 WHERE old.project_id IS NOT new.project_id
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER budget_lines_pstamp_d AFTER DELETE ON budget_lines BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (old.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_outputs_pstamp_i AFTER INSERT ON project_outputs BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_outputs_pstamp_u AFTER UPDATE ON project_outputs BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
    INSERT INTO project_stamps (project_id, n) SELECT old.project_id, 1 WHERE old.project_id IS NOT new.project_id
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_outputs_pstamp_d AFTER DELETE ON project_outputs BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (old.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_caps_pstamp_i AFTER INSERT ON project_caps BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_caps_pstamp_u AFTER UPDATE ON project_caps BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
    INSERT INTO project_stamps (project_id, n) SELECT old.project_id, 1 WHERE old.project_id IS NOT new.project_id
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_caps_pstamp_d AFTER DELETE ON project_caps BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (old.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_beneficiaries_pstamp_i AFTER INSERT ON project_beneficiaries BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_beneficiaries_pstamp_u AFTER UPDATE ON project_beneficiaries BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
    INSERT INTO project_stamps (project_id, n) SELECT old.project_id, 1 WHERE old.project_id IS NOT new.project_id
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_beneficiaries_pstamp_d AFTER DELETE ON project_beneficiaries BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (old.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_beneficiary_groups_pstamp_i AFTER INSERT ON project_beneficiary_groups BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_beneficiary_groups_pstamp_u AFTER UPDATE ON project_beneficiary_groups BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
    INSERT INTO project_stamps (project_id, n) SELECT old.project_id, 1 WHERE old.project_id IS NOT new.project_id
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_beneficiary_groups_pstamp_d AFTER DELETE ON project_beneficiary_groups BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (old.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_transitions_pstamp_i AFTER INSERT ON project_transitions BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_transitions_pstamp_u AFTER UPDATE ON project_transitions BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
    INSERT INTO project_stamps (project_id, n) SELECT old.project_id, 1 WHERE old.project_id IS NOT new.project_id
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_transitions_pstamp_d AFTER DELETE ON project_transitions BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (old.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_attachments_pstamp_i AFTER INSERT ON project_attachments BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_attachments_pstamp_u AFTER UPDATE ON project_attachments BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
    INSERT INTO project_stamps (project_id, n) SELECT old.project_id, 1 WHERE old.project_id IS NOT new.project_id
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER project_attachments_pstamp_d AFTER DELETE ON project_attachments BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (old.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER appraisal_assignments_pstamp_i AFTER INSERT ON appraisal_assignments BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER appraisal_assignments_pstamp_u AFTER UPDATE ON appraisal_assignments BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
    INSERT INTO project_stamps (project_id, n) SELECT old.project_id, 1 WHERE old.project_id IS NOT new.project_id
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER appraisal_assignments_pstamp_d AFTER DELETE ON appraisal_assignments BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (old.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER appraisal_scores_pstamp_i AFTER INSERT ON appraisal_scores BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER appraisal_scores_pstamp_u AFTER UPDATE ON appraisal_scores BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
    INSERT INTO project_stamps (project_id, n) SELECT old.project_id, 1 WHERE old.project_id IS NOT new.project_id
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER appraisal_scores_pstamp_d AFTER DELETE ON appraisal_scores BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (old.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER appraisal_conflicts_pstamp_i AFTER INSERT ON appraisal_conflicts BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER appraisal_conflicts_pstamp_u AFTER UPDATE ON appraisal_conflicts BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
    INSERT INTO project_stamps (project_id, n) SELECT old.project_id, 1 WHERE old.project_id IS NOT new.project_id
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER appraisal_conflicts_pstamp_d AFTER DELETE ON appraisal_conflicts BEGIN
    INSERT INTO project_stamps (project_id, n) VALUES (old.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
-- A beneficiary's shown columns (name, public id, tax code, province):
-- every project it benefits from.
CREATE TRIGGER establishments_pstamp_u AFTER UPDATE OF public_id, name, tax_code, province_id ON establishments
WHEN old.public_id IS NOT new.public_id OR old.name IS NOT new.name OR old.tax_code IS NOT new.tax_code OR old.province_id IS NOT new.province_id BEGIN
    INSERT INTO project_stamps (project_id, n) SELECT project_id, 1 FROM project_beneficiaries WHERE establishment_id = new.id
        ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
END;
-- What details share.
CREATE TRIGGER programs_dstamp_i AFTER INSERT ON programs BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER programs_dstamp_u AFTER UPDATE ON programs BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER programs_dstamp_d AFTER DELETE ON programs BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER activity_types_dstamp_i AFTER INSERT ON activity_types BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER activity_types_dstamp_u AFTER UPDATE ON activity_types BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER activity_types_dstamp_d AFTER DELETE ON activity_types BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER organizations_dstamp_i AFTER INSERT ON organizations BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER organizations_dstamp_u AFTER UPDATE ON organizations BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER organizations_dstamp_d AFTER DELETE ON organizations BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER admin_units_dstamp_i AFTER INSERT ON admin_units BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER admin_units_dstamp_u AFTER UPDATE ON admin_units BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER admin_units_dstamp_d AFTER DELETE ON admin_units BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER rule_sets_dstamp_i AFTER INSERT ON rule_sets BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER rule_sets_dstamp_u AFTER UPDATE ON rule_sets BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER rule_sets_dstamp_d AFTER DELETE ON rule_sets BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER indicators_dstamp_i AFTER INSERT ON indicators BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER indicators_dstamp_u AFTER UPDATE ON indicators BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER indicators_dstamp_d AFTER DELETE ON indicators BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER appraisal_rounds_dstamp_i AFTER INSERT ON appraisal_rounds BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER appraisal_rounds_dstamp_u AFTER UPDATE ON appraisal_rounds BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER appraisal_rounds_dstamp_d AFTER DELETE ON appraisal_rounds BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER appraisal_criteria_dstamp_i AFTER INSERT ON appraisal_criteria BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER appraisal_criteria_dstamp_u AFTER UPDATE ON appraisal_criteria BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER appraisal_criteria_dstamp_d AFTER DELETE ON appraisal_criteria BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER appraisal_councils_dstamp_i AFTER INSERT ON appraisal_councils BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER appraisal_councils_dstamp_u AFTER UPDATE ON appraisal_councils BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER appraisal_councils_dstamp_d AFTER DELETE ON appraisal_councils BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER appraisal_members_dstamp_i AFTER INSERT ON appraisal_members BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER appraisal_members_dstamp_u AFTER UPDATE ON appraisal_members BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER appraisal_members_dstamp_d AFTER DELETE ON appraisal_members BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER users_dstamp_u AFTER UPDATE OF email ON users
WHEN old.email IS NOT new.email BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
CREATE TRIGGER users_dstamp_d AFTER DELETE ON users BEGIN
    UPDATE change_stamps SET n = n + 1 WHERE name = 'details' AND shard = 0;
END;
