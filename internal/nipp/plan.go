package nipp

import (
	"slices"
	"strings"
	"time"
)

// AnnualPlan is a year's national plan: the provinces' proposals (national
// funds requested) compiled against the national budget ceiling.
type AnnualPlan struct {
	Year        int       `json:"year"`
	Ceiling     int64     `json:"ceiling"`
	HasCeiling  bool      `json:"has_ceiling"`
	Note        string    `json:"note"`
	Version     int       `json:"version"`
	UpdatedAt   time.Time `json:"updated_at"`
	ByProvince  []PlanRow `json:"by_province"`
	ByActivity  []PlanRow `json:"by_activity"`
	Projects    int       `json:"projects"`
	Proposed    int64     `json:"proposed"` // national funds requested by proposals in the plan
	Approved    int64     `json:"approved"` // national funds approved
	OverCeiling bool      `json:"over_ceiling"`
	// Excluded lists the codes of projects left out of every total because
	// an amount is out of range (negative or above MaxAmount, written before
	// amounts were bounded) or would make a total overflow.
	Excluded []string `json:"excluded_projects"`
	// Partial is set when the plan is shown for some provinces only.
	Partial bool `json:"partial"`
	// Beneficiaries is the number of establishments benefiting from the
	// plan's projects; ByGroup counts them per priority group.
	Beneficiaries int          `json:"beneficiaries"`
	ByGroup       []GroupCount `json:"by_priority_group"`
}

// GroupCount counts establishments in one priority group: Members
// belonged to it when they were added to a project (a fact from the
// registry), Prioritised were in it under a rule set that gives it
// priority (what appraisal weighs). In a plan each establishment counts
// once however many projects it is in.
type GroupCount struct {
	Group       string `json:"group"`
	Members     int    `json:"members"`
	Prioritised int    `json:"prioritised"`
}

// CountGroups counts beneficiaries per priority group, in the order of
// PriorityGroupCodes, leaving out groups nobody is in.
func CountGroups(bs []ProjectBeneficiary) []GroupCount {
	var out []GroupCount
	for _, g := range PriorityGroupCodes {
		c := GroupCount{Group: g}
		for _, b := range bs {
			if slices.Contains(b.Groups, g) {
				c.Members++
			}
			if slices.Contains(b.PriorityGroups, g) {
				c.Prioritised++
			}
		}
		if c.Members > 0 || c.Prioritised > 0 {
			out = append(out, c)
		}
	}
	return out
}

// PlanRow is one line of a plan's totals.
type PlanRow struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Projects int    `json:"projects"`
	Proposed int64  `json:"proposed"`
	Approved int64  `json:"approved"`
}

// PlanProject is one project of a plan with its national amounts, as read:
// Bad is set when an amount was out of range (below zero, above
// MaxAmount) or its own lines overflowed.
type PlanProject struct {
	Code, Province, ProvinceName, Activity, ActivityName string
	Proposed, Approved                                   int64
	Bad                                                  bool
}

// AddProjects adds the projects to the plan's totals, per province and
// per activity type, and sets OverCeiling. A bad project, or one whose
// amounts would make a total overflow, is left out of every total and
// listed in Excluded, so the plan always answers.
func (pl *AnnualPlan) AddProjects(projects []PlanProject) {
	byProv, byAct := map[string]*PlanRow{}, map[string]*PlanRow{}
	add := func(m map[string]*PlanRow, code, name string, pp PlanProject) {
		r := m[code]
		if r == nil {
			r = &PlanRow{Code: code, Name: name}
			m[code] = r
		}
		// Cannot overflow: every amount is non-negative and the plan's
		// total, which bounds this one, did not.
		r.Projects++
		r.Proposed, _ = AddVND(r.Proposed, pp.Proposed)
		r.Approved, _ = AddVND(r.Approved, pp.Approved)
	}
	for _, pp := range projects {
		proposed, ok1 := AddVND(pl.Proposed, pp.Proposed)
		approved, ok2 := AddVND(pl.Approved, pp.Approved)
		if pp.Bad || !ok1 || !ok2 {
			pl.Excluded = append(pl.Excluded, pp.Code)
			continue
		}
		pl.Projects++
		pl.Proposed, pl.Approved = proposed, approved
		add(byProv, pp.Province, pp.ProvinceName, pp)
		add(byAct, pp.Activity, pp.ActivityName, pp)
	}
	pl.ByProvince, pl.ByActivity = planRows(byProv), planRows(byAct)
	pl.OverCeiling = pl.HasCeiling && pl.Approved > pl.Ceiling
}

// planRows returns a plan's rows ordered by code.
func planRows(m map[string]*PlanRow) []PlanRow {
	out := make([]PlanRow, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b PlanRow) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// Attachment is a file attached to a project (proposal documents,
// decisions, acceptance minutes).
type Attachment struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedBy  string    `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// AttachmentKinds lists the kinds of attachment.
func AttachmentKinds() []string {
	return []string{"proposal", "decision", "acceptance", "settlement", "other"}
}
