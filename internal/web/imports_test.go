package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web"
	"nipp/internal/web/webtest"
)

var jobRe = regexp.MustCompile(`/imports/(\d+)`)

// runImport uploads content, confirms the guessed mapping, runs the worker,
// applies and runs the worker again; it returns the finished job.
func runImport(t *testing.T, env *webtest.Env, c *webtest.Client, name, content string, atomic bool) *nipp.ImportJob {
	t.Helper()
	job, _ := importThrough(t, env, c, name, []byte(content), importChoices{atomic: atomic})
	return job
}

func rejectedRows(t *testing.T, db *store.DB, jobID int64) map[int]string {
	out := map[int]string{}
	ctx := context.Background()
	db.ReadTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.FindImportRows(ctx, jobID, 0, 1000, false, true)
		for _, r := range rows {
			var b strings.Builder
			for _, e := range r.Errors {
				b.WriteString(e.Field + "@" + strconv.Itoa(e.Col) + ": " + web.Translate("vi", e.Message()) + "; ")
			}
			out[r.Row] = b.String()
		}
		return err
	})
	return out
}

func TestImportMessyFile(t *testing.T) {
	nfd := norm.NFD.String("Hợp tác xã mây tre đan Phú Vinh")
	file := "\ufeffUBND TỈNH ...;;;;;;;\n" +
		"DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN;;;;;;;\n" +
		";;;;;;;\n" +
		"STT;Tên cơ sở;MST;Loại hình;Tỉnh/TP;Xã/phường;Số lao động;Ngày ghi nhận\n" +
		"(1);(2);(3);(4);(5);(6);(7);(8)\n" +
		"1;  HTX   Gốm  Bát Tràng ;101234567;HTX;Hà Nội;Phường Ba Đình;1.200;15/03/2026\n" + // row 6: lost leading zero, stray spaces
		"2;" + nfd + ";;;ha noi;phuong ba dinh;25;46100\n" + // row 7: NFD, Excel serial date
		";;;;;;;\n" +
		"3;Hộ kinh doanh Nguyễn An;12345;HKD;Hà Nội;Phường Ba Đình;3;01/02/2026\n" + // row 9: bad tax code
		"4;Cơ sở B;;;Tỉnh Không Có;Xã X;3;01/02/2026\n" + // row 10: unknown province
		"5;Hợp tác xã mây tre đan Phú Vinh;;;Hà Nội;Phường Ba Đình;25;46100\n" + // row 11: duplicate of row 7
		"6;Cơ sở C;;;Hà Nội;Phường Ba Đình;1,5;01/02/2026\n" + // row 12: not a whole number
		"Tổng cộng;;;;;;1.254;\n" +
		";;;;Người lập biểu;;;\n"
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "01")
		job := runImport(t, env, c, "messy.csv", file, false)
		if job.State != nipp.ImportDone || job.Imported != 2 || job.RejectedRows != 4 || job.TotalRows != 6 {
			t.Fatalf("job: state %s, total %d, imported %d, rejected %d (%s)", job.State, job.TotalRows, job.Imported, job.RejectedRows, job.Message)
		}
		rej := rejectedRows(t, db, job.ID)
		want := map[int]string{9: "tax_code@3", 10: "province@5", 11: "dòng 7", 12: "employees@7"}
		for row, frag := range want {
			if !strings.Contains(rej[row], frag) {
				t.Errorf("row %d: reasons %q, want %q", row, rej[row], frag)
			}
		}
		var list struct{ Items []nipp.Establishment }
		c.Get("/api/v1/establishments").JSON(t, &list)
		got := map[string]nipp.Establishment{}
		for _, e := range list.Items {
			got[e.Name] = e
		}
		gom, ok := got["HTX Gốm Bát Tràng"]
		if !ok || gom.TaxCode != "0101234567" || gom.Employees == nil || *gom.Employees != 1200 || gom.LegalForm != nipp.LegalCooperative || gom.RecordedOn.String() != "2026-03-15" {
			t.Errorf("row 6 stored as %+v", gom)
		}
		may, ok := got["Hợp tác xã mây tre đan Phú Vinh"]
		if !ok || may.RecordedOn.String() != "2026-03-19" || may.LegalForm != nipp.LegalCooperative {
			t.Errorf("row 7 (NFD, serial date) stored as %+v", may)
		}
		if len(list.Items) != 2 {
			t.Errorf("%d establishments stored, want 2", len(list.Items))
		}
		// The error report downloads as .xlsx.
		r := c.Get("/imports/" + strconv.FormatInt(job.ID, 10) + "/errors.xlsx")
		if r.Status != 200 || !strings.HasPrefix(r.Body, "PK") {
			t.Errorf("errors.xlsx: %d", r.Status)
		}
		// Re-importing the same file changes nothing.
		again := runImport(t, env, c, "messy.csv", file, false)
		if again.Imported != 0 || again.Updated != 0 || again.Unchanged != 2 || again.RejectedRows != 4 {
			t.Errorf("re-import: imported %d, updated %d, unchanged %d, rejected %d", again.Imported, again.Updated, again.Unchanged, again.RejectedRows)
		}
		// Atomic: nothing imported when a row is rejected.
		atomic := runImport(t, env, c, "messy2.csv", strings.ReplaceAll(file, "Gốm", "Sứ"), true)
		if atomic.State != nipp.ImportCancelled || atomic.Imported+atomic.Updated != 0 {
			t.Errorf("atomic import: state %s, imported %d", atomic.State, atomic.Imported)
		}
	})
}

