package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func simulateCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	err := m.Run(context.Background(), append([]string{"simulate"}, args...))
	return out.String(), err
}

// TestSimulateExamples runs every shipped scenario through the CLI, on
// its temporary embedded store, and checks the JSON it prints.
func TestSimulateExamples(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("../../examples/scenarios/*.yaml")
	if len(files) < 3 {
		t.Fatalf("%d scenarios shipped, want at least 3", len(files))
	}
	want := map[string]struct {
		states, dues string
		errors       int
	}{
		"khai-sinh-qua-tet.yaml":     {"returned returned", "2026-02-13T17:00:00+07:00 2026-02-13T17:00:00+07:00", 0},
		"ho-kinh-doanh-bo-sung.yaml": {"returned", "2026-03-19T14:00:00+07:00", 1},
		"to-cao-gia-han.yaml":        {"concluded", "2026-06-18T17:00:00+07:00", 1},
		"ho-kinh-doanh-qua-han.yaml": {"review", "2026-03-05T09:00:00+07:00", 1},
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			out, err := simulateCLI(t, f, "--json")
			if err != nil || ExitCode(err) != 0 {
				t.Fatalf("exit %d: %v", ExitCode(err), err)
			}
			var res struct {
				Dossiers []struct {
					State string  `json:"state"`
					DueAt *string `json:"due_at"`
				} `json:"dossiers"`
				Notifications []any `json:"notifications"`
				Errors        []any `json:"errors"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			w, ok := want[filepath.Base(f)]
			if !ok {
				return // a new scenario: it ran and printed JSON
			}
			var states, dues []string
			for _, d := range res.Dossiers {
				states = append(states, d.State)
				if d.DueAt != nil {
					dues = append(dues, *d.DueAt)
				}
			}
			if strings.Join(states, " ") != w.states || strings.Join(dues, " ") != w.dues || len(res.Errors) != w.errors {
				t.Errorf("states %v dues %v errors %d; want %s / %s / %d", states, dues, len(res.Errors), w.states, w.dues, w.errors)
			}
		})
	}
}

func TestSimulateTables(t *testing.T) {
	t.Parallel()
	f := "../../examples/scenarios/ho-kinh-doanh-bo-sung.yaml"
	vi, err := simulateCLI(t, f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(vi, "HỒ SƠ (1)") || !strings.Contains(vi, "T5 19/03/2026 14:00") ||
		!strings.Contains(vi, "dinh-thi-ha không thuộc đơn vị được xử lý bước này; chỉ cán bộ của mot-cua được thực hiện") {
		t.Errorf("Vietnamese table:\n%s", vi)
	}
	en, err := simulateCLI(t, "--lang", "en", f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(en, "DOSSIERS (1)") || !strings.Contains(en, "Thu 19/03/2026 14:00") || !strings.Contains(en, "returned") {
		t.Errorf("English table:\n%s", en)
	}
}

// TestSimulateBadInput: an unreadable scenario is exit 2 with its
// position; bad flags are usage errors.
func TestSimulateBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("procedures: [x]\ndirectory: d.yaml\nsteps:\n  - at: yesterday\n    sweep: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := simulateCLI(t, bad, "--json")
	if ExitCode(err) != 2 || !strings.Contains(err.Error(), bad+`:4:9: invalid instant "yesterday"`) || out != "" {
		t.Errorf("exit %d, error %v, stdout %q", ExitCode(err), err, out)
	}
	// The scenario parses, but names a procedure folder that does not exist.
	missing := filepath.Join(dir, "missing.yaml")
	if err := os.WriteFile(missing, []byte("procedures: [nowhere]\ndirectory: ../../examples/directory.yaml\nsteps: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := simulateCLI(t, missing); ExitCode(err) != 2 || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("missing procedures: exit %d, %v", ExitCode(err), err)
	}
	for _, args := range [][]string{{}, {"a.yaml", "b.yaml"}, {"a.yaml", "--lang", "fr"}, {"a.yaml", "--colour"}} {
		if _, err := simulateCLI(t, args...); ExitCode(err) != 2 || !strings.Contains(err.Error(), "usage: motcua simulate") {
			t.Errorf("args %v: exit %d, %v", args, ExitCode(err), err)
		}
	}
}

// TestSimulateReport checks that --report scores the simulated dossiers:
// of the two births in the Tết scenario, one is returned on time and one
// late, so February's on-time rate is exactly one half.
func TestSimulateReport(t *testing.T) {
	t.Parallel()
	out, err := simulateCLI(t, "../../examples/scenarios/khai-sinh-qua-tet.yaml",
		"--report", "--from", "2026-02-01", "--to", "2026-02-28", "--by", "none", "--format", "json")
	if err != nil {
		t.Fatalf("simulate --report: %v", err)
	}
	var rep struct {
		Total struct {
			Received   int      `json:"received"`
			Finished   int      `json:"finished"`
			OnTime     int      `json:"on_time"`
			Late       int      `json:"late"`
			OnTimeRate *float64 `json:"on_time_rate"`
		} `json:"total"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	tot := rep.Total
	if tot.Received != 2 || tot.Finished != 2 || tot.OnTime != 1 || tot.Late != 1 || tot.OnTimeRate == nil || *tot.OnTimeRate != 0.5 {
		t.Errorf("February totals = %+v (rate %v), want 2 received, 2 finished, 1 on time, 1 late, rate 0.5", tot, tot.OnTimeRate)
	}
	if _, err := simulateCLI(t, "../../examples/scenarios/khai-sinh-qua-tet.yaml", "--report", "--from", "2026-02-30", "--to", "2026-02-28"); ExitCode(err) != 2 {
		t.Errorf("bad --from: exit %d (%v), want 2", ExitCode(err), err)
	}
}

// TestSimulateDeadlineWatch plays the overdue household business
// registration: each rung of the procedure's ladder fires once, at the
// first sweep after it is due, to the people the directory names then,
// and the apology letter may be sent only once (Decree 61/2018 Art 19).
func TestSimulateDeadlineWatch(t *testing.T) {
	t.Parallel()
	out, err := simulateCLI(t, "../../examples/scenarios/ho-kinh-doanh-qua-han.yaml", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Notifications []struct {
			At    string   `json:"at"`
			Kind  string   `json:"kind"`
			Level int      `json:"level"`
			To    []string `json:"to"`
		} `json:"notifications"`
		Errors []struct {
			Index   int    `json:"index"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var got []string
	for _, n := range res.Notifications {
		got = append(got, fmt.Sprintf("%s %s %d %s", n.At, n.Kind, n.Level, strings.Join(n.To, ",")))
	}
	want := []string{
		"2026-03-02T10:00:00+07:00 handover 0 pham-thi-hoa,trinh-van-long",    // forwarded to the economic office
		"2026-03-03T10:30:00+07:00 reminder 1 pham-thi-hoa,trinh-van-long",    // 4 working hours before Tue 15:00; the 10:45 sweep adds nothing
		"2026-03-03T15:30:00+07:00 breach 2 pham-thi-hoa",                     // the office's head, at the step deadline
		"2026-03-04T09:30:00+07:00 apology_due 0 pham-thi-hoa,trinh-van-long", // one working day before Thu 09:00
		"2026-03-04T15:30:00+07:00 escalation 3 dang-van-quang",               // the leadership's head, a working day later
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notifications:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(res.Errors) != 1 || res.Errors[0].Index != 8 || !strings.Contains(res.Errors[0].Message, "at most 1 time") {
		t.Errorf("rule: a second apology letter is rejected; errors %+v", res.Errors)
	}
}
