package nipp

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ProjectState is where a project is in its life.
type ProjectState string

// Project states.
const (
	StateDraft            ProjectState = "draft"
	StateSubmitted        ProjectState = "submitted"
	StateUnderAppraisal   ProjectState = "under_appraisal"
	StateApproved         ProjectState = "approved"
	StateInImplementation ProjectState = "in_implementation"
	StateAccepted         ProjectState = "accepted"
	StateSettled          ProjectState = "settled"
	StateRejected         ProjectState = "rejected"
	StateCancelled        ProjectState = "cancelled"
	StateReturned         ProjectState = "returned"
)

// ProjectStates lists every state in life order.
func ProjectStates() []ProjectState {
	return []ProjectState{StateDraft, StateSubmitted, StateUnderAppraisal, StateApproved, StateInImplementation,
		StateAccepted, StateSettled, StateReturned, StateRejected, StateCancelled}
}

// Valid reports whether s is a known state.
func (s ProjectState) Valid() bool { return slices.Contains(ProjectStates(), s) }

// Editable reports whether the proposer may still change the proposal
// (content, budget, outputs, beneficiaries).
func (s ProjectState) Editable() bool { return s == StateDraft || s == StateReturned }

// DecidedStates are the states of a project that carries an approval
// decision: the support it got counts (duplicate support, plans, balances).
func DecidedStates() []ProjectState {
	return []ProjectState{StateApproved, StateInImplementation, StateAccepted, StateSettled}
}

// PendingStates are the states of a proposal sent to the ministry and not
// yet decided (an appraisal round with one is still open).
func PendingStates() []ProjectState {
	return []ProjectState{StateSubmitted, StateUnderAppraisal}
}

// PlanStates are the states of a project in a year's plan: proposals sent
// to the ministry and decided projects.
func PlanStates() []ProjectState {
	return append(PendingStates(), DecidedStates()...)
}

// Decided reports whether the project carries an approval decision.
func (s ProjectState) Decided() bool { return slices.Contains(DecidedStates(), s) }

// State groups a project list filters by (state=<group>), so that a
// figure of the progress pages links to exactly the projects it counts:
// outputs achieved (accepted or settled), committed (approved, in
// implementation) and decided projects (money approved).
const (
	StatesAchieved  = "achieved"
	StatesCommitted = "committed"
	StatesDecided   = "decided"
)

// StateGroups lists the groups in the order a list's filter offers them.
func StateGroups() []string { return []string{StatesAchieved, StatesCommitted, StatesDecided} }

// StateGroup returns the states of a group, nil when name is none.
func StateGroup(name string) []ProjectState {
	switch name {
	case StatesAchieved:
		return []ProjectState{StateAccepted, StateSettled}
	case StatesCommitted:
		return []ProjectState{StateApproved, StateInImplementation}
	case StatesDecided:
		return DecidedStates()
	}
	return nil
}

// Transition actions.
const (
	ActSubmit         = "submit"          // draft -> submitted
	ActResubmit       = "resubmit"        // returned -> submitted
	ActStartAppraisal = "start_appraisal" // submitted -> under_appraisal
	ActReturn         = "return"          // submitted | under_appraisal -> returned
	ActApprove        = "approve"         // under_appraisal -> approved
	ActReject         = "reject"          // submitted | under_appraisal -> rejected
	ActStart          = "start"           // approved -> in_implementation
	ActAccept         = "accept"          // in_implementation -> accepted (nghiệm thu)
	ActSettle         = "settle"          // accepted -> settled (quyết toán)
	ActWithdraw       = "withdraw"        // draft | returned -> cancelled, by the proposer
	ActCancel         = "cancel"          // approved | in_implementation -> cancelled, by the ministry
)

// TransitionRule is one row of the project state machine: from which states
// an action leads to which state, the permission the actor needs (always
// within the project's province scope) and whether a comment (reason) is
// required.
type TransitionRule struct {
	Action      string
	From        []ProjectState
	To          ProjectState
	Perm        Permission
	NeedsReason bool
}

