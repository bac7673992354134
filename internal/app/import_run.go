package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// Running an import (the handler of its jobs): validating and applying
// staged rows chunk by chunk. Each chunk is read, parsed, checked and made
// ready in a read transaction, outside the writer; the write transaction
// only records the results or applies the rows made ready, re-checking what
// may have changed meanwhile (the record's version, the tax code through
// its unique index), and advances the job's cursor with them. So SQLite's
// one writer is held for a short apply per chunk, never for the file, and a
// run killed anywhere resumes from its last committed chunk.
//
// Atomic mode: nothing is applied unless every row was valid; the rows are
// then applied chunk by chunk like the others, each recording what it
// changed (import_rows.undo_json). When a row cannot be written after all
// (a tax code taken meanwhile), the job puts back what it applied, chunk by
// chunk (last row first; a record changed since by someone else is left as
// it is), and ends cancelled with that row rejected: nothing is imported.
// Kinds that cannot put a row back (ledger entries are never deleted) apply
// an atomic job in one transaction, as their files are short.

// rowImporter is what an import kind does with its staged rows: parse one
// (the record a valid row keeps, its duplicate key, its problems and
// notes, each naming its column), check it against the stored data, make
// a checked row ready to write (reads only), write it, and put it back.
// Staging, duplicate rows, chunks, the cursor, atomic mode and the report
// are the import machinery's, shared by every kind.
type rowImporter struct {
	// previewCheck: the mapping page's preview runs check too.
	previewCheck bool
	parse        func(cells []string) (rec any, key string, issues, notes []nipp.RowIssue)
	check        func(ctx context.Context, tx *store.Tx, rec any) (issues, notes []nipp.RowIssue, err error)
	// decode reads back the record a valid row keeps.
	decode func(record string) (any, error)
	// preload (optional) reads, in one go, what checking or preparing a
	// chunk's records needs (before check and prepare are called on each).
	preload func(ctx context.Context, tx *store.Tx, recs []any) error
	// prepare reads what writing a valid row's record needs, in a read
	// transaction, the chunk's rows in order; a row failure (rowFailure)
	// rejects the row.
	prepare func(ctx context.Context, tx *store.Tx, rec any) (any, error)
	// write writes a prepared row in the chunk's write transaction:
	// "imported", "updated" or "unchanged", and what undo needs (kinds
	// with undo).
	write func(ctx context.Context, tx *store.Tx, prep any) (res, undo string, err error)
	// writeChunk (optional) writes a whole prepared chunk at once, with
	// each row's outcome, instead of write row by row.
	writeChunk func(ctx context.Context, tx *store.Tx, j *nipp.ImportJob, rows []preparedRow) ([]rowOutcome, error)
	// undo puts back a written row; nil when the kind cannot.
	undo func(ctx context.Context, tx *store.Tx, undo string) (bool, error)
	// claims and follow (optional, together) let a chunk be prepared
	// while the one before it is written: claims returns what a prepared
	// chunk's rows create or update, and follow gives the next chunk's
	// importer, before its preload, the claims of the chunk before it, so
	// that its rows naming the same records are planned in the writer, as
	// rows naming each other within a chunk are. A kind without them (the
	// ledger: a row's check reads the sums the rows before it change) is
	// prepared only after the chunk before it is written.
	claims func() any
	follow func(prior any)
}

// rowOutcome is what writing a row did.
type rowOutcome struct {
	res, undo string
	err       error
}

// runImport is the import job's handler: it validates or applies import
// job id chunk by chunk, each chunk committing with the job's cursor, so a
// run stopped anywhere is resumed by the next from its last chunk.
// analyzeImportRows is the size of a job whose staged rows' statistics are
// refreshed between its phases.
const analyzeImportRows = 10_000

