package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/vntext"
)

const projChunk = 500 // projects per transaction

// kind is how the demo data draws projects of one activity type: how often,
// how costly, the state's largest share and amount, the output planned and
// how many beneficiaries take part.
type kind struct {
	weight           float64
	lo, hi           float64 // total cost, VND
	share            float64 // the state's largest share of the cost
	cap              int64   // the state's largest amount, VND (0: none)
	outLo, outHi     int     // planned output
	benefLo, benefHi int
}

var kinds = map[string]kind{
	"DEMO_MODEL":        {weight: 22, lo: 1e9, hi: 3e9, share: 0.5, cap: 1_000_000_000, outLo: 1, outHi: 1, benefLo: 1, benefHi: 1},
	"TECH_TRANSFER":     {weight: 4, lo: 6e8, hi: 1.8e9, share: 0.5, cap: 600_000_000, outLo: 1, outHi: 1, benefLo: 1, benefHi: 1},
	"MACHINERY":         {weight: 30, lo: 3e8, hi: 9e8, share: 0.5, cap: 300_000_000, outLo: 1, outHi: 8, benefLo: 1, benefHi: 1},
	"TECH_LINE":         {weight: 6, lo: 9e8, hi: 2.5e9, share: 0.5, cap: 450_000_000, outLo: 1, outHi: 1, benefLo: 1, benefHi: 1},
	"CP_ASSESS":         {weight: 4, share: 0.7, cap: 300_000_000, outLo: 1, outHi: 5, benefLo: 1, benefHi: 3},
	"CP_PILOT":          {weight: 2, lo: 4e8, hi: 1.2e9, share: 0.5, cap: 400_000_000, outLo: 1, outHi: 1, benefLo: 1, benefHi: 1},
	"POLLUTION_EST":     {weight: 2, lo: 3e8, hi: 1e9, share: 0.5, cap: 300_000_000, outLo: 1, outHi: 1, benefLo: 1, benefHi: 1},
	"TRADEMARK":         {weight: 6, lo: 6e7, hi: 1.6e8, share: 0.7, cap: 70_000_000, outLo: 1, outHi: 1, benefLo: 1, benefHi: 1},
	"FAIR_DOMESTIC":     {weight: 6, share: 0.8, cap: 800_000_000, outLo: 20, outHi: 120, benefLo: 2, benefHi: 3},
	"FAIR_FOREIGN":      {weight: 1, lo: 4e8, hi: 1.2e9, share: 0.7, cap: 800_000_000, outLo: 5, outHi: 20, benefLo: 2, benefHi: 3},
	"SHOWROOM":          {weight: 2, lo: 1.5e8, hi: 5e8, share: 0.5, cap: 200_000_000, benefLo: 1, benefHi: 1},
	"PRODUCT_AWARD":     {weight: 2, lo: 2e8, hi: 6e8, share: 0.9, cap: 500_000_000, outLo: 10, outHi: 40, benefLo: 2, benefHi: 3},
	"VOC_TRAINING":      {weight: 8, share: 0.9, cap: 300_000_000, outLo: 20, outHi: 60, benefLo: 1, benefHi: 2},
	"MGMT_TRAINING":     {weight: 3, lo: 6e7, hi: 2.5e8, share: 0.9, cap: 200_000_000, outLo: 30, outHi: 100, benefLo: 2, benefHi: 3},
	"CONSULTING":        {weight: 2, lo: 5e7, hi: 2e8, share: 0.7, cap: 100_000_000, benefLo: 1, benefHi: 1},
	"COMMUNICATION":     {weight: 2, lo: 1e8, hi: 5e8, share: 1, benefLo: 1, benefHi: 2},
	"BUSINESS_LINKAGE":  {weight: 1, lo: 1e8, hi: 4e8, share: 0.7, cap: 250_000_000, benefLo: 2, benefHi: 3},
	"CLUSTER_PLAN":      {weight: 3, lo: 6e8, hi: 1.6e9, share: 0.7, cap: 1_000_000_000, outLo: 1, outHi: 1, benefLo: 1, benefHi: 1},
	"CLUSTER_INFRA":     {weight: 1, lo: 5e9, hi: 1.5e10, share: 0.3, cap: 2_000_000_000, benefLo: 1, benefHi: 1},
	"CLUSTER_POLLUTION": {weight: 1, lo: 2e9, hi: 6e9, share: 0.3, cap: 1_500_000_000, outLo: 1, outHi: 1, benefLo: 1, benefHi: 1},
	"INTL_COOP":         {weight: 0.5, lo: 2e8, hi: 8e8, share: 1, benefLo: 1, benefHi: 2},
	"CAPACITY_BUILDING": {weight: 1, lo: 1e8, hi: 5e8, share: 1, benefLo: 1, benefHi: 1},
}

