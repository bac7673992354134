package store_test

import (
	"context"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// Both dialects must have the same migrations, by number and name.
func TestMigrationsMatchAcrossDialects(t *testing.T) {
	lite, err := store.Migrations(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.Migrations(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 {
		t.Fatal("no migrations embedded")
	}
	names := func(ms []store.Migration) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return out
	}
	if !slices.Equal(names(lite), names(pg)) {
		t.Fatalf("migrations differ:\nsqlite:   %v\npostgres: %v", names(lite), names(pg))
	}
	// Numbers run 1, 2, 3... without gaps on main. (Branches reserve numbers
	// per feature and the migrator applies every unrecorded migration, so a
	// feature may land before a lower-numbered one; main must end up whole.)
	for i, m := range lite {
		if m.Version != i+1 {
			t.Errorf("migration %s: want number %d (no gaps on main)", m.Name, i+1)
		}
	}
}

// The conformance suite: every case runs on SQLite and (when configured)
// PostgreSQL.
func TestConformance(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Run("schema is current", func(t *testing.T) {
			if err := db.CheckSchema(ctx); err != nil {
				t.Fatal(err)
			}
			again, err := db.Migrate(ctx)
			if err != nil || len(again) != 0 {
				t.Fatalf("second migrate applied %v, err %v; want nothing", again, err)
			}
		})
		t.Run("reference data counts", func(t *testing.T) {
			cases := []struct {
				q    string
				want int
			}{
				{`SELECT COUNT(*) FROM admin_units WHERE level = 'province' AND generation = 2008`, 63},
				{`SELECT COUNT(*) FROM admin_units WHERE level = 'province' AND generation = 2025`, 34},
				{`SELECT COUNT(*) FROM admin_units WHERE level = 'commune' AND generation = 2025`, 3321},
				{`SELECT COUNT(*) FROM admin_units WHERE level = 'commune' AND generation = 2008`, 10047},
				{`SELECT COUNT(*) FROM admin_units WHERE generation = 2025 AND level = 'commune' AND unit_type = 'ward'`, 687},
				{`SELECT COUNT(*) FROM regions`, 6},
				{`SELECT COUNT(*) FROM admin_unit_successors s JOIN admin_units o ON o.id = s.old_id WHERE o.level = 'province'`, 63},
				{`SELECT COUNT(*) FROM programs`, 3},
				{`SELECT COUNT(*) FROM targets t JOIN target_revisions r ON r.id = t.revision_id JOIN programs p ON p.id = r.program_id WHERE p.code = 'NIPP-2021-2025'`, 10},
				{`SELECT COUNT(*) FROM organizations WHERE kind = 'promotion_center' AND valid_to IS NULL`, 34},
			}
			err := db.ReadTx(ctx, func(tx *store.Tx) error {
				for _, c := range cases {
					var n int
					if err := tx.QueryRow(ctx, c.q).Scan(&n); err != nil {
						return err
					}
					if n != c.want {
						t.Errorf("%s = %d, want %d", c.q, n, c.want)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
		t.Run("reference data reload is idempotent", func(t *testing.T) {
			if err := db.RawExec(ctx, `DELETE FROM meta WHERE key = 'refdata_hash'`); err != nil {
				t.Fatal(err)
			}
			if err := db.LoadReferenceData(ctx); err != nil {
				t.Fatal(err)
			}
			var n int
			db.ReadTx(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(ctx, `SELECT COUNT(*) FROM admin_units`).Scan(&n)
			})
			if n != 63+34+3321+10047+5 {
				t.Fatalf("admin_units after reload = %d", n)
			}
		})
		t.Run("programs with targets", func(t *testing.T) {
			var ps []*nipp.Program
			err := db.ReadTx(ctx, func(tx *store.Tx) (err error) { ps, err = tx.FindPrograms(ctx, nipp.ProgramFilter{}); return err })
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]*nipp.Program{}
			for _, p := range ps {
				got[p.Code] = p
			}
			p := got["NIPP-2021-2025"]
			if p == nil || p.Targets == nil {
				t.Fatalf("NIPP-2021-2025 missing or without targets: %+v", p)
			}
			want := map[string]int64{"DEMO_MODELS": 340, "MACHINES": 1600, "TECH_LINES": 300, "WORKERS_TRAINED": 10000, "TRADEMARKS": 350, "CLUSTER_POLLUTION": 60}
			for _, tg := range p.Targets.Targets {
				if w, ok := want[tg.IndicatorCode]; ok && w != tg.Value {
					t.Errorf("%s = %d, want %d", tg.IndicatorCode, tg.Value, w)
				}
				delete(want, tg.IndicatorCode)
			}
			if len(want) > 0 {
				t.Errorf("targets missing: %v", want)
			}
			if p.DecisionDate != nipp.MustDate("2020-11-20") {
				t.Errorf("decision date = %v", p.DecisionDate)
			}
			if q := got["NIPP-2026-2030"]; q == nil || q.Targets != nil {
				t.Errorf("NIPP-2026-2030 must exist without invented targets: %+v", q)
			}
		})
		t.Run("unique violation maps to ECONFLICT", func(t *testing.T) {
			err := db.WriteTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO regions (code, name_vi, name_en) VALUES ('RRD', 'x', 'x')`)
				return err
			})
			if nipp.ErrorCode(err) != nipp.ECONFLICT || !store.IsUniqueViolation(err) {
				t.Fatalf("got %v (%s), want ECONFLICT from a unique violation", err, nipp.ErrorCode(err))
			}
		})
		t.Run("foreign key violation maps to EINVALID", func(t *testing.T) {
			err := db.WriteTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO indicators (code, name_vi, name_en, activity_type_code) VALUES ('X', 'x', 'x', 'NOPE')`)
				return err
			})
			if nipp.ErrorCode(err) != nipp.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
		})
		t.Run("failed transaction leaves nothing", func(t *testing.T) {
			err := db.WriteTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ('probe', '1')`); err != nil {
					return err
				}
				return nipp.Errorf(nipp.EINVALID, "stop")
			})
			if err == nil {
				t.Fatal("want the error back")
			}
			var n int
			db.ReadTx(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(ctx, `SELECT COUNT(*) FROM meta WHERE key = 'probe'`).Scan(&n)
			})
			if n != 0 {
				t.Fatal("rolled-back row is visible")
			}
		})
		t.Run("dates and timestamps round-trip", func(t *testing.T) {
			var d nipp.Date
			var at, now = db.Now(), db.Now()
			err := db.WriteTx(ctx, func(tx *store.Tx) error {
				now = tx.Now()
				if _, err := tx.Exec(ctx, `INSERT INTO target_revisions (program_id, revision, decision_date, created_at) SELECT id, 99, $1, $2 FROM programs WHERE code = 'NIPP-2014-2020'`, nipp.MustDate("2024-02-29"), now); err != nil {
					return err
				}
				return tx.QueryRow(ctx, `SELECT decision_date, created_at FROM target_revisions WHERE revision = 99`).Scan(&d, &at)
			})
			if err != nil {
				t.Fatal(err)
			}
			if d != nipp.MustDate("2024-02-29") || !at.Equal(now) {
				t.Fatalf("got %v %v, want 2024-02-29 %v", d, at, now)
			}
		})
		t.Run("audit chain links entries", func(t *testing.T) {
			for i := range 3 {
				err := db.WriteTx(ctx, func(tx *store.Tx) error {
					return tx.AppendAudit(ctx, &nipp.AuditEntry{Actor: "t", Action: "create", Entity: "probe", EntityID: strings.Repeat("x", i+1)})
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			rows := [][3]string{}
			db.ReadTx(ctx, func(tx *store.Tx) error {
				rs, err := tx.Query(ctx, `SELECT entity_id, prev_hash, hash FROM audit_log ORDER BY seq`)
				if err != nil {
					return err
				}
				defer rs.Close()
				for rs.Next() {
					var r [3]string
					rs.Scan(&r[0], &r[1], &r[2])
					rows = append(rows, r)
				}
				return rs.Err()
			})
			if len(rows) != 3 || rows[0][1] != "" || rows[1][1] != rows[0][2] || rows[2][1] != rows[1][2] {
				t.Fatalf("chain broken: %v", rows)
			}
		})
	})
}

func TestSchemaNewerThanBinaryIsRefused(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.RawExec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', 'x')`); err != nil {
			t.Fatal(err)
		}
		err := db.CheckSchema(ctx)
		if err == nil || !strings.Contains(err.Error(), "newer") {
			t.Fatalf("CheckSchema = %v, want a refusal naming a newer schema", err)
		}
		if _, err := db.Migrate(ctx); err == nil {
			t.Fatal("Migrate on a newer schema must fail")
		}
	})
}

func TestRuleSets(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		old := &nipp.RuleSet{Code: "T-2040", NameVI: "Cũ", LegalBasis: "Nghị định thử", ValidFrom: nipp.MustDate("2040-01-01"), ValidTo: nipp.MustDate("2040-12-31"),
			Caps:          []nipp.SupportCap{{ActivityTypeCode: "MACHINERY", AreaCategory: nipp.AreaOrdinary, FundingSource: nipp.SourceNational, MaxShareBP: 5000, MaxAmount: 300_000_000}},
			Eligibility:   nipp.Eligibility{LegalForms: []string{"household"}, UnitTypes: []string{"commune", "ward"}, PriorityGroups: []string{"artisan"}, ActivityTypes: []string{"MACHINERY"}},
			AdvanceLimits: []nipp.AdvanceLimit{{FundingSource: nipp.SourceNational, FirstMaxBP: 2500, CumulativeMaxBP: 6000}},
			Approvals: []nipp.ApprovalRule{{Action: "change_budget", Level: "national", Authority: "central_agency", MaxChangeBP: 1000},
				{Action: "change_budget", Level: "national", Authority: "ministry"}}}
		cur := &nipp.RuleSet{Code: "T-2041", NameVI: "Mới", LegalBasis: "Nghị định thử 2", ValidFrom: nipp.MustDate("2041-01-01")}
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			if err := tx.CreateRuleSet(ctx, old, "test"); err != nil {
				return err
			}
			return tx.CreateRuleSet(ctx, cur, "test")
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			on   string
			want string
		}{{"2020-01-01", "ND45-2012"}, {"2025-10-14", "ND45-2012"}, {"2025-10-15", "ND235-2025"}, {"2039-12-31", "ND235-2025"},
			{"2040-06-01", "T-2040"}, {"2041-01-01", "T-2041"}} {
			var rs *nipp.RuleSet
			err := db.ReadTx(ctx, func(tx *store.Tx) (err error) { rs, err = tx.FindRuleSetInForce(ctx, nipp.MustDate(c.on)); return err })
			if err != nil || rs.Code != c.want {
				t.Errorf("in force on %s: %v %v, want %s", c.on, rs, err, c.want)
			}
		}
		var got *nipp.RuleSet
		db.ReadTx(ctx, func(tx *store.Tx) (err error) { got, err = tx.FindRuleSetByID(ctx, old.ID); return err })
		cp, ok := got.Cap("MACHINERY", nipp.AreaOrdinary, nipp.SourceNational)
		if !ok || cp.Allowed(1_000_000_000) != 300_000_000 || cp.Allowed(400_000_000) != 200_000_000 {
			t.Fatalf("cap = %+v %v", cp, ok)
		}
		if !reflect.DeepEqual(got.Eligibility, old.Eligibility) || !reflect.DeepEqual(got.AdvanceLimits, old.AdvanceLimits) || !reflect.DeepEqual(got.Approvals, old.Approvals) {
			t.Fatalf("round trip:\n got %+v %+v %+v\nwant %+v %+v %+v", got.Eligibility, got.AdvanceLimits, got.Approvals, old.Eligibility, old.AdvanceLimits, old.Approvals)
		}
		if a, ok := got.Approver("change_budget", "national", 500); !ok || a.Authority != "central_agency" {
			t.Errorf("a 5%% change: %+v %v, want central_agency", a, ok)
		}
		if a, ok := got.Approver("change_budget", "national", 2000); !ok || a.Authority != "ministry" {
			t.Errorf("a 20%% change: %+v %v, want ministry", a, ok)
		}
		err = db.WriteTx(ctx, func(tx *store.Tx) error {
			return tx.CreateRuleSet(ctx, &nipp.RuleSet{Code: "T-2040", ValidFrom: nipp.MustDate("2030-01-01")}, "test")
		})
		if nipp.ErrorCode(err) != nipp.ECONFLICT {
			t.Fatalf("reloading a rule set code: %v, want ECONFLICT", err)
		}
	})
}
