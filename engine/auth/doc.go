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
// Secrets sit behind the CredentialStore interface. The implementation
// here, FileStore, keeps them in credentials.json in the data folder with
// mode 0600, rewritten atomically (temporary file, fsync, rename), which
// suits the single-process embedded deployment. Credentials are kept out
// of engine.Store on purpose: the dossier store is shared with reports and
// exports, secrets are not. A MongoDB deployment with several API
// processes can implement CredentialStore on its own collection later
// without touching this package's callers.
package auth
