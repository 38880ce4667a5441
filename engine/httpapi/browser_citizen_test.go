package httpapi

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestBrowserCitizen walks the applicant's pages in Chromium: the lookup
// of a paused dossier says what is missing; a complaint's lookup is not
// found by its code alone and asks the second factor; at phone width the
// applicant rates a returned dossier through its link; form 01 carries
// the QR codes, and so does the result slip the desk prints from a
// returned dossier's page. Each page is shot at 1280 and 390 px into
// $MOTCUA_SCREENSHOTS.
func TestBrowserCitizen(t *testing.T) {
	b := citizenSetup(t)
	app := engine.Applicant{Name: "Nguyễn Bí Mật", IDNo: "001090004321", Phone: "0912 345 678"}
	paused := b.receiveWith(enginetest.SampleCode, app)
	b.act(paused.Code, "chuyen", enginetest.Receiver, map[string]string{"note": "đủ"})
	b.act(paused.Code, "yeu_cau_bo_sung", enginetest.Officer, map[string]string{"reason": "Thiếu bản sao Giấy chứng nhận kết hôn của cha mẹ"})
	kn := b.receiveWith("KN.01", app)
	returned := b.receive("Người Đã Nhận", "chuyen", "trinh", "ky", "tra")
	handed := b.receive("Trần Thị Nhận Kết Quả", "chuyen", "trinh", "ky", "tra")
	if err := b.auth.SetPassword(context.Background(), receiver, testPassword); err != nil {
		t.Fatal(err)
	}
	c := startChrome(t, b, 3*time.Minute)
	step, both := c.step, c.both
	// text reads an element of a page just loaded; a read that races the
	// document being replaced (a node id gone) is read again.
	text := func(sel string) string {
		t.Helper()
		var s string
		var err error
		for attempt := 0; attempt < 3; attempt++ {
			if s, err = chromedp.Run(c.ctx, chromedp.Text(chromedp.CSS(sel))); err == nil {
				return strings.TrimSpace(s)
			}
		}
		t.Fatalf("text of %s: %v", sel, err)
		return ""
	}

	step("look up the paused dossier",
		chromedp.Navigate(c.url+"/lookup"),
		chromedp.WaitVisible(chromedp.CSS("#code")),
		chromedp.SendKeys(chromedp.CSS("#code"), paused.Code),
		chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("#lookup-missing")),
	)
	if got := text("#lookup-missing"); got != "Thiếu bản sao Giấy chứng nhận kết hôn của cha mẹ" {
		t.Errorf("what is missing: %q", got)
	}
	if got := text("#lookup-collect"); got != "Bộ phận Một cửa" {
		t.Errorf("where to collect: %q", got)
	}
	if got := text("#lookup-result"); strings.Contains(got, "Bí Mật") || strings.Contains(got, "0912") {
		t.Errorf("the lookup shows personal data: %q", got)
	}
	both("citizen-01-lookup-paused")

	step("look up the complaint by its code alone",
		chromedp.Navigate(c.url+"/lookup"),
		chromedp.WaitVisible(chromedp.CSS("#code")),
		chromedp.SendKeys(chromedp.CSS("#code"), kn.Code),
		chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("#lookup-not-found")),
	)
	if got := text("#lookup-not-found"); !strings.Contains(got, "4 số cuối") {
		t.Errorf("the answer does not ask the second factor: %q", got)
	}
	both("citizen-02-petition-asks-factor")
	step("give the second factor",
		chromedp.SendKeys(chromedp.CSS("#factor"), "5678"),
		chromedp.Submit(chromedp.CSS("#factor")),
		chromedp.WaitVisible(chromedp.CSS("#lookup-result")),
	)
	if got := text("#lookup-state"); got != "Tiếp nhận đơn" {
		t.Errorf("the complaint's state: %q", got)
	}
	both("citizen-03-petition-found")

	link := c.url + "/r/" + returned.Code + "/" + engine.RatingToken(testRatingKey, returned.Code)
	step("open the rating link on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS("#rate-form")),
	)
	c.shots.shot(c.ctx, "citizen-04-rate-form-390")
	var clicks []chromedp.Action[chromedp.Void]
	for i, cr := range engine.RatingCriteria {
		score := []string{"3", "3", "2", "3"}[i%4]
		clicks = append(clicks, chromedp.Click(chromedp.CSS(`input[name="score_`+cr.ID+`"][value="`+score+`"]`)))
	}
	clicks = append(clicks, chromedp.SendKeys(chromedp.CSS("#comment"), "Cán bộ hướng dẫn tận tình."))
	step("score every criterion", clicks...)
	c.shots.shot(c.ctx, "citizen-05-rate-filled-390")
	step("send the rating",
		chromedp.Submit(chromedp.CSS("#comment")),
		chromedp.WaitVisible(chromedp.CSS("#rate-thanks")),
	)
	c.shots.shot(c.ctx, "citizen-06-rate-thanks-390")
	got, err := b.store.Get(context.Background(), returned.Code)
	if err != nil || got.Rating == nil || got.Rating.Scores["thai_do"] != 2 || got.Rating.Comment != "Cán bộ hướng dẫn tận tình." {
		t.Fatalf("stored rating %+v %v", got.Rating, err)
	}
	step("the link again", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#rate-done")))
	step("desktop width", chromedp.EmulateViewport(1280, 900))
	c.shots.shot(c.ctx, "citizen-07-rate-done-1280")

	step("sign in",
		chromedp.Navigate(c.url+"/signin"),
		chromedp.WaitVisible(chromedp.CSS("#person")),
		chromedp.SendKeys(chromedp.CSS("#person"), receiver),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)),
		chromedp.Navigate(c.url+"/dossiers/"+paused.Code+"/receipt"),
		chromedp.WaitVisible(chromedp.CSS("#receipt-qr svg")),
	)
	both("citizen-08-form01-qr")

	step("the desk prints the result slip of a returned dossier",
		chromedp.Navigate(c.url+"/dossiers/"+handed.Code),
		chromedp.WaitVisible(chromedp.CSS(`a[data-doc="/dossiers/`+handed.Code+`/result"]`)),
		chromedp.Click(chromedp.CSS(`a[data-doc="/dossiers/`+handed.Code+`/result"]`)),
		chromedp.WaitVisible(chromedp.CSS("#result-rating-qr svg")),
	)
	if got := text("#result-code"); got != handed.Code {
		t.Errorf("the result slip's code: %q", got)
	}
	both("citizen-09-result-slip")
}
