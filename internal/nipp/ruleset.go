package nipp

import (
	"fmt"
	"slices"
	"time"
)

// Funding sources of a project's budget lines.
const (
	SourceNational   = "national"   // national industry promotion funds
	SourceLocal      = "local"      // local (provincial) funds
	SourceReciprocal = "reciprocal" // the beneficiaries' own reciprocal capital
	SourceCredit     = "credit"     // other programs: credit
	SourceScience    = "science"    // other programs: science and technology
	SourceTrade      = "trade"      // other programs: trade promotion
	SourceOther      = "other"
)

// Area categories for support levels.
const (
	AreaOrdinary      = "ordinary"
	AreaDisadvantaged = "disadvantaged" // disadvantaged districts and communes
)

// RuleSet is a dated set of program rules (Decree 45/2012, the 2025
// amendment, ...). A project pins the rule set it was approved under.
type RuleSet struct {
	ID         int64  `json:"-"`
	Code       string `json:"code"`
	NameVI     string `json:"name_vi"`
	NameEN     string `json:"name_en"`
	LegalBasis string `json:"legal_basis"`
	// LegalBasisEN and NoteEN are the English texts (optional; English
	// pages fall back to the Vietnamese).
	LegalBasisEN string       `json:"legal_basis_en,omitempty"`
	ValidFrom    Date         `json:"valid_from"`
	ValidTo      Date         `json:"valid_to"` // zero: open-ended
	Note         string       `json:"note,omitempty"`
	NoteEN       string       `json:"note_en,omitempty"`
	Eligibility  Eligibility  `json:"eligibility"`
	Caps         []SupportCap `json:"caps"`
	// AdvanceLimits per funding source (for the co-financing ledger).
	AdvanceLimits []AdvanceLimit `json:"advance_limits"`
	// Approvals say who approves what.
	Approvals []ApprovalRule `json:"approvals"`
}

// Basis is the legal basis in both languages (a message argument).
func (rs *RuleSet) Basis() Text { return Text{VI: rs.LegalBasis, EN: rs.LegalBasisEN} }

// Eligibility says who may benefit under a rule set. Empty LegalForms,
// UnitTypes or ActivityTypes mean "no restriction"; PriorityGroups lists
// the groups the rule set gives priority to (empty: none).
type Eligibility struct {
	LegalForms     []string `json:"legal_forms"`     // enterprise, cooperative, cooperative_group, household
	UnitTypes      []string `json:"unit_types"`      // commune, ward, special_zone (2025 commune types)
	PriorityGroups []string `json:"priority_groups"` // women_owned, ethnic_minority_owned, craft_village, artisan
	ActivityTypes  []string `json:"activity_types"`  // activity type codes supported; empty: all
}

// Add appends one eligibility rule by its kind (legal_form, unit_type,
// priority_group, activity_type), as rule-set files and the database name
// them. It reports false for an unknown kind.
func (e *Eligibility) Add(kind, value string) bool {
	switch kind {
	case "legal_form":
		e.LegalForms = append(e.LegalForms, value)
	case "unit_type":
		e.UnitTypes = append(e.UnitTypes, value)
	case "priority_group":
		e.PriorityGroups = append(e.PriorityGroups, value)
	case "activity_type":
		e.ActivityTypes = append(e.ActivityTypes, value)
	default:
		return false
	}
	return true
}

// SupportCap is the most the state may pay for an activity type in an area
// category from a funding source: a share of the cost and an amount.
type SupportCap struct {
	ActivityTypeCode string `json:"activity_type"`
	AreaCategory     string `json:"area_category"`
	FundingSource    string `json:"funding_source"`
	MaxShareBP       int    `json:"max_share_bp"` // basis points: 5000 = 50%
	MaxAmount        int64  `json:"max_amount"`   // VND; 0 = no amount cap
	Note             string `json:"note,omitempty"`
}

// Allowed returns the largest state support the cap allows for a total cost.
func (c SupportCap) Allowed(totalCost int64) int64 {
	byShare := ShareOf(totalCost, c.MaxShareBP)
	if c.MaxAmount > 0 && c.MaxAmount < byShare {
		return c.MaxAmount
	}
	return byShare
}

// Cap returns the cap for an activity type, area category and source.
func (rs *RuleSet) Cap(activityType, area, source string) (SupportCap, bool) {
	for _, c := range rs.Caps {
		if c.ActivityTypeCode == activityType && c.AreaCategory == area && c.FundingSource == source {
			return c, true
		}
	}
	return SupportCap{}, false
}

