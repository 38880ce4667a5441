package httpapi

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

var (
	testPDF  = enginetest.FileBytes(5000, 1)
	testJPEG = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{7}, 300)...)
)

// upload posts a multipart upload: the fields in order, then the file
// part when filename is not empty.
func (b *bundle) upload(code, person string, fields [][2]string, filename string, content []byte) resp {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	if filename != "" {
		fw, err := mw.CreateFormFile("file", filename)
		if err != nil {
			b.t.Fatal(err)
		}
		fw.Write(content)
	}
	mw.Close()
	return b.call("POST", "/api/v1/dossiers/"+code+"/files", person, body.Bytes(), "Content-Type", mw.FormDataContentType())
}

func TestUploadAndDownload(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("Tệp Một")
	r := b.upload(d.Code, receiver, [][2]string{{"component", "to-khai"}}, "Tờ khai đăng ký.pdf", testPDF)
	if r.status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	var ref engine.FileRef
	r.json(t, &ref)
	if ref.ID != d.Code+"-F1" || ref.SHA256 != enginetest.SHA(testPDF) || ref.Size != int64(len(testPDF)) ||
		ref.ContentType != "application/pdf" || ref.Component != "to-khai" || ref.Name != "Tờ khai đăng ký.pdf" {
		t.Fatalf("answer: %s", r.body)
	}
	if loc := r.header.Get("Location"); loc != "/api/v1/dossiers/"+d.Code+"/files/"+ref.ID {
		t.Fatalf("Location = %q", loc)
	}
	g := b.call("GET", "/api/v1/dossiers/"+d.Code+"/files/"+ref.ID, receiver, nil)
	if g.status != http.StatusOK || !bytes.Equal(g.body, testPDF) {
		t.Fatalf("download: %d, %d bytes", g.status, len(g.body))
	}
	for k, want := range map[string]string{
		"Content-Type":            "application/pdf",
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "sandbox; default-src 'none'",
		"Content-Disposition":     `attachment; filename="T_ khai __ng k_.pdf"; filename*=UTF-8''T%E1%BB%9D%20khai%20%C4%91%C4%83ng%20k%C3%BD.pdf`,
	} {
		if got := g.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	var view struct {
		Files   []engine.FileRef    `json:"files"`
		History []engine.HistoryRow `json:"history"`
	}
	b.call("GET", "/api/v1/dossiers/"+d.Code, receiver, nil).json(t, &view)
	n := len(view.History)
	if len(view.Files) != 1 || n < 3 || view.History[n-2].Action != engine.ActionAttachFile || view.History[n-1].Action != engine.ActionDownloadFile {
		t.Fatalf("dossier after upload and download: files %d, history %+v", len(view.Files), view.History)
	}
}

// TestUploadRefusals: every refusal is a clear error in both languages
// and leaves the store as it was.
func TestUploadRefusals(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{maxFile: 4 << 20})
	d := b.receive("Tệp Hai")
	comp := [][2]string{{"component", "to-khai"}}
	before := b.snapshot()
	cases := []struct {
		rule   string
		person string
		fields [][2]string
		name   string
		body   []byte
		status int
		words  string
	}{
		{"HTML is not an accepted type", receiver, comp, "x.pdf", []byte("<html><script>alert(1)</script>"), 415, "PDF, JPEG, PNG"},
		{"a JPEG named .pdf is refused", receiver, comp, "scan.pdf", testJPEG, 422, "JPEG"},
		{"a file over the cap is 413 with the cap", receiver, comp, "big.pdf", enginetest.FileBytes(4<<20+1, 2), 413, "4 MB"},
		{"the office may not scan the desk's components", outsider, comp, "a.pdf", testPDF, 403, ""},
		{"a viewer uploads nothing", Viewer, comp, "a.pdf", testPDF, 403, ""},
		{"an unknown field is refused", receiver, [][2]string{{"componnet", "to-khai"}}, "a.pdf", testPDF, 400, "componnet"},
		{"no file and nothing to reuse", receiver, comp, "", nil, 400, ""},
		{"an unknown component syntax", receiver, [][2]string{{"component", "../x"}}, "a.pdf", testPDF, 422, ""},
		{"an unknown superseded file", receiver, [][2]string{{"component", "to-khai"}, {"supersedes", d.Code + "-F9"}}, "a.pdf", testPDF, 404, ""},
	}
	for _, c := range cases {
		r := b.upload(d.Code, c.person, c.fields, c.name, c.body)
		if r.status != c.status {
			t.Errorf("%s: %d %s, want %d", c.rule, r.status, r.body, c.status)
			continue
		}
		r.errCode(t)
		if c.words != "" && !strings.Contains(string(r.body), c.words) {
			t.Errorf("%s: the answer does not say %q: %s", c.rule, c.words, r.body)
		}
	}
	r := b.call("POST", "/api/v1/dossiers/"+d.Code+"/files", receiver, `{"component":"to-khai"}`)
	if r.status != http.StatusBadRequest {
		t.Errorf("a JSON body: %d", r.status)
	}
	// A body cut off in the middle of the file (the connection lost).
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("component", "to-khai")
	fw, _ := mw.CreateFormFile("file", "cut.pdf")
	fw.Write(enginetest.FileBytes(100000, 5))
	cut := body.Bytes()[:body.Len()-1000]
	if r := b.call("POST", "/api/v1/dossiers/"+d.Code+"/files", receiver, cut, "Content-Type", mw.FormDataContentType()); r.status != http.StatusBadRequest {
		t.Errorf("a body cut off: %d %s, want 400", r.status, r.body)
	}
	if after := b.snapshot(); after != before {
		t.Fatal("a refused upload changed the store")
	}
}

