package refdata

import (
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/text/unicode/norm"
)

func mustLoad(t testing.TB) *Data {
	t.Helper()
	d, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return d
}

func TestCounts(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		name string
		got  int
		want int
	}{
		{"regions", len(d.Regions), 6},
		{"provinces 63", len(d.Provinces63), 63},
		{"provinces 34", len(d.Provinces34), 34},
		{"communes 2025", len(d.Communes), 3321},
		{"old units", len(d.OldCommunes), 10047 + 5},
		{"programs", len(d.Programs), 3},
		{"targets", len(d.Targets), 10},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

func TestCommuneTypes(t *testing.T) {
	d := mustLoad(t)
	got := map[string]int{}
	for _, c := range d.Communes {
		got[c.Type]++
	}
	want := map[string]int{"commune": 2621, "ward": 687, "special_zone": 13}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("communes by type: got %v, want %v", got, want)
	}

	levels := map[string]int{}
	for _, o := range d.OldCommunes {
		levels[o.Level]++
	}
	if want := map[string]int{"commune": 10047, "district": 5}; !reflect.DeepEqual(levels, want) {
		t.Errorf("old units by level: got %v, want %v", levels, want)
	}
}

func TestProvinceTypes(t *testing.T) {
	d := mustLoad(t)
	for _, set := range []struct {
		name      string
		list      []Province
		wantCity  int
		from, to  string
		successor bool
	}{
		// 63 set: Hà Nội, Hải Phòng, Huế (since 2025-01-01), Đà Nẵng, HCMC, Cần Thơ.
		{"63", d.Provinces63, 6, "", Provinces63ValidTo, true},
		// 34 set: Hà Nội, Hải Phòng, Huế, Đà Nẵng, HCMC, Cần Thơ.
		{"34", d.Provinces34, 6, Provinces34ValidFrom, "", false},
	} {
		cities := 0
		for _, p := range set.list {
			if p.Type == "city" {
				cities++
			}
			if p.ValidFrom != set.from || p.ValidTo != set.to {
				t.Errorf("%s set %s: validity %q..%q, want %q..%q", set.name, p.Code, p.ValidFrom, p.ValidTo, set.from, set.to)
			}
			if (p.Successor != "") != set.successor || (len(p.MergedFrom) != 0) == set.successor {
				t.Errorf("%s set %s: Successor %q MergedFrom %v", set.name, p.Code, p.Successor, p.MergedFrom)
			}
		}
		if cities != set.wantCity {
			t.Errorf("%s set: %d cities, want %d", set.name, cities, set.wantCity)
		}
	}
}

func TestProvinceReferences(t *testing.T) {
	d := mustLoad(t)
	regions := map[string]bool{}
	for _, r := range d.Regions {
		regions[r.Code] = true
	}
	p34 := map[string]Province{}
	for _, p := range d.Provinces34 {
		p34[p.Code] = p
	}
	perRegion := map[string]int{}
	for _, p := range d.Provinces63 {
		if !regions[p.RegionCode] {
			t.Errorf("63 set %s %s: unknown region %q", p.Code, p.NameVI, p.RegionCode)
		}
		perRegion[p.RegionCode]++
		n, ok := p34[p.Successor]
		if !ok {
			t.Errorf("63 set %s %s: successor %q not in 34 set", p.Code, p.NameVI, p.Successor)
			continue
		}
		found := false
		for _, c := range n.MergedFrom {
			found = found || c == p.Code
		}
		if !found {
			t.Errorf("63 set %s: successor %s does not list it in MergedFrom %v", p.Code, n.Code, n.MergedFrom)
		}
	}
	// GSO region sizes.
	want := map[string]int{"RRD": 11, "NMM": 14, "NCC": 14, "CH": 5, "SE": 6, "MRD": 13}
	if !reflect.DeepEqual(perRegion, want) {
		t.Errorf("63 set per region: got %v, want %v", perRegion, want)
	}

	merged := 0
	for _, p := range d.Provinces34 {
		if !regions[p.RegionCode] {
			t.Errorf("34 set %s: unknown region %q", p.Code, p.RegionCode)
		}
		merged += len(p.MergedFrom)
	}
	if merged != 63 {
		t.Errorf("34 set MergedFrom covers %d old units, want 63", merged)
	}
}