var defaultKind = kind{weight: 1, lo: 1e8, hi: 5e8, share: 0.5, cap: 300_000_000, benefLo: 1, benefHi: 1}

// Project states that carry an approval decision.
var decided = map[string]bool{"approved": true, "in_implementation": true, "accepted": true, "settled": true, "cancelled": true}

// stateWeights is the mix of states by year: older projects are settled,
// this year's are being implemented, next year's are still proposals.
func stateWeights(year int) []weighted {
	switch {
	case year <= 2023:
		return []weighted{{"settled", 78}, {"accepted", 10}, {"cancelled", 4}, {"rejected", 8}}
	case year == 2024:
		return []weighted{{"settled", 55}, {"accepted", 33}, {"cancelled", 4}, {"rejected", 8}}
	case year == 2025:
		return []weighted{{"in_implementation", 45}, {"accepted", 30}, {"approved", 17}, {"settled", 5}, {"cancelled", 3}}
	case year == 2027: // next year's proposals, appraised this autumn
		return []weighted{{"draft", 25}, {"submitted", 35}, {"under_appraisal", 30}, {"returned", 6}, {"rejected", 4}}
	case year > 2027: // proposals drafted ahead of their year
		return []weighted{{"draft", 85}, {"submitted", 15}}
	}
	return []weighted{{"draft", 20}, {"submitted", 22}, {"under_appraisal", 22}, {"approved", 26}, {"returned", 6}, {"rejected", 4}}
}

var yearWeights = map[int]float64{2021: 14, 2022: 16, 2023: 17, 2024: 18, 2025: 18, 2026: 17}

// yearWeight is a plan year's share of the projects: the weights above,
// and outside them state funding growing by about 9.6% a year (the
// 2014-2018 review's figure) before 2021 and holding level after 2026.
func yearWeight(y int) float64 {
	if w, ok := yearWeights[y]; ok {
		return w
	}
	if y < 2021 {
		return yearWeights[2021] / math.Pow(1.0959, float64(2021-y))
	}
	return yearWeights[2026]
}

type decision struct {
	no   string
	date string
}

var projCols = []string{
	"public_id", "code", "program_id", "year", "title", "title_fold", "description", "activity_type_code",
	"implementing_org_id", "province_id", "orig_province_id", "area_category", "state", "decision_no",
	"decision_date", "published", "version", "created_at", "updated_at",
}

// project is one generated project with its dependent rows.
type project struct {
	publicID, code    string
	program           program
	year              int
	title, desc       string
	activity          string
	org               int64
	prov, orig        *province
	second            *province
	area, state       string
	decision          decision
	benef             []sample
	budget            []budgetLine
	indicator         string
	planned           int
	actual            any
	hasOutput, public bool
}

type budgetLine struct {
	source, desc           string
	planned                int64
	approved, actualAmount any
}

type projGen struct {
	r         *refs
	eg        *estGen
	rng       *rand.Rand
	ids       perm
	years     []int
	yearPick  []float64
	actPick   []float64
	provPick  []float64 // over r.cur, by establishments recorded there
	seq       map[string]int
	decisions map[int][]decision
	used      map[leadKey]bool // establishments that led a project of a kind
	events    bool             // Size.EventBeneficiaries
}

