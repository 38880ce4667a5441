package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// contentsCode is the procedure of these tests: the sample flow with a
// birth registration's components, fees and result rule.
const contentsCode = "TEST.KS"

func contentsProcedure(t testing.TB) *engine.Procedure {
	p := enginetest.SampleProcedure()
	p.Code, p.Name, p.NameEN = contentsCode, "Đăng ký khai sinh (thử)", "Birth registration (test)"
	p.Online = engine.OnlineFull
	p.Components = []engine.Component{
		{ID: "to-khai", Name: "Tờ khai đăng ký khai sinh", NameEN: "Birth registration form", Copy: engine.CopyOriginal, Count: 1, Required: true},
		{ID: "giay-chung-sinh", Name: "Giấy chứng sinh", NameEN: "Medical birth certificate", Copy: engine.CopyOriginal, Count: 1, Required: true},
		{ID: "tuy-than", Name: "Giấy tờ tùy thân", NameEN: "Identity paper", Copy: engine.CopyAny, Count: 1},
	}
	p.Fees = []engine.Fee{
		{ID: "le-phi", Name: "Lệ phí đăng ký khai sinh (miễn)", NameEN: "Registration fee (exempt)", Amount: 0},
		{ID: "ban-sao", Name: "Phí cấp bản sao trích lục", NameEN: "Copies of the extract", Amount: 8000, Per: engine.FeePerCopy, Due: engine.FeeDueBeforeResult},
	}
	p.Result = engine.ResultSpec{Name: "Giấy khai sinh", NameEN: "Birth certificate", File: engine.ResultFileRequired}
	if err := p.Index(); err != nil {
		t.Fatal(err)
	}
	return p
}

func contentsBody(name string, components []map[string]any, copies int) map[string]any {
	b := map[string]any{"procedure": contentsCode, "channel": "counter", "applicant": map[string]any{"name": name}}
	if components != nil {
		b["components"] = components
	}
	if copies > 0 {
		b["copies"] = map[string]int{"ban-sao": copies}
	}
	return b
}

func complete() []map[string]any {
	return []map[string]any{{"id": "to-khai", "copy": "original", "count": 1}, {"id": "giay-chung-sinh", "count": 1}}
}

// TestReceptionChecklistRefusesBeforeTakingANumber: a reception missing a
// required component is 422 with every missing component named and the
// guidance link, and takes no number: the receptions around it are
// consecutive.
func TestReceptionChecklistRefusesBeforeTakingANumber(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{procs: []*engine.Procedure{contentsProcedure(t)}})
	var first, second receiveResponse
	r := b.call("POST", "/api/v1/dossiers", receiver, contentsBody("A", complete(), 0))
	if r.status != http.StatusCreated {
		t.Fatalf("complete: %d %s", r.status, r.body)
	}
	r.json(t, &first)
	before := b.snapshot()
	r = b.call("POST", "/api/v1/dossiers", receiver, contentsBody("B", []map[string]any{{"id": "to-khai", "copy": "copy", "count": 1}}, 0))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete: %d %s", r.status, r.body)
	}
	var e ErrorBody
	r.json(t, &e)
	if e.Error.Code != engine.EINVALID || e.Error.Field != engine.FieldComponents || len(e.Error.Missing) != 2 ||
		e.Error.Missing[0].ID != "to-khai" || e.Error.Missing[0].GotCopy != engine.CopyPlain || e.Error.Missing[1].ID != "giay-chung-sinh" {
		t.Errorf("error %+v", e.Error)
	}
	for _, w := range []string{"Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "mẫu 02"} {
		if !strings.Contains(e.Error.Message, w) {
			t.Errorf("message %q lacks %q", e.Error.Message, w)
		}
	}
	if !strings.Contains(e.Error.MessageEN, "Medical birth certificate") {
		t.Errorf("English message %q", e.Error.MessageEN)
	}
	if e.Error.Guidance != "/procedures/TEST.KS/guidance?missing=to-khai%2Cgiay-chung-sinh" {
		t.Errorf("guidance %q", e.Error.Guidance)
	}
	if b.snapshot() != before {
		t.Error("a refused reception changed the store")
	}
	r = b.call("POST", "/api/v1/dossiers", receiver, contentsBody("C", complete(), 0))
	r.json(t, &second)
	if !strings.HasSuffix(first.Code, "-0001") || !strings.HasSuffix(second.Code, "-0002") {
		t.Errorf("codes %s then %s: want consecutive", first.Code, second.Code)
	}
	// A procedure without components receives without a checklist, as before.
	if r := b.call("POST", "/api/v1/dossiers", receiver, receiveBody("D")); r.status != http.StatusCreated {
		t.Errorf("no components: %d %s", r.status, r.body)
	}
	// The procedure tells clients what to hand in and what it costs.
	r = b.call("GET", "/api/v1/procedures/"+contentsCode, receiver, nil)
	var pv ProcedureView
	r.json(t, &pv)
	if len(pv.Components) != 3 || pv.Components[0].Asked != "1 bản chính" || len(pv.Fees) != 2 || pv.Fees[1].Words != "8.000 đ/bản" || pv.Result == nil || pv.Result.File != engine.ResultFileRequired {
		t.Errorf("procedure contents %+v", pv.ProcedureContents)
	}
}

