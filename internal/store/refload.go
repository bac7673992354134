package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/refdata"
	"nipp/internal/rulefile"
	"nipp/internal/vntext"
)

// Administrative generations.
const (
	Gen2008 = 2008 // the 63 provinces and their communes, until 2025-06-30
	Gen2025 = 2025 // the 34 provinces and 3,321 communes, from 2025-07-01
)

const (
	gen2008End   = "2025-06-30"
	gen2025Start = "2025-07-01"
)

// LoadReferenceData loads the embedded reference data: regions,
// administrative units of both generations and their mapping, activity
// types, indicators, organisations, programs and their targets. It is
// idempotent and skips all work when the data is unchanged since the last
// load.
func (db *DB) LoadReferenceData(ctx context.Context) (err error) {
	defer nipp.Wrap(&err, "store.LoadReferenceData()")
	data, err := refdata.Load()
	if err != nil {
		return fmt.Errorf("reference data: %w", err)
	}
	blob, err := json.Marshal(data)
	if err != nil {
		return err
	}
	ruleSets, err := refdata.RuleSets()
	if err != nil {
		return fmt.Errorf("reference data: %w", err)
	}
	for _, f := range ruleSets {
		blob = append(append(blob, f.Name...), f.Data...)
	}
	sum := sha256.Sum256(blob)
	hash := hex.EncodeToString(sum[:])
	return db.WriteTx(ctx, func(tx *Tx) error {
		var have string
		err := tx.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'refdata_hash'`).Scan(&have)
		if err == nil && have == hash {
			return nil
		}
		if err := loadRef(ctx, tx, data); err != nil {
			return err
		}
		if err := loadRuleSets(ctx, tx, data, ruleSets); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ('refdata_hash', $1)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, hash)
		return err
	})
}

func loadRef(ctx context.Context, tx *Tx, d *refdata.Data) error {
	var rows [][]any
	for _, r := range d.Regions {
		rows = append(rows, []any{r.Code, r.NameVI, r.NameEN, r.Sort})
	}
	if err := tx.insertRows(ctx, "regions", []string{"code", "name_vi", "name_en", "sort"}, rows,
		"(code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, sort = excluded.sort"); err != nil {
		return err
	}

	unitCols := []string{"level", "code", "generation", "name_vi", "name_en", "name_fold", "unit_type", "parent_id", "region_code", "valid_from", "valid_to"}
	unitConflict := "(level, code, generation) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, name_fold = excluded.name_fold, unit_type = excluded.unit_type, parent_id = excluded.parent_id, region_code = excluded.region_code, valid_from = excluded.valid_from, valid_to = excluded.valid_to"
	rows = rows[:0]
	for _, p := range d.Provinces63 {
		rows = append(rows, []any{"province", p.Code, Gen2008, p.NameVI, p.NameEN, vntext.Fold(p.NameVI), p.Type, nil, nullStr(p.RegionCode), nil, gen2008End})
	}
	for _, p := range d.Provinces34 {
		rows = append(rows, []any{"province", p.Code, Gen2025, p.NameVI, p.NameEN, vntext.Fold(p.NameVI), p.Type, nil, nullStr(p.RegionCode), gen2025Start, nil})
	}
	if err := tx.insertRows(ctx, "admin_units", unitCols, rows, unitConflict); err != nil {
		return err
	}
	ids, err := tx.unitIDs(ctx)
	if err != nil {
		return err
	}
	rows = rows[:0]
	for _, c := range d.Communes {
		parent := ids[unitKey{"province", c.ProvinceCode, Gen2025}]
		rows = append(rows, []any{"commune", c.Code, Gen2025, c.NameVI, "", vntext.Fold(c.NameVI), c.Type, parent, nil, gen2025Start, nil})
	}
	for _, c := range d.OldCommunes {
		parent := ids[unitKey{"province", c.ProvinceCode, Gen2008}]
		typ := oldUnitType(c.NameVI, c.Level)
		rows = append(rows, []any{c.Level, c.Code, Gen2008, c.NameVI, "", vntext.Fold(c.NameVI), typ, parent, nil, nil, gen2008End})
	}
	if err := tx.insertRows(ctx, "admin_units", unitCols, rows, unitConflict); err != nil {
		return err
	}
	if ids, err = tx.unitIDs(ctx); err != nil {
		return err
	}
	rows = rows[:0]
	for _, p := range d.Provinces63 {
		rows = append(rows, []any{ids[unitKey{"province", p.Code, Gen2008}], ids[unitKey{"province", p.Successor, Gen2025}], "full"})
	}
	for _, c := range d.OldCommunes {
		old := ids[unitKey{c.Level, c.Code, Gen2008}]
		for _, s := range c.Successors {
			rows = append(rows, []any{old, ids[unitKey{"commune", s.NewCode, Gen2025}], s.Share})
		}
	}
	if err := tx.insertRows(ctx, "admin_unit_successors", []string{"old_id", "new_id", "share"}, rows,
		"(old_id, new_id) DO UPDATE SET share = excluded.share"); err != nil {
		return err
	}

	rows = rows[:0]
	for _, a := range d.ActivityTypes {
		rows = append(rows, []any{a.Code, a.GroupCode, a.NameVI, a.NameEN, a.Sort, a.NeedsBeneficiary, a.NeedsOutputs})
	}
	if err := tx.insertRows(ctx, "activity_types", []string{"code", "group_code", "name_vi", "name_en", "sort", "needs_beneficiary", "needs_outputs"}, rows,
		"(code) DO UPDATE SET group_code = excluded.group_code, name_vi = excluded.name_vi, name_en = excluded.name_en, sort = excluded.sort, needs_beneficiary = excluded.needs_beneficiary, needs_outputs = excluded.needs_outputs"); err != nil {
		return err
	}
	rows = rows[:0]
	for _, in := range d.Indicators {
		rows = append(rows, []any{in.Code, in.NameVI, in.NameEN, in.UnitVI, in.UnitEN, nullStr(in.ActivityTypeCode), in.Sort})
	}
	if err := tx.insertRows(ctx, "indicators", []string{"code", "name_vi", "name_en", "unit_vi", "unit_en", "activity_type_code", "sort"}, rows,
		"(code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, unit_vi = excluded.unit_vi, unit_en = excluded.unit_en, activity_type_code = excluded.activity_type_code, sort = excluded.sort"); err != nil {
		return err
	}
	if err := loadOrganizations(ctx, tx, d, ids); err != nil {
		return err
	}
	return loadPrograms(ctx, tx, d)
}

// loadRuleSets loads the embedded rule sets that are not in the store yet
// (by code). A loaded rule set never changes: projects pin it.
func loadRuleSets(ctx context.Context, tx *Tx, d *refdata.Data, files []refdata.RuleSetFile) error {
	ref := rulefile.Ref{ActivityTypes: map[string]bool{}}
	for _, a := range d.ActivityTypes {
		ref.ActivityTypes[a.Code] = true
	}
	for _, f := range files {
		rs, problems := rulefile.Parse(f.Data, ref)
		if len(problems) > 0 {
			return fmt.Errorf("embedded rule set %s: %w", f.Name, problems)
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM rule_sets WHERE code = $1`, rs.Code).Scan(&n); err != nil {
			return mapError(err)
		}
		if n > 0 {
			continue
		}
		if err := tx.CreateRuleSet(ctx, rs, "embedded:"+f.Name); err != nil {
			return fmt.Errorf("embedded rule set %s: %w", f.Name, err)
		}
	}
	return nil
}

