package nipp

import (
	"fmt"
	"strings"
	"testing"
)

// ledgerProject is an approved project: national support 300,000,000 and
// reciprocal capital 500,000,000, decided on 1 March 2026.
func ledgerProject(state ProjectState) *Project {
	nat, rec := int64(300_000_000), int64(500_000_000)
	return &Project{Code: "P1", State: state, DecisionNo: "1/QĐ", DecisionDate: MustDate("2026-03-01"),
		Budget: []BudgetLine{{Source: SourceNational, Planned: nat, Approved: &nat}, {Source: SourceReciprocal, Planned: rec, Approved: &rec}}}
}

// ledgerRules: the first advance up to 30%, all advances before acceptance
// up to 70%, for national funds only.
var ledgerRules = &RuleSet{Code: "RS-L", LegalBasis: "Nghị định L",
	AdvanceLimits: []AdvanceLimit{{FundingSource: SourceNational, FirstMaxBP: 3000, CumulativeMaxBP: 7000, Article: "Điều 9 khoản 2"}}}

func entry(src string, k LedgerKind, amount int64) *LedgerEntry {
	return &LedgerEntry{Source: src, Kind: k, Amount: amount, Date: MustDate("2026-04-01"), DocNo: "UNC 1", DocDate: MustDate("2026-04-01")}
}

// msgText renders an error's problems with their arguments, as a test can
// search them.
func msgText(err error) string {
	var b strings.Builder
	for _, p := range ErrorProblems(err) {
		b.WriteString(p.Msg.Key)
		for _, a := range p.Msg.Args {
			fmt.Fprintf(&b, " [%v]", a)
		}
	}
	return b.String()
}

// The advance limits at their boundaries, figures worked out by hand:
// 30% of 300,000,000 is 90,000,000 for the first advance; 70% is
// 210,000,000 for all advances before acceptance; the approved 300,000,000
// bounds every payment.
func TestLedgerAdvanceLimits(t *testing.T) {
	p := ledgerProject(StateInImplementation)
	c := LedgerCheck{Project: p, RuleSet: ledgerRules, Balance: LedgerBalance{Source: SourceNational, Committed: 300_000_000}}
	_, err := CheckLedgerEntry(c, entry(SourceNational, LedgerAdvance, 90_000_001))
	if err == nil {
		t.Fatal("a first advance one VND over 30% was accepted")
	}
	for _, want := range []string{"err.nipp.ledger_first_advance_over", "[RS-L]", "[Điều 9 khoản 2]", "[30%]", "[90000000]"} {
		if !strings.Contains(msgText(err), want) {
			t.Errorf("refusal %s does not name %s", msgText(err), want)
		}
	}
	first := entry(SourceNational, LedgerAdvance, 90_000_000)
	rule, err := CheckLedgerEntry(c, first)
	if err != nil {
		t.Fatalf("a first advance of exactly 30%%: %v", err)
	}
	if rule.Key != "msg.ledger.advance_limit" {
		t.Errorf("rule kept with the entry: %v", rule)
	}
	if err := c.Balance.Apply(first); err != nil {
		t.Fatal(err)
	}
	// 210,000,000 - 90,000,000 = 120,000,000 left before acceptance.
	if _, err := CheckLedgerEntry(c, entry(SourceNational, LedgerAdvance, 120_000_001)); err == nil ||
		!strings.Contains(msgText(err), "ledger_advances_over") || !strings.Contains(msgText(err), "[120000000]") || !strings.Contains(msgText(err), "[70%]") {
		t.Errorf("a second advance one VND over 70%%: %v", msgText(err))
	}
	second := entry(SourceNational, LedgerAdvance, 120_000_000)
	if _, err := CheckLedgerEntry(c, second); err != nil {
		t.Fatalf("a second advance exactly at 70%%: %v", err)
	}
	c.Balance.Apply(second)
	if c.Balance.Advances != 2 || c.Balance.Disbursements != 2 || c.Balance.Disbursed() != 210_000_000 {
		t.Fatalf("balance %+v", c.Balance)
	}
	// A payment waits for acceptance.
	if _, err := CheckLedgerEntry(c, entry(SourceNational, LedgerPayment, 1)); err == nil || !strings.Contains(msgText(err), "ledger_kind_not_now") {
		t.Errorf("a payment before acceptance: %v", msgText(err))
	}
	// After acceptance: 300,000,000 - 210,000,000 = 90,000,000 left to pay.
	p.State = StateAccepted
	if _, err := CheckLedgerEntry(c, entry(SourceNational, LedgerPayment, 90_000_001)); err == nil || !strings.Contains(msgText(err), "ledger_over_approved") || !strings.Contains(msgText(err), "[90000000]") {
		t.Errorf("a payment one VND over the approved amount: %v", msgText(err))
	}
	if _, err := CheckLedgerEntry(c, entry(SourceNational, LedgerPayment, 90_000_000)); err != nil {
		t.Errorf("a payment of exactly the rest: %v", err)
	}
	// No advance is dated before the approval decision.
	early := entry(SourceNational, LedgerAdvance, 1)
	early.Date = MustDate("2026-02-28")
	p.State = StateApproved
	c.Balance = LedgerBalance{Source: SourceNational}
	if _, err := CheckLedgerEntry(c, early); err == nil || !strings.Contains(msgText(err), "ledger_before_decision") {
		t.Errorf("an advance before the decision: %v", msgText(err))
	}
}

