package httpapi

// resultWords are the words of the result slip (web_result_slip.go),
// kept apart from messages like citizenWords; init merges them.
var resultWords = map[string][2]string{
	"result_slip":      {"Phiếu trả kết quả", "Result slip"},
	"returning_person": {"NGƯỜI TRẢ KẾT QUẢ", "RETURNING OFFICER"},
	"receiving_person": {"NGƯỜI NHẬN KẾT QUẢ", "RECEIVED BY"},
	"rate_at":          {"Đánh giá sự hài lòng về việc giải quyết hồ sơ tại", "Rate how the dossier was handled at"},
}

func init() {
	for k, v := range resultWords {
		if _, dup := messages[k]; !dup {
			messages[k] = v
		}
	}
}