func oldUnitType(name, level string) string {
	if level == "district" {
		return "district"
	}
	f := vntext.Fold(name)
	switch {
	case strings.HasPrefix(f, "phuong "):
		return "ward"
	case strings.HasPrefix(f, "thi tran "):
		return "township"
	}
	return "commune"
}

type unitKey struct {
	level, code string
	gen         int
}

func (tx *Tx) unitIDs(ctx context.Context) (map[unitKey]int64, error) {
	rows, err := tx.Query(ctx, `SELECT id, level, code, generation FROM admin_units`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := make(map[unitKey]int64, 16000)
	for rows.Next() {
		var id int64
		var k unitKey
		if err := rows.Scan(&id, &k.level, &k.code, &k.gen); err != nil {
			return nil, mapError(err)
		}
		m[k] = id
	}
	return m, mapError(rows.Err())
}

func loadOrganizations(ctx context.Context, tx *Tx, d *refdata.Data, ids map[unitKey]int64) error {
	type org struct {
		code, kind, nameVI, nameEN string
		province                   int64
		parent, successor          string
		validTo                    any
	}
	orgs := []org{
		{code: "BCT", kind: "ministry", nameVI: "Bộ Công Thương", nameEN: "Ministry of Industry and Trade"},
		{code: "CUC-KC", kind: "central_agency", parent: "BCT",
			nameVI: "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công",
			nameEN: "Department of Innovation, Green Transformation and Industry Promotion"},
	}
	kept := map[string]bool{}
	for _, p := range d.Provinces34 {
		kept[p.Code] = true
		prefix := provincePrefix(p.Type)
		orgs = append(orgs,
			org{code: "SCT-" + p.Code, kind: "provincial_department", nameVI: "Sở Công Thương " + prefix + " " + p.NameVI,
				nameEN: "Department of Industry and Trade of " + p.NameEN, province: ids[unitKey{"province", p.Code, Gen2025}]},
			org{code: "TTKC-" + p.Code, kind: "promotion_center", parent: "SCT-" + p.Code, nameVI: "Trung tâm Khuyến công " + prefix + " " + p.NameVI,
				nameEN: "Industry Promotion Center of " + p.NameEN, province: ids[unitKey{"province", p.Code, Gen2025}]})
	}
	for _, p := range d.Provinces63 {
		if kept[p.Code] {
			continue // the unit hosting the new centre continues under its code
		}
		prefix := provincePrefix(p.Type)
		orgs = append(orgs,
			org{code: "SCT-" + p.Code, kind: "provincial_department", nameVI: "Sở Công Thương " + prefix + " " + p.NameVI,
				nameEN: "Department of Industry and Trade of " + p.NameEN, province: ids[unitKey{"province", p.Code, Gen2008}],
				successor: "SCT-" + p.Successor, validTo: gen2008End},
			org{code: "TTKC-" + p.Code, kind: "promotion_center", parent: "SCT-" + p.Code, nameVI: "Trung tâm Khuyến công " + prefix + " " + p.NameVI,
				nameEN: "Industry Promotion Center of " + p.NameEN, province: ids[unitKey{"province", p.Code, Gen2008}],
				successor: "TTKC-" + p.Successor, validTo: gen2008End})
	}
	var rows [][]any
	for _, o := range orgs {
		var prov any
		if o.province != 0 {
			prov = o.province
		}
		rows = append(rows, []any{o.code, o.kind, o.nameVI, o.nameEN, prov, o.validTo})
	}
	if err := tx.insertRows(ctx, "organizations", []string{"code", "kind", "name_vi", "name_en", "province_id", "valid_to"}, rows, "(code) DO NOTHING"); err != nil {
		return err
	}
	for _, o := range orgs {
		if o.parent != "" {
			if _, err := tx.Exec(ctx, `UPDATE organizations SET parent_id = (SELECT id FROM organizations WHERE code = $1) WHERE code = $2`, o.parent, o.code); err != nil {
				return err
			}
		}
		if o.successor != "" {
			if _, err := tx.Exec(ctx, `UPDATE organizations SET successor_id = (SELECT id FROM organizations WHERE code = $1) WHERE code = $2`, o.successor, o.code); err != nil {
				return err
			}
		}
	}
	// The central agency's names over time (the 2025 reorganisation of the ministry).
	_, err := tx.Exec(ctx, `INSERT INTO organization_names (org_id, valid_from, valid_to, name_vi, name_en, legal_basis)
		SELECT id, '0001-01-01', '2025-02-28', 'Cục Công Thương địa phương', 'Agency for Regional Industry and Trade (ARIT)', '' FROM organizations WHERE code = 'CUC-KC'
		ON CONFLICT (org_id, valid_from) DO NOTHING`)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO organization_names (org_id, valid_from, valid_to, name_vi, name_en, legal_basis, legal_basis_en)
		SELECT id, '2025-03-01', NULL, name_vi, name_en, 'Tổ chức lại Bộ Công Thương năm 2025 (số quyết định cần xác nhận)',
		'Reorganisation of the Ministry of Industry and Trade in 2025 (decision number to confirm)' FROM organizations WHERE code = 'CUC-KC'
		ON CONFLICT (org_id, valid_from) DO NOTHING`)
	return err
}

func provincePrefix(typ string) string {
	if typ == "city" {
		return "thành phố"
	}
	return "tỉnh"
}

func loadPrograms(ctx context.Context, tx *Tx, d *refdata.Data) error {
	for _, p := range d.Programs {
		date, err := dateArg(p.DecisionDate)
		if err != nil {
			return fmt.Errorf("program %s: %w", p.Code, err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO programs (public_id, code, name_vi, name_en, level, start_year, end_year, decision_no, decision_date, approved_by, approved_by_en, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, decision_no = excluded.decision_no,
				decision_date = excluded.decision_date, approved_by = excluded.approved_by, approved_by_en = excluded.approved_by_en, note = excluded.note`,
			"prog-"+strings.ToLower(p.Code), p.Code, p.NameVI, p.NameEN, p.Level, p.StartYear, p.EndYear, p.DecisionNo, date, p.ApprovedBy, p.ApprovedByEN, p.Note)
		if err != nil {
			return fmt.Errorf("program %s: %w", p.Code, err)
		}
	}
	// The first target revision of each program comes from the embedded
	// data; later revisions are the ministry's, never overwritten here.
	byProgram := map[string][]refdata.Target{}
	var order []string
	for _, t := range d.Targets {
		if _, ok := byProgram[t.ProgramCode]; !ok {
			order = append(order, t.ProgramCode)
		}
		byProgram[t.ProgramCode] = append(byProgram[t.ProgramCode], t)
	}
	for _, code := range order {
		ts := byProgram[code]
		var programID int64
		if err := tx.QueryRow(ctx, `SELECT id FROM programs WHERE code = $1`, code).Scan(&programID); err != nil {
			return mapError(err)
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM target_revisions WHERE program_id = $1`, programID).Scan(&n); err != nil {
			return mapError(err)
		}
		if n > 0 {
			continue
		}
		date, err := dateArg(ts[0].DecisionDate)
		if err != nil {
			return err
		}
		revID, err := tx.InsertID(ctx, `INSERT INTO target_revisions (program_id, revision, decision_no, decision_date, note, created_at)
			VALUES ($1, 1, $2, $3, $4, $5)`, programID, ts[0].DecisionNo, date, "Mục tiêu ban đầu", tx.Now())
		if err != nil {
			return err
		}
		for _, t := range ts {
			if _, err := tx.Exec(ctx, `INSERT INTO targets (revision_id, indicator_code, value) VALUES ($1, $2, $3)`, revID, t.IndicatorCode, t.Value); err != nil {
				return fmt.Errorf("target %s/%s: %w", code, t.IndicatorCode, err)
			}
		}
	}
	return nil
}

func dateArg(s string) (any, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return nil, fmt.Errorf("invalid date %q", s)
	}
	return s, nil
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Placeholder returns the n-th (1-based) bind parameter for the dialect.
// Ordinary statements use $n on both engines; statements with thousands of
// parameters must use this, since SQLite resolves named $n parameters in
// time quadratic in their number.
func (tx *Tx) Placeholder(n int) string {
	if tx.db.dialect == SQLite {
		return "?"
	}
	return "$" + strconv.Itoa(n)
}

// InsertRows inserts rows in multi-row statements (chunked to stay within
// the engines' parameter limits), with an optional ON CONFLICT clause.
func (tx *Tx) InsertRows(ctx context.Context, table string, cols []string, rows [][]any, onConflict string) error {
	return tx.insertRows(ctx, table, cols, rows, onConflict)
}

// insertRows inserts rows in multi-row statements with an ON CONFLICT clause.
func (tx *Tx) insertRows(ctx context.Context, table string, cols []string, rows [][]any, onConflict string) error {
	if len(rows) == 0 {
		return nil
	}
	per := max(1, 30000/len(cols))
	for start := 0; start < len(rows); start += per {
		end := min(len(rows), start+per)
		var b strings.Builder
		fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
		args := make([]any, 0, (end-start)*len(cols))
		for i, r := range rows[start:end] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j := range cols {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, r[j])
				b.WriteString(tx.Placeholder(len(args)))
			}
			b.WriteByte(')')
		}
		if onConflict != "" {
			b.WriteString(" ON CONFLICT " + onConflict)
		}
		if _, err := tx.Exec(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("loading %s: %w", table, err)
		}
	}
	return nil
}
