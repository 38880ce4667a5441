package httpapi

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// apologyCode is a variant of the sample procedure that pauses (rather
// than restarts) the clock on supplementation and has an apology letter.
const apologyCode = "TEST.04"

func apologyProcedure() *engine.Procedure {
	p := enginetest.SampleProcedure()
	p.Code, p.Name, p.NameEN = apologyCode, "Thủ tục mẫu có hẹn lại", "Sample procedure with reappointment"
	p.Supplement = engine.SupplementPause
	p.Actions = append(p.Actions, &engine.Action{
		ID: "xin_loi", Name: "Xin lỗi và hẹn lại (mẫu 04)", NameEN: "Apologise and reappoint",
		From: []string{"tham_dinh", "phe_duyet"}, Reappoint: true, Requires: []string{"reason", "due_at"},
	})
	if err := p.Index(); err != nil {
		panic(err)
	}
	return p
}

// hanoi is a wall-clock instant in Hanoi.
func hanoi(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, time.FixedZone("ICT", 7*3600))
	if err != nil {
		panic(err)
	}
	return t
}

// docStep fires one action at a given instant of the stub clock.
type docStep struct {
	at     string
	action string
	actor  string
	inputs map[string]string
}

// dossierAt receives a dossier of procedure at received and fires steps,
// each at its own instant, through the engine.
func (b *bundle) dossierAt(procedure, name, received string, steps ...docStep) *engine.Dossier {
	b.t.Helper()
	ctx := context.Background()
	b.clock.Set(hanoi(received))
	d, err := b.eng.Receive(ctx, procedure, 0, enginetest.SampleReception(name))
	if err != nil {
		b.t.Fatal(err)
	}
	for _, s := range steps {
		b.clock.Set(hanoi(s.at))
		d, err = b.eng.Act(ctx, d.Code, engine.ActInput{Action: s.action, Actor: s.actor, Inputs: s.inputs}, 0)
		if err != nil {
			b.t.Fatalf("%s at %s: %v", s.action, s.at, err)
		}
	}
	return d
}

var handoverRE = regexp.MustCompile(`(?s)<tbody class="handover" data-n="\d+">(.*?)</tbody>`)
var tagRE = regexp.MustCompile(`<[^>]+>`)

// handovers returns the text of each filled row of a printed slip.
func handovers(page string) []string {
	var out []string
	for _, m := range handoverRE.FindAllStringSubmatch(page, -1) {
		out = append(out, strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(m[1], " "))), " "))
	}
	return out
}

// text is a page without its tags, spaces collapsed, for phrase checks.
func text(page string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(page, " "))), " ")
}

