package mongostore_test

import (
	"bytes"
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/mongostore"
)

// TestFileStoreSuite runs the file store contract the disk store of
// engine/filestore also passes, on GridFS through FerretDB.
func TestFileStoreSuite(t *testing.T) {
	enginetest.RunFileStoreSuite(t, func(t *testing.T) engine.FileStore { return newStore(t).Files() })
}

// TestRefusedPutLeavesNoChunks: the suite sees files; GridFS keeps bytes
// in chunks too, which a refused upload must not leave behind either.
func TestRefusedPutLeavesNoChunks(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	fs := s.Files()
	if _, _, err := fs.Put(ctx, bytes.NewReader(enginetest.FileBytes(600<<10, 1)), 300<<10); engine.ErrorCode(err) != engine.ETOOLARGE {
		t.Fatalf("Put over the cap: %v", err)
	}
	n, err := s.Database().Collection(mongostore.FilesBucket+".chunks").CountDocuments(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("a refused upload left %d chunk(s)", n)
	}
}
