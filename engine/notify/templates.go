package notify

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/motcua/motcua/engine"
)

// defaults are the built-in templates, one file per language and kind:
// templates/{vi,en}/<kind>.tmpl, each defining "subject" and "body";
// default.tmpl serves kinds without a file of their own, and _common.tmpl
// holds the parts every template uses ("names", "signature").
//
//go:embed all:templates
var defaults embed.FS

// Templates renders notifications with text/template files an admin can
// edit. A file in Dir (<Dir>/<lang>/<kind>.tmpl) replaces the embedded
// default of the same name; kinds without a file use default.tmpl.
//
// A template sees TemplateData: {{.Data.code}}, {{.Data.step}}, and the
// functions datetime (RFC 3339 → dd/mm/yyyy hh:mm, in the instant's own
// zone), date (the same, the day only), cut (n characters at most), clause (cut, ending with
// one full stop),
// work (office time such as "9h0m0s" → "1 ngày làm việc 1 giờ"
// given the working day's length) and upper.
type Templates struct {
	// Dir overrides the embedded templates; empty uses them only.
	Dir string
	// Lang is "vi" (default) or "en".
	Lang string
	// BaseURL, when set, adds a link to the dossier:
	// <BaseURL>/dossiers/<code>.
	BaseURL string
	// PublicURL is the address the public reaches the lookup at; with it
	// the applicant's notices carry the lookup link and, when RatingKey
	// is set, the rating link (see applicant.go).
	PublicURL string
	// RatingKey signs the rating links (engine.RatingToken).
	RatingKey []byte

	mu    sync.Mutex
	cache map[string]*template.Template
}

// TemplateData is what a template is executed with.
type TemplateData struct {
	engine.Notification
	Recipients []Recipient
	// Link is the dossier's page, empty without a base URL.
	Link string
	// LookupURL and RatingURL are the public lookup of the dossier and
	// its rating link, for the applicant's notices; empty without a
	// public address (RatingURL also without a key, or for a procedure
	// that is not rated).
	LookupURL string
	RatingURL string
}

var (
	defaultOnce sync.Once
	defaultTpl  *Templates
)

// Default returns the embedded Vietnamese templates without a link.
func Default() *Templates {
	defaultOnce.Do(func() { defaultTpl = &Templates{} })
	return defaultTpl
}

func (t *Templates) lang() string {
	if t.Lang == "en" {
		return "en"
	}
	return "vi"
}

