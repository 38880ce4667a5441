package watch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/internal/testsignal"
)

// Watcher sweeps dossiers whose deadline work is due and sends unit heads
// their daily digest.
type Watcher struct {
	// Store is read through DueForCheck and written through Apply.
	Store engine.Store
	// Engine provides the catalog, directory and calendar a dossier is
	// checked against (its Store is not used).
	Engine *engine.Engine
	// Now is the clock for Run and for the lease Run builds (nil: the
	// system clock); SweepOnce and DigestOnce take their instant as an
	// argument.
	Now engine.Clock
	// PageSize is the number of dossiers read per DueForCheck (default 200).
	PageSize int
	// Logger receives problems with single dossiers; nil discards.
	Logger *slog.Logger

	// SweepSpec is Run's cron spec for sweeps (default "@every 1m").
	SweepSpec string
	// DigestSpec is Run's cron spec for the digest (default "30 7 * * *",
	// 07:30 every day: DigestOnce itself skips the calendar's days off, so
	// a make-up Saturday — 10/01/2026 — gets its digest and a holiday
	// Monday does not). "-" disables the digest.
	DigestSpec string
	// Lease elects the sweeping process; nil builds one with a random
	// holder id. Run owns its term (Lease.Run): do not run it elsewhere.
	Lease *Lease
	// OnSweep, if set, is called after each sweep Run makes: for logs,
	// metrics and tests.
	OnSweep func(Report, error)
	// OnSkip, if set, is called for each scheduled run that did not
	// happen, with the job ("sweep", "digest") and the reason
	// (SkipRunning, SkipNotTrusted): for metrics.
	OnSkip func(job, reason string)

	sweepJob, digestJob job
	testSignals         watcherTestSignals
}

// Reasons a scheduled run is skipped, as passed to OnSkip.
const (
	// SkipRunning: the job's previous run had not finished.
	SkipRunning = "running"
	// SkipNotTrusted: this process holds no trusted lease (another
	// process has it, or the store could not be reached).
	SkipNotTrusted = "not_trusted"
)

// Skips counts the scheduled runs of one job that did not happen.
type Skips struct {
	// Running counts ticks that found the previous run still going.
	Running int64
	// NotTrusted counts ticks that found no trusted lease.
	NotTrusted int64
}

// job is one scheduled job's overlap guard and skip counters. Run's cron
// calls each job from its own goroutine; a tick that finds the previous
// one still going is skipped, like cron.SkipIfStillRunning, but counted
// and logged.
type job struct {
	running                          atomic.Bool
	skippedRunning, skippedUntrusted atomic.Int64
}

// watcherTestSignals tell tests what a tick did.
type watcherTestSignals struct {
	Swept    testsignal.Signal[Report]
	Digested testsignal.Signal[int]
	Skipped  testsignal.Signal[string] // "job/reason"
}

func (ts *watcherTestSignals) Init(tb testsignal.TB) {
	ts.Swept.Init(tb)
	ts.Digested.Init(tb)
	ts.Skipped.Init(tb)
}

// Skipped returns how many scheduled sweeps and digests did not run, and
// why, since the Watcher was made.
func (w *Watcher) Skipped() (sweep, digest Skips) {
	get := func(j *job) Skips {
		return Skips{Running: j.skippedRunning.Load(), NotTrusted: j.skippedUntrusted.Load()}
	}
	return get(&w.sweepJob), get(&w.digestJob)
}

// Report says what one sweep decided.
type Report struct {
	At time.Time
	// Checked counts dossiers read; Applied those written; Conflicts those
	// another writer changed first (skipped, rechecked next sweep);
	// Errors those that could not be checked (see the log).
	Checked, Applied, Conflicts, Errors int
	// Notifications are the notifications recorded, in order.
	Notifications []engine.Notification
	// Actions are the timed actions fired.
	Actions []Fired
	// SteppedDown is true when the sweep stopped because its lease was
	// no longer trusted.
	SteppedDown bool
}

// Fired is a timed action the sweep fired.
type Fired struct {
	Code, Action, From, To string
}

func (w *Watcher) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (w *Watcher) pageSize() int {
	if w.PageSize > 0 {
		return w.PageSize
	}
	return 200
}

// SweepOnce runs one sweep at the instant at: every dossier due for a
// check at or before at is checked and its decision applied.
func (w *Watcher) SweepOnce(ctx context.Context, at time.Time) error {
	_, err := w.Sweep(ctx, at)
	return err
}

