package engine

import (
	"fmt"
	"strings"
	"time"
)

// Online intake. A portal (the national DVCQG, the province's portal)
// submits a dossier for the applicant; it waits, as "Mới đăng ký"
// (national status 1), in the desk's queue until an officer of the
// reception unit checks it and accepts it (the dossier is received then)
// or refuses it with a reason (status 3, "Không được tiếp nhận"). The
// legal time limit counts from the valid reception, that is from the
// acceptance, not from the submission: Decree 61/2018 Art 15 (as amended
// by Decree 107/2021) has the desk check an online dossier and receive
// it or say why not, and the time limit run from the reception; Decree
// 118/2025, which replaced it, keeps the rule (domain.md: its processing
// articles were not read, the rule is taken from Decree 61 as amended).
// While it waits the dossier has no ledger, no due instant and no alarm.

// States and status of a dossier submitted online and not yet received.
// They are not states of any procedure: every procedure has them.
const (
	// StateOnlineRegistered is the state of a dossier submitted online
	// that the desk has not yet accepted or refused.
	StateOnlineRegistered = "_online_registered"
	// StateOnlineRefused is the final state of a dossier the desk refused
	// to receive.
	StateOnlineRefused = "_online_refused"
	// StatusRegistered is the clock status of a dossier in
	// StateOnlineRegistered: no clock runs.
	StatusRegistered Status = "registered"
)

// Actions of the online intake, as history rows name them.
const (
	ActionSubmitOnline = "submit_online"
	ActionAcceptOnline = "accept_online"
	ActionRefuseOnline = "refuse_online"
)

// InputPortalID and InputDigest are the first history row's record of an
// online submission: the portal's own dossier id and the digest of what
// it sent, so that a second submission under the same id can be told
// apart from a retry.
const (
	InputPortalID = "portal_id"
	InputDigest   = "portal_digest"
)

// RolePortal is the role of a portal's account: it submits online
// dossiers and reads those it submitted, nothing else.
const RolePortal Role = "portal"

// OnlineInput is a dossier submitted by a portal.
type OnlineInput struct {
	// Actor is the portal's account (a directory person with RolePortal).
	Actor string
	// PortalID is the portal's own dossier id: the idempotency key.
	PortalID   string
	Applicant  Applicant
	Components []ComponentReceipt
	// Digest identifies the submission's content (the API hashes the
	// body): the same PortalID with another digest is a conflict.
	Digest string
}

// OnlineKey is the reception key of a submission: per portal account,
// so that two portals' ids never collide.
func OnlineKey(actor, portalID string) string { return "portal:" + actor + ":" + portalID }

// maxPortalID bounds the portal's id: it is stored and echoed.
const maxPortalID = 100

// CheckOnline reports what is wrong with a submission, without building
// the dossier: the engine asks before taking a number.
func CheckOnline(env Env, in OnlineInput) error {
	if env.Directory == nil {
		return fmt.Errorf("no directory to check %q against", in.Actor)
	}
	who, ok := env.Directory.Person(in.Actor)
	if !ok {
		return &NotFoundError{What: "person", ID: in.Actor}
	}
	if !who.Active || !who.HasRole(RolePortal) {
		return &ForbiddenError{Person: in.Actor, Reason: "only a portal's account submits online dossiers"}
	}
	id := strings.TrimSpace(in.PortalID)
	if id == "" || len(id) > maxPortalID || id != in.PortalID {
		return invalid("portal_id", fmt.Sprintf("mã hồ sơ của cổng bắt buộc, không có khoảng trắng ở đầu hoặc cuối, tối đa %d ký tự", maxPortalID),
			fmt.Sprintf("the portal's dossier id is required, without surrounding spaces, at most %d characters", maxPortalID))
	}
	if bad := checkApplicant(ReceiveInput{Applicant: in.Applicant}); len(bad) > 0 {
		return invalidFields(bad)
	}
	return checkComponents(env.Procedure, in.Components)
}

// checkComponents checks the components handed in: each known to the
// procedure (when it lists any), once, in a known form, 1–100 copies.
func checkComponents(p *Procedure, cs []ComponentReceipt) error {
	known := map[string]bool{}
	for _, c := range p.Components {
		known[c.ID] = true
	}
	seen := map[string]bool{}
	for i, c := range cs {
		field := fmt.Sprintf("components[%d]", i)
		switch {
		case c.ID == "" || (len(p.Components) > 0 && !known[c.ID]):
			return invalid(field+".id", fmt.Sprintf("thủ tục không có thành phần hồ sơ %q", c.ID), fmt.Sprintf("the procedure has no component %q", c.ID))
		case seen[c.ID]:
			return invalid(field+".id", fmt.Sprintf("thành phần %q được kê hai lần", c.ID), fmt.Sprintf("component %q is listed twice", c.ID))
		case c.Copy != "" && c.Copy != CopyOriginal && c.Copy != CopyPlain && c.Copy != CopyCertified && c.Copy != CopyAny:
			return invalid(field+".copy", "hình thức là original, copy, certified hoặc any", "the form is original, copy, certified or any")
		case c.Count < 1 || c.Count > maxSets:
			return invalid(field+".count", fmt.Sprintf("số bản từ 1 đến %d", maxSets), fmt.Sprintf("the number of copies is 1 to %d", maxSets))
		}
		seen[c.ID] = true
	}
	return nil
}

