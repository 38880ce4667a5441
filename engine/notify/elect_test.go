package notify_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/notify"
)

// countingChannel counts sends and signals the first one.
type countingChannel struct {
	sent  atomic.Int32
	first chan struct{}
}

func (c *countingChannel) Name() string { return "count" }

func (c *countingChannel) Send(_ context.Context, _ notify.Message) error {
	if c.sent.Add(1) == 1 {
		close(c.first)
	}
	return nil
}

// fixedLease is a lease whose trust does not change; it signals when it
// is asked, and records its term's start and end.
type fixedLease struct {
	until             time.Time
	asked             chan struct{}
	started, resigned atomic.Bool
}

func (l *fixedLease) Run(ctx context.Context) error {
	l.started.Store(true)
	<-ctx.Done()
	l.resigned.Store(true)
	return nil
}

func (l *fixedLease) TrustedUntil() time.Time {
	if l.asked != nil {
		select {
		case l.asked <- struct{}{}:
		default:
		}
	}
	return l.until
}

// TestOnlyTheElectedDispatcherSends: two processes share one outbox; the
// one without a trusted lease skips its rounds (counted), so each message
// goes out once; both own and resign their lease terms.
func TestOnlyTheElectedDispatcherSends(t *testing.T) {
	t.Parallel()
	box := newOutbox(decided(t, monday14)...)
	leader := &countingChannel{first: make(chan struct{})}
	follower := &countingChannel{first: make(chan struct{})}
	clock := func() time.Time { return monday14 }
	leaderLease := &fixedLease{until: monday14.Add(time.Minute)}
	followerLease := &fixedLease{asked: make(chan struct{}, 1)} // never trusted
	mk := func(ch notify.Channel, l notify.Lease) *notify.Dispatcher {
		return &notify.Dispatcher{Store: box, Channels: []notify.Channel{ch}, Directory: directory(t), Now: clock,
			Interval: time.Millisecond, Lease: l}
	}
	f, l := mk(follower, followerLease), mk(leader, leaderLease)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	for _, d := range []*notify.Dispatcher{f, l} {
		go func() { d.Run(ctx); done <- struct{}{} }()
	}
	deadline := time.After(10 * time.Second)
	for _, wait := range []chan struct{}{leader.first, followerLease.asked} {
		select {
		case <-wait:
		case <-deadline:
			cancel()
			t.Fatal("dispatchers did not run within 10 s")
		}
	}
	cancel()
	<-done
	<-done
	if follower.sent.Load() != 0 {
		t.Errorf("rule: a dispatcher without the lease sends nothing; it sent %d", follower.sent.Load())
	}
	if leader.sent.Load() == 0 {
		t.Error("rule: the elected dispatcher sends")
	}
	if f.Skipped() == 0 || l.Skipped() != 0 {
		t.Errorf("rule: a round without a trusted lease is skipped and counted; follower %d, leader %d", f.Skipped(), l.Skipped())
	}
	for _, le := range []*fixedLease{leaderLease, followerLease} {
		if !le.started.Load() || !le.resigned.Load() {
			t.Error("rule: Run owns its lease's term and resigns it before returning")
		}
	}
}

// slowChannel takes step of the clock per send and notes how much time
// each send's context left.
type slowChannel struct {
	clock *enginetest.StubClock
	step  time.Duration
	mu    sync.Mutex
	left  []time.Duration
}

func (c *slowChannel) Name() string { return "slow" }

func (c *slowChannel) Send(ctx context.Context, _ notify.Message) error {
	left := time.Duration(-1)
	if dl, ok := ctx.Deadline(); ok {
		left = time.Until(dl)
	}
	c.mu.Lock()
	c.left = append(c.left, left)
	c.mu.Unlock()
	c.clock.Advance(c.step)
	return nil
}

// clockLease is trusted until a fixed instant of a stub clock.
type clockLease struct{ until time.Time }

func (l clockLease) Run(ctx context.Context) error { <-ctx.Done(); return nil }
func (l clockLease) TrustedUntil() time.Time       { return l.until }

