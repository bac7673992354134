package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/tabular"
	"nipp/internal/vntext"
)

// Import chunk sizes: rows staged, validated or applied per transaction.
const (
	stageChunk    = 1000
	validateChunk = 500
	applyChunk    = 500
)

// ImportSummary counts what an import did.
type ImportSummary struct {
	Imported  int `json:"imported"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`
}

// StageImport reads a spreadsheet of establishments into a new import job:
// it finds the header row (letterheads, titles and the "(1) (2) (3)" row are
// skipped), guesses the column mapping from the titles, and stages every data
// row in the database in chunks (total and signature rows are dropped), so
// memory does not grow with the file. A file that cannot be read to its end
// (truncated, damaged, wrong encoding) fails the job with the reason and
// keeps nothing staged.
func (a *App) StageImport(ctx context.Context, fileName string, r tabular.Reader, atomic bool) (*store.ImportJob, error) {
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	h, err := tabular.FindHeader(r, matchEstColumn, 2, 0)
	if err != nil {
		return nil, nipp.Errorf(nipp.EINVALID, "err.import.no_header")
	}
	if h.Column("name") < 0 {
		return nil, nipp.Errorf(nipp.EINVALID, "err.app.file_has_no_name_column")
	}
	job := &store.ImportJob{Kind: "establishments", FileName: fileName, State: store.ImportMapping, Atomic: atomic,
		HeaderRow: h.Row, Header: h.Texts, Mapping: h.Keys, CreatedBy: userRef(p)}
	if err := a.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.CreateImportJob(ctx, job) }); err != nil {
		return nil, err
	}
	var batch []store.ImportRow
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := a.db.WriteTx(ctx, func(tx *store.Tx) error {
			if err := tx.StageImportRows(ctx, job.ID, batch); err != nil {
				return err
			}
			job.TotalRows += len(batch)
			return tx.UpdateImportJob(ctx, job)
		})
		batch = batch[:0]
		return err
	}
	var readErr error
	for {
		row, cells, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		if tabular.IsNumberingRow(cells) || tabular.IsTotalRow(cells) || tabular.IsSignatureRow(cells) {
			continue
		}
		batch = append(batch, store.ImportRow{Row: row, Cells: cells})
		if len(batch) == stageChunk {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if readErr == nil {
		readErr = flush()
	}
	if readErr != nil {
		job.State = store.ImportFailed
		job.Message = nipp.EncodeMsg(nipp.M("err.import.read_failed", readErr.Error()))
		err := a.db.WriteTx(ctx, func(tx *store.Tx) error {
			if err := tx.DeleteImportRows(ctx, job.ID); err != nil {
				return err
			}
			job.TotalRows = 0
			return tx.UpdateImportJob(ctx, job)
		})
		if err != nil {
			return nil, err
		}
		return job, nipp.Errorf(nipp.EINVALID, "err.import.read_failed", readErr.Error())
	}
	return job, nil
}

// importJob loads a job the principal may act on (their own, or any for
// national roles).
func importJob(ctx context.Context, tx *store.Tx, p *nipp.Principal, id int64) (*store.ImportJob, error) {
	j, err := tx.FindImportJobByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if j.CreatedBy != userRef(p) && !p.AllProvinces() {
		return nil, nipp.Errorf(nipp.ENOTFOUND, "err.app.import_not_found")
	}
	return j, nil
}

// ImportJob returns an import job of the principal.
func (a *App) ImportJob(ctx context.Context, id int64) (*store.ImportJob, error) {
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	var j *store.ImportJob
	err = a.db.ReadTx(ctx, func(tx *store.Tx) error {
		j, err = importJob(ctx, tx, p, id)
		return err
	})
	return j, err
}

// ImportJobs returns the principal's latest import jobs.
func (a *App) ImportJobs(ctx context.Context) ([]*store.ImportJob, error) {
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	var out []*store.ImportJob
	err = a.db.ReadTx(ctx, func(tx *store.Tx) error {
		out, err = tx.FindImportJobs(ctx, userRef(p), nil, 20)
		return err
	})
	return out, err
}

// ImportPreviewRow is a staged row parsed with the job's mapping.
type ImportPreviewRow struct {
	Row    int
	Cells  []string
	Issues []store.RowIssue
}

// ImportPreview parses the first rows of a job with its current mapping,
// without storing anything, for the mapping page.
func (a *App) ImportPreview(ctx context.Context, id int64, n int) ([]ImportPreviewRow, error) {
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	idx, err := a.places(ctx)
	if err != nil {
		return nil, err
	}
	var out []ImportPreviewRow
	err = a.db.ReadTx(ctx, func(tx *store.Tx) error {
		j, err := importJob(ctx, tx, p, id)
		if err != nil {
			return err
		}
		rows, err := tx.FindImportRows(ctx, j.ID, 0, n, false, false)
		if err != nil {
			return err
		}
		for _, r := range rows {
			_, issues := parseImportRow(j.Mapping, r.Cells, idx, p, nipp.DateOf(tx.Now()))
			out = append(out, ImportPreviewRow{Row: r.Row, Cells: r.Cells, Issues: issues})
		}
		return nil
	})
	return out, err
}

// ConfirmImport sets the job's column mapping (one key or "" per column)
// and its mode, and queues the validation of every row.
func (a *App) ConfirmImport(ctx context.Context, id int64, mapping []string, atomic bool) (*store.ImportJob, error) {
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	var j *store.ImportJob
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		j, err = importJob(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if j.State != store.ImportMapping && j.State != store.ImportValidated {
			return nipp.Errorf(nipp.ECONFLICT, "err.app.import_past_mapping_step")
		}
		if mapping != nil {
			seen := map[string]bool{}
			valid := map[string]bool{}
			for _, k := range EstColumnKeys() {
				valid[k] = true
			}
			m := make([]string, len(j.Header))
			for i := range m {
				if i < len(mapping) && mapping[i] != "" {
					if !valid[mapping[i]] {
						return nipp.FieldError("mapping", "err.app.unknown_field", mapping[i])
					}
					if seen[mapping[i]] {
						return nipp.FieldError("mapping", "err.import.field_twice", EstColumnHeader(mapping[i]))
					}
					seen[mapping[i]] = true
					m[i] = mapping[i]
				}
			}
			if !seen["name"] || !seen["province"] {
				return nipp.FieldError("mapping", "err.app.name_province_columns_must_mapped")
			}
			j.Mapping = m
		}
		if err := tx.ResetImportValidation(ctx, j.ID); err != nil {
			return err
		}
		j.Atomic, j.State, j.ValidatedRows, j.RejectedRows, j.Message = atomic, store.ImportValidating, 0, 0, ""
		return tx.UpdateImportJob(ctx, j)
	})
	return j, err
}

