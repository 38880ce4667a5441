package engine

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine/calendar"
)

// citizenProc has every place the applicant is told of: a waiting state
// with a timeout, a state where the result waits (status 9), the result
// returned (10), a refusal and an apology.
func citizenProc(t testing.TB) *Procedure {
	return indexed(t, &Procedure{
		Code: "1.000001", Name: "Cấp giấy phép", NameEN: "Permit", Version: 1, Kind: KindProcedure,
		TimeLimit: wd(3), Supplement: SupplementRestart, Initial: "received",
		States: []*State{
			{ID: "received", Name: "Tiếp nhận", Unit: "tiep-nhan", Status: 2},
			{ID: "review", Name: "Thẩm định", Unit: "kinh-te", Status: 4},
			{ID: "waiting", Name: "Chờ bổ sung", WaitsFor: "applicant", Status: 5,
				Timeout: &Timeout{After: calendar.DaysOf(30), Action: "stop"}},
			{ID: "returning", Name: "Trả kết quả", Unit: "tiep-nhan", Status: 9},
			{ID: "returned", Name: "Đã trả kết quả", Final: OutcomeApproved, Status: 10},
			{ID: "refused", Name: "Từ chối", Final: OutcomeRefused, Status: 3},
			{ID: "stopped", Name: "Dừng xử lý", Final: OutcomeRefused, Status: 8},
			{ID: "withdrawn", Name: "Rút hồ sơ", Final: OutcomeWithdrawn, Status: 7},
		},
		Actions: []*Action{
			{ID: "transfer", From: []string{"received"}, To: "review"},
			{ID: "ask", From: []string{"review"}, To: "waiting", Requires: []string{"reason"}},
			{ID: "back", From: []string{"waiting"}, To: "review", By: []string{"tiep-nhan"}},
			{ID: "approve", From: []string{"review"}, To: "returning"},
			{ID: "hand_over", From: []string{"returning"}, To: "returned"},
			{ID: "refuse", From: []string{"review"}, To: "refused", Requires: []string{"reason"}},
			{ID: "stop", From: []string{"waiting"}, To: "stopped", System: true},
			{ID: "withdraw", From: []string{"received", "review"}, To: "withdrawn", By: []string{"tiep-nhan"}},
			{ID: "sorry", From: []string{"review"}, Reappoint: true, Requires: []string{"reason", "due_at"}},
		},
	})
}

func applicantOnly(ns []Notification) []Notification {
	var out []Notification
	for _, n := range ns {
		if strings.HasPrefix(n.Kind, "applicant_") {
			out = append(out, n)
		}
	}
	return out
}

