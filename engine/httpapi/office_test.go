package httpapi

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/report"
)

func codesOf(t *testing.T, r resp) []string {
	t.Helper()
	var pg Page
	r.json(t, &pg)
	var out []string
	for _, s := range pg.Items {
		out = append(out, s.Code)
	}
	return out
}

// TestInboxViews: the desk finds the dossier it transferred under
// "received" and the one waiting for the citizen under "supplement";
// the office's views hold neither of the desk's lists.
func TestInboxViews(t *testing.T) {
	t.Parallel()
	b := setup(t)
	moved := b.receive("Chuyển Đi", "chuyen")
	waiting := b.receive("Chờ Bổ Sung", "chuyen", "yeu_cau_bo_sung")
	atDesk := b.receive("Ở Một Cửa")
	done := b.receive("Đã Xong", "chuyen", "trinh", "ky", "tra")
	for _, c := range []struct {
		rule, who, view string
		want            []string
	}{
		{"the desk's own inbox holds what is at the desk", receiver, "", []string{atDesk.Code}},
		{"the desk sees every open dossier it received, wherever it is", receiver, "received", []string{atDesk.Code, moved.Code, waiting.Code}},
		{"the desk's supplement queue holds the dossier waiting for the citizen", receiver, "supplement", []string{waiting.Code}},
		{"the desk finds what it received and the office finished", receiver, "received&status=finished", []string{done.Code}},
		{"the desk lists everything it received", receiver, "received&status=all", []string{atDesk.Code, moved.Code, waiting.Code, done.Code}},
		{"the office did not receive anything", officer, "received", nil},
		{"the office has no supplement queue", officer, "supplement", nil},
	} {
		path := "/api/v1/inbox"
		if c.view != "" {
			path += "?view=" + c.view
		}
		r := b.call("GET", path, c.who, nil)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", c.rule, r.status, r.body)
		}
		got := codesOf(t, r)
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("rule: %s: got %v, want %v", c.rule, got, want)
		}
	}
	if r := b.call("GET", "/api/v1/inbox?view=everything", receiver, nil); r.status != 422 {
		t.Errorf("rule: an unknown view is refused: %d", r.status)
	}
	// The desk records the supplement from the queue's dossier.
	br := b.browser(t)
	csrf := br.signIn(receiver)
	_, page, _ := br.get("/inbox?view=supplement")
	if !strings.Contains(page, `data-supplement="`+waiting.Code+`"`) {
		t.Fatalf("rule: the queue links to recording the supplement; page lacks it")
	}
	// One supplement action per row: the procedure's own ("Nhận bổ
	// sung"), not a second generic one beside it.
	if n := strings.Count(page, `data-supplement="`+waiting.Code+`"`); n != 1 || strings.Contains(page, "Ghi nhận bổ sung") {
		t.Errorf("rule: the queue row shows one supplement action; %d controls, generic label present: %v", n, strings.Contains(page, "Ghi nhận bổ sung"))
	}
	st, _, h := br.post("/dossiers/"+waiting.Code+"/act", url.Values{"csrf": {csrf}, "action": {"nhan_bo_sung"}, "version": {"3"}})
	if st != http.StatusSeeOther {
		t.Fatalf("record supplement: %d %s", st, h)
	}
	if d, _ := b.eng.Get(t.Context(), waiting.Code); d.State != "tham_dinh" {
		t.Errorf("rule: the supplement is recorded; state %s", d.State)
	}
}

