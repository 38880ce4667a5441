package engine

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestStepErrors checks that every rejection of the pure step is typed,
// carries its application code, and leaves the input dossier untouched.
func TestStepErrors(t *testing.T) {
	t.Parallel()
	birth := envOf(t, birthProc(t))
	biz := envOf(t, businessProc(t, SupplementRestart))
	den := envOf(t, denunciationProc(t))

	// Dossiers in the states the cases need, built by real steps.
	inReceived := receive(t, birth, "2026-03-09T09:00:00+07:00")
	inProcessing := run(t, birth, inReceived, act{"2026-03-09T09:30:00+07:00", "transfer", "tn01", nil})
	apologized := run(t, birth, inProcessing, act{"2026-03-09T10:00:00+07:00", "apologize", "tp01",
		map[string]string{"due_at": "2026-03-10T17:00:00+07:00", "reason": "chờ xác minh"}})
	finished := run(t, birth, inProcessing,
		act{"2026-03-09T10:00:00+07:00", "submit", "tp01", map[string]string{"note": "đủ"}},
		act{"2026-03-09T11:00:00+07:00", "sign", "ld01", nil})
	extendedOnce := run(t, biz, receive(t, biz, "2026-03-09T09:00:00+07:00"),
		act{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil},
		act{"2026-03-09T11:00:00+07:00", "extend", "kt01", nil})
	den0 := receive(t, den, "2026-03-31T10:00:00+07:00")
	denTwice := run(t, den, den0,
		act{"2026-04-20T09:00:00+07:00", "extend", "tt01", map[string]string{"decision": "QĐ 1"}},
		act{"2026-05-20T09:00:00+07:00", "extend", "tt01", map[string]string{"decision": "QĐ 2"}})

	// A dossier one row short of MaxHistoryRows: only an action that
	// finishes it may take the last row.
	full := inProcessing.Clone()
	for len(full.History) < MaxHistoryRows-1 {
		row := full.History[len(full.History)-1]
		row.Seq = len(full.History) + 1
		full.History = append(full.History, row)
	}

	const now = "2026-03-09T11:30:00+07:00"
	cases := []struct {
		rule   string
		env    Env
		d      *Dossier
		in     ActInput
		want   any // pointer to the typed error expected
		code   Code
		detail string // substring of the message
	}{
		{"an action the procedure does not define is unknown", birth, inReceived,
			ActInput{Action: "approve", Actor: "tn01"}, new(*UnknownActionError), EINVALID, `no action "approve"`},
		{"an action not listed from the current state is not allowed", birth, inReceived,
			ActInput{Action: "sign", Actor: "ld01"}, new(*NotAllowedError), ECONFLICT, `"sign" is not allowed in state "received"`},
		{"only members of the state's unit may act", birth, inProcessing,
			ActInput{Action: "submit", Actor: "tn01", Inputs: map[string]string{"note": "x"}}, new(*ForbiddenError), EFORBIDDEN, "tu-phap"},
		{"an action's own unit list overrides the state's unit", birth, inProcessing,
			ActInput{Action: "withdraw", Actor: "tp01"}, new(*ForbiddenError), EFORBIDDEN, "tiep-nhan"},
		{"a person missing from the directory is not found", birth, inProcessing,
			ActInput{Action: "submit", Actor: "nobody", Inputs: map[string]string{"note": "x"}}, new(*NotFoundError), ENOTFOUND, `person "nobody"`},
		{"a deactivated member of the unit may not act", birth, inProcessing,
			ActInput{Action: "submit", Actor: "tp-cu", Inputs: map[string]string{"note": "x"}}, new(*ForbiddenError), EFORBIDDEN, "deactivated"},
		{"a system-only action is refused to a person", birth, inProcessing,
			ActInput{Action: "auto_refuse", Actor: "tp01"}, new(*ForbiddenError), EFORBIDDEN, "deadline watch"},
		{"a required input must be given", birth, inProcessing,
			ActInput{Action: "submit", Actor: "tp01"}, new(*MissingInputError), EINVALID, "[note]"},
		{"a required input of blanks counts as missing", birth, inProcessing,
			ActInput{Action: "submit", Actor: "tp01", Inputs: map[string]string{"note": "  "}}, new(*MissingInputError), EINVALID, "[note]"},
		{"an extension allowed once cannot be used twice", biz, extendedOnce,
			ActInput{Action: "extend", Actor: "kt01"}, new(*LimitReachedError), ECONFLICT, "at most 1"},
		{"a denunciation allows at most two extensions (Denunciations Law Art 30)", den, denTwice,
			ActInput{Action: "extend", Actor: "tt01", Inputs: map[string]string{"decision": "QĐ 3"}}, new(*LimitReachedError), ECONFLICT, "at most 2"},
		{"the appointment may be re-set only once (Decree 61/2018 Art 19)", birth, apologized,
			ActInput{Action: "apologize", Actor: "tp01", Inputs: map[string]string{"due_at": "2026-03-11T17:00:00+07:00", "reason": "x"}}, new(*LimitReachedError), ECONFLICT, "at most 1"},
		{"a new appointment must be an RFC3339 instant", birth, inProcessing,
			ActInput{Action: "apologize", Actor: "tp01", Inputs: map[string]string{"due_at": "10/03/2026", "reason": "x"}}, new(*InvalidInputError), EINVALID, "due_at"},
		{"a new appointment must be after the current one", birth, inProcessing,
			ActInput{Action: "apologize", Actor: "tp01", Inputs: map[string]string{"due_at": "2026-03-09T16:00:00+07:00", "reason": "x"}}, new(*InvalidInputError), EINVALID, "after the current"},
		{"a new appointment must be in the future", birth, inProcessing,
			ActInput{Action: "apologize", Actor: "tp01", Inputs: map[string]string{"due_at": "2026-03-09T11:00:00+07:00", "reason": "x"}}, new(*InvalidInputError), EINVALID, "in the future"},
		{"a new appointment equal to the current one is not later", birth, inProcessing,
			ActInput{Action: "apologize", Actor: "tp01", Inputs: map[string]string{"due_at": "2026-03-09T17:00:00+07:00", "reason": "x"}}, new(*InvalidInputError), EINVALID, "after the current"},
		{"a finished dossier takes no more actions", birth, finished,
			ActInput{Action: "withdraw", Actor: "tn01"}, new(*FinishedError), ECONFLICT, "is finished"},
		{"an input key starting with $ is refused (a MongoDB operator)", birth, inProcessing,
			ActInput{Action: "submit", Actor: "tp01", Inputs: map[string]string{"note": "x", "$set": "y"}}, new(*InvalidInputError), EINVALID, `"$set"`},
		{"a dotted input key is refused (a MongoDB path)", birth, inProcessing,
			ActInput{Action: "submit", Actor: "tp01", Inputs: map[string]string{"note": "x", "a.b": "y"}}, new(*InvalidInputError), EINVALID, `"a.b"`},
		{"an input key with NUL is refused", birth, inProcessing,
			ActInput{Action: "submit", Actor: "tp01", Inputs: map[string]string{"note": "x", "a\x00b": "y"}}, new(*InvalidInputError), EINVALID, `"a\x00b"`},
		{"an input value past MaxInputValueBytes is refused", birth, inProcessing,
			ActInput{Action: "submit", Actor: "tp01", Inputs: map[string]string{"note": strings.Repeat("x", MaxInputValueBytes+1)}}, new(*InvalidInputError), EINVALID, "inputs.note"},
		{"the last history row is kept for an action that finishes the dossier", birth, full,
			ActInput{Action: "submit", Actor: "tp01", Inputs: map[string]string{"note": "x"}}, new(*HistoryFullError), ECONFLICT, "history rows"},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			before := c.d.Clone()
			dec, err := Step(c.env, c.d, c.in, at(t, now))
			if err == nil {
				t.Fatalf("Step succeeded (state %s), want %T", dec.Dossier.State, c.want)
			}
			if !errors.As(err, c.want) {
				t.Fatalf("error %T %q, want %T", err, err, c.want)
			}
			if got := ErrorCode(err); got != c.code {
				t.Errorf("ErrorCode = %s, want %s", got, c.code)
			}
			if !strings.Contains(err.Error(), c.detail) {
				t.Errorf("message %q does not mention %q", err, c.detail)
			}
			if !reflect.DeepEqual(before, c.d) {
				t.Error("a rejected step changed its input dossier")
			}
		})
	}
}

