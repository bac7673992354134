// Package address resolves addresses as officers type or import them into
// today's administrative units.
//
// Since 1 July 2025 Vietnam has 34 provincial units and 3,321 communes
// (communes "xã", wards "phường", special zones "đặc khu"); until 30 June 2025
// it had 63 provincial units and 10,047 communes. Officers write either
// generation, with or without the unit word ("Xã", "Phường", "Thị trấn",
// "Đặc khu", "P.", "TT."), in any case, with or without diacritics, NFC or
// NFD, with either tone-mark placement ("Hòa"/"Hoà"). A Resolver turns such
// text into the 2025 commune and, when the text named a pre-2025 commune,
// into that old commune too.
//
// An old commune that was split between several new communes is never
// guessed: the result is Ambiguous and lists the candidates, so that a form
// lets the user choose and an import reports the row. Text that matches
// nothing gets "did you mean" suggestions.
//
// A Resolver is built once from refdata (New) and is then read-only: it is
// safe for concurrent use and every Result it returns is the caller's own.
package address

import (
	"cmp"
	"slices"
	"time"

	"nipp/internal/refdata"
)

// Generations of administrative units.
const (
	// Gen2008 marks the units in force until 30 June 2025 (the 63
	// provinces and their communes; named after the 2008 boundaries that
	// the 63-province map dates from).
	Gen2008 = 2008
	// Gen2025 marks the units in force from 1 July 2025 (34 provinces,
	// 3,321 communes).
	Gen2025 = 2025
)

// Unit types (Unit.Type).
const (
	TypeCity     = "city"     // centrally-run city (thành phố trực thuộc trung ương)
	TypeProvince = "province" // province (tỉnh)

	TypeCommune     = "commune"      // xã (both generations)
	TypeWard        = "ward"         // phường (both generations)
	TypeSpecialZone = "special_zone" // đặc khu (2025 only)
	TypeTownship    = "township"     // thị trấn (pre-2025 only)
	TypeDistrict    = "district"     // an island district without communes (pre-2025 only)
)

// Unit describes a province or commune of either generation.
type Unit struct {
	Code string // GSO code: 2 digits for a province, 5 for a commune, 3 for an island district
	// Name is the official Vietnamese name: the short name of a province
	// ("Hà Giang") and the full name of a commune, with its unit word
	// ("Xã Tân Lập", "Phường 1", "Đặc khu Côn Đảo").
	Name       string
	Type       string // one of the Type constants
	Generation int    // Gen2008 or Gen2025
	// ProvinceCode and ProvinceName are, for a commune, its province of
	// the same generation; empty for a province.
	ProvinceCode string
	ProvinceName string
}

// Status is the outcome of a resolution.
type Status int

// Statuses.
const (
	// Resolved: exactly one 2025 commune (or, for ResolveProvince, one
	// province) fits.
	Resolved Status = iota
	// Ambiguous: several 2025 communes fit (a split old commune, or the same
	// name in several places); Candidates lists them.
	Ambiguous
	// NotFound: no commune fits; Suggestions may list near misses.
	NotFound
	// ProvinceNotFound: the province text matches no province of either
	// generation; Suggestions may list near misses.
	ProvinceNotFound
)

func (s Status) String() string {
	switch s {
	case Resolved:
		return "resolved"
	case Ambiguous:
		return "ambiguous"
	case NotFound:
		return "not_found"
	case ProvinceNotFound:
		return "province_not_found"
	}
	return "unknown"
}

// Result is the outcome of ResolveProvince or Resolve.
type Result struct {
	Status Status
	// Province is today's (2025) province, when known: the typed province
	// (or its 2025 successor), or the province of the candidates when they
	// share one. When Resolved it is the commune's province (which differs
	// from the typed one only for the source's one cross-province row, old
	// 30622 Xã Tân Phú of An Giang, mapped into Đồng Tháp).
	Province Unit
	// OrigProvince is the province as typed: the 2008-generation unit when
	// an old name or code was used (or when a name or code exists in both
	// generations and the date is before 2025-07-01), else equal to
	// Province. When the input named one old commune and no province, or a
	// different pre-2025 province, it is that commune's old province.
	OrigProvince Unit
	// Commune is today's (2025) commune when Status is Resolved (zero for
	// ResolveProvince).
	Commune Unit
	// OrigCommune is the pre-2025 commune the input named, if it named
	// exactly one; nil when it named a 2025 commune.
	OrigCommune *Unit
	// OrigCandidates lists the pre-2025 communes the input may have
	// named when there were several of that name in scope (e.g. "Phường 1"
	// in former Hồ Chí Minh); empty otherwise.
	OrigCandidates []Unit
	// Candidates are, when Ambiguous, the possible 2025 communes: the new
	// communes of a split old commune (in the order of the mapping), or the
	// communes of that name in several places (by province code and name).
	Candidates []Unit
	// Suggestions are, when NotFound or ProvinceNotFound, up to 5 close
	// names ("did you mean"), best first, within the province when known.
	// They may be 2025 or pre-2025 units (see Unit.Generation).
	Suggestions []Unit
	// Message is one sentence in each language that quotes what was typed.
	Message Text
}

