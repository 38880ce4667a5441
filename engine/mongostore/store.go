package mongostore

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

// Store is an engine.Store on one MongoDB database. It is safe for
// concurrent use.
type Store struct {
	client        *mongo.Client
	db            *mongo.Database
	dossiers      *mongo.Collection
	notifications *mongo.Collection
	sequences     *mongo.Collection
	leases        *mongo.Collection
	credentials   *mongo.Collection
	procedures    *mongo.Collection
	sessions      *mongo.Collection
}

var (
	_ engine.Store           = (*Store)(nil)
	_ engine.CredentialStore = (*Store)(nil)
)

// Collection names.
const (
	collDossiers      = "dossiers"
	collNotifications = "notifications"
	collSequences     = "sequences"
	collLeases        = "leases"
	collCredentials   = "credentials"
	collProcedures    = "procedure_versions"
)

// noDue sorts dossiers without a due instant (paused ones) after all
// others: MongoDB sorts a missing field first, and the inbox order wants
// them last.
var noDue = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// Open connects to the MongoDB at uri, checks that it answers, and
// creates the indexes of database dbName (idempotent: reopening finds
// them in place).
func Open(ctx context.Context, uri, dbName string) (*Store, error) {
	if dbName == "" {
		return nil, &engine.InvalidInputError{Field: "database", Reason: "empty name"}
	}
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		return nil, fmt.Errorf("mongostore: connect: %w", err)
	}
	if err := client.Ping(ctx, nil); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("mongostore: ping: %w", err)
	}
	db := client.Database(dbName)
	s := &Store{
		client:        client,
		db:            db,
		dossiers:      db.Collection(collDossiers),
		notifications: db.Collection(collNotifications),
		sequences:     db.Collection(collSequences),
		leases:        db.Collection(collLeases),
		credentials:   db.Collection(collCredentials),
		procedures:    db.Collection(collProcedures),
		sessions:      db.Collection(collSessions),
	}
	if err := s.ensureIndexes(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	return s, nil
}

// ensureIndexes creates the indexes the product's queries need. Partial
// indexes would fit "open dossiers only" better, but FerretDB cannot
// create them; a sparse index plus a status filter does the same work.
func (s *Store) ensureIndexes(ctx context.Context) error {
	dossiers := []mongo.IndexModel{
		// The reception idempotency key: one dossier per key. Sparse so
		// that dossiers received without a key do not collide on null.
		{Keys: bson.D{{Key: "receive_key", Value: 1}},
			Options: options.Index().SetName("receive_key").SetUnique(true).SetSparse(true)},
		// Inboxes: a unit's dossiers in a status, by due instant.
		{Keys: bson.D{{Key: "unit", Value: 1}, {Key: "status", Value: 1}, {Key: "due_order", Value: 1}, {Key: "_id", Value: 1}},
			Options: options.Index().SetName("inbox")},
		// The deadline watch: open dossiers by next check (finished ones
		// have no next_check_at, so the sparse index holds open ones only).
		{Keys: bson.D{{Key: "next_check_at", Value: 1}, {Key: "_id", Value: 1}},
			Options: options.Index().SetName("deadline_watch").SetSparse(true)},
		// Reports and lists by reception period.
		{Keys: bson.D{{Key: "received_at", Value: 1}},
			Options: options.Index().SetName("received_at")},
		// Digests and reports by finished instant: "finished in [from,
		// to)" is one range of it, "open at t" (finished_at null or at or
		// after t) two. Not sparse, although most dossiers end finished:
		// MongoDB does not use a sparse index for a {finished_at: null}
		// clause (it would miss the open dossiers), and an $or with one
		// clause it cannot serve from an index scans the collection.
		{Keys: bson.D{{Key: "finished_at", Value: 1}},
			Options: options.Index().SetName("finished_at")},
		// The relay: dossiers still holding notifications.
		{Keys: bson.D{{Key: "outbox._id", Value: 1}},
			Options: options.Index().SetName("outbox").SetSparse(true)},
	}
	if err := createIndexes(ctx, s.dossiers, dossiers); err != nil {
		return err
	}
	notifications := []mongo.IndexModel{
		// The dispatcher: pending notifications due for an attempt.
		{Keys: bson.D{{Key: "status", Value: 1}, {Key: "next_attempt", Value: 1}},
			Options: options.Index().SetName("pending")},
		// A dossier's notifications, newest first.
		{Keys: bson.D{{Key: "dossier", Value: 1}, {Key: "at", Value: -1}},
			Options: options.Index().SetName("by_dossier")},
		{Keys: bson.D{{Key: "at", Value: -1}},
			Options: options.Index().SetName("at")},
	}
	if err := createIndexes(ctx, s.notifications, notifications); err != nil {
		return err
	}
	return createIndexes(ctx, s.sessions, sessionIndexes())
}

