package engine_test

import (
	"testing"

	"github.com/motcua/motcua/engine"
)

// TestCodeTable names, for every application code, the HTTP status and
// the exit status the one table gives it.
func TestCodeTable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule       string
		code       engine.Code
		http, exit int
	}{
		{"invalid input is 422 and a command-line input error", engine.EINVALID, 422, 2},
		{"an unknown reference is 404 and an input error", engine.ENOTFOUND, 404, 2},
		{"a stale or not-allowed act is 409 and an input error", engine.ECONFLICT, 409, 2},
		{"an act the person may not do is 403 and an input error", engine.EFORBIDDEN, 403, 2},
		{"not signed in is 401 and a failure", engine.EUNAUTHORIZED, 401, 1},
		{"a full disk is 507 and a failure", engine.ESTORAGEFULL, 507, 1},
		{"anything else is 500 and a failure", engine.EINTERNAL, 500, 1},
		{"a body that is not the endpoint's JSON is 400", engine.EBADREQUEST, 400, 2},
		{"a body over the limit is 413", engine.ETOOLARGE, 413, 2},
		{"a method the endpoint does not serve is 405", engine.EMETHOD, 405, 2},
		{"a rate limit is 429 and a failure", engine.ELIMITED, 429, 1},
		{"a file of a type not accepted is 415 and an input error", engine.EUNSUPPORTED, 415, 2},
		{"a code the table does not know is internal, never friendlier", "made_up", 500, 1},
	}
	seen := map[engine.Code]bool{}
	for _, tc := range cases {
		seen[tc.code] = true
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			if got := tc.code.HTTPStatus(); got != tc.http {
				t.Errorf("%s.HTTPStatus() = %d, want %d", tc.code, got, tc.http)
			}
			if got := tc.code.ExitCode(); got != tc.exit {
				t.Errorf("%s.ExitCode() = %d, want %d", tc.code, got, tc.exit)
			}
		})
	}
	for _, c := range engine.Codes() {
		if !seen[c] {
			t.Errorf("rule: every code in the table is named here; %s is not", c)
		}
	}
}

// TestCodesHaveWordsInBothLanguages: the generic words shown for an
// error without its own (an internal one above all) exist in Vietnamese
// and English and are not the same sentence.
func TestCodesHaveWordsInBothLanguages(t *testing.T) {
	t.Parallel()
	for _, c := range engine.Codes() {
		vi, en := c.Message("vi"), c.Message("en")
		if vi == "" || en == "" || vi == en {
			t.Errorf("%s: vi %q, en %q", c, vi, en)
		}
	}
	if engine.Code("made_up").Message("en") != engine.EINTERNAL.Message("en") {
		t.Error("rule: an unknown code reads as an internal error")
	}
}