// TestReceiveErrors checks the reception's rejections.
func TestReceiveErrors(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthProc(t))
	ok := ReceiveInput{Actor: "tn01", Channel: ChannelCounter, Applicant: Applicant{Name: "Trần Thị B"}}
	now := at(t, "2026-03-09T09:00:00+07:00")
	cases := []struct {
		rule string
		edit func(*ReceiveInput)
		want any
		code Code
	}{
		{"only the initial state's unit receives", func(in *ReceiveInput) { in.Actor = "tp01" }, new(*ForbiddenError), EFORBIDDEN},
		{"an unknown receiving officer is not found", func(in *ReceiveInput) { in.Actor = "ghost" }, new(*NotFoundError), ENOTFOUND},
		{"the channel is counter, online or post", func(in *ReceiveInput) { in.Channel = "fax" }, new(*InvalidInputError), EINVALID},
		{"the applicant's name is required", func(in *ReceiveInput) { in.Applicant.Name = " " }, new(*InvalidInputError), EINVALID},
		{"a reception cannot be dated in the future", func(in *ReceiveInput) { in.ReceivedAt = now.Add(1) }, new(*InvalidInputError), EINVALID},
		{"a reception's input key must not start with $", func(in *ReceiveInput) { in.Inputs = map[string]string{"$where": "1"} }, new(*InvalidInputError), EINVALID},
		{"a reception's input key must not be dotted", func(in *ReceiveInput) { in.Inputs = map[string]string{"giay.to": "1"} }, new(*InvalidInputError), EINVALID},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			in := ok
			c.edit(&in)
			_, err := Receive(env, in, "UBND-260309-0001", now)
			if !errors.As(err, c.want) {
				t.Fatalf("error %T %v, want %T", err, err, c.want)
			}
			if ErrorCode(err) != c.code {
				t.Errorf("ErrorCode = %s, want %s", ErrorCode(err), c.code)
			}
		})
	}
	t.Run("an empty channel means the counter", func(t *testing.T) {
		in := ok
		in.Channel = ""
		dec, err := Receive(env, in, "UBND-260309-0001", now)
		if err != nil {
			t.Fatal(err)
		}
		if dec.Dossier.Channel != ChannelCounter {
			t.Errorf("channel %q, want counter", dec.Dossier.Channel)
		}
	})
	t.Run("a postal dossier keeps its earlier reception instant", func(t *testing.T) {
		in := ok
		in.Channel = ChannelPost
		in.ReceivedAt = at(t, "2026-03-06T10:00:00+07:00") // the Friday before
		in.Inputs = map[string]string{InputBackdateReason: "thư đến thứ Sáu, mở thứ Hai"}
		dec, err := Receive(env, in, "UBND-260306-0001", now)
		if err != nil {
			t.Fatal(err)
		}
		d := dec.Dossier
		if showT(d.ReceivedAt) != "2026-03-06T10:00:00+07:00" || show(d.DueAt) != "2026-03-06T17:00:00+07:00" {
			t.Errorf("received %s due %s, want 2026-03-06 10:00 and 17:00", showT(d.ReceivedAt), show(d.DueAt))
		}
	})
}

