package app

import (
	"context"
	"errors"
	"slices"
	"strings"

	"nipp/internal/address"
	"nipp/internal/nipp"
	"nipp/internal/store"
)

// EstablishmentQuery is a list request: filters by code, a search text and
// the page cursor.
type EstablishmentQuery struct {
	// Province is a province's code or name, of today or before the 2025
	// merger, with or without diacritics ("01", "Hà Nội", "ha noi", "Hà
	// Tây"): the records of today's province it names.
	Province string
	// IncludeOthers adds, for a provincial officer, the published records
	// of other provinces to their own (asked for explicitly; filtering on
	// another province implies it). Others see what they saw.
	IncludeOthers   bool
	Sector          string
	LegalForm       string
	Status          string // "", "all", or a status
	Query           string
	ReviewDuplicate bool
	After           string // encoded cursor
	Limit           int
	// NoTotal leaves EstablishmentPage.Total at 0 (the JSON API pages by
	// cursor and shows no count; counting every match of a common word
	// costs more than the page).
	NoTotal bool
}

// EstablishmentPage is one page of a list.
type EstablishmentPage struct {
	Items []*nipp.Establishment
	Next  string // cursor of the next page, "" at the end
	Total int64  // records matching the query, every page
	// TotalMore: more than Total records match (a text search's matches
	// are counted up to SearchCountCap).
	TotalMore bool
	// Province is the province the filter named (today's), and
	// ProvinceNote the resolver's sentence when a name was typed (an old
	// name says which province it is part of now).
	Province     nipp.Unit
	ProvinceNote nipp.Msg
	// OwnOnly reports that other provinces' published records were left
	// out (a provincial officer's default).
	OwnOnly bool
}

// SearchCountCap is how many matches of a text, sector or legal-form
// filter a list counts at most: they are read one by one (95,000 records
// hold "gom" at national scale), so beyond this the page says "more than".
// Totals without such a filter are exact at any size.
const SearchCountCap = 1000

// setTotal records a count made with SearchCountCap.
func (page *EstablishmentPage) setTotal(n int64) {
	if n > SearchCountCap {
		page.Total, page.TotalMore = SearchCountCap, true
		return
	}
	page.Total, page.TotalMore = n, false
}

// scopeOf returns what p may read: everything, or its provinces plus
// published records (the public: published only).
func scopeOf(ctx context.Context, tx *store.Tx, p *nipp.Principal) (store.Scope, error) {
	if p.AllProvinces() {
		return store.Scope{All: true}, nil
	}
	var s store.Scope
	for _, code := range p.Provinces {
		id, err := tx.ProvinceID(ctx, code, store.Gen2025)
		if err != nil {
			continue
		}
		s.ProvinceIDs = append(s.ProvinceIDs, id)
	}
	return s, nil
}

// canReadEst reports whether p may see e: national roles always, others
// their provinces' records and published ones.
func canReadEst(p *nipp.Principal, e *nipp.Establishment) bool {
	return p.AllProvinces() || e.Published || p.InProvince(e.Province.Code)
}

// canWriteEst reports whether p may change e.
func canWriteEst(p *nipp.Principal, e *nipp.Establishment) bool {
	return p.Can(nipp.PermRegistryWrite) && p.InProvince(e.Province.Code)
}

func errEstNotFound() error {
	return nipp.Errorf(nipp.ENOTFOUND, "err.app.establishment_not_found")
}

// findReadable loads an establishment by public id, hiding what p may not see.
func findReadable(ctx context.Context, tx *store.Tx, p *nipp.Principal, publicID string) (*nipp.Establishment, error) {
	e, err := tx.FindEstablishmentByPublicID(ctx, publicID)
	if err != nil {
		if nipp.ErrorCode(err) == nipp.ENOTFOUND {
			return nil, errEstNotFound()
		}
		return nil, err
	}
	if !canReadEst(p, e) {
		return nil, errEstNotFound()
	}
	return e, nil
}

