-- Indexes for pages that read many projects to show few (issue 20).
--
-- The rule sets page counts the projects pinned to each rule set: from
-- this index, not by reading every project.
CREATE INDEX projects_rule_set ON projects (rule_set_id);

-- A work queue (a province's projects in one state, newest first) read
-- every project of the province through project_provinces to test each
-- one's state: 15,000 for Hà Nội at national scale, 25 ms a queue. Each
-- row of project_provinces now carries its project's state, kept by the
-- triggers below, so that the province's projects in a state are one
-- range of project_provinces_state.
ALTER TABLE project_provinces ADD COLUMN state TEXT;
UPDATE project_provinces pp SET state = p.state FROM projects p WHERE p.id = pp.project_id;
CREATE INDEX project_provinces_state ON project_provinces (province_id, state, project_id);
CREATE FUNCTION project_provinces_state_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.state := (SELECT p.state FROM projects p WHERE p.id = NEW.project_id);
    RETURN NEW;
END;
$$;
CREATE TRIGGER project_provinces_state BEFORE INSERT OR UPDATE OF project_id ON project_provinces
    FOR EACH ROW EXECUTE FUNCTION project_provinces_state_fill();
CREATE FUNCTION projects_state_provinces() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE project_provinces SET state = NEW.state WHERE project_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER projects_state_provinces AFTER UPDATE OF state ON projects
    FOR EACH ROW WHEN (NEW.state IS DISTINCT FROM OLD.state) EXECUTE FUNCTION projects_state_provinces();
ANALYZE project_provinces;
