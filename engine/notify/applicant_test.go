package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/notify"
)

// smsGateway is a test SMS gateway: it records every request and answers
// fail times with 503 before accepting.
type smsGateway struct {
	mu   sync.Mutex
	reqs []smsRequest
	fail int
	srv  *httptest.Server
}

type smsRequest struct {
	auth, key string
	body      notify.SMSPayload
}

func startSMSGateway(t *testing.T, fail int) *smsGateway {
	g := &smsGateway{fail: fail}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var p notify.SMSPayload
		if err := json.Unmarshal(b, &p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		g.reqs = append(g.reqs, smsRequest{auth: r.Header.Get("Authorization"), key: r.Header.Get("Idempotency-Key"), body: p})
		if g.fail > 0 {
			g.fail--
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *smsGateway) requests() []smsRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]smsRequest(nil), g.reqs...)
}

// applicantScenario decides, through the pure core, the notices of two
// dossiers: one received, asked a supplement, supplemented and signed
// (result ready); one refused.
func applicantScenario(t *testing.T) []engine.Notification {
	t.Helper()
	env := engine.Env{Procedure: enginetest.SampleProcedure(), Directory: enginetest.SampleDirectory(), Calendar: calendar.VN(),
		ApplicantChannels: []string{engine.ApplicantEmail, engine.ApplicantSMS}}
	var out []engine.Notification
	now := enginetest.Monday
	in := enginetest.SampleReception("Nguyễn Văn Dân")
	in.Applicant.Email = "dan@example.vn"
	dec, err := engine.Receive(env, in, "XA01-260302-0001", now)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, dec.Notifications...)
	d := dec.Dossier
	for _, a := range []engine.ActInput{
		{Action: "chuyen", Actor: enginetest.Receiver, Inputs: map[string]string{"note": "đủ"}},
		{Action: "yeu_cau_bo_sung", Actor: enginetest.Officer, Inputs: map[string]string{"reason": "Thiếu bản sao Giấy chứng nhận kết hôn của cha mẹ"}},
		{Action: "nhan_bo_sung", Actor: enginetest.Receiver},
		{Action: "trinh", Actor: enginetest.Officer},
		{Action: "ky", Actor: enginetest.Chairman},
	} {
		now = now.Add(time.Hour)
		dec, err := engine.Step(env, d, a, now)
		if err != nil {
			t.Fatalf("%s: %v", a.Action, err)
		}
		out, d = append(out, dec.Notifications...), dec.Dossier
	}
	in = enginetest.SampleReception("Lê Thị Từ")
	in.Applicant.Phone = "0987654321"
	dec, err = engine.Receive(env, in, "XA01-260302-0002", now)
	if err != nil {
		t.Fatal(err)
	}
	out, d = append(out, dec.Notifications...), dec.Dossier
	for _, a := range []engine.ActInput{
		{Action: "chuyen", Actor: enginetest.Receiver, Inputs: map[string]string{"note": "đủ"}},
		{Action: "tu_choi", Actor: enginetest.Officer, Inputs: map[string]string{"reason": "Không thuộc thẩm quyền của UBND xã"}},
	} {
		now = now.Add(time.Hour)
		dec, err := engine.Step(env, d, a, now)
		if err != nil {
			t.Fatalf("%s: %v", a.Action, err)
		}
		out, d = append(out, dec.Notifications...), dec.Dossier
	}
	var applicant []engine.Notification
	for _, n := range out {
		if strings.HasPrefix(n.Kind, "applicant_") {
			applicant = append(applicant, n)
		}
	}
	return applicant
}

