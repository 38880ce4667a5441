package httpapi

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserPhoneHeaderAndFilters walks the desk's inbox at phone width
// in headless Chromium: the menu is one row that scrolls sideways (it
// wrapped into three or four lines above every page), the list's filters
// fold behind one button under the search box until it is pressed, and at
// desktop width nothing of that shows. Shots p01–p02 at 390 px.
func TestBrowserPhoneHeaderAndFilters(t *testing.T) {
	b := setup(t)
	if err := b.auth.SetPassword(context.Background(), receiver, testPassword); err != nil {
		t.Fatal(err)
	}
	d := b.receive("Nguyễn Thị Điện Thoại")
	c := startChrome(t, b, 2*time.Minute)
	ctx, url, step := c.ctx, c.url, c.step
	eval := func(js string) bool {
		t.Helper()
		sctx, scancel := context.WithTimeout(ctx, 30*time.Second)
		defer scancel()
		v, err := chromedp.Run(sctx, chromedp.Evaluate[bool](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	visible := func(sel string) string {
		return `(function(){var e=document.querySelector('` + sel + `'); return !!e && e.getClientRects().length > 0;})()`
	}
	step("sign in",
		chromedp.Navigate(url+"/signin"),
		chromedp.WaitVisible(chromedp.CSS("#person")),
		chromedp.SendKeys(chromedp.CSS("#person"), receiver),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`[data-code="`+d.Code+`"]`)))

	// Desktop: every filter shows, and no fold button.
	for _, c := range []struct {
		rule string
		js   string
		want bool
	}{
		{"desktop: the procedure filter shows", visible(`form.filters select[name=procedure]`), true},
		{"desktop: no fold button", visible(`form.filters .more-toggle`), false},
	} {
		if got := eval(c.js); got != c.want {
			t.Errorf("%s: got %v", c.rule, got)
		}
	}

	step("phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(url+"/inbox"), chromedp.WaitVisible(chromedp.CSS(`form.filters .more-toggle`)))
	c.shots.shot(ctx, "p01-phone-inbox-folded-390")
	for _, c := range []struct {
		rule string
		js   string
		want bool
	}{
		{"phone: the menu is one row", `(function(){var n=document.querySelector('.top nav'), a=n.querySelectorAll('a'); return a[0].getBoundingClientRect().top === a[a.length-1].getBoundingClientRect().top;})()`, true},
		{"phone: the menu scrolls sideways instead of wrapping", `(function(){var n=document.querySelector('.top nav'); return n.scrollWidth > n.clientWidth;})()`, true},
		{"phone: the search box shows", visible(`form.filters input[name=q]`), true},
		{"phone: the other filters are folded", visible(`form.filters select[name=procedure]`), false},
		{"phone: the fold button says it is closed", `document.querySelector('form.filters .more-toggle').getAttribute('aria-expanded') === 'false'`, true},
	} {
		if got := eval(c.js); got != c.want {
			t.Errorf("%s: got %v", c.rule, got)
		}
	}
	step("unfold the filters", chromedp.Click(chromedp.CSS(`form.filters .more-toggle`)),
		chromedp.WaitVisible(chromedp.CSS(`form.filters select[name=procedure]`)))
	if !eval(`(function(){var b=document.querySelector('form.filters .more-toggle'); return b.getAttribute('aria-expanded') === 'true' && b.textContent === 'Ẩn bớt điều kiện lọc';})()`) {
		t.Error("phone: after the press the fold button says it is open, and offers to fold them again")
	}
	c.shots.shot(ctx, "p02-phone-inbox-unfolded-390")

	// A filter in use is not hidden behind the fold.
	step("a filter in use", chromedp.Navigate(url+"/inbox?overdue=true"), chromedp.WaitVisible(chromedp.CSS(`form.filters input[name=overdue]`)))
	if eval(visible(`form.filters .more-toggle`)) {
		t.Error("phone: with a filter in use the filters are not folded")
	}
	step("desktop width", chromedp.EmulateViewport(1280, 900))
}
