package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine/enginetest"
)

var keyRE = regexp.MustCompile(`name="key" value="([^"]+)"`)

// receiveOnWeb receives a dossier through the reception form at instant
// at and returns the printed receipt's address.
func receiveOnWeb(t *testing.T, b *bundle, desk *browser, csrf, at string, extra url.Values) string {
	t.Helper()
	b.clock.Set(hanoi(at))
	_, form, _ := desk.get("/receive")
	key := keyRE.FindStringSubmatch(form)
	if key == nil {
		t.Fatal("no key in the reception form")
	}
	vals := url.Values{"csrf": {csrf}, "key": {key[1]}, "procedure": {enginetest.SampleCode}, "channel": {"counter"},
		"name": {"Lê Văn Nhận"}, "phone": {"0987654321"}, "email": {"nhan@example.vn"}, "address": {"Thôn 3, xã Thử Nghiệm"}}
	for k, v := range extra {
		vals[k] = v
	}
	st, body, h := desk.post("/receive", vals)
	if st != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "/receipt") {
		t.Fatalf("reception: %d %s", st, text(body))
	}
	return h.Get("Location")
}

// TestReceiptIsForm01: the receipt prints the content of form 01 in the
// documents' shared heading: the code, the applicant and contact, the
// procedure, the documents and sets received (dots when none were typed),
// the legal time limit, the valid reception instant, the appointment in
// hours and minutes, where to collect, and the officer's signature block;
// a dossier received after the cut-off says that its time counts from
// the next working day (Decree 61/2018 Art 18).
func TestReceiptIsForm01(t *testing.T) {
	t.Parallel()
	b := setup(t)
	desk := b.browser(t)
	csrf := desk.signIn(receiver)
	morning := receiveOnWeb(t, b, desk, csrf, "2026-03-02 09:30", url.Values{
		"documents": {"Tờ khai đăng ký khai sinh\nGiấy chứng sinh (bản chính)"}, "sets": {"01"}, "collect_at": {"Qua dịch vụ bưu chính công ích"},
		"id_no": {"001090000123"}})
	late := receiveOnWeb(t, b, desk, csrf, "2026-03-02 15:30", nil)
	code := func(loc string) string { return strings.TrimSuffix(strings.TrimPrefix(loc, "/dossiers/"), "/receipt") }
	appointment := func(loc string) string {
		d, err := b.store.Get(context.Background(), code(loc))
		if err != nil || d.AppointmentAt == nil {
			t.Fatalf("dossier %s: %v", code(loc), err)
		}
		return hourMinute(d.AppointmentAt, b.eng.Calendar.Location(), "vi")
	}
	tests := []struct {
		rule, path string
		want, not  []string
	}{
		{"form 01 in the shared heading: agency, desk, motto, place and date of reception", morning,
			[]string{"Mẫu số 01", testAgency, "Bộ phận Một cửa", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Thử Nghiệm, ngày 02 tháng 03 năm 2026", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"}, nil},
		{"the code as text, the applicant and how to reach them, the procedure by code and name", morning,
			[]string{`id="receipt-code">` + code(morning) + "<", "Lê Văn Nhận", "0987654321", "nhan@example.vn", "Thôn 3, xã Thử Nghiệm", "Thủ tục mẫu", enginetest.SampleCode}, nil},
		{"the register's book and line given at reception (form 06), the desk's book of the year", morning,
			[]string{`Quyển số: <b id="receipt-book">XA01/2026</b> Số thứ tự: <b id="receipt-line">1</b>`}, nil},
		{"the next reception takes the next line of the same book", late,
			[]string{`id="receipt-book">XA01/2026<`, `id="receipt-line">2<`}, nil},
		{"the ID is the căn cước number", morning, []string{"Số căn cước: 001090000123"}, []string{"CCCD"}},
		{"the documents typed at reception, one a line, and the number of sets", morning,
			[]string{"<li>Tờ khai đăng ký khai sinh</li><li>Giấy chứng sinh (bản chính)</li>", `id="receipt-sets">01<`}, []string{"doc-list fill"}},
		{"the legal time limit, reception and appointment in hours and minutes, before the cut-off no note", morning,
			[]string{"5 ngày làm việc", "09 giờ 30 phút, ngày 02/03/2026", `id="receipt-appointment">` + appointment(morning) + "<"}, []string{"receipt-cutoff"}},
		{"where to collect as typed, and the receiving officer's signature block with their name", morning,
			[]string{"Qua dịch vụ bưu chính công ích", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Nguyễn Thị Tiếp", "/lookup"}, nil},
		{"after the 15:00 cut-off: valid from the next working day, with the note saying why", late,
			[]string{"ngày 03/03/2026", "Hồ sơ nộp sau 15:00 nên thời gian giải quyết được tính từ đầu ngày làm việc tiếp theo.", `id="receipt-appointment">` + appointment(late) + "<"}, nil},
		{"nothing typed: lines to fill in for the documents and the sets, the desk to collect at", late,
			[]string{"doc-list fill", `id="receipt-sets">……<`, `id="receipt-collect">Bộ phận Một cửa<`}, nil},
		{"English on ?lang=en", late + "?lang=en",
			[]string{"Form 01", "Receipt and appointment", "RECEIVING OFFICER", "Received after 15:00: the time limit counts from the start of the next working day.", "SOCIALIST REPUBLIC OF VIETNAM"}, []string{"NGƯỜI TIẾP NHẬN"}},
	}
	for _, c := range tests {
		st, page, _ := desk.get(c.path)
		if st != http.StatusOK {
			t.Errorf("%s: status %d", c.rule, st)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: no %q in\n%s", c.rule, w, text(page))
			}
		}
		for _, w := range c.not {
			if strings.Contains(page, w) {
				t.Errorf("%s: %q should not be there", c.rule, w)
			}
		}
	}
	// Others read it only when they may read the dossier.
	outsider := b.browser(t)
	outsider.signIn(enginetest.Outsider)
	if st, _, _ := outsider.get(morning); st != http.StatusNotFound && st != http.StatusForbidden {
		t.Errorf("an outsider printed the receipt: %d", st)
	}
}
