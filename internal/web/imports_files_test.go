package web_test

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web"
	"nipp/internal/web/webtest"
)

// Issue 15: officers' own files. Today is 20/03/2026 in these tests.
var filesClock = storetest.Options{Now: func() time.Time { return time.Date(2026, 3, 20, 3, 0, 0, 0, time.UTC) }}

// excelSerial is the number Excel stores in a date cell.
func excelSerial(y int, m time.Month, d int) float64 {
	return float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
}

// officerWorkbook is a department's list as Excel writes it: a letterhead,
// a title, the header, dates in date-formatted cells (a custom dd/mm/yyyy
// format and Excel's built-in short date, 14), a total row and the
// signature block.
func officerWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	sh := f.GetSheetName(0)
	ddmm, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy")})
	if err != nil {
		t.Fatal(err)
	}
	short, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	set := func(cell string, v any) {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	date := func(cell string, style int, y int, m time.Month, d int) {
		set(cell, excelSerial(y, m, d))
		f.SetCellStyle(sh, cell, cell, style)
	}
	set("A1", "UBND THÀNH PHỐ HÀ NỘI")
	set("A2", "DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN NĂM 2026")
	for i, h := range []string{"STT", "Tên cơ sở", "Tỉnh/TP", "Xã/phường", "Năm thành lập", "Ngày đăng ký", "Mã số thuế"} {
		set(string(rune('A'+i))+"4", h)
	}
	// Row 5: founded and registered in date cells (dd/mm/yyyy), at a 2025
	// commune whose name was also a former commune, split in 2025.
	set("A5", 1)
	set("B5", "HTX Gốm Bát Tràng")
	set("C5", "Hà Nội")
	set("D5", "Xã Bát Tràng")
	date("E5", ddmm, 2019, 3, 15)
	date("F5", ddmm, 2019, 4, 20)
	set("G5", "0101234567")
	// Row 6: founded as dd/mm/yyyy text.
	set("A6", 2)
	set("B6", "Cơ sở Mây tre Ba Đình")
	set("C6", "Hà Nội")
	set("D6", "Phường Ba Đình")
	set("E6", "05/06/2010")
	// Row 7: a bare year, this year (the boundary).
	set("A7", 3)
	set("B7", "Cơ sở Nón lá Ba Đình")
	set("C7", "Hà Nội")
	set("D7", "Phường Ba Đình")
	set("E7", 2026)
	// Row 8: Excel's built-in short date format; registered as text.
	set("A8", 4)
	set("B8", "Cơ sở Sơn mài Ba Đình")
	set("C8", "Hà Nội")
	set("D8", "Phường Ba Đình")
	date("E8", short, 2001, 1, 1)
	set("F8", "01/02/2020")
	// Row 9: a date serial in a General cell (the format was lost).
	set("A9", 5)
	set("B9", "Cơ sở Thêu Ba Đình")
	set("C9", "Hà Nội")
	set("D9", "Phường Ba Đình")
	set("E9", 40000) // 06/07/2009
	// Row 10: next year: rejected (one above the boundary).
	set("A10", 6)
	set("B10", "Cơ sở Tương lai")
	set("C10", "Hà Nội")
	set("D10", "Phường Ba Đình")
	set("E10", 2027)
	// The end of the table: totals, a blank row, the signature block.
	set("A11", "Tổng cộng")
	set("E11", 6)
	set("B13", "Người lập biểu")
	set("E13", "KT. Giám đốc")
	set("B14", "(Ký, họ tên)")
	set("E14", "(Ký, họ tên, đóng dấu)")
	set("B17", "Nguyễn Văn An")
	set("E17", "Trần Thị Bình")
	set("E18", "Hà Nội, ngày 5 tháng 3 năm 2026")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func ptr[T any](v T) *T { return &v }

func storedByName(t *testing.T, c *webtest.Client) map[string]nipp.Establishment {
	t.Helper()
	var list struct{ Items []nipp.Establishment }
	c.Get("/api/v1/establishments?limit=100").JSON(t, &list)
	out := map[string]nipp.Establishment{}
	for _, e := range list.Items {
		out[e.Name] = e
	}
	return out
}

func notesOf(t *testing.T, db *store.DB, jobID int64) map[int]string {
	t.Helper()
	out := map[int]string{}
	ctx := context.Background()
	db.ReadTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.FindImportRowsNoted(ctx, jobID, 0, 1000)
		for _, r := range rows {
			for _, e := range r.Errors {
				out[r.Row] += web.Translate("vi", e.Message()) + "; "
			}
		}
		return err
	})
	return out
}

