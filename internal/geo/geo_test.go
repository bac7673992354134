package geo

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"nipp/internal/refdata"
)

func refData(t *testing.T) *refdata.Data {
	t.Helper()
	d, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Every province of each generation has exactly one outline, and no
// outline names a province the reference data does not know.
func TestEveryProvinceHasOneShape(t *testing.T) {
	d := refData(t)
	for _, g := range []struct {
		gen   int
		provs []refdata.Province
		file  string
	}{{Gen2008, d.Provinces63, "data/vn_provinces_63_naturalearth.geojson"}, {Gen2025, d.Provinces34, "data/vn_provinces_34_naturalearth.geojson"}} {
		m, err := Provinces(g.gen)
		if err != nil {
			t.Fatal(err)
		}
		// Count the features per code in the file itself (the map keeps
		// one per code and refuses a second).
		raw, _ := files.ReadFile(g.file)
		var fc struct {
			Features []feature `json:"features"`
		}
		if err := json.Unmarshal(raw, &fc); err != nil {
			t.Fatal(err)
		}
		perCode := map[string]int{}
		for _, f := range fc.Features {
			perCode[f.Properties.Code]++
		}
		known := map[string]bool{}
		for _, p := range g.provs {
			known[p.Code] = true
			if perCode[p.Code] != 1 {
				t.Errorf("gen %d: province %s %s has %d shapes", g.gen, p.Code, p.NameVI, perCode[p.Code])
			}
			s, ok := m.Shape(p.Code)
			if !ok || s.Points < 3 {
				t.Errorf("gen %d: province %s %s: no outline on the map", g.gen, p.Code, p.NameVI)
			}
		}
		for code := range perCode {
			if !known[code] {
				t.Errorf("gen %d: a shape for %q, which is no province", g.gen, code)
			}
		}
		if len(m.Shapes) != len(g.provs) {
			t.Errorf("gen %d: %d shapes for %d provinces", g.gen, len(m.Shapes), len(g.provs))
		}
	}
}

// The 2025 outlines are the merger of the 2008 ones as the reference data
// says.
func TestMergedOutlinesMatchTheMerger(t *testing.T) {
	d := refData(t)
	raw, _ := files.ReadFile("data/vn_provinces_34_naturalearth.geojson")
	var fc struct {
		Features []struct {
			Properties struct {
				Code       string `json:"code"`
				MergedFrom string `json:"merged_from_codes"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	from := map[string][]string{}
	for _, p := range d.Provinces34 {
		from[p.Code] = slices.Sorted(slices.Values(p.MergedFrom))
	}
	for _, f := range fc.Features {
		got := slices.Sorted(slices.Values(strings.Split(f.Properties.MergedFrom, "|")))
		if !slices.Equal(got, from[f.Properties.Code]) {
			t.Errorf("2025 shape %s merges %v, reference data %v", f.Properties.Code, got, from[f.Properties.Code])
		}
	}
}

// Re-aggregation by hand, on merged provinces whose codes are traps:
// 52 is Bình Định in 2008 but Gia Lai (old 52 Bình Định + old 64 Gia Lai)
// since 2025; new 79 Hồ Chí Minh = 79 + 74 Bình Dương + 77 Bà Rịa - Vũng
// Tàu; new 80 Tây Ninh = 80 Long An + 72 Tây Ninh; Hà Nội stays alone.
func TestTo2025ByHand(t *testing.T) {
	u, err := LoadUnits()
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]float64{"52": 5, "64": 7, "79": 100, "74": 20, "77": 3, "80": 1, "72": 2, "01": 9, "02": 4, "08": 6}
	got, err := u.To2025(in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"52": 12, "79": 123, "80": 3, "01": 9, "08": 10}
	if len(got) != len(want) {
		t.Errorf("To2025 = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("2025 province %s = %v, want %v", k, got[k], v)
		}
	}
	if _, err := u.To2025(map[string]float64{"99": 1}); err == nil {
		t.Errorf("an unknown 2008 province was summed away without an error")
	}
	gi, err := u.To2025Int(map[string]int64{"52": 1 << 40, "64": 1})
	if err != nil || gi["52"] != 1<<40+1 {
		t.Errorf("To2025Int = %v, %v", gi, err)
	}
	// Every 2008 province goes somewhere, and the 34 are all reached.
	all := map[string]float64{}
	for _, c := range u.Codes[Gen2008] {
		all[c] = 1
	}
	sum, err := u.To2025(all)
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, c := range u.Codes[Gen2025] {
		total += sum[c]
		if sum[c] != float64(len(u.MergedFrom[c])) {
			t.Errorf("2025 province %s gets %v provinces, merged from %v", c, sum[c], u.MergedFrom[c])
		}
	}
	if total != 63 || len(sum) != 34 {
		t.Errorf("63 provinces re-aggregate into %d with total %v", len(sum), total)
	}
}

var coordRE = regexp.MustCompile(`-?\d+`)

// absPoints reads the absolute points of a path written by writeRing.
func absPoints(path string) map[[2]int64]bool {
	out := map[[2]int64]bool{}
	for _, ring := range strings.Split(path, "z") {
		if ring == "" {
			continue
		}
		nums := coordRE.FindAllString(ring, -1)
		var x, y int64
		for i := 0; i+1 < len(nums); i += 2 {
			dx, _ := strconv.ParseInt(nums[i], 10, 64)
			dy, _ := strconv.ParseInt(nums[i+1], 10, 64)
			if i == 0 {
				x, y = dx, dy
			} else {
				x, y = x+dx, y+dy
			}
			out[[2]int64{x, y}] = true
		}
	}
	return out
}

// Simplifying keeps neighbours' shared borders shared (no gaps or
// overlaps between provinces) and the map small.
func TestSimplifiedMapKeepsBordersAndIsSmall(t *testing.T) {
	for _, gen := range []int{Gen2008, Gen2025} {
		m, err := Provinces(gen)
		if err != nil {
			t.Fatal(err)
		}
		pts := map[string]map[[2]int64]bool{}
		total, raw := 0, 0
		for _, s := range m.Shapes {
			pts[s.Code] = absPoints(s.Path)
			total += len(s.Path)
			raw += s.Points
		}
		// Neighbours by hand: Hà Nội borders Hưng Yên (both generations);
		// 2008 Hà Giang borders Tuyên Quang.
		pairs := [][2]string{{"01", "33"}}
		if gen == Gen2008 {
			pairs = append(pairs, [2]string{"02", "08"}, [2]string{"79", "74"})
		}
		for _, p := range pairs {
			shared := 0
			for q := range pts[p[0]] {
				if pts[p[1]][q] {
					shared++
				}
			}
			if shared < 3 {
				t.Errorf("gen %d: %s and %s share %d points after simplification", gen, p[0], p[1], shared)
			}
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write([]byte(strings.Repeat("", 0)))
		for _, s := range m.Shapes {
			zw.Write([]byte(s.Path))
		}
		zw.Close()
		t.Logf("gen %d: %d points, %d bytes of paths, %d gzipped", gen, raw, total, gz.Len())
		if total > 120_000 || gz.Len() > 60_000 {
			t.Errorf("gen %d: paths %d bytes (%d gzipped): too big for a page under 300 KB", gen, total, gz.Len())
		}
	}
}

func TestBreaks(t *testing.T) {
	// Ten values 1..10 and two zeros in five classes: zeros apart, then
	// two values per class.
	v := map[string]float64{"z1": 0, "z2": 0}
	for i := 1; i <= 10; i++ {
		v["p"+strconv.Itoa(i)] = float64(i)
	}
	cl := Breaks(v, 5)
	if len(cl) != 6 || !cl[0].Zero || cl[0].Count != 2 {
		t.Fatalf("classes %+v", cl)
	}
	for j, c := range cl[1:] {
		if c.Lo != float64(2*j+1) || c.Hi != float64(2*j+2) || c.Count != 2 || c.Colour != Ramp[j] {
			t.Errorf("class %d = %+v", j, c)
		}
	}
	// Ties stay together: 1, 1, 1, 1, 9 in five classes is two classes.
	cl = Breaks(map[string]float64{"a": 1, "b": 1, "c": 1, "d": 1, "e": 9}, 5)
	if len(cl) != 2 || cl[0].Count != 4 || cl[1].Lo != 9 || cl[1].Colour != Ramp[len(Ramp)-1] {
		t.Errorf("ties: %+v", cl)
	}
	// One value: the darkest colour; none: no class.
	if cl = Breaks(map[string]float64{"a": 3}, 5); len(cl) != 1 || cl[0].Colour != Ramp[len(Ramp)-1] {
		t.Errorf("one value: %+v", cl)
	}
	if cl = Breaks(nil, 5); len(cl) != 0 {
		t.Errorf("no value: %+v", cl)
	}
}

type xnode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []xnode    `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n xnode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func TestChoropleth(t *testing.T) {
	u, _ := LoadUnits()
	values := map[string]float64{}
	for i, c := range u.Codes[Gen2025] {
		values[c] = float64(i)
	}
	delete(values, "96") // Cà Mau: no data
	values["01"] = 1000  // Hà Nội: the maximum
	values["79"] = 0     // Hồ Chí Minh: zero
	c := Choropleth{ID: "m", Title: "Mô hình", Desc: "Theo tỉnh", Gen: Gen2025, Values: values,
		Format: func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) },
		Href:   func(code string) string { return "/programs/X/progress?province=" + code + "&gen=2025" },
		Name:   func(code string) string { return "P" + code }, NoData: "không có số liệu", Selected: "48",
		Archipelagos: [2]string{"QĐ. Hoàng Sa", "QĐ. Trường Sa"}}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	var root xnode
	if err := xml.Unmarshal([]byte(svg), &root); err != nil {
		t.Fatalf("not well-formed: %v", err)
	}
	links := map[string]xnode{}
	var walk func(n xnode)
	walk = func(n xnode) {
		if n.XMLName.Local == "a" {
			links[n.attr("data-code")] = n
		}
		for _, k := range n.Nodes {
			walk(k)
		}
	}
	walk(root)
	if len(links) != 34 {
		t.Fatalf("%d province links, want 34", len(links))
	}
	fill := func(code string) string { return links[code].Nodes[1].attr("fill") }
	if fill("01") != Ramp[len(Ramp)-1] {
		t.Errorf("the maximum is %s, not the darkest class", fill("01"))
	}
	if fill("79") != Zero {
		t.Errorf("zero is %s", fill("79"))
	}
	if fill("96") != "url(#m-nd)" || links["96"].attr("aria-label") != "P96: không có số liệu" {
		t.Errorf("no data: %s %q", fill("96"), links["96"].attr("aria-label"))
	}
	if l := links["01"]; l.attr("href") != "/programs/X/progress?province=01&gen=2025" || l.attr("aria-label") != "P01: 1000" || l.Nodes[0].Text != "P01: 1000" {
		t.Errorf("Hà Nội's link: %v", l.Attrs)
	}
	s := string(svg)
	for _, want := range []string{`stroke-width="2.5"`, "QĐ. Hoàng Sa", "QĐ. Trường Sa", `aria-labelledby="m-t"`} {
		if !strings.Contains(s, want) {
			t.Errorf("map lacks %s", want)
		}
	}
	if strings.Contains(s, "style=") {
		t.Errorf("a style attribute (CSP)")
	}
	leg := string(c.LegendHTML("Số mô hình", "0", "không có số liệu", func(n int) string { return strconv.Itoa(n) + " tỉnh" }))
	for _, want := range []string{"0 (1 tỉnh)", "không có số liệu (1 tỉnh)", "28 – 1000 (6 tỉnh)"} {
		if !strings.Contains(leg, want) {
			t.Errorf("legend lacks %q: %s", want, leg)
		}
	}
}
