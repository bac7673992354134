// Package rulefile reads and writes rule sets (nipp.RuleSet) in the two
// forms officers exchange: a sectioned text format and an .xlsx workbook
// with one sheet per section. docs/RULESETS.md describes both.
//
// Parse reports every problem it finds, each with the line (text) or sheet
// and row (xlsx) and the column at fault, and returns no rule set unless
// there is none: a file is loaded whole or not at all.
package rulefile

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/tabular"
	"nipp/internal/vntext"
)

// Problem is one thing wrong in a rule-set file.
type Problem struct {
	Section string   `json:"section"`          // section (text) or sheet (xlsx)
	Line    int      `json:"line"`             // line (text) or row (xlsx), 1-based; 0: the whole file
	Column  string   `json:"column,omitempty"` // column name, when one is at fault
	Msg     nipp.Msg `json:"-"`                // what is wrong, translated where shown
}

// String is the problem for logs and tests (the message as its key).
func (p Problem) String() string { return p.Format(nipp.Msg.String) }

// Format writes the problem in English with its message translated by tr
// (the command line).
func (p Problem) Format(tr func(nipp.Msg) string) string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d", p.Line)
	}
	if p.Section != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "[%s]", p.Section)
	}
	if p.Column != "" {
		fmt.Fprintf(&b, ", column %s", p.Column)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(tr(p.Msg))
	return b.String()
}

// Problems is the list of every problem in a file. As an error it is
// EINVALID (see Err).
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Err returns the problems as an EINVALID application error (nil when
// there are none) that keeps the list for callers who show it row by row.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return &nipp.Error{Code: nipp.EINVALID, Msg: nipp.M("err.rulefile.problems", nipp.Num(len(ps))), Err: ps}
}

// Ref is the reference data a rule set refers to. A nil map skips the check.
type Ref struct {
	ActivityTypes map[string]bool
}

// Section names, in file order.
const (
	SecRuleSet       = "rule_set"
	SecEligibility   = "eligibility"
	SecCaps          = "caps"
	SecAdvanceLimits = "advance_limits"
	SecApprovals     = "approvals"
)

// Sections lists the sections in the order files carry them.
var Sections = []string{SecRuleSet, SecEligibility, SecCaps, SecAdvanceLimits, SecApprovals}

// columns of the table sections: required ones first, then optional.
var columns = map[string]struct{ required, optional []string }{
	SecEligibility:   {[]string{"kind", "value"}, []string{"note"}},
	SecCaps:          {[]string{"activity_type", "area", "source", "max_share_pct"}, []string{"max_amount_vnd", "note"}},
	SecAdvanceLimits: {[]string{"source", "first_max_pct", "cumulative_max_pct"}, []string{"article", "note"}},
	SecApprovals:     {[]string{"action", "level", "authority"}, []string{"max_change_pct", "note"}},
}

// ruleSetKeys are the keys of the [rule_set] section.
var ruleSetKeys = []string{"code", "name_vi", "name_en", "legal_basis", "legal_basis_en", "valid_from", "valid_to", "note", "note_en"}

// record is one line (or row) of a section.
type record struct {
	pos   int
	cells []string
}

// section is a parsed section before interpretation.
type section struct {
	name   string
	pos    int      // line of the [header] or 1 for a sheet
	header *record  // table sections: the column names
	rows   []record // key/value pairs (rule_set) or table rows
}

