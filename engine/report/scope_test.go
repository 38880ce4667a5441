package report_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/report"
)

// TestScopedReportIsTheUnitsRow: a report limited to one unit (a unit
// head's) has that unit's row only, and its total is that row: the
// office head sees the office's figures of the seeded month, not the
// desk's or the leadership's.
func TestScopedReportIsTheUnitsRow(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	seedMarch(t, st)
	whole, err := report.Compute(context.Background(), st, calendar.VN(), march(report.ByUnit))
	if err != nil {
		t.Fatal(err)
	}
	q := march(report.ByUnit)
	q.Units = []string{enginetest.UnitOffice}
	r, err := report.Compute(context.Background(), st, calendar.VN(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 1 || r.Rows[0].Group != enginetest.UnitOffice {
		t.Fatalf("rule: one row, the unit's; rows %+v", r.Rows)
	}
	office := rowOf(t, whole, enginetest.UnitOffice)
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	if js(r.Rows[0].Figures) != js(office.Figures) || js(r.Total) != js(office.Figures) {
		t.Errorf("rule: the scoped row and total are the unit's row of the whole report\n got %s\n and %s\nwant %s", js(r.Rows[0].Figures), js(r.Total), js(office.Figures))
	}
	for _, p := range r.Petitions {
		if p.Kind == engine.KindDenunciation && p.Received != 2 {
			t.Errorf("rule: petitions received by the unit still count; %+v", p)
		}
	}
	q.Units = []string{}
	empty, err := report.Compute(context.Background(), st, calendar.VN(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(empty.Rows) != 0 || empty.Total.Received != 0 {
		t.Errorf("rule: a scope of no unit reports nothing; %+v", empty.Total)
	}
}
