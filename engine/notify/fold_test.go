package notify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFold: Vietnamese letters lose their marks, typographic punctuation
// becomes plain, and what is left is GSM-7.
func TestFold(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ rule, in, want string }{
		{"every Vietnamese vowel loses its marks", "ạảãàáâậầấẩẫăắằặẳẵ ưứừựửữ ơớờợởỡ ôốồộổỗ êếềệểễ", "aaaaaaaaaaaaaaaaa uuuuuu oooooo oooooo eeeeee"},
		{"đ and Đ become d and D", "Đăng ký đất đai", "Dang ky dat dai"},
		{"capitals keep their case", "ỦY BAN NHÂN DÂN XÃ", "UY BAN NHAN DAN XA"},
		{"typographic punctuation becomes plain", "“Giấy phép” – bản sao…", "\"Giay phep\" - ban sao..."},
		{"white space runs become one space", "a \t\n  b", "a b"},
		{"other scripts become ?", "漢字 ok", "?? ok"},
	} {
		got := Fold(c.in)
		if got != c.want {
			t.Errorf("%s: Fold(%q) = %q, want %q", c.rule, c.in, got, c.want)
		}
		if _, ok := GSMLength(got); !ok {
			t.Errorf("%s: %q is not GSM-7", c.rule, got)
		}
	}
}

// FuzzFold: whatever is typed, the folded text is GSM-7.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"Thiếu bản sao", "“x” – y…", "\x00\xff", "€[]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, ok := GSMLength(Fold(s)); !ok {
			t.Fatalf("Fold(%q) = %q is not GSM-7", s, Fold(s))
		}
	})
}

// TestGSMLength: an extension character takes two septets.
func TestGSMLength(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		rule string
		in   string
		n    int
		ok   bool
	}{
		{"plain ASCII letters take one each", "abc", 3, true},
		{"the euro sign and brackets take two each", "€[]", 6, true},
		{"a letter with a diacritic is not GSM-7", "ạ", 1, false},
	} {
		n, ok := GSMLength(c.in)
		if n != c.n || ok != c.ok {
			t.Errorf("%s: GSMLength(%q) = %d %v, want %d %v", c.rule, c.in, n, ok, c.n, c.ok)
		}
	}
}

// TestBuiltInSMSFitOneSegment renders every built-in applicant template's
// SMS with each field at its longest and a 35-character public address:
// each must be GSM-7 and fit 160 characters.
func TestBuiltInSMSFitOneSegment(t *testing.T) {
	t.Parallel()
	tp := &Templates{PublicURL: "https://dichvucong.xaphuocan.gov.vn", RatingKey: []byte("k")}
	if err := tp.CheckSMS(); err != nil {
		t.Fatal(err)
	}
	if err := tp.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestCheckSMSNamesTheTemplateThatCannotFit: an admin's SMS that prints a
// free text uncut, or a public address too long for the links, is named.
func TestCheckSMSNamesTheTemplateThatCannotFit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "vi"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := `{{define "subject"}}x{{end}}{{define "body"}}x{{end}}{{define "sms"}}Ho so {{.Data.code}}: {{.Data.reason}}{{end}}`
	if err := os.WriteFile(filepath.Join(dir, "vi", "applicant_supplement.tmpl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	err := (&Templates{Dir: dir}).CheckSMS()
	if err == nil || !strings.Contains(err.Error(), "vi/applicant_supplement") || strings.Contains(err.Error(), "vi/applicant_received") {
		t.Fatalf("CheckSMS = %v, want vi/applicant_supplement named, and only it", err)
	}
	err = (&Templates{PublicURL: "https://" + strings.Repeat("x", 120) + ".gov.vn"}).CheckSMS()
	if err == nil || !strings.Contains(err.Error(), "vi/applicant_received") {
		t.Fatalf("CheckSMS with a 135-character address = %v, want the templates with a link named", err)
	}
}
