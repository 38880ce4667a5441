package sqlitestore

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestReadsTheV1Documents reads a dossier document and a notification
// document exactly as the store wrote them on 2 December 2026
// (testdata/dossier-v1.json and notification-v1.json, the doc columns;
// the reception key lives in its own column). Folders written then must
// stay readable by every later version, whatever the API's JSON becomes:
// the file is never regenerated.
func TestReadsTheV1Documents(t *testing.T) {
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
	// Its search keys as schema 6 fills them for a folder written then:
	// from the document, through the SQL function.
	if _, err := s.w.Exec(`INSERT INTO dossier_search (key, code)
		SELECT j.value, d.code FROM dossiers d, json_each(` + searchKeysFunc + `(d.doc)) j`); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(t.Context(), want.Code)
	if err != nil {
		t.Fatalf("Get the v1 document: %v", err)
	}
	if diff := enginetest.Diff(want, got); diff != "" {
		t.Errorf("the v1 document reads differently through Get: %s", diff)
	}
	listed, err := s.List(t.Context(), engine.Query{Text: "nguyen"})
	if err != nil || len(listed) != 1 {
		t.Fatalf("List the v1 document: %d, %v", len(listed), err)
	}
	if diff := enginetest.Diff(want, listed[0]); diff != "" {
		t.Errorf("the v1 document reads differently through List: %s", diff)
	}

	note, err := os.ReadFile("testdata/notification-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.w.Exec(`INSERT INTO notifications (id, dossier, status, next_attempt, at, doc)
		VALUES (?, ?, 'sent', ?, ?, ?)`, enginetest.FixtureCode+"/3/finished", enginetest.FixtureCode,
		ms(enginetest.FixtureNotification().NextAttempt), ms(enginetest.FixtureNotification().At), note)
	if err != nil {
		t.Fatal(err)
	}
	ns, err := s.Notifications(t.Context(), want.Code, 0)
	if err != nil || len(ns) != 1 {
		t.Fatalf("Notifications of the v1 document: %v, %v", ns, err)
	}
	// The fixture is FixtureNotification after two attempts, the second sent.
	wantN := enginetest.FixtureNotification()
	sent := wantN.At.Add(5 * time.Minute)
	wantN.Status, wantN.Attempts, wantN.SentAt, wantN.LastError = engine.NotificationSent, 2, &sent, "smtp: 451 thử lại sau"
	if diff := enginetest.Diff(wantN, ns[0]); diff != "" {
		t.Errorf("the v1 notification reads differently: %s", diff)
	}
}

// TestWritesTheV1Document checks that the store still writes the v1
// shape: the same field names, types and values as the fixture. A
// renamed field of engine.Dossier's JSON (the API) must not show here;
// a renamed field of the stored document does, and must not happen.
func TestWritesTheV1Document(t *testing.T) {
	t.Parallel()
	fixture, err := os.ReadFile("testdata/dossier-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	written, err := encodeDossier(enginetest.FixtureDossier())
	if err != nil {
		t.Fatal(err)
	}
	var want, got any
	if err := json.Unmarshal(fixture, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(written, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("the written document is not the v1 document:\n got %s\nwant %s", written, fixture)
	}
}