// projectMachine is the project state machine. Who does what:
//   - the proposer (provincial department or promotion center, PermProjectWrite
//     within the province; central officers hold it too) submits, resubmits
//     after a return, withdraws its own draft or returned proposal, starts
//     implementation of an approved project and records acceptance (nghiệm
//     thu) and settlement (quyết toán), as the implementing side does;
//   - the ministry (PermProjectDecide: central officers) starts appraisal,
//     returns a proposal for revision, approves (decision number and date,
//     approved budget, pass mark), rejects, and cancels approved or running
//     projects;
//   - appraisers and auditors change no state.
//
// Perm is the default: when the project's pinned rule set names who takes a
// decision (see transitionDecision and MayTransition), that authority's
// side takes it instead.
var projectMachine = []TransitionRule{
	{ActSubmit, []ProjectState{StateDraft}, StateSubmitted, PermProjectWrite, false},
	{ActResubmit, []ProjectState{StateReturned}, StateSubmitted, PermProjectWrite, false},
	{ActWithdraw, []ProjectState{StateDraft, StateReturned}, StateCancelled, PermProjectWrite, true},
	{ActStartAppraisal, []ProjectState{StateSubmitted}, StateUnderAppraisal, PermProjectDecide, false},
	{ActReturn, []ProjectState{StateSubmitted, StateUnderAppraisal}, StateReturned, PermProjectDecide, true},
	{ActReject, []ProjectState{StateSubmitted, StateUnderAppraisal}, StateRejected, PermProjectDecide, true},
	{ActApprove, []ProjectState{StateUnderAppraisal}, StateApproved, PermProjectDecide, false},
	{ActCancel, []ProjectState{StateApproved, StateInImplementation}, StateCancelled, PermProjectDecide, true},
	{ActStart, []ProjectState{StateApproved}, StateInImplementation, PermProjectWrite, false},
	{ActAccept, []ProjectState{StateInImplementation}, StateAccepted, PermProjectWrite, false},
	{ActSettle, []ProjectState{StateAccepted}, StateSettled, PermProjectWrite, false},
}

// TransitionRules returns the state machine table (a copy).
func TransitionRules() []TransitionRule { return slices.Clone(projectMachine) }

// TransitionFor returns the rule for an action from a state, or an EINVALID
// error when the machine has no such transition.
func TransitionFor(action string, from ProjectState) (TransitionRule, error) {
	known := false
	for _, t := range projectMachine {
		if t.Action != action {
			continue
		}
		known = true
		if slices.Contains(t.From, from) {
			return t, nil
		}
	}
	if !known {
		return TransitionRule{}, Errorf(EINVALID, "err.nipp.unknown_action", action)
	}
	return TransitionRule{}, Errorf(EINVALID, "err.nipp.cannot_transition", NameOf("action", action), NameOf("state", string(from)))
}

// Decisions of a rule set's [approvals] that govern transitions: who
// approves a project also starts its appraisal, returns, rejects and
// cancels it; acceptance (nghiệm thu) and settlement (quyết toán) have
// their own lines. The proposer's own steps (submit, resubmit, withdraw,
// start) are not decisions and follow the machine's permission.
var transitionDecision = map[string]string{
	ActStartAppraisal: "project",
	ActReturn:         "project",
	ActReject:         "project",
	ActApprove:        "project",
	ActCancel:         "project",
	ActAccept:         "acceptance",
	ActSettle:         "settlement",
}

// CheckActualOutputs checks an acceptance: an actual figure, not
// negative, for every planned output. Every missing one is reported, each
// under its own field ("actual_outputs.<indicator>").
func CheckActualOutputs(planned []ProjectOutput, actual map[string]int64) error {
	var errs []*Error
	for _, o := range planned {
		if v, ok := actual[o.IndicatorCode]; !ok || v < 0 {
			errs = append(errs, FieldError("actual_outputs."+o.IndicatorCode, "err.app.enter_actual_output", NameOf("indicator", o.IndicatorCode)))
		}
	}
	return Join(errs...)
}

// ProjectCodeStem is what every code of a project under a program of this
// level, of this year and lead province (2025 code) begins with:
// "KCQG-2026-01-" for a national program, "KCDP-2026-01-" for a local one.
func ProjectCodeStem(programLevel string, year int, province string) string {
	prefix := "KCQG"
	if programLevel == ProgramLocal {
		prefix = "KCDP"
	}
	return fmt.Sprintf("%s-%d-%s-", prefix, year, province)
}

