package auth

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// TestMemorySessionStoreContract runs the SessionStore contract the SQLite
// and MongoDB stores also pass.
func TestMemorySessionStoreContract(t *testing.T) {
	t.Parallel()
	enginetest.RunSessionSuite(t, func(*testing.T) engine.SessionStore { return NewMemorySessionStore() })
}

// sessionStores are the stores a Service is tested over: memory, and the
// embedded SQLite store serve wires (reopened by reopen, as a restart).
func sessionStores(t *testing.T) map[string]func(t *testing.T) (store engine.SessionStore, reopen func() engine.SessionStore) {
	return map[string]func(t *testing.T) (engine.SessionStore, func() engine.SessionStore){
		"memory": func(*testing.T) (engine.SessionStore, func() engine.SessionStore) {
			m := NewMemorySessionStore()
			return m, func() engine.SessionStore { return m }
		},
		"sqlite": func(t *testing.T) (engine.SessionStore, func() engine.SessionStore) {
			dir := t.TempDir()
			open := func() *sqlitestore.Store {
				st, err := sqlitestore.Open(dir)
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
			st := open()
			t.Cleanup(func() { st.Close() })
			return st, func() engine.SessionStore {
				st.Close()
				st = open()
				return st
			}
		},
	}
}

// TestSessionsSharedAcrossServicesAndRestarts: a session opened by one
// Service (process) is valid in a second one over the same store, and
// after a restart (the store reopened); its CSRF token is the same in
// both; sign-out in one ends it in the other.
func TestSessionsSharedAcrossServicesAndRestarts(t *testing.T) {
	t.Parallel()
	for name, mk := range sessionStores(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			store, reopen := mk(t)
			creds := NewMemoryStore()
			a, clk := newService(t, creds)
			b, _ := newService(t, creds)
			a.Sessions, b.Sessions = store, store
			b.Now = clk.Now
			ss, err := a.NewSession(ctx, "an")
			if err != nil {
				t.Fatal(err)
			}
			clk.Add(5 * time.Minute)
			got, p, err := b.Session(ctx, ss.ID)
			if err != nil || got == nil || p.ID != "an" {
				t.Fatalf("the second process does not know the session: %v %v %v", got, p, err)
			}
			if !CheckCSRF(got, ss.CSRF) {
				t.Error("the CSRF token printed by the first process is refused by the second")
			}
			// Restart: a third Service over the store reopened.
			c, _ := newService(t, creds)
			c.Sessions, c.Now = reopen(), clk.Now
			if got, _, err := c.Session(ctx, ss.ID); err != nil || got == nil || got.CSRF != ss.CSRF {
				t.Fatalf("session lost across a restart: %v %v", got, err)
			}
			if err := c.EndSession(ctx, ss.ID); err != nil {
				t.Fatal(err)
			}
			a.Sessions = c.Sessions
			if got, _, _ := a.Session(ctx, ss.ID); got != nil {
				t.Error("a session signed out in one process is still valid in another")
			}
		})
	}
}

