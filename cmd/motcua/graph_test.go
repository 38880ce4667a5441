package main

import (
	"os"
	"strings"
	"testing"
)

func TestGraphFormats(t *testing.T) {
	const f = "../../examples/procedures/1.001193-dang-ky-khai-sinh.yaml"
	golden := func(name string) string {
		b, err := os.ReadFile("../../procedures/testdata/graph/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	out, _, code := runCLI(t, "graph", f)
	if code != 0 || out != golden("1.001193-dang-ky-khai-sinh.mmd") {
		t.Errorf("mermaid: exit %d\n%s", code, out)
	}
	out, _, code = runCLI(t, "graph", f, "--format", "dot")
	if code != 0 || out != golden("1.001193-dang-ky-khai-sinh.dot") {
		t.Errorf("dot: exit %d\n%s", code, out)
	}
}

func TestGraphErrors(t *testing.T) {
	if _, _, code := runCLI(t, "graph", "x.yaml", "--format", "svg"); code != 2 {
		t.Errorf("bad format: exit %d, want 2", code)
	}
	if _, _, code := runCLI(t, "graph"); code != 2 {
		t.Errorf("no file: exit %d, want 2", code)
	}
	_, errOut, code := runCLI(t, "graph", "../../procedures/testdata/lint/no_final.yaml")
	if code != 1 || !strings.Contains(errOut, "no_final.yaml:8:3: no final state") {
		t.Errorf("broken file: exit %d, stderr %s", code, errOut)
	}
}
