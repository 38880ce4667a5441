// Package filestore keeps the bytes of dossier files on disk, under the
// embedded store's data folder, content-addressed by SHA-256
// (engine.FileStore):
//
//	<data>/files/ab/cd/abcd…(64 hex digits)   the bytes, named by their hash
//	<data>/files/tmp/put-*                     uploads being written
//
// A Put streams into a temporary file through the hash and the size cap,
// fsyncs it, renames it to its hash's name and fsyncs the folder, all
// before it returns: the caller writes the dossier row that refers to
// the bytes only then, so no row ever points at missing bytes. A crash
// between the rename and the row's commit leaves an orphan; Sweep removes
// it once the grace period has passed (serve sweeps every hour with a
// day's grace). Bytes already stored are not written again: a Put of the
// same bytes refreshes the file's time, so that a sweep in progress
// spares it.
//
// Names never come from a user: the only names are hashes the store
// computed and temporary names it chose.
package filestore
