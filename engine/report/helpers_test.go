package report_test

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
)

// memStore is a minimal in-memory engine.Store for the fast tests of the
// figures' logic; the seeded-month tests run on the real stores.
type memStore struct {
	mu  sync.Mutex
	ds  map[string]*engine.Dossier
	seq map[string]int
}

func newMemStore() *memStore {
	return &memStore{ds: map[string]*engine.Dossier{}, seq: map[string]int{}}
}

func (s *memStore) NextSequence(_ context.Context, unit, day string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq[unit+"/"+day]++
	return s.seq[unit+"/"+day], nil
}

func (s *memStore) Insert(_ context.Context, d *engine.Dossier, _ []engine.Notification) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.ds[d.Code]; dup {
		return &engine.DuplicateError{Code: d.Code}
	}
	s.ds[d.Code] = d.Clone()
	return nil
}

func (s *memStore) Get(_ context.Context, code string) (*engine.Dossier, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.ds[code]
	if !ok {
		return nil, &engine.NotFoundError{What: "dossier", ID: code}
	}
	return d.Clone(), nil
}

func (s *memStore) GetByReceiveKey(context.Context, string) (*engine.Dossier, error) {
	return nil, &engine.NotFoundError{What: "dossier"}
}

func (s *memStore) Apply(_ context.Context, d *engine.Dossier, prev int64, _ []engine.Notification) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur := s.ds[d.Code]; cur == nil || cur.Version != prev {
		return &engine.ConflictError{Code: d.Code, Version: prev}
	}
	s.ds[d.Code] = d.Clone()
	return nil
}

// ApplyAlarms is Apply: the figures never read the alarm fields.
func (s *memStore) ApplyAlarms(ctx context.Context, d *engine.Dossier, prev int64, outbox []engine.Notification) error {
	return s.Apply(ctx, d, prev, outbox)
}

func (s *memStore) List(context.Context, engine.Query) ([]*engine.Dossier, error) { return nil, nil }

