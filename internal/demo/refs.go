package demo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"nipp/internal/store"
)

// province is a provincial unit of either generation.
type province struct {
	id     int64
	code   string
	gen    int
	name   string // "Hà Nội"
	typ    string // "city" or "province"
	region string // region code; for generation 2025 the centre's region

	successor *province   // generation 2008: the 2025 unit it went into
	parts     []*province // generation 2025: the 2008 units it was formed from
	center    int64       // its industry promotion centre, 0 if none
	weight    float64     // generation 2008: establishment density

	rural []*commune // xã
	urban []*commune // phường, thị trấn, đặc khu
}

// fullName is the name with its unit word, as written in an address:
// "tỉnh Vĩnh Phúc", "thành phố Hà Nội".
func (p *province) fullName() string {
	if p.typ == "city" {
		return "thành phố " + p.name
	}
	return "tỉnh " + p.name
}

// commune is a commune-level unit of either generation.
type commune struct {
	id   int64
	code string
	name string // "Xã Phú Vinh"
	prov *province
	succ *commune // generation 2008: its 2025 successor
}

// short is the name without its unit word ("Phú Vinh"), or the province
// name when that leaves only a number ("Phường 12").
func (c *commune) short() string {
	s := c.name
	for _, p := range []string{"Thị trấn ", "Đặc khu ", "Phường ", "Xã "} {
		if strings.HasPrefix(s, p) {
			s = s[len(p):]
			break
		}
	}
	if r, _ := utf8.DecodeRuneInString(s); s == "" || unicode.IsDigit(r) {
		return c.prov.name
	}
	return s
}

type activityType struct {
	code   string
	nameVI string
	weight float64
}

type program struct {
	id         int64
	code       string
	start, end int
}

// refs is the reference data a load draws on, read from the database (so
// every id is the database's own) and ordered by code, never by id, so the
// same seed gives the same data on either engine.
type refs struct {
	old      []*province // generation 2008 provinces with a successor, by code
	cur      []*province // generation 2025 provinces, by code
	activity []activityType
	outputOf map[string]string // activity type code -> indicator code
	programs []program
}

