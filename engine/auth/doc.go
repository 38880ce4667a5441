// Package auth signs people in and decides what they may see and do.
//
// People come from the engine's Directory (units and roles); this package
// only adds their secrets and the rules of access:
//
//   - Passwords are kept as bcrypt hashes, never in clear, and checked in
//     constant time by bcrypt itself.
//   - API tokens for machines look like "mct_<person>.<id>.<secret>";
//     only the SHA-256 of the secret is kept, looked up by id, compared in
//     constant time. Tokens expire (TokenTTL by default, never later than
//     TokenMaxTTL, which also caps tokens already issued); people mint
//     them with their current password (IssueToken), a token an admin
//     mints for someone else records the issuer, and a password change
//     revokes the tokens minted from web sessions (tokens.go).
//   - Web sessions live in an engine.SessionStore (see below) and carry
//     their own CSRF token.
//   - Failed sign-ins slow down with growing waits per person at one
//     address and per address, never a lock another person can set off;
//     the limiters keep fixed-size keys in bounded memory (limiter.go).
//   - Rights (rights.go) are pure functions of the person and the dossier:
//     the HTTP layer calls them on every request.
//
// # Where credentials live
//
// Secrets sit behind the CredentialStore interface (engine.CredentialStore,
// so that a store implements it without importing this package). The
// implementation here, FileStore, keeps them in credentials.json in the
// data folder with mode 0600, rewritten atomically (temporary file, fsync,
// rename), which suits the single-process embedded deployment; they stay
// out of the SQLite dossier store on purpose: that store is shared with
// reports and exports, secrets are not. On MongoDB, where
// several motcua processes share one database and no data folder,
// mongostore.Store keeps them in its credentials collection instead.
// Both pass enginetest.RunCredentialSuite.
//
// # Where sessions live
//
// A Service keeps no session itself: it reads and writes them through
// Service.Sessions (engine.SessionStore), so that several processes over
// one store share sign-ins and a restart signs nobody out. serve gives it
// the dossier store (the SQLite sessions table, the MongoDB sessions
// collection); tests and tools get MemorySessionStore. All pass
// enginetest.RunSessionSuite.
//
//   - The cookie holds a 256-bit random id; the store keeps its SHA-256
//     only, so a copy of the database opens no session.
//   - The CSRF token is derived from the id by a labelled SHA-256
//     (csrfToken): every process holding the cookie can print it in its
//     forms, the store keeps its hash, and CheckCSRF compares hashes. A
//     random token stored only as a hash could not be printed again by
//     another process, and stored in clear would leak with the database.
//   - Expiry: an idle timeout (SessionTTL, 8h) from the last use, capped
//     by an absolute lifetime (SessionLifetime, 12h) from sign-in, on the
//     injected clock. The store checks it on every read; last use is
//     written at most once a minute, so a session may end up to a minute
//     early, never late. Expired sessions are swept by RunSessionSweeps
//     (serve) and at most every ten minutes by a sign-in.
//   - Sign-out deletes the session everywhere; SetPassword ends all of
//     the person's sessions, ChangePassword all but the caller's. Both
//     also record the instant in the credential (SessionsValidFrom), and
//     Session refuses a session created before it: a password set by
//     "motcua users passwd", whose Service cannot reach the sessions serve
//     keeps, still ends them.
package auth