func TestProvinceSpotChecks(t *testing.T) {
	d := mustLoad(t)
	find := func(list []Province, code string) Province {
		for _, p := range list {
			if p.Code == code {
				return p
			}
		}
		t.Fatalf("province %s not found", code)
		return Province{}
	}
	tests := []struct {
		set                  string
		code                 string
		nameVI, typ, region  string
		successor            string
		mergedFrom           []string
		nameVIFull, nameENFu string
	}{
		{"63", "02", "Hà Giang", "province", "NMM", "08", nil, "Tỉnh Hà Giang", "Ha Giang Province"},
		{"63", "22", "Quảng Ninh", "province", "RRD", "22", nil, "Tỉnh Quảng Ninh", "Quang Ninh Province"},
		{"63", "24", "Bắc Giang", "province", "NMM", "24", nil, "Tỉnh Bắc Giang", "Bac Giang Province"},
		{"63", "46", "Huế", "city", "NCC", "46", nil, "Thành phố Huế", "Hue City"},
		{"63", "64", "Gia Lai", "province", "CH", "52", nil, "Tỉnh Gia Lai", "Gia Lai Province"},
		{"63", "77", "Bà Rịa - Vũng Tàu", "province", "SE", "79", nil, "Tỉnh Bà Rịa - Vũng Tàu", "Ba Ria - Vung Tau Province"},
		{"34", "08", "Tuyên Quang", "province", "NMM", "", []string{"08", "02"}, "Tỉnh Tuyên Quang", "Tuyen Quang Province"},
		{"34", "52", "Gia Lai", "province", "NCC", "", []string{"52", "64"}, "Tỉnh Gia Lai", "Gia Lai Province"},
		{"34", "80", "Tây Ninh", "province", "MRD", "", []string{"80", "72"}, "Tỉnh Tây Ninh", "Tay Ninh Province"},
		{"34", "79", "Hồ Chí Minh", "city", "SE", "", []string{"79", "74", "77"}, "Thành phố Hồ Chí Minh", "Ho Chi Minh City"},
		{"34", "01", "Hà Nội", "city", "RRD", "", []string{"01"}, "Thành phố Hà Nội", "Ha Noi City"},
	}
	for _, tt := range tests {
		list := d.Provinces63
		if tt.set == "34" {
			list = d.Provinces34
		}
		p := find(list, tt.code)
		got := []string{p.NameVI, p.Type, p.RegionCode, p.Successor, p.NameVIFull, p.NameENFull}
		want := []string{tt.nameVI, tt.typ, tt.region, tt.successor, tt.nameVIFull, tt.nameENFu}
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(p.MergedFrom, tt.mergedFrom) {
			t.Errorf("%s set %s: got %v %v, want %v %v", tt.set, tt.code, got, p.MergedFrom, want, tt.mergedFrom)
		}
	}
	if first, last := d.Provinces63[0].Code, d.Provinces63[62].Code; first != "01" || last != "96" {
		t.Errorf("63 set order: first %s last %s, want 01 and 96 (file order)", first, last)
	}
}

func TestCommuneReferences(t *testing.T) {
	d := mustLoad(t)
	p34 := map[string]bool{}
	for _, p := range d.Provinces34 {
		p34[p.Code] = true
	}
	succ63 := map[string]string{}
	for _, p := range d.Provinces63 {
		succ63[p.Code] = p.Successor
	}
	communes := map[string]Commune{}
	for _, c := range d.Communes {
		if !p34[c.ProvinceCode] {
			t.Errorf("commune %s %s: province %q not in 34 set", c.Code, c.NameVI, c.ProvinceCode)
		}
		communes[c.Code] = c
	}
	covered := map[string]bool{}
	var crossProvince []string
	for _, o := range d.OldCommunes {
		if _, ok := succ63[o.ProvinceCode]; !ok {
			t.Errorf("old unit %s: province %q not in 63 set", o.Code, o.ProvinceCode)
		}
		if len(o.Successors) == 0 {
			t.Errorf("old unit %s %s: no successor", o.Code, o.NameVI)
		}
		for _, s := range o.Successors {
			c, ok := communes[s.NewCode]
			if !ok {
				t.Errorf("old unit %s: successor %q not in communes_2025", o.Code, s.NewCode)
				continue
			}
			covered[s.NewCode] = true
			if s.Share != "full" && s.Share != "partial" {
				t.Errorf("old unit %s: share %q", o.Code, s.Share)
			}
			if c.ProvinceCode != succ63[o.ProvinceCode] {
				crossProvince = append(crossProvince, o.Code+"->"+s.NewCode)
			}
		}
	}
	if len(covered) != len(d.Communes) {
		t.Errorf("%d of %d new communes have a predecessor", len(covered), len(d.Communes))
	}
	// The source has one known cross-province mapping (see OldCommune).
	if want := []string{"30622->30259"}; !reflect.DeepEqual(crossProvince, want) {
		t.Errorf("cross-province successors: got %v, want %v", crossProvince, want)
	}
}