func (a *App) runImport(ctx context.Context, run *jobRun, id int64) (err error) {
	var j *nipp.ImportJob
	if err := a.readOwn(ctx, func(tx *store.Tx) error {
		var err error
		j, err = tx.FindImportJobByID(ctx, id)
		return err
	}); err != nil {
		if nipp.ErrorCode(err) == nipp.ENOTFOUND {
			return Permanent(err)
		}
		return err
	}
	ctx, err = a.jobPrincipal(ctx, j)
	if err != nil {
		return Permanent(err)
	}
	p := nipp.PrincipalFrom(ctx)
	// The address index is read once per process, outside the transactions
	// that use it.
	if _, err := a.places(ctx); err != nil {
		return err
	}
	// Between phases of a large job the statistics of its staged rows
	// are refreshed (PostgreSQL), so that each chunk reads its next rows
	// in order from the primary key (see store.AnalyzeImportRows).
	analyze := func() error {
		if j.TotalRows < analyzeImportRows {
			return nil
		}
		return a.db.AnalyzeImportRows(ctx)
	}
	if j.State == nipp.ImportValidating {
		if err := analyze(); err != nil {
			return err
		}
	}
	if err := a.validateChunks(ctx, run, p, j); err != nil {
		return err
	}
	if j.State == nipp.ImportApplying {
		if err := analyze(); err != nil {
			return err
		}
	}
	for j.State == nipp.ImportApplying {
		if j.Atomic && j.Kind == ledgerImportKind {
			return a.applyInOneTx(ctx, p, j)
		}
		if j.UndoRow > 0 {
			err = a.undoChunk(ctx, p, j)
		} else {
			err = a.applyChunks(ctx, run, p, j)
		}
		if err != nil {
			return err
		}
		if err := run.progress(ctx, fmt.Sprintf("applied through row %d", j.AppliedThrough)); err != nil {
			return err
		}
	}
	return nil
}

// applyChunks applies the next chunks of j, each prepared in a read
// transaction and written in its own write transaction, until the job
// leaves the applying state, must put rows back, or stops. While a chunk
// is written, the next is prepared beside it (kinds with claims): from
// the rows after the written chunk's last, seeing what it claims; the
// writer takes it only if the job's cursor is then where it was prepared
// from (applyPrepared), else it is prepared again from the stored cursor.
// So the writer and the reading, parsing and planning of the next chunk
// run at once, on two cores, and each chunk is still written alone, in
// order, against what the chunks before it wrote.
func (a *App) applyChunks(ctx context.Context, run *jobRun, p *nipp.Principal, j *nipp.ImportJob) error {
	type ahead struct {
		c   *preparedChunk
		err error
	}
	var next *preparedChunk
	for {
		c := next
		next = nil
		if c == nil {
			err := a.readOwn(ctx, func(tx *store.Tx) error {
				cur, err := tx.FindImportJobByID(ctx, j.ID)
				if err != nil {
					return err
				}
				*j = *cur
				if j.State != nipp.ImportApplying || j.UndoRow > 0 {
					return nil
				}
				c, err = a.prepareChunk(ctx, tx, p, j, nil)
				return err
			})
			if err != nil || c == nil {
				return err
			}
		}
		var done chan ahead
		if !c.last && len(c.rows) > 0 && c.kind.claims != nil && !a.serialChunks {
			done = make(chan ahead, 1)
			jc := *j
			go func() {
				var n *preparedChunk
				err := a.readOwn(ctx, func(tx *store.Tx) error {
					var err error
					n, err = a.prepareChunk(ctx, tx, p, &jc, c)
					return err
				})
				done <- ahead{n, err}
			}()
		}
		err := a.db.WriteTx(ctx, func(tx *store.Tx) error { return a.applyPrepared(ctx, tx, j, c) })
		if done != nil {
			// A failed preparation ahead is left: the chunk is prepared
			// again from the stored cursor, where its error, if it is one,
			// is met again.
			if r := <-done; r.err == nil {
				next = r.c
				if err == nil && j.AppliedThrough == next.after {
					a.aheadTaken.Add(1)
				}
			}
		}
		if err != nil {
			return err
		}
		if j.State != nipp.ImportApplying || j.UndoRow > 0 {
			return nil
		}
		if err := run.progress(ctx, fmt.Sprintf("applied through row %d", j.AppliedThrough)); err != nil {
			return err
		}
	}
}

// checkedChunk is the next rows of an import, checked: each row's result,
// ready to record.
type checkedChunk struct {
	before  int // the job's validated rows before these
	results []nipp.ImportRow
	noted   int
	last    bool // the job's last rows
	// keys: the first row of each duplicate key among these rows, for the
	// chunk after, checked before these are recorded.
	keys map[string]int
}

