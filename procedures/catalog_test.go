package procedures

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

func catalogFiles(t testing.TB) []string {
	files, err := filepath.Glob("../examples/procedures/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalog: %v", err)
	}
	return files
}

func TestLintCatalog(t *testing.T) {
	t.Parallel()
	dir, err := LoadDirectory("../examples/directory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files := catalogFiles(t)
	r := Lint(LintOptions{Directory: dir}, files...)
	for _, p := range r.Problems {
		t.Error(p)
	}
	if len(r.Procedures) != len(files) || len(files) < 9 {
		t.Errorf("compiled %d of %d files, want at least 9", len(r.Procedures), len(files))
	}
}

// TestFSMMatchesYAML checks that the looplab/fsm machine a compiled
// procedure builds has exactly the transitions the YAML declares.
func TestFSMMatchesYAML(t *testing.T) {
	t.Parallel()
	for _, f := range catalogFiles(t) {
		p, err := LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range p.States {
			m := p.FSM(s.ID)
			for _, a := range p.Actions {
				want := a.To != "" && a.AllowedFrom(s.ID)
				if got := m.Can(a.ID); got != want {
					t.Errorf("%s: in %s, fsm Can(%s) = %v, want %v", p.Code, s.ID, a.ID, got, want)
				}
				if next, err := p.Next(s.ID, a.ID); a.AllowedFrom(s.ID) && (err != nil || (a.To != "" && next != a.To) || (a.To == "" && next != s.ID)) {
					t.Errorf("%s: Next(%s, %s) = %q, %v", p.Code, s.ID, a.ID, next, err)
				}
			}
			if s.IsFinal() && len(m.AvailableTransitions()) != 0 {
				t.Errorf("%s: final state %s has transitions %v", p.Code, s.ID, m.AvailableTransitions())
			}
		}
	}
}

func TestCompiledAnswers(t *testing.T) {
	t.Parallel()
	p, err := LoadFile("../examples/procedures/1.001193-dang-ky-khai-sinh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ids := func(as []*engine.Action) string {
		var s []string
		for _, a := range as {
			s = append(s, a.ID)
		}
		return strings.Join(s, ",")
	}
	if got := ids(p.ActionsFor("review", []string{"tu-phap-ho-tich"})); got != "request_supplement,propose,refuse,apologise" {
		t.Errorf("ActionsFor(review, tu-phap-ho-tich) = %s", got)
	}
	if got := ids(p.ActionsFor("review", []string{"mot-cua"})); got != "withdraw" {
		t.Errorf("ActionsFor(review, mot-cua) = %s", got)
	}
	if got := ids(p.ActionsFor("waiting_supplement", []string{"mot-cua", "lanh-dao"})); got != "resubmit,withdraw" {
		t.Errorf("system actions leak into ActionsFor: %s", got)
	}
	if got := p.Budget("review").String(); got != "4 working hours" {
		t.Errorf("Budget(review) = %s", got)
	}
	if p.Cutoff == nil || p.Cutoff.String() != "15:00" || p.TimeLimit != calendar.SameDayLimit {
		t.Errorf("cutoff %v, limit %v", p.Cutoff, p.TimeLimit)
	}
	if a, _ := p.Action("apologise"); a == nil || !a.Reappoint || a.Max != 1 {
		t.Errorf("apologise = %+v", a)
	}
	copyP, err := LoadFile("../examples/procedures/2.000908-cap-ban-sao-trich-luc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(copyP.Escalation) != 3 || copyP.Escalation[0].Notify != NotifyAssignee {
		t.Errorf("default ladder not applied: %+v", copyP.Escalation)
	}
}

func BenchmarkLintCatalog(b *testing.B) {
	dir, err := LoadDirectory("../examples/directory.yaml")
	if err != nil {
		b.Fatal(err)
	}
	files := catalogFiles(b)
	b.ReportAllocs()
	for b.Loop() {
		if r := Lint(LintOptions{Directory: dir}, files...); len(r.Problems) > 0 {
			b.Fatal(r.Problems)
		}
	}
}

// FuzzParse feeds arbitrary bytes to the parser: it must never panic and
// must return either a procedure or located problems, never both or
// neither.
func FuzzParse(f *testing.F) {
	for _, p := range append(catalogFiles(f), "testdata/lint/valid.yaml", "testdata/lint/no_final.yaml", "testdata/lint/contents_bad.yaml") {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("a: &a [*a]"))
	f.Add([]byte("states: {id: x}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.yaml", data)
		checkProblems(t, "Parse", p == nil, err)
		if err != nil {
			return
		}
		_ = Mermaid(p)
		_ = DOT(p)
	})
}

// TestPetitionsMarkForwarding: every petition procedure of the catalog
// marks the states a petition enters when it is not within the unit's
// authority (issue 7), the mark compiles onto engine.State, and only
// petition kinds carry it.
func TestPetitionsMarkForwarding(t *testing.T) {
	t.Parallel()
	want := map[string][]string{
		"XA.KN.01":   {"guided_elsewhere"}, // Citizen Reception Law 2013 Art 28
		"XA.TC.01":   {"forwarded"},        // Denunciations Law 2018 Art 24
		"XA.KNPA.01": {"forwarded"},        // Citizen Reception Law 2013 Art 28
	}
	for _, f := range catalogFiles(t) {
		p, err := LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range p.States {
			if s.IsOutsideAuthority() {
				got = append(got, s.ID)
			}
		}
		if strings.Join(got, ",") != strings.Join(want[p.Code], ",") {
			t.Errorf("%s: outside-authority states %v, want %v", p.Code, got, want[p.Code])
		}
		if len(got) > 0 && !p.Kind.IsPetition() {
			t.Errorf("%s: kind %s carries an authority mark", p.Code, p.Kind)
		}
	}
}

// TestCatalogAsksReasons: in the catalog, every action that ends a
// dossier without its result or sends it back requires a reason, so the
// core refuses it without one (issue 11: one click on "Rút yêu cầu"
// ended a dossier for good), and the leadership unit of the demo
// directory is marked so that its head sees the commune's dossiers.
func TestCatalogAsksReasons(t *testing.T) {
	t.Parallel()
	n := 0
	for _, f := range catalogFiles(t) {
		p, err := LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range p.Actions {
			if !p.EndsOrSendsBack(a) {
				continue
			}
			n++
			found := false
			for _, r := range a.Requires {
				found = found || r == "reason"
			}
			if !found {
				t.Errorf("%s: action %q ends the dossier or sends it back without requires: [reason]", filepath.Base(f), a.ID)
			}
		}
	}
	if n < 20 {
		t.Errorf("found %d actions that end or send back, want every withdraw and send_back of the catalog", n)
	}
	dir, err := LoadDirectory("../examples/directory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if chair, _ := dir.Person("dang-van-quang"); !chair.Leads() {
		t.Errorf("the commune chairman, head of the leadership unit, does not lead the agency")
	}
	if head, _ := dir.Person("pham-thi-hoa"); head.Leads() {
		t.Errorf("an office head leads the agency")
	}
}

// TestCatalogSpeaksEnglish: English pages name every state and action of
// the catalog in English (name_en), not in Vietnamese.
func TestCatalogSpeaksEnglish(t *testing.T) {
	t.Parallel()
	for _, f := range catalogFiles(t) {
		p, err := LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range p.States {
			if s.NameEN == "" {
				t.Errorf("%s: state %q has no name_en", filepath.Base(f), s.ID)
			}
		}
		for _, a := range p.Actions {
			if a.NameEN == "" {
				t.Errorf("%s: action %q has no name_en", filepath.Base(f), a.ID)
			}
		}
	}
}
