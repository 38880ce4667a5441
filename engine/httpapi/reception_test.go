package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine/enginetest"
)

// TestAPIReceptionNamesTheField checks the API's reception refusals: 422
// with the field named in the error body and words in both languages,
// and nothing stored, not even a dossier number or a register line.
func TestAPIReceptionNamesTheField(t *testing.T) {
	t.Parallel()
	b := setup(t)
	body := func(applicant, extra string) string {
		return `{"procedure":"` + enginetest.SampleCode + `","applicant":{` + applicant + `}` + extra + `}`
	}
	for _, c := range []struct {
		rule, body, field string
	}{
		{"names are not empty", body(`"name":" "`, ""), "applicant.name"},
		{"the ID number is a 12-digit căn cước number", body(`"name":"A","id_no":"123"`, ""), "applicant.id_no"},
		{"the phone is a Vietnamese number", body(`"name":"A","phone":"abc"`, ""), "applicant.phone"},
		{"the e-mail is an address", body(`"name":"A","email":"khong-phai-email"`, ""), "applicant.email"},
		{"the number of sets is a positive integer", body(`"name":"A"`, `,"inputs":{"sets":"abc"}`), "inputs.sets"},
		{"a counter reception is not dated in the past", body(`"name":"A"`, `,"received_at":"2026-03-01T09:00:00+07:00"`), "received_at"},
		{"a postal reception dated back needs a reason", body(`"name":"A"`, `,"channel":"post","received_at":"2026-03-01T09:00:00+07:00"`), "inputs.backdate_reason"},
	} {
		r := b.call("POST", "/api/v1/dossiers", receiver, c.body)
		var e ErrorBody
		r.json(t, &e)
		if r.status != http.StatusUnprocessableEntity || e.Error.Field != c.field || e.Error.Message == e.Error.MessageEN {
			t.Errorf("%s: %d field %q (%s), want 422 field %q in two languages", c.rule, r.status, e.Error.Field, r.body, c.field)
		}
	}
	if list, _ := b.store.List(t.Context(), struct2query()); len(list) != 0 {
		t.Fatalf("%d dossiers stored by refused receptions", len(list))
	}
	// The first good reception takes the first number of the day and the
	// first line of the book: the refusals took none.
	r := b.call("POST", "/api/v1/dossiers", receiver, body(`"name":"A","id_no":"001090000001","phone":"+84 912 345 678","email":"a@xa.gov.vn"`, `,"inputs":{"sets":"2"}`))
	var ok struct {
		Code string `json:"code"`
	}
	r.json(t, &ok)
	if r.status != http.StatusCreated || !strings.HasSuffix(ok.Code, "-0001") {
		t.Fatalf("good reception: %d %s", r.status, r.body)
	}
	if d, err := b.store.Get(t.Context(), ok.Code); err != nil || d.RegisterNo != 1 {
		t.Errorf("first register line after refusals: %v %v, want 1", d.RegisterNo, err)
	}
}

// TestWebReceptionShowsTheFieldError checks the page's side of a refusal:
// the message beside the wrong input, the input marked, everything typed
// kept, and a postal reception dated back with its reason going through
// in dd/mm/yyyy and 24-hour time.
func TestWebReceptionShowsTheFieldError(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.clock.Set(hanoi("2026-03-03 10:00"))
	desk := b.browser(t)
	csrf := desk.signIn(receiver)
	_, form, _ := desk.get("/receive")
	key := keyRE.FindStringSubmatch(form)[1]
	vals := url.Values{"csrf": {csrf}, "key": {key}, "procedure": {enginetest.SampleCode}, "channel": {"counter"},
		"name": {"Đặng Văn Bình"}, "phone": {"abc"}, "address": {"Thôn 3"}, "sets": {"2"}}
	st, page, _ := desk.post("/receive", vals)
	for _, want := range []string{`id="phone-error"`, `aria-describedby="phone-error"`, `value="abc"`, `value="Đặng Văn Bình"`, `value="Thôn 3"`, "số điện thoại di động"} {
		if !strings.Contains(page, want) {
			t.Errorf("refused reception page lacks %q", want)
		}
	}
	if st != http.StatusUnprocessableEntity {
		t.Errorf("status %d, want 422", st)
	}
	for _, c := range []struct {
		rule  string
		edit  url.Values
		input string // empty: received
	}{
		{"a date in another form is refused beside the date", url.Values{"phone": {"0912345678"}, "received_date": {"2026-03-02"}, "received_time": {"09:00"}}, "received_date"},
		{"a 12-hour time is refused", url.Values{"phone": {"0912345678"}, "received_date": {"02/03/2026"}, "received_time": {"9:00 AM"}}, "received_date"},
		{"a counter reception dated back is refused", url.Values{"phone": {"0912345678"}, "received_date": {"02/03/2026"}, "received_time": {"09:00"}}, "received_date"},
		{"a postal one without a reason is refused beside the reason", url.Values{"phone": {"0912345678"}, "channel": {"post"}, "received_date": {"02/03/2026"}, "received_time": {"09:00"}}, "backdate_reason"},
		{"a postal one with its reason is received", url.Values{"phone": {"0912345678"}, "channel": {"post"}, "received_date": {"02/03/2026"}, "received_time": {"14:30"}, "backdate_reason": {"thư đến chiều thứ Hai"}}, ""},
	} {
		v := url.Values{}
		for k, x := range vals {
			v[k] = x
		}
		for k, x := range c.edit {
			v[k] = x
		}
		st, page, h := desk.post("/receive", v)
		if c.input == "" {
			if st != http.StatusSeeOther {
				t.Errorf("%s: %d %s", c.rule, st, text(page))
			}
			loc := h.Get("Location")
			d, err := b.store.Get(t.Context(), strings.TrimSuffix(strings.TrimPrefix(loc, "/dossiers/"), "/receipt"))
			if err != nil || d.ReceivedAt.In(b.eng.Calendar.Location()).Format("02/01/2006 15:04") != "02/03/2026 14:30" || d.History[0].Inputs["backdate_reason"] == "" {
				t.Errorf("%s: stored %v %v", c.rule, d, err)
			}
			continue
		}
		if st != http.StatusUnprocessableEntity || !strings.Contains(page, `id="`+c.input+`-error"`) {
			t.Errorf("%s: %d, no message beside %s", c.rule, st, c.input)
		}
	}
}

// FuzzFormInstant checks the page's date and time reader: it never
// panics, and what it accepts is what a clerk typed, read back in the
// same dd/mm/yyyy and HH:MM form.
func FuzzFormInstant(f *testing.F) {
	loc := time.FixedZone("ICT", 7*3600)
	for _, s := range [][2]string{{"02/03/2026", "14:30"}, {"2/3/2026", "9:05"}, {"", ""}, {"2026-03-02", "09:00"}, {"31/02/2026", "10:00"}, {"02/03/2026", "9:00 PM"}, {"02/03/2026", "24:00"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, date, clock string) {
		at, err := formInstant(date, clock, loc)
		if err != nil || at.IsZero() {
			return
		}
		d, c := strings.TrimSpace(date), strings.TrimSpace(clock)
		back, err := time.ParseInLocation("2/1/2006 15:04", d+" "+c, loc)
		if err != nil || !back.Equal(at) || at.Location() != loc {
			t.Errorf("formInstant(%q, %q) = %v, read back %v %v", date, clock, at, back, err)
		}
		if at.Hour() > 23 || at.Minute() > 59 {
			t.Errorf("formInstant(%q, %q) = %v: no such time", date, clock, at)
		}
	})
}
