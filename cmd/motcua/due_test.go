package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// runCmd runs the CLI in-process and returns stdout, stderr, the error
// main would print and the exit status it would return.
func runCmd(t *testing.T, args ...string) (stdout, stderr string, code int, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Getenv: func(string) string { return "" }}
	err = m.Run(context.Background(), args)
	return out.String(), errb.String(), ExitCode(err), err
}

// writeFile writes a fixture into a fresh temporary folder.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDueCommand(t *testing.T) {
	t.Parallel()
	localCal := writeFile(t, "local.yaml", "name: local\nextends: vn\nsessions: [\"07:00-11:30\", \"13:30-17:00\"]\n")
	tests := []struct {
		rule       string
		args       []string
		wantLines  []string // exact stdout lines; "~x" means the line contains x
		wantStderr string   // substring; "" means stderr must be empty
	}{
		{"issue example: after the cut-off, Tết skipped",
			[]string{"--received", "2026-02-12T16:30:00+07:00", "--limit", "3 working days", "--cutoff", "15:00"},
			[]string{"2026-02-24T17:00:00+07:00"}, ""},
		{"--explain adds the Vietnamese derivation by default",
			[]string{"--received", "2026-02-12T16:30:00+07:00", "--limit", "3 working days", "--cutoff", "15:00", "--explain"},
			[]string{"2026-02-24T17:00:00+07:00", "~tiếp nhận T5 12/02/2026 16:30 sau giờ giới hạn 15:00, tính từ T6 13/02/2026 08:00; trừ Tết Nguyên đán 14/02–22/02"}, ""},
		{"--lang en explains in English",
			[]string{"--received", "2026-02-12T16:30:00+07:00", "--limit", "3 ngày làm việc", "--cutoff", "15:00", "--explain", "--lang", "en"},
			[]string{"2026-02-24T17:00:00+07:00", "~3 working days (24 working hours) end Tue 24/02/2026 17:00"}, ""},
		{"a reception in UTC prints in the calendar's offset",
			[]string{"--received", "2026-02-12T09:30:00Z", "--limit", "3 working days", "--cutoff", "15:00"},
			[]string{"2026-02-24T17:00:00+07:00"}, ""},
		{"same day with the flags in --flag=value form",
			[]string{"--received=2026-03-02T10:00:00+07:00", "--limit=trong ngày"},
			[]string{"2026-03-02T17:00:00+07:00"}, ""},
		{"calendar days (Civil Code Art 148): end on a holiday moves on",
			[]string{"--received", "2026-04-20T10:00:00+07:00", "--limit", "10 days"},
			[]string{"2026-05-04T17:00:00+07:00"}, ""},
		{"provisional year: warning on stderr only, even with --explain",
			[]string{"--received", "2026-12-31T09:00:00+07:00", "--limit", "2 working days", "--explain"},
			[]string{"2027-01-05T09:00:00+07:00", "~trừ Tết Dương lịch 01/01"}, "cảnh báo: lịch nghỉ năm 2027 là tạm tính"},
		{"missing year warns in English",
			[]string{"--received", "2030-01-04T09:00:00+07:00", "--limit", "1 working day", "--lang", "en"},
			[]string{"2030-01-07T09:00:00+07:00"}, "warning: no holiday table for 2030"},
		{"--calendar: local office hours 07:00–11:30, 13:30–17:00",
			[]string{"--received", "2026-03-02T08:00:00+07:00", "--limit", "4 working hours", "--calendar", localCal},
			[]string{"2026-03-02T14:00:00+07:00"}, ""},
		{"fractions of a second are kept",
			[]string{"--received", "2026-03-02T08:00:00+07:00", "--limit", "0.001 working minutes"},
			[]string{"2026-03-02T08:00:00.06+07:00"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			out, errOut, code, err := runCmd(t, append([]string{"due"}, tt.args...)...)
			if err != nil || code != 0 {
				t.Fatalf("exit %d, err %v", code, err)
			}
			assertLines(t, out, tt.wantLines)
			if tt.wantStderr == "" && errOut != "" {
				t.Errorf("stderr = %q, want it empty", errOut)
			}
			if !strings.Contains(errOut, tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tt.wantStderr)
			}
		})
	}
}

