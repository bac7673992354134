package app

import (
	"context"
	"encoding/json"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/tabular"
	"nipp/internal/vntext"
)

// Importing ledger entries from treasury statements (.xlsx, .csv): the
// registry import's machinery (staging in chunks, the mapping step, the
// preview, row-level problems naming the column, duplicate rows, the
// worker's chunks and cursor, atomic mode, the errors file) with the
// ledger's own rows: each row is one entry, checked as the page checks it
// and written through the same use case; an entry already recorded (the
// same project, source, kind, amount, date and document) is left
// unchanged, so importing a statement again changes nothing.

const ledgerImportKind = "ledger"

// ledgerColumns are the columns of a ledger statement: the key, the title
// nipp prints and the folded titles it recognises.
var ledgerColumns = []estColumn{
	{"project", "Mã đề án", []string{"ma de an", "ma du an", "de an", "ma de an khuyen cong", "project", "project code"}},
	{"source", "Nguồn kinh phí", []string{"nguon", "nguon kinh phi", "nguon von", "source", "funding source"}},
	{"kind", "Nghiệp vụ", []string{"nghiep vu", "loai", "loai nghiep vu", "loai giao dich", "kind", "entry kind", "type"}},
	{"amount", "Số tiền", []string{"so tien", "so tien (dong)", "so tien (vnd)", "so tien (d)", "gia tri", "amount", "amount (vnd)"}},
	{"date", "Ngày", []string{"ngay", "ngay giao dich", "ngay hach toan", "ngay thanh toan", "date", "value date"}},
	{"doc_no", "Số chứng từ", []string{"so chung tu", "chung tu", "so ct", "so hieu chung tu", "document", "document no", "document no.", "document number"}},
	{"doc_date", "Ngày chứng từ", []string{"ngay chung tu", "ngay ct", "document date"}},
	{"note", "Diễn giải", []string{"dien giai", "ghi chu", "noi dung", "note", "description"}},
}

func matchLedgerColumn(folded string) string {
	for _, c := range ledgerColumns {
		if folded == vntext.Fold(c.Header) || slicesContains(c.Aliases, folded) {
			return c.Key
		}
	}
	return ""
}

// LedgerColumnKeys are the fields of a ledger statement, for the mapping
// step.
func LedgerColumnKeys() []string {
	out := make([]string, len(ledgerColumns))
	for i, c := range ledgerColumns {
		out[i] = c.Key
	}
	return out
}

// ledgerRequired are the columns a statement must have.
var ledgerRequired = []string{"project", "source", "kind", "amount", "date", "doc_no"}

// sourceWords and kindWords read a statement's words (folded) as codes.
var sourceWords = map[string][]string{
	nipp.SourceNational:   {"quoc gia", "khuyen cong quoc gia", "kinh phi khuyen cong quoc gia", "kcqg", "trung uong", "ngan sach trung uong", "nstw"},
	nipp.SourceLocal:      {"dia phuong", "khuyen cong dia phuong", "kinh phi khuyen cong dia phuong", "kcdp", "ngan sach dia phuong", "nsdp"},
	nipp.SourceReciprocal: {"doi ung", "von doi ung", "von doi ung cua co so"},
	nipp.SourceCredit:     {"tin dung", "chuong trinh tin dung"},
	nipp.SourceScience:    {"khoa hoc cong nghe", "khcn", "chuong trinh khoa hoc cong nghe"},
	nipp.SourceTrade:      {"xuc tien thuong mai", "xttm", "chuong trinh xuc tien thuong mai"},
	nipp.SourceOther:      {"khac", "nguon khac"},
}

var kindWords = map[nipp.LedgerKind][]string{
	nipp.LedgerAdvance:      {"tam ung", "ung truoc"},
	nipp.LedgerPayment:      {"thanh toan", "chi tra", "cap phat"},
	nipp.LedgerExpenditure:  {"chi", "chi tieu", "thuc chi", "bao cao chi", "expenditure", "spent"},
	nipp.LedgerRefund:       {"nop tra", "hoan tra", "thu hoi", "nop lai", "nop tra ngan sach"},
	nipp.LedgerAdjustment:   {"dieu chinh", "dieu chinh quyet toan", "settlement adjustment"},
	nipp.LedgerContribution: {"gop von", "gop von doi ung", "von doi ung"},
}

func parseSource(s string) string {
	f := vntext.Fold(s)
	for _, src := range nipp.FundingSources() {
		if f == src || slicesContains(sourceWords[src], f) {
			return src
		}
	}
	return ""
}

func parseKind(s string) nipp.LedgerKind {
	f := vntext.Fold(s)
	for _, k := range nipp.LedgerKinds() {
		if f == string(k) || slicesContains(kindWords[k], f) {
			return k
		}
	}
	return ""
}

