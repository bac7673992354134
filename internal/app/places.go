package app

import (
	"context"
	"sync"
	"time"

	"nipp/internal/address"
	"nipp/internal/nipp"
	"nipp/internal/refdata"
	"nipp/internal/store"
	"nipp/internal/vntext"
)

// Place is a resolved address: today's units and the units at the time,
// with their admin_units ids.
type Place struct {
	Province, OrigProvince nipp.Unit
	Commune, OrigCommune   *nipp.Unit // OrigCommune is nil when the old unit is not known
}

// unitKey identifies an administrative unit: codes are 2 digits for
// provinces, 3 for island districts and 5 for communes, so a code and a
// generation name one unit.
type unitKey struct {
	code string
	gen  int
}

// places resolves typed addresses with the shared resolver
// (internal/address) and maps its units to admin_units rows.
type places struct {
	r    *address.Resolver
	ids  map[unitKey]nipp.Unit
	memo *placeMemo // nil: nothing kept (the units are not loaded yet)
}

// placeMemo keeps the places resolved, by their texts, date and choice:
// an import resolves the same few thousand communes over and over (15 µs
// each, 4% of a 2,000,000-row import's CPU before). Only places found are
// kept (errors carry the row's own text), at most placeMemoSize of them,
// and each caller gets its own copy.
type placeMemo struct {
	mu sync.Mutex
	m  map[placeKey]Place
}

type placeKey struct {
	province, commune string
	on                nipp.Date
	chosen            string
}

const placeMemoSize = 1 << 14

func (m *placeMemo) get(k placeKey) (*Place, bool) {
	m.mu.Lock()
	v, ok := m.m[k]
	m.mu.Unlock()
	if !ok {
		return nil, false
	}
	return v.copy(), true
}

func (m *placeMemo) put(k placeKey, pl *Place) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(k.province)+len(k.commune)+len(k.chosen) > 400 {
		return // a cell's text, not a place's name: not kept
	}
	if len(m.m) >= placeMemoSize {
		clear(m.m)
	}
	m.m[k] = *pl.copy()
}

// copy returns a copy of pl sharing nothing with it (a 2025 commune's old
// commune is its commune: one unit in the copy too).
func (pl *Place) copy() *Place {
	c := *pl
	if pl.Commune != nil {
		u := *pl.Commune
		c.Commune = &u
	}
	switch {
	case pl.OrigCommune == pl.Commune:
		c.OrigCommune = c.Commune
	case pl.OrigCommune != nil:
		u := *pl.OrigCommune
		c.OrigCommune = &u
	}
	return &c
}

// resolver returns the address resolver, built once per App from the
// embedded reference data.
func (a *App) resolver() (*address.Resolver, error) {
	a.addrOnce.Do(func() {
		if a.addr != nil {
			return
		}
		d, err := refdata.Load()
		if err != nil {
			a.addrErr = nipp.Internal(err)
			return
		}
		a.addr = address.New(d)
	})
	return a.addr, a.addrErr
}

