package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestParsePeriod: each kind of the picker gives its inclusive dates,
// stops today when it has not ended, and a bad choice is refused with
// words a person can act on.
func TestParsePeriod(t *testing.T) {
	t.Parallel()
	today := calendar.Date{Year: 2026, Month: 3, Day: 20}
	for _, c := range []struct {
		rule, query, from, to string
	}{
		{"no choice: this month, to today", "", "2026-03-01", "2026-03-20"},
		{"an ended month: its every day", "period=month&year=2026&month=2", "2026-02-01", "2026-02-28"},
		{"a leap February", "period=month&year=2024&month=2", "2024-02-01", "2024-02-29"},
		{"this quarter stops today", "period=quarter&year=2026&quarter=1", "2026-01-01", "2026-03-20"},
		{"an ended quarter", "period=quarter&year=2025&quarter=4", "2025-10-01", "2025-12-31"},
		{"a year", "period=year&year=2025", "2025-01-01", "2025-12-31"},
		{"custom, dd/mm/yyyy", "period=custom&from=05/01/2026&to=15/02/2026", "2026-01-05", "2026-02-15"},
		{"custom, one digit day and month", "period=custom&from=5/1/2026&to=6/1/2026", "2026-01-05", "2026-01-06"},
		{"custom without an end: to today", "period=custom&from=01/03/2026", "2026-03-01", "2026-03-20"},
		{"custom ending after today stops today", "period=custom&from=01/03/2026&to=31/12/2026", "2026-03-01", "2026-03-20"},
	} {
		v, _ := url.ParseQuery(c.query)
		p, err := parsePeriod(v, today)
		if err != nil {
			t.Errorf("%s: %v", c.rule, err)
			continue
		}
		if p.From.String() != c.from || p.To.String() != c.to {
			t.Errorf("%s: %s..%s, want %s..%s", c.rule, p.From, p.To, c.from, c.to)
		}
	}
	for _, c := range []struct{ rule, query, words string }{
		{"an unknown kind", "period=week", "Loại kỳ"},
		{"a month out of range", "period=month&month=13", "Tháng"},
		{"a future year", "period=year&year=2027", "Năm"},
		{"a period that starts after today", "period=month&month=4", "sau hôm nay"},
		{"a custom period without its start", "period=custom", "Thiếu từ ngày"},
		{"a date that does not exist", "period=custom&from=31/02/2026", "dd/mm/yyyy"},
		{"month first is not our order", "period=custom&from=03/31/2026", "dd/mm/yyyy"},
		{"the end before the start", "period=custom&from=10/03/2026&to=01/03/2026", "trước từ ngày"},
		{"longer than five years", "period=custom&from=01/01/2020&to=01/03/2026", "quá dài"},
	} {
		v, _ := url.ParseQuery(c.query)
		_, err := parsePeriod(v, today)
		if err == nil {
			t.Errorf("%s: accepted", c.rule)
			continue
		}
		if msg := err.(*apiError).Message("vi"); !strings.Contains(msg, c.words) {
			t.Errorf("%s: %q does not say %q", c.rule, msg, c.words)
		}
	}
}

// TestWebDashboardPeriod: the picker changes the figures of the period,
// not those of now, and the workbook holds the period's figures, a
// head's only for his units.
func TestWebDashboardPeriod(t *testing.T) {
	t.Parallel()
	b := setup(t)
	dashboardData(t, b)
	admin := b.browser(t)
	admin.signIn(Admin)
	for _, c := range []struct {
		rule, query, rated, open string
	}{
		{"this month: two early of three at the desk", "", "2/3", "4"},
		{"February: the one dossier finished early then", "?period=month&year=2026&month=2", "1/1", "4"},
		{"the first quarter: February's and March's", "?period=quarter&year=2026&quarter=1", "3/4", "4"},
		{"custom days of March before the late return (3 March): the two early ones", "?period=custom&from=01/03/2026&to=02/03/2026", "2/2", "4"},
	} {
		st, body, _ := admin.get("/dashboard" + c.query)
		if st != http.StatusOK {
			t.Fatalf("%s: %d", c.rule, st)
		}
		if got := cell(t, body, enginetest.UnitDesk, "rated"); got != c.rated {
			t.Errorf("%s: desk rated %q, want %q", c.rule, got, c.rated)
		}
		if got := cell(t, body, enginetest.UnitOffice, "open"); got != c.open {
			t.Errorf("%s: the office's open dossiers are now's whatever the period: %q, want %q", c.rule, got, c.open)
		}
	}
	_, body, _ := admin.get("/dashboard?period=quarter&year=2026&quarter=1")
	for _, want := range []string{`id="period-label">Quý I/2026 (đến 20/03/2026)<`, `<option value="quarter" selected>`,
		`href="/dashboard.xlsx?period=quarter&amp;quarter=1&amp;year=2026"`} {
		if !strings.Contains(body, want) {
			t.Errorf("quarter page lacks %q", want)
		}
	}
	if strings.Contains(body, `id="figures-at"`) {
		t.Error("figures computed on this view say when they were computed, as if they could be stale")
	}
	if st, body, _ := admin.get("/dashboard?period=custom&from=10/03/2026&to=01/03/2026"); st != http.StatusUnprocessableEntity || !strings.Contains(body, "trước từ ngày") {
		t.Errorf("a reversed period: %d, want 422 with the reason", st)
	}

	st, xb, h := admin.get("/dashboard.xlsx?period=quarter&year=2026&quarter=1")
	if st != http.StatusOK || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") || !strings.Contains(h.Get("Content-Disposition"), "tong-hop-2026-01-01_2026-03-20.xlsx") {
		t.Fatalf("workbook: %d %v", st, h)
	}
	rows := sheetRows(t, xb)
	// Columns: unit id, name, received, …, finished (7th), early (8th).
	if row := rowOfUnit(rows, enginetest.UnitDesk); row == nil || row[7] != "4" || row[8] != "3" {
		t.Errorf("the admin's workbook: the desk finished 4 in the quarter, 3 early: %v", row)
	}
	if row := rowOfUnit(rows, ""); row == nil || row[1] != "Tổng cộng" {
		t.Errorf("the workbook has no total row: %v", rows)
	}

	head := b.browser(t)
	head.signIn(enginetest.Head)
	_, hb, _ := head.get("/dashboard.xlsx?period=quarter&year=2026&quarter=1")
	if hr := sheetRows(t, hb); rowOfUnit(hr, enginetest.UnitDesk) != nil || rowOfUnit(hr, enginetest.UnitOffice) == nil {
		t.Error("the office head's workbook holds the desk's figures")
	}
	officer := b.browser(t)
	officer.signIn(enginetest.Officer)
	if st, _, _ := officer.get("/dashboard.xlsx"); st != http.StatusForbidden {
		t.Errorf("an officer downloads the dashboard's figures: %d, want 403", st)
	}
}