func (s *memStore) Scan(ctx context.Context, q engine.Query, fn func(*engine.Dossier) error) error {
	s.mu.Lock()
	var out []*engine.Dossier
	for _, d := range s.ds {
		if !q.ReceivedTo.IsZero() && !d.ReceivedAt.Before(q.ReceivedTo) {
			continue
		}
		out = append(out, d.Clone())
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	for _, d := range out {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

func (s *memStore) DueForCheck(context.Context, time.Time, engine.Cursor, int) ([]*engine.Dossier, error) {
	return nil, nil
}
func (s *memStore) AddNotification(context.Context, engine.Notification) (bool, error) {
	return true, nil
}
func (s *memStore) PendingNotifications(context.Context, time.Time, int) ([]engine.Notification, error) {
	return nil, nil
}
func (s *memStore) NotificationsOfKind(context.Context, string, string, bool) ([]engine.Notification, error) {
	return nil, nil
}
func (s *memStore) UpdateNotification(context.Context, engine.Notification, engine.Notification) error {
	return nil
}
func (s *memStore) Notifications(context.Context, string, int) ([]engine.Notification, error) {
	return nil, nil
}
func (s *memStore) AcquireLease(context.Context, string, string, time.Time, time.Time) (bool, error) {
	return true, nil
}
func (s *memStore) Close() error { return nil }

var _ engine.Store = (*memStore)(nil)

// DenunciationCode is the code of denunciationProcedure.
const DenunciationCode = "TEST.TC"

// denunciationProcedure is a petition procedure: 30 days to resolve,
// extendable twice by 30 days (Denunciations Law 2018 Art 30), handled
// by the specialised office from reception on.
func denunciationProcedure() *engine.Procedure {
	p := &engine.Procedure{
		Code: DenunciationCode, Name: "Giải quyết tố cáo", NameEN: "Resolving a denunciation", Version: 1,
		Kind: engine.KindDenunciation, TimeLimit: calendar.DaysOf(30), Supplement: engine.SupplementPause,
		Initial: "thu_ly",
		States: []*engine.State{
			{ID: "thu_ly", Name: "Thụ lý", NameEN: "Accepted", Unit: enginetest.UnitOffice},
			{ID: "da_ket_luan", Name: "Đã kết luận", NameEN: "Concluded", Final: engine.OutcomeApproved},
		},
		Actions: []*engine.Action{
			{ID: "gia_han", Name: "Gia hạn", NameEN: "Extend", From: []string{"thu_ly"}, Extend: calendar.DaysOf(30), Max: 2},
			{ID: "ket_luan", Name: "Kết luận", NameEN: "Conclude", From: []string{"thu_ly"}, To: "da_ket_luan"},
		},
	}
	if err := p.Index(); err != nil {
		panic(err)
	}
	return p
}

// PetitionCode is the code of petitionProcedure.
const PetitionCode = "TEST.KNPA"

// petitionProcedure is a recommendation/feedback petition answered within
// 10 working days: the desk either gives it to the office (within the
// unit's authority) or forwards it to the competent body, a state marked
// outside the unit's authority (Citizen Reception Law 2013 Art 28).
func petitionProcedure() *engine.Procedure {
	p := &engine.Procedure{
		Code: PetitionCode, Name: "Xử lý đơn kiến nghị, phản ánh", NameEN: "Recommendation or feedback", Version: 1,
		Kind: engine.KindPetition, TimeLimit: calendar.WorkingDaysOf(10), Supplement: engine.SupplementPause,
		Initial: "tiep_nhan",
		States: []*engine.State{
			{ID: "tiep_nhan", Name: "Tiếp nhận, phân loại", NameEN: "Intake", Unit: enginetest.UnitDesk},
			{ID: "xu_ly", Name: "Xem xét, trả lời", NameEN: "Handling", Unit: enginetest.UnitOffice},
			{ID: "da_tra_loi", Name: "Đã trả lời", NameEN: "Answered", Final: engine.OutcomeApproved},
			{ID: "da_chuyen", Name: "Đã chuyển cơ quan có thẩm quyền", NameEN: "Forwarded", Final: engine.OutcomeApproved,
				Authority: engine.AuthorityOutside},
		},
		Actions: []*engine.Action{
			{ID: "giao", Name: "Giao xử lý", NameEN: "Assign", From: []string{"tiep_nhan"}, To: "xu_ly"},
			{ID: "chuyen", Name: "Chuyển đơn", NameEN: "Forward", From: []string{"tiep_nhan"}, To: "da_chuyen"},
			{ID: "tra_loi", Name: "Trả lời", NameEN: "Answer", From: []string{"xu_ly"}, To: "da_tra_loi"},
		},
	}
	if err := p.Index(); err != nil {
		panic(err)
	}
	return p
}

// newEngine returns an engine over st with the sample procedure, the
// denunciation and petition procedures, the sample directory and the vn
// calendar.
func newEngine(st engine.Store, clock *enginetest.StubClock) *engine.Engine {
	cat, err := engine.NewCatalog(enginetest.SampleProcedure(), denunciationProcedure(), petitionProcedure())
	if err != nil {
		panic(err)
	}
	return &engine.Engine{Store: st, Catalog: cat, Directory: enginetest.SampleDirectory(),
		Calendar: calendar.VN(), Now: clock.Now}
}

var ict = time.FixedZone("ICT", 7*3600)

// at returns an instant in Vietnam's zone.
func at(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, ict)
}

// seeder drives an engine with a stub clock.
type seeder struct {
	t     testing.TB
	e     *engine.Engine
	clock *enginetest.StubClock
}

func newSeeder(t testing.TB, st engine.Store) *seeder {
	clock := enginetest.NewStubClock(at(1, 5, 9, 0))
	return &seeder{t: t, e: newEngine(st, clock), clock: clock}
}

// receive receives a dossier of the sample procedure at when.
func (s *seeder) receive(name string, when time.Time, ch engine.Channel) string {
	return s.receiveAs(enginetest.SampleCode, enginetest.Receiver, name, when, ch)
}

func (s *seeder) receiveAs(proc, actor, name string, when time.Time, ch engine.Channel) string {
	s.t.Helper()
	s.clock.Set(when)
	d, err := s.e.Receive(context.Background(), proc, 0, engine.ReceiveInput{
		Actor: actor, Channel: ch, Applicant: engine.Applicant{Name: name},
	})
	if err != nil {
		s.t.Fatalf("receive %s at %s: %v", name, when, err)
	}
	return d.Code
}

// act fires action on code at when.
func (s *seeder) act(code, action, actor string, when time.Time, inputs ...string) *engine.Dossier {
	s.t.Helper()
	s.clock.Set(when)
	in := engine.ActInput{Action: action, Actor: actor}
	if len(inputs) > 0 {
		in.Inputs = map[string]string{}
		for i := 0; i+1 < len(inputs); i += 2 {
			in.Inputs[inputs[i]] = inputs[i+1]
		}
	}
	d, err := s.e.Act(context.Background(), code, in, 0)
	if err != nil {
		s.t.Fatalf("%s %s at %s: %v", action, code, when, err)
	}
	return d
}

// flow takes a dossier of the sample procedure through transfer,
// submission, signature and return at the four instants.
func (s *seeder) flow(code string, chuyen, trinh, ky, tra time.Time) *engine.Dossier {
	s.t.Helper()
	s.act(code, "chuyen", enginetest.Receiver, chuyen)
	s.act(code, "trinh", enginetest.Officer, trinh)
	s.act(code, "ky", enginetest.Chairman, ky)
	return s.act(code, "tra", enginetest.Receiver, tra)
}

// month is the seeded month of March 2026: what each dossier is there to
// test, and the dossiers themselves as the engine left them.
type month struct {
	codes map[string]string // letter → dossier code
	final map[string]*engine.Dossier
}

// seedMarch builds, through the engine, the dossiers whose March 2026
// figures the tests know by hand (2 March is a Monday; limit 5 working
// days; step budgets desk 1 day, office 3 days, leadership 1 day,
// return 4 hours).
func seedMarch(t testing.TB, st engine.Store) *month {
	s := newSeeder(t, st)
	m := &month{codes: map[string]string{}, final: map[string]*engine.Dossier{}}
	desk, off := enginetest.Receiver, enginetest.Officer

	// L: received and finished in February: in no figure of March.
	m.codes["L"] = s.receive("L", at(2, 9, 9, 0), engine.ChannelCounter)
	m.final["L"] = s.flow(m.codes["L"], at(2, 9, 10, 0), at(2, 10, 10, 0), at(2, 11, 10, 0), at(2, 12, 10, 0))

	// K: carried over from February (in the return step at the desk),
	// returned Tue 3 Mar, a day before its due Wed 4 Mar 09:00: early.
	m.codes["K"] = s.receive("K", at(2, 25, 9, 0), engine.ChannelCounter)
	m.final["K"] = s.flow(m.codes["K"], at(2, 25, 10, 0), at(2, 26, 10, 0), at(2, 27, 10, 0), at(3, 3, 10, 0))

	// A: early (due Mon 9 Mar, returned Tue 3 Mar).
	m.codes["A"] = s.receive("A", at(3, 2, 9, 0), engine.ChannelCounter)
	m.final["A"] = s.flow(m.codes["A"], at(3, 2, 9, 30), at(3, 2, 14, 0), at(3, 3, 8, 30), at(3, 3, 10, 0))

	// B: returned exactly at its due instant, Mon 9 Mar 09:30: on time.
	m.codes["B"] = s.receive("B", at(3, 2, 9, 30), engine.ChannelOnline)
	s.act(m.codes["B"], "chuyen", desk, at(3, 2, 10, 0))
	s.act(m.codes["B"], "trinh", off, at(3, 4, 10, 0))
	d := s.act(m.codes["B"], "ky", enginetest.Chairman, at(3, 5, 10, 0))
	m.final["B"] = s.act(m.codes["B"], "tra", desk, d.DueAt.In(ict))

	// C: late (due Tue 10 Mar, returned Fri 20 Mar), received by post.
	m.codes["C"] = s.receive("C", at(3, 3, 10, 0), engine.ChannelPost)
	m.final["C"] = s.flow(m.codes["C"], at(3, 3, 11, 0), at(3, 12, 10, 0), at(3, 13, 10, 0), at(3, 20, 10, 0))

	// D: refused by the office: finished, not in the rate.
	m.codes["D"] = s.receive("D", at(3, 4, 10, 0), engine.ChannelCounter)
	s.act(m.codes["D"], "chuyen", desk, at(3, 4, 11, 0))
	m.final["D"] = s.act(m.codes["D"], "tu_choi", off, at(3, 5, 10, 0), "reason", "không đủ điều kiện")

	// E: waiting for a supplement from Fri 6 Mar until Thu 2 Apr: paused
	// across the period's end, though in progress again now.
	m.codes["E"] = s.receive("E", at(3, 5, 10, 0), engine.ChannelCounter)
	s.act(m.codes["E"], "chuyen", desk, at(3, 5, 11, 0))
	s.act(m.codes["E"], "yeu_cau_bo_sung", off, at(3, 6, 10, 0), "reason", "thiếu bản sao")
	m.final["E"] = s.act(m.codes["E"], "nhan_bo_sung", desk, at(4, 2, 10, 0))

	// G: stuck at the office past its due (Mon 16 Mar) at the period's
	// end, finished late in April.
	m.codes["G"] = s.receive("G", at(3, 9, 9, 0), engine.ChannelCounter)
	s.act(m.codes["G"], "chuyen", desk, at(3, 9, 10, 0))
	s.act(m.codes["G"], "trinh", off, at(4, 1, 10, 0))
	s.act(m.codes["G"], "ky", enginetest.Chairman, at(4, 2, 9, 0))
	m.final["G"] = s.act(m.codes["G"], "tra", desk, at(4, 2, 10, 0))

	// H: received Mon 30 Mar, within its deadline at the period's end.
	m.codes["H"] = s.receive("H", at(3, 30, 9, 0), engine.ChannelOnline)
	m.final["H"] = s.act(m.codes["H"], "chuyen", desk, at(3, 30, 10, 0))

	// P1: a denunciation extended once, concluded early on Wed 25 Mar.
	m.codes["P1"] = s.receiveAs(DenunciationCode, off, "P1", at(3, 2, 9, 0), engine.ChannelCounter)
	s.act(m.codes["P1"], "gia_han", off, at(3, 10, 9, 0))
	m.final["P1"] = s.act(m.codes["P1"], "ket_luan", off, at(3, 25, 10, 0))

	// P2: a denunciation by post, open at the period's end.
	m.codes["P2"] = s.receiveAs(DenunciationCode, off, "P2", at(3, 16, 9, 0), engine.ChannelPost)

	// M: received in April: outside the period.
	m.codes["M"] = s.receive("M", at(4, 1, 9, 0), engine.ChannelCounter)

	for letter, want := range map[string]engine.Timeliness{"K": engine.Early, "A": engine.Early, "B": engine.OnTime, "C": engine.Late, "G": engine.Late, "P1": engine.Early} {
		if got := m.final[letter].Timeliness; got != want {
			t.Fatalf("seed: dossier %s finished %q, the test assumes %q", letter, got, want)
		}
	}
	if !m.final["B"].FinishedAt.Equal(*m.final["B"].DueAt) {
		t.Fatalf("seed: B finished at %v, not at its due %v", m.final["B"].FinishedAt, m.final["B"].DueAt)
	}
	if m.final["E"].Status != engine.StatusInProgress {
		t.Fatalf("seed: E should be in progress again now, is %s", m.final["E"].Status)
	}
	return m
}
