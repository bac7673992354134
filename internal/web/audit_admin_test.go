package web_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

func TestAuditPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		aud := env.As(nipp.RoleAuditor)
		admin := env.As(nipp.RoleAdmin)
		for range 3 {
			admin.PostForm("/account/tokens", url.Values{"name": {"t"}})
		}
		r := aud.Get("/audit?entity=api_token")
		if r.Status != http.StatusOK || strings.Count(withoutLabels(r.Body), "<td class=\"num\">") != 3 || !strings.Contains(r.Body, admin.User.Email) {
			t.Fatalf("filtered audit page: %d", r.Status)
		}
		// Filtering by user and keyset paging through the API.
		var page struct {
			Items []nipp.AuditEntry
			Next  string
		}
		aud.Get("/api/v1/audit?user="+url.QueryEscape(admin.User.Email)+"&limit=2").JSON(t, &page)
		if len(page.Items) != 2 || page.Next == "" || page.Items[0].Seq <= page.Items[1].Seq {
			t.Fatalf("first page: %+v", page)
		}
		var page2 struct {
			Items []nipp.AuditEntry
			Next  string
		}
		aud.Get("/api/v1/audit?user="+url.QueryEscape(admin.User.Email)+"&limit=2&before="+page.Next).JSON(t, &page2)
		// the admin's entries: sign-in and three tokens
		if len(page2.Items) != 2 || page2.Next != "" || page2.Items[0].Seq >= page.Items[1].Seq {
			t.Fatalf("second page: %+v", page2)
		}
		for _, e := range append(page.Items, page2.Items...) {
			if e.UserID != admin.User.ID {
				t.Fatalf("entry of another user: %+v", e)
			}
		}
		// Date range: nothing before 2000.
		aud.Get("/api/v1/audit?to=1999-12-31").JSON(t, &page)
		if len(page.Items) != 0 {
			t.Fatalf("date filter: %d items", len(page.Items))
		}
		if r := aud.Get("/api/v1/audit?from=yesterday"); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad date: %d", r.Status)
		}
		// Excel export of the filtered list.
		r = aud.Get("/audit/export.xlsx?entity=api_token")
		if r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(r.Body)), int64(len(r.Body)))
		if err != nil {
			t.Fatal(err)
		}
		var sheet string
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, "xl/worksheets/sheet") || f.Name == "xl/sharedStrings.xml" {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				sheet += string(b)
			}
		}
		if n := len(regexp.MustCompile(`<row `).FindAllString(sheet, -1)); n != 4 || !strings.Contains(sheet, "api_token") {
			t.Fatalf("export has %d rows, want header + 3", n)
		}
		// Verify now.
		if r := aud.Get("/audit/verify"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Nhật ký toàn vẹn") {
			t.Fatalf("verify page: %d", r.Status)
		}
		storetest.MustExec(t, db, `UPDATE audit_log SET actor = 'x' WHERE seq = 2`)
		var rep struct {
			OK     bool
			Issues []nipp.AuditIssue
		}
		aud.Get("/api/v1/audit/verify").JSON(t, &rep)
		if rep.OK || len(rep.Issues) != 1 || rep.Issues[0].Seq != 2 {
			t.Fatalf("verify after tampering: %+v", rep)
		}
	})
}

var otpRE = regexp.MustCompile(`[a-zA-Z2-9]{4}-[a-zA-Z2-9]{4}-[a-zA-Z2-9]{4}-[a-zA-Z2-9]{4}`)