// Resolver resolves typed province and commune names. Build it once with New
// and share it: it is immutable and safe for concurrent use.
type Resolver struct {
	units []unitRec // 2025 communes first (indices < nNew), then old communes
	nNew  int

	byKey     map[string][]int32 // compact folded bare name -> units (both generations)
	newByCode map[string]int32
	oldByCode map[string]int32

	provs        []provRec // 34 set first (indices < nProv34), then 63 set
	nProv34      int
	prov34ByCode map[string]int32
	prov63ByCode map[string]int32
	provByKey    map[string][]int32 // compact folded name or alias -> provs
	provAlias    map[string]alias   // other spellings

	inProv34   [][]int32 // per 2025 province: its units of both generations (old by successor province)
	communes34 [][]int32 // per 2025 province: its 2025 communes, sorted for Communes

	prefixes []prefixDef // commune unit words, longest first
	dec      *decomp
}

type unitRec struct {
	u      Unit
	key    string  // compact folded name without the unit word
	spaced string  // the same, words separated by spaces
	toks   []token // words of the name without the unit word
	hist   hist    // letter counts of key, to skip hopeless edit distances
	p34    int32   // 2025 province: own (new) or successor of the old province (old)
	p63    int32   // old: index of its 63-set province in provs; -1 for new
	// succ (old only) lists the distinct 2025 communes the old unit went
	// into, in mapping order.
	succ []int32
	// oldProvs (new only) lists the 63-set provinces (indices in provs)
	// whose old communes went into this commune.
	oldProvs []int32
}

type provRec struct {
	u    Unit
	p34  int32    // index of the 2025 unit (itself for the 34 set)
	keys []string // lookup keys of its Vietnamese and English names
}

// prefixDef is a unit word that may start a commune name.
type prefixDef struct {
	words []token
	typ   string
}

// The first day of the 2025 units.
const (
	cutoverY = 2025
	cutoverM = time.July
	cutoverD = 1
)

// beforeCutover reports whether on is a date before 2025-07-01 (in on's own
// location); the zero time is not.
func beforeCutover(on time.Time) bool {
	if on.IsZero() {
		return false
	}
	y, m, d := on.Date()
	if y != cutoverY {
		return y < cutoverY
	}
	if m != cutoverM {
		return m < cutoverM
	}
	return d < cutoverD
}

// New indexes d. It never fails: units that do not cross-reference (which
// refdata.Load already rules out) are skipped. A nil d gives a Resolver that
// finds nothing.
func New(d *refdata.Data) *Resolver {
	r := &Resolver{
		byKey:        make(map[string][]int32, 12000),
		newByCode:    make(map[string]int32, 3400),
		oldByCode:    make(map[string]int32, 10100),
		prov34ByCode: make(map[string]int32),
		prov63ByCode: make(map[string]int32),
		provByKey:    make(map[string][]int32),
	}
	r.dec = newDecomp()
	r.prefixes = r.buildPrefixes()
	r.provAlias = buildProvinceAliases()
	if d == nil {
		return r
	}
	r.buildProvinces(d)
	r.buildCommunes(d)
	return r
}

// buildPrefixes lists the unit words of communes, longest first. Full words
// must match their accents when typed with any ("Phương Liệt" is a name, not
// "Phường Liệt").
func (r *Resolver) buildPrefixes() []prefixDef {
	defs := []struct{ text, typ string }{
		{"Thị trấn", TypeTownship},
		{"Đặc khu", TypeSpecialZone},
		{"Phường", TypeWard},
		{"Xã", TypeCommune},
		{"Huyện", TypeDistrict},
		{"TT", TypeTownship},
		{"ĐK", TypeSpecialZone},
		{"P", TypeWard},
		{"F", TypeWard},
		{"X", TypeCommune},
	}
	out := make([]prefixDef, 0, len(defs))
	for _, d := range defs {
		out = append(out, prefixDef{words: r.dec.tokenize(d.text), typ: d.typ})
	}
	slices.SortStableFunc(out, func(a, b prefixDef) int { return cmp.Compare(len(b.words), len(a.words)) })
	return out
}

// alias is another spelling of a province name.
type alias struct {
	key string // the canonical key it stands for
	gen int    // the generation it names, when only one (0: as the name)
}

