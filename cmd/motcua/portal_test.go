package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

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
