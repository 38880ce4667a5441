package httpapi

// citizenWords are the words of the public lookup's reasons and of the
// rating page (issue 12), kept apart from messages so that parallel work
// on the pages does not edit one map; init merges them.
var citizenWords = map[string][2]string{
	"lookup_factor":        {"4 số cuối điện thoại hoặc số định danh (chỉ với đơn thư)", "Last 4 digits of your phone or ID number (petitions only)"},
	"lookup_factor_help":   {"Đơn khiếu nại, tố cáo, kiến nghị chỉ tra cứu được khi nhập thêm 4 số cuối của số điện thoại hoặc số định danh đã khai khi nộp đơn.", "A complaint, denunciation or recommendation is found only with the last 4 digits of the phone or ID number given when it was filed."},
	"lookup_factor_hint":   {"Nếu là đơn thư, hãy nhập đúng 4 số cuối điện thoại hoặc số định danh.", "For a petition, enter the last 4 digits of the phone or ID number."},
	"lookup_missing":       {"Cần bổ sung", "Missing"},
	"lookup_supplement_by": {"Hạn bổ sung", "Supplement by"},
	"lookup_refusal":       {"Lý do", "Reason"},
	"lookup_collect":       {"Nơi nhận kết quả", "Collect the result at"},
	"rate":                 {"Đánh giá sự hài lòng", "Rate the service"},
	"rate_intro":           {"Mời Ông/Bà đánh giá việc giải quyết hồ sơ. Đánh giá chỉ gửi được một lần và không sửa được.", "Please rate how your dossier was handled. A rating is sent once and cannot be changed."},
	"rate_comment":         {"Góp ý (không bắt buộc)", "Comment (optional)"},
	"rate_send":            {"Gửi đánh giá", "Send the rating"},
	"rate_thanks":          {"Cảm ơn Ông/Bà đã đánh giá.", "Thank you for your rating."},
	"rate_done":            {"Hồ sơ này đã được đánh giá. Xin cảm ơn.", "This dossier has already been rated. Thank you."},
	"rate_not_yet":         {"Có thể đánh giá khi đã nhận kết quả giải quyết.", "You can rate once the result has been returned."},
	"rate_3":               {"Rất hài lòng", "Very satisfied"},
	"rate_2":               {"Hài lòng", "Satisfied"},
	"rate_1":               {"Không hài lòng", "Dissatisfied"},
	"rate_link_invalid":    {"Đường dẫn đánh giá không đúng.", "This rating link is not valid."},
	"qr_lookup":            {"Quét mã để tra cứu hồ sơ", "Scan to look the dossier up"},
	"qr_rate":              {"Quét mã để đánh giá sau khi nhận kết quả", "Scan to rate the service once you have the result"},
}

func init() {
	for k, v := range citizenWords {
		if _, dup := messages[k]; !dup {
			messages[k] = v
		}
	}
}
