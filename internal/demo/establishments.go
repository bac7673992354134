package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"nipp/internal/store"
	"nipp/internal/vntext"
)

// Recording dates: establishments recorded before the 2025 reorganisation
// keep the units of the time; the others are recorded in the new units.
// The window is fixed (not the clock) so that a seed always gives the same
// data.
var (
	oldFrom = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	oldTo   = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	newFrom = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	newTo   = time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
)

const (
	estChunk    = 1000 // establishments per transaction
	oldShare    = 0.30 // recorded before 2025-07-01
	maxSample   = 500  // per province, for picking project beneficiaries
	minSample   = 16
	legalEnt    = "enterprise"
	legalCoop   = "cooperative"
	legalGroup  = "cooperative_group"
	legalHouse  = "household"
	publicIDMax = 1 << 50
)

var estCols = []string{
	"public_id", "name", "name_fold", "name_key", "legal_form", "tax_code", "province_id", "orig_province_id",
	"commune_id", "orig_commune_id", "address", "sector_code", "craft_village", "employees", "founded_year",
	"contact_name", "phone", "email", "women_owned", "ethnic_minority_owned", "status", "published",
	"recorded_on", "version", "created_at", "updated_at",
}

// sample is an establishment kept to become a project beneficiary.
type sample struct {
	id        int64 // set once inserted
	publicID  string
	name      string
	legalForm string
	trade     int
	commune   *commune // at the time it was recorded
	current   *commune // of generation 2025
}

// communeIn returns the commune as a project of year names it: the
// commune of the time for projects before the 2025 reorganisation.
func (s *sample) communeIn(year int) *commune {
	if year <= 2025 {
		return s.commune
	}
	return s.current
}

// reservoir keeps a uniform sample of the establishments of one province
// (algorithm R), so a national-scale load never holds them all.
type reservoir struct {
	seen  int
	items []sample
}

// estGen streams establishments.
type estGen struct {
	r       *refs
	rng     *rand.Rand // the establishments themselves
	pick    *rand.Rand // sampling for beneficiaries
	ids     perm
	tax     *taxCodes
	n       uint64
	capSize int

	provPick   []float64 // cumulative weights over r.old (or r.cur when there is no history)
	tradePick  map[string][]float64
	byProvince map[int64]*reservoir // generation 2025 province -> establishments
	byOrig     map[int64]*reservoir // generation 2008 province -> establishments recorded then
	pending    []pendingSample      // samples of the chunk being inserted
}

type pendingSample struct {
	res  *reservoir
	slot int
}

func newEstGen(r *refs, seed int64, projects int) *estGen {
	keys := rand.New(rand.NewPCG(uint64(seed), 0x6b657973)) // "keys"
	g := &estGen{
		r:          r,
		rng:        rand.New(rand.NewPCG(uint64(seed), 0x65737461)), // "esta"
		pick:       rand.New(rand.NewPCG(uint64(seed), 0x7069636b)), // "pick"
		ids:        newPerm(publicIDMax, keys),
		tax:        newTaxCodes(keys),
		capSize:    min(maxSample, max(minSample, 4*projects/max(1, len(r.cur)))),
		tradePick:  map[string][]float64{},
		byProvince: map[int64]*reservoir{},
		byOrig:     map[int64]*reservoir{},
	}
	if len(r.old) > 0 {
		for _, p := range r.old {
			g.provPick = append(g.provPick, p.weight)
		}
	} else {
		for _, p := range r.cur {
			w := regionWeight[p.region]
			if w == 0 {
				w = 1
			}
			g.provPick = append(g.provPick, w)
		}
	}
	cumulate(g.provPick)
	for _, reg := range []string{regRRD, regNMM, regNCC, regCH, regSE, regMRD, ""} {
		ws := make([]float64, len(trades))
		for i, t := range trades {
			switch {
			case slices.Contains(t.regions, reg):
				ws[i] = 3 * t.weight
			case t.local:
				ws[i] = 0.05 * t.weight
			default:
				ws[i] = t.weight
			}
		}
		cumulate(ws)
		g.tradePick[reg] = ws
	}
	return g
}

func cumulate(ws []float64) {
	for i := 1; i < len(ws); i++ {
		ws[i] += ws[i-1]
	}
}

