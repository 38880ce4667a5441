package httpapi

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine/enginetest"
)

// TestTimeLeftInListsAndAPI checks that the API's summaries and the
// pages (inbox, "Tất cả hồ sơ", dossier page) say the working time left
// before the deadline, and how late in red once it is past.
func TestTimeLeftInListsAndAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("Nguyễn Thị Trang", "chuyen")
	if d.DueAt == nil {
		t.Fatal("the sample dossier has no due instant")
	}
	cal := b.eng.Calendar

	var pg Page
	r := b.call("GET", "/api/v1/dossiers?status=open", enginetest.Head, nil)
	if r.status != http.StatusOK {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	r.json(t, &pg)
	if len(pg.Items) != 1 || pg.Items[0].Left == nil {
		t.Fatalf("before the deadline the summary says no time left: %s", r.body)
	}
	left := pg.Items[0].Left
	if want := int64(cal.Elapsed(b.clock.Now(), *d.DueAt) / time.Minute); left.Late || left.WorkMinutes != want || !strings.HasPrefix(left.Vi, "còn ") || !strings.HasSuffix(left.En, " left") {
		t.Errorf("before the deadline: %+v, want %d working minutes left", left, want)
	}
	if (pg.Items[0].StepLeft != nil) != (d.StepDueAt != nil) {
		t.Errorf("step_left %v for a step due %v", pg.Items[0].StepLeft, d.StepDueAt)
	}

	// Two working hours past the deadline, whatever day that falls on.
	b.clock.Set(cal.AddWork(*d.DueAt, 2*time.Hour))
	r = b.call("GET", "/api/v1/dossiers?status=open", enginetest.Head, nil)
	r.json(t, &pg)
	want := TimeLeftView{Late: true, WorkMinutes: 120, Vi: "quá hạn 2 giờ làm việc", En: "2 working hours late"}
	if len(pg.Items) != 1 || pg.Items[0].Left == nil || *pg.Items[0].Left != want {
		t.Fatalf("past the deadline: %s, want left %+v", r.body, want)
	}
	r = b.call("GET", "/api/v1/dossiers/"+d.Code, enginetest.Head, nil)
	var v struct {
		Left *TimeLeftView `json:"left"`
	}
	r.json(t, &v)
	if v.Left == nil || *v.Left != want {
		t.Errorf("dossier view past the deadline: left %+v, want %+v", v.Left, want)
	}

	head := b.browser(t)
	head.signIn(enginetest.Head)
	red := `class="left late" data-left="due">`
	for _, p := range []struct{ path, text string }{
		{"/inbox", "quá hạn 2 giờ làm việc"},
		{"/dossiers?status=open", "quá hạn 2 giờ làm việc"},
		{"/dossiers/" + d.Code, "quá hạn 2 giờ làm việc"},
		// Last: ?lang= is remembered in a cookie.
		{"/inbox?lang=en", "2 working hours late"},
	} {
		st, body, _ := head.get(p.path)
		if st != http.StatusOK || !strings.Contains(body, red+p.text) {
			t.Errorf("%s: status %d, or no %q in red", p.path, st, p.text)
		}
	}
}

// TestNotFoundPage checks the 404 page: in the site's layout for unknown
// pages and unknown dossiers, in the user's language, while the API
// keeps its JSON 404 and a wrong method stays 405.
func TestNotFoundPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	anon := b.browser(t)
	head := b.browser(t)
	head.signIn(enginetest.Head)
	cases := []struct {
		rule string
		br   *browser
		path string
		want string
	}{
		{"an unknown page, anonymous", anon, "/khong-co-trang-nay", "Không tìm thấy trang"},
		{"an unknown page in English", anon, "/no/such/page?lang=en", "Page not found"},
		{"an unknown page, signed in, shows the menu", head, "/no-such-page", `href="/inbox"`},
		{"an unknown dossier", head, "/dossiers/XA01-000000-0000", "Không tìm thấy trang"},
	}
	for _, c := range cases {
		st, body, h := c.br.get(c.path)
		if st != http.StatusNotFound || !strings.HasPrefix(h.Get("Content-Type"), "text/html") ||
			!strings.Contains(body, `id="not-found"`) || !strings.Contains(body, `/static/style.css`) || !strings.Contains(body, c.want) {
			t.Errorf("%s: status %d, type %q, or not the 404 page with %q", c.rule, st, h.Get("Content-Type"), c.want)
		}
	}
	r := b.call("GET", "/api/v1/no-such-thing", enginetest.Head, nil)
	if r.status != http.StatusNotFound || !strings.HasPrefix(r.header.Get("Content-Type"), "application/") || strings.Contains(string(r.body), "<html") {
		t.Errorf("API 404: %d %q %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	res, err := http.Post(b.ts.URL+"/inbox", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /inbox: %d, want 405 as before", res.StatusCode)
	}
}
