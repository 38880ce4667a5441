package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/template"
)

// SMS sends the applicant's notices through an HTTP SMS gateway (the
// brandname gateways of the telecom operators, or the province's own):
// one JSON POST per message, with a bearer token, the notification ID in
// an Idempotency-Key header and in the body, so that a gateway that
// dedupes drops the resend of a message whose delivery was not recorded.
// A 2xx answer means accepted; anything else is retried by the
// dispatcher with the same ID.
type SMS struct {
	// URL receives the POST.
	URL string
	// Token is sent as "Authorization: Bearer <Token>" when set.
	Token string
	// Body, when set, renders the request body instead of SMSPayload's
	// JSON: a text/template executed with SMSPayload, with "json"
	// quoting a value as a JSON string — for a gateway that wants its
	// own field names. Parse it with ParseSMSBody.
	Body *template.Template
	// Client defaults to one with a 30 s timeout.
	Client *http.Client
}

// SMSPayload is the default JSON body of an SMS request.
type SMSPayload struct {
	// ID is the notification ID, the receiver's dedupe key.
	ID string `json:"id"`
	// To is the applicant's telephone number, national form (0912345678).
	To string `json:"to"`
	// Text is the message, in GSM-7 (Vietnamese without diacritics).
	Text    string `json:"text"`
	Kind    string `json:"kind"`
	Dossier string `json:"dossier,omitempty"`
}

// ParseSMSBody parses a gateway body template (see SMS.Body).
func ParseSMSBody(name, src string) (*template.Template, error) {
	return template.New(name).Option("missingkey=error").Funcs(template.FuncMap{
		"json": func(s string) (string, error) {
			b, err := json.Marshal(s)
			return string(b), err
		},
	}).Parse(src)
}

// Name implements Channel.
func (s *SMS) Name() string { return "sms" }

// Send implements Channel: m goes to its recipients with a telephone
// number (the applicant), when it has an SMS text. A staff notice has
// neither and is not an error: there is nobody to text.
func (s *SMS) Send(ctx context.Context, m Message) error {
	if m.SMS == "" {
		return nil
	}
	var errs []error
	for _, r := range m.Recipients {
		if r.Phone == "" {
			continue
		}
		if err := s.post(ctx, SMSPayload{ID: m.ID, To: r.Phone, Text: m.SMS, Kind: m.Notification.Kind, Dossier: m.Notification.Dossier}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *SMS) post(ctx context.Context, p SMSPayload) error {
	var body []byte
	if s.Body != nil {
		var b bytes.Buffer
		if err := s.Body.Execute(&b, p); err != nil {
			return fmt.Errorf("sms body template: %w", err)
		}
		body = b.Bytes()
	} else {
		var err error
		if body, err = json.Marshal(p); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("sms gateway: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderIdempotencyKey, p.ID)
	if s.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	c := s.Client
	if c == nil {
		c = defaultHTTP
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("sms gateway: %w", err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sms gateway: %s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}
