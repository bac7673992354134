package address

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// provPick is a typed province, resolved.
type provPick struct {
	orig int32 // index in provs of the unit as typed (either generation)
	p34  int32 // index in provs of its 2025 unit
}

// findProvince reads a province name or code. When a name or code exists in
// both generations, preferOld picks the 63-set unit, otherwise the 34-set
// one; either way p34 is the 2025 unit.
func (r *Resolver) findProvince(s string, preferOld bool) (provPick, bool) {
	toks := r.dec.tokenize(s)
	if len(toks) == 0 {
		return provPick{}, false
	}
	var list []int32
	aliasGen := 0
	if len(toks) == 1 && allDigits(toks[0].fold) {
		c := padCode(toks[0].fold, 2)
		if i, ok := r.prov34ByCode[c]; ok {
			list = append(list, i)
		}
		if i, ok := r.prov63ByCode[c]; ok {
			list = append(list, i)
		}
	} else {
		k := provinceKey(toks)
		if a, ok := r.provAlias[k]; ok {
			k = a.key
			if a.gen != 0 {
				aliasGen = a.gen
			}
		}
		list = r.provByKey[k]
	}
	if len(list) == 0 {
		return provPick{}, false
	}
	pick := list[0]
	want := Gen2025
	if preferOld || aliasGen == Gen2008 {
		want = Gen2008
	}
	for _, i := range list {
		if r.provs[i].u.Generation == want {
			pick = i
			break
		}
	}
	p34 := r.provs[pick].p34
	if p34 < 0 {
		return provPick{}, false
	}
	return provPick{orig: pick, p34: p34}, true
}

// ResolveProvince resolves a province by name or statistical code, of either
// generation, in any spelling: "01", "1", "Hà Nội", "TP. Hà Nội", "ha noi",
// "TP HCM", "Sài Gòn", "Thừa Thiên Huế", "BR-VT", "Hoà Bình"/"Hòa Bình". A
// name or code that exists in both generations reads as the 2025 unit. The
// Status is Resolved or ProvinceNotFound (with Suggestions).
func (r *Resolver) ResolveProvince(text string) Result {
	s := cleanInput(text)
	pp, ok := r.findProvince(s, false)
	if !ok {
		return r.provinceNotFound(s)
	}
	res := Result{Status: Resolved, Province: r.provs[pp.p34].u, OrigProvince: r.provs[pp.orig].u}
	if res.OrigProvince.Generation == Gen2008 && res.OrigProvince.Name != res.Province.Name {
		res.Message = msg(`"%s" là %s cũ, nay thuộc %s`, `"%s" is the former %s, now part of %s`,
			quote(s), res.OrigProvince.Name, res.Province.Name)
	} else {
		res.Message = msg(`"%s" là %s`, `"%s" is %s`, quote(s), res.Province.Name)
	}
	return res
}

func (r *Resolver) provinceNotFound(s string) Result {
	res := Result{Status: ProvinceNotFound, Suggestions: r.suggestProvinces(s, 5)}
	if s == "" {
		res.Message = join("Chưa nhập tỉnh, thành phố", "no province or city given")
		return res
	}
	res.Message = join(fmt.Sprintf(`Không tìm thấy tỉnh, thành phố "%s"%s`, quote(s), didYouMeanVI(res.Suggestions, false)),
		fmt.Sprintf(`no province or city "%s" found%s`, quote(s), didYouMeanEN(res.Suggestions, false)))
	return res
}

// query is a parsed commune text.
type query struct {
	text     string  // the commune text as typed (cleaned)
	hint     string  // unit type named by the unit word, if any
	toks     []token // words without the unit word
	key      string  // compact key of toks
	fullToks []token // all words, when a unit word was stripped
	fullKey  string
	// number holds the digits as typed when the whole text is one number
	// (a code, or the number of "Phường 1" typed alone).
	number string
	// marked reports that the text was typed with diacritics (anywhere,
	// unit word included): its unmarked words then mean plain letters.
	marked bool
}

// nameFirst reports whether a bare number is read as a name ("1" for
// "Phường 1") before a code: up to two digits, as ward numbers go; longer
// numbers are codes first ("00004", "4"-digit codes that lost a zero).
func (q query) nameFirst() bool { return len(q.number) <= 2 }

