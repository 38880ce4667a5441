package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeProcedureLints keeps the README honest: the procedure it shows
// first must pass motcua lint against the example directory.
func TestReadmeProcedureLints(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, "```yaml\n")
	if i < 0 {
		t.Fatal("README has no yaml block")
	}
	body := s[i+len("```yaml\n"):]
	j := strings.Index(body, "```")
	if j < 0 {
		t.Fatal("README's yaml block is not closed")
	}
	path := filepath.Join(t.TempDir(), "readme.yaml")
	if err := os.WriteFile(path, []byte(body[:j]), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code, err := runCmd(t, "lint", "--directory", "../../examples/directory.yaml", path)
	if code != 0 {
		t.Fatalf("README procedure does not lint (exit %d, %v):\n%s%s", code, err, out, stderr)
	}
}
