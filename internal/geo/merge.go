package geo

import (
	"fmt"
	"sync"

	"nipp/internal/refdata"
)

// Units are the provinces of both generations with their regions and the
// 2025 merger (from the reference data, province_merge_2025.csv).
type Units struct {
	// Successor maps a 2008 code to the 2025 province it went into.
	Successor map[string]string
	// MergedFrom maps a 2025 code to the 2008 provinces that form it.
	MergedFrom map[string][]string
	// Region maps a code of each generation to its region (RRD, NMM...):
	// Region[Gen2008][code], Region[Gen2025][code].
	Region map[int]map[string]string
	// Codes lists each generation's codes in the reference data's order.
	Codes map[int][]string
	// Ref is the reference data they were read from (regions, names,
	// activity types, indicators), to be read, not changed.
	Ref *refdata.Data
}

var (
	unitsOnce sync.Once
	units     *Units
	unitsErr  error
)

// LoadUnits reads the provinces of both generations once per process.
func LoadUnits() (*Units, error) {
	unitsOnce.Do(func() {
		d, err := refdata.Load()
		if err != nil {
			unitsErr = err
			return
		}
		units = unitsOf(d)
	})
	return units, unitsErr
}

func unitsOf(d *refdata.Data) *Units {
	u := &Units{Successor: map[string]string{}, MergedFrom: map[string][]string{},
		Region: map[int]map[string]string{Gen2008: {}, Gen2025: {}}, Codes: map[int][]string{}, Ref: d}
	for _, p := range d.Provinces63 {
		u.Successor[p.Code] = p.Successor
		u.Region[Gen2008][p.Code] = p.RegionCode
		u.Codes[Gen2008] = append(u.Codes[Gen2008], p.Code)
	}
	for _, p := range d.Provinces34 {
		u.MergedFrom[p.Code] = p.MergedFrom
		u.Region[Gen2025][p.Code] = p.RegionCode
		u.Codes[Gen2025] = append(u.Codes[Gen2025], p.Code)
	}
	return u
}

// To2025 re-aggregates figures by the 63 provinces (2008 codes) into the
// 34 (2025 codes): each new province gets the sum of the old provinces
// that went into it. Only additive figures (counts, money) may be summed;
// a share or a ratio is computed again from the summed parts. A 2008 code
// the merger does not know is an error (a figure would be lost).
func (u *Units) To2025(by2008 map[string]float64) (map[string]float64, error) {
	out := map[string]float64{}
	for code, v := range by2008 {
		to, ok := u.Successor[code]
		if !ok || to == "" {
			return nil, fmt.Errorf("geo: no 2025 province for the 2008 province %q", code)
		}
		out[to] += v
	}
	return out, nil
}

// To2025Int is To2025 for whole numbers (exact, no float rounding).
func (u *Units) To2025Int(by2008 map[string]int64) (map[string]int64, error) {
	out := map[string]int64{}
	for code, v := range by2008 {
		to, ok := u.Successor[code]
		if !ok || to == "" {
			return nil, fmt.Errorf("geo: no 2025 province for the 2008 province %q", code)
		}
		out[to] += v
	}
	return out, nil
}
