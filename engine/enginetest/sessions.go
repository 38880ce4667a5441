package enginetest

import (
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// RunSessionSuite runs the engine.SessionStore contract against fresh,
// empty stores made by newStore (one per test): the in-memory store of
// engine/auth, the SQLite and the MongoDB stores pass the same tests, so
// sign-in behaves alike whichever keeps the sessions.
func RunSessionSuite(t *testing.T, newStore func(t *testing.T) engine.SessionStore) {
	t.Helper()
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, s engine.SessionStore)
	}{
		{"CreateSession/RoundTripKeepsEveryField", testSessionRoundTrip},
		{"CreateSession/ExistingIDHashIsDuplicate", testSessionDuplicate},
		{"GetSession/MissingIsNotFound", testSessionMissing},
		{"GetSession/ExpiredAtItsExpiryInstant", testSessionExpiry},
		{"TouchSession/ExtendsALiveSession", testSessionTouch},
		{"TouchSession/NeverRevivesAnExpiredOrMissingOne", testSessionTouchExpired},
		{"DeleteSession/EndsItAndTwiceIsHarmless", testSessionDelete},
		{"DeletePersonSessions/AllOfThePersonButTheOneKept", testSessionDeletePerson},
		{"DeleteExpiredSessions/OnlyThoseExpiredAtNow", testSessionSweep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, newStore(t))
		})
	}
}

// webSession is a session created at base+min minutes, idle for an hour
// at most, instants in UTC at millisecond precision (what MongoDB keeps).
func webSession(idHash, person string, min int) engine.WebSession {
	at := base.Add(time.Duration(min) * time.Minute)
	return engine.WebSession{IDHash: idHash, Person: person, CSRFHash: "csrf-of-" + idHash,
		CreatedAt: at, LastSeen: at, ExpiresAt: at.Add(time.Hour)}
}

func sameSession(a, b engine.WebSession) bool {
	return a.IDHash == b.IDHash && a.Person == b.Person && a.CSRFHash == b.CSRFHash &&
		a.CreatedAt.Equal(b.CreatedAt) && a.LastSeen.Equal(b.LastSeen) && a.ExpiresAt.Equal(b.ExpiresAt)
}

func mustCreateSession(t *testing.T, s engine.SessionStore, ws engine.WebSession) {
	t.Helper()
	if err := s.CreateSession(t.Context(), ws); err != nil {
		t.Fatalf("CreateSession %s: %v", ws.IDHash, err)
	}
}

func isNotFound(err error) bool {
	var nf *engine.NotFoundError
	return errors.As(err, &nf) && engine.ErrorCode(err) == engine.ENOTFOUND
}

// live reports whether idHash is a live session at `at`, failing on any
// error other than not found.
func live(t *testing.T, s engine.SessionStore, idHash string, at time.Time) bool {
	t.Helper()
	_, err := s.GetSession(t.Context(), idHash, at)
	if err != nil && !isNotFound(err) {
		t.Fatalf("GetSession %s: %v", idHash, err)
	}
	return err == nil
}

func testSessionRoundTrip(t *testing.T, s engine.SessionStore) {
	want := webSession("aa01", "ngo-thi-mai", 0)
	want.LastSeen = want.LastSeen.Add(7 * time.Millisecond)
	mustCreateSession(t, s, want)
	got, err := s.GetSession(t.Context(), want.IDHash, want.CreatedAt)
	if err != nil {
		t.Fatal(err)
	}
	if !sameSession(got, want) {
		t.Errorf("round trip: got %+v, want %+v", got, want)
	}
}

func testSessionDuplicate(t *testing.T, s engine.SessionStore) {
	first := webSession("aa01", "an", 0)
	mustCreateSession(t, s, first)
	err := s.CreateSession(t.Context(), webSession("aa01", "binh", 5))
	var dup *engine.DuplicateError
	if !errors.As(err, &dup) {
		t.Errorf("second CreateSession of one id hash: got %v, want a *DuplicateError", err)
	}
	if got, err := s.GetSession(t.Context(), "aa01", base); err != nil || !sameSession(got, first) {
		t.Errorf("a refused duplicate changed the stored session: %+v (%v)", got, err)
	}
}

func testSessionMissing(t *testing.T, s engine.SessionStore) {
	mustCreateSession(t, s, webSession("aa01", "an", 0))
	if _, err := s.GetSession(t.Context(), "bb02", base); !isNotFound(err) {
		t.Errorf("GetSession of an unknown id hash: got %v, want a *NotFoundError (ENOTFOUND)", err)
	}
}

func testSessionExpiry(t *testing.T, s engine.SessionStore) {
	ws := webSession("aa01", "an", 0)
	mustCreateSession(t, s, ws)
	for _, c := range []struct {
		rule string
		at   time.Time
		want bool
	}{
		{"live a millisecond before its expiry", ws.ExpiresAt.Add(-time.Millisecond), true},
		{"expired at its expiry instant", ws.ExpiresAt, false},
		{"expired after it", ws.ExpiresAt.Add(time.Hour), false},
	} {
		if got := live(t, s, ws.IDHash, c.at); got != c.want {
			t.Errorf("%s: live = %v, want %v", c.rule, got, c.want)
		}
	}
}

