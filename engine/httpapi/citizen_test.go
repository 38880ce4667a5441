package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
)

var testRatingKey = []byte("rating key of the tests, 32 byte")

// petitionProc is a complaint received at the desk; hidden, when set, is
// a denunciation with public_lookup: false.
func petitionProc(code string, kind engine.Kind, hidden bool) *engine.Procedure {
	p := &engine.Procedure{
		Code: code, Name: "Đơn " + code, Version: 1, Kind: kind, TimeLimit: calendar.DaysOf(30),
		Supplement: engine.SupplementPause, Initial: "nhan", NoPublicLookup: hidden,
		States: []*engine.State{
			{ID: "nhan", Name: "Tiếp nhận đơn", Unit: enginetest.UnitDesk, Status: 2},
			{ID: "xong", Name: "Đã giải quyết", Final: engine.OutcomeApproved, Status: 10},
		},
		Actions: []*engine.Action{{ID: "giai_quyet", Name: "Giải quyết", From: []string{"nhan"}, To: "xong"}},
	}
	if err := p.Index(); err != nil {
		panic(err)
	}
	return p
}

func citizenSetup(t *testing.T) *bundle {
	return setup(t, setupOpts{ratingKey: testRatingKey, procs: []*engine.Procedure{
		petitionProc("KN.01", engine.KindComplaint, false), petitionProc("TC.01", engine.KindDenunciation, true)}})
}

// personal is what the lookup must never show of SampleReception's
// applicant and of the officers.
var personal = []string{"Nguyễn Bí Mật", "Bí Mật", "0900000001", "001090000001", "bimat@example.vn",
	"Nguyễn Thị Tiếp", "Trần Văn Chức", "Hoàng Văn Chủ", "history", "ledger", "applicant"}

func noPersonalData(t *testing.T, where, body string) {
	t.Helper()
	for _, s := range personal {
		if strings.Contains(body, s) {
			t.Errorf("%s reveals %q", where, s)
		}
	}
}

func (b *bundle) receiveWith(proc string, a engine.Applicant) *engine.Dossier {
	b.t.Helper()
	d, err := b.eng.Receive(context.Background(), proc, 0, engine.ReceiveInput{Actor: enginetest.Receiver, Applicant: a})
	if err != nil {
		b.t.Fatal(err)
	}
	return d
}

func (b *bundle) act(code, action, actor string, inputs map[string]string) {
	b.t.Helper()
	if _, err := b.eng.Act(context.Background(), code, engine.ActInput{Action: action, Actor: actor, Inputs: inputs}, 0); err != nil {
		b.t.Fatalf("%s %s: %v", action, code, err)
	}
}

