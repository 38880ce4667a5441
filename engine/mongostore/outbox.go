package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

// AddNotification relays, then inserts n; false when its ID exists
// already. The relay first, so that a notification still waiting in a
// dossier's outbox counts as stored: otherwise n would be inserted and
// the relayed one dropped as "already relayed".
func (s *Store) AddNotification(ctx context.Context, n engine.Notification) (bool, error) {
	if _, err := s.Relay(ctx); err != nil {
		return false, err
	}
	_, err := s.notifications.InsertOne(ctx, notificationDocOf(n))
	switch {
	case err == nil:
		return true, nil
	case mongo.IsDuplicateKeyError(err):
		return false, nil
	}
	return false, interpretError(err, "notification", n.ID)
}

// Relay moves notifications written with dossiers into the notifications
// collection and reports how many it inserted. It is safe to run at any
// time and from several processes: an insert that finds the ID relayed
// already changes nothing, and the removal from the dossier matches the
// exact stored values, so it never touches a notification added since.
func (s *Store) Relay(ctx context.Context) (int, error) {
	cur, err := s.outboxReads.Find(ctx,
		bson.D{{Key: "outbox._id", Value: bson.D{{Key: "$exists", Value: true}}}},
		options.Find().SetProjection(bson.D{{Key: "outbox", Value: 1}}).SetHint(idxOutbox))
	if err != nil {
		return 0, interpretError(err, "dossier", "")
	}
	defer cur.Close(ctx)
	n := 0
	for cur.Next(ctx) {
		var doc struct {
			Code   string     `bson:"_id"`
			Outbox []bson.Raw `bson:"outbox"`
		}
		if err := cur.Decode(&doc); err != nil {
			return n, fmt.Errorf("mongostore: decode outbox: %w", err)
		}
		if len(doc.Outbox) == 0 {
			continue
		}
		for _, raw := range doc.Outbox {
			_, err := s.notifications.InsertOne(ctx, raw)
			switch {
			case err == nil:
				n++
			case mongo.IsDuplicateKeyError(err):
				// relayed before a crash: keep the stored delivery state
			default:
				return n, interpretError(err, "notification", "")
			}
		}
		// $pullAll by exact value rather than $pull by id: FerretDB
		// treats a $pull condition as a literal and removes nothing. The
		// values are the bytes just read, so they compare equal.
		vals := make(bson.A, len(doc.Outbox))
		for i, raw := range doc.Outbox {
			vals[i] = raw
		}
		_, err := s.dossiers.UpdateOne(ctx, bson.D{{Key: "_id", Value: doc.Code}},
			bson.D{{Key: "$pullAll", Value: bson.D{{Key: "outbox", Value: vals}}}})
		if err != nil {
			return n, interpretError(err, "dossier", doc.Code)
		}
	}
	return n, interpretError(cur.Err(), "dossier", "")
}

// PendingNotifications relays, then returns up to limit pending
// notifications due at now, by next attempt, then ID.
func (s *Store) PendingNotifications(ctx context.Context, now time.Time, limit int) ([]engine.Notification, error) {
	if _, err := s.Relay(ctx); err != nil {
		return nil, err
	}
	filter := bson.D{
		{Key: "status", Value: engine.NotificationPending},
		{Key: "next_attempt", Value: bson.D{{Key: "$lte", Value: now}}},
	}
	opts := options.Find().SetSort(bson.D{{Key: "next_attempt", Value: 1}, {Key: "_id", Value: 1}}).SetHint(idxPending)
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	return s.findNotifications(ctx, s.pendingReads, filter, opts)
}

// Notifications relays, then lists notifications newest first,
// (ties by ID, descending), optionally of one dossier.
func (s *Store) Notifications(ctx context.Context, dossier string, limit int) ([]engine.Notification, error) {
	if _, err := s.Relay(ctx); err != nil {
		return nil, err
	}
	filter, hint := bson.D{}, idxNewest
	if dossier != "" {
		filter, hint = bson.D{{Key: "dossier", Value: dossier}}, idxByDossier
	}
	opts := options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetHint(hint)
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	return s.findNotifications(ctx, s.notifications, filter, opts)
}

