package watch

import (
	"context"
	"time"

	"github.com/motcua/motcua/engine"
)

// Lease elects one holder among processes through engine.Store's lease
// record. It is not safe for concurrent use; each Watcher owns one.
type Lease struct {
	Store engine.Store
	// Name of the lease record (default "watch").
	Name string
	// Holder identifies this process; it must differ between processes.
	Holder string
	// TTL is the lease's lifetime per renewal (default 2 minutes).
	TTL time.Duration
	// Margin is taken off the TTL for the local trust window, covering
	// clock drift between processes and the time the renewal took
	// (default TTL/5).
	Margin time.Duration

	trustedUntil time.Time
}

func (l *Lease) ttl() time.Duration {
	if l.TTL > 0 {
		return l.TTL
	}
	return 2 * time.Minute
}

func (l *Lease) name() string {
	if l.Name != "" {
		return l.Name
	}
	return "watch"
}

// Acquire takes or renews the lease at now and reports whether this
// holder may act. now must be read before the call: the trust window is
// measured from it, so time spent waiting on the store only shortens it.
func (l *Lease) Acquire(ctx context.Context, now time.Time) (bool, error) {
	ok, err := l.Store.AcquireLease(ctx, l.name(), l.Holder, now, now.Add(l.ttl()))
	if err != nil || !ok {
		l.trustedUntil = time.Time{}
		return false, err
	}
	margin := l.Margin
	if margin <= 0 {
		margin = l.ttl() / 5
	}
	l.trustedUntil = now.Add(l.ttl() - margin)
	return true, nil
}

// Trusted reports whether the holder may still act at now on the lease
// it last acquired.
func (l *Lease) Trusted(now time.Time) bool {
	return now.Before(l.trustedUntil)
}

// Release forgets the lease locally; the record expires by itself.
func (l *Lease) Release() { l.trustedUntil = time.Time{} }