// TestLookupSaysWhy: a paused dossier shows what is missing, a refused
// one the reason, every one where to collect the result — in the API and
// on the page — and never a name or a number of the applicant or the
// officers.
func TestLookupSaysWhy(t *testing.T) {
	t.Parallel()
	b := citizenSetup(t)
	app := engine.Applicant{Name: "Nguyễn Bí Mật", IDNo: "001090000001", Phone: "0900000001", Email: "bimat@example.vn"}
	paused := b.receiveWith(enginetest.SampleCode, app)
	b.act(paused.Code, "chuyen", enginetest.Receiver, map[string]string{"note": "đủ"})
	b.act(paused.Code, "yeu_cau_bo_sung", enginetest.Officer, map[string]string{"reason": "Thiếu bản sao giấy chứng nhận kết hôn"})
	refused := b.receiveWith(enginetest.SampleCode, app)
	b.act(refused.Code, "chuyen", enginetest.Receiver, map[string]string{"note": "đủ"})
	b.act(refused.Code, "tu_choi", enginetest.Officer, map[string]string{"reason": "Không thuộc thẩm quyền giải quyết của xã"})

	var v LookupView
	r := b.call("GET", "/api/v1/lookup/"+paused.Code, "", nil)
	r.json(t, &v)
	if v.Status != engine.StatusPaused || v.SupplementReason != "Thiếu bản sao giấy chứng nhận kết hôn" || v.CollectAt != "Bộ phận Một cửa" || v.RefusalReason != "" {
		t.Errorf("paused lookup %+v", v)
	}
	noPersonalData(t, "the paused dossier's lookup", string(r.body))
	r = b.call("GET", "/api/v1/lookup/"+refused.Code+"?lang=en", "", nil)
	v = LookupView{}
	r.json(t, &v)
	if v.RefusalReason != "Không thuộc thẩm quyền giải quyết của xã" || v.SupplementReason != "" || v.CollectAt != "One-stop desk" {
		t.Errorf("refused lookup %+v", v)
	}
	noPersonalData(t, "the refused dossier's lookup", string(r.body))

	br := b.browser(t)
	_, page, _ := br.get("/lookup?code=" + paused.Code)
	for _, want := range []string{`id="lookup-missing">Thiếu bản sao giấy chứng nhận kết hôn<`, `id="lookup-collect">Bộ phận Một cửa<`} {
		if !strings.Contains(page, want) {
			t.Errorf("lookup page lacks %s", want)
		}
	}
	noPersonalData(t, "the lookup page", strings.ReplaceAll(page, `name="factor"`, ""))
	_, page, _ = br.get("/lookup?code=" + refused.Code)
	if !strings.Contains(page, `id="lookup-refusal">Không thuộc thẩm quyền giải quyết của xã<`) {
		t.Error("lookup page does not say why the dossier was refused")
	}
	st, _, h := br.get("/l/" + paused.Code)
	if st != http.StatusSeeOther || h.Get("Location") != "/lookup?code="+paused.Code {
		t.Errorf("short link: %d %q", st, h.Get("Location"))
	}
}

// TestPetitionLookupAsksASecondFactor: a petition is found only with the
// last four digits of the phone or ID number; without them, with wrong
// ones, or for a hidden procedure, the answer is the unknown code's,
// byte for byte but the code; wrong guesses use up the lookup's limit.
func TestPetitionLookupAsksASecondFactor(t *testing.T) {
	t.Parallel()
	b := citizenSetup(t)
	app := engine.Applicant{Name: "Nguyễn Bí Mật", IDNo: "001090004321", Phone: "0912 345 678"}
	kn := b.receiveWith("KN.01", app)
	tc := b.receiveWith("TC.01", app)
	unknown := b.call("GET", "/api/v1/lookup/XA01-260302-0999", "", nil)
	same := func(rule string, r resp, code string) {
		t.Helper()
		if r.status != unknown.status || strings.ReplaceAll(string(r.body), code, "X") != strings.ReplaceAll(string(unknown.body), "XA01-260302-0999", "X") {
			t.Errorf("%s: %d %s, want the unknown code's %d %s", rule, r.status, r.body, unknown.status, unknown.body)
		}
	}
	same("a complaint by its code alone", b.call("GET", "/api/v1/lookup/"+kn.Code, "", nil), kn.Code)
	same("a complaint with a wrong factor", b.call("GET", "/api/v1/lookup/"+kn.Code+"?factor=1111", "", nil), kn.Code)
	same("a denunciation hidden from the lookup, even with the right factor", b.call("GET", "/api/v1/lookup/"+tc.Code+"?factor=5678", "", nil), tc.Code)
	for _, f := range []string{"5678", "4321"} {
		r := b.call("GET", "/api/v1/lookup/"+kn.Code+"?factor="+f, "", nil)
		if r.status != http.StatusOK {
			t.Errorf("the complaint with factor %s (phone or ID): %d %s", f, r.status, r.body)
		}
		noPersonalData(t, "the complaint's lookup", string(r.body))
	}
	br := b.browser(t)
	st, page, _ := br.get("/lookup?code=" + kn.Code)
	if st != http.StatusNotFound || !strings.Contains(page, `id="lookup-not-found"`) || !strings.Contains(page, `id="factor"`) {
		t.Errorf("the page without the factor: %d; want not found and the factor asked", st)
	}
	if st, page, _ := br.get("/lookup?code=" + kn.Code + "&factor=5678"); st != http.StatusOK || !strings.Contains(page, `id="lookup-result"`) {
		t.Errorf("the page with the factor: %d", st)
	}
	// Wrong factors are charged like any lookup, until the limit answers.
	limited := false
	for i := 0; i < DefaultLookupBurst+1 && !limited; i++ {
		limited = b.call("GET", "/api/v1/lookup/"+kn.Code+"?factor=000"+string(rune('0'+i%10)), "", nil).status == http.StatusTooManyRequests
	}
	if !limited {
		t.Error("wrong second factors are never limited")
	}
}

