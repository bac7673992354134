package app

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// VerifyAudit walks the whole hash chain (streamed, in seq order) and
// reports every entry that was altered, removed or reordered. Auditors and
// administrators may run it.
func (a *App) VerifyAudit(ctx context.Context) (_ *nipp.AuditReport, err error) {
	defer nipp.Wrap(&err, "app.VerifyAudit()")
	if _, err := authorize(ctx, nipp.PermAuditRead); err != nil {
		return nil, err
	}
	return a.verifyAudit(ctx, nil)
}

// VerifyAuditAsSystem is VerifyAudit for the operator at the command line
// (nipp audit verify [--checkpoints FILE]); the chain must also reach every
// checkpoint given (as kept outside nipp).
func (a *App) VerifyAuditAsSystem(ctx context.Context, checkpoints []nipp.AuditCheckpoint) (_ *nipp.AuditReport, err error) {
	defer nipp.Wrap(&err, "app.VerifyAuditAsSystem()")
	return a.verifyAudit(ctx, checkpoints)
}

// verifyAudit checks the chain, and that it reaches every checkpoint, the
// stored ones and those given. Stored checkpoints catch a careless
// truncation only; one that also deletes them is caught by checkpoints
// kept outside the database.
func (a *App) verifyAudit(ctx context.Context, checkpoints []nipp.AuditCheckpoint) (*nipp.AuditReport, error) {
	var rep *nipp.AuditReport
	err := a.read(ctx, func(tx *store.Tx) error {
		seq, hash, err := tx.AuditHead(ctx)
		if err != nil {
			return err
		}
		var v nipp.AuditVerifier
		v.Expect(checkpoints)
		var stored []nipp.AuditCheckpoint
		if err := tx.EachAuditCheckpoint(ctx, store.CheckpointFilter{Ascending: true}, func(c *nipp.AuditCheckpoint) error {
			stored = append(stored, *c)
			return nil
		}); err != nil {
			return err
		}
		v.Expect(stored)
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
func (a *App) AuditEntries(ctx context.Context, q AuditQuery) (_ []*nipp.AuditEntry, _ int64, err error) {
	defer nipp.Wrap(&err, "app.AuditEntries()")
	if _, err := authorize(ctx, nipp.PermAuditRead); err != nil {
		return nil, 0, err
	}
	if q.Limit <= 0 || q.Limit > MaxAuditPage {
		q.Limit = 50
	}
	want := q.Limit
	q.Limit++ // one more tells whether there is a next page
	var out []*nipp.AuditEntry
	err = a.read(ctx, func(tx *store.Tx) error {
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

// AuditNames names the people and records a page of entries refers to.
type AuditNames struct {
	Users   map[int64]nipp.AuditName             // the acting users, by id
	Records map[string]map[string]nipp.AuditName // entity -> entity id -> name
	// Values names the codes and ids the entries' before and after values
	// hold, by kind (auditValueKinds: organisations, provinces, communes,
	// establishments, projects, programs).
	Values map[string]map[string]nipp.AuditName
}

// Record returns the name of an entry's record (zero when unknown).
func (n AuditNames) Record(entity, id string) nipp.AuditName { return n.Records[entity][id] }

// Value returns the name of a code of a kind found in a value (zero when
// unknown).
func (n AuditNames) Value(kind, code string) nipp.AuditName { return n.Values[kind][code] }

// AuditValueKind is the kind of record a field of an audited value names
// ("" for a field that names none): the web layer shows those by name.
func AuditValueKind(field string) string { return auditValueKinds[field] }

// auditValueKinds: fields of audited values that hold a record's code or
// public id, and the kind of record (an AuditNames query).
var auditValueKinds = map[string]string{
	"implementing_org": "organization",
	"province":         "province", "provinces": "province",
	"orig_province": "province_2008",
	"commune":       "commune",
	"orig_commune":  "commune_2008",
	"establishment": "establishment", "merged_into": "establishment", "merged": "establishment",
	"project": "project",
	"program": "program",
}

// valueCodes collects, from a before/after JSON value, the codes of the
// fields in auditValueKinds (at any depth) into codes[kind].
func valueCodes(js string, codes map[string]map[string]bool) {
	if js == "" {
		return
	}
	var v any
	if json.Unmarshal([]byte(js), &v) != nil {
		return
	}
	var walk func(field string, v any)
	walk = func(field string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(k, e)
			}
		case []any:
			for _, e := range x {
				walk(field, e)
			}
		case string:
			if kind := auditValueKinds[field]; kind != "" && x != "" {
				if codes[kind] == nil {
					codes[kind] = map[string]bool{}
				}
				codes[kind][x] = true
			}
		}
	}
	walk("", v)
}

// NameAudit looks up, with one query per entity, who acted and which
// record each entry is about. Only auditors and administrators (who see
// every province) read the audit trail, so names reveal nothing more.
func (a *App) NameAudit(ctx context.Context, entries []*nipp.AuditEntry) (_ AuditNames, err error) {
	defer nipp.Wrap(&err, "app.NameAudit()")
	if _, err := authorize(ctx, nipp.PermAuditRead); err != nil {
		return AuditNames{}, err
	}
	var n AuditNames
	err = a.read(ctx, func(tx *store.Tx) (err error) { n, err = nameAudit(ctx, tx, entries); return err })
	return n, err
}

// ExportAuditNamed streams every entry matching q (newest first) to fn in
// chunks of up to size entries, each with its names, in one read
// transaction (the readable Excel export).
func (a *App) ExportAuditNamed(ctx context.Context, q AuditQuery, size int, fn func([]*nipp.AuditEntry, AuditNames) error) (err error) {
	defer nipp.Wrap(&err, "app.ExportAuditNamed(%v)", size)
	if _, err := authorize(ctx, nipp.PermAuditRead); err != nil {
		return err
	}
	return a.read(ctx, func(tx *store.Tx) error {
		f, err := q.filter(ctx, tx)
		if err != nil {
			return err
		}
		var chunk []*nipp.AuditEntry
		flush := func() error {
			n, err := nameAudit(ctx, tx, chunk)
			if err != nil {
				return err
			}
			err = fn(chunk, n)
			chunk = chunk[:0]
			return err
		}
		// Entries are read first, then named: one statement at a time on
		// the transaction's connection.
		var all []*nipp.AuditEntry
		for {
			all = all[:0]
			f.Limit = size
			if err := tx.EachAuditEntry(ctx, f, func(e *nipp.AuditEntry) error { all = append(all, e); return nil }); err != nil {
				return err
			}
			if len(all) == 0 {
				return nil
			}
			chunk = append(chunk, all...)
			if err := flush(); err != nil {
				return err
			}
			if len(all) < size {
				return nil
			}
			f.BeforeSeq = all[len(all)-1].Seq
		}
	})
}

func nameAudit(ctx context.Context, tx *store.Tx, entries []*nipp.AuditEntry) (AuditNames, error) {
	n := AuditNames{Users: map[int64]nipp.AuditName{}, Records: map[string]map[string]nipp.AuditName{}, Values: map[string]map[string]nipp.AuditName{}}
	if len(entries) == 0 {
		return n, nil
	}
	users := map[string]bool{}
	ids := map[string][]string{}
	codes := map[string]map[string]bool{}
	for _, e := range entries {
		valueCodes(e.Before, codes)
		valueCodes(e.After, codes)
		if e.UserID != 0 {
			users[strconv.FormatInt(e.UserID, 10)] = true
		}
		if !slices.Contains(ids[e.Entity], e.EntityID) {
			ids[e.Entity] = append(ids[e.Entity], e.EntityID)
		}
	}
	names, err := tx.AuditNames(ctx, "user", slices.Sorted(maps.Keys(users)))
	if err != nil {
		return n, err
	}
	for id, name := range names {
		uid, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return n, nipp.Internal(err)
		}
		n.Users[uid] = name
	}
	for entity, list := range ids {
		if n.Records[entity], err = tx.AuditNames(ctx, entity, list); err != nil {
			return n, err
		}
	}
	for kind, set := range codes {
		if n.Values[kind], err = tx.AuditNames(ctx, kind, slices.Sorted(maps.Keys(set))); err != nil {
			return n, err
		}
	}
	return n, nil
}
