package engine

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/looplab/fsm"

	"github.com/motcua/motcua/engine/calendar"
)

// Kind groups procedures in reports.
type Kind string

// The kinds of procedure a one-stop unit handles.
const (
	KindProcedure    Kind = "procedure"    // administrative procedure (thủ tục hành chính)
	KindComplaint    Kind = "complaint"    // khiếu nại, Complaints Law 2011
	KindDenunciation Kind = "denunciation" // tố cáo, Denunciations Law 2018
	KindPetition     Kind = "petition"     // kiến nghị, phản ánh, Citizen Reception Law 2013
)

// IsPetition reports whether k is a citizen petition (đơn thư): a
// complaint, a denunciation or a recommendation/feedback.
func (k Kind) IsPetition() bool {
	return k == KindComplaint || k == KindDenunciation || k == KindPetition
}

// SupplementMode says what the legal clock does while a dossier waits for
// the applicant's supplement (domain brief: real systems offer both).
type SupplementMode string

// Supplement modes.
const (
	// SupplementRestart restarts the limit from zero once the complete
	// dossier comes back (Decree 61/2018 Art 19 as amended).
	SupplementRestart SupplementMode = "restart"
	// SupplementPause stops the clock and resumes it with the time left.
	SupplementPause SupplementMode = "pause"
)

// Outcome is how a finished dossier ended.
type Outcome string

// Outcomes of a final state.
const (
	OutcomeApproved  Outcome = "approved"
	OutcomeRefused   Outcome = "refused"
	OutcomeWithdrawn Outcome = "withdrawn"
)

// ClockEffect is an explicit effect of an action on the legal clock, on
// top of the effects implied by the states it leaves and enters.
type ClockEffect string

// Clock effects an action may declare.
const (
	// ClockRestart restarts the full limit from now: e.g. a complaint's
	// resolution time counts from its acceptance (Complaints Law 2011 Art 28).
	EffectRestart ClockEffect = "restart"
)

// Procedure is a compiled, immutable procedure definition. Build one with
// package procedures; all fields are read-only after compilation.
type Procedure struct {
	Code       string
	Name       string
	NameEN     string
	Version    int
	Kind       Kind
	LegalBasis []string
	// TimeLimit is the legal time limit (thời hạn giải quyết).
	TimeLimit calendar.Duration
	// Cutoff, if set: received later counts from the next working day.
	Cutoff     *calendar.Clock
	Supplement SupplementMode
	Initial    string
	States     []*State
	Actions    []*Action
	// Escalation is the ladder walked around each step's deadline.
	Escalation []Rung
	// Source is where the definition was read from, for messages.
	Source string
	// Online is how the procedure may be submitted online; "" is none.
	Online OnlineLevel
	// Components are the documents the applicant hands in (thành phần hồ sơ).
	Components []Component
	// Fees are the fees and charges the procedure collects.
	Fees []Fee
	// Result is what the procedure issues.
	Result ResultSpec
	// NoPublicLookup hides the procedure's dossiers from the public
	// lookup (YAML public_lookup: false): a denunciation's code must not
	// reveal that it exists (Denunciations Law 2018 Art 47).
	NoPublicLookup bool

	states  map[string]*State
	actions map[string]*Action
}

// State is one state of a procedure.
type State struct {
	ID     string
	Name   string
	NameEN string
	// Unit is the directory unit that acts in this state; empty for final
	// states and states waiting for the applicant.
	Unit string
	// TimeLimit is this step's budget from the internal process (quy trình
	// nội bộ); zero when the step has none.
	TimeLimit calendar.Duration
	// WaitsFor is "applicant" when the dossier waits outside the office.
	WaitsFor string
	// Final is the outcome of a final state; empty otherwise.
	Final Outcome
	// Timeout fires an action automatically when the state has lasted
	// this long (e.g. stop a dossier whose supplement never came).
	Timeout *Timeout
	// Status is the national portal status code (1–10) reported for
	// dossiers in this state; 0 when unset.
	Status int
	// Authority is AuthorityOutside on a petition state reached when the
	// petition was found not within this unit's authority (forwarded to,
	// or the citizen guided to, the competent body); empty otherwise.
	Authority Authority
}

