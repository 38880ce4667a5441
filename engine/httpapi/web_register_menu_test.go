package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

// TestRegisterMenu: the menu links the dossier register (form 06) for
// those who may read it, the receiving desk and the leadership, and not
// for an officer of another unit, who would only be refused there.
func TestRegisterMenu(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, c := range []struct {
		rule   string
		who    string
		listed bool
	}{
		{"the receiving desk reads its register", receiver, true},
		{"the leadership reads every desk's register", Leader, true},
		{"an officer of the office has no register", officer, false},
	} {
		br := b.browser(t)
		br.signIn(c.who)
		_, page, _ := br.get("/inbox")
		if got := strings.Contains(page, `href="/register"`); got != c.listed {
			t.Errorf("rule: %s: menu lists the register %v, want %v", c.rule, got, c.listed)
		}
		st, _, _ := br.get("/register")
		if ok := st == http.StatusOK; ok != c.listed {
			t.Errorf("rule: %s: /register answers %d, and the menu must agree with it", c.rule, st)
		}
	}
}
