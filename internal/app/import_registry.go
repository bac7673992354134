package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/vntext"
)

// The registry's row importer: establishments. A chunk's records are found
// with one query per kind of key (public id, file id, tax code; name key in
// the commune), its likely duplicates with the same queries, and its new
// records written in multi-row INSERTs with one audit entry for the chunk.
// A row whose plan no longer holds in the writer (its record changed, its
// tax code was taken meanwhile, or it names a record an earlier row of the
// chunk creates) is planned again in the writer, row by row (applyRow).

// rowsOf returns the row importer of j's kind, acting as p.
func (a *App) rowsOf(ctx context.Context, p *nipp.Principal, j *nipp.ImportJob, today nipp.Date) (rowImporter, error) {
	if j.Kind == ledgerImportKind {
		return a.ledgerRows(p, j, today), nil
	}
	idx, err := a.places(ctx)
	if err != nil {
		return rowImporter{}, err
	}
	asOf := addressDate(j, today)
	// The chunk's lookups, read by preload; without it, one query a row.
	var chunk *chunkLookup
	// What the chunk before this one claims, when this one is prepared
	// before that one is written (follow).
	var prior *chunkClaims
	lookup := func(tx *store.Tx) estLookup {
		if chunk != nil {
			return chunk
		}
		return txLookup{tx}
	}
	return rowImporter{
		parse: func(cells []string) (any, string, []nipp.RowIssue, []nipp.RowIssue) {
			in, issues, notes := parseImportRow(j.Mapping, cells, idx, p, today, asOf)
			return in, importDupKey(in), issues, notes
		},
		check: func(ctx context.Context, tx *store.Tx, rec any) ([]nipp.RowIssue, []nipp.RowIssue, error) {
			return checkRowTarget(ctx, lookup(tx), p, rec.(*importInput), j.Mapping), nil, nil
		},
		decode: func(record string) (any, error) {
			var in importInput
			if err := json.Unmarshal([]byte(record), &in); err != nil {
				return nil, nipp.Internal(err)
			}
			return &in, nil
		},
		preload: func(ctx context.Context, tx *store.Tx, recs []any) error {
			ins := make([]*importInput, len(recs))
			for i, r := range recs {
				ins[i] = r.(*importInput)
			}
			var err error
			chunk, err = loadChunkLookup(ctx, tx, ins)
			if chunk != nil {
				chunk.prior = prior
			}
			return err
		},
		claims: func() any {
			if chunk == nil {
				return nil
			}
			return chunk.claims()
		},
		follow: func(c any) { prior, _ = c.(*chunkClaims) },
		prepare: func(ctx context.Context, tx *store.Tx, rec any) (any, error) {
			pl, err := a.planRow(ctx, lookup(tx), p, rec.(*importInput), today)
			if err != nil || chunk == nil {
				return pl, err
			}
			chunk.claim(pl)
			return pl, nil
		},
		write: func(ctx context.Context, tx *store.Tx, prep any) (string, string, error) {
			return a.writeEst(ctx, tx, p, prep.(*estPlan), today)
		},
		writeChunk: func(ctx context.Context, tx *store.Tx, j *nipp.ImportJob, rows []preparedRow) ([]rowOutcome, error) {
			return a.writeEstChunk(ctx, tx, p, j, rows, today)
		},
		undo: undoEst,
	}, nil
}

// estLookup finds the records import rows name.
type estLookup interface {
	byPublicID(ctx context.Context, id string) (*nipp.Establishment, error)
	byExtID(ctx context.Context, id string) (*nipp.Establishment, error)
	byTaxCode(ctx context.Context, taxCode string) (*nipp.Establishment, error)
	// byNameInCommune: the oldest non-archived record without a tax code
	// whose name has name's duplicate key, in the 2025 commune.
	byNameInCommune(ctx context.Context, communeCode, name string) (*nipp.Establishment, error)
}

// txLookup asks the database, one query a call.
type txLookup struct{ tx *store.Tx }

func (l txLookup) byPublicID(ctx context.Context, id string) (*nipp.Establishment, error) {
	return l.tx.FindEstablishmentByPublicID(ctx, id)
}
func (l txLookup) byExtID(ctx context.Context, id string) (*nipp.Establishment, error) {
	return l.tx.FindEstablishmentByExtID(ctx, id)
}
func (l txLookup) byTaxCode(ctx context.Context, taxCode string) (*nipp.Establishment, error) {
	return l.tx.FindEstablishmentByTaxCode(ctx, taxCode)
}
func (l txLookup) byNameInCommune(ctx context.Context, communeCode, name string) (*nipp.Establishment, error) {
	return l.tx.FindEstablishmentByNameInCommune(ctx, communeCode, name)
}

