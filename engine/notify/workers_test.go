package notify_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/notify"
)

// ordered is a Route that never holds, so that a dossier's order can come
// only from the dispatcher's lanes; it records each dossier's deliveries
// in call order and any delivery that began while another of the same
// dossier was in flight.
type ordered struct {
	mu       sync.Mutex
	got      map[string][]string
	inFlight map[string]bool
	overlaps []string
}

func (r *ordered) Hold(context.Context, engine.Notification, time.Time) (time.Time, bool, error) {
	return time.Time{}, false, nil
}

func (r *ordered) Deliver(_ context.Context, n engine.Notification) error {
	r.mu.Lock()
	if r.inFlight[n.Dossier] {
		r.overlaps = append(r.overlaps, n.ID)
	}
	r.inFlight[n.Dossier] = true
	r.got[n.Dossier] = append(r.got[n.Dossier], n.ID)
	r.mu.Unlock()
	runtime.Gosched() // let the other workers run while this one is in flight
	r.mu.Lock()
	r.inFlight[n.Dossier] = false
	r.mu.Unlock()
	return nil
}

// records returns dossiers × each sync records, ids sorting in each
// dossier's order.
func records(dossiers, each int) []engine.Notification {
	var ns []engine.Notification
	for d := range dossiers {
		for i := range each {
			ns = append(ns, engine.Notification{
				ID: fmt.Sprintf("D%02d/%04d", d, i+1), Dossier: fmt.Sprintf("D%02d", d), Kind: engine.NotePortalSync,
				Status: engine.NotificationPending, At: t0,
			})
		}
	}
	return ns
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// TestWorkersKeepEachDossiersOrder: with four workers and a route that
// never holds, each dossier's notifications are still sent one after the
// other in the order read, and all of them are sent in one round.
func TestWorkersKeepEachDossiersOrder(t *testing.T) {
	ns := records(6, 4)
	o := newOutbox(ns...)
	r := &ordered{got: map[string][]string{}, inFlight: map[string]bool{}}
	d := &notify.Dispatcher{Store: o, Workers: 4, Routes: map[string]notify.Route{engine.NotePortalSync: r}}
	sent, failed, err := d.DispatchOnce(context.Background(), t0)
	if err != nil || sent != len(ns) || failed != 0 {
		t.Fatalf("sent %d failed %d err %v; want %d sent", sent, failed, err, len(ns))
	}
	for _, id := range r.overlaps {
		t.Errorf("%s was sent while an earlier notification of its dossier was in flight", id)
	}
	for dossier, ids := range r.got {
		for i, id := range ids {
			if want := fmt.Sprintf("%s/%04d", dossier, i+1); id != want {
				t.Errorf("%s: delivery %d was %s, want %s", dossier, i+1, id, want)
			}
		}
	}
	for _, n := range ns {
		if got := o.get(n.ID); got.Status != engine.NotificationSent {
			t.Errorf("%s is %s, want sent", n.ID, got.Status)
		}
	}
}

// TestWorkersStopAtStoreFailure: when recording an attempt fails, the
// round stops and says so. The store here fails every update, so that
// the bound does not depend on scheduling: each worker sees its own first
// failure and takes nothing more, so at most one notification per worker
// went out, and every notification is still pending (none was recorded).
func TestWorkersStopAtStoreFailure(t *testing.T) {
	ns := records(12, 2)
	o := newOutbox(ns...)
	o.failUpdates = len(ns)
	r := &ordered{got: map[string][]string{}, inFlight: map[string]bool{}}
	const workers = 4
	d := &notify.Dispatcher{Store: o, Workers: workers, Routes: map[string]notify.Route{engine.NotePortalSync: r}}
	_, _, err := d.DispatchOnce(context.Background(), t0)
	if err == nil {
		t.Fatal("the round reported no error though the store failed")
	}
	went := 0
	for _, ids := range r.got {
		went += len(ids)
	}
	if went > workers {
		t.Errorf("%d notifications went out though the store failed, want at most %d (one per worker)", went, workers)
	}
	pending := 0
	for _, n := range ns {
		if o.get(n.ID).Status == engine.NotificationPending {
			pending++
		}
	}
	if pending != len(ns) {
		t.Errorf("%d notifications left pending, want all %d", pending, len(ns))
	}
}
