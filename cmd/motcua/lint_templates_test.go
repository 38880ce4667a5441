package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLintTemplates: lint --templates passes the built-in templates and
// names an admin's SMS template that cannot fit one segment, exiting 1.
func TestLintTemplates(t *testing.T) {
	t.Parallel()
	proc := "../../examples/procedures/1.001193-dang-ky-khai-sinh.yaml"
	empty := t.TempDir()
	if out, errOut, code := runCLI(t, "lint", "--templates", empty, proc); code != 0 || !strings.HasPrefix(out, "ok:") {
		t.Fatalf("built-in templates: exit %d\n%s%s", code, out, errOut)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "vi"), 0o755)
	src := `{{define "subject"}}x{{end}}{{define "body"}}x{{end}}{{define "sms"}}Ho so {{.Data.code}} bi tu choi vi {{.Data.reason}}{{end}}`
	if err := os.WriteFile(filepath.Join(dir, "vi", "applicant_refused.tmpl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "lint", "--templates", dir, proc)
	if code != 1 || !strings.Contains(out, dir+": SMS template vi/applicant_refused (") || strings.Count(out, "SMS template") != 1 || !strings.Contains(errOut, "1 problem(s)") {
		t.Errorf("an SMS template too long: exit %d\n%s%s", code, out, errOut)
	}
	if _, _, code := runCLI(t, "lint", "--templates", empty, "--public-url", "https://"+strings.Repeat("x", 100)+".vn", proc); code != 1 {
		t.Errorf("a public address too long for the links: exit %d, want 1", code)
	}
}
