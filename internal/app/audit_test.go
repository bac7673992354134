package app_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// sevenEntries writes seven audit entries (one per created account).
func sevenEntries(t *testing.T, a *app.App) {
	t.Helper()
	for i := range 7 {
		if _, _, err := a.CreateUserAsSystem(context.Background(), nipp.NewUser{Email: fmt.Sprintf("u%d@test.nipp", i), Role: nipp.RoleCentral, Password: "long enough password"}); err != nil {
			t.Fatal(err)
		}
	}
}

func entry(t *testing.T, db *store.DB, seq int64) *nipp.AuditEntry {
	t.Helper()
	var got *nipp.AuditEntry
	err := db.ReadTx(context.Background(), func(tx *store.Tx) error {
		return tx.EachAuditEntry(context.Background(), store.AuditFilter{Ascending: true}, func(e *nipp.AuditEntry) error {
			if e.Seq == seq {
				got = e
			}
			return nil
		})
	})
	if err != nil || got == nil {
		t.Fatalf("entry %d: %v", seq, err)
	}
	return got
}

// overwrite writes every column of e (but seq) into the row at seq.
func overwrite(t *testing.T, db *store.DB, seq int64, e *nipp.AuditEntry) {
	t.Helper()
	var uid any
	if e.UserID != 0 {
		uid = e.UserID
	}
	storetest.MustExec(t, db, `UPDATE audit_log SET at = $1, user_id = $2, actor = $3, remote_addr = $4, action = $5, entity = $6, entity_id = $7,
		before_json = $8, after_json = $9, prev_hash = $10, hash = $11 WHERE seq = $12`,
		e.At, uid, e.Actor, e.RemoteAddr, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash, e.Hash, seq)
}

func TestAuditVerifyCatchesTampering(t *testing.T) {
	type want struct {
		seq     int64
		problem string
	}
	cases := []struct {
		name   string
		tamper func(t *testing.T, db *store.DB)
		want   []want
	}{
		{"intact", func(*testing.T, *store.DB) {}, nil},
		{"value changed", func(t *testing.T, db *store.DB) {
			storetest.MustExec(t, db, `UPDATE audit_log SET after_json = $1 WHERE seq = 3`, `{"email":"someone-else@test.nipp"}`)
		}, []want{{3, nipp.AuditAltered}}},
		{"value changed and hash recomputed", func(t *testing.T, db *store.DB) {
			e := entry(t, db, 4)
			e.Actor = "innocent@test.nipp"
			e.Hash = e.ComputeHash(e.PrevHash)
			overwrite(t, db, 4, e)
		}, []want{{4, nipp.AuditAltered}}},
		{"row deleted", func(t *testing.T, db *store.DB) {
			storetest.MustExec(t, db, `DELETE FROM audit_log WHERE seq = 5`)
		}, []want{{5, nipp.AuditRemoved}}},
		{"first row deleted", func(t *testing.T, db *store.DB) {
			storetest.MustExec(t, db, `DELETE FROM audit_log WHERE seq = 1`)
		}, []want{{1, nipp.AuditRemoved}}},
		{"two rows swapped", func(t *testing.T, db *store.DB) {
			e2, e3 := entry(t, db, 2), entry(t, db, 3)
			overwrite(t, db, 2, e3)
			overwrite(t, db, 3, e2)
		}, []want{{2, nipp.AuditReordered}, {3, nipp.AuditReordered}}},
		{"last row deleted", func(t *testing.T, db *store.DB) {
			storetest.MustExec(t, db, `DELETE FROM audit_log WHERE seq = 7`)
		}, []want{{7, nipp.AuditRemoved}}},
		{"two changes far apart", func(t *testing.T, db *store.DB) {
			storetest.MustExec(t, db, `UPDATE audit_log SET remote_addr = '10.0.0.1' WHERE seq = 2`)
			storetest.MustExec(t, db, `UPDATE audit_log SET action = 'delete' WHERE seq = 6`)
		}, []want{{2, nipp.AuditAltered}, {6, nipp.AuditAltered}}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				db := db
				if tc.name != "intact" {
					// a fresh database per case, so cases do not add up
					if db.Dialect() == store.SQLite {
						db = storetest.OpenSQLite(t, storetest.Options{})
					} else {
						db = storetest.OpenPostgres(t, storetest.Options{})
					}
				}
				a := app.New(db, nil)
				sevenEntries(t, a)
				tc.tamper(t, db)
				rep, err := a.VerifyAuditAsSystem(context.Background(), nil)
				if err != nil {
					t.Fatal(err)
				}
				var got []want
				for _, is := range rep.Issues {
					got = append(got, want{is.Seq, is.Problem})
				}
				if fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Fatalf("issues %v, want %v\n%v", got, tc.want, rep.Issues)
				}
				if rep.OK() != (len(tc.want) == 0) {
					t.Fatalf("OK() = %v with issues %v", rep.OK(), rep.Issues)
				}
				for _, is := range rep.Issues {
					// every finding names the entry (seq, entity and id) or, for
					// removed entries, the seq and the entry after the gap
					s := is.String()
					if !strings.Contains(s, fmt.Sprintf("seq %d", is.Seq)) || (is.Problem != nipp.AuditRemoved && (is.Entity != "user" || is.EntityID == "")) {
						t.Errorf("issue does not name its entry: %s", s)
					}
				}
			})
		}
	})
}

func TestVerifyAuditNeedsAuditRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := app.New(db, nil)
		for role, ok := range map[nipp.Role]bool{nipp.RoleAuditor: true, nipp.RoleAdmin: true, nipp.RoleCentral: false, nipp.RoleProvincial: false, nipp.RolePublic: false} {
			ctx := nipp.WithPrincipal(context.Background(), &nipp.Principal{UserID: 1, Role: role, Provinces: []string{"01"}})
			if role == nipp.RolePublic {
				ctx = context.Background()
			}
			_, err := a.VerifyAudit(ctx)
			if (err == nil) != ok {
				t.Errorf("%q: err = %v", role, err)
			}
		}
	})
}

// BenchmarkVerifyAudit measures the streamed verification of a 20,000-entry
// trail on SQLite: go test ./internal/app -run '^$' -bench VerifyAudit -benchmem
func BenchmarkVerifyAudit(b *testing.B) {
	const n = 20000
	db := storetest.OpenSQLite(b, storetest.Options{})
	ctx := context.Background()
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		for i := range n {
			e := &nipp.AuditEntry{Actor: "bench@test.nipp", Action: nipp.ActionUpdate, Entity: "establishment", EntityID: fmt.Sprint(i),
				Before: `{"name":"Cơ sở A","employees":12}`, After: `{"name":"Cơ sở A","employees":13}`}
			if err := tx.AppendAudit(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	a := app.New(db, nil)
	b.ResetTimer()
	for range b.N {
		rep, err := a.VerifyAuditAsSystem(ctx, nil)
		if err != nil || !rep.OK() || rep.Entries != n {
			b.Fatalf("%v %+v", err, rep)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}
