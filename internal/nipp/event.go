package nipp

// Domain events. A use case raises an event inside its write transaction
// for every change it makes; the handlers registered at wiring (the audit
// trail first, then derived data such as balances and summaries) run in the
// same transaction, so a change and everything derived from it commit or
// roll back together. A new area declares its own event types here (or in
// its own file of this package) and registers its handlers in app; nothing
// else needs a hand-kept list.

import "strconv"

// Event is a fact raised by a use case. Every event knows its own entry in
// the audit trail.
type Event interface {
	Audit() Audited
}

// Audited is an event's entry in the audit trail: what was done to which
// record, with the record's view before and after (JSON-encodable; nil
// when there is none).
type Audited struct {
	Action   string
	Entity   string
	EntityID string
	Before   any
	After    any
}

// Recorded is the event of a change that no handler but the audit trail
// follows (accounts, tokens, settings, reference data, appraisal rounds).
// Areas whose changes feed derived data declare typed events instead.
type Recorded struct{ Audited }

// Audit implements Event.
func (e Recorded) Audit() Audited { return e.Audited }

// ProjectChange is implemented by every event that changes a project or
// what hangs on it; handlers that keep per-project figures listen to it.
type ProjectChange interface {
	Event
	ChangedProject() *Project
}

// ProjectCreated: a project was proposed (a draft was saved).
type ProjectCreated struct{ Project *Project }

// ProjectEdited: an editable project's fields, budget or outputs changed.
type ProjectEdited struct{ Before, After *Project }

// ProjectTransitioned: a project moved along its state machine (submit,
// approve, start, accept, settle, cancel, ...). Action is one of the Act*
// constants; Before and After are the project as loaded before the change
// and as stored after it (with its approved amounts, actual outputs and
// settled amounts).
type ProjectTransitioned struct {
	Action        string
	Before, After *Project
	Comment       string
}

// BeneficiaryAdded: an establishment became a beneficiary of a project.
type BeneficiaryAdded struct {
	Project         *Project // after the change
	Establishment   string   // public id
	Name            string
	Groups          []string
	PriorityGroups  []string
	DuplicateReason string
	PriorProjects   []PriorSupport
}

// BeneficiaryRemoved: an establishment stopped being a beneficiary.
type BeneficiaryRemoved struct {
	Project       *Project // after the change
	Establishment string
	Name          string
}

// Audit implements Event.
func (e ProjectCreated) Audit() Audited {
	return Audited{ActionCreate, "project", e.Project.PublicID, nil, ProjectAuditView(e.Project)}
}

// Audit implements Event.
func (e ProjectEdited) Audit() Audited {
	return Audited{ActionUpdate, "project", e.After.PublicID, ProjectAuditView(e.Before), ProjectAuditView(e.After)}
}

// Audit implements Event.
func (e ProjectTransitioned) Audit() Audited {
	after := ProjectAuditView(e.After)
	after.Comment = e.Comment
	return Audited{ActionTransition, "project", e.After.PublicID, ProjectAuditView(e.Before), after}
}

// Audit implements Event.
func (e BeneficiaryAdded) Audit() Audited {
	after := map[string]any{"establishment": e.Establishment, "name": e.Name, "groups": e.Groups, "priority_groups": e.PriorityGroups}
	if e.DuplicateReason != "" {
		after["duplicate_reason"] = e.DuplicateReason
		after["prior_projects"] = e.PriorProjects
	}
	return Audited{"add_beneficiary", "project", e.Project.PublicID, nil, after}
}

// Audit implements Event.
func (e BeneficiaryRemoved) Audit() Audited {
	return Audited{"remove_beneficiary", "project", e.Project.PublicID,
		map[string]any{"establishment": e.Establishment, "name": e.Name}, nil}
}

// ChangedProject implements ProjectChange.
func (e ProjectCreated) ChangedProject() *Project { return e.Project }

// ChangedProject implements ProjectChange.
func (e ProjectEdited) ChangedProject() *Project { return e.After }

// ChangedProject implements ProjectChange.
func (e ProjectTransitioned) ChangedProject() *Project { return e.After }

// ChangedProject implements ProjectChange.
func (e BeneficiaryAdded) ChangedProject() *Project { return e.Project }

// ChangedProject implements ProjectChange.
func (e BeneficiaryRemoved) ChangedProject() *Project { return e.Project }

// EstablishmentCreated: a record entered the registry (by hand or import).
type EstablishmentCreated struct{ Establishment *Establishment }

// EstablishmentUpdated: a record changed (edited, archived, re-imported,
// or archived into another by a merge).
type EstablishmentUpdated struct{ Before, After *Establishment }

// EstablishmentsMerged: From was merged into Into; Moved counts the
// references moved per table.
type EstablishmentsMerged struct {
	From, IntoBefore, Into *Establishment
	Moved                  map[string]int64
}

// Audit implements Event.
func (e EstablishmentCreated) Audit() Audited {
	return Audited{ActionCreate, "establishment", e.Establishment.PublicID, nil, EstablishmentAuditView(e.Establishment)}
}

