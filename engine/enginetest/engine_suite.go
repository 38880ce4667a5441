package enginetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// RunEngineSuite drives SampleProcedure through engine.Engine on fresh
// stores made by newStore: receptions, a full flow, rejected actions
// that must change nothing, idempotent retries, and (unless skipped)
// the races of issue 4: 8 goroutines acting on one dossier, 20
// concurrent receptions, a retried action applied once.
func RunEngineSuite(t *testing.T, newStore func(t *testing.T) engine.Store, opts SuiteOptions) {
	t.Helper()
	tests := []storeTest{
		{"ReceiveAndFinishTheFlow", false, testEngineFlow},
		{"DailySeriesPerReceivingDay", false, testEngineDailySeries},
		{"RejectedActionsChangeNothing", false, testEngineRejected},
		{"StaleExpectedVersionConflicts", false, testEngineStaleExpect},
		{"RetriedActionIsAppliedOnce", false, testEngineIdempotentAct},
		{"RetriedReceptionReturnsTheFirstDossier", false, testEngineIdempotentReceive},
		{"ReceivedDossierIsWatched", false, testEngineWatched},
		{"RecomputeOpenFollowsANewCalendar", false, testEngineRecompute},
		{"AssigneeIsStoredAndClearedOnHandover", false, testEngineAssignee},
		{"Concurrency/ActionsOnOneDossierLoseNoRow", true, testEngineConcurrentActs},
		{"Concurrency/ReceptionsNeverShareACode", true, testEngineConcurrentReceive},
		{"Concurrency/RetriedActionRacingIsAppliedOnce", true, testEngineConcurrentRetry},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.concurrent && opts.SkipConcurrency != "" {
				t.Skip(opts.SkipConcurrency)
			}
			tc.run(t, newStore(t))
		})
	}
}

// received receives one sample dossier at Monday 09:00 and returns the
// engine, its clock and the dossier.
func received(t *testing.T, s engine.Store) (*engine.Engine, *StubClock, *engine.Dossier) {
	t.Helper()
	clock := NewStubClock(Monday)
	e := NewEngine(s, clock)
	d, err := e.Receive(t.Context(), SampleCode, 0, SampleReception("Nguyễn Văn Án"))
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	return e, clock, d
}

func testEngineFlow(t *testing.T, s engine.Store) {
	ctx := t.Context()
	e, clock, d := received(t, s)
	if d.Code != "XA01-260302-0001" || d.Version != 1 || d.DueAt == nil {
		t.Fatalf("received %s version %d due %v; want XA01-260302-0001, 1, a due instant", d.Code, d.Version, d.DueAt)
	}
	if diff := Diff(d, mustGet(t, s, d.Code)); diff != "" {
		t.Fatalf("stored dossier differs from the returned one: %s", diff)
	}
	for i, in := range SampleFlow() {
		clock.Advance(30 * time.Minute)
		nd, err := e.Act(ctx, d.Code, in, 0)
		if err != nil {
			t.Fatalf("step %d (%s): %v", i+1, in.Action, err)
		}
		got := mustGet(t, s, d.Code)
		if got.Version != int64(i+2) || len(got.History) != i+2 || got.State != nd.State {
			t.Fatalf("after %s: version %d, %d rows, state %s; want %d, %d, %s",
				in.Action, got.Version, len(got.History), got.State, i+2, i+2, nd.State)
		}
	}
	got := mustGet(t, s, d.Code)
	if got.Status != engine.StatusFinished || got.Result != engine.OutcomeApproved || got.Timeliness != engine.Early {
		t.Errorf("finished the same day as received: status %s result %s timeliness %s; want finished approved early",
			got.Status, got.Result, got.Timeliness)
	}
	if got.NextCheckAt != nil {
		t.Errorf("a finished dossier has nothing to watch: next check %v", got.NextCheckAt)
	}
	ns, err := s.Notifications(ctx, d.Code, 100)
	if err != nil {
		t.Fatal(err)
	}
	// Handovers to the office, to leadership and back to the desk.
	if len(ns) != 3 {
		t.Errorf("three handover notifications expected, got %v", idsOf(ns))
	}
	pending, err := s.PendingNotifications(ctx, clock.Now(), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 3 {
		t.Errorf("the handovers are pending in the outbox: got %v", idsOf(pending))
	}
}

func testEngineDailySeries(t *testing.T, s engine.Store) {
	ctx := t.Context()
	clock := NewStubClock(Monday)
	e := NewEngine(s, clock)
	var codes []string
	for _, when := range []time.Time{Monday, Monday.Add(time.Hour), Monday.Add(24 * time.Hour)} {
		clock.Set(when)
		d, err := e.Receive(ctx, SampleCode, 0, SampleReception("Lê Văn Cường"))
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, d.Code)
	}
	want := []string{"XA01-260302-0001", "XA01-260302-0002", "XA01-260303-0001"}
	if !slices.Equal(codes, want) {
		t.Errorf("codes {unit}-{YYMMDD}-{NNNN}, restarting daily (Circular 03/2025 Art 13): got %v, want %v", codes, want)
	}
}

