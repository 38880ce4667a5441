package filestore

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/motcua/motcua/engine"
)

// Dir is the name of the files' folder inside the data folder.
const Dir = "files"

// tmpDir holds uploads being written, beside the stored bytes so that the
// rename never crosses a file system.
const tmpDir = "tmp"

// Disk is the file store of the embedded deployment.
type Disk struct {
	root string
	// Now is the clock of a Put that finds its bytes already stored (it
	// refreshes their time); nil is the system clock.
	Now func() time.Time
}

var _ engine.FileStore = (*Disk)(nil)

// Open opens (creating it if needed) the file store in root, normally
// <data>/files.
func Open(root string) (*Disk, error) {
	if err := os.MkdirAll(filepath.Join(root, tmpDir), 0o750); err != nil {
		return nil, full(err)
	}
	return &Disk{root: root}, nil
}

// Root is the folder the store keeps its files in.
func (d *Disk) Root() string { return d.root }

func (d *Disk) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// validSHA reports whether s is a hex SHA-256 as the store writes them:
// the only names that ever reach a path.
func validSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Path returns where the bytes of sha are kept; sha must be a hex SHA-256.
func (d *Disk) Path(sha string) string {
	return filepath.Join(d.root, sha[:2], sha[2:4], sha)
}

// putBuffer gathers an upload's small reads into larger writes.
const putBuffer = 256 << 10

// Put implements engine.FileStore.
func (d *Disk) Put(ctx context.Context, r io.Reader, max int64) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Join(d.root, tmpDir), "put-*")
	if err != nil {
		return "", 0, full(err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	src := r
	if max > 0 {
		src = io.LimitReader(r, max+1)
	}
	// A multipart upload reads in pieces of 4 KB (the multipart reader's
	// buffer); written as they come, a 20 MB scan is 5,000 write calls.
	// Gathered first, it is 80.
	bw := bufio.NewWriterSize(tmp, putBuffer)
	n, err := io.Copy(io.MultiWriter(bw, h), &ctxReader{ctx: ctx, r: src})
	if err != nil {
		return "", 0, full(err)
	}
	if max > 0 && n > max {
		return "", 0, &engine.FileTooLargeError{Limit: max}
	}
	if err := bw.Flush(); err != nil {
		return "", 0, full(err)
	}
	if err := tmp.Sync(); err != nil {
		return "", 0, full(err)
	}
	if err := tmp.Close(); err != nil {
		return "", 0, full(err)
	}
	sha := hex.EncodeToString(h.Sum(nil))
	final := d.Path(sha)
	if _, err := os.Stat(final); err == nil {
		// The same bytes are stored: keep them, and tell a sweep in
		// progress they are in use again.
		now := d.now()
		if err := os.Chtimes(final, now, now); err != nil {
			return "", 0, full(err)
		}
		os.Remove(tmp.Name())
		done = true
		return sha, n, nil
	}
	if err := d.mkdirs(sha); err != nil {
		return "", 0, err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", 0, full(err)
	}
	done = true
	// The rename is durable only once its folder is synced.
	if err := syncDir(filepath.Dir(final)); err != nil {
		return "", 0, full(err)
	}
	return sha, n, nil
}

// mkdirs makes the two levels of sha's folder, syncing each parent whose
// entries changed so that a new folder survives a crash.
func (d *Disk) mkdirs(sha string) error {
	for _, dir := range []string{filepath.Join(d.root, sha[:2]), filepath.Join(d.root, sha[:2], sha[2:4])} {
		err := os.Mkdir(dir, 0o750)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return full(err)
		}
		if err := syncDir(filepath.Dir(dir)); err != nil {
			return full(err)
		}
	}
	return nil
}

// Open implements engine.FileStore.
func (d *Disk) Open(_ context.Context, sha string) (io.ReadCloser, int64, error) {
	if !validSHA(sha) {
		return nil, 0, &engine.NotFoundError{What: "file", ID: sha}
	}
	f, err := os.Open(d.Path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, &engine.NotFoundError{What: "file", ID: sha}
	}
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

// Sweep implements engine.FileStore: unreferenced bytes and abandoned
// uploads last written before the instant before are removed.
func (d *Disk) Sweep(ctx context.Context, keep map[string]bool, before time.Time) (int, error) {
	removed := 0
	err := filepath.WalkDir(d.root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.IsDir() {
			return nil
		}
		name := e.Name()
		inTmp := filepath.Base(filepath.Dir(path)) == tmpDir && strings.HasPrefix(name, "put-")
		if !inTmp && (!validSHA(name) || keep[name]) {
			return nil
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if !info.ModTime().Before(before) {
			return nil
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		removed++
		return nil
	})
	return removed, err
}

// Has reports whether the bytes of sha are stored.
func (d *Disk) Has(sha string) bool {
	if !validSHA(sha) {
		return false
	}
	_, err := os.Stat(d.Path(sha))
	return err == nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// full turns a full disk into the engine's typed error.
func full(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return &engine.StorageFullError{Where: "files folder", Err: err}
	}
	return err
}

// ctxReader stops a copy when the request is gone.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, fmt.Errorf("upload stopped: %w", err)
	}
	return c.r.Read(p)
}
