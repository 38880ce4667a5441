package httpapi

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/engine/enginetest"
)

// TestBrowserDashboardPeriod walks the dashboard's period picker in
// Chromium as the agency's leader: the month shows only its own fields,
// a quarter and a custom range are chosen and shown, and the download
// link keeps the period. Shot at 1280 and 390 px into
// $MOTCUA_SCREENSHOTS.
func TestBrowserDashboardPeriod(t *testing.T) {
	b := setup(t)
	dashboardData(t, b)
	if err := b.auth.SetPassword(context.Background(), Leader, testPassword); err != nil {
		t.Fatal(err)
	}
	c := startChrome(t, b, 2*time.Minute)
	c.step("sign in", chromedp.Navigate(c.url+"/signin"), chromedp.WaitVisible(chromedp.CSS("#person")),
		chromedp.SendKeys(chromedp.CSS("#person"), Leader), chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS("p.legend")))

	c.step("dashboard", chromedp.Navigate(c.url+"/dashboard"), chromedp.WaitVisible(chromedp.CSS("#period-form")))
	visible := func(sel string) bool {
		ok, err := chromedp.Run(c.ctx, chromedp.Evaluate[bool](`(() => { const e = document.querySelector(`+"`"+sel+"`"+`); return !!e && e.offsetParent !== null })()`))
		if err != nil {
			t.Fatalf("visibility of %s: %v", sel, err)
		}
		return ok
	}
	if !visible(`select[name=month]`) || visible(`select[name=quarter]`) || visible(`input[name=from]`) {
		t.Error("a month period shows its month and year only")
	}
	if got := c.text("#period-label"); got != "Tháng 03/2026 (đến 20/03/2026)" {
		t.Errorf("period label %q", got)
	}
	c.both("d01-dashboard-month")

	c.step("choose the first quarter",
		chromedp.SetValue(chromedp.CSS("#period-kind"), "quarter"),
		chromedp.SetValue(chromedp.CSS("select[name=quarter]"), "1"),
		chromedp.Submit(chromedp.CSS("#period-kind")),
		chromedp.WaitReady(chromedp.CSS(`option[value=quarter][selected]`)))
	if got := c.text("#period-label"); got != "Quý I/2026 (đến 20/03/2026)" {
		t.Errorf("quarter label %q", got)
	}
	if visible(`select[name=month]`) || !visible(`select[name=quarter]`) {
		t.Error("a quarter period shows its quarter and year only")
	}
	if got := c.text(`tr[data-unit="` + enginetest.UnitDesk + `"] td.rated`); got != "3/4" {
		t.Errorf("the desk's quarter: %q judged, want 3/4 (February's and March's)", got)
	}
	href, err := chromedp.Run(c.ctx, chromedp.Evaluate[string](`document.querySelector('#download-xlsx').href`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(href, "/dashboard.xlsx?period=quarter&quarter=1&year=2026") {
		t.Errorf("the download keeps the period: %q", href)
	}
	c.both("d02-dashboard-quarter")

	c.step("choose days",
		chromedp.SetValue(chromedp.CSS("#period-kind"), "custom"),
		chromedp.WaitVisible(chromedp.CSS("input[name=from]")),
		chromedp.SendKeys(chromedp.CSS("input[name=from]"), "02/03/2026"),
		chromedp.SendKeys(chromedp.CSS("input[name=to]"), "13/03/2026"),
		chromedp.Submit(chromedp.CSS("input[name=to]")),
		chromedp.WaitReady(chromedp.CSS(`option[value=custom][selected]`)))
	if got := c.text("#period-label"); got != "02/03/2026–13/03/2026" {
		t.Errorf("custom label %q", got)
	}
	c.both("d03-dashboard-custom")
	c.step("english", chromedp.Navigate(c.url+"/dashboard?lang=en&period=year&year=2026"), chromedp.WaitVisible(chromedp.CSS("#period-form")))
	c.both("d04-dashboard-year-en")
	t.Logf("screenshots in %s", c.shots.dir)
}
