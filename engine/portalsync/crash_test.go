package portalsync_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/notify"
	"github.com/motcua/motcua/engine/portalsync"
	"github.com/motcua/motcua/engine/sqlitestore"
)

func TestMain(m *testing.M) {
	if os.Getenv("MOTCUA_PORTALSYNC_HELPER") == "deliver" {
		deliverUntilKilled(os.Getenv("MOTCUA_DIR"), os.Getenv("MOTCUA_PORTAL_URL"))
		return
	}
	os.Exit(m.Run())
}

// deliverUntilKilled is the helper process of TestKillMidDelivery: it
// dispatches the outbox of the store in dir to url, round after round,
// until the test kills it.
func deliverUntilKilled(dir, url string) {
	s, err := sqlitestore.Open(dir)
	if err != nil {
		os.Stderr.WriteString(err.Error())
		os.Exit(1)
	}
	disp := &notify.Dispatcher{
		Store: s, BatchSize: 20, Channels: []notify.Channel{sink{}},
		Routes: map[string]notify.Route{engine.NotePortalSync: &portalsync.Delivery{Store: s, URL: url, Token: "bi-mat"}},
	}
	for {
		if _, _, err := disp.DispatchOnce(context.Background(), time.Now()); err != nil {
			os.Stderr.WriteString(err.Error())
			os.Exit(1)
		}
	}
}

// TestKillMidDelivery kills (SIGKILL) a process while the receiver holds
// one of its POSTs: the receiver has the record, the process never learns
// it. After the kill a fresh dispatcher delivers the rest: every change of
// every dossier arrived, in order per dossier, the only duplicate is the
// record in flight at the kill, with its own record id, and it is counted.
func TestKillMidDelivery(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a helper process")
	}
	dir := t.TempDir()
	b := setup(t, dir)
	want := map[string][]int{}
	for i := range 8 {
		for code, st := range scenario(t, b, fmt.Sprintf("Người nộp %d", i)) {
			want[code] = st
		}
	}
	if err := b.store.Close(); err != nil {
		t.Fatal(err)
	}

	// The 40th record is taken and kept, then the process is killed
	// before it can hear the answer.
	// The process reaches the handler through a channel: the race
	// detector cannot see that the child's request follows its start.
	started := make(chan *os.Process, 1)
	var once sync.Once
	killed := make(chan struct{})
	n := 0
	inner := b.recv
	srv := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner.mu.Lock()
		n++
		kill, dead := n == 40, n > 40
		inner.mu.Unlock()
		switch {
		case dead:
			http.Error(w, "the process is dead", http.StatusServiceUnavailable)
		case kill:
			inner.ServeHTTP(&discard{header: http.Header{}}, r)
			once.Do(func() {
				_ = (<-started).Kill()
				close(killed)
			})
			// The answer goes nowhere.
		default:
			inner.ServeHTTP(w, r)
		}
	}))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "MOTCUA_PORTALSYNC_HELPER=deliver", "MOTCUA_DIR="+dir, "MOTCUA_PORTAL_URL="+srv.URL)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	started <- cmd.Process
	select {
	case <-killed:
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("the helper never reached the 40th record: %s", stderr.String())
	}
	_ = cmd.Wait()
	if got := len(inner.got); got != 40 {
		t.Fatalf("%d records before the kill, want 40", got)
	}

	// Restart: a new process (here, this one) on the same folder.
	c := setup(t, dir)
	c.recv = inner
	c.delivery.URL = startServer(t, inner).URL
	c.drain(t)
	checkArrived(t, inner, want)
	if inner.dups != 1 || c.delivery.Duplicates() != 1 {
		t.Errorf("duplicates: the receiver dropped %d, the restarted process counted %d; want the one in flight at the kill", inner.dups, c.delivery.Duplicates())
	}
}

// discard is a ResponseWriter whose answer nobody reads: the receiver
// keeps the record, the killed process never hears back.
type discard struct{ header http.Header }

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}
