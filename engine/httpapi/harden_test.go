package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
)

// TestTokensNeedThePasswordAndSayWhoIssuedThem (issue 15 item 1): the
// API mints a token only with the caller's current password and says
// when it ends; an admin's token for someone else leaves the admin's
// name on every history row written with it.
func TestTokensNeedThePasswordAndSayWhoIssuedThem(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	for _, who := range []string{receiver, Admin} {
		if err := b.auth.SetPassword(ctx, who, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	if r := b.call("POST", "/api/v1/tokens", receiver, map[string]any{"name": "máy"}); r.status != http.StatusUnauthorized {
		t.Errorf("mint without the password: %d %s, want 401", r.status, r.body)
	}
	r := b.call("POST", "/api/v1/tokens", Admin, map[string]any{"name": "cho bàn tiếp nhận", "person": receiver, "password": testPassword})
	if r.status != http.StatusCreated {
		t.Fatalf("admin mints for the desk: %d %s", r.status, r.body)
	}
	var tv TokenView
	r.json(t, &tv)
	if tv.Token == "" || tv.ExpiresAt.IsZero() || tv.Person != receiver {
		t.Fatalf("token answer %+v: want a token for the desk with its expiry", tv)
	}
	b.tokens["issued"] = tv.Token
	body := receiveBody("Do quản trị cấp mã")
	body["inputs"] = map[string]string{TokenIssuerInput: "forged"}
	r = b.call("POST", "/api/v1/dossiers", "issued", body)
	if r.status != http.StatusCreated {
		t.Fatalf("receive with the issued token: %d %s", r.status, r.body)
	}
	var rr receiveResponse
	r.json(t, &rr)
	d, err := b.store.Get(ctx, rr.Code)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.History[0].Inputs[TokenIssuerInput]; got != Admin {
		t.Errorf("history row: %s = %q, want %q", TokenIssuerInput, got, Admin)
	}
	// The person's own token writes no issuer, and a forged one is dropped.
	r = b.call("POST", "/api/v1/dossiers", receiver, body)
	r.json(t, &rr)
	d, _ = b.store.Get(ctx, rr.Code)
	if got, ok := d.History[0].Inputs[TokenIssuerInput]; ok {
		t.Errorf("own token: %s = %q, want none", TokenIssuerInput, got)
	}
}

// TestAccountPageListsMintsAndRevokesTokens (issue 15 item 1).
func TestAccountPageListsMintsAndRevokesTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	csrf := br.signIn(receiver)
	st, page, _ := br.post(tokensPath, url.Values{"csrf": {csrf}, "name": {"máy in"}, "current": {"sai mật khẩu"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, "Mật khẩu hiện tại không đúng.") {
		t.Errorf("mint with a wrong password: %d", st)
	}
	st, _, h := br.post(tokensPath, url.Values{"csrf": {csrf}, "name": {"máy in"}, "current": {testPassword}, "days": {"30"}})
	if st != http.StatusSeeOther || h.Get("Location") != tokensPath {
		t.Fatalf("mint: %d, want 303 to %s (post, redirect, get: a reload must not mint again)", st, tokensPath)
	}
	st, page, _ = br.get(tokensPath)
	if st != http.StatusOK || !strings.Contains(page, `id="minted-token">mct_`) || !strings.Contains(page, "máy in") {
		t.Fatalf("the page after minting: %d\n%s", st, text(page))
	}
	if _, again, _ := br.get(tokensPath); strings.Contains(again, `id="minted-token"`) {
		t.Error("rule: a minted token is shown once; a reload shows it no more")
	}
	if ts, _ := b.auth.Tokens(context.Background(), receiver); len(ts) != 2 {
		t.Errorf("rule: one mint, one token (besides the setup's); have %d", len(ts))
	}
	tok := page[strings.Index(page, `id="minted-token">`)+len(`id="minted-token">`):]
	tok = tok[:strings.Index(tok, "<")]
	if _, err := b.auth.TokenPerson(context.Background(), tok); err != nil {
		t.Fatalf("minted token refused: %v", err)
	}
	ts, _ := b.auth.Tokens(context.Background(), receiver)
	var id string
	for _, x := range ts {
		if x.Name == "máy in" {
			id = x.ID
		}
	}
	if st, _, h := br.post(tokensPath+"/"+id+"/revoke", url.Values{"csrf": {csrf}}); st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), tokensPath) {
		t.Fatalf("revoke: %d", st)
	}
	if _, err := b.auth.TokenPerson(context.Background(), tok); err == nil {
		t.Error("revoked token still works")
	}
	if st, page, _ := br.get(tokensPath); st != http.StatusOK || strings.Contains(page, "máy in") {
		t.Errorf("tokens page after revoking: %d, still lists it: %v", st, strings.Contains(page, "máy in"))
	}
}

// TestSignInRedirectStaysOnSite (issue 15 item 6): every next that a
// browser could turn into another site sends to the inbox instead.
func TestSignInRedirectStaysOnSite(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ next, want string }{
		{"/%09/evil.example", "/inbox"}, // decoded: a tab the browser strips
		{"/\t/evil.example", "/inbox"},
		{"/\n/evil.example", "/inbox"},
		{"//evil.example", "/inbox"},
		{"/\\evil.example", "/inbox"},
		{"/%2F/evil.example", "/inbox"},
		{"https://evil.example/", "/inbox"},
		{"javascript:alert(1)", "/inbox"},
		{"", "/inbox"},
		{"/dossiers/X-1?tab=history", "/dossiers/X-1?tab=history"},
	} {
		next, err := url.QueryUnescape(c.next)
		if err != nil {
			next = c.next
		}
		if got := safeNext(next); got != c.want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, c.want)
		}
	}
	// Replayed as the attack was: the Location header carries no tab.
	b := setup(t)
	br := b.browser(t)
	if err := b.auth.SetPassword(context.Background(), receiver, testPassword); err != nil {
		t.Fatal(err)
	}
	_, page, _ := br.get("/signin?next=/%09/evil.example")
	st, _, h := br.post("/signin", url.Values{"csrf": {csrfOf(t, page)}, "person": {receiver}, "password": {testPassword}, "next": {"/\t/evil.example"}})
	if st != http.StatusSeeOther || h.Get("Location") != "/inbox" {
		t.Errorf("sign-in with next=/%%09/evil.example: %d Location %q, want /inbox", st, h.Get("Location"))
	}
}