// TestFeesPaymentAndGatesOverAPI walks a dossier with a per-copy fee due
// before the result: the fee is recorded at reception, the final step is
// refused without the result file, then without the payment, and passes
// with both.
func TestFeesPaymentAndGatesOverAPI(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{procs: []*engine.Procedure{contentsProcedure(t)}})
	r := b.call("POST", "/api/v1/dossiers", receiver, contentsBody("A", append(complete(), map[string]any{"id": "tuy-than", "copy": "copy", "count": 1}), 2))
	var rec receiveResponse
	r.json(t, &rec)
	code := rec.Code
	if r := b.call("POST", "/api/v1/dossiers/"+code+"/actions/chuyen", receiver, map[string]any{"inputs": map[string]string{"note": "x"}}); r.status != http.StatusOK {
		t.Fatalf("chuyen: %d %s", r.status, r.body)
	}
	r = b.call("GET", "/api/v1/dossiers/"+code, officer, nil)
	if r.status != http.StatusOK {
		t.Fatalf("acting unit reads: %d %s", r.status, r.body)
	}
	var dv struct {
		Components []engine.ComponentReceipt `json:"components"`
		Fees       []engine.FeeRecord        `json:"fees"`
	}
	r.json(t, &dv)
	if len(dv.Components) != 3 || dv.Components[1].Copy != engine.CopyOriginal || dv.Components[2].Copy != engine.CopyPlain {
		t.Errorf("acting unit sees components %+v", dv.Components)
	}
	if len(dv.Fees) != 2 || dv.Fees[1].Amount != 16000 || dv.Fees[1].Copies != 2 || dv.Fees[1].Paid {
		t.Errorf("fees %+v", dv.Fees)
	}
	for _, a := range []struct{ action, who string }{{"trinh", officer}, {"ky", chairman}} {
		if r := b.call("POST", "/api/v1/dossiers/"+code+"/actions/"+a.action, a.who, map[string]any{"inputs": map[string]string{"note": "x"}}); r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", a.action, r.status, r.body)
		}
	}
	r = b.call("POST", "/api/v1/dossiers/"+code+"/actions/tra", receiver, nil)
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), "Giấy khai sinh") {
		t.Fatalf("without the result: %d %s", r.status, r.body)
	}
	attachResult(t, b, code)
	r = b.call("POST", "/api/v1/dossiers/"+code+"/actions/tra", receiver, nil)
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), "16.000 đ") {
		t.Fatalf("unpaid: %d %s", r.status, r.body)
	}
	pay := func(who string, body map[string]any) resp {
		return b.call("POST", "/api/v1/dossiers/"+code+"/payments", who, body)
	}
	for _, tc := range []struct {
		rule   string
		who    string
		body   map[string]any
		status int
	}{
		{"a unit neither receiving nor holding the dossier may not record", officer, map[string]any{"fee": "ban-sao", "method": "counter", "receipt": "BL-1"}, http.StatusForbidden},
		{"a transfer needs its reference", receiver, map[string]any{"fee": "ban-sao", "method": "transfer", "receipt": "BL-1"}, http.StatusUnprocessableEntity},
		{"an exempt fee has nothing to collect", receiver, map[string]any{"fee": "le-phi", "method": "counter", "receipt": "BL-1"}, http.StatusUnprocessableEntity},
		{"an unknown fee is not found", receiver, map[string]any{"fee": "khac", "method": "counter", "receipt": "BL-1"}, http.StatusNotFound},
		{"an unknown field is a bad request", receiver, map[string]any{"fee": "ban-sao", "method": "counter", "receipt": "BL-1", "amount": 1}, http.StatusBadRequest},
		{"the desk records a transfer with its reference and receipt", receiver, map[string]any{"fee": "ban-sao", "method": "transfer", "reference": "FT26061", "receipt": "BL-1"}, http.StatusOK},
		{"a second payment of the same fee is a conflict", receiver, map[string]any{"fee": "ban-sao", "method": "counter", "receipt": "BL-2"}, http.StatusConflict},
	} {
		if r := pay(tc.who, tc.body); r.status != tc.status {
			t.Errorf("%s: %d %s", tc.rule, r.status, r.body)
		}
	}
	d, err := b.store.Get(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	last := d.History[len(d.History)-1]
	if f := d.Fees[1]; !f.Paid || f.Method != engine.PayTransfer || f.Reference != "FT26061" || f.Receipt != "BL-1" || f.By != receiver ||
		last.Action != engine.ActionPayFee || last.Inputs["receipt"] != "BL-1" {
		t.Errorf("fee %+v, last row %+v", f, last)
	}
	if r := b.call("POST", "/api/v1/dossiers/"+code+"/actions/tra", receiver, nil); r.status != http.StatusOK {
		t.Fatalf("with result and payment: %d %s", r.status, r.body)
	}
}

