package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/mongostore"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// defaultDataDir is the embedded store's folder when --data is not given.
const defaultDataDir = "motcua-data"

// storeFlags are the flags every command that touches the store shares:
// the embedded store's folder or a MongoDB, each also from the
// environment (MOTCUA_DATA, MOTCUA_MONGO_URI).
type storeFlags struct {
	dataDir, mongoURI, mongoDB string
}

// addStoreFlags registers --data, --mongo-uri and --mongo-db on fs.
func addStoreFlags(fs *commandFlags) *storeFlags {
	s := &storeFlags{}
	fs.StringVar(&s.dataDir, "data", "", "data folder of the embedded store (env MOTCUA_DATA, default ./"+defaultDataDir+")")
	fs.StringVar(&s.mongoURI, "mongo-uri", "", "use this MongoDB instead of the embedded store (env MOTCUA_MONGO_URI)")
	fs.StringVar(&s.mongoDB, "mongo-db", "motcua", "MongoDB database name")
	return s
}

// resolve fills what the flags left empty from the environment and the
// defaults; call it after parsing.
func (s *storeFlags) resolve(getenv func(string) string) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if s.mongoURI == "" {
		s.mongoURI = getenv("MOTCUA_MONGO_URI")
	}
	if s.dataDir == "" {
		s.dataDir = getenv("MOTCUA_DATA")
	}
	if s.dataDir == "" {
		s.dataDir = defaultDataDir
	}
}

// describe names the store for start-up messages.
func (s *storeFlags) describe() string {
	if s.mongoURI != "" {
		return "mongodb " + s.mongoDB
	}
	return "sqlite " + s.dataDir
}

// open opens the store, creating the embedded one if needed (serve).
func (s *storeFlags) open(ctx context.Context) (engine.Store, error) {
	if s.mongoURI != "" {
		return mongostore.Open(ctx, s.mongoURI, s.mongoDB)
	}
	return sqlitestore.Open(s.dataDir)
}

// openExisting opens the store a command reads or sweeps. The embedded
// store must already hold data: a report or a sweep of a folder that was
// never written is a mistaken path, not a reason to create an empty store.
func (s *storeFlags) openExisting(ctx context.Context) (engine.Store, error) {
	if s.mongoURI == "" {
		if _, err := os.Stat(filepath.Join(s.dataDir, sqlitestore.DBFile)); err != nil {
			return nil, &engine.InvalidInputError{Field: "--data",
				Reason: fmt.Sprintf("no store in %s (%s missing); give --data DIR or --mongo-uri URI", s.dataDir, sqlitestore.DBFile)}
		}
	}
	return s.open(ctx)
}

// credentialStore returns where passwords and tokens live. On MongoDB
// they are in the store's credentials collection: several processes
// share one database but no folder, and a credentials.json beside each
// would give each its own passwords. With the embedded store, which is
// one process per folder anyway, they stay in the private file beside
// it, which "motcua users" can write while serve holds the store's lock.
func credentialStore(sf *storeFlags, store engine.Store) (auth.CredentialStore, error) {
	if sf.mongoURI == "" {
		return auth.OpenFile(credentialsPath(sf.dataDir))
	}
	cs, ok := store.(engine.CredentialStore)
	if !ok {
		return nil, fmt.Errorf("the %s store keeps no credentials", sf.describe())
	}
	return cs, nil
}

// credentialsPath is where serve and users keep passwords and tokens.
func credentialsPath(dataDir string) string {
	if dataDir == "" {
		dataDir = defaultDataDir
	}
	return filepath.Join(dataDir, "credentials.json")
}

// sessionStore returns where web sessions live: the dossier store, on
// both backends, so that processes sharing a MongoDB share sign-ins and a
// restart (or deploy) signs nobody out, on SQLite too.
func sessionStore(sf *storeFlags, store engine.Store) (engine.SessionStore, error) {
	ss, ok := store.(engine.SessionStore)
	if !ok {
		return nil, fmt.Errorf("the %s store keeps no web sessions", sf.describe())
	}
	return ss, nil
}
