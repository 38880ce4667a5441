package enginetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// RunCredentialSuite runs the engine.CredentialStore contract against
// fresh, empty stores made by newStore (one per test): the file store of
// engine/auth and the MongoDB store pass the same tests, so serve and
// users behave alike whichever keeps the secrets.
func RunCredentialSuite(t *testing.T, newStore func(t *testing.T) engine.CredentialStore) {
	t.Helper()
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, s engine.CredentialStore)
	}{
		{"Credential/UnknownPersonIsNotFound", testCredentialUnknown},
		{"PutCredential/RoundTripKeepsEveryField", testCredentialRoundTrip},
		{"PutCredential/ReplacesTheWholeCredential", testCredentialReplace},
		{"Credential/ReturnsACopy", testCredentialCopy},
		{"Credentials/EveryPersonOrderedByID", testCredentialsList},
		{"PutCredential/KeepsTokenExpiryIssuerAndSessionCutoff", testCredentialKeepsExpiryAndIssuer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, newStore(t))
		})
	}
}

// credentialAt is a credential with a password and two tokens, instants
// in UTC at millisecond precision (what MongoDB keeps).
func credentialAt(person string, at time.Time) engine.Credential {
	return engine.Credential{
		Person:       person,
		PasswordHash: "$2a$04$" + person + "-hash",
		Tokens: []engine.Token{
			{ID: "t1", Hash: "aa11", Name: "script", CreatedAt: at},
			{ID: "t2", Hash: "bb22", CreatedAt: at.Add(time.Minute)},
		},
		UpdatedAt: at.Add(time.Minute),
	}
}

func mustPut(t *testing.T, s engine.CredentialStore, c engine.Credential) {
	t.Helper()
	if err := s.PutCredential(t.Context(), c); err != nil {
		t.Fatalf("PutCredential %s: %v", c.Person, err)
	}
}

func mustCredential(t *testing.T, s engine.CredentialStore, person string) engine.Credential {
	t.Helper()
	c, err := s.Credential(t.Context(), person)
	if err != nil {
		t.Fatalf("Credential %s: %v", person, err)
	}
	return c
}

// sameCredential compares field by field, instants with Equal (a store
// may hand them back in another location).
func sameCredential(a, b engine.Credential) bool {
	return a.Person == b.Person && a.PasswordHash == b.PasswordHash && a.UpdatedAt.Equal(b.UpdatedAt) &&
		slices.EqualFunc(a.Tokens, b.Tokens, func(x, y engine.Token) bool {
			return x.ID == y.ID && x.Hash == y.Hash && x.Name == y.Name && x.CreatedAt.Equal(y.CreatedAt)
		})
}

func testCredentialUnknown(t *testing.T, s engine.CredentialStore) {
	mustPut(t, s, credentialAt("an", base))
	_, err := s.Credential(t.Context(), "binh")
	var nf *engine.NotFoundError
	if !errors.As(err, &nf) || engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("Credential of a person without one: got %v, want a *NotFoundError (ENOTFOUND)", err)
	}
}

func testCredentialRoundTrip(t *testing.T, s engine.CredentialStore) {
	want := credentialAt("ngo-thi-mai", base)
	mustPut(t, s, want)
	if got := mustCredential(t, s, want.Person); !sameCredential(got, want) {
		t.Errorf("round trip: got %+v, want %+v", got, want)
	}
	// A person with a password only, no token.
	bare := engine.Credential{Person: "tran-thi-lan", PasswordHash: "$2a$04$x", UpdatedAt: base}
	mustPut(t, s, bare)
	if got := mustCredential(t, s, bare.Person); !sameCredential(got, bare) || len(got.Tokens) != 0 {
		t.Errorf("round trip without tokens: got %+v, want %+v", got, bare)
	}
}

func testCredentialReplace(t *testing.T, s engine.CredentialStore) {
	mustPut(t, s, credentialAt("an", base))
	// A revoked token and a cleared password are gone after the next
	// write: the credential is replaced, never merged with the old one.
	repl := engine.Credential{Person: "an", Tokens: []engine.Token{{ID: "t2", Hash: "bb22", CreatedAt: base}},
		UpdatedAt: base.Add(time.Hour)}
	mustPut(t, s, repl)
	if got := mustCredential(t, s, "an"); !sameCredential(got, repl) {
		t.Errorf("after a second PutCredential: got %+v, want %+v", got, repl)
	}
	all, err := s.Credentials(t.Context())
	if err != nil || len(all) != 1 {
		t.Errorf("a replaced credential is still one: got %d (%v)", len(all), err)
	}
}

func testCredentialCopy(t *testing.T, s engine.CredentialStore) {
	mustPut(t, s, credentialAt("an", base))
	c := mustCredential(t, s, "an")
	c.Tokens[0].Hash = "changed"
	c.Tokens = c.Tokens[:1]
	if got := mustCredential(t, s, "an"); !sameCredential(got, credentialAt("an", base)) {
		t.Errorf("changing a returned credential changed the store: %+v", got)
	}
}

func testCredentialsList(t *testing.T, s engine.CredentialStore) {
	all, err := s.Credentials(t.Context())
	if err != nil || len(all) != 0 {
		t.Fatalf("an empty store lists %v (%v), want none", all, err)
	}
	for _, p := range []string{"vu-van-hung", "an", "ngo-thi-mai"} {
		mustPut(t, s, credentialAt(p, base))
	}
	all, err = s.Credentials(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range all {
		ids = append(ids, c.Person)
		if !sameCredential(c, credentialAt(c.Person, base)) {
			t.Errorf("listed credential of %s differs from what was put: %+v", c.Person, c)
		}
	}
	if want := []string{"an", "ngo-thi-mai", "vu-van-hung"}; !slices.Equal(ids, want) {
		t.Errorf("Credentials: got %v, want %v", ids, want)
	}
}
