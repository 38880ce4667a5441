package watch

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/internal/testsignal"
)

// Bounds of the store calls a lease makes itself. An attempt while no
// term is trusted has no trust to take its deadline from, so it gets
// attemptTimeout (River's deadlineTimeout); a renewal gets the smaller of
// that and the trust left. A resignation runs after the caller's context
// has ended, so it has its own bound.
const (
	attemptTimeout = 5 * time.Second
	resignTimeout  = 5 * time.Second
)

// Lease elects one holder among processes through engine.Store's lease
// record, in the manner of River's internal/leadership elector: one loop
// (Run) owns the term, taking the lease, renewing it every Interval and
// resigning it when it stops; the work done under the lease only reads
// how long this process may trust it (Trusted, TrustedUntil), so the
// sweep, the digest and the dispatcher never write the term themselves.
//
// Acquire is one attempt of that loop, for tests and for callers that
// run their own schedule; call it from one goroutine at a time (the
// loop's). Trusted and TrustedUntil are safe from any goroutine.
type Lease struct {
	// Store holds the lease record.
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
	// Interval is Run's pause between attempts, renewals and bids alike
	// (default TTL/4). It is held under half the trust window, so that a
	// failed renewal still leaves time for another before trust ends.
	Interval time.Duration
	// Now is the clock the trust window is measured on (nil: the system
	// clock). The users of the lease must read the same clock.
	Now engine.Clock
	// Logger receives gained, lost and resigned terms and store errors;
	// nil discards.
	Logger *slog.Logger

	mu           sync.Mutex
	trustedUntil time.Time

	testSignals leaseTestSignals
}

// leaseTestSignals tell tests what the term loop did, so they wait on
// the event instead of sleeping.
type leaseTestSignals struct {
	Gained, Denied, Lost, Resigned testsignal.Signal[struct{}]
}

func (ts *leaseTestSignals) Init(tb testsignal.TB) {
	ts.Gained.Init(tb)
	ts.Denied.Init(tb)
	ts.Lost.Init(tb)
	ts.Resigned.Init(tb)
}

func (l *Lease) ttl() time.Duration {
	if l.TTL > 0 {
		return l.TTL
	}
	return 2 * time.Minute
}

func (l *Lease) margin() time.Duration {
	if l.Margin > 0 {
		return l.Margin
	}
	return l.ttl() / 5
}

func (l *Lease) interval() time.Duration {
	i := l.Interval
	if i <= 0 {
		i = l.ttl() / 4
	}
	if half := (l.ttl() - l.margin()) / 2; half > 0 && i > half {
		i = half
	}
	return i
}

func (l *Lease) name() string {
	if l.Name != "" {
		return l.Name
	}
	return "watch"
}

func (l *Lease) logger() *slog.Logger {
	if l.Logger != nil {
		return l.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Acquire takes or renews the lease at now and reports whether this
// holder may act. now must be read before the call: the trust window is
// measured from it, so time spent waiting on the store only shortens it.
// The store call is bounded by the trust left (a renewal stuck in the
// store cannot outlive the term it renews). A store error leaves the
// current window as it was: it was earned by an earlier renewal and ends
// on time by itself.
func (l *Lease) Acquire(ctx context.Context, now time.Time) (bool, error) {
	timeout := attemptTimeout
	if r := l.remaining(now); r > 0 && r < timeout {
		timeout = r
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ok, err := l.Store.AcquireLease(actx, l.name(), l.Holder, now, now.Add(l.ttl()))
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case err != nil:
		return now.Before(l.trustedUntil), err
	case !ok:
		l.trustedUntil = time.Time{}
		return false, nil
	}
	l.trustedUntil = now.Add(l.ttl() - l.margin())
	return true, nil
}

// Trusted reports whether the holder may still act at now on the lease
// it last acquired.
func (l *Lease) Trusted(now time.Time) bool {
	return now.Before(l.TrustedUntil())
}

// TrustedUntil returns the end of the current trust window; the zero
// time when this process holds no trusted term.
func (l *Lease) TrustedUntil() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.trustedUntil
}

// remaining returns the trust left at now (zero or less: none).
func (l *Lease) remaining(now time.Time) time.Duration {
	return l.TrustedUntil().Sub(now)
}

// bound returns ctx with its deadline at the end of the trust window as
// seen at now, so that work under the lease cannot outlive it; ok is
// false, and ctx is returned as is, when no trust is left.
func (l *Lease) bound(ctx context.Context, now time.Time) (_ context.Context, _ context.CancelFunc, ok bool) {
	r := l.remaining(now)
	if r <= 0 {
		return ctx, func() {}, false
	}
	bctx, cancel := context.WithTimeout(ctx, r)
	return bctx, cancel, true
}

// Run owns the lease's term until ctx ends: it bids at once (a restart
// takes a lease its predecessor resigned without waiting), then renews or
// bids again every Interval, and finally resigns the lease so that the
// next holder need not wait for it to expire. Run it in one goroutine
// per Lease; it always returns nil.
func (l *Lease) Run(ctx context.Context) error {
	defer l.Resign(ctx)
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		t.Reset(l.runOnce(ctx))
	}
}

// runOnce is one attempt of Run; it returns the wait before the next.
func (l *Lease) runOnce(ctx context.Context) time.Duration {
	now := l.Now.Time()
	had := l.Trusted(now)
	ok, err := l.Acquire(ctx, now)
	next := l.interval()
	switch {
	case err != nil && ctx.Err() != nil:
		// Stopping: Run resigns next.
	case err != nil && ok:
		// The window an earlier renewal earned still holds: retry while
		// some of it is left rather than let the term lapse.
		l.logger().Error("lease renewal failed", "lease", l.name(), "holder", l.Holder, "err", err)
		if r := l.remaining(l.Now.Time()); r/2 < next {
			next = max(r/2, 0)
		}
	case err != nil:
		l.logger().Error("lease attempt failed", "lease", l.name(), "holder", l.Holder, "err", err)
		if had {
			l.logger().Warn("lease trust ended before a renewal succeeded", "lease", l.name(), "holder", l.Holder)
			l.testSignals.Lost.Signal(struct{}{})
		}
	case ok && !had:
		l.logger().Info("lease taken", "lease", l.name(), "holder", l.Holder)
		l.testSignals.Gained.Signal(struct{}{})
	case !ok && had:
		l.logger().Warn("lease lost to another holder", "lease", l.name(), "holder", l.Holder)
		l.testSignals.Lost.Signal(struct{}{})
	case !ok:
		l.testSignals.Denied.Signal(struct{}{})
	}
	return next
}

// Resign stops trusting the lease, then gives the record up in the store
// if this holder has it. It runs after ctx has ended (Run's stop), so the
// store call keeps ctx's values but not its cancellation, and has its own
// bound; if it fails the record simply expires.
func (l *Lease) Resign(ctx context.Context) error {
	l.mu.Lock()
	l.trustedUntil = time.Time{}
	l.mu.Unlock()
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), resignTimeout)
	defer cancel()
	ok, err := l.Store.ReleaseLease(rctx, l.name(), l.Holder)
	if err != nil {
		l.logger().Error("lease not resigned; it will expire by itself", "lease", l.name(), "holder", l.Holder, "err", err)
		return err
	}
	if ok {
		l.logger().Info("lease resigned", "lease", l.name(), "holder", l.Holder)
		l.testSignals.Resigned.Signal(struct{}{})
	}
	return nil
}
