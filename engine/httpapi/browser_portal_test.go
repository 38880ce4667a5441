package httpapi

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserOnlineIntake drives the desk's side of the online intake in
// headless Chromium: two dossiers a portal submitted wait in the desk's
// queue as "Mới đăng ký"; the dossier page shows the sync state and the
// two decisions; one is received (the clock starts: a due date appears),
// the other refused with a reason after the confirmation. Each page is
// shot at 1280 px and 390 px into $MOTCUA_SCREENSHOTS.
func TestBrowserOnlineIntake(t *testing.T) {
	b := setup(t)
	b.eng.PortalSync = true
	if err := b.auth.SetPassword(context.Background(), receiver, testPassword); err != nil {
		t.Fatal(err)
	}
	var first, second portalSubmitResponse
	b.call("POST", "/api/v1/portal/dossiers", PortalAcct, onlineBody("G-1", "Phạm Thị Online")).json(t, &first)
	b.clock.Advance(time.Minute)
	b.call("POST", "/api/v1/portal/dossiers", PortalAcct, onlineBody("G-2", "Vũ Văn Trực")).json(t, &second)
	c := startChrome(t, b, 3*time.Minute)
	url, step, text, both := c.url, c.step, c.text, c.both

	step("sign in",
		chromedp.WaitVisible(chromedp.CSS("#person")),
		chromedp.SendKeys(chromedp.CSS("#person"), receiver),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)),
	)
	step("the desk's queue", chromedp.Navigate(url+"/inbox"), chromedp.WaitVisible(chromedp.CSS(`tr[data-code="`+first.Code+`"]`)))
	for _, code := range []string{first.Code, second.Code} {
		if row := text(`tr[data-code="` + code + `"]`); !strings.Contains(row, "Mới đăng ký") {
			t.Errorf("queue row of %s: %q", code, row)
		}
	}
	both("portal-01-queue")

	step("the online dossier", chromedp.Navigate(url+"/dossiers/"+first.Code), chromedp.WaitVisible(chromedp.CSS(`[data-action="accept_online"]`)))
	if s := text(`[data-sync]`); s != "Chờ đồng bộ" {
		t.Errorf("sync tag %q, want pending", s)
	}
	if s := text(".explain"); !strings.Contains(s, "khi Bộ phận Một cửa tiếp nhận") {
		t.Errorf("the due card does not say when the clock starts: %q", s)
	}
	if s := text(".card dl.kv"); !strings.Contains(s, "Thời điểm nộp trực tuyến") || strings.Contains(s, "Thời điểm tiếp nhận") {
		t.Errorf("an online dossier not yet received shows a reception time: %q", s)
	}
	both("portal-02-waiting")

	step("receive it",
		chromedp.Click(chromedp.CSS(`[data-action="accept_online"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-action="chuyen"]`)),
	)
	if s := text(".state-line .badge"); s != "Tiếp nhận" {
		t.Errorf("state after acceptance %q", s)
	}
	if s := text(".due .big"); !strings.Contains(s, "2026") {
		t.Errorf("no due date after acceptance: %q", s)
	}
	both("portal-03-received")

	step("refuse the other",
		chromedp.Navigate(url+"/dossiers/"+second.Code),
		chromedp.WaitVisible(chromedp.CSS(`[data-action="accept_online"]`)),
		chromedp.Click(chromedp.CSS("details.danger-zone summary")),
		chromedp.SendKeys(chromedp.CSS("#refuse_online-reason"), "Hồ sơ không thuộc thẩm quyền của xã"),
		chromedp.Click(chromedp.CSS(`[data-confirm="refuse_online"]`)),
		chromedp.Click(chromedp.CSS(`button[data-action="refuse_online"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`[data-action="accept_online"]`)),
	)
	if s := text(".state-line .badge"); s != "Không được tiếp nhận" {
		t.Errorf("state after refusal %q", s)
	}
	if s := text(".flash"); !strings.Contains(s, "Không tiếp nhận") {
		t.Errorf("the confirmation names the action: %q", s)
	}
	if s := text(".card dl.kv"); strings.Contains(s, "Thời điểm tiếp nhận") {
		t.Errorf("a dossier never received shows a reception time: %q", s)
	}
	both("portal-04-refused")
}