// ApplyImport queues the writing of a validated job's valid rows. In
// atomic mode a job with any rejected row imports nothing.
func (a *App) ApplyImport(ctx context.Context, id int64) (*store.ImportJob, error) {
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	var j *store.ImportJob
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		j, err = importJob(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if j.State != store.ImportValidated {
			return nipp.Errorf(nipp.ECONFLICT, "err.app.import_not_ready_apply_was")
		}
		if j.Atomic && j.RejectedRows > 0 {
			j.State, j.Message = store.ImportCancelled, nipp.EncodeMsg(nipp.M("msg.import.nothing_rejected", nipp.Num(j.RejectedRows)))
			return tx.UpdateImportJob(ctx, j)
		}
		j.State = store.ImportApplying
		return tx.UpdateImportJob(ctx, j)
	})
	return j, err
}

// CancelImport abandons a job that has not been applied: nothing is imported.
func (a *App) CancelImport(ctx context.Context, id int64) (*store.ImportJob, error) {
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	var j *store.ImportJob
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		j, err = importJob(ctx, tx, p, id)
		if err != nil {
			return err
		}
		switch j.State {
		case store.ImportMapping, store.ImportValidating, store.ImportValidated:
		default:
			return nipp.Errorf(nipp.ECONFLICT, "err.app.import_can_no_longer_cancelled")
		}
		j.State, j.Message = store.ImportCancelled, nipp.EncodeMsg(nipp.M("msg.import.cancelled"))
		return tx.UpdateImportJob(ctx, j)
	})
	return j, err
}

