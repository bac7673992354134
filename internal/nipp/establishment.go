package nipp

import (
	"strings"
	"time"
)

// Legal forms of establishments.
const (
	LegalEnterprise       = "enterprise"
	LegalCooperative      = "cooperative"
	LegalCooperativeGroup = "cooperative_group"
	LegalHousehold        = "household"
)

// LegalForms lists the legal forms in display order.
func LegalForms() []string {
	return []string{LegalEnterprise, LegalCooperative, LegalCooperativeGroup, LegalHousehold}
}

// Establishment statuses.
const (
	EstActive   = "active"
	EstInactive = "inactive"
	EstArchived = "archived"
)

// EstablishmentStatuses lists the statuses in display order.
func EstablishmentStatuses() []string { return []string{EstActive, EstInactive, EstArchived} }

// Unit is an administrative unit as a record shows it.
type Unit struct {
	ID         int64  `json:"-"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Generation int    `json:"generation"`
	Type       string `json:"type,omitempty"`
}

// Establishment is a rural industrial establishment (cơ sở công nghiệp
// nông thôn). Province and Commune are today's units (generation 2025);
// OrigProvince and OrigCommune the units at the time it was recorded.
type Establishment struct {
	ID                  int64     `json:"-"`
	PublicID            string    `json:"id"`
	Name                string    `json:"name"`
	LegalForm           string    `json:"legal_form"`
	TaxCode             string    `json:"tax_code,omitempty"`
	ExtID               string    `json:"ext_id,omitempty"`
	Province            Unit      `json:"province"`
	OrigProvince        Unit      `json:"orig_province"`
	Commune             *Unit     `json:"commune,omitempty"`
	OrigCommune         *Unit     `json:"orig_commune,omitempty"`
	Address             string    `json:"address,omitempty"`
	SectorCode          string    `json:"sector_code,omitempty"`
	CraftVillage        string    `json:"craft_village,omitempty"`
	Employees           *int64    `json:"employees,omitempty"`
	FoundedYear         *int64    `json:"founded_year,omitempty"`
	ContactName         string    `json:"contact_name,omitempty"`
	Phone               string    `json:"phone,omitempty"`
	Email               string    `json:"email,omitempty"`
	WomenOwned          bool      `json:"women_owned"`
	EthnicMinorityOwned bool      `json:"ethnic_minority_owned"`
	Artisan             bool      `json:"artisan"`
	Status              string    `json:"status"`
	Published           bool      `json:"published"`
	RecordedOn          Date      `json:"recorded_on"`
	RegisteredOn        Date      `json:"registered_on,omitzero"` // business registration date, when known
	ReviewDuplicate     bool      `json:"review_duplicate"`
	MergedInto          string    `json:"merged_into,omitempty"` // public id
	Version             int       `json:"version"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

// EstablishmentInput is what a form, the API or an import row gives for an
// establishment. Province and Commune are typed names or codes, resolved
// with the record's date (RecordedOn, today when zero).
type EstablishmentInput struct {
	Name                string `json:"name"`
	LegalForm           string `json:"legal_form"`
	TaxCode             string `json:"tax_code"`
	ExtID               string `json:"ext_id"`
	Province            string `json:"province"`
	Commune             string `json:"commune"`
	Address             string `json:"address"`
	SectorCode          string `json:"sector_code"`
	CraftVillage        string `json:"craft_village"`
	Employees           *int64 `json:"employees"`
	FoundedYear         *int64 `json:"founded_year"`
	ContactName         string `json:"contact_name"`
	Phone               string `json:"phone"`
	Email               string `json:"email"`
	WomenOwned          bool   `json:"women_owned"`
	EthnicMinorityOwned bool   `json:"ethnic_minority_owned"`
	Artisan             bool   `json:"artisan"`
	Status              string `json:"status"`
	Published           bool   `json:"published"`
	RecordedOn          Date   `json:"recorded_on"`
	RegisteredOn        Date   `json:"registered_on,omitzero"`
	// CommuneCode, when set, picks the 2025 commune among the candidates of
	// an old commune that was split (the user's choice in the form).
	CommuneCode string `json:"commune_code,omitempty"`
	// Version is the version the edit started from (updates only).
	Version int `json:"version,omitempty"`
}

// textFields are the input's text fields with their limits.
func (in *EstablishmentInput) textFields() []TextField {
	return []TextField{
		{"name", in.Name, MaxNameLen, false}, {"legal_form", in.LegalForm, MaxCodeLen, false},
		{"tax_code", in.TaxCode, MaxCodeLen, false}, {"ext_id", in.ExtID, MaxCodeLen, false},
		{"province", in.Province, MaxNameLen, false}, {"commune", in.Commune, MaxNameLen, false},
		{"address", in.Address, MaxAddressLen, false}, {"sector_code", in.SectorCode, MaxCodeLen, false},
		{"craft_village", in.CraftVillage, MaxNameLen, false}, {"contact_name", in.ContactName, MaxNameLen, false},
		{"phone", in.Phone, MaxCodeLen, false}, {"email", in.Email, MaxNameLen, false},
		{"status", in.Status, MaxCodeLen, false}, {"commune_code", in.CommuneCode, MaxCodeLen, false},
	}
}

// Normalize trims the input's text fields and fills defaults.
func (in *EstablishmentInput) Normalize() {
	for _, p := range []*string{&in.Name, &in.LegalForm, &in.TaxCode, &in.ExtID, &in.Province, &in.Commune, &in.Address,
		&in.SectorCode, &in.CraftVillage, &in.ContactName, &in.Phone, &in.Email, &in.Status, &in.CommuneCode} {
		*p = strings.Join(strings.Fields(*p), " ")
	}
	in.Email = strings.ToLower(in.Email)
	if in.Status == "" {
		in.Status = EstActive
	}
}

// Validate checks the input's form (not the address, which needs the
// reference data). It returns one EINVALID error carrying every problem,
// each naming its field.
func (in *EstablishmentInput) Validate(today Date) error {
	return Join(in.ValidateAll(today)...)
}

// ValidateAll checks the input's form and returns every error, each a
// FieldError naming its field. It canonicalises the tax code.
func (in *EstablishmentInput) ValidateAll(today Date) []*Error {
	var errs []*Error
	if in.Name == "" {
		errs = append(errs, FieldError("name", "err.nipp.name_required"))
	}
	for _, f := range in.textFields() {
		if err := CheckText(f.Name, f.Value, f.Max, f.MultiLine); err != nil {
			errs = append(errs, err)
		}
	}
	if err := CheckDate("recorded_on", in.RecordedOn); err != nil {
		errs = append(errs, err)
	}
	if !validLegalForm(in.LegalForm) {
		errs = append(errs, FieldError("legal_form", "err.nipp.unknown_legal_form_enterprise_cooperative"))
	}
	if in.TaxCode != "" {
		if tc, err := normalizeTaxCode(in.TaxCode, in.LegalForm); err != nil {
			errs = append(errs, err)
		} else {
			in.TaxCode = tc
		}
	}
	if in.Province == "" {
		errs = append(errs, FieldError("province", "err.nipp.province_required"))
	}
	if in.Employees != nil && (*in.Employees < 0 || *in.Employees > 1_000_000) {
		errs = append(errs, FieldError("employees", "err.nipp.invalid_number_employees"))
	}
	if in.FoundedYear != nil && (*in.FoundedYear < 1800 || int(*in.FoundedYear) > today.Year) {
		errs = append(errs, FieldError("founded_year", "err.nipp.invalid_year_founded_1800_year"))
	}
	if in.Email != "" && (!strings.Contains(in.Email, "@") || strings.ContainsAny(in.Email, " ,;")) {
		errs = append(errs, FieldError("email", "err.nipp.not_valid_mail_address"))
	}
	switch in.Status {
	case EstActive, EstInactive, EstArchived:
	default:
		errs = append(errs, FieldError("status", "err.nipp.invalid_status"))
	}
	if in.RecordedOn.After(today) {
		errs = append(errs, FieldError("recorded_on", "err.nipp.recording_date_future"))
	}
	if in.RegisteredOn.After(today) {
		errs = append(errs, FieldError("registered_on", "err.nipp.registration_date_future"))
	}
	return errs
}

func validLegalForm(s string) bool {
	switch s {
	case LegalEnterprise, LegalCooperative, LegalCooperativeGroup, LegalHousehold:
		return true
	}
	return false
}

// normalizeTaxCode checks the form of a tax code and returns it in its
// canonical form. Accepted: 10 digits (an enterprise, cooperative or
// household business code), 10 digits, a dash and a 3-digit branch suffix
// ("0101234567-001"), and for household businesses a 12-digit personal
// identification number used as the tax code. Spaces, dots and a missing
// dash before the suffix (13 digits) are tolerated. Leading zeros lost by
// Excel are NOT restored here: that is the import's job (RestoreLeadingZero),
// where it knows the cell came from a spreadsheet.
func normalizeTaxCode(s, legalForm string) (string, *Error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '_':
		default:
			return "", FieldError("tax_code", "err.nipp.tax_code_has_digits_only")
		}
	}
	t := b.String()
	digits := strings.ReplaceAll(t, "-", "")
	switch {
	case len(t) == 10 && digits == t:
		return t, nil
	case len(t) == 14 && t[10] == '-' && len(digits) == 13:
		return t, nil
	case len(t) == 13 && digits == t:
		return t[:10] + "-" + t[10:], nil
	case len(t) == 12 && digits == t:
		if legalForm != "" && legalForm != LegalHousehold {
			return "", FieldError("tax_code", "err.nipp.12_digit_personal_id_tax")
		}
		return t, nil
	}
	return "", FieldError("tax_code", "err.nipp.tax_code_malformed_want_10", s)
}