// Founding dates as officers' files hold them (date cells, serials,
// dd/mm/yyyy text, bare years), the end of the table, and addresses read
// as of today with a note for a name a split former commune also had.
func TestImportOfficerWorkbook(t *testing.T) {
	file := officerWorkbook(t)
	storetest.EachWith(t, filesClock, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "01")
		job, _ := importThrough(t, env, c, "danh-sach.xlsx", file, importChoices{})
		if job.State != nipp.ImportDone || job.Imported != 5 || job.RejectedRows != 1 || job.TotalRows != 6 {
			t.Fatalf("job: state %s, total %d, imported %d, rejected %d (%s) %v", job.State, job.TotalRows, job.Imported, job.RejectedRows, job.Message, rejectedRows(t, db, job.ID))
		}
		// Only the year of the future is rejected; nothing below the table is.
		rej := rejectedRows(t, db, job.ID)
		if len(rej) != 1 || !strings.Contains(rej[10], "founded_year@5") {
			t.Errorf("rejected rows: %v, want only row 10 (founded_year, column E)", rej)
		}
		if job.TableEndRow != 10 || job.TrailingRows != 5 {
			t.Errorf("table end: row %d, %d rows below; want row 10, 5 rows", job.TableEndRow, job.TrailingRows)
		}
		page := c.Get("/imports/" + strconv.FormatInt(job.ID, 10))
		if !strings.Contains(page.Body, "Bảng dữ liệu kết thúc ở dòng 10; 5 dòng bên dưới") {
			t.Errorf("the summary does not say where the table ended")
		}
		got := storedByName(t, c)
		for name, year := range map[string]int64{"HTX Gốm Bát Tràng": 2019, "Cơ sở Mây tre Ba Đình": 2010, "Cơ sở Nón lá Ba Đình": 2026,
			"Cơ sở Sơn mài Ba Đình": 2001, "Cơ sở Thêu Ba Đình": 2009} {
			e, ok := got[name]
			if !ok || e.FoundedYear == nil || *e.FoundedYear != year {
				t.Errorf("%s: stored %v founded %v, want %d", name, ok, e.FoundedYear, year)
			}
		}
		if len(got) != 5 {
			t.Errorf("%d stored, want 5", len(got))
		}
		// Today's Xã Bát Tràng, not the former one (split), with a note;
		// the registration date kept as such.
		bt := got["HTX Gốm Bát Tràng"]
		if bt.Commune == nil || bt.Commune.Name != "Xã Bát Tràng" || bt.Commune.Generation != 2025 || bt.OrigCommune == nil || bt.OrigCommune.Code != bt.Commune.Code {
			t.Errorf("Bát Tràng stored at %+v (orig %+v)", bt.Commune, bt.OrigCommune)
		}
		if bt.RegisteredOn.String() != "2019-04-20" || bt.RecordedOn.String() != "2026-03-20" {
			t.Errorf("Bát Tràng: registered %s, recorded %s; want 2019-04-20, today", bt.RegisteredOn, bt.RecordedOn)
		}
		if got["Cơ sở Sơn mài Ba Đình"].RegisteredOn.String() != "2020-02-01" {
			t.Errorf("registration date as text: %s", got["Cơ sở Sơn mài Ba Đình"].RegisteredOn)
		}
		if n := notesOf(t, db, job.ID)[5]; !strings.Contains(n, "Xã Bát Tràng") || !strings.Contains(n, "Phường Long Biên") || job.NotedRows != 1 {
			t.Errorf("row 5 note %q (noted rows %d): want the split former Xã Bát Tràng named", n, job.NotedRows)
		}
		if !strings.Contains(page.Body, `id="notes"`) || !strings.Contains(page.Body, "Phường Long Biên") {
			t.Errorf("the job page does not list the note")
		}
		// The establishment page shows the registration date.
		if v := c.Get("/establishments/" + bt.PublicID); !strings.Contains(v.Body, `<dd id="registered-on">20/04/2019</dd>`) {
			t.Errorf("establishment page does not show the registration date")
		}
		// The edit form shows it; changed there, it is kept; emptied, cleared.
		ef := c.Open("/establishments/" + bt.PublicID + "/edit").Form("/establishments/" + bt.PublicID)
		if ef.Get("registered_on") != "2019-04-20" { // a date picker's yyyy-mm-dd
			t.Errorf("edit form registration date %q", ef.Get("registered_on"))
		}
		if p := ef.Set("registered_on", "21/04/2019").Submit(); p.Status != 200 || !strings.Contains(p.Body, `<dd id="registered-on">21/04/2019</dd>`) {
			t.Fatalf("edit: %d %s", p.Status, p.Text())
		}
		ef = c.Open("/establishments/" + bt.PublicID + "/edit").Form("/establishments/" + bt.PublicID)
		if p := ef.Set("registered_on", "20/04/2019").Submit(); p.Status != 200 {
			t.Fatalf("edit: %d %s", p.Status, p.Text())
		}
		// The errors file holds the rejected row only, with its reason.
		r := c.Get("/imports/" + strconv.FormatInt(job.ID, 10) + "/errors.xlsx")
		x, err := excelize.OpenReader(strings.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetName(0))
		if len(rows) != 2 || rows[1][0] != "10" || !strings.Contains(rows[1][1], "Cột E") {
			t.Errorf("errors file: %q", rows)
		}
		// Exported and imported back: unchanged, registration dates included.
		exp := c.Get("/establishments/export.xlsx")
		back, _ := importThrough(t, env, c, "export.xlsx", []byte(exp.Body), importChoices{})
		if back.State != nipp.ImportDone || back.Unchanged != 5 || back.Imported+back.Updated+back.RejectedRows != 0 {
			t.Errorf("round trip: %s unchanged %d imported %d updated %d rejected %d %v", back.State, back.Unchanged, back.Imported, back.Updated, back.RejectedRows, rejectedRows(t, db, back.ID))
		}
	})
}

