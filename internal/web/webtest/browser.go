package webtest

// A form-submitting client: tests read the page a user gets, pick a form the
// way a user does (by its action, id or button text), type only what a user
// types, and submit what a browser would send: hidden fields as rendered,
// checked boxes, selected options (the first option when none is selected),
// textareas, the clicked button's name and value, files for upload forms.
// Redirects are followed and the final page is returned.

import (
	"bytes"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"
)

// Page is a page as the browser ends up on it (after redirects).
type Page struct {
	Status int
	URL    *url.URL // final URL
	Header http.Header
	Body   string
	doc    *html.Node
	c      *Client
}

// Open fetches a path (or absolute URL on the test server) with GET,
// following redirects, and returns the final page.
func (c *Client) Open(target string) *Page {
	c.env.T.Helper()
	u, err := url.Parse(c.env.HTTP.URL)
	if err != nil {
		c.env.T.Fatal(err)
	}
	ref, err := u.Parse(target)
	if err != nil {
		c.env.T.Fatalf("open %q: %v", target, err)
	}
	req, _ := http.NewRequest("GET", ref.String(), nil)
	return c.follow(req)
}

// maxRedirects bounds redirect chains like a browser does.
const maxRedirects = 10

// follow sends req and follows redirects: 301, 302 and 303 become GET;
// 307 and 308 repeat the method and body.
func (c *Client) follow(req *http.Request) *Page {
	c.env.T.Helper()
	var body []byte
	if req.GetBody != nil {
		rc, _ := req.GetBody()
		buf := new(bytes.Buffer)
		buf.ReadFrom(rc)
		body = buf.Bytes()
	}
	for range maxRedirects {
		resp := c.Do(req)
		loc := resp.Header.Get("Location")
		switch resp.Status {
		case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
			if loc == "" {
				break
			}
			next, err := req.URL.Parse(loc)
			if err != nil {
				c.env.T.Fatalf("%s %s: bad Location %q", req.Method, req.URL, loc)
			}
			method, ctype := "GET", ""
			var rd *bytes.Reader
			if resp.Status == http.StatusTemporaryRedirect || resp.Status == http.StatusPermanentRedirect {
				method, ctype = req.Method, req.Header.Get("Content-Type")
				rd = bytes.NewReader(body)
			}
			if rd != nil {
				req, _ = http.NewRequest(method, next.String(), rd)
				req.Header.Set("Content-Type", ctype)
			} else {
				req, _ = http.NewRequest(method, next.String(), nil)
			}
			continue
		}
		return c.page(req.URL, resp)
	}
	c.env.T.Fatalf("%s: more than %d redirects", req.URL, maxRedirects)
	return nil
}

func (c *Client) page(u *url.URL, r *Response) *Page {
	c.env.T.Helper()
	p := &Page{Status: r.Status, URL: u, Header: r.Header, Body: r.Body, c: c}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		doc, err := html.Parse(strings.NewReader(r.Body))
		if err != nil {
			c.env.T.Fatalf("%s: parsing HTML: %v", u, err)
		}
		p.doc = doc
	}
	return p
}

// Path is the final URL's path and query, e.g. "/projects/P-1?lang=en".
func (p *Page) Path() string { return p.URL.RequestURI() }

// Text is the page's visible text (no script or style), whitespace collapsed.
func (p *Page) Text() string {
	if p.doc == nil {
		return p.Body
	}
	return textOf(p.doc)
}

// Contains reports whether the visible text contains s.
func (p *Page) Contains(s string) bool { return strings.Contains(p.Text(), s) }

// Link is an <a href> on the page.
type Link struct {
	Text string
	Href string   // as written
	URL  *url.URL // resolved against the page
}

// Links lists every <a href> of the page in document order.
func (p *Page) Links() []Link {
	var out []Link
	walk(p.doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Data == "a" {
			if href, ok := attr(n, "href"); ok {
				u, err := p.URL.Parse(href)
				if err == nil {
					out = append(out, Link{Text: textOf(n), Href: href, URL: u})
				}
			}
		}
		return true
	})
	return out
}

