package demo_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"nipp/internal/demo"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/vntext"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

var testSize = demo.Size{Establishments: 300, Projects: 40, Seed: 7}

func mustLoad(t *testing.T, db *store.DB, size demo.Size) demo.Stats {
	t.Helper()
	st, err := demo.Load(context.Background(), db, size)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if st.Establishments != size.Establishments || st.Projects != size.Projects {
		t.Fatalf("Load = %+v, want %+v", st, size)
	}
	return st
}

// query runs q in a read transaction and calls fn for every row.
func query(t *testing.T, db *store.DB, q string, fn func(scan func(...any) error) error, args ...any) {
	t.Helper()
	err := db.ReadTx(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(context.Background(), q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows.Scan); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	query(t, db, q, func(scan func(...any) error) error { return scan(&n) }, args...)
	return n
}

func TestLoadCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mustLoad(t, db, testSize)
		for table, want := range map[string]int{"establishments": testSize.Establishments, "projects": testSize.Projects} {
			if n := count(t, db, "SELECT COUNT(*) FROM "+table); n != want {
				t.Errorf("%s: %d rows, want %d", table, n, want)
			}
		}
		// Every project has its lead province, 1-3 beneficiaries, a national
		// budget line.
		for _, c := range []struct {
			what, q string
		}{
			{"projects without their lead province", `SELECT COUNT(*) FROM projects p WHERE NOT EXISTS
				(SELECT 1 FROM project_provinces pp WHERE pp.project_id = p.id AND pp.province_id = p.province_id)`},
			{"project provinces without their project's state", `SELECT COUNT(*) FROM project_provinces pp JOIN projects p ON p.id = pp.project_id
				WHERE pp.state IS NULL OR pp.state <> p.state`},
			{"projects without 1-3 beneficiaries", `SELECT COUNT(*) FROM projects p WHERE
				(SELECT COUNT(*) FROM project_beneficiaries b WHERE b.project_id = p.id) NOT BETWEEN 1 AND 3`},
			{"projects without national support", `SELECT COUNT(*) FROM projects p WHERE NOT EXISTS
				(SELECT 1 FROM budget_lines l WHERE l.project_id = p.id AND l.source = 'national' AND l.planned > 0)`},
		} {
			if n := count(t, db, c.q); n != 0 {
				t.Errorf("%d %s", n, c.what)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM project_outputs`); n < testSize.Projects/2 {
			t.Errorf("only %d project outputs for %d projects", n, testSize.Projects)
		}
	})
}

func TestEstablishmentUnits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mustLoad(t, db, testSize)
		for _, c := range []struct {
			what, q string
		}{
			{"establishments whose province is not a 2025 province", `SELECT COUNT(*) FROM establishments e
				JOIN admin_units a ON a.id = e.province_id WHERE NOT (a.level = 'province' AND a.generation = 2025)`},
			{"2008 provinces not succeeded by the establishment's province", `SELECT COUNT(*) FROM establishments e
				JOIN admin_units o ON o.id = e.orig_province_id WHERE o.generation = 2008 AND NOT EXISTS
				(SELECT 1 FROM admin_unit_successors s WHERE s.old_id = o.id AND s.new_id = e.province_id)`},
			{"2025 original provinces that differ from the province", `SELECT COUNT(*) FROM establishments e
				JOIN admin_units o ON o.id = e.orig_province_id WHERE o.generation = 2025 AND e.orig_province_id <> e.province_id`},
			{"communes outside their province", `SELECT COUNT(*) FROM establishments e
				JOIN admin_units c ON c.id = e.commune_id WHERE NOT (c.level = 'commune' AND c.generation = 2025 AND c.parent_id = e.province_id)`},
			{"original communes outside their original province", `SELECT COUNT(*) FROM establishments e
				JOIN admin_units c ON c.id = e.orig_commune_id WHERE NOT (c.level = 'commune' AND c.parent_id = e.orig_province_id)`},
			{"2008 communes not succeeded by the establishment's commune", `SELECT COUNT(*) FROM establishments e
				JOIN admin_units c ON c.id = e.orig_commune_id WHERE c.generation = 2008 AND NOT EXISTS
				(SELECT 1 FROM admin_unit_successors s WHERE s.old_id = c.id AND s.new_id = e.commune_id)`},
			{"establishments recorded on the wrong side of 2025-07-01", `SELECT COUNT(*) FROM establishments e
				JOIN admin_units o ON o.id = e.orig_province_id
				WHERE (o.generation = 2008 AND e.recorded_on >= '2025-07-01') OR (o.generation = 2025 AND e.recorded_on < '2025-07-01')`},
		} {
			if n := count(t, db, c.q); n != 0 {
				t.Errorf("%d %s", n, c.what)
			}
		}
		old := count(t, db, `SELECT COUNT(*) FROM establishments e JOIN admin_units o ON o.id = e.orig_province_id WHERE o.generation = 2008`)
		if share := float64(old) / float64(testSize.Establishments); share < 0.2 || share > 0.4 {
			t.Errorf("%.0f%% recorded before the merger, want about 30%%", 100*share)
		}
		provinces := count(t, db, `SELECT COUNT(DISTINCT province_id) FROM establishments`)
		if provinces < 30 {
			t.Errorf("establishments in only %d provinces", provinces)
		}
	})
}

var (
	publicIDRe = regexp.MustCompile(`^cs-[a-z2-7]{10}$`)
	taxRe      = map[string]*regexp.Regexp{
		"enterprise":        regexp.MustCompile(`^\d{10}(-\d{3})?$`),
		"cooperative":       regexp.MustCompile(`^\d{10}$`),
		"cooperative_group": regexp.MustCompile(`^\d{10}$`),
		"household":         regexp.MustCompile(`^\d{12}$`),
	}
	prefixes = map[string][]string{
		"enterprise":        {"Công ty TNHH ", "Công ty CP ", "Doanh nghiệp tư nhân "},
		"cooperative":       {"Hợp tác xã "},
		"cooperative_group": {"Tổ hợp tác "},
		"household":         {"Hộ kinh doanh ", "Cơ sở "},
	}
)

func TestEstablishmentNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mustLoad(t, db, testSize)
		taxes := map[string]bool{}
		ids := map[string]bool{}
		forms := map[string]int{}
		var women, ethnic, published int
		query(t, db, `SELECT public_id, name, name_fold, name_key, legal_form, COALESCE(tax_code, ''), sector_code, employees,
			founded_year, women_owned, ethnic_minority_owned, published FROM establishments`, func(scan func(...any) error) error {
			var pid, name, fold, key, form, tax, sector string
			var employees, founded int
			var w, e, pub bool
			if err := scan(&pid, &name, &fold, &key, &form, &tax, &sector, &employees, &founded, &w, &e, &pub); err != nil {
				return err
			}
			// The duplicate key, as a record saved through the app has it
			// (the likely-duplicate checks and an import's lookups by name
			// in a commune read it): the demo's records once had none.
			if key == "" || key != vntext.NameKey(name) {
				t.Errorf("name_key %q of %q, want %q", key, name, vntext.NameKey(name))
			}
			forms[form]++
			if w {
				women++
			}
			if e {
				ethnic++
			}
			if pub {
				published++
			}
			if !publicIDRe.MatchString(pid) || ids[pid] {
				t.Errorf("public id %q malformed or repeated", pid)
			}
			ids[pid] = true
			if name == fold || !hasNonASCII(name) || vntext.Clean(name) != name {
				t.Errorf("name %q: want clean Vietnamese text with diacritics", name)
			}
			if fold != vntext.Fold(name) {
				t.Errorf("name_fold %q, want %q", fold, vntext.Fold(name))
			}
			if !hasPrefix(name, prefixes[form]) {
				t.Errorf("%s named %q", form, name)
			}
			if tax != "" {
				if !taxRe[form].MatchString(tax) {
					t.Errorf("%s %q: tax code %q", form, name, tax)
				}
				if taxes[tax] {
					t.Errorf("tax code %s repeated", tax)
				}
				taxes[tax] = true
			} else if form == "enterprise" || form == "cooperative" {
				t.Errorf("%s %q has no tax code", form, name)
			}
			if !regexp.MustCompile(`^C\d\d$`).MatchString(sector) || employees < 2 || employees > 300 || founded < 1985 || founded > 2024 {
				t.Errorf("%q: sector %q, %d employees, founded %d", name, sector, employees, founded)
			}
			return nil
		})
		for _, f := range []string{"enterprise", "cooperative", "cooperative_group", "household"} {
			if forms[f] == 0 {
				t.Errorf("no %s", f)
			}
		}
		n := testSize.Establishments
		if women < n/10 || women > n*3/10 || ethnic == 0 || ethnic > n/5 || published < n/2 || published > n*7/10 {
			t.Errorf("women-owned %d, ethnic-minority-owned %d, published %d of %d", women, ethnic, published, n)
		}
		if dup := count(t, db, `SELECT COUNT(*) FROM (SELECT tax_code FROM establishments WHERE tax_code IS NOT NULL
			GROUP BY tax_code HAVING COUNT(*) > 1) d`); dup != 0 {
			t.Errorf("%d repeated tax codes", dup)
		}
	})
}

func hasNonASCII(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func hasPrefix(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

var projectCodeRe = regexp.MustCompile(`^KCQG-(20\d\d)-\d\d-\d{4}$`)

func TestProjects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mustLoad(t, db, demo.Size{Establishments: 600, Projects: 150, Seed: 11})
		decided := map[string]bool{"approved": true, "in_implementation": true, "accepted": true, "settled": true, "cancelled": true}
		states := map[string]bool{}
		query(t, db, `SELECT p.code, p.year, p.title, p.title_fold, p.state, p.decision_no, COALESCE(CAST(p.decision_date AS TEXT), ''),
				p.published, p.activity_type_code, g.code, o.kind, a.generation, og.generation, pr.start_year, pr.end_year,
				EXISTS (SELECT 1 FROM admin_unit_successors s WHERE s.old_id = p.orig_province_id AND s.new_id = p.province_id)
			FROM projects p
			JOIN organizations o ON o.id = p.implementing_org_id
			JOIN admin_units a ON a.id = p.province_id
			JOIN admin_units og ON og.id = p.orig_province_id
			JOIN programs pr ON pr.id = p.program_id
			LEFT JOIN admin_units g ON g.id = o.province_id`, func(scan func(...any) error) error {
			var code, title, fold, state, decNo, decDate, act, orgProv, orgKind string
			var year, gen, origGen, start, end int
			var published, linked bool
			if err := scan(&code, &year, &title, &fold, &state, &decNo, &decDate, &published, &act, &orgProv, &orgKind,
				&gen, &origGen, &start, &end, &linked); err != nil {
				return err
			}
			states[state] = true
			m := projectCodeRe.FindStringSubmatch(code)
			if m == nil || m[1] != fmt.Sprint(year) {
				t.Errorf("project code %q (year %d)", code, year)
			}
			if !hasNonASCII(title) || fold != vntext.Fold(title) {
				t.Errorf("%s: title %q / %q", code, title, fold)
			}
			if year < start || year > end || year < 2021 || year > 2026 {
				t.Errorf("%s: year %d in program %d-%d", code, year, start, end)
			}
			if gen != store.Gen2025 {
				t.Errorf("%s: province of generation %d", code, gen)
			}
			switch {
			case year <= 2025 && (origGen != store.Gen2008 || !linked):
				t.Errorf("%s (%d): original province of generation %d, linked %v", code, year, origGen, linked)
			case year >= 2026 && origGen != store.Gen2025:
				t.Errorf("%s (%d): original province of generation %d", code, year, origGen)
			}
			if orgKind != "promotion_center" {
				t.Errorf("%s: implemented by a %s", code, orgKind)
			}
			if decided[state] != (decNo != "") || decided[state] != published || (decNo != "") != (decDate != "") {
				t.Errorf("%s: state %s, decision %q of %q, published %v", code, state, decNo, decDate, published)
			}
			if decNo != "" && (!strings.HasSuffix(decNo, "/QĐ-BCT") || !strings.HasPrefix(decDate, fmt.Sprint(year))) {
				t.Errorf("%s (%d): decision %s of %s", code, year, decNo, decDate)
			}
			return nil
		})
		for _, s := range []string{"settled", "accepted", "in_implementation", "approved"} {
			if !states[s] {
				t.Errorf("no project is %s", s)
			}
		}

		// The state's support never exceeds the cost, nor the caps.
		query(t, db, `SELECT p.code, p.activity_type_code, p.state,
				SUM(CASE WHEN l.source IN ('national', 'local') THEN l.planned ELSE 0 END), SUM(l.planned),
				SUM(CASE WHEN l.source IN ('national', 'local') THEN COALESCE(l.approved, 0) ELSE 0 END), SUM(COALESCE(l.approved, 0)),
				SUM(CASE WHEN l.source IN ('national', 'local') THEN COALESCE(l.actual, 0) ELSE 0 END), SUM(COALESCE(l.actual, 0)),
				COUNT(l.approved), COUNT(l.actual), COUNT(*)
			FROM projects p JOIN budget_lines l ON l.project_id = p.id
			GROUP BY p.code, p.activity_type_code, p.state`, func(scan func(...any) error) error {
			var code, act, state string
			var statePl, totalPl, stateAp, totalAp, stateAc, totalAc int64
			var nAp, nAc, n int
			if err := scan(&code, &act, &state, &statePl, &totalPl, &stateAp, &totalAp, &stateAc, &totalAc, &nAp, &nAc, &n); err != nil {
				return err
			}
			if statePl > totalPl || stateAp > totalAp || stateAc > totalAc || statePl <= 0 {
				t.Errorf("%s: state %d/%d planned, %d/%d approved, %d/%d actual", code, statePl, totalPl, stateAp, totalAp, stateAc, totalAc)
			}
			if totalPl%1000 != 0 || totalAp%1000 != 0 || totalAc%1000 != 0 {
				t.Errorf("%s: amounts not rounded to thousands", code)
			}
			switch act {
			case "DEMO_MODEL":
				if statePl*2 > totalPl || statePl > 1_000_000_000 || totalPl < 1_000_000_000 || totalPl > 3_000_000_000 {
					t.Errorf("%s demonstration model: state %d of %d", code, statePl, totalPl)
				}
			case "MACHINERY":
				if statePl*2 > totalPl || statePl > 300_000_000 || totalPl < 300_000_000 || totalPl > 900_000_000 {
					t.Errorf("%s machinery: state %d of %d", code, statePl, totalPl)
				}
			}
			if decided[state] != (nAp == n) || (state == "settled") != (nAc == n) || (nAp != 0 && nAp != n) || (nAc != 0 && nAc != n) {
				t.Errorf("%s (%s): %d approved and %d actual amounts of %d lines", code, state, nAp, nAc, n)
			}
			if stateAc > stateAp {
				t.Errorf("%s: spent %d of %d approved", code, stateAc, stateAp)
			}
			return nil
		})

		for _, c := range []struct {
			what, q string
		}{
			{"beneficiaries outside the project's province", `SELECT COUNT(*) FROM project_beneficiaries b
				JOIN projects p ON p.id = b.project_id JOIN establishments e ON e.id = b.establishment_id
				WHERE e.province_id <> p.province_id`},
			{"outputs of the wrong kind", `SELECT COUNT(*) FROM project_outputs o JOIN projects p ON p.id = o.project_id
				WHERE NOT ((p.activity_type_code = 'DEMO_MODEL' AND o.indicator_code = 'DEMO_MODELS' AND o.planned = 1)
					OR (p.activity_type_code = 'MACHINERY' AND o.indicator_code = 'MACHINES' AND o.planned BETWEEN 1 AND 8)
					OR (p.activity_type_code = 'VOC_TRAINING' AND o.indicator_code = 'WORKERS_TRAINED' AND o.planned BETWEEN 20 AND 60)
					OR p.activity_type_code NOT IN ('DEMO_MODEL', 'MACHINERY', 'VOC_TRAINING'))`},
			{"actual outputs before acceptance or above the plan", `SELECT COUNT(*) FROM project_outputs o JOIN projects p ON p.id = o.project_id
				WHERE (o.actual IS NOT NULL) <> (p.state IN ('accepted', 'settled')) OR o.actual > o.planned`},
			{"demonstration or machinery projects without output", `SELECT COUNT(*) FROM projects p
				WHERE p.activity_type_code IN ('DEMO_MODEL', 'MACHINERY') AND NOT EXISTS (SELECT 1 FROM project_outputs o WHERE o.project_id = p.id)`},
			{"projects without a rule set", `SELECT COUNT(*) FROM projects WHERE rule_set_id IS NULL`},
		} {
			if n := count(t, db, c.q); n != 0 {
				t.Errorf("%d %s", n, c.what)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM projects WHERE area_category = 'disadvantaged'`); n == 0 || n > 150/2 {
			t.Errorf("%d of 150 projects in disadvantaged areas", n)
		}
		common := count(t, db, `SELECT COUNT(*) FROM projects WHERE activity_type_code IN ('DEMO_MODEL', 'MACHINERY')`)
		if common < 150/3 {
			t.Errorf("only %d of 150 projects are demonstration models or machinery", common)
		}
	})
}

