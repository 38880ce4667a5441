package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua/engine"
)

// Recipient is a person resolved from the directory at send time.
type Recipient struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	// Phone is the applicant's, for the SMS channel; staff have none.
	Phone string `json:"phone,omitempty"`
}

// Message is a rendered notification, ready for a channel.
type Message struct {
	// ID is the idempotency key: the notification ID, the same on every
	// attempt.
	ID           string
	Notification engine.Notification
	// Recipients are the notification's people as the directory knows
	// them now; ids unknown to the directory are left out.
	Recipients []Recipient
	Subject    string
	Body       string
	// SMS is the text of an SMS, folded to GSM-7; empty when the
	// template has no "sms" part (the staff's notices).
	SMS string
	// Link points at the dossier when a base URL is configured.
	Link string
	Lang string
}

// Channel delivers messages: e-mail, a webhook, a log.
type Channel interface {
	// Name identifies the channel; a notification whose Channel is set
	// goes only to the channel of that name.
	Name() string
	// Send delivers m once. An error means it was not delivered and will
	// be retried; the retry carries the same m.ID.
	Send(ctx context.Context, m Message) error
}

// Dispatcher sends the pending notifications of a store's outbox.
type Dispatcher struct {
	// Store holds the outbox.
	Store engine.Store
	// Channels are tried in order; a notification is sent when every
	// channel it is meant for accepted it.
	Channels []Channel
	// Directory resolves person ids to names and e-mail addresses.
	Directory *engine.Directory
	// Templates renders subjects and bodies; nil means the embedded
	// Vietnamese defaults.
	Templates *Templates
	// Now is the clock (nil: the system clock); a Lease's trust window
	// is read on it.
	Now engine.Clock
	// Backoff returns the wait before the next attempt after the n-th
	// failed one (n ≥ 1); default DefaultBackoff.
	Backoff func(n int) time.Duration
	// MaxAttempts is the retry budget: after that many failed attempts a
	// notification is marked failed (default 10, about 17 hours with
	// the default backoff).
	MaxAttempts int
	// BatchSize bounds the notifications read per DispatchOnce (default 100).
	BatchSize int
	// Workers bounds the notifications of different dossiers in flight at
	// once in a round (workers.go); 0 or 1 sends one at a time, in the
	// order read. A dossier's own notifications always go one after the
	// other.
	Workers int
	// Interval is Run's pause between rounds when the outbox is drained
	// (default 15 s).
	Interval time.Duration
	// Logger receives one line per failure; nil discards.
	Logger *slog.Logger
	// Lease, if set, elects the dispatching process among those sharing
	// one store: Run owns its term (Lease.Run) and skips the rounds it
	// does not trust, and every send and store call under it is checked
	// against, and bounded by, the trust left. Several dispatchers on one
	// outbox would each send a message before either marks it sent: the
	// idempotency key lets receivers drop the copy, the lease avoids it.
	Lease Lease
	// Routes deliver the notifications of their kind instead of the
	// templates and Channels (the portal's sync records, route.go).
	Routes map[string]Route

	skipped atomic.Int64
	held    atomic.Int64
}

// Lease is an election among processes sharing one store; watch.Lease is
// one. Run owns the term until ctx ends, then resigns it; TrustedUntil is
// the end of the window in which this process may act on it (the zero
// time: not elected), safe to read while Run runs.
type Lease interface {
	Run(ctx context.Context) error
	TrustedUntil() time.Time
}

// ErrNotTrusted is returned by DispatchOnce when the Lease's trust ended
// in the middle of a batch: the rest is left pending for the next holder.
var ErrNotTrusted = errors.New("dispatch lease no longer trusted")

// DefaultBackoff waits 1 minute after the first failure, doubling up to
// 4 hours.
func DefaultBackoff(n int) time.Duration {
	d := time.Minute
	for i := 1; i < n && d < 4*time.Hour; i++ {
		d *= 2
	}
	return min(d, 4*time.Hour)
}

