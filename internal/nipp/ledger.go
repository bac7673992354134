package nipp

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// The co-financing ledger: every đồng of a project, per funding source,
// from the commitment written at approval to settlement. The ledger is
// append-only: an entry is never edited or deleted; a mistake is corrected
// by a reversing entry that names the entry it reverses (once).

// LedgerKind is what an entry records.
type LedgerKind string

// Ledger entry kinds.
const (
	// LedgerCommitment is the approved budget of a source, written by the
	// system when the project is approved (the decision is its document).
	LedgerCommitment LedgerKind = "commitment"
	// LedgerAdvance is money advanced before acceptance (tạm ứng), in
	// tranches, within the pinned rule set's advance limits.
	LedgerAdvance LedgerKind = "advance"
	// LedgerPayment is money paid after acceptance (thanh toán), up to the
	// approved amount.
	LedgerPayment LedgerKind = "payment"
	// LedgerExpenditure is expenditure the implementing side reports.
	LedgerExpenditure LedgerKind = "expenditure"
	// LedgerContribution is reciprocal capital the beneficiaries actually
	// put in (with its evidence attached).
	LedgerContribution LedgerKind = "contribution"
	// LedgerRefund is money returned to the funding source.
	LedgerRefund LedgerKind = "refund"
	// LedgerAdjustment is a settlement adjustment of the reported
	// expenditure (signed: expenditure the settlement does not accept is
	// negative).
	LedgerAdjustment LedgerKind = "adjustment"
	// LedgerRelease is the part of a commitment no longer owed, written by
	// the system when the project is settled or cancelled.
	LedgerRelease LedgerKind = "release"
	// LedgerReversal reverses one earlier entry (named by Reverses).
	LedgerReversal LedgerKind = "reversal"
)

// LedgerKinds lists every kind in display order.
func LedgerKinds() []LedgerKind {
	return []LedgerKind{LedgerCommitment, LedgerAdvance, LedgerPayment, LedgerExpenditure, LedgerContribution,
		LedgerRefund, LedgerAdjustment, LedgerRelease, LedgerReversal}
}

// RecordedKinds are the kinds officers record (the others are written by
// the system, or are reversals).
func RecordedKinds() []LedgerKind {
	return []LedgerKind{LedgerAdvance, LedgerPayment, LedgerExpenditure, LedgerContribution, LedgerRefund, LedgerAdjustment}
}

// Valid reports whether k is a known kind.
func (k LedgerKind) Valid() bool { return slices.Contains(LedgerKinds(), k) }

// System reports whether entries of the kind are written by nipp itself
// (they cannot be recorded or reversed by hand).
func (k LedgerKind) System() bool { return k == LedgerCommitment || k == LedgerRelease }

// Disbursement reports whether the kind pays money out (advances and
// payments are numbered in tranches).
func (k LedgerKind) Disbursement() bool { return k == LedgerAdvance || k == LedgerPayment }

// LedgerStates are the project states in which entries may be recorded:
// from approval to acceptance, and refunds (with reversals) after a
// cancellation. A settled project's ledger is closed.
func LedgerStates() []ProjectState {
	return []ProjectState{StateApproved, StateInImplementation, StateAccepted, StateCancelled}
}

// LedgerKindsFor returns the kinds an officer may record now for a project
// in state s from source: reciprocal capital is contributed; the other
// sources advance before acceptance and pay after it, report expenditure,
// take refunds and (after acceptance) settlement adjustments. A cancelled
// project only takes refunds.
func LedgerKindsFor(s ProjectState, source string) []LedgerKind {
	var byState []LedgerKind
	switch s {
	case StateApproved, StateInImplementation:
		byState = []LedgerKind{LedgerAdvance, LedgerExpenditure, LedgerContribution, LedgerRefund}
	case StateAccepted:
		byState = []LedgerKind{LedgerPayment, LedgerExpenditure, LedgerContribution, LedgerRefund, LedgerAdjustment}
	case StateCancelled:
		byState = []LedgerKind{LedgerRefund}
	}
	var out []LedgerKind
	for _, k := range byState {
		if (source == SourceReciprocal) == (k == LedgerContribution) {
			out = append(out, k)
		}
	}
	return out
}