// Authority classifies a citizen petition at intake: within this unit's
// authority (thuộc thẩm quyền) or not (không thuộc thẩm quyền). Reports
// count the petitions within it (issue 7; Citizen Reception Law 2013
// Art 28; Denunciations Law 2018 Art 24).
type Authority string

// Authority values a state may declare.
const (
	// AuthorityOutside marks the state a petition enters when it is not
	// within the unit's authority. A petition that never enters such a
	// state is counted within the unit's authority.
	AuthorityOutside Authority = "outside"
)

// IsOutsideAuthority reports whether entering s means the petition is not
// within the unit's authority.
func (s *State) IsOutsideAuthority() bool { return s.Authority == AuthorityOutside }

// Timeout is an automatic action fired by the deadline watch.
type Timeout struct {
	After  calendar.Duration
	Action string
}

// IsFinal reports whether s ends the procedure.
func (s *State) IsFinal() bool { return s.Final != "" }

// IsWaiting reports whether s waits for the applicant.
func (s *State) IsWaiting() bool { return s.WaitsFor != "" }

// Action is one action officers (or the watch) may fire.
type Action struct {
	ID     string
	Name   string
	NameEN string
	From   []string
	// To is the target state; empty for actions that only extend or
	// re-appoint and leave the state unchanged.
	To string
	// By lists the units allowed to fire it; empty means the unit of the
	// from state.
	By []string
	// Requires lists inputs the actor must give (reason, note, ...).
	Requires []string
	// Extend lengthens the legal limit, at most Max times
	// (Denunciations Law 2018 Art 30: up to two extensions of 30 days).
	Extend calendar.Duration
	Max    int
	// Reappoint marks the apology-letter action that sets a new
	// appointment date, allowed once per dossier (form 04; Decree 61/2018
	// Art 19). Its input "due_at" carries the new appointment.
	Reappoint bool
	// Clock is an explicit effect on the legal clock.
	Clock ClockEffect
	// System marks actions only the deadline watch fires.
	System bool
}

// Rung is one rung of an escalation ladder: exactly one of Before and
// After is set; it notifies Notify ("assignee", "unit_head", or a unit id
// whose head is told) when the step deadline is that near or that far past.
type Rung struct {
	Before *calendar.Duration
	After  *calendar.Duration
	Notify string
	// OffHours lets a rung fire outside office hours; by default a rung
	// due at night fires at the next session start.
	OffHours bool
}

// Index builds the lookup tables the pure step reads and checks them
// through looplab/fsm (CheckMachine); procedures.Parse calls it, so every
// procedure is checked before it can be published or run. It returns an
// error when ids repeat or the machine disagrees with the tables.
func (p *Procedure) Index() error {
	p.states = make(map[string]*State, len(p.States))
	p.actions = make(map[string]*Action, len(p.Actions))
	for _, s := range p.States {
		if _, dup := p.states[s.ID]; dup {
			return fmt.Errorf("procedure %s: state %q defined twice", p.Code, s.ID)
		}
		p.states[s.ID] = s
	}
	for _, a := range p.Actions {
		if _, dup := p.actions[a.ID]; dup {
			return fmt.Errorf("procedure %s: action %q defined twice", p.Code, a.ID)
		}
		p.actions[a.ID] = a
	}
	return p.CheckMachine()
}

