package httpapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

// signinCookie holds the double-submit CSRF token of the sign-in form,
// which is posted before any session exists.
const signinCookie = "motcua_signin"

type signinView struct {
	Next   string
	Person string
}

// safeNext keeps redirects after sign-in on this site.
func safeNext(next string) string {
	if !localPath(next) {
		return "/inbox"
	}
	return next
}

func (w *web) signinForm(q *req) error {
	tok := auth.RandomToken()
	http.SetCookie(q.w, &http.Cookie{Name: signinCookie, Value: tok, Path: "/signin", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: w.s.secure(q.r), MaxAge: 3600})
	p := w.data(q, tr("signin", q.lang), "signin", signinView{Next: safeNext(q.r.URL.Query().Get("next"))})
	p.CSRF = tok
	return w.render(q, http.StatusOK, "signin", p)
}

func (w *web) signin(q *req) error {
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, w.s.maxBody)
	c, err := q.r.Cookie(signinCookie)
	if err != nil || c.Value == "" || q.r.PostFormValue("csrf") != c.Value {
		return errorf(engine.EFORBIDDEN, "Biểu mẫu đăng nhập đã hết hạn; hãy tải lại trang.", "The sign-in form expired; reload the page.")
	}
	person := strings.TrimSpace(q.r.PostFormValue("person"))
	p, err := w.s.auth.CheckPassword(q.r.Context(), person, q.r.PostFormValue("password"), clientKey(w.s.clientIP(q.r)))
	if err != nil {
		var ic *auth.InvalidCredentialsError
		if !errors.As(err, &ic) {
			return err
		}
		d := describe(err)
		pd := w.data(q, tr("signin", q.lang), "signin", signinView{Next: safeNext(q.r.PostFormValue("next")), Person: person})
		pd.CSRF = c.Value
		pd.Error = pick(d.Message, d.MessageEN, q.lang)
		return w.render(q, StatusFor(d.Code), "signin", pd)
	}
	// A fresh session id at sign-in: an id planted before sign-in is
	// never promoted (session fixation).
	if old, err := q.r.Cookie(sessionCookie); err == nil {
		if err := w.s.auth.EndSession(q.r.Context(), old.Value); err != nil {
			return err
		}
	}
	ss, err := w.s.auth.NewSession(q.r.Context(), p.ID)
	if err != nil {
		return err
	}
	http.SetCookie(q.w, &http.Cookie{Name: sessionCookie, Value: ss.ID, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: w.s.secure(q.r)})
	http.SetCookie(q.w, &http.Cookie{Name: signinCookie, Value: "", Path: "/signin", MaxAge: -1})
	http.Redirect(q.w, q.r, safeNext(q.r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}

func (w *web) signout(q *req) error {
	if err := w.s.auth.EndSession(q.r.Context(), q.session.ID); err != nil {
		return err
	}
	http.SetCookie(q.w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: w.s.secure(q.r)})
	http.Redirect(q.w, q.r, "/signin", http.StatusSeeOther)
	return nil
}