// A total row inside the table (a subtotal) followed by full data rows does
// not end it.
func TestImportSubtotalDoesNotEndTable(t *testing.T) {
	file := "STT,Tên cơ sở,Tỉnh/TP,Xã/phường,Số lao động\n" +
		"1,HTX A,Hà Nội,Phường Ba Đình,5\n" +
		"Cộng,,,,5\n" +
		"2,HTX B,Hà Nội,Phường Ba Đình,7\n" +
		"Tổng cộng,,,,12\n" +
		",Người lập biểu,,,Thủ trưởng đơn vị\n"
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "01")
		job, _ := importThrough(t, env, c, "ds.csv", []byte(file), importChoices{})
		if job.Imported != 2 || job.RejectedRows != 0 || job.TableEndRow != 4 || job.TrailingRows != 2 {
			t.Errorf("imported %d, rejected %d, table end %d (%d below)", job.Imported, job.RejectedRows, job.TableEndRow, job.TrailingRows)
		}
	})
}

// The addresses-as-of date chosen on the upload form: before 1 July 2025
// the same name is the former Xã Bát Tràng, which was split: rejected.
func TestImportAddressesAsOfChosen(t *testing.T) {
	file := "Tên cơ sở,Tỉnh/TP,Xã/phường,Ngày đăng ký\nHTX Gốm Bát Tràng,Hà Nội,Xã Bát Tràng,15/03/2019\nHTX Gốm Kim Lan,Hà Nội,Phường Ba Đình,15/03/2019\n"
	storetest.EachWith(t, filesClock, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "01")
		// The upload form offers today's date.
		if d := c.Open("/imports/establishments").Form("/imports/establishments").Get("addresses_as_of"); d != "2026-03-20" {
			t.Errorf("upload form date: %q, want today", d)
		}
		job, mapping := importThrough(t, env, c, "cu.csv", []byte(file), importChoices{asOf: "30/06/2025"})
		if job.AddressesAsOf.String() != "2025-06-30" || job.Imported != 1 || job.RejectedRows != 1 {
			t.Fatalf("as of %s: imported %d, rejected %d", job.AddressesAsOf, job.Imported, job.RejectedRows)
		}
		if r := rejectedRows(t, db, job.ID)[2]; !strings.Contains(r, "Phường Long Biên") {
			t.Errorf("row 2 under the former units: %q", r)
		}
		// The mapping form carried the chosen date.
		if f := findForm(t, mapping, jobRe.FindString(mapping)+"/mapping"); f.Values.Get("addresses_as_of") != "2025-06-30" {
			t.Errorf("mapping form date %q", f.Values.Get("addresses_as_of"))
		}
		// Changed on the mapping form, the date applies to the new check.
		again := uploadForm(t, c, "cu.csv", []byte(file), importChoices{asOf: "30/06/2025"})
		c.Open(again).Form(again+"/mapping").Set("addresses_as_of", "01/07/2025").Submit()
		env.App.RunImportJobs(context.Background())
		id, _ := strconv.ParseInt(jobRe.FindStringSubmatch(again)[1], 10, 64)
		if j := findJob(t, env, id); j.AddressesAsOf.String() != "2025-07-01" || j.RejectedRows != 0 || j.NotedRows != 1 {
			t.Errorf("as of 01/07/2025 from the mapping form: %s, rejected %d, noted %d", j.AddressesAsOf, j.RejectedRows, j.NotedRows)
		}
	})
}