// sheetRows reads the first sheet of a workbook.
func sheetRows(t *testing.T, body string) [][]string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// rowOfUnit returns the row whose first cell is unit ("" for the
// total), after the heading.
func rowOfUnit(rows [][]string, unit string) []string {
	for _, r := range rows[1:] {
		if len(r) > 8 && r[0] == unit {
			return r
		}
	}
	return nil
}

// TestFigureCache: with a maximum age, a fresh period is served without
// computing, a stale one is served at once and refreshed once in the
// background however many views arrive, and the page's time is the
// computation's.
func TestFigureCache(t *testing.T) {
	t.Parallel()
	c := newFigureCache(5 * time.Minute)
	t0 := time.Date(2026, 3, 20, 3, 0, 0, 0, time.UTC)
	var calls atomic.Int32
	release := make(chan struct{})
	compute := func(at time.Time, wait bool) func(context.Context) (*periodFigures, error) {
		return func(context.Context) (*periodFigures, error) {
			calls.Add(1)
			if wait {
				<-release
			}
			return &periodFigures{At: at}, nil
		}
	}
	ctx := t.Context()
	f, _ := c.get(ctx, "p", t0, compute(t0, false))
	if !f.At.Equal(t0) || calls.Load() != 1 {
		t.Fatalf("first view computes: at %v, %d calls", f.At, calls.Load())
	}
	f, _ = c.get(ctx, "p", t0.Add(4*time.Minute), compute(t0.Add(4*time.Minute), false))
	if !f.At.Equal(t0) || calls.Load() != 1 {
		t.Errorf("a view within the maximum age computes: at %v, %d calls", f.At, calls.Load())
	}
	late := t0.Add(6 * time.Minute)
	for range 3 {
		f, _ = c.get(ctx, "p", late, compute(late, true))
		if !f.At.Equal(t0) {
			t.Errorf("a stale period is served at once, stale: at %v", f.At)
		}
	}
	close(release)
	c.wait()
	if n := calls.Load(); n != 2 {
		t.Errorf("three views of a stale period start %d computations, want one refresh", n-1)
	}
	if got := c.byKey["p"].At; !got.Equal(late) {
		t.Errorf("after the refresh the period's figures are of %v, want %v", got, late)
	}
	{
		nc := newFigureCache(0)
		n := 0
		for range 2 {
			_, _ = nc.get(ctx, "p", t0, func(context.Context) (*periodFigures, error) { n++; return &periodFigures{At: t0}, nil })
		}
		if n != 2 {
			t.Errorf("without a maximum age every view computes: %d computations for 2 views", n)
		}
	}
}

// TestFigureCacheSharesTheChart: two heads' views of one period each
// cache their own scoped report, but the twelve months' chart, which
// does not depend on the scope, is computed and kept once per period.
func TestFigureCacheSharesTheChart(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.srv.web
	w.figures = newFigureCache(time.Hour)
	now := b.clock.Now()
	p, err := parsePeriod(url.Values{}, calendar.DateOf(now, b.eng.Calendar.Location()))
	if err != nil {
		t.Fatal(err)
	}
	for _, scope := range [][]string{{enginetest.UnitDesk}, {enginetest.UnitOffice}, nil} {
		f, err := w.periodFiguresOf(t.Context(), p, scope, now)
		if err != nil {
			t.Fatal(err)
		}
		if f.Report == nil || f.Monthly == nil {
			t.Fatalf("scope %v: figures without their report or chart: %+v", scope, f)
		}
	}
	var keys []string
	for k := range w.figures.byKey {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	period := p.From.String() + "/" + p.To.String()
	want := []string{period, period + "/" + enginetest.UnitOffice, period + "/" + enginetest.UnitDesk, period + "/chart"}
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Errorf("cached %v, want %v: one chart for the period, one report per scope", keys, want)
	}
}