// NotificationsOfKind implements engine.Store: the query Notifications
// declares for one dossier (by_dossier_v2), without the sync payload
// (a projection), the kind and the status kept in Go. A dossier has tens
// of notifications and the by-dossier query is already served by an
// index; filtering them on the server too would need an index of its own
// to stay covered by the prefix test, for no fewer documents read.
func (s *Store) NotificationsOfKind(ctx context.Context, dossier, kind string, pendingOnly bool) ([]engine.Notification, error) {
	if _, err := s.Relay(ctx); err != nil {
		return nil, err
	}
	opts := options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetHint(idxByDossier).
		SetProjection(bson.D{{Key: "data." + engine.SyncPayloadKey, Value: 0}})
	ns, err := s.findNotifications(ctx, s.notifications, bson.D{{Key: "dossier", Value: dossier}}, opts)
	if err != nil {
		return nil, err
	}
	out := ns[:0]
	for _, n := range ns {
		if n.Kind == kind && (!pendingOnly || n.Status == engine.NotificationPending) {
			out = append(out, n)
		}
	}
	return out, nil
}

func (s *Store) findNotifications(ctx context.Context, c *mongo.Collection, filter bson.D, opts *options.FindOptionsBuilder) ([]engine.Notification, error) {
	cur, err := c.Find(ctx, filter, opts)
	if err != nil {
		return nil, interpretError(err, "notification", "")
	}
	var docs []notificationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, interpretError(err, "notification", "")
	}
	out := make([]engine.Notification, len(docs))
	for i := range docs {
		out[i] = docs[i].notification()
	}
	return out, nil
}

// UpdateNotification records a delivery attempt of n.ID, conditional on
// the stored status and attempts being prev's: one updateOne whose filter
// carries them, so two dispatchers can never both record an attempt read
// from the same state.
func (s *Store) UpdateNotification(ctx context.Context, n, prev engine.Notification) error {
	set := bson.D{
		{Key: "status", Value: n.Status},
		{Key: "attempts", Value: n.Attempts},
		{Key: "next_attempt", Value: n.NextAttempt},
	}
	unset := bson.D{}
	if n.SentAt != nil {
		set = append(set, bson.E{Key: "sent_at", Value: *n.SentAt})
	} else {
		unset = append(unset, bson.E{Key: "sent_at", Value: ""})
	}
	if n.LastError != "" {
		set = append(set, bson.E{Key: "last_error", Value: n.LastError})
	} else {
		unset = append(unset, bson.E{Key: "last_error", Value: ""})
	}
	update := bson.D{{Key: "$set", Value: set}, {Key: "$unset", Value: unset}}
	filter := bson.D{{Key: "_id", Value: n.ID}, {Key: "status", Value: prev.Status}, {Key: "attempts", Value: prev.Attempts}}
	for attempt := 0; ; attempt++ {
		res, err := s.notifications.UpdateOne(ctx, filter, update)
		if err != nil {
			return interpretError(err, "notification", n.ID)
		}
		if res.MatchedCount == 1 {
			return nil
		}
		// Gone, changed, or still in its dossier's outbox: tell which.
		err = s.notifications.FindOne(ctx, bson.D{{Key: "_id", Value: n.ID}},
			options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
		switch {
		case err == nil:
			return &engine.NotificationChangedError{ID: n.ID, Status: prev.Status, Attempts: prev.Attempts}
		case !errors.Is(err, mongo.ErrNoDocuments):
			return interpretError(err, "notification", n.ID)
		case attempt > 0:
			return &engine.NotFoundError{What: "notification", ID: n.ID}
		}
		if _, err := s.Relay(ctx); err != nil {
			return err
		}
	}
}
