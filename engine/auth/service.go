package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/motcua/motcua/engine"
)

// MinPasswordLength is the shortest password SetPassword accepts.
const MinPasswordLength = 8

// Service signs people in: passwords, API tokens and web sessions. It is
// safe for concurrent use, and keeps no session of its own: several
// Services (several processes) over one SessionStore share sessions.
type Service struct {
	Store CredentialStore
	// Sessions keeps the web sessions. Nil means Store's own when Store
	// is also an engine.SessionStore (mongostore is: then "motcua users
	// passwd" on MongoDB ends the sessions serve keeps there too), else
	// a MemorySessionStore of this Service.
	Sessions  engine.SessionStore
	Directory *engine.Directory
	// Now is the clock (nil: the system clock); tests replace it.
	Now engine.Clock
	// Cost is the bcrypt cost; 0 means bcrypt.DefaultCost. Tests lower it.
	Cost int
	// Limiter slows down failed sign-ins of one person from one address;
	// nil means three free failures, then waits from one second doubling
	// up to fifteen minutes, forgotten after fifteen quiet minutes.
	Limiter *Limiter
	// AddressLimiter slows down failed sign-ins from one address whoever
	// they name; nil means twenty free failures (an office shares one
	// address), then the same growing waits, forgotten after an hour.
	AddressLimiter *Limiter
	// SessionTTL is the idle timeout: how long a session lasts without
	// use (default 8h, one working day).
	SessionTTL time.Duration
	// SessionLifetime is the absolute lifetime of a session however much
	// it is used (default 12h): a stolen cookie kept busy still dies, and
	// an officer signs in once a working day.
	SessionLifetime time.Duration
	// TokenTTL is the lifetime of a new API token when none is asked for
	// (default DefaultTokenTTL); TokenMaxTTL the longest allowed, also
	// applied to tokens already issued (default MaxTokenTTL).
	TokenTTL, TokenMaxTTL time.Duration

	once     sync.Once
	sessions engine.SessionStore
	// lastSweep is when NewSession last swept expired sessions.
	sweepMu   sync.Mutex
	lastSweep time.Time
	// dummy is a hash compared against when the person is unknown, so
	// that a sign-in takes as long whether or not the person exists.
	dummy []byte
}

// Session is a signed-in web session as the HTTP layer sees it: the
// store keeps only hashes, the clear id comes from the cookie.
type Session struct {
	ID     string
	Person string
	// CSRF is the token every form posted in this session must carry.
	// It is derived from ID (csrfToken), so that any process holding the
	// cookie can print it while the store keeps only its hash.
	CSRF      string
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time
	// csrfHash is the stored hash CheckCSRF compares against.
	csrfHash string
}

// touchEvery is how stale LastSeen may get before a request writes it
// again: one write per session per minute instead of one per request.
// The idle timeout is counted from the last write, so a session may end
// up to this much early, never late.
const touchEvery = time.Minute

// sweepEvery spaces the sweeps NewSession makes of expired sessions.
const sweepEvery = 10 * time.Minute

func (s *Service) init() {
	s.once.Do(func() {
		s.sessions = s.Sessions
		if s.sessions == nil {
			if ss, ok := s.Store.(engine.SessionStore); ok {
				s.sessions = ss
			} else {
				s.sessions = NewMemorySessionStore()
			}
		}
		if s.Limiter == nil {
			s.Limiter = NewLimiter(3, time.Second, 15*time.Minute, 15*time.Minute)
		}
		if s.AddressLimiter == nil {
			s.AddressLimiter = NewLimiter(20, time.Second, 15*time.Minute, time.Hour)
		}
		s.dummy, _ = bcrypt.GenerateFromPassword([]byte("motcua-dummy-password"), s.cost())
	})
}

func (s *Service) now() time.Time { return s.Now.Time() }

func (s *Service) cost() int {
	if s.Cost > 0 {
		return s.Cost
	}
	return bcrypt.DefaultCost
}

