package engine

import (
	"context"
	"fmt"
	"time"
)

// Store keeps dossiers, their history and the notification outbox. Every
// implementation passes the conformance suite in engine/enginetest.
//
// Errors: a missing record is a *NotFoundError (ErrorCode ENOTFOUND); a
// write against a stale version is a *ConflictError (ECONFLICT); an
// insert of an existing code or reception key is a *DuplicateError.
type Store interface {
	// NextSequence returns the next number (1, 2, …) of the daily series
	// of unit on day (YYMMDD). Numbers are never handed out twice for the
	// same series, also under concurrent callers.
	NextSequence(ctx context.Context, unit, day string) (int, error)

	// Insert stores a new dossier at version 1 together with its first
	// history row and notifications (d.History, outbox).
	Insert(ctx context.Context, d *Dossier, outbox []Notification) error

	// Get returns the dossier with code.
	Get(ctx context.Context, code string) (*Dossier, error)

	// GetByReceiveKey returns the dossier received with the idempotency key.
	GetByReceiveKey(ctx context.Context, key string) (*Dossier, error)

	// Apply writes a transition in one atomic step: the new dossier
	// (d.Version must be prev+1), whose History ends with the new row,
	// and the notifications decided with it, provided the stored version
	// is still prev. Otherwise it returns a *ConflictError and writes
	// nothing.
	Apply(ctx context.Context, d *Dossier, prev int64, outbox []Notification) error

	// List returns dossiers matching q, ordered as q says, one page.
	List(ctx context.Context, q Query) ([]*Dossier, error)

	// Scan calls fn for every dossier matching q, streaming (reports).
	Scan(ctx context.Context, q Query, fn func(*Dossier) error) error

	// DueForCheck returns open dossiers whose NextCheckAt is at or before
	// at, ordered by (NextCheckAt, Code), starting after the cursor
	// (zero values: from the start), at most limit of them.
	DueForCheck(ctx context.Context, at time.Time, after Cursor, limit int) ([]*Dossier, error)

	// AddNotification stores a notification not tied to a transition
	// (digests). It returns false, without error, when one with the same
	// ID exists: the ID is the at-most-once key.
	AddNotification(ctx context.Context, n Notification) (bool, error)

	// PendingNotifications returns up to limit notifications with status
	// pending and NextAttempt at or before now, oldest first.
	PendingNotifications(ctx context.Context, now time.Time, limit int) ([]Notification, error)

	// UpdateNotification records a delivery attempt (status, attempts,
	// next attempt, sent time, last error) of the notification n.ID.
	UpdateNotification(ctx context.Context, n Notification) error

	// Notifications lists notifications, newest first, optionally of one
	// dossier (empty: all), at most limit.
	Notifications(ctx context.Context, dossier string, limit int) ([]Notification, error)

	// AcquireLease takes or renews the named lease for holder until the
	// given instant, if it is free, expired at now, or already held by
	// holder. It reports whether holder has it.
	AcquireLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error)

	// Close releases the store's resources.
	Close() error
}

// Cursor is a position in the DueForCheck order.
type Cursor struct {
	At   time.Time
	Code string
}

// Query selects dossiers. Zero fields do not filter.
type Query struct {
	Units     []string // responsible unit in
	State     string
	Procedure string
	Kind      Kind
	Status    []Status // status in
	// Overdue selects unfinished dossiers whose due instant is before Now.
	Overdue bool
	Now     time.Time
	// Text matches the code or the applicant's name (case-insensitive).
	Text string
	// ReceivedFrom/To select by reception instant [From, To).
	ReceivedFrom, ReceivedTo time.Time
	// FinishedFrom/To select dossiers finished in [From, To): FinishedAt
	// set, at or after From, before To. Either bound alone filters on
	// that side only, and a dossier not finished never matches: "finished
	// yesterday" (a head's digest) or "finished in the quarter" (reports)
	// read the dossiers finished then, not every dossier ever received.
	FinishedFrom, FinishedTo time.Time
	// OpenAt selects dossiers not finished before OpenAt: FinishedAt nil,
	// or at or after OpenAt. With ReceivedTo = OpenAt it is "still open at
	// the start of a period" (a report's carried-over dossiers): received
	// before the instant and not finished by then.
	OpenAt time.Time
	// OrderByDue orders by due instant (nil last) then code; otherwise by
	// code.
	OrderByDue bool
	Offset     int
	Limit      int // 0: no limit
}

