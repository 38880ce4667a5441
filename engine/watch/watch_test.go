package watch_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/sqlitestore"
	"github.com/motcua/motcua/engine/watch"
)

// Instants of the sample procedure's first step (desk, 1 working day)
// for dossiers received Monday 2 March 2026 09:00: reminder Mon 14:00,
// breach Tue 09:00.
var (
	monday     = enginetest.Monday
	reminderAt = monday.Add(5 * time.Hour)
	breachAt   = monday.Add(24 * time.Hour)
)

// bundle is what a watch test works with.
type bundle struct {
	store  engine.Store
	engine *engine.Engine
	clock  *enginetest.StubClock
	codes  []string
}

// procedure is the sample procedure with a timed action: a dossier left
// waiting for the applicant 15 working days is stopped by the watch.
func procedure() *engine.Procedure {
	p := enginetest.SampleProcedure()
	st, _ := p.State("cho_bo_sung")
	st.Timeout = &engine.Timeout{After: calendar.WorkingDaysOf(15), Action: "dung"}
	p.Actions = append(p.Actions, &engine.Action{ID: "dung", Name: "Dừng xử lý", From: []string{"cho_bo_sung"}, To: "tu_choi", System: true})
	if err := p.Index(); err != nil {
		panic(err)
	}
	return p
}

// setup opens a SQLite store in a temporary folder and receives n sample
// dossiers at Monday 09:00.
func setup(t *testing.T, n int) *bundle {
	t.Helper()
	s, err := sqlitestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	clock := enginetest.NewStubClock(monday)
	e := enginetest.NewEngine(s, clock)
	if e.Catalog, err = engine.NewCatalog(procedure()); err != nil {
		t.Fatal(err)
	}
	b := &bundle{store: s, engine: e, clock: clock}
	for i := 0; i < n; i++ {
		d, err := e.Receive(t.Context(), enginetest.SampleCode, 0, enginetest.SampleReception(fmt.Sprintf("Người nộp %d", i)))
		if err != nil {
			t.Fatal(err)
		}
		b.codes = append(b.codes, d.Code)
	}
	return b
}

func (b *bundle) watcher() *watch.Watcher {
	return &watch.Watcher{Store: b.store, Engine: b.engine, PageSize: 7}
}

func (b *bundle) get(t *testing.T, code string) *engine.Dossier {
	t.Helper()
	d, err := b.store.Get(t.Context(), code)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (b *bundle) act(t *testing.T, code, action, actor string, at time.Time) {
	t.Helper()
	b.clock.Set(at)
	if _, err := b.engine.Act(t.Context(), code, engine.ActInput{Action: action, Actor: actor, Inputs: map[string]string{"reason": "thiếu giấy tờ"}}, 0); err != nil {
		t.Fatalf("%s %s: %v", action, code, err)
	}
}

func (b *bundle) notifications(t *testing.T, code string) []engine.Notification {
	t.Helper()
	ns, err := b.store.Notifications(t.Context(), code, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func ids(ns []engine.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.ID)
	}
	slices.Sort(out)
	return out
}

func TestSweepFiresDueRungsOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, 20) // three pages of 7
	w := b.watcher()
	rep, err := w.Sweep(t.Context(), reminderAt.Add(-time.Minute))
	if err != nil || rep.Checked != 0 {
		t.Fatalf("before any rung is due: %+v %v", rep, err)
	}
	rep, err = w.Sweep(t.Context(), reminderAt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Checked != 20 || rep.Applied != 20 || len(rep.Notifications) != 20 {
		t.Fatalf("rule: every due dossier is checked once across pages; %+v", rep)
	}
	for _, code := range b.codes {
		d := b.get(t, code)
		if !slices.Equal(d.Fired, []string{"v1/g1/r1"}) || !d.NextCheckAt.Equal(breachAt) {
			t.Fatalf("%s: fired %v, next check %v", code, d.Fired, d.NextCheckAt)
		}
		ns := b.notifications(t, code)
		if len(ns) != 1 || ns[0].Kind != engine.NoteReminder || ns[0].Status != engine.NotificationPending {
			t.Fatalf("%s outbox = %+v", code, ns)
		}
	}
	rep, _ = w.Sweep(t.Context(), reminderAt.Add(time.Hour))
	if rep.Checked != 0 || rep.Applied != 0 {
		t.Errorf("rule: a swept dossier leaves the due index until its next rung; %+v", rep)
	}
}