// RunImportJobs does the pending work of every import job (validating or
// applying), chunk by chunk, as the job's creator. It is the background
// worker's body (serve runs it in a loop) and is safe to call again after a
// crash: each chunk commits with the job's cursor, and applying a row twice
// leaves it unchanged. It returns the number of jobs it worked on.
func (a *App) RunImportJobs(ctx context.Context) (int, error) {
	var jobs []*store.ImportJob
	err := a.db.ReadTx(ctx, func(tx *store.Tx) error {
		var err error
		jobs, err = tx.FindImportJobs(ctx, 0, []string{store.ImportValidating, store.ImportApplying}, 10)
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, j := range jobs {
		if err := a.RunImportJob(ctx, j.ID); err != nil {
			a.log.Error("import job failed", "job", j.ID, "err", err)
		}
	}
	return len(jobs), nil
}

func (a *App) jobPrincipal(ctx context.Context, j *store.ImportJob) (context.Context, error) {
	if j.CreatedBy == 0 {
		return nipp.WithPrincipal(ctx, systemPrincipal()), nil
	}
	var u *nipp.User
	err := a.db.ReadTx(ctx, func(tx *store.Tx) error {
		var err error
		u, err = tx.FindUserByID(ctx, j.CreatedBy)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, nipp.Forbidden()
	}
	return nipp.WithPrincipal(ctx, u.Principal()), nil
}

// systemUserID marks the operator at the command line: not a stored user
// (never written as a user id), but not the anonymous public either.
const systemUserID = -1

// systemPrincipal is the operator at the command line.
func systemPrincipal() *nipp.Principal {
	return &nipp.Principal{Email: "system", Role: nipp.RoleAdmin, UserID: systemUserID}
}

// userRef returns a principal's user id for created_by columns (0 for none).
func userRef(p *nipp.Principal) int64 { return max(p.UserID, 0) }

// AsSystem returns ctx acting as the operator at the command line.
func AsSystem(ctx context.Context) context.Context {
	return nipp.WithPrincipal(ctx, systemPrincipal())
}

// RunImportJob does the pending work of one job (see RunImportJobs).
func (a *App) RunImportJob(ctx context.Context, id int64) error {
	var j *store.ImportJob
	if err := a.db.ReadTx(ctx, func(tx *store.Tx) error {
		var err error
		j, err = tx.FindImportJobByID(ctx, id)
		return err
	}); err != nil {
		return err
	}
	ctx, err := a.jobPrincipal(ctx, j)
	if err != nil {
		return a.failJob(ctx, j, err)
	}
	p := nipp.PrincipalFrom(ctx)
	for j.State == store.ImportValidating {
		if err := a.validateChunk(ctx, p, j); err != nil {
			return a.failJob(ctx, j, err)
		}
	}
	if j.State == store.ImportApplying {
		if j.Atomic {
			// All or nothing: one transaction for every row.
			err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
				for j.State == store.ImportApplying {
					if err := a.applyChunk(ctx, tx, p, j); err != nil {
						return err
					}
				}
				return nil
			})
		} else {
			for j.State == store.ImportApplying && err == nil {
				err = a.db.WriteTx(ctx, func(tx *store.Tx) error { return a.applyChunk(ctx, tx, p, j) })
			}
		}
		if err != nil {
			return a.failJob(ctx, j, err)
		}
	}
	return nil
}

func (a *App) failJob(ctx context.Context, j *store.ImportJob, cause error) error {
	// Reload: a failed chunk rolled back its counters.
	return a.db.WriteTx(ctx, func(tx *store.Tx) error {
		cur, err := tx.FindImportJobByID(ctx, j.ID)
		if err != nil {
			return err
		}
		cur.State, cur.Message = store.ImportFailed, nipp.EncodeMsg(nipp.M("msg.import.failed", nipp.ErrorProblems(cause)[0].Msg))
		*j = *cur
		return tx.UpdateImportJob(ctx, cur)
	})
}

// validateChunk checks the next rows of j and records each row's result.
func (a *App) validateChunk(ctx context.Context, p *nipp.Principal, j *store.ImportJob) error {
	idx, err := a.places(ctx)
	if err != nil {
		return err
	}
	return a.db.WriteTx(ctx, func(tx *store.Tx) error {
		cur, err := tx.LockImportJob(ctx, j.ID)
		if err != nil {
			return err
		}
		*j = *cur
		if j.State != store.ImportValidating {
			return nil
		}
		rows, err := tx.FindImportRowsUnvalidated(ctx, j.ID, validateChunk)
		if err != nil {
			return err
		}
		today := nipp.DateOf(tx.Now())
		for _, r := range rows {
			in, issues := parseImportRow(j.Mapping, r.Cells, idx, p, today)
			if len(issues) == 0 {
				key := importDupKey(in)
				if first, err := tx.FirstImportRowWithKey(ctx, j.ID, key, r.Row); err != nil {
					return err
				} else if first > 0 {
					issues = append(issues, store.RowIssue{Msg: nipp.M("err.import.duplicate_row", first)})
				} else {
					r.DupKey = key
				}
			}
			if len(issues) == 0 {
				issues = checkRowTarget(ctx, tx, p, in, j.Mapping)
			}
			ok := len(issues) == 0
			r.Valid, r.Errors = &ok, issues
			if ok {
				b, _ := json.Marshal(in)
				r.Record = string(b)
			} else {
				j.RejectedRows++
			}
			if err := tx.SetImportRowResult(ctx, j.ID, r); err != nil {
				return err
			}
			j.ValidatedRows++
		}
		if len(rows) < validateChunk {
			j.State = store.ImportValidated
			if j.TotalRows == 0 {
				j.Message = nipp.EncodeMsg(nipp.M("msg.import.no_rows"))
			}
		}
		return tx.UpdateImportJob(ctx, j)
	})
}

// checkRowTarget reports a row that would change a record the principal
// may not change, or reuse another record's tax code.
func checkRowTarget(ctx context.Context, tx *store.Tx, p *nipp.Principal, in *importInput, mapping []string) []store.RowIssue {
	target, err := findImportTarget(ctx, tx, in)
	if err != nil && nipp.ErrorCode(err) != nipp.ENOTFOUND {
		return []store.RowIssue{{Msg: nipp.ErrorProblems(err)[0].Msg}}
	}
	if target != nil && !canWriteEst(p, target) {
		return []store.RowIssue{{Col: colOf(mapping, "id") + 1, Field: "id", Msg: nipp.M("err.import.other_province_record")}}
	}
	selfID := int64(0)
	if target != nil {
		selfID = target.ID
	}
	if err := checkTaxCode(ctx, tx, p, in.TaxCode, selfID); err != nil {
		var ne *nipp.Error
		errors.As(err, &ne)
		return []store.RowIssue{{Col: colOf(mapping, "tax_code") + 1, Field: "tax_code", Msg: ne.Msg}}
	}
	return nil
}

func colOf(mapping []string, key string) int {
	for i, k := range mapping {
		if k == key {
			return i
		}
	}
	return -1
}

// importInput is a parsed row: the input plus the id column.
type importInput struct {
	nipp.EstablishmentInput
	ID string `json:"file_id"`
}

func importDupKey(in *importInput) string {
	switch {
	case in.ID != "":
		return "i:" + in.ID
	case in.TaxCode != "":
		return "t:" + in.TaxCode
	}
	return "n:" + vntext.NameKey(in.Name) + "|" + foldKey(in.Province) + "|" + foldKey(in.Commune)
}

// parseImportRow reads one row with the mapping into an input and checks it
// fully (form and address); issues name the column.
func parseImportRow(mapping []string, cells []string, idx *places, p *nipp.Principal, today nipp.Date) (*importInput, []store.RowIssue) {
	in := &importInput{}
	var issues []store.RowIssue
	cell := func(key string) (string, int) {
		i := colOf(mapping, key)
		if i < 0 {
			return "", 0
		}
		return strings.TrimSpace(tabular.Cell(cells, i)), i + 1
	}
	bad := func(key string, col int, msg string, args ...any) {
		issues = append(issues, store.RowIssue{Col: col, Field: key, Msg: nipp.M(msg, args...)})
	}
	in.ID, _ = cell("id")
	in.Name, _ = cell("name")
	lf, lfCol := cell("legal_form")
	tc, _ := cell("tax_code")
	in.TaxCode = nipp.RestoreLeadingZero(tc)
	in.Province, _ = cell("province")
	in.Commune, _ = cell("commune")
	origProv, _ := cell("orig_province")
	origCommune, _ := cell("orig_commune")
	in.Address, _ = cell("address")
	in.SectorCode, _ = cell("sector")
	in.CraftVillage, _ = cell("craft_village")
	in.ContactName, _ = cell("contact_name")
	in.Phone, _ = cell("phone")
	in.Email, _ = cell("email")
	// Legal form: the column, else words of the name ("HTX ...", "Công ty TNHH ...").
	folded := vntext.ExpandLegalAbbrev(vntext.Fold(lf))
	in.LegalForm = nipp.ParseLegalForm(folded)
	if in.LegalForm == "" {
		if lf != "" {
			bad("legal_form", lfCol, "err.import.unknown_legal_form", lf)
			in.LegalForm = "?"
		} else if in.LegalForm = nipp.ParseLegalForm(vntext.ExpandLegalAbbrev(vntext.Fold(in.Name))); in.LegalForm == "" {
			in.LegalForm = nipp.LegalHousehold // the most common kind in rural lists; noted in the docs
		}
	}
	for _, f := range []struct {
		key string
		dst **int64
	}{{"employees", &in.Employees}, {"founded_year", &in.FoundedYear}} {
		s, col := cell(f.key)
		if s == "" {
			continue
		}
		n, err := tabular.ParseInt(s)
		if err != nil && f.key == "founded_year" {
			if d, derr := tabular.ParseDate(s); derr == nil {
				n, err = int64(d.Year()), nil
			}
		}
		if err != nil {
			bad(f.key, col, "err.import.not_whole_number", s)
			continue
		}
		*f.dst = &n
	}
	for _, f := range []struct {
		key string
		dst *bool
	}{{"women_owned", &in.WomenOwned}, {"ethnic_minority_owned", &in.EthnicMinorityOwned}, {"artisan", &in.Artisan}, {"published", &in.Published}} {
		s, col := cell(f.key)
		if s == "" {
			continue
		}
		v, err := tabular.ParseBool(s)
		if err != nil {
			bad(f.key, col, "err.import.not_yes_no", s)
			continue
		}
		*f.dst = v
	}
	if s, col := cell("status"); s != "" {
		in.Status = parseStatus(s)
		if in.Status == s && s != nipp.EstActive && s != nipp.EstInactive && s != nipp.EstArchived {
			bad("status", col, "err.import.unknown_status", s)
			in.Status = nipp.EstActive
		}
	}
	if s, col := cell("recorded_on"); s != "" {
		d, err := tabular.ParseDate(s)
		if err != nil {
			bad("recorded_on", col, "err.import.invalid_date", s)
		} else {
			in.RecordedOn = nipp.DateOf(d)
		}
	}
	in.Normalize()
	if in.RecordedOn.IsZero() {
		in.RecordedOn = today
	}
	for _, e := range in.ValidateAll(today) {
		if e.Field == "legal_form" && in.LegalForm == "?" {
			continue
		}
		issues = append(issues, store.RowIssue{Col: colOf(mapping, fieldColumn(e.Field)) + 1, Field: e.Field, Msg: e.Msg})
	}
	// Address: resolved in the units of the record's date. The columns of
	// the units at the time, when present, say where it was then.
	if in.Province != "" && in.Commune != "" || origProv != "" && origCommune != "" {
		prov, com, chosen := in.Province, in.Commune, ""
		if origProv != "" && origCommune != "" {
			prov, com, chosen = origProv, origCommune, in.Commune
		}
		pl, err := idx.resolve(prov, com, in.RecordedOn, "")
		var amb *AmbiguousCommuneError
		if errors.As(err, &amb) && chosen != "" {
			for _, c := range amb.Candidates {
				if c.Code == chosen || foldKey(c.Name) == foldKey(chosen) {
					pl, err = idx.resolve(prov, com, in.RecordedOn, c.Code)
				}
			}
		}
		if err != nil {
			var ne *nipp.Error
			errors.As(err, &ne)
			field := "commune"
			if ne != nil && ne.Field != "" {
				field = ne.Field
			}
			issues = append(issues, store.RowIssue{Col: colOf(mapping, field) + 1, Field: field, Msg: nipp.ErrorProblems(err)[0].Msg})
		} else {
			if !p.InProvince(pl.Province.Code) {
				issues = append(issues, store.RowIssue{Col: colOf(mapping, "province") + 1, Field: "province", Msg: nipp.M("err.import.own_provinces_only")})
			}
			// Store canonical names so that applying resolves exactly this place.
			in.Province, in.Commune, in.CommuneCode = pl.OrigProvince.Name, "", pl.Commune.Code
			if pl.OrigCommune != nil {
				in.Commune = pl.OrigCommune.Name
			} else {
				in.Province, in.Commune = pl.Province.Name, pl.Commune.Name
			}
		}
	} else if in.Province != "" {
		issues = append(issues, store.RowIssue{Col: colOf(mapping, "commune") + 1, Field: "commune", Msg: nipp.M("err.import.commune_required")})
	}
	for i := range issues {
		if issues[i].Col < 0 {
			issues[i].Col = 0
		}
	}
	return in, issues
}

func fieldColumn(field string) string {
	if field == "sector_code" {
		return "sector"
	}
	return field
}

// findImportTarget returns the stored record a row updates: by the file's id
// column (nipp's public id, or the province's own id), then by tax code,
// then (rows with neither) by the same name key in the same commune among
// records without a tax code; ENOTFOUND when the row is new.
func findImportTarget(ctx context.Context, tx *store.Tx, in *importInput) (*nipp.Establishment, error) {
	if in.ID != "" {
		if strings.HasPrefix(in.ID, "cs-") {
			if e, err := tx.FindEstablishmentByPublicID(ctx, in.ID); err == nil || nipp.ErrorCode(err) != nipp.ENOTFOUND {
				return e, err
			}
		}
		if e, err := tx.FindEstablishmentByExtID(ctx, in.ID); err == nil || nipp.ErrorCode(err) != nipp.ENOTFOUND {
			return e, err
		}
	}
	if in.TaxCode != "" {
		return tx.FindEstablishmentByTaxCode(ctx, in.TaxCode)
	}
	if in.CommuneCode != "" {
		// No key in the file: the same name in the same commune is the same
		// establishment (so a re-import changes nothing).
		return tx.FindEstablishmentByNameInCommune(ctx, in.CommuneCode, in.Name)
	}
	return nil, store.NotFound("establishment")
}

// applyChunk writes the next valid rows of j in tx and advances its cursor
// in the same transaction.
func (a *App) applyChunk(ctx context.Context, tx *store.Tx, p *nipp.Principal, j *store.ImportJob) error {
	cur, err := tx.LockImportJob(ctx, j.ID)
	if err != nil {
		return err
	}
	*j = *cur
	if j.State != store.ImportApplying {
		return nil
	}
	rows, err := tx.FindImportRows(ctx, j.ID, j.AppliedThrough, applyChunk, true, false)
	if err != nil {
		return err
	}
	today := nipp.DateOf(tx.Now())
	for _, r := range rows {
		var in importInput
		if err := json.Unmarshal([]byte(r.Record), &in); err != nil {
			return nipp.Internal(err)
		}
		res, err := a.upsertRow(ctx, tx, p, &in, today)
		if err != nil {
			return fmt.Errorf("row %d: %w", r.Row, err)
		}
		switch res {
		case "imported":
			j.Imported++
		case "updated":
			j.Updated++
		default:
			j.Unchanged++
		}
		j.AppliedThrough = r.Row
	}
	if len(rows) < applyChunk {
		j.State = store.ImportDone
		if err := tx.DeleteImportRowsValid(ctx, j.ID); err != nil {
			return err
		}
		if err := audit(ctx, tx, nipp.ActionImport, "import_job", strconv.FormatInt(j.ID, 10), nil,
			map[string]any{"file": j.FileName, "imported": j.Imported, "updated": j.Updated, "unchanged": j.Unchanged, "rejected": j.RejectedRows}); err != nil {
			return err
		}
	}
	return tx.UpdateImportJob(ctx, j)
}

// upsertRow creates or updates the record of one row; it returns
// "imported", "updated" or "unchanged".
func (a *App) upsertRow(ctx context.Context, tx *store.Tx, p *nipp.Principal, in *importInput, today nipp.Date) (string, error) {
	target, err := findImportTarget(ctx, tx, in)
	if err != nil && nipp.ErrorCode(err) != nipp.ENOTFOUND {
		return "", err
	}
	if target != nil && !strings.HasPrefix(in.ID, "cs-") {
		in.ExtID = in.ID
	} else if target == nil && in.ID != "" && !strings.HasPrefix(in.ID, "cs-") {
		in.ExtID = in.ID
	}
	if target != nil && in.ExtID == "" {
		in.ExtID = target.ExtID
	}
	r, err := a.buildRow(ctx, p, in.EstablishmentInput, today)
	if err != nil {
		return "", err
	}
	if target == nil {
		if err := checkTaxCode(ctx, tx, p, r.TaxCode, 0); err != nil {
			return "", err
		}
		if strings.HasPrefix(in.ID, "cs-") {
			r.PublicID = in.ID
		}
		if err := tx.CreateEstablishment(ctx, r); err != nil {
			return "", uniqueAsTaxConflict(err)
		}
		if err := flagDuplicates(ctx, tx, r.Establishment); err != nil {
			return "", err
		}
		return "imported", audit(ctx, tx, nipp.ActionCreate, "establishment", r.PublicID, nil, viewOfEst(r.Establishment))
	}
	if !canWriteEst(p, target) {
		return "", nipp.Forbidden()
	}
	r.ID, r.PublicID, r.CreatedAt, r.ReviewDuplicate, r.MergedInto = target.ID, target.PublicID, target.CreatedAt, target.ReviewDuplicate, target.MergedInto
	r.Version = target.Version
	before, after := viewOfEst(target), viewOfEst(r.Establishment)
	bj, _ := jsonOrEmpty(before)
	aj, _ := jsonOrEmpty(after)
	if bj == aj {
		return "unchanged", nil
	}
	if err := checkTaxCode(ctx, tx, p, r.TaxCode, target.ID); err != nil {
		return "", err
	}
	if err := tx.UpdateEstablishment(ctx, r, target.Version); err != nil {
		return "", uniqueAsTaxConflict(err)
	}
	return "updated", audit(ctx, tx, nipp.ActionUpdate, "establishment", r.PublicID, before, viewOfEst(r.Establishment))
}

// WriteImportErrors writes the rejected rows of a job as a spreadsheet: the
// file's own header and cells with a first column giving the row number and
// the reasons, so the officer can fix the rows and upload this file again
// (the error columns are not read back). tr translates the messages into
// the reader's language.
func (a *App) WriteImportErrors(ctx context.Context, id int64, w tabular.Writer, tr func(nipp.Msg) string) error {
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return err
	}
	var j *store.ImportJob
	if err := a.db.ReadTx(ctx, func(tx *store.Tx) error {
		j, err = importJob(ctx, tx, p, id)
		return err
	}); err != nil {
		return err
	}
	return writeImportErrors(ctx, a.db, j, w, tr)
}

