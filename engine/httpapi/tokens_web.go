package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

// tokensPath is the account page listing a person's API tokens, where
// they mint (with their password) and revoke them.
const tokensPath = "/account/tokens"

// tokensView is the tokens page: the words in the page's language (the
// page is small and its own), the live tokens, and a token just minted,
// shown this once.
type tokensView struct {
	W      map[string]string
	Tokens []tokenRow
	Minted string
}

type tokenRow struct {
	ID, Name, Issuer   string
	Created, ExpiresAt time.Time
}

// tokenWords are the tokens page's words, Vietnamese then English.
var tokenWords = map[string][2]string{
	"title":    {"Mã truy cập API", "API tokens"},
	"intro":    {"Mã truy cập cho phép phần mềm khác gọi API thay bạn. Mã tự hết hạn; đổi mật khẩu sẽ thu hồi các mã cấp tại đây.", "A token lets another program call the API as you. Tokens expire; changing your password revokes the tokens minted here."},
	"none":     {"Chưa có mã nào.", "No tokens."},
	"name":     {"Tên", "Name"},
	"created":  {"Cấp lúc", "Created"},
	"expires":  {"Hết hạn", "Expires"},
	"issuer":   {"Người cấp", "Issued by"},
	"revoke":   {"Thu hồi", "Revoke"},
	"new":      {"Cấp mã mới", "New token"},
	"days":     {"Số ngày hiệu lực (bỏ trống: mặc định)", "Days valid (empty: the default)"},
	"current":  {"Mật khẩu hiện tại", "Current password"},
	"mint":     {"Cấp mã", "Mint"},
	"minted":   {"Mã mới (chỉ hiện một lần, hãy sao chép ngay):", "The new token (shown only this once; copy it now):"},
	"password": {"Đổi mật khẩu", "Change password"},
}

func words(lang string) map[string]string {
	out := make(map[string]string, len(tokenWords))
	for k, v := range tokenWords {
		out[k] = pick(v[0], v[1], lang)
	}
	return out
}

// accountRoutes registers the account pages added beside the password
// page.
func (w *web) accountRoutes() {
	m := w.s.mux
	m.HandleFunc("GET "+tokensPath, w.page(true, w.tokensPage))
	m.HandleFunc("POST "+tokensPath, w.page(true, w.mintToken))
	m.HandleFunc("POST "+tokensPath+"/{id}/revoke", w.page(true, w.revokeToken))
}

func (w *web) renderTokens(q *req, status int, minted, errMsg string) error {
	ts, err := w.s.auth.Tokens(q.r.Context(), q.person.ID)
	if err != nil {
		return err
	}
	v := tokensView{W: words(q.lang), Minted: minted}
	for _, t := range ts {
		v.Tokens = append(v.Tokens, tokenRow{ID: t.ID, Name: t.Name, Issuer: t.Issuer, Created: t.CreatedAt, ExpiresAt: t.ExpiresAt})
	}
	p := w.data(q, v.W["title"], "account", v)
	p.Error = errMsg
	if q.r.URL.Query().Get("revoked") != "" {
		p.Flash = pick("Đã thu hồi mã.", "Token revoked.", q.lang)
	}
	return w.render(q, status, "tokens", p)
}

// mintedCookie carries a token just minted from the mint's answer to the
// page it redirects to, once: the page shows the token and clears the
// cookie, so a reload shows nothing and, unlike a reload of the mint's own
// answer, posts nothing (it minted a second token before). The cookie is
// HttpOnly, scoped to the tokens page, SameSite=Strict and lives a minute.
const mintedCookie = "motcua_minted"

// tokensPage lists the tokens and shows, once, a token minted just
// before the redirect here.
func (w *web) tokensPage(q *req) error {
	minted := ""
	if c, err := q.r.Cookie(mintedCookie); err == nil && strings.HasPrefix(c.Value, "mct_") {
		minted = c.Value
		http.SetCookie(q.w, &http.Cookie{Name: mintedCookie, Value: "", Path: tokensPath, MaxAge: -1,
			HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: w.s.secure(q.r)})
		q.w.Header().Set("Cache-Control", "no-store")
	}
	return w.renderTokens(q, http.StatusOK, minted, "")
}

// mintToken mints a token for the signed-in person after checking their
// current password (auth.Service.IssueToken); it is marked as minted
// from a session, so a password change revokes it.
func (w *web) mintToken(q *req) error {
	f := q.r.PostForm
	name := strings.TrimSpace(f.Get("name"))
	days := 0
	if s := strings.TrimSpace(f.Get("days")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 3660 {
			return w.renderTokens(q, http.StatusUnprocessableEntity, "", pick("Số ngày không hợp lệ.", "Invalid number of days.", q.lang))
		}
		days = n
	}
	if name == "" || len(name) > 100 {
		return w.renderTokens(q, http.StatusUnprocessableEntity, "", pick("Cần đặt tên cho mã (tối đa 100 ký tự).", "Give the token a name (at most 100 characters).", q.lang))
	}
	tok, _, err := w.s.auth.IssueToken(q.r.Context(), auth.TokenGrant{Issuer: q.person, Password: f.Get("current"),
		IP: clientKey(w.s.clientIP(q.r)), Name: name, TTL: time.Duration(days) * 24 * time.Hour, FromSession: true})
	if err != nil {
		switch engine.ErrorCode(err) {
		case engine.EUNAUTHORIZED:
			return w.renderTokens(q, http.StatusUnprocessableEntity, "", pick("Mật khẩu hiện tại không đúng.", "The current password is wrong.", q.lang))
		case engine.EINVALID, auth.ELIMITED:
			d := describe(err)
			if d.RetryAfter > 0 {
				q.w.Header().Set("Retry-After", strconv.Itoa(d.RetryAfter))
			}
			return w.renderTokens(q, StatusFor(d.Code), "", pick(d.Message, d.MessageEN, q.lang))
		}
		return err
	}
	http.SetCookie(q.w, &http.Cookie{Name: mintedCookie, Value: tok, Path: tokensPath, MaxAge: 60,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: w.s.secure(q.r)})
	http.Redirect(q.w, q.r, tokensPath, http.StatusSeeOther)
	return nil
}

// revokeToken revokes one of the signed-in person's own tokens.
func (w *web) revokeToken(q *req) error {
	if err := w.s.auth.RevokeToken(q.r.Context(), q.person.ID, q.r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(q.w, q.r, tokensPath+"?revoked=1", http.StatusSeeOther)
	return nil
}
