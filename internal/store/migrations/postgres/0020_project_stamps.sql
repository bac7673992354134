-- A project's detail kept per change stamp (issue 20); see the SQLite
-- migration for what the two numbers mean. Here the per-project stamps are
-- kept by statement triggers over their transition tables (one upsert per
-- statement, the projects in id order), the shared stamp like 'projects'
-- (each connection adds to its own row; the stamp is their sum).
CREATE TABLE project_stamps (
    project_id BIGINT PRIMARY KEY,
    n          BIGINT NOT NULL
);
INSERT INTO change_stamps (name, shard, n) VALUES ('details', 0, 1);

-- The projects of the changed rows (column project_id; id for projects).
CREATE FUNCTION project_stamps_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF TG_TABLE_NAME = 'projects' THEN
            INSERT INTO project_stamps AS s (project_id, n) SELECT DISTINCT id, 1 FROM new_rows ORDER BY 1
                ON CONFLICT (project_id) DO UPDATE SET n = s.n + 1;
        ELSE
            INSERT INTO project_stamps AS s (project_id, n) SELECT DISTINCT project_id, 1 FROM new_rows ORDER BY 1
                ON CONFLICT (project_id) DO UPDATE SET n = s.n + 1;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF TG_TABLE_NAME = 'projects' THEN
            INSERT INTO project_stamps AS s (project_id, n) SELECT DISTINCT id, 1 FROM old_rows ORDER BY 1
                ON CONFLICT (project_id) DO UPDATE SET n = s.n + 1;
        ELSE
            INSERT INTO project_stamps AS s (project_id, n) SELECT DISTINCT project_id, 1 FROM old_rows ORDER BY 1
                ON CONFLICT (project_id) DO UPDATE SET n = s.n + 1;
        END IF;
    ELSE
        IF TG_TABLE_NAME = 'projects' THEN
            INSERT INTO project_stamps AS s (project_id, n)
                SELECT id, 1 FROM new_rows UNION SELECT id, 1 FROM old_rows ORDER BY 1
                ON CONFLICT (project_id) DO UPDATE SET n = s.n + 1;
        ELSE
            INSERT INTO project_stamps AS s (project_id, n)
                SELECT project_id, 1 FROM new_rows UNION SELECT project_id, 1 FROM old_rows ORDER BY 1
                ON CONFLICT (project_id) DO UPDATE SET n = s.n + 1;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

-- What details share, and a TRUNCATE of a project table (no transition
-- table tells which projects): every kept detail.
CREATE FUNCTION details_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_stamps AS c (name, shard, n) VALUES ('details', pg_backend_pid(), 1)
        ON CONFLICT (name, shard) DO UPDATE SET n = c.n + 1;
    RETURN NULL;
END;
$$;

