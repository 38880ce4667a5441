package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/portalsync"
)

// The portal's side of the API: online intake (POST /portal/dossiers) and
// each dossier's sync state in GET /dossiers/{code}. The desk accepts or
// refuses an online dossier through the actions route, as any action
// (engine.ActionAcceptOnline, engine.ActionRefuseOnline).

func (s *Server) routesPortal() {
	s.handle("POST", "/portal/dossiers", signedIn, s.apiPortalSubmit)
}

// portalSubmitRequest is the body of POST /portal/dossiers.
type portalSubmitRequest struct {
	// PortalID is the portal's own dossier id: the idempotency key.
	PortalID   string                    `json:"portal_id"`
	Procedure  string                    `json:"procedure"`
	Version    int                       `json:"version,omitempty"`
	Applicant  engine.Applicant          `json:"applicant"`
	Components []engine.ComponentReceipt `json:"components,omitempty"`
}

// portalSubmitResponse answers a submission: the code the portal quotes
// from now on, and where the dossier stands.
type portalSubmitResponse struct {
	Code      string `json:"code"`
	PortalID  string `json:"portal_id"`
	State     string `json:"state"`
	StateName string `json:"state_name"`
	// NationalStatus is the national portal's status code (1: Mới đăng ký).
	NationalStatus int           `json:"national_status"`
	Status         engine.Status `json:"status"`
	Version        int64         `json:"version"`
}

// digest identifies a submission's content, whatever its JSON spacing or
// key order: the same portal id with another digest is a conflict.
func (req portalSubmitRequest) digest() string {
	b, _ := json.Marshal(req)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func (s *Server) apiPortalSubmit(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	if !auth.CanSubmitOnline(p) {
		return errorf(engine.EFORBIDDEN, "Chỉ tài khoản của cổng dịch vụ công được nộp hồ sơ trực tuyến.", "Only a public service portal's account may submit online dossiers.")
	}
	var req portalSubmitRequest
	if err := decodeJSON(w, r, s.maxBody, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Procedure) == "" {
		return &engine.InvalidInputError{Field: "procedure", Reason: "required", ReasonVI: "bắt buộc chọn thủ tục"}
	}
	d, created, err := s.eng.SubmitOnline(r.Context(), req.Procedure, req.Version, engine.OnlineInput{
		Actor: p.ID, PortalID: req.PortalID, Applicant: req.Applicant, Components: req.Components, Digest: req.digest(),
	})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		s.metrics.receptions.WithLabelValues(d.Procedure).Inc()
	}
	proc, _ := s.procName(d, lang(r))
	writeJSON(w, status, portalSubmitResponse{
		Code: d.Code, PortalID: req.PortalID, State: d.State, StateName: stateName(proc, d.State, lang(r)),
		NationalStatus: engine.NationalStatus(proc, d.State), Status: d.Status, Version: d.Version,
	})
	return nil
}

// withSync adds the dossier's sync state to v, when it has sync records
// and the engine syncs to a portal. Without a portal nothing delivers the
// records, so there is no state to show, and listing the dossier's whole
// outbox behind every answer was the largest removable cost of an action
// over HTTP (docs/benchmarks.md, "One read per action").
func (s *Server) withSync(ctx context.Context, v *DossierView) error {
	if !s.eng.PortalSync {
		return nil
	}
	st, ok, err := portalsync.StateOf(ctx, s.eng.Store, v.Code)
	if err != nil || !ok {
		return err
	}
	v.PortalSync = &st
	return nil
}

func init() {
	for k, m := range map[string][2]string{
		"registered":              {"Mới đăng ký (chờ tiếp nhận)", "Submitted online (awaiting reception)"},
		engine.ActionSubmitOnline: {"Nộp trực tuyến", "Submitted online"},
		engine.ActionAcceptOnline: {"Tiếp nhận hồ sơ trực tuyến", "Received the online dossier"},
		engine.ActionRefuseOnline: {"Không tiếp nhận (mẫu 03)", "Refused to receive (form 03)"},
		"submitted_at":            {"Thời điểm nộp trực tuyến", "Submitted online at"},
		"sync_state":              {"Đồng bộ Cổng DVCQG", "National portal sync"},
		"sync_synced":             {"Đã đồng bộ", "Synced"},
		"sync_pending":            {"Chờ đồng bộ", "Sync pending"},
		"sync_failed":             {"Đồng bộ lỗi", "Sync failed"},
	} {
		if _, taken := messages[k]; !taken {
			messages[k] = m
		}
	}
}

// Register adds a collector to the server's metrics registry: the
// portal delivery's counters, which live outside this package.
func (m *Metrics) Register(c prometheus.Collector) error { return m.reg.Register(c) }
