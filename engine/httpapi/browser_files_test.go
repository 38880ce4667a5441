package httpapi

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestBrowserFiles drives the files panel in headless Chromium: the desk
// uploads two scanned PDFs of one component in one go; the dossier moves
// to the office, whose officer opens one from the page (the download is
// recorded in the control slip) and then submits the dossier from the
// same page, which the download did not make stale. Shots at 1280 and
// 390 px into $MOTCUA_SCREENSHOTS.
func TestBrowserFiles(t *testing.T) {
	b := setup(t)
	for _, p := range []string{receiver, officer} {
		if err := b.auth.SetPassword(context.Background(), p, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	d := b.receive("Nguyễn Văn Khai Sinh")
	dir := t.TempDir()
	scans := []string{filepath.Join(dir, "to-khai-trang-1.pdf"), filepath.Join(dir, "to-khai-trang-2.pdf")}
	for i, p := range scans {
		if err := os.WriteFile(p, enginetest.FileBytes(40000+i, byte(i)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c := startChrome(t, b, 3*time.Minute)
	ctx, url, step, both := c.ctx, c.url, c.step, c.both
	signIn := func(person string) {
		step("sign in as "+person,
			chromedp.Navigate(url+"/signin"),
			chromedp.WaitVisible(chromedp.CSS("#person")),
			chromedp.SendKeys(chromedp.CSS("#person"), person),
			chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
			chromedp.Submit(chromedp.CSS("#password")),
			chromedp.WaitVisible(chromedp.CSS("p.legend")),
		)
	}

	signIn(receiver)
	step("the desk opens the dossier",
		chromedp.Navigate(url+"/dossiers/"+d.Code),
		chromedp.WaitVisible(chromedp.CSS(`form.upload-form`)))
	both("f01-desk-dossier-before")
	step("the desk uploads two PDFs of the form",
		chromedp.SendKeys(chromedp.CSS("#file-target"), "to-khai"),
		chromedp.SetUploadFiles(chromedp.CSS("#file-input"), scans),
		chromedp.Click(chromedp.CSS(`button[data-upload="files"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		chromedp.WaitVisible(chromedp.CSS(`li[data-file="`+d.Code+`-F2"]`)))
	got, _ := b.eng.Get(context.Background(), d.Code)
	if len(got.Files) != 2 || got.Files[0].Name != "to-khai-trang-1.pdf" && got.Files[1].Name != "to-khai-trang-1.pdf" || got.Files[0].Component != "to-khai" {
		t.Fatalf("stored files after the upload: %+v", got.Files)
	}
	both("f02-desk-two-pdfs")
	step("sign out", chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)), chromedp.WaitVisible(chromedp.CSS("#person")))

	if _, err := b.eng.Act(context.Background(), d.Code, engine.ActInput{Action: "chuyen", Actor: receiver}, 0); err != nil {
		t.Fatal(err)
	}
	signIn(officer)
	step("the officer opens the dossier",
		chromedp.Navigate(url+"/dossiers/"+d.Code),
		chromedp.WaitVisible(chromedp.CSS(`a[data-download="`+d.Code+`-F1"]`)))
	opened, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`fetch(document.querySelector('a[data-download="`+d.Code+`-F1"]').href).then(async r => r.status + '|' + r.headers.get('content-disposition') + '|' + (await r.arrayBuffer()).byteLength)`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("open the scan: %v", err)
	}
	if parts := strings.Split(opened, "|"); len(parts) != 3 || parts[0] != "200" || !strings.HasPrefix(parts[1], "attachment") || parts[2] != "40000" {
		t.Fatalf("the officer's download: %q", opened)
	}
	got, _ = b.eng.Get(context.Background(), d.Code)
	if last := got.History[len(got.History)-1]; last.Action != engine.ActionDownloadFile || last.Actor != officer {
		t.Fatalf("the download is not recorded: %+v", last)
	}
	step("the officer submits from the page opened before the download",
		chromedp.Click(chromedp.CSS(`button[data-action="trinh"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got, _ = b.eng.Get(context.Background(), d.Code); got.State != "phe_duyet" {
		t.Fatalf("after submitting: state %s", got.State)
	}
	step("the slip shows the upload and the download",
		chromedp.Navigate(url+"/dossiers/"+d.Code+"#files"),
		chromedp.WaitVisible(chromedp.CSS(`#files`)))
	if slip := c.text("table.slip"); !strings.Contains(slip, "Tải tệp về") || !strings.Contains(slip, "Đính kèm tệp") {
		t.Errorf("the slip does not show the file rows: %s", slip)
	}
	both("f03-officer-after-opening")
}
