package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"nipp/internal/nipp"
)

// Langs are the UI languages; the first is the default.
var langs = []string{"vi", "en"}

// L formats text, numbers, money and dates for one language. Templates call
// its methods: {{.L.T "key"}}, {{.L.VND .Amount}}, {{.L.Date .Day}}.
type L struct{ Lang string }

// T returns the message for key in the language, falling back to
// Vietnamese and then to the key itself (so a missing entry is visible).
func (l L) T(key string) string {
	for _, table := range messageTables {
		if m, ok := table[key]; ok {
			if l.Lang == "en" && m[1] != "" {
				return m[1]
			}
			return m[0]
		}
	}
	return key
}

// Tf is T with fmt.Sprintf arguments.
func (l L) Tf(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }

// Pick returns vi or en by language (for data that carries both names).
func (l L) Pick(vi, en string) string {
	if l.Lang == "en" && en != "" {
		return en
	}
	return vi
}

// Cap gives a text a capital first letter (labels of buttons built from
// names used mid-sentence: "gửi đề xuất" -> "Gửi đề xuất").
func (l L) Cap(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Num formats an integer with the language's thousands separator:
// 1.600 in Vietnamese, 1,600 in English.
func (l L) Num(v any) string {
	var n int64
	switch x := v.(type) {
	case int:
		n = int64(x)
	case int64:
		n = x
	case int32:
		n = int64(x)
	case *int64: // optional figures (employees, founded year): nil shows nothing
		if x == nil {
			return ""
		}
		n = *x
	case *int:
		if x == nil {
			return ""
		}
		n = int64(*x)
	default:
		return fmt.Sprint(v)
	}
	sep := "."
	if l.Lang == "en" {
		sep = ","
	}
	return groupThousands(n, sep)
}

// VND formats an amount of money: 1.600.000 ₫ (vi) or VND 1,600,000 (en).
func (l L) VND(v int64) string {
	if l.Lang == "en" {
		return "VND " + l.Num(v)
	}
	return l.Num(v) + " ₫"
}

// Percent formats a share in basis points with two decimals: 9,59% (vi),
// 9.59% (en).
func (l L) Percent(bp int) string {
	return l.fixed(int64(bp), 100, 2) + "%"
}

// Multiple formats a ratio in thousandths with up to two decimals (the
// third rounded down): 9,5 (vi), 9.5 (en).
func (l L) Multiple(milli int64) string {
	return l.fixed(milli/10, 100, 2)
}

// fixed formats v/unit with decimals digits (trailing zeros dropped), the
// language's separators.
func (l L) fixed(v, unit int64, decimals int) string {
	neg := v < 0
	if neg {
		v = -v
	}
	whole, frac := v/unit, v%unit
	s := l.Num(whole)
	if frac != 0 {
		f := strings.TrimRight(fmt.Sprintf("%0*d", decimals, frac), "0")
		dec := ","
		if l.Lang == "en" {
			dec = "."
		}
		s += dec + f
	}
	if neg {
		s = "−" + s
	}
	return s
}

// Date formats a calendar date, one format per language everywhere:
// 31/12/2025 (vi), 31 Dec 2025 (en).
func (l L) Date(d nipp.Date) string { return d.Format(l.Lang) }

// Time formats a moment on Vietnam's clock (UTC+7) as its date (as Date)
// and time: 31/12/2025 14:05, 31 Dec 2025 14:05.
func (l L) Time(t time.Time) string {
	t = t.In(time.FixedZone("ICT", 7*3600))
	return nipp.DateOf(t).Format(l.Lang) + " " + t.Format("15:04")
}

// DateTime is Time (the audit trail and its checkpoints).
func (l L) DateTime(t time.Time) string { return l.Time(t) }

func groupThousands(n int64, sep string) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// messageTables are the UI messages, key -> {Vietnamese, English}. Each
// feature area keeps its own table in its own file (i18n_<area>.go) and
// lists it here.
var messageTables = []map[string][2]string{coreMessages, errorMessages, accountMessages, ruleMessages, registryMessages, importMessages, projectMessages, programMessages, auditMessages, httpMessages, workMessages, listMessages, pickerMessages, ledgerMessages, factsMessages, progressMessages}

var coreMessages = map[string][2]string{
	"app.name":              {"Hệ thống thông tin quản lý khuyến công", "Industry Promotion Management Information System"},
	"app.short":             {"nipp", "nipp"},
	"app.ministry":          {"Bộ Công Thương", "Ministry of Industry and Trade"},
	"nav.home":              {"Trang chủ", "Home"},
	"nav.lang":              {"English", "Tiếng Việt"},
	"nav.login":             {"Đăng nhập", "Sign in"},
	"nav.logout":            {"Đăng xuất", "Sign out"},
	"home.title":            {"Chương trình khuyến công", "Industry promotion programs"},
	"home.intro":            {"Các chương trình khuyến công quốc gia, địa phương và mục tiêu của từng chương trình.", "The national and local industry promotion programs and their targets."},
	"home.empty":            {"Chưa có chương trình nào.", "There are no programs yet."},
	"program.period":        {"Giai đoạn", "Period"},
	"program.decision":      {"Quyết định", "Decision"},
	"program.approved_by":   {"Cấp phê duyệt", "Approved by"},
	"program.targets":       {"Mục tiêu", "Targets"},
	"program.revision":      {"Mục tiêu theo lần điều chỉnh %d, %s", "Targets as of revision %d, %s"},
	"program.no_targets":    {"Chương trình chưa có mục tiêu. Bộ Công Thương nhập hoặc tải lên mục tiêu khi được phê duyệt.", "This program has no targets yet. The ministry enters or imports them once approved."},
	"target.indicator":      {"Chỉ tiêu", "Indicator"},
	"target.value":          {"Mục tiêu", "Target"},
	"target.unit":           {"Đơn vị tính", "Unit"},
	"error.title":           {"Có lỗi xảy ra", "Something went wrong"},
	"error.not_found":       {"Không tìm thấy trang bạn yêu cầu.", "The page you asked for does not exist."},
	"error.back":            {"Về trang chủ", "Back to the home page"},
	"footer.note":           {"Dữ liệu công khai theo quy định. Số tiền tính bằng đồng Việt Nam.", "Published data. Amounts in Vietnamese dong."},
	"export.xlsx":           {"Tải Excel", "Download Excel"},
	"common.level.national": {"Quốc gia", "National"},
	"common.level.local":    {"Địa phương", "Local"},
}

// ProjectState names a project state in the language (for pages outside
// the projects area, such as an establishment's support history).
func (l L) ProjectState(state string) string {
	return nipp.StateName(nipp.ProjectState(state), l.Lang)
}
