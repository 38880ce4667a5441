package engine

import (
	"context"
	"io"
	"time"
)

// FileStore keeps the bytes of dossier files, content-addressed by their
// SHA-256: the same bytes are kept once, whoever uploads them and however
// often. A dossier refers to them through FileRef.SHA256. Every
// implementation passes enginetest.RunFileStoreSuite: the disk store of
// the embedded deployment (engine/filestore) and GridFS on MongoDB
// (engine/mongostore).
//
// Durability comes first: Put returns only once the bytes are durable
// under their hash, so a dossier row written after it never points at
// missing bytes. A crash between the two leaves bytes no row refers to
// (an orphan), which Sweep collects once its grace period has passed.
// Nothing else ever removes bytes: a file of the record is never deleted.
//
// Errors: Open of an unknown hash is a *NotFoundError; Put over max is a
// *FileTooLargeError and keeps nothing.
type FileStore interface {
	// Put streams r into the store and returns the hex SHA-256 and the
	// size of what it read. At most max bytes are accepted (max <= 0: no
	// limit): past it, Put stops reading, keeps nothing and returns a
	// *FileTooLargeError with that limit. An error of r is returned as is,
	// nothing kept. Memory does not grow with the size of r.
	Put(ctx context.Context, r io.Reader, max int64) (sha string, size int64, err error)
	// Open returns the bytes stored under sha, streaming, and their size.
	Open(ctx context.Context, sha string) (io.ReadCloser, int64, error)
	// Sweep removes the stored bytes whose hash keep does not hold and
	// that were last put before the instant before (the grace period: a
	// Put whose row is being written is never collected). It returns how
	// many it removed.
	Sweep(ctx context.Context, keep map[string]bool, before time.Time) (int, error)
}

// ReferencedFiles returns the hash of every file a stored dossier refers
// to: what a sweep of the file store must keep.
func ReferencedFiles(ctx context.Context, s Store) (map[string]bool, error) {
	keep := map[string]bool{}
	err := s.Scan(ctx, Query{}, func(d *Dossier) error {
		for _, f := range d.Files {
			keep[f.SHA256] = true
		}
		return nil
	})
	return keep, err
}
