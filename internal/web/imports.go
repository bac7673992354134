package web

import (
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
	Job      *nipp.ImportJob
	Keys     []string
	Preview  []app.ImportPreviewRow
	Rejected []nipp.ImportRow
	Noted    []nipp.ImportRow
	Columns  []importColumn // the file's columns, for the mapping form
	AsOf     nipp.Date      // the date the addresses are read at
	Refresh  bool
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
	v := &importJobView{Page: s.page(r, "imp.job.title"), Job: job, Keys: app.EstColumnKeys(), AsOf: job.AddressesAsOf}
	v.Refuse(formErr)
	if v.AsOf.IsZero() {
		v.AsOf = s.app.Today()
	}
	sent := formErr != nil && r.URL.Path == "/imports/"+r.PathValue("job")+"/mapping"
	for i, h := range job.Header {
		key := tabular.Cell(job.Mapping, i)
		if sent {
			key = r.PostForm.Get("col" + strconv.Itoa(i))
		}
		v.Columns = append(v.Columns, importColumn{Index: i, Letter: tabular.ColumnName(i + 1), Title: h, Key: key})
	}
	switch job.State {
	case nipp.ImportMapping:
		if v.Preview, err = s.app.ImportPreview(r.Context(), job.ID, 10); err != nil {
			s.fail(w, r, err)
			return
		}
	case nipp.ImportValidating, nipp.ImportApplying:
		v.Refresh = true
	}
	if job.RejectedRows > 0 {
		if v.Rejected, err = s.app.ImportRejected(r.Context(), job.ID, 0, 100); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if job.NotedRows > 0 {
		if v.Noted, err = s.app.ImportNoted(r.Context(), job.ID, 0, 100); err != nil {
			s.fail(w, r, err)
			return
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
	if _, err := s.app.ApplyImport(r.Context(), s.jobID(r)); err != nil {
		s.failOnImportJob(w, r, err)
		return
	}
	http.Redirect(w, r, "/imports/"+r.PathValue("job"), http.StatusSeeOther)
}

func (s *Server) establishmentImportCancel(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.CancelImport(r.Context(), s.jobID(r)); err != nil {
		s.failOnImportJob(w, r, err)
		return
	}
	http.Redirect(w, r, "/imports/"+r.PathValue("job"), http.StatusSeeOther)
}

func (s *Server) establishmentImportErrors(w http.ResponseWriter, r *http.Request) {
	id := s.jobID(r)
	if _, err := s.app.ImportJob(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="loi-nhap-`+strconv.FormatInt(id, 10)+`.xlsx"`)
	tw, err := tabular.NewXLSXWriter(w, "Lỗi")
	if err != nil {
		return
	}
	if err := s.app.WriteImportErrors(r.Context(), id, tw, L{Lang: lang(r)}.Msg); err != nil {
		s.log.Error("error report failed", "err", err)
		return
	}
	tw.Close()
}