// The mapping form labels every dropdown with its file column and offers
// the fields by name in the page's language; the preview has a cell under
// every column, also for rows whose last cells are empty.
func TestImportMappingForm(t *testing.T) {
	file := "Tên cơ sở,Tỉnh/TP,Xã/phường,Ghi chú,Điện thoại\nHTX A,Hà Nội,Phường Ba Đình,,\nHTX B,Hà Nội,Phường Ba Đình,x,0912345678\n"
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "01")
		loc := uploadForm(t, c, "ds.csv", []byte(file), importChoices{})
		page := c.Get(loc)
		f := findForm(t, page.Body, loc+"/mapping")
		for i, title := range []string{"A: Tên cơ sở", "B: Tỉnh/TP", "C: Xã/phường", "D: Ghi chú", "E: Điện thoại"} {
			if got := f.Labels["col"+strconv.Itoa(i)]; got != title {
				t.Errorf("dropdown %d labelled %q, want %q", i, got, title)
			}
		}
		texts := map[string]string{}
		for _, o := range f.Options["col0"] {
			texts[o[0]] = o[1]
		}
		if texts["name"] != "Tên cơ sở" || texts["legal_form"] != "Loại hình" || texts["registered_on"] != "Ngày đăng ký kinh doanh" {
			t.Errorf("options in Vietnamese: %v", texts)
		}
		if f.Values.Get("col3") != "" || f.Values.Get("col4") != "phone" {
			t.Errorf("guessed mapping: %v", f.Values)
		}
		en := c.Get(loc + "?lang=en")
		fe := findForm(t, en.Body, loc+"/mapping")
		for _, o := range fe.Options["col0"] {
			if o[0] == "legal_form" && o[1] != "Legal form" {
				t.Errorf("English option for legal_form: %q", o[1])
			}
		}
		// Preview: every row has one cell per column, then the result.
		tbody := regexp.MustCompile(`(?s)<h2>[^<]*</h2>\s*<table class="data">.*?<tbody>(.*?)</tbody>`).FindAllStringSubmatch(page.Body, -1)
		if len(tbody) == 0 {
			t.Fatal("no preview table")
		}
		rows := regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(tbody[len(tbody)-1][1], -1)
		if len(rows) != 2 {
			t.Fatalf("preview rows: %d", len(rows))
		}
		for _, r := range rows {
			cells := regexp.MustCompile(`(?s)<td>(.*?)</td>`).FindAllStringSubmatch(withoutLabels(r[1]), -1)
			if len(cells) != 7 || cells[6][1] != "Hợp lệ" {
				t.Errorf("preview row has %d cells, result %q: %s", len(cells), cells[len(cells)-1][1], r[1])
			}
		}
	})
}

