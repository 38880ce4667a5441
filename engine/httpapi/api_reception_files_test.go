package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// part is one part of a multipart reception: a form name, a filename and
// the bytes.
type part struct {
	name, filename string
	body           []byte
}

// receiveMultipart posts a reception as multipart: the dossier's JSON
// first (unless nil), then the parts in order.
func (b *bundle) receiveMultipart(person string, dossier any, parts []part, hdr ...string) resp {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if dossier != nil {
		data, err := json.Marshal(dossier)
		if err != nil {
			b.t.Fatal(err)
		}
		pw, err := mw.CreatePart(textproto.MIMEHeader{"Content-Disposition": {`form-data; name="dossier"`}, "Content-Type": {"application/json"}})
		if err != nil {
			b.t.Fatal(err)
		}
		pw.Write(data)
	}
	for _, p := range parts {
		fw, err := mw.CreateFormFile(p.name, p.filename)
		if err != nil {
			b.t.Fatal(err)
		}
		fw.Write(p.body)
	}
	mw.Close()
	return b.call("POST", "/api/v1/dossiers", person, body.Bytes(), append([]string{"Content-Type", mw.FormDataContentType()}, hdr...)...)
}

// storedBlobs counts the bytes the file store holds (by sweeping them
// all: only at the end of a test).
func (b *bundle) storedBlobs() int {
	b.t.Helper()
	n, err := b.srv.cfg.Files.Store.Sweep(context.Background(), nil, time.Now().Add(time.Hour))
	if err != nil {
		b.t.Fatal(err)
	}
	return n
}

// TestReceiveWithFiles: the desk receives with two scans of one component
// and one of another in one request; the dossier holds the three files,
// each recorded in its history, and the first downloads as sent.
func TestReceiveWithFiles(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{procs: []*engine.Procedure{contentsProcedure(t)}})
	second := enginetest.FileBytes(7000, 2)
	r := b.receiveMultipart(receiver, contentsBody("Tệp Tiếp Nhận", complete(), 0), []part{
		{"file.to-khai", "tờ khai trang 1.pdf", testPDF},
		{"file.to-khai", "tờ khai trang 2.pdf", second},
		{"file.giay-chung-sinh", "chung-sinh.jpg", testJPEG},
	})
	if r.status != http.StatusCreated {
		t.Fatalf("reception: %d %s", r.status, r.body)
	}
	var got receiveResponse
	r.json(t, &got)
	d, err := b.eng.Get(context.Background(), got.Code)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ component, sha, name string }{
		{"to-khai", enginetest.SHA(testPDF), "tờ khai trang 1.pdf"},
		{"to-khai", enginetest.SHA(second), "tờ khai trang 2.pdf"},
		{"giay-chung-sinh", enginetest.SHA(testJPEG), "chung-sinh.jpg"},
	}
	if len(d.Files) != len(want) {
		t.Fatalf("files %+v", d.Files)
	}
	for i, w := range want {
		f := d.Files[i]
		if f.Component != w.component || f.SHA256 != w.sha || f.Name != w.name || f.By != enginetest.Receiver || f.Result {
			t.Errorf("file %d = %+v, want %+v", i, f, w)
		}
	}
	attaches := 0
	for _, h := range d.History {
		if h.Action == engine.ActionAttachFile {
			attaches++
		}
	}
	if attaches != 3 || d.History[0].Action == engine.ActionAttachFile {
		t.Errorf("history: %d attach rows after the reception, history %+v", attaches, d.History)
	}
	if len(got.Dossier.Files) != 3 {
		t.Errorf("the answer shows %d files, want 3", len(got.Dossier.Files))
	}
	g := b.call("GET", fileURL(d.Code, d.Files[0].ID), receiver, nil)
	if g.status != http.StatusOK || !bytes.Equal(g.body, testPDF) {
		t.Errorf("download: %d, %d bytes", g.status, len(g.body))
	}
	// The JSON body still receives as before.
	if r := b.call("POST", "/api/v1/dossiers", receiver, contentsBody("JSON", complete(), 0)); r.status != http.StatusCreated {
		t.Errorf("JSON reception: %d %s", r.status, r.body)
	}
}

// TestReceiveWithFilesReplay: a reception retried with its key attaches
// only what the dossier lacks, so a retry after a failed attach completes
// it and a plain retry adds nothing.
func TestReceiveWithFilesReplay(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{procs: []*engine.Procedure{contentsProcedure(t)}})
	body := contentsBody("Lặp Lại", complete(), 0)
	parts := []part{{"file.to-khai", "a.pdf", testPDF}}
	var first, again receiveResponse
	b.receiveMultipart(receiver, body, parts, "Idempotency-Key", "k-files").json(t, &first)
	r := b.receiveMultipart(receiver, body, append(parts, part{"file.giay-chung-sinh", "b.jpg", testJPEG}), "Idempotency-Key", "k-files")
	if r.status != http.StatusCreated {
		t.Fatalf("replay: %d %s", r.status, r.body)
	}
	r.json(t, &again)
	d, _ := b.eng.Get(context.Background(), first.Code)
	if again.Code != first.Code || len(d.Files) != 2 || d.Files[1].Component != "giay-chung-sinh" {
		t.Fatalf("replay %s of %s: files %+v", again.Code, first.Code, d.Files)
	}
}