// TestSlipPrintsEveryHandoverJudgedAgainstItsStep: the process control
// slip has one row per handover, giving and receiving side, its time and
// the step's result against that step's own budget (early: an earlier day
// than the step's due; on time: by it; late: after it), and no row for a
// note, which hands nothing over.
func TestSlipPrintsEveryHandoverJudgedAgainstItsStep(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// Received Monday 2 March 09:00; the desk's step (1 working day) is
	// due Tuesday 09:00, the office's (3 days) Thursday 10:00, the
	// chairman's (1 day) Friday 09:30, the return (4 hours) Monday 12:30.
	d := b.dossierAt(enginetest.SampleCode, "Lê Thị Phiếu", "2026-03-02 09:00",
		docStep{at: "2026-03-02 10:00", action: "chuyen", actor: enginetest.Receiver, inputs: map[string]string{"note": "đủ hồ sơ"}},
		docStep{at: "2026-03-03 14:00", action: "ghi_chu", actor: enginetest.Officer, inputs: map[string]string{"note": "đang xác minh"}},
		docStep{at: "2026-03-05 09:30", action: "trinh", actor: enginetest.Officer},
		docStep{at: "2026-03-09 08:30", action: "ky", actor: enginetest.Chairman},
		docStep{at: "2026-03-09 11:00", action: "tra", actor: enginetest.Receiver},
	)
	br := b.browser(t)
	br.signIn(enginetest.Head)
	st, page, _ := br.get("/dossiers/" + d.Code + "/slip")
	if st != http.StatusOK {
		t.Fatalf("slip: %d", st)
	}
	all := text(page)
	for _, want := range []string{
		"Mẫu số 05", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", testAgency, "Bộ phận Một cửa",
		"PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", d.Code, "Thủ tục mẫu",
		"Cơ quan (bộ phận) giải quyết hồ sơ: Bộ phận Một cửa, Công chức Tư pháp - Hộ tịch, Lãnh đạo UBND xã",
		"Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 02/03/2026",
		// 5 working days from Monday 09:00.
		"Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 09/03/2026",
	} {
		if !strings.Contains(strings.ToUpper(all), strings.ToUpper(want)) {
			t.Errorf("slip lacks %q", want)
		}
	}
	rows := handovers(page)
	want := []struct {
		rule  string
		parts []string
	}{
		{"reception: from the applicant, taken by the desk officer, no step result", []string{"Giao: Tổ chức, cá nhân: Lê Thị Phiếu", "Nhận: Bộ phận Một cửa Nguyễn Thị Tiếp", "09 giờ 00 phút, ngày 02/03/2026"}},
		{"transfer on the day the desk's step began, before its due day: early", []string{"Giao: Bộ phận Một cửa Nguyễn Thị Tiếp", "Nhận: Công chức Tư pháp - Hộ tịch", "10 giờ 00 phút, ngày 02/03/2026", "Trước hạn", "đủ hồ sơ"}},
		{"submitted on the office step's due day before its hour: on time", []string{"Giao: Công chức Tư pháp - Hộ tịch Trần Văn Chức", "Nhận: Lãnh đạo UBND xã", "Đúng hạn"}},
		{"signed after the chairman's step was due: late", []string{"Giao: Lãnh đạo UBND xã Hoàng Văn Chủ", "Nhận: Bộ phận Một cửa", "08 giờ 30 phút, ngày 09/03/2026", "Quá hạn"}},
		{"returned to the applicant within the return step's hours: on time", []string{"Giao: Bộ phận Một cửa", "Nhận: Tổ chức, cá nhân: Lê Thị Phiếu (Đã trả kết quả)", "Đúng hạn"}},
	}
	if len(rows) != len(want) {
		t.Fatalf("slip has %d handovers, want %d (the note is no handover):\n%s", len(rows), len(want), strings.Join(rows, "\n"))
	}
	for i, w := range want {
		for _, p := range w.parts {
			if !strings.Contains(rows[i], p) {
				t.Errorf("row %d (%s) lacks %q: %s", i+1, w.rule, p, rows[i])
			}
		}
		if strings.Count(rows[i], "Người giao") != 1 || strings.Count(rows[i], "Người nhận") != 1 {
			t.Errorf("row %d has no signature cells for giver and receiver: %s", i+1, rows[i])
		}
	}
	if strings.Contains(page, "handover blank") {
		t.Error("a finished dossier's slip has blank rows for handovers to come")
	}
	// English on request.
	_, en, _ := br.get("/dossiers/" + d.Code + "/slip?lang=en")
	if rows := handovers(en); len(rows) != 5 || !strings.Contains(rows[1], "Early") || !strings.Contains(rows[3], "Late") ||
		!strings.Contains(text(en), "09:00, 09/03/2026") || !strings.Contains(en, "SOCIALIST REPUBLIC OF VIETNAM") {
		t.Errorf("English slip: %q", rows)
	}
}

