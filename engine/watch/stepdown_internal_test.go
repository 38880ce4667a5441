package watch

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// onePage serves one due dossier and fails the test on any write.
type onePage struct {
	engine.Store
	t *testing.T
}

func (s onePage) DueForCheck(context.Context, time.Time, engine.Cursor, int) ([]*engine.Dossier, error) {
	at := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	return []*engine.Dossier{{Code: "XA01-260302-0001", NextCheckAt: &at}}, nil
}

func (s onePage) Apply(context.Context, *engine.Dossier, int64, []engine.Notification) error {
	s.t.Error("wrote on a lease no longer trusted")
	return nil
}

func TestSweepStepsDownOnAnUntrustedLease(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	now := t0
	w := &Watcher{Store: onePage{t: t}, Now: func() time.Time { return now }}
	l := &Lease{TTL: time.Minute, Margin: 10 * time.Second, trustedUntil: t0.Add(50 * time.Second)}
	now = t0.Add(50 * time.Second) // the sweep ran long: trust has ended
	rep, err := w.sweep(context.Background(), t0, l)
	if err != nil || !rep.SteppedDown || rep.Checked != 0 {
		t.Errorf("rule: the sweeper steps down rather than act on a lease it no longer trusts; %+v %v", rep, err)
	}
}
