package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// AcquireLease takes or renews the lease name for holder until the given
// instant, if it is free, expired at now, or held by holder already: one
// conditional upsert, whose insert collides on _id when another holder's
// live lease exists.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	filter := bson.D{
		{Key: "_id", Value: name},
		{Key: "$or", Value: bson.A{
			bson.D{{Key: "holder", Value: holder}},
			bson.D{{Key: "until", Value: bson.D{{Key: "$lte", Value: now}}}},
		}},
	}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "holder", Value: holder}, {Key: "until", Value: until}}}}
	_, err := s.leases.UpdateOne(ctx, filter, update, options.UpdateOne().SetUpsert(true))
	if err == nil {
		return true, nil
	}
	if mongo.IsDuplicateKeyError(err) {
		return false, nil
	}
	// A server that reports the upsert's collision otherwise (FerretDB
	// does so for duplicates raised by updates) is read back: a live
	// lease of another holder means a refusal, not a failure.
	var cur struct {
		Holder string    `bson:"holder"`
		Until  time.Time `bson:"until"`
	}
	if ferr := s.leases.FindOne(ctx, bson.D{{Key: "_id", Value: name}}).Decode(&cur); ferr == nil &&
		cur.Holder != holder && cur.Until.After(now) {
		return false, nil
	}
	return false, interpretError(err, "lease", name)
}

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
