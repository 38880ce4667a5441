package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

var _ engine.SessionStore = (*Store)(nil)

// collSessions holds web sessions, one document per session, _id the
// SHA-256 of the session id (the cookie holds the id itself).
const collSessions = "sessions"

// sessionIndexes serve the sweep (expires_at) and "end this person's
// sessions" (person). expires_at is a plain index, not a TTL one:
// FerretDB has no TTL indexes, so expiry is checked on every read and
// DeleteExpiredSessions removes what is left. A function, not a shared
// variable: the driver writes into index option builders while creating
// them, so stores opened concurrently must not share one.
func sessionIndexes() []mongo.IndexModel {
	return []mongo.IndexModel{
		{Keys: bson.D{{Key: "expires_at", Value: 1}}, Options: options.Index().SetName("expires_at")},
		{Keys: bson.D{{Key: "person", Value: 1}}, Options: options.Index().SetName("person")},
	}
}

// sessionDoc stores instants at millisecond precision, as MongoDB does,
// so that what is written compares equal to what is read back.
func sessionDoc(ws engine.WebSession) engine.WebSession {
	ws.CreatedAt = ws.CreatedAt.UTC().Truncate(time.Millisecond)
	ws.LastSeen = ws.LastSeen.UTC().Truncate(time.Millisecond)
	ws.ExpiresAt = ws.ExpiresAt.UTC().Truncate(time.Millisecond)
	return ws
}

// CreateSession implements engine.SessionStore: an insert, so the _id
// index refuses a second session with the same id hash atomically.
func (s *Store) CreateSession(ctx context.Context, ws engine.WebSession) error {
	if ws.IDHash == "" || ws.Person == "" {
		return &engine.InvalidInputError{Field: "session", Reason: "id hash and person are required"}
	}
	_, err := s.sessions.InsertOne(ctx, sessionDoc(ws))
	return interpretError(err, "session", ws.IDHash)
}

// GetSession implements engine.SessionStore: expiry is part of the
// filter, so an expired document reads as missing whether or not it was
// swept.
func (s *Store) GetSession(ctx context.Context, idHash string, now time.Time) (engine.WebSession, error) {
	var ws engine.WebSession
	err := s.sessions.FindOne(ctx, bson.D{{Key: "_id", Value: idHash},
		{Key: "expires_at", Value: bson.D{{Key: "$gt", Value: now}}}}).Decode(&ws)
	if err != nil {
		return engine.WebSession{}, interpretError(err, "session", idHash)
	}
	ws.CreatedAt, ws.LastSeen, ws.ExpiresAt = ws.CreatedAt.UTC(), ws.LastSeen.UTC(), ws.ExpiresAt.UTC()
	return ws, nil
}

// TouchSession implements engine.SessionStore: one update conditional on
// the session being live at lastSeen, so a session that expired (or was
// deleted) meanwhile is not revived.
func (s *Store) TouchSession(ctx context.Context, idHash string, lastSeen, expiresAt time.Time) error {
	res, err := s.sessions.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: idHash}, {Key: "expires_at", Value: bson.D{{Key: "$gt", Value: lastSeen}}}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "last_seen", Value: lastSeen.UTC().Truncate(time.Millisecond)},
			{Key: "expires_at", Value: expiresAt.UTC().Truncate(time.Millisecond)},
		}}})
	if err != nil {
		return interpretError(err, "session", idHash)
	}
	if res.MatchedCount == 0 {
		return &engine.NotFoundError{What: "session", ID: idHash}
	}
	return nil
}

// DeleteSession implements engine.SessionStore.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	_, err := s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: idHash}})
	return interpretError(err, "session", idHash)
}

// DeletePersonSessions implements engine.SessionStore.
func (s *Store) DeletePersonSessions(ctx context.Context, person, keep string) (int, error) {
	res, err := s.sessions.DeleteMany(ctx, bson.D{{Key: "person", Value: person},
		{Key: "_id", Value: bson.D{{Key: "$ne", Value: keep}}}})
	if err != nil {
		return 0, interpretError(err, "session", "")
	}
	return int(res.DeletedCount), nil
}

// DeleteExpiredSessions implements engine.SessionStore. Every process on
// the database may run it; the deletes are idempotent.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	res, err := s.sessions.DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}})
	if err != nil {
		return 0, interpretError(err, "session", "")
	}
	return int(res.DeletedCount), nil
}
