package notify_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

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

// TestOnlyTheElectedDispatcherSends: two processes share one outbox; the
// one the lease refuses skips its rounds, so each message goes out once.
func TestOnlyTheElectedDispatcherSends(t *testing.T) {
	t.Parallel()
	box := newOutbox(decided(t, monday14)...)
	leader := &countingChannel{first: make(chan struct{})}
	follower := &countingChannel{first: make(chan struct{})}
	asked := make(chan struct{}, 1)
	clock := func() time.Time { return monday14 }
	mk := func(ch notify.Channel, elected bool, asked chan struct{}) *notify.Dispatcher {
		return &notify.Dispatcher{Store: box, Channels: []notify.Channel{ch}, Directory: directory(t), Now: clock,
			Interval: time.Millisecond,
			Elect: func(context.Context, time.Time) (bool, error) {
				if asked != nil {
					select {
					case asked <- struct{}{}:
					default:
					}
				}
				return elected, nil
			}}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	for _, d := range []*notify.Dispatcher{mk(follower, false, asked), mk(leader, true, nil)} {
		go func() { d.Run(ctx); done <- struct{}{} }()
	}
	deadline := time.After(10 * time.Second)
	for _, wait := range []chan struct{}{leader.first, asked} {
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
}
