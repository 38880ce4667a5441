package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/motcua/motcua/engine"
)

// The dossier's contents over the API (issue 10): the checklist refusal's
// guidance link, and recording a fee payment.

// withGuidance points a checklist refusal at the printable supplement
// guidance (form 02) for what is missing under procedure code; other
// errors pass unchanged.
func withGuidance(err error, code string) error {
	var inc *engine.IncompleteError
	if !errors.As(err, &inc) {
		return err
	}
	ids := make([]string, len(inc.Missing))
	for i, m := range inc.Missing {
		ids[i] = m.ID
	}
	inc.Guidance = guidanceURL(code, ids)
	return err
}

// guidanceURL is the page of the supplement guidance for the components
// ids of procedure code.
func guidanceURL(code string, ids []string) string {
	return "/procedures/" + url.PathEscape(code) + "/guidance?" + url.Values{"missing": {strings.Join(ids, ",")}}.Encode()
}

// payRequest is the body of POST /dossiers/{code}/payments.
type payRequest struct {
	Fee       string           `json:"fee"`
	Method    engine.PayMethod `json:"method"`
	Reference string           `json:"reference,omitempty"`
	Receipt   string           `json:"receipt"`
}

// pay records a payment for p, who must be allowed to act and to read
// the dossier (a dossier they may not read is not theirs to collect on).
func (s *Server) pay(r *http.Request, p *engine.Person, code string, req payRequest, expect int64) (*engine.Dossier, error) {
	if err := requireActor(p); err != nil {
		return nil, err
	}
	if _, err := s.readable(r, p, code); err != nil {
		if engine.ErrorCode(err) == engine.EFORBIDDEN {
			return nil, &engine.ForbiddenError{Person: p.ID, Reason: "the dossier is not with your units"}
		}
		return nil, err
	}
	return s.eng.Pay(r.Context(), code, engine.PayInput{Actor: p.ID, Fee: req.Fee, Method: req.Method, Reference: req.Reference, Receipt: req.Receipt}, expect)
}

func (s *Server) apiPay(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	var req payRequest
	if err := decodeJSON(w, r, s.maxBody, &req); err != nil {
		return err
	}
	expect, err := ifMatch(r)
	if err != nil {
		return err
	}
	d, err := s.pay(r, p, r.PathValue("code"), req, expect)
	if err != nil {
		return err
	}
	return s.writeDossier(w, r, d, p)
}

// checkContentsReplay extends checkReceptionReplay to the checklist and
// the copies asked: a key retried with another checklist is a reused key,
// not the same reception.
func (s *Server) checkContentsReplay(key string, req receiveRequest, d *engine.Dossier) error {
	if key == "" || d == nil {
		return nil
	}
	p, err := s.eng.Catalog.Get(d.Procedure, d.ProcedureVersion)
	if err != nil {
		return nil // the procedure check above already compared what it could
	}
	got, err := engine.CheckComponents(p, req.Components)
	if err != nil || !slices.Equal(got, d.Components) || !slices.Equal(engine.FeesAt(p, req.Copies), unpaid(d.Fees)) {
		return reusedKey()
	}
	return nil
}

// unpaid is fees as they were charged at reception, before any payment.
func unpaid(fees []engine.FeeRecord) []engine.FeeRecord {
	out := make([]engine.FeeRecord, len(fees))
	for i, f := range fees {
		out[i] = engine.FeeRecord{ID: f.ID, Amount: f.Amount, Copies: f.Copies}
	}
	return out
}
