package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/engine/enginetest"
)

// TestRegisterIsForm06 checks the dossier register: the desk's receptions
// of a period in the order of its book, with the line form 01 printed,
// as a page and as a workbook; nobody outside the desk and the
// leadership reads it.
func TestRegisterIsForm06(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// Days apart, each reception signs in afresh: sessions end overnight.
	var desk *browser
	for _, r := range []struct{ at, name, sets string }{
		{"2026-03-02 09:30", "Lê Văn Một", "2"}, {"2026-03-03 10:00", "Lê Văn Hai", ""}, {"2026-04-01 08:30", "Lê Văn Ba", ""},
	} {
		b.clock.Set(hanoi(r.at))
		desk = b.browser(t)
		csrf := desk.signIn(receiver)
		v := url.Values{"name": {r.name}}
		if r.sets != "" {
			v.Set("sets", r.sets)
		}
		receiveOnWeb(t, b, desk, csrf, r.at, v)
	}

	st, page, _ := desk.get("/register?from=01/03/2026&to=31/03/2026")
	if st != http.StatusOK {
		t.Fatalf("register: %d %s", st, text(page))
	}
	body := text(page)
	for _, want := range []string{"Mẫu số 06", "Sổ theo dõi hồ sơ", "XA01/2026", "từ ngày 01/03/2026 đến ngày 31/03/2026", "Lê Văn Một", "Lê Văn Hai", "Thủ tục mẫu"} {
		if !strings.Contains(body, want) {
			t.Errorf("register page lacks %q", want)
		}
	}
	if strings.Contains(body, "Lê Văn Ba") {
		t.Error("a dossier received after the period is on the page")
	}
	if i, j := strings.Index(body, "Lê Văn Một"), strings.Index(body, "Lê Văn Hai"); i > j {
		t.Error("lines out of the book's order")
	}

	st, xb, h := desk.get("/register?from=01/03/2026&to=30/04/2026&format=xlsx")
	if st != http.StatusOK || !strings.Contains(h.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("xlsx: %d %s", st, h.Get("Content-Disposition"))
	}
	x, err := excelize.OpenReader(strings.NewReader(xb))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 || rows[3][0] != "Số thứ tự" {
		t.Fatalf("xlsx rows %q, want title, period, blank, header and 3 lines", rows)
	}
	for i, want := range [][]string{{"1", "Lê Văn Một", "2"}, {"2", "Lê Văn Hai", ""}, {"3", "Lê Văn Ba", ""}} {
		r := append(rows[4+i], make([]string, 11)...)
		if r[0] != want[0] || r[4] != want[1] || r[3] != want[2] || !strings.HasPrefix(r[7], "0") {
			t.Errorf("xlsx line %d: %q, want no. %s, applicant %s, sets %q, a dd/mm date", i+1, rows[4+i], want[0], want[1], want[2])
		}
	}

	for _, c := range []struct {
		rule, path string
		status     int
	}{
		{"a date not dd/mm/yyyy is refused", "/register?from=2026-03-01", 422},
		{"a period ending before it starts is refused", "/register?from=02/03/2026&to=01/03/2026", 422},
		{"a unit the reader is not in is refused", "/register?unit=khac", 403},
	} {
		if st, _, _ := desk.get(c.path); st != c.status {
			t.Errorf("%s: %d, want %d", c.rule, st, c.status)
		}
	}
	out := b.browser(t)
	out.signIn(enginetest.Outsider)
	if st, _, _ := out.get("/register"); st != http.StatusForbidden {
		t.Errorf("an officer of no desk reads the register: %d, want 403", st)
	}
}