// ProjectCode is the n-th project code of a stem: "KCQG-2026-01-0007".
func ProjectCode(stem string, n int) string { return fmt.Sprintf("%s%04d", stem, n) }

// ProjectLevel is the level a rule set's approvals name for a project:
// "local" for a project under a local program, else "national".
func ProjectLevel(proj *Project) string {
	if proj.ProgramLevel == ProgramLocal {
		return "local"
	}
	return "national"
}

// CentralAuthority reports whether a rule set's authority is on the
// ministry's side (prime_minister, ministry, central_agency); the others
// (provincial_committee, provincial_department, implementing_superior,
// implementing_unit) are on the province's side.
func CentralAuthority(authority string) bool {
	switch authority {
	case "prime_minister", "ministry", "central_agency":
		return true
	}
	return false
}

// Decider returns the authority that decides t for proj under rs, the
// project's pinned rule set, and false when t is not a decision or rs (nil:
// no rule set) names nobody for it; then the machine's permission applies.
func Decider(t TransitionRule, proj *Project, rs *RuleSet) (string, bool) {
	decision, ok := transitionDecision[t.Action]
	if !ok || rs == nil {
		return "", false
	}
	rule, ok := rs.Approver(decision, ProjectLevel(proj), 0)
	if !ok {
		return "", false
	}
	return rule.Authority, true
}

// AllowedTransitions returns the transitions p may apply to proj now, under
// rs (the project's pinned rule set, nil when it has none). The project page
// shows exactly these and Transition applies only these: both ask
// MayTransition.
func AllowedTransitions(p *Principal, proj *Project, rs *RuleSet) []TransitionRule {
	var out []TransitionRule
	for _, t := range projectMachine {
		if slices.Contains(t.From, proj.State) && MayTransition(p, t, proj, rs) {
			out = append(out, t)
		}
	}
	return out
}

// MayTransition reports whether p may apply t to proj under rs. The project
// must lie within p's scope (one of its provinces). A decision the rule set
// gives to an authority (Decider) is taken by that authority's side: central
// officers for the ministry's side, the provincial officers of the project's
// provinces for the province's side; administrators may act for either.
// Otherwise p needs t's permission.
func MayTransition(p *Principal, t TransitionRule, proj *Project, rs *RuleSet) bool {
	if p.Anonymous() || !InScope(p, proj.Provinces) {
		return false
	}
	if authority, ok := Decider(t, proj, rs); ok {
		switch p.Role {
		case RoleAdmin:
			return true
		case RoleCentral:
			return CentralAuthority(authority)
		case RoleProvincial:
			return !CentralAuthority(authority)
		}
		return false
	}
	return p.Can(t.Perm)
}

// InScope reports whether any of a record's provinces is within p's scope.
func InScope(p *Principal, provinces []string) bool {
	if p.AllProvinces() {
		return true
	}
	for _, c := range provinces {
		if p.InProvince(c) {
			return true
		}
	}
	return false
}

var stateNames = map[ProjectState][2]string{
	StateDraft:            {"dự thảo", "draft"},
	StateSubmitted:        {"đã gửi đề xuất", "submitted"},
	StateUnderAppraisal:   {"đang thẩm định", "under appraisal"},
	StateApproved:         {"đã phê duyệt", "approved"},
	StateInImplementation: {"đang thực hiện", "in implementation"},
	StateAccepted:         {"đã nghiệm thu", "accepted"},
	StateSettled:          {"đã quyết toán", "settled"},
	StateRejected:         {"không phê duyệt", "rejected"},
	StateCancelled:        {"đã hủy", "cancelled"},
	StateReturned:         {"trả lại để chỉnh sửa", "returned for revision"},
}

// StateNameVI returns the Vietnamese name of a state.
func StateNameVI(s ProjectState) string {
	if n, ok := stateNames[s]; ok {
		return n[0]
	}
	return string(s)
}

// StateName returns the state's name in a language.
func StateName(s ProjectState, lang string) string {
	if n, ok := stateNames[s]; ok {
		if lang == "en" {
			return n[1]
		}
		return n[0]
	}
	return string(s)
}

