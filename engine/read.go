package engine

import (
	"context"
	"errors"
	"fmt"
)

// Reads go through the Engine as writes do, so that who may read what
// has one home, beside who may act: the API, the pages, the dashboard,
// the metrics and the reports ask the engine, never the store. The rules
// are pure functions of the person and the dossier:
//
//	role            reads                        lists (inbox)                 figures
//	officer         dossiers of their units      dossiers now with their units —
//	head            dossiers of their units      dossiers now with their units their units'
//	leader          all                          all                           the agency's
//	admin, viewer   all                          all                           the agency's
//
// "Of their units" means the dossier is, or was, with one of the person's
// units (current unit, receiving unit, or any handover row): a desk
// officer still reads the dossier they received while an office works on
// it, and finds it in the list of what the desk received (Received) and,
// while it waits for the citizen, in the desk's supplement queue
// (SupplementQueue). A leader is the leader role or the head of a unit
// marked as the agency's leadership (Person.Leads).

// ReadsAll reports whether p may read every dossier (leaders, admins,
// viewers).
func ReadsAll(p *Person) bool {
	return p != nil && (p.HasRole(RoleAdmin) || p.HasRole(RoleViewer) || p.Leads())
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

// Received returns one page of the dossiers matching q that one of
// reader's units received, wherever they are now: the desk's view of
// what it handed on. q.Units is ignored (the receiving unit is the
// filter); q's offset and limit page the result. A reader without units
// gets none.
//
// The stores index the responsible unit, not the receiving one, so the
// filter runs here over q's other conditions: cheap with a reception
// range or a status, a walk of every dossier without. A store index on
// receiving_unit is the remedy when desks keep years of dossiers open.
func (e *Engine) Received(ctx context.Context, reader *Person, q Query) ([]*Dossier, error) {
	if reader == nil || len(reader.Units) == 0 {
		return nil, nil
	}
	return e.filtered(ctx, q, func(d *Dossier) bool { return reader.InUnit(d.ReceivingUnit) })
}

// SupplementQueue returns one page of the dossiers waiting for the
// citizen (paused, in a state that waits for the applicant) that one of
// reader's units received: the desk's "Chờ bổ sung" queue, from which it
// records the supplement. A waiting dossier is with no unit, so no inbox
// would show it. q.Status and q.Units are ignored.
func (e *Engine) SupplementQueue(ctx context.Context, reader *Person, q Query) ([]*Dossier, error) {
	if reader == nil || len(reader.Units) == 0 {
		return nil, nil
	}
	q.Status = []Status{StatusPaused}
	return e.filtered(ctx, q, func(d *Dossier) bool {
		return d.Status == StatusPaused && d.Unit == "" && reader.InUnit(d.ReceivingUnit)
	})
}

// errPageFull stops a filtered scan once its page is full.
var errPageFull = errors.New("page full")

// filtered pages through the dossiers matching q (units aside) that keep
// accepts, in q's order.
func (e *Engine) filtered(ctx context.Context, q Query, keep func(*Dossier) bool) ([]*Dossier, error) {
	skip, limit := max(q.Offset, 0), q.Limit
	q.Units, q.Offset, q.Limit = nil, 0, 0
	var out []*Dossier
	err := e.Store.Scan(ctx, q, func(d *Dossier) error {
		if !keep(d) {
			return nil
		}
		if skip > 0 {
			skip--
			return nil
		}
		out = append(out, d)
		if limit > 0 && len(out) >= limit {
			return errPageFull
		}
		return nil
	})
	if err != nil && !errors.Is(err, errPageFull) {
		return nil, err
	}
	return out, nil
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

// Message implements Localized: the reader is told the dossier is not
// theirs to read, in plain words.
func (e *ReadForbiddenError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("Dossier %s is not one of your units' dossiers: it was never received by, nor handed to, your units.", e.Code)
	}
	return fmt.Sprintf("Hồ sơ %s không thuộc đơn vị của bạn: đơn vị bạn chưa từng tiếp nhận hay xử lý hồ sơ này.", e.Code)
}