func testEngineRejected(t *testing.T, s engine.Store) {
	ctx := t.Context()
	e, _, d := received(t, s)
	cases := []struct {
		rule string
		code string
		in   engine.ActInput
		want engine.Code
	}{
		{"a person outside the acting unit", d.Code, engine.ActInput{Action: "chuyen", Actor: Outsider}, engine.EFORBIDDEN},
		{"an unknown person", d.Code, engine.ActInput{Action: "chuyen", Actor: "khong-ai"}, engine.ENOTFOUND},
		{"an action not allowed in the state", d.Code, engine.ActInput{Action: "ky", Actor: Chairman}, engine.ECONFLICT},
		{"an unknown action", d.Code, engine.ActInput{Action: "bay", Actor: Receiver}, engine.EINVALID},
		{"a missing required input", d.Code, engine.ActInput{Action: "ghi_chu", Actor: Receiver}, engine.EINVALID},
		{"an unknown dossier", "XA01-260302-9999", engine.ActInput{Action: "chuyen", Actor: Receiver}, engine.ENOTFOUND},
	}
	for _, c := range cases {
		_, err := e.Act(ctx, c.code, c.in, 0)
		if engine.ErrorCode(err) != c.want {
			t.Errorf("%s: got %v (%s), want %s", c.rule, err, engine.ErrorCode(err), c.want)
		}
	}
	if _, err := e.Receive(ctx, "KHONG.CO", 0, SampleReception("X")); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("an unknown procedure: got %v, want not_found", err)
	}
	if _, err := e.Receive(ctx, SampleCode, 0, SampleReception("  ")); engine.ErrorCode(err) != engine.EINVALID {
		t.Errorf("a reception without applicant name: got %v, want invalid", err)
	}
	got := mustGet(t, s, d.Code)
	if diff := Diff(d, got); diff != "" {
		t.Errorf("rejected actions changed the dossier: %s", diff)
	}
	all, err := s.List(ctx, engine.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Errorf("rejected receptions stored dossiers: %v", codesOf(all))
	}
	if ns, _ := s.Notifications(ctx, "", 100); len(ns) != 0 {
		t.Errorf("rejected actions stored notifications: %v", idsOf(ns))
	}
	// A rejected reception takes no number: the day's series goes on
	// without a gap (Circular 03/2025 Art 13 codes are never skipped).
	next, err := e.Receive(ctx, SampleCode, 0, SampleReception("Phạm Thị Dung"))
	if err != nil {
		t.Fatal(err)
	}
	if want := d.Code[:len(d.Code)-4] + "0002"; next.Code != want {
		t.Errorf("rule: rejected receptions leave no gap in the series; next code %s, want %s", next.Code, want)
	}
}

func testEngineStaleExpect(t *testing.T, s engine.Store) {
	ctx := t.Context()
	e, _, d := received(t, s)
	if _, err := e.Act(ctx, d.Code, SampleFlow()[0], 1); err != nil {
		t.Fatal(err)
	}
	_, err := e.Act(ctx, d.Code, engine.ActInput{Action: "ghi_chu", Actor: Officer, Inputs: map[string]string{"note": "x"}}, 1)
	var conflict *engine.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("acting on version 1 of a dossier at version 2: got %v, want *ConflictError", err)
	}
	if got := mustGet(t, s, d.Code); got.Version != 2 || len(got.History) != 2 {
		t.Errorf("a conflict changed the dossier: version %d, %d rows", got.Version, len(got.History))
	}
}

