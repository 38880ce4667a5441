package sqlitestore

import (
	"context"
	"database/sql"

	"github.com/motcua/motcua/engine"
)

var _ engine.RegisterStore = (*Store)(nil)
var _ engine.RegisteringStore = (*Store)(nil)

// NextRegisterNumber implements engine.RegisterStore. The book's counter
// is a row of the sequences table under the series "Y2026"
// (engine.RegisterSeries), beside the unit's daily series "YYMMDD": the
// same atomic upsert, no schema change, and the two keys never meet.
func (s *Store) NextRegisterNumber(ctx context.Context, unit string, year int) (int, error) {
	return s.NextSequence(ctx, unit, engine.RegisterSeries(year))
}

// InsertRegistered implements engine.RegisteringStore: the day's counter,
// the book's counter and the dossier's row in one transaction (one job of
// the committer), so a crash leaves all three or none.
func (s *Store) InsertRegistered(ctx context.Context, unit, day string, year int, build func(seq, line int) (*engine.Dossier, []engine.Notification, error)) error {
	return s.insertNumbered(ctx, unit, day, year, build)
}

// ApplyRegistered implements engine.RegisteringStore: the book's counter
// and Apply's update in one job of the committer, whose savepoint rolls
// the counter back with a refused update. Unlike Apply, the dossier is
// prepared (read and encoded) on the committer's goroutine, since it
// needs the line; an online acceptance is rare enough for that.
func (s *Store) ApplyRegistered(ctx context.Context, unit string, year int, prev int64, build func(line int) (*engine.Dossier, []engine.Notification, error)) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		line, err := s.nextSequence(ctx, tx, unit, engine.RegisterSeries(year))
		if err != nil {
			return err
		}
		d, outbox, err := build(line)
		if err != nil {
			return err
		}
		fn, err := s.applyWrite(ctx, d, prev, outbox)
		if err != nil {
			return err
		}
		return fn(ctx, tx)
	})
}
