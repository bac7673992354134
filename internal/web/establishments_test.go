package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

var idRe = regexp.MustCompile(`/establishments/(cs-[a-z2-7]{10})`)

// create posts the form and returns the new public id.
func create(t *testing.T, c *webtest.Client, f url.Values) string {
	t.Helper()
	r := c.PostForm("/establishments", f)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create %v: status %d: %s", f, r.Status, r.Body)
	}
	m := idRe.FindStringSubmatch(r.Header.Get("Location"))
	if m == nil {
		t.Fatalf("no id in %q", r.Header.Get("Location"))
	}
	return m[1]
}

func form(kv ...string) url.Values {
	v := url.Values{"legal_form": {"cooperative"}, "status": {"active"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestEstablishmentSearchAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		hn := env.As(nipp.RoleProvincial, "01")
		other := env.As(nipp.RoleProvincial, "08")
		id := create(t, hn, form("name", "Làng nghề gốm Bát Tràng", "province", "01", "commune", "Xã Bát Tràng", "tax_code", "0101234567"))
		create(t, hn, form("name", "Hợp tác xã mây tre Phú Vinh", "province", "Hà Nội", "commune", "Phường Ba Đình"))
		create(t, hn, form("name", "Công ty gốm sứ Minh Long", "legal_form", "enterprise", "province", "01", "commune", "Phường Ba Đình"))

		// Diacritic-, case- and NFD-insensitive search, combined with filters.
		nfd := norm.NFD.String("LÀNG NGHỀ gốm")
		for _, q := range []string{"lang nghe gom", nfd, "bat trang"} {
			r := hn.Get("/establishments?q=" + url.QueryEscape(q))
			if r.Status != 200 || !strings.Contains(r.Body, "Làng nghề gốm Bát Tràng") || strings.Contains(r.Body, "Minh Long") {
				t.Errorf("search %q: status %d, body lacks the match or has a non-match", q, r.Status)
			}
		}
		var list struct {
			Items []nipp.Establishment `json:"items"`
			Next  string               `json:"next"`
		}
		hn.Get("/api/v1/establishments?q=gom&legal_form=enterprise").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Name != "Công ty gốm sứ Minh Long" {
			t.Errorf("search+filter: %+v", list.Items)
		}
		// Keyset pagination: pages of 1 cover all three once, in order.
		var names []string
		after := ""
		for range 5 {
			var page struct {
				Items []nipp.Establishment `json:"items"`
				Next  string               `json:"next"`
			}
			hn.Get("/api/v1/establishments?limit=1&after="+after).JSON(t, &page)
			for _, e := range page.Items {
				names = append(names, e.Name)
			}
			if page.Next == "" {
				break
			}
			after = page.Next
		}
		if len(names) != 3 || names[0] != "Công ty gốm sứ Minh Long" {
			t.Errorf("pages: %v", names)
		}

		// Another province's officer cannot see or change an unpublished record.
		for _, path := range []string{"/establishments/" + id, "/establishments/" + id + "/edit", "/api/v1/establishments/" + id} {
			if r := other.Get(path); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Bát Tràng") {
				t.Errorf("other province GET %s: status %d", path, r.Status)
			}
		}
		if r := other.PostForm("/establishments/"+id, form("name", "Hijack", "province", "08", "commune", "Xã Phú Linh", "version", "1")); r.Status != http.StatusNotFound {
			t.Errorf("other province update: status %d", r.Status)
		}
		if r := other.SendJSON("POST", "/api/v1/establishments/"+id+"/archive", map[string]int{"version": 1}); r.Status != http.StatusNotFound {
			t.Errorf("other province archive: status %d", r.Status)
		}
		if r := other.Get("/establishments?q=bat+trang"); strings.Contains(r.Body, "Bát Tràng") {
			t.Error("other province's list shows an unpublished record")
		}
		if r := other.PostForm("/establishments", form("name", "X", "province", "01", "commune", "Phường Ba Đình")); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("creating in another province: status %d", r.Status)
		}

		// Duplicate tax code: named for the same province, not for another.
		r := hn.PostForm("/establishments", form("name", "Khác", "province", "01", "commune", "Phường Ba Đình", "tax_code", "0101234567"))
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "Làng nghề gốm Bát Tràng") || !strings.Contains(r.Body, id) {
			t.Errorf("duplicate tax code: status %d, body lacks the existing record's name and id", r.Status)
		}
		r = other.PostForm("/establishments", form("name", "Khác", "province", "08", "commune", "Xã Phú Linh", "tax_code", "0101234567"))
		if r.Status != http.StatusConflict || strings.Contains(r.Body, "Bát Tràng") || strings.Contains(r.Body, id) {
			t.Errorf("duplicate tax code across provinces: status %d, leaks=%v", r.Status, strings.Contains(r.Body, "Bát Tràng"))
		}

		// Stale update refused, the first change kept.
		if r := hn.PostForm("/establishments/"+id, form("name", "Gốm Bát Tràng 1", "province", "01", "commune", "Xã Bát Tràng", "version", "1")); r.Status != http.StatusSeeOther {
			t.Fatalf("update: %d %s", r.Status, r.Body)
		}
		if r := hn.PostForm("/establishments/"+id, form("name", "Gốm Bát Tràng 2", "province", "01", "commune", "Xã Bát Tràng", "version", "1")); r.Status != http.StatusConflict {
			t.Errorf("stale update: status %d", r.Status)
		}
		if r := hn.Get("/establishments/" + id); !strings.Contains(r.Body, "Gốm Bát Tràng 1") {
			t.Error("the first change was lost")
		}
	})
}

