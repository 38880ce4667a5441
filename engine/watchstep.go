package engine

import (
	"fmt"
	"sort"
	"time"
)

// Check is the deadline watch's pure step: what must happen to d at now.
// It fires the current state's timed action when it is due (through Step,
// actor ActorSystem, so that rights, history and handover notices are
// those of any action), or else fires the alarms that are due (see
// Alarms): their keys go into the new dossier's Fired and their
// notifications into the decision. It always recomputes NextCheckAt.
//
// It reports false, with a nil decision, when nothing would change: the
// caller writes nothing. Otherwise the caller applies the decision with
// one conditional write on d.Version; that write, not any lock, makes each
// alarm fire at most once. A history row is added only by a timed action
// (Decision.Row is then that row; it is zero otherwise).
//
// Notification IDs are "<code>/<alarm key>", so that a decision recomputed
// after a crash or a lost race carries the same IDs.
func Check(env Env, d *Dossier, now time.Time) (*Decision, bool, error) {
	now = storeInstant(now)
	if t, ok := TimeoutAt(env, d); ok && !t.After(now) {
		st, _ := env.Procedure.State(d.State)
		// The key makes a retried firing for this visit a replay, not a
		// second firing.
		in := ActInput{Action: st.Timeout.Action, Actor: ActorSystem, IdempotencyKey: fmt.Sprintf("timeout/v%d", d.StepVisit)}
		dec, err := Step(env, d, in, now)
		if err != nil {
			return nil, false, fmt.Errorf("timed action %q of %s in state %q: %w", st.Timeout.Action, d.Code, d.State, err)
		}
		if dec.Replay {
			return nil, false, nil
		}
		return dec, true, nil
	}

	nd := d.Clone()
	var notes []Notification
	for _, a := range Alarms(env, d) {
		if a.At.After(now) || contains(d.Fired, a.Key) {
			continue
		}
		nd.Fired = append(nd.Fired, a.Key)
		if a.Kind == NoteReminder && !a.Deadline.After(now) {
			// The deadline passed before the reminder could go out (the
			// watch was down): the breach rung says it better. Marked as
			// fired so that it is not considered again.
			continue
		}
		notes = append(notes, alarmNotification(env, d, a, now))
	}
	nd.NextCheckAt = NextCheck(env, nd)
	if len(nd.Fired) == len(d.Fired) && sameInstant(nd.NextCheckAt, d.NextCheckAt) {
		return nil, false, nil
	}
	nd.UpdatedAt = now
	return &Decision{Dossier: nd, Notifications: notes}, true, nil
}

func sameInstant(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// Recipients returns the person ids an alarm notifies, resolved from the
// directory now, so that a new unit head gets today's escalations:
//
//   - a reminder (NotifyAssignee) goes to the step's assignee while they
//     are an active member of the acting unit, to the unit's officers
//     (Directory.Officers) when nobody is assigned;
//   - the apology notice goes to the people who may fire the apology
//     action in the dossier's current state (Available): never to an
//     admin or a viewer who is not an officer, nor to a unit that cannot
//     act on it;
//   - NotifyUnitHead goes to the head of the acting unit, a unit id to
//     that unit's head. A unit without a head falls back to its
//     officers, so that the notice still reaches someone who can act.
func Recipients(env Env, d *Dossier, a Alarm) []string {
	dir := env.Directory
	if a.Kind == NoteApologyDue {
		return mayApologise(env, d)
	}
	target := NotifyAssignee
	if a.Rung != nil && a.Rung.Notify != "" {
		target = a.Rung.Notify
	}
	switch target {
	case NotifyAssignee:
		if p, ok := dir.Person(d.Assignee); ok && p.Active && p.InUnit(d.Unit) {
			return []string{p.ID}
		}
		return dir.Officers(d.Unit)
	case NotifyUnitHead:
		return headOrMembers(dir, d.Unit)
	default:
		return headOrMembers(dir, target)
	}
}

// mayApologise returns, sorted, the officers and heads who may fire the
// procedure's apology (reappoint) action on d now.
func mayApologise(env Env, d *Dossier) []string {
	ra, ok := reappointAction(env.Procedure)
	if !ok {
		return nil
	}
	var out []string
	for _, p := range env.Directory.People() {
		if !p.HasRole(RoleOfficer) && !p.HasRole(RoleHead) {
			continue
		}
		for _, a := range Available(env.Procedure, d, p) {
			if a == ra {
				out = append(out, p.ID)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

func headOrMembers(dir *Directory, unit string) []string {
	if h, ok := dir.Head(unit); ok {
		return []string{h}
	}
	return dir.Officers(unit)
}

// alarmNotification builds the notification of alarm a on d, decided at
// now. Instants in Data are RFC 3339 in the calendar's zone, so that
// templates print the wall-clock time the office reads.
func alarmNotification(env Env, d *Dossier, a Alarm, now time.Time) Notification {
	p, cal := env.Procedure, env.Calendar
	loc := cal.Location()
	data := map[string]string{
		"code":           d.Code,
		"procedure":      p.Name,
		"procedure_en":   p.NameEN,
		"procedure_code": p.Code,
		"state":          d.State,
		"unit":           d.Unit,
		"deadline":       a.Deadline.In(loc).Format(time.RFC3339),
		"fire_at":        a.At.In(loc).Format(time.RFC3339),
		"late_work":      cal.Elapsed(a.Deadline, now).String(),
		"left_work":      cal.Elapsed(now, a.Deadline).String(),
		"day_work":       cal.DayWork().String(),
	}
	if st, ok := p.State(d.State); ok {
		data["step"], data["step_en"] = st.Name, st.NameEN
	}
	if u, ok := env.Directory.Unit(d.Unit); ok {
		data["unit_name"], data["unit_name_en"] = u.Name, u.NameEN
	}
	if d.DueAt != nil {
		data["due_at"] = d.DueAt.In(loc).Format(time.RFC3339)
	}
	if d.AppointmentAt != nil {
		data["appointment_at"] = d.AppointmentAt.In(loc).Format(time.RFC3339)
	}
	if d.StepDueAt != nil {
		data["step_due_at"] = d.StepDueAt.In(loc).Format(time.RFC3339)
	}
	if a.Rung != nil {
		data["notify"] = a.Rung.Notify
		if a.Rung.Before != nil {
			data["before"], data["before_en"] = a.Rung.Before.Vietnamese(), a.Rung.Before.String()
		}
		if a.Rung.After != nil {
			data["after"], data["after_en"] = a.Rung.After.Vietnamese(), a.Rung.After.String()
		}
	}
	if a.Kind == NoteApologyDue {
		if ra, ok := reappointAction(p); ok {
			data["action"], data["action_name"], data["action_name_en"] = ra.ID, ra.Name, ra.NameEN
		}
	}
	return Notification{
		ID:      d.Code + "/" + a.Key,
		Dossier: d.Code, Kind: a.Kind, Level: a.Level,
		To: Recipients(env, d, a),
		At: now, Data: data, Status: NotificationPending, NextAttempt: now,
	}
}
