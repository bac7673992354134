package nipp

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
	Revision     int      `json:"revision"`
	DecisionNo   string   `json:"decision_no"`
	DecisionDate Date     `json:"decision_date"`
	Note         string   `json:"note"`
	Targets      []Target `json:"targets"`
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