// eventBenef are the beneficiaries of the activities every participant of
// which is a beneficiary (Size.EventBeneficiaries): as many as the output
// the project plans (establishments at a fair, products awarded, managers
// trained), bounded.
var eventBenef = map[string][2]int{"FAIR_DOMESTIC": {20, 120}, "FAIR_FOREIGN": {5, 20}, "PRODUCT_AWARD": {10, 40}, "MGMT_TRAINING": {10, 40}}

type leadKey struct {
	establishment int64
	activity      string
}

func newProjGen(r *refs, eg *estGen, size Size) (*projGen, error) {
	seed := size.Seed
	keys := rand.New(rand.NewPCG(uint64(seed), 0x70726f6a)) // "proj"
	g := &projGen{
		r: r, eg: eg,
		rng:       rand.New(rand.NewPCG(uint64(seed), 0x70726f6b)),
		ids:       newPerm(publicIDMax, keys),
		seq:       map[string]int{},
		used:      map[leadKey]bool{},
		decisions: map[int][]decision{},
		events:    size.EventBeneficiaries,
	}
	from, to := size.FromYear, size.ToYear
	if from == 0 {
		from, to = 2021, 2026
	}
	for y := from; y <= to; y++ {
		if _, ok := r.programFor(y); ok {
			g.years = append(g.years, y)
			g.yearPick = append(g.yearPick, yearWeight(y))
		}
	}
	if len(g.years) == 0 {
		return nil, fmt.Errorf("demo: no national program covers %d-%d", from, to)
	}
	cumulate(g.yearPick)
	for _, a := range r.activity {
		g.actPick = append(g.actPick, a.weight)
	}
	cumulate(g.actPick)
	total := 0
	for _, p := range r.cur {
		n := 0
		if res := eg.byProvince[p.id]; res != nil && len(res.items) > 0 {
			n = res.seen
		}
		total += n
		g.provPick = append(g.provPick, float64(n))
	}
	if total == 0 {
		return nil, fmt.Errorf("demo: projects need establishments to benefit from them; load some establishments too")
	}
	cumulate(g.provPick)
	// A year's national plan is approved by a main decision early in the
	// year and amended by one or two later decisions.
	for _, y := range g.years {
		nos := []int{100 + g.rng.IntN(500), 1000 + g.rng.IntN(1000), 2000 + g.rng.IntN(1200)}
		months := [][2]int{{1, 3}, {5, 7}, {8, 10}}
		for i, n := range nos {
			from := time.Date(y, time.Month(months[i][0]), 1, 0, 0, 0, 0, time.UTC)
			to := time.Date(y, time.Month(months[i][1]+1), 0, 0, 0, 0, 0, time.UTC)
			g.decisions[y] = append(g.decisions[y], decision{
				no:   fmt.Sprintf("%d/QĐ-BCT", n),
				date: dateBetween(g.rng, from, to).Format(time.DateOnly),
			})
		}
	}
	return g, nil
}

