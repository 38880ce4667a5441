package engine

import "context"

// ActAs is Act by actor, who must be allowed to read the dossier: the
// right to read is checked on the dossier Act reads, so an action reads
// it once (the HTTP action path read it twice, a rights check then Act,
// which capped its throughput under concurrent senders; issue 14 §2).
// The answers are those of a read then an action: no dossier is a
// *NotFoundError (404); a dossier actor may not read is a
// *ForbiddenError naming no more than that (403), as an action on it is
// refused whatever it is; one actor may read but not act on is Step's
// own refusal. in.Actor should be actor.ID.
func (e *Engine) ActAs(ctx context.Context, actor *Person, code string, in ActInput, expect int64) (*Dossier, error) {
	return e.act(ctx, code, in, expect, func(d *Dossier) error {
		if !CanRead(actor, d) {
			who := ""
			if actor != nil {
				who = actor.ID
			}
			return &ForbiddenError{Person: who, Reason: "the dossier is not with your units"}
		}
		return nil
	})
}

// getFor reads the dossier an action is decided on: with a reader's
// check as Read does (e.Get: a missing dossier is always a dossier's
// *NotFoundError) and then the check itself, without one as Act always
// has.
func (e *Engine) getFor(ctx context.Context, code string, check func(*Dossier) error) (*Dossier, error) {
	if check == nil {
		return e.Store.Get(ctx, code)
	}
	d, err := e.Get(ctx, code)
	if err != nil {
		return nil, err
	}
	if err := check(d); err != nil {
		return nil, err
	}
	return d, nil
}