// Follow clicks the first link whose text is text (exactly, after
// whitespace is collapsed) and returns the page it leads to.
func (p *Page) Follow(text string) *Page {
	p.c.env.T.Helper()
	for _, l := range p.Links() {
		if l.Text == text {
			return p.c.Open(l.URL.String())
		}
	}
	p.c.env.T.Fatalf("%s: no link %q", p.Path(), text)
	return nil
}

// FollowTo clicks the first link to the path (query ignored) and returns
// the page it leads to; the test fails when the page has no such link.
func (p *Page) FollowTo(path string) *Page {
	p.c.env.T.Helper()
	for _, l := range p.Links() {
		if l.URL.Path == path && l.URL.Host == p.URL.Host {
			return p.c.Open(l.URL.String())
		}
	}
	p.c.env.T.Fatalf("%s: no link to %s", p.Path(), path)
	return nil
}

// ElementText is the text of the element with the id, and whether it exists.
func (p *Page) ElementText(id string) (string, bool) {
	var found *html.Node
	walk(p.doc, func(n *html.Node) bool {
		if v, ok := attr(n, "id"); ok && v == id && n.Type == html.ElementNode {
			found = n
			return false
		}
		return found == nil
	})
	if found == nil {
		return "", false
	}
	return textOf(found), true
}

// Address is what the browser's address bar shows: a refused form's page
// puts its own address there (static/address.js, from the data-address of
// its script), so that a reload shows it again; other pages their URL.
func (p *Page) Address() string {
	addr := ""
	walk(p.doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Data == "script" {
			if a, ok := attr(n, "data-address"); ok {
				addr = a
			}
		}
		return addr == ""
	})
	if addr == "" {
		return p.Path()
	}
	return addr
}

// Problem is one problem of a refused form as the page shows it.
type Problem struct {
	Message string // as listed at the top of the page
	// Beside is the message shown beside the field at fault (the element
	// the summary links to), "" when there is none; Form is the action of
	// the form that element is in ("" when it is in none).
	Beside, Form string
	Field        bool // the problem names a field (the summary links to it)
}

// Problems lists the problems of a refused form as the page shows them: the
// summary at the top, each with the message beside its field.
func (p *Page) Problems() []Problem {
	var out []Problem
	walk(p.doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode || !strings.Contains(" "+attrOr(n, "class", "")+" ", " error-summary ") {
			return true
		}
		walk(n, func(li *html.Node) bool {
			if li.Type != html.ElementNode || li.Data != "li" {
				return true
			}
			pr := Problem{Message: textOf(li)}
			walk(li, func(a *html.Node) bool {
				if href, ok := attr(a, "href"); ok && a.Data == "a" && strings.HasPrefix(href, "#") {
					pr.Field = true
					pr.Beside, pr.Form = p.besideOf(strings.TrimPrefix(href, "#"))
				}
				return true
			})
			out = append(out, pr)
			return false
		})
		return false
	})
	return out
}

// besideOf is the text of the element with the id and the action of the
// form it is in.
func (p *Page) besideOf(id string) (text, form string) {
	var found *html.Node
	walk(p.doc, func(n *html.Node) bool {
		if v, ok := attr(n, "id"); ok && v == id && n.Type == html.ElementNode {
			found = n
		}
		return found == nil
	})
	if found == nil {
		return "", ""
	}
	for up := found.Parent; up != nil; up = up.Parent {
		if up.Type == html.ElementNode && up.Data == "form" {
			form, _ = attr(up, "action")
			break
		}
	}
	return textOf(found), form
}

// Forms lists the page's forms in document order.
func (p *Page) Forms() []*Form {
	var forms []*Form
	byID := map[string]*Form{}
	walk(p.doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Data == "form" {
			f := &Form{page: p, node: n}
			f.ID, _ = attr(n, "id")
			f.Action, _ = attr(n, "action")
			f.Method = strings.ToUpper(attrOr(n, "method", "GET"))
			if f.Method != "POST" {
				f.Method = "GET"
			}
			f.Enctype = strings.ToLower(attrOr(n, "enctype", "application/x-www-form-urlencoded"))
			_, f.noValidate = attr(n, "novalidate")
			forms = append(forms, f)
			if f.ID != "" {
				byID[f.ID] = f
			}
		}
		return true
	})
	// Controls belong to their form="id" if they have one, else to the
	// nearest enclosing form.
	walk(p.doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.Data {
		case "input", "select", "textarea", "button":
		default:
			return true
		}
		var f *Form
		if id, ok := attr(n, "form"); ok {
			f = byID[id]
		} else {
			for a := n.Parent; a != nil && f == nil; a = a.Parent {
				if a.Type == html.ElementNode && a.Data == "form" {
					for _, g := range forms {
						if g.node == a {
							f = g
						}
					}
				}
			}
		}
		if f != nil {
			f.add(n)
		}
		return n.Data != "select" && n.Data != "textarea"
	})
	return forms
}