func TestCommuneSpotChecks(t *testing.T) {
	d := mustLoad(t)
	if c := d.Communes[0]; c != (Commune{"00004", "Phường Ba Đình", "ward", "01"}) {
		t.Errorf("first commune: %+v", c)
	}
	old := map[string]OldCommune{}
	for _, o := range d.OldCommunes {
		old[o.Code] = o
	}
	tests := []struct {
		code, level, name, province string
		successors                  []CommuneShare
	}{
		{"00001", "commune", "Phường Phúc Xá", "01", []CommuneShare{{"00097", "full"}}},
		{"755", "district", "Huyện Côn Đảo", "77", []CommuneShare{{"26732", "full"}}},
		{"318", "district", "Huyện Bạch Long Vĩ", "31", []CommuneShare{{"11948", "full"}}},
	}
	for _, tt := range tests {
		o, ok := old[tt.code]
		if !ok {
			t.Errorf("old unit %s not found", tt.code)
			continue
		}
		want := OldCommune{tt.code, tt.level, tt.name, tt.province, tt.successors}
		if !reflect.DeepEqual(o, want) {
			t.Errorf("old unit %s: got %+v, want %+v", tt.code, o, want)
		}
	}
	// A split commune has several partial successors.
	split := 0
	for _, o := range d.OldCommunes {
		if len(o.Successors) > 1 {
			split++
			for _, s := range o.Successors {
				if s.Share != "partial" {
					t.Errorf("split old unit %s has share %q", o.Code, s.Share)
				}
			}
		}
	}
	if split == 0 {
		t.Error("no split old commune found")
	}
}

func TestTargets(t *testing.T) {
	d := mustLoad(t)
	programs := map[string]Program{}
	for _, p := range d.Programs {
		programs[p.Code] = p
	}
	indicators := map[string]bool{}
	for _, n := range d.Indicators {
		indicators[n.Code] = true
	}
	want := map[string]int64{
		"DEMO_MODELS": 340, "MACHINES": 1600, "TECH_LINES": 300, "CP_ASSESSMENTS": 300,
		"CP_PILOTS": 100, "POLLUTION_EST": 50, "TRADEMARKS": 350, "CLUSTER_PLANS": 50,
		"CLUSTER_POLLUTION": 60, "WORKERS_TRAINED": 10000,
	}
	got := map[string]int64{}
	for _, g := range d.Targets {
		if _, ok := programs[g.ProgramCode]; !ok {
			t.Errorf("target %s: unknown program %q", g.IndicatorCode, g.ProgramCode)
		}
		if !indicators[g.IndicatorCode] {
			t.Errorf("target: unknown indicator %q", g.IndicatorCode)
		}
		if g.ProgramCode != "NIPP-2021-2025" {
			t.Errorf("target %s for %s: only 2021-2025 targets are in our sources", g.IndicatorCode, g.ProgramCode)
			continue
		}
		if g.DecisionNo != "1881/QĐ-TTg" || g.DecisionDate != "2020-11-20" {
			t.Errorf("target %s: decision %s of %s", g.IndicatorCode, g.DecisionNo, g.DecisionDate)
		}
		got[g.IndicatorCode] = g.Value
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("2021-2025 targets: got %v, want %v", got, want)
	}
}

