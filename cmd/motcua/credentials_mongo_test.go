package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/mongostore"
	"github.com/motcua/motcua/internal/ferrettest"
	"github.com/motcua/motcua/procedures"
)

func TestMain(m *testing.M) {
	code := m.Run()
	ferrettest.Stop() // only if a test started the embedded FerretDB
	os.Exit(code)
}

// TestUsersOnMongoDBShareCredentials runs "motcua users" with --mongo-uri
// (against the embedded FerretDB, or MOTCUA_TEST_MONGODB_URI): the
// password and the token land in the database's credentials collection,
// not in a credentials.json of the data folder, so a second process on
// the same database (here a second Open, as serve would) signs the person
// in with them.
func TestUsersOnMongoDBShareCredentials(t *testing.T) {
	t.Parallel()
	uri, db := ferrettest.Start(t), ferrettest.DBName(t)
	data := t.TempDir()
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: io.Discard, Stdin: strings.NewReader("mật khẩu rất dài\n"),
		Getenv: func(k string) string {
			if k == "MOTCUA_DATA" {
				return data // ignored on MongoDB: nothing may be written there
			}
			return ""
		}}
	flags := []string{"--mongo-uri", uri, "--mongo-db", db, "--directory", examples + "/directory.yaml"}
	if err := m.Run(t.Context(), append([]string{"users", "passwd", "ngo-thi-mai"}, flags...)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "mongodb "+db) {
		t.Errorf("passwd does not say where the password went: %q", out.String())
	}
	out.Reset()
	if err := m.Run(t.Context(), append([]string{"users", "token", "ngo-thi-mai", "script"}, flags...)); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out.String())
	if _, err := os.Stat(filepath.Join(data, "credentials.json")); !os.IsNotExist(err) {
		t.Errorf("rule: on MongoDB no credentials.json is written (stat: %v)", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	other, err := mongostore.Open(ctx, uri, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Database().Drop(context.Background()); _ = other.Close() })
	sf := &storeFlags{mongoURI: uri, mongoDB: db}
	creds, err := credentialStore(sf, other)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := procedures.LoadDirectory(examples + "/directory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	as := &auth.Service{Store: creds, Directory: dir, Now: time.Now}
	if _, err := as.CheckPassword(ctx, "ngo-thi-mai", "mật khẩu rất dài", "10.0.0.1"); err != nil {
		t.Errorf("another process on the database does not accept the password: %v", err)
	}
	if _, err := as.TokenPerson(ctx, token); err != nil {
		t.Errorf("another process on the database does not accept the token: %v", err)
	}

	out.Reset()
	if err := m.Run(t.Context(), append([]string{"users", "list"}, flags...)); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`ngo-thi-mai .* yes +1`).MatchString(out.String()) {
		t.Errorf("users list on MongoDB:\n%s", out.String())
	}
}
