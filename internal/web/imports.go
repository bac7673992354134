package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/tabular"
)

// Uploads larger than this are refused.
const maxUpload = 512 << 20

type importsView struct {
	Page
	Jobs  []*nipp.ImportJob
	Today nipp.Date
}

// importAsOf reads the "addresses as of" date of the import forms (empty:
// the day the rows are checked).
func importAsOf(s string) (nipp.Date, error) {
	if strings.TrimSpace(s) == "" {
		return nipp.Date{}, nil
	}
	d, err := tabular.ParseDate(s)
	if err != nil {
		return nipp.Date{}, nipp.FieldError("addresses_as_of", "err.web.invalid_addresses_as_of")
	}
	return nipp.DateOf(d), nil
}

func (s *Server) establishmentImports(w http.ResponseWriter, r *http.Request) {
	s.renderImports(w, r, http.StatusOK, nil)
}

// renderImports shows the upload form and the user's jobs; formErr, when
// set, is why the upload was refused (beside its field; the other fields
// keep what was chosen).
func (s *Server) renderImports(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	jobs, err := s.app.ImportJobs(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &importsView{Page: s.page(r, "imp.title"), Jobs: jobs, Today: s.app.Today()}
	v.Refuse(formErr)
	s.render(w, r, status, "establishments_import", v)
}

// establishmentImportUpload stages an uploaded file as an import job. The
// body is bounded by the route (bodyLimits) and the form already parsed by
// guard, which keeps large files on disk and removes them afterwards.
func (s *Server) establishmentImportUpload(w http.ResponseWriter, r *http.Request) {
	refuse := func(err error) {
		s.formFail(w, r, err, func(status int, _ string) { s.renderImports(w, r, status, err) })
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		refuse(nipp.FieldError("file", "err.web.upload_could_not_read_512"))
		return
	}
	asOf, asOfErr := importAsOf(r.FormValue("addresses_as_of"))
	f, hdr, err := r.FormFile("file")
	if err != nil {
		refuse(nipp.JoinErrors(nipp.FieldError("file", "err.web.choose_xlsx_csv_file"), asOfErr))
		return
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := f.ReadAt(head, 0)
	format, err := tabular.DetectFormat(hdr.Filename, head[:n])
	if err != nil {
		refuse(nipp.JoinErrors(app.FileProblem("file", err), asOfErr))
		return
	}
	tr, err := tabular.Open(f, hdr.Size, format)
	if err != nil {
		refuse(nipp.JoinErrors(app.FileProblem("file", err), asOfErr))
		return
	}
	if asOfErr != nil {
		tr.Close()
		refuse(asOfErr)
		return
	}
	job, err := s.app.StageImport(r.Context(), hdr.Filename, tr, app.ImportOptions{Atomic: r.FormValue("atomic") == "1", AddressesAsOf: asOf})
	tr.Close()
	if job != nil {
		http.Redirect(w, r, "/imports/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
		return
	}
	refuse(err)
}

type importJobView struct {
	Page
	jobPage
	Keys []string
	AsOf nipp.Date // the date the addresses are read at (zero: the kind reads none)
	// Base is the kind's job pages' path ("/imports/"), FieldPrefix its
	// fields' catalog prefix, IntroKey the mapping's explanation, BackKey
	// the label of the link to the kind's imports ("": none).
	Base, FieldPrefix, IntroKey, BackKey string
}

// jobPage is what every kind of import job's page shows besides its own
// choices: the job, the file's columns with their fields (the mapping
// form), the preview while the columns are chosen, the rejected rows and
// those with a note, and whether the page refreshes while the worker runs.
type jobPage struct {
	Job      *nipp.ImportJob
	Columns  []importColumn
	Preview  []app.ImportPreviewRow
	Rejected []nipp.ImportRow
	Noted    []nipp.ImportRow
	Refresh  bool
}

// jobReaders read one kind's jobs (their use cases check who may).
type jobReaders struct {
	preview         func(ctx context.Context, id int64, n int) ([]app.ImportPreviewRow, error)
	rejected, noted func(ctx context.Context, id int64, after, limit int) ([]nipp.ImportRow, error)
}

// readJobPage fills a job's page for its state.
func readJobPage(ctx context.Context, job *nipp.ImportJob, rd jobReaders) (jobPage, error) {
	jp := jobPage{Job: job}
	for i, h := range job.Header {
		jp.Columns = append(jp.Columns, importColumn{Index: i, Letter: tabular.ColumnName(i + 1), Title: h, Key: tabular.Cell(job.Mapping, i)})
	}
	var err error
	switch job.State {
	case nipp.ImportMapping:
		if jp.Preview, err = rd.preview(ctx, job.ID, 10); err != nil {
			return jp, err
		}
	case nipp.ImportValidating, nipp.ImportApplying:
		jp.Refresh = true
	}
	if job.RejectedRows > 0 {
		if jp.Rejected, err = rd.rejected(ctx, job.ID, 0, 100); err != nil {
			return jp, err
		}
	}
	if job.NotedRows > 0 {
		if jp.Noted, err = rd.noted(ctx, job.ID, 0, 100); err != nil {
			return jp, err
		}
	}
	return jp, nil
}

// importColumn is a file column on the mapping form: its index, Excel
// letter, title and the field it is mapped to.
type importColumn struct {
	Index         int
	Letter, Title string
	Key           string
}

func (s *Server) jobID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("job"), 10, 64)
	return id
}

func (s *Server) establishmentImportJob(w http.ResponseWriter, r *http.Request) {
	s.renderImportJob(w, r, http.StatusOK, nil)
}

// renderImportJob shows an import job; formErr, when set, is why one of its
// forms was refused (beside its fields; the mapping keeps what was chosen).
func (s *Server) renderImportJob(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	job, err := s.app.ImportJob(r.Context(), s.jobID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if job.Kind == "ledger" { // the work page lists every import
		http.Redirect(w, r, "/ledger/imports/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
		return
	}
	jp, err := readJobPage(r.Context(), job, jobReaders{s.app.ImportPreview, s.app.ImportRejected, s.app.ImportNoted})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &importJobView{Page: s.page(r, "imp.job.title"), jobPage: jp, Keys: app.EstColumnKeys(), AsOf: job.AddressesAsOf,
		Base: "/imports/", FieldPrefix: "imp.field.", IntroKey: "imp.mapping.intro"}
	v.Refuse(formErr)
	if v.AsOf.IsZero() {
		v.AsOf = s.app.Today()
	}
	// A refused mapping keeps what was chosen.
	if formErr != nil && r.URL.Path == "/imports/"+r.PathValue("job")+"/mapping" {
		for i := range v.Columns {
			v.Columns[i].Key = r.PostForm.Get("col" + strconv.Itoa(i))
		}
	}
	if v.Refresh {
		w.Header().Set("Refresh", "2")
	}
	s.render(w, r, status, "establishment_import_job", v)
}

// failOnImportJob re-renders the job's page for an input or conflict
// error, else reports it.
func (s *Server) failOnImportJob(w http.ResponseWriter, r *http.Request, err error) {
	s.formFail(w, r, err, func(status int, _ string) { s.renderImportJob(w, r, status, err) })
}

func (s *Server) establishmentImportMapping(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	job, err := s.app.ImportJob(r.Context(), s.jobID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mapping := make([]string, len(job.Header))
	for i := range mapping {
		mapping[i] = r.PostForm.Get("col" + strconv.Itoa(i))
	}
	asOf, err := importAsOf(r.PostForm.Get("addresses_as_of"))
	if err != nil {
		s.failOnImportJob(w, r, err)
		return
	}
	if _, err := s.app.ConfirmImport(r.Context(), job.ID, mapping, app.ImportOptions{Atomic: r.PostForm.Get("atomic") == "1", AddressesAsOf: asOf}); err != nil {
		s.failOnImportJob(w, r, err)
		return
	}
	http.Redirect(w, r, "/imports/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
}

func (s *Server) establishmentImportApply(w http.ResponseWriter, r *http.Request) {
	s.jobAction(w, r, "/imports/", s.app.ApplyImport, s.failOnImportJob)
}

func (s *Server) establishmentImportCancel(w http.ResponseWriter, r *http.Request) {
	s.jobAction(w, r, "/imports/", s.app.CancelImport, s.failOnImportJob)
}

// jobAction applies or cancels a job and goes back to its page (base is
// the kind's job pages' path); fail reports a refusal.
func (s *Server) jobAction(w http.ResponseWriter, r *http.Request, base string, act func(context.Context, int64) (*nipp.ImportJob, error),
	fail func(http.ResponseWriter, *http.Request, error)) {
	if _, err := act(r.Context(), s.jobID(r)); err != nil {
		fail(w, r, err)
		return
	}
	http.Redirect(w, r, base+r.PathValue("job"), http.StatusSeeOther)
}

func (s *Server) establishmentImportErrors(w http.ResponseWriter, r *http.Request) {
	s.jobErrors(w, r, "loi-nhap-", s.app.ImportJob, s.app.WriteImportErrors)
}

// jobErrors sends a job's rejected rows as a spreadsheet named
// prefix<id>.xlsx, once load says the user may see the job.
func (s *Server) jobErrors(w http.ResponseWriter, r *http.Request, prefix string, load func(context.Context, int64) (*nipp.ImportJob, error),
	write func(context.Context, int64, tabular.Writer, func(nipp.Msg) string) error) {
	id := s.jobID(r)
	if _, err := load(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+prefix+strconv.FormatInt(id, 10)+`.xlsx"`)
	tw, err := tabular.NewXLSXWriter(w, "Lỗi")
	if err != nil {
		return
	}
	if err := write(r.Context(), id, tw, L{Lang: lang(r)}.Msg); err != nil {
		s.log.Error("error report failed", "err", err)
		return
	}
	tw.Close()
}
