package app

import (
	"strconv"

	"nipp/internal/nipp"
	"nipp/internal/vntext"
)

// estColumn is a column of establishment spreadsheets: the field key, the
// header nipp writes (Vietnamese, as officers print it) and the folded
// headers it recognises on import.
type estColumn struct {
	Key     string
	Header  string
	Aliases []string
}

// EstColumns are the columns of establishment exports, in order; imports
// recognise the same headers and the variants listed.
var estColumns = []estColumn{
	{"id", "Mã cơ sở", []string{"ma co so", "ma", "id", "ma dinh danh", "so dang ky", "ma so", "code", "establishment id", "public id"}},
	{"name", "Tên cơ sở", []string{"ten co so", "ten", "ten doanh nghiep", "ten don vi", "ten co so cnnt", "ten co so cong nghiep nong thon", "name", "establishment", "establishment name", "ten htx", "ten co so san xuat"}},
	{"legal_form", "Loại hình", []string{"loai hinh", "loai hinh doanh nghiep", "loai hinh to chuc", "hinh thuc", "legal form", "type"}},
	{"tax_code", "Mã số thuế", []string{"ma so thue", "mst", "ma so doanh nghiep", "msdn", "tax code", "tax id", "ma so thue/ma so dn"}},
	{"province", "Tỉnh/TP", []string{"tinh/tp", "tinh tp", "tinh", "tinh/thanh pho", "tinh thanh pho", "tinh, thanh pho", "province", "province/city"}},
	{"commune", "Xã/phường", []string{"xa/phuong", "xa phuong", "xa", "phuong", "xa/phuong/thi tran", "xa phuong thi tran", "xa/phuong/dac khu", "commune", "ward", "commune/ward"}},
	{"orig_province", "Tỉnh/TP (trước 01/07/2025)", []string{"tinh/tp (truoc 01/07/2025)", "tinh cu", "tinh/tp cu", "tinh truoc sap nhap", "old province", "original province", "province at the time"}},
	{"orig_commune", "Xã/phường (trước 01/07/2025)", []string{"xa/phuong (truoc 01/07/2025)", "xa cu", "xa/phuong cu", "xa truoc sap nhap", "old commune", "original commune", "commune at the time"}},
	{"address", "Địa chỉ", []string{"dia chi", "dia chi chi tiet", "thon/xom", "thon", "address"}},
	{"sector", "Ngành nghề", []string{"nganh nghe", "nganh", "nganh nghe san xuat", "ma nganh", "linh vuc", "sector", "industry", "sector code"}},
	{"craft_village", "Làng nghề", []string{"lang nghe", "thuoc lang nghe", "craft village"}},
	{"employees", "Số lao động", []string{"so lao dong", "lao dong", "so lao dong (nguoi)", "so luong lao dong", "employees", "workers", "number of employees"}},
	{"founded_year", "Năm thành lập", []string{"nam thanh lap", "nam thanh lap/nam bat dau hoat dong", "thanh lap", "year founded", "founded", "founded year", "ngay thanh lap"}},
	{"contact_name", "Người liên hệ", []string{"nguoi lien he", "nguoi dai dien", "chu co so", "dai dien", "contact", "contact name", "ho ten chu co so", "nguoi dai dien theo phap luat"}},
	{"phone", "Điện thoại", []string{"dien thoai", "so dien thoai", "sdt", "dt", "phone", "telephone"}},
	{"email", "Email", []string{"email", "e-mail", "thu dien tu", "mail"}},
	{"women_owned", "Chủ là nữ", []string{"chu la nu", "chu co so la nu", "nu lam chu", "women owned", "woman owned", "women-owned"}},
	{"ethnic_minority_owned", "Chủ là người DTTS", []string{"chu la nguoi dtts", "chu la nguoi dan toc thieu so", "dan toc thieu so", "dtts", "ethnic minority owned", "ethnic-minority-owned"}},
	{"artisan", "Nghệ nhân", []string{"nghe nhan", "artisan"}},
	{"status", "Trạng thái", []string{"trang thai", "tinh trang", "tinh trang hoat dong", "status"}},
	{"published", "Công khai", []string{"cong khai", "published", "public"}},
	{"recorded_on", "Ngày ghi nhận", []string{"ngay ghi nhan", "ngay cap nhat", "ngay nhap", "recorded on", "date recorded", "date"}},
	{"registered_on", "Ngày đăng ký", []string{"ngay dang ky", "ngay dang ky kinh doanh", "ngay cap dang ky", "ngay cap giay chung nhan dang ky", "ngay cap dkkd", "ngay dkkd", "registration date", "registered on", "date registered"}},
}

