package sqlitestore

import (
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// TestMigrateFromSchema1 opens a folder written by schema 1 (no
// due_order) and checks that its dossiers list by due instant, nil last,
// through the new indexes, and that the schema version moved on.
func TestMigrateFromSchema1(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := schemaAt(t, dir, 1)
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	for i, c := range []struct {
		code   string
		unit   string
		status engine.Status
		due    *time.Time
	}{
		{"XA01-260302-0001", "u", engine.StatusInProgress, nil},
		{"XA01-260302-0002", "u", engine.StatusInProgress, ptr(at.Add(48 * time.Hour))},
		{"XA01-260302-0003", "v", engine.StatusPaused, nil},
		{"XA01-260302-0004", "u", engine.StatusInProgress, ptr(at)},
		{"XA01-260302-0005", "u", engine.StatusFinished, ptr(at.Add(-time.Hour))},
		{"XA01-260302-0006", "v", engine.StatusInProgress, ptr(at)},
	} {
		d := &engine.Dossier{Code: c.code, Version: 1, State: "s", Unit: c.unit, Status: c.status, Procedure: "P",
			ReceivedAt: at.Add(time.Duration(i) * time.Minute), DueAt: c.due}
		doc, err := encodeDossier(d)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO dossiers (code, version, state, unit, status, procedure, kind,
			received_at, due_at, next_check_at, applicant_name, receive_key, doc)
			VALUES (?, 1, 's', ?, ?, 'P', '', ?, ?, NULL, '', NULL, ?)`,
			d.Code, d.Unit, string(d.Status), ms(d.ReceivedAt), msPtr(d.DueAt), doc); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version int
	if err := s.r.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != len(migrations) {
		t.Fatalf("schema version %d (%v), want %d", version, err, len(migrations))
	}
	open := []engine.Status{engine.StatusInProgress, engine.StatusPaused}
	for _, c := range []struct {
		rule string
		q    engine.Query
		want []string
	}{
		{"inbox of one unit: open by due, nil last",
			engine.Query{Units: []string{"u"}, Status: open, OrderByDue: true},
			[]string{"XA01-260302-0004", "XA01-260302-0002", "XA01-260302-0001"}},
		{"inbox of two units (one named twice), merged: by due, ties by code, nil last",
			engine.Query{Units: []string{"v", "u", "v"}, Status: open, OrderByDue: true},
			[]string{"XA01-260302-0004", "XA01-260302-0006", "XA01-260302-0002", "XA01-260302-0001", "XA01-260302-0003"}},
		{"merged page 2", engine.Query{Units: []string{"u", "v"}, Status: open, OrderByDue: true, Offset: 2, Limit: 2},
			[]string{"XA01-260302-0002", "XA01-260302-0001"}},
		{"every status by due", engine.Query{Units: []string{"u", "v"}, OrderByDue: true, Limit: 3},
			[]string{"XA01-260302-0005", "XA01-260302-0004", "XA01-260302-0006"}},
		{"every unit by due", engine.Query{OrderByDue: true, Offset: 4},
			[]string{"XA01-260302-0001", "XA01-260302-0003"}},
		{"overdue", engine.Query{Units: []string{"u", "v"}, Overdue: true, Now: at.Add(time.Minute), OrderByDue: true},
			[]string{"XA01-260302-0004", "XA01-260302-0006"}},
	} {
		got, err := s.List(t.Context(), c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		var codes []string
		for _, d := range got {
			codes = append(codes, d.Code)
		}
		if !slices.Equal(codes, c.want) {
			t.Errorf("%s: got %v, want %v", c.rule, codes, c.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestMigrateFillsFinishedAt opens a folder written by schema 2 (no
// finished_at column) and checks that step 3 takes each finished
// dossier's instant from its document, to the millisecond and whatever
// the offset it was written with, so that finished-time queries find the
// dossiers finished before the upgrade.
func TestMigrateFillsFinishedAt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := schemaAt(t, dir, 2)
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	ict := time.FixedZone("ICT", 7*3600)
	finished := map[string]*time.Time{
		"XA01-260302-0001": nil,                                              // open
		"XA01-260302-0002": ptr(at.Add(26*time.Hour + 123*time.Millisecond)), // UTC, milliseconds
		"XA01-260302-0003": ptr(at.Add(50 * time.Hour).In(ict)),              // written with an offset
		"XA01-260302-0004": ptr(at.Add(-time.Millisecond)),                   // just before the bound
	}
	for code, f := range finished {
		st := engine.StatusInProgress
		if f != nil {
			st = engine.StatusFinished
		}
		d := &engine.Dossier{Code: code, Version: 1, State: "s", Unit: "u", Status: st, Procedure: "P",
			ReceivedAt: at.Add(-48 * time.Hour), FinishedAt: f}
		doc, err := encodeDossier(d)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO dossiers (code, version, state, unit, status, procedure, kind,
			received_at, due_at, next_check_at, applicant_name, receive_key, doc)
			VALUES (?, 1, 's', 'u', ?, 'P', '', ?, NULL, NULL, '', NULL, ?)`,
			d.Code, string(d.Status), ms(d.ReceivedAt), doc); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for code, f := range finished {
		var got sql.NullInt64
		if err := s.r.QueryRow("SELECT finished_at FROM dossiers WHERE code = ?", code).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if f == nil && got.Valid || f != nil && (!got.Valid || got.Int64 != f.UnixMilli()) {
			t.Errorf("%s: finished_at %v after migration, want %v", code, got, f)
		}
	}
	for _, c := range []struct {
		rule string
		q    engine.Query
		want []string
	}{
		{"finished in [at, at+2d): from inclusive, to exclusive",
			engine.Query{FinishedFrom: at, FinishedTo: at.Add(50 * time.Hour)}, []string{"XA01-260302-0002"}},
		{"open at: never finished, or finished at or after",
			engine.Query{OpenAt: at}, []string{"XA01-260302-0001", "XA01-260302-0002", "XA01-260302-0003"}},
	} {
		got, err := s.List(t.Context(), c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		var codes []string
		for _, d := range got {
			codes = append(codes, d.Code)
		}
		if !slices.Equal(codes, c.want) {
			t.Errorf("%s: got %v, want %v", c.rule, codes, c.want)
		}
	}
}

// TestMigrateAddsSessions opens a folder written by schema 4 (no
// sessions table): step 5 adds it, empty, and sessions work at once.
func TestMigrateAddsSessions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := schemaAt(t, dir, 4)
	db.Close()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version int
	if err := s.r.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version < 5 {
		t.Fatalf("schema version %d (%v), want at least 5", version, err)
	}
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	ws := engine.WebSession{IDHash: "aa01", Person: "an", CSRFHash: "c", CreatedAt: at, LastSeen: at, ExpiresAt: at.Add(time.Hour)}
	if err := s.CreateSession(t.Context(), ws); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetSession(t.Context(), "aa01", at); err != nil {
		t.Errorf("a session in the migrated folder: %v", err)
	}
}
