package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/report"
)

// fig is the expected JSON of a row or total: only the keys listed are
// checked; a nil value means JSON null.
type fig map[string]any

// checkFigures compares the JSON form of f with want, key by key.
func checkFigures(t *testing.T, what string, f any, want fig) {
	t.Helper()
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		w := want[k]
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: no %q in %s", what, k, b)
			continue
		}
		switch w := w.(type) {
		case nil:
			if g != nil {
				t.Errorf("%s: %s = %v, want null", what, k, g)
			}
		case int:
			if gf, ok := g.(float64); !ok || gf != float64(w) {
				t.Errorf("%s: %s = %v, want %d", what, k, g, w)
			}
		case float64:
			if gf, ok := g.(float64); !ok || math.Abs(gf-w) > 1e-9 {
				t.Errorf("%s: %s = %v, want %v", what, k, g, w)
			}
		default:
			if fmt.Sprint(g) != fmt.Sprint(w) {
				t.Errorf("%s: %s = %v, want %v", what, k, g, w)
			}
		}
	}
}

func march(by report.Grouping) report.Query {
	return report.Query{From: calendar.Date{Year: 2026, Month: 3, Day: 1}, To: calendar.Date{Year: 2026, Month: 3, Day: 31}, By: by}
}

func rowOf(t *testing.T, r *report.Report, group string) report.Row {
	t.Helper()
	for _, row := range r.Rows {
		if row.Group == group {
			return row
		}
	}
	t.Fatalf("no row %q in %+v", group, r.Rows)
	return report.Row{}
}

// wantMarchTotal are the hand-counted figures of seedMarch (see the
// comments there): received A B C D E G H P1 P2; K carried over;
// finished K A (early) B (on time, at its due instant) C (late) D
// (refused) P1 (early); at the end E paused, G overdue, H and P2 within
// the deadline.
var wantMarchTotal = fig{
	"received": 9, "received_counter": 5, "received_online": 2, "received_post": 2,
	"carried_over": 1,
	"finished":     6, "early": 3, "on_time": 1, "late": 1, "refused": 1, "withdrawn": 0,
	"on_time_rate": 0.8,
	"in_progress":  4, "within_deadline": 2, "overdue": 1, "paused": 1,
	"steps_early": 11, "steps_on_time": 4, "steps_late": 4, "step_on_time_rate": 15.0 / 19,
}

// checkMarch asserts every figure of the seeded month, by unit.
func checkMarch(t *testing.T, src report.Source, m *month) {
	t.Helper()
	q := march(report.ByUnit)
	q.Directory = enginetest.SampleDirectory()
	r, err := report.Compute(context.Background(), src, calendar.VN(), q)
	if err != nil {
		t.Fatal(err)
	}
	checkFigures(t, "total", r.Total, wantMarchTotal)
	if len(r.Rows) != 3 {
		t.Fatalf("rows %+v, want the office, leadership and the desk", r.Rows)
	}
	// The desk received all but the denunciations, had K carried over in
	// its return step, and returned K A B C; its steps are the transfers
	// (7 early), A's return (on time) and K B C's returns (late).
	desk := rowOf(t, r, enginetest.UnitDesk)
	checkFigures(t, "desk", desk, fig{
		"received": 7, "received_counter": 4, "received_online": 2, "received_post": 1,
		"carried_over": 1, "finished": 4, "early": 2, "on_time": 1, "late": 1, "refused": 0,
		"on_time_rate": 0.75, "in_progress": 0, "overdue": 0, "paused": 0,
		"steps_early": 7, "steps_on_time": 1, "steps_late": 3,
		"name": "Bộ phận Một cửa", "name_en": "One-stop desk",
	})
	// The office received the denunciations, refused D, concluded P1,
	// and holds E (sent to wait by it), G, H and P2 at the end.
	office := rowOf(t, r, enginetest.UnitOffice)
	checkFigures(t, "office", office, fig{
		"received": 2, "received_counter": 1, "received_post": 1, "carried_over": 0,
		"finished": 2, "early": 1, "on_time": 0, "late": 0, "refused": 1, "on_time_rate": 1.0,
		"in_progress": 4, "within_deadline": 2, "overdue": 1, "paused": 1,
		"steps_early": 4, "steps_on_time": 0, "steps_late": 1,
	})
	// Leadership signed A B C on the day each was due: steps only, and
	// no on-time rate since it finished nothing.
	leader := rowOf(t, r, enginetest.UnitLeader)
	checkFigures(t, "leadership", leader, fig{
		"received": 0, "finished": 0, "on_time_rate": nil, "avg_work_hours": nil,
		"steps_early": 0, "steps_on_time": 3, "steps_late": 0, "step_on_time_rate": 1.0,
	})
	// Average working time of the desk's rated dossiers K A B C: A took
	// Mon 09:00–Tue 10:00 = 9 office hours, B exactly its 5 days = 40.
	if got := m.final["A"].WorkTaken; got != 9*time.Hour {
		t.Errorf("A took %v of office time, want 9h", got)
	}
	if got := m.final["B"].WorkTaken; got != 40*time.Hour {
		t.Errorf("B took %v of office time, want 40h", got)
	}
	var sum time.Duration
	for _, l := range []string{"K", "A", "B", "C"} {
		sum += m.final[l].WorkTaken
	}
	want := math.Round(sum.Hours()/4*100) / 100
	if desk.AvgWorkHours == nil || *desk.AvgWorkHours != want {
		t.Errorf("desk avg_work_hours %v, want %v", desk.AvgWorkHours, want)
	}
	// Petitions: two denunciations received, P1 concluded early after
	// one extension; P2 open.
	for _, p := range r.Petitions {
		want := report.PetitionRow{Kind: p.Kind}
		if p.Kind == engine.KindDenunciation {
			want = report.PetitionRow{Kind: p.Kind, Received: 2, Finished: 1, OnTime: 1, Late: 0, Extended: 1}
		}
		if p != want {
			t.Errorf("petitions %s: got %+v, want %+v", p.Kind, p, want)
		}
	}
	if len(r.Petitions) != 3 {
		t.Errorf("petitions: %d kinds, want complaint, denunciation and petition", len(r.Petitions))
	}
}

