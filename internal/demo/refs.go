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
		provs := map[int64]*province{}
		rows, err := tx.Query(ctx, `SELECT id, code, generation, name_vi, unit_type, COALESCE(region_code, '')
			FROM admin_units WHERE level = 'province' AND generation IN ($1, $2) ORDER BY generation, code`, store.Gen2008, store.Gen2025)
		if err != nil {
			return err
		}
		var all []*province
		for rows.Next() {
			p := &province{}
			if err := rows.Scan(&p.id, &p.code, &p.gen, &p.name, &p.typ, &p.region); err != nil {
				rows.Close()
				return err
			}
			provs[p.id] = p
			all = append(all, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		communes := map[int64]*commune{}
		rows, err = tx.Query(ctx, `SELECT id, code, name_vi, unit_type, parent_id FROM admin_units
			WHERE level = 'commune' AND generation IN ($1, $2) AND parent_id IS NOT NULL ORDER BY generation, code`, store.Gen2008, store.Gen2025)
		if err != nil {
			return err
		}
		type pending struct {
			c   *commune
			typ string
		}
		var list []pending
		for rows.Next() {
			c := &commune{}
			var typ string
			var parent int64
			if err := rows.Scan(&c.id, &c.code, &c.name, &typ, &parent); err != nil {
				rows.Close()
				return err
			}
			if c.prov = provs[parent]; c.prov == nil {
				continue
			}
			communes[c.id] = c
			list = append(list, pending{c, typ})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		// Successors: a province goes wholly into one new province; an old
		// commune into one or several new communes. Take the first full
		// successor, else the first partial one, in code order.
		type succ struct {
			to   int64
			code string
			full bool
		}
		succs := map[int64][]succ{}
		rows, err = tx.Query(ctx, `SELECT s.old_id, s.new_id, s.share, n.code FROM admin_unit_successors s
			JOIN admin_units n ON n.id = s.new_id WHERE n.generation = $1`, store.Gen2025)
		if err != nil {
			return err
		}
		for rows.Next() {
			var old int64
			var s succ
			var share string
			if err := rows.Scan(&old, &s.to, &share, &s.code); err != nil {
				rows.Close()
				return err
			}
			s.full = share == "full"
			succs[old] = append(succs[old], s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		first := func(id int64) int64 {
			ss := succs[id]
			if len(ss) == 0 {
				return 0
			}
			best := slices.MinFunc(ss, func(a, b succ) int {
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

		rows, err = tx.Query(ctx, `SELECT id, province_id FROM organizations
			WHERE kind = 'promotion_center' AND province_id IS NOT NULL ORDER BY code`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, prov int64
			if err := rows.Scan(&id, &prov); err != nil {
				rows.Close()
				return err
			}
			if p := provs[prov]; p != nil && p.center == 0 {
				p.center = id
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		rows, err = tx.Query(ctx, `SELECT code, name_vi FROM activity_types WHERE group_code <> '' ORDER BY sort, code`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var a activityType
			if err := rows.Scan(&a.code, &a.nameVI); err != nil {
				rows.Close()
				return err
			}
			a.weight = 1
			if k, ok := kinds[a.code]; ok {
				a.weight = k.weight
			}
			r.activity = append(r.activity, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		rows, err = tx.Query(ctx, `SELECT code, COALESCE(activity_type_code, '') FROM indicators ORDER BY sort, code`)
		if err != nil {
			return err
		}
		var indicators []string
		for rows.Next() {
			var code, at string
			if err := rows.Scan(&code, &at); err != nil {
				rows.Close()
				return err
			}
			indicators = append(indicators, code)
			if _, ok := r.outputOf[at]; at != "" && !ok {
				r.outputOf[at] = code
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Technology transfer counts as a demonstration model and a fair
		// abroad as a fair (indicators.csv notes).
		for at, in := range map[string]string{"TECH_TRANSFER": "DEMO_MODELS", "FAIR_FOREIGN": "ESTABLISHMENTS_AT_FAIRS"} {
			if _, ok := r.outputOf[at]; !ok && slices.Contains(indicators, in) {
				r.outputOf[at] = in
			}
		}

		rows, err = tx.Query(ctx, `SELECT id, code, start_year, end_year FROM programs WHERE level = 'national' ORDER BY start_year, code`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var p program
			if err := rows.Scan(&p.id, &p.code, &p.start, &p.end); err != nil {
				rows.Close()
				return err
			}
			r.programs = append(r.programs, p)
		}
		rows.Close()
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("demo: reading reference data: %w", err)
	}
	switch {
	case len(r.cur) == 0:
		return nil, fmt.Errorf("demo: the database has no generation-%d provinces; run the migrations first", store.Gen2025)
	case len(r.activity) == 0:
		return nil, fmt.Errorf("demo: the database has no activity types; run the migrations first")
	}
	for _, p := range r.cur {
		if len(p.rural)+len(p.urban) == 0 {
			return nil, fmt.Errorf("demo: province %s %s has no communes", p.code, p.name)
		}
		if p.center == 0 {
			return nil, fmt.Errorf("demo: province %s %s has no industry promotion centre", p.code, p.name)
		}
	}
	return r, nil
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
