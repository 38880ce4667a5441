package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/sqlitestore"
	"github.com/motcua/motcua/procedures"
)

// seedSweep receives one household-business dossier (XA.HKD.01) at Mon 2
// March 2026 09:00 into a fresh data folder: its reception step (half a
// working day) is due Mon 14:00, so on Tue 15:00 the breach (to the desk's
// head) and the escalation (one working day later, to leadership) are due.
func seedSweep(t *testing.T) (dir, code string) {
	t.Helper()
	dir = t.TempDir()
	st, err := sqlitestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ps, err := procedures.LoadAll("../../examples/procedures")
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := engine.NewCatalog(ps...)
	d, err := procedures.LoadDirectory("../../examples/directory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.VN().Location())
	e := &engine.Engine{Store: st, Catalog: cat, Directory: d, Calendar: calendar.VN(), Now: func() time.Time { return at }}
	p, err := cat.Get("XA.HKD.01", 0)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := e.Receive(context.Background(), "XA.HKD.01", 0, engine.ReceiveInput{Actor: "ngo-thi-mai", Applicant: engine.Applicant{Name: "Nguyễn Văn Bảy"}, Components: engine.CompleteChecklist(p)})
	if err != nil {
		t.Fatal(err)
	}
	return dir, ds.Code
}

func sweepMain(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	err := m.Run(context.Background(), args)
	return out.String(), err
}

func TestSweepCommand(t *testing.T) {
	t.Parallel()
	dir, code := seedSweep(t)
	common := []string{"--data", dir, "--procedures", "../../examples/procedures", "--directory", "../../examples/directory.yaml"}
	out, err := sweepMain(t, append([]string{"sweep", "--at", "2026-03-03T15:00:00+07:00", "--json"}, common...)...)
	if err != nil {
		t.Fatal(err)
	}
	var got sweepOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Checked != 1 || got.Applied != 1 || len(got.Notifications) != 2 {
		t.Fatalf("decisions = %s", out)
	}
	b, e := got.Notifications[0], got.Notifications[1]
	if b.Kind != engine.NoteBreach || b.Ref != code || b.Level != 2 || strings.Join(b.To, ",") != "tran-thi-lan" {
		t.Errorf("rule: the breach goes to the desk's head; %+v", b)
	}
	if e.Kind != engine.NoteEscalation || e.Level != 3 || strings.Join(e.To, ",") != "dang-van-quang" {
		t.Errorf("rule: the escalation goes to leadership's head; %+v", e)
	}

	// Again at the same instant: nothing left to fire. Then dispatch to
	// the log channel, in Vietnamese.
	out, err = sweepMain(t, append([]string{"sweep", "--at", "2026-03-03T15:01:00+07:00", "--dispatch"}, common...)...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "Quét hạn lúc T3 03/03/2026 15:01: kiểm tra 0 hồ sơ, cập nhật 0") {
		t.Errorf("rule: each rung fires once; second sweep printed:\n%s", out)
	}
	if n := strings.Count(out, "notify id="+code); n != 2 || !strings.Contains(out, `subject="[Quá hạn] Hồ sơ `+code) {
		t.Errorf("--dispatch should render the 2 notifications once:\n%s", out)
	}
}

func TestSweepCommandErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"a malformed --at is a usage error", []string{"sweep", "--at", "tomorrow"}, 2},
		{"a missing data folder is bad input", []string{"sweep", "--data", t.TempDir(), "--procedures", "../../examples/procedures", "--directory", "../../examples/directory.yaml"}, 2},
		{"a stray argument is a usage error", []string{"sweep", "now"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := sweepMain(t, tc.args...)
			if got := ExitCode(err); got != tc.want {
				t.Errorf("exit %d, want %d (%v)", got, tc.want, err)
			}
		})
	}
}

// TestSweepReadsMainsClock: without --at the sweep acts as of Main's
// clock, which also stamps the versions it publishes first: the instant
// comes from the one injected clock, never from the machine's.
func TestSweepReadsMainsClock(t *testing.T) {
	t.Parallel()
	dir, _ := seedSweep(t)
	at := time.Date(2026, 3, 3, 15, 0, 0, 0, calendar.VN().Location())
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: io.Discard, Getenv: func(string) string { return "" }, Now: func() time.Time { return at }}
	if err := m.Run(context.Background(), []string{"sweep", "--json", "--data", dir,
		"--procedures", "../../examples/procedures", "--directory", "../../examples/directory.yaml"}); err != nil {
		t.Fatal(err)
	}
	var got sweepOutput
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !got.At.Equal(at) || len(got.Notifications) != 2 {
		t.Errorf("swept at %v with %d notifications, want %v with the breach and the escalation", got.At, len(got.Notifications), at)
	}
	st, err := sqlitestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	vs, err := st.ProcedureVersions(context.Background())
	if err != nil || len(vs) == 0 {
		t.Fatalf("published versions: %v (%v)", vs, err)
	}
	for _, v := range vs {
		if !v.FirstSeen.Equal(at) {
			t.Errorf("%s first seen at %v, want the clock's %v", v.Key(), v.FirstSeen, at)
		}
	}
}
