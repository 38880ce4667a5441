package procedures

import (
	"path/filepath"
	"testing"
)

func catalogFiles(t testing.TB) []string {
	files, err := filepath.Glob("../examples/procedures/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalog: %v", err)
	}
	return files
}

func TestLintCatalog(t *testing.T) {
	t.Parallel()
	dir, err := LoadDirectory("../examples/directory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files := catalogFiles(t)
	r := Lint(LintOptions{Directory: dir}, files...)
	for _, p := range r.Problems {
		t.Error(p)
	}
	if len(r.Procedures) != len(files) || len(files) < 9 {
		t.Errorf("compiled %d of %d files, want at least 9", len(r.Procedures), len(files))
	}
}