func (g *projGen) next(i int) project {
	rng := g.rng
	var p project
	p.publicID = publicID("da-", g.ids.at(uint64(i)))
	p.year = g.years[choose(rng, g.yearPick)]
	p.program, _ = g.r.programFor(p.year)
	act := g.r.activity[choose(rng, g.actPick)]
	p.activity = act.code
	k, ok := kinds[act.code]
	if !ok || k.weight == 0 {
		k = defaultKind
	}

	p.prov = g.r.cur[choose(rng, g.provPick)]
	p.orig = p.prov
	// Projects approved before the July 2025 reorganisation belong to the
	// province of the time.
	if p.year <= 2025 && len(p.prov.parts) > 0 {
		ws := make([]float64, len(p.prov.parts))
		for i, op := range p.prov.parts {
			ws[i] = op.weight
		}
		cumulate(ws)
		p.orig = p.prov.parts[choose(rng, ws)]
	}
	p.org = p.prov.center
	if p.year <= 2025 && p.orig.center != 0 {
		p.org = p.orig.center
	}
	disadvantagedP := 0.15
	if mountain(p.orig.region) {
		disadvantagedP = 0.55
	}
	p.area = "ordinary"
	if rng.Float64() < disadvantagedP {
		p.area = "disadvantaged"
	}
	p.state = pickWeighted(rng, stateWeights(p.year))
	if decided[p.state] {
		ds := g.decisions[p.year]
		switch x := rng.Float64(); {
		case x < 0.7:
			p.decision = ds[0]
		case x < 0.9:
			p.decision = ds[1]
		default:
			p.decision = ds[2]
		}
		p.public = true
	}

	// Beneficiaries: establishments of the province (of the time, when the
	// project predates the merger and some were recorded then).
	pool := g.eg.byProvince[p.prov.id]
	if p.orig != p.prov {
		if res := g.eg.byOrig[p.orig.id]; res != nil && len(res.items) > 0 {
			pool = res
		}
	}
	lo, hi := k.benefLo, k.benefHi
	if b, ok := eventBenef[act.code]; ok && g.events {
		lo, hi = b[0], b[1]
	}
	want := min(len(pool.items), lo+rng.IntN(hi-lo+1))
	order := rng.Perm(len(pool.items))
	// The same establishment rarely gets the same kind of support twice:
	// lead with one that has not had it yet, when there is one.
	for i, j := range order {
		if !g.used[leadKey{pool.items[j].id, act.code}] {
			order[0], order[i] = order[i], order[0]
			break
		}
	}
	for _, j := range order[:want] {
		p.benef = append(p.benef, pool.items[j])
	}
	lead := p.benef[0]
	g.used[leadKey{lead.id, act.code}] = true
	place := lead.communeIn(p.year)
	tr := &trades[lead.trade]

	if in := g.r.outputOf[act.code]; in != "" && k.outHi > 0 {
		p.indicator, p.hasOutput = in, true
		p.planned = k.outLo + rng.IntN(k.outHi-k.outLo+1)
		if p.state == "accepted" || p.state == "settled" {
			a := p.planned
			if a > 1 && rng.Float64() < 0.25 {
				a -= 1 + rng.IntN(max(1, a/5))
			}
			p.actual = a
		}
	}

	p.title = g.title(act, &p, lead, place, tr)
	names := make([]string, len(p.benef))
	for i, b := range p.benef {
		names[i] = b.name
	}
	p.desc = fmt.Sprintf("Nội dung: %s. Địa điểm: %s, %s. Cơ sở thụ hưởng: %s.",
		act.nameVI, place.name, place.prov.fullName(), strings.Join(names, "; "))

	key := fmt.Sprintf("%d-%s", p.year, p.orig.code)
	g.seq[key]++
	p.code = nipp.ProjectCode(nipp.ProjectCodeStem(nipp.ProgramNational, p.year, p.orig.code), g.seq[key])

	if rng.Float64() < 0.05 || (act.code == "FAIR_DOMESTIC" && rng.Float64() < 0.5) {
		var same []*province
		for _, o := range g.r.cur {
			if o != p.prov && o.region == p.prov.region {
				same = append(same, o)
			}
		}
		if len(same) > 0 {
			p.second = oneOf(rng, same)
		}
	}
	p.budget = g.budget(act.code, k, &p)
	return p
}

// budget draws the cost and splits it between national support and the
// beneficiaries' reciprocal capital.
func (g *projGen) budget(code string, k kind, p *project) []budgetLine {
	rng := g.rng
	var total float64
	switch code {
	case "VOC_TRAINING":
		total = float64(p.planned) * (4e6 + rng.Float64()*3e6)
	case "CP_ASSESS":
		total = float64(max(1, p.planned)) * (5e7 + rng.Float64()*4e7)
	case "FAIR_DOMESTIC":
		total = 1.5e8 + float64(p.planned)*(3e6+rng.Float64()*3e6)
	default:
		total = k.lo + rng.Float64()*(k.hi-k.lo)
	}
	t := roundK(total)
	state := t
	if k.share < 1 {
		state = roundK(float64(t) * k.share * (0.6 + 0.4*rng.Float64()))
	}
	if k.cap > 0 && state > k.cap {
		state = k.cap
	}
	recip := t - state
	// No description: the source's name says it (and shows in the page's language).
	lines := []budgetLine{{source: "national", planned: state}}
	if recip > 0 {
		lines = append(lines, budgetLine{source: "reciprocal", planned: recip})
	}
	if !decided[p.state] {
		return lines
	}
	for i := range lines {
		l := &lines[i]
		appr := l.planned
		if rng.Float64() < 0.2 {
			appr = roundK(float64(appr) * (0.9 + 0.09*rng.Float64()))
		}
		l.approved = appr
		if p.state == "settled" {
			act := appr
			if rng.Float64() < 0.4 {
				act = roundK(float64(appr) * (0.88 + 0.12*rng.Float64()))
			}
			l.actualAmount = act
		}
	}
	return lines
}

