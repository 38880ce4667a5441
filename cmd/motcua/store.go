package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/mongostore"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// defaultDataDir is the embedded store's folder when --data is not given.
const defaultDataDir = "motcua-data"

// openExistingStore opens the store a command reads or sweeps: MongoDB
// when uri is given, otherwise the embedded store in dir, which must
// already hold data — a report or a sweep of a folder that was never
// written is a mistaken path, not a reason to create an empty store.
func openExistingStore(ctx context.Context, dir, uri, db string) (engine.Store, error) {
	if uri != "" {
		return mongostore.Open(ctx, uri, db)
	}
	if dir == "" {
		dir = defaultDataDir
	}
	if _, err := os.Stat(filepath.Join(dir, sqlitestore.DBFile)); err != nil {
		return nil, &engine.InvalidInputError{Field: "--data",
			Reason: fmt.Sprintf("no store in %s (%s missing); give --data DIR or --mongo-uri URI", dir, sqlitestore.DBFile)}
	}
	return sqlitestore.Open(dir)
}