// matchEstColumn returns the key of a folded header text, or "".
func matchEstColumn(folded string) string {
	for _, c := range estColumns {
		if folded == vntext.Fold(c.Header) {
			return c.Key
		}
		for _, a := range c.Aliases {
			if folded == a {
				return c.Key
			}
		}
	}
	return ""
}

// EstColumnKeys returns the column keys, for the mapping step.
func EstColumnKeys() []string {
	out := make([]string, len(estColumns))
	for i, c := range estColumns {
		out[i] = c.Key
	}
	return out
}

// EstColumnHeader returns the header nipp prints for a column key.
func EstColumnHeader(key string) string {
	for _, c := range estColumns {
		if c.Key == key {
			return c.Header
		}
	}
	return key
}

// EstablishmentHeader returns the header row of establishment exports.
func EstablishmentHeader() []any {
	out := make([]any, len(estColumns))
	for i, c := range estColumns {
		out[i] = c.Header
	}
	return out
}

var legalFormVI = map[string]string{
	nipp.LegalEnterprise: "Doanh nghiệp", nipp.LegalCooperative: "Hợp tác xã",
	nipp.LegalCooperativeGroup: "Tổ hợp tác", nipp.LegalHousehold: "Hộ kinh doanh",
}

var statusVI = map[string]string{nipp.EstActive: "Đang hoạt động", nipp.EstInactive: "Ngừng hoạt động", nipp.EstArchived: "Lưu trữ"}

func yesNo(b bool) string {
	if b {
		return "Có"
	}
	return "Không"
}

// EstablishmentRecord returns an establishment as an export row, in the
// order of EstablishmentHeader: what the import reads back unchanged.
func EstablishmentRecord(e *nipp.Establishment) []any {
	commune, origCommune := "", ""
	if e.Commune != nil {
		commune = e.Commune.Name
	}
	if e.OrigCommune != nil {
		origCommune = e.OrigCommune.Name
	}
	num := func(p *int64) any {
		if p == nil {
			return ""
		}
		return *p
	}
	return []any{e.PublicID, e.Name, legalFormVI[e.LegalForm], e.TaxCode, e.Province.Name, commune,
		e.OrigProvince.Name, origCommune, e.Address, e.SectorCode, e.CraftVillage, num(e.Employees), num(e.FoundedYear),
		e.ContactName, e.Phone, e.Email, yesNo(e.WomenOwned), yesNo(e.EthnicMinorityOwned), yesNo(e.Artisan),
		statusVI[e.Status], yesNo(e.Published), e.RecordedOn.Time(), optDate(e.RegisteredOn)}
}

// optDate is a date cell, or an empty one for the zero date.
func optDate(d nipp.Date) any {
	if d.IsZero() {
		return ""
	}
	return d.Time()
}

func parseStatus(s string) string {
	f := vntext.Fold(s)
	switch f {
	case "", "dang hoat dong", "hoat dong", "active", "con hoat dong":
		return nipp.EstActive
	case "ngung hoat dong", "tam ngung", "tam ngung hoat dong", "inactive", "ngung":
		return nipp.EstInactive
	case "luu tru", "archived", "giai the":
		return nipp.EstArchived
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