func TestDownloadRights(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("Tệp Ba")
	var ref engine.FileRef
	b.upload(d.Code, receiver, [][2]string{{"component", "to-khai"}}, "a.pdf", testPDF).json(t, &ref)
	path := "/api/v1/dossiers/" + d.Code + "/files/" + ref.ID
	for _, c := range []struct {
		rule   string
		person string
		status int
	}{
		{"anonymous", "", 401},
		{"another unit's officer", outsider, 403},
		{"a viewer reads every dossier", Viewer, 200},
		{"the office does not read a dossier still at the desk", officer, 403},
	} {
		if r := b.call("GET", path, c.person, nil); r.status != c.status {
			t.Errorf("%s: %d, want %d", c.rule, r.status, c.status)
		}
	}
	if r := b.call("GET", "/api/v1/dossiers/"+d.Code+"/files/"+d.Code+"-F2", receiver, nil); r.status != 404 {
		t.Errorf("no such file: %d", r.status)
	}
}

func TestUploadSupersedeReuseAndResult(t *testing.T) {
	t.Parallel()
	b := setup(t)
	first := b.receive("Tệp Bốn")
	var old engine.FileRef
	b.upload(first.Code, receiver, [][2]string{{"component", "cccd"}}, "cccd.pdf", testPDF).json(t, &old)
	r := b.upload(first.Code, receiver, [][2]string{{"component", "cccd"}, {"supersedes", old.ID}}, "cccd-ro.jpg", testJPEG)
	if r.status != 201 {
		t.Fatalf("supersede: %d %s", r.status, r.body)
	}
	var fix engine.FileRef
	r.json(t, &fix)
	second := b.receive("Tệp Bốn") // the same applicant ID number
	r = b.upload(second.Code, receiver, [][2]string{{"component", "cccd"}, {"reuse", fix.ID}}, "", nil)
	if r.status != 201 {
		t.Fatalf("reuse: %d %s", r.status, r.body)
	}
	var reused engine.FileRef
	r.json(t, &reused)
	if reused.ReusedFrom != first.Code || reused.SHA256 != fix.SHA256 {
		t.Fatalf("reused: %s", r.body)
	}
	if r := b.upload(second.Code, receiver, [][2]string{{"component", "cccd"}, {"reuse", old.ID}}, "", nil); r.status != 422 {
		t.Fatalf("reuse of a superseded file: %d %s", r.status, r.body)
	}
	// The result: the leadership, once the dossier is with it.
	signing := b.receive("Tệp Năm", "chuyen", "trinh")
	if r := b.upload(signing.Code, receiver, [][2]string{{"result", "true"}}, "kq.pdf", testPDF); r.status != 403 {
		t.Fatalf("the desk attaching the result while the leadership acts: %d", r.status)
	}
	r = b.upload(signing.Code, chairman, [][2]string{{"result", "true"}}, "kq.pdf", testPDF)
	var res engine.FileRef
	r.json(t, &res)
	if r.status != 201 || !res.Result {
		t.Fatalf("result: %d %s", r.status, r.body)
	}
}