// A row that passed the check is written as checked: the units resolved
// then are stored, not resolved again (here in the units of its 2019
// recording date, where today's name is a split former commune's).
// A row that cannot be written is rejected alone, with its reason.
func TestImportWritesRowsAsChecked(t *testing.T) {
	for _, atomic := range []bool{false, true} {
		t.Run("atomic="+strconv.FormatBool(atomic), func(t *testing.T) { testImportWritesRowsAsChecked(t, atomic) })
	}
}

func testImportWritesRowsAsChecked(t *testing.T, atomic bool) {
	storetest.EachWith(t, filesClock, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "01")
		other := env.As(nipp.RoleProvincial, "01")
		create(t, c, form("name", "Cơ sở Gốm Kim Lan", "province", "Hà Nội", "commune", "Phường Ba Đình"))
		kim := storedByName(t, c)["Cơ sở Gốm Kim Lan"]
		file := "Mã cơ sở,Tên cơ sở,Tỉnh/TP,Xã/phường,Ngày ghi nhận,Mã số thuế\n" +
			"," + "HTX Gốm Bát Tràng,Hà Nội,Xã Bát Tràng,15/03/2019,\n" +
			kim.PublicID + ",Cơ sở Gốm Kim Lan,Hà Nội,Phường Ba Đình,,0101234567\n" +
			",Cơ sở Mây tre Ba Đình,Hà Nội,Phường Ba Đình,,\n"
		loc := uploadForm(t, c, "ds.csv", []byte(file), importChoices{atomic: atomic})
		submitMapping(t, c, loc, nil)
		ctx := context.Background()
		env.App.RunImportJobs(ctx)
		checked := c.Get(loc)
		if !strings.Contains(checked.Body, "3 dòng: 3 hợp lệ, 0 lỗi.") {
			t.Fatalf("check report: %s", checked.Body)
		}
		// Meanwhile another officer registers the tax code on another record.
		create(t, other, form("name", "HTX Sứ Hà Nội", "province", "Hà Nội", "commune", "Phường Ba Đình", "tax_code", "0101234567"))
		if p := c.Open(loc).Form(loc + "/apply").Submit(); p.Status != 200 {
			t.Fatalf("apply: %d", p.Status)
		}
		env.App.RunImportJobs(ctx)
		id, _ := strconv.ParseInt(jobRe.FindStringSubmatch(loc)[1], 10, 64)
		job := findJob(t, env, id)
		if atomic {
			// All or nothing: nothing imported, the row rejected with its reason.
			if job.State != nipp.ImportCancelled || job.Imported != 0 || job.RejectedRows != 1 || !strings.Contains(web.Translate("vi", nipp.DecodeMsg(job.Message)), "dòng 3") {
				t.Fatalf("atomic job: %s imported %d rejected %d (%s)", job.State, job.Imported, job.RejectedRows, job.Message)
			}
			if r := rejectedRows(t, db, job.ID)[3]; !strings.Contains(r, "HTX Sứ Hà Nội") {
				t.Errorf("row 3 rejected with %q", r)
			}
			if got := storedByName(t, c); len(got) != 2 {
				t.Errorf("atomic job stored rows: %v", got)
			}
			return
		}
		if job.State != nipp.ImportDone || job.Imported != 2 || job.RejectedRows != 1 {
			t.Fatalf("job: %s imported %d rejected %d (%s)", job.State, job.Imported, job.RejectedRows, job.Message)
		}
		if r := rejectedRows(t, db, job.ID)[3]; !strings.Contains(r, "tax_code@6") || !strings.Contains(r, "HTX Sứ Hà Nội") {
			t.Errorf("row 3 rejected with %q", r)
		}
		got := storedByName(t, c)
		if bt := got["HTX Gốm Bát Tràng"]; bt.Commune == nil || bt.Commune.Name != "Xã Bát Tràng" || bt.RecordedOn.String() != "2019-03-15" ||
			bt.OrigCommune == nil || *bt.OrigCommune != *bt.Commune || bt.OrigProvince != bt.Province {
			t.Errorf("Bát Tràng stored as %+v (orig %+v %+v), want today's units as checked", bt.Commune, bt.OrigCommune, bt.OrigProvince)
		}
		if _, ok := got["Cơ sở Mây tre Ba Đình"]; !ok {
			t.Errorf("the row after the failing one was not written")
		}
		if e := got["Cơ sở Gốm Kim Lan"]; e.TaxCode != "" {
			t.Errorf("the rejected row changed its record: %+v", e)
		}
		x := c.Get(loc + "/errors.xlsx")
		xf, err := excelize.OpenReader(strings.NewReader(x.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := xf.GetRows(xf.GetSheetName(0))
		if len(rows) != 2 || rows[1][0] != "3" || !strings.Contains(rows[1][1], "0101234567") {
			t.Errorf("errors file: %q", rows)
		}
	})
}

