package mongostore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/mongostore"
	"github.com/motcua/motcua/internal/ferrettest"
)

// TestMigrationBackfillsSearchKeys: dossiers stored before the search
// keys (schema 2) get theirs at Open, from their documents, so that a
// folded search finds them; the step is idempotent on a reopen.
func TestMigrationBackfillsSearchKeys(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := enginetest.NewDossier("XA01-260302-0001", func(d *engine.Dossier) { d.Applicant.Name = "Đặng Thị Bình" })
	if err := s.Insert(ctxT(t), d, nil); err != nil {
		t.Fatal(err)
	}
	// The document as schema 2 left it: no keys, and the schema at 2.
	coll := s.Database().Collection("dossiers")
	if _, err := coll.UpdateOne(ctxT(t), bson.D{{Key: "_id", Value: d.Code}},
		bson.D{{Key: "$unset", Value: bson.D{{Key: "search_keys", Value: ""}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Database().Collection("meta").UpdateOne(ctxT(t), bson.D{{Key: "_id", Value: "schema"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: 2}}}}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.List(ctxT(t), engine.Query{Text: "binh"}); err != nil || len(got) != 0 {
		t.Fatalf("before the migration: %d found (%v); the test cannot show the backfill", len(got), err)
	}
	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		again, err := mongostore.Open(ctx, ferrettest.Start(t), s.Database().Name())
		cancel()
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		for _, text := range []string{"binh", "dang thi", "0912", "xa01"} {
			got, err := again.List(ctxT(t), engine.Query{Text: text})
			if err != nil || !slices.Equal(codes(got), []string{d.Code}) {
				t.Errorf("after the migration %q finds %v (%v), want [%s]", text, codes(got), err, d.Code)
			}
		}
		again.Close()
	}
}

// TestMigrationBackfillsSearchField: dossiers stored before schema 2 get
// search_lc (the code and the name, lower-cased) at Open, each its own,
// and a dossier that has one keeps it.
func TestMigrationBackfillsSearchField(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	coll := s.Database().Collection("dossiers")
	names := map[string]string{"XA01-260302-0001": "Đặng Thị Bình", "XA01-260302-0002": "Lê Văn An", "XA01-260302-0003": "Trần Văn Giữ"}
	for code, name := range names {
		if err := s.Insert(ctxT(t), enginetest.NewDossier(code, func(d *engine.Dossier) { d.Applicant.Name = name }), nil); err != nil {
			t.Fatal(err)
		}
	}
	// Two documents as schema 1 left them, the third with a value the
	// backfill must not overwrite; the schema at 1.
	if _, err := coll.UpdateMany(ctxT(t), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: []string{"XA01-260302-0001", "XA01-260302-0002"}}}}},
		bson.D{{Key: "$unset", Value: bson.D{{Key: "search_lc", Value: ""}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := coll.UpdateOne(ctxT(t), bson.D{{Key: "_id", Value: "XA01-260302-0003"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "search_lc", Value: "kept"}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Database().Collection("meta").UpdateOne(ctxT(t), bson.D{{Key: "_id", Value: "schema"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: 1}}}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	again, err := mongostore.Open(ctx, ferrettest.Start(t), s.Database().Name())
	cancel()
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer again.Close()
	for code, want := range map[string]string{
		"XA01-260302-0001": "xa01-260302-0001\x00đặng thị bình",
		"XA01-260302-0002": "xa01-260302-0002\x00lê văn an",
		"XA01-260302-0003": "kept",
	} {
		var doc struct {
			Search string `bson:"search_lc"`
		}
		if err := coll.FindOne(ctxT(t), bson.D{{Key: "_id", Value: code}}).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		if doc.Search != want {
			t.Errorf("%s: search_lc %q after the migration, want %q", code, doc.Search, want)
		}
	}
}
