package web

// factsMessages are the texts of progress facts, summaries, targets
// allocation and the review's headline sentences (issue 19, data side).
var factsMessages = map[string][2]string{
	"err.nipp.progress_bad_year":         {"Năm không hợp lệ: %s", "Not a valid year: %s"},
	"err.nipp.progress_bad_map":          {"Bản đồ phải là 63 tỉnh (trước 01/07/2025) hoặc 34 tỉnh: %s", "The map is either the 63 provinces (before 1 July 2025) or the 34: %s"},
	"err.nipp.progress_program_required": {"Chọn chương trình", "Choose a program"},
	"err.nipp.progress_to_before_from":   {"Năm cuối (%[2]d) trước năm đầu (%[1]d)", "The last year (%[2]d) is before the first (%[1]d)"},
	"err.app.not_yet":                    {"Chức năng đang được xây dựng", "Not available yet"},
	"err.store.no_region":                {"Không có vùng %s", "No region %s"},
	"err.store.progress_out_of_range":    {"Tổng số liệu tiến độ vượt giới hạn lưu trữ", "A progress total would exceed what can be stored"},
	"audit.action.repair":                {"Sửa lại", "Repaired"},
	"audit.entity.rollup":                {"Số liệu tổng hợp", "Summaries"},

	"review.headline.growth": {"Kinh phí nhà nước cho khuyến công tăng bình quân %s mỗi năm (%d-%d).",
		"State funding for industry promotion grew %s a year (%d-%d)."},
	"review.headline.reciprocal": {"Các cơ sở thụ hưởng cam kết %s vốn đối ứng (đã góp %s), %s đồng cho mỗi đồng hỗ trợ của nhà nước.",
		"Beneficiaries promised %s of reciprocal capital (%s contributed), %s VND for every VND of state support."},
	"review.headline.reciprocal_only": {"Các cơ sở thụ hưởng cam kết %s vốn đối ứng (đã góp %s).",
		"Beneficiaries promised %s of reciprocal capital (%s contributed)."},
	"review.headline.models": {"Đã xây dựng %s mô hình trình diễn kỹ thuật, đạt %s mục tiêu (%s mô hình).",
		"%s technical demonstration models were built, %s of the target (%s models)."},
	"review.headline.models_no_target": {"Đã xây dựng %s mô hình trình diễn kỹ thuật.", "%s technical demonstration models were built."},
	"review.headline.establishments": {"%s cơ sở được hỗ trợ, trong đó %s cơ sở thuộc nhóm ưu tiên.",
		"%s establishments were supported, %s of them in priority groups."},
	"review.headline.pace": {"%s trên %s chỉ tiêu đạt hoặc đúng tiến độ; %s chỉ tiêu có nguy cơ không đạt.",
		"%s of %s indicators are met or on track; %s at risk."},
}
