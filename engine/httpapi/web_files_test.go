package httpapi

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine/enginetest"
)

// postFiles sends the page's upload form: the fields in order, then the
// files.
func (br *browser) postFiles(code string, fields [][2]string, files map[string][]byte) (int, string, http.Header) {
	br.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	for name, b := range files {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(b)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", br.b.ts.URL+"/dossiers/"+code+"/files", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := br.c.Do(req)
	if err != nil {
		br.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out), res.Header
}

func TestWebUploadsSeveralFilesAndLists(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("Trang Tệp")
	br := b.browser(t)
	csrf := br.signIn(receiver)
	_, page, _ := br.get("/dossiers/" + d.Code)
	if !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, `id="files"`) {
		t.Fatal("the desk sees no upload form on the dossier page")
	}
	two := map[string][]byte{"trang-1.pdf": enginetest.FileBytes(2000, 1), "trang-2.pdf": enginetest.FileBytes(2000, 2)}
	st, body, h := br.postFiles(d.Code, [][2]string{{"csrf", csrf}, {"target", "to-khai"}}, two)
	if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/dossiers/"+d.Code+"?done=") {
		t.Fatalf("upload: %d %s", st, body)
	}
	_, page, _ = br.get("/dossiers/" + d.Code)
	for _, want := range []string{"trang-1.pdf", "trang-2.pdf", `data-component="to-khai"`, "/api/v1/dossiers/" + d.Code + "/files/" + d.Code + "-F1", "Đính kèm tệp"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	// The download link works with the page's session.
	if st, _, h := br.get("/api/v1/dossiers/" + d.Code + "/files/" + d.Code + "-F1"); st != 200 || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download from the page: %d %v", st, h)
	}
}

func TestWebUploadRefusals(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("Trang Tệp Lỗi")
	br := b.browser(t)
	csrf := br.signIn(receiver)
	before := b.snapshot()
	pdf := map[string][]byte{"a.pdf": enginetest.FileBytes(500, 3)}
	if st, _, _ := br.postFiles(d.Code, [][2]string{{"target", "to-khai"}}, pdf); st != http.StatusForbidden {
		t.Errorf("no CSRF token: %d, want 403", st)
	}
	if st, _, _ := br.postFiles(d.Code, [][2]string{{"csrf", "sai"}, {"target", "to-khai"}}, pdf); st != http.StatusForbidden {
		t.Errorf("a wrong CSRF token: %d, want 403", st)
	}
	st, body, _ := br.postFiles(d.Code, [][2]string{{"csrf", csrf}, {"target", "to-khai"}}, map[string][]byte{"a.html": []byte("<html>")})
	if st != http.StatusUnsupportedMediaType || !strings.Contains(body, "Chỉ nhận tệp PDF") || !strings.Contains(body, `id="files"`) {
		t.Errorf("HTML: %d, want 415 on the dossier page", st)
	}
	if b.snapshot() != before {
		t.Fatal("a refused upload changed the store")
	}
	office := b.browser(t)
	office.signIn(officer)
	d2 := b.receive("Trang Tệp Văn Phòng", "chuyen")
	_, page, _ := office.get("/dossiers/" + d2.Code)
	if strings.Contains(page, `enctype="multipart/form-data"`) && strings.Contains(page, `value="to-khai"`) {
		t.Error("the office is offered to scan components")
	}
	if !strings.Contains(page, `value="__result"`) {
		t.Error("the acting office is not offered the result")
	}
}
