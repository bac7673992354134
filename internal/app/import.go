package app

import (
	"context"
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
	applyChunk    = 1000
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
// row in the database in chunks, so memory does not grow with the file. The
// table ends at a total or signature row below the data ("Tổng cộng",
// "Người lập biểu", a place and date): the rows after it are not data and
// are neither staged nor reported as errors (the job records where the
// table ended), unless a full data row follows (a subtotal mid-table). A file that cannot be read to its end
// (truncated, damaged, wrong encoding) fails the job with the reason and
// keeps nothing staged.
// ImportOptions are the user's choices for an import.
type ImportOptions struct {
	// Atomic: import nothing if any row is rejected.
	Atomic bool
	// AddressesAsOf is the one date the file's addresses are read at (the
	// administrative units in force that day); zero reads them as of the
	// day the rows are checked.
	AddressesAsOf nipp.Date
}

// maxTrailingRows bounds the rows held after a total or signature row while
// it is not yet known whether the table resumes below them.
const maxTrailingRows = 200

func (a *App) StageImport(ctx context.Context, fileName string, r tabular.Reader, opts ImportOptions) (_ *nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "app.StageImport(%q)", fileName)
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
	if !opts.AddressesAsOf.IsZero() && (opts.AddressesAsOf.Year < tabular.MinYear || opts.AddressesAsOf.Year > tabular.MaxYear) {
		return nil, nipp.FieldError("addresses_as_of", "err.import.invalid_addresses_as_of")
	}
	job := &nipp.ImportJob{Kind: "establishments", FileName: fileName, State: nipp.ImportMapping, Atomic: opts.Atomic,
		HeaderRow: h.Row, Header: h.Texts, Mapping: h.Keys, CreatedBy: userRef(p), AddressesAsOf: opts.AddressesAsOf}
	if err := a.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.CreateImportJob(ctx, job) }); err != nil {
		return nil, err
	}
	return job, a.stageRows(ctx, job, r, func(cells []string) bool { return looksLikeDataRow(h, cells) })
}

// stageRows stages the data rows of r (after its header) into job in
// chunks, so memory does not grow with the file: numbering rows are
// skipped; a total or signature row below the data ends the table unless a
// full data row (dataRow) follows. A file that cannot be read to its end
// fails the job with the reason and keeps nothing staged. Every import
// kind stages its file through it.
func (a *App) stageRows(ctx context.Context, job *nipp.ImportJob, r tabular.Reader, dataRow func(cells []string) bool) error {
	// Each batch is written while the next is read (on two cores): one
	// batch is written at a time, in order; job is the writer's until it
	// is waited for.
	var batch []nipp.ImportRow
	var writing chan error // the batch being written, if any
	wait := func() error {
		if writing == nil {
			return nil
		}
		err := <-writing
		writing = nil
		return err
	}
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := wait(); err != nil {
			return err
		}
		b := batch
		batch = make([]nipp.ImportRow, 0, stageChunk)
		writing = make(chan error, 1)
		go func() {
			total := job.TotalRows + len(b) // once, whatever WriteTx's attempts
			writing <- a.db.WriteTx(ctx, func(tx *store.Tx) error {
				if err := tx.CommitWithoutFlush(ctx); err != nil {
					return err
				}
				if err := tx.StageImportRows(ctx, job.ID, b); err != nil {
					return err
				}
				job.TotalRows = total
				return tx.UpdateImportJob(ctx, job)
			})
		}()
		return nil
	}
	defer wait() // an early return leaves no write running
	add := func(row int, cells []string) error {
		batch = append(batch, nipp.ImportRow{Row: row, Cells: cells})
		if len(batch) == stageChunk {
			return flush()
		}
		return nil
	}
	var (
		readErr  error
		lastData int              // the last data row staged
		endRow   int              // the table ended after this row (0: not ended)
		trailing int              // rows after endRow, not data
		held     []nipp.ImportRow // rows after endRow, staged if the table resumes
	)
	for {
		row, cells, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		if tabular.IsNumberingRow(cells) {
			continue
		}
		if tabular.IsTotalRow(cells) || tabular.IsSignatureRow(cells) {
			if lastData > 0 {
				if endRow == 0 {
					endRow, trailing = lastData, 0
				}
				trailing++
			}
			continue // a total above the data, or the end of the table
		}
		if endRow > 0 {
			if !dataRow(cells) && len(held) < maxTrailingRows {
				held = append(held, nipp.ImportRow{Row: row, Cells: cells})
				trailing++
				continue
			}
			// A full row below a subtotal (or too long a tail to be a
			// signature block): the table goes on.
			for _, hr := range held {
				if err := add(hr.Row, hr.Cells); err != nil {
					return err
				}
			}
			endRow, trailing, held = 0, 0, nil
		}
		if err := add(row, cells); err != nil {
			return err
		}
		lastData = row
	}
	if readErr == nil {
		readErr = flush()
	}
	if err := wait(); readErr == nil {
		readErr = err
	}
	if readErr == nil && endRow > 0 {
		job.TableEndRow, job.TrailingRows = endRow, trailing
		readErr = a.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.UpdateImportJob(ctx, job) })
	}
	if readErr != nil {
		job.State, job.TableEndRow, job.TrailingRows = nipp.ImportFailed, 0, 0
		job.Message = nipp.EncodeMsg(nipp.M("err.import.read_failed", readErr.Error()))
		err := a.db.WriteTx(ctx, func(tx *store.Tx) error {
			if err := tx.DeleteImportRows(ctx, job.ID); err != nil {
				return err
			}
			job.TotalRows = 0
			return tx.UpdateImportJob(ctx, job)
		})
		if err != nil {
			return err
		}
		return nipp.Errorf(nipp.EINVALID, "err.import.read_failed", readErr.Error())
	}
	return nil
}

