package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/filestore"
	"github.com/motcua/motcua/engine/mongostore"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// The dossiers' files in serve: where their bytes live (the files folder
// beside the embedded database, or GridFS in the MongoDB), the caps, and
// the sweep of orphans.

// byteSize is a size flag: "20MB", "512KB", or plain bytes.
type byteSize int64

func (b *byteSize) String() string {
	if *b%(1<<20) == 0 {
		return fmt.Sprintf("%dMB", int64(*b)>>20)
	}
	return strconv.FormatInt(int64(*b), 10)
}

func (b *byteSize) Set(v string) error {
	s := strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "MB"):
		mult, s = 1<<20, strings.TrimSuffix(s, "MB")
	case strings.HasSuffix(s, "KB"):
		mult, s = 1<<10, strings.TrimSuffix(s, "KB")
	case strings.HasSuffix(s, "B"):
		s = strings.TrimSuffix(s, "B")
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("%q is not a size such as 20MB", v)
	}
	*b = byteSize(n * mult)
	return nil
}

// filesDir is where the embedded store keeps the files' bytes.
func filesDir(dataDir string) string { return filepath.Join(dataDir, filestore.Dir) }

// openFileStore returns the file store beside store: GridFS on MongoDB,
// the files folder of the data folder otherwise; and a readiness probe of
// the folder (nil on MongoDB, whose own probe covers it).
func openFileStore(sf *storeFlags, store engine.Store) (engine.FileStore, func(context.Context) error, error) {
	if ms, ok := store.(*mongostore.Store); ok {
		return ms.Files(), nil, nil
	}
	dir := filesDir(sf.dataDir)
	disk, err := filestore.Open(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("files folder: %w", err)
	}
	probe := func(context.Context) error {
		return sqlitestore.ProbeDir(filepath.Join(dir, ".ready-probe"), "files folder")
	}
	return disk, probe, nil
}

// Sweeps of orphaned files: a day's grace, far longer than any upload
// takes between its bytes and its row, checked every six hours. Each
// sweep reads every dossier's file list, so it is not run more often.
const (
	filesSweepEvery = 6 * time.Hour
	filesSweepGrace = 24 * time.Hour
)

// sweepFiles removes the stored bytes no dossier refers to, once older
// than the grace period (a crash between an upload's bytes and its row).
func sweepFiles(ctx context.Context, store engine.Store, fs engine.FileStore, now time.Time) (int, error) {
	keep, err := engine.ReferencedFiles(ctx, store)
	if err != nil {
		return 0, err
	}
	return fs.Sweep(ctx, keep, now.Add(-filesSweepGrace))
}

// runFileSweeps sweeps orphaned files every filesSweepEvery until ctx ends.
func runFileSweeps(ctx context.Context, store engine.Store, fs engine.FileStore, now func() time.Time, log *slog.Logger) {
	t := time.NewTicker(filesSweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := sweepFiles(ctx, store, fs, now())
			if err != nil {
				log.Warn("files sweep", "err", err)
			} else if n > 0 {
				log.Info("files sweep: orphaned files removed", "count", n)
			}
		}
	}
}
