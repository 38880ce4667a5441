package mongostore

import (
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// TestClientOptions checks, without a server, which write concern and
// read preference Open asks for: majority and journaled, primary, unless
// the URI names its own.
func TestClientOptions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule        string
		uri         string
		w           any
		journal     *bool
		readPrefMod readpref.Mode
	}{
		{"nothing in the URI: majority, journaled, primary", "mongodb://h1,h2,h3/?replicaSet=rs0", "majority", new(true), readpref.PrimaryMode},
		{"w= in the URI is the operator's choice, journal left to the server", "mongodb://h/?w=1", 1, nil, readpref.PrimaryMode},
		{"journal= in the URI is the operator's choice", "mongodb://h/?journal=false", nil, new(false), readpref.PrimaryMode},
		{"w=majority&journal=true spelled out is kept", "mongodb://h/?w=majority&journal=true", "majority", new(true), readpref.PrimaryMode},
		{"readPreference= in the URI is kept, the write concern still defaults", "mongodb://h/?readPreference=secondaryPreferred", "majority", new(true), readpref.SecondaryPreferredMode},
	}
	for _, c := range cases {
		o := clientOptions(c.uri)
		if o.WriteConcern == nil {
			t.Errorf("%s: no write concern", c.rule)
			continue
		}
		if o.WriteConcern.W != c.w {
			t.Errorf("%s: w = %v, want %v", c.rule, o.WriteConcern.W, c.w)
		}
		switch got := o.WriteConcern.Journal; {
		case (got == nil) != (c.journal == nil):
			t.Errorf("%s: journal = %v, want %v", c.rule, got, c.journal)
		case got != nil && *got != *c.journal:
			t.Errorf("%s: journal = %v, want %v", c.rule, *got, *c.journal)
		}
		if o.ReadPreference == nil || o.ReadPreference.Mode() != c.readPrefMod {
			t.Errorf("%s: read preference = %v, want mode %v", c.rule, o.ReadPreference, c.readPrefMod)
		}
	}
}

// TestOutboxReadsMajority: the options the relay's and the dispatcher's
// collection handles are opened with resolve to read concern majority.
func TestOutboxReadsMajority(t *testing.T) {
	t.Parallel()
	var o options.CollectionOptions
	for _, set := range majorityReads().List() {
		if err := set(&o); err != nil {
			t.Fatal(err)
		}
	}
	if o.ReadConcern == nil || o.ReadConcern.Level != "majority" {
		t.Errorf("outbox reads: read concern %v, want majority", o.ReadConcern)
	}
}

// TestStandaloneWarning: a server that names no replica set and is not a
// mongos is warned about, in both languages; the others are not.
func TestStandaloneWarning(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule, setName, msg string
		warn               bool
	}{
		{"a replica set member names its set", "rs0", "", false},
		{"a mongos answers isdbgrid", "", "isdbgrid", false},
		{"a standalone server names no set", "", "", true},
	}
	for _, c := range cases {
		w := helloWarning(c.setName, c.msg)
		if (w != "") != c.warn {
			t.Errorf("%s: warning %q, want one: %v", c.rule, w, c.warn)
		}
		if w != "" && (!strings.Contains(w, "replica set") || !strings.Contains(w, "máy chủ đơn lẻ")) {
			t.Errorf("%s: the warning must say it in both languages: %q", c.rule, w)
		}
	}
}