// TestStepReplay checks that a retried request returns the first result
// and decides nothing new.
func TestStepReplay(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthProc(t))
	d := receive(t, env, "2026-03-09T09:00:00+07:00")
	in := ActInput{Action: "transfer", Actor: "tn01", IdempotencyKey: "req-1"}
	first, err := Step(env, d, in, at(t, "2026-03-09T09:30:00+07:00"))
	if err != nil {
		t.Fatal(err)
	}
	if first.Replay {
		t.Fatal("first request marked as replay")
	}
	stored := first.Dossier
	before := stored.Clone()
	// The retry arrives later; processing has no transfer action, so only
	// the key can make it succeed.
	again, err := Step(env, stored, in, at(t, "2026-03-09T10:45:00+07:00"))
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if !again.Replay {
		t.Error("retry not marked as replay")
	}
	if !reflect.DeepEqual(again.Dossier, before) {
		t.Error("replay returned a changed dossier")
	}
	if !reflect.DeepEqual(again.Row, first.Row) {
		t.Errorf("replay row %+v, want the first row %+v", again.Row, first.Row)
	}
	if len(again.Notifications) != 0 {
		t.Errorf("replay decided %d notifications", len(again.Notifications))
	}
	if !reflect.DeepEqual(stored, before) {
		t.Error("replay mutated its input")
	}
}