// looksLikeDataRow reports whether a row below the end of the table is a
// full data row: a name and at least three cells under recognised titles
// (signature blocks have one or two cells a row).
func looksLikeDataRow(h tabular.Header, cells []string) bool {
	if tabular.Cell(cells, h.Column("name")) == "" {
		return false
	}
	n := 0
	for i, k := range h.Keys {
		if k != "" && tabular.Cell(cells, i) != "" {
			n++
		}
	}
	return n >= 3
}

// importJob loads a job the principal may act on (their own, or any for
// national roles).
func importJob(ctx context.Context, tx *store.Tx, p *nipp.Principal, id int64) (*nipp.ImportJob, error) {
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
func (a *App) ImportJob(ctx context.Context, id int64) (_ *nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "app.ImportJob(%v)", id)
	return a.importJobOf(ctx, registryJobs, id)
}

func (a *App) importJobOf(ctx context.Context, acc jobAccess, id int64) (*nipp.ImportJob, error) {
	p, err := authorize(ctx, acc.perm)
	if err != nil {
		return nil, err
	}
	var j *nipp.ImportJob
	err = a.read(ctx, func(tx *store.Tx) error {
		j, err = acc.load(ctx, tx, p, id)
		return err
	})
	return j, err
}

// ImportJobs returns the principal's latest import jobs.
func (a *App) ImportJobs(ctx context.Context) (_ []*nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "app.ImportJobs()")
	return a.importJobsOf(ctx, registryJobs)
}

func (a *App) importJobsOf(ctx context.Context, acc jobAccess) ([]*nipp.ImportJob, error) {
	p, err := authorize(ctx, acc.perm)
	if err != nil {
		return nil, err
	}
	var out []*nipp.ImportJob
	err = a.read(ctx, func(tx *store.Tx) error {
		out, err = tx.FindImportJobsOfKind(ctx, userRef(p), acc.kind, 20)
		return err
	})
	return out, err
}

// ImportPreviewRow is a staged row parsed with the job's mapping.
// Cells has one cell per header column (more when the row is longer than
// the header).
type ImportPreviewRow struct {
	Row    int
	Cells  []string
	Issues []nipp.RowIssue
	Notes  []nipp.RowIssue
}

// addressDate is the date a job reads its addresses at.
func addressDate(j *nipp.ImportJob, today nipp.Date) nipp.Date {
	if j.AddressesAsOf.IsZero() {
		return today
	}
	return j.AddressesAsOf
}