// beneficiary names an establishment as a title does ("HTX ...").
func beneficiary(rng *rand.Rand, s sample) string {
	if s.legalForm == legalCoop && rng.IntN(2) == 0 {
		return "HTX " + strings.TrimPrefix(s.name, "Hợp tác xã ")
	}
	return s.name
}

func macroRegion(region string) string {
	switch region {
	case regRRD, regNMM:
		return "phía Bắc"
	case regNCC, regCH:
		return "miền Trung - Tây Nguyên"
	}
	return "phía Nam"
}

func lowerFirst(s string) string {
	for _, w := range [][2]string{{"Đ", "đ"}, {"Ấ", "ấ"}} {
		if strings.HasPrefix(s, w[0]) {
			return w[1] + s[len(w[0]):]
		}
	}
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}

func (g *projGen) title(act activityType, p *project, lead sample, place *commune, tr *trade) string {
	rng := g.rng
	b := beneficiary(rng, lead)
	prov := p.orig.fullName()
	y := p.year
	switch act.code {
	case "DEMO_MODEL":
		return "Xây dựng mô hình trình diễn kỹ thuật " + oneOf(rng, tr.demo) + " tại " + b
	case "TECH_TRANSFER":
		return "Hỗ trợ chuyển giao công nghệ " + oneOf(rng, tr.demo) + " cho " + b
	case "MACHINERY":
		if p.planned == 1 || rng.IntN(2) == 0 {
			return "Hỗ trợ ứng dụng " + oneOf(rng, tr.machine) + " trong " + tr.activity + " tại " + b
		}
		return "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong " + tr.activity + " tại " + b
	case "TECH_LINE":
		return "Hỗ trợ ứng dụng dây chuyền công nghệ tiên tiến trong " + tr.activity + " tại " + b
	case "CP_ASSESS":
		return fmt.Sprintf("Tư vấn, đánh giá sản xuất sạch hơn cho %d cơ sở %s trên địa bàn %s", max(1, p.planned), tr.activity, prov)
	case "CP_PILOT":
		return "Xây dựng mô hình thí điểm áp dụng sản xuất sạch hơn trong " + tr.activity + " tại " + b
	case "POLLUTION_EST":
		return "Hỗ trợ sửa chữa, nâng cấp hệ thống xử lý nước thải tại " + b
	case "TRADEMARK":
		return "Hỗ trợ xây dựng, đăng ký nhãn hiệu sản phẩm " + tr.product + " cho " + b
	case "FAIR_DOMESTIC":
		if rng.IntN(2) == 0 {
			return fmt.Sprintf("Tổ chức hội chợ triển lãm hàng công nghiệp nông thôn tiêu biểu khu vực %s năm %d", macroRegion(p.prov.region), y)
		}
		return fmt.Sprintf("Hỗ trợ %d cơ sở công nghiệp nông thôn %s tham gia hội chợ, triển lãm trong nước năm %d", p.planned, prov, y)
	case "FAIR_FOREIGN":
		return fmt.Sprintf("Hỗ trợ cơ sở công nghiệp nông thôn tham gia hội chợ triển lãm quốc tế tại %s năm %d", oneOf(rng, countries), y)
	case "SHOWROOM":
		return "Hỗ trợ xây dựng phòng trưng bày, giới thiệu sản phẩm " + tr.product + " tại " + b
	case "PRODUCT_AWARD":
		if y >= 2026 {
			return fmt.Sprintf("Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp khu vực %s năm %d", macroRegion(p.prov.region), y)
		}
		return fmt.Sprintf("Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh %s năm %d", strings.TrimPrefix(strings.TrimPrefix(prov, "tỉnh "), "thành phố "), y)
	case "VOC_TRAINING":
		return fmt.Sprintf("Đào tạo nghề %s cho %d lao động tại %s, %s", lowerFirst(tr.name), p.planned, place.name, place.prov.fullName())
	case "MGMT_TRAINING":
		return fmt.Sprintf("Tập huấn nâng cao năng lực quản lý cho cơ sở công nghiệp nông thôn %s năm %d", prov, y)
	case "CONSULTING":
		return "Tư vấn lập dự án đầu tư, quản lý sản xuất và tiếp cận tín dụng cho " + b
	case "COMMUNICATION":
		return fmt.Sprintf("Thông tin, tuyên truyền về hoạt động khuyến công trên sóng phát thanh, truyền hình %s năm %d", prov, y)
	case "BUSINESS_LINKAGE":
		return fmt.Sprintf("Hỗ trợ liên kết sản xuất, tiêu thụ sản phẩm %s giữa các cơ sở công nghiệp nông thôn %s", tr.product, prov)
	case "CLUSTER_PLAN":
		return "Hỗ trợ lập quy hoạch chi tiết cụm công nghiệp " + place.short() + ", " + prov
	case "CLUSTER_INFRA":
		return "Hỗ trợ đầu tư xây dựng hạ tầng kỹ thuật cụm công nghiệp " + place.short() + ", " + prov
	case "CLUSTER_POLLUTION":
		return "Hỗ trợ xây dựng hệ thống xử lý nước thải tập trung cụm công nghiệp " + place.short() + ", " + prov
	case "INTL_COOP":
		return fmt.Sprintf("Khảo sát, học tập kinh nghiệm phát triển làng nghề tại %s năm %d", oneOf(rng, countries), y)
	case "CAPACITY_BUILDING":
		return fmt.Sprintf("Đào tạo, nâng cao năng lực cho cán bộ làm công tác khuyến công %s năm %d", prov, y)
	}
	return fmt.Sprintf("%s tại %s năm %d", act.nameVI, prov, y)
}

