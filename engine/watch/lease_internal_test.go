package watch

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// These tests drive the watch the way River tests its services: through
// one-iteration entries (tick, digestTick, Lease.Acquire, Lease.runOnce)
// and test signals, never a sleep nor a real cron schedule.

// Monday 2 March 2026: the sample dossier is received at 09:00, its
// reminder is due at 14:00, a working day with digests.
var (
	received   = enginetest.Monday
	reminderAt = enginetest.Monday.Add(5 * time.Hour)
)

// deadlines is a store that notes, for each call made under the lease,
// how much time its context left (none: -1), then serves it from SQLite.
type deadlines struct {
	engine.Store
	mu   sync.Mutex
	left map[string][]time.Duration
}

func (s *deadlines) note(ctx context.Context, call string) {
	left := time.Duration(-1)
	if dl, ok := ctx.Deadline(); ok {
		left = time.Until(dl)
	}
	s.mu.Lock()
	s.left[call] = append(s.left[call], left)
	s.mu.Unlock()
}

func (s *deadlines) calls(call string) []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.left[call]...)
}

func (s *deadlines) DueForCheck(ctx context.Context, at time.Time, after engine.Cursor, limit int) ([]*engine.Dossier, error) {
	s.note(ctx, "DueForCheck")
	return s.Store.DueForCheck(ctx, at, after, limit)
}

func (s *deadlines) Apply(ctx context.Context, d *engine.Dossier, prev int64, outbox []engine.Notification) error {
	s.note(ctx, "Apply")
	return s.Store.Apply(ctx, d, prev, outbox)
}

func (s *deadlines) ApplyAlarms(ctx context.Context, d *engine.Dossier, prev int64, outbox []engine.Notification) error {
	s.note(ctx, "ApplyAlarms")
	return s.Store.ApplyAlarms(ctx, d, prev, outbox)
}

func (s *deadlines) Scan(ctx context.Context, q engine.Query, fn func(*engine.Dossier) error) error {
	s.note(ctx, "Scan")
	return s.Store.Scan(ctx, q, fn)
}

func (s *deadlines) AddNotification(ctx context.Context, n engine.Notification) (bool, error) {
	s.note(ctx, "AddNotification")
	return s.Store.AddNotification(ctx, n)
}

func (s *deadlines) AcquireLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	s.note(ctx, "AcquireLease")
	return s.Store.AcquireLease(ctx, name, holder, now, until)
}

// bundle is what a lease test works with: one received dossier on a
// SQLite store seen through deadlines, a stub clock, and a watcher whose
// lease (holder "a", TTL 2 min, trust 96 s) is not yet taken.
type bundle struct {
	sqlite engine.Store
	store  *deadlines
	clock  *enginetest.StubClock
	w      *Watcher
}

func setup(t *testing.T) *bundle {
	t.Helper()
	s, err := sqlitestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	clock := enginetest.NewStubClock(received)
	e := enginetest.NewEngine(s, clock)
	if _, err := e.Receive(t.Context(), enginetest.SampleCode, 0, enginetest.SampleReception("Người nộp")); err != nil {
		t.Fatal(err)
	}
	store := &deadlines{Store: s, left: map[string][]time.Duration{}}
	w := &Watcher{Store: store, Engine: e, Now: clock.Now,
		Lease: &Lease{Store: store, Holder: "a", Now: clock.Now}}
	w.testSignals.Init(t)
	w.Lease.testSignals.Init(t)
	return &bundle{sqlite: s, store: store, clock: clock, w: w}
}

// TestSweepDigestAndRenewalShareTheLease runs one renewal of the lease, one
// scheduled sweep and one scheduled digest at the same time, as the cron
// jobs and the lease's term meet in Run, with the digest on. Under -race it
// fails if any two of them touch the trust window unsynchronised: before
// the term had one owner, both cron jobs renewed the lease themselves and
// the race detector reported Lease.Acquire's write from tick against the
// one from digestTick.
func TestSweepDigestAndRenewalShareTheLease(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.clock.Set(reminderAt)
	w, ctx := b.w, t.Context()
	var wg sync.WaitGroup
	wg.Go(func() { w.Lease.Acquire(ctx, b.clock.Now()) })
	wg.Go(func() { w.tick(ctx) })
	wg.Go(func() { w.digestTick(ctx) })
	wg.Wait()
	if ok, _ := b.sqlite.AcquireLease(ctx, "watch", "b", reminderAt, reminderAt.Add(time.Minute)); ok {
		t.Error("rule: the lease stays with its holder while the jobs run")
	}
	// Now trusted, both jobs run once more and do their work.
	w.tick(ctx)
	w.digestTick(ctx)
	// The first round may already have run either job (the renewal can
	// win the race), so add up every signal both rounds left: the
	// reminder is fired once and each head gets one digest, whichever
	// round did it. Signals are sent before the jobs return, so the
	// buffers hold them all by now.
	swept, digested := 0, 0
	for drained := false; !drained; {
		select {
		case rep := <-w.testSignals.Swept.C():
			swept += rep.Applied
		case n := <-w.testSignals.Digested.C():
			digested += n
		default:
			drained = true
		}
	}
	if swept != 1 || digested != 2 {
		t.Errorf("rule: under a trusted lease the sweep fires the due reminder and the digest goes to both heads; swept %d, digested %d", swept, digested)
	}
}

