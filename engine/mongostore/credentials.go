package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

// Credential returns the person's credential from the credentials
// collection (one document per person, _id = person). Keeping them in
// the database rather than in a file beside each process means that
// several motcua processes on one MongoDB share one set of passwords and
// tokens.
func (s *Store) Credential(ctx context.Context, person string) (engine.Credential, error) {
	var c engine.Credential
	if err := s.credentials.FindOne(ctx, bson.D{{Key: "_id", Value: person}}).Decode(&c); err != nil {
		return engine.Credential{}, interpretError(err, "credential", person)
	}
	return c, nil
}

// PutCredential replaces the person's credential document, creating it
// if needed: one upsert, so the last writer wins, as with the file store.
func (s *Store) PutCredential(ctx context.Context, c engine.Credential) error {
	if c.Person == "" {
		return &engine.InvalidInputError{Field: "person", Reason: "empty"}
	}
	_, err := s.credentials.ReplaceOne(ctx, bson.D{{Key: "_id", Value: c.Person}}, c,
		options.Replace().SetUpsert(true))
	return interpretError(err, "credential", c.Person)
}

// Credentials returns every credential, ordered by person.
func (s *Store) Credentials(ctx context.Context) ([]engine.Credential, error) {
	cur, err := s.credentials.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, interpretError(err, "credential", "")
	}
	out := []engine.Credential{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, interpretError(err, "credential", "")
	}
	return out, nil
}