// TestIdempotencyKeyWithAnotherBodyIs422 (issue 15 item 7).
func TestIdempotencyKeyWithAnotherBodyIs422(t *testing.T) {
	t.Parallel()
	b := setup(t)
	first := b.call("POST", "/api/v1/dossiers", receiver, receiveBody("A"), "Idempotency-Key", "k-body")
	if first.status != http.StatusCreated {
		t.Fatalf("first: %d %s", first.status, first.body)
	}
	if r := b.call("POST", "/api/v1/dossiers", receiver, receiveBody("A"), "Idempotency-Key", "k-body"); r.status != http.StatusCreated {
		t.Errorf("same key, same body: %d, want the first answer again", r.status)
	}
	r := b.call("POST", "/api/v1/dossiers", receiver, receiveBody("B, someone else"), "Idempotency-Key", "k-body")
	if r.status != http.StatusUnprocessableEntity || r.errCode(t) != engine.EINVALID {
		t.Errorf("same key, another applicant: %d %s, want 422", r.status, r.body)
	}
	d := b.receive("C", "chuyen")
	path := "/api/v1/dossiers/" + d.Code + "/actions/"
	if r := b.call("POST", path+"tu_choi", officer, map[string]any{"inputs": map[string]string{"reason": "thiếu giấy tờ"}}, "Idempotency-Key", "a-1"); r.status != http.StatusOK {
		t.Fatalf("first action: %d %s", r.status, r.body)
	}
	if r := b.call("POST", path+"tu_choi", officer, map[string]any{"inputs": map[string]string{"reason": "thiếu giấy tờ"}}, "Idempotency-Key", "a-1"); r.status != http.StatusOK {
		t.Errorf("same action replayed: %d %s", r.status, r.body)
	}
	if r := b.call("POST", path+"tu_choi", officer, map[string]any{"inputs": map[string]string{"reason": "lý do khác"}}, "Idempotency-Key", "a-1"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("same key, other inputs: %d %s, want 422", r.status, r.body)
	}
	if r := b.call("POST", path+"trinh", officer, nil, "Idempotency-Key", "a-1"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("same key, another action: %d %s, want 422", r.status, r.body)
	}
}

