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
func (tx *Tx) FindAnnualPlan(ctx context.Context, year int, provinces []string) (*nipp.AnnualPlan, error) {
	pl := &nipp.AnnualPlan{Year: year}
	var upd sql.NullTime
	err := tx.QueryRow(ctx, `SELECT ceiling, note, version, updated_at FROM annual_plans WHERE year = $1`, year).Scan(&pl.Ceiling, &pl.Note, &pl.Version, &upd)
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return nil, mapError(err)
	default:
		pl.HasCeiling = true
		pl.UpdatedAt = upd.Time
	}
	args := []any{year}
	scope := ""
	if provinces != nil {
		pl.Partial = true
		ph := []string{"''"}
		for _, c := range provinces {
			args = append(args, c)
			ph = append(ph, "$"+strconv.Itoa(len(args)))
		}
		scope = ` AND u.code IN (` + strings.Join(ph, ", ") + `)`
	}
	base := ` FROM projects p JOIN programs pg ON pg.id = p.program_id AND pg.level = 'national'
		JOIN admin_units u ON u.id = p.province_id JOIN activity_types at ON at.code = p.activity_type_code
		LEFT JOIN budget_lines bl ON bl.project_id = p.id AND bl.source = 'national'
		WHERE p.year = $1 AND p.state IN (` + planStates + `)` + scope
	sums := `COUNT(DISTINCT p.id), COALESCE(CAST(SUM(bl.planned) AS BIGINT), 0),
		COALESCE(CAST(SUM(CASE WHEN p.state IN (` + decidedStates + `) THEN COALESCE(bl.approved, 0) ELSE 0 END) AS BIGINT), 0)`
	load := func(dst *[]nipp.PlanRow, key, name string) error {
		return tx.each(ctx, `SELECT `+key+`, `+name+`, `+sums+base+` GROUP BY `+key+`, `+name+` ORDER BY `+key, args,
			func(scan func(...any) error) error {
				var r nipp.PlanRow
				if err := scan(&r.Code, &r.Name, &r.Projects, &r.Proposed, &r.Approved); err != nil {
					return err
				}
				*dst = append(*dst, r)
				return nil
			})
	}
	if err := load(&pl.ByProvince, "u.code", "u.name_vi"); err != nil {
		return nil, err
	}
	if err := load(&pl.ByActivity, "at.code", "at.name_vi"); err != nil {
		return nil, err
	}
	for _, r := range pl.ByProvince {
		pl.Projects += r.Projects
		pl.Proposed += r.Proposed
		pl.Approved += r.Approved
	}
	pl.OverCeiling = pl.HasCeiling && pl.Approved > pl.Ceiling
	// Beneficiaries per priority group, among the same projects.
	gargs := slices.Clone(args)
	cols := []string{`COUNT(DISTINCT pb.establishment_id)`}
	for _, g := range nipp.PriorityGroupCodes {
		gargs = append(gargs, "%,"+g+",%")
		ph := "$" + strconv.Itoa(len(gargs))
		cols = append(cols, `COUNT(DISTINCT CASE WHEN ',' || pb.beneficiary_groups || ',' LIKE `+ph+` THEN pb.establishment_id END)`,
			`COUNT(DISTINCT CASE WHEN ',' || pb.priority_groups || ',' LIKE `+ph+` THEN pb.establishment_id END)`)
	}
	pl.ByGroup = make([]nipp.GroupCount, len(nipp.PriorityGroupCodes))
	dst := []any{&pl.Beneficiaries}
	for i, g := range nipp.PriorityGroupCodes {
		pl.ByGroup[i].Group = g
		dst = append(dst, &pl.ByGroup[i].Members, &pl.ByGroup[i].Prioritised)
	}
	err = tx.QueryRow(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM project_beneficiaries pb JOIN projects p ON p.id = pb.project_id
		JOIN programs pg ON pg.id = p.program_id AND pg.level = 'national' JOIN admin_units u ON u.id = p.province_id
		WHERE p.year = $1 AND p.state IN (`+planStates+`)`+scope, gargs...).Scan(dst...)
	if err != nil {
		return nil, mapError(err)
	}
	return pl, nil
}

// SetPlanCeiling sets a year's national budget ceiling. version is the
// version the change started from (0 when the plan had no ceiling yet).
func (tx *Tx) SetPlanCeiling(ctx context.Context, year int, ceiling int64, note string, version int, userID int64) error {
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
	if n, _ := res.RowsAffected(); n == 0 {
		return nipp.Errorf(nipp.ECONFLICT, "err.store.ceiling_was_changed_by_someone", year)
	}
	return nil
}

// CreateAttachment records an attachment's metadata.
func (tx *Tx) CreateAttachment(ctx context.Context, projectID int64, a *nipp.Attachment, userID int64) error {
	a.UploadedAt = tx.Now()
	id, err := tx.InsertID(ctx, `INSERT INTO project_attachments (project_id, kind, filename, content_type, size, sha256, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, projectID, a.Kind, a.Filename, a.ContentType, a.Size, a.SHA256, nullID(userID), a.UploadedAt)
	a.ID = id
	return err
}

const attachmentCols = `a.id, a.kind, a.filename, a.content_type, a.size, a.sha256, COALESCE(u.email, ''), a.uploaded_at`

// FindAttachments lists a project's attachments.
func (tx *Tx) FindAttachments(ctx context.Context, projectID int64) ([]nipp.Attachment, error) {
	var out []nipp.Attachment
	err := tx.each(ctx, `SELECT `+attachmentCols+` FROM project_attachments a LEFT JOIN users u ON u.id = a.uploaded_by
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
func (tx *Tx) FindAttachmentByID(ctx context.Context, projectID, id int64) (*nipp.Attachment, error) {
	a := &nipp.Attachment{}
	err := ScanOne(tx.QueryRow(ctx, `SELECT `+attachmentCols+` FROM project_attachments a LEFT JOIN users u ON u.id = a.uploaded_by
		WHERE a.project_id = $1 AND a.id = $2`, projectID, id), "attachment",
		&a.ID, &a.Kind, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, &a.UploadedBy, &a.UploadedAt)
	return a, err
}
