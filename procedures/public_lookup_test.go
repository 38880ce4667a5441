package procedures

import (
	"strings"
	"testing"
)

// TestPublicLookup: public_lookup: false hides a procedure from the
// public lookup, the catalog's denunciations set it (Denunciations Law
// 2018 Art 47), and a value that is not a boolean is an error.
func TestPublicLookup(t *testing.T) {
	t.Parallel()
	for _, f := range catalogFiles(t) {
		p, err := LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if want := p.Code == "XA.TC.01"; p.NoPublicLookup != want {
			t.Errorf("%s: hidden from the lookup %v, want %v", p.Code, p.NoPublicLookup, want)
		}
	}
	src := func(v string) []byte {
		return []byte("code: X.1\nname: X\nlegal_basis: [L]\ntime_limit: 3 ngày làm việc\npublic_lookup: " + v +
			"\ninitial: a\nstates:\n  - {id: a, name: A, unit: u}\n  - {id: b, name: B, final: approved}\nactions:\n  - {id: go, name: Go, from: a, to: b}\n")
	}
	for _, c := range []struct {
		rule   string
		v      string
		hidden bool
		bad    bool
	}{
		{"false hides the procedure", "false", true, false},
		{"true keeps it public", "true", false, false},
		{"a word is refused", "maybe", false, true},
	} {
		p, err := Parse("x.yaml", src(c.v))
		if (err != nil) != c.bad {
			t.Errorf("%s: err %v", c.rule, err)
			continue
		}
		if err == nil && p.NoPublicLookup != c.hidden {
			t.Errorf("%s: hidden %v", c.rule, p.NoPublicLookup)
		}
		if err != nil && !strings.Contains(err.Error(), "public_lookup") {
			t.Errorf("%s: %v does not name the field", c.rule, err)
		}
	}
}
