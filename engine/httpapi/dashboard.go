package httpapi

import (
	"context"
	"fmt"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/report"
)

// The dashboard is what a unit head or the chairman of a People's
// Committee reads (issue 6 "Dashboard", issue 7 "Where"): today's load
// per unit, the on-time rate of the month as the agencies define it, its
// trend over twelve months, and the dossiers already past their due
// instant.
//
// Where each figure comes from:
//   - the on-time rate, the finished and refused/withdrawn counts, and
//     the open and paused counts: report.Compute over the current month,
//     so the page and the filed reports can never disagree. Open and
//     paused are the report's "in progress at the period's end", which
//     equals "now" because nothing after now exists yet;
//   - overdue and due today: a walk of each unit's open dossiers in due
//     order (Engine.List, OrderByDue, paged), which stops at the first
//     dossier due after today, so it reads only what it counts;
//   - the overdue list: one Engine.List with Overdue and a limit.
//
// Every read goes through the engine: the lists as the viewer
// (Engine.List), so a head's lists never hold another unit's dossiers;
// the report's counts as the system (Engine.Scan), kept to the viewer's
// units row by row below.

// overdueListLimit is how many overdue dossiers the dashboard lists: the
// oldest ones, where a head acts first; the count above says how many
// more there are.
const overdueListLimit = 50

// dueWalkPage and dueWalkMax bound the per-unit walk in due order that
// counts overdue and due-today dossiers. Beyond dueWalkMax the count is
// shown as "at least".
const (
	dueWalkPage = 200
	dueWalkMax  = 2000
)

// unitStats is one row of the dashboard.
type unitStats struct {
	Unit string
	Name string
	// Now, from the report's in-progress figures and the due walk.
	Open, DueToday, Overdue, Paused int
	// AtLeast marks an overdue or due-today count cut at dueWalkMax.
	AtLeast bool
	// This month, from report.Compute.
	Early, OnTime, Late, Refused, Withdrawn int
	Rated                                   int
	Rate                                    string
	RateClass                               string
	StepsRate                               string
}

// overdueRow is one line of the overdue list.
type overdueRow struct {
	Code, Applicant, Procedure, State string
	Unit, UnitName                    string
	Due                               time.Time
	// Late is the working time since the due instant, in words.
	Late string
	// LateDays is Late in whole working days, to shade the worst.
	LateDays int
}

type dashboardView struct {
	Month string
	AsOf  time.Time
	Units []*unitStats
	Total unitStats
	// Chart is the inline SVG of the last twelve months (MonthlySVG).
	Chart template.HTML
	// ChartEmpty says no dossier was judged in the twelve months, so the
	// page explains whom a finished dossier counts for.
	ChartEmpty bool
	// Overdue lists the oldest overdue dossiers; OverdueCount is how many
	// there are in all (at least, when OverdueAtLeast).
	Overdue        []overdueRow
	OverdueCount   int
	OverdueAtLeast bool
	// AllUnits says the viewer reads every unit (admin, viewer).
	AllUnits bool
	// D766 is the Decision 766 panel (dashboard_d766.go).
	D766 *d766Panel
}

