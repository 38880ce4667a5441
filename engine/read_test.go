package engine

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// raceStore is the store as a reception that loses a race sees it: the
// key is not there when first asked, the insert then meets the winner's
// key, and the winner is there when asked again. With visible set, the
// winner is there from the start (a plain retry). Other methods are not
// used by Receive and panic.
type raceStore struct {
	Store
	winner  *Dossier
	visible bool
	// sequences counts the numbers taken from the daily series.
	sequences int
}

func (s *raceStore) GetByReceiveKey(_ context.Context, key string) (*Dossier, error) {
	if !s.visible || key != s.winner.ReceiveKey {
		return nil, &NotFoundError{What: "reception key", ID: key}
	}
	return s.winner, nil
}

func (s *raceStore) NextSequence(context.Context, string, string) (int, error) {
	s.sequences++
	return s.sequences, nil
}

func (s *raceStore) Insert(_ context.Context, d *Dossier, _ []Notification) error {
	if d.ReceiveKey == s.winner.ReceiveKey {
		s.visible = true
		return &DuplicateError{Key: d.ReceiveKey}
	}
	return nil
}

// TestReceiveReplayChecksRights: a reused reception key hands the first
// dossier back only to someone who may read it, whether the first
// reception finished long ago or won a race a moment ago; anyone else
// hears that the key is used, and sees nothing of the dossier.
func TestReceiveReplayChecksRights(t *testing.T) {
	t.Parallel()
	dir := testDirectory(t)
	birth, complaint := birthProc(t), complaintProc(t)
	cat, err := NewCatalog(birth, complaint)
	if err != nil {
		t.Fatal(err)
	}
	// The winner: a birth registration received at the one-stop desk.
	winEnv := Env{Procedure: birth, Directory: dir, Calendar: vnCal}
	dec, err := Receive(winEnv, ReceiveInput{Actor: "tn01", Applicant: Applicant{Name: "Nguyễn Văn A"}, IdempotencyKey: "k-1"},
		"UBND-260309-0001", at(t, "2026-03-09T09:00:00+07:00"))
	if err != nil {
		t.Fatal(err)
	}
	winner := dec.Dossier

	cases := []struct {
		rule      string
		visible   bool
		procedure string
		actor     string
		want      error // nil: the winner comes back
	}{
		{"a retry by the desk that received it returns the first dossier", true, birth.Code, "tn01", nil},
		{"a retry by another unit's officer is refused as a used key", true, complaint.Code, "tt01", &DuplicateError{}},
		{"a lost race by the desk that won it returns the winner", false, birth.Code, "tn01", nil},
		{"a lost race by another unit's officer is refused as a used key", false, complaint.Code, "tt01", &DuplicateError{}},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			st := &raceStore{winner: winner, visible: c.visible}
			e := &Engine{Store: st, Catalog: cat, Directory: dir, Calendar: vnCal, Now: func() time.Time { return at(t, "2026-03-09T10:00:00+07:00") }}
			d, fresh, err := e.ReceiveOnce(t.Context(), c.procedure, 0, ReceiveInput{Actor: c.actor, Applicant: Applicant{Name: "Trần Thị B"}, IdempotencyKey: "k-1"})
			if c.want == nil {
				if err != nil || d != winner {
					t.Fatalf("got %v, %v; want the winner %s", d, err, winner.Code)
				}
			} else {
				var dup *DuplicateError
				if !errors.As(err, &dup) || dup.Key != "k-1" || ErrorCode(err) != ECONFLICT || d != nil {
					t.Fatalf("got %v, %v; want a *DuplicateError on key k-1 and no dossier", d, err)
				}
			}
			if fresh {
				t.Error("ReceiveOnce says this call received the dossier; it was the first reception's")
			}
			// A plain retry takes no number; a lost race took exactly one.
			if want := map[bool]int{true: 0, false: 1}[c.visible]; st.sequences != want {
				t.Errorf("took %d numbers from the daily series, want %d", st.sequences, want)
			}
		})
	}
}