// digest summarises the loaded data by codes, not ids, so that it can be
// compared across databases and engines.
func digest(t *testing.T, db *store.DB) string {
	t.Helper()
	h := sha256.New()
	add := func(q string, n int) {
		query(t, db, q, func(scan func(...any) error) error {
			vals := make([]sql.NullString, n)
			ptrs := make([]any, n)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := scan(ptrs...); err != nil {
				return err
			}
			for _, v := range vals {
				fmt.Fprintf(h, "%q|", v.String)
			}
			h.Write([]byte{'\n'})
			return nil
		})
	}
	add(`SELECT e.public_id, e.name, e.tax_code, e.legal_form, e.address, e.craft_village, e.contact_name, e.phone, e.email,
			CAST(e.employees AS TEXT), CAST(e.recorded_on AS TEXT), p.code, op.code, c.code, oc.code
		FROM establishments e JOIN admin_units p ON p.id = e.province_id JOIN admin_units op ON op.id = e.orig_province_id
		JOIN admin_units c ON c.id = e.commune_id JOIN admin_units oc ON oc.id = e.orig_commune_id ORDER BY e.public_id`, 15)
	add(`SELECT p.code, p.public_id, p.title, p.state, p.activity_type_code, p.decision_no, CAST(p.decision_date AS TEXT), o.code
		FROM projects p JOIN organizations o ON o.id = p.implementing_org_id ORDER BY p.code`, 8)
	add(`SELECT p.code, l.source, CAST(l.planned AS TEXT), CAST(l.approved AS TEXT), CAST(l.actual AS TEXT)
		FROM budget_lines l JOIN projects p ON p.id = l.project_id ORDER BY p.code, l.source`, 5)
	add(`SELECT p.code, e.public_id FROM project_beneficiaries b JOIN projects p ON p.id = b.project_id
		JOIN establishments e ON e.id = b.establishment_id ORDER BY p.code, e.public_id`, 2)
	add(`SELECT p.code, o.indicator_code, CAST(o.planned AS TEXT), CAST(o.actual AS TEXT)
		FROM project_outputs o JOIN projects p ON p.id = o.project_id ORDER BY p.code, o.indicator_code`, 4)
	add(`SELECT p.code, CAST(e.entry_no AS TEXT), e.source, e.kind, CAST(e.amount AS TEXT), CAST(e.entry_date AS TEXT), e.doc_no
		FROM ledger_entries e JOIN projects p ON p.id = e.project_id ORDER BY p.code, e.entry_no`, 7)
	return hex.EncodeToString(h.Sum(nil))
}

