package sqlitestore

import (
	"os"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestReadsTheV1Document reads a dossier document exactly as the store
// wrote it on 2 December 2026 (testdata/dossier-v1.json, the doc column;
// the reception key lives in its own column). Folders written then must
// stay readable by every later version, whatever the API's JSON becomes:
// the file is never regenerated.
func TestReadsTheV1Document(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("testdata/dossier-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	want := enginetest.FixtureDossier()
	// The columns as Insert wrote them that day; only doc matters to a read.
	_, err = s.w.Exec(`INSERT INTO dossiers (code, version, state, unit, status, procedure, kind,
		received_at, due_at, next_check_at, finished_at, applicant_name, receive_key, doc)
		VALUES (?, 3, 'da_tra', 'chuyen-mon', 'finished', '1.001193', 'complaint', ?, ?, ?, ?, ?, 'rk-42', ?)`,
		want.Code, ms(want.ReceivedAt), msPtr(want.DueAt), msPtr(want.NextCheckAt), msPtr(want.FinishedAt),
		"nguyễn văn án", doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(t.Context(), want.Code)
	if err != nil {
		t.Fatalf("Get the v1 document: %v", err)
	}
	if diff := enginetest.Diff(want, got); diff != "" {
		t.Errorf("the v1 document reads differently through Get: %s", diff)
	}
	listed, err := s.List(t.Context(), engine.Query{Text: "nguyễn"})
	if err != nil || len(listed) != 1 {
		t.Fatalf("List the v1 document: %d, %v", len(listed), err)
	}
	if diff := enginetest.Diff(want, listed[0]); diff != "" {
		t.Errorf("the v1 document reads differently through List: %s", diff)
	}
}
