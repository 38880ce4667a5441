package engine

// Limit returns how many times a may fire on one dossier, and false for
// an action without a limit. Extensions are limited to Max; a
// reappointment to Max as well, once when Max is unset (Decree 61/2018
// Art 19: the appointment may be re-set only once).
func (a *Action) Limit() (max int, limited bool) {
	if a.Extend.IsZero() && !a.Reappoint {
		return 0, false
	}
	if a.Reappoint && a.Max == 0 {
		return 1, true
	}
	return a.Max, true
}

// Available returns the actions person may fire on d now under p, in
// definition order: exactly those Step would accept from them, short of
// the inputs. System actions are the deadline watch's and never offered;
// a finished dossier, a deactivated person or nobody (nil) get none.
// Whether a role may act at all is the caller's rule (engine/auth).
func Available(p *Procedure, d *Dossier, person *Person) []*Action {
	if p == nil || person == nil || !person.Active || d.IsFinished() {
		return nil
	}
	if d.State == StateOnlineRegistered {
		return availableOnline(d, person)
	}
	var out []*Action
	for _, a := range p.ActionsFor(d.State, person.Units) {
		if max, limited := a.Limit(); limited && d.Uses[a.ID] >= max {
			continue
		}
		out = append(out, a)
	}
	return out
}

// Receivable returns the latest version of every procedure person may
// receive dossiers under, ordered by code: those whose initial state is
// with one of their units, as Receive checks. A deactivated person or
// nobody (nil) may receive none.
func (c *Catalog) Receivable(person *Person) []*Procedure {
	if person == nil || !person.Active {
		return nil
	}
	var out []*Procedure
	for _, p := range c.Latest() {
		if st, ok := p.State(p.Initial); ok && person.InUnit(st.Unit) {
			out = append(out, p)
		}
	}
	return out
}