// countingStore counts what a sweep reads, and fails the test on reads
// that would make its cost follow the open dossiers.
type countingStore struct {
	engine.Store
	t     *testing.T
	pages atomic.Int32
}

func (c *countingStore) DueForCheck(ctx context.Context, at time.Time, after engine.Cursor, limit int) ([]*engine.Dossier, error) {
	c.pages.Add(1)
	return c.Store.DueForCheck(ctx, at, after, limit)
}

func (c *countingStore) List(context.Context, engine.Query) ([]*engine.Dossier, error) {
	c.t.Error("a sweep must not list dossiers")
	return nil, nil
}

func (c *countingStore) Scan(context.Context, engine.Query, func(*engine.Dossier) error) error {
	c.t.Error("a sweep must not scan dossiers")
	return nil
}

func TestSweepReadsOnlyDueDossiers(t *testing.T) {
	t.Parallel()
	b := setup(t, 12)
	// Four of them move on at once: their next check is days away.
	for _, code := range b.codes[:4] {
		b.act(t, code, "chuyen", enginetest.Receiver, monday.Add(time.Hour))
	}
	cs := &countingStore{Store: b.store, t: t}
	w := &watch.Watcher{Store: cs, Engine: b.engine, PageSize: 5}
	rep, err := w.Sweep(t.Context(), reminderAt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Checked != 8 || cs.pages.Load() != 2 {
		t.Errorf("rule: the sweep reads the 8 due dossiers in 2 pages of 5; checked %d in %d pages", rep.Checked, cs.pages.Load())
	}
}

func TestTwoSweepersRacingFireEachRungOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, 40)
	// Each dossier has its reminder and breach due (the reminder is
	// superseded, so one notification per dossier: the breach).
	at := breachAt.Add(time.Hour)
	var wg sync.WaitGroup
	reps := make([]watch.Report, 4)
	errs := make([]error, 4)
	for i := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &watch.Watcher{Store: b.store, Engine: b.engine, PageSize: 5}
			reps[i], errs[i] = w.Sweep(t.Context(), at)
		}()
	}
	wg.Wait()
	var recorded []engine.Notification
	applied, conflicts := 0, 0
	for i, r := range reps {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		recorded = append(recorded, r.Notifications...)
		applied += r.Applied
		conflicts += r.Conflicts
	}
	if applied != 40 || len(recorded) != 40 {
		t.Errorf("rule: each rung is decided by exactly one successful write; applied %d, notifications %d", applied, len(recorded))
	}
	if got := ids(recorded); len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Error("a notification was decided twice")
	}
	for _, code := range b.codes {
		d := b.get(t, code)
		if !slices.Equal(d.Fired, []string{"v1/g1/r1", "v1/g1/r2"}) {
			t.Errorf("%s fired %v", code, d.Fired)
		}
		if ns := b.notifications(t, code); len(ns) != 1 || ns[0].Kind != engine.NoteBreach {
			t.Errorf("%s outbox %v", code, ids(ns))
		}
	}
	t.Logf("4 sweepers over 40 due dossiers: %d conflicts lost and skipped", conflicts)
}

// dyingStore cancels the sweep's context after n successful writes: the
// process is killed in the middle of a sweep.
type dyingStore struct {
	engine.Store
	n      atomic.Int32
	cancel context.CancelFunc
}

func (s *dyingStore) Apply(ctx context.Context, d *engine.Dossier, prev int64, outbox []engine.Notification) error {
	if err := s.Store.Apply(ctx, d, prev, outbox); err != nil {
		return err
	}
	if s.n.Add(-1) == 0 {
		s.cancel()
	}
	return nil
}

// ApplyAlarms counts as a write too: most of a sweep's writes fire
// alarms without a transition.
func (s *dyingStore) ApplyAlarms(ctx context.Context, d *engine.Dossier, prev int64, outbox []engine.Notification) error {
	if err := s.Store.ApplyAlarms(ctx, d, prev, outbox); err != nil {
		return err
	}
	if s.n.Add(-1) == 0 {
		s.cancel()
	}
	return nil
}

