package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/vntext"
)

const projectCols = `p.id, p.public_id, p.code, p.program_id, pg.code, pg.name_vi, pg.name_en, pg.level, p.year, p.title, p.description,
	p.activity_type_code, at.name_vi, at.name_en, at.needs_beneficiary, at.needs_outputs, p.implementing_org_id, o.code, o.name_vi, o.name_en, u.code, u.name_vi, p.area_category, p.state,
	COALESCE(p.rule_set_id, 0), COALESCE(rs.code, ''), p.decision_no, p.decision_date, p.published, p.pass_override_reason,
	p.version, p.created_at, p.updated_at`

const projectFrom = ` FROM projects p
	JOIN programs pg ON pg.id = p.program_id
	JOIN activity_types at ON at.code = p.activity_type_code
	JOIN organizations o ON o.id = p.implementing_org_id
	JOIN admin_units u ON u.id = p.province_id
	LEFT JOIN rule_sets rs ON rs.id = p.rule_set_id`

func scanProject(scan func(...any) error) (*nipp.Project, error) {
	return scanProjectAnd(scan, nil)
}

// scanProjectAnd scans projectCols into p (a new project when nil), then
// the further columns into more.
func scanProjectAnd(scan func(...any) error, p *nipp.Project, more ...any) (*nipp.Project, error) {
	if p == nil {
		p = &nipp.Project{}
	}
	var state string
	err := scan(append([]any{&p.ID, &p.PublicID, &p.Code, &p.ProgramID, &p.ProgramCode, &p.ProgramName, &p.ProgramNameEN, &p.ProgramLevel, &p.Year, &p.Title, &p.Description,
		&p.ActivityTypeCode, &p.ActivityName, &p.ActivityNameEN, &p.ActivityNeeds.Beneficiary, &p.ActivityNeeds.Outputs, &p.ImplementingOrgID, &p.ImplementingOrg, &p.ImplementingName, &p.ImplementingNameEN, &p.ProvinceCode, &p.ProvinceName,
		&p.AreaCategory, &state, &p.RuleSetID, &p.RuleSetCode, &p.DecisionNo, &p.DecisionDate, &p.Published, &p.PassOverrideReason,
		&p.Version, &p.CreatedAt, &p.UpdatedAt}, more...)...)
	p.State = nipp.ProjectState(state)
	return p, err
}

