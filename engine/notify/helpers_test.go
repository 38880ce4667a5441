package notify_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
)

// outbox is the notification half of an engine.Store, in memory: what the
// dispatcher uses. The other methods are not implemented (calling one
// panics on the nil embedded interface), which keeps the dispatcher
// honest about what it touches.
type outbox struct {
	engine.Store
	mu sync.Mutex
	ns map[string]engine.Notification
	// failUpdates makes the next n UpdateNotification calls fail, as a
	// process dying right after sending would.
	failUpdates int
}

func newOutbox(ns ...engine.Notification) *outbox {
	o := &outbox{ns: map[string]engine.Notification{}}
	for _, n := range ns {
		o.ns[n.ID] = n
	}
	return o
}

func (o *outbox) AddNotification(_ context.Context, n engine.Notification) (bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.ns[n.ID]; ok {
		return false, nil
	}
	o.ns[n.ID] = n
	return true, nil
}

func (o *outbox) PendingNotifications(_ context.Context, now time.Time, limit int) ([]engine.Notification, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []engine.Notification
	for _, n := range o.ns {
		if n.Status == engine.NotificationPending && !n.NextAttempt.After(now) {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (o *outbox) UpdateNotification(_ context.Context, n, prev engine.Notification) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failUpdates > 0 {
		o.failUpdates--
		return errors.New("store unreachable")
	}
	// The contract's condition, as both stores keep it.
	if cur := o.ns[n.ID]; cur.Status != prev.Status || cur.Attempts != prev.Attempts {
		return &engine.NotificationChangedError{ID: n.ID, Status: prev.Status, Attempts: prev.Attempts}
	}
	o.ns[n.ID] = n
	return nil
}

func (o *outbox) get(id string) engine.Notification {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.ns[id]
}

// mailSink is an in-process SMTP server (github.com/emersion/go-smtp) on
// loopback that keeps every message it accepts.
type mailSink struct {
	addr string
	srv  *smtp.Server
	mu   sync.Mutex
	msgs []received
}

type received struct {
	from string
	to   []string
	data []byte
}

type sinkSession struct {
	s    *mailSink
	from string
	to   []string
}

func (x *sinkSession) Reset()        { x.from, x.to = "", nil }
func (x *sinkSession) Logout() error { return nil }
func (x *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}
func (x *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	x.s.msgs = append(x.s.msgs, received{from: x.from, to: slices.Clone(x.to), data: b})
	x.s.mu.Unlock()
	return nil
}

// startMailSink serves SMTP on addr ("127.0.0.1:0" for any port) until the
// test ends.
func startMailSink(t *testing.T, addr string) *mailSink {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	s := &mailSink{addr: l.Addr().String()}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	go s.srv.Serve(l)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

func (s *mailSink) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.msgs)
}

// parsed is a received message decoded the way a mail client would.
type parsed struct {
	subject, body, messageID string
	header                   mail.Header
}

func parse(t *testing.T, r received) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(r.data))
	if err != nil {
		t.Fatalf("unreadable message: %v\n%s", err, r.data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject %q: %v", m.Header.Get("Subject"), err)
	}
	var body io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(m.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return parsed{subject: subject, body: string(b), messageID: m.Header.Get("Message-Id"), header: m.Header}
}

// directory is enginetest's commune with e-mail addresses.
func directory(t testing.TB) *engine.Directory {
	t.Helper()
	src := enginetest.SampleDirectory()
	var units []engine.Unit
	for _, u := range src.Units() {
		units = append(units, *u)
	}
	var people []engine.Person
	for _, p := range src.People() {
		q := *p
		q.Email = p.ID + "@xa.example.vn"
		people = append(people, q)
	}
	d, err := engine.NewDirectory(units, people)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// decided returns the notifications the deadline watch decides for a
// sample dossier received Monday 2 March 2026 09:00 and checked at now
// (the desk's 1-working-day step is due Tue 09:00: reminder from Mon
// 13:00, breach at Tue 09:00).
func decided(t testing.TB, now time.Time) []engine.Notification {
	t.Helper()
	env := engine.Env{Procedure: enginetest.SampleProcedure(), Directory: directory(t), Calendar: calendar.VN()}
	dec, err := engine.Receive(env, enginetest.SampleReception("Nguyễn Văn Án"), "XA01-260302-0001", enginetest.Monday)
	if err != nil {
		t.Fatal(err)
	}
	c, changed, err := engine.Check(env, dec.Dossier, now)
	if err != nil || !changed {
		t.Fatalf("check: changed=%v err=%v", changed, err)
	}
	return c.Notifications
}

// failing is a channel that fails its first n sends, then records.
type failing struct {
	name string
	n    int
	mu   sync.Mutex
	got  []string
}

func (f *failing) Name() string { return f.name }
func (f *failing) Send(_ context.Context, m notifyMessage) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n != 0 {
		if f.n > 0 {
			f.n--
		}
		return errors.New("channel down")
	}
	f.got = append(f.got, m.ID)
	return nil
}
