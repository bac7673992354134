package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/web/webtest"
)

// A reader of the mapping form's labels and options (what the user reads
// there); submitting goes through webtest's form client.

var (
	impFormRe   = regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	impAttrRe   = regexp.MustCompile(`([a-z_-]+)(?:="([^"]*)")?`)
	impInputRe  = regexp.MustCompile(`<input\b([^>]*)>`)
	impSelectRe = regexp.MustCompile(`(?s)<select\b([^>]*)>(.*?)</select>`)
	impOptionRe = regexp.MustCompile(`(?s)<option\b([^>]*)>(.*?)</option>`)
	impLabelRe  = regexp.MustCompile(`(?s)<label for="([^"]+)">(.*?)</label>`)
)

func attrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range impAttrRe.FindAllStringSubmatch(s, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// pageForm is a form of a rendered page.
type pageForm struct {
	Action  string
	Values  url.Values             // what the browser would submit untouched
	Options map[string][][2]string // per select: (value, visible text)
	Labels  map[string]string      // per control id: its label's text
}

// findForm returns the form of body whose action is action.
func findForm(t *testing.T, body, action string) *pageForm {
	t.Helper()
	for _, m := range impFormRe.FindAllStringSubmatch(body, -1) {
		a := attrs(m[1])
		if a["action"] != action {
			continue
		}
		f := &pageForm{Action: action, Values: url.Values{}, Options: map[string][][2]string{}, Labels: map[string]string{}}
		for _, in := range impInputRe.FindAllStringSubmatch(m[2], -1) {
			ia := attrs(in[1])
			switch ia["type"] {
			case "file", "submit":
				continue
			case "checkbox", "radio":
				if _, ok := ia["checked"]; !ok {
					continue
				}
			}
			if ia["name"] != "" {
				f.Values.Add(ia["name"], ia["value"])
			}
		}
		for _, sm := range impSelectRe.FindAllStringSubmatch(m[2], -1) {
			sa := attrs(sm[1])
			chosen, picked := "", false
			for i, om := range impOptionRe.FindAllStringSubmatch(sm[2], -1) {
				oa := attrs(om[1])
				f.Options[sa["name"]] = append(f.Options[sa["name"]], [2]string{oa["value"], html.UnescapeString(om[2])})
				if _, ok := oa["selected"]; ok && !picked {
					chosen, picked = oa["value"], true
				} else if i == 0 && !picked {
					chosen = oa["value"]
				}
			}
			f.Values.Set(sa["name"], chosen)
		}
		for _, lm := range impLabelRe.FindAllStringSubmatch(m[2], -1) {
			f.Labels[lm[1]] = html.UnescapeString(lm[2])
		}
		return f
	}
	t.Fatalf("no form with action %q in page", action)
	return nil
}

// importChoices are what the user changes on the import forms.
type importChoices struct {
	atomic bool
	asOf   string            // typed into the "addresses as of" field of the upload form
	fields map[string]string // per file column title: the field's visible name to choose
}

// uploadForm fills the upload form as rendered (the file, and the user's
// choices) and submits it; it returns the job's path.
func uploadForm(t *testing.T, c *webtest.Client, name string, content []byte, ch importChoices) string {
	t.Helper()
	f := c.Open("/imports/establishments").Form("/imports/establishments").Attach("file", name, content)
	if ch.atomic {
		f.Check("atomic", "1")
	}
	if ch.asOf != "" {
		f.Set("addresses_as_of", ch.asOf)
	}
	p := f.Submit()
	if p.Status != http.StatusOK || jobRe.FindString(p.Path()) != p.Path() {
		t.Fatalf("upload: %d %s %s", p.Status, p.Path(), p.Text())
	}
	return p.Path()
}

// submitMapping submits the job's mapping form as rendered, choosing for
// the columns titled in fields the field with the given visible name.
func submitMapping(t *testing.T, c *webtest.Client, loc string, fields map[string]string) *webtest.Page {
	t.Helper()
	page := c.Open(loc)
	f := page.Form(loc + "/mapping")
	labels := findForm(t, page.Body, loc+"/mapping").Labels
	for title, field := range fields {
		found := false
		for ctl, label := range labels {
			if strings.HasSuffix(label, ": "+title) {
				f.Select(ctl, field)
				found = true
			}
		}
		if !found {
			t.Fatalf("no column %q on the mapping form (labels %v)", title, labels)
		}
	}
	p := f.Submit()
	if p.Status != http.StatusOK || p.Path() != loc {
		t.Fatalf("mapping: %d %s %s", p.Status, p.Path(), p.Text())
	}
	return page
}

// importThrough uploads content through the forms, submits the mapping form
// as rendered (with the user's choices), runs the worker, applies (or, for
// an atomic job with rejected rows, chooses "import nothing") and runs it
// again. It returns the job and the mapping page as rendered.
func importThrough(t *testing.T, env *webtest.Env, c *webtest.Client, name string, content []byte, ch importChoices) (*nipp.ImportJob, string) {
	t.Helper()
	loc := uploadForm(t, c, name, content, ch)
	id, _ := strconv.ParseInt(jobRe.FindStringSubmatch(loc)[1], 10, 64)
	page := submitMapping(t, c, loc, ch.fields)
	ctx := context.Background()
	if _, err := env.App.RunImportJobs(ctx); err != nil {
		t.Fatal(err)
	}
	checked := c.Open(loc)
	switch {
	case checked.HasForm(loc + "/apply"):
		if p := checked.Form(loc + "/apply").Submit(); p.Status != http.StatusOK {
			t.Fatalf("apply: %d %s", p.Status, p.Text())
		}
		if _, err := env.App.RunImportJobs(ctx); err != nil {
			t.Fatal(err)
		}
	case checked.HasForm(loc + "/cancel"):
		if p := checked.Form(loc + "/cancel").Submit(); p.Status != http.StatusOK {
			t.Fatalf("cancel: %d %s", p.Status, p.Text())
		}
	}
	return findJob(t, env, id), page.Body
}

func findJob(t *testing.T, env *webtest.Env, id int64) *nipp.ImportJob {
	t.Helper()
	ctx := context.Background()
	var job *nipp.ImportJob
	if err := env.DB.ReadTx(ctx, func(tx *store.Tx) error {
		var err error
		job, err = tx.FindImportJobByID(ctx, id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return job
}
