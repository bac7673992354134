package app

import (
	"io"
	"strings"
	"testing"

	"nipp/internal/address"
	"nipp/internal/nipp"
	"nipp/internal/refdata"
	"nipp/internal/tabular"
)

// FuzzImportRows feeds arbitrary CSV text through the reader, the header
// finder and the row parser: nothing may panic, every issue must name a
// field and a column within the row, and an accepted row must be valid.
func FuzzImportRows(f *testing.F) {
	f.Add("Tên cơ sở;MST;Tỉnh/TP;Xã/phường;Số lao động;Ngày ghi nhận\nHTX Gốm;101234567;Hà Nội;Phường Ba Đình;1.200;45000\n")
	f.Add("STT,Tên cơ sở,Loại hình,Tỉnh/TP\n(1),(2),(3),(4)\n1,\"Cty TNHH A\",HKD,01\nTổng cộng,,,\n")
	f.Add("\ufeffname,province,commune,employees,recorded_on,women_owned\nA,1,x,1,5,31/02/2024,có\n")
	d, err := refdata.Load()
	if err != nil {
		f.Fatal(err)
	}
	// The real resolver; ids are made up (the parser never stores them).
	idx := &places{r: address.New(d), ids: map[unitKey]nipp.Unit{}}
	for _, p := range d.Provinces34 {
		idx.ids[unitKey{p.Code, address.Gen2025}] = nipp.Unit{Code: p.Code, Name: p.NameVI, Generation: address.Gen2025}
	}
	for _, p := range d.Provinces63 {
		idx.ids[unitKey{p.Code, address.Gen2008}] = nipp.Unit{Code: p.Code, Name: p.NameVI, Generation: address.Gen2008}
	}
	for _, c := range d.Communes {
		idx.ids[unitKey{c.Code, address.Gen2025}] = nipp.Unit{Code: c.Code, Name: c.NameVI, Generation: address.Gen2025}
	}
	for _, c := range d.OldCommunes {
		idx.ids[unitKey{c.Code, address.Gen2008}] = nipp.Unit{Code: c.Code, Name: c.NameVI, Generation: address.Gen2008}
	}
	admin := &nipp.Principal{UserID: 1, Role: nipp.RoleAdmin}
	today := nipp.MustDate("2026-06-30")
	f.Fuzz(func(t *testing.T, text string) {
		r, err := tabular.NewCSVReader(strings.NewReader(text))
		if err != nil {
			return
		}
		defer r.Close()
		h, err := tabular.FindHeader(r, matchEstColumn, 2, 0)
		if err != nil {
			return
		}
		for range 50 {
			_, cells, err := r.Next()
			if err == io.EOF || err != nil {
				return
			}
			in, issues, _ := parseImportRow(h.Keys, cells, idx, admin, today, today)
			for _, is := range issues {
				if is.Msg.Key == "" || is.Col < 0 || is.Col > len(h.Keys) {
					t.Fatalf("bad issue %+v for %q", is, cells)
				}
			}
			if len(issues) == 0 {
				if err := in.Validate(today); err != nil {
					t.Fatalf("accepted row is invalid: %v (%q)", err, cells)
				}
			}
		}
	})
}