// Skipped returns how many of Run's rounds were skipped because this
// process held no trusted lease.
func (d *Dispatcher) Skipped() int64 { return d.skipped.Load() }

// underLease bounds ctx by the Lease's trust left now; ok is false when
// none is left. Without a Lease ctx is returned as is.
func (d *Dispatcher) underLease(ctx context.Context) (_ context.Context, _ context.CancelFunc, ok bool) {
	if d.Lease == nil {
		return ctx, func() {}, true
	}
	left := d.Lease.TrustedUntil().Sub(d.Now.Time())
	if left <= 0 {
		return ctx, func() {}, false
	}
	bctx, cancel := context.WithTimeout(ctx, left)
	return bctx, cancel, true
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// outlived reports whether bounded, derived from ctx by underLease, ended
// because the lease's trust ran out rather than because ctx did. Call it
// before cancelling bounded.
func outlived(ctx, bounded context.Context) bool {
	return errors.Is(bounded.Err(), context.DeadlineExceeded) && ctx.Err() == nil
}

// DispatchOnce sends the notifications pending at now, one batch. It
// returns how many were sent and how many attempts failed in this round
// (those are retried later or, past the budget, marked failed). err is
// set when the store itself fails, or, with a Lease, when its trust ends
// before the batch does (ErrNotTrusted).
//
// With a Lease, trust is checked again before each message, not once per
// batch, and the read, each send and each record take their deadline
// from the trust left: with a 30 s SMTP timeout a batch of 100 can take
// longer than the lease lives, and a send still going when the next
// holder starts would go out twice.
func (d *Dispatcher) DispatchOnce(ctx context.Context, now time.Time) (sent, failed int, err error) {
	batch := d.BatchSize
	if batch <= 0 {
		batch = 100
	}
	rctx, cancel, ok := d.underLease(ctx)
	if !ok {
		return 0, 0, ErrNotTrusted
	}
	ns, err := d.Store.PendingNotifications(rctx, now, batch)
	cutOff := outlived(ctx, rctx)
	cancel()
	if cutOff {
		return 0, 0, ErrNotTrusted
	}
	if err != nil {
		return 0, 0, fmt.Errorf("pending notifications: %w", err)
	}
	return d.dispatch(ctx, ns, now)
}

// outcome is what became of one notification of a round.
type outcome int

const (
	// untouched: held behind an earlier notification, or not attempted;
	// neither sent nor a failed attempt.
	untouched outcome = iota
	delivered
	attemptFailed
)

// dispatchOne sends n, read from the outbox in this round, and records
// the attempt. err stops the round: the context ended, the lease's trust
// ended (ErrNotTrusted), or the store failed.
func (d *Dispatcher) dispatchOne(ctx context.Context, n engine.Notification, now time.Time) (outcome, error) {
	read := n
	if ctx.Err() != nil {
		return untouched, ctx.Err()
	}
	sctx, cancel, ok := d.underLease(ctx)
	if !ok {
		return untouched, ErrNotTrusted
	}
	route := d.Routes[n.Kind]
	if route != nil {
		if held, err := d.hold(sctx, route, n, read, now); held || err != nil {
			cancel()
			return untouched, err
		}
	}
	serr := d.deliver(sctx, route, n)
	cutOff := outlived(ctx, sctx)
	cancel()
	if serr != nil && cutOff {
		// Cut off by the end of the trust, not refused by the channel:
		// not an attempt to count; the next holder sends it.
		return untouched, ErrNotTrusted
	}
	result := delivered
	n.Attempts++
	if serr == nil {
		n.Status, n.SentAt, n.LastError = engine.NotificationSent, new(now.UTC()), ""
	} else {
		result = attemptFailed
		n.LastError = truncate(serr.Error(), 500)
		if n.Attempts >= d.maxAttempts() {
			n.Status = engine.NotificationFailed
		} else {
			n.NextAttempt = now.Add(d.backoff(n.Attempts)).UTC()
		}
		d.logger().Warn("notification not delivered", "id", n.ID, "attempt", n.Attempts, "status", n.Status, "err", serr)
	}
	uctx, cancel, ok := d.underLease(ctx)
	if !ok {
		// Sent, or failed, after the trust ended: the next holder
		// sends it again, with the same idempotency key.
		return result, ErrNotTrusted
	}
	err := d.Store.UpdateNotification(uctx, n, read)
	cutOff = outlived(ctx, uctx)
	cancel()
	if err != nil && cutOff {
		return result, ErrNotTrusted
	}
	if changed := (*engine.NotificationChangedError)(nil); errors.As(err, &changed) {
		// Another dispatcher recorded this one since it was read (two
		// lease holders overlapping): its record stands, ours is
		// dropped, and the round goes on with the next.
		d.logger().Warn("notification recorded by another dispatcher", "id", n.ID)
		return result, nil
	}
	if err != nil {
		// The message may have gone out: it will go again, with the
		// same idempotency key.
		return result, fmt.Errorf("record delivery of %s: %w", n.ID, err)
	}
	return result, nil
}

func (d *Dispatcher) maxAttempts() int {
	if d.MaxAttempts > 0 {
		return d.MaxAttempts
	}
	return 10
}

func (d *Dispatcher) backoff(n int) time.Duration {
	if d.Backoff != nil {
		return d.Backoff(n)
	}
	return DefaultBackoff(n)
}

// send renders n and hands it to each channel it is meant for.
func (d *Dispatcher) send(ctx context.Context, n engine.Notification) error {
	tpl := d.Templates
	if tpl == nil {
		tpl = Default()
	}
	m, err := tpl.Message(n, d.Directory)
	if err != nil {
		return err
	}
	var errs []error
	matched := false
	for _, c := range d.Channels {
		if n.Channel != "" && n.Channel != c.Name() {
			continue
		}
		matched = true
		if err := c.Send(ctx, m); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Name(), err))
		}
	}
	if !matched {
		return fmt.Errorf("no channel named %q is configured", n.Channel)
	}
	return errors.Join(errs...)
}