// buildProvinceAliases maps other spellings (compact folded, unit word
// removed) to the canonical key of a province name.
func buildProvinceAliases() map[string]alias {
	hcm, hue, brvt := alias{"hochiminh", 0}, alias{"hue", Gen2008}, alias{"bariavungtau", 0}
	return map[string]alias{
		"hcm": hcm, "tphcm": hcm, "hcmc": hcm, "tphochiminh": hcm, "saigon": hcm, "tpsaigon": hcm, "sg": hcm,
		// Thừa Thiên Huế was a province until 2024-12-31, then the city of
		// Huế; the data carries the new name for both generations.
		"thuathienhue": hue, "tthue": hue, "thuathien": hue,
		"brvt": brvt, "bariavt": brvt, "vungtau": brvt,
		"hn": {"hanoi", 0}, "tphn": {"hanoi", 0},
		"baccan":  {"backan", 0},
		"daclac":  {"daklak", 0},
		"daklac":  {"daklak", 0},
		"daclak":  {"daklak", 0},
		"dacnong": {"daknong", 0},
	}
}

func (r *Resolver) buildProvinces(d *refdata.Data) {
	add := func(p refdata.Province, gen int) {
		i := int32(len(r.provs))
		rec := provRec{u: Unit{Code: p.Code, Name: p.NameVI, Type: p.Type, Generation: gen}, p34: -1}
		for _, name := range []string{p.NameVI, p.NameEN} {
			k := provinceKey(r.dec.tokenize(cleanInput(name)))
			if k != "" && !slices.Contains(r.provByKey[k], i) {
				r.provByKey[k] = append(r.provByKey[k], i)
				rec.keys = append(rec.keys, k)
			}
		}
		r.provs = append(r.provs, rec)
	}
	for _, p := range d.Provinces34 {
		r.prov34ByCode[p.Code] = int32(len(r.provs))
		add(p, Gen2025)
	}
	r.nProv34 = len(r.provs)
	for _, p := range d.Provinces63 {
		r.prov63ByCode[p.Code] = int32(len(r.provs))
		add(p, Gen2008)
	}
	for i := range r.provs {
		p := &r.provs[i]
		if i < r.nProv34 {
			p.p34 = int32(i)
			continue
		}
		if j, ok := r.prov34ByCode[d.Provinces63[i-r.nProv34].Successor]; ok {
			p.p34 = j
		}
	}
	r.inProv34 = make([][]int32, r.nProv34)
	r.communes34 = make([][]int32, r.nProv34)
}

// provinceKey is the lookup key of a province name: its folded words without
// a leading unit word ("Tỉnh", "Thành phố", "TP.") or a trailing "City",
// "Province", "cũ" (former) or "mới" (new), joined without spaces.
func provinceKey(toks []token) string {
	f := make([]string, len(toks))
	for i, t := range toks {
		f[i] = t.fold
	}
	for len(f) > 1 {
		switch {
		case f[0] == "tinh" || f[0] == "tp":
			f = f[1:]
			continue
		case len(f) > 2 && f[0] == "thanh" && f[1] == "pho", len(f) > 2 && f[0] == "t" && f[1] == "p":
			f = f[2:]
			continue
		}
		switch f[len(f)-1] {
		case "city", "province", "cu", "moi":
			f = f[:len(f)-1]
			continue
		}
		break
	}
	n := 0
	for _, s := range f {
		n += len(s)
	}
	b := make([]byte, 0, n)
	for _, s := range f {
		b = append(b, s...)
	}
	return string(b)
}

func (r *Resolver) buildCommunes(d *refdata.Data) {
	r.units = make([]unitRec, 0, len(d.Communes)+len(d.OldCommunes))
	prov34Name := func(i int32) string { return r.provs[i].u.Name }
	for _, c := range d.Communes {
		p, ok := r.prov34ByCode[c.ProvinceCode]
		if !ok {
			continue
		}
		rec := unitRec{
			u:   Unit{Code: c.Code, Name: c.NameVI, Type: c.Type, Generation: Gen2025, ProvinceCode: c.ProvinceCode, ProvinceName: prov34Name(p)},
			p34: p,
			p63: -1,
		}
		r.addUnit(rec)
	}
	r.nNew = len(r.units)
	for _, o := range d.OldCommunes {
		p63, ok := r.prov63ByCode[o.ProvinceCode]
		if !ok {
			continue
		}
		rec := unitRec{
			u:   Unit{Code: o.Code, Name: o.NameVI, Generation: Gen2008, ProvinceCode: o.ProvinceCode, ProvinceName: r.provs[p63].u.Name},
			p34: r.provs[p63].p34,
			p63: p63,
		}
		for _, s := range o.Successors {
			j, ok := r.newByCode[s.NewCode]
			if ok && !slices.Contains(rec.succ, j) {
				rec.succ = append(rec.succ, j)
			}
		}
		if len(rec.succ) == 0 || rec.p34 < 0 {
			continue
		}
		for _, j := range rec.succ {
			if n := &r.units[j]; !slices.Contains(n.oldProvs, p63) {
				n.oldProvs = append(n.oldProvs, p63)
			}
		}
		r.addUnit(rec)
	}
	for p := range r.communes34 {
		list := r.communes34[p]
		slices.SortFunc(list, func(a, b int32) int {
			ua, ub := &r.units[a], &r.units[b]
			return cmp.Or(cmp.Compare(ua.spaced, ub.spaced), cmp.Compare(ua.u.Name, ub.u.Name), cmp.Compare(ua.u.Code, ub.u.Code))
		})
	}
}

