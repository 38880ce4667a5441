package procedures

import (
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/engine/calendar"
)

func TestLoadCalendarExamples(t *testing.T) {
	t.Parallel()
	full, err := LoadCalendar("../examples/calendars/vn-2026.yaml")
	if err != nil {
		t.Fatal(err)
	}
	vn := calendar.VN()
	// The written-out table must agree with the built-in one day by day.
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		cd := calendar.DateOf(d, time.UTC)
		if full.IsWorkingDay(cd) != vn.IsWorkingDay(cd) {
			t.Errorf("%s: file says working=%v, built-in says %v", cd, full.IsWorkingDay(cd), vn.IsWorkingDay(cd))
		}
	}
	local, err := LoadCalendar("../examples/calendars/local-0700.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := local.Sessions(); len(got) != 2 || got[0].Start.String() != "07:00" || got[1].End.String() != "17:00" {
		t.Errorf("local sessions = %v", got)
	}
	// 08:00 + 4 working hours crosses the 11:30–13:30 break.
	mon := time.Date(2026, 3, 2, 8, 0, 0, 0, local.Location())
	if got, want := local.AddWork(mon, 4*time.Hour), time.Date(2026, 3, 2, 14, 0, 0, 0, local.Location()); !got.Equal(want) {
		t.Errorf("AddWork = %v, want %v", got, want)
	}
	if local.IsWorkingDay(calendar.Date{Year: 2026, Month: time.February, Day: 17}) {
		t.Error("extends: vn lost the Tết table")
	}
	if _, ok := local.Year(2027); !ok {
		t.Error("extends: vn lost the 2027 table")
	}
}

func TestParseCalendarProblems(t *testing.T) {
	t.Parallel()
	src := `name: x
zone: Mars/Olympus
weekdays: [mon, funday]
sessions: ["08:00-12:00", "13:00-12:00"]
colour: red
years:
  - year: 2026
    days_off:
      - {date: 2025-01-01, name: Wrong year}
      - {from: 2026-02-14, name: No end}
`
	_, err := ParseCalendar("c.yaml", []byte(src))
	var ps *Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want *Problems", err)
	}
	want := []string{
		`c.yaml:2:7: zone: unknown time zone "Mars/Olympus"`,
		`c.yaml:3:17: weekdays: unknown day "funday" (want mon, tue, ... sun)`,
		`c.yaml:4:27: sessions: "13:00-12:00" is not a session; want "HH:MM-HH:MM" with the start before the end`,
		`c.yaml:5:1: calendar: unknown key "colour" (known: extends, name, sessions, weekdays, years, zone)`,
		`c.yaml:9:16: days_off.date: 2025-01-01 is not in year 2026`,
		`c.yaml:10:16: days_off entry: from without to`,
	}
	if len(ps.List) != len(want) {
		t.Fatalf("got %d problems:\n%v", len(ps.List), err)
	}
	for i, w := range want {
		if got := ps.List[i].String(); got != w {
			t.Errorf("problem %d:\n got %s\nwant %s", i, got, w)
		}
	}
}
