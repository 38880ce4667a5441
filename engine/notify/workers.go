package notify

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/motcua/motcua/engine"
)

// Concurrent delivery.
//
// One message at a time, a round is as slow as the sum of its receivers'
// answers: with a portal answering in 10 ms and a durable write per
// acknowledgement, about 40 sync records a second, far below what a
// province's desks produce at a peak. Order is owed only within a dossier
// (the portal must never see record n+1 before record n), so a round is
// cut into lanes, one per dossier, each lane sent in the order read, and
// Workers lanes go at once. A lane's next message is taken only once the
// previous one's attempt is recorded, so the route's Hold, which reads the
// store, sees it acknowledged and does not hold its successor. The
// acknowledgements of concurrent lanes reach the store together; the
// embedded store's group commit gives them one fsync.

// lanes groups ns by dossier, each lane in the order read, the lanes in
// the order of their first message. A notification without a dossier is
// a lane of its own.
func lanes(ns []engine.Notification) [][]engine.Notification {
	index := make(map[string]int)
	var out [][]engine.Notification
	for _, n := range ns {
		if n.Dossier == "" {
			out = append(out, []engine.Notification{n})
			continue
		}
		i, ok := index[n.Dossier]
		if !ok {
			i = len(out)
			index[n.Dossier] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], n)
	}
	return out
}

// dispatch sends a round's notifications, read at now. With Workers ≤ 1
// they go one at a time in the order read, as they always did. Otherwise
// lanes go concurrently; the first error stops every worker before its
// next message (the messages in flight finish and are recorded) and is
// returned, a store or lease error before the context's own.
func (d *Dispatcher) dispatch(ctx context.Context, ns []engine.Notification, now time.Time) (sent, failed int, err error) {
	count := func(o outcome) {
		switch o {
		case delivered:
			sent++
		case attemptFailed:
			failed++
		}
	}
	ls := lanes(ns)
	if d.Workers <= 1 || len(ls) <= 1 {
		// One at a time: asked for, or one dossier's records, which go
		// in order anyway.
		for _, n := range ns {
			o, err := d.dispatchOne(ctx, n, now)
			count(o)
			if err != nil {
				return sent, failed, err
			}
		}
		return sent, failed, nil
	}
	todo := make(chan []engine.Notification)
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	stop := make(chan struct{})
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if first == nil {
			close(stop)
		}
		// The lease's end or the store's failure says more than the
		// context cancelled behind it.
		if first == nil || (errors.Is(first, ctx.Err()) && !errors.Is(err, ctx.Err())) {
			first = err
		}
	}
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return false
		}
	}
	for range min(d.Workers, len(ls)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lane := range todo {
				for _, n := range lane {
					if stopped() {
						break
					}
					o, err := d.dispatchOne(ctx, n, now)
					mu.Lock()
					count(o)
					mu.Unlock()
					if err != nil {
						fail(err)
						break
					}
				}
			}
		}()
	}
feed:
	for _, lane := range ls {
		select {
		case todo <- lane:
		case <-stop:
			break feed
		}
	}
	close(todo)
	wg.Wait()
	return sent, failed, first
}
