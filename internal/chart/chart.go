// Package chart draws bar, grouped bar, stacked bar and line charts as SVG
// on the server, with the standard library only, and the table that
// carries the same figures.
//
// The pages of nipp run under a strict Content-Security-Policy (no inline
// script, no style attribute, no <style> element), so a chart is drawn with
// SVG presentation attributes (fill, stroke) only, and needs no script to be
// read or printed. Every chart is an image for screen readers
// (role="img" with <title> and <desc>) and is shown beside its table:
// without script, on a phone or in a screen reader, the table is the page.
// The drawing scales to its container (viewBox, width 100%); texts are
// sized to stay legible at 390 px wide, long labels are shortened in the
// drawing (never in the table) and crowded ones thinned out.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"unicode/utf8"
)

// Kind is the shape of a chart.
type Kind int

const (
	// Bar draws vertical bars from zero, one per label and series; several
	// series stand side by side (a grouped bar chart).
	Bar Kind = iota
	// Stacked draws vertical bars whose series are piled on one another,
	// the bar's height being their total. Negative values are not drawn.
	Stacked
	// Line draws one line per series through the labels, with a marker
	// on each value (a different marker and dash per series, so the lines
	// stay apart in print).
	Line
	// HBar draws horizontal bars, one row per label with the label written
	// above its bar(s) and each value at the bar's end: for long labels
	// (indicators, provinces) and narrow screens.
	HBar
)

// Series is one named row of values, one per label of the chart; NaN is
// "no value" (no bar, a gap in a line).
type Series struct {
	Name   string
	Values []float64
}

// Chart is a chart's data and words. Title names it (shown by the page and
// read by screen readers); Desc says in a sentence what it shows.
type Chart struct {
	// ID is distinct on the page: the ids of the title and description
	// start with it.
	ID     string
	Kind   Kind
	Title  string
	Desc   string
	Labels []string
	Series []Series
	// Unit is the values' unit, written above the value axis ("tỷ ₫").
	Unit string
	// Number formats ticks and values (Vietnamese by default).
	Number Number
	// Decimals of the values written in the drawing and the table; ticks
	// take as many as their step needs.
	Decimals int
}

// The drawing's geometry, in viewBox units. Width 480 keeps a 14-unit font
// at about 10 px on a 390 px phone (350 px of drawing) and at 18 px on a
// desktop, where nipp.css keeps a chart at most 640 px wide.
const (
	width      = 480.0
	plotHeight = 240.0
	fontSize   = 14.0
	charWidth  = 0.56 * fontSize // a rough average advance of a character
	legendRow  = 22.0
	hbarHeight = 16.0
	hbarGap    = 4.0
	maxBar     = 48.0 // the widest a vertical bar gets
	inkColour  = "#1b1f24"
	mutedInk   = "#4b535d"
	gridColour = "#d5dae0"
)

// Palette are the series colours, in order. Each has a contrast of at
// least 3:1 against white (WCAG 1.4.11, checked by a test) and they differ
// in hue and lightness.
var Palette = []string{"#0b5cad", "#c2540a", "#1f7a4d", "#7b3fa0", "#a1261b", "#5b636e", "#00727a", "#8a6d00"}

// Colour is the colour of series i.
func Colour(i int) string { return Palette[i%len(Palette)] }

// dashes are the lines' dash patterns, per series.
var dashes = []string{"", "7 4", "2 3", "10 3 2 3"}

// value is series s's value at label i, NaN when missing.
func (c *Chart) value(s, i int) float64 {
	if s >= len(c.Series) || i >= len(c.Series[s].Values) {
		return math.NaN()
	}
	return c.Series[s].Values[i]
}

// Format writes a value as the chart does (its Number and Decimals).
func (c *Chart) Format(v float64) string { return c.Number.orDefault().Format(v, c.Decimals) }

func (n Number) orDefault() Number {
	if n.Group == "" && n.Decimal == "" {
		return Vietnamese
	}
	return n
}

// extent is the range the value axis must show: from the least value (or
// 0) to the greatest (or 0); for stacked bars the greatest total.
func (c *Chart) extent() (lo, hi float64) {
	for i := range c.Labels {
		total := 0.0
		for s := range c.Series {
			v := c.value(s, i)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			if c.Kind == Stacked {
				if v > 0 {
					total += v
				}
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		hi = math.Max(hi, total)
	}
	return lo, hi
}

// textWidth is the estimated width of s at the chart's font size.
func textWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) * charWidth }

