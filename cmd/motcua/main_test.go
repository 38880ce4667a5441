package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/report"
	"github.com/motcua/motcua/procedures"
)

func TestErrorTextAndExitCode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule     string
		err      error
		lang     string
		want     string
		wantExit int
	}{
		{"the core's errors read in Vietnamese by default", fmt.Errorf("passwd: %w", &engine.NotFoundError{What: "person", ID: "x"}), "", `Không tìm thấy cán bộ "x"`, 2},
		{"MOTCUA_LANG=en gives English", &engine.NotFoundError{What: "person", ID: "x"}, "en", `Person "x" not found`, 2},
		{"a forbidden act is bad input on the command line", &engine.ForbiddenError{Person: "ha", Units: []string{"mot-cua"}}, "", "ha không thuộc đơn vị được xử lý bước này; chỉ cán bộ của mot-cua được thực hiện", 2},
		{"an error that speaks both languages speaks the user's", fmt.Errorf("open: %w", twoLanguages{}), "", "thư mục đang được dùng", 1},
		{"a bad report query reads in Vietnamese by default", fmt.Errorf("report: %w", &report.QueryError{Field: "by", VI: "nhóm theo không hợp lệ", EN: "grouping is invalid"}), "", "nhóm theo không hợp lệ", 2},
		{"a refused password reads in the user's language", &auth.WeakPasswordError{Min: 8}, "", "Mật khẩu quá ngắn: cần ít nhất 8 ký tự", 2},
		{"the publishing refusal names the file in the language asked for", &publishedEditError{lang: "vi", err: &procedures.PublishedEditError{Next: map[string]int{"1.001193": 2},
			Edits: []procedures.PublishedEdit{{File: "a.yaml", Changed: &engine.ProcedureChangedError{Code: "1.001193", Version: 1, Stored: "aaaa", Given: "bbbb"}}}}}, "en",
			`a.yaml: procedure 1.001193 version 1 is already published with other content (published sha256 aaaa…, file bbbb…); ` +
				`dossiers in progress follow the published rules, so a published version cannot be edited in place: ` +
				`restore the published content, or raise "version:" (to 2) to publish the change as a new version`, 2},
		{"usage errors exit 2 with their own text", usagef("bad flag"), "", "bad flag", 2},
		{"other failures exit 1 with their text", errors.New("disk full"), "", "disk full", 1},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			if got := errorText(tc.err, tc.lang); got != tc.want {
				t.Errorf("errorText = %q, want %q", got, tc.want)
			}
			if got := ExitCode(tc.err); got != tc.wantExit {
				t.Errorf("ExitCode = %d, want %d", got, tc.wantExit)
			}
		})
	}
}

type twoLanguages struct{}

func (twoLanguages) Error() string { return "folder in use" }
func (twoLanguages) Message(lang string) string {
	if lang == "en" {
		return "folder in use"
	}
	return "thư mục đang được dùng"
}

// TestHelpExitsZero: every command answers -h with its usage on stdout
// and success, not a usage error.
func TestHelpExitsZero(t *testing.T) {
	t.Parallel()
	for _, c := range commands() {
		name := c.name
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out, _, code, err := runCmd(t, name, "-h")
			if code != 0 || err != nil {
				t.Fatalf("%s -h: exit %d, %v", name, code, err)
			}
			if !strings.Contains(strings.ToLower(out), "usage") {
				t.Errorf("%s -h printed no usage:\n%s", name, out)
			}
		})
	}
}

// TestCommandsListedOnce: the command table names each command once and
// in alphabetical order, the order "motcua help" has always printed, and
// help prints every one of them.
func TestCommandsListedOnce(t *testing.T) {
	t.Parallel()
	out, _, code, err := runCmd(t, "help")
	if code != 0 || err != nil {
		t.Fatalf("help: exit %d, %v", code, err)
	}
	prev := ""
	for _, c := range commands() {
		if c.name <= prev {
			t.Errorf("%q listed after %q: want each name once, in alphabetical order", c.name, prev)
		}
		prev = c.name
		if !strings.Contains(out, "  "+c.name+" ") || c.summary == "" || c.run == nil {
			t.Errorf("%s: not in help, or without a summary or a function:\n%s", c.name, out)
		}
	}
}
