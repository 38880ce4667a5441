package procedures

import (
	"gopkg.in/yaml.v3"

	"github.com/motcua/motcua/engine"
)

// The dossier's contents in the language (issue 10): how a procedure may
// be submitted online, the components the applicant hands in, the fees it
// charges and the result it issues. Each is optional: a procedure without
// them behaves as before (no checklist at reception, no fees, no result
// gate).

// maxComponentCount bounds a component's count: a desk asks for one to a
// few copies, and a mistyped 100 should be caught in lint, not printed on
// the receipt.
const maxComponentCount = 20

// decodeOnline reads online: toan-trinh | mot-phan | none.
func (d *decoder) decodeOnline(v *yaml.Node, p *engine.Procedure) {
	s, ok := d.str(v, "online")
	if !ok {
		return
	}
	switch engine.OnlineLevel(s) {
	case engine.OnlineFull, engine.OnlinePartial, engine.OnlineNone:
		p.Online = engine.OnlineLevel(s)
	default:
		d.errorf(v, "online %q is not toan-trinh, mot-phan or none", s)
	}
}

// decodeComponents reads the components list; ids must be unique, since
// the desk's checklist and a file's component refer to them.
func (d *decoder) decodeComponents(v *yaml.Node, p *engine.Procedure) {
	items, ok := d.seq(v, "components")
	if !ok {
		return
	}
	seen := map[string]*yaml.Node{}
	for _, it := range items {
		c := engine.Component{Copy: engine.CopyAny, Count: 1}
		var idNode *yaml.Node
		d.mapping(it, "component", fields{
			"id":      func(_, v *yaml.Node) { idNode = v; c.ID, _ = d.id(v, "component id", refPattern) },
			"name":    func(_, v *yaml.Node) { c.Name, _ = d.nonEmpty(v, "name") },
			"name_en": func(_, v *yaml.Node) { c.NameEN, _ = d.str(v, "name_en") },
			"copy": func(_, v *yaml.Node) {
				if s, ok := d.str(v, "copy"); ok {
					switch engine.CopyKind(s) {
					case engine.CopyOriginal, engine.CopyPlain, engine.CopyCertified, engine.CopyAny:
						c.Copy = engine.CopyKind(s)
					default:
						d.errorf(v, "copy %q is not original, copy, certified or any", s)
					}
				}
			},
			"count": func(_, v *yaml.Node) {
				if n, ok := d.integer(v, "count"); ok {
					if n < 1 || n > maxComponentCount {
						d.errorf(v, "count must be 1 to %d, got %d", maxComponentCount, n)
						return
					}
					c.Count = n
				}
			},
			"required": func(_, v *yaml.Node) { c.Required, _ = d.boolean(v, "required") },
		}, "id", "name")
		if c.ID != "" {
			if first, dup := seen[c.ID]; dup {
				d.errorf(idNode, "component %q defined twice (first at line %d)", c.ID, first.Line)
				continue
			}
			seen[c.ID] = idNode
		}
		p.Components = append(p.Components, c)
	}
}

// decodeFees reads the fees list: amounts are whole VND, never negative
// (an exempt fee is 0 and still listed, so the receipt says it is free).
func (d *decoder) decodeFees(v *yaml.Node, p *engine.Procedure) {
	items, ok := d.seq(v, "fees")
	if !ok {
		return
	}
	seen := map[string]*yaml.Node{}
	for _, it := range items {
		var f engine.Fee
		var idNode *yaml.Node
		d.mapping(it, "fee", fields{
			"id":      func(_, v *yaml.Node) { idNode = v; f.ID, _ = d.id(v, "fee id", refPattern) },
			"name":    func(_, v *yaml.Node) { f.Name, _ = d.nonEmpty(v, "name") },
			"name_en": func(_, v *yaml.Node) { f.NameEN, _ = d.str(v, "name_en") },
			"amount": func(_, v *yaml.Node) {
				if n, ok := d.integer(v, "amount"); ok {
					if n < 0 {
						d.errorf(v, "amount must be a non-negative number of đồng, got %d", n)
						return
					}
					f.Amount = int64(n)
				}
			},
			"per": func(_, v *yaml.Node) {
				if s, ok := d.str(v, "per"); ok {
					if s != engine.FeePerCopy {
						d.errorf(v, "per %q: only copy is supported", s)
						return
					}
					f.Per = s
				}
			},
			"due": func(_, v *yaml.Node) {
				if s, ok := d.str(v, "due"); ok {
					if s != engine.FeeDueBeforeResult {
						d.errorf(v, "due %q: only before_result is supported (absent: due at reception)", s)
						return
					}
					f.Due = s
				}
			},
		}, "id", "name", "amount")
		if f.ID != "" {
			if first, dup := seen[f.ID]; dup {
				d.errorf(idNode, "fee %q defined twice (first at line %d)", f.ID, first.Line)
				continue
			}
			seen[f.ID] = idNode
		}
		p.Fees = append(p.Fees, f)
	}
}

// decodeResult reads the result the procedure issues.
func (d *decoder) decodeResult(v *yaml.Node, p *engine.Procedure) {
	r := engine.ResultSpec{File: engine.ResultFileOptional}
	d.mapping(v, "result", fields{
		"name":    func(_, v *yaml.Node) { r.Name, _ = d.nonEmpty(v, "name") },
		"name_en": func(_, v *yaml.Node) { r.NameEN, _ = d.str(v, "name_en") },
		"file": func(_, v *yaml.Node) {
			if s, ok := d.str(v, "file"); ok {
				switch engine.FileRule(s) {
				case engine.ResultFileRequired, engine.ResultFileOptional, engine.ResultFileNone:
					r.File = engine.FileRule(s)
				default:
					d.errorf(v, "file %q is not required, optional or none", s)
				}
			}
		},
	}, "name")
	p.Result = r
}
