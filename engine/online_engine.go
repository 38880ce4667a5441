package engine

import (
	"context"
	"errors"
	"fmt"
)

// PortalIDConflictError reports a second submission under a portal id
// already used with a different content: a retry must send the same
// dossier, and a new dossier needs a new id.
type PortalIDConflictError struct {
	PortalID string
	Code     string
}

func (e *PortalIDConflictError) Error() string {
	return fmt.Sprintf("portal id %s already submitted dossier %s with another content", e.PortalID, e.Code)
}

// ErrorCode implements the application error code interface.
func (e *PortalIDConflictError) ErrorCode() Code { return ECONFLICT }

// Message implements Localized.
func (e *PortalIDConflictError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("Portal dossier id %q was already used for dossier %s with a different content", e.PortalID, e.Code)
	}
	return fmt.Sprintf("Mã hồ sơ của cổng %q đã được dùng cho hồ sơ %s với nội dung khác", e.PortalID, e.Code)
}

// SubmitOnline stores a dossier a portal submitted (SubmitOnline, the
// pure step) and reports whether this call created it. The portal's id is
// the idempotency key: the same id with the same content returns the
// first dossier (created false), with another content a
// *PortalIDConflictError.
func (e *Engine) SubmitOnline(ctx context.Context, procedure string, version int, in OnlineInput) (*Dossier, bool, error) {
	key := OnlineKey(in.Actor, in.PortalID)
	if d, err := e.replayOnline(ctx, key, in); err == nil || ErrorCode(err) != ENOTFOUND {
		return d, false, err
	}
	p, err := e.Catalog.Get(procedure, version)
	if err != nil {
		return nil, false, err
	}
	env := Env{Procedure: p, Directory: e.Directory, Calendar: e.Calendar, PortalSync: e.PortalSync}
	if err := CheckOnline(env, in); err != nil {
		return nil, false, err
	}
	init, _ := p.State(p.Initial)
	if init == nil {
		return nil, false, fmt.Errorf("procedure %s: no initial state", p.Key())
	}
	unit, ok := e.Directory.Unit(init.Unit)
	if !ok {
		return nil, false, &NotFoundError{What: "unit", ID: init.Unit}
	}
	now := e.Now.Time()
	day := now.In(e.Calendar.Location()).Format("060102")
	for attempt := 0; attempt < e.retries(); attempt++ {
		var dec *Decision
		var stepErr error
		build := func(seq int) (*Dossier, []Notification, error) {
			if dec, stepErr = SubmitOnline(env, in, FormatCode(unit.Code, now.In(e.Calendar.Location()), seq), now); stepErr != nil {
				return nil, nil, stepErr
			}
			dec.Dossier.Version = 1
			return dec.Dossier, dec.Notifications, nil
		}
		err := e.insertNumbered(ctx, unit.Code, day, build)
		var dup *DuplicateError
		switch {
		case err == nil:
			return dec.Dossier, true, nil
		case stepErr != nil:
			return nil, false, stepErr
		case errors.As(err, &dup) && dup.Key != "":
			d, err := e.replayOnline(ctx, key, in)
			return d, false, err
		case errors.As(err, &dup):
			continue
		default:
			return nil, false, fmt.Errorf("submit online %s: %w", p.Code, err)
		}
	}
	return nil, false, fmt.Errorf("submit online %s: no free dossier code after %d attempts", p.Code, e.retries())
}

// replayOnline answers a submission whose key was used: the first
// dossier when the content is the same, a conflict otherwise.
func (e *Engine) replayOnline(ctx context.Context, key string, in OnlineInput) (*Dossier, error) {
	d, err := e.Store.GetByReceiveKey(ctx, key)
	if err != nil {
		return nil, err
	}
	if len(d.History) == 0 || d.History[0].Inputs[InputDigest] != in.Digest {
		return nil, &PortalIDConflictError{PortalID: in.PortalID, Code: d.Code}
	}
	return d, nil
}

