package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"nipp/internal/demo"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// Search pages give exactly the records a brute-force scan finds, in name
// order, whether the query is common (walked along the name index) or rare
// (driven by the full-text index), on both engines.
func TestSearchMatchesBruteForce(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		p01 := loadSearchRegistry(ctx, t, db)
		p79 := regionalWord(ctx, t, db, p01)
		// Names written after the load that sort before every match the
		// load made (a walk starts at establishment_words' bound, which
		// the triggers must move): new records, from several writers at
		// once; renamed ones; and a name_fold that is not folded text
		// (SQLite records it under the word '').
		errs := make(chan error, 3)
		for i := range 3 {
			go func() {
				errs <- db.WriteTx(ctx, func(tx *store.Tx) error {
					for j := range 2 {
						e := &nipp.Establishment{Name: fmt.Sprintf("A gốm mới %d %d", i, j), LegalForm: nipp.LegalHousehold,
							Status: nipp.EstActive, RecordedOn: nipp.NewDate(2026, 1, 2)}
						if err := tx.CreateEstablishment(ctx, &store.EstablishmentRow{Establishment: e, ProvinceID: p01, OrigProvinceID: p01}); err != nil {
							return err
						}
					}
					return nil
				})
			}()
		}
		for range 3 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []string{
			`UPDATE establishments SET name = 'Ă may tre ' || id, name_fold = 'a may tre ' || id
				WHERE id IN (SELECT id FROM establishments WHERE name_fold NOT LIKE '%may%' ORDER BY id LIMIT 2)`,
			`UPDATE establishments SET name_fold = '0-gom.x' WHERE id = (SELECT MAX(id) FROM establishments WHERE name_fold NOT LIKE '%gom%')`,
		} {
			if err := db.RawExec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		// The regional word written after the load in province 01: a new
		// record, a renamed one, one moved in from province 79 and one
		// moved out (the province-keyed text indexes must follow).
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			e := &nipp.Establishment{Name: "Cơ sở nước mắm Hồ Tây", LegalForm: nipp.LegalHousehold,
				Status: nipp.EstActive, RecordedOn: nipp.NewDate(2026, 1, 2)}
			return tx.CreateEstablishment(ctx, &store.EstablishmentRow{Establishment: e, ProvinceID: p01, OrigProvinceID: p01})
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			fmt.Sprintf(`UPDATE establishments SET name = 'Nước mắm ' || id, name_fold = 'nuoc mam ' || id
				WHERE id = (SELECT MIN(id) FROM establishments WHERE province_id = %d AND name_fold NOT LIKE '%%nuoc mam%%')`, p01),
			fmt.Sprintf(`UPDATE establishments SET province_id = %d
				WHERE id = (SELECT MIN(id) FROM establishments WHERE province_id = %d AND name_fold LIKE '%%nuoc mam%%')`, p01, p79),
			fmt.Sprintf(`UPDATE establishments SET province_id = %d
				WHERE id = (SELECT MAX(id) FROM establishments WHERE province_id = %d AND name_fold LIKE 'co so nuoc mam%%')`, p79, p01),
		} {
			if err := db.RawExec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		type rec struct {
			fold string
			id   int64
			prov int64
		}
		var all []rec
		err = db.ReadTx(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(ctx, `SELECT name_fold, id, province_id FROM establishments WHERE status <> 'archived'`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var r rec
				if err := rows.Scan(&r.fold, &r.id, &r.prov); err != nil {
					return err
				}
				all = append(all, r)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(all, func(a, b rec) int {
			if c := strings.Compare(a.fold, b.fold); c != 0 {
				return c
			}
			return int(a.id - b.id)
		})
		// A common word, a medium one, two words, a short word, a rare full name, no match.
		rare := strings.Fields(all[len(all)/2].fold)
		queries := []string{"co so", "gốm", "may tre", "an", strings.Join(rare, " "), "zzzqqq", "nước mắm"}
		// Nationwide; a provincial officer's own records; a province
		// filter (where the regional word is rare, and where it is common).
		scopes := []struct {
			name string
			f    store.EstablishmentFilter
			prov int64
		}{
			{"nationwide", store.EstablishmentFilter{Scope: store.Scope{All: true}}, 0},
			{"own province 01", store.EstablishmentFilter{Scope: store.Scope{ProvinceIDs: []int64{p01}, OwnOnly: true}}, p01},
			{"province 01", store.EstablishmentFilter{Scope: store.Scope{All: true}, ProvinceID: p01}, p01},
			{"province 79", store.EstablishmentFilter{Scope: store.Scope{All: true}, ProvinceID: p79}, p79},
		}
		for _, sc := range scopes {
			for _, q := range queries {
				var want []int64
				toks := store.SearchTokens(q)
				for _, r := range all {
					ok := sc.prov == 0 || r.prov == sc.prov
					for _, tk := range toks {
						ok = ok && strings.Contains(r.fold, tk)
					}
					if ok {
						want = append(want, r.id)
					}
				}
				var got []int64
				var after store.Cursor
				for page := 0; page < 200; page++ {
					var items []int64
					var next store.Cursor
					err := db.ReadTx(ctx, func(tx *store.Tx) error {
						f := sc.f
						f.Query, f.After, f.Limit = q, after, 50
						es, nx, err := tx.FindEstablishments(ctx, f)
						for _, e := range es {
							items = append(items, e.ID)
						}
						next = nx
						return err
					})
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, items...)
					if next.IsZero() {
						break
					}
					after = next
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s, query %q: %d results, want %d (first difference at %d)", sc.name, q, len(got), len(want), firstDiff(got, want))
				}
				// The capped count of the first page, from its first item
				// (CountFrom), as the registry page asks for it; and the exact
				// count (no cap).
				for _, capN := range []int{3, 1000, 0} {
					var n int64
					err := db.ReadTx(ctx, func(tx *store.Tx) error {
						f := sc.f
						f.Query, f.Limit = q, 50
						_, first, _, err := tx.FindEstablishmentsPage(ctx, f)
						if err != nil {
							return err
						}
						f.CountCap, f.CountFrom = capN, first
						n, err = tx.CountEstablishments(ctx, f)
						return err
					})
					if err != nil {
						t.Fatal(err)
					}
					w := int64(len(want))
					if capN > 0 {
						w = min(w, int64(capN+1))
					}
					if n != w {
						t.Errorf("%s, query %q: count capped at %d from the first match: %d, want %d", sc.name, q, capN, n, w)
					}
				}
			}
		}
	})
}

