package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

// Store is an engine.Store on one MongoDB database. It is safe for
// concurrent use.
type Store struct {
	client        *mongo.Client
	db            *mongo.Database
	dossiers      *mongo.Collection
	notifications *mongo.Collection
	sequences     *mongo.Collection
	leases        *mongo.Collection
	credentials   *mongo.Collection
	procedures    *mongo.Collection
	sessions      *mongo.Collection
	meta          *mongo.Collection
	// outboxReads and pendingReads read the outbox with read concern
	// majority (majorityReads); the other handles read the primary's
	// latest, which a conditional write then checks anyway.
	outboxReads  *mongo.Collection
	pendingReads *mongo.Collection
	warnings     []string
	// txn says whether the deployment runs transactions (numbered.go).
	txn txnSupport
}

var (
	_ engine.Store           = (*Store)(nil)
	_ engine.CredentialStore = (*Store)(nil)
)

// Collection names.
const (
	collDossiers      = "dossiers"
	collNotifications = "notifications"
	collSequences     = "sequences"
	collLeases        = "leases"
	collCredentials   = "credentials"
	collProcedures    = "procedure_versions"
)

// noDue sorts dossiers without a due instant (paused ones) after all
// others: MongoDB sorts a missing field first, and the inbox order wants
// them last.
var noDue = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// Open connects to the MongoDB at uri, checks that it answers, and
// migrates database dbName forward to SchemaVersion (schema.go), or
// refuses one written by a newer binary (*engine.SchemaTooNewError).
func Open(ctx context.Context, uri, dbName string) (*Store, error) {
	if dbName == "" {
		return nil, &engine.InvalidInputError{Field: "database", Reason: "empty name"}
	}
	client, err := mongo.Connect(clientOptions(uri))
	if err != nil {
		return nil, fmt.Errorf("mongostore: connect: %w", err)
	}
	if err := client.Ping(ctx, nil); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("mongostore: ping: %w", err)
	}
	db := client.Database(dbName)
	s := &Store{
		client:        client,
		db:            db,
		dossiers:      db.Collection(collDossiers),
		notifications: db.Collection(collNotifications),
		sequences:     db.Collection(collSequences),
		leases:        db.Collection(collLeases),
		credentials:   db.Collection(collCredentials),
		procedures:    db.Collection(collProcedures),
		sessions:      db.Collection(collSessions),
		meta:          db.Collection(collMeta),
		outboxReads:   db.Collection(collDossiers, majorityReads()),
		pendingReads:  db.Collection(collNotifications, majorityReads()),
	}
	warning, err := s.standaloneWarning(ctx)
	if err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	if warning != "" {
		s.warnings = append(s.warnings, warning)
	}
	if err := s.migrate(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	return s, nil
}

// indexesV1 creates the indexes of schema 1 (migration 1). Partial
// indexes would fit "open dossiers only" better, but FerretDB cannot
// create them; a sparse index plus a status filter does the same work.
func (s *Store) indexesV1(ctx context.Context) error {
	dossiers, notifications := indexModelsV1()
	if err := createIndexes(ctx, s.dossiers, dossiers); err != nil {
		return err
	}
	if err := createIndexes(ctx, s.notifications, notifications); err != nil {
		return err
	}
	return createIndexes(ctx, s.sessions, sessionIndexes())
}

// indexModelsV1 are the dossier and notification indexes of schema 1.
func indexModelsV1() (dossiers, notifications []mongo.IndexModel) {
	dossiers = []mongo.IndexModel{
		// The reception idempotency key: one dossier per key. Sparse so
		// that dossiers received without a key do not collide on null.
		{Keys: bson.D{{Key: "receive_key", Value: 1}},
			Options: options.Index().SetName("receive_key").SetUnique(true).SetSparse(true)},
		// Inboxes: a unit's dossiers in a status, by due instant.
		{Keys: bson.D{{Key: "unit", Value: 1}, {Key: "status", Value: 1}, {Key: "due_order", Value: 1}, {Key: "_id", Value: 1}},
			Options: options.Index().SetName("inbox")},
		// The deadline watch: open dossiers by next check (finished ones
		// have no next_check_at, so the sparse index holds open ones only).
		{Keys: bson.D{{Key: "next_check_at", Value: 1}, {Key: "_id", Value: 1}},
			Options: options.Index().SetName("deadline_watch").SetSparse(true)},
		// Reports and lists by reception period.
		{Keys: bson.D{{Key: "received_at", Value: 1}},
			Options: options.Index().SetName("received_at")},
		// Digests and reports by finished instant: "finished in [from,
		// to)" is one range of it, "open at t" (finished_at null or at or
		// after t) two. Not sparse, although most dossiers end finished:
		// MongoDB does not use a sparse index for a {finished_at: null}
		// clause (it would miss the open dossiers), and an $or with one
		// clause it cannot serve from an index scans the collection.
		{Keys: bson.D{{Key: "finished_at", Value: 1}},
			Options: options.Index().SetName("finished_at")},
		// The relay: dossiers still holding notifications.
		{Keys: bson.D{{Key: "outbox._id", Value: 1}},
			Options: options.Index().SetName("outbox").SetSparse(true)},
	}
	notifications = []mongo.IndexModel{
		// The dispatcher: pending notifications due for an attempt.
		{Keys: bson.D{{Key: "status", Value: 1}, {Key: "next_attempt", Value: 1}},
			Options: options.Index().SetName("pending")},
		// A dossier's notifications, newest first.
		{Keys: bson.D{{Key: "dossier", Value: 1}, {Key: "at", Value: -1}},
			Options: options.Index().SetName("by_dossier")},
		{Keys: bson.D{{Key: "at", Value: -1}},
			Options: options.Index().SetName("at")},
	}
	return dossiers, notifications
}

// createIndexes creates the indexes one command each. Creating an index
// that exists with the same name and keys is a no-op, but FerretDB 1.24
// drops the connection when one createIndexes command lists several
// existing indexes (it deletes from the slice it iterates over).
func createIndexes(ctx context.Context, c *mongo.Collection, models []mongo.IndexModel) error {
	for _, m := range models {
		if _, err := c.Indexes().CreateOne(ctx, m); err != nil {
			return fmt.Errorf("mongostore: create index on %s: %w", c.Name(), err)
		}
	}
	return nil
}

// Warnings returns what Open found worth telling the operator (a
// standalone server), each in Vietnamese and English; serve logs them.
func (s *Store) Warnings() []string { return s.warnings }

// Close disconnects from the server.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.client.Disconnect(ctx)
}

// Database returns the underlying database, for tests and tools that
// inspect the stored documents.
func (s *Store) Database() *mongo.Database { return s.db }

// interpretError maps driver errors to engine errors: no document is a
// *engine.NotFoundError, a duplicate key a *engine.DuplicateError;
// context errors pass through unwrapped so callers can test for them;
// anything else is wrapped as an internal error.
func interpretError(err error, what, id string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return &engine.NotFoundError{What: what, ID: id}
	case mongo.IsDuplicateKeyError(err):
		if what == "reception key" {
			return &engine.DuplicateError{Key: id}
		}
		return &engine.DuplicateError{Code: id}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	if id != "" {
		return fmt.Errorf("mongostore: %s %s: %w", what, id, err)
	}
	return fmt.Errorf("mongostore: %s: %w", what, err)
}