func TestMarchOnMemStore(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	m := seedMarch(t, st)
	checkMarch(t, st, m)
}

// TestRowsAddUpToTotal checks the attribution rule: every figure goes to
// exactly one group, whatever the grouping.
func TestRowsAddUpToTotal(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	seedMarch(t, st)
	for _, by := range []report.Grouping{report.ByUnit, report.ByProcedure, report.ByKind, report.ByChannel} {
		r, err := report.Compute(context.Background(), st, calendar.VN(), march(by))
		if err != nil {
			t.Fatal(err)
		}
		var sum report.Figures
		for _, row := range r.Rows {
			f := row.Figures
			sum.Received += f.Received
			sum.CarriedOver += f.CarriedOver
			sum.Finished += f.Finished
			sum.Early += f.Early
			sum.OnTime += f.OnTime
			sum.Late += f.Late
			sum.Refused += f.Refused
			sum.InProgress += f.InProgress
			sum.Overdue += f.Overdue
			sum.Paused += f.Paused
			sum.StepsEarly += f.StepsEarly
			sum.StepsLate += f.StepsLate
		}
		tot := r.Total
		got := []int{sum.Received, sum.CarriedOver, sum.Finished, sum.Early, sum.OnTime, sum.Late, sum.Refused, sum.InProgress, sum.Overdue, sum.Paused, sum.StepsEarly, sum.StepsLate}
		want := []int{tot.Received, tot.CarriedOver, tot.Finished, tot.Early, tot.OnTime, tot.Late, tot.Refused, tot.InProgress, tot.Overdue, tot.Paused, tot.StepsEarly, tot.StepsLate}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("by %s: rows add up to %v, total is %v", by, got, want)
		}
		checkFigures(t, "total by "+string(by), r.Total, wantMarchTotal)
	}
}

