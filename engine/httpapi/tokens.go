package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

// TokenIssuerInput is the history input naming who minted the token an
// action was taken with, when that is not the token's owner (an admin
// minting for someone else): the control slip then says whose hand was
// really on it. Clients cannot set it themselves.
const TokenIssuerInput = "token_issuer"

// tokenRequest is the body of POST /tokens.
type tokenRequest struct {
	// Person is whom the token is for; empty means the caller.
	Person string `json:"person,omitempty"`
	Name   string `json:"name"`
	// Password is the caller's current password: a stolen cookie or a
	// session left open is not enough to mint a lasting credential.
	Password string `json:"password"`
	// TTLDays is the lifetime asked for in days; 0 is the default.
	TTLDays int `json:"ttl_days,omitempty"`
}

// TokenView is the answer of POST /tokens: the token in clear, shown
// this once, and when it ends.
type TokenView struct {
	Person    string    `json:"person"`
	Token     string    `json:"token"`
	ID        string    `json:"id"`
	ExpiresAt time.Time `json:"expires_at"`
}

// issueToken mints a token through auth.Service.IssueToken, which checks
// the caller's password and rights.
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	var req tokenRequest
	if err := decodeJSON(w, r, s.maxBody, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Name) == "" || len(req.Name) > 100 {
		return &engine.InvalidInputError{Field: "name", Reason: "required, at most 100 characters"}
	}
	if req.Person != "" && req.Person != p.ID && !auth.CanManage(p) {
		// auth.IssueToken refuses too; this says it in the page's words.
		return errorf(engine.EFORBIDDEN, "Chỉ quản trị viên được cấp mã truy cập cho người khác.", "Only admins may issue tokens for others.")
	}
	if req.TTLDays < 0 || req.TTLDays > 3660 {
		return &engine.InvalidInputError{Field: "ttl_days", Reason: "between 0 and the maximum lifetime"}
	}
	tok, kept, err := s.auth.IssueToken(r.Context(), auth.TokenGrant{
		Issuer: p, Password: req.Password, IP: clientKey(s.clientIP(r)),
		Person: req.Person, Name: req.Name, TTL: time.Duration(req.TTLDays) * 24 * time.Hour,
		FromSession: sessionFrom(r.Context()) != nil,
	})
	if err != nil {
		return err
	}
	who := req.Person
	if who == "" {
		who = p.ID
	}
	writeJSON(w, http.StatusCreated, TokenView{Person: who, Token: tok, ID: kept.ID, ExpiresAt: kept.ExpiresAt.In(s.eng.Calendar.Location())})
	return nil
}

// stampIssuer returns inputs with TokenIssuerInput set to the issuer of
// the bearer token r carries when someone else minted it, and removed
// otherwise, so that no client can write it. inputs is not modified.
func (s *Server) stampIssuer(r *http.Request, inputs map[string]string) map[string]string {
	issuer := ""
	if h, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		if _, t, err := s.auth.TokenAuth(r.Context(), strings.TrimSpace(h)); err == nil {
			issuer = t.Issuer
		}
	}
	_, had := inputs[TokenIssuerInput]
	if issuer == "" && !had {
		return inputs
	}
	out := make(map[string]string, len(inputs)+1)
	for k, v := range inputs {
		if k != TokenIssuerInput {
			out[k] = v
		}
	}
	if issuer != "" {
		out[TokenIssuerInput] = issuer
	}
	return out
}
