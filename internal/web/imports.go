package web

import (
	"net/http"
	"strconv"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/tabular"
)

// Uploads larger than this are refused.
const maxUpload = 512 << 20

type importsView struct {
	Page
	Jobs []*store.ImportJob
}

func (s *Server) establishmentImports(w http.ResponseWriter, r *http.Request) {
	jobs, err := s.app.ImportJobs(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "establishments_import", &importsView{Page: s.page(r, "imp.title"), Jobs: jobs})
}

// establishmentImportUpload stages an uploaded file as an import job. The
// multipart parser keeps large files on disk, not in memory.
func (s *Server) establishmentImportUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		s.fail(w, r, nipp.FieldError("file", "err.web.upload_could_not_read_512"))
		return
	}
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
		s.fail(w, r, nipp.FieldError("file", "%v", err))
		return
	}
	tr, err := tabular.Open(f, hdr.Size, format)
	if err != nil {
		s.fail(w, r, nipp.FieldError("file", "%v", err))
		return
	}
	job, err := s.app.StageImport(r.Context(), hdr.Filename, tr, r.FormValue("atomic") == "1")
	tr.Close()
	if job != nil {
		http.Redirect(w, r, "/imports/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
		return
	}
	s.fail(w, r, err)
}

type importJobView struct {
	Page
	Job      *store.ImportJob
	Keys     []string
	Preview  []app.ImportPreviewRow
	Rejected []store.ImportRow
	Refresh  bool
}

func (s *Server) jobID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("job"), 10, 64)
	return id
}

func (s *Server) establishmentImportJob(w http.ResponseWriter, r *http.Request) {
	job, err := s.app.ImportJob(r.Context(), s.jobID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &importJobView{Page: s.page(r, "imp.job.title"), Job: job, Keys: app.EstColumnKeys()}
	switch job.State {
	case store.ImportMapping:
		if v.Preview, err = s.app.ImportPreview(r.Context(), job.ID, 10); err != nil {
			s.fail(w, r, err)
			return
		}
	case store.ImportValidating, store.ImportApplying:
		v.Refresh = true
	}
	if job.RejectedRows > 0 {
		if v.Rejected, err = s.app.ImportRejected(r.Context(), job.ID, 0, 100); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if v.Refresh {
		w.Header().Set("Refresh", "2")
	}
	s.render(w, r, http.StatusOK, "establishment_import_job", v)
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
	if _, err := s.app.ConfirmImport(r.Context(), job.ID, mapping, r.PostForm.Get("atomic") == "1"); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/imports/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
}

func (s *Server) establishmentImportApply(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.ApplyImport(r.Context(), s.jobID(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/imports/"+r.PathValue("job"), http.StatusSeeOther)
}

func (s *Server) establishmentImportCancel(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.CancelImport(r.Context(), s.jobID(r)); err != nil {
		s.fail(w, r, err)
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
