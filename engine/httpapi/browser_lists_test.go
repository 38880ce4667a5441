package httpapi

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserTimeLeftAnd404 shows, in headless Chromium, the inbox with
// the working time left (a late deadline in red beside one still ahead)
// and the 404 page, each shot at 1280 and 390 px into
// $MOTCUA_SCREENSHOTS.
func TestBrowserTimeLeftAnd404(t *testing.T) {
	b := setup(t)
	if err := b.auth.SetPassword(context.Background(), head, testPassword); err != nil {
		t.Fatal(err)
	}
	old := b.receive("Nguyễn Văn Trễ Hạn", "chuyen")
	// The second dossier arrives later, so that at the end one deadline
	// is past and the other still ahead.
	b.clock.Set(b.eng.Calendar.AddWork(b.clock.Now(), 24*time.Hour))
	fresh := b.receive("Trần Thị Còn Hạn", "chuyen")
	b.clock.Set(b.eng.Calendar.AddWork(*old.DueAt, 3*time.Hour))

	c := startChrome(t, b, 2*time.Minute)
	ctx, url, step := c.ctx, c.url, c.step
	eval := func(js string) string {
		t.Helper()
		sctx, scancel := context.WithTimeout(ctx, 30*time.Second)
		defer scancel()
		s, err := chromedp.Run(sctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	both := c.both

	step("sign in",
		chromedp.Navigate(url+"/signin"),
		chromedp.WaitVisible(chromedp.CSS("#person")),
		chromedp.SendKeys(chromedp.CSS("#person"), head),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-code="`+fresh.Code+`"]`)))
	late := `tr[data-code="` + old.Code + `"] [data-left="due"]`
	ahead := `tr[data-code="` + fresh.Code + `"] [data-left="due"]`
	if s := eval(`document.querySelector('` + late + `').textContent`); s != "quá hạn 3 giờ làm việc" {
		t.Errorf("late dossier's time left: %q", s)
	}
	if s := eval(`document.querySelector('` + ahead + `').textContent`); !strings.HasPrefix(s, "còn ") {
		t.Errorf("dossier still in time: %q", s)
	}
	// Red is --overdue, #b3261e; the one still in time is not red.
	red := "rgb(179, 38, 30)"
	if c := eval(`getComputedStyle(document.querySelector('` + late + `')).color`); c != red {
		t.Errorf("late deadline colour %s, want red %s", c, red)
	}
	if c := eval(`getComputedStyle(document.querySelector('` + ahead + `')).color`); c == red {
		t.Errorf("a deadline still ahead is red")
	}
	both("l01-inbox-time-left")
	step("inbox in English", chromedp.Navigate(url+"/inbox?lang=en"), chromedp.WaitVisible(chromedp.CSS(late)))
	if s := eval(`document.querySelector('` + late + `').textContent`); s != "3 working hours late" {
		t.Errorf("late dossier's time left in English: %q", s)
	}
	both("l02-inbox-time-left-en")
	step("dossier page", chromedp.Navigate(url+"/dossiers/"+old.Code+"?lang=vi"), chromedp.WaitVisible(chromedp.CSS(`[data-left="due"]`)))
	both("l03-dossier-time-left")
	step("unknown page", chromedp.Navigate(url+"/khong-co-trang-nay"), chromedp.WaitVisible(chromedp.CSS("#not-found")))
	if s := eval(`document.querySelector('#not-found h1').textContent`); s != "Không tìm thấy trang" {
		t.Errorf("404 heading: %q", s)
	}
	both("l04-404")
	step("unknown dossier in English", chromedp.Navigate(url+"/dossiers/XA01-000000-0000?lang=en"), chromedp.WaitVisible(chromedp.CSS("#not-found")))
	both("l05-404-dossier-en")
}
