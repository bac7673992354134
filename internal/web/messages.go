package web

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"strings"
	"sync"

	"nipp/internal/nipp"
	"nipp/internal/refdata"
	"nipp/internal/tabular"
)

// Messages. Errors and notices travel as nipp.Msg (a catalog key and
// arguments) and are translated here, where they are shown, into the
// page's or the request's language only. The catalog is messageTables
// (i18n_*.go; errors in i18n_errors.go). Arguments of the types nipp.VND,
// nipp.Num and nipp.Date are formatted by the language like L.VND, L.Num
// and L.Date; nipp.Name shows a code by its name; nipp.Text picks the
// language; a nested nipp.Msg is translated too.

// Msg translates a message into the language.
func (l L) Msg(m nipp.Msg) string {
	format := l.T(m.Key)
	if len(m.Args) == 0 {
		return format
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		args[i] = l.arg(a)
	}
	return fmt.Sprintf(format, args...)
}

func (l L) arg(a any) any {
	switch x := a.(type) {
	case nipp.VND:
		return l.VND(int64(x))
	case nipp.Num:
		return l.Num(int64(x))
	case nipp.Percent:
		return l.Percent(int(x))
	case nipp.Multiple:
		return l.Multiple(int64(x))
	case nipp.Date:
		return l.Date(x)
	case nipp.Name:
		return l.Name(x)
	case []nipp.Name:
		names := make([]string, len(x))
		for i, n := range x {
			names[i] = l.Name(n)
		}
		return strings.Join(names, ", ")
	case nipp.Text:
		return l.Pick(x.VI, x.EN)
	case nipp.Msg:
		return l.Msg(x)
	}
	return a
}

// Name shows a code by its name in the language: the names it carries,
// else the project states and actions, activity types and indicators of
// the reference data, else the catalog entry "<kind>.<code>", else the
// code itself.
func (l L) Name(n nipp.Name) string {
	if n.VI != "" || n.EN != "" {
		return l.Pick(n.VI, n.EN)
	}
	switch n.Kind {
	case "state":
		return nipp.StateName(nipp.ProjectState(n.Code), l.Lang)
	case "action":
		return nipp.ActionName(n.Code, l.Lang)
	case "activity", "indicator":
		if names, ok := refNames()[n.Kind+"."+n.Code]; ok {
			return l.Pick(names[0], names[1])
		}
	}
	key := n.Kind + "." + n.Code
	if t := l.T(key); t != key {
		return t
	}
	return n.Code
}

// Code names a code of a kind (templates: {{.L.Code "source" .Source}}).
func (l L) Code(kind, code string) string { return l.Name(nipp.NameOf(kind, code)) }

// refNames are the names of the reference data's activity types and
// indicators ("activity.CODE" -> {vi, en}), read once: reference data never
// changes while the process runs.
var refNames = sync.OnceValue(func() map[string][2]string {
	out := map[string][2]string{}
	d, err := refdata.Load()
	if err != nil {
		return out
	}
	for _, a := range d.ActivityTypes {
		out["activity."+a.Code] = [2]string{a.NameVI, a.NameEN}
	}
	for _, i := range d.Indicators {
		out["indicator."+i.Code] = [2]string{i.NameVI, i.NameEN}
	}
	return out
})

// Err translates every problem of err, joined by "; " (for places that
// show one line; forms use Problems).
func (l L) Err(err error) string {
	ps := nipp.ErrorProblems(err)
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = l.Msg(p.Msg)
	}
	return strings.Join(out, "; ")
}

// Problem is one translated problem of a refused request.
type Problem struct {
	Code    string `json:"code,omitempty"`
	Field   string `json:"field,omitempty"`
	Key     string `json:"key"`
	Message string `json:"message"`
}

// Problems are a refused form's problems, translated. The layout lists
// them all at the top (role="alert"); a form shows each beside its field
// with Show and points the field at it with Attr.
type Problems struct {
	List    []Problem
	byField map[string][]string
}

