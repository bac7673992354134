package web

// auditMessages: the audit trail as people read it (names of actions,
// entities and fields) and its published checkpoints.
var auditMessages = map[string][2]string{
	"checkpoints.title":  {"Điểm chốt nhật ký", "Audit trail checkpoints"},
	"checkpoints.intro":  {"Mỗi điểm chốt công bố đầu chuỗi nhật ký tại một thời điểm (số thứ tự mục cuối và mã băm của nó). Hãy tải về và lưu giữ bên ngoài hệ thống: nếu ai đó xóa hoặc viết lại các mục gần đây, chuỗi sẽ không còn tới điểm chốt và lệnh kiểm tra sẽ báo.", "Each checkpoint publishes the head of the audit chain at a moment (the last entry's seq and its hash). Download them and keep them outside nipp: if anyone deletes or rewrites recent entries, the chain no longer reaches the checkpoint and the verification says so."},
	"checkpoints.why":    {"Kiểm tra ở trên chỉ dựa vào cơ sở dữ liệu: người có quyền truy cập cơ sở dữ liệu có thể xóa các mục cuối và lùi đầu chuỗi mà không bị phát hiện. Điểm chốt lưu bên ngoài (nipp audit verify --checkpoints TỆP) phát hiện việc đó.", "The check above relies on the database alone: someone with database access can delete the last entries and move the head back unseen. Checkpoints kept outside nipp (nipp audit verify --checkpoints FILE) catch that."},
	"checkpoints.take":   {"Chốt đầu chuỗi ngay", "Take a checkpoint now"},
	"checkpoints.list":   {"Danh sách điểm chốt", "All checkpoints"},
	"checkpoints.taken":  {"Đã tạo điểm chốt số %s.", "Checkpoint %s taken."},
	"checkpoints.same":   {"Đầu chuỗi chưa thay đổi từ điểm chốt số %s; không tạo điểm chốt mới.", "The head has not moved since checkpoint %s; no new checkpoint was needed."},
	"checkpoints.csv":    {"Tải CSV", "Download CSV"},
	"checkpoints.json":   {"Tải JSON", "Download JSON"},
	"checkpoints.number": {"Số", "No."},
	"checkpoints.hash":   {"Mã băm", "Hash"},
	"checkpoints.empty":  {"Chưa có điểm chốt nào. Máy chủ tạo một điểm chốt mỗi ngày.", "No checkpoint yet. The server takes one every day."},

	"audit.problem.altered":    {"bị sửa", "altered"},
	"audit.problem.removed":    {"bị xóa", "removed"},
	"audit.problem.reordered":  {"bị đổi thứ tự", "reordered"},
	"audit.problem.head":       {"đầu chuỗi sai", "head mismatch"},
	"audit.problem.checkpoint": {"mất điểm chốt", "checkpoint lost"},
}
