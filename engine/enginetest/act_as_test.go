package enginetest

import (
	"context"
	"errors"
	"testing"

	"github.com/motcua/motcua/engine"
)

// countingStore serves one dossier, counts its reads and accepts every
// write.
type countingStore struct {
	engine.Store
	d      *engine.Dossier
	gets   int
	writes int
}

func (s *countingStore) Get(_ context.Context, code string) (*engine.Dossier, error) {
	s.gets++
	if code != s.d.Code {
		return nil, &engine.NotFoundError{What: "dossier", ID: code}
	}
	return s.d.Clone(), nil
}

func (s *countingStore) Apply(context.Context, *engine.Dossier, int64, []engine.Notification) error {
	s.writes++
	return nil
}

// TestActAsReadsOnce checks ActAs's rules: the right to read is checked
// on the dossier the action is decided on, read once (issue 14 §2); a
// person who may not read it is refused as forbidden and nothing is
// written; a missing dossier is the dossier's not-found.
func TestActAsReadsOnce(t *testing.T) {
	t.Parallel()
	flow := SampleFlow()[0] // chuyen, by the desk's receiver
	for _, tc := range []struct {
		rule   string
		actor  string
		code   string
		want   engine.Code // "" for success
		writes int
	}{
		{"one who may read and act acts, on one read", Receiver, "XA01-260302-0001", "", 1},
		{"one who may not read is forbidden, nothing written", Outsider, "XA01-260302-0001", engine.EFORBIDDEN, 0},
		{"a missing dossier is not found", Receiver, "XA01-260302-0009", engine.ENOTFOUND, 0},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			e := NewEngine(nil, NewStubClock(Monday))
			dec, err := engine.Receive(engine.Env{Procedure: SampleProcedure(), Directory: e.Directory, Calendar: e.Calendar},
				SampleReception("Nguyễn Văn Án"), "XA01-260302-0001", Monday)
			if err != nil {
				t.Fatal(err)
			}
			dec.Dossier.Version = 1
			s := &countingStore{d: dec.Dossier}
			e.Store = s
			p, ok := e.Directory.Person(tc.actor)
			if !ok {
				t.Fatalf("no person %s", tc.actor)
			}
			in := flow
			in.Actor = tc.actor
			_, err = e.ActAs(t.Context(), p, tc.code, in, 0)
			if tc.want == "" && err != nil {
				t.Fatalf("got %v, want the action done", err)
			}
			if tc.want != "" && engine.ErrorCode(err) != tc.want {
				t.Fatalf("got %v (%s), want %s", err, engine.ErrorCode(err), tc.want)
			}
			if tc.want == engine.EFORBIDDEN {
				var fe *engine.ForbiddenError
				if !errors.As(err, &fe) {
					t.Errorf("got %T, want *ForbiddenError (the words the action path has always used)", err)
				}
			}
			if s.gets != 1 {
				t.Errorf("the dossier was read %d times, want once", s.gets)
			}
			if s.writes != tc.writes {
				t.Errorf("%d writes, want %d", s.writes, tc.writes)
			}
		})
	}
}
