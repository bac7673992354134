package address

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxSuggest bounds the n of Suggest.
const maxSuggest = 100

// Suggest returns up to n units (2025 communes first among equals, and
// pre-2025 communes) whose names start with or resemble text, within a
// province if provinceText is given (an unknown province gives nil), for an
// autocomplete endpoint. text may carry a unit word ("Phường Tân"), which
// then ranks units of that type first. Names that start with the text come
// before names with a word that starts with it, which come before names
// within a few edits of it. A pre-2025 commune whose name and type a 2025
// commune of the same province kept is left out. n is capped at 100.
func (r *Resolver) Suggest(provinceText, text string, n int) []Unit {
	if n <= 0 {
		return nil
	}
	n = min(n, maxSuggest)
	scope := int32(-1)
	if p := cleanInput(provinceText); p != "" {
		pp, ok := r.findProvince(p, false)
		if !ok {
			return nil
		}
		scope = pp.p34
	}
	q := r.parseCommune(cleanInput(text))
	if q.key == "" {
		return nil
	}
	return r.rank(scope, q, n, true)
}

// scored is a unit with its rank.
type scored struct {
	i     int32
	score float64
}

// rank scores the units within scope against q and returns the best n.
// With prefixOK, a text shorter than the name ranks names that start with
// it (autocomplete); without, only near misses count ("did you mean").
func (r *Resolver) rank(scope int32, q query, n int, prefixOK bool) []Unit {
	var pool []int32
	if scope >= 0 {
		if int(scope) < len(r.inProv34) {
			pool = r.inProv34[scope]
		}
	} else {
		pool = make([]int32, len(r.units))
		for i := range pool {
			pool[i] = int32(i)
		}
	}
	keys := []typed{{q.key, spaced(q.toks), q.hint, histOf(q.key)}}
	if q.fullKey != "" {
		keys = append(keys, typed{q.fullKey, spaced(q.fullToks), "", histOf(q.fullKey)})
	}
	var hits []scored
	for _, i := range pool {
		u := &r.units[i]
		best := 0.0
		for k := range keys {
			k := &keys[k]
			s := scoreName(k, u, prefixOK)
			if s > 0 && k.hint != "" && typeMatches(k.hint, u.u.Type) {
				s += 0.02
			}
			best = max(best, s)
		}
		if best > 0 {
			if u.p63 < 0 {
				best += 0.01
			}
			hits = append(hits, scored{i, best})
		}
	}
	slices.SortFunc(hits, func(a, b scored) int {
		ua, ub := &r.units[a.i], &r.units[b.i]
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(ua.u.Generation, ub.u.Generation)*-1,
			cmp.Compare(ua.spaced, ub.spaced), cmp.Compare(ua.u.ProvinceCode, ub.u.ProvinceCode), cmp.Compare(ua.u.Code, ub.u.Code))
	})
	seen := make(map[string]bool, n)
	var out []Unit
	for _, h := range hits {
		u := &r.units[h.i]
		// A pre-2025 commune whose name and type live on in the same 2025
		// province, or a second old unit of the same name and type in the
		// same province, adds nothing to a short list.
		k := strconv.Itoa(int(u.p34)) + "|" + sameKind(u.u.Type) + "|" + u.spaced
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, u.u)
		if len(out) == n {
			break
		}
	}
	return out
}

// sameKind maps unit types to the kind that names compare within.
func sameKind(t string) string {
	if t == TypeDistrict {
		return TypeSpecialZone
	}
	return t
}

// typed is a form of the typed text to score names against.
type typed struct {
	key, spaced string
	hint        string
	hist        hist
}

