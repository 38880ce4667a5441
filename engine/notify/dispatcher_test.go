package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/notify"
)

type notifyMessage = notify.Message

var (
	monday14  = enginetest.Monday.Add(5 * time.Hour)  // Mon 2 Mar 2026 14:00: the reminder
	tuesday10 = enginetest.Monday.Add(25 * time.Hour) // Tue 3 Mar 10:00: the breach
)

func smtpChannel(t *testing.T, addr string) *notify.SMTP {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	var p int
	for _, c := range port {
		p = p*10 + int(c-'0')
	}
	return &notify.SMTP{Host: host, Port: p, From: "Một cửa UBND xã <motcua@xa.example.vn>", TLS: mail.NoTLS, Timeout: 5 * time.Second}
}

func TestSMTPDeliversVietnameseMessages(t *testing.T) {
	t.Parallel()
	sink := startMailSink(t, "127.0.0.1:0")
	ns := append(decided(t, monday14), decided(t, tuesday10)...)
	box := newOutbox(ns...)
	d := &notify.Dispatcher{
		Store: box, Channels: []notify.Channel{smtpChannel(t, sink.addr)}, Directory: directory(t),
		Templates: &notify.Templates{BaseURL: "https://motcua.example.vn/"},
	}
	sent, failed, err := d.DispatchOnce(context.Background(), tuesday10)
	if err != nil || sent != 2 || failed != 0 {
		t.Fatalf("sent %d failed %d err %v", sent, failed, err)
	}
	got := sink.messages()
	if len(got) != 2 {
		t.Fatalf("server received %d messages, want 2", len(got))
	}
	bySubject := map[string]parsed{}
	for _, r := range got {
		if len(r.to) != 1 || r.to[0] != enginetest.Receiver+"@xa.example.vn" {
			t.Errorf("rule: recipients resolved to the desk officer's address; rcpt %v", r.to)
		}
		p := parse(t, r)
		bySubject[p.subject] = p
	}
	rem, ok := bySubject[`[Nhắc hạn] Hồ sơ XA01-260302-0001 sắp đến hạn bước "Tiếp nhận" (03/03/2026 09:00)`]
	if !ok {
		t.Fatalf("no reminder with the expected Vietnamese subject among %v", keys(bySubject))
	}
	for _, want := range []string{"Thủ tục mẫu (TEST.01)", "Hạn xử lý bước: 03/03/2026 09:00", "Thời gian còn lại: 4 giờ",
		"Hạn trả kết quả: 09/03/2026 09:00", "https://motcua.example.vn/dossiers/XA01-260302-0001", "Nguyễn Thị Tiếp"} {
		if !strings.Contains(rem.body, want) {
			t.Errorf("reminder body lacks %q:\n%s", want, rem.body)
		}
	}
	if rem.messageID != "<XA01-260302-0001/v1/g1/r1@xa.example.vn>" {
		t.Errorf("rule: the Message-ID carries the notification ID; got %q", rem.messageID)
	}
	breach, ok := bySubject[`[Quá hạn] Hồ sơ XA01-260302-0001 đã quá hạn bước "Tiếp nhận"`]
	if !ok {
		t.Fatalf("no breach subject among %v", keys(bySubject))
	}
	if !strings.Contains(breach.body, "Đã quá hạn: 1 giờ") {
		t.Errorf("rule: the breach says how late in working time:\n%s", breach.body)
	}
	for _, n := range ns {
		if s := box.get(n.ID); s.Status != engine.NotificationSent || s.Attempts != 1 || s.SentAt == nil {
			t.Errorf("%s recorded as %s after %d attempts", n.ID, s.Status, s.Attempts)
		}
	}
	if sent, _, _ := d.DispatchOnce(context.Background(), tuesday10.Add(time.Hour)); sent != 0 {
		t.Error("rule: a sent notification is not sent again")
	}
}

