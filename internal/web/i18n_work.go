package web

// workMessages are the work page's and the navigation's texts.
var workMessages = map[string][2]string{
	"nav.work":       {"Việc của tôi", "My work"},
	"nav.duplicates": {"Rà soát trùng", "Duplicates review"},
	"nav.imports":    {"Nhập danh sách", "Imports"},
	"nav.plans":      {"Kế hoạch năm", "Annual plan"},

	"work.title":            {"Việc của tôi", "My work"},
	"work.intro.provincial": {"Đề án của tỉnh bạn đang chờ bạn ở từng bước, và các lần nhập danh sách cơ sở của bạn.", "Your provinces' projects waiting for you at each step, and your establishment imports."},
	"work.intro.central":    {"Đề xuất chờ thẩm định và quyết định, các đợt thẩm định đang mở và kế hoạch năm nay.", "Proposals waiting for appraisal and decision, the open appraisal rounds and this year's plan."},
	"work.intro.admin":      {"Tài khoản người dùng, và các việc của Bộ: đề xuất chờ thẩm định, đợt thẩm định, kế hoạch năm.", "User accounts, and the ministry's work: proposals to appraise, appraisal rounds, the annual plan."},
	"work.intro.appraiser":  {"Các đề án được giao cho hội đồng của bạn: chưa chấm điểm và đã chấm.", "The projects assigned to your councils: to score and scored."},
	"work.intro.auditor":    {"Bạn xem được toàn bộ dữ liệu và nhật ký thay đổi; bạn không sửa dữ liệu.", "You can read all data and the audit trail; you change nothing."},
	"work.actions":          {"Bạn có thể", "You may"},
	"work.see_all":          {"Xem cả %s đề án", "See all %s projects"},
	"work.open_list":        {"Mở danh sách", "Open the list"},

	"work.queue.draft":             {"Dự thảo", "Drafts"},
	"work.queue.returned":          {"Bị trả lại để sửa", "Returned for revision"},
	"work.queue.approved":          {"Đã phê duyệt, chờ triển khai", "Approved, to start"},
	"work.queue.in_implementation": {"Đang triển khai, chờ nghiệm thu", "In implementation, to accept"},
	"work.queue.accepted":          {"Đã nghiệm thu, chờ quyết toán", "Accepted, to settle"},
	"work.queue.submitted":         {"Đề xuất đã gửi, chờ thẩm định", "Submitted, to appraise"},
	"work.queue.under_appraisal":   {"Đang thẩm định, chờ quyết định", "Under appraisal, to decide"},

	"work.empty.draft":             {"Không có dự thảo nào.", "No drafts."},
	"work.empty.returned":          {"Không có đề án nào bị trả lại.", "No project was returned to you."},
	"work.empty.approved":          {"Không có đề án nào chờ triển khai.", "No approved project waits to start."},
	"work.empty.in_implementation": {"Không có đề án nào chờ nghiệm thu.", "No project waits for acceptance."},
	"work.empty.accepted":          {"Không có đề án nào chờ quyết toán.", "No project waits for settlement."},
	"work.empty.submitted":         {"Không có đề xuất mới nào chờ thẩm định.", "No new proposal waits for appraisal."},
	"work.empty.under_appraisal":   {"Không có đề án nào đang thẩm định.", "No project is under appraisal."},

	"work.imports":        {"Lần nhập danh sách của tôi", "My imports"},
	"work.imports.active": {"%s lần nhập đang chạy hoặc chờ bạn.", "%s imports running or waiting for you."},
	"work.imports.all":    {"Tất cả lần nhập", "All imports"},
	"work.imports.empty":  {"Bạn chưa nhập danh sách cơ sở nào.", "You have not imported any establishment list yet."},

	"work.rounds":         {"Đợt thẩm định đang mở", "Open appraisal rounds"},
	"work.rounds.pending": {"%s/%s đề án chưa có quyết định", "%s of %s projects not yet decided"},
	"work.rounds.all":     {"Tất cả đợt thẩm định", "All appraisal rounds"},
	"work.rounds.empty":   {"Không có đợt thẩm định nào đang mở.", "No appraisal round is open."},
	"work.plan.empty":     {"Chưa có đề án nào trong kế hoạch năm nay.", "No project in this year's plan yet."},

	"work.to_score":       {"Chưa chấm điểm", "To score"},
	"work.to_score.empty": {"Không có đề án nào chờ bạn chấm điểm.", "No project waits for your scores."},
	"work.scored":         {"Đã chấm điểm", "Scored"},
	"work.scored.empty":   {"Bạn chưa chấm đề án nào.", "You have not scored any project yet."},
	"work.scored_of":      {"đã chấm %d/%d tiêu chí", "%d of %d criteria scored"},

	"work.users.role":   {"Vai trò", "Role"},
	"work.users.total":  {"Số tài khoản", "Accounts"},
	"work.users.active": {"Đang hoạt động", "Active"},
	"work.users.new":    {"Tạo tài khoản", "New account"},
	"work.audit.verify": {"Kiểm tra tính toàn vẹn nhật ký", "Verify the audit trail"},
}

// listMessages are shared by the paged lists (counts, scope options).
var listMessages = map[string][2]string{
	"list.total":          {"Tổng số: %s", "Total: %s"},
	"list.total_more":     {"Tổng số: hơn %s", "Total: more than %s"},
	"list.own_projects":   {"Chỉ đề án của tỉnh tôi", "My provinces' projects only"},
	"list.years":          {"Kế hoạch năm %d–%d", "Plan years %d–%d"},
	"list.home":           {"Đề án ghi nhận tại %s", "Projects recorded under %s"},
	"list.then":           {"Đề án ghi nhận tại tỉnh mã %s (lúc lập đề án)", "Projects recorded under province code %s (at the time)"},
	"list.can":            {"Chỉ đề án tôi có thể %s", "Only projects I may %s"},
	"list.include_others": {"Gồm cả cơ sở đã công khai của tỉnh khác", "Include other provinces' published records"},
	"list.own_only_note":  {"Đang hiển thị cơ sở của tỉnh bạn phụ trách.", "Showing your provinces' records."},
	"list.province_hint":  {"Mã hoặc tên tỉnh, mới hoặc cũ, có dấu hoặc không", "Province code or name, new or former, with or without diacritics"},
}

// pickerMessages are the beneficiary picker's texts.
var pickerMessages = map[string][2]string{
	"picker.find":   {"Tìm cơ sở theo tên (có dấu hoặc không dấu)", "Find an establishment by name (with or without diacritics)"},
	"picker.search": {"Tìm", "Search"},
	"picker.found":  {"%s cơ sở khớp \u201c%s\u201d", "%s establishments match \u201c%s\u201d"},
	"picker.more":   {"Hơn %s cơ sở khớp \u201c%s\u201d", "More than %s establishments match \u201c%s\u201d"},
	"picker.choose": {"Chọn làm đối tượng thụ hưởng", "Add as beneficiary"},
	"picker.added":  {"đã có trong đề án", "already a beneficiary"},
	"picker.none":   {"Không có cơ sở nào khớp trong địa bàn của đề án. Thử bỏ dấu, bớt từ, hoặc thêm cơ sở vào danh sách trước.", "No establishment in the project's provinces matches. Try fewer words, or add the establishment to the registry first."},
}