// regionalWord writes "nước mắm" into the names of 60 records of province
// 79 and of 2 of province 01, and 150 other records into province 01, so
// that the word is common nationwide and rare in province 01, a province
// of some 300 records (where a count reads the matches from the text
// index rather than walking the rest of the province). It returns the id
// of province 79.
func regionalWord(ctx context.Context, t *testing.T, db *store.DB, p01 int64) int64 {
	t.Helper()
	var p79 int64
	err := db.WriteTx(ctx, func(tx *store.Tx) (err error) {
		if p79, err = tx.ProvinceID(ctx, "79", store.Gen2025); err != nil {
			return err
		}
		add := func(name string, prov int64) error {
			e := &nipp.Establishment{Name: name, LegalForm: nipp.LegalHousehold, Status: nipp.EstActive, RecordedOn: nipp.NewDate(2025, 6, 1)}
			return tx.CreateEstablishment(ctx, &store.EstablishmentRow{Establishment: e, ProvinceID: prov, OrigProvinceID: prov})
		}
		for i := range 60 {
			if err := add(fmt.Sprintf("Cơ sở nước mắm Phú Quốc %d", i), p79); err != nil {
				return err
			}
		}
		for i := range 2 {
			if err := add(fmt.Sprintf("Cơ sở nước mắm Hà Nội %d", i), p01); err != nil {
				return err
			}
		}
		for i := range 150 {
			if err := add(fmt.Sprintf("Hộ kinh doanh tạp hóa %d", i), p01); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return p79
}

func firstDiff(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// loadSearchRegistry loads the search tests' registry (2,000 demo
// establishments) and returns the id of province 01.
func loadSearchRegistry(ctx context.Context, t *testing.T, db *store.DB) int64 {
	t.Helper()
	if _, err := demo.Load(ctx, db, demo.Size{Establishments: 2000, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	var p01 int64
	if err := db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		p01, err = tx.ProvinceID(ctx, "01", store.Gen2025)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return p01
}

// TestCreateEstablishmentsInProvinceOrder checks that on SQLite a batch of
// the import is inserted in province order (establishments_fts is keyed
// province_id << 32 + id, and FTS5 writes its pending entries out at every
// key lower than the last: the import of records in no province order
// took 40% more CPU), and that every record still gets its own id.
func TestCreateEstablishmentsInProvinceOrder(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		p01 := loadSearchRegistry(ctx, t, db)
		var rows []*store.EstablishmentRow
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			p79, err := tx.ProvinceID(ctx, "79", store.Gen2025)
			if err != nil {
				return err
			}
			for i := range 6 {
				prov := p79
				if i%2 == 1 {
					prov = p01
				}
				e := &nipp.Establishment{Name: fmt.Sprintf("Cơ sở thứ tự %d", i), LegalForm: nipp.LegalHousehold,
					Status: nipp.EstActive, RecordedOn: nipp.NewDate(2026, 1, 2)}
				rows = append(rows, &store.EstablishmentRow{Establishment: e, ProvinceID: prov, OrigProvinceID: prov})
			}
			return tx.CreateEstablishments(ctx, rows)
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			var name string
			var prov int64
			err := db.ReadTx(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(ctx, `SELECT name, province_id FROM establishments WHERE id = $1`, r.ID).Scan(&name, &prov)
			})
			if err != nil || name != r.Name || prov != r.ProvinceID {
				t.Fatalf("record %q got id %d, which holds %q of province %d (%v)", r.Name, r.ID, name, prov, err)
			}
		}
		if db.Dialect() != store.SQLite {
			return
		}
		byID := slices.Clone(rows)
		slices.SortFunc(byID, func(a, b *store.EstablishmentRow) int { return int(a.ID - b.ID) })
		if !slices.IsSortedFunc(byID, func(a, b *store.EstablishmentRow) int { return int(a.ProvinceID - b.ProvinceID) }) {
			t.Errorf("the batch was not inserted in province order:")
			for _, r := range byID {
				t.Logf("id %d province %d", r.ID, r.ProvinceID)
			}
		}
	})
}
