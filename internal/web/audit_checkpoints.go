package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"nipp/internal/nipp"
)

// Checkpoints of the audit chain (issue 16): public pages and exports
// (seq, hash and time only), and the on-demand checkpoint for auditors and
// administrators.

type checkpointsView struct {
	Page
	Checkpoints []*nipp.AuditCheckpoint
	Next        string
	Taken       int64 // a checkpoint just taken (flash)
	Same        int64 // the head had not moved: this checkpoint stands
	CanTake     bool
}

// cursorParam reads a positive keyset cursor (0 when absent).
func cursorParam(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, nipp.FieldError(name, "err.web.invalid_page_cursor")
	}
	return n, nil
}

func (s *Server) auditCheckpoints(w http.ResponseWriter, r *http.Request) {
	before, err := cursorParam(r, "before")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, next, err := s.app.AuditCheckpoints(r.Context(), before, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &checkpointsView{Page: s.page(r, "checkpoints.title"), Checkpoints: list,
		CanTake: nipp.PrincipalFrom(r.Context()).Can(nipp.PermAuditRead)}
	v.Taken, _ = cursorParam(r, "taken")
	v.Same, _ = cursorParam(r, "same")
	if next != 0 {
		v.Next = "/audit/checkpoints?before=" + strconv.FormatInt(next, 10)
	}
	s.render(w, r, http.StatusOK, "audit_checkpoints", v)
}

// auditTakeCheckpoint is the button on /audit/verify and /audit/checkpoints.
func (s *Server) auditTakeCheckpoint(w http.ResponseWriter, r *http.Request) {
	cp, taken, err := s.app.TakeAuditCheckpoint(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	key := "same"
	if taken {
		key = "taken"
	}
	http.Redirect(w, r, fmt.Sprintf("/audit/checkpoints?%s=%d", key, cp.Number), http.StatusSeeOther)
}

// auditCheckpointsCSV exports every checkpoint, oldest first, in the form
// `nipp audit verify --checkpoints FILE` reads back.
func (s *Server) auditCheckpointsCSV(w http.ResponseWriter, r *http.Request) {
	after, err := cursorParam(r, "after")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="nipp-audit-checkpoints-%s.csv"`, time.Now().UTC().Format("20060102-1504")))
	cw := csv.NewWriter(w)
	cw.Write(nipp.AuditCheckpointHeader)
	err = s.app.ExportAuditCheckpoints(r.Context(), after, func(c *nipp.AuditCheckpoint) error {
		return cw.Write(c.CSVRecord())
	})
	cw.Flush()
	if err != nil {
		s.log.Error("checkpoint export", "request_id", requestID(r.Context()), "err", err)
	}
}

// apiAuditCheckpoints: every checkpoint numbered above ?after (default 0),
// oldest first, streamed as {"items": [...]}.
func (s *Server) apiAuditCheckpoints(w http.ResponseWriter, r *http.Request) {
	after, err := cursorParam(r, "after")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	fmt.Fprint(w, `{"items": [`)
	n := 0
	err = s.app.ExportAuditCheckpoints(r.Context(), after, func(c *nipp.AuditCheckpoint) error {
		b, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if n > 0 {
			fmt.Fprint(w, ",")
		}
		n++
		fmt.Fprint(w, "\n  ")
		_, err = w.Write(b)
		return err
	})
	fmt.Fprint(w, "\n]}\n")
	if err != nil {
		s.log.Error("checkpoint export", "request_id", requestID(r.Context()), "err", err)
	}
}

func (s *Server) apiTakeAuditCheckpoint(w http.ResponseWriter, r *http.Request) {
	cp, taken, err := s.app.TakeAuditCheckpoint(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if taken {
		status = http.StatusCreated
	}
	writeJSON(w, status, map[string]any{"checkpoint": cp, "taken": taken})
}
