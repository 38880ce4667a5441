package sqlitestore

import (
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// schemaAt writes a data folder dir at schema step (the first step
// migrations applied, as an older binary left it) and returns the
// database open on it, for the test to add its rows before Open
// migrates the rest; the test closes it.
func schemaAt(t *testing.T, dir string, step int) *sql.DB {
	t.Helper()
	db := openRaw(t, dir)
	if _, err := db.Exec(strings.Join(migrations[:step], ";") + "; PRAGMA user_version = " + strconv.Itoa(step)); err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db
}

// stepWith is the index of the schema step whose SQL holds fragment
// (steps may be renumbered at a merge; a test finds its own by what it
// creates).
func stepWith(t *testing.T, fragment string) int {
	t.Helper()
	for i, m := range migrations {
		if strings.Contains(m, fragment) {
			return i
		}
	}
	t.Fatalf("no schema step holds %q", fragment)
	return 0
}

// openRaw opens the database of a closed store's folder dir directly, for
// a test to change what an older binary or a crash would have left.
func openRaw(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(filepath.Join(dir, DBFile), false))
	if err != nil {
		t.Fatal(err)
	}
	return db
}