func TestImportTruncatedFile(t *testing.T) {
	// The file ends inside a quoted cell: the cut row is reported, the
	// complete one imported, nothing half-read is stored.
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "01")
		file := "Tên cơ sở,Tỉnh/TP,Xã/phường\nHTX A,Hà Nội,Phường Ba Đình\n\"HTX B,Hà Nội,Phường Ba"
		job := runImport(t, env, c, "cut.csv", file, false)
		if job.Imported != 1 || job.RejectedRows != 1 {
			t.Fatalf("imported %d, rejected %d", job.Imported, job.RejectedRows)
		}
		if r := rejectedRows(t, db, job.ID)[3]; !strings.Contains(r, "province") {
			t.Errorf("cut row: reasons %q", r)
		}
		var list struct{ Items []nipp.Establishment }
		c.Get("/api/v1/establishments").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Name != "HTX A" {
			t.Errorf("stored: %+v", list.Items)
		}
	})
}

// Issue 11: establishments addressed with pre-2025 names store the right
// new commune and keep the old; a split commune is reported, not guessed.
func TestImportOldCommunes(t *testing.T) {
	file := "Tên cơ sở,Tỉnh/TP,Xã/phường,Ngày ghi nhận\n" +
		"Công ty TNHH Mây tre Phú Linh,Hà Giang,xa kim thach,15/03/2023\n" + // old commune merged into Xã Phú Linh (Tuyên Quang)
		"HTX Chè Yên Định,Tỉnh Hà Giang,Xã Yên Định,01/02/2024\n" // split between Xã Ngọc Đường and Xã Minh Ngọc
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "08")
		job := runImport(t, env, c, "old.csv", file, false)
		if job.Imported != 1 || job.RejectedRows != 1 {
			t.Fatalf("imported %d, rejected %d", job.Imported, job.RejectedRows)
		}
		rej := rejectedRows(t, db, job.ID)
		if r := rej[3]; !strings.Contains(r, "Xã Ngọc Đường") || !strings.Contains(r, "Xã Minh Ngọc") {
			t.Errorf("split commune: reasons %q do not name both candidates", r)
		}
		var list struct{ Items []nipp.Establishment }
		c.Get("/api/v1/establishments").JSON(t, &list)
		if len(list.Items) != 1 {
			t.Fatalf("%d stored", len(list.Items))
		}
		e := list.Items[0]
		if e.Commune == nil || e.Commune.Code != "00706" || e.Province.Code != "08" ||
			e.OrigCommune == nil || e.OrigCommune.Code != "00703" || e.OrigProvince.Code != "02" || e.OrigProvince.Generation != 2008 {
			t.Errorf("stored units: commune %+v province %+v, orig %+v %+v", e.Commune, e.Province, e.OrigCommune, e.OrigProvince)
		}
	})
}

// An export imported back changes nothing.
func TestExportImportRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "08")
		create(t, c, form("name", "Mây tre Phú Linh", "legal_form", "enterprise", "province", "Hà Giang", "commune", "Xã Kim Thạch", "recorded_on", "15/03/2023", "employees", "1.250", "tax_code", "0201234567-001", "women_owned", "1"))
		create(t, c, form("name", "HTX Chè Việt Lâm", "province", "08", "commune", "Xã Việt Lâm", "founded_year", "2001", "published", "1"))
		create(t, c, form("name", "Hộ Nguyễn Thị Hoa", "legal_form", "household", "province", "Hà Giang", "commune", "Xã Yên Định", "commune_code", "00994", "recorded_on", "01/02/2024", "tax_code", "002187012345"))
		for _, format := range []string{"csv", "xlsx"} {
			r := c.Get("/establishments/export." + format)
			if r.Status != 200 {
				t.Fatalf("export %s: %d", format, r.Status)
			}
			job := runImport(t, env, c, "export."+format, r.Body, false)
			if job.State != nipp.ImportDone || job.Unchanged != 3 || job.Imported+job.Updated+job.RejectedRows != 0 {
				t.Errorf("%s round trip: state %s unchanged %d imported %d updated %d rejected %d %v", format, job.State, job.Unchanged, job.Imported, job.Updated, job.RejectedRows, rejectedRows(t, db, job.ID))
			}
		}
	})
}

// An import job belongs to the officer who uploaded it: another province's
// officer cannot open it, its error file or apply it, by guessing its id.
func TestImportJobIsPrivate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		owner := env.As(nipp.RoleProvincial, "01")
		other := env.As(nipp.RoleProvincial, "79")
		job := upload(t, owner, "ds.csv", "Tên cơ sở,Tỉnh/TP,Xã/phường\nHTX Gốm Bát Tràng,Hà Nội,Phường Ba Đình\n")
		if r := owner.Get(job); r.Status != http.StatusOK {
			t.Fatalf("owner opens the job: %d", r.Status)
		}
		for _, path := range []string{job, job + "/errors.xlsx"} {
			if r := other.Get(path); r.Status != http.StatusNotFound {
				t.Errorf("another officer GET %s: %d, want 404", path, r.Status)
			}
		}
		if r := other.PostForm(job+"/apply", nil); r.Status != http.StatusNotFound {
			t.Errorf("another officer applies the job: %d, want 404", r.Status)
		}
		if r := env.As(nipp.RoleCentral).Get(job); r.Status != http.StatusOK {
			t.Errorf("a central officer opens the job: %d", r.Status)
		}
	})
}
