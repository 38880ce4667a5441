package filestore_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/filestore"
	"github.com/motcua/motcua/engine/sqlitestore"
)

func TestMain(m *testing.M) {
	if os.Getenv("MOTCUA_FILESTORE_HELPER") == "attach" {
		attachUntilKilled(os.Getenv("MOTCUA_DIR"), os.Getenv("MOTCUA_CODE"))
		return
	}
	os.Exit(m.Run())
}

// stallAfterPut is a file store that, once the bytes are durable, says
// so and waits forever: the test kills the process there, between the
// file's rename and the commit of the row that would refer to it.
type stallAfterPut struct{ *filestore.Disk }

func (s stallAfterPut) Put(ctx context.Context, r io.Reader, max int64) (string, int64, error) {
	sha, n, err := s.Disk.Put(ctx, r, max)
	if err != nil {
		return sha, n, err
	}
	fmt.Println("stored " + sha)
	select {}
}

// attachUntilKilled is the helper process of TestCrashBeforeTheRow.
func attachUntilKilled(dir, code string) {
	s, err := sqlitestore.Open(dir)
	if err != nil {
		os.Stderr.WriteString(err.Error())
		os.Exit(1)
	}
	disk, err := filestore.Open(filepath.Join(dir, filestore.Dir))
	if err != nil {
		os.Stderr.WriteString(err.Error())
		os.Exit(1)
	}
	fs := &engine.Files{Engine: enginetest.NewEngine(s, enginetest.NewStubClock(enginetest.Monday)), Store: stallAfterPut{disk}}
	_, _, err = fs.Attach(context.Background(), code, desk("to-khai", "scan.pdf"), bytes.NewReader(pdf))
	os.Stderr.WriteString(fmt.Sprint("attach returned: ", err))
	os.Exit(1)
}

// TestCrashBeforeTheRow kills (SIGKILL) a process after its upload's
// bytes are renamed into place and before the dossier row that refers to
// them commits. After the restart no row refers to missing bytes, the
// bytes are an orphan the sweep spares within the grace period and
// collects after it, and the same upload then succeeds.
func TestCrashBeforeTheRow(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a helper process")
	}
	t.Parallel()
	dir := t.TempDir()
	s, err := sqlitestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := enginetest.NewEngine(s, enginetest.NewStubClock(enginetest.Monday))
	d, err := e.Receive(context.Background(), enginetest.SampleCode, 0, enginetest.SampleReception("Nguyễn Văn Crash"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "MOTCUA_FILESTORE_HELPER=attach", "MOTCUA_DIR="+dir, "MOTCUA_CODE="+d.Code)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper said nothing: %v; stderr: %s", err, stderr.String())
	}
	cmd.Process.Kill()
	cmd.Wait()
	sha := strings.TrimSpace(strings.TrimPrefix(line, "stored "))
	if sha != enginetest.SHA(pdf) {
		t.Fatalf("helper stored %q", line)
	}

	s, err = sqlitestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	disk, err := filestore.Open(filepath.Join(dir, filestore.Dir))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	keep, err := engine.ReferencedFiles(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	for ref := range keep {
		if !disk.Has(ref) {
			t.Fatalf("a row refers to missing bytes %s", ref)
		}
	}
	if keep[sha] || !disk.Has(sha) {
		t.Fatalf("after the kill: referenced %v, on disk %v; want an unreferenced orphan", keep[sha], disk.Has(sha))
	}
	if n, err := disk.Sweep(ctx, keep, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("sweep within the grace period removed %d (%v)", n, err)
	}
	if n, err := disk.Sweep(ctx, keep, time.Now().Add(time.Hour)); err != nil || n != 1 || disk.Has(sha) {
		t.Fatalf("sweep after the grace period removed %d (%v), orphan left %v", n, err, disk.Has(sha))
	}
	fs := &engine.Files{Engine: enginetest.NewEngine(s, enginetest.NewStubClock(enginetest.Monday)), Store: disk}
	if _, ref, err := fs.Attach(ctx, d.Code, desk("to-khai", "scan.pdf"), bytes.NewReader(pdf)); err != nil || !disk.Has(ref.SHA256) {
		t.Fatalf("attach after the restart: %v", err)
	}
}