// validateChunks checks the rows of j chunk by chunk, each read and
// checked in a read transaction and its results recorded in a short write
// transaction, until the job leaves the validating state. While a chunk's
// results are recorded the next chunk is checked beside it, from the row
// after its last and seeing its rows' duplicate keys; it is recorded only
// if the job then has the validated rows it was checked after (else it is
// checked again), as applyChunks does for applying.
func (a *App) validateChunks(ctx context.Context, run *jobRun, p *nipp.Principal, j *nipp.ImportJob) error {
	type ahead struct {
		c   *checkedChunk
		err error
	}
	after := 0 // the last row this run validated (rows are validated in order)
	var next *checkedChunk
	for j.State == nipp.ImportValidating {
		c := next
		next = nil
		if c == nil {
			var err error
			if c, err = a.checkChunk(ctx, p, j.ID, after, nil); err != nil {
				return err
			}
		}
		var done chan ahead
		if c != nil && !c.last && !a.serialChunks {
			done = make(chan ahead, 1)
			id := j.ID
			go func() {
				n, err := a.checkChunk(ctx, p, id, c.results[len(c.results)-1].Row, c)
				done <- ahead{n, err}
			}()
		}
		err := a.db.WriteTx(ctx, func(tx *store.Tx) error { return recordChecked(ctx, tx, j, c, &after) })
		if done != nil {
			// A chunk that failed to be checked ahead is checked again.
			if r := <-done; r.err == nil && r.c != nil {
				next = r.c
				if err == nil && j.ValidatedRows == next.before {
					a.aheadTaken.Add(1)
				}
			}
		}
		if err != nil {
			return err
		}
		if err := run.progress(ctx, fmt.Sprintf("validated %d of %d rows", j.ValidatedRows, j.TotalRows)); err != nil {
			return err
		}
	}
	return nil
}

// checkChunk reads and checks the unvalidated rows of job id after row
// after, in a read transaction: when prior is given (a chunk checked but
// not yet recorded), after prior's rows and seeing their duplicate keys.
// It returns nil when the job is not validating, or has no rows left that
// this run has not checked (an empty last chunk when none are left).
func (a *App) checkChunk(ctx context.Context, p *nipp.Principal, id int64, after int, prior *checkedChunk) (*checkedChunk, error) {
	var c *checkedChunk
	err := a.readOwn(ctx, func(tx *store.Tx) error {
		snap, err := tx.FindImportJobByID(ctx, id)
		if err != nil || snap.State != nipp.ImportValidating {
			return err
		}
		c = &checkedChunk{before: snap.ValidatedRows, keys: map[string]int{}}
		if prior != nil {
			c.before = prior.before + len(prior.results)
		}
		rows, err := tx.FindImportRowsUnvalidated(ctx, id, after, validateChunk)
		if err != nil {
			return err
		}
		c.last = len(rows) < validateChunk
		if len(rows) == 0 {
			return nil
		}
		kind, err := a.rowsOf(ctx, p, snap, nipp.Today(tx.Now()))
		if err != nil {
			return err
		}
		type parsed struct {
			rec           any
			key           string
			issues, notes []nipp.RowIssue
		}
		ps := make([]parsed, len(rows))
		var keys []string
		for i, r := range rows {
			rec, key, issues, notes := kind.parse(r.Cells)
			ps[i] = parsed{rec, key, issues, notes}
			if len(issues) == 0 {
				keys = append(keys, key)
			}
		}
		// A row repeating an earlier row's key (in an earlier chunk: one
		// query, and the rows of prior; in this one: as they come) is a
		// duplicate.
		first, err := tx.FirstImportRowsWithKeys(ctx, id, keys, rows[0].Row)
		if err != nil {
			return err
		}
		if prior != nil {
			for k, row := range prior.keys {
				if f, ok := first[k]; !ok || row < f {
					first[k] = row
				}
			}
		}
		if kind.preload != nil {
			var recs []any
			for _, pr := range ps {
				if len(pr.issues) == 0 {
					recs = append(recs, pr.rec)
				}
			}
			if err := kind.preload(ctx, tx, recs); err != nil {
				return err
			}
		}
		for i, r := range rows {
			pr := ps[i]
			issues, notes := pr.issues, pr.notes
			if len(issues) == 0 {
				if f := first[pr.key]; f > 0 {
					issues = append(issues, nipp.RowIssue{Msg: nipp.M("err.import.duplicate_row", f)})
				} else {
					r.DupKey, first[pr.key] = pr.key, r.Row
					c.keys[pr.key] = r.Row
				}
			}
			if len(issues) == 0 {
				var more []nipp.RowIssue
				if issues, more, err = kind.check(ctx, tx, pr.rec); err != nil {
					return err
				}
				notes = append(notes, more...)
			}
			ok := len(issues) == 0
			r.Valid, r.Errors = &ok, issues
			if ok {
				b, err := json.Marshal(pr.rec)
				if err != nil {
					return nipp.Internal(err)
				}
				r.Record = string(b)
				if len(notes) > 0 {
					r.Errors = notes // a valid row's "errors" are its notes
					c.noted++
				}
			}
			c.results = append(c.results, r)
		}
		return nil
	})
	return c, err
}

