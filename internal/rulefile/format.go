package rulefile

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"nipp/internal/nipp"
	"nipp/internal/vntext"
)

// maxUnzip bounds a rule-set workbook's uncompressed size (a guard against
// zip bombs); real ones are a few kilobytes.
const maxUnzip = 64 << 20

// splitXLSX reads a workbook with one sheet per section. Sheets are named
// after the sections; other sheets (instructions) are ignored.
func splitXLSX(data []byte) (secs []*section, ps Problems) {
	defer func() {
		if p := recover(); p != nil {
			secs, ps = nil, Problems{{Msg: nipp.M("err.rulefile.xlsx_damaged", fmt.Sprint(p))}}
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzip, UnzipXMLSizeLimit: maxUnzip})
	if err != nil {
		return nil, Problems{{Msg: nipp.M("err.rulefile.xlsx_unreadable", err.Error())}}
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		name := strings.ToLower(strings.TrimSpace(sheet))
		known := false
		for _, s := range Sections {
			known = known || s == name
		}
		if !known {
			continue
		}
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			ps = append(ps, Problem{Section: name, Msg: nipp.M("err.rulefile.sheet_unreadable", err.Error())})
			continue
		}
		s := &section{name: name, pos: 1}
		for i, cells := range rows {
			blank := true
			for j := range cells {
				cells[j] = vntext.Clean(cells[j])
				blank = blank && cells[j] == ""
			}
			if blank {
				continue
			}
			r := record{i + 1, cells}
			if name != SecRuleSet && s.header == nil {
				s.header = &r
				continue
			}
			s.rows = append(s.rows, r)
		}
		secs = append(secs, s)
	}
	return secs, ps
}

// Text writes rs in the text format; Parse reads it back unchanged.
func Text(w io.Writer, rs *nipp.RuleSet) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# nipp rule set (docs/RULESETS.md)\n[%s]\n", SecRuleSet)
	for _, kv := range headerPairs(rs) {
		if kv[1] != "" {
			fmt.Fprintf(&b, "%s = %s\n", kv[0], kv[1])
		}
	}
	for _, sec := range Sections[1:] {
		fmt.Fprintf(&b, "\n[%s]\n", sec)
		cw := csv.NewWriter(&b)
		for _, row := range tableRows(rs, sec) {
			cw.Write(row)
		}
		cw.Flush()
	}
	_, err := w.Write(b.Bytes())
	return err
}

// XLSX writes rs as a workbook with one sheet per section, the form
// officers fill in for a new rule set.
func XLSX(w io.Writer, rs *nipp.RuleSet) error {
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for _, sec := range Sections {
		if first {
			f.SetSheetName("Sheet1", sec)
			first = false
		} else if _, err := f.NewSheet(sec); err != nil {
			return err
		}
		var rows [][]string
		if sec == SecRuleSet {
			rows = append(rows, []string{"key", "value"})
			for _, kv := range headerPairs(rs) {
				rows = append(rows, []string{kv[0], kv[1]})
			}
		} else {
			rows = tableRows(rs, sec)
		}
		for i, row := range rows {
			for j, v := range row {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				// Everything as text: codes, percentages and dates stay as typed.
				if err := f.SetCellStr(sec, cell, v); err != nil {
					return err
				}
			}
		}
	}
	return f.Write(w)
}

func headerPairs(rs *nipp.RuleSet) [][2]string {
	to := ""
	if !rs.ValidTo.IsZero() {
		to = rs.ValidTo.String()
	}
	from := ""
	if !rs.ValidFrom.IsZero() {
		from = rs.ValidFrom.String()
	}
	return [][2]string{{"code", rs.Code}, {"name_vi", rs.NameVI}, {"name_en", rs.NameEN}, {"legal_basis", rs.LegalBasis},
		{"legal_basis_en", rs.LegalBasisEN}, {"valid_from", from}, {"valid_to", to}, {"note", rs.Note}, {"note_en", rs.NoteEN}}
}

func tableRows(rs *nipp.RuleSet, sec string) [][]string {
	cols := columns[sec]
	rows := [][]string{append(append([]string{}, cols.required...), cols.optional...)}
	switch sec {
	case SecEligibility:
		e := rs.Eligibility
		for _, kv := range []struct {
			kind   string
			values []string
		}{{"legal_form", e.LegalForms}, {"unit_type", e.UnitTypes}, {"priority_group", e.PriorityGroups}, {"activity_type", e.ActivityTypes}} {
			for _, v := range kv.values {
				rows = append(rows, []string{kv.kind, v, ""})
			}
		}
	case SecCaps:
		for _, c := range rs.Caps {
			amount := ""
			if c.MaxAmount > 0 {
				amount = strconv.FormatInt(c.MaxAmount, 10)
			}
			rows = append(rows, []string{c.ActivityTypeCode, c.AreaCategory, c.FundingSource, Pct(c.MaxShareBP), amount, c.Note})
		}
	case SecAdvanceLimits:
		for _, l := range rs.AdvanceLimits {
			rows = append(rows, []string{l.FundingSource, Pct(l.FirstMaxBP), Pct(l.CumulativeMaxBP), l.Article, l.Note})
		}
	case SecApprovals:
		for _, a := range rs.Approvals {
			bound := ""
			if a.MaxChangeBP > 0 {
				bound = Pct(a.MaxChangeBP)
			}
			rows = append(rows, []string{a.Action, a.Level, a.Authority, bound, a.Note})
		}
	}
	return rows
}
