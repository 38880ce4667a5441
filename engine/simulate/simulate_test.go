package simulate_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/simulate"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// play parses and runs a scenario on a fresh embedded store in a
// temporary folder, as motcua simulate does.
func play(t *testing.T, path string, sw simulate.Sweeper) *simulate.Result {
	t.Helper()
	sc, err := simulate.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	return playScenario(t, sc, sw)
}

func playScenario(t *testing.T, sc *simulate.Scenario, sw simulate.Sweeper) *simulate.Result {
	t.Helper()
	cat, dir, cal, err := sc.Environment()
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlitestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	clock := enginetest.NewStubClock(time.Time{})
	eng := &engine.Engine{Store: store, Catalog: cat, Directory: dir, Calendar: cal, Now: clock.Now}
	res, err := simulate.Run(context.Background(), eng, clock, sc, sw)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// decoded round-trips the result through JSON, so the tests read what
// `motcua simulate --json` prints.
type decoded struct {
	Dossiers []struct {
		Ref, Code, Procedure, State, Status, Result, Timeliness string
		Version                                                 int
		ReceivedAt                                              string  `json:"received_at"`
		DueAt                                                   *string `json:"due_at"`
		StepDueAt                                               *string `json:"step_due_at"`
		FinishedAt                                              *string `json:"finished_at"`
		History                                                 []struct {
			Seq        int
			At, Action string
			Actor      string
			ToState    string  `json:"to_state"`
			StepDueAt  *string `json:"step_due_at"`
			StepResult string  `json:"step_result"`
		}
	}
	Notifications []struct {
		At, Ref, Kind, Channel string
		Level                  int
		To                     []string
	}
	Errors []struct {
		Index   int
		Ref     string
		Message string
	}
}

func decode(t *testing.T, res *simulate.Result) (decoded, map[string]any) {
	t.Helper()
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var d decoded
	var raw map[string]any
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	return d, raw
}

func str(p *string) string {
	if p == nil {
		return "null"
	}
	return *p
}

func scenario(name string) string { return filepath.Join("..", "..", "examples", "scenarios", name) }

func TestBirthAcrossTet(t *testing.T) {
	t.Parallel()
	d, raw := decode(t, play(t, scenario("khai-sinh-qua-tet.yaml"), nil))
	if len(d.Errors) != 0 || len(d.Dossiers) != 2 {
		t.Fatalf("errors %+v, %d dossiers", d.Errors, len(d.Dossiers))
	}
	d1, d2 := d.Dossiers[0], d.Dossiers[1]
	// After the 15:00 cut-off: the same day is Fri 13/02; returned after Tết.
	got := []string{d1.Ref, d1.Code, d1.Procedure, d1.State, d1.Status, d1.Result, d1.ReceivedAt, str(d1.DueAt), str(d1.StepDueAt), str(d1.FinishedAt), d1.Timeliness}
	want := []string{"D1", "UBND-XA-260212-0001", "1.001193", "returned", "finished", "approved",
		"2026-02-12T16:30:00+07:00", "2026-02-13T17:00:00+07:00", "null", "2026-02-23T09:30:00+07:00", "late"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("D1\n got %v\nwant %v", got, want)
	}
	if d1.Version != 2 || len(d1.History) != 5 { // the catalog's version 2 (issue 10)
		t.Errorf("D1 version %d, %d history rows", d1.Version, len(d1.History))
	}
	// Approval's 2 working hours from Fri 11:00 end Fri 14:00; signed after Tết.
	if h := d1.History[3]; h.Action != "sign" || str(h.StepDueAt) != "2026-02-13T14:00:00+07:00" || h.StepResult != "late" {
		t.Errorf("D1 sign row %+v", h)
	}
	if h := d1.History[1]; h.Action != "transfer" || str(h.StepDueAt) != "2026-02-13T09:00:00+07:00" || h.StepResult != "on_time" {
		t.Errorf("D1 transfer at the step's due instant: %+v", h)
	}
	if d2.Code != "UBND-XA-260213-0001" || str(d2.DueAt) != "2026-02-13T17:00:00+07:00" || d2.Timeliness != "on_time" {
		t.Errorf("D2 code %s due %s timeliness %s", d2.Code, str(d2.DueAt), d2.Timeliness)
	}
	// Handovers were decided with the transitions, in time order.
	if len(d.Notifications) == 0 || d.Notifications[0].Kind != "handover" || d.Notifications[0].Ref != "D1" ||
		d.Notifications[0].At != "2026-02-13T09:00:00+07:00" {
		t.Errorf("notifications %+v", d.Notifications)
	}
	for i := 1; i < len(d.Notifications); i++ {
		if d.Notifications[i].At < d.Notifications[i-1].At {
			t.Errorf("notifications out of order at %d", i)
		}
	}
	// Keys present even when empty, as the issue specifies.
	dossier := raw["dossiers"].([]any)[0].(map[string]any)
	for _, k := range []string{"ref", "code", "procedure", "version", "state", "status", "result", "received_at", "due_at", "step_due_at", "finished_at", "timeliness", "history"} {
		if _, ok := dossier[k]; !ok {
			t.Errorf("dossier JSON lacks %q", k)
		}
	}
	if _, ok := raw["errors"].([]any); !ok {
		t.Error(`"errors" must be a list, empty when nothing was rejected`)
	}
}

func TestHouseholdBusinessSupplement(t *testing.T) {
	t.Parallel()
	d, _ := decode(t, play(t, scenario("ho-kinh-doanh-bo-sung.yaml"), nil))
	if len(d.Errors) != 1 {
		t.Fatalf("errors %+v, want the one wrong-unit transfer", d.Errors)
	}
	if e := d.Errors[0]; e.Index != 1 || e.Ref != "H1" || !strings.Contains(e.Message, "dinh-thi-ha may not act here") || !strings.Contains(e.Message, "mot-cua") {
		t.Errorf("error %+v", e)
	}
	h := d.Dossiers[0]
	// Restarted on the return Mon 16/03 14:00: 3 working days → Thu 19/03 14:00.
	if h.State != "returned" || str(h.DueAt) != "2026-03-19T14:00:00+07:00" || h.Timeliness != "early" || str(h.FinishedAt) != "2026-03-18T09:00:00+07:00" {
		t.Errorf("H1 state %s due %s timeliness %s finished %s", h.State, str(h.DueAt), h.Timeliness, str(h.FinishedAt))
	}
	var actions []string
	for i, r := range h.History {
		actions = append(actions, r.Action)
		if r.Seq != i+1 {
			t.Errorf("row %d has seq %d", i, r.Seq)
		}
	}
	if got := strings.Join(actions, " "); got != "receive transfer request_supplement resubmit transfer propose sign deliver" {
		t.Errorf("history %s (the rejected step must leave no row)", got)
	}
}

func TestDenunciationTwoExtensions(t *testing.T) {
	t.Parallel()
	d, _ := decode(t, play(t, scenario("to-cao-gia-han.yaml"), nil))
	if len(d.Errors) != 1 || d.Errors[0].Index != 5 || !strings.Contains(d.Errors[0].Message, "at most 2") {
		t.Fatalf("errors %+v, want the third extension refused", d.Errors)
	}
	tc := d.Dossiers[0]
	if tc.Code != "TCD-260316-0001" || tc.State != "concluded" || str(tc.DueAt) != "2026-06-18T17:00:00+07:00" || tc.Timeliness != "early" {
		t.Errorf("T1 code %s state %s due %s timeliness %s", tc.Code, tc.State, str(tc.DueAt), tc.Timeliness)
	}
	// Verification's 20 days from acceptance (Fri 20/03) end Thu 09/04.
	if r := tc.History[4]; r.Action != "report" || str(r.StepDueAt) != "2026-04-09T17:00:00+07:00" || r.StepResult != "late" {
		t.Errorf("report row %+v", r)
	}
}

// fakeSweeper records the instants it was asked to sweep at.
type fakeSweeper struct{ at []time.Time }

func (f *fakeSweeper) SweepOnce(_ context.Context, at time.Time) error {
	f.at = append(f.at, at)
	if len(f.at) == 2 {
		return errors.New("lease lost")
	}
	return nil
}

func TestSweepSteps(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeScenario(t, dir, `
procedures: [`+abs(t, "../../examples/procedures")+`]
directory: `+abs(t, "../../examples/directory.yaml")+`
steps:
  - {at: 2026-03-09T09:00:00+07:00, sweep: {}}
  - at: 2026-03-10T09:00:00+07:00
    sweep:
`)
	sc, err := simulate.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := decode(t, playScenario(t, sc, nil))
	if len(d.Errors) != 2 || d.Errors[0].Message != "deadline watch not available" || d.Errors[1].Index != 1 {
		t.Errorf("without a sweeper: errors %+v", d.Errors)
	}
	sw := &fakeSweeper{}
	d, _ = decode(t, playScenario(t, sc, sw))
	if len(sw.at) != 2 || sw.at[1].Format(time.RFC3339) != "2026-03-10T09:00:00+07:00" {
		t.Errorf("sweeper called at %v", sw.at)
	}
	if len(d.Errors) != 1 || d.Errors[0].Index != 1 || d.Errors[0].Message != "lease lost" {
		t.Errorf("a failing sweep is a rejected step: %+v", d.Errors)
	}
}

func TestRejectedReceptionDoesNotStopTheRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeScenario(t, dir, `
procedures: `+abs(t, "../../examples/procedures")+`
directory: `+abs(t, "../../examples/directory.yaml")+`
steps:
  - at: 2026-03-09T09:00:00+07:00
    receive: {procedure: "9.999999", ref: X, by: ngo-thi-mai, applicant: {name: A}}
  - at: 2026-03-09T09:10:00+07:00
    act: {ref: X, action: transfer, by: ngo-thi-mai}
  - at: 2026-03-09T09:20:00+07:00
    receive: {procedure: "1.001193", ref: Y, by: ngo-thi-mai, applicant: {name: B}}
`)
	res := play(t, path, nil)
	d, _ := decode(t, res)
	if len(d.Errors) != 2 || !strings.Contains(d.Errors[0].Message, `procedure "9.999999" not found`) ||
		d.Errors[1].Ref != "X" || !strings.Contains(d.Errors[1].Message, "was not received") {
		t.Errorf("errors %+v", d.Errors)
	}
	if len(d.Dossiers) != 1 || d.Dossiers[0].Ref != "Y" || d.Dossiers[0].Code != "UBND-XA-260309-0001" {
		t.Errorf("dossiers %+v: the failed reception must not consume a ref or a code", d.Dossiers)
	}
	var vi, en strings.Builder
	if err := res.WriteText(&vi, "vi"); err != nil {
		t.Fatal(err)
	}
	if err := res.WriteText(&en, "en"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"HỒ SƠ (1)", "BƯỚC BỊ TỪ CHỐI (2)", `Không tìm thấy thủ tục "9.999999"`, "T2 09/03/2026 09:20", "đang giải quyết"} {
		if !strings.Contains(vi.String(), want) {
			t.Errorf("Vietnamese table lacks %q:\n%s", want, vi.String())
		}
	}
	for _, want := range []string{"DOSSIERS (1)", "REJECTED STEPS (2)", `procedure "9.999999" not found`, "Mon 09/03/2026 09:20", "in progress"} {
		if !strings.Contains(en.String(), want) {
			t.Errorf("English table lacks %q:\n%s", want, en.String())
		}
	}
}

func writeScenario(t *testing.T, dir, text string) string {
	t.Helper()
	path := filepath.Join(dir, "scenario.yaml")
	if err := os.WriteFile(path, []byte(strings.TrimLeft(text, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
