package httpapi

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/engine"
)

// TestBrowserDashboardD766 shows, in headless Chromium, the dashboard's
// Decision 766 panel for the admin and for the office head, at 1280 and
// 390 px (d766-*-1280/390 in $MOTCUA_SCREENSHOTS): the figures are the
// page's, and at phone width the panel fits the screen.
func TestBrowserDashboardD766(t *testing.T) {
	b := setup(t)
	codes := dashboardData(t, b)
	d, err := b.store.Get(t.Context(), codes["early1"])
	if err != nil {
		t.Fatal(err)
	}
	d.Files = []engine.FileRef{{ID: "s1", Component: "to-khai", At: d.ReceivedAt}, {ID: "r1", Result: true, At: *d.FinishedAt}}
	d.Rating = &engine.Rating{At: *d.FinishedAt, Scores: map[string]int{"thai_do": 5, "dung_hen": 4}}
	d.History = append(d.History, engine.HistoryRow{Seq: len(d.History) + 1, At: d.FinishedAt.Add(time.Minute), Action: "danh_gia", Actor: "applicant"})
	prev := d.Version
	d.Version++
	if err := b.store.Apply(t.Context(), d, prev, nil); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{Admin, head} {
		if err := b.auth.SetPassword(context.Background(), p, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	c := startChrome(t, b, 3*time.Minute)
	eval := func(js string) bool {
		t.Helper()
		sctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
		defer cancel()
		ok, err := chromedp.Run(sctx, chromedp.Evaluate[bool](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return ok
	}
	for _, who := range []struct{ person, shot, rate string }{{Admin, "d766-admin", "44,4%"}, {head, "d766-head", "40,0%"}} {
		c.step("sign in "+who.person,
			chromedp.Navigate(c.url+"/signin"),
			chromedp.WaitVisible(chromedp.CSS("#person")),
			chromedp.SendKeys(chromedp.CSS("#person"), who.person),
			chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
			chromedp.Submit(chromedp.CSS("#password")),
			chromedp.WaitNotPresent(chromedp.CSS("#password")),
			chromedp.Navigate(c.url+"/dashboard"),
			chromedp.WaitVisible(chromedp.CSS("#d766")))
		if got := c.text("#d766-2-1 .n"); got != who.rate {
			t.Errorf("%s: 2.1 tile %q, want %q", who.person, got, who.rate)
		}
		c.step("scroll to the panel", chromedp.ScrollIntoView(chromedp.CSS("#d766")))
		c.both(who.shot)
		c.step("phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.ScrollIntoView(chromedp.CSS("#d766")))
		if !eval(`(() => { const r = document.querySelector('#d766').getBoundingClientRect(); return r.right <= window.innerWidth + 1 })()`) {
			t.Errorf("%s: the panel is wider than a 390 px screen", who.person)
		}
		c.step("desktop width", chromedp.EmulateViewport(1280, 900))
		c.step("sign out", chromedp.Navigate(c.url+"/signout"))
	}
}
