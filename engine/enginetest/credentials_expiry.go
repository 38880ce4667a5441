package enginetest

import (
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// testCredentialKeepsExpiryAndIssuer: what issue 15 added to a credential
// (token expiry, issuer and origin; when sessions became invalid and the
// one kept) comes back from every store as it was put, so that token
// expiry and the refusal of old sessions hold on each of them.
func testCredentialKeepsExpiryAndIssuer(t *testing.T, s engine.CredentialStore) {
	c := credentialAt("an", base)
	c.Tokens[0].ExpiresAt = base.Add(90 * 24 * time.Hour)
	c.Tokens[0].Issuer = "quan-tri"
	c.Tokens[1].FromSession = true
	c.SessionsValidFrom = base.Add(2 * time.Minute)
	c.KeepSession = "ab12"
	mustPut(t, s, c)
	got := mustCredential(t, s, "an")
	if !sameCredential(got, c) || len(got.Tokens) != 2 {
		t.Fatalf("round trip: got %+v, want %+v", got, c)
	}
	g0, g1 := got.Tokens[0], got.Tokens[1]
	if !g0.ExpiresAt.Equal(c.Tokens[0].ExpiresAt) || g0.Issuer != "quan-tri" || g0.FromSession ||
		!g1.ExpiresAt.IsZero() || g1.Issuer != "" || !g1.FromSession {
		t.Errorf("tokens: got %+v, want %+v", got.Tokens, c.Tokens)
	}
	if !got.SessionsValidFrom.Equal(c.SessionsValidFrom) || got.KeepSession != "ab12" {
		t.Errorf("sessions valid from %v keeping %q, want %v keeping %q", got.SessionsValidFrom, got.KeepSession, c.SessionsValidFrom, c.KeepSession)
	}
}
