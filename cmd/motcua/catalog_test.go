package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/sqlitestore"
	"github.com/motcua/motcua/procedures"
)

// versionsFixture is a data folder and a procedure folder holding birth
// registration (1.001193) as the admin publishes it, started the way
// serve, sweep and report start: files first, then the store, then
// publishCatalog.
type versionsFixture struct {
	t             *testing.T
	data, procDir string
	v1            []byte
}

func newVersionsFixture(t *testing.T) *versionsFixture {
	t.Helper()
	v1, err := os.ReadFile("../../examples/procedures/1.001193-dang-ky-khai-sinh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The example is at some version; the fixture starts it over as 1.
	v1 = regexp.MustCompile(`\nversion: [0-9]+\n`).ReplaceAll(v1, []byte("\nversion: 1\n"))
	if !bytes.Contains(v1, []byte("\nversion: 1\n")) || !bytes.Contains(v1, []byte("{id: transfer,")) {
		t.Fatal("the example birth registration has no version line or no transfer action; adjust the fixture")
	}
	return &versionsFixture{t: t, data: t.TempDir(), procDir: t.TempDir(), v1: v1}
}

// write replaces the procedure folder's content with files.
func (f *versionsFixture) write(files map[string][]byte) {
	f.t.Helper()
	entries, _ := os.ReadDir(f.procDir)
	for _, e := range entries {
		os.Remove(filepath.Join(f.procDir, e.Name()))
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(f.procDir, name), b, 0o644); err != nil {
			f.t.Fatal(err)
		}
	}
}

// start opens the store and loads the catalog as the commands do; the
// engine acts at Mon 2 March 2026 09:00. It returns the engine (nil on
// error), what went to stderr and the loading error.
func (f *versionsFixture) start(lang string) (*engine.Engine, string, error) {
	f.t.Helper()
	loaded, err := procedures.LoadSources(f.procDir)
	if err != nil {
		f.t.Fatal(err)
	}
	st, err := sqlitestore.Open(f.data)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { st.Close() })
	var stderr bytes.Buffer
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.VN().Location())
	cat, err := publishCatalog(context.Background(), st, loaded, at, lang, &stderr)
	if err != nil {
		st.Close()
		return nil, stderr.String(), err
	}
	dir, err := procedures.LoadDirectory("../../examples/directory.yaml")
	if err != nil {
		f.t.Fatal(err)
	}
	return &engine.Engine{Store: st, Catalog: cat, Directory: dir, Calendar: calendar.VN(),
		Now: func() time.Time { return at }}, stderr.String(), nil
}

func (f *versionsFixture) stop(e *engine.Engine) {
	f.t.Helper()
	if err := e.Store.Close(); err != nil {
		f.t.Fatal(err)
	}
}