func (s *Service) ttl() time.Duration {
	if s.SessionTTL > 0 {
		return s.SessionTTL
	}
	return 8 * time.Hour
}

func (s *Service) lifetime() time.Duration {
	if s.SessionLifetime > 0 {
		return s.SessionLifetime
	}
	return 12 * time.Hour
}

// expiry is when a session created at created and used at now ends: the
// idle timeout after now, capped by the absolute lifetime.
func (s *Service) expiry(created, now time.Time) time.Time {
	e := now.Add(s.ttl())
	if l := created.Add(s.lifetime()); l.Before(e) {
		e = l
	}
	return e
}

// instant is s.now() as stores keep it: UTC, to the millisecond, so that
// every store compares the same instants.
func (s *Service) instant() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

// person returns the active directory person with id.
func (s *Service) person(id string) (*engine.Person, bool) {
	p, ok := s.Directory.Person(id)
	if !ok || !p.Active {
		return nil, false
	}
	return p, true
}

func (s *Service) credential(ctx context.Context, person string) (Credential, error) {
	c, err := s.Store.Credential(ctx, person)
	if engine.ErrorCode(err) == engine.ENOTFOUND {
		return Credential{Person: person}, nil
	}
	return c, err
}

// SetPassword sets person's password and ends every session of theirs:
// whoever knew the old password (or held a session opened with it) is
// signed out everywhere. The person must be in the directory.
func (s *Service) SetPassword(ctx context.Context, person, password string) error {
	return s.setPassword(ctx, person, password, "")
}

// ChangePassword sets the password of the person signed in with ss and
// ends their other sessions, keeping ss: the person changing it stays
// signed in, a session someone else opened with the old password ends.
func (s *Service) ChangePassword(ctx context.Context, ss *Session, password string) error {
	if ss == nil {
		return &InvalidCredentialsError{}
	}
	return s.setPassword(ctx, ss.Person, password, hashSecret(ss.ID))
}

// setPassword sets person's password, then ends their sessions but the
// one keyed keep (an id hash; empty: all).
func (s *Service) setPassword(ctx context.Context, person, password, keep string) error {
	s.init()
	if _, ok := s.Directory.Person(person); !ok {
		return &engine.NotFoundError{What: "person", ID: person}
	}
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return &WeakPasswordError{Min: MinPasswordLength}
	}
	if len(password) > 72 {
		// bcrypt reads 72 bytes; a longer password would silently match
		// any password sharing its first 72 bytes.
		return &engine.InvalidInputError{Field: "password", Reason: "longer than 72 bytes"}
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), s.cost())
	if err != nil {
		return err
	}
	c, err := s.credential(ctx, person)
	if err != nil {
		return err
	}
	now := s.instant()
	c.PasswordHash = string(h)
	c.UpdatedAt = now
	// Sessions are ended twice: deleted below from the store this
	// Service sees, and refused from now on wherever they are kept (the
	// store of a serve this command does not share, say).
	c.SessionsValidFrom, c.KeepSession = now, keep
	c.Tokens = dropSessionTokens(c.Tokens)
	if err := s.Store.PutCredential(ctx, c); err != nil {
		return err
	}
	if _, err := s.sessions.DeletePersonSessions(ctx, person, keep); err != nil {
		return fmt.Errorf("password of %s set, but its other sessions were not ended: %w", person, err)
	}
	return nil
}

// HasPassword reports whether person has a password set.
func (s *Service) HasPassword(ctx context.Context, person string) bool {
	c, err := s.Store.Credential(ctx, person)
	return err == nil && c.PasswordHash != ""
}

// MaxPersonIDLength is the longest person id a sign-in looks up: longer
// names are refused before they reach a limiter or a store.
const MaxPersonIDLength = 64

