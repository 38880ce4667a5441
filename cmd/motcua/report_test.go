package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// reportStore seeds an embedded store in a temporary folder through the
// engine and closes it (the store admits one process, and the command
// opens it again): in March 2026, A returned early, B refused, C stuck
// at the office past its due (Mon 9 Mar) at the month's end.
func reportStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlitestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ict := time.FixedZone("ICT", 7*3600)
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, ict) }
	clock := enginetest.NewStubClock(at(2, 9))
	e := enginetest.NewEngine(st, clock)
	ctx := context.Background()
	receive := func(name string, when time.Time) string {
		clock.Set(when)
		d, err := e.Receive(ctx, enginetest.SampleCode, 0, enginetest.SampleReception(name))
		if err != nil {
			t.Fatal(err)
		}
		return d.Code
	}
	act := func(code string, when time.Time, in engine.ActInput) {
		clock.Set(when)
		if _, err := e.Act(ctx, code, in, 0); err != nil {
			t.Fatalf("%s %s: %v", in.Action, code, err)
		}
	}
	a := receive("A", at(2, 9))
	for i, in := range enginetest.SampleFlow() {
		act(a, at(2, 10+i), in)
	}
	b := receive("B", at(2, 10))
	act(b, at(3, 9), enginetest.SampleFlow()[0])
	act(b, at(5, 10), engine.ActInput{Action: "tu_choi", Actor: enginetest.Officer, Inputs: map[string]string{"reason": "không đủ điều kiện"}})
	c := receive("C", at(2, 11))
	act(c, at(3, 9), enginetest.SampleFlow()[0])
	return dir
}