// shorten cuts s to fit w units, ending it with "…".
func shorten(s string, w float64) string {
	if textWidth(s) <= w {
		return s
	}
	n := int(w/charWidth) - 1
	if n < 1 {
		n = 1
	}
	r := []rune(s)
	if n > len(r) {
		n = len(r)
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}

// esc escapes text for an SVG text node or attribute.
func esc(s string) string { return html.EscapeString(s) }

// num writes a coordinate with at most one decimal.
func num(v float64) string {
	v = math.Round(v*10) / 10
	if v == math.Trunc(v) {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.1f", v)
}

// SVG draws the chart. An empty chart (no labels or no series) draws its
// frame and title only.
func (c *Chart) SVG() template.HTML {
	var body strings.Builder
	var h float64
	if c.Kind == HBar {
		h = c.drawHBars(&body)
	} else {
		h = c.drawVertical(&body)
	}
	var b strings.Builder
	id := c.ID
	if id == "" {
		id = "chart"
	}
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %s %s" role="img" aria-labelledby="%s-t %s-d" font-family="system-ui, sans-serif" font-size="%s" xmlns="http://www.w3.org/2000/svg">`,
		num(width), num(h), esc(id), esc(id), num(fontSize))
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, esc(id), esc(c.Title), esc(id), esc(c.Desc))
	b.WriteString(body.String())
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// legend writes the series' names with their swatches from y, wrapping
// lines, and returns the height it took (none for a single series).
func (c *Chart) legend(b *strings.Builder, y float64) float64 {
	if len(c.Series) < 2 {
		return 0
	}
	x, rows := 0.0, 1
	for s, ser := range c.Series {
		name := shorten(ser.Name, width-24)
		w := 18 + textWidth(name) + 16
		if x > 0 && x+w > width {
			x, rows = 0, rows+1
		}
		ty := y + float64(rows-1)*legendRow
		if c.Kind == Line {
			fmt.Fprintf(b, `<path d="M%s %sh14" stroke="%s" stroke-width="3"%s fill="none"/>`, num(x), num(ty+8), Colour(s), dashAttr(s))
			b.WriteString(marker(s, x+7, ty+8))
		} else {
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="14" height="14" fill="%s"/>`, num(x), num(ty+1), Colour(s))
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" fill="%s">%s</text>`, num(x+18), num(ty+13), inkColour, esc(name))
		x += w
	}
	return float64(rows)*legendRow + 4
}

func dashAttr(s int) string {
	if d := dashes[s%len(dashes)]; d != "" {
		return ` stroke-dasharray="` + d + `"`
	}
	return ""
}

// marker draws series s's marker centred on (x, y): circle, square,
// diamond, triangle.
func marker(s int, x, y float64) string {
	col := Colour(s)
	switch s % 4 {
	case 1:
		return fmt.Sprintf(`<rect x="%s" y="%s" width="7" height="7" fill="%s"/>`, num(x-3.5), num(y-3.5), col)
	case 2:
		return fmt.Sprintf(`<path d="M%s %sl4.5 4.5l-4.5 4.5l-4.5-4.5z" fill="%s"/>`, num(x), num(y-4.5), col)
	case 3:
		return fmt.Sprintf(`<path d="M%s %sl4.5 8h-9z" fill="%s"/>`, num(x), num(y-4.5), col)
	}
	return fmt.Sprintf(`<circle cx="%s" cy="%s" r="4" fill="%s"/>`, num(x), num(y), col)
}

// drawVertical draws a Bar, Stacked or Line chart and returns its height.
func (c *Chart) drawVertical(b *strings.Builder) float64 {
	top := c.legend(b, 0)
	nf := c.Number.orDefault()
	lo, hi := c.extent()
	ticks, step := niceScale(lo, hi, 5)
	dec := decimalsFor(step)
	tickText := make([]string, len(ticks))
	left := 0.0
	for i, t := range ticks {
		tickText[i] = nf.Format(t, dec)
		left = math.Max(left, textWidth(tickText[i]))
	}
	left += 10
	if c.Unit != "" {
		fmt.Fprintf(b, `<text x="0" y="%s" fill="%s">%s</text>`, num(top+14), mutedInk, esc(c.Unit))
		top += 22
	}
	top += 8 // room for the top tick's text
	plotW := width - left - 4
	y0, y1 := ticks[0], ticks[len(ticks)-1]
	ys := func(v float64) float64 { return top + plotHeight*(y1-v)/(y1-y0) }
	// Grid and ticks.
	for i, t := range ticks {
		y := ys(t)
		col := gridColour
		if t == 0 {
			col = mutedInk
		}
		fmt.Fprintf(b, `<path d="M%s %sH%s" stroke="%s"/>`, num(left), num(y), num(width-4), col)
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`, num(left-6), num(y+5), mutedInk, esc(tickText[i]))
	}
	n := len(c.Labels)
	if n == 0 || len(c.Series) == 0 {
		return top + plotHeight + 30
	}
	band := plotW / float64(n)
	switch c.Kind {
	case Line:
		c.drawLines(b, left, band, ys)
	case Stacked:
		c.drawStacks(b, left, band, ys)
	default:
		c.drawBars(b, left, band, ys)
	}
	// Labels under the axis: every k-th when they would overlap,
	// shortened to the room they have.
	widest := 0.0
	for _, l := range c.Labels {
		widest = math.Max(widest, textWidth(l))
	}
	k := 1
	for k < n && widest+6 > band*float64(k) && float64(k)*band < 90 {
		k++
	}
	base := top + plotHeight
	for i := 0; i < n; i += k {
		x := left + band*(float64(i)+0.5)
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(x), num(base+20), inkColour, esc(shorten(c.Labels[i], band*float64(k)-4)))
	}
	return base + 30
}

// tip is a figure's tooltip: label, series (when several) and value.
func (c *Chart) tip(s, i int) string {
	t := c.Labels[i]
	if len(c.Series) > 1 {
		t += " · " + c.Series[s].Name
	}
	return t + ": " + c.Format(c.value(s, i))
}

func (c *Chart) drawBars(b *strings.Builder, left, band float64, ys func(float64) float64) {
	ns := float64(len(c.Series))
	bw := math.Min(band*0.8/ns, maxBar)
	pad := (band - bw*ns) / 2
	for i := range c.Labels {
		for s := range c.Series {
			v := c.value(s, i)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			x := left + band*float64(i) + pad + bw*float64(s)
			y, y0 := ys(math.Max(v, 0)), ys(math.Min(v, 0))
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
				num(x), num(y), num(math.Max(bw-1, 1)), num(y0-y), Colour(s), esc(c.tip(s, i)))
		}
	}
}

func (c *Chart) drawStacks(b *strings.Builder, left, band float64, ys func(float64) float64) {
	bw := math.Min(band*0.7, maxBar*1.5)
	for i := range c.Labels {
		x := left + band*float64(i) + (band-bw)/2
		acc := 0.0
		for s := range c.Series {
			v := c.value(s, i)
			if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
				continue
			}
			y, y0 := ys(acc+v), ys(acc)
			// A white edge between segments keeps neighbouring colours apart.
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#fff" stroke-width="1"><title>%s</title></rect>`,
				num(x), num(y), num(bw), num(y0-y), Colour(s), esc(c.tip(s, i)))
			acc += v
		}
	}
}