// SubmitOnline builds the dossier a portal submitted, under code, waiting
// in the reception unit's queue. It is pure.
func SubmitOnline(env Env, in OnlineInput, code string, now time.Time) (*Decision, error) {
	if err := CheckOnline(env, in); err != nil {
		return nil, err
	}
	p := env.Procedure
	init, ok := p.State(p.Initial)
	if !ok {
		return nil, fmt.Errorf("procedure %s: initial state %q missing", p.Key(), p.Initial)
	}
	now = storeInstant(now)
	inputs := map[string]string{InputPortalID: in.PortalID}
	if in.Digest != "" {
		inputs[InputDigest] = in.Digest
	}
	row := HistoryRow{Seq: 1, At: now, Action: ActionSubmitOnline, Actor: in.Actor,
		ToState: StateOnlineRegistered, ToUnit: init.Unit, Inputs: inputs}
	d := &Dossier{
		Code: code, Procedure: p.Code, ProcedureVersion: p.Version, Kind: p.Kind,
		Applicant: in.Applicant, Channel: ChannelOnline, ReceivingUnit: init.Unit,
		State: StateOnlineRegistered, Unit: init.Unit, Status: StatusRegistered,
		// ReceivedAt holds the submission until the desk accepts it; StartAt
		// stays zero: no legal clock runs.
		ReceivedAt: now, StepStartedAt: now, StepVisit: 1,
		Components: append([]ComponentReceipt(nil), in.Components...),
		ReceiveKey: OnlineKey(in.Actor, in.PortalID), UpdatedAt: now,
		History: []HistoryRow{row},
	}
	return withSync(env, &Decision{Dossier: d, Row: row}, now)
}

// checkWaiting checks that actor may decide on the online dossier d: it
// is still waiting, and actor works at its reception unit.
func checkWaiting(env Env, d *Dossier, action, actor string) error {
	if d.State != StateOnlineRegistered {
		if d.IsFinished() {
			return &FinishedError{Code: d.Code, State: d.State}
		}
		return &NotAllowedError{Action: action, State: d.State}
	}
	return checkMember(env.Directory, actor, []string{d.ReceivingUnit})
}

// AcceptOnline receives the online dossier d at now, by in.Actor: the
// legal clock starts, as at the counter, and the dossier enters the
// procedure's initial state (national status 2). It is pure.
func AcceptOnline(env Env, d *Dossier, in ActInput, now time.Time) (*Decision, error) {
	actor := in.Actor
	if err := checkWaiting(env, d, ActionAcceptOnline, actor); err != nil {
		return nil, err
	}
	p := env.Procedure
	init, ok := p.State(p.Initial)
	if !ok {
		return nil, fmt.Errorf("procedure %s: initial state %q missing", p.Key(), p.Initial)
	}
	now = storeInstant(now)
	nd := d.Clone()
	row := HistoryRow{Seq: len(d.History) + 1, At: now, Action: ActionAcceptOnline, Actor: actor,
		FromState: d.State, ToState: init.ID, FromUnit: d.Unit, ToUnit: init.Unit,
		Inputs: copyInputs(in.Inputs), IdempotencyKey: in.IdempotencyKey}
	nd.State, nd.Unit, nd.ReceivedBy = init.ID, init.Unit, actor
	nd.ReceivedAt, nd.StepStartedAt = now, now
	nd.StepVisit++
	nd.Ledger = []ClockEvent{{Kind: ClockStart, At: now, Limit: p.TimeLimit.String(), Action: ActionAcceptOnline}}
	cs, err := DeriveClock(p, env.Calendar, nd.Ledger, "vi")
	if err != nil {
		return nil, err
	}
	nd.StartAt = cs.Start.UTC()
	nd.StepDueAt = nil
	if !init.TimeLimit.IsZero() {
		nd.StepDueAt = timePtr(env.Calendar.Add(cs.Start, init.TimeLimit).UTC())
	}
	nd.History = append(nd.History, row)
	applyClock(nd, cs)
	nd.UpdatedAt = now
	nd.NextCheckAt = NextCheck(env, nd)
	return withSync(env, &Decision{Dossier: nd, Row: row}, now)
}