func testSessionTouch(t *testing.T, s engine.SessionStore) {
	ws := webSession("aa01", "an", 0)
	mustCreateSession(t, s, ws)
	use := ws.CreatedAt.Add(50 * time.Minute)
	if err := s.TouchSession(t.Context(), ws.IDHash, use, use.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetSession(t.Context(), ws.IDHash, ws.ExpiresAt.Add(time.Minute))
	if err != nil {
		t.Fatalf("a touched session expired at its old expiry: %v", err)
	}
	want := ws
	want.LastSeen, want.ExpiresAt = use, use.Add(time.Hour)
	if !sameSession(got, want) {
		t.Errorf("after TouchSession: got %+v, want %+v", got, want)
	}
}

func testSessionTouchExpired(t *testing.T, s engine.SessionStore) {
	ws := webSession("aa01", "an", 0)
	mustCreateSession(t, s, ws)
	if err := s.TouchSession(t.Context(), ws.IDHash, ws.ExpiresAt, ws.ExpiresAt.Add(time.Hour)); !isNotFound(err) {
		t.Errorf("TouchSession at the expiry instant: got %v, want a *NotFoundError", err)
	}
	if live(t, s, ws.IDHash, ws.ExpiresAt.Add(time.Minute)) {
		t.Error("a touch of an expired session revived it")
	}
	if err := s.TouchSession(t.Context(), "bb02", base, base.Add(time.Hour)); !isNotFound(err) {
		t.Errorf("TouchSession of an unknown id hash: got %v, want a *NotFoundError", err)
	}
	if live(t, s, "bb02", base) {
		t.Error("a touch of an unknown id hash created a session")
	}
}

func testSessionDelete(t *testing.T, s engine.SessionStore) {
	mustCreateSession(t, s, webSession("aa01", "an", 0))
	mustCreateSession(t, s, webSession("bb02", "an", 0))
	for range 2 {
		if err := s.DeleteSession(t.Context(), "aa01"); err != nil {
			t.Fatalf("DeleteSession: %v", err)
		}
	}
	if live(t, s, "aa01", base) {
		t.Error("a deleted session is still live")
	}
	if !live(t, s, "bb02", base) {
		t.Error("deleting one session ended another of the same person")
	}
}

func testSessionDeletePerson(t *testing.T, s engine.SessionStore) {
	for _, ws := range []engine.WebSession{
		webSession("an-1", "an", 0), webSession("an-2", "an", 1), webSession("an-3", "an", 2),
		webSession("binh-1", "binh", 0),
	} {
		mustCreateSession(t, s, ws)
	}
	n, err := s.DeletePersonSessions(t.Context(), "an", "an-2")
	if err != nil || n != 2 {
		t.Errorf("DeletePersonSessions keeping one of three: removed %d (%v), want 2", n, err)
	}
	at := base.Add(5 * time.Minute)
	for id, want := range map[string]bool{"an-1": false, "an-2": true, "an-3": false, "binh-1": true} {
		if got := live(t, s, id, at); got != want {
			t.Errorf("after ending an's other sessions, %s live = %v, want %v", id, got, want)
		}
	}
	n, err = s.DeletePersonSessions(t.Context(), "an", "")
	if err != nil || n != 1 || live(t, s, "an-2", at) {
		t.Errorf("DeletePersonSessions keeping none: removed %d (%v), want 1 and none left", n, err)
	}
}

func testSessionSweep(t *testing.T, s engine.SessionStore) {
	// Expiring at base+60, +61, +62 and +90 minutes.
	for _, ws := range []engine.WebSession{
		webSession("e60", "an", 0), webSession("e61", "an", 1), webSession("e62", "binh", 2), webSession("e90", "binh", 30),
	} {
		mustCreateSession(t, s, ws)
	}
	now := base.Add(61 * time.Minute)
	n, err := s.DeleteExpiredSessions(t.Context(), now)
	if err != nil || n != 2 {
		t.Errorf("DeleteExpiredSessions at +61 min: removed %d (%v), want 2 (one past, one at its expiry)", n, err)
	}
	// Read back at an instant where all four would be live, so that only
	// the sweep decides.
	for id, want := range map[string]bool{"e60": false, "e61": false, "e62": true, "e90": true} {
		if got := live(t, s, id, base); got != want {
			t.Errorf("after the sweep, %s present = %v, want %v", id, got, want)
		}
	}
	if n, err := s.DeleteExpiredSessions(t.Context(), now); err != nil || n != 0 {
		t.Errorf("a second sweep at the same instant removed %d (%v), want 0", n, err)
	}
}