// recordChecked records the results of a checked chunk of j in tx, unless
// another run validated rows meanwhile (then nothing is recorded and the
// rows are checked again); *after becomes the chunk's last row.
func recordChecked(ctx context.Context, tx *store.Tx, j *nipp.ImportJob, c *checkedChunk, after *int) error {
	if err := tx.CommitWithoutFlush(ctx); err != nil {
		return err
	}
	cur, err := tx.LockImportJob(ctx, j.ID)
	if err != nil {
		return err
	}
	*j = *cur
	if c == nil || j.State != nipp.ImportValidating || j.ValidatedRows != c.before {
		return nil // another run validated these rows, or the job moved on
	}
	if err := tx.SetImportRowResults(ctx, j.ID, c.results); err != nil {
		return err
	}
	for _, r := range c.results {
		if !*r.Valid {
			j.RejectedRows++
		}
		j.ValidatedRows++
	}
	j.NotedRows += c.noted
	if len(c.results) > 0 {
		*after = c.results[len(c.results)-1].Row
	}
	if c.last {
		j.State = nipp.ImportValidated
		if j.TotalRows == 0 {
			j.Message = nipp.EncodeMsg(nipp.M("msg.import.no_rows"))
		}
	}
	return tx.UpdateImportJob(ctx, j)
}

// preparedChunk is the next rows of an import, ready to write.
type preparedChunk struct {
	kind  rowImporter
	after int // the job's cursor they follow
	rows  []preparedRow
	last  bool // no valid row follows
	// claims: what its rows create or update (kinds with claims).
	claims any
}

type preparedRow struct {
	row   int
	noted bool
	prep  any
	err   error // a row failure found while preparing
}

// prepareChunk reads and prepares the next valid rows of j in tx: after
// its cursor, or, when prior is given (a chunk prepared but not yet
// written), after prior's last row and seeing what prior claims.
func (a *App) prepareChunk(ctx context.Context, tx *store.Tx, p *nipp.Principal, j *nipp.ImportJob, prior *preparedChunk) (*preparedChunk, error) {
	after := j.AppliedThrough
	if prior != nil {
		after = prior.rows[len(prior.rows)-1].row
	}
	rows, err := tx.FindImportRows(ctx, j.ID, after, applyChunk, true, false)
	if err != nil {
		return nil, err
	}
	kind, err := a.rowsOf(ctx, p, j, nipp.Today(tx.Now()))
	if err != nil {
		return nil, err
	}
	if prior != nil && kind.follow != nil {
		kind.follow(prior.claims)
	}
	c := &preparedChunk{kind: kind, after: after, last: len(rows) < applyChunk}
	recs := make([]any, len(rows))
	for i, r := range rows {
		if recs[i], err = kind.decode(r.Record); err != nil {
			return nil, err
		}
	}
	if kind.preload != nil {
		if err := kind.preload(ctx, tx, recs); err != nil {
			return nil, err
		}
	}
	for i, r := range rows {
		prep, err := kind.prepare(ctx, tx, recs[i])
		if err != nil && !rowFailure(err) {
			return nil, &rowWriteError{Row: r.Row, Err: err}
		}
		c.rows = append(c.rows, preparedRow{row: r.Row, noted: len(r.Errors) > 0, prep: prep, err: err})
	}
	if kind.claims != nil {
		c.claims = kind.claims()
	}
	return c, nil
}

