package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

var _ engine.ProcedureStore = (*Store)(nil)

// procedureDoc is one published procedure version. _id is "code@version"
// so that uniqueness rests on the _id index alone: the one kind of
// uniqueness MongoDB and FerretDB both enforce atomically under
// concurrent inserts (docs/stores.md), with no index to create.
type procedureDoc struct {
	ID        string    `bson:"_id"`
	Code      string    `bson:"code"`
	Version   int       `bson:"version"`
	SHA256    string    `bson:"sha256"`
	Source    []byte    `bson:"source"`
	FirstSeen time.Time `bson:"first_seen"`
}

// PutProcedureVersion implements engine.ProcedureStore: an insert; on a
// duplicate key, the stored hash decides between a repeat (no-op) and an
// edit in place (*engine.ProcedureChangedError). Never an update, so a
// published version cannot be overwritten by any caller.
func (s *Store) PutProcedureVersion(ctx context.Context, v engine.ProcedureVersion) error {
	if v.Code == "" || v.SHA256 == "" {
		return &engine.InvalidInputError{Field: "procedure version", Reason: "code and sha256 are required"}
	}
	src := v.Source
	if src == nil {
		src = []byte{}
	}
	doc := procedureDoc{ID: v.Key(), Code: v.Code, Version: v.Version, SHA256: v.SHA256, Source: src,
		FirstSeen: v.FirstSeen.UTC().Truncate(time.Millisecond)}
	_, err := s.procedures.InsertOne(ctx, doc)
	if err == nil {
		return nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return interpretError(err, "procedure version", v.Key())
	}
	var stored procedureDoc
	if err := s.procedures.FindOne(ctx, bson.D{{Key: "_id", Value: v.Key()}}).Decode(&stored); err != nil {
		return interpretError(err, "procedure version", v.Key())
	}
	if stored.SHA256 != v.SHA256 {
		return &engine.ProcedureChangedError{Code: v.Code, Version: v.Version, Stored: stored.SHA256, Given: v.SHA256}
	}
	return nil
}

// ProcedureVersions implements engine.ProcedureStore.
func (s *Store) ProcedureVersions(ctx context.Context) ([]engine.ProcedureVersion, error) {
	cur, err := s.procedures.Find(ctx, bson.D{},
		options.Find().SetSort(bson.D{{Key: "code", Value: 1}, {Key: "version", Value: 1}}))
	if err != nil {
		return nil, interpretError(err, "procedure version", "")
	}
	var docs []procedureDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, interpretError(err, "procedure version", "")
	}
	out := make([]engine.ProcedureVersion, 0, len(docs))
	for _, d := range docs {
		if d.ID != fmt.Sprintf("%s@%d", d.Code, d.Version) {
			return nil, fmt.Errorf("mongostore: procedure version %s holds %s@%d", d.ID, d.Code, d.Version)
		}
		out = append(out, engine.ProcedureVersion{Code: d.Code, Version: d.Version, SHA256: d.SHA256,
			Source: d.Source, FirstSeen: d.FirstSeen.UTC()})
	}
	return out, nil
}
