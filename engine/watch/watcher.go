package watch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/motcua/motcua/engine"
)

// Watcher sweeps dossiers whose deadline work is due and sends unit heads
// their daily digest.
type Watcher struct {
	// Store is read through DueForCheck and written through Apply.
	Store engine.Store
	// Engine provides the catalog, directory and calendar a dossier is
	// checked against (its Store is not used).
	Engine *engine.Engine
	// Now is the clock for Run (default time.Now); SweepOnce and
	// DigestOnce take their instant as an argument.
	Now func() time.Time
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
	// holder id.
	Lease *Lease
	// OnSweep, if set, is called after each sweep Run makes: for logs,
	// metrics and tests.
	OnSweep func(Report, error)
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

func (w *Watcher) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
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
// longer trusted (checked before each write, against the real clock).
func (w *Watcher) sweep(ctx context.Context, at time.Time, lease *Lease) (Report, error) {
	rep := Report{At: at}
	var cursor engine.Cursor
	n := w.pageSize()
	for {
		page, err := w.Store.DueForCheck(ctx, at, cursor, n)
		if err != nil {
			return rep, fmt.Errorf("sweep at %s: %w", at.Format(time.RFC3339), err)
		}
		for _, d := range page {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			cursor = engine.Cursor{At: *d.NextCheckAt, Code: d.Code}
			if lease != nil && !lease.Trusted(w.now()) {
				rep.SteppedDown = true
				return rep, nil
			}
			rep.Checked++
			if err := w.check(ctx, d, at, &rep); err != nil {
				return rep, err
			}
		}
		if len(page) < n {
			return rep, nil
		}
	}
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
// zone, while this process holds the lease; it returns when ctx ends.
func (w *Watcher) Run(ctx context.Context) error {
	if w.Lease == nil {
		w.Lease = &Lease{Store: w.Store, Holder: holderID()}
	}
	if w.Lease.Store == nil {
		w.Lease.Store = w.Store
	}
	c := cron.New(cron.WithLocation(w.Engine.Calendar.Location()),
		cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
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
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// tick is one scheduled sweep, by the lease holder only.
func (w *Watcher) tick(ctx context.Context) {
	now := w.now()
	ok, err := w.Lease.Acquire(ctx, now)
	if err != nil {
		w.logger().Error("watch lease", "err", err)
	}
	if !ok {
		return
	}
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
}

func (w *Watcher) digestTick(ctx context.Context) {
	now := w.now()
	if ok, err := w.Lease.Acquire(ctx, now); err != nil || !ok {
		return
	}
	if _, err := w.DigestOnce(ctx, now); err != nil && ctx.Err() == nil {
		w.logger().Error("digest", "err", err)
	}
}

// holderID names this process for the lease: host, pid and a random
// suffix, so that a restarted process is a new holder.
// HolderID names this process for a lease: host, process id and a
// random suffix, so that two processes never share a holder.
func HolderID() string { return holderID() }

func holderID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}
