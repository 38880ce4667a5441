package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

// NextSequence returns the next number of the daily series unit/day with
// one atomic upsert-and-increment.
func (s *Store) NextSequence(ctx context.Context, unit, day string) (int, error) {
	id := unit + "/" + day
	opts := options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)
	var err error
	// Two first callers of a day may both try to insert the counter; the
	// loser gets a duplicate key on _id and simply increments the winner's.
	for attempt := 0; attempt < 3; attempt++ {
		var doc struct {
			N int `bson:"n"`
		}
		err = s.sequences.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 1}}}}, opts).Decode(&doc)
		if err == nil {
			return doc.N, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			break
		}
	}
	return 0, interpretError(err, "sequence", id)
}

// Insert stores d with its history and the notifications decided at
// reception in its outbox: one document, one insert.
func (s *Store) Insert(ctx context.Context, d *engine.Dossier, outbox []engine.Notification) error {
	if d.Version != 1 {
		return &engine.InvalidInputError{Field: "version",
			Reason: fmt.Sprintf("dossier %s: a new dossier is stored at version 1, not %d", d.Code, d.Version)}
	}
	doc := docOf(d)
	var err error
	if doc.Outbox, err = notificationDocs(outbox); err != nil {
		return fmt.Errorf("mongostore: encode notifications: %w", err)
	}
	_, err = s.dossiers.InsertOne(ctx, doc)
	if err == nil {
		return nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return interpretError(err, "dossier", d.Code)
	}
	// Which key collided: the reception key wins, since the engine answers
	// that case with the first reception (idempotent retry).
	if d.ReceiveKey != "" {
		if _, gerr := s.GetByReceiveKey(ctx, d.ReceiveKey); gerr == nil {
			return &engine.DuplicateError{Key: d.ReceiveKey}
		}
	}
	return &engine.DuplicateError{Code: d.Code}
}

// Get returns the dossier with code.
func (s *Store) Get(ctx context.Context, code string) (*engine.Dossier, error) {
	return s.findOne(ctx, bson.D{{Key: "_id", Value: code}}, "dossier", code)
}

// GetByReceiveKey returns the dossier received with the idempotency key.
func (s *Store) GetByReceiveKey(ctx context.Context, key string) (*engine.Dossier, error) {
	if key == "" {
		return nil, &engine.NotFoundError{What: "reception key", ID: key}
	}
	return s.findOne(ctx, bson.D{{Key: "receive_key", Value: key}}, "reception key", key)
}

func (s *Store) findOne(ctx context.Context, filter bson.D, what, id string) (*engine.Dossier, error) {
	var doc dossierDoc
	err := s.dossiers.FindOne(ctx, filter, options.FindOne().SetProjection(dossierProjection)).Decode(&doc)
	if err != nil {
		return nil, interpretError(err, what, id)
	}
	return doc.dossier(), nil
}

// follows checks the version rule shared by Apply and ApplyAlarms.
func follows(d *engine.Dossier, prev int64) error {
	if d.Version != prev+1 {
		return &engine.InvalidInputError{Field: "version",
			Reason: fmt.Sprintf("dossier %s: new version %d does not follow %d", d.Code, d.Version, prev)}
	}
	return nil
}

