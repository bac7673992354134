package store

import (
	"context"
	"database/sql"
	"fmt"
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
// limits the totals to those provinces (2025 codes). A read transaction
// gets the plan kept for the current change stamp when there is one
// (readcache.go): it adds up every project of the year (35,000 at national
// scale), which only a change to the projects alters. The caller may
// change the plan it gets.
func (tx *Tx) FindAnnualPlan(ctx context.Context, year int, provinces []string) (*nipp.AnnualPlan, error) {
	key := fmt.Sprintf("plan %d %t %q", year, provinces == nil, provinces)
	v, err := tx.keptProjects(ctx, key, func() (any, error) { return tx.compileAnnualPlan(ctx, year, provinces) })
	if err != nil {
		return nil, err
	}
	pl := *v.(*nipp.AnnualPlan)
	pl.ByProvince, pl.ByActivity = slices.Clone(pl.ByProvince), slices.Clone(pl.ByActivity)
	pl.Excluded, pl.ByGroup = slices.Clone(pl.Excluded), slices.Clone(pl.ByGroup)
	return &pl, nil
}

func (tx *Tx) compileAnnualPlan(ctx context.Context, year int, provinces []string) (*nipp.AnnualPlan, error) {
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
	// The totals are added up in Go with overflow-checked additions rather
	// than by SUM: a row written before amounts were bounded (or by hand)
	// must not make the plan fail for everyone. A project with an amount
	// out of range (below zero, above nipp.MaxAmount) or whose amounts would
	// overflow the total is left out of every total and listed in Excluded.
	// The year's projects are read through projects_year_id and each one's
	// lines and beneficiaries through its own index entries. PostgreSQL,
	// left to itself, hashes every national line and every beneficiary of
	// every year instead (a whole table each); LATERAL with OFFSET 0 (which
	// keeps the subquery from being merged into the join) keeps it to the
	// year's projects. SQLite looks them up by project anyway.
	lines := `LEFT JOIN budget_lines bl ON bl.project_id = p.id AND bl.source = 'national'`
	bens := `project_beneficiaries pb JOIN projects p ON p.id = pb.project_id`
	if tx.Dialect() == Postgres {
		lines = `LEFT JOIN LATERAL (SELECT b.planned, b.approved FROM budget_lines b WHERE b.project_id = p.id AND b.source = 'national' OFFSET 0) bl ON TRUE`
		bens = `projects p JOIN LATERAL (SELECT b.establishment_id, b.beneficiary_groups, b.priority_groups FROM project_beneficiaries b
			WHERE b.project_id = p.id OFFSET 0) pb ON TRUE`
	}
	base := ` FROM projects p JOIN programs pg ON pg.id = p.program_id AND pg.level = 'national'
		JOIN admin_units u ON u.id = p.province_id JOIN activity_types at ON at.code = p.activity_type_code
		` + lines + `
		WHERE p.year = $1 AND p.state IN (` + planStates + `)` + scope
	type planProject struct {
		code, prov, provName, act, actName string
		proposed, approved                 int64
		bad                                bool
	}
	var projects []*planProject
	var cur *planProject
	var curID int64
	err = tx.each(ctx, `SELECT p.id, p.code, u.code, u.name_vi, at.code, at.name_vi,
		CASE WHEN p.state IN (`+decidedStates+`) THEN 1 ELSE 0 END, bl.planned, bl.approved`+base+` ORDER BY p.id`, args,
		func(scan func(...any) error) error {
			var id int64
			var decided int
			var r planProject
			var planned, approved sql.NullInt64
			if err := scan(&id, &r.code, &r.prov, &r.provName, &r.act, &r.actName, &decided, &planned, &approved); err != nil {
				return err
			}
			if cur == nil || id != curID {
				cur, curID = &r, id
				projects = append(projects, cur)
			}
			if !planned.Valid {
				return nil // no national line
			}
			var ok1, ok2 bool
			cur.proposed, ok1 = addAmount(cur.proposed, planned.Int64)
			ok2 = true
			if decided == 1 && approved.Valid {
				cur.approved, ok2 = addAmount(cur.approved, approved.Int64)
			}
			if !ok1 || !ok2 {
				cur.bad = true
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	byProv, byAct := map[string]*nipp.PlanRow{}, map[string]*nipp.PlanRow{}
	add := func(m map[string]*nipp.PlanRow, code, name string, pp *planProject) {
		r := m[code]
		if r == nil {
			r = &nipp.PlanRow{Code: code, Name: name}
			m[code] = r
		}
		// Cannot overflow: every amount is non-negative and the plan's
		// total, which bounds this one, did not.
		r.Projects++
		r.Proposed, _ = nipp.AddVND(r.Proposed, pp.proposed)
		r.Approved, _ = nipp.AddVND(r.Approved, pp.approved)
	}
	for _, pp := range projects {
		proposed, ok1 := nipp.AddVND(pl.Proposed, pp.proposed)
		approved, ok2 := nipp.AddVND(pl.Approved, pp.approved)
		if pp.bad || !ok1 || !ok2 {
			pl.Excluded = append(pl.Excluded, pp.code)
			continue
		}
		pl.Projects++
		pl.Proposed, pl.Approved = proposed, approved
		add(byProv, pp.prov, pp.provName, pp)
		add(byAct, pp.act, pp.actName, pp)
	}
	pl.ByProvince, pl.ByActivity = planRows(byProv), planRows(byAct)
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
	err = tx.QueryRow(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+bens+`
		JOIN programs pg ON pg.id = p.program_id AND pg.level = 'national' JOIN admin_units u ON u.id = p.province_id
		WHERE p.year = $1 AND p.state IN (`+planStates+`)`+scope, gargs...).Scan(dst...)
	if err != nil {
		return nil, mapError(err)
	}
	return pl, nil
}

// addAmount adds an amount read from the database to a sum: false when the
// amount is out of range or the sum would overflow.
func addAmount(sum, v int64) (int64, bool) {
	if v < 0 || v > nipp.MaxAmount {
		return sum, false
	}
	return nipp.AddVND(sum, v)
}

// planRows returns a plan's rows ordered by code.
func planRows(m map[string]*nipp.PlanRow) []nipp.PlanRow {
	out := make([]nipp.PlanRow, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b nipp.PlanRow) int { return strings.Compare(a.Code, b.Code) })
	return out
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
