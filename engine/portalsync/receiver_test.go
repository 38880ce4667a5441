package portalsync_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/notify"
	"github.com/motcua/motcua/engine/portalsync"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// Portal is the portal's account in the test directory.
const Portal = "cong-dvcqg"

// receiver is the test portal: it keeps every record it acknowledged, in
// arrival order, answers a record id it already has as a duplicate, and
// answers 503 while down.
type receiver struct {
	// delay is the receiver's answer time, set by benchmarks to model a
	// portal across a network; zero in tests.
	delay   time.Duration
	mu      sync.Mutex
	down    bool
	token   string
	got     []engine.SyncPayload
	seen    map[string]bool
	dups    int
	refused int
}

func newReceiver(token string) *receiver {
	return &receiver{seen: map[string]bool{}, token: token}
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if r.delay > 0 {
		time.Sleep(r.delay) // a simulated network round trip, not a synchronisation
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down {
		r.refused++
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return
	}
	if req.Header.Get("Authorization") != "Bearer "+r.token {
		http.Error(w, "token", http.StatusUnauthorized)
		return
	}
	body, _ := io.ReadAll(req.Body)
	var p engine.SyncPayload
	if err := json.Unmarshal(body, &p); err != nil || p.RecordID != req.Header.Get(portalsync.HeaderRecordID) {
		http.Error(w, "bad record", http.StatusBadRequest)
		return
	}
	if r.seen[p.RecordID] {
		r.dups++
		_, _ = w.Write([]byte(`{"duplicate":true}`))
		return
	}
	r.seen[p.RecordID] = true
	r.got = append(r.got, p)
	_, _ = w.Write([]byte(`{}`))
}

func (r *receiver) setDown(down bool) {
	r.mu.Lock()
	r.down = down
	r.mu.Unlock()
}

// records returns what arrived of dossier code, in arrival order.
func (r *receiver) records(code string) []engine.SyncPayload {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []engine.SyncPayload
	for _, p := range r.got {
		if p.Dossier.Code == code {
			out = append(out, p)
		}
	}
	return out
}

// portalDirectory is enginetest's directory with a portal account.
func portalDirectory(t testing.TB) *engine.Directory {
	base := enginetest.SampleDirectory()
	var units []engine.Unit
	for _, u := range base.Units() {
		units = append(units, *u)
	}
	var people []engine.Person
	for _, p := range base.People() {
		people = append(people, *p)
	}
	people = append(people, engine.Person{ID: Portal, Name: "Cổng DVCQG", Roles: []engine.Role{engine.RolePortal}, Active: true})
	d, err := engine.NewDirectory(units, people)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// bundle is a syncing engine over a fresh SQLite store, its dispatcher
// with the portal route, and the receiver.
type bundle struct {
	store    *sqlitestore.Store
	clock    *enginetest.StubClock
	eng      *engine.Engine
	delivery *portalsync.Delivery
	disp     *notify.Dispatcher
	recv     *receiver
}

func setup(t testing.TB, dir string) *bundle {
	s, err := sqlitestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	clock := enginetest.NewStubClock(enginetest.Monday)
	eng := enginetest.NewEngine(s, clock)
	eng.Directory = portalDirectory(t)
	eng.PortalSync = true
	recv := newReceiver("bi-mat")
	srv := startServer(t, recv)
	del := &portalsync.Delivery{Store: s, URL: srv.URL, Token: "bi-mat"}
	disp := &notify.Dispatcher{
		Store: s, Now: clock.Now, Directory: eng.Directory, BatchSize: 50,
		Backoff:     func(int) time.Duration { return time.Minute },
		MaxAttempts: 1000,
		Routes:      map[string]notify.Route{engine.NotePortalSync: del},
		Channels:    []notify.Channel{sink{}},
	}
	return &bundle{store: s, clock: clock, eng: eng, delivery: del, disp: disp, recv: recv}
}

// drain dispatches rounds, a minute apart on the stub clock, until the
// outbox holds nothing pending.
func (b *bundle) drain(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	for range 500 {
		if _, _, err := b.disp.DispatchOnce(ctx, b.clock.Now()); err != nil {
			t.Fatal(err)
		}
		left, err := b.store.PendingNotifications(ctx, b.clock.Now().Add(24*time.Hour), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) == 0 {
			return
		}
		b.clock.Advance(time.Minute)
	}
	t.Fatal("the outbox did not drain")
}

// sink is a channel that takes the staff's notices, which are not this
// package's concern.
type sink struct{}

func (sink) Name() string                               { return "sink" }
func (sink) Send(context.Context, notify.Message) error { return nil }

func startServer(t testing.TB, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}