// findWritable loads an establishment p may change: ENOTFOUND when p may not
// even see it, EFORBIDDEN when p sees it (published) but it is not theirs.
func findWritable(ctx context.Context, tx *store.Tx, p *nipp.Principal, publicID string) (*nipp.Establishment, error) {
	e, err := findReadable(ctx, tx, p, publicID)
	if err != nil {
		return nil, err
	}
	if !canWriteEst(p, e) {
		return nil, nipp.Forbidden()
	}
	return e, nil
}

// RegistryStamp returns the registry's change stamp: while it has not
// moved, nothing a registry list shows has changed (store.Tx.RegistryStamp).
func (a *App) RegistryStamp(ctx context.Context) (int64, error) {
	var s int64
	err := a.readStatement(ctx, func(tx *store.Tx) (err error) { s, err = tx.RegistryStamp(ctx); return err })
	return s, err
}

// Establishments lists establishments within the principal's scope.
func (a *App) Establishments(ctx context.Context, q EstablishmentQuery) (_ *EstablishmentPage, err error) {
	defer nipp.Wrap(&err, "app.Establishments()")
	p, err := authorize(ctx, nipp.PermRegistryRead)
	if err != nil {
		return nil, err
	}
	after, err := store.DecodeCursor(q.After)
	if err != nil {
		return nil, err
	}
	page := &EstablishmentPage{}
	err = a.read(ctx, func(tx *store.Tx) error {
		f, err := a.estFilter(ctx, tx, p, q, page)
		if err != nil {
			return err
		}
		f.After = after
		items, first, next, err := tx.FindEstablishmentsPage(ctx, f)
		if err != nil {
			return err
		}
		page.Items, page.Next = items, next.Encode()
		if q.NoTotal {
			return nil
		}
		if after.IsZero() && next.IsZero() {
			page.setTotal(int64(len(items))) // the first page holds them all
			return nil
		}
		f.CountCap = SearchCountCap
		if after.IsZero() {
			f.CountFrom = first // nothing before the first page's first item matches
		}
		n, err := tx.CountEstablishments(ctx, f)
		page.setTotal(n)
		return err
	})
	return page, err
}

// estFilter turns a query into the store's filter within p's scope, and
// notes on page (when not nil) the province it named and whether other
// provinces' published records were left out.
func (a *App) estFilter(ctx context.Context, tx *store.Tx, p *nipp.Principal, q EstablishmentQuery, page *EstablishmentPage) (store.EstablishmentFilter, error) {
	if page == nil {
		page = &EstablishmentPage{}
	}
	scope, err := scopeOf(ctx, tx, p)
	if err != nil {
		return store.EstablishmentFilter{}, err
	}
	f := store.EstablishmentFilter{Scope: scope, Sector: q.Sector, LegalForm: q.LegalForm, Status: q.Status,
		Query: q.Query, ReviewDuplicate: q.ReviewDuplicate, Limit: q.Limit}
	own := true
	if strings.TrimSpace(q.Province) != "" {
		unit, note, err := a.provinceOf(q.Province)
		if err != nil {
			return f, err
		}
		id, err := tx.ProvinceID(ctx, unit.Code, store.Gen2025)
		if err != nil {
			return f, nipp.FieldError("province", "err.app.no_province", q.Province)
		}
		f.ProvinceID = id
		page.Province, page.ProvinceNote = nipp.Unit{ID: id, Code: unit.Code, Name: unit.Name, Generation: unit.Generation}, note
		own = slices.Contains(scope.ProvinceIDs, id)
	}
	// A provincial officer sees their own provinces' records unless they
	// ask for the others' published ones too (or name another province).
	f.Scope.OwnOnly = !scope.All && len(scope.ProvinceIDs) > 0 && own && !q.IncludeOthers
	page.OwnOnly = f.Scope.OwnOnly
	return f, nil
}

// provinceOf reads a province filter: a code or a name of either
// generation, in any spelling, as today's province. note is the resolver's
// sentence when a name (not a code) was typed.
func (a *App) provinceOf(text string) (unit address.Unit, note nipp.Msg, err error) {
	r, err := a.resolver()
	if err != nil {
		return unit, note, err
	}
	res := r.ResolveProvince(text)
	if res.Status != address.Resolved {
		return unit, note, nipp.FieldError("province", "err.address", nipp.Text(res.Message))
	}
	if t := strings.TrimSpace(text); t != res.Province.Code && t != res.Province.Name {
		note = nipp.M("err.address", nipp.Text(res.Message))
	}
	return res.Province, note, nil
}