// RestoreLeadingZero puts back the leading zero Excel drops when a tax code
// cell is numeric: a bare 9-digit number becomes a 10-digit code and an
// 11-digit one a 12-digit personal id. Every 10-digit Vietnamese tax code
// with a province prefix below 10 (Hà Nội 01, ...) and every personal id
// (province code 001..096) starts with 0, so a code of 9 or 11 digits can
// only have lost it. Other text is returned unchanged.
func RestoreLeadingZero(s string) string {
	t := strings.TrimSpace(s)
	if (len(t) == 9 || len(t) == 11) && allDigits(t) {
		return "0" + t
	}
	return s
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ParseLegalForm reads a legal form from what officers type: the codes
// themselves, Vietnamese words, abbreviations (HTX, HKD, THT, DNTN, Công ty
// TNHH/CP...) or English. folded must be vntext.Fold of the text with
// abbreviations expanded. It returns "" when nothing matches.
func ParseLegalForm(folded string) string {
	f := " " + folded + " "
	has := func(ws ...string) bool {
		for _, w := range ws {
			if strings.Contains(f, " "+w+" ") {
				return true
			}
		}
		return false
	}
	switch {
	case has("enterprise", "cooperative_group", "cooperative", "household"):
		for _, c := range []string{"cooperative_group", "cooperative", "household", "enterprise"} {
			if has(c) {
				if c == "cooperative" && has("group") {
					return LegalCooperativeGroup
				}
				return c
			}
		}
	case has("to hop tac", "cooperative group", "nhom hop tac"):
		return LegalCooperativeGroup
	case has("hop tac xa", "lien hiep hop tac xa", "coop"):
		return LegalCooperative
	case has("ho kinh doanh", "ho gia dinh", "ho ca the", "ca the", "household business", "co so ca the"):
		return LegalHousehold
	case has("cong ty", "doanh nghiep", "doanh nghiep tu nhan", "trach nhiem huu han", "co phan", "company", "enterprise", "private enterprise", "ltd", "jsc"):
		return LegalEnterprise
	}
	return ""
}

// Support is one support an establishment received.
type Support struct {
	Kind        string  `json:"kind"` // "project" (fairs, courses, awards later)
	PublicID    string  `json:"id"`
	Code        string  `json:"code"`
	Title       string  `json:"title"`
	ProgramVI   string  `json:"program"`
	ProgramEN   string  `json:"program_en"`
	Year        int     `json:"year"`
	ActivityVI  string  `json:"activity"`
	ActivityEN  string  `json:"activity_en"`
	State       string  `json:"state"`
	StateFunds  int64   `json:"state_funds"` // national + local, approved (planned before approval)
	Reciprocal  int64   `json:"reciprocal"`
	Published   bool    `json:"published"`
	ProvinceIDs []int64 `json:"-"`
	Decision    Date    `json:"decision_date"`
}

// Province is a province of one generation, for pickers.
type Province struct {
	Code string
	Name string
}
