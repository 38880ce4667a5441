package filestore_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/filestore"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// world is an engine on an embedded store with a disk file store.
type world struct {
	files *engine.Files
	disk  *filestore.Disk
	clock *enginetest.StubClock
}

func newWorld(t *testing.T) *world {
	t.Helper()
	dir := t.TempDir()
	s, err := sqlitestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	disk, err := filestore.Open(dir + "/files")
	if err != nil {
		t.Fatal(err)
	}
	clock := enginetest.NewStubClock(enginetest.Monday)
	return &world{files: &engine.Files{Engine: enginetest.NewEngine(s, clock), Store: disk}, disk: disk, clock: clock}
}

func (w *world) receive(t *testing.T, name, idNo string) *engine.Dossier {
	t.Helper()
	in := enginetest.SampleReception(name)
	in.Applicant.IDNo = idNo
	d, err := w.files.Engine.Receive(context.Background(), enginetest.SampleCode, 0, in)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (w *world) attach(t *testing.T, code string, in engine.AttachInput, b []byte) engine.FileRef {
	t.Helper()
	_, ref, err := w.files.Attach(context.Background(), code, in, bytes.NewReader(b))
	if err != nil {
		t.Fatalf("attach %+v: %v", in, err)
	}
	return ref
}

func desk(component, name string) engine.AttachInput {
	return engine.AttachInput{Actor: enginetest.Receiver, Component: component, Name: name}
}

var (
	pdf  = enginetest.FileBytes(3000, 9)
	jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{1}, 500)...)
	html = []byte("<!doctype html><script>alert(1)</script>")
)

func TestAttachRecordsAFileAndARow(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := w.receive(t, "Nguyễn Văn A", "001090000001")
	ref := w.attach(t, d.Code, desk("to-khai", `C:\scans\tờ khai.pdf`), pdf)
	if ref.ID != d.Code+"-F1" || ref.SHA256 != enginetest.SHA(pdf) || ref.Size != int64(len(pdf)) ||
		ref.ContentType != engine.TypePDF || ref.Name != "tờ khai.pdf" || ref.Component != "to-khai" || ref.By != enginetest.Receiver {
		t.Fatalf("ref = %+v", ref)
	}
	got, err := w.files.Engine.Get(context.Background(), d.Code)
	if err != nil {
		t.Fatal(err)
	}
	last := got.History[len(got.History)-1]
	if len(got.Files) != 1 || last.Action != engine.ActionAttachFile || last.Inputs["file"] != ref.ID || last.Inputs["component"] != "to-khai" {
		t.Fatalf("stored files %+v, last row %+v", got.Files, last)
	}
	if !w.disk.Has(ref.SHA256) {
		t.Fatal("the bytes are not in the file store")
	}
}

// TestAttachRefusals: each refusal names its rule, and none stores bytes
// or writes a row.
func TestAttachRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.files.MaxFile = 4000
	d := w.receive(t, "Nguyễn Văn B", "001090000002")
	w.attach(t, d.Code, desk("to-khai", "a.pdf"), pdf)
	cases := []struct {
		rule string
		in   engine.AttachInput
		body []byte
		code engine.Code
		want func(error) bool
	}{
		{"bytes of no accepted type are refused (415)", desk("to-khai", "x.pdf"), html, engine.EUNSUPPORTED, nil},
		{"an empty file is of no type", desk("to-khai", "x.pdf"), nil, engine.EUNSUPPORTED, nil},
		{"a name whose extension says another type is refused", desk("to-khai", "anh.pdf"), jpeg, engine.EINVALID, nil},
		{"a name saying html is refused whatever the bytes", desk("to-khai", "trang.html"), pdf, engine.EINVALID, nil},
		{"a file over the per-file cap is refused with the cap", desk("to-khai", "big.pdf"), enginetest.FileBytes(4001, 1), engine.ETOOLARGE,
			func(err error) bool {
				var e *engine.FileTooLargeError
				return errors.As(err, &e) && e.Limit == 4000 && !e.PerDossier
			}},
		{"the office may not scan components (the desk does)", engine.AttachInput{Actor: enginetest.Officer, Component: "to-khai"}, pdf, engine.EFORBIDDEN, nil},
		{"the result is attached by the unit acting now, not another", engine.AttachInput{Actor: enginetest.Chairman, Result: true}, pdf, engine.EFORBIDDEN, nil},
		{"a component id must have the id syntax", desk("Tờ khai/../x", "a.pdf"), pdf, engine.EINVALID, nil},
		{"a file is a component or the result, not both", engine.AttachInput{Actor: enginetest.Receiver, Component: "to-khai", Result: true}, pdf, engine.EINVALID, nil},
		{"a superseded file must exist", engine.AttachInput{Actor: enginetest.Receiver, Component: "to-khai", Supersedes: d.Code + "-F9"}, pdf, engine.ENOTFOUND, nil},
		{"a file supersedes one of its own component", engine.AttachInput{Actor: enginetest.Receiver, Component: "cccd", Supersedes: d.Code + "-F1"}, pdf, engine.EINVALID, nil},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			before, _ := w.files.Engine.Get(context.Background(), d.Code)
			_, _, err := w.files.Attach(context.Background(), d.Code, c.in, bytes.NewReader(c.body))
			if engine.ErrorCode(err) != c.code || (c.want != nil && !c.want(err)) {
				t.Fatalf("err = %v (%s), want %s", err, engine.ErrorCode(err), c.code)
			}
			if _, _, ok := engine.Describe(err); !ok {
				t.Errorf("%v has no words for people", err)
			}
			after, _ := w.files.Engine.Get(context.Background(), d.Code)
			if after.Version != before.Version {
				t.Errorf("a refusal wrote the dossier (version %d → %d)", before.Version, after.Version)
			}
			keep := map[string]bool{enginetest.SHA(pdf): true}
			if n, _ := w.disk.Sweep(context.Background(), keep, time.Now().Add(time.Hour)); n != 0 {
				t.Errorf("a refusal left %d file(s) in the store", n)
			}
		})
	}
}

