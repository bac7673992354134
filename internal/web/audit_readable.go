package web

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"nipp/internal/app"
	"nipp/internal/nipp"
)

// The audit trail as people read it (issue 15): actions, entities and
// fields by name in the page's language, Vietnam's clock, people by name
// and e-mail, records by name linked to their page, and what changed as
// field: old -> new. The raw codes stay in the JSON API and the export's
// raw columns.

// auditEntities are the audited entities, in the order the filter lists
// them; each has a name "audit.entity.<code>" in both languages.
var auditEntities = []string{"project", "establishment", "program", "target_revision", "rule_set", "annual_plan",
	"appraisal_round", "appraisal_council", "attachment", "import_job", "user", "api_token", "setting", "ledger_entry", "rollup"}

// label returns the message prefix+code, or code itself when there is none
// (an entity or action newer than this table: shown, never hidden).
func (l L) label(prefix, code string) string {
	if s := l.T(prefix + code); s != prefix+code {
		return s
	}
	return code
}

// auditChange is one field of an entry: its label, the value before and
// after, formatted for people.
type auditChange struct {
	Field, Before, After string
	Changed              bool
}

type auditRow struct {
	*nipp.AuditEntry
	When        string // dd/mm/yyyy HH:MM, Vietnam
	Who         string // the person's name (or "system")
	Email       string
	ActionName  string
	EntityName  string
	Record      string // the record's name, "" when unknown
	Link        string // the record's page, "" when it has none
	HistoryLink string // the record's own audit trail
	Changes     []auditChange
}

// readAudit makes an entry readable with the names looked up for its page.
func readAudit(l L, p *nipp.Principal, e *nipp.AuditEntry, names app.AuditNames) auditRow {
	r := auditRow{AuditEntry: e, When: l.DateTime(e.At), ActionName: l.label("audit.action.", e.Action), EntityName: l.label("audit.entity.", e.Entity)}
	if u, ok := names.Users[e.UserID]; ok && e.UserID != 0 {
		r.Who, r.Email = u.Name, u.Email
		if r.Who == "" {
			r.Who = u.Email // the page shows the e-mail once
		}
	} else if e.Actor == "system" || e.Actor == "" {
		r.Who = l.T("audit.system")
	} else {
		r.Who, r.Email = e.Actor, e.Actor
	}
	rec := names.Record(e.Entity, e.EntityID)
	r.Record = l.Pick(rec.Name, rec.NameEN)
	switch {
	case rec.Email != "" && r.Record != "":
		r.Record += " (" + rec.Email + ")"
	case rec.Email != "":
		r.Record = rec.Email // an account without a name
	}
	key := rec.Key
	switch e.Entity {
	case "user":
		if p.Can(nipp.PermUserManage) && key != "" {
			r.Link = "/admin/users/" + key
		}
	case "establishment":
		if key != "" {
			r.Link = "/establishments/" + key
		}
	case "project":
		if key != "" {
			r.Link = "/projects/" + key
		}
	case "program":
		if key != "" {
			r.Link = "/programs/" + key
		}
	case "rule_set":
		if key != "" {
			r.Link = "/rule-sets/" + key
		}
	case "appraisal_round", "appraisal_council":
		if key != "" {
			r.Link = "/appraisal/" + key
		}
	case "import_job":
		if key != "" {
			r.Link = "/imports/" + key
		}
	case "target_revision": // CODE/N
		if code, rev, ok := strings.Cut(e.EntityID, "/"); ok {
			r.Record = l.Tf("audit.revision", code, rev)
			r.Link = "/programs/" + code
		}
	case "annual_plan":
		if _, err := strconv.Atoi(e.EntityID); err == nil {
			r.Record = l.Tf("audit.plan", e.EntityID)
			r.Link = "/plans/" + e.EntityID
		}
	case "setting":
		r.Record = l.label("audit.setting.", e.EntityID)
	}
	if r.Record == "" {
		r.Record = e.EntityID
	}
	r.HistoryLink = "/audit?entity=" + url.QueryEscape(e.Entity) + "&entity_id=" + url.QueryEscape(e.EntityID)
	r.Changes = auditReader{l: l, names: names}.changes(e.Before, e.After)
	return r
}

