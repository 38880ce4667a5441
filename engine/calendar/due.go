package calendar

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Span is a run of consecutive days off sharing one name.
type Span struct {
	From, To Date
	Name     string
}

// Warning flags a computation that relies on a table that is missing or
// provisional: the result may move once the official schedule is out. With
// Holiday set it flags instead a due instant on a day the reference
// calendar (Config.Reference, the built-in vn) keeps as a day off.
type Warning struct {
	Year int
	// Provisional is true for a provisional table, false for a missing one.
	Provisional bool
	// Holiday names the reference calendar's day off the due instant
	// falls on, Date that day; empty for table warnings.
	Holiday string
	Date    Date
}

// Message renders the warning in lang ("vi" or "en").
func (w Warning) Message(lang string) string {
	switch {
	case w.Holiday != "" && lang == "en":
		return fmt.Sprintf("the due date %s is a day off in the built-in calendar (%s) but a working day in this one: check the calendar file", w.Date, w.Holiday)
	case w.Holiday != "":
		return fmt.Sprintf("hạn %s là ngày nghỉ theo lịch có sẵn (%s) nhưng là ngày làm việc theo lịch đang dùng: hãy kiểm tra tệp lịch", w.Date, w.Holiday)
	case lang == "en" && w.Provisional:
		return fmt.Sprintf("the %d holiday table is provisional (not yet officially confirmed): dates may move", w.Year)
	case lang == "en":
		return fmt.Sprintf("no holiday table for %d: only weekends are skipped, dates may move", w.Year)
	case w.Provisional:
		return fmt.Sprintf("lịch nghỉ năm %d là tạm tính (chưa có quyết định chính thức): ngày hẹn có thể thay đổi", w.Year)
	default:
		return fmt.Sprintf("chưa có lịch nghỉ năm %d: chỉ trừ thứ Bảy, Chủ nhật, ngày hẹn có thể thay đổi", w.Year)
	}
}

// String renders the warning in English.
func (w Warning) String() string { return w.Message("en") }

// Result is a due instant with everything needed to explain it.
type Result struct {
	// Received is the reception instant as given.
	Received time.Time
	// Start is the valid reception instant counting starts from.
	Start time.Time
	// Due is the due instant.
	Due time.Time
	// Limit is the time limit counted.
	Limit Duration
	// Cutoff is the cut-off used, if any; CutoffApplied says whether the
	// reception was after it.
	Cutoff        *Clock
	CutoffApplied bool
	// Skipped lists the named days off between Start and Due.
	Skipped []Span
	// Warnings flags years without a confirmed table.
	Warnings []Warning
}

// Due computes the due instant of limit counted from a reception at
// received, with an optional cut-off.
func (c *Calendar) Due(received time.Time, limit Duration, cutoff *Clock) Result {
	start := c.Start(received, cutoff)
	r := Result{Received: received, Start: start, Limit: limit, Cutoff: cutoff}
	if cutoff != nil {
		n, off := c.split(received)
		r.CutoffApplied = c.workingNum(n) && off > cutoff.offset()
	}
	r.Due = c.Add(start, limit)
	r.Skipped = c.SkippedBetween(start, r.Due)
	r.Warnings = c.WarningsBetween(received, r.Due)
	if w, ok := c.referenceHoliday(r.Due); ok {
		r.Warnings = append(r.Warnings, w)
	}
	return r
}

// referenceHoliday returns the warning for a due instant t on a day the
// reference calendar keeps off while c counts it as working.
func (c *Calendar) referenceHoliday(t time.Time) (Warning, bool) {
	if c.ref == nil {
		return Warning{}, false
	}
	d := DateOf(t, c.loc)
	name, off := c.ref.DayOffName(d)
	if !off || !c.IsWorkingDay(d) {
		return Warning{}, false
	}
	return Warning{Year: d.Year, Holiday: name, Date: d}, true
}

// SkippedBetween lists the named days off between a and b, grouped into
// runs of consecutive days with the same name.
func (c *Calendar) SkippedBetween(a, b time.Time) []Span {
	na, _ := c.split(a)
	nb, _ := c.split(b)
	first := sort.Search(len(c.offDays), func(i int) bool { return c.offDays[i].n >= na })
	end := first + sort.Search(len(c.offDays)-first, func(i int) bool { return c.offDays[first+i].n > nb })
	if first == end {
		return nil
	}
	// Count the runs first so the list is one exact allocation: Due
	// calls this for every deadline.
	runs := 0
	for i := first; i < end; i++ {
		if i == first || !sameRun(c.offDays[i-1], c.offDays[i]) {
			runs++
		}
	}
	out := make([]Span, 0, runs)
	last := 0 // day number of out's last To
	for _, od := range c.offDays[first:end] {
		if k := len(out) - 1; k >= 0 && sameRun(offDay{n: last, name: out[k].Name}, od) {
			out[k].To, last = od.date, od.n
			continue
		}
		out = append(out, Span{From: od.date, To: od.date, Name: od.name})
		last = od.n
	}
	return out
}

// sameRun reports whether day off b continues the run ending with a:
// same name, at most a weekend in between (Tết spans weekends).
func sameRun(a, b offDay) bool { return a.name == b.name && a.n >= b.n-3 }

