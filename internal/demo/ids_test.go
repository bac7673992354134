package demo

import (
	"math/rand/v2"
	"testing"
)

func TestPermIsABijection(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []uint64{1, 2, 7, 1000, 1 << 12, 46_000} {
		p := newPerm(n, rng)
		seen := make([]bool, n)
		for i := range n {
			v := p.at(i)
			if v >= n || seen[v] {
				t.Fatalf("n=%d: at(%d) = %d repeated or out of range", n, i, v)
			}
			seen[v] = true
		}
	}
}

func TestTaxCodes(t *testing.T) {
	// A published check digit: 0100109106 (a well-known Hà Nội code).
	if d := taxCheckDigit("010010910"); d != 6 {
		t.Errorf("check digit of 010010910 = %d, want 6", d)
	}
	tc := newTaxCodes(rand.New(rand.NewPCG(3, 4)))
	seen := map[string]bool{}
	for i := range 20000 {
		code := tc.orgCode("27")
		if len(code) != 10 || code[:2] != "27" || seen[code] || taxCheckDigit(code[:9]) != int(code[9]-'0') {
			t.Fatalf("code %d: %q", i, code)
		}
		seen[code] = true
		id, year := tc.personalID("01", i%2 == 0)
		if len(id) != 12 || id[:3] != "001" || seen[id] || year < 1955 || year > 2000 {
			t.Fatalf("personal id %d: %q (%d)", i, id, year)
		}
		seen[id] = true
	}
}

func TestPublicID(t *testing.T) {
	if got := publicID("cs-", 0); got != "cs-aaaaaaaaaa" {
		t.Errorf("publicID(0) = %q", got)
	}
	if got := publicID("cs-", 1<<50-1); got != "cs-7777777777" {
		t.Errorf("publicID(max) = %q", got)
	}
}