func assertLines(t *testing.T, out string, want []string) {
	t.Helper()
	got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(got) != len(want) {
		t.Fatalf("stdout has %d lines, want %d:\n%s", len(got), len(want), out)
	}
	for i, w := range want {
		if sub, ok := strings.CutPrefix(w, "~"); ok {
			if !strings.Contains(got[i], sub) {
				t.Errorf("line %d = %q, want it to contain %q", i+1, got[i], sub)
			}
		} else if got[i] != w {
			t.Errorf("line %d = %q, want %q", i+1, got[i], w)
		}
	}
}

func TestDueCommandBadInput(t *testing.T) {
	t.Parallel()
	ok := []string{"--received", "2026-03-02T10:00:00+07:00", "--limit", "3 working days"}
	tests := []struct {
		rule string
		args []string
		want string
	}{
		{"missing --received", []string{"--limit", "3 working days"}, "--received is required"},
		{"reception without an offset", []string{"--received", "2026-03-02T10:00:00", "--limit", "1 day"}, "not an RFC 3339 instant"},
		{"unknown unit names the accepted forms", []string{"--received", "2026-03-02T10:00:00+07:00", "--limit", "3 weeks"}, `"N ngày làm việc"`},
		{"negative limit", []string{"--received", "2026-03-02T10:00:00+07:00", "--limit", "-1 working days"}, "negative"},
		{"missing limit", []string{"--received", "2026-03-02T10:00:00+07:00"}, "--limit"},
		{"bad cut-off", append(ok, "--cutoff", "3pm"), "--cutoff"},
		{"bad language", append(ok, "--lang", "fr"), "want vi or en"},
		{"unquoted limit", []string{"--received", "2026-03-02T10:00:00+07:00", "--limit", "3", "working", "days"}, "unexpected argument"},
		{"unknown flag", append(ok, "--deadline", "x"), "-deadline"},
		{"missing calendar file", append(ok, "--calendar", filepath.Join(t.TempDir(), "none.yaml")), "--calendar"},
		{"broken calendar file", append(ok, "--calendar", writeFile(t, "bad.yaml", "name: x\nsessions: [\"17:00-08:00\"]\n")), "--calendar"},
		{"missing procedure file", []string{"--received", "2026-03-02T10:00:00+07:00", "--procedure", filepath.Join(t.TempDir(), "none.yaml")}, "--procedure"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			out, _, code, err := runCmd(t, append([]string{"due"}, tt.args...)...)
			if code != 2 {
				t.Fatalf("exit %d (err %v), want 2", code, err)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing on bad input", out)
			}
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, tt.want) {
				t.Errorf("error = %q, want one line containing %q", msg, tt.want)
			}
		})
	}
}

func TestDueHelp(t *testing.T) {
	t.Parallel()
	out, _, code, err := runCmd(t, "due", "-h")
	if err != nil || code != 0 || !strings.Contains(out, "--received RFC3339") {
		t.Errorf("due -h: exit %d, err %v, stdout %q", code, err, out)
	}
}

// testProcedure is a household-business registration (3 working days,
// domain brief) split into step budgets, built by hand so the test does
// not depend on the YAML language.
func testProcedure(budgets ...string) *engine.Procedure {
	p := &engine.Procedure{Code: "xa-hkd-test", Name: "Đăng ký hộ kinh doanh", TimeLimit: calendar.WorkingDaysOf(3)}
	co := calendar.Clock(15 * 60)
	p.Cutoff = &co
	ids := []string{"reception", "review", "approval", "returned"}
	names := []string{"Tiếp nhận hồ sơ", "Thẩm định hồ sơ", "Lãnh đạo ký", "Đã trả kết quả"}
	for i, id := range ids {
		s := &engine.State{ID: id, Name: names[i], NameEN: strings.ToUpper(id[:1]) + id[1:]}
		if i < len(budgets) {
			s.TimeLimit, _ = calendar.ParseDuration(budgets[i])
		}
		p.States = append(p.States, s)
	}
	return p
}

