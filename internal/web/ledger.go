package web

import (
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/tabular"
)

// The co-financing ledger's pages (docs/ARCHITECTURE.md, "The co-financing
// ledger"): a project's ledger with its balances, rules, settlement
// standing, entries and the form that records one; an entry with its
// reversal form; the program's balances per program, year, province and
// source; the entries behind any balance; imports of treasury statements.
// Every table exports to .xlsx.

// measureKinds are the entry kinds behind each balance figure: a figure's
// link lists them (with their reversals).
var measureKinds = map[string][]nipp.LedgerKind{
	"committed":   {nipp.LedgerCommitment},
	"advanced":    {nipp.LedgerAdvance},
	"paid":        {nipp.LedgerPayment},
	"disbursed":   {nipp.LedgerAdvance, nipp.LedgerPayment},
	"spent":       {nipp.LedgerExpenditure},
	"settled":     {nipp.LedgerExpenditure, nipp.LedgerAdjustment},
	"adjusted":    {nipp.LedgerAdjustment},
	"refunded":    {nipp.LedgerRefund},
	"contributed": {nipp.LedgerContribution},
	"released":    {nipp.LedgerRelease},
	"outstanding": {nipp.LedgerCommitment, nipp.LedgerAdvance, nipp.LedgerPayment, nipp.LedgerRelease},
}

// ledgerForm is the entry form as typed (kept when refused).
type ledgerForm struct {
	Source, Kind, Amount, Date, DocNo, DocDate, Note string
	// EvidenceSent is the name of the evidence file a refused form
	// carried: a browser never sends a file again, so the page asks for it.
	EvidenceSent string
}

type ledgerPageView struct {
	Page
	*app.LedgerView
	Form ledgerForm
	// The entries shown: all, or those behind one balance (Source,
	// Measure).
	Shown       []*nipp.LedgerEntry
	Source      string
	Measure     string
	Sources     []string
	RecordKinds []nipp.LedgerKind
	Export      string
	// Paid are the balances of the sources that pay money out; Reciprocal
	// the beneficiaries' capital (nil when the project has none).
	Paid       []nipp.LedgerBalance
	Reciprocal *nipp.LedgerBalance
}

// ShortName is a source's name in a table.
func (v *ledgerPageView) ShortName(src string) string { return v.L.T("ledger.src." + src) }

// Advancing: advances may be recorded now (before acceptance); Paying:
// payments (after it).
func (v *ledgerPageView) Advancing() bool {
	return v.Open && (v.Project.State == nipp.StateApproved || v.Project.State == nipp.StateInImplementation)
}
func (v *ledgerPageView) Paying() bool { return v.Open && v.Project.State == nipp.StateAccepted }

func (v *ledgerPageView) SourceName(src string) string { return v.L.T("source." + src) }
func (v *ledgerPageView) KindName(k nipp.LedgerKind) string {
	return v.L.T("ledger.kind." + string(k))
}

// Link is the address of the entries behind a balance figure.
func (v *ledgerPageView) Link(source, measure string) string {
	return "/projects/" + v.Project.PublicID + "/ledger?" + url.Values{"source": {source}, "measure": {measure}}.Encode() + "#entries"
}

// Share formats basis points as a percentage in the page's language.
func (v *ledgerPageView) Share(bp int) string { return shareText(v.L, bp) }

func shareText(l L, bp int) string {
	s := l.Num(bp/100) + ","
	if l.Lang == "en" {
		s = strconv.Itoa(bp/100) + "."
	}
	f := bp % 100
	if f < 10 {
		s += "0"
	}
	return s + strconv.Itoa(f) + "%"
}

// MissingText says what a source lacks before settlement.
func (v *ledgerPageView) MissingText(s nipp.SourceSettlement) string {
	if s.Missing == nil {
		return ""
	}
	return v.L.Msg(*s.Missing)
}

