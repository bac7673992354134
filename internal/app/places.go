package app

import (
	"context"
	"sort"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/vntext"
)

// Reorganisation date: records dated before it are addressed in the units
// of the time (generation 2008).
var reorgDate = nipp.MustDate("2025-07-01")

// Place is a resolved address: today's units and the units at the time.
type Place struct {
	Province, OrigProvince *store.UnitRow
	Commune, OrigCommune   *store.UnitRow // nil when no commune was given
}

// places is an in-memory index of the administrative units (reference data,
// immutable once loaded), built on first use and shared by every request.
//
// It is the registry's own resolver over admin_units; the shared address
// resolver (internal/address) answers the same question for other features.
type places struct {
	byID       map[int64]*store.UnitRow
	provinces  map[int][]*store.UnitRow              // generation -> provinces
	communes   map[int64]map[string][]*store.UnitRow // province id -> stripped fold -> communes
	successors map[int64][]int64                     // 2025 province id -> 2008 provinces merged into it
}

func (a *App) places(ctx context.Context) (*places, error) {
	a.placesMu.Lock()
	defer a.placesMu.Unlock()
	if a.placeIdx != nil {
		return a.placeIdx, nil
	}
	var units []*store.UnitRow
	if err := a.db.ReadTx(ctx, func(tx *store.Tx) error {
		var err error
		units, err = tx.FindUnits(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	p := &places{byID: map[int64]*store.UnitRow{}, provinces: map[int][]*store.UnitRow{},
		communes: map[int64]map[string][]*store.UnitRow{}, successors: map[int64][]int64{}}
	for _, u := range units {
		p.byID[u.ID] = u
	}
	for _, u := range units {
		switch u.Level {
		case "province":
			p.provinces[u.Generation] = append(p.provinces[u.Generation], u)
			if u.Generation == store.Gen2008 {
				for _, s := range u.Successors {
					p.successors[s] = append(p.successors[s], u.ID)
				}
			}
		default:
			m := p.communes[u.ParentID]
			if m == nil {
				m = map[string][]*store.UnitRow{}
				p.communes[u.ParentID] = m
			}
			k := vntext.StripUnitPrefix(u.NameFold)
			m[k] = append(m[k], u)
		}
	}
	if len(p.provinces[store.Gen2025]) > 0 {
		a.placeIdx = p
	}
	return p, nil
}

func foldKey(s string) string { return vntext.StripUnitPrefix(vntext.Fold(s)) }

// province finds a province of the given generation by code or name.
func (p *places) province(text string, gen int) *store.UnitRow {
	t := strings.TrimSpace(text)
	if t == "" {
		return nil
	}
	if isDigits(t) && len(t) <= 2 {
		if len(t) == 1 {
			t = "0" + t
		}
		for _, u := range p.provinces[gen] {
			if u.Code == t {
				return u
			}
		}
		return nil
	}
	k := foldKey(t)
	for _, u := range p.provinces[gen] {
		if foldKey(u.Name) == k {
			return u
		}
	}
	// "Thành phố Hồ Chí Minh" / "TP.HCM" and similar: compare without spaces.
	k2 := strings.ReplaceAll(k, " ", "")
	for _, u := range p.provinces[gen] {
		if strings.ReplaceAll(foldKey(u.Name), " ", "") == k2 {
			return u
		}
	}
	return nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// resolve finds the units of an address typed as province and commune names
// (any case, diacritics, Unicode form, with or without "Xã/Phường/Tỉnh"), in
// the units of the date on. chosen, when set, is the code of the 2025
// commune the user picked among the candidates of a split old commune.
func (p *places) resolve(provinceText, communeText string, on nipp.Date, chosen string) (*Place, error) {
	gen, other := store.Gen2025, store.Gen2008
	if !on.IsZero() && on.Before(reorgDate) {
		gen, other = store.Gen2008, store.Gen2025
	}
	prov := p.province(provinceText, gen)
	if prov == nil {
		prov = p.province(provinceText, other)
	}
	if prov == nil {
		return nil, nipp.FieldError("province", "không có tỉnh/thành phố %q / no province called %q", provinceText, provinceText)
	}
	pl := &Place{}
	if prov.Generation == store.Gen2008 {
		pl.OrigProvince = prov
		if len(prov.Successors) == 0 {
			return nil, nipp.FieldError("province", "tỉnh %q không có đơn vị kế thừa / province %q has no successor", prov.Name, prov.Name)
		}
		pl.Province = p.byID[prov.Successors[0]]
	} else {
		pl.Province, pl.OrigProvince = prov, prov
	}
	if strings.TrimSpace(communeText) == "" {
		return nil, nipp.FieldError("commune", "cần nhập xã/phường / the commune is required")
	}
	k := foldKey(communeText)
	// Where to look: the province as typed, then (for a 2025 province) the
	// old provinces merged into it, or (for an old one) today's province.
	var found []*store.UnitRow
	found = p.communes[prov.ID][k]
	if len(found) == 0 {
		if prov.Generation == store.Gen2025 {
			for _, old := range p.successors[prov.ID] {
				found = append(found, p.communes[old][k]...)
			}
		} else {
			found = p.communes[pl.Province.ID][k]
		}
	}
	if len(found) == 0 {
		return nil, p.notFound(communeText, prov, pl.Province)
	}
	if found[0].Generation == store.Gen2025 {
		if len(found) > 1 {
			return nil, nipp.FieldError("commune", "có nhiều xã/phường tên %q / several communes are called %q", communeText, communeText)
		}
		pl.Commune, pl.OrigCommune = found[0], found[0]
		if pl.OrigProvince.Generation == store.Gen2008 {
			pl.OrigProvince = pl.Province // a new commune name: the record is in today's units
		}
		return pl, nil
	}
	// An old commune (or several with the same name in the old province):
	// its successors decide.
	succ := map[int64]bool{}
	var cands []int64
	for _, o := range found {
		for _, s := range o.Successors {
			if !succ[s] {
				succ[s] = true
				cands = append(cands, s)
			}
		}
	}
	var pick int64
	switch {
	case len(cands) == 1:
		pick = cands[0]
	case chosen != "":
		for _, c := range cands {
			if p.byID[c].Code == chosen {
				pick = c
			}
		}
	}
	if pick == 0 {
		if len(cands) == 0 {
			return nil, nipp.FieldError("commune", "xã %q không có đơn vị kế thừa / commune %q has no successor", communeText, communeText)
		}
		names := make([]string, len(cands))
		for i, c := range cands {
			u := p.byID[c]
			names[i] = u.Name + " (" + u.Code + ")"
		}
		return nil, &AmbiguousCommuneError{Text: communeText, Candidates: unitsOf(p, cands), Err: nipp.FieldError("commune",
			"xã/phường cũ %q đã được chia cho nhiều xã/phường mới: %s; hãy chọn một / old commune %q was split between several new ones: %s; pick one",
			communeText, strings.Join(names, ", "), communeText, strings.Join(names, ", "))}
	}
	pl.Commune = p.byID[pick]
	pl.Province = p.byID[pl.Commune.ParentID]
	if len(found) == 1 {
		pl.OrigCommune = found[0]
		pl.OrigProvince = p.byID[found[0].ParentID]
	} else {
		pl.OrigCommune = nil // homonyms in the old province: the old unit is unknown
		pl.OrigProvince = p.byID[found[0].ParentID]
	}
	return pl, nil
}

func unitsOf(p *places, ids []int64) []nipp.Unit {
	out := make([]nipp.Unit, len(ids))
	for i, id := range ids {
		out[i] = p.byID[id].Unit
	}
	return out
}

// AmbiguousCommuneError is returned for an old commune split between
// several new ones: the form lets the user pick among Candidates.
type AmbiguousCommuneError struct {
	Text       string
	Candidates []nipp.Unit
	Err        *nipp.Error
}

func (e *AmbiguousCommuneError) Error() string       { return e.Err.Error() }
func (e *AmbiguousCommuneError) Unwrap() error       { return e.Err }
func (e *AmbiguousCommuneError) AsNipp() *nipp.Error { return e.Err }

// notFound builds the "no such commune" error with up to three suggestions
// from the province's communes (both generations).
func (p *places) notFound(text string, provs ...*store.UnitRow) error {
	k := foldKey(text)
	type cand struct {
		name  string
		score float64
	}
	var cs []cand
	seen := map[string]bool{}
	for _, pr := range provs {
		for key, us := range p.communes[pr.ID] {
			s := vntext.Similarity(key, k)
			if s >= 0.6 && !seen[us[0].Name] {
				seen[us[0].Name] = true
				cs = append(cs, cand{us[0].Name, s})
			}
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		return cs[i].score > cs[j].score || cs[i].score == cs[j].score && cs[i].name < cs[j].name
	})
	if len(cs) > 3 {
		cs = cs[:3]
	}
	if len(cs) == 0 {
		return nipp.FieldError("commune", "không có xã/phường %q ở %s / no commune %q in %s", text, provs[0].Name, text, provs[0].Name)
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.name
	}
	sug := strings.Join(names, ", ")
	return nipp.FieldError("commune", "không có xã/phường %q ở %s; có phải: %s? / no commune %q in %s; did you mean: %s?", text, provs[0].Name, sug, text, provs[0].Name, sug)
}