// applyChunk prepares and applies the next rows of j inside tx (an atomic
// job of a kind without undo; tests).
func (a *App) applyChunk(ctx context.Context, tx *store.Tx, p *nipp.Principal, j *nipp.ImportJob) error {
	cur, err := tx.LockImportJob(ctx, j.ID)
	if err != nil {
		return err
	}
	*j = *cur
	if j.State != nipp.ImportApplying || j.UndoRow > 0 {
		return nil
	}
	c, err := a.prepareChunk(ctx, tx, p, j, nil)
	if err != nil {
		return err
	}
	return a.applyPrepared(ctx, tx, j, c)
}

// applyInOneTx applies every row of an atomic job of a kind that cannot
// undo a row, in one transaction: a row that cannot be written rolls
// everything back and cancels the job.
func (a *App) applyInOneTx(ctx context.Context, p *nipp.Principal, j *nipp.ImportJob) error {
	err := a.db.WriteTx(ctx, func(tx *store.Tx) error {
		for j.State == nipp.ImportApplying {
			if err := a.applyChunk(ctx, tx, p, j); err != nil {
				return err
			}
		}
		return nil
	})
	var rw *rowWriteError
	if errors.As(err, &rw) && rowFailure(rw.Err) {
		return a.cancelAtomic(ctx, j, rw)
	}
	return err
}

// applyPrepared writes a prepared chunk of j in tx and advances its cursor
// with it, unless another run moved the cursor meanwhile (then nothing is
// written and the next chunk is prepared again).
func (a *App) applyPrepared(ctx context.Context, tx *store.Tx, j *nipp.ImportJob, c *preparedChunk) error {
	if err := tx.CommitWithoutFlush(ctx); err != nil {
		return err
	}
	cur, err := tx.LockImportJob(ctx, j.ID)
	if err != nil {
		return err
	}
	*j = *cur
	if j.State != nipp.ImportApplying || j.UndoRow > 0 || j.AppliedThrough != c.after {
		return nil
	}
	out, err := a.writeRows(ctx, tx, j, c)
	if err != nil {
		return err
	}
	failed := 0 // an atomic job's first row that could not be written
	var undoRows []int
	var undos []string
	for i, r := range c.rows {
		res, undo, err := out[i].res, out[i].undo, out[i].err
		if err != nil {
			if !rowFailure(err) || j.Atomic && c.kind.undo == nil {
				return &rowWriteError{Row: r.row, Err: err}
			}
			if j.Atomic && failed > 0 {
				continue // everything is put back anyway
			}
			// The row is rejected, with its reason.
			if err := tx.RejectImportRow(ctx, j.ID, r.row, []nipp.RowIssue{writeIssue(j.Mapping, err)}); err != nil {
				return err
			}
			j.RejectedRows++
			if r.noted {
				j.NotedRows--
			}
			if j.Atomic {
				failed = r.row
				continue
			}
			j.AppliedThrough = r.row
			continue
		}
		if j.Atomic && undo != "" {
			undoRows, undos = append(undoRows, r.row), append(undos, undo)
		}
		switch res {
		case "imported":
			j.Imported++
		case "updated":
			j.Updated++
		default:
			j.Unchanged++
		}
		j.AppliedThrough = r.row
	}
	if err := tx.SetImportRowUndos(ctx, j.ID, undoRows, undos); err != nil {
		return err
	}
	if failed > 0 {
		// Nothing may be imported: put back what was applied (undoChunk).
		j.UndoRow = failed
		return tx.UpdateImportJob(ctx, j)
	}
	if c.last {
		j.State = nipp.ImportDone
		if err := tx.DeleteImportRowsValid(ctx, j.ID); err != nil {
			return err
		}
		if j.Atomic {
			if err := tx.ClearImportRowsUndo(ctx, j.ID, 0); err != nil {
				return err
			}
		}
		if err := a.record(ctx, tx, nipp.ActionImport, "import_job", strconv.FormatInt(j.ID, 10), nil,
			map[string]any{"file": j.FileName, "imported": j.Imported, "updated": j.Updated, "unchanged": j.Unchanged, "rejected": j.RejectedRows}); err != nil {
			return err
		}
	}
	return tx.UpdateImportJob(ctx, j)
}

