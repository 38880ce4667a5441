package portalsync_test

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine/portalsync"
)

// jumbled wraps the test receiver: it answers each record after a delay
// of 0–7 ms chosen by the record id, so answers come back in another order
// than the requests went, refuses the first attempt of one record in four
// with a 503, and checks the rule that concurrency must not break: no
// request for a dossier while another for the same dossier is in flight.
type jumbled struct {
	next      http.Handler
	mu        sync.Mutex
	inFlight  map[string]int
	attempted map[string]bool
	overlaps  []string
	maxAtOnce int
	atOnce    int
	// second is closed when two requests are in flight at once; the first
	// request waits for it, so that a dispatcher sending one at a time is
	// caught rather than lucky.
	second chan struct{}
	once   sync.Once
}

func (j *jumbled) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	id := req.Header.Get(portalsync.HeaderRecordID)
	dossier := req.Header.Get(portalsync.HeaderDossier)
	j.mu.Lock()
	j.inFlight[dossier]++
	if j.inFlight[dossier] > 1 {
		j.overlaps = append(j.overlaps, fmt.Sprintf("%s while another record of %s was in flight", id, dossier))
	}
	j.atOnce++
	j.maxAtOnce = max(j.maxAtOnce, j.atOnce)
	first := j.atOnce == 1 && len(j.attempted) == 0
	if j.atOnce > 1 {
		j.once.Do(func() { close(j.second) })
	}
	refuse := !j.attempted[id] && hash(id)%4 == 0
	j.attempted[id] = true
	j.mu.Unlock()
	defer func() {
		j.mu.Lock()
		j.inFlight[dossier]--
		j.atOnce--
		j.mu.Unlock()
	}()
	if first {
		select {
		case <-j.second:
		case <-time.After(10 * time.Second):
			// Not an assertion on time: a serial dispatcher never sends
			// a second request, and the test must end to say so.
		}
	}
	time.Sleep(time.Duration(hash(id)%8) * time.Millisecond) // a simulated uneven network, not a synchronisation
	if refuse {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	j.next.ServeHTTP(w, req)
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// TestConcurrentDeliveryKeepsEachDossiersOrder: with eight workers, a
// receiver answering out of order and refusing some first attempts, and
// forty dossiers changed before the dispatcher runs, records of different
// dossiers are in flight together, yet no dossier ever has two in flight,
// and every dossier's records arrive exactly once, in order.
func TestConcurrentDeliveryKeepsEachDossiersOrder(t *testing.T) {
	b := setup(t, t.TempDir())
	j := &jumbled{next: b.recv, inFlight: map[string]int{}, attempted: map[string]bool{}, second: make(chan struct{})}
	b.delivery.URL = startServer(t, j).URL
	b.disp.Workers = 8
	want := map[string][]int{}
	for i := range 20 {
		for code, statuses := range scenario(t, b, fmt.Sprintf("Người nộp %d", i)) {
			want[code] = statuses
		}
	}
	b.drain(t)
	checkArrived(t, b.recv, want)
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, o := range j.overlaps {
		t.Error(o)
	}
	if j.maxAtOnce < 2 {
		t.Errorf("at most %d request(s) in flight at once: delivery is not concurrent", j.maxAtOnce)
	}
	if b.delivery.Failures() == 0 {
		t.Error("no first attempt was refused: the retry path was not exercised")
	}
}