// projectWhere builds the WHERE clause of a filter. count: the conditions
// of a count, which reads every match (on SQLite a title search is then
// always answered from the FTS index).
func (tx *Tx) projectWhere(ctx context.Context, f nipp.ProjectFilter, count bool) (string, []any, error) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.ProgramCode != "" {
		conds = append(conds, "pg.code = "+arg(f.ProgramCode))
	}
	if f.Year != 0 {
		conds = append(conds, "p.year = "+arg(f.Year))
	}
	if f.YearFrom != 0 {
		conds = append(conds, "p.year >= "+arg(f.YearFrom))
	}
	if f.YearTo != 0 {
		conds = append(conds, "p.year <= "+arg(f.YearTo))
	}
	// Provinces are given to the statement by id, read first (see
	// inProvinces below).
	ids := func(gen int, codes []string) (string, error) {
		ids, err := tx.provinceIDs(ctx, gen, codes)
		if err != nil {
			return "", err
		}
		if len(ids) == 0 {
			return "NULL", nil
		}
		ph := make([]string, len(ids))
		for i, id := range ids {
			ph[i] = arg(id)
		}
		return strings.Join(ph, ", "), nil
	}
	if f.Home != "" {
		in, err := ids(2025, []string{f.Home})
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, "p.province_id IN ("+in+")")
	}
	if f.Then != "" {
		gen, code, _ := strings.Cut(f.Then, "/")
		g, err := strconv.Atoi(gen)
		if err != nil || (g != 2008 && g != 2025) {
			return "", nil, nipp.FieldError("then", "err.store.no_province", f.Then)
		}
		in, err := ids(g, []string{code})
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, "p.orig_province_id IN ("+in+")")
	}
	if f.ActivityType != "" {
		conds = append(conds, "p.activity_type_code = "+arg(f.ActivityType))
	}
	state := "" // the state condition on p, and on pp below
	if g := nipp.StateGroup(f.State); g != nil {
		state = " IN (" + sqlStates(g) + ")"
	} else if f.State != "" {
		state = " = " + arg(f.State)
	}
	if state != "" {
		conds = append(conds, "p.state"+state)
	}
	// "In these provinces" (any of a project's provinces) is a set of
	// project ids read from project_provinces by province (migration 0013's
	// index), not a test of every project: a provincial officer's list and
	// its total read their provinces' projects only; and of a state, only
	// their projects in that state (each row carries its project's state,
	// migration 0019: a work queue reads its few projects, not the
	// province's 15,000).
	//
	// The provinces are given to the statement by id, read first: behind a
	// subquery PostgreSQL plans for an average province (16 projects where
	// Hà Nội has 15,000) and joined every row of the province to every
	// activity type (730 ms at national scale).
	inProvinces := func(codes []string) (string, error) {
		in, err := ids(2025, codes)
		if err != nil {
			return "", err
		}
		ppState := ""
		if state != "" {
			ppState = " AND pp.state" + state
		}
		return `p.id IN (SELECT pp.project_id FROM project_provinces pp WHERE pp.province_id IN (` + in + `)` + ppState + `)`, nil
	}
	if f.ProvinceCode != "" {
		in, err := inProvinces([]string{f.ProvinceCode})
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, in)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		title, err := tx.titleMatch(ctx, q, f.Limit, f.After, count, arg)
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, "("+title+" OR p.code = "+arg(q)+")")
	}
	if f.After > 0 {
		conds = append(conds, "p.id < "+arg(f.After))
	}
	if f.ScopeProvinces != nil {
		in, err := inProvinces(f.ScopeProvinces)
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, `(p.published = `+arg(true)+` OR `+in+`)`)
	}
	if f.InProvinces != nil {
		in, err := inProvinces(f.InProvinces)
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, in)
	}
	if f.Pinned != nil {
		var or []string
		for _, pl := range f.Pinned {
			level := "pg.level <> 'local'"
			if pl.Local {
				level = "pg.level = 'local'"
			}
			or = append(or, "(COALESCE(p.rule_set_id, 0) = "+arg(pl.RuleSetID)+" AND "+level+")")
		}
		if len(or) == 0 {
			or = []string{"1 = 0"}
		}
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
	}
	if f.ScopeAppraiser > 0 {
		conds = append(conds, `EXISTS (SELECT 1 FROM appraisal_assignments aa JOIN appraisal_members am ON am.council_id = aa.council_id
			WHERE aa.project_id = p.id AND am.user_id = `+arg(f.ScopeAppraiser)+`)`)
	}
	if len(conds) == 0 {
		return "", args, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// provinceIDs returns the ids of the provinces of map gen (2008 or 2025)
// with these codes (unknown codes have none).
func (tx *Tx) provinceIDs(ctx context.Context, gen int, codes []string) ([]int64, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	args := []any{gen}
	ph := make([]string, len(codes))
	for i, c := range codes {
		args = append(args, c)
		ph[i] = "$" + strconv.Itoa(len(args))
	}
	var ids []int64
	err := tx.each(ctx, `SELECT id FROM admin_units WHERE level = 'province' AND generation = $1 AND code IN (`+strings.Join(ph, ", ")+`) ORDER BY id`, args,
		func(scan func(...any) error) error {
			var id int64
			if err := scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
			return nil
		})
	return ids, err
}

// titleMatch is the condition of a title search, as in the registry: every
// folded word of q (diacritics, case and Unicode form ignored) occurs in
// the folded title, in any order. On PostgreSQL the pg_trgm GIN index
// answers words of three letters or more; on SQLite the FTS5 trigram index
// does when the words are rare, while common ones walk the list's order
// (newest first) testing each title and stop after a page (see
// commonFTSMatch). PostgreSQL likewise walks the newest titles (testing
// with strpos, which the trigram index does not answer) when a page of
// matches lies among the titleWalkBudget newest after the cursor, and asks
// the trigram index otherwise: pg_trgm's estimates of common words are far
// off, and the planner read a bitmap of every match and sorted it (0.5 s
// for "may moc thiet bi" at national scale).
func (tx *Tx) titleMatch(ctx context.Context, q string, limit int, after int64, count bool, arg func(any) string) (string, error) {
	toks := SearchTokens(q)
	if len(toks) == 0 {
		// Nothing but punctuation: the folded text as one substring.
		return "p.title_fold LIKE " + arg("%"+likeEscape(vntext.Fold(q))+"%") + ` ESCAPE '\'`, nil
	}
	walk := false
	if tx.Dialect() == Postgres && !count {
		var err error
		if walk, err = tx.pgTitleWalkFills(ctx, toks, limit, after); err != nil {
			return "", err
		}
	}
	var conds, fts []string
	for _, t := range toks {
		if tx.Dialect() == Postgres && (walk || len(t) < 3) {
			// Not answered by the trigram index (a word under three
			// letters has no trigram: the GIN index would be read whole).
			conds = append(conds, "strpos(p.title_fold, "+arg(t)+") > 0")
			continue
		}
		conds = append(conds, "p.title_fold LIKE "+arg("%"+likeEscape(t)+"%")+` ESCAPE '\'`)
		if len(t) >= 3 {
			fts = append(fts, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
		}
	}
	if tx.Dialect() == SQLite && len(fts) > 0 {
		match := strings.Join(fts, " AND ")
		common := false
		if !count {
			var err error
			if common, err = tx.commonFTSMatch(ctx, "projects", match, 0, limit); err != nil {
				return "", err
			}
		}
		if !common {
			conds = append(conds, "p.id IN (SELECT rowid FROM projects_fts WHERE projects_fts MATCH "+arg(match)+")")
		}
	}
	return strings.Join(conds, " AND "), nil
}

// titleWalkBudget is how many of the newest titles PostgreSQL's route test
// reads (each a heap row: 3-8 ms).
const titleWalkBudget = 4000

// pgTitleWalkFills reports whether a page of titles holding every word of
// toks lies among the titleWalkBudget newest projects (before the cursor
// after, when not 0), over all projects: the list's other filters are not
// applied (a province's share of the matches is about its share of the
// projects).
func (tx *Tx) pgTitleWalkFills(ctx context.Context, toks []string, limit int, after int64) (bool, error) {
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	var args []any
	cond := ""
	if after > 0 {
		args = append(args, after)
		cond = ` WHERE p.id < $1`
	}
	var tests []string
	for _, t := range toks {
		args = append(args, t)
		tests = append(tests, `strpos(w.title_fold, $`+strconv.Itoa(len(args))+`) > 0`)
	}
	q := `SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT p.title_fold FROM projects p` + cond + ` ORDER BY p.id DESC LIMIT ` +
		strconv.Itoa(titleWalkBudget) + `) w WHERE ` + strings.Join(tests, ` AND `) + ` LIMIT ` + strconv.Itoa(limit+1) + `) x`
	var n int
	if err := tx.QueryRow(ctx, q, tx.customPlan(args)...).Scan(&n); err != nil {
		return false, mapError(err)
	}
	return n > limit, nil
}

// CountProjects counts the projects the filter selects (every page: After
// and Limit are ignored), with the list's conditions; with f.CountCap > 0 a
// title search's matches are counted up to CountCap+1 ("more than").
func (tx *Tx) CountProjects(ctx context.Context, f nipp.ProjectFilter) (_ int64, err error) {
	defer nipp.Wrap(&err, "store.CountProjects()")
	f.After, f.Limit = 0, 0
	// Kept per change stamp (readcache.go): a total reads every matching
	// project (200,000 at national scale), which only a change to the
	// projects alters.
	capped := f.CountCap > 0 && strings.TrimSpace(f.Query) != ""
	if !capped {
		f.CountCap = 0
	}
	v, err := tx.keptProjects(ctx, fmt.Sprintf("count %+v", f), func() (any, error) {
		// A capped count reads matches as the list does (a common word
		// walks the list's order and stops).
		f.Limit = 50
		where, args, err := tx.projectWhere(ctx, f, !capped)
		if err != nil {
			return nil, err
		}
		q := `SELECT COUNT(*) FROM projects p JOIN programs pg ON pg.id = p.program_id` + where
		if capped {
			q = `SELECT COUNT(*) FROM (SELECT 1 FROM projects p JOIN programs pg ON pg.id = p.program_id` + where +
				` LIMIT ` + strconv.Itoa(f.CountCap+1) + `) x`
		}
		if strings.TrimSpace(f.Query) != "" {
			args = tx.customPlan(args)
		}
		var n int64
		err = tx.QueryRow(ctx, q, args...).Scan(&n)
		return n, mapError(err)
	})
	if err != nil {
		return 0, err
	}
	return v.(int64), nil
}

// FindProjects returns one page of projects (without their details).
func (tx *Tx) FindProjects(ctx context.Context, f nipp.ProjectFilter) (_ []*nipp.Project, err error) {
	defer nipp.Wrap(&err, "store.FindProjects()")
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	where, args, err := tx.projectWhere(ctx, f, false)
	if err != nil {
		return nil, err
	}
	args = append(args, f.Limit)
	q := `SELECT ` + projectCols + projectFrom + where + ` ORDER BY p.id DESC LIMIT $` + strconv.Itoa(len(args))
	if strings.TrimSpace(f.Query) != "" {
		args = tx.customPlan(args)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nipp.Project
	for rows.Next() {
		p, err := scanProject(rows.Scan)
		if err != nil {
			return nil, mapError(err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	// Budget totals for the list, one query for the page.
	if len(out) > 0 {
		byID := map[int64]*nipp.Project{}
		ids := make([]any, len(out))
		ph := make([]string, len(out))
		for i, p := range out {
			byID[p.ID] = p
			ids[i] = p.ID
			ph[i] = "$" + strconv.Itoa(i+1)
		}
		rows, err := tx.Query(ctx, `SELECT id, project_id, source, description, planned, approved, actual FROM budget_lines
			WHERE project_id IN (`+strings.Join(ph, ", ")+`) ORDER BY project_id, id`, ids...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var l nipp.BudgetLine
			var pid int64
			if err := rows.Scan(&l.ID, &pid, &l.Source, &l.Description, &l.Planned, &l.Approved, &l.Actual); err != nil {
				return nil, mapError(err)
			}
			byID[pid].Budget = append(byID[pid].Budget, l)
		}
		if err := rows.Err(); err != nil {
			return nil, mapError(err)
		}
		// Priority groups of the page's beneficiaries.
		bens := map[int64][]nipp.ProjectBeneficiary{}
		err = tx.eachBeneficiaryGroup(ctx, `g.project_id IN (`+strings.Join(ph, ", ")+`)`, ids, func(pid, est int64, group string, prioritised bool) {
			bs := bens[pid]
			if len(bs) == 0 || bs[len(bs)-1].EstablishmentID != est {
				bs = append(bs, nipp.ProjectBeneficiary{EstablishmentID: est})
			}
			addGroup(&bs[len(bs)-1], group, prioritised)
			bens[pid] = bs
		})
		if err != nil {
			return nil, err
		}
		for pid, bs := range bens {
			byID[pid].Groups = nipp.CountGroups(bs)
		}
	}
	return out, nil
}

// FindProjectByPublicID returns a project with all its details. The
// project and its provinces come in one statement (a row per province),
// the beneficiaries with their groups in another.
func (tx *Tx) FindProjectByPublicID(ctx context.Context, publicID string) (_ *nipp.Project, err error) {
	defer nipp.Wrap(&err, "store.FindProjectByPublicID(%q)", publicID)
	var p *nipp.Project
	err = tx.each(ctx, projectByPublicIDSQL, []any{publicID}, projectRow(&p))
	if err == nil && p == nil {
		err = sql.ErrNoRows
	}
	if err != nil {
		return nil, notFoundOr(err, "project")
	}
	return p, tx.loadProjectDetails(ctx, p)
}

// projectByPublicIDSQL reads a project ($1: its public id) and its
// provinces, a row per province; projectRow reads its rows.
const projectByPublicIDSQL = `SELECT ` + projectCols + `, ppu.code, ppu.name_vi` + projectFrom + `
	LEFT JOIN project_provinces pp ON pp.project_id = p.id LEFT JOIN admin_units ppu ON ppu.id = pp.province_id
	WHERE p.public_id = $1 ORDER BY ppu.code`

// projectRow reads a row of projectByPublicIDSQL into *pp (the project
// from the first, a further province from each other).
func projectRow(pp **nipp.Project) func(scan func(...any) error) error {
	return func(scan func(...any) error) error {
		p := *pp
		var code, name sql.NullString
		if p != nil { // a further province
			var skip nipp.Project
			if _, err := scanProjectAnd(scan, &skip, &code, &name); err != nil {
				return err
			}
		} else {
			var err error
			if p, err = scanProjectAnd(scan, nil, &code, &name); err != nil {
				return err
			}
			p.Provinces, p.ProvinceNames = []string{p.ProvinceCode}, []string{p.ProvinceName}
			*pp = p
		}
		if code.Valid && code.String != p.ProvinceCode {
			p.Provinces, p.ProvinceNames = append(p.Provinces, code.String), append(p.ProvinceNames, name.String)
		}
		return nil
	}
}

// loadProjectDetails reads what a project holds but its provinces.
func (tx *Tx) loadProjectDetails(ctx context.Context, p *nipp.Project) error {
	if err := tx.loadProjectLines(ctx, p); err != nil {
		return err
	}
	p.Beneficiaries = nil
	if err := tx.each(ctx, projectBeneficiariesSQL("$1"), []any{p.ID}, projectBeneficiaryRow(p)); err != nil {
		return err
	}
	p.Groups = nipp.CountGroups(p.Beneficiaries)
	return nil
}

// projectBeneficiariesSQL reads the beneficiaries of the project whose id
// is the SQL expression id, with their groups (a row per group);
// projectBeneficiaryRow reads its rows into p.Beneficiaries.
func projectBeneficiariesSQL(id string) string {
	return `SELECT e.id, e.public_id, e.name, COALESCE(e.tax_code, ''), u.code, pb.note, pb.duplicate_reason, g.group_code, g.prioritised
		FROM project_beneficiaries pb JOIN establishments e ON e.id = pb.establishment_id JOIN admin_units u ON u.id = e.province_id
		LEFT JOIN project_beneficiary_groups g ON g.project_id = pb.project_id AND g.establishment_id = pb.establishment_id
		WHERE pb.project_id = ` + id + ` ORDER BY e.name, e.id, g.group_code`
}

func projectBeneficiaryRow(p *nipp.Project) func(scan func(...any) error) error {
	return func(scan func(...any) error) error {
		b := nipp.ProjectBeneficiary{Groups: []string{}, PriorityGroups: []string{}}
		var group sql.NullString
		var prioritised sql.NullBool
		if err := scan(&b.EstablishmentID, &b.PublicID, &b.Name, &b.TaxCode, &b.ProvinceCode, &b.Note, &b.DuplicateReason, &group, &prioritised); err != nil {
			return err
		}
		if n := len(p.Beneficiaries); n == 0 || p.Beneficiaries[n-1].EstablishmentID != b.EstablishmentID {
			p.Beneficiaries = append(p.Beneficiaries, b)
		}
		if group.Valid {
			addGroup(&p.Beneficiaries[len(p.Beneficiaries)-1], group.String, prioritised.Bool)
		}
		return nil
	}
}

// Kinds of the rows of loadProjectLines, in the order they come.
const (
	lineBudget = 1
	lineOutput = 2
	lineCap    = 3
)

// loadProjectLines reads a project's budget lines (by id), outputs (in the
// indicators' order) and pinned caps (by funding source) in one statement:
// every column they have is a BIGINT or a TEXT, so one UNION ALL carries
// them in numbered columns, each row tagged with its kind.
func (tx *Tx) loadProjectLines(ctx context.Context, p *nipp.Project) error {
	p.Budget, p.Outputs, p.Caps = nil, nil, nil
	return tx.each(ctx, projectLinesSQL("$1"), []any{p.ID}, projectLineRow(p))
}

// projectLinesSQL reads the lines of the project whose id is the SQL
// expression id; projectLineRow reads its rows into p.
func projectLinesSQL(id string) string {
	return `SELECT 1, id, '', id, planned, approved, actual, CAST(NULL AS BIGINT), source, description, '', '', ''
		FROM budget_lines WHERE project_id = ` + id + `
		UNION ALL
		SELECT 2, i.sort, po.indicator_code, CAST(NULL AS BIGINT), po.planned, po.actual, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT),
			po.indicator_code, i.name_vi, i.name_en, i.unit_vi, i.unit_en
		FROM project_outputs po JOIN indicators i ON i.code = po.indicator_code WHERE po.project_id = ` + id + `
		UNION ALL
		SELECT 3, 0, pc.funding_source, pc.max_share_bp, pc.max_amount, pc.total_cost, pc.allowed, pc.requested,
			pc.rule_set_code, pc.legal_basis, COALESCE(r.legal_basis_en, ''), pc.funding_source, ''
		FROM project_caps pc LEFT JOIN rule_sets r ON r.id = pc.rule_set_id WHERE pc.project_id = ` + id + `
		ORDER BY 1, 2, 3`
}

func projectLineRow(p *nipp.Project) func(scan func(...any) error) error {
	return func(scan func(...any) error) error {
		var kind int
		var sort1 int64
		var sort2 string
		var n [5]sql.NullInt64
		var t [5]string
		if err := scan(&kind, &sort1, &sort2, &n[0], &n[1], &n[2], &n[3], &n[4], &t[0], &t[1], &t[2], &t[3], &t[4]); err != nil {
			return err
		}
		switch kind {
		case lineBudget:
			p.Budget = append(p.Budget, nipp.BudgetLine{ID: n[0].Int64, Source: t[0], Description: t[1], Planned: n[1].Int64,
				Approved: nullInt(n[2]), Actual: nullInt(n[3])})
		case lineOutput:
			p.Outputs = append(p.Outputs, nipp.ProjectOutput{IndicatorCode: t[0], Name: t[1], NameEN: t[2], Unit: t[3], UnitEN: t[4],
				Planned: n[1].Int64, Actual: nullInt(n[2])})
		case lineCap:
			p.Caps = append(p.Caps, nipp.PinnedCap{RuleSetCode: t[0], LegalBasis: t[1], LegalBasisEN: t[2], FundingSource: t[3],
				MaxShareBP: int(n[0].Int64), MaxAmount: n[1].Int64, TotalCost: n[2].Int64, Allowed: n[3].Int64, Requested: n[4].Int64})
		default:
			return fmt.Errorf("project lines: row of kind %d", kind)
		}
		return nil
	}
}

func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

// each runs a query and calls fn for every row.
func (tx *Tx) each(ctx context.Context, q string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return mapError(err)
		}
	}
	return mapError(rows.Err())
}

// ProjectRefs resolves the references of a project input to ids.
type ProjectRefs struct {
	// Program has the program's ID, Code, Level, StartYear, EndYear and,
	// for a local one, ProvinceCode (2025 code).
	Program nipp.Program
	OrgID   int64
	// OrgProvince is the implementing organization's province (2025 code),
	// "" for a central one.
	OrgProvince string
	ProvinceID  int64
	OtherIDs    []int64
}

// ResolveProjectRefs checks that the program, activity type, organization,
// provinces and indicators of in exist, and returns their ids.
func (tx *Tx) ResolveProjectRefs(ctx context.Context, in *nipp.ProjectInput) (_ *ProjectRefs, err error) {
	defer nipp.Wrap(&err, "store.ResolveProjectRefs()")
	r := &ProjectRefs{Program: nipp.Program{Code: in.ProgramCode}}
	pg := &r.Program
	err = tx.QueryRow(ctx, `SELECT pg.id, pg.level, pg.start_year, pg.end_year, COALESCE(u.code, '') FROM programs pg
		LEFT JOIN admin_units u ON u.id = pg.province_id WHERE pg.code = $1`, in.ProgramCode).Scan(&pg.ID, &pg.Level, &pg.StartYear, &pg.EndYear, &pg.ProvinceCode)
	if err != nil {
		if err == sql.ErrNoRows {
			return nil, nipp.FieldError("program", "err.store.no_program", in.ProgramCode)
		}
		return nil, mapError(err)
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM activity_types WHERE code = $1`, in.ActivityTypeCode).Scan(&n); err != nil {
		return nil, mapError(err)
	}
	if n == 0 {
		return nil, nipp.FieldError("activity_type", "err.store.no_activity_type", in.ActivityTypeCode)
	}
	if r.ProvinceID, err = tx.ProvinceID(ctx, in.ProvinceCode, Gen2025); err != nil {
		return nil, nipp.FieldError("province", "err.store.no_province", in.ProvinceCode)
	}
	for _, c := range in.OtherProvinces {
		id, err := tx.ProvinceID(ctx, c, Gen2025)
		if err != nil {
			return nil, nipp.FieldError("other_provinces", "err.store.no_province", c)
		}
		r.OtherIDs = append(r.OtherIDs, id)
	}
	err = tx.QueryRow(ctx, `SELECT o.id, COALESCE(u.code, '') FROM organizations o LEFT JOIN admin_units u ON u.id = o.province_id
		WHERE o.code = $1 AND o.valid_to IS NULL`, in.ImplementingOrg).Scan(&r.OrgID, &r.OrgProvince)
	if err != nil {
		if err == sql.ErrNoRows {
			return nil, nipp.FieldError("implementing_org", "err.store.no_current_organization", in.ImplementingOrg)
		}
		return nil, mapError(err)
	}
	for _, o := range in.Outputs {
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM indicators WHERE code = $1`, o.IndicatorCode).Scan(&n); err != nil {
			return nil, mapError(err)
		}
		if n == 0 {
			return nil, nipp.FieldError("outputs", "err.store.no_indicator", o.IndicatorCode)
		}
	}
	return r, nil
}

// CreateProject inserts a project with its provinces, budget and outputs,
// setting ID, PublicID, Code and Version.
func (tx *Tx) CreateProject(ctx context.Context, p *nipp.Project, refs *ProjectRefs, createdBy int64) (err error) {
	defer nipp.Wrap(&err, "store.CreateProject(%v)", createdBy)
	stem := nipp.ProjectCodeStem(refs.Program.Level, p.Year, p.ProvinceCode)
	// Concurrent proposals would count the same codes: on PostgreSQL take a
	// transaction lock per code stem (SQLite's single writer serialises).
	if tx.db.dialect == Postgres {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, stem); err != nil {
			return err
		}
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM projects WHERE code LIKE $1`, stem+"%").Scan(&n); err != nil {
		return mapError(err)
	}
	for {
		n++
		p.Code = nipp.ProjectCode(stem, n)
		var c int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM projects WHERE code = $1`, p.Code).Scan(&c); err != nil {
			return mapError(err)
		}
		if c == 0 {
			break
		}
	}
	p.PublicID = NewPublicID("da-")
	p.Version = 1
	p.CreatedAt, p.UpdatedAt = tx.Now(), tx.Now()
	var creator any
	if createdBy > 0 {
		creator = createdBy
	}
	var rsID any
	if p.RuleSetID > 0 {
		rsID = p.RuleSetID
	}
	id, err := tx.InsertID(ctx, `INSERT INTO projects (public_id, code, program_id, year, title, title_fold, description, activity_type_code,
		implementing_org_id, province_id, orig_province_id, area_category, state, rule_set_id, published, version, created_at, updated_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14, 1, $15, $15, $16)`,
		p.PublicID, p.Code, refs.Program.ID, p.Year, p.Title, vntext.Fold(p.Title), p.Description, p.ActivityTypeCode,
		refs.OrgID, refs.ProvinceID, p.AreaCategory, string(p.State), rsID, false, tx.Now(), creator)
	if err != nil {
		return err
	}
	p.ID = id
	p.ProgramID, p.ImplementingOrgID = refs.Program.ID, refs.OrgID
	return tx.replaceProjectParts(ctx, p, refs)
}

func (tx *Tx) replaceProjectParts(ctx context.Context, p *nipp.Project, refs *ProjectRefs) error {
	for _, q := range []string{`DELETE FROM project_provinces WHERE project_id = $1`, `DELETE FROM budget_lines WHERE project_id = $1`,
		`DELETE FROM project_outputs WHERE project_id = $1`} {
		if _, err := tx.Exec(ctx, q, p.ID); err != nil {
			return err
		}
	}
	for _, pid := range append([]int64{refs.ProvinceID}, refs.OtherIDs...) {
		if _, err := tx.Exec(ctx, `INSERT INTO project_provinces (project_id, province_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, p.ID, pid); err != nil {
			return err
		}
	}
	for i := range p.Budget {
		l := &p.Budget[i]
		id, err := tx.InsertID(ctx, `INSERT INTO budget_lines (project_id, source, description, planned) VALUES ($1, $2, $3, $4)`,
			p.ID, l.Source, l.Description, l.Planned)
		if err != nil {
			return err
		}
		l.ID = id
	}
	for _, o := range p.Outputs {
		if _, err := tx.Exec(ctx, `INSERT INTO project_outputs (project_id, indicator_code, planned) VALUES ($1, $2, $3)`,
			p.ID, o.IndicatorCode, o.Planned); err != nil {
			return err
		}
	}
	return nil
}

// StaleProject is the error for an update that started from an old version.
func StaleProject(code string) error {
	return nipp.Errorf(nipp.ECONFLICT, "err.store.project_was_changed_by_someone", code)
}

// UpdateProject changes a project's content, provinces, budget and outputs
// if its version is still version; otherwise ECONFLICT.
func (tx *Tx) UpdateProject(ctx context.Context, p *nipp.Project, refs *ProjectRefs, version int) (err error) {
	defer nipp.Wrap(&err, "store.UpdateProject(%v)", version)
	res, err := tx.Exec(ctx, `UPDATE projects SET program_id = $1, year = $2, title = $3, title_fold = $4, description = $5,
		activity_type_code = $6, implementing_org_id = $7, province_id = $8, area_category = $9, rule_set_id = $10,
		version = version + 1, updated_at = $11 WHERE id = $12 AND version = $13`,
		refs.Program.ID, p.Year, p.Title, vntext.Fold(p.Title), p.Description, p.ActivityTypeCode, refs.OrgID, refs.ProvinceID,
		p.AreaCategory, nullID(p.RuleSetID), tx.Now(), p.ID, version)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapError(err)
	}
	if n == 0 {
		return StaleProject(p.Code)
	}
	p.Version = version + 1
	return tx.replaceProjectParts(ctx, p, refs)
}

// TouchProject bumps a project's version if it is still version (changes
// to its beneficiaries, attachments and the like), else ECONFLICT.
func (tx *Tx) TouchProject(ctx context.Context, id int64, code string, version int) (err error) {
	defer nipp.Wrap(&err, "store.TouchProject(%v, %q, %v)", id, code, version)
	res, err := tx.Exec(ctx, `UPDATE projects SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3`, tx.Now(), id, version)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapError(err)
	}
	if n == 0 {
		return StaleProject(code)
	}
	return nil
}

// ProjectStateChange is what a transition writes on the project row.
type ProjectStateChange struct {
	To             nipp.ProjectState
	DecisionNo     string
	DecisionDate   nipp.Date
	Published      bool
	RuleSetID      int64
	OverrideReason string
}

// SetProjectState applies a transition to the project row if its version
// is still version, else ECONFLICT.
func (tx *Tx) SetProjectState(ctx context.Context, p *nipp.Project, version int, c ProjectStateChange) (err error) {
	defer nipp.Wrap(&err, "store.SetProjectState(%v)", version)
	var rsID any
	if c.RuleSetID > 0 {
		rsID = c.RuleSetID
	}
	res, err := tx.Exec(ctx, `UPDATE projects SET state = $1, decision_no = $2, decision_date = $3, published = $4, rule_set_id = $5,
		pass_override_reason = $6, version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9`,
		string(c.To), c.DecisionNo, c.DecisionDate, c.Published, rsID, c.OverrideReason, tx.Now(), p.ID, version)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapError(err)
	}
	if n == 0 {
		return StaleProject(p.Code)
	}
	return nil
}

// AddProjectEvent records a transition in the project's history.
func (tx *Tx) AddProjectEvent(ctx context.Context, projectID int64, e *nipp.ProjectEvent, userID int64) (err error) {
	defer nipp.Wrap(&err, "store.AddProjectEvent(%v, %v)", projectID, userID)
	var uid any
	if userID > 0 {
		uid = userID
	}
	e.At = tx.Now()
	_, err = tx.Exec(ctx, `INSERT INTO project_transitions (project_id, action, from_state, to_state, comment, user_id, actor, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, projectID, e.Action, string(e.FromState), string(e.ToState), e.Comment, uid, e.Actor, e.At)
	return err
}

// SetProjectCaps replaces the caps pinned on a project.
func (tx *Tx) SetProjectCaps(ctx context.Context, projectID, ruleSetID int64, caps []nipp.PinnedCap) (err error) {
	defer nipp.Wrap(&err, "store.SetProjectCaps(%v, %v)", projectID, ruleSetID)
	if _, err := tx.Exec(ctx, `DELETE FROM project_caps WHERE project_id = $1`, projectID); err != nil {
		return err
	}
	for _, c := range caps {
		if _, err := tx.Exec(ctx, `INSERT INTO project_caps (project_id, funding_source, rule_set_id, rule_set_code, legal_basis, max_share_bp,
			max_amount, total_cost, allowed, requested, checked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			projectID, c.FundingSource, ruleSetID, c.RuleSetCode, c.LegalBasis, c.MaxShareBP, c.MaxAmount, c.TotalCost, c.Allowed, c.Requested, tx.Now()); err != nil {
			return err
		}
	}
	return nil
}

// SetBudgetAmounts sets the approved or actual amount of a project's
// budget lines, by line id.
func (tx *Tx) SetBudgetAmounts(ctx context.Context, projectID int64, which nipp.BudgetAmounts, amounts map[int64]int64) (err error) {
	defer nipp.Wrap(&err, "store.SetBudgetAmounts(%v)", projectID)
	col := "approved"
	if which == nipp.AmountActual {
		col = "actual"
	}
	for id, a := range amounts {
		if _, err := tx.Exec(ctx, `UPDATE budget_lines SET `+col+` = $1 WHERE id = $2 AND project_id = $3`, a, id, projectID); err != nil {
			return err
		}
	}
	return nil
}

// SetActualOutputs sets the actual outputs of a project, by indicator.
func (tx *Tx) SetActualOutputs(ctx context.Context, projectID int64, actual map[string]int64) (err error) {
	defer nipp.Wrap(&err, "store.SetActualOutputs(%v)", projectID)
	for code, a := range actual {
		if _, err := tx.Exec(ctx, `UPDATE project_outputs SET actual = $1 WHERE project_id = $2 AND indicator_code = $3`, a, projectID, code); err != nil {
			return err
		}
	}
	return nil
}

// EstablishmentRef is what the project side needs of an establishment.
type EstablishmentRef struct {
	ID           int64
	PublicID     string
	Name         string
	ProvinceCode string
	Published    bool
	Beneficiary  nipp.Beneficiary
}

// FindEstablishmentRef finds an establishment by public id or tax code.
func (tx *Tx) FindEstablishmentRef(ctx context.Context, key string) (_ *EstablishmentRef, err error) {
	defer nipp.Wrap(&err, "store.FindEstablishmentRef()")
	e := &EstablishmentRef{}
	var commune sql.NullString
	var craft string
	err = tx.QueryRow(ctx, `SELECT e.id, e.public_id, e.name, e.legal_form, u.code, c.unit_type, e.women_owned, e.ethnic_minority_owned, e.craft_village,
		e.artisan, e.published FROM establishments e JOIN admin_units u ON u.id = e.province_id LEFT JOIN admin_units c ON c.id = e.commune_id
		WHERE e.public_id = $1 OR e.tax_code = $1`, strings.TrimSpace(key)).
		Scan(&e.ID, &e.PublicID, &e.Name, &e.Beneficiary.LegalForm, &e.ProvinceCode, &commune, &e.Beneficiary.WomenOwned,
			&e.Beneficiary.EthnicMinorityOwned, &craft, &e.Beneficiary.Artisan, &e.Published)
	if err != nil {
		return nil, notFoundOr(err, "establishment", key)
	}
	e.Beneficiary.Name = e.Name
	e.Beneficiary.CommuneType = commune.String
	e.Beneficiary.CraftVillage = craft != ""
	return e, nil
}

// FindPriorSupport returns the projects other than excludeID that already
// support the establishment with the same activity type, from year fromYear
// on, and were not rejected, cancelled or withdrawn.
func (tx *Tx) FindPriorSupport(ctx context.Context, establishmentID int64, activity string, fromYear int, excludeID int64) (_ []nipp.PriorSupport, err error) {
	defer nipp.Wrap(&err, "store.FindPriorSupport(%v, %q, %v, %v)", establishmentID, activity, fromYear, excludeID)
	var out []nipp.PriorSupport
	err = tx.each(ctx, `SELECT p.id, p.public_id, p.code, p.title, p.year, pg.code, p.state FROM project_beneficiaries pb
		JOIN projects p ON p.id = pb.project_id JOIN programs pg ON pg.id = p.program_id
		WHERE pb.establishment_id = $1 AND p.activity_type_code = $2 AND p.year >= $3 AND p.id <> $4
		AND p.state IN (`+decidedStates+`)
		ORDER BY p.year DESC, p.id DESC`, []any{establishmentID, activity, fromYear, excludeID}, func(scan func(...any) error) error {
		var s nipp.PriorSupport
		var id int64
		var state string
		if err := scan(&id, &s.ProjectPublicID, &s.Code, &s.Title, &s.Year, &s.ProgramCode, &state); err != nil {
			return err
		}
		s.State = nipp.ProjectState(state)
		s.ProjectID = id
		out = append(out, s)
		return nil
	})
	return out, err
}

// eachBeneficiaryGroup calls fn for every group row of the beneficiaries
// where selects (on project_beneficiary_groups g), ordered by project,
// establishment and group.
func (tx *Tx) eachBeneficiaryGroup(ctx context.Context, where string, args []any, fn func(project, establishment int64, group string, prioritised bool)) error {
	return tx.each(ctx, `SELECT g.project_id, g.establishment_id, g.group_code, g.prioritised FROM project_beneficiary_groups g
		WHERE `+where+` ORDER BY g.project_id, g.establishment_id, g.group_code`, args, func(scan func(...any) error) error {
		var pid, est int64
		var group string
		var prioritised bool
		if err := scan(&pid, &est, &group, &prioritised); err != nil {
			return err
		}
		fn(pid, est, group, prioritised)
		return nil
	})
}

// addGroup adds a group row to a beneficiary's lists.
func addGroup(b *nipp.ProjectBeneficiary, group string, prioritised bool) {
	if b.Groups == nil {
		b.Groups, b.PriorityGroups = []string{}, []string{}
	}
	b.Groups = append(b.Groups, group)
	if prioritised {
		b.PriorityGroups = append(b.PriorityGroups, group)
	}
}

// NewBeneficiary is a beneficiary being added to a project: the
// establishment, the note, the reason for supporting it again (duplicate
// support confirmed), its groups and the prioritised ones among them.
type NewBeneficiary struct {
	ProjectID, EstablishmentID int64
	Note, DuplicateReason      string
	Groups, PriorityGroups     []string
}

// AddProjectBeneficiary adds an establishment to a project.
func (tx *Tx) AddProjectBeneficiary(ctx context.Context, b NewBeneficiary) (err error) {
	defer nipp.Wrap(&err, "store.AddProjectBeneficiary()")
	_, err = tx.Exec(ctx, `INSERT INTO project_beneficiaries (project_id, establishment_id, note, duplicate_reason) VALUES ($1, $2, $3, $4)`,
		b.ProjectID, b.EstablishmentID, b.Note, b.DuplicateReason)
	if IsUniqueViolation(err) {
		return nipp.Errorf(nipp.ECONFLICT, "err.store.establishment_already_beneficiary")
	}
	if err != nil {
		return err
	}
	return tx.SetBeneficiaryGroups(ctx, b.ProjectID, b.EstablishmentID, b.Groups, b.PriorityGroups)
}

// SetBeneficiaryGroups records the groups a beneficiary belongs to (one row
// each), marking those in prioritised.
func (tx *Tx) SetBeneficiaryGroups(ctx context.Context, projectID, establishmentID int64, groups, prioritised []string) (err error) {
	defer nipp.Wrap(&err, "store.SetBeneficiaryGroups(%v, %v)", projectID, establishmentID)
	if _, err := tx.Exec(ctx, `DELETE FROM project_beneficiary_groups WHERE project_id = $1 AND establishment_id = $2`, projectID, establishmentID); err != nil {
		return err
	}
	groups = slices.Clone(groups)
	slices.Sort(groups)
	for _, g := range slices.Compact(groups) {
		if _, err := tx.Exec(ctx, `INSERT INTO project_beneficiary_groups (project_id, establishment_id, group_code, prioritised) VALUES ($1, $2, $3, $4)`,
			projectID, establishmentID, g, slices.Contains(prioritised, g)); err != nil {
			return err
		}
	}
	return nil
}

// SetBeneficiaryPriorityGroups records which of a beneficiary's groups
// the project's (re-pinned) rule set prioritises.
func (tx *Tx) SetBeneficiaryPriorityGroups(ctx context.Context, projectID, establishmentID int64, groups []string) (err error) {
	defer nipp.Wrap(&err, "store.SetBeneficiaryPriorityGroups(%v, %v)", projectID, establishmentID)
	if _, err := tx.Exec(ctx, `UPDATE project_beneficiary_groups SET prioritised = FALSE WHERE project_id = $1 AND establishment_id = $2`,
		projectID, establishmentID); err != nil {
		return err
	}
	for _, g := range groups {
		if _, err := tx.Exec(ctx, `UPDATE project_beneficiary_groups SET prioritised = TRUE WHERE project_id = $1 AND establishment_id = $2 AND group_code = $3`,
			projectID, establishmentID, g); err != nil {
			return err
		}
	}
	return nil
}

// RemoveProjectBeneficiary removes an establishment from a project.
func (tx *Tx) RemoveProjectBeneficiary(ctx context.Context, projectID, establishmentID int64) (err error) {
	defer nipp.Wrap(&err, "store.RemoveProjectBeneficiary(%v, %v)", projectID, establishmentID)
	res, err := tx.Exec(ctx, `DELETE FROM project_beneficiaries WHERE project_id = $1 AND establishment_id = $2`, projectID, establishmentID)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapError(err)
	}
	if n == 0 {
		return NotFound("beneficiary")
	}
	return nil
}

// AddDuplicateConfirmation records why an establishment is supported again.
func (tx *Tx) AddDuplicateConfirmation(ctx context.Context, projectID, establishmentID, otherProjectID int64, reason string, userID int64) (err error) {
	defer nipp.Wrap(&err, "store.AddDuplicateConfirmation(%v, %v, %v, %q, %v)", projectID, establishmentID, otherProjectID, reason, userID)
	var uid any
	if userID > 0 {
		uid = userID
	}
	_, err = tx.Exec(ctx, `INSERT INTO duplicate_confirmations (project_id, establishment_id, other_project_id, reason, user_id, at)
		VALUES ($1, $2, $3, $4, $5, $6)`, projectID, establishmentID, otherProjectID, reason, uid, tx.Now())
	return err
}

// Setting returns a setting's value, or def when it is not set.
func (tx *Tx) Setting(ctx context.Context, key, def string) (_ string, err error) {
	defer nipp.Wrap(&err, "store.Setting(%q)", def)
	var v string
	err = tx.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return def, nil
	}
	return v, mapError(err)
}

// SetSetting sets a setting.
func (tx *Tx) SetSetting(ctx context.Context, key, value string) (err error) {
	defer nipp.Wrap(&err, "store.SetSetting(%q)", value)
	_, err = tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, tx.Now())
	return err
}

// FindProjectFormOptions returns the select lists of the project form;
// organizations only of the given provinces (nil: all); programs: the
// national ones and the local programs of programProvinces (nil: all).
func (tx *Tx) FindProjectFormOptions(ctx context.Context, provinces, programProvinces []string) (_ *nipp.ProjectFormOptions, err error) {
	defer nipp.Wrap(&err, "store.FindProjectFormOptions()")
	o := &nipp.ProjectFormOptions{}
	load := func(dst *[]nipp.Option, q string, args ...any) error {
		return tx.each(ctx, q, args, func(scan func(...any) error) error {
			var op nipp.Option
			if err := scan(&op.Code, &op.Name, &op.NameEN, &op.Group); err != nil {
				return err
			}
			*dst = append(*dst, op)
			return nil
		})
	}
	pq := `SELECT pg.code, pg.name_vi, pg.name_en, pg.level FROM programs pg LEFT JOIN admin_units u ON u.id = pg.province_id`
	var pargs []any
	if programProvinces != nil {
		ph := []string{"''"}
		for _, c := range programProvinces {
			pargs = append(pargs, c)
			ph = append(ph, "$"+strconv.Itoa(len(pargs)))
		}
		pq += ` WHERE pg.level = 'national' OR u.code IN (` + strings.Join(ph, ", ") + `)`
	}
	// National programs first, then local ones by province.
	pq += ` ORDER BY CASE WHEN pg.level = 'national' THEN 0 ELSE 1 END, COALESCE(u.code, ''), pg.start_year DESC, pg.code`
	if err := load(&o.Programs, pq, pargs...); err != nil {
		return nil, err
	}
	if err := load(&o.ActivityTypes, `SELECT code, name_vi, name_en, group_code FROM activity_types WHERE valid_to IS NULL ORDER BY sort, code`); err != nil {
		return nil, err
	}
	if err := load(&o.Indicators, `SELECT code, name_vi || ' (' || unit_vi || ')', name_en || ' (' || unit_en || ')', COALESCE(activity_type_code, '') FROM indicators ORDER BY sort, code`); err != nil {
		return nil, err
	}
	if err := load(&o.Provinces, `SELECT code, name_vi, name_en, '' FROM admin_units WHERE level = 'province' AND generation = 2025 ORDER BY code`); err != nil {
		return nil, err
	}
	q := `SELECT o.code, o.name_vi, o.name_en, COALESCE(u.code, '') FROM organizations o LEFT JOIN admin_units u ON u.id = o.province_id
		WHERE o.valid_to IS NULL AND o.kind IN ('central_agency', 'provincial_department', 'promotion_center', 'other')`
	var args []any
	if provinces != nil {
		ph := make([]string, len(provinces))
		for i, c := range provinces {
			args = append(args, c)
			ph[i] = "$" + strconv.Itoa(i+1)
		}
		if len(ph) == 0 {
			ph = []string{"''"}
		}
		q += ` AND u.code IN (` + strings.Join(ph, ", ") + `)`
	}
	if err := load(&o.Orgs, q+` ORDER BY COALESCE(u.code, ''), o.kind DESC, o.code`, args...); err != nil {
		return nil, err
	}
	return o, nil
}
