package httpapi

// searchWords are the words of the list filters and search (issue 11),
// kept apart from messages so that parallel work on the pages does not
// edit one map; init merges them.
var searchWords = map[string][2]string{
	"search_box":         {"Tìm kiếm", "Search"},
	"search_hint":        {"Mã hồ sơ, tên, số căn cước hoặc số điện thoại (gõ có dấu hay không dấu đều được)", "Dossier code, name, ID number or phone (with or without diacritics)"},
	"received_between":   {"Ngày tiếp nhận", "Received"},
	"due_between":        {"Hạn giải quyết", "Due"},
	"from_short":         {"từ", "from"},
	"to_short":           {"đến", "to"},
	"clear_filters":      {"Bỏ lọc", "Clear filters"},
	"first_page":         {"Trang đầu", "First page"},
	"any":                {"Tất cả", "All"},
	"status_open":        {"Đang mở", "Open"},
	"status_in_progress": {"Đang giải quyết", "In progress"},
	"status_paused":      {"Tạm dừng", "Paused"},
	"status_finished":    {"Đã kết thúc", "Finished"},
	"status_all":         {"Tất cả", "All"},
	"fix_fields":         {"Chưa tiếp nhận: kiểm tra lại các ô %s bên dưới.", "Not received: check the fields %s below."},
	"overdue_only":       {"Chỉ hồ sơ quá hạn", "Overdue only"},
	"filters_label":      {"Lọc danh sách", "Filter the list"},
	"more_filters":       {"Thêm điều kiện lọc", "More filters"},
	"fewer_filters":      {"Ẩn bớt điều kiện lọc", "Fewer filters"},
}

func init() {
	for k, v := range searchWords {
		if _, dup := messages[k]; !dup {
			messages[k] = v
		}
	}
}
