package web_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// blobs counts the files stored under the files folder (its tmp folder,
// where uploads wait while they are checked, left out).
func blobs(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "tmp" {
			return fs.SkipDir
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// entryPart is an entry as the API's multipart body carries it: the JSON
// object in the part "entry".
func entryPart(t *testing.T, entry map[string]any) url.Values {
	t.Helper()
	b, err := json.Marshal(entry)
	if err != nil {
		t.Fatal(err)
	}
	return url.Values{"entry": {string(b)}}
}

// TestLedgerEvidenceThroughTheAPI records reciprocal capital contributed
// through the JSON API with its evidence in the same request (multipart:
// the entry as JSON in the part "entry", the file in "evidence"): the file
// is stored, attached to the project, linked from the entry, downloadable
// and audited; a refused entry, a refused file and another province's
// project store nothing, and another province's project gets the answer of
// a project that does not exist.
func TestLedgerEvidenceThroughTheAPI(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		files := t.TempDir()
		f := newFixtureWith(t, db, app.WithFilesDir(files))
		f.addLedgerRuleSet()
		id := f.approvedForLedger()
		api := "/api/v1/projects/" + id + "/ledger"
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
		contribution := func(amount int64, doc string) map[string]any {
			return map[string]any{"source": "reciprocal", "kind": "contribution", "amount": amount, "date": "2026-10-20",
				"document_no": doc, "document_date": "2026-10-20", "note": "Chuyển khoản mua máy"}
		}
		evidence := func(name string, content []byte) webtest.FilePart {
			return webtest.FilePart{Field: "evidence", Name: name, Content: content}
		}
		auditCount := func() int {
			var n int
			err := db.ReadTx(t.Context(), func(tx *store.Tx) error {
				return tx.QueryRow(t.Context(), `SELECT COUNT(*) FROM audit_log`).Scan(&n)
			})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		type apiError struct {
			Error struct {
				Code, Field, Key string
				Problems         []struct{ Field, Key string }
			}
		}
		refused := func(step string, r *webtest.Response, status int, field, key string) {
			t.Helper()
			var e apiError
			if r.Status != status {
				t.Fatalf("%s: %d %s, want %d", step, r.Status, r.Body, status)
			}
			r.JSON(t, &e)
			got := e.Error.Key
			gotField := e.Error.Field
			for _, p := range e.Error.Problems {
				if p.Key == key {
					got, gotField = p.Key, p.Field
				}
			}
			if got != key || gotField != field {
				t.Errorf("%s: %s, want %s on %q", step, r.Body, key, field)
			}
		}
		before, audits := blobs(t, files), auditCount()
		nothingStored := func(step string) {
			t.Helper()
			if n := blobs(t, files); n != before {
				t.Errorf("%s: %d files stored, want %d", step, n, before)
			}
			if n := auditCount(); n != audits {
				t.Errorf("%s: %d audit entries, want %d", step, n, audits)
			}
		}

		// A contribution without evidence, as JSON: refused beside the field.
		refused("no evidence", f.prov.SendJSON("POST", api, contribution(150_000_000, "UNC-DU-01")), http.StatusUnprocessableEntity,
			"evidence", "err.nipp.ledger_contribution_evidence")
		// Files the project would not keep: a program, a PDF that is a PNG,
		// an empty file; evidence with an advance; two files.
		refused("exe", f.prov.SendMultipart(api, entryPart(t, contribution(150_000_000, "UNC-DU-01")), evidence("hoa-don.exe", png)),
			http.StatusUnprocessableEntity, "evidence", "err.app.not_allowed_file_type_pdf")
		refused("disguised", f.prov.SendMultipart(api, entryPart(t, contribution(150_000_000, "UNC-DU-01")), evidence("hoa-don.pdf", png)),
			http.StatusUnprocessableEntity, "evidence", "err.app.not_allowed_file_type_pdf")
		refused("empty", f.prov.SendMultipart(api, entryPart(t, contribution(150_000_000, "UNC-DU-01")), evidence("hoa-don.png", nil)),
			http.StatusUnprocessableEntity, "evidence", "err.app.file_empty")
		adv := map[string]any{"source": "national", "kind": "advance", "amount": 1_000_000, "date": "2026-10-20", "document_no": "UNC-01", "document_date": "2026-10-20"}
		refused("evidence with an advance", f.prov.SendMultipart(api, entryPart(t, adv), evidence("hoa-don.png", png)),
			http.StatusUnprocessableEntity, "evidence", "err.app.ledger_evidence_contribution_only")
		refused("two files", f.prov.SendMultipart(api, entryPart(t, contribution(150_000_000, "UNC-DU-01")), evidence("a.png", png), evidence("b.png", png)),
			http.StatusUnprocessableEntity, "evidence", "err.web.ledger_one_evidence")
		refused("no entry part", f.prov.SendMultipart(api, url.Values{"source": {"reciprocal"}}, evidence("hoa-don.png", png)),
			http.StatusBadRequest, "", "err.web.ledger_entry_part")
		refused("unknown field", f.prov.SendMultipart(api, url.Values{"entry": {`{"source":"reciprocal","amount_vnd":1}`}}, evidence("hoa-don.png", png)),
			http.StatusBadRequest, "", "err.web.invalid_json")
		// An entry the rules refuse stores no file either: a contribution
		// dated before the approval decision (1 October 2026).
		early := contribution(150_000_000, "UNC-DU-01")
		early["date"] = "2026-09-30"
		refused("before the decision", f.prov.SendMultipart(api, entryPart(t, early), evidence("hoa-don.png", png)),
			http.StatusUnprocessableEntity, "date", "err.nipp.ledger_before_decision")
		nothingStored("refused entries")

		// Scope: another province's officer gets the answer of a project
		// that does not exist, and nothing is stored; the auditor may not
		// record at all.
		ghost := f.prov2.SendMultipart("/api/v1/projects/da-khong-co/ledger", entryPart(t, contribution(150_000_000, "UNC-DU-01")), evidence("hoa-don.png", png))
		other := f.prov2.SendMultipart(api, entryPart(t, contribution(150_000_000, "UNC-DU-01")), evidence("hoa-don.png", png))
		if other.Status != http.StatusNotFound || ghost.Status != other.Status || ghost.Body != other.Body {
			t.Errorf("another province's project: %d %s; a project that does not exist: %d %s", other.Status, other.Body, ghost.Status, ghost.Body)
		}
		if r := f.auditor.SendMultipart(api, entryPart(t, contribution(150_000_000, "UNC-DU-01")), evidence("hoa-don.png", png)); r.Status != http.StatusForbidden {
			t.Errorf("the auditor records: %d %s", r.Status, r.Body)
		}
		nothingStored("out of scope")

		// Bounded bodies: a file one byte over 20 MiB is refused beside the
		// field; a JSON body over 1 MiB is refused as too large although
		// the route takes files of 20 MiB.
		big := append(append([]byte{}, png...), bytes.Repeat([]byte{0}, app.MaxAttachmentSize+1-len(png))...)
		refused("20 MiB + 1", f.prov.SendMultipart(api, entryPart(t, contribution(150_000_000, "UNC-DU-01")), evidence("hoa-don.png", big)),
			http.StatusUnprocessableEntity, "evidence", "err.app.file_larger_than_mb")
		huge := contribution(150_000_000, "UNC-DU-01")
		huge["note"] = strings.Repeat("x", 1<<20)
		if r := f.prov.SendJSON("POST", api, huge); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("a JSON body over 1 MiB: %d %.200s", r.Status, r.Body)
		}
		nothingStored("too large")

		// The contribution with its evidence: recorded, the file stored
		// once, attached to the project and linked from the entry.
		r := f.prov.SendMultipart(api, entryPart(t, contribution(150_000_000, "UNC-DU-01")), evidence("hoa-don.png", png))
		if r.Status != http.StatusCreated {
			t.Fatalf("contribution with evidence: %d %s", r.Status, r.Body)
		}
		var e nipp.LedgerEntry
		r.JSON(t, &e)
		if e.No != 3 || e.Kind != nipp.LedgerContribution || e.Amount != 150_000_000 || e.Evidence == 0 || e.EvidenceName != "hoa-don.png" {
			t.Fatalf("recorded entry: %+v", e)
		}
		if n := blobs(t, files); n != before+1 {
			t.Errorf("%d files stored, want %d", n, before+1)
		}
		dl := f.auditor.Get("/projects/" + id + "/attachments/" + strconv.FormatInt(e.Evidence, 10))
		if dl.Status != http.StatusOK || dl.Body != string(png) {
			t.Errorf("the evidence downloaded: %d, %d bytes", dl.Status, len(dl.Body))
		}
		var lv struct {
			Balances []nipp.LedgerBalance
			Entries  []nipp.LedgerEntry
		}
		f.auditor.Get(api).JSON(t, &lv)
		for _, b := range lv.Balances {
			if b.Source == nipp.SourceReciprocal && (b.Contributed != 150_000_000 || b.Shortfall() != 250_000_000) {
				t.Errorf("reciprocal balance: %+v", b)
			}
		}
		if n := len(lv.Entries); n != 3 || lv.Entries[2].EvidenceName != "hoa-don.png" {
			t.Errorf("entries: %+v", lv.Entries)
		}
		page := f.prov.Open("/projects/" + id + "/ledger")
		if !strings.Contains(page.Body, `/projects/`+id+`/attachments/`+strconv.FormatInt(e.Evidence, 10)+`">hoa-don.png</a>`) {
			t.Errorf("the ledger page does not link the evidence: %s", page.Text())
		}
		// Audited: the file (attachment) and the entry.
		var audit struct {
			Items []nipp.AuditEntry `json:"items"`
		}
		f.auditor.Get("/api/v1/audit?limit=2").JSON(t, &audit)
		got := map[string]bool{}
		for _, a := range audit.Items {
			got[a.Entity+" "+a.Action] = true
		}
		if !got["attachment create"] || !got["ledger_entry create"] {
			t.Errorf("audit entries: %+v", audit.Items)
		}

		// The same contribution again: refused as already recorded, no
		// second attachment.
		before, audits = blobs(t, files), auditCount()
		r = f.prov.SendMultipart(api, entryPart(t, contribution(150_000_000, "UNC-DU-01")), evidence("hoa-don.png", png))
		refused("the same again", r, http.StatusConflict, "", "err.app.ledger_already_recorded")
		nothingStored("the same again")

		// The central officer records for any province; an attachment
		// already on the project may be named by id instead of a file.
		ref := contribution(50_000_000, "UNC-DU-02")
		ref["evidence"] = e.Evidence
		if r := f.central.SendJSON("POST", api, ref); r.Status != http.StatusCreated {
			t.Errorf("central officer, evidence by id: %d %s", r.Status, r.Body)
		}
		ref["evidence"], ref["document_no"] = e.Evidence, "UNC-DU-03"
		refused("file and id", f.central.SendMultipart(api, entryPart(t, ref), evidence("hoa-don.png", png)),
			http.StatusUnprocessableEntity, "evidence", "err.app.ledger_evidence_twice")

		// The page: a contribution refused (dated before the decision) with
		// its file attached stores nothing and asks for the file again,
		// since a browser does not send it twice.
		before, audits = blobs(t, files), auditCount()
		form := f.prov.Open("/projects/" + id + "/ledger").Form("/projects/" + id + "/ledger")
		form.Select("source", "reciprocal").Select("kind", "contribution").Set("amount", "10.000.000").Set("document_no", "UNC-DU-04").
			Set("date", "2026-09-30").Attach("evidence", "bien-lai.png", png)
		pg := form.Submit()
		if pg.Status != http.StatusUnprocessableEntity || !strings.Contains(pg.Body, `id="evidence-again"`) || !pg.Contains("bien-lai.png") {
			t.Errorf("refused contribution with its file: %d %s", pg.Status, pg.Text())
		}
		nothingStored("refused on the page")
	})
}

