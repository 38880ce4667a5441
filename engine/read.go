package engine

import (
	"context"
	"fmt"
)

// Reads go through the Engine as writes do, so that who may read what
// has one home, beside who may act: the API, the pages, the dashboard,
// the metrics and the reports ask the engine, never the store. The rules
// are pure functions of the person and the dossier:
//
//	role     reads                             lists
//	officer  dossiers of their units           dossiers now with their units
//	head     dossiers of their units           dossiers now with their units
//	admin    all                               all
//	viewer   all                               all
//
// "Of their units" means the dossier is, or was, with one of the person's
// units (current unit, receiving unit, or any handover row): a desk
// officer still reads the dossier they received while an office works on
// it.

// ReadsAll reports whether p may read every dossier (admins, viewers).
func ReadsAll(p *Person) bool {
	return p.HasRole(RoleAdmin) || p.HasRole(RoleViewer)
}

// CanRead reports whether p may read dossier d; nobody (nil) reads
// nothing.
func CanRead(p *Person, d *Dossier) bool {
	if p == nil {
		return false
	}
	if ReadsAll(p) {
		return true
	}
	if !p.HasRole(RoleOfficer) && !p.HasRole(RoleHead) {
		return false
	}
	if p.InUnit(d.Unit) || p.InUnit(d.ReceivingUnit) {
		return true
	}
	for _, h := range d.History {
		if (h.FromUnit != "" && p.InUnit(h.FromUnit)) || (h.ToUnit != "" && p.InUnit(h.ToUnit)) {
			return true
		}
	}
	return false
}

// ListUnits returns the units whose dossiers p may list: nil with all ==
// true for people who read everything, p's units otherwise (none for a
// person without a reading role).
func ListUnits(p *Person) (units []string, all bool) {
	if ReadsAll(p) {
		return nil, true
	}
	if !p.HasRole(RoleOfficer) && !p.HasRole(RoleHead) {
		return nil, false
	}
	return append([]string(nil), p.Units...), false
}

// ReadForbiddenError reports a dossier its reader may not read.
type ReadForbiddenError struct {
	Person string
	Code   string
}

func (e *ReadForbiddenError) Error() string {
	return fmt.Sprintf("%s may not read dossier %s", e.Person, e.Code)
}

// ErrorCode implements the application error code interface.
func (e *ReadForbiddenError) ErrorCode() Code { return EFORBIDDEN }

// Message implements Localized. It names neither the person nor the
// code: the reader knows both, and a refusal must not confirm to anyone
// else whose dossier it is.
func (e *ReadForbiddenError) Message(lang string) string {
	if lang == "en" {
		return "You may not read another unit's dossier."
	}
	return "Bạn không được xem hồ sơ của đơn vị khác."
}

// Get returns the dossier with code as the system reads it, whoever it
// belongs to: for the deadline watch, the public lookup (which shows only
// what the public may see) and the command line. A missing dossier is a
// *NotFoundError naming it, whatever words the store used.
func (e *Engine) Get(ctx context.Context, code string) (*Dossier, error) {
	d, err := e.Store.Get(ctx, code)
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return nil, &NotFoundError{What: "dossier", ID: code}
		}
		return nil, err
	}
	return d, nil
}

// Read returns the dossier with code if reader may read it (CanRead):
// a *NotFoundError when there is none, a *ReadForbiddenError when it is
// another unit's.
func (e *Engine) Read(ctx context.Context, reader *Person, code string) (*Dossier, error) {
	d, err := e.Get(ctx, code)
	if err != nil {
		return nil, err
	}
	if !CanRead(reader, d) {
		who := ""
		if reader != nil {
			who = reader.ID
		}
		return nil, &ReadForbiddenError{Person: who, Code: code}
	}
	return d, nil
}

// List returns one page of the dossiers matching q that reader may list
// (ListUnits): q's units are narrowed to reader's, and a reader with no
// unit to list gets none. A nil reader is the system (the watch, the
// metrics), which lists everything.
func (e *Engine) List(ctx context.Context, reader *Person, q Query) ([]*Dossier, error) {
	if reader != nil {
		units, all := ListUnits(reader)
		if !all {
			q.Units = narrow(q.Units, units)
			if len(q.Units) == 0 {
				return nil, nil
			}
		}
	}
	return e.Store.List(ctx, q)
}

// Scan streams every dossier matching q to fn, as the system reads them:
// for reports and metrics, which count what no single person may read.
// It makes the Engine a report.Source.
func (e *Engine) Scan(ctx context.Context, q Query, fn func(*Dossier) error) error {
	return e.Store.Scan(ctx, q, fn)
}

// narrow returns the units of asked that mine holds, or mine when asked
// is empty (no filter).
func narrow(asked, mine []string) []string {
	if len(asked) == 0 {
		return mine
	}
	var out []string
	for _, u := range asked {
		if contains(mine, u) {
			out = append(out, u)
		}
	}
	return out
}

// mayReplay reports whether actor may be handed d back for a reception
// key d was received with: only someone who may read it, since keys are
// global and a guessed or reused key must not reveal another unit's
// dossier.
func (e *Engine) mayReplay(actor string, d *Dossier) bool {
	p, ok := e.Directory.Person(actor)
	return ok && CanRead(p, d)
}

// replayReception returns the dossier received with in's key, if actor
// may read it; a *DuplicateError (the key is used) if not; a
// *NotFoundError when no dossier has the key.
func (e *Engine) replayReception(ctx context.Context, in ReceiveInput) (*Dossier, error) {
	d, err := e.Store.GetByReceiveKey(ctx, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	if !e.mayReplay(in.Actor, d) {
		return nil, &DuplicateError{Key: in.IdempotencyKey}
	}
	return d, nil
}
