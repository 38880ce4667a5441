package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

const (
	receiver = enginetest.Receiver
	officer  = enginetest.Officer
	head     = enginetest.Head
	chairman = enginetest.Chairman
	outsider = enginetest.Outsider
)

func receiveBody(name string) map[string]any {
	return map[string]any{"procedure": enginetest.SampleCode, "channel": "counter",
		"applicant": map[string]any{"name": name, "phone": "0900000001"}}
}

func TestReceiveReturns201WithCodeDueAndReceipt(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.call("POST", "/api/v1/dossiers", receiver, receiveBody("Nguyễn Văn A"))
	if r.status != http.StatusCreated {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var got receiveResponse
	r.json(t, &got)
	if !regexp.MustCompile(`^XA01-260302-\d{4}$`).MatchString(got.Code) {
		t.Errorf("code %q does not follow {unit}-{YYMMDD}-{NNNN}", got.Code)
	}
	if got.DueAt == nil || got.Receipt.AppointmentAt == nil || !got.DueAt.Equal(*got.Receipt.AppointmentAt) {
		t.Errorf("due %v, receipt appointment %v", got.DueAt, got.Receipt.AppointmentAt)
	}
	// 5 working days from Monday 2 March 2026 09:00 end Monday 9 March 09:00.
	if want := "2026-03-09T02:00:00Z"; got.DueAt.UTC().Format("2006-01-02T15:04:05Z") != want {
		t.Errorf("due %v, want %s", got.DueAt.UTC(), want)
	}
	if got.Receipt.ProcedureName != "Thủ tục mẫu" || got.Receipt.Applicant != "Nguyễn Văn A" {
		t.Errorf("receipt %+v", got.Receipt)
	}
	if r.header.Get("Location") != "/api/v1/dossiers/"+got.Code || r.header.Get("ETag") != `"1"` {
		t.Errorf("Location %q ETag %q", r.header.Get("Location"), r.header.Get("ETag"))
	}
	if len(got.Dossier.Explain) == 0 {
		t.Error("no explanation of the due instant")
	}
	if d, err := b.store.Get(t.Context(), got.Code); err != nil || d.Applicant.Name != "Nguyễn Văn A" {
		t.Errorf("stored %v, %v", d, err)
	}
}

func TestReceiveIdempotencyKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r1 := b.call("POST", "/api/v1/dossiers", receiver, receiveBody("A"), "Idempotency-Key", "k-1")
	r2 := b.call("POST", "/api/v1/dossiers", receiver, receiveBody("A"), "Idempotency-Key", "k-1")
	var a, c receiveResponse
	r1.json(t, &a)
	r2.json(t, &c)
	if a.Code == "" || a.Code != c.Code {
		t.Errorf("retried reception made a second dossier: %q, %q", a.Code, c.Code)
	}
	if ds, _ := b.store.List(t.Context(), engine.Query{}); len(ds) != 1 {
		t.Errorf("%d dossiers stored, want 1", len(ds))
	}
	// Another unit's officer replaying the key must not get the dossier.
	r3 := b.call("POST", "/api/v1/dossiers", outsider, receiveBody("A"), "Idempotency-Key", "k-1")
	if r3.status != http.StatusConflict || strings.Contains(string(r3.body), a.Code) {
		t.Errorf("key replay by an outsider: %d %s", r3.status, r3.body)
	}
	// A replay hands a dossier back; it receives none, and counts none.
	if m := string(b.call("GET", "/metrics", "", nil).body); !strings.Contains(m, `motcua_receptions_total{procedure="TEST.01"} 1`+"\n") {
		t.Errorf("a replayed reception was counted:\n%s", grepLines(m, "motcua_receptions_total"))
	}
}

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestGetDossierHasHistoryLedgerExplainAndActions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("B", "chuyen")
	r := b.call("GET", "/api/v1/dossiers/"+d.Code, officer, nil)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var v struct {
		Code    string              `json:"code"`
		History []engine.HistoryRow `json:"history"`
		Ledger  []engine.ClockEvent `json:"ledger"`
		Explain []string            `json:"explain"`
		Actions []ActionView        `json:"actions"`
		State   string              `json:"state"`
	}
	r.json(t, &v)
	if len(v.History) != 2 || v.History[1].Action != "chuyen" || v.History[1].StepResult == "" {
		t.Errorf("history %+v", v.History)
	}
	if len(v.Ledger) != 1 || v.Ledger[0].Kind != engine.ClockStart {
		t.Errorf("ledger %+v", v.Ledger)
	}
	if len(v.Explain) < 2 || !strings.Contains(v.Explain[0], "ngày làm việc") {
		t.Errorf("explain %q", v.Explain)
	}
	var ids []string
	for _, a := range v.Actions {
		ids = append(ids, a.ID)
	}
	sort.Strings(ids)
	// The office officer may fire the office's actions in tham_dinh, the
	// note (by office), not nhan_bo_sung (desk, other state).
	if want := []string{"ghi_chu", "gia_han", "trinh", "tu_choi", "yeu_cau_bo_sung"}; !slices.Equal(ids, want) {
		t.Errorf("actions %v, want %v", ids, want)
	}
	en := b.call("GET", "/api/v1/dossiers/"+d.Code+"?lang=en", officer, nil)
	if !strings.Contains(string(en.body), "working days") {
		t.Errorf("English explanation missing: %s", en.body)
	}
	if b.call("GET", "/api/v1/dossiers/NOPE-1", officer, nil).status != 404 {
		t.Error("unknown dossier not 404")
	}
}

