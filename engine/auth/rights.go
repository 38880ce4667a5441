package auth

import "github.com/motcua/motcua/engine"

// The rights below are pure functions of the person, the directory and
// the dossier; the HTTP layer checks them on every request. The engine
// itself enforces unit membership for every action and reception, and
// who may read what on every read (engine/read.go; the functions here
// that answer it delegate); these add which roles may act at all.
//
//	role     read dossiers        act / receive            figures            manage
//	officer  of their units       steps of their units     —                  —
//	head     of their units       steps of their units     their units'       —
//	leader   all                  steps of their units     the agency's       —
//	admin    all                  steps of their units     the agency's       users, tokens, procedures
//	viewer   all                  nothing                  the agency's       —
//
// "Of their units" means the dossier is, or was, with one of the person's
// units (current unit, receiving unit, or any handover row): a desk
// officer still reads the dossier they received while an office works on
// it. Lists and the inbox show dossiers currently with the person's units;
// the desk also lists what it received and its supplement queue. A
// leader is the leader role or the head of a unit marked as the agency's
// leadership (engine.Person.Leads). TestRightsTable checks every cell.

// ReadsAll reports whether p may read every dossier. The read rules
// live in the engine (engine.ReadsAll), which applies them to every read.
func ReadsAll(p *engine.Person) bool { return engine.ReadsAll(p) }

// CanAct reports whether p's roles allow acting on dossiers at all
// (receiving or firing actions); unit membership is checked by the engine.
func CanAct(p *engine.Person) bool {
	return p.HasRole(engine.RoleOfficer) || p.HasRole(engine.RoleHead) || p.HasRole(engine.RoleAdmin)
}

// CanManage reports whether p may manage users, tokens and procedures.
func CanManage(p *engine.Person) bool { return p.HasRole(engine.RoleAdmin) }

// CanSeeDashboard reports whether p may see unit statistics: their
// units' for a head, the agency's for those who read everything.
func CanSeeDashboard(p *engine.Person) bool {
	return p != nil && (p.HasRole(engine.RoleHead) || ReadsAll(p))
}

// SeesAgency reports whether p sees the whole agency's dashboard and
// reports (leaders, admins, viewers).
func SeesAgency(p *engine.Person) bool { return ReadsAll(p) }

// FigureUnits returns the units whose figures p sees on the dashboard
// and in /api/v1/reports: all for SeesAgency, a head's own units
// otherwise, none for others.
func FigureUnits(p *engine.Person) (units []string, all bool) {
	switch {
	case SeesAgency(p):
		return nil, true
	case p != nil && p.HasRole(engine.RoleHead):
		return append([]string(nil), p.Units...), false
	}
	return nil, false
}

// CanActOn reports whether p may fire some action on d now under proc:
// a role that acts, and an action the engine would accept from p.
func CanActOn(p *engine.Person, proc *engine.Procedure, d *engine.Dossier) bool {
	return p != nil && CanAct(p) && len(engine.Available(proc, d, p)) > 0
}

// CanReceive reports whether p may receive dossiers under some procedure
// of cat: the reception menu is shown only to them.
func CanReceive(p *engine.Person, cat *engine.Catalog) bool {
	return p != nil && CanAct(p) && len(cat.Receivable(p)) > 0
}

// CanRead reports whether p may read dossier d (engine.CanRead).
func CanRead(p *engine.Person, d *engine.Dossier) bool { return engine.CanRead(p, d) }

// ListUnits returns the units whose dossiers p may list: nil with all ==
// true for people who read everything, p's units otherwise (none for a
// person without a reading role); see engine.ListUnits.
func ListUnits(p *engine.Person) (units []string, all bool) { return engine.ListUnits(p) }