// ImportPreview parses the first rows of a job with its current mapping,
// without storing anything, for the mapping page.
func (a *App) ImportPreview(ctx context.Context, id int64, n int) (_ []ImportPreviewRow, err error) {
	defer nipp.Wrap(&err, "app.ImportPreview(%v, %v)", id, n)
	return a.importPreview(ctx, registryJobs, id, n)
}

// importPreview parses (and, for kinds that preview their checks, checks)
// the first n rows of a job, storing nothing.
func (a *App) importPreview(ctx context.Context, acc jobAccess, id int64, n int) ([]ImportPreviewRow, error) {
	p, err := authorize(ctx, acc.perm)
	if err != nil {
		return nil, err
	}
	if _, err := a.places(ctx); err != nil { // outside the transaction, once per process
		return nil, err
	}
	var out []ImportPreviewRow
	err = a.read(ctx, func(tx *store.Tx) error {
		j, err := acc.load(ctx, tx, p, id)
		if err != nil {
			return err
		}
		rows, err := tx.FindImportRows(ctx, j.ID, 0, n, false, false)
		if err != nil {
			return err
		}
		kind, err := a.rowsOf(ctx, p, j, nipp.Today(tx.Now()))
		if err != nil {
			return err
		}
		for _, r := range rows {
			rec, _, issues, notes := kind.parse(r.Cells)
			if kind.previewCheck && len(issues) == 0 {
				if issues, notes, err = kind.check(ctx, tx, rec); err != nil {
					return err
				}
			}
			cells := make([]string, len(j.Header))
			copy(cells, r.Cells) // every row has a cell under every column
			out = append(out, ImportPreviewRow{Row: r.Row, Cells: cells, Issues: issues, Notes: notes})
		}
		return nil
	})
	return out, err
}

// ConfirmImport sets the job's column mapping (one key or "" per column),
// its mode and (when opts.AddressesAsOf is set) the date its addresses are
// read at, and queues the validation of every row.
func (a *App) ConfirmImport(ctx context.Context, id int64, mapping []string, opts ImportOptions) (_ *nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "app.ConfirmImport(%v)", id)
	p, err := authorize(ctx, nipp.PermRegistryWrite)
	if err != nil {
		return nil, err
	}
	var j *nipp.ImportJob
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		j, err = importJob(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if j.State != nipp.ImportMapping && j.State != nipp.ImportValidated {
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
		// A job staged and never validated has no results to clear (an
		// UPDATE of every staged row: 2,000,000 rewritten for nothing).
		if j.State == nipp.ImportValidated {
			if err := tx.ResetImportValidation(ctx, j.ID); err != nil {
				return err
			}
		}
		if !opts.AddressesAsOf.IsZero() {
			if opts.AddressesAsOf.Year < tabular.MinYear || opts.AddressesAsOf.Year > tabular.MaxYear {
				return nipp.FieldError("addresses_as_of", "err.import.invalid_addresses_as_of")
			}
			j.AddressesAsOf = opts.AddressesAsOf
		}
		j.Atomic, j.State, j.ValidatedRows, j.RejectedRows, j.NotedRows, j.Message = opts.Atomic, nipp.ImportValidating, 0, 0, 0, ""
		if err := tx.UpdateImportJob(ctx, j); err != nil {
			return err
		}
		return queueImport(ctx, tx, j.ID)
	})
	if err == nil {
		a.wakeJobs()
	}
	return j, err
}

// ApplyImport queues the writing of a validated job's valid rows. In
// atomic mode a job with any rejected row imports nothing.
func (a *App) ApplyImport(ctx context.Context, id int64) (_ *nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "app.ApplyImport(%v)", id)
	return a.applyImport(ctx, registryJobs, id)
}

// jobAccess is who may act on an import kind's jobs: the permission and
// the loader of a job the principal may see (their own, or any for
// national roles).
type jobAccess struct {
	kind string
	perm nipp.Permission
	load func(ctx context.Context, tx *store.Tx, p *nipp.Principal, id int64) (*nipp.ImportJob, error)
}

