package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"sort"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
)

// Token lifetimes when the Service leaves them zero. A token is a
// password that never asks again, so it must end on its own: a quarter
// of work by default, a year at most.
const (
	DefaultTokenTTL = 90 * 24 * time.Hour
	MaxTokenTTL     = 365 * 24 * time.Hour
)

func (s *Service) tokenTTL() time.Duration {
	if s.TokenTTL > 0 {
		return min(s.TokenTTL, s.tokenMaxTTL())
	}
	return min(DefaultTokenTTL, s.tokenMaxTTL())
}

func (s *Service) tokenMaxTTL() time.Duration {
	if s.TokenMaxTTL > 0 {
		return s.TokenMaxTTL
	}
	return MaxTokenTTL
}

// tokenExpiry is when t stops working: its own expiry, capped by the
// longest lifetime allowed now (so lowering TokenMaxTTL shortens tokens
// already issued), and tokens minted before expiry existed end that long
// after their creation instead of never.
func (s *Service) tokenExpiry(t Token) time.Time {
	limit := t.CreatedAt.Add(s.tokenMaxTTL())
	if t.ExpiresAt.IsZero() || t.ExpiresAt.After(limit) {
		return limit
	}
	return t.ExpiresAt
}

// NewToken issues an API token for person with the default lifetime and
// returns it in clear: the only time it is ever shown. It checks no
// password: it is for the operator's command line ("motcua users
// token"); people mint tokens through IssueToken.
func (s *Service) NewToken(ctx context.Context, person, name string) (string, error) {
	tok, _, err := s.mint(ctx, person, Token{Name: name})
	return tok, err
}

// TokenGrant asks IssueToken for a token.
type TokenGrant struct {
	// Issuer is the signed-in person asking, Password their current
	// password and IP their client address (failures count against the
	// sign-in limiter like a failed sign-in).
	Issuer   *engine.Person
	Password string
	IP       string
	// Person is whom the token is for; empty means the issuer. Only an
	// admin may mint for someone else, and the token records the issuer.
	Person string
	Name   string
	// TTL is the lifetime asked for; zero is the default, more than the
	// maximum is refused.
	TTL time.Duration
	// FromSession marks a token minted from a web session: a password
	// change revokes it.
	FromSession bool
}

// IssueToken mints a token after checking the issuer's current password,
// so a session left open or a stolen cookie cannot be turned into a
// credential that outlives it. It returns the token in clear and what is
// kept about it.
func (s *Service) IssueToken(ctx context.Context, g TokenGrant) (string, Token, error) {
	s.init()
	if g.Issuer == nil {
		return "", Token{}, &InvalidCredentialsError{}
	}
	who := g.Person
	if who == "" {
		who = g.Issuer.ID
	}
	if who != g.Issuer.ID && !CanManage(g.Issuer) {
		return "", Token{}, &engine.ForbiddenError{Person: g.Issuer.ID, Reason: "only admins may issue tokens for others"}
	}
	if g.TTL < 0 || g.TTL > s.tokenMaxTTL() {
		return "", Token{}, &engine.InvalidInputError{Field: "ttl", Reason: "longer than the maximum token lifetime " + s.tokenMaxTTL().String()}
	}
	if _, err := s.CheckPassword(ctx, g.Issuer.ID, g.Password, g.IP); err != nil {
		return "", Token{}, err
	}
	t := Token{Name: g.Name, FromSession: g.FromSession}
	if g.TTL > 0 {
		t.ExpiresAt = s.instant().Add(g.TTL)
	}
	if who != g.Issuer.ID {
		t.Issuer = g.Issuer.ID
	}
	return s.mint(ctx, who, t)
}

