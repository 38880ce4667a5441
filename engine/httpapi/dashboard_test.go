package httpapi

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// at is an instant in Hanoi, the sample calendar's zone.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.FixedZone("ICT", 7*3600))
}

// dashboardData builds, through the engine on the stub clock, a month
// with known outcomes, and leaves the clock at 10:00 on Friday 20 March
// 2026. The sample procedure allows 5 working days; March 2026 has no
// day off.
//
//   - February: one dossier finished early (the chart's February point);
//   - March, finished by the desk (mot-cua): two early, one late
//     (received 2 February, due 9 February, finished 3 March);
//   - March, refused by the office (chuyen-mon): not in any rate;
//   - open in the office: two overdue (due 9 February and 9 March), one
//     due today at 14:00, one paused waiting for the applicant;
//   - open at the desk: one overdue (due 16 March 09:00, so 4 working
//     days and 1 hour late at 10:00 on 20 March).
func dashboardData(t *testing.T, b *bundle) (codes map[string]string) {
	t.Helper()
	codes = map[string]string{}
	full := []string{"chuyen", "trinh", "ky", "tra"}
	b.clock.Set(at(2026, 2, 2, 9, 0))
	codes["feb"] = b.receive("Tháng Hai Sớm", full...).Code
	codes["late"] = b.receive("Trễ Hạn", "chuyen").Code
	codes["od1"] = b.receive("Quá Hạn Một", "chuyen").Code
	b.clock.Set(at(2026, 3, 2, 9, 0))
	codes["early1"] = b.receive("Sớm Một", full...).Code
	codes["early2"] = b.receive("Sớm Hai", full...).Code
	codes["od2"] = b.receive("Quá Hạn Hai", "chuyen").Code
	codes["refused"] = b.receive("Bị Từ Chối", "chuyen").Code
	if _, err := b.eng.Act(t.Context(), codes["refused"], engine.ActInput{Action: "tu_choi", Actor: enginetest.Officer, Inputs: map[string]string{"reason": "giả mạo"}}, 0); err != nil {
		t.Fatal(err)
	}
	b.clock.Set(at(2026, 3, 3, 9, 0))
	for _, a := range []engine.ActInput{{Action: "trinh", Actor: enginetest.Officer}, {Action: "ky", Actor: enginetest.Chairman}, {Action: "tra", Actor: enginetest.Receiver}} {
		if _, err := b.eng.Act(t.Context(), codes["late"], a, 0); err != nil {
			t.Fatal(err)
		}
	}
	b.clock.Set(at(2026, 3, 9, 9, 0))
	codes["od3"] = b.receive("Quá Hạn Ba").Code
	b.clock.Set(at(2026, 3, 13, 14, 0))
	codes["today"] = b.receive("Hạn Hôm Nay", "chuyen").Code
	b.clock.Set(at(2026, 3, 16, 9, 0))
	codes["paused"] = b.receive("Chờ Bổ Sung", "chuyen", "yeu_cau_bo_sung").Code
	b.clock.Set(at(2026, 3, 20, 10, 0))
	return codes
}

// cell returns the text of the cell with class cls in the dashboard row
// of unit, tags stripped.
func cell(t *testing.T, body, unit, cls string) string {
	t.Helper()
	row := regexp.MustCompile(`(?s)<tr data-unit="` + unit + `">(.*?)</tr>`).FindStringSubmatch(body)
	if row == nil {
		t.Fatalf("no dashboard row for %s", unit)
	}
	c := regexp.MustCompile(`(?s)<td class="num ` + cls + `(?: [^"]*)?">(.*?)</td>`).FindStringSubmatch(row[1])
	if c == nil {
		t.Fatalf("row %s has no %s cell", unit, cls)
	}
	return strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(c[1], ""))
}

