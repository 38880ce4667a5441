package mongostore

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

// collMeta holds one document, {_id: "schema", version: N}: how many of
// migrations have run on this database.
const (
	collMeta = "meta"
	schemaID = "schema"
)

// migration is one forward step of the database's shape. Every step is
// idempotent, because several processes starting at once may all run it
// before one of them records it: creating an index that exists is a
// no-op, replacing one drops it first, a backfill only writes documents
// that lack the field.
type migration struct {
	name string
	run  func(ctx context.Context, s *Store) error
}

// migrations are applied in order at Open. Append new steps, never edit
// old ones: an index whose options change gets a step that replaces it
// (createIndex with the same name and other options fails on MongoDB, so
// an edited model in step 1 would make every Open fail), and a derived
// field a query starts to rely on gets a backfill step.
var migrations = []migration{
	{"indexes of issue 13", func(ctx context.Context, s *Store) error { return s.indexesV1(ctx) }},
	{"an index for every query (issue 14), search_lc", func(ctx context.Context, s *Store) error { return s.migrateV2(ctx) }},
	{"search keys (issue 11)", func(ctx context.Context, s *Store) error { return s.migrateSearch(ctx) }},
	{"open counts from an index (issue 14 §3), figure_unit", func(ctx context.Context, s *Store) error { return s.migrateFigures(ctx) }},
}

// SchemaVersion is the newest schema this binary knows.
func SchemaVersion() int { return len(migrations) }

// migrate brings the database to SchemaVersion, or refuses one written by
// a newer binary with a *engine.SchemaTooNewError. A database from before
// the schema document counts as version 0: every step is idempotent, so
// replaying the first on it recreates nothing that exists.
func (s *Store) migrate(ctx context.Context) error {
	have, err := s.schemaVersion(ctx)
	if err != nil {
		return err
	}
	if have > len(migrations) {
		return &engine.SchemaTooNewError{Store: "mongodb", Have: have, Know: len(migrations)}
	}
	for i := have; i < len(migrations); i++ {
		if err := migrations[i].run(ctx, s); err != nil {
			return fmt.Errorf("mongostore: migration %d (%s): %w", i+1, migrations[i].name, err)
		}
		// $max, so that a slower process that ran an older step never
		// lowers the version a faster one recorded.
		_, err := s.meta.UpdateOne(ctx, bson.D{{Key: "_id", Value: schemaID}},
			bson.D{{Key: "$max", Value: bson.D{{Key: "version", Value: i + 1}}}},
			options.UpdateOne().SetUpsert(true))
		if err != nil && !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("mongostore: record schema %d: %w", i+1, err)
		}
	}
	return nil
}

// schemaVersion reads the recorded version; none is 0.
func (s *Store) schemaVersion(ctx context.Context) (int, error) {
	var doc struct {
		Version int `bson:"version"`
	}
	err := s.meta.FindOne(ctx, bson.D{{Key: "_id", Value: schemaID}}).Decode(&doc)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("mongostore: read schema version: %w", err)
	}
	return doc.Version, nil
}

// replaceIndex drops the index of m's name, if there is one, and creates
// m: the migration step for an index whose keys or options change.
func replaceIndex(ctx context.Context, c *mongo.Collection, m mongo.IndexModel) error {
	var name string
	if m.Options != nil {
		var o options.IndexOptions
		for _, set := range m.Options.List() {
			if err := set(&o); err != nil {
				return err
			}
		}
		if o.Name != nil {
			name = *o.Name
		}
	}
	if name == "" {
		return errors.New("mongostore: replaceIndex needs a named index")
	}
	if err := c.Indexes().DropOne(ctx, name); err != nil && !isIndexNotFound(err) {
		return fmt.Errorf("mongostore: drop index %s on %s: %w", name, c.Name(), err)
	}
	return createIndexes(ctx, c, []mongo.IndexModel{m})
}

// isIndexNotFound tells a drop of a missing index (code 27,
// IndexNotFound), which a replayed migration step meets, from a failure.
func isIndexNotFound(err error) bool {
	var ce mongo.CommandError
	if errors.As(err, &ce) {
		return ce.Code == 27 || ce.Name == "IndexNotFound"
	}
	return false
}
