package web_test

import (
	"context"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// The central agency's old name shows on old decisions, the new one after;
// a merged province's center continues in its successor, with its history.
func TestOrganizationsAsDatedRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		env := webtest.New(t, db)
		for _, c := range []struct{ on, want string }{
			{"2020-11-20", "Cục Công Thương địa phương"},
			{"2025-02-28", "Cục Công Thương địa phương"},
			{"2025-03-01", "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"},
			{"2026-01-15", "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"},
		} {
			n, err := env.App.OrganizationNameOn(ctx, "CUC-KC", nipp.MustDate(c.on))
			if err != nil || n.NameVI != c.want {
				t.Errorf("CUC-KC on %s: %q %v, want %q", c.on, n.NameVI, err, c.want)
			}
		}
		// An organisation without dated names keeps its own name.
		if n, err := env.App.OrganizationNameOn(ctx, "BCT", nipp.MustDate("2010-01-01")); err != nil || n.NameVI != "Bộ Công Thương" {
			t.Errorf("BCT: %+v %v", n, err)
		}
		if _, err := env.App.OrganizationNameOn(ctx, "NOPE", nipp.MustDate("2010-01-01")); nipp.ErrorCode(err) != nipp.ENOTFOUND {
			t.Errorf("unknown organisation: %v", err)
		}

		anon := env.Anonymous()
		var api struct {
			NameOn nipp.OrgName `json:"name_on"`
		}
		anon.Get("/api/v1/organizations/CUC-KC?on=2024-05-01").JSON(t, &api)
		if api.NameOn.NameVI != "Cục Công Thương địa phương" {
			t.Fatalf("API name on 2024-05-01: %+v", api)
		}
		r := anon.Get("/organizations/CUC-KC")
		if r.Status != 200 || !strings.Contains(r.Body, "Cục Công Thương địa phương") || !strings.Contains(r.Body, "28/02/2025") {
			t.Fatalf("CUC-KC page: %d %s", r.Status, r.Body)
		}

		var old, successor string
		db.ReadTx(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT o.code, s.code FROM organizations o JOIN organizations s ON s.id = o.successor_id
				WHERE o.kind = 'promotion_center' ORDER BY o.code LIMIT 1`).Scan(&old, &successor)
		})
		if old == "" {
			t.Fatal("no merged province's center")
		}
		r = anon.Get("/organizations/" + old)
		if r.Status != 200 || !strings.Contains(r.Body, `href="/organizations/`+successor+`"`) || !strings.Contains(r.Body, "30/06/2025") {
			t.Fatalf("%s page: %s", old, r.Body)
		}
		r = anon.Get("/organizations/" + successor)
		if !strings.Contains(r.Body, `href="/organizations/`+old+`"`) {
			t.Fatalf("%s does not list its predecessor %s: %s", successor, old, r.Body)
		}
		r = anon.Get("/organizations?kind=promotion_center")
		want := count(t, db, `SELECT COUNT(*) FROM organizations WHERE kind = 'promotion_center'`)
		if n := strings.Count(withoutLabels(r.Body), "<tr>\n    <td><a href=\"/organizations/TTKC-"); n != want || want < 63 {
			t.Fatalf("promotion centers listed: %d, want %d (34 current and every absorbed province's)", n, want)
		}
		if n := strings.Count(r.Body, "đã kết thúc"); n != want-34 {
			t.Fatalf("ended centers: %d, want %d", n, want-34)
		}
		if r := anon.Get("/organizations?kind=promotion_center&format=xlsx"); r.Status != 200 || !strings.HasPrefix(r.Body, "PK") {
			t.Fatalf("xlsx export: %d", r.Status)
		}
	})
}