func (w *web) dashboard(q *req) error {
	if !auth.CanSeeDashboard(q.person) {
		return errorf(engine.EFORBIDDEN, "Chỉ lãnh đạo cơ quan, lãnh đạo đơn vị, quản trị và theo dõi được xem tổng hợp.", "Only leaders, unit heads, admins and viewers may see the dashboard.")
	}
	ctx := q.r.Context()
	eng := w.s.eng
	cal := eng.Calendar
	loc := cal.Location()
	now := w.s.now()
	today := calendar.DateOf(now, loc)
	// Heads see their units; leaders, admins and viewers the agency's
	// (auth.FigureUnits).
	units, all := auth.FigureUnits(q.person)
	if all {
		units = nil
		for _, u := range eng.Directory.Units() {
			units = append(units, u.ID)
		}
	}
	mine := map[string]bool{}
	for _, u := range units {
		mine[u] = true
	}
	v := dashboardView{Month: fmt.Sprintf("%02d/%04d", today.Month, today.Year), AsOf: now, AllUnits: all}
	byUnit := map[string]*unitStats{}
	for _, u := range units {
		st := &unitStats{Unit: u, Name: w.unitName(u, q.lang)}
		byUnit[u] = st
		v.Units = append(v.Units, st)
	}

	var scope []string // a head's units, so the report's total (the 766 panel) is theirs
	if !all {
		scope = append([]string{}, units...)
	}
	rep, err := report.Compute(ctx, eng, cal, report.Query{
		From: calendar.Date{Year: today.Year, Month: today.Month, Day: 1}, To: today,
		By: report.ByUnit, Catalog: eng.Catalog, Directory: eng.Directory, Units: scope,
	})
	if err != nil {
		return err
	}
	v.D766 = newD766Panel(rep.D766, q.lang)
	var steps [2]int // on time (early included), judged
	for _, r := range rep.Rows {
		st := byUnit[r.Group]
		if st == nil {
			continue
		}
		st.Open, st.Paused = r.InProgress, r.Paused
		st.Early, st.OnTime, st.Late, st.Refused, st.Withdrawn = r.Early, r.OnTime, r.Late, r.Refused, r.Withdrawn
		st.StepsRate = ratePercent(r.StepsEarly+r.StepsOnTime, r.StepsEarly+r.StepsOnTime+r.StepsLate, q.lang)
		steps[0] += r.StepsEarly + r.StepsOnTime
		steps[1] += r.StepsEarly + r.StepsOnTime + r.StepsLate
	}
	endOfToday := time.Date(today.Year, today.Month, today.Day, 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	for _, st := range v.Units {
		if err := w.dueWalk(ctx, q.person, st, now, endOfToday); err != nil {
			return err
		}
		st.Rated = st.Early + st.OnTime + st.Late
		st.Rate, st.RateClass = ratePercent(st.Early+st.OnTime, st.Rated, q.lang), rateClass(st.Early+st.OnTime, st.Rated)
		if st.StepsRate == "" {
			st.StepsRate = "—"
		}
		t := &v.Total
		t.Open += st.Open
		t.DueToday += st.DueToday
		t.Overdue += st.Overdue
		t.Paused += st.Paused
		t.AtLeast = t.AtLeast || st.AtLeast
		t.Early += st.Early
		t.OnTime += st.OnTime
		t.Late += st.Late
		t.Refused += st.Refused
		t.Withdrawn += st.Withdrawn
	}
	if all {
		// The report's total also holds dossiers of units no longer in the
		// directory; the rate of the whole office is that one.
		f := rep.Total
		v.Total.Open, v.Total.Paused = f.InProgress, f.Paused
		v.Total.Early, v.Total.OnTime, v.Total.Late, v.Total.Refused, v.Total.Withdrawn = f.Early, f.OnTime, f.Late, f.Refused, f.Withdrawn
	}
	v.Total.Rated = v.Total.Early + v.Total.OnTime + v.Total.Late
	v.Total.Rate, v.Total.RateClass = ratePercent(v.Total.Early+v.Total.OnTime, v.Total.Rated, q.lang), rateClass(v.Total.Early+v.Total.OnTime, v.Total.Rated)
	v.Total.StepsRate = ratePercent(steps[0], steps[1], q.lang)
	// The units with the most overdue first: that is where a head looks.
	sort.SliceStable(v.Units, func(i, j int) bool {
		if v.Units[i].Overdue != v.Units[j].Overdue {
			return v.Units[i].Overdue > v.Units[j].Overdue
		}
		return v.Units[i].Name < v.Units[j].Name
	})

	m, err := report.MonthlyRates(ctx, eng, cal, today, 12, report.WithCatalog(eng.Catalog), report.WithDirectory(eng.Directory))
	if err != nil {
		return err
	}
	if !all {
		m = onlyUnits(m, mine)
		if len(units) == 1 && len(m.Series) == 0 {
			// The empty line of a one-unit head bears the unit's name.
			if u, ok := eng.Directory.Unit(units[0]); ok {
				m.Total.Name, m.Total.NameEN = u.Name, u.NameEN
			}
		}
	}
	v.Chart = report.MonthlySVG(m, q.lang)
	v.ChartEmpty = true
	for _, n := range m.Total.Rated {
		v.ChartEmpty = v.ChartEmpty && n == 0
	}

	v.Overdue, err = w.overdueList(ctx, q, units, all, now)
	if err != nil {
		return err
	}
	v.OverdueCount, v.OverdueAtLeast = v.Total.Overdue, v.Total.AtLeast
	if all && len(v.Overdue) > v.OverdueCount {
		v.OverdueCount = len(v.Overdue) // dossiers of units gone from the directory
	}
	return w.render(q, 200, "dashboard", w.data(q, tr("dashboard", q.lang), "dashboard", v))
}

// dueWalk counts st's overdue and due-today dossiers by reading its open
// dossiers in due order until the first one due after today. The store
// walks an index on (unit, due) for this, so the cost follows the count,
// not the size of the unit's backlog.
func (w *web) dueWalk(ctx context.Context, viewer *engine.Person, st *unitStats, now, endOfToday time.Time) error {
	open := []engine.Status{engine.StatusInProgress, engine.StatusPaused}
	loc := w.s.eng.Calendar.Location()
	for off := 0; off < dueWalkMax; off += dueWalkPage {
		page, err := w.s.eng.List(ctx, viewer, engine.Query{Units: []string{st.Unit}, Status: open, OrderByDue: true, Offset: off, Limit: dueWalkPage})
		if err != nil {
			return err
		}
		for _, d := range page {
			if d.DueAt == nil || !d.DueAt.Before(endOfToday) {
				return nil
			}
			// Due before the end of today: overdue or due today, as the
			// core says (engine.DueFlags), like the inbox's rows.
			if od, _ := engine.DueFlags(d, now, loc); od {
				st.Overdue++
			} else {
				st.DueToday++
			}
		}
		if len(page) < dueWalkPage {
			return nil
		}
	}
	st.AtLeast = true
	return nil
}

// overdueList returns the open dossiers of units past their due instant,
// the longest overdue first, with how late each is in working time.
func (w *web) overdueList(ctx context.Context, q *req, units []string, all bool, now time.Time) ([]overdueRow, error) {
	if !all && len(units) == 0 {
		return nil, nil
	}
	query := engine.Query{Overdue: true, Now: now, Units: units, OrderByDue: true, Limit: overdueListLimit}
	if all {
		query.Units = nil // also dossiers of units gone from the directory
	}
	ds, err := w.s.eng.List(ctx, q.person, query)
	if err != nil {
		return nil, err
	}
	cal := w.s.eng.Calendar
	out := make([]overdueRow, 0, len(ds))
	for _, d := range ds {
		if d.DueAt == nil {
			continue
		}
		p, pname := w.s.procName(d, q.lang)
		late := cal.Elapsed(*d.DueAt, now)
		out = append(out, overdueRow{
			Code: d.Code, Applicant: d.Applicant.Name, Procedure: pname, State: stateName(p, d.State, q.lang),
			Unit: d.Unit, UnitName: w.unitName(d.Unit, q.lang), Due: *d.DueAt,
			Late: workingTime(late, cal.DayWork(), q.lang), LateDays: int(late / cal.DayWork()),
		})
	}
	return out, nil
}

// onlyUnits keeps the series of a head's own units, and makes the total
// theirs: the rate of the dossiers those units finished.
func onlyUnits(m *report.Monthly, mine map[string]bool) *report.Monthly {
	out := &report.Monthly{Months: m.Months}
	n := len(m.Months)
	good, rated := make([]int, n), make([]int, n)
	for _, s := range m.Series {
		if !mine[s.Group] {
			continue
		}
		out.Series = append(out.Series, s)
		for i := range n {
			rated[i] += s.Rated[i]
			if s.Rates[i] != nil {
				// Rates[i] is good/rated exactly; rounding recovers good.
				good[i] += int(*s.Rates[i]*float64(s.Rated[i]) + 0.5)
			}
		}
	}
	if len(out.Series) == 0 {
		out.Total = report.Series{Name: "Các đơn vị của tôi", NameEN: "My units", Rated: rated, Rates: make([]*float64, n)}
		return out
	}
	if len(out.Series) == 1 {
		// One unit: its own line is the total; no second line on top.
		out.Total, out.Series = out.Series[0], nil
		return out
	}
	out.Total = report.Series{Name: "Các đơn vị của tôi", NameEN: "My units", Rated: rated, Rates: make([]*float64, n)}
	for i := range n {
		if rated[i] > 0 {
			r := float64(good[i]) / float64(rated[i])
			out.Total.Rates[i] = &r
		}
	}
	return out
}

// ratePercent formats num/den as a percentage with one decimal, with the
// decimal comma in Vietnamese; "—" when nothing was judged (issue 7: an
// empty period has no rate, not 0% or 100%).
func ratePercent(num, den int, lang string) string {
	if den == 0 {
		return "—"
	}
	s := strconv.FormatFloat(100*float64(num)/float64(den), 'f', 1, 64) + "%"
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// rateClass shades a rate: good from 95% (the target the district of
// issue 7 reached), poor under 80%.
func rateClass(num, den int) string {
	switch {
	case den == 0:
		return "none"
	case num*100 >= 95*den:
		return "good"
	case num*100 >= 80*den:
		return "fair"
	}
	return "poor"
}

// workingTime says d of office time in working days, hours and minutes
// of day (the calendar's standard working day).
func workingTime(d, day time.Duration, lang string) string {
	d = d.Truncate(time.Minute)
	if d <= 0 {
		return pick("vừa quá hạn", "just now", lang)
	}
	days, rest := int(d/day), d%day
	hours, mins := int(rest/time.Hour), int(rest%time.Hour/time.Minute)
	var parts []string
	if lang == "en" {
		if days > 0 {
			parts = append(parts, plural(days, "working day"))
		}
		if hours > 0 {
			parts = append(parts, plural(hours, "hour"))
		}
		if mins > 0 && days == 0 {
			parts = append(parts, plural(mins, "minute"))
		}
		return strings.Join(parts, " ")
	}
	if days > 0 {
		parts = append(parts, fmt.Sprintf("%d ngày", days))
	}
	if hours > 0 {
		parts = append(parts, fmt.Sprintf("%d giờ", hours))
	}
	if mins > 0 && days == 0 {
		parts = append(parts, fmt.Sprintf("%d phút", mins))
	}
	return strings.Join(parts, " ") + " làm việc"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
