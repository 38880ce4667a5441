package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/motcua/motcua/engine"
)

// MinPasswordLength is the shortest password SetPassword accepts.
const MinPasswordLength = 8

// Service signs people in: passwords, API tokens and web sessions. It is
// safe for concurrent use.
type Service struct {
	Store     CredentialStore
	Directory *engine.Directory
	// Now is the clock; tests replace it.
	Now func() time.Time
	// Cost is the bcrypt cost; 0 means bcrypt.DefaultCost. Tests lower it.
	Cost int
	// Limiter rate-limits failed sign-ins; nil means 5 failures per 15
	// minutes per person and per address.
	Limiter *Limiter
	// SessionTTL is how long a session lasts without use (default 8h,
	// one working day).
	SessionTTL time.Duration

	once     sync.Once
	mu       sync.Mutex
	sessions map[string]*Session
	// dummy is a hash compared against when the person is unknown, so
	// that a sign-in takes as long whether or not the person exists.
	dummy []byte
}

// Session is a signed-in web session.
type Session struct {
	ID     string
	Person string
	// CSRF is the token every form posted in this session must carry.
	CSRF      string
	CreatedAt time.Time
	LastSeen  time.Time
}

func (s *Service) init() {
	s.once.Do(func() {
		s.sessions = map[string]*Session{}
		if s.Limiter == nil {
			s.Limiter = NewLimiter(5, 15*time.Minute)
		}
		s.dummy, _ = bcrypt.GenerateFromPassword([]byte("motcua-dummy-password"), s.cost())
	})
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

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

// SetPassword sets person's password. The person must be in the directory.
func (s *Service) SetPassword(ctx context.Context, person, password string) error {
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
	c.PasswordHash = string(h)
	c.UpdatedAt = s.now().UTC()
	return s.Store.PutCredential(ctx, c)
}

// HasPassword reports whether person has a password set.
func (s *Service) HasPassword(ctx context.Context, person string) bool {
	c, err := s.Store.Credential(ctx, person)
	return err == nil && c.PasswordHash != ""
}

// CheckPassword verifies a sign-in from the client address ip. Failures
// are counted per person and per address; past the limit every attempt
// is refused with *RateLimitedError, right password or not, until the
// window moves on.
func (s *Service) CheckPassword(ctx context.Context, person, password, ip string) (*engine.Person, error) {
	s.init()
	now := s.now()
	kp, ki := "person:"+person, "ip:"+ip
	if w := max(s.Limiter.Wait(kp, now), s.Limiter.Wait(ki, now)); w > 0 {
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
		s.Limiter.Fail(ki, now)
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

// NewToken issues an API token for person and returns it in clear: the
// only time it is ever shown.
func (s *Service) NewToken(ctx context.Context, person, name string) (string, error) {
	s.init()
	if _, ok := s.Directory.Person(person); !ok {
		return "", &engine.NotFoundError{What: "person", ID: person}
	}
	c, err := s.credential(ctx, person)
	if err != nil {
		return "", err
	}
	idb := make([]byte, 6)
	if _, err := rand.Read(idb); err != nil {
		return "", err
	}
	id := hex.EncodeToString(idb)
	secret := randomString(24)
	c.Tokens = append(c.Tokens, Token{ID: id, Hash: hashSecret(secret), Name: name, CreatedAt: s.now().UTC()})
	c.UpdatedAt = s.now().UTC()
	if err := s.Store.PutCredential(ctx, c); err != nil {
		return "", err
	}
	// The person id is part of the token so that lookup is one read.
	return tokenPrefix + person + "." + id + "." + secret, nil
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
	s.init()
	rest, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok {
		return nil, &InvalidCredentialsError{}
	}
	// person.id.secret: the id is hex and the secret base64url, neither
	// holds a dot, so splitting from the right is unambiguous.
	i := strings.LastIndexByte(rest, '.')
	if i < 0 {
		return nil, &InvalidCredentialsError{}
	}
	head, secret := rest[:i], rest[i+1:]
	j := strings.LastIndexByte(head, '.')
	if j < 0 {
		return nil, &InvalidCredentialsError{}
	}
	person, id := head[:j], head[j+1:]
	p, ok := s.person(person)
	if !ok {
		return nil, &InvalidCredentialsError{}
	}
	c, err := s.Store.Credential(ctx, person)
	if err != nil {
		if engine.ErrorCode(err) == engine.ENOTFOUND {
			return nil, &InvalidCredentialsError{}
		}
		return nil, err
	}
	want := hashSecret(secret)
	for _, t := range c.Tokens {
		if t.ID == id && subtle.ConstantTimeCompare([]byte(t.Hash), []byte(want)) == 1 {
			return p, nil
		}
	}
	return nil, &InvalidCredentialsError{}
}

// NewSession starts a web session for person.
func (s *Service) NewSession(person string) *Session {
	s.init()
	now := s.now()
	ss := &Session{ID: randomString(32), Person: person, CSRF: randomString(32), CreatedAt: now, LastSeen: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	s.sessions[ss.ID] = ss
	c := *ss
	return &c
}

// sweepLocked drops expired sessions; called on every new session so the
// table stays bounded by the sessions of one TTL.
func (s *Service) sweepLocked(now time.Time) {
	for id, ss := range s.sessions {
		if now.Sub(ss.LastSeen) > s.ttl() {
			delete(s.sessions, id)
		}
	}
}

// Session returns the live session id and the active person behind it,
// extending its life.
func (s *Service) Session(id string) (*Session, *engine.Person, bool) {
	s.init()
	now := s.now()
	s.mu.Lock()
	ss, ok := s.sessions[id]
	if ok && now.Sub(ss.LastSeen) > s.ttl() {
		delete(s.sessions, id)
		ok = false
	}
	if ok {
		ss.LastSeen = now
	}
	var c Session
	if ok {
		c = *ss
	}
	s.mu.Unlock()
	if !ok {
		return nil, nil, false
	}
	p, active := s.person(c.Person)
	if !active {
		return nil, nil, false
	}
	return &c, p, true
}

// EndSession signs a session out.
func (s *Service) EndSession(id string) {
	s.init()
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
}

// CheckCSRF reports whether token is the session's CSRF token.
func CheckCSRF(ss *Session, token string) bool {
	return ss != nil && token != "" && subtle.ConstantTimeCompare([]byte(ss.CSRF), []byte(token)) == 1
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