// Run dispatches until ctx ends: a round every Interval, at once again
// while rounds come back full. With a Lease, Run owns its term and, once
// the rounds have stopped, resigns it, so that a restarted process can
// take over at once.
func (d *Dispatcher) Run(ctx context.Context) error {
	if d.Lease != nil {
		lctx, stopLease := context.WithCancel(context.WithoutCancel(ctx))
		leaseDone := make(chan struct{})
		go func() {
			defer close(leaseDone)
			d.Lease.Run(lctx)
		}()
		defer func() {
			stopLease()
			<-leaseDone
		}()
	}
	interval := d.Interval
	if interval <= 0 {
		interval = 15 * time.Second
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		next := interval
		if d.runOnce(ctx) {
			next = 0 // more are waiting
		}
		t.Reset(next)
	}
}

// runOnce is one of Run's rounds; it reports whether the batch came back
// full, so more may be waiting.
func (d *Dispatcher) runOnce(ctx context.Context) (more bool) {
	now := d.Now.Time()
	if d.Lease != nil && !now.Before(d.Lease.TrustedUntil()) {
		// Every round of every process but one: not worth more than debug.
		d.skipped.Add(1)
		d.logger().Debug("dispatch round skipped: the lease is not held here")
		return false
	}
	batch := d.BatchSize
	if batch <= 0 {
		batch = 100
	}
	held := d.held.Load()
	sent, failed, err := d.DispatchOnce(ctx, now)
	held = d.held.Load() - held
	switch {
	case errors.Is(err, ErrNotTrusted):
		d.logger().Warn("dispatch stopped: lease no longer trusted", "sent", sent, "failed", failed)
		return false
	case err != nil && ctx.Err() == nil:
		d.logger().Error("dispatch", "err", err)
	}
	return err == nil && sent+failed+int(held) >= batch
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