// scoreName rates how well a typed key matches a unit's name, in (0, 1], or
// 0 for no match.
func scoreName(k *typed, u *unitRec, prefixOK bool) float64 {
	key, sp := k.key, k.spaced
	switch {
	case key == u.key:
		return 1
	case prefixOK && len(key) >= 1 && strings.HasPrefix(u.key, key):
		return 0.9 + 0.09*float64(len(key))/float64(len(u.key))
	case prefixOK && len(sp) >= 2 && wordPrefix(u.spaced, sp):
		return 0.8 + 0.09*float64(len(key))/float64(len(u.key))
	case len(key) < 3:
		return 0
	}
	n := max(len(key), len(u.key))
	if maxD := int(float64(n) * (1 - minSimilarity)); abs(len(key)-len(u.key)) <= maxD && k.hist.lowerBound(&u.hist) <= maxD {
		if s := similarity(key, u.key); s > 0 {
			return 0.79 * s
		}
	}
	// A name typed without the words it shares with others ("Hà Giang"
	// for "Phường Hà Giang 1") or with a few more letters still helps.
	if !prefixOK && len(key) >= 4 && (strings.HasPrefix(u.key, key) || wordPrefix(u.spaced, sp)) {
		return 0.5
	}
	return 0
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// wordPrefix reports whether some word of name (not the first) starts the
// word sequence sp.
func wordPrefix(name, sp string) bool {
	for i := 0; i < len(name); i++ {
		if name[i] == ' ' && strings.HasPrefix(name[i+1:], sp) {
			return true
		}
	}
	return false
}

// suggestProvinces lists up to n provinces whose names resemble s.
func (r *Resolver) suggestProvinces(s string, n int) []Unit {
	k := provinceKey(r.dec.tokenize(s))
	if k == "" {
		return nil
	}
	var hits []scored
	for i := range r.provs {
		best := 0.0
		for _, pk := range r.provs[i].keys {
			sc := similarity(k, pk) // 0 below minSimilarity
			if len(k) >= 2 && strings.HasPrefix(pk, k) {
				sc = max(sc, 0.9)
			}
			best = max(best, sc)
		}
		if best > 0 {
			if r.provs[i].u.Generation == Gen2025 {
				best += 0.01
			}
			hits = append(hits, scored{int32(i), best})
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
	var out []Unit
	seen := map[string]bool{}
	for _, h := range hits {
		u := r.provs[h.i].u
		if seen[u.Name] {
			continue
		}
		seen[u.Name] = true
		out = append(out, u)
		if len(out) == n {
			break
		}
	}
	return out
}

// msg formats the Vietnamese and English halves of a message with the same
// arguments.
func msg(vi, en string, args ...any) Text {
	return join(fmt.Sprintf(vi, args...), fmt.Sprintf(en, args...))
}

func join(vi, en string) Text { return Text{VI: vi, EN: en} }

// Text is a message in both languages; the caller shows the one of its page.
type Text struct{ VI, EN string }

// String joins both languages (logs and tests).
func (t Text) String() string {
	if t.VI == "" {
		return ""
	}
	return t.VI + " / " + t.EN
}

// quote shortens typed text for a message.
func quote(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// listUnits names units for a message, with their provinces when they span
// several; at most 10, then a count of the rest.
func listUnits(us []Unit, withProvince bool) string {
	const max = 10
	parts := make([]string, 0, min(len(us), max)+1)
	for i, u := range us {
		if i == max {
			parts = append(parts, fmt.Sprintf("… (+%d)", len(us)-max))
			break
		}
		if withProvince && u.ProvinceName != "" {
			parts = append(parts, u.Name+" ("+u.ProvinceName+")")
		} else {
			parts = append(parts, u.Name)
		}
	}
	return strings.Join(parts, ", ")
}

func didYouMeanVI(us []Unit, withProvince bool) string {
	if len(us) == 0 {
		return ""
	}
	return "; có phải: " + listUnits(us, withProvince) + "?"
}

func didYouMeanEN(us []Unit, withProvince bool) string {
	if len(us) == 0 {
		return ""
	}
	return "; did you mean: " + listUnits(us, withProvince) + "?"
}
