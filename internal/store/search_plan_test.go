package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// TestCommonWordWalkStartsAtItsFirstName checks the plan of a common word's
// registry page and capped count, nationwide and in a province: each walks
// the name index from the bound establishment_words gives (an index range,
// "name_fold>?" / "ROW(name_fold, id) > ROW(...)"), not from the start of
// the order (at national scale the first "gom" is the 112,889th name).
func TestCommonWordWalkStartsAtItsFirstName(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		p01 := loadSearchRegistry(ctx, t, db)
		type stmt struct {
			q    string
			args []any
		}
		for _, f := range []store.EstablishmentFilter{
			{Scope: store.Scope{All: true}, Query: "gốm", Limit: 50},
			{Scope: store.Scope{ProvinceIDs: []int64{p01}, OwnOnly: true}, Query: "co so", Limit: 20},
		} {
			var mu sync.Mutex
			var seen []stmt
			db.SetQueryHook(func(q string, args []any) {
				if strings.Contains(q, "FROM establishments e") && !strings.HasPrefix(q, "SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT e.name_fold") {
					mu.Lock()
					seen = append(seen, stmt{q, append([]any(nil), args...)})
					mu.Unlock()
				}
			})
			err := db.ReadTx(ctx, func(tx *store.Tx) error {
				_, first, _, err := tx.FindEstablishmentsPage(ctx, f)
				if err != nil {
					return err
				}
				f.CountCap, f.CountFrom = 1000, first
				_, err = tx.CountEstablishments(ctx, f)
				return err
			})
			db.SetQueryHook(nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(seen) != 2 {
				t.Fatalf("%d statements on establishments, want the page and the count", len(seen))
			}
			for _, s := range seen {
				// 2,000 rows: priced as a registry's, where reading a
				// province's rows and sorting them is the dear plan.
				text := planOf(t, db, s.q, s.args, "enable_seqscan", "enable_bitmapscan", "enable_sort")
				if !strings.Contains(text, "name_fold>?") && !strings.Contains(text, "ROW(name_fold, id) > ROW(") {
					t.Errorf("a common word's walk does not start at its bound:\n%.120s\n%s", s.q, text)
				}
			}
		}
	})
}

// TestProvinceSearchReadsItsProvince checks the plans of a search within
// one province for a word common nationwide and rare there (regionalWord:
// "nuoc mam", as in Ha Noi at national scale), a provincial officer's and
// a central officer's with a province filter: the page and its capped
// count read the province's part of a text index (SQLite: a rowid range
// of establishments_fts, "M...><"; PostgreSQL: establishments_province_trgm),
// neither the nationwide matches (the trigram index, or the whole FTS
// doclist) nor the province's whole name index; and that the count reuses
// the page's route test and words' bound (a read-only transaction keeps
// them).
func TestProvinceSearchReadsItsProvince(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		p01 := loadSearchRegistry(ctx, t, db)
		regionalWord(ctx, t, db, p01)
		type stmt struct {
			q    string
			args []any
		}
		for _, f := range []store.EstablishmentFilter{
			{Scope: store.Scope{ProvinceIDs: []int64{p01}, OwnOnly: true}, Query: "nước mắm", Limit: 20},
			{Scope: store.Scope{All: true}, ProvinceID: p01, Query: "nuoc mam", Limit: 50},
		} {
			var mu sync.Mutex
			var seen []stmt
			routes, bounds := 0, 0
			db.SetQueryHook(func(q string, args []any) {
				mu.Lock()
				defer mu.Unlock()
				// The page and the count (PostgreSQL's route test, a walk
				// bounded by its LIMIT, left out: the count uses the
				// page's, as it uses its words' bound).
				switch {
				case strings.HasPrefix(q, "SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT e.name_fold"):
					routes++
				case strings.Contains(q, "FROM establishment_words"):
					bounds++
				case strings.Contains(q, "establishments e"):
					seen = append(seen, stmt{q, append([]any(nil), args...)})
				}
			})
			var items int
			err := db.ReadTx(ctx, func(tx *store.Tx) error {
				es, first, _, err := tx.FindEstablishmentsPage(ctx, f)
				if err != nil {
					return err
				}
				items = len(es)
				f.CountCap, f.CountFrom = 1000, first
				_, err = tx.CountEstablishments(ctx, f)
				return err
			})
			db.SetQueryHook(nil)
			if err != nil {
				t.Fatal(err)
			}
			if items == 0 {
				t.Fatalf("no record of province 01 holds %q", f.Query)
			}
			if len(seen) != 2 {
				t.Fatalf("%d statements on establishments, want the page and the count", len(seen))
			}
			if wantRoutes := map[store.Dialect]int{store.Postgres: 1}[db.Dialect()]; routes != wantRoutes || bounds != 1 {
				t.Errorf("%d route tests and %d bounds read for a page and its count, want %d and 1", routes, bounds, wantRoutes)
			}
			for _, s := range seen {
				text := planOf(t, db, s.q, s.args, "enable_seqscan") // 2,000 rows, priced as a registry's
				want, wrong := []string{"establishments_province_trgm"}, []string{"establishments_name_trgm", "establishments_fold", "establishments_province_fold", "BitmapAnd"}
				if db.Dialect() == store.SQLite {
					want, wrong = []string{"VIRTUAL TABLE INDEX", "><"}, []string{"establishments_fold", "establishments_province_fold", "establishments_province "}
				}
				for _, w := range want {
					if !strings.Contains(text, w) {
						t.Errorf("a search in a province does not read the province's part of the text index (%s):\n%.160s\n%s", w, s.q, text)
					}
				}
				for _, w := range wrong {
					if strings.Contains(text, w) {
						t.Errorf("a search in a province reads %s:\n%.160s\n%s", w, s.q, text)
					}
				}
			}
		}
	})
}

