package demo

// The vocabulary of the demo data: trades, names, places. It is demo
// material only; nothing outside this package reads it.

// Region codes of the reference data (regions.csv).
const (
	regRRD = "RRD" // Red River Delta
	regNMM = "NMM" // Northern Midlands and Mountains
	regNCC = "NCC" // North Central and Central Coast
	regCH  = "CH"  // Central Highlands
	regSE  = "SE"  // South East
	regMRD = "MRD" // Mekong River Delta
)

// mountain reports whether a region is mountainous (more ethnic-minority
// owners, more disadvantaged areas).
func mountain(region string) bool { return region == regNMM || region == regCH }

// regionWeight is the relative density of rural industrial establishments
// per old (63-set) province of a region.
var regionWeight = map[string]float64{
	regRRD: 2.6, regMRD: 1.9, regNCC: 1.2, regNMM: 0.9, regSE: 0.9, regCH: 0.55,
}

// provinceFactor adjusts the density of a few old provinces (GSO codes):
// the craft-village heartlands up, the big cities down.
var provinceFactor = map[string]float64{
	"01": 3.0, // Hà Nội: over a thousand craft villages
	"27": 1.5, // Bắc Ninh
	"34": 1.5, // Thái Bình
	"36": 1.5, // Nam Định
	"79": 0.5, // Hồ Chí Minh
	"48": 0.5, // Đà Nẵng
	"31": 0.8, // Hải Phòng
}

// trade is a line of rural industrial production.
type trade struct {
	name     string   // as it appears in an establishment name, capitalised
	sector   string   // VSIC 2018 division code
	activity string   // "sản xuất gốm sứ": what the establishment does
	product  string   // "gốm sứ mỹ nghệ": what it sells
	craft    string   // craft village prefix: "Làng gốm"
	demo     []string // demonstration models and technologies
	machine  []string // machines an establishment might be helped to buy
	weight   float64
	regions  []string // regions where the trade is common (weight x3)
	local    bool     // rare outside its regions (weight x0.05)
}

