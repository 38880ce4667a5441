package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// ReleaseLease implements engine.Store: the lease document is deleted
// when holder has it, whatever its expiry, so the next AcquireLease of
// any holder finds the lease free.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) (bool, error) {
	res, err := s.leases.DeleteOne(ctx, bson.D{{Key: "_id", Value: name}, {Key: "holder", Value: holder}})
	if err != nil {
		return false, interpretError(err, "lease", name)
	}
	return res.DeletedCount == 1, nil
}