type namePair struct{ commune, key string }

// chunkLookup answers a chunk's lookups from one query per kind of key,
// and keeps what the chunk's planned rows create, so that rows naming each
// other are planned in the writer, in order.
type chunkLookup struct {
	pub, ext, tax map[string]*nipp.Establishment
	named         map[namePair][]*nipp.Establishment // non-archived records, oldest first
	// What earlier rows of the chunk create or update.
	newKeys map[string]bool                    // "t:", "x:", "p:" keys of created records, "n:" pairs of keyless ones
	newAt   map[namePair][]*nipp.Establishment // created records by (commune, name key)
	targets map[int64]bool
	// What the chunk before claims, when it was not yet written as this
	// one was read (nil otherwise).
	prior *chunkClaims
}

// chunkClaims is what a chunk's planned rows create or update, as the
// chunk after it sees it when it is prepared before this one is written:
// its rows that name the same records are then planned in the writer, and
// its new records are flagged against these as against stored ones. A
// copy, so the chunk's records may be written meanwhile.
type chunkClaims struct {
	keys    map[string]bool
	targets map[int64]bool
	newAt   map[namePair]claimedPair
}

// claimedPair is what a chunk creates at a (commune, name key).
type claimedPair struct{ any, keyless bool }

// claims returns a copy of what l's planned rows claim.
func (l *chunkLookup) claims() *chunkClaims {
	c := &chunkClaims{keys: make(map[string]bool, len(l.newKeys)), targets: make(map[int64]bool, len(l.targets)),
		newAt: make(map[namePair]claimedPair, len(l.newAt))}
	for k := range l.newKeys {
		c.keys[k] = true
	}
	for id := range l.targets {
		c.targets[id] = true
	}
	for pair, list := range l.newAt {
		var cp claimedPair
		for _, e := range list {
			cp.any = true
			if e.TaxCode == "" {
				cp.keyless = true
			}
		}
		c.newAt[pair] = cp
	}
	return c
}

func notFoundEst() error { return store.NotFound("establishment") }

func (l *chunkLookup) get(m map[string]*nipp.Establishment, k string) (*nipp.Establishment, error) {
	if e := m[k]; e != nil {
		return e, nil
	}
	return nil, notFoundEst()
}
func (l *chunkLookup) byPublicID(_ context.Context, id string) (*nipp.Establishment, error) {
	return l.get(l.pub, id)
}
func (l *chunkLookup) byExtID(_ context.Context, id string) (*nipp.Establishment, error) {
	return l.get(l.ext, id)
}
func (l *chunkLookup) byTaxCode(_ context.Context, taxCode string) (*nipp.Establishment, error) {
	return l.get(l.tax, taxCode)
}
func (l *chunkLookup) byNameInCommune(_ context.Context, communeCode, name string) (*nipp.Establishment, error) {
	for _, e := range l.named[namePair{communeCode, vntext.NameKey(name)}] {
		if e.TaxCode == "" {
			return e, nil
		}
	}
	return nil, notFoundEst()
}

