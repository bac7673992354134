package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"nipp/internal/nipp"
)

// Plan states (proposals in a plan, and decided projects) as SQL lists,
// from their one home in the domain.
var (
	planStates    = sqlStates(nipp.PlanStates())
	decidedStates = sqlStates(nipp.DecidedStates())
)

// sqlStates writes states as a list of SQL string literals. They are
// written into the statement (not bound) so that the planner can match
// partial indexes; the domain's state names are lower-case words, checked
// here so that nothing else can reach the SQL.
func sqlStates(states []nipp.ProjectState) string {
	parts := make([]string, len(states))
	for i, s := range states {
		if strings.Trim(string(s), "abcdefghijklmnopqrstuvwxyz_") != "" {
			panic("store: state name not a plain word: " + string(s))
		}
		parts[i] = "'" + string(s) + "'"
	}
	return strings.Join(parts, ", ")
}

// FindAnnualPlan compiles a year's national plan. provinces, when not nil,
// limits the totals to those provinces (2025 codes).
func (tx *Tx) FindAnnualPlan(ctx context.Context, year int, provinces []string) (_ *nipp.AnnualPlan, err error) {
	defer nipp.Wrap(&err, "store.FindAnnualPlan(%v)", year)
	pl := &nipp.AnnualPlan{Year: year, Partial: provinces != nil}
	if err := tx.planCeiling(ctx, pl); err != nil {
		return nil, err
	}
	args := []any{year}
	scope := ""
	if provinces != nil {
		ph := []string{"''"}
		for _, c := range provinces {
			args = append(args, c)
			ph = append(ph, "$"+strconv.Itoa(len(args)))
		}
		scope = ` AND u.code IN (` + strings.Join(ph, ", ") + `)`
	}
	projects, err := tx.planProjects(ctx, scope, args)
	if err != nil {
		return nil, err
	}
	pl.AddProjects(projects)
	if err := tx.planGroups(ctx, pl, scope, args); err != nil {
		return nil, err
	}
	return pl, nil
}

// planCeiling reads the plan's ceiling, when one was entered.
func (tx *Tx) planCeiling(ctx context.Context, pl *nipp.AnnualPlan) error {
	var upd sql.NullTime
	err := tx.QueryRow(ctx, `SELECT ceiling, note, version, updated_at FROM annual_plans WHERE year = $1`, pl.Year).Scan(&pl.Ceiling, &pl.Note, &pl.Version, &upd)
	switch {
	case err == sql.ErrNoRows:
		return nil
	case err != nil:
		return mapError(err)
	}
	pl.HasCeiling = true
	pl.UpdatedAt = upd.Time
	return nil
}

// planProjects reads the plan's projects (year $1, provinces in scope)
// with their national amounts. The totals are added up in Go with
// overflow-checked additions (nipp.AnnualPlan.AddProjects) rather than by
// SUM: a row written before amounts were bounded (or by hand) must not make
// the plan fail for everyone.
func (tx *Tx) planProjects(ctx context.Context, scope string, args []any) ([]nipp.PlanProject, error) {
	var projects []nipp.PlanProject
	var curID int64
	err := tx.each(ctx, `SELECT p.id, p.code, u.code, u.name_vi, at.code, at.name_vi,
		CASE WHEN p.state IN (`+decidedStates+`) THEN 1 ELSE 0 END, bl.planned, bl.approved
		FROM projects p JOIN programs pg ON pg.id = p.program_id AND pg.level = 'national'
		JOIN admin_units u ON u.id = p.province_id JOIN activity_types at ON at.code = p.activity_type_code
		LEFT JOIN budget_lines bl ON bl.project_id = p.id AND bl.source = 'national'
		WHERE p.year = $1 AND p.state IN (`+planStates+`)`+scope+` ORDER BY p.id`, args,
		func(scan func(...any) error) error {
			var id int64
			var decided int
			var r nipp.PlanProject
			var planned, approved sql.NullInt64
			if err := scan(&id, &r.Code, &r.Province, &r.ProvinceName, &r.Activity, &r.ActivityName, &decided, &planned, &approved); err != nil {
				return err
			}
			if len(projects) == 0 || id != curID {
				curID = id
				projects = append(projects, r)
			}
			if !planned.Valid {
				return nil // no national line
			}
			cur := &projects[len(projects)-1]
			var ok1, ok2 bool
			cur.Proposed, ok1 = addAmount(cur.Proposed, planned.Int64)
			ok2 = true
			if decided == 1 && approved.Valid {
				cur.Approved, ok2 = addAmount(cur.Approved, approved.Int64)
			}
			if !ok1 || !ok2 {
				cur.Bad = true
			}
			return nil
		})
	return projects, err
}