-- A beneficiary's shown columns (name, public id, tax code, province):
-- every project it benefits from.
CREATE FUNCTION establishment_pstamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO project_stamps AS s (project_id, n)
        SELECT project_id, 1 FROM project_beneficiaries WHERE establishment_id = NEW.id ORDER BY 1
        ON CONFLICT (project_id) DO UPDATE SET n = s.n + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER projects_pstamp_i AFTER INSERT ON projects REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER projects_pstamp_u AFTER UPDATE ON projects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER projects_pstamp_d AFTER DELETE ON projects REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER projects_dstamp_t AFTER TRUNCATE ON projects FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER project_provinces_pstamp_i AFTER INSERT ON project_provinces REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_provinces_pstamp_u AFTER UPDATE ON project_provinces REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_provinces_pstamp_d AFTER DELETE ON project_provinces REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_provinces_dstamp_t AFTER TRUNCATE ON project_provinces FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER budget_lines_pstamp_i AFTER INSERT ON budget_lines REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER budget_lines_pstamp_u AFTER UPDATE ON budget_lines REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER budget_lines_pstamp_d AFTER DELETE ON budget_lines REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER budget_lines_dstamp_t AFTER TRUNCATE ON budget_lines FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER project_outputs_pstamp_i AFTER INSERT ON project_outputs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_outputs_pstamp_u AFTER UPDATE ON project_outputs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_outputs_pstamp_d AFTER DELETE ON project_outputs REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_outputs_dstamp_t AFTER TRUNCATE ON project_outputs FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER project_caps_pstamp_i AFTER INSERT ON project_caps REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_caps_pstamp_u AFTER UPDATE ON project_caps REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_caps_pstamp_d AFTER DELETE ON project_caps REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_caps_dstamp_t AFTER TRUNCATE ON project_caps FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER project_beneficiaries_pstamp_i AFTER INSERT ON project_beneficiaries REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_beneficiaries_pstamp_u AFTER UPDATE ON project_beneficiaries REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_beneficiaries_pstamp_d AFTER DELETE ON project_beneficiaries REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_beneficiaries_dstamp_t AFTER TRUNCATE ON project_beneficiaries FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER project_beneficiary_groups_pstamp_i AFTER INSERT ON project_beneficiary_groups REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_beneficiary_groups_pstamp_u AFTER UPDATE ON project_beneficiary_groups REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_beneficiary_groups_pstamp_d AFTER DELETE ON project_beneficiary_groups REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_beneficiary_groups_dstamp_t AFTER TRUNCATE ON project_beneficiary_groups FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER project_transitions_pstamp_i AFTER INSERT ON project_transitions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_transitions_pstamp_u AFTER UPDATE ON project_transitions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_transitions_pstamp_d AFTER DELETE ON project_transitions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_transitions_dstamp_t AFTER TRUNCATE ON project_transitions FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER project_attachments_pstamp_i AFTER INSERT ON project_attachments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_attachments_pstamp_u AFTER UPDATE ON project_attachments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_attachments_pstamp_d AFTER DELETE ON project_attachments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER project_attachments_dstamp_t AFTER TRUNCATE ON project_attachments FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER appraisal_assignments_pstamp_i AFTER INSERT ON appraisal_assignments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER appraisal_assignments_pstamp_u AFTER UPDATE ON appraisal_assignments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER appraisal_assignments_pstamp_d AFTER DELETE ON appraisal_assignments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER appraisal_assignments_dstamp_t AFTER TRUNCATE ON appraisal_assignments FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER appraisal_scores_pstamp_i AFTER INSERT ON appraisal_scores REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER appraisal_scores_pstamp_u AFTER UPDATE ON appraisal_scores REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER appraisal_scores_pstamp_d AFTER DELETE ON appraisal_scores REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER appraisal_scores_dstamp_t AFTER TRUNCATE ON appraisal_scores FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER appraisal_conflicts_pstamp_i AFTER INSERT ON appraisal_conflicts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER appraisal_conflicts_pstamp_u AFTER UPDATE ON appraisal_conflicts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER appraisal_conflicts_pstamp_d AFTER DELETE ON appraisal_conflicts REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION project_stamps_bump();
CREATE TRIGGER appraisal_conflicts_dstamp_t AFTER TRUNCATE ON appraisal_conflicts FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER establishments_pstamp_u AFTER UPDATE OF public_id, name, tax_code, province_id ON establishments FOR EACH ROW
    WHEN (OLD.public_id IS DISTINCT FROM NEW.public_id OR OLD.name IS DISTINCT FROM NEW.name
        OR OLD.tax_code IS DISTINCT FROM NEW.tax_code OR OLD.province_id IS DISTINCT FROM NEW.province_id)
    EXECUTE FUNCTION establishment_pstamp();
CREATE TRIGGER programs_dstamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programs FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER activity_types_dstamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON activity_types FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER organizations_dstamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organizations FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER admin_units_dstamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON admin_units FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER rule_sets_dstamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rule_sets FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER indicators_dstamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON indicators FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER appraisal_rounds_dstamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal_rounds FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER appraisal_criteria_dstamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal_criteria FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER appraisal_councils_dstamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal_councils FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER appraisal_members_dstamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal_members FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
CREATE TRIGGER users_dstamp_u AFTER UPDATE OF email ON users FOR EACH ROW WHEN (OLD.email IS DISTINCT FROM NEW.email) EXECUTE FUNCTION details_stamp();
CREATE TRIGGER users_dstamp_d AFTER DELETE ON users FOR EACH STATEMENT EXECUTE FUNCTION details_stamp();