// actOnline fires the online intake's decisions (AcceptOnline,
// RefuseOnline) for Act, with its rules: a retried key is a replay, and
// with expect > 0 a newer version is a *ConflictError. An acceptance
// takes the dossier's line in the desk's register (form 06) as any
// reception does, in the same atomic step as the acceptance on a
// RegisteringStore (elsewhere a lost race retried takes another line, as
// a failed reception leaves its line unused).
func (e *Engine) actOnline(ctx context.Context, code string, in ActInput, expect int64, check func(*Dossier) error) (*Dossier, error) {
	for attempt := 0; ; attempt++ {
		d, err := e.getFor(ctx, code, check)
		if err != nil {
			return nil, err
		}
		if in.IdempotencyKey != "" {
			for _, h := range d.History {
				if h.IdempotencyKey == in.IdempotencyKey {
					return d, nil
				}
			}
		}
		env, err := e.EnvFor(d)
		if err != nil {
			return nil, err
		}
		var dec *Decision
		if in.Action == ActionAcceptOnline {
			dec, err = AcceptOnline(env, d, in, e.Now.Time())
		} else {
			dec, err = RefuseOnline(env, d, in, e.Now.Time())
		}
		if err != nil {
			return nil, err
		}
		if expect > 0 && d.Version != expect {
			return nil, &ConflictError{Code: code, Version: expect}
		}
		nd := dec.Dossier
		nd.Version = d.Version + 1
		if rgs, ok := e.Store.(RegisteringStore); ok && in.Action == ActionAcceptOnline && nd.RegisterNo == 0 {
			// The line and the acceptance in one atomic step: a lost
			// race or a crash takes no line.
			unit, year, uerr := e.registerBookOf(nd)
			if uerr != nil {
				return nil, fmt.Errorf("%s %s: register: %w", in.Action, code, uerr)
			}
			err = rgs.ApplyRegistered(ctx, unit, year, d.Version, func(line int) (*Dossier, []Notification, error) {
				nd.RegisterBook, nd.RegisterNo = RegisterBook(unit, year), line
				return nd, dec.Notifications, nil
			})
		} else {
			if in.Action == ActionAcceptOnline {
				if err := e.registerLine(ctx, nd); err != nil {
					return nil, fmt.Errorf("%s %s: register: %w", in.Action, code, err)
				}
			}
			err = e.Store.Apply(ctx, nd, d.Version, dec.Notifications)
		}
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

// registerLine gives the dossier just received online its line in the
// receiving unit's register, when the store keeps one.
func (e *Engine) registerLine(ctx context.Context, d *Dossier) error {
	rs, ok := e.Store.(RegisterStore)
	if !ok || d.RegisterNo != 0 {
		return nil
	}
	unit, year, err := e.registerBookOf(d)
	if err != nil {
		return err
	}
	n, err := rs.NextRegisterNumber(ctx, unit, year)
	if err != nil {
		return err
	}
	d.RegisterBook, d.RegisterNo = RegisterBook(unit, year), n
	return nil
}

// registerBookOf names the book a dossier received online is written in:
// its receiving unit's (code) of the year it was received.
func (e *Engine) registerBookOf(d *Dossier) (string, int, error) {
	unit, ok := e.Directory.Unit(d.ReceivingUnit)
	if !ok {
		return "", 0, &NotFoundError{What: "unit", ID: d.ReceivingUnit}
	}
	return unit.Code, d.ReceivedAt.In(e.Calendar.Location()).Year(), nil
}

// Resync enqueues a fresh sync record of d's current picture, stamped
// apart from the change records by stamp (the resync's own id), and
// reports whether it was new (false: this resync already queued it).
func (e *Engine) Resync(ctx context.Context, d *Dossier, stamp string) (bool, error) {
	env, err := e.EnvFor(d)
	if err != nil {
		return false, err
	}
	seq := 0
	if n := len(d.History); n > 0 {
		seq = d.History[n-1].Seq
	}
	n, err := SyncNotification(env, d, SyncRecordID(d.Code, seq, "resync-"+stamp), "resync", e.Now.Time())
	if err != nil {
		return false, err
	}
	return e.Store.AddNotification(ctx, n)
}
