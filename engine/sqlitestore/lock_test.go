package sqlitestore

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// The helper process: when MOTCUA_SQLITESTORE_HELPER is set, the test
// binary acts as a second motcua process on the folder it names.
func TestMain(m *testing.M) {
	switch os.Getenv("MOTCUA_SQLITESTORE_HELPER") {
	case "open":
		// Try to open and report the error on stderr.
		s, err := Open(os.Getenv("MOTCUA_DIR"))
		if err != nil {
			os.Stderr.WriteString(err.Error())
			var le *LockedError
			if errors.As(err, &le) {
				os.Exit(3)
			}
			os.Exit(1)
		}
		s.Close()
		os.Exit(0)
	case "crash":
		// Write a dossier, then die without closing anything.
		s, err := Open(os.Getenv("MOTCUA_DIR"))
		if err != nil {
			os.Stderr.WriteString(err.Error())
			os.Exit(1)
		}
		if err := s.Insert(context.Background(), enginetest.NewDossier("XA01-260302-0001"), nil); err != nil {
			os.Stderr.WriteString(err.Error())
			os.Exit(1)
		}
		os.Exit(0) // no Close: the lock file and the WAL stay behind
	case "receive":
		receiveUntilKilled(os.Getenv("MOTCUA_DIR")) // crash_test.go
	}
	code := m.Run()
	removeSearchBench()
	os.Exit(code)
}

func helper(t *testing.T, mode, dir string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "MOTCUA_SQLITESTORE_HELPER="+mode, "MOTCUA_DIR="+dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

func TestSecondProcessIsRefused(t *testing.T) {
	// Not parallel: a child process forked while a parallel test closes
	// and reopens its store holds, until its exec, a copy of that store's
	// locked file, and the reopen reads as another process's.
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	code, msg := helper(t, "open", dir)
	if code != 3 {
		t.Fatalf("a second process opening %s: exit %d (%s), want a *LockedError", dir, code, msg)
	}
	if !strings.Contains(msg, dir) || !strings.Contains(msg, "another motcua process") {
		t.Errorf("the refusal must name the folder and say why: %q", msg)
	}
	// In the same process a second Open is refused too.
	_, err = Open(dir)
	var le *LockedError
	if !errors.As(err, &le) || engine.ErrorCode(err) != engine.EINVALID {
		t.Errorf("second Open in-process: got %v, want *LockedError (invalid)", err)
	}
	if !strings.Contains(le.Message("vi"), "đang được một tiến trình motcua khác sử dụng") {
		t.Errorf("Vietnamese message: %q", le.Message("vi"))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if code, msg := helper(t, "open", dir); code != 0 {
		t.Errorf("after Close the folder is free: exit %d (%s)", code, msg)
	}
}

func TestReopenAfterCrash(t *testing.T) {
	// Not parallel: a child process forked while a parallel test closes
	// and reopens its store holds, until its exec, a copy of that store's
	// locked file, and the reopen reads as another process's.
	dir := t.TempDir()
	if code, msg := helper(t, "crash", dir); code != 0 {
		t.Fatalf("crashing helper: exit %d (%s)", code, msg)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("reopen after a crash: %v", err)
	}
	defer s.Close()
	d, err := s.Get(t.Context(), "XA01-260302-0001")
	if err != nil {
		t.Fatalf("the dossier committed before the crash: %v", err)
	}
	if diff := enginetest.Diff(enginetest.NewDossier(d.Code), d); diff != "" {
		t.Errorf("after the crash: %s", diff)
	}
	if n, err := s.NextSequence(t.Context(), "XA01", "260302"); err != nil || n != 1 {
		t.Errorf("the reopened store works: NextSequence = %d, %v", n, err)
	}
}

func TestReopenKeepsSchemaAndData(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Insert(t.Context(), enginetest.NewDossier("XA01-260302-0001"), nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	var v int
	if err := s.r.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != len(migrations) {
		t.Errorf("schema version %d (%v), want %d", v, err, len(migrations))
	}
	var mode string
	if err := s.w.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q (%v), want wal", mode, err)
	}
	var sync int
	if err := s.w.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil || sync != 2 {
		t.Errorf("synchronous %d (%v), want 2 (FULL): commits must be durable", sync, err)
	}
	if _, err := s.Get(t.Context(), "XA01-260302-0001"); err != nil {
		t.Errorf("data kept across reopen: %v", err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(dir)
	if err == nil || !strings.Contains(err.Error(), "newer motcua") {
		t.Errorf("a folder from a newer schema: got %v, want a refusal", err)
	}
	var tooNew *engine.SchemaTooNewError
	if !errors.As(err, &tooNew) || tooNew.Have != 99 || tooNew.Know != len(migrations) {
		t.Errorf("the refusal is typed, with both versions: got %#v", err)
	}
}
