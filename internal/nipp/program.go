package nipp

import (
	"fmt"
	"strings"
	"time"
)

// Program is a five-year (or local) industry promotion program.
type Program struct {
	ID           int64  `json:"-"`
	PublicID     string `json:"id"`
	Code         string `json:"code"`
	NameVI       string `json:"name_vi"`
	NameEN       string `json:"name_en"`
	Level        string `json:"level"`
	StartYear    int    `json:"start_year"`
	EndYear      int    `json:"end_year"`
	DecisionNo   string `json:"decision_no"`
	DecisionDate Date   `json:"decision_date"`
	ApprovedBy   string `json:"approved_by"`
	// Targets of the revision in force; nil when the program has none yet.
	Targets *TargetRevision `json:"targets"`
}

// TargetRevision is one version of a program's targets.
type TargetRevision struct {
	ID           int64     `json:"-"`
	Revision     int       `json:"revision"`
	CreatedBy    string    `json:"created_by,omitempty"` // e-mail of who entered it; "" for the embedded data
	CreatedAt    time.Time `json:"created_at"`
	DecisionNo   string    `json:"decision_no"`
	DecisionDate Date      `json:"decision_date"`
	Note         string    `json:"note"`
	Targets      []Target  `json:"targets"`
}

// Target is a national (or provincial, yearly) target for one indicator.
type Target struct {
	IndicatorCode string `json:"indicator"`
	NameVI        string `json:"name_vi"`
	NameEN        string `json:"name_en"`
	UnitVI        string `json:"unit_vi"`
	UnitEN        string `json:"unit_en"`
	ProvinceCode  string `json:"province,omitempty"`
	Year          int    `json:"year,omitempty"`
	Value         int64  `json:"value"`
}

// Key identifies a target within a revision.
func (t Target) Key() string {
	return fmt.Sprintf("%s/%s/%d", t.IndicatorCode, t.ProvinceCode, t.Year)
}

// TargetChange is one difference between two revisions.
type TargetChange struct {
	Target
	Old    int64 `json:"old"`
	OldSet bool  `json:"old_set"` // false: the target is new
	NewSet bool  `json:"new_set"` // false: the target was dropped
}

// DiffTargets lists what changed from prev to next (prev may be nil).
func DiffTargets(prev, next *TargetRevision) []TargetChange {
	old := map[string]Target{}
	if prev != nil {
		for _, t := range prev.Targets {
			old[t.Key()] = t
		}
	}
	var out []TargetChange
	for _, t := range next.Targets {
		o, ok := old[t.Key()]
		delete(old, t.Key())
		if ok && o.Value == t.Value {
			continue
		}
		out = append(out, TargetChange{Target: t, Old: o.Value, OldSet: ok, NewSet: true})
	}
	if prev != nil {
		for _, t := range prev.Targets {
			if _, gone := old[t.Key()]; gone {
				out = append(out, TargetChange{Target: t, Old: t.Value, OldSet: true})
			}
		}
	}
	return out
}

// ValidateRevision checks a new revision's decision and targets.
func ValidateRevision(p *Program, rev *TargetRevision) error {
	if strings.TrimSpace(rev.DecisionNo) == "" {
		return FieldError("decision_no", "cần số quyết định / the decision number is required")
	}
	if rev.DecisionDate.IsZero() {
		return FieldError("decision_date", "cần ngày quyết định / the decision date is required")
	}
	seen := map[string]bool{}
	for _, t := range rev.Targets {
		if t.Value < 0 {
			return FieldError(t.IndicatorCode, "mục tiêu không được âm / a target cannot be negative")
		}
		if t.Year != 0 && (t.Year < p.StartYear || t.Year > p.EndYear) {
			return FieldError(t.IndicatorCode, "năm %d ngoài giai đoạn %d-%d / year %d is outside %d-%d", t.Year, p.StartYear, p.EndYear, t.Year, p.StartYear, p.EndYear)
		}
		if seen[t.Key()] {
			return FieldError(t.IndicatorCode, "mục tiêu lặp lại / target repeated")
		}
		seen[t.Key()] = true
	}
	return nil
}
