package mongostore

import (
	"context"
	"errors"
	"fmt"

	"github.com/motcua/motcua/engine"
)

var _ engine.RegisterStore = (*Store)(nil)
var _ engine.RegisteringStore = (*Store)(nil)

// NextRegisterNumber implements engine.RegisterStore. The book's counter
// is a document of sequences, _id "UNIT/Y2026" (engine.RegisterSeries),
// beside the unit's daily "UNIT/YYMMDD": the same atomic
// findOneAndUpdate, and the two keys never meet.
func (s *Store) NextRegisterNumber(ctx context.Context, unit string, year int) (int, error) {
	return s.NextSequence(ctx, unit, engine.RegisterSeries(year))
}

// InsertRegistered implements engine.RegisteringStore.
//
// On a replica set or a sharded cluster the day's counter, the book's
// counter and the dossier's insert are one transaction: a crash, a
// failover or a used code leaves no line of the book unused.
//
// On a standalone server (and FerretDB) there are no transactions: it
// does what InsertNumbered does there, peeking at both counters to try
// build before either moves, then taking the day's number, then the
// line, then inserting. A crash between those writes, a concurrent
// reception with the same key or a used code leaves the line unused (a
// gap in the book), as it leaves the day's number: a deployment that
// cares runs a replica set (docs/operations.md).
func (s *Store) InsertRegistered(ctx context.Context, unit, day string, year int, build func(seq, line int) (*engine.Dossier, []engine.Notification, error)) error {
	return s.insertNumbered(ctx, unit, day, year, build)
}

// ApplyRegistered implements engine.RegisteringStore.
//
// On a replica set or a sharded cluster the book's increment and Apply's
// update are one transaction: a refused update (a lost race) aborts it
// and the line is not taken.
//
// On a standalone server (and FerretDB) the line is taken first and
// Apply follows: a crash between them or a refused update (a concurrent
// action on the dossier) leaves the line unused, a gap in the book.
func (s *Store) ApplyRegistered(ctx context.Context, unit string, year int, prev int64, build func(line int) (*engine.Dossier, []engine.Notification, error)) error {
	book := unit + "/" + engine.RegisterSeries(year)
	if !s.transactions(ctx) {
		line, err := s.NextRegisterNumber(ctx, unit, year)
		if err != nil {
			return err
		}
		d, outbox, err := build(line)
		if err != nil {
			return err
		}
		return s.Apply(ctx, d, prev, outbox)
	}
	if err := s.createCounter(ctx, book); err != nil {
		return err
	}
	sess, err := s.client.StartSession()
	if err != nil {
		return fmt.Errorf("mongostore: session: %w", err)
	}
	defer sess.EndSession(context.Background())
	var refused error // build's or Apply's own refusal: not the database's
	_, err = sess.WithTransaction(ctx, func(ctx context.Context) (any, error) {
		refused = nil
		line, err := s.take(ctx, book)
		if err != nil {
			return nil, err
		}
		d, outbox, err := build(line)
		if err != nil {
			refused = err
			return nil, err
		}
		if err := s.Apply(ctx, d, prev, outbox); err != nil {
			// A typed answer (a lost race, a bad dossier) is Apply's
			// refusal; a driver's error is left to WithTransaction,
			// which retries the transient ones.
			var coded interface{ ErrorCode() engine.Code }
			if errors.As(err, &coded) {
				refused = err
			}
			return nil, err
		}
		return nil, nil
	})
	if refused != nil {
		return refused
	}
	if err != nil {
		return interpretError(err, "sequence", book)
	}
	return nil
}
