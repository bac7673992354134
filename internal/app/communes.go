package app

import (
	"context"
	"strings"

	"nipp/internal/address"
	"nipp/internal/nipp"
)

// CommuneSuggestion is a commune offered while typing an address: a 2025
// commune, or a former (pre-2025) one with the 2025 communes it went into.
type CommuneSuggestion struct {
	Code         string    `json:"code"`
	Name         string    `json:"name"`
	Type         string    `json:"type"`
	Generation   int       `json:"generation"`
	ProvinceCode string    `json:"province_code"`
	ProvinceName string    `json:"province_name"`
	Former       bool      `json:"former"`
	Successors   []UnitRef `json:"successors,omitempty"`
}

// UnitRef names an administrative unit.
type UnitRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// MaxCommuneSuggestions bounds the suggestions of one request.
const MaxCommuneSuggestions = 20

// CommuneSuggestions returns communes for an address field (public
// reference data). province is a province code or name of either
// generation (empty: nationwide). With text, up to n (at most
// MaxCommuneSuggestions) communes whose names start with or resemble it,
// 2025 communes first, former ones marked with their successors; without
// text, every 2025 commune of the province (none without a province). An
// unknown province is an input error.
func (a *App) CommuneSuggestions(ctx context.Context, province, text string, n int) (_ []CommuneSuggestion, err error) {
	defer nipp.Wrap(&err, "app.CommuneSuggestions(%q, %v)", province, n)
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nil, err
	}
	r, err := a.resolver()
	if err != nil {
		return nil, err
	}
	province, text = strings.TrimSpace(province), strings.TrimSpace(text)
	if province != "" {
		if res := r.ResolveProvince(province); res.Status != address.Resolved {
			return nil, nipp.FieldError("province", "err.address", nipp.Text(res.Message))
		}
	}
	if n <= 0 || n > MaxCommuneSuggestions {
		n = MaxCommuneSuggestions
	}
	var units []address.Unit
	switch {
	case text != "":
		units = r.Suggest(province, text, n)
	case province != "":
		units = r.Communes(r.ResolveProvince(province).Province.Code)
	}
	out := make([]CommuneSuggestion, 0, len(units))
	for _, u := range units {
		s := CommuneSuggestion{Code: u.Code, Name: u.Name, Type: u.Type, Generation: u.Generation,
			ProvinceCode: u.ProvinceCode, ProvinceName: u.ProvinceName, Former: u.Generation == address.Gen2008}
		if s.Former {
			if _, succ, ok := r.OldCommune(u.Code); ok {
				for _, c := range succ {
					s.Successors = append(s.Successors, UnitRef{Code: c.Code, Name: c.Name})
				}
			}
		}
		out = append(out, s)
	}
	return out, nil
}