func TestUserAdministration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		admin := env.As(nipp.RoleAdmin)
		form := admin.Get("/admin/users/new")
		if n := strings.Count(form.Body, `<option value="`) - len(nipp.Roles()); n != 34 {
			t.Fatalf("province select has %d provinces, want 34", n)
		}
		r := admin.PostForm("/admin/users", url.Values{"email": {"officer@hn.gov.vn"}, "name": {"Nguyễn Văn A"}, "role": {"provincial"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "ít nhất một tỉnh") {
			t.Fatalf("provincial without province: %d", r.Status)
		}
		r = admin.PostForm("/admin/users", url.Values{"email": {"officer@hn.gov.vn"}, "name": {"Nguyễn Văn A"}, "role": {"provincial"}, "province": {"01", "79"}})
		otp := otpRE.FindString(r.Body)
		if r.Status != http.StatusCreated || otp == "" {
			t.Fatalf("create: %d", r.Status)
		}
		_, err := env.App.User(nipp.WithPrincipal(t.Context(), admin.User.Principal()), 0)
		if nipp.ErrorCode(err) != nipp.ENOTFOUND {
			t.Fatalf("user 0: %v", err)
		}
		list := admin.Get("/admin/users?q=officer")
		m := regexp.MustCompile(`/admin/users/(\d+)">officer@hn.gov.vn`).FindStringSubmatch(list.Body)
		if m == nil || !strings.Contains(list.Body, "01, 79") {
			t.Fatal("new user not listed with its provinces")
		}
		path := "/admin/users/" + m[1]
		// The officer signs in with the one-time password, must change it.
		officer := env.Anonymous()
		officer.Login("officer@hn.gov.vn", otp)
		if r := officer.Get("/"); r.Header.Get("Location") != "/account/password" {
			t.Fatal("one-time password not forced to change")
		}
		// Deactivate with the version of the page; a stale version is refused.
		detail := admin.Get(path)
		ver := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(detail.Body)[1]
		if r := admin.PostForm(path+"/active", url.Values{"version": {ver}, "active": {"0"}, "confirm": {"1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("deactivate: %d %s", r.Status, r.Body)
		}
		if r := admin.PostForm(path+"/active", url.Values{"version": {ver}, "active": {"1"}}); r.Status != http.StatusConflict {
			t.Fatalf("stale version: %d", r.Status)
		}
		if r := officer.Get("/account/password"); r.Status != http.StatusSeeOther {
			t.Fatalf("deactivated user still signed in: %d", r.Status)
		}
		if r := env.Anonymous().PostForm("/login", url.Values{"email": {"officer@hn.gov.vn"}, "password": {otp}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("deactivated user signs in: %d", r.Status)
		}
		detail = admin.Get(path)
		ver = regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(detail.Body)[1]
		if r := admin.PostForm(path+"/active", url.Values{"version": {ver}, "active": {"1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("reactivate: %d", r.Status)
		}
		// Reset: a new one-time password, shown once.
		detail = admin.Get(path)
		ver = regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(detail.Body)[1]
		r = admin.PostForm(path+"/reset-password", url.Values{"version": {ver}})
		otp2 := otpRE.FindString(r.Body)
		if r.Status != http.StatusOK || otp2 == "" || otp2 == otp {
			t.Fatalf("reset: %d", r.Status)
		}
		env.Anonymous().Login("officer@hn.gov.vn", otp2)
		// Audited: create, deactivate, reactivate, reset.
		var page struct{ Items []nipp.AuditEntry }
		aud := env.As(nipp.RoleAuditor)
		aud.Get("/api/v1/audit?entity=user&entity_id="+m[1]).JSON(t, &page)
		var actions []string
		for _, e := range page.Items {
			if e.Action != nipp.ActionLogin {
				actions = append(actions, e.Action)
			}
			if strings.Contains(e.Before+e.After, "argon2") {
				t.Fatal("a password hash in the audit trail")
			}
		}
		if strings.Join(actions, ",") != "update,update,update,create" {
			t.Fatalf("audit actions %v", actions)
		}
		// An administrator cannot disable their own account.
		me := admin.Get("/admin/users/" + itoa(admin.User.ID))
		ver = regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(me.Body)[1]
		if r := admin.PostForm("/admin/users/"+itoa(admin.User.ID)+"/active", url.Values{"version": {ver}, "active": {"0"}, "confirm": {"1"}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("self-deactivation: %d", r.Status)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.Anonymous()
		for _, path := range []string{"/login", "/api/v1/programs"} {
			r := c.Get(path)
			csp := r.Header.Get("Content-Security-Policy")
			if r.Status != http.StatusOK || csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") ||
				!strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s: status %d, CSP %q", path, r.Status, csp)
			}
			for h, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"} {
				if got := r.Header.Get(h); got != want {
					t.Errorf("%s: %s = %q, want %q", path, h, got, want)
				}
			}
		}
		// No inline script or style on the pages this issue adds.
		admin := env.As(nipp.RoleAdmin)
		for _, path := range []string{"/login", "/account", "/account/password", "/account/tokens", "/audit", "/admin/users", "/admin/users/new"} {
			body := admin.Get(path).Body
			if regexp.MustCompile(`(?i)<script>|<script [^>]*>[^<]|<style|\son[a-z]+=|style="`).MatchString(body) {
				t.Errorf("%s has inline script, style or event handler", path)
			}
		}
	})
}
