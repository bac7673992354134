package store

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"

	"nipp/internal/nipp"
)

// The co-financing ledger (docs/ARCHITECTURE.md, "The co-financing
// ledger"): ledger_entries is append-only; ledger_heads numbers a
// project's entries and serialises their writers; ledger_balances (per
// project and source) and ledger_rollup (per program, year, province today
// and at the time, and source) are kept current by ApplyLedgerEntry, which
// the app's event handler calls in the entry's own transaction.

// measureColumns are the balance columns of each kind's measure.
var measureColumns = map[nipp.LedgerKind]string{
	nipp.LedgerCommitment:   "committed",
	nipp.LedgerAdvance:      "advanced",
	nipp.LedgerPayment:      "paid",
	nipp.LedgerExpenditure:  "spent",
	nipp.LedgerAdjustment:   "adjusted",
	nipp.LedgerRefund:       "refunded",
	nipp.LedgerContribution: "contributed",
	nipp.LedgerRelease:      "released",
}

// LockLedger takes a project's ledger for the rest of the transaction and
// returns the number of its last entry. It writes the project's head row:
// on PostgreSQL that row lock makes a second writer of the same project
// wait until the first commits (and then read its entries and balances);
// SQLite's single writer serialises anyway.
func (tx *Tx) LockLedger(ctx context.Context, projectID int64) (_ int, err error) {
	defer nipp.Wrap(&err, "store.LockLedger(%v)", projectID)
	var n int
	err = tx.QueryRow(ctx, `INSERT INTO ledger_heads (project_id, entries) VALUES ($1, 0)
		ON CONFLICT (project_id) DO UPDATE SET entries = ledger_heads.entries RETURNING entries`, projectID).Scan(&n)
	return n, mapError(err)
}

// NextLedgerNo returns the number of a project's next entry (taking its
// ledger, as LockLedger, if not yet taken).
func (tx *Tx) NextLedgerNo(ctx context.Context, projectID int64) (_ int, err error) {
	defer nipp.Wrap(&err, "store.NextLedgerNo(%v)", projectID)
	var n int
	err = tx.QueryRow(ctx, `INSERT INTO ledger_heads (project_id, entries) VALUES ($1, 1)
		ON CONFLICT (project_id) DO UPDATE SET entries = ledger_heads.entries + 1 RETURNING entries`, projectID).Scan(&n)
	return n, mapError(err)
}

