package mongostore_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestProductionCodeDoesNotLinkFerretDB guards the rule that FerretDB is
// a test stand-in only: the store, and so the motcua binary, must not
// embed it (a cold build would also take minutes longer).
func TestProductionCodeDoesNotLinkFerretDB(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/motcua/motcua/engine/mongostore").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "FerretDB") {
			t.Errorf("engine/mongostore depends on %s", pkg)
		}
	}
	if !strings.Contains(string(out), "go.mongodb.org/mongo-driver/v2/mongo") {
		t.Errorf("go list output does not look like a dependency list:\n%s", out)
	}
}
