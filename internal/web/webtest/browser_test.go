package webtest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
)

const formPage = `<!doctype html><html><body>
<h1>Title &amp; more</h1>
<a href="/next?x=1">Next page</a>
<form id="main" method="post" action="/echo">
<input type="hidden" name="version" value="7">
<input type="text" name="title" value="old">
<input name="untyped" value="u">
<input type="checkbox" name="flag" value="1" checked>
<input type="checkbox" name="other" value="1">
<input type="checkbox" name="bare" checked>
<input type="radio" name="r" value="a"><input type="radio" name="r" value="b" checked>
<select name="first"><option value="x">Ex</option><option value="y">Why</option></select>
<select name="chosen"><option value="x">Ex</option><option value="y" selected>Why</option></select>
<select name="many" multiple><option value="1" selected>One</option><option value="2">Two</option><option value="3" selected>Three</option></select>
<input type="text" name="row" value="r0"><input type="text" name="row" value="r1">
<select name="pick"><option>a</option></select><select name="pick"><option>a</option><option>b</option></select>
<textarea name="note">
line</textarea>
<input type="text" name="off" value="z" disabled>
<fieldset disabled><input type="text" name="fsoff" value="z"></fieldset>
<button type="button" name="js">no</button>
<button type="submit" name="op" value="recompute">Recompute</button>
<button name="op" value="save">Save</button>
</form>
<input type="text" name="outside" value="o" form="main">
<form method="post" action="/upload" enctype="multipart/form-data">
<select name="kind"><option>plan</option></select><input type="file" name="file"><button>Upload</button>
</form>
<form method="get" action="/search?stale=1"><input type="search" name="q"><button>Find</button></form>
</body></html>`

// echoServer serves formPage at "/", redirects posts to /result which
// shows what was received.
func echoServer(t *testing.T) *Client {
	var last string
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, formPage)
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		last = dump(r.PostForm)
		http.Redirect(w, r, "/result", http.StatusSeeOther)
	})
	mux.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		f, h, err := r.FormFile("file")
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		b, _ := io.ReadAll(f)
		last = fmt.Sprintf("kind=%s file=%s type=%s content=%s", r.FormValue("kind"), h.Filename, h.Header.Get("Content-Type"), b)
		http.Redirect(w, r, "/result", http.StatusFound)
	})
	mux.HandleFunc("GET /search", func(w http.ResponseWriter, r *http.Request) {
		last = r.URL.RawQuery
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, last)
	})
	mux.HandleFunc("GET /result", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<p id=out>%s</p>", last)
	})
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	e := &Env{T: t, HTTP: hs}
	return e.Anonymous()
}

func dump(v url.Values) string {
	var out []string
	for k, vs := range v {
		out = append(out, k+"="+strings.Join(vs, ","))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestFormSendsWhatABrowserSends(t *testing.T) {
	c := echoServer(t)
	p := c.Open("/")
	if !p.Contains("Title & more") {
		t.Fatalf("text: %q", p.Text())
	}
	if len(p.Forms()) != 3 {
		t.Fatalf("forms: %d", len(p.Forms()))
	}
	for _, key := range []string{"main", "/echo", "Save", "Recompute"} {
		if p.Form(key).Action != "/echo" {
			t.Errorf("Form(%q) found the wrong form", key)
		}
	}
	if p.HasForm("/nowhere") {
		t.Error("HasForm found a form that is not there")
	}

	got := p.Form("main").Set("title", "new").SetNth("row", 1, "typed").SelectNth("pick", 1, "b").Click("Save")
	want := "bare=on chosen=y first=x flag=1 many=1,3 note=line op=save outside=o pick=a,b r=b row=r0,typed title=new untyped=u version=7"
	if out, _ := got.ElementText("out"); out != want || got.Path() != "/result" {
		t.Errorf("sent %q to %s\nwant %q", out, got.Path(), want)
	}

	f := p.Form("main")
	f.Select("first", "Why").Select("many", "Two").Check("other", "1").Uncheck("flag", "1").Check("r", "a").Set("note", "a\nb")
	got = f.Submit() // the first submit button
	want = "bare=on chosen=y first=y many=1,2,3 note=a b op=recompute other=1 outside=o pick=a,a r=a row=r0,r1 title=old untyped=u version=7"
	if out, _ := got.ElementText("out"); out != want || !strings.Contains(got.Body, "note=a\r\nb") {
		t.Errorf("sent %q\nwant %q", out, want)
	}

	got = p.Form("/upload").Attach("file", "plan.pdf", []byte("%PDF")).Submit()
	if out, _ := got.ElementText("out"); out != "kind=plan file=plan.pdf type=application/pdf content=%PDF" {
		t.Errorf("upload sent %q", out)
	}

	got = p.Form("Find").Set("q", "bánh mì").Submit()
	if got.Body != "q=b%C3%A1nh+m%C3%AC" || got.URL.Path != "/search" {
		t.Errorf("GET form went to %s with %q", got.Path(), got.Body)
	}

	next := p.Links()[0]
	if next.Text != "Next page" || next.URL.Path != "/next" {
		t.Errorf("links: %+v", p.Links())
	}
}
