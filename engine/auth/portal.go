package auth

import "github.com/motcua/motcua/engine"

// CanSubmitOnline reports whether p may submit dossiers online: a portal's
// account (engine.RolePortal), which reads and acts on nothing else. Its
// token is made with the existing users and tokens commands.
func CanSubmitOnline(p *engine.Person) bool {
	return p != nil && p.Active && p.HasRole(engine.RolePortal)
}
