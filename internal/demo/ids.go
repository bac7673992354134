package demo

import (
	"math/bits"
	"math/rand/v2"
	"strconv"
)

// perm is a keyed bijection of [0, n): a xorshift-multiply mixer over the
// smallest power of two holding n, with cycle walking for the values that
// fall outside [0, n). Identifiers and tax codes are perm(counter), so they
// look random, are deterministic for a seed and never collide, however many
// rows a load streams, without remembering the codes already issued.
type perm struct {
	n          uint64
	width      uint
	mask       uint64
	k1, k2, k3 uint64
}

func newPerm(n uint64, rng *rand.Rand) perm {
	w := uint(bits.Len64(n - 1))
	if w < 4 {
		w = 4
	}
	return perm{n: n, width: w, mask: 1<<w - 1, k1: rng.Uint64(), k2: rng.Uint64() | 1, k3: rng.Uint64() | 1}
}

func (p perm) mix(x uint64) uint64 {
	x = (x + p.k1) & p.mask
	x ^= x >> (p.width/2 + 1)
	x = (x * p.k2) & p.mask
	x ^= x >> (p.width/3 + 1)
	x = (x * p.k3) & p.mask
	x ^= x >> (p.width / 2)
	return x
}

// at returns the image of i; i must be below n.
func (p perm) at(i uint64) uint64 {
	if i >= p.n {
		panic("demo: permutation domain exhausted")
	}
	x := p.mix(i)
	for x >= p.n {
		x = p.mix(x)
	}
	return x
}

const base32Lower = "abcdefghijklmnopqrstuvwxyz234567"

// publicID returns prefix followed by 10 base-32 characters of v (50 bits).
func publicID(prefix string, v uint64) string {
	b := make([]byte, 0, len(prefix)+10)
	b = append(b, prefix...)
	for i := 9; i >= 0; i-- {
		b = append(b, base32Lower[(v>>(5*uint(i)))&31])
	}
	return string(b)
}

// taxCheckDigit returns the check digit of a 9-digit Vietnamese tax code
// body, or -1 when the body has none (it is never issued).
func taxCheckDigit(body string) int {
	weights := [9]int{31, 29, 23, 19, 17, 13, 7, 5, 3}
	sum := 0
	for i := range 9 {
		sum += int(body[i]-'0') * weights[i]
	}
	d := 10 - sum%11
	if d == 10 {
		return -1
	}
	return d
}

// taxCodes issues unique tax codes. Enterprise codes are the province's
// two digits, seven digits from a permuted counter and the check digit;
// personal identity numbers (household businesses) are the 3-digit
// province code, a century-and-sex digit and a unique birth-year+serial.
type taxCodes struct {
	org     perm // over 10^7
	orgNext uint64
	person  perm // over 46 x 10^6: birth years 1955..2000 x 10^6 serials
	perNext uint64
}

func newTaxCodes(rng *rand.Rand) *taxCodes {
	return &taxCodes{org: newPerm(10_000_000, rng), person: newPerm(46_000_000, rng)}
}

// orgCode returns a new 10-digit code for a unit registered in province
// (a 2-digit code).
func (t *taxCodes) orgCode(province string) string {
	for {
		v := t.org.at(t.orgNext)
		t.orgNext++
		body := province + pad(v, 7)
		if d := taxCheckDigit(body); d >= 0 {
			return body + strconv.Itoa(d)
		}
	}
}

// personalID returns a new 12-digit citizen identity number.
func (t *taxCodes) personalID(province string, female bool) (id string, birthYear int) {
	v := t.person.at(t.perNext)
	t.perNext++
	birthYear = 1955 + int(v/1_000_000)
	sex := "0"
	if female {
		sex = "1"
	}
	return "0" + province + sex + pad(uint64(birthYear%100), 2) + pad(v%1_000_000, 6), birthYear
}

func pad(v uint64, n int) string {
	s := strconv.FormatUint(v, 10)
	for len(s) < n {
		s = "0" + s
	}
	return s
}