// TestSessionTimeouts: the idle timeout counts from the last use, the
// absolute lifetime from sign-in however busy the session, both on the
// injected clock; expired sessions are refused, then swept.
func TestSessionTimeouts(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := NewMemorySessionStore()
	s, clk := newService(t, NewMemoryStore())
	s.Sessions, s.SessionTTL, s.SessionLifetime = store, time.Hour, 3*time.Hour
	start := clk.Now()
	busy, _ := s.NewSession(ctx, "an")
	idle, _ := s.NewSession(ctx, "binh")
	live := func(ss *Session) bool {
		got, _, err := s.Session(ctx, ss.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got != nil
	}
	for _, c := range []struct {
		rule string
		at   time.Duration // since sign-in
		ss   *Session
		want bool
	}{
		{"used within the idle timeout: live", 50 * time.Minute, busy, true},
		{"idle timeout: unused for 61 min, out", 61 * time.Minute, idle, false},
		{"idle counts from the last use, not sign-in: live at 1h49", 109 * time.Minute, busy, true},
		{"used every 50 min: live at 2h38", 158 * time.Minute, busy, true},
		{"within the lifetime a millisecond before 3h: live", 3*time.Hour - time.Millisecond, busy, true},
		{"absolute lifetime: out at 3h although used just before", 3 * time.Hour, busy, false},
	} {
		clk.Set(start.Add(c.at))
		if got := live(c.ss); got != c.want {
			t.Errorf("%s: live = %v, want %v", c.rule, got, c.want)
		}
	}
	n, err := s.SweepSessions(ctx)
	if err != nil || n != 2 {
		t.Errorf("SweepSessions removed %d (%v), want the 2 expired sessions", n, err)
	}
	if len(store.m) != 0 {
		t.Errorf("expired sessions left after the sweep: %d", len(store.m))
	}
}

// TestPasswordChangeEndsOtherSessions: changing one's password keeps the
// session it was changed from and ends the others (another browser, a
// thief's copy); an administrator's SetPassword ends them all; nobody
// else's session is touched.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s, _ := newService(t, NewMemoryStore())
	s.Sessions = NewMemorySessionStore()
	if err := s.SetPassword(ctx, "an", "mật khẩu cũ"); err != nil {
		t.Fatal(err)
	}
	here, _ := s.NewSession(ctx, "an")
	there, _ := s.NewSession(ctx, "an")
	other, _ := s.NewSession(ctx, "binh")
	if err := s.ChangePassword(ctx, here, "mật khẩu mới"); err != nil {
		t.Fatal(err)
	}
	live := func(ss *Session) bool { got, _, _ := s.Session(ctx, ss.ID); return got != nil }
	if !live(here) || live(there) || !live(other) {
		t.Errorf("after ChangePassword: here %v (want true), there %v (want false), binh %v (want true)",
			live(here), live(there), live(other))
	}
	if _, err := s.CheckPassword(ctx, "an", "mật khẩu mới", "10.0.0.1"); err != nil {
		t.Errorf("new password refused: %v", err)
	}
	if err := s.SetPassword(ctx, "an", "mật khẩu khác"); err != nil {
		t.Fatal(err)
	}
	if live(here) || !live(other) {
		t.Errorf("after SetPassword: an's session live %v (want false), binh's %v (want true)", live(here), live(other))
	}
}

// TestSessionStoreHoldsNoSecret: neither the cookie value nor the CSRF
// token appears in what the store keeps, so a leaked copy of it opens no
// session and forges no form.
func TestSessionStoreHoldsNoSecret(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := NewMemorySessionStore()
	s, _ := newService(t, NewMemoryStore())
	s.Sessions = store
	ss, err := s.NewSession(ctx, "an")
	if err != nil {
		t.Fatal(err)
	}
	dump, _ := json.Marshal(store.m)
	for what, secret := range map[string]string{"session id": ss.ID, "CSRF token": ss.CSRF} {
		if strings.Contains(string(dump), secret) {
			t.Errorf("the %s is stored in clear: %s", what, dump)
		}
	}
	// The stored key is not a cookie that works.
	for key := range store.m {
		if got, _, _ := s.Session(ctx, key); got != nil {
			t.Error("the stored id hash works as a cookie")
		}
	}
}

// TestServiceUsesTheCredentialStoresSessions: with no Sessions given, a
// credential store that also keeps sessions (mongostore) keeps them, so
// "motcua users passwd" on MongoDB ends the sessions serve opened.
func TestServiceUsesTheCredentialStoresSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	both := struct {
		*MemoryStore
		*MemorySessionStore
	}{NewMemoryStore(), NewMemorySessionStore()}
	srv, _ := newService(t, both)
	cli, _ := newService(t, both)
	ss, err := srv.NewSession(ctx, "an")
	if err != nil {
		t.Fatal(err)
	}
	if err := cli.SetPassword(ctx, "an", "mật khẩu mới"); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := srv.Session(ctx, ss.ID); got != nil {
		t.Error("a password set by another process over the same store left the session live")
	}
}
