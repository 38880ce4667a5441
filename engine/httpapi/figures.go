package httpapi

import (
	"context"
	"time"

	"github.com/motcua/motcua/engine"
)

// openCounts counts the unfinished dossiers for the dashboard and the
// metrics scrape: from the store when it counts them without reading a
// dossier (engine.FigureStore: the embedded store from its kept counts
// and an index, the MongoDB store from the keys of one index),
// otherwise, for a store that does not (a test's, a future one), by a
// Slim scan of the open dossiers, with the same answer.
func openCounts(ctx context.Context, eng *engine.Engine, now, dayEnd time.Time) ([]engine.OpenCount, error) {
	if fs, ok := eng.Store.(engine.FigureStore); ok {
		return fs.OpenCounts(ctx, now, dayEnd)
	}
	return engine.OpenCountsByScan(ctx, eng.Store, now, dayEnd)
}

// dayEndOf is the end of now's civil day in loc: "due today" is due
// before it (engine.DueFlags compares the dates in the calendar's zone).
func dayEndOf(now time.Time, loc *time.Location) time.Time {
	t := now.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
}
