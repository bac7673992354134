package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// postFile posts a multipart form with one file field, as a browser does.
func postFile(t *testing.T, env *webtest.Env, c *webtest.Client, path, field, name string, data []byte, fields url.Values) *webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", c.CSRF())
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", env.HTTP.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

// sendRaw sends a raw body to the JSON API with the CSRF header.
func sendRaw(env *webtest.Env, c *webtest.Client, path string, body []byte) *webtest.Response {
	req, _ := http.NewRequest("POST", env.HTTP.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	req.Header.Set("X-CSRF-Token", c.CSRF())
	return c.Do(req)
}

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.ReadTx(context.Background(), func(tx *store.Tx) error { return tx.QueryRow(context.Background(), q, args...).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

const wardSet = `[rule_set]
code = TEST-WARDS
name_vi = Bộ thử có phường
legal_basis = Quyết định thử
valid_from = 2040-01-01

[eligibility]
kind,value
unit_type,commune
unit_type,ward
unit_type,special_zone
priority_group,women_owned
`

func TestRuleSetPagesAndUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		anon := env.Anonymous()

		r := anon.Get("/rule-sets")
		if r.Status != 200 || !strings.Contains(r.Body, "ND45-2012") || !strings.Contains(r.Body, "ND235-2025") {
			t.Fatalf("list: %d %s", r.Status, r.Body)
		}
		r = anon.Get("/rule-sets/ND45-2012?lang=en")
		if r.Status != 200 || !strings.Contains(r.Body, "Decree 45/2012") || !strings.Contains(r.Body, "VND 300,000,000") || !strings.Contains(r.Body, "Prime Minister") {
			t.Fatalf("detail: %d %s", r.Status, r.Body)
		}
		if r := anon.Get("/rule-sets/NOPE"); r.Status != 404 {
			t.Fatalf("unknown code: %d", r.Status)
		}
		var api struct {
			Items []struct{ Code string } `json:"items"`
		}
		anon.Get("/api/v1/rule-sets").JSON(t, &api)
		if len(api.Items) != 2 {
			t.Fatalf("api list: %+v", api)
		}
		// Each rule set counts the projects pinned to it, and the count
		// follows a project pinned after the list was seen (it is kept per
		// change stamp).
		pinned := func() map[string]int {
			var list struct {
				Items []struct {
					Code     string
					Projects int
				} `json:"items"`
			}
			anon.Get("/api/v1/rule-sets").JSON(t, &list)
			out := map[string]int{}
			for _, it := range list.Items {
				out[it.Code] = it.Projects
			}
			return out
		}
		was := pinned()
		projectIn(t, db, webtest.OwnProvince, nipp.StateDraft, true)
		projectIn(t, db, webtest.OtherProvince, nipp.StateApproved, true)
		if now := pinned(); now["ND235-2025"] != was["ND235-2025"]+2 || now["ND45-2012"] != was["ND45-2012"] {
			t.Errorf("projects per rule set: %v, then %v after pinning two to ND235-2025", was, now)
		}
		if r := anon.Get("/rule-sets"); !strings.Contains(withoutLabels(r.Body), fmt.Sprintf(`<td class="num">%d</td>`, was["ND235-2025"]+2)) {
			t.Errorf("the page does not show %d projects for ND235-2025", was["ND235-2025"]+2)
		}
		r = anon.Get("/rule-sets/ND235-2025/download?format=xlsx")
		if r.Status != 200 || !strings.HasPrefix(r.Body, "PK") {
			t.Fatalf("xlsx download: %d", r.Status)
		}

		// A provincial officer may not load rule sets, by form or API.
		prov := env.As(nipp.RoleProvincial, "01")
		if r := postFile(t, env, prov, "/rule-sets/preview", "file", "x.txt", []byte(wardSet), nil); r.Status != 403 {
			t.Fatalf("provincial preview: %d", r.Status)
		}
		if r := sendRaw(env, prov, "/api/v1/rule-sets", []byte(wardSet)); r.Status != 403 {
			t.Fatalf("provincial API load: %d", r.Status)
		}

		central := env.As(nipp.RoleCentral)
		before := count(t, db, `SELECT COUNT(*) FROM rule_sets`)
		bad := strings.Replace(wardSet, "unit_type,ward", "unit_type,town", 1) + "[caps]\nactivity_type,area,source,max_share_pct\nMACHINERY,ordinary,national,120\n"
		r = postFile(t, env, central, "/rule-sets/preview", "file", "bad.txt", []byte(bad), nil)
		if r.Status != 422 || !strings.Contains(r.Body, "town") || !strings.Contains(withoutLabels(r.Body), "<td class=\"num\">10</td>") || !strings.Contains(withoutLabels(r.Body), "<td class=\"num\">15</td>") {
			t.Fatalf("bad preview: %d %s", r.Status, r.Body)
		}
		// The same bad file straight to the loader: refused, nothing stored.
		r = postFile(t, env, central, "/rule-sets", "file", "bad.txt", []byte(bad), nil)
		if r.Status != 422 || count(t, db, `SELECT COUNT(*) FROM rule_sets`) != before || count(t, db, `SELECT COUNT(*) FROM rule_set_eligibility WHERE value = 'ward'`) != 0 {
			t.Fatalf("bad load: %d, rule sets %d (was %d)", r.Status, count(t, db, `SELECT COUNT(*) FROM rule_sets`), before)
		}
		var apiErr struct {
			Error struct {
				Problems []struct {
					Line   int
					Column string
				}
			}
		}
		r = sendRaw(env, central, "/api/v1/rule-sets?dry_run=1", []byte(bad))
		r.JSON(t, &apiErr)
		if r.Status != 422 || len(apiErr.Error.Problems) != 2 || apiErr.Error.Problems[0].Line != 10 || apiErr.Error.Problems[1].Column != "max_share_pct" {
			t.Fatalf("API problems: %d %s", r.Status, r.Body)
		}

		// Preview shows what will be loaded, and stores nothing; confirming loads it.
		r = postFile(t, env, central, "/rule-sets/preview", "file", "good.txt", []byte(wardSet), nil)
		if r.Status != 200 || !strings.Contains(r.Body, "TEST-WARDS") || !strings.Contains(r.Body, `name="content"`) || count(t, db, `SELECT COUNT(*) FROM rule_sets`) != before {
			t.Fatalf("preview: %d %s", r.Status, r.Body)
		}
		content := between(r.Body, `name="content" value="`, `"`)
		r = central.PostForm("/rule-sets", url.Values{"content": {content}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/rule-sets/TEST-WARDS?loaded=1" {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		}
		if count(t, db, `SELECT COUNT(*) FROM rule_set_eligibility e JOIN rule_sets r ON r.id = e.rule_set_id WHERE r.code = 'TEST-WARDS'`) != 4 {
			t.Fatal("eligibility rows not stored")
		}
		if count(t, db, `SELECT COUNT(*) FROM audit_log WHERE entity = 'rule_set' AND action = 'create' AND actor = $1`, central.User.Email) != 1 {
			t.Fatal("no audit entry for the load")
		}
		// Loading the same code again is a conflict.
		if r := central.PostForm("/rule-sets", url.Values{"content": {content}}); r.Status != 409 {
			t.Fatalf("reload: %d", r.Status)
		}
	})
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}

// insertEstablishment stores an establishment directly (the registry's own
// use cases belong to issue 4) in a 2025 commune of the given type.
func insertEstablishment(t *testing.T, db *store.DB, publicID, unitType string, women, published bool) (id int64, province string) {
	t.Helper()
	ctx := context.Background()
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		var communeID, provinceID int64
		if err := tx.QueryRow(ctx, `SELECT c.id, p.id, p.code FROM admin_units c JOIN admin_units p ON p.id = c.parent_id
			WHERE c.generation = 2025 AND c.level = 'commune' AND c.unit_type = $1 AND p.code = '01' ORDER BY c.code LIMIT 1`, unitType).Scan(&communeID, &provinceID, &province); err != nil {
			return err
		}
		var err error
		id, err = tx.InsertID(ctx, `INSERT INTO establishments (public_id, name, name_fold, legal_form, province_id, orig_province_id, commune_id, orig_commune_id,
			women_owned, published, recorded_on, created_at, updated_at) VALUES ($1, $2, $3, 'household', $4, $4, $5, $5, $6, $7, $8, $9, $9)`,
			publicID, "Cơ sở "+publicID, "co so "+publicID, provinceID, communeID, women, published, nipp.MustDate("2025-08-01"), tx.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, province
}

// A ward-located beneficiary is refused under the 2012 rules (communes
// only) with the rule named, accepted under a set covering wards; priority
// groups are reported; scope applies. Through HTTP and the app alike.
func TestEligibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		env := webtest.New(t, db)
		wardID, _ := insertEstablishment(t, db, "est-ward", "ward", true, false)
		communeID, _ := insertEstablishment(t, db, "est-commune", "commune", true, false)
		central := env.As(nipp.RoleCentral)
		if r := sendRaw(env, central, "/api/v1/rule-sets", []byte(wardSet)); r.Status != 201 {
			t.Fatalf("loading the ward set: %d %s", r.Status, r.Body)
		}
		officer := env.As(nipp.RoleProvincial, "01")

		var res nipp.EligibilityResult
		var fail struct {
			Error struct{ Code, Message string }
		}
		r := officer.Get("/api/v1/rule-sets/ND45-2012/eligibility?establishment=est-ward")
		r.JSON(t, &fail)
		if r.Status != 422 || !strings.Contains(fail.Error.Message, "ND45-2012") || !strings.Contains(fail.Error.Message, "Phường") || !strings.Contains(fail.Error.Message, "nằm ngoài địa bàn được hỗ trợ") {
			t.Fatalf("ward under 2012 rules: %d %s", r.Status, r.Body)
		}
		r = officer.Get("/api/v1/rule-sets/TEST-WARDS/eligibility?establishment=est-ward")
		r.JSON(t, &res)
		if r.Status != 200 || !res.Eligible || res.CommuneType != "ward" || !res.Priority || len(res.PriorityGroups) != 1 || res.PriorityGroups[0] != "women_owned" {
			t.Fatalf("ward under a set covering wards: %d %s", r.Status, r.Body)
		}
		// The 2012 rules know no priority groups: the flag is reported, not prioritised.
		r = officer.Get("/api/v1/rule-sets/ND45-2012/eligibility?establishment=est-commune")
		res = nipp.EligibilityResult{}
		r.JSON(t, &res)
		if r.Status != 200 || !res.Eligible || res.Priority || len(res.Groups) != 1 || res.Groups[0] != "women_owned" {
			t.Fatalf("commune under 2012 rules: %d %s", r.Status, r.Body)
		}
		// Another province's officer does not see an unpublished establishment.
		other := env.As(nipp.RoleProvincial, "79")
		if r := other.Get("/api/v1/rule-sets/ND45-2012/eligibility?establishment=est-commune"); r.Status != 404 {
			t.Fatalf("other province: %d %s", r.Status, r.Body)
		}
		if r := env.Anonymous().Get("/api/v1/rule-sets/ND45-2012/eligibility?establishment=est-commune"); r.Status != 401 {
			t.Fatalf("anonymous: %d", r.Status)
		}

		// The app method the projects use case calls.
		var ids = map[string]int64{}
		db.ReadTx(ctx, func(tx *store.Tx) error {
			for _, code := range []string{"ND45-2012", "ND235-2025"} {
				rs, err := tx.FindRuleSetByCode(ctx, code)
				if err != nil {
					return err
				}
				ids[code] = rs.ID
			}
			return nil
		})
		pctx := nipp.WithPrincipal(ctx, &nipp.Principal{UserID: officer.User.ID, Email: officer.User.Email, Role: nipp.RoleProvincial, Provinces: []string{"01"}})
		_, err := env.App.CheckEligibility(pctx, ids["ND45-2012"], wardID)
		if nipp.ErrorCode(err) != nipp.EINVALID || !strings.Contains(err.Error(), "ND45-2012") {
			t.Fatalf("app, ward under 2012: %v", err)
		}
		res, err = env.App.CheckEligibility(pctx, ids["ND235-2025"], communeID)
		if err != nil || !res.Priority || res.PriorityGroups[0] != "women_owned" {
			t.Fatalf("app, commune under 2025: %+v %v", res, err)
		}
		// Artisans are a priority group of the 2025 amendment (registry flag).
		storetest.MustExec(t, db, `UPDATE establishments SET artisan = TRUE WHERE id = $1`, communeID)
		res, err = env.App.CheckEligibility(pctx, ids["ND235-2025"], communeID)
		if err != nil || strings.Join(res.PriorityGroups, ",") != "women_owned,artisan" {
			t.Fatalf("app, artisan under 2025: %+v %v", res, err)
		}
	})
}