// places returns the resolver with the admin_units ids of every unit,
// read once (reference data never changes while the process runs; the map
// is kept only once the reference data is loaded).
func (a *App) places(ctx context.Context) (*places, error) {
	r, err := a.resolver()
	if err != nil {
		return nil, err
	}
	a.placesMu.Lock()
	defer a.placesMu.Unlock()
	if a.unitIDs != nil {
		return &places{r: r, ids: a.unitIDs, memo: a.placeMemo}, nil
	}
	var units []nipp.Unit
	if err := a.read(ctx, func(tx *store.Tx) error {
		var err error
		units, err = tx.FindUnits(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	ids := make(map[unitKey]nipp.Unit, len(units))
	for _, u := range units {
		ids[unitKey{u.Code, u.Generation}] = u
	}
	if len(units) == 0 {
		return &places{r: r, ids: ids}, nil
	}
	a.unitIDs = ids
	a.placeMemo = &placeMemo{m: map[placeKey]Place{}}
	return &places{r: r, ids: ids, memo: a.placeMemo}, nil
}

// Resolver returns the shared address resolver (for reference-data pages
// and suggestions).
func (a *App) Resolver() (_ *address.Resolver, err error) {
	defer nipp.Wrap(&err, "app.Resolver()")
	return a.resolver()
}

func foldKey(s string) string { return vntext.StripUnitPrefix(vntext.Fold(s)) }

// unit maps a resolver unit to its admin_units row.
func (p *places) unit(u address.Unit) (nipp.Unit, error) {
	if v, ok := p.ids[unitKey{u.Code, u.Generation}]; ok {
		return v, nil
	}
	return nipp.Unit{}, nipp.Errorf(nipp.EINTERNAL, "err.app.administrative_unit_not_loaded", u.Code, u.Generation)
}

// resolve finds the units of an address typed as province and commune names
// (any case, diacritics, Unicode form, with or without "Xã/Phường/Tỉnh",
// codes too), in the units of the date on (see address.Resolver.Resolve).
// chosen, when set, is the code of the 2025 commune the user picked among
// the candidates of an ambiguous commune (a split old one, or homonyms).
//
// The units at the time are the old commune and its old province when the
// text named a pre-2025 commune; when it named a 2025 commune, the record is
// in today's units and both pairs are the same.
func (p *places) resolve(provinceText, communeText string, on nipp.Date, chosen string) (*Place, error) {
	if p.memo == nil {
		return p.resolveNow(provinceText, communeText, on, chosen)
	}
	k := placeKey{provinceText, communeText, on, chosen}
	if pl, ok := p.memo.get(k); ok {
		return pl, nil
	}
	pl, err := p.resolveNow(provinceText, communeText, on, chosen)
	if err == nil {
		p.memo.put(k, pl)
	}
	return pl, err
}

func (p *places) resolveNow(provinceText, communeText string, on nipp.Date, chosen string) (*Place, error) {
	var t time.Time // the zero time reads as today
	if !on.IsZero() {
		t = on.Time()
	}
	res := p.r.Resolve(provinceText, communeText, t)
	var commune address.Unit
	switch res.Status {
	case address.ProvinceNotFound:
		return nil, nipp.FieldError("province", "err.address", nipp.Text(res.Message))
	case address.NotFound:
		return nil, nipp.FieldError("commune", "err.address", nipp.Text(res.Message))
	case address.Ambiguous:
		for _, c := range res.Candidates {
			if chosen != "" && c.Code == chosen {
				commune = c
			}
		}
		if commune.Code == "" {
			cands := make([]nipp.Unit, 0, len(res.Candidates))
			for _, c := range res.Candidates {
				u, err := p.unit(c)
				if err != nil {
					return nil, err
				}
				cands = append(cands, u)
			}
			return nil, &AmbiguousCommuneError{Text: communeText, Candidates: cands, Err: nipp.FieldError("commune", "err.address", nipp.Text(res.Message))}
		}
	default:
		commune = res.Commune
	}
	pl := &Place{}
	var err error
	c, err := p.unit(commune)
	if err != nil {
		return nil, err
	}
	pl.Commune = &c
	if pl.Province, err = p.unit(address.Unit{Code: commune.ProvinceCode, Generation: address.Gen2025}); err != nil {
		return nil, err
	}
	old := res.OrigCommune
	if old == nil && len(res.OrigCandidates) > 0 {
		// Several old units of that name: the one that went into the
		// chosen commune, when only one did.
		var fit []address.Unit
		for _, o := range res.OrigCandidates {
			if _, succ, ok := p.r.OldCommune(o.Code); ok {
				for _, s := range succ {
					if s.Code == commune.Code {
						fit = append(fit, o)
						break
					}
				}
			}
		}
		if len(fit) == 1 {
			old = &fit[0]
		}
	}
	switch {
	case old != nil:
		oc, err := p.unit(*old)
		if err != nil {
			return nil, err
		}
		pl.OrigCommune = &oc
		if pl.OrigProvince, err = p.unit(address.Unit{Code: old.ProvinceCode, Generation: address.Gen2008}); err != nil {
			return nil, err
		}
	case len(res.OrigCandidates) > 0:
		// Homonyms in the old province(s): the old commune is unknown, the
		// old province is that of the first.
		if pl.OrigProvince, err = p.unit(address.Unit{Code: res.OrigCandidates[0].ProvinceCode, Generation: address.Gen2008}); err != nil {
			return nil, err
		}
	default:
		// A 2025 commune: the record is in today's units.
		pl.OrigCommune, pl.OrigProvince = pl.Commune, pl.Province
	}
	return pl, nil
}

// AmbiguousCommuneError is returned for a commune text that fits several
// 2025 communes (an old commune split between several new ones, or the same
// name in several places): the form lets the user pick among Candidates.
type AmbiguousCommuneError struct {
	Text       string
	Candidates []nipp.Unit
	Err        *nipp.Error
}

func (e *AmbiguousCommuneError) Error() string       { return e.Err.Error() }
func (e *AmbiguousCommuneError) Unwrap() error       { return e.Err }
func (e *AmbiguousCommuneError) AsNipp() *nipp.Error { return e.Err }