func TestActionsConflictsMissingInputsAndIdempotency(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("C", "chuyen") // version 2, in tham_dinh
	path := "/api/v1/dossiers/" + d.Code + "/actions/"
	cases := []struct {
		rule   string
		action string
		body   any
		hdr    []string
		status int
		code   engine.Code
	}{
		{"missing required input is 422", "tu_choi", map[string]any{}, nil, 422, engine.EINVALID},
		{"action not allowed in this state is 409", "ky", nil, nil, 409, engine.ECONFLICT},
		{"stale If-Match version is 409", "trinh", nil, []string{"If-Match", `"1"`}, 409, engine.ECONFLICT},
		{"malformed If-Match is 400", "trinh", nil, []string{"If-Match", "abc"}, 400, EBADREQUEST},
		{"unknown action is 422", "bay", nil, nil, 422, engine.EINVALID},
		{"unknown dossier is 404", "trinh", nil, nil, 404, engine.ENOTFOUND},
	}
	for _, c := range cases {
		p := path + c.action
		if c.code == engine.ENOTFOUND {
			p = "/api/v1/dossiers/XA01-260302-9999/actions/" + c.action
		}
		r := b.call("POST", p, officer, c.body, c.hdr...)
		if r.status != c.status || r.errCode(t) != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.rule, r.status, r.body, c.status, c.code)
		}
	}
	ok := b.call("POST", path+"trinh", officer, nil, "If-Match", `"2"`, "Idempotency-Key", "once")
	if ok.status != 200 || ok.header.Get("ETag") != `"3"` {
		t.Fatalf("action with the right version: %d %s", ok.status, ok.body)
	}
	again := b.call("POST", path+"trinh", officer, nil, "If-Match", `"2"`, "Idempotency-Key", "once")
	if again.status != 200 || again.header.Get("ETag") != `"3"` {
		t.Errorf("retried action: %d %s (ETag %s), want the first result", again.status, again.body, again.header.Get("ETag"))
	}
	got, _ := b.store.Get(t.Context(), d.Code)
	if got.Version != 3 || got.State != "phe_duyet" || len(got.History) != 3 {
		t.Errorf("after retry: version %d state %s rows %d", got.Version, got.State, len(got.History))
	}
	withInputs := b.call("POST", path+"ghi_chu", chairman, map[string]any{"inputs": map[string]string{"note": "đã xem"}})
	if withInputs.status != 200 {
		t.Errorf("note with inputs: %d %s", withInputs.status, withInputs.body)
	}
	// Keys a store would read as an operator or a path are refused, named.
	for _, key := range []string{"$set", "giay.to"} {
		r := b.call("POST", path+"ghi_chu", chairman, map[string]any{"inputs": map[string]string{key: "x"}})
		if r.status != 422 || r.errCode(t) != engine.EINVALID || !strings.Contains(string(r.body), key) {
			t.Errorf("input key %q: %d %s, want 422 invalid naming the key", key, r.status, r.body)
		}
	}
}