func (c *Chart) drawLines(b *strings.Builder, left, band float64, ys func(float64) float64) {
	for s := range c.Series {
		var d strings.Builder
		pen := false
		for i := range c.Labels {
			v := c.value(s, i)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				pen = false
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%s %s", cmd, num(left+band*(float64(i)+0.5)), num(ys(v)))
			pen = true
		}
		if d.Len() > 0 {
			fmt.Fprintf(b, `<path d="%s" fill="none" stroke="%s" stroke-width="2.5"%s/>`, d.String(), Colour(s), dashAttr(s))
		}
		for i := range c.Labels {
			v := c.value(s, i)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			m := marker(s, left+band*(float64(i)+0.5), ys(v))
			// The marker carries the tooltip.
			fmt.Fprintf(b, `<g>%s<title>%s</title></g>`, m, esc(c.tip(s, i)))
		}
	}
}

// drawHBars draws one row per label: the label, then a bar per series
// with its value at the end. Returns the height.
func (c *Chart) drawHBars(b *strings.Builder) float64 {
	y := c.legend(b, 0)
	if c.Unit != "" {
		fmt.Fprintf(b, `<text x="0" y="%s" fill="%s">%s</text>`, num(y+14), mutedInk, esc(c.Unit))
		y += 22
	}
	_, hi := c.extent()
	// Room for the widest value written after its bar.
	room := 0.0
	for s := range c.Series {
		for i := range c.Labels {
			if v := c.value(s, i); !math.IsNaN(v) {
				room = math.Max(room, textWidth(c.Format(v)))
			}
		}
	}
	barMax := width - room - 12
	if hi <= 0 {
		hi = 1
	}
	for i, label := range c.Labels {
		fmt.Fprintf(b, `<text x="0" y="%s" fill="%s">%s</text>`, num(y+14), inkColour, esc(shorten(label, width)))
		y += 20
		for s := range c.Series {
			v := c.value(s, i)
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				w := barMax * math.Max(v, 0) / hi
				fmt.Fprintf(b, `<rect x="0" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
					num(y), num(w), num(hbarHeight), Colour(s), esc(c.tip(s, i)))
				fmt.Fprintf(b, `<text x="%s" y="%s" fill="%s">%s</text>`, num(w+6), num(y+hbarHeight-3), inkColour, esc(c.Format(v)))
			}
			y += hbarHeight + hbarGap
		}
		y += 8
	}
	return y
}