// TestLeaderReadsEverything: a leader reads another unit's dossier and
// lists all; a unit head still may not read a dossier that never was
// with their unit.
func TestLeaderReadsEverything(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("Ở Một Cửa")
	if r := b.call("GET", "/api/v1/dossiers/"+d.Code, Leader, nil); r.status != 200 {
		t.Errorf("rule: the leader reads a dossier at the desk: %d", r.status)
	}
	if r := b.call("GET", "/api/v1/dossiers/"+d.Code, head, nil); r.status != 403 {
		t.Errorf("rule: a head reads only their units' dossiers: %d", r.status)
	}
	if got := codesOf(t, b.call("GET", "/api/v1/dossiers", Leader, nil)); !slices.Equal(got, []string{d.Code}) {
		t.Errorf("rule: the leader lists every dossier: %v", got)
	}
	br := b.browser(t)
	br.signIn(Leader)
	if st, page, _ := br.get("/dashboard"); st != 200 || !strings.Contains(page, "Bộ phận Một cửa") {
		t.Errorf("rule: the leader sees the agency's dashboard, every unit: %d", st)
	}
	if _, page, _ := br.get("/inbox"); strings.Contains(page, `href="/receive"`) {
		t.Errorf("rule: no reception menu entry for someone who may not receive")
	}
	desk := b.browser(t)
	desk.signIn(receiver)
	if _, page, _ := desk.get("/inbox"); !strings.Contains(page, `href="/receive"`) {
		t.Errorf("rule: the desk has the reception menu entry")
	}
}