// loadChunkLookup reads the records a chunk's rows may name, and their
// likely duplicates, in two queries.
func loadChunkLookup(ctx context.Context, tx *store.Tx, ins []*importInput) (*chunkLookup, error) {
	l := &chunkLookup{pub: map[string]*nipp.Establishment{}, ext: map[string]*nipp.Establishment{}, tax: map[string]*nipp.Establishment{},
		named: map[namePair][]*nipp.Establishment{}, newKeys: map[string]bool{}, newAt: map[namePair][]*nipp.Establishment{}, targets: map[int64]bool{}}
	var pubs, exts, taxes []string
	var pairs []store.CommuneNameKey
	seen := map[string]bool{}
	add := func(list *[]string, prefix, v string) {
		if v != "" && !seen[prefix+v] {
			seen[prefix+v] = true
			*list = append(*list, v)
		}
	}
	for _, in := range ins {
		if strings.HasPrefix(in.ID, "cs-") {
			add(&pubs, "p", in.ID)
		}
		add(&exts, "x", in.ID)
		add(&taxes, "t", in.TaxCode)
		norm := in.EstablishmentInput
		norm.Normalize()
		add(&taxes, "t", norm.TaxCode)
		if in.Place != nil && in.Place.Commune != nil && in.Place.Commune.Code == in.CommuneCode {
			k := store.CommuneNameKey{CommuneID: in.Place.Commune.ID, NameKey: vntext.NameKey(in.Name)}
			if s := "n" + strconv.FormatInt(k.CommuneID, 10) + "|" + k.NameKey; !seen[s] {
				seen[s] = true
				pairs = append(pairs, k)
			}
		} else if in.CommuneCode != "" {
			return nil, nil // a row without its resolved units (staged by an older version): one query a row
		}
	}
	found, err := tx.FindEstablishmentsByKeys(ctx, pubs, exts, taxes)
	if err != nil {
		return nil, err
	}
	for _, e := range found {
		l.pub[e.PublicID] = e
		if e.ExtID != "" {
			l.ext[e.ExtID] = e
		}
		if e.TaxCode != "" {
			l.tax[e.TaxCode] = e
		}
	}
	named, err := tx.FindEstablishmentsByNameKeys(ctx, pairs)
	if err != nil {
		return nil, err
	}
	for _, e := range named {
		if e.Commune != nil {
			k := namePair{e.Commune.Code, vntext.NameKey(e.Name)}
			l.named[k] = append(l.named[k], e)
		}
	}
	return l, nil
}

// claim notes what a planned row creates or updates. A row that names a
// record an earlier row of the chunk creates or updates (by tax code, id,
// or name in the commune for a keyless row) is marked to be planned again
// in the writer, after the earlier one is written. A new record's
// likely-duplicate flag is set from the stored records and the chunk's
// earlier new ones of the same name key in the commune, as flagDuplicates
// would.
func (l *chunkLookup) claim(pl *estPlan) {
	in := &pl.In
	if pl.Target != nil {
		if l.targets[pl.Target.ID] || l.prior != nil && l.prior.targets[pl.Target.ID] {
			pl.Slow = true
		}
		l.targets[pl.Target.ID] = true
		return
	}
	r := pl.Row
	var ks []string
	for _, t := range []string{in.TaxCode, r.TaxCode} {
		if t != "" {
			ks = append(ks, "t:"+t)
		}
	}
	if in.ID != "" {
		ks = append(ks, "x:"+in.ID)
	}
	if r.ExtID != "" {
		ks = append(ks, "x:"+r.ExtID)
	}
	if r.PublicID != "" {
		ks = append(ks, "p:"+r.PublicID)
	}
	var pair namePair
	if in.CommuneCode != "" {
		pair = namePair{in.CommuneCode, vntext.NameKey(in.Name)}
		if in.TaxCode == "" {
			ks = append(ks, "n:"+pair.commune+"|"+pair.key)
		}
	}
	for _, k := range ks {
		if l.newKeys[k] || l.prior != nil && l.prior.keys[k] {
			pl.Slow = true
		}
	}
	for _, k := range ks {
		l.newKeys[k] = true
	}
	if pl.Slow || r.Commune == nil || pair.commune == "" {
		return
	}
	flag := false
	for _, list := range [][]*nipp.Establishment{l.named[pair], l.newAt[pair]} {
		for _, d := range list {
			if r.TaxCode == "" || d.TaxCode == "" {
				flag = true
			}
		}
	}
	if l.prior != nil {
		if cp := l.prior.newAt[pair]; cp.keyless || cp.any && r.TaxCode == "" {
			flag = true
		}
	}
	r.ReviewDuplicate, pl.Flagged = flag, true
	l.newAt[pair] = append(l.newAt[pair], r.Establishment)
}

// findImportTarget returns the stored record a row updates: by the file's id
// column (nipp's public id, or the province's own id), then by tax code,
// then (rows with neither) by the same name key in the same commune among
// records without a tax code; ENOTFOUND when the row is new.
func findImportTarget(ctx context.Context, lk estLookup, in *importInput) (*nipp.Establishment, error) {
	if in.ID != "" {
		if strings.HasPrefix(in.ID, "cs-") {
			if e, err := lk.byPublicID(ctx, in.ID); err == nil || nipp.ErrorCode(err) != nipp.ENOTFOUND {
				return e, err
			}
		}
		if e, err := lk.byExtID(ctx, in.ID); err == nil || nipp.ErrorCode(err) != nipp.ENOTFOUND {
			return e, err
		}
	}
	if in.TaxCode != "" {
		return lk.byTaxCode(ctx, in.TaxCode)
	}
	if in.CommuneCode != "" {
		// No key in the file: the same name in the same commune is the same
		// establishment (so a re-import changes nothing).
		return lk.byNameInCommune(ctx, in.CommuneCode, in.Name)
	}
	return nil, notFoundEst()
}

