package web

var accountMessages = map[string][2]string{
	"login.title":    {"Đăng nhập", "Sign in"},
	"login.email":    {"Email", "E-mail"},
	"login.password": {"Mật khẩu", "Password"},
	"login.expired":  {"Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.", "Your session has expired. Please sign in again."},
}