var trades = []trade{
	{name: "Gốm sứ", sector: "C23", activity: "sản xuất gốm sứ", product: "gốm sứ mỹ nghệ", craft: "Làng gốm",
		demo:    []string{"sản xuất gốm sứ mỹ nghệ bằng lò nung gas tiết kiệm năng lượng", "tạo hình gốm bằng khuôn thạch cao và máy tiện bán tự động"},
		machine: []string{"lò nung gas", "máy nghiền men bi", "máy tạo hình gốm"}, weight: 4, regions: []string{regRRD, regNCC, regSE}},
	{name: "Gạch không nung", sector: "C23", activity: "sản xuất gạch không nung", product: "gạch không nung", craft: "Làng nghề vật liệu xây dựng",
		demo:    []string{"sản xuất gạch không nung từ tro xỉ và phế thải xây dựng", "sản xuất gạch bê tông cốt liệu theo công nghệ ép rung"},
		machine: []string{"máy ép gạch thủy lực", "máy trộn cưỡng bức"}, weight: 3},
	{name: "Mây tre đan", sector: "C16", activity: "sản xuất hàng mây tre đan", product: "mây tre đan", craft: "Làng mây tre đan",
		demo:    []string{"xử lý chống mối mọt, nấm mốc cho nguyên liệu mây tre", "sản xuất đồ nội thất mây tre đan xuất khẩu"},
		machine: []string{"máy chẻ nan", "máy vót nan", "lò sấy nguyên liệu"}, weight: 6, regions: []string{regRRD, regNCC, regMRD}},
	{name: "Chiếu cói", sector: "C16", activity: "sản xuất chiếu cói và hàng thủ công mỹ nghệ từ cói", product: "hàng cói mỹ nghệ", craft: "Làng nghề chiếu cói",
		demo:    []string{"dệt chiếu cói bằng máy dệt tự động"},
		machine: []string{"máy dệt chiếu cói", "máy se sợi cói"}, weight: 2, regions: []string{regRRD, regNCC}},
	{name: "Dệt thổ cẩm", sector: "C13", activity: "dệt thổ cẩm", product: "thổ cẩm", craft: "Làng dệt thổ cẩm",
		demo:    []string{"dệt thổ cẩm kết hợp nhuộm màu tự nhiên", "sản xuất sản phẩm thổ cẩm phục vụ du lịch"},
		machine: []string{"khung dệt cải tiến", "máy khâu công nghiệp"}, weight: 3, regions: []string{regNMM, regCH}, local: true},
	{name: "Dệt may", sector: "C13", activity: "sản xuất hàng dệt may", product: "hàng may mặc", craft: "Làng nghề dệt may",
		demo:    []string{"may công nghiệp theo dây chuyền chuyền may cụm"},
		machine: []string{"máy may công nghiệp", "máy cắt vải tự động", "máy vắt sổ"}, weight: 4, regions: []string{regRRD, regSE, regMRD}},
	{name: "Thêu ren", sector: "C13", activity: "thêu ren", product: "hàng thêu ren xuất khẩu", craft: "Làng nghề thêu ren",
		demo:    []string{"thêu vi tính kết hợp thêu tay truyền thống"},
		machine: []string{"máy thêu vi tính", "máy là hơi công nghiệp"}, weight: 3, regions: []string{regRRD, regNCC}},
	{name: "Chế biến chè", sector: "C10", activity: "chế biến chè", product: "chè búp khô", craft: "Làng nghề chè",
		demo:    []string{"chế biến chè xanh chất lượng cao theo công nghệ sấy bơm nhiệt", "chế biến chè Ô long"},
		machine: []string{"máy vò chè", "máy sao chè", "máy sấy chè bơm nhiệt"}, weight: 4, regions: []string{regNMM, regCH}, local: true},
	{name: "Chế biến gỗ", sector: "C16", activity: "chế biến gỗ", product: "đồ gỗ", craft: "Làng nghề mộc",
		demo:    []string{"sấy gỗ bằng lò sấy hơi nước tiết kiệm năng lượng", "sản xuất ván ghép thanh từ gỗ rừng trồng"},
		machine: []string{"máy bào bốn mặt", "máy cưa CNC", "lò sấy gỗ"}, weight: 5, regions: []string{regNCC, regSE, regNMM}},
	{name: "Đồ gỗ mỹ nghệ", sector: "C31", activity: "sản xuất đồ gỗ mỹ nghệ", product: "đồ gỗ mỹ nghệ", craft: "Làng nghề mộc mỹ nghệ",
		demo:    []string{"chạm khắc gỗ mỹ nghệ bằng máy CNC kết hợp thủ công"},
		machine: []string{"máy đục CNC", "máy chà nhám", "hệ thống phun sơn PU"}, weight: 3, regions: []string{regRRD}},
	{name: "Cơ khí nông nghiệp", sector: "C28", activity: "chế tạo máy nông nghiệp", product: "máy nông nghiệp", craft: "Làng nghề cơ khí",
		demo:    []string{"chế tạo máy gặt đập liên hợp cỡ nhỏ", "chế tạo máy sấy lúa tầng sôi"},
		machine: []string{"máy cắt plasma CNC", "máy chấn tôn thủy lực", "máy hàn tự động"}, weight: 4, regions: []string{regMRD, regRRD}},
	{name: "Cơ khí", sector: "C25", activity: "gia công cơ khí", product: "sản phẩm cơ khí", craft: "Làng nghề cơ khí",
		demo:    []string{"gia công chi tiết cơ khí chính xác trên máy CNC"},
		machine: []string{"máy tiện CNC", "máy phay CNC", "máy cắt laser"}, weight: 3},
	{name: "Sơn mài", sector: "C32", activity: "sản xuất sơn mài mỹ nghệ", product: "sơn mài mỹ nghệ", craft: "Làng sơn mài",
		demo:    []string{"sản xuất sơn mài trên cốt tre ép"},
		machine: []string{"máy mài bóng", "buồng phun sơn"}, weight: 1.5, regions: []string{regRRD, regSE}},
	{name: "Chế biến thủy sản", sector: "C10", activity: "chế biến thủy sản", product: "thủy sản chế biến", craft: "Làng nghề chế biến thủy sản",
		demo:    []string{"sấy khô thủy sản bằng năng lượng mặt trời", "cấp đông nhanh thủy sản theo công nghệ IQF"},
		machine: []string{"máy sấy bơm nhiệt", "tủ cấp đông", "máy hút chân không"}, weight: 4, regions: []string{regMRD, regNCC, regRRD, regSE}, local: true},
	{name: "Nước mắm", sector: "C10", activity: "sản xuất nước mắm truyền thống", product: "nước mắm", craft: "Làng nghề nước mắm",
		demo:    []string{"chế biến nước mắm truyền thống kết hợp lọc vi sinh"},
		machine: []string{"hệ thống lọc nước mắm", "máy chiết rót tự động", "bồn ủ chượp inox"}, weight: 2.5, regions: []string{regNCC, regMRD, regSE}, local: true},
	{name: "Bánh tráng", sector: "C10", activity: "sản xuất bánh tráng", product: "bánh tráng", craft: "Làng nghề bánh tráng",
		demo:    []string{"tráng bánh bằng máy tráng hơi nước kết hợp sấy khô"},
		machine: []string{"máy tráng bánh", "máy sấy bánh tráng", "máy xay bột nước"}, weight: 3, regions: []string{regMRD, regNCC, regSE}},
	{name: "Rượu truyền thống", sector: "C11", activity: "sản xuất rượu truyền thống", product: "rượu truyền thống", craft: "Làng nghề nấu rượu",
		demo:    []string{"nấu rượu truyền thống kết hợp lọc tách andehyt"},
		machine: []string{"hệ thống chưng cất rượu", "máy lọc tách andehyt", "máy chiết rót"}, weight: 2.5, regions: []string{regNMM, regRRD}},
	{name: "Đúc đồng", sector: "C24", activity: "đúc đồng mỹ nghệ", product: "đồ đồng mỹ nghệ", craft: "Làng nghề đúc đồng",
		demo:    []string{"đúc đồng mỹ nghệ bằng khuôn mẫu chảy"},
		machine: []string{"lò trung tần nấu đồng", "máy đánh bóng"}, weight: 1, regions: []string{regRRD, regNCC}},
	{name: "Đá mỹ nghệ", sector: "C23", activity: "chế tác đá mỹ nghệ", product: "đá mỹ nghệ", craft: "Làng nghề chạm khắc đá",
		demo:    []string{"chạm khắc đá mỹ nghệ bằng máy CNC"},
		machine: []string{"máy cắt đá CNC", "máy mài đá"}, weight: 1.5, regions: []string{regRRD, regNCC}},
	{name: "Chế biến nông sản", sector: "C10", activity: "chế biến nông sản", product: "nông sản chế biến", craft: "Làng nghề chế biến nông sản",
		demo:    []string{"sấy nông sản bằng công nghệ bơm nhiệt", "sơ chế, bảo quản nông sản sau thu hoạch"},
		machine: []string{"máy sấy bơm nhiệt", "máy đóng gói tự động", "máy phân loại"}, weight: 5},
	{name: "Cà phê", sector: "C10", activity: "chế biến cà phê", product: "cà phê bột", craft: "Làng nghề cà phê",
		demo:    []string{"chế biến cà phê nhân theo phương pháp ướt"},
		machine: []string{"máy rang cà phê", "máy xay cà phê", "máy đóng gói"}, weight: 2, regions: []string{regCH}, local: true},
	{name: "Chế biến hạt điều", sector: "C10", activity: "chế biến hạt điều", product: "hạt điều", craft: "Làng nghề chế biến điều",
		demo:    []string{"tách vỏ hạt điều bằng máy bán tự động"},
		machine: []string{"máy tách vỏ hạt điều", "máy bóc lụa", "lò sấy hạt điều"}, weight: 1.5, regions: []string{regSE, regCH}, local: true},
	{name: "Miến dong", sector: "C10", activity: "sản xuất miến dong", product: "miến dong", craft: "Làng nghề miến dong",
		demo:    []string{"sản xuất miến dong theo dây chuyền khép kín"},
		machine: []string{"máy tráng miến", "máy sấy miến", "máy cắt miến"}, weight: 1.5, regions: []string{regNMM, regRRD}, local: true},
	{name: "Bạc mỹ nghệ", sector: "C32", activity: "chế tác trang sức bạc", product: "trang sức bạc", craft: "Làng nghề chạm bạc",
		demo:    []string{"chế tác trang sức bạc bằng công nghệ đúc mẫu chảy"},
		machine: []string{"máy đúc chân không", "máy đánh bóng"}, weight: 1, regions: []string{regNMM, regRRD}, local: true},
	{name: "Nón lá", sector: "C32", activity: "sản xuất nón lá", product: "nón lá", craft: "Làng nghề nón lá",
		demo:    []string{"sấy, tẩy trắng lá nón bằng công nghệ lưu huỳnh an toàn"},
		machine: []string{"máy ép lá nón", "lò sấy lá"}, weight: 1.5, regions: []string{regNCC}, local: true},
	{name: "Hương trầm", sector: "C32", activity: "sản xuất hương", product: "hương trầm", craft: "Làng nghề làm hương",
		demo:    []string{"sản xuất hương sạch không hóa chất"},
		machine: []string{"máy se hương", "máy sấy hương"}, weight: 1.5},
	{name: "Dược liệu", sector: "C21", activity: "chế biến dược liệu", product: "dược liệu", craft: "Làng nghề dược liệu",
		demo:    []string{"chiết xuất tinh dầu dược liệu bằng hơi nước"},
		machine: []string{"nồi chưng cất tinh dầu", "máy thái dược liệu", "máy sấy dược liệu"}, weight: 1.5, regions: []string{regNMM, regCH}, local: true},
	{name: "Kẹo dừa", sector: "C10", activity: "sản xuất kẹo dừa", product: "kẹo dừa", craft: "Làng nghề kẹo dừa",
		demo:    []string{"nấu kẹo dừa bằng nồi hơi gián tiếp"},
		machine: []string{"máy ép nước cốt dừa", "máy cắt kẹo", "máy gói kẹo"}, weight: 1, regions: []string{regMRD}, local: true},
	{name: "Phân bón hữu cơ", sector: "C20", activity: "sản xuất phân bón hữu cơ vi sinh", product: "phân bón hữu cơ", craft: "",
		demo:    []string{"sản xuất phân bón hữu cơ vi sinh từ phụ phẩm nông nghiệp"},
		machine: []string{"máy trộn phân", "máy ép viên", "máy đóng bao"}, weight: 1.5},
	{name: "Rèn", sector: "C25", activity: "rèn dao kéo và nông cụ", product: "dao kéo, nông cụ", craft: "Làng rèn",
		demo:    []string{"rèn dao kéo bằng búa máy kết hợp tôi cao tần"},
		machine: []string{"búa máy", "máy tôi cao tần", "máy mài"}, weight: 1.5, regions: []string{regNMM, regRRD, regNCC}},
}