// Apply writes the transition to d as one conditional update of the
// dossier's document: fields set or cleared, the new history row and the
// notifications appended, all provided the stored version is still prev
// and the stored history has one row less than d's.
func (s *Store) Apply(ctx context.Context, d *engine.Dossier, prev int64, outbox []engine.Notification) error {
	if err := follows(d, prev); err != nil {
		return err
	}
	if len(d.History) == 0 {
		return &engine.InvalidInputError{Field: "history", Reason: fmt.Sprintf("dossier %s: no new history row", d.Code)}
	}
	full, err := bson.Marshal(docOf(d))
	if err != nil {
		return fmt.Errorf("mongostore: encode dossier %s: %w", d.Code, err)
	}
	elems, err := bson.Raw(full).Elements()
	if err != nil {
		return fmt.Errorf("mongostore: encode dossier %s: %w", d.Code, err)
	}
	set := bson.D{}
	present := map[string]bool{}
	for _, e := range elems {
		k := e.Key()
		present[k] = true
		switch k {
		case "_id", "history", "outbox", "receive_key":
			continue
		}
		set = append(set, bson.E{Key: k, Value: e.Value()})
	}
	// omitempty leaves cleared fields (a due instant while paused) out of
	// the encoding; they must be removed from the stored document too.
	unset := bson.D{}
	for _, k := range topFields {
		if !present[k] {
			unset = append(unset, bson.E{Key: k, Value: ""})
		}
	}
	notes, err := notificationDocs(outbox)
	if err != nil {
		return fmt.Errorf("mongostore: encode notifications: %w", err)
	}
	have := len(d.History) - 1
	row, err := bson.Marshal(historyDocOf(d.History[have]))
	if err != nil {
		return fmt.Errorf("mongostore: encode history: %w", err)
	}

	// The $size condition makes the append exact: a row is never written
	// twice or skipped.
	filter := bson.D{{Key: "_id", Value: d.Code}, {Key: "version", Value: prev}}
	push := bson.D{}
	if have == 0 {
		// A dossier stored without rows may hold null, which $push
		// refuses and $size does not match: set the row instead.
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "history", Value: bson.D{{Key: "$size", Value: 0}}}},
			bson.D{{Key: "history", Value: nil}},
		}})
		set = append(set, bson.E{Key: "history", Value: bson.A{bson.Raw(row)}})
	} else {
		filter = append(filter, bson.E{Key: "history", Value: bson.D{{Key: "$size", Value: have}}})
		push = append(push, bson.E{Key: "history", Value: bson.D{{Key: "$each", Value: bson.A{bson.Raw(row)}}}})
	}
	if len(notes) > 0 {
		push = append(push, bson.E{Key: "outbox", Value: bson.D{{Key: "$each", Value: notes}}})
	}
	update := bson.D{{Key: "$set", Value: set}}
	if len(unset) > 0 {
		update = append(update, bson.E{Key: "$unset", Value: unset})
	}
	if len(push) > 0 {
		update = append(update, bson.E{Key: "$push", Value: push})
	}
	res, err := s.dossiers.UpdateOne(ctx, filter, update)
	if err != nil {
		return interpretError(err, "dossier", d.Code)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	// Nothing matched: the dossier is gone, has moved on, or holds a
	// history of another length than d's minus the new row.
	var cur struct {
		Version int64      `bson:"version"`
		History []bson.Raw `bson:"history"`
	}
	err = s.dossiers.FindOne(ctx, bson.D{{Key: "_id", Value: d.Code}},
		options.FindOne().SetProjection(bson.D{{Key: "version", Value: 1}, {Key: "history", Value: 1}})).Decode(&cur)
	if err != nil {
		return interpretError(err, "dossier", d.Code)
	}
	if cur.Version != prev || len(cur.History) == have {
		// Equal lengths: it moved on and back to prev's history between
		// the update and this read, which only a newer write explains.
		return &engine.ConflictError{Code: d.Code, Version: prev}
	}
	return &engine.InvalidInputError{Field: "history",
		Reason: fmt.Sprintf("dossier %s: %d rows given, %d stored; a transition adds exactly one", d.Code, len(d.History), len(cur.History))}
}

// ApplyAlarms writes the alarm fields of d (fired keys, next check,
// update instant) and the version as one conditional update, with the
// notifications pushed into the outbox; nothing else of the document is
// touched.
func (s *Store) ApplyAlarms(ctx context.Context, d *engine.Dossier, prev int64, outbox []engine.Notification) error {
	if err := follows(d, prev); err != nil {
		return err
	}
	set := bson.D{{Key: "version", Value: d.Version}, {Key: "updated_at", Value: d.UpdatedAt}}
	unset := bson.D{}
	if len(d.Fired) > 0 {
		set = append(set, bson.E{Key: "fired", Value: d.Fired})
	} else {
		unset = append(unset, bson.E{Key: "fired", Value: ""})
	}
	if d.NextCheckAt != nil {
		set = append(set, bson.E{Key: "next_check_at", Value: *d.NextCheckAt})
	} else {
		unset = append(unset, bson.E{Key: "next_check_at", Value: ""})
	}
	update := bson.D{{Key: "$set", Value: set}}
	if len(unset) > 0 {
		update = append(update, bson.E{Key: "$unset", Value: unset})
	}
	notes, err := notificationDocs(outbox)
	if err != nil {
		return fmt.Errorf("mongostore: encode notifications: %w", err)
	}
	if len(notes) > 0 {
		update = append(update, bson.E{Key: "$push", Value: bson.D{{Key: "outbox", Value: bson.D{{Key: "$each", Value: notes}}}}})
	}
	res, err := s.dossiers.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.Code}, {Key: "version", Value: prev}}, update)
	if err != nil {
		return interpretError(err, "dossier", d.Code)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	var cur struct {
		Version int64 `bson:"version"`
	}
	err = s.dossiers.FindOne(ctx, bson.D{{Key: "_id", Value: d.Code}},
		options.FindOne().SetProjection(bson.D{{Key: "version", Value: 1}})).Decode(&cur)
	if err != nil {
		return interpretError(err, "dossier", d.Code)
	}
	return &engine.ConflictError{Code: d.Code, Version: prev}
}