// Parse reads a rule-set file, text or xlsx (by content), and validates it
// against ref. It returns the rule set or every problem found.
func Parse(data []byte, ref Ref) (*nipp.RuleSet, Problems) {
	var secs []*section
	var ps Problems
	if isXLSX(data) {
		secs, ps = splitXLSX(data)
	} else {
		secs, ps = splitText(data)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	rs, ps := interpret(secs, ref)
	if len(ps) > 0 {
		return nil, ps
	}
	return rs, nil
}

func isXLSX(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// splitText cuts the text format into sections.
func splitText(data []byte) ([]*section, Problems) {
	var ps Problems
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !isText(data) {
		return nil, Problems{{Msg: nipp.M("err.rulefile.not_text")}}
	}
	var secs []*section
	var cur *section
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		pos := i + 1
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			if !strings.HasSuffix(line, "]") {
				ps = append(ps, Problem{Line: pos, Msg: nipp.M("err.rulefile.section_header")})
				continue
			}
			cur = &section{name: strings.TrimSpace(line[1 : len(line)-1]), pos: pos}
			secs = append(secs, cur)
			continue
		}
		if cur == nil {
			ps = append(ps, Problem{Line: pos, Msg: nipp.M("err.rulefile.outside_section")})
			continue
		}
		if cur.name == SecRuleSet {
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				ps = append(ps, Problem{Section: cur.name, Line: pos, Msg: nipp.M("err.rulefile.key_value")})
				continue
			}
			cur.rows = append(cur.rows, record{pos, []string{vntext.Clean(k), vntext.Clean(v)}})
			continue
		}
		r := csv.NewReader(strings.NewReader(line))
		r.FieldsPerRecord = -1
		cells, err := r.Read()
		if err != nil {
			ps = append(ps, Problem{Section: cur.name, Line: pos, Msg: nipp.M("err.rulefile.csv_line", err.Error())})
			continue
		}
		for j := range cells {
			cells[j] = vntext.Clean(cells[j])
		}
		if cur.header == nil {
			cur.header = &record{pos, cells}
		} else {
			cur.rows = append(cur.rows, record{pos, cells})
		}
	}
	return secs, ps
}

