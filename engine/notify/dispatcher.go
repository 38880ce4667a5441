package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
)

// Recipient is a person resolved from the directory at send time.
type Recipient struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
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
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Backoff returns the wait before the next attempt after the n-th
	// failed one (n ≥ 1); default DefaultBackoff.
	Backoff func(n int) time.Duration
	// MaxAttempts is the retry budget: after that many failed attempts a
	// notification is marked failed (default 10, about 17 hours with
	// the default backoff).
	MaxAttempts int
	// BatchSize bounds the notifications read per DispatchOnce (default 100).
	BatchSize int
	// Interval is Run's pause between rounds when the outbox is drained
	// (default 15 s).
	Interval time.Duration
	// Logger receives one line per failure; nil discards.
	Logger *slog.Logger
	// Elect, if set, is asked before each of Run's rounds whether this
	// process may dispatch (a lease among processes sharing one store);
	// a round it refuses is skipped. Several dispatchers on one outbox
	// would each send a message before either marks it sent: the
	// idempotency key lets receivers drop the copy, the lease avoids it.
	Elect func(ctx context.Context, now time.Time) (bool, error)
}

// DefaultBackoff waits 1 minute after the first failure, doubling up to
// 4 hours.
func DefaultBackoff(n int) time.Duration {
	d := time.Minute
	for i := 1; i < n && d < 4*time.Hour; i++ {
		d *= 2
	}
	return min(d, 4*time.Hour)
}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// DispatchOnce sends the notifications pending at now, one batch. It
// returns how many were sent and how many attempts failed in this round
// (those are retried later or, past the budget, marked failed). err is
// set only when the store itself fails.
func (d *Dispatcher) DispatchOnce(ctx context.Context, now time.Time) (sent, failed int, err error) {
	batch := d.BatchSize
	if batch <= 0 {
		batch = 100
	}
	ns, err := d.Store.PendingNotifications(ctx, now, batch)
	if err != nil {
		return 0, 0, fmt.Errorf("pending notifications: %w", err)
	}
	for _, n := range ns {
		if ctx.Err() != nil {
			return sent, failed, ctx.Err()
		}
		serr := d.send(ctx, n)
		n.Attempts++
		if serr == nil {
			n.Status, n.SentAt, n.LastError = engine.NotificationSent, new(now.UTC()), ""
			sent++
		} else {
			failed++
			n.LastError = truncate(serr.Error(), 500)
			if n.Attempts >= d.maxAttempts() {
				n.Status = engine.NotificationFailed
			} else {
				n.NextAttempt = now.Add(d.backoff(n.Attempts)).UTC()
			}
			d.logger().Warn("notification not delivered", "id", n.ID, "attempt", n.Attempts, "status", n.Status, "err", serr)
		}
		if err := d.Store.UpdateNotification(ctx, n); err != nil {
			// The message may have gone out: it will go again, with the
			// same idempotency key.
			return sent, failed, fmt.Errorf("record delivery of %s: %w", n.ID, err)
		}
	}
	return sent, failed, nil
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
// while rounds come back full.
func (d *Dispatcher) Run(ctx context.Context) error {
	interval := d.Interval
	if interval <= 0 {
		interval = 15 * time.Second
	}
	batch := d.BatchSize
	if batch <= 0 {
		batch = 100
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		now := d.now()
		if d.Elect != nil {
			ok, err := d.Elect(ctx, now)
			if err != nil && ctx.Err() == nil {
				d.logger().Error("dispatch lease", "err", err)
			}
			if !ok {
				t.Reset(interval)
				continue
			}
		}
		sent, failed, err := d.DispatchOnce(ctx, now)
		if err != nil && ctx.Err() == nil {
			d.logger().Error("dispatch", "err", err)
		}
		next := interval
		if err == nil && sent+failed >= batch {
			next = 0 // more are waiting
		}
		t.Reset(next)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
