package auth_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

// rightsProcedure is a desk → office → leadership procedure with a wait
// for the citizen's supplement, the shape of the demo commune's.
func rightsProcedure(t *testing.T) *engine.Procedure {
	t.Helper()
	p := &engine.Procedure{
		Code: "R.01", Name: "Thủ tục", Version: 1, Initial: "reception",
		States: []*engine.State{
			{ID: "reception", Unit: "mot-cua"},
			{ID: "waiting", WaitsFor: "applicant"},
			{ID: "review", Unit: "kinh-te"},
			{ID: "approval", Unit: "lanh-dao"},
			{ID: "done", Final: engine.OutcomeApproved},
		},
		Actions: []*engine.Action{
			{ID: "transfer", From: []string{"reception"}, To: "review"},
			{ID: "ask", From: []string{"review"}, To: "waiting", Requires: []string{"reason"}},
			{ID: "resubmit", From: []string{"waiting"}, To: "review", By: []string{"mot-cua"}},
			{ID: "propose", From: []string{"review"}, To: "approval"},
			{ID: "sign", From: []string{"approval"}, To: "done"},
		},
	}
	if err := p.Index(); err != nil {
		t.Fatal(err)
	}
	return p
}

func rightsDirectory(t *testing.T) *engine.Directory {
	t.Helper()
	r := func(rs ...engine.Role) []engine.Role { return rs }
	dir, err := engine.NewDirectory([]engine.Unit{
		{ID: "mot-cua", Head: "desk-head"},
		{ID: "kinh-te", Head: "office-head"},
		{ID: "tu-phap", Head: "other-head"},
		{ID: "lanh-dao", Head: "chairman", Leadership: true},
	}, []engine.Person{
		{ID: "desk", Units: []string{"mot-cua"}, Roles: r(engine.RoleOfficer), Active: true},
		{ID: "desk-head", Units: []string{"mot-cua"}, Roles: r(engine.RoleHead, engine.RoleOfficer), Active: true},
		{ID: "office", Units: []string{"kinh-te"}, Roles: r(engine.RoleOfficer), Active: true},
		{ID: "office-head", Units: []string{"kinh-te"}, Roles: r(engine.RoleHead, engine.RoleOfficer), Active: true},
		{ID: "other-head", Units: []string{"tu-phap"}, Roles: r(engine.RoleHead, engine.RoleOfficer), Active: true},
		{ID: "chairman", Units: []string{"lanh-dao"}, Roles: r(engine.RoleHead), Active: true},
		{ID: "deputy", Units: []string{"lanh-dao"}, Roles: r(engine.RoleHead, engine.RoleOfficer), Active: true},
		{ID: "inspector", Roles: r(engine.RoleLeader), Active: true},
		{ID: "admin", Units: []string{"mot-cua"}, Roles: r(engine.RoleAdmin), Active: true},
		{ID: "viewer", Roles: r(engine.RoleViewer), Active: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRightsTable checks every cell of role × where the dossier is ×
// (read, act, see the agency's figures, see the reception menu): one
// dossier received at the desk and walked through the procedure.
func TestRightsTable(t *testing.T) {
	t.Parallel()
	p := rightsProcedure(t)
	dir := rightsDirectory(t)
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	d := &engine.Dossier{Code: "X-1", Procedure: "R.01", ReceivingUnit: "mot-cua", State: "reception", Unit: "mot-cua", Status: engine.StatusInProgress,
		History: []engine.HistoryRow{{Seq: 1, Action: "receive", ToState: "reception", ToUnit: "mot-cua"}}}
	moveTo := func(d *engine.Dossier, state, unit string, status engine.Status) *engine.Dossier {
		n := d.Clone()
		n.History = append(n.History, engine.HistoryRow{Seq: len(n.History) + 1, At: at, FromState: d.State, ToState: state, FromUnit: d.Unit, ToUnit: unit})
		n.State, n.Unit, n.Status = state, unit, status
		return n
	}
	atDesk := d
	inOffice := moveTo(atDesk, "review", "kinh-te", engine.StatusInProgress)
	waiting := moveTo(inOffice, "waiting", "", engine.StatusPaused)
	atLeader := moveTo(inOffice, "approval", "lanh-dao", engine.StatusInProgress)
	done := moveTo(atLeader, "done", "", engine.StatusFinished)
	positions := []struct {
		name string
		d    *engine.Dossier
	}{{"at the desk", atDesk}, {"in the office", inOffice}, {"waiting for the citizen", waiting}, {"with the leadership", atLeader}, {"finished", done}}

	// want[person] = read per position, act per position (R/-, A/-),
	// then agency figures and reception menu.
	want := map[string]string{
		//             desk office waiting leader finished | agency reception
		"desk":        "RA R- RA R- R- | - reception",
		"desk-head":   "RA R- RA R- R- | - reception",
		"office":      "-- RA R- R- R- | - -",
		"office-head": "-- RA R- R- R- | - -",
		"other-head":  "-- -- -- -- -- | - -",
		"chairman":    "R- R- R- RA R- | agency -",
		"deputy":      "R- R- R- RA R- | agency -",
		"inspector":   "R- R- R- R- R- | agency -",
		"admin":       "RA R- RA R- R- | agency reception",
		"viewer":      "R- R- R- R- R- | agency -",
	}
	cat, err := engine.NewCatalog(p)
	if err != nil {
		t.Fatal(err)
	}
	for id, w := range want {
		person, _ := dir.Person(id)
		got := ""
		for i, pos := range positions {
			if i > 0 {
				got += " "
			}
			read, act := "-", "-"
			if auth.CanRead(person, pos.d) {
				read = "R"
			}
			if auth.CanActOn(person, p, pos.d) {
				act = "A"
			}
			got += read + act
		}
		agency, reception := "-", "-"
		if auth.SeesAgency(person) {
			agency = "agency"
		}
		if auth.CanReceive(person, cat) {
			reception = "reception"
		}
		got += fmt.Sprintf(" | %s %s", agency, reception)
		if got != w {
			t.Errorf("rule: %s reads/acts as the table says\n got %s\nwant %s", id, got, w)
		}
	}
}

// TestDashboardScope: a head sees the dashboard for their units only, a
// leader the agency's, an officer none.
func TestDashboardScope(t *testing.T) {
	t.Parallel()
	dir := rightsDirectory(t)
	for _, c := range []struct {
		rule   string
		person string
		see    bool
		units  []string
		all    bool
	}{
		{"a unit head sees their units' figures", "office-head", true, []string{"kinh-te"}, false},
		{"the head of the leadership unit sees the agency's", "chairman", true, nil, true},
		{"the leader role sees the agency's", "inspector", true, nil, true},
		{"an officer sees no figures", "office", false, nil, false},
	} {
		p, _ := dir.Person(c.person)
		units, all := auth.FigureUnits(p)
		if auth.CanSeeDashboard(p) != c.see || all != c.all || fmt.Sprint(units) != fmt.Sprint(c.units) {
			t.Errorf("rule: %s: see=%v units=%v all=%v", c.rule, auth.CanSeeDashboard(p), units, all)
		}
	}
}
