package procedures

import (
	"gopkg.in/yaml.v3"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// source keeps the YAML nodes of a decoded procedure next to the engine
// value, so that checks after decoding still point at the right line.
type source struct {
	p    *engine.Procedure
	path string
	root *yaml.Node
	// nodes of top-level values; nil when absent
	code, version, timeLimit, initial, states, escalation *yaml.Node
	// keyBad is set when code or version did not decode: the (code,
	// version) pair is then unknown and not compared across files.
	keyBad    bool
	stateSrc  []stateSource  // parallel to p.States
	actionSrc []actionSource // parallel to p.Actions
	rungSrc   []rungSource   // parallel to p.Escalation; empty for the default ladder
}

type stateSource struct {
	id, unit, timeLimit, timeoutAction, authority *yaml.Node
}

type actionSource struct {
	id, to, extend *yaml.Node
	from, by       []*yaml.Node
}

type rungSource struct {
	node, notify *yaml.Node
}

// DefaultEscalation is the ladder used when a procedure declares none:
// remind the assignee 4 working hours before a step's deadline, tell the
// unit head at the breach, and tell the unit head again one working day
// later. A procedure cannot name a leadership unit by default (it does
// not know which one it is), so climbing above the unit head must be
// written out, e.g. "after: 1 working day, notify: lanh-dao".
func DefaultEscalation() []engine.Rung {
	before4 := calendar.WorkingHoursOf(4)
	at0 := calendar.WorkingHoursOf(0)
	after1 := calendar.WorkingDaysOf(1)
	return []engine.Rung{
		{Before: &before4, Notify: NotifyAssignee},
		{After: &at0, Notify: NotifyUnitHead},
		{After: &after1, Notify: NotifyUnitHead},
	}
}

// Escalation targets besides a unit id (whose head is told).
const (
	NotifyAssignee = "assignee"  // the officers of the unit acting in the state
	NotifyUnitHead = "unit_head" // the head of that unit
)

// decodeProcedure decodes one procedure file. It returns the source even
// when there are problems, so that lint can run the semantic checks on
// whatever decoded cleanly.
func (d *decoder) decodeProcedure(root *yaml.Node) *source {
	p := &engine.Procedure{Version: 1, Kind: engine.KindProcedure, Supplement: engine.SupplementRestart, Source: d.Path}
	s := &source{p: p, path: d.Path, root: root}
	var stateItems, actionItems, rungItems []*yaml.Node
	ok := d.mapping(root, "procedure", fields{
		"code":    func(_, v *yaml.Node) { s.code = v; p.Code, _ = d.nonEmpty(v, "code") },
		"name":    func(_, v *yaml.Node) { p.Name, _ = d.nonEmpty(v, "name") },
		"name_en": func(_, v *yaml.Node) { p.NameEN, _ = d.str(v, "name_en") },
		"version": func(_, v *yaml.Node) {
			s.version = v
			n, ok := d.integer(v, "version")
			if ok && n < 1 {
				d.errorf(v, "version must be 1 or more, got %d", n)
				ok = false
			}
			p.Version = n
			s.keyBad = s.keyBad || !ok
		},
		"kind": func(_, v *yaml.Node) {
			if k, ok := d.str(v, "kind"); ok {
				switch engine.Kind(k) {
				case engine.KindProcedure, engine.KindComplaint, engine.KindDenunciation, engine.KindPetition:
					p.Kind = engine.Kind(k)
				default:
					d.errorf(v, "kind %q is not one of procedure, complaint, denunciation, petition", k)
				}
			}
		},
		"legal_basis": func(_, v *yaml.Node) { p.LegalBasis, _ = d.strs(v, "legal_basis", true) },
		"time_limit": func(_, v *yaml.Node) {
			s.timeLimit = v
			p.TimeLimit, _ = d.duration(v, "time_limit")
		},
		"cutoff": func(_, v *yaml.Node) {
			if str, ok := d.str(v, "cutoff"); ok {
				c, err := calendar.ParseClock(str)
				if err != nil {
					d.errorf(v, "cutoff: %v", err)
					return
				}
				p.Cutoff = &c
			}
		},
		"supplement": func(_, v *yaml.Node) {
			if m, ok := d.str(v, "supplement"); ok {
				switch engine.SupplementMode(m) {
				case engine.SupplementRestart, engine.SupplementPause:
					p.Supplement = engine.SupplementMode(m)
				default:
					d.errorf(v, "supplement %q is not restart or pause", m)
				}
			}
		},
		"initial":    func(_, v *yaml.Node) { s.initial = v; p.Initial, _ = d.nonEmpty(v, "initial") },
		"states":     func(_, v *yaml.Node) { s.states = v; stateItems, _ = d.seq(v, "states") },
		"actions":    func(_, v *yaml.Node) { actionItems, _ = d.seq(v, "actions") },
		"escalation": func(_, v *yaml.Node) { s.escalation = v; rungItems, _ = d.seq(v, "escalation") },
		// public_lookup: false hides the procedure's dossiers from the
		// public lookup (Denunciations Law 2018 Art 47).
		"public_lookup": func(_, v *yaml.Node) {
			if b, ok := d.boolean(v, "public_lookup"); ok {
				p.NoPublicLookup = !b
			}
		},
		"online":     func(_, v *yaml.Node) { d.decodeOnline(v, p) },
		"components": func(_, v *yaml.Node) { d.decodeComponents(v, p) },
		"fees":       func(_, v *yaml.Node) { d.decodeFees(v, p) },
		"result":     func(_, v *yaml.Node) { d.decodeResult(v, p) },
	}, "code", "name", "legal_basis", "time_limit", "initial", "states", "actions")
	if !ok {
		return nil
	}
	if s.timeLimit != nil && p.TimeLimit.Unit != 0 && p.TimeLimit.Unit != calendar.SameDay && p.TimeLimit.Milli == 0 {
		d.errorf(s.timeLimit, "time_limit must be more than zero")
	}
	seenState := map[string]*yaml.Node{}
	for _, it := range stateItems {
		st, src := d.decodeState(it)
		if st.ID != "" {
			if first, dup := seenState[st.ID]; dup {
				d.errorf(src.id, "state %q defined twice (first at line %d)", st.ID, first.Line)
				continue
			}
			seenState[st.ID] = src.id
		}
		p.States = append(p.States, st)
		s.stateSrc = append(s.stateSrc, src)
	}
	seenAction := map[string]*yaml.Node{}
	for _, it := range actionItems {
		a, src := d.decodeAction(it)
		if a.ID != "" {
			if first, dup := seenAction[a.ID]; dup {
				d.errorf(src.id, "action %q defined twice (first at line %d)", a.ID, first.Line)
				continue
			}
			seenAction[a.ID] = src.id
		}
		p.Actions = append(p.Actions, a)
		s.actionSrc = append(s.actionSrc, src)
	}
	for _, it := range rungItems {
		r, src := d.decodeRung(it)
		p.Escalation = append(p.Escalation, r)
		s.rungSrc = append(s.rungSrc, src)
	}
	if s.escalation == nil {
		p.Escalation = DefaultEscalation()
	}
	return s
}

func (d *decoder) decodeState(n *yaml.Node) (*engine.State, stateSource) {
	st := &engine.State{}
	var src stateSource
	d.mapping(n, "state", fields{
		"id":      func(_, v *yaml.Node) { src.id = v; st.ID, _ = d.id(v, "state id", idPattern) },
		"name":    func(_, v *yaml.Node) { st.Name, _ = d.nonEmpty(v, "name") },
		"name_en": func(_, v *yaml.Node) { st.NameEN, _ = d.str(v, "name_en") },
		"unit":    func(_, v *yaml.Node) { src.unit = v; st.Unit, _ = d.id(v, "unit", refPattern) },
		"time_limit": func(_, v *yaml.Node) {
			src.timeLimit = v
			st.TimeLimit, _ = d.duration(v, "time_limit")
		},
		"waits_for": func(_, v *yaml.Node) {
			if w, ok := d.str(v, "waits_for"); ok {
				if w != "applicant" {
					d.errorf(v, "waits_for %q: only applicant is supported", w)
					return
				}
				st.WaitsFor = w
			}
		},
		"final": func(_, v *yaml.Node) {
			if f, ok := d.str(v, "final"); ok {
				switch engine.Outcome(f) {
				case engine.OutcomeApproved, engine.OutcomeRefused, engine.OutcomeWithdrawn:
					st.Final = engine.Outcome(f)
				default:
					d.errorf(v, "final %q is not approved, refused or withdrawn", f)
				}
			}
		},
		"status": func(_, v *yaml.Node) {
			// National portal status codes 1–10 (domain brief, "Codes").
			if c, ok := d.integer(v, "status"); ok {
				if c < 1 || c > 10 {
					d.errorf(v, "status %d is not a national portal status code (1–10)", c)
					return
				}
				st.Status = c
			}
		},
		"authority": func(_, v *yaml.Node) {
			src.authority = v
			if a, ok := d.str(v, "authority"); ok {
				// Only the negative is declared: a petition that never
				// enters an outside state is within the unit's authority.
				if engine.Authority(a) != engine.AuthorityOutside {
					d.errorf(v, "authority %q: only outside is supported (the state a petition enters when it is not within the unit's authority)", a)
					return
				}
				st.Authority = engine.AuthorityOutside
			}
		},
		"timeout": func(_, v *yaml.Node) {
			t := &engine.Timeout{}
			d.mapping(v, "timeout", fields{
				"after":  func(_, v *yaml.Node) { t.After, _ = d.duration(v, "timeout.after") },
				"action": func(_, v *yaml.Node) { src.timeoutAction = v; t.Action, _ = d.nonEmpty(v, "timeout.action") },
			}, "after", "action")
			st.Timeout = t
		},
	}, "id")
	if src.id == nil {
		src.id = resolve(n)
	}
	if st.WaitsFor != "" && st.Final != "" {
		d.errorf(src.id, "state %q cannot both wait for the applicant and be final", st.ID)
	}
	if st.Final != "" && src.unit != nil {
		d.errorf(src.unit, "final state %q has no acting unit; remove unit", st.ID)
	}
	if st.WaitsFor != "" && src.unit != nil {
		// The clock stops for the applicant, not for a unit; an office
		// waiting on another office is an ordinary state with a budget.
		d.errorf(src.unit, "state %q waits for the applicant; remove unit", st.ID)
	}
	if st.Final != "" && src.timeLimit != nil {
		d.errorf(src.timeLimit, "final state %q cannot have a time_limit", st.ID)
	}
	return st, src
}

func (d *decoder) decodeAction(n *yaml.Node) (*engine.Action, actionSource) {
	a := &engine.Action{}
	var src actionSource
	var maxNode, reappointNode *yaml.Node
	d.mapping(n, "action", fields{
		"id":      func(_, v *yaml.Node) { src.id = v; a.ID, _ = d.id(v, "action id", idPattern) },
		"name":    func(_, v *yaml.Node) { a.Name, _ = d.nonEmpty(v, "name") },
		"name_en": func(_, v *yaml.Node) { a.NameEN, _ = d.str(v, "name_en") },
		"from":    func(_, v *yaml.Node) { a.From, src.from = d.strs(v, "from", true) },
		"to":      func(_, v *yaml.Node) { src.to = v; a.To, _ = d.nonEmpty(v, "to") },
		"by":      func(_, v *yaml.Node) { a.By, src.by = d.strs(v, "by", true) },
		"requires": func(_, v *yaml.Node) {
			a.Requires, _ = d.strs(v, "requires", true)
		},
		"extend": func(_, v *yaml.Node) {
			src.extend = v
			if e, ok := d.duration(v, "extend"); ok {
				if e.Unit == calendar.SameDay || e.Milli == 0 {
					d.errorf(v, "extend must be a positive amount of time")
					return
				}
				a.Extend = e
			}
		},
		"max": func(_, v *yaml.Node) {
			maxNode = v
			if m, ok := d.integer(v, "max"); ok {
				if m < 1 {
					d.errorf(v, "max must be 1 or more, got %d", m)
				}
				a.Max = m
			}
		},
		"reappoint": func(_, v *yaml.Node) { reappointNode = v; a.Reappoint, _ = d.boolean(v, "reappoint") },
		"clock": func(_, v *yaml.Node) {
			if c, ok := d.str(v, "clock"); ok {
				if engine.ClockEffect(c) != engine.EffectRestart {
					d.errorf(v, "clock %q: only restart is supported", c)
					return
				}
				a.Clock = engine.EffectRestart
			}
		},
		"system": func(_, v *yaml.Node) { a.System, _ = d.boolean(v, "system") },
	}, "id", "from")
	if src.id == nil {
		src.id = resolve(n)
	}
	switch {
	case src.extend != nil && a.Extend.Unit != 0 && maxNode == nil:
		// Extensions are bounded by law (Denunciations Law 2018 Art 30:
		// at most two; Complaints Law 2011 Art 28: one, to 45 days).
		d.errorf(src.extend, "action %q extends the limit but has no max", a.ID)
	case a.Reappoint:
		// The appointment may be re-set only once (Decree 61/2018 Art 19).
		if maxNode != nil && a.Max != 1 {
			d.errorf(maxNode, "a reappoint action may be used once (Decree 61/2018 Art 19); max must be 1 or absent")
		}
		a.Max = 1
		if src.extend != nil {
			d.errorf(src.extend, "action %q cannot both reappoint and extend", a.ID)
		}
	case maxNode != nil && src.extend == nil:
		d.errorf(maxNode, "max only applies to extend and reappoint actions")
	}
	if reappointNode != nil && a.Reappoint && src.to != nil {
		d.errorf(src.to, "a reappoint action sets a new appointment and keeps the state; remove to")
	}
	if src.extend != nil && src.to != nil {
		d.errorf(src.to, "an extend action keeps the state; remove to")
	}
	if src.to == nil && src.extend == nil && !a.Reappoint && a.Clock == "" && a.ID != "" {
		d.errorf(src.id, "action %q has no to and neither extends, reappoints nor restarts the clock", a.ID)
	}
	return a, src
}

func (d *decoder) decodeRung(n *yaml.Node) (engine.Rung, rungSource) {
	var r engine.Rung
	src := rungSource{node: resolve(n)}
	d.mapping(n, "escalation rung", fields{
		"before": func(_, v *yaml.Node) {
			if x, ok := d.duration(v, "before"); ok {
				r.Before = &x
			}
		},
		"after": func(_, v *yaml.Node) {
			if x, ok := d.duration(v, "after"); ok {
				r.After = &x
			}
		},
		"notify":    func(_, v *yaml.Node) { src.notify = v; r.Notify, _ = d.str(v, "notify") },
		"off_hours": func(_, v *yaml.Node) { r.OffHours, _ = d.boolean(v, "off_hours") },
	})
	if src.node != nil && src.node.Kind == yaml.MappingNode && hasKey(src.node, "before") == hasKey(src.node, "after") {
		d.errorf(src.node, "escalation rung needs exactly one of before and after")
	}
	if src.node != nil && src.node.Kind == yaml.MappingNode && src.notify == nil {
		d.errorf(src.node, "escalation rung notifies nobody: add notify (assignee, unit_head or a unit id)")
	}
	return r, src
}

// hasKey reports whether mapping n has key.
func hasKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if c := resolve(n.Content[i]); c != nil && c.Kind == yaml.ScalarNode && c.Value == key {
			return true
		}
	}
	return false
}
