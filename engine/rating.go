package engine

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The applicant's rating of the service (Decree 61/2018 Art 30–31, kept
// by Decree 118/2025): once the result is returned, the applicant may
// rate the handling of their dossier once, without an account, through a
// secret link of the dossier. The ratings feed Decision 766 indicator
// 5.4; package report reads them from Dossier.Rating.

// Criterion is one criterion the applicant scores.
type Criterion struct {
	ID     string
	Name   string
	NameEN string
	// Basis is the clause of Decree 61/2018 Art 31.1 it comes from.
	Basis string
}

// RatingCriteria are the criteria of Decree 61/2018 Art 31.1 that an
// applicant can judge from their own dossier (the rest — time taken by
// each body inside, the public listing of the procedure — are scored by
// the agency's own review, Art 32). The ids are stored in Rating.Scores.
var RatingCriteria = []Criterion{
	{ID: "thoi_gian", Name: "Thời gian giải quyết so với quy định", NameEN: "Time taken against the legal limit", Basis: "Art 31.1a"},
	{ID: "so_lan_lien_he", Name: "Số lần phải liên hệ để hoàn thiện hồ sơ", NameEN: "Times you had to come back to complete the dossier", Basis: "Art 31.1d"},
	{ID: "thai_do", Name: "Tinh thần, thái độ phục vụ của cán bộ, công chức", NameEN: "Attitude and conduct of the officers", Basis: "Art 31.1e"},
	{ID: "ket_qua", Name: "Kết quả giải quyết thủ tục hành chính", NameEN: "The result of the procedure", Basis: "Art 31.1g"},
}

// Scores a criterion may take: the three levels the national portal asks
// (rất hài lòng, hài lòng, không hài lòng). ScoreDissatisfied is what
// Decision 766 indicator 5.4 counts as a dislike.
const (
	ScoreDissatisfied  = 1
	ScoreSatisfied     = 2
	ScoreVerySatisfied = 3
)

// MaxRatingComment bounds the comment, in characters.
const MaxRatingComment = 1000

// RatingOpensFor reports whether dossiers of p are rated: administrative
// procedures, the service Decree 61/2018 Art 30 has rated. A petition's
// handling is judged under the Complaints and Denunciations Laws, not by
// a satisfaction score.
func RatingOpensFor(p *Procedure) bool { return p != nil && p.Kind == KindProcedure }

// CanRate reports why d cannot be rated now under p, or nil: the result
// must have been returned — an approved final state the catalog marks as
// returned (status 10, or a final state without a status), or a refusal,
// whose letter is the result handed over — and no rating given yet.
func CanRate(p *Procedure, d *Dossier) error {
	if !RatingOpensFor(p) {
		return &NotFoundError{What: "dossier", ID: d.Code}
	}
	if d.Rating != nil {
		return &AlreadyRatedError{Code: d.Code}
	}
	st, ok := p.State(d.State)
	switch {
	case !ok || !st.IsFinal():
		return &NotRatableError{Code: d.Code}
	case st.Final == OutcomeRefused:
		return nil
	case st.Final == OutcomeApproved && (st.Status == 0 || st.Status == StatusResultReturned):
		return nil
	}
	return &NotRatableError{Code: d.Code}
}

// CheckRating checks the scores and comment a rating form sent: every
// criterion scored 1–3, no other key, a comment of at most
// MaxRatingComment characters.
func CheckRating(scores map[string]int, comment string) error {
	for _, c := range RatingCriteria {
		s, ok := scores[c.ID]
		if !ok {
			return &InvalidInputError{Field: "scores." + c.ID, Reason: "score every criterion", ReasonVI: "hãy chấm điểm mọi tiêu chí"}
		}
		if s < ScoreDissatisfied || s > ScoreVerySatisfied {
			return &InvalidInputError{Field: "scores." + c.ID, Reason: "a score is 1, 2 or 3", ReasonVI: "điểm là 1, 2 hoặc 3"}
		}
	}
	if len(scores) != len(RatingCriteria) {
		return &InvalidInputError{Field: "scores", Reason: "unknown criterion", ReasonVI: "tiêu chí không tồn tại"}
	}
	if utf8.RuneCountInString(comment) > MaxRatingComment || !utf8.ValidString(comment) {
		return &InvalidInputError{Field: "comment", Reason: fmt.Sprintf("at most %d characters", MaxRatingComment),
			ReasonVI: fmt.Sprintf("tối đa %d ký tự", MaxRatingComment)}
	}
	return nil
}

