package auth

import "github.com/motcua/motcua/engine"

// The rights below are pure functions of the person, the directory and
// the dossier; the HTTP layer checks them on every request. The engine
// itself enforces unit membership for every action and reception; these
// add the rules about who may read what and which roles may act at all.
//
//	role     read dossiers                     act / receive            manage
//	officer  of their units                    steps of their units     —
//	head     of their units                    steps of their units     —
//	admin    all                               steps of their units     users, tokens, procedures
//	viewer   all                               nothing                  —
//
// "Of their units" means the dossier is, or was, with one of the person's
// units (current unit, receiving unit, or any handover row): a desk
// officer still reads the dossier they received while an office works on
// it. Lists and the inbox show dossiers currently with the person's units.

// ReadsAll reports whether p may read every dossier.
func ReadsAll(p *engine.Person) bool {
	return p.HasRole(engine.RoleAdmin) || p.HasRole(engine.RoleViewer)
}

// CanAct reports whether p's roles allow acting on dossiers at all
// (receiving or firing actions); unit membership is checked by the engine.
func CanAct(p *engine.Person) bool {
	return p.HasRole(engine.RoleOfficer) || p.HasRole(engine.RoleHead) || p.HasRole(engine.RoleAdmin)
}

// CanManage reports whether p may manage users, tokens and procedures.
func CanManage(p *engine.Person) bool { return p.HasRole(engine.RoleAdmin) }

// CanSeeDashboard reports whether p may see unit statistics.
func CanSeeDashboard(p *engine.Person) bool {
	return p.HasRole(engine.RoleHead) || ReadsAll(p)
}

// CanRead reports whether p may read dossier d.
func CanRead(p *engine.Person, d *engine.Dossier) bool {
	if ReadsAll(p) {
		return true
	}
	if !p.HasRole(engine.RoleOfficer) && !p.HasRole(engine.RoleHead) {
		return false
	}
	if p.InUnit(d.Unit) || p.InUnit(d.ReceivingUnit) {
		return true
	}
	for _, h := range d.History {
		if (h.FromUnit != "" && p.InUnit(h.FromUnit)) || (h.ToUnit != "" && p.InUnit(h.ToUnit)) {
			return true
		}
	}
	return false
}

// ListUnits returns the units whose dossiers p may list: nil with all ==
// true for people who read everything, p's units otherwise (none for a
// person without a reading role).
func ListUnits(p *engine.Person) (units []string, all bool) {
	if ReadsAll(p) {
		return nil, true
	}
	if !p.HasRole(engine.RoleOfficer) && !p.HasRole(engine.RoleHead) {
		return nil, false
	}
	return append([]string(nil), p.Units...), false
}
