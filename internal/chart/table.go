package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Table says how a chart's table is written. The table holds every figure
// of the drawing (rows: the labels; columns: the series) and is what a
// reader without script, a screen reader or a printer gets in full.
type Table struct {
	Caption string
	// LabelHeader heads the column of labels.
	LabelHeader string
	// Cell writes a figure (default: the chart's format of the value, "–"
	// for no value); Href links it ("" for no link), e.g. to the list of
	// projects behind it.
	Cell func(series, label int) string
	Href func(series, label int) string
	// LabelHref links a row's label ("" for none).
	LabelHref func(label int) string
	// Total heads a last column with each row's sum (stacked bars); empty:
	// no such column. TotalCell writes it (default: the chart's format).
	Total     string
	TotalCell func(label int) string
	TotalHref func(label int) string
	// Class is added to the table's class "data".
	Class string
}

// Table writes the chart's figures as an HTML table (class "data", cells
// carrying their column's name in data-label for narrow screens).
func (c *Chart) Table(t Table) template.HTML {
	var b strings.Builder
	class := "data chart-table"
	if t.Class != "" {
		class += " " + t.Class
	}
	fmt.Fprintf(&b, `<table class="%s">`, esc(class))
	if t.Caption != "" {
		fmt.Fprintf(&b, `<caption>%s</caption>`, esc(t.Caption))
	}
	fmt.Fprintf(&b, `<thead><tr><th scope="col">%s</th>`, esc(t.LabelHeader))
	for _, s := range c.Series {
		fmt.Fprintf(&b, `<th scope="col" class="num">%s</th>`, esc(s.Name))
	}
	if t.Total != "" {
		fmt.Fprintf(&b, `<th scope="col" class="num">%s</th>`, esc(t.Total))
	}
	b.WriteString(`</tr></thead><tbody>`)
	for i, label := range c.Labels {
		b.WriteString(`<tr><th scope="row">`)
		writeLink(&b, label, hrefOf(t.LabelHref, i))
		b.WriteString(`</th>`)
		for s, ser := range c.Series {
			text := ""
			if t.Cell != nil {
				text = t.Cell(s, i)
			} else {
				text = c.Format(c.value(s, i))
			}
			fmt.Fprintf(&b, `<td class="num" data-label="%s">`, esc(ser.Name))
			href := ""
			if t.Href != nil {
				href = t.Href(s, i)
			}
			writeLink(&b, text, href)
			b.WriteString(`</td>`)
		}
		if t.Total != "" {
			text := ""
			if t.TotalCell != nil {
				text = t.TotalCell(i)
			} else {
				sum := 0.0
				for s := range c.Series {
					if v := c.value(s, i); !math.IsNaN(v) && !math.IsInf(v, 0) {
						sum += v
					}
				}
				text = c.Format(sum)
			}
			fmt.Fprintf(&b, `<td class="num" data-label="%s">`, esc(t.Total))
			writeLink(&b, text, hrefOf(t.TotalHref, i))
			b.WriteString(`</td>`)
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table>`)
	return template.HTML(b.String())
}

func hrefOf(f func(int) string, i int) string {
	if f == nil {
		return ""
	}
	return f(i)
}

func writeLink(b *strings.Builder, text, href string) {
	if href == "" {
		b.WriteString(esc(text))
		return
	}
	fmt.Fprintf(b, `<a href="%s">%s</a>`, esc(href), esc(text))
}

// Figure writes the chart and its table in one <figure>: the drawing, then
// the table with every figure.
func (c *Chart) Figure(t Table) template.HTML {
	id := c.ID
	if id == "" {
		id = "chart"
	}
	return template.HTML(fmt.Sprintf(`<figure class="chart" id="%s">`, esc(id)) + string(c.SVG()) + string(c.Table(t)) + `</figure>`)
}
