package calendar_test

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine/calendar"
)

// fuzzCalendars adds a calendar with three uneven sessions, so the
// invariants are not tuned to the 4h+4h day of VN.
var fuzzCalendars = func() []*calendar.Calendar {
	cfg := calendar.VNConfig()
	cfg.Name = "three-sessions"
	cfg.Sessions = []calendar.Session{{Start: 7*60 + 30, End: 11*60 + 15}, {Start: 13 * 60, End: 16*60 + 45}, {Start: 18 * 60, End: 19*60 + 1}}
	c, err := calendar.New(cfg)
	if err != nil {
		panic(err)
	}
	return []*calendar.Calendar{vn, c}
}()

// inOffice reports whether t lies in an office session of a working day,
// or exactly at a session's end.
func inOffice(c *calendar.Calendar, t time.Time) bool {
	lt := t.In(c.Location())
	if !c.IsWorkingDay(calendar.DateOf(lt, c.Location())) {
		return false
	}
	h, m, s := lt.Clock()
	off := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second + time.Duration(lt.Nanosecond())
	for _, ss := range c.Sessions() {
		if off >= time.Duration(ss.Start)*time.Minute && off <= time.Duration(ss.End)*time.Minute {
			return true
		}
	}
	return false
}

// FuzzDue checks the invariants of the issue on receptions spread over
// 2025–2028 (official, provisional and missing years), every unit and
// optional cut-offs:
//   - due ≥ reception, and the valid start lies in office hours;
//   - for working time, Elapsed(start, due) == Work(limit), and from the
//     reception too unless the cut-off moved the start;
//   - due is the earliest such instant;
//   - due lies in office hours or at a session end;
//   - the skipped days off listed lie between start and due.
func FuzzDue(f *testing.F) {
	f.Add(int64(0), uint8(0), int64(3000), int16(-1), false)
	f.Add(int64(60*24*42+16*60+30), uint8(0), int64(3000), int16(900), false) // 12 Feb 2026 16:30, issue example
	f.Add(int64(60*24*365), uint8(1), int64(500), int16(-1), true)
	f.Add(int64(12345678), uint8(3), int64(30000), int16(900), false)
	f.Add(int64(777), uint8(4), int64(0), int16(900), true)
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, vn.Location())
	const span = 4 * 366 * 24 * 60 * 60 // seconds, to 2029
	f.Fuzz(func(t *testing.T, sec int64, unit uint8, amount int64, cutoffMin int16, other bool) {
		c := fuzzCalendars[0]
		if other {
			c = fuzzCalendars[1]
		}
		received := base.Add(time.Duration(((sec%span)+span)%span) * time.Second)
		if amount < 0 {
			amount = -amount
		}
		var limit calendar.Duration
		switch unit % 5 {
		case 0:
			limit = calendar.Duration{Unit: calendar.WorkingDays, Milli: amount % 300_000}
		case 1:
			limit = calendar.Duration{Unit: calendar.WorkingHours, Milli: amount % 2_000_000}
		case 2:
			limit = calendar.Duration{Unit: calendar.WorkingMinutes, Milli: amount % 100_000_000}
		case 3:
			limit = calendar.DaysOf(int(amount % 400))
		case 4:
			limit = calendar.SameDayLimit
		}
		var cutoff *calendar.Clock
		if cutoffMin >= 0 {
			co := calendar.Clock(int(cutoffMin) % (24*60 + 1))
			cutoff = &co
		}
		r := c.Due(received, limit, cutoff)
		if r.Due.Before(received) {
			t.Fatalf("due %s before reception %s (%s)", r.Due, received, limit)
		}
		if r.Start.Before(received) || r.Due.Before(r.Start) {
			t.Fatalf("reception %s, start %s, due %s out of order", received, r.Start, r.Due)
		}
		if !inOffice(c, r.Start) || !inOffice(c, r.Due) {
			t.Fatalf("start %s or due %s outside office hours (%s from %s)", r.Start, r.Due, limit, received)
		}
		startDate, dueDate := calendar.DateOf(r.Start, c.Location()).String(), calendar.DateOf(r.Due, c.Location()).String()
		for _, sp := range r.Skipped {
			if c.IsWorkingDay(sp.From) || c.IsWorkingDay(sp.To) || sp.From.String() > sp.To.String() ||
				sp.From.String() < startDate || sp.To.String() > dueDate {
				t.Fatalf("skipped span %v is not a run of days off within %s–%s", sp, startDate, dueDate)
			}
		}
		if !limit.IsWorkingTime() {
			return
		}
		w := c.Work(limit)
		if got := c.Elapsed(r.Start, r.Due); got != w {
			t.Fatalf("Elapsed(start %s, due %s) = %s, want %s", r.Start, r.Due, got, w)
		}
		if !r.CutoffApplied {
			if got := c.Elapsed(received, r.Due); got != w {
				t.Fatalf("Elapsed(reception %s, due %s) = %s, want %s", received, r.Due, got, w)
			}
		}
		if w > 0 {
			if got := c.Elapsed(r.Start, r.Due.Add(-time.Nanosecond)); got >= w {
				t.Fatalf("due %s is not the earliest: %s already elapsed 1ns before", r.Due, got)
			}
		}
	})
}

// FuzzParseDuration checks that any string either parses and round-trips
// through String and Vietnamese, or fails naming the accepted forms.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"3 working days", "0,5 ngày làm việc", "8 giờ làm việc", "90 phút làm việc",
		"30 ngày", "trong ngày", "same day", "-1 days", "1.2345 wd", "", "99999.999 working hours", "3 NGÀY", "\xff days"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := calendar.ParseDuration(s)
		if err != nil {
			if !strings.Contains(err.Error(), calendar.AcceptedForms) {
				t.Fatalf("error for %q does not name the accepted forms: %v", s, err)
			}
			return
		}
		if d.IsZero() {
			t.Fatalf("ParseDuration(%q) returned the zero Duration without error", s)
		}
		for _, form := range []string{d.String(), d.Vietnamese()} {
			back, err := calendar.ParseDuration(form)
			if err != nil || back != d {
				t.Fatalf("ParseDuration(%q) = %v; its form %q parses to %v, %v", s, d, form, back, err)
			}
		}
		if w := vn.Work(d); w < 0 {
			t.Fatalf("Work(%v) = %s overflowed", d, w)
		}
	})
}
