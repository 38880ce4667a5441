package simulate

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/procedures"
)

// Clock is the simulated clock Run moves to each step's instant; the
// engine must read its time from the same clock (SimClock).
type Clock interface {
	Set(t time.Time)
}

// Sweeper runs one pass of the deadline watch as of at. The watch
// implements it; a nil Sweeper makes sweep steps fail with a message.
type Sweeper interface {
	SweepOnce(ctx context.Context, at time.Time) error
}

// ErrNoSweeper is recorded for a sweep step when Run has no Sweeper.
var ErrNoSweeper = errors.New("deadline watch not available")

// Result is what a run produced, ready for JSON: every dossier received
// (in reception order), every notification decided (oldest first) and
// every rejected step. Instants are RFC3339 in the calendar's offset.
type Result struct {
	Dossiers      []Dossier      `json:"dossiers"`
	Notifications []Notification `json:"notifications"`
	Errors        []StepError    `json:"errors"`

	cal *calendar.Calendar
}

// Dossier is a dossier as the run left it.
type Dossier struct {
	Ref        string            `json:"ref"`
	Code       string            `json:"code"`
	Procedure  string            `json:"procedure"`
	Version    int               `json:"version"`
	State      string            `json:"state"`
	Status     engine.Status     `json:"status"`
	Result     engine.Outcome    `json:"result"`
	ReceivedAt string            `json:"received_at"`
	DueAt      *string           `json:"due_at"`
	StepDueAt  *string           `json:"step_due_at"`
	FinishedAt *string           `json:"finished_at"`
	Timeliness engine.Timeliness `json:"timeliness"`
	History    []HistoryRow      `json:"history"`
}

// HistoryRow is one row of the process control slip.
type HistoryRow struct {
	Seq        int               `json:"seq"`
	At         string            `json:"at"`
	Action     string            `json:"action"`
	Actor      string            `json:"actor"`
	FromState  string            `json:"from_state,omitempty"`
	ToState    string            `json:"to_state"`
	FromUnit   string            `json:"from_unit,omitempty"`
	ToUnit     string            `json:"to_unit,omitempty"`
	Inputs     map[string]string `json:"inputs,omitempty"`
	StepDueAt  *string           `json:"step_due_at,omitempty"`
	StepResult engine.Timeliness `json:"step_result,omitempty"`
}

// Notification is a notification decided during the run.
type Notification struct {
	At      string   `json:"at"`
	Ref     string   `json:"ref"`
	Kind    string   `json:"kind"`
	Level   int      `json:"level"`
	To      []string `json:"to"`
	Channel string   `json:"channel"`
}

// StepError is a rejected step: its index in the scenario (from 0), the
// dossier ref it named, and the engine's message.
type StepError struct {
	Index   int    `json:"index"`
	Ref     string `json:"ref"`
	Message string `json:"message"`

	err error
}

// Err returns the error behind the message, for typed inspection.
func (e StepError) Err() error { return e.err }

// Environment loads what the scenario names: its procedures, directory
// and calendar (the built-in vn calendar when none is named).
func (sc *Scenario) Environment() (*engine.Catalog, *engine.Directory, *calendar.Calendar, error) {
	procs, err := procedures.LoadAll(sc.Procedures...)
	if err != nil {
		return nil, nil, nil, err
	}
	// A scenario plays the clock and attaches no files: a result the
	// procedure issues as a file is taken as attached, so the result
	// gate (tested in engine) does not stop a simulated approval. Fees
	// still gate as they do at the desk.
	for _, p := range procs {
		if p.Result.File == engine.ResultFileRequired {
			p.Result.File = engine.ResultFileOptional
		}
	}
	cat, err := engine.NewCatalog(procs...)
	if err != nil {
		return nil, nil, nil, err
	}
	dir, err := procedures.LoadDirectory(sc.Directory)
	if err != nil {
		return nil, nil, nil, err
	}
	cal := calendar.VN()
	if sc.Calendar != "" {
		if cal, err = procedures.LoadCalendar(sc.Calendar); err != nil {
			return nil, nil, nil, err
		}
	}
	return cat, dir, cal, nil
}