// A reversed first advance makes the next advance the first again.
func TestLedgerReversedFirstAdvance(t *testing.T) {
	p := ledgerProject(StateApproved)
	c := LedgerCheck{Project: p, RuleSet: ledgerRules, Balance: LedgerBalance{Source: SourceNational}}
	first := entry(SourceNational, LedgerAdvance, 50_000_000)
	first.No = 2
	c.Balance.Apply(first)
	rev := &LedgerEntry{Source: SourceNational, Kind: LedgerReversal, Amount: first.Amount, ReversesKind: LedgerAdvance, Date: first.Date}
	if err := CheckReversal(p, first, c.Balance, rev); err != nil {
		t.Fatal(err)
	}
	c.Balance.Apply(rev)
	if c.Balance.Advances != 0 || c.Balance.Advanced != 0 {
		t.Fatalf("after the reversal: %+v", c.Balance)
	}
	if _, err := CheckLedgerEntry(c, entry(SourceNational, LedgerAdvance, 90_000_001)); err == nil || !strings.Contains(msgText(err), "first_advance") {
		t.Errorf("the next advance is not held to the first advance's share: %v", msgText(err))
	}
	first.ReversedBy = 3
	if err := CheckReversal(p, first, c.Balance, rev); ErrorCode(err) != ECONFLICT {
		t.Errorf("a second reversal of entry 2: %v", err)
	}
}

// A rule set without a limit for a source says so: the advance is bounded
// by the approved amount only, and the rule kept with it says there was no
// limit.
func TestLedgerNoAdvanceLimit(t *testing.T) {
	p := ledgerProject(StateApproved)
	credit := int64(100_000_000)
	p.Budget = append(p.Budget, BudgetLine{Source: SourceCredit, Planned: credit, Approved: &credit})
	c := LedgerCheck{Project: p, RuleSet: ledgerRules, Balance: LedgerBalance{Source: SourceCredit}}
	rule, err := CheckLedgerEntry(c, entry(SourceCredit, LedgerAdvance, 100_000_000))
	if err != nil || rule.Key != "msg.ledger.no_advance_limit" || rule.Args[0] != "RS-L" {
		t.Fatalf("an advance of the whole approved credit: %v %v", rule, err)
	}
	if _, err := CheckLedgerEntry(c, entry(SourceCredit, LedgerAdvance, 100_000_001)); err == nil || !strings.Contains(msgText(err), "ledger_over_approved") {
		t.Errorf("one VND over the approved credit: %v", msgText(err))
	}
	r := AdvanceRuleOf(p, ledgerRules, LedgerBalance{Source: SourceCredit})
	if r.Limited || r.Msg.Key != "msg.ledger.no_advance_limit" {
		t.Errorf("the ledger page's rule for credit: %+v", r)
	}
	// A project without a pinned rule set says that instead.
	if r := AdvanceRuleOf(p, nil, LedgerBalance{Source: SourceNational}); r.Limited || r.Msg.Key != "msg.ledger.no_rule_set" {
		t.Errorf("without a rule set: %+v", r)
	}
}

// Reconciliation: disbursed = settled expenditure + refunds; reciprocal
// capital short of the promise needs an explanation.
func TestReconcileLedger(t *testing.T) {
	p := ledgerProject(StateAccepted)
	nat := LedgerBalance{Source: SourceNational, Committed: 300_000_000, Advanced: 210_000_000, Paid: 90_000_000, Spent: 290_000_000, Refunded: 5_000_000}
	rec := LedgerBalance{Source: SourceReciprocal, Committed: 500_000_000, Contributed: 480_000_000}
	ss := ReconcileLedger(p, []LedgerBalance{nat, rec}, false)
	if len(ss) != 2 || ss[0].OK || ss[1].OK {
		t.Fatalf("%+v", ss)
	}
	err := SettlementRefusal(ss)
	// 300,000,000 paid - 290,000,000 spent - 5,000,000 refunded = 5,000,000.
	if got := msgText(err); !strings.Contains(got, "ledger_unaccounted [source:national]") || !strings.Contains(got, "[5000000]") ||
		!strings.Contains(got, "ledger_reciprocal_short [source:reciprocal]") || !strings.Contains(got, "[20000000]") {
		t.Errorf("refusal: %s", got)
	}
	nat.Refunded = 10_000_000
	ss = ReconcileLedger(p, []LedgerBalance{nat, rec}, true)
	if err := SettlementRefusal(ss); err != nil {
		t.Fatalf("reconciled and explained: %v", err)
	}
	if ss[0].Settled != 290_000_000 || ss[1].Settled != 480_000_000 {
		t.Errorf("settled amounts %d, %d", ss[0].Settled, ss[1].Settled)
	}
	nat.Adjusted = -1
	if err := SettlementRefusal(ReconcileLedger(p, []LedgerBalance{nat, rec}, true)); !strings.Contains(msgText(err), "[1]") {
		t.Errorf("one VND unaccounted after an adjustment: %s", msgText(err))
	}
}

func TestLedgerKindsFor(t *testing.T) {
	for _, c := range []struct {
		state  ProjectState
		source string
		want   string
	}{
		{StateApproved, SourceNational, "advance expenditure refund"},
		{StateInImplementation, SourceReciprocal, "contribution"},
		{StateAccepted, SourceLocal, "payment expenditure refund adjustment"},
		{StateCancelled, SourceNational, "refund"},
		{StateCancelled, SourceReciprocal, ""},
		{StateSettled, SourceNational, ""},
		{StateDraft, SourceNational, ""},
	} {
		var got []string
		for _, k := range LedgerKindsFor(c.state, c.source) {
			got = append(got, string(k))
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s %s: %v, want %s", c.state, c.source, got, c.want)
		}
	}
}
