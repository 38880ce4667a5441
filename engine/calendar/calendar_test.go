package calendar_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine/calendar"
)

// vn is shared: a Calendar is immutable and safe for concurrent use.
var vn = calendar.VN()

// at parses "2006-01-02 15:04" in the calendar's zone.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, vn.Location())
	if err != nil {
		t.Fatalf("bad test instant %q: %v", s, err)
	}
	return v
}

func clock(t *testing.T, s string) *calendar.Clock {
	t.Helper()
	c, err := calendar.ParseClock(s)
	if err != nil {
		t.Fatal(err)
	}
	return &c
}

func limit(t *testing.T, s string) calendar.Duration {
	t.Helper()
	d, err := calendar.ParseDuration(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestVN2026MatchesDomainBrief checks the built-in 2026 table day by day
// against the table in docs/domain.md ("Public holidays", 2026), including
// the weekdays the brief names, so a typo in vn.go cannot move a deadline.
func TestVN2026MatchesDomainBrief(t *testing.T) {
	t.Parallel()
	type block struct {
		rule             string
		from, to         string
		fromDay, toDay   time.Weekday
		wantWorkingAfter string // first working day after the block
	}
	blocks := []block{
		{"New Year: Thu 1 Jan – Sun 4 Jan (Fri 2 Jan swapped)", "2026-01-01", "2026-01-04", time.Thursday, time.Sunday, "2026-01-05"},
		{"Tết: Sat 14 Feb – Sun 22 Feb (9 days)", "2026-02-14", "2026-02-22", time.Saturday, time.Sunday, "2026-02-23"},
		{"Hùng Kings: Mon 27 Apr", "2026-04-27", "2026-04-27", time.Monday, time.Monday, "2026-04-28"},
		{"Reunification / Labour: Thu 30 Apr – Sun 3 May", "2026-04-30", "2026-05-03", time.Thursday, time.Sunday, "2026-05-04"},
		{"National Day: Sat 29 Aug – Wed 2 Sep [M]", "2026-08-29", "2026-09-02", time.Saturday, time.Wednesday, "2026-09-03"},
	}
	var want []string
	for _, b := range blocks {
		t.Run(b.rule, func(t *testing.T) {
			from, _ := calendar.ParseDate(b.from)
			to, _ := calendar.ParseDate(b.to)
			if from.Weekday() != b.fromDay || to.Weekday() != b.toDay {
				t.Fatalf("block %s–%s is %s–%s, brief says %s–%s", b.from, b.to, from.Weekday(), to.Weekday(), b.fromDay, b.toDay)
			}
			for d := from; d.String() <= to.String(); d = next(d) {
				if vn.IsWorkingDay(d) {
					t.Errorf("%s %s is a working day, want a day off", d, d.Weekday())
				}
			}
			after, _ := calendar.ParseDate(b.wantWorkingAfter)
			if !vn.IsWorkingDay(after) {
				t.Errorf("%s after the block is not a working day", after)
			}
		})
		from, _ := calendar.ParseDate(b.from)
		to, _ := calendar.ParseDate(b.to)
		for d := from; d.String() <= to.String(); d = next(d) {
			want = append(want, d.String())
		}
	}

	y, ok := vn.Year(2026)
	if !ok || y.Provisional {
		t.Fatalf("2026 table: present %v, provisional %v; want an official table", ok, y.Provisional)
	}
	var got []string
	for _, h := range y.DaysOff {
		got = append(got, h.Date.String())
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("2026 days off\n got %v\nwant %v", got, want)
	}
	if len(y.WorkingDays) != 1 || y.WorkingDays[0].Date.String() != "2026-01-10" {
		t.Errorf("2026 make-up days = %v, want only Sat 2026-01-10", y.WorkingDays)
	}
	sat, _ := calendar.ParseDate("2026-01-10")
	if sat.Weekday() != time.Saturday || !vn.IsWorkingDay(sat) {
		t.Errorf("make-up Saturday 10 Jan 2026: weekday %s, working %v", sat.Weekday(), vn.IsWorkingDay(sat))
	}
}

func next(d calendar.Date) calendar.Date {
	t := time.Date(d.Year, d.Month, d.Day+1, 0, 0, 0, 0, time.UTC)
	return calendar.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

// TestVN2027Provisional checks the computed 2027 lunar holidays of the
// domain brief and that the table is marked provisional.
func TestVN2027Provisional(t *testing.T) {
	t.Parallel()
	y, ok := vn.Year(2027)
	if !ok || !y.Provisional {
		t.Fatalf("2027 table: present %v, provisional %v; want a provisional table", ok, y.Provisional)
	}
	for _, s := range []string{"2027-01-01", "2027-02-08", "2027-04-16", "2027-04-30", "2027-05-03", "2027-09-02"} {
		d, _ := calendar.ParseDate(s)
		if vn.IsWorkingDay(d) {
			t.Errorf("%s should be off in the provisional 2027 table", s)
		}
	}
}

// TestStart names each reception rule: office hours, outside them, cut-off.
func TestStart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule     string
		received string
		cutoff   string
		want     string
	}{
		{"in office hours: counting starts at once", "2026-03-02 09:17", "", "2026-03-02 09:17"},
		{"at session start", "2026-03-02 08:00", "", "2026-03-02 08:00"},
		{"before 08:00: next session start", "2026-03-02 07:15", "", "2026-03-02 08:00"},
		{"at midnight: that morning", "2026-03-02 00:00", "", "2026-03-02 08:00"},
		{"lunch 12:00 (session end is outside): 13:00", "2026-03-02 12:00", "", "2026-03-02 13:00"},
		{"lunch 12:30: 13:00", "2026-03-02 12:30", "", "2026-03-02 13:00"},
		{"at 13:00: at once", "2026-03-02 13:00", "", "2026-03-02 13:00"},
		{"at 17:00 close: next working day", "2026-03-02 17:00", "", "2026-03-03 08:00"},
		{"after 17:00: next working day", "2026-03-02 17:30", "", "2026-03-03 08:00"},
		{"Friday evening: Monday", "2026-03-06 18:00", "", "2026-03-09 08:00"},
		{"weekend Saturday: Monday", "2026-03-07 10:00", "", "2026-03-09 08:00"},
		{"weekend Sunday: Monday", "2026-03-08 10:00", "", "2026-03-09 08:00"},
		{"holiday New Year 1 Jan: Mon 5 Jan", "2026-01-01 10:00", "", "2026-01-05 08:00"},
		{"holiday Tết 17 Feb: Mon 23 Feb", "2026-02-17 10:00", "", "2026-02-23 08:00"},
		{"holiday Hùng Kings 27 Apr: Tue 28 Apr", "2026-04-27 09:00", "", "2026-04-28 08:00"},
		{"make-up Saturday 10 Jan is a working day", "2026-01-10 09:00", "", "2026-01-10 09:00"},
		{"cut-off: before 15:00 counts at once", "2026-03-05 14:59", "15:00", "2026-03-05 14:59"},
		{"cut-off: at 15:00 exactly is not after it", "2026-03-05 15:00", "15:00", "2026-03-05 15:00"},
		{"cut-off: after 15:00 counts from next working day (Decree 61 Art 18)", "2026-03-05 15:01", "15:00", "2026-03-06 08:00"},
		{"cut-off: Friday after 15:00 counts from Monday", "2026-03-06 16:00", "15:00", "2026-03-09 08:00"},
		{"cut-off: before Tết counts from after Tết", "2026-02-13 15:30", "15:00", "2026-02-23 08:00"},
		{"cut-off: morning reception unaffected", "2026-03-05 08:30", "15:00", "2026-03-05 08:30"},
		{"cut-off: reception on a weekend counts from Monday 08:00", "2026-03-07 16:00", "15:00", "2026-03-09 08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			var co *calendar.Clock
			if tt.cutoff != "" {
				co = clock(t, tt.cutoff)
			}
			got := vn.Start(at(t, tt.received), co)
			if want := at(t, tt.want); !got.Equal(want) {
				t.Errorf("Start(%s, cutoff %q) = %s, want %s", tt.received, tt.cutoff, got.Format(time.DateTime), tt.want)
			}
			if got.Location() != vn.Location() {
				t.Errorf("Start returned zone %s, want the calendar's", got.Location())
			}
		})
	}
}

