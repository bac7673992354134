package nipp

// MaxAmount is the largest amount of money, in VND, that any single amount
// may hold: a budget line's planned, approved or settled amount, a support
// cap, a plan ceiling. 10^15 VND (a million billion đồng) is several
// hundred times the program's whole yearly budget, so no real amount comes
// near it, and it keeps every sum the system makes far from int64's limit
// (about 9.2 x 10^18): a project has at most one line per funding source
// (7 lines), so its total is at most 7 x 10^15, and a share of it in basis
// points is computed without overflow (SupportCap.Allowed). Sums over many
// projects (the annual plan) still go through AddVND.
const MaxAmount int64 = 1_000_000_000_000_000

// CheckAmount refuses an amount below zero or above MaxAmount, naming the
// field.
func CheckAmount(field string, v int64) error {
	if err := checkAmount(field, v); err != nil {
		return err
	}
	return nil
}

// checkAmount is CheckAmount for validations that collect every problem.
func checkAmount(field string, v int64) *Error {
	if v < 0 {
		return FieldError(field, "err.nipp.amount_cannot_negative")
	}
	if v > MaxAmount {
		return FieldError(field, "err.nipp.amount_over_limit", VND(v), VND(MaxAmount))
	}
	return nil
}

// AddVND returns a+b and whether the sum fits in an int64 (false on
// overflow, in which case the sum is meaningless). Every sum of money in
// Go goes through it.
func AddVND(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}

// SumVND adds amounts with AddVND; ok is false when the sum overflows.
func SumVND(vs ...int64) (sum int64, ok bool) {
	for _, v := range vs {
		if sum, ok = AddVND(sum, v); !ok {
			return 0, false
		}
	}
	return sum, true
}

// ShareOf returns floor(v x bp / 10000) for v >= 0 and 0 <= bp <= 10000
// without overflowing for any int64 v.
func ShareOf(v int64, bp int) int64 {
	return v/10000*int64(bp) + v%10000*int64(bp)/10000
}
