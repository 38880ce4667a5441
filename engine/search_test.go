package engine

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	cases := []struct{ rule, in, want string }{
		{"case and marks go", "Bình", "binh"},
		{"upper case folds alike", "BÌNH", "binh"},
		{"đ folds to d", "Đặng", "dang"},
		{"every tone of a vowel", "ả ã ạ ằ ắ ẳ ẵ ặ ầ ấ ẩ ẫ ậ", "a a a a a a a a a a a a a"},
		{"horn letters", "Ương Ở", "uong o"},
		{"decomposed input (base and combining marks)", "Bi\u0300nh Nguye\u0302\u0303n", "binh nguyen"},
		{"digits and punctuation stay", "Đỗ (Văn) Ánh 0912.345", "do (van) anh 0912.345"},
		{"Latin-1 foreign names", "Müller Françoise", "muller francoise"},
		{"invalid UTF-8 becomes U+FFFD", "a\xffb", "a\uFFFDb"},
	}
	for _, c := range cases {
		if got := Fold(c.in); got != c.want {
			t.Errorf("%s: Fold(%q) = %q, want %q", c.rule, c.in, got, c.want)
		}
	}
}

func TestSearchKeysAndPrefix(t *testing.T) {
	d := &Dossier{Code: "XA01-260302-0001", Applicant: Applicant{
		Name: "Trần  Thị Bình", IDNo: "001 099 012345", Phone: "+84 912 345 678"}}
	keys := SearchKeys(d)
	matches := func(text string) bool {
		p := SearchPrefix(text)
		return p != "" && slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, p) })
	}
	cases := []struct {
		rule string
		text string
		want bool
	}{
		{"a word's beginning without diacritics", "binh", true},
		{"a word's beginning in upper case", "BÌN", true},
		{"the name from its start", "tran thi", true},
		{"several words in their order, spaces collapsed", "  thi   binh ", true},
		{"words out of order do not match", "binh tran", false},
		{"the middle of a word does not match", "inh", false},
		{"the code, any case", "xa01-2603", true},
		{"the code's day and sequence", "260302-0001", true},
		{"the code's sequence", "0001", true},
		{"the ID number typed without spaces", "001099012", true},
		{"the ID number typed with spaces", "001 099", true},
		{"the phone in the national form", "0912 345", true},
		{"the phone in the international form", "+84912", true},
		{"another phone", "0913", false},
		{"blank finds nothing", "   ", false},
	}
	for _, c := range cases {
		if got := matches(c.text); got != c.want {
			t.Errorf("%s: %q matches %v, want %v (keys %q, prefix %q)", c.rule, c.text, got, c.want, keys, SearchPrefix(c.text))
		}
	}
	if !slices.IsSorted(keys) || len(slices.Compact(slices.Clone(keys))) != len(keys) {
		t.Errorf("keys not sorted and unique: %q", keys)
	}
}

func TestSearchKeysAreBounded(t *testing.T) {
	d := &Dossier{Code: "C", Applicant: Applicant{Name: strings.Repeat("Nguyễn ", 100)}}
	keys := SearchKeys(d)
	if len(keys) > maxNameKeys+1 {
		t.Errorf("%d keys for a name of 100 words, want at most %d", len(keys), maxNameKeys+1)
	}
	for _, k := range keys {
		if len(k) > maxSearchKey || !utf8.ValidString(k) {
			t.Errorf("key %q: %d bytes or not UTF-8", k, len(k))
		}
	}
	// A text longer than a key still finds it: both are cut alike.
	p := SearchPrefix(d.Applicant.Name)
	if !slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, p) }) {
		t.Errorf("the whole long name does not find its dossier")
	}
}

func TestPrefixEnd(t *testing.T) {
	cases := []struct{ rule, in, want string }{
		{"the last letter raised", "binh", "bini"},
		{"a space raised", "thi ", "thi!"},
		{"a non-ASCII rune raised", "a\u00ff", "a\u0100"},
		{"empty has none", "", ""},
		{"the largest rune is dropped and the one before raised", "a\U0010FFFF", "b"},
		{"surrogates are skipped", "\uD7FF", "\uE000"},
	}
	for _, c := range cases {
		if got := PrefixEnd(c.in); got != c.want {
			t.Errorf("%s: PrefixEnd(%q) = %q, want %q", c.rule, c.in, got, c.want)
		}
	}
}

// FuzzFold checks Fold's promises on any input: idempotent, valid UTF-8,
// no longer in runes, ASCII letters lowered and nothing else of ASCII
// changed; and that a dossier's name is always found by its own words.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"Bình", "ĐẶNG", "Bi\u0300nh", "a\xffb", "+84 912", "Đỗ (Văn) Ánh", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q is not UTF-8", s, got)
		}
		if again := Fold(got); again != got {
			t.Fatalf("Fold not idempotent: %q → %q → %q", s, got, again)
		}
		if utf8.RuneCountInString(got) > utf8.RuneCountInString(s) {
			t.Fatalf("Fold(%q) = %q has more runes", s, got)
		}
		if isASCII(s) && got != strings.ToLower(s) {
			t.Fatalf("Fold(%q) = %q, want the ASCII lowered", s, got)
		}
		// Each of the first words of a name finds the dossier.
		keys := SearchKeys(&Dossier{Code: "X", Applicant: Applicant{Name: s}})
		words := strings.Fields(got)
		for _, w := range words[:min(len(words), maxNameKeys)] {
			if isNumberLike(w) {
				continue // read as a phone or ID number
			}
			p := SearchPrefix(w)
			if !slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, p) }) {
				t.Fatalf("name %q: its word %q (prefix %q) finds no key of %q", s, w, p, keys)
			}
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
