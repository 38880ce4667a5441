package engine

import (
	"bytes"
	"testing"
)

func TestSniffContentType(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule string
		head string
		want string
	}{
		{"a PDF starts with %PDF-", "%PDF-1.7\n", TypePDF},
		{"a JPEG starts with FF D8 FF", "\xff\xd8\xff\xe0JFIF", TypeJPEG},
		{"a PNG has its 8-byte signature", "\x89PNG\r\n\x1a\n", TypePNG},
		{"a little-endian TIFF", "II*\x00\x08\x00", TypeTIFF},
		{"a big-endian TIFF", "MM\x00*\x00\x00", TypeTIFF},
		{"HTML is not accepted", "<!doctype html>", ""},
		{"a ZIP (DOCX, XLSX) is not accepted", "PK\x03\x04", ""},
		{"a PDF mark later in the file does not count", " %PDF-1.7", ""},
		{"nothing is no type", "", ""},
	}
	for _, c := range cases {
		if got := SniffContentType([]byte(c.head)); got != c.want {
			t.Errorf("%s: SniffContentType(%q) = %q, want %q", c.rule, c.head, got, c.want)
		}
	}
}

func TestCheckFileName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule, name, ct string
		ok             bool
	}{
		{"the extension agrees", "to-khai.PDF", TypePDF, true},
		{"jpeg has three spellings", "anh.jpeg", TypeJPEG, true},
		{"no extension is only metadata", "scan", TypePNG, true},
		{"a PDF named .jpg is refused", "anh.jpg", TypePDF, false},
		{"an html name is refused", "x.html", TypePDF, false},
		{"a double extension is judged by the last", "x.pdf.exe", TypePDF, false},
	}
	for _, c := range cases {
		if err := CheckFileName(c.name, c.ct); (err == nil) != c.ok {
			t.Errorf("%s: CheckFileName(%q, %s) = %v", c.rule, c.name, c.ct, err)
		}
	}
}

func TestCleanFileName(t *testing.T) {
	t.Parallel()
	cases := []struct{ rule, in, want string }{
		{"a Windows path keeps its last element", `C:\Users\a\tờ khai.pdf`, "tờ khai.pdf"},
		{"a relative path keeps its last element", "../../etc/passwd", "passwd"},
		{"quotes and controls go (header injection)", "a\"b\r\nSet-Cookie: x.pdf", "abSet-Cookie: x.pdf"},
		{"dot-dot alone is no name", "..", ""},
		{"invalid UTF-8 is dropped", "a\xffb.pdf", "ab.pdf"},
	}
	for _, c := range cases {
		if got := CleanFileName(c.in); got != c.want {
			t.Errorf("%s: CleanFileName(%q) = %q, want %q", c.rule, c.in, got, c.want)
		}
	}
	if n := len(CleanFileName(string(bytes.Repeat([]byte("ă"), 200)))); n > 120 {
		t.Errorf("a long name is kept at %d bytes", n)
	}
}

func TestSignatureScanner(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule string
		pdf  string
		want bool
	}{
		{"a signature dictionary's type", "1 0 obj << /Type /Sig /Filter /Adobe.PPKLite >>", true},
		{"no space between the names", "<</Type/Sig/Contents <00>>>", true},
		{"a byte range", "<< /ByteRange [0 100 200 300] /Contents <00> >>", true},
		{"a signature field lock is not a signature", "<< /Type /SigFieldLock >>", false},
		{"a plain PDF", "%PDF-1.7 << /Type /Page /Contents 4 0 R >>", false},
	}
	for _, c := range cases {
		for _, chunk := range []int{1, 3, 7, 1000} {
			var s SignatureScanner
			b := []byte("%PDF-1.7\n" + string(bytes.Repeat([]byte("x"), 100)) + c.pdf + "\n")
			for i := 0; i < len(b); i += chunk {
				s.Write(b[i:min(i+chunk, len(b))])
			}
			if s.Signed() != c.want {
				t.Errorf("%s (writes of %d bytes): Signed = %v", c.rule, chunk, s.Signed())
			}
		}
	}
}

// FuzzSignatureScanner: however the bytes are cut into writes, the
// scanner finds what one scan of the whole finds.
func FuzzSignatureScanner(f *testing.F) {
	f.Add([]byte("<< /Type /Sig >>"), uint8(3))
	f.Add([]byte("/ByteRange  [0 1]"), uint8(1))
	f.Add([]byte("/Type /SigFieldLock"), uint8(5))
	f.Fuzz(func(t *testing.T, b []byte, chunk uint8) {
		n := int(chunk%64) + 1
		var s SignatureScanner
		for i := 0; i < len(b); i += n {
			s.Write(b[i:min(i+n, len(b))])
		}
		if whole := matchAny(b); s.Signed() != whole {
			t.Fatalf("writes of %d: Signed = %v, whole scan %v", n, s.Signed(), whole)
		}
	})
}

// FuzzCleanFileName: whatever comes in, no path separator, quote or
// control character comes out, and the result is valid UTF-8.
func FuzzCleanFileName(f *testing.F) {
	f.Add(`..\a/b"c` + "\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		out := CleanFileName(in)
		if bytes.ContainsAny([]byte(out), "/\\\"\r\n\x00") || len(out) > 120 || out == ".." {
			t.Fatalf("CleanFileName(%q) = %q", in, out)
		}
	})
}

func TestFileDossier(t *testing.T) {
	t.Parallel()
	if c, ok := FileDossier("XA01-260302-0001-F12"); !ok || c != "XA01-260302-0001" {
		t.Fatalf("FileDossier = %q, %v", c, ok)
	}
	if _, ok := FileDossier("F1"); ok {
		t.Fatal("an id without a dossier names one")
	}
}

func TestComponentsDeclaredAreTheOnlyOnes(t *testing.T) {
	t.Parallel()
	p := &Procedure{Code: "P", Version: 1, Components: []Component{{ID: "to-khai"}}}
	if err := checkComponent(p, "to-khai"); err != nil {
		t.Fatal(err)
	}
	if err := checkComponent(p, "cccd"); ErrorCode(err) != EINVALID {
		t.Fatalf("an undeclared component = %v", err)
	}
	if err := checkComponent(&Procedure{Code: "P"}, "cccd"); err != nil {
		t.Fatalf("any id while none are declared: %v", err)
	}
}
