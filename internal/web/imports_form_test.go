package web_test

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"nipp/internal/store"
	"nipp/internal/web/webtest"
)

// A small reader of the import pages' forms, so tests submit what the
// rendered form holds (hidden fields, the prefilled date, the selected
// options) and change only what a user changes.

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

// choose selects, in select name, the option whose visible text is text.
func (f *pageForm) choose(t *testing.T, name, text string) {
	t.Helper()
	for _, o := range f.Options[name] {
		if o[1] == text {
			f.Values.Set(name, o[0])
			return
		}
	}
	t.Fatalf("select %s has no option %q (options %v)", name, text, f.Options[name])
}

// importChoices are what the user changes on the import forms.
type importChoices struct {
	atomic bool
	asOf   string            // typed into the "addresses as of" field of the upload form
	fields map[string]string // per file column title: the field's visible name to choose
}

// uploadForm submits the upload form as rendered, with the file.
func uploadForm(t *testing.T, c *webtest.Client, name string, content []byte, ch importChoices) string {
	t.Helper()
	page := c.Get("/imports/establishments")
	f := findForm(t, page.Body, "/imports/establishments")
	if ch.atomic {
		f.Values.Set("atomic", "1")
	}
	if ch.asOf != "" {
		f.Values.Set("addresses_as_of", ch.asOf)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range f.Values {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", c.URL("/imports/establishments"), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	r := c.Do(req)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	return r.Header.Get("Location")
}

// importThrough uploads content through the forms, submits the mapping form
// as rendered (with the user's choices), runs the worker, applies and runs
// it again. It returns the job and the mapping page as rendered.
func importThrough(t *testing.T, env *webtest.Env, c *webtest.Client, name string, content []byte, ch importChoices) (*store.ImportJob, string) {
	t.Helper()
	loc := uploadForm(t, c, name, content, ch)
	m := jobRe.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("no job in %q", loc)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	page := c.Get(loc)
	if page.Status != 200 {
		t.Fatalf("job page: %d %s", page.Status, page.Body)
	}
	f := findForm(t, page.Body, loc+"/mapping")
	for title, field := range ch.fields {
		found := false
		for ctl, label := range f.Labels {
			if strings.HasSuffix(label, ": "+title) {
				f.choose(t, ctl, field)
				found = true
			}
		}
		if !found {
			t.Fatalf("no column %q on the mapping form (labels %v)", title, f.Labels)
		}
	}
	if r := c.PostForm(loc+"/mapping", f.Values); r.Status != http.StatusSeeOther {
		t.Fatalf("mapping: %d %s", r.Status, r.Body)
	}
	ctx := context.Background()
	if _, err := env.App.RunImportJobs(ctx); err != nil {
		t.Fatal(err)
	}
	if r := c.Get(loc); r.Status == 200 && strings.Contains(r.Body, `action="`+loc+`/apply"`) {
		if r := c.PostForm(loc+"/apply", findForm(t, r.Body, loc+"/apply").Values); r.Status != http.StatusSeeOther {
			t.Fatalf("apply: %d %s", r.Status, r.Body)
		}
		if _, err := env.App.RunImportJobs(ctx); err != nil {
			t.Fatal(err)
		}
	} else if strings.Contains(r.Body, `action="`+loc+`/cancel"`) {
		// Atomic with rejected rows: the only choice left is "import nothing".
		if r := c.PostForm(loc+"/cancel", findForm(t, r.Body, loc+"/cancel").Values); r.Status != http.StatusSeeOther {
			t.Fatalf("cancel: %d %s", r.Status, r.Body)
		}
	}
	return findJob(t, env, id), page.Body
}

func findJob(t *testing.T, env *webtest.Env, id int64) *store.ImportJob {
	t.Helper()
	ctx := context.Background()
	var job *store.ImportJob
	if err := env.DB.ReadTx(ctx, func(tx *store.Tx) error {
		var err error
		job, err = tx.FindImportJobByID(ctx, id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return job
}