// TestReceiveWithFilesRetryRules: a retried reception with files is
// answered as the engine answers a retry, before anything else.
func TestReceiveWithFilesRetryRules(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{procs: []*engine.Procedure{contentsProcedure(t)}})
	first := []part{{"file.to-khai", "a.pdf", testPDF}}
	more := append(first, part{"file.giay-chung-sinh", "b.jpg", testJPEG})
	filesOf := func(code string) int {
		d, err := b.eng.Get(context.Background(), code)
		if err != nil {
			t.Fatal(err)
		}
		return len(d.Files)
	}

	t.Run("a key reused with another applicant is 422 and attaches nothing to the first dossier", func(t *testing.T) {
		var got receiveResponse
		b.receiveMultipart(receiver, contentsBody("Người Thứ Nhất", complete(), 0), first, "Idempotency-Key", "k-other").json(t, &got)
		r := b.receiveMultipart(receiver, contentsBody("Người Khác", complete(), 0), more, "Idempotency-Key", "k-other")
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "Idempotency-Key") {
			t.Fatalf("reused key, other body: %d %s", r.status, r.body)
		}
		if n := filesOf(got.Code); n != 1 {
			t.Errorf("the first dossier has %d files after the refused retry, want 1", n)
		}
	})

	t.Run("a retry is answered before the checks: a postal reception retried past its backdating window still stands and gets its missing file", func(t *testing.T) {
		body := contentsBody("Gửi Bưu Điện", complete(), 0)
		body["channel"] = "post"
		body["received_at"] = b.clock.Now().Add(-24 * time.Hour).Format(time.RFC3339)
		body["inputs"] = map[string]string{"backdate_reason": "Bưu điện chuyển đến muộn"}
		var got receiveResponse
		if r := b.receiveMultipart(receiver, body, first, "Idempotency-Key", "k-post"); r.status != http.StatusCreated {
			t.Fatalf("first reception: %d %s", r.status, r.body)
		} else {
			r.json(t, &got)
		}
		b.clock.Advance(30 * 24 * time.Hour) // the date is now far outside DefaultBackdateDays
		r := b.receiveMultipart(receiver, body, more, "Idempotency-Key", "k-post")
		if r.status != http.StatusCreated {
			t.Fatalf("retry past the window: %d %s", r.status, r.body)
		}
		if n := filesOf(got.Code); n != 2 {
			t.Errorf("after the retry the dossier has %d files, want 2", n)
		}
	})
}

// TestReceiveWithFilesRefusals: each refusal is the right status in both
// languages, receives nothing and takes no number: the next reception
// is -0001.
func TestReceiveWithFilesRefusals(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{procs: []*engine.Procedure{contentsProcedure(t)}, maxFile: 1 << 20, maxDossier: 3 << 19})
	ok := contentsBody("Từ Chối", complete(), 0)
	pdf := func(n int) []byte { return enginetest.FileBytes(n, 3) }
	before := b.snapshot()
	cases := []struct {
		rule    string
		person  string
		dossier any
		parts   []part
		status  int
		words   string
	}{
		{"a missing required component is refused before any file is read", receiver,
			contentsBody("Thiếu", []map[string]any{{"id": "to-khai", "count": 1}}, 0), []part{{"file.to-khai", "a.pdf", testPDF}}, 422, "Giấy chứng sinh"},
		{"a wrong applicant field is refused before any file is read", receiver,
			map[string]any{"procedure": contentsCode, "components": complete(), "applicant": map[string]any{"name": "X", "phone": "12"}}, nil, 422, ""},
		{"a role that may not receive", Viewer, ok, []part{{"file.to-khai", "a.pdf", testPDF}}, 403, ""},
		{"HTML is not an accepted type", receiver, ok, []part{{"file.to-khai", "x.pdf", []byte("<html><script>alert(1)</script>")}}, 415, "PDF, JPEG, PNG"},
		{"a JPEG named .pdf is refused", receiver, ok, []part{{"file.to-khai", "scan.pdf", testJPEG}}, 422, "JPEG"},
		{"a file over the per-file cap is 413 with the cap", receiver, ok, []part{{"file.to-khai", "big.pdf", pdf(1<<20 + 1)}}, 413, "1 MB"},
		{"the files over the dossier's cap are 413 with the cap", receiver, ok,
			[]part{{"file.to-khai", "a.pdf", pdf(900 << 10)}, {"file.to-khai", "b.pdf", pdf(900 << 10)}}, 413, "1572864"},
		{"a file of a component the procedure lacks", receiver, ok, []part{{"file.khong-co", "a.pdf", testPDF}}, 422, "khong-co"},
		{"a part not named file.<component>", receiver, ok, []part{{"file", "a.pdf", testPDF}}, 400, "Unknown part"},
		{"the dossier's JSON must come first", receiver, nil, []part{{"file.to-khai", "a.pdf", testPDF}}, 400, "dossier"},
		{"the dossier's part must say it is JSON", receiver, nil, []part{{"dossier", "", []byte(`{"procedure":"TEST.KS"}`)}}, 400, "application/json"},
		{"an unknown field of the dossier's JSON", receiver, map[string]any{"procedure": contentsCode, "nme": "x"}, nil, 400, ""},
	}
	for _, c := range cases {
		r := b.receiveMultipart(c.person, c.dossier, c.parts)
		if r.status != c.status {
			t.Errorf("%s: %d %s, want %d", c.rule, r.status, r.body, c.status)
			continue
		}
		r.errCode(t)
		if c.words != "" && !strings.Contains(string(r.body), c.words) {
			t.Errorf("%s: the answer does not say %q: %s", c.rule, c.words, r.body)
		}
		if b.snapshot() != before {
			t.Fatalf("%s: the refusal changed the store", c.rule)
		}
	}
	var next receiveResponse
	b.receiveMultipart(receiver, ok, nil).json(t, &next)
	if !strings.HasSuffix(next.Code, "-0001") {
		t.Errorf("after the refusals the first reception is %s, want -0001", next.Code)
	}
}

