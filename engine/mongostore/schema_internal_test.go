package mongostore

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/internal/ferrettest"
)

// TestReplaceIndexChangesAnIndexsOptions: creating an index again under
// its name with other options is refused by MongoDB (what made every
// Open fail before the schema document), and replaceIndex, the migration
// step for such a change, succeeds, also when a migration is replayed.
func TestReplaceIndexChangesAnIndexsOptions(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Open(ctx, ferrettest.Start(t), ferrettest.DBName(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		_ = s.Database().Drop(context.Background())
		_ = s.Close()
	})
	c := s.Database().Collection("replace_index_probe")
	keys := bson.D{{Key: "k", Value: 1}}
	plain := mongo.IndexModel{Keys: keys, Options: options.Index().SetName("probe")}
	unique := mongo.IndexModel{Keys: keys, Options: options.Index().SetName("probe").SetUnique(true)}
	if err := createIndexes(ctx, c, []mongo.IndexModel{plain}); err != nil {
		t.Fatal(err)
	}
	// MongoDB refuses an index of the same name with other options
	// (IndexKeySpecsConflict); FerretDB is not faithful there, so the
	// refusal is checked against a real server only.
	if err := createIndexes(ctx, c, []mongo.IndexModel{unique}); err == nil && ferrettest.Real() {
		t.Fatal("rule: the server refuses an index of the same name with other options; the test cannot show what replaceIndex is for")
	}
	for i := range 2 { // a replayed migration meets the index already changed
		if err := replaceIndex(ctx, c, unique); err != nil {
			t.Fatalf("replaceIndex, pass %d: %v", i+1, err)
		}
	}
	if _, err := c.InsertOne(ctx, bson.D{{Key: "k", Value: 1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.InsertOne(ctx, bson.D{{Key: "k", Value: 1}}); err == nil {
		t.Error("rule: after replaceIndex the index has its new options (unique)")
	}
	if err := replaceIndex(ctx, c, mongo.IndexModel{Keys: keys}); err == nil {
		t.Error("rule: replaceIndex needs a named index, or it cannot know what to drop")
	}
}