// checkRowTarget reports a row that would change a record the principal
// may not change, or reuse another record's tax code.
func checkRowTarget(ctx context.Context, lk estLookup, p *nipp.Principal, in *importInput, mapping []string) []nipp.RowIssue {
	target, err := findImportTarget(ctx, lk, in)
	if err != nil && nipp.ErrorCode(err) != nipp.ENOTFOUND {
		return []nipp.RowIssue{{Msg: nipp.ErrorProblems(err)[0].Msg}}
	}
	if target != nil && !canWriteEst(p, target) {
		return []nipp.RowIssue{{Col: colOf(mapping, "id") + 1, Field: "id", Msg: nipp.M("err.import.other_province_record")}}
	}
	selfID := int64(0)
	if target != nil {
		selfID = target.ID
	}
	if err := checkTaxCodeIn(ctx, lk, p, in.TaxCode, selfID); err != nil {
		var ne *nipp.Error
		errors.As(err, &ne)
		return []nipp.RowIssue{{Col: colOf(mapping, "tax_code") + 1, Field: "tax_code", Msg: ne.Msg}}
	}
	return nil
}

// estPlan is a registry row made ready to write: the record it changes
// (nil: a new one) and the row to store (nil: the record is unchanged).
type estPlan struct {
	In     importInput
	Target *nipp.Establishment
	Row    *store.EstablishmentRow
	// Slow: plan it again in the writer (it names what an earlier row of
	// its chunk writes, or its record changed since).
	Slow bool
	// Flagged: Row's likely-duplicate flag is already set.
	Flagged bool
}

// planRow decides, with reads only, what a checked row does: create a
// record, update the one it names, or leave it unchanged. The row's
// address is the units it resolved to when checked (in.Place), not
// resolved again.
func (a *App) planRow(ctx context.Context, lk estLookup, p *nipp.Principal, in *importInput, today nipp.Date) (*estPlan, error) {
	target, err := findImportTarget(ctx, lk, in)
	if err != nil && nipp.ErrorCode(err) != nipp.ENOTFOUND {
		return nil, err
	}
	pl := &estPlan{In: *in, Target: target}
	if target != nil && !strings.HasPrefix(in.ID, "cs-") {
		in.ExtID = in.ID
	} else if target == nil && in.ID != "" && !strings.HasPrefix(in.ID, "cs-") {
		in.ExtID = in.ID
	}
	if target != nil && in.ExtID == "" {
		in.ExtID = target.ExtID
	}
	var r *store.EstablishmentRow
	if in.Place != nil {
		r, err = rowAt(p, in.EstablishmentInput, today, in.Place.place())
	} else {
		r, err = a.buildRow(ctx, p, in.EstablishmentInput, today)
	}
	if err != nil {
		return nil, err
	}
	if target == nil {
		if err := checkTaxCodeIn(ctx, lk, p, r.TaxCode, 0); err != nil {
			return nil, err
		}
		if strings.HasPrefix(in.ID, "cs-") {
			r.PublicID = in.ID
		}
		pl.Row = r
		return pl, nil
	}
	if !canWriteEst(p, target) {
		return nil, nipp.Forbidden()
	}
	if r.RegisteredOn.IsZero() {
		r.RegisteredOn = target.RegisteredOn // an empty or missing cell does not erase it
	}
	r.ID, r.PublicID, r.CreatedAt, r.ReviewDuplicate, r.MergedInto = target.ID, target.PublicID, target.CreatedAt, target.ReviewDuplicate, target.MergedInto
	r.Version = target.Version
	bj, err := jsonOrEmpty(nipp.EstablishmentAuditView(target))
	if err != nil {
		return nil, err
	}
	aj, err := jsonOrEmpty(nipp.EstablishmentAuditView(r.Establishment))
	if err != nil {
		return nil, err
	}
	if bj == aj {
		return pl, nil // unchanged
	}
	if err := checkTaxCodeIn(ctx, lk, p, r.TaxCode, target.ID); err != nil {
		return nil, err
	}
	pl.Row = r
	return pl, nil
}