// attachResult stands in for the file store (another part's work): it
// records a result file on the dossier the way an upload will, with its
// own history row.
func attachResult(t testing.TB, b *bundle, code string) {
	t.Helper()
	ctx := context.Background()
	d, err := b.store.Get(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	nd := d.Clone()
	now := b.clock.Now().UTC()
	nd.Files = append(nd.Files, engine.FileRef{ID: "f-result", SHA256: strings.Repeat("a", 64), Size: 10, ContentType: "application/pdf", Name: "giay-khai-sinh.pdf", Result: true, At: now, By: receiver})
	nd.History = append(nd.History, engine.HistoryRow{Seq: len(d.History) + 1, At: now, Action: "attach_test", Actor: receiver,
		FromState: d.State, ToState: d.State, FromUnit: d.Unit, ToUnit: d.Unit})
	nd.Version = d.Version + 1
	if err := b.store.Apply(ctx, nd, d.Version, nil); err != nil {
		t.Fatal(err)
	}
}

// TestContentsPages: the reception form refuses an incomplete checklist
// beside it with the guidance link, receives a complete one; the dossier
// page shows the components, the fees and the payment form; a payment
// recorded from the page shows on it and on form 01; the guidance page
// lists what is missing.
func TestContentsPages(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{procs: []*engine.Procedure{contentsProcedure(t)}})
	br := b.browser(t)
	csrf := br.signIn(receiver)
	_, form, _ := br.get("/receive")
	if !strings.Contains(form, `data-checklist="TEST.KS"`) || !strings.Contains(form, "got|TEST.KS|to-khai") || strings.Contains(form, `data-checklist="TEST.01"`) {
		t.Fatalf("reception form without the right checklists")
	}
	vals := url.Values{"csrf": {csrf}, "key": {"k1"}, "procedure": {contentsCode}, "name": {"Nguyễn Văn A"}, "channel": {"counter"},
		"got|TEST.KS|to-khai": {"1"}, "copy|TEST.KS|to-khai": {"original"}, "count|TEST.KS|to-khai": {"1"}, "copies|TEST.KS|ban-sao": {"2"}}
	st, page, _ := br.post("/receive", vals)
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, `id="checklist-error"`) || !strings.Contains(page, `id="guidance-link"`) ||
		!strings.Contains(page, `class="check-row missing" data-component="giay-chung-sinh"`) || strings.Contains(page, `class="check-row missing" data-component="to-khai"`) {
		t.Fatalf("refusal beside the checklist: %d", st)
	}
	if !strings.Contains(page, `name="got|TEST.KS|to-khai" value="1" checked`) {
		t.Error("the ticked boxes are not kept")
	}
	_, guide, _ := br.get("/procedures/TEST.KS/guidance?missing=giay-chung-sinh")
	if !strings.Contains(guide, `id="guidance-missing"><li>Giấy chứng sinh — 1 bản chính</li>`) {
		t.Errorf("guidance page does not list the missing component")
	}
	vals.Set("got|TEST.KS|giay-chung-sinh", "1")
	st, _, h := br.post("/receive", vals)
	if st != http.StatusSeeOther {
		t.Fatalf("complete reception: %d", st)
	}
	code := strings.TrimSuffix(strings.TrimPrefix(h.Get("Location"), "/dossiers/"), "/receipt")
	_, receipt, _ := br.get("/dossiers/" + code + "/receipt")
	for _, w := range []string{"Tờ khai đăng ký khai sinh: 1 bản chính", `id="receipt-fees"`, "16.000 đ (2 bản)", "thu trước khi trả kết quả"} {
		if !strings.Contains(receipt, w) {
			t.Errorf("receipt lacks %q", w)
		}
	}
	_, dossier, _ := br.get("/dossiers/" + code)
	for _, w := range []string{`id="contents"`, `data-component="tuy-than"`, "Chưa nộp", `data-pay="ban-sao"`, "Cần đính kèm tệp kết quả"} {
		if !strings.Contains(dossier, w) {
			t.Errorf("dossier page lacks %q", w)
		}
	}
	if strings.Contains(dossier, `data-pay="le-phi"`) {
		t.Error("an exempt fee offers a payment form")
	}
	st, page, _ = br.post("/dossiers/"+code+"/pay", url.Values{"csrf": {csrfOf(t, dossier)}, "version": {"1"}, "fee": {"ban-sao"}, "method": {"online"}, "receipt": {"BL-9"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, "mã giao dịch") {
		t.Errorf("online payment without reference: %d", st)
	}
	st, _, h = br.post("/dossiers/"+code+"/pay", url.Values{"csrf": {csrfOf(t, dossier)}, "version": {"1"}, "fee": {"ban-sao"}, "method": {"counter"}, "receipt": {"BL-9"}})
	if st != http.StatusSeeOther {
		t.Fatalf("payment: %d", st)
	}
	_, dossier, _ = br.get(h.Get("Location"))
	if !strings.Contains(dossier, `data-paid="ban-sao"`) || !strings.Contains(dossier, "BL-9") || !strings.Contains(dossier, "Thu phí, lệ phí") {
		t.Error("dossier page does not show the payment and its history row")
	}
	_, receipt, _ = br.get("/dossiers/" + code + "/receipt")
	if !strings.Contains(receipt, "Biên lai số BL-9") {
		t.Error("receipt does not show what was paid")
	}
}

// TestForm02ListsComponentsAndGateSpeaks: a request for supplementation
// made on the page names the components to bring, and form 02 lists them
// by name with the form asked; the result gate's refusal reaches the
// dossier page in plain words.
func TestForm02ListsComponentsAndGateSpeaks(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{procs: []*engine.Procedure{contentsProcedure(t)}})
	ctx := context.Background()
	p := contentsProcedure(t)
	in := enginetest.SampleReception("Nguyễn Văn A")
	in.Components = engine.CompleteChecklist(p)
	d, err := b.eng.Receive(ctx, contentsCode, 0, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.eng.Act(ctx, d.Code, engine.ActInput{Action: "chuyen", Actor: receiver}, 0); err != nil {
		t.Fatal(err)
	}
	br := b.browser(t)
	br.signIn(officer)
	_, page, _ := br.get("/dossiers/" + d.Code)
	if !strings.Contains(page, `name="in_components" value="tuy-than"`) {
		t.Fatal("the supplement request offers no components to tick")
	}
	st, _, _ := br.post("/dossiers/"+d.Code+"/act", url.Values{"csrf": {csrfOf(t, page)}, "action": {"yeu_cau_bo_sung"}, "version": {"2"},
		"in_reason": {"Giấy tờ tùy thân không rõ"}, "in_components": {"tuy-than", "giay-chung-sinh"}, "confirm": {"yes"}})
	if st != http.StatusSeeOther {
		t.Fatalf("request supplement: %d", st)
	}
	cur, _ := b.store.Get(ctx, d.Code)
	if got := cur.History[len(cur.History)-1].Inputs[InputComponents]; got != "tuy-than,giay-chung-sinh" {
		t.Errorf("history records components %q", got)
	}
	_, form02, _ := br.get("/dossiers/" + d.Code + "/supplement-request")
	if !strings.Contains(form02, "<li>Giấy chứng sinh (1 bản chính)</li>") || !strings.Contains(form02, "<li>Giấy tờ tùy thân (1 bản chính hoặc bản sao)</li>") || strings.Contains(form02, "<li>Tờ khai") {
		t.Errorf("form 02 does not list the components asked for")
	}

	// Back, signed and at the desk: returning the result without its file
	// is refused on the page, in words.
	for _, a := range []engine.ActInput{{Action: "nhan_bo_sung", Actor: receiver}, {Action: "trinh", Actor: officer}, {Action: "ky", Actor: chairman}} {
		if _, err := b.eng.Act(ctx, d.Code, a, 0); err != nil {
			t.Fatalf("%s: %v", a.Action, err)
		}
	}
	desk := b.browser(t)
	desk.signIn(receiver)
	_, page, _ = desk.get("/dossiers/" + d.Code)
	st, page, _ = desk.post("/dossiers/"+d.Code+"/act", url.Values{"csrf": {csrfOf(t, page)}, "action": {"tra"}, "confirm": {"yes"}})
	if st != http.StatusConflict || !strings.Contains(page, "Cần đính kèm tệp kết quả (Giấy khai sinh) trước khi hoàn thành hồ sơ") {
		t.Errorf("gate on the page: %d", st)
	}
}

// TestReceptionReplayComparesTheChecklist: a retried reception with the
// same key and checklist returns the first dossier; the key with another
// checklist or other copies is a reused key.
func TestReceptionReplayComparesTheChecklist(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{procs: []*engine.Procedure{contentsProcedure(t)}})
	body := contentsBody("A", complete(), 2)
	first := b.call("POST", "/api/v1/dossiers", receiver, body, "Idempotency-Key", "k-1")
	again := b.call("POST", "/api/v1/dossiers", receiver, body, "Idempotency-Key", "k-1")
	if first.status != http.StatusCreated || again.status != http.StatusCreated {
		t.Fatalf("first %d, retry %d: %s", first.status, again.status, again.body)
	}
	for _, tc := range []struct {
		rule string
		body map[string]any
	}{
		{"another checklist", contentsBody("A", append(complete(), map[string]any{"id": "tuy-than", "count": 1}), 2)},
		{"other copies", contentsBody("A", complete(), 3)},
	} {
		if r := b.call("POST", "/api/v1/dossiers", receiver, tc.body, "Idempotency-Key", "k-1"); r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", tc.rule, r.status, r.body)
		}
	}
}
