package httpapi

import (
	"context"
	"os"
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
	exe := chromium(t)
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

	dir := os.Getenv("MOTCUA_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shots := shooter{t: t, dir: dir}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	watchdog := time.AfterFunc(2*time.Minute, cancel)
	defer watchdog.Stop()
	url := b.ts.URL
	// The first action starts the browser: on ctx itself, so that it
	// outlives the steps' shorter contexts.
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/signin")); err != nil {
		t.Fatalf("start Chromium %s: %v", exe, err)
	}
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, scancel := context.WithTimeout(ctx, 30*time.Second)
		defer scancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
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
	both := func(name string) {
		t.Helper()
		shots.shot(ctx, name+"-1280")
		step("phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		shots.shot(ctx, name+"-390")
		step("desktop width", chromedp.EmulateViewport(1280, 900))
	}

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
