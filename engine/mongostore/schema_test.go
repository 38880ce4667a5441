package mongostore_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/mongostore"
	"github.com/motcua/motcua/internal/ferrettest"
)

func schemaOf(t *testing.T, s *mongostore.Store) int {
	t.Helper()
	var doc struct {
		Version int `bson:"version"`
	}
	if err := s.Database().Collection("meta").FindOne(ctxT(t), bson.D{{Key: "_id", Value: "schema"}}).Decode(&doc); err != nil {
		t.Fatalf("the schema document: %v", err)
	}
	return doc.Version
}

// TestSchemaIsRecordedAndANewerOneRefused: Open records the schema it
// migrated to; a database recorded by a newer binary is refused with a
// *engine.SchemaTooNewError that says so in both languages, and nothing
// of it is touched (the version stays the newer one).
func TestSchemaIsRecordedAndANewerOneRefused(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	if got := schemaOf(t, s); got != mongostore.SchemaVersion() {
		t.Fatalf("schema after Open: %d, want %d", got, mongostore.SchemaVersion())
	}
	newer := mongostore.SchemaVersion() + 1
	if _, err := s.Database().Collection("meta").UpdateOne(ctxT(t), bson.D{{Key: "_id", Value: "schema"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: newer}}}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	again, err := mongostore.Open(ctx, ferrettest.Start(t), s.Database().Name())
	if err == nil {
		again.Close()
		t.Fatal("Open of a newer schema succeeded")
	}
	var tooNew *engine.SchemaTooNewError
	if !errors.As(err, &tooNew) || tooNew.Have != newer || tooNew.Know != mongostore.SchemaVersion() {
		t.Fatalf("Open of a newer schema: got %v, want *engine.SchemaTooNewError{%d, %d}", err, newer, mongostore.SchemaVersion())
	}
	vi, en, ok := engine.Describe(err)
	if !ok || vi == en || vi == "" || en == "" {
		t.Errorf("the refusal must speak both languages: %q / %q", vi, en)
	}
	if got := schemaOf(t, s); got != newer {
		t.Errorf("the refused Open changed the schema version to %d", got)
	}
}

// TestDatabaseFromBeforeTheSchemaIsMigrated: a database written before
// the schema document existed (version 0) is migrated forward at Open,
// and reopening an up-to-date one changes nothing.
func TestDatabaseFromBeforeTheSchemaIsMigrated(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	if _, err := s.Database().Collection("meta").DeleteOne(ctxT(t), bson.D{{Key: "_id", Value: "schema"}}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		again, err := mongostore.Open(ctx, ferrettest.Start(t), s.Database().Name())
		cancel()
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		again.Close()
		if got := schemaOf(t, s); got != mongostore.SchemaVersion() {
			t.Errorf("schema after reopening: %d, want %d", got, mongostore.SchemaVersion())
		}
	}
}

// TestOpenWarnsOnAStandaloneServer: the embedded FerretDB answers hello
// as a standalone server (no replica set name), and Open says so for
// serve to log, in both languages.
func TestOpenWarnsOnAStandaloneServer(t *testing.T) {
	if ferrettest.Real() {
		t.Skip("a real server may be a replica set; TestStandaloneWarning checks the rule")
	}
	t.Parallel()
	s := newStore(t)
	w := s.Warnings()
	if len(w) != 1 || !strings.Contains(w[0], "standalone") || !strings.Contains(w[0], "đơn lẻ") {
		t.Errorf("warnings on a standalone server: %q", w)
	}
}