var (
	provCols   = []string{"project_id", "province_id"}
	benefCols  = []string{"project_id", "establishment_id", "note"}
	budgetCols = []string{"project_id", "source", "description", "planned", "approved", "actual"}
	outputCols = []string{"project_id", "indicator_code", "planned", "actual"}
	eventCols  = []string{"project_id", "action", "from_state", "to_state", "actor", "at"}
)

// demoEvent is one step of a demo project's timeline.
type demoEvent struct {
	action, from, to, actor string
	at                      time.Time
}

// history is the timeline that led a demo project to its state, dated as
// the yearly cycle runs (proposals in May of the year before, appraisal in
// June, the decision on its date, acceptance and settlement at the end of
// the year), by the province's officer or the ministry. It draws nothing
// from the generator (the rest of the data set is unchanged by it); steps
// that would lie after now are dated now.
func history(p *project, now time.Time) []demoEvent {
	prov := "tinh" + p.orig.code + "@demo.nipp"
	const ministry = "bo@demo.nipp"
	day := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }
	decided := day(p.year-1, time.December, 20, 2)
	if t, err := time.Parse(time.DateOnly, p.decision.date); err == nil {
		decided = t.Add(2 * time.Hour)
	}
	steps := []demoEvent{
		{"submit", "draft", "submitted", prov, day(p.year-1, time.May, 15, 2)},
		{"start_appraisal", "submitted", "under_appraisal", ministry, day(p.year-1, time.June, 20, 3)},
	}
	switch p.state {
	case "draft":
		return nil
	case "submitted":
		steps = steps[:1]
	case "under_appraisal":
	case "returned":
		steps = append(steps, demoEvent{"return", "under_appraisal", "returned", ministry, day(p.year-1, time.July, 10, 3)})
	case "rejected":
		steps = append(steps, demoEvent{"reject", "under_appraisal", "rejected", ministry, day(p.year-1, time.August, 15, 3)})
	default:
		steps = append(steps, demoEvent{"approve", "under_appraisal", "approved", ministry, decided})
		switch p.state {
		case "in_implementation", "accepted", "settled":
			steps = append(steps, demoEvent{"start", "approved", "in_implementation", prov, decided.AddDate(0, 0, 20)})
		case "cancelled":
			steps = append(steps, demoEvent{"cancel", "approved", "cancelled", ministry, decided.AddDate(0, 2, 0)})
		}
		switch p.state {
		case "accepted", "settled":
			steps = append(steps, demoEvent{"accept", "in_implementation", "accepted", ministry, day(p.year, time.November, 25, 3)})
		}
		if p.state == "settled" {
			steps = append(steps, demoEvent{"settle", "accepted", "settled", ministry, day(p.year, time.December, 15, 3)})
		}
	}
	for i := range steps {
		if steps[i].at.After(now) {
			steps[i].at = now
		}
	}
	return steps
}

