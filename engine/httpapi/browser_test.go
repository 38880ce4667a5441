package httpapi

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// chromium finds a Chromium binary: $MOTCUA_CHROMIUM, then Debian's
// packages. Without one the browser tests skip, except under CI (CI set),
// where a missing browser is a failure: CI must never pass by skipping.
func chromium(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("MOTCUA_CHROMIUM"), "chromium", "chromium-headless-shell",
		"/usr/lib/chromium/chromium", "/usr/lib/chromium-headless-shell/chromium-headless-shell", "chromium-browser", "google-chrome"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	msg := "no Chromium found (apt-get install -y --no-install-recommends chromium fonts-dejavu-core, or set MOTCUA_CHROMIUM)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg + ": CI requires the browser tests to run")
	}
	t.Skip(msg)
	return ""
}

// shooter saves one screenshot per page into $MOTCUA_SCREENSHOTS (or a
// temporary folder), for people to look at while changing the pages.
type shooter struct {
	t   *testing.T
	dir string
}

func (s shooter) shot(ctx context.Context, name string) {
	s.t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	for attempt := 1; err != nil && attempt < 3; attempt++ {
		// A page caught between a viewport change or a navigation and its
		// next layout has no size yet ("Cannot take screenshot with 0
		// width", seen under load): wait until it has one, then again.
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, _ = chromedp.Run(pctx, chromedp.Poll[bool](`document.documentElement.clientWidth > 0 && document.documentElement.scrollHeight > 0`))
		cancel()
		png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	}
	if err != nil {
		s.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(s.dir, name+".png"), png, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// TestBrowserScenario drives the real pages in headless Chromium: sign in
// at the desk, receive a dossier and print its receipt, act on it from
// the inbox with one click, see it on the office head's dashboard, and
// look it up publicly.
func TestBrowserScenario(t *testing.T) {
	b := setup(t, setupOpts{procs: []*engine.Procedure{apologyProcedure()}})
	// A month of history first (the clock ends at 10:00 on 20 March
	// 2026), so the dashboard has a chart and an overdue list to show.
	seeded := dashboardData(t, b)
	for _, p := range []string{receiver, head, Admin} {
		if err := b.auth.SetPassword(context.Background(), p, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	c := startChrome(t, b, 3*time.Minute)
	ctx, url, shots, step := c.ctx, c.url, c.shots, c.step
	text := c.text
	signIn := func(person string) {
		step("sign in as "+person,
			chromedp.Navigate(url+"/signin"),
			chromedp.WaitVisible(chromedp.CSS("#person")),
			chromedp.SendKeys(chromedp.CSS("#person"), person),
			chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
			chromedp.Submit(chromedp.CSS("#password")),
			// The legend exists only on the inbox, so this cannot match
			// the sign-in page still on screen.
			chromedp.WaitVisible(chromedp.CSS("p.legend")),
		)
		if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/inbox") {
			t.Fatalf("after signing in as %s: at %s", person, loc)
		}
	}
	signOut := func() {
		step("sign out", chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)), chromedp.WaitVisible(chromedp.CSS("#person")))
	}

	shots.shot(ctx, "01-signin")
	signIn(receiver)

	// Receive at the desk: the receipt shows the new code and appointment.
	step("receive form",
		chromedp.Navigate(url+"/receive"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Nguyễn Thị Trình Duyệt"),
		chromedp.SendKeys(chromedp.CSS("#phone"), "0912345678"),
		chromedp.SendKeys(chromedp.CSS("#documents"), "Tờ khai đăng ký khai sinh\nGiấy chứng sinh (bản chính)"),
		chromedp.SendKeys(chromedp.CSS("#sets"), "01"),
		chromedp.SendKeys(chromedp.CSS("#note"), "Đủ giấy tờ"),
	)
	shots.shot(ctx, "02-receive")
	step("submit reception", chromedp.Submit(chromedp.CSS("#name")), chromedp.WaitVisible(chromedp.CSS("#receipt-code")))
	code := text("#receipt-code")
	if !strings.HasPrefix(code, enginetest.DeskCode+"-") {
		t.Fatalf("receipt code %q", code)
	}
	if appt := text("#receipt-appointment"); !strings.Contains(appt, "/2026") {
		t.Errorf("receipt appointment %q", appt)
	}
	if docs := text("#receipt-documents"); !strings.Contains(docs, "Giấy chứng sinh") {
		t.Errorf("receipt documents %q", docs)
	}
	shots.shot(ctx, "03-receipt")
	step("receipt in English", chromedp.Navigate(url+"/dossiers/"+code+"/receipt?lang=en"), chromedp.WaitVisible(chromedp.CSS("#form01")))
	shots.shot(ctx, "03b-receipt-en")
	step("back to Vietnamese", chromedp.Navigate(url+"/inbox?lang=vi"), chromedp.WaitVisible(chromedp.CSS("p.legend")))

	// Changing one's password from the header link: a mismatch is
	// refused with its message, then the change goes through.
	step("change-password page",
		chromedp.Click(chromedp.CSS(`a[href="/account/password"]`)),
		chromedp.WaitVisible(chromedp.CSS("#password-form")),
		chromedp.SendKeys(chromedp.CSS("#current"), testPassword),
		chromedp.SendKeys(chromedp.CSS("#new-password"), "mật khẩu mới 2026"),
		chromedp.SendKeys(chromedp.CSS("#again"), "mật khẩu mới 2027"),
		chromedp.Submit(chromedp.CSS("#again")),
		chromedp.WaitVisible(chromedp.CSS("p.error")),
	)
	if e := text("p.error"); !strings.Contains(e, "không khớp") {
		t.Errorf("password mismatch message %q", e)
	}
	shots.shot(ctx, "03c-password-mismatch")
	step("change password",
		chromedp.SendKeys(chromedp.CSS("#current"), testPassword),
		chromedp.SendKeys(chromedp.CSS("#new-password"), "mật khẩu mới 2026"),
		chromedp.SendKeys(chromedp.CSS("#again"), "mật khẩu mới 2026"),
		chromedp.Submit(chromedp.CSS("#again")),
		chromedp.WaitVisible(chromedp.CSS("p.flash")),
	)
	shots.shot(ctx, "03d-password-changed")
	if err := b.auth.SetPassword(context.Background(), receiver, testPassword); err != nil {
		t.Fatal(err)
	}
	signIn(receiver)

	// One click from the inbox hands it to the office.
	step("inbox", chromedp.Navigate(url+"/inbox"), chromedp.WaitVisible(chromedp.CSS(`tr[data-code="`+code+`"]`)))
	shots.shot(ctx, "04-inbox")
	step("one-click transfer",
		chromedp.Click(chromedp.CSS(`tr[data-code="`+code+`"] button[data-action="chuyen"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if got, err := b.store.Get(t.Context(), code); err != nil || got.State != "tham_dinh" || got.History[1].Actor != receiver {
		t.Fatalf("after the one-click transfer: %+v %v", got, err)
	}
	if f := text(".flash"); !strings.Contains(f, code) {
		t.Errorf("flash %q", f)
	}
	step("dossier page", chromedp.Navigate(url+"/dossiers/"+code), chromedp.WaitVisible(chromedp.CSS("table.slip")))
	if rows := text("table.slip tbody"); !strings.Contains(rows, "Chuyển xử lý") {
		t.Errorf("control slip lacks the transfer: %q", rows)
	}
	shots.shot(ctx, "05-dossier")
	// The process control slip, linked from the dossier page.
	// The page links the slip; following the link by address (not a
	// click) makes the next query wait for the new document, not race it.
	step("control slip",
		chromedp.WaitVisible(chromedp.CSS(`a[data-doc="/dossiers/`+code+`/slip"]`)),
		chromedp.Navigate(url+"/dossiers/"+code+"/slip"),
		chromedp.WaitVisible(chromedp.CSS("#slip-table tbody.handover")))
	if rows := text("#slip-table tbody.handover:nth-of-type(2)"); !strings.Contains(rows, "Công chức Tư pháp - Hộ tịch") || !strings.Contains(rows, "Trước hạn") {
		t.Errorf("slip's transfer row %q: want the office as receiver and an early step", rows)
	}
	shots.shot(ctx, "05b-slip")
	signOut()

	// The office head sees it on the dashboard.
	signIn(head)
	step("dashboard", chromedp.Navigate(url+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`tr[data-unit="`+enginetest.UnitOffice+`"]`)))
	// Four open from the seeded month, and the one just transferred.
	if n := text(`tr[data-unit="` + enginetest.UnitOffice + `"] td.open`); n != "5" {
		t.Errorf("dashboard open count for the office = %q, want 5", n)
	}
	step("head's chart and overdue list visible",
		chromedp.WaitVisible(chromedp.CSS("#chart svg")),
		chromedp.WaitVisible(chromedp.CSS(`#overdue-list tr[data-code="`+seeded["od1"]+`"]`)))
	if first := text(`#overdue-list tbody tr:first-child td:nth-child(2)`); first != seeded["od1"] {
		t.Errorf("head's overdue list starts with %q, want the longest overdue %s", first, seeded["od1"])
	}
	shots.shot(ctx, "06-dashboard")
	step("dossier as head", chromedp.Navigate(url+"/dossiers/"+code), chromedp.WaitVisible(chromedp.CSS(`button[data-action="trinh"]`)))
	shots.shot(ctx, "07-dossier-head")
	step("procedure", chromedp.Navigate(url+"/procedures/"+enginetest.SampleCode), chromedp.WaitVisible(chromedp.CSS("svg.diagram")))
	shots.shot(ctx, "08-procedure")
	signOut()

	// The admin reads every unit: the chart's lines and the whole list.
	signIn(Admin)
	step("admin dashboard", chromedp.Navigate(url+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS("#chart svg path")),
		chromedp.WaitVisible(chromedp.CSS(`#overdue-list tr[data-code="`+seeded["od3"]+`"]`)))
	// An SVG <title> is not rendered, so innerText is empty: read its
	// textContent, what a screen reader announces.
	if title, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("#chart svg > title"))); err != nil || !strings.HasPrefix(title, "Tỷ lệ giải quyết hồ sơ đúng hạn") {
		t.Errorf("chart title %q (%v)", title, err)
	}
	if rate := text("#on-time-rate"); rate != "66,7%" {
		t.Errorf("admin's on-time rate %q, want 66,7%%", rate)
	}
	shots.shot(ctx, "06b-dashboard-admin")
	signOut()

	// Anyone can look it up, without signing in.
	step("public lookup",
		chromedp.Navigate(url+"/lookup"),
		chromedp.WaitVisible(chromedp.CSS("#code")),
		chromedp.SendKeys(chromedp.CSS("#code"), strings.ToLower(code)),
		chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("#lookup-result")),
	)
	if st := text("#lookup-state"); st != "Thẩm định" {
		t.Errorf("lookup state %q, want Thẩm định", st)
	}
	if page := text("main"); strings.Contains(page, "Trình Duyệt") || strings.Contains(page, "0912345678") {
		t.Error("public lookup shows the applicant's data")
	}
	shots.shot(ctx, "09-lookup")
	step("english", chromedp.Navigate(url+"/lookup?lang=en&code="+code), chromedp.WaitVisible(chromedp.CSS("#lookup-result")))
	if st := text("#lookup-state"); st != "Appraisal" {
		t.Errorf("English lookup state %q, want Appraisal", st)
	}

	// Forms 02–04, for dossiers the engine took through each event after
	// the month above (the clock moves on, so this comes last).
	supplement := b.dossierAt(enginetest.SampleCode, "Phan Văn Bổ Sung", "2026-03-23 08:30",
		docStep{at: "2026-03-23 09:00", action: "chuyen", actor: enginetest.Receiver, inputs: map[string]string{"note": "Hồ sơ đủ thành phần"}},
		docStep{at: "2026-03-24 10:15", action: "yeu_cau_bo_sung", actor: enginetest.Officer,
			inputs: map[string]string{"reason": "Thiếu bản sao Giấy chứng sinh có chứng thực\nTờ khai chưa có chữ ký của người đi đăng ký"}},
	)
	refused := b.dossierAt(enginetest.SampleCode, "Đỗ Thị Từ Chối", "2026-03-23 08:40",
		docStep{at: "2026-03-23 09:10", action: "chuyen", actor: enginetest.Receiver},
		docStep{at: "2026-03-25 14:00", action: "tu_choi", actor: enginetest.Officer, inputs: map[string]string{"reason": "Giấy tờ tuỳ thân đã hết hạn sử dụng"}},
	)
	late := b.dossierAt(apologyCode, "Vũ Văn Hẹn Lại", "2026-03-23 08:50",
		docStep{at: "2026-03-23 09:20", action: "chuyen", actor: enginetest.Receiver},
		docStep{at: "2026-03-26 16:00", action: "xin_loi", actor: enginetest.Officer,
			inputs: map[string]string{"reason": "Cần xác minh thông tin tại nơi cư trú của người yêu cầu", "due_at": "2026-04-02T16:00:00+07:00"}},
	)
	signIn(Admin)
	for _, f := range []struct{ name, path, sel string }{
		{"10-form02", "/dossiers/" + supplement.Code + "/supplement-request?lang=vi", "#form02"},
		{"11-form03", "/dossiers/" + refused.Code + "/refusal?lang=vi", "#form03"},
		{"12-form04", "/dossiers/" + late.Code + "/apology?lang=vi", "#form04"},
		{"13-slip-open", "/dossiers/" + late.Code + "/slip", "#slip-table"},
		{"14-form04-en", "/dossiers/" + late.Code + "/apology?lang=en", "#form04"},
	} {
		step(f.name, chromedp.Navigate(url+f.path), chromedp.WaitVisible(chromedp.CSS(f.sel)))
		shots.shot(ctx, f.name)
	}
	t.Logf("screenshots in %s", shots.dir)
}
