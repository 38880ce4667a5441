package main

import (
	"context"
	"fmt"
	"sort"

	"github.com/motcua/motcua/engine/calendar"
)

const calendarUsage = `Usage: motcua calendar [--year YYYY] [--calendar FILE] [--lang vi|en]

Prints the year's days off and make-up working days, one per line, date
first: "2026-01-01  nghỉ  Tết Dương lịch". A year whose table is
provisional or missing gets a notice on stderr.

Flags:
  --year YYYY       the year (default: the current year in the calendar's zone)
  --calendar FILE   calendar YAML (default: the built-in vn calendar)
  --lang vi|en      language of the day kinds and notices (default vi)
`

// runCalendar lists a year's days off and make-up working days.
func runCalendar(_ context.Context, m *Main, args []string) error {
	fs := newFlags("calendar", calendarUsage)
	fs.terse = true
	year := fs.Int("year", 0, "")
	calPath := fs.String("calendar", "", "")
	lang := fs.String("lang", "vi", "")
	if err := fs.parse(m, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("calendar: unexpected argument %q (use --year)", fs.Arg(0))
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	cal, err := loadCalendarFlag(*calPath)
	if err != nil {
		return err
	}
	y := *year
	if y == 0 {
		// cmd is where wall-clock time may enter (style guide).
		y = m.Now.Time().In(cal.Location()).Year()
	}
	if y < 1 || y > 9999 {
		return usagef("calendar: --year %d: want a year such as 2026", y)
	}
	printYear(m, cal, y, *lang)
	return nil
}

// printYear lists year y of cal in date order; a missing or provisional
// table is reported on stderr with the same words as due's warnings.
func printYear(m *Main, cal *calendar.Calendar, y int, lang string) {
	t, ok := cal.Year(y)
	if !ok {
		printWarnings(m, []calendar.Warning{{Year: y}}, lang)
		return
	}
	type line struct {
		date calendar.Date
		kind string
		name string
	}
	off, work := "nghỉ", "làm bù"
	if lang == "en" {
		off, work = "off", "working"
	}
	var lines []line
	for _, h := range t.DaysOff {
		lines = append(lines, line{h.Date, off, h.Name})
	}
	for _, h := range t.WorkingDays {
		lines = append(lines, line{h.Date, work, h.Name})
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].date.String() < lines[j].date.String() })
	for _, l := range lines {
		fmt.Fprintf(m.Stdout, "%s  %s  %s\n", l.date, l.kind, l.name)
	}
	if t.Provisional {
		printWarnings(m, []calendar.Warning{{Year: y, Provisional: true}}, lang)
	}
}
