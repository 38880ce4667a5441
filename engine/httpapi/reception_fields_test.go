package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine/enginetest"
)

// TestReceptionNamesEveryWrongField: a reception with several wrong
// fields is refused once, naming each: the API's 422 lists them in the
// form's order (field stays the first, for older clients), and the page
// shows each reason beside its own input.
func TestReceptionNamesEveryWrongField(t *testing.T) {
	t.Parallel()
	b := setup(t)
	body := `{"procedure":"` + enginetest.SampleCode + `","applicant":{"name":"A","id_no":"123","phone":"abc","email":"khong-phai-email"},"inputs":{"sets":"0"}}`
	r := b.call("POST", "/api/v1/dossiers", receiver, body)
	var e ErrorBody
	r.json(t, &e)
	var fields []string
	for _, f := range e.Error.Fields {
		fields = append(fields, f.Field)
		if f.Message == "" || f.MessageEN == "" || f.Message == f.MessageEN {
			t.Errorf("%s: messages %q / %q, want both languages", f.Field, f.Message, f.MessageEN)
		}
	}
	want := "applicant.id_no,applicant.phone,applicant.email,inputs.sets"
	if r.status != http.StatusUnprocessableEntity || e.Error.Field != "applicant.id_no" || strings.Join(fields, ",") != want {
		t.Errorf("refusal: %d field %q fields %v, want 422, field applicant.id_no, fields %s (%s)", r.status, e.Error.Field, fields, want, r.body)
	}
	// One wrong field: no list, as before.
	r = b.call("POST", "/api/v1/dossiers", receiver, `{"procedure":"`+enginetest.SampleCode+`","applicant":{"name":"A","phone":"abc"}}`)
	e = ErrorBody{}
	r.json(t, &e)
	if e.Error.Field != "applicant.phone" || len(e.Error.Fields) != 0 {
		t.Errorf("one wrong field: field %q, fields %v", e.Error.Field, e.Error.Fields)
	}

	desk := b.browser(t)
	csrf := desk.signIn(receiver)
	_, form, _ := desk.get("/receive")
	key := keyRE.FindStringSubmatch(form)[1]
	st, page, _ := desk.post("/receive", url.Values{"csrf": {csrf}, "key": {key}, "procedure": {enginetest.SampleCode}, "channel": {"counter"},
		"name": {"Đặng Văn Bình"}, "id_no": {"123"}, "phone": {"abc"}, "email": {"khong-phai-email"}, "sets": {"2"}})
	if st != http.StatusUnprocessableEntity {
		t.Errorf("page: status %d, want 422", st)
	}
	for _, want := range []string{`id="id_no-error"`, `id="phone-error"`, `id="email-error"`, "12 chữ số", "số điện thoại di động", "ten@mien.vn"} {
		if !strings.Contains(page, want) {
			t.Errorf("the refused page lacks %q beside its field", want)
		}
	}
	if list, _ := b.store.List(t.Context(), struct2query()); len(list) != 0 {
		t.Errorf("%d dossiers stored by refused receptions", len(list))
	}
}