func loadRefs(ctx context.Context, db *store.DB) (*refs, error) {
	r := &refs{outputOf: map[string]string{}}
	err := db.ReadTx(ctx, func(tx *store.Tx) error {
		provs, all, err := readProvinces(ctx, tx)
		if err != nil {
			return err
		}
		communes, list, err := readCommunes(ctx, tx, provs)
		if err != nil {
			return err
		}
		succs, err := readSuccessors(ctx, tx)
		if err != nil {
			return err
		}
		r.linkUnits(provs, all, communes, list, succs)
		for _, read := range []func(context.Context, *store.Tx, map[int64]*province) error{
			readCenters, r.readActivities, r.readIndicators, r.readPrograms,
		} {
			if err := read(ctx, tx, provs); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo: reading reference data: %w", err)
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	return r, nil
}

// eachRow runs q and calls fn with each row's scanner.
func eachRow(ctx context.Context, tx *store.Tx, q string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// readProvinces reads the provinces of both generations, by id and in
// generation and code order.
func readProvinces(ctx context.Context, tx *store.Tx) (map[int64]*province, []*province, error) {
	provs := map[int64]*province{}
	var all []*province
	err := eachRow(ctx, tx, `SELECT id, code, generation, name_vi, unit_type, COALESCE(region_code, '')
		FROM admin_units WHERE level = 'province' AND generation IN ($1, $2) ORDER BY generation, code`, []any{store.Gen2008, store.Gen2025},
		func(scan func(...any) error) error {
			p := &province{}
			if err := scan(&p.id, &p.code, &p.gen, &p.name, &p.typ, &p.region); err != nil {
				return err
			}
			provs[p.id] = p
			all = append(all, p)
			return nil
		})
	return provs, all, err
}

// unitOf is a commune with its unit type ("commune" is rural).
type unitOf struct {
	c   *commune
	typ string
}

// readCommunes reads the communes of both generations whose province is
// known, by id and in order.
func readCommunes(ctx context.Context, tx *store.Tx, provs map[int64]*province) (map[int64]*commune, []unitOf, error) {
	communes := map[int64]*commune{}
	var list []unitOf
	err := eachRow(ctx, tx, `SELECT id, code, name_vi, unit_type, parent_id FROM admin_units
		WHERE level = 'commune' AND generation IN ($1, $2) AND parent_id IS NOT NULL ORDER BY generation, code`, []any{store.Gen2008, store.Gen2025},
		func(scan func(...any) error) error {
			c := &commune{}
			var typ string
			var parent int64
			if err := scan(&c.id, &c.code, &c.name, &typ, &parent); err != nil {
				return err
			}
			if c.prov = provs[parent]; c.prov == nil {
				return nil
			}
			communes[c.id] = c
			list = append(list, unitOf{c, typ})
			return nil
		})
	return communes, list, err
}

// successor is one of an old unit's successors in the 2025 generation.
type successor struct {
	to   int64
	code string
	full bool
}

// readSuccessors reads every old unit's successors.
func readSuccessors(ctx context.Context, tx *store.Tx) (map[int64][]successor, error) {
	succs := map[int64][]successor{}
	err := eachRow(ctx, tx, `SELECT s.old_id, s.new_id, s.share, n.code FROM admin_unit_successors s
		JOIN admin_units n ON n.id = s.new_id WHERE n.generation = $1`, []any{store.Gen2025},
		func(scan func(...any) error) error {
			var old int64
			var s successor
			var share string
			if err := scan(&old, &s.to, &share, &s.code); err != nil {
				return err
			}
			s.full = share == "full"
			succs[old] = append(succs[old], s)
			return nil
		})
	return succs, err
}

// linkUnits ties each old province and commune to its successor and sorts
// communes into rural and urban. Successors: a province goes wholly into
// one new province; an old commune into one or several new communes. Take
// the first full successor, else the first partial one, in code order.
func (r *refs) linkUnits(provs map[int64]*province, all []*province, communes map[int64]*commune, list []unitOf, succs map[int64][]successor) {
	first := func(id int64) int64 {
		ss := succs[id]
		if len(ss) == 0 {
			return 0
		}
		best := slices.MinFunc(ss, func(a, b successor) int {
			if a.full != b.full {
				if a.full {
					return -1
				}
				return 1
			}
			return cmp.Compare(a.code, b.code)
		})
		return best.to
	}
	for _, p := range all {
		switch p.gen {
		case store.Gen2025:
			r.cur = append(r.cur, p)
		case store.Gen2008:
			if s := provs[first(p.id)]; s != nil && s.gen == store.Gen2025 {
				p.successor = s
				s.parts = append(s.parts, p)
				w := regionWeight[p.region]
				if w == 0 {
					w = 1
				}
				if f, ok := provinceFactor[p.code]; ok {
					w *= f
				}
				p.weight = w
				r.old = append(r.old, p)
			}
		}
	}
	for _, pc := range list {
		c := pc.c
		if c.prov.gen == store.Gen2008 {
			// An old commune is usable when its successor lies in its
			// province's successor (the source has one exception).
			s := communes[first(c.id)]
			if s == nil || c.prov.successor == nil || s.prov != c.prov.successor {
				continue
			}
			c.succ = s
		}
		if pc.typ == "commune" {
			c.prov.rural = append(c.prov.rural, c)
		} else {
			c.prov.urban = append(c.prov.urban, c)
		}
	}
}

// readCenters gives each province its industry promotion centre.
func readCenters(ctx context.Context, tx *store.Tx, provs map[int64]*province) error {
	return eachRow(ctx, tx, `SELECT id, province_id FROM organizations
		WHERE kind = 'promotion_center' AND province_id IS NOT NULL ORDER BY code`, nil,
		func(scan func(...any) error) error {
			var id, prov int64
			if err := scan(&id, &prov); err != nil {
				return err
			}
			if p := provs[prov]; p != nil && p.center == 0 {
				p.center = id
			}
			return nil
		})
}

// readActivities reads the activity types projects may have, weighted.
func (r *refs) readActivities(ctx context.Context, tx *store.Tx, _ map[int64]*province) error {
	return eachRow(ctx, tx, `SELECT code, name_vi FROM activity_types WHERE group_code <> '' ORDER BY sort, code`, nil,
		func(scan func(...any) error) error {
			var a activityType
			if err := scan(&a.code, &a.nameVI); err != nil {
				return err
			}
			a.weight = 1
			if k, ok := kinds[a.code]; ok {
				a.weight = k.weight
			}
			r.activity = append(r.activity, a)
			return nil
		})
}

// readIndicators reads the output indicator of each activity type.
func (r *refs) readIndicators(ctx context.Context, tx *store.Tx, _ map[int64]*province) error {
	var indicators []string
	err := eachRow(ctx, tx, `SELECT code, COALESCE(activity_type_code, '') FROM indicators ORDER BY sort, code`, nil,
		func(scan func(...any) error) error {
			var code, at string
			if err := scan(&code, &at); err != nil {
				return err
			}
			indicators = append(indicators, code)
			if _, ok := r.outputOf[at]; at != "" && !ok {
				r.outputOf[at] = code
			}
			return nil
		})
	if err != nil {
		return err
	}
	// Technology transfer counts as a demonstration model and a fair
	// abroad as a fair (indicators.csv notes).
	for at, in := range map[string]string{"TECH_TRANSFER": "DEMO_MODELS", "FAIR_FOREIGN": "ESTABLISHMENTS_AT_FAIRS"} {
		if _, ok := r.outputOf[at]; !ok && slices.Contains(indicators, in) {
			r.outputOf[at] = in
		}
	}
	return nil
}

// readPrograms reads the national programs by period.
func (r *refs) readPrograms(ctx context.Context, tx *store.Tx, _ map[int64]*province) error {
	return eachRow(ctx, tx, `SELECT id, code, start_year, end_year FROM programs WHERE level = 'national' ORDER BY start_year, code`, nil,
		func(scan func(...any) error) error {
			var p program
			if err := scan(&p.id, &p.code, &p.start, &p.end); err != nil {
				return err
			}
			r.programs = append(r.programs, p)
			return nil
		})
}

// check refuses reference data the generator cannot work with.
func (r *refs) check() error {
	switch {
	case len(r.cur) == 0:
		return fmt.Errorf("demo: the database has no generation-%d provinces; run the migrations first", store.Gen2025)
	case len(r.activity) == 0:
		return fmt.Errorf("demo: the database has no activity types; run the migrations first")
	}
	for _, p := range r.cur {
		if len(p.rural)+len(p.urban) == 0 {
			return fmt.Errorf("demo: province %s %s has no communes", p.code, p.name)
		}
		if p.center == 0 {
			return fmt.Errorf("demo: province %s %s has no industry promotion centre", p.code, p.name)
		}
	}
	return nil
}

// programFor returns the national program covering year.
func (r *refs) programFor(year int) (program, bool) {
	for _, p := range r.programs {
		if p.start <= year && year <= p.end {
			return p, true
		}
	}
	return program{}, false
}
