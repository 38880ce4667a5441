package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/procedures"
)

// TestUsersRevokeToken: a token listed by "users tokens" and revoked by
// "users revoke" stops authenticating at once for a server reading the
// same credentials, while the person's other tokens keep working.
func TestUsersRevokeToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data := t.TempDir()
	base := []string{"--data", data, "--directory", examples + "/directory.yaml"}
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		m := &Main{Stdout: &out, Stderr: io.Discard, Stdin: strings.NewReader("")}
		err := m.Run(ctx, append(args, base...))
		return out.String(), err
	}
	keep, err := run("users", "token", "ngo-thi-mai", "ket-noi-tinh")
	if err != nil {
		t.Fatal(err)
	}
	drop, err := run("users", "token", "ngo-thi-mai", "may-cu")
	if err != nil {
		t.Fatal(err)
	}
	// The server's view of the same credentials, opened before the revocation.
	dir, err := procedures.LoadDirectory(examples + "/directory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	creds, err := auth.OpenFile(credentialsPath(data))
	if err != nil {
		t.Fatal(err)
	}
	srv := &auth.Service{Store: creds, Directory: dir}
	for _, tok := range []string{keep, drop} {
		if _, err := srv.TokenPerson(ctx, strings.TrimSpace(tok)); err != nil {
			t.Fatalf("fresh token refused: %v", err)
		}
	}
	list, err := run("users", "tokens", "ngo-thi-mai")
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, line := range strings.Split(list, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[1] == "may-cu" {
			id = f[0]
		}
	}
	if id == "" {
		t.Fatalf("users tokens does not list the token named may-cu:\n%s", list)
	}
	if _, err := run("users", "revoke", "ngo-thi-mai", id); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.TokenPerson(ctx, strings.TrimSpace(drop)); err == nil {
		t.Error("rule: a revoked token stops authenticating at once")
	}
	if _, err := srv.TokenPerson(ctx, strings.TrimSpace(keep)); err != nil {
		t.Errorf("rule: the person's other tokens keep working: %v", err)
	}
	if _, err := run("users", "revoke", "ngo-thi-mai", id); ExitCode(err) != 2 {
		t.Errorf("revoking an unknown token: err %v, want exit 2", err)
	}
}
