package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"testing"

	"github.com/motcua/motcua/engine/enginetest"
)

// strictJSON reports whether body is exactly one JSON value that decodes
// into v with no unknown field: the bodies the API promises to take.
func strictJSON(body []byte, v any) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if dec.Decode(v) != nil {
		return false
	}
	_, err := dec.Token()
	return err == io.EOF
}

// plainDirT gives setup a temporary directory without the '#' of fuzz
// test names ("seed#3"), which the SQLite store refuses in its path.
type plainDirT struct{ *testing.T }

func (t plainDirT) TempDir() string {
	dir, err := os.MkdirTemp("", "motcua-fuzz-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// checkAnswer asserts the invariants every fuzzed write shares: never a
// 5xx; a 2xx only for a body of the right shape; a 4xx in the one JSON
// error shape and with the store exactly as before.
func checkAnswer(t *testing.T, b *bundle, r resp, wellFormed bool, before string) {
	t.Helper()
	switch {
	case r.status >= 500:
		t.Fatalf("status %d: %s", r.status, r.body)
	case r.status >= 200 && r.status < 300:
		if !wellFormed {
			t.Fatalf("status %d for a body the API does not take: %s", r.status, r.body)
		}
	case r.status >= 400:
		if c := r.errCode(t); c == "" {
			t.Fatalf("error without a code: %s", r.body)
		}
		if after := b.snapshot(); after != before {
			t.Fatalf("status %d changed the store", r.status)
		}
	default:
		t.Fatalf("status %d", r.status)
	}
}

// FuzzReceiveBody posts arbitrary bodies to POST /api/v1/dossiers on a
// fresh server over a real SQLite store, as the desk officer.
func FuzzReceiveBody(f *testing.F) {
	valid, _ := json.Marshal(receiveBody("Nguyễn Văn A"))
	for _, s := range []string{
		string(valid),
		`{"procedure":"TEST.01","channel":"online","applicant":{"name":"Trần Thị B","id_no":"001090000001","phone":"0900000001","email":"b@example.vn","address":"Hòa Bình"},"received_at":"2026-03-02T16:30:00+07:00","inputs":{"note":"đủ"}}`,
		`{"procedure":"TEST.01","version":99,"applicant":{"name":"A"}}`,
		`{"procedure":"TEST.01","channel":"fax","applicant":{"name":"A"}}`,
		`{"procedure":"TEST.01","applicant":{"name":""}}`,
		`{"procedure":"TEST.01","applicant":{"name":"A"},"received_at":"hôm qua"}`,
		`{"procedure":"TEST.01","applicant":{"name":"A"},"received_at":"0001-01-01T00:00:00Z"}`,
		`{"procedure":"TEST.01","applicant":{"name":"A"},"received_at":"9999-12-31T23:59:59+14:00"}`,
		`{"procedure":"TEST.01","applicant":{"name":"A"}} {}`,
		`{"procedure":"TEST.01","applicant":{"name":"A"},"extra":1}`,
		`{"procedure":1}`, `[]`, `null`, `{`, ``, "\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		b := setup(plainDirT{t})
		before := b.snapshot()
		var req receiveRequest
		wellFormed := strictJSON(body, &req)
		r := b.call("POST", "/api/v1/dossiers", receiver, body)
		checkAnswer(t, b, r, wellFormed, before)
		if r.status == http.StatusCreated {
			var got receiveResponse
			r.json(t, &got)
			if _, err := b.store.Get(t.Context(), got.Code); err != nil {
				t.Fatalf("201 with code %q not in the store: %v", got.Code, err)
			}
		}
	})
}

// FuzzActBody posts arbitrary bodies to POST
// /api/v1/dossiers/{code}/actions/{action} on a freshly received dossier,
// as the action's own actor, so that well-formed bodies can succeed.
func FuzzActBody(f *testing.F) {
	for _, s := range []string{
		`{"inputs": {"note": "Hồ sơ đầy đủ"}}`, // the README's example
		`{}`, ``, `{"inputs":{}}`, `{"inputs":null}`,
		`{"inputs":{"reason":"thiếu giấy tờ"}}`,
		`{"inputs":{"note":1}}`, `{"inputs":["a"]}`, `{"note":"x"}`,
		`{"inputs":{"note":"a"}}garbage`, `{"inputs":{"note":"\u0000"}}`, `nul`, `"x"`,
	} {
		for action := range uint8(len(fuzzActions)) {
			f.Add([]byte(s), action)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, action uint8) {
		a := fuzzActions[int(action)%len(fuzzActions)]
		b := setup(plainDirT{t})
		d := b.receive("Nguyễn Văn A")
		before := b.snapshot()
		var req actRequest
		wellFormed := len(body) == 0 || strictJSON(body, &req)
		r := b.call("POST", "/api/v1/dossiers/"+d.Code+"/actions/"+a.name, a.actor, body)
		checkAnswer(t, b, r, wellFormed, before)
		if r.status == http.StatusOK {
			after, err := b.store.Get(t.Context(), d.Code)
			if err != nil || after.Version != d.Version+1 {
				t.Fatalf("200 but the dossier is at version %v (was %d): %v", after, d.Version, err)
			}
		}
	})
}

// fuzzActions are the sample procedure's actions with their actors, and
// one the procedure does not have.
var fuzzActions = []struct{ name, actor string }{
	{"chuyen", enginetest.Receiver},
	{"trinh", enginetest.Officer},
	{"yeu_cau_bo_sung", enginetest.Officer},
	{"khong-co", enginetest.Receiver},
}