// TestDispatchRechecksTheLeaseBeforeEachSend: a batch whose sends take
// longer than the lease is trusted stops where the trust ends, instead of
// sending the rest while another process may hold the lease; each send's
// context ends with the trust.
func TestDispatchRechecksTheLeaseBeforeEachSend(t *testing.T) {
	t.Parallel()
	var ns []engine.Notification
	for _, id := range []string{"n1", "n2", "n3", "n4"} {
		n := enginetest.NewNotification(id, "XA01-260302-0001", monday14)
		n.Channel = ""
		ns = append(ns, n)
	}
	box := newOutbox(ns...)
	clock := enginetest.NewStubClock(monday14)
	ch := &slowChannel{clock: clock, step: 20 * time.Second}
	d := &notify.Dispatcher{Store: box, Channels: []notify.Channel{ch}, Directory: directory(t), Now: clock.Now,
		Lease: clockLease{until: monday14.Add(50 * time.Second)}}
	// Sends start at 0, 20 and 40 s; the third went out but ends at 60 s,
	// past the trust: it is not recorded (the next holder sends it again,
	// same key), and the fourth is not sent.
	sent, failed, err := d.DispatchOnce(t.Context(), monday14)
	if !errors.Is(err, notify.ErrNotTrusted) || sent != 3 || failed != 0 {
		t.Errorf("rule: a batch stops when the lease's trust ends; sent %d failed %d err %v", sent, failed, err)
	}
	if len(ch.left) != 3 {
		t.Fatalf("rule: trust is checked before each send; %d sends, want 3", len(ch.left))
	}
	for i, max := range []time.Duration{50 * time.Second, 30 * time.Second, 10 * time.Second} {
		if ch.left[i] <= 0 || ch.left[i] > max {
			t.Errorf("rule: send %d's deadline is the trust left (%v); it had %v", i+1, max, ch.left[i])
		}
	}
	for id, want := range map[string]string{"n1": engine.NotificationSent, "n2": engine.NotificationSent, "n3": engine.NotificationPending, "n4": engine.NotificationPending} {
		if n := box.get(id); n.Status != want || (want == engine.NotificationPending && n.Attempts != 0) {
			t.Errorf("rule: only deliveries finished within the trust are recorded; %s is %s after %d attempts, want %s", id, n.Status, n.Attempts, want)
		}
	}
	// Without a trusted lease nothing is read at all.
	if _, _, err := d.DispatchOnce(t.Context(), clock.Now()); !errors.Is(err, notify.ErrNotTrusted) {
		t.Errorf("rule: no batch starts without trust; err %v", err)
	}
}

// reentrantChannel fails its first send, and while doing so lets another
// dispatcher run a whole round on the same outbox: two dispatchers whose
// leases overlapped, one slow, both holding the same pending batch.
type reentrantChannel struct {
	other func()
	calls atomic.Int32
}

func (c *reentrantChannel) Name() string { return "x" }

func (c *reentrantChannel) Send(_ context.Context, _ notify.Message) error {
	if c.calls.Add(1) == 1 {
		c.other()
		return errors.New("smtp: 451 try later")
	}
	return nil
}

// TestOverlappingDispatchersNeverUnsend: dispatcher A reads a pending
// notification and fails to send it slowly; meanwhile B sends it and
// records "sent". A's record of its failed attempt, read before B's, is
// refused and skipped: the notification stays sent, and A's round goes on
// without an error.
func TestOverlappingDispatchersNeverUnsend(t *testing.T) {
	t.Parallel()
	n := decided(t, monday14)[0]
	box := newOutbox(n)
	ch := &reentrantChannel{}
	b := &notify.Dispatcher{Store: box, Channels: []notify.Channel{ch}, Directory: directory(t)}
	var bSent int
	ch.other = func() { bSent, _, _ = b.DispatchOnce(context.Background(), monday14) }
	a := &notify.Dispatcher{Store: box, Channels: []notify.Channel{ch}, Directory: directory(t)}
	_, failed, err := a.DispatchOnce(context.Background(), monday14)
	if err != nil || failed != 1 || bSent != 1 {
		t.Fatalf("A: %d failed, %v; B sent %d; want 1, nil, 1", failed, err, bSent)
	}
	if got := box.get(n.ID); got.Status != engine.NotificationSent || got.Attempts != 1 {
		t.Errorf("rule: a record read before another dispatcher's is dropped; got %s after %d attempts, want sent after 1", got.Status, got.Attempts)
	}
}
