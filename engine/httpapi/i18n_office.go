package httpapi

// officeWords are the words of who sees what, named assignees and safe
// actions (issue 11), kept apart from messages so that parallel work on
// the pages does not edit one map; init merges them.
var officeWords = map[string][2]string{
	"view_mine":         {"Cần xử lý", "To do"},
	"view_received":     {"Đã tiếp nhận", "Received"},
	"view_supplement":   {"Chờ bổ sung", "Waiting for supplement"},
	"empty_received":    {"Đơn vị chưa tiếp nhận hồ sơ nào.", "Your unit has received no dossier."},
	"empty_supplement":  {"Không có hồ sơ nào chờ công dân bổ sung.", "No dossier is waiting for the citizen's supplement."},
	"assignee":          {"Người xử lý", "Assignee"},
	"nobody_assigned":   {"Chưa giao (cả đơn vị)", "Not assigned (whole unit)"},
	"take_step":         {"Nhận xử lý", "Take it"},
	"assign_step":       {"Giao xử lý", "Assign"},
	"assign_to":         {"Giao cho", "Assign to"},
	"assigned":          {"Đã giao xử lý", "Assigned"},
	"confirm_danger":    {"Tôi xác nhận thao tác này (không hoàn tác được)", "I confirm this action (it cannot be undone)"},
	"danger_actions":    {"Thao tác kết thúc hoặc trả lại hồ sơ", "Actions that end or send back the dossier"},
	"danger_hint":       {"Các thao tác dưới đây kết thúc hồ sơ hoặc trả hồ sơ về bước trước: hãy ghi rõ lý do và xác nhận.", "The actions below end the dossier or send it back: write the reason and confirm."},
	"record_supplement": {"Ghi nhận bổ sung", "Record the supplement"},
	"receiving_unit":    {"Đơn vị tiếp nhận", "Receiving unit"},
	"now_at":            {"Đang ở bước", "Now at"},
}

func init() {
	for k, v := range officeWords {
		if _, dup := messages[k]; !dup {
			messages[k] = v
		}
	}
}
