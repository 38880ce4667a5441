package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

// Open counts at a province's scale (issue 14 §3, schema 4).
//
// The dashboard and the metrics scrape ask for the unfinished dossiers'
// counts on every view. The embedded store keeps them in a table updated
// by triggers in each write's transaction; here they are counted from one
// index, open_figures {status, due_order, unit, figure_unit}, that holds
// every field the counts read, so that MongoDB answers from index keys
// alone (IXSCAN and a covered projection, no FETCH of a document).
//
// Why not counters: a counter document per (unit, figure unit, status)
// would have to change in the same write as the dossier, and a write of
// two documents is atomic on MongoDB only inside a multi-document
// transaction, which a standalone server does not have and which would
// turn every transition into a transaction; without one a crash between
// the two writes leaves the counts wrong for good. It would also make a
// few documents that every transition of a unit updates, a hot spot
// where several serve processes' writes conflict and retry. The store
// keeps one document per transition instead (the rule of Apply), and
// pays for the counts at read time with an index scan: at 200,000 open
// dossiers, 200,000 index keys, no document.
//
// Overdue and due today depend on the instant asked, so no counter could
// hold them anyway; due_order comes right after status in the index so
// that they are one range each, costing what is due before the end of
// the day, not what is open.
//
// Three aggregations instead of one $group with conditional sums: the
// $cond a conditional sum needs is not implemented by FerretDB 1.24,
// the server the tests run on (its $group knows $sum of a constant or a
// field and nothing more), and three plain groups are what both it and
// MongoDB run. Each is its own read: a transition that lands between
// them may be counted as open in one and not as overdue in the next.
// The counts are a view that the next scrape refreshes, not a figure of
// record, so the store does not pay for a snapshot (a transaction, or
// read concern "snapshot", which a standalone server refuses).

var _ engine.FigureStore = (*Store)(nil)

// idxOpenFigures is the index the open counts read (schema 4).
const idxOpenFigures = "open_figures" // {status, due_order, unit, figure_unit}

// indexesFigures are the indexes schema 4 adds. Not partial (FerretDB
// cannot create one), so it holds the finished dossiers too; the status
// $in keeps the scans to the open ones.
func indexesFigures() []mongo.IndexModel {
	return []mongo.IndexModel{{
		Keys: bson.D{{Key: "status", Value: 1}, {Key: "due_order", Value: 1},
			{Key: "unit", Value: 1}, {Key: "figure_unit", Value: 1}},
		Options: options.Index().SetName(idxOpenFigures),
	}}
}

// figureQuery is one of the aggregations OpenCounts runs: its $match,
// whether it groups by status as well as (unit, figure unit), and what
// it counts.
type figureQuery struct {
	rule     string
	match    bson.D
	byStatus bool
	add      func(c *engine.OpenCount, status string, n int)
}

// pipeline is the aggregation of q: its $match, then one group per
// (unit, figure unit[, status]) counting its dossiers. The fields are
// all keys of open_figures, and the only fields it reads.
func (q figureQuery) pipeline() bson.A {
	id := bson.D{{Key: "u", Value: "$unit"}, {Key: "f", Value: "$figure_unit"}}
	if q.byStatus {
		id = append(id, bson.E{Key: "s", Value: "$status"})
	}
	return bson.A{
		bson.D{{Key: "$match", Value: q.match}},
		bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: id}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
	}
}