func (s *Server) renderLedger(w http.ResponseWriter, r *http.Request, status int, id string, form ledgerForm, formErr error) {
	lv, err := s.app.Ledger(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &ledgerPageView{Page: s.page(r, "ledger.project"), LedgerView: lv, Form: form}
	v.PageTitle = v.L.T("ledger.project") + " · " + lv.Project.Code
	v.Refuse(formErr)
	q := r.URL.Query()
	v.Source, v.Measure = q.Get("source"), q.Get("measure")
	kinds := measureKinds[v.Measure]
	for _, e := range lv.Entries {
		if v.Source != "" && e.Source != v.Source {
			continue
		}
		if kinds != nil && !slicesHas(kinds, e.Measure()) {
			continue
		}
		v.Shown = append(v.Shown, e)
	}
	for _, b := range lv.Balances {
		if b.Source == nipp.SourceReciprocal {
			b := b
			v.Reciprocal = &b
		} else {
			v.Paid = append(v.Paid, b)
		}
		if ks := lv.Kinds[b.Source]; len(ks) > 0 {
			v.Sources = append(v.Sources, b.Source)
			for _, k := range ks {
				if !slicesHas(v.RecordKinds, k) {
					v.RecordKinds = append(v.RecordKinds, k)
				}
			}
		}
	}
	if v.Form.Date == "" {
		v.Form.Date = s.app.Today().String()
	}
	v.Export = "/projects/" + id + "/ledger/export.xlsx"
	s.render(w, r, status, "ledger_project", v)
}

func slicesHas[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Server) ledgerShow(w http.ResponseWriter, r *http.Request) {
	s.renderLedger(w, r, http.StatusOK, r.PathValue("id"), ledgerForm{}, nil)
}

// ledgerInputFrom reads the entry form.
func ledgerInputFrom(r *http.Request) (nipp.LedgerInput, ledgerForm, error) {
	f := ledgerForm{Source: r.FormValue("source"), Kind: r.FormValue("kind"), Amount: r.FormValue("amount"), Date: r.FormValue("date"),
		DocNo: r.FormValue("document_no"), DocDate: r.FormValue("document_date"), Note: r.FormValue("note")}
	in := nipp.LedgerInput{Source: f.Source, Kind: nipp.LedgerKind(f.Kind), DocNo: f.DocNo, Note: f.Note}
	var errs []error
	amount := strings.TrimSpace(f.Amount)
	neg := strings.HasPrefix(amount, "-") || strings.HasPrefix(amount, "−")
	a, err := parseAmount("amount", strings.TrimLeft(amount, "-−"))
	if neg {
		a = -a
	}
	in.Amount = a
	errs = append(errs, err)
	in.Date, err = formDate("date", f.Date)
	errs = append(errs, err)
	in.DocDate, err = formDate("document_date", f.DocDate)
	errs = append(errs, err)
	if in.DocDate.IsZero() {
		in.DocDate = in.Date
	}
	return in, f, nipp.JoinErrors(errs...)
}

func (s *Server) ledgerRecord(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	in, form, err := ledgerInputFrom(r)
	var file *app.EvidenceFile
	if f, hdr, ferr := r.FormFile("evidence"); ferr == nil {
		defer f.Close()
		file = &app.EvidenceFile{Name: hdr.Filename, Content: f}
		form.EvidenceSent = hdr.Filename
	}
	if err == nil {
		_, err = s.app.RecordLedgerEntry(r.Context(), id, in, file)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, _ string) { s.renderLedger(w, r, status, id, form, err) })
		return
	}
	http.Redirect(w, r, "/projects/"+id+"/ledger#entries", http.StatusSeeOther)
}

type ledgerEntryView struct {
	Page
	*app.LedgerEntryView
	Form ledgerForm
}

func (v *ledgerEntryView) SourceName(src string) string { return v.L.T("source." + src) }
func (v *ledgerEntryView) KindName(k nipp.LedgerKind) string {
	return v.L.T("ledger.kind." + string(k))
}

func (s *Server) renderLedgerEntry(w http.ResponseWriter, r *http.Request, status int, form ledgerForm, formErr error) {
	no, _ := strconv.Atoi(r.PathValue("no"))
	ev, err := s.app.LedgerEntry(r.Context(), r.PathValue("id"), no)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &ledgerEntryView{Page: s.page(r, "ledger.entry"), LedgerEntryView: ev, Form: form}
	v.PageTitle = v.L.Tf("ledger.entry_title", ev.Entry.No, ev.Project.Code)
	v.Refuse(formErr)
	if v.Form.Date == "" {
		v.Form.Date = s.app.Today().String()
	}
	s.render(w, r, status, "ledger_entry", v)
}

func (s *Server) ledgerEntryShow(w http.ResponseWriter, r *http.Request) {
	s.renderLedgerEntry(w, r, http.StatusOK, ledgerForm{}, nil)
}