// CheckMachine asks looplab/fsm, built from the declared actions, where
// every action leads from every state, and returns an error at the first
// answer that differs from the compiled table's (Next): a different
// target, a move the table refuses or one it allows that the machine does
// not, or a final state the machine can leave. The step itself reads the
// compiled table — a map lookup, no locks, no callbacks — and fsm, a
// second and independent reading of the same declarations, vouches for
// it once, when the procedure is compiled. In-place actions (extend,
// reappoint), which leave the state unchanged, are the engine's alone.
func (p *Procedure) CheckMachine() error {
	m := p.FSM(p.Initial)
	ctx := context.Background()
	for _, s := range p.States {
		for _, a := range p.Actions {
			next, err := p.Next(s.ID, a.ID)
			moves := err == nil && a.To != ""
			m.SetState(s.ID)
			// Can first: most pairs are no transition, and firing one
			// that is costs a context and an event.
			var ferr error
			fired := m.Can(a.ID)
			if fired {
				ferr = m.Event(ctx, a.ID)
				// An action to the state it fires from is a transition
				// the machine reports as none.
				fired = ferr == nil || errors.As(ferr, new(fsm.NoTransitionError))
			}
			switch {
			case moves && !fired:
				return fmt.Errorf("procedure %s: in state %q the compiled table moves %q to %q, looplab/fsm refuses it", p.Key(), s.ID, a.ID, next)
			case !moves && fired:
				return fmt.Errorf("procedure %s: in state %q looplab/fsm moves %q to %q, the compiled table does not", p.Key(), s.ID, a.ID, m.Current())
			case moves && m.Current() != next:
				return fmt.Errorf("procedure %s: in state %q action %q leads to %q in the compiled table, to %q in looplab/fsm", p.Key(), s.ID, a.ID, next, m.Current())
			}
		}
		if m.SetState(s.ID); s.IsFinal() && len(m.AvailableTransitions()) > 0 {
			return fmt.Errorf("procedure %s: final state %q can be left by %v", p.Key(), s.ID, m.AvailableTransitions())
		}
	}
	return nil
}

// Key returns "code@version".
func (p *Procedure) Key() string { return fmt.Sprintf("%s@%d", p.Code, p.Version) }

// State returns the state with id.
func (p *Procedure) State(id string) (*State, bool) {
	s, ok := p.states[id]
	return s, ok
}

// Action returns the action with id.
func (p *Procedure) Action(id string) (*Action, bool) {
	a, ok := p.actions[id]
	return a, ok
}

// AllowedFrom reports whether a may be fired in state.
func (a *Action) AllowedFrom(state string) bool {
	for _, f := range a.From {
		if f == state {
			return true
		}
	}
	return false
}

// Units returns the units allowed to fire a in state s.
func (a *Action) Units(s *State) []string {
	if len(a.By) > 0 {
		return a.By
	}
	if s != nil && s.Unit != "" {
		return []string{s.Unit}
	}
	return nil
}

// ActionsFrom returns the actions allowed in state, in definition order.
func (p *Procedure) ActionsFrom(state string) []*Action {
	var out []*Action
	for _, a := range p.Actions {
		if a.AllowedFrom(state) {
			out = append(out, a)
		}
	}
	return out
}