func freshDB(t *testing.T, db *store.DB) *store.DB {
	if db.Dialect() == store.Postgres {
		return storetest.OpenPostgres(t, storetest.Options{})
	}
	return storetest.OpenSQLite(t, storetest.Options{})
}

func TestDeterministic(t *testing.T) {
	var mu sync.Mutex
	byEngine := map[store.Dialect]string{}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mustLoad(t, db, testSize)
		other := freshDB(t, db)
		mustLoad(t, other, testSize)
		a, b := digest(t, db), digest(t, other)
		if a != b {
			t.Fatalf("same seed, different data: %s vs %s", a, b)
		}
		third := freshDB(t, db)
		mustLoad(t, third, demo.Size{Establishments: testSize.Establishments, Projects: testSize.Projects, Seed: testSize.Seed + 1})
		if digest(t, third) == a {
			t.Errorf("a different seed gave the same data")
		}
		mu.Lock()
		byEngine[db.Dialect()] = a
		mu.Unlock()
	})
	if len(byEngine) == 2 && byEngine[store.SQLite] != byEngine[store.Postgres] {
		t.Errorf("the same seed gives different data on SQLite and PostgreSQL")
	}
}

func TestLoadIfEmpty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		size := demo.Size{Establishments: 120, Projects: 10, Seed: 3}
		st, err := demo.LoadIfEmpty(ctx, db, size)
		if err != nil || st != (demo.Stats{Establishments: 120, Projects: 10}) {
			t.Fatalf("LoadIfEmpty on an empty database = %+v, %v", st, err)
		}
		before := digest(t, db)
		st, err = demo.LoadIfEmpty(ctx, db, demo.Size{Establishments: 50, Projects: 5, Seed: 4})
		if err != nil || st != (demo.Stats{}) {
			t.Fatalf("LoadIfEmpty on a loaded database = %+v, %v", st, err)
		}
		if digest(t, db) != before {
			t.Errorf("LoadIfEmpty changed a loaded database")
		}
		// Establishments alone are enough to count as data.
		other := freshDB(t, db)
		mustLoad(t, other, demo.Size{Establishments: 10, Seed: 5})
		if st, err := demo.LoadIfEmpty(ctx, other, size); err != nil || st != (demo.Stats{}) {
			t.Errorf("LoadIfEmpty with establishments only = %+v, %v", st, err)
		}
	})
}

