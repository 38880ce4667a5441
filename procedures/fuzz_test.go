package procedures

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
)

// problemLine is the "path:line:col: message" form every Problem promises,
// so that editors can jump to it.
var problemLine = regexp.MustCompile(`^fuzz\.yaml:[1-9][0-9]*:[1-9][0-9]*: .`)

// checkProblems asserts the contract shared by every parser of this
// package: exactly one of value and error, and an error that is a typed,
// non-empty *Problems, each located as path:line:col.
func checkProblems(t *testing.T, what string, isNil bool, err error) {
	t.Helper()
	if isNil == (err == nil) {
		t.Fatalf("%s returned value nil=%v and error %v: want exactly one", what, isNil, err)
	}
	if err == nil {
		return
	}
	var ps *Problems
	if !errors.As(err, &ps) || len(ps.List) == 0 {
		t.Fatalf("%s error is not a non-empty *Problems: %T %v", what, err, err)
	}
	if c := engine.ErrorCode(err); c != engine.EINVALID {
		t.Fatalf("%s error code %q, want %q", what, c, engine.EINVALID)
	}
	for _, p := range ps.List {
		if !problemLine.MatchString(p.String()) {
			t.Fatalf("%s problem %q is not path:line:col: message", what, p.String())
		}
	}
}

// seedFiles adds every file matching the globs to the corpus.
func seedFiles(f *testing.F, globs ...string) {
	f.Helper()
	n := 0
	for _, g := range globs {
		files, err := filepath.Glob(g)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range files {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no seed files in %v", globs)
	}
}

// FuzzParseCalendar: any bytes give a calendar or located problems, never
// a panic; seeded with the example calendars.
func FuzzParseCalendar(f *testing.F) {
	seedFiles(f, "../examples/calendars/*.yaml")
	f.Add([]byte("name: x\nextends: vn\nyears:\n  - {year: 2026, days_off: [{from: 2026-01-01, to: 2026-12-31, name: a}]}\n"))
	f.Add([]byte("name: x\nyears: [{year: 0, days_off: [{from: 0001-01-01, to: 9999-12-31, name: a}]}]\n"))
	f.Add([]byte("name: x\nsessions: [\"07:00–24:00\", \"00:00-07:00\"]\n"))
	f.Add([]byte("name: &n x\nzone: *n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCalendar("fuzz.yaml", data)
		checkProblems(t, "ParseCalendar", c == nil, err)
		if c != nil && c.Name() == "" {
			t.Fatalf("calendar without a name")
		}
	})
}

// FuzzParseDirectory: any bytes give a directory or located problems,
// never a panic; seeded with the example commune directory.
func FuzzParseDirectory(f *testing.F) {
	seedFiles(f, "../examples/directory.yaml")
	f.Add([]byte("units: [{id: a, name: A, head: p}]\npeople: [{id: p, name: P, email: p@x, units: [a], roles: [head]}]\n"))
	f.Add([]byte("units: [{id: a, name: A}, {id: a, name: B}]\npeople: [{id: p, name: P, email: \"@\", units: a}]\n"))
	f.Add([]byte("units: &u [{id: a, name: A, head: *u}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDirectory("fuzz.yaml", data)
		checkProblems(t, "ParseDirectory", d == nil, err)
	})
}

// TestCalendarSpansStayWithinAYear: a days_off span expands to one entry
// per day, so the parser refuses spans it cannot bound (found by
// FuzzParseCalendar: year 0 switched off the year check and a span of
// 0001–9999 took seconds and 3.6 million entries).
func TestCalendarSpansStayWithinAYear(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule, yaml, want string
	}{
		{"year 0 is out of range like any year outside 1900–2200",
			"name: x\nyears: [{year: 0, days_off: [{from: 2026-01-01, to: 2026-01-02, name: a}]}]\n",
			"fuzz.yaml:2:16: year 0 is out of range"},
		{"a span across years is refused even when the year is broken",
			"name: x\nyears: [{year: x, days_off: [{from: 0001-01-01, to: 9999-12-31, name: a}]}]\n",
			"are in different years"},
		{"a span within the year still expands",
			"name: x\nextends: vn\nyears: [{year: 2026, days_off: [{from: 2026-02-14, to: 2026-02-22, name: Tết}]}]\n",
			""},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			c, err := ParseCalendar("fuzz.yaml", []byte(tc.yaml))
			checkProblems(t, "ParseCalendar", c == nil, err)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