// addUnit tokenizes and indexes one unit.
func (r *Resolver) addUnit(rec unitRec) {
	toks := r.dec.tokenize(cleanInput(rec.u.Name))
	n, typ := r.matchPrefix(toks)
	if rec.u.Type == "" {
		rec.u.Type = typ
		if rec.u.Type == "" {
			rec.u.Type = TypeCommune
		}
	}
	rec.toks = toks[n:]
	rec.key = compact(rec.toks)
	rec.spaced = spaced(rec.toks)
	rec.hist = histOf(rec.key)
	i := int32(len(r.units))
	r.units = append(r.units, rec)
	r.byKey[rec.key] = append(r.byKey[rec.key], i)
	if rec.u.Generation == Gen2025 {
		r.newByCode[rec.u.Code] = i
		r.communes34[rec.p34] = append(r.communes34[rec.p34], i)
	} else {
		r.oldByCode[rec.u.Code] = i
	}
	r.inProv34[rec.p34] = append(r.inProv34[rec.p34], i)
}

// matchPrefix reports how many leading words of toks are a commune unit word
// and which type that word names; (0, "") when none, or when nothing would
// remain.
func (r *Resolver) matchPrefix(toks []token) (int, string) {
next:
	for _, p := range r.prefixes {
		if len(toks) <= len(p.words) {
			continue
		}
		for i, w := range p.words {
			t := toks[i]
			if t.fold != w.fold || (t.marked && t.accent != w.accent) {
				continue next
			}
		}
		return len(p.words), p.typ
	}
	return 0, ""
}

// CommuneByCode returns the 2025 commune with this code ("00004"; "4" is
// read as "00004").
func (r *Resolver) CommuneByCode(code string) (Unit, bool) {
	c := padCode(cleanInput(code), 5)
	if i, ok := r.newByCode[c]; ok {
		return r.units[i].u, true
	}
	return Unit{}, false
}

// OldCommune returns the pre-2025 commune (or island district, 3-digit code)
// with this code, and the 2025 communes it went into (one when it went
// wholly into one, several when it was split).
func (r *Resolver) OldCommune(code string) (Unit, []Unit, bool) {
	c := cleanInput(code)
	i, ok := r.oldByCode[c]
	if !ok {
		i, ok = r.oldByCode[padCode(c, 5)]
	}
	if !ok {
		return Unit{}, nil, false
	}
	u := &r.units[i]
	return u.u, r.unitList(u.succ), true
}

// ProvinceByCode returns the province with this code ("08", or "8") in the
// given generation (Gen2008 for the 63 units, Gen2025 for the 34).
func (r *Resolver) ProvinceByCode(code string, generation int) (Unit, bool) {
	c := padCode(cleanInput(code), 2)
	var m map[string]int32
	switch generation {
	case Gen2025:
		m = r.prov34ByCode
	case Gen2008:
		m = r.prov63ByCode
	default:
		return Unit{}, false
	}
	if i, ok := m[c]; ok {
		return r.provs[i].u, true
	}
	return Unit{}, false
}

// Communes lists the 2025 communes of a 2025 province ("01" or "1"), for a
// select box, sorted by folded name without the unit word (then by full name
// and code); nil for an unknown code. The slice is the caller's.
func (r *Resolver) Communes(provinceCode string) []Unit {
	i, ok := r.prov34ByCode[padCode(cleanInput(provinceCode), 2)]
	if !ok {
		return nil
	}
	return r.unitList(r.communes34[i])
}

// unitList copies the units at the given indices.
func (r *Resolver) unitList(idx []int32) []Unit {
	if len(idx) == 0 {
		return nil
	}
	out := make([]Unit, len(idx))
	for k, i := range idx {
		out[k] = r.units[i].u
	}
	return out
}
