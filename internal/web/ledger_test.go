package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// addLedgerRuleSet stores RS-LEDGER, in force from 1 June 2026: MACHINERY
// caps of 50% and 300,000,000 for the state sources, and advance limits
// for national funds only: the first advance up to 30% of the approved
// amount, all advances before acceptance up to 70% (article "Điều 9
// khoản 2"). Its approvals name nobody, so the proposer starts, accepts
// and settles.
func (f *fixture) addLedgerRuleSet() {
	f.t.Helper()
	rs := &nipp.RuleSet{Code: "RS-LEDGER", NameVI: "RS-LEDGER", LegalBasis: "Nghị định L", ValidFrom: nipp.MustDate("2026-06-01"),
		AdvanceLimits: []nipp.AdvanceLimit{{FundingSource: nipp.SourceNational, FirstMaxBP: 3000, CumulativeMaxBP: 7000, Article: "Điều 9 khoản 2"}}}
	for _, src := range []string{nipp.SourceNational, nipp.SourceLocal} {
		rs.Caps = append(rs.Caps, nipp.SupportCap{ActivityTypeCode: "MACHINERY", AreaCategory: nipp.AreaOrdinary, FundingSource: src, MaxShareBP: 5000, MaxAmount: 300_000_000})
	}
	if err := f.db.WriteTx(context.Background(), func(tx *store.Tx) error { return tx.CreateRuleSet(context.Background(), rs, "test") }); err != nil {
		f.t.Fatal(err)
	}
}

// approvedForLedger proposes a project of national support 300,000,000 and
// reciprocal capital 400,000,000 (total 700,000,000: 50% is 350,000,000,
// so the 300,000,000 cap binds exactly) and has the ministry approve it
// through the project page on 1 October 2026, under RS-LEDGER.
func (f *fixture) approvedForLedger() string {
	f.t.Helper()
	p := f.ready(f.create(proposal(300_000_000, 400_000_000)))
	for _, a := range []string{"submit", "start_appraisal"} {
		if r := f.transition(f.central, p.PublicID, a); r.Status != http.StatusOK {
			f.t.Fatalf("%s: %d %s", a, r.Status, r.Body)
		}
	}
	form := f.central.Open("/projects/" + p.PublicID).Form("/projects/" + p.PublicID + "/transitions/approve")
	form.Set("decision_no", "88/QĐ-BCT").Set("decision_date", "2026-10-01").Set("override_reason", "kiểm thử")
	if pg := form.Submit(); pg.Status != http.StatusOK || f.get(p.PublicID).RuleSetCode != "RS-LEDGER" {
		f.t.Fatalf("approve: %d %s", pg.Status, pg.Text())
	}
	return p.PublicID
}

var (
	balanceRowRe = regexp.MustCompile(`(?s)<tr data-source="([a-z]+)">(.*?)</tr>`)
	measureRe    = regexp.MustCompile(`data-measure="([a-z_]+)">(?:<a href="[^"]*">)?([^<]*)<`)
)

// balances reads the figures of a ledger page's balance tables (money
// paid out; reciprocal capital): source -> measure -> the amount as shown.
func balances(p *webtest.Page) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, row := range balanceRowRe.FindAllStringSubmatch(withoutLabels(p.Body), -1) {
		m := map[string]string{}
		for _, c := range measureRe.FindAllStringSubmatch(row[2], -1) {
			m[c[1]] = c[2]
		}
		out[row[1]] = m
	}
	return out
}

// vnd formats a whole number of đồng as the Vietnamese pages show it.
func vnd(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String() + " ₫"
}

// figures are a source's balances worked out by hand.
type figures struct{ committed, advanced, paid, disbursed, settled, refunded, still, contributed, shortfall int64 }

func checkBalances(t *testing.T, step string, p *webtest.Page, nat, rec figures) {
	t.Helper()
	got := balances(p)
	for src, want := range map[string]map[string]int64{
		"national": {"committed": nat.committed, "advanced": nat.advanced, "paid": nat.paid, "disbursed": nat.disbursed,
			"settled": nat.settled, "refunded": nat.refunded, "still_to_pay": nat.still},
		"reciprocal": {"committed": rec.committed, "contributed": rec.contributed, "shortfall": rec.shortfall},
	} {
		for m, v := range want {
			if got[src][m] != vnd(v) {
				t.Errorf("%s: %s %s shows %q, want %s", step, src, m, got[src][m], vnd(v))
			}
		}
	}
}

