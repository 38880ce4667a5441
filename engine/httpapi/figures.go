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
	type key struct{ unit, figure string }
	groups := map[key]*engine.OpenCount{}
	err := eng.Scan(ctx, engine.Query{Status: []engine.Status{engine.StatusInProgress, engine.StatusPaused}, Slim: true}, func(d *engine.Dossier) error {
		k := key{d.Unit, engine.FigureUnit(d)}
		g := groups[k]
		if g == nil {
			g = &engine.OpenCount{Unit: k.unit, FigureUnit: k.figure}
			groups[k] = g
		}
		g.Open++
		if d.Status == engine.StatusPaused {
			g.Paused++
		}
		switch {
		case d.DueAt == nil:
		case d.DueAt.Before(now):
			g.Overdue++
		case d.DueAt.Before(dayEnd):
			g.DueToday++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]engine.OpenCount, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	engine.SortOpenCounts(out)
	return out, nil
}

// dayEndOf is the end of now's civil day in loc: "due today" is due
// before it (engine.DueFlags compares the dates in the calendar's zone).
func dayEndOf(now time.Time, loc *time.Location) time.Time {
	t := now.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
}
