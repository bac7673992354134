package nipp

import "strconv"

// LedgerEntryRecorded: an entry was appended to a project's ledger (by an
// officer, an import, or nipp itself: commitments at approval, releases at
// settlement and cancellation). Reversed is the entry a reversal reverses.
// The balances and the audit trail follow it.
type LedgerEntryRecorded struct {
	Project  *Project
	Entry    *LedgerEntry
	Reversed *LedgerEntry
}

// LedgerEntryID names an entry in the audit trail: the project's public id
// and the entry's number ("da-xxxx#3").
func LedgerEntryID(projectPublicID string, no int) string {
	return projectPublicID + "#" + strconv.Itoa(no)
}

// ledgerEntryAudit is an entry as the audit trail records it.
type ledgerEntryAudit struct {
	Project  string     `json:"project"`
	No       int        `json:"no"`
	Source   string     `json:"source"`
	Kind     LedgerKind `json:"entry_kind"`
	Tranche  int        `json:"tranche,omitempty"`
	Amount   int64      `json:"amount"`
	Date     Date       `json:"date"`
	DocNo    string     `json:"document_no,omitempty"`
	DocDate  Date       `json:"document_date"`
	Note     string     `json:"note,omitempty"`
	Reverses int        `json:"reverses,omitempty"`
	Evidence int64      `json:"evidence,omitempty"`
	Import   int64      `json:"import_job,omitempty"`
}

// Audit implements Event: "create" for an entry, "reverse" for a
// reversal (whose before is the entry it reverses).
func (e LedgerEntryRecorded) Audit() Audited {
	en := e.Entry
	after := ledgerEntryAudit{Project: e.Project.Code, No: en.No, Source: en.Source, Kind: en.Kind, Tranche: en.Tranche, Amount: en.Amount,
		Date: en.Date, DocNo: en.DocNo, DocDate: en.DocDate, Note: en.Note, Reverses: en.Reverses, Evidence: en.Evidence, Import: en.ImportJob}
	if e.Reversed != nil {
		r := e.Reversed
		before := ledgerEntryAudit{Project: e.Project.Code, No: r.No, Source: r.Source, Kind: r.Kind, Tranche: r.Tranche, Amount: r.Amount,
			Date: r.Date, DocNo: r.DocNo, DocDate: r.DocDate, Note: r.Note}
		return Audited{ActionReverse, "ledger_entry", LedgerEntryID(e.Project.PublicID, r.No), before, after}
	}
	return Audited{ActionCreate, "ledger_entry", LedgerEntryID(e.Project.PublicID, en.No), nil, after}
}

// ActionReverse is the audit action of a reversing entry.
const ActionReverse = "reverse"
