package httpapi

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine/enginetest"
)

const testPassword = "mật khẩu thử"

// browser is a cookie-keeping client signed in as a person.
type browser struct {
	t *testing.T
	b *bundle
	c *http.Client
}

func (b *bundle) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browser{t: t, b: b, c: c}
}

func (br *browser) get(path string) (int, string, http.Header) {
	br.t.Helper()
	res, err := br.c.Get(br.b.ts.URL + path)
	if err != nil {
		br.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header
}

func (br *browser) post(path string, form url.Values) (int, string, http.Header) {
	br.t.Helper()
	res, err := br.c.PostForm(br.b.ts.URL+path, form)
	if err != nil {
		br.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field in page")
	}
	return m[1]
}

func (br *browser) signIn(person string) string {
	br.t.Helper()
	if err := br.b.auth.SetPassword(context.Background(), person, testPassword); err != nil {
		br.t.Fatal(err)
	}
	return br.login(person, testPassword)
}

// login signs in with a password already set (SetPassword would end the
// person's other sessions) and returns the CSRF token of the session.
func (br *browser) login(person, password string) string {
	br.t.Helper()
	_, page, _ := br.get("/signin")
	st, body, h := br.post("/signin", url.Values{"csrf": {csrfOf(br.t, page)}, "person": {person}, "password": {password}, "next": {"/inbox"}})
	if st != http.StatusSeeOther || h.Get("Location") != "/inbox" {
		br.t.Fatalf("sign-in: %d %s", st, body)
	}
	_, inbox, _ := br.get("/inbox")
	return csrfOf(br.t, inbox)
}

func TestWebSignInCookieAndCSRF(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	if st, _, h := br.get("/inbox"); st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin?next=") {
		t.Fatalf("anonymous inbox: %d %s", st, h.Get("Location"))
	}
	_, page, h := br.get("/signin")
	if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Error("no CSP header")
	}
	// Without the sign-in form's cookie token, the post is refused.
	other := b.browser(t)
	if st, _, _ := other.post("/signin", url.Values{"csrf": {csrfOf(t, page)}, "person": {receiver}, "password": {"x"}}); st != http.StatusForbidden {
		t.Errorf("sign-in without the form cookie: %d, want 403", st)
	}
	if err := b.auth.SetPassword(context.Background(), receiver, testPassword); err != nil {
		t.Fatal(err)
	}
	st, body, _ := br.post("/signin", url.Values{"csrf": {csrfOf(t, page)}, "person": {receiver}, "password": {"sai mật khẩu"}})
	if st != http.StatusUnauthorized || !strings.Contains(body, "Sai tên đăng nhập hoặc mật khẩu") {
		t.Errorf("wrong password: %d", st)
	}
	st, _, h = br.post("/signin", url.Values{"csrf": {csrfOf(t, page)}, "person": {receiver}, "password": {testPassword}, "next": {"//evil.example/x"}})
	if st != http.StatusSeeOther || h.Get("Location") != "/inbox" {
		t.Errorf("open redirect after sign-in: %d %q", st, h.Get("Location"))
	}
	var sc *http.Cookie
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == sessionCookie {
			sc = c
		}
	}
	if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Secure {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain http", sc)
	}
	_, inbox, _ := br.get("/inbox")
	csrf := csrfOf(t, inbox)
	d := b.receive("Qua trình duyệt")
	before := b.snapshot()
	if st, _, _ := br.post("/dossiers/"+d.Code+"/act", url.Values{"action": {"chuyen"}, "csrf": {"forged"}}); st != http.StatusForbidden {
		t.Errorf("form with a forged CSRF token: %d, want 403", st)
	}
	// The API refuses cookie-authenticated writes without the header too.
	req, _ := http.NewRequest("POST", b.ts.URL+"/api/v1/dossiers/"+d.Code+"/actions/chuyen", nil)
	res, err := br.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("API write by cookie without X-CSRF-Token: %d", res.StatusCode)
	}
	if b.snapshot() != before {
		t.Error("a forged request changed the store")
	}
	st, _, h = br.post("/dossiers/"+d.Code+"/act", url.Values{"action": {"chuyen"}, "csrf": {csrf}, "return": {"inbox"}, "version": {"1"}, "key": {"k1"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/inbox?done=") {
		t.Fatalf("one-click action from the inbox: %d %s", st, h.Get("Location"))
	}
	if got, _ := b.store.Get(t.Context(), d.Code); got.State != "tham_dinh" {
		t.Errorf("state %s after the form", got.State)
	}
	// Same form posted again (double click): the key makes it a no-op.
	br.post("/dossiers/"+d.Code+"/act", url.Values{"action": {"chuyen"}, "csrf": {csrf}, "version": {"1"}, "key": {"k1"}})
	if got, _ := b.store.Get(t.Context(), d.Code); got.Version != 2 {
		t.Errorf("double submit applied twice: version %d", got.Version)
	}
	br.post("/signout", url.Values{"csrf": {csrf}})
	if st, _, _ := br.get("/inbox"); st != http.StatusSeeOther {
		t.Errorf("inbox after sign-out: %d", st)
	}
}

func TestWebSignInIsRateLimited(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	_, page, _ := br.get("/signin")
	csrf := csrfOf(t, page)
	if err := b.auth.SetPassword(context.Background(), receiver, testPassword); err != nil {
		t.Fatal(err)
	}
	var last int
	var hdr http.Header
	for i := 0; i < 6; i++ {
		last, _, hdr = br.post("/signin", url.Values{"csrf": {csrf}, "person": {receiver}, "password": {"đoán bừa"}})
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("sixth failed sign-in: %d, want 429", last)
	}
	_ = hdr
	if st, _, _ := br.post("/signin", url.Values{"csrf": {csrf}, "person": {receiver}, "password": {testPassword}}); st != http.StatusTooManyRequests {
		t.Errorf("right password while locked out: %d, want 429", st)
	}
}

func TestWebPagesRender(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("Nguyễn Thị Trang", "chuyen")
	head := b.browser(t)
	head.signIn(enginetest.Head)
	pages := []struct {
		path string
		want []string
	}{
		{"/inbox", []string{d.Code, "Hồ sơ cần xử lý", `data-action="trinh"`}},
		{"/dossiers/" + d.Code, []string{"Phiếu kiểm soát", "Vì sao là ngày này?", "Nguyễn Thị Trang", `data-action="tu_choi"`, `name="in_reason"`}},
		{"/dossiers/" + d.Code + "/receipt", []string{"Mẫu số 01", d.Code}},
		{"/dashboard", []string{"Tỷ lệ đúng hạn", `data-unit="chuyen-mon"`}},
		{"/procedures", []string{enginetest.SampleCode}},
		{"/procedures/" + enginetest.SampleCode, []string{"<svg", "Thẩm định", "3 ngày làm việc"}},
		{"/dossiers?status=open", []string{d.Code}},
		{"/lookup?code=" + d.Code, []string{"lookup-result", "Thẩm định"}},
		{"/inbox?lang=en", []string{"Inbox", "Sign out"}},
	}
	for _, p := range pages {
		st, body, _ := head.get(p.path)
		if st != 200 {
			t.Errorf("%s: status %d", p.path, st)
			continue
		}
		for _, w := range p.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", p.path, w)
			}
		}
		for key := range messages {
			if strings.Contains(body, ">"+key+"<") {
				t.Errorf("%s shows the untranslated key %q", p.path, key)
			}
		}
	}
	// The lang cookie keeps English on the next page.
	if _, body, _ := head.get("/procedures"); !strings.Contains(body, `lang="en"`) {
		t.Error("language choice not remembered")
	}
	officer := b.browser(t)
	officer.signIn(receiver)
	if st, _, _ := officer.get("/dashboard"); st != http.StatusForbidden {
		t.Errorf("officer on the dashboard: %d, want 403", st)
	}
	outsider := b.browser(t)
	outsider.signIn(enginetest.Outsider)
	if st, body, _ := outsider.get("/dossiers/" + d.Code); st != http.StatusForbidden || strings.Contains(body, "Nguyễn Thị Trang") {
		t.Errorf("outsider reads another unit's dossier page: %d", st)
	}
	anon := b.browser(t)
	if st, body, _ := anon.get("/lookup?code=" + d.Code); st != 200 || strings.Contains(body, "Nguyễn Thị Trang") {
		t.Errorf("public lookup: %d or reveals the applicant", st)
	}
	if st, _, _ := anon.get("/lookup?code=XA01-000000-0000"); st != 404 {
		t.Errorf("lookup of an unknown code: %d", st)
	}
}