// TestDocumentsApplyOnlyWhenTheirEventHappened: each form is printed from
// the event it records, linked from the dossier page only then, and 404
// otherwise; everyone who may read the dossier may print it, others not.
func TestDocumentsApplyOnlyWhenTheirEventHappened(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{procs: []*engine.Procedure{apologyProcedure()}})
	approved := b.dossierAt(enginetest.SampleCode, "Đã Duyệt", "2026-03-02 09:00",
		docStep{at: "2026-03-02 10:00", action: "chuyen", actor: enginetest.Receiver},
		docStep{at: "2026-03-03 10:00", action: "trinh", actor: enginetest.Officer},
		docStep{at: "2026-03-03 11:00", action: "ky", actor: enginetest.Chairman},
		docStep{at: "2026-03-03 14:00", action: "tra", actor: enginetest.Receiver},
	)
	supplement := b.dossierAt(enginetest.SampleCode, "Chờ Bổ Sung", "2026-03-02 09:00",
		docStep{at: "2026-03-02 10:00", action: "chuyen", actor: enginetest.Receiver},
		docStep{at: "2026-03-03 10:00", action: "yeu_cau_bo_sung", actor: enginetest.Officer,
			inputs: map[string]string{"reason": "Thiếu bản sao Giấy chứng sinh; bản chính\nTờ khai chưa có chữ ký"}},
	)
	paused := b.dossierAt(apologyCode, "Tạm Dừng", "2026-03-02 09:00",
		docStep{at: "2026-03-02 10:00", action: "chuyen", actor: enginetest.Receiver},
		docStep{at: "2026-03-03 10:00", action: "yeu_cau_bo_sung", actor: enginetest.Officer, inputs: map[string]string{"reason": "Thiếu ảnh"}},
	)
	refused := b.dossierAt(enginetest.SampleCode, "Bị Từ Chối", "2026-03-02 09:00",
		docStep{at: "2026-03-02 10:00", action: "chuyen", actor: enginetest.Receiver},
		docStep{at: "2026-03-04 15:00", action: "tu_choi", actor: enginetest.Officer, inputs: map[string]string{"reason": "Giấy tờ không hợp lệ"}},
	)
	apologised := b.dossierAt(apologyCode, "Hẹn Lại", "2026-03-02 09:00",
		docStep{at: "2026-03-02 10:00", action: "chuyen", actor: enginetest.Receiver},
		docStep{at: "2026-03-05 16:00", action: "xin_loi", actor: enginetest.Officer,
			inputs: map[string]string{"reason": "Cần xác minh tại nơi cư trú", "due_at": "2026-03-11T17:00:00+07:00"}},
	)
	head := b.browser(t)
	head.signIn(enginetest.Head)
	tests := []struct {
		rule   string
		code   string
		doc    string
		status int
		want   []string
	}{
		{"form 02 for a request for supplementation: reasons as written, a line each, issued by the agency, signed by the officer who asked, dated that day",
			supplement.Code, docSupplement, 200, []string{"Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Chờ Bổ Sung",
				"<li>Thiếu bản sao Giấy chứng sinh; bản chính</li><li>Tờ khai chưa có chữ ký</li>", "Trần Văn Chức", "Thử Nghiệm, ngày 03 tháng 03 năm 2026"}},
		{"form 02 under supplement: restart says the limit restarts from zero (Decree 61/2018 Art 19)",
			supplement.Code, docSupplement, 200, []string{"tính lại từ đầu"}},
		{"form 02 under supplement: pause says the time left resumes", paused.Code, docSupplement, 200, []string{"tạm dừng", "phần thời gian còn lại", "<li>Thiếu ảnh</li>"}},
		{"form 03 for a refused dossier: the reason, not resolved (refused after appraisal)",
			refused.Code, docRefusal, 200, []string{"Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", "không giải quyết hồ sơ này",
				"<li>Giấy tờ không hợp lệ</li>", "Bị Từ Chối", "Trần Văn Chức", "Thử Nghiệm, ngày 04 tháng 03 năm 2026"}},
		{"form 04: issued by the agency, the original appointment, the reason, the new one, signed by the unit's head",
			apologised.Code, docApology, 200, []string{"Mẫu số 04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Hẹn Lại",
				"Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 09/03/2026",
				"<li>Cần xác minh tại nơi cư trú</li>", "hẹn trả kết quả vào: 17 giờ 00 phút, ngày 11/03/2026",
				"Phạm Văn Trưởng", "Thử Nghiệm, ngày 05 tháng 03 năm 2026"}},
		{"the slip applies to any dossier, open ones too", supplement.Code, docSlip, 200, []string{"PHIẾU KIỂM SOÁT"}},
		{"no form 03 for an approved dossier", approved.Code, docRefusal, 404, nil},
		{"no form 02 without a supplementation request", approved.Code, docSupplement, 404, nil},
		{"no form 04 without a reappointment", refused.Code, docApology, 404, nil},
		{"no form 03 while a dossier is still open", supplement.Code, docRefusal, 404, nil},
		{"an unknown occurrence of a form is not found", supplement.Code, docSupplement + "?seq=1", 404, nil},
		{"an unknown dossier has no documents", "XA01-260302-9999", docSlip, 404, nil},
	}
	for _, tt := range tests {
		st, page, _ := head.get("/dossiers/" + tt.code + "/" + tt.doc)
		if st != tt.status {
			t.Errorf("%s: status %d, want %d", tt.rule, st, tt.status)
			continue
		}
		// Titles are upper-cased by the style sheet, as printed; list
		// items are numbered by it, so they are matched in the markup.
		body := strings.ToUpper(text(page))
		for _, w := range tt.want {
			if strings.HasPrefix(w, "<li>") && !strings.Contains(page, w) || !strings.HasPrefix(w, "<li>") && !strings.Contains(body, strings.ToUpper(w)) {
				t.Errorf("%s: page lacks %q", tt.rule, w)
			}
		}
		if st == 200 && !strings.Contains(body, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") {
			t.Errorf("%s: no national motto", tt.rule)
		}
	}
	// Forms 02 and 04 speak for the agency, not for the post that holds
	// the dossier: the agency is the issuer, alone.
	for _, c := range []struct{ code, doc string }{{supplement.Code, docSupplement}, {apologised.Code, docApology}} {
		_, page, _ := head.get("/dossiers/" + c.code + "/" + c.doc)
		if !strings.Contains(page, `<div class="unit">`+testAgency+`</div>`) || strings.Contains(page, `<div class="agency">`) {
			t.Errorf("%s: the issuer is not the agency %q alone", c.doc, testAgency)
		}
	}
	// The dossier page's control slip writes the new appointment as a
	// date, not as the RFC 3339 text the core keeps.
	if _, page, _ := head.get("/dossiers/" + apologised.Code); !strings.Contains(text(page), "Cần xác minh tại nơi cư trú; 17:00 11/03/2026") || strings.Contains(page, "2026-03-11T17") {
		t.Error("the control slip on the dossier page does not show the new appointment as a date")
	}

	// The dossier page links exactly the documents that apply.
	links := []struct {
		code string
		want []string
	}{
		{approved.Code, []string{docSlip, docResult}},
		{supplement.Code, []string{docSlip, docSupplement}},
		{refused.Code, []string{docSlip, docRefusal, docResult}},
		{apologised.Code, []string{docSlip, docApology}},
	}
	docRE := regexp.MustCompile(`data-doc="/dossiers/[^/]+/([^"?]+)`)
	for _, l := range links {
		_, page, _ := head.get("/dossiers/" + l.code)
		var got []string
		for _, m := range docRE.FindAllStringSubmatch(page, -1) {
			got = append(got, m[1])
		}
		if strings.Join(got, " ") != strings.Join(l.want, " ") {
			t.Errorf("dossier %s links %v, want %v", l.code, got, l.want)
		}
	}

	// Rights as on the dossier page: another unit's officer is refused,
	// an anonymous visitor sent to sign in, a viewer may read and print.
	outsider := b.browser(t)
	outsider.signIn(enginetest.Outsider)
	viewer := b.browser(t)
	viewer.signIn(Viewer)
	anon := b.browser(t)
	for _, doc := range []struct{ code, doc string }{
		{refused.Code, docSlip}, {supplement.Code, docSupplement}, {refused.Code, docRefusal}, {apologised.Code, docApology},
	} {
		path := "/dossiers/" + doc.code + "/" + doc.doc
		if st, body, _ := outsider.get(path); st != http.StatusForbidden || strings.Contains(body, "Trần Văn Chức") {
			t.Errorf("outsider prints %s: %d, want 403 without its content", path, st)
		}
		if st, _, h := anon.get(path); st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin?next=") {
			t.Errorf("anonymous %s: %d %s, want a redirect to sign in", path, st, h.Get("Location"))
		}
		if st, _, _ := viewer.get(path); st != http.StatusOK {
			t.Errorf("viewer prints %s: %d, want 200", path, st)
		}
	}

	// English where asked.
	_, en, _ := head.get("/dossiers/" + apologised.Code + "/" + docApology + "?lang=en")
	for _, w := range []string{"APOLOGY AND NEW APPOINTMENT", "09:00, 09/03/2026", "17:00, 11/03/2026", "Thử Nghiệm, 5 March 2026"} {
		if !strings.Contains(strings.ToUpper(text(en)), strings.ToUpper(w)) {
			t.Errorf("English form 04 lacks %q", w)
		}
	}
}