// Problems translates the problems of err.
func (l L) Problems(err error) Problems {
	var p Problems
	if err == nil {
		return p
	}
	p.byField = map[string][]string{}
	for _, x := range nipp.ErrorProblems(err) {
		m := l.Msg(x.Msg)
		p.List = append(p.List, Problem{Field: x.Field, Key: x.Msg.Key, Message: m})
		if x.Field != "" {
			p.byField[x.Field] = append(p.byField[x.Field], m)
		}
	}
	return p
}

// Any reports whether there is a problem.
func (p Problems) Any() bool { return len(p.List) > 0 }

// Has reports whether field has a problem.
func (p Problems) Has(field string) bool { return len(p.byField[field]) > 0 }

// Of returns the messages of field.
func (p Problems) Of(field string) string { return strings.Join(p.byField[field], "; ") }

// Show renders field's messages beside the field (nothing when none); the
// element's id is the one Attr points at.
func (p Problems) Show(field string) template.HTML {
	if !p.Has(field) {
		return ""
	}
	return template.HTML(`<span class="field-error" id="` + html.EscapeString(errorID(field)) + `">` + html.EscapeString(p.Of(field)) + `</span>`)
}

// General renders the problems that name no field (a concurrent change, a
// refusal of the whole form), to show at the top of the form.
func (p Problems) General() template.HTML {
	var b strings.Builder
	for _, x := range p.List {
		if x.Field == "" {
			b.WriteString(`<p class="field-error form-error">` + html.EscapeString(x.Message) + `</p>`)
		}
	}
	return template.HTML(b.String())
}

// Attr marks a field at fault for assistive technology:
// aria-invalid and aria-describedby pointing at its message.
func (p Problems) Attr(field string) template.HTMLAttr {
	if !p.Has(field) {
		return ""
	}
	return template.HTMLAttr(`aria-invalid="true" aria-describedby="` + html.EscapeString(errorID(field)) + `"`)
}

func errorID(field string) string {
	return "err-" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, field)
}

// apiError is the JSON body of a refused API call: the code, the first
// problem's message (and field and key), and every problem.
type apiError struct {
	Code     string    `json:"code"`
	Message  string    `json:"message"`
	Field    string    `json:"field,omitempty"`
	Key      string    `json:"key"`
	Problems []Problem `json:"problems"`
	// Candidates are an ambiguous commune's candidates (establishments).
	Candidates any `json:"candidates,omitempty"`
}

// apiErrorOf translates err for the JSON API in the request's language.
func apiErrorOf(r *http.Request, err error) apiError {
	l := L{Lang: lang(r)}
	ps := l.Problems(err)
	e := apiError{Code: nipp.ErrorCode(err), Problems: ps.List}
	for i := range e.Problems {
		e.Problems[i].Code = e.Code
	}
	if len(ps.List) > 0 {
		e.Message, e.Field, e.Key = ps.List[0].Message, ps.List[0].Field, ps.List[0].Key
	}
	return e
}

// Message translates err into lang (for the command line).
func Message(lang string, err error) string { return L{Lang: lang}.Err(err) }

// Translate translates a message into lang (for the command line).
func Translate(lang string, m nipp.Msg) string { return L{Lang: lang}.Msg(m) }

// RowErr shows a problem of an imported file's row and column in the
// language (a reading error of the file shows as the reader reported it).
func (l L) RowErr(e *tabular.RowError) string {
	where := l.Tf("file.row", e.Row)
	if e.Col > 0 {
		where = l.Tf("file.row_col", e.Row, tabular.ColumnName(e.Col))
	}
	var ne *nipp.Error
	if errors.As(e.Err, &ne) {
		return where + ": " + l.Err(ne)
	}
	return where + ": " + e.Err.Error()
}

// msgOf translates err into the request's language, on one line.
func msgOf(r *http.Request, err error) string { return L{Lang: lang(r)}.Err(err) }