// RefuseOnline refuses to receive the online dossier d, by in.Actor, with
// in.Inputs["reason"], which the portal passes on to the applicant (form
// 03's reason). The dossier ends in StateOnlineRefused (national status
// 3); it was never received, so no clock ran and it is judged neither on
// time nor late. It is pure.
func RefuseOnline(env Env, d *Dossier, in ActInput, now time.Time) (*Decision, error) {
	actor := in.Actor
	if err := checkWaiting(env, d, ActionRefuseOnline, actor); err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(in.Inputs["reason"])
	if reason == "" {
		return nil, &MissingInputError{Action: ActionRefuseOnline, Inputs: []string{"reason"}}
	}
	if err := CheckInputs(map[string]string{"reason": reason}); err != nil {
		return nil, err
	}
	now = storeInstant(now)
	nd := d.Clone()
	row := HistoryRow{Seq: len(d.History) + 1, At: now, Action: ActionRefuseOnline, Actor: actor,
		FromState: d.State, ToState: StateOnlineRefused, FromUnit: d.Unit, Inputs: map[string]string{"reason": reason},
		IdempotencyKey: in.IdempotencyKey}
	nd.State, nd.Unit = StateOnlineRefused, ""
	nd.Status, nd.Result = StatusFinished, OutcomeRefused
	nd.FinishedAt = timePtr(now)
	nd.History = append(nd.History, row)
	nd.UpdatedAt = now
	nd.NextCheckAt = nil
	return withSync(env, &Decision{Dossier: nd, Row: row}, now)
}

// StateName returns the name of state id under p in lang ("vi" or "en"),
// the online intake's own states included; the id when it has no name.
func StateName(p *Procedure, id, lang string) string {
	switch id {
	case StateOnlineRegistered:
		if lang == "en" {
			return "Submitted online, awaiting reception"
		}
		return "Mới đăng ký (nộp trực tuyến, chờ tiếp nhận)"
	case StateOnlineRefused:
		if lang == "en" {
			return "Not received"
		}
		return "Không được tiếp nhận"
	}
	st, ok := p.State(id)
	if !ok {
		return id
	}
	if lang == "en" && st.NameEN != "" {
		return st.NameEN
	}
	return orID(st.Name, st.ID)
}

// onlineActions are the desk's two decisions on a dossier submitted
// online, offered as actions so that the pages and the API fire them as
// any other (Engine.Act hands them to AcceptOnline and RefuseOnline).
var onlineActions = []*Action{
	{ID: ActionAcceptOnline, Name: "Tiếp nhận hồ sơ trực tuyến", NameEN: "Receive the online dossier"},
	{ID: ActionRefuseOnline, Name: "Không tiếp nhận (mẫu 03)", NameEN: "Refuse to receive (form 03)", To: StateOnlineRefused, Requires: []string{"reason"}},
}

// availableOnline is Available for a dossier waiting in
// StateOnlineRegistered: both decisions, for the reception unit.
func availableOnline(d *Dossier, person *Person) []*Action {
	if !person.InUnit(d.ReceivingUnit) {
		return nil
	}
	return onlineActions
}

// IsOnlineAction reports whether action is one of the online intake's.
func IsOnlineAction(action string) bool {
	return action == ActionAcceptOnline || action == ActionRefuseOnline
}

// noClockExplanation is the explanation of a dossier whose clock never
// started: one submitted online and not yet received, or refused.
func noClockExplanation(d *Dossier, lang string) []string {
	switch {
	case d.State == StateOnlineRefused && lang == "en":
		return []string{"Not received: the legal time limit never started."}
	case d.State == StateOnlineRefused:
		return []string{"Không được tiếp nhận: thời hạn giải quyết chưa bắt đầu tính."}
	case lang == "en":
		return []string{"Submitted online: the legal time limit starts when the desk receives the dossier (Decree 61/2018 Art 15, kept by Decree 118/2025)."}
	}
	return []string{"Nộp trực tuyến: thời hạn giải quyết bắt đầu tính khi Bộ phận Một cửa tiếp nhận hồ sơ (Nghị định 61/2018 Điều 15, Nghị định 118/2025 giữ nguyên)."}
}

// NeverReceived reports whether d was submitted online and not (yet)
// received: waiting for the desk, or refused by it. Such a dossier is no
// reception for the figures: no clock ran, the law counts from the
// acceptance.
func NeverReceived(d *Dossier) bool {
	return d.State == StateOnlineRegistered || d.State == StateOnlineRefused
}