// TestDue names each deadline rule of the package doc.
func TestDue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule     string
		received string
		cutoff   string
		limit    string
		want     string
	}{
		// Working time.
		{"3 working days from Mon 09:00 is Thu 09:00", "2026-03-02 09:00", "", "3 working days", "2026-03-05 09:00"},
		{"3 working days from 08:00 end 17:00 of the third day", "2026-03-02 08:00", "", "3 working days", "2026-03-04 17:00"},
		{"1 working day from 08:00 ends 17:00 the same day", "2026-03-02 08:00", "", "1 working day", "2026-03-02 17:00"},
		{"weekend skipped: Fri 10:00 + 1 working day is Mon 10:00", "2026-03-06 10:00", "", "1 working day", "2026-03-09 10:00"},
		{"weekend skipped: Thu 14:00 + 2 working days is Mon 14:00", "2026-03-05 14:00", "", "2 working days", "2026-03-09 14:00"},
		{"lunch skipped: Mon 11:00 + 2 working hours is 14:00", "2026-03-02 11:00", "", "2 working hours", "2026-03-02 14:00"},
		{"morning session ends at 12:00, not 13:00", "2026-03-02 08:00", "", "4 working hours", "2026-03-02 12:00"},
		{"afternoon starts 13:00: 4h01 from 08:00 is 13:01", "2026-03-02 08:00", "", "241 working minutes", "2026-03-02 13:01"},
		{"working minutes: 90 from Mon 11:00 cross lunch to 13:30", "2026-03-02 11:00", "", "90 working minutes", "2026-03-02 13:30"},
		{"fraction: 0.5 working days = 4 working hours", "2026-03-02 10:00", "", "0.5 working days", "2026-03-02 15:00"},
		{"fraction: 1.5 working days from 08:00 end Tue 12:00", "2026-03-02 08:00", "", "1,5 ngày làm việc", "2026-03-03 12:00"},
		{"zero working hours: due at the start", "2026-03-02 10:00", "", "0 working hours", "2026-03-02 10:00"},
		// 2026 holiday blocks.
		{"New Year 1–4 Jan skipped: received on 1 Jan counts from Mon 5 Jan", "2026-01-01 10:00", "", "1 working day", "2026-01-05 17:00"},
		{"make-up Saturday 10 Jan counted: Fri 09:00 + 1 working day is Sat 09:00", "2026-01-09 09:00", "", "1 working day", "2026-01-10 09:00"},
		{"make-up Saturday 10 Jan counted: Fri 09:00 + 2 working days is Mon 09:00", "2026-01-09 09:00", "", "2 working days", "2026-01-12 09:00"},
		{"Tết 14–22 Feb skipped, issue example: after cut-off Thu 16:30", "2026-02-12 16:30", "15:00", "3 working days", "2026-02-24 17:00"},
		{"Tết 14–22 Feb skipped without cut-off", "2026-02-12 16:30", "", "3 working days", "2026-02-24 16:30"},
		{"Hùng Kings Mon 27 Apr skipped", "2026-04-24 09:00", "", "1 working day", "2026-04-28 09:00"},
		{"30 Apr – 3 May skipped", "2026-04-29 09:00", "", "1 working day", "2026-05-04 09:00"},
		{"National Day 29 Aug – 2 Sep skipped", "2026-08-28 09:00", "", "1 working day", "2026-09-03 09:00"},
		// Cut-off.
		{"cut-off before: counts from reception", "2026-03-05 14:59", "15:00", "1 working day", "2026-03-06 14:59"},
		{"cut-off at: counts from reception", "2026-03-05 15:00", "15:00", "1 working day", "2026-03-06 15:00"},
		{"cut-off after: counts from next working day 08:00", "2026-03-05 15:01", "15:00", "1 working day", "2026-03-06 17:00"},
		// Receptions outside office hours.
		{"before 08:00: 3 working days end Wed 17:00", "2026-03-02 07:15", "", "3 working days", "2026-03-04 17:00"},
		{"lunch: counting from 13:00", "2026-03-02 12:30", "", "4 working hours", "2026-03-02 17:00"},
		{"after 17:00: counting from next day", "2026-03-02 17:30", "", "1 working day", "2026-03-03 17:00"},
		{"weekend reception: counting from Monday", "2026-03-07 10:00", "", "1 working day", "2026-03-09 17:00"},
		{"holiday reception (Tết): counting from Mon 23 Feb", "2026-02-17 10:00", "", "2 working hours", "2026-02-23 10:00"},
		// Calendar days (Civil Code 2015 Art 148).
		{"30 days end at close of start date + 30", "2026-03-02 10:00", "", "30 days", "2026-04-01 17:00"},
		{"days ending on Saturday move to Monday (Civil Code Art 148)", "2026-03-02 10:00", "", "5 days", "2026-03-09 17:00"},
		{"days ending on a holiday move to next working day (Civil Code Art 148)", "2026-04-20 10:00", "", "10 ngày", "2026-05-04 17:00"},
		{"days ending in Tết move past it (Civil Code Art 148)", "2026-02-02 10:00", "", "14 days", "2026-02-23 17:00"},
		{"days count from the valid start after the cut-off", "2026-03-05 16:00", "15:00", "1 day", "2026-03-09 17:00"},
		// Same day.
		{"same day ends at close of that working day", "2026-03-02 10:00", "", "same day", "2026-03-02 17:00"},
		{"trong ngày after the 15:00 cut-off ends next working day (birth registration)", "2026-03-02 15:30", "15:00", "trong ngày", "2026-03-03 17:00"},
		{"same day received on Saturday ends Monday", "2026-03-07 09:00", "", "same day", "2026-03-09 17:00"},
		// Year boundaries.
		{"year boundary 2026→2027 skips provisional 1 Jan 2027", "2026-12-31 09:00", "", "2 working days", "2027-01-05 09:00"},
		{"year boundary: 31 Dec after cut-off counts from Mon 4 Jan 2027", "2026-12-31 16:00", "15:00", "1 working day", "2027-01-04 17:00"},
		{"year boundary: 2025→2026 skips New Year block", "2025-12-31 16:00", "", "1 working day", "2026-01-05 16:00"},
		{"missing year 2030: only weekends skipped", "2030-01-04 09:00", "", "1 working day", "2030-01-07 09:00"},
		// 2026 has 261 weekdays, 13 of them off, plus the make-up Saturday: 249 working days.
		{"long limit: 250 working days from 5 Jan 2026 skip every block and 1 Jan 2027", "2026-01-05 08:00", "", "250 working days", "2027-01-04 17:00"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			var co *calendar.Clock
			if tt.cutoff != "" {
				co = clock(t, tt.cutoff)
			}
			r := vn.Due(at(t, tt.received), limit(t, tt.limit), co)
			if want := at(t, tt.want); !r.Due.Equal(want) {
				t.Errorf("Due(%s, %q, cutoff %q) = %s, want %s\n%s", tt.received, tt.limit, tt.cutoff,
					vn.FormatInstant(r.Due, "en"), vn.FormatInstant(want, "en"), vn.Explain(r, "en"))
			}
		})
	}
}