func TestSupersedeKeepsBoth(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := w.receive(t, "Nguyễn Văn C", "001090000003")
	old := w.attach(t, d.Code, desk("to-khai", "mo.pdf"), pdf)
	in := desk("to-khai", "ro.pdf")
	in.Supersedes = old.ID
	fix := w.attach(t, d.Code, in, enginetest.FileBytes(2000, 3))
	got, _ := w.files.Engine.Get(context.Background(), d.Code)
	if len(got.Files) != 2 || !engine.FileSuperseded(got, old.ID) || engine.FileSuperseded(got, fix.ID) || fix.Supersedes != old.ID {
		t.Fatalf("files = %+v", got.Files)
	}
	// The old scan can still be read: it is part of the record.
	if _, rc, err := w.files.Open(context.Background(), person(t, enginetest.Receiver), d.Code, old.ID); err != nil {
		t.Fatal(err)
	} else {
		rc.Close()
	}
	if _, _, err := w.files.Attach(context.Background(), d.Code, in, bytes.NewReader(pdf)); engine.ErrorCode(err) != engine.EINVALID {
		t.Fatalf("superseding a superseded file = %v, want invalid", err)
	}
}

func person(t *testing.T, id string) *engine.Person {
	t.Helper()
	p, ok := enginetest.SampleDirectory().Person(id)
	if !ok {
		t.Fatalf("no person %s", id)
	}
	return p
}

func TestResultByTheActingUnit(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := w.receive(t, "Nguyễn Văn D", "001090000004")
	ctx := context.Background()
	for _, a := range enginetest.SampleFlow()[:2] { // chuyen, trinh: now with the leadership
		if _, err := w.files.Engine.Act(ctx, d.Code, a, 0); err != nil {
			t.Fatal(err)
		}
	}
	signed := append(append([]byte("%PDF-1.7\n1 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /ByteRange [0 10 20 30]"), bytes.Repeat([]byte{'0'}, 100)...), ">>\n"...)
	ref := w.attach(t, d.Code, engine.AttachInput{Actor: enginetest.Chairman, Result: true, Name: "giay-khai-sinh.pdf"}, signed)
	if !ref.Result || !ref.Signed || ref.Component != "" {
		t.Fatalf("result ref = %+v", ref)
	}
	plain := w.attach(t, d.Code, engine.AttachInput{Actor: enginetest.Chairman, Result: true, Supersedes: ref.ID}, pdf)
	if plain.Signed {
		t.Fatal("a PDF without a signature dictionary is marked signed")
	}
}

func TestReuseSameApplicantOnly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	first := w.receive(t, "Trần Thị E", "001090000005")
	ref := w.attach(t, first.Code, desk("cccd", "cccd.pdf"), pdf)
	again := w.receive(t, "Trần Thị E", "001090000005")
	d, reused, err := w.files.Reuse(ctx, again.Code, desk("giay-to-tuy-than", ""), ref.ID)
	if err != nil {
		t.Fatal(err)
	}
	if reused.ReusedFrom != first.Code || reused.SHA256 != ref.SHA256 || reused.Name != "cccd.pdf" || reused.Component != "giay-to-tuy-than" {
		t.Fatalf("reused = %+v", reused)
	}
	if last := d.History[len(d.History)-1]; last.Inputs["reused_from"] != first.Code {
		t.Fatalf("row = %+v", last)
	}
	other := w.receive(t, "Lê Văn F", "001090000006")
	if _, _, err := w.files.Reuse(ctx, other.Code, desk("cccd", ""), ref.ID); engine.ErrorCode(err) != engine.EFORBIDDEN {
		t.Fatalf("reuse across applicants = %v, want forbidden", err)
	}
	if _, _, err := w.files.Reuse(ctx, again.Code, desk("cccd", ""), first.Code+"-F7"); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Fatalf("reuse of no file = %v, want not found", err)
	}
}