// ledgerRow is a parsed statement row: the project's code and public id
// and the entry.
type ledgerRow struct {
	Code     string           `json:"code"`
	PublicID string           `json:"project"`
	In       nipp.LedgerInput `json:"entry"`
}

// ledgerFieldColumn maps an input's field to its statement column.
func ledgerFieldColumn(field string) string {
	if field == "document_no" {
		return "doc_no"
	}
	if field == "document_date" {
		return "doc_date"
	}
	return field
}

// parseLedgerRow reads one statement row with the mapping; issues name
// their column.
func parseLedgerRow(mapping, cells []string, today nipp.Date) (*ledgerRow, []nipp.RowIssue) {
	row := &ledgerRow{}
	var issues []nipp.RowIssue
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
	var col int
	row.Code, col = cell("project")
	if row.Code == "" {
		bad("project", col, "err.import.ledger_project_required")
	}
	s, col := cell("source")
	if row.In.Source = parseSource(s); row.In.Source == "" {
		bad("source", col, "err.import.ledger_unknown_source", s)
	}
	s, col = cell("kind")
	switch row.In.Kind = parseKind(s); {
	case row.In.Kind == nipp.LedgerContribution:
		bad("kind", col, "err.import.ledger_contribution_needs_evidence")
	case row.In.Kind == "" || !slicesContains(nipp.RecordedKinds(), row.In.Kind):
		bad("kind", col, "err.import.ledger_unknown_kind", s)
	}
	if s, col = cell("amount"); s != "" {
		n, err := tabular.ParseInt(s)
		if err != nil {
			bad("amount", col, "err.import.not_whole_number", s)
		}
		row.In.Amount = n
	}
	for _, f := range []struct {
		key string
		dst *nipp.Date
	}{{"date", &row.In.Date}, {"doc_date", &row.In.DocDate}} {
		if s, col := cell(f.key); s != "" {
			d, err := tabular.ParseDate(s)
			if err != nil {
				bad(f.key, col, "err.import.invalid_date", s)
			} else {
				*f.dst = nipp.DateOf(d)
			}
		}
	}
	if row.In.DocDate.IsZero() {
		row.In.DocDate = row.In.Date // a statement line dated once
	}
	row.In.DocNo, _ = cell("doc_no")
	row.In.Note, _ = cell("note")
	if len(issues) == 0 {
		if err := row.In.Validate(today); err != nil {
			for _, pr := range nipp.ErrorProblems(err) {
				f := ledgerFieldColumn(pr.Field)
				issues = append(issues, nipp.RowIssue{Col: colOf(mapping, f) + 1, Field: f, Msg: pr.Msg})
			}
		}
	}
	for i := range issues {
		issues[i].Col = max(issues[i].Col, 0)
	}
	return row, issues
}

// ledgerRows is the ledger's row importer (see rowImporter).
func (a *App) ledgerRows(p *nipp.Principal, j *nipp.ImportJob, today nipp.Date) rowImporter {
	projectCol := colOf(j.Mapping, "project") + 1
	return rowImporter{
		previewCheck: true,
		parse: func(cells []string) (any, string, []nipp.RowIssue, []nipp.RowIssue) {
			row, issues := parseLedgerRow(j.Mapping, cells, today)
			e := nipp.LedgerEntry{Source: row.In.Source, Kind: row.In.Kind, Amount: row.In.Amount, Date: row.In.Date, DocNo: row.In.DocNo, DocDate: row.In.DocDate}
			return row, strings.ToUpper(row.Code) + "|" + e.Key(), issues, nil
		},
		check: func(ctx context.Context, tx *store.Tx, rec any) ([]nipp.RowIssue, []nipp.RowIssue, error) {
			row := rec.(*ledgerRow)
			unknown := []nipp.RowIssue{{Col: projectCol, Field: "project", Msg: nipp.M("err.import.ledger_unknown_project", row.Code)}}
			id, err := tx.FindProjectPublicIDByCode(ctx, row.Code)
			if nipp.ErrorCode(err) == nipp.ENOTFOUND {
				return unknown, nil, nil
			}
			if err != nil {
				return nil, nil, err
			}
			// Another province's project reads as unknown, whatever its code.
			proj, err := loadLedgerWrite(ctx, tx, p, id)
			switch nipp.ErrorCode(err) {
			case "":
			case nipp.ENOTFOUND, nipp.EFORBIDDEN:
				return unknown, nil, nil
			default:
				return nil, nil, err
			}
			row.PublicID = id
			e := &nipp.LedgerEntry{Source: row.In.Source, Kind: row.In.Kind, Amount: row.In.Amount, Date: row.In.Date, DocNo: row.In.DocNo, DocDate: row.In.DocDate}
			if no, err := tx.FindLiveLedgerEntryByKey(ctx, proj.ID, e.Key()); err != nil {
				return nil, nil, err
			} else if no > 0 {
				return nil, []nipp.RowIssue{{Msg: nipp.M("msg.import.ledger_already_recorded", no)}}, nil
			}
			rs, err := pinnedRuleSet(ctx, tx, proj)
			if err != nil {
				return nil, nil, err
			}
			bal, err := tx.LedgerBalance(ctx, proj.ID, row.In.Source)
			if err != nil {
				return nil, nil, err
			}
			if _, err := nipp.CheckLedgerEntry(nipp.LedgerCheck{Project: proj, RuleSet: rs, Balance: bal}, e); err != nil {
				var out []nipp.RowIssue
				for _, pr := range nipp.ErrorProblems(err) {
					f := ledgerFieldColumn(pr.Field)
					out = append(out, nipp.RowIssue{Col: max(colOf(j.Mapping, f)+1, 0), Field: f, Msg: pr.Msg})
				}
				return out, nil, nil
			}
			return nil, nil, nil
		},
		decode: func(record string) (any, error) {
			var row ledgerRow
			if err := json.Unmarshal([]byte(record), &row); err != nil {
				return nil, nipp.Internal(err)
			}
			return &row, nil
		},
		prepare: func(ctx context.Context, tx *store.Tx, rec any) (any, error) { return rec, nil },
		// The project's balance may change until the entry is written:
		// everything is checked again in the writer (appendEntry).
		write: func(ctx context.Context, tx *store.Tx, prep any) (string, string, error) {
			row := prep.(*ledgerRow)
			var res string
			err := tx.Savepoint(ctx, func() error {
				proj, err := loadLedgerWrite(ctx, tx, p, row.PublicID)
				if err != nil {
					return err
				}
				_, existing, err := a.appendEntry(ctx, tx, p, proj, row.In, j.ID)
				if err != nil {
					return err
				}
				res = "imported"
				if existing > 0 {
					res = "unchanged"
				}
				return nil
			})
			return res, "", err
		},
	}
}