var registryJobs = jobAccess{"establishments", nipp.PermRegistryWrite, importJob}

func (a *App) applyImport(ctx context.Context, acc jobAccess, id int64) (*nipp.ImportJob, error) {
	p, err := authorize(ctx, acc.perm)
	if err != nil {
		return nil, err
	}
	var j *nipp.ImportJob
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		j, err = acc.load(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if j.State != nipp.ImportValidated {
			return nipp.Errorf(nipp.ECONFLICT, "err.app.import_not_ready_apply_was")
		}
		if j.Atomic && j.RejectedRows > 0 {
			j.State, j.Message = nipp.ImportCancelled, nipp.EncodeMsg(nipp.M("msg.import.nothing_rejected", nipp.Num(j.RejectedRows)))
			return tx.UpdateImportJob(ctx, j)
		}
		j.State = nipp.ImportApplying
		if err := tx.UpdateImportJob(ctx, j); err != nil {
			return err
		}
		return queueImport(ctx, tx, j.ID)
	})
	if err == nil {
		a.wakeJobs()
	}
	return j, err
}

// CancelImport abandons a job that has not been applied: nothing is imported.
func (a *App) CancelImport(ctx context.Context, id int64) (_ *nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "app.CancelImport(%v)", id)
	return a.cancelImport(ctx, registryJobs, id)
}

func (a *App) cancelImport(ctx context.Context, acc jobAccess, id int64) (*nipp.ImportJob, error) {
	p, err := authorize(ctx, acc.perm)
	if err != nil {
		return nil, err
	}
	var j *nipp.ImportJob
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		j, err = acc.load(ctx, tx, p, id)
		if err != nil {
			return err
		}
		switch j.State {
		case nipp.ImportMapping, nipp.ImportValidating, nipp.ImportValidated:
		default:
			return nipp.Errorf(nipp.ECONFLICT, "err.app.import_can_no_longer_cancelled")
		}
		j.State, j.Message = nipp.ImportCancelled, nipp.EncodeMsg(nipp.M("msg.import.cancelled"))
		return tx.UpdateImportJob(ctx, j)
	})
	return j, err
}

// RunImportJobs runs every due job (imports are jobs of kind "import")
// in this goroutine until none is due, and returns how many it ran. serve
// runs the same jobs in its worker pool (RunJobWorkers).
func (a *App) RunImportJobs(ctx context.Context) (_ int, err error) {
	defer nipp.Wrap(&err, "app.RunImportJobs()")
	return a.RunJobs(ctx)
}

// importJobKind is the kind of the jobs that do an import's work; their
// payload is the import job's id and their dedup key importKey(id).
const importJobKind = "import"

func importKey(id int64) string { return "import:" + strconv.FormatInt(id, 10) }

// queueImport queues the work of import job id (validating or applying) as
// a job, in tx.
func queueImport(ctx context.Context, tx *store.Tx, id int64) error {
	_, err := enqueue(ctx, tx, importJobKind, importKey(id), strconv.FormatInt(id, 10))
	return err
}

// registerJobs registers the handlers of every kind of job.
func (a *App) registerJobs() {
	a.handleJobs(importJobKind, jobHandler{
		run: func(ctx context.Context, r *jobRun) error {
			id, err := strconv.ParseInt(r.job.Payload, 10, 64)
			if err != nil {
				return Permanent(err)
			}
			return a.runImport(ctx, r, id)
		},
		failed: func(ctx context.Context, tx *store.Tx, j *nipp.Job, cause error) error {
			id, err := strconv.ParseInt(j.Payload, 10, 64)
			if err != nil {
				return nil
			}
			return failImport(ctx, tx, id, cause)
		},
	})
}

