package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/tabular"
)

// parseAuditQuery reads the audit filters from the query string.
func parseAuditQuery(r *http.Request) (app.AuditQuery, error) {
	v := r.URL.Query()
	q := app.AuditQuery{
		Entity:   strings.TrimSpace(v.Get("entity")),
		EntityID: strings.TrimSpace(v.Get("entity_id")),
		User:     strings.TrimSpace(v.Get("user")),
	}
	var err error
	if q.From, err = formDate("from", v.Get("from")); err != nil {
		return q, err
	}
	if q.To, err = formDate("to", v.Get("to")); err != nil {
		return q, err
	}
	if b := v.Get("before"); b != "" {
		if q.Before, err = strconv.ParseInt(b, 10, 64); err != nil || q.Before < 0 {
			return q, nipp.FieldError("before", "err.web.invalid_page_cursor")
		}
	}
	if l := v.Get("limit"); l != "" {
		q.Limit, _ = strconv.Atoi(l)
	}
	return q, nil
}

type auditView struct {
	Page
	Entities []string // the entity filter's choices
	Query    app.AuditQuery
	Form     url.Values
	Rows     []auditRow
	Next     string // URL of the next page
	Export   string // URL of the Excel export of the filtered list
	Error    string
	Report   *nipp.AuditReport
	Checked  bool
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	v := &auditView{Page: s.page(r, "audit.title"), Form: r.URL.Query(), Entities: auditEntities}
	q, err := parseAuditQuery(r)
	var entries []*nipp.AuditEntry
	var next int64
	if err == nil {
		entries, next, err = s.app.AuditEntries(r.Context(), q)
	}
	if err != nil {
		if nipp.ErrorCode(err) != nipp.EINVALID {
			s.fail(w, r, err)
			return
		}
		v.Error = msgOf(r, err)
		s.render(w, r, http.StatusUnprocessableEntity, "audit_list", v)
		return
	}
	v.Query = q
	names, err := s.app.NameAudit(r.Context(), entries)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := nipp.PrincipalFrom(r.Context())
	for _, e := range entries {
		v.Rows = append(v.Rows, readAudit(v.L, p, e, names))
	}
	form := r.URL.Query()
	form.Del("before")
	form.Del("lang")
	v.Export = "/audit/export.xlsx?" + form.Encode()
	if next != 0 {
		form.Set("before", strconv.FormatInt(next, 10))
		v.Next = "/audit?" + form.Encode()
	}
	s.render(w, r, http.StatusOK, "audit_list", v)
}

// auditVerify runs the chain verification and shows the result.
func (s *Server) auditVerify(w http.ResponseWriter, r *http.Request) {
	rep, err := s.app.VerifyAudit(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "audit_verify", &auditView{Page: s.page(r, "audit.verify.title"), Report: rep, Checked: true})
}

// auditExport streams the filtered audit trail as an Excel workbook.
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request) {
	q, err := parseAuditQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q.Before, q.Limit = 0, 0
	xw, err := tabular.NewXLSXWriter(w, "Nhật ký")
	if err != nil {
		s.fail(w, r, nipp.Internal(err))
		return
	}
	l := L{lang(r)}
	// Readable columns first, then the raw ones for machines.
	header := []any{"Seq", l.T("audit.at"), l.T("audit.who"), "Email", l.T("audit.address"), l.T("audit.action"), l.T("audit.entity"),
		l.T("audit.record"), l.T("audit.changes"),
		"action", "entity", "entity_id", "user_id", "at (UTC)", "before", "after", "hash"}
	if err := xw.Write(header); err != nil {
		s.fail(w, r, nipp.Internal(err))
		return
	}
	ict := time.FixedZone("ICT", 7*3600)
	p := nipp.PrincipalFrom(r.Context())
	// Entries are named a chunk at a time: memory stays bounded and the
	// names cost one query per entity and chunk.
	err = s.app.ExportAuditNamed(r.Context(), q, 500, func(chunk []*nipp.AuditEntry, names app.AuditNames) error {
		for _, e := range chunk {
			row := readAudit(l, p, e, names)
			at := e.At.In(ict)
			// a naive time so Excel shows Vietnam's clock
			at = time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), at.Minute(), at.Second(), 0, time.UTC)
			record := row.Record
			if record != e.EntityID {
				record += " [" + e.EntityID + "]"
			}
			if err := xw.Write([]any{e.Seq, at, row.Who, row.Email, e.RemoteAddr, row.ActionName, row.EntityName, record, changesText(row.Changes),
				e.Action, e.Entity, e.EntityID, e.UserID, e.At.UTC().Format(time.RFC3339Nano), e.Before, e.After, e.Hash}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		xw.Close()
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="nipp-audit-%s.xlsx"`, time.Now().Format("20060102-1504")))
	if err := xw.Close(); err != nil {
		s.log.Error("audit export", "request_id", requestID(r.Context()), "err", err)
	}
}

// --- JSON API ---

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	q, err := parseAuditQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	entries, next, err := s.app.AuditEntries(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := apiList[*nipp.AuditEntry]{Items: entries}
	if next != 0 {
		out.Next = strconv.FormatInt(next, 10)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiAuditVerify(w http.ResponseWriter, r *http.Request) {
	rep, err := s.app.VerifyAudit(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": rep.OK(), "entries": rep.Entries, "issues": rep.Issues, "more": rep.More})
}
