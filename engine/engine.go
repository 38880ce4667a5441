package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/motcua/motcua/engine/calendar"
)

// Engine receives dossiers and advances them: it reads from the Store,
// asks the pure step what to do, and writes the decision back with one
// conditional write. It holds no state of its own and is safe for
// concurrent use.
type Engine struct {
	Store     Store
	Catalog   *Catalog
	Directory *Directory
	Calendar  *calendar.Calendar
	// Now is the clock (nil: the system clock); tests and the simulator
	// replace it.
	Now Clock
	// Retries bounds how often a transition is recomputed after losing a
	// race on the dossier's version (default 8).
	Retries int
	// BackdateDays is how many working days back a postal reception may
	// be dated (0: DefaultBackdateDays; negative: never). serve sets it
	// from a flag.
	BackdateDays int
	// ApplicantChannels are the channels serve configured for notices to
	// the applicant (see Env.ApplicantChannels).
	ApplicantChannels []string
	// PortalSync makes every change carry a sync record for the national
	// portal in the same write (syncrecord.go); serve sets it when a
	// portal endpoint is configured.
	PortalSync bool
}

func (e *Engine) retries() int {
	if e.Retries > 0 {
		return e.Retries
	}
	return 8
}

// EnvFor returns the environment of d: the procedure version it started on.
func (e *Engine) EnvFor(d *Dossier) (Env, error) {
	p, err := e.Catalog.Get(d.Procedure, d.ProcedureVersion)
	if err != nil {
		return Env{}, err
	}
	return Env{Procedure: p, Directory: e.Directory, Calendar: e.Calendar, ApplicantChannels: e.ApplicantChannels, PortalSync: e.PortalSync}, nil
}

// Receive registers a new dossier under the given procedure (version 0:
// the latest) and returns it with its code and due instant. A reception
// whose idempotency key was already used returns the dossier received
// with it when in.Actor may read that dossier (CanRead), and a
// *DuplicateError otherwise: keys are global, and the answer is the same
// whether the first reception finished long ago or won a race a moment
// ago.
func (e *Engine) Receive(ctx context.Context, procedure string, version int, in ReceiveInput) (*Dossier, error) {
	d, _, err := e.ReceiveOnce(ctx, procedure, version, in)
	return d, err
}

// ReceiveOnce is Receive that also reports whether this call received
// the dossier (true) or handed back the one its key had received (false),
// for callers that count receptions.
func (e *Engine) ReceiveOnce(ctx context.Context, procedure string, version int, in ReceiveInput) (*Dossier, bool, error) {
	// A retried reception is answered before anything else, even the
	// procedure's lookup: the first answer stands, whatever changed since.
	if in.IdempotencyKey != "" {
		if d, err := e.replayReception(ctx, in); err == nil || ErrorCode(err) != ENOTFOUND {
			return d, false, err
		}
	}
	return e.receive(ctx, procedure, version, in)
}

// ReceptionReplay answers a retried reception as ReceiveOnce does,
// without receiving anything: the dossier an earlier reception received
// under in.IdempotencyKey when in.Actor may read it, a *DuplicateError
// when not, and a *NotFoundError when the key is empty or unused. A
// reception that has more to do than the insert (the scans of a
// reception with files) asks it first, so that a retry is answered
// before the checks a first reception passes, as here.
func (e *Engine) ReceptionReplay(ctx context.Context, in ReceiveInput) (*Dossier, error) {
	if in.IdempotencyKey == "" {
		return nil, &NotFoundError{What: "reception key", ID: ""}
	}
	return e.replayReception(ctx, in)
}