// estUndo is what putting back a written registry row needs: the record
// and the version the import left it at, and (for an update) the record
// before with its units' ids.
type estUndo struct {
	ID      int64               `json:"id"`
	Version int                 `json:"version"`
	Before  *nipp.Establishment `json:"before,omitempty"`
	Units   [4]int64            `json:"units,omitzero"` // province, orig province, commune, orig commune
}

func (u *estUndo) encode() (string, error) {
	if u == nil {
		return "", nil
	}
	b, err := json.Marshal(u)
	if err != nil {
		return "", nipp.Internal(err)
	}
	return string(b), nil
}

// writePlanned writes a planned row.
func (a *App) writePlanned(ctx context.Context, tx *store.Tx, pl *estPlan) (string, *estUndo, error) {
	r := pl.Row
	switch {
	case r == nil:
		return "unchanged", nil, nil
	case pl.Target == nil:
		if err := tx.CreateEstablishment(ctx, r); err != nil {
			return "", nil, uniqueAsTaxConflict(err)
		}
		if !pl.Flagged {
			if err := flagDuplicates(ctx, tx, r.Establishment); err != nil {
				return "", nil, err
			}
		}
		return "imported", &estUndo{ID: r.ID, Version: r.Version}, a.raise(ctx, tx, nipp.EstablishmentCreated{Establishment: r.Establishment})
	}
	t := pl.Target
	if err := tx.UpdateEstablishment(ctx, r, t.Version); err != nil {
		return "", nil, uniqueAsTaxConflict(err)
	}
	u := &estUndo{ID: r.ID, Version: r.Version, Before: t, Units: [4]int64{t.Province.ID, t.OrigProvince.ID}}
	if t.Commune != nil {
		u.Units[2] = t.Commune.ID
	}
	if t.OrigCommune != nil {
		u.Units[3] = t.OrigCommune.ID
	}
	return "updated", u, a.raise(ctx, tx, nipp.EstablishmentUpdated{Before: t, After: r.Establishment})
}

// writeEst writes a row planned outside the writer. What may have changed
// since is checked here: the target's version (an unchanged row stays
// unchanged only if its record did), and the tax code and ids through the
// unique indexes. A row whose record changed, or whose tax code another
// record took meanwhile, is planned again here and written (applyRow).
func (a *App) writeEst(ctx context.Context, tx *store.Tx, p *nipp.Principal, pl *estPlan, today nipp.Date) (string, string, error) {
	var res string
	var u *estUndo
	var err error
	switch {
	case pl.Slow:
	case pl.Row == nil:
		var v int
		if v, err = tx.EstablishmentVersion(ctx, pl.Target.ID); err == nil && v == pl.Target.Version {
			return "unchanged", "", nil
		}
	default:
		err = tx.Savepoint(ctx, func() error {
			var err error
			res, u, err = a.writePlanned(ctx, tx, pl)
			return err
		})
		if err == nil {
			s, err := u.encode()
			return res, s, err
		}
	}
	if err != nil && nipp.ErrorCode(err) != nipp.ECONFLICT && nipp.ErrorCode(err) != nipp.ENOTFOUND {
		return "", "", err
	}
	in := pl.In
	if res, u, err = a.applyRow(ctx, tx, p, &in, today); err != nil {
		return "", "", err
	}
	s, err := u.encode()
	return res, s, err
}

