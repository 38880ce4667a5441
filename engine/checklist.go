package engine

import (
	"fmt"
	"strings"
)

// The reception checklist (issue 10). The desk checks the dossier's
// components against the procedure's list and, when one is missing or
// not in the form the law asks for, refuses it at once with guidance on
// what to bring (Decree 61/2018 Art 15.2b, carried over by Decree
// 118/2025: an incomplete dossier is not received; the officer guides
// the applicant in writing, form 02). The check runs before a number is
// taken, so a refusal leaves no gap in the day's series.

// FieldComponents is the reception field of the checklist, as the API's
// JSON names it.
const FieldComponents = "components"

// copyRank orders copy kinds by how much they prove: an original proves
// what a certified copy does, and a certified copy what a plain copy
// does (Decree 23/2015 Art 3 and 6: a certified copy stands for the
// original; an original shown lets the desk compare a copy itself). A
// receipt satisfies a component when its rank is at least the
// component's; "any" asks for nothing in particular.
var copyRank = map[CopyKind]int{CopyAny: 0, CopyPlain: 1, CopyCertified: 2, CopyOriginal: 3}

// Satisfies reports whether a copy of kind got stands for a component
// asking for want.
func (got CopyKind) Satisfies(want CopyKind) bool {
	g, ok := copyRank[got]
	return ok && got != CopyAny && g >= copyRank[want]
}

// Words for copy kinds, as the forms and pages print them.
var copyWords = map[CopyKind][2]string{
	CopyOriginal:  {"bản chính", "original"},
	CopyPlain:     {"bản sao", "copy"},
	CopyCertified: {"bản sao chứng thực", "certified copy"},
	CopyAny:       {"bản chính hoặc bản sao", "original or copy"},
}

// Words returns the copy kind as people read it in lang.
func (c CopyKind) Words(lang string) string {
	w, ok := copyWords[c]
	if !ok {
		return string(c)
	}
	return pickLang(w[0], w[1], lang)
}

// MissingComponent is one required component a reception lacks: not
// handed in, fewer copies than asked, or not in the form asked.
type MissingComponent struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	NameEN string   `json:"name_en,omitempty"`
	Copy   CopyKind `json:"copy"`
	Count  int      `json:"count"`
	// Got and GotCopy are what was handed in (0 and "" when nothing).
	Got     int      `json:"got"`
	GotCopy CopyKind `json:"got_copy,omitempty"`
}

// Words says what is missing in lang: the component, and what it asks
// for against what was handed in.
func (m MissingComponent) Words(lang string) string {
	name := pickLang(m.Name, orID(m.NameEN, m.Name), lang)
	switch {
	case m.Got == 0:
		return fmt.Sprintf(pickLang("%s (%d %s): chưa nộp", "%s (%d %s): not handed in", lang), name, m.Count, m.Copy.Words(lang))
	case m.Got < m.Count:
		return fmt.Sprintf(pickLang("%s: cần %d, mới nộp %d", "%s: %d needed, %d handed in", lang), name, m.Count, m.Got)
	default:
		return fmt.Sprintf(pickLang("%s: cần %s, đã nộp %s", "%s: %s needed, %s handed in", lang), name, m.Copy.Words(lang), m.GotCopy.Words(lang))
	}
}

// IncompleteError refuses a reception whose checklist lacks required
// components; it lists every one, so the applicant learns in one visit
// all there is to bring.
type IncompleteError struct {
	Procedure string
	Missing   []MissingComponent
	// Guidance, when set by the caller, is where the printable guidance
	// (form 02 for this checklist) is: the core knows no addresses.
	Guidance string
}

func (e *IncompleteError) Error() string {
	ids := make([]string, len(e.Missing))
	for i, m := range e.Missing {
		ids[i] = m.ID
	}
	return fmt.Sprintf("procedure %s: dossier incomplete, missing %s", e.Procedure, strings.Join(ids, ", "))
}

// ErrorCode is EINVALID: the desk fixes it with what the applicant brings.
func (e *IncompleteError) ErrorCode() Code { return EINVALID }