// writeRows writes a prepared chunk: through the kind's writeChunk, or row
// by row (a row failure does not stop the others; the caller decides).
func (a *App) writeRows(ctx context.Context, tx *store.Tx, j *nipp.ImportJob, c *preparedChunk) ([]rowOutcome, error) {
	rows := make([]preparedRow, len(c.rows))
	copy(rows, c.rows)
	if a.applyRowHook != nil {
		for i := range rows {
			if rows[i].err == nil {
				rows[i].err = a.applyRowHook(rows[i].row)
			}
		}
	}
	if c.kind.writeChunk != nil {
		return c.kind.writeChunk(ctx, tx, j, rows)
	}
	out := make([]rowOutcome, len(rows))
	for i, r := range rows {
		if r.err != nil {
			out[i].err = r.err
			continue
		}
		o := &out[i]
		o.res, o.undo, o.err = c.kind.write(ctx, tx, r.prep)
		if o.err != nil && (!rowFailure(o.err) || j.Atomic && c.kind.undo == nil) {
			return out[:i+1], &rowWriteError{Row: r.row, Err: o.err}
		}
	}
	return out, nil
}

// undoChunk puts back the last applied rows of an atomic job whose row
// j.UndoRow could not be written; after the first row, the job ends
// cancelled, nothing imported.
func (a *App) undoChunk(ctx context.Context, p *nipp.Principal, j *nipp.ImportJob) error {
	return a.db.WriteTx(ctx, func(tx *store.Tx) error {
		cur, err := tx.LockImportJob(ctx, j.ID)
		if err != nil {
			return err
		}
		*j = *cur
		if j.State != nipp.ImportApplying || j.UndoRow == 0 {
			return nil
		}
		kind, err := a.rowsOf(ctx, p, j, nipp.Today(tx.Now()))
		if err != nil {
			return err
		}
		rows, err := tx.FindImportRowsToUndo(ctx, j.ID, applyChunk)
		if err != nil {
			return err
		}
		var undone, kept []int
		for _, r := range rows {
			ok, err := kind.undo(ctx, tx, r.Record)
			if err != nil {
				return err
			}
			if ok {
				undone = append(undone, r.Row)
			} else {
				kept = append(kept, r.Row)
			}
		}
		if len(rows) > 0 {
			if err := tx.ClearImportRowsUndo(ctx, j.ID, rows[len(rows)-1].Row); err != nil {
				return err
			}
			if err := a.record(ctx, tx, nipp.ActionImport, "import_job", strconv.FormatInt(j.ID, 10), nil,
				map[string]any{"file": j.FileName, "undone_rows": undone, "changed_since_rows": kept}); err != nil {
				return err
			}
		}
		if len(rows) < applyChunk {
			j.State, j.Imported, j.Updated, j.Unchanged = nipp.ImportCancelled, 0, 0, 0
			j.Message = nipp.EncodeMsg(nipp.M("err.import.atomic_row_not_written", j.UndoRow))
		}
		return tx.UpdateImportJob(ctx, j)
	})
}

// cancelAtomic ends an atomic job whose row could not be written: nothing
// was imported (the transaction rolled back); the row is rejected with its
// reason.
func (a *App) cancelAtomic(ctx context.Context, j *nipp.ImportJob, rw *rowWriteError) error {
	return a.db.WriteTx(ctx, func(tx *store.Tx) error {
		cur, err := tx.LockImportJob(ctx, j.ID)
		if err != nil {
			return err
		}
		if err := tx.RejectImportRow(ctx, cur.ID, rw.Row, []nipp.RowIssue{writeIssue(cur.Mapping, rw.Err)}); err != nil {
			return err
		}
		cur.RejectedRows++
		cur.State = nipp.ImportCancelled
		cur.Message = nipp.EncodeMsg(nipp.M("err.import.atomic_row_not_written", rw.Row))
		*j = *cur
		return tx.UpdateImportJob(ctx, cur)
	})
}

// failImport marks import job id failed with the reason (its job gave up).
func failImport(ctx context.Context, tx *store.Tx, id int64, cause error) error {
	cur, err := tx.FindImportJobByID(ctx, id)
	if err != nil {
		return err
	}
	cur.State, cur.Message = nipp.ImportFailed, nipp.EncodeMsg(nipp.M("msg.import.failed", nipp.ErrorProblems(cause)[0].Msg))
	return tx.UpdateImportJob(ctx, cur)
}
