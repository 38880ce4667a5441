package calendar

import "time"

// VN returns the built-in calendar "vn": Asia/Ho_Chi_Minh, Monday–Friday,
// 08:00–12:00 and 13:00–17:00, with the state sector's days off and
// make-up working days (Labour Code 2019 Art 112 and the Prime Minister's
// yearly decisions). 2026 is official; 2025 and 2027 are provisional.
func VN() *Calendar {
	c, err := New(VNConfig())
	if err != nil {
		panic("calendar: built-in vn calendar is invalid: " + err.Error())
	}
	return c
}

// VNConfig returns the configuration behind VN, for callers that extend it.
func VNConfig() Config {
	return Config{
		Name:     "vn",
		Zone:     "Asia/Ho_Chi_Minh",
		Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		Sessions: []Session{{8 * 60, 12 * 60}, {13 * 60, 17 * 60}},
		Years:    []Year{vn2025(), vn2026(), vn2027()},
	}
}

func days(y int, m time.Month, from, to int, name string) []Holiday {
	var hs []Holiday
	for d := from; d <= to; d++ {
		hs = append(hs, Holiday{Date{y, m, d}, name})
	}
	return hs
}

func join(hs ...[]Holiday) []Holiday {
	var out []Holiday
	for _, h := range hs {
		out = append(out, h...)
	}
	return out
}

// vn2025 is recalled from the 2025 notices, not from the domain brief:
// kept provisional so that deadlines reaching into it say so.
func vn2025() Year {
	return Year{
		Year:        2025,
		Provisional: true,
		Source:      "2025 state-sector schedule as recalled (Tết 25/01–02/02, 30/04–04/05 with make-up Sat 26/04); not verified against the decisions",
		DaysOff: join(
			days(2025, time.January, 1, 1, "Tết Dương lịch"),
			days(2025, time.January, 25, 31, "Tết Nguyên đán"),
			days(2025, time.February, 1, 2, "Tết Nguyên đán"),
			days(2025, time.April, 7, 7, "Giỗ Tổ Hùng Vương"),
			days(2025, time.April, 30, 30, "Ngày Giải phóng miền Nam"),
			days(2025, time.May, 1, 1, "Ngày Quốc tế Lao động"),
			days(2025, time.May, 2, 4, "Nghỉ hoán đổi 30/4–1/5"),
			days(2025, time.August, 30, 31, "Quốc khánh"),
			days(2025, time.September, 1, 2, "Quốc khánh"),
		),
		WorkingDays: days(2025, time.April, 26, 26, "Làm bù cho ngày 02/05"),
	}
}

// vn2026 is the official 2026 schedule (domain brief, "Public holidays";
// decision 12729/VPCP-KGVX for the New Year swap). The National Day block
// is [M]: whether a Saturday is worked in exchange is not known.
func vn2026() Year {
	return Year{
		Year:   2026,
		Source: "Labour Code 2019 Art 112; PM decisions for 2026 (Tết 14–22/02; New Year swap 12729/VPCP-KGVX)",
		DaysOff: join(
			days(2026, time.January, 1, 4, "Tết Dương lịch"),
			days(2026, time.February, 14, 22, "Tết Nguyên đán"),
			days(2026, time.April, 27, 27, "Giỗ Tổ Hùng Vương"),
			days(2026, time.April, 30, 30, "Ngày Giải phóng miền Nam"),
			days(2026, time.May, 1, 3, "Ngày Quốc tế Lao động"),
			days(2026, time.August, 29, 31, "Quốc khánh"),
			days(2026, time.September, 1, 2, "Quốc khánh"),
		),
		WorkingDays: days(2026, time.January, 10, 10, "Làm bù cho ngày 02/01"),
	}
}

// vn2027 has no official schedule yet. Lunar dates come from Hồ Ngọc Đức's
// algorithm at UTC+7 (Lunar New Year Sat 06/02, Hùng Kings Fri 16/04); the
// blocks apply Labour Code Art 112 with next-working-day compensation.
func vn2027() Year {
	return Year{
		Year:        2027,
		Provisional: true,
		Source:      "computed: lunar dates by Hồ Ngọc Đức's algorithm, blocks by Labour Code 2019 Art 112; no official decision yet",
		DaysOff: join(
			days(2027, time.January, 1, 1, "Tết Dương lịch"),
			days(2027, time.February, 5, 11, "Tết Nguyên đán"),
			days(2027, time.April, 16, 16, "Giỗ Tổ Hùng Vương"),
			days(2027, time.April, 30, 30, "Ngày Giải phóng miền Nam"),
			days(2027, time.May, 3, 3, "Ngày Quốc tế Lao động (bù 01/05)"),
			days(2027, time.September, 2, 3, "Quốc khánh"),
		),
	}
}