// StageLedgerImport reads a statement into a new ledger import job: it
// finds the header row (letterheads and numbering rows skipped), maps the
// columns by their titles and stages every data row. The page then shows
// the mapping and a preview.
func (a *App) StageLedgerImport(ctx context.Context, fileName string, r tabular.Reader) (_ *nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "app.StageLedgerImport(%q)", fileName)
	p, err := authorize(ctx, nipp.PermLedgerWrite)
	if err != nil {
		return nil, err
	}
	h, err := tabular.FindHeader(r, matchLedgerColumn, 3, 0)
	if err != nil {
		return nil, nipp.Errorf(nipp.EINVALID, "err.import.ledger_no_header")
	}
	job := &nipp.ImportJob{Kind: ledgerImportKind, FileName: fileName, State: nipp.ImportMapping, HeaderRow: h.Row, Header: h.Texts,
		Mapping: h.Keys, CreatedBy: userRef(p)}
	if err := a.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.CreateImportJob(ctx, job) }); err != nil {
		return nil, err
	}
	dataRow := func(cells []string) bool {
		return tabular.Cell(cells, h.Column("project")) != "" && tabular.Cell(cells, h.Column("amount")) != ""
	}
	return job, a.stageRows(ctx, job, r, dataRow)
}

// ledgerJob loads a ledger import job the principal may act on.
func ledgerJob(ctx context.Context, tx *store.Tx, p *nipp.Principal, id int64) (*nipp.ImportJob, error) {
	j, err := importJob(ctx, tx, p, id)
	if err != nil {
		return nil, err
	}
	if j.Kind != ledgerImportKind {
		return nil, nipp.Errorf(nipp.ENOTFOUND, "err.app.import_not_found")
	}
	return j, nil
}

// LedgerImportJob returns a ledger import job of the principal.
func (a *App) LedgerImportJob(ctx context.Context, id int64) (_ *nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "app.LedgerImportJob(%v)", id)
	return a.importJobOf(ctx, ledgerJobs, id)
}

// LedgerImportJobs returns the principal's latest ledger imports.
func (a *App) LedgerImportJobs(ctx context.Context) (_ []*nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "app.LedgerImportJobs()")
	return a.importJobsOf(ctx, ledgerJobs)
}

// LedgerImportPreview parses and checks the first rows of a job with its
// current mapping, storing nothing.
func (a *App) LedgerImportPreview(ctx context.Context, id int64, n int) (_ []ImportPreviewRow, err error) {
	defer nipp.Wrap(&err, "app.LedgerImportPreview(%v, %v)", id, n)
	return a.importPreview(ctx, ledgerJobs, id, n)
}

