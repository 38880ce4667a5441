package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// backfillBatch is how many updates one backfill write sends: a schema
// step over a province's million dossiers is two thousand round trips at
// start-up, not a million.
const backfillBatch = 500

// backfill writes the derived field on every dossier that lacks it, for a
// schema step that adds one. The dossiers are read with projection only;
// value decodes one and returns its code and the field's value. The
// updates go in unordered batches of single-document updates (no
// pipeline update: FerretDB has none, and the values are computed in Go),
// each asking that the field still be missing, so that a dossier another
// process of this version wrote meanwhile (several start at once) keeps
// its own. Idempotent: a replay finds none left.
func (s *Store) backfill(ctx context.Context, field string, projection bson.D, value func(*mongo.Cursor) (code string, v any, err error)) error {
	missing := bson.D{{Key: "$exists", Value: false}}
	cur, err := s.dossiers.Find(ctx, bson.D{{Key: field, Value: missing}}, options.Find().SetProjection(projection))
	if err != nil {
		return fmt.Errorf("%s backfill: %w", field, err)
	}
	defer cur.Close(ctx)
	var batch []mongo.WriteModel
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := s.dossiers.BulkWrite(ctx, batch, options.BulkWrite().SetOrdered(false))
		batch = batch[:0]
		if err != nil {
			return fmt.Errorf("%s backfill: %w", field, err)
		}
		return nil
	}
	for cur.Next(ctx) {
		code, v, err := value(cur)
		if err != nil {
			return fmt.Errorf("%s backfill: %w", field, err)
		}
		batch = append(batch, mongo.NewUpdateOneModel().
			SetFilter(bson.D{{Key: "_id", Value: code}, {Key: field, Value: missing}}).
			SetUpdate(bson.D{{Key: "$set", Value: bson.D{{Key: field, Value: v}}}}))
		if len(batch) == backfillBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("%s backfill: %w", field, err)
	}
	return flush()
}
