package httpapi

// contentsWords are the words of the dossier's contents (issue 10): the
// checklist, the fees and their payment, the result; kept apart from
// messages so that parallel work on the pages does not edit one map;
// init merges them.
var contentsWords = map[string][2]string{
	"contents":             {"Thành phần hồ sơ, phí và kết quả", "Documents, fees and result"},
	"component":            {"Thành phần hồ sơ", "Document"},
	"asked":                {"Yêu cầu", "Asked"},
	"handed_in":            {"Đã nộp", "Handed in"},
	"scan_files":           {"Bản quét (PDF, ảnh; nhiều tệp):", "Scans (PDF, images; several files):"},
	"not_handed_in":        {"Chưa nộp", "Not handed in"},
	"required":             {"bắt buộc", "required"},
	"fees":                 {"Phí, lệ phí", "Fees and charges"},
	"fee":                  {"Khoản phí, lệ phí", "Fee"},
	"amount":               {"Số tiền", "Amount"},
	"payment":              {"Thanh toán", "Payment"},
	"due_before_result":    {"thu trước khi trả kết quả", "due before the result"},
	"exempt":               {"Miễn", "Exempt"},
	"copies_word":          {"bản", "copies"},
	"paid":                 {"Đã thu", "Paid"},
	"unpaid":               {"Chưa thu", "Unpaid"},
	"receipt_no":           {"Biên lai số", "Receipt no."},
	"total":                {"Tổng cộng", "Total"},
	"record_payment":       {"Ghi nhận đã thu", "Record payment"},
	"pay_method":           {"Hình thức", "Method"},
	"pay_counter":          {"Tiền mặt tại quầy", "Cash at the desk"},
	"pay_transfer":         {"Chuyển khoản", "Bank transfer"},
	"pay_online":           {"Thanh toán trực tuyến", "Online payment"},
	"pay_reference":        {"Mã giao dịch", "Reference"},
	"pay_reference_hint":   {"khi chuyển khoản, trực tuyến", "for transfer, online"},
	"pay_fee":              {"Thu phí, lệ phí", "Fee collected"},
	"fee_paid":             {"Đã ghi nhận thu phí", "Payment recorded"},
	"result_issued":        {"Kết quả giải quyết", "Result"},
	"result_attached":      {"Đã đính kèm tệp kết quả", "Result file attached"},
	"result_file_required": {"Cần đính kèm tệp kết quả trước khi hoàn thành", "A result file must be attached before finishing"},
	"checklist":            {"Thành phần hồ sơ đã nhận", "Documents received"},
	"checklist_refused":    {"Hồ sơ chưa đầy đủ, chưa tiếp nhận: các thành phần đánh dấu đỏ còn thiếu hoặc chưa đúng loại bản.", "The dossier is incomplete and was not received: the components marked in red are missing or not in the form asked."},
	"print_guidance":       {"In phiếu hướng dẫn bổ sung (mẫu 02)", "Print the supplement guidance (form 02)"},
	"copy_kind":            {"Loại bản", "Form"},
	"count":                {"Số bản", "Copies"},
	"copies_asked":         {"Số bản sao yêu cầu cấp", "Copies asked"},
	"components_to_bring":  {"Thành phần cần bổ sung (in trên mẫu 02)", "Components to bring (printed on form 02)"},
}

func init() {
	for k, v := range contentsWords {
		if _, dup := messages[k]; !dup {
			messages[k] = v
		}
	}
}
