package engine

import (
	"context"
	"fmt"
	"time"
)

// Store keeps dossiers, their history and the notification outbox. Every
// implementation passes the conformance suite in engine/enginetest, which
// pins each rule below (one file per area: dossier_insert.go,
// dossier_apply.go, queries.go, outbox.go, …); docs/stores.md lists it.
//
// Rules for every method:
//
//   - Errors are the engine's typed errors. A missing record is a
//     *NotFoundError (ENOTFOUND); a write against a stale version a
//     *ConflictError (ECONFLICT); an insert of a code or reception key
//     already stored a *DuplicateError (ECONFLICT); an argument that
//     breaks this contract (a version that does not follow, a history
//     that does not follow the stored one) an *InvalidInputError
//     (EINVALID). A refused write writes nothing, notifications included.
//   - A store never modifies the dossier or notifications it is given,
//     and never keeps a reference to them.
//   - Instants are kept to the millisecond (truncated) and come back in
//     UTC.
//   - None is none: a nil and an empty slice or map are the same value,
//     and either may come back.
//   - Every list has a total order: ties are broken by code or ID, as
//     each method says, so that two stores list the same rows alike.
//   - The stored document is the store's own: renaming a JSON or BSON
//     field of the engine's types changes no stored document.
type Store interface {
	// NextSequence returns the next number (1, 2, …) of the daily series
	// of unit on day (YYMMDD). Numbers are never handed out twice for the
	// same series, also under concurrent callers.
	NextSequence(ctx context.Context, unit, day string) (int, error)

	// Insert stores the new dossier d with its history as given and the
	// notifications of outbox, in one atomic step. d.Version must be 1
	// (otherwise *InvalidInputError). A code already stored, or a
	// reception key (d.ReceiveKey, when not empty) already used, is a
	// *DuplicateError: with Key set when the reception key is taken, even
	// if the code is too (the engine answers a used key with the first
	// reception), and Code set otherwise. Any number of dossiers may have
	// no reception key.
	Insert(ctx context.Context, d *Dossier, outbox []Notification) error

	// Get returns the dossier with code, its reception key included; an
	// unknown code is a *NotFoundError.
	Get(ctx context.Context, code string) (*Dossier, error)

	// GetByReceiveKey returns the dossier received with the idempotency
	// key. An unknown or empty key is a *NotFoundError.
	GetByReceiveKey(ctx context.Context, key string) (*Dossier, error)

	// Apply writes a transition in one atomic step, provided the stored
	// version is still prev: the dossier d at version prev+1, its history
	// the stored rows followed by d's last row (a transition adds exactly
	// one row; the stored rows are kept as stored, whatever d's earlier
	// rows say), and the notifications decided with it. Every other field
	// is written as d has it, except the reception key, which only
	// Insert writes. The cases, checked in this order, each writing
	// nothing:
	//
	//   - d.Version is not prev+1, or d.History is empty:
	//     *InvalidInputError;
	//   - no dossier d.Code: *NotFoundError;
	//   - the stored version is not prev: *ConflictError;
	//   - d.History is not the stored rows plus one: *InvalidInputError.
	Apply(ctx context.Context, d *Dossier, prev int64, outbox []Notification) error

	// ApplyAlarms is the deadline watch's write when it fires alarms
	// without a transition (Check's decision has no history row): it
	// writes d.Fired, d.NextCheckAt and d.UpdatedAt at version prev+1,
	// and the notifications, in one atomic step, provided the stored
	// version is still prev. Every other field of d is ignored: the
	// stored ones stay, and the history gets no row. The cases are
	// Apply's but the last: a version that is not prev+1 is a
	// *InvalidInputError, no dossier a *NotFoundError, a stored version
	// other than prev a *ConflictError, each writing nothing.
	ApplyAlarms(ctx context.Context, d *Dossier, prev int64, outbox []Notification) error

	// List returns one page of the dossiers matching q, in q's order (see
	// Query): by code, or by due instant with ties by code.
	List(ctx context.Context, q Query) ([]*Dossier, error)

	// Scan calls fn for every dossier matching q, streaming (reports), in
	// the order List would return them. An error from fn stops the scan
	// and is returned as is. fn may write through the store.
	Scan(ctx context.Context, q Query, fn func(*Dossier) error) error

	// DueForCheck returns the dossiers not finished whose NextCheckAt is
	// set and at or before at, ordered by (NextCheckAt, Code), starting
	// after the cursor (zero value: from the start), at most limit of
	// them (limit <= 0: all).
	DueForCheck(ctx context.Context, at time.Time, after Cursor, limit int) ([]*Dossier, error)

	// AddNotification stores a notification not tied to a transition
	// (digests). It returns false, without error, when a notification
	// with the same ID is stored, also one written by Insert or Apply:
	// the ID is the at-most-once key, and the stored one is kept.
	AddNotification(ctx context.Context, n Notification) (bool, error)

	// PendingNotifications returns the notifications with status pending
	// and NextAttempt at or before now, ordered by (NextAttempt, ID), at
	// most limit of them (limit <= 0: all).
	PendingNotifications(ctx context.Context, now time.Time, limit int) ([]Notification, error)

	// NotificationsOfKind returns one dossier's notifications of one
	// kind, in no particular order: all of them, or with pendingOnly those
	// pending, whatever their NextAttempt. Each comes without
	// Data[SyncPayloadKey]: these are read to order and summarise records
	// (a sync record's ordering check before each delivery, the sync
	// state on every answer about the dossier), and a record's body
	// grows with its dossier.
	NotificationsOfKind(ctx context.Context, dossier, kind string, pendingOnly bool) ([]Notification, error)

	// UpdateNotification records a delivery attempt of the stored
	// notification n.ID: its Status, Attempts, NextAttempt, SentAt and
	// LastError become n's (a nil SentAt or empty LastError clears
	// them); every other field of n is ignored. It writes only if the
	// stored notification still has prev's Status and Attempts (prev is
	// the notification as the caller read it): otherwise another
	// dispatcher recorded an attempt since, nothing is written, and the
	// answer is a *NotificationChangedError. So two overlapping
	// dispatchers can never turn "sent" back into "pending". An unknown
	// ID is a *NotFoundError.
	UpdateNotification(ctx context.Context, n, prev Notification) error

	// Notifications lists notifications, newest first: by At descending,
	// ties by ID descending; of one dossier, or all when dossier is
	// empty; at most limit of them (limit <= 0: all).
	Notifications(ctx context.Context, dossier string, limit int) ([]Notification, error)

	// AcquireLease takes or renews the named lease for holder until the
	// given instant, if it is free, expired at now (its until at or
	// before now), or already held by holder. It reports whether holder
	// has it. Leases of different names are independent.
	AcquireLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error)

	// ReleaseLease gives up the named lease if holder has it, so that
	// another holder can take it at once instead of after it expires (a
	// process stopping hands its lease on). It reports whether holder had
	// it; a lease held by another holder, or no lease, is left as it is.
	ReleaseLease(ctx context.Context, name, holder string) (bool, error)

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
	// Text is the one search box: it matches a dossier when, folded
	// (SearchPrefix: case and diacritics ignored, đ as d, words joined by
	// one space), it is a prefix of one of the dossier's SearchKeys: the
	// code or a part of it after a '-', the applicant's name from any
	// word on, the ID number, the phone number (0… or 84…). Literal (no
	// wildcard or pattern); blank does not filter.
	Text string
	// Channel selects by reception channel.
	Channel Channel
	// ReceivedFrom/To select by reception instant [From, To).
	ReceivedFrom, ReceivedTo time.Time
	// DueFrom/To select by legal due instant [From, To); a dossier
	// without a due instant (paused) never matches a due bound.
	DueFrom, DueTo time.Time
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
	// After, when set, starts the list after this position of q's order
	// (keyset paging): a page that follows another stays right when
	// dossiers are received meanwhile, where an offset would show a row
	// twice or skip one. Offset then counts from After.
	After *Position
	// Offset skips that many matches of the order; Limit, when positive,
	// bounds the page.
	Offset int
	Limit  int
	// Slim asks Scan for the store's slim copy of each dossier, for reads
	// that compute figures (reports): every field as stored except those
	// SlimDropped names, which may come back empty, and in an order of
	// the store's choosing, so that it can read an index that covers the
	// query. List ignores it. A store without a slim copy may return
	// whole dossiers.
	Slim bool
}

