package httpapi

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestPagesSearchAndFilter: the inbox and the list of dossiers carry the
// filter bar, find "Bình" by "binh", filter by overdue and by a day
// typed dd/mm/yyyy, keep the filters in the bar, and page with the
// cursor.
func TestPagesSearchAndFilter(t *testing.T) {
	t.Parallel()
	b := setup(t)
	binh := b.receiveApplicant("Trần Thị Bình", "0912345678", engine.ChannelCounter)
	b.clock.Advance(40 * 24 * time.Hour)
	other := b.receiveApplicant("Lê Văn Muộn", "0911111111", engine.ChannelCounter)
	desk := b.browser(t)
	desk.signIn(enginetest.Receiver)
	lead := b.browser(t)
	lead.signIn(Leader)
	rows := regexp.MustCompile(`data-code="([^"]+)"`)
	codes := func(body string) []string {
		var out []string
		for _, m := range rows.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	day := other.ReceivedAt.In(b.eng.Calendar.Location()).Format("02/01/2006")
	for _, c := range []struct {
		rule string
		br   *browser
		path string
		want []string
		has  string
	}{
		{"the inbox finds Bình by binh, and the bar keeps the text", desk, "/inbox?q=binh", []string{binh.Code}, `name="q" value="binh"`},
		{"the inbox filtered by overdue", desk, "/inbox?overdue=true", []string{binh.Code}, `name="overdue" value="true" checked`},
		{"the list by a reception day typed dd/mm/yyyy", lead, "/dossiers?received_from=" + url.QueryEscape(day), []string{other.Code}, `value="` + day + `"`},
		{"the supplement queue keeps its view in the bar", desk, "/inbox?view=supplement&q=binh", nil, `name="view" value="supplement"`},
	} {
		st, body, _ := c.br.get(c.path)
		if st != http.StatusOK {
			t.Errorf("%s: status %d", c.rule, st)
			continue
		}
		if got := codes(body); strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: rows %v, want %v", c.rule, got, c.want)
		}
		if !strings.Contains(body, c.has) {
			t.Errorf("%s: no %q in the page", c.rule, c.has)
		}
	}
	st, body, _ := lead.get("/dossiers?received_from=30/02/2026")
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "dd/mm/yyyy") {
		t.Errorf("a bad day: status %d, or the page does not say the form dd/mm/yyyy", st)
	}

	// Paging: the next link carries the cursor and the second page holds
	// the rest.
	for range 50 {
		b.receiveApplicant("Người Khác", "0900000009", engine.ChannelCounter)
	}
	_, body, _ = lead.get("/dossiers")
	next := regexp.MustCompile(`href="(/dossiers\?[^"]*after=[^"]+)"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatal("the first page has no next link with a cursor")
	}
	first := codes(body)
	_, body, _ = lead.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	second := codes(body)
	if len(first)+len(second) != 52 || !strings.Contains(body, "Trang đầu") {
		t.Errorf("pages of %d and %d rows, want 52 in all, and a link to the first page", len(first), len(second))
	}
}