func keys(m map[string]parsed) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestSMTPDownThenBackDeliversOnce(t *testing.T) {
	t.Parallel()
	// Reserve a loopback port, then leave it closed: the server is down.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	box := newOutbox(decided(t, monday14)...)
	d := &notify.Dispatcher{Store: box, Channels: []notify.Channel{smtpChannel(t, addr)}, Directory: directory(t)}
	ctx := context.Background()
	now := monday14
	sent, failed, err := d.DispatchOnce(ctx, now)
	if err != nil || sent != 0 || failed != 1 {
		t.Fatalf("with the server down: sent %d failed %d err %v", sent, failed, err)
	}
	n := box.get("XA01-260302-0001/v1/g1/r1")
	if n.Status != engine.NotificationPending || n.Attempts != 1 || !n.NextAttempt.Equal(now.Add(time.Minute)) || n.LastError == "" {
		t.Fatalf("rule: a failed attempt is retried after the backoff; got %+v", n)
	}
	if sent, failed, _ := d.DispatchOnce(ctx, now.Add(30*time.Second)); sent+failed != 0 {
		t.Error("rule: no retry before the backoff has passed")
	}
	sink := startMailSink(t, addr) // the server is back on the same address
	if sent, failed, err := d.DispatchOnce(ctx, now.Add(time.Minute)); sent != 1 || failed != 0 || err != nil {
		t.Fatalf("server back: sent %d failed %d err %v", sent, failed, err)
	}
	d.DispatchOnce(ctx, now.Add(time.Hour))
	if got := len(sink.messages()); got != 1 {
		t.Errorf("rule: delivered exactly once; the server received %d", got)
	}
}

func TestCrashBetweenDecidingAndSending(t *testing.T) {
	t.Parallel()
	sink := startMailSink(t, "127.0.0.1:0")
	ns := decided(t, monday14)
	box := newOutbox()
	// The sweep records the decision, then the process dies before any
	// dispatcher runs: nothing was sent, the outbox still has it.
	for _, n := range ns {
		if ok, _ := box.AddNotification(context.Background(), n); !ok {
			t.Fatal("not recorded")
		}
	}
	if len(sink.messages()) != 0 {
		t.Fatal("sent before dispatch")
	}
	fresh := &notify.Dispatcher{Store: box, Channels: []notify.Channel{smtpChannel(t, sink.addr)}, Directory: directory(t)}
	if sent, _, err := fresh.DispatchOnce(context.Background(), monday14); sent != 1 || err != nil {
		t.Fatalf("rule: a fresh dispatcher delivers what a dead process decided; sent %d err %v", sent, err)
	}
	if got := len(sink.messages()); got != 1 {
		t.Errorf("delivered %d times, want once", got)
	}
}

func TestCrashBetweenSendingAndMarkingResendsWithSameKey(t *testing.T) {
	t.Parallel()
	sink := startMailSink(t, "127.0.0.1:0")
	box := newOutbox(decided(t, monday14)...)
	box.failUpdates = 1 // the process dies after the server accepted the mail
	ch := smtpChannel(t, sink.addr)
	first := &notify.Dispatcher{Store: box, Channels: []notify.Channel{ch}, Directory: directory(t)}
	if _, _, err := first.DispatchOnce(context.Background(), monday14); err == nil {
		t.Fatal("the failed bookkeeping must surface as an error")
	}
	second := &notify.Dispatcher{Store: box, Channels: []notify.Channel{ch}, Directory: directory(t)}
	if sent, _, err := second.DispatchOnce(context.Background(), monday14); sent != 1 || err != nil {
		t.Fatalf("sent %d err %v", sent, err)
	}
	got := sink.messages()
	if len(got) != 2 {
		t.Fatalf("received %d, want the message and its resend", len(got))
	}
	a, b := parse(t, got[0]), parse(t, got[1])
	if a.messageID == "" || a.messageID != b.messageID {
		t.Errorf("rule: a resend carries the same idempotency key; %q vs %q", a.messageID, b.messageID)
	}
}

