package httpapi

// dashboardWords are the words of the dashboard's period picker and
// download (issue 11) and of its figures' freshness (issue 14), kept
// apart from messages so that parallel work on the pages does not edit
// one map; init merges them.
var dashboardWords = map[string][2]string{
	"period":         {"Kỳ", "Period"},
	"period_month":   {"Tháng", "Month"},
	"period_quarter": {"Quý", "Quarter"},
	"period_year":    {"Năm", "Year"},
	"period_custom":  {"Tùy chọn", "Custom"},
	"from_date":      {"Từ ngày", "From"},
	"to_date":        {"Đến ngày", "To"},
	"show":           {"Xem", "Show"},
	"download_xlsx":  {"Tải Excel (.xlsx)", "Download Excel (.xlsx)"},
	"in_period":      {"Trong kỳ", "In the period"},
	"rate_in_period": {"Tỷ lệ đúng hạn trong kỳ", "On-time rate in the period"},
	"rate_rule_period": {"Tỷ lệ đúng hạn = (trước hạn + đúng hạn) ÷ hồ sơ đã giải quyết có kết quả trong kỳ; hồ sơ bị từ chối hoặc rút không tính vào tỷ lệ; “—” khi chưa có hồ sơ nào.",
		"On-time rate = (early + on time) ÷ dossiers finished with a result in the period; refused and withdrawn dossiers are not in the rate; “—” when none finished."},
	"figures_at":      {"Số liệu trong kỳ và biểu đồ tính lúc", "Period figures and chart computed at"},
	"figures_refresh": {"tính lại tối đa mỗi", "recomputed at most every"},
	"figures_minutes": {"phút; số hồ sơ hiện tại luôn là số mới nhất.", "minutes; the figures now are always current."},
}

func init() {
	for k, v := range dashboardWords {
		if _, dup := messages[k]; !dup {
			messages[k] = v
		}
	}
}
