package nipp

import (
	"fmt"
	"slices"
	"strings"
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
	ID          int64        `json:"-"`
	Code        string       `json:"code"`
	NameVI      string       `json:"name_vi"`
	NameEN      string       `json:"name_en"`
	LegalBasis  string       `json:"legal_basis"`
	ValidFrom   Date         `json:"valid_from"`
	ValidTo     Date         `json:"valid_to"` // zero: open-ended
	Eligibility Eligibility  `json:"eligibility"`
	Caps        []SupportCap `json:"caps"`
}

// Eligibility says who may benefit under a rule set. Empty lists mean "no
// restriction".
type Eligibility struct {
	LegalForms     []string `json:"legal_forms"`     // enterprise, cooperative, cooperative_group, household
	UnitTypes      []string `json:"unit_types"`      // commune, ward, special_zone (2025 commune types)
	PriorityGroups []string `json:"priority_groups"` // women_owned, ethnic_minority_owned, craft_village, artisan
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
	byShare := totalCost * int64(c.MaxShareBP) / 10000
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

// CheckBeneficiary returns an EINVALID error naming the rule when b is not
// eligible under rs.
func (rs *RuleSet) CheckBeneficiary(b Beneficiary) error {
	e := rs.Eligibility
	if len(e.LegalForms) > 0 && !slices.Contains(e.LegalForms, b.LegalForm) {
		return Errorf(EINVALID, "%s: loại hình %q không thuộc đối tượng được hỗ trợ theo %s (%s) / legal form %q is not eligible under %s (%s)",
			b.Name, b.LegalForm, rs.Code, rs.LegalBasis, b.LegalForm, rs.Code, rs.LegalBasis)
	}
	if len(e.UnitTypes) > 0 {
		if b.CommuneType == "" {
			return Errorf(EINVALID, "%s: chưa có xã/phường nên không kiểm tra được địa bàn theo %s / the commune is unknown, so the area rule of %s cannot be checked", b.Name, rs.Code, rs.Code)
		}
		if !slices.Contains(e.UnitTypes, b.CommuneType) {
			return Errorf(EINVALID, "%s: địa bàn loại %q nằm ngoài địa bàn được hỗ trợ (%s) theo %s (%s) / a %s is outside the eligible area (%s) under %s (%s)",
				b.Name, b.CommuneType, strings.Join(e.UnitTypes, ", "), rs.Code, rs.LegalBasis, b.CommuneType, strings.Join(e.UnitTypes, ", "), rs.Code, rs.LegalBasis)
		}
	}
	return nil
}

// String names the rule set for messages.
func (rs *RuleSet) String() string { return fmt.Sprintf("%s (%s)", rs.Code, rs.LegalBasis) }