func TestDueProcedure(t *testing.T) {
	t.Parallel()
	received, _ := time.Parse(time.RFC3339, "2026-02-12T16:30:00+07:00")
	tests := []struct {
		rule       string
		req        dueRequest
		p          *engine.Procedure
		wantLines  []string
		wantStderr string
	}{
		{"the procedure's limit and cut-off, then one line per budgeted step",
			dueRequest{cal: calendar.VN(), received: received, lang: "vi"},
			testProcedure("0.5 working days", "2 working days", "4 working hours"),
			[]string{"2026-02-24T17:00:00+07:00",
				"reception  Tiếp nhận hồ sơ  0,5 ngày làm việc",
				"review  Thẩm định hồ sơ  2 ngày làm việc",
				"approval  Lãnh đạo ký  4 giờ làm việc"}, ""},
		{"English names and units",
			dueRequest{cal: calendar.VN(), received: received, lang: "en"},
			testProcedure("1 working day"),
			[]string{"2026-02-24T17:00:00+07:00", "reception  Reception  1 working day"}, ""},
		{"budgets beyond the legal limit warn",
			dueRequest{cal: calendar.VN(), received: received, lang: "vi"},
			testProcedure("2 working days", "2 working days"),
			[]string{"2026-02-24T17:00:00+07:00", "~reception", "~review"}, "cảnh báo: tổng thời gian các bước là 32 giờ làm việc, vượt thời hạn 3 ngày làm việc"},
		{"--limit and --cutoff override the procedure's",
			dueRequest{cal: calendar.VN(), received: received, lang: "en", limit: &[]calendar.Duration{calendar.SameDayLimit}[0], cutoff: &[]calendar.Clock{17 * 60}[0]},
			testProcedure(),
			[]string{"2026-02-12T17:00:00+07:00"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			var out, errb bytes.Buffer
			if err := tt.req.print(&Main{Stdout: &out, Stderr: &errb}, tt.p); err != nil {
				t.Fatal(err)
			}
			assertLines(t, out.String(), tt.wantLines)
			if tt.wantStderr == "" && errb.Len() > 0 || !strings.Contains(errb.String(), tt.wantStderr) {
				t.Errorf("stderr = %q, want %q", errb.String(), tt.wantStderr)
			}
		})
	}

	p := testProcedure()
	p.TimeLimit = calendar.Duration{}
	err := dueRequest{cal: calendar.VN(), received: received, lang: "vi"}.print(&Main{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}, p)
	if ExitCode(err) != 2 || !strings.Contains(err.Error(), "no time limit") {
		t.Errorf("procedure without a limit: err %v, exit %d; want exit 2", err, ExitCode(err))
	}
}

// TestDueProcedureFile runs --procedure end to end on the example
// birth registration (same day; after 15:00 the next working day).
func TestDueProcedureFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "..", "examples", "procedures", "1.001193-dang-ky-khai-sinh.yaml")
	if _, err := os.Stat(path); err != nil {
		t.Skip("example procedure not present:", err)
	}
	out, _, code, err := runCmd(t, "due", "--received", "2026-03-02T15:30:00+07:00", "--procedure", path)
	if err != nil || code != 0 {
		t.Fatalf("exit %d, err %v", code, err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "2026-03-03T17:00:00+07:00" {
		t.Errorf("first line = %q, want 2026-03-03T17:00:00+07:00 (after the 15:00 cut-off)", lines[0])
	}
	if len(lines) < 2 || len(strings.Split(lines[1], "  ")) != 3 {
		t.Errorf("want step lines \"id  name  budget\", got:\n%s", out)
	}
}
