package engine_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// TestRecomputeFollowsTheCalendar: a dossier received on a calendar that
// lacked the Hùng Kings' holiday (Mon 27/04/2026) keeps a stale due
// instant until recomputed on the official one; the move is recorded as
// a system history row, and a second recomputation changes nothing.
func TestRecomputeFollowsTheCalendar(t *testing.T) {
	t.Parallel()
	cfg := calendar.VNConfig()
	for i, y := range cfg.Years {
		if y.Year != 2026 {
			continue
		}
		var off []calendar.Holiday
		for _, h := range y.DaysOff {
			if h.Date != (calendar.Date{Year: 2026, Month: time.April, Day: 27}) {
				off = append(off, h)
			}
		}
		cfg.Years[i].DaysOff = off
	}
	stale, err := calendar.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	official := calendar.VN()
	p := &engine.Procedure{
		Code: "HKD", Name: "Đăng ký hộ kinh doanh", Version: 1, Kind: engine.KindProcedure,
		TimeLimit: calendar.WorkingDaysOf(3), Supplement: engine.SupplementRestart, Initial: "xu-ly",
		States: []*engine.State{
			{ID: "xu-ly", Name: "Thẩm định", Unit: "phong", TimeLimit: calendar.WorkingDaysOf(2)},
			{ID: "xong", Name: "Xong", Final: engine.OutcomeApproved},
		},
		Actions: []*engine.Action{{ID: "duyet", From: []string{"xu-ly"}, To: "xong"}},
	}
	if err := p.Index(); err != nil {
		t.Fatal(err)
	}
	dir, err := engine.NewDirectory([]engine.Unit{{ID: "phong"}}, []engine.Person{{ID: "chi", Units: []string{"phong"}, Active: true}})
	if err != nil {
		t.Fatal(err)
	}
	loc := official.Location()
	at := time.Date(2026, 4, 24, 9, 0, 0, 0, loc) // Friday
	dec, err := engine.Receive(engine.Env{Procedure: p, Directory: dir, Calendar: stale},
		engine.ReceiveInput{Actor: "chi", Applicant: engine.Applicant{Name: "Hộ kinh doanh A"}}, "PHONG-260424-0001", at)
	if err != nil {
		t.Fatal(err)
	}
	d := dec.Dossier
	show := func(t *time.Time) string { return t.In(loc).Format(time.RFC3339) }
	if got := show(d.DueAt); got != "2026-04-29T09:00:00+07:00" {
		t.Fatalf("due on the stale calendar %s, want Wed 29/04 09:00", got)
	}
	env := engine.Env{Procedure: p, Directory: dir, Calendar: official}
	rec, changed, err := engine.Recompute(env, d, at.Add(72*time.Hour))
	if err != nil || !changed {
		t.Fatalf("rule: a calendar change moves the due instant; changed %v, %v", changed, err)
	}
	nd := rec.Dossier
	// 27/04 and 30/04–03/05 off: the last hour falls on Mon 04/05.
	if got := show(nd.DueAt); got != "2026-05-04T09:00:00+07:00" {
		t.Errorf("due after recompute %s, want Mon 04/05 09:00", got)
	}
	if got := show(nd.StepDueAt); got != "2026-04-29T09:00:00+07:00" {
		t.Errorf("step due after recompute %s, want Wed 29/04 09:00 (Fri, Tue, Wed)", got)
	}
	row := nd.History[len(nd.History)-1]
	if row.Actor != engine.ActorSystem || row.Action != engine.ActionRecalendar || row.Inputs["due_before"] != "2026-04-29T09:00:00+07:00" || row.Seq != 2 {
		t.Errorf("rule: the move is recorded on the slip; row %+v", row)
	}
	if d.DueAt.Equal(*nd.DueAt) {
		t.Error("rule: the input dossier is not mutated")
	}
	if _, again, err := engine.Recompute(env, nd, at.Add(73*time.Hour)); err != nil || again {
		t.Errorf("rule: recomputing on the same calendar changes nothing; changed %v, %v", again, err)
	}
}
