package calendar_test

import (
	"strings"
	"testing"

	"github.com/motcua/motcua/engine/calendar"
)

// FuzzParseClock: any string is either a time of day within 00:00–24:00
// that round-trips through String, or an error saying HH:MM.
func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"15:00", "7:30", "24:00", "24:01", "00:00", " 13:30 ", "-1:00", "+7:05", "1:5", "", "12:60", "١٢:٠٠"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := calendar.ParseClock(s)
		if err != nil {
			if !strings.Contains(err.Error(), "HH:MM") {
				t.Fatalf("error for %q does not say HH:MM: %v", s, err)
			}
			return
		}
		if c < 0 || c > 24*60 {
			t.Fatalf("ParseClock(%q) = %d minutes, outside the day", s, int(c))
		}
		if back, err := calendar.ParseClock(c.String()); err != nil || back != c {
			t.Fatalf("ParseClock(%q) = %v; its form %q parses to %v, %v", s, c, c.String(), back, err)
		}
	})
}

// FuzzParseDate: any string is either a real civil date that round-trips
// through String, or an error saying YYYY-MM-DD.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-02-17", "2028-02-29", "2026-02-29", "0000-01-01", "9999-12-31", " 2026-01-01\n", "2026-1-1", "", "+2026-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := calendar.ParseDate(s)
		if err != nil {
			if !strings.Contains(err.Error(), "YYYY-MM-DD") {
				t.Fatalf("error for %q does not say YYYY-MM-DD: %v", s, err)
			}
			return
		}
		if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
			t.Fatalf("ParseDate(%q) = %+v", s, d)
		}
		if back, err := calendar.ParseDate(d.String()); err != nil || back != d {
			t.Fatalf("ParseDate(%q) = %v; its form %q parses to %v, %v", s, d, d.String(), back, err)
		}
	})
}