var actionNames = map[string][2]string{
	ActSubmit:         {"gửi đề xuất", "submit"},
	ActResubmit:       {"gửi lại đề xuất", "resubmit"},
	ActWithdraw:       {"rút đề xuất", "withdraw"},
	ActStartAppraisal: {"đưa vào thẩm định", "start appraisal"},
	ActReturn:         {"trả lại để chỉnh sửa", "return for revision"},
	ActReject:         {"không phê duyệt", "reject"},
	ActApprove:        {"phê duyệt", "approve"},
	ActCancel:         {"hủy", "cancel"},
	ActStart:          {"bắt đầu thực hiện", "start implementation"},
	ActAccept:         {"nghiệm thu", "record acceptance"},
	ActSettle:         {"quyết toán", "record settlement"},
}

// ActionNameVI returns the Vietnamese name of an action.
func ActionNameVI(a string) string { return ActionName(a, "vi") }

// ActionName returns an action's name in a language.
func ActionName(a, lang string) string {
	if n, ok := actionNames[a]; ok {
		if lang == "en" {
			return n[1]
		}
		return n[0]
	}
	return a
}

// Project is an industry promotion project (đề án khuyến công).
type Project struct {
	ID               int64  `json:"-"`
	PublicID         string `json:"id"`
	Code             string `json:"code"`
	ProgramID        int64  `json:"-"`
	ProgramCode      string `json:"program"`
	ProgramName      string `json:"program_name"`
	ProgramNameEN    string `json:"program_name_en"`
	ProgramLevel     string `json:"program_level"`
	Year             int    `json:"year"`
	Title            string `json:"title"`
	Description      string `json:"description"`
	ActivityTypeCode string `json:"activity_type"`
	ActivityName     string `json:"activity_name"`
	ActivityNameEN   string `json:"activity_name_en"`
	// ActivityNeeds is what the activity type requires before submission.
	ActivityNeeds      ActivityNeeds `json:"activity_needs"`
	ImplementingOrgID  int64         `json:"-"`
	ImplementingOrg    string        `json:"implementing_org"` // code
	ImplementingName   string        `json:"implementing_org_name"`
	ImplementingNameEN string        `json:"implementing_org_name_en"`
	ProvinceCode       string        `json:"province"` // lead province (2025 code)
	ProvinceName       string        `json:"province_name"`
	Provinces          []string      `json:"provinces"`      // all provinces, lead first
	ProvinceNames      []string      `json:"province_names"` // their names, in the same order
	AreaCategory       string        `json:"area_category"`
	State              ProjectState  `json:"state"`
	RuleSetID          int64         `json:"-"`
	RuleSetCode        string        `json:"rule_set"`
	DecisionNo         string        `json:"decision_no,omitempty"`
	DecisionDate       Date          `json:"decision_date"`
	Published          bool          `json:"published"`
	PassOverrideReason string        `json:"pass_override_reason,omitempty"`
	Version            int           `json:"version"`
	CreatedAt          time.Time     `json:"created_at"`
	UpdatedAt          time.Time     `json:"updated_at"`

	Budget        []BudgetLine         `json:"budget"`
	Outputs       []ProjectOutput      `json:"outputs"`
	Beneficiaries []ProjectBeneficiary `json:"beneficiaries"`
	Caps          []PinnedCap          `json:"caps"`
	// Groups counts the beneficiaries per priority group (lists and
	// exports carry it without the beneficiaries themselves).
	Groups []GroupCount `json:"beneficiary_groups"`
}

// ActivityNeeds is what a project of an activity type must have before it
// is submitted (reference data, activity_types.csv): a beneficiary
// establishment for support that goes to one establishment (demonstration
// models, machinery, technology lines...), and planned outputs for every
// kind an indicator measures (training, fairs and consulting too, which may
// have no single beneficiary), so that acceptance has outputs to record.
type ActivityNeeds struct {
	Beneficiary bool `json:"beneficiary"`
	Outputs     bool `json:"outputs"`
}