// A project approved under the 2012 rules keeps them, unchanged, after a
// newer rule set is loaded.
func TestApprovedProjectKeepsItsRuleSet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		env := webtest.New(t, db)
		var projectID int64
		var before *nipp.RuleSet
		err := db.WriteTx(ctx, func(tx *store.Tx) (err error) {
			if before, err = tx.FindRuleSetByCode(ctx, "ND45-2012"); err != nil {
				return err
			}
			projectID, err = tx.InsertID(ctx, `INSERT INTO projects (public_id, code, program_id, year, title, activity_type_code, implementing_org_id, province_id, orig_province_id,
				state, rule_set_id, created_at, updated_at)
				SELECT 'prj-1', 'P-2024-1', (SELECT id FROM programs WHERE code = 'NIPP-2021-2025'), 2024, 'Máy móc', 'MACHINERY', o.id, o.province_id, o.province_id, 'approved', $1, $2, $2
				FROM organizations o WHERE o.code = 'TTKC-01'`, before.ID, tx.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		central := env.As(nipp.RoleCentral)
		newer := strings.Replace(wardSet, "valid_from = 2040-01-01", "valid_from = 2024-01-01", 1)
		if r := sendRaw(env, central, "/api/v1/rule-sets", []byte(newer)); r.Status != 201 {
			t.Fatalf("loading: %d %s", r.Status, r.Body)
		}
		var pinned int64
		var after *nipp.RuleSet
		db.ReadTx(ctx, func(tx *store.Tx) (err error) {
			if err = tx.QueryRow(ctx, `SELECT rule_set_id FROM projects WHERE id = $1`, projectID).Scan(&pinned); err != nil {
				return err
			}
			after, err = tx.FindRuleSetByID(ctx, pinned)
			return err
		})
		if pinned != before.ID || !reflect.DeepEqual(after, before) {
			t.Fatalf("the approved project's rules changed:\n got %d %+v\nwant %d %+v", pinned, after, before.ID, before)
		}
		var inForce *nipp.RuleSet
		db.ReadTx(ctx, func(tx *store.Tx) (err error) {
			inForce, err = tx.FindRuleSetInForce(ctx, nipp.MustDate("2024-06-01"))
			return err
		})
		if inForce.Code != "TEST-WARDS" {
			t.Fatalf("the new set is not the one in force for new projects: %s", inForce.Code)
		}
	})
}
