package geo

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"sort"
	"strings"
)

// Choropleth is a map of the provinces of one generation coloured by a
// figure, each province a link.
type Choropleth struct {
	// ID is distinct on the page (ids of the title, description and the
	// no-data pattern start with it).
	ID    string
	Title string
	Desc  string
	Gen   int
	// Values by province code of Gen; a province without a value is "no
	// data" (hatched), which is not the same as 0.
	Values map[string]float64
	// Format writes a value (local number format).
	Format func(float64) string
	// Name gives a province's name as the page shows it (by language);
	// default: the outline's Vietnamese name.
	Name func(code string) string
	// Href links a province (its drill-down); "" for no link.
	Href func(code string) string
	// Selected is a province drawn with a heavy outline (the province
	// dashboard's own).
	Selected string
	// NoData names the no-data class in titles ("no data").
	NoData string
	// Archipelagos labels the symbols of Hoàng Sa and Trường Sa, which the
	// outlines leave out (two labels; empty: no label).
	Archipelagos [2]string
	// Classes: how many classes of positive values at most (default 5).
	Classes int
}

// Ramp is the choropleth's colour ramp for positive values, light to dark
// (ColorBrewer Blues); Zero colours provinces whose value is 0.
var (
	Ramp       = []string{"#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"}
	Zero       = "#ffffff"
	NoDataInk  = "#8a939e"
	borderInk  = "#5b636e"
	islandInk  = "#5b636e"
	selectInk  = "#1b1f24"
	labelInk   = "#1b1f24"
	labelSize  = 32.0
	borderPx   = "0.7"
	selectPx   = "2.5"
	islandDots = [2][][2]float64{
		// Hoàng Sa (Paracel Islands)
		{{111.2, 15.78}, {111.6, 16.45}, {112.25, 16.55}, {112.34, 16.98}, {112.73, 16.1}, {111.74, 16.05}},
		// Trường Sa (Spratly Islands)
		{{114.28, 11.43}, {114.36, 10.38}, {114.05, 10.9}, {115.0, 10.0}, {113.9, 8.86}, {111.92, 8.65}, {112.9, 9.9}, {115.8, 10.7}},
	}
)

// Class is one class of the legend: the values from Lo to Hi (the least
// and greatest of its provinces), its colour and how many provinces.
type Class struct {
	Lo, Hi float64
	Colour string
	Count  int
	// Zero marks the class of provinces whose value is 0; NoData the
	// provinces without a value.
	Zero, NoData bool
}

// Breaks puts the values into classes: the zeros apart, then the positive
// values by quantiles (as many provinces in each class as ties allow, at
// most n classes), each class labelled by its least and greatest value.
// Negative values fall in the first class.
func Breaks(values map[string]float64, n int) []Class {
	if n <= 0 {
		n = len(Ramp)
	}
	if n > len(Ramp) {
		n = len(Ramp)
	}
	var pos []float64
	zeros := 0
	for _, v := range values {
		if v == 0 {
			zeros++
		} else {
			pos = append(pos, v)
		}
	}
	sort.Float64s(pos)
	var out []Class
	if zeros > 0 {
		out = append(out, Class{Colour: Zero, Count: zeros, Zero: true})
	}
	// Upper bounds at the quantiles, ties kept together.
	var upper []float64
	for j := 1; j <= n && len(pos) > 0; j++ {
		i := int(math.Ceil(float64(j)*float64(len(pos))/float64(n))) - 1
		if b := pos[i]; len(upper) == 0 || b > upper[len(upper)-1] {
			upper = append(upper, b)
		}
	}
	k := len(upper)
	start := 0
	for j, hi := range upper {
		end := start
		for end < len(pos) && pos[end] <= hi {
			end++
		}
		col := Ramp[len(Ramp)-1]
		if k > 1 {
			col = Ramp[int(math.Round(float64(j)*float64(len(Ramp)-1)/float64(k-1)))]
		}
		out = append(out, Class{Lo: pos[start], Hi: pos[end-1], Colour: col, Count: end - start})
		start = end
	}
	return out
}

// classOf is the class a value falls in.
func classOf(classes []Class, v float64) Class {
	for _, c := range classes {
		if c.NoData {
			continue
		}
		if c.Zero {
			if v == 0 {
				return c
			}
			continue
		}
		if v <= c.Hi {
			return c
		}
	}
	if len(classes) > 0 {
		return classes[len(classes)-1]
	}
	return Class{Colour: Zero}
}

// Legend is the map's classes, with a no-data class when a province has no
// value.
func (c *Choropleth) Legend() []Class {
	cl := Breaks(c.Values, c.Classes)
	m, err := Provinces(c.Gen)
	if err != nil {
		return cl
	}
	missing := 0
	for _, s := range m.Shapes {
		if _, ok := c.Values[s.Code]; !ok {
			missing++
		}
	}
	if missing > 0 {
		cl = append(cl, Class{NoData: true, Count: missing, Colour: NoDataInk})
	}
	return cl
}

func esc(s string) string { return html.EscapeString(s) }