func TestSweepKilledMidwayLosesAndDuplicatesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t, 15)
	ctx, cancel := context.WithCancel(t.Context())
	ds := &dyingStore{Store: b.store, cancel: cancel}
	ds.n.Store(6)
	first, err := (&watch.Watcher{Store: ds, Engine: b.engine, PageSize: 4}).Sweep(ctx, reminderAt)
	if err == nil || first.Applied != 6 {
		t.Fatalf("the killed sweep: %+v, %v", first, err)
	}
	second, err := b.watcher().Sweep(t.Context(), reminderAt)
	if err != nil {
		t.Fatal(err)
	}
	if first.Applied+second.Applied != 15 || len(first.Notifications)+len(second.Notifications) != 15 {
		t.Errorf("rule: the next sweep finishes the work, nothing twice; %d + %d applied", first.Applied, second.Applied)
	}
	for _, code := range b.codes {
		if ns := b.notifications(t, code); len(ns) != 1 {
			t.Errorf("%s has %d notifications", code, len(ns))
		}
	}
}

func TestRestartedClockRearmsTheLadder(t *testing.T) {
	t.Parallel()
	b := setup(t, 1)
	code := b.codes[0]
	w := b.watcher()
	b.act(t, code, "chuyen", enginetest.Receiver, monday.Add(time.Hour)) // office, 3 working days: due Thu 10:00
	if _, err := w.Sweep(t.Context(), time.Date(2026, 3, 5, 6, 0, 0, 0, calendar.VN().Location())); err != nil {
		t.Fatal(err)
	}
	d := b.get(t, code)
	if !slices.Equal(d.Fired, []string{"v2/g1/r1"}) {
		t.Fatalf("fired %v, want the office's reminder", d.Fired)
	}
	// Supplement requested and returned: the limit restarts from zero
	// (Decree 61/2018 Art 19), a new visit and generation.
	b.act(t, code, "yeu_cau_bo_sung", enginetest.Officer, time.Date(2026, 3, 5, 8, 0, 0, 0, calendar.VN().Location()))
	b.act(t, code, "nhan_bo_sung", enginetest.Receiver, time.Date(2026, 3, 9, 8, 0, 0, 0, calendar.VN().Location()))
	d = b.get(t, code)
	if d.NextCheckAt == nil {
		t.Fatal("not re-armed")
	}
	rep, err := w.Sweep(t.Context(), *d.NextCheckAt)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Notifications) != 1 || rep.Notifications[0].ID != code+"/v4/g2/r1" {
		t.Errorf("rule: the restarted clock re-arms the reminder; got %v", ids(rep.Notifications))
	}
}

func TestSweepFiresTimedActions(t *testing.T) {
	t.Parallel()
	b := setup(t, 1)
	code := b.codes[0]
	loc := calendar.VN().Location()
	b.act(t, code, "chuyen", enginetest.Receiver, monday.Add(time.Hour))
	b.act(t, code, "yeu_cau_bo_sung", enginetest.Officer, time.Date(2026, 3, 3, 9, 0, 0, 0, loc))
	w := b.watcher()
	timeout := time.Date(2026, 3, 24, 9, 0, 0, 0, loc) // 15 working days later
	if rep, _ := w.Sweep(t.Context(), timeout.Add(-time.Minute)); len(rep.Actions) != 0 || len(rep.Notifications) != 0 {
		t.Fatalf("rule: a paused dossier does not escalate; %+v", rep)
	}
	rep, err := w.Sweep(t.Context(), timeout)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Actions) != 1 || rep.Actions[0] != (watch.Fired{Code: code, Action: "dung", From: "cho_bo_sung", To: "tu_choi"}) {
		t.Fatalf("actions = %+v", rep.Actions)
	}
	d := b.get(t, code)
	last := d.History[len(d.History)-1]
	if d.State != "tu_choi" || !d.IsFinished() || last.Actor != engine.ActorSystem || !last.At.Equal(timeout) {
		t.Errorf("rule: the timed action goes through the normal step, actor system; state %s row %+v", d.State, last)
	}
}