// auditReader formats an entry's values in a language, with the names of
// the codes they hold looked up for the page (app.NameAudit).
type auditReader struct {
	l     L
	names app.AuditNames
}

// changes lays out before and after field by field: for an update, the
// fields that changed; for a creation or removal, every field set. A
// budget and outputs are laid out line by line (one row per amount that
// changed: a settlement shows the settled amounts, not every line again).
// The version counter is left out (it changes with every update).
func (ar auditReader) changes(before, after string) []auditChange {
	b, a := flattenAudit(fieldsOf(before)), flattenAudit(fieldsOf(after))
	both := b != nil && a != nil
	var keys []string
	for k := range b {
		keys = append(keys, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(x, y string) int { return strings.Compare(auditSortKey(x), auditSortKey(y)) })
	out := make([]auditChange, 0, len(keys))
	for _, k := range keys {
		if k == "version" {
			continue
		}
		bv, bok := b[k]
		av, aok := a[k]
		c := auditChange{Field: ar.label(k)}
		if bok {
			c.Before = ar.value(k, bv)
		}
		if aok {
			c.After = ar.value(k, av)
		}
		if both && !bok {
			c.Before = "—"
		}
		if both && !aok {
			c.After = "—"
		}
		c.Changed = c.Before != c.After
		if both && !c.Changed {
			continue
		}
		if !both && (c.Before == "—" || c.After == "—" || c.Before+c.After == "") {
			continue // an empty field of a new or removed record
		}
		out = append(out, c)
	}
	return out
}

// fieldsOf reads a before/after JSON: an object's fields, or a single
// value (a setting) as the field "value"; nil when there is none.
func fieldsOf(s string) map[string]any {
	if s == "" {
		return nil
	}
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return map[string]any{"value": s}
	}
	if m, ok := v.(map[string]any); ok {
		return m
	}
	return map[string]any{"value": v}
}

// flattenAudit lays a record's budget and outputs out as one field per
// line and amount ("budget.<source>.<amount>", "outputs.<indicator>.<amount>"),
// so that a change shows only the amounts that changed.
func flattenAudit(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	if _, ok := m["establishment"]; ok {
		delete(m, "name") // the establishment shows by its name already
	}
	for _, list := range []struct{ field, key string }{{"budget", "source"}, {"outputs", "indicator"}} {
		v, present := m[list.field]
		if !present {
			continue
		}
		lines, _ := v.([]any)
		delete(m, list.field) // an empty list shows nothing
		for _, e := range lines {
			line, ok := e.(map[string]any)
			if !ok {
				continue
			}
			code, _ := line[list.key].(string)
			for k, v := range line {
				switch k {
				case list.key, "id", "name", "name_en", "unit", "unit_en":
					continue // the line's own key and labels
				}
				m[list.field+"."+code+"."+k] = v
			}
		}
	}
	return m
}

// auditFieldOrder is the order fields are listed in (a record's identity,
// then what it is about, its state, decision and money); others follow by
// their code.
var auditFieldOrder = []string{"code", "title", "name", "email", "role", "establishment", "legal_form", "tax_code", "program", "year",
	"activity_type", "implementing_org", "province", "provinces", "commune", "area_category", "state", "decision_no", "decision_date",
	"rule_set", "budget", "outputs", "pass_override_reason", "comment"}

// auditSortKey orders fields by auditFieldOrder, a budget's and outputs'
// lines together, their amounts in the order of a project's life.
func auditSortKey(k string) string {
	head, _, _ := strings.Cut(k, ".")
	pos := slices.Index(auditFieldOrder, head)
	if pos < 0 {
		pos = len(auditFieldOrder)
	}
	key := fmt.Sprintf("%03d %s", pos, k)
	for i, amt := range []string{"description", "planned", "approved", "actual"} {
		if strings.HasSuffix(key, "."+amt) {
			return strings.TrimSuffix(key, amt) + strconv.Itoa(i)
		}
	}
	return key
}

