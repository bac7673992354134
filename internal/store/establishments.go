package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/vntext"
)

// Scope limits what a list or lookup may return: everything (All), or the
// records of some provinces (2025 ids) plus published ones. The zero Scope
// is the public's: published records only.
type Scope struct {
	All         bool
	ProvinceIDs []int64
	// OwnOnly leaves out the published records of other provinces: only
	// ProvinceIDs' records (a provincial officer's default registry view).
	// It has no effect without ProvinceIDs.
	OwnOnly bool
}

// EstablishmentFilter selects establishments. Zero fields do not filter.
type EstablishmentFilter struct {
	Scope      Scope
	ProvinceID int64  // today's province
	Sector     string // sector code
	LegalForm  string
	// Status: "" means every status but archived; "all" means every status.
	Status string
	// Query is free text; the store folds it and every word must occur in
	// the folded name (diacritic-, case- and Unicode-form-insensitive).
	Query string
	// ReviewDuplicate lists only the records flagged as likely duplicates.
	ReviewDuplicate bool
	// InProvinceIDs, when set, keeps the records of these provinces (today's
	// ids) only, within the scope (the beneficiary picker: a project's
	// provinces).
	InProvinceIDs []int64
	// After is the cursor of the last record of the previous page.
	After Cursor
	// Limit is the page size (default 50, at most 10000).
	Limit int
	// CountCap, when > 0, lets CountEstablishments stop counting matches
	// read one by one (a text, sector or legal-form filter) after
	// CountCap+1 of them.
	CountCap int
	// CountFrom, when not zero, is the first record the filter selects (the
	// first page's first item, FindEstablishmentsPage's first): no record
	// before it matches, so a capped count that walks the name order
	// starts there instead of at the start of the order.
	CountFrom Cursor
}

// Cursor is a position in the establishments' order (name_fold, id).
type Cursor struct {
	NameFold string
	ID       int64
}

// IsZero reports whether c is the start of the list.
func (c Cursor) IsZero() bool { return c.ID == 0 }

// Encode returns c as an opaque URL-safe string.
func (c Cursor) Encode() string {
	if c.IsZero() {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.ID, 10) + ":" + c.NameFold))
}

// DecodeCursor parses an encoded cursor; "" is the start.
func DecodeCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		id, fold, ok := strings.Cut(string(b), ":")
		if n, perr := strconv.ParseInt(id, 10, 64); ok && perr == nil && n > 0 {
			return Cursor{NameFold: fold, ID: n}, nil
		}
	}
	return Cursor{}, nipp.FieldError("after", "err.store.invalid_page_cursor")
}

// estSelect reads establishments with their units and the public id of
// the record merged into. That one is a subquery, not a join: with a join,
// a PostgreSQL plan that expects many rows (an import chunk's 700 name
// keys, estimated at 172,000 matches) hashes the whole registry to find
// the few merged records (a sequential scan of 1,450,000 rows a chunk);
// a subquery reads the primary key for each row returned.
const estSelect = `SELECT e.id, e.public_id, e.name, e.legal_form, COALESCE(e.tax_code, ''), COALESCE(e.ext_id, ''),
	p.id, p.code, p.name_vi, p.generation, op.id, op.code, op.name_vi, op.generation,
	c.id, COALESCE(c.code, ''), COALESCE(c.name_vi, ''), COALESCE(c.generation, 0), COALESCE(c.unit_type, ''),
	oc.id, COALESCE(oc.code, ''), COALESCE(oc.name_vi, ''), COALESCE(oc.generation, 0), COALESCE(oc.unit_type, ''),
	e.address, e.sector_code, e.craft_village, e.employees, e.founded_year, e.contact_name, e.phone, e.email,
	e.women_owned, e.ethnic_minority_owned, e.artisan, e.status, e.published, e.recorded_on, e.review_duplicate,
	COALESCE((SELECT m.public_id FROM establishments m WHERE m.id = e.merged_into_id), ''), e.version, e.created_at, e.updated_at, e.name_fold, e.registered_on
FROM establishments e
JOIN admin_units p ON p.id = e.province_id
JOIN admin_units op ON op.id = e.orig_province_id
LEFT JOIN admin_units c ON c.id = e.commune_id
LEFT JOIN admin_units oc ON oc.id = e.orig_commune_id`

func scanEstablishment(sc interface{ Scan(...any) error }) (*nipp.Establishment, string, error) {
	e := &nipp.Establishment{}
	var cid, ocid sql.NullInt64
	var c, oc nipp.Unit
	var emp, founded sql.NullInt64
	var fold string
	err := sc.Scan(&e.ID, &e.PublicID, &e.Name, &e.LegalForm, &e.TaxCode, &e.ExtID,
		&e.Province.ID, &e.Province.Code, &e.Province.Name, &e.Province.Generation,
		&e.OrigProvince.ID, &e.OrigProvince.Code, &e.OrigProvince.Name, &e.OrigProvince.Generation,
		&cid, &c.Code, &c.Name, &c.Generation, &c.Type, &ocid, &oc.Code, &oc.Name, &oc.Generation, &oc.Type,
		&e.Address, &e.SectorCode, &e.CraftVillage, &emp, &founded, &e.ContactName, &e.Phone, &e.Email,
		&e.WomenOwned, &e.EthnicMinorityOwned, &e.Artisan, &e.Status, &e.Published, &e.RecordedOn, &e.ReviewDuplicate,
		&e.MergedInto, &e.Version, &e.CreatedAt, &e.UpdatedAt, &fold, &e.RegisteredOn)
	if err != nil {
		return nil, "", err
	}
	if cid.Valid {
		c.ID = cid.Int64
		e.Commune = &c
	}
	if ocid.Valid {
		oc.ID = ocid.Int64
		e.OrigCommune = &oc
	}
	if emp.Valid {
		e.Employees = &emp.Int64
	}
	if founded.Valid {
		e.FoundedYear = &founded.Int64
	}
	return e, fold, nil
}

func (tx *Tx) findEstablishment(ctx context.Context, where string, arg any) (*nipp.Establishment, error) {
	e, _, err := scanEstablishment(tx.QueryRow(ctx, estSelect+` WHERE `+where, arg))
	if err != nil {
		return nil, notFoundOr(err, "establishment")
	}
	return e, nil
}

// FindEstablishmentByID returns the establishment with the given id.
func (tx *Tx) FindEstablishmentByID(ctx context.Context, id int64) (_ *nipp.Establishment, err error) {
	defer nipp.Wrap(&err, "store.FindEstablishmentByID(%v)", id)
	return tx.findEstablishment(ctx, `e.id = $1`, id)
}