// ConfirmLedgerImport sets a job's column mapping (nil keeps the one
// guessed from the titles) and mode, and queues the check of every row.
func (a *App) ConfirmLedgerImport(ctx context.Context, id int64, mapping []string, atomic bool) (_ *nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "app.ConfirmLedgerImport(%v)", id)
	p, err := authorize(ctx, nipp.PermLedgerWrite)
	if err != nil {
		return nil, err
	}
	var j *nipp.ImportJob
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		if j, err = ledgerJob(ctx, tx, p, id); err != nil {
			return err
		}
		if j.State != nipp.ImportMapping && j.State != nipp.ImportValidated {
			return nipp.Errorf(nipp.ECONFLICT, "err.app.import_past_mapping_step")
		}
		if mapping != nil {
			m := make([]string, len(j.Header))
			seen := map[string]bool{}
			for i := range m {
				if i < len(mapping) && mapping[i] != "" {
					k := mapping[i]
					if matchLedgerKey(k) == "" {
						return nipp.FieldError("mapping", "err.app.unknown_field", k)
					}
					if seen[k] {
						return nipp.FieldError("mapping", "err.import.field_twice", LedgerColumnHeader(k))
					}
					seen[k], m[i] = true, k
				}
			}
			j.Mapping = m
		}
		var missing []string
		for _, k := range ledgerRequired {
			if colOf(j.Mapping, k) < 0 {
				missing = append(missing, LedgerColumnHeader(k))
			}
		}
		if len(missing) > 0 {
			return nipp.FieldError("mapping", "err.import.ledger_columns_missing", strings.Join(missing, ", "))
		}
		// A job staged and never validated has no results to clear (an
		// UPDATE of every staged row: 2,000,000 rewritten for nothing).
		if j.State == nipp.ImportValidated {
			if err := tx.ResetImportValidation(ctx, j.ID); err != nil {
				return err
			}
		}
		j.Atomic, j.State, j.ValidatedRows, j.RejectedRows, j.NotedRows, j.Message = atomic, nipp.ImportValidating, 0, 0, 0, ""
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

func matchLedgerKey(k string) string {
	for _, c := range ledgerColumns {
		if c.Key == k {
			return k
		}
	}
	return ""
}

// LedgerColumnHeader returns the title nipp prints for a column key.
func LedgerColumnHeader(key string) string {
	for _, c := range ledgerColumns {
		if c.Key == key {
			return c.Header
		}
	}
	return key
}

// LedgerColumnHeaders are the titles of a statement nipp reads, in order
// (the template officers can download).
func LedgerColumnHeaders() []string {
	out := make([]string, len(ledgerColumns))
	for i, c := range ledgerColumns {
		out[i] = c.Header
	}
	return out
}

// ledgerJobs: ledger imports need ledger.write.
var ledgerJobs = jobAccess{ledgerImportKind, nipp.PermLedgerWrite, ledgerJob}

// ApplyLedgerImport queues the writing of a checked job's valid rows (in
// atomic mode a job with a rejected row imports nothing).
func (a *App) ApplyLedgerImport(ctx context.Context, id int64) (_ *nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "app.ApplyLedgerImport(%v)", id)
	return a.applyImport(ctx, ledgerJobs, id)
}

// CancelLedgerImport abandons a job not yet applied.
func (a *App) CancelLedgerImport(ctx context.Context, id int64) (_ *nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "app.CancelLedgerImport(%v)", id)
	return a.cancelImport(ctx, ledgerJobs, id)
}

// LedgerImportRejected returns up to limit rejected rows of a job after
// row after.
func (a *App) LedgerImportRejected(ctx context.Context, id int64, after, limit int) (_ []nipp.ImportRow, err error) {
	defer nipp.Wrap(&err, "app.LedgerImportRejected(%v, %v, %v)", id, after, limit)
	return a.importRows(ctx, ledgerJobs, id, func(tx *store.Tx, jobID int64) ([]nipp.ImportRow, error) {
		return tx.FindImportRows(ctx, jobID, after, limit, false, true)
	})
}

// LedgerImportNoted returns up to limit rows of a job checked with a note
// (an entry already recorded, left unchanged) after row after.
func (a *App) LedgerImportNoted(ctx context.Context, id int64, after, limit int) (_ []nipp.ImportRow, err error) {
	defer nipp.Wrap(&err, "app.LedgerImportNoted(%v, %v, %v)", id, after, limit)
	return a.importRows(ctx, ledgerJobs, id, func(tx *store.Tx, jobID int64) ([]nipp.ImportRow, error) {
		return tx.FindImportRowsNoted(ctx, jobID, after, limit)
	})
}

// WriteLedgerImportErrors writes a job's rejected rows as a spreadsheet
// (see WriteImportErrors).
func (a *App) WriteLedgerImportErrors(ctx context.Context, id int64, w tabular.Writer, tr func(nipp.Msg) string) (err error) {
	defer nipp.Wrap(&err, "app.WriteLedgerImportErrors(%v)", id)
	return a.writeImportErrorsOf(ctx, ledgerJobs, id, w, tr)
}