// DuplicateError reports an insert of an existing dossier code or
// reception key.
type DuplicateError struct {
	Code string
	Key  string
}

func (e *DuplicateError) Error() string {
	if e.Key != "" {
		return "reception key " + e.Key + " already used"
	}
	return "dossier " + e.Code + " already exists"
}

// ErrorCode implements the application error code interface.
func (e *DuplicateError) ErrorCode() Code { return ECONFLICT }

// Credential is what is kept about one person's secrets. It lives here,
// beside Store, so that a store can keep credentials (CredentialStore)
// without importing engine/auth; auth names it auth.Credential.
type Credential struct {
	Person string `json:"person" bson:"_id"`
	// PasswordHash is a bcrypt hash; empty when no password is set.
	PasswordHash string `json:"password_hash,omitempty" bson:"password_hash,omitempty"`
	// Tokens are the person's API tokens, by id.
	Tokens    []Token   `json:"tokens,omitempty" bson:"tokens,omitempty"`
	UpdatedAt time.Time `json:"updated_at" bson:"updated_at"`
	// SessionsValidFrom is when the password last changed: a web session
	// created before it is refused wherever it is kept, so a change made
	// by another process ("motcua users passwd" beside serve) still ends
	// the sessions opened with the old password.
	SessionsValidFrom time.Time `json:"sessions_valid_from,omitzero" bson:"sessions_valid_from,omitempty"`
	// KeepSession is the id hash of the one session the person changed
	// their password from, which survives SessionsValidFrom.
	KeepSession string `json:"keep_session,omitempty" bson:"keep_session,omitempty"`
}

// Token is one API token. Only a hash of its secret is kept.
type Token struct {
	ID string `json:"id" bson:"id"`
	// Hash is the hex SHA-256 of the token's secret part.
	Hash      string    `json:"hash" bson:"hash"`
	Name      string    `json:"name,omitempty" bson:"name,omitempty"`
	CreatedAt time.Time `json:"created_at" bson:"created_at"`
	// ExpiresAt is the first instant the token no longer works; zero
	// (tokens minted before expiry existed) counts as CreatedAt plus the
	// longest lifetime allowed.
	ExpiresAt time.Time `json:"expires_at,omitzero" bson:"expires_at,omitempty"`
	// Issuer is who minted the token when it is not its owner (an admin
	// minting for someone else); actions taken with it record it.
	Issuer string `json:"issuer,omitempty" bson:"issuer,omitempty"`
	// FromSession marks a token minted from a web session with the
	// password: a password change revokes it, since whoever stole the
	// password could have minted it.
	FromSession bool `json:"from_session,omitempty" bson:"from_session,omitempty"`
}

// CredentialStore keeps credentials (auth.CredentialStore is this
// interface). Every implementation passes enginetest.RunCredentialSuite.
//
// Errors: Credential returns a *NotFoundError (ENOTFOUND) for a person
// without credentials.
type CredentialStore interface {
	// Credential returns the person's credential.
	Credential(ctx context.Context, person string) (Credential, error)
	// PutCredential stores c in place of whatever c.Person had: the
	// whole credential is replaced, never merged.
	PutCredential(ctx context.Context, c Credential) error
	// Credentials returns every stored credential, ordered by person.
	Credentials(ctx context.Context) ([]Credential, error)
}

// ProcedureVersion is one published version of a procedure as it was
// first used: the exact source bytes loaded and their SHA-256. Once
// stored it never changes, so that a dossier received under (Code,
// Version) is always decided by the rules it started on (issue 4) even
// after the file moves on to a newer version or disappears.
type ProcedureVersion struct {
	Code    string
	Version int
	// Source is the YAML exactly as it was loaded.
	Source []byte
	// SHA256 is the hex SHA-256 of Source: the hash is over the exact
	// bytes, so any edit (a comment, a space) counts as a change.
	// Strict and simple: an edit that changes nothing legal is still
	// published as a new version.
	SHA256 string
	// FirstSeen is when this version was first registered.
	FirstSeen time.Time
}

// Key returns "code@version", the version's unique key (as
// Procedure.Key).
func (v ProcedureVersion) Key() string { return fmt.Sprintf("%s@%d", v.Code, v.Version) }

