package notify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/wneessen/go-mail"
)

// SMTP sends messages as plain-text e-mail through an SMTP server, with
// github.com/wneessen/go-mail. Each Send opens its own connection, so the
// channel holds no connection state between rounds and is safe for
// concurrent use.
type SMTP struct {
	// Host and Port of the server (Port default 587).
	Host string
	Port int
	// From is the sender, e.g. "Một cửa UBND xã <motcua@example.gov.vn>".
	From string
	// TLS is the STARTTLS policy: mail.TLSMandatory (the zero value, the
	// safe default), mail.TLSOpportunistic, or mail.NoTLS for a plain
	// server such as a local relay or a test server.
	TLS mail.TLSPolicy
	// Username and Password enable SMTP AUTH when Username is set; Auth
	// picks the mechanism (default mail.SMTPAuthAutoDiscover: the
	// strongest the server offers).
	Username string
	Password string
	Auth     mail.SMTPAuthType
	// Timeout bounds connecting and sending (default 30 s).
	Timeout time.Duration
	// MessageIDDomain is the right-hand side of Message-IDs (default:
	// the domain of From).
	MessageIDDomain string
}

// Name implements Channel.
func (s *SMTP) Name() string { return "email" }

// Send mails m to its recipients that have an e-mail address. A message
// without any is not an error: there is nobody to mail, and retrying
// would not change that (the other channels still carry it).
func (s *SMTP) Send(ctx context.Context, m Message) error {
	var to []string
	for _, r := range m.Recipients {
		if r.Email != "" {
			to = append(to, r.Email)
		}
	}
	if len(to) == 0 {
		return nil
	}
	msg := mail.NewMsg(mail.WithCharset(mail.CharsetUTF8))
	if err := msg.From(s.From); err != nil {
		return fmt.Errorf("from %q: %w", s.From, err)
	}
	if err := msg.To(to...); err != nil {
		return fmt.Errorf("to %v: %w", to, err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	// The notification ID is the idempotency key: a resend after a crash
	// carries the same Message-ID, which mail systems deduplicate on.
	msg.SetMessageIDWithValue(MessageID(m.ID, s.domain()))
	msg.SetGenHeader("X-Motcua-Notification-Id", m.ID)
	msg.SetGenHeader("X-Motcua-Kind", m.Notification.Kind)
	msg.SetDateWithValue(m.Notification.At)

	port := s.Port
	if port == 0 {
		port = 587
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	opts := []mail.Option{mail.WithPort(port), mail.WithTLSPolicy(s.TLS), mail.WithTimeout(timeout)}
	if s.Username != "" {
		auth := s.Auth
		if auth == "" {
			auth = mail.SMTPAuthAutoDiscover
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(s.Username), mail.WithPassword(s.Password))
	}
	c, err := mail.NewClient(s.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp %s:%d: %w", s.Host, port, err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp %s:%d: %w", s.Host, port, err)
	}
	return nil
}

func (s *SMTP) domain() string {
	if s.MessageIDDomain != "" {
		return s.MessageIDDomain
	}
	from := strings.TrimSuffix(strings.TrimSpace(s.From), ">")
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i+1 < len(from) {
		return from[i+1:]
	}
	return "motcua.local"
}

// MessageID returns the Message-ID (without angle brackets) of the
// notification id: the id with characters not allowed in an RFC 5322
// dot-atom replaced by "_" and "@domain" appended.
func MessageID(id, domain string) string {
	b := []byte(id)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$%&'*+-/=?^_`{|}~.", c) >= 0
		if !ok {
			b[i] = '_'
		}
	}
	return string(b) + "@" + domain
}
