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
	// ApprovedBy is the approving body in Vietnamese ("Thủ tướng Chính
	// phủ", "UBND tỉnh Ninh Bình"); ApprovedByEN in English, may be empty.
	ApprovedBy   string `json:"approved_by"`
	ApprovedByEN string `json:"approved_by_en"`
	// ProvinceCode (2025 code) and ProvinceName are set for local programs.
	ProvinceCode string `json:"province,omitempty"`
	ProvinceName string `json:"province_name,omitempty"`
	Note         string `json:"note"`
	Version      int    `json:"version"`
	// Targets of the revision in force; nil when the program has none yet.
	Targets *TargetRevision `json:"targets,omitempty"`
}

// Program levels.
const (
	ProgramNational = "national"
	ProgramLocal    = "local"
)

// InPeriod reports whether year falls within the program's period.
func (p *Program) InPeriod(year int) bool { return year >= p.StartYear && year <= p.EndYear }

// CheckProjectYear refuses a project year outside its program's period.
func (p *Program) CheckProjectYear(year int) error {
	if !p.InPeriod(year) {
		return FieldError("year", "err.store.year_outside_program_s_period", year, p.StartYear, p.EndYear)
	}
	return nil
}

// EditableBy reports whether pr may edit the program and revise its
// targets: national programs need PermReferenceEdit (the ministry); a
// local program also its province's officers (PermProgramEdit in scope).
func (p *Program) EditableBy(pr *Principal) bool {
	if pr.Can(PermReferenceEdit) {
		return true
	}
	return p.Level == ProgramLocal && p.ProvinceCode != "" && pr.Can(PermProgramEdit) && pr.InProvince(p.ProvinceCode)
}

// ValidateLocalProgram checks a local program's fields as entered.
func ValidateLocalProgram(p *Program) error {
	p.Code = strings.ToUpper(strings.TrimSpace(p.Code))
	p.NameVI, p.NameEN = strings.TrimSpace(p.NameVI), strings.TrimSpace(p.NameEN)
	p.DecisionNo, p.ApprovedBy, p.ApprovedByEN = strings.TrimSpace(p.DecisionNo), strings.TrimSpace(p.ApprovedBy), strings.TrimSpace(p.ApprovedByEN)
	p.Note = strings.TrimSpace(p.Note)
	// Every problem at once, each naming its field.
	var errs []*Error
	for _, f := range []TextField{{"name_vi", p.NameVI, MaxNameLen, false}, {"name_en", p.NameEN, MaxNameLen, false},
		{"decision_no", p.DecisionNo, MaxCodeLen, false}, {"approved_by", p.ApprovedBy, MaxAddressLen, false},
		{"approved_by_en", p.ApprovedByEN, MaxAddressLen, false}, {"note", p.Note, MaxNoteLen, true},
		{"province", p.ProvinceCode, MaxCodeLen, false}} {
		if err := CheckText(f.Name, f.Value, f.Max, f.MultiLine); err != nil {
			errs = append(errs, err)
		}
	}
	if err := CheckDate("decision_date", p.DecisionDate); err != nil {
		errs = append(errs, err)
	}
	switch {
	case p.Code == "":
		errs = append(errs, FieldError("code", "err.nipp.program_code_required"))
	case len(p.Code) > 40 || strings.Trim(p.Code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" || !strings.ContainsAny(p.Code[:1], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"):
		errs = append(errs, FieldError("code", "err.nipp.code_takes_capital_letters_digits"))
	}
	if p.ProvinceCode == "" {
		errs = append(errs, FieldError("province", "err.nipp.province_required_2"))
	}
	if p.NameVI == "" {
		errs = append(errs, FieldError("name_vi", "err.nipp.program_name_required"))
	}
	if p.StartYear < 2000 || p.StartYear > 2100 {
		errs = append(errs, FieldError("start_year", "err.nipp.invalid_start_year"))
	} else if p.EndYear < p.StartYear || p.EndYear > p.StartYear+10 {
		errs = append(errs, FieldError("end_year", "err.nipp.end_year_must_within_ten"))
	}
	if p.DecisionNo == "" {
		errs = append(errs, FieldError("decision_no", "err.nipp.approving_decision_number_required"))
	}
	if p.DecisionDate.IsZero() {
		errs = append(errs, FieldError("decision_date", "err.nipp.valid_decision_date_required_dd"))
	}
	if p.ApprovedBy == "" {
		errs = append(errs, FieldError("approved_by", "err.nipp.approving_body_required_ubnd_t"))
	}
	if len(errs) > 0 {
		return Join(errs...)
	}
	p.Level = ProgramLocal
	return nil
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
		return FieldError("decision_no", "err.nipp.decision_number_required")
	}
	if rev.DecisionDate.IsZero() {
		return FieldError("decision_date", "err.nipp.decision_date_required")
	}
	if err := CheckTexts(TextField{"decision_no", rev.DecisionNo, MaxCodeLen, false}, TextField{"note", rev.Note, MaxNoteLen, true}); err != nil {
		return err
	}
	if err := CheckDate("decision_date", rev.DecisionDate); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, t := range rev.Targets {
		if t.Value < 0 {
			return FieldError(t.IndicatorCode, "err.nipp.target_cannot_negative")
		}
		if t.Year != 0 && !p.InPeriod(t.Year) {
			return FieldError(t.IndicatorCode, "err.nipp.year_outside", t.Year, p.StartYear, p.EndYear)
		}
		if p.Level == ProgramLocal && t.ProvinceCode != "" && t.ProvinceCode != p.ProvinceCode {
			return FieldError(t.IndicatorCode, "err.nipp.local_program_has_targets_its", p.ProvinceCode)
		}
		if seen[t.Key()] {
			return FieldError(t.IndicatorCode, "err.nipp.target_repeated")
		}
		seen[t.Key()] = true
	}
	return nil
}

// Indicator is an output indicator targets are set for.
type Indicator struct {
	Code, NameVI, NameEN, UnitVI, UnitEN string
}

// ProgramFilter selects programs for lists.
type ProgramFilter struct {
	Level    string // "national", "local" or "" for both
	Province string // 2025 province code: local programs of that province (national ones are unaffected)
}
