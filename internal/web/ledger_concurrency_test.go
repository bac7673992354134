package web_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// ledgerOf reads a project's ledger through the API.
type apiLedger struct {
	Balances []nipp.LedgerBalance `json:"balances"`
	Entries  []nipp.LedgerEntry   `json:"entries"`
}

func (f *fixture) ledgerOf(id string) apiLedger {
	f.t.Helper()
	var l apiLedger
	r := f.auditor.Get("/api/v1/projects/" + id + "/ledger")
	if r.Status != http.StatusOK {
		f.t.Fatalf("ledger: %d %s", r.Status, r.Body)
	}
	r.JSON(f.t, &l)
	return l
}

func balanceOf(l apiLedger, src string) nipp.LedgerBalance {
	for _, b := range l.Balances {
		if b.Source == src {
			return b
		}
	}
	return nipp.LedgerBalance{Source: src}
}

// checkKeptBalances compares the balances the handlers kept with the sums
// of the entries, per project, and the roll-up with the sums of the
// projects' balances.
func checkKeptBalances(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	err := db.ReadTx(ctx, func(tx *store.Tx) error {
		sums, err := tx.LedgerBalancesFromEntries(ctx, 0)
		if err != nil {
			return err
		}
		for pid, want := range sums {
			got, err := tx.LedgerBalances(ctx, pid)
			if err != nil {
				return err
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("project %d: kept balances %+v, entries add up to %+v", pid, got, want)
			}
		}
		var kept, summed string
		if err := tx.QueryRow(ctx, `SELECT COALESCE(SUM(committed), 0) || '/' || COALESCE(SUM(advanced), 0) || '/' || COALESCE(SUM(paid), 0) || '/' ||
			COALESCE(SUM(spent), 0) || '/' || COALESCE(SUM(refunded), 0) || '/' || COALESCE(SUM(contributed), 0) || '/' || COALESCE(SUM(entries), 0) FROM ledger_rollup`).Scan(&kept); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COALESCE(SUM(committed), 0) || '/' || COALESCE(SUM(advanced), 0) || '/' || COALESCE(SUM(paid), 0) || '/' ||
			COALESCE(SUM(spent), 0) || '/' || COALESCE(SUM(refunded), 0) || '/' || COALESCE(SUM(contributed), 0) || '/' || COALESCE(SUM(entries), 0) FROM ledger_balances`).Scan(&summed); err != nil {
			return err
		}
		if kept != summed {
			t.Errorf("roll-up %s, project balances %s", kept, summed)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLedgerConcurrentEntries: two officers record on one project at once
// (four requests in flight each). Every expenditure is kept, entries are
// numbered without gaps, advances racing for the last room before
// acceptance never pass the limit together, the balances are the entries'
// sums, and an entry reversed by both at once is reversed once.
func TestLedgerConcurrentEntries(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.addLedgerRuleSet()
		id := f.approvedForLedger()
		other := f.env.As(nipp.RoleProvincial, "01")
		post := func(c *webtest.Client, kind string, amount int64, doc string) int {
			return c.SendJSON("POST", "/api/v1/projects/"+id+"/ledger", map[string]any{"source": "national", "kind": kind, "amount": amount,
				"date": "2026-11-02", "document_no": doc, "document_date": "2026-11-02"}).Status
		}
		if s := post(f.prov, "advance", 90_000_000, "UNC-0"); s != http.StatusCreated {
			t.Fatalf("first advance: %d", s)
		}
		// 210,000,000 - 90,000,000 = 120,000,000 left: twelve advances of
		// 10,000,000 fit, of the thirty tried; all forty expenditures of
		// 1,000,000 are kept.
		const perWorker = 5
		var mu sync.Mutex
		statuses := map[string]map[int]int{}
		var wg sync.WaitGroup
		for ci, c := range []*webtest.Client{f.prov, other} {
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < perWorker; i++ {
						for _, kind := range []string{"expenditure", "advance"} {
							if kind == "advance" && w >= 3 {
								continue // three workers a client advance: thirty tries
							}
							s := post(c, kind, map[string]int64{"expenditure": 1_000_000, "advance": 10_000_000}[kind], fmt.Sprintf("%s-%d-%d-%d", kind, ci, w, i))
							mu.Lock()
							if statuses[kind] == nil {
								statuses[kind] = map[int]int{}
							}
							statuses[kind][s]++
							mu.Unlock()
						}
					}
				}()
			}
		}
		wg.Wait()
		exp, adv := statuses["expenditure"], statuses["advance"]
		if exp[http.StatusCreated] != 40 || len(exp) != 1 {
			t.Errorf("expenditures: %v, want 40 recorded", exp)
		}
		if adv[http.StatusCreated] != 12 || adv[http.StatusUnprocessableEntity] != 18 || len(adv) != 2 {
			t.Errorf("advances: %v, want exactly 12 recorded, the rest refused", adv)
		}
		l := f.ledgerOf(id)
		nat := balanceOf(l, "national")
		if nat.Spent != 40_000_000 || nat.Advanced != 210_000_000 || nat.Advances != 13 || nat.Disbursements != 13 {
			t.Errorf("national balance %+v: want 40,000,000 spent, 210,000,000 advanced in 13 advances", nat)
		}
		for i, e := range l.Entries {
			if e.No != i+1 {
				t.Fatalf("entry %d numbered %d", i+1, e.No)
			}
		}
		if len(l.Entries) != 2+1+40+12 {
			t.Errorf("%d entries, want 55", len(l.Entries))
		}
		// Tranches follow the advances' order.
		seen := map[int]bool{}
		for _, e := range l.Entries {
			if e.Kind == nipp.LedgerAdvance {
				if seen[e.Tranche] {
					t.Errorf("tranche %d twice", e.Tranche)
				}
				seen[e.Tranche] = true
			}
		}
		checkKeptBalances(t, db)

		// Both officers reverse entry 4 at once: one reversal is kept.
		var got [2]int
		var rw sync.WaitGroup
		for i, c := range []*webtest.Client{f.prov, other} {
			rw.Add(1)
			go func() {
				defer rw.Done()
				got[i] = c.SendJSON("POST", "/api/v1/projects/"+id+"/ledger/4/reverse", map[string]any{"date": "2026-11-02",
					"document_no": fmt.Sprintf("ĐC-%d", i), "document_date": "2026-11-02", "note": "trùng"}).Status
			}()
		}
		rw.Wait()
		if !(got == [2]int{http.StatusCreated, http.StatusConflict} || got == [2]int{http.StatusConflict, http.StatusCreated}) {
			t.Errorf("two reversals of entry 4 at once: %v, want one 201 and one 409", got)
		}
		l = f.ledgerOf(id)
		reversals := 0
		for _, e := range l.Entries {
			if e.Kind == nipp.LedgerReversal {
				reversals++
			}
		}
		if reversals != 1 || balanceOf(l, "national").Spent != 39_000_000 {
			t.Errorf("%d reversals, spent %d; want 1 and 39,000,000", reversals, balanceOf(l, "national").Spent)
		}
		checkKeptBalances(t, db)
	})
}
