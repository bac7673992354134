package store

import (
	"strconv"
	"strings"
	"testing"

	"nipp/internal/nipp"
)

// The SQL bound on amounts is nipp's.
func TestBoundedAmountIsMaxAmount(t *testing.T) {
	if !strings.Contains(boundedAmount, "BETWEEN 0 AND "+strconv.FormatInt(nipp.MaxAmount, 10)+" ") {
		t.Errorf("boundedAmount %q does not use nipp.MaxAmount %d", boundedAmount, nipp.MaxAmount)
	}
}
