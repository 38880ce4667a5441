package procedures

import (
	"fmt"
	"strings"

	"github.com/motcua/motcua/engine"
)

// Mermaid renders p as a Mermaid stateDiagram-v2: states carry their name
// and step budget, transitions the action name and the units that may
// fire it. Actions that keep the state (extend, reappoint) are drawn as
// self-loops so that the diagram shows everything an officer can do.
func Mermaid(p *engine.Procedure) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s %s (v%d)\n---\n", p.Code, mermaidText(p.Name), p.Version)
	b.WriteString("stateDiagram-v2\n")
	for _, s := range p.States {
		fmt.Fprintf(&b, "    state \"%s\" as %s\n", strings.Join(stateLines(s), "<br/>"), s.ID)
	}
	fmt.Fprintf(&b, "    [*] --> %s\n", p.Initial)
	for _, e := range edges(p) {
		fmt.Fprintf(&b, "    %s --> %s : %s\n", e.from, e.to, mermaidText(e.label(" ")))
	}
	for _, s := range p.States {
		if s.IsFinal() {
			fmt.Fprintf(&b, "    %s --> [*]\n", s.ID)
		}
	}
	return b.String()
}

// DOT renders p as a Graphviz digraph with the same content as Mermaid.
func DOT(p *engine.Procedure) string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(p.Key()))
	fmt.Fprintf(&b, "    label=%s;\n    labelloc=t;\n    rankdir=LR;\n", dotQuote(p.Code+" "+p.Name))
	b.WriteString("    node [shape=box, style=rounded, fontname=\"sans-serif\"];\n")
	b.WriteString("    edge [fontname=\"sans-serif\", fontsize=10];\n")
	b.WriteString("    __start [shape=point, label=\"\"];\n")
	for _, s := range p.States {
		attrs := ""
		switch {
		case s.IsFinal():
			attrs = ", peripheries=2"
		case s.IsWaiting():
			attrs = ", style=\"rounded,dashed\""
		}
		fmt.Fprintf(&b, "    %s [label=%s%s];\n", s.ID, dotQuote(strings.Join(stateLines(s), "\n")), attrs)
	}
	fmt.Fprintf(&b, "    __start -> %s;\n", p.Initial)
	for _, e := range edges(p) {
		fmt.Fprintf(&b, "    %s -> %s [label=%s];\n", e.from, e.to, dotQuote(e.label("\n")))
	}
	b.WriteString("}\n")
	return b.String()
}

func stateLines(s *engine.State) []string {
	name := s.Name
	if name == "" {
		name = s.ID
	}
	lines := []string{mermaidText(name)}
	switch {
	case s.IsFinal():
		lines = append(lines, "("+string(s.Final)+")")
	case s.IsWaiting():
		lines = append(lines, "chờ công dân")
	case !s.TimeLimit.IsZero():
		lines = append(lines, s.TimeLimit.Vietnamese())
	}
	if s.IsOutsideAuthority() {
		// Reports count petitions by this mark (issue 7); the diagram
		// shows it so an admin can see which paths forward.
		lines = append(lines, "không thuộc thẩm quyền")
	}
	if s.Unit != "" {
		lines = append(lines, s.Unit)
	}
	return lines
}

type edge struct {
	from, to string
	a        *engine.Action
	units    []string
}

func (e edge) label(sep string) string {
	name := e.a.Name
	if name == "" {
		name = e.a.ID
	}
	var extra []string
	if !e.a.Extend.IsZero() {
		extra = append(extra, fmt.Sprintf("+%s ×%d", e.a.Extend.Vietnamese(), e.a.Max))
	}
	if e.a.Reappoint {
		extra = append(extra, "hẹn lại ×1")
	}
	if e.a.Clock == engine.EffectRestart {
		extra = append(extra, "tính lại thời hạn")
	}
	switch {
	case e.a.System:
		extra = append(extra, "[tự động]")
	case len(e.units) > 0:
		extra = append(extra, "["+strings.Join(e.units, ", ")+"]")
	}
	if len(extra) == 0 {
		return name
	}
	return name + sep + strings.Join(extra, " ")
}

// edges lists one edge per (action, from state), in definition order.
func edges(p *engine.Procedure) []edge {
	byID := map[string]*engine.State{}
	for _, s := range p.States {
		byID[s.ID] = s
	}
	var out []edge
	for _, a := range p.Actions {
		for _, f := range a.From {
			to := a.To
			if to == "" {
				to = f
			}
			out = append(out, edge{from: f, to: to, a: a, units: a.Units(byID[f])})
		}
	}
	return out
}

// mermaidText keeps user text from breaking Mermaid syntax: quotes end a
// state description and a colon or semicolon ends a label or statement.
func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "'", ";", ",", ":", " -", "\n", " ", "#", "").Replace(s)
}

func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
