package sqlitestore

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// TestQueriesUseIndexes checks with EXPLAIN QUERY PLAN that the product's
// frequent queries read an index rather than scan the table: inboxes and
// lists by due instant (walked in index order, no sort), the deadline
// watch, reports by reception instant, digests and reports by finished
// instant (a range, or "open at": NULL or after), the outbox.
func TestQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	open := []engine.Status{engine.StatusInProgress, engine.StatusPaused}
	type query struct {
		sql  string
		args []any
	}
	q := func(sql string, args ...any) query { return query{sql, args} }
	of := func(sql string, args []any) query { return query{sql, args} }
	cases := []struct {
		rule   string
		query  query
		index  string
		sorted bool // the index delivers the order: no temp B-tree
	}{
		{"an inbox (one unit, open, by due) walks the open dossiers' index in order",
			of(selectDossiers(engine.Query{Units: []string{"chuyen-mon"}, Status: open, OrderByDue: true, Limit: 51})), "dossiers_open_due", true},
		{"an inbox of several units merges one ordered walk per unit",
			of(selectDossiers(engine.Query{Units: []string{"chuyen-mon", "lanh-dao"}, Status: open, OrderByDue: true, Limit: 51})), "dossiers_open_due", true},
		{"a later page is still a walk",
			of(selectDossiers(engine.Query{Units: []string{"chuyen-mon"}, Status: open, OrderByDue: true, Offset: 500, Limit: 51})), "dossiers_open_due", true},
		{"one status of a unit by due",
			of(selectDossiers(engine.Query{Units: []string{"chuyen-mon"}, Status: []engine.Status{engine.StatusInProgress}, OrderByDue: true, Limit: 51})), "dossiers_open_due", true},
		{"a unit's overdue dossiers",
			of(selectDossiers(engine.Query{Units: []string{"chuyen-mon"}, Overdue: true, Now: now, OrderByDue: true, Limit: 51})), "dossiers_open_due", true},
		{"every unit's overdue dossiers walk the open dossiers by due, not the finished ones due earlier",
			of(selectDossiers(engine.Query{Overdue: true, Now: now, OrderByDue: true, Limit: 50})), "dossiers_open_by_due", true},
		{"a unit's list over every status, by due",
			of(selectDossiers(engine.Query{Units: []string{"chuyen-mon"}, OrderByDue: true, Limit: 51})), "dossiers_unit_due", true},
		{"a unit's list by due with a state and a text filter starts from the search keys",
			of(selectDossiers(engine.Query{Units: []string{"chuyen-mon"}, State: "tham_dinh", Text: "nguyễn", OrderByDue: true, Limit: 51})), "dossier_search", false},
		{"several units over every status, merged",
			of(selectDossiers(engine.Query{Units: []string{"chuyen-mon", "lanh-dao", "tiep-nhan"}, OrderByDue: true, Limit: 51})), "dossiers_unit_due", true},
		{"every unit, by due", of(selectDossiers(engine.Query{OrderByDue: true, Limit: 51})), "dossiers_due", true},
		{"a unit's open dossiers by code (digests)",
			of(selectDossiers(engine.Query{Units: []string{"chuyen-mon"}, Status: []engine.Status{engine.StatusInProgress}})), "dossiers_open_due", false},
		{"a report's Slim scan reads only the covering index, in its order",
			of(selectDossiers(engine.Query{ReceivedTo: now, OpenAt: now.Add(-90 * 24 * time.Hour), Slim: true})), "COVERING INDEX dossiers_figures", true},
		{"the chart's Slim scan reads only the covering index, in its order",
			of(selectDossiers(engine.Query{ReceivedTo: now, FinishedFrom: now.Add(-365 * 24 * time.Hour), FinishedTo: now, Slim: true})), "COVERING INDEX dossiers_figures", true},
		{"the overdue and due-today counts read only the dossiers due before the day's end",
			q(sqlDueCounts, now, now.Add(24*time.Hour)), "COVERING INDEX dossiers_open_by_due (due_at<?)", false},
		{"a report reads received_at", of(selectDossiers(engine.Query{ReceivedFrom: now, ReceivedTo: now.Add(24 * time.Hour)})), "dossiers_received", false},
		{"a digest's previous working day reads finished_at",
			of(selectDossiers(engine.Query{FinishedFrom: now.Add(-24 * time.Hour), FinishedTo: now})), "dossiers_finished", false},
		{"finished from only reads finished_at", of(selectDossiers(engine.Query{FinishedFrom: now})), "dossiers_finished", false},
		{"open at an instant reads finished_at (NULL and the range after)",
			of(selectDossiers(engine.Query{OpenAt: now})), "dossiers_finished", false},
		{"carried into a period: received before its start and open at it",
			of(selectDossiers(engine.Query{ReceivedTo: now, OpenAt: now})), "dossiers_finished", false},
		{"finished in a period among those received in it",
			of(selectDossiers(engine.Query{ReceivedFrom: now.Add(-90 * 24 * time.Hour), ReceivedTo: now,
				FinishedFrom: now.Add(-90 * 24 * time.Hour), FinishedTo: now})), "dossiers_finished", false},
		{"an inbox that also asks open-at keeps walking the open dossiers' index",
			of(selectDossiers(engine.Query{Units: []string{"chuyen-mon"}, Status: open, OpenAt: now, OrderByDue: true, Limit: 51})), "dossiers_open_due", true},
		{"a search reads the search keys' index (a prefix is one range of it)",
			of(selectDossiers(engine.Query{Text: "binh", Limit: 51})), "dossier_search", false},
		{"a search in an inbox by due reads the search keys' index",
			of(selectDossiers(engine.Query{Units: []string{"chuyen-mon"}, Status: open, Text: "binh", OrderByDue: true, Limit: 51})), "dossier_search", false},
		{"a search over several units reads the search keys' index",
			of(selectDossiers(engine.Query{Units: []string{"chuyen-mon", "lanh-dao"}, Text: "0912", OrderByDue: true, Limit: 51})), "dossier_search", false},
		{"a broad search in an inbox walks the inbox's index in order, checking each code against the keys",
			of(selectDossiersFor(engine.Query{Units: []string{"chuyen-mon"}, Status: open, Text: "binh", OrderByDue: true, Limit: 51}, true)), "dossiers_open_due", true},
		{"a broad search over every unit walks the due index",
			of(selectDossiersFor(engine.Query{Text: "binh", OrderByDue: true, Limit: 51}, true)), "dossiers_due", true},
		{"a later page of a list by due seeks its position (keyset) in the index walk",
			of(selectDossiers(engine.Query{Units: []string{"chuyen-mon"}, Status: open, OrderByDue: true, Limit: 51,
				After: &engine.Position{Code: "X", Due: &now}})), "dossiers_open_due", true},
		{"a later page over every unit seeks its position",
			of(selectDossiers(engine.Query{OrderByDue: true, Limit: 51, After: &engine.Position{Code: "X"}})), "dossiers_due", true},
		{"a due range over every unit reads the due index",
			of(selectDossiers(engine.Query{DueFrom: now, DueTo: now.Add(7 * 24 * time.Hour), OrderByDue: true, Limit: 51})), "dossiers_due", true},
		{"the watch reads the partial index of open dossiers",
			q(`SELECT doc, receive_key FROM dossiers WHERE next_check_at IS NOT NULL AND status <> 'finished' AND next_check_at <= ? ORDER BY next_check_at, code LIMIT ?`,
				ms(now), 100), "dossiers_watch", true},
		{"the outbox reads pending notifications by next attempt",
			q(`SELECT doc FROM notifications WHERE status = 'pending' AND next_attempt <= ? ORDER BY next_attempt, id LIMIT ?`,
				ms(now), 100), "notifications_pending", true},
		{"a dossier's notifications", q(`SELECT doc FROM notifications WHERE dossier = ? ORDER BY at DESC, id DESC LIMIT ?`,
			"X", 10), "notifications_dossier", false},
		{"a dossier's pending notifications (a sync record's ordering check)",
			q(sqlPendingOf, "X", engine.NotePortalSync), "notifications_dossier", false},
		{"a dossier's sync records (its sync state)", q(sqlOfKind, "X", engine.NotePortalSync), "notifications_dossier", false},
	}
	for _, c := range cases {
		rows, err := s.r.Query("EXPLAIN QUERY PLAN "+c.query.sql, c.query.args...)
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
		p := strings.Join(plan, "; ")
		if !strings.Contains(p, c.index) {
			t.Errorf("%s: plan %q does not use %s", c.rule, p, c.index)
		}
		if strings.Contains(p, "SCAN dossiers") && !strings.Contains(p, "USING") {
			t.Errorf("%s: plan %q scans the table", c.rule, p)
		}
		if c.index == "dossier_search" && !strings.Contains(p, "(code=?)") {
			t.Errorf("%s: plan %q does not fetch the matches by code", c.rule, p)
		}
		if c.sorted && strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%s: plan %q sorts instead of walking the index in order", c.rule, p)
		}
		if testing.Verbose() {
			t.Logf("%s: %s", c.rule, p)
		}
	}
}
