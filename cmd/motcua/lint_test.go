package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	err := m.Run(context.Background(), args)
	return out.String(), errb.String(), ExitCode(err)
}

func TestLintCatalogClean(t *testing.T) {
	files, _ := filepath.Glob("../../examples/procedures/*")
	out, errOut, code := runCLI(t, append([]string{"lint", "--directory", "../../examples/directory.yaml"}, files...)...)
	if code != 0 || !strings.HasPrefix(out, "ok: 10 procedure(s) in 10 file(s)") || errOut != "" {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	// Flags may come after the files, as people type them.
	if _, _, code := runCLI(t, "lint", "../../examples/procedures", "--directory", "../../examples/directory.yaml"); code != 0 {
		t.Errorf("folder with trailing flag: exit %d", code)
	}
}

func TestLintProblems(t *testing.T) {
	bad := "../../procedures/testdata/lint/"
	out, errOut, code := runCLI(t, "lint", bad+"no_way_out.yaml", bad+"wrong_type.yaml", bad+"nope.yaml")
	want := bad + "no_way_out.yaml:10:10: state \"review\" is not final and no action leads out of it\n" +
		bad + "nope.yaml:1:1: cannot read: stat: no such file or directory\n" +
		bad + "wrong_type.yaml:3:10: version must be a whole number, got a string\n"
	if code != 1 || out != want {
		t.Errorf("exit %d\n got %s\nwant %s", code, out, want)
	}
	if !strings.Contains(errOut, "3 problem(s)") {
		t.Errorf("stderr %q", errOut)
	}
}

func TestLintDirectoryProblems(t *testing.T) {
	out, _, code := runCLI(t, "lint", "--directory", "../../procedures/testdata/lint/valid.yaml", "../../examples/procedures/1.001193-dang-ky-khai-sinh.yaml")
	if code != 1 || !strings.Contains(out, "valid.yaml:1:1: directory: unknown key \"code\"") {
		t.Errorf("exit %d, out %s", code, out)
	}
}

func TestLintUsage(t *testing.T) {
	if _, _, code := runCLI(t, "lint"); code != 2 {
		t.Errorf("no files: exit %d, want 2", code)
	}
	if _, _, code := runCLI(t, "lint", "--bogus", "x.yaml"); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
}
