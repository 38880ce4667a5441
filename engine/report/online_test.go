package report_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/report"
)

// TestOnlineNotReceivedIsNoReception: a dossier submitted online and not
// yet received, or refused at intake, is counted nowhere; once accepted
// it is a reception like any other.
func TestOnlineNotReceivedIsNoReception(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	seedMarch(t, st)
	q := report.Query{From: calendar.Date{Year: 2026, Month: 3, Day: 1}, To: calendar.Date{Year: 2026, Month: 3, Day: 31}}
	before, err := report.Compute(context.Background(), st, calendar.VN(), q)
	if err != nil {
		t.Fatal(err)
	}
	for i, state := range []string{engine.StateOnlineRegistered, engine.StateOnlineRefused} {
		d := enginetest.NewDossier(engine.FormatCode("ONL", enginetest.Monday, i+1), func(d *engine.Dossier) {
			d.State, d.Ledger, d.DueAt, d.FinishedAt = state, nil, nil, nil
			d.ReceivedAt = enginetest.Monday.UTC()
			d.Status = engine.StatusRegistered
			if state == engine.StateOnlineRefused {
				d.Status, d.Result = engine.StatusFinished, engine.OutcomeRefused
				at := enginetest.Monday.UTC()
				d.FinishedAt = &at
			}
		})
		if err := st.Insert(context.Background(), d, nil); err != nil {
			t.Fatal(err)
		}
	}
	after, err := report.Compute(context.Background(), st, calendar.VN(), q)
	if err != nil {
		t.Fatal(err)
	}
	if after.Total.Received != before.Total.Received || after.Total.Finished != before.Total.Finished || after.Total.InProgress != before.Total.InProgress {
		t.Errorf("received %d→%d finished %d→%d in progress %d→%d: online dossiers never received were counted",
			before.Total.Received, after.Total.Received, before.Total.Finished, after.Total.Finished, before.Total.InProgress, after.Total.InProgress)
	}
}