func testEngineIdempotentAct(t *testing.T, s engine.Store) {
	ctx := t.Context()
	e, clock, d := received(t, s)
	in := SampleFlow()[0]
	in.IdempotencyKey = "req-1"
	first, err := e.Act(ctx, d.Code, in, 0)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	again, err := e.Act(ctx, d.Code, in, 0)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if again.Version != first.Version {
		t.Errorf("the retry returned version %d, want the first result's %d", again.Version, first.Version)
	}
	got := mustGet(t, s, d.Code)
	if got.Version != 2 || len(got.History) != 2 {
		t.Errorf("a retried action was applied twice: version %d, %d rows", got.Version, len(got.History))
	}
	if ns, _ := s.Notifications(ctx, d.Code, 100); len(ns) != 1 {
		t.Errorf("a retried action notified twice: %v", idsOf(ns))
	}
}

func testEngineIdempotentReceive(t *testing.T, s engine.Store) {
	ctx := t.Context()
	clock := NewStubClock(Monday)
	e := NewEngine(s, clock)
	in := SampleReception("Trần Thị Bình")
	in.IdempotencyKey = "portal-123"
	a, err := e.Receive(ctx, SampleCode, 0, in)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	b, err := e.Receive(ctx, SampleCode, 0, in)
	if err != nil {
		t.Fatal(err)
	}
	if a.Code != b.Code {
		t.Errorf("a retried reception made a second dossier: %s and %s", a.Code, b.Code)
	}
	c, err := e.Receive(ctx, SampleCode, 0, SampleReception("Người khác"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Code != "XA01-260302-0002" {
		t.Errorf("the next reception: got %s, want XA01-260302-0002 (a retry consumes no number)", c.Code)
	}
}

func testEngineWatched(t *testing.T, s engine.Store) {
	_, _, d := received(t, s)
	if d.NextCheckAt == nil {
		t.Fatal("a received dossier with an escalation ladder has a next check")
	}
	due, err := s.DueForCheck(t.Context(), *d.NextCheckAt, engine.Cursor{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(codesOf(due), []string{d.Code}) {
		t.Errorf("DueForCheck at the next check: got %v, want [%s]", codesOf(due), d.Code)
	}
	early, _ := s.DueForCheck(t.Context(), d.NextCheckAt.Add(-time.Second), engine.Cursor{}, 10)
	if len(early) != 0 {
		t.Errorf("DueForCheck before the next check: got %v", codesOf(early))
	}
}

// clientRetries bounds actRetrying: far more conflicts than the racing
// tests can cause (each attempt is itself Engine.Retries conditional
// writes), few enough that a store whose writes never succeed fails the
// test instead of hanging the run.
const clientRetries = 50

// actRetrying fires in until it is applied: a conflict left after the
// engine's own retries is retried with the same idempotency key, as a
// client would, at most clientRetries times.
func actRetrying(ctx context.Context, e *engine.Engine, code string, in engine.ActInput) error {
	var err error
	for range clientRetries {
		_, err = e.Act(ctx, code, in, 0)
		var conflict *engine.ConflictError
		if !errors.As(err, &conflict) {
			return err
		}
	}
	return fmt.Errorf("%s on %s: still conflicting after %d client retries: %w", in.Action, code, clientRetries, err)
}

func testEngineConcurrentActs(t *testing.T, s engine.Store) {
	e, _, d := received(t, s)
	if _, err := e.Act(t.Context(), d.Code, SampleFlow()[0], 0); err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 5
	actors := []string{Officer, Officer2, Head, Receiver, Chairman, Officer, Officer2, Head}
	errs := make([]error, workers*each)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range workers {
		wg.Go(func() {
			<-start
			for i := range each {
				key := fmt.Sprintf("w%d-%d", w, i)
				in := engine.ActInput{Action: "ghi_chu", Actor: actors[w], IdempotencyKey: key,
					Inputs: map[string]string{"note": key}}
				errs[w*each+i] = actRetrying(t.Context(), e, d.Code, in)
			}
		})
	}
	close(start)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, d.Code)
	wantRows := 2 + workers*each
	if len(got.History) != wantRows || got.Version != int64(wantRows) {
		t.Fatalf("history has %d rows at version %d; want %d rows and version %d", len(got.History), got.Version, wantRows, wantRows)
	}
	seen := map[string]int{}
	for i, h := range got.History {
		if h.Seq != i+1 {
			t.Fatalf("row %d has seq %d: the history has a gap", i+1, h.Seq)
		}
		if h.Action == "ghi_chu" {
			seen[h.IdempotencyKey]++
		}
	}
	for w := range workers {
		for i := range each {
			if k := fmt.Sprintf("w%d-%d", w, i); seen[k] != 1 {
				t.Errorf("action %s recorded %d times, want once", k, seen[k])
			}
		}
	}
}

func testEngineConcurrentReceive(t *testing.T, s engine.Store) {
	const n = 20
	e := NewEngine(s, NewStubClock(Monday))
	codes := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			d, err := e.Receive(context.Background(), SampleCode, 0, SampleReception(fmt.Sprintf("Người nộp %02d", i)))
			if err == nil {
				codes[i] = d.Code
			}
			errs[i] = err
		})
	}
	close(start)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	slices.Sort(codes)
	if want := Codes(DeskCode, n); !slices.Equal(codes, want) {
		t.Errorf("concurrent receptions: got codes %v, want %v", codes, want)
	}
	all, err := s.List(t.Context(), engine.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != n {
		t.Errorf("stored %d dossiers, want %d", len(all), n)
	}
}

func testEngineConcurrentRetry(t *testing.T, s engine.Store) {
	e, _, d := received(t, s)
	const n = 8
	in := SampleFlow()[0]
	in.IdempotencyKey = "double-click"
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = actRetrying(t.Context(), e, d.Code, in)
		})
	}
	close(start)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("a retry of an applied action must succeed as a replay: %v", err)
	}
	got := mustGet(t, s, d.Code)
	if got.Version != 2 || len(got.History) != 2 {
		t.Errorf("%d racing retries of one request: version %d, %d rows; want 2, 2", n, got.Version, len(got.History))
	}
	if ns, _ := s.Notifications(t.Context(), d.Code, 100); len(ns) != 1 {
		t.Errorf("racing retries notified %d times, want once: %v", len(ns), idsOf(ns))
	}
}

