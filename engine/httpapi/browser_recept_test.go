package httpapi

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserReception drives the reception in headless Chromium: a bad
// phone is refused beside its field with what was typed kept, nothing is
// stored, and the corrected reception prints form 01 with the register's
// book and line; the register lists it. Each page is shot at desktop
// (1280 px) and phone (390 px) width into $MOTCUA_SCREENSHOTS.
func TestBrowserReception(t *testing.T) {
	b := setup(t)
	if err := b.auth.SetPassword(context.Background(), receiver, testPassword); err != nil {
		t.Fatal(err)
	}
	c := startChrome(t, b, 3*time.Minute)
	ctx, url, shots, step := c.ctx, c.url, c.shots, c.step
	text := c.text
	value := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("value of %s: %v", sel, err)
		}
		return s
	}
	both := c.both

	step("sign in",
		chromedp.WaitVisible(chromedp.CSS("#person")),
		chromedp.SendKeys(chromedp.CSS("#person"), receiver),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)),
	)
	step("reception with a bad phone",
		chromedp.Navigate(url+"/receive"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Đặng Thị Bình"),
		chromedp.SendKeys(chromedp.CSS("#id_no"), "001190000123"),
		chromedp.SendKeys(chromedp.CSS("#phone"), "abc"),
		chromedp.SendKeys(chromedp.CSS("#documents"), "Tờ khai đăng ký khai sinh\nGiấy chứng sinh (bản chính)"),
		chromedp.SendKeys(chromedp.CSS("#sets"), "1"),
		chromedp.Submit(chromedp.CSS("#name")),
		chromedp.WaitVisible(chromedp.CSS("#phone-error")),
	)
	if e := text("#phone-error"); !strings.Contains(e, "số điện thoại") {
		t.Errorf("message beside the phone: %q", e)
	}
	if v := value("#phone"); v != "abc" {
		t.Errorf("the phone as typed is not kept: %q", v)
	}
	if v := value("#name"); v != "Đặng Thị Bình" {
		t.Errorf("the name as typed is not kept: %q", v)
	}
	if list, _ := b.store.List(context.Background(), struct2query()); len(list) != 0 {
		t.Fatalf("%d dossiers stored by a refused reception", len(list))
	}
	both("recept-01-reception-error")

	step("corrected phone",
		chromedp.SetValue(chromedp.CSS("#phone"), "0912 345 678"),
		chromedp.Submit(chromedp.CSS("#name")),
		chromedp.WaitVisible(chromedp.CSS("#receipt-book")),
	)
	if book, line := text("#receipt-book"), text("#receipt-line"); book != "XA01/2026" || line != "1" {
		t.Errorf("form 01 prints book %q line %q, want XA01/2026 and 1", book, line)
	}
	both("recept-02-form01")

	step("register", chromedp.Navigate(url+"/register"), chromedp.WaitVisible(chromedp.CSS("#register-table")))
	if row := text("#register-table tbody tr"); !strings.Contains(row, "Đặng Thị Bình") || !strings.HasPrefix(row, "1") {
		t.Errorf("register's first line: %q", row)
	}
	both("recept-03-register")

	// In English, the same refusal speaks English beside the field.
	step("English reception with a bad e-mail",
		chromedp.Navigate(url+"/receive?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Dang Thi Binh"),
		chromedp.SendKeys(chromedp.CSS("#email"), "khong-phai-email"),
		chromedp.Submit(chromedp.CSS("#name")),
		chromedp.WaitVisible(chromedp.CSS("#email-error")),
	)
	if e := text("#email-error"); !strings.Contains(e, "e-mail address") {
		t.Errorf("English message beside the e-mail: %q", e)
	}
	shots.shot(ctx, "recept-04-reception-error-en-1280")
	step("English register", chromedp.Navigate(url+"/register?lang=en"), chromedp.WaitVisible(chromedp.CSS("#register-table")))
	shots.shot(ctx, "recept-05-register-en-1280")
}
