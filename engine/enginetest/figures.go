package enginetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// The reads of figures (issue 14 §3): Query.Slim and FigureStore.
var figureTests = []storeTest{
	{name: "Scan/SlimCarriesEveryFigure", run: testSlimScan},
	{name: "OpenCounts", run: testOpenCounts},
}

// StripSlim clears the fields of d that engine.SlimDropped names, in
// place, and returns d: what a Slim scan may give back of d.
func StripSlim(d *engine.Dossier) *engine.Dossier {
	for _, f := range engine.SlimDropped {
		switch f {
		case "Applicant":
			d.Applicant = engine.Applicant{}
		case "ReceiveKey":
			d.ReceiveKey = ""
		case "Uses":
			d.Uses = nil
		case "Fired":
			d.Fired = nil
		case "History[].Inputs":
			for i := range d.History {
				d.History[i].Inputs = nil
			}
		case "History[].IdempotencyKey":
			for i := range d.History {
				d.History[i].IdempotencyKey = ""
			}
		default:
			panic("enginetest.StripSlim does not know " + f)
		}
	}
	return d
}

// figureFixture stores dossiers for the figure reads: open in several
// units and states, paused in a state without a unit, finished, and one
// moved on by Apply (so that the copies of a transition are checked, not
// only those of an insert). It returns the instant the fixture is "now".
func figureFixture(t *testing.T, s engine.Store) time.Time {
	t.Helper()
	ctx := t.Context()
	now := at(3 * day)
	mk := func(code string, mod func(d *engine.Dossier)) {
		mustInsert(t, s, NewDossier(code, func(d *engine.Dossier) { d.ReceiveKey = "rk-" + code; mod(d) }))
	}
	mk("F-OPEN-LATE", func(d *engine.Dossier) { d.DueAt = ptr(now.Add(-hour)) })
	mk("F-OPEN-EXACT", func(d *engine.Dossier) { d.DueAt = ptr(now) }) // due at now: due today, not overdue
	mk("F-OPEN-TODAY", func(d *engine.Dossier) { d.DueAt = ptr(now.Add(2 * hour)) })
	mk("F-OPEN-LATER", func(d *engine.Dossier) { d.DueAt = ptr(now.Add(2 * day)) })
	mk("F-OPEN-NODUE", func(d *engine.Dossier) { d.DueAt = nil })
	mk("F-LEADER", func(d *engine.Dossier) {
		d.Unit, d.DueAt = UnitLeader, ptr(now.Add(-day))
		d.History[1].ToUnit = UnitLeader
	})
	mk("F-PAUSED", func(d *engine.Dossier) {
		// Waiting for the applicant: no responsible unit; its figures go
		// to the unit that sent it there.
		d.State, d.Unit, d.Status, d.DueAt = "cho_bo_sung", "", engine.StatusPaused, nil
		d.History = append(d.History, engine.HistoryRow{Seq: 3, At: at(hour), Action: "yeu_cau_bo_sung", Actor: Officer,
			FromState: "tham_dinh", ToState: "cho_bo_sung", FromUnit: UnitOffice})
	})
	mk("F-REGISTERED", func(d *engine.Dossier) {
		// Submitted online, not yet received by the desk: no clock, not
		// open (engine.OpenStatuses), in a unit no open dossier is in.
		d.State, d.Unit, d.Status, d.Channel = engine.StateOnlineRegistered, UnitDesk, engine.StatusRegistered, engine.ChannelOnline
		d.DueAt, d.AppointmentAt, d.StepDueAt, d.Ledger, d.History = nil, nil, nil, nil, d.History[:1]
	})
	mk("F-FINISHED", func(d *engine.Dossier) {
		d.Status, d.DueAt, d.FinishedAt = engine.StatusFinished, ptr(now.Add(-day)), ptr(at(2*day))
		d.Result, d.Timeliness = engine.OutcomeApproved, engine.Early
	})
	mk("F-OLD", func(d *engine.Dossier) {
		d.ReceivedAt = at(-60 * day)
		d.Status, d.FinishedAt, d.Result = engine.StatusFinished, ptr(at(-30*day)), engine.OutcomeRefused
	})
	// Moved on: from the office to the leadership, overdue there.
	moved := NewDossier("F-MOVED", func(d *engine.Dossier) { d.ReceiveKey = "rk-F-MOVED" })
	mustInsert(t, s, moved)
	nd := next(mustGet(t, s, "F-MOVED"), "phe_duyet", at(2*hour))
	nd.DueAt = ptr(now.Add(-2 * hour))
	nd.History[len(nd.History)-1].Inputs = map[string]string{"y_kien": "Đồng ý"}
	if err := s.Apply(ctx, nd, 1, nil); err != nil {
		t.Fatal(err)
	}
	// Finished by a transition: leaves the open counts.
	done := NewDossier("F-DONE", func(d *engine.Dossier) { d.ReceiveKey = "" })
	mustInsert(t, s, done)
	nd = next(mustGet(t, s, "F-DONE"), "tra_ket_qua", at(2*hour))
	nd.Status, nd.FinishedAt, nd.Result, nd.Unit = engine.StatusFinished, ptr(at(2*hour)), engine.OutcomeApproved, ""
	if err := s.Apply(ctx, nd, 1, nil); err != nil {
		t.Fatal(err)
	}
	return now
}