// choose returns an index drawn with the cumulative weights cum.
func choose(rng *rand.Rand, cum []float64) int {
	x := rng.Float64() * cum[len(cum)-1]
	lo, hi := 0, len(cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

func oneOf[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func pickWeighted(rng *rand.Rand, ws []weighted) string {
	total := 0.0
	for _, w := range ws {
		total += w.w
	}
	x := rng.Float64() * total
	for _, w := range ws {
		if x < w.w {
			return w.s
		}
		x -= w.w
	}
	return ws[len(ws)-1].s
}

// pickCommune draws a commune of p, nine times in ten a rural one (xã).
func pickCommune(rng *rand.Rand, p *province) *commune {
	if len(p.urban) == 0 || (len(p.rural) > 0 && rng.Float64() < 0.9) {
		return oneOf(rng, p.rural)
	}
	return oneOf(rng, p.urban)
}

func dateBetween(rng *rand.Rand, from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours()/24) + 1
	return from.AddDate(0, 0, rng.IntN(days))
}

func roundK(v float64) int64 { return int64(v/1000) * 1000 }

// personName returns a plausible owner's name for the region.
func personName(rng *rand.Rand, region string, ethnic, female bool) string {
	if ethnic {
		switch region {
		case regCH:
			fam := oneOf(rng, ethnicCHFamilies)
			if female {
				return "H'" + oneOf(rng, ethnicCHFemale) + " " + fam
			}
			return "Y " + oneOf(rng, ethnicCHMale) + " " + fam
		case regMRD:
			fam := oneOf(rng, ethnicMRDFamilies)
			if female {
				return fam + " Thị " + oneOf(rng, ethnicMRDFemale)
			}
			return fam + " " + oneOf(rng, ethnicMRDMale)
		case regNMM:
			fam := oneOf(rng, ethnicNorthFamilies)
			if female {
				return fam + " Thị " + oneOf(rng, ethnicNorthFemale)
			}
			mid := "Văn"
			if rng.IntN(3) == 0 {
				mid = "A"
			}
			return fam + " " + mid + " " + oneOf(rng, ethnicNorthMale)
		default:
			fam := oneOf(rng, ethnicLowFamilies)
			if female {
				return fam + " Thị " + oneOf(rng, givenFemale)
			}
			return fam + " Văn " + oneOf(rng, givenMale)
		}
	}
	fams := familiesNorth
	if region == regSE || region == regMRD || (region == regNCC && rng.IntN(2) == 0) || region == regCH && rng.IntN(2) == 0 {
		fams = familiesSouth
	}
	fam := pickWeighted(rng, fams)
	if female {
		return fam + " " + oneOf(rng, middleFemale) + " " + oneOf(rng, givenFemale)
	}
	return fam + " " + oneOf(rng, middleMale) + " " + oneOf(rng, givenMale)
}

// hamlet returns a village within a commune ("Thôn Đông", "Bản Lác", "Ấp 3").
func hamlet(rng *rand.Rand, region string) string {
	switch {
	case region == regNMM && rng.IntN(2) == 0:
		return "Bản " + oneOf(rng, hamletMountain)
	case region == regCH && rng.IntN(2) == 0:
		return oneOf(rng, hamletCH)
	case region == regMRD || region == regSE:
		if rng.IntN(3) == 0 {
			return fmt.Sprintf("Ấp %d", 1+rng.IntN(9))
		}
		return "Ấp " + oneOf(rng, hamletSouth)
	}
	switch rng.IntN(4) {
	case 0:
		return fmt.Sprintf("Thôn %d", 1+rng.IntN(12))
	case 1:
		return fmt.Sprintf("Xóm %d", 1+rng.IntN(9))
	}
	return "Thôn " + oneOf(rng, hamletNorth)
}

func asciiWord(s string) string { return strings.ReplaceAll(vntext.Fold(s), " ", "") }

// est is one generated establishment.
type est struct {
	sample
	newProv, origProv *province
	taxCode           any
	address, sector   string
	craftVillage      string
	employees         int
	founded           int
	contact, phone    string
	email             string
	women, ethnic     bool
	status            string
	published         bool
	recorded          string // recorded_on
}

// next generates the next establishment.
func (g *estGen) next() est {
	rng := g.rng
	var e est
	e.publicID = publicID("cs-", g.ids.at(g.n))
	g.n++

	var old *province // the 63-set province it lies in
	if len(g.r.old) > 0 {
		old = g.r.old[choose(rng, g.provPick)]
		e.newProv = old.successor
	} else {
		e.newProv = g.r.cur[choose(rng, g.provPick)]
	}
	var recorded time.Time
	if old != nil && len(old.rural)+len(old.urban) > 0 && rng.Float64() < oldShare {
		e.commune = pickCommune(rng, old)
		e.current = e.commune.succ
		e.origProv = old
		recorded = dateBetween(rng, oldFrom, oldTo)
	} else {
		e.current = pickCommune(rng, e.newProv)
		e.commune = e.current
		e.origProv = e.newProv
		recorded = dateBetween(rng, newFrom, newTo)
	}
	e.recorded = recorded.Format(time.DateOnly)
	region := e.newProv.region
	if old != nil {
		region = old.region
	}
	regCode := e.origProv.code
	if old != nil {
		regCode = old.code
	}

	e.trade = choose(rng, g.tradePick[region])
	t := &trades[e.trade]
	e.sector = t.sector

	switch x := rng.Float64(); {
	case x < 0.38:
		e.legalForm = legalHouse
	case x < 0.72:
		e.legalForm = legalEnt
	case x < 0.90:
		e.legalForm = legalCoop
	default:
		e.legalForm = legalGroup
	}
	ethnicP := 0.03
	switch {
	case mountain(region):
		ethnicP = 0.25
	case region == regMRD:
		ethnicP = 0.05
	}
	e.ethnic = rng.Float64() < ethnicP
	e.women = rng.Float64() < 0.20
	female := e.women
	if e.legalForm != legalHouse && !female {
		female = rng.Float64() < 0.25
	}
	person := personName(rng, region, e.ethnic, female)
	e.contact = person

	place := e.commune.short()
	var brand, village string
	switch e.legalForm {
	case legalHouse:
		if rng.IntN(4) == 0 {
			e.name = "Cơ sở " + t.name + " " + person
		} else {
			e.name = "Hộ kinh doanh " + person
		}
	case legalCoop:
		e.name = "Hợp tác xã " + t.name + " " + place
	case legalGroup:
		village = hamlet(rng, region)
		h := village
		for _, w := range [][2]string{{"Thôn ", "thôn "}, {"Xóm ", "xóm "}, {"Ấp ", "ấp "}} {
			if strings.HasPrefix(h, w[0]) {
				h = w[1] + h[len(w[0]):] // "Tổ hợp tác Mây tre đan thôn Đông"
			}
		}
		e.name = "Tổ hợp tác " + t.name + " " + h
	case legalEnt:
		switch x := rng.Float64(); {
		case x < 0.65:
			brand = oneOf(rng, brands)
		case x < 0.85:
			brand = place
		default:
			if rb := regionBrands[region]; len(rb) > 0 {
				brand = oneOf(rng, rb)
			} else {
				brand = oneOf(rng, brands)
			}
		}
		switch x := rng.Float64(); {
		case x < 0.50:
			e.name = "Công ty TNHH " + t.name + " " + brand
		case x < 0.62:
			e.name = "Công ty TNHH MTV " + t.name + " " + brand
		case x < 0.90:
			e.name = "Công ty CP " + t.name + " " + brand
		default:
			e.name = "Doanh nghiệp tư nhân " + t.name + " " + brand
		}
	}

	switch e.legalForm {
	case legalEnt:
		code := g.tax.orgCode(regCode)
		if rng.Float64() < 0.08 {
			code += fmt.Sprintf("-%03d", 1+rng.IntN(9))
		}
		e.taxCode = code
	case legalCoop:
		e.taxCode = g.tax.orgCode(regCode)
	case legalGroup:
		if rng.Float64() < 0.15 {
			e.taxCode = g.tax.orgCode(regCode)
		}
	case legalHouse:
		if rng.Float64() < 0.6 {
			id, _ := g.tax.personalID(regCode, female)
			e.taxCode = id
		}
	}

	if t.craft != "" && rng.Float64() < 0.30 {
		e.craftVillage = t.craft + " " + place
	}
	lo, mean, hi := 2, 3.0, 15
	switch e.legalForm {
	case legalGroup:
		lo, mean, hi = 5, 10, 40
	case legalCoop:
		lo, mean, hi = 8, 25, 150
	case legalEnt:
		lo, mean, hi = 10, 45, 300
	}
	e.employees = min(hi, lo+int(rng.ExpFloat64()*mean))
	last := min(2024, recorded.Year())
	e.founded = 1985 + int(math.Sqrt(rng.Float64())*float64(last-1985+1))
	if rng.Float64() < 0.9 {
		e.phone = fmt.Sprintf("09%08d", rng.IntN(100_000_000))
	}
	emailP := 0.1
	switch e.legalForm {
	case legalEnt:
		emailP = 0.5
	case legalCoop:
		emailP = 0.3
	}
	if rng.Float64() < emailP {
		switch e.legalForm {
		case legalEnt:
			w := asciiWord(brand)
			if rng.IntN(2) == 0 {
				e.email = "info@" + w + ".vn"
			} else {
				e.email = w + asciiWord(t.name) + "@gmail.com"
			}
		case legalCoop:
			e.email = "htx" + asciiWord(place) + "@gmail.com"
		default:
			parts := strings.Fields(vntext.Fold(person))
			e.email = parts[len(parts)-1] + parts[0] + fmt.Sprintf("%02d", rng.IntN(100)) + "@gmail.com"
		}
	}
	if village == "" {
		village = hamlet(rng, region)
	}
	e.address = village + ", " + e.commune.name + ", " + e.origProv.fullName()
	e.status = "active"
	if rng.Float64() < 0.04 {
		e.status = "inactive"
	}
	e.published = rng.Float64() < 0.6
	return e
}

// keep offers e to the beneficiary samples of its province (and of its
// province at the time, for establishments recorded before the merger).
func (g *estGen) keep(e *est) {
	offer := func(m map[int64]*reservoir, key int64) {
		res := m[key]
		if res == nil {
			res = &reservoir{}
			m[key] = res
		}
		res.seen++
		slot := -1
		if len(res.items) < g.capSize {
			res.items = append(res.items, e.sample)
			slot = len(res.items) - 1
		} else if j := g.pick.IntN(res.seen); j < g.capSize {
			res.items[j] = e.sample
			slot = j
		}
		if slot >= 0 {
			g.pending = append(g.pending, pendingSample{res, slot})
		}
	}
	offer(g.byProvince, e.newProv.id)
	if e.origProv != e.newProv {
		offer(g.byOrig, e.origProv.id)
	}
}

// load streams n establishments into db in chunks of
// estChunk, one transaction each.
func (g *estGen) load(ctx context.Context, db *store.DB, n int, pr *progress) (int, error) {
	done := 0
	args := make([]any, 0, estChunk*len(estCols))
	for done < n {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		size := min(estChunk, n-done)
		g.pending = g.pending[:0]
		args = args[:0]
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			now := tx.Now()
			for range size {
				e := g.next()
				g.keep(&e)
				args = append(args, e.publicID, e.name, vntext.Fold(e.name), vntext.NameKey(e.name), e.legalForm, e.taxCode,
					e.newProv.id, e.origProv.id, e.current.id, e.commune.id, e.address, e.sector,
					e.craftVillage, e.employees, e.founded, e.contact, e.phone, e.email, e.women, e.ethnic,
					e.status, e.published, e.recorded, 1, now, now)
			}
			ids := make(map[string]int64, size)
			err := insertReturning(ctx, tx, "establishments", estCols, args, "id, public_id", func(scan func(...any) error) error {
				var id int64
				var pid string
				if err := scan(&id, &pid); err != nil {
					return err
				}
				ids[pid] = id
				return nil
			})
			if err != nil {
				return err
			}
			for _, p := range g.pending {
				s := &p.res.items[p.slot]
				if s.id == 0 {
					s.id = ids[s.publicID]
				}
			}
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("demo: inserting establishments %d-%d: %w", done+1, done+size, err)
		}
		done += size
		pr.rows("establishments", done, n)
	}
	return done, nil
}
