package nipp

// Organization is an agency or unit of the program (ministry, central
// agency, provincial department, promotion center), a dated record: its
// names change over time and a merged province's units continue in a
// successor.
type Organization struct {
	ID           int64     `json:"-"`
	Code         string    `json:"code"`
	Kind         string    `json:"kind"`
	NameVI       string    `json:"name_vi"` // the current name
	NameEN       string    `json:"name_en"`
	ProvinceCode string    `json:"province,omitempty"`
	ProvinceGen  int       `json:"province_generation,omitempty"`
	ParentCode   string    `json:"parent,omitempty"`
	Successor    string    `json:"successor,omitempty"` // code of the unit it continues in
	ValidFrom    Date      `json:"valid_from"`
	ValidTo      Date      `json:"valid_to"` // zero: still active
	Names        []OrgName `json:"names,omitempty"`
	Predecessors []string  `json:"predecessors,omitempty"` // codes of units continued by this one
}

// OrgName is an organisation's name over a period.
type OrgName struct {
	ValidFrom  Date   `json:"valid_from"`
	ValidTo    Date   `json:"valid_to"`
	NameVI     string `json:"name_vi"`
	NameEN     string `json:"name_en"`
	LegalBasis string `json:"legal_basis,omitempty"`
	// LegalBasisEN is the legal basis in English ("" when none).
	LegalBasisEN string `json:"legal_basis_en,omitempty"`
}

// OrganizationFilter narrows FindOrganizations. Empty fields do not filter.
type OrganizationFilter struct {
	Kind         string
	ProvinceCode string // 2008 or 2025 code
	Active       *bool  // only active (true) or ended (false) units
}
