package httpapi

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// postReception sends the reception page's form as the browser does
// once files are chosen: multipart, the fields in order, then the files
// by input name.
func (br *browser) postReception(fields [][2]string, files []part) (int, string) {
	br.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	for _, f := range files {
		fw, _ := mw.CreateFormFile(f.name, f.filename)
		fw.Write(f.body)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", br.b.ts.URL+"/receive", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := br.c.Do(req)
	if err != nil {
		br.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out)
}

// TestWebReceptionFiles: the page's reception takes a scan per component
// (two for one of them) and the dossier holds them; each refusal comes
// back on the form in words, receives nothing and takes no number.
func TestWebReceptionFiles(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{procs: []*engine.Procedure{contentsProcedure(t)}, maxFile: 1 << 20})
	br := b.browser(t)
	csrf := br.signIn(receiver)
	_, page, _ := br.get("/receive")
	if !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, `name="file|TEST.KS|to-khai" multiple`) {
		t.Fatal("the reception form has no file input per component")
	}
	fields := func(csrf string, got ...string) [][2]string {
		f := [][2]string{{"csrf", csrf}, {"key", "k-" + strings.Join(got, "-")}, {"procedure", contentsCode}, {"name", "Phạm Văn Quét"}, {"channel", "counter"}}
		for _, id := range got {
			f = append(f, [2]string{"got|TEST.KS|" + id, "1"}, [2]string{"copy|TEST.KS|" + id, "original"}, [2]string{"count|TEST.KS|" + id, "1"})
		}
		return f
	}
	pdf := enginetest.FileBytes
	before := b.snapshot()
	cases := []struct {
		rule   string
		fields [][2]string
		files  []part
		status int
		words  string
	}{
		{"a missing required component is refused on the form", fields(csrf, "to-khai"),
			[]part{{"file|TEST.KS|to-khai", "a.pdf", testPDF}}, 422, "Giấy chứng sinh"},
		{"HTML is refused on the form", fields(csrf, "to-khai", "giay-chung-sinh"),
			[]part{{"file|TEST.KS|to-khai", "x.pdf", []byte("<html><script>alert(1)</script>")}}, 415, "PDF, JPEG, PNG"},
		{"a file over the cap is refused on the form with the cap", fields(csrf, "to-khai", "giay-chung-sinh"),
			[]part{{"file|TEST.KS|to-khai", "a.pdf", testPDF}, {"file|TEST.KS|giay-chung-sinh", "big.pdf", pdf(1<<20+1, 4)}}, 413, "1 MB"},
		{"a wrong CSRF token", fields("sai", "to-khai", "giay-chung-sinh"), []part{{"file|TEST.KS|to-khai", "a.pdf", testPDF}}, 403, "CSRF"},
	}
	for _, c := range cases {
		st, body := br.postReception(c.fields, c.files)
		if st != c.status || !strings.Contains(body, c.words) {
			t.Errorf("%s: %d, want %d saying %q", c.rule, st, c.status, c.words)
		}
		if c.status != http.StatusForbidden && !strings.Contains(body, `id="name"`) {
			t.Errorf("%s: the form does not come back", c.rule)
		}
		if b.snapshot() != before {
			t.Fatalf("%s: the refusal changed the store", c.rule)
		}
	}
	st, body := br.postReception(fields(csrf, "to-khai", "giay-chung-sinh"), []part{
		{"file|TEST.KS|giay-chung-sinh", "chung-sinh.jpg", testJPEG},
		{"file|TEST.KS|to-khai", "trang-1.pdf", testPDF},
		{"file|TEST.KS|to-khai", "trang-2.pdf", pdf(3000, 5)},
	})
	if st != http.StatusSeeOther {
		t.Fatalf("reception: %d %s", st, body)
	}
	list, _ := b.store.List(context.Background(), engine.Query{})
	if len(list) != 1 || !strings.HasSuffix(list[0].Code, "-0001") {
		t.Fatalf("dossiers after the reception: %d", len(list))
	}
	d := list[0]
	// The files are in the procedure's order of components, each
	// component's in the order chosen.
	if len(d.Files) != 3 || d.Files[0].Name != "trang-1.pdf" || d.Files[1].Name != "trang-2.pdf" || d.Files[2].Component != "giay-chung-sinh" {
		t.Fatalf("files %+v", d.Files)
	}
}
