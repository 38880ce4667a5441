package httpapi

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/engine"
)

// TestBrowserSearch drives the inbox's search and filters in headless
// Chromium as the desk: the menu fits one line at 1280 px; "binh" typed
// without diacritics finds "Trần Thị Bình"; the overdue filter keeps the
// overdue dossiers only; each page shot at 1280 and 390 px into
// $MOTCUA_SCREENSHOTS.
func TestBrowserSearch(t *testing.T) {
	b := setup(t)
	if err := b.auth.SetPassword(context.Background(), receiver, testPassword); err != nil {
		t.Fatal(err)
	}
	binh := b.receiveApplicant("Trần Thị Bình", "0912345678", engine.ChannelCounter)
	dang := b.receiveApplicant("Đặng Văn Cường", "0987654321", engine.ChannelOnline)
	b.clock.Advance(40 * 24 * time.Hour) // both are overdue now
	late := b.receiveApplicant("Lê Văn Muộn", "0911111111", engine.ChannelPost)

	c := startChrome(t, b, 5*time.Minute)
	ctx, url, step := c.ctx, c.url, c.step
	rows := func() []string {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('tr[data-code]')].map(r => r.dataset.code)`))
		if err != nil {
			t.Fatalf("rows: %v", err)
		}
		slices.Sort(got)
		return got
	}
	step("sign in as the desk",
		chromedp.Navigate(url+"/signin"),
		chromedp.WaitVisible(chromedp.CSS("#person")),
		chromedp.SendKeys(chromedp.CSS("#person"), receiver),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("p.legend")))
	if got := rows(); len(got) != 3 {
		t.Fatalf("the desk's inbox: %v, want the three dossiers", got)
	}

	// The desk's menu, the language and the person in one line: every
	// link of the header at the same height.
	lines, err := chromedp.Run(ctx, chromedp.Evaluate[int](`new Set([...document.querySelectorAll('header.top .brand, header.top nav a, header.top .who > *')]
		.map(e => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2))).size`))
	if err != nil {
		t.Fatal(err)
	}
	if lines != 1 {
		t.Errorf("the desk's header takes %d lines at 1280 px, want 1", lines)
	}
	c.both("s01-desk-inbox")

	step("search binh",
		chromedp.SendKeys(chromedp.CSS(`form.filters input[name="q"]`), "binh"),
		chromedp.Submit(chromedp.CSS(`form.filters input[name="q"]`)),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-code="`+binh.Code+`"]`)))
	if got := rows(); !slices.Equal(got, []string{binh.Code}) {
		t.Errorf("binh finds %v, want only Trần Thị Bình's %s", got, binh.Code)
	}
	c.both("s02-desk-search-binh")

	step("filter by overdue",
		chromedp.Navigate(url+"/inbox"),
		chromedp.WaitVisible(chromedp.CSS(`form.filters input[name="overdue"]`)),
		chromedp.Click(chromedp.CSS(`form.filters input[name="overdue"]`)),
		chromedp.Submit(chromedp.CSS(`form.filters input[name="q"]`)),
		// The filtered page: only it offers to clear the filters.
		chromedp.WaitVisible(chromedp.CSS(`form.filters a[href="/inbox"]`)))
	want := []string{binh.Code, dang.Code}
	slices.Sort(want)
	if got := rows(); !slices.Equal(got, want) {
		t.Errorf("overdue keeps %v, want %v (not %s, received today)", got, want, late.Code)
	}
	c.both("s03-desk-overdue")

	step("the list by reception day, typed dd/mm/yyyy",
		chromedp.Navigate(url+"/dossiers"),
		chromedp.WaitVisible(chromedp.CSS(`form.filters input[name="received_from"]`)),
		chromedp.SendKeys(chromedp.CSS(`form.filters input[name="received_from"]`), late.ReceivedAt.In(b.eng.Calendar.Location()).Format("02/01/2006")),
		chromedp.Submit(chromedp.CSS(`form.filters input[name="q"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.filters a[href="/dossiers"]`)))
	if got := rows(); !slices.Equal(got, []string{late.Code}) {
		t.Errorf("received from %s: %v, want %s", late.ReceivedAt, got, late.Code)
	}
	c.both("s04-list-received-day")
}
