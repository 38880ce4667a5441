package sqlitestore

import (
	"context"

	"github.com/motcua/motcua/engine"
)

var _ engine.RegisterStore = (*Store)(nil)

// NextRegisterNumber implements engine.RegisterStore. The book's counter
// is a row of the sequences table under the series "Y2026"
// (engine.RegisterSeries), beside the unit's daily series "YYMMDD": the
// same atomic upsert, no schema change, and the two keys never meet.
func (s *Store) NextRegisterNumber(ctx context.Context, unit string, year int) (int, error) {
	return s.NextSequence(ctx, unit, engine.RegisterSeries(year))
}
