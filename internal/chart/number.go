package chart

import (
	"math"
	"strconv"
	"strings"
)

// Number is a local number format: the thousands separator and the
// decimal mark. Vietnamese writes 1.600,5; English 1,600.5.
type Number struct {
	Group   string
	Decimal string
}

// Vietnamese and English are the two formats of the UI.
var (
	Vietnamese = Number{Group: ".", Decimal: ","}
	English    = Number{Group: ",", Decimal: "."}
)

// NumberFor returns the format of a UI language ("vi", "en").
func NumberFor(lang string) Number {
	if lang == "en" {
		return English
	}
	return Vietnamese
}

// Format writes v with the given number of decimals, grouping thousands:
// Vietnamese.Format(1234567.891, 2) = "1.234.567,89". NaN and infinities
// are written "–".
func (n Number) Format(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	if decimals < 0 {
		decimals = 0
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteString("−")
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(n.Group)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(n.Decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// decimalsFor is how many decimals a step between ticks needs to show
// distinct ticks: 0 for 1, 2, 5, 10...; 1 for 0.5; 2 for 0.25.
func decimalsFor(step float64) int {
	if step <= 0 || math.IsNaN(step) || math.IsInf(step, 0) {
		return 0
	}
	d := 0
	for d < 6 && math.Abs(step*math.Pow10(d)-math.Round(step*math.Pow10(d))) > 1e-9*math.Pow10(d) {
		d++
	}
	return d
}

// niceScale returns ticks from a round number at or below lo to one at or
// above hi, about n of them, spaced by 1, 2, 2.5 or 5 times a power of ten.
// lo and hi are widened to include 0 by the caller when bars need a
// baseline. A flat range (lo == hi) gets a scale from 0 (or lo) to a round
// number above it; an empty one (both 0) a scale 0..1.
func niceScale(lo, hi float64, n int) (ticks []float64, step float64) {
	if n < 2 {
		n = 2
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi == lo {
		switch {
		case hi == 0:
			hi = 1
		case hi > 0:
			lo = math.Min(lo, 0)
			if lo == hi {
				hi = lo * 2
			}
		default:
			hi = 0
		}
	}
	raw := (hi - lo) / float64(n-1)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	start := math.Floor(lo/step+1e-9) * step
	end := math.Ceil(hi/step-1e-9) * step
	for i := 0; ; i++ {
		t := start + float64(i)*step
		if t > end+step/2 {
			break
		}
		// Round away floating-point dust (0.30000000000000004).
		t = math.Round(t/step) * step
		if t == 0 {
			t = 0 // no negative zero
		}
		ticks = append(ticks, t)
	}
	return ticks, step
}