// TestReportsScopedToHeadsUnits: /api/v1/reports is limited to a head's
// units; leaders, admins and viewers get the agency's.
func TestReportsScopedToHeadsUnits(t *testing.T) {
	t.Parallel()
	scopes := map[string]string{}
	var last string
	stub := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		units, scoped := report.ScopeFrom(r.Context())
		last = "all"
		if scoped {
			last = strings.Join(units, ",")
		}
		// Answers as the reports package does, since every answer is
		// checked against openapi.json.
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"from":"2026-03-01","to":"2026-03-31","by":"unit","calendar":"vn","rows":[],"total":{},"petitions":[]}`))
	})
	b := setup(t, setupOpts{reports: stub})
	for _, who := range []string{head, chairman, Leader, Admin, Viewer} {
		last = ""
		b.call("GET", "/api/v1/reports/on-time?from=2026-03-01&to=2026-03-31", who, nil)
		scopes[who] = last
	}
	want := map[string]string{head: enginetest.UnitOffice, chairman: enginetest.UnitLeader, Leader: "all", Admin: "all", Viewer: "all"}
	for who, w := range want {
		if scopes[who] != w {
			t.Errorf("rule: reports for %s cover %q, want %q", who, scopes[who], w)
		}
	}
}

var assignBtn = regexp.MustCompile(`data-assign="(take|head)"`)

// TestAssignFromThePage: the head assigns the step to a named officer,
// another officer takes it; both are rows of the control slip.
func TestAssignFromThePage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("Giao Việc", "chuyen")
	hb := b.browser(t)
	csrf := hb.signIn(head)
	_, page, _ := hb.get("/dossiers/" + d.Code)
	if got := assignBtn.FindAllStringSubmatch(page, -1); len(got) != 2 {
		t.Fatalf("rule: the head may take the step or assign it; buttons %v", got)
	}
	st, _, _ := hb.post("/dossiers/"+d.Code+"/assign", url.Values{"csrf": {csrf}, "assignee": {enginetest.Officer2}, "version": {"2"}})
	if st != http.StatusSeeOther {
		t.Fatalf("assign: %d", st)
	}
	ob := b.browser(t)
	ocsrf := ob.signIn(officer)
	_, page, _ = ob.get("/dossiers/" + d.Code)
	if got := assignBtn.FindAllStringSubmatch(page, -1); len(got) != 1 || got[0][1] != "take" {
		t.Fatalf("rule: an officer may only take the step; buttons %v", got)
	}
	if st, body, _ := ob.post("/dossiers/"+d.Code+"/assign", url.Values{"csrf": {ocsrf}, "assignee": {enginetest.Officer2}}); st != 403 || !strings.Contains(body, "trưởng") && !strings.Contains(body, "head") {
		t.Errorf("rule: an officer may not assign someone else: %d", st)
	}
	if st, _, _ := ob.post("/dossiers/"+d.Code+"/assign", url.Values{"csrf": {ocsrf}, "version": {"3"}}); st != http.StatusSeeOther {
		t.Fatalf("take: %d", st)
	}
	got, _ := b.eng.Get(t.Context(), d.Code)
	var rows []string
	for _, h := range got.History {
		if h.Action == engine.ActionAssign {
			rows = append(rows, h.Actor+">"+h.Inputs["assignee"]+"/"+h.Inputs["previous"])
		}
	}
	if got.Assignee != officer || !slices.Equal(rows, []string{head + ">" + enginetest.Officer2 + "/", officer + ">" + officer + "/" + enginetest.Officer2}) {
		t.Errorf("rule: assignments are history rows; assignee %q, rows %v", got.Assignee, rows)
	}
	if _, page, _ := ob.get("/dossiers/" + d.Code); !strings.Contains(page, "Trần Văn Chức</strong>") {
		t.Errorf("rule: the page names the assignee")
	}
}

// TestDangerActionsAskForConfirmation: refusing needs the reason and the
// ticked box, and sits apart from forward actions; a stale action names
// the step where the dossier now is.
func TestDangerActionsAskForConfirmation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("Từ Chối", "chuyen")
	br := b.browser(t)
	csrf := br.signIn(officer)
	_, page, _ := br.get("/dossiers/" + d.Code)
	danger := page[strings.Index(page, `class="danger-zone"`):]
	if !strings.Contains(danger, `data-action="tu_choi"`) || !strings.Contains(danger, `data-confirm="tu_choi"`) || strings.Contains(danger, `data-action="trinh"`) {
		t.Errorf("rule: the refusal is apart, with a confirmation box; the forward action is not")
	}
	if _, inbox, _ := br.get("/inbox"); strings.Contains(inbox, `data-action="tu_choi"`) {
		t.Errorf("rule: no one-click refusal in the inbox")
	}
	form := url.Values{"csrf": {csrf}, "action": {"tu_choi"}, "version": {"2"}, "in_reason": {"giả mạo"}}
	if st, body, _ := br.post("/dossiers/"+d.Code+"/act", form); st != 422 || !strings.Contains(body, "xác nhận") {
		t.Errorf("rule: without the confirmation the refusal is refused: %d", st)
	}
	form.Set("confirm", "yes")
	form.Del("in_reason")
	if st, body, _ := br.post("/dossiers/"+d.Code+"/act", form); st != 422 || !strings.Contains(body, "reason") {
		t.Errorf("rule: without the reason the core refuses it: %d", st)
	}
	// Someone else moves the dossier on; the officer's page is stale.
	if _, err := b.eng.Act(t.Context(), d.Code, engine.ActInput{Action: "trinh", Actor: enginetest.Officer2}, 0); err != nil {
		t.Fatal(err)
	}
	form.Set("in_reason", "giả mạo")
	st, body, _ := br.post("/dossiers/"+d.Code+"/act", form)
	if st != 409 || !strings.Contains(body, "hiện đang ở bước “Phê duyệt”") {
		t.Errorf("rule: a stale action names the step where the dossier is now: %d %s", st, grepLines(body, "role=\"alert\""))
	}
}

// TestAssignThroughTheAPI: the same rules as the page, answered as JSON.
func TestAssignThroughTheAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("Giao Qua API", "chuyen")
	for _, c := range []struct {
		rule, who string
		body      map[string]string
		status    int
		assignee  string
	}{
		{"an officer may not assign someone else", officer, map[string]string{"assignee": enginetest.Officer2}, 403, ""},
		{"another unit's officer may not read it", outsider, nil, 403, ""},
		{"the head assigns a named officer", head, map[string]string{"assignee": enginetest.Officer2}, 200, enginetest.Officer2},
		{"an officer takes it", officer, nil, 200, officer},
		{"nobody outside the unit is an assignee", head, map[string]string{"assignee": receiver}, 422, officer},
	} {
		var body any
		if c.body != nil {
			body = c.body
		}
		r := b.call("POST", "/api/v1/dossiers/"+d.Code+"/assign", c.who, body)
		got, _ := b.eng.Get(t.Context(), d.Code)
		if r.status != c.status || got.Assignee != c.assignee {
			t.Errorf("rule: %s: %d %s, assignee %q", c.rule, r.status, r.body, got.Assignee)
		}
	}
}