func ratingBody(token string, score int, comment string) map[string]any {
	scores := map[string]int{}
	for _, c := range engine.RatingCriteria {
		scores[c.ID] = score
	}
	return map[string]any{"token": token, "scores": scores, "comment": comment}
}

// TestRatingOnceAndNeverTwice: a returned dossier is rated once through
// its link; before the return, with a wrong token, twice, or twice at
// once, it is not.
func TestRatingOnceAndNeverTwice(t *testing.T) {
	t.Parallel()
	b := citizenSetup(t)
	d := b.receive("Nguyễn Bí Mật", "chuyen", "trinh", "ky")
	tok := engine.RatingToken(testRatingKey, d.Code)
	path := "/api/v1/ratings/" + d.Code
	if r := b.call("POST", path, "", ratingBody(tok, 3, "")); r.status != http.StatusConflict {
		t.Errorf("before the result is returned: %d %s", r.status, r.body)
	}
	b.act(d.Code, "tra", enginetest.Receiver, nil)
	if r := b.call("POST", path, "", ratingBody(engine.RatingToken([]byte("other key"), d.Code), 3, "")); r.status != http.StatusNotFound {
		t.Errorf("a wrong token: %d %s", r.status, r.body)
	}
	if r := b.call("POST", path, "", ratingBody(tok, 5, "")); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a score of 5: %d %s", r.status, r.body)
	}
	if r := b.call("POST", path, "", ratingBody(tok, 3, "Cán bộ nhiệt tình")); r.status != http.StatusCreated {
		t.Fatalf("the rating: %d %s", r.status, r.body)
	}
	r := b.call("POST", path, "", ratingBody(tok, 1, "sửa lại"))
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), "đã được đánh giá") {
		t.Errorf("a second rating: %d %s", r.status, r.body)
	}
	got, _ := b.store.Get(t.Context(), d.Code)
	if got.Rating == nil || got.Rating.Comment != "Cán bộ nhiệt tình" || got.Rating.Scores["thai_do"] != 3 || !got.Rating.At.Equal(b.clock.Now().UTC()) {
		t.Errorf("stored rating %+v", got.Rating)
	}

	// Two at once: one stored, the other told.
	d2 := b.receive("Người Thứ Hai", "chuyen", "trinh", "ky", "tra")
	tok2 := engine.RatingToken(testRatingKey, d2.Code)
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = b.call("POST", "/api/v1/ratings/"+d2.Code, "", ratingBody(tok2, 1+i, "")).status
		}()
	}
	wg.Wait()
	if statuses[0]+statuses[1] != http.StatusCreated+http.StatusConflict {
		t.Errorf("two concurrent ratings: %v, want one 201 and one 409", statuses)
	}
}

