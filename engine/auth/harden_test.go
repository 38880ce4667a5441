package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// TestSignInDelaysGrowPerPersonAtAddress (issue 15 item 3): failures
// slow down the person at the failing address with growing waits; the
// same person from another address is not locked out, and one address
// guessing many people is slowed down too.
func TestSignInDelaysGrowPerPersonAtAddress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := newService(t, NewMemoryStore())
	s.Limiter = NewLimiter(3, time.Second, time.Minute, 10*time.Minute)
	s.AddressLimiter = NewLimiter(6, time.Second, time.Minute, time.Hour)
	if err := s.SetPassword(ctx, "an", "correct horse"); err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	for failures := 0; failures < 7; {
		_, err := s.CheckPassword(ctx, "an", "nope nope", "evil")
		var rl *RateLimitedError
		switch {
		case errors.As(err, &rl):
			if failures < 3 {
				t.Fatalf("limited after %d failures, the first 3 are free", failures)
			}
			waits = append(waits, rl.RetryAfter)
			clk.Add(rl.RetryAfter)
		case engine.ErrorCode(err) == engine.EUNAUTHORIZED:
			failures++
		default:
			t.Fatalf("err = %v", err)
		}
	}
	if len(waits) != 3 {
		t.Fatalf("waits = %v, want one after each failure past the third", waits)
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] <= waits[i-1] {
			t.Errorf("waits do not grow: %v", waits)
		}
	}
	// The person from their own desk is not locked out.
	if _, err := s.CheckPassword(ctx, "an", "correct horse", "desk"); err != nil {
		t.Fatalf("the person from another address: %v", err)
	}
	// One address guessing many people is slowed down as well.
	for _, who := range []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7"} {
		_, _ = s.CheckPassword(ctx, who, "guess guess", "scanner")
	}
	if _, err := s.CheckPassword(ctx, "an", "correct horse", "scanner"); engine.ErrorCode(err) != ELIMITED {
		t.Errorf("address past its free failures: err = %v, want rate limited", err)
	}
}

// TestLimiterMemoryIsBounded (issue 15 item 4): failures from 600
// addresses with 60 KB names keep the limiter at its key bound,
// each key a fixed-size hash; long names never reach it; a sweep after
// the quiet period empties it.
func TestLimiterMemoryIsBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := newService(t, NewMemoryStore())
	s.Limiter = NewLimiter(3, time.Second, time.Minute, 15*time.Minute)
	s.Limiter.MaxKeys = 50
	s.AddressLimiter = NewLimiter(20, time.Second, time.Minute, time.Hour)
	s.AddressLimiter.MaxKeys = 50
	long := strings.Repeat("n", 60<<10)
	for i := 0; i < 600; i++ {
		ip := fmt.Sprintf("10.0.%d.%d", i/200, i%200)
		name := long
		if i%2 == 0 {
			name = fmt.Sprintf("an%d", i)
		}
		_, _ = s.CheckPassword(ctx, name, "wrong password", ip)
	}
	if n := s.Limiter.Len(); n > 50 {
		t.Errorf("person@address limiter holds %d keys, bound 50", n)
	}
	if n := s.AddressLimiter.Len(); n > 50 {
		t.Errorf("address limiter holds %d keys, bound 50", n)
	}
	clk.Add(2 * time.Hour)
	s.SweepLimiters()
	if n := s.Limiter.Len() + s.AddressLimiter.Len(); n != 0 {
		t.Errorf("after the quiet period and a sweep, %d keys remain", n)
	}
	if _, err := s.CheckPassword(ctx, long, "x", "1.2.3.4"); engine.ErrorCode(err) != engine.EUNAUTHORIZED {
		t.Errorf("a 60 KB person id: err = %v, want unauthorized", err)
	}
}

