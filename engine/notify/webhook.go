package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua/engine"
)

// Webhook headers. The signature covers the timestamp and the body, so a
// receiver can reject both forged and replayed requests.
const (
	HeaderKeyID          = "X-Motcua-Key-Id"
	HeaderTimestamp      = "X-Motcua-Timestamp" // Unix seconds
	HeaderSignature      = "X-Motcua-Signature" // "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body))
	HeaderIdempotencyKey = "Idempotency-Key"    // the notification ID, the same on every resend
)

// Webhook POSTs each message as JSON (WebhookPayload), signed with
// HMAC-SHA256, to a URL: a chat bot, the provincial system. A 2xx
// response means delivered; anything else is retried.
type Webhook struct {
	// URL receives the POST.
	URL string
	// KeyID names the secret, so that receivers can rotate keys.
	KeyID string
	// Secret is the shared HMAC key.
	Secret []byte
	// Client defaults to one with a 30 s timeout.
	Client *http.Client
	// Now stamps the requests (nil: the system clock).
	Now engine.Clock
	// ChannelName overrides Name (default "webhook"), to tell several
	// webhooks apart.
	ChannelName string
}

// WebhookPayload is the JSON body of a webhook request.
type WebhookPayload struct {
	ID         string            `json:"id"`
	Kind       string            `json:"kind"`
	Level      int               `json:"level"`
	Dossier    string            `json:"dossier,omitempty"`
	To         []string          `json:"to"`
	Recipients []Recipient       `json:"recipients"`
	At         time.Time         `json:"at"`
	Subject    string            `json:"subject"`
	Body       string            `json:"body"`
	Link       string            `json:"link,omitempty"`
	Lang       string            `json:"lang"`
	Data       map[string]string `json:"data,omitempty"`
}

// Name implements Channel.
func (w *Webhook) Name() string {
	if w.ChannelName != "" {
		return w.ChannelName
	}
	return "webhook"
}

var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

// Send implements Channel.
func (w *Webhook) Send(ctx context.Context, m Message) error {
	n := m.Notification
	body, err := json.Marshal(WebhookPayload{
		ID: m.ID, Kind: n.Kind, Level: n.Level, Dossier: n.Dossier, To: n.To, Recipients: m.Recipients,
		At: n.At, Subject: m.Subject, Body: m.Body, Link: m.Link, Lang: m.Lang, Data: n.Data,
	})
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(w.Now.Time().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set(HeaderIdempotencyKey, m.ID)
	req.Header.Set(HeaderKeyID, w.KeyID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(w.Secret, ts, body))
	c := w.Client
	if c == nil {
		c = defaultHTTP
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook %s: %s %s", w.URL, resp.Status, bytes.TrimSpace(snippet))
	}
	return nil
}

// Sign returns the signature header value of body sent at timestamp ts:
// "sha256=" + hex(HMAC-SHA256(secret, ts + "." + body)).
func Sign(secret []byte, ts string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Errors of Verify.
var (
	ErrBadSignature = errors.New("webhook signature does not match")
	ErrStale        = errors.New("webhook timestamp outside the accepted window")
)

// Verify checks a received webhook request: the signature over ts and
// body, in constant time, and that ts is within tolerance of now (zero
// tolerance skips the time check). Receivers written in Go can use it
// as is.
func Verify(secret []byte, ts string, body []byte, signature string, now time.Time, tolerance time.Duration) error {
	if !hmac.Equal([]byte(Sign(secret, ts, body)), []byte(signature)) {
		return ErrBadSignature
	}
	if tolerance > 0 {
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err != nil {
			return ErrStale
		}
		if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
			return ErrStale
		}
	}
	return nil
}