func TestLoadNothing(t *testing.T) {
	db := storetest.OpenSQLite(t, storetest.Options{})
	if st, err := demo.Load(context.Background(), db, demo.Size{}); err != nil || st != (demo.Stats{}) {
		t.Errorf("Load of nothing = %+v, %v", st, err)
	}
	if _, err := demo.Load(context.Background(), db, demo.Size{Projects: 3}); err == nil {
		t.Errorf("Load of projects without establishments succeeded")
	}
	if _, err := demo.Load(context.Background(), db, demo.Size{Establishments: -1}); err == nil {
		t.Errorf("Load of a negative size succeeded")
	}
}

func TestSmallSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	db := storetest.OpenSQLite(t, storetest.Options{})
	start := time.Now()
	mustLoad(t, db, demo.Small)
	t.Logf("demo.Small (%d establishments, %d projects) loaded into SQLite in %v",
		demo.Small.Establishments, demo.Small.Projects, time.Since(start).Round(time.Millisecond))
}

// BenchmarkLoad measures loading the demo data set (what `serve --demo` does
// on first start) into a fresh database on each engine.
func BenchmarkLoad(b *testing.B) {
	ctx := context.Background()
	for _, eng := range []string{"sqlite", "postgres"} {
		if eng == "postgres" && storetest.PostgresURL() == "" {
			continue
		}
		b.Run(eng, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				var db *store.DB
				if eng == "sqlite" {
					db = storetest.OpenSQLite(b, storetest.Options{})
				} else {
					db = storetest.OpenPostgres(b, storetest.Options{})
				}
				b.StartTimer()
				st, err := demo.Load(ctx, db, demo.Small)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(st.Establishments), "establishments")
			}
		})
	}
}