func (s *Server) ledgerReverse(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	no, _ := strconv.Atoi(r.PathValue("no"))
	form := ledgerForm{Date: r.FormValue("date"), DocNo: r.FormValue("document_no"), DocDate: r.FormValue("document_date"), Note: r.FormValue("note")}
	in := nipp.ReversalInput{DocNo: form.DocNo, Note: form.Note}
	var e1, e2 error
	in.Date, e1 = formDate("date", form.Date)
	in.DocDate, e2 = formDate("document_date", form.DocDate)
	if in.DocDate.IsZero() {
		in.DocDate = in.Date
	}
	err := nipp.JoinErrors(e1, e2)
	if err == nil {
		_, err = s.app.ReverseLedgerEntry(r.Context(), id, no, in)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, _ string) { s.renderLedgerEntry(w, r, status, form, err) })
		return
	}
	http.Redirect(w, r, "/projects/"+id+"/ledger#entries", http.StatusSeeOther)
}

// entryRow is an entry as exports write it.
func entryRow(l L, e *nipp.LedgerEntry) []any {
	var docDate any
	if !e.DocDate.IsZero() {
		docDate = e.DocDate.Time()
	}
	tranche := any(nil)
	if e.Tranche > 0 {
		tranche = e.Tranche
	}
	rev := any(nil)
	if e.Reverses > 0 {
		rev = e.Reverses
	}
	revBy := any(nil)
	if e.ReversedBy > 0 {
		revBy = e.ReversedBy
	}
	rule := ""
	if e.Rule != "" {
		rule = l.Msg(nipp.DecodeMsg(e.Rule))
	}
	return []any{e.Code, e.No, e.Date.Time(), l.T("source." + e.Source), l.T("ledger.kind." + string(e.Kind)), tranche, signedAmount(e),
		e.DocNo, docDate, e.Note, rev, revBy, e.EvidenceName, rule, e.RecordedBy, e.RecordedAt.UTC()}
}

// signedAmount is an entry's amount as it moves its balance (a reversal
// negative).
func signedAmount(e *nipp.LedgerEntry) int64 { return e.Delta() }

func entryHeader(l L) []any {
	return []any{l.T("project.code"), l.T("ledger.no"), l.T("ledger.date"), l.T("ledger.source"), l.T("ledger.kind"), l.T("ledger.tranche"),
		l.T("ledger.amount"), l.T("ledger.document_no"), l.T("ledger.document_date"), l.T("ledger.note"), l.T("ledger.reverses"),
		l.T("ledger.reversed_by"), l.T("ledger.evidence"), l.T("ledger.rule"), l.T("ledger.recorded_by"), l.T("ledger.recorded_at")}
}

func balanceHeader(l L) []any {
	return []any{l.T("ledger.source"), l.T("ledger.committed"), l.T("ledger.advanced"), l.T("ledger.paid"), l.T("ledger.disbursed"),
		l.T("ledger.spent"), l.T("ledger.adjusted"), l.T("ledger.refunded"), l.T("ledger.still_to_pay"), l.T("ledger.contributed"),
		l.T("ledger.released"), l.T("ledger.entries")}
}