// mint stores t (ID, Hash and CreatedAt filled in, ExpiresAt defaulted)
// for person and returns the clear token.
func (s *Service) mint(ctx context.Context, person string, t Token) (string, Token, error) {
	s.init()
	if _, ok := s.Directory.Person(person); !ok {
		return "", Token{}, &engine.NotFoundError{What: "person", ID: person}
	}
	c, err := s.credential(ctx, person)
	if err != nil {
		return "", Token{}, err
	}
	idb := make([]byte, 6)
	if _, err := rand.Read(idb); err != nil {
		return "", Token{}, err
	}
	now := s.instant()
	secret := randomString(24)
	t.ID, t.Hash, t.CreatedAt = hex.EncodeToString(idb), hashSecret(secret), now
	if t.ExpiresAt.IsZero() {
		t.ExpiresAt = now.Add(s.tokenTTL())
	}
	c.Tokens = append(c.Tokens, t)
	c.UpdatedAt = now
	if err := s.Store.PutCredential(ctx, c); err != nil {
		return "", Token{}, err
	}
	// The person id is part of the token so that lookup is one read.
	return tokenPrefix + person + "." + t.ID + "." + secret, t, nil
}

// Tokens lists person's live tokens (expired ones are left out), newest
// first, for the account page.
func (s *Service) Tokens(ctx context.Context, person string) ([]Token, error) {
	s.init()
	c, err := s.credential(ctx, person)
	if err != nil {
		return nil, err
	}
	now := s.instant()
	var out []Token
	for _, t := range c.Tokens {
		if exp := s.tokenExpiry(t); now.Before(exp) {
			t.ExpiresAt = exp
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, nil
}

// RevokeToken removes person's token id.
func (s *Service) RevokeToken(ctx context.Context, person, id string) error {
	c, err := s.Store.Credential(ctx, person)
	if err != nil {
		return err
	}
	for i, t := range c.Tokens {
		if t.ID == id {
			c.Tokens = append(c.Tokens[:i], c.Tokens[i+1:]...)
			c.UpdatedAt = s.now().UTC()
			return s.Store.PutCredential(ctx, c)
		}
	}
	return &engine.NotFoundError{What: "token", ID: id}
}

// TokenPerson returns the active person a bearer token belongs to.
func (s *Service) TokenPerson(ctx context.Context, token string) (*engine.Person, error) {
	p, _, err := s.TokenAuth(ctx, token)
	return p, err
}

// TokenAuth returns the active person a live bearer token belongs to and
// what is kept about the token (its issuer, for the history). An
// expired, revoked or malformed token is *InvalidCredentialsError.
func (s *Service) TokenAuth(ctx context.Context, token string) (*engine.Person, Token, error) {
	s.init()
	rest, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok {
		return nil, Token{}, &InvalidCredentialsError{}
	}
	// person.id.secret: the id is hex and the secret base64url, neither
	// holds a dot, so splitting from the right is unambiguous.
	i := strings.LastIndexByte(rest, '.')
	if i < 0 {
		return nil, Token{}, &InvalidCredentialsError{}
	}
	head, secret := rest[:i], rest[i+1:]
	j := strings.LastIndexByte(head, '.')
	if j < 0 {
		return nil, Token{}, &InvalidCredentialsError{}
	}
	person, id := head[:j], head[j+1:]
	p, ok := s.person(person)
	if !ok {
		return nil, Token{}, &InvalidCredentialsError{}
	}
	c, err := s.Store.Credential(ctx, person)
	if err != nil {
		if engine.ErrorCode(err) == engine.ENOTFOUND {
			return nil, Token{}, &InvalidCredentialsError{}
		}
		return nil, Token{}, err
	}
	want := hashSecret(secret)
	now := s.instant()
	for _, t := range c.Tokens {
		if t.ID == id && subtle.ConstantTimeCompare([]byte(t.Hash), []byte(want)) == 1 {
			if !now.Before(s.tokenExpiry(t)) {
				return nil, Token{}, &InvalidCredentialsError{}
			}
			return p, t, nil
		}
	}
	return nil, Token{}, &InvalidCredentialsError{}
}

// dropSessionTokens removes the tokens minted from web sessions: a
// password change must end every credential the old password could have
// produced.
func dropSessionTokens(ts []Token) []Token {
	out := ts[:0]
	for _, t := range ts {
		if !t.FromSession {
			out = append(out, t)
		}
	}
	return out
}
