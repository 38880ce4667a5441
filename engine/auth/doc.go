// Package auth signs people in and decides what they may see and do.
//
// People come from the engine's Directory (units and roles); this package
// only adds their secrets and the rules of access:
//
//   - Passwords are kept as bcrypt hashes, never in clear, and checked in
//     constant time by bcrypt itself.
//   - API tokens for machines look like "mct_<id>_<secret>"; only the
//     SHA-256 of the secret is kept, looked up by id, compared in constant
//     time.
//   - Web sessions live in memory (a restart signs everyone out, which is
//     the safe failure) and carry their own CSRF token.
//   - Failed sign-ins are rate-limited per person and per client address.
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
package auth