func (a *App) jobPrincipal(ctx context.Context, j *nipp.ImportJob) (context.Context, error) {
	if j.CreatedBy == 0 {
		return nipp.WithPrincipal(ctx, systemPrincipal()), nil
	}
	var u *nipp.User
	err := a.readOwn(ctx, func(tx *store.Tx) error {
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

// RunImportJob does the pending work of import job id now, in this
// goroutine, through the jobs queued for it (waiting while another worker
// holds one), and returns when none is left: the command line's import and
// the tests use it.
func (a *App) RunImportJob(ctx context.Context, id int64) (err error) {
	defer nipp.Wrap(&err, "app.RunImportJob(%v)", id)
	return a.runJobsByKey(ctx, importKey(id))
}

func colOf(mapping []string, key string) int {
	for i, k := range mapping {
		if k == key {
			return i
		}
	}
	return -1
}

// importInput is a parsed row: the input plus the id column and the units
// its address resolved to when it was checked (written as they are, never
// resolved again).
type importInput struct {
	nipp.EstablishmentInput
	ID    string       `json:"file_id"`
	Place *storedPlace `json:"place,omitempty"`
}

// storedUnit is a nipp.Unit with its admin_units id, as a staged row keeps it.
type storedUnit struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Generation int    `json:"generation"`
	Type       string `json:"type,omitempty"`
}

func storeUnit(u *nipp.Unit) *storedUnit {
	if u == nil {
		return nil
	}
	return &storedUnit{ID: u.ID, Code: u.Code, Name: u.Name, Generation: u.Generation, Type: u.Type}
}

func (u *storedUnit) unit() *nipp.Unit {
	if u == nil {
		return nil
	}
	return &nipp.Unit{ID: u.ID, Code: u.Code, Name: u.Name, Generation: u.Generation, Type: u.Type}
}

// storedPlace is a Place as a staged row keeps it.
type storedPlace struct {
	Province     storedUnit  `json:"province"`
	OrigProvince storedUnit  `json:"orig_province"`
	Commune      *storedUnit `json:"commune,omitempty"`
	OrigCommune  *storedUnit `json:"orig_commune,omitempty"`
}

func storePlace(pl *Place) *storedPlace {
	return &storedPlace{Province: *storeUnit(&pl.Province), OrigProvince: *storeUnit(&pl.OrigProvince),
		Commune: storeUnit(pl.Commune), OrigCommune: storeUnit(pl.OrigCommune)}
}

func (sp *storedPlace) place() *Place {
	return &Place{Province: *sp.Province.unit(), OrigProvince: *sp.OrigProvince.unit(), Commune: sp.Commune.unit(), OrigCommune: sp.OrigCommune.unit()}
}

// cutoverEve is the last day of the pre-2025 units: the "units at the time"
// columns of an export name those.
var cutoverEve = nipp.Date{Year: 2025, Month: time.June, Day: 30}

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
// fully (form and address); issues name the column. Addresses are read in
// the units in force on asOf (the job's date, the same for every row), and
// the resolved units are kept in the input. notes are remarks on a row
// that is valid (a name that also was a former commune's).
func parseImportRow(mapping []string, cells []string, idx *places, p *nipp.Principal, today, asOf nipp.Date) (*importInput, []nipp.RowIssue, []nipp.RowIssue) {
	in := &importInput{}
	var issues, notes []nipp.RowIssue
	cell := func(key string) (string, int) {
		i := colOf(mapping, key)
		if i < 0 {
			return "", 0
		}
		return strings.TrimSpace(tabular.Cell(cells, i)), i + 1
	}
	bad := func(key string, col int, msg string, args ...any) {
		issues = append(issues, nipp.RowIssue{Col: col, Field: key, Msg: nipp.M(msg, args...)})
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
		if f.key == "founded_year" && (err != nil || n >= 10000) {
			// A date: a date cell (Excel keeps its serial number, such as
			// 43466 for 01/01/2019) or text such as "15/03/2019".
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
	for _, f := range []struct {
		key string
		dst *nipp.Date
	}{{"recorded_on", &in.RecordedOn}, {"registered_on", &in.RegisteredOn}} {
		if s, col := cell(f.key); s != "" {
			d, err := tabular.ParseDate(s)
			if err != nil {
				bad(f.key, col, "err.import.invalid_date", s)
			} else {
				*f.dst = nipp.DateOf(d)
			}
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
		issues = append(issues, nipp.RowIssue{Col: colOf(mapping, fieldColumn(e.Field)) + 1, Field: e.Field, Msg: e.Msg})
	}
	// Address: read in the units in force on asOf. The columns of the units
	// at the time (an export's "trước 01/07/2025"), when they name other
	// units than today's columns, are read in the pre-2025 units, with
	// today's commune choosing among the parts of a split one.
	if in.Province != "" && in.Commune != "" || origProv != "" && origCommune != "" {
		prov, com, chosen, on := in.Province, in.Commune, "", asOf
		if origProv != "" && origCommune != "" && (foldKey(origProv) != foldKey(in.Province) || foldKey(origCommune) != foldKey(in.Commune)) {
			prov, com, chosen, on = origProv, origCommune, in.Commune, cutoverEve
		}
		pl, err := idx.resolve(prov, com, on, "")
		var amb *AmbiguousCommuneError
		if errors.As(err, &amb) && chosen != "" {
			for _, c := range amb.Candidates {
				if c.Code == chosen || foldKey(c.Name) == foldKey(chosen) {
					pl, err = idx.resolve(prov, com, on, c.Code)
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
			issues = append(issues, nipp.RowIssue{Col: colOf(mapping, field) + 1, Field: field, Msg: nipp.ErrorProblems(err)[0].Msg})
		} else {
			if !p.InProvince(pl.Province.Code) {
				issues = append(issues, nipp.RowIssue{Col: colOf(mapping, "province") + 1, Field: "province", Msg: nipp.M("err.import.own_provinces_only")})
			}
			if on == asOf && !asOf.Before(cutoverDay) && pl.OrigCommune != nil && pl.OrigCommune.ID == pl.Commune.ID {
				if n := formerHomonymNote(idx, prov, com, pl); n.Key != "" {
					notes = append(notes, nipp.RowIssue{Col: colOf(mapping, "commune") + 1, Field: "commune", Msg: n})
				}
			}
			in.Place = storePlace(pl)
			// Canonical names, for the duplicate key and the report.
			in.Province, in.Commune, in.CommuneCode = pl.Province.Name, pl.Commune.Name, pl.Commune.Code
		}
	} else if in.Province != "" {
		issues = append(issues, nipp.RowIssue{Col: colOf(mapping, "commune") + 1, Field: "commune", Msg: nipp.M("err.import.commune_required")})
	}
	for _, l := range [][]nipp.RowIssue{issues, notes} {
		for i := range l {
			if l[i].Col < 0 {
				l[i].Col = 0
			}
		}
	}
	return in, issues, notes
}

// cutoverDay is the first day of the 2025 units.
var cutoverDay = nipp.Date{Year: 2025, Month: time.July, Day: 1}

// formerHomonymNote returns a note when a commune text read as a 2025
// commune (pl) would have named a different, former commune before 1 July
// 2025 (one that was split or merged elsewhere), else the zero Msg.
func formerHomonymNote(idx *places, prov, com string, pl *Place) nipp.Msg {
	old, err := idx.resolve(prov, com, cutoverEve, "")
	var amb *AmbiguousCommuneError
	switch {
	case errors.As(err, &amb):
		names := make([]string, len(amb.Candidates))
		for i, c := range amb.Candidates {
			names[i] = c.Name
		}
		list := strings.Join(names, ", ")
		return nipp.M("err.import.former_homonym_split", com, pl.Commune.Name, list)
	case err == nil && old.OrigCommune != nil && old.OrigCommune.Generation != pl.Commune.Generation && old.Commune.Code != pl.Commune.Code:
		return nipp.M("err.import.former_homonym_merged", com, pl.Commune.Name, old.OrigCommune.Name, old.Commune.Name)
	}
	return nipp.Msg{}
}

func fieldColumn(field string) string {
	if field == "sector_code" {
		return "sector"
	}
	return field
}

// rowWriteError is a row that could not be written.
type rowWriteError struct {
	Row int
	Err error
}

func (e *rowWriteError) Error() string { return fmt.Sprintf("row %d: %v", e.Row, e.Err) }
func (e *rowWriteError) Unwrap() error { return e.Err }

// rowFailure reports whether err, from writing one row, concerns that row
// (its data, a conflict with a stored record) rather than the job (the
// database or the process failing), which is retried by running the job
// again.
func rowFailure(err error) bool {
	switch nipp.ErrorCode(err) {
	case nipp.EINVALID, nipp.ECONFLICT, nipp.EFORBIDDEN, nipp.ENOTFOUND:
		return true
	}
	return false
}

// writeIssue is the reason a row could not be written, for the report.
func writeIssue(mapping []string, err error) nipp.RowIssue {
	is := nipp.RowIssue{Msg: nipp.M("err.import.row_not_written", nipp.ErrorProblems(err)[0].Msg)}
	var ne *nipp.Error
	if errors.As(err, &ne) && ne.Field != "" {
		is.Field, is.Col = ne.Field, colOf(mapping, fieldColumn(ne.Field))+1
		if is.Col < 0 {
			is.Col = 0
		}
	}
	return is
}

// WriteImportErrors writes the rejected rows of a job as a spreadsheet: the
// file's own header and cells with a first column giving the row number and
// the reasons, so the officer can fix the rows and upload this file again
// (the error columns are not read back). tr translates the messages into
// the reader's language.
func (a *App) WriteImportErrors(ctx context.Context, id int64, w tabular.Writer, tr func(nipp.Msg) string) (err error) {
	defer nipp.Wrap(&err, "app.WriteImportErrors(%v)", id)
	return a.writeImportErrorsOf(ctx, registryJobs, id, w, tr)
}

func (a *App) writeImportErrorsOf(ctx context.Context, acc jobAccess, id int64, w tabular.Writer, tr func(nipp.Msg) string) error {
	j, err := a.importJobOf(ctx, acc, id)
	if err != nil {
		return err
	}
	return writeImportErrors(ctx, a.db, j, w, tr)
}

func writeImportErrors(ctx context.Context, db *store.DB, j *nipp.ImportJob, w tabular.Writer, tr func(nipp.Msg) string) error {
	head := []any{tr(nipp.M("imp.errors.row")), tr(nipp.M("imp.errors.errors"))}
	for _, h := range j.Header {
		head = append(head, h)
	}
	if err := w.Write(head); err != nil {
		return err
	}
	after := 0
	for {
		var rows []nipp.ImportRow
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
func IssuesText(issues []nipp.RowIssue, tr func(nipp.Msg) string) string {
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

// Today is the current date by the database's clock.
func (a *App) Today() nipp.Date { return nipp.Today(a.db.Now()) }

// ImportNoted returns up to limit imported rows of a job that carry a note,
// after row after.
func (a *App) ImportNoted(ctx context.Context, id int64, after, limit int) (_ []nipp.ImportRow, err error) {
	defer nipp.Wrap(&err, "app.ImportNoted(%v, %v, %v)", id, after, limit)
	return a.importRows(ctx, registryJobs, id, func(tx *store.Tx, jobID int64) ([]nipp.ImportRow, error) {
		return tx.FindImportRowsNoted(ctx, jobID, after, limit)
	})
}

// ImportRejected returns up to limit rejected rows of a job after row after.
func (a *App) ImportRejected(ctx context.Context, id int64, after, limit int) (_ []nipp.ImportRow, err error) {
	defer nipp.Wrap(&err, "app.ImportRejected(%v, %v, %v)", id, after, limit)
	return a.importRows(ctx, registryJobs, id, func(tx *store.Tx, jobID int64) ([]nipp.ImportRow, error) {
		return tx.FindImportRows(ctx, jobID, after, limit, false, true)
	})
}

// importRows reads rows of an import job the user may see (its uploader,
// or a national role), with find, in one read transaction.
func (a *App) importRows(ctx context.Context, acc jobAccess, id int64, find func(tx *store.Tx, jobID int64) ([]nipp.ImportRow, error)) ([]nipp.ImportRow, error) {
	p, err := authorize(ctx, acc.perm)
	if err != nil {
		return nil, err
	}
	var out []nipp.ImportRow
	err = a.read(ctx, func(tx *store.Tx) error {
		j, err := acc.load(ctx, tx, p, id)
		if err != nil {
			return err
		}
		out, err = find(tx, j.ID)
		return err
	})
	return out, err
}