// Message implements Localized: every missing component, by name.
func (e *IncompleteError) Message(lang string) string {
	parts := make([]string, len(e.Missing))
	for i, m := range e.Missing {
		parts[i] = m.Words(lang)
	}
	if lang == "en" {
		return "The dossier is incomplete and cannot be received: " + strings.Join(parts, "; ") + ". Give the applicant the supplement guidance (form 02)"
	}
	return "Hồ sơ chưa đầy đủ, chưa tiếp nhận: " + strings.Join(parts, "; ") + ". Hướng dẫn người nộp bổ sung theo Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)"
}

// CheckComponents checks the desk's checklist against p's components and
// returns it as the dossier keeps it: in the procedure's order, a copy
// kind left empty read as the kind asked (the desk ticked the component
// as asked), and components with no copy dropped. A receipt naming no
// component of p, a copy kind that is not one, a negative or huge count
// or a component listed twice is an *InvalidInputError; required
// components missing, short or in a weaker form are one
// *IncompleteError listing them all. A procedure without components
// takes no checklist.
func CheckComponents(p *Procedure, got []ComponentReceipt) ([]ComponentReceipt, error) {
	byID := make(map[string]ComponentReceipt, len(got))
	for _, r := range got {
		c, ok := p.Component(r.ID)
		if !ok {
			return nil, invalid(FieldComponents, fmt.Sprintf("thủ tục không có thành phần %q", r.ID), fmt.Sprintf("the procedure has no component %q", r.ID))
		}
		if _, dup := byID[r.ID]; dup {
			return nil, invalid(FieldComponents, fmt.Sprintf("thành phần %q được ghi hai lần", r.ID), fmt.Sprintf("component %q is listed twice", r.ID))
		}
		if r.Copy == "" {
			r.Copy = c.Copy
			if r.Copy == CopyAny {
				r.Copy = CopyOriginal
			}
		}
		if _, ok := copyRank[r.Copy]; !ok || r.Copy == CopyAny {
			return nil, invalid(FieldComponents, fmt.Sprintf("%q không phải bản chính (original), bản sao (copy) hay bản sao chứng thực (certified)", r.Copy),
				fmt.Sprintf("%q is not original, copy or certified", r.Copy))
		}
		if r.Count < 0 || r.Count > maxSets {
			return nil, invalid(FieldComponents, fmt.Sprintf("số bản của %q là số từ 0 đến %d", r.ID, maxSets), fmt.Sprintf("the count of %q is a number from 0 to %d", r.ID, maxSets))
		}
		byID[r.ID] = r
	}
	var kept []ComponentReceipt
	var missing []MissingComponent
	for _, c := range p.Components {
		r, ok := byID[c.ID]
		if ok && r.Count > 0 {
			kept = append(kept, r)
		}
		if !c.Required {
			continue
		}
		if !ok || r.Count < c.Count || !r.Copy.Satisfies(c.Copy) {
			m := MissingComponent{ID: c.ID, Name: c.Name, NameEN: c.NameEN, Copy: c.Copy, Count: c.Count}
			if ok && r.Count > 0 {
				m.Got, m.GotCopy = r.Count, r.Copy
			}
			missing = append(missing, m)
		}
	}
	if len(missing) > 0 {
		return nil, &IncompleteError{Procedure: p.Key(), Missing: missing}
	}
	return kept, nil
}

// CompleteChecklist is the checklist of a complete dossier under p: every
// required component, as many copies as asked, in the form asked (an
// original where any form will do). Callers that receive without a desk
// ticking boxes (the simulator, the demo data) use it.
func CompleteChecklist(p *Procedure) []ComponentReceipt {
	var out []ComponentReceipt
	for _, c := range p.Components {
		if !c.Required {
			continue
		}
		k := c.Copy
		if k == CopyAny {
			k = CopyOriginal
		}
		out = append(out, ComponentReceipt{ID: c.ID, Copy: k, Count: c.Count})
	}
	return out
}

// Component returns p's component id.
func (p *Procedure) Component(id string) (Component, bool) {
	for _, c := range p.Components {
		if c.ID == id {
			return c, true
		}
	}
	return Component{}, false
}

// Fee returns p's fee id.
func (p *Procedure) Fee(id string) (Fee, bool) {
	for _, f := range p.Fees {
		if f.ID == id {
			return f, true
		}
	}
	return Fee{}, false
}