// TestLedgerJourneyThroughPages follows a project's money from the
// commitment written at approval through two advances, expenditure
// reports, a reversing correction, a payment after acceptance, a refund and
// settlement, every entry recorded through the ledger page's own forms,
// every balance checked after each step against figures worked out by
// hand below.
func TestLedgerJourneyThroughPages(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.addLedgerRuleSet()
		id := f.approvedForLedger()
		ledger := "/projects/" + id + "/ledger"
		open := func() *webtest.Page {
			t.Helper()
			p := f.prov.Open(ledger)
			okPage(t, "ledger", p)
			return p
		}
		record := func(source, kind, amount, doc string, fill func(*webtest.Form)) *webtest.Page {
			t.Helper()
			form := open().Form(ledger)
			form.Select("source", source).Select("kind", kind).Set("amount", amount).Set("document_no", doc)
			if fill != nil {
				fill(form)
			}
			return form.Submit()
		}
		recorded := func(step string, p *webtest.Page) *webtest.Page {
			t.Helper()
			if p.Status != http.StatusOK || p.URL.Path != ledger || strings.Contains(p.Body, `role="alert"`) {
				t.Fatalf("%s: %d at %s: %s", step, p.Status, p.Path(), p.Text())
			}
			return p
		}

		// Approval wrote the commitments: entries 1 and 2, from the decision.
		p := open()
		nat := figures{committed: 300_000_000, still: 300_000_000}
		rec := figures{committed: 400_000_000, shortfall: 400_000_000}
		checkBalances(t, "approved", p, nat, rec)
		if !p.Contains("88/QĐ-BCT") || !p.Contains("Cam kết (phê duyệt)") {
			t.Errorf("the commitments do not cite the decision: %s", p.Text())
		}
		// The page states the rule: 30% of 300,000,000 is 90,000,000; 70% is
		// 210,000,000.
		if !p.Contains("RS-LEDGER (Điều 9 khoản 2)") || !p.Contains("tạm ứng lần đầu tối đa 30% số được duyệt (90.000.000 ₫)") ||
			!p.Contains("tối đa 70% (210.000.000 ₫)") {
			t.Errorf("the advance rule is not stated: %s", p.Text())
		}

		// Who reads and who records: the project page links its ledger for
		// the province's officer; another province's officer gets "not
		// found" although the approved project is published; the auditor
		// reads without the form.
		if pp := f.prov.Open("/projects/" + id); !strings.Contains(pp.Body, `id="ledger-link"`) {
			t.Errorf("the project page does not link the ledger")
		}
		if pp := f.prov2.Open("/projects/" + id); pp.Status != http.StatusOK || strings.Contains(pp.Body, `id="ledger-link"`) {
			t.Errorf("another province's officer: project page %d, ledger link shown", pp.Status)
		}
		if pp := f.prov2.Open(ledger); pp.Status != http.StatusNotFound {
			t.Errorf("another province's officer reads the ledger: %d", pp.Status)
		}
		if pp := f.auditor.Open(ledger); pp.Status != http.StatusOK || pp.HasForm(ledger) {
			t.Errorf("the auditor's ledger page: %d, form shown %v", pp.Status, pp.HasForm(ledger))
		}

		// The implementing side starts (through the project page).
		form := f.prov.Open("/projects/" + id).Form("/projects/" + id + "/transitions/start")
		okPage(t, "start", form.Submit())

		// First advance: one đồng over 30% is refused, naming the rule set,
		// its article, the share and what is left; exactly 30% is recorded.
		pg := record("national", "advance", "90.000.001", "UNC-01", nil)
		if pg.Status != http.StatusUnprocessableEntity {
			t.Fatalf("first advance one VND over 30%%: %d %s", pg.Status, pg.Text())
		}
		for _, want := range []string{"RS-LEDGER", "Điều 9 khoản 2", "30%", "còn được tạm ứng 90.000.000 ₫"} {
			if !pg.Contains(want) {
				t.Errorf("refusal of the first advance does not name %q: %s", want, pg.Text())
			}
		}
		p = recorded("advance 1", record("national", "advance", "90.000.000", "UNC-01", nil))
		nat.advanced, nat.disbursed, nat.still = 90_000_000, 90_000_000, 210_000_000
		checkBalances(t, "advance 1", p, nat, rec)
		if !p.Contains("Tạm ứng · đợt 1") {
			t.Errorf("the first advance is not tranche 1: %s", p.Text())
		}

		// Expenditure reported: 80,000,000.
		p = recorded("expenditure 1", record("national", "expenditure", "80000000", "BC-01", nil))
		nat.settled = 80_000_000
		checkBalances(t, "expenditure 1", p, nat, rec)

		// Second advance: 210,000,000 - 90,000,000 = 120,000,000 left before
		// acceptance.
		pg = record("national", "advance", "120.000.001", "UNC-02", nil)
		if pg.Status != http.StatusUnprocessableEntity || !pg.Contains("70%") || !pg.Contains("còn được tạm ứng 120.000.000 ₫") {
			t.Fatalf("second advance one VND over 70%%: %d %s", pg.Status, pg.Text())
		}
		p = recorded("advance 2", record("national", "advance", "120.000.000", "UNC-02", nil))
		nat.advanced, nat.disbursed, nat.still = 210_000_000, 210_000_000, 90_000_000
		checkBalances(t, "advance 2", p, nat, rec)

		// An expenditure typed wrong (130,000,000 for 103,000,000): entry 6,
		// reversed by entry 7 on the entry's page, then recorded right.
		p = recorded("wrong expenditure", record("national", "expenditure", "130.000.000", "BC-02", nil))
		nat.settled = 210_000_000
		checkBalances(t, "wrong expenditure", p, nat, rec)
		entry := f.prov.Open(ledger + "/6")
		okPage(t, "entry 6", entry)
		if !entry.Contains("130.000.000 ₫") || !entry.Contains("BC-02") {
			t.Fatalf("entry 6 is not the wrong expenditure: %s", entry.Text())
		}
		rev := entry.Form(ledger + "/6/reverse")
		rev.Set("document_no", "ĐC-01").Set("note", "Nhập nhầm số tiền 103.000.000")
		p = recorded("reversal", rev.Submit())
		nat.settled = 80_000_000
		checkBalances(t, "reversal", p, nat, rec)
		entry = f.prov.Open(ledger + "/6")
		if entry.HasForm(ledger+"/6/reverse") || !entry.Contains("đã bị đảo bởi bút toán số 7") {
			t.Errorf("entry 6 after its reversal: %s", entry.Text())
		}
		// A second reversal of entry 6 is refused (the API, since the page
		// no longer offers it).
		r := f.prov.SendJSON("POST", "/api/v1/projects/"+id+"/ledger/6/reverse", map[string]any{"date": "2026-11-02", "document_no": "ĐC-02",
			"document_date": "2026-11-02", "note": "lần hai"})
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "ledger_already_reversed") {
			t.Errorf("second reversal of entry 6: %d %s", r.Status, r.Body)
		}
		p = recorded("expenditure 2", record("national", "expenditure", "103.000.000", "BC-02b", nil))
		nat.settled = 183_000_000
		checkBalances(t, "expenditure 2", p, nat, rec)

		// Reciprocal capital contributed, with its evidence attached.
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
		pg = record("reciprocal", "contribution", "350.000.000", "HĐ-MUA-MÁY", nil)
		if pg.Status != http.StatusUnprocessableEntity || !pg.Contains("cần kèm chứng từ") {
			t.Fatalf("a contribution without evidence: %d %s", pg.Status, pg.Text())
		}
		p = recorded("contribution", record("reciprocal", "contribution", "350.000.000", "HĐ-MUA-MÁY", func(fm *webtest.Form) {
			fm.Attach("evidence", "hoa-don.png", png)
		}))
		rec.contributed, rec.shortfall = 350_000_000, 50_000_000
		checkBalances(t, "contribution", p, nat, rec)
		if !p.Contains("hoa-don.png") {
			t.Errorf("the evidence is not linked from the entry: %s", p.Text())
		}

		// Acceptance (through the project page), then the rest is paid:
		// 80,000,000 of the 90,000,000 left.
		form = f.prov.Open("/projects/" + id).Form("/projects/" + id + "/transitions/accept")
		okPage(t, "accept", form.Set("actual_output_MACHINES", "2").Submit())
		p = recorded("payment", record("national", "payment", "80.000.000", "UNC-03", nil))
		nat.paid, nat.disbursed, nat.still = 80_000_000, 290_000_000, 10_000_000
		checkBalances(t, "payment", p, nat, rec)
		if !p.Contains("Thanh toán · đợt 3") {
			t.Errorf("the payment is not tranche 3: %s", p.Text())
		}
		p = recorded("expenditure 3", record("national", "expenditure", "100.000.000", "BC-03", nil))
		nat.settled = 283_000_000
		checkBalances(t, "expenditure 3", p, nat, rec)

		// Settlement is refused while national funds do not reconcile:
		// 290,000,000 disbursed - 283,000,000 spent - 0 refunded =
		// 7,000,000 unaccounted. The reciprocal shortfall (50,000,000) is
		// explained in the comment, so only national funds are named.
		settle := f.prov.Open("/projects/" + id).Form("/projects/" + id + "/transitions/settle")
		pg = settle.Set("comment", "Cơ sở góp thiếu 50 triệu do giá máy giảm").Submit()
		if pg.Status != http.StatusUnprocessableEntity || !pg.Contains("Kinh phí khuyến công quốc gia không khớp") || !pg.Contains("7.000.000 ₫") ||
			pg.Contains("Vốn đối ứng của cơ sở: đã góp") {
			t.Fatalf("settlement with national funds unreconciled: %d %s", pg.Status, pg.Text())
		}
		p = open()
		if !p.Contains("còn 7.000.000 ₫ chưa có báo cáo chi hoặc nộp trả") {
			t.Errorf("the ledger page does not show what is missing: %s", p.Text())
		}
		// Without the explanation the reciprocal shortfall is named too.
		settle = f.prov.Open("/projects/" + id).Form("/projects/" + id + "/transitions/settle")
		if pg = settle.Submit(); pg.Status != http.StatusUnprocessableEntity || !pg.Contains("thiếu 50.000.000 ₫") {
			t.Errorf("settlement without the explanation: %d %s", pg.Status, pg.Text())
		}

		// The unspent 7,000,000 is refunded; now settlement passes and the
		// budget lines settle at the ledger's figures.
		p = recorded("refund", record("national", "refund", "7.000.000", "GNT-01", nil))
		nat.refunded = 7_000_000
		checkBalances(t, "refund", p, nat, rec)
		settle = f.prov.Open("/projects/" + id).Form("/projects/" + id + "/transitions/settle")
		okPage(t, "settle", settle.Set("comment", "Cơ sở góp thiếu 50 triệu do giá máy giảm").Submit())
		got := f.get(id)
		if got.State != nipp.StateSettled {
			t.Fatalf("state %s after settlement", got.State)
		}
		for _, l := range got.Budget {
			want := map[string]int64{"national": 283_000_000, "reciprocal": 350_000_000}[l.Source]
			if l.Actual == nil || *l.Actual != want {
				t.Errorf("%s settled at %v, want %d", l.Source, l.Actual, want)
			}
		}
		// The 10,000,000 never paid is released (entry 13): nothing is
		// left to pay, and the ledger is closed.
		p = open()
		nat.still = 0
		checkBalances(t, "settled", p, nat, rec)
		if !p.Contains("Giải phóng cam kết") || p.HasForm(ledger) {
			t.Errorf("settled ledger: %s", p.Text())
		}
		// State money paid net of refunds: 283,000,000 of 300,000,000 = 94.33%.
		if !p.Contains("283.000.000 ₫ trên 300.000.000 ₫ cam kết, đạt 94,33%") {
			t.Errorf("state share: %s", p.Text())
		}

		// Every balance links to the entries behind it: disbursed lists the
		// two advances and the payment (entries 3, 5, 10).
		link := regexp.MustCompile(`data-measure="disbursed"><a href="([^"]*)"`).FindStringSubmatch(withoutLabels(p.Body))
		if link == nil {
			t.Fatal("no link behind the disbursed figure")
		}
		behind := f.prov.Open(strings.ReplaceAll(link[1], "&amp;", "&"))
		if rows := regexp.MustCompile(`<tr data-no="(\d+)"`).FindAllStringSubmatch(behind.Body, -1); fmt.Sprint(rows) != "[[<tr data-no=\"3\" 3] [<tr data-no=\"5\" 5] [<tr data-no=\"10\" 10]]" {
			t.Errorf("entries behind disbursed: %v", rows)
		}

		// The program's balances (kept by the handlers, not summed on view)
		// hold the same figures, per program, year, province and source,
		// and link to the same entries.
		var api struct {
			Items []struct {
				Program, Province, Source string
				Year                      int
				Committed, Disbursed      int64
				Spent, Adjusted, Refunded int64
				Contributed, Released     int64
				StillToPay                int64 `json:"still_to_pay"`
			} `json:"items"`
		}
		f.auditor.Get("/api/v1/ledger/balances?program=NIPP-2026-2030&year=2026").JSON(t, &api)
		if len(api.Items) != 2 {
			t.Fatalf("roll-up rows: %+v", api.Items)
		}
		for _, it := range api.Items {
			want := map[string][6]int64{"national": {300_000_000, 290_000_000, 283_000_000, 7_000_000, 0, 10_000_000},
				"reciprocal": {400_000_000, 0, 0, 0, 350_000_000, 0}}[it.Source]
			if got := [6]int64{it.Committed, it.Disbursed, it.Spent + it.Adjusted, it.Refunded, it.Contributed, it.Released}; got != want || it.Province != "01" || it.StillToPay != 0 {
				t.Errorf("roll-up %s: %+v, want %v", it.Source, it, want)
			}
		}
		bal := f.central.Open("/ledger?program=NIPP-2026-2030&year=2026")
		okPage(t, "balances", bal)
		if !bal.Contains("290.000.000 ₫") || !bal.Contains("350.000.000 ₫") {
			t.Errorf("program balances page: %s", bal.Text())
		}
		// The audit trail has every entry.
		var audit struct {
			Items []nipp.AuditEntry `json:"items"`
		}
		f.auditor.Get("/api/v1/audit?entity=ledger_entry&limit=100").JSON(t, &audit)
		if len(audit.Items) != 13 {
			t.Errorf("%d audit entries for the ledger, want 13 (one per entry)", len(audit.Items))
		}
	})
}