// Every demo project is pinned to the rule set in force on its decision
// date (or its year while undecided), as real projects are.
func TestProjectsPinRuleSets(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if _, err := demo.Load(ctx, db, demo.Size{Establishments: 300, Projects: 60, Seed: 5}); err != nil {
			t.Fatal(err)
		}
		var unpinned, wrong int
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM projects WHERE rule_set_id IS NULL`).Scan(&unpinned); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT COUNT(*) FROM projects p JOIN rule_sets r ON r.id = p.rule_set_id
				WHERE p.decision_date IS NOT NULL AND (p.decision_date < r.valid_from OR (r.valid_to IS NOT NULL AND p.decision_date > r.valid_to))`).Scan(&wrong)
		})
		if err != nil {
			t.Fatal(err)
		}
		if unpinned != 0 || wrong != 0 {
			t.Fatalf("%d projects without a rule set, %d pinned to a set not in force on their decision date", unpinned, wrong)
		}
		// Beneficiaries carry their priority groups; only a rule set with
		// priority groups (the 2025 amendment) prioritises any.
		var withGroups, prioritised, prioritisedUnder2012 int
		err = db.ReadTx(ctx, func(tx *store.Tx) error {
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM project_beneficiaries b JOIN establishments e ON e.id = b.establishment_id
				WHERE EXISTS (SELECT 1 FROM project_beneficiary_groups g WHERE g.project_id = b.project_id AND g.establishment_id = b.establishment_id) AND (e.women_owned OR e.ethnic_minority_owned OR e.artisan OR e.craft_village <> '')`).Scan(&withGroups); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `SELECT COUNT(DISTINCT project_id || '-' || establishment_id) FROM project_beneficiary_groups WHERE prioritised`).Scan(&prioritised); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT COUNT(*) FROM project_beneficiaries b JOIN projects p ON p.id = b.project_id
				JOIN rule_sets r ON r.id = p.rule_set_id WHERE r.code = 'ND45-2012'
				AND EXISTS (SELECT 1 FROM project_beneficiary_groups g WHERE g.project_id = b.project_id AND g.establishment_id = b.establishment_id AND g.prioritised)`).Scan(&prioritisedUnder2012)
		})
		if err != nil {
			t.Fatal(err)
		}
		if withGroups == 0 || prioritised == 0 || prioritisedUnder2012 != 0 {
			t.Fatalf("beneficiaries with groups %d, prioritised %d, prioritised under the 2012 rules %d", withGroups, prioritised, prioritisedUnder2012)
		}
	})
}