// label names a field in the language; a budget or output line's amount
// by its source or indicator and the amount ("Kinh phí khuyến công quốc
// gia — Thực hiện").
func (ar auditReader) label(k string) string {
	l := ar.l
	if rest, ok := strings.CutPrefix(k, "budget."); ok {
		if src, amt, ok := strings.Cut(rest, "."); ok {
			return l.Code("source", src) + " — " + l.label("audit.f.", amt)
		}
	}
	if rest, ok := strings.CutPrefix(k, "outputs."); ok {
		if ind, amt, ok := strings.Cut(rest, "."); ok {
			return l.Code("indicator", ind) + " — " + l.label("audit.f.", amt)
		}
	}
	return l.label("audit.f.", k)
}

var (
	isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	isoTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)
)

// plainNumbers are numeric fields shown without thousands separators.
var plainNumbers = []string{"year", "start_year", "end_year", "founded_year", "revision", "user_id", "id", "round", "council", "round_id"}

// value formats one value: codes and ids by name (looked up for the page,
// or from the catalog and the reference data), dates and times on
// Vietnam's calendar, numbers grouped, money in the language's format,
// yes/no, lists joined.
func (ar auditReader) value(field string, v any) string {
	l := ar.l
	money := strings.HasPrefix(field, "budget.") && !strings.HasSuffix(field, ".description") || field == "ceiling" || field == "max_amount"
	switch x := v.(type) {
	case nil:
		return "—"
	case bool:
		if x {
			return l.T("audit.yes")
		}
		return l.T("audit.no")
	case float64:
		if money && x == float64(int64(x)) {
			return l.VND(int64(x))
		}
		if slices.Contains(plainNumbers, field) || x != float64(int64(x)) {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		return l.Num(int64(x))
	case string:
		if kind := app.AuditValueKind(field); kind != "" && x != "" {
			if n := ar.names.Value(kind, x); n.Name != "" {
				return l.Pick(n.Name, n.NameEN)
			}
			return x
		}
		switch {
		case x == "":
			return "—"
		case field == "state":
			return l.ProjectState(x)
		case field == "role":
			return l.label("role.", x)
		case field == "legal_form":
			return l.label("legal.", x)
		case field == "status":
			return l.label("status.", x)
		case field == "activity_type" || field == "activity_types":
			return l.Code("activity", x)
		case field == "area_category" || field == "area":
			return l.label("project.area.", x)
		case field == "groups" || field == "priority_groups":
			return l.label("vocab.", x)
		case field == "source" || field == "funding_source":
			return l.Code("source", x)
		case field == "indicator":
			return l.Code("indicator", x)
		case field == "kind":
			return l.Code("attachment", x)
		case isoDate.MatchString(x):
			if d, err := nipp.ParseDate(x); err == nil && !d.IsZero() {
				return l.Date(d)
			}
		case isoTime.MatchString(x):
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return l.DateTime(t)
			}
		}
		return x
	case []any:
		if len(x) == 0 {
			return "—"
		}
		parts := make([]string, 0, len(x))
		for _, e := range x {
			if _, ok := e.(map[string]any); ok {
				parts = append(parts, "("+ar.value(field, e)+")")
			} else {
				parts = append(parts, ar.value(field, e))
			}
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		// An earlier project: its code and title (year, state).
		if code, ok := x["code"].(string); ok {
			if title, ok := x["title"].(string); ok {
				s := code + " — " + title
				var in []string
				if y, ok := x["year"].(float64); ok {
					in = append(in, strconv.FormatFloat(y, 'f', -1, 64))
				}
				if st, ok := x["state"].(string); ok {
					in = append(in, l.ProjectState(st))
				}
				if len(in) > 0 {
					s += " (" + strings.Join(in, ", ") + ")"
				}
				return s
			}
		}
		// Another nested record (a cap, a target): its fields by name; one
		// that carries its title needs no public id.
		parts := make([]string, 0, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if x[k] == nil || x[k] == "" {
				continue
			}
			if _, titled := x["title"]; titled && (k == "project" || k == "id") {
				continue
			}
			parts = append(parts, l.label("audit.f.", k)+": "+ar.value(k, x[k]))
		}
		return strings.Join(parts, "; ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// changesText is an entry's changes as lines "field: old -> new" (the
// export's readable column).
func changesText(cs []auditChange) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(c.Field + ": ")
		switch {
		case c.Before == "":
			b.WriteString(c.After)
		case c.After == "":
			b.WriteString(c.Before + " → —")
		default:
			b.WriteString(c.Before + " → " + c.After)
		}
	}
	return b.String()
}
