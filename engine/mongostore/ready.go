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

// outOfDiskSpace is MongoDB's error code OutOfDiskSpace.
const outOfDiskSpace = 14031

// Ready reports whether the database takes a write now: it increments a
// counter in the readiness collection. A server out of disk space is
// *engine.StorageFullError, as the embedded store's; serve's /readyz
// answers 503 with it.
func (s *Store) Ready(ctx context.Context) error {
	_, err := s.db.Collection("readiness").UpdateOne(ctx, bson.M{"_id": "probe"},
		bson.M{"$inc": bson.M{"n": 1}}, options.UpdateOne().SetUpsert(true))
	if err == nil {
		return nil
	}
	var se mongo.ServerError
	if errors.As(err, &se) && se.HasErrorCode(outOfDiskSpace) {
		return &engine.StorageFullError{Where: "database", Err: err}
	}
	return fmt.Errorf("mongostore: readiness: %w", err)
}
