package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua/engine"
)

// Route delivers one kind of notification itself, bypassing templates
// and channels: the portal's sync records are a JSON contract, not a
// message for people, and must reach their receiver in order.
type Route interface {
	// Hold reports whether n must wait, and until when, because an
	// earlier notification it must follow is still pending. A held
	// notification is not attempted and its attempt is not counted.
	Hold(ctx context.Context, n engine.Notification, now time.Time) (until time.Time, hold bool, err error)
	// Deliver sends n once; an error means not delivered (retried with
	// the same ID, as any notification).
	Deliver(ctx context.Context, n engine.Notification) error
}

// Held returns how many notifications the Routes held back, over all
// rounds.
func (d *Dispatcher) Held() int64 { return d.held.Load() }

// hold asks route whether n must wait. A held n whose predecessor waits
// for a later attempt is moved to that instant, so that it does not come
// back at the head of every batch before it may go.
func (d *Dispatcher) hold(ctx context.Context, route Route, n, read engine.Notification, now time.Time) (bool, error) {
	until, held, err := route.Hold(ctx, n, now)
	if err != nil {
		return false, fmt.Errorf("hold %s: %w", n.ID, err)
	}
	if !held {
		return false, nil
	}
	d.held.Add(1)
	if until.After(n.NextAttempt) {
		n.NextAttempt = until.UTC()
		err := d.Store.UpdateNotification(ctx, n, read)
		if changed := (*engine.NotificationChangedError)(nil); err != nil && !errors.As(err, &changed) {
			return true, fmt.Errorf("hold %s: %w", n.ID, err)
		}
	}
	return true, nil
}

// deliver sends n through its route, or renders it for the channels.
func (d *Dispatcher) deliver(ctx context.Context, route Route, n engine.Notification) error {
	if route != nil {
		return route.Deliver(ctx, n)
	}
	return d.send(ctx, n)
}