// Audit implements Event.
func (e EstablishmentUpdated) Audit() Audited {
	return Audited{ActionUpdate, "establishment", e.After.PublicID, EstablishmentAuditView(e.Before), EstablishmentAuditView(e.After)}
}

// Audit implements Event.
func (e EstablishmentsMerged) Audit() Audited {
	return Audited{ActionMerge, "establishment", e.Into.PublicID,
		map[string]any{"into": EstablishmentAuditView(e.IntoBefore), "from": EstablishmentAuditView(e.From)},
		map[string]any{"into": EstablishmentAuditView(e.Into), "merged": e.From.PublicID, "moved": e.Moved}}
}

// ProjectAudit is a project as the audit trail records it.
type ProjectAudit struct {
	Code      string          `json:"code"`
	Title     string          `json:"title"`
	State     ProjectState    `json:"state"`
	Program   string          `json:"program"`
	Year      int             `json:"year"`
	Activity  string          `json:"activity_type"`
	Org       string          `json:"implementing_org"`
	Provinces []string        `json:"provinces"`
	Area      string          `json:"area_category"`
	RuleSet   string          `json:"rule_set,omitempty"`
	Decision  string          `json:"decision_no,omitempty"`
	Date      Date            `json:"decision_date"`
	Budget    []BudgetLine    `json:"budget"`
	Outputs   []ProjectOutput `json:"outputs"`
	Override  string          `json:"pass_override_reason,omitempty"`
	Comment   string          `json:"comment,omitempty"`
}

// ProjectAuditView returns the audit view of p.
func ProjectAuditView(p *Project) *ProjectAudit {
	return &ProjectAudit{Code: p.Code, Title: p.Title, State: p.State, Program: p.ProgramCode, Year: p.Year, Activity: p.ActivityTypeCode,
		Org: p.ImplementingOrg, Provinces: p.Provinces, Area: p.AreaCategory, RuleSet: p.RuleSetCode, Decision: p.DecisionNo,
		Date: p.DecisionDate, Budget: p.Budget, Outputs: p.Outputs, Override: p.PassOverrideReason}
}

// EstablishmentAudit is an establishment as the audit trail records it.
type EstablishmentAudit struct {
	Name         string `json:"name"`
	LegalForm    string `json:"legal_form"`
	TaxCode      string `json:"tax_code,omitempty"`
	ExtID        string `json:"ext_id,omitempty"`
	Province     string `json:"province"`
	OrigProvince string `json:"orig_province"`
	Commune      string `json:"commune,omitempty"`
	OrigCommune  string `json:"orig_commune,omitempty"`
	Address      string `json:"address,omitempty"`
	Sector       string `json:"sector_code,omitempty"`
	CraftVillage string `json:"craft_village,omitempty"`
	Employees    *int64 `json:"employees,omitempty"`
	FoundedYear  *int64 `json:"founded_year,omitempty"`
	Contact      string `json:"contact,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Email        string `json:"email,omitempty"`
	Women        bool   `json:"women_owned"`
	Ethnic       bool   `json:"ethnic_minority_owned"`
	Artisan      bool   `json:"artisan"`
	Status       string `json:"status"`
	Published    bool   `json:"published"`
	RecordedOn   string `json:"recorded_on"`
	RegisteredOn string `json:"registered_on,omitempty"`
	MergedInto   string `json:"merged_into,omitempty"`
	Version      int    `json:"version"`
}

// EstablishmentAuditView returns the audit view of e.
func EstablishmentAuditView(e *Establishment) EstablishmentAudit {
	v := EstablishmentAudit{Name: e.Name, LegalForm: e.LegalForm, TaxCode: e.TaxCode, ExtID: e.ExtID, Province: e.Province.Code,
		OrigProvince: e.OrigProvince.Code, Address: e.Address, Sector: e.SectorCode, CraftVillage: e.CraftVillage,
		Employees: e.Employees, FoundedYear: e.FoundedYear, Contact: e.ContactName, Phone: e.Phone, Email: e.Email,
		Women: e.WomenOwned, Ethnic: e.EthnicMinorityOwned, Artisan: e.Artisan, Status: e.Status, Published: e.Published,
		RecordedOn: e.RecordedOn.String(), RegisteredOn: e.RegisteredOn.String(), MergedInto: e.MergedInto, Version: e.Version}
	if e.Commune != nil {
		v.Commune = e.Commune.Code
	}
	if e.OrigCommune != nil {
		v.OrigCommune = e.OrigCommune.Code
	}
	return v
}

// EstablishmentsImported: a chunk of an import created records, audited as
// one entry naming each row and record and the SHA-256 of the records'
// audit views (in row order, each as JSON followed by a newline), so the
// trail stays proportionate to the file and still pins what was written.
type EstablishmentsImported struct {
	Job     int64
	File    string
	Records []ImportedRecord
	Digest  string
}

// ImportedRecord is a row of an import and the record it created.
type ImportedRecord struct {
	Row int    `json:"row"`
	ID  string `json:"id"`
}

// Audit implements Event.
func (e EstablishmentsImported) Audit() Audited {
	return Audited{ActionCreate, "import_job", strconv.FormatInt(e.Job, 10), nil,
		map[string]any{"file": e.File, "establishments": e.Records, "sha256": e.Digest}}
}
