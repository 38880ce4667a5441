package procedures

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wantLines reads the "# want: line:col: message" comments at the end of
// a fixture: the exact problems Lint must report for it.
func wantLines(t *testing.T, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if w, ok := strings.CutPrefix(sc.Text(), "# want: "); ok {
			want = append(want, w)
		}
	}
	return want
}

// TestLintFixtures runs one fixture per check under testdata/lint and
// compares every problem, position included, with the fixture's wants.
// Fixtures named dir_* are linted against the example directory;
// dup_code_b is linted after dup_code_a, which it repeats.
func TestLintFixtures(t *testing.T) {
	t.Parallel()
	dir, err := LoadDirectory("../examples/directory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/lint/*.yaml")
	if len(files) < 20 {
		t.Fatalf("only %d fixtures", len(files))
	}
	for _, f := range files {
		base := filepath.Base(f)
		if base == "dup_code_a.yaml" {
			continue
		}
		t.Run(strings.TrimSuffix(base, ".yaml"), func(t *testing.T) {
			opts := LintOptions{}
			if strings.HasPrefix(base, "dir_") {
				opts.Directory = dir
			}
			paths := []string{f}
			if base == "dup_code_b.yaml" {
				paths = []string{"testdata/lint/dup_code_a.yaml", f}
			}
			r := Lint(opts, paths...)
			var got []string
			for _, p := range r.Problems {
				if p.Path != f {
					t.Errorf("problem in another file: %s", p)
					continue
				}
				got = append(got, strings.TrimPrefix(p.String(), f+":"))
			}
			want := wantLines(t, f)
			if base == "valid.yaml" && len(want) != 0 {
				t.Fatal("valid.yaml must not want problems")
			}
			if base != "valid.yaml" && len(want) == 0 {
				t.Fatal("fixture wants no problem: add # want: lines")
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("problems:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
			}
		})
	}
}

func TestLoadFileProblems(t *testing.T) {
	t.Parallel()
	_, err := LoadFile("testdata/lint/rung_nobody.yaml")
	var ps *Problems
	if !errors.As(err, &ps) || len(ps.List) != 2 {
		t.Fatalf("err = %v, want 2 problems", err)
	}
	if !strings.HasPrefix(err.Error(), "testdata/lint/rung_nobody.yaml:20:5: ") {
		t.Errorf("err = %q", err)
	}
	_, err = LoadFile("testdata/lint/missing.yaml")
	if !errors.As(err, &ps) || !strings.HasPrefix(err.Error(), "testdata/lint/missing.yaml:1:1: cannot read: open: ") {
		t.Errorf("err = %v", err)
	}
	_, err = LoadAll("testdata/lint/dup_code_a.yaml", "testdata/lint/dup_code_b.yaml")
	if !errors.As(err, &ps) || len(ps.List) != 1 {
		t.Errorf("LoadAll duplicate: %v", err)
	}
}
