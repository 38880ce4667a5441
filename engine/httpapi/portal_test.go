package httpapi

import (
	"net/http"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/portalsync"
)

func onlineBody(id, name string) map[string]any {
	return map[string]any{
		"portal_id": id, "procedure": enginetest.SampleCode,
		"applicant":  map[string]any{"name": name, "phone": "0912345678"},
		"components": []map[string]any{{"id": "to-khai", "copy": "original", "count": 1}},
	}
}

// TestPortalSubmit pins the online intake's answers: 201 once, 200 for
// the same body again, 409 for another body under the same id, and only
// for a portal's account.
func TestPortalSubmit(t *testing.T) {
	b := setup(t)
	r := b.call("POST", "/api/v1/portal/dossiers", PortalAcct, onlineBody("G-1", "Nguyễn Văn A"))
	if r.status != http.StatusCreated {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	var first portalSubmitResponse
	r.json(t, &first)
	if first.NationalStatus != engine.NationalRegistered || first.Status != engine.StatusRegistered || first.PortalID != "G-1" {
		t.Errorf("answer %+v", first)
	}
	again := b.call("POST", "/api/v1/portal/dossiers", PortalAcct, `{"procedure":"TEST.01","portal_id":"G-1","applicant":{"phone":"0912345678","name":"Nguyễn Văn A"},"components":[{"count":1,"copy":"original","id":"to-khai"}]}`)
	var second portalSubmitResponse
	again.json(t, &second)
	if again.status != http.StatusOK || second.Code != first.Code {
		t.Errorf("the same submission, keys reordered: %d %s, want 200 %s", again.status, again.body, first.Code)
	}
	if r := b.call("POST", "/api/v1/portal/dossiers", PortalAcct, onlineBody("G-1", "Trần Thị B")); r.status != http.StatusConflict {
		t.Errorf("another body under the same id: %d %s", r.status, r.body)
	}
	cases := []struct {
		rule   string
		person string
		body   any
		status int
	}{
		{"an officer's account may not submit", enginetest.Receiver, onlineBody("G-2", "A"), http.StatusForbidden},
		{"nobody anonymous", "", onlineBody("G-2", "A"), http.StatusUnauthorized},
		{"the applicant's name is required", PortalAcct, onlineBody("G-2", ""), http.StatusUnprocessableEntity},
		{"an unknown procedure is not found", PortalAcct, map[string]any{"portal_id": "G-3", "procedure": "X", "applicant": map[string]any{"name": "A"}}, http.StatusNotFound},
		{"unknown fields are refused", PortalAcct, `{"portal_id":"G-4","procedure":"TEST.01","applicant":{"name":"A"},"extra":1}`, http.StatusBadRequest},
	}
	for _, c := range cases {
		if r := b.call("POST", "/api/v1/portal/dossiers", c.person, c.body); r.status != c.status {
			t.Errorf("%s: %d %s, want %d", c.rule, r.status, r.body, c.status)
		}
	}
	// The portal reads nothing, not even what it submitted.
	if r := b.call("GET", "/api/v1/dossiers/"+first.Code, PortalAcct, nil); r.status != http.StatusForbidden {
		t.Errorf("the portal read the dossier: %d", r.status)
	}
}

// TestPortalAcceptAndRefuse: the online dossier is in the desk's queue,
// the desk accepts it through the actions route (the clock starts) or
// refuses it with a reason, and GET /dossiers/{code} tells the sync state.
func TestPortalAcceptAndRefuse(t *testing.T) {
	b := setup(t)
	b.eng.PortalSync = true
	var sub portalSubmitResponse
	b.call("POST", "/api/v1/portal/dossiers", PortalAcct, onlineBody("G-1", "Nguyễn Văn A")).json(t, &sub)
	var inbox Page
	b.call("GET", "/api/v1/inbox", enginetest.Receiver, nil).json(t, &inbox)
	if len(inbox.Items) != 1 || inbox.Items[0].Code != sub.Code || inbox.Items[0].Status != engine.StatusRegistered {
		t.Fatalf("the desk's queue: %+v", inbox.Items)
	}
	var v DossierView
	b.call("GET", "/api/v1/dossiers/"+sub.Code, enginetest.Receiver, nil).json(t, &v)
	if len(v.Actions) != 2 || v.Actions[0].ID != engine.ActionAcceptOnline || !v.Actions[1].Danger || v.DueAt != nil {
		t.Fatalf("offered %+v, due %v", v.Actions, v.DueAt)
	}
	if v.PortalSync == nil || v.PortalSync.State != portalsync.Pending || v.PortalSync.Records != 1 {
		t.Errorf("sync state %+v, want one pending record", v.PortalSync)
	}
	b.clock.Advance(3600e9)
	r := b.call("POST", "/api/v1/dossiers/"+sub.Code+"/actions/"+engine.ActionAcceptOnline, enginetest.Receiver, nil)
	if r.status != http.StatusOK {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	r.json(t, &v)
	if v.State != "tiep_nhan" || v.DueAt == nil || !v.ReceivedAt.Equal(b.clock.Now()) || v.PortalSync == nil || v.PortalSync.Records != 2 {
		t.Errorf("accepted: state %s due %v received %v sync %+v", v.State, v.DueAt, v.ReceivedAt, v.PortalSync)
	}

	var other portalSubmitResponse
	b.call("POST", "/api/v1/portal/dossiers", PortalAcct, onlineBody("G-2", "Trần Thị B")).json(t, &other)
	if r := b.call("POST", "/api/v1/dossiers/"+other.Code+"/actions/"+engine.ActionRefuseOnline, enginetest.Officer, map[string]any{"inputs": map[string]string{"reason": "x"}}); r.status != http.StatusForbidden {
		t.Errorf("another unit refused: %d %s", r.status, r.body)
	}
	if r := b.call("POST", "/api/v1/dossiers/"+other.Code+"/actions/"+engine.ActionRefuseOnline, enginetest.Receiver, nil); r.status != http.StatusUnprocessableEntity {
		t.Errorf("refused without a reason: %d %s", r.status, r.body)
	}
	r = b.call("POST", "/api/v1/dossiers/"+other.Code+"/actions/"+engine.ActionRefuseOnline, enginetest.Receiver, map[string]any{"inputs": map[string]string{"reason": "Sai thủ tục"}})
	r.json(t, &v)
	if r.status != http.StatusOK || v.State != engine.StateOnlineRefused || v.Status != engine.StatusFinished || v.StateName != "Không được tiếp nhận" {
		t.Errorf("refused: %d state %s status %s name %q", r.status, v.State, v.Status, v.StateName)
	}
}