// CheckSubmission reports everything the project lacks to be submitted, all
// at once, each problem naming its field: a budget ("budget"), and, as its
// activity type requires, a beneficiary ("beneficiaries") and planned
// outputs ("outputs").
func (p *Project) CheckSubmission() error {
	var errs []*Error
	total, _, err := BudgetTotals(p.Budget, AmountPlanned)
	if err != nil {
		errs = append(errs, FieldError("budget", "err.nipp.budget_total_out_of_range"))
	} else if total <= 0 {
		errs = append(errs, FieldError("budget", "err.app.project_has_no_budget_yet"))
	}
	activity := Name{Kind: "activity", Code: p.ActivityTypeCode, VI: p.ActivityName, EN: p.ActivityNameEN}
	if p.ActivityNeeds.Beneficiary && len(p.Beneficiaries) == 0 {
		errs = append(errs, FieldError("beneficiaries", "err.nipp.submit_needs_beneficiary", activity))
	}
	planned := false
	for _, o := range p.Outputs {
		planned = planned || o.Planned > 0
	}
	if p.ActivityNeeds.Outputs && !planned {
		errs = append(errs, FieldError("outputs", "err.nipp.submit_needs_outputs", activity))
	}
	return Join(errs...)
}

// BudgetLine is a project's budget from one funding source.
type BudgetLine struct {
	ID          int64  `json:"id"`
	Source      string `json:"source"`
	Description string `json:"description"`
	Planned     int64  `json:"planned"`
	Approved    *int64 `json:"approved"`
	Actual      *int64 `json:"actual"`
}

// ProjectOutput is a planned (and, after acceptance, actual) output.
type ProjectOutput struct {
	IndicatorCode string `json:"indicator"`
	Name          string `json:"name,omitempty"`
	NameEN        string `json:"name_en,omitempty"`
	Unit          string `json:"unit,omitempty"`
	UnitEN        string `json:"unit_en,omitempty"`
	Planned       int64  `json:"planned"`
	Actual        *int64 `json:"actual"`
}

// ProjectBeneficiary is an establishment benefiting from a project.
type ProjectBeneficiary struct {
	EstablishmentID int64  `json:"-"`
	PublicID        string `json:"establishment"`
	Name            string `json:"name"`
	TaxCode         string `json:"tax_code,omitempty"`
	ProvinceCode    string `json:"province"`
	Note            string `json:"note,omitempty"`
	DuplicateReason string `json:"duplicate_reason,omitempty"`
	// Groups are the priority groups the establishment belonged to when it
	// was added (facts: women_owned, ethnic_minority_owned, craft_village,
	// artisan), sorted; PriorityGroups those among them the project's
	// pinned rule set gives priority to (appraisal weighs them, reports
	// count them). A rule set without priority groups prioritises none.
	Groups         []string `json:"groups"`
	PriorityGroups []string `json:"priority_groups"`
}

// Prioritised reports whether the beneficiary is in a group the project's
// rule set gives priority to.
func (b ProjectBeneficiary) Prioritised(group string) bool {
	return slices.Contains(b.PriorityGroups, group)
}

// PinnedCap is the support cap a project's budget was checked against,
// copied from its rule set so that a later rule set never changes it.
type PinnedCap struct {
	RuleSetCode   string `json:"rule_set"`
	LegalBasis    string `json:"legal_basis"`
	LegalBasisEN  string `json:"legal_basis_en,omitempty"` // the rule set's, read with the cap
	FundingSource string `json:"funding_source"`
	MaxShareBP    int    `json:"max_share_bp"`
	MaxAmount     int64  `json:"max_amount"`
	TotalCost     int64  `json:"total_cost"`
	Allowed       int64  `json:"allowed"`
	Requested     int64  `json:"requested"`
}

// StateSources are the funding sources that are state support.
var StateSources = []string{SourceNational, SourceLocal}

// FundingSources lists every budget source in display order.
func FundingSources() []string {
	return []string{SourceNational, SourceLocal, SourceReciprocal, SourceCredit, SourceScience, SourceTrade, SourceOther}
}

// BudgetAmounts picks which amount of a line counts.
type BudgetAmounts int

const (
	AmountPlanned BudgetAmounts = iota
	AmountApproved
	AmountActual
)

func (l BudgetLine) amount(which BudgetAmounts) int64 {
	switch which {
	case AmountApproved:
		if l.Approved != nil {
			return *l.Approved
		}
		return 0
	case AmountActual:
		if l.Actual != nil {
			return *l.Actual
		}
		return 0
	}
	return l.Planned
}

