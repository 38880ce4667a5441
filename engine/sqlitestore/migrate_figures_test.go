package sqlitestore

import (
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestMigrateFillsFigures: a folder of schema 5 opens with the figure
// unit of each dossier taken from its history, the open counts filled,
// and every row given its slim copy; the figures then read as from
// dossiers written at schema 6.
func TestMigrateFillsFigures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := schemaAt(t, dir, stepWith(t, "ADD COLUMN figure_unit"))
	ds := []*engine.Dossier{
		// In the office: the last row hands it there.
		enginetest.NewDossier("XA01-260302-0001"),
		// Waiting for the applicant: no unit; the row that sent it names
		// the office as from_unit only.
		enginetest.NewDossier("XA01-260302-0002", func(d *engine.Dossier) {
			d.Unit, d.Status, d.DueAt = "", engine.StatusPaused, nil
			d.History = append(d.History, engine.HistoryRow{Seq: 3, At: d.UpdatedAt, Action: "yeu_cau_bo_sung",
				Actor: enginetest.Officer, FromState: "tham_dinh", ToState: "cho_bo_sung", FromUnit: enginetest.UnitOffice})
		}),
		// No history: the receiving unit.
		enginetest.NewDossier("XA01-260302-0003", func(d *engine.Dossier) { d.History = nil; d.Unit = enginetest.UnitDesk }),
		// Finished: not counted open.
		enginetest.NewDossier("XA01-260302-0004", func(d *engine.Dossier) { d.Status = engine.StatusFinished }),
	}
	for _, d := range ds {
		d.ReceiveKey = ""
		doc, err := encodeDossier(d)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO dossiers (code, version, state, unit, status, procedure, kind,
			received_at, due_at, next_check_at, finished_at, applicant_name, receive_key, doc)
			VALUES (?, 1, ?, ?, ?, ?, '', ?, ?, NULL, NULL, '', NULL, ?)`,
			d.Code, d.State, d.Unit, string(d.Status), d.Procedure, ms(d.ReceivedAt), msPtr(d.DueAt), doc); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, d := range ds {
		var unit string
		var slimCopy []byte
		if err := s.r.QueryRow("SELECT figure_unit, slim FROM dossiers WHERE code = ?", d.Code).Scan(&unit, &slimCopy); err != nil {
			t.Fatal(err)
		}
		if want := engine.FigureUnit(d); unit != want {
			t.Errorf("%s: figure unit %q after the migration, want %q (engine.FigureUnit)", d.Code, unit, want)
		}
		if slimCopy == nil {
			t.Errorf("%s: no slim copy after open", d.Code)
		}
	}
	now := enginetest.Monday.Add(24 * time.Hour)
	got, err := s.OpenCounts(t.Context(), now, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []engine.OpenCount{
		{Unit: "", FigureUnit: enginetest.UnitOffice, Open: 1, Paused: 1},
		{Unit: enginetest.UnitOffice, FigureUnit: enginetest.UnitOffice, Open: 1},
		{Unit: enginetest.UnitDesk, FigureUnit: enginetest.UnitDesk, Open: 1},
	}
	if d := enginetest.Diff(want, got); d != "" {
		t.Errorf("open counts after the migration: %s\n got %+v", d, got)
	}
}

// TestSlimBackfillRunsOnce: once Open has given every row its slim copy,
// later Opens do not walk the table again (it read every row at each
// start), and one that stopped half way resumes. A row without a slim
// copy reads from its document, so a NULL left behind is slow, not
// wrong; the test leaves one to see whether the walk ran.
func TestSlimBackfillRunsOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := enginetest.NewDossier("XA01-260302-0001")
	if err := s.Insert(t.Context(), d, nil); err != nil {
		t.Fatal(err)
	}
	slimOf := func(s *Store) []byte {
		var b []byte
		if err := s.r.QueryRow("SELECT slim FROM dossiers WHERE code = ?", d.Code).Scan(&b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	reopen := func(s *Store, between string) *Store {
		s.Close()
		if between != "" {
			db := openRaw(t, dir)
			if _, err := db.Exec(between); err != nil {
				t.Fatal(err)
			}
			db.Close()
		}
		s, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s = reopen(s, "UPDATE dossiers SET slim = NULL")
	if slimOf(s) != nil {
		t.Errorf("an Open after the backfill had finished walked the table again")
	}
	s = reopen(s, "DELETE FROM backfills")
	defer s.Close()
	if slimOf(s) == nil {
		t.Errorf("a backfill that had not finished did not resume at the next Open")
	}
}