// CheckPassword verifies a sign-in from the client address ip. Failures
// slow down that person at that address, and that address for anyone,
// with growing waits (*RateLimitedError) instead of a lock, so nobody
// can lock another person out by failing in their name.
func (s *Service) CheckPassword(ctx context.Context, person, password, ip string) (*engine.Person, error) {
	s.init()
	now := s.now()
	ki := "ip:" + ip
	if len(person) > MaxPersonIDLength {
		// Still pay the hash, so length does not tell a stranger anything.
		_ = bcrypt.CompareHashAndPassword(s.dummy, []byte(password))
		s.AddressLimiter.Fail(ki, now)
		return nil, &InvalidCredentialsError{}
	}
	kp := "person@ip:" + person + "\x00" + ip
	if w := max(s.Limiter.Wait(kp, now), s.AddressLimiter.Wait(ki, now)); w > 0 {
		return nil, &RateLimitedError{RetryAfter: w}
	}
	p, ok := s.person(person)
	hash := s.dummy
	if ok {
		c, err := s.Store.Credential(ctx, person)
		if err != nil && engine.ErrorCode(err) != engine.ENOTFOUND {
			return nil, err
		}
		if c.PasswordHash != "" {
			hash = []byte(c.PasswordHash)
		} else {
			ok = false
		}
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || !ok {
		s.Limiter.Fail(kp, now)
		s.AddressLimiter.Fail(ki, now)
		return nil, &InvalidCredentialsError{}
	}
	s.Limiter.Reset(kp)
	return p, nil
}

// tokenPrefix marks motcua API tokens so that leaked ones are easy to
// find with secret scanners.
const tokenPrefix = "mct_"

func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error()) // crypto/rand never fails on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// csrfToken derives a session's CSRF token from its id: a one-way hash
// under its own label, so the token (printed in every form) does not give
// the id, differs from the id's stored hash, and any process holding the
// cookie can print it while the store keeps only its hash.
func csrfToken(id string) string {
	h := sha256.Sum256([]byte("motcua csrf v1\x00" + id))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// NewSession starts a web session for person. The returned ID goes into
// the cookie and nowhere else: the store keeps its SHA-256.
func (s *Service) NewSession(ctx context.Context, person string) (*Session, error) {
	s.init()
	now := s.instant()
	id := randomString(32)
	csrf := csrfToken(id)
	ws := engine.WebSession{IDHash: hashSecret(id), Person: person, CSRFHash: hashSecret(csrf),
		CreatedAt: now, LastSeen: now, ExpiresAt: s.expiry(now, now)}
	if err := s.sessions.CreateSession(ctx, ws); err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	s.maybeSweep(ctx, now)
	return sessionOf(id, ws), nil
}

func sessionOf(id string, ws engine.WebSession) *Session {
	return &Session{ID: id, Person: ws.Person, CSRF: csrfToken(id), CreatedAt: ws.CreatedAt,
		LastSeen: ws.LastSeen, ExpiresAt: ws.ExpiresAt, csrfHash: ws.CSRFHash}
}

// maybeSweep removes expired sessions at most once per sweepEvery, so
// that a store is kept bounded by sign-ins even where no periodic sweep
// runs. A failure only leaves expired sessions for the next sweep (they
// are refused on read anyway), so it does not fail the sign-in.
func (s *Service) maybeSweep(ctx context.Context, now time.Time) {
	s.sweepMu.Lock()
	due := now.Sub(s.lastSweep) >= sweepEvery
	if due {
		s.lastSweep = now
	}
	s.sweepMu.Unlock()
	if due {
		_, _ = s.sessions.DeleteExpiredSessions(ctx, now)
	}
}

// SweepSessions removes the sessions expired now and returns how many:
// one iteration of RunSessionSweeps, which tests call directly.
func (s *Service) SweepSessions(ctx context.Context) (int, error) {
	s.init()
	return s.sessions.DeleteExpiredSessions(ctx, s.instant())
}

// RunSessionSweeps sweeps expired sessions every interval until ctx ends
// (expiry is checked on every read; the sweep only keeps the store
// small, since FerretDB has no TTL index to do it). Errors go to onError
// when it is not nil; the loop goes on.
func (s *Service) RunSessionSweeps(ctx context.Context, every time.Duration, onError func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.SweepSessions(ctx); err != nil && onError != nil && ctx.Err() == nil {
				onError(err)
			}
			s.SweepLimiters()
		}
	}
}

