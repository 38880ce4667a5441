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
// per unit, the on-time rate of a period as the agencies define it (the
// current month unless the picker chose another: dashboard_period.go),
// its trend over twelve months, and the dossiers already past their due
// instant.
//
// Where each figure comes from:
//   - open, paused, overdue and due today ("now"): the store's counts of
//     the unfinished dossiers (openCounts: engine.FigureStore), which read
//     no dossier. Open and paused are attributed as report.Compute
//     attributes "in progress" (engine.FigureUnit: a dossier waiting for
//     the applicant counts for the unit that sent it there), overdue and
//     due today by the responsible unit, as the lists filter them;
//   - the on-time rate, the finished and refused/withdrawn counts and the
//     step rate ("in the period"): report.Compute over the period, so the
//     page and the filed reports can never disagree; with the chart, the
//     period's figures, cached as Config.FigureMaxAge allows
//     (dashboard_cache.go), the page saying when they were computed;
//   - the overdue list: one Engine.List with Overdue and a limit.
//
// The list reads as the viewer (Engine.List), so a head's list never
// holds another unit's dossiers; the counts and the report's figures are
// the system's, kept to the viewer's units row by row below.

// overdueListLimit is how many overdue dossiers the dashboard lists: the
// oldest ones, where a head acts first; the count above says how many
// more there are.
const overdueListLimit = 50

// unitStats is one row of the dashboard.
type unitStats struct {
	Unit string
	Name string
	// Now, from the store's counts.
	Open, DueToday, Overdue, Paused int
	// In the period, from report.Compute.
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
	// Period is the picker's choice; PeriodLabel names it; XLSX is the
	// download of its figures (the link keeps the period).
	Period      period
	PeriodLabel string
	XLSX        template.URL
	// Years, Months and Quarters are what the picker offers (years
	// newest first); QuarterNames label the quarters.
	Years, Months, Quarters []int
	QuarterNames            []string
	AsOf                    time.Time
	// FiguresAt is when the period's figures were computed, shown when
	// they may be older than the page (Cached).
	FiguresAt time.Time
	Cached    bool
	// MaxAgeMinutes is Config.FigureMaxAge in minutes, for the note.
	MaxAgeMinutes int
	Units         []*unitStats
	Total         unitStats
	// Chart is the inline SVG of the twelve months to the period's end
	// (MonthlySVG).
	Chart template.HTML
	// ChartEmpty says no dossier was judged in the twelve months, so the
	// page explains whom a finished dossier counts for.
	ChartEmpty bool
	// Overdue lists the oldest overdue dossiers; OverdueCount is how many
	// there are in all.
	Overdue      []overdueRow
	OverdueCount int
	// AllUnits says the viewer reads every unit (admin, viewer).
	AllUnits bool
	// D766 is the Decision 766 panel (dashboard_d766.go).
	D766 *d766Panel
}

// dashboardScope returns the units whose figures the viewer reads and
// whether that is the whole agency (auth.FigureUnits): heads see their
// units; leaders, admins and viewers the agency's.
func (w *web) dashboardScope(q *req) (units []string, all bool, err error) {
	if !auth.CanSeeDashboard(q.person) {
		return nil, false, errorf(engine.EFORBIDDEN, "Chỉ lãnh đạo cơ quan, lãnh đạo đơn vị, quản trị và theo dõi được xem tổng hợp.", "Only leaders, unit heads, admins and viewers may see the dashboard.")
	}
	units, all = auth.FigureUnits(q.person)
	if all {
		units = nil
		for _, u := range w.s.eng.Directory.Units() {
			units = append(units, u.ID)
		}
	}
	return units, all, nil
}

// periodFiguresOf returns the period's report by unit and its chart,
// from the cache when Config.FigureMaxAge allows. scope, when not nil,
// keeps the report's total (the Decision 766 panel) to a head's units;
// each scope's report is cached on its own, and the chart, which every
// scope shares (it is filtered to the viewer's units when drawn), once
// per period. At is the older of the two computations.
func (w *web) periodFiguresOf(ctx context.Context, p period, scope []string, now time.Time) (*periodFigures, error) {
	eng := w.s.eng
	key := p.From.String() + "/" + p.To.String()
	chart, err := w.figures.get(ctx, key+"/chart", now, func(ctx context.Context) (*periodFigures, error) {
		m, err := report.MonthlyRates(ctx, eng, eng.Calendar, p.To, 12, report.WithCatalog(eng.Catalog), report.WithDirectory(eng.Directory))
		if err != nil {
			return nil, err
		}
		return &periodFigures{Monthly: m, At: now}, nil
	})
	if err != nil {
		return nil, err
	}
	if scope != nil {
		key += "/" + strings.Join(scope, ",")
	}
	f, err := w.figures.get(ctx, key, now, func(ctx context.Context) (*periodFigures, error) {
		rep, err := report.Compute(ctx, eng, eng.Calendar, report.Query{
			From: p.From, To: p.To, By: report.ByUnit, Catalog: eng.Catalog, Directory: eng.Directory, Units: scope,
		})
		if err != nil {
			return nil, err
		}
		return &periodFigures{Report: rep, At: now}, nil
	})
	if err != nil {
		return nil, err
	}
	at := f.At
	if chart.At.Before(at) {
		at = chart.At
	}
	return &periodFigures{Report: f.Report, Monthly: chart.Monthly, At: at}, nil
}