// receive takes a number and inserts the new dossier, retrying on a
// number handed out twice; a lost race on the key returns the winner
// (replayReception).
func (e *Engine) receive(ctx context.Context, procedure string, version int, in ReceiveInput) (*Dossier, bool, error) {
	p, err := e.Catalog.Get(procedure, version)
	if err != nil {
		return nil, false, err
	}
	env := Env{Procedure: p, Directory: e.Directory, Calendar: e.Calendar, BackdateDays: e.BackdateDays, ApplicantChannels: e.ApplicantChannels, PortalSync: e.PortalSync}
	now := e.Now.Time()
	init, _ := p.State(p.Initial)
	if init == nil {
		return nil, false, fmt.Errorf("procedure %s: no initial state", p.Key())
	}
	unit, ok := e.Directory.Unit(init.Unit)
	if !ok {
		return nil, false, &NotFoundError{What: "unit", ID: init.Unit}
	}
	received := in.ReceivedAt
	if received.IsZero() {
		received = now
	}
	day := received.In(e.Calendar.Location())
	// Check the input before taking a number: a rejected reception must
	// change nothing stored, not even the day's sequence.
	if err := CheckReception(env, in, now); err != nil {
		return nil, false, err
	}
	// A store that writes the register line with the dossier
	// (RegisteringStore) takes it in the reception's one atomic step, so
	// no failure leaves a line unused. Otherwise the line is taken once,
	// before the code: a retry on a code handed out twice keeps its line,
	// and a reception that fails after this leaves its line unused, as it
	// leaves its code.
	var line int
	rgs, registering := e.Store.(RegisteringStore)
	if rs, ok := e.Store.(RegisterStore); ok && !registering {
		n, err := rs.NextRegisterNumber(ctx, unit.Code, day.Year())
		if err != nil {
			return nil, false, fmt.Errorf("receive %s: register: %w", p.Code, err)
		}
		line = n
	}
	for attempt := 0; attempt < e.retries(); attempt++ {
		// build is the pure part of a reception, given its number and
		// line; a refusal of the step is returned as is, not as a store
		// error.
		var dec *Decision
		var code string
		var stepErr error
		build := func(seq, line int) (*Dossier, []Notification, error) {
			code = FormatCode(unit.Code, day, seq)
			if dec, stepErr = Receive(env, in, code, now); stepErr != nil {
				return nil, nil, stepErr
			}
			dec.Dossier.Version = 1
			if line > 0 {
				dec.Dossier.RegisterBook, dec.Dossier.RegisterNo = RegisterBook(unit.Code, day.Year()), line
			}
			return dec.Dossier, dec.Notifications, nil
		}
		switch {
		case registering:
			// One atomic step: number, line and dossier, or none.
			err = rgs.InsertRegistered(ctx, unit.Code, day.Format("060102"), day.Year(), build)
		default:
			err = e.insertNumbered(ctx, unit.Code, day.Format("060102"), func(seq int) (*Dossier, []Notification, error) { return build(seq, line) })
		}
		var dup *DuplicateError
		switch {
		case err == nil:
			return dec.Dossier, true, nil
		case stepErr != nil:
			return nil, false, stepErr
		case errors.As(err, &dup) && dup.Key != "":
			// A concurrent reception with the same key won: hand its
			// dossier back under the same rule as a plain retry.
			d, err := e.replayReception(ctx, in)
			return d, false, err
		case errors.As(err, &dup):
			continue // a sequence handed out twice by a weak store: take the next
		case code == "": // no number taken
			return nil, false, fmt.Errorf("receive %s: %w", p.Code, err)
		default:
			return nil, false, fmt.Errorf("receive %s: %w", code, err)
		}
	}
	return nil, false, fmt.Errorf("receive %s: no free dossier code after %d attempts", p.Code, e.retries())
}

// Act fires an action on the dossier code. With expect > 0 the caller
// states the version it saw and a newer one is a *ConflictError; with
// expect == 0 a lost race is recomputed on the fresh dossier, the action
// checked again as if just requested.
func (e *Engine) Act(ctx context.Context, code string, in ActInput, expect int64) (*Dossier, error) {
	return e.act(ctx, code, in, expect, nil)
}

// act is Act with an optional check of each dossier read, before the
// action is decided on it (ActAs's right to read).
func (e *Engine) act(ctx context.Context, code string, in ActInput, expect int64, check func(*Dossier) error) (*Dossier, error) {
	if IsOnlineAction(in.Action) {
		return e.actOnline(ctx, code, in, expect, check)
	}
	for attempt := 0; ; attempt++ {
		d, err := e.getFor(ctx, code, check)
		if err != nil {
			return nil, err
		}
		env, err := e.EnvFor(d)
		if err != nil {
			return nil, err
		}
		dec, err := Step(env, d, in, e.Now.Time())
		if err != nil {
			return nil, err
		}
		if dec.Replay {
			return d, nil
		}
		if expect > 0 && d.Version != expect && !ReadOnlySince(d, expect) {
			return nil, &ConflictError{Code: code, Version: expect}
		}
		nd := dec.Dossier
		nd.Version = d.Version + 1
		err = e.Store.Apply(ctx, nd, d.Version, dec.Notifications)
		var conflict *ConflictError
		if errors.As(err, &conflict) && expect == 0 && attempt+1 < e.retries() {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", in.Action, code, err)
		}
		return nd, nil
	}
}

// Explain returns the derivation of the dossier's due instant: the
// calendar's reading of each ledger event, in lang.
func (e *Engine) Explain(d *Dossier, lang string) ([]string, error) {
	if len(d.Ledger) == 0 {
		return noClockExplanation(d, lang), nil
	}
	env, err := e.EnvFor(d)
	if err != nil {
		return nil, err
	}
	cs, err := DeriveClock(env.Procedure, e.Calendar, d.Ledger, lang)
	if err != nil {
		return nil, err
	}
	lines := cs.Explanation
	if len(d.Ledger) > 0 {
		r := e.Calendar.Due(d.Ledger[0].At, env.Procedure.TimeLimit, env.Procedure.Cutoff)
		lines = append([]string{e.Calendar.Explain(r, lang)}, lines...)
	}
	return lines, nil
}

// insertNumbered takes the next number of unit's series for day and
// stores the dossier build makes with it. A NumberingStore does both in
// one atomic step, so a crash cannot take a number without its dossier
// and the day's series has no gaps; another store takes the number, then
// inserts.
func (e *Engine) insertNumbered(ctx context.Context, unit, day string, build func(seq int) (*Dossier, []Notification, error)) error {
	if ns, ok := e.Store.(NumberingStore); ok {
		return ns.InsertNumbered(ctx, unit, day, build)
	}
	seq, err := e.Store.NextSequence(ctx, unit, day)
	if err != nil {
		return err
	}
	d, outbox, err := build(seq)
	if err != nil {
		return err
	}
	return e.Store.Insert(ctx, d, outbox)
}