// TestWebDashboardFigures checks each figure against the rule that
// defines it, for a head (his unit only) and an admin (all units).
func TestWebDashboardFigures(t *testing.T) {
	t.Parallel()
	b := setup(t)
	codes := dashboardData(t, b)

	admin := b.browser(t)
	admin.signIn(Admin)
	st, body, _ := admin.get("/dashboard")
	if st != http.StatusOK {
		t.Fatalf("admin dashboard: %d", st)
	}
	for _, c := range []struct {
		rule, unit, cls, want string
	}{
		{"open: in progress now, paused included, attributed to the unit that asked for the supplement", enginetest.UnitOffice, "open", "4"},
		{"open at the desk: the dossier never transferred", enginetest.UnitDesk, "open", "1"},
		{"overdue: due instant before now (9 Feb, 9 Mar)", enginetest.UnitOffice, "overdue-n", "2"},
		{"overdue at the desk (due 16 Mar)", enginetest.UnitDesk, "overdue-n", "1"},
		{"due today: due 14:00 today, not yet passed", enginetest.UnitOffice, "due-today-n", "1"},
		{"rate = (early + on time) ÷ finished with a result, by the unit that finished", enginetest.UnitDesk, "rate", "66,7%"},
		{"finished this month judged: 2 early of 3", enginetest.UnitDesk, "rated", "2/3"},
		{"a refusal is not in the rate: nothing judged is a dash, not 0%", enginetest.UnitOffice, "rate", "—"},
		{"a unit that finished nothing has no rate", enginetest.UnitLeader, "rate", "—"},
	} {
		if got := cell(t, body, c.unit, c.cls); got != c.want {
			t.Errorf("%s: %s %s = %q, want %q", c.rule, c.unit, c.cls, got, c.want)
		}
	}
	for id, want := range map[string]string{"total-open": "5", "total-overdue": "3", "total-due-today": "1", "total-paused": "1", "on-time-rate": "66,7%"} {
		if m := regexp.MustCompile(`id="` + id + `">([^<]*)<`).FindStringSubmatch(body); m == nil || m[1] != want {
			t.Errorf("tile %s = %v, want %q", id, m, want)
		}
	}
	if !strings.Contains(body, "Từ chối, rút: 1") {
		t.Error("the refusal is not reported apart from the rate")
	}

	// The chart: inline SVG with its accessible title and description,
	// the month's points in words.
	for _, want := range []string{`<svg`, `role="img"`, `<title>Tỷ lệ giải quyết hồ sơ đúng hạn theo đơn vị, 04/2025–03/2026</title>`, `<desc>Tháng 03/2026: Toàn đơn vị: 66,7%`, `02/2026: 100,0% (1)`} {
		if !strings.Contains(body, want) {
			t.Errorf("chart lacks %q", want)
		}
	}

	// The overdue list: by due instant, with how late in working time.
	order := regexp.MustCompile(`<tr data-code="([^"]+)" class="[^"]*">`).FindAllStringSubmatch(body[strings.Index(body, `id="overdue-list"`):], -1)
	var got []string
	for _, m := range order {
		got = append(got, m[1])
	}
	if want := []string{codes["od1"], codes["od2"], codes["od3"]}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("overdue list %v, want by due instant %v", got, want)
	}
	if !strings.Contains(body, `<td class="num late">4 ngày 1 giờ làm việc</td>`) {
		t.Error("due 16 Mar 09:00, now 20 Mar 10:00: want 4 working days 1 hour late")
	}
	for _, c := range []string{codes["today"], codes["paused"], codes["late"]} {
		if strings.Contains(body, `<tr data-code="`+c+`"`) {
			t.Errorf("%s is in the overdue list", c)
		}
	}

	// A head sees his own unit only: rows, list and chart.
	head := b.browser(t)
	head.signIn(enginetest.Head)
	_, hb, _ := head.get("/dashboard")
	if strings.Contains(hb, `data-unit="`+enginetest.UnitDesk+`"`) || strings.Contains(hb, codes["od3"]) {
		t.Error("the office head sees the desk's figures or dossiers")
	}
	if !strings.Contains(hb, codes["od1"]) || !strings.Contains(hb, codes["od2"]) {
		t.Error("the office head does not see his overdue dossiers")
	}
	if m := regexp.MustCompile(`id="on-time-rate">([^<]*)<`).FindStringSubmatch(hb); m == nil || m[1] != "—" {
		t.Errorf("head's rate %v: his unit finished nothing with a result this month, want —", m)
	}
	if !strings.Contains(hb, "<title>Tỷ lệ giải quyết") || strings.Contains(hb, "Toàn đơn vị") {
		t.Error("head's chart missing, or drawn with the whole office's line")
	}

	// English: words and the decimal point change, not the figures.
	_, eb, _ := admin.get("/dashboard?lang=en")
	for _, want := range []string{"Overdue dossiers", "4 working days 1 hour", `id="on-time-rate">66.7%<`, "<title>On-time rate by unit"} {
		if !strings.Contains(eb, want) {
			t.Errorf("English dashboard lacks %q", want)
		}
	}
}

// TestWebDashboardEmpty: with nothing stored the rates are absent, not
// 0% or 100%, and the overdue list says it is empty.
func TestWebDashboardEmpty(t *testing.T) {
	t.Parallel()
	b := setup(t)
	v := b.browser(t)
	v.signIn(Viewer)
	st, body, _ := v.get("/dashboard")
	if st != http.StatusOK {
		t.Fatalf("viewer dashboard: %d", st)
	}
	if !strings.Contains(body, `id="on-time-rate">—<`) || !strings.Contains(body, `id="no-overdue"`) || !strings.Contains(body, "<svg") {
		t.Error("empty dashboard: want a dash for the rate, the empty overdue note and the chart frame")
	}
}

func TestWorkingTimeWords(t *testing.T) {
	t.Parallel()
	day := 8 * time.Hour
	for _, c := range []struct {
		rule string
		d    time.Duration
		vi   string
		en   string
	}{
		{"under a minute: just passed (due at close, now after hours)", 30 * time.Second, "vừa quá hạn", "just now"},
		{"minutes under an hour", 45 * time.Minute, "45 phút làm việc", "45 minutes"},
		{"a standard day is the calendar's working day, not 24 hours", day + 2*time.Hour, "1 ngày 2 giờ làm việc", "1 working day 2 hours"},
		{"minutes dropped once late by days", 3*day + 15*time.Minute, "3 ngày làm việc", "3 working days"},
	} {
		if got := workingTime(c.d, day, "vi"); got != c.vi {
			t.Errorf("%s: %q, want %q", c.rule, got, c.vi)
		}
		if got := workingTime(c.d, day, "en"); got != c.en {
			t.Errorf("%s (en): %q, want %q", c.rule, got, c.en)
		}
	}
}
