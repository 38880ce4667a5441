package calendar

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // legal deadlines must not depend on the host's zone files
)

// Clock is a time of day in minutes after midnight, e.g. 15:00 = 900.
type Clock int

// ParseClock parses "HH:MM" (24-hour).
func ParseClock(s string) (Clock, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(m) != 2 || len(h) < 1 || len(h) > 2 {
		return 0, fmt.Errorf("invalid time of day %q: want HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("invalid time of day %q: want HH:MM between 00:00 and 24:00", s)
	}
	return Clock(hh*60 + mm), nil
}

// String formats c as HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// offset returns c as a duration after midnight.
func (c Clock) offset() time.Duration { return time.Duration(c) * time.Minute }

// Session is one office session of a working day, [Start, End).
type Session struct {
	Start, End Clock
}

// Date is a civil date in the calendar's zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// DateOf returns the civil date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Short formats d as DD/MM, as Vietnamese forms print it.
func (d Date) Short() string { return fmt.Sprintf("%02d/%02d", d.Day, d.Month) }

// num returns the day number since 1970-01-01.
func (d Date) num() int {
	return int(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dateFromNum(n int) Date {
	t := time.Unix(int64(n)*86400, 0).UTC()
	return Date{t.Year(), t.Month(), t.Day()}
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Weekday()
}

// Holiday is one named day: a day off, or a make-up working day.
type Holiday struct {
	Date Date
	Name string
}

// Year is the official table of one year: the days off on otherwise
// working days and the make-up working days on otherwise free days
// (Labour Code 2019 Art 112; the Prime Minister fixes swaps each year).
type Year struct {
	Year int
	// Provisional marks a table that is computed or expected but not yet
	// confirmed by an official decision; deadlines reaching into it warn.
	Provisional bool
	// Source says where the table comes from.
	Source      string
	DaysOff     []Holiday
	WorkingDays []Holiday
}

// Config describes a calendar; New validates and compiles it.
type Config struct {
	// Name identifies the calendar, e.g. "vn".
	Name string
	// Zone is an IANA zone name; default Asia/Ho_Chi_Minh.
	Zone string
	// Weekdays are the regular working days; default Monday–Friday.
	Weekdays []time.Weekday
	// Sessions are the office sessions of a working day; default
	// 08:00–12:00 and 13:00–17:00.
	Sessions []Session
	// Years holds the per-year tables.
	Years []Year
	// Reference, when set, is a calendar this one is checked against: a
	// due instant on a day Reference keeps as a day off, but this one
	// counts as working, warns (Warning.Holiday). A calendar file that
	// left out a holiday then says so on the dossier that would land on
	// it, instead of silently making 1 January a working day.
	Reference *Calendar
}

// Calendar is a compiled legal calendar. It is immutable and safe for
// concurrent use.
type Calendar struct {
	name     string
	loc      *time.Location
	weekdays [7]bool
	sessions []Session
	dayWork  time.Duration
	years    map[int]*Year
	off      map[int]string // day number → name of the day off
	offDays  []offDay       // off in date order, so listing skipped days is a search, not a walk
	makeup   map[int]string // day number → name of the make-up working day
	ref      *Calendar      // Config.Reference

	// Working-day prefix sums over [tableStart, tableStart+len(work)):
	// prefix[i] = working days in [tableStart, tableStart+i). They make
	// "the n-th working day after d" a binary search instead of a walk.
	tableStart int
	work       []bool
	prefix     []int32
}

// The span covered by the prefix tables; outside it the calendar walks
// day by day, which is correct but slower.
var (
	tableFirst = Date{2000, 1, 1}.num()
	tableLast  = Date{2101, 1, 1}.num()
)

// New compiles a calendar from cfg.
func New(cfg Config) (*Calendar, error) {
	c := &Calendar{name: cfg.Name, years: map[int]*Year{}, off: map[int]string{}, makeup: map[int]string{}, ref: cfg.Reference}
	zone := cfg.Zone
	if zone == "" {
		zone = "Asia/Ho_Chi_Minh"
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("calendar %s: unknown time zone %q", cfg.Name, zone)
	}
	c.loc = loc
	wd := cfg.Weekdays
	if len(wd) == 0 {
		wd = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	for _, d := range wd {
		if d < 0 || d > 6 {
			return nil, fmt.Errorf("calendar %s: invalid weekday %d", cfg.Name, d)
		}
		c.weekdays[d] = true
	}
	ss := cfg.Sessions
	if len(ss) == 0 {
		ss = []Session{{8 * 60, 12 * 60}, {13 * 60, 17 * 60}}
	}
	c.sessions = append([]Session(nil), ss...)
	sort.Slice(c.sessions, func(i, j int) bool { return c.sessions[i].Start < c.sessions[j].Start })
	for i, s := range c.sessions {
		if s.Start < 0 || s.End > 24*60 {
			return nil, fmt.Errorf("calendar %s: session %s–%s is not within one day", cfg.Name, s.Start, s.End)
		}
		if s.End <= s.Start {
			return nil, fmt.Errorf("calendar %s: session %s–%s ends before it starts", cfg.Name, s.Start, s.End)
		}
		if i > 0 && s.Start < c.sessions[i-1].End {
			return nil, fmt.Errorf("calendar %s: sessions %s–%s and %s–%s overlap", cfg.Name,
				c.sessions[i-1].Start, c.sessions[i-1].End, s.Start, s.End)
		}
		c.dayWork += (s.End - s.Start).offset()
	}
	for i := range cfg.Years {
		y := cfg.Years[i]
		if _, dup := c.years[y.Year]; dup {
			return nil, fmt.Errorf("calendar %s: year %d listed twice", cfg.Name, y.Year)
		}
		c.years[y.Year] = &y
		for _, h := range y.DaysOff {
			if h.Date.Year != y.Year {
				return nil, fmt.Errorf("calendar %s: day off %s is not in year %d", cfg.Name, h.Date, y.Year)
			}
			c.off[h.Date.num()] = h.Name
		}
		for _, h := range y.WorkingDays {
			if h.Date.Year != y.Year {
				return nil, fmt.Errorf("calendar %s: working day %s is not in year %d", cfg.Name, h.Date, y.Year)
			}
			if _, clash := c.off[h.Date.num()]; clash {
				return nil, fmt.Errorf("calendar %s: %s is both a day off and a working day", cfg.Name, h.Date)
			}
			c.makeup[h.Date.num()] = h.Name
		}
	}
	for n, name := range c.off {
		c.offDays = append(c.offDays, offDay{n, dateFromNum(n), name})
	}
	sort.Slice(c.offDays, func(i, j int) bool { return c.offDays[i].n < c.offDays[j].n })
	c.tableStart = tableFirst
	n := tableLast - tableFirst
	c.work = make([]bool, n)
	c.prefix = make([]int32, n+1)
	for i := 0; i < n; i++ {
		w := c.isWorkingNum(tableFirst + i)
		c.work[i] = w
		c.prefix[i+1] = c.prefix[i]
		if w {
			c.prefix[i+1]++
		}
	}
	return c, nil
}

// offDay is one day off, with its date and name precomputed.
type offDay struct {
	n    int
	date Date
	name string
}

// Name returns the calendar's name.
func (c *Calendar) Name() string { return c.name }

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Sessions returns the office sessions of a working day.
func (c *Calendar) Sessions() []Session { return append([]Session(nil), c.sessions...) }

// DayWork returns the office time of one standard working day.
func (c *Calendar) DayWork() time.Duration { return c.dayWork }

// Year returns the table of year y, if the calendar has one.
func (c *Calendar) Year(y int) (Year, bool) {
	t, ok := c.years[y]
	if !ok {
		return Year{}, false
	}
	return *t, true
}

// Years returns the years that have a table, in order.
func (c *Calendar) Years() []int {
	var ys []int
	for y := range c.years {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

func (c *Calendar) isWorkingNum(n int) bool {
	if _, ok := c.off[n]; ok {
		return false
	}
	if _, ok := c.makeup[n]; ok {
		return true
	}
	return c.weekdays[dateFromNum(n).Weekday()]
}

func (c *Calendar) workingNum(n int) bool {
	if i := n - c.tableStart; i >= 0 && i < len(c.work) {
		return c.work[i]
	}
	return c.isWorkingNum(n)
}

// IsWorkingDay reports whether d is a working day.
func (c *Calendar) IsWorkingDay(d Date) bool { return c.workingNum(d.num()) }

// DayOffName returns the name of the day off on d, if any.
func (c *Calendar) DayOffName(d Date) (string, bool) {
	n, ok := c.off[d.num()]
	return n, ok
}

// instant returns the instant whose wall clock on day n reads off after
// midnight. Offsets are wall-clock readings, not elapsed time, so that
// 08:00 stays 08:00 on a daylight-saving day in zones that have one.
func (c *Calendar) instant(n int, off time.Duration) time.Time {
	d := dateFromNum(n)
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, int(off), c.loc)
}

// split returns the day number of t and its wall-clock offset after
// local midnight (see instant).
func (c *Calendar) split(t time.Time) (int, time.Duration) {
	lt := t.In(c.loc)
	y, m, d := lt.Date()
	h, mi, sec := lt.Clock()
	off := time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute +
		time.Duration(sec)*time.Second + time.Duration(lt.Nanosecond())
	return Date{y, m, d}.num(), off
}

// nextWorking returns the first working day number > n.
func (c *Calendar) nextWorking(n int) int {
	return c.nthWorkingAfter(n, 1)
}

// nthWorkingAfter returns the k-th working day strictly after day n (k ≥ 1).
func (c *Calendar) nthWorkingAfter(n, k int) int {
	i := n - c.tableStart
	if i >= 0 && i < len(c.work) {
		target := c.prefix[i+1] + int32(k) // working days in [start, result] must reach this
		// smallest j with prefix[j] >= target; the result day index is j-1
		j := sort.Search(len(c.prefix), func(j int) bool { return c.prefix[j] >= target })
		if j < len(c.prefix) {
			return c.tableStart + j - 1
		}
		// ran past the table: continue walking from its end
		done := int(c.prefix[len(c.prefix)-1] - c.prefix[i+1])
		return c.walkWorking(c.tableStart+len(c.work)-1, k-done)
	}
	return c.walkWorking(n, k)
}

// walkWorking is the day-by-day fallback for dates outside the tables.
func (c *Calendar) walkWorking(n, k int) int {
	for k > 0 {
		n++
		if c.isWorkingNum(n) {
			k--
		}
	}
	return n
}

// workingDaysBetween counts working days in the open interval (a, b).
func (c *Calendar) workingDaysBetween(a, b int) int {
	if b <= a+1 {
		return 0
	}
	ia, ib := a+1-c.tableStart, b-c.tableStart
	if ia >= 0 && ib <= len(c.work) {
		return int(c.prefix[ib] - c.prefix[ia])
	}
	n := 0
	for d := a + 1; d < b; d++ {
		if c.workingNum(d) {
			n++
		}
	}
	return n
}

// inSessions returns office time of a working day in [from, to) offsets.
func (c *Calendar) inSessions(from, to time.Duration) time.Duration {
	var w time.Duration
	for _, s := range c.sessions {
		a, b := max(from, s.Start.offset()), min(to, s.End.offset())
		if b > a {
			w += b - a
		}
	}
	return w
}

// Start returns the valid reception instant for a dossier received at t:
// t itself when it lies within an office session of a working day,
// otherwise the start of the next session. With a cut-off, a reception
// on a working day strictly after the cut-off counts from the first
// session of the next working day (Decree 61/2018 Art 18; civil-status
// procedures received after 15:00).
func (c *Calendar) Start(t time.Time, cutoff *Clock) time.Time {
	n, off := c.split(t)
	if c.workingNum(n) {
		if cutoff != nil && off > cutoff.offset() {
			return c.instant(c.nextWorking(n), c.sessions[0].Start.offset())
		}
		for _, s := range c.sessions {
			if off < s.Start.offset() {
				return c.instant(n, s.Start.offset())
			}
			if off < s.End.offset() {
				return t.In(c.loc)
			}
		}
	}
	return c.instant(c.nextWorking(n), c.sessions[0].Start.offset())
}

// AddWork returns the earliest instant at which work of office time has
// elapsed after from. An end that falls exactly on a session's end stays
// there (a limit ending at 17:00 ends at 17:00, not at 08:00 next day).
func (c *Calendar) AddWork(from time.Time, work time.Duration) time.Time {
	if work <= 0 {
		return from.In(c.loc)
	}
	n, off := c.split(from)
	if c.workingNum(n) {
		for _, s := range c.sessions {
			a, b := max(off, s.Start.offset()), s.End.offset()
			if b <= a {
				continue
			}
			if b-a >= work {
				return c.instant(n, a+work)
			}
			work -= b - a
		}
	}
	// work > 0 remains, to be taken from whole working days after n.
	full := int(work / c.dayWork)
	rem := work % c.dayWork
	if rem == 0 {
		last := c.nthWorkingAfter(n, full)
		return c.instant(last, c.sessions[len(c.sessions)-1].End.offset())
	}
	day := c.nthWorkingAfter(n, full+1)
	for _, s := range c.sessions {
		l := (s.End - s.Start).offset()
		if l >= rem {
			return c.instant(day, s.Start.offset()+rem)
		}
		rem -= l
	}
	panic("unreachable: remainder exceeds a working day")
}

// Elapsed returns the office time between a and b (0 if b is not after a).
func (c *Calendar) Elapsed(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	na, oa := c.split(a)
	nb, ob := c.split(b)
	if na == nb {
		if !c.workingNum(na) {
			return 0
		}
		return c.inSessions(oa, ob)
	}
	var w time.Duration
	if c.workingNum(na) {
		w += c.inSessions(oa, 24*time.Hour)
	}
	w += time.Duration(c.workingDaysBetween(na, nb)) * c.dayWork
	if c.workingNum(nb) {
		w += c.inSessions(0, ob)
	}
	return w
}

// closeOf returns the end of the last session of day n.
func (c *Calendar) closeOf(n int) time.Time {
	return c.instant(n, c.sessions[len(c.sessions)-1].End.offset())
}

// EndOfDays returns the end of a limit of n calendar days counted from
// start: the close of office hours on start's date + n, moved to the
// next working day when that date is not one (Civil Code 2015 Art 148).
func (c *Calendar) EndOfDays(start time.Time, n int) time.Time {
	d, _ := c.split(start)
	end := d + n
	if !c.workingNum(end) {
		end = c.nextWorking(end)
	}
	return c.closeOf(end)
}

// Add returns the due instant of limit d counted from the valid start
// instant start (see Start).
func (c *Calendar) Add(start time.Time, d Duration) time.Time {
	switch d.Unit {
	case Days:
		return c.EndOfDays(start, int(d.Milli/milli))
	case SameDay:
		n, _ := c.split(start)
		if !c.workingNum(n) {
			n = c.nextWorking(n)
		}
		return c.closeOf(n)
	default:
		return c.AddWork(start, c.Work(d))
	}
}