// TestTokensExpireNeedThePasswordAndDieWithIt (issue 15 item 1).
func TestTokensExpireNeedThePasswordAndDieWithIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := newService(t, NewMemoryStore())
	s.TokenTTL, s.TokenMaxTTL = 24*time.Hour, 48*time.Hour
	if err := s.SetPassword(ctx, "an", "correct horse"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, "admin", "admin password"); err != nil {
		t.Fatal(err)
	}
	an, _ := s.Directory.Person("an")
	admin, _ := s.Directory.Person("admin")

	t.Run("minting requires the current password", func(t *testing.T) {
		_, _, err := s.IssueToken(ctx, TokenGrant{Issuer: an, Password: "wrong guess", IP: "1", Name: "ci"})
		if engine.ErrorCode(err) != engine.EUNAUTHORIZED {
			t.Errorf("wrong password: err = %v, want unauthorized", err)
		}
	})
	t.Run("a lifetime over the maximum is refused", func(t *testing.T) {
		_, _, err := s.IssueToken(ctx, TokenGrant{Issuer: an, Password: "correct horse", IP: "1", Name: "ci", TTL: 72 * time.Hour})
		if engine.ErrorCode(err) != engine.EINVALID {
			t.Errorf("err = %v, want invalid", err)
		}
	})
	t.Run("only admins mint for others", func(t *testing.T) {
		_, _, err := s.IssueToken(ctx, TokenGrant{Issuer: an, Password: "correct horse", IP: "1", Person: "binh", Name: "x"})
		if engine.ErrorCode(err) != engine.EFORBIDDEN {
			t.Errorf("err = %v, want forbidden", err)
		}
	})
	t.Run("a token expires", func(t *testing.T) {
		tok, kept, err := s.IssueToken(ctx, TokenGrant{Issuer: an, Password: "correct horse", IP: "1", Name: "ci"})
		if err != nil {
			t.Fatal(err)
		}
		if want := kept.CreatedAt.Add(24 * time.Hour); !kept.ExpiresAt.Equal(want) {
			t.Errorf("ExpiresAt = %v, want %v (the default lifetime)", kept.ExpiresAt, want)
		}
		if _, err := s.TokenPerson(ctx, tok); err != nil {
			t.Fatalf("fresh token: %v", err)
		}
		clk.Add(24 * time.Hour)
		if _, err := s.TokenPerson(ctx, tok); engine.ErrorCode(err) != engine.EUNAUTHORIZED {
			t.Errorf("expired token: err = %v, want unauthorized", err)
		}
	})
	t.Run("a token minted before expiry existed ends at the maximum", func(t *testing.T) {
		tok, _ := s.NewToken(ctx, "binh", "old")
		c, _ := s.Store.Credential(ctx, "binh")
		c.Tokens[len(c.Tokens)-1].ExpiresAt = time.Time{}
		_ = s.Store.PutCredential(ctx, c)
		clk.Add(48 * time.Hour)
		if _, err := s.TokenPerson(ctx, tok); engine.ErrorCode(err) != engine.EUNAUTHORIZED {
			t.Errorf("legacy token past the maximum: err = %v, want unauthorized", err)
		}
	})
	t.Run("a password change revokes tokens minted from sessions", func(t *testing.T) {
		web, _, err := s.IssueToken(ctx, TokenGrant{Issuer: an, Password: "correct horse", IP: "1", Name: "web", FromSession: true})
		if err != nil {
			t.Fatal(err)
		}
		cli, _ := s.NewToken(ctx, "an", "operator")
		if err := s.SetPassword(ctx, "an", "battery staple"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenPerson(ctx, web); err == nil {
			t.Error("a token minted from a session outlived the password")
		}
		if _, err := s.TokenPerson(ctx, cli); err != nil {
			t.Errorf("an operator's token was revoked too: %v", err)
		}
	})
	t.Run("a token minted by an admin records its issuer", func(t *testing.T) {
		tok, _, err := s.IssueToken(ctx, TokenGrant{Issuer: admin, Password: "admin password", IP: "1", Person: "binh", Name: "for binh"})
		if err != nil {
			t.Fatal(err)
		}
		p, kept, err := s.TokenAuth(ctx, tok)
		if err != nil || p.ID != "binh" || kept.Issuer != "admin" {
			t.Errorf("TokenAuth = %v, %+v, %v; want binh's token issued by admin", p, kept, err)
		}
		list, _ := s.Tokens(ctx, "binh")
		if len(list) == 0 || list[0].Name != "for binh" {
			t.Errorf("Tokens(binh) = %+v, want the new token first", list)
		}
	})
}

// TestSessionOpenedBeforeAPasswordChangeElsewhereIsRefused (issue 15
// item 2): "motcua users passwd" runs with its own Service whose session
// store is not serve's; serve's sessions opened before must still end.
func TestSessionOpenedBeforeAPasswordChangeElsewhereIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	creds := NewMemoryStore()
	serve, clk := newService(t, creds)
	serve.Sessions = NewMemorySessionStore()
	if err := serve.SetPassword(ctx, "an", "correct horse"); err != nil {
		t.Fatal(err)
	}
	old, err := serve.NewSession(ctx, "an")
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
	cli, _ := newService(t, creds) // its own MemorySessionStore
	cli.Now = clk.Now
	if err := cli.SetPassword(ctx, "an", "battery staple"); err != nil {
		t.Fatal(err)
	}
	if ss, _, err := serve.Session(ctx, old.ID); ss != nil || err != nil {
		t.Errorf("session opened before the password changed elsewhere: %v, %v; want refused", ss, err)
	}
	clk.Add(time.Minute)
	fresh, _ := serve.NewSession(ctx, "an")
	if ss, _, _ := serve.Session(ctx, fresh.ID); ss == nil {
		t.Error("a session opened after the change was refused")
	}
	// The person changing their own password keeps the session they
	// changed it from, and only that one.
	other, _ := serve.NewSession(ctx, "an")
	clk.Add(time.Minute)
	if err := serve.ChangePassword(ctx, fresh, "third password"); err != nil {
		t.Fatal(err)
	}
	if ss, _, _ := serve.Session(ctx, fresh.ID); ss == nil {
		t.Error("the session the password was changed from ended")
	}
	if ss, _, _ := serve.Session(ctx, other.ID); ss != nil {
		t.Error("another session survived the change")
	}
}