// Check parses every template of both languages, so that an admin's
// mistake shows at start-up rather than at the first deadline.
func (t *Templates) Check() error {
	var errs []error
	for _, lang := range []string{"vi", "en"} {
		for _, kind := range []string{engine.NoteReminder, engine.NoteBreach, engine.NoteEscalation,
			engine.NoteApologyDue, engine.NoteDigest, engine.NoteHandover, engine.NoteAssigned, "default"} {
			if _, err := t.lookup(lang, kind); err != nil {
				errs = append(errs, err)
			}
		}
		for _, kind := range engine.ApplicantKinds {
			if _, err := t.lookup(lang, kind); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// lookup returns the parsed template of kind in lang: the admin's file,
// the embedded one, or the default of the language.
func (t *Templates) lookup(lang, kind string) (*template.Template, error) {
	key := lang + "/" + kind
	t.mu.Lock()
	defer t.mu.Unlock()
	if tp, ok := t.cache[key]; ok {
		return tp, nil
	}
	src, name, err := t.source(lang, kind)
	if errors.Is(err, fs.ErrNotExist) && kind != "default" {
		src, name, err = t.source(lang, "default")
	}
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", key, err)
	}
	common, cname, err := t.source(lang, "_common")
	if err != nil {
		return nil, fmt.Errorf("template %s/_common: %w", lang, err)
	}
	tp, err := template.New(name).Option("missingkey=zero").Funcs(funcs(lang)).Parse(common)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", cname, err)
	}
	if tp, err = tp.Parse(src); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	for _, part := range []string{"subject", "body"} {
		if tp.Lookup(part) == nil {
			return nil, fmt.Errorf("template %s: no {{define %q}}", name, part)
		}
	}
	if t.cache == nil {
		t.cache = map[string]*template.Template{}
	}
	t.cache[key] = tp
	return tp, nil
}

func (t *Templates) source(lang, kind string) (string, string, error) {
	rel := path.Join(lang, kind+".tmpl")
	if t.Dir != "" {
		b, err := os.ReadFile(filepath.Join(t.Dir, filepath.FromSlash(rel)))
		if err == nil {
			return string(b), filepath.Join(t.Dir, filepath.FromSlash(rel)), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", "", err
		}
	}
	b, err := defaults.ReadFile("templates/" + rel)
	if err != nil {
		return "", "", err
	}
	return string(b), "templates/" + rel, nil
}

// Message renders n for sending: recipients resolved through dir now.
func (t *Templates) Message(n engine.Notification, dir *engine.Directory) (Message, error) {
	m := Message{ID: n.ID, Notification: n, Lang: t.lang()}
	if r, ok := applicantRecipient(n); ok {
		m.Recipients = append(m.Recipients, r)
	}
	for _, id := range n.To {
		if dir == nil {
			m.Recipients = append(m.Recipients, Recipient{ID: id})
			continue
		}
		if p, ok := dir.Person(id); ok {
			m.Recipients = append(m.Recipients, Recipient{ID: p.ID, Name: p.Name, Email: p.Email})
		}
	}
	if t.BaseURL != "" {
		base := strings.TrimRight(t.BaseURL, "/")
		if n.Dossier != "" {
			m.Link = base + "/dossiers/" + url.PathEscape(n.Dossier)
		} else {
			m.Link = base + "/"
		}
	}
	tp, err := t.lookup(m.Lang, n.Kind)
	if err != nil {
		return m, err
	}
	data := TemplateData{Notification: n, Recipients: m.Recipients, Link: m.Link}
	data.LookupURL, data.RatingURL = t.publicLinks(n)
	var sb strings.Builder
	if err := tp.ExecuteTemplate(&sb, "subject", data); err != nil {
		return m, fmt.Errorf("render %s subject: %w", n.ID, err)
	}
	// A subject is one header line: newlines from a template would break it.
	m.Subject = strings.Join(strings.Fields(sb.String()), " ")
	sb.Reset()
	if err := tp.ExecuteTemplate(&sb, "body", data); err != nil {
		return m, fmt.Errorf("render %s body: %w", n.ID, err)
	}
	m.Body = strings.TrimSpace(sb.String()) + "\n"
	if tp.Lookup("sms") != nil {
		sb.Reset()
		if err := tp.ExecuteTemplate(&sb, "sms", data); err != nil {
			return m, fmt.Errorf("render %s sms: %w", n.ID, err)
		}
		m.SMS = Fold(sb.String())
	}
	return m, nil
}

func funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"datetime": func(s string) string {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return s
			}
			return t.Format("02/01/2006 15:04")
		},
		"work": func(s, day string) string { return FormatWork(s, day, lang) },
		"date": func(s string) string {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return s
			}
			return t.Format("02/01/2006")
		},
		"upper":  strings.ToUpper,
		"cut":    cut,
		"clause": clause,
	}
}

// FormatWork renders office time (a Go duration string such as "9h30m0s")
// as working days, hours and minutes, a working day lasting day (e.g.
// "8h0m0s"): "1 ngày làm việc 1 giờ 30 phút" or "1 working day 1 h 30 min".
func FormatWork(s, day, lang string) string {
	w, err := time.ParseDuration(s)
	if err != nil {
		return s
	}
	dw, err := time.ParseDuration(day)
	if err != nil || dw <= 0 {
		dw = 8 * time.Hour
	}
	days := int(w / dw)
	w -= time.Duration(days) * dw
	h, m := int(w/time.Hour), int((w%time.Hour)/time.Minute)
	var parts []string
	if lang == "en" {
		if days == 1 {
			parts = append(parts, "1 working day")
		} else if days > 1 {
			parts = append(parts, fmt.Sprintf("%d working days", days))
		}
		if h > 0 {
			parts = append(parts, fmt.Sprintf("%d h", h))
		}
		if m > 0 {
			parts = append(parts, fmt.Sprintf("%d min", m))
		}
		if len(parts) == 0 {
			return "0 min"
		}
		return strings.Join(parts, " ")
	}
	if days > 0 {
		parts = append(parts, fmt.Sprintf("%d ngày làm việc", days))
	}
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%d giờ", h))
	}
	if m > 0 {
		parts = append(parts, fmt.Sprintf("%d phút", m))
	}
	if len(parts) == 0 {
		return "0 phút"
	}
	return strings.Join(parts, " ")
}
