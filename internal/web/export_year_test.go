package web_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// The registry export shows a founding year as a year (2013), not as an
// amount with a thousands separator (2,013), while employees keep theirs.
func TestExportFoundedYearIsPlain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "08")
		create(t, c, form("name", "HTX Chè Việt Lâm", "province", "08", "commune", "Xã Việt Lâm", "founded_year", "2013", "employees", "1.250"))
		r := c.Get("/establishments/export.xlsx")
		if r.Status != 200 {
			t.Fatalf("export: %d", r.Status)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(r.Body)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil || len(rows) != 2 {
			t.Fatalf("rows %v, %v", rows, err)
		}
		got := map[string]string{}
		for i, h := range rows[0] {
			if i < len(rows[1]) {
				got[h] = rows[1][i]
			}
		}
		if got["Năm thành lập"] != "2013" || got["Số lao động"] != "1,250" {
			t.Errorf("founded year %q (want 2013), employees %q (want 1,250)", got["Năm thành lập"], got["Số lao động"])
		}
	})
}
