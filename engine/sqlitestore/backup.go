package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database of the data folder dir
// to the new file path with VACUUM INTO, while serve may hold the store
// and write: it takes no lock of the folder, only a read transaction of
// its own, so the copy is the database as of one commit (WAL readers see
// a snapshot) and serve is never blocked. path must not exist.
func Backup(ctx context.Context, dir, path string) error {
	src := filepath.Join(dir, DBFile)
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("backup: no store in %s: %w", dir, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %s already exists", path)
	}
	db, err := sql.Open("sqlite", dsn(src, false))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return storageFull(fmt.Errorf("backup: %w", err))
	}
	return nil
}