// BudgetTotals returns the total cost and the amount per source, or an
// EINVALID error when an amount is out of range (negative or above
// MaxAmount: only rows written before the bound existed can hold one) or a
// sum would overflow.
func BudgetTotals(lines []BudgetLine, which BudgetAmounts) (total int64, bySource map[string]int64, err error) {
	bySource = map[string]int64{}
	for _, l := range lines {
		a := l.amount(which)
		if err := CheckAmount("budget."+l.Source, a); err != nil {
			return 0, nil, err
		}
		var ok1, ok2 bool
		total, ok1 = AddVND(total, a)
		bySource[l.Source], ok2 = AddVND(bySource[l.Source], a)
		if !ok1 || !ok2 {
			return 0, nil, errBudgetOverflow()
		}
	}
	return total, bySource, nil
}

func errBudgetOverflow() error {
	return FieldError("budget", "err.nipp.budget_total_out_of_range")
}

// CheckSupport checks the state support of a budget (national and local
// lines) against the caps of rs for the activity type and area category.
// It returns the caps checked (to pin on the project) and, when a source
// exceeds its cap or has no cap, an EINVALID error naming the rule: rule
// set code, legal basis, share and amount.
func CheckSupport(rs *RuleSet, activity, area string, lines []BudgetLine, which BudgetAmounts) ([]PinnedCap, error) {
	total, by, err := BudgetTotals(lines, which)
	if err != nil {
		return nil, err
	}
	var pins []PinnedCap
	var errs []*Error
	for _, src := range StateSources {
		req := by[src]
		c, ok := rs.Cap(activity, area, src)
		if !ok {
			if req > 0 {
				errs = append(errs, FieldError("budget."+src, "err.nipp.no_cap", rs.Code, rs.Basis(), NameOf("source", src), NameOf("activity", activity), NameOf("area", area), VND(req)))
			}
			continue
		}
		allowed := c.Allowed(total)
		pin := PinnedCap{RuleSetCode: rs.Code, LegalBasis: rs.LegalBasis, LegalBasisEN: rs.LegalBasisEN, FundingSource: src, MaxShareBP: c.MaxShareBP,
			MaxAmount: c.MaxAmount, TotalCost: total, Allowed: allowed, Requested: req}
		if req > allowed {
			key := "err.nipp.over_cap"
			if c.MaxAmount > 0 {
				key = "err.nipp.over_cap_amount"
			}
			errs = append(errs, FieldError("budget."+src, key, NameOf("source", src), VND(req), VND(allowed), rs.Code, rs.Basis(), fmtShare(c.MaxShareBP), VND(c.MaxAmount)))
			continue
		}
		pins = append(pins, pin)
	}
	if err := Join(errs...); err != nil {
		return nil, err
	}
	return pins, nil
}

// fmtShare formats basis points as a percentage: 5000 -> "50%", 7550 -> "75.5%".
func fmtShare(bp int) string {
	whole, frac := bp/100, bp%100
	s := itoa(int64(whole))
	if frac != 0 {
		f := itoa(int64(frac))
		if frac < 10 {
			f = "0" + f
		}
		s += "." + strings.TrimRight(f, "0")
	}
	return s + "%"
}