// TestWarnings checks that a computation reaching a year without an
// official table says so, and that 2026 alone stays quiet.
func TestWarnings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule     string
		received string
		limit    string
		want     []calendar.Warning
	}{
		{"official 2026 only: no warning", "2026-03-02 09:00", "10 working days", nil},
		{"reaching into 2027 warns provisional", "2026-12-28 09:00", "5 working days", []calendar.Warning{{Year: 2027, Provisional: true}}},
		{"received in provisional 2025 warns", "2025-12-31 09:00", "1 working day", []calendar.Warning{{Year: 2025, Provisional: true}}},
		{"missing year 2030 warns missing", "2030-01-07 09:00", "1 working day", []calendar.Warning{{Year: 2030}}},
		{"2027 into missing 2028 warns both", "2027-12-20 09:00", "30 working days", []calendar.Warning{{Year: 2027, Provisional: true}, {Year: 2028}}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			r := vn.Due(at(t, tt.received), limit(t, tt.limit), nil)
			if !slices.Equal(r.Warnings, tt.want) {
				t.Errorf("warnings = %v, want %v", r.Warnings, tt.want)
			}
			explained := vn.Explain(r, "vi")
			for _, w := range tt.want {
				if !strings.Contains(explained, w.Message("vi")) {
					t.Errorf("Explain lacks warning %q:\n%s", w.Message("vi"), explained)
				}
			}
		})
	}
	if msg := (calendar.Warning{Year: 2027, Provisional: true}).Message("en"); !strings.Contains(msg, "provisional") {
		t.Errorf("English provisional warning = %q", msg)
	}
	if msg := (calendar.Warning{Year: 2030}).Message("vi"); !strings.Contains(msg, "chưa có lịch nghỉ năm 2030") {
		t.Errorf("Vietnamese missing-year warning = %q", msg)
	}
}