func TestEstablishmentDuplicatesAndMerge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		hn := env.As(nipp.RoleProvincial, "01")
		a := create(t, hn, form("name", "HTX Gốm Bát Tràng", "province", "01", "commune", "Phường Ba Đình", "tax_code", "0101234567"))
		b := create(t, hn, form("name", "Hợp tác xã gốm bát tràng", "province", "01", "commune", "Phường Ba Đình"))
		r := hn.Get("/establishments/duplicates")
		if !strings.Contains(r.Body, b) {
			t.Fatalf("the likely duplicate %s is not in the review list", b)
		}
		// A project pointing at b moves to a when b merges into a.
		ctx := context.Background()
		var eb int64
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			e, err := tx.FindEstablishmentByPublicID(ctx, b)
			if err != nil {
				return err
			}
			eb = e.ID
			return insertProject(ctx, tx, eb)
		})
		if err != nil {
			t.Fatal(err)
		}
		if r := hn.PostForm("/establishments/"+b+"/merge", url.Values{"into": {a}}); r.Status != http.StatusSeeOther {
			t.Fatalf("merge: %d %s", r.Status, r.Body)
		}
		var moved, audits int
		db.ReadTx(ctx, func(tx *store.Tx) error {
			tx.QueryRow(ctx, `SELECT COUNT(*) FROM project_beneficiaries pb JOIN establishments e ON e.id = pb.establishment_id WHERE e.public_id = $1`, a).Scan(&moved)
			return tx.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'merge' AND entity = 'establishment' AND entity_id = $1 AND after_json LIKE $2`, a, "%"+b+"%").Scan(&audits)
		})
		if moved != 1 || audits != 1 {
			t.Errorf("after merge: %d references on the survivor, %d merge audit entries", moved, audits)
		}
		var got nipp.Establishment
		hn.Get("/api/v1/establishments/"+b).JSON(t, &got)
		if got.Status != nipp.EstArchived || got.MergedInto != a {
			t.Errorf("merged record: status %s, merged into %q", got.Status, got.MergedInto)
		}
	})
}

func insertProject(ctx context.Context, tx *store.Tx, estID int64) error {
	var prog, org, prov int64
	var act string
	tx.QueryRow(ctx, `SELECT id FROM programs ORDER BY id LIMIT 1`).Scan(&prog)
	tx.QueryRow(ctx, `SELECT id FROM organizations ORDER BY id LIMIT 1`).Scan(&org)
	tx.QueryRow(ctx, `SELECT code FROM activity_types WHERE group_code <> '' ORDER BY code LIMIT 1`).Scan(&act)
	tx.QueryRow(ctx, `SELECT id FROM admin_units WHERE level = 'province' AND code = '01' AND generation = 2025`).Scan(&prov)
	pid, err := tx.InsertID(ctx, `INSERT INTO projects (public_id, code, program_id, year, title, activity_type_code, implementing_org_id, province_id, orig_province_id, created_at, updated_at)
		VALUES ('da-test', 'T-1', $1, 2025, 'Test', $2, $3, $4, $4, $5, $5)`, prog, act, org, prov, tx.Now())
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO project_beneficiaries (project_id, establishment_id) VALUES ($1, $2)`, pid, estID)
	return err
}

