package httpapi

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserTokens walks the account's API tokens page as an officer
// would (issue 15 item 1): mint a token with the current password, see it
// once and listed with its expiry, revoke it; at desktop and phone width.
func TestBrowserTokens(t *testing.T) {
	b := setup(t, setupOpts{})
	if err := b.auth.SetPassword(context.Background(), receiver, testPassword); err != nil {
		t.Fatal(err)
	}
	c := startChrome(t, b, 2*time.Minute)
	ctx, url, shots, step := c.ctx, c.url, c.shots, c.step
	text := c.text
	step("sign in",
		chromedp.WaitVisible(chromedp.CSS("#person")),
		chromedp.SendKeys(chromedp.CSS("#person"), receiver),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("p.legend")),
	)
	step("open the tokens page", chromedp.Navigate(url+"/account/tokens"), chromedp.WaitVisible(chromedp.CSS("#token-form")))
	shots.shot(ctx, "tokens-01-empty")
	step("mint with the wrong password",
		chromedp.SendKeys(chromedp.CSS("#token-name"), "Máy quét một cửa"),
		chromedp.SendKeys(chromedp.CSS("#token-current"), "sai-mat-khau"),
		chromedp.Submit(chromedp.CSS("#token-current")),
		chromedp.WaitVisible(chromedp.CSS("#token-form")),
	)
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#minted-token").length`)); n != 0 {
		t.Error("rule: a token is minted only with the current password")
	}
	shots.shot(ctx, "tokens-02-wrong-password")
	step("mint",
		chromedp.Navigate(url+"/account/tokens"),
		chromedp.WaitVisible(chromedp.CSS("#token-form")),
		chromedp.SendKeys(chromedp.CSS("#token-name"), "Máy quét một cửa"),
		chromedp.SendKeys(chromedp.CSS("#token-days"), "30"),
		chromedp.SendKeys(chromedp.CSS("#token-current"), testPassword),
		chromedp.Submit(chromedp.CSS("#token-current")),
		chromedp.WaitVisible(chromedp.CSS("#minted-token")),
	)
	if tok := text("#minted-token"); tok == "" {
		t.Error("rule: the new token is shown once, right after minting")
	}
	if row := text("#tokens tbody"); !strings.Contains(row, "Máy quét một cửa") {
		t.Errorf("rule: the minted token is listed by its name; the table says %q", row)
	}
	shots.shot(ctx, "tokens-03-minted")
	rows := func() int {
		n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#tokens tbody tr").length`))
		return n
	}
	minted := rows()
	// A reload, as a person would press F5: the mint answered with a
	// redirect, so this shows the list again and mints nothing.
	step("phone width, reloaded", chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#tokens")))
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#minted-token").length`)); n != 0 || rows() != minted {
		t.Errorf("rule: a reload after minting neither shows the token again nor mints another (%d shown, %d rows, had %d)", n, rows(), minted)
	}
	shots.shot(ctx, "tokens-04-phone")
	before := rows()
	step("revoke the minted token", chromedp.EmulateViewport(1280, 900),
		chromedp.Click(chromedp.CSS(`#tokens tbody tr:last-child form button`)),
	)
	// The form is on the page before the click too: wait for what only
	// the page the revocation redirects to shows, its notice (the layout's
	// flash; the minted token's own notice is gone since the reload).
	step("the revocation's page", chromedp.WaitVisible(chromedp.CSS(`main p.flash[role="status"], p.flash[role="status"]`)))
	if after := rows(); after != before-1 {
		t.Errorf("rule: a revoked token leaves the list; %d rows before, %d after", before, after)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#tokens") !== null && document.querySelector("#tokens").innerText.includes("Máy quét một cửa")`)); n {
		t.Error("rule: the revoked token is no longer listed")
	}
	shots.shot(ctx, "tokens-05-revoked")
	t.Logf("screenshots in %s", shots.dir)
}