func TestReportCommandJSON(t *testing.T) {
	t.Parallel()
	dir := reportStore(t)
	out, _, code, err := runCmd(t, "report", "--data", dir, "--from", "2026-03-01", "--to", "2026-03-31", "--format", "json")
	if err != nil || code != 0 {
		t.Fatalf("exit %d: %v", code, err)
	}
	var r struct {
		Rows  []map[string]any `json:"rows"`
		Total map[string]any   `json:"total"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := map[string]any{"received": 3.0, "finished": 2.0, "early": 1.0, "refused": 1.0, "late": 0.0,
		"on_time_rate": 1.0, "in_progress": 1.0, "overdue": 1.0, "paused": 0.0}
	for k, v := range want {
		if r.Total[k] != v {
			t.Errorf("total %s = %v, want %v", k, r.Total[k], v)
		}
	}
	// The office refused B and holds C; leadership signed A (a step, no
	// finished dossier: no rate); the desk received all and returned A.
	if len(r.Rows) != 3 || r.Rows[0]["group"] != enginetest.UnitOffice || r.Rows[1]["on_time_rate"] != nil || r.Rows[2]["group"] != enginetest.UnitDesk {
		t.Errorf("rows by unit: %v", r.Rows)
	}

	// An empty period: the rate is null, not 0 or 1.
	out, _, _, err = runCmd(t, "report", "--data", dir, "--from", "2026-01-01", "--to", "2026-01-31", "--format", "json", "--by", "none")
	if err != nil || !strings.Contains(out, `"on_time_rate": null`) || !strings.Contains(out, `"rows": []`) {
		t.Errorf("January: %v\n%s", err, out)
	}
}

func TestReportCommandFiles(t *testing.T) {
	t.Parallel()
	dir := reportStore(t)
	outDir := t.TempDir()
	dirFile := filepath.Join("..", "..", "examples", "directory.yaml")

	// CSV chosen by the extension of --out; Vietnamese headings.
	csvPath := filepath.Join(outDir, "q1.csv")
	if _, stderr, _, err := runCmd(t, "report", "--data", dir, "--from", "2026-01-01", "--to", "2026-03-31", "--out", csvPath); err != nil || !strings.Contains(stderr, csvPath) {
		t.Fatalf("csv: %v (stderr %q)", err, stderr)
	}
	b, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil || len(recs) != 5 || recs[0][1] != "Đơn vị" || recs[4][1] != "Tổng cộng" || recs[4][2] != "3" {
		t.Errorf("csv %q: %v", recs, err)
	}

	// XLSX with two groupings: a sheet each, numbers as numbers.
	xlsxPath := filepath.Join(outDir, "q1.xlsx")
	if _, _, _, err := runCmd(t, "report", "--data", dir, "--from", "2026-01-01", "--to", "2026-03-31", "--by", "unit,channel", "--out", xlsxPath); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := strings.Join(x.GetSheetList(), "|"); got != "Theo đơn vị|Theo kênh|Đơn thư|QĐ 766|QĐ 766 thời gian|Đánh giá" {
		t.Errorf("sheets %q", got)
	}
	if v, _ := x.GetCellValue("Theo kênh", "C2"); v != "3" {
		t.Errorf("counter dossiers received (Theo kênh!C2) = %q, want 3", v)
	}
	if ct, _ := x.GetCellType("Theo kênh", "C2"); ct == excelize.CellTypeSharedString || ct == excelize.CellTypeInlineString {
		t.Errorf("C2 stored as text (%v), want a number", ct)
	}

	// Table in English, units named from the example directory, which
	// knows the desk and leadership but not the sample office: an
	// unknown id shows as itself.
	out, _, _, err := runCmd(t, "report", "--data", dir, "--from", "2026-03-01", "--to", "2026-03-31", "--lang", "en", "--directory", dirFile)
	if err != nil || !strings.Contains(out, "On-time rate") || !strings.Contains(out, "Commune leadership") || !strings.Contains(out, enginetest.UnitOffice) || !strings.Contains(out, "100.0%") {
		t.Errorf("table: %v\n%s", err, out)
	}
}

func TestReportCommandBadInput(t *testing.T) {
	t.Parallel()
	dir := reportStore(t)
	tests := []struct {
		rule string
		args []string
		want string
	}{
		{"--from is required", []string{"--to", "2026-03-31"}, "--from and --to"},
		{"dates are YYYY-MM-DD", []string{"--from", "1/3/2026", "--to", "2026-03-31"}, "from"},
		{"to not before from", []string{"--from", "2026-03-31", "--to", "2026-03-01"}, "before"},
		{"known groupings only", []string{"--from", "2026-03-01", "--to", "2026-03-31", "--by", "officer"}, "officer"},
		{"known formats only", []string{"--from", "2026-03-01", "--to", "2026-03-31", "--format", "pdf"}, "pdf"},
		{"one grouping per JSON", []string{"--from", "2026-03-01", "--to", "2026-03-31", "--by", "unit,kind", "--format", "json"}, "several groupings"},
		{"a store must exist", []string{"--from", "2026-03-01", "--to", "2026-03-31", "--data", filepath.Join(dir, "nope")}, "no store"},
	}
	for _, tt := range tests {
		args := append([]string{"report"}, tt.args...)
		if !strings.Contains(strings.Join(tt.args, " "), "--data") {
			args = append(args, "--data", dir)
		}
		_, _, code, err := runCmd(t, args...)
		if code != 2 || err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: exit %d, error %v; want exit 2 mentioning %q", tt.rule, code, err, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "nope")); !os.IsNotExist(err) {
		t.Errorf("a report on a missing folder must not create it")
	}
}

// TestWriteReportForSimulate: the helper simulate --report calls takes
// its flags from addReportFlags and writes over an open store.
func TestWriteReportForSimulate(t *testing.T) {
	t.Parallel()
	dir := reportStore(t)
	st, err := sqlitestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fs := newFlags("simulate", simulateUsage)
	args := addReportFlags(fs)
	if err := fs.Parse([]string{"--from", "2026-03-01", "--to", "2026-03-31", "--by", "kind"}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: io.Discard}
	if err := writeReport(context.Background(), m, st, calendar.VN(), *args); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Báo cáo tình hình giải quyết hồ sơ từ 01/03/2026 đến 31/03/2026 (theo loại)", "Thủ tục hành chính", "100,0%"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("simulate's report lacks %q:\n%s", w, out.String())
		}
	}
}
