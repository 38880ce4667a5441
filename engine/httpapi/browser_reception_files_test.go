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

// TestBrowserReceptionFiles is issue 10's "Done when" walk in headless
// Chromium: the desk receives a birth registration with two scanned PDFs
// at reception; the acting unit opens one; the leader's signing step,
// which finishes the dossier, is refused without the result PDF (the
// refusal in words on the page) and finishes once the result PDF is
// uploaded. Shots at 1280 and 390 px into $MOTCUA_SCREENSHOTS.
func TestBrowserReceptionFiles(t *testing.T) {
	// The leader's signature is the last step here: it issues the result
	// and ends the dossier approved, so the result gate stands on it.
	proc := contentsProcedure(t)
	for i := range proc.Actions {
		if proc.Actions[i].ID == "ky" {
			proc.Actions[i].To = "da_tra"
		}
	}
	if err := proc.Index(); err != nil {
		t.Fatal(err)
	}
	b := setup(t, setupOpts{procs: []*engine.Procedure{proc}})
	for _, p := range []string{receiver, officer, chairman} {
		if err := b.auth.SetPassword(context.Background(), p, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	scans := []string{filepath.Join(dir, "to-khai.pdf"), filepath.Join(dir, "giay-chung-sinh.pdf")}
	result := filepath.Join(dir, "giay-khai-sinh.pdf")
	for i, p := range append(append([]string{}, scans...), result) {
		if err := os.WriteFile(p, enginetest.FileBytes(30000+i, byte(i+1)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c := startChrome(t, b, 3*time.Minute)
	ctx, url, step, text, both := c.ctx, c.url, c.step, c.text, c.both
	signIn := func(person string) {
		step("sign in as "+person,
			chromedp.Navigate(url+"/signin"),
			chromedp.WaitVisible(chromedp.CSS("#person")),
			chromedp.SendKeys(chromedp.CSS("#person"), person),
			chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
			chromedp.Submit(chromedp.CSS("#password")),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)))
	}
	signOut := func() {
		step("sign out", chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)), chromedp.WaitVisible(chromedp.CSS("#person")))
	}

	signIn(receiver)
	step("the desk chooses the birth registration",
		chromedp.Navigate(url+"/receive"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SetValue(chromedp.CSS("#procedure"), contentsCode))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("procedure").dispatchEvent(new Event("change"))`)); err != nil {
		t.Fatal(err)
	}
	step("fills in the form, ticks the components and chooses their scans",
		chromedp.WaitVisible(chromedp.CSS(`#checklist-TEST\.KS`)),
		chromedp.SendKeys(chromedp.CSS("#name"), "Lê Văn Khai Sinh"),
		chromedp.SendKeys(chromedp.CSS("#id_no"), "001090000077"),
		chromedp.Click(chromedp.CSS(`input[name="got|TEST.KS|to-khai"]`)),
		chromedp.Click(chromedp.CSS(`input[name="got|TEST.KS|giay-chung-sinh"]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name="file|TEST.KS|to-khai"]`), scans[:1]),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name="file|TEST.KS|giay-chung-sinh"]`), scans[1:]))
	both("rf01-reception-with-scans")
	step("receives", chromedp.Submit(chromedp.CSS("#name")), chromedp.WaitVisible(chromedp.CSS("#receipt-code")))
	code := text("#receipt-code")
	d, err := b.eng.Get(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Files) != 2 || d.Files[0].Component != "to-khai" || d.Files[0].Name != "to-khai.pdf" ||
		d.Files[1].Component != "giay-chung-sinh" || d.Files[1].ContentType != engine.TypePDF {
		t.Fatalf("files received with the dossier: %+v", d.Files)
	}
	both("rf02-receipt")
	step("the dossier lists its scans",
		chromedp.Navigate(url+"/dossiers/"+code),
		chromedp.WaitVisible(chromedp.CSS(`li[data-file="`+code+`-F2"]`)))
	both("rf03-desk-dossier-with-scans")
	step("the desk transfers it", chromedp.Click(chromedp.CSS(`button[data-action="chuyen"]`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	signOut()

	signIn(officer)
	step("the acting unit opens the dossier",
		chromedp.Navigate(url+"/dossiers/"+code),
		chromedp.WaitVisible(chromedp.CSS(`a[data-download="`+code+`-F1"]`)))
	opened, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`fetch(document.querySelector('a[data-download="`+code+`-F1"]').href).then(async r => r.status + '|' + (await r.arrayBuffer()).byteLength)`,
		chromedp.EvalAwaitPromise))
	if err != nil || opened != "200|30000" {
		t.Fatalf("the officer opens the scan: %q (%v)", opened, err)
	}
	if d, _ = b.eng.Get(context.Background(), code); d.History[len(d.History)-1].Action != engine.ActionDownloadFile {
		t.Fatalf("the download is not recorded: %+v", d.History[len(d.History)-1])
	}
	both("rf04-officer-opened-scan")
	step("the officer submits for signature", chromedp.Click(chromedp.CSS(`button[data-action="trinh"]`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	signOut()

	signIn(chairman)
	step("the leader signs without the result PDF",
		chromedp.Navigate(url+"/dossiers/"+code),
		chromedp.WaitVisible(chromedp.CSS(`button[data-action="ky"]`)),
		chromedp.Click(chromedp.CSS(`button[data-action="ky"]`)),
		chromedp.WaitVisible(chromedp.CSS("p.error")))
	if e := text("p.error"); !strings.Contains(e, "Cần đính kèm tệp kết quả (Giấy khai sinh)") {
		t.Errorf("the refusal on the page: %q", e)
	}
	if d, _ = b.eng.Get(context.Background(), code); d.IsFinished() {
		t.Fatalf("finished without the result: %s", d.State)
	}
	both("rf05-leader-refused-without-result")
	step("the leader uploads the result PDF",
		chromedp.Navigate(url+"/dossiers/"+code),
		chromedp.WaitVisible(chromedp.CSS(`form.upload-form`)),
		chromedp.SetValue(chromedp.CSS("#file-target"), targetResult),
		chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{result}),
		chromedp.Click(chromedp.CSS(`button[data-upload="files"]`)),
		chromedp.WaitVisible(chromedp.CSS(`li[data-file="`+code+`-F3"]`)))
	step("and signs",
		chromedp.Click(chromedp.CSS(`button[data-action="ky"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`button[data-action="ky"]`)))
	if d, _ = b.eng.Get(context.Background(), code); d.State != "da_tra" || len(d.Files) != 3 || !d.Files[2].Result {
		t.Fatalf("after signing with the result: state %s, files %+v", d.State, d.Files)
	}
	both("rf06-leader-finished-with-result")
}
