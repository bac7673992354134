package chart

import (
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

// node is a parsed SVG element (enough of it for the tests).
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n node) num(t *testing.T, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("%s %s=%q: %v", n.XMLName.Local, name, n.attr(name), err)
	}
	return v
}

// walk lists every element named name, in document order.
func (n node) walk(name string) []node {
	var out []node
	if n.XMLName.Local == name {
		out = append(out, n)
	}
	for _, c := range n.Nodes {
		out = append(out, c.walk(name)...)
	}
	return out
}

func (n node) title() string {
	for _, c := range n.Nodes {
		if c.XMLName.Local == "title" {
			return c.Text
		}
	}
	return ""
}

func parse(t *testing.T, svg string) node {
	t.Helper()
	var n node
	if err := xml.Unmarshal([]byte(svg), &n); err != nil {
		t.Fatalf("not well-formed SVG: %v\n%s", err, svg)
	}
	return n
}

// bars are the rects that carry a value (a tooltip), in order.
func bars(n node) []node {
	var out []node
	for _, r := range n.walk("rect") {
		if r.title() != "" {
			out = append(out, r)
		}
	}
	return out
}

func TestBarHeightsProportional(t *testing.T) {
	c := Chart{ID: "b", Kind: Bar, Title: "Funding", Desc: "By year", Labels: []string{"2021", "2022", "2023", "2024"},
		Series: []Series{{Name: "State", Values: []float64{0, 50, 100, 25}}}}
	n := parse(t, string(c.SVG()))
	bs := bars(n)
	if len(bs) != 4 {
		t.Fatalf("bars = %d, want 4 (a zero is a bar of height 0)", len(bs))
	}
	h := make([]float64, 4)
	for i, b := range bs {
		h[i] = b.num(t, "height")
	}
	// The maximum fills the plot (the scale's top tick is 100); 0 has no
	// height; 50 is half of 100, 25 a quarter.
	if h[2] != plotHeight {
		t.Errorf("max bar height = %v, want the plot's %v", h[2], plotHeight)
	}
	if h[0] != 0 {
		t.Errorf("zero bar height = %v", h[0])
	}
	if math.Abs(h[1]-h[2]/2) > 0.11 || math.Abs(h[3]-h[2]/4) > 0.11 {
		t.Errorf("heights %v not proportional to 0, 50, 100, 25", h)
	}
	// All bars stand on the same baseline.
	base := bs[2].num(t, "y") + h[2]
	for i, b := range bs {
		if got := b.num(t, "y") + h[i]; math.Abs(got-base) > 0.11 {
			t.Errorf("bar %d ends at %v, baseline %v", i, got, base)
		}
	}
	if !strings.Contains(bs[1].title(), "2022") || !strings.Contains(bs[1].title(), "50") {
		t.Errorf("tooltip %q lacks label and value", bs[1].title())
	}
}

func TestGroupedAndStacked(t *testing.T) {
	series := []Series{{Name: "National", Values: []float64{30, 60}}, {Name: "Local", Values: []float64{10, 40}}}
	g := Chart{ID: "g", Kind: Bar, Labels: []string{"2021", "2022"}, Series: series}
	bs := bars(parse(t, string(g.SVG())))
	if len(bs) != 4 {
		t.Fatalf("grouped bars = %d", len(bs))
	}
	// 60 is the maximum, the scale's top is 60 (step 20 ... no: 15?);
	// whatever the top, 30 is half of 60 and 10 a sixth.
	h := func(i int) float64 { return bs[i].num(t, "height") }
	if math.Abs(h(0)-h(2)/2) > 0.11 || math.Abs(h(1)-h(2)/6) > 0.11 || math.Abs(h(3)-h(2)*4/6) > 0.11 {
		t.Errorf("grouped heights %v %v %v %v not proportional to 30 60 10 40", h(0), h(2), h(1), h(3))
	}
	// Side by side: the two series of a label do not overlap.
	if bs[0].num(t, "x")+bs[0].num(t, "width") > bs[1].num(t, "x") {
		t.Errorf("grouped bars overlap")
	}
	if bs[0].attr("fill") == bs[1].attr("fill") {
		t.Errorf("series share a colour")
	}

	s := Chart{ID: "s", Kind: Stacked, Labels: []string{"2021", "2022"}, Series: series}
	bs = bars(parse(t, string(s.SVG())))
	if len(bs) != 4 {
		t.Fatalf("stacked segments = %d", len(bs))
	}
	// 2022: 60 + 40 = 100 is the top of the scale; 2021's 40 is 40%.
	top := bs[2].num(t, "height") + bs[3].num(t, "height")
	if math.Abs(top-plotHeight) > 0.2 {
		t.Errorf("2022 stack = %v, want %v", top, plotHeight)
	}
	first := bs[0].num(t, "height") + bs[1].num(t, "height")
	if math.Abs(first-plotHeight*0.4) > 0.2 {
		t.Errorf("2021 stack = %v, want %v", first, plotHeight*0.4)
	}
	// The second segment sits on the first.
	if math.Abs(bs[1].num(t, "y")+bs[1].num(t, "height")-bs[0].num(t, "y")) > 0.11 {
		t.Errorf("segments not piled")
	}
}

