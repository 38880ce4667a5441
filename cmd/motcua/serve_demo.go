package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

// demoPassword is the password --demo gives everyone; it is printed at
// start-up, so it protects nothing and says so.
const demoPassword = "motcua-demo"

// seedDemo gives every person the demo password (once) and, into an
// empty store, receives a few demo dossiers; it prints both on stdout.
func seedDemo(ctx context.Context, stdout io.Writer, eng *engine.Engine, as *auth.Service) error {
	fmt.Fprintf(stdout, "motcua: DEMO MODE: every person below signs in with the password %q\n", demoPassword)
	// The demo password is printed, so a slow hash protects nothing: the
	// cheapest bcrypt cost makes start-up take a second, not half a
	// minute for a directory of twenty people. Real passwords set later
	// (motcua users passwd, the change-password page) use the full cost.
	demo := &auth.Service{Store: as.Store, Sessions: as.Sessions, Directory: as.Directory, Now: as.Now, Cost: bcrypt.MinCost}
	for _, p := range eng.Directory.People() {
		if !as.HasPassword(ctx, p.ID) {
			if err := demo.SetPassword(ctx, p.ID, demoPassword); err != nil {
				return fmt.Errorf("demo password for %s: %w", p.ID, err)
			}
		}
		roles := make([]string, len(p.Roles))
		for i, r := range p.Roles {
			roles[i] = string(r)
		}
		fmt.Fprintf(stdout, "  %-18s %-24s %-16s %s\n", p.ID, p.Name, strings.Join(roles, ","), strings.Join(p.Units, ","))
	}
	existing, err := eng.Store.List(ctx, engine.Query{Limit: 1})
	if err != nil || len(existing) > 0 {
		return err
	}
	names := []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Hoàng Văn Em"}
	n := 0
	for _, p := range eng.Catalog.Latest() {
		if n == len(names) {
			break
		}
		st, ok := p.State(p.Initial)
		if !ok {
			continue
		}
		var actor string
		for _, id := range eng.Directory.Members(st.Unit) {
			if person, _ := eng.Directory.Person(id); person != nil && person.Active && auth.CanAct(person) {
				actor = id
				break
			}
		}
		if actor == "" {
			continue
		}
		d, err := eng.Receive(ctx, p.Code, 0, engine.ReceiveInput{Actor: actor, Channel: engine.ChannelCounter,
			Applicant: engine.Applicant{Name: names[n], Phone: "0900000" + strconv.Itoa(100+n)}, IdempotencyKey: "demo-" + p.Code,
			Components: engine.CompleteChecklist(p)})
		if err != nil {
			return fmt.Errorf("demo dossier for %s: %w", p.Code, err)
		}
		fmt.Fprintf(stdout, "  demo dossier %s (%s)\n", d.Code, p.Code)
		n++
	}
	return nil
}