// Sweep is SweepOnce returning what it decided.
func (w *Watcher) Sweep(ctx context.Context, at time.Time) (Report, error) {
	return w.sweep(ctx, at, nil)
}

// sweep runs one sweep; with a lease, it stops as soon as the lease is no
// longer trusted (checked before each page and each dossier, on the
// Watcher's clock), and every store call takes its deadline from the
// trust left, so a stuck call cannot outlive the lease.
func (w *Watcher) sweep(ctx context.Context, at time.Time, lease *Lease) (Report, error) {
	rep := Report{At: at}
	var cursor engine.Cursor
	n := w.pageSize()
	for {
		pctx, cancel, ok := w.underLease(ctx, lease)
		if !ok {
			rep.SteppedDown = true
			return rep, nil
		}
		page, err := w.Store.DueForCheck(pctx, at, cursor, n)
		cutOff := outlived(ctx, pctx)
		cancel()
		if cutOff {
			rep.SteppedDown = true
			return rep, nil
		}
		if err != nil {
			return rep, fmt.Errorf("sweep at %s: %w", at.Format(time.RFC3339), err)
		}
		for _, d := range page {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			cursor = engine.Cursor{At: *d.NextCheckAt, Code: d.Code}
			dctx, cancel, ok := w.underLease(ctx, lease)
			if !ok {
				rep.SteppedDown = true
				return rep, nil
			}
			rep.Checked++
			err := w.check(dctx, d, at, &rep)
			cutOff := outlived(ctx, dctx)
			cancel()
			if cutOff {
				rep.SteppedDown = true
				return rep, nil
			}
			if err != nil {
				return rep, err
			}
		}
		if len(page) < n {
			return rep, nil
		}
	}
}

// underLease bounds ctx by lease's trust left now; without a lease
// (SweepOnce, the sweep command) ctx is returned as is.
func (w *Watcher) underLease(ctx context.Context, lease *Lease) (context.Context, context.CancelFunc, bool) {
	if lease == nil {
		return ctx, func() {}, true
	}
	return lease.bound(ctx, w.Now.Time())
}

// outlived reports whether bounded, derived from ctx by underLease, ended
// because the lease's trust ran out rather than because ctx did: the
// store call was cut off by the lease, which is a step-down, not a store
// failure. Call it before cancelling bounded.
func outlived(ctx, bounded context.Context) bool {
	return errors.Is(bounded.Err(), context.DeadlineExceeded) && ctx.Err() == nil
}

// check checks one dossier; it returns an error only when the store
// fails, not when the dossier cannot be checked (logged and counted).
func (w *Watcher) check(ctx context.Context, d *engine.Dossier, at time.Time, rep *Report) error {
	env, err := w.Engine.EnvFor(d)
	if err != nil {
		rep.Errors++
		w.logger().Error("sweep: no procedure for dossier", "code", d.Code, "procedure", d.Procedure, "version", d.ProcedureVersion, "err", err)
		return nil
	}
	dec, changed, err := engine.Check(env, d, at)
	if err != nil {
		rep.Errors++
		w.logger().Error("sweep: check failed", "code", d.Code, "err", err)
		return nil
	}
	if !changed {
		return nil
	}
	nd := dec.Dossier
	nd.Version = d.Version + 1
	if dec.Row.Seq > 0 {
		err = w.Store.Apply(ctx, nd, d.Version, dec.Notifications)
	} else {
		// Alarms only, no history row: the store's write of the alarm
		// fields alone (Apply's contract wants exactly one new row).
		err = w.Store.ApplyAlarms(ctx, nd, d.Version, dec.Notifications)
	}
	var conflict *engine.ConflictError
	switch {
	case errors.As(err, &conflict):
		// Someone else changed the dossier since it was read: an officer
		// acted, or another sweeper fired the same rungs. The next sweep
		// recomputes from the new version.
		rep.Conflicts++
		return nil
	case err != nil:
		return fmt.Errorf("sweep %s: %w", d.Code, err)
	}
	rep.Applied++
	rep.Notifications = append(rep.Notifications, dec.Notifications...)
	if dec.Row.Seq > 0 {
		rep.Actions = append(rep.Actions, Fired{Code: d.Code, Action: dec.Row.Action, From: dec.Row.FromState, To: dec.Row.ToState})
	}
	return nil
}

