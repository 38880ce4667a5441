package notify

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
)

// The applicant's notices (issue 12) use the staff's machinery: the same
// outbox, dispatcher and templates. Each is meant for one channel
// (Notification.Channel "email" or "sms") and carries its address in its
// data, so the staff's webhook and log never see it. Their templates,
// templates/<lang>/applicant_*.tmpl, define an "sms" part besides the
// e-mail's subject and body.

// applicantRecipient is the applicant an applicant's notice goes to.
func applicantRecipient(n engine.Notification) (Recipient, bool) {
	email, phone := n.Data[engine.DataToEmail], n.Data[engine.DataToPhone]
	if email == "" && phone == "" {
		return Recipient{}, false
	}
	return Recipient{ID: "applicant", Email: email, Phone: phone}, true
}

// LookupPath and RatingPath are the short public paths the notices link
// to (short, since an SMS has 160 characters): /l/<code> opens the
// lookup of the code, /r/<code>/<token> the rating form. Package httpapi
// serves both.
const (
	LookupPath = "/l/"
	RatingPath = "/r/"
)

// LookupURL is the public lookup link of code under base.
func LookupURL(base, code string) string {
	return strings.TrimRight(base, "/") + LookupPath + url.PathEscape(code)
}

// RatingURL is the rating link of code under base, signed with key.
func RatingURL(base string, key []byte, code string) string {
	return strings.TrimRight(base, "/") + RatingPath + url.PathEscape(code) + "/" + engine.RatingToken(key, code)
}

func (t *Templates) publicLinks(n engine.Notification) (lookup, rating string) {
	if t.PublicURL == "" || n.Dossier == "" || !strings.HasPrefix(n.Kind, "applicant_") {
		return "", ""
	}
	lookup = LookupURL(t.PublicURL, n.Dossier)
	if len(t.RatingKey) > 0 && n.Data["rating"] != "" {
		rating = RatingURL(t.PublicURL, t.RatingKey, n.Dossier)
	}
	return lookup, rating
}

// longestCode is the longest dossier code the check assumes: a national
// agency code (13 characters, "000.00.16.H12") as the unit's code.
const longestCode = "000.00.16.H12-260302-0001"

// longestData is each field of an applicant's notice at its longest:
// free text (a reason, a procedure's or a place's name) far longer than
// any template may print, so that only a template that cuts it fits.
func longestData() map[string]string {
	long := strings.Repeat("Thành phần hồ sơ còn thiếu ", 20)
	at := time.Date(2026, 12, 31, 17, 0, 0, 0, time.FixedZone("ICT", 7*3600)).Format(time.RFC3339)
	return map[string]string{
		"code": longestCode, "procedure": long, "procedure_en": long, "procedure_code": "1.001193",
		"place": long, "place_en": long, "appointment": at, "supplement_by": at, engine.InputReason: long,
		"rating": "1", engine.DataToPhone: "0912345678",
	}
}

// SMSTooLongError names the applicant templates whose SMS cannot fit one
// GSM-7 segment with the longest values.
type SMSTooLongError struct {
	// Templates are "<lang>/<kind> (<n> characters)".
	Templates []string
}

func (e *SMSTooLongError) Error() string {
	return fmt.Sprintf("SMS templates longer than one %d-character segment with the longest values: %s",
		SMSSegment, strings.Join(e.Templates, "; "))
}

// CheckSMS renders the SMS of every applicant's notice, in both
// languages, with each field at its longest and the links under this
// PublicURL, and reports each that does not fit one GSM-7 segment (or
// does not render). serve runs it at start-up and lint for the built-in
// templates: an SMS that does not fit is sent as several, billed as
// several and read out of order.
func (t *Templates) CheckSMS() error {
	var long []string
	var errs []error
	for _, lang := range []string{"vi", "en"} {
		tt := &Templates{Dir: t.Dir, Lang: lang, PublicURL: t.PublicURL, RatingKey: t.RatingKey}
		if tt.PublicURL == "" {
			tt.PublicURL = "https://dichvucong.xaphuocan.gov.vn"
		}
		if len(tt.RatingKey) == 0 {
			tt.RatingKey = []byte("check")
		}
		for _, kind := range engine.ApplicantKinds {
			m, err := tt.Message(engine.Notification{ID: longestCode + "/99/" + kind + "/sms", Dossier: longestCode,
				Kind: kind, Channel: engine.ApplicantSMS, Data: longestData()}, nil)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if m.SMS == "" {
				errs = append(errs, fmt.Errorf("template %s/%s: no {{define \"sms\"}}", lang, kind))
				continue
			}
			if n, ok := GSMLength(m.SMS); !ok || n > SMSSegment {
				long = append(long, fmt.Sprintf("%s/%s (%d characters)", lang, kind, n))
			}
		}
	}
	if len(long) > 0 {
		errs = append(errs, &SMSTooLongError{Templates: long})
	}
	return errors.Join(errs...)
}