// ProcedureStore keeps the published procedure versions. Both stores
// implement it beside Store; every implementation passes
// enginetest.RunProcedureVersionSuite.
//
// Errors: PutProcedureVersion returns a *ProcedureChangedError (ECONFLICT)
// when (code, version) is stored with another hash.
type ProcedureStore interface {
	// PutProcedureVersion records v the first time its (Code, Version)
	// is seen: insert only, the pair a unique key. Putting the same pair
	// again with the same SHA256 is a no-op (the first FirstSeen and
	// Source stay); with another SHA256 it writes nothing and returns a
	// *ProcedureChangedError. Concurrent first puts of one pair store
	// exactly one record.
	PutProcedureVersion(ctx context.Context, v ProcedureVersion) error
	// ProcedureVersions returns every stored version, ordered by code
	// then version.
	ProcedureVersions(ctx context.Context) ([]ProcedureVersion, error)
}

// ProcedureChangedError reports a published procedure version whose
// source differs from the one stored under the same (code, version):
// editing a version in place would change the legal rules under the
// dossiers already received on it, so a change must raise the version.
type ProcedureChangedError struct {
	Code    string
	Version int
	// Stored and Given are the two hashes, for the logs.
	Stored, Given string
}

func (e *ProcedureChangedError) Error() string {
	return fmt.Sprintf("procedure %s version %d is already published with other content (stored sha256 %.12s, given %.12s); raise version for a new revision",
		e.Code, e.Version, e.Stored, e.Given)
}

// ErrorCode implements the application error code interface.
func (e *ProcedureChangedError) ErrorCode() Code { return ECONFLICT }

// WebSession is one signed-in web session as a SessionStore keeps it. The
// session id itself lives only in the person's cookie; the store holds its
// SHA-256, so that a copy of the database (a backup, a leak) gives no
// live session. It lives here, beside Store, so that a store can keep
// sessions without importing engine/auth.
type WebSession struct {
	// IDHash is the hex SHA-256 of the session id: the key.
	IDHash string `json:"id_hash" bson:"_id"`
	Person string `json:"person" bson:"person"`
	// CSRFHash is the hex SHA-256 of the session's CSRF token, which is
	// checked by hash (auth derives the token from the session id, so the
	// pages can print it wherever the cookie comes in).
	CSRFHash  string    `json:"csrf_hash" bson:"csrf_hash"`
	CreatedAt time.Time `json:"created_at" bson:"created_at"`
	LastSeen  time.Time `json:"last_seen" bson:"last_seen"`
	// ExpiresAt is the first instant the session is no longer valid: the
	// earlier of the idle timeout after LastSeen and the absolute
	// lifetime after CreatedAt (auth computes it; stores only compare).
	ExpiresAt time.Time `json:"expires_at" bson:"expires_at"`
}

// SessionStore keeps web sessions, so that several processes serving one
// database share them and a restart signs nobody out. Every
// implementation passes enginetest.RunSessionSuite.
//
// Expiry is checked on every read against the caller's instant, never by
// the database on its own (FerretDB has no TTL indexes), and expired
// sessions are removed by DeleteExpiredSessions, run periodically.
//
// Errors: a missing or expired session is a *NotFoundError (ENOTFOUND).
type SessionStore interface {
	// CreateSession stores a new session. An IDHash already stored is a
	// *DuplicateError and writes nothing.
	CreateSession(ctx context.Context, s WebSession) error
	// GetSession returns the session with idHash if it is live at now
	// (now before ExpiresAt).
	GetSession(ctx context.Context, idHash string, now time.Time) (WebSession, error)
	// TouchSession records a use at lastSeen and moves the expiry to
	// expiresAt, provided the session is still live at lastSeen: an
	// expired session is never revived.
	TouchSession(ctx context.Context, idHash string, lastSeen, expiresAt time.Time) error
	// DeleteSession removes the session (sign-out). Removing one that is
	// not there is not an error: signing out twice is harmless.
	DeleteSession(ctx context.Context, idHash string) error
	// DeletePersonSessions removes every session of person except the
	// one keyed keep (empty: none kept) and returns how many it removed:
	// a password change ends the person's other sessions.
	DeletePersonSessions(ctx context.Context, person, keep string) (int, error)
	// DeleteExpiredSessions removes the sessions expired at now
	// (ExpiresAt at or before now) and returns how many.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}
