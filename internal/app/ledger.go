package app

import (
	"context"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// The co-financing ledger (docs/ARCHITECTURE.md, "The co-financing
// ledger"). Officers record entries per project and funding source; the
// rules of the project's pinned rule set bound advances; the balances per
// project and per program, year, province and source are kept current by
// the handlers registered in registerLedgerHandlers, in the entry's own
// transaction. Settlement reads the ledger (settleFromLedger).

// ledgerScope returns the provinces a principal's ledger reads are limited
// to (nil: the whole country).
func ledgerScope(p *nipp.Principal) []string {
	if p.AllProvinces() {
		return nil
	}
	return append([]string{}, p.Provinces...)
}

// loadLedgerProject loads a project whose ledger p may read: national roles
// any, provincial officers their provinces' projects. Any other answer is
// the one "not found" (another province's project is never named).
func loadLedgerProject(ctx context.Context, tx *store.Tx, p *nipp.Principal, publicID string) (*nipp.Project, error) {
	proj, err := tx.FindProjectByPublicID(ctx, publicID)
	if nipp.ErrorCode(err) == nipp.ENOTFOUND {
		return nil, projectNotFound()
	}
	if err != nil {
		return nil, err
	}
	if !p.AllProvinces() && !nipp.InScope(p, proj.Provinces) {
		return nil, projectNotFound()
	}
	return proj, nil
}

// LedgerView is a project's ledger as its page shows it.
type LedgerView struct {
	Project    *nipp.Project
	RuleSet    *nipp.RuleSet // pinned; nil when the project has none
	Balances   []nipp.LedgerBalance
	Totals     nipp.LedgerTotals
	Rules      []nipp.AdvanceRule
	Entries    []*nipp.LedgerEntry
	Settlement []nipp.SourceSettlement
	// Kinds are, per source, the kinds the principal may record now
	// (empty when they may record nothing).
	Kinds     map[string][]nipp.LedgerKind
	CanRecord bool
	// Open: the project's ledger takes entries (approved to accepted, and
	// refunds after a cancellation).
	Open bool
}

// ledgerSources are the sources a project's ledger shows: its budget
// lines' and any other with entries, in the budget's order.
func ledgerSources(proj *nipp.Project, bs []nipp.LedgerBalance) []nipp.LedgerBalance {
	by := map[string]nipp.LedgerBalance{}
	for _, b := range bs {
		by[b.Source] = b
	}
	var out []nipp.LedgerBalance
	for _, src := range nipp.FundingSources() {
		b, ok := by[src]
		if !ok {
			if nipp.ApprovedOf(proj, src) == 0 && !hasLine(proj, src) {
				continue
			}
			b = nipp.LedgerBalance{Source: src}
		}
		out = append(out, b)
	}
	return out
}

func hasLine(p *nipp.Project, src string) bool {
	for _, l := range p.Budget {
		if l.Source == src {
			return true
		}
	}
	return false
}

// Ledger returns a project's ledger: balances per source, the advance
// rules of its pinned rule set, every entry, and where each source stands
// against settlement.
func (a *App) Ledger(ctx context.Context, publicID string) (_ *LedgerView, err error) {
	defer nipp.Wrap(&err, "app.Ledger(%q)", publicID)
	p, err := authorize(ctx, nipp.PermLedgerRead)
	if err != nil {
		return nil, err
	}
	v := &LedgerView{Kinds: map[string][]nipp.LedgerKind{}}
	err = a.read(ctx, func(tx *store.Tx) error {
		proj, err := loadLedgerProject(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		v.Project = proj
		if v.RuleSet, err = pinnedRuleSet(ctx, tx, proj); err != nil {
			return err
		}
		bs, err := tx.LedgerBalances(ctx, proj.ID)
		if err != nil {
			return err
		}
		v.Balances = ledgerSources(proj, bs)
		v.Totals, _ = nipp.SumBalances(v.Balances) // per-project sums are bounded by the approved amounts
		if v.Entries, err = tx.FindLedgerEntries(ctx, nipp.LedgerQuery{ProjectID: proj.ID}); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	proj := v.Project
	v.Open = slicesContains(nipp.LedgerStates(), proj.State)
	v.CanRecord = v.Open && p.Can(nipp.PermLedgerWrite) && nipp.InScope(p, proj.Provinces)
	for _, b := range v.Balances {
		if b.Source != nipp.SourceReciprocal {
			v.Rules = append(v.Rules, nipp.AdvanceRuleOf(proj, v.RuleSet, b))
		}
		if v.CanRecord {
			if ks := nipp.LedgerKindsFor(proj.State, b.Source); len(ks) > 0 {
				v.Kinds[b.Source] = ks
			}
		}
	}
	if proj.State == nipp.StateAccepted || proj.State == nipp.StateSettled {
		v.Settlement = nipp.ReconcileLedger(proj, v.Balances, proj.State == nipp.StateSettled)
	}
	return v, nil
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func slicesContains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// EvidenceFile is a file proving a contribution, uploaded with the entry.
type EvidenceFile struct {
	Name    string
	Content io.Reader
}

// RecordLedgerEntry appends an entry to a project's ledger, checked
// against the project's state and its pinned rule set. A contribution needs
// its evidence: a file uploaded with it (the page; the API's multipart
// form), or (API) an attachment of the project named by id. The same entry
// recorded twice (same source, kind, amount, date and document) is refused,
// naming the entry already recorded.
func (a *App) RecordLedgerEntry(ctx context.Context, publicID string, in nipp.LedgerInput, file *EvidenceFile) (_ *nipp.LedgerEntry, err error) {
	defer nipp.Wrap(&err, "app.RecordLedgerEntry(%q)", publicID)
	p, err := authorize(ctx, nipp.PermLedgerWrite)
	if err != nil {
		return nil, err
	}
	var att *nipp.Attachment
	if file != nil {
		if att, err = a.storeEvidence(ctx, p, publicID, in, file); err != nil {
			return nil, err
		}
	}
	var out *nipp.LedgerEntry
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		proj, err := loadLedgerWrite(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		in := in // a retried transaction starts from the input again
		if err := in.Validate(nipp.Today(tx.Now())); err != nil {
			return err
		}
		if att != nil {
			a2 := *att
			if err := tx.CreateAttachment(ctx, proj.ID, &a2, p.UserID); err != nil {
				return err
			}
			in.Evidence = a2.ID
			if err := a.record(ctx, tx, nipp.ActionCreate, "attachment", itoa64(a2.ID), nil,
				map[string]any{"project": publicID, "kind": a2.Kind, "filename": a2.Filename, "size": a2.Size, "sha256": a2.SHA256}); err != nil {
				return err
			}
		} else if in.Evidence > 0 {
			if err := checkEvidence(ctx, tx, proj, in.Evidence); err != nil {
				return err
			}
		}
		e, existing, err := a.appendEntry(ctx, tx, p, proj, in, 0)
		if err != nil {
			return err
		}
		if existing > 0 {
			return nipp.Errorf(nipp.ECONFLICT, "err.app.ledger_already_recorded", existing)
		}
		if att != nil {
			e.EvidenceName = att.Filename
		}
		out = e
		return nil
	})
	return out, err
}

// storeEvidence stores the file proving a contribution before the write
// transaction, so that file I/O never holds the writer; it returns the
// attachment to insert with the entry. The file is read only for an entry
// that would be recorded now: the project first (one answer for "not
// found" and "not yours"), then the input and the project's rules, checked
// in a read transaction as the write will check them again. Evidence goes
// with contributions only, and either as a file or as an attachment's id.
func (a *App) storeEvidence(ctx context.Context, p *nipp.Principal, publicID string, in nipp.LedgerInput, file *EvidenceFile) (*nipp.Attachment, error) {
	err := a.read(ctx, func(tx *store.Tx) error {
		proj, err := loadLedgerWrite(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		switch {
		case in.Kind != nipp.LedgerContribution:
			return nipp.FieldError("evidence", "err.app.ledger_evidence_contribution_only", nipp.NameOf("ledger.kind", string(nipp.LedgerContribution)))
		case in.Evidence > 0:
			return nipp.FieldError("evidence", "err.app.ledger_evidence_twice")
		}
		if err := in.Validate(nipp.Today(tx.Now())); err != nil {
			return err
		}
		e := newEntry(p, proj, in, 0)
		e.Evidence = -1 // the file, stored once the entry passes
		if _, _, existing, err := checkEntry(ctx, tx, proj, e); err != nil || existing > 0 {
			if existing > 0 {
				return nipp.Errorf(nipp.ECONFLICT, "err.app.ledger_already_recorded", existing)
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a.prepareAttachment(file.Name, file.Content)
}

// loadLedgerWrite loads a project p may record entries for.
func loadLedgerWrite(ctx context.Context, tx *store.Tx, p *nipp.Principal, publicID string) (*nipp.Project, error) {
	proj, err := loadLedgerProject(ctx, tx, p, publicID)
	if err != nil {
		return nil, err
	}
	if !p.Can(nipp.PermLedgerWrite) || !nipp.InScope(p, proj.Provinces) {
		return nil, nipp.Forbidden()
	}
	return proj, nil
}

// checkEvidence refuses an attachment that is not the project's (one
// answer whether it exists or not).
func checkEvidence(ctx context.Context, tx *store.Tx, proj *nipp.Project, id int64) error {
	atts, err := tx.FindAttachments(ctx, proj.ID)
	if err != nil {
		return err
	}
	for _, at := range atts {
		if at.ID == id {
			return nil
		}
	}
	return nipp.FieldError("evidence", "err.app.ledger_evidence_not_project")
}

// appendEntry checks and appends one entry in tx: it takes the project's
// ledger (waiting for another writer of the same project), reads the
// project's state and the source's balance after every earlier entry,
// checks the rules and writes the entry; the balances follow through the
// LedgerEntryRecorded handlers. When the same entry is already recorded
// (and not reversed) it writes nothing and returns that entry's number.
func (a *App) appendEntry(ctx context.Context, tx *store.Tx, p *nipp.Principal, proj *nipp.Project, in nipp.LedgerInput, job int64) (*nipp.LedgerEntry, int, error) {
	cur, err := lockLedger(ctx, tx, proj)
	if err != nil {
		return nil, 0, err
	}
	e := newEntry(p, cur, in, job)
	rule, bal, existing, err := checkEntry(ctx, tx, cur, e)
	if err != nil || existing > 0 {
		return nil, existing, err
	}
	if rule.Key != "" {
		e.Rule = nipp.EncodeMsg(rule)
	}
	if e.Kind.Disbursement() {
		e.Tranche = bal.Disbursements + 1
	}
	if err := a.writeEntry(ctx, tx, p, cur, e, nil); err != nil {
		return nil, 0, err
	}
	return e, 0, nil
}

// newEntry is the entry an input records in a project's ledger.
func newEntry(p *nipp.Principal, proj *nipp.Project, in nipp.LedgerInput, job int64) *nipp.LedgerEntry {
	return &nipp.LedgerEntry{ProjectID: proj.ID, Project: proj.PublicID, Code: proj.Code, Source: in.Source, Kind: in.Kind, Amount: in.Amount,
		Date: in.Date, DocNo: in.DocNo, DocDate: in.DocDate, Note: in.Note, Evidence: in.Evidence, ImportJob: job, RecordedBy: actorOf(p)}
}

// checkEntry checks entry e against the project's rules as tx sees them:
// the number of the same entry when it is already recorded (and not
// reversed), else the rule it was checked against and the source's
// balance before it.
func checkEntry(ctx context.Context, tx *store.Tx, proj *nipp.Project, e *nipp.LedgerEntry) (nipp.Msg, nipp.LedgerBalance, int, error) {
	if no, err := tx.FindLiveLedgerEntryByKey(ctx, proj.ID, e.Key()); err != nil || no > 0 {
		return nipp.Msg{}, nipp.LedgerBalance{}, no, err
	}
	rs, err := pinnedRuleSet(ctx, tx, proj)
	if err != nil {
		return nipp.Msg{}, nipp.LedgerBalance{}, 0, err
	}
	bal, err := tx.LedgerBalance(ctx, proj.ID, e.Source)
	if err != nil {
		return nipp.Msg{}, nipp.LedgerBalance{}, 0, err
	}
	rule, err := nipp.CheckLedgerEntry(nipp.LedgerCheck{Project: proj, RuleSet: rs, Balance: bal}, e)
	return rule, bal, 0, err
}

// lockLedger takes a project's ledger and returns the project with its
// state as it is now that the ledger is the transaction's (a settlement
// takes the same lock; nothing else of a decided project changes).
func lockLedger(ctx context.Context, tx *store.Tx, proj *nipp.Project) (*nipp.Project, error) {
	if _, err := tx.LockLedger(ctx, proj.ID); err != nil {
		return nil, err
	}
	state, err := tx.ProjectState(ctx, proj.ID)
	if err != nil {
		return nil, err
	}
	cur := *proj
	cur.State = state
	return &cur, nil
}

// writeEntry numbers and inserts an entry and raises its event.
func (a *App) writeEntry(ctx context.Context, tx *store.Tx, p *nipp.Principal, proj *nipp.Project, e *nipp.LedgerEntry, reversed *nipp.LedgerEntry) error {
	no, err := tx.NextLedgerNo(ctx, proj.ID)
	if err != nil {
		return err
	}
	e.No = no
	if err := tx.InsertLedgerEntry(ctx, e, p.UserID); err != nil {
		return err
	}
	return a.raise(ctx, tx, nipp.LedgerEntryRecorded{Project: proj, Entry: e, Reversed: reversed})
}

// actorOf is the name an entry records as its author.
func actorOf(p *nipp.Principal) string {
	if p.Email == "" {
		return "system"
	}
	return p.Email
}

// ReverseLedgerEntry records the reversal of entry no of a project: an
// entry of the opposite effect that names it. An entry is reversed only
// once; entries nipp writes itself (commitments, releases) are not
// reversed by hand.
func (a *App) ReverseLedgerEntry(ctx context.Context, publicID string, no int, in nipp.ReversalInput) (_ *nipp.LedgerEntry, err error) {
	defer nipp.Wrap(&err, "app.ReverseLedgerEntry(%q, %v)", publicID, no)
	p, err := authorize(ctx, nipp.PermLedgerWrite)
	if err != nil {
		return nil, err
	}
	var out *nipp.LedgerEntry
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		proj, err := loadLedgerWrite(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		cur, err := lockLedger(ctx, tx, proj)
		if err != nil {
			return err
		}
		orig, err := tx.FindLedgerEntry(ctx, cur.ID, no)
		if err != nil {
			return err
		}
		in := in
		if err := in.Validate(nipp.Today(tx.Now())); err != nil {
			return err
		}
		bal, err := tx.LedgerBalance(ctx, cur.ID, orig.Source)
		if err != nil {
			return err
		}
		rev := &nipp.LedgerEntry{ProjectID: cur.ID, Project: cur.PublicID, Code: cur.Code, Source: orig.Source, Kind: nipp.LedgerReversal,
			Amount: orig.Amount, Date: in.Date, DocNo: in.DocNo, DocDate: in.DocDate, Note: in.Note, Reverses: orig.No, ReversesID: orig.ID,
			ReversesKind: orig.Kind, RecordedBy: actorOf(p)}
		if err := nipp.CheckReversal(cur, orig, bal, rev); err != nil {
			return err
		}
		if err := a.writeEntry(ctx, tx, p, cur, rev, orig); err != nil {
			return err
		}
		out = rev
		return nil
	})
	return out, err
}

// LedgerEntryView is one entry with its project and what the principal may
// do with it.
type LedgerEntryView struct {
	Project    *nipp.Project
	Entry      *nipp.LedgerEntry
	Reversal   *nipp.LedgerEntry // the entry reversing it, if any
	Reverses   *nipp.LedgerEntry // the entry it reverses, if it is a reversal
	CanReverse bool
}

// LedgerEntry returns entry no of a project's ledger.
func (a *App) LedgerEntry(ctx context.Context, publicID string, no int) (_ *LedgerEntryView, err error) {
	defer nipp.Wrap(&err, "app.LedgerEntry(%q, %v)", publicID, no)
	p, err := authorize(ctx, nipp.PermLedgerRead)
	if err != nil {
		return nil, err
	}
	v := &LedgerEntryView{}
	err = a.read(ctx, func(tx *store.Tx) error {
		proj, err := loadLedgerProject(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		v.Project = proj
		if v.Entry, err = tx.FindLedgerEntry(ctx, proj.ID, no); err != nil {
			return err
		}
		if v.Entry.ReversedBy > 0 {
			if v.Reversal, err = tx.FindLedgerEntry(ctx, proj.ID, v.Entry.ReversedBy); err != nil {
				return err
			}
		}
		if v.Entry.Reverses > 0 {
			if v.Reverses, err = tx.FindLedgerEntry(ctx, proj.ID, v.Entry.Reverses); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	e := v.Entry
	v.CanReverse = p.Can(nipp.PermLedgerWrite) && nipp.InScope(p, v.Project.Provinces) && slicesContains(nipp.LedgerStates(), v.Project.State) &&
		!e.Kind.System() && e.Kind != nipp.LedgerReversal && e.ReversedBy == 0
	return v, nil
}

// scopeLedgerQuery limits q to the principal's provinces.
func scopeLedgerQuery(p *nipp.Principal, q *nipp.LedgerQuery) {
	q.ScopeProvinces = ledgerScope(p)
}

// LedgerBalances returns the program's balances per program, year,
// province (today's, or at the time with q.AtTheTime) and source, from the
// kept roll-up (never from the entries), within the principal's scope.
func (a *App) LedgerBalances(ctx context.Context, q nipp.LedgerQuery) (_ []nipp.LedgerRollupRow, err error) {
	defer nipp.Wrap(&err, "app.LedgerBalances(%q, %v)", q.ProgramCode, q.Year)
	p, err := authorize(ctx, nipp.PermLedgerRead)
	if err != nil {
		return nil, err
	}
	scopeLedgerQuery(p, &q)
	var out []nipp.LedgerRollupRow
	err = a.read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.LedgerRollup(ctx, q)
		return err
	})
	return out, err
}

// LedgerEntries returns one page of entries across projects (newest
// first), within the principal's scope, and the cursor of the next page
// (0 at the end).
func (a *App) LedgerEntries(ctx context.Context, q nipp.LedgerQuery) (_ []*nipp.LedgerEntry, _ int64, err error) {
	defer nipp.Wrap(&err, "app.LedgerEntries(%q, %v)", q.ProgramCode, q.Year)
	p, err := authorize(ctx, nipp.PermLedgerRead)
	if err != nil {
		return nil, 0, err
	}
	scopeLedgerQuery(p, &q)
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	want := q.Limit
	q.Limit++
	var out []*nipp.LedgerEntry
	err = a.read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.FindLedgerEntries(ctx, q)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	out, next := cutPage(out, want, func(e *nipp.LedgerEntry) int64 { return e.ID })
	return out, next, nil
}

// cutPage cuts a keyset page read with one row more than wanted: the page
// and the cursor of the next one (the last row's id; 0 at the end).
func cutPage[T any](items []T, want int, id func(T) int64) ([]T, int64) {
	if len(items) <= want {
		return items, 0
	}
	return items[:want], id(items[want-1])
}

// ExportLedgerEntries streams every entry q selects within the principal's
// scope to fn, in one read transaction, page by page.
func (a *App) ExportLedgerEntries(ctx context.Context, q nipp.LedgerQuery, fn func(*nipp.LedgerEntry) error) (err error) {
	defer nipp.Wrap(&err, "app.ExportLedgerEntries(%q, %v)", q.ProgramCode, q.Year)
	p, err := authorize(ctx, nipp.PermLedgerRead)
	if err != nil {
		return err
	}
	scopeLedgerQuery(p, &q)
	q.Limit, q.After = 500, 0
	return a.read(ctx, func(tx *store.Tx) error {
		for {
			page, err := tx.FindLedgerEntries(ctx, q)
			if err != nil {
				return err
			}
			for _, e := range page {
				if err := fn(e); err != nil {
					return err
				}
			}
			if len(page) < q.Limit {
				return nil
			}
			q.After = page[len(page)-1].ID
		}
	})
}

// settleFromLedger checks, for a settlement, that every source of the
// project reconciles (explained: the settlement's comment explains a
// reciprocal shortfall) and sets each budget line's settled amount from
// the ledger. It takes the project's ledger first, so an entry being
// recorded meanwhile is either in the figures or waits for the settlement.
func settleFromLedger(ctx context.Context, tx *store.Tx, proj *nipp.Project, explained bool) error {
	if _, err := tx.LockLedger(ctx, proj.ID); err != nil {
		return err
	}
	bs, err := tx.LedgerBalances(ctx, proj.ID)
	if err != nil {
		return err
	}
	ss := nipp.ReconcileLedger(proj, bs, explained)
	if err := nipp.SettlementRefusal(ss); err != nil {
		return err
	}
	settled := map[string]int64{}
	for _, s := range ss {
		settled[s.Source] = s.Settled
	}
	actual := map[int64]int64{}
	for _, l := range proj.Budget {
		actual[l.ID] = settled[l.Source]
	}
	return tx.SetBudgetAmounts(ctx, proj.ID, nipp.AmountActual, actual)
}

// registerLedgerHandlers wires the ledger's derived data to the events:
// every entry updates its project's balance and the program's roll-up;
// an approval writes the commitments; a settlement or cancellation
// releases what is no longer owed.
func (a *App) registerLedgerHandlers() {
	on(a, "ledger", func(ctx context.Context, tx *store.Tx, e nipp.LedgerEntryRecorded) error {
		return tx.ApplyLedgerEntry(ctx, e.Entry)
	})
	on(a, "ledger", func(ctx context.Context, tx *store.Tx, e nipp.ProjectTransitioned) error {
		switch e.Action {
		case nipp.ActApprove:
			return a.writeCommitments(ctx, tx, e.After)
		case nipp.ActSettle, nipp.ActCancel:
			return a.writeReleases(ctx, tx, e.After, e.Comment)
		}
		return nil
	})
}

// writeCommitments writes a commitment per budget line approved, dated and
// documented by the approval decision.
func (a *App) writeCommitments(ctx context.Context, tx *store.Tx, proj *nipp.Project) error {
	p := nipp.PrincipalFrom(ctx)
	if _, err := tx.LockLedger(ctx, proj.ID); err != nil {
		return err
	}
	for _, src := range nipp.FundingSources() {
		amount := nipp.ApprovedOf(proj, src)
		if amount <= 0 {
			continue
		}
		e := &nipp.LedgerEntry{ProjectID: proj.ID, Project: proj.PublicID, Code: proj.Code, Source: src, Kind: nipp.LedgerCommitment,
			Amount: amount, Date: proj.DecisionDate, DocNo: proj.DecisionNo, DocDate: proj.DecisionDate, RecordedBy: actorOf(p)}
		if err := a.writeEntry(ctx, tx, p, proj, e, nil); err != nil {
			return err
		}
	}
	return nil
}

// writeReleases releases, at settlement, each source's commitment not
// paid; at cancellation also the reciprocal capital not contributed.
func (a *App) writeReleases(ctx context.Context, tx *store.Tx, proj *nipp.Project, comment string) error {
	p := nipp.PrincipalFrom(ctx)
	if _, err := tx.LockLedger(ctx, proj.ID); err != nil {
		return err
	}
	bs, err := tx.LedgerBalances(ctx, proj.ID)
	if err != nil {
		return err
	}
	today := nipp.Today(tx.Now())
	for _, b := range bs {
		amount := b.StillToPay()
		if b.Source == nipp.SourceReciprocal {
			amount = 0
			if proj.State == nipp.StateCancelled {
				amount = b.Shortfall()
			}
		}
		if amount <= 0 {
			continue
		}
		e := &nipp.LedgerEntry{ProjectID: proj.ID, Project: proj.PublicID, Code: proj.Code, Source: b.Source, Kind: nipp.LedgerRelease,
			Amount: amount, Date: today, Note: strings.TrimSpace(comment), RecordedBy: actorOf(p)}
		if err := a.writeEntry(ctx, tx, p, proj, e, nil); err != nil {
			return err
		}
	}
	return nil
}

// prepareAttachment checks an evidence file's name and type and stores its
// content, returning the attachment to insert (kind "other").
func (a *App) prepareAttachment(filename string, r io.Reader) (*nipp.Attachment, error) {
	if a.filesDir == "" {
		return nil, nipp.Errorf(nipp.EINVALID, "err.app.server_has_no_files_folder")
	}
	if err := nipp.CheckText("evidence", filename, nipp.MaxNameLen, false); err != nil {
		return nil, err
	}
	filename = filepath.Base(strings.ReplaceAll(strings.TrimSpace(filename), "\\", "/"))
	if filename == "" || filename == "." || filename == "/" || len(filename) > 200 {
		return nil, nipp.FieldError("evidence", "err.app.choose_file_valid_name")
	}
	types, ok := attachmentTypes[strings.ToLower(filepath.Ext(filename))]
	if !ok {
		return nil, nipp.FieldError("evidence", "err.app.not_allowed_file_type_pdf", filename)
	}
	att := &nipp.Attachment{Kind: "other", Filename: filename, ContentType: types[1]}
	if err := a.storeFile(r, types[0], filename, att); err != nil {
		if ne, ok := err.(*nipp.Error); ok && ne.Field == "file" {
			ne.Field = "evidence"
		}
		return nil, err
	}
	return att, nil
}
