package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/mongostore"
	"github.com/motcua/motcua/engine/sqlitestore"
	"github.com/motcua/motcua/internal/ferrettest"
	"github.com/motcua/motcua/procedures"
)

// servedAuth is the auth.Service serve builds over store: credentials in
// memory (not under test here), sessions where serve wires them.
func servedAuth(t *testing.T, sf *storeFlags, store engine.Store, creds auth.CredentialStore) *auth.Service {
	t.Helper()
	dir, err := procedures.LoadDirectory(examples + "/directory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := sessionStore(sf, store)
	if err != nil {
		t.Fatal(err)
	}
	return &auth.Service{Store: creds, Sessions: sessions, Directory: dir, Now: time.Now}
}

// TestServeSessionsSurviveARestartOnSQLite: serve keeps web sessions in
// the embedded store, so a session opened before a restart is valid
// after it (the folder serves one process at a time: the first closes).
func TestServeSessionsSurviveARestartOnSQLite(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	data := t.TempDir()
	sf := &storeFlags{dataDir: data}
	creds := auth.NewMemoryStore()
	first, err := sqlitestore.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	ss, err := servedAuth(t, sf, first, creds).NewSession(ctx, "ngo-thi-mai")
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	// The cookie value and the CSRF token appear nowhere in the folder
	// (database, WAL): a copy of it opens no session.
	files, _ := filepath.Glob(filepath.Join(data, "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(ss.ID)) || bytes.Contains(b, []byte(ss.CSRF)) {
			t.Errorf("%s holds the session id or CSRF token in clear", filepath.Base(f))
		}
	}
	second, err := sqlitestore.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	got, p, err := servedAuth(t, sf, second, creds).Session(ctx, ss.ID)
	if err != nil || got == nil || p.ID != "ngo-thi-mai" || !auth.CheckCSRF(got, ss.CSRF) {
		t.Errorf("after a restart the session is %v (%v), want it live with its CSRF token", got, err)
	}
}

// TestServeSessionsSharedOnMongoDB: two serve processes on one MongoDB
// (the embedded FerretDB, or MOTCUA_TEST_MONGODB_URI) behind a load
// balancer: a sign-in on one is valid on the other, and a sign-out on the
// other ends it on the first.
func TestServeSessionsSharedOnMongoDB(t *testing.T) {
	t.Parallel()
	uri, db := ferrettest.Start(t), ferrettest.DBName(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sf := &storeFlags{mongoURI: uri, mongoDB: db}
	open := func() *mongostore.Store {
		s, err := mongostore.Open(ctx, uri, db)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	one, two := open(), open()
	t.Cleanup(func() { _ = one.Database().Drop(context.Background()) })
	a, b := servedAuth(t, sf, one, one), servedAuth(t, sf, two, two)
	ss, err := a.NewSession(ctx, "tran-thi-lan")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := one.Database().Collection("sessions").Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []bson.M
	if err := raw.All(ctx, &docs); err != nil || len(docs) != 1 {
		t.Fatalf("sessions collection: %d documents (%v), want 1", len(docs), err)
	}
	if dump := fmt.Sprint(docs); strings.Contains(dump, ss.ID) || strings.Contains(dump, ss.CSRF) {
		t.Errorf("the sessions collection holds the session id or CSRF token in clear: %s", dump)
	}
	got, p, err := b.Session(ctx, ss.ID)
	if err != nil || got == nil || p.ID != "tran-thi-lan" || !auth.CheckCSRF(got, ss.CSRF) {
		t.Fatalf("the second process does not know the session: %v %v", got, err)
	}
	if err := b.EndSession(ctx, ss.ID); err != nil {
		t.Fatal(err)
	}
	if got, _, err := a.Session(ctx, ss.ID); err != nil || got != nil {
		t.Errorf("signed out on one process, still signed in on the other: %v (%v)", got, err)
	}
}