// SweepLimiters drops the sign-in limiters' forgotten keys, so memory
// falls back after a flood of failures; RunSessionSweeps calls it.
func (s *Service) SweepLimiters() {
	s.init()
	now := s.now()
	s.Limiter.Sweep(now)
	s.AddressLimiter.Sweep(now)
}

// Session returns the live session behind the cookie value id and the
// active person it belongs to, extending its idle timeout (within its
// absolute lifetime). A missing, expired or ended session, or one of a
// person no longer active, is (nil, nil, nil); an error is the store's.
func (s *Service) Session(ctx context.Context, id string) (*Session, *engine.Person, error) {
	s.init()
	if id == "" {
		return nil, nil, nil
	}
	now := s.instant()
	h := hashSecret(id)
	ws, err := s.sessions.GetSession(ctx, h, now)
	if engine.ErrorCode(err) == engine.ENOTFOUND {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("session: %w", err)
	}
	p, active := s.person(ws.Person)
	if !active {
		return nil, nil, nil
	}
	if c, err := s.Store.Credential(ctx, ws.Person); err == nil {
		if ws.CreatedAt.Before(c.SessionsValidFrom) && ws.IDHash != c.KeepSession {
			// Opened with a password changed since: end it here too.
			_ = s.sessions.DeleteSession(ctx, h)
			return nil, nil, nil
		}
	} else if engine.ErrorCode(err) != engine.ENOTFOUND {
		return nil, nil, fmt.Errorf("session: %w", err)
	}
	if now.Sub(ws.LastSeen) >= touchEvery {
		exp := s.expiry(ws.CreatedAt, now)
		err := s.sessions.TouchSession(ctx, h, now, exp)
		if engine.ErrorCode(err) == engine.ENOTFOUND {
			return nil, nil, nil // ended by another request meanwhile
		}
		if err != nil {
			return nil, nil, fmt.Errorf("session: %w", err)
		}
		ws.LastSeen, ws.ExpiresAt = now, exp
	}
	return sessionOf(id, ws), p, nil
}

// EndSession signs the session behind the cookie value id out, in every
// process sharing the store.
func (s *Service) EndSession(ctx context.Context, id string) error {
	s.init()
	if id == "" {
		return nil
	}
	return s.sessions.DeleteSession(ctx, hashSecret(id))
}

// CheckCSRF reports whether token is the session's CSRF token, comparing
// its hash with the stored one in constant time.
func CheckCSRF(ss *Session, token string) bool {
	if ss == nil || token == "" || ss.csrfHash == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(ss.csrfHash), []byte(hashSecret(token))) == 1
}

// RandomToken returns a fresh random URL-safe string (for the sign-in
// form's CSRF cookie and similar one-off secrets).
func RandomToken() string { return randomString(24) }

// UserInfo describes one directory person's sign-in status.
type UserInfo struct {
	Person      *engine.Person
	HasPassword bool
	Tokens      int
}

// Users lists every directory person with their sign-in status.
func (s *Service) Users(ctx context.Context) ([]UserInfo, error) {
	var out []UserInfo
	for _, p := range s.Directory.People() {
		c, err := s.Store.Credential(ctx, p.ID)
		if err != nil && engine.ErrorCode(err) != engine.ENOTFOUND {
			return nil, fmt.Errorf("credentials of %s: %w", p.ID, err)
		}
		out = append(out, UserInfo{Person: p, HasPassword: c.PasswordHash != "", Tokens: len(c.Tokens)})
	}
	return out, nil
}
