package httpapi

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chrome is one headless Chromium session on a test server: what every
// browser walk starts with, written once. The page is /signin at start,
// 1280×900; screenshots go to $MOTCUA_SCREENSHOTS (or a temporary folder).
type chrome struct {
	t     *testing.T
	ctx   context.Context
	url   string
	shots shooter
}

// startChrome starts Chromium for b's server. limit bounds the whole walk:
// the first action starts the browser and must not carry a timeout of its
// own (it would stop the browser), so a watchdog ends the session instead.
func startChrome(t *testing.T, b *bundle, limit time.Duration) *chrome {
	t.Helper()
	exe := chromium(t)
	dir := os.Getenv("MOTCUA_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true))
	ctx, cancel := chromedp.NewContext(allocCtx)
	watchdog := time.AfterFunc(limit, cancel)
	t.Cleanup(func() { watchdog.Stop(); cancel(); cancelAlloc() })
	c := &chrome{t: t, ctx: ctx, url: b.ts.URL, shots: shooter{t: t, dir: dir}}
	if err := chromedp.Do(ctx, chromedp.Navigate(c.url+"/signin")); err != nil {
		t.Fatalf("start Chromium %s: %v", exe, err)
	}
	return c
}

// step runs actions, at most 30 seconds, and fails the test with name.
func (c *chrome) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	sctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		c.t.Fatalf("%s: %v", name, err)
	}
}

// text returns the trimmed text of the element sel.
func (c *chrome) text(sel string) string {
	c.t.Helper()
	sctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		c.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// both shoots the page as it is at desktop width and at phone width
// (name-1280, name-390), and leaves it at desktop width.
func (c *chrome) both(name string) {
	c.t.Helper()
	c.shots.shot(c.ctx, name+"-1280")
	c.step("phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	c.shots.shot(c.ctx, name+"-390")
	c.step("desktop width", chromedp.EmulateViewport(1280, 900))
}
