package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCalendarCommand(t *testing.T) {
	t.Parallel()
	own := writeFile(t, "own.yaml", `name: own
years:
  - year: 2026
    provisional: true
    days_off: [{date: 2026-03-02, name: Ngày thử}]
    working_days: [{date: 2026-03-07, name: Làm bù thử}]
`)
	tests := []struct {
		rule       string
		args       []string
		wantLines  []string // lines that must appear, in this order
		wantCount  int      // -1: any
		wantStderr string
	}{
		{"2026: days off and the make-up Saturday, date first, in date order",
			[]string{"--year", "2026"},
			[]string{"2026-01-01  nghỉ  Tết Dương lịch", "2026-01-10  làm bù  Làm bù cho ngày 02/01", "2026-02-14  nghỉ  Tết Nguyên đán",
				"2026-04-27  nghỉ  Giỗ Tổ Hùng Vương", "2026-04-30  nghỉ  Ngày Giải phóng miền Nam", "2026-09-02  nghỉ  Quốc khánh"},
			24, ""},
		{"2027 in English with the provisional notice",
			[]string{"--year", "2027", "--lang", "en"},
			[]string{"2027-01-01  off  Tết Dương lịch", "2027-02-06  off  Tết Nguyên đán", "2027-04-16  off  Giỗ Tổ Hùng Vương"},
			-1, "warning: the 2027 holiday table is provisional"},
		{"a missing year prints nothing but the notice",
			[]string{"--year", "2030"}, nil, 0, "cảnh báo: chưa có lịch nghỉ năm 2030"},
		{"--calendar FILE lists that calendar's table",
			[]string{"--year=2026", "--calendar", own},
			[]string{"2026-03-02  nghỉ  Ngày thử", "2026-03-07  làm bù  Làm bù thử"}, 2, "lịch nghỉ năm 2026 là tạm tính"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			out, errOut, code, err := runCmd(t, append([]string{"calendar"}, tt.args...)...)
			if err != nil || code != 0 {
				t.Fatalf("exit %d, err %v", code, err)
			}
			var lines []string
			if out != "" {
				lines = strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			}
			if tt.wantCount >= 0 && len(lines) != tt.wantCount {
				t.Errorf("%d lines, want %d:\n%s", len(lines), tt.wantCount, out)
			}
			if !slices.IsSorted(lines) {
				t.Errorf("lines not in date order:\n%s", out)
			}
			at := 0
			for _, w := range tt.wantLines {
				i := slices.Index(lines[at:], w)
				if i < 0 {
					t.Errorf("missing or out of order: %q in\n%s", w, out)
					continue
				}
				at += i
			}
			if tt.wantStderr == "" && errOut != "" || !strings.Contains(errOut, tt.wantStderr) {
				t.Errorf("stderr = %q, want %q", errOut, tt.wantStderr)
			}
		})
	}
}

func TestCalendarCommandBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule string
		args []string
		want string
	}{
		{"year not a number", []string{"--year", "năm nay"}, "-year"},
		{"negative year", []string{"--year", "-5"}, "want a year"},
		{"positional year", []string{"2026"}, "unexpected argument"},
		{"bad language", []string{"--lang", "de"}, "want vi or en"},
		{"missing calendar file", []string{"--calendar", filepath.Join(t.TempDir(), "none.yaml")}, "--calendar"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			out, _, code, err := runCmd(t, append([]string{"calendar"}, tt.args...)...)
			if code != 2 || out != "" {
				t.Fatalf("exit %d, stdout %q (err %v); want exit 2 and no output", code, out, err)
			}
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, tt.want) {
				t.Errorf("error = %q, want one line containing %q", msg, tt.want)
			}
		})
	}
}

// TestCalendarYearFromTheClock: without --year the year is the one of
// Main's clock in the calendar's zone, not of the machine's: 31 December
// 2026 20:00 UTC is already 1 January 2027 in Vietnam.
func TestCalendarYearFromTheClock(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: io.Discard, Now: func() time.Time { return time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC) }}
	if err := m.Run(context.Background(), []string{"calendar"}); err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(out.String(), "\n"); first != "2027-01-01  nghỉ  Tết Dương lịch" {
		t.Errorf("first line %q, want 2027's New Year", first)
	}
}