// TestApplicantNotices walks a dossier through every notice and checks
// each one's kind, channel, address, id and the data its text is made of.
func TestApplicantNotices(t *testing.T) {
	t.Parallel()
	env := envOf(t, citizenProc(t))
	env.ApplicantChannels = []string{ApplicantEmail, ApplicantSMS}
	app := Applicant{Name: "Trần Thị B", Phone: "+84 912 345 678", Email: "b@example.vn"}
	dec, err := Receive(env, ReceiveInput{Actor: "tn01", Applicant: app}, "UBND-260309-0001", at(t, "2026-03-09T09:00:00+07:00"))
	if err != nil {
		t.Fatal(err)
	}
	got := applicantOnly(dec.Notifications)
	if len(got) != 2 || got[0].Channel != ApplicantEmail || got[1].Channel != ApplicantSMS {
		t.Fatalf("reception notices = %+v, want one e-mail and one SMS", got)
	}
	if got[0].ID != "UBND-260309-0001/1/applicant_received/email" || got[0].Data[DataToEmail] != "b@example.vn" {
		t.Errorf("e-mail notice id %q to %q", got[0].ID, got[0].Data[DataToEmail])
	}
	if got[1].Data[DataToPhone] != "0912345678" {
		t.Errorf("SMS goes to %q, want the national form 0912345678", got[1].Data[DataToPhone])
	}
	if got[0].Data["appointment"] != "2026-03-12T09:00:00+07:00" || got[0].Data["place"] != "Bộ phận Một cửa" || len(got[0].To) != 0 {
		t.Errorf("reception data %v to %v: want the appointment, the desk, and no staff recipient", got[0].Data, got[0].To)
	}
	d := dec.Dossier

	steps := []struct {
		rule   string
		when   string
		action string
		actor  string
		inputs map[string]string
		kind   string // "" : the applicant is not told
		check  func(t *testing.T, n Notification)
	}{
		{"a handover inside the office is not the applicant's business", "2026-03-09T09:30:00+07:00", "transfer", "tn01", nil, "", nil},
		{"entering a waiting state asks the supplement, with the reason and the deadline", "2026-03-09T10:00:00+07:00", "ask", "kt01",
			map[string]string{"reason": "Thiếu bản sao giấy chứng nhận quyền sử dụng đất"}, NoteApplicantSupplement,
			func(t *testing.T, n Notification) {
				if n.Data["reason"] != "Thiếu bản sao giấy chứng nhận quyền sử dụng đất" || n.Data["supplement_by"] != "2026-04-08T17:00:00+07:00" {
					t.Errorf("supplement data %v", n.Data)
				}
			}},
		{"coming back from the wait tells nothing", "2026-03-10T08:00:00+07:00", "back", "tn01", nil, "", nil},
		{"a reappointing action is the apology with the new appointment", "2026-03-10T09:00:00+07:00", "sorry", "kt01",
			map[string]string{"reason": "Cần xác minh thêm", "due_at": "2026-03-20T16:00:00+07:00"}, NoteApplicantApology,
			func(t *testing.T, n Notification) {
				if n.Data["appointment"] != "2026-03-20T16:00:00+07:00" || n.Data["reason"] != "Cần xác minh thêm" {
					t.Errorf("apology data %v", n.Data)
				}
			}},
		{"a state with status 9 tells the result is ready, with the rating offered", "2026-03-11T09:00:00+07:00", "approve", "kt01", nil, NoteApplicantResult,
			func(t *testing.T, n Notification) {
				if n.Data["place"] != "Bộ phận Một cửa" || n.Data["rating"] != "1" {
					t.Errorf("result data %v", n.Data)
				}
			}},
		{"handing the result over (status 10 after 9) tells nothing more", "2026-03-11T10:00:00+07:00", "hand_over", "tn01", nil, "", nil},
	}
	for _, s := range steps {
		dec, err := Step(env, d, ActInput{Action: s.action, Actor: s.actor, Inputs: s.inputs}, at(t, s.when))
		if err != nil {
			t.Fatalf("%s: %v", s.rule, err)
		}
		d = dec.Dossier
		got := applicantOnly(dec.Notifications)
		if s.kind == "" {
			if len(got) != 0 {
				t.Errorf("%s: told %+v", s.rule, got)
			}
			continue
		}
		if len(got) != 2 {
			t.Fatalf("%s: %d notices, want 2 (e-mail, SMS)", s.rule, len(got))
		}
		for _, n := range got {
			wantID := d.Code + "/" + itoa(dec.Row.Seq) + "/" + s.kind + "/" + n.Channel
			if n.Kind != s.kind || n.ID != wantID || n.Dossier != d.Code {
				t.Errorf("%s: %s %s, want %s %s", s.rule, n.Kind, n.ID, s.kind, wantID)
			}
			s.check(t, n)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestApplicantRefusalNotices: a refusal by an officer carries the
// reason; a stop by the watch, which writes none, the state's name.
func TestApplicantRefusalNotices(t *testing.T) {
	t.Parallel()
	env := envOf(t, citizenProc(t))
	env.ApplicantChannels = []string{ApplicantSMS}
	dec, _ := Receive(env, ReceiveInput{Actor: "tn01", Applicant: Applicant{Name: "C", Phone: "0912345678"}}, "UBND-260309-0002", at(t, "2026-03-09T09:00:00+07:00"))
	d := run(t, env, dec.Dossier, act{"2026-03-09T09:30:00+07:00", "transfer", "tn01", nil})
	r, err := Step(env, d, ActInput{Action: "refuse", Actor: "kt01", Inputs: map[string]string{"reason": "Không đủ điều kiện"}}, at(t, "2026-03-09T10:00:00+07:00"))
	if err != nil {
		t.Fatal(err)
	}
	if got := applicantOnly(r.Notifications); len(got) != 1 || got[0].Kind != NoteApplicantRefused || got[0].Data["reason"] != "Không đủ điều kiện" || got[0].Data["rating"] != "1" {
		t.Fatalf("refusal notices %+v", got)
	}
	d = run(t, env, d, act{"2026-03-09T10:00:00+07:00", "ask", "kt01", map[string]string{"reason": "x"}})
	s, err := Step(env, d, ActInput{Action: "stop", Actor: ActorSystem}, at(t, "2026-04-09T10:00:00+07:00"))
	if err != nil {
		t.Fatal(err)
	}
	if got := applicantOnly(s.Notifications); len(got) != 1 || got[0].Data["reason"] != "Dừng xử lý" {
		t.Fatalf("stop notices %+v, want the state's name as the reason", got)
	}
}

// TestApplicantNoticesNeedAContact: no notice without the applicant's
// contact for that channel, nor for a channel the unit did not configure.
func TestApplicantNoticesNeedAContact(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		rule     string
		channels []string
		app      Applicant
		want     []string
	}{
		{"no channel configured: nobody is told", nil, Applicant{Name: "A", Phone: "0912345678", Email: "a@b.vn"}, nil},
		{"no contact given: nobody is told", []string{ApplicantEmail, ApplicantSMS}, Applicant{Name: "A"}, nil},
		{"only an e-mail: only the e-mail", []string{ApplicantEmail, ApplicantSMS}, Applicant{Name: "A", Email: "a@b.vn"}, []string{ApplicantEmail}},
		{"only SMS configured: only the SMS", []string{ApplicantSMS}, Applicant{Name: "A", Phone: "0912345678", Email: "a@b.vn"}, []string{ApplicantSMS}},
	} {
		env := envOf(t, citizenProc(t))
		env.ApplicantChannels = c.channels
		dec, err := Receive(env, ReceiveInput{Actor: "tn01", Applicant: c.app}, "UBND-260309-0003", at(t, "2026-03-09T09:00:00+07:00"))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, n := range applicantOnly(dec.Notifications) {
			got = append(got, n.Channel)
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: channels %v, want %v", c.rule, got, c.want)
		}
	}
}

// TestReasonsOf: the lookup reads the reason of the row that entered the
// current state, and nothing else.
func TestReasonsOf(t *testing.T) {
	t.Parallel()
	env := envOf(t, citizenProc(t))
	d0 := receive(t, env, "2026-03-09T09:00:00+07:00")
	d := run(t, env, d0, act{"2026-03-09T09:30:00+07:00", "transfer", "tn01", nil},
		act{"2026-03-09T10:00:00+07:00", "ask", "kt01", map[string]string{"reason": "Thiếu tờ khai"}})
	r := ReasonsOf(env, d)
	if r.Supplement != "Thiếu tờ khai" || showT(r.SupplementBy) != "2026-04-08T17:00:00+07:00" || r.Refusal != "" {
		t.Errorf("waiting: %+v", r)
	}
	d = run(t, env, d, act{"2026-03-10T08:00:00+07:00", "back", "tn01", nil})
	if r := ReasonsOf(env, d); r != (Reasons{}) {
		t.Errorf("back in review: %+v, want no reason", r)
	}
	d = run(t, env, d, act{"2026-03-10T09:00:00+07:00", "refuse", "kt01", map[string]string{"reason": "Sai thẩm quyền"}})
	if r := ReasonsOf(env, d); r.Refusal != "Sai thẩm quyền" || r.Supplement != "" {
		t.Errorf("refused: %+v", r)
	}
}

// TestCanRate: only a returned result (or a refusal) of a procedure, and
// only once.
func TestCanRate(t *testing.T) {
	t.Parallel()
	p := citizenProc(t)
	for _, c := range []struct {
		rule  string
		state string
		rated bool
		kind  Kind
		want  error
	}{
		{"the result returned (status 10) may be rated", "returned", false, KindProcedure, nil},
		{"a refusal's letter is the result: may be rated", "refused", false, KindProcedure, nil},
		{"the result waiting to be collected (status 9) not yet", "returning", false, KindProcedure, &NotRatableError{}},
		{"a withdrawn dossier never", "withdrawn", false, KindProcedure, &NotRatableError{}},
		{"a second rating never", "returned", true, KindProcedure, &AlreadyRatedError{}},
		{"a petition is not rated", "returned", false, KindComplaint, &NotFoundError{}},
	} {
		pp := *p
		pp.Kind = c.kind
		d := &Dossier{Code: "X", State: c.state}
		if c.rated {
			d.Rating = &Rating{}
		}
		err := CanRate(&pp, d)
		if (err == nil) != (c.want == nil) || err != nil && ErrorCode(err) != ErrorCode(c.want) {
			t.Errorf("%s: %v, want %T", c.rule, err, c.want)
		}
		if c.want != nil && reflect.TypeOf(err) != reflect.TypeOf(c.want) {
			t.Errorf("%s: %T, want %T", c.rule, err, c.want)
		}
	}
}

// TestCheckRating: every criterion scored 1–3, nothing else, a bounded
// comment.
func TestCheckRating(t *testing.T) {
	t.Parallel()
	all := func(v int) map[string]int {
		m := map[string]int{}
		for _, c := range RatingCriteria {
			m[c.ID] = v
		}
		return m
	}
	extra := all(2)
	extra["khac"] = 3
	missing := all(2)
	delete(missing, RatingCriteria[0].ID)
	for _, c := range []struct {
		rule    string
		scores  map[string]int
		comment string
		ok      bool
	}{
		{"every criterion scored 3 is accepted", all(3), "Tốt", true},
		{"every criterion scored 1 is accepted", all(1), "", true},
		{"a 0 is refused", all(0), "", false},
		{"a 4 is refused", all(4), "", false},
		{"a missing criterion is refused", missing, "", false},
		{"an unknown criterion is refused", extra, "", false},
		{"a comment of 1000 characters is accepted", all(2), strings.Repeat("ạ", MaxRatingComment), true},
		{"a comment of 1001 characters is refused", all(2), strings.Repeat("ạ", MaxRatingComment+1), false},
	} {
		if err := CheckRating(c.scores, c.comment); (err == nil) != c.ok {
			t.Errorf("%s: %v", c.rule, err)
		}
	}
}

// TestRatingToken: the link's secret depends on the code and the key and
// is checked exactly.
func TestRatingToken(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := RatingToken(key, "UBND-260309-0001")
	if len(tok) != 12 || !ValidRatingToken(key, "UBND-260309-0001", tok) {
		t.Fatalf("token %q does not check", tok)
	}
	for _, c := range []struct{ rule, code, tok string }{
		{"another dossier's token is refused", "UBND-260309-0002", tok},
		{"a changed character is refused", "UBND-260309-0001", tok[:11] + "x"},
		{"an empty token is refused", "UBND-260309-0001", ""},
	} {
		if ValidRatingToken(key, c.code, c.tok) {
			t.Errorf("%s", c.rule)
		}
	}
	if ValidRatingToken(nil, "UBND-260309-0001", RatingToken(nil, "UBND-260309-0001")) {
		t.Error("without a key no token is valid")
	}
}