// InsertLedgerEntry appends an entry (its No from LockLedger) and sets its
// id and recording time. The balances follow through ApplyLedgerEntry.
func (tx *Tx) InsertLedgerEntry(ctx context.Context, e *nipp.LedgerEntry, userID int64) (err error) {
	defer nipp.Wrap(&err, "store.InsertLedgerEntry(%v, %v)", e.ProjectID, e.No)
	var uid, tranche, rev, revKind, att, job, docDate any
	if userID > 0 {
		uid = userID
	}
	if e.Tranche > 0 {
		tranche = e.Tranche
	}
	if e.ReversesID > 0 {
		rev, revKind = e.ReversesID, string(e.ReversesKind)
	}
	if e.Evidence > 0 {
		att = e.Evidence
	}
	if e.ImportJob > 0 {
		job = e.ImportJob
	}
	if !e.DocDate.IsZero() {
		docDate = e.DocDate
	}
	e.RecordedAt = tx.Now()
	id, err := tx.InsertID(ctx, `INSERT INTO ledger_entries (project_id, entry_no, source, kind, tranche, amount, entry_date, doc_no, doc_date, note,
		reverses_id, reverses_kind, attachment_id, entry_key, rule, import_job_id, recorded_by, recorded_name, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
		e.ProjectID, e.No, e.Source, string(e.Kind), tranche, e.Amount, e.Date, e.DocNo, docDate, e.Note,
		rev, revKind, att, e.Key(), e.Rule, job, uid, e.RecordedBy, e.RecordedAt)
	if err != nil {
		if IsUniqueViolation(err) && e.ReversesID > 0 {
			return nipp.Errorf(nipp.ECONFLICT, "err.store.ledger_already_reversed", e.Reverses)
		}
		return err
	}
	e.ID = id
	return nil
}

// ApplyLedgerEntry adds an entry to its project's balance of its source and
// to the program's roll-up, in the entry's transaction. A roll-up sum that
// would leave int64 (no real program comes near: each project's sums are
// bounded by its approved amounts) is refused rather than wrapped.
func (tx *Tx) ApplyLedgerEntry(ctx context.Context, e *nipp.LedgerEntry) (err error) {
	defer nipp.Wrap(&err, "store.ApplyLedgerEntry(%v, %v)", e.ProjectID, e.No)
	col, ok := measureColumns[e.Measure()]
	if !ok {
		return nipp.Errorf(nipp.EINVALID, "err.nipp.ledger_unknown_kind", string(e.Kind))
	}
	d := e.Delta()
	n := 1
	if e.Kind == nipp.LedgerReversal {
		n = -1
	}
	advances, disb := 0, 0
	if e.Measure() == nipp.LedgerAdvance {
		advances = n
	}
	if e.Measure().Disbursement() {
		disb = n
	}
	if _, err := tx.Exec(ctx, `INSERT INTO ledger_balances (project_id, source, `+col+`, advances, disbursements, entries) VALUES ($1, $2, $3, $4, $5, 1)
		ON CONFLICT (project_id, source) DO UPDATE SET `+col+` = ledger_balances.`+col+` + excluded.`+col+`,
		advances = ledger_balances.advances + excluded.advances, disbursements = ledger_balances.disbursements + excluded.disbursements,
		entries = ledger_balances.entries + 1`, e.ProjectID, e.Source, d, advances, disb); err != nil {
		return err
	}
	// The guard keeps the sum within int64 (SQLite would turn it into a
	// float, PostgreSQL would fail with an internal error).
	guard := `ledger_rollup.` + col + ` <= ` + strconv.FormatInt(math.MaxInt64-max(d, 0), 10) +
		` AND ledger_rollup.` + col + ` >= ` + strconv.FormatInt(math.MinInt64-min(d, 0), 10)
	res, err := tx.Exec(ctx, `INSERT INTO ledger_rollup (program_id, year, province_id, orig_province_id, source, `+col+`, entries)
		SELECT p.program_id, p.year, p.province_id, p.orig_province_id, $1, $2, 1 FROM projects p WHERE p.id = $3
		ON CONFLICT (program_id, year, province_id, orig_province_id, source) DO UPDATE SET
		`+col+` = ledger_rollup.`+col+` + excluded.`+col+`, entries = ledger_rollup.entries + 1 WHERE `+guard, e.Source, d, e.ProjectID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nipp.FieldError("amount", "err.nipp.ledger_balance_out_of_range", nipp.NameOf("source", e.Source))
	}
	return nil
}

const balanceCols = `source, committed, advanced, paid, spent, adjusted, refunded, contributed, released, advances, disbursements, entries`

func scanBalance(scan func(...any) error, b *nipp.LedgerBalance) error {
	return scan(&b.Source, &b.Committed, &b.Advanced, &b.Paid, &b.Spent, &b.Adjusted, &b.Refunded, &b.Contributed, &b.Released,
		&b.Advances, &b.Disbursements, &b.Entries)
}

// sourceOrder sorts balances by the budget's order of funding sources.
func sourceOrder(bs []nipp.LedgerBalance) {
	order := nipp.FundingSources()
	slices.SortStableFunc(bs, func(a, b nipp.LedgerBalance) int {
		return slices.Index(order, a.Source) - slices.Index(order, b.Source)
	})
}

// LedgerBalances returns a project's balances, one per source with
// entries, in the budget's source order.
func (tx *Tx) LedgerBalances(ctx context.Context, projectID int64) (_ []nipp.LedgerBalance, err error) {
	defer nipp.Wrap(&err, "store.LedgerBalances(%v)", projectID)
	var out []nipp.LedgerBalance
	err = tx.each(ctx, `SELECT `+balanceCols+` FROM ledger_balances WHERE project_id = $1`, []any{projectID}, func(scan func(...any) error) error {
		var b nipp.LedgerBalance
		if err := scanBalance(scan, &b); err != nil {
			return err
		}
		out = append(out, b)
		return nil
	})
	sourceOrder(out)
	return out, err
}

// LedgerBalance returns a project's balance of one source (zero when it
// has no entries).
func (tx *Tx) LedgerBalance(ctx context.Context, projectID int64, source string) (_ nipp.LedgerBalance, err error) {
	defer nipp.Wrap(&err, "store.LedgerBalance(%v, %q)", projectID, source)
	b := nipp.LedgerBalance{Source: source}
	err = scanBalance(tx.QueryRow(ctx, `SELECT `+balanceCols+` FROM ledger_balances WHERE project_id = $1 AND source = $2`, projectID, source).Scan, &b)
	if errors.Is(err, sql.ErrNoRows) {
		return nipp.LedgerBalance{Source: source}, nil
	}
	return b, mapError(err)
}

// LedgerBalancesFromEntries sums a project's entries (or, with projectID
// 0, every project's) as the balances should hold them: the check that
// the kept balances are right.
func (tx *Tx) LedgerBalancesFromEntries(ctx context.Context, projectID int64) (_ map[int64][]nipp.LedgerBalance, err error) {
	defer nipp.Wrap(&err, "store.LedgerBalancesFromEntries(%v)", projectID)
	out := map[int64][]nipp.LedgerBalance{}
	where, args := "", []any{}
	if projectID > 0 {
		where, args = " WHERE project_id = $1", []any{projectID}
	}
	err = tx.each(ctx, `SELECT project_id, source, COALESCE(reverses_kind, kind), kind, SUM(amount), COUNT(*) FROM ledger_entries`+where+`
		GROUP BY project_id, source, COALESCE(reverses_kind, kind), kind`, args, func(scan func(...any) error) error {
		var pid, sum int64
		var src, measure, kind string
		var n int
		if err := scan(&pid, &src, &measure, &kind, &sum, &n); err != nil {
			return err
		}
		bs := out[pid]
		i := slices.IndexFunc(bs, func(b nipp.LedgerBalance) bool { return b.Source == src })
		if i < 0 {
			bs, i = append(bs, nipp.LedgerBalance{Source: src}), len(bs)
		}
		e := &nipp.LedgerEntry{Source: src, Kind: nipp.LedgerKind(kind), Amount: sum}
		if e.Kind == nipp.LedgerReversal {
			e.ReversesKind = nipp.LedgerKind(measure)
		}
		if err := bs[i].Apply(e); err != nil {
			return err
		}
		// Apply counts one entry (and one advance); the group holds n.
		c := n - 1
		if e.Kind == nipp.LedgerReversal {
			c = -c
		}
		bs[i].Entries += n - 1
		if e.Measure() == nipp.LedgerAdvance {
			bs[i].Advances += c
		}
		if e.Measure().Disbursement() {
			bs[i].Disbursements += c
		}
		out[pid] = bs
		return nil
	})
	for _, bs := range out {
		sourceOrder(bs)
	}
	return out, err
}

// RebuildLedgerBalances recomputes every balance and the roll-up from the
// entries (the demo loader writes entries in bulk, then calls it).
func (tx *Tx) RebuildLedgerBalances(ctx context.Context) (err error) {
	defer nipp.Wrap(&err, "store.RebuildLedgerBalances()")
	for _, q := range []string{
		`DELETE FROM ledger_rollup`, `DELETE FROM ledger_balances`, `DELETE FROM ledger_heads`,
		`INSERT INTO ledger_heads (project_id, entries) SELECT project_id, MAX(entry_no) FROM ledger_entries GROUP BY project_id`,
		`INSERT INTO ledger_balances (project_id, source, committed, advanced, paid, spent, adjusted, refunded, contributed, released,
			advances, disbursements, entries)
		SELECT project_id, source, ` + measureSums("") + `,
			SUM(CASE WHEN COALESCE(reverses_kind, kind) = 'advance' THEN CASE WHEN kind = 'reversal' THEN -1 ELSE 1 END ELSE 0 END),
			SUM(CASE WHEN COALESCE(reverses_kind, kind) IN ('advance', 'payment') THEN CASE WHEN kind = 'reversal' THEN -1 ELSE 1 END ELSE 0 END),
			COUNT(*)
		FROM ledger_entries GROUP BY project_id, source`,
		`INSERT INTO ledger_rollup (program_id, year, province_id, orig_province_id, source, committed, advanced, paid, spent, adjusted,
			refunded, contributed, released, entries)
		SELECT p.program_id, p.year, p.province_id, p.orig_province_id, b.source, SUM(b.committed), SUM(b.advanced), SUM(b.paid),
			SUM(b.spent), SUM(b.adjusted), SUM(b.refunded), SUM(b.contributed), SUM(b.released), SUM(b.entries)
		FROM ledger_balances b JOIN projects p ON p.id = b.project_id
		GROUP BY p.program_id, p.year, p.province_id, p.orig_province_id, b.source`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// measureSums is the SQL summing entries (alias prefix p) into each
// measure column, in measureColumns order of the balance tables.
func measureSums(p string) string {
	var parts []string
	for _, k := range []nipp.LedgerKind{nipp.LedgerCommitment, nipp.LedgerAdvance, nipp.LedgerPayment, nipp.LedgerExpenditure,
		nipp.LedgerAdjustment, nipp.LedgerRefund, nipp.LedgerContribution, nipp.LedgerRelease} {
		parts = append(parts, `SUM(CASE WHEN COALESCE(`+p+`reverses_kind, `+p+`kind) = '`+string(k)+`' THEN CASE WHEN `+p+`kind = 'reversal' THEN -`+p+`amount ELSE `+p+`amount END ELSE 0 END)`)
	}
	return strings.Join(parts, ", ")
}

const entryCols = `e.id, e.entry_no, e.project_id, p.public_id, p.code, e.source, e.kind, COALESCE(e.tranche, 0), e.amount, e.entry_date, e.doc_no,
	e.doc_date, e.note, COALESCE(r.entry_no, 0), COALESCE(e.reverses_id, 0), COALESCE(e.reverses_kind, ''), COALESCE(rb.entry_no, 0),
	COALESCE(e.attachment_id, 0), COALESCE(a.filename, ''), e.rule, COALESCE(e.import_job_id, 0), e.recorded_name, e.recorded_at`

const entryFrom = ` FROM ledger_entries e JOIN projects p ON p.id = e.project_id
	LEFT JOIN ledger_entries r ON r.id = e.reverses_id
	LEFT JOIN ledger_entries rb ON rb.reverses_id = e.id
	LEFT JOIN project_attachments a ON a.id = e.attachment_id`

func scanEntry(scan func(...any) error) (*nipp.LedgerEntry, error) {
	e := &nipp.LedgerEntry{}
	var kind, revKind string
	var docDate nipp.Date
	err := scan(&e.ID, &e.No, &e.ProjectID, &e.Project, &e.Code, &e.Source, &kind, &e.Tranche, &e.Amount, &e.Date, &e.DocNo,
		&docDate, &e.Note, &e.Reverses, &e.ReversesID, &revKind, &e.ReversedBy, &e.Evidence, &e.EvidenceName, &e.Rule, &e.ImportJob,
		&e.RecordedBy, &e.RecordedAt)
	e.Kind, e.ReversesKind, e.DocDate = nipp.LedgerKind(kind), nipp.LedgerKind(revKind), docDate
	return e, err
}

// FindLedgerEntry returns entry no of a project, with the number of its
// reversal if any.
func (tx *Tx) FindLedgerEntry(ctx context.Context, projectID int64, no int) (_ *nipp.LedgerEntry, err error) {
	defer nipp.Wrap(&err, "store.FindLedgerEntry(%v, %v)", projectID, no)
	e, err := scanEntry(tx.QueryRow(ctx, `SELECT `+entryCols+entryFrom+` WHERE e.project_id = $1 AND e.entry_no = $2`, projectID, no).Scan)
	if err != nil {
		return nil, notFoundOr(err, "ledger_entry", no)
	}
	return e, nil
}

// FindLiveLedgerEntryByKey returns the number of a project's entry with
// key that was not reversed (0 when there is none): the same entry
// recorded again.
func (tx *Tx) FindLiveLedgerEntryByKey(ctx context.Context, projectID int64, key string) (_ int, err error) {
	defer nipp.Wrap(&err, "store.FindLiveLedgerEntryByKey(%v)", projectID)
	var no int
	err = tx.QueryRow(ctx, `SELECT e.entry_no FROM ledger_entries e WHERE e.project_id = $1 AND e.entry_key = $2 AND e.kind <> 'reversal'
		AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id) ORDER BY e.entry_no LIMIT 1`, projectID, key).Scan(&no)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return no, mapError(err)
}

// ledgerWhere is the WHERE clause of q over entries e of projects p.
func ledgerWhere(q nipp.LedgerQuery, args *[]any) string {
	arg := func(v any) string {
		*args = append(*args, v)
		return "$" + strconv.Itoa(len(*args))
	}
	var conds []string
	if q.ProjectID > 0 {
		conds = append(conds, "e.project_id = "+arg(q.ProjectID))
	}
	if q.ProgramCode != "" {
		conds = append(conds, "p.program_id = (SELECT id FROM programs WHERE code = "+arg(q.ProgramCode)+")")
	}
	if q.Year > 0 {
		conds = append(conds, "p.year = "+arg(q.Year))
	}
	if q.ProvinceCode != "" {
		col := "p.province_id"
		if q.AtTheTime {
			col = "p.orig_province_id"
		}
		gen := q.ProvinceGen
		if gen == 0 {
			gen = 2025
		}
		conds = append(conds, col+" = (SELECT id FROM admin_units WHERE level = 'province' AND code = "+arg(q.ProvinceCode)+" AND generation = "+arg(gen)+")")
	}
	if q.Source != "" {
		conds = append(conds, "e.source = "+arg(q.Source))
	}
	if len(q.Kinds) > 0 {
		var ks []string
		for _, k := range q.Kinds {
			ks = append(ks, arg(string(k)))
		}
		in := strings.Join(ks, ", ")
		conds = append(conds, "(e.kind IN ("+in+") OR e.reverses_kind IN ("+in+"))")
	}
	if q.ScopeProvinces != nil {
		conds = append(conds, "p.province_id IN (SELECT id FROM admin_units WHERE level = 'province' AND generation = 2025 AND code IN ("+inList(q.ScopeProvinces, arg)+"))")
	}
	if q.After > 0 {
		conds = append(conds, "e.id < "+arg(q.After))
	}
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// inList renders values as parameters for an IN list (” when empty, which
// matches nothing).
func inList(vs []string, arg func(any) string) string {
	if len(vs) == 0 {
		return "''"
	}
	ps := make([]string, len(vs))
	for i, v := range vs {
		ps[i] = arg(v)
	}
	return strings.Join(ps, ", ")
}

// FindLedgerEntries returns entries: a project's in their order (oldest
// first), or across projects newest first, one page after q.After.
func (tx *Tx) FindLedgerEntries(ctx context.Context, q nipp.LedgerQuery) (_ []*nipp.LedgerEntry, err error) {
	defer nipp.Wrap(&err, "store.FindLedgerEntries(%v)", q.ProjectID)
	var args []any
	where := ledgerWhere(q, &args)
	order := " ORDER BY e.id DESC"
	if q.ProjectID > 0 {
		order = " ORDER BY e.entry_no"
	}
	limit := ""
	if q.Limit > 0 {
		limit = " LIMIT " + strconv.Itoa(q.Limit)
	}
	var out []*nipp.LedgerEntry
	err = tx.each(ctx, `SELECT `+entryCols+entryFrom+where+order+limit, args, func(scan func(...any) error) error {
		e, err := scanEntry(scan)
		if err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// LedgerRollup reads the roll-up grouped by program, year, province (at the
// time or today) and source: a few rows per province and year, never the
// entries.
func (tx *Tx) LedgerRollup(ctx context.Context, q nipp.LedgerQuery) (_ []nipp.LedgerRollupRow, err error) {
	defer nipp.Wrap(&err, "store.LedgerRollup(%q, %v)", q.ProgramCode, q.Year)
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	col := "r.province_id"
	if q.AtTheTime {
		col = "r.orig_province_id"
	}
	var conds []string
	if q.ProgramCode != "" {
		conds = append(conds, "pg.code = "+arg(q.ProgramCode))
	}
	if q.Year > 0 {
		conds = append(conds, "r.year = "+arg(q.Year))
	}
	if q.ProvinceCode != "" {
		gen := q.ProvinceGen
		if gen == 0 {
			gen = 2025
		}
		conds = append(conds, "u.code = "+arg(q.ProvinceCode)+" AND u.generation = "+arg(gen))
	}
	if q.Source != "" {
		conds = append(conds, "r.source = "+arg(q.Source))
	}
	if q.ScopeProvinces != nil {
		conds = append(conds, "r.province_id IN (SELECT id FROM admin_units WHERE level = 'province' AND generation = 2025 AND code IN ("+inList(q.ScopeProvinces, arg)+"))")
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var out []nipp.LedgerRollupRow
	err = tx.each(ctx, `SELECT pg.code, pg.name_vi, pg.name_en, r.year, u.code, u.generation, u.name_vi, r.source,
		SUM(r.committed), SUM(r.advanced), SUM(r.paid), SUM(r.spent), SUM(r.adjusted), SUM(r.refunded), SUM(r.contributed), SUM(r.released), SUM(r.entries)
		FROM ledger_rollup r JOIN programs pg ON pg.id = r.program_id JOIN admin_units u ON u.id = `+col+where+`
		GROUP BY pg.code, pg.name_vi, pg.name_en, r.year, u.code, u.generation, u.name_vi, r.source
		ORDER BY pg.code, r.year DESC, u.code, u.generation`, args, func(scan func(...any) error) error {
		var r nipp.LedgerRollupRow
		b := &r.LedgerBalance
		if err := scan(&r.ProgramCode, &r.ProgramName, &r.ProgramEN, &r.Year, &r.ProvinceCode, &r.ProvinceGen, &r.ProvinceName, &b.Source,
			&b.Committed, &b.Advanced, &b.Paid, &b.Spent, &b.Adjusted, &b.Refunded, &b.Contributed, &b.Released, &b.Entries); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// FindProjectPublicIDByCode returns the public id of the project with a
// code (ENOTFOUND when none).
func (tx *Tx) FindProjectPublicIDByCode(ctx context.Context, code string) (_ string, err error) {
	defer nipp.Wrap(&err, "store.FindProjectPublicIDByCode(%q)", code)
	var id string
	err = tx.QueryRow(ctx, `SELECT public_id FROM projects WHERE code = $1`, code).Scan(&id)
	if err != nil {
		return "", notFoundOr(err, "project", code)
	}
	return id, nil
}

// FindImportJobsOfKind returns a user's latest jobs of one kind.
func (tx *Tx) FindImportJobsOfKind(ctx context.Context, userID int64, kind string, limit int) (_ []*nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "store.FindImportJobsOfKind(%v, %q)", userID, kind)
	var out []*nipp.ImportJob
	err = tx.each(ctx, `SELECT `+jobCols+` FROM import_jobs WHERE created_by = $1 AND kind = $2 ORDER BY id DESC LIMIT `+itoa(limit),
		[]any{userID, kind}, func(scan func(...any) error) error {
			j, err := scanJob(scanFunc(scan))
			if err != nil {
				return err
			}
			out = append(out, j)
			return nil
		})
	return out, err
}

// scanFunc adapts a scan function to scanJob's Scan interface.
type scanFunc func(...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// ProjectState returns a project's state as stored now.
func (tx *Tx) ProjectState(ctx context.Context, id int64) (_ nipp.ProjectState, err error) {
	defer nipp.Wrap(&err, "store.ProjectState(%v)", id)
	var s string
	if err := tx.QueryRow(ctx, `SELECT state FROM projects WHERE id = $1`, id).Scan(&s); err != nil {
		return "", notFoundOr(err, "project")
	}
	return nipp.ProjectState(s), nil
}