// parseCommune splits a commune text into its unit word and name.
func (r *Resolver) parseCommune(s string) query {
	q := query{text: s}
	toks := r.dec.tokenize(s)
	if len(toks) == 0 {
		return q
	}
	if len(toks) == 1 && allDigits(toks[0].fold) {
		q.number = s[toks[0].start:toks[0].end]
	}
	q.marked = anyMarked(toks)
	// "P1", "F12": a ward number glued to its unit letter.
	if f := toks[0].fold; len(f) >= 2 && (f[0] == 'p' || f[0] == 'f') && allDigits(f[1:]) && !toks[0].marked {
		num := strings.TrimLeft(f[1:], "0")
		if num == "" {
			num = "0"
		}
		split := []token{
			{fold: f[:1], accent: f[:1], start: toks[0].start, end: toks[0].start + 1},
			{fold: num, accent: num, start: toks[0].start + 1, end: toks[0].end},
		}
		toks = append(split, toks[1:]...)
	}
	n, typ := r.matchPrefix(toks)
	q.hint = typ
	q.toks = toks[n:]
	q.key = compact(q.toks)
	if n > 0 {
		q.fullToks = toks
		q.fullKey = compact(toks)
	}
	return q
}

// splitAddress picks, from a commune text that holds several comma- or
// semicolon-separated parts ("Thôn 3, Xã Tân Lập, Huyện X, Tỉnh Y"), the
// part naming the commune (the first that starts with a commune-level unit
// word, else the first) and the parts after it, last first, where the
// province may be.
func (r *Resolver) splitAddress(s string) (commune string, after []string) {
	if !strings.ContainsAny(s, ",;") {
		return s, nil
	}
	var parts []string
	for _, p := range strings.FieldsFunc(s, func(c rune) bool { return c == ',' || c == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "", nil
	}
	pick := 0
	for i, p := range parts {
		if n, typ := r.matchPrefix(r.dec.tokenize(p)); n > 0 && typ != TypeDistrict {
			pick = i
			break
		}
	}
	after = parts[pick+1:]
	slices.Reverse(after)
	return parts[pick], after
}

// Resolve resolves a commune within a province.
//
// provinceText is a province name or code of either generation (see
// ResolveProvince); it may be empty, and then the commune name must be unique
// nationally, else the result is Ambiguous. communeText is a commune name
// of either generation, with or without its unit word, or an official code
// ("00004", or "4" for a code that lost its zeros; a number of one or two
// digits is first read as a name, so that "1" finds "Phường 1", then as a
// code). A commune text that is a whole address ("Thôn 3, Xã Tân Lập,
// Huyện Sơn Dương, Tỉnh Tuyên Quang") is reduced to its commune part (the
// first part with a commune unit word), and when provinceText is empty the
// last part after it that names a province serves as the province.
//
// on is the date the record refers to. Before 2025-07-01 a name or code is
// read as a pre-2025 commune when one fits, else as a 2025 commune; on or
// after that date, and for the zero time, 2025 communes come first. A unit
// word ("Phường", "Xã", "Thị trấn", ...) outranks the date: "Thị trấn X"
// reads the old township even when a 2025 "Xã X" exists.
//
// An old commune resolves to the 2025 commune it went into, with
// OrigCommune set; an old commune split between several 2025 communes is
// Ambiguous, never guessed.
func (r *Resolver) Resolve(provinceText, communeText string, on time.Time) Result {
	preferOld := beforeCutover(on)
	ptext := cleanInput(provinceText)
	ctext, provParts := r.splitAddress(cleanInput(communeText))

	scope := int32(-1)
	var pp provPick
	switch {
	case ptext != "":
		var ok bool
		if pp, ok = r.findProvince(ptext, preferOld); !ok {
			return r.provinceNotFound(ptext)
		}
		scope = pp.p34
	default:
		for _, part := range provParts {
			if p, ok := r.findProvince(part, preferOld); ok {
				pp, scope = p, p.p34
				break
			}
		}
	}
	res := Result{}
	if scope >= 0 {
		res.Province = r.provs[pp.p34].u
		res.OrigProvince = r.provs[pp.orig].u
	}
	where := func() (string, string) {
		if scope < 0 {
			return "", ""
		}
		return " ở " + res.OrigProvince.Name, " in " + res.OrigProvince.Name
	}

	q := r.parseCommune(ctext)
	if q.key == "" {
		res.Status = NotFound
		res.Message = join("Chưa nhập xã, phường", "no commune or ward given")
		return res
	}

	// 1. By code, when the text is a number that is not a ward number.
	var in, out []int32
	if q.number != "" && !q.nameFirst() {
		if in, out = r.byCode(q.number, scope); len(in) > 0 {
			return r.conclude(res, r.preferGeneration(in, preferOld), q, pp, scope)
		}
	}

	// 2. By name: the name without its unit word, then the whole text.
	hint, toks := q.hint, q.toks
	cands := r.lookup(q.key, scope)
	if len(cands) == 0 && q.fullKey != "" {
		hint, toks = "", q.fullToks
		cands = r.lookup(q.fullKey, scope)
	}
	if len(cands) > 0 {
		cands = r.filter(cands, hint, toks, q.marked, pp, scope, preferOld)
		return r.conclude(res, cands, q, pp, scope)
	}

	// 3. By code, for a short number that is no ward name here.
	if q.number != "" && q.nameFirst() {
		if in, out = r.byCode(q.number, scope); len(in) > 0 {
			return r.conclude(res, r.preferGeneration(in, preferOld), q, pp, scope)
		}
	}
	if len(out) > 0 {
		// A code of another province: say where it is.
		u := r.units[out[0]].u
		res.Status = NotFound
		res.Suggestions = r.unitList(out)
		res.Message = msg(`Mã "%s" là %s (%s), không thuộc %s`, `code "%s" is %s (%s), not in %s`,
			quote(q.text), u.Name, u.ProvinceName, res.OrigProvince.Name)
		return res
	}

	// 4. Nothing: near misses.
	res.Status = NotFound
	res.Suggestions = r.rank(scope, q, 5, false)
	vi, en := where()
	res.Message = join(fmt.Sprintf(`Không tìm thấy xã, phường "%s"%s%s`, quote(q.text), vi, didYouMeanVI(res.Suggestions, scope < 0)),
		fmt.Sprintf(`no commune or ward "%s" found%s%s`, quote(q.text), en, didYouMeanEN(res.Suggestions, scope < 0)))
	return res
}

// lookup returns the units (both generations) whose key is k, within the
// 2025 province scope (-1: nationwide).
func (r *Resolver) lookup(k string, scope int32) []int32 {
	all := r.byKey[k]
	if scope < 0 || len(all) == 0 {
		return slices.Clone(all)
	}
	out := make([]int32, 0, len(all))
	for _, i := range all {
		if r.units[i].p34 == scope {
			out = append(out, i)
		}
	}
	return out
}

// byCode finds units by code, split into those within scope and outside.
func (r *Resolver) byCode(digits string, scope int32) (in, out []int32) {
	var found []int32
	if c := padCode(digits, 5); c != "" {
		if i, ok := r.newByCode[c]; ok {
			found = append(found, i)
		}
		if i, ok := r.oldByCode[c]; ok {
			found = append(found, i)
		}
	}
	if len(digits) == 3 { // island districts
		if i, ok := r.oldByCode[digits]; ok {
			found = append(found, i)
		}
	}
	for _, i := range found {
		if scope < 0 || r.units[i].p34 == scope {
			in = append(in, i)
		} else {
			out = append(out, i)
		}
	}
	return in, out
}

// typeMatches reports whether a unit of type ut fits the unit word hint.
// An island district ("Huyện Côn Đảo") and the special zone that replaced
// it ("Đặc khu Côn Đảo") count as the same kind.
func typeMatches(hint, ut string) bool {
	if hint == ut {
		return true
	}
	return (hint == TypeSpecialZone && ut == TypeDistrict) || (hint == TypeDistrict && ut == TypeSpecialZone)
}

// keepIf narrows cands to those satisfying keep, unless none does.
func keepIf(cands []int32, keep func(i int32) bool) []int32 {
	n := 0
	for _, i := range cands {
		if keep(i) {
			n++
		}
	}
	if n == 0 || n == len(cands) {
		return cands
	}
	out := make([]int32, 0, n)
	for _, i := range cands {
		if keep(i) {
			out = append(out, i)
		}
	}
	return out
}

// filter applies, in order, the preferences that narrow a set of units of
// the same folded name: the unit word, the diacritics as typed, the pre-2025
// province as typed, and the generation the date prefers. Each one applies
// only when some candidate satisfies it, so none can empty the set.
func (r *Resolver) filter(cands []int32, hint string, toks []token, marked bool, pp provPick, scope int32, preferOld bool) []int32 {
	if hint != "" {
		cands = keepIf(cands, func(i int32) bool { return typeMatches(hint, r.units[i].u.Type) })
	}
	if marked {
		// Text typed with diacritics: the exact spelling first ("Thanh"
		// is not "Thành"), then any spelling with the marks that were typed
		// ("Van Lăng" for "Văn Lăng").
		cands = keepIf(cands, func(i int32) bool { return accentEqual(toks, r.units[i].toks) })
		cands = keepIf(cands, func(i int32) bool { return accentCompatible(toks, r.units[i].toks) })
	}
	if scope >= 0 && r.provs[pp.orig].u.Generation == Gen2008 {
		old := pp.orig
		cands = keepIf(cands, func(i int32) bool {
			u := &r.units[i]
			if u.p63 >= 0 {
				return u.p63 == old
			}
			return slices.Contains(u.oldProvs, old)
		})
	}
	return r.preferGeneration(cands, preferOld)
}

// preferGeneration keeps the units of the preferred generation, if any.
func (r *Resolver) preferGeneration(cands []int32, preferOld bool) []int32 {
	return keepIf(cands, func(i int32) bool { return (r.units[i].p63 >= 0) == preferOld })
}

// conclude turns the remaining candidates (all of one generation) into a
// Result.
func (r *Resolver) conclude(res Result, cands []int32, q query, pp provPick, scope int32) Result {
	if len(cands) > 0 && r.units[cands[0]].p63 < 0 {
		return r.concludeNew(res, cands, q, scope)
	}
	return r.concludeOld(res, cands, q, pp, scope)
}

func (r *Resolver) concludeNew(res Result, cands []int32, q query, scope int32) Result {
	if len(cands) == 1 {
		c := &r.units[cands[0]]
		res.Status = Resolved
		res.Commune = c.u
		res.Province = r.provs[c.p34].u
		if scope < 0 {
			res.OrigProvince = res.Province
		}
		res.Message = msg(`"%s" là %s, %s`, `"%s" is %s, %s`,
			quote(q.text), c.u.Name, res.Province.Name)
		return res
	}
	r.sortUnits(cands)
	res.Status = Ambiguous
	res.Candidates = r.unitList(cands)
	span := r.spansProvinces(cands)
	if !span && scope < 0 {
		res.Province = r.provs[r.units[cands[0]].p34].u
		res.OrigProvince = res.Province
	}
	list := listUnits(res.Candidates, span)
	if scope < 0 {
		res.Message = msg(`"%s" khớp với nhiều xã, phường: %s; vui lòng chọn hoặc ghi rõ tỉnh`,
			`"%s" matches several communes: %s; please choose one or give the province`, quote(q.text), list)
	} else {
		res.Message = msg(`"%s" khớp với nhiều xã, phường ở %s: %s; vui lòng chọn`,
			`"%s" matches several communes in %s: %s; please choose one`,
			quote(q.text), res.OrigProvince.Name, list)
	}
	return res
}

func (r *Resolver) concludeOld(res Result, olds []int32, q query, pp provPick, scope int32) Result {
	var succ []int32
	for _, i := range olds {
		for _, j := range r.units[i].succ {
			if !slices.Contains(succ, j) {
				succ = append(succ, j)
			}
		}
	}
	if len(olds) > 1 {
		r.sortUnits(olds)
		res.OrigCandidates = r.unitList(olds)
	} else {
		u := r.units[olds[0]].u
		res.OrigCommune = &u
	}
	oldProvs := r.oldProvinceNames(olds)
	// The province of the old unit(s) is the one typed, unless the text
	// named a different pre-2025 province or none.
	if len(olds) == 1 {
		o := &r.units[olds[0]]
		if scope < 0 || (r.provs[pp.orig].u.Generation == Gen2008 && pp.orig != o.p63) {
			res.OrigProvince = r.provs[o.p63].u
		}
	}
	newList := func(span bool) string { return listUnits(r.unitList(succ), span) }

	if len(succ) == 1 {
		c := &r.units[succ[0]]
		res.Status = Resolved
		res.Commune = c.u
		res.Province = r.provs[c.p34].u
		if res.OrigProvince.Code == "" {
			res.OrigProvince = res.Province
		}
		if len(olds) == 1 {
			o := r.units[olds[0]].u
			res.Message = join(fmt.Sprintf(`"%s" là %s cũ (%s), nay thuộc %s, %s`, quote(q.text), o.Name, oldProvs.vi, c.u.Name, res.Province.Name),
				fmt.Sprintf(`"%s" is the former %s (%s), now part of %s, %s`, quote(q.text), o.Name, oldProvs.en, c.u.Name, res.Province.Name))
		} else {
			ol := listUnits(res.OrigCandidates, oldProvs.n > 1)
			res.Message = join(fmt.Sprintf(`"%s" là tên của %d đơn vị cũ (%s; %s), nay đều thuộc %s, %s`,
				quote(q.text), len(olds), ol, oldProvs.vi, c.u.Name, res.Province.Name),
				fmt.Sprintf(`"%s" named %d former units (%s; %s), all now part of %s, %s`,
					quote(q.text), len(olds), ol, oldProvs.en, c.u.Name, res.Province.Name))
		}
		return res
	}

	res.Status = Ambiguous
	res.Candidates = r.unitList(succ)
	span := r.spansProvinces(succ)
	if !span && scope < 0 {
		res.Province = r.provs[r.units[succ[0]].p34].u
		if res.OrigProvince.Code == "" {
			res.OrigProvince = res.Province
		}
	}
	list := newList(span)
	if len(olds) == 1 {
		o := r.units[olds[0]].u
		res.Message = join(fmt.Sprintf(`"%s" là %s cũ (%s), đã được chia cho nhiều xã, phường mới: %s; vui lòng chọn`,
			quote(q.text), o.Name, oldProvs.vi, list),
			fmt.Sprintf(`"%s" is the former %s (%s), which was split between several new communes: %s; please choose one`,
				quote(q.text), o.Name, oldProvs.en, list))
		return res
	}
	res.Message = join(fmt.Sprintf(`"%s" là tên của %d đơn vị cũ (%s), nay thuộc nhiều xã, phường: %s; vui lòng chọn`,
		quote(q.text), len(olds), oldProvs.vi, list),
		fmt.Sprintf(`"%s" named %d former units (%s), now in several communes: %s; please choose one`,
			quote(q.text), len(olds), oldProvs.en, list))
	return res
}

// sortUnits orders units by province code, then folded name, then code.
func (r *Resolver) sortUnits(idx []int32) {
	slices.SortFunc(idx, func(a, b int32) int {
		ua, ub := &r.units[a], &r.units[b]
		return cmp.Or(cmp.Compare(ua.u.ProvinceCode, ub.u.ProvinceCode), cmp.Compare(ua.spaced, ub.spaced),
			cmp.Compare(ua.u.Name, ub.u.Name), cmp.Compare(ua.u.Code, ub.u.Code))
	})
}

func (r *Resolver) spansProvinces(idx []int32) bool {
	for _, i := range idx[1:] {
		if r.units[i].u.ProvinceCode != r.units[idx[0]].u.ProvinceCode {
			return true
		}
	}
	return false
}

// provLabels names the pre-2025 provinces of some old units for a message.
type provLabels struct {
	vi, en string
	n      int // how many provinces
}

// oldProvinceNames names the distinct pre-2025 provinces of old units, in
// order: "Hà Giang cũ" / "former Hà Giang", or just the name when the
// province kept it ("Hà Nội").
func (r *Resolver) oldProvinceNames(olds []int32) provLabels {
	var seen []int32
	var vi, en []string
	for _, i := range olds {
		p := r.units[i].p63
		if slices.Contains(seen, p) {
			continue
		}
		seen = append(seen, p)
		name := r.provs[p].u.Name
		if r.provs[r.provs[p].p34].u.Name == name {
			vi, en = append(vi, name), append(en, name)
		} else {
			vi, en = append(vi, name+" cũ"), append(en, "former "+name)
		}
	}
	return provLabels{vi: strings.Join(vi, ", "), en: strings.Join(en, ", "), n: len(seen)}
}