// TestRights is the table of who may do what: one subtest per cell.
func TestRights(t *testing.T) {
	t.Parallel()
	b := setup(t)
	atDesk := b.receive("Ở bộ phận một cửa")
	atOffice := b.receive("Ở chuyên môn", "chuyen")
	everyone := []string{receiver, officer, head, chairman, outsider, Admin, Viewer, ""}
	// Minting a token asks for the caller's password (issue 15).
	for _, who := range everyone[:len(everyone)-1] {
		if err := b.auth.SetPassword(t.Context(), who, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	type cell map[string]int
	rows := []struct {
		rule   string
		method string
		path   func() string // fresh per cell for writes
		body   any
		want   cell
	}{
		{"receive: only members of the initial step's unit with an acting role", "POST",
			func() string { return "/api/v1/dossiers" }, receiveBody("X"),
			cell{receiver: 201, officer: 403, head: 403, chairman: 403, outsider: 403, Admin: 403, Viewer: 403, "": 401}},
		{"read a dossier at the desk: desk, admin, viewer", "GET",
			func() string { return "/api/v1/dossiers/" + atDesk.Code }, nil,
			cell{receiver: 200, officer: 403, head: 403, chairman: 403, outsider: 403, Admin: 200, Viewer: 200, "": 401}},
		{"read a dossier at the office: the office, the desk that received it, admin, viewer", "GET",
			func() string { return "/api/v1/dossiers/" + atOffice.Code }, nil,
			cell{receiver: 200, officer: 200, head: 200, chairman: 403, outsider: 403, Admin: 200, Viewer: 200, "": 401}},
		{"act on the office's step: office members only", "POST",
			func() string { return "/api/v1/dossiers/" + b.receive("act", "chuyen").Code + "/actions/trinh" }, nil,
			cell{receiver: 403, officer: 200, head: 200, chairman: 403, outsider: 403, Admin: 403, Viewer: 403, "": 401}},
		{"list a unit's dossiers: its members, admin, viewer", "GET",
			func() string { return "/api/v1/dossiers?unit=" + enginetest.UnitOffice }, nil,
			cell{receiver: 403, officer: 200, head: 200, chairman: 403, outsider: 403, Admin: 200, Viewer: 200, "": 401}},
		{"list without a unit: anyone with a reading role", "GET",
			func() string { return "/api/v1/dossiers" }, nil,
			cell{receiver: 200, officer: 200, head: 200, chairman: 200, outsider: 200, Admin: 200, Viewer: 200, "": 401}},
		{"inbox: anyone signed in", "GET", func() string { return "/api/v1/inbox" }, nil,
			cell{receiver: 200, officer: 200, head: 200, chairman: 200, outsider: 200, Admin: 200, Viewer: 200, "": 401}},
		{"procedures: anyone signed in", "GET", func() string { return "/api/v1/procedures/" + enginetest.SampleCode }, nil,
			cell{receiver: 200, officer: 200, head: 200, chairman: 200, outsider: 200, Admin: 200, Viewer: 200, "": 401}},
		{"public lookup: everyone", "GET", func() string { return "/api/v1/lookup/" + atOffice.Code }, nil,
			cell{receiver: 200, officer: 200, head: 200, chairman: 200, outsider: 200, Admin: 200, Viewer: 200, "": 200}},
		{"calendar: everyone", "GET", func() string { return "/api/v1/calendar/2026" }, nil,
			cell{receiver: 200, officer: 200, head: 200, chairman: 200, outsider: 200, Admin: 200, Viewer: 200, "": 200}},
		{"issue a token for someone else: admin only", "POST", func() string { return "/api/v1/tokens" },
			map[string]string{"person": receiver, "name": "máy", "password": testPassword},
			cell{receiver: 201, officer: 403, head: 403, chairman: 403, outsider: 403, Admin: 201, Viewer: 403, "": 401}},
	}
	for _, row := range rows {
		for _, who := range everyone {
			name := who
			if name == "" {
				name = "anonymous"
			}
			t.Run(row.rule+"/"+name, func(t *testing.T) {
				r := b.call(row.method, row.path(), who, row.body)
				if want := row.want[who]; r.status != want {
					t.Errorf("%s: status %d, want %d: %s", name, r.status, want, r.body)
				}
			})
		}
	}
}

func TestListsShowOnlyTheCallersUnits(t *testing.T) {
	t.Parallel()
	b := setup(t)
	desk := b.receive("Trần Thị Desk")
	office := b.receive("Lê Văn Office", "chuyen")
	paused := b.receive("Phạm Paused", "chuyen", "yeu_cau_bo_sung")
	codes := func(r resp) []string {
		var pg Page
		r.json(t, &pg)
		var out []string
		for _, s := range pg.Items {
			out = append(out, s.Code)
		}
		sort.Strings(out)
		return out
	}
	if got := codes(b.call("GET", "/api/v1/inbox", officer, nil)); !slices.Equal(got, []string{office.Code}) {
		t.Errorf("office inbox %v, want only %s", got, office.Code)
	}
	if got := codes(b.call("GET", "/api/v1/inbox", receiver, nil)); !slices.Equal(got, []string{desk.Code}) {
		t.Errorf("desk inbox %v, want only %s (the paused one waits for the applicant, with no unit)", got, desk.Code)
	}
	all := codes(b.call("GET", "/api/v1/dossiers", Viewer, nil))
	if len(all) != 3 {
		t.Errorf("viewer sees %v, want all three", all)
	}
	if got := codes(b.call("GET", "/api/v1/dossiers?q=office", Admin, nil)); !slices.Equal(got, []string{office.Code}) {
		t.Errorf("search by applicant name: %v", got)
	}
	if got := codes(b.call("GET", "/api/v1/dossiers?state=cho_bo_sung", Admin, nil)); !slices.Equal(got, []string{paused.Code}) {
		t.Errorf("filter by state: %v", got)
	}
	// Overdue: move the clock past the 5-working-day due instant.
	b.clock.Set(enginetest.Monday.AddDate(0, 0, 14))
	od := b.call("GET", "/api/v1/dossiers?overdue=true", Admin, nil)
	if got := codes(od); !slices.Equal(got, []string{desk.Code, office.Code}) {
		t.Errorf("overdue %v, want the two running dossiers", got)
	}
	var pg Page
	od.json(t, &pg)
	for _, s := range pg.Items {
		if !s.Overdue {
			t.Errorf("%s not flagged overdue", s.Code)
		}
	}
	p1 := b.call("GET", "/api/v1/dossiers?per_page=2&page=1", Admin, nil)
	p2 := b.call("GET", "/api/v1/dossiers?per_page=2&page=2", Admin, nil)
	var a, c Page
	p1.json(t, &a)
	p2.json(t, &c)
	if len(a.Items) != 2 || !a.HasMore || len(c.Items) != 1 || c.HasMore {
		t.Errorf("paging: page 1 %d items more=%v, page 2 %d items more=%v", len(a.Items), a.HasMore, len(c.Items), c.HasMore)
	}
	for _, bad := range []string{"overdue=maybe", "page=0", "page=x", "per_page=1000", "status=lost", "unit=nowhere"} {
		r := b.call("GET", "/api/v1/dossiers?"+bad, Admin, nil)
		if r.status < 400 || r.status >= 500 {
			t.Errorf("?%s: status %d, want 4xx", bad, r.status)
		}
	}
}

func TestLookupIsPublicAndShowsNoPersonalData(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("Nguyễn Bí Mật", "chuyen", "trinh", "ky", "tra")
	r := b.call("GET", "/api/v1/lookup/"+strings.ToLower(d.Code), "", nil)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	for _, secret := range []string{"Bí Mật", "0900000001", "001090000001", "history", "ledger"} {
		if strings.Contains(string(r.body), secret) {
			t.Errorf("lookup reveals %q: %s", secret, r.body)
		}
	}
	var v LookupView
	r.json(t, &v)
	if v.Result != engine.OutcomeApproved || v.StateName != "Đã trả kết quả" || v.DueAt == nil {
		t.Errorf("lookup %+v", v)
	}
	if r := b.call("GET", "/api/v1/lookup/XA01-000000-0000", "", nil); r.status != 404 {
		t.Errorf("unknown code: %d", r.status)
	}
}

func TestProceduresAndCalendar(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var list struct{ Items []ProcedureSummary }
	b.call("GET", "/api/v1/procedures", officer, nil).json(t, &list)
	if len(list.Items) != 1 || list.Items[0].Code != enginetest.SampleCode || list.Items[0].TimeLimit == "" {
		t.Errorf("procedures %+v", list.Items)
	}
	var pv ProcedureView
	b.call("GET", "/api/v1/procedures/"+enginetest.SampleCode, officer, nil).json(t, &pv)
	if !strings.HasPrefix(pv.Mermaid, "stateDiagram") || len(pv.States) != 7 || pv.States[1].TimeLimit == "" {
		t.Errorf("procedure view: mermaid %q, %d states, budget %q", pv.Mermaid, len(pv.States), pv.States[1].TimeLimit)
	}
	if r := b.call("GET", "/api/v1/procedures/NOPE", officer, nil); r.status != 404 {
		t.Errorf("unknown procedure: %d", r.status)
	}
	var cv CalendarView
	b.call("GET", "/api/v1/calendar/2026", "", nil).json(t, &cv)
	if !cv.Known || cv.Provisional || len(cv.WorkingDays) == 0 || cv.WorkingDays[0].Date != "2026-01-10" {
		t.Errorf("2026: %+v", cv)
	}
	var tet bool
	for _, d := range cv.DaysOff {
		tet = tet || d.Date == "2026-02-17"
	}
	if !tet {
		t.Error("Tết 2026 (17 Feb) missing from days off")
	}
	var c2 CalendarView
	b.call("GET", "/api/v1/calendar/2031", "", nil).json(t, &c2)
	if c2.Known || c2.Warning == "" {
		t.Errorf("2031 without a table must warn: %+v", c2)
	}
	if r := b.call("GET", "/api/v1/calendar/abc", "", nil); r.status != 422 {
		t.Errorf("bad year: %d", r.status)
	}
}

// TestBadInputStoresNothing sends each write endpoint malformed JSON,
// unknown fields, wrong types and oversized bodies; each must be a 4xx
// in the shared error shape and leave the store exactly as it was.
func TestBadInputStoresNothing(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{maxBody: 2048})
	d := b.receive("Bad Input", "chuyen")
	before := b.snapshot()
	huge := `{"procedure":"` + enginetest.SampleCode + `","applicant":{"name":"` + strings.Repeat("x", 4096) + `"}}`
	endpoints := []struct {
		name, path, person string
		wrongType, unknown string
	}{
		{"receive", "/api/v1/dossiers", receiver, `{"procedure":5,"applicant":{"name":"A"}}`, `{"procedure":"x","applicant":{"name":"A","age":3}}`},
		{"act", "/api/v1/dossiers/" + d.Code + "/actions/tu_choi", officer, `{"inputs":{"reason":1}}`, `{"inputs":{"reason":"x"},"actor":"chu-tich"}`},
		{"token", "/api/v1/tokens", officer, `{"name":7}`, `{"name":"x","admin":true}`},
	}
	bodies := []struct {
		kind   string
		body   string
		status int
		code   engine.Code
	}{
		{"malformed JSON", `{"procedure": `, 400, EBADREQUEST},
		{"not JSON at all", `procedure=x`, 400, EBADREQUEST},
		{"unknown field", "", 400, EBADREQUEST},
		{"wrong type", "", 422, engine.EINVALID},
		{"trailing data", `{"inputs":{"reason":"x"},"name":"x","procedure":"x"} {}`, 400, EBADREQUEST},
		{"oversized", huge, 413, ETOOLARGE},
		{"empty", ``, 400, EBADREQUEST},
	}
	for _, e := range endpoints {
		for _, bd := range bodies {
			if e.name == "act" && bd.kind == "empty" {
				continue // an action without inputs has no body, by design
			}
			body := bd.body
			switch bd.kind {
			case "unknown field":
				body = e.unknown
			case "wrong type":
				body = e.wrongType
			}
			t.Run(e.name+"/"+bd.kind, func(t *testing.T) {
				r := b.call("POST", e.path, e.person, body)
				if r.status != bd.status || r.errCode(t) != bd.code {
					t.Errorf("status %d %s, want %d %s", r.status, r.body, bd.status, bd.code)
				}
			})
		}
	}
	wrongCT := b.call("POST", "/api/v1/dossiers", receiver, nil, "Content-Type", "text/plain")
	if wrongCT.status != 400 {
		t.Errorf("wrong content type: %d", wrongCT.status)
	}
	badTime := b.call("POST", "/api/v1/dossiers", receiver, `{"procedure":"`+enginetest.SampleCode+`","applicant":{"name":"A"},"received_at":"yesterday"}`)
	if badTime.status != 422 {
		t.Errorf("bad instant: %d %s", badTime.status, badTime.body)
	}
	future := b.call("POST", "/api/v1/dossiers", receiver, `{"procedure":"`+enginetest.SampleCode+`","applicant":{"name":"A"},"received_at":"2030-01-01T00:00:00Z"}`)
	if future.status != 422 {
		t.Errorf("reception in the future: %d %s", future.status, future.body)
	}
	noName := b.call("POST", "/api/v1/dossiers", receiver, `{"procedure":"`+enginetest.SampleCode+`","applicant":{"name":"  "}}`)
	if noName.status != 422 {
		t.Errorf("applicant without a name: %d %s", noName.status, noName.body)
	}
	longKey := b.call("POST", "/api/v1/dossiers", receiver, receiveBody("A"), "Idempotency-Key", strings.Repeat("k", 300))
	if longKey.status != 400 {
		t.Errorf("oversized idempotency key: %d", longKey.status)
	}
	if after := b.snapshot(); after != before {
		t.Errorf("bad input changed the store:\nbefore %s\nafter  %s", before, after)
	}
}

func TestUnknownRoutesAndBadTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.call("GET", "/api/v1/nothing-here", officer, nil)
	if r.status != 404 || r.errCode(t) != engine.ENOTFOUND {
		t.Errorf("unknown route: %d %s", r.status, r.body)
	}
	for _, h := range []string{"Bearer mct_x.y.z", "Basic abc", "Bearer "} {
		r := b.call("GET", "/api/v1/inbox", "", nil, "Authorization", h)
		if r.status != 401 || r.errCode(t) != engine.EUNAUTHORIZED || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%q: %d %s", h, r.status, r.body)
		}
	}
}