// TestReadRights checks the read and list rules the engine applies, one
// rule a case.
func TestReadRights(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthProc(t))
	d := run(t, env, receive(t, env, "2026-03-09T09:00:00+07:00"),
		act{"2026-03-09T09:30:00+07:00", "transfer", "tn01", nil})
	person := func(roles []Role, units ...string) *Person {
		return &Person{ID: "x", Roles: roles, Units: units, Active: true}
	}
	officer, head := []Role{RoleOfficer}, []Role{RoleHead}
	cases := []struct {
		rule string
		p    *Person
		read bool
	}{
		{"an officer reads a dossier now with their unit", person(officer, "tu-phap"), true},
		{"an officer reads a dossier their unit received", person(officer, "tiep-nhan"), true},
		{"an officer reads nothing of a unit it never passed", person(officer, "kinh-te"), false},
		{"a head reads their unit's dossiers", person(head, "tu-phap"), true},
		{"a head reads nothing of other units", person(head, "thanh-tra"), false},
		{"an admin reads everything", person([]Role{RoleAdmin}), true},
		{"a viewer reads everything", person([]Role{RoleViewer}), true},
		{"a member without a reading role reads nothing", person(nil, "tu-phap"), false},
		{"nobody reads nothing", nil, false},
	}
	for _, c := range cases {
		if got := CanRead(c.p, d); got != c.read {
			t.Errorf("%s: CanRead = %v", c.rule, got)
		}
	}
	lists := []struct {
		rule        string
		asked, mine []string
		want        []string
	}{
		{"no unit asked lists all of mine", nil, []string{"a", "b"}, []string{"a", "b"}},
		{"units asked are narrowed to mine", []string{"b", "c"}, []string{"a", "b"}, []string{"b"}},
		{"units asked that are none of mine list nothing", []string{"c"}, []string{"a"}, nil},
	}
	for _, c := range lists {
		if got := narrow(c.asked, c.mine); !slices.Equal(got, c.want) {
			t.Errorf("%s: narrow(%v, %v) = %v, want %v", c.rule, c.asked, c.mine, got, c.want)
		}
	}
}

// queryStore holds one dossier and records the last List query.
type queryStore struct {
	Store
	d      *Dossier
	listed *Query
}

func (s *queryStore) Get(_ context.Context, code string) (*Dossier, error) {
	if code != s.d.Code {
		return nil, &NotFoundError{What: "row", ID: code}
	}
	return s.d, nil
}

func (s *queryStore) List(_ context.Context, q Query) ([]*Dossier, error) {
	s.listed = &q
	return nil, nil
}

// TestEngineReads: the engine's reads apply the read rules, one rule a
// case: what Read answers, and which units List asks the store for.
func TestEngineReads(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthProc(t))
	d := receive(t, env, "2026-03-09T09:00:00+07:00")
	officer := func(units ...string) *Person {
		return &Person{ID: "x", Roles: []Role{RoleOfficer}, Units: units, Active: true}
	}
	admin := &Person{ID: "ad", Roles: []Role{RoleAdmin}}
	reads := []struct {
		rule   string
		reader *Person
		code   string
		want   Code // "": the dossier comes back
	}{
		{"the receiving desk reads its dossier", officer("tiep-nhan"), d.Code, ""},
		{"another unit's officer is refused as forbidden", officer("kinh-te"), d.Code, EFORBIDDEN},
		{"a missing dossier is not found, whoever asks", admin, "UBND-260309-9999", ENOTFOUND},
	}
	for _, c := range reads {
		e := &Engine{Store: &queryStore{d: d}}
		got, err := e.Read(t.Context(), c.reader, c.code)
		switch {
		case c.want == "" && (err != nil || got != d):
			t.Errorf("%s: Read = %v, %v", c.rule, got, err)
		case c.want != "" && (ErrorCode(err) != c.want || got != nil):
			t.Errorf("%s: Read = %v, %v; want %s", c.rule, got, err, c.want)
		case c.want == EFORBIDDEN && !errors.As(err, new(*ReadForbiddenError)):
			t.Errorf("%s: %T, want *ReadForbiddenError", c.rule, err)
		case c.want == ENOTFOUND && err.Error() != `dossier "UBND-260309-9999" not found`:
			t.Errorf("%s: %v, want the dossier named", c.rule, err)
		}
	}
	lists := []struct {
		rule   string
		reader *Person
		asked  []string
		want   []string // nil with asked == nil: every unit
		store  bool     // whether the store is asked at all
	}{
		{"an officer lists their own units", officer("tu-phap", "kinh-te"), nil, []string{"tu-phap", "kinh-te"}, true},
		{"an officer asking for another unit lists nothing", officer("tu-phap"), []string{"thanh-tra"}, nil, false},
		{"an admin lists every unit", admin, nil, nil, true},
		{"the system lists what it asks", nil, []string{"thanh-tra"}, []string{"thanh-tra"}, true},
	}
	for _, c := range lists {
		st := &queryStore{d: d}
		e := &Engine{Store: st}
		if _, err := e.List(t.Context(), c.reader, Query{Units: c.asked}); err != nil {
			t.Fatal(err)
		}
		switch {
		case (st.listed != nil) != c.store:
			t.Errorf("%s: store asked = %v, want %v", c.rule, st.listed != nil, c.store)
		case st.listed != nil && !slices.Equal(st.listed.Units, c.want):
			t.Errorf("%s: store asked for units %v, want %v", c.rule, st.listed.Units, c.want)
		}
	}
}
