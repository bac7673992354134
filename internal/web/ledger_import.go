package web

import (
	"net/http"
	"strconv"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/tabular"
)

// Ledger imports: a treasury statement (.xlsx, .csv) staged, mapped,
// previewed, checked row by row and applied by the import worker, as the
// registry import.

type ledgerImportsView struct {
	Page
	Jobs    []*nipp.ImportJob
	Columns []string
}

func (s *Server) ledgerImports(w http.ResponseWriter, r *http.Request) {
	jobs, err := s.app.LedgerImportJobs(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "ledger_imports", &ledgerImportsView{Page: s.page(r, "ledger.imports"), Jobs: jobs, Columns: app.LedgerColumnHeaders()})
}

// ledgerImportTemplate is an empty statement with the columns nipp reads.
func (s *Server) ledgerImportTemplate(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="mau-nhap-so-cai.xlsx"`)
	xw, err := tabular.NewXLSXWriter(w, "Sổ cái")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var head []any
	for _, h := range app.LedgerColumnHeaders() {
		head = append(head, h)
	}
	if err := xw.Write(head); err != nil {
		return
	}
	if err := xw.Close(); err != nil {
		s.log.Error("template close", "err", err)
	}
}

func (s *Server) ledgerImportUpload(w http.ResponseWriter, r *http.Request) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		s.fail(w, r, nipp.FieldError("file", "err.web.choose_xlsx_csv_file"))
		return
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := f.ReadAt(head, 0)
	format, err := tabular.DetectFormat(hdr.Filename, head[:n])
	if err != nil {
		s.fail(w, r, nipp.FieldError("file", "err.web.choose_xlsx_csv_file"))
		return
	}
	tr, err := tabular.Open(f, hdr.Size, format)
	if err != nil {
		s.fail(w, r, nipp.FieldError("file", "err.web.choose_xlsx_csv_file"))
		return
	}
	job, err := s.app.StageLedgerImport(r.Context(), hdr.Filename, tr)
	tr.Close()
	if job != nil {
		http.Redirect(w, r, "/ledger/imports/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
		return
	}
	s.fail(w, r, err)
}

func (s *Server) ledgerImportJob(w http.ResponseWriter, r *http.Request) {
	job, err := s.app.LedgerImportJob(r.Context(), s.jobID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	jp, err := readJobPage(r.Context(), job, jobReaders{s.app.LedgerImportPreview, s.app.LedgerImportRejected, s.app.LedgerImportNoted})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &importJobView{Page: s.page(r, "ledger.import"), jobPage: jp, Keys: app.LedgerColumnKeys(),
		Base: "/ledger/imports/", FieldPrefix: "ledger.col.", IntroKey: "ledger.mapping_intro", BackKey: "ledger.imports"}
	if v.Refresh {
		w.Header().Set("Refresh", "2")
	}
	s.render(w, r, http.StatusOK, "establishment_import_job", v)
}

func (s *Server) ledgerImportMapping(w http.ResponseWriter, r *http.Request) {
	job, err := s.app.LedgerImportJob(r.Context(), s.jobID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mapping := make([]string, len(job.Header))
	for i := range mapping {
		mapping[i] = r.PostFormValue("col" + strconv.Itoa(i))
	}
	if _, err := s.app.ConfirmLedgerImport(r.Context(), job.ID, mapping, r.PostFormValue("atomic") == "1"); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/ledger/imports/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
}

func (s *Server) ledgerImportApply(w http.ResponseWriter, r *http.Request) {
	s.jobAction(w, r, "/ledger/imports/", s.app.ApplyLedgerImport, s.fail)
}

func (s *Server) ledgerImportCancel(w http.ResponseWriter, r *http.Request) {
	s.jobAction(w, r, "/ledger/imports/", s.app.CancelLedgerImport, s.fail)
}

func (s *Server) ledgerImportErrors(w http.ResponseWriter, r *http.Request) {
	s.jobErrors(w, r, "loi-nhap-so-cai-", s.app.LedgerImportJob, s.app.WriteLedgerImportErrors)
}