// figureQueries are the aggregations of OpenCounts at now and dayEnd.
// due_order is noDue for a dossier without a due instant, which no range
// below reaches: such a dossier is neither overdue nor due today.
func figureQueries(now, dayEnd time.Time) []figureQuery {
	open := bson.E{Key: "status", Value: bson.D{{Key: "$in", Value: engine.OpenStatuses}}}
	return []figureQuery{
		{rule: "open counts: the open dossiers by unit, figure unit and status",
			match: bson.D{open}, byStatus: true,
			add: func(c *engine.OpenCount, status string, n int) {
				c.Open += n
				if engine.Status(status) == engine.StatusPaused {
					c.Paused += n
				}
			}},
		{rule: "open counts: the overdue, due before now",
			match: bson.D{open, {Key: "due_order", Value: bson.D{{Key: "$lt", Value: now}}}},
			add:   func(c *engine.OpenCount, _ string, n int) { c.Overdue += n }},
		{rule: "open counts: due today, at or after now and before the day's end",
			match: bson.D{open, {Key: "due_order", Value: bson.D{{Key: "$gte", Value: now}, {Key: "$lt", Value: dayEnd}}}},
			add:   func(c *engine.OpenCount, _ string, n int) { c.DueToday += n }},
	}
}

// OpenCounts implements engine.FigureStore from the keys of open_figures
// (see the top of this file): no dossier document is read.
func (s *Store) OpenCounts(ctx context.Context, now, dayEnd time.Time) ([]engine.OpenCount, error) {
	type key struct{ unit, figure string }
	groups := map[key]*engine.OpenCount{}
	for _, q := range figureQueries(now, dayEnd) {
		cur, err := s.dossiers.Aggregate(ctx, q.pipeline(), options.Aggregate().SetHint(idxOpenFigures))
		if err != nil {
			return nil, interpretError(err, "dossier", "")
		}
		var rows []struct {
			ID struct {
				// A dossier without a unit groups under a missing or a
				// null unit (a covered read gives null): both decode to
				// "", and the map below merges them.
				Unit   string `bson:"u"`
				Figure string `bson:"f"`
				Status string `bson:"s"`
			} `bson:"_id"`
			N int `bson:"n"`
		}
		if err := cur.All(ctx, &rows); err != nil {
			return nil, interpretError(err, "dossier", "")
		}
		for _, r := range rows {
			k := key{r.ID.Unit, r.ID.Figure}
			g := groups[k]
			if g == nil {
				g = &engine.OpenCount{Unit: k.unit, FigureUnit: k.figure}
				groups[k] = g
			}
			q.add(g, r.ID.Status, r.N)
		}
	}
	out := make([]engine.OpenCount, 0, len(groups))
	for _, g := range groups {
		// A group seen only by a due count, the dossier having finished
		// between the reads, is left out as having no open dossier.
		if g.Open > 0 {
			out = append(out, *g)
		}
	}
	engine.SortOpenCounts(out)
	return out, nil
}

// migrateFigures creates open_figures and backfills figure_unit on the
// dossiers stored before it (schema 4).
func (s *Store) migrateFigures(ctx context.Context) error {
	if err := createIndexes(ctx, s.dossiers, indexesFigures()); err != nil {
		return err
	}
	return s.backfillFigureUnit(ctx)
}

// backfillFigureUnit writes figure_unit, engine.FigureUnit of the stored
// history, on the dossiers that lack it (schema 4).
func (s *Store) backfillFigureUnit(ctx context.Context) error {
	return s.backfill(ctx, "figure_unit", bson.D{{Key: "_id", Value: 1}, {Key: "receiving_unit", Value: 1}, {Key: "history", Value: 1}},
		func(cur *mongo.Cursor) (string, any, error) {
			var doc struct {
				Code          string `bson:"_id"`
				ReceivingUnit string `bson:"receiving_unit"`
				History       []struct {
					FromUnit string `bson:"from_unit"`
					ToUnit   string `bson:"to_unit"`
				} `bson:"history"`
			}
			if err := cur.Decode(&doc); err != nil {
				return "", nil, err
			}
			d := &engine.Dossier{ReceivingUnit: doc.ReceivingUnit, History: make([]engine.HistoryRow, len(doc.History))}
			for i, h := range doc.History {
				d.History[i] = engine.HistoryRow{FromUnit: h.FromUnit, ToUnit: h.ToUnit}
			}
			return doc.Code, engine.FigureUnit(d), nil
		})
}
