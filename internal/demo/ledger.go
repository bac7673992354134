package demo

import (
	"context"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// The demo projects' co-financing ledgers: every decided project gets the
// entries its state implies, as officers would have recorded them under
// its rule set's advance limits: the commitments of its approval, advances
// in tranches, expenditure reports (a few typed wrong and reversed),
// reciprocal capital contributed (a little short on some), payments after
// acceptance, refunds of what was not spent, and, for settled projects,
// figures that reconcile to the settled amounts of their budget lines.
// Entries are written in bulk; the balances and the program roll-up are
// then computed once from them (store.RebuildLedgerBalances).

const ledgerChunk = 500 // projects per transaction

var ledgerCols = []string{"project_id", "entry_no", "source", "kind", "tranche", "amount", "entry_date", "doc_no", "doc_date", "note",
	"entry_key", "recorded_name", "recorded_at"}

type ledgerProject struct {
	id       int64
	code     string
	state    string
	decision nipp.Date
	decNo    string
	ruleSet  int64
	lines    []ledgerLine
}

type ledgerLine struct {
	source           string
	approved, actual int64
	hasActual        bool
}

// ledgerWriter draws one project's entries.
type ledgerWriter struct {
	p       *ledgerProject
	rng     *rand.Rand
	today   nipp.Date
	day     nipp.Date // the date of the next entry
	entries []nipp.LedgerEntry
	revs    map[int]int // entry no -> no of the entry it reverses
}

func (w *ledgerWriter) add(e nipp.LedgerEntry) int {
	e.No = len(w.entries) + 1
	if e.Date.IsZero() {
		e.Date = w.day
	}
	if e.DocDate.IsZero() {
		e.DocDate = e.Date
	}
	w.entries = append(w.entries, e)
	return e.No
}

// later moves the next entry's date on by lo..hi days, never past today.
func (w *ledgerWriter) later(lo, hi int) {
	d := nipp.DateOf(w.day.Time().AddDate(0, 0, lo+w.rng.IntN(hi-lo+1)))
	if d.After(w.today) {
		d = w.today
	}
	w.day = d
}

func k1000(v float64) int64 { return int64(v/1000) * 1000 }

func (w *ledgerWriter) doc(prefix string) string {
	return prefix + "-" + strings.ReplaceAll(w.p.code, "KCQG-", "") + "-" + pad(uint64(len(w.entries)+1), 2)
}

// draw writes the project's entries.
func (w *ledgerWriter) draw(rs *nipp.RuleSet) {
	p := w.p
	w.day = p.decision
	for _, l := range p.lines {
		if l.approved > 0 {
			w.add(nipp.LedgerEntry{Source: l.source, Kind: nipp.LedgerCommitment, Amount: l.approved, Date: p.decision, DocNo: p.decNo})
		}
	}
	for _, l := range p.lines {
		if l.approved <= 0 {
			continue
		}
		if l.source == nipp.SourceReciprocal {
			w.reciprocal(l)
		} else {
			w.paid(l, rs)
		}
	}
}

// paid draws the entries of money paid out of a source.
func (w *ledgerWriter) paid(l ledgerLine, rs *nipp.RuleSet) {
	p, rng := w.p, w.rng
	firstBP, cumBP := 3000, 7000
	if rs != nil {
		if lim, ok := rs.AdvanceLimit(l.source); ok {
			firstBP, cumBP = lim.FirstMaxBP, lim.CumulativeMaxBP
		}
	}
	a := l.approved
	var advanced, spent, paid, refunded int64
	tranche := 0
	advance := func(v int64) {
		tranche++
		w.later(10, 40)
		w.add(nipp.LedgerEntry{Source: l.source, Kind: nipp.LedgerAdvance, Tranche: tranche, Amount: v, DocNo: w.doc("UNC")})
		advanced += v
	}
	expend := func(v int64) {
		if v <= 0 {
			return
		}
		w.later(15, 60)
		if rng.Float64() < 0.08 {
			// Typed wrong, reversed, typed again.
			wrong := k1000(float64(v) * (1.1 + rng.Float64()))
			if spent+wrong <= a {
				no := w.add(nipp.LedgerEntry{Source: l.source, Kind: nipp.LedgerExpenditure, Amount: wrong, DocNo: w.doc("BC")})
				w.later(1, 7)
				w.add(nipp.LedgerEntry{Source: l.source, Kind: nipp.LedgerReversal, Amount: wrong, Reverses: no, ReversesKind: nipp.LedgerExpenditure,
					DocNo: w.doc("ĐC"), Note: "Nhập nhầm số tiền"})
			}
		}
		w.add(nipp.LedgerEntry{Source: l.source, Kind: nipp.LedgerExpenditure, Amount: v, DocNo: w.doc("BC")})
		spent += v
	}
	switch p.state {
	case "cancelled":
		if rng.Float64() < 0.5 {
			v := k1000(float64(nipp.ShareOf(a, firstBP)) * (0.7 + 0.3*rng.Float64()))
			advance(v)
			w.later(20, 90)
			w.add(nipp.LedgerEntry{Source: l.source, Kind: nipp.LedgerRefund, Amount: v, DocNo: w.doc("GNT"), Note: "Hoàn trả tạm ứng do hủy đề án"})
			refunded += v
		}
		if left := a - advanced; left > 0 {
			w.later(1, 10)
			w.add(nipp.LedgerEntry{Source: l.source, Kind: nipp.LedgerRelease, Amount: left, Note: "Hủy đề án"})
		}
		return
	case "approved":
		if rng.Float64() < 0.5 {
			advance(k1000(float64(nipp.ShareOf(a, firstBP)) * (0.7 + 0.3*rng.Float64())))
		}
		return
	}
	// In implementation, accepted or settled: a first advance, a second up
	// to the limit before acceptance, expenditure as the work goes.
	first := k1000(float64(nipp.ShareOf(a, firstBP)) * (0.8 + 0.2*rng.Float64()))
	advance(first)
	expend(k1000(float64(first) * (0.6 + 0.4*rng.Float64())))
	if p.state == "in_implementation" && rng.Float64() < 0.4 {
		return
	}
	advance(k1000(float64(nipp.ShareOf(a, cumBP)-advanced) * (0.8 + 0.2*rng.Float64())))
	target := k1000(float64(a) * (0.85 + 0.15*rng.Float64())) // what the work costs in the end
	if l.hasActual {
		target = l.actual
	}
	if p.state == "in_implementation" {
		expend(min(advanced-spent, k1000(float64(advanced-spent)*(0.5+0.5*rng.Float64()))))
		return
	}
	expend(max(0, min(target, advanced)-spent))
	// After acceptance: the rest is paid (not always yet, unless settled),
	// the rest of the expenditure reported, what was not spent refunded.
	if rest := target - advanced; rest > 0 && (p.state == "settled" || rng.Float64() < 0.6) {
		tranche++
		w.later(20, 60)
		w.add(nipp.LedgerEntry{Source: l.source, Kind: nipp.LedgerPayment, Tranche: tranche, Amount: rest, DocNo: w.doc("UNC")})
		paid = rest
		expend(target - spent)
	}
	if p.state != "settled" {
		return
	}
	if over := advanced + paid - spent; over > 0 {
		w.later(10, 40)
		w.add(nipp.LedgerEntry{Source: l.source, Kind: nipp.LedgerRefund, Amount: over, DocNo: w.doc("GNT"), Note: "Nộp trả kinh phí không sử dụng hết"})
		refunded += over
	}
	if left := a - advanced - paid; left > 0 {
		w.later(1, 10)
		w.add(nipp.LedgerEntry{Source: l.source, Kind: nipp.LedgerRelease, Amount: left, Note: "Quyết toán"})
	}
	_ = refunded
}

// reciprocal draws the beneficiaries' contributions.
func (w *ledgerWriter) reciprocal(l ledgerLine) {
	p, rng := w.p, w.rng
	var total int64
	switch p.state {
	case "approved", "cancelled":
		if p.state == "cancelled" {
			w.later(1, 10)
			w.add(nipp.LedgerEntry{Source: l.source, Kind: nipp.LedgerRelease, Amount: l.approved, Note: "Hủy đề án"})
		}
		return
	case "settled":
		total = l.approved
		if l.hasActual {
			total = l.actual // a little short on some
		}
	case "accepted":
		total = l.approved
		if rng.Float64() < 0.3 {
			total = k1000(float64(l.approved) * (0.85 + 0.14*rng.Float64()))
		}
	default:
		total = k1000(float64(l.approved) * (0.3 + 0.6*rng.Float64()))
	}
	parts := 1 + rng.IntN(2)
	for i := 0; i < parts && total > 0; i++ {
		v := total
		if i < parts-1 {
			v = k1000(float64(total) * (0.4 + 0.3*rng.Float64()))
		}
		w.later(15, 60)
		w.add(nipp.LedgerEntry{Source: l.source, Kind: nipp.LedgerContribution, Amount: v, DocNo: w.doc("HĐ"),
			Note: "Chứng từ góp vốn lưu tại cơ sở (dữ liệu mẫu)"})
		total -= v
	}
}

// loadLedgers writes the ledgers of every decided project that has none
// yet, then recomputes the balances. The same seed gives the same entries.
func loadLedgers(ctx context.Context, db *store.DB, seed int64) error {
	today := nipp.DateOf(db.Now())
	sets := map[int64]*nipp.RuleSet{}
	var after int64
	for {
		var ps []*ledgerProject
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(ctx, `SELECT p.id, p.code, p.state, p.decision_no, p.decision_date, COALESCE(p.rule_set_id, 0) FROM projects p
				WHERE p.id > $1 AND p.decision_date IS NOT NULL AND p.state IN ('approved', 'in_implementation', 'accepted', 'settled', 'cancelled')
				AND NOT EXISTS (SELECT 1 FROM ledger_heads h WHERE h.project_id = p.id) ORDER BY p.id LIMIT `+strconv.Itoa(ledgerChunk), after)
			if err != nil {
				return err
			}
			byID := map[int64]*ledgerProject{}
			var ids []any
			for rows.Next() {
				p := &ledgerProject{}
				if err := rows.Scan(&p.id, &p.code, &p.state, &p.decNo, &p.decision, &p.ruleSet); err != nil {
					rows.Close()
					return err
				}
				ps = append(ps, p)
				byID[p.id] = p
				ids = append(ids, p.id)
			}
			rows.Close()
			if len(ps) == 0 {
				return nil
			}
			ph := make([]string, len(ids))
			for i := range ids {
				ph[i] = "$" + strconv.Itoa(i+1)
			}
			lrows, err := tx.Query(ctx, `SELECT project_id, source, COALESCE(approved, 0), actual FROM budget_lines WHERE project_id IN (`+
				strings.Join(ph, ", ")+`) ORDER BY project_id, id`, ids...)
			if err != nil {
				return err
			}
			defer lrows.Close()
			for lrows.Next() {
				var pid int64
				var l ledgerLine
				var actual *int64
				if err := lrows.Scan(&pid, &l.source, &l.approved, &actual); err != nil {
					return err
				}
				if actual != nil {
					l.actual, l.hasActual = *actual, true
				}
				byID[pid].lines = append(byID[pid].lines, l)
			}
			return lrows.Err()
		})
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			break
		}
		after = ps[len(ps)-1].id
		err = db.WriteTx(ctx, func(tx *store.Tx) error {
			var args []any
			var revs [][]any
			for _, p := range ps {
				if p.decision.After(today) {
					continue
				}
				rs, ok := sets[p.ruleSet]
				if !ok && p.ruleSet > 0 {
					var err error
					if rs, err = tx.FindRuleSetByID(ctx, p.ruleSet); err != nil {
						return err
					}
					sets[p.ruleSet] = rs
				}
				h := fnv.New64a()
				h.Write([]byte(p.code))
				w := &ledgerWriter{p: p, rng: rand.New(rand.NewPCG(uint64(seed), h.Sum64())), today: today}
				w.draw(rs)
				for _, e := range w.entries {
					at := e.Date.Time().Add(2 * time.Hour) // 09:00 in Vietnam
					if e.Kind == nipp.LedgerReversal {
						revs = append(revs, []any{p.id, e.No, e.Source, e.Amount, e.Date, e.DocNo, e.DocDate, e.Note, string(e.ReversesKind), e.Key(), at, e.Reverses})
						continue
					}
					var tranche any
					if e.Tranche > 0 {
						tranche = e.Tranche
					}
					args = append(args, p.id, e.No, e.Source, string(e.Kind), tranche, e.Amount, e.Date, e.DocNo, e.DocDate, e.Note,
						e.Key(), "demo", at)
				}
			}
			if err := insertRows(ctx, tx, "ledger_entries", ledgerCols, args); err != nil {
				return err
			}
			// Reversals name the entries they reverse.
			for _, r := range revs {
				if _, err := tx.Exec(ctx, `INSERT INTO ledger_entries (project_id, entry_no, source, kind, amount, entry_date, doc_no, doc_date, note,
					reverses_kind, entry_key, recorded_name, recorded_at, reverses_id)
					VALUES ($1, $2, $3, 'reversal', $4, $5, $6, $7, $8, $9, $10, 'demo', $11,
					(SELECT o.id FROM ledger_entries o WHERE o.project_id = $1 AND o.entry_no = $12))`, r...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.RebuildLedgerBalances(ctx); err != nil {
			return err
		}
		// The progress summaries, from everything written above in bulk.
		return tx.RebuildProgress(ctx)
	})
}