func TestDownloadIsRecordedAndReadOnlyByReaders(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	d := w.receive(t, "Phạm Văn G", "001090000007")
	ref := w.attach(t, d.Code, desk("to-khai", "a.pdf"), pdf)
	got, rc, err := w.files.Open(ctx, person(t, enginetest.Receiver), d.Code, ref.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(b, pdf) || got.ID != ref.ID {
		t.Fatal("downloaded bytes differ")
	}
	after, _ := w.files.Engine.Get(ctx, d.Code)
	if last := after.History[len(after.History)-1]; last.Action != engine.ActionDownloadFile || last.Actor != enginetest.Receiver || last.Inputs["file"] != ref.ID {
		t.Fatalf("last row = %+v", last)
	}
	if _, _, err := w.files.Open(ctx, person(t, enginetest.Outsider), d.Code, ref.ID); engine.ErrorCode(err) != engine.EFORBIDDEN {
		t.Fatalf("an outsider's download = %v, want forbidden", err)
	}
	if _, _, err := w.files.Open(ctx, person(t, enginetest.Receiver), d.Code, d.Code+"-F2"); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Fatalf("download of no file = %v, want not found", err)
	}
	if strings.Count(after.Code, "-") < 2 {
		t.Fatal("unexpected code shape")
	}
}

func TestDossierCap(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.files.MaxFile, w.files.MaxDossier = 4000, 6000
	d := w.receive(t, "Nguyễn Văn H", "001090000008")
	w.attach(t, d.Code, desk("to-khai", "a.pdf"), pdf) // 3000 of 6000
	w.attach(t, d.Code, desk("to-khai", "b.pdf"), enginetest.FileBytes(2000, 7))
	_, _, err := w.files.Attach(context.Background(), d.Code, desk("to-khai", "c.pdf"), bytes.NewReader(enginetest.FileBytes(1001, 8)))
	var e *engine.FileTooLargeError
	if !errors.As(err, &e) || e.Limit != 6000 || !e.PerDossier {
		t.Fatalf("err = %v, want the dossier's cap of 6000", err)
	}
	if vi, en, _ := engine.Describe(err); !strings.Contains(en, "dossier") || !strings.Contains(vi, "hồ sơ") {
		t.Fatalf("words: %q / %q", vi, en)
	}
	// A reused file is no new bytes: it does not count.
	other := w.receive(t, "Nguyễn Văn H", "001090000008")
	ref := w.attach(t, other.Code, desk("cccd", "cccd.pdf"), enginetest.FileBytes(1500, 9))
	if _, _, err := w.files.Reuse(context.Background(), d.Code, desk("cccd", ""), ref.ID); err != nil {
		t.Fatalf("reuse into a full dossier: %v", err)
	}
	w.attach(t, d.Code, desk("to-khai", "d.pdf"), enginetest.FileBytes(1000, 10)) // exactly 6000 of own bytes
}

// TestDownloadDoesNotStaleAForm: a page opened before a download still
// acts (reading changes nothing an action decides on); one opened before
// an upload does not.
func TestDownloadDoesNotStaleAForm(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	d := w.receive(t, "Phạm Văn I", "001090000009")
	ref := w.attach(t, d.Code, desk("to-khai", "a.pdf"), pdf)
	seen, _ := w.files.Engine.Get(ctx, d.Code)
	for range 2 {
		_, rc, err := w.files.Open(ctx, person(t, enginetest.Receiver), d.Code, ref.ID)
		if err != nil {
			t.Fatal(err)
		}
		rc.Close()
	}
	note := engine.ActInput{Action: "ghi_chu", Actor: enginetest.Receiver, Inputs: map[string]string{"note": "đã xem"}}
	if _, err := w.files.Engine.Act(ctx, d.Code, note, seen.Version); err != nil {
		t.Fatalf("acting from a page opened before two downloads: %v", err)
	}
	seen, _ = w.files.Engine.Get(ctx, d.Code)
	w.attach(t, d.Code, desk("to-khai", "b.pdf"), enginetest.FileBytes(100, 1))
	if _, err := w.files.Engine.Act(ctx, d.Code, note, seen.Version); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Fatalf("acting from a page opened before an upload = %v, want conflict", err)
	}
}