func receive(t *testing.T, e *engine.Engine) *engine.Dossier {
	t.Helper()
	p, err := e.Catalog.Get("1.001193", 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Receive(context.Background(), "1.001193", 0, engine.ReceiveInput{Actor: "ngo-thi-mai",
		Applicant: engine.Applicant{Name: "Nguyễn Văn An"}, Components: engine.CompleteChecklist(p)})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func act(e *engine.Engine, code, action string) (*engine.Dossier, error) {
	return e.Act(context.Background(), code, engine.ActInput{Action: action, Actor: "ngo-thi-mai"}, 0)
}

// TestPublishedVersions follows an admin through the life of a procedure
// (issue 4: in-flight dossiers keep the version they started on; issue 3:
// (code, version) is unique): publish version 1 and receive on it; edit
// version 1 in place (refused, nothing changes); publish the change as
// version 2, the file of version 1 gone: the old dossier acts on version
// 1 from the store, a new one gets version 2.
func TestPublishedVersions(t *testing.T) {
	t.Parallel()
	f := newVersionsFixture(t)
	// Version 2 renames the transfer action, so which rules decided an
	// action shows in whether "transfer" exists.
	v2 := bytes.Replace(f.v1, []byte("\nversion: 1\n"), []byte("\nversion: 2\n"), 1)
	v2 = bytes.Replace(v2, []byte("{id: transfer,"), []byte("{id: chuyen_xu_ly,"), 1)
	edited := bytes.Replace(f.v1, []byte("time_limit: 4 giờ làm việc"), []byte("time_limit: 2 giờ làm việc"), 1)
	if bytes.Equal(edited, f.v1) {
		t.Fatal("fixture: the edit changed nothing")
	}

	f.write(map[string][]byte{"khai-sinh.yaml": f.v1})
	e, stderr, err := f.start("")
	if err != nil {
		t.Fatal(err)
	}
	if stderr != "" {
		t.Errorf("nothing is read from the store only on first start, stderr %q", stderr)
	}
	d1 := receive(t, e)
	if d1.ProcedureVersion != 1 {
		t.Fatalf("received on version %d, want 1", d1.ProcedureVersion)
	}
	f.stop(e)

	// Version 1 edited without bumping: refused, in Vietnamese by
	// default, naming the file and what to write instead.
	f.write(map[string][]byte{"khai-sinh.yaml": edited})
	_, _, err = f.start("")
	var ce *engine.ProcedureChangedError
	if !errors.As(err, &ce) || ce.Code != "1.001193" || ce.Version != 1 || engine.ErrorCode(err) != engine.ECONFLICT {
		t.Fatalf("an edit in place of a published version: got %v, want a refusal wrapping *ProcedureChangedError", err)
	}
	file := filepath.Join(f.procDir, "khai-sinh.yaml")
	for _, want := range []string{file + ": thủ tục 1.001193 phiên bản 1 đã được công bố", `tăng "version:" (lên 2)`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q lacks %q", err, want)
		}
	}
	_, _, err = f.start("en")
	if err == nil || !strings.Contains(err.Error(), file+": procedure 1.001193 version 1 is already published") ||
		!strings.Contains(err.Error(), `raise "version:" (to 2)`) {
		t.Errorf("refusal in English: %v", err)
	}

	// The change published as version 2, version 1's file removed.
	f.write(map[string][]byte{"khai-sinh.yaml": v2})
	e, stderr, err = f.start("")
	if err != nil {
		t.Fatal(err)
	}
	defer f.stop(e)
	if !strings.Contains(stderr, "chỉ nạp từ kho dữ liệu") || !strings.Contains(stderr, "1.001193@1") || strings.Contains(stderr, "1.001193@2") {
		t.Errorf("stderr should name version 1 as read from the store only: %q", stderr)
	}
	if d, err := act(e, d1.Code, "transfer"); err != nil || d.ProcedureVersion != 1 || d.State != "review" {
		t.Fatalf("the version 1 dossier acts on version 1's rules: got %+v, %v", d, err)
	}
	d2 := receive(t, e)
	if d2.ProcedureVersion != 2 {
		t.Fatalf("a new dossier is received on version %d, want 2 (the latest of the files)", d2.ProcedureVersion)
	}
	var ua *engine.UnknownActionError
	if _, err := act(e, d2.Code, "transfer"); !errors.As(err, &ua) {
		t.Errorf("version 2 has no transfer: got %v", err)
	}
	if d, err := act(e, d2.Code, "chuyen_xu_ly"); err != nil || d.State != "review" {
		t.Errorf("version 2's renamed action: got %+v, %v", d, err)
	}
	if p, err := e.Catalog.Get("1.001193", 0); err != nil || p.Version != 2 {
		t.Errorf("the latest version offered to new dossiers: %v, %v; want 2", p, err)
	}
}

// TestPublishedVersionsRefusedAtStart: the refusal is what an admin sees
// from the command itself (here sweep; serve and report load alike):
// exit status 2 and the message, and nothing is published by a refused
// start.
func TestPublishedVersionsRefusedAtStart(t *testing.T) {
	t.Parallel()
	f := newVersionsFixture(t)
	other, err := os.ReadFile("../../examples/procedures/1.000894-dang-ky-ket-hon.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f.write(map[string][]byte{"khai-sinh.yaml": f.v1})
	e, _, err := f.start("")
	if err != nil {
		t.Fatal(err)
	}
	f.stop(e)
	f.write(map[string][]byte{"khai-sinh.yaml": append(append([]byte{}, f.v1...), "# sửa tại chỗ\n"...), "ket-hon.yaml": other})
	args := []string{"sweep", "--data", f.data, "--procedures", f.procDir, "--directory", "../../examples/directory.yaml",
		"--at", "2026-03-03T15:00:00+07:00"}
	_, err = sweepMain(t, args...)
	if err == nil || exitCodeFor(err) != 2 {
		t.Fatalf("sweep over an edited published version: err %v, want exit status 2", err)
	}
	msg := errorText(err, "")
	if !strings.Contains(msg, filepath.Join(f.procDir, "khai-sinh.yaml")) || !strings.Contains(msg, `"version:"`) {
		t.Errorf("message should name the file and version: %q", msg)
	}
	st, err := sqlitestore.Open(f.data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	vs, err := st.ProcedureVersions(context.Background())
	if err != nil || len(vs) != 1 || vs[0].Key() != "1.001193@1" || vs[0].SHA256 != procedures.SourceHash(f.v1) {
		t.Errorf("a refused start published %+v (%v), want only the first version 1", vs, err)
	}
}