func TestPrograms(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		code, decision, date, approvedBy, approvedByEN string
		start, end                                     int
	}{
		{"NIPP-2014-2020", "1288/QĐ-TTg", "2014-08-01", "Thủ tướng Chính phủ", "Prime Minister", 2014, 2020},
		{"NIPP-2021-2025", "1881/QĐ-TTg", "2020-11-20", "Thủ tướng Chính phủ", "Prime Minister", 2021, 2025},
		{"NIPP-2026-2030", "2646/QĐ-BCT", "2025-09-23", "Bộ trưởng Bộ Công Thương", "Minister of Industry and Trade", 2026, 2030},
	}
	for i, tt := range tests {
		p := d.Programs[i]
		if p.Code != tt.code || p.DecisionNo != tt.decision || p.DecisionDate != tt.date ||
			p.ApprovedBy != tt.approvedBy || p.ApprovedByEN != tt.approvedByEN || p.StartYear != tt.start || p.EndYear != tt.end || p.Level != "national" {
			t.Errorf("program %d: got %+v, want %+v", i, p, tt)
		}
		if !strings.Contains(p.NameVI, "khuyến công quốc gia") || !strings.HasSuffix(p.NameEN, p.Code[5:]) {
			t.Errorf("program %s names: %q / %q", p.Code, p.NameVI, p.NameEN)
		}
	}
}

func TestActivityTypesAndIndicators(t *testing.T) {
	d := mustLoad(t)
	types := map[string]ActivityType{}
	for _, a := range d.ActivityTypes {
		types[a.Code] = a
	}
	groups := 0
	for _, a := range d.ActivityTypes {
		if a.GroupCode == "" {
			groups++
			continue
		}
		g, ok := types[a.GroupCode]
		if !ok || g.GroupCode != "" {
			t.Errorf("activity type %s: group %q is not a group", a.Code, a.GroupCode)
		}
	}
	if groups != 9 {
		t.Errorf("%d activity groups, want 9 (Decree 45 art. 4)", groups)
	}
	leaves := []string{"DEMO_MODEL", "TECH_TRANSFER", "MACHINERY", "TECH_LINE", "CP_ASSESS", "CP_PILOT",
		"POLLUTION_EST", "TRADEMARK", "FAIR_DOMESTIC", "FAIR_FOREIGN", "SHOWROOM", "PRODUCT_AWARD",
		"VOC_TRAINING", "MGMT_TRAINING", "CONSULTING", "COMMUNICATION", "CLUSTER_PLAN", "CLUSTER_INFRA",
		"CLUSTER_POLLUTION", "INTL_COOP", "CAPACITY_BUILDING"}
	for _, code := range leaves {
		a, ok := types[code]
		if !ok {
			t.Errorf("activity type %s missing", code)
			continue
		}
		if a.GroupCode == "" {
			t.Errorf("activity type %s has no group", code)
		}
	}
	if got := types["DEMO_MODEL"].NameVI; got != "Xây dựng mô hình trình diễn kỹ thuật" {
		t.Errorf("DEMO_MODEL name_vi %q", got)
	}
	for _, n := range d.Indicators {
		if _, ok := types[n.ActivityTypeCode]; !ok {
			t.Errorf("indicator %s: unknown activity type %q", n.Code, n.ActivityTypeCode)
		}
		if n.UnitVI == "" || n.UnitEN == "" {
			t.Errorf("indicator %s: empty unit", n.Code)
		}
	}
}

// TestStringsClean walks every string in Data and checks it is trimmed NFC.
func TestStringsClean(t *testing.T) {
	d := mustLoad(t)
	n := 0
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			walk(path, v.Elem())
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(path+"."+v.Type().Field(i).Name, v.Field(i))
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(path, v.Index(i))
			}
		case reflect.String:
			n++
			s := v.String()
			if s != strings.TrimSpace(s) || !norm.NFC.IsNormalString(s) {
				t.Errorf("%s: %q not trimmed NFC", path, s)
			}
		}
	}
	walk("Data", reflect.ValueOf(d))
	if n < 50000 {
		t.Errorf("walked only %d strings", n)
	}
}

func TestLoadDeterministic(t *testing.T) {
	a, b := mustLoad(t), mustLoad(t)
	if !reflect.DeepEqual(a, b) {
		t.Error("two loads differ")
	}
	a.Provinces34[0].MergedFrom[0] = "XX"
	if b.Provinces34[0].MergedFrom[0] == "XX" {
		t.Error("loads share memory")
	}
}

