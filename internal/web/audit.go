package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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
	if q.From, err = nipp.ParseDate(v.Get("from")); err != nil {
		return q, nipp.FieldError("from", "err.web.invalid_date_use_yyyy_mm")
	}
	if q.To, err = nipp.ParseDate(v.Get("to")); err != nil {
		return q, nipp.FieldError("to", "err.web.invalid_date_use_yyyy_mm")
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

// auditChange is one field of an entry's before/after, for display.
type auditChange struct {
	Field, Before, After string
	Changed              bool
}

// auditChanges lays out before and after JSON side by side, field by field.
func auditChanges(before, after string) []auditChange {
	var b, a map[string]any
	json.Unmarshal([]byte(before), &b)
	json.Unmarshal([]byte(after), &a)
	var keys []string
	for k := range b {
		keys = append(keys, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]auditChange, 0, len(keys))
	for _, k := range keys {
		bv, bok := b[k]
		av, aok := a[k]
		c := auditChange{Field: k}
		if bok {
			c.Before = showJSON(bv)
		}
		if aok {
			c.After = showJSON(av)
		}
		c.Changed = c.Before != c.After
		out = append(out, c)
	}
	return out
}

func showJSON(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

type auditRow struct {
	*nipp.AuditEntry
	Changes []auditChange
}

type auditView struct {
	Page
	Query   app.AuditQuery
	Form    url.Values
	Rows    []auditRow
	Next    string // URL of the next page
	Export  string // URL of the Excel export of the filtered list
	Error   string
	Report  *nipp.AuditReport
	Checked bool
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	v := &auditView{Page: s.page(r, "audit.title"), Form: r.URL.Query()}
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
	for _, e := range entries {
		v.Rows = append(v.Rows, auditRow{AuditEntry: e, Changes: auditChanges(e.Before, e.After)})
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
	header := []any{"Seq", l.T("audit.at"), l.T("audit.user"), l.T("audit.address"), l.T("audit.action"), l.T("audit.entity"), l.T("audit.entity_id"), l.T("audit.before"), l.T("audit.after"), "Hash"}
	if err := xw.Write(header); err != nil {
		s.fail(w, r, nipp.Internal(err))
		return
	}
	ict := time.FixedZone("ICT", 7*3600)
	err = s.app.ExportAudit(r.Context(), q, func(e *nipp.AuditEntry) error {
		at := e.At.In(ict)
		// a naive time so Excel shows Vietnam's clock
		at = time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), at.Minute(), at.Second(), 0, time.UTC)
		return xw.Write([]any{e.Seq, at, e.Actor, e.RemoteAddr, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.Hash})
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