// planGroups counts the beneficiaries of the plan's projects per priority
// group (by join on their group rows).
func (tx *Tx) planGroups(ctx context.Context, pl *nipp.AnnualPlan, scope string, args []any) error {
	gargs := slices.Clone(args)
	cols := []string{`COUNT(DISTINCT pb.establishment_id)`}
	for _, g := range nipp.PriorityGroupCodes {
		gargs = append(gargs, g)
		ph := "$" + strconv.Itoa(len(gargs))
		cols = append(cols, `COUNT(DISTINCT CASE WHEN g.group_code = `+ph+` THEN pb.establishment_id END)`,
			`COUNT(DISTINCT CASE WHEN g.group_code = `+ph+` AND g.prioritised THEN pb.establishment_id END)`)
	}
	pl.ByGroup = make([]nipp.GroupCount, len(nipp.PriorityGroupCodes))
	dst := []any{&pl.Beneficiaries}
	for i, g := range nipp.PriorityGroupCodes {
		pl.ByGroup[i].Group = g
		dst = append(dst, &pl.ByGroup[i].Members, &pl.ByGroup[i].Prioritised)
	}
	err := tx.QueryRow(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM project_beneficiaries pb
		LEFT JOIN project_beneficiary_groups g ON g.project_id = pb.project_id AND g.establishment_id = pb.establishment_id
		JOIN projects p ON p.id = pb.project_id
		JOIN programs pg ON pg.id = p.program_id AND pg.level = 'national' JOIN admin_units u ON u.id = p.province_id
		WHERE p.year = $1 AND p.state IN (`+planStates+`)`+scope, gargs...).Scan(dst...)
	return mapError(err)
}

// addAmount adds an amount read from the database to a sum: false when the
// amount is out of range or the sum would overflow.
func addAmount(sum, v int64) (int64, bool) {
	if v < 0 || v > nipp.MaxAmount {
		return sum, false
	}
	return nipp.AddVND(sum, v)
}

// SetPlanCeiling sets a year's national budget ceiling. version is the
// version the change started from (0 when the plan had no ceiling yet).
func (tx *Tx) SetPlanCeiling(ctx context.Context, year int, ceiling int64, note string, version int, userID int64) (err error) {
	defer nipp.Wrap(&err, "store.SetPlanCeiling(%v, %v, %q, %v, %v)", year, ceiling, note, version, userID)
	if version == 0 {
		_, err := tx.Exec(ctx, `INSERT INTO annual_plans (year, ceiling, note, version, updated_at, updated_by) VALUES ($1, $2, $3, 1, $4, $5)`,
			year, ceiling, note, tx.Now(), nullID(userID))
		if IsUniqueViolation(err) {
			return nipp.Errorf(nipp.ECONFLICT, "err.store.ceiling_was_just_entered_by", year)
		}
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE annual_plans SET ceiling = $1, note = $2, version = version + 1, updated_at = $3, updated_by = $4
		WHERE year = $5 AND version = $6`, ceiling, note, tx.Now(), nullID(userID), year, version)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapError(err)
	}
	if n == 0 {
		return nipp.Errorf(nipp.ECONFLICT, "err.store.ceiling_was_changed_by_someone", year)
	}
	return nil
}

// CreateAttachment records an attachment's metadata.
func (tx *Tx) CreateAttachment(ctx context.Context, projectID int64, a *nipp.Attachment, userID int64) (err error) {
	defer nipp.Wrap(&err, "store.CreateAttachment(%v, %v)", projectID, userID)
	a.UploadedAt = tx.Now()
	id, err := tx.InsertID(ctx, `INSERT INTO project_attachments (project_id, kind, filename, content_type, size, sha256, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, projectID, a.Kind, a.Filename, a.ContentType, a.Size, a.SHA256, nullID(userID), a.UploadedAt)
	a.ID = id
	return err
}

const attachmentCols = `a.id, a.kind, a.filename, a.content_type, a.size, a.sha256, COALESCE(u.email, ''), a.uploaded_at`

// FindAttachments lists a project's attachments.
func (tx *Tx) FindAttachments(ctx context.Context, projectID int64) (_ []nipp.Attachment, err error) {
	defer nipp.Wrap(&err, "store.FindAttachments(%v)", projectID)
	var out []nipp.Attachment
	err = tx.each(ctx, `SELECT `+attachmentCols+` FROM project_attachments a LEFT JOIN users u ON u.id = a.uploaded_by
		WHERE a.project_id = $1 ORDER BY a.id`, []any{projectID}, func(scan func(...any) error) error {
		var a nipp.Attachment
		if err := scan(&a.ID, &a.Kind, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, &a.UploadedBy, &a.UploadedAt); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	return out, err
}

// FindAttachmentByID returns one attachment of a project.
func (tx *Tx) FindAttachmentByID(ctx context.Context, projectID, id int64) (_ *nipp.Attachment, err error) {
	defer nipp.Wrap(&err, "store.FindAttachmentByID(%v, %v)", projectID, id)
	a := &nipp.Attachment{}
	err = ScanOne(tx.QueryRow(ctx, `SELECT `+attachmentCols+` FROM project_attachments a LEFT JOIN users u ON u.id = a.uploaded_by
		WHERE a.project_id = $1 AND a.id = $2`, projectID, id), "attachment",
		&a.ID, &a.Kind, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, &a.UploadedBy, &a.UploadedAt)
	return a, err
}