// testEngineRecompute receives a dossier on a calendar that lacks a day
// off, then recomputes open dossiers on one that has it: the stored due
// instant moves, through one conditional write with a system history row,
// and a second pass moves nothing.
func testEngineRecompute(t *testing.T, s engine.Store) {
	ctx := t.Context()
	clock := NewStubClock(Monday)
	old := NewEngine(s, clock)
	cfg := calendar.VNConfig()
	for i := range cfg.Years {
		if cfg.Years[i].Year == 2026 {
			// An extra day off on Wed 4 March 2026, inside the dossier's limit.
			cfg.Years[i].DaysOff = append(append([]calendar.Holiday(nil), cfg.Years[i].DaysOff...),
				calendar.Holiday{Date: calendar.Date{Year: 2026, Month: time.March, Day: 4}, Name: "Ngày nghỉ bổ sung"})
		}
	}
	withDayOff, err := calendar.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d, err := old.Receive(ctx, SampleCode, 0, SampleReception("Lê Thị Bích"))
	if err != nil {
		t.Fatal(err)
	}
	updated := NewEngine(s, clock)
	updated.Calendar = withDayOff
	clock.Set(Monday.Add(2 * time.Hour))
	n, err := updated.RecomputeOpen(ctx)
	if err != nil || n != 1 {
		t.Fatalf("rule: one open dossier moves; moved %d, %v", n, err)
	}
	got, err := s.Get(ctx, d.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !got.DueAt.After(*d.DueAt) || got.Version != d.Version+1 || len(got.History) != len(d.History)+1 ||
		got.History[len(got.History)-1].Action != engine.ActionRecalendar {
		t.Errorf("rule: the due instant moves later by the new day off, with a history row; due %v → %v, version %d → %d",
			d.DueAt, got.DueAt, d.Version, got.Version)
	}
	if n, err := updated.RecomputeOpen(ctx); err != nil || n != 0 {
		t.Errorf("rule: a second pass moves nothing; moved %d, %v", n, err)
	}
}
