package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

// filterOf translates a query into a filter that the index planDossiers
// names can serve (indexes.go).
func filterOf(q engine.Query) bson.D {
	var and bson.A
	add := func(k string, v any) { and = append(and, bson.D{{Key: k, Value: v}}) }
	if len(q.Units) > 0 {
		add("unit", bson.D{{Key: "$in", Value: q.Units}})
	}
	switch {
	case len(q.Status) > 0:
		add("status", bson.D{{Key: "$in", Value: q.Status}})
	case q.Overdue:
		// added below
	case len(q.Units) > 0 || q.OrderByDue:
		// No status asked: every status, which changes no result and
		// lets the index that starts with (unit,) status serve the query.
		add("status", bson.D{{Key: "$in", Value: allStatuses}})
	}
	if q.Overdue {
		// A dossier without a due instant (paused) is never overdue, and
		// due_order is noDue then: "in progress, due_order before now"
		// is the rule, as an equality and a range an index serves
		// (status $ne and an unindexed due_at served none).
		add("status", engine.StatusInProgress)
		add("due_order", bson.D{{Key: "$lt", Value: q.Now}})
	}
	if q.State != "" {
		add("state", q.State)
	}
	if q.Procedure != "" {
		add("procedure", q.Procedure)
	}
	if q.Kind != "" {
		add("kind", q.Kind)
	}
	if e, ok := searchFilter(q.Text); ok {
		add(e.Key, e.Value)
	}
	if q.Channel != "" {
		add("channel", q.Channel)
	}
	// due_order is noDue without a due instant: a due bound excludes it.
	if !q.DueFrom.IsZero() {
		add("due_order", bson.D{{Key: "$gte", Value: q.DueFrom}})
	}
	if !q.DueTo.IsZero() {
		add("due_order", bson.D{{Key: "$lt", Value: q.DueTo}})
	} else if !q.DueFrom.IsZero() {
		add("due_order", bson.D{{Key: "$lt", Value: noDue}})
	}
	if a := q.After; a != nil {
		// Keyset paging, as DueForCheck's cursor: a range on the order's
		// first key, the tie on the code as a residual $or.
		if q.OrderByDue {
			due := noDue
			if a.Due != nil {
				due = a.Due.UTC()
			}
			add("due_order", bson.D{{Key: "$gte", Value: due}})
			and = append(and, bson.D{{Key: "$or", Value: bson.A{
				bson.D{{Key: "due_order", Value: bson.D{{Key: "$gt", Value: due}}}},
				bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: a.Code}}}},
			}}})
		} else {
			add("_id", bson.D{{Key: "$gt", Value: a.Code}})
		}
	}
	if !q.ReceivedFrom.IsZero() {
		add("received_at", bson.D{{Key: "$gte", Value: q.ReceivedFrom}})
	}
	if !q.ReceivedTo.IsZero() {
		add("received_at", bson.D{{Key: "$lt", Value: q.ReceivedTo}})
	}
	// A missing finished_at (not finished) fails $gte and $lt alike.
	if !q.FinishedFrom.IsZero() {
		add("finished_at", bson.D{{Key: "$gte", Value: q.FinishedFrom}})
	}
	if !q.FinishedTo.IsZero() {
		add("finished_at", bson.D{{Key: "$lt", Value: q.FinishedTo}})
	}
	if !q.OpenAt.IsZero() {
		// {finished_at: null} matches the missing field (the store writes
		// none for an open dossier) and an explicit null alike. Both
		// clauses are on finished_at: one index scan with two intervals.
		and = append(and, bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "finished_at", Value: nil}},
			bson.D{{Key: "finished_at", Value: bson.D{{Key: "$gte", Value: q.OpenAt}}}},
		}}})
	}
	switch len(and) {
	case 0:
		return bson.D{}
	case 1:
		return and[0].(bson.D)
	}
	return bson.D{{Key: "$and", Value: and}}
}

// sortOf is the order of a List or Scan.
func sortOf(q engine.Query) bson.D {
	if q.OrderByDue {
		return bson.D{{Key: "due_order", Value: 1}, {Key: "_id", Value: 1}}
	}
	return bson.D{{Key: "_id", Value: 1}}
}

func findOptions(q engine.Query) *options.FindOptionsBuilder {
	proj := dossierProjection
	if q.Slim {
		proj = slimProjection
	}
	o := options.Find().SetSort(sortOf(q)).SetProjection(proj).SetHint(planDossiers(q).index)
	if q.Offset > 0 {
		o.SetSkip(int64(q.Offset))
	}
	if q.Limit > 0 {
		o.SetLimit(int64(q.Limit))
	}
	return o
}

// List returns one page of dossiers matching q.
func (s *Store) List(ctx context.Context, q engine.Query) ([]*engine.Dossier, error) {
	q.Slim = false // lists show whole dossiers
	var out []*engine.Dossier
	err := s.Scan(ctx, q, func(d *engine.Dossier) error {
		out = append(out, d)
		return nil
	})
	return out, err
}

// Scan streams the dossiers matching q to fn, in q's order; an error
// from fn stops the scan and is returned as is.
func (s *Store) Scan(ctx context.Context, q engine.Query, fn func(*engine.Dossier) error) error {
	return s.each(ctx, filterOf(q), findOptions(q), fn)
}

func (s *Store) each(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder, fn func(*engine.Dossier) error) error {
	cur, err := s.dossiers.Find(ctx, filter, opts)
	if err != nil {
		return interpretError(err, "dossier", "")
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var doc dossierDoc
		if err := cur.Decode(&doc); err != nil {
			return fmt.Errorf("mongostore: decode dossier: %w", err)
		}
		if err := fn(doc.dossier()); err != nil {
			return err
		}
	}
	return interpretError(cur.Err(), "dossier", "")
}

// DueForCheck returns open dossiers whose next check is at or before at,
// in (next check, code) order after the cursor.
func (s *Store) DueForCheck(ctx context.Context, at time.Time, after engine.Cursor, limit int) ([]*engine.Dossier, error) {
	filter, opts := dueForCheckQuery(at, after, limit)
	var out []*engine.Dossier
	err := s.each(ctx, filter, opts, func(d *engine.Dossier) error {
		out = append(out, d)
		return nil
	})
	return out, err
}

// dueForCheckQuery is DueForCheck's find, apart for the index test. The
// cursor is a range on next_check_at (from after.At on) with the tie on
// the code as a residual $or, so the whole query is one range scan of
// deadline_watch in its order.
func dueForCheckQuery(at time.Time, after engine.Cursor, limit int) (bson.D, *options.FindOptionsBuilder) {
	rng := bson.D{{Key: "$lte", Value: at}}
	if !after.At.IsZero() || after.Code != "" {
		rng = append(rng, bson.E{Key: "$gte", Value: after.At})
	}
	filter := bson.D{
		{Key: "next_check_at", Value: rng},
		{Key: "status", Value: bson.D{{Key: "$ne", Value: engine.StatusFinished}}},
	}
	if !after.At.IsZero() || after.Code != "" {
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "next_check_at", Value: bson.D{{Key: "$gt", Value: after.At}}}},
			bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: after.Code}}}},
		}})
	}
	opts := options.Find().
		SetSort(bson.D{{Key: "next_check_at", Value: 1}, {Key: "_id", Value: 1}}).
		SetProjection(dossierProjection).SetHint(idxWatch)
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	return filter, opts
}