func balanceRow(l L, name string, b nipp.LedgerBalance) []any {
	return []any{name, b.Committed, b.Advanced, b.Paid, b.Disbursed(), b.Spent, b.Adjusted, b.Refunded, b.StillToPay(), b.Contributed,
		b.Released, b.Entries}
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) ledgerExport(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	lv, err := s.app.Ledger(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := L{lang(r)}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="so-cai-`+lv.Project.Code+`.xlsx"`)
	xw, err := tabular.NewXLSXWriter(w, l.T("ledger.project"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := [][]any{{lv.Project.Code, lv.Project.Title}, {}, balanceHeader(l)}
	for _, b := range lv.Balances {
		rows = append(rows, balanceRow(l, l.T("source."+b.Source), b))
	}
	total := balanceRow(l, l.T("ledger.total"), lv.Totals.LedgerBalance)
	total[8] = lv.Totals.Outstanding
	rows = append(rows, total, []any{}, entryHeader(l))
	for _, e := range lv.Entries {
		rows = append(rows, entryRow(l, e))
	}
	for _, row := range rows {
		if err := xw.Write(row); err != nil {
			s.log.Error("export", "err", err)
			return
		}
	}
	if err := xw.Close(); err != nil {
		s.log.Error("export close", "err", err)
	}
}

// ledgerQueryFrom reads the program views' filters.
func ledgerQueryFrom(q url.Values) nipp.LedgerQuery {
	lq := nipp.LedgerQuery{ProgramCode: q.Get("program"), Year: atoiDefault(q.Get("year"), 0), ProvinceCode: strings.TrimSpace(q.Get("province")),
		ProvinceGen: atoiDefault(q.Get("gen"), 0), AtTheTime: q.Get("by") == "then", Source: q.Get("source"), Limit: atoiDefault(q.Get("limit"), 50)}
	if ks, ok := measureKinds[q.Get("measure")]; ok {
		lq.Kinds = ks
	}
	if a, err := strconv.ParseInt(q.Get("after"), 10, 64); err == nil {
		lq.After = a
	}
	return lq
}

type ledgerBalancesView struct {
	Page
	Query    nipp.LedgerQuery
	Rows     []nipp.LedgerRollupRow
	Groups   []rollupGroup        // Rows by program and year
	Totals   []nipp.LedgerBalance // per source over the rows shown
	Total    nipp.LedgerTotals
	Programs []string
	Sources  []string
	Export   string
	By       string
}

// rollupGroup is a program's year of roll-up rows.
type rollupGroup struct {
	Program string
	Year    int
	Rows    []nipp.LedgerRollupRow
}

func (v *ledgerBalancesView) SourceName(src string) string { return v.L.T("source." + src) }
func (v *ledgerBalancesView) ShortName(src string) string  { return v.L.T("ledger.src." + src) }
func (v *ledgerBalancesView) Share(bp int) string          { return shareText(v.L, bp) }

// Link is the address of the entries behind a roll-up figure.
func (v *ledgerBalancesView) Link(row nipp.LedgerRollupRow, measure string) string {
	q := url.Values{"program": {row.ProgramCode}, "year": {strconv.Itoa(row.Year)}, "province": {row.ProvinceCode},
		"gen": {strconv.Itoa(row.ProvinceGen)}, "source": {row.Source}, "measure": {measure}}
	if v.Query.AtTheTime {
		q.Set("by", "then")
	}
	return "/ledger/entries?" + q.Encode()
}

// SourceLink is the address of the entries behind a total of one source.
func (v *ledgerBalancesView) SourceLink(source, measure string) string {
	q := v.filterValues()
	q.Set("source", source)
	q.Set("measure", measure)
	return "/ledger/entries?" + q.Encode()
}

func (v *ledgerBalancesView) filterValues() url.Values {
	q := url.Values{}
	set := func(k, val string) {
		if val != "" && val != "0" {
			q.Set(k, val)
		}
	}
	set("program", v.Query.ProgramCode)
	set("year", strconv.Itoa(v.Query.Year))
	set("province", v.Query.ProvinceCode)
	set("gen", strconv.Itoa(v.Query.ProvinceGen))
	if v.Query.AtTheTime {
		q.Set("by", "then")
	}
	return q
}

func (s *Server) ledgerBalances(w http.ResponseWriter, r *http.Request) {
	q := ledgerQueryFrom(r.URL.Query())
	rows, err := s.app.LedgerBalances(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &ledgerBalancesView{Page: s.page(r, "ledger.balances"), Query: q, Rows: rows, Sources: nipp.FundingSources(), By: "today"}
	if q.AtTheTime {
		v.By = "then"
	}
	by := map[string]*nipp.LedgerBalance{}
	var all []nipp.LedgerBalance
	for _, row := range rows {
		if n := len(v.Groups); n == 0 || v.Groups[n-1].Program != row.ProgramCode || v.Groups[n-1].Year != row.Year {
			v.Groups = append(v.Groups, rollupGroup{Program: row.ProgramCode, Year: row.Year})
		}
		g := &v.Groups[len(v.Groups)-1]
		g.Rows = append(g.Rows, row)
		all = append(all, row.LedgerBalance)
		b, ok := by[row.Source]
		if !ok {
			b = &nipp.LedgerBalance{Source: row.Source}
			by[row.Source] = b
		}
		t, _ := nipp.SumBalances([]nipp.LedgerBalance{*b, row.LedgerBalance})
		t.Source = row.Source
		*b = t.LedgerBalance
	}
	for _, src := range nipp.FundingSources() {
		if b, ok := by[src]; ok {
			v.Totals = append(v.Totals, *b)
		}
	}
	v.Total, _ = nipp.SumBalances(all)
	progs, err := s.app.Programs(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, p := range progs {
		v.Programs = append(v.Programs, p.Code)
	}
	v.Export = "/ledger/export.xlsx?" + r.URL.Query().Encode()
	s.render(w, r, http.StatusOK, "ledger_balances", v)
}

func (s *Server) ledgerBalancesExport(w http.ResponseWriter, r *http.Request) {
	q := ledgerQueryFrom(r.URL.Query())
	rows, err := s.app.LedgerBalances(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := L{lang(r)}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="so-du-khuyen-cong.xlsx"`)
	xw, err := tabular.NewXLSXWriter(w, l.T("ledger.balances"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	head := append([]any{l.T("project.program"), l.T("project.year"), l.T("ledger.province_code"), l.T("project.province")}, balanceHeader(l)...)
	if err := xw.Write(head); err != nil {
		return
	}
	for _, row := range rows {
		line := append([]any{row.ProgramCode, tabular.Plain(row.Year), row.ProvinceCode, row.ProvinceName},
			balanceRow(l, l.T("source."+row.Source), row.LedgerBalance)...)
		if err := xw.Write(line); err != nil {
			s.log.Error("export", "err", err)
			return
		}
	}
	if err := xw.Close(); err != nil {
		s.log.Error("export close", "err", err)
	}
}

type ledgerEntriesView struct {
	Page
	Query  nipp.LedgerQuery
	Items  []*nipp.LedgerEntry
	Next   string
	Export string
	Back   string
}

func (v *ledgerEntriesView) SourceName(src string) string { return v.L.T("source." + src) }
func (v *ledgerEntriesView) KindName(k nipp.LedgerKind) string {
	return v.L.T("ledger.kind." + string(k))
}

func (s *Server) ledgerEntries(w http.ResponseWriter, r *http.Request) {
	q := ledgerQueryFrom(r.URL.Query())
	items, next, err := s.app.LedgerEntries(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &ledgerEntriesView{Page: s.page(r, "ledger.entries"), Query: q, Items: items}
	vals := r.URL.Query()
	vals.Del("after")
	v.Export = "/ledger/entries/export.xlsx?" + vals.Encode()
	back := url.Values{}
	for _, k := range []string{"program", "year", "by"} {
		if vals.Get(k) != "" {
			back.Set(k, vals.Get(k))
		}
	}
	v.Back = "/ledger?" + back.Encode()
	if next > 0 {
		vals.Set("after", strconv.FormatInt(next, 10))
		v.Next = "/ledger/entries?" + vals.Encode()
	}
	s.render(w, r, http.StatusOK, "ledger_entries", v)
}

func (s *Server) ledgerEntriesExport(w http.ResponseWriter, r *http.Request) {
	q := ledgerQueryFrom(r.URL.Query())
	l := L{lang(r)}
	if _, _, err := s.app.LedgerEntries(r.Context(), nipp.LedgerQuery{Limit: 1}); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="but-toan.xlsx"`)
	xw, err := tabular.NewXLSXWriter(w, l.T("ledger.entries"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := xw.Write(entryHeader(l)); err != nil {
		return
	}
	err = s.app.ExportLedgerEntries(r.Context(), q, func(e *nipp.LedgerEntry) error { return xw.Write(entryRow(l, e)) })
	if err != nil {
		s.log.Error("export failed", "request_id", requestID(r.Context()), "err", err)
		return
	}
	if err := xw.Close(); err != nil {
		s.log.Error("export close", "err", err)
	}
}

// The JSON API.

func (s *Server) apiLedger(w http.ResponseWriter, r *http.Request) {
	lv, err := s.app.Ledger(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := L{Lang: pickLang(r)}
	type rule struct {
		nipp.AdvanceRule
		Text string `json:"text"`
	}
	rules := []rule{}
	for _, ru := range lv.Rules {
		rules = append(rules, rule{ru, l.Msg(ru.Msg)})
	}
	type settlement struct {
		nipp.SourceSettlement
		Missing string `json:"missing,omitempty"`
	}
	sets := []settlement{}
	for _, st := range lv.Settlement {
		x := settlement{SourceSettlement: st}
		if st.Missing != nil {
			x.Missing = l.Msg(*st.Missing)
		}
		sets = append(sets, x)
	}
	type entry struct {
		*nipp.LedgerEntry
		Rule string `json:"rule,omitempty"`
	}
	entries := []entry{}
	for _, e := range lv.Entries {
		x := entry{LedgerEntry: e}
		if e.Rule != "" {
			x.Rule = l.Msg(nipp.DecodeMsg(e.Rule))
		}
		entries = append(entries, x)
	}
	type total struct {
		nipp.LedgerTotals
		StatePaidBP int `json:"state_paid_bp"`
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"project":    map[string]any{"id": lv.Project.PublicID, "code": lv.Project.Code, "title": lv.Project.Title, "state": lv.Project.State, "rule_set": lv.Project.RuleSetCode},
		"balances":   lv.Balances,
		"totals":     total{lv.Totals, lv.Totals.StatePaidBP()},
		"rules":      rules,
		"settlement": sets,
		"entries":    entries,
		"kinds":      lv.Kinds,
	})
}

func (s *Server) apiLedgerRecord(w http.ResponseWriter, r *http.Request) {
	in, fh, err := apiLedgerInput(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var file *app.EvidenceFile
	if fh != nil {
		f, err := fh.Open()
		if err != nil {
			s.fail(w, r, nipp.Internal(err))
			return
		}
		defer f.Close()
		file = &app.EvidenceFile{Name: fh.Filename, Content: f}
	}
	e, err := s.app.RecordLedgerEntry(r.Context(), r.PathValue("id"), in, file)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, e)
}

// apiLedgerInput reads an entry sent to the API: either a JSON body (a
// contribution names an attachment of the project as "evidence"), or a
// multipart/form-data body whose part "entry" holds the same JSON object and
// whose file part "evidence" holds the file proving a contribution. The
// route's limit (bodyLimits) admits the file; the JSON, alone or as the
// entry part, is still held to formBodyLimit. guard has parsed the
// multipart form (files over formMemory on disk, removed after the
// handler); the file is stored by the app only once the entry passes its
// checks, outside the write transaction.
func apiLedgerInput(w http.ResponseWriter, r *http.Request) (nipp.LedgerInput, *multipart.FileHeader, error) {
	var in nipp.LedgerInput
	if r.MultipartForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, formBodyLimit)
		return in, nil, readJSON(r, &in)
	}
	parts := r.MultipartForm.Value["entry"]
	if len(parts) != 1 {
		return in, nil, nipp.Errorf(nipp.EBADREQUEST, "err.web.ledger_entry_part")
	}
	if int64(len(parts[0])) > formBodyLimit {
		return in, nil, nipp.Errorf(nipp.ETOOLARGE, "input.too_large", nipp.Num(formBodyLimit>>10))
	}
	if err := decodeJSON(r, []byte(parts[0]), &in); err != nil {
		return in, nil, err
	}
	switch fhs := r.MultipartForm.File["evidence"]; len(fhs) {
	case 0:
		return in, nil, nil
	case 1:
		return in, fhs[0], nil
	default:
		return in, nil, nipp.FieldError("evidence", "err.web.ledger_one_evidence")
	}
}

func (s *Server) apiLedgerReverse(w http.ResponseWriter, r *http.Request) {
	var in nipp.ReversalInput
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	no, _ := strconv.Atoi(r.PathValue("no"))
	e, err := s.app.ReverseLedgerEntry(r.Context(), r.PathValue("id"), no, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, e)
}

func (s *Server) apiLedgerBalances(w http.ResponseWriter, r *http.Request) {
	rows, err := s.app.LedgerBalances(r.Context(), ledgerQueryFrom(r.URL.Query()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type row struct {
		nipp.LedgerRollupRow
		Disbursed  int64 `json:"disbursed"`
		StillToPay int64 `json:"still_to_pay"`
	}
	out := apiList[row]{Items: []row{}}
	for _, x := range rows {
		out.Items = append(out.Items, row{x, x.Disbursed(), x.StillToPay()})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiLedgerEntries(w http.ResponseWriter, r *http.Request) {
	items, next, err := s.app.LedgerEntries(r.Context(), ledgerQueryFrom(r.URL.Query()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := apiList[*nipp.LedgerEntry]{Items: items}
	if out.Items == nil {
		out.Items = []*nipp.LedgerEntry{}
	}
	if next > 0 {
		out.Next = strconv.FormatInt(next, 10)
	}
	writeJSON(w, http.StatusOK, out)
}