func TestGroupings(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	seedMarch(t, st)
	compute := func(by report.Grouping) *report.Report {
		r, err := report.Compute(context.Background(), st, calendar.VN(), march(by))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	tests := []struct {
		rule  string
		by    report.Grouping
		group string
		want  fig
	}{
		{"by kind: the denunciations apart from the procedures", report.ByKind, "denunciation",
			fig{"received": 2, "finished": 1, "early": 1, "on_time_rate": 1.0, "in_progress": 1, "name": "Tố cáo", "name_en": "Denunciation"}},
		{"by kind: procedures carry K over and hold E G H", report.ByKind, "procedure",
			fig{"received": 7, "carried_over": 1, "finished": 5, "refused": 1, "on_time_rate": 0.75, "in_progress": 3, "paused": 1, "overdue": 1}},
		{"by channel: post is C and P2", report.ByChannel, "post",
			fig{"received": 2, "finished": 1, "late": 1, "on_time_rate": 0.0, "in_progress": 1, "name": "Bưu chính"}},
		{"by channel: online is B and H", report.ByChannel, "online",
			fig{"received": 2, "finished": 1, "on_time": 1, "on_time_rate": 1.0, "in_progress": 1}},
		{"by procedure: the sample procedure", report.ByProcedure, enginetest.SampleCode,
			fig{"received": 7, "finished": 5, "early": 2, "on_time": 1, "late": 1, "refused": 1}},
	}
	for _, tt := range tests {
		checkFigures(t, tt.rule, rowOf(t, compute(tt.by), tt.group), tt.want)
	}
	if r := compute(report.ByNone); len(r.Rows) != 0 {
		t.Errorf("by none: %d rows, want only the total", len(r.Rows))
	}
}

// TestEmptyPeriod: nothing finished means no rate, not 0% nor 100%.
func TestEmptyPeriod(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	seedMarch(t, st)
	q := report.Query{From: calendar.Date{Year: 2026, Month: 1, Day: 1}, To: calendar.Date{Year: 2026, Month: 1, Day: 31}}
	r, err := report.Compute(context.Background(), st, calendar.VN(), q)
	if err != nil {
		t.Fatal(err)
	}
	checkFigures(t, "January total", r.Total, fig{"received": 0, "finished": 0, "on_time_rate": nil, "step_on_time_rate": nil, "avg_work_hours": nil, "in_progress": 0})
	if len(r.Rows) != 0 {
		t.Errorf("January rows %+v, want none", r.Rows)
	}
	var buf bytes.Buffer
	if err := report.WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"on_time_rate": null`)) || !bytes.Contains(buf.Bytes(), []byte(`"rows": []`)) {
		t.Errorf("JSON of an empty period must carry \"on_time_rate\": null and empty rows:\n%s", buf.Bytes())
	}
}

// TestPeriodBoundaries checks that the dates are inclusive civil dates in
// the calendar's zone: B finished at 09:30 on 9 March counts in a period
// ending on the 9th, and not in one starting on the 10th.
func TestPeriodBoundaries(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	seedMarch(t, st)
	day := func(d int) calendar.Date { return calendar.Date{Year: 2026, Month: 3, Day: d} }
	tests := []struct {
		rule     string
		from, to calendar.Date
		want     fig
	}{
		{"one day: 2 March received A B P1", day(2), day(2), fig{"received": 3, "carried_over": 1, "finished": 0, "in_progress": 4}},
		{"ending the 9th includes B's return that morning", day(9), day(9), fig{"received": 1, "finished": 1, "on_time": 1, "on_time_rate": 1.0}},
		{"starting the 10th: B is gone, C G E P1 carried over", day(10), day(31), fig{"finished": 2, "late": 1, "early": 1, "carried_over": 4}},
	}
	for _, tt := range tests {
		r, err := report.Compute(context.Background(), st, calendar.VN(), report.Query{From: tt.from, To: tt.to})
		if err != nil {
			t.Fatal(err)
		}
		checkFigures(t, tt.rule, r.Total, tt.want)
	}
}

func TestBadQuery(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	tests := []struct {
		rule string
		q    report.Query
	}{
		{"to before from", report.Query{From: calendar.Date{Year: 2026, Month: 3, Day: 2}, To: calendar.Date{Year: 2026, Month: 3, Day: 1}}},
		{"missing dates", report.Query{}},
		{"unknown grouping", report.Query{From: calendar.Date{Year: 2026, Month: 3, Day: 1}, To: calendar.Date{Year: 2026, Month: 3, Day: 1}, By: "officer"}},
	}
	for _, tt := range tests {
		_, err := report.Compute(context.Background(), st, calendar.VN(), tt.q)
		if engine.ErrorCode(err) != engine.EINVALID {
			t.Errorf("%s: error %v (code %s), want invalid", tt.rule, err, engine.ErrorCode(err))
		}
	}
}
