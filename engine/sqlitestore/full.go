package sqlitestore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/motcua/motcua/engine"
)

// sqliteFull is SQLITE_FULL: the database or the disk under it is full.
// Extended codes keep it in their low byte.
const sqliteFull = 13

// storageFull turns a full disk or database into *engine.StorageFullError
// (ESTORAGEFULL, 507) and returns every other error as it is: a full disk
// must read as "free space", not as a bug (issue 15).
func storageFull(err error) error {
	if err == nil {
		return nil
	}
	var sf *engine.StorageFullError
	if errors.As(err, &sf) {
		return err
	}
	var se interface{ Code() int }
	if errors.As(err, &se) && se.Code()&0xff == sqliteFull {
		return &engine.StorageFullError{Where: "database", Err: err}
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return &engine.StorageFullError{Where: "database", Err: err}
	}
	return err
}

// readyProbe is the file Ready writes in the data folder.
const readyProbe = ".ready-probe"

// probeSize is what Ready writes to the folder: enough to need a fresh
// block, so a disk with no block left fails here before a dossier does.
const probeSize = 64 << 10

// Ready reports whether the store can write now: it commits a row to the
// database and writes, syncs and removes a probe file in the data folder.
// A full disk or database is *engine.StorageFullError; serve's readiness
// endpoint answers 503 with it, so a load balancer stops sending writes.
func (s *Store) Ready(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS readiness (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL)`); err != nil {
		return storageFull(fmt.Errorf("readiness: %w", err))
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO readiness (id, at) VALUES (1, unixepoch('subsec') * 1000)
		ON CONFLICT (id) DO UPDATE SET at = excluded.at`); err != nil {
		return storageFull(fmt.Errorf("readiness: %w", err))
	}
	return ProbeDir(filepath.Join(s.dir, readyProbe), "database")
}

// ProbeDir writes probeSize bytes to path, syncs and removes it: the
// cheapest proof that the folder's disk takes writes. ENOSPC becomes
// *engine.StorageFullError naming where.
func ProbeDir(path, where string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return probeErr(err, where)
	}
	_, werr := f.Write(make([]byte, probeSize))
	if werr == nil {
		werr = f.Sync()
	}
	cerr := f.Close()
	_ = os.Remove(path)
	if err := errors.Join(werr, cerr); err != nil {
		return probeErr(err, where)
	}
	return nil
}

func probeErr(err error, where string) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return &engine.StorageFullError{Where: where, Err: err}
	}
	return fmt.Errorf("readiness (%s): %w", where, err)
}

// Leftovers lists the files a closed store left beside its database, with
// their sizes: the WAL and its index stay when the last checkpoint could
// not run (a full disk, another process still reading). Nothing is lost —
// the next open replays them — but a stop message saying "stopped" alone
// hid that the disk still holds them (issue 15). Call it after Close.
func (s *Store) Leftovers() []string {
	var out []string
	for _, suffix := range []string{"-wal", "-shm"} {
		fi, err := os.Stat(filepath.Join(s.dir, DBFile+suffix))
		if err != nil || fi.Size() == 0 {
			continue
		}
		out = append(out, fmt.Sprintf("%s (%d bytes)", fi.Name(), fi.Size()))
	}
	return out
}