func TestLeaseElectsOneAndStepsDownEarly(t *testing.T) {
	t.Parallel()
	b := setup(t, 0)
	ttl := time.Minute
	a := &watch.Lease{Store: b.store, Holder: "a", TTL: ttl, Margin: 10 * time.Second}
	c := &watch.Lease{Store: b.store, Holder: "c", TTL: ttl, Margin: 10 * time.Second}
	ctx := t.Context()
	t0 := monday
	steps := []struct {
		name  string
		lease *watch.Lease
		at    time.Time
		want  bool
	}{
		{"the first holder takes the lease", a, t0, true},
		{"a second holder is refused while it runs", c, t0.Add(time.Second), false},
		{"the holder renews", a, t0.Add(30 * time.Second), true},
		{"still refused before the renewed lease ends", c, t0.Add(80 * time.Second), false},
		{"an expired lease passes to another holder", c, t0.Add(90 * time.Second), true},
		{"the old holder is refused", a, t0.Add(91 * time.Second), false},
	}
	for _, s := range steps {
		got, err := s.lease.Acquire(ctx, s.at)
		if err != nil || got != s.want {
			t.Fatalf("%s: got %v, %v", s.name, got, err)
		}
	}
	if a.Trusted(t0.Add(91 * time.Second)) {
		t.Error("rule: a refused holder does not trust its old lease")
	}
	if !c.Trusted(t0.Add(139*time.Second)) || c.Trusted(t0.Add(140*time.Second)) {
		t.Error("rule: trust ends TTL − margin after the instant read before acquiring, before the lease itself")
	}
}

func TestDigest(t *testing.T) {
	t.Parallel()
	b := setup(t, 4)
	loc := calendar.VN().Location()
	// 0 and 1 go to the office on Monday (due Thu 10:00), 2 is waiting
	// for the applicant, 3 finishes on Monday, on time.
	for _, c := range b.codes[:3] {
		b.act(t, c, "chuyen", enginetest.Receiver, monday.Add(time.Hour))
	}
	b.act(t, b.codes[2], "yeu_cau_bo_sung", enginetest.Officer, monday.Add(2*time.Hour))
	b.act(t, b.codes[3], "chuyen", enginetest.Receiver, monday.Add(time.Hour))
	for _, step := range enginetest.SampleFlow()[1:] {
		b.act(t, b.codes[3], step.Action, step.Actor, monday.Add(3*time.Hour))
	}
	w := b.watcher()
	tuesday := time.Date(2026, 3, 3, 7, 30, 0, 0, loc)
	n, err := w.DigestOnce(t.Context(), tuesday)
	if err != nil || n != 2 {
		t.Fatalf("rule: one digest per unit head; recorded %d, %v", n, err)
	}
	ns := b.notifications(t, "")
	var head engine.Notification
	for _, x := range ns {
		if x.ID == watch.DigestID(enginetest.Head, calendar.Date{Year: 2026, Month: 3, Day: 3}) {
			head = x
		}
	}
	if head.Kind != engine.NoteDigest || !slices.Equal(head.To, []string{enginetest.Head}) {
		t.Fatalf("office head's digest missing among %v", ids(ns))
	}
	want := map[string]string{"due_today": "0", "overdue": "0", "paused": "1", "paused_codes": b.codes[2], "finished_previous": "1", "on_time_previous": "1", "on_time_rate": "100.0%", "previous_day": "02/03/2026"}
	for k, v := range want {
		if head.Data[k] != v {
			t.Errorf("digest %s = %q, want %q (data %v)", k, head.Data[k], v, head.Data)
		}
	}
	if n, _ := w.DigestOnce(t.Context(), tuesday.Add(time.Hour)); n != 0 {
		t.Error("rule: at most one digest per head and day")
	}
	thursday := time.Date(2026, 3, 5, 7, 30, 0, 0, loc)
	w.DigestOnce(t.Context(), thursday)
	for _, x := range b.notifications(t, "") {
		if x.ID == watch.DigestID(enginetest.Head, calendar.Date{Year: 2026, Month: 3, Day: 5}) {
			if x.Data["due_today"] != "2" {
				t.Errorf("Thursday: %s due today, want the 2 office dossiers due Thu 10:00", x.Data["due_today"])
			}
		}
	}
	if n, _ := w.DigestOnce(t.Context(), time.Date(2026, 3, 7, 7, 30, 0, 0, loc)); n != 0 {
		t.Error("rule: no digest on a day off")
	}
}

