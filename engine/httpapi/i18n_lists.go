package httpapi

// listsWords are the words of the time left and the 404 page (issue 11),
// kept apart from messages so that parallel work on the pages does not
// edit one map; init merges them.
var listsWords = map[string][2]string{
	"not_found":       {"Không tìm thấy trang", "Page not found"},
	"not_found_hint":  {"Địa chỉ này không có trên hệ thống, hoặc hồ sơ không tồn tại. Hãy kiểm tra lại địa chỉ hoặc mã hồ sơ.", "There is no such page here, or no such dossier. Check the address or the dossier code."},
	"not_found_home":  {"Về trang chính", "Go to the home page"},
	"not_found_track": {"Tra cứu hồ sơ", "Look a dossier up"},
}

func init() {
	for k, v := range listsWords {
		if _, dup := messages[k]; !dup {
			messages[k] = v
		}
	}
}
