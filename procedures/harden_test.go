package procedures

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/internal/yamlnode"
)

// oneYear is a calendar file written for 2026 alone, as an operator
// wrote it in issue 15.
const oneYear = `name: province-2026
%s
years:
  - year: 2026
    days_off:
      - {from: 2026-02-14, to: 2026-02-22, name: Tết Nguyên đán}
`

// TestCalendarFileExtendsTheBuiltInOne (issue 15 item 10): a calendar
// file for one year keeps the built-in tables of the other years, so a
// 20-working-day dossier received in December 2026 does not land on
// 1 January 2027; a file that stands alone ("extends: none") still warns
// when a due instant falls on a built-in holiday.
func TestCalendarFileExtendsTheBuiltInOne(t *testing.T) {
	t.Parallel()
	newYear := calendar.Date{Year: 2027, Month: time.January, Day: 1}
	alone, err := ParseCalendar("alone.yaml", []byte(fmt.Sprintf(oneYear, "extends: none")))
	if err != nil {
		t.Fatal(err)
	}
	// Find the reception that lands on 1 January on the standalone file.
	limit := calendar.WorkingDaysOf(20)
	var received time.Time
	for d := time.Date(2026, 11, 20, 9, 0, 0, 0, alone.Location()); d.Month() != time.January; d = d.AddDate(0, 0, 1) {
		if calendar.DateOf(alone.Due(d, limit, nil).Due, alone.Location()) == newYear {
			received = d
			break
		}
	}
	if received.IsZero() {
		t.Fatal("no December reception lands on 1 January on the standalone calendar")
	}
	r := alone.Due(received, limit, nil)
	var warned bool
	for _, w := range r.Warnings {
		warned = warned || (w.Holiday != "" && w.Date == newYear)
	}
	if !warned {
		t.Errorf("standalone calendar, due on 1 January 2027: warnings %v, want one naming the built-in holiday", r.Warnings)
	}
	for _, src := range []string{fmt.Sprintf(oneYear, ""), fmt.Sprintf(oneYear, "extends: vn")} {
		c, err := ParseCalendar("c.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if c.IsWorkingDay(newYear) {
			t.Errorf("%q: 1 January 2027 is a working day; the built-in 2027 table was dropped", strings.SplitN(src, "\n", 3)[1])
		}
		if got := calendar.DateOf(c.Due(received, limit, nil).Due, c.Location()); got == newYear {
			t.Errorf("%q: the dossier still lands on 1 January", strings.SplitN(src, "\n", 3)[1])
		}
	}
}

// TestAliasBombIsRefusedQuickly (issue 15 item 5): the 25 KB alias file
// that made lint run for a minute at 1.7 GB is one problem.
func TestAliasBombIsRefusedQuickly(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("code: x\nx: &s {")
	for i := range 2000 {
		fmt.Fprintf(&b, "k%d: 1, ", i)
	}
	b.WriteString("k: 1}\nstates: [")
	for range 2000 {
		b.WriteString("*s, ")
	}
	b.WriteString("*s]\n")
	_, err := Parse("bomb.yaml", []byte(b.String()))
	var ps *Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want problems", err)
	}
	if len(ps.List) > yamlnode.MaxProblems+1 || !strings.Contains(ps.Error(), "aliases expand") {
		t.Errorf("%d problems, want the alias budget's one: %.300s", len(ps.List), ps.Error())
	}
}
