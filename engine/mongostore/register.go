package mongostore

import (
	"context"

	"github.com/motcua/motcua/engine"
)

var _ engine.RegisterStore = (*Store)(nil)

// NextRegisterNumber implements engine.RegisterStore. The book's counter
// is a document of sequences, _id "UNIT/Y2026" (engine.RegisterSeries),
// beside the unit's daily "UNIT/YYMMDD": the same atomic
// findOneAndUpdate, and the two keys never meet.
func (s *Store) NextRegisterNumber(ctx context.Context, unit string, year int) (int, error) {
	return s.NextSequence(ctx, unit, engine.RegisterSeries(year))
}
