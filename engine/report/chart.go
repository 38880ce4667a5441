package report

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// Monthly is the on-time rate per unit over consecutive calendar months,
// for the dashboard's chart.
type Monthly struct {
	// Months holds the first day of each month, oldest first.
	Months []calendar.Date
	// Series has one entry per unit that finished a rated dossier in
	// some month, ordered by unit id.
	Series []Series
	// Total is the series of all units together.
	Total Series
}

// Series is one line of the chart.
type Series struct {
	Group  string
	Name   string
	NameEN string
	// Rates[i] is the on-time rate of Months[i], nil when nothing was
	// judged that month (no point, a gap in the line).
	Rates []*float64
	// Rated[i] is the rate's denominator: early + on time + late.
	Rated []int
}

// MonthlyRates computes the on-time rate per unit (the unit that
// finished each dossier, as in Compute) for the n calendar months ending
// with the month of last, with one Scan. n ≤ 0 means 12.
func MonthlyRates(ctx context.Context, src Source, cal *calendar.Calendar, last calendar.Date, n int, opts ...Option) (*Monthly, error) {
	if n <= 0 {
		n = 12
	}
	var q Query
	for _, o := range opts {
		o(&q)
	}
	q.By = ByUnit
	first := time.Date(last.Year, last.Month-time.Month(n-1), 1, 0, 0, 0, 0, cal.Location())
	q.From = calendar.DateOf(first, cal.Location())
	endMonth := time.Date(last.Year, last.Month+1, 1, 0, 0, 0, 0, cal.Location())
	q.To = calendar.DateOf(endMonth.AddDate(0, 0, -1), cal.Location())
	c := newComputer(cal, q)
	m := &Monthly{}
	for i := range n {
		m.Months = append(m.Months, calendar.DateOf(first.AddDate(0, i, 0), cal.Location()))
	}
	type counts struct{ good, rated []int }
	by := map[string]*counts{}
	var total counts
	newCounts := func() *counts { return &counts{good: make([]int, n), rated: make([]int, n)} }
	total = *newCounts()
	monthIndex := func(t time.Time) int {
		d := calendar.DateOf(t, cal.Location())
		return (d.Year-q.From.Year)*12 + int(d.Month) - int(q.From.Month)
	}
	// Only dossiers finished within the months drawn count; slim copies,
	// as Compute reads.
	err := src.Scan(ctx, engine.Query{ReceivedTo: c.end, FinishedFrom: c.start, FinishedTo: c.end, Slim: true}, func(d *engine.Dossier) error {
		if d.FinishedAt == nil || !c.in(*d.FinishedAt) || d.Result == engine.OutcomeRefused || d.Result == engine.OutcomeWithdrawn {
			return nil
		}
		t, err := c.judge(d)
		if err != nil || t == "" {
			return err
		}
		i := monthIndex(*d.FinishedAt)
		if i < 0 || i >= n {
			return nil
		}
		unit := engine.FigureUnitBefore(d, d.FinishedAt.Add(time.Nanosecond))
		cs := by[unit]
		if cs == nil {
			cs = newCounts()
			by[unit] = cs
		}
		for _, x := range []*counts{cs, &total} {
			x.rated[i]++
			if t != engine.Late {
				x.good[i]++
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("monthly rates to %s: %w", q.To, err)
	}
	series := func(group string, x *counts) Series {
		s := Series{Group: group, Rated: x.rated, Rates: make([]*float64, n)}
		for i := range n {
			s.Rates[i] = ratio(x.good[i], x.rated[i])
		}
		s.Name, s.NameEN = c.label(group)
		return s
	}
	units := make([]string, 0, len(by))
	for u := range by {
		units = append(units, u)
	}
	sort.Strings(units)
	for _, u := range units {
		m.Series = append(m.Series, series(u, by[u]))
	}
	m.Total = series("", &total)
	m.Total.Name, m.Total.NameEN = "Toàn đơn vị", "All units"
	return m, nil
}

// palette is Tableau 10: distinguishable, also for most colour-blind
// readers; the total is drawn black and thicker.
var palette = []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"}

func seriesName(s Series, lang string) string {
	if lang == "en" && s.NameEN != "" {
		return s.NameEN
	}
	if s.Name != "" {
		return s.Name
	}
	return s.Group
}

func monthLabel(d calendar.Date) string { return fmt.Sprintf("%02d/%04d", d.Month, d.Year) }

func percent(v float64, lang string) string {
	s := strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// MonthlySVG draws m as an inline SVG line chart (one line per unit, the
// total in black), with a <title> and a <desc> giving the latest month's
// rates in words, and a <title> on every point, so screen readers and
// hover both get the numbers. Months without rated dossiers leave a gap,
// never a point at 0%. lang is "vi" (default) or "en".
func MonthlySVG(m *Monthly, lang string) template.HTML {
	const (
		w, h                  = 720, 300
		left, right, top, bot = 48, 16, 16, 40
		legendRow             = 18
	)
	rows := (len(m.Series) + 1 + 2) / 3
	H := h + rows*legendRow + 8
	pw, ph := float64(w-left-right), float64(h-top-bot)
	n := len(m.Months)
	x := func(i int) float64 {
		if n <= 1 {
			return float64(left) + pw/2
		}
		return float64(left) + pw*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 { return float64(top) + ph*(1-v) }
	esc := html.EscapeString
	var b strings.Builder
	title := "Tỷ lệ giải quyết hồ sơ đúng hạn theo đơn vị"
	if lang == "en" {
		title = "On-time rate by unit"
	}
	if n > 0 {
		title += fmt.Sprintf(", %s–%s", monthLabel(m.Months[0]), monthLabel(m.Months[n-1]))
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" font-family="sans-serif" font-size="11">`, w, H)
	fmt.Fprintf(&b, `<title>%s</title><desc>%s</desc>`, esc(title), esc(describe(m, lang)))
	// Grid and axis labels every 25%.
	for _, v := range []float64{0, 0.25, 0.5, 0.75, 1} {
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>`, left, w-right, y(v), y(v))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" dominant-baseline="middle" fill="#555">%d%%</text>`, left-6, y(v), int(v*100))
	}
	for i, d := range m.Months {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>`, x(i), h-bot+16, monthLabel(d))
	}
	line := func(s Series, color string, width float64) {
		var path strings.Builder
		pen := false
		for i, r := range s.Rates {
			if r == nil {
				pen = false // a month without data breaks the line
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, x(i), y(*r))
			pen = true
		}
		if path.Len() > 0 {
			fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="%.1f"/>`, strings.TrimSpace(path.String()), color, width)
		}
		for i, r := range s.Rates {
			if r == nil {
				continue
			}
			label := fmt.Sprintf("%s, %s: %s (%d)", seriesName(s, lang), monthLabel(m.Months[i]), percent(*r, lang), s.Rated[i])
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s</title></circle>`, x(i), y(*r), color, esc(label))
		}
	}
	for i, s := range m.Series {
		line(s, palette[i%len(palette)], 1.5)
	}
	line(m.Total, "#000", 2.5)
	// Legend: three entries a row under the plot.
	all := append([]Series{m.Total}, m.Series...)
	for i, s := range all {
		color := "#000"
		if i > 0 {
			color = palette[(i-1)%len(palette)]
		}
		lx := left + (i%3)*((w-left-right)/3)
		ly := h + (i/3)*legendRow
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="3" fill="%s"/>`, lx, ly-2, color)
		fmt.Fprintf(&b, `<text x="%d" y="%d" dominant-baseline="middle">%s</text>`, lx+16, ly, esc(seriesName(s, lang)))
	}
	b.WriteString(`</svg>`)
	// Every text above went through html.EscapeString; numbers and colours
	// are ours.
	return template.HTML(b.String())
}

// describe says the latest month's rates in words, for the chart's <desc>.
func describe(m *Monthly, lang string) string {
	if len(m.Months) == 0 {
		return ""
	}
	i := len(m.Months) - 1
	var parts []string
	for _, s := range append([]Series{m.Total}, m.Series...) {
		v := "không có hồ sơ"
		if lang == "en" {
			v = "no dossiers"
		}
		if s.Rates[i] != nil {
			v = percent(*s.Rates[i], lang)
		}
		parts = append(parts, seriesName(s, lang)+": "+v)
	}
	head := "Tháng " + monthLabel(m.Months[i]) + ": "
	if lang == "en" {
		head = "Month " + monthLabel(m.Months[i]) + ": "
	}
	return head + strings.Join(parts, "; ")
}
