package web

import (
	"testing"

	"nipp/internal/app"
	"nipp/internal/nipp"
)

// The ledger's pages build some keys from codes (a source's short name, a
// kind, a balance's measure, an import column): each has both languages.
func TestLedgerCodesNamed(t *testing.T) {
	var keys []string
	for _, s := range nipp.FundingSources() {
		keys = append(keys, "ledger.src."+s, "source."+s)
	}
	for _, k := range nipp.LedgerKinds() {
		keys = append(keys, "ledger.kind."+string(k))
	}
	for m := range measureKinds {
		keys = append(keys, "ledger.measure."+m)
	}
	for _, c := range app.LedgerColumnKeys() {
		keys = append(keys, "ledger.col."+c)
	}
	for _, k := range keys {
		for _, l := range []L{{"vi"}, {"en"}} {
			if l.T(k) == k {
				t.Errorf("%s has no %s text", k, l.Lang)
			}
		}
	}
}
