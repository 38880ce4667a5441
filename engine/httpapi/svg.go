package httpapi

import (
	"fmt"
	"html/template"
	"strings"
)

// diagramSVG draws a procedure as a simple layered diagram on the server:
// no CDN is reachable from government networks, and Mermaid needs one (or
// a JavaScript build). States sit in rows by their distance from the
// initial state; each action is an arrow. It is meant to be readable, not
// pretty; the Mermaid text is shown next to it for other tools.
func diagramSVG(v ProcedureView) template.HTML {
	const boxW, boxH, gapX, gapY, margin = 170, 40, 30, 60, 20
	depth := map[string]int{v.Initial: 0}
	queue := []string{v.Initial}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, a := range v.Actions {
			if a.To == "" || a.To == s {
				continue
			}
			for _, f := range a.From {
				if f == s {
					if _, seen := depth[a.To]; !seen {
						depth[a.To] = depth[s] + 1
						queue = append(queue, a.To)
					}
				}
			}
		}
	}
	rows := map[int][]StateView{}
	maxDepth, maxRow := 0, 0
	for _, st := range v.States {
		d, ok := depth[st.ID]
		if !ok {
			d = len(v.States) // unreachable states go last
		}
		rows[d] = append(rows[d], st)
		maxDepth = max(maxDepth, d)
	}
	type pos struct{ x, y int }
	at := map[string]pos{}
	rowIdx := 0
	for d := 0; d <= maxDepth; d++ {
		if len(rows[d]) == 0 {
			continue
		}
		for i, st := range rows[d] {
			at[st.ID] = pos{margin + i*(boxW+gapX), margin + rowIdx*(boxH+gapY)}
		}
		maxRow = max(maxRow, len(rows[d]))
		rowIdx++
	}
	width := margin*2 + maxRow*(boxW+gapX) - gapX
	height := margin*2 + rowIdx*(boxH+gapY) - gapY
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="diagram" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`, width, height, width, height, template.HTMLEscapeString(v.Name))
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>`)
	for _, a := range v.Actions {
		if a.To == "" {
			continue
		}
		to, ok := at[a.To]
		if !ok {
			continue
		}
		for _, f := range a.From {
			from, ok := at[f]
			if !ok {
				continue
			}
			x1, y1 := from.x+boxW/2, from.y+boxH
			x2, y2 := to.x+boxW/2, to.y
			if to.y <= from.y { // backwards or sideways: leave from the side
				x1, y1 = from.x+boxW, from.y+boxH/2
				x2, y2 = to.x+boxW, to.y+boxH/2+6
			}
			cls := "edge"
			if a.System {
				cls = "edge system"
			}
			fmt.Fprintf(&b, `<path class="%s" d="M%d,%d C%d,%d %d,%d %d,%d" marker-end="url(#arrow)"><title>%s</title></path>`,
				cls, x1, y1, x1+(x2-x1)/4+boolInt(to.y <= from.y)*40, y1+(y2-y1)/3, x2+boolInt(to.y <= from.y)*40, y2-(y2-y1)/3, x2, y2, template.HTMLEscapeString(a.Name))
		}
	}
	for _, st := range v.States {
		p := at[st.ID]
		cls := "state"
		switch {
		case st.Final != "":
			cls += " final"
		case st.WaitsFor != "":
			cls += " waiting"
		case st.ID == v.Initial:
			cls += " initial"
		}
		name := st.Name
		if r := []rune(name); len(r) > 24 {
			name = string(r[:23]) + "…"
		}
		fmt.Fprintf(&b, `<g class="%s"><rect x="%d" y="%d" width="%d" height="%d" rx="8"/><text x="%d" y="%d" text-anchor="middle">%s</text>`,
			cls, p.x, p.y, boxW, boxH, p.x+boxW/2, p.y+boxH/2-2, template.HTMLEscapeString(name))
		if st.TimeLimit != "" {
			fmt.Fprintf(&b, `<text class="budget" x="%d" y="%d" text-anchor="middle">%s</text>`, p.x+boxW/2, p.y+boxH/2+13, template.HTMLEscapeString(st.TimeLimit))
		}
		fmt.Fprintf(&b, `<title>%s</title></g>`, template.HTMLEscapeString(st.Name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every piece of text above is escaped
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