func writeImportErrors(ctx context.Context, db *store.DB, j *store.ImportJob, w tabular.Writer, tr func(nipp.Msg) string) error {
	head := []any{tr(nipp.M("imp.errors.row")), tr(nipp.M("imp.errors.errors"))}
	for _, h := range j.Header {
		head = append(head, h)
	}
	if err := w.Write(head); err != nil {
		return err
	}
	after := 0
	for {
		var rows []store.ImportRow
		if err := db.ReadTx(ctx, func(tx *store.Tx) error {
			var err error
			rows, err = tx.FindImportRows(ctx, j.ID, after, 1000, false, true)
			return err
		}); err != nil {
			return err
		}
		for _, r := range rows {
			line := []any{r.Row, IssuesText(r.Errors, tr)}
			for _, c := range r.Cells {
				line = append(line, c)
			}
			if err := w.Write(line); err != nil {
				return err
			}
			after = r.Row
		}
		if len(rows) < 1000 {
			return nil
		}
	}
}

// IssuesText renders a row's issues as one cell, translated by tr:
// "cột C: ...; ...".
func IssuesText(issues []store.RowIssue, tr func(nipp.Msg) string) string {
	parts := make([]string, len(issues))
	for i, is := range issues {
		if is.Col > 0 {
			parts[i] = tr(nipp.M("imp.errors.column", tabular.ColumnName(is.Col))) + ": " + tr(is.Message())
		} else {
			parts[i] = tr(is.Message())
		}
	}
	return strings.Join(parts, "; ")
}

// ImportRejected returns up to limit rejected rows of a job after row after.
func (a *App) ImportRejected(ctx context.Context, id int64, after, limit int) ([]store.ImportRow, error) {
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	var out []store.ImportRow
	err = a.db.ReadTx(ctx, func(tx *store.Tx) error {
		j, err := importJob(ctx, tx, p, id)
		if err != nil {
			return err
		}
		out, err = tx.FindImportRows(ctx, j.ID, after, limit, false, true)
		return err
	})
	return out, err
}

// ImportWorker runs RunImportJobs every interval until ctx ends.
func (a *App) ImportWorker(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := a.RunImportJobs(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("import worker", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
