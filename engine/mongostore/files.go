package mongostore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
)

// FilesBucket is the GridFS bucket of the dossiers' files: collections
// files.files (one document per stored file, filename = its SHA-256) and
// files.chunks (the bytes, 255 KiB per chunk). mongodump includes both.
const FilesBucket = "files"

// pendingName is the filename of an upload while its hash is unknown;
// the upload is renamed to its hash once complete, and a crash before
// that leaves a pending file the sweep collects.
const pendingName = "pending"

// GridFS is the file store of a MongoDB deployment (engine.FileStore),
// on the driver's GridFS bucket: the bytes live in the database beside
// the dossiers, so that every process sharing the database serves every
// file and one mongodump backs both up.
//
// Content addressing on GridFS: an upload streams into a file named
// "pending" through the hash, is then renamed to its hash, or removed if
// a file of that hash exists (whose upload date is refreshed so that a
// sweep in progress spares it). Two concurrent uploads of the same bytes
// may both be renamed: the bytes are then kept twice, both under the one
// hash, which Open and Sweep treat as one file.
type GridFS struct {
	bucket *mongo.GridFSBucket
	files  *mongo.Collection
	now    func() time.Time
}

var _ engine.FileStore = (*GridFS)(nil)

// Files returns the store's GridFS file store.
func (s *Store) Files() *GridFS {
	b := s.db.GridFSBucket(options.GridFSBucket().SetName(FilesBucket))
	return &GridFS{bucket: b, files: b.GetFilesCollection(), now: time.Now}
}

// Put implements engine.FileStore.
func (g *GridFS) Put(ctx context.Context, r io.Reader, max int64) (string, int64, error) {
	up, err := g.bucket.OpenUploadStream(ctx, pendingName)
	if err != nil {
		return "", 0, interpretError(err, "file", "")
	}
	h := sha256.New()
	src := r
	if max > 0 {
		src = io.LimitReader(r, max+1)
	}
	n, err := io.Copy(io.MultiWriter(up, h), src)
	if err == nil && max > 0 && n > max {
		err = &engine.FileTooLargeError{Limit: max}
	}
	if err != nil {
		_ = up.Abort() // removes the chunks written so far
		return "", 0, err
	}
	if err := up.Close(); err != nil {
		return "", 0, interpretError(err, "file", "")
	}
	sha := hex.EncodeToString(h.Sum(nil))
	res, err := g.files.UpdateOne(ctx, bson.D{{Key: "filename", Value: sha}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "uploadDate", Value: g.now().UTC()}}}})
	if err != nil {
		return "", 0, interpretError(err, "file", "")
	}
	if res.MatchedCount > 0 {
		// The bytes were stored already: drop this copy.
		if err := g.bucket.Delete(ctx, up.FileID); err != nil {
			return "", 0, interpretError(err, "file", "")
		}
		return sha, n, nil
	}
	if err := g.bucket.Rename(ctx, up.FileID, sha); err != nil {
		return "", 0, interpretError(err, "file", "")
	}
	return sha, n, nil
}

// Open implements engine.FileStore.
func (g *GridFS) Open(ctx context.Context, sha string) (io.ReadCloser, int64, error) {
	if len(sha) != 64 {
		return nil, 0, &engine.NotFoundError{What: "file", ID: sha}
	}
	ds, err := g.bucket.OpenDownloadStreamByName(ctx, sha)
	if errors.Is(err, mongo.ErrFileNotFound) {
		return nil, 0, &engine.NotFoundError{What: "file", ID: sha}
	}
	if err != nil {
		return nil, 0, interpretError(err, "file", "")
	}
	return ds, ds.GetFile().Length, nil
}

// Sweep implements engine.FileStore: files not in keep (pending uploads
// included) uploaded before the instant before are deleted, chunks and
// all.
func (g *GridFS) Sweep(ctx context.Context, keep map[string]bool, before time.Time) (int, error) {
	cur, err := g.files.Find(ctx, bson.D{{Key: "uploadDate", Value: bson.D{{Key: "$lt", Value: before.UTC()}}}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "filename", Value: 1}}))
	if err != nil {
		return 0, interpretError(err, "file", "")
	}
	var doomed []any
	for cur.Next(ctx) {
		var f struct {
			ID       any    `bson:"_id"`
			Filename string `bson:"filename"`
		}
		if err := cur.Decode(&f); err != nil {
			cur.Close(ctx)
			return 0, err
		}
		if !keep[f.Filename] {
			doomed = append(doomed, f.ID)
		}
	}
	if err := cur.Err(); err != nil {
		cur.Close(ctx)
		return 0, interpretError(err, "file", "")
	}
	cur.Close(ctx)
	removed := 0
	for _, id := range doomed {
		if err := g.bucket.Delete(ctx, id); err != nil && !errors.Is(err, mongo.ErrFileNotFound) {
			return removed, interpretError(err, "file", "")
		}
		removed++
	}
	return removed, nil
}
