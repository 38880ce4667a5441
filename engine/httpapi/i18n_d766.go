package httpapi

// d766Words are the words of the dashboard's Decision 766 panel, kept
// apart from messages so that parallel work on the pages does not edit
// one map; init merges them.
var d766Words = map[string][2]string{
	"d766_title":            {"Chỉ số theo Quyết định 766/QĐ-TTg", "Decision 766/QĐ-TTg indicators"},
	"d766_resolution":       {"2.2 Thời gian giải quyết bình quân", "2.2 Average resolution time"},
	"d766_resolution_sub":   {"%s · %d hồ sơ", "%s · %d dossiers"},
	"d766_mixed_units":      {"các thủ tục tính thời hạn theo đơn vị khác nhau: xem theo thủ tục", "procedures count time in different units: see by procedure"},
	"d766_satisfaction":     {"5.4 Mức độ hài lòng", "5.4 Satisfaction"},
	"d766_satisfaction_sub": {"quá hạn %d/%d · không hài lòng %d/%d", "overdue %d/%d · dislikes %d/%d"},
	"d766_ratings":          {"Điểm đánh giá bình quân", "Average rating"},
	"d766_ratings_sub":      {"%d lượt đánh giá", "%d ratings"},
	"d766_rating_line":      {"%s điểm · %d lượt · %d không hài lòng", "%s · %d ratings · %d dislikes"},
	"d766_target":           {"mục tiêu", "target"},
	"d766_by_procedure":     {"2.2 theo thủ tục", "2.2 by procedure"},
	"d766_by_unit":          {"Đánh giá theo đơn vị", "Ratings by unit"},
	"d766_rule":             {"Cùng kỳ và cùng đơn vị với bảng trên. 2.1 theo QĐ 766: yêu cầu bổ sung lần đầu được coi là kết thúc, từ lần thứ hai là quá hạn; tỷ lệ theo luật tính lại thời hạn khi bổ sung. “—” khi chưa có dữ liệu. Cách tính: docs/reports.md.", "Same period and units as the table above. 2.1 by Decision 766: a first supplement request counts as the finish, a second as overdue; the legal rate restarts the clock at a supplement. “—” when there is no data. Formulas: docs/reports.md."},
}

func init() {
	for k, v := range d766Words {
		if _, dup := messages[k]; !dup {
			messages[k] = v
		}
	}
}