// TestStoreCallsUnderTheLeaseEndWithTheTrust: every store call the sweep,
// the digest and a renewal make under the lease has a deadline no later
// than the end of the trust window, so a stuck call cannot outlive it.
func TestStoreCallsUnderTheLeaseEndWithTheTrust(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w, ctx := b.w, t.Context()
	// Taken 60 s before the reminder is due: trusted until 36 s after it.
	if ok, err := w.Lease.Acquire(ctx, reminderAt.Add(-time.Minute)); !ok || err != nil {
		t.Fatalf("acquire: %v %v", ok, err)
	}
	b.clock.Set(reminderAt)
	w.tick(ctx)
	if rep := w.testSignals.Swept.Wait(); rep.Applied != 1 {
		t.Fatalf("sweep applied %d, want the one due reminder", rep.Applied)
	}
	w.digestTick(ctx)
	if n := w.testSignals.Digested.Wait(); n != 2 {
		t.Fatalf("digest recorded %d, want 2", n)
	}
	b.clock.Set(reminderAt.Add(33 * time.Second)) // 3 s of trust left
	if ok, err := w.Lease.Acquire(ctx, b.clock.Now()); !ok || err != nil {
		t.Fatalf("renew: %v %v", ok, err)
	}
	for _, c := range []struct {
		call string
		max  time.Duration
	}{
		{"DueForCheck", 36 * time.Second},
		{"ApplyAlarms", 36 * time.Second}, // a reminder: the alarm-only write
		{"Scan", 36 * time.Second},
		{"AddNotification", 36 * time.Second},
		{"AcquireLease", attemptTimeout}, // the first bid: no trust yet
	} {
		left := b.store.calls(c.call)
		if len(left) == 0 {
			t.Errorf("%s was not called", c.call)
		}
		for _, l := range left {
			if l <= 0 || l > c.max {
				t.Errorf("rule: %s under the lease has a deadline within the trust left (%v); it had %v", c.call, c.max, l)
			}
		}
	}
	if renew := b.store.calls("AcquireLease"); len(renew) != 2 || renew[1] <= 0 || renew[1] > 3*time.Second {
		t.Errorf("rule: a renewal is bounded by the trust left (3 s); deadlines %v", renew)
	}
}

// TestSkippedTicksAreCounted: a tick that finds its job still
// running, or no trusted lease, does nothing and is counted by job and
// reason; the other job is not held up by it.
func TestSkippedTicksAreCounted(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w, ctx := b.w, t.Context()
	var skips []string
	w.OnSkip = func(job, reason string) { skips = append(skips, job+"/"+reason) }

	w.tick(ctx) // no lease taken yet
	if got := w.testSignals.Skipped.Wait(); got != "sweep/not_trusted" {
		t.Fatalf("skip %q", got)
	}
	if n := len(b.store.calls("DueForCheck")); n != 0 {
		t.Errorf("rule: a tick without a trusted lease reads nothing; %d reads", n)
	}
	if _, err := w.Lease.Acquire(ctx, b.clock.Now()); err != nil {
		t.Fatal(err)
	}
	// A sweep still going when the next tick comes: the job's guard is
	// held, as Run's cron would find it.
	w.sweepJob.running.Store(true)
	w.tick(ctx)
	if got := w.testSignals.Skipped.Wait(); got != "sweep/running" {
		t.Fatalf("skip %q", got)
	}
	w.digestTick(ctx)
	w.testSignals.Digested.Wait()
	w.sweepJob.running.Store(false)
	w.tick(ctx)
	w.testSignals.Swept.Wait()
	w.testSignals.Skipped.RequireEmpty()

	sweep, digest := w.Skipped()
	if sweep != (Skips{Running: 1, NotTrusted: 1}) || digest != (Skips{}) {
		t.Errorf("rule: each skipped tick is counted by job and reason; sweep %+v, digest %+v", sweep, digest)
	}
	if len(skips) != 2 || skips[0] != "sweep/not_trusted" || skips[1] != "sweep/running" {
		t.Errorf("rule: OnSkip hears every skip; %v", skips)
	}
}

