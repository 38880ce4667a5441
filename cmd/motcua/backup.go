package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/filestore"
	"github.com/motcua/motcua/engine/sqlitestore"
)

const backupUsage = `usage: motcua backup [--data DIR] BACKUP_DIR

Takes a consistent copy of the embedded store in DIR into the new folder
BACKUP_DIR, also while "motcua serve" runs on DIR and writes: the
database as of one commit (SQLite's VACUUM INTO, a read transaction that
never blocks serve), then every file the copied database refers to (hard
links when BACKUP_DIR is on the same disk, copies checked against their
SHA-256 otherwise), and credentials.json. Files are written before the
rows that refer to them, so every file the copy names exists. BACKUP_DIR
opens as a data folder: "motcua serve --data BACKUP_DIR" restores it.

With MongoDB, use mongodump: the files are in the same database (GridFS
collections files.files and files.chunks), see docs/operations.md.`

// runBackup is "motcua backup".
func runBackup(ctx context.Context, m *Main, args []string) error {
	fl := newFlags("backup", backupUsage)
	sf := addStoreFlags(fl)
	if err := fl.parse(m, args); err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return usagef("backup: give the backup folder\n%s", backupUsage)
	}
	sf.resolve(m.Getenv)
	if sf.mongoURI != "" {
		return usagef("backup: for MongoDB use mongodump (it includes the files' GridFS collections)\n%s", backupUsage)
	}
	n, err := Backup(ctx, sf.dataDir, fl.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "motcua: backup of %s in %s: database and %d file(s)\n", sf.dataDir, fl.Arg(0), n)
	return nil
}

// Backup copies the embedded store of dataDir into the new folder dest
// (see backupUsage) and returns how many files it holds.
func Backup(ctx context.Context, dataDir, dest string) (int, error) {
	if entries, err := os.ReadDir(dest); err == nil && len(entries) > 0 {
		return 0, &engine.InvalidInputError{Field: "BACKUP_DIR", Reason: dest + " is not empty", ReasonVI: dest + " không trống"}
	}
	if err := os.MkdirAll(dest, 0o750); err != nil {
		return 0, err
	}
	if err := sqlitestore.Backup(ctx, dataDir, filepath.Join(dest, sqlitestore.DBFile)); err != nil {
		return 0, err
	}
	if err := copyFile(credentialsPath(dataDir), credentialsPath(dest), ""); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("backup: credentials: %w", err)
	}
	copyStore, err := sqlitestore.Open(dest)
	if err != nil {
		return 0, err
	}
	keep, err := engine.ReferencedFiles(ctx, copyStore)
	copyStore.Close()
	if err != nil {
		return 0, err
	}
	src, err := filestore.Open(filesDir(dataDir))
	if err != nil {
		return 0, err
	}
	dst, err := filestore.Open(filesDir(dest))
	if err != nil {
		return 0, err
	}
	for sha := range keep {
		from, to := src.Path(sha), dst.Path(sha)
		if err := os.MkdirAll(filepath.Dir(to), 0o750); err != nil {
			return 0, err
		}
		// A file of the record never changes: a hard link is a copy.
		if err := os.Link(from, to); err == nil {
			continue
		}
		if err := copyFile(from, to, sha); err != nil {
			return 0, fmt.Errorf("backup: file %s: %w", sha, err)
		}
	}
	return len(keep), nil
}

// copyFile copies from to the new file to, synced; with sha set, the
// copy's hash must be sha.
func copyFile(from, to, sha string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(out, h), in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	if sha != "" && hex.EncodeToString(h.Sum(nil)) != sha {
		return fmt.Errorf("copied bytes do not hash to %s", sha)
	}
	return nil
}