func (w *web) dashboard(q *req) error {
	units, all, err := w.dashboardScope(q)
	if err != nil {
		return err
	}
	ctx := q.r.Context()
	eng := w.s.eng
	cal := eng.Calendar
	loc := cal.Location()
	now := w.s.now()
	today := calendar.DateOf(now, loc)
	p, err := parsePeriod(q.r.URL.Query(), today)
	if err != nil {
		return err
	}
	mine := map[string]bool{}
	for _, u := range units {
		mine[u] = true
	}
	v := dashboardView{Period: p, PeriodLabel: p.Label(q.lang, today), XLSX: template.URL("/dashboard.xlsx?" + p.Query()), AsOf: now, AllUnits: all,
		MaxAgeMinutes: int(w.figures.maxAge.Round(time.Minute) / time.Minute)}
	for y := today.Year; y >= today.Year-5; y-- {
		v.Years = append(v.Years, y)
	}
	v.Months, v.Quarters, v.QuarterNames = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, []int{1, 2, 3, 4}, []string{"I", "II", "III", "IV"}
	byUnit := map[string]*unitStats{}
	for _, u := range units {
		st := &unitStats{Unit: u, Name: w.unitName(u, q.lang)}
		byUnit[u] = st
		v.Units = append(v.Units, st)
	}

	counts, err := openCounts(ctx, eng, now, dayEndOf(now, loc))
	if err != nil {
		return err
	}
	var allOpen, allPaused int
	for _, g := range counts {
		allOpen, allPaused = allOpen+g.Open, allPaused+g.Paused
		if st := byUnit[g.FigureUnit]; st != nil {
			st.Open += g.Open
			st.Paused += g.Paused
		}
		if st := byUnit[g.Unit]; st != nil {
			st.Overdue += g.Overdue
			st.DueToday += g.DueToday
		}
	}

	var scope []string // a head's units, so the report's total (the 766 panel) is theirs
	if !all {
		scope = append([]string{}, units...)
	}
	pf, err := w.periodFiguresOf(ctx, p, scope, now)
	if err != nil {
		return err
	}
	v.FiguresAt, v.Cached = pf.At, w.figures.maxAge > 0
	rep := pf.Report
	v.D766 = newD766Panel(rep.D766, q.lang)
	var steps [2]int // on time (early included), judged
	for _, r := range rep.Rows {
		st := byUnit[r.Group]
		if st == nil {
			continue
		}
		st.Early, st.OnTime, st.Late, st.Refused, st.Withdrawn = r.Early, r.OnTime, r.Late, r.Refused, r.Withdrawn
		st.StepsRate = ratePercent(r.StepsEarly+r.StepsOnTime, r.StepsEarly+r.StepsOnTime+r.StepsLate, q.lang)
		steps[0] += r.StepsEarly + r.StepsOnTime
		steps[1] += r.StepsEarly + r.StepsOnTime + r.StepsLate
	}
	for _, st := range v.Units {
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
		t.Early += st.Early
		t.OnTime += st.OnTime
		t.Late += st.Late
		t.Refused += st.Refused
		t.Withdrawn += st.Withdrawn
	}
	if all {
		// The counts and the report's total also hold dossiers of units no
		// longer in the directory; the figures of the whole office are
		// those.
		f := rep.Total
		v.Total.Open, v.Total.Paused = allOpen, allPaused
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

	m := pf.Monthly
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
	v.OverdueCount = v.Total.Overdue
	if all && len(v.Overdue) > v.OverdueCount {
		v.OverdueCount = len(v.Overdue) // dossiers of units gone from the directory
	}
	return w.render(q, 200, "dashboard", w.data(q, tr("dashboard", q.lang), "dashboard", v))
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
