package store_test

import (
	"context"
	"fmt"
	"testing"

	"nipp/internal/demo"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// checkCounts compares establishment_counts with a count of the table, per
// (province, status, published, flagged).
func checkCounts(t *testing.T, db *store.DB, when string) {
	t.Helper()
	ctx := context.Background()
	read := func(q string) map[string]int64 {
		out := map[string]int64{}
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(ctx, q)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var prov, n int64
				var status string
				var pub, rev bool
				if err := rows.Scan(&prov, &status, &pub, &rev, &n); err != nil {
					return err
				}
				if n != 0 {
					out[fmt.Sprintf("%d/%s/%v/%v", prov, status, pub, rev)] = n
				}
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := read(`SELECT province_id, status, published, review_duplicate, COUNT(*) FROM establishments GROUP BY 1, 2, 3, 4`)
	got := read(`SELECT province_id, status, published, review_duplicate, CAST(SUM(n) AS BIGINT) FROM establishment_counts GROUP BY 1, 2, 3, 4`)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s: totals kept %v\ncounted %v", when, got, want)
	}
}

// The registry's totals (establishment_counts, kept by triggers) follow
// every kind of write: inserts, updates of each counted column (and of
// others, which change nothing), deletes; a list's total read from them
// equals a count of the table for every scope and filter; and compacting
// PostgreSQL's per-connection rows changes no total.
func TestEstablishmentCountsFollowWrites(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if _, err := demo.Load(ctx, db, demo.Size{Establishments: 600, Seed: 5}); err != nil {
			t.Fatal(err)
		}
		checkCounts(t, db, "after the load")
		var p01, p79 int64
		err := db.ReadTx(ctx, func(tx *store.Tx) (err error) {
			if p01, err = tx.ProvinceID(ctx, "01", store.Gen2025); err != nil {
				return err
			}
			p79, err = tx.ProvinceID(ctx, "79", store.Gen2025)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct{ what, sql string }{
			{"archived", `UPDATE establishments SET status = 'archived' WHERE id % 7 = 0`},
			{"published", `UPDATE establishments SET published = NOT published WHERE id % 5 = 0`},
			{"flagged", `UPDATE establishments SET review_duplicate = (1 = 1) WHERE id % 3 = 0`},
			{"moved to 79", fmt.Sprintf(`UPDATE establishments SET province_id = %d WHERE id %% 11 = 0`, p79)},
			{"renamed (not counted)", `UPDATE establishments SET name = name || ' x', name_fold = name_fold || ' x' WHERE id % 2 = 0`},
			{"deleted", `DELETE FROM establishments WHERE id % 13 = 0`},
		}
		for _, s := range steps {
			if err := db.RawExec(ctx, s.sql); err != nil {
				t.Fatalf("%s: %v", s.what, err)
			}
			checkCounts(t, db, s.what)
		}
		// One multi-row INSERT (an import's) over several groups, and one
		// multi-row DELETE (PostgreSQL counts both per statement).
		err = db.WriteTx(ctx, func(tx *store.Tx) error {
			var rs []*store.EstablishmentRow
			for i := range 12 {
				prov := p01
				if i%3 == 0 {
					prov = p79
				}
				status := nipp.EstActive
				if i%4 == 0 {
					status = nipp.EstInactive
				}
				e := &nipp.Establishment{Name: fmt.Sprintf("Cơ sở nhập nhiều %d", i), LegalForm: nipp.LegalHousehold,
					Status: status, Published: i%2 == 0, ReviewDuplicate: i%5 == 0, RecordedOn: nipp.NewDate(2026, 1, 3)}
				rs = append(rs, &store.EstablishmentRow{Establishment: e, ProvinceID: prov, OrigProvinceID: prov})
			}
			return tx.CreateEstablishments(ctx, rs)
		})
		if err != nil {
			t.Fatal(err)
		}
		checkCounts(t, db, "a multi-row insert")
		if err := db.RawExec(ctx, `DELETE FROM establishments WHERE name LIKE 'Cơ sở nhập nhiều %' AND id % 2 = 0`); err != nil {
			t.Fatal(err)
		}
		checkCounts(t, db, "a multi-row delete of new records")
		// Writes from several connections at once (PostgreSQL: several
		// shards), then compaction.
		errs := make(chan error, 4)
		for i := range 4 {
			go func() {
				errs <- db.WriteTx(ctx, func(tx *store.Tx) error {
					for j := range 5 {
						e := &nipp.Establishment{Name: fmt.Sprintf("Cơ sở đếm %d-%d", i, j), LegalForm: nipp.LegalHousehold,
							Status: nipp.EstActive, Published: j%2 == 0, RecordedOn: nipp.NewDate(2026, 1, 2)}
						if err := tx.CreateEstablishment(ctx, &store.EstablishmentRow{Establishment: e, ProvinceID: p01, OrigProvinceID: p01}); err != nil {
							return err
						}
					}
					return nil
				})
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		checkCounts(t, db, "after concurrent inserts")
		stamps := func() (registry, projects int64) {
			t.Helper()
			if err := db.ReadTx(ctx, func(tx *store.Tx) (err error) {
				if registry, err = tx.RegistryStamp(ctx); err != nil {
					return err
				}
				projects, err = tx.ProjectsStamp(ctx)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return registry, projects
		}
		reg, proj := stamps()
		if err := db.CompactEstablishmentCounts(ctx); err != nil {
			t.Fatal(err)
		}
		checkCounts(t, db, "after compaction")
		if r, p := stamps(); r != reg || p != proj {
			t.Errorf("compaction moved the stamps: registry %d -> %d, projects %d -> %d", reg, r, proj, p)
		}
		var shards int
		if err := db.ReadTx(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM establishment_counts WHERE shard <> 0) + (SELECT COUNT(*) FROM change_stamps WHERE shard <> 0)`).Scan(&shards)
		}); err != nil || shards != 0 {
			t.Fatalf("after compaction: %d per-connection rows left (%v)", shards, err)
		}

		// Totals read from establishment_counts equal counts of the table.
		filters := map[string]store.EstablishmentFilter{
			"everything":             {Scope: store.Scope{All: true}},
			"every status":           {Scope: store.Scope{All: true}, Status: "all"},
			"archived":               {Scope: store.Scope{All: true}, Status: "archived"},
			"public":                 {},
			"province 01, own":       {Scope: store.Scope{ProvinceIDs: []int64{p01}, OwnOnly: true}},
			"province 01 or public":  {Scope: store.Scope{ProvinceIDs: []int64{p01}}},
			"two provinces, flagged": {Scope: store.Scope{ProvinceIDs: []int64{p01, p79}, OwnOnly: true}, ReviewDuplicate: true},
			"filter on 79":           {Scope: store.Scope{All: true}, ProvinceID: p79},
			"flagged nationwide":     {Scope: store.Scope{All: true}, ReviewDuplicate: true},
			"picker: 01 and 79":      {Scope: store.Scope{ProvinceIDs: []int64{p01}}, InProvinceIDs: []int64{p01, p79}},
		}
		for name, f := range filters {
			err := db.ReadTx(ctx, func(tx *store.Tx) error {
				got, err := tx.CountEstablishments(ctx, f)
				if err != nil {
					return err
				}
				want, err := listedCount(ctx, tx, f)
				if err != nil {
					return err
				}
				if got != want || want == 0 {
					t.Errorf("%s: total %d, counted %d", name, got, want)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	})
}

// listedCount counts f's records as the list finds them (one page holding
// them all), without establishment_counts.
func listedCount(ctx context.Context, tx *store.Tx, f store.EstablishmentFilter) (int64, error) {
	var n int64
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM establishments`).Scan(&n)
	if err != nil {
		return 0, err
	}
	items, _, err := tx.FindEstablishments(ctx, store.EstablishmentFilter{Scope: f.Scope, ProvinceID: f.ProvinceID, Status: f.Status,
		ReviewDuplicate: f.ReviewDuplicate, InProvinceIDs: f.InProvinceIDs, Limit: int(n) + 1})
	return int64(len(items)), err
}