// TestStepSystemAction checks that the deadline watch may fire a
// system-only action with no unit membership.
func TestStepSystemAction(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthProc(t))
	d := run(t, env, receive(t, env, "2026-03-09T09:00:00+07:00"),
		act{"2026-03-09T09:30:00+07:00", "transfer", "tn01", nil},
		act{"2026-03-10T08:00:00+07:00", "auto_refuse", ActorSystem, nil})
	if d.State != "refused" || d.Result != OutcomeRefused || d.History[2].Actor != ActorSystem {
		t.Errorf("state %s result %s actor %s, want refused by system", d.State, d.Result, d.History[2].Actor)
	}
}

// TestStepNeverMutatesInput replays a whole life and compares every
// input dossier with a deep copy taken before its step.
func TestStepNeverMutatesInput(t *testing.T) {
	t.Parallel()
	env := envOf(t, businessProc(t, SupplementPause))
	d := receive(t, env, "2026-03-09T09:00:00+07:00")
	script := []act{
		{"2026-03-09T10:00:00+07:00", "transfer", "tn01", map[string]string{"note": "đủ"}},
		{"2026-03-10T10:00:00+07:00", "request_supplement", "kt01", map[string]string{"reason": "thiếu bản sao"}},
		{"2026-03-11T09:00:00+07:00", "extend", "kt01", nil},
		{"2026-03-13T14:00:00+07:00", "supplemented", "tn01", nil},
		{"2026-03-16T09:00:00+07:00", "issue", "kt01", nil},
	}
	for _, a := range script {
		before := d.Clone()
		snapshot := deepCopy(t, d)
		dec, err := Step(env, d, ActInput{Action: a.action, Actor: a.actor, Inputs: a.inputs}, at(t, a.when))
		if err != nil {
			t.Fatalf("%s: %v", a.action, err)
		}
		// Scribble on the result: it must share nothing with the input.
		for i := range dec.Dossier.Ledger {
			dec.Dossier.Ledger[i].Kind = "scribble"
			if a := dec.Dossier.Ledger[i].Appointment; a != nil {
				*a = a.Add(1)
			}
		}
		for i := range dec.Dossier.History {
			h := &dec.Dossier.History[i]
			h.Actor = "scribble"
			if h.StepDueAt != nil {
				*h.StepDueAt = h.StepDueAt.Add(1)
			}
			if h.StepStartedAt != nil {
				*h.StepStartedAt = h.StepStartedAt.Add(1)
			}
			if h.Inputs != nil {
				h.Inputs["note"] = "scribble"
			}
		}
		if dec.Dossier.Uses != nil {
			dec.Dossier.Uses["extend"] = 99
		}
		if dec.Dossier.DueAt != nil {
			*dec.Dossier.DueAt = dec.Dossier.DueAt.Add(1)
		}
		if !reflect.DeepEqual(d, before) || !reflect.DeepEqual(deepCopy(t, d), snapshot) {
			t.Fatalf("%s mutated its input dossier, or shares memory with its result", a.action)
		}
		d = run(t, env, d, a) // the untouched decision, for the next step
	}
}

// deepCopy copies d field by field without Clone, so that a shallow
// Clone cannot hide a mutation.
func deepCopy(t *testing.T, d *Dossier) Dossier {
	t.Helper()
	c := *d
	c.DueAt = cloneTime(d.DueAt)
	c.AppointmentAt = cloneTime(d.AppointmentAt)
	c.StepDueAt = cloneTime(d.StepDueAt)
	c.FinishedAt = cloneTime(d.FinishedAt)
	c.NextCheckAt = cloneTime(d.NextCheckAt)
	c.Ledger = make([]ClockEvent, len(d.Ledger))
	for i, ev := range d.Ledger {
		ev.Appointment = cloneTime(ev.Appointment)
		c.Ledger[i] = ev
	}
	c.History = make([]HistoryRow, len(d.History))
	for i, h := range d.History {
		h.Inputs = copyInputs(h.Inputs)
		h.StepStartedAt = cloneTime(h.StepStartedAt)
		h.StepDueAt = cloneTime(h.StepDueAt)
		c.History[i] = h
	}
	if d.Uses != nil {
		c.Uses = map[string]int{}
		for k, v := range d.Uses {
			c.Uses[k] = v
		}
	}
	c.Fired = append([]string(nil), d.Fired...)
	return c
}
