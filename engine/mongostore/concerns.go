package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readconcern"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
)

// clientOptions resolves the client options of uri. Unless the URI says
// otherwise, every write waits for a majority of the replica set and its
// journal, and every read goes to the primary: an acknowledged
// transition, a day's dossier number (printed on a receipt) or a lease
// must survive a failover, and a cluster default lowered by an arbiter or
// by an operator would let a rollback hand the same number out twice.
// An operator who sets w= or journal= (or readPreference=) in the URI
// has chosen, and that choice is kept as given.
func clientOptions(uri string) *options.ClientOptions {
	o := options.Client().ApplyURI(uri)
	if o.WriteConcern == nil {
		// ApplyURI leaves it nil unless the URI sets w, journal or wtimeoutMS.
		wc := writeconcern.Majority()
		wc.Journal = new(true)
		o.SetWriteConcern(wc)
	}
	if o.ReadPreference == nil {
		o.SetReadPreference(readpref.Primary())
	}
	return o
}

// majorityReads is how the outbox is read (the relay's scan of the
// dossiers' outboxes, the dispatcher's pending notifications): only what
// a majority holds, so that a notification of a transition a failover is
// about to roll back is never sent.
func majorityReads() *options.CollectionOptionsBuilder {
	return options.Collection().SetReadConcern(readconcern.Majority())
}

// standaloneWarning asks the server what it is and returns a warning, in
// both languages, when it is a standalone server: no replica set means no
// retryable writes and no failover, and a lost disk loses the dossiers.
// A replica set member names its set; a mongos says "isdbgrid".
func (s *Store) standaloneWarning(ctx context.Context) (string, error) {
	var hello struct {
		SetName string `bson:"setName"`
		Msg     string `bson:"msg"`
	}
	if err := s.client.Database("admin").RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&hello); err != nil {
		return "", fmt.Errorf("mongostore: hello: %w", err)
	}
	return helloWarning(hello.SetName, hello.Msg), nil
}

// helloWarning is standaloneWarning's decision, apart for its test.
func helloWarning(setName, msg string) string {
	if setName != "" || msg == "isdbgrid" {
		return ""
	}
	return "MongoDB là máy chủ đơn lẻ (không phải replica set): không có ghi lặp lại an toàn, không có chuyển đổi dự phòng; " +
		"hãy dùng replica set ba nút cho vận hành thật / " +
		"MongoDB is a standalone server (not a replica set): no retryable writes, no failover; " +
		"run a three-node replica set in production"
}