// Run plays sc on eng, whose Now must read clock: for each step it sets
// the clock to the step's instant and receives, acts or sweeps through
// the engine and its store. A rejected step is recorded in the result's
// Errors and the run goes on; Run fails only when ctx ends or the store
// cannot be read back.
func Run(ctx context.Context, eng *engine.Engine, clock Clock, sc *Scenario, sweeper Sweeper) (*Result, error) {
	res := &Result{Dossiers: []Dossier{}, Notifications: []Notification{}, Errors: []StepError{}, cal: eng.Calendar}
	codes := map[string]string{} // ref → dossier code
	var order []string           // refs in reception order
	reject := func(i int, ref string, err error) {
		res.Errors = append(res.Errors, StepError{Index: i, Ref: ref, Message: err.Error(), err: err})
	}
	for i, st := range sc.Steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		clock.Set(st.At)
		switch st.Kind {
		case KindReceive:
			r := st.Receive
			in := engine.ReceiveInput{
				Actor: r.By, Channel: r.Channel, Applicant: r.Applicant, ReceivedAt: r.ReceivedAt,
				Inputs: r.Inputs, IdempotencyKey: r.IdempotencyKey,
			}
			// Scenarios play the clock, not the desk: every dossier
			// they receive is complete (the checklist is tested apart).
			if p, err := eng.Catalog.Get(r.Procedure, r.Version); err == nil {
				in.Components = engine.CompleteChecklist(p)
			}
			d, err := eng.Receive(ctx, r.Procedure, r.Version, in)
			if err != nil {
				reject(i, r.Ref, err)
				continue
			}
			codes[r.Ref] = d.Code
			order = append(order, r.Ref)
		case KindAct:
			a := st.Act
			code, ok := codes[a.Ref]
			if !ok {
				reject(i, a.Ref, &notReceivedError{ref: a.Ref})
				continue
			}
			if _, err := eng.Act(ctx, code, engine.ActInput{
				Action: a.Action, Actor: a.By, Inputs: a.Inputs, IdempotencyKey: a.IdempotencyKey,
			}, 0); err != nil {
				reject(i, a.Ref, err)
			}
		case KindSweep:
			if sweeper == nil {
				reject(i, "", ErrNoSweeper)
				continue
			}
			if err := sweeper.SweepOnce(ctx, st.At); err != nil {
				reject(i, "", err)
			}
		}
	}
	refOf := map[string]string{}
	for _, ref := range order {
		d, err := eng.Get(ctx, codes[ref])
		if err != nil {
			return nil, fmt.Errorf("read back %s (%s): %w", ref, codes[ref], err)
		}
		refOf[d.Code] = ref
		res.Dossiers = append(res.Dossiers, res.dossier(ref, d))
	}
	ns, err := eng.Store.Notifications(ctx, "", maxNotifications)
	if err != nil {
		return nil, fmt.Errorf("read back notifications: %w", err)
	}
	sort.SliceStable(ns, func(i, j int) bool {
		if !ns[i].At.Equal(ns[j].At) {
			return ns[i].At.Before(ns[j].At)
		}
		return ns[i].ID < ns[j].ID
	})
	for _, n := range ns {
		to := n.To
		if to == nil {
			to = []string{}
		}
		res.Notifications = append(res.Notifications, Notification{
			At: res.instant(n.At), Ref: refOf[n.Dossier], Kind: n.Kind, Level: n.Level, To: to, Channel: n.Channel,
		})
	}
	return res, nil
}

func (r *Result) instant(t time.Time) string {
	return t.In(r.cal.Location()).Format(time.RFC3339)
}

func (r *Result) optional(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := r.instant(*t)
	return &s
}

func (r *Result) dossier(ref string, d *engine.Dossier) Dossier {
	out := Dossier{
		Ref: ref, Code: d.Code, Procedure: d.Procedure, Version: d.ProcedureVersion,
		State: d.State, Status: d.Status, Result: d.Result,
		ReceivedAt: r.instant(d.ReceivedAt), DueAt: r.optional(d.DueAt), StepDueAt: r.optional(d.StepDueAt),
		FinishedAt: r.optional(d.FinishedAt), Timeliness: d.Timeliness,
		History: make([]HistoryRow, len(d.History)),
	}
	for i, h := range d.History {
		out.History[i] = HistoryRow{
			Seq: h.Seq, At: r.instant(h.At), Action: h.Action, Actor: h.Actor,
			FromState: h.FromState, ToState: h.ToState, FromUnit: h.FromUnit, ToUnit: h.ToUnit,
			Inputs: h.Inputs, StepDueAt: r.optional(h.StepDueAt), StepResult: h.StepResult,
		}
	}
	return out
}

// maxNotifications bounds the outbox read back after a run; a scenario
// deciding more is not a dry run any more.
const maxNotifications = 100_000

// SimClock is the simulated clock of a run: Run sets it to each step's
// instant and the engine reads it through Now. It is safe for concurrent
// use (the watch and the engine read it from several goroutines).
type SimClock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the simulated instant.
func (c *SimClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the simulated clock to t.
func (c *SimClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// notReceivedError rejects an action on a ref whose reception was itself
// rejected: there is no dossier to act on.
type notReceivedError struct{ ref string }

func (e *notReceivedError) Error() string {
	return fmt.Sprintf("dossier %s was not received (its receive step was rejected)", e.ref)
}