// TestTrigramPageGivesNoNameOrder checks that when PostgreSQL's route
// chose a trigram index for a page (pgWalkFills found no page within its
// walk), the page's inner order is one no name index gives: even with the
// bitmap scans that read the trigram indexes priced out (as pg_trgm's
// estimate of 19,000 names for a rare word did at national scale), the
// plan does not walk the name order testing each entry until a page.
func TestTrigramPageGivesNoNameOrder(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != store.Postgres {
			t.Skip("PostgreSQL's route")
		}
		p01 := loadSearchRegistry(ctx, t, db)
		regionalWord(ctx, t, db, p01)
		for _, f := range []store.EstablishmentFilter{
			{Scope: store.Scope{All: true}, Query: "nuoc mam ha noi", Limit: 50},
			{Scope: store.Scope{ProvinceIDs: []int64{p01}, OwnOnly: true}, Query: "nuoc mam", Limit: 20},
		} {
			var mu sync.Mutex
			var page []any
			var text string
			db.SetQueryHook(func(q string, args []any) {
				if strings.HasPrefix(q, "SELECT e.id, e.public_id") {
					mu.Lock()
					text, page = q, append([]any(nil), args...)
					mu.Unlock()
				}
			})
			err := db.ReadTx(ctx, func(tx *store.Tx) error {
				_, _, err := tx.FindEstablishments(ctx, f)
				return err
			})
			db.SetQueryHook(nil)
			if err != nil {
				t.Fatal(err)
			}
			joined := planOf(t, db, text, page, "enable_seqscan", "enable_bitmapscan")
			plan := strings.Split(joined, "\n")
			if !strings.Contains(text, "@>") && !strings.Contains(text, "LIKE") {
				t.Fatalf("%q: the page does not ask a trigram index:\n%s", f.Query, text)
			}
			// A name index may be read (everything else priced out), but
			// its order must not give the page: a Sort stands between the
			// page's inner Limit and the scan.
			for i, line := range plan {
				if !strings.Contains(line, "Scan using establishments_fold ") && !strings.Contains(line, "Scan using establishments_province_fold ") {
					continue
				}
				for j := i - 1; j >= 0; j-- {
					if strings.Contains(plan[j], "Sort") {
						break
					}
					if strings.Contains(plan[j], "Limit") {
						t.Errorf("%q: the page walks the name order to its limit:\n%s", f.Query, joined)
						break
					}
				}
			}
		}
	})
}

// TestProvinceCountTestsItsOwnRoute checks that on PostgreSQL a capped
// count in one province does not follow its page's walk when the cap's
// worth of matches is not within the walk: a page of one "nuoc mam" in
// province 01 is found by walking its name order from the first match (two
// names hold it, side by side), but counting up to 1,001 would walk the
// province to its end (Ha Noi's 146,000 names at national scale for 178
// matches): the count asks the province's trigrams, and counts the same.
func TestProvinceCountTestsItsOwnRoute(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != store.Postgres {
			t.Skip("PostgreSQL's route (SQLite's count reads the province's FTS matches)")
		}
		p01 := loadSearchRegistry(ctx, t, db)
		regionalWord(ctx, t, db, p01)
		f := store.EstablishmentFilter{Scope: store.Scope{ProvinceIDs: []int64{p01}, OwnOnly: true}, Query: "nuoc mam", Limit: 1}
		var mu sync.Mutex
		var pages, counts []string
		db.SetQueryHook(func(q string, args []any) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case strings.HasPrefix(q, "SELECT COUNT(*) FROM (SELECT 1 FROM establishments e"):
				counts = append(counts, q)
			case strings.Contains(q, "FROM establishments e") && !strings.HasPrefix(q, "SELECT COUNT(*)"):
				pages = append(pages, q)
			}
		})
		var n, exact int64
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			es, first, _, err := tx.FindEstablishmentsPage(ctx, f)
			if err != nil {
				return err
			}
			if len(es) != 1 {
				return fmt.Errorf("a page of %d, want 1", len(es))
			}
			g := f
			g.CountCap, g.CountFrom = 1000, first
			if n, err = tx.CountEstablishments(ctx, g); err != nil {
				return err
			}
			exact, err = tx.CountEstablishments(ctx, f)
			return err
		})
		db.SetQueryHook(nil)
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 || exact != 2 {
			t.Fatalf("capped count %d, exact count %d, want 2", n, exact)
		}
		if len(pages) != 1 || strings.Contains(pages[0], "establishment_province_trigrams") {
			t.Fatalf("the page (one match within the walk) should walk the name order: %q", pages)
		}
		if len(counts) == 0 || !strings.Contains(counts[0], "establishment_province_trigrams") {
			t.Errorf("the capped count walks the province's name order for two matches: %q", counts)
		}
	})
}