// TestSecurityHeaders (issue 15 item 8): nosniff on every answer, HSTS
// only when the public address is https, no listing of /static/.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, path := range []string{"/api/v1/lookup/NOPE", "/api/v1/me", "/signin", "/static/style.css", "/static/", "/nowhere"} {
		r := b.call("GET", path, "", nil)
		if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q, want nosniff", path, got)
		}
		if got := r.header.Get("Strict-Transport-Security"); got != "" {
			t.Errorf("%s over a plain http base URL: HSTS %q", path, got)
		}
	}
	if r := b.call("GET", "/static/", "", nil); r.status != http.StatusNotFound || strings.Contains(string(r.body), "style.css") {
		t.Errorf("/static/: %d, lists %v; want 404 and no listing", r.status, strings.Contains(string(r.body), "style.css"))
	}
	b.srv.cfg.BaseURL = "https://motcua.example.gov.vn"
	if r := b.call("GET", "/api/v1/lookup/NOPE", "", nil); !strings.HasPrefix(r.header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("https base URL: HSTS %q", r.header.Get("Strict-Transport-Security"))
	}
}

// fullStore is a store on a full disk: every write and the readiness
// probe fail as sqlitestore fails them (TestFullDatabaseIsStorageFull
// there checks the mapping from SQLITE_FULL itself).
type fullStore struct{ engine.Store }

func (fullStore) Insert(context.Context, *engine.Dossier, []engine.Notification) error {
	return &engine.StorageFullError{Where: "database", Err: errors.New("database or disk is full (13)")}
}

func (fullStore) Ready(context.Context) error {
	return &engine.StorageFullError{Where: "database", Err: errors.New("write /data/.ready-probe: no space left on device")}
}

// TestFullDiskIsVisible (issue 15 item 9): a write on a full disk answers
// 507 storage_full instead of 500 internal, /readyz fails with the same
// code while /healthz, which only says the process answers, stays ok.
func TestFullDiskIsVisible(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if r := b.call("GET", "/api/v1/readyz", "", nil); r.status != http.StatusOK {
		t.Fatalf("readyz on a healthy store: %d %s", r.status, r.body)
	}
	b.eng.Store = fullStore{b.eng.Store}
	r := b.call("POST", "/api/v1/dossiers", receiver, receiveBody("Đĩa đầy"))
	if r.status != http.StatusInsufficientStorage || r.errCode(t) != engine.ESTORAGEFULL {
		t.Errorf("receive on a full disk: %d %s, want 507 storage_full", r.status, r.body)
	}
	if strings.Contains(string(r.body), "/data") {
		t.Errorf("the answer leaks a path: %s", r.body)
	}
	r = b.call("GET", "/api/v1/readyz", "", nil)
	if r.status != http.StatusServiceUnavailable || r.errCode(t) != engine.ESTORAGEFULL {
		t.Errorf("readyz on a full disk: %d %s, want 503 storage_full", r.status, r.body)
	}
	if r := b.call("GET", "/api/v1/healthz", "", nil); r.status != http.StatusOK {
		t.Errorf("healthz: %d", r.status)
	}
}
