package app

import (
	"reflect"
	"testing"

	"nipp/internal/address"
	"nipp/internal/nipp"
	"nipp/internal/refdata"
)

// testPlaces returns the real resolver with made-up ids for every unit.
func testPlaces(t testing.TB) *places {
	d, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	idx := &places{r: address.New(d), ids: map[unitKey]nipp.Unit{}}
	id := int64(0)
	add := func(code, name string, gen int) {
		id++
		idx.ids[unitKey{code, gen}] = nipp.Unit{ID: id, Code: code, Name: name, Generation: gen}
	}
	for _, p := range d.Provinces34 {
		add(p.Code, p.NameVI, address.Gen2025)
	}
	for _, p := range d.Provinces63 {
		add(p.Code, p.NameVI, address.Gen2008)
	}
	for _, c := range d.Communes {
		add(c.Code, c.NameVI, address.Gen2025)
	}
	for _, c := range d.OldCommunes {
		add(c.Code, c.NameVI, address.Gen2008)
	}
	return idx
}

// Places kept by their texts answer exactly what resolving them again
// answers, each caller with a copy of its own; what is not found is
// resolved again each time.
func TestPlacesKeptAnswerAsResolved(t *testing.T) {
	d, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	plain := testPlaces(t)
	kept := &places{r: plain.r, ids: plain.ids, memo: &placeMemo{m: map[placeKey]Place{}}}
	prov := map[string]string{}
	for _, p := range d.Provinces34 {
		prov[p.Code] = p.NameVI
	}
	prov63 := map[string]string{}
	for _, p := range d.Provinces63 {
		prov63[p.Code] = p.NameVI
	}
	type addr struct {
		province, commune string
		on                nipp.Date
	}
	today := nipp.MustDate("2026-06-30")
	var addrs []addr
	for i, c := range d.Communes {
		if i%7 == 0 {
			addrs = append(addrs, addr{prov[c.ProvinceCode], c.NameVI, today})
		}
	}
	for i, c := range d.OldCommunes {
		if i%13 == 0 {
			addrs = append(addrs, addr{prov63[c.ProvinceCode], c.NameVI, cutoverEve})
		}
	}
	addrs = append(addrs, addr{"Hà Nội", "Xã Không Có", today}, addr{"Tỉnh Không Có", "Phường Ba Đình", today})
	found := 0
	for round := range 2 {
		for _, a := range addrs {
			want, wantErr := plain.resolve(a.province, a.commune, a.on, "")
			got, err := kept.resolve(a.province, a.commune, a.on, "")
			if (wantErr == nil) != (err == nil) || wantErr != nil && wantErr.Error() != err.Error() {
				t.Fatalf("round %d, %v: error %v, want %v", round, a, err, wantErr)
			}
			if wantErr != nil {
				continue
			}
			found++
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, %v: %+v, want %+v", round, a, got, want)
			}
			if (want.OrigCommune == want.Commune) != (got.OrigCommune == got.Commune) {
				t.Fatalf("round %d, %v: the old commune is the commune in one answer only", round, a)
			}
			// A caller's changes stay its own.
			got.Commune.Name, got.Province.Code = "changed", "changed"
		}
	}
	if found < len(addrs) {
		t.Logf("%d of %d addresses found", found/2, len(addrs))
	}
	if found == 0 || len(kept.memo.m) == 0 {
		t.Fatalf("nothing resolved or kept (%d found, %d kept)", found, len(kept.memo.m))
	}
	for k := range kept.memo.m {
		if k.commune == "Xã Không Có" || k.province == "Tỉnh Không Có" {
			t.Errorf("an address not found was kept: %+v", k)
		}
	}
}
