package simulate_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/simulate"
)

// TestParseProblems: a malformed scenario is reported with the position
// of the offending node, as path:line:col, and nothing runs.
func TestParseProblems(t *testing.T) {
	t.Parallel()
	head := "procedures: [p]\ndirectory: d.yaml\nsteps:\n"
	cases := []struct {
		rule, text, want string
	}{
		{"an unknown top-level key is named", "procedure: [p]\ndirectory: d.yaml\nsteps: []\n",
			`s.yaml:1:1: scenario: unknown key "procedure" (known: calendar, description, directory, procedures, steps)`},
		{"an unknown key inside a step kind is named", head + "  - at: 2026-03-09T09:00:00+07:00\n    receive: {procedure: x, ref: A, by: b, applicant: {name: n}, colour: red}\n",
			`s.yaml:5:66: step 1 receive: unknown key "colour"`},
		{"an instant needs RFC3339 with an offset", head + "  - at: 2026-03-09 09:00\n    sweep: {}\n",
			`s.yaml:4:9: invalid instant "2026-03-09 09:00" for step 1 at`},
		{"an unknown step kind is named", head + "  - at: 2026-03-09T09:00:00+07:00\n    approve: {ref: A}\n",
			`s.yaml:5:5: step 1: unknown key "approve" (known: act, at, receive, sweep)`},
		{"a step without a kind is refused", head + "  - at: 2026-03-09T09:00:00+07:00\n",
			"s.yaml:4:5: step 1: missing the step kind"},
		{"a step doing two things is refused", head + "  - at: 2026-03-09T09:00:00+07:00\n    sweep: {}\n    act: {ref: A, action: x, by: y}\n",
			"s.yaml:4:5: step 1: one step does one thing, found sweep and act"},
		{"an act must name a ref received earlier", head + "  - at: 2026-03-09T09:00:00+07:00\n    act: {ref: D9, action: transfer, by: x}\n",
			`s.yaml:5:16: unknown ref "D9": no earlier receive step names it`},
		{"a receive must name its ref", head + "  - at: 2026-03-09T09:00:00+07:00\n    receive: {procedure: x, by: b, applicant: {name: n}}\n",
			`s.yaml:5:14: step 1 receive: missing required key "ref"`},
		{"a ref names one dossier", head + "  - at: 2026-03-09T09:00:00+07:00\n    receive: {procedure: x, ref: A, by: b, applicant: {name: n}}\n  - at: 2026-03-09T10:00:00+07:00\n    receive: {procedure: x, ref: A, by: b, applicant: {name: n}}\n",
			`s.yaml:6:5: ref "A" is already used`},
		{"the simulated clock never goes back", head + "  - {at: 2026-03-09T09:00:00+07:00, sweep: {}}\n  - {at: 2026-03-09T08:00:00+07:00, sweep: {}}\n",
			"s.yaml:5:5: step 2 at 2026-03-09T08:00:00+07:00 is earlier than the step before it"},
		{"the channel is counter, online or post", head + "  - at: 2026-03-09T09:00:00+07:00\n    receive: {procedure: x, ref: A, by: b, channel: fax, applicant: {name: n}}\n",
			`s.yaml:5:53: unknown channel "fax"`},
		{"procedures, directory and steps are required", "steps: []\n",
			`s.yaml:1:1: scenario: missing required key "procedures"`},
		{"broken YAML keeps its line", head + "  - at: [\n",
			"s.yaml:4:1: invalid YAML: did not find expected node content"},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			_, err := simulate.ParseBytes("s.yaml", []byte(c.text))
			var pe *simulate.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v, want *ParseError", err, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("got\n%s\nwant a line containing\n%s", err, c.want)
			}
			if engine.ErrorCode(err) != engine.EINVALID {
				t.Errorf("code %s, want invalid", engine.ErrorCode(err))
			}
		})
	}
}

// TestParseResolvesPaths: paths are relative to the scenario file.
func TestParseResolvesPaths(t *testing.T) {
	t.Parallel()
	sc, err := simulate.ParseBytes(filepath.Join("a", "b", "s.yaml"), []byte(`
procedures: [../procs, /abs/p.yaml]
directory: dir.yaml
calendar: ../cal.yaml
steps:
  - at: 2026-02-12T16:30:00+07:00
    receive: {procedure: 1.001193, version: 2, ref: D1, by: x, channel: post,
              applicant: {name: "A", phone: "0912"}, inputs: {note: n}, received_at: 2026-02-11T10:00:00+07:00}
  - at: 2026-02-13T09:00:00+07:00
    act: {ref: D1, action: transfer, by: y, inputs: {note: ok}, idempotency_key: k1}
  - at: 2026-02-13T09:00:00+07:00
    sweep:
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join("a", "procs"), "/abs/p.yaml"}
	if strings.Join(sc.Procedures, "|") != strings.Join(want, "|") || sc.Directory != filepath.Join("a", "b", "dir.yaml") || sc.Calendar != filepath.Join("a", "cal.yaml") {
		t.Errorf("paths %v %s %s", sc.Procedures, sc.Directory, sc.Calendar)
	}
	if len(sc.Steps) != 3 {
		t.Fatalf("%d steps", len(sc.Steps))
	}
	r := sc.Steps[0].Receive
	// An unquoted 1.001193 is still the procedure code, not a number.
	if r.Procedure != "1.001193" || r.Version != 2 || r.Channel != engine.ChannelPost || r.Applicant.Phone != "0912" ||
		r.Inputs["note"] != "n" || r.ReceivedAt.Format("2006-01-02T15:04") != "2026-02-11T10:00" {
		t.Errorf("receive %+v", r)
	}
	if a := sc.Steps[1].Act; a.IdempotencyKey != "k1" || a.Inputs["note"] != "ok" || sc.Steps[1].Line != 9 {
		t.Errorf("act %+v line %d", a, sc.Steps[1].Line)
	}
	if sc.Steps[2].Kind != simulate.KindSweep {
		t.Errorf("kind %s", sc.Steps[2].Kind)
	}
}

func TestParseMissingFile(t *testing.T) {
	t.Parallel()
	_, err := simulate.Parse(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml:1:1: cannot read scenario") {
		t.Errorf("error %v", err)
	}
}