// FindEstablishmentByPublicID returns the establishment with the given public id.
func (tx *Tx) FindEstablishmentByPublicID(ctx context.Context, publicID string) (_ *nipp.Establishment, err error) {
	defer nipp.Wrap(&err, "store.FindEstablishmentByPublicID(%q)", publicID)
	return tx.findEstablishment(ctx, `e.public_id = $1`, publicID)
}

// FindEstablishmentByTaxCode returns the establishment with the given
// (canonical) tax code.
func (tx *Tx) FindEstablishmentByTaxCode(ctx context.Context, taxCode string) (_ *nipp.Establishment, err error) {
	defer nipp.Wrap(&err, "store.FindEstablishmentByTaxCode(%q)", taxCode)
	return tx.findEstablishment(ctx, `e.tax_code = $1`, taxCode)
}

// FindEstablishmentByExtID returns the establishment imported with the given
// source-file id.
func (tx *Tx) FindEstablishmentByExtID(ctx context.Context, extID string) (_ *nipp.Establishment, err error) {
	defer nipp.Wrap(&err, "store.FindEstablishmentByExtID(%q)", extID)
	return tx.findEstablishment(ctx, `e.ext_id = $1`, extID)
}

// scopeSQL appends the scope condition to where as one condition (the
// count; the list takes the union of two index walks instead, see
// FindEstablishments).
func scopeSQL(s Scope, where []string, args []any) ([]string, []any) {
	if s.All {
		return where, args
	}
	if len(s.ProvinceIDs) == 0 {
		return append(where, `e.published = $`+strconv.Itoa(len(args)+1)), append(args, true)
	}
	in := inSQL(s.ProvinceIDs, &args)
	if s.OwnOnly {
		return append(where, `e.province_id IN (`+in+`)`), args
	}
	args = append(args, true)
	return append(where, `(e.province_id IN (`+in+`) OR e.published = $`+strconv.Itoa(len(args))+`)`), args
}

// inSQL appends ids to args and returns their placeholders, comma-separated.
func inSQL(ids []int64, args *[]any) string {
	ph := make([]string, len(ids))
	for i, id := range ids {
		*args = append(*args, id)
		ph[i] = "$" + strconv.Itoa(len(*args))
	}
	return strings.Join(ph, ", ")
}

// SearchTokens returns the folded words of a search query (at most 8).
func SearchTokens(q string) []string {
	toks := vntext.FoldTokens(q)
	if len(toks) > 8 {
		toks = toks[:8]
	}
	return toks
}

func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// estKind is what estConds builds conditions for.
type estKind int

const (
	estList        estKind = iota // a page, in name order
	estCount                      // an exact count: reads every match
	estCappedCount                // a count that stops after CountCap+1 matches
)

// estPlan is the conditions estConds builds, and how a statement is to
// read them.
type estPlan struct {
	where []string
	args  []any
	// ftsDriven: on SQLite, a text query is answered from the FTS index
	// (its matches, then sorted), through an "e.id IN (...)" condition.
	ftsDriven bool
	// ftsJoin, for a count on SQLite in one province: the FROM clause that
	// reads the province's FTS matches and joins their records (the
	// conditions on the FTS index are in where); it replaces
	// "establishments e".
	ftsJoin string
	// textFirst: a text index answers within one province (SQLite's FTS
	// route, PostgreSQL's province trigrams); the statement's province
	// conditions are hidden from the indexes (textIndexFirst).
	textFirst bool
	// start, when not zero, is a position in the name order before the
	// query's first match (establishment_words, nameStart): a walk of the
	// name order begins after it. It is given for the walks only (not when
	// the text index answers).
	start Cursor
	// indexed reports that a text index answers the words (SQLite's FTS
	// route, or PostgreSQL's trigram indexes): no range on the name order
	// may then be added, which would tempt the planner to walk it.
	indexed bool
}

// ftsKeyShift: establishments_fts (migration 0023) keys each name by
// province_id << ftsKeyShift + id, so that a province's names are one
// rowid range.
const ftsKeyShift = 32

// searchProvince returns the one province f's records all lie in (its
// province filter, or the only province of InProvinceIDs or of an own-only
// scope), or 0: a search there reads that province's part of the text
// index and walks its name index.
func searchProvince(f EstablishmentFilter) int64 {
	switch provs := f.InProvinceIDs; {
	case f.ProvinceID != 0:
		return f.ProvinceID
	case len(provs) == 1:
		return provs[0]
	case len(provs) == 0 && f.Scope.OwnOnly && !f.Scope.All && len(f.Scope.ProvinceIDs) == 1:
		return f.Scope.ProvinceIDs[0]
	}
	return 0
}