// TestLedgerTodayIsVietnams: at 06:30 in Vietnam (23:30 UTC the day
// before) an officer records an entry dated today, and the form offers
// today's date: the day is Vietnam's, not UTC's.
func TestLedgerTodayIsVietnams(t *testing.T) {
	early := storetest.Options{Now: func() time.Time { return time.Date(2026, 11, 1, 23, 30, 0, 0, time.UTC) }}
	storetest.EachWith(t, early, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.addLedgerRuleSet()
		id := f.approvedForLedger()
		if v := f.prov.Open("/projects/" + id + "/ledger").Form("/projects/" + id + "/ledger").Get("date"); v != "2026-11-02" {
			t.Errorf("the form offers %q, want 2026-11-02", v)
		}
		adv := map[string]any{"source": "national", "kind": "advance", "amount": 1_000_000, "date": "2026-11-02", "document_no": "UNC-01", "document_date": "2026-11-02"}
		if r := f.central.SendJSON("POST", "/api/v1/projects/"+id+"/ledger", adv); r.Status != http.StatusCreated {
			t.Errorf("an advance dated today in Vietnam: %d %s", r.Status, r.Body)
		}
		adv["date"], adv["document_no"] = "2026-11-03", "UNC-02"
		if r := f.central.SendJSON("POST", "/api/v1/projects/"+id+"/ledger", adv); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("an advance dated tomorrow in Vietnam: %d %s", r.Status, r.Body)
		}
	})
}
