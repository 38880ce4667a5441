package report

import (
	"context"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// ComputeLegalOnly is Compute without the Decision 766 section: the
// baseline its benchmark measures the section's cost against.
func ComputeLegalOnly(ctx context.Context, src Source, cal *calendar.Calendar, q Query) (*Report, error) {
	if q.By == "" {
		q.By = ByUnit
	}
	c := newComputer(cal, q)
	c.d766 = nil
	err := src.Scan(ctx, engine.Query{ReceivedTo: c.end, OpenAt: c.start}, c.add)
	if err != nil {
		return nil, err
	}
	return c.report(), nil
}