// EachEstablishment streams every establishment matching q (ignoring its
// cursor and limit) to fn in pages, for exports. Each page is read in its
// own transaction, so a long export never holds a snapshot open for long.
func (a *App) EachEstablishment(ctx context.Context, q EstablishmentQuery, fn func(*nipp.Establishment) error) (err error) {
	defer nipp.Wrap(&err, "app.EachEstablishment()")
	p, err := authorize(ctx, nipp.PermRegistryRead)
	if err != nil {
		return err
	}
	var after store.Cursor
	for {
		var items []*nipp.Establishment
		var next store.Cursor
		err := a.read(ctx, func(tx *store.Tx) error {
			f, err := a.estFilter(ctx, tx, p, q, nil)
			if err != nil {
				return err
			}
			f.After, f.Limit = after, 2000
			items, next, err = tx.FindEstablishments(ctx, f)
			return err
		})
		if err != nil {
			return err
		}
		for _, e := range items {
			if err := fn(e); err != nil {
				return err
			}
		}
		if next.IsZero() {
			return nil
		}
		after = next
	}
}

// EstablishmentDetail is an establishment with the support it received.
type EstablishmentDetail struct {
	*nipp.Establishment
	Support    []*nipp.Support
	Duplicates []*nipp.Establishment // likely duplicates (same name key, same commune)
	CanEdit    bool
}

