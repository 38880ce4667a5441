package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

var _ engine.RatingStore = (*Store)(nil)

// Rate implements engine.RatingStore with one conditional update: the
// filter asks that the dossier hold no rating, so of two concurrent
// ratings the server applies one and matches nothing for the other.
func (s *Store) Rate(ctx context.Context, code string, r engine.Rating) error {
	rd := ratingDoc{At: r.At, Scores: r.Scores, Comment: r.Comment}
	res, err := s.dossiers.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: code}, {Key: "rating", Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "rating", Value: rd}}}, {Key: "$inc", Value: bson.D{{Key: "version", Value: int64(1)}}}})
	if err != nil {
		return interpretError(err, "dossier", code)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	// Nothing matched: either no such dossier or one already rated.
	var cur struct {
		ID string `bson:"_id"`
	}
	err = s.dossiers.FindOne(ctx, bson.D{{Key: "_id", Value: code}},
		options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Decode(&cur)
	if err != nil {
		return interpretError(err, "dossier", code)
	}
	return &engine.AlreadyRatedError{Code: code}
}