// Position is a dossier's place in a list's order (Query.After): its
// code, and, for a list by due instant, its due instant (nil: none, after
// every instant).
type Position struct {
	Due  *time.Time
	Code string
}

// PositionOf is d's place in q's order.
func PositionOf(d *Dossier, q Query) *Position {
	p := &Position{Code: d.Code}
	if q.OrderByDue && d.DueAt != nil {
		due := d.DueAt.UTC().Truncate(time.Millisecond)
		p.Due = &due
	}
	return p
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

// NumberingStore is a Store that takes a dossier's number and inserts the
// dossier in one atomic step, so that a crash between the two can leave
// no gap in the day's series (numbers are printed on receipts; a missing
// one looks like a dossier lost). Both stores implement it; the engine
// uses it when the store has it, NextSequence then Insert otherwise.
// enginetest pins it on every store that has it.
type NumberingStore interface {
	Store

	// InsertNumbered takes the next number of the series of unit on day
	// (as NextSequence), calls build with it, and stores the dossier and
	// notifications build returns (as Insert), all in one atomic step:
	// either the dossier is stored under the number, or the number is
	// not taken. The cases:
	//
	//   - build's error, or Insert's *InvalidInputError: returned as is,
	//     nothing written, the number not taken;
	//   - the reception key is used: *DuplicateError{Key}, nothing
	//     written, the number not taken;
	//   - the code is stored (a series that collides with dossiers
	//     written otherwise): *DuplicateError{Code}, and the number stays
	//     taken, so that the caller's next attempt gets the next one.
	//
	// build must be pure and quick: a store may call it on another
	// goroutine while it holds the write lock, and a store that retries
	// the step (a transaction aborted by the database) may call it again
	// with another number. Only the last call's result is stored.
	InsertNumbered(ctx context.Context, unit, day string, build func(seq int) (*Dossier, []Notification, error)) error
}
