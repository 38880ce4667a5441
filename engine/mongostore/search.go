package mongostore

import (
	"context"
	"regexp"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

// idxSearch is the multikey index of the search keys (schema 3): a
// search is a prefix of one key (engine.SearchPrefix), an anchored
// literal $regex that MongoDB runs as one range of this index.
const idxSearch = "search_keys" // {search_keys}

// indexesSearch are the indexes schema 3 adds.
func indexesSearch() []mongo.IndexModel {
	return []mongo.IndexModel{
		{Keys: bson.D{{Key: "search_keys", Value: 1}}, Options: options.Index().SetName(idxSearch)},
	}
}

// migrateSearch creates the search keys' index and backfills the keys
// of the dossiers stored before it.
func (s *Store) migrateSearch(ctx context.Context) error {
	if err := createIndexes(ctx, s.dossiers, indexesSearch()); err != nil {
		return err
	}
	return s.backfillSearchKeys(ctx)
}

// backfillSearchKeys writes search_keys on the dossiers that lack it
// (schema 3).
func (s *Store) backfillSearchKeys(ctx context.Context) error {
	return s.backfill(ctx, "search_keys", bson.D{{Key: "_id", Value: 1}, {Key: "applicant", Value: 1}},
		func(cur *mongo.Cursor) (string, any, error) {
			var doc struct {
				Code      string       `bson:"_id"`
				Applicant applicantDoc `bson:"applicant"`
			}
			if err := cur.Decode(&doc); err != nil {
				return "", nil, err
			}
			a := doc.Applicant
			return doc.Code, engine.SearchKeys(&engine.Dossier{Code: doc.Code, Applicant: engine.Applicant{Name: a.Name, IDNo: a.IDNo, Phone: a.Phone}}), nil
		})
}

// searchFilter is the condition of a search text, ok false for a blank
// one: a key that starts with the folded text. Anchored and quoted, so
// the text is matched literally and the server bounds the index scan by
// the prefix.
func searchFilter(text string) (bson.E, bool) {
	p := engine.SearchPrefix(text)
	if p == "" {
		return bson.E{}, false
	}
	return bson.E{Key: "search_keys", Value: bson.D{{Key: "$regex", Value: "^" + regexp.QuoteMeta(p)}}}, true
}
