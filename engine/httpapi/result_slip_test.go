package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// resultSlipSetup has the sample procedure (rated), a complaint (not
// rated) and the birth registration with fees and a result file.
func resultSlipSetup(t *testing.T) *bundle {
	return setup(t, setupOpts{ratingKey: testRatingKey, procs: []*engine.Procedure{
		petitionProc("KN.01", engine.KindComplaint, false), contentsProcedure(t)}})
}

// returnedWithFiles is a birth registration received with two copies
// asked and a place to collect, its result file attached, the copies'
// fee paid at the counter, and returned on Wednesday 4 March.
func returnedWithFiles(t *testing.T, b *bundle) *engine.Dossier {
	t.Helper()
	ctx := context.Background()
	b.clock.Set(hanoi("2026-03-02 09:00"))
	in := enginetest.SampleReception("Có Tệp Kết Quả")
	in.Components = []engine.ComponentReceipt{{ID: "to-khai", Copy: engine.CopyOriginal, Count: 1}, {ID: "giay-chung-sinh", Copy: engine.CopyOriginal, Count: 1}}
	in.Copies = map[string]int{"ban-sao": 2}
	in.Inputs = map[string]string{inCollect: "Quầy số 3, Trung tâm phục vụ hành chính công"}
	d, err := b.eng.Receive(ctx, contentsCode, 0, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []docStep{{"2026-03-02 10:00", "chuyen", enginetest.Receiver, nil}, {"2026-03-03 10:00", "trinh", enginetest.Officer, nil},
		{"2026-03-03 11:00", "ky", enginetest.Chairman, nil}} {
		b.clock.Set(hanoi(s.at))
		if _, err := b.eng.Act(ctx, d.Code, engine.ActInput{Action: s.action, Actor: s.actor}, 0); err != nil {
			t.Fatalf("%s: %v", s.action, err)
		}
	}
	attachResult(t, b, d.Code)
	if _, err := b.eng.Pay(ctx, d.Code, engine.PayInput{Actor: enginetest.Receiver, Fee: "ban-sao", Method: engine.PayCounter, Receipt: "BL-17"}, 0); err != nil {
		t.Fatal(err)
	}
	b.clock.Set(hanoi("2026-03-04 09:30"))
	d, err = b.eng.Act(ctx, d.Code, engine.ActInput{Action: "tra", Actor: enginetest.Receiver}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestResultSlip: the result slip (phiếu trả kết quả) is printed only
// for a dossier whose result is decided, says when it was finished
// against the appointment, what is handed over, the fees, where, and
// carries the rating link's QR code only while a rating can be sent.
func TestResultSlip(t *testing.T) {
	t.Parallel()
	b := resultSlipSetup(t)
	ctx := context.Background()
	open := b.dossierAt(enginetest.SampleCode, "Đang Mở", "2026-03-02 09:00",
		docStep{at: "2026-03-02 10:00", action: "chuyen", actor: enginetest.Receiver})
	ready := b.dossierAt(enginetest.SampleCode, "Chờ Trả", "2026-03-02 09:00",
		docStep{at: "2026-03-02 10:00", action: "chuyen", actor: enginetest.Receiver},
		docStep{at: "2026-03-03 10:00", action: "trinh", actor: enginetest.Officer},
		docStep{at: "2026-03-03 11:00", action: "ky", actor: enginetest.Chairman})
	early := b.dossierAt(enginetest.SampleCode, "Trả Sớm", "2026-03-02 09:00",
		docStep{at: "2026-03-02 10:00", action: "chuyen", actor: enginetest.Receiver},
		docStep{at: "2026-03-03 10:00", action: "trinh", actor: enginetest.Officer},
		docStep{at: "2026-03-03 11:00", action: "ky", actor: enginetest.Chairman},
		docStep{at: "2026-03-03 14:00", action: "tra", actor: enginetest.Receiver})
	late := b.dossierAt(enginetest.SampleCode, "Trả Muộn", "2026-03-02 09:00",
		docStep{at: "2026-03-02 10:00", action: "chuyen", actor: enginetest.Receiver},
		docStep{at: "2026-03-09 10:00", action: "trinh", actor: enginetest.Officer},
		docStep{at: "2026-03-10 09:00", action: "ky", actor: enginetest.Chairman},
		docStep{at: "2026-03-10 10:00", action: "tra", actor: enginetest.Receiver})
	refused := b.dossierAt(enginetest.SampleCode, "Bị Từ Chối", "2026-03-02 09:00",
		docStep{at: "2026-03-02 10:00", action: "chuyen", actor: enginetest.Receiver},
		docStep{at: "2026-03-04 15:00", action: "tu_choi", actor: enginetest.Officer, inputs: map[string]string{"reason": "Giấy tờ không hợp lệ"}})
	rated := b.dossierAt(enginetest.SampleCode, "Đã Đánh Giá", "2026-03-02 09:00",
		docStep{at: "2026-03-02 10:00", action: "chuyen", actor: enginetest.Receiver},
		docStep{at: "2026-03-03 10:00", action: "trinh", actor: enginetest.Officer},
		docStep{at: "2026-03-03 11:00", action: "ky", actor: enginetest.Chairman},
		docStep{at: "2026-03-03 14:00", action: "tra", actor: enginetest.Receiver})
	if err := b.eng.Rate(ctx, rated.Code, map[string]int{"thoi_gian": 3, "so_lan_lien_he": 3, "thai_do": 3, "ket_qua": 3}, ""); err != nil {
		t.Fatal(err)
	}
	petition := b.receiveWith("KN.01", engine.Applicant{Name: "Người Khiếu Nại"})
	b.act(petition.Code, "giai_quyet", enginetest.Receiver, nil)
	files := returnedWithFiles(t, b)

	rateLink := func(code string) string {
		return b.ts.URL + "/r/" + code + "/" + engine.RatingToken(testRatingKey, code)
	}
	const ratingQR, lookupQR = `id="result-rating-qr"><svg`, `id="result-qr"><svg`
	desk := b.browser(t)
	desk.signIn(enginetest.Receiver)
	tests := []struct {
		rule   string
		code   string
		lang   string
		status int
		// want in the page's text (case-folded: titles are upper-cased
		// by the style sheet) or, for markup, in the page itself.
		want, markup, absent []string
	}{
		{"an open dossier has no result slip: not found, as a form that does not apply", open.Code, "", 404, nil, nil, nil},
		{"a result ready but not yet returned is not finished: no slip yet", ready.Code, "", 404, nil, nil, nil},
		{"a returned dossier: heading, code, applicant, procedure, dates, early, decision, no fees, where, who returned it, dated the return",
			early.Code, "", 200, []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", testAgency, "PHIẾU TRẢ KẾT QUẢ", "Mã hồ sơ: " + early.Code, "Trả Sớm", "Thủ tục mẫu",
				"Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 02/03/2026", "Thời gian hẹn trả kết quả: 09 giờ 00 phút, ngày 09/03/2026",
				"Thời gian hoàn thành giải quyết: 14 giờ 00 phút, ngày 03/03/2026 — Trước hạn", "Kết quả giải quyết: Đã giải quyết xong",
				"Phí, lệ phí: không thu", "Nơi trả kết quả: Bộ phận Một cửa", "NGƯỜI NHẬN KẾT QUẢ", "NGƯỜI TRẢ KẾT QUẢ", "Nguyễn Thị Tiếp",
				"Thử Nghiệm, ngày 03 tháng 03 năm 2026"},
			[]string{lookupQR, b.ts.URL + "/l/" + early.Code, `<div class="agency">` + testAgency, `<div class="unit">Bộ phận Một cửa`}, []string{"Mẫu số"}},
		{"a rated procedure's slip carries the rating QR and its link in words", early.Code, "", 200,
			[]string{"Đánh giá sự hài lòng về việc giải quyết hồ sơ tại: " + rateLink(early.Code)}, []string{ratingQR}, nil},
		{"returned after the appointment: late", late.Code, "", 200, []string{"ngày 10/03/2026 — Quá hạn"}, nil, nil},
		{"a refused dossier: the refusal and its reason, and the rating QR (the refusal is the result returned)", refused.Code, "", 200,
			[]string{"Từ chối giải quyết (Phiếu từ chối, Mẫu số 03)", "Trần Văn Chức"}, []string{"<li>Giấy tờ không hợp lệ</li>", ratingQR}, nil},
		{"an already rated dossier's slip has no rating QR nor link, the lookup QR still", rated.Code, "", 200, nil, []string{lookupQR},
			[]string{ratingQR, `id="result-rating-link"`, "/r/" + rated.Code}},
		{"a petition's slip has no rating QR: petitions are not rated", petition.Code, "", 200, []string{"Người Khiếu Nại"}, []string{lookupQR},
			[]string{ratingQR, `id="result-rating-link"`, "/r/"}},
		{"the result files by name, the fees charged and paid, the place to collect recorded at reception", files.Code, "", 200,
			[]string{"Tệp kết quả bàn giao", "16.000 đ (2 bản)", "Đã thu, Tiền mặt tại quầy, Biên lai số BL-17", "Nơi trả kết quả: Quầy số 3, Trung tâm phục vụ hành chính công"},
			[]string{"<li>giay-khai-sinh.pdf</li>", `id="receipt-fees"`}, []string{"Giấy tờ trả:", `id="result-no-fees"`}},
		{"the English page", early.Code, "en", 200,
			[]string{"SOCIALIST REPUBLIC OF VIETNAM", "RESULT SLIP", "Dossier received: 09:00, 02/03/2026", "Result promised for: 09:00, 09/03/2026",
				"Dossier finished: 14:00, 03/03/2026 — Early", "Result: Resolved", "Fees and charges: none recorded", "RETURNING OFFICER", "RECEIVED BY",
				"Rate how the dossier was handled at", "Thử Nghiệm, 3 March 2026"}, []string{ratingQR}, []string{"PHIẾU TRẢ KẾT QUẢ"}},
	}
	for _, tt := range tests {
		path := "/dossiers/" + tt.code + "/" + docResult
		if tt.lang != "" {
			path += "?lang=" + tt.lang
		}
		st, page, _ := desk.get(path)
		if st != tt.status {
			t.Errorf("%s: status %d, want %d", tt.rule, st, tt.status)
			continue
		}
		body := strings.ToUpper(text(page))
		for _, w := range tt.want {
			if !strings.Contains(body, strings.ToUpper(w)) {
				t.Errorf("%s: page lacks %q", tt.rule, w)
			}
		}
		for _, w := range tt.markup {
			if !strings.Contains(page, w) {
				t.Errorf("%s: markup lacks %s", tt.rule, w)
			}
		}
		for _, w := range tt.absent {
			if strings.Contains(page, w) || strings.Contains(body, strings.ToUpper(w)) {
				t.Errorf("%s: page has %q", tt.rule, w)
			}
		}
	}

	// Offered on the dossier page exactly when it applies.
	for _, c := range []struct {
		rule  string
		code  string
		offer bool
	}{
		{"not offered while open", open.Code, false},
		{"not offered before the result is returned", ready.Code, false},
		{"offered once returned", early.Code, true},
		{"offered once refused", refused.Code, true},
	} {
		_, page, _ := desk.get("/dossiers/" + c.code)
		if got := strings.Contains(page, `data-doc="/dossiers/`+c.code+`/`+docResult+`"`); got != c.offer {
			t.Errorf("%s: offered %v", c.rule, got)
		}
	}

	// The rights of the other documents: another unit's officer is
	// refused, an anonymous visitor sent to sign in, a viewer may print.
	path := "/dossiers/" + early.Code + "/" + docResult
	outsider := b.browser(t)
	outsider.signIn(enginetest.Outsider)
	if st, page, _ := outsider.get(path); st != http.StatusForbidden || strings.Contains(page, "Trả Sớm") {
		t.Errorf("outsider prints the result slip: %d", st)
	}
	if st, _, h := b.browser(t).get(path); st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin?next=") {
		t.Errorf("anonymous result slip: %d %s", st, h.Get("Location"))
	}
	viewer := b.browser(t)
	viewer.signIn(Viewer)
	if st, _, _ := viewer.get(path); st != http.StatusOK {
		t.Errorf("viewer prints the result slip: %d", st)
	}
}
