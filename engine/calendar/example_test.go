package calendar_test

import (
	"fmt"
	"time"

	"github.com/motcua/motcua/engine/calendar"
)

// The issue's example: a household-business dossier (3 working days)
// received on the Thursday before Tết, after the 15:00 cut-off.
func ExampleCalendar_Due() {
	vn := calendar.VN()
	received := time.Date(2026, 2, 12, 16, 30, 0, 0, vn.Location())
	limit, _ := calendar.ParseDuration("3 ngày làm việc")
	cutoff, _ := calendar.ParseClock("15:00")

	r := vn.Due(received, limit, &cutoff)
	fmt.Println(r.Due.Format(time.RFC3339))
	fmt.Println(vn.Explain(r, "en"))
	// Output:
	// 2026-02-24T17:00:00+07:00
	// received Thu 12/02/2026 16:30 after the 15:00 cut-off, counting from Fri 13/02/2026 08:00; Tết Nguyên đán 14/02–22/02 skipped; 3 working days (24 working hours) end Tue 24/02/2026 17:00
}

// Elapsed is the inverse of AddWork: office time between two instants,
// here across the Tết holiday.
func ExampleCalendar_Elapsed() {
	vn := calendar.VN()
	from := time.Date(2026, 2, 13, 16, 0, 0, 0, vn.Location())
	to := time.Date(2026, 2, 23, 9, 0, 0, 0, vn.Location())
	fmt.Println(vn.Elapsed(from, to))
	// Output: 2h0m0s
}
