package httpapi

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// withdrawCode is a sample procedure the desk may withdraw a dossier
// from, as every catalog procedure allows (Decree 118/2025 Art 21).
const withdrawCode = "MAU.RUT"

func withdrawProcedure() *engine.Procedure {
	p := enginetest.SampleProcedure()
	p.Code, p.Name, p.NameEN = withdrawCode, "Thủ tục mẫu có rút hồ sơ", "Sample procedure with withdrawal"
	p.States = append(p.States, &engine.State{ID: "da_rut", Name: "Công dân rút hồ sơ", NameEN: "Withdrawn", Final: engine.OutcomeWithdrawn, Status: 7})
	p.Actions = append(p.Actions, &engine.Action{
		ID: "rut", Name: "Rút hồ sơ", NameEN: "Withdraw", From: []string{"tiep_nhan", "tham_dinh", "cho_bo_sung"}, To: "da_rut",
		By: []string{enginetest.UnitDesk}, Requires: []string{"reason"},
	})
	if err := p.Index(); err != nil {
		panic(err)
	}
	return p
}

// TestBrowserOffice drives the pages of issue 11 in headless Chromium,
// one role after another: the desk finds a dossier it transferred and
// records a supplement from its queue; the leader opens a dossier of
// another unit and sees the agency's dashboard; an officer takes a step
// and alone gets its reminder; a withdrawal asks for confirmation and a
// reason. Every page is shot at 1280 and 390 px into $MOTCUA_SCREENSHOTS.
func TestBrowserOffice(t *testing.T) {
	b := setup(t, setupOpts{procs: []*engine.Procedure{withdrawProcedure()}})
	for _, p := range []string{receiver, officer, head, Leader} {
		if err := b.auth.SetPassword(context.Background(), p, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	transferred := b.receive("Nguyễn Văn Chuyển", "chuyen")
	waiting := b.receive("Trần Thị Bổ Sung", "chuyen", "yeu_cau_bo_sung")
	ctx0 := context.Background()
	toWithdraw, err := b.eng.Receive(ctx0, withdrawCode, 0, enginetest.SampleReception("Lê Văn Rút"))
	if err != nil {
		t.Fatal(err)
	}

	c := startChrome(t, b, 3*time.Minute)
	ctx, url, shots, step := c.ctx, c.url, c.shots, c.step
	text := c.text
	both := c.both
	signIn := func(person string) {
		step("sign in as "+person,
			chromedp.Navigate(url+"/signin"),
			chromedp.WaitVisible(chromedp.CSS("#person")),
			chromedp.SendKeys(chromedp.CSS("#person"), person),
			chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
			chromedp.Submit(chromedp.CSS("#password")),
			chromedp.WaitVisible(chromedp.CSS("p.legend")),
		)
	}
	signOut := func() {
		step("sign out", chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)), chromedp.WaitVisible(chromedp.CSS("#person")))
	}

	// The desk: the transferred dossier under "received", the waiting
	// one in the supplement queue, recorded from there.
	signIn(receiver)
	both("o01-desk-inbox")
	step("received tab",
		chromedp.Click(chromedp.CSS(`nav.tabs a[data-view="received"]`)),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-code="`+transferred.Code+`"]`)))
	if st := text(`tr[data-code="` + transferred.Code + `"] td:nth-child(4)`); !strings.Contains(st, "Thẩm định") {
		t.Errorf("the desk's received list shows the transferred dossier at %q, want Thẩm định", st)
	}
	both("o02-desk-received")
	step("supplement queue",
		chromedp.Click(chromedp.CSS(`nav.tabs a[data-view="supplement"]`)),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-code="`+waiting.Code+`"]`)))
	both("o03-desk-supplement")
	step("record the supplement from the queue: the procedure's own action, once",
		chromedp.Click(chromedp.CSS(`button[data-supplement="`+waiting.Code+`"][data-action="nhan_bo_sung"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got, _ := b.eng.Get(ctx0, waiting.Code); got.State != "tham_dinh" || got.History[len(got.History)-1].Actor != receiver {
		t.Errorf("after recording the supplement: state %s", got.State)
	}

	// A withdrawal asks for its reason and a confirmation.
	step("withdrawal form",
		chromedp.Navigate(url+"/dossiers/"+toWithdraw.Code),
		chromedp.WaitVisible(chromedp.CSS(`details.danger-zone summary`)),
		chromedp.Click(chromedp.CSS(`details.danger-zone summary`)),
		chromedp.WaitVisible(chromedp.CSS(`button[data-action="rut"]`)),
		chromedp.Click(chromedp.CSS(`button[data-action="rut"]`)))
	missing, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](`[document.querySelector('#rut-reason').validity.valueMissing, document.querySelector('[data-confirm="rut"]').validity.valueMissing]`))
	if err != nil {
		t.Fatalf("validity: %v", err)
	}
	if !slices.Equal(missing, []bool{true, true}) {
		t.Errorf("rule: the withdrawal needs a reason and a confirmation; missing = %v", missing)
	}
	both("o04-withdraw-form")
	step("withdraw with reason and confirmation",
		chromedp.SendKeys(chromedp.CSS("#rut-reason"), "Công dân có đơn xin rút hồ sơ"),
		chromedp.Click(chromedp.CSS(`[data-confirm="rut"]`)),
		chromedp.Click(chromedp.CSS(`button[data-action="rut"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got, _ := b.eng.Get(ctx0, toWithdraw.Code); got.State != "da_rut" || got.History[len(got.History)-1].Inputs["reason"] != "Công dân có đơn xin rút hồ sơ" {
		t.Errorf("after the withdrawal: state %s", got.State)
	}
	signOut()

	// An officer takes the step; the reminder goes to them alone.
	signIn(officer)
	step("dossier as officer",
		chromedp.Navigate(url+"/dossiers/"+transferred.Code),
		chromedp.WaitVisible(chromedp.CSS(`button[data-assign="take"]`)))
	both("o05-officer-dossier")
	step("take the step",
		chromedp.Click(chromedp.CSS(`button[data-assign="take"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if who := text("span.assignee strong"); who != "Trần Văn Chức" {
		t.Errorf("assignee shown %q", who)
	}
	both("o06-officer-took")
	d, _ := b.eng.Get(ctx0, transferred.Code)
	env, err := b.eng.EnvFor(d)
	if err != nil {
		t.Fatal(err)
	}
	var reminder time.Time
	for _, a := range engine.Alarms(env, d) {
		if a.Kind == engine.NoteReminder {
			reminder = a.At
		}
	}
	dec, changed, err := engine.Check(env, d, reminder)
	if err != nil || !changed || len(dec.Notifications) != 1 || !slices.Equal(dec.Notifications[0].To, []string{officer}) {
		t.Errorf("rule: the officer who took the step alone gets its reminder: %v %+v", err, dec)
	}
	step("inbox as officer", chromedp.Navigate(url+"/inbox"), chromedp.WaitVisible(chromedp.CSS(`tr[data-code="`+transferred.Code+`"] small.assignee`)))
	both("o07-officer-inbox")
	signOut()

	// The office head reassigns the step to another officer, by name.
	signIn(head)
	step("dossier as head",
		chromedp.Navigate(url+"/dossiers/"+transferred.Code),
		chromedp.WaitVisible(chromedp.CSS(`#assignee`)),
		chromedp.SetValue(chromedp.CSS(`#assignee`), enginetest.Officer2),
		chromedp.Click(chromedp.CSS(`button[data-assign="head"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if who := text("span.assignee strong"); who != "Lê Thị Hai" {
		t.Errorf("assignee after the head's reassignment %q, want Lê Thị Hai", who)
	}
	both("o07b-head-reassigned")
	signOut()

	// The leader opens a dossier at the desk and sees every unit.
	fresh := b.receive("Phạm Thị Mới")
	signIn(Leader)
	step("dossier of another unit", chromedp.Navigate(url+"/dossiers/"+fresh.Code), chromedp.WaitVisible(chromedp.CSS("table.slip")))
	both("o08-leader-dossier")
	step("agency dashboard", chromedp.Navigate(url+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-unit="`+enginetest.UnitDesk+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-unit="`+enginetest.UnitOffice+`"]`)))
	both("o09-leader-dashboard")
	step("english dossier", chromedp.Navigate(url+"/dossiers/"+transferred.Code+"?lang=en"), chromedp.WaitVisible(chromedp.CSS("table.slip")))
	both("o10-leader-dossier-en")
	t.Logf("screenshots in %s", shots.dir)
}