// upload posts a file to the import page and returns the job page path.
func upload(t *testing.T, c *webtest.Client, name, content string) string {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", c.CSRF())
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest("POST", c.URL("/imports/establishments"), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	r := c.Do(req)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	return r.Header.Get("Location")
}

// A merge moves every reference to the merged record, found from the schema
// itself. The expected list is written here by hand: when a new table
// references establishments, this test fails until a fixture row for it is
// added below (and the merge is seen to move it).
func TestMergeMovesEveryReference(t *testing.T) {
	want := []string{
		"duplicate_confirmations.establishment_id",
		"establishments.merged_into_id",
		"project_beneficiaries.establishment_id",
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		hn := env.As(nipp.RoleProvincial, "01")
		a := create(t, hn, form("name", "HTX Gốm Bát Tràng", "province", "01", "commune", "Phường Ba Đình", "tax_code", "0101234567"))
		b := create(t, hn, form("name", "Hợp tác xã gốm bát tràng", "province", "01", "commune", "Phường Ba Đình"))
		c := create(t, hn, form("name", "Gốm Bát Tràng cũ", "province", "01", "commune", "Phường Ba Đình"))
		ctx := context.Background()
		ids := map[string]int64{}
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			refs, err := tx.ReferencesTo(ctx, "establishments")
			if err != nil {
				return err
			}
			var got []string
			for _, r := range refs {
				got = append(got, r.Table+"."+r.Column)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("foreign keys to establishments are %v; this test knows %v: add a fixture for the new one", got, want)
			}
			for _, pid := range []string{a, b, c} {
				e, err := tx.FindEstablishmentByPublicID(ctx, pid)
				if err != nil {
					return err
				}
				ids[pid] = e.ID
			}
			// b benefits from two projects; a already benefits from the second.
			p1, err := insertBareProject(ctx, tx, "da-m1")
			if err != nil {
				return err
			}
			p2, err := insertBareProject(ctx, tx, "da-m2")
			if err != nil {
				return err
			}
			for _, pb := range [][2]int64{{p1, ids[b]}, {p2, ids[b]}, {p2, ids[a]}} {
				if _, err := tx.Exec(ctx, `INSERT INTO project_beneficiaries (project_id, establishment_id) VALUES ($1, $2)`, pb[0], pb[1]); err != nil {
					return err
				}
			}
			// Their groups, rows keyed by the beneficiary (not a foreign key to
			// establishments of their own: they follow their beneficiary).
			for _, g := range []struct {
				project, est int64
				group        string
			}{{p1, ids[b], "women_owned"}, {p2, ids[b], "artisan"}, {p2, ids[a], "craft_village"}} {
				if err := tx.SetBeneficiaryGroups(ctx, g.project, g.est, []string{g.group}, nil); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO duplicate_confirmations (project_id, establishment_id, other_project_id, reason, at) VALUES ($1, $2, $3, 'x', $4)`, p1, ids[b], p2, tx.Now()); err != nil {
				return err
			}
			// c was merged into b earlier.
			_, err = tx.Exec(ctx, `UPDATE establishments SET merged_into_id = $1, status = 'archived' WHERE id = $2`, ids[b], ids[c])
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if r := hn.PostForm("/establishments/"+b+"/merge", url.Values{"into": {a}}); r.Status != http.StatusSeeOther {
			t.Fatalf("merge: %d %s", r.Status, r.Body)
		}
		// Hand-worked: a keeps its own p2 link and takes p1 (b's p2 link is
		// dropped as a duplicate), takes the confirmation, and b and c both
		// point at a.
		wantOnA := map[string]int{"duplicate_confirmations.establishment_id": 1, "establishments.merged_into_id": 2, "project_beneficiaries.establishment_id": 2}
		err = db.ReadTx(ctx, func(tx *store.Tx) error {
			for _, ref := range want {
				table, col, _ := strings.Cut(ref, ".")
				var onB, onA int
				tx.QueryRow(ctx, "SELECT COUNT(*) FROM "+table+" WHERE "+col+" = $1", ids[b]).Scan(&onB)
				tx.QueryRow(ctx, "SELECT COUNT(*) FROM "+table+" WHERE "+col+" = $1", ids[a]).Scan(&onA)
				if onB != 0 || onA != wantOnA[ref] {
					t.Errorf("%s after merge: %d rows still on the merged record, %d on the survivor (want 0, %d)", ref, onB, onA, wantOnA[ref])
				}
			}
			// The groups went with their beneficiaries: p1's women_owned
			// moved to a, b's duplicate p2 link took its artisan row along,
			// a's own craft_village stayed.
			var groups []string
			rows, err := tx.Query(ctx, `SELECT p.public_id, g.group_code FROM project_beneficiary_groups g JOIN projects p ON p.id = g.project_id
				WHERE g.establishment_id IN ($1, $2) ORDER BY p.public_id, g.group_code`, ids[a], ids[b])
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var p, g string
				if err := rows.Scan(&p, &g); err != nil {
					return err
				}
				groups = append(groups, p+":"+g)
			}
			if want := []string{"da-m1:women_owned", "da-m2:craft_village"}; !slices.Equal(groups, want) {
				t.Errorf("beneficiary groups of a and b after merge: %v, want %v (all on a)", groups, want)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func insertBareProject(ctx context.Context, tx *store.Tx, publicID string) (int64, error) {
	var prog, org, prov int64
	var act string
	tx.QueryRow(ctx, `SELECT id FROM programs ORDER BY id LIMIT 1`).Scan(&prog)
	tx.QueryRow(ctx, `SELECT id FROM organizations ORDER BY id LIMIT 1`).Scan(&org)
	tx.QueryRow(ctx, `SELECT code FROM activity_types WHERE group_code <> '' ORDER BY code LIMIT 1`).Scan(&act)
	tx.QueryRow(ctx, `SELECT id FROM admin_units WHERE level = 'province' AND code = '01' AND generation = 2025`).Scan(&prov)
	return tx.InsertID(ctx, `INSERT INTO projects (public_id, code, program_id, year, title, activity_type_code, implementing_org_id, province_id, orig_province_id, created_at, updated_at)
		VALUES ($1, $1, $2, 2025, 'Test', $3, $4, $5, $5, $6, $6)`, publicID, prog, act, org, prov, tx.Now())
}
