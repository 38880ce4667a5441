package httpapi

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"

	"github.com/motcua/motcua/engine"
)

// The public lookup (issue 12) says why a dossier is where it is — what
// is missing, why it was refused, where to collect the result, the
// appointment — and never who: no name, no number, nothing of the
// applicant or the officers. A petition (complaint, denunciation,
// recommendation) is not found by its code alone, since codes run in
// sequence: the lookup asks the last four digits of the telephone or ID
// number given at reception, and a wrong or missing one answers exactly
// like an unknown code. A procedure with public_lookup: false is never
// shown (Denunciations Law 2018 Art 47 protects the denouncer).

// FactorParam is the query parameter of the lookup's second factor.
const FactorParam = "factor"

// notFoundCode is the one answer of a lookup that finds nothing to show,
// whatever the reason: the same error the store gives for a code it does
// not hold.
func notFoundCode(code string) error { return &engine.NotFoundError{What: "dossier", ID: code} }

// lookup answers the public lookup of code, with factor the second factor
// typed (empty when none).
func (s *Server) lookup(r *http.Request, code, factor string) (LookupView, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" || len(code) > 64 {
		return LookupView{}, &engine.InvalidInputError{Field: "code", Reason: "want a dossier code such as UBND-XA-260302-0001"}
	}
	// The public reads any dossier, and sees only the LookupView of it.
	d, err := s.eng.Get(r.Context(), code)
	if err != nil {
		return LookupView{}, err
	}
	env, err := s.eng.EnvFor(d)
	if err != nil {
		return LookupView{}, err
	}
	p := env.Procedure
	if p.NoPublicLookup {
		return LookupView{}, notFoundCode(code)
	}
	if d.Kind.IsPetition() && !SecondFactorMatches(d.Applicant, factor) {
		return LookupView{}, notFoundCode(code)
	}
	l := lang(r)
	_, pname := s.procName(d, l)
	reasons := engine.ReasonsOf(env, d)
	d = d.In(s.eng.Calendar.Location())
	v := LookupView{Code: d.Code, ProcedureName: pname, StateName: stateName(p, d.State, l), Status: d.Status,
		AppointmentAt: d.AppointmentAt, DueAt: d.DueAt, Result: d.Result, FinishedAt: d.FinishedAt,
		SupplementReason: reasons.Supplement, RefusalReason: reasons.Refusal, CollectAt: s.collectAt(d, l)}
	if !reasons.SupplementBy.IsZero() {
		by := reasons.SupplementBy.In(s.eng.Calendar.Location())
		v.SupplementBy = &by
	}
	return v, nil
}

// collectAt is where the result is handed over: the place the desk wrote
// at reception, else the receiving unit.
func (s *Server) collectAt(d *engine.Dossier, lang string) string {
	if len(d.History) > 0 {
		if c := strings.TrimSpace(d.History[0].Inputs[inCollect]); c != "" {
			return c
		}
	}
	if u, ok := s.eng.Directory.Unit(d.ReceivingUnit); ok {
		return pick(u.Name, u.NameEN, lang)
	}
	return d.ReceivingUnit
}

// SecondFactorMatches reports whether factor is the last four digits of
// the applicant's telephone or ID number, compared in constant time. An
// applicant who gave neither cannot be looked up.
func SecondFactorMatches(a engine.Applicant, factor string) bool {
	factor = strings.TrimSpace(factor)
	if len(factor) != 4 {
		return false
	}
	ok := 0
	for _, n := range []string{engine.NormalizePhone(a.Phone), strings.TrimSpace(a.IDNo)} {
		if len(n) >= 4 {
			ok |= subtle.ConstantTimeCompare([]byte(n[len(n)-4:]), []byte(factor))
		}
	}
	return ok == 1
}

func (s *Server) apiLookup(w http.ResponseWriter, r *http.Request, _ *engine.Person) error {
	if err := s.limitLookup(w, r); err != nil {
		return err
	}
	v, err := s.lookup(r, r.PathValue("code"), r.URL.Query().Get(FactorParam))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// publicBase is the address the public reaches this server at: the
// public URL, else the base URL, else the request's own host.
func (s *Server) publicBase(r *http.Request) string {
	for _, b := range []string{s.cfg.PublicURL, s.cfg.BaseURL} {
		if b = strings.TrimRight(b, "/"); b != "" {
			return b
		}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// shortLookup sends the short link of the notices and the QR codes
// (/l/<code>) to the lookup page of the code.
func (w *web) shortLookup(q *req) error {
	code := q.r.PathValue("code")
	http.Redirect(q.w, q.r, "/lookup?code="+url.QueryEscape(code), http.StatusSeeOther)
	return nil
}