// Every demo project has the timeline that led it to its state: each step
// from the state the previous one reached, in time order, ending in the
// project's state (a draft has none), so its page reads like a real one.
func TestProjectHistories(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mustLoad(t, db, testSize)
		type step struct{ from, to string }
		states := map[int64]string{}
		query(t, db, `SELECT id, state FROM projects`, func(scan func(...any) error) error {
			var id int64
			var s string
			err := scan(&id, &s)
			states[id] = s
			return err
		})
		steps := map[int64][]step{}
		query(t, db, `SELECT project_id, from_state, to_state FROM project_transitions ORDER BY project_id, at, id`, func(scan func(...any) error) error {
			var id int64
			var s step
			err := scan(&id, &s.from, &s.to)
			steps[id] = append(steps[id], s)
			return err
		})
		for id, state := range states {
			h := steps[id]
			if state == "draft" {
				if len(h) != 0 {
					t.Errorf("draft %d has a timeline: %v", id, h)
				}
				continue
			}
			if len(h) == 0 || h[0].from != "draft" || h[len(h)-1].to != state {
				t.Errorf("project %d (%s): timeline %v", id, state, h)
				continue
			}
			for i := 1; i < len(h); i++ {
				if h[i].from != h[i-1].to {
					t.Errorf("project %d: step %d starts from %s, the one before reached %s", id, i, h[i].from, h[i-1].to)
				}
			}
		}
	})
}
