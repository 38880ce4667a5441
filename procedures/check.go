package procedures

import (
	"fmt"
	"strings"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// check runs the semantic checks on a decoded procedure; dir, when not
// nil, is what unit and notify references must resolve against.
func (d *decoder) check(s *source, dir *engine.Directory) {
	p := s.p
	state := map[string]int{}
	for i, st := range p.States {
		if st.ID != "" {
			state[st.ID] = i
		}
	}
	isFinal := func(id string) bool { i, ok := state[id]; return ok && p.States[i].IsFinal() }
	isWaiting := func(id string) bool { i, ok := state[id]; return ok && p.States[i].IsWaiting() }

	// The initial state.
	if s.initial != nil && p.Initial != "" {
		if _, ok := state[p.Initial]; !ok {
			d.errorf(s.initial, "initial state %q is not defined", p.Initial)
		} else if isFinal(p.Initial) || isWaiting(p.Initial) {
			d.errorf(s.initial, "initial state %q must be one where a unit acts", p.Initial)
		}
	}

	// Authority marks (issue 7): only petitions are classified by
	// authority at intake (Citizen Reception Law 2013 Art 28), and the
	// classification follows reception, so the initial state cannot say
	// the petition is outside it.
	for i, st := range p.States {
		at := s.stateSrc[i].authority
		if at == nil || !st.IsOutsideAuthority() {
			continue
		}
		switch {
		case !p.Kind.IsPetition():
			d.errorf(at, "state %q: authority applies only to complaint, denunciation and petition procedures, not to kind %s", st.ID, p.Kind)
		case st.ID != "" && st.ID == p.Initial:
			d.errorf(at, "state %q: the initial state cannot be outside the unit's authority; mark the state a petition enters when it is forwarded", st.ID)
		}
	}

	// Action references.
	for i, a := range p.Actions {
		src := s.actionSrc[i]
		for j, f := range a.From {
			if _, ok := state[f]; !ok {
				d.errorf(src.from[j], "action %q: from state %q is not defined", a.ID, f)
			} else if isFinal(f) {
				d.errorf(src.from[j], "action %q fires from final state %q; a finished dossier does not move", a.ID, f)
			}
		}
		if src.to != nil && a.To != "" {
			if _, ok := state[a.To]; !ok {
				d.errorf(src.to, "action %q: to state %q is not defined", a.ID, a.To)
			}
		}
		if a.ID == engine.ActionAssign {
			d.errorf(src.id, "action id %q is reserved for the engine's assignment rows", a.ID)
		}
		if a.ID == engine.ActionAttachFile || a.ID == engine.ActionDownloadFile {
			d.errorf(src.id, "action id %q is reserved for the engine's file rows", a.ID)
		}
		if a.ID == engine.ActionPayFee {
			d.errorf(src.id, "action id %q is reserved for the engine's fee payment rows", a.ID)
		}
		if dir != nil {
			for j, u := range a.By {
				if _, ok := dir.Unit(u); !ok {
					d.errorf(src.by[j], "action %q: unit %q is not in the directory", a.ID, u)
				}
			}
		}
	}

	// States.
	final := 0
	for i, st := range p.States {
		src := s.stateSrc[i]
		if st.IsFinal() {
			final++
			continue
		}
		if st.Timeout != nil && src.timeoutAction != nil && st.Timeout.Action != "" {
			if a, ok := findAction(p, st.Timeout.Action); !ok {
				d.errorf(src.timeoutAction, "timeout: action %q is not defined", st.Timeout.Action)
			} else if !a.AllowedFrom(st.ID) {
				d.errorf(src.timeoutAction, "timeout: action %q cannot fire from state %q", a.ID, st.ID)
			}
		}
		if st.IsWaiting() {
			continue
		}
		if st.Unit == "" && src.unit == nil && needsUnit(p, st.ID) {
			d.errorf(src.id, "state %q has no unit: add unit, or by on each of its actions", st.ID)
		}
		if dir != nil && st.Unit != "" && src.unit != nil {
			if _, ok := dir.Unit(st.Unit); !ok {
				d.errorf(src.unit, "state %q: unit %q is not in the directory", st.ID, st.Unit)
			}
		}
	}
	if final == 0 && len(p.States) > 0 {
		at := s.states
		if at == nil {
			at = s.root
		}
		d.errorf(at, "no final state: mark at least one state final: approved, refused or withdrawn")
	}

	d.checkGraph(s, state)
	d.checkEscalation(s, dir)
	d.checkBudgets(s, state)
}

func findAction(p *engine.Procedure, id string) (*engine.Action, bool) {
	for _, a := range p.Actions {
		if a.ID == id {
			return a, true
		}
	}
	return nil, false
}

// needsUnit reports whether some action from state relies on the state's
// unit to say who may fire it.
func needsUnit(p *engine.Procedure, state string) bool {
	for _, a := range p.Actions {
		if a.AllowedFrom(state) && len(a.By) == 0 && !a.System {
			return true
		}
	}
	return false
}

// checkGraph finds unreachable states, states with no way out, waiting
// states nothing brings back from, and states from which no final state
// can be reached.
func (d *decoder) checkGraph(s *source, state map[string]int) {
	p := s.p
	out := make([][]int, len(p.States)) // state index → target indices
	in := make([][]int, len(p.States))
	for _, a := range p.Actions {
		t, ok := state[a.To]
		if a.To == "" || !ok {
			continue
		}
		for _, f := range a.From {
			if i, ok := state[f]; ok && i != t {
				out[i] = append(out[i], t)
				in[t] = append(in[t], i)
			}
		}
	}
	reach := make([]bool, len(p.States))
	if i, ok := state[p.Initial]; ok {
		walk(i, out, reach)
		for j, st := range p.States {
			if !reach[j] && st.ID != "" {
				d.errorf(s.stateSrc[j].id, "state %q cannot be reached from the initial state %q", st.ID, p.Initial)
			}
		}
	}
	toFinal := make([]bool, len(p.States))
	anyFinal := false
	for j, st := range p.States {
		if st.IsFinal() && !toFinal[j] {
			anyFinal = true
			walk(j, in, toFinal)
		}
	}
	for j, st := range p.States {
		if st.IsFinal() || st.ID == "" {
			continue
		}
		at := s.stateSrc[j].id
		if st.IsWaiting() {
			back := false
			for _, t := range out[j] {
				back = back || (!p.States[t].IsFinal() && !p.States[t].IsWaiting())
			}
			if !back {
				d.errorf(at, "state %q waits for the applicant, but no action takes the dossier back to a unit", st.ID)
			}
			continue
		}
		switch {
		case len(out[j]) == 0:
			d.errorf(at, "state %q is not final and no action leads out of it", st.ID)
		case anyFinal && !toFinal[j] && reach[j]:
			d.errorf(at, "no final state can be reached from state %q", st.ID)
		}
	}
}

func walk(i int, adj [][]int, seen []bool) {
	stack := []int{i}
	seen[i] = true
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, m := range adj[n] {
			if !seen[m] {
				seen[m] = true
				stack = append(stack, m)
			}
		}
	}
}