// Auspicious names Vietnamese companies take.
var brands = []string{
	"Minh Long", "Phú Thịnh", "Hoàng Gia", "Thành Đạt", "An Phát", "Hưng Thịnh", "Tân Tiến", "Việt Hưng",
	"Đại Phát", "Kim Ngân", "Trường Sơn", "Hồng Hà", "Thiên Phú", "Bảo Ngọc", "Quang Minh", "Phúc An",
	"Đức Thành", "Hà My", "Nam Việt", "Sơn Hà", "Thái Bình Dương", "Phương Đông", "Ánh Dương", "Hòa Bình",
	"Tiến Phát", "Thịnh Vượng", "Gia Huy", "Bình Minh", "Hải Đăng", "Tâm Đức", "Lộc Phát", "Vạn Xuân",
	"Phú Gia", "Kim Long", "Đông Á", "Trung Kiên", "Hưng Long", "Tân Phát", "Mỹ Hưng", "Song Long",
}

// Regional names used by companies of a region.
var regionBrands = map[string][]string{
	regRRD: {"Đồng Bằng", "Sông Hồng", "Bắc Bộ", "Kinh Bắc"},
	regNMM: {"Tây Bắc", "Đông Bắc", "Vùng Cao", "Miền Núi"},
	regNCC: {"Miền Trung", "Duyên Hải", "Trường Sơn", "Sông Lam"},
	regCH:  {"Tây Nguyên", "Cao Nguyên", "Đại Ngàn"},
	regSE:  {"Đông Nam Bộ", "Miền Đông", "Sông Bé"},
	regMRD: {"Miền Tây", "Cửu Long", "Mê Kông", "Sông Hậu"},
}

