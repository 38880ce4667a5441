package engine

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// folded maps the precomposed Latin letters with diacritics that a
// Vietnamese office meets (the whole Vietnamese alphabet, and Latin-1 for
// foreign names) to their base letter. Lower case only: Fold lowers first.
var folded = func() map[rune]rune {
	m := map[rune]rune{}
	for base, letters := range map[rune]string{
		'a': "àáảãạăằắẳẵặâầấẩẫậäåā",
		'e': "èéẻẽẹêềếểễệëē",
		'i': "ìíỉĩịîïī",
		'o': "òóỏõọôồốổỗộơờớởỡợöøō",
		'u': "ùúủũụưừứửữựûüū",
		'y': "ỳýỷỹỵÿ",
		// đ is a letter of its own, not d with a mark: Unicode gives it
		// no decomposition, so it is named here.
		'd': "đ",
		'c': "ç",
		'n': "ñ",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// Fold returns s lower-cased and without diacritics, so that what a clerk
// types without a Vietnamese keyboard finds what was received with one:
// "Bình" and "BINH" fold to "binh", "Đặng" to "dang". Letters written
// decomposed (a base letter followed by combining marks, as some input
// methods send them) fold alike: the marks are dropped. Everything else
// (digits, punctuation, spaces) is kept as it is; invalid UTF-8 becomes
// U+FFFD. Fold is idempotent.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue // a combining mark of a decomposed letter
		}
		r = unicode.ToLower(r)
		if f, ok := folded[r]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	return b.String()
}

// maxSearchKey bounds a search key, in bytes (cut at a rune boundary):
// a name pasted ten times over must not make a huge index entry. A search
// text is cut the same way, so a long text still finds its dossier.
const maxSearchKey = 96

// maxNameKeys bounds how many keys one name gives (one per word).
const maxNameKeys = 8

// SearchKeys are the keys a dossier is found by: a search text matches
// the dossier when it is a prefix of one of them (SearchPrefix). They are
// folded (Fold) and are:
//
//   - the code, and each part of it after a '-' ("260303-0001", "0001"),
//     so a clerk can type the day or the sequence number;
//   - the applicant's name from each word on ("tran thi binh", "thi
//     binh", "binh"), so that a word's beginning finds it ("binh" finds
//     "Trần Thị Bình"), and so do several words in their order;
//   - the ID number, without spaces or dots;
//   - the phone number as digits, both in the national form (0…) and
//     the international one (84…), whichever was written.
//
// Both stores keep these keys with an index on them; sorted, no
// duplicates.
func SearchKeys(d *Dossier) []string {
	var keys []string
	add := func(k string) {
		if k = cutKey(k); k != "" {
			keys = append(keys, k)
		}
	}
	code := Fold(strings.TrimSpace(d.Code))
	add(code)
	for i := 0; i < len(code); i++ {
		if code[i] == '-' {
			add(code[i+1:])
		}
	}
	words := strings.Fields(Fold(d.Applicant.Name))
	for i := range min(len(words), maxNameKeys) {
		add(strings.Join(words[i:], " "))
	}
	add(digitsOnly(Fold(d.Applicant.IDNo), true))
	if p := digitsOnly(d.Applicant.Phone, false); p != "" {
		add(p)
		switch {
		case strings.HasPrefix(p, "84"):
			add("0" + p[2:])
		case strings.HasPrefix(p, "0"):
			add("84" + p[1:])
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// SearchPrefix is what a search text looks for among SearchKeys: folded,
// its words joined by one space; a phone or ID number typed with spaces,
// dots, dashes or a leading + becomes its digits. Blank text gives "".
func SearchPrefix(text string) string {
	t := strings.Join(strings.Fields(Fold(text)), " ")
	if d := digitsOnly(t, false); d != "" && isNumberLike(t) {
		t = d
	}
	return cutKey(t)
}

// isNumberLike reports whether t is digits written with spaces, dots or
// a leading +. Not dashes: a code's parts ("260303-0001") keep theirs.
func isNumberLike(t string) bool {
	for i, r := range t {
		switch {
		case r >= '0' && r <= '9', r == ' ', r == '.':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return true
}

// digitsOnly keeps the ASCII digits of s. With whole, s must be made of
// digits, spaces and dots only, otherwise it gives "" (an ID number
// written as text is not a number key).
func digitsOnly(s string, whole bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case whole && r != ' ' && r != '.':
			return ""
		}
	}
	return b.String()
}

// cutKey cuts k to maxSearchKey bytes at a rune boundary.
func cutKey(k string) string {
	if len(k) <= maxSearchKey {
		return k
	}
	k = k[:maxSearchKey]
	for len(k) > 0 && !utf8.ValidString(k) {
		k = k[:len(k)-1]
	}
	return k
}

// PrefixEnd is the least string greater than every string that starts
// with p, for a range scan [p, PrefixEnd(p)) of an index in byte order
// (UTF-8 byte order is code point order): p with its last rune raised by
// one. "" when there is none (p empty, or only U+10FFFF).
func PrefixEnd(p string) string {
	for len(p) > 0 {
		r, n := utf8.DecodeLastRuneInString(p)
		p = p[:len(p)-n]
		switch {
		case r == utf8.RuneError && n <= 1, r == unicode.MaxRune:
			continue // cannot be raised: raise the rune before it
		case r == 0xD7FF:
			return p + string(rune(0xE000)) // skip the surrogates
		}
		return p + string(r+1)
	}
	return ""
}
