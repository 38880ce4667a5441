package sqlitestore

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestFullDatabaseIsStorageFull (issue 15 item 9): a write refused by a
// full database says ESTORAGEFULL instead of a generic internal error,
// and nothing is stored.
func TestFullDatabaseIsStorageFull(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("Ready on an empty disk: %v", err)
	}
	// SQLite refuses to grow the file past max_page_count with
	// SQLITE_FULL, exactly as when the disk under it is full.
	var pages int
	if err := s.w.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `PRAGMA max_page_count = `+strconv.Itoa(pages)); err != nil {
		t.Fatal(err)
	}
	var code engine.Code
	for i := 0; i < 200 && code == ""; i++ {
		d := enginetest.NewDossier("full-" + strconv.Itoa(i))
		d.Applicant.Address = string(make([]byte, 4000))
		if err := s.Insert(ctx, d, nil); err != nil {
			code = engine.ErrorCode(err)
		}
	}
	if code != engine.ESTORAGEFULL {
		t.Fatalf("insert into a full database: code %q, want %q", code, engine.ESTORAGEFULL)
	}
}

// TestNoSpaceIsStorageFull: ENOSPC from the disk (here /dev/full, which
// refuses every write with it) is ESTORAGEFULL too.
func TestNoSpaceIsStorageFull(t *testing.T) {
	t.Parallel()
	err := os.WriteFile("/dev/full", []byte("x"), 0o600)
	if err == nil {
		t.Skip("no /dev/full here")
	}
	if got := engine.ErrorCode(storageFull(err)); got != engine.ESTORAGEFULL {
		t.Errorf("ENOSPC: code %q, want %q", got, engine.ESTORAGEFULL)
	}
	if got := engine.ErrorCode(probeErr(err, "files folder")); got != engine.ESTORAGEFULL {
		t.Errorf("probe ENOSPC: code %q", got)
	}
}

// TestLeftoversNameTheWALAClosedStoreLeft: when the last checkpoint
// cannot run (here another connection still has the file open; on a full
// disk, no room to checkpoint), Close leaves the WAL and Leftovers says
// so, for the stop message.
func TestLeftoversNameTheWALAClosedStoreLeft(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Insert(ctx, enginetest.NewDossier("wal-1"), nil); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	left := s.Leftovers()
	if len(left) == 0 || !strings.HasPrefix(left[0], DBFile+"-wal") {
		t.Errorf("Leftovers = %v, want the WAL named", left)
	}
}