// writeEstChunk writes a prepared chunk: the versions of the records it
// updates checked in one query, its new records in multi-row INSERTs with
// one audit entry, then the updates and the rows planned again, in row
// order.
func (a *App) writeEstChunk(ctx context.Context, tx *store.Tx, p *nipp.Principal, j *nipp.ImportJob, rows []preparedRow, today nipp.Date) ([]rowOutcome, error) {
	out := make([]rowOutcome, len(rows))
	var ids []int64
	for _, r := range rows {
		if pl, ok := r.prep.(*estPlan); ok && r.err == nil && pl.Target != nil && !pl.Slow {
			ids = append(ids, pl.Target.ID)
		}
	}
	vers, err := tx.EstablishmentVersions(ctx, ids)
	if err != nil {
		return nil, err
	}
	var creates []int
	for i, r := range rows {
		if r.err != nil {
			out[i].err = r.err
			continue
		}
		pl := r.prep.(*estPlan)
		switch {
		case pl.Slow:
		case pl.Target != nil && vers[pl.Target.ID] != pl.Target.Version:
			pl.Slow = true // changed since it was planned
		case pl.Target != nil && pl.Row == nil:
			out[i].res = "unchanged"
		case pl.Target == nil && pl.Flagged:
			creates = append(creates, i)
		}
	}
	if len(creates) > 0 {
		rs := make([]*store.EstablishmentRow, len(creates))
		for k, i := range creates {
			rs[k] = rows[i].prep.(*estPlan).Row
		}
		err := tx.Savepoint(ctx, func() error { return tx.CreateEstablishments(ctx, rs) })
		switch {
		case nipp.ErrorCode(err) == nipp.ECONFLICT:
			// A tax code or id taken meanwhile: row by row.
			for _, i := range creates {
				pl := rows[i].prep.(*estPlan)
				pl.Slow, pl.Row.ID, pl.Row.PublicID = true, 0, ""
			}
		case err != nil:
			return nil, err
		default:
			ev := nipp.EstablishmentsImported{Job: j.ID, File: j.FileName}
			h := sha256.New()
			for k, i := range creates {
				e := rs[k].Establishment
				ev.Records = append(ev.Records, nipp.ImportedRecord{Row: rows[i].row, ID: e.PublicID})
				b, err := json.Marshal(nipp.EstablishmentAuditView(e))
				if err != nil {
					return nil, nipp.Internal(err)
				}
				h.Write(b)
				h.Write([]byte{'\n'})
				out[i].res = "imported"
				if out[i].undo, err = (&estUndo{ID: e.ID, Version: e.Version}).encode(); err != nil {
					return nil, err
				}
			}
			ev.Digest = hex.EncodeToString(h.Sum(nil))
			if err := a.raise(ctx, tx, ev); err != nil {
				return nil, err
			}
		}
	}
	for i, r := range rows {
		if r.err != nil || out[i].res != "" {
			continue
		}
		o := &out[i]
		o.res, o.undo, o.err = a.writeEst(ctx, tx, p, r.prep.(*estPlan), today)
		if o.err != nil && !rowFailure(o.err) {
			return out[:i+1], &rowWriteError{Row: r.row, Err: o.err}
		}
	}
	return out, nil
}

// undoEst puts back a written registry row: a record it created is
// deleted, a record it updated gets its former values back; false when the
// record was changed since (by someone else), which is then left as it is.
func undoEst(ctx context.Context, tx *store.Tx, undo string) (bool, error) {
	var u estUndo
	if err := json.Unmarshal([]byte(undo), &u); err != nil {
		return false, nipp.Internal(err)
	}
	var ok bool
	err := tx.Savepoint(ctx, func() error {
		var err error
		if u.Before == nil {
			ok, err = tx.DeleteEstablishmentAt(ctx, u.ID, u.Version)
			return err
		}
		b := u.Before
		b.ID, b.Province.ID, b.OrigProvince.ID = u.ID, u.Units[0], u.Units[1]
		r := &store.EstablishmentRow{Establishment: b, ProvinceID: u.Units[0], OrigProvinceID: u.Units[1], CommuneID: u.Units[2], OrigCommuneID: u.Units[3]}
		if b.Commune != nil {
			b.Commune.ID = u.Units[2]
		}
		if b.OrigCommune != nil {
			b.OrigCommune.ID = u.Units[3]
		}
		err = tx.UpdateEstablishment(ctx, r, u.Version)
		ok = err == nil
		return err
	})
	if c := nipp.ErrorCode(err); c == nipp.ECONFLICT || c == nipp.EINVALID {
		return false, nil // changed since, or referenced since: left as it is
	}
	return ok, err
}

// applyRow writes one checked row inside a savepoint, planning it in the
// writer, so that a failing row leaves the chunk's transaction usable. A
// conflict (another import or edit stored the same tax code or record
// meanwhile: PostgreSQL raises the unique violation once the other
// transaction commits) is retried once, reading the record again, so the
// row takes the update path and is usually "unchanged".
func (a *App) applyRow(ctx context.Context, tx *store.Tx, p *nipp.Principal, in *importInput, today nipp.Date) (string, *estUndo, error) {
	var res string
	var u *estUndo
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		cp := *in
		err = tx.Savepoint(ctx, func() error {
			pl, err := a.planRow(ctx, txLookup{tx}, p, &cp, today)
			if err != nil {
				return err
			}
			res, u, err = a.writePlanned(ctx, tx, pl)
			return err
		})
		if nipp.ErrorCode(err) != nipp.ECONFLICT {
			break
		}
	}
	return res, u, err
}
