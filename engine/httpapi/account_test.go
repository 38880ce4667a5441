package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/enginetest"
)

const newPassword = "mật khẩu mới 2026"

// passwordWorks reports whether person signs in with pw; it is checked
// from another address so that it never feeds the page's rate limit.
func passwordWorks(b *bundle, person, pw string) bool {
	_, err := b.auth.CheckPassword(context.Background(), person, pw, "203.0.113.9")
	return err == nil
}

// signedInTwice signs the desk officer in on two browsers: me, whose
// CSRF token it returns, and other, a second session of the same person.
func signedInTwice(t *testing.T) (b *bundle, me *browser, csrf string, other *browser) {
	t.Helper()
	b = setup(t)
	me = b.browser(t)
	csrf = me.signIn(receiver)
	other = b.browser(t)
	other.login(receiver, testPassword)
	return b, me, csrf, other
}

// TestWebChangePasswordRules: each rule of the change-password form
// refuses with its own Vietnamese message and changes nothing: neither
// the password nor the person's other sessions.
func TestWebChangePasswordRules(t *testing.T) {
	t.Parallel()
	b, me, csrf, other := signedInTwice(t)
	short := strings.Repeat("a", auth.MinPasswordLength-1)
	cases := []struct {
		rule, current, pw, again, want string
	}{
		{"the current password is checked first", "sai mật khẩu", newPassword, newPassword, "Mật khẩu hiện tại không đúng."},
		{"the new password is typed twice alike", testPassword, newPassword, newPassword + "x", "Mật khẩu mới và mật khẩu nhập lại không khớp."},
		{"the new password has at least auth.MinPasswordLength characters", testPassword, short, short, "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."},
		{"the new password differs from the current one", testPassword, testPassword, testPassword, "Mật khẩu mới phải khác mật khẩu hiện tại."},
		{"an empty new password is too short", testPassword, "", "", "Mật khẩu quá ngắn"},
	}
	for _, c := range cases {
		st, body, _ := me.post(passwordPath, url.Values{"csrf": {csrf}, "current": {c.current}, "password": {c.pw}, "again": {c.again}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d, want 422 with %q in\n%s", c.rule, st, c.want, text(body))
		}
		if !passwordWorks(b, receiver, testPassword) {
			t.Fatalf("%s: the password changed", c.rule)
		}
		if st, _, _ := other.get("/inbox"); st != http.StatusOK {
			t.Fatalf("%s: the other session ended (%d)", c.rule, st)
		}
	}
}

// TestWebChangePasswordEndsOtherSessionsKeepsThisOne: ChangePassword
// signs the person out everywhere but here, and only the new password
// signs in afterwards.
func TestWebChangePasswordEndsOtherSessionsKeepsThisOne(t *testing.T) {
	t.Parallel()
	b, me, csrf, other := signedInTwice(t)
	colleague := b.browser(t)
	colleague.signIn(enginetest.Officer)

	st, _, h := me.post(passwordPath, url.Values{"csrf": {csrf}, "current": {testPassword}, "password": {newPassword}, "again": {newPassword}})
	if st != http.StatusSeeOther || h.Get("Location") != passwordPath+"?done=1" {
		t.Fatalf("change: %d %q, want 303 to the page", st, h.Get("Location"))
	}
	st, page, _ := me.get(passwordPath + "?done=1")
	if st != http.StatusOK || !strings.Contains(page, "Đã đổi mật khẩu") {
		t.Errorf("this session after the change: %d %s", st, text(page))
	}
	if st, _, h := other.get("/inbox"); st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin") {
		t.Errorf("the other session of the same person: %d %q, want sent to sign in", st, h.Get("Location"))
	}
	if st, _, _ := colleague.get("/inbox"); st != http.StatusOK {
		t.Errorf("another person's session: %d, want kept", st)
	}
	if passwordWorks(b, receiver, testPassword) || !passwordWorks(b, receiver, newPassword) {
		t.Error("after the change the old password still works or the new one does not")
	}
}

// TestWebChangePasswordGuards: the form needs the session's CSRF token
// and a session; wrong current passwords count against the sign-in limit,
// after which even the right one is refused (429); English on ?lang=en.
func TestWebChangePasswordGuards(t *testing.T) {
	t.Parallel()
	b, me, csrf, _ := signedInTwice(t)
	_, inbox, _ := me.get("/inbox")
	if !strings.Contains(inbox, `href="/account/password"`) {
		t.Error("the header does not link the change-password page")
	}
	st, page, _ := me.get(passwordPath)
	if st != http.StatusOK || !strings.Contains(page, "Đổi mật khẩu") || !strings.Contains(page, "Ít nhất 8 ký tự") {
		t.Errorf("form: %d %s", st, text(page))
	}
	if st, _, _ := me.post(passwordPath, url.Values{"current": {testPassword}, "password": {newPassword}, "again": {newPassword}}); st != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d, want 403", st)
	}
	anon := b.browser(t)
	if st, _, h := anon.get(passwordPath); st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin?next=") {
		t.Errorf("signed out: %d %q, want sent to sign in", st, h.Get("Location"))
	}
	if st, body, _ := me.post(passwordPath+"?lang=en", url.Values{"csrf": {csrf}, "current": {"wrong one"}, "password": {newPassword}, "again": {newPassword}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, "The current password is wrong.") {
		t.Errorf("English wrong current password: %d %s", st, text(body))
	}
	// Five failures in all (the limiter's default) lock the person out.
	for range 4 {
		me.post(passwordPath, url.Values{"csrf": {csrf}, "current": {"wrong one"}, "password": {newPassword}, "again": {newPassword}})
	}
	st, body, h := me.post(passwordPath+"?lang=vi", url.Values{"csrf": {csrf}, "current": {testPassword}, "password": {newPassword}, "again": {newPassword}})
	if st != http.StatusTooManyRequests || h.Get("Retry-After") == "" || !strings.Contains(body, "thử lại sau") {
		t.Errorf("right password after five failures: %d %q %s, want 429", st, h.Get("Retry-After"), text(body))
	}
	// Once the window has passed, the old password is still the one.
	b.clock.Advance(16 * time.Minute)
	if !passwordWorks(b, receiver, testPassword) {
		t.Error("the password changed while locked out")
	}
}