// checkEscalation makes sure each rung reaches someone.
func (d *decoder) checkEscalation(s *source, dir *engine.Directory) {
	p := s.p
	for i, r := range p.Escalation {
		if i >= len(s.rungSrc) {
			break // the default ladder
		}
		at := s.rungSrc[i].notify
		if at == nil {
			continue // reported while decoding
		}
		switch r.Notify {
		case "":
			d.errorf(at, "escalation rung notifies nobody: notify is empty")
		case NotifyAssignee:
		case NotifyUnitHead:
			if dir == nil {
				continue
			}
			for _, st := range p.States {
				if st.Unit == "" {
					continue
				}
				if _, ok := dir.Unit(st.Unit); ok {
					if _, ok := dir.Head(st.Unit); !ok {
						d.errorf(at, "escalation rung notifies unit_head, but unit %q (state %q) has no head", st.Unit, st.ID)
					}
				}
			}
		default:
			if !refPattern.MatchString(r.Notify) {
				d.errorf(at, "escalation rung notifies %q: want assignee, unit_head or a unit id", r.Notify)
				continue
			}
			if dir == nil {
				continue
			}
			if _, ok := dir.Unit(r.Notify); !ok {
				d.errorf(at, "escalation rung notifies %q, which is not a unit in the directory", r.Notify)
			} else if _, ok := dir.Head(r.Notify); !ok {
				d.errorf(at, "escalation rung notifies unit %q, which has no head", r.Notify)
			}
		}
	}
}

