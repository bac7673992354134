package web

// httpMessages are the answers of the HTTP edge (edge.go, json.go): bodies
// over their limit, malformed text and CSRF.
var httpMessages = map[string][2]string{
	"input.too_large":     {"Dữ liệu gửi lên quá lớn (tối đa %s KB cho trang này).", "The request is too large (at most %s KB here)."},
	"input.bad_form":      {"Biểu mẫu gửi lên không đọc được.", "The submitted form cannot be read."},
	"input.bad_query":     {"Địa chỉ (phần sau dấu ?) không hợp lệ.", "The address (the part after ?) is invalid."},
	"input.bad_utf8":      {"Văn bản không phải UTF-8 hợp lệ; hãy lưu tệp hoặc gõ lại bằng UTF-8.", "The text is not valid UTF-8; save or type it again as UTF-8."},
	"input.control":       {"Văn bản chứa ký tự điều khiển (như NUL, BEL, ESC), không được phép.", "The text contains control characters (such as NUL, BEL, ESC), which are not allowed."},
	"input.bad_json":      {"Nội dung JSON không hợp lệ", "Invalid JSON body"},
	"input.json_trailing": {"Nội dung JSON phải là đúng một giá trị, không có gì theo sau.", "The JSON body must be exactly one value with nothing after it."},
	"input.csrf":          {"Phiên biểu mẫu đã hết hạn hoặc không hợp lệ (CSRF). Vui lòng tải lại trang và thử lại.", "The form has expired or is invalid (CSRF); reload the page and try again."},
}
