package web

// programMessages: the programs list and local programs.
var programMessages = map[string][2]string{
	"nav.programs":            {"Chương trình", "Programs"},
	"programs.list_title":     {"Chương trình khuyến công", "Industry promotion programs"},
	"programs.national":       {"Chương trình khuyến công quốc gia", "National programs"},
	"programs.local":          {"Chương trình khuyến công địa phương", "Local programs"},
	"programs.local_intro":    {"Các tỉnh, thành phố thực hiện chương trình khuyến công địa phương bằng ngân sách địa phương, song song với chương trình quốc gia.", "Provinces run local industry promotion programs with local budgets beside the national one."},
	"programs.local_empty":    {"Chưa có chương trình khuyến công địa phương nào.", "There are no local programs yet."},
	"programs.all_provinces":  {"Tất cả các tỉnh", "All provinces"},
	"programs.filter":         {"Lọc", "Filter"},
	"programs.code":           {"Mã", "Code"},
	"programs.name":           {"Tên chương trình", "Program"},
	"programs.new_local":      {"Thêm chương trình địa phương", "New local program"},
	"programs.edit":           {"Sửa chương trình", "Edit the program"},
	"programs.name_vi":        {"Tên (tiếng Việt)", "Name (Vietnamese)"},
	"programs.name_en":        {"Tên (tiếng Anh, không bắt buộc)", "Name (English, optional)"},
	"programs.start_year":     {"Từ năm", "From year"},
	"programs.end_year":       {"Đến năm", "To year"},
	"programs.approved_by_vi": {"Cấp phê duyệt (ví dụ UBND tỉnh Ninh Bình)", "Approved by, in Vietnamese (e.g. UBND tỉnh Ninh Bình)"},
	"programs.approved_by_en": {"Cấp phê duyệt bằng tiếng Anh (không bắt buộc)", "Approved by, in English (optional)"},
	"programs.code_hint":      {"Ví dụ KCDP-01-2026-2030; không đổi sau khi tạo.", "E.g. KCDP-01-2026-2030; it does not change once created."},
	"programs.save_program":   {"Lưu chương trình", "Save the program"},
	"programs.local_targets":  {"Mục tiêu do tỉnh nhập hoặc tải lên sau khi tạo, như chương trình quốc gia; không có mục tiêu mặc định.", "The province enters or imports the targets once the program exists, as for national programs; there are no default targets."},
	"programs.level.national": {"Quốc gia", "National"},
	"programs.level.local":    {"Địa phương", "Local"},
	"programs.level":          {"Cấp", "Level"},
}
