package app

import (
	"context"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// VerifyAudit walks the whole hash chain (streamed, in seq order) and
// reports every entry that was altered, removed or reordered. Auditors and
// administrators may run it.
func (a *App) VerifyAudit(ctx context.Context) (*nipp.AuditReport, error) {
	if _, err := authorize(ctx, nipp.PermAuditRead); err != nil {
		return nil, err
	}
	return a.verifyAudit(ctx)
}

// VerifyAuditAsSystem is VerifyAudit for the operator at the command line
// (nipp audit verify).
func (a *App) VerifyAuditAsSystem(ctx context.Context) (*nipp.AuditReport, error) {
	return a.verifyAudit(ctx)
}

func (a *App) verifyAudit(ctx context.Context) (*nipp.AuditReport, error) {
	var rep *nipp.AuditReport
	err := a.db.ReadTx(ctx, func(tx *store.Tx) error {
		seq, hash, err := tx.AuditHead(ctx)
		if err != nil {
			return err
		}
		var v nipp.AuditVerifier
		err = tx.EachAuditEntry(ctx, store.AuditFilter{Ascending: true}, func(e *nipp.AuditEntry) error {
			v.Add(e)
			return nil
		})
		if err != nil {
			return err
		}
		rep = v.Finish(seq, hash)
		return nil
	})
	return rep, err
}

// AuditQuery filters the audit trail. Dates are calendar days in Vietnam
// (UTC+7), both ends included.
type AuditQuery struct {
	Entity   string
	EntityID string
	User     string // e-mail of the acting user
	From, To nipp.Date
	Before   int64 // keyset cursor: entries older than this seq
	Limit    int
}

// vietnam is the time zone audit dates are read in.
var vietnam = time.FixedZone("ICT", 7*3600)

func (q AuditQuery) filter(ctx context.Context, tx *store.Tx) (store.AuditFilter, error) {
	f := store.AuditFilter{Entity: q.Entity, EntityID: q.EntityID, BeforeSeq: q.Before, Limit: q.Limit}
	if q.User != "" {
		email, err := nipp.NormalizeEmail(q.User)
		if err != nil {
			email = q.User // "system" and other recorded actors
		}
		u, err := tx.FindUserByEmail(ctx, email)
		switch nipp.ErrorCode(err) {
		case "":
			f.UserID = u.ID
		case nipp.ENOTFOUND:
			f.Actor = email
		default:
			return f, err
		}
	}
	if !q.From.IsZero() {
		f.From = time.Date(q.From.Year, q.From.Month, q.From.Day, 0, 0, 0, 0, vietnam).UTC()
	}
	if !q.To.IsZero() {
		f.To = time.Date(q.To.Year, q.To.Month, q.To.Day+1, 0, 0, 0, 0, vietnam).UTC()
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return f, nipp.FieldError("to", "err.app.end_date_before_start_date")
	}
	return f, nil
}

// MaxAuditPage bounds one page of the audit trail.
const MaxAuditPage = 200

// AuditEntries returns one page of the audit trail, newest first, and the
// cursor of the next page (0 when there is none).
func (a *App) AuditEntries(ctx context.Context, q AuditQuery) ([]*nipp.AuditEntry, int64, error) {
	if _, err := authorize(ctx, nipp.PermAuditRead); err != nil {
		return nil, 0, err
	}
	if q.Limit <= 0 || q.Limit > MaxAuditPage {
		q.Limit = 50
	}
	want := q.Limit
	q.Limit++ // one more tells whether there is a next page
	var out []*nipp.AuditEntry
	err := a.db.ReadTx(ctx, func(tx *store.Tx) error {
		f, err := q.filter(ctx, tx)
		if err != nil {
			return err
		}
		return tx.EachAuditEntry(ctx, f, func(e *nipp.AuditEntry) error {
			out = append(out, e)
			return nil
		})
	})
	if err != nil {
		return nil, 0, err
	}
	var next int64
	if len(out) > want {
		out = out[:want]
		next = out[want-1].Seq
	}
	if out == nil {
		out = []*nipp.AuditEntry{}
	}
	return out, next, nil
}

// ExportAudit streams every entry matching q (newest first) to fn, for the
// Excel export. q.Before and q.Limit still apply when set.
func (a *App) ExportAudit(ctx context.Context, q AuditQuery, fn func(*nipp.AuditEntry) error) error {
	if _, err := authorize(ctx, nipp.PermAuditRead); err != nil {
		return err
	}
	return a.db.ReadTx(ctx, func(tx *store.Tx) error {
		f, err := q.filter(ctx, tx)
		if err != nil {
			return err
		}
		return tx.EachAuditEntry(ctx, f, fn)
	})
}