// fmtVND groups thousands with dots (the Vietnamese way): 1.000.000.
func fmtVND(n int64) string {
	s := itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// MaxTitleLen bounds a project's title (longer than other names: titles
// describe the activity).
const MaxTitleLen = 500

// ProjectInput is what a proposer enters or changes.
type ProjectInput struct {
	ProgramCode      string          `json:"program"`
	Year             int             `json:"year"`
	Title            string          `json:"title"`
	Description      string          `json:"description"`
	ActivityTypeCode string          `json:"activity_type"`
	ImplementingOrg  string          `json:"implementing_org"` // organization code
	ProvinceCode     string          `json:"province"`
	OtherProvinces   []string        `json:"other_provinces"`
	AreaCategory     string          `json:"area_category"`
	Budget           []BudgetLine    `json:"budget"`
	Outputs          []ProjectOutput `json:"outputs"`
	Version          int             `json:"version"` // for updates: the version the change started from
}

// Validate checks the input's own rules (not references) and reports
// every problem at once, each naming its field.
func (in *ProjectInput) Validate() error {
	var errs []*Error
	in.Title = strings.TrimSpace(in.Title)
	in.Description = strings.TrimSpace(in.Description)
	if in.ProgramCode == "" {
		errs = append(errs, FieldError("program", "err.nipp.choose_program"))
	}
	if in.Year < 2000 || in.Year > 2100 {
		errs = append(errs, FieldError("year", "err.app.invalid_year"))
	}
	if in.Title == "" {
		errs = append(errs, FieldError("title", "err.nipp.enter_title"))
	}
	fields := []TextField{
		{"program", in.ProgramCode, MaxCodeLen, false}, {"title", in.Title, MaxTitleLen, false},
		{"description", in.Description, MaxDescriptionLen, true}, {"activity_type", in.ActivityTypeCode, MaxCodeLen, false},
		{"implementing_org", in.ImplementingOrg, MaxCodeLen, false}, {"province", in.ProvinceCode, MaxCodeLen, false},
		{"area_category", in.AreaCategory, MaxCodeLen, false},
	}
	for _, c := range in.OtherProvinces {
		fields = append(fields, TextField{"other_provinces", c, MaxCodeLen, false})
	}
	for _, l := range in.Budget {
		fields = append(fields, TextField{"budget." + l.Source, l.Description, MaxNoteLen, true})
	}
	for _, f := range fields {
		if err := CheckText(f.Name, f.Value, f.Max, f.MultiLine); err != nil {
			errs = append(errs, err)
		}
	}
	if in.ActivityTypeCode == "" {
		errs = append(errs, FieldError("activity_type", "err.nipp.choose_activity_type"))
	}
	if in.ImplementingOrg == "" {
		errs = append(errs, FieldError("implementing_org", "err.nipp.choose_implementing_organization"))
	}
	if in.ProvinceCode == "" {
		errs = append(errs, FieldError("province", "err.nipp.choose_province"))
	}
	if in.AreaCategory == "" {
		in.AreaCategory = AreaOrdinary
	}
	if in.AreaCategory != AreaOrdinary && in.AreaCategory != AreaDisadvantaged {
		errs = append(errs, FieldError("area_category", "err.nipp.invalid_area_category"))
	}
	seen := map[string]bool{}
	var budget []BudgetLine
	sources := map[string]bool{}
	for _, l := range in.Budget {
		if !slices.Contains(FundingSources(), l.Source) {
			errs = append(errs, FieldError("budget", "err.nipp.unknown_funding_source", l.Source))
			continue
		}
		// One line per funding source: the caps are per source, and a
		// bounded number of bounded lines keeps every total in range.
		if sources[l.Source] {
			errs = append(errs, FieldError("budget."+l.Source, "err.nipp.source_entered_twice", NameOf("source", l.Source)))
			continue
		}
		sources[l.Source] = true
		if err := checkAmount("budget."+l.Source, l.Planned); err != nil {
			errs = append(errs, err)
			continue
		}
		if l.Planned == 0 && l.Description == "" {
			continue
		}
		budget = append(budget, BudgetLine{Source: l.Source, Description: strings.TrimSpace(l.Description), Planned: l.Planned})
	}
	in.Budget = budget
	var outs []ProjectOutput
	for _, o := range in.Outputs {
		if o.IndicatorCode == "" {
			continue
		}
		if seen[o.IndicatorCode] {
			errs = append(errs, FieldError("outputs", "err.nipp.indicator_entered_twice", NameOf("indicator", o.IndicatorCode)))
			continue
		}
		seen[o.IndicatorCode] = true
		if o.Planned < 0 {
			errs = append(errs, FieldError("outputs", "err.nipp.quantities_cannot_negative"))
			continue
		}
		outs = append(outs, ProjectOutput{IndicatorCode: o.IndicatorCode, Planned: o.Planned})
	}
	in.Outputs = outs
	var others []string
	for _, c := range in.OtherProvinces {
		c = strings.TrimSpace(c)
		if c != "" && c != in.ProvinceCode && !slices.Contains(others, c) {
			others = append(others, c)
		}
	}
	in.OtherProvinces = others
	return Join(errs...)
}

// CheckText checks the transition's text fields and decision date.
func (in *TransitionInput) CheckText() error {
	if err := CheckTexts(TextField{"comment", in.Comment, MaxNoteLen, true}, TextField{"decision_no", in.DecisionNo, MaxCodeLen, false},
		TextField{"override_reason", in.OverrideReason, MaxNoteLen, true}); err != nil {
		return err
	}
	if err := CheckDate("decision_date", in.DecisionDate); err != nil {
		return err
	}
	return nil
}

// TransitionInput carries what a transition needs besides the action.
type TransitionInput struct {
	Version int    `json:"version"`
	Comment string `json:"comment"`
	// Approval: the decision and the approved amount per budget line id
	// (missing lines are approved as planned), and the reason for approving
	// below the appraisal pass mark.
	DecisionNo     string          `json:"decision_no"`
	DecisionDate   Date            `json:"decision_date"`
	Approved       map[int64]int64 `json:"approved"`
	OverrideReason string          `json:"override_reason"`
	// Acceptance: actual outputs per indicator. (Settlement takes each
	// budget line's settled amount from the co-financing ledger; a
	// reciprocal shortfall is explained in Comment.)
	ActualOutputs map[string]int64 `json:"actual_outputs"`
	// Unreadable are the problems a form reader met (an amount that is no
	// number): the use case reports them with its own, every problem of
	// the form at once, and writes nothing.
	Unreadable error `json:"-"`
}

// ProjectEvent is one line of a project's timeline.
type ProjectEvent struct {
	Action    string       `json:"action"`
	FromState ProjectState `json:"from"`
	ToState   ProjectState `json:"to"`
	Comment   string       `json:"comment,omitempty"`
	Actor     string       `json:"actor"`
	At        time.Time    `json:"at"`
}

// PriorSupport is support an establishment already received.
type PriorSupport struct {
	ProjectID       int64        `json:"-"`
	ProjectPublicID string       `json:"project"`
	Code            string       `json:"code"`
	Title           string       `json:"title"`
	Year            int          `json:"year"`
	ProgramCode     string       `json:"program"`
	State           ProjectState `json:"state"`
}

// DuplicateSupportYears is the default look-back for the duplicate-support
// check (a setting).
const DuplicateSupportYears = 3

// ProjectFilter selects projects. Empty fields do not filter. Lists are
// newest first with keyset pagination: After is the last id of the page
// before.
type ProjectFilter struct {
	ProgramCode string
	Year        int
	// YearFrom and YearTo (0: open) keep the projects of a period of plan
	// years (a dashboard's figure of several years lists its projects).
	YearFrom, YearTo int
	// Home keeps the projects recorded under a province of today (a 2025
	// code: the project's own province, not any it touches); Then those
	// recorded under a province at the time, "2008/CODE" or "2025/CODE"
	// (a dashboard's figure by province counts them so).
	Home, Then   string
	ProvinceCode string // any of the project's provinces
	ActivityType string
	State        string
	Query        string // words of the title (diacritics and case ignored) or the code
	After        int64
	Limit        int

	// Scope, set by the app layer from the principal.
	ScopeProvinces []string // non-nil: only projects in these provinces, or published
	ScopeAppraiser int64    // > 0: only projects assigned to a council this user sits on
	// Own asks for the principal's own provinces' projects only (the app
	// layer sets InProvinces from it; no effect for national roles).
	Own bool
	// InProvinces non-nil: only projects in one of these provinces (2025
	// codes), published or not (an officer's own work; the list's "own
	// provinces only").
	InProvinces []string
	// CountCap, when > 0, lets a count stop counting a title search's
	// matches after CountCap+1 of them ("more than CountCap").
	CountCap int
	// Can asks for the projects the principal may take this action on now
	// (a work queue); the app layer turns it into Pinned (and State, when
	// the action starts from one state only).
	Can string
	// Pinned non-nil: only projects pinned to one of these rule sets at
	// one of these levels (RuleSetID 0: no rule set pinned).
	Pinned []PinnedLevel
}

// PinnedLevel is a rule set (0: none) and a project level (a local
// program's project, or a national one): who decides a project's steps
// depends on both.
type PinnedLevel struct {
	RuleSetID int64
	Local     bool
}

// Option is a code and a name for a form's select list.
type Option struct {
	Code   string
	Name   string
	NameEN string // "" when the same in English
	Group  string // e.g. the province of an organization
}

// ProjectFormOptions are the choices of the project form.
type ProjectFormOptions struct {
	Programs      []Option
	ActivityTypes []Option
	Provinces     []Option
	Orgs          []Option
	Indicators    []Option
}
