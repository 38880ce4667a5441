package mongostore

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

// stored is the document form of a dossier: its own fields plus the
// fields only this store reads.
type stored struct {
	engine.Dossier `bson:",inline"`
	// NameLC is the applicant's name lower-cased, for case-insensitive
	// search with a plain, index-friendly $regex.
	NameLC string `bson:"applicant_name_lc"`
	// DueOrder is DueAt, or noDue when there is none.
	DueOrder time.Time `bson:"due_order"`
	// Outbox holds notifications written with the dossier and not yet
	// relayed to the notifications collection.
	Outbox []bson.Raw `bson:"outbox,omitempty"`
}

func storedOf(d *engine.Dossier) stored {
	s := stored{Dossier: *d, NameLC: strings.ToLower(d.Applicant.Name), DueOrder: noDue}
	if d.DueAt != nil {
		s.DueOrder = *d.DueAt
	}
	return s
}

// dossierProjection leaves out what engine.Dossier has no field for.
var dossierProjection = bson.D{{Key: "outbox", Value: 0}, {Key: "applicant_name_lc", Value: 0}, {Key: "due_order", Value: 0}}

// topFields lists the top-level document fields of a dossier that a
// transition may set or clear: every bson name of engine.Dossier except
// _id and history (appended, never rewritten). Computed from the struct
// so that a field added to the engine type is written without a change
// here.
var topFields = func() []string {
	var out []string
	t := reflect.TypeOf(engine.Dossier{})
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("bson"), ",")
		if name == "" || name == "-" || name == "_id" || name == "history" {
			continue
		}
		out = append(out, name)
	}
	return out
}()

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

// Insert stores d at version 1 (setting d.Version) with its history and
// the notifications decided at reception in its outbox.
func (s *Store) Insert(ctx context.Context, d *engine.Dossier, outbox []engine.Notification) error {
	d.Version = 1
	doc := storedOf(d)
	var err error
	if doc.Outbox, err = marshalAll(outbox); err != nil {
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
	var d engine.Dossier
	err := s.dossiers.FindOne(ctx, filter, options.FindOne().SetProjection(dossierProjection)).Decode(&d)
	if err != nil {
		return nil, interpretError(err, what, id)
	}
	return &d, nil
}

// Apply writes the transition to d as one conditional update of the
// dossier's document: fields set or cleared, the new history row and the
// notifications appended, all provided the stored version is still prev.
func (s *Store) Apply(ctx context.Context, d *engine.Dossier, prev int64, outbox []engine.Notification) error {
	if d.Version != prev+1 {
		return &engine.InvalidInputError{Field: "version",
			Reason: fmt.Sprintf("dossier %s: new version %d does not follow %d", d.Code, d.Version, prev)}
	}
	full, err := bson.Marshal(storedOf(d))
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
		if k == "_id" || k == "history" || k == "outbox" {
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
	notes, err := marshalAll(outbox)
	if err != nil {
		return fmt.Errorf("mongostore: encode notifications: %w", err)
	}

	// The stored history normally has one row less than d's (the
	// contract: d.History ends with the new row). The $size condition
	// makes the append exact: a row is never written twice or skipped,
	// whatever the caller's history holds.
	have := max(len(d.History)-1, 0)
	for attempt := 0; attempt < 4; attempt++ {
		fields := append(bson.D{}, set...)
		filter := bson.D{{Key: "_id", Value: d.Code}, {Key: "version", Value: prev}}
		push := bson.D{}
		rows, err := marshalAll(d.History[have:])
		if err != nil {
			return fmt.Errorf("mongostore: encode history: %w", err)
		}
		if have == 0 {
			// A dossier stored without rows may hold null, which $push
			// refuses and $size does not match: set the rows instead.
			filter = append(filter, bson.E{Key: "$or", Value: bson.A{
				bson.D{{Key: "history", Value: bson.D{{Key: "$size", Value: 0}}}},
				bson.D{{Key: "history", Value: nil}},
			}})
			if len(rows) > 0 {
				fields = append(fields, bson.E{Key: "history", Value: rows})
			}
		} else {
			filter = append(filter, bson.E{Key: "history", Value: bson.D{{Key: "$size", Value: have}}})
			if len(rows) > 0 {
				push = append(push, bson.E{Key: "history", Value: bson.D{{Key: "$each", Value: rows}}})
			}
		}
		if len(notes) > 0 {
			push = append(push, bson.E{Key: "outbox", Value: bson.D{{Key: "$each", Value: notes}}})
		}
		update := bson.D{{Key: "$set", Value: fields}}
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
		// history of another length than assumed.
		var cur struct {
			Version int64               `bson:"version"`
			History []engine.HistoryRow `bson:"history"`
		}
		err = s.dossiers.FindOne(ctx, bson.D{{Key: "_id", Value: d.Code}},
			options.FindOne().SetProjection(bson.D{{Key: "version", Value: 1}, {Key: "history", Value: 1}})).Decode(&cur)
		if err != nil {
			return interpretError(err, "dossier", d.Code)
		}
		if cur.Version != prev {
			return &engine.ConflictError{Code: d.Code, Version: prev}
		}
		if len(cur.History) > len(d.History) {
			return &engine.InvalidInputError{Field: "history",
				Reason: fmt.Sprintf("dossier %s: %d rows given, %d stored", d.Code, len(d.History), len(cur.History))}
		}
		have = len(cur.History)
	}
	return &engine.ConflictError{Code: d.Code, Version: prev}
}