// createIndexes creates the indexes one command each. Creating an index
// that exists with the same name and keys is a no-op, but FerretDB 1.24
// drops the connection when one createIndexes command lists several
// existing indexes (it deletes from the slice it iterates over).
func createIndexes(ctx context.Context, c *mongo.Collection, models []mongo.IndexModel) error {
	for _, m := range models {
		if _, err := c.Indexes().CreateOne(ctx, m); err != nil {
			return fmt.Errorf("mongostore: create index on %s: %w", c.Name(), err)
		}
	}
	return nil
}

// Close disconnects from the server.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.client.Disconnect(ctx)
}

// Database returns the underlying database, for tests and tools that
// inspect the stored documents.
func (s *Store) Database() *mongo.Database { return s.db }

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

func marshalAll[T any](xs []T) ([]bson.Raw, error) {
	out := make([]bson.Raw, 0, len(xs))
	for _, x := range xs {
		b, err := bson.Marshal(x)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

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
	if q.Text != "" {
		// Quoted: the user's text is matched literally, never as a pattern.
		and = append(and, bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "_id", Value: bson.D{{Key: "$regex", Value: regexp.QuoteMeta(q.Text)}, {Key: "$options", Value: "i"}}}},
			bson.D{{Key: "applicant_name_lc", Value: bson.D{{Key: "$regex", Value: regexp.QuoteMeta(strings.ToLower(q.Text))}}}},
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
		d := new(engine.Dossier)
		if err := cur.Decode(d); err != nil {
			return fmt.Errorf("mongostore: decode dossier: %w", err)
		}
		if err := fn(d); err != nil {
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

// AddNotification inserts n; false when its ID exists already.
func (s *Store) AddNotification(ctx context.Context, n engine.Notification) (bool, error) {
	_, err := s.notifications.InsertOne(ctx, n)
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
	cur, err := s.dossiers.Find(ctx,
		bson.D{{Key: "outbox._id", Value: bson.D{{Key: "$exists", Value: true}}}},
		options.Find().SetProjection(bson.D{{Key: "outbox", Value: 1}}))
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
// notifications due at now, by next attempt.
func (s *Store) PendingNotifications(ctx context.Context, now time.Time, limit int) ([]engine.Notification, error) {
	if _, err := s.Relay(ctx); err != nil {
		return nil, err
	}
	filter := bson.D{
		{Key: "status", Value: engine.NotificationPending},
		{Key: "next_attempt", Value: bson.D{{Key: "$lte", Value: now}}},
	}
	opts := options.Find().SetSort(bson.D{{Key: "next_attempt", Value: 1}, {Key: "at", Value: 1}, {Key: "_id", Value: 1}})
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	return s.findNotifications(ctx, filter, opts)
}

// Notifications relays, then lists notifications newest first,
// optionally of one dossier.
func (s *Store) Notifications(ctx context.Context, dossier string, limit int) ([]engine.Notification, error) {
	if _, err := s.Relay(ctx); err != nil {
		return nil, err
	}
	filter := bson.D{}
	if dossier != "" {
		filter = bson.D{{Key: "dossier", Value: dossier}}
	}
	opts := options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}})
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	return s.findNotifications(ctx, filter, opts)
}

func (s *Store) findNotifications(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder) ([]engine.Notification, error) {
	cur, err := s.notifications.Find(ctx, filter, opts)
	if err != nil {
		return nil, interpretError(err, "notification", "")
	}
	out := []engine.Notification{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, interpretError(err, "notification", "")
	}
	return out, nil
}

// UpdateNotification records a delivery attempt of n.ID.
func (s *Store) UpdateNotification(ctx context.Context, n engine.Notification) error {
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
	for attempt := 0; ; attempt++ {
		res, err := s.notifications.UpdateOne(ctx, bson.D{{Key: "_id", Value: n.ID}}, update)
		if err != nil {
			return interpretError(err, "notification", n.ID)
		}
		if res.MatchedCount == 1 {
			return nil
		}
		if attempt > 0 {
			return &engine.NotFoundError{What: "notification", ID: n.ID}
		}
		// It may still sit in its dossier's outbox.
		if _, err := s.Relay(ctx); err != nil {
			return err
		}
	}
}

// AcquireLease takes or renews the lease name for holder until the given
// instant, if it is free, expired at now, or held by holder already: one
// conditional upsert, whose insert collides on _id when another holder's
// live lease exists.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	filter := bson.D{
		{Key: "_id", Value: name},
		{Key: "$or", Value: bson.A{
			bson.D{{Key: "holder", Value: holder}},
			bson.D{{Key: "until", Value: bson.D{{Key: "$lte", Value: now}}}},
		}},
	}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "holder", Value: holder}, {Key: "until", Value: until}}}}
	_, err := s.leases.UpdateOne(ctx, filter, update, options.UpdateOne().SetUpsert(true))
	if err == nil {
		return true, nil
	}
	if mongo.IsDuplicateKeyError(err) {
		return false, nil
	}
	// A server that reports the upsert's collision otherwise (FerretDB
	// does so for duplicates raised by updates) is read back: a live
	// lease of another holder means a refusal, not a failure.
	var cur struct {
		Holder string    `bson:"holder"`
		Until  time.Time `bson:"until"`
	}
	if ferr := s.leases.FindOne(ctx, bson.D{{Key: "_id", Value: name}}).Decode(&cur); ferr == nil &&
		cur.Holder != holder && cur.Until.After(now) {
		return false, nil
	}
	return false, interpretError(err, "lease", name)
}