// TestReceiveRefusedChecklistStoresNoBytes: the checklist is checked
// before any file is read, so its refusal leaves the file store empty.
func TestReceiveRefusedChecklistStoresNoBytes(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{procs: []*engine.Procedure{contentsProcedure(t)}})
	r := b.receiveMultipart(receiver, contentsBody("Thiếu", nil, 0), []part{{"file.to-khai", "a.pdf", testPDF}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete: %d %s", r.status, r.body)
	}
	if n := b.storedBlobs(); n != 0 {
		t.Errorf("the file store holds %d files after a refused checklist", n)
	}
}

// fuzzBoundary is the boundary of the fuzzed multipart receptions.
const fuzzBoundary = "motcua-fuzz"

// FuzzReceiveMultipart posts arbitrary multipart bodies to POST
// /api/v1/dossiers as the desk officer: never a 5xx; a refusal in the
// error shape that receives nothing; a 201 whose dossier is stored with
// every file's bytes in the file store.
func FuzzReceiveMultipart(f *testing.F) {
	dossier := `{"procedure":"TEST.KS","applicant":{"name":"Mờ"},"components":[{"id":"to-khai","count":1},{"id":"giay-chung-sinh","count":1}]}`
	head := "--" + fuzzBoundary + "\r\nContent-Disposition: form-data; name=\"dossier\"\r\nContent-Type: application/json\r\n\r\n" + dossier + "\r\n"
	file := func(name, filename, body string) string {
		return "--" + fuzzBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n\r\n" + body + "\r\n"
	}
	end := "--" + fuzzBoundary + "--\r\n"
	for _, s := range []string{
		head + end,
		head + file("file.to-khai", "a.pdf", string(testPDF)) + end,
		head + file("file.to-khai", "a.pdf", "%PDF-1.7\n") + file("file.giay-chung-sinh", "b.jpg", string(testJPEG)) + end,
		head + file("file.to-khai", "../../etc/passwd", "%PDF-") + end,
		head + file("file.", "a.pdf", "%PDF-") + end,
		head + file("file.to-khai", "a.pdf", "%PDF-1.7 cut short"),
		file("file.to-khai", "a.pdf", "%PDF-") + head + end,
		head, "", "--" + fuzzBoundary, "\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		b := setup(plainDirT{t}, setupOpts{procs: []*engine.Procedure{contentsProcedure(t)}, maxFile: 64 << 10, maxDossier: 128 << 10})
		before := b.snapshot()
		r := b.call("POST", "/api/v1/dossiers", receiver, body, "Content-Type", "multipart/form-data; boundary="+fuzzBoundary)
		checkAnswer(t, b, r, true, before)
		if r.status != http.StatusCreated {
			return
		}
		var got receiveResponse
		r.json(t, &got)
		d, err := b.store.Get(t.Context(), got.Code)
		if err != nil {
			t.Fatalf("201 with code %q not in the store: %v", got.Code, err)
		}
		for _, ref := range d.Files {
			rc, _, err := b.srv.cfg.Files.Store.Open(t.Context(), ref.SHA256)
			if err != nil {
				t.Fatalf("file %s has no bytes: %v", ref.ID, err)
			}
			rc.Close()
		}
	})
}
