package engine

import (
	"context"
	"fmt"
	"time"
)

// ActionAssign is the history action of an assignment: a unit head
// naming the officer who handles the current step, or an officer taking
// it ("Nhận xử lý"). Its row's inputs are "assignee" and, on a
// reassignment, "previous". Procedures may not declare an action with
// this id (procedures lint).
const ActionAssign = "assign_step"

// CanAssign reports whether actor may assign d's current step to
// assignee: a unit head (the unit's head, or a person with the head role
// in it) to any officer of the unit, an officer to themself. Both must be
// active; the step must be with a unit (not finished, not waiting for the
// citizen). It answers with the error Assign would return.
func CanAssign(dir *Directory, d *Dossier, actor, assignee string) error {
	if d.IsFinished() {
		return &FinishedError{Code: d.Code, State: d.State}
	}
	if d.Unit == "" {
		return &NotAllowedError{Action: ActionAssign, State: d.State}
	}
	if dir == nil {
		return fmt.Errorf("no directory to check %q against", actor)
	}
	who, ok := dir.Person(assignee)
	if !ok || !who.Active || !who.InUnit(d.Unit) || !(who.HasRole(RoleOfficer) || who.HasRole(RoleHead)) {
		return &InvalidInputError{Field: "assignee", Reason: fmt.Sprintf("%q is not an active officer of unit %s", assignee, d.Unit)}
	}
	if err := checkMember(dir, actor, []string{d.Unit}); err != nil {
		return err
	}
	if actor == assignee {
		return nil
	}
	if !HeadsUnit(dir, actor, d.Unit) {
		return &ForbiddenError{Person: actor, Units: []string{d.Unit}, Reason: "only the unit head assigns a step to someone else"}
	}
	return nil
}

// HeadsUnit reports whether person heads unit: the unit's head, or a
// member with the head role.
func HeadsUnit(dir *Directory, person, unit string) bool {
	if h, ok := dir.Head(unit); ok && h == person {
		return true
	}
	p, ok := dir.Person(person)
	return ok && p.HasRole(RoleHead) && p.InUnit(unit)
}

// Assign is the pure step of an assignment (see CanAssign): the dossier
// with its new assignee and a history row that records who assigned whom
// and whom it replaced. Assigning the current assignee again is a
// replay: nothing to write.
func Assign(env Env, d *Dossier, actor, assignee string, now time.Time) (*Decision, error) {
	if err := CanAssign(env.Directory, d, actor, assignee); err != nil {
		return nil, err
	}
	if d.Assignee == assignee {
		return &Decision{Dossier: d.Clone(), Replay: true}, nil
	}
	now = storeInstant(now)
	nd := d.Clone()
	in := map[string]string{"assignee": assignee}
	if d.Assignee != "" {
		in["previous"] = d.Assignee
	}
	row := HistoryRow{
		Seq: len(d.History) + 1, At: now, Action: ActionAssign, Actor: actor,
		FromState: d.State, ToState: d.State, FromUnit: d.Unit, ToUnit: d.Unit, Inputs: in,
	}
	nd.Assignee = assignee
	nd.History = append(nd.History, row)
	nd.UpdatedAt = now
	dec := &Decision{Dossier: nd, Row: row}
	if actor != assignee {
		// Someone else named them: they learn it now, not at the first
		// reminder. An officer taking a step needs no notice.
		dec.Notifications = []Notification{assigned(env, nd, row, now)}
	}
	// Who handles the dossier is a progress row the portal shows.
	return withSync(env, dec, now)
}

// assigned is the notice to the officer a head assigned the current step
// to, and only to them: through the outbox like the other staff notices,
// written with the assignment.
func assigned(env Env, d *Dossier, row HistoryRow, now time.Time) Notification {
	data := map[string]string{"code": d.Code, "unit": d.Unit, "assigned_by": row.Actor}
	if env.Procedure != nil {
		data["procedure"], data["procedure_code"] = env.Procedure.Name, env.Procedure.Code
		if st, ok := env.Procedure.State(d.State); ok {
			data["state"] = st.Name
		}
	}
	if p, ok := env.Directory.Person(row.Actor); ok {
		data["assigned_by"] = p.Name
	}
	if env.Calendar != nil {
		if d.StepDueAt != nil {
			data["step_due_at"] = d.StepDueAt.In(env.Calendar.Location()).Format(time.RFC3339)
		}
		if d.DueAt != nil {
			data["due_at"] = d.DueAt.In(env.Calendar.Location()).Format(time.RFC3339)
		}
	}
	return Notification{
		ID:      fmt.Sprintf("%s/%d/%s", d.Code, row.Seq, NoteAssigned),
		Dossier: d.Code, Kind: NoteAssigned, To: []string{d.Assignee},
		At: now, Data: data, Status: NotificationPending, NextAttempt: now,
	}
}

// Assign assigns the current step of dossier code to assignee on
// actor's behalf (see CanAssign), with one conditional write on the
// version read, or on expect when it is positive (a page's stale form is
// a *ConflictError).
func (e *Engine) Assign(ctx context.Context, code, actor, assignee string, expect int64) (*Dossier, error) {
	for attempt := 0; ; attempt++ {
		d, err := e.Get(ctx, code)
		if err != nil {
			return nil, err
		}
		if expect > 0 && d.Version != expect && !ReadOnlySince(d, expect) {
			return nil, &ConflictError{Code: code, Version: expect}
		}
		env, err := e.EnvFor(d)
		if err != nil {
			return nil, err
		}
		dec, err := Assign(env, d, actor, assignee, e.Now.Time())
		if err != nil {
			return nil, err
		}
		if dec.Replay {
			return d, nil
		}
		nd := dec.Dossier
		nd.Version = d.Version + 1
		err = e.Store.Apply(ctx, nd, d.Version, dec.Notifications)
		if ErrorCode(err) == ECONFLICT && expect == 0 && attempt+1 < e.retries() {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("assign %s: %w", code, err)
		}
		return nd, nil
	}
}
