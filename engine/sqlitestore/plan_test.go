package sqlitestore

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// TestQueriesUseIndexes checks with EXPLAIN QUERY PLAN that the product's
// frequent queries read an index rather than scan the table: inboxes,
// the deadline watch, reports by reception instant, the outbox.
func TestQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	inbox, inboxArgs := where(engine.Query{Units: []string{"chuyen-mon"}, Status: []engine.Status{engine.StatusInProgress}, OrderByDue: true, Limit: 50})
	report, reportArgs := where(engine.Query{ReceivedFrom: now, ReceivedTo: now.Add(24 * time.Hour)})
	cases := []struct {
		rule  string
		query string
		args  []any
		index string
	}{
		{"an inbox reads (unit, status, due_at)", "SELECT doc FROM dossiers" + inbox, inboxArgs, "dossiers_inbox"},
		{"a report reads received_at", "SELECT doc FROM dossiers" + report, reportArgs, "dossiers_received"},
		{"the watch reads the partial index of open dossiers",
			`SELECT doc, receive_key FROM dossiers WHERE next_check_at IS NOT NULL AND status <> 'finished' AND next_check_at <= ? ORDER BY next_check_at, code LIMIT ?`,
			[]any{ms(now), 100}, "dossiers_watch"},
		{"the outbox reads pending notifications by next attempt",
			`SELECT doc FROM notifications WHERE status = 'pending' AND next_attempt <= ? ORDER BY next_attempt, id LIMIT ?`,
			[]any{ms(now), 100}, "notifications_pending"},
		{"a dossier's notifications", `SELECT doc FROM notifications WHERE dossier = ? ORDER BY at DESC, id DESC LIMIT ?`,
			[]any{"X", 10}, "notifications_dossier"},
	}
	for _, c := range cases {
		rows, err := s.r.Query("EXPLAIN QUERY PLAN "+c.query, c.args...)
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if p := strings.Join(plan, "; "); !strings.Contains(p, c.index) {
			t.Errorf("%s: plan %q does not use %s", c.rule, p, c.index)
		}
	}
}