// Two imports of the same rows at the same time both finish; what one
// stored, the other finds unchanged.
func TestImportSameRowsConcurrently(t *testing.T) {
	var b strings.Builder
	b.WriteString("Tên cơ sở,Tỉnh/TP,Xã/phường,Mã số thuế\n")
	const n = 1200
	for i := range n {
		b.WriteString("Công ty TNHH Gốm số " + strconv.Itoa(i) + ",Hà Nội,Phường Ba Đình,01" + strconv.Itoa(10000000+i) + "\n")
	}
	file := b.String()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "01")
		ctx := context.Background()
		var ids []int64
		for range 2 {
			loc := uploadForm(t, c, "ds.csv", []byte(file), importChoices{})
			submitMapping(t, c, loc, nil)
			id, _ := strconv.ParseInt(jobRe.FindStringSubmatch(loc)[1], 10, 64)
			ids = append(ids, id)
		}
		env.App.RunImportJobs(ctx) // both checked: every row new for both
		for _, id := range ids {
			loc := "/imports/" + strconv.FormatInt(id, 10)
			if p := c.Open(loc).Form(loc + "/apply").Submit(); p.Status != 200 {
				t.Fatalf("apply: %d", p.Status)
			}
		}
		errs := make(chan error, 2)
		for _, id := range ids {
			go func() { errs <- env.App.RunImportJob(ctx, id) }()
		}
		for range ids {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		total := 0
		for _, id := range ids {
			j := findJob(t, env, id)
			if j.State != nipp.ImportDone || j.RejectedRows != 0 || j.Imported+j.Unchanged+j.Updated != n {
				t.Errorf("job %d: %s imported %d unchanged %d updated %d rejected %d (%s)", id, j.State, j.Imported, j.Unchanged, j.Updated, j.RejectedRows, j.Message)
			}
			total += j.Imported
		}
		if total != n {
			t.Errorf("%d imported in all, want %d", total, n)
		}
	})
}

// A list saved by LibreOffice Calc 7.4: testdata/libreoffice-danh-sach.xlsx
// was made from the .csv beside it with
//
//	libreoffice --headless --infilter=CSV:44,34,76,1,,1066 --convert-to xlsx libreoffice-danh-sach.csv
//
// (comma, UTF-8, day/month/year dates), so its dates are date cells (serial
// numbers formatted mm/dd/yy) and a total row and signatures follow.
func TestImportLibreOfficeWorkbook(t *testing.T) {
	file, err := os.ReadFile("testdata/libreoffice-danh-sach.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	storetest.EachWith(t, filesClock, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "01")
		job, _ := importThrough(t, env, c, "ds.xlsx", file, importChoices{})
		if job.Imported != 2 || job.RejectedRows != 0 || job.TableEndRow != 3 || job.TrailingRows != 3 {
			t.Fatalf("imported %d, rejected %d, table end %d (%d below) %v", job.Imported, job.RejectedRows, job.TableEndRow, job.TrailingRows, rejectedRows(t, db, job.ID))
		}
		got := storedByName(t, c)
		if e := got["HTX Gốm Bát Tràng"]; e.FoundedYear == nil || *e.FoundedYear != 2019 || e.RegisteredOn.String() != "2019-04-20" {
			t.Errorf("stored %+v", e)
		}
		if e := got["Cơ sở Thêu Ba Đình"]; e.FoundedYear == nil || *e.FoundedYear != 2009 {
			t.Errorf("stored %+v", e)
		}
	})
}
