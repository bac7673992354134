package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/vntext"
)

// Bulk statements of the establishment import: a chunk's lookups in one
// query each, and its new records in multi-row INSERTs. Their placeholders
// come from tx.Placeholder (SQLite resolves named $n parameters in
// quadratic time), so one statement text serves every full chunk.

// inList returns "(p1, p2, ...)" for vals appended to args.
func (tx *Tx) inList(args []any, vals []string) ([]any, string) {
	ph := make([]string, len(vals))
	for i, v := range vals {
		args = append(args, v)
		ph[i] = tx.Placeholder(len(args))
	}
	return args, "(" + strings.Join(ph, ", ") + ")"
}

func (tx *Tx) estList(ctx context.Context, where string, args []any) ([]*nipp.Establishment, error) {
	var out []*nipp.Establishment
	err := tx.each(ctx, estSelect+` WHERE `+where, args, func(scan func(...any) error) error {
		e, _, err := scanEstablishment(scanFunc(scan))
		if err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// FindEstablishmentsByKeys returns the establishments whose public id,
// source-file id or tax code is one of those given (empty lists are
// skipped), in one query.
func (tx *Tx) FindEstablishmentsByKeys(ctx context.Context, publicIDs, extIDs, taxCodes []string) (_ []*nipp.Establishment, err error) {
	defer nipp.Wrap(&err, "store.FindEstablishmentsByKeys(%d, %d, %d)", len(publicIDs), len(extIDs), len(taxCodes))
	if len(publicIDs)+len(extIDs)+len(taxCodes) == 0 {
		return nil, nil
	}
	if tx.db.dialect == Postgres {
		// Arrays: one text whatever the lists' lengths (see pgArray).
		return tx.estList(ctx, `e.public_id = ANY($1::text[]) OR e.ext_id = ANY($2::text[]) OR e.tax_code = ANY($3::text[])`,
			tx.customPlan([]any{pgArray(publicIDs), pgArray(extIDs), pgArray(taxCodes)}))
	}
	var args []any
	var conds []string
	for _, f := range []struct {
		col  string
		vals []string
	}{{"e.public_id", publicIDs}, {"e.ext_id", extIDs}, {"e.tax_code", taxCodes}} {
		if len(f.vals) == 0 {
			continue
		}
		var l string
		args, l = tx.inList(args, f.vals)
		conds = append(conds, f.col+" IN "+l)
	}
	if len(conds) == 0 {
		return nil, nil
	}
	return tx.estList(ctx, strings.Join(conds, " OR "), args)
}

// CommuneNameKey is a 2025 commune (its admin_units id) and a name's
// duplicate key (vntext.NameKey).
type CommuneNameKey struct {
	CommuneID int64
	NameKey   string
}

// FindEstablishmentsByNameKeys returns the non-archived establishments
// whose (commune, name key) is one of keys, oldest first, in one query
// through the (commune_id, name_key) index: a chunk's keyless rows'
// records and likely duplicates.
func (tx *Tx) FindEstablishmentsByNameKeys(ctx context.Context, keys []CommuneNameKey) (_ []*nipp.Establishment, err error) {
	defer nipp.Wrap(&err, "store.FindEstablishmentsByNameKeys(%d)", len(keys))
	if len(keys) == 0 {
		return nil, nil
	}
	if tx.db.dialect == Postgres {
		communes, names := make([]int64, len(keys)), make([]string, len(keys))
		for i, k := range keys {
			communes[i], names[i] = k.CommuneID, k.NameKey
		}
		out, err := tx.estList(ctx, `(e.commune_id, e.name_key) IN (SELECT k.c, k.n FROM unnest($1::bigint[], $2::text[]) AS k(c, n)) AND e.status <> 'archived'`,
			tx.customPlan([]any{communes, names}))
		if err != nil {
			return nil, err
		}
		slices.SortFunc(out, func(a, b *nipp.Establishment) int { return cmp.Compare(a.ID, b.ID) })
		return out, nil
	}
	args := make([]any, 0, 2*len(keys))
	ph := make([]string, len(keys))
	for i, k := range keys {
		args = append(args, k.CommuneID, k.NameKey)
		ph[i] = "(CAST(" + tx.Placeholder(len(args)-1) + " AS BIGINT), CAST(" + tx.Placeholder(len(args)) + " AS TEXT))"
	}
	out, err := tx.estList(ctx, `(e.commune_id, e.name_key) IN (VALUES `+strings.Join(ph, ", ")+`) AND e.status <> 'archived'`, args)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *nipp.Establishment) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// The chunk lookups on PostgreSQL (FindEstablishmentsByKeys,
// FindEstablishmentsByNameKeys, EstablishmentVersions,
// FirstImportRowsWithKeys) are planned for each chunk's values
// (tx.customPlan, 1 to 4 ms): a prepared statement's generic plan, cached
// by its connection after five runs, was made for the table as it was
// then. Made during the first chunks of an import into an empty registry,
// it read the whole table (the cheapest plan for a few thousand rows), and
// went on reading it as the table grew, for as long as nothing planned the
// statement again (an ANALYZE; autovacuum may be off, or behind): 1.5 s a
// chunk at 312,000 records, the writer waiting for it.
//
// pgArray is vals as a PostgreSQL array argument, never nil (pgx sends a
// nil slice as NULL, and "= ANY(NULL)" is never true, which is what an
// empty list means anyway; an empty array says so plainly). A chunk's
// lists passed as arrays keep one statement text for every chunk, planned
// in a fraction of a millisecond: as IN lists of 700 pairs and 300 tax
// codes each chunk had a text of its own, parsed and planned afresh (41
// and 21 ms at 460,000 records).
func pgArray(vals []string) []string {
	if vals == nil {
		return []string{}
	}
	return vals
}

// EstablishmentVersions returns the version of each establishment of ids
// that exists.
func (tx *Tx) EstablishmentVersions(ctx context.Context, ids []int64) (_ map[int64]int, err error) {
	defer nipp.Wrap(&err, "store.EstablishmentVersions(%d)", len(ids))
	out := map[int64]int{}
	if len(ids) == 0 {
		return out, nil
	}
	q, args := `SELECT id, version FROM establishments WHERE id = ANY($1::bigint[])`, tx.customPlan([]any{ids})
	if tx.db.dialect != Postgres {
		args = make([]any, len(ids))
		ph := make([]string, len(ids))
		for i, id := range ids {
			args[i] = id
			ph[i] = tx.Placeholder(i + 1)
		}
		q = `SELECT id, version FROM establishments WHERE id IN (` + strings.Join(ph, ", ") + `)`
	}
	err = tx.each(ctx, q, args, func(scan func(...any) error) error {
		var id int64
		var v int
		if err := scan(&id, &v); err != nil {
			return err
		}
		out[id] = v
		return nil
	})
	return out, err
}

// estInsertBatch is how many records one INSERT of CreateEstablishments
// holds (its text stays short enough to be kept prepared).
const estInsertBatch = 500

var estInsertCols = []string{"public_id", "name", "name_fold", "name_key", "legal_form", "tax_code", "ext_id",
	"province_id", "orig_province_id", "commune_id", "orig_commune_id", "address", "sector_code", "craft_village", "employees", "founded_year",
	"contact_name", "phone", "email", "women_owned", "ethnic_minority_owned", "artisan", "status", "published", "recorded_on", "review_duplicate",
	"version", "created_at", "updated_at", "created_by", "registered_on"}

// CreateEstablishments inserts rs in multi-row INSERTs of up to
// estInsertBatch records and sets each one's ID, PublicID (when empty),
// Version and timestamps. A duplicate tax code or source id fails the
// whole call (ECONFLICT); the caller writes the rows one by one then.
func (tx *Tx) CreateEstablishments(ctx context.Context, rs []*EstablishmentRow) (err error) {
	defer nipp.Wrap(&err, "store.CreateEstablishments(%d)", len(rs))
	for start := 0; start < len(rs); start += estInsertBatch {
		batch := rs[start:min(len(rs), start+estInsertBatch)]
		if tx.Dialect() == SQLite {
			// In province order (ids are given in the order of the
			// VALUES): establishments_fts is keyed province_id << 32 + id
			// (migration 0023), and FTS5 writes its pending entries out
			// whenever a key is lower than the last one, once per row of
			// a file in no province order (the import's time doubled).
			// Records are matched to their ids by public id.
			batch = slices.Clone(batch)
			slices.SortStableFunc(batch, func(a, b *EstablishmentRow) int { return cmp.Compare(a.ProvinceID, b.ProvinceID) })
		}
		var b strings.Builder
		b.WriteString("INSERT INTO establishments (" + strings.Join(estInsertCols, ", ") + ") VALUES ")
		args := make([]any, 0, len(batch)*len(estInsertCols))
		byPublic := make(map[string]*nipp.Establishment, len(batch))
		for i, r := range batch {
			e := r.Establishment
			if e.PublicID == "" {
				e.PublicID = NewPublicID("cs-")
			}
			e.Version, e.CreatedAt, e.UpdatedAt = 1, tx.Now(), tx.Now()
			byPublic[e.PublicID] = e
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			vals := []any{e.PublicID, e.Name, vntext.Fold(e.Name), vntext.NameKey(e.Name), e.LegalForm, nullStr(e.TaxCode), nullStr(e.ExtID),
				r.ProvinceID, r.OrigProvinceID, nullID(r.CommuneID), nullID(r.OrigCommuneID), e.Address, e.SectorCode, e.CraftVillage,
				nullInt64(e.Employees), nullInt64(e.FoundedYear), e.ContactName, e.Phone, e.Email, e.WomenOwned, e.EthnicMinorityOwned,
				e.Artisan, e.Status, e.Published, e.RecordedOn, e.ReviewDuplicate, 1, tx.Now(), tx.Now(), nullID(r.CreatedBy), e.RegisteredOn}
			for j, v := range vals {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, v)
				b.WriteString(tx.Placeholder(len(args)))
			}
			b.WriteByte(')')
		}
		b.WriteString(" RETURNING id, public_id")
		n := 0
		err := tx.each(ctx, b.String(), args, func(scan func(...any) error) error {
			var id int64
			var pub string
			if err := scan(&id, &pub); err != nil {
				return err
			}
			if e := byPublic[pub]; e != nil {
				e.ID = id
				n++
			}
			return nil
		})
		if err != nil {
			return err
		}
		if n != len(batch) {
			return nipp.Internal(fmt.Errorf("inserted %d of %d establishments", n, len(batch)))
		}
	}
	return nil
}

// importResultBatch is how many rows' results one UPDATE of
// SetImportRowResults records.
const importResultBatch = 100

// rowRange bounds an UPDATE ... FROM (VALUES ...) of a batch of rows to
// the least and greatest of the batch's row numbers (a batch's rows are
// consecutive), appended to args. From 100 rows in the
// VALUES on, SQLite otherwise walks every staged row of the job, looking
// each up in the VALUES through a Bloom filter: every batch read the whole
// file, 89% of a 2,000,000-row import's time (quadratic: 4,000 rows a
// second validated at 200,000 rows, 340 at 2,000,000).
func rowRange(tx *Tx, args *[]any, rows []int) string {
	*args = append(*args, slices.Min(rows), slices.Max(rows))
	n := len(*args)
	return ` AND import_rows.row_num >= ` + tx.Placeholder(n-1) + ` AND import_rows.row_num <= ` + tx.Placeholder(n)
}

// SetImportRowResults records the validation results of staged rows, in
// UPDATEs of up to importResultBatch rows each.
func (tx *Tx) SetImportRowResults(ctx context.Context, jobID int64, rows []nipp.ImportRow) (err error) {
	defer nipp.Wrap(&err, "store.SetImportRowResults(%v, %d)", jobID, len(rows))
	for start := 0; start < len(rows); start += importResultBatch {
		batch := rows[start:min(len(rows), start+importResultBatch)]
		var args []any // in the order of the text: SQLite's placeholders are positional
		vals := make([]string, len(batch))
		for i, r := range batch {
			errs := ""
			if len(r.Errors) > 0 {
				if errs, err = marshalCol("errors_json", r.Errors); err != nil {
					return err
				}
			}
			n := len(args)
			args = append(args, r.Row, r.Valid != nil && *r.Valid, errs, r.Record, r.DupKey)
			vals[i] = "(CAST(" + tx.Placeholder(n+1) + " AS INTEGER), CAST(" + tx.Placeholder(n+2) + " AS BOOLEAN), CAST(" +
				tx.Placeholder(n+3) + " AS TEXT), CAST(" + tx.Placeholder(n+4) + " AS TEXT), CAST(" + tx.Placeholder(n+5) + " AS TEXT))"
		}
		nums := make([]int, len(batch))
		for i, r := range batch {
			nums[i] = r.Row
		}
		args = append(args, jobID)
		_, err = tx.Exec(ctx, `UPDATE import_rows SET valid = v.column2, errors_json = v.column3, record_json = v.column4, dup_key = v.column5
			FROM (VALUES `+strings.Join(vals, ", ")+`) AS v WHERE import_rows.job_id = `+tx.Placeholder(len(args))+` AND import_rows.row_num = v.column1`+
			rowRange(tx, &args, nums), args...)
		if err != nil {
			return err
		}
	}
	return nil
}

// SetImportRowUndos records what applying rows changed (row number to
// undo record), in UPDATEs of up to importResultBatch rows each.
func (tx *Tx) SetImportRowUndos(ctx context.Context, jobID int64, rows []int, undos []string) (err error) {
	defer nipp.Wrap(&err, "store.SetImportRowUndos(%v, %d)", jobID, len(rows))
	for start := 0; start < len(rows); start += importResultBatch {
		end := min(len(rows), start+importResultBatch)
		var args []any
		vals := make([]string, 0, end-start)
		for i := start; i < end; i++ {
			n := len(args)
			args = append(args, rows[i], undos[i])
			vals = append(vals, "(CAST("+tx.Placeholder(n+1)+" AS INTEGER), CAST("+tx.Placeholder(n+2)+" AS TEXT))")
		}
		args = append(args, jobID)
		if _, err := tx.Exec(ctx, `UPDATE import_rows SET undo_json = v.column2 FROM (VALUES `+strings.Join(vals, ", ")+`) AS v
			WHERE import_rows.job_id = `+tx.Placeholder(len(args))+` AND import_rows.row_num = v.column1`+rowRange(tx, &args, rows[start:end]), args...); err != nil {
			return err
		}
	}
	return nil
}
