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

// d766Tile returns the value and the sub-lines of the panel's tile id.
func d766Tile(t *testing.T, body, id string) (value, sub string) {
	t.Helper()
	m := regexp.MustCompile(`(?s)<div class="tile[^"]*" id="` + id + `">.*?<span class="n">([^<]*)</span>(.*?)</div>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no tile %s in the Decision 766 panel", id)
	}
	return m[1], regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[2], " ")
}

// TestWebDashboardD766 checks the panel on the month of dashboardData
// (1–20 March, judged at the end of today), for the whole office and for
// a head, each figure against its rule.
func TestWebDashboardD766(t *testing.T) {
	t.Parallel()
	b := setup(t)
	codes := dashboardData(t, b)
	// early1 holds a scan and its result and was rated 5.
	d, err := b.store.Get(t.Context(), codes["early1"])
	if err != nil {
		t.Fatal(err)
	}
	d.Files = []engine.FileRef{{ID: "s1", Component: "to-khai", At: d.ReceivedAt}, {ID: "r1", Result: true, At: *d.FinishedAt}}
	d.Rating = &engine.Rating{At: *d.FinishedAt, Scores: map[string]int{"thai_do": 5}}
	// The store takes one history row per write: a note after the finish,
	// which attributes nothing.
	d.History = append(d.History, engine.HistoryRow{Seq: len(d.History) + 1, At: d.FinishedAt.Add(time.Minute), Action: "danh_gia", Actor: "applicant"})
	prev := d.Version
	d.Version++
	if err := b.store.Apply(t.Context(), d, prev, nil); err != nil {
		t.Fatal(err)
	}

	admin := b.browser(t)
	admin.signIn(Admin)
	st, body, _ := admin.get("/dashboard")
	if st != http.StatusOK {
		t.Fatalf("dashboard: %d", st)
	}
	for _, c := range []struct {
		rule, id, value, sub string
	}{
		// late, od1, od2, od3 and today (due 14:00, judged at the day's
		// end) overdue; early1, early2, the refusal and the paused
		// dossier (its one supplement request is its finish) on time.
		{"2.1 by the 766 rule", "d766-2-1", "44,4%", "4/9"},
		{"2.1 the legal rate: early1 early2 of the three finished with a result", "d766-2-1-legal", "66,7%", "2/3"},
		{"3.3 none of the seven received this month came online", "d766-3-3", "0,0%", "0/7"},
		{"4.1 early1's result file of the three approved", "d766-4-1", "33,3%", "1/3"},
		{"4.2 early1 scanned and with its result", "d766-4-2", "33,3%", "1/3"},
		{"3.6 no fee charged: no rate, not 0%", "d766-3-6", "—", ""},
		{"5.4 = 1 − (5/9 overdue + 0/1 disliked)", "d766-5-4", "44,4%", "quá hạn 5/9 · không hài lòng 0/1"},
		{"the ratings' mean score", "d766-ratings", "5,00", "1 lượt đánh giá"},
	} {
		v, sub := d766Tile(t, body, c.id)
		if v != c.value || !strings.Contains(sub, c.sub) {
			t.Errorf("%s: %s = %q (%s), want %q (%s)", c.rule, c.id, v, strings.TrimSpace(sub), c.value, c.sub)
		}
	}
	for _, want := range []string{
		`class="tile rate poor" id="d766-3-3"`, // 0% against full marks at 50%
		`class="tile rate none" id="d766-3-6"`, // no data: neither good nor poor
		`class="tile rate poor" id="d766-2-1"`, // under 80%, like the page's on-time rate
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the panel lacks the shade %s", want)
		}
	}
	if !strings.Contains(body, `id="d766-times"`) || !strings.Contains(body, "Thủ tục mẫu:") {
		t.Error("the panel lacks 2.2 by procedure")
	}

	// The office head: only what is attributed to the office.
	head := b.browser(t)
	head.signIn(enginetest.Head)
	_, hb, _ := head.get("/dashboard")
	for _, c := range []struct {
		rule, id, value, sub string
	}{
		{"2.1 of the office: od1 od2 today overdue; the refusal and the paused one on time", "d766-2-1", "40,0%", "2/5"},
		{"3.3 the office received nothing: no rate", "d766-3-3", "—", ""},
		{"5.4 the office has no rating: no rate, not 0%", "d766-5-4", "—", ""},
	} {
		v, sub := d766Tile(t, hb, c.id)
		if v != c.value || !strings.Contains(sub, c.sub) {
			t.Errorf("head: %s: %s = %q (%s), want %q", c.rule, c.id, v, strings.TrimSpace(sub), c.value)
		}
	}

	// English words and decimal point.
	_, eb, _ := admin.get("/dashboard?lang=en")
	if v, _ := d766Tile(t, eb, "d766-2-1"); v != "44.4%" || !strings.Contains(eb, "Decision 766/QĐ-TTg indicators") {
		t.Errorf("English panel: 2.1 %q", v)
	}
}
