package mongostore_test

import (
	"os"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/mongostore"
	"github.com/motcua/motcua/internal/ferrettest"
)

// TestReadsTheV1Document stores a dossier document exactly as the store
// wrote it on 2 December 2026 (testdata/dossier-v1.json, canonical
// extended JSON, with its outbox) and reads it back through the store:
// databases written then must stay readable by every later version,
// whatever the API's JSON becomes. The file is never regenerated.
func TestReadsTheV1Document(t *testing.T) {
	t.Parallel()
	js, err := os.ReadFile("testdata/dossier-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc bson.D
	if err := bson.UnmarshalExtJSON(js, true, &doc); err != nil {
		t.Fatalf("the fixture: %v", err)
	}
	first := newStore(t)
	if _, err := first.Database().Collection("dossiers").InsertOne(ctxT(t), doc); err != nil {
		t.Fatal(err)
	}
	// The database as schema 1 left it: reopening migrates it, and
	// schema 2's backfill derives the search field of the v1 document.
	if _, err := first.Database().Collection("meta").UpdateOne(ctxT(t), bson.D{{Key: "_id", Value: "schema"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: 1}}}}); err != nil {
		t.Fatal(err)
	}
	s, err := mongostore.Open(ctxT(t), ferrettest.Start(t), first.Database().Name())
	if err != nil {
		t.Fatalf("reopen a schema 1 database: %v", err)
	}
	defer s.Close()
	want := enginetest.FixtureDossier()
	got, err := s.Get(ctxT(t), want.Code)
	if err != nil {
		t.Fatalf("Get the v1 document: %v", err)
	}
	if diff := enginetest.Diff(want, got); diff != "" {
		t.Errorf("the v1 document reads differently through Get: %s", diff)
	}
	byKey, err := s.GetByReceiveKey(ctxT(t), want.ReceiveKey)
	if err != nil || byKey.Code != want.Code {
		t.Errorf("GetByReceiveKey of the v1 document: %v, %v", byKey, err)
	}
	listed, err := s.List(ctxT(t), engine.Query{Text: "nguyễn"})
	if err != nil || len(listed) != 1 {
		t.Fatalf("List by the stored lower-cased name: %d, %v", len(listed), err)
	}
	if diff := enginetest.Diff(want, listed[0]); diff != "" {
		t.Errorf("the v1 document reads differently through List: %s", diff)
	}
	// Its outbox is relayed as the notification it holds.
	ns, err := s.Notifications(ctxT(t), want.Code, 10)
	if err != nil || len(ns) != 1 {
		t.Fatalf("Notifications of the v1 document: %v, %v", ns, err)
	}
	if diff := enginetest.Diff(enginetest.FixtureNotification(), ns[0]); diff != "" {
		t.Errorf("the v1 outbox reads differently: %s", diff)
	}
}