// HasForm reports whether a form matches key (see Form).
func (p *Page) HasForm(key string) bool { return len(p.match(key)) == 1 }

// Form finds the one form whose id is key, whose action (path, or path and
// query) is key, or that has a submit button labelled key. It fails the
// test when none or several match.
func (p *Page) Form(key string) *Form {
	p.c.env.T.Helper()
	m := p.match(key)
	switch len(m) {
	case 0:
		var have []string
		for _, f := range p.Forms() {
			have = append(have, fmt.Sprintf("%s %q %v", f.Method, f.Action, f.Buttons()))
		}
		p.c.env.T.Fatalf("%s (status %d): no form %q; forms: %s\n%s", p.Path(), p.Status, key, strings.Join(have, "; "), p.Text())
	case 1:
		return m[0]
	default:
		p.c.env.T.Fatalf("%s: %d forms match %q", p.Path(), len(m), key)
	}
	return nil
}

func (p *Page) match(key string) []*Form {
	var out []*Form
	for _, f := range p.Forms() {
		act := f.URL()
		switch {
		case f.ID != "" && f.ID == key, f.Action == key, act.Path == key, act.RequestURI() == key:
			out = append(out, f)
			continue
		}
		for _, b := range f.buttons {
			if b.label == key {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// Form is a form read from a page, with the values a browser would send.
type Form struct {
	ID      string
	Action  string // as written ("" submits to the page itself)
	Method  string // GET or POST
	Enctype string

	page       *Page
	node       *html.Node
	noValidate bool
	controls   []*control
	buttons    []*control
}

type option struct {
	value, label string
	selected     bool
	disabled     bool
}

type control struct {
	tag, kind, name, value string
	label                  string // buttons: visible text or value
	checked                bool
	required, disabled     bool
	multiple               bool
	options                []option
	file                   *file
	attrs                  map[string]string
}

type file struct {
	name    string
	content []byte
}

func (f *Form) add(n *html.Node) {
	c := &control{tag: n.Data, attrs: map[string]string{}}
	for _, a := range n.Attr {
		c.attrs[a.Key] = a.Val
	}
	c.name = c.attrs["name"]
	_, c.required = c.attrs["required"]
	_, c.disabled = c.attrs["disabled"]
	_, c.multiple = c.attrs["multiple"]
	for a := n.Parent; a != nil && !c.disabled; a = a.Parent {
		if a.Type == html.ElementNode && a.Data == "fieldset" {
			_, c.disabled = attr(a, "disabled")
		}
	}
	switch n.Data {
	case "input":
		c.kind = strings.ToLower(c.attrs["type"])
		if c.kind == "" {
			c.kind = "text"
		}
		c.value = c.attrs["value"]
		_, c.checked = c.attrs["checked"]
		if c.kind == "checkbox" || c.kind == "radio" {
			if _, ok := c.attrs["value"]; !ok {
				c.value = "on"
			}
		}
		if c.kind == "submit" || c.kind == "image" {
			c.label = c.value
			if c.label == "" {
				c.label = "Submit"
			}
			f.buttons = append(f.buttons, c)
			return
		}
		if c.kind == "button" || c.kind == "reset" {
			return
		}
	case "textarea":
		c.kind = "textarea"
		c.value = strings.TrimPrefix(rawText(n), "\n")
	case "select":
		c.kind = "select"
		walk(n, func(o *html.Node) bool {
			if o.Type == html.ElementNode && o.Data == "option" {
				op := option{label: strings.TrimSpace(textOf(o))}
				v, ok := attr(o, "value")
				if !ok {
					v = op.label
				}
				op.value = v
				_, op.selected = attr(o, "selected")
				_, op.disabled = attr(o, "disabled")
				c.options = append(c.options, op)
			}
			return true
		})
		if !c.multiple {
			// A single select always sends one option: the last one marked
			// selected, else the first enabled one.
			sel := -1
			for i, o := range c.options {
				if o.selected {
					sel = i
				}
			}
			if sel < 0 {
				for i, o := range c.options {
					if !o.disabled {
						sel = i
						break
					}
				}
			}
			for i := range c.options {
				c.options[i].selected = i == sel
			}
		}
	case "button":
		c.kind = strings.ToLower(c.attrs["type"])
		if c.kind == "" {
			c.kind = "submit"
		}
		if c.kind != "submit" {
			return
		}
		c.value = c.attrs["value"]
		c.label = textOf(n)
		f.buttons = append(f.buttons, c)
		return
	}
	f.controls = append(f.controls, c)
}

// Buttons lists the labels of the form's submit buttons.
func (f *Form) Buttons() []string {
	var out []string
	for _, b := range f.buttons {
		out = append(out, b.label)
	}
	return out
}

// Has reports whether the form has a field named name.
func (f *Form) Has(name string) bool { return len(f.named(name)) > 0 }

// Get is the value the form would send for name (the first one).
func (f *Form) Get(name string) string { return f.values(nil).Get(name) }

// Class is the form's class attribute.
func (f *Form) Class() string { return attrOr(f.node, "class", "") }

// ButtonClass is the class attribute of the button labelled label.
func (f *Form) ButtonClass(label string) string {
	for _, b := range f.buttons {
		if b.label == label {
			return b.attrs["class"]
		}
	}
	return ""
}

// Required reports whether the field named name is marked required.
func (f *Form) Required(name string) bool {
	for _, c := range f.named(name) {
		if c.required {
			return true
		}
	}
	return false
}

func (f *Form) named(name string) []*control {
	var out []*control
	for _, c := range f.controls {
		if c.name == name && !c.disabled {
			out = append(out, c)
		}
	}
	return out
}

func (f *Form) fatalf(format string, args ...any) {
	f.page.c.env.T.Helper()
	f.page.c.env.T.Fatalf("%s form %q: %s", f.page.Path(), f.Action, fmt.Sprintf(format, args...))
}

// Set types value into the text-like field (input or textarea) named name.
// Hidden, checkbox, radio, select and file fields are not typed into: the
// test fails, because a user cannot do it either.
func (f *Form) Set(name, value string) *Form {
	f.page.c.env.T.Helper()
	return f.SetNth(name, 0, value)
}

// SetNth types value into the i-th (from 0) field named name, for forms
// that repeat a row of fields.
func (f *Form) SetNth(name string, i int, value string) *Form {
	f.page.c.env.T.Helper()
	cs := f.named(name)
	if len(cs) <= i {
		f.fatalf("no field %q number %d (%d such fields)", name, i, len(cs))
	}
	c := cs[i]
	switch c.kind {
	case "hidden", "checkbox", "radio", "select", "file", "submit":
		f.fatalf("field %q is %s: a user cannot type into it", name, c.kind)
	}
	if _, ro := c.attrs["readonly"]; ro {
		f.fatalf("field %q is read-only", name)
	}
	c.value = value
	return f
}

// Select chooses, in the select named name, the option whose visible label
// or value is choice. For a multiple select it adds to the selection.
func (f *Form) Select(name, choice string) *Form {
	f.page.c.env.T.Helper()
	return f.SelectNth(name, 0, choice)
}

// SelectNth chooses in the i-th (from 0) select named name.
func (f *Form) SelectNth(name string, i int, choice string) *Form {
	f.page.c.env.T.Helper()
	n := 0
	for _, c := range f.named(name) {
		if c.kind != "select" {
			continue
		}
		if n++; n <= i {
			continue
		}
		idx := -1
		for i, o := range c.options {
			if !o.disabled && (o.label == choice || o.value == choice) {
				idx = i
				break
			}
		}
		if idx < 0 {
			var have []string
			for _, o := range c.options {
				have = append(have, o.label)
			}
			f.fatalf("select %q has no option %q (options: %s)", name, choice, strings.Join(have, " | "))
		}
		for i := range c.options {
			if i == idx {
				c.options[i].selected = true
			} else if !c.multiple {
				c.options[i].selected = false
			}
		}
		return f
	}
	f.fatalf("no select %q number %d", name, i)
	return f
}

// Unselect clears every selected option of the multiple select named name.
func (f *Form) Unselect(name string) *Form {
	f.page.c.env.T.Helper()
	for _, c := range f.named(name) {
		if c.kind == "select" && c.multiple {
			for i := range c.options {
				c.options[i].selected = false
			}
			return f
		}
	}
	f.fatalf("no multiple select %q", name)
	return f
}

// Check ticks the checkbox or radio button named name with value value
// ("" matches any value); a radio unticks the others of its group.
func (f *Form) Check(name, value string) *Form {
	f.page.c.env.T.Helper()
	return f.tick(name, value, true)
}

// Uncheck clears the checkbox named name with value value ("" any).
func (f *Form) Uncheck(name, value string) *Form {
	f.page.c.env.T.Helper()
	return f.tick(name, value, false)
}

func (f *Form) tick(name, value string, on bool) *Form {
	f.page.c.env.T.Helper()
	var hit *control
	for _, c := range f.named(name) {
		if (c.kind == "checkbox" || c.kind == "radio") && (value == "" || c.value == value) {
			hit = c
			break
		}
	}
	if hit == nil {
		f.fatalf("no checkbox or radio %q=%q", name, value)
	}
	if hit.kind == "radio" && on {
		for _, c := range f.named(name) {
			if c.kind == "radio" {
				c.checked = false
			}
		}
	}
	if hit.kind == "radio" && !on {
		f.fatalf("a radio button %q cannot be unchecked by a user", name)
	}
	hit.checked = on
	return f
}

// Attach chooses a file for the file input named name.
func (f *Form) Attach(name, filename string, content []byte) *Form {
	f.page.c.env.T.Helper()
	for _, c := range f.named(name) {
		if c.kind == "file" {
			c.file = &file{name: filename, content: content}
			return f
		}
	}
	f.fatalf("no file input %q", name)
	return f
}

// NoValidate submits without the browser's check of required fields (as a
// form with novalidate, or a user agent without validation).
func (f *Form) NoValidate() *Form { f.noValidate = true; return f }

// Values are the successful controls a browser would send, without a button
// (files appear by filename).
func (f *Form) Values() url.Values { return f.values(nil) }

type part struct {
	name, value string
	file        *file
	isFile      bool
}

func (f *Form) parts(btn *control) []part {
	var out []part
	for _, c := range f.controls {
		if c.name == "" || c.disabled {
			continue
		}
		switch c.kind {
		case "checkbox", "radio":
			if c.checked {
				out = append(out, part{name: c.name, value: c.value})
			}
		case "select":
			for _, o := range c.options {
				if o.selected && !o.disabled {
					out = append(out, part{name: c.name, value: o.value})
				}
			}
		case "file":
			out = append(out, part{name: c.name, file: c.file, isFile: true})
		case "textarea":
			out = append(out, part{name: c.name, value: strings.ReplaceAll(strings.ReplaceAll(c.value, "\r\n", "\n"), "\n", "\r\n")})
		default:
			out = append(out, part{name: c.name, value: c.value})
		}
	}
	if btn != nil && btn.name != "" {
		out = append(out, part{name: btn.name, value: btn.value})
	}
	return out
}

func (f *Form) values(btn *control) url.Values {
	v := url.Values{}
	for _, p := range f.parts(btn) {
		if p.isFile {
			if p.file != nil {
				v.Add(p.name, p.file.name)
			} else {
				v.Add(p.name, "")
			}
			continue
		}
		v.Add(p.name, p.value)
	}
	return v
}

// URL is the form's action resolved against its page.
func (f *Form) URL() *url.URL {
	u, err := f.page.URL.Parse(f.Action)
	if err != nil {
		return f.page.URL
	}
	return u
}

// Submit submits with the form's first submit button (as pressing Enter
// does) and returns the page the browser ends up on.
func (f *Form) Submit() *Page {
	f.page.c.env.T.Helper()
	var btn *control
	if len(f.buttons) > 0 {
		btn = f.buttons[0]
	}
	return f.submit(btn)
}

// Click submits with the button labelled label.
func (f *Form) Click(label string) *Page {
	f.page.c.env.T.Helper()
	for _, b := range f.buttons {
		if b.label == label {
			return f.submit(b)
		}
	}
	f.fatalf("no button %q (buttons: %v)", label, f.Buttons())
	return nil
}

func (f *Form) submit(btn *control) *Page {
	f.page.c.env.T.Helper()
	action, method, enctype, noValidate := f.URL(), f.Method, f.Enctype, f.noValidate
	if btn != nil {
		if a, ok := btn.attrs["formaction"]; ok {
			if u, err := f.page.URL.Parse(a); err == nil {
				action = u
			}
		}
		if m, ok := btn.attrs["formmethod"]; ok {
			method = strings.ToUpper(m)
		}
		if e, ok := btn.attrs["formenctype"]; ok {
			enctype = strings.ToLower(e)
		}
		if _, ok := btn.attrs["formnovalidate"]; ok {
			noValidate = true
		}
	}
	if !noValidate {
		f.validate()
	}
	if method == "GET" {
		u := *action
		u.RawQuery = f.values(btn).Encode()
		req, _ := http.NewRequest("GET", u.String(), nil)
		f.referer(req)
		return f.page.c.follow(req)
	}
	var body []byte
	var ctype string
	if enctype == "multipart/form-data" {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for _, p := range f.parts(btn) {
			if !p.isFile {
				w.WriteField(p.name, p.value)
				continue
			}
			fn, content, typ := "", []byte(nil), "application/octet-stream"
			if p.file != nil {
				fn, content = p.file.name, p.file.content
				if t := mime.TypeByExtension(path.Ext(fn)); t != "" {
					typ = t
				}
			}
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.name, fn))
			h.Set("Content-Type", typ)
			pw, _ := w.CreatePart(h)
			pw.Write(content)
		}
		w.Close()
		body, ctype = buf.Bytes(), w.FormDataContentType()
	} else {
		body, ctype = []byte(f.values(btn).Encode()), "application/x-www-form-urlencoded"
	}
	req, _ := http.NewRequest("POST", action.String(), bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	f.referer(req)
	return f.page.c.follow(req)
}

// referer sends the page's address as a browser does (what its address bar
// shows: a refused page's own address, see Page.Address).
func (f *Form) referer(req *http.Request) {
	if ref, err := f.page.URL.Parse(f.page.Address()); err == nil {
		req.Header.Set("Referer", ref.String())
	}
}

// validate fails the test where a browser would refuse to submit: a
// required field left empty.
func (f *Form) validate() {
	f.page.c.env.T.Helper()
	groups := map[string]bool{} // radio groups: required and any checked
	for _, c := range f.controls {
		if c.disabled || c.name == "" {
			continue
		}
		if c.kind == "radio" {
			if _, seen := groups[c.name]; !seen {
				groups[c.name] = false
			}
			if c.checked {
				groups[c.name] = true
			}
			continue
		}
		if !c.required {
			continue
		}
		empty := false
		switch c.kind {
		case "checkbox":
			empty = !c.checked
		case "select":
			empty = true
			for _, o := range c.options {
				if o.selected && o.value != "" {
					empty = false
				}
			}
		case "file":
			empty = c.file == nil
		case "hidden":
		default:
			empty = c.value == ""
		}
		if empty {
			f.fatalf("required field %q is empty: a browser would not submit", c.name)
		}
	}
	for _, c := range f.controls {
		if c.kind == "radio" && c.required && !c.disabled && !groups[c.name] {
			f.fatalf("required choice %q has nothing chosen: a browser would not submit", c.name)
		}
	}
}

// walk visits n and its descendants in document order; visit returns false
// to skip a node's children.
func walk(n *html.Node, visit func(*html.Node) bool) {
	if n == nil {
		return
	}
	if !visit(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, visit)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attrOr(n *html.Node, key, def string) string {
	if v, ok := attr(n, key); ok {
		return v
	}
	return def
}

// textOf is the visible text under n, whitespace collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if c.Type == html.ElementNode && (c.Data == "script" || c.Data == "style" || c.Data == "template") {
			return false
		}
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
			b.WriteByte(' ')
		}
		return true
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// rawText is the text content of n as written (for textareas).
func rawText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}