func TestParseCSV(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		required []string
		line     int
		column   int
		wantMsg  string
	}{
		{"wrong field count", "a,b\n1,2\n3\n", nil, 3, 1, "wrong number of fields"},
		{"extra field", "a,b\n1,2\n3,4\n5,6,7\n", nil, 4, 0, "wrong number of fields"},
		{"bare quote", "a,b\n1,x\"y\n", nil, 2, 4, "bare \""},
		{"unterminated quote", "a,b\n1,\"open\n2,3\n", nil, 3, 0, "record starts on line 2"},
		{"missing column", "a,b\n1,2\n", []string{"a", "c"}, 1, 0, `missing column "c"`},
		{"duplicate column", "a,b,a\n1,2,3\n", nil, 1, 3, "duplicate column"},
		{"empty column name", "a,,c\n1,2,3\n", nil, 1, 2, "empty column"},
		{"empty file", "", nil, 1, 0, "empty file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseCSV("x.csv", strings.NewReader(tt.in), tt.required...)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *Error", err)
			}
			if e.File != "x.csv" || e.Line != tt.line || (tt.column != 0 && e.Column != tt.column) {
				t.Errorf("got file %q line %d column %d, want x.csv line %d column %d (%v)",
					e.File, e.Line, e.Column, tt.line, tt.column, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.Contains(err.Error(), "x.csv:") {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
		})
	}
}

func TestParseCSVCleans(t *testing.T) {
	decomposed := norm.NFD.String("Hoà Bình")
	in := "\uFEFFcode , name\r\n 17 ,\"  " + decomposed + " \"\r\n\r\n18,x\r\n"
	tb, err := parseCSV("x.csv", strings.NewReader(in), "code", "name")
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.rows) != 2 {
		t.Fatalf("%d rows, want 2", len(tb.rows))
	}
	r := tb.rows[0]
	if r.get("code") != "17" || r.get("name") != "Hoà Bình" || r.line != 2 {
		t.Errorf("got %q %q line %d", r.get("code"), r.get("name"), r.line)
	}
	if tb.rows[1].line != 4 {
		t.Errorf("second record on line %d, want 4", tb.rows[1].line)
	}
	if err := r.errf("name", "bad"); err.Error() != "refdata: x.csv:2: column 2 (name): bad" {
		t.Errorf("error text %q", err)
	}
}