// load streams n projects into db in chunks of projChunk, one transaction
// each.
func (g *projGen) load(ctx context.Context, db *store.DB, n int, pr *progress) (int, error) {
	done := 0
	ps := make([]project, 0, min(n, projChunk))
	for done < n {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		size := min(projChunk, n-done)
		ps = ps[:0]
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			now := tx.Now()
			args := make([]any, 0, size*len(projCols))
			for i := range size {
				p := g.next(done + i)
				ps = append(ps, p)
				var date any
				if p.decision.date != "" {
					date = p.decision.date
				}
				args = append(args, p.publicID, p.code, p.program.id, p.year, p.title, vntext.Fold(p.title), p.desc,
					p.activity, p.org, p.prov.id, p.orig.id, p.area, p.state, p.decision.no, date, p.public, 1, now, now)
			}
			ids := make(map[string]int64, size)
			err := insertReturning(ctx, tx, "projects", projCols, args, "id, code", func(scan func(...any) error) error {
				var id int64
				var code string
				if err := scan(&id, &code); err != nil {
					return err
				}
				ids[code] = id
				return nil
			})
			if err != nil {
				return err
			}
			var provArgs, benefArgs, budgetArgs, outputArgs, eventArgs []any
			for _, p := range ps {
				id := ids[p.code]
				if id == 0 {
					return fmt.Errorf("project %s was not inserted", p.code)
				}
				provArgs = append(provArgs, id, p.prov.id)
				if p.second != nil {
					provArgs = append(provArgs, id, p.second.id)
				}
				for _, b := range p.benef {
					benefArgs = append(benefArgs, id, b.id, "")
				}
				for _, e := range history(&p, now) {
					eventArgs = append(eventArgs, id, e.action, e.from, e.to, e.actor, e.at)
				}
				for _, l := range p.budget {
					budgetArgs = append(budgetArgs, id, l.source, l.desc, l.planned, l.approved, l.actualAmount)
				}
				if p.hasOutput {
					outputArgs = append(outputArgs, id, p.indicator, p.planned, p.actual)
				}
			}
			for _, ins := range []struct {
				table string
				cols  []string
				args  []any
			}{
				{"project_provinces", provCols, provArgs},
				{"project_beneficiaries", benefCols, benefArgs},
				{"budget_lines", budgetCols, budgetArgs},
				{"project_outputs", outputCols, outputArgs},
				{"project_transitions", eventCols, eventArgs},
			} {
				if err := insertRows(ctx, tx, ins.table, ins.cols, ins.args); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("demo: inserting projects %d-%d: %w", done+1, done+size, err)
		}
		done += size
		pr.rows("projects (budgets, outputs, beneficiaries, timelines)", done, n)
	}
	return done, nil
}
