package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/notify"
)

// TestServeTextsTheApplicant starts serve with an SMS gateway: the demo
// dossiers' applicants, who gave a phone, are texted their reception
// with the lookup link under --public-url, through the gateway with its
// token; the rating key is made once in the data folder.
func TestServeTextsTheApplicant(t *testing.T) {
	t.Parallel()
	got := make(chan notify.SMSPayload, 64)
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p notify.SMSPayload
		if r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("Idempotency-Key") == "" {
			http.Error(w, "unauthorised", http.StatusUnauthorized)
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		got <- p
	}))
	t.Cleanup(gw.Close)
	s, _ := mustRunServe(t, "--demo", "--sms-url", gw.URL, "--sms-token", "tok", "--public-url", "https://dvc.xa.example.vn/")
	if want := []string{engine.ApplicantSMS}; strings.Join(s.Engine.ApplicantChannels, ",") != strings.Join(want, ",") {
		t.Errorf("applicant channels %v, want %v", s.Engine.ApplicantChannels, want)
	}
	// The dispatcher's first rounds run once it holds its lease: the
	// deadline only bounds a failure, nothing waits on it otherwise.
	select {
	case p := <-got:
		if !strings.HasPrefix(p.To, "0900000") || p.Kind != engine.NoteApplicantReceived ||
			!strings.Contains(p.Text, "https://dvc.xa.example.vn/l/"+p.Dossier) || !strings.HasPrefix(p.Text, "Ho so "+p.Dossier+" da duoc tiep nhan") {
			t.Errorf("SMS %+v", p)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("no SMS reached the gateway")
	}
}

// TestRatingKey: made once with mode 0600 and read back the same; the
// environment wins; with MongoDB and no key, rating is off.
func TestRatingKey(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.DiscardHandler)
	dir := t.TempDir()
	none := func(string) string { return "" }
	f := &citizenFlags{}
	k1, err := f.ratingKey(none, dir, false, log)
	if err != nil || len(k1) != 64 {
		t.Fatalf("made key %q: %v", k1, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "rating.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("rating.key: %v %v, want mode 0600", fi, err)
	}
	if k2, _ := f.ratingKey(none, dir, false, log); string(k2) != string(k1) {
		t.Error("a restart made a new key: every link given out would break")
	}
	env := func(k string) string {
		if k == "MOTCUA_RATING_KEY" {
			return "from the environment, long enough"
		}
		return ""
	}
	if k, _ := f.ratingKey(env, dir, false, log); string(k) != "from the environment, long enough" {
		t.Errorf("environment key not used: %q", k)
	}
	if k, err := f.ratingKey(none, "", true, log); k != nil || err != nil {
		t.Errorf("MongoDB without a key: %q %v, want rating off", k, err)
	}
	short := filepath.Join(dir, "short.key")
	os.WriteFile(short, []byte("abc"), 0o600)
	if _, err := (&citizenFlags{ratingKeyFile: short}).ratingKey(none, dir, false, log); err == nil {
		t.Error("a 3-character key accepted")
	}
}

// TestServeCitizenFlagErrors: bad addresses are usage errors.
func TestServeCitizenFlagErrors(t *testing.T) {
	t.Parallel()
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	for _, args := range [][]string{
		{"serve", "--sms-url", "gateway.example.vn/send"},
		{"serve", "--public-url", "ftp://x"},
	} {
		if err := m.Run(context.Background(), args); ExitCode(err) != 2 {
			t.Errorf("%v: err %v exit %d, want 2", args, err, ExitCode(err))
		}
	}
}
