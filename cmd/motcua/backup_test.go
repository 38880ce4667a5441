package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/filestore"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// TestBackupWhileWriting backs up an embedded store while a writer,
// holding the store as serve does, keeps receiving dossiers and attaching
// a new file to each. The copy opens, holds the dossiers written before
// the backup began, and every file it refers to is there with its hash.
func TestBackupWhileWriting(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	s, err := sqlitestore.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	disk, err := filestore.Open(filesDir(data))
	if err != nil {
		t.Fatal(err)
	}
	files := &engine.Files{Engine: enginetest.NewEngine(s, enginetest.NewStubClock(enginetest.Monday)), Store: disk}
	ctx, stop := context.WithCancel(context.Background())
	written := make(chan int, 1000)
	done := make(chan error, 1)
	go func() {
		for i := 0; ctx.Err() == nil; i++ {
			d, err := files.Engine.Receive(context.Background(), enginetest.SampleCode, 0, enginetest.SampleReception(fmt.Sprint("Người ", i)))
			if err != nil {
				done <- err
				return
			}
			in := engine.AttachInput{Actor: enginetest.Receiver, Component: "to-khai", Name: "scan.pdf"}
			if _, _, err := files.Attach(context.Background(), d.Code, in, bytes.NewReader(enginetest.FileBytes(20000+i, byte(i)))); err != nil {
				done <- err
				return
			}
			select {
			case written <- i:
			default:
			}
		}
		done <- nil
	}()
	// Back up once the writer is well under way, and while it goes on.
	for range 20 {
		<-written
	}
	dest := filepath.Join(t.TempDir(), "backup")
	n, err := Backup(context.Background(), data, dest)
	stop()
	if werr := <-done; werr != nil {
		t.Fatal(werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	copyStore, err := sqlitestore.Open(dest)
	if err != nil {
		t.Fatalf("the copy does not open: %v", err)
	}
	defer copyStore.Close()
	ds, err := copyStore.List(context.Background(), engine.Query{})
	if err != nil {
		t.Fatal(err)
	}
	refs := 0
	for _, d := range ds {
		for _, f := range d.Files {
			refs++
			b, err := os.ReadFile(filepath.Join(dest, filestore.Dir, f.SHA256[:2], f.SHA256[2:4], f.SHA256))
			if err != nil {
				t.Fatalf("%s: file %s missing from the copy: %v", d.Code, f.ID, err)
			}
			if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != f.SHA256 || int64(len(b)) != f.Size {
				t.Fatalf("%s: file %s differs in the copy", d.Code, f.ID)
			}
		}
	}
	if len(ds) < 20 || refs < 20 || n != refs {
		t.Fatalf("the copy holds %d dossiers, %d file references, %d files copied; want at least 20 and all copied", len(ds), refs, n)
	}
}

func TestBackupRefusals(t *testing.T) {
	t.Parallel()
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "x"), []byte("x"), 0o600)
	for _, c := range []struct {
		rule string
		args []string
		want string
	}{
		{"the backup folder must be empty", []string{"backup", "--data", t.TempDir(), full}, "not empty"},
		{"a folder without a store is no source", []string{"backup", "--data", t.TempDir(), filepath.Join(t.TempDir(), "b")}, "no store"},
		{"MongoDB is backed up with mongodump", []string{"backup", "--mongo-uri", "mongodb://x", filepath.Join(t.TempDir(), "b")}, "mongodump"},
		{"one backup folder", []string{"backup"}, "usage"},
	} {
		_, stderr, code, err := runCmd(t, c.args...)
		if code == 0 || !strings.Contains(fmt.Sprint(err)+stderr, c.want) {
			t.Errorf("%s: exit %d, %v %s; want %q", c.rule, code, err, stderr, c.want)
		}
	}
}