func isText(b []byte) bool {
	return !bytes.ContainsRune(b, 0) && strings.ToValidUTF8(string(b), "\uFFFD") == string(b)
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$`)

// interpret validates sections into a rule set.
func interpret(secs []*section, ref Ref) (*nipp.RuleSet, Problems) {
	c := &checker{}
	add := c.add
	rs := &nipp.RuleSet{}
	seen := map[string]int{}
	for _, s := range secs {
		if !slices.Contains(Sections, s.name) {
			add(s.name, s.pos, "", "err.rulefile.unknown_section_sections", strings.Join(Sections, ", "))
			continue
		}
		if prev, ok := seen[s.name]; ok {
			add(s.name, s.pos, "", "err.rulefile.section_repeated_first_line", prev)
			continue
		}
		seen[s.name] = s.pos
		if s.name == SecRuleSet {
			interpretHeader(rs, s, add)
			continue
		}
		cols := columns[s.name]
		if s.header == nil {
			if len(s.rows) == 0 {
				continue // an empty section: no rows of that kind
			}
		}
		idx, ok := headerIndex(s, cols.required, cols.optional, add)
		if !ok {
			continue
		}
		get := func(r record, col string) string {
			if i, ok := idx[col]; ok {
				return tabular.Cell(r.cells, i)
			}
			return ""
		}
		switch s.name {
		case SecEligibility:
			interpretEligibility(c, rs, s, get, ref)
		case SecCaps:
			interpretCaps(c, rs, s, get, ref)
		case SecAdvanceLimits:
			interpretAdvanceLimits(c, rs, s, get, ref)
		case SecApprovals:
			interpretApprovals(c, rs, s, get, ref)
		}
	}
	if _, ok := seen[SecRuleSet]; !ok {
		add(SecRuleSet, 0, "", "err.rulefile.rule_set_section_code_name")
	}
	if len(c.ps) > 0 {
		return nil, c.ps
	}
	return rs, nil
}

// checker collects the problems of a rule set's file.
type checker struct{ ps Problems }

func (c *checker) add(sec string, pos int, col, key string, args ...any) {
	c.ps = append(c.ps, Problem{Section: sec, Line: pos, Column: col, Msg: nipp.M(key, args...)})
}

func (c *checker) addErr(sec string, pos int, col string, err error) {
	c.ps = append(c.ps, Problem{Section: sec, Line: pos, Column: col, Msg: nipp.ErrorProblems(err)[0].Msg})
}

// interpretEligibility checks the eligibility section: each kind with a value of its vocabulary, once.
func interpretEligibility(chk *checker, rs *nipp.RuleSet, s *section, get func(record, string) string, ref Ref) {
	dup := map[[2]string]int{}
	for _, r := range s.rows {
		kind, value := get(r, "kind"), get(r, "value")
		var vocab []string
		switch kind {
		case "legal_form":
			vocab = nipp.LegalForms()
		case "unit_type":
			vocab = nipp.CommuneTypes
		case "priority_group":
			vocab = nipp.PriorityGroupCodes
		case "activity_type":
		default:
			chk.add(s.name, r.pos, "kind", "err.rulefile.not_one_legal_form_unit", kind)
			continue
		}
		if kind == "activity_type" {
			if value == "" || (ref.ActivityTypes != nil && !ref.ActivityTypes[value]) {
				chk.add(s.name, r.pos, "value", "err.rulefile.unknown_activity_type", value)
				continue
			}
		} else if !slices.Contains(vocab, value) {
			chk.add(s.name, r.pos, "value", "err.rulefile.not_valid_use", value, kind, strings.Join(vocab, ", "))
			continue
		}
		key := [2]string{kind, value}
		if prev, ok := dup[key]; ok {
			chk.add(s.name, r.pos, "value", "err.rulefile.repeats_line", prev)
			continue
		}
		dup[key] = r.pos
		rs.Eligibility.Add(kind, value)
	}
}

// interpretCaps checks the support caps: a known activity type, area and source, a share and an amount within bounds, one line per activity type, area and source.
func interpretCaps(chk *checker, rs *nipp.RuleSet, s *section, get func(record, string) string, ref Ref) {
	dup := map[[3]string]int{}
	for _, r := range s.rows {
		c := nipp.SupportCap{ActivityTypeCode: get(r, "activity_type"), AreaCategory: get(r, "area"), FundingSource: get(r, "source"), Note: get(r, "note")}
		bad := len(chk.ps)
		if c.ActivityTypeCode == "" || (ref.ActivityTypes != nil && !ref.ActivityTypes[c.ActivityTypeCode]) {
			chk.add(s.name, r.pos, "activity_type", "err.rulefile.unknown_activity_type", c.ActivityTypeCode)
		}
		if c.AreaCategory != nipp.AreaOrdinary && c.AreaCategory != nipp.AreaDisadvantaged {
			chk.add(s.name, r.pos, "area", "err.rulefile.not_ordinary_disadvantaged", c.AreaCategory)
		}
		if !slices.Contains(nipp.AdvanceSources, c.FundingSource) {
			chk.add(s.name, r.pos, "source", "err.rulefile.not_national_local", c.FundingSource)
		}
		bp, err := parsePct(get(r, "max_share_pct"), false)
		if err != nil {
			chk.addErr(s.name, r.pos, "max_share_pct", err)
		}
		c.MaxShareBP = bp
		if v := get(r, "max_amount_vnd"); v != "" {
			n, err := tabular.ParseInt(v)
			if err != nil || n < 0 {
				chk.add(s.name, r.pos, "max_amount_vnd", "err.rulefile.not_amount_vnd", v)
			} else if err := nipp.CheckAmount("max_amount_vnd", n); err != nil {
				chk.addErr(s.name, r.pos, "max_amount_vnd", err)
			}
			c.MaxAmount = n
		}
		if len(chk.ps) > bad {
			continue
		}
		key := [3]string{c.ActivityTypeCode, c.AreaCategory, c.FundingSource}
		if prev, ok := dup[key]; ok {
			chk.add(s.name, r.pos, "activity_type", "err.rulefile.repeats_line_same_activity_type", prev)
			continue
		}
		dup[key] = r.pos
		rs.Caps = append(rs.Caps, c)
	}
}

// interpretAdvanceLimits checks the advance limits: per source, the first tranche within all tranches, once.
func interpretAdvanceLimits(chk *checker, rs *nipp.RuleSet, s *section, get func(record, string) string, ref Ref) {
	dup := map[string]int{}
	for _, r := range s.rows {
		l := nipp.AdvanceLimit{FundingSource: get(r, "source"), Article: get(r, "article"), Note: get(r, "note")}
		bad := len(chk.ps)
		if !slices.Contains(nipp.AdvanceSources, l.FundingSource) {
			chk.add(s.name, r.pos, "source", "err.rulefile.not_national_local", l.FundingSource)
		}
		var err error
		if l.FirstMaxBP, err = parsePct(get(r, "first_max_pct"), false); err != nil {
			chk.addErr(s.name, r.pos, "first_max_pct", err)
		}
		if l.CumulativeMaxBP, err = parsePct(get(r, "cumulative_max_pct"), false); err != nil {
			chk.addErr(s.name, r.pos, "cumulative_max_pct", err)
		}
		if len(chk.ps) > bad {
			continue
		}
		if l.FirstMaxBP > l.CumulativeMaxBP {
			chk.add(s.name, r.pos, "first_max_pct", "err.rulefile.first_tranche_cannot_exceed_all")
			continue
		}
		if prev, ok := dup[l.FundingSource]; ok {
			chk.add(s.name, r.pos, "source", "err.rulefile.repeats_line", prev)
			continue
		}
		dup[l.FundingSource] = r.pos
		rs.AdvanceLimits = append(rs.AdvanceLimits, l)
	}
}

// interpretApprovals checks the approval rules: a known action, level and authority, a change bound only on change actions, once each.
func interpretApprovals(chk *checker, rs *nipp.RuleSet, s *section, get func(record, string) string, ref Ref) {
	dup := map[[3]string]int{}
	for _, r := range s.rows {
		a := nipp.ApprovalRule{Action: get(r, "action"), Level: get(r, "level"), Authority: get(r, "authority"), Note: get(r, "note")}
		bad := len(chk.ps)
		if !slices.Contains(nipp.ApprovalActions, a.Action) {
			chk.add(s.name, r.pos, "action", "err.rulefile.not_one", a.Action, strings.Join(nipp.ApprovalActions, ", "))
		}
		if !slices.Contains(nipp.ApprovalLevels, a.Level) {
			chk.add(s.name, r.pos, "level", "err.rulefile.not_national_local", a.Level)
		}
		if !slices.Contains(nipp.Authorities, a.Authority) {
			chk.add(s.name, r.pos, "authority", "err.rulefile.not_one", a.Authority, strings.Join(nipp.Authorities, ", "))
		}
		if v := get(r, "max_change_pct"); v != "" {
			bp, err := parsePct(v, true)
			switch {
			case err != nil:
				chk.addErr(s.name, r.pos, "max_change_pct", err)
			case !strings.HasPrefix(a.Action, "change_"):
				chk.add(s.name, r.pos, "max_change_pct", "err.rulefile.only_change_content_change_budget")
			}
			a.MaxChangeBP = bp
		}
		if len(chk.ps) > bad {
			continue
		}
		key := [3]string{a.Action, a.Level, a.Authority}
		if prev, ok := dup[key]; ok {
			chk.add(s.name, r.pos, "authority", "err.rulefile.repeats_line", prev)
			continue
		}
		dup[key] = r.pos
		rs.Approvals = append(rs.Approvals, a)
	}
}

type addFunc func(sec string, pos int, col, format string, args ...any)

func interpretHeader(rs *nipp.RuleSet, s *section, add addFunc) {
	got := map[string]int{}
	for _, r := range s.rows {
		k, v := strings.ToLower(tabular.Cell(r.cells, 0)), tabular.Cell(r.cells, 1)
		if k == "key" && v == "value" {
			continue // the header row of the xlsx sheet
		}
		if !slices.Contains(ruleSetKeys, k) {
			add(s.name, r.pos, k, "err.rulefile.unknown_key_keys", strings.Join(ruleSetKeys, ", "))
			continue
		}
		if prev, ok := got[k]; ok {
			add(s.name, r.pos, k, "err.rulefile.repeats_line", prev)
			continue
		}
		got[k] = r.pos
		switch k {
		case "code":
			rs.Code = v
			if !codePattern.MatchString(v) {
				add(s.name, r.pos, k, "err.rulefile.code_2_40_letters_digits", v)
			}
		case "name_vi":
			rs.NameVI = v
		case "name_en":
			rs.NameEN = v
		case "legal_basis":
			rs.LegalBasis = v
		case "legal_basis_en":
			rs.LegalBasisEN = v
		case "note":
			rs.Note = v
		case "note_en":
			rs.NoteEN = v
		case "valid_from", "valid_to":
			if v == "" {
				continue
			}
			d, err := parseDate(v)
			if err != nil {
				add(s.name, r.pos, k, "err.rulefile.not_date_yyyy_mm_dd", v)
				continue
			}
			if k == "valid_from" {
				rs.ValidFrom = d
			} else {
				rs.ValidTo = d
			}
		}
	}
	for _, k := range []string{"code", "name_vi", "legal_basis", "valid_from"} {
		if _, ok := got[k]; !ok {
			add(s.name, s.pos, k, "err.rulefile.required", k)
		} else if k != "valid_from" && k != "code" && map[string]string{"name_vi": rs.NameVI, "legal_basis": rs.LegalBasis}[k] == "" {
			add(s.name, got[k], k, "err.rulefile.must_not_empty")
		}
	}
	if !rs.ValidFrom.IsZero() && !rs.ValidTo.IsZero() && rs.ValidTo.Before(rs.ValidFrom) {
		add(s.name, got["valid_to"], "valid_to", "err.rulefile.valid_before_valid_from")
	}
}

// headerIndex maps the section's column names to positions, reporting
// missing and unknown columns.
func headerIndex(s *section, required, optional []string, add addFunc) (map[string]int, bool) {
	if s.header == nil {
		add(s.name, s.pos, "", "err.rulefile.line_column_names_missing", strings.Join(required, ","))
		return nil, false
	}
	idx := map[string]int{}
	ok := true
	for i, c := range s.header.cells {
		c = strings.ToLower(c)
		if c == "" {
			continue
		}
		if !slices.Contains(required, c) && !slices.Contains(optional, c) {
			add(s.name, s.header.pos, c, "err.rulefile.unknown_column_columns", strings.Join(append(slices.Clone(required), optional...), ", "))
			ok = false
			continue
		}
		if _, dup := idx[c]; dup {
			add(s.name, s.header.pos, c, "err.rulefile.repeated_column")
			ok = false
			continue
		}
		idx[c] = i
	}
	for _, c := range required {
		if _, has := idx[c]; !has {
			add(s.name, s.header.pos, c, "err.rulefile.column_missing")
			ok = false
		}
	}
	return idx, ok
}

// parsePct reads a percentage (50, 50%, 12.5, 12,5) into basis points.
// A value strictly between 0 and 1 is refused as ambiguous: it is what an
// xlsx cell formatted as a percentage holds (0.5 for 50%). Zero is refused
// when positive is set.
func parsePct(s string, positive bool) (int, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	t = strings.ReplaceAll(t, ",", ".")
	if t == "" {
		return 0, nipp.Errorf(nipp.EINVALID, "err.rulefile.percentage_required")
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, nipp.Errorf(nipp.EINVALID, "err.rulefile.not_percentage_50_12_5", s)
	}
	if f > 0 && f < 1 {
		return 0, nipp.Errorf(nipp.EINVALID, "err.rulefile.type_percentage_50_50_cell", s)
	}
	bp := math.Round(f * 100)
	if math.Abs(bp-f*100) > 1e-6 {
		return 0, nipp.Errorf(nipp.EINVALID, "err.rulefile.most_two_decimals", s)
	}
	if bp < 0 || bp > 10000 {
		return 0, nipp.Errorf(nipp.EINVALID, "err.rulefile.must_between_0_100", s)
	}
	if positive && bp == 0 {
		return 0, nipp.Errorf(nipp.EINVALID, "err.rulefile.must_more_than_0", s)
	}
	return int(bp), nil
}

func parseDate(s string) (nipp.Date, error) {
	if d, err := nipp.ParseDate(s); err == nil {
		return d, nil
	}
	t, err := tabular.ParseDate(s)
	if err != nil {
		return nipp.Date{}, err
	}
	return nipp.DateOf(t), nil
}

// Pct formats basis points as a percentage for files: 5000 -> "50",
// 1250 -> "12.5".
func Pct(bp int) string {
	s := strconv.FormatFloat(float64(bp)/100, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}
