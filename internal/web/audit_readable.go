package web

import (
	"encoding/json"
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
	"appraisal_round", "appraisal_council", "attachment", "import_job", "user", "api_token", "setting", "ledger_entry"}

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
			r.Who = u.Email
		}
	} else if e.Actor == "system" || e.Actor == "" {
		r.Who = l.T("audit.system")
	} else {
		r.Who, r.Email = e.Actor, e.Actor
	}
	rec := names.Record(e.Entity, e.EntityID)
	r.Record = l.Pick(rec.Name, rec.NameEN)
	if rec.Email != "" && r.Record != "" {
		r.Record += " (" + rec.Email + ")"
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
	r.Changes = auditChanges(l, e.Before, e.After)
	return r
}

// auditChanges lays out before and after field by field: for an update,
// the fields that changed; for a creation or removal, every field set.
// The version counter is left out (it changes with every update).
func auditChanges(l L, before, after string) []auditChange {
	b, a := fieldsOf(before), fieldsOf(after)
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
	slices.Sort(keys)
	out := make([]auditChange, 0, len(keys))
	for _, k := range keys {
		if k == "version" {
			continue
		}
		bv, bok := b[k]
		av, aok := a[k]
		c := auditChange{Field: l.label("audit.f.", k)}
		if bok {
			c.Before = auditValue(l, k, bv)
		}
		if aok {
			c.After = auditValue(l, k, av)
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

var (
	isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	isoTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)
)

// plainNumbers are numeric fields shown without thousands separators.
var plainNumbers = []string{"year", "start_year", "end_year", "founded_year", "revision", "user_id", "id", "round", "council", "round_id"}

// auditValue formats one value: codes by name, dates and times on
// Vietnam's calendar, numbers grouped, yes/no, lists joined.
func auditValue(l L, field string, v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case bool:
		if x {
			return l.T("audit.yes")
		}
		return l.T("audit.no")
	case float64:
		if slices.Contains(plainNumbers, field) || x != float64(int64(x)) {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		return l.Num(int64(x))
	case string:
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
				parts = append(parts, "("+auditValue(l, field, e)+")")
			} else {
				parts = append(parts, auditValue(l, field, e))
			}
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		// a nested record (a budget line, a cap): its fields by name
		parts := make([]string, 0, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if x[k] == nil || x[k] == "" {
				continue
			}
			parts = append(parts, l.label("audit.f.", k)+": "+auditValue(l, k, x[k]))
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
