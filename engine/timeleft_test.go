package engine

import (
	"testing"
	"time"
)

// TestTimeLeft names each rule of the working time left on the legal
// calendar (sessions 08–12 and 13–17, Monday to Friday, 2026 holidays)
// and of its wording in both languages.
func TestTimeLeft(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule     string
		now, due string
		left     time.Duration
		late     bool
		vi, en   string
	}{
		{"before office hours the whole working day still counts",
			"2026-03-10T06:00:00+07:00", "2026-03-11T10:00:00+07:00", 10 * time.Hour, false,
			"còn 1 ngày 2 giờ làm việc", "1 working day 2 hours left"},
		{"the lunch break is not working time",
			"2026-03-10T11:30:00+07:00", "2026-03-10T13:30:00+07:00", time.Hour, false,
			"còn 1 giờ làm việc", "1 working hour left"},
		{"a weekend costs nothing",
			"2026-03-13T16:00:00+07:00", "2026-03-16T09:00:00+07:00", 2 * time.Hour, false,
			"còn 2 giờ làm việc", "2 working hours left"},
		{"a 2026 holiday (Giỗ Tổ Hùng Vương, Monday 27/04) costs nothing",
			"2026-04-24T15:00:00+07:00", "2026-04-28T11:00:00+07:00", 5 * time.Hour, false,
			"còn 5 giờ làm việc", "5 working hours left"},
		{"Tết 2026 (14–22/02) costs nothing",
			"2026-02-13T16:00:00+07:00", "2026-02-23T10:00:00+07:00", 3 * time.Hour, false,
			"còn 3 giờ làm việc", "3 working hours left"},
		{"whole working days are counted in days, plural in English",
			"2026-03-10T08:00:00+07:00", "2026-03-11T17:00:00+07:00", 16 * time.Hour, false,
			"còn 2 ngày làm việc", "2 working days left"},
		{"under an hour is counted in minutes",
			"2026-03-10T16:15:00+07:00", "2026-03-10T17:00:00+07:00", 45 * time.Minute, false,
			"còn 45 phút làm việc", "45 working minutes left"},
		{"hours are rounded down so the time left is never overstated",
			"2026-03-10T14:01:00+07:00", "2026-03-10T17:00:00+07:00", 2*time.Hour + 59*time.Minute, false,
			"còn 2 giờ làm việc", "2 working hours left"},
		{"exactly due is not late",
			"2026-03-10T17:00:00+07:00", "2026-03-10T17:00:00+07:00", 0, false,
			"đến hạn", "due now"},
		{"past due counts the working time late",
			"2026-03-11T10:00:00+07:00", "2026-03-10T17:00:00+07:00", 2 * time.Hour, true,
			"quá hạn 2 giờ làm việc", "2 working hours late"},
		{"late by days and hours",
			"2026-03-13T11:00:00+07:00", "2026-03-11T17:00:00+07:00", 11 * time.Hour, true,
			"quá hạn 1 ngày 3 giờ làm việc", "1 working day 3 hours late"},
		{"past due outside office hours is late by no working time yet",
			"2026-03-14T09:00:00+07:00", "2026-03-13T17:00:00+07:00", 0, true,
			"vừa quá hạn", "just overdue"},
		{"the instant is judged on the calendar whatever zone now is in",
			"2026-03-10T03:00:00Z", "2026-03-10T17:00:00+07:00", 6 * time.Hour, false,
			"còn 6 giờ làm việc", "6 working hours left"},
	}
	for _, c := range cases {
		left, late := TimeLeft(vnCal, at(t, c.now), at(t, c.due))
		if left != c.left || late != c.late {
			t.Errorf("%s: left %v late %v; want %v %v", c.rule, left, late, c.left, c.late)
			continue
		}
		if got := FormatTimeLeft(left, late, vnCal.DayWork(), "vi"); got != c.vi {
			t.Errorf("%s (vi): %q; want %q", c.rule, got, c.vi)
		}
		if got := FormatTimeLeft(left, late, vnCal.DayWork(), "en"); got != c.en {
			t.Errorf("%s (en): %q; want %q", c.rule, got, c.en)
		}
	}
}
