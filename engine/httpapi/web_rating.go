package httpapi

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/notify"
)

// The applicant's rating (issue 12; Decree 61/2018 Art 30–31): once the
// result is returned, a secret link of the dossier (notify.RatingURL:
// /r/<code>/<token>, the token an HMAC of the code under the server's
// key) opens a form that rates each criterion once, without an account.
// Every opening and every sending counts against the lookup's limit per
// address, since the codes are sequential and the token is what is
// guessed. A wrong token answers as an unknown dossier.

// citizenRoutes registers the public pages of the applicant: the short
// lookup link and the rating form.
func (w *web) citizenRoutes() {
	m := w.s.mux
	m.HandleFunc("GET "+notify.LookupPath+"{code}", w.page(false, w.shortLookup))
	m.HandleFunc("GET "+notify.RatingPath+"{code}/{token}", w.page(false, w.rateForm))
	m.HandleFunc("POST "+notify.RatingPath+"{code}/{token}", w.page(false, w.rateSubmit))
}

// citizenAPI registers the applicant's API routes.
func (s *Server) citizenAPI() {
	s.handle("POST", "/ratings/{code}", public, s.apiRate)
}

// ratingCriterion is one criterion as the form shows it.
type ratingCriterion struct {
	ID, Name string
	// Score is the one chosen, when the form comes back with an error.
	Score int
}

type ratePage struct {
	Code, ProcedureName string
	Criteria            []ratingCriterion
	Comment             string
	// Stage is "form", "thanks" (just stored), "done" (rated before) or
	// "not_yet" (the result not yet returned).
	Stage string
	Error string
}

// ratingDossier checks the link and the limit and returns the dossier
// and its procedure.
func (s *Server) ratingDossier(w http.ResponseWriter, r *http.Request, code, token string) (*engine.Dossier, *engine.Procedure, error) {
	if err := s.limitLookup(w, r); err != nil {
		return nil, nil, err
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) > 64 || !engine.ValidRatingToken(s.cfg.RatingKey, code, token) {
		return nil, nil, notFoundCode(code)
	}
	d, err := s.eng.Get(r.Context(), code)
	if err != nil {
		return nil, nil, err
	}
	env, err := s.eng.EnvFor(d)
	if err != nil {
		return nil, nil, err
	}
	if !engine.RatingOpensFor(env.Procedure) {
		return nil, nil, notFoundCode(code)
	}
	return d, env.Procedure, nil
}

func (w *web) ratePage(q *req, d *engine.Dossier, p *engine.Procedure) ratePage {
	rp := ratePage{Code: d.Code, ProcedureName: pick(p.Name, p.NameEN, q.lang), Stage: "form"}
	for _, c := range engine.RatingCriteria {
		rp.Criteria = append(rp.Criteria, ratingCriterion{ID: c.ID, Name: pick(c.Name, c.NameEN, q.lang)})
	}
	switch err := engine.CanRate(p, d); {
	case errors.As(err, new(*engine.AlreadyRatedError)):
		rp.Stage = "done"
	case err != nil:
		rp.Stage = "not_yet"
	}
	return rp
}

func (w *web) rateForm(q *req) error {
	d, p, err := w.s.ratingDossier(q.w, q.r, q.r.PathValue("code"), q.r.PathValue("token"))
	if err != nil {
		return err
	}
	return w.render(q, http.StatusOK, "rate", w.data(q, tr("rate", q.lang), "lookup", w.ratePage(q, d, p)))
}

func (w *web) rateSubmit(q *req) error {
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, w.s.maxBody)
	d, p, err := w.s.ratingDossier(q.w, q.r, q.r.PathValue("code"), q.r.PathValue("token"))
	if err != nil {
		return err
	}
	rp := w.ratePage(q, d, p)
	scores := map[string]int{}
	for i, c := range rp.Criteria {
		if v := q.r.PostFormValue("score_" + c.ID); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				n = -1
			}
			scores[c.ID], rp.Criteria[i].Score = n, n
		}
	}
	rp.Comment = q.r.PostFormValue("comment")
	status := http.StatusOK
	err = w.s.eng.Rate(q.r.Context(), d.Code, scores, rp.Comment)
	switch {
	case err == nil:
		rp.Stage = "thanks"
	case errors.As(err, new(*engine.AlreadyRatedError)):
		rp.Stage, status = "done", http.StatusConflict
	case errors.As(err, new(*engine.NotRatableError)):
		rp.Stage, status = "not_yet", http.StatusConflict
	case engine.ErrorCode(err) == engine.EINVALID:
		rp.Error, status = errorText(err, q.lang), http.StatusUnprocessableEntity
	default:
		return err
	}
	return w.render(q, status, "rate", w.data(q, tr("rate", q.lang), "lookup", rp))
}

// errorText is err's words for a person in lang.
func errorText(err error, lang string) string {
	var l interface{ Message(string) string }
	if errors.As(err, &l) {
		return l.Message(lang)
	}
	return engine.ErrorCode(err).Message(lang)
}

// RatingRequest is the body of POST /api/v1/ratings/{code}.
type RatingRequest struct {
	// Token is the secret of the dossier's rating link.
	Token   string         `json:"token"`
	Scores  map[string]int `json:"scores"`
	Comment string         `json:"comment,omitempty"`
}

func (s *Server) apiRate(w http.ResponseWriter, r *http.Request, _ *engine.Person) error {
	var in RatingRequest
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	d, _, err := s.ratingDossier(w, r, r.PathValue("code"), in.Token)
	if err != nil {
		return err
	}
	if err := s.eng.Rate(r.Context(), d.Code, in.Scores, in.Comment); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"code": d.Code, "status": "rated"})
	return nil
}

// docQRs adds a printed document's QR codes: the lookup link, and the
// rating link for a procedure that is rated when rate is true. Form 01
// asks for it always (the applicant keeps the receipt and brings it to
// collect the result); the result slip only while a rating can still be
// sent.
func (w *web) docQRs(q *req, d *engine.Dossier, p *engine.Procedure, rate bool, v *receiptQRs) error {
	base := w.s.publicBase(q.r)
	v.LookupLink = notify.LookupURL(base, d.Code)
	var err error
	if v.LookupQR, err = qrSVG(v.LookupLink, tr("qr_lookup", q.lang)); err != nil {
		return err
	}
	if rate && len(w.s.cfg.RatingKey) > 0 && engine.RatingOpensFor(p) {
		v.RatingLink = notify.RatingURL(base, w.s.cfg.RatingKey, d.Code)
		if v.RatingQR, err = qrSVG(v.RatingLink, tr("qr_rate", q.lang)); err != nil {
			return err
		}
	}
	return nil
}

// receiptQRs are the QR fields of form 01 and of the result slip
// (receiptDoc and resultSlipDoc embed them).
type receiptQRs struct {
	LookupLink, RatingLink string
	LookupQR, RatingQR     template.HTML
}