// TestRatingPage: the link opens the form in Vietnamese or English, the
// form stores the rating once, and the link then says it was rated; a
// wrong token is an unknown page.
func TestRatingPage(t *testing.T) {
	t.Parallel()
	b := citizenSetup(t)
	d := b.receive("Nguyễn Bí Mật", "chuyen", "trinh", "ky", "tra")
	link := "/r/" + d.Code + "/" + engine.RatingToken(testRatingKey, d.Code)
	br := b.browser(t)
	st, page, _ := br.get(link + "?lang=en")
	if st != http.StatusOK || !strings.Contains(page, "Attitude and conduct of the officers") || !strings.Contains(page, `id="rate-form"`) {
		t.Fatalf("the form in English: %d", st)
	}
	noPersonalData(t, "the rating form", page)
	vals := url.Values{"comment": {"Nhanh"}}
	for _, c := range engine.RatingCriteria {
		vals.Set("score_"+c.ID, "2")
	}
	vals.Del("score_thai_do")
	if st, page, _ := br.post(link, vals); st != http.StatusUnprocessableEntity || !strings.Contains(page, `id="rate-error"`) || !strings.Contains(page, `value="2" required checked`) {
		t.Errorf("a criterion left out: %d; want the form back with the error and the scores kept", st)
	}
	vals.Set("score_thai_do", "3")
	if st, page, _ := br.post(link, vals); st != http.StatusOK || !strings.Contains(page, `id="rate-thanks"`) {
		t.Errorf("the rating sent: %d", st)
	}
	if st, page, _ := br.post(link, vals); st != http.StatusConflict || !strings.Contains(page, `id="rate-done"`) {
		t.Errorf("sent again: %d", st)
	}
	if st, page, _ := br.get(link); st != http.StatusOK || !strings.Contains(page, `id="rate-done"`) || strings.Contains(page, `id="rate-form"`) {
		t.Errorf("the link after the rating: %d", st)
	}
	if st, _, _ := br.get("/r/" + d.Code + "/AAAAAAAAAAAA"); st != http.StatusNotFound {
		t.Errorf("a wrong token: %d", st)
	}
}

// TestReceiptCarriesTheQRCodes: form 01 prints the lookup link and its QR
// code, and the rating link's QR code for a procedure that is rated.
func TestReceiptCarriesTheQRCodes(t *testing.T) {
	t.Parallel()
	b := citizenSetup(t)
	d := b.receive("Nguyễn Văn A")
	br := b.browser(t)
	br.signIn(enginetest.Receiver)
	st, page, _ := br.get("/dossiers/" + d.Code + "/receipt")
	if st != http.StatusOK {
		t.Fatalf("receipt: %d", st)
	}
	for _, want := range []string{`id="receipt-qr"><svg`, `class="qr"`, b.ts.URL + "/l/" + d.Code, `id="receipt-rating-qr"><svg`} {
		if !strings.Contains(page, want) {
			t.Errorf("form 01 lacks %s", want)
		}
	}
	kn := b.receiveWith("KN.01", engine.Applicant{Name: "B"})
	_, page, _ = br.get("/dossiers/" + kn.Code + "/receipt")
	if !strings.Contains(page, `id="receipt-qr"`) || strings.Contains(page, `id="receipt-rating-qr"`) {
		t.Error("a petition's receipt: want the lookup QR and no rating QR")
	}
}

// TestReceptionRefusesAContactThatCannotBeReached: the page refuses an
// e-mail address a notice could not reach beside its field, as the API
// does (TestAPIReceptionNamesTheField), so that a bad contact is found at
// the desk, not when the first notice bounces.
func TestReceptionRefusesAContactThatCannotBeReached(t *testing.T) {
	t.Parallel()
	b := citizenSetup(t)
	desk := b.browser(t)
	csrf := desk.signIn(receiver)
	_, form, _ := desk.get("/receive")
	key := keyRE.FindStringSubmatch(form)[1]
	for _, c := range []struct{ rule, field, value string }{
		{"an e-mail without a domain is refused", "email", "dan@localhost"},
		{"a phone of 9 digits is refused", "phone", "091234567"},
	} {
		vals := url.Values{"csrf": {csrf}, "key": {key}, "procedure": {enginetest.SampleCode}, "channel": {"counter"},
			"name": {"Đặng Văn Bình"}, c.field: {c.value}}
		st, page, _ := desk.post("/receive", vals)
		if st != http.StatusUnprocessableEntity || !strings.Contains(page, `id="`+c.field+`-error"`) {
			t.Errorf("%s: %d, want 422 with the message beside the field", c.rule, st)
		}
	}
	if list, _ := b.store.List(t.Context(), struct2query()); len(list) != 0 {
		t.Fatalf("%d dossiers stored with a contact that cannot be reached", len(list))
	}
}