func TestErrorTableCoversEveryCode(t *testing.T) {
	t.Parallel()
	cases := map[engine.Code]int{
		engine.EINVALID: 422, engine.ENOTFOUND: 404, engine.ECONFLICT: 409, engine.EFORBIDDEN: 403,
		engine.EUNAUTHORIZED: 401, engine.EINTERNAL: 500, EBADREQUEST: 400, ETOOLARGE: 413, "rate_limited": 429,
		"made_up": 500,
	}
	for c, want := range cases {
		if got := StatusFor(c); got != want {
			t.Errorf("StatusFor(%s) = %d, want %d", c, got, want)
		}
	}
	d := describe(fmt.Errorf("open /secret/path: %w", fmt.Errorf("disk on fire")))
	if d.Code != engine.EINTERNAL || strings.Contains(d.Message+d.MessageEN, "secret") {
		t.Errorf("internal error leaks detail: %+v", d)
	}
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{reports: http.NotFoundHandler()})
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	r := b.call("GET", "/api/v1/openapi.json", "", nil)
	r.json(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for m := range ops {
			if m == "parameters" {
				continue
			}
			documented[strings.ToUpper(m)+" "+path] = true
		}
	}
	for _, route := range b.srv.routes {
		if route == "GET /reports/..." {
			route = "GET /reports/on-time"
		}
		if !documented[route] {
			t.Errorf("route %s is not in openapi.json", route)
		}
		delete(documented, route)
	}
	for extra := range documented {
		t.Errorf("openapi.json documents %s, which the server does not serve", extra)
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.receive("M1")
	r := b.call("POST", "/api/v1/dossiers", receiver, receiveBody("M2"))
	var got receiveResponse
	r.json(t, &got)
	b.call("POST", "/api/v1/dossiers/"+got.Code+"/actions/chuyen", receiver, nil)
	b.srv.Metrics().ObserveSweep(nil)
	b.srv.Metrics().ObserveSkip("digest", "not_trusted")
	b.srv.Metrics().ObserveNotification("log", nil)
	b.srv.Metrics().ObserveNotification("smtp", fmt.Errorf("down"))
	b.clock.Set(enginetest.Monday.AddDate(0, 0, 14))
	m := string(b.call("GET", "/metrics", "", nil).body)
	for _, want := range []string{
		`motcua_transitions_total{action="chuyen",procedure="TEST.01"} 1`,
		`motcua_receptions_total{procedure="TEST.01"} 1`,
		`motcua_dossiers_open{unit="mot-cua"} 1`,
		`motcua_dossiers_open{unit="chuyen-mon"} 1`,
		`motcua_dossiers_overdue{unit="chuyen-mon"} 1`,
		`motcua_sweeps_total{result="ok"} 1`,
		`motcua_scheduled_runs_skipped_total{job="digest",reason="not_trusted"} 1`,
		`motcua_notifications_total{channel="smtp",result="failed"} 1`,
		`motcua_notifications_total{channel="log",result="sent"} 1`,
		`motcua_http_requests_total{route="/dossiers",status="201"} 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.call("GET", "/api/v1/healthz", "", nil)
	if r.status != 200 || !strings.Contains(string(r.body), `"ok"`) {
		t.Errorf("%d %s", r.status, r.body)
	}
}

func TestReportsAreMountedBehindSignInAndRoles(t *testing.T) {
	t.Parallel()
	var seen string
	stub := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := PersonFrom(r.Context()); p != nil {
			seen = p.ID
		}
		// Answers as the reports package does, since every answer is
		// checked against openapi.json.
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"from":"2026-03-01","to":"2026-03-31","by":"unit","calendar":"vn","rows":[],"total":{},"petitions":[]}`))
	})
	b := setup(t, setupOpts{reports: stub})
	want := map[string]int{head: 200, chairman: 200, Admin: 200, Viewer: 200, receiver: 403, officer: 403, outsider: 403, "": 401}
	for who, status := range want {
		if r := b.call("GET", "/api/v1/reports/on-time?from=2026-03-01&to=2026-03-31", who, nil); r.status != status {
			t.Errorf("reports as %q: %d, want %d", who, r.status, status)
		}
	}
	b.call("GET", "/api/v1/reports/on-time?from=2026-03-01&to=2026-03-31", head, nil)
	if seen != head {
		t.Errorf("the reports handler saw person %q, want %q", seen, head)
	}
}
