// Package archtest checks the project's dependency rules: dependencies
// point inward (calendar ← engine ← implementations ← cmd), so the pure
// core never reaches a database, the network or another implementation.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/motcua/motcua"

// deps returns the project packages and third-party modules pkg imports,
// transitively.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", mod+"/"+pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
	}
	var ds []string
	for _, l := range strings.Fields(string(out)) {
		if l != mod+"/"+pkg {
			ds = append(ds, l)
		}
	}
	return ds
}

func TestDependenciesPointInward(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not on PATH")
	}
	implementations := []string{"engine/sqlitestore", "engine/mongostore", "engine/httpapi", "engine/watch",
		"engine/notify", "engine/report", "engine/auth", "engine/simulate", "engine/filestore", "procedures", "cmd/"}
	for _, tc := range []struct {
		rule      string
		pkg       string
		forbidden []string // prefixes
		allowOnly []string // when set, every non-project dependency must start with one of these
	}{
		{rule: "calendar uses the standard library only", pkg: "engine/calendar", allowOnly: []string{}},
		{rule: "the core imports no implementation and no database driver", pkg: "engine",
			forbidden: append([]string{"go.mongodb.org", "modernc.org", "github.com/FerretDB", "gopkg.in/yaml"}, prefixed(implementations)...)},
		{rule: "the SQLite store does not import other implementations", pkg: "engine/sqlitestore",
			forbidden: prefixed([]string{"engine/mongostore", "engine/httpapi", "engine/watch", "engine/notify", "engine/auth", "procedures", "cmd/"})},
		// A store keeps credentials through engine.CredentialStore, not auth.
		{rule: "the MongoDB store does not import other implementations nor embed FerretDB", pkg: "engine/mongostore",
			forbidden: append([]string{"github.com/FerretDB"}, prefixed([]string{"engine/sqlitestore", "engine/httpapi", "engine/watch", "engine/notify", "engine/auth", "procedures", "cmd/"})...)},
		{rule: "the disk file store imports no other implementation and no database", pkg: "engine/filestore",
			forbidden: append([]string{"go.mongodb.org", "modernc.org"}, prefixed([]string{"engine/sqlitestore", "engine/mongostore", "engine/httpapi", "engine/watch", "engine/notify", "engine/auth", "procedures", "cmd/"})...)},
		{rule: "the deadline watch does not import a store", pkg: "engine/watch",
			forbidden: prefixed([]string{"engine/sqlitestore", "engine/mongostore", "engine/httpapi", "cmd/"})},
		{rule: "the HTTP API does not import a store", pkg: "engine/httpapi",
			forbidden: prefixed([]string{"engine/sqlitestore", "engine/mongostore", "cmd/"})},
		{rule: "the binary does not embed FerretDB (it is a test stand-in only)", pkg: "cmd/motcua",
			forbidden: []string{"github.com/FerretDB"}},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			for _, d := range deps(t, tc.pkg) {
				if tc.allowOnly != nil && !strings.HasPrefix(d, mod+"/") {
					ok := false
					for _, a := range tc.allowOnly {
						ok = ok || strings.HasPrefix(d, a)
					}
					if !ok {
						t.Errorf("%s imports %s", tc.pkg, d)
					}
				}
				for _, f := range tc.forbidden {
					if strings.HasPrefix(d, f) {
						t.Errorf("%s imports %s", tc.pkg, d)
					}
				}
			}
		})
	}
}

func prefixed(pkgs []string) []string {
	out := make([]string, len(pkgs))
	for i, p := range pkgs {
		out[i] = mod + "/" + p
	}
	return out
}