// RatingToken is the secret of d's rating link: the first 72 bits of
// HMAC-SHA256(key, code), base64url. An HMAC rather than a random token
// stored hashed: nothing is added to the dossier, the link can be printed
// again on any slip, and dossiers received before this existed get one.
// The key is the server's (serve keeps it in a file); changing it voids
// every link not yet used.
func RatingToken(key []byte, code string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("motcua rating\x00" + code))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:9])
}

// ValidRatingToken reports in constant time whether token is code's.
func ValidRatingToken(key []byte, code, token string) bool {
	return len(key) > 0 && hmac.Equal([]byte(RatingToken(key, code)), []byte(token))
}

// RatingStore keeps ratings: one write that stores r on the dossier only
// when it holds none, so that of two concurrent submissions one is stored
// and the other is told. Both stores implement it beside Store; every
// implementation passes enginetest.RunRatingSuite.
type RatingStore interface {
	// Rate stores r as code's rating and raises its version. It returns
	// *NotFoundError for an unknown code and *AlreadyRatedError, writing
	// nothing, when the dossier already holds a rating.
	Rate(ctx context.Context, code string, r Rating) error
}

// Rate stores the applicant's rating of code once its result was
// returned; the caller has checked the link's token.
func (e *Engine) Rate(ctx context.Context, code string, scores map[string]int, comment string) error {
	rs, ok := e.Store.(RatingStore)
	if !ok {
		return fmt.Errorf("rate %s: the store keeps no ratings", code)
	}
	d, err := e.Store.Get(ctx, code)
	if err != nil {
		return err
	}
	env, err := e.EnvFor(d)
	if err != nil {
		return err
	}
	if err := CanRate(env.Procedure, d); err != nil {
		return err
	}
	comment = strings.TrimSpace(comment)
	if err := CheckRating(scores, comment); err != nil {
		return err
	}
	r := Rating{At: storeInstant(e.Now.Time()), Scores: make(map[string]int, len(scores)), Comment: comment}
	for k, v := range scores {
		r.Scores[k] = v
	}
	if err := rs.Rate(ctx, code, r); err != nil {
		return fmt.Errorf("rate %s: %w", code, err)
	}
	return nil
}

// AlreadyRatedError refuses a second rating of a dossier: a rating is
// never edited after it is sent.
type AlreadyRatedError struct{ Code string }

func (e *AlreadyRatedError) Error() string { return fmt.Sprintf("dossier %s is already rated", e.Code) }

// ErrorCode is ECONFLICT: the dossier's state forbids it.
func (e *AlreadyRatedError) ErrorCode() Code { return ECONFLICT }

// Message implements Localized.
func (e *AlreadyRatedError) Message(lang string) string {
	if lang == "en" {
		return "This dossier has already been rated; a rating cannot be changed. Thank you"
	}
	return "Hồ sơ này đã được đánh giá; đánh giá không thể sửa đổi. Xin cảm ơn"
}

// NotRatableError refuses a rating before the result was returned, or of
// a withdrawn dossier.
type NotRatableError struct{ Code string }

func (e *NotRatableError) Error() string {
	return fmt.Sprintf("dossier %s cannot be rated before its result is returned", e.Code)
}

// ErrorCode is ECONFLICT: the dossier is not yet in a state to rate.
func (e *NotRatableError) ErrorCode() Code { return ECONFLICT }

// Message implements Localized.
func (e *NotRatableError) Message(lang string) string {
	if lang == "en" {
		return "The service can be rated once the result has been returned"
	}
	return "Có thể đánh giá khi đã nhận kết quả giải quyết"
}