// TestLoadRejects runs load on the embedded files with one file changed and
// checks that the error names the file, line and column of the problem.
func TestLoadRejects(t *testing.T) {
	base := fstest.MapFS{}
	err := fs.WalkDir(files, "data", func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		base[strings.TrimPrefix(p, "data/")] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := load(base); err != nil {
		t.Fatalf("unchanged copy: %v", err)
	}

	tests := []struct {
		name     string
		file     string
		old, new string // first occurrence of old is replaced by new
		want     string
	}{
		{"unknown region", "regions.csv", "MRD,Đồng bằng sông Cửu Long,Mekong River Delta", "MRD,Đồng bằng sông Cửu Long,Mekong Delta",
			"provinces_63.csv:52: column 5 (region): unknown region"},
		{"duplicate region", "regions.csv", "CH,", "SE,", "regions.csv:6: column 1 (code): duplicate"},
		{"bad successor", "provinces_63.csv", "02,Hà Giang,Ha Giang,province,Northern Midlands and Mountains,Tỉnh Hà Giang,Ha Giang Province,Trung du và miền núi phía Bắc,08",
			"02,Hà Giang,Ha Giang,province,Northern Midlands and Mountains,Tỉnh Hà Giang,Ha Giang Province,Trung du và miền núi phía Bắc,04",
			"provinces_34.csv:4: column 13 (merged_from_codes): 02 Hà Giang has code_2025 04"},
		{"merge table disagrees", "province_merge_2025.csv", "02,Hà Giang,Ha Giang,province,08", "02,Hà Giang,Ha Giang,province,04",
			"province_merge_2025.csv:3: column 5 (new_code)"},
		{"commune province", "communes_2025.csv", "00004,Phường Ba Đình,ward,01", "00004,Phường Ba Đình,ward,03",
			"communes_2025.csv:2: column 4 (province_code): unknown code \"03\""},
		{"commune type", "communes_2025.csv", "00004,Phường Ba Đình,ward", "00004,Phường Ba Đình,phuong",
			"communes_2025.csv:2: column 3 (type)"},
		{"unknown new commune", "commune_merge_2025.csv", "00001,commune,Phường Phúc Xá,01,Hà Nội,00097", "00001,commune,Phường Phúc Xá,01,Hà Nội,99999",
			"commune_merge_2025.csv:2: column 6 (new_code): unknown commune \"99999\""},
		{"bad share", "commune_merge_2025.csv", "Phường Hồng Hà,01,full", "Phường Hồng Hà,01,whole",
			"commune_merge_2025.csv:2: column 9 (share)"},
		{"unknown group", "activity_types.csv", "DEMO_MODEL,TECH,", "DEMO_MODEL,TECHNO,",
			"activity_types.csv:7: column 2 (group_code): unknown group \"TECHNO\""},
		{"unknown activity type", "indicators.csv", "machines,MACHINERY,", "machines,MACHINES,",
			"indicators.csv:3: column 6 (activity_type_code): unknown activity type"},
		{"bad date", "programs.csv", "2020-11-20", "2020-11-31", "programs.csv:3: column 8 (decision_date)"},
		{"unknown program", "targets.csv", "NIPP-2021-2025,MACHINES", "NIPP-2021-2026,MACHINES",
			"targets.csv:3: column 1 (program_code): unknown program"},
		{"unknown indicator", "targets.csv", "NIPP-2021-2025,TECH_LINES", "NIPP-2021-2025,LINES",
			"targets.csv:4: column 2 (indicator_code): unknown indicator"},
		{"bad value", "targets.csv", ",1600,", ",1.600,", "targets.csv:3: column 3 (value): value \"1.600\" is not an integer"},
		{"duplicate target", "targets.csv", "NIPP-2021-2025,TECH_LINES", "NIPP-2021-2025,MACHINES",
			"targets.csv:4: column 2 (indicator_code): duplicate"},
		{"missing column", "targets.csv", "program_code,", "program,", "targets.csv:1: missing column \"program_code\""},
		{"syntax", "indicators.csv", "DEMO_MODELS,", "DEMO_\"MODELS,", "indicators.csv:2: column 6: bare \""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range base {
				fsys[k] = v
			}
			orig := string(base[tt.file].Data)
			if !strings.Contains(orig, tt.old) {
				t.Fatalf("%s does not contain %q", tt.file, tt.old)
			}
			fsys[tt.file] = &fstest.MapFile{Data: []byte(strings.Replace(orig, tt.old, tt.new, 1))}
			_, err := load(fsys)
			if err == nil {
				t.Fatal("load succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

// What a project needs before it is submitted, by activity type, from the
// domain brief (written here by hand): demonstration models, machinery and
// technology lines need a beneficiary establishment and planned outputs;
// training, fairs and consulting may have no single beneficiary but need
// planned outputs.
func TestActivityNeeds(t *testing.T) {
	d := mustLoad(t)
	needs := map[string][2]bool{}
	for _, a := range d.ActivityTypes {
		needs[a.Code] = [2]bool{a.NeedsBeneficiary, a.NeedsOutputs}
		if a.GroupCode == "" && (a.NeedsBeneficiary || a.NeedsOutputs) {
			t.Errorf("group %s has needs (a project names a kind)", a.Code)
		}
	}
	for code, want := range map[string][2]bool{
		"DEMO_MODEL": {true, true}, "MACHINERY": {true, true}, "TECH_LINE": {true, true},
		"VOC_TRAINING": {false, true}, "MGMT_TRAINING": {false, true}, "FAIR_DOMESTIC": {false, true}, "FAIR_FOREIGN": {false, true}, "CONSULTING": {false, true},
	} {
		if got, ok := needs[code]; !ok || got != want {
			t.Errorf("%s: needs beneficiary, outputs = %v, want %v", code, got, want)
		}
	}
	// A kind that needs planned outputs has an indicator to plan them with.
	measured := map[string]bool{}
	for _, i := range d.Indicators {
		measured[i.ActivityTypeCode] = true
	}
	for _, code := range []string{"VOC_TRAINING", "MGMT_TRAINING", "FAIR_DOMESTIC", "CONSULTING", "MACHINERY", "TECH_LINE", "DEMO_MODEL"} {
		if !measured[code] {
			t.Errorf("%s needs planned outputs but no indicator measures it", code)
		}
	}
}