// provinceTrigrams returns the keys of PostgreSQL's
// establishments_province_trgm (migration 0023) that every name of
// province prov holding all of toks has: each word's inner trigrams,
// prefixed by the province. It returns nil when a word is not plain a-z
// and 0-9 (pg_trgm's trigrams of other characters are not these) or no
// word has three letters.
func provinceTrigrams(prov int64, toks []string) []string {
	var keys []string
	p := strconv.FormatInt(prov, 10) + ":"
	for _, t := range toks {
		for i := 0; i < len(t); i++ {
			if c := t[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
				return nil
			}
		}
		for i := 0; i+3 <= len(t); i++ {
			if k := p + t[i:i+3]; !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// estConds builds the filter's conditions other than the scope and the
// cursor, for a page or a count (kind).
//
// An exact count reads every match: on SQLite a text query is then always
// driven by the FTS index (walking the name index pays only when a page of
// a common word is wanted). A count in one province (searchProvince) on
// SQLite reads the province's FTS matches joined to their records
// (ftsJoin): an exact count always, a capped one when the province holds
// few matches (walking its name index to its end took 55 ms in Ha Noi;
// see below).
func (tx *Tx) estConds(ctx context.Context, f EstablishmentFilter, args []any, kind estKind) (plan estPlan, err error) {
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var where []string
	if f.ProvinceID != 0 {
		where = append(where, `e.province_id = `+arg(f.ProvinceID))
	}
	if len(f.InProvinceIDs) > 0 {
		where = append(where, `e.province_id IN (`+inSQL(f.InProvinceIDs, &args)+`)`)
	}
	if f.Sector != "" {
		where = append(where, `e.sector_code = `+arg(f.Sector))
	}
	if f.LegalForm != "" {
		where = append(where, `e.legal_form = `+arg(f.LegalForm))
	}
	if f.ReviewDuplicate {
		// Written, not bound: the planner can use the partial index
		// establishments_review only when it sees the index's own
		// condition (SQLite: the same term; PostgreSQL: a generic plan
		// cannot prove a parameter true).
		where = append(where, `e.review_duplicate = `+tx.boolSQL(true))
	}
	toks := SearchTokens(f.Query)
	var fts []string
	for _, t := range toks {
		if len(t) >= 3 {
			fts = append(fts, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
		}
	}
	match := strings.Join(fts, " AND ")
	prov := searchProvince(f)
	// Where the query's first match can be in the name order.
	none := false
	var start Cursor
	if len(toks) > 0 {
		var fold string
		if fold, none, err = tx.nameStart(ctx, toks); err != nil {
			return estPlan{}, err
		}
		start = Cursor{NameFold: fold} // ids start at 1: (fold, 0) is before the first match
	}
	// The route: PostgreSQL walks the name order from start when a page's
	// matches are found within walkBudget entries of it (pgWalkFills) and
	// asks a trigram index otherwise (the province's, when f names one);
	// SQLite walks when the FTS index holds many matches (of the province,
	// when f names one: commonFTSMatch), else reads the FTS matches.
	walk, ftsJoin := false, false
	switch {
	case none || len(toks) == 0:
	case tx.Dialect() == Postgres:
		if walk, err = tx.pgWalkFills(ctx, f, toks, start); err != nil {
			return estPlan{}, err
		}
		if walk && kind == estCappedCount && prov != 0 && f.CountCap > 0 {
			// A capped count in one province reads up to CountCap+1
			// matches from the page's end: it walks only when they lie
			// within walkBudget entries of the first, else asks the
			// province's trigrams. "nuoc mam" in Ha Noi: its page of 50
			// lies within the budget, its 178 matches over the province's
			// 159,000 names, which a walk read to the end (27 ms with
			// every page all-visible, 80-107 ms without), against a few
			// ms through the trigrams.
			g := f
			g.Limit = f.CountCap
			if walk, err = tx.pgWalkFills(ctx, g, toks, start); err != nil {
				return estPlan{}, err
			}
		}
	case len(fts) == 0:
		walk = true // no word of three letters: no FTS index to ask
	case kind == estCount && prov != 0:
		ftsJoin = true
	case kind == estCappedCount && prov != 0:
		// The province's matches joined to their records when it holds at
		// most CountCap of them and walking the rest of its name index
		// would cost more (Ha Noi's 158,000 names: 55 ms, against 5-10 ms
		// for up to 1,000 matches joined; an entry walked costs about a
		// fiftieth of a match joined); else, as the page of a common
		// word, a walk from the first match, which finds CountCap+1
		// matches sooner (1 ms for "gom") or reaches the end of a small
		// province (3.6 ms for 24,000 names).
		var n, m int64
		if n, err = tx.provinceSize(ctx, prov); err != nil {
			return estPlan{}, err
		}
		if m, err = tx.provinceFTSMatches(ctx, match, prov, int64(f.CountCap)+1); err != nil {
			return estPlan{}, err
		}
		ftsJoin = m <= int64(f.CountCap) && m*50 < n
		walk = !ftsJoin
	case kind != estCount:
		if walk, err = tx.commonFTSMatch(ctx, "establishments", match, prov, f.Limit); err != nil {
			return estPlan{}, err
		}
	}
	// PostgreSQL in one province, when the trigram index is asked: the
	// province's trigrams (establishments_province_trgm), not the
	// nationwide index, which reads every candidate of the registry.
	var provTrgm []string
	if tx.Dialect() == Postgres && !walk && !none && prov != 0 {
		provTrgm = provinceTrigrams(prov, toks)
	}
	textIndex := false // a condition a trigram index answers
	for _, t := range toks {
		switch {
		case tx.Dialect() == SQLite:
			// instr, not LIKE with ESCAPE (a per-character matcher):
			// name_fold and the words are folded, lower case.
			where = append(where, `instr(e.name_fold, `+arg(t)+`) > 0`)
		case walk || len(t) < 3 || provTrgm != nil:
			// strpos is not answered by the trigram index: PostgreSQL
			// walks the ordered B-tree testing the index entries and stops
			// after a page (a word under three letters has no trigram: the
			// GIN index would be read whole). In a province it tests the
			// candidates of the province's trigrams.
			where = append(where, `strpos(e.name_fold, `+arg(t)+`) > 0`)
		default:
			where = append(where, `e.name_fold LIKE `+arg("%"+likeEscape(t)+"%")+` ESCAPE '\'`)
			textIndex = true
		}
	}
	if provTrgm != nil {
		where = append(where, `establishment_province_trigrams(e.province_id, e.name_fold) @> `+arg(provTrgm)+`::text[]`)
		textIndex = true
	}
	// The status after the words: SQLite tests the conditions in this
	// order, and a walk of a name index tests the words on the index entry
	// before reading the row for its status.
	switch f.Status {
	case "":
		where = append(where, `e.status <> 'archived'`)
	case "all":
	default:
		where = append(where, `e.status = `+arg(f.Status))
	}
	if none {
		where = append(where, `1 = 0`) // a word no name holds
	}
	plan.ftsDriven = tx.Dialect() == SQLite && len(fts) > 0 && !walk && !none
	switch {
	case plan.ftsDriven && prov != 0:
		// The province's rowid range of the FTS index: FTS5 seeks each
		// word's doclist to it and stops at its end.
		base := prov << ftsKeyShift
		rng := `rowid BETWEEN ` + arg(base) + ` AND ` + arg(base+(1<<ftsKeyShift-1))
		m := arg(match)
		if ftsJoin {
			plan.ftsJoin = `establishments_fts f JOIN establishments e ON e.id = f.rowid - ` + arg(base)
			where = append(where, `f.establishments_fts MATCH `+m, `f.`+rng)
		} else {
			where = append(where, `e.id IN (SELECT rowid - `+arg(base)+` FROM establishments_fts WHERE establishments_fts MATCH `+m+` AND `+rng+`)`)
		}
	case plan.ftsDriven:
		where = append(where, `e.id IN (SELECT rowid & `+strconv.FormatInt(1<<ftsKeyShift-1, 10)+` FROM establishments_fts WHERE establishments_fts MATCH `+arg(match)+`)`)
	}
	plan.indexed = plan.ftsDriven || textIndex
	plan.textFirst = plan.ftsDriven || provTrgm != nil
	if !plan.indexed {
		// A walk starts at the bound. (When a text index answers, a range
		// on the name order would only tempt the planner to walk it.)
		plan.start = start
	}
	plan.where, plan.args = where, args
	return plan, nil
}

// walkBudget is how many name index entries PostgreSQL's route test walks
// from a query's start (about 5 ms) before it gives the query to the
// trigram index.
const walkBudget = 20000

// pgWalkFills reports whether a page of f's matches lies within walkBudget
// entries of start in the name order of f's province (or of the whole
// registry), so that the list should walk the B-tree from start rather
// than ask the trigram index. pg_trgm's estimates cannot tell: it
// estimated 1 match for the 42,271 of "nuoc mam", so the planner read a
// bitmap of every match and sorted it (0.5 s); and reading the GIN index
// alone takes 80-100 ms for the most common trigrams, too dear a test.
// A read-only transaction keeps the answer (and nameStart's bound): the
// page's count asks again (4 ms at national scale).
func (tx *Tx) pgWalkFills(ctx context.Context, f EstablishmentFilter, toks []string, start Cursor) (bool, error) {
	key := fmt.Sprintf("walk %d %d %q %q", searchProvince(f), f.Limit, start.NameFold, toks)
	if v, ok := tx.memo(key); ok {
		return v.(bool), nil
	}
	walk, err := tx.pgWalkTest(ctx, f, toks, start)
	if err == nil {
		tx.keep(key, walk)
	}
	return walk, err
}

func (tx *Tx) pgWalkTest(ctx context.Context, f EstablishmentFilter, toks []string, start Cursor) (bool, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	// One province: its index, in name order. Several: the whole order
	// (the density of the registry's).
	if prov := searchProvince(f); prov != 0 {
		where = append(where, `e.province_id = `+arg(prov))
	}
	where = append(where, `(e.name_fold, e.id) > (`+arg(start.NameFold)+`, 0)`)
	var tests []string
	for _, t := range toks {
		tests = append(tests, `strpos(w.name_fold, `+arg(t)+`) > 0`)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q := `SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT e.name_fold FROM establishments e WHERE ` + strings.Join(where, ` AND `) +
		` ORDER BY e.name_fold, e.id LIMIT ` + strconv.Itoa(walkBudget) + `) w WHERE ` + strings.Join(tests, ` AND `) +
		` LIMIT ` + strconv.Itoa(limit+1) + `) x`
	var n int
	if err := tx.QueryRow(ctx, q, tx.customPlan(args)...).Scan(&n); err != nil {
		return false, mapError(err)
	}
	return n > limit, nil
}

// nameStart returns a name_fold at or before the first name that holds
// every word of toks (a query's folded words), from establishment_words
// (migration 0021): each word of each name with a bound at or before the
// first name holding it. A query word occurs inside one word of a name, so
// its first match is at or after the least bound of the words containing
// it (or of the empty word, SQLite's record of names it could not split);
// the query's, after the greatest of those. none reports that a word occurs
// in no name.
func (tx *Tx) nameStart(ctx context.Context, toks []string) (fold string, none bool, err error) {
	type bound struct {
		fold string
		none bool
	}
	key := fmt.Sprintf("start %q", toks)
	if v, ok := tx.memo(key); ok {
		b := v.(bound)
		return b.fold, b.none, nil
	}
	defer func() {
		if err == nil {
			tx.keep(key, bound{fold, none})
		}
	}()
	fn := "instr"
	if tx.Dialect() == Postgres {
		fn = "strpos"
	}
	cols := make([]string, 0, len(toks)+1)
	args := make([]any, 0, len(toks))
	for i, t := range toks {
		args = append(args, t)
		cols = append(cols, `MIN(CASE WHEN `+fn+`(word, $`+strconv.Itoa(i+1)+`) > 0 THEN first_fold END)`)
	}
	cols = append(cols, `MIN(CASE WHEN word = '' THEN first_fold END)`)
	bounds := make([]sql.NullString, len(cols))
	dest := make([]any, len(cols))
	for i := range bounds {
		dest[i] = &bounds[i]
	}
	if err := tx.QueryRow(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM establishment_words`, args...).Scan(dest...); err != nil {
		return "", false, mapError(err)
	}
	unsplit := bounds[len(toks)]
	for _, b := range bounds[:len(toks)] {
		if unsplit.Valid && (!b.Valid || unsplit.String < b.String) {
			b = unsplit
		}
		if !b.Valid {
			return "", true, nil
		}
		if b.String > fold {
			fold = b.String
		}
	}
	return fold, false, nil
}

// CountEstablishments counts the records the filter selects (every page;
// After and Limit are ignored), with the same conditions as the list.
//
// Without a text, sector or legal-form filter the count is a sum over
// establishment_counts (migration 0013: a few hundred rows kept by
// triggers), whatever the registry's size. Otherwise the matches are
// counted; with f.CountCap > 0 at most CountCap+1 of them (a text search's
// matches are read one by one: 95,000 records hold "gom" at national
// scale), so a result above CountCap means "more than CountCap".
func (tx *Tx) CountEstablishments(ctx context.Context, f EstablishmentFilter) (_ int64, err error) {
	defer nipp.Wrap(&err, "store.CountEstablishments()")
	var where []string
	var args []any
	if !f.Scope.All && len(f.Scope.ProvinceIDs) > 0 && !f.Scope.OwnOnly {
		// Own provinces or published, as one OR, reads the table for every
		// published row (4.5 s at 200,000 on a loaded machine). Counted as
		// own records plus other provinces' published ones, each part is
		// answered from an index (or from establishment_counts).
		own := f
		own.Scope.OwnOnly = true
		n, err := tx.CountEstablishments(ctx, own)
		if err != nil {
			return 0, err
		}
		in := inSQL(f.Scope.ProvinceIDs, &args)
		args = append(args, true)
		where = append(where, `e.province_id NOT IN (`+in+`)`, `e.published = $`+strconv.Itoa(len(args)))
		m, err := tx.countWhere(ctx, f, where, args)
		return n + m, err
	}
	where, args = scopeSQL(f.Scope, where, args)
	return tx.countWhere(ctx, f, where, args)
}

// textIndexFirst keeps the planner from walking a province's name index
// when a query is driven by a text index (a rare word): with its province
// conditions hidden from the indexes (SQLite "+e.province_id", PostgreSQL
// "e.province_id + 0"), it reads the word's matches (few, or it would
// walk) and tests their province, instead of reading every record of the
// province (150,000 at national scale) to test each one against the
// matches (SQLite), or a bitmap of them all to AND with the matches'
// (PostgreSQL, 70 ms).
func (tx *Tx) textIndexFirst(where []string) []string {
	out := make([]string, len(where))
	for i, w := range where {
		if rest, ok := strings.CutPrefix(w, "e.province_id "); ok {
			if tx.Dialect() == Postgres {
				w = "e.province_id + 0 " + rest
			} else {
				w = "+" + w
			}
		}
		out[i] = w
	}
	return out
}

// countedByTotals reports whether f's count can be read from
// establishment_counts: its conditions are all on the columns kept there.
func countedByTotals(f EstablishmentFilter) bool {
	return f.Sector == "" && f.LegalForm == "" && strings.TrimSpace(f.Query) == ""
}

func (tx *Tx) countWhere(ctx context.Context, f EstablishmentFilter, where []string, args []any) (int64, error) {
	capped := f.CountCap > 0 && !countedByTotals(f)
	// A capped count reads matches as the list does (a common word walks
	// the name index and stops); an exact one from the FTS index.
	kind := estCount
	if capped {
		kind = estCappedCount
	}
	plan, err := tx.estConds(ctx, f, args, kind)
	if err != nil {
		return 0, err
	}
	where, args = append(where, plan.where...), plan.args
	if plan.textFirst {
		where = tx.textIndexFirst(where)
	}
	if capped && !plan.indexed {
		// Nothing before the first match matches: a common word's count
		// walks from its first match (the 1,001st "gom" is 1,000 entries
		// after the first, which is the 112,889th name), not from the start.
		// (A match is never before the bound of establishment_words: no
		// need to compare the two, in the engine's collation.)
		from := plan.start
		if !f.CountFrom.IsZero() {
			from = Cursor{NameFold: f.CountFrom.NameFold, ID: f.CountFrom.ID - 1}
		}
		if from.NameFold != "" || from.ID != 0 {
			args = append(args, from.NameFold, from.ID)
			where = append(where, `(e.name_fold, e.id) > ($`+strconv.Itoa(len(args)-1)+`, $`+strconv.Itoa(len(args))+`)`)
		}
	}
	cond := ""
	if len(where) > 0 {
		cond = ` WHERE ` + strings.Join(where, ` AND `)
	}
	var q string
	switch {
	case countedByTotals(f):
		q = `SELECT CAST(COALESCE(SUM(e.n), 0) AS BIGINT) FROM establishment_counts e` + cond
	case capped && plan.ftsJoin != "":
		// The province's FTS matches in rowid order, each joined to its
		// record, until CountCap+1 of them.
		q = `SELECT COUNT(*) FROM (SELECT 1 FROM ` + plan.ftsJoin + cond + ` LIMIT ` + strconv.Itoa(f.CountCap+1) + `) x`
	case capped:
		// In the list's order on SQLite, so that it walks the name index
		// the list walks (testing the words on index entries) rather than
		// a narrower index that reads every row of a province.
		order := ""
		if tx.Dialect() == SQLite {
			order = ` ORDER BY e.name_fold, e.id`
		}
		q = `SELECT COUNT(*) FROM (SELECT 1 FROM establishments e` + cond + order + ` LIMIT ` + strconv.Itoa(f.CountCap+1) + `) x`
	case plan.ftsJoin != "":
		q = `SELECT COUNT(*) FROM ` + plan.ftsJoin + cond
	default:
		q = `SELECT COUNT(*) FROM establishments e` + cond
	}
	if strings.TrimSpace(f.Query) != "" {
		args = tx.customPlan(args)
	}
	var n int64
	if err := tx.QueryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, mapError(err)
	}
	return n, nil
}

// FindEstablishments returns one page of establishments in name order and
// the cursor of the next page (zero at the end).
//
// Search: every word of the folded query must occur in name_fold. On
// PostgreSQL, name_fold LIKE '%word%' is answered from the pg_trgm GIN index;
// on SQLite, words of three letters or more go through the FTS5 trigram
// index (establishments_fts), and the LIKE re-checks word boundaries-free
// substrings for shorter words.
func (tx *Tx) FindEstablishments(ctx context.Context, f EstablishmentFilter) ([]*nipp.Establishment, Cursor, error) {
	items, _, next, err := tx.FindEstablishmentsPage(ctx, f)
	return items, next, err
}

// FindEstablishmentsPage is FindEstablishments that also returns the
// cursor of the page's first item (zero for an empty page): a count of the
// same filter from the first page may start there (CountFrom).
func (tx *Tx) FindEstablishmentsPage(ctx context.Context, f EstablishmentFilter) (_ []*nipp.Establishment, first, _ Cursor, err error) {
	defer nipp.Wrap(&err, "store.FindEstablishments()")
	var where []string
	var args []any
	union := !f.Scope.All && len(f.Scope.ProvinceIDs) > 0 && !f.Scope.OwnOnly
	if !union {
		where, args = scopeSQL(f.Scope, where, args)
	}
	plan, err := tx.estConds(ctx, f, args, estList)
	if err != nil {
		return nil, Cursor{}, Cursor{}, err
	}
	where, args = append(where, plan.where...), plan.args
	ftsDriven, start := plan.ftsDriven, plan.start
	if plan.textFirst {
		where = tx.textIndexFirst(where)
	}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	// One range on the name order: after the previous page (a match, so
	// never before the bound of establishment_words), or for the first
	// page from where the query's first match can be.
	from := start
	if !f.After.IsZero() {
		from = f.After
	}
	if from.NameFold != "" || from.ID != 0 {
		where = append(where, `(e.name_fold, e.id) > (`+arg(from.NameFold)+`, `+arg(from.ID)+`)`)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	if limit > 10000 {
		limit = 10000
	}
	lim := ` ORDER BY e.name_fold, e.id LIMIT ` + strconv.Itoa(limit+1)
	q := estSelect
	if union {
		// "Own provinces or published" as one OR makes both engines read
		// every matching row of the two sets and sort them (0.3 s at 200,000
		// rows). Instead each set yields its first page in index order
		// ((province_id, name_fold, id) and (published, name_fold, id)) and
		// the page is taken from their union.
		in := inSQL(f.Scope.ProvinceIDs, &args)
		rest := ""
		if len(where) > 0 {
			rest = ` AND ` + strings.Join(where, ` AND `)
		}
		own := `e.province_id IN (` + in + `)`
		if plan.textFirst && tx.Dialect() == Postgres {
			own = tx.textIndexFirst([]string{own})[0]
		}
		own = `SELECT e.id FROM establishments e WHERE ` + own + rest + lim
		// On SQLite a text query is driven by the FTS index (its matches,
		// then sorted), as in the unscoped list; "+" keeps the planner from
		// walking all published rows in name order to test each one.
		plus := ""
		if ftsDriven {
			plus = "+"
		}
		pub := `SELECT e.id FROM establishments e WHERE ` + plus + `e.published = ` + arg(true) + rest + lim
		where = []string{`e.id IN (SELECT id FROM (` + own + `) own UNION SELECT id FROM (` + pub + `) pub)`}
	} else if tx.Dialect() == Postgres && strings.TrimSpace(f.Query) != "" && len(where) > 0 {
		// A common word walks the name index testing each entry (the 51st
		// name with "gom" is the 113,043rd of 2,000,000). PostgreSQL's plain
		// index scan fetches every entry's row before testing it (580 ms);
		// asked for the ids alone it tests the words on the index entries
		// (an index-only scan), then reads the page's rows.
		inner := lim
		if plan.indexed {
			// The route chose a trigram index (pgWalkFills found no page
			// within walkBudget entries of the start): the order is
			// written so that no name index gives it. With pg_trgm's
			// estimate of a rare word at 19,000 names (statistics after
			// an ANALYZE) PostgreSQL walked establishments_fold for "moc"
			// (620 matches), 60 ms.
			inner = ` ORDER BY e.name_fold || '', e.id LIMIT ` + strconv.Itoa(limit+1)
		}
		where = []string{`e.id IN (SELECT e.id FROM establishments e WHERE ` + strings.Join(where, ` AND `) + inner + `)`}
	}
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += lim
	if strings.TrimSpace(f.Query) != "" {
		args = tx.customPlan(args)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, Cursor{}, Cursor{}, err
	}
	defer rows.Close()
	var out []*nipp.Establishment
	var next Cursor
	var lastFold string
	for rows.Next() {
		e, fold, err := scanEstablishment(rows)
		if err != nil {
			return nil, Cursor{}, Cursor{}, mapError(err)
		}
		if len(out) == limit {
			last := out[len(out)-1]
			next = Cursor{NameFold: lastFold, ID: last.ID}
			break
		}
		if len(out) == 0 {
			first = Cursor{NameFold: fold, ID: e.ID}
		}
		out = append(out, e)
		lastFold = fold
	}
	if err := rows.Err(); err != nil {
		return nil, Cursor{}, Cursor{}, mapError(err)
	}
	return out, first, next, nil
}

// commonFTSMatch reports whether an FTS query matches so many rows of table
// (establishments or projects, whose FTS index is table_fts) that walking
// the list's index in order and testing each row (stopping at one page) is
// cheaper than fetching every match and sorting it. With m matches among n
// rows, the walk reads about page*n/m index entries and the FTS route m
// matches, each dearer than an entry. The count stops at the bound. With
// prov (establishments only), the rows and matches are the province's:
// its size from establishment_counts, its matches from its rowid range of
// establishments_fts.
func (tx *Tx) commonFTSMatch(ctx context.Context, table, match string, prov int64, page int) (bool, error) {
	if page <= 0 {
		page = 50
	}
	if table != "establishments" && table != "projects" {
		return false, fmt.Errorf("store: no FTS index for %q", table)
	}
	var n int64
	if prov != 0 {
		if table != "establishments" {
			return false, fmt.Errorf("store: no FTS index by province for %q", table)
		}
		var err error
		if n, err = tx.provinceSize(ctx, prov); err != nil {
			return false, err
		}
	} else if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&n); err != nil {
		return false, mapError(err)
	}
	// A walk step (an index entry, its words tested there) costs about a
	// sixteenth of a match taken from the FTS index (read, looked up,
	// sorted): the walk wins when m > sqrt(page*n/16).
	bound := max(1, int64(math.Sqrt(float64(int64(page+1)*n)/16)))
	if prov != 0 {
		m, err := tx.provinceFTSMatches(ctx, match, prov, bound)
		return m >= bound, err
	}
	var m int64
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT rowid FROM `+table+`_fts WHERE `+table+`_fts MATCH $1 LIMIT $2)`, match, bound).Scan(&m); err != nil {
		return false, mapError(err)
	}
	return m >= bound, nil
}

// provinceSize returns the number of records in province prov, from
// establishment_counts.
func (tx *Tx) provinceSize(ctx context.Context, prov int64) (int64, error) {
	var n int64
	if err := tx.QueryRow(ctx, `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM establishment_counts WHERE province_id = $1`, prov).Scan(&n); err != nil {
		return 0, mapError(err)
	}
	return n, nil
}

// provinceFTSMatches counts the registry's FTS matches of match in
// province prov (its rowid range of establishments_fts), up to limit: the
// index alone, about 1 ms for 1,000 matches.
func (tx *Tx) provinceFTSMatches(ctx context.Context, match string, prov, limit int64) (int64, error) {
	base := prov << ftsKeyShift
	var m int64
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT rowid FROM establishments_fts WHERE establishments_fts MATCH $1 AND rowid BETWEEN $2 AND $3 LIMIT $4)`,
		match, base, base+(1<<ftsKeyShift-1), limit).Scan(&m)
	if err != nil {
		return 0, mapError(err)
	}
	return m, nil
}

// EstablishmentRow holds what the store writes for an establishment: the
// record with its units resolved to ids.
type EstablishmentRow struct {
	*nipp.Establishment
	ProvinceID, OrigProvinceID int64
	CommuneID, OrigCommuneID   int64 // 0 for none
	CreatedBy                  int64
}

// nullID stores an id, or NULL for none (0) and for the system actor (<0).
func nullID(v int64) any {
	if v <= 0 {
		return nil
	}
	return v
}

func nullInt64(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// NewPublicID returns a new random public id with the given prefix
// ("cs-" for establishments): 10 base-32 characters, 50 bits.
func NewPublicID(prefix string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	b := make([]byte, 10)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[b[i]&31]
	}
	return prefix + string(b)
}

// CreateEstablishment inserts r and sets its ID, PublicID (when empty),
// Version and timestamps. A duplicate tax code or source id is ECONFLICT.
func (tx *Tx) CreateEstablishment(ctx context.Context, r *EstablishmentRow) (err error) {
	defer nipp.Wrap(&err, "store.CreateEstablishment()")
	e := r.Establishment
	if e.PublicID == "" {
		e.PublicID = NewPublicID("cs-")
	}
	e.Version, e.CreatedAt, e.UpdatedAt = 1, tx.Now(), tx.Now()
	id, err := tx.InsertID(ctx, `INSERT INTO establishments (public_id, name, name_fold, name_key, legal_form, tax_code, ext_id,
		province_id, orig_province_id, commune_id, orig_commune_id, address, sector_code, craft_village, employees, founded_year,
		contact_name, phone, email, women_owned, ethnic_minority_owned, artisan, status, published, recorded_on, review_duplicate,
		version, created_at, updated_at, created_by, registered_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, 1, $27, $27, $28, $29)`,
		e.PublicID, e.Name, vntext.Fold(e.Name), vntext.NameKey(e.Name), e.LegalForm, nullStr(e.TaxCode), nullStr(e.ExtID),
		r.ProvinceID, r.OrigProvinceID, nullID(r.CommuneID), nullID(r.OrigCommuneID), e.Address, e.SectorCode, e.CraftVillage,
		nullInt64(e.Employees), nullInt64(e.FoundedYear), e.ContactName, e.Phone, e.Email, e.WomenOwned, e.EthnicMinorityOwned,
		e.Artisan, e.Status, e.Published, e.RecordedOn, e.ReviewDuplicate, tx.Now(), nullID(r.CreatedBy), e.RegisteredOn)
	if err != nil {
		return err
	}
	e.ID = id
	return nil
}

// UpdateEstablishment writes r over the stored record if its version is
// still fromVersion, and bumps the version; otherwise ECONFLICT.
func (tx *Tx) UpdateEstablishment(ctx context.Context, r *EstablishmentRow, fromVersion int) (err error) {
	defer nipp.Wrap(&err, "store.UpdateEstablishment(%v)", fromVersion)
	e := r.Establishment
	merged, err := tx.mergedIntoID(ctx, e.MergedInto)
	if err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE establishments SET name = $1, name_fold = $2, name_key = $3, legal_form = $4, tax_code = $5, ext_id = $6,
		province_id = $7, orig_province_id = $8, commune_id = $9, orig_commune_id = $10, address = $11, sector_code = $12,
		craft_village = $13, employees = $14, founded_year = $15, contact_name = $16, phone = $17, email = $18,
		women_owned = $19, ethnic_minority_owned = $20, artisan = $21, status = $22, published = $23, recorded_on = $24,
		review_duplicate = $25, merged_into_id = $26, version = version + 1, updated_at = $27, registered_on = $30
		WHERE id = $28 AND version = $29`,
		e.Name, vntext.Fold(e.Name), vntext.NameKey(e.Name), e.LegalForm, nullStr(e.TaxCode), nullStr(e.ExtID),
		r.ProvinceID, r.OrigProvinceID, nullID(r.CommuneID), nullID(r.OrigCommuneID), e.Address, e.SectorCode,
		e.CraftVillage, nullInt64(e.Employees), nullInt64(e.FoundedYear), e.ContactName, e.Phone, e.Email,
		e.WomenOwned, e.EthnicMinorityOwned, e.Artisan, e.Status, e.Published, e.RecordedOn,
		e.ReviewDuplicate, merged, tx.Now(), e.ID, fromVersion, e.RegisteredOn)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapError(err)
	}
	if n == 0 {
		return nipp.Errorf(nipp.ECONFLICT, "err.store.establishment_was_changed_by_someone")
	}
	e.Version = fromVersion + 1
	e.UpdatedAt = tx.Now()
	return nil
}

func (tx *Tx) mergedIntoID(ctx context.Context, publicID string) (any, error) {
	if publicID == "" {
		return nil, nil
	}
	var id int64
	if err := tx.QueryRow(ctx, `SELECT id FROM establishments WHERE public_id = $1`, publicID).Scan(&id); err != nil {
		return nil, fmt.Errorf("finding the merge target %s: %w", publicID, mapError(err))
	}
	return id, nil
}

// FindLikelyDuplicates returns the non-archived establishments in the
// commune whose name has the same duplicate key as name, except excludeID.
func (tx *Tx) FindLikelyDuplicates(ctx context.Context, communeID int64, name string, excludeID int64) (_ []*nipp.Establishment, err error) {
	defer nipp.Wrap(&err, "store.FindLikelyDuplicates(%v, %q, %v)", communeID, name, excludeID)
	if communeID == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, estSelect+` WHERE e.commune_id = $1 AND e.name_key = $2 AND e.id <> $3 AND e.status <> 'archived' ORDER BY e.id LIMIT 20`,
		communeID, vntext.NameKey(name), excludeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nipp.Establishment
	for rows.Next() {
		e, _, err := scanEstablishment(rows)
		if err != nil {
			return nil, mapError(err)
		}
		out = append(out, e)
	}
	return out, mapError(rows.Err())
}

// DeleteEstablishmentAt deletes establishment id if its version is still
// version (an atomic import putting back a record it created); false when
// it was changed since.
func (tx *Tx) DeleteEstablishmentAt(ctx context.Context, id int64, version int) (_ bool, err error) {
	defer nipp.Wrap(&err, "store.DeleteEstablishmentAt(%v, %v)", id, version)
	res, err := tx.Exec(ctx, `DELETE FROM establishments WHERE id = $1 AND version = $2`, id, version)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, mapError(err)
}

// SetReviewDuplicate sets or clears the likely-duplicate flag without
// changing the version (it is the registry's bookkeeping, not an edit).
func (tx *Tx) SetReviewDuplicate(ctx context.Context, id int64, flag bool) (err error) {
	defer nipp.Wrap(&err, "store.SetReviewDuplicate(%v, %v)", id, flag)
	_, err = tx.Exec(ctx, `UPDATE establishments SET review_duplicate = $1 WHERE id = $2`, flag, id)
	return err
}

// Reference is a column whose foreign key points at a table, read from the
// schema itself (so a new table that references establishments is merged
// without anyone editing a list). Unique lists, for every unique index or
// primary key that includes Column, the other columns of that key: a row of
// the merged record whose key the surviving record already has is dropped
// instead of moved.
type Reference struct {
	Table, Column string
	Unique        [][]string
}

// ReferencesTo returns every single-column foreign key to table's id, from
// the engine's catalog, ordered by table and column.
func (tx *Tx) ReferencesTo(ctx context.Context, table string) (_ []Reference, err error) {
	defer nipp.Wrap(&err, "store.ReferencesTo(%q)", table)
	var q string
	if tx.Dialect() == Postgres {
		q = `SELECT c.conrelid::regclass::text, a.attname
			FROM pg_constraint c
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
			WHERE c.contype = 'f' AND c.confrelid = $1::regclass AND array_length(c.conkey, 1) = 1
			ORDER BY 1, 2`
	} else {
		q = `SELECT m.name, f."from" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
			WHERE m.type = 'table' AND f."table" = $1 ORDER BY 1, 2`
	}
	rows, err := tx.Query(ctx, q, table)
	if err != nil {
		return nil, fmt.Errorf("reading foreign keys to %s: %w", table, err)
	}
	var refs []Reference
	for rows.Next() {
		var r Reference
		if err := rows.Scan(&r.Table, &r.Column); err != nil {
			rows.Close()
			return nil, err
		}
		refs = append(refs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range refs {
		keys, err := tx.uniqueKeys(ctx, refs[i].Table)
		if err != nil {
			return nil, fmt.Errorf("reading unique keys of %s: %w", refs[i].Table, err)
		}
		for _, k := range keys {
			if !slices.Contains(k, refs[i].Column) {
				continue
			}
			others := slices.DeleteFunc(slices.Clone(k), func(c string) bool { return c == refs[i].Column })
			refs[i].Unique = append(refs[i].Unique, others)
		}
	}
	return refs, nil
}

// uniqueKeys lists the columns of every unique index and primary key of a table.
func (tx *Tx) uniqueKeys(ctx context.Context, table string) ([][]string, error) {
	var q string
	if tx.Dialect() == Postgres {
		q = `SELECT i.indexrelid::regclass::text, a.attname
			FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			WHERE i.indrelid = $1::regclass AND i.indisunique ORDER BY 1, 2`
	} else {
		q = `SELECT il.name, ii.name FROM pragma_index_list($1) il, pragma_index_info(il.name) ii
			WHERE il."unique" = 1 ORDER BY 1, 2`
	}
	rows, err := tx.Query(ctx, q, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys [][]string
	last := ""
	for rows.Next() {
		var idx, col string
		if err := rows.Scan(&idx, &col); err != nil {
			return nil, err
		}
		if idx != last || len(keys) == 0 {
			keys = append(keys, nil)
			last = idx
		}
		keys[len(keys)-1] = append(keys[len(keys)-1], col)
	}
	return keys, rows.Err()
}

// MoveEstablishmentRefs re-points every reference from one establishment to
// another (every foreign key to establishments the schema has, including
// records merged earlier into the merged one) and returns how many rows
// moved per table and column ("table" or "table.column" when the column is
// not establishment_id).
func (tx *Tx) MoveEstablishmentRefs(ctx context.Context, fromID, toID int64) (_ map[string]int64, err error) {
	defer nipp.Wrap(&err, "store.MoveEstablishmentRefs(%v, %v)", fromID, toID)
	refs, err := tx.ReferencesTo(ctx, "establishments")
	if err != nil {
		return nil, err
	}
	moved := map[string]int64{}
	for _, ref := range refs {
		t, c := quoteIdent(ref.Table), quoteIdent(ref.Column)
		for _, others := range ref.Unique {
			cond := ""
			for _, o := range others {
				cond += fmt.Sprintf(" AND b.%[1]s = %[2]s.%[1]s", quoteIdent(o), t)
			}
			if _, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM %[1]s WHERE %[2]s = $1
				AND EXISTS (SELECT 1 FROM %[1]s b WHERE b.%[2]s = $2%[3]s)`, t, c, cond), fromID, toID); err != nil {
				return nil, fmt.Errorf("merging %s.%s: %w", ref.Table, ref.Column, err)
			}
		}
		res, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %s SET %s = $1 WHERE %s = $2`, t, c, c), toID, fromID)
		if err != nil {
			return nil, fmt.Errorf("merging %s.%s: %w", ref.Table, ref.Column, err)
		}
		name := ref.Table
		if ref.Column != "establishment_id" {
			name += "." + ref.Column
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, mapError(err)
		}
		if n > 0 {
			moved[name] = n
		}
	}
	return moved, nil
}

// quoteIdent quotes a name read from the catalog for use as an identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// boundedAmount is a line's approved (else planned) amount for a sum over
// one project's lines, with an amount out of range (only rows written
// before amounts were bounded at nipp.MaxAmount) counted as 0: a project
// has one line per source, so such sums stay far below BIGINT's limit.
const boundedAmount = `CASE WHEN COALESCE(b.approved, b.planned) BETWEEN 0 AND 1000000000000000 THEN COALESCE(b.approved, b.planned) ELSE 0 END`

// FindEstablishmentSupport returns the projects an establishment benefits
// from, newest first.
func (tx *Tx) FindEstablishmentSupport(ctx context.Context, id int64) (_ []*nipp.Support, err error) {
	defer nipp.Wrap(&err, "store.FindEstablishmentSupport(%v)", id)
	rows, err := tx.Query(ctx, `SELECT p.public_id, p.code, p.title, pr.name_vi, pr.name_en, p.year, a.name_vi, a.name_en, p.state, p.published, p.province_id, p.decision_date,
		COALESCE((SELECT SUM(`+boundedAmount+`) FROM budget_lines b WHERE b.project_id = p.id AND b.source IN ('national', 'local')), 0),
		COALESCE((SELECT SUM(`+boundedAmount+`) FROM budget_lines b WHERE b.project_id = p.id AND b.source = 'reciprocal'), 0)
		FROM project_beneficiaries pb
		JOIN projects p ON p.id = pb.project_id
		JOIN programs pr ON pr.id = p.program_id
		JOIN activity_types a ON a.code = p.activity_type_code
		WHERE pb.establishment_id = $1
		ORDER BY p.year DESC, p.id DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nipp.Support
	for rows.Next() {
		s := &nipp.Support{Kind: "project"}
		var pid int64
		if err := rows.Scan(&s.PublicID, &s.Code, &s.Title, &s.ProgramVI, &s.ProgramEN, &s.Year, &s.ActivityVI, &s.ActivityEN, &s.State, &s.Published, &pid, &s.Decision, &s.StateFunds, &s.Reciprocal); err != nil {
			return nil, mapError(err)
		}
		s.ProvinceIDs = []int64{pid}
		out = append(out, s)
	}
	return out, mapError(rows.Err())
}

// FindEstablishmentByNameInCommune returns the oldest non-archived record
// without a tax code whose name has the same duplicate key as name in the
// 2025 commune with the given code: what a re-imported row without tax code
// or file id refers to.
func (tx *Tx) FindEstablishmentByNameInCommune(ctx context.Context, communeCode, name string) (_ *nipp.Establishment, err error) {
	defer nipp.Wrap(&err, "store.FindEstablishmentByNameInCommune(%q, %q)", communeCode, name)
	e, _, err := scanEstablishment(tx.QueryRow(ctx, estSelect+` WHERE e.commune_id = (SELECT id FROM admin_units WHERE level = 'commune' AND code = $1 AND generation = $2)
		AND e.name_key = $3 AND e.tax_code IS NULL AND e.status <> 'archived' ORDER BY e.id LIMIT 1`, communeCode, Gen2025, vntext.NameKey(name)))
	if err != nil {
		return nil, notFoundOr(err, "establishment")
	}
	return e, nil
}

// EstablishmentVersion returns an establishment's version.
func (tx *Tx) EstablishmentVersion(ctx context.Context, id int64) (_ int, err error) {
	defer nipp.Wrap(&err, "store.EstablishmentVersion(%v)", id)
	var v int
	err = ScanOne(tx.QueryRow(ctx, `SELECT version FROM establishments WHERE id = $1`, id), "establishment", &v)
	return v, err
}