// TestSlipOfAnOpenDossierLeavesRowsToFill: a slip printed while the
// dossier travels has blank rows for the handovers still to come, and
// the clock paused for a supplement leaves the appointment blank.
func TestSlipOfAnOpenDossierLeavesRowsToFill(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.dossierAt(enginetest.SampleCode, "Đang Chờ", "2026-03-02 09:00",
		docStep{at: "2026-03-02 10:00", action: "chuyen", actor: enginetest.Receiver},
		docStep{at: "2026-03-03 10:00", action: "yeu_cau_bo_sung", actor: enginetest.Officer, inputs: map[string]string{"reason": "thiếu"}},
	)
	br := b.browser(t)
	br.signIn(enginetest.Receiver)
	_, page, _ := br.get("/dossiers/" + d.Code + "/slip")
	rows := handovers(page)
	if len(rows) != 3 || !strings.Contains(rows[2], "Nhận: Tổ chức, cá nhân: Đang Chờ (Chờ bổ sung)") {
		t.Errorf("handovers %q", rows)
	}
	if n := strings.Count(page, `class="handover blank"`); n != 2 {
		t.Errorf("%d blank rows, want 2", n)
	}
	if !strings.Contains(text(page), "Thời gian trả kết quả giải quyết hồ sơ: …… giờ …… phút") {
		t.Error("a paused dossier's slip promises an appointment")
	}
}

func TestDateLineAndHourMinute(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("ICT", 7*3600)
	// 2026-03-01 18:30 UTC is already 2 March in Hanoi.
	utc := time.Date(2026, 3, 1, 18, 30, 0, 0, time.UTC)
	tests := []struct {
		rule, got, want string
	}{
		{"date in the calendar's zone, leading zeros", dateLine("Hòa Bình", utc, loc, "vi"), "Hòa Bình, ngày 02 tháng 03 năm 2026"},
		{"no place: dots for the clerk", dateLine("", utc, loc, "vi"), "……………, ngày 02 tháng 03 năm 2026"},
		{"undated: blanks", dateLine("Hòa Bình", time.Time{}, loc, "vi"), "Hòa Bình, ngày …… tháng …… năm ………"},
		{"English date", dateLine("Hoa Binh", utc, loc, "en"), "Hoa Binh, 2 March 2026"},
		{"hour, minute, date", hourMinute(&utc, loc, "vi"), "01 giờ 30 phút, ngày 02/03/2026"},
		{"no instant: blanks", hourMinute(nil, loc, "vi"), "…… giờ …… phút, ngày …… / …… / ………"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.rule, tt.got, tt.want)
		}
	}
}
