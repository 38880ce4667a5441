package engine

import (
	"context"
	"fmt"
	"time"
)

// ActionRecalendar is the history action of a recomputation after the
// legal calendar changed; it is the deadline watch's (ActorSystem).
const ActionRecalendar = "recalendar"

// Recompute re-derives d's due instants on env's calendar. Due instants
// are derived from the ledger, never edited, so when the calendar changes
// under open dossiers — the Prime Minister's decision replaces a
// provisional year, or declares an extra day off — their stored instants
// are stale until recomputed. It returns false when nothing moved. A move
// is recorded as a history row of ActorSystem with the instants before
// and after, so the control slip shows why a date changed.
func Recompute(env Env, d *Dossier, now time.Time) (*Decision, bool, error) {
	if d.IsFinished() || len(d.Ledger) == 0 {
		// No ledger: an online dossier not yet received has no clock to
		// recompute.
		return nil, false, nil
	}
	p, cal := env.Procedure, env.Calendar
	cs, err := DeriveClock(p, cal, d.Ledger, "vi")
	if err != nil {
		return nil, false, err
	}
	nd := d.Clone()
	applyClock(nd, cs)
	nd.StepDueAt = nil
	if st, ok := p.State(d.State); ok && !st.TimeLimit.IsZero() && !st.IsFinal() && !st.IsWaiting() {
		nd.StepDueAt = timePtr(storeInstant(cal.Add(cal.Start(d.StepStartedAt, nil), st.TimeLimit)))
	}
	if sameInstant(nd.DueAt, d.DueAt) && sameInstant(nd.AppointmentAt, d.AppointmentAt) && sameInstant(nd.StepDueAt, d.StepDueAt) {
		return nil, false, nil
	}
	now = storeInstant(now)
	f := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(cal.Location()).Format(time.RFC3339)
	}
	row := HistoryRow{
		Seq: len(d.History) + 1, At: now, Action: ActionRecalendar, Actor: ActorSystem,
		FromState: d.State, ToState: d.State, FromUnit: d.Unit, ToUnit: d.Unit,
		Inputs: map[string]string{
			"calendar":         cal.Name(),
			"due_before":       f(d.DueAt),
			"due_after":        f(nd.DueAt),
			"step_due_before":  f(d.StepDueAt),
			"step_due_after":   f(nd.StepDueAt),
			"appointment_prev": f(d.AppointmentAt),
		},
	}
	nd.History = append(nd.History, row)
	nd.UpdatedAt = now
	nd.NextCheckAt = NextCheck(env, nd)
	// The appointment may have moved: the portal hears of it.
	dec, err := withSync(env, &Decision{Dossier: nd, Row: row}, now)
	return dec, err == nil, err
}

// RecomputeOpen recomputes every open dossier's due instants on the
// engine's calendar (see Recompute) and returns how many moved. Serve
// runs it at start-up, the only moment the calendar can change. It
// streams the open dossiers and writes only those that moved; one an
// officer changed meanwhile is recomputed again on the fresh version.
func (e *Engine) RecomputeOpen(ctx context.Context) (int, error) {
	moved := 0
	var retry []string
	err := e.Store.Scan(ctx, Query{Status: []Status{StatusInProgress, StatusPaused}}, func(d *Dossier) error {
		ok, err := e.recompute(ctx, d)
		switch {
		case ErrorCode(err) == ECONFLICT:
			retry = append(retry, d.Code)
		case err != nil:
			return err
		case ok:
			moved++
		}
		return nil
	})
	if err != nil {
		return moved, fmt.Errorf("recompute: %w", err)
	}
	for _, code := range retry {
		for attempt := 0; ; attempt++ {
			d, err := e.Store.Get(ctx, code)
			if err != nil {
				return moved, fmt.Errorf("recompute %s: %w", code, err)
			}
			ok, err := e.recompute(ctx, d)
			if ErrorCode(err) == ECONFLICT && attempt+1 < e.retries() {
				continue
			}
			if err != nil {
				return moved, err
			}
			if ok {
				moved++
			}
			break
		}
	}
	return moved, nil
}

// recompute writes d's recomputed instants if they moved, with one
// conditional write on its version.
func (e *Engine) recompute(ctx context.Context, d *Dossier) (bool, error) {
	env, err := e.EnvFor(d)
	if err != nil {
		return false, fmt.Errorf("recompute %s: %w", d.Code, err)
	}
	dec, changed, err := Recompute(env, d, e.Now.Time())
	if err != nil || !changed {
		return false, err
	}
	nd := dec.Dossier
	nd.Version = d.Version + 1
	if err := e.Store.Apply(ctx, nd, d.Version, dec.Notifications); err != nil {
		return false, err
	}
	return true, nil
}