// WarningsBetween returns a warning for each year from a's to b's that has
// no table or only a provisional one.
func (c *Calendar) WarningsBetween(a, b time.Time) []Warning {
	ya, yb := a.In(c.loc).Year(), b.In(c.loc).Year()
	var ws []Warning
	for y := ya; y <= yb; y++ {
		t, ok := c.years[y]
		switch {
		case !ok:
			ws = append(ws, Warning{Year: y})
		case t.Provisional:
			ws = append(ws, Warning{Year: y, Provisional: true})
		}
	}
	return ws
}

var weekdaysVI = [...]string{"CN", "T2", "T3", "T4", "T5", "T6", "T7"}

// FormatInstant renders t the way a clerk reads it: "Thu 12/02 16:30"
// in English, "T5 12/02/2026 16:30" in Vietnamese.
func (c *Calendar) FormatInstant(t time.Time, lang string) string {
	lt := t.In(c.loc)
	if lang == "en" {
		return lt.Format("Mon 02/01/2006 15:04")
	}
	return weekdaysVI[lt.Weekday()] + " " + lt.Format("02/01/2006 15:04")
}

func spanString(s Span) string {
	if s.From == s.To {
		return s.From.Short()
	}
	return s.From.Short() + "–" + s.To.Short()
}

// Explain renders the derivation of r as one line a clerk can check, in
// lang ("vi" or "en"), followed by any warnings on their own lines.
func (c *Calendar) Explain(r Result, lang string) string {
	var parts []string
	f := func(t time.Time) string { return c.FormatInstant(t, lang) }
	en := lang == "en"
	// A reception on a named day off says which one: "outside office
	// hours" would hide why a Tuesday reception counts from next week.
	dayOff, _ := c.DayOffName(DateOf(r.Received, c.loc))
	switch {
	case r.CutoffApplied && en:
		parts = append(parts, fmt.Sprintf("received %s after the %s cut-off, counting from %s", f(r.Received), r.Cutoff, f(r.Start)))
	case r.CutoffApplied:
		parts = append(parts, fmt.Sprintf("tiếp nhận %s sau giờ giới hạn %s, tính từ %s", f(r.Received), r.Cutoff, f(r.Start)))
	case !r.Start.Equal(r.Received) && dayOff != "" && en:
		parts = append(parts, fmt.Sprintf("received %s on a day off (%s), counting from %s", f(r.Received), dayOff, f(r.Start)))
	case !r.Start.Equal(r.Received) && dayOff != "":
		parts = append(parts, fmt.Sprintf("tiếp nhận %s vào ngày nghỉ (%s), tính từ %s", f(r.Received), dayOff, f(r.Start)))
	case !r.Start.Equal(r.Received) && en:
		parts = append(parts, fmt.Sprintf("received %s outside office hours, counting from %s", f(r.Received), f(r.Start)))
	case !r.Start.Equal(r.Received):
		parts = append(parts, fmt.Sprintf("tiếp nhận %s ngoài giờ hành chính, tính từ %s", f(r.Received), f(r.Start)))
	case en:
		parts = append(parts, fmt.Sprintf("received %s, counting from then", f(r.Received)))
	default:
		parts = append(parts, fmt.Sprintf("tiếp nhận %s, tính từ thời điểm này", f(r.Received)))
	}
	for _, s := range r.Skipped {
		if en {
			parts = append(parts, fmt.Sprintf("%s %s skipped", s.Name, spanString(s)))
		} else {
			parts = append(parts, fmt.Sprintf("trừ %s %s", s.Name, spanString(s)))
		}
	}
	limit := r.Limit.Format(lang)
	if r.Limit.IsWorkingTime() && r.Limit.Unit != WorkingHours {
		h := c.Work(r.Limit).Hours()
		if en {
			limit = fmt.Sprintf("%s (%s working hours)", limit, trimFloat(h))
		} else {
			limit = fmt.Sprintf("%s (%s giờ làm việc)", limit, strings.ReplaceAll(trimFloat(h), ".", ","))
		}
	}
	switch {
	case en && r.Limit.Unit == SameDay:
		parts = append(parts, fmt.Sprintf("same day: ends at the close of %s", f(r.Due)))
	case r.Limit.Unit == SameDay:
		parts = append(parts, fmt.Sprintf("trong ngày: kết thúc cuối giờ làm việc %s", f(r.Due)))
	case en && r.Limit.Unit == Days:
		parts = append(parts, fmt.Sprintf("%s end at the close of %s (Civil Code Art 148 moves an end on a day off to the next working day)", limit, f(r.Due)))
	case en:
		parts = append(parts, fmt.Sprintf("%s end %s", limit, f(r.Due)))
	case r.Limit.Unit == Days:
		parts = append(parts, fmt.Sprintf("%s kết thúc cuối giờ làm việc %s (BLDS 2015 Điều 148: ngày cuối là ngày nghỉ thì chuyển sang ngày làm việc tiếp theo)", limit, f(r.Due)))
	default:
		parts = append(parts, fmt.Sprintf("%s kết thúc %s", limit, f(r.Due)))
	}
	out := strings.Join(parts, "; ")
	for _, w := range r.Warnings {
		if en {
			out += "\nwarning: " + w.Message(lang)
		} else {
			out += "\ncảnh báo: " + w.Message(lang)
		}
	}
	return out
}

func trimFloat(f float64) string {
	s := fmt.Sprintf("%.3f", f)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