func TestWebhookIsSignedAndRetried(t *testing.T) {
	t.Parallel()
	secret := []byte("bí mật chung")
	now := monday14
	var mu sync.Mutex
	var keys []string
	var payloads []notify.WebhookPayload
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get(notify.HeaderKeyID) != "k1" {
			http.Error(w, "unknown key", http.StatusUnauthorized)
			return
		}
		err := notify.Verify(secret, r.Header.Get(notify.HeaderTimestamp), body, r.Header.Get(notify.HeaderSignature), now, 5*time.Minute)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		calls++
		keys = append(keys, r.Header.Get(notify.HeaderIdempotencyKey))
		if calls == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		var p notify.WebhookPayload
		if err := json.Unmarshal(body, &p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		payloads = append(payloads, p)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	box := newOutbox(decided(t, monday14)...)
	hook := &notify.Webhook{URL: srv.URL, KeyID: "k1", Secret: secret, Now: func() time.Time { return now }}
	d := &notify.Dispatcher{Store: box, Channels: []notify.Channel{hook}, Directory: directory(t)}
	if _, failed, _ := d.DispatchOnce(context.Background(), now); failed != 1 {
		t.Fatal("rule: a non-2xx answer is a failed attempt")
	}
	if sent, _, _ := d.DispatchOnce(context.Background(), now.Add(time.Minute)); sent != 1 {
		t.Fatal("not delivered on retry")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(keys) != 2 || keys[0] != "XA01-260302-0001/v1/g1/r1" || keys[0] != keys[1] {
		t.Errorf("rule: every attempt carries the notification ID as Idempotency-Key; got %v", keys)
	}
	if len(payloads) != 1 || payloads[0].Kind != engine.NoteReminder || !strings.HasPrefix(payloads[0].Subject, "[Nhắc hạn]") ||
		payloads[0].Recipients[0].Email != enginetest.Receiver+"@xa.example.vn" {
		t.Errorf("payload = %+v", payloads)
	}
}

func TestVerifyRejectsForgeries(t *testing.T) {
	t.Parallel()
	secret := []byte("s")
	now := time.Unix(1_800_000_000, 0)
	ts := "1800000000"
	body := []byte(`{"id":"a"}`)
	sig := notify.Sign(secret, ts, body)
	tests := []struct {
		name    string
		secret  []byte
		ts      string
		body    []byte
		sig     string
		now     time.Time
		wantErr error
	}{
		{"a genuine request passes", secret, ts, body, sig, now, nil},
		{"a changed body fails", secret, ts, []byte(`{"id":"b"}`), sig, now, notify.ErrBadSignature},
		{"another key fails", []byte("t"), ts, body, sig, now, notify.ErrBadSignature},
		{"a changed timestamp fails", secret, "1800000001", body, sig, now, notify.ErrBadSignature},
		{"a replay after the window fails", secret, ts, body, sig, now.Add(10 * time.Minute), notify.ErrStale},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := notify.Verify(tc.secret, tc.ts, tc.body, tc.sig, tc.now, 5*time.Minute); err != tc.wantErr {
				t.Errorf("Verify = %v, want %v", err, tc.wantErr)
			}
		})
	}
	if !strings.HasPrefix(sig, "sha256=") || len(sig) != len("sha256=")+64 {
		t.Errorf("signature format %q", sig)
	}
}

func TestRetryBudgetEndsInFailed(t *testing.T) {
	t.Parallel()
	box := newOutbox(decided(t, monday14)...)
	ch := &failing{name: "x", n: -1}
	d := &notify.Dispatcher{Store: box, Channels: []notify.Channel{ch}, Directory: directory(t), MaxAttempts: 3,
		Backoff: func(int) time.Duration { return time.Second }}
	now := monday14
	for i := 0; i < 5; i++ {
		d.DispatchOnce(context.Background(), now)
		now = now.Add(time.Second)
	}
	n := box.get("XA01-260302-0001/v1/g1/r1")
	if n.Status != engine.NotificationFailed || n.Attempts != 3 {
		t.Errorf("rule: after the retry budget the notification is failed; got %s after %d attempts", n.Status, n.Attempts)
	}
}

func TestNotificationChannelRestriction(t *testing.T) {
	t.Parallel()
	ns := decided(t, monday14)
	ns[0].Channel = "b"
	other := ns[0]
	other.ID, other.Channel = "only-z", "z"
	box := newOutbox(ns[0], other)
	a, b := &failing{name: "a"}, &failing{name: "b"}
	d := &notify.Dispatcher{Store: box, Channels: []notify.Channel{a, b}, Directory: directory(t)}
	sent, failed, _ := d.DispatchOnce(context.Background(), monday14)
	if sent != 1 || failed != 1 || len(a.got) != 0 || len(b.got) != 1 {
		t.Errorf("rule: a notification with a channel goes to that channel only; sent %d failed %d a=%v b=%v", sent, failed, a.got, b.got)
	}
	if n := box.get("only-z"); !strings.Contains(n.LastError, `no channel named "z"`) {
		t.Errorf("last error %q", n.LastError)
	}
}

