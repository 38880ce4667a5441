package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/notify"
)

// The applicant's side of serve (issue 12): the SMS gateway, the public
// address of the lookup and rating links, and the key that signs the
// rating links.

// citizenFlags are serve's flags for the applicant's notices and links.
type citizenFlags struct {
	publicURL                   string
	smsURL, smsToken, smsBodyTo string
	ratingKeyFile               string
	// getenv reads the environment serve was started with.
	getenv func(string) string
}

func addCitizenFlags(fs *commandFlags) *citizenFlags {
	f := &citizenFlags{}
	fs.StringVar(&f.publicURL, "public-url", "", "address the public reaches the lookup and the rating at, printed in QR codes and the applicant's notices (default: --base-url)")
	fs.StringVar(&f.smsURL, "sms-url", "", "send the applicant's notices by SMS: one JSON POST per message to this gateway URL")
	fs.StringVar(&f.smsToken, "sms-token", "", "bearer token of the SMS gateway (env MOTCUA_SMS_TOKEN)")
	fs.StringVar(&f.smsBodyTo, "sms-body-template", "", "file of a text/template rendering the gateway's request body from {{.ID}} {{.To}} {{.Text}} {{.Kind}} {{.Dossier}} (with json to quote); default a JSON object of those fields")
	fs.StringVar(&f.ratingKeyFile, "rating-key-file", "", "file of the key that signs the applicants' rating links (default DIR/rating.key, made on first start; env MOTCUA_RATING_KEY instead); rating is off without one")
	return f
}

// resolve checks the flags and reads the environment.
func (f *citizenFlags) resolve(env func(string) string, baseURL string) error {
	if f.smsToken == "" {
		f.smsToken = env("MOTCUA_SMS_TOKEN")
	}
	if f.publicURL == "" {
		f.publicURL = baseURL
	}
	f.publicURL = strings.TrimRight(f.publicURL, "/")
	for name, v := range map[string]string{"--public-url": f.publicURL, "--sms-url": f.smsURL} {
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("serve: %s %q: want an http(s) address", name, v)
		}
	}
	return nil
}

// smsChannel is the SMS gateway channel, nil without --sms-url.
func (f *citizenFlags) smsChannel() (notify.Channel, error) {
	if f.smsURL == "" {
		return nil, nil
	}
	ch := &notify.SMS{URL: f.smsURL, Token: f.smsToken}
	if f.smsBodyTo != "" {
		b, err := os.ReadFile(f.smsBodyTo)
		if err != nil {
			return nil, fmt.Errorf("--sms-body-template: %w", err)
		}
		if ch.Body, err = notify.ParseSMSBody(filepath.Base(f.smsBodyTo), string(b)); err != nil {
			return nil, &engine.InvalidInputError{Field: "--sms-body-template", Reason: err.Error()}
		}
	}
	return ch, nil
}

// applicantChannels are the channels the applicant is told through: the
// e-mail when SMTP is configured, the SMS when a gateway is.
func applicantChannels(chs []notify.Channel) []string {
	var out []string
	for _, ch := range chs {
		if n := ch.Name(); n == engine.ApplicantEmail || n == engine.ApplicantSMS {
			out = append(out, n)
		}
	}
	return out
}

// ratingKey returns the key of the rating links: MOTCUA_RATING_KEY, the
// --rating-key-file, or DIR/rating.key of the embedded store, made with
// 32 random bytes on first start (mode 0600). With MongoDB and neither,
// rating is off: processes sharing a database must share the key, and a
// key made by one would void the others' links.
func (f *citizenFlags) ratingKey(env func(string) string, dataDir string, mongo bool, log *slog.Logger) ([]byte, error) {
	if k := env("MOTCUA_RATING_KEY"); k != "" {
		return []byte(k), nil
	}
	path := f.ratingKeyFile
	if path == "" {
		if mongo {
			log.Warn("rating links are off: give --rating-key-file or MOTCUA_RATING_KEY, the same to every process")
			return nil, nil
		}
		path = filepath.Join(dataDir, "rating.key")
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && f.ratingKeyFile == "" {
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		b = []byte(hex.EncodeToString(raw) + "\n")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return nil, fmt.Errorf("rating key: %w", err)
		}
		log.Info("made the key of the rating links", "file", path)
	} else if err != nil {
		return nil, fmt.Errorf("rating key: %w", err)
	}
	k := strings.TrimSpace(string(b))
	if len(k) < 16 {
		return nil, fmt.Errorf("rating key %s: at least 16 characters", path)
	}
	return []byte(k), nil
}

// checkSMS says at start-up which SMS template cannot fit one segment
// with the longest values: a warning, since the message still goes, in
// several parts; a template that does not render stops serve.
func checkSMS(tmpl *notify.Templates, log *slog.Logger) error {
	err := tmpl.CheckSMS()
	if err == nil {
		return nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var broken []error
	for _, e := range errs {
		var long *notify.SMSTooLongError
		if errors.As(e, &long) {
			log.Warn("SMS templates may not fit one 160-character segment", "templates", strings.Join(long.Templates, "; "))
			continue
		}
		broken = append(broken, e)
	}
	if len(broken) > 0 {
		return &engine.InvalidInputError{Field: "--templates", Reason: errors.Join(broken...).Error()}
	}
	return nil
}