// WholeScan reads from Src without ever asking for slim copies: a
// report or a store read as it was before Query.Slim (every whole
// document), the baseline the slim copies are measured against.
type WholeScan struct {
	Src interface {
		Scan(ctx context.Context, q engine.Query, fn func(*engine.Dossier) error) error
	}
}

// Scan is Src's Scan with Slim cleared.
func (w WholeScan) Scan(ctx context.Context, q engine.Query, fn func(*engine.Dossier) error) error {
	q.Slim = false
	return w.Src.Scan(ctx, q, fn)
}

// testSlimScan: a Slim scan gives the dossiers of the same query as a
// plain one, each equal to the whole dossier but for the fields
// engine.SlimDropped names, in any order; List ignores Slim.
func testSlimScan(t *testing.T, s engine.Store) {
	now := figureFixture(t, s)
	for _, q := range []engine.Query{
		{},
		{ReceivedTo: now, OpenAt: at(0)}, // a report's bounds
		{ReceivedTo: now, FinishedFrom: at(0), FinishedTo: now}, // the chart's
		{Units: []string{UnitOffice}, Status: []engine.Status{engine.StatusInProgress}},
	} {
		var whole, thin []*engine.Dossier
		if err := s.Scan(t.Context(), q, func(d *engine.Dossier) error { whole = append(whole, d); return nil }); err != nil {
			t.Fatal(err)
		}
		sq := q
		sq.Slim = true
		if err := s.Scan(t.Context(), sq, func(d *engine.Dossier) error { thin = append(thin, d); return nil }); err != nil {
			t.Fatal(err)
		}
		byCode := func(a, b *engine.Dossier) int { return strings.Compare(a.Code, b.Code) }
		slices.SortFunc(thin, byCode)
		if got, want := codesOf(thin), codesOf(whole); !slices.Equal(got, want) {
			t.Errorf("Slim scan of %+v visits %v, a plain one %v: the same dossiers", q, got, want)
			continue
		}
		for i := range whole {
			if d := Diff(StripSlim(whole[i].Clone()), StripSlim(thin[i].Clone())); d != "" {
				t.Errorf("Slim scan of %+v, dossier %s differs from the whole one but for SlimDropped: %s", q, whole[i].Code, d)
			}
		}
	}
	listed, err := s.List(t.Context(), engine.Query{Slim: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSortedFunc(listed, func(a, b *engine.Dossier) int { return strings.Compare(a.Code, b.Code) }) {
		t.Errorf("List ignores Slim: by code, got %v", codesOf(listed))
	}
	for _, d := range listed {
		if d.Code == "F-OPEN-LATE" && (d.Applicant.Name == "" || d.ReceiveKey == "") {
			t.Errorf("List ignores Slim: whole dossiers, got %s without applicant or reception key", d.Code)
		}
	}
}

// testOpenCounts: a FigureStore's counts are those of its open dossiers
// as a Scan reads them (engine.OpenCountsByScan, which a store without
// FigureStore answers with).
func testOpenCounts(t *testing.T, s engine.Store) {
	fs, ok := s.(engine.FigureStore)
	if !ok {
		t.Skip("not a FigureStore")
	}
	now := figureFixture(t, s)
	dayEnd := now.Add(6 * hour)
	wantList, err := engine.OpenCountsByScan(t.Context(), s, now, dayEnd)
	if err != nil {
		t.Fatal(err)
	}
	got, err := fs.OpenCounts(t.Context(), now, dayEnd)
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(wantList, got); d != "" {
		t.Errorf("OpenCounts: %s\n got %+v\nwant %+v", d, got, wantList)
	}
	// The fixture's own expectations, so that a Scan that lost a dossier
	// cannot make both sides agree on nothing.
	if len(wantList) != 3 {
		t.Errorf("fixture: want three groups (office, leadership, the paused one without a unit), got %+v", wantList)
	}
	open := 0
	for _, c := range got {
		open += c.Open
		if c.Unit == UnitDesk {
			t.Errorf("OpenCounts counts the online submission the desk has not received: %+v", c)
		}
	}
	if open != 8 {
		t.Errorf("OpenCounts: %d open in all, want the fixture's 8 (5 at the office, 2 at the leadership, 1 paused)", open)
	}
}