func TestRunSweepsOnSchedule(t *testing.T) {
	t.Parallel()
	b := setup(t, 3)
	done := make(chan watch.Report, 8)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	w := &watch.Watcher{
		Store: b.store, Engine: b.engine, Now: func() time.Time { return reminderAt },
		// The digest on, on the sweep's schedule: both jobs run side by
		// side under -race, sharing the lease Run elects.
		SweepSpec: "@every 1s", DigestSpec: "@every 1s",
		OnSweep: func(r watch.Report, err error) {
			if err == nil {
				done <- r
			}
		},
	}
	ran := make(chan error, 1)
	go func() { ran <- w.Run(ctx) }()
	select {
	case r := <-done:
		if r.Applied != 3 {
			t.Errorf("scheduled sweep applied %d, want 3", r.Applied)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no scheduled sweep within 15 s")
	}
	cancel()
	select {
	case <-ran:
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// TestDigestPreviousDayIsTheCalendarDate checks the digest's "finished on
// the previous working day" against the edges of that date in the
// calendar's zone (ICT, UTC+7), not UTC: from 00:00 inclusive to the next
// 00:00 exclusive. The rate counts early and on-time dossiers.
func TestDigestPreviousDayIsTheCalendarDate(t *testing.T) {
	t.Parallel()
	b := setup(t, 0)
	loc := calendar.VN().Location()
	monday0 := time.Date(2026, 3, 2, 0, 0, 0, 0, loc)
	ms := time.Millisecond
	for i, c := range []struct {
		finished time.Time
		result   engine.Timeliness
	}{
		{monday0.Add(-ms), engine.OnTime},                  // Sunday 23:59:59.999: not Monday
		{monday0, engine.Early},                            // Monday 00:00: counted, on time
		{monday0.Add(24*time.Hour - ms), engine.Late},      // Monday 23:59:59.999: counted, late
		{monday0.Add(24 * time.Hour), engine.Late},         // Tuesday 00:00: not Monday
		{monday0.Add(17 * time.Hour).UTC(), engine.OnTime}, // Monday 17:00 ICT = 10:00 UTC: counted
	} {
		d := enginetest.NewDossier(fmt.Sprintf("XA01-260302-%04d", i+1), func(d *engine.Dossier) {
			d.ReceiveKey = ""
			d.State, d.Unit, d.Status = "da_tra", "", engine.StatusFinished
			fin := c.finished.UTC()
			d.FinishedAt, d.Timeliness, d.NextCheckAt = &fin, c.result, nil
		})
		if err := b.store.Insert(t.Context(), d, nil); err != nil {
			t.Fatal(err)
		}
	}
	tuesday := time.Date(2026, 3, 3, 7, 30, 0, 0, loc)
	if _, err := b.watcher().DigestOnce(t.Context(), tuesday); err != nil {
		t.Fatal(err)
	}
	for _, x := range b.notifications(t, "") {
		if x.ID != watch.DigestID(enginetest.Head, calendar.Date{Year: 2026, Month: 3, Day: 3}) {
			continue
		}
		want := map[string]string{"previous_day": "02/03/2026", "finished_previous": "3", "on_time_previous": "2", "on_time_rate": "66.7%"}
		for k, v := range want {
			if x.Data[k] != v {
				t.Errorf("digest %s = %q, want %q", k, x.Data[k], v)
			}
		}
		return
	}
	t.Fatal("no digest for the office head")
}

// TestDigestFollowsTheCalendarNotTheWeekday: the digest is scheduled every
// day and decides by the calendar, so the make-up Saturday 10/01/2026 is a
// working day with digests, and the New Year holiday Friday 02/01/2026 is
// not (domain brief, 2026 table).
func TestDigestFollowsTheCalendarNotTheWeekday(t *testing.T) {
	t.Parallel()
	b := setup(t, 1)
	b.act(t, b.codes[0], "chuyen", enginetest.Receiver, monday.Add(time.Hour))
	w := b.watcher()
	loc := calendar.VN().Location()
	for _, tc := range []struct {
		rule string
		at   time.Time
		want bool
	}{
		{"a make-up Saturday gets its digest", time.Date(2026, 1, 10, 7, 30, 0, 0, loc), true},
		{"a holiday Friday gets none", time.Date(2026, 1, 2, 7, 30, 0, 0, loc), false},
		{"an ordinary Sunday gets none", time.Date(2026, 3, 8, 7, 30, 0, 0, loc), false},
	} {
		n, err := w.DigestOnce(t.Context(), tc.at)
		if err != nil {
			t.Fatalf("%s: %v", tc.rule, err)
		}
		if (n > 0) != tc.want {
			t.Errorf("rule: %s; recorded %d digests", tc.rule, n)
		}
	}
}
