package notify

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// SMS text (issue 12): Vietnamese without diacritics in one 160-character
// GSM-7 segment. A text with a single character outside GSM-7 (any
// Vietnamese letter with a mark) goes as UCS-2, 70 characters a segment,
// and a notice split in three arrives out of order on some phones; so
// the text is folded to GSM-7 before it is sent, as provincial systems do.

// SMSSegment is the length of one GSM-7 SMS segment, in septets.
const SMSSegment = 160

// gsmBasic is the GSM 03.38 basic character set (one septet each);
// gsmExtension the characters that take an escape and a septet (two).
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtension = "^{}\\[~]|€\f"
)

// punctuation maps the typographic characters people type (and word
// processors put in) to GSM-7 ones.
var punctuation = map[rune]string{
	'–': "-", '—': "-", '‘': "'", '’': "'", '“': "\"", '”': "\"", '…': "...", '«': "\"", '»': "\"",
	'\t': " ", '\u00a0': " ", '•': "-", '·': "-",
}

// Fold returns s in GSM-7: Vietnamese letters without their marks (ạ → a,
// ư → u, đ → d), typographic punctuation replaced by plain, any other
// character outside GSM-7 by "?", and runs of white space made one space.
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // the diacritic of the letter before
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ':
			b.WriteByte('D')
		case punctuation[r] != "":
			b.WriteString(punctuation[r])
		case strings.ContainsRune(gsmBasic, r) || strings.ContainsRune(gsmExtension, r):
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// GSMLength returns the septets s takes in GSM-7 (an extension character
// two) and whether every character of s is in GSM-7.
func GSMLength(s string) (n int, ok bool) {
	ok = true
	for _, r := range s {
		switch {
		case strings.ContainsRune(gsmExtension, r):
			n += 2
		case strings.ContainsRune(gsmBasic, r):
			n++
		default:
			n, ok = n+1, false
		}
	}
	return n, ok
}

// cut shortens s to at most n characters, ending it with "..." when cut:
// the SMS templates cut every free text (a reason, a place's name) so the
// notice fits one segment whatever was typed.
func cut(n int, s string) string {
	// Folded first: "…" becomes three characters, and the count must be
	// the one sent.
	r := []rune(Fold(s))
	if len(r) <= n {
		return s
	}
	if n <= 3 {
		return string(r[:n])
	}
	return strings.TrimSpace(string(r[:n-3])) + "..."
}

// clause is cut ending with one full stop: "Thieu to khai." or
// "Thieu ban sao giay...", never "giay....".
func clause(n int, s string) string {
	c := strings.TrimRight(cut(n-1, s), " ")
	if strings.HasSuffix(c, ".") {
		return c
	}
	return c + "."
}