// Family names with their rough frequency; the south says Huỳnh and Võ
// where the north says Hoàng and Vũ.
type weighted struct {
	s string
	w float64
}

var familiesNorth = []weighted{
	{"Nguyễn", 38}, {"Trần", 11}, {"Lê", 9.5}, {"Phạm", 7}, {"Hoàng", 5}, {"Phan", 4.5}, {"Vũ", 4},
	{"Đặng", 2.1}, {"Bùi", 2}, {"Đỗ", 1.4}, {"Hồ", 1.3}, {"Ngô", 1.3}, {"Dương", 1}, {"Lý", 0.5},
}

var familiesSouth = []weighted{
	{"Nguyễn", 38}, {"Trần", 11}, {"Lê", 9.5}, {"Phạm", 7}, {"Huỳnh", 5}, {"Phan", 4.5}, {"Võ", 4},
	{"Đặng", 2.1}, {"Bùi", 2}, {"Đỗ", 1.4}, {"Hồ", 1.3}, {"Ngô", 1.3}, {"Dương", 1}, {"Lý", 0.5},
}

var (
	middleMale   = []string{"Văn", "Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh", "Xuân", "Đình", "Ngọc"}
	middleFemale = []string{"Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim", "Bích"}
	givenMale    = []string{"Hùng", "Dũng", "Tuấn", "Nam", "Long", "Hải", "Sơn", "Thắng", "Cường", "Phong", "Trung", "Hiếu",
		"Tâm", "Bình", "Quang", "Toàn", "Khánh", "Lâm", "Tiến", "Thành", "Phúc", "Đạt", "Huy", "Vinh", "Tùng", "Lợi"}
	givenFemale = []string{"Lan", "Hương", "Hoa", "Mai", "Linh", "Hằng", "Thảo", "Nga", "Yến", "Loan", "Hạnh", "Trang",
		"Huyền", "Phương", "Dung", "Nhung", "Thủy", "Vân", "Hà", "Oanh", "Liên", "Tuyết", "Xuân", "Duyên"}
)