// TestApplicantNoticesDelivered sends a scenario's notices to the
// applicant through the real SMTP test server and a test SMS gateway:
// each notice's recipient and text, the token and the dedupe key, and a
// gateway that fails once receives the same message id again.
func TestApplicantNoticesDelivered(t *testing.T) {
	t.Parallel()
	sink := startMailSink(t, "127.0.0.1:0")
	gw := startSMSGateway(t, 1)
	ns := applicantScenario(t)
	box := newOutbox(ns...)
	d := &notify.Dispatcher{
		Store: box, Directory: enginetest.SampleDirectory(),
		Channels: []notify.Channel{smtpChannel(t, sink.addr), &notify.SMS{URL: gw.srv.URL, Token: "s3cret"},
			&failing{name: "webhook"}}, // the staff's webhook: never asked about an applicant's notice
		Templates: &notify.Templates{PublicURL: "https://dvc.xa.example.vn", RatingKey: []byte("key")},
		Backoff:   func(int) time.Duration { return time.Minute },
	}
	now := enginetest.Monday.Add(24 * time.Hour)
	if _, _, err := d.DispatchOnce(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	if sent, failed, err := d.DispatchOnce(context.Background(), now.Add(2*time.Minute)); err != nil || sent != 1 || failed != 0 {
		t.Fatalf("second round: sent %d failed %d err %v, want the SMS that failed once", sent, failed, err)
	}
	for _, n := range ns {
		if s := box.get(n.ID); s.Status != engine.NotificationSent {
			t.Errorf("%s is %s (%s)", n.ID, s.Status, s.LastError)
		}
	}

	wantSMS := map[string]struct{ to, text string }{
		"XA01-260302-0001/1/applicant_received/sms": {"0900000001",
			"Ho so XA01-260302-0001 da duoc tiep nhan. Hen tra 09/03/2026 09:00. Tra cuu: https://dvc.xa.example.vn/l/XA01-260302-0001"},
		"XA01-260302-0001/3/applicant_supplement/sms": {"0900000001",
			"Ho so XA01-260302-0001 can bo sung: Thieu ban sao Giay chung nh... https://dvc.xa.example.vn/l/XA01-260302-0001"},
		"XA01-260302-0001/6/applicant_result/sms": {"0900000001",
			"Ho so XA01-260302-0001 da co ket qua tai Bo phan Mot cua. Danh gia: https://dvc.xa.example.vn/r/XA01-260302-0001/" +
				engine.RatingToken([]byte("key"), "XA01-260302-0001")},
		"XA01-260302-0002/3/applicant_refused/sms": {"0987654321",
			"Ho so XA01-260302-0002 bi tu choi: Khong thuoc tham quyen cua UBND xa. https://dvc.xa.example.vn/l/XA01-260302-0002"},
		"XA01-260302-0002/1/applicant_received/sms": {"0987654321", ""},
	}
	reqs := gw.requests()
	seen := map[string]int{}
	for _, r := range reqs {
		seen[r.key]++
		w, ok := wantSMS[r.key]
		if !ok {
			t.Errorf("unexpected SMS %q: %+v", r.key, r.body)
			continue
		}
		if r.body.ID != r.key || r.auth != "Bearer s3cret" || r.body.To != w.to {
			t.Errorf("SMS %s: id %q auth %q to %q, want the id in header and body, the token, to %s", r.key, r.body.ID, r.auth, r.body.To, w.to)
		}
		if w.text != "" && r.body.Text != w.text {
			t.Errorf("SMS %s text\n got %q\nwant %q", r.key, r.body.Text, w.text)
		}
		if n, ok := notify.GSMLength(r.body.Text); !ok || n > notify.SMSSegment {
			t.Errorf("SMS %s: %d characters, GSM-7 %v", r.key, n, ok)
		}
	}
	if len(seen) != len(wantSMS) || len(reqs) != len(wantSMS)+1 {
		t.Errorf("gateway saw %d requests for %v, want %d messages, one of them twice", len(reqs), seen, len(wantSMS))
	}
	if last := reqs[len(reqs)-1]; last.key != reqs[0].key {
		t.Errorf("the message refused with 503 was resent as %q, not with its own id %q", last.key, reqs[0].key)
	}

	mails := sink.messages()
	bySubject := map[string]parsed{}
	for _, m := range mails {
		if len(m.to) != 1 || m.to[0] != "dan@example.vn" {
			t.Errorf("e-mail to %v, want only the applicant who gave an address", m.to)
		}
		p := parse(t, m)
		bySubject[p.subject] = p
	}
	for subject, wants := range map[string][]string{
		"Hồ sơ XA01-260302-0001 đã được tiếp nhận": {"Mã hồ sơ: XA01-260302-0001", "Ngày hẹn trả kết quả: 09/03/2026 09:00",
			"Nơi trả kết quả: Bộ phận Một cửa", "https://dvc.xa.example.vn/l/XA01-260302-0001"},
		"Hồ sơ XA01-260302-0001 cần bổ sung":   {"Nội dung cần bổ sung: Thiếu bản sao Giấy chứng nhận kết hôn của cha mẹ", "Nơi nộp bổ sung: Bộ phận Một cửa"},
		"Hồ sơ XA01-260302-0001 đã có kết quả": {"Nơi nhận kết quả: Bộ phận Một cửa", "https://dvc.xa.example.vn/r/XA01-260302-0001/"},
	} {
		p, ok := bySubject[subject]
		if !ok {
			t.Errorf("no e-mail %q among %v", subject, keys(bySubject))
			continue
		}
		for _, w := range wants {
			if !strings.Contains(p.body, w) {
				t.Errorf("e-mail %q lacks %q:\n%s", subject, w, p.body)
			}
		}
		for _, staff := range []string{"Trần Văn Chức", "Hoàng Văn Chủ", "Nguyễn Văn Dân"} {
			if strings.Contains(p.body, staff) {
				t.Errorf("e-mail %q names %q", subject, staff)
			}
		}
	}
	if len(mails) != 3 {
		t.Errorf("%d e-mails, want 3 (the second applicant gave no address)", len(mails))
	}
}

// TestSMSGatewayBodyTemplate: a gateway that wants its own field names
// gets them from the body template, the text quoted as JSON; a staff
// notice, which has no SMS text, is not sent.
func TestSMSGatewayBodyTemplate(t *testing.T) {
	t.Parallel()
	bodies := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies <- string(b)
	}))
	t.Cleanup(srv.Close)
	tpl, err := notify.ParseSMSBody("vnpt.tmpl", `{"Phone":{{json .To}},"Message":{{json .Text}},"RequestId":{{json .ID}}}`)
	if err != nil {
		t.Fatal(err)
	}
	ch := &notify.SMS{URL: srv.URL, Body: tpl}
	m := notify.Message{ID: "X/1/applicant_received/sms", SMS: `Ho so "X" da duoc tiep nhan.`,
		Recipients: []notify.Recipient{{ID: "applicant", Phone: "0912345678"}}}
	if err := ch.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got, want := <-bodies, `{"Phone":"0912345678","Message":"Ho so \"X\" da duoc tiep nhan.","RequestId":"X/1/applicant_received/sms"}`; got != want {
		t.Errorf("body %s, want %s", got, want)
	}
	staff := notify.Message{ID: "X/2/handover", Body: "x", Recipients: []notify.Recipient{{ID: "officer", Email: "o@x.vn"}}}
	if err := ch.Send(context.Background(), staff); err != nil || len(bodies) != 0 {
		t.Errorf("a staff notice went to the SMS gateway: %v, %d requests", err, len(bodies))
	}
}
