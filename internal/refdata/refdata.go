// Package refdata holds nipp's built-in reference data and loads it.
//
// The data is embedded CSV (UTF-8, NFC, comma-separated, header line) in the
// data/ directory of this package:
//
//   - provinces_63.csv, provinces_34.csv, province_merge_2025.csv,
//     communes_2025.csv, commune_merge_2025.csv: Vietnam's administrative units
//     before and after the 1 July 2025 reorganisation, copied unchanged from the
//     project's shared data set (see its README for sources and confidence).
//   - regions.csv: the six GSO socio-economic regions.
//   - activity_types.csv: kinds of industry promotion activity, in groups.
//   - indicators.csv: output indicators (the national targets and a few more).
//   - programs.csv: national industry promotion programs.
//   - targets.csv: program targets; only those stated in our sources (the ten
//     national targets of 2021-2025, Decision 1881/QĐ-TTg).
//
// Load parses every file, checks every cross-reference and returns the data in
// file order. The reference lists are the initial content of the system: they
// are data, to be copied into the store and amended there, not constants.
package refdata

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed data/*.csv
var files embed.FS

// Validity dates of the two province sets.
const (
	// Provinces63ValidTo is the last day of the 63 provincial units.
	Provinces63ValidTo = "2025-06-30"
	// Provinces34ValidFrom is the first day of the 34 provincial units
	// (Resolution 202/2025/QH15) and of the 3,321 communes.
	Provinces34ValidFrom = "2025-07-01"
)

// Region is one of the six GSO socio-economic regions.
type Region struct {
	Code   string // short stable code: RRD, NMM, NCC, CH, SE, MRD
	NameVI string
	NameEN string
	Sort   int
}

// Province is a provincial-level unit (tỉnh or thành phố trực thuộc trung
// ương), either of the 63 in force until 30 June 2025 or of the 34 in force
// from 1 July 2025.
type Province struct {
	Code       string // 2-digit GSO code
	NameVI     string // short name, e.g. "Hà Giang"
	NameEN     string // short name without diacritics, e.g. "Ha Giang"
	NameVIFull string // e.g. "Tỉnh Hà Giang"
	NameENFull string // e.g. "Ha Giang Province"
	Type       string // "city" (centrally-run city) or "province"

	// RegionCode is the socio-economic region (Region.Code).
	//
	// For the 63 set it is GSO's classification. The 34 set has no official
	// region in our sources: RegionCode is the region of the old unit that
	// hosts the new administrative centre (whose code the new unit keeps).
	// This is a convention of this package, not an official classification.
	// Seven new units span two regions and take the centre's:
	// Bắc Ninh 24 NMM (centre in former Bắc Giang; old Bắc Ninh was RRD),
	// Phú Thọ 25 NMM (old Vĩnh Phúc was RRD), Quảng Ngãi 51 NCC (old Kon
	// Tum was CH), Gia Lai 52 NCC (centre Quy Nhơn in former Bình Định; old
	// Gia Lai was CH), Đắk Lắk 66 CH (old Phú Yên was NCC), Lâm Đồng 68 CH
	// (old Bình Thuận was NCC) and Tây Ninh 80 MRD (centre in former Long
	// An; old Tây Ninh was SE). For regional figures that must not shift,
	// aggregate by the 63-set units.
	RegionCode string

	ValidFrom string // "YYYY-MM-DD" or "" if not recorded; 34 set: "2025-07-01"
	ValidTo   string // "YYYY-MM-DD" or "" while in force; 63 set: "2025-06-30"

	// Successor is, for the 63 set only, the code of the 34-set unit the
	// whole province went into.
	Successor string
	// MergedFrom is, for the 34 set only, the codes of the 63-set units that
	// form it, in the order of provinces_34.csv (the unit hosting the
	// administrative centre first).
	MergedFrom []string
}

// Commune is a commune-level unit in force from 1 July 2025.
type Commune struct {
	Code         string // 5-digit GSO code
	NameVI       string // full name, e.g. "Phường Ba Đình"
	Type         string // "commune" (xã), "ward" (phường) or "special_zone" (đặc khu)
	ProvinceCode string // code of a 34-set province
}

// OldCommune is a commune-level unit of the GSO list dated 1 March 2025 (in
// force until 30 June 2025), or one of five island districts that had no
// communes, with the 2025 communes it went into.
//
// Successors normally lie in the 34-set successor of ProvinceCode; the source
// has one known exception (old 30622 Xã Tân Phú, An Giang, mapped to a commune
// of Đồng Tháp), which is probably a source error and is kept as is.
type OldCommune struct {
	Code         string // 5-digit commune code, or 3-digit district code
	Level        string // "commune" or "district"
	NameVI       string // full name, e.g. "Phường Phúc Xá" or "Huyện Côn Đảo"
	ProvinceCode string // code of a 63-set province
	Successors   []CommuneShare
}

// CommuneShare is one 2025 commune that an old unit went into.
type CommuneShare struct {
	NewCode string // Commune.Code
	Share   string // "full" (the whole old unit) or "partial" (part of it)
}

// ActivityType is a kind of industry promotion activity. A row whose
// GroupCode is empty is a group; other rows are kinds within a group.
type ActivityType struct {
	Code      string
	GroupCode string
	NameVI    string
	NameEN    string
	Sort      int
	// What a project of this kind must have before it is submitted: a
	// beneficiary establishment (support that goes to one establishment:
	// demonstration models, machinery, technology lines...) and planned
	// outputs (every kind an indicator measures). Kinds only.
	NeedsBeneficiary, NeedsOutputs bool
}

// Indicator is a countable output of industry promotion, used for targets and
// for the outputs of projects.
type Indicator struct {
	Code             string
	NameVI           string
	NameEN           string
	UnitVI           string
	UnitEN           string
	ActivityTypeCode string // the activity type that mainly produces it
	Sort             int
}

// Program is an industry promotion program over a period.
type Program struct {
	Code         string // e.g. "NIPP-2021-2025"
	NameVI       string
	NameEN       string
	Level        string // "national" or "local"
	StartYear    int
	EndYear      int
	DecisionNo   string // approving decision, e.g. "1881/QĐ-TTg"
	DecisionDate string // "YYYY-MM-DD"
	ApprovedBy   string // in Vietnamese, e.g. "Thủ tướng Chính phủ"
	ApprovedByEN string // e.g. "Prime Minister"
	Note         string
}

// Target is the value a program sets for an indicator over its whole period,
// with the decision that set it.
type Target struct {
	ProgramCode   string
	IndicatorCode string
	Value         int64
	DecisionNo    string
	DecisionDate  string // "YYYY-MM-DD"
}

// Data is the whole reference data set, each list in file order.
type Data struct {
	Regions       []Region
	Provinces63   []Province
	Provinces34   []Province
	Communes      []Commune
	OldCommunes   []OldCommune
	ActivityTypes []ActivityType
	Indicators    []Indicator
	Programs      []Program
	Targets       []Target
}

// Load parses every embedded file, checks the cross-references between them
// and returns the data. Each call returns a new, independent Data. Any
// problem is reported as an *Error naming the file, line and column.
func Load() (*Data, error) {
	sub, err := fs.Sub(files, "data")
	if err != nil {
		return nil, fmt.Errorf("refdata: %w", err)
	}
	return load(sub)
}

// File names, relative to the data directory.
const (
	fileRegions        = "regions.csv"
	fileProvinces63    = "provinces_63.csv"
	fileProvinces34    = "provinces_34.csv"
	fileProvinceMerge  = "province_merge_2025.csv"
	fileCommunes       = "communes_2025.csv"
	fileCommuneMerge   = "commune_merge_2025.csv"
	fileActivityTypes  = "activity_types.csv"
	fileIndicators     = "indicators.csv"
	filePrograms       = "programs.csv"
	fileTargets        = "targets.csv"
	splitSep           = "|" // separator of lists inside a field
	levelCommune       = "commune"
	levelDistrict      = "district"
	shareFull          = "full"
	sharePartial       = "partial"
	typeCity           = "city"
	typeProvince       = "province"
	programNational    = "national"
	programLocal       = "local"
	communeTypeCommune = "commune"
	communeTypeWard    = "ward"
	communeTypeSpecial = "special_zone"
)

// load reads the reference files from fsys (the data directory).
func load(fsys fs.FS) (*Data, error) {
	read := func(name string, required ...string) (*table, error) {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, &Error{File: name, Msg: err.Error()}
		}
		defer f.Close()
		return parseCSV(path.Base(name), f, required...)
	}
	l := &loader{d: &Data{}, read: read}
	steps := []func() error{
		l.regions,
		l.provinces, // provinces_63, provinces_34 and province_merge_2025
		l.communes,
		l.oldCommunes,
		l.activityTypes,
		l.indicators,
		l.programs,
		l.targets,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return l.d, nil
}

// loader carries the data read so far and the indexes used for
// cross-references.
type loader struct {
	d    *Data
	read func(name string, required ...string) (*table, error)

	regionByCode map[string]int
	regionByEN   map[string]int
	prov63       map[string]int
	prov34       map[string]int
	commune      map[string]int
	activity     map[string]int
	indicator    map[string]int
	program      map[string]int
	t34          *table // provinces_34.csv, for the seat ward check
}

// unique records key in seen at index i, or returns an error naming the line
// of the earlier row with the same key.
func unique(seen map[string]int, lines []int, key string, i int, r row, col string) error {
	if j, ok := seen[key]; ok {
		return r.errf(col, "duplicate %q (first on line %d)", key, lines[j])
	}
	seen[key] = i
	return nil
}

func (l *loader) regions() error {
	t, err := l.read(fileRegions, "code", "name_vi", "name_en", "sort")
	if err != nil {
		return err
	}
	l.regionByCode = make(map[string]int, len(t.rows))
	l.regionByEN = make(map[string]int, len(t.rows))
	lines := make([]int, 0, len(t.rows))
	for i, r := range t.rows {
		var g Region
		if g.Code, err = r.code("code"); err != nil {
			return err
		}
		if g.NameVI, err = r.required("name_vi"); err != nil {
			return err
		}
		if g.NameEN, err = r.required("name_en"); err != nil {
			return err
		}
		sort, err := r.integer("sort")
		if err != nil {
			return err
		}
		g.Sort = int(sort)
		lines = append(lines, r.line)
		if err := unique(l.regionByCode, lines, g.Code, i, r, "code"); err != nil {
			return err
		}
		if err := unique(l.regionByEN, lines, g.NameEN, i, r, "name_en"); err != nil {
			return err
		}
		l.d.Regions = append(l.d.Regions, g)
	}
	if len(l.d.Regions) == 0 {
		return &Error{File: t.file, Msg: "no regions"}
	}
	return nil
}

func (l *loader) provinces() error {
	t63, err := l.read(fileProvinces63, "code", "name_vi", "name_en", "type", "region",
		"name_vi_full", "name_en_full", "region_vi", "code_2025", "name_2025_vi")
	if err != nil {
		return err
	}
	t34, err := l.read(fileProvinces34, "code", "name_vi", "name_en", "type",
		"name_vi_full", "name_en_full", "admin_centre_old_province_code",
		"admin_centre_old_province", "merged_from_codes", "merged_from_names")
	if err != nil {
		return err
	}
	l.t34 = t34
	tm, err := l.read(fileProvinceMerge, "old_code", "old_name_vi", "old_name_en", "old_type",
		"new_code", "new_name_vi", "new_name_en", "new_type", "merge_type",
		"code_retained", "name_retained", "hosts_admin_centre")
	if err != nil {
		return err
	}

	if err := l.provinces63(t63); err != nil {
		return err
	}
	if err := l.provinces34(t34); err != nil {
		return err
	}
	if err := l.checkProvinceSuccessors(t63); err != nil {
		return err
	}
	return l.checkProvinceMerge(tm, t63, t34)
}

// provinces63 reads the 63 set, with its regions.
func (l *loader) provinces63(t63 *table) error {
	l.prov63 = make(map[string]int, len(t63.rows))
	lines63 := make([]int, 0, len(t63.rows))
	for i, r := range t63.rows {
		p, err := provinceCommon(r)
		if err != nil {
			return err
		}
		region := r.get("region")
		ri, ok := l.regionByEN[region]
		if !ok {
			return r.errf("region", "unknown region %q (not a name_en in %s)", region, fileRegions)
		}
		p.RegionCode = l.d.Regions[ri].Code
		if v := r.get("region_vi"); v != l.d.Regions[ri].NameVI {
			return r.errf("region_vi", "%q does not match region %s %q", v, p.RegionCode, l.d.Regions[ri].NameVI)
		}
		if p.Successor, err = r.digits("code_2025", 2); err != nil {
			return err
		}
		p.ValidTo = Provinces63ValidTo
		lines63 = append(lines63, r.line)
		if err := unique(l.prov63, lines63, p.Code, i, r, "code"); err != nil {
			return err
		}
		l.d.Provinces63 = append(l.d.Provinces63, p)
	}

	return nil
}

// provinces34 reads the 34 set: each with the 63-set units merged into it.
func (l *loader) provinces34(t34 *table) error {
	l.prov34 = make(map[string]int, len(t34.rows))
	lines34 := make([]int, 0, len(t34.rows))
	for i, r := range t34.rows {
		p, err := provinceCommon(r)
		if err != nil {
			return err
		}
		p.ValidFrom = Provinces34ValidFrom
		codes := strings.Split(r.get("merged_from_codes"), splitSep)
		names := strings.Split(r.get("merged_from_names"), splitSep)
		if len(names) != len(codes) {
			return r.errf("merged_from_names", "%d names for %d merged_from_codes", len(names), len(codes))
		}
		seen := make(map[string]bool, len(codes))
		for k, c := range codes {
			c, n := strings.TrimSpace(c), strings.TrimSpace(names[k])
			j, ok := l.prov63[c]
			if !ok {
				return r.errf("merged_from_codes", "unknown code %q (not in %s)", c, fileProvinces63)
			}
			if seen[c] {
				return r.errf("merged_from_codes", "code %q listed twice", c)
			}
			seen[c] = true
			old := l.d.Provinces63[j]
			if old.Successor != p.Code {
				return r.errf("merged_from_codes", "%s %s has code_2025 %s in %s, not %s",
					c, old.NameVI, old.Successor, fileProvinces63, p.Code)
			}
			if n != old.NameVI {
				return r.errf("merged_from_names", "name %q for code %s, %s has %q", n, c, fileProvinces63, old.NameVI)
			}
			p.MergedFrom = append(p.MergedFrom, c)
		}
		centre, err := r.digits("admin_centre_old_province_code", 2)
		if err != nil {
			return err
		}
		if !seen[centre] {
			return r.errf("admin_centre_old_province_code", "%s is not in merged_from_codes", centre)
		}
		old := l.d.Provinces63[l.prov63[centre]]
		if v := r.get("admin_centre_old_province"); v != old.NameVI {
			return r.errf("admin_centre_old_province", "%q does not match %s %q", v, centre, old.NameVI)
		}
		p.RegionCode = old.RegionCode
		lines34 = append(lines34, r.line)
		if err := unique(l.prov34, lines34, p.Code, i, r, "code"); err != nil {
			return err
		}
		l.d.Provinces34 = append(l.d.Provinces34, p)
	}

	return nil
}

// checkProvinceSuccessors checks every 63-set unit goes into a 34-set unit
// that lists it.
func (l *loader) checkProvinceSuccessors(t63 *table) error {
	for i, r := range t63.rows {
		p := l.d.Provinces63[i]
		j, ok := l.prov34[p.Successor]
		if !ok {
			return r.errf("code_2025", "unknown code %q (not in %s)", p.Successor, fileProvinces34)
		}
		n := l.d.Provinces34[j]
		if !slices.Contains(n.MergedFrom, p.Code) {
			return r.errf("code_2025", "%s does not list %s in merged_from_codes of %s", n.Code, p.Code, fileProvinces34)
		}
		if v := r.get("name_2025_vi"); v != n.NameVI {
			return r.errf("name_2025_vi", "%q does not match %s %q in %s", v, n.Code, n.NameVI, fileProvinces34)
		}
	}

	return nil
}

// checkProvinceMerge checks province_merge_2025.csv agrees with both lists.
func (l *loader) checkProvinceMerge(tm, t63, t34 *table) error {
	yn := func(b bool) string {
		if b {
			return "Y"
		}
		return "N"
	}
	seen := make(map[string]int, len(tm.rows))
	linesM := make([]int, 0, len(tm.rows))
	for i, r := range tm.rows {
		oc := r.get("old_code")
		linesM = append(linesM, r.line)
		if err := unique(seen, linesM, oc, i, r, "old_code"); err != nil {
			return err
		}
		j, ok := l.prov63[oc]
		if !ok {
			return r.errf("old_code", "unknown code %q (not in %s)", oc, fileProvinces63)
		}
		o := l.d.Provinces63[j]
		n := l.d.Provinces34[l.prov34[o.Successor]]
		centre := t34.rows[l.prov34[n.Code]].get("admin_centre_old_province_code")
		merge := "merged"
		if len(n.MergedFrom) == 1 {
			merge = "unchanged"
		}
		checks := []struct{ col, want string }{
			{"old_name_vi", o.NameVI},
			{"old_name_en", o.NameEN},
			{"old_type", o.Type},
			{"new_code", n.Code},
			{"new_name_vi", n.NameVI},
			{"new_name_en", n.NameEN},
			{"new_type", n.Type},
			{"merge_type", merge},
			{"code_retained", yn(o.Code == n.Code)},
			{"name_retained", yn(o.NameVI == n.NameVI)},
			{"hosts_admin_centre", yn(o.Code == centre)},
		}
		for _, c := range checks {
			if v := r.get(c.col); v != c.want {
				return r.errf(c.col, "%q, but %s and %s give %q", v, fileProvinces63, fileProvinces34, c.want)
			}
		}
	}
	for i, p := range l.d.Provinces63 {
		if _, ok := seen[p.Code]; !ok {
			return t63.rows[i].errf("code", "%s %s has no row in %s", p.Code, p.NameVI, fileProvinceMerge)
		}
	}
	return nil
}

// provinceCommon reads the columns shared by provinces_63.csv and
// provinces_34.csv.
func provinceCommon(r row) (Province, error) {
	var p Province
	var err error
	if p.Code, err = r.digits("code", 2); err != nil {
		return p, err
	}
	if p.NameVI, err = r.required("name_vi"); err != nil {
		return p, err
	}
	if p.NameEN, err = r.required("name_en"); err != nil {
		return p, err
	}
	if p.NameVIFull, err = r.required("name_vi_full"); err != nil {
		return p, err
	}
	if p.NameENFull, err = r.required("name_en_full"); err != nil {
		return p, err
	}
	if p.Type, err = r.oneOf("type", typeCity, typeProvince); err != nil {
		return p, err
	}
	return p, nil
}

func (l *loader) communes() error {
	t, err := l.read(fileCommunes, "code", "name_vi", "type", "province_code", "province_name_vi")
	if err != nil {
		return err
	}
	l.commune = make(map[string]int, len(t.rows))
	lines := make([]int, 0, len(t.rows))
	l.d.Communes = make([]Commune, 0, len(t.rows))
	for i, r := range t.rows {
		var c Commune
		if c.Code, err = r.digits("code", 5); err != nil {
			return err
		}
		if c.NameVI, err = r.required("name_vi"); err != nil {
			return err
		}
		if c.Type, err = r.oneOf("type", communeTypeCommune, communeTypeWard, communeTypeSpecial); err != nil {
			return err
		}
		c.ProvinceCode = r.get("province_code")
		j, ok := l.prov34[c.ProvinceCode]
		if !ok {
			return r.errf("province_code", "unknown code %q (not in %s)", c.ProvinceCode, fileProvinces34)
		}
		if v := r.get("province_name_vi"); v != l.d.Provinces34[j].NameVI {
			return r.errf("province_name_vi", "%q does not match %s %q in %s", v, c.ProvinceCode, l.d.Provinces34[j].NameVI, fileProvinces34)
		}
		lines = append(lines, r.line)
		if err := unique(l.commune, lines, c.Code, i, r, "code"); err != nil {
			return err
		}
		l.d.Communes = append(l.d.Communes, c)
	}
	return l.seatWards()
}

// seatWards checks the optional admin_centre_ward_code column of
// provinces_34.csv against the communes.
func (l *loader) seatWards() error {
	t := l.t34
	if _, ok := t.col["admin_centre_ward_code"]; !ok {
		return nil
	}
	for _, r := range t.rows {
		code := r.get("admin_centre_ward_code")
		if code == "" {
			continue
		}
		j, ok := l.commune[code]
		if !ok {
			return r.errf("admin_centre_ward_code", "unknown commune %q (not in %s)", code, fileCommunes)
		}
		c := l.d.Communes[j]
		if c.ProvinceCode != r.get("code") {
			return r.errf("admin_centre_ward_code", "commune %s is in province %s, not %s", code, c.ProvinceCode, r.get("code"))
		}
		if _, ok := t.col["admin_centre_ward"]; ok {
			if v := r.get("admin_centre_ward"); v != "" && v != c.NameVI {
				return r.errf("admin_centre_ward", "%q does not match commune %s %q", v, code, c.NameVI)
			}
		}
	}
	return nil
}

func (l *loader) oldCommunes() error {
	t, err := l.read(fileCommuneMerge, "old_code", "old_level", "old_name_vi", "old_province_code",
		"old_province_name_vi", "new_code", "new_name_vi", "new_province_code", "share")
	if err != nil {
		return err
	}
	// Rows of one old unit are adjacent; start maps a code to the line of
	// its first row, to reject a code that reappears later.
	start := make(map[string]int, len(t.rows))
	l.d.OldCommunes = make([]OldCommune, 0, len(t.rows))
	var cur *OldCommune
	for _, r := range t.rows {
		code := r.get("old_code")
		if cur == nil || code != cur.Code {
			if first, ok := start[code]; ok {
				return r.errf("old_code", "%q reappears; its rows start on line %d and must be adjacent", code, first)
			}
			start[code] = r.line
			var o OldCommune
			if o.Level, err = r.oneOf("old_level", levelCommune, levelDistrict); err != nil {
				return err
			}
			n := 5
			if o.Level == levelDistrict {
				n = 3
			}
			if o.Code, err = r.digits("old_code", n); err != nil {
				return err
			}
			if o.NameVI, err = r.required("old_name_vi"); err != nil {
				return err
			}
			o.ProvinceCode = r.get("old_province_code")
			j, ok := l.prov63[o.ProvinceCode]
			if !ok {
				return r.errf("old_province_code", "unknown code %q (not in %s)", o.ProvinceCode, fileProvinces63)
			}
			if v := r.get("old_province_name_vi"); v != l.d.Provinces63[j].NameVI {
				return r.errf("old_province_name_vi", "%q does not match %s %q in %s", v, o.ProvinceCode, l.d.Provinces63[j].NameVI, fileProvinces63)
			}
			l.d.OldCommunes = append(l.d.OldCommunes, o)
			cur = &l.d.OldCommunes[len(l.d.OldCommunes)-1]
		} else {
			for _, c := range []struct{ col, want string }{
				{"old_level", cur.Level},
				{"old_name_vi", cur.NameVI},
				{"old_province_code", cur.ProvinceCode},
			} {
				if v := r.get(c.col); v != c.want {
					return r.errf(c.col, "%q differs from %q on line %d for the same old_code", v, c.want, start[code])
				}
			}
		}

		var s CommuneShare
		s.NewCode = r.get("new_code")
		j, ok := l.commune[s.NewCode]
		if !ok {
			return r.errf("new_code", "unknown commune %q (not in %s)", s.NewCode, fileCommunes)
		}
		c := l.d.Communes[j]
		if v := r.get("new_name_vi"); v != c.NameVI {
			return r.errf("new_name_vi", "%q does not match %s %q in %s", v, c.Code, c.NameVI, fileCommunes)
		}
		if v := r.get("new_province_code"); v != c.ProvinceCode {
			return r.errf("new_province_code", "%q, but commune %s is in %s", v, c.Code, c.ProvinceCode)
		}
		if s.Share, err = r.oneOf("share", shareFull, sharePartial); err != nil {
			return err
		}
		for _, prev := range cur.Successors {
			if prev.NewCode == s.NewCode {
				return r.errf("new_code", "%s already listed for old_code %s", s.NewCode, cur.Code)
			}
			if prev.Share == shareFull || s.Share == shareFull {
				return r.errf("share", "old_code %s has several successors, so none can be %q", cur.Code, shareFull)
			}
		}
		cur.Successors = append(cur.Successors, s)
	}
	return nil
}

func (l *loader) activityTypes() error {
	t, err := l.read(fileActivityTypes, "code", "group_code", "name_vi", "name_en", "sort", "needs_beneficiary", "needs_outputs")
	if err != nil {
		return err
	}
	l.activity = make(map[string]int, len(t.rows))
	lines := make([]int, 0, len(t.rows))
	for i, r := range t.rows {
		var a ActivityType
		if a.Code, err = r.code("code"); err != nil {
			return err
		}
		if a.GroupCode = r.get("group_code"); a.GroupCode != "" {
			if a.GroupCode, err = r.code("group_code"); err != nil {
				return err
			}
		}
		if a.NameVI, err = r.required("name_vi"); err != nil {
			return err
		}
		if a.NameEN, err = r.required("name_en"); err != nil {
			return err
		}
		sort, err := r.integer("sort")
		if err != nil {
			return err
		}
		a.Sort = int(sort)
		// yes or no for a kind; empty for a group (a project names a kind).
		allowed := []string{"yes", "no"}
		if a.GroupCode == "" {
			allowed = []string{""}
		}
		for _, f := range []struct {
			col string
			dst *bool
		}{{"needs_beneficiary", &a.NeedsBeneficiary}, {"needs_outputs", &a.NeedsOutputs}} {
			v, err := r.oneOf(f.col, allowed...)
			if err != nil {
				return err
			}
			*f.dst = v == "yes"
		}
		lines = append(lines, r.line)
		if err := unique(l.activity, lines, a.Code, i, r, "code"); err != nil {
			return err
		}
		l.d.ActivityTypes = append(l.d.ActivityTypes, a)
	}
	// A kind's group must be a group row (one level only).
	for i, a := range l.d.ActivityTypes {
		if a.GroupCode == "" {
			continue
		}
		j, ok := l.activity[a.GroupCode]
		if !ok {
			return t.rows[i].errf("group_code", "unknown group %q", a.GroupCode)
		}
		if g := l.d.ActivityTypes[j]; g.GroupCode != "" {
			return t.rows[i].errf("group_code", "%q is not a group (it is in group %q)", a.GroupCode, g.GroupCode)
		}
	}
	return nil
}

func (l *loader) indicators() error {
	t, err := l.read(fileIndicators, "code", "name_vi", "name_en", "unit_vi", "unit_en", "activity_type_code", "sort")
	if err != nil {
		return err
	}
	l.indicator = make(map[string]int, len(t.rows))
	lines := make([]int, 0, len(t.rows))
	for i, r := range t.rows {
		var n Indicator
		if n.Code, err = r.code("code"); err != nil {
			return err
		}
		for _, f := range []struct {
			dst *string
			col string
		}{{&n.NameVI, "name_vi"}, {&n.NameEN, "name_en"}, {&n.UnitVI, "unit_vi"}, {&n.UnitEN, "unit_en"}} {
			if *f.dst, err = r.required(f.col); err != nil {
				return err
			}
		}
		n.ActivityTypeCode = r.get("activity_type_code")
		if _, ok := l.activity[n.ActivityTypeCode]; !ok {
			return r.errf("activity_type_code", "unknown activity type %q (not in %s)", n.ActivityTypeCode, fileActivityTypes)
		}
		sort, err := r.integer("sort")
		if err != nil {
			return err
		}
		n.Sort = int(sort)
		lines = append(lines, r.line)
		if err := unique(l.indicator, lines, n.Code, i, r, "code"); err != nil {
			return err
		}
		l.d.Indicators = append(l.d.Indicators, n)
	}
	return nil
}

func (l *loader) programs() error {
	t, err := l.read(filePrograms, "code", "name_vi", "name_en", "level", "start_year", "end_year",
		"decision_no", "decision_date", "approved_by_vi", "approved_by_en")
	if err != nil {
		return err
	}
	l.program = make(map[string]int, len(t.rows))
	lines := make([]int, 0, len(t.rows))
	for i, r := range t.rows {
		var p Program
		if p.Code, err = r.code("code"); err != nil {
			return err
		}
		if p.NameVI, err = r.required("name_vi"); err != nil {
			return err
		}
		if p.NameEN, err = r.required("name_en"); err != nil {
			return err
		}
		if p.Level, err = r.oneOf("level", programNational, programLocal); err != nil {
			return err
		}
		start, err := r.integer("start_year")
		if err != nil {
			return err
		}
		end, err := r.integer("end_year")
		if err != nil {
			return err
		}
		if start < 1900 || start > 2200 {
			return r.errf("start_year", "year %d out of range", start)
		}
		if end < start || end > 2200 {
			return r.errf("end_year", "year %d before start_year %d or out of range", end, start)
		}
		p.StartYear, p.EndYear = int(start), int(end)
		if p.DecisionNo, err = r.required("decision_no"); err != nil {
			return err
		}
		if p.DecisionDate, err = r.date("decision_date"); err != nil {
			return err
		}
		if p.ApprovedBy, err = r.required("approved_by_vi"); err != nil {
			return err
		}
		if p.ApprovedByEN, err = r.required("approved_by_en"); err != nil {
			return err
		}
		if _, ok := t.col["note"]; ok {
			p.Note = r.get("note")
		}
		lines = append(lines, r.line)
		if err := unique(l.program, lines, p.Code, i, r, "code"); err != nil {
			return err
		}
		l.d.Programs = append(l.d.Programs, p)
	}
	return nil
}

func (l *loader) targets() error {
	t, err := l.read(fileTargets, "program_code", "indicator_code", "value", "decision_no", "decision_date")
	if err != nil {
		return err
	}
	seen := make(map[string]int, len(t.rows))
	lines := make([]int, 0, len(t.rows))
	for i, r := range t.rows {
		var g Target
		g.ProgramCode = r.get("program_code")
		if _, ok := l.program[g.ProgramCode]; !ok {
			return r.errf("program_code", "unknown program %q (not in %s)", g.ProgramCode, filePrograms)
		}
		g.IndicatorCode = r.get("indicator_code")
		if _, ok := l.indicator[g.IndicatorCode]; !ok {
			return r.errf("indicator_code", "unknown indicator %q (not in %s)", g.IndicatorCode, fileIndicators)
		}
		if g.Value, err = r.integer("value"); err != nil {
			return err
		}
		if g.Value <= 0 {
			return r.errf("value", "target %d must be positive", g.Value)
		}
		if g.DecisionNo, err = r.required("decision_no"); err != nil {
			return err
		}
		if g.DecisionDate, err = r.date("decision_date"); err != nil {
			return err
		}
		lines = append(lines, r.line)
		key := g.ProgramCode + " " + g.IndicatorCode + " " + g.DecisionNo
		if err := unique(seen, lines, key, i, r, "indicator_code"); err != nil {
			return err
		}
		l.d.Targets = append(l.d.Targets, g)
	}
	return nil
}

//go:embed data/rulesets/*.txt
var ruleSetFiles embed.FS

// RuleSetFile is one embedded rule set in the text format of
// docs/RULESETS.md (parsed by package rulefile).
type RuleSetFile struct {
	Name string
	Data []byte
}

// RuleSets returns the embedded rule sets (the 2012 rules and the 2025
// amendment), in name order.
func RuleSets() ([]RuleSetFile, error) {
	names, err := fs.Glob(ruleSetFiles, "data/rulesets/*.txt")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []RuleSetFile
	for _, n := range names {
		b, err := ruleSetFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, RuleSetFile{Name: path.Base(n), Data: b})
	}
	return out, nil
}