// TestRunResignsSoTheNextProcessTakesOver: a watcher stopping resigns its
// lease, and the next process takes it at once, not a TTL later.
func TestRunResignsSoTheNextProcessTakesOver(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.w
	w.SweepSpec, w.DigestSpec = "@every 24h", "@every 24h" // both scheduled, neither due during the test
	ctx, cancel := context.WithCancel(t.Context())
	ran := make(chan error, 1)
	go func() { ran <- w.Run(ctx) }()
	w.Lease.testSignals.Gained.Wait()
	next := &Lease{Store: b.sqlite, Holder: "b"}
	if ok, _ := next.Acquire(t.Context(), b.clock.Now()); ok {
		t.Fatal("rule: a second process is refused while the first holds the lease")
	}
	cancel()
	w.Lease.testSignals.Resigned.Wait()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	if w.Lease.Trusted(b.clock.Now()) {
		t.Error("rule: a resigned lease is no longer trusted")
	}
	// The restarted process: its Run bids at start and wins at once, on
	// the same clock, long before the old term would have expired.
	w2 := &Watcher{Store: b.sqlite, Engine: w.Engine, Now: b.clock.Now, SweepSpec: w.SweepSpec, DigestSpec: w.DigestSpec,
		Lease: &Lease{Holder: "restarted"}}
	w2.Lease.testSignals.Init(t)
	ctx2, cancel2 := context.WithCancel(t.Context())
	go func() { ran <- w2.Run(ctx2) }()
	w2.Lease.testSignals.Gained.Wait()
	if !w2.Lease.Trusted(b.clock.Now()) {
		t.Error("rule: after a stop the next process takes the lease at once")
	}
	cancel2()
	w2.Lease.testSignals.Resigned.Wait()
	<-ran
}

// failingLease refuses to reach the store for lease calls.
type failingLease struct{ engine.Store }

func (failingLease) AcquireLease(context.Context, string, string, time.Time, time.Time) (bool, error) {
	return false, errors.New("store unreachable")
}

// TestLeaseTermLoop checks the term loop's decisions one attempt at a time.
func TestLeaseTermLoop(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	t0 := b.clock.Now()
	a := &Lease{Store: b.sqlite, Holder: "a", Now: b.clock.Now}
	c := &Lease{Store: b.sqlite, Holder: "c", Now: b.clock.Now}
	a.testSignals.Init(t)
	c.testSignals.Init(t)

	a.runOnce(ctx)
	a.testSignals.Gained.Wait()
	c.runOnce(ctx)
	c.testSignals.Denied.Wait()

	// The store fails for a: the term earned before still holds until it
	// ends, and the next attempt comes before then.
	a.Store = failingLease{b.sqlite}
	b.clock.Set(t0.Add(80 * time.Second))
	next := a.runOnce(ctx)
	if !a.Trusted(b.clock.Now()) {
		t.Error("rule: a failed renewal keeps the window an earlier renewal earned")
	}
	if next <= 0 || next > 8*time.Second {
		t.Errorf("rule: after a failed renewal the next attempt comes within the trust left (16 s); in %v", next)
	}
	// The record expires (2 min); c takes it, a learns it lost.
	b.clock.Set(t0.Add(2*time.Minute + time.Millisecond))
	c.runOnce(ctx)
	c.testSignals.Gained.Wait()
	a.Store = b.sqlite
	b.clock.Set(t0.Add(90 * time.Second)) // a's clock lags: it still trusts its window
	a.runOnce(ctx)
	a.testSignals.Lost.Wait()
	if a.Trusted(b.clock.Now()) {
		t.Error("rule: a refused renewal ends the trust at once")
	}
	for _, s := range []*Lease{a, c} {
		s.testSignals.Gained.RequireEmpty()
		s.testSignals.Lost.RequireEmpty()
		s.testSignals.Denied.RequireEmpty()
	}
}

// stuck is a store whose DueForCheck hangs until its context ends, as a
// store that stopped answering would.
type stuck struct{ engine.Store }

func (stuck) DueForCheck(ctx context.Context, _ time.Time, _ engine.Cursor, _ int) ([]*engine.Dossier, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestAStuckStoreCallEndsWithTheTrust: a sweep waiting on a store that
// does not answer is cut off when the lease's trust ends, and reports a
// step-down rather than a store failure.
func TestAStuckStoreCallEndsWithTheTrust(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.w
	w.Store = stuck{b.sqlite}
	if ok, err := w.Lease.Acquire(t.Context(), reminderAt); !ok || err != nil {
		t.Fatalf("acquire: %v %v", ok, err)
	}
	// 96 s of trust from reminderAt; 20 ms of it left.
	b.clock.Set(reminderAt.Add(96*time.Second - 20*time.Millisecond))
	var got error
	w.OnSweep = func(_ Report, err error) { got = err }
	w.tick(t.Context())
	if rep := w.testSignals.Swept.Wait(); !rep.SteppedDown || got != nil {
		t.Errorf("rule: a store call stuck past the trust is cut off and the sweep steps down; %+v, err %v", rep, got)
	}
}
