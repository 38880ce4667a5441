package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/procedures"
)

const usersUsage = `usage: motcua users list   [--data DIR | --mongo-uri URI [--mongo-db NAME]] [--directory FILE]
       motcua users passwd ID [--data DIR | --mongo-uri URI [--mongo-db NAME]] [--directory FILE]   (password on stdin)
       motcua users token ID NAME [--data DIR | --mongo-uri URI [--mongo-db NAME]] [--directory FILE]
       motcua users tokens ID     [--data DIR | --mongo-uri URI [--mongo-db NAME]] [--directory FILE]
       motcua users revoke ID TOKEN_ID [--data DIR | --mongo-uri URI [--mongo-db NAME]] [--directory FILE]

People come from the directory; their passwords (bcrypt hashes) and API
tokens (SHA-256 hashes) are kept in DIR/credentials.json, mode 0600, or
with --mongo-uri (env MOTCUA_MONGO_URI) in the database's credentials
collection, where every serve process on that database reads them.
"passwd" reads the new password from the first line of stdin, so it never
appears in the shell history or the process list:
  printf '%s\n' "$PASSWORD" | motcua users passwd ngo-thi-mai
"token" prints a new API token once; keep it, it cannot be shown again.
"tokens" lists a person's tokens (id, name, created); "revoke" deletes one
by id, effective at once for every serve process reading the same store.`

// runUsers lists people and writes their passwords and tokens.
func runUsers(ctx context.Context, m *Main, args []string) error {
	fs := newFlags("users", usersUsage)
	sf := addStoreFlags(fs)
	dirPath := fs.String("directory", "examples/directory.yaml", "directory file: units, heads, people")
	if err := fs.parse(m, args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return usagef("users: missing subcommand\n%s", usersUsage)
	}
	sf.resolve(m.Getenv)
	dir, err := procedures.LoadDirectory(*dirPath)
	if err != nil {
		return fmt.Errorf("--directory: %w", err)
	}
	creds, where, closeCreds, err := openCredentials(ctx, sf)
	if err != nil {
		return err
	}
	defer closeCreds()
	as := &auth.Service{Store: creds, Directory: dir, Now: m.Now.Time}
	switch rest[0] {
	case "list":
		if len(rest) != 1 {
			return usagef("users list takes no argument\n%s", usersUsage)
		}
		us, err := as.Users(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%-20s %-26s %-16s %-24s %-9s %s\n", "ID", "NAME", "ROLES", "UNITS", "PASSWORD", "TOKENS")
		for _, u := range us {
			roles := make([]string, len(u.Person.Roles))
			for i, r := range u.Person.Roles {
				roles[i] = string(r)
			}
			pw := "no"
			if u.HasPassword {
				pw = "yes"
			}
			if !u.Person.Active {
				pw += " (inactive)"
			}
			fmt.Fprintf(m.Stdout, "%-20s %-26s %-16s %-24s %-9s %d\n", u.Person.ID, u.Person.Name, strings.Join(roles, ","), strings.Join(u.Person.Units, ","), pw, u.Tokens)
		}
		return nil
	case "passwd":
		if len(rest) != 2 {
			return usagef("users passwd needs exactly one person id\n%s", usersUsage)
		}
		if m.Stdin == nil {
			return usagef("users passwd: no stdin to read the password from")
		}
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		pw := strings.TrimRight(line, "\r\n")
		if pw == "" {
			return usagef("users passwd: empty password on stdin")
		}
		if err := as.SetPassword(ctx, rest[1], pw); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "password set for %s in %s\n", rest[1], where)
		return nil
	case "token":
		if len(rest) != 3 {
			return usagef("users token needs a person id and a token name\n%s", usersUsage)
		}
		tok, err := as.NewToken(ctx, rest[1], rest[2])
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, tok)
		return nil
	case "tokens":
		if len(rest) != 2 {
			return usagef("users tokens needs a person id\n%s", usersUsage)
		}
		c, err := creds.Credential(ctx, rest[1])
		if err != nil && engine.ErrorCode(err) != engine.ENOTFOUND {
			return err
		}
		fmt.Fprintf(m.Stdout, "%-14s %-24s %-25s %-25s %s\n", "ID", "NAME", "CREATED", "EXPIRES", "ISSUED BY")
		for _, t := range c.Tokens {
			exp := "-" // minted before tokens expired: serve ends it --token-max-ttl after its creation
			if !t.ExpiresAt.IsZero() {
				exp = t.ExpiresAt.Format(time.RFC3339)
			}
			fmt.Fprintf(m.Stdout, "%-14s %-24s %-25s %-25s %s\n", t.ID, t.Name, t.CreatedAt.Format(time.RFC3339), exp, t.Issuer)
		}
		return nil
	case "revoke":
		if len(rest) != 3 {
			return usagef("users revoke needs a person id and a token id (see users tokens)\n%s", usersUsage)
		}
		if err := as.RevokeToken(ctx, rest[1], rest[2]); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "token %s of %s revoked in %s\n", rest[2], rest[1], where)
		return nil
	default:
		return usagef("users: unknown subcommand %q\n%s", rest[0], usersUsage)
	}
}

// openCredentials opens the credentials users writes, where serve with
// the same flags reads them, and names them for messages. The embedded
// store is not opened: serve holds its lock, and the file beside it is
// made to be shared (auth.FileStore). A MongoDB store is opened for its
// credentials collection; the returned function closes it.
func openCredentials(ctx context.Context, sf *storeFlags) (auth.CredentialStore, string, func(), error) {
	if sf.mongoURI == "" {
		fs, err := auth.OpenFile(credentialsPath(sf.dataDir))
		if err != nil {
			return nil, "", nil, err
		}
		return fs, fs.Path(), func() {}, nil
	}
	store, err := sf.open(ctx)
	if err != nil {
		return nil, "", nil, err
	}
	cs, err := credentialStore(sf, store)
	if err != nil {
		store.Close()
		return nil, "", nil, err
	}
	return cs, sf.describe() + " (credentials)", func() { store.Close() }, nil
}