// interpretError maps driver errors to engine errors: no document is a
// *engine.NotFoundError, a duplicate key a *engine.DuplicateError;
// context errors pass through unwrapped so callers can test for them;
// anything else is wrapped as an internal error.
func interpretError(err error, what, id string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return &engine.NotFoundError{What: what, ID: id}
	case mongo.IsDuplicateKeyError(err):
		if what == "reception key" {
			return &engine.DuplicateError{Key: id}
		}
		return &engine.DuplicateError{Code: id}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	if id != "" {
		return fmt.Errorf("mongostore: %s %s: %w", what, id, err)
	}
	return fmt.Errorf("mongostore: %s: %w", what, err)
}

// Credential returns the person's credential from the credentials
// collection (one document per person, _id = person). Keeping them in
// the database rather than in a file beside each process means that
// several motcua processes on one MongoDB share one set of passwords and
// tokens.
func (s *Store) Credential(ctx context.Context, person string) (engine.Credential, error) {
	var c engine.Credential
	if err := s.credentials.FindOne(ctx, bson.D{{Key: "_id", Value: person}}).Decode(&c); err != nil {
		return engine.Credential{}, interpretError(err, "credential", person)
	}
	return c, nil
}

// PutCredential replaces the person's credential document, creating it
// if needed: one upsert, so the last writer wins, as with the file store.
func (s *Store) PutCredential(ctx context.Context, c engine.Credential) error {
	if c.Person == "" {
		return &engine.InvalidInputError{Field: "person", Reason: "empty"}
	}
	_, err := s.credentials.ReplaceOne(ctx, bson.D{{Key: "_id", Value: c.Person}}, c,
		options.Replace().SetUpsert(true))
	return interpretError(err, "credential", c.Person)
}

// Credentials returns every credential, ordered by person.
func (s *Store) Credentials(ctx context.Context) ([]engine.Credential, error) {
	cur, err := s.credentials.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, interpretError(err, "credential", "")
	}
	out := []engine.Credential{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, interpretError(err, "credential", "")
	}
	return out, nil
}