func TestMissingValuesAndEmptyChart(t *testing.T) {
	c := Chart{ID: "m", Kind: Bar, Labels: []string{"a", "b"}, Series: []Series{{Name: "x", Values: []float64{math.NaN(), 3}}}}
	if n := len(bars(parse(t, string(c.SVG())))); n != 1 {
		t.Errorf("a missing value drew a bar: %d bars", n)
	}
	for _, k := range []Kind{Bar, Stacked, Line, HBar} {
		e := Chart{ID: "e", Kind: k, Title: "Nothing"}
		n := parse(t, string(e.SVG()))
		if len(bars(n)) != 0 {
			t.Errorf("kind %d: empty chart drew bars", k)
		}
		// Everything zero: a scale 0..1, no division by zero.
		z := Chart{ID: "z", Kind: k, Labels: []string{"a"}, Series: []Series{{Name: "x", Values: []float64{0}}}}
		svg := string(z.SVG())
		if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") {
			t.Errorf("kind %d: all-zero chart has NaN: %s", k, svg)
		}
		parse(t, svg)
	}
}

func TestLineChart(t *testing.T) {
	c := Chart{ID: "l", Kind: Line, Labels: []string{"2021", "2022", "2023"},
		Series: []Series{{Name: "A", Values: []float64{0, 100, math.NaN()}}, {Name: "B", Values: []float64{50, 50, 50}}}}
	n := parse(t, string(c.SVG()))
	var lines []node
	for _, p := range n.walk("path") {
		if p.attr("fill") == "none" && p.attr("stroke-width") == "2.5" {
			lines = append(lines, p)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("lines = %d", len(lines))
	}
	// A: two points (the third is missing), rising from the baseline to
	// the top: 0 is at the bottom of the plot, 100 at its top.
	pts := strings.FieldsFunc(lines[0].attr("d"), func(r rune) bool { return r == 'M' || r == 'L' })
	if len(pts) != 2 {
		t.Fatalf("A has %d points: %q", len(pts), lines[0].attr("d"))
	}
	y := func(p string) float64 {
		f := strings.Fields(p)
		v, _ := strconv.ParseFloat(f[1], 64)
		return v
	}
	if d := y(pts[0]) - y(pts[1]); math.Abs(d-plotHeight) > 0.2 {
		t.Errorf("0 to 100 spans %v, want %v", d, plotHeight)
	}
	if lines[0].attr("stroke-dasharray") == lines[1].attr("stroke-dasharray") {
		t.Errorf("two lines share a dash pattern")
	}
}

func TestHBarWidthsProportional(t *testing.T) {
	c := Chart{ID: "h", Kind: HBar, Labels: []string{"Mô hình trình diễn kỹ thuật, chuyển giao công nghệ", "Máy móc"},
		Series: []Series{{Name: "Done", Values: []float64{340, 85}}}}
	bs := bars(parse(t, string(c.SVG())))
	if len(bs) != 2 {
		t.Fatalf("bars = %d", len(bs))
	}
	w0, w1 := bs[0].num(t, "width"), bs[1].num(t, "width")
	if math.Abs(w1-w0/4) > 0.11 {
		t.Errorf("widths %v %v not proportional to 340 85", w0, w1)
	}
	if w0 > width {
		t.Errorf("bar wider than the drawing")
	}
}

func TestTicksInLocalFormat(t *testing.T) {
	c := Chart{ID: "t", Kind: Bar, Labels: []string{"a"}, Series: []Series{{Name: "x", Values: []float64{12000}}}, Number: English}
	svg := string(c.SVG())
	if !strings.Contains(svg, ">10,000<") || strings.Contains(svg, ">10.000<") || !strings.Contains(svg, ": 12,000<") {
		t.Errorf("English ticks: %s", svg)
	}
	c.Number = Vietnamese
	svg = string(c.SVG())
	if !strings.Contains(svg, ">10.000<") || !strings.Contains(svg, ": 12.000<") {
		t.Errorf("Vietnamese ticks: %s", svg)
	}
	c.Series[0].Values[0] = 1.2
	if svg = string(c.SVG()); !strings.Contains(svg, ">0,5<") {
		t.Errorf("Vietnamese decimal ticks: %s", svg)
	}
}

func TestAccessibleNames(t *testing.T) {
	c := Chart{ID: "fund", Kind: Bar, Title: "Kinh phí <theo năm>", Desc: "Tăng & giảm", Labels: []string{"2021"}, Series: []Series{{Name: "x", Values: []float64{1}}}}
	n := parse(t, string(c.SVG()))
	if n.attr("role") != "img" || n.attr("aria-labelledby") != "fund-t fund-d" {
		t.Errorf("svg role/labels: %v", n.Attrs)
	}
	ids := map[string]string{}
	for _, e := range append(n.walk("title"), n.walk("desc")...) {
		if id := e.attr("id"); id != "" {
			ids[id] = e.Text
		}
	}
	if ids["fund-t"] != "Kinh phí <theo năm>" || ids["fund-d"] != "Tăng & giảm" {
		t.Errorf("title/desc: %v", ids)
	}
	if n.attr("viewBox") == "" || strings.Contains(string(c.SVG()), "style=") {
		t.Errorf("needs a viewBox and no style attribute (CSP)")
	}
}

// luminance is WCAG's relative luminance of #rrggbb.
func luminance(hex string) float64 {
	ch := func(i int) float64 {
		v, _ := strconv.ParseUint(hex[i:i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(1) + 0.7152*ch(3) + 0.0722*ch(5)
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestPaletteContrast(t *testing.T) {
	for _, c := range Palette {
		if r := contrast(c, "#ffffff"); r < 3 {
			t.Errorf("%s on white: %.2f < 3", c, r)
		}
	}
	for _, c := range []string{inkColour, mutedInk} {
		if r := contrast(c, "#ffffff"); r < 4.5 {
			t.Errorf("text %s on white: %.2f < 4.5", c, r)
		}
	}
}

func TestTable(t *testing.T) {
	c := Chart{ID: "f", Kind: Stacked, Labels: []string{"2021", "2022"}, Number: English,
		Series: []Series{{Name: "National", Values: []float64{1500, 0}}, {Name: "Local <x>", Values: []float64{250, math.NaN()}}}}
	html := string(c.Table(Table{Caption: "Funding", LabelHeader: "Year", Total: "Total",
		Href: func(s, i int) string { return "/projects?year=" + c.Labels[i] + "&s=" + strconv.Itoa(s) }}))
	for _, want := range []string{"<caption>Funding</caption>", `<th scope="col" class="num">Local &lt;x&gt;</th>`,
		`<a href="/projects?year=2021&amp;s=0">1,500</a>`, `data-label="Total">1,750</td>`, `>–</a>`, `<th scope="row">2022</th>`} {
		if !strings.Contains(html, want) {
			t.Errorf("table lacks %s:\n%s", want, html)
		}
	}
	parse(t, html)
}

func TestNumberFormat(t *testing.T) {
	for _, c := range []struct {
		n    Number
		v    float64
		d    int
		want string
	}{
		{Vietnamese, 1234567.891, 2, "1.234.567,89"},
		{English, 1234567.891, 0, "1,234,568"},
		{Vietnamese, -1500, 0, "−1.500"},
		{Vietnamese, -0.001, 1, "0,0"},
		{English, 999.95, 1, "1,000.0"},
		{English, 0, 0, "0"},
		{English, math.NaN(), 0, "–"},
	} {
		if got := c.n.Format(c.v, c.d); got != c.want {
			t.Errorf("Format(%v, %d) = %q, want %q", c.v, c.d, got, c.want)
		}
	}
}

func TestNiceScale(t *testing.T) {
	for _, c := range []struct {
		lo, hi   float64
		ticks    []float64
		decimals int
	}{
		{0, 100, []float64{0, 25, 50, 75, 100}, 0},
		{0, 7, []float64{0, 2, 4, 6, 8}, 0},
		{0, 0, []float64{0, 0.25, 0.5, 0.75, 1}, 2},
		{0, 1.2, []float64{0, 0.5, 1, 1.5}, 1}, // 1.2/4 = 0.3 -> 0.5
		{-30, 70, []float64{-50, -25, 0, 25, 50, 75}, 0},
		{0, 1.6e12, []float64{0, 5e11, 1e12, 1.5e12, 2e12}, 0},
		{5, 5, []float64{0, 2, 4, 6}, 0}, // a flat range starts at 0
	} {
		ticks, step := niceScale(c.lo, c.hi, 5)
		if fmt.Sprint(ticks) != fmt.Sprint(c.ticks) {
			t.Errorf("niceScale(%v, %v) = %v, want %v", c.lo, c.hi, ticks, c.ticks)
		}
		if d := decimalsFor(step); d != c.decimals {
			t.Errorf("decimals for step %v = %d, want %d", step, d, c.decimals)
		}
	}
}
