package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// TestPortalResync: the command queues one fresh record of the current
// picture per dossier received in the period, none for another period,
// and refuses a missing --from.
func TestPortalResync(t *testing.T) {
	t.Parallel()
	dir, code := seedSweep(t) // received Mon 2 March 2026
	common := []string{"--data", dir, "--procedures", "../../examples/procedures", "--directory", "../../examples/directory.yaml"}
	out, err := sweepMain(t, append([]string{"portal", "resync", "--from", "2026-03-02", "--to", "2026-03-02"}, common...)...)
	if err != nil || !strings.HasPrefix(out, "1 sync record(s) queued") {
		t.Fatalf("resync: %v %q", err, out)
	}
	out, err = sweepMain(t, append([]string{"portal", "resync", "--from", "2026-03-03", "--to", "2026-03-04"}, common...)...)
	if err != nil || !strings.HasPrefix(out, "0 sync record(s)") {
		t.Fatalf("a period without receptions: %v %q", err, out)
	}
	if _, err := sweepMain(t, append([]string{"portal", "resync"}, common...)...); err == nil {
		t.Error("no --from accepted")
	}
	st, err := sqlitestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ns, err := st.Notifications(context.Background(), code, 0)
	if err != nil {
		t.Fatal(err)
	}
	var records []engine.Notification
	for _, n := range ns {
		if n.Kind == engine.NotePortalSync {
			records = append(records, n)
		}
	}
	if len(records) != 1 || !strings.Contains(records[0].ID, "/portal/resync-") {
		t.Fatalf("records %+v", records)
	}
	var p engine.SyncPayload
	if err := json.Unmarshal([]byte(records[0].Data["payload"]), &p); err != nil || p.Reason != "resync" || p.Dossier.Code != code || p.Dossier.Status != 2 {
		t.Errorf("payload %+v (%v)", p, err)
	}
}

// TestServeSyncsToThePortal: serve with --portal-url writes the demo
// dossiers' records and its dispatcher POSTs them with the token; the
// delivery's counters are on /metrics.
func TestServeSyncsToThePortal(t *testing.T) {
	t.Parallel()
	got := make(chan string, 100)
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer bi-mat" {
			http.Error(w, "token", http.StatusUnauthorized)
			return
		}
		got <- r.Header.Get("Idempotency-Key")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(portal.Close)
	s, _ := mustRunServe(t, "--demo", "--portal-url", portal.URL, "--portal-token", "bi-mat")
	demo, err := s.Engine.Store.List(t.Context(), engine.Query{Limit: 1})
	if err != nil || len(demo) != 1 {
		t.Fatalf("demo dossiers: %v", err)
	}
	// The first dispatch round runs at start: wait for the demo dossier's
	// first record (the bound only ends a broken run).
	want := engine.SyncRecordID(demo[0].Code, 1, "")
	deadline := time.After(time.Minute)
	for seen := false; !seen; {
		select {
		case id := <-got:
			seen = id == want
		case <-deadline:
			t.Fatalf("record %s never reached the portal", want)
		}
	}
	res, err := http.Get("http://" + s.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(body), "motcua_portal_sync_delivered_total") {
		t.Error("no portal sync metric on /metrics")
	}
}
