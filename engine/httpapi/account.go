package httpapi

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

// passwordPath is the page where a signed-in person changes their own
// password.
const passwordPath = "/account/password"

type passwordView struct {
	Min int
}

func (w *web) passwordForm(q *req) error {
	p := w.data(q, tr("change_password", q.lang), "account", passwordView{Min: auth.MinPasswordLength})
	if q.r.URL.Query().Get("done") != "" {
		p.Flash = tr("password_changed", q.lang)
	}
	return w.render(q, http.StatusOK, "password", p)
}

// changePassword checks the current password the way sign-in does, so a
// session left open on a shared desk computer cannot be turned into the
// password itself, and failures count against the same per-person and
// per-address limit; then it sets the new one and ends the person's other
// sessions (auth.Service.ChangePassword), keeping this one.
func (w *web) changePassword(q *req) error {
	f := q.r.PostForm
	cur, pw, again := f.Get("current"), f.Get("password"), f.Get("again")
	var fail error
	if _, err := w.s.auth.CheckPassword(q.r.Context(), q.person.ID, cur, clientKey(w.s.clientIP(q.r))); err != nil {
		var ic *auth.InvalidCredentialsError
		var rl *auth.RateLimitedError
		switch {
		case errors.As(err, &ic):
			fail = errorf(engine.EINVALID, "Mật khẩu hiện tại không đúng.", "The current password is wrong.")
		case errors.As(err, &rl):
			fail = err
		default:
			return err
		}
	}
	switch {
	case fail != nil:
	case pw != again:
		fail = errorf(engine.EINVALID, "Mật khẩu mới và mật khẩu nhập lại không khớp.", "The new password and its repetition differ.")
	case pw == cur:
		fail = errorf(engine.EINVALID, "Mật khẩu mới phải khác mật khẩu hiện tại.", "The new password must differ from the current one.")
	default:
		// The service owns the length rule (auth.MinPasswordLength) and
		// says it with *auth.WeakPasswordError, worded by describe.
		fail = w.s.auth.ChangePassword(q.r.Context(), q.session, pw)
		if fail != nil && engine.ErrorCode(fail) != engine.EINVALID {
			return fail
		}
	}
	if fail != nil {
		d := describe(fail)
		p := w.data(q, tr("change_password", q.lang), "account", passwordView{Min: auth.MinPasswordLength})
		p.Error = pick(d.Message, d.MessageEN, q.lang)
		if d.RetryAfter > 0 {
			q.w.Header().Set("Retry-After", strconv.Itoa(d.RetryAfter))
		}
		return w.render(q, StatusFor(d.Code), "password", p)
	}
	// After a POST, a redirect: reloading the page does not post again.
	http.Redirect(q.w, q.r, passwordPath+"?done=1", http.StatusSeeOther)
	return nil
}