// InForce reports whether the rule set applies on d.
func (rs *RuleSet) InForce(d Date) bool {
	if d.Before(rs.ValidFrom) {
		return false
	}
	return rs.ValidTo.IsZero() || !d.After(rs.ValidTo)
}

// Beneficiary is what eligibility rules look at.
type Beneficiary struct {
	Name                string
	LegalForm           string
	CommuneType         string // type of today's commune: commune, ward, special_zone; "" when unknown
	WomenOwned          bool
	EthnicMinorityOwned bool
	CraftVillage        bool
	Artisan             bool
}

// PriorityGroups returns the priority groups the beneficiary belongs to.
func (b Beneficiary) PriorityGroups() []string {
	var g []string
	if b.WomenOwned {
		g = append(g, "women_owned")
	}
	if b.EthnicMinorityOwned {
		g = append(g, "ethnic_minority_owned")
	}
	if b.CraftVillage {
		g = append(g, "craft_village")
	}
	if b.Artisan {
		g = append(g, "artisan")
	}
	return g
}

// Prioritised returns, sorted, the groups among groups that rs gives
// priority to (none when rs lists no priority groups).
func (rs *RuleSet) Prioritised(groups []string) []string {
	out := []string{}
	for _, g := range groups {
		if slices.Contains(rs.Eligibility.PriorityGroups, g) && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	slices.Sort(out)
	return out
}

// CheckBeneficiary returns an EINVALID error naming the rule when b is not
// eligible under rs.
func (rs *RuleSet) CheckBeneficiary(b Beneficiary) error {
	e := rs.Eligibility
	if len(e.LegalForms) > 0 && !slices.Contains(e.LegalForms, b.LegalForm) {
		return Errorf(EINVALID, "err.nipp.legal_form_not_eligible", b.Name, NameOf("legal", b.LegalForm), rs.Code, rs.LegalBasis)
	}
	if len(e.UnitTypes) > 0 {
		if b.CommuneType == "" {
			return Errorf(EINVALID, "err.nipp.commune_unknown_area", b.Name, rs.Code)
		}
		if !slices.Contains(e.UnitTypes, b.CommuneType) {
			types := make([]Name, len(e.UnitTypes))
			for i, t := range e.UnitTypes {
				types[i] = NameOf("vocab", t)
			}
			return Errorf(EINVALID, "err.nipp.area_not_eligible", b.Name, NameOf("vocab", b.CommuneType), types, rs.Code, rs.LegalBasis)
		}
	}
	return nil
}

// String names the rule set for messages.
func (rs *RuleSet) String() string { return fmt.Sprintf("%s (%s)", rs.Code, rs.LegalBasis) }

// The vocabularies of rule-set files. A rule set may only use these values;
// a new kind of value needs a code change because code acts on it. Legal
// forms come from LegalForms() (establishment.go), the registry's list.
var (
	// CommuneTypes are the types of the 2025 communes.
	CommuneTypes = []string{"commune", "ward", "special_zone"}
	// PriorityGroupCodes are the priority groups beneficiaries may belong to.
	PriorityGroupCodes = []string{"women_owned", "ethnic_minority_owned", "craft_village", "artisan"}
	// AdvanceSources are the funding sources advances are paid from.
	AdvanceSources = []string{SourceNational, SourceLocal}
	// ApprovalActions are the decisions whose authority a rule set names.
	ApprovalActions = []string{"program", "annual_plan", "project", "change_content", "change_budget", "acceptance", "settlement"}
	// ApprovalLevels: national projects (national funds) or local ones.
	ApprovalLevels = []string{"national", "local"}
	// Authorities are who may decide.
	Authorities = []string{"prime_minister", "ministry", "central_agency", "provincial_committee", "provincial_department", "implementing_superior", "implementing_unit"}
)

// AdvanceLimit bounds the advances paid to a project from one funding
// source, as shares of the state support approved from that source: the
// first tranche, and all tranches before acceptance together. The rest
// (10000 - CumulativeMaxBP) is paid after acceptance.
type AdvanceLimit struct {
	FundingSource   string `json:"funding_source"`
	FirstMaxBP      int    `json:"first_max_bp"`
	CumulativeMaxBP int    `json:"cumulative_max_bp"`
	// Article is where the legal texts set the limit (an article of a
	// decree or circular); refusals cite it. Empty: the rule set's legal
	// basis is cited.
	Article string `json:"article,omitempty"`
	Note    string `json:"note,omitempty"`
}

// AfterAcceptanceBP is the share paid only after acceptance.
func (l AdvanceLimit) AfterAcceptanceBP() int { return 10000 - l.CumulativeMaxBP }

// ApprovalRule says who decides an action for a project level. For changes
// (change_content, change_budget), MaxChangeBP bounds the share of the
// approved state support the authority may change on its own; 0 means
// without a bound. Several rules for one action and level form steps: the
// one with the smallest bound that covers the change applies.
type ApprovalRule struct {
	Action      string `json:"action"`
	Level       string `json:"level"`
	Authority   string `json:"authority"`
	MaxChangeBP int    `json:"max_change_bp,omitempty"`
	Note        string `json:"note,omitempty"`
}

// AdvanceLimit returns the advance limit for a funding source.
func (rs *RuleSet) AdvanceLimit(source string) (AdvanceLimit, bool) {
	for _, l := range rs.AdvanceLimits {
		if l.FundingSource == source {
			return l, true
		}
	}
	return AdvanceLimit{}, false
}

// Approver returns the rule naming who decides action for a project of the
// level; changeBP is the size of a change as a share of the approved state
// support (0 for decisions that are not changes).
func (rs *RuleSet) Approver(action, level string, changeBP int) (ApprovalRule, bool) {
	var best ApprovalRule
	found := false
	for _, r := range rs.Approvals {
		if r.Action != action || r.Level != level {
			continue
		}
		if r.MaxChangeBP > 0 && changeBP > r.MaxChangeBP {
			continue
		}
		if !found || bound(r.MaxChangeBP) < bound(best.MaxChangeBP) {
			best, found = r, true
		}
	}
	return best, found
}

func bound(bp int) int {
	if bp == 0 {
		return 1 << 30
	}
	return bp
}

// EligibilityResult is the outcome of an eligibility check that passed.
// Groups are all the groups the beneficiary belongs to (reports count
// them); PriorityGroups those among them the rule set gives priority to
// (appraisal weighs them).
type EligibilityResult struct {
	RuleSet        string   `json:"rule_set"`
	LegalBasis     string   `json:"legal_basis"`
	Establishment  string   `json:"establishment"`
	LegalForm      string   `json:"legal_form"`
	CommuneType    string   `json:"commune_type"`
	Eligible       bool     `json:"eligible"`
	Groups         []string `json:"groups"`
	Priority       bool     `json:"priority"`
	PriorityGroups []string `json:"priority_groups"`
}

// Assess checks b under rs: an EINVALID error naming the rule when b is not
// eligible, otherwise the result with b's groups and the priority groups
// among them.
func (rs *RuleSet) Assess(b Beneficiary) (EligibilityResult, error) {
	res := EligibilityResult{RuleSet: rs.Code, LegalBasis: rs.LegalBasis, Establishment: b.Name, LegalForm: b.LegalForm,
		CommuneType: b.CommuneType, Groups: []string{}, PriorityGroups: []string{}}
	if err := rs.CheckBeneficiary(b); err != nil {
		return res, err
	}
	res.Eligible = true
	for _, g := range b.PriorityGroups() {
		res.Groups = append(res.Groups, g)
		if slices.Contains(rs.Eligibility.PriorityGroups, g) {
			res.PriorityGroups = append(res.PriorityGroups, g)
		}
	}
	res.Priority = len(res.PriorityGroups) > 0
	return res, nil
}

// RuleSetSummary is a rule set in a list: its identity and when it was
// loaded, without the rules.
type RuleSetSummary struct {
	ID         int64  `json:"-"`
	Code       string `json:"code"`
	NameVI     string `json:"name_vi"`
	NameEN     string `json:"name_en"`
	LegalBasis string `json:"legal_basis"`
	// LegalBasisEN is the English legal basis ("" when none was given).
	LegalBasisEN string    `json:"legal_basis_en,omitempty"`
	ValidFrom    Date      `json:"valid_from"`
	ValidTo      Date      `json:"valid_to"`
	LoadedAt     time.Time `json:"loaded_at"`
	Source       string    `json:"source"`
	Projects     int       `json:"projects"` // projects pinned to it
}