// ActionsFor returns the non-system actions that a member of any of units
// may fire in state.
func (p *Procedure) ActionsFor(state string, units []string) []*Action {
	s := p.states[state]
	var out []*Action
	for _, a := range p.ActionsFrom(state) {
		if a.System {
			continue
		}
		for _, u := range a.Units(s) {
			if contains(units, u) {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

// Next returns the state action leads to from state: the action's target,
// or state itself for actions that do not move the dossier.
func (p *Procedure) Next(state, action string) (string, error) {
	a, ok := p.actions[action]
	if !ok {
		return "", &UnknownActionError{Procedure: p.Key(), Action: action}
	}
	if !a.AllowedFrom(state) {
		return "", &NotAllowedError{Action: action, State: state}
	}
	if a.To == "" {
		return state, nil
	}
	return a.To, nil
}

// Budget returns the step budget of state, zero if it has none.
func (p *Procedure) Budget(state string) calendar.Duration {
	if s, ok := p.states[state]; ok {
		return s.TimeLimit
	}
	return calendar.Duration{}
}

// FSM builds a fresh looplab/fsm machine positioned at current from the
// declared actions, without callbacks. CheckMachine reads the compiled
// table through it; the step never builds one, which keeps the machine's
// locks and callbacks out of the hot path.
func (p *Procedure) FSM(current string) *fsm.FSM {
	var evs fsm.Events
	for _, a := range p.Actions {
		to := a.To
		if to == "" {
			continue // in-place actions are handled by the engine, not the machine
		}
		evs = append(evs, fsm.EventDesc{Name: a.ID, Src: append([]string(nil), a.From...), Dst: to})
	}
	return fsm.NewFSM(current, evs, nil)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Catalog holds compiled procedures by code and version.
type Catalog struct {
	byKey  map[string]*Procedure
	latest map[string]*Procedure
}

// NewCatalog indexes procs; (code, version) must be unique.
func NewCatalog(procs ...*Procedure) (*Catalog, error) {
	c := &Catalog{byKey: map[string]*Procedure{}, latest: map[string]*Procedure{}}
	for _, p := range procs {
		if prev, dup := c.byKey[p.Key()]; dup {
			return nil, fmt.Errorf("procedure %s version %d defined twice (%s and %s)", p.Code, p.Version, prev.Source, p.Source)
		}
		c.byKey[p.Key()] = p
		if l, ok := c.latest[p.Code]; !ok || p.Version > l.Version {
			c.latest[p.Code] = p
		}
	}
	return c, nil
}

// Get returns the procedure with code and version; version 0 means the latest.
func (c *Catalog) Get(code string, version int) (*Procedure, error) {
	var p *Procedure
	if version == 0 {
		p = c.latest[code]
	} else {
		p = c.byKey[fmt.Sprintf("%s@%d", code, version)]
	}
	if p == nil {
		return nil, &NotFoundError{What: "procedure", ID: code}
	}
	return p, nil
}

// Keep adds procedures that only dossiers already received may use:
// each is found by Get(code, version) but never becomes the latest, so a
// version kept for in-flight dossiers (one the files no longer hold) is
// not offered to new ones. (code, version) must still be unique.
func (c *Catalog) Keep(procs ...*Procedure) error {
	for _, p := range procs {
		if prev, dup := c.byKey[p.Key()]; dup {
			return fmt.Errorf("procedure %s version %d defined twice (%s and %s)", p.Code, p.Version, prev.Source, p.Source)
		}
	}
	for _, p := range procs {
		c.byKey[p.Key()] = p
	}
	return nil
}

// Latest returns the latest version of every procedure, ordered by code.
func (c *Catalog) Latest() []*Procedure {
	out := make([]*Procedure, 0, len(c.latest))
	for _, p := range c.latest {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// EndsOrSendsBack reports whether a, fired by a person, ends the dossier
// without the result asked for (a final state refused or withdrawn) or
// sends it back to an earlier step (a target defined before every
// state it fires from; waits for the citizen aside, their return is the
// way forward). Such actions must require a "reason" (procedures lint),
// and the pages ask for confirmation before firing them. System actions
// (the watch's timeouts) are neither.
func (p *Procedure) EndsOrSendsBack(a *Action) bool {
	if a == nil || a.System || a.To == "" {
		return false
	}
	if a.To == StateOnlineRefused {
		return true // the online intake's refusal (online.go)
	}
	// The procedure linter asks before Index has run: look states up in
	// the list, not the index.
	pos := map[string]int{}
	for i, s := range p.States {
		pos[s.ID] = i
	}
	ti, ok := pos[a.To]
	if !ok {
		return false
	}
	to := p.States[ti]
	if to.IsFinal() {
		return to.Final == OutcomeRefused || to.Final == OutcomeWithdrawn
	}
	if to.IsWaiting() {
		return false
	}
	back := false
	for _, f := range a.From {
		fi, ok := pos[f]
		if !ok || p.States[fi].IsWaiting() {
			continue
		}
		if ti >= fi {
			return false
		}
		back = true
	}
	return back
}