// LedgerEntry is one line of a project's ledger.
type LedgerEntry struct {
	ID        int64      `json:"-"`
	No        int        `json:"no"` // the entry's number in its project's ledger: 1, 2, 3...
	ProjectID int64      `json:"-"`
	Project   string     `json:"project"` // public id
	Code      string     `json:"project_code"`
	Source    string     `json:"source"`
	Kind      LedgerKind `json:"kind"`
	// Tranche numbers advances and payments of a source: 1, 2, ...
	Tranche int    `json:"tranche,omitempty"`
	Amount  int64  `json:"amount"`
	Date    Date   `json:"date"`
	DocNo   string `json:"document_no"`
	DocDate Date   `json:"document_date"`
	Note    string `json:"note,omitempty"`
	// Reverses is the number of the entry a reversal reverses and
	// ReversesKind that entry's kind; ReversedBy the number of the
	// reversal of this entry (0: not reversed).
	Reverses     int        `json:"reverses,omitempty"`
	ReversesID   int64      `json:"-"`
	ReversesKind LedgerKind `json:"reverses_kind,omitempty"`
	ReversedBy   int        `json:"reversed_by,omitempty"`
	// Evidence is the attachment (project_attachments id) proving a
	// contribution.
	Evidence     int64  `json:"evidence,omitempty"`
	EvidenceName string `json:"evidence_name,omitempty"`
	// Rule is the rule an entry was checked against when it was recorded
	// (an encoded message; empty when no limit applies to its kind).
	Rule       string    `json:"-"`
	ImportJob  int64     `json:"import_job,omitempty"`
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Measure is the kind whose balance the entry moves: its own kind, or
// for a reversal the reversed entry's kind.
func (e *LedgerEntry) Measure() LedgerKind {
	if e.Kind == LedgerReversal {
		return e.ReversesKind
	}
	return e.Kind
}

// Delta is what the entry adds to its measure's balance (a reversal
// subtracts the reversed amount).
func (e *LedgerEntry) Delta() int64 {
	if e.Kind == LedgerReversal {
		return -e.Amount
	}
	return e.Amount
}

// Key identifies an entry for duplicate detection: the same source, kind,
// amount, date and document recorded twice is one entry (a re-imported
// statement changes nothing, a form sent twice is refused).
func (e *LedgerEntry) Key() string {
	return strings.Join([]string{e.Source, string(e.Kind), strconv.FormatInt(e.Amount, 10), e.Date.String(),
		strings.ToUpper(strings.Join(strings.Fields(e.DocNo), " ")), e.DocDate.String()}, "|")
}

// LedgerBalance is what a project's ledger holds for one funding source.
// It is kept current as entries are recorded (never summed from every
// entry on a view).
type LedgerBalance struct {
	Source      string `json:"source"`
	Committed   int64  `json:"committed"` // approved (promised, for reciprocal capital)
	Advanced    int64  `json:"advanced"`
	Paid        int64  `json:"paid"`
	Spent       int64  `json:"spent"`
	Adjusted    int64  `json:"adjusted"`
	Refunded    int64  `json:"refunded"`
	Contributed int64  `json:"contributed"`
	Released    int64  `json:"released"`
	// Advances counts the advances not reversed; Disbursements the
	// advances and payments not reversed (the next tranche is one more).
	Advances      int `json:"advances"`
	Disbursements int `json:"disbursements"`
	Entries       int `json:"entries"`
}

// Disbursed is what was paid out: advances and payments.
func (b LedgerBalance) Disbursed() int64 { return b.Advanced + b.Paid }

// Settled is the expenditure a settlement accepts: reported expenditure
// and settlement adjustments.
func (b LedgerBalance) Settled() int64 { return b.Spent + b.Adjusted }

// StillToPay is the commitment not yet paid nor released (none for
// reciprocal capital, which is contributed, not paid: see Shortfall).
func (b LedgerBalance) StillToPay() int64 {
	if b.Source == SourceReciprocal {
		return 0
	}
	return max(b.Committed-b.Released-b.Disbursed(), 0)
}

// Gap is what does not reconcile: disbursed minus settled expenditure and
// refunds (positive: money paid without expenditure or refund; negative:
// expenditure and refunds beyond what was paid).
func (b LedgerBalance) Gap() int64 { return b.Disbursed() - b.Settled() - b.Refunded }

// Shortfall is the reciprocal capital promised and neither contributed
// nor released (a cancelled project's promise is released).
func (b LedgerBalance) Shortfall() int64 {
	if b.Source != SourceReciprocal {
		return 0
	}
	return max(b.Committed-b.Released-b.Contributed, 0)
}

// Apply adds an entry to the balance of its source. Every amount of an
// entry is at most MaxAmount and the rules keep a project's balances
// within MaxAmount, so sums of two balances never overflow; Apply still
// refuses one that would.
func (b *LedgerBalance) Apply(e *LedgerEntry) error {
	d := e.Delta()
	var dst *int64
	switch e.Measure() {
	case LedgerCommitment:
		dst = &b.Committed
	case LedgerAdvance:
		dst = &b.Advanced
	case LedgerPayment:
		dst = &b.Paid
	case LedgerExpenditure:
		dst = &b.Spent
	case LedgerAdjustment:
		dst = &b.Adjusted
	case LedgerRefund:
		dst = &b.Refunded
	case LedgerContribution:
		dst = &b.Contributed
	case LedgerRelease:
		dst = &b.Released
	default:
		return Errorf(EINVALID, "err.nipp.ledger_unknown_kind", string(e.Kind))
	}
	v, ok := AddVND(*dst, d)
	if !ok {
		return FieldError("amount", "err.nipp.ledger_balance_out_of_range", NameOf("source", e.Source))
	}
	*dst = v
	n := 1
	if e.Kind == LedgerReversal {
		n = -1
	}
	if e.Measure() == LedgerAdvance {
		b.Advances += n
	}
	if e.Measure().Disbursement() {
		b.Disbursements += n
	}
	b.Entries++
	return nil
}

// LedgerTotals adds up balances (every source, or the state sources).
type LedgerTotals struct {
	LedgerBalance
	// StateCommitted and StatePaid are the state sources' (national and
	// local) commitment and what was paid out of it net of refunds.
	StateCommitted int64 `json:"state_committed"`
	StatePaid      int64 `json:"state_paid"`
	// Outstanding is every source's StillToPay added up (the sum of the
	// balances' commitments includes the reciprocal promise).
	Outstanding int64 `json:"still_to_pay"`
}

// StatePaidBP is the share of the state money committed that was paid, in
// basis points (0 when nothing was committed).
func (t LedgerTotals) StatePaidBP() int {
	if t.StateCommitted <= 0 || t.StatePaid <= 0 {
		return 0
	}
	return int(min(t.StatePaid, t.StateCommitted*10) * 10000 / t.StateCommitted)
}

// SumBalances adds balances up, overflow-checked (false on overflow).
func SumBalances(bs []LedgerBalance) (LedgerTotals, bool) {
	var t LedgerTotals
	ok := true
	add := func(dst *int64, v int64) {
		var k bool
		if *dst, k = AddVND(*dst, v); !k {
			ok = false
		}
	}
	for _, b := range bs {
		add(&t.Committed, b.Committed)
		add(&t.Advanced, b.Advanced)
		add(&t.Paid, b.Paid)
		add(&t.Spent, b.Spent)
		add(&t.Adjusted, b.Adjusted)
		add(&t.Refunded, b.Refunded)
		add(&t.Contributed, b.Contributed)
		add(&t.Released, b.Released)
		t.Entries += b.Entries
		add(&t.Outstanding, b.StillToPay())
		if slices.Contains(StateSources, b.Source) {
			add(&t.StateCommitted, b.Committed)
			add(&t.StatePaid, b.Disbursed()-b.Refunded)
		}
	}
	return t, ok
}

// LedgerInput is an entry as an officer records it.
type LedgerInput struct {
	Source  string     `json:"source"`
	Kind    LedgerKind `json:"kind"`
	Amount  int64      `json:"amount"`
	Date    Date       `json:"date"`
	DocNo   string     `json:"document_no"`
	DocDate Date       `json:"document_date"`
	Note    string     `json:"note"`
	// Evidence is an attachment of the project (its id) proving a
	// contribution; the page uploads the file with the entry.
	Evidence int64 `json:"evidence"`
}

// ReversalInput is a reversing entry: its own date and document, and why.
type ReversalInput struct {
	Date    Date   `json:"date"`
	DocNo   string `json:"document_no"`
	DocDate Date   `json:"document_date"`
	Note    string `json:"note"`
}

// checkDocument checks what every entry carries: a date no later than
// today, a document number and date, and a note, each naming its field.
func checkDocument(date Date, docNo string, docDate Date, note string, today Date) []*Error {
	var errs []*Error
	for _, f := range []TextField{{"document_no", docNo, MaxCodeLen, false}, {"note", note, MaxNoteLen, true}} {
		if err := CheckText(f.Name, f.Value, f.Max, f.MultiLine); err != nil {
			errs = append(errs, err)
		}
	}
	if strings.TrimSpace(docNo) == "" {
		errs = append(errs, FieldError("document_no", "err.nipp.ledger_enter_document"))
	}
	for _, d := range []struct {
		field string
		date  Date
	}{{"date", date}, {"document_date", docDate}} {
		switch {
		case d.date.IsZero():
			errs = append(errs, FieldError(d.field, "err.nipp.ledger_enter_date"))
		case CheckDate(d.field, d.date) != nil:
			errs = append(errs, CheckDate(d.field, d.date))
		case d.date.After(today):
			errs = append(errs, FieldError(d.field, "err.nipp.ledger_date_future", d.date))
		}
	}
	return errs
}

// Validate checks the input's own rules and reports every problem, each
// naming its field. The project's rules (state, limits) are checked by
// CheckLedgerEntry.
func (in *LedgerInput) Validate(today Date) error {
	in.DocNo, in.Note = strings.TrimSpace(in.DocNo), strings.TrimSpace(in.Note)
	var errs []*Error
	if !slices.Contains(FundingSources(), in.Source) {
		errs = append(errs, FieldError("source", "err.nipp.unknown_funding_source", in.Source))
	}
	if !slices.Contains(RecordedKinds(), in.Kind) {
		errs = append(errs, FieldError("kind", "err.nipp.ledger_kind_not_recorded", in.Kind))
	}
	switch {
	case in.Amount == 0:
		errs = append(errs, FieldError("amount", "err.nipp.ledger_enter_amount"))
	case in.Amount < 0 && in.Kind != LedgerAdjustment:
		errs = append(errs, FieldError("amount", "err.nipp.amount_cannot_negative"))
	case in.Amount > MaxAmount || in.Amount < -MaxAmount:
		errs = append(errs, FieldError("amount", "err.nipp.amount_over_limit", VND(in.Amount), VND(MaxAmount)))
	}
	errs = append(errs, checkDocument(in.Date, in.DocNo, in.DocDate, in.Note, today)...)
	return Join(errs...)
}

// Validate checks a reversal's own fields.
func (in *ReversalInput) Validate(today Date) error {
	in.DocNo, in.Note = strings.TrimSpace(in.DocNo), strings.TrimSpace(in.Note)
	errs := checkDocument(in.Date, in.DocNo, in.DocDate, in.Note, today)
	if in.Note == "" {
		errs = append(errs, FieldError("note", "err.nipp.ledger_reversal_reason"))
	}
	return Join(errs...)
}

// LedgerCheck is what the rules look at when an entry is recorded: the
// project (state, approval decision, budget), its pinned rule set (nil:
// none) and the balance of the entry's source before the entry.
type LedgerCheck struct {
	Project *Project
	RuleSet *RuleSet
	Balance LedgerBalance
}

// approvedOf returns the approved amount of a source (0 without one).
func approvedOf(p *Project, source string) int64 {
	var a int64
	for _, l := range p.Budget {
		if l.Source == source && l.Approved != nil {
			a += *l.Approved // one line per source
		}
	}
	return a
}

// ApprovedOf returns the approved amount of a project's source.
func ApprovedOf(p *Project, source string) int64 { return approvedOf(p, source) }

// article is where a rule set sets an advance limit: the limit's article,
// else the set's legal basis.
func article(rs *RuleSet, l AdvanceLimit) string {
	if l.Article != "" {
		return l.Article
	}
	return rs.LegalBasis
}

// AdvanceRule describes the advance limit of a source under a project's
// rule set, for the ledger page: the figures, or that the set (or the
// project) has none.
type AdvanceRule struct {
	Source     string `json:"source"`
	RuleSet    string `json:"rule_set"`
	Article    string `json:"article"`
	Limited    bool   `json:"limited"`
	FirstBP    int    `json:"first_max_bp"`
	BeforeBP   int    `json:"cumulative_max_bp"`
	Approved   int64  `json:"approved"`
	FirstMax   int64  `json:"first_max"`    // the first advance's largest amount
	BeforeMax  int64  `json:"advances_max"` // all advances before acceptance
	AdvanceMax int64  `json:"advance_left"` // what may still be advanced now
	PayMax     int64  `json:"payment_left"` // what may still be paid (approved amount)
	// Msg says the rule in words (or that there is none).
	Msg Msg `json:"-"`
}

// AdvanceRuleOf returns the advance rule of a source for a project with
// balance b.
func AdvanceRuleOf(p *Project, rs *RuleSet, b LedgerBalance) AdvanceRule {
	ap := approvedOf(p, b.Source)
	r := AdvanceRule{Source: b.Source, Approved: ap, PayMax: max(ap-b.Disbursed(), 0)}
	if rs == nil {
		r.Msg = M("msg.ledger.no_rule_set", NameOf("source", b.Source))
		r.AdvanceMax = r.PayMax
		return r
	}
	r.RuleSet = rs.Code
	l, ok := rs.AdvanceLimit(b.Source)
	if !ok {
		r.Article = rs.LegalBasis
		r.Msg = M("msg.ledger.no_advance_limit", rs.Code, NameOf("source", b.Source))
		r.AdvanceMax = r.PayMax
		return r
	}
	r.Limited, r.Article, r.FirstBP, r.BeforeBP = true, article(rs, l), l.FirstMaxBP, l.CumulativeMaxBP
	r.FirstMax, r.BeforeMax = ShareOf(ap, l.FirstMaxBP), ShareOf(ap, l.CumulativeMaxBP)
	left := max(r.BeforeMax-b.Advanced, 0)
	if b.Advances == 0 {
		left = min(left, r.FirstMax)
	}
	r.AdvanceMax = min(left, r.PayMax)
	r.Msg = M("msg.ledger.advance_limit", rs.Code, r.Article, NameOf("source", b.Source), fmtShare(l.FirstMaxBP), VND(r.FirstMax),
		fmtShare(l.CumulativeMaxBP), VND(r.BeforeMax))
	return r
}

// CheckLedgerEntry checks an entry against the project's rules: the kind
// allowed in its state and for its source, a date on or after the approval
// decision, the advance limits of the pinned rule set (the first advance up
// to its share of the approved amount, all advances before acceptance up to
// theirs), nothing paid beyond the approved amount of the source,
// expenditure within the approved amount, refunds within what was paid,
// settlement adjustments keeping the settled expenditure between zero and
// the approved amount, and evidence with every contribution. It returns the
// rule the entry was checked against (kept with the entry; the zero Msg
// when no limit applies to its kind) or an EINVALID error naming the rule:
// the rule set, its article, the share and the amount left.
func CheckLedgerEntry(c LedgerCheck, e *LedgerEntry) (Msg, error) {
	p, b := c.Project, c.Balance
	if !slices.Contains(LedgerKindsFor(p.State, e.Source), e.Kind) {
		return Msg{}, FieldError("kind", "err.nipp.ledger_kind_not_now", NameOf("ledger.kind", string(e.Kind)), NameOf("source", e.Source),
			NameOf("state", string(p.State)))
	}
	if !p.DecisionDate.IsZero() && e.Date.Before(p.DecisionDate) {
		return Msg{}, FieldError("date", "err.nipp.ledger_before_decision", e.Date, p.DecisionNo, p.DecisionDate)
	}
	ap := approvedOf(p, e.Source)
	src := NameOf("source", e.Source)
	switch e.Kind {
	case LedgerAdvance, LedgerPayment:
		var rule Msg
		if e.Kind == LedgerAdvance {
			r := AdvanceRuleOf(p, c.RuleSet, b)
			rule = r.Msg
			if r.Limited {
				if b.Advances == 0 && e.Amount > r.FirstMax {
					return Msg{}, FieldError("amount", "err.nipp.ledger_first_advance_over", VND(e.Amount), src, r.RuleSet, r.Article,
						fmtShare(r.FirstBP), VND(ap), VND(r.FirstMax), VND(r.FirstMax))
				}
				if left := max(r.BeforeMax-b.Advanced, 0); e.Amount > left {
					return Msg{}, FieldError("amount", "err.nipp.ledger_advances_over", VND(e.Amount), src, r.RuleSet, r.Article,
						fmtShare(r.BeforeBP), VND(ap), VND(r.BeforeMax), VND(b.Advanced), VND(left))
				}
			}
		}
		if left := max(ap-b.Disbursed(), 0); e.Amount > left {
			return Msg{}, FieldError("amount", "err.nipp.ledger_over_approved", VND(e.Amount), src, VND(ap), VND(b.Disbursed()), VND(left))
		}
		if rule.Key == "" {
			rule = M("msg.ledger.within_approved", src, VND(ap))
		}
		return rule, nil
	case LedgerExpenditure:
		if left := max(ap-b.Spent, 0); e.Amount > left {
			return Msg{}, FieldError("amount", "err.nipp.ledger_spent_over_approved", VND(e.Amount), src, VND(ap), VND(b.Spent), VND(left))
		}
	case LedgerRefund:
		if left := max(b.Disbursed()-b.Refunded, 0); e.Amount > left {
			return Msg{}, FieldError("amount", "err.nipp.ledger_refund_over_paid", VND(e.Amount), src, VND(b.Disbursed()), VND(b.Refunded), VND(left))
		}
	case LedgerAdjustment:
		if s := b.Settled() + e.Amount; s < 0 || s > ap {
			return Msg{}, FieldError("amount", "err.nipp.ledger_adjustment_out", VND(e.Amount), src, VND(b.Settled()), VND(ap))
		}
	case LedgerContribution:
		if e.Evidence == 0 {
			return Msg{}, FieldError("evidence", "err.nipp.ledger_contribution_evidence")
		}
		if e.Amount > MaxAmount-b.Contributed {
			return Msg{}, FieldError("amount", "err.nipp.ledger_balance_out_of_range", src)
		}
	}
	return Msg{}, nil
}

// CheckReversal checks that entry orig may be reversed now: entries the
// system wrote (commitments, releases) and reversals are not reversed by
// hand, an entry is reversed only once, and the balance after the
// reversal stays consistent (no refund beyond what was paid, no negative
// settled expenditure).
func CheckReversal(p *Project, orig *LedgerEntry, b LedgerBalance, rev *LedgerEntry) error {
	if !slices.Contains(LedgerStates(), p.State) {
		return Errorf(EINVALID, "err.nipp.ledger_closed", NameOf("state", string(p.State)))
	}
	if orig.Kind.System() || orig.Kind == LedgerReversal {
		return Errorf(EINVALID, "err.nipp.ledger_not_reversible", orig.No, NameOf("ledger.kind", string(orig.Kind)))
	}
	if orig.ReversedBy > 0 {
		return Errorf(ECONFLICT, "err.nipp.ledger_already_reversed", orig.No, orig.ReversedBy)
	}
	if rev.Date.Before(orig.Date) {
		return FieldError("date", "err.nipp.ledger_reversal_before", rev.Date, orig.No, orig.Date)
	}
	after := b
	if err := after.Apply(rev); err != nil {
		return err
	}
	if after.Refunded > after.Disbursed() {
		return Errorf(EINVALID, "err.nipp.ledger_reversal_leaves_refund", orig.No, VND(after.Refunded), VND(after.Disbursed()))
	}
	if after.Settled() < 0 {
		return Errorf(EINVALID, "err.nipp.ledger_reversal_negative", orig.No, NameOf("source", orig.Source))
	}
	return nil
}

// SourceSettlement is where one source of a project stands against
// settlement: reconciled or not, what is missing, and the amount its
// budget line settles at.
type SourceSettlement struct {
	Source   string        `json:"source"`
	Balance  LedgerBalance `json:"balance"`
	Approved int64         `json:"approved"`
	OK       bool          `json:"reconciled"`
	// Missing says what is missing (nil when reconciled).
	Missing *Msg `json:"-"`
	// Settled is the amount the source's budget line settles at: the
	// settled expenditure, or the capital contributed for reciprocal
	// capital.
	Settled int64 `json:"settled"`
}

// ReconcileLedger returns, per source (budget lines first, then any other
// source with entries), whether it reconciles: for money paid out,
// disbursed = settled expenditure + refunds; for reciprocal capital, what
// was contributed against what was promised, where a shortfall needs an
// explanation (explained: one was given).
func ReconcileLedger(p *Project, balances []LedgerBalance, explained bool) []SourceSettlement {
	by := map[string]LedgerBalance{}
	for _, b := range balances {
		by[b.Source] = b
	}
	var out []SourceSettlement
	seen := map[string]bool{}
	add := func(src string) {
		if seen[src] {
			return
		}
		seen[src] = true
		b := by[src]
		b.Source = src
		s := SourceSettlement{Source: src, Balance: b, Approved: approvedOf(p, src), OK: true}
		name := NameOf("source", src)
		if src == SourceReciprocal {
			s.Settled = b.Contributed
			if short := b.Shortfall(); short > 0 && !explained {
				m := M("err.nipp.ledger_reciprocal_short", name, VND(b.Contributed), VND(b.Committed), VND(short))
				s.OK, s.Missing = false, &m
			}
		} else {
			s.Settled = b.Settled()
			switch g := b.Gap(); {
			case g > 0:
				m := M("err.nipp.ledger_unaccounted", name, VND(b.Disbursed()), VND(b.Settled()), VND(b.Refunded), VND(g))
				s.OK, s.Missing = false, &m
			case g < 0:
				m := M("err.nipp.ledger_overaccounted", name, VND(b.Settled()), VND(b.Refunded), VND(b.Disbursed()), VND(-g))
				s.OK, s.Missing = false, &m
			}
		}
		out = append(out, s)
	}
	for _, l := range p.Budget {
		add(l.Source)
	}
	for _, src := range FundingSources() {
		if _, ok := by[src]; ok {
			add(src)
		}
	}
	return out
}

// SettlementRefusal returns an EINVALID error naming every source that
// does not reconcile (nil when all do).
func SettlementRefusal(ss []SourceSettlement) error {
	var errs []*Error
	for _, s := range ss {
		if !s.OK {
			errs = append(errs, &Error{Code: EINVALID, Field: "ledger." + s.Source, Msg: *s.Missing})
		}
	}
	return Join(errs...)
}

// LedgerQuery selects entries or roll-up rows; empty fields do not filter.
type LedgerQuery struct {
	ProjectID   int64
	ProgramCode string
	Year        int
	// ProvinceCode with ProvinceGen (2008 or 2025) selects a province;
	// AtTheTime reads it as the project's province at the time
	// (orig_province_id), else today's.
	ProvinceCode string
	ProvinceGen  int
	AtTheTime    bool
	Source       string
	// Kinds: entries of these kinds and reversals of them.
	Kinds []LedgerKind
	// ScopeProvinces non-nil: only projects led by one of these (2025)
	// provinces.
	ScopeProvinces []string
	After          int64 // keyset: entries with a smaller id (lists across projects)
	Limit          int
}

// LedgerRollupRow is one row of a program's balances: a program, a year, a
// province (today's or at the time) and a source.
type LedgerRollupRow struct {
	ProgramCode  string `json:"program"`
	ProgramName  string `json:"program_name"`
	ProgramEN    string `json:"program_name_en"`
	Year         int    `json:"year"`
	ProvinceCode string `json:"province"`
	ProvinceGen  int    `json:"province_generation"`
	ProvinceName string `json:"province_name"`
	LedgerBalance
}
