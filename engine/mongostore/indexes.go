package mongostore

import (
	"context"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

// This file is the one place that says which index serves which query.
// Every find of the store names its index with a hint (planDossiers,
// and the constants below for the others), so the server never falls
// back to a collection scan when its statistics mislead it; the prefix
// test (indexes_internal_test.go) checks, without a server, that each
// query's equality fields, then its sort, then its ranges follow the
// keys of the index it names, and with MOTCUA_TEST_MONGODB_URI set it
// runs explain on each and fails on a COLLSCAN or an in-memory SORT
// that the table below does not declare bounded.

// Index names of the dossiers collection added by schema 2. The ones of
// schema 1 keep their names (indexesV1).
const (
	idxID         = "_id_"
	idxInbox      = "inbox"            // {unit, status, due_order, _id}
	idxUnitCode   = "unit_status_code" // {unit, status, _id}
	idxStatusCode = "status_code"      // {status, _id}
	idxStatusDue  = "status_due"       // {status, due_order, _id}
	idxWatch      = "deadline_watch"   // {next_check_at, _id}, sparse
	idxFinished   = "finished_at"      // {finished_at}
	idxReceived   = "received_at"      // {received_at}
	idxOutbox     = "outbox"           // {outbox._id}, sparse
	idxReceiveKey = "receive_key"      // {receive_key}, unique sparse
	idxPending    = "pending_v2"       // notifications {status, next_attempt, _id}
	idxByDossier  = "by_dossier_v2"    // notifications {dossier, at: -1, _id: -1}
	idxNewest     = "newest"           // notifications {at: -1, _id: -1}
)

// allStatuses is every status a dossier can have. A query that names no
// status filters on all of them, which changes no result but lets an
// index that starts with status (or unit, status) serve it: MongoDB
// turns the $in into one ordered scan per value and merges them in the
// sort's order (SORT_MERGE), without sorting in memory.
var allStatuses = []engine.Status{engine.StatusInProgress, engine.StatusPaused, engine.StatusFinished}

// droppedByV2 are schema 1's notification indexes that schema 2 replaces.
var droppedByV2 = []string{"pending", "by_dossier", "at"}

// indexesV2 are the indexes schema 2 adds or replaces (migration 2).
func indexesV2() (dossiers, notifications []mongo.IndexModel) {
	asc := func(keys ...string) bson.D {
		d := bson.D{}
		for _, k := range keys {
			v := 1
			if strings.HasPrefix(k, "-") {
				k, v = k[1:], -1
			}
			d = append(d, bson.E{Key: k, Value: v})
		}
		return d
	}
	dossiers = []mongo.IndexModel{
		// Lists of units in code order.
		{Keys: asc("unit", "status", "_id"), Options: options.Index().SetName(idxUnitCode)},
		// Lists and scans by status (the open dossiers: metrics,
		// recompute, digests) in code order.
		{Keys: asc("status", "_id"), Options: options.Index().SetName(idxStatusCode)},
		// Lists by due instant without a unit, and the overdue filter.
		{Keys: asc("status", "due_order", "_id"), Options: options.Index().SetName(idxStatusDue)},
	}
	notifications = []mongo.IndexModel{
		// The dispatcher: equality on status, then next_attempt is both
		// the range and the sort, then the ID breaks ties. Replaces
		// schema 1's {status, next_attempt}, which left the ID to an
		// in-memory sort.
		{Keys: asc("status", "next_attempt", "_id"), Options: options.Index().SetName(idxPending)},
		// A dossier's notifications, newest first, ties by ID descending.
		{Keys: asc("dossier", "-at", "-_id"), Options: options.Index().SetName(idxByDossier)},
		// Every notification, newest first (Notifications("")).
		{Keys: asc("-at", "-_id"), Options: options.Index().SetName(idxNewest)},
	}
	return dossiers, notifications
}

// migrateV2 creates schema 2's indexes, drops the ones they replace, and
// backfills search_lc, the derived field text search reads.
func (s *Store) migrateV2(ctx context.Context) error {
	dossiers, notifications := indexesV2()
	if err := createIndexes(ctx, s.dossiers, dossiers); err != nil {
		return err
	}
	if err := createIndexes(ctx, s.notifications, notifications); err != nil {
		return err
	}
	for _, old := range droppedByV2 {
		if err := s.notifications.Indexes().DropOne(ctx, old); err != nil && !isIndexNotFound(err) {
			return err
		}
	}
	return s.backfillSearch(ctx)
}

// backfillSearch writes search_lc on the dossiers that lack it (schema 2).
func (s *Store) backfillSearch(ctx context.Context) error {
	return s.backfill(ctx, "search_lc", bson.D{{Key: "_id", Value: 1}, {Key: "applicant.name", Value: 1}},
		func(cur *mongo.Cursor) (string, any, error) {
			var doc struct {
				Code      string `bson:"_id"`
				Applicant struct {
					Name string `bson:"name"`
				} `bson:"applicant"`
			}
			err := cur.Decode(&doc)
			return doc.Code, searchOf(doc.Code, doc.Applicant.Name), err
		})
}

// searchSep separates the code from the name in search_lc. A search text
// never spans it: text search drops it from what it looks for.
const searchSep = "\x00"

// searchOf is the derived field text search reads: the code and the
// applicant's name, lower-cased, in one field, so that a search is one
// $regex on one field rather than an $or of two.
func searchOf(code, name string) string {
	return strings.ToLower(code) + searchSep + strings.ToLower(name)
}

// plan is how one query is served: the index its hint names, and, when
// the sort cannot come from that index, why the in-memory sort is
// bounded (the explain test accepts a SORT stage only then).
type plan struct {
	index       string
	boundedSort string
}

// planDossiers chooses the index of a List or Scan. The order is by code
// unless q.OrderByDue; the equality fields (units, statuses) come first
// in every index chosen, then the sort, so no list sorts in memory; the
// bounded-range reads (a day's or a period's finished dossiers, a
// report's period) sort their matches, which the range bounds.
func planDossiers(q engine.Query) plan {
	units, status := len(q.Units) > 0, len(q.Status) > 0 || q.Overdue
	_, search := searchFilter(q.Text)
	switch {
	case search:
		// The keys that start with a text are few (a name, a code, a
		// phone); every other filter is checked on them.
		return plan{index: idxSearch, boundedSort: "the dossiers whose search keys start with the text"}
	case q.OrderByDue && units:
		return plan{index: idxInbox}
	case q.OrderByDue:
		return plan{index: idxStatusDue}
	case units:
		return plan{index: idxUnitCode}
	case status:
		return plan{index: idxStatusCode}
	case !q.FinishedFrom.IsZero() || !q.FinishedTo.IsZero() || !q.OpenAt.IsZero():
		return plan{index: idxFinished, boundedSort: "the dossiers finished in a range, or open at an instant"}
	case !q.ReceivedFrom.IsZero() || !q.ReceivedTo.IsZero():
		return plan{index: idxReceived, boundedSort: "the dossiers received in a range"}
	}
	// Nothing narrower: walk the code index (every dossier, in order;
	// state, procedure, kind and text filter the documents read).
	return plan{index: idxID}
}
