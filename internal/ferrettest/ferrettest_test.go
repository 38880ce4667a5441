package ferrettest_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/ferrettest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	ferrettest.Stop()
	os.Exit(code)
}

// FerretDB's rule for database names; MongoDB's is looser.
var validName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,63}$`)

func TestDBNameIsValidAndUnique(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, sub := range []string{"plain", "with spaces/and.dots$", strings.Repeat("long", 40), "Tiếng Việt"} {
		t.Run(sub, func(t *testing.T) {
			name := ferrettest.DBName(t)
			if !validName.MatchString(name) {
				t.Errorf("DBName = %q, not a valid database name", name)
			}
			if seen[name] {
				t.Errorf("DBName %q handed out twice", name)
			}
			seen[name] = true
		})
	}
}

func TestStartSharesOneServer(t *testing.T) {
	if ferrettest.Real() {
		t.Skip("a real MongoDB is configured")
	}
	a, b := ferrettest.Start(t), ferrettest.Start(t)
	if a != b || !strings.HasPrefix(a, "mongodb://127.0.0.1:") {
		t.Errorf("Start returned %q then %q; want the same local server", a, b)
	}
}