func TestWebReceiveAndActWithInputs(t *testing.T) {
	t.Parallel()
	b := setup(t)
	desk := b.browser(t)
	csrf := desk.signIn(receiver)
	_, form, _ := desk.get("/receive")
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(form)[1]
	vals := url.Values{"csrf": {csrf}, "key": {key}, "procedure": {enginetest.SampleCode}, "name": {"Võ Văn Quầy"}, "channel": {"counter"}}
	st, _, h := desk.post("/receive", vals)
	if st != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "/receipt") {
		t.Fatalf("receive form: %d %s", st, h.Get("Location"))
	}
	desk.post("/receive", vals) // resubmitted receipt form: same key, no second dossier
	list, _ := b.store.List(t.Context(), struct2query())
	if len(list) != 1 {
		t.Fatalf("%d dossiers after a resubmitted form, want 1", len(list))
	}
	code := list[0].Code
	if st, body, _ := desk.get(h.Get("Location")); st != 200 || !strings.Contains(body, code) || !strings.Contains(body, "Giấy tiếp nhận") {
		t.Errorf("receipt page: %d", st)
	}
	bad := url.Values{"csrf": {csrf}, "procedure": {enginetest.SampleCode}, "name": {" "}}
	if st, body, _ := desk.post("/receive", bad); st != 422 || !strings.Contains(body, `id="name-error"`) {
		t.Errorf("receive without a name: %d", st)
	}
	b.eng.Act(t.Context(), code, actInput("chuyen", receiver), 0)
	office := b.browser(t)
	oc := office.signIn(officer)
	st, body, _ := office.post("/dossiers/"+code+"/act", url.Values{"csrf": {oc}, "action": {"tu_choi"}})
	if st != 422 || !strings.Contains(body, "reason") {
		t.Errorf("refusal without a reason: %d", st)
	}
	st, _, _ = office.post("/dossiers/"+code+"/act", url.Values{"csrf": {oc}, "action": {"tu_choi"}, "in_reason": {"hồ sơ giả"}, "confirm": {"yes"}})
	if st != http.StatusSeeOther {
		t.Errorf("refusal with a reason: %d", st)
	}
	got, _ := b.store.Get(t.Context(), code)
	if got.State != "tu_choi" || got.History[len(got.History)-1].Inputs["reason"] != "hồ sơ giả" {
		t.Errorf("after refusal: %s %v", got.State, got.History[len(got.History)-1].Inputs)
	}
	if st, _, _ := office.post("/dossiers/"+code+"/act", url.Values{"csrf": {oc}, "action": {"trinh"}, "version": {"2"}}); st != http.StatusConflict {
		t.Errorf("stale form version: %d, want 409", st)
	}
}