// workMinutes converts a duration to working minutes on the vn
// calendar's 8-hour day, the yardstick for comparing step budgets with
// the legal limit. Calendar days count as 5/7 of a working day each (the
// five-day week, holidays ignored): a deliberately optimistic bound, so a
// budget flagged over a calendar-day limit is over it in every week.
// "Same day" counts as one working day.
func workMinutes(d calendar.Duration) int64 {
	const day = 8 * 60
	switch d.Unit {
	case calendar.WorkingDays:
		return d.Milli * day / 1000
	case calendar.WorkingHours:
		return d.Milli * 60 / 1000
	case calendar.WorkingMinutes:
		return d.Milli / 1000
	case calendar.Days:
		return d.Milli * day * 5 / 7 / 1000
	case calendar.SameDay:
		return day
	}
	return 0
}

// formatWork renders working minutes in the unit of the limit they are
// compared with: hours for same-day and hour limits, days otherwise.
func formatWork(m int64, limit calendar.Duration) string {
	switch {
	case limit.Unit == calendar.WorkingMinutes || m%60 != 0 && (m*1000)%480 != 0 && limit.Unit != calendar.WorkingDays && limit.Unit != calendar.Days:
		return calendar.Duration{Unit: calendar.WorkingMinutes, Milli: m * 1000}.String()
	case limit.Unit == calendar.WorkingHours || limit.Unit == calendar.SameDay:
		return calendar.Duration{Unit: calendar.WorkingHours, Milli: m * 1000 / 60}.String()
	}
	return calendar.Duration{Unit: calendar.WorkingDays, Milli: m * 1000 / 480}.String()
}

// maxPathSteps bounds the longest-path search, which is exponential in the
// worst case: real procedures have a dozen states, hostile input may not.
const maxPathSteps = 100000

// checkBudgets compares the step budgets along the longest path with the
// legal limit. A path starts at the initial state, after an action that
// restarts the clock (a complaint's resolution counts from its acceptance,
// Complaints Law 2011 Art 28), or where a dossier comes back from the
// applicant; it ends at a final or waiting state, or before a restart.
func (d *decoder) checkBudgets(s *source, state map[string]int) {
	p := s.p
	if s.timeLimit == nil || p.TimeLimit.IsZero() {
		return
	}
	limit := workMinutes(p.TimeLimit)
	type edge struct {
		to      int
		restart bool
	}
	out := make([][]edge, len(p.States))
	starts := map[int]bool{}
	if i, ok := state[p.Initial]; ok {
		starts[i] = true
	}
	for _, a := range p.Actions {
		t, ok := state[a.To]
		if !ok {
			continue
		}
		restart := a.Clock == engine.EffectRestart
		for _, f := range a.From {
			i, ok := state[f]
			if !ok {
				continue
			}
			out[i] = append(out[i], edge{t, restart})
			if restart || p.States[i].IsWaiting() {
				starts[t] = true
			}
		}
	}
	var best int64
	var bestPath []int
	steps := 0
	onPath := make([]bool, len(p.States))
	var path []int
	var dfs func(i int, sum int64)
	dfs = func(i int, sum int64) {
		steps++
		if steps > maxPathSteps {
			return
		}
		st := p.States[i]
		onPath[i] = true
		path = append(path, i)
		sum += workMinutes(st.TimeLimit)
		if sum > best {
			best, bestPath = sum, append([]int(nil), path...)
		}
		for _, e := range out[i] {
			t := p.States[e.to]
			if e.restart || onPath[e.to] || t.IsWaiting() || t.IsFinal() {
				continue
			}
			dfs(e.to, sum)
		}
		path = path[:len(path)-1]
		onPath[i] = false
	}
	for i := range p.States {
		if starts[i] && !p.States[i].IsFinal() && !p.States[i].IsWaiting() {
			dfs(i, 0)
		}
	}
	if best <= limit {
		return
	}
	names := make([]string, len(bestPath))
	for i, j := range bestPath {
		names[i] = p.States[j].ID
	}
	lim := p.TimeLimit.String()
	if !p.TimeLimit.IsWorkingTime() {
		lim += fmt.Sprintf(" (counted as %s)", formatWork(limit, p.TimeLimit))
	}
	d.errorf(s.timeLimit, "step budgets on the path %s add up to %s, over the legal limit of %s by %s",
		strings.Join(names, " → "), formatWork(best, p.TimeLimit), lim, formatWork(best-limit, p.TimeLimit))
}
