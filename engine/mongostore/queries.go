package mongostore

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

// filterOf translates a query into a filter; every clause is one that
// MongoDB can serve from the indexes above and FerretDB understands.
func filterOf(q engine.Query) bson.D {
	var and bson.A
	add := func(k string, v any) { and = append(and, bson.D{{Key: k, Value: v}}) }
	if len(q.Units) > 0 {
		add("unit", bson.D{{Key: "$in", Value: q.Units}})
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
	if len(q.Status) > 0 {
		add("status", bson.D{{Key: "$in", Value: q.Status}})
	}
	if q.Overdue {
		add("status", bson.D{{Key: "$ne", Value: engine.StatusFinished}})
		add("due_at", bson.D{{Key: "$lt", Value: q.Now}})
	}
	if text := strings.TrimSpace(q.Text); text != "" {
		// Quoted: the user's text is matched literally, never as a pattern.
		and = append(and, bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "_id", Value: bson.D{{Key: "$regex", Value: regexp.QuoteMeta(text)}, {Key: "$options", Value: "i"}}}},
			bson.D{{Key: "applicant_name_lc", Value: bson.D{{Key: "$regex", Value: regexp.QuoteMeta(strings.ToLower(text))}}}},
		}}})
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
		// none for an open dossier) and an explicit null alike.
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

func findOptions(q engine.Query) *options.FindOptionsBuilder {
	sort := bson.D{{Key: "_id", Value: 1}}
	if q.OrderByDue {
		sort = bson.D{{Key: "due_order", Value: 1}, {Key: "_id", Value: 1}}
	}
	o := options.Find().SetSort(sort).SetProjection(dossierProjection)
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
	filter := bson.D{
		{Key: "next_check_at", Value: bson.D{{Key: "$lte", Value: at}}},
		{Key: "status", Value: bson.D{{Key: "$ne", Value: engine.StatusFinished}}},
	}
	if !after.At.IsZero() || after.Code != "" {
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "next_check_at", Value: bson.D{{Key: "$gt", Value: after.At}}}},
			bson.D{{Key: "next_check_at", Value: after.At}, {Key: "_id", Value: bson.D{{Key: "$gt", Value: after.Code}}}},
		}})
	}
	opts := options.Find().
		SetSort(bson.D{{Key: "next_check_at", Value: 1}, {Key: "_id", Value: 1}}).
		SetProjection(dossierProjection)
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	var out []*engine.Dossier
	err := s.each(ctx, filter, opts, func(d *engine.Dossier) error {
		out = append(out, d)
		return nil
	})
	return out, err
}