// Names of ethnic-minority owners, by region: Thái, H'Mông, Tày, Nùng,
// Mường in the north; Ê Đê, Gia Rai, Ba Na in the Central Highlands;
// Khmer in the Mekong delta; Chăm and Raglai on the central coast.
var (
	ethnicNorthFamilies = []string{"Lò", "Lường", "Cầm", "Quàng", "Sùng", "Giàng", "Vàng", "Thào", "Nông", "Lục", "Ma", "Đinh", "Quách", "Hà", "Bế"}
	ethnicLowFamilies   = []string{"Đinh", "Quách", "Bùi", "Hà", "Nông", "Lục", "Đàng", "Thuận", "Điểu"}
	ethnicNorthMale     = []string{"Pản", "Páo", "Sình", "Chung", "Sáng", "Thào", "Chứ", "Dếnh", "Khánh", "Lả", "Sơn", "Tình"}
	ethnicNorthFemale   = []string{"Mỷ", "Xuân", "Dua", "Pà", "Chở", "Hoa", "Ly", "Sua", "Mai", "Thơm", "Lả"}
	ethnicCHFamilies    = []string{"Niê", "Êban", "Mlô", "Ksor", "Siu", "Rơ Mah", "Kpă", "Đinh", "Byă"}
	ethnicCHMale        = []string{"Bhim", "Blô", "Jôn", "Thuột", "Kông", "Djuel", "Wang", "Khải"}
	ethnicCHFemale      = []string{"Lim", "Nguyên", "Bia", "Hen", "Drah", "Yơn", "Uyên"}
	ethnicMRDFamilies   = []string{"Thạch", "Sơn", "Kim", "Danh", "Lâm", "Chau"}
	ethnicMRDMale       = []string{"Sa Ly", "Rươne", "Phách", "Khol", "Sóc", "Thi", "Sô Phal"}
	ethnicMRDFemale     = []string{"Sa Rinh", "Sô Phia", "Ra Ni", "Chanh Thu", "Sốc Kha", "Mơ Ni"}
)

// Hamlets (thôn, xóm, ấp, bản, buôn).
var (
	hamletNorth    = []string{"Đông", "Đoài", "Thượng", "Trung", "Hạ", "Nam", "Bắc", "Tân Lập", "Phú Mỹ", "An Lạc", "Cầu", "Chợ", "Đình", "Giữa", "Mới", "Tiền Phong", "Quyết Tiến", "Đồng Tâm"}
	hamletMountain = []string{"Lác", "Mòng", "Hon", "Na", "Pác Ngòi", "Phiêng", "Nà Cà", "Cốc Lùng", "Hua Pan", "Khun Há", "Nậm Cang", "Tả Van", "Lao Chải", "Bó"}
	hamletCH       = []string{"Buôn Đôn", "Buôn Jun", "Buôn Ako Dhông", "Làng Kon Klor", "Buôn Trấp", "Plei Ốp", "Buôn Ma Lăng"}
	hamletSouth    = []string{"Tân Hòa", "Phú Lợi", "Bình Thạnh", "Long Hưng", "Mỹ An", "Thạnh Phú", "An Thới", "Vĩnh Hòa", "Hòa Long", "Tân Thuận", "Phước Hậu", "Bình Đông"}
)

// Countries of foreign fairs and study tours.
var countries = []string{"Nhật Bản", "Hàn Quốc", "Trung Quốc", "Thái Lan", "Đức", "Hoa Kỳ", "Pháp", "Ấn Độ", "Singapore", "Malaysia"}
