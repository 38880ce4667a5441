package httpapi

import (
	"maps"
	"time"

	"github.com/motcua/motcua/engine"
)

// A retried request with the same Idempotency-Key is answered with the
// first result; the same key with a different body is a client bug (a key
// reused for another request) that silently returned the wrong dossier
// (issue 15 item 7). The engine replays by key alone, so the API checks
// that the replayed record says what this body says, and answers 422
// otherwise.

// reusedKey is the error of a key replayed with another body.
func reusedKey() error {
	return errorf(engine.EINVALID, "Khoá chống lặp (Idempotency-Key) đã được dùng cho một yêu cầu khác nội dung.",
		"The Idempotency-Key was already used for a request with a different body.")
}

// sameInputs compares inputs as the history keeps them, leaving out the
// issuer the server stamps.
func sameInputs(a, b map[string]string) bool {
	strip := func(m map[string]string) map[string]string {
		if _, ok := m[TokenIssuerInput]; !ok {
			return m
		}
		c := maps.Clone(m)
		delete(c, TokenIssuerInput)
		return c
	}
	return maps.Equal(strip(a), strip(b))
}

// checkReceptionReplay returns an error when d, the dossier a reception
// with key gave, was received with another body than req.
func checkReceptionReplay(key string, req receiveRequest, d *engine.Dossier) error {
	if key == "" || d == nil {
		return nil
	}
	ch := req.Channel
	if ch == "" {
		ch = engine.ChannelCounter
	}
	var first map[string]string
	if len(d.History) > 0 {
		first = d.History[0].Inputs
	}
	same := req.Procedure == d.Procedure &&
		(req.Version == 0 || req.Version == d.ProcedureVersion) &&
		ch == d.Channel && req.Applicant == d.Applicant && sameInputs(req.Inputs, first) &&
		(req.ReceivedAt == nil || req.ReceivedAt.UTC().Truncate(time.Millisecond).Equal(d.ReceivedAt.UTC()))
	if !same {
		return reusedKey()
	}
	return nil
}

// checkActionReplay returns an error when d's history row recorded under
// key is another action or other inputs than asked now.
func checkActionReplay(key, action string, inputs map[string]string, d *engine.Dossier) error {
	if key == "" || d == nil {
		return nil
	}
	for _, h := range d.History {
		if h.IdempotencyKey == key {
			if h.Action != action || !sameInputs(h.Inputs, inputs) {
				return reusedKey()
			}
			return nil
		}
	}
	return nil
}
