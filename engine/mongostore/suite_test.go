package mongostore_test

import (
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/internal/ferrettest"
)

// TestStoreSuite runs the shared store contract. Through the embedded
// FerretDB the concurrency tests skip: FerretDB 1.24 lets several
// conditional updates of one document all succeed (docs/stores.md), so
// they would test FerretDB, not this store. With MOTCUA_TEST_MONGODB_URI
// set they run in full against the real MongoDB.
func TestStoreSuite(t *testing.T) {
	opts := enginetest.SuiteOptions{}
	if !ferrettest.Real() {
		opts.SkipConcurrency = "FerretDB 1.24 is not atomic under concurrent conditional updates (docs/stores.md); set " +
			ferrettest.EnvURI + " to run against MongoDB"
	}
	enginetest.RunStoreSuite(t, func(t *testing.T) engine.Store { return newStore(t) }, opts)
}

// TestCredentialStore runs the CredentialStore contract the file store of
// engine/auth also passes: with --mongo-uri, serve and users keep
// passwords and tokens in the credentials collection.
func TestCredentialStore(t *testing.T) {
	enginetest.RunCredentialSuite(t, func(t *testing.T) engine.CredentialStore { return newStore(t) })
}

// TestSessionStore runs the SessionStore contract the SQLite store and
// auth's in-memory store also pass: with --mongo-uri, every serve process
// on the database shares the web sessions of its sessions collection.
func TestSessionStore(t *testing.T) {
	enginetest.RunSessionSuite(t, func(t *testing.T) engine.SessionStore { return newStore(t) })
}

// TestRegisterStore runs the RegisterStore contract the SQLite store also
// passes: the register's books count in the sequences collection.
func TestRegisterStore(t *testing.T) {
	opts := enginetest.SuiteOptions{}
	if !ferrettest.Real() {
		opts.SkipConcurrency = "FerretDB 1.24 is not atomic under concurrent upserts (docs/stores.md); set " +
			ferrettest.EnvURI + " to run against MongoDB"
		opts.SkipAtomicity = "FerretDB has no transactions: a refused write leaves its register line unused (mongostore.InsertRegistered); set " +
			ferrettest.EnvURI + " to run against a replica set"
	}
	enginetest.RunRegisterSuite(t, func(t *testing.T) enginetest.RegisterStoreUnderTest { return newStore(t) }, opts)
}

// TestRatingStore runs the RatingStore contract the SQLite store also
// passes: one conditional update on "no rating yet".
func TestRatingStore(t *testing.T) {
	opts := enginetest.SuiteOptions{}
	if !ferrettest.Real() {
		opts.SkipConcurrency = "FerretDB 1.24 is not atomic under concurrent conditional updates (docs/stores.md); set " +
			ferrettest.EnvURI + " to run against MongoDB"
	}
	enginetest.RunRatingSuite(t, func(t *testing.T) enginetest.RatingStoreUnderTest { return newStore(t) }, opts)
}
