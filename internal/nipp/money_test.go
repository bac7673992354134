package nipp

import (
	"math"
	"testing"
)

func TestAddVND(t *testing.T) {
	for _, c := range []struct {
		a, b, want int64
		ok         bool
	}{
		{1, 2, 3, true},
		{math.MaxInt64 - 1, 1, math.MaxInt64, true},
		{math.MaxInt64, 1, 0, false},
		{math.MaxInt64, math.MaxInt64, 0, false},
		{math.MinInt64, -1, 0, false},
		{-5, 3, -2, true},
	} {
		if got, ok := AddVND(c.a, c.b); got != c.want || ok != c.ok {
			t.Errorf("AddVND(%d, %d) = %d, %v; want %d, %v", c.a, c.b, got, ok, c.want, c.ok)
		}
	}
	// 2^64 exactly (which wrapped to 0) is refused.
	if _, ok := SumVND(math.MaxInt64, math.MaxInt64, 2); ok {
		t.Error("2^64 accepted")
	}
}

func TestShareOfDoesNotOverflow(t *testing.T) {
	for _, c := range []struct {
		v    int64
		bp   int
		want int64
	}{
		{500_000_000, 5000, 250_000_000},
		{999, 5000, 499}, // floor
		{7 * MaxAmount, 10000, 7 * MaxAmount},
		{math.MaxInt64, 10000, math.MaxInt64},
		{math.MaxInt64, 5000, math.MaxInt64 / 2},
	} {
		if got := ShareOf(c.v, c.bp); got != c.want {
			t.Errorf("ShareOf(%d, %d) = %d, want %d", c.v, c.bp, got, c.want)
		}
	}
}

func TestCheckAmountBoundary(t *testing.T) {
	if err := CheckAmount("x", MaxAmount); err != nil {
		t.Errorf("10^15 refused: %v", err)
	}
	if err := CheckAmount("x", MaxAmount+1); ErrorCode(err) != EINVALID {
		t.Errorf("10^15 + 1: %v", err)
	}
	if err := CheckAmount("x", -1); ErrorCode(err) != EINVALID {
		t.Errorf("-1: %v", err)
	}
}