func TestLogChannel(t *testing.T) {
	t.Parallel()
	var sb strings.Builder
	box := newOutbox(decided(t, monday14)...)
	d := &notify.Dispatcher{Store: box, Channels: []notify.Channel{&notify.Log{W: &sb}}, Directory: directory(t)}
	d.DispatchOnce(context.Background(), monday14)
	want := `notify id=XA01-260302-0001/v1/g1/r1 kind=reminder level=1 to=tiep-nhan-01 subject="[Nhắc hạn]`
	if !strings.HasPrefix(sb.String(), want) || strings.Count(sb.String(), "\n") != 1 {
		t.Errorf("log = %q", sb.String())
	}
}

func TestTemplatesCanBeOverridden(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "vi"), 0o755)
	os.WriteFile(filepath.Join(dir, "vi", "reminder.tmpl"),
		[]byte(`{{define "subject"}}Sắp hết hạn: {{.Data.code}}{{end}}{{define "body"}}{{template "names" .}}: hạn {{datetime .Data.deadline}}{{end}}`), 0o644)
	tpl := &notify.Templates{Dir: dir}
	if err := tpl.Check(); err != nil {
		t.Fatal(err)
	}
	n := decided(t, monday14)[0]
	m, err := tpl.Message(n, directory(t))
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Sắp hết hạn: XA01-260302-0001" || m.Body != "Nguyễn Thị Tiếp: hạn 03/03/2026 09:00\n" {
		t.Errorf("rule: an admin's file replaces the default; got %q / %q", m.Subject, m.Body)
	}
	n.Kind = "something_new"
	if m, err := tpl.Message(n, directory(t)); err != nil || !strings.Contains(m.Subject, "something_new") {
		t.Errorf("rule: a kind without a template uses default.tmpl; got %q, %v", m.Subject, err)
	}
	en := &notify.Templates{Lang: "en"}
	n.Kind = engine.NoteReminder
	if m, _ := en.Message(n, directory(t)); !strings.HasPrefix(m.Subject, `[Reminder] Dossier XA01-260302-0001: step "Received" due 03/03/2026 09:00`) {
		t.Errorf("English subject %q", m.Subject)
	}

	broken := t.TempDir()
	os.MkdirAll(filepath.Join(broken, "vi"), 0o755)
	os.WriteFile(filepath.Join(broken, "vi", "breach.tmpl"), []byte(`{{define "subject"}}{{.Data.code{{end}}`), 0o644)
	if err := (&notify.Templates{Dir: broken}).Check(); err == nil || !strings.Contains(err.Error(), "breach.tmpl") {
		t.Errorf("rule: a broken admin template shows at start-up, naming the file; got %v", err)
	}
}

func TestEveryDefaultTemplateRenders(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"vi", "en"} {
		tpl := &notify.Templates{Lang: lang}
		if err := tpl.Check(); err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{engine.NoteReminder, engine.NoteBreach, engine.NoteEscalation, engine.NoteApologyDue, engine.NoteDigest, engine.NoteHandover} {
			n := decided(t, tuesday10)[0]
			n.Kind = kind
			m, err := tpl.Message(n, directory(t))
			if err != nil || m.Subject == "" || strings.Contains(m.Subject+m.Body, "<no value>") {
				t.Errorf("%s/%s: %q %q %v", lang, kind, m.Subject, m.Body, err)
			}
		}
	}
}

func TestFormatWork(t *testing.T) {
	t.Parallel()
	tests := []struct{ work, lang, want string }{
		{"0s", "vi", "0 phút"},
		{"2h30m0s", "vi", "2 giờ 30 phút"},
		{"9h0m0s", "vi", "1 ngày làm việc 1 giờ"},
		{"16h0m0s", "en", "2 working days"},
		{"8h15m0s", "en", "1 working day 15 min"},
	}
	for _, tc := range tests {
		if got := notify.FormatWork(tc.work, "8h0m0s", tc.lang); got != tc.want {
			t.Errorf("FormatWork(%s, %s) = %q, want %q", tc.work, tc.lang, got, tc.want)
		}
	}
}

func TestDefaultBackoffDoublesToACap(t *testing.T) {
	t.Parallel()
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}
	for i, w := range want {
		if got := notify.DefaultBackoff(i + 1); got != w {
			t.Errorf("after failure %d: %s, want %s", i+1, got, w)
		}
	}
	if got := notify.DefaultBackoff(30); got != 4*time.Hour {
		t.Errorf("cap: %s", got)
	}
}
