package mongostore

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

var _ engine.NumberingStore = (*Store)(nil)

// txnSupport caches whether the deployment runs multi-document
// transactions: a replica set member or a mongos does, a standalone
// server (and FerretDB) does not. Asked once, with hello, at the first
// reception.
type txnSupport struct {
	state atomic.Int32 // 0 not asked yet, 1 transactions, 2 none
}

func (s *Store) transactions(ctx context.Context) bool {
	switch s.txn.state.Load() {
	case 1:
		return true
	case 2:
		return false
	}
	var hello struct {
		SetName string `bson:"setName"`
		Msg     string `bson:"msg"`
	}
	if err := s.db.RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&hello); err != nil {
		return false // not cached: ask again next time
	}
	if hello.SetName != "" || hello.Msg == "isdbgrid" {
		s.txn.state.Store(1)
		return true
	}
	s.txn.state.Store(2)
	return false
}

// InsertNumbered implements engine.NumberingStore.
//
// On a replica set or a sharded cluster the counter's increment and the
// dossier's insert are one transaction: a crash or a failover leaves both
// or neither, and the series has no gap.
//
// On a standalone server there are no transactions, and it does what can
// be done without one: build is tried with the number the counter would
// give, and a refused build, a refused version or a used reception key
// return before the counter moves; only then is the number taken (if
// another process took it meanwhile, build is called again with the one
// taken) and the dossier inserted. A crash between those two writes, or a
// concurrent reception with the same key, still leaves a gap: a
// deployment that cares runs a replica set (docs/operations.md).
func (s *Store) InsertNumbered(ctx context.Context, unit, day string, build func(seq int) (*engine.Dossier, []engine.Notification, error)) error {
	return s.insertNumbered(ctx, unit, day, 0, func(seq, _ int) (*engine.Dossier, []engine.Notification, error) { return build(seq) })
}

// insertNumbered is InsertNumbered and, with year > 0, InsertRegistered.
func (s *Store) insertNumbered(ctx context.Context, unit, day string, year int, build func(seq, line int) (*engine.Dossier, []engine.Notification, error)) error {
	if s.transactions(ctx) {
		return s.insertNumberedTxn(ctx, unit, day, year, build)
	}
	return s.insertNumberedPlain(ctx, unit, day, year, build)
}

// peek reads the counter id without moving it: the number it would give
// next, minus one (0 for a counter not yet created).
func (s *Store) peek(ctx context.Context, id string) (int, error) {
	var cur struct {
		N int `bson:"n"`
	}
	err := s.sequences.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&cur)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return 0, interpretError(err, "sequence", id)
	}
	return cur.N, nil
}

func (s *Store) insertNumberedPlain(ctx context.Context, unit, day string, year int, build func(seq, line int) (*engine.Dossier, []engine.Notification, error)) error {
	cur, err := s.peek(ctx, unit+"/"+day)
	if err != nil {
		return err
	}
	curLine := 0
	if year > 0 {
		if curLine, err = s.peek(ctx, unit+"/"+engine.RegisterSeries(year)); err != nil {
			return err
		}
		curLine++
	}
	d, outbox, err := build(cur+1, curLine)
	if err != nil {
		return err
	}
	if err := checkNew(d); err != nil {
		return err
	}
	if d.ReceiveKey != "" {
		if _, err := s.GetByReceiveKey(ctx, d.ReceiveKey); err == nil {
			return &engine.DuplicateError{Key: d.ReceiveKey}
		}
	}
	seq, err := s.NextSequence(ctx, unit, day)
	if err != nil {
		return err
	}
	line := 0
	if year > 0 {
		if line, err = s.NextRegisterNumber(ctx, unit, year); err != nil {
			return err
		}
	}
	if seq != cur+1 || line != curLine {
		if d, outbox, err = build(seq, line); err != nil {
			return err
		}
	}
	return s.Insert(ctx, d, outbox)
}

// checkNew is Insert's version rule, checked before a number is taken.
func checkNew(d *engine.Dossier) error {
	if d.Version != 1 {
		return &engine.InvalidInputError{Field: "version",
			Reason: fmt.Sprintf("dossier %s: a new dossier is stored at version 1, not %d", d.Code, d.Version)}
	}
	return nil
}

// createCounter creates the counter id at 0 if it is missing, outside
// any transaction: two first takers upserting it inside theirs would
// collide on _id, an error a transaction does not retry. Creating it is
// idempotent and takes no number.
func (s *Store) createCounter(ctx context.Context, id string) error {
	_, err := s.sequences.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$setOnInsert", Value: bson.D{{Key: "n", Value: 0}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return interpretError(err, "sequence", id)
	}
	return nil
}

// take increments the counter id (created by createCounter) and returns
// its new value; inside a transaction a concurrent taker's increment is a
// write conflict, which WithTransaction retries.
func (s *Store) take(ctx context.Context, id string) (int, error) {
	var doc struct {
		N int `bson:"n"`
	}
	err := s.sequences.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 1}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&doc)
	return doc.N, err
}

func (s *Store) insertNumberedTxn(ctx context.Context, unit, day string, year int, build func(seq, line int) (*engine.Dossier, []engine.Notification, error)) error {
	id := unit + "/" + day
	if err := s.createCounter(ctx, id); err != nil {
		return err
	}
	book := unit + "/" + engine.RegisterSeries(year)
	if year > 0 {
		if err := s.createCounter(ctx, book); err != nil {
			return err
		}
	}
	sess, err := s.client.StartSession()
	if err != nil {
		return fmt.Errorf("mongostore: session: %w", err)
	}
	defer sess.EndSession(context.Background())
	var d *engine.Dossier
	var refused error // build's or the version rule's: not the database's
	_, err = sess.WithTransaction(ctx, func(ctx context.Context) (any, error) {
		refused = nil
		// A concurrent reception's increment is a write conflict, which
		// WithTransaction retries with a fresh number.
		seq, err := s.take(ctx, id)
		if err != nil {
			return nil, err
		}
		line := 0
		if year > 0 {
			if line, err = s.take(ctx, book); err != nil {
				return nil, err
			}
		}
		var outbox []engine.Notification
		if d, outbox, refused = build(seq, line); refused != nil {
			return nil, refused
		}
		if refused = checkNew(d); refused != nil {
			return nil, refused
		}
		dd := docOf(d)
		if dd.Outbox, err = notificationDocs(outbox); err != nil {
			return nil, fmt.Errorf("mongostore: encode notifications: %w", err)
		}
		_, err = s.dossiers.InsertOne(ctx, dd)
		return nil, err
	})
	switch {
	case err == nil:
		return nil
	case refused != nil:
		return refused
	case !mongo.IsDuplicateKeyError(err):
		return interpretError(err, "dossier", id)
	}
	// The transaction is aborted, the counter back where it was. Which
	// key collided decides, as in Insert: a used reception key takes no
	// number; a used code keeps its number taken, so that the engine's
	// next attempt gets the next one, and its register line free, so that
	// the next attempt gets the same line.
	if d.ReceiveKey != "" {
		if _, gerr := s.GetByReceiveKey(ctx, d.ReceiveKey); gerr == nil {
			return &engine.DuplicateError{Key: d.ReceiveKey}
		}
	}
	if _, err := s.NextSequence(ctx, unit, day); err != nil {
		return err
	}
	return &engine.DuplicateError{Code: d.Code}
}
