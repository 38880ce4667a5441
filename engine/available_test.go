package engine

import (
	"slices"
	"testing"
)

// TestAvailable checks the actions offered to a person, one rule a case.
func TestAvailable(t *testing.T) {
	t.Parallel()
	birth := envOf(t, birthProc(t))
	biz := envOf(t, businessProc(t, SupplementRestart))
	dir := birth.Directory
	person := func(id string) *Person { p, _ := dir.Person(id); return p }

	received := receive(t, birth, "2026-03-09T09:00:00+07:00")
	processing := run(t, birth, received, act{"2026-03-09T09:30:00+07:00", "transfer", "tn01", nil})
	apologized := run(t, birth, processing, act{"2026-03-09T10:00:00+07:00", "apologize", "tp01",
		map[string]string{"due_at": "2026-03-10T17:00:00+07:00", "reason": "chờ xác minh"}})
	refused := run(t, birth, processing, act{"2026-03-09T10:00:00+07:00", "refuse", "tp01", map[string]string{"reason": "x"}})
	review := run(t, biz, receive(t, biz, "2026-03-09T09:00:00+07:00"), act{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil})
	extended := run(t, biz, review, act{"2026-03-09T11:00:00+07:00", "extend", "kt01", nil})

	cases := []struct {
		rule   string
		env    Env
		d      *Dossier
		person *Person
		want   []string
	}{
		{"the step's unit gets its actions, never the watch's", birth, processing, person("tp01"), []string{"submit", "refuse", "apologize"}},
		{"an action naming units is offered to them in any state it fires from", birth, processing, person("tn01"), []string{"withdraw"}},
		{"another unit's officer gets nothing", birth, processing, person("kt01"), nil},
		{"the appointment is re-set once only", birth, apologized, person("tp01"), []string{"submit", "refuse"}},
		{"an extension is offered up to its maximum", biz, review, person("kt01"), []string{"request_supplement", "issue", "extend"}},
		{"a used-up extension is no longer offered", biz, extended, person("kt01"), []string{"request_supplement", "issue"}},
		{"a finished dossier offers nothing", birth, refused, person("tp01"), nil},
		{"a deactivated officer gets nothing", birth, processing, person("tp-cu"), nil},
		{"nobody gets nothing", birth, processing, nil, nil},
	}
	for _, c := range cases {
		var got []string
		for _, a := range Available(c.env.Procedure, c.d, c.person) {
			got = append(got, a.ID)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.rule, got, c.want)
		}
	}
}

// TestAvailableIsWhatStepAccepts: for every person, every action and
// dossiers in several states, an action is offered exactly when Step,
// given the inputs it requires, accepts it from that person.
func TestAvailableIsWhatStepAccepts(t *testing.T) {
	t.Parallel()
	birth := envOf(t, birthProc(t))
	biz := envOf(t, businessProc(t, SupplementPause))
	received := receive(t, birth, "2026-03-09T09:00:00+07:00")
	processing := run(t, birth, received, act{"2026-03-09T09:30:00+07:00", "transfer", "tn01", nil})
	review := run(t, biz, receive(t, biz, "2026-03-09T09:00:00+07:00"), act{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil})
	waiting := run(t, biz, review, act{"2026-03-09T11:00:00+07:00", "request_supplement", "kt01", map[string]string{"reason": "x"}})
	dossiers := []struct {
		env Env
		d   *Dossier
	}{
		{birth, received}, {birth, processing},
		{birth, run(t, birth, processing, act{"2026-03-09T10:00:00+07:00", "apologize", "tp01", map[string]string{"due_at": "2026-03-10T17:00:00+07:00", "reason": "x"}})},
		{biz, review}, {biz, waiting},
		{biz, run(t, biz, waiting, act{"2026-03-09T12:00:00+07:00", "extend", "kt01", nil})},
		{biz, run(t, biz, review, act{"2026-03-09T12:00:00+07:00", "issue", "kt01", nil})},
	}
	now := at(t, "2026-03-09T14:00:00+07:00")
	for _, c := range dossiers {
		for _, person := range c.env.Directory.People() {
			offered := map[string]bool{}
			for _, a := range Available(c.env.Procedure, c.d, person) {
				offered[a.ID] = true
			}
			for _, a := range c.env.Procedure.Actions {
				in := ActInput{Action: a.ID, Actor: person.ID, Inputs: map[string]string{}}
				for _, r := range a.Requires {
					in.Inputs[r] = "x"
				}
				if a.Reappoint {
					in.Inputs["due_at"] = "2026-12-31T17:00:00+07:00"
				}
				_, err := Step(c.env, c.d, in, now)
				if accepted := err == nil; accepted != offered[a.ID] {
					t.Errorf("%s in %s, %s by %s: offered %v, Step accepts %v (%v)", c.d.Procedure, c.d.State, a.ID, person.ID, offered[a.ID], accepted, err)
				}
			}
		}
	}
}

// TestReceivable: the procedures offered at the desk are exactly those
// Receive accepts from the person.
func TestReceivable(t *testing.T) {
	t.Parallel()
	dir := testDirectory(t)
	cat, err := NewCatalog(birthProc(t), businessProc(t, SupplementPause), complaintProc(t), denunciationProc(t))
	if err != nil {
		t.Fatal(err)
	}
	now := at(t, "2026-03-09T09:00:00+07:00")
	for _, person := range dir.People() {
		offered := map[string]bool{}
		for _, p := range cat.Receivable(person) {
			offered[p.Code] = true
		}
		for _, p := range cat.Latest() {
			env := Env{Procedure: p, Directory: dir, Calendar: vnCal}
			err := CheckReception(env, ReceiveInput{Actor: person.ID, Applicant: Applicant{Name: "A"}}, now)
			if accepted := err == nil; accepted != offered[p.Code] {
				t.Errorf("%s by %s: offered %v, Receive accepts %v (%v)", p.Code, person.ID, offered[p.Code], accepted, err)
			}
		}
	}
	if got := cat.Receivable(nil); got != nil {
		t.Errorf("nobody may receive %v", got)
	}
}