// TestElapsed names the rules of office-time accounting between instants.
func TestElapsed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule string
		a, b string
		want time.Duration
	}{
		{"same session", "2026-03-02 09:00", "2026-03-02 11:00", 2 * time.Hour},
		{"across lunch: 11:00–14:00 is 2h", "2026-03-02 11:00", "2026-03-02 14:00", 2 * time.Hour},
		{"inside lunch: nothing", "2026-03-02 12:10", "2026-03-02 12:50", 0},
		{"overnight outside hours: nothing", "2026-03-02 18:00", "2026-03-03 07:00", 0},
		{"a whole working day is 8h", "2026-03-02 00:00", "2026-03-03 00:00", 8 * time.Hour},
		{"across a weekend: Fri 16:00–Mon 09:00 is 2h", "2026-03-06 16:00", "2026-03-09 09:00", 2 * time.Hour},
		{"weekend only: nothing", "2026-03-07 08:00", "2026-03-08 17:00", 0},
		{"across Tết: Fri 13 Feb 16:00–Mon 23 Feb 09:00 is 2h", "2026-02-13 16:00", "2026-02-23 09:00", 2 * time.Hour},
		{"from a holiday: Sat 14 Feb–Tue 24 Feb 10:00 is 10h", "2026-02-14 10:00", "2026-02-24 10:00", 10 * time.Hour},
		{"make-up Saturday counts: Fri 16:00–Mon 09:00 is 10h", "2026-01-09 16:00", "2026-01-12 09:00", 10 * time.Hour},
		{"across National Day: Fri 28 Aug 16:00–Thu 3 Sep 09:00 is 2h", "2026-08-28 16:00", "2026-09-03 09:00", 2 * time.Hour},
		{"across the year boundary and 1 Jan 2027", "2026-12-31 16:00", "2027-01-04 09:00", 2 * time.Hour},
		{"a whole week is 40h", "2026-03-02 08:00", "2026-03-09 08:00", 40 * time.Hour},
		{"equal instants: nothing", "2026-03-02 09:00", "2026-03-02 09:00", 0},
		{"reversed instants: nothing", "2026-03-03 09:00", "2026-03-02 09:00", 0},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			if got := vn.Elapsed(at(t, tt.a), at(t, tt.b)); got != tt.want {
				t.Errorf("Elapsed(%s, %s) = %s, want %s", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// TestAddWorkInverseOfElapsed checks AddWork against Elapsed on a grid of
// starts and amounts, session ends included.
func TestAddWorkInverseOfElapsed(t *testing.T) {
	t.Parallel()
	base := at(t, "2026-01-01 00:00")
	for h := 0; h < 24*400; h += 37 {
		from := base.Add(time.Duration(h) * time.Hour)
		for _, w := range []time.Duration{time.Minute, 4 * time.Hour, 8 * time.Hour, 13*time.Hour + 7*time.Minute, 160 * time.Hour} {
			due := vn.AddWork(from, w)
			if got := vn.Elapsed(from, due); got != w {
				t.Fatalf("Elapsed(%s, AddWork(+%s) = %s) = %s", from, w, due, got)
			}
		}
	}
}

func TestWork(t *testing.T) {
	t.Parallel()
	short, err := calendar.New(calendar.Config{Name: "short", Sessions: []calendar.Session{{Start: 7*60 + 30, End: 11*60 + 30}, {Start: 13 * 60, End: 16 * 60}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		rule  string
		cal   *calendar.Calendar
		limit string
		want  time.Duration
	}{
		{"0.5 working days = 4h on an 8-hour day", vn, "0.5 working days", 4 * time.Hour},
		{"a working day is the calendar's day: 7h", short, "1 working day", 7 * time.Hour},
		{"working hours do not depend on the day", short, "3 working hours", 3 * time.Hour},
		{"90 working minutes", vn, "90 phút làm việc", 90 * time.Minute},
		{"0.001 working days keep their precision", vn, "0.001 working days", 28800 * time.Millisecond},
		{"calendar days are not working time", vn, "30 days", 0},
		{"same day is not working time", vn, "same day", 0},
		{"the largest amount does not overflow", vn, "99999.999 working days", 99999*8*time.Hour + 999*8*time.Hour/1000},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			if got := tt.cal.Work(limit(t, tt.limit)); got != tt.want {
				t.Errorf("Work(%q) = %s, want %s", tt.limit, got, tt.want)
			}
		})
	}
}

// TestLocalSessions: office hours are set locally (domain brief, "Time rules").
func TestLocalSessions(t *testing.T) {
	t.Parallel()
	cfg := calendar.VNConfig()
	cfg.Name = "vn-local-0700"
	cfg.Sessions = []calendar.Session{{Start: 7 * 60, End: 11*60 + 30}, {Start: 13*60 + 30, End: 17 * 60}}
	c, err := calendar.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.DayWork() != 8*time.Hour {
		t.Errorf("DayWork = %s, want 8h", c.DayWork())
	}
	got := c.Due(at(t, "2026-03-02 08:00"), limit(t, "4 working hours"), nil).Due
	if want := at(t, "2026-03-02 14:00"); !got.Equal(want) {
		t.Errorf("4 working hours from 08:00 with 07:00–11:30/13:30–17:00 = %s, want 14:00", got)
	}
}

func TestNewRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule string
		cfg  calendar.Config
		want string
	}{
		{"unknown zone", calendar.Config{Name: "x", Zone: "Mars/Olympus"}, "unknown time zone"},
		{"session ends before it starts", calendar.Config{Name: "x", Sessions: []calendar.Session{{Start: 600, End: 500}}}, "ends before it starts"},
		{"sessions overlap", calendar.Config{Name: "x", Sessions: []calendar.Session{{Start: 480, End: 720}, {Start: 700, End: 1000}}}, "overlap"},
		{"session beyond midnight", calendar.Config{Name: "x", Sessions: []calendar.Session{{Start: 1200, End: 1500}}}, "within one day"},
		{"year listed twice", calendar.Config{Name: "x", Years: []calendar.Year{{Year: 2026}, {Year: 2026}}}, "listed twice"},
		{"day off outside its year", calendar.Config{Name: "x", Years: []calendar.Year{{Year: 2026, DaysOff: []calendar.Holiday{{Date: calendar.Date{Year: 2027, Month: 1, Day: 1}}}}}}, "not in year"},
		{"day both off and working", calendar.Config{Name: "x", Years: []calendar.Year{{Year: 2026,
			DaysOff:     []calendar.Holiday{{Date: calendar.Date{Year: 2026, Month: 1, Day: 10}}},
			WorkingDays: []calendar.Holiday{{Date: calendar.Date{Year: 2026, Month: 1, Day: 10}}}}}}, "both"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			_, err := calendar.New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestExplain checks the derivation a clerk reads, in both languages.
func TestExplain(t *testing.T) {
	t.Parallel()
	r := vn.Due(at(t, "2026-02-12 16:30"), limit(t, "3 working days"), clock(t, "15:00"))
	en := vn.Explain(r, "en")
	for _, want := range []string{
		"received Thu 12/02/2026 16:30 after the 15:00 cut-off, counting from Fri 13/02/2026 08:00",
		"Tết Nguyên đán 14/02–22/02 skipped",
		"3 working days (24 working hours) end Tue 24/02/2026 17:00",
	} {
		if !strings.Contains(en, want) {
			t.Errorf("English explanation lacks %q:\n%s", want, en)
		}
	}
	vi := vn.Explain(r, "vi")
	for _, want := range []string{
		"tiếp nhận T5 12/02/2026 16:30 sau giờ giới hạn 15:00, tính từ T6 13/02/2026 08:00",
		"trừ Tết Nguyên đán 14/02–22/02",
		"3 ngày làm việc (24 giờ làm việc) kết thúc T3 24/02/2026 17:00",
	} {
		if !strings.Contains(vi, want) {
			t.Errorf("Vietnamese explanation lacks %q:\n%s", want, vi)
		}
	}
	if strings.Contains(vi, "\n") {
		t.Errorf("explanation without warnings should be one line:\n%s", vi)
	}

	tests := []struct {
		rule, received, limit, lang, want string
	}{
		{"outside office hours", "2026-03-02 18:00", "1 working day", "en", "received Mon 02/03/2026 18:00 outside office hours, counting from Tue 03/03/2026 08:00"},
		{"on a named day off", "2026-02-17 10:00", "1 working day", "vi", "tiếp nhận T3 17/02/2026 10:00 vào ngày nghỉ (Tết Nguyên đán), tính từ T2 23/02/2026 08:00"},
		{"in office hours", "2026-03-02 09:00", "1 working day", "vi", "tiếp nhận T2 02/03/2026 09:00, tính từ thời điểm này"},
		{"calendar days cite Art 148", "2026-03-02 10:00", "5 days", "en", "Civil Code Art 148"},
		{"calendar days cite Điều 148", "2026-03-02 10:00", "5 ngày", "vi", "BLDS 2015 Điều 148"},
		{"same day", "2026-03-02 10:00", "same day", "en", "same day: ends at the close of Mon 02/03/2026 17:00"},
		{"trong ngày", "2026-03-02 10:00", "trong ngày", "vi", "trong ngày: kết thúc cuối giờ làm việc T2 02/03/2026 17:00"},
		{"provisional warning on its own line", "2026-12-31 09:00", "2 working days", "en", "\nwarning: the 2027 holiday table is provisional"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			got := vn.Explain(vn.Due(at(t, tt.received), limit(t, tt.limit), nil), tt.lang)
			if !strings.Contains(got, tt.want) {
				t.Errorf("Explain lacks %q:\n%s", tt.want, got)
			}
		})
	}
}

// TestParseDuration covers the English and Vietnamese forms.
func TestParseDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule string
		in   string
		want calendar.Duration
	}{
		{"working days", "3 working days", calendar.WorkingDaysOf(3)},
		{"singular working day", "1 working day", calendar.WorkingDaysOf(1)},
		{"case and spaces do not matter", "  3  Working   DAYS ", calendar.WorkingDaysOf(3)},
		{"Vietnamese working days", "3 ngày làm việc", calendar.WorkingDaysOf(3)},
		{"Vietnamese upper case", "3 NGÀY LÀM VIỆC", calendar.WorkingDaysOf(3)},
		{"leading zero as on forms", "03 ngày làm việc", calendar.WorkingDaysOf(3)},
		{"fraction with a point", "0.5 working days", calendar.Duration{Unit: calendar.WorkingDays, Milli: 500}},
		{"fraction with a Vietnamese comma", "0,5 ngày làm việc", calendar.Duration{Unit: calendar.WorkingDays, Milli: 500}},
		{"working hours", "8 working hours", calendar.WorkingHoursOf(8)},
		{"Vietnamese working hours", "8 giờ làm việc", calendar.WorkingHoursOf(8)},
		{"working minutes", "90 working minutes", calendar.Duration{Unit: calendar.WorkingMinutes, Milli: 90000}},
		{"Vietnamese working minutes", "90 phút làm việc", calendar.Duration{Unit: calendar.WorkingMinutes, Milli: 90000}},
		{"calendar days", "30 days", calendar.DaysOf(30)},
		{"Vietnamese calendar days", "30 ngày", calendar.DaysOf(30)},
		{"explicit calendar days", "15 calendar days", calendar.DaysOf(15)},
		{"same day", "same day", calendar.SameDayLimit},
		{"Vietnamese same day", "Trong ngày", calendar.SameDayLimit},
		{"zero is allowed (escalation at the deadline)", "0 working hours", calendar.WorkingHoursOf(0)},
		{"largest amount", "99999 days", calendar.DaysOf(99999)},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			got, err := calendar.ParseDuration(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			back, err := calendar.ParseDuration(got.String())
			if err != nil || back != got {
				t.Errorf("round trip via %q = %v, %v", got.String(), back, err)
			}
		})
	}
}

func TestParseDurationErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule, in, reason string
	}{
		{"empty", "", "empty"},
		{"number without unit", "3", "missing unit"},
		{"unit without number", "working days", "not a number"},
		{"words for numbers", "three days", "not a number"},
		{"negative", "-3 days", "negative"},
		{"calendar days must be whole", "1.5 days", "whole number"},
		{"weeks are not a legal unit here", "3 weeks", "unknown unit"},
		{"more than three decimals", "1.2345 working days", "three decimals"},
		{"too large to count", "100000 working days", "too large"},
		{"half a unit name", "3 working", "unknown unit"},
		{"trailing point", "3. days", "not a number"},
		{"exponent", "1e3 days", "not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			_, err := calendar.ParseDuration(tt.in)
			var de *calendar.DurationError
			if !errors.As(err, &de) {
				t.Fatalf("ParseDuration(%q) error = %v, want a *DurationError", tt.in, err)
			}
			msg := err.Error()
			for _, want := range []string{tt.reason, `"N working days"`, `"N ngày làm việc"`, `"trong ngày"`, `"same day"`} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q lacks %q", msg, want)
				}
			}
		})
	}
}

func TestDurationFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, en, vi string
	}{
		{"1 working day", "1 working day", "1 ngày làm việc"},
		{"1.5 working days", "1.5 working days", "1,5 ngày làm việc"},
		{"8 giờ làm việc", "8 working hours", "8 giờ làm việc"},
		{"30 ngày", "30 days", "30 ngày"},
		{"trong ngày", "same day", "trong ngày"},
	}
	for _, tt := range tests {
		d := limit(t, tt.in)
		if got := d.Format("en"); got != tt.en {
			t.Errorf("%q in English = %q, want %q", tt.in, got, tt.en)
		}
		if got := d.Format("vi"); got != tt.vi {
			t.Errorf("%q in Vietnamese = %q, want %q", tt.in, got, tt.vi)
		}
	}
}

func TestParseClock(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]calendar.Clock{"15:00": 900, "8:30": 510, "00:00": 0, "24:00": 1440} {
		if got, err := calendar.ParseClock(in); err != nil || got != want {
			t.Errorf("ParseClock(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "15", "25:00", "15:60", "24:01", "15:0", "ab:cd", "-1:00"} {
		if _, err := calendar.ParseClock(in); err == nil {
			t.Errorf("ParseClock(%q) accepted", in)
		}
	}
}
