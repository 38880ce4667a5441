package auth

import "github.com/motcua/motcua/engine"

// The rights below are pure functions of the person, the directory and
// the dossier; the HTTP layer checks them on every request. The engine
// itself enforces unit membership for every action and reception, and
// who may read what on every read (engine/read.go; the functions here
// that answer it delegate); these add which roles may act at all.
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

// CanSeeDashboard reports whether p may see unit statistics.
func CanSeeDashboard(p *engine.Person) bool {
	return p.HasRole(engine.RoleHead) || ReadsAll(p)
}

// CanRead reports whether p may read dossier d (engine.CanRead).
func CanRead(p *engine.Person, d *engine.Dossier) bool { return engine.CanRead(p, d) }

// ListUnits returns the units whose dossiers p may list: nil with all ==
// true for people who read everything, p's units otherwise (none for a
// person without a reading role); see engine.ListUnits.
func ListUnits(p *engine.Person) (units []string, all bool) { return engine.ListUnits(p) }
