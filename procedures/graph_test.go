package procedures

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run Graph -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (run with -update if the change is intended):\n%s", path, got)
	}
}

func TestGraphGolden(t *testing.T) {
	for _, f := range []string{
		"1.001193-dang-ky-khai-sinh.yaml",
		"xa-kn-01-giai-quyet-khieu-nai-lan-dau.yaml",
	} {
		p, err := LoadFile(filepath.Join("../examples/procedures", f))
		if err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(f, ".yaml")
		golden(t, "graph/"+base+".mmd", Mermaid(p))
		golden(t, "graph/"+base+".dot", DOT(p))
	}
}