// SVG draws the map: every province of the generation, filled by its
// class, a link when Href gives one, its name and value in its <title>.
func (c *Choropleth) SVG() (template.HTML, error) {
	m, err := Provinces(c.Gen)
	if err != nil {
		return "", err
	}
	classes := c.Legend()
	id := c.ID
	if id == "" {
		id = "map"
	}
	format := c.Format
	if format == nil {
		format = func(v float64) string { return fmt.Sprint(v) }
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="map" viewBox="0 0 %d %d" role="group" aria-labelledby="%s-t" aria-describedby="%s-d" font-family="system-ui, sans-serif" xmlns="http://www.w3.org/2000/svg">`,
		m.Width, m.Height, esc(id), esc(id))
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, esc(id), esc(c.Title), esc(id), esc(c.Desc))
	fmt.Fprintf(&b, `<defs><pattern id="%s-nd" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff"/><path d="M0 0V8" stroke="%s" stroke-width="3"/></pattern></defs>`, esc(id), NoDataInk)
	fmt.Fprintf(&b, `<g stroke="%s" stroke-linejoin="round">`, borderInk)
	var selected *Shape
	for i := range m.Shapes {
		s := &m.Shapes[i]
		if s.Code == c.Selected {
			selected = s
		}
		name := s.NameVI
		if c.Name != nil {
			name = c.Name(s.Code)
		}
		fill, label := "url(#"+esc(id)+"-nd)", name+": "+c.NoData
		if v, ok := c.Values[s.Code]; ok {
			fill, label = classOf(classes, v).Colour, name+": "+format(v)
		}
		href := ""
		if c.Href != nil {
			href = c.Href(s.Code)
		}
		path := fmt.Sprintf(`<path d="%s" fill="%s" stroke-width="%s" vector-effect="non-scaling-stroke"/>`, s.Path, fill, borderPx)
		if href != "" {
			fmt.Fprintf(&b, `<a href="%s" aria-label="%s" data-code="%s"><title>%s</title>%s</a>`, esc(href), esc(label), esc(s.Code), esc(label), path)
		} else {
			fmt.Fprintf(&b, `<g data-code="%s"><title>%s</title>%s</g>`, esc(s.Code), esc(label), path)
		}
	}
	b.WriteString(`</g>`)
	if selected != nil {
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="%s" vector-effect="non-scaling-stroke" pointer-events="none"/>`, selected.Path, selectInk, selectPx)
	}
	c.archipelagos(&b)
	b.WriteString(`</svg>`)
	return template.HTML(b.String()), nil
}

// archipelagos marks Hoàng Sa and Trường Sa by dots at their islands'
// places, with their labels.
func (c *Choropleth) archipelagos(b *strings.Builder) {
	for i, dots := range islandDots {
		fmt.Fprintf(b, `<g fill="%s">`, islandInk)
		minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, d := range dots {
			x, y := Project(d[0], d[1])
			fmt.Fprintf(b, `<circle cx="%d" cy="%d" r="4"/>`, int(x), int(y))
			minX, maxX, minY, maxY = math.Min(minX, x), math.Max(maxX, x), math.Min(minY, y), math.Max(maxY, y)
		}
		b.WriteString(`</g>`)
		if label := c.Archipelagos[i]; label != "" {
			// Centred on the islands, above Hoàng Sa and below Trường Sa,
			// kept inside the drawing.
			w, _ := Size()
			half := float64(len([]rune(label))) * labelSize * 0.28
			x := math.Min(math.Max((minX+maxX)/2, half+4), float64(w)-half-4)
			y := minY - 16
			if i == 1 {
				y = maxY + labelSize + 12
			}
			fmt.Fprintf(b, `<text x="%d" y="%d" font-size="%d" text-anchor="middle" fill="%s">%s</text>`, int(x), int(y), int(labelSize), labelInk, esc(label))
		}
	}
}

// LegendHTML writes the legend as a list (text scales with the page,
// unlike text in the drawing): a swatch and the range of each class, with
// count(n) after it (e.g. "8 provinces"; nil: no count). zero and noData
// name those classes.
func (c *Choropleth) LegendHTML(heading, zero, noData string, count func(int) string) template.HTML {
	format := c.Format
	if format == nil {
		format = func(v float64) string { return fmt.Sprint(v) }
	}
	id := c.ID
	if id == "" {
		id = "map"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="map-legend"><p id="%s-legend">%s</p><ul aria-labelledby="%s-legend">`, esc(id), esc(heading), esc(id))
	for _, cl := range c.Legend() {
		fill := cl.Colour
		text := format(cl.Lo)
		switch {
		case cl.NoData:
			fill, text = "url(#"+esc(id)+"-nd)", noData
		case cl.Zero:
			text = zero
		case cl.Hi != cl.Lo:
			text += " – " + format(cl.Hi)
		}
		if count != nil {
			text += " (" + count(cl.Count) + ")"
		}
		fmt.Fprintf(&b, `<li><svg width="18" height="14" viewBox="0 0 18 14" aria-hidden="true"><rect x="0.5" y="0.5" width="17" height="13" fill="%s" stroke="%s"/></svg> %s</li>`, fill, borderInk, esc(text))
	}
	b.WriteString(`</ul></div>`)
	return template.HTML(b.String())
}