// Establishment returns one establishment with every support it received
// that the principal may see.
func (a *App) Establishment(ctx context.Context, publicID string) (_ *EstablishmentDetail, err error) {
	defer nipp.Wrap(&err, "app.Establishment(%q)", publicID)
	p, err := authorize(ctx, nipp.PermRegistryRead)
	if err != nil {
		return nil, err
	}
	var d EstablishmentDetail
	err = a.read(ctx, func(tx *store.Tx) error {
		e, err := findReadable(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		d.Establishment, d.CanEdit = e, canWriteEst(p, e)
		sup, err := tx.FindEstablishmentSupport(ctx, e.ID)
		if err != nil {
			return err
		}
		scope, err := scopeOf(ctx, tx, p)
		if err != nil {
			return err
		}
		for _, s := range sup {
			if scope.All || s.Published || containsAny(scope.ProvinceIDs, s.ProvinceIDs) {
				d.Support = append(d.Support, s)
			}
		}
		if e.Commune != nil {
			dups, err := tx.FindLikelyDuplicates(ctx, e.Commune.ID, e.Name, e.ID)
			if err != nil {
				return err
			}
			for _, x := range dups {
				if canReadEst(p, x) {
					d.Duplicates = append(d.Duplicates, x)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func containsAny(a, b []int64) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// buildRow validates in, resolves its address and returns the row to store.
// The principal must serve the (today's) province it lands in.
func (a *App) buildRow(ctx context.Context, p *nipp.Principal, in nipp.EstablishmentInput, today nipp.Date) (*store.EstablishmentRow, error) {
	in.Normalize()
	if in.RecordedOn.IsZero() {
		in.RecordedOn = today
	}
	// Every problem at once: the form's and the address's.
	verr := in.Validate(today)
	idx, err := a.places(ctx)
	if err != nil {
		return nil, err
	}
	var pl *Place
	var aerr error
	if in.Province != "" {
		pl, aerr = idx.resolve(in.Province, in.Commune, in.RecordedOn, in.CommuneCode)
	}
	if err := nipp.JoinErrors(verr, aerr); err != nil {
		return nil, err
	}
	return rowAt(p, in, today, pl)
}

// rowAt returns the row to store for a validated input whose address
// resolved to pl. The principal must serve pl's (today's) province.
func rowAt(p *nipp.Principal, in nipp.EstablishmentInput, today nipp.Date, pl *Place) (*store.EstablishmentRow, error) {
	in.Normalize()
	if in.RecordedOn.IsZero() {
		in.RecordedOn = today
	}
	if err := in.Validate(today); err != nil {
		return nil, err
	}
	if !p.InProvince(pl.Province.Code) {
		return nil, nipp.FieldError("province", "err.app.you_may_only_record_establishments")
	}
	e := &nipp.Establishment{Name: in.Name, LegalForm: in.LegalForm, TaxCode: in.TaxCode, ExtID: in.ExtID,
		Province: pl.Province, OrigProvince: pl.OrigProvince, Address: in.Address, SectorCode: in.SectorCode,
		CraftVillage: in.CraftVillage, Employees: in.Employees, FoundedYear: in.FoundedYear, ContactName: in.ContactName,
		Phone: in.Phone, Email: in.Email, WomenOwned: in.WomenOwned, EthnicMinorityOwned: in.EthnicMinorityOwned,
		Artisan: in.Artisan, Status: in.Status, Published: in.Published, RecordedOn: in.RecordedOn, RegisteredOn: in.RegisteredOn}
	r := &store.EstablishmentRow{Establishment: e, ProvinceID: pl.Province.ID, OrigProvinceID: pl.OrigProvince.ID, CreatedBy: userRef(p)}
	if pl.Commune != nil {
		u := *pl.Commune
		e.Commune, r.CommuneID = &u, u.ID
	}
	if pl.OrigCommune != nil {
		u := *pl.OrigCommune
		e.OrigCommune, r.OrigCommuneID = &u, u.ID
	}
	return r, nil
}

// checkTaxCode refuses a tax code another record already has, naming that
// record when p may see it and saying only "already registered" otherwise.
func checkTaxCode(ctx context.Context, tx *store.Tx, p *nipp.Principal, taxCode string, selfID int64) error {
	return checkTaxCodeIn(ctx, txLookup{tx}, p, taxCode, selfID)
}

// checkTaxCodeIn is checkTaxCode with the records found by lk.
func checkTaxCodeIn(ctx context.Context, lk estLookup, p *nipp.Principal, taxCode string, selfID int64) error {
	if taxCode == "" {
		return nil
	}
	other, err := lk.byTaxCode(ctx, taxCode)
	if nipp.ErrorCode(err) == nipp.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if other.ID == selfID {
		return nil
	}
	if canReadEst(p, other) {
		return &nipp.Error{Code: nipp.ECONFLICT, Field: "tax_code", Msg: nipp.M("err.app.tax_code_taken", taxCode, other.Name, other.PublicID)}
	}
	return &nipp.Error{Code: nipp.ECONFLICT, Field: "tax_code", Msg: nipp.M("err.app.tax_code_taken_elsewhere", taxCode)}
}

// flagDuplicates sets e's review flag when another record in its commune
// has the same name key and one of them has no tax code.
func flagDuplicates(ctx context.Context, tx *store.Tx, e *nipp.Establishment) error {
	if e.Commune == nil {
		return nil
	}
	dups, err := tx.FindLikelyDuplicates(ctx, e.Commune.ID, e.Name, e.ID)
	if err != nil {
		return err
	}
	flag := false
	for _, d := range dups {
		if e.TaxCode == "" || d.TaxCode == "" {
			flag = true
		}
	}
	if flag != e.ReviewDuplicate {
		e.ReviewDuplicate = flag
		return tx.SetReviewDuplicate(ctx, e.ID, flag)
	}
	return nil
}

// CreateEstablishment registers an establishment.
func (a *App) CreateEstablishment(ctx context.Context, in nipp.EstablishmentInput) (_ *nipp.Establishment, err error) {
	defer nipp.Wrap(&err, "app.CreateEstablishment()")
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	var out *nipp.Establishment
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		r, err := a.buildRow(ctx, p, in, nipp.Today(tx.Now()))
		if err != nil {
			return err
		}
		if err := checkTaxCode(ctx, tx, p, r.TaxCode, 0); err != nil {
			return err
		}
		if err := tx.CreateEstablishment(ctx, r); err != nil {
			return uniqueAsTaxConflict(err)
		}
		if err := flagDuplicates(ctx, tx, r.Establishment); err != nil {
			return err
		}
		out = r.Establishment
		return a.raise(ctx, tx, nipp.EstablishmentCreated{Establishment: out})
	})
	return out, err
}

func uniqueAsTaxConflict(err error) error {
	var e *nipp.Error
	if errors.As(err, &e) && e.Code == nipp.ECONFLICT && e.Field == "" {
		return &nipp.Error{Code: nipp.ECONFLICT, Field: "tax_code", Msg: nipp.M("err.app.tax_code_or_id_taken"), Err: err}
	}
	return err
}

// UpdateEstablishment changes an establishment if in.Version is still its
// version.
func (a *App) UpdateEstablishment(ctx context.Context, publicID string, in nipp.EstablishmentInput) (_ *nipp.Establishment, err error) {
	defer nipp.Wrap(&err, "app.UpdateEstablishment(%q)", publicID)
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	var out *nipp.Establishment
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		cur, err := findWritable(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		if cur.MergedInto != "" {
			return nipp.Errorf(nipp.ECONFLICT, "err.app.establishment_was_merged_into", cur.MergedInto)
		}
		if in.RecordedOn.IsZero() {
			in.RecordedOn = cur.RecordedOn
		}
		r, err := a.buildRow(ctx, p, in, nipp.Today(tx.Now()))
		if err != nil {
			return err
		}
		if err := checkTaxCode(ctx, tx, p, r.TaxCode, cur.ID); err != nil {
			return err
		}
		r.ID, r.PublicID, r.CreatedAt, r.ReviewDuplicate = cur.ID, cur.PublicID, cur.CreatedAt, cur.ReviewDuplicate
		if in.Version == 0 {
			return nipp.FieldError("version", "err.app.record_version_missing")
		}
		if err := tx.UpdateEstablishment(ctx, r, in.Version); err != nil {
			return uniqueAsTaxConflict(err)
		}
		if err := flagDuplicates(ctx, tx, r.Establishment); err != nil {
			return err
		}
		out = r.Establishment
		return a.raise(ctx, tx, nipp.EstablishmentUpdated{Before: cur, After: out})
	})
	return out, err
}

// ArchiveEstablishment sets an establishment's status to archived.
func (a *App) ArchiveEstablishment(ctx context.Context, publicID string, version int) (_ *nipp.Establishment, err error) {
	defer nipp.Wrap(&err, "app.ArchiveEstablishment(%q, %v)", publicID, version)
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	var out *nipp.Establishment
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		cur, err := findWritable(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		r := rowOf(cur)
		r.Status = nipp.EstArchived
		r.ReviewDuplicate = false
		if err := tx.UpdateEstablishment(ctx, r, version); err != nil {
			return err
		}
		out = r.Establishment
		return a.raise(ctx, tx, nipp.EstablishmentUpdated{Before: cur, After: out})
	})
	return out, err
}

// rowOf returns a copy of a stored establishment as a row to write back.
func rowOf(e *nipp.Establishment) *store.EstablishmentRow {
	c := *e
	r := &store.EstablishmentRow{Establishment: &c, ProvinceID: e.Province.ID, OrigProvinceID: e.OrigProvince.ID}
	if e.Commune != nil {
		r.CommuneID = e.Commune.ID
	}
	if e.OrigCommune != nil {
		r.OrigCommuneID = e.OrigCommune.ID
	}
	return r
}

// DismissDuplicate clears the likely-duplicate flag: the officer checked
// and the records are different establishments.
func (a *App) DismissDuplicate(ctx context.Context, publicID string) (err error) {
	defer nipp.Wrap(&err, "app.DismissDuplicate(%q)", publicID)
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return err
	}
	return a.db.WriteTx(ctx, func(tx *store.Tx) error {
		cur, err := findWritable(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		if err := tx.SetReviewDuplicate(ctx, cur.ID, false); err != nil {
			return err
		}
		return a.record(ctx, tx, nipp.ActionUpdate, "establishment", cur.PublicID,
			map[string]bool{"review_duplicate": true}, map[string]bool{"review_duplicate": false})
	})
}

// MergeResult says what a merge moved.
type MergeResult struct {
	Into  *nipp.Establishment `json:"into"`
	From  string              `json:"from"`
	Moved map[string]int64    `json:"moved"`
}

// MergeEstablishments merges the record fromID into intoID: every
// reference (project beneficiaries, later fairs, courses, awards) moves to
// the surviving record, which takes the merged one's tax code if it had
// none; the merged record is archived and points at the survivor. Both
// records' histories stay in the audit trail, with a merge entry.
func (a *App) MergeEstablishments(ctx context.Context, fromID, intoID string) (_ *MergeResult, err error) {
	defer nipp.Wrap(&err, "app.MergeEstablishments(%q, %q)", fromID, intoID)
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	var res MergeResult
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		from, err := findWritable(ctx, tx, p, fromID)
		if err != nil {
			return err
		}
		if fromID == intoID {
			return nipp.FieldError("into", "err.app.cannot_merge_establishment_into_itself")
		}
		into, err := findWritable(ctx, tx, p, intoID)
		if err != nil {
			return err
		}
		if from.MergedInto != "" || into.MergedInto != "" {
			return nipp.Errorf(nipp.ECONFLICT, "err.app.one_establishments_was_already_merged")
		}
		moved, err := tx.MoveEstablishmentRefs(ctx, from.ID, into.ID)
		if err != nil {
			return err
		}
		fr := rowOf(from)
		fr.Status, fr.ReviewDuplicate, fr.MergedInto = nipp.EstArchived, false, into.PublicID
		takeTax := into.TaxCode == "" && from.TaxCode != ""
		if takeTax {
			fr.TaxCode = ""
		}
		if err := tx.UpdateEstablishment(ctx, fr, from.Version); err != nil {
			return err
		}
		ir := rowOf(into)
		if takeTax {
			ir.TaxCode = from.TaxCode
		}
		ir.ReviewDuplicate = false
		if err := tx.UpdateEstablishment(ctx, ir, into.Version); err != nil {
			return err
		}
		res = MergeResult{Into: ir.Establishment, From: from.PublicID, Moved: moved}
		return a.raise(ctx, tx, nipp.EstablishmentUpdated{Before: from, After: fr.Establishment},
			nipp.EstablishmentsMerged{From: from, IntoBefore: into, Into: ir.Establishment, Moved: moved})
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// BeneficiaryCandidates finds, for the beneficiary picker of a project the
// principal may edit, the establishments whose name matches query (folded:
// "gom" finds "gốm"), among the project's provinces and within the
// registry's scope: a provincial officer's own records, and other
// provinces' published ones only with includeOthers; never another
// province's unpublished record. An empty query finds nothing.
func (a *App) BeneficiaryCandidates(ctx context.Context, projectID, query string, includeOthers bool) (_ *EstablishmentPage, err error) {
	defer nipp.Wrap(&err, "app.BeneficiaryCandidates(%q, %v)", projectID, includeOthers)
	p, err := authorize(ctx, nipp.PermProjectWrite)
	if err != nil {
		return nil, err
	}
	if _, err := authorize(ctx, nipp.PermRegistryRead); err != nil {
		return nil, err
	}
	page := &EstablishmentPage{}
	err = a.read(ctx, func(tx *store.Tx) error {
		proj, err := loadProjectForWrite(ctx, tx, p, projectID)
		if err != nil {
			return err
		}
		if len(store.SearchTokens(query)) == 0 {
			return nil
		}
		f, err := a.estFilter(ctx, tx, p, EstablishmentQuery{Query: query, IncludeOthers: includeOthers, Limit: 20}, page)
		if err != nil {
			return err
		}
		for _, code := range proj.Provinces {
			if id, err := tx.ProvinceID(ctx, code, store.Gen2025); err == nil {
				f.InProvinceIDs = append(f.InProvinceIDs, id)
			}
		}
		if len(f.InProvinceIDs) == 0 {
			return nil
		}
		var first store.Cursor
		if page.Items, first, _, err = tx.FindEstablishmentsPage(ctx, f); err != nil {
			return err
		}
		f.CountCap, f.CountFrom = SearchCountCap, first
		n, err := tx.CountEstablishments(ctx, f)
		page.setTotal(n)
		return err
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}
