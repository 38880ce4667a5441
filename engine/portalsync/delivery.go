package portalsync

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua/engine"
)

// Request headers of a delivery.
const (
	// HeaderRecordID carries the record id, the same on every resend: the
	// receiver's key to drop duplicates.
	HeaderRecordID = "Idempotency-Key"
	// HeaderDossier names the dossier, so that a receiver can route the
	// record before parsing it.
	HeaderDossier = "X-Motcua-Dossier"
)

// Ack is the receiver's answer to a delivery (any 2xx). Duplicate is true
// when it already had the record id: the delivery is still a success.
type Ack struct {
	Duplicate bool `json:"duplicate"`
}

// Delivery POSTs sync records to the portal's endpoint. It is the
// dispatcher's Route for engine.NotePortalSync.
type Delivery struct {
	// Store holds the outbox: Hold reads the dossier's earlier records.
	Store engine.Store
	// URL receives one POST per record.
	URL string
	// Token is sent as "Authorization: Bearer <token>"; empty sends none.
	Token string
	// Client defaults to one with a 30 s timeout.
	Client *http.Client

	delivered  atomic.Int64
	duplicates atomic.Int64
	failures   atomic.Int64
}

var defaultClient = &http.Client{Timeout: 30 * time.Second}

// Delivered, Duplicates and Failures count this process's deliveries:
// acknowledged records, those the receiver already had (sent again after a
// crash or a lost acknowledgement), and failed attempts.
func (s *Delivery) Delivered() int64  { return s.delivered.Load() }
func (s *Delivery) Duplicates() int64 { return s.duplicates.Load() }
func (s *Delivery) Failures() int64   { return s.failures.Load() }

// Deliver POSTs n's payload. A 2xx answer acknowledges it; anything else,
// or no answer, is a failure the dispatcher retries.
func (s *Delivery) Deliver(ctx context.Context, n engine.Notification) error {
	body := n.Data[engine.SyncPayloadKey]
	if body == "" {
		return fmt.Errorf("sync record %s has no payload", n.ID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader([]byte(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set(HeaderRecordID, n.ID)
	req.Header.Set(HeaderDossier, n.Dossier)
	if s.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	c := s.Client
	if c == nil {
		c = defaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		s.failures.Add(1)
		return fmt.Errorf("portal: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		s.failures.Add(1)
		snippet := answer
		if len(snippet) > 200 {
			snippet = snippet[:200]
		}
		return fmt.Errorf("portal answered %s %s", resp.Status, bytes.TrimSpace(snippet))
	}
	s.delivered.Add(1)
	var ack Ack
	if json.Unmarshal(answer, &ack) == nil && ack.Duplicate {
		s.duplicates.Add(1)
	}
	return nil
}

// Hold holds n while an earlier sync record of its dossier is pending,
// until that record's next attempt: the receiver must never see record
// n+1 before record n.
func (s *Delivery) Hold(ctx context.Context, n engine.Notification, now time.Time) (time.Time, bool, error) {
	ns, err := s.Store.NotificationsOfKind(ctx, n.Dossier, engine.NotePortalSync, true)
	if err != nil {
		return time.Time{}, false, err
	}
	var until time.Time
	held := false
	for _, m := range ns {
		if m.ID == n.ID || !before(m, n) {
			continue
		}
		held = true
		if m.NextAttempt.After(until) {
			until = m.NextAttempt
		}
	}
	return until, held, nil
}

// before reports whether sync record a goes before b: by the history row
// they report, then by when they were decided (a resync after the change
// it re-sends), then by id.
func before(a, b engine.Notification) bool {
	sa, sb := seq(a), seq(b)
	if sa != sb {
		return sa < sb
	}
	if !a.At.Equal(b.At) {
		return a.At.Before(b.At)
	}
	return a.ID < b.ID
}

func seq(n engine.Notification) int {
	v, _ := strconv.Atoi(n.Data["seq"])
	return v
}