// Run sweeps and sends digests on the cron schedules, in the calendar's
// zone, while this process holds the lease; it returns when ctx ends,
// after the scheduled runs have finished and the lease is resigned.
//
// One goroutine owns the lease's term (Lease.Run); the sweep and the
// digest only read its trust window, so they cannot race on it.
func (w *Watcher) Run(ctx context.Context) error {
	if w.Lease == nil {
		w.Lease = &Lease{Store: w.Store, Holder: holderID(), Now: w.Now, Logger: w.Logger}
	}
	if w.Lease.Store == nil {
		w.Lease.Store = w.Store
	}
	if w.Lease.Now == nil {
		// The jobs compare the trust window with the Watcher's clock.
		w.Lease.Now = w.Now
	}
	c := cron.New(cron.WithLocation(w.Engine.Calendar.Location()))
	spec := w.SweepSpec
	if spec == "" {
		spec = "@every 1m"
	}
	if _, err := c.AddFunc(spec, func() { w.tick(ctx) }); err != nil {
		return fmt.Errorf("sweep schedule %q: %w", spec, err)
	}
	dspec := w.DigestSpec
	if dspec == "" {
		dspec = "30 7 * * *"
	}
	if dspec != "-" {
		if _, err := c.AddFunc(dspec, func() { w.digestTick(ctx) }); err != nil {
			return fmt.Errorf("digest schedule %q: %w", dspec, err)
		}
	}
	// The term outlives the jobs: it is resigned only once they have
	// stopped, so that no job acts on a lease already handed on.
	lctx, stopLease := context.WithCancel(context.WithoutCancel(ctx))
	leaseDone := make(chan struct{})
	go func() {
		defer close(leaseDone)
		w.Lease.Run(lctx)
	}()
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	stopLease()
	<-leaseDone
	return nil
}

// tick is one scheduled sweep, by the lease holder only: Run's job, and
// the entry tests call instead of waiting on a schedule.
func (w *Watcher) tick(ctx context.Context) {
	w.runJob(ctx, &w.sweepJob, "sweep", func(ctx context.Context, now time.Time) {
		rep, err := w.sweep(ctx, now, w.Lease)
		if err != nil && ctx.Err() == nil {
			w.logger().Error("sweep", "err", err)
		}
		if rep.SteppedDown {
			w.logger().Warn("sweep stopped: lease no longer trusted", "holder", w.Lease.Holder)
		}
		if w.OnSweep != nil {
			w.OnSweep(rep, err)
		}
		w.testSignals.Swept.Signal(rep)
	})
}

// digestTick is one scheduled digest, by the lease holder only. The
// digest is a handful of store calls; they share the deadline of the
// trust left when it starts.
func (w *Watcher) digestTick(ctx context.Context) {
	w.runJob(ctx, &w.digestJob, "digest", func(ctx context.Context, now time.Time) {
		dctx, cancel, ok := w.Lease.bound(ctx, now)
		defer cancel()
		if !ok {
			return // runJob checked the trust at the same instant
		}
		n, err := w.DigestOnce(dctx, now)
		if err != nil && ctx.Err() == nil {
			w.logger().Error("digest", "err", err)
		}
		w.testSignals.Digested.Signal(n)
	})
}

// runJob runs one scheduled run of j unless the previous one is still
// going or the lease is not trusted now; a skipped run is logged and
// counted.
func (w *Watcher) runJob(ctx context.Context, j *job, name string, run func(context.Context, time.Time)) {
	if !j.running.CompareAndSwap(false, true) {
		j.skippedRunning.Add(1)
		w.logger().Warn(name+" skipped: the previous one is still running", "job", name)
		w.skipped(name, SkipRunning)
		return
	}
	defer j.running.Store(false)
	now := w.Now.Time()
	if !w.Lease.Trusted(now) {
		// Every tick of every process but one: not worth more than debug.
		j.skippedUntrusted.Add(1)
		w.logger().Debug(name+" skipped: the lease is not held here", "job", name, "holder", w.Lease.Holder)
		w.skipped(name, SkipNotTrusted)
		return
	}
	run(ctx, now)
}

func (w *Watcher) skipped(job, reason string) {
	if w.OnSkip != nil {
		w.OnSkip(job, reason)
	}
	w.testSignals.Skipped.Signal(job + "/" + reason)
}

// HolderID names this process for a lease: host, process id and a
// random suffix, so that two processes never share a holder.
func HolderID() string { return holderID() }

// holderID names this process for the lease: host, pid and a random
// suffix, so that a restarted process is a new holder.
func holderID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}
