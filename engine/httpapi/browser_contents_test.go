package httpapi

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/engine"
)

// TestBrowserChecklistAndPayment drives the desk in headless Chromium: a
// birth registration with a required component unticked is refused
// beside the checklist (the missing row marked, the form 02 guidance
// linked, nothing stored); ticked, it prints form 01 with the components
// and the fees; the dossier page shows them and records a transfer. Each
// page is shot at 1280 px and 390 px into $MOTCUA_SCREENSHOTS.
func TestBrowserChecklistAndPayment(t *testing.T) {
	b := setup(t, setupOpts{procs: []*engine.Procedure{contentsProcedure(t)}})
	if err := b.auth.SetPassword(context.Background(), receiver, testPassword); err != nil {
		t.Fatal(err)
	}
	c := startChrome(t, b, 3*time.Minute)
	ctx, url, step, text, both := c.ctx, c.url, c.step, c.text, c.both

	step("sign in",
		chromedp.WaitVisible(chromedp.CSS("#person")),
		chromedp.SendKeys(chromedp.CSS("#person"), receiver),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)),
	)
	// receive fills the reception form for a birth registration, ticking
	// the given components, and submits it.
	receive := func(name string, tick ...string) {
		t.Helper()
		step("choose the birth registration",
			chromedp.Navigate(url+"/receive"),
			chromedp.WaitVisible(chromedp.CSS("#name")),
			chromedp.SetValue(chromedp.CSS("#procedure"), contentsCode),
		)
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("procedure").dispatchEvent(new Event("change"))`)); err != nil {
			t.Fatal(err)
		}
		step("its checklist shows", chromedp.WaitVisible(chromedp.CSS(`#checklist-TEST\.KS`)))
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("[data-checklist]")].filter(f => !f.hidden).map(f => f.dataset.checklist)`))
		if err != nil || len(shown) != 1 || shown[0] != contentsCode {
			t.Errorf("checklists shown: %v (%v)", shown, err)
		}
		step("fill in", chromedp.SendKeys(chromedp.CSS("#name"), name),
			chromedp.SendKeys(chromedp.CSS(`input[name="copies|TEST.KS|ban-sao"]`), "2"))
		for _, id := range tick {
			step("tick "+id, chromedp.Click(chromedp.CSS(`input[name="got|TEST.KS|`+id+`"]`)))
		}
		step("submit", chromedp.Submit(chromedp.CSS("#name")))
	}
	receive("Đặng Thị Bình", "to-khai")
	step("refused beside the checklist", chromedp.WaitVisible(chromedp.CSS("#checklist-error")))
	if e := text(`.check-row.missing[data-component="giay-chung-sinh"] .field-error`); !strings.Contains(e, "Giấy chứng sinh") || !strings.Contains(e, "chưa nộp") {
		t.Errorf("beside the missing component: %q", e)
	}
	if list, _ := b.store.List(context.Background(), struct2query()); len(list) != 0 {
		t.Fatalf("%d dossiers stored by a refused reception", len(list))
	}
	both("contents-01-checklist-refused")

	step("the guidance to print",
		chromedp.Navigate(url+"/procedures/TEST.KS/guidance?missing=giay-chung-sinh"),
		chromedp.WaitVisible(chromedp.CSS("#guidance-missing")),
	)
	if g := text("#guidance-missing"); !strings.Contains(g, "Giấy chứng sinh") {
		t.Errorf("guidance lists %q", g)
	}
	both("contents-02-guidance")

	receive("Đặng Thị Bình", "to-khai", "giay-chung-sinh")
	step("form 01", chromedp.WaitVisible(chromedp.CSS("#receipt-fees")))
	if f := text("#receipt-fees"); !strings.Contains(f, "16.000 đ") || !strings.Contains(f, "Miễn") {
		t.Errorf("form 01 fees: %q", f)
	}
	if l := text("#receipt-components"); !strings.Contains(l, "Giấy chứng sinh: 1 bản chính") {
		t.Errorf("form 01 components: %q", l)
	}
	code := text("#receipt-code")
	both("contents-03-form01")

	step("dossier page",
		chromedp.Navigate(url+"/dossiers/"+code),
		chromedp.WaitVisible(chromedp.CSS("#contents")),
	)
	both("contents-04-dossier")
	step("record a transfer",
		chromedp.SetValue(chromedp.CSS("#pay-ban-sao-method"), "transfer"),
		chromedp.SendKeys(chromedp.CSS("#pay-ban-sao-reference"), "FT26061"),
		chromedp.SendKeys(chromedp.CSS("#pay-ban-sao-receipt"), "BL-0001"),
		chromedp.Click(chromedp.CSS(`[data-action="pay-ban-sao"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-paid="ban-sao"]`)),
	)
	if row := text(`tr[data-fee="ban-sao"]`); !strings.Contains(row, "chuyển khoản") || !strings.Contains(row, "FT26061") || !strings.Contains(row, "BL-0001") {
		t.Errorf("paid row: %q", row)
	}
	both("contents-05-paid")
}
