package app_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"nipp/internal/app"
	"nipp/internal/demo"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/tabular"
)

// planCase is a use case whose statements must be answered from indexes.
type planCase struct {
	name string
	as   *nipp.Principal
	run  func(ctx context.Context, a *app.App) error
	// stmt picks the statements to check (a substring of their text).
	stmt string
	// use: index names, each of which some checked statement's plan must
	// name (SQLite's and PostgreSQL's names alike; an alternative as
	// "a|b").
	use []string
	// walk: on SQLite, a rowid-ordered walk of the table under this alias
	// is the plan meant (a first page newest first: "SCAN p" stops after
	// one page).
	walk string
	// walks: indexes whose walk in order is meant (a first page: it stops
	// after one page), besides those of use.
	walks []string
}

// big are the tables whose full scan is never meant on these paths, with
// the aliases the store gives them.
var bigTables = regexp.MustCompile(`^(SCAN|Seq Scan on) (e|m|establishments|p|projects|pp|project_provinces|pb|project_beneficiaries|b|bl|budget_lines)( |$)`)

// TestHotStatementsUseTheirIndexes runs the pages' use cases (the registry
// and its search and duplicates review, project lists, title search and
// detail, the plan) and checks the plan of every statement they issue on
// the big tables: no full scan where an index is meant to serve, and the
// index meant named. SQLite's plans come from EXPLAIN QUERY PLAN (they do
// not depend on the data); PostgreSQL's from EXPLAIN with sequential scans
// priced out (a full scan left means no index can serve), for the values
// given and as the generic plan a prepared statement switches to after
// five runs, which must not lose a partial index to a bound parameter.
func TestHotStatementsUseTheirIndexes(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if _, err := demo.Load(ctx, db, demo.Size{Establishments: 3000, Projects: 150, Seed: 11}); err != nil {
			t.Fatal(err)
		}
		if db.Dialect() == store.Postgres {
			// SQLite's plans do not depend on the data (nipp gathers no
			// statistics there); PostgreSQL's do, and tables of a few
			// thousand rows are read whole whatever their indexes. Copies
			// of the demo rows make them large enough for its choices to be
			// those of a real registry.
			inflate(t, db, "establishments", 10, []string{"public_id"}, []string{"tax_code", "ext_id", "merged_into_id"})
			inflate(t, db, "projects", 130, []string{"public_id", "code"}, nil)
			if err := db.RawExec(ctx, `INSERT INTO project_provinces (project_id, province_id)
				SELECT p.id, p.province_id FROM projects p WHERE NOT EXISTS (SELECT 1 FROM project_provinces pp WHERE pp.project_id = p.id)`); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.RawExec(ctx, `UPDATE establishments SET review_duplicate = (1 = 1) WHERE id % 50 = 0`); err != nil {
			t.Fatal(err)
		}
		if db.Dialect() == store.Postgres {
			if err := db.RawExec(ctx, `ANALYZE`); err != nil {
				t.Fatal(err)
			}
		}
		a := app.New(db, nil)
		var rare, project string
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			if err := tx.QueryRow(ctx, `SELECT name FROM establishments ORDER BY id LIMIT 1 OFFSET 1501`).Scan(&rare); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT public_id FROM projects ORDER BY id LIMIT 1 OFFSET 76`).Scan(&project)
		})
		if err != nil {
			t.Fatal(err)
		}
		central := &nipp.Principal{UserID: 1, Role: nipp.RoleCentral}
		provincial := &nipp.Principal{UserID: 2, Role: nipp.RoleProvincial, Provinces: []string{"01"}}
		est := func(q app.EstablishmentQuery) func(context.Context, *app.App) error {
			return func(ctx context.Context, a *app.App) error { _, err := a.Establishments(ctx, q); return err }
		}
		projects := func(f nipp.ProjectFilter) func(context.Context, *app.App) error {
			return func(ctx context.Context, a *app.App) error {
				if _, _, err := a.Projects(ctx, f); err != nil {
					return err
				}
				_, err := a.CountProjects(ctx, f)
				return err
			}
		}
		const list = "FROM establishments e\nJOIN admin_units p"
		cases := []planCase{
			{name: "registry, first page", as: central, run: est(app.EstablishmentQuery{}), stmt: list, use: []string{"establishments_fold"}},
			{name: "registry of a province", as: central, run: est(app.EstablishmentQuery{Province: "01"}), stmt: list, use: []string{"establishments_province_fold"}},
			{name: "provincial officer's registry", as: provincial, run: est(app.EstablishmentQuery{}), stmt: list, use: []string{"establishments_province_fold"}},
			{name: "provincial officer's registry with others", as: provincial, run: est(app.EstablishmentQuery{IncludeOthers: true}), stmt: list,
				use: []string{"establishments_province_fold", "establishments_published_fold"}},
			// The totals read establishment_counts (a few hundred rows), never
			// the registry.
			{name: "registry totals", as: provincial, run: est(app.EstablishmentQuery{IncludeOthers: true}), stmt: "establishment_counts", walk: "e"},
			{name: "duplicates review", as: central, run: est(app.EstablishmentQuery{ReviewDuplicate: true}), stmt: list, use: []string{"establishments_review_fold"}},
			{name: "provincial duplicates review", as: provincial, run: est(app.EstablishmentQuery{ReviewDuplicate: true}), stmt: list, use: []string{"establishments_review"}},
			{name: "search for a rare name", as: central, run: est(app.EstablishmentQuery{Query: rare}), stmt: list, use: []string{"establishments_fts|establishments_name_trgm"}},
			{name: "search in a province", as: central, run: est(app.EstablishmentQuery{Query: rare, Province: "01"}), stmt: "FROM establishments e",
				use: []string{"establishments_fts|establishments_name_trgm|establishments_province_trgm|establishments_province_fold"}},
			{name: "provincial officer's search", as: provincial, run: est(app.EstablishmentQuery{Query: "gom"}), stmt: "FROM establishments e",
				use: []string{"establishments_province_fold|establishments_fts|establishments_province_trgm|establishments_name_trgm"}},
			{name: "establishment page", as: central, run: func(ctx context.Context, a *app.App) error {
				page, err := a.Establishments(ctx, app.EstablishmentQuery{Limit: 1})
				if err != nil {
					return err
				}
				_, err = a.Establishment(ctx, page.Items[0].PublicID)
				return err
			}, stmt: "WHERE e.public_id = $1", use: []string{"public_id|establishments_1"}},
			{name: "likely duplicates", as: central, run: func(ctx context.Context, a *app.App) error {
				page, err := a.Establishments(ctx, app.EstablishmentQuery{Limit: 1})
				if err != nil {
					return err
				}
				_, err = a.Establishment(ctx, page.Items[0].PublicID)
				return err
			}, stmt: "e.name_key = $2", use: []string{"establishments_commune_key"}},
			{name: "projects, first page", as: central, run: projects(nipp.ProjectFilter{}), stmt: "FROM projects p\n", use: []string{"projects_pkey|SCAN p"}, walk: "p"},
			// Most projects are published: the newest first, each tested
			// against the officer's provinces (read once through their index).
			{name: "provincial officer's projects", as: provincial, run: projects(nipp.ProjectFilter{}), stmt: "FROM projects p",
				use: []string{"project_provinces_province"}, walk: "p", walks: []string{"projects_pkey"}},
			// With the provinces' ids given (not a subquery), PostgreSQL may
			// merge the province's rows with projects in id order: the walk
			// of projects_pkey ends with the province's rows or the page.
			{name: "own provinces' projects", as: provincial, run: projects(nipp.ProjectFilter{Own: true}), stmt: "FROM projects p", use: []string{"project_provinces_province"},
				walks: []string{"projects_pkey"}},
			// A work queue: the province's projects in one state, read from
			// the rows of project_provinces in that state (migration 0019).
			{name: "own provinces' projects in a state", as: provincial, run: projects(nipp.ProjectFilter{Own: true, State: string(nipp.StateSubmitted)}),
				stmt: "FROM projects p", use: []string{"project_provinces_state"}, walks: []string{"projects_pkey"}},
			{name: "projects of a province", as: central, run: projects(nipp.ProjectFilter{ProvinceCode: "01"}), stmt: "FROM projects p", use: []string{"project_provinces_province"},
				walks: []string{"projects_pkey"}},
			{name: "project title search", as: central, run: projects(nipp.ProjectFilter{Query: "zzkhongcozz"}), stmt: "FROM projects p", use: []string{"projects_fts|projects_title_trgm"}},
			{name: "project title search, common words", as: central, run: projects(nipp.ProjectFilter{Query: "mo hinh"}), stmt: "FROM projects p",
				use: []string{"projects_fts|projects_title_trgm|projects_pkey|SCAN p"}, walk: "p", walks: []string{"projects_pkey"}},
			{name: "project page", as: central, run: func(ctx context.Context, a *app.App) error { _, err := a.Project(ctx, project); return err },
				stmt: "project_id = $1", use: []string{"budget_lines_project", "project_transitions_project"}},
			{name: "the year's plan", as: central, run: func(ctx context.Context, a *app.App) error { _, err := a.AnnualPlan(ctx, 2025); return err },
				stmt: "p.year = $1", use: []string{"projects_year_id|projects_program_year"}},
			// An import's chunk lookups (last: they add records): the rows'
			// records by file id and tax code, and by name key in their
			// commune (PostgreSQL: arrays, one text for every chunk; with
			// this test's few records a commune, it may read the commune's
			// index and test the name key, as "likely duplicates").
			{name: "import: records by file id and tax code", as: central, run: importRows, stmt: "OR e.tax_code",
				use: []string{"establishments_ext_id", "tax_code_key|autoindex_establishments"}},
			{name: "import: records by name in their commune", as: central, run: importRows, stmt: "(e.commune_id, e.name_key) IN (",
				use: []string{"establishments_commune_key"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var mu sync.Mutex
				type stmt struct {
					q    string
					args []any
				}
				var seen []stmt
				db.SetQueryHook(func(q string, args []any) {
					mu.Lock()
					seen = append(seen, stmt{q, append([]any(nil), args...)})
					mu.Unlock()
				})
				err := c.run(nipp.WithPrincipal(ctx, c.as), a)
				db.SetQueryHook(nil)
				if err != nil {
					t.Fatal(err)
				}
				all := map[string][]string{} // plans by kind
				checked := 0
				for _, s := range seen {
					if !strings.Contains(s.q, c.stmt) || strings.HasPrefix(s.q, "SELECT COALESCE(MAX(id), 0)") {
						continue
					}
					if strings.HasPrefix(s.q, "SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT ") && strings.Contains(s.q, " ORDER BY ") {
						// PostgreSQL's route tests (store.pgWalkFills,
						// pgTitleWalkFills): a walk of the list's order from
						// its start, bounded by its inner LIMIT.
						continue
					}
					checked++
					plans := map[string][]string{}
					err := db.ReadTx(ctx, func(tx *store.Tx) error {
						if tx.Dialect() == store.Postgres {
							if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
								return err
							}
						}
						var err error
						if plans["plan"], err = store.Explain(ctx, tx, s.q, s.args...); err != nil {
							return err
						}
						if tx.Dialect() == store.Postgres {
							plans["generic plan"], err = store.ExplainGeneric(ctx, tx, s.q, s.args...)
						}
						return err
					})
					if err != nil {
						t.Fatalf("explaining %s: %v", s.q, err)
					}
					for kind, plan := range plans {
						text := strings.Join(plan, "\n")
						all[kind] = append(all[kind], text)
						if idx := fullIndexScan(plan); idx != "" && !usesMeant(" INDEX "+idx, append(c.use, c.walks...)) {
							t.Errorf("%s reads all of index %s:\n%s\n%s", kind, idx, oneLine(s.q), text)
						}
						for _, l := range plan {
							l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "->"))
							l = strings.TrimSpace(l)
							m := bigTables.FindStringSubmatch(l)
							switch {
							case m == nil:
							case m[1] == "SCAN" && m[2] == c.walk && l == "SCAN "+c.walk:
								// the rowid-ordered walk meant
							case m[1] == "SCAN" && usesMeant(l, append(c.use, c.walks...)):
								// SQLite walking a meant index in its order (a
								// first page: the walk stops after one page)
							default:
								t.Errorf("%s scans a whole table (%q):\n%s\n%s", kind, l, oneLine(s.q), text)
							}
						}
					}
				}
				if checked == 0 {
					t.Fatalf("no statement containing %q was run", c.stmt)
				}
				for kind, plans := range all {
					for _, want := range c.use {
						if !slices.ContainsFunc(plans, func(p string) bool {
							return slices.ContainsFunc(strings.Split(want, "|"), func(w string) bool { return strings.Contains(p, w) })
						}) {
							t.Errorf("no %s uses %s:\n%s", kind, want, strings.Join(plans, "\n--\n"))
						}
					}
				}
			})
		}
	})
}

// fullIndexScan returns the index a PostgreSQL plan reads whole on one of
// the big tables (an index scan with no condition on the index), or "".
func fullIndexScan(plan []string) string {
	scan := regexp.MustCompile(`(Index|Index Only) Scan (Backward )?using (\S+) on (establishments|projects|project_provinces|project_beneficiaries|budget_lines) `)
	for i, l := range plan {
		m := scan.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		indent := len(l) - len(strings.TrimLeft(l, " "))
		cond := false
		for _, d := range plan[i+1:] {
			if strings.Contains(d, "->") || len(d)-len(strings.TrimLeft(d, " ")) <= indent {
				break
			}
			cond = cond || strings.Contains(d, "Index Cond:")
		}
		if !cond {
			return m[3]
		}
	}
	return ""
}

// usesMeant reports whether a SQLite "SCAN x USING [COVERING] INDEX name"
// line walks one of the indexes meant.
func usesMeant(l string, use []string) bool {
	_, idx, ok := strings.Cut(l, " INDEX ")
	if !ok {
		return false
	}
	idx, _, _ = strings.Cut(idx, " ")
	for _, u := range use {
		if slices.Contains(strings.Split(u, "|"), idx) {
			return true
		}
	}
	return false
}

// inflate adds n-1 copies of every row of a PostgreSQL table, with its
// unique columns suffixed (the copy's number) or left empty.
func inflate(t *testing.T, db *store.DB, table string, n int, suffixed, empty []string) {
	t.Helper()
	ctx := context.Background()
	var cols []string
	err := db.ReadTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema()
			AND column_name <> 'id' ORDER BY ordinal_position`, table)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				return err
			}
			cols = append(cols, c)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	var sel []string
	for _, c := range cols {
		switch {
		case slices.Contains(suffixed, c):
			sel = append(sel, c+" || '-' || g")
		case slices.Contains(empty, c):
			sel = append(sel, "NULL")
		default:
			sel = append(sel, c)
		}
	}
	q := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) SELECT ` + strings.Join(sel, ", ") +
		` FROM ` + table + `, generate_series(2, ` + strconv.Itoa(n) + `) g`
	if err := db.RawExec(ctx, q); err != nil {
		t.Fatalf("copying %s: %v", table, err)
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// importRows imports a small file through the import's use cases: rows
// with a file id and a tax code, and keyless rows named in their commune
// (as the system: the test's principals have no user row).
func importRows(ctx context.Context, a *app.App) error {
	ctx = app.AsSystem(ctx)
	var csv strings.Builder
	csv.WriteString("Mã cơ sở,Tên cơ sở,Loại hình,Tỉnh/TP,Xã/phường,Mã số thuế\n")
	for i := range 30 {
		if i%2 == 0 {
			csv.WriteString("KH-" + strconv.Itoa(i) + ",Công ty kế hoạch truy vấn " + strconv.Itoa(i) + ",,Hà Nội,Phường Ba Đình," + strconv.Itoa(4100000000+i) + "\n")
		} else {
			csv.WriteString(",Cơ sở kế hoạch truy vấn " + strconv.Itoa(i) + ",HKD,Hà Nội,Phường Ba Đình,\n")
		}
	}
	r, err := tabular.NewCSVReader(strings.NewReader(csv.String()))
	if err != nil {
		return err
	}
	job, err := a.StageImport(ctx, "plans.csv", r, app.ImportOptions{})
	if err == nil {
		job, err = a.ConfirmImport(ctx, job.ID, nil, app.ImportOptions{})
	}
	if err == nil {
		err = a.RunImportJob(ctx, job.ID)
	}
	if err == nil {
		job, err = a.ApplyImport(ctx, job.ID)
	}
	if err == nil {
		err = a.RunImportJob(ctx, job.ID)
	}
	if err == nil {
		job, err = a.ImportJob(ctx, job.ID)
	}
	if err == nil && (job.State != nipp.ImportDone || job.Imported+job.Unchanged != 30) {
		err = fmt.Errorf("import: %s, %d imported, %d unchanged", job.State, job.Imported, job.Unchanged)
	}
	return err
}
