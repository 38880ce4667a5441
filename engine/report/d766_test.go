package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/report"
)

// FeeCode is a second procedure, counted in calendar days, for the
// Decision 766 month.
const FeeCode = "TEST.NGAY"

// dayProcedure is the sample procedure with a limit of 10 calendar days.
func dayProcedure() *engine.Procedure {
	p := enginetest.SampleProcedure()
	p.Code, p.Name, p.NameEN = FeeCode, "Thủ tục tính theo ngày", "Procedure in days"
	p.TimeLimit = calendar.DaysOf(10)
	return p
}

// d766Catalog is the catalog the report reads: both procedures charge a
// fee (the seeding engine's do not, so that no fee gate of the engine
// stands in the way of the flows).
func d766Catalog(t testing.TB) *engine.Catalog {
	s, d := enginetest.SampleProcedure(), dayProcedure()
	for _, p := range []*engine.Procedure{s, d} {
		p.Fees = []engine.Fee{{ID: "le-phi", Name: "Lệ phí", Amount: 8000}}
		p.Result = engine.ResultSpec{Name: "Giấy chứng nhận", File: engine.ResultFileOptional}
	}
	cat, err := engine.NewCatalog(s, d)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// seedD766 builds March 2026 for the Decision 766 indicators (2 March is
// a Monday; S is the sample procedure, 5 working days; F is FeeCode, 10
// calendar days; the desk receives and returns, the office appraises):
//
//	N  S counter  received 25 Feb, signed Fri 27 Feb (result ready: the 766 finish), returned Tue 3 Mar; rated 4
//	A  S counter  returned Tue 3 Mar early; scan + result, the result corrected once; fee paid at the counter; rated 5/4
//	B  S online   returned Thu 5 Mar early; a reused scan + result; fee paid online; rated 1/3 (a dislike)
//	C  S online   returned Fri 20 Mar late; a result file only; no fee data
//	D  S counter  refused Thu 5 Mar; a reused scan superseded by a new scan
//	E  S counter  one supplement request Fri 6 Mar, returned Thu 12 Mar
//	G  S counter  two supplement requests (10 and 12 Mar), returned Tue 17 Mar early by law
//	I  S counter  at the office past its due (Tue 17 Mar) at the end
//	H  S online   received Mon 30 Mar, within its due at the end
//	J  F counter  returned Fri 6 Mar after 4 days; scan + result; fee paid online; rated 5
//	K  F online   received Wed 25 Mar, within its due at the end; a scan; fee charged, unpaid
//	L  S counter  received and returned in February: in nothing
//	M  S counter  received in April: in nothing
func seedD766(t testing.TB, st *memStore) map[string]string {
	t.Helper()
	clock := enginetest.NewStubClock(at(1, 5, 9, 0))
	cat, err := engine.NewCatalog(enginetest.SampleProcedure(), dayProcedure())
	if err != nil {
		t.Fatal(err)
	}
	s := &seeder{t: t, clock: clock, e: &engine.Engine{Store: st, Catalog: cat,
		Directory: enginetest.SampleDirectory(), Calendar: calendar.VN(), Now: clock.Now}}
	desk, off, boss := enginetest.Receiver, enginetest.Officer, enginetest.Chairman
	c := map[string]string{}
	recv := func(letter, proc string, when time.Time, ch engine.Channel) string {
		c[letter] = s.receiveAs(proc, desk, letter, when, ch)
		return c[letter]
	}
	final := map[string]*engine.Dossier{}

	final["L"] = s.flow(recv("L", enginetest.SampleCode, at(2, 9, 9, 0), engine.ChannelCounter), at(2, 9, 10, 0), at(2, 10, 10, 0), at(2, 11, 10, 0), at(2, 12, 10, 0))
	final["N"] = s.flow(recv("N", enginetest.SampleCode, at(2, 25, 9, 0), engine.ChannelCounter), at(2, 25, 10, 0), at(2, 26, 10, 0), at(2, 27, 10, 0), at(3, 3, 10, 0))
	final["A"] = s.flow(recv("A", enginetest.SampleCode, at(3, 2, 9, 0), engine.ChannelCounter), at(3, 2, 9, 30), at(3, 2, 14, 0), at(3, 3, 8, 30), at(3, 3, 10, 0))
	final["B"] = s.flow(recv("B", enginetest.SampleCode, at(3, 2, 9, 30), engine.ChannelOnline), at(3, 2, 10, 0), at(3, 4, 10, 0), at(3, 5, 9, 0), at(3, 5, 10, 0))
	final["C"] = s.flow(recv("C", enginetest.SampleCode, at(3, 3, 10, 0), engine.ChannelOnline), at(3, 3, 11, 0), at(3, 12, 10, 0), at(3, 13, 10, 0), at(3, 20, 10, 0))

	recv("D", enginetest.SampleCode, at(3, 4, 10, 0), engine.ChannelCounter)
	s.act(c["D"], "chuyen", desk, at(3, 4, 11, 0))
	final["D"] = s.act(c["D"], "tu_choi", off, at(3, 5, 10, 0), "reason", "không đủ điều kiện")

	recv("E", enginetest.SampleCode, at(3, 5, 10, 0), engine.ChannelCounter)
	s.act(c["E"], "chuyen", desk, at(3, 5, 11, 0))
	s.act(c["E"], "yeu_cau_bo_sung", off, at(3, 6, 10, 0), "reason", "thiếu bản sao")
	s.act(c["E"], "nhan_bo_sung", desk, at(3, 9, 10, 0))
	s.act(c["E"], "trinh", off, at(3, 10, 10, 0))
	s.act(c["E"], "ky", boss, at(3, 11, 10, 0))
	final["E"] = s.act(c["E"], "tra", desk, at(3, 12, 10, 0))

	recv("G", enginetest.SampleCode, at(3, 9, 9, 0), engine.ChannelCounter)
	s.act(c["G"], "chuyen", desk, at(3, 9, 10, 0))
	s.act(c["G"], "yeu_cau_bo_sung", off, at(3, 10, 10, 0), "reason", "thiếu bản sao")
	s.act(c["G"], "nhan_bo_sung", desk, at(3, 11, 10, 0))
	s.act(c["G"], "yeu_cau_bo_sung", off, at(3, 12, 10, 0), "reason", "bản sao mờ")
	s.act(c["G"], "nhan_bo_sung", desk, at(3, 13, 10, 0))
	s.act(c["G"], "trinh", off, at(3, 16, 10, 0))
	s.act(c["G"], "ky", boss, at(3, 16, 14, 0))
	final["G"] = s.act(c["G"], "tra", desk, at(3, 17, 10, 0))

	recv("I", enginetest.SampleCode, at(3, 10, 9, 0), engine.ChannelCounter)
	final["I"] = s.act(c["I"], "chuyen", desk, at(3, 10, 10, 0))
	recv("H", enginetest.SampleCode, at(3, 30, 9, 0), engine.ChannelOnline)
	final["H"] = s.act(c["H"], "chuyen", desk, at(3, 30, 10, 0))
	final["J"] = s.flow(recv("J", FeeCode, at(3, 2, 9, 0), engine.ChannelCounter), at(3, 2, 10, 0), at(3, 3, 10, 0), at(3, 4, 10, 0), at(3, 6, 9, 0))
	recv("K", FeeCode, at(3, 25, 9, 0), engine.ChannelOnline)
	final["K"] = s.act(c["K"], "chuyen", desk, at(3, 25, 10, 0))
	recv("M", enginetest.SampleCode, at(4, 1, 9, 0), engine.ChannelCounter)

	// The premises the expected figures rest on.
	for letter, want := range map[string]engine.Timeliness{"N": engine.Early, "A": engine.Early, "B": engine.Early, "C": engine.Late, "E": engine.Early, "G": engine.Early, "J": engine.Early} {
		if got := final[letter].Timeliness; got != want {
			t.Fatalf("seed: %s finished %q, the test assumes %q", letter, got, want)
		}
	}
	for letter, h := range map[string]float64{"N": 33, "A": 9, "B": 24.5, "C": 104, "E": 32, "G": 33} {
		if got := final[letter].WorkTaken.Hours(); got != h {
			t.Fatalf("seed: %s took %v working hours, the test assumes %v", letter, got, h)
		}
	}

	// The contents, as the documents, files and citizen work will fill them.
	file := func(id, comp string, result bool, mods ...func(*engine.FileRef)) engine.FileRef {
		f := engine.FileRef{ID: id, SHA256: id, Size: 100, ContentType: "application/pdf", Component: comp, Result: result, At: at(3, 2, 9, 0), By: desk}
		for _, m := range mods {
			m(&f)
		}
		return f
	}
	reused := func(f *engine.FileRef) { f.ReusedFrom = "XA01-260101-0001" }
	supersedes := func(id string) func(*engine.FileRef) { return func(f *engine.FileRef) { f.Supersedes = id } }
	paid := func(m engine.PayMethod) []engine.FeeRecord {
		return []engine.FeeRecord{{ID: "le-phi", Amount: 8000, Paid: true, Method: m}}
	}
	rating := func(scores map[string]int) *engine.Rating {
		return &engine.Rating{At: at(3, 20, 9, 0), Scores: scores}
	}
	set := func(letter string, fn func(d *engine.Dossier)) {
		fn(st.ds[c[letter]])
	}
	set("N", func(d *engine.Dossier) { d.Rating = rating(map[string]int{"thai_do": 4}) })
	set("A", func(d *engine.Dossier) {
		d.Files = []engine.FileRef{file("a1", "to-khai", false), file("a2", "", true), file("a3", "", true, supersedes("a2"))}
		d.Fees = paid(engine.PayCounter)
		d.Rating = rating(map[string]int{"thai_do": 5, "dung_hen": 4})
	})
	set("B", func(d *engine.Dossier) {
		d.Files = []engine.FileRef{file("b1", "to-khai", false, reused), file("b2", "", true)}
		d.Fees = paid(engine.PayOnline)
		d.Rating = rating(map[string]int{"thai_do": 1, "dung_hen": 3})
	})
	set("C", func(d *engine.Dossier) { d.Files = []engine.FileRef{file("c1", "", true)} })
	set("D", func(d *engine.Dossier) {
		d.Files = []engine.FileRef{file("d1", "to-khai", false, reused), file("d2", "to-khai", false, supersedes("d1"))}
	})
	set("J", func(d *engine.Dossier) {
		d.Files = []engine.FileRef{file("j1", "to-khai", false), file("j2", "", true, func(f *engine.FileRef) { f.Signed = true })}
		d.Fees = paid(engine.PayOnline)
		d.Rating = rating(map[string]int{"thai_do": 5})
	})
	set("K", func(d *engine.Dossier) {
		d.Files = []engine.FileRef{file("k1", "to-khai", false)}
		d.Fees = []engine.FeeRecord{{ID: "le-phi", Amount: 8000}}
	})
	return c
}

func d766March(t *testing.T, by report.Grouping, units []string) *report.Report {
	t.Helper()
	st := newMemStore()
	seedD766(t, st)
	q := march(by)
	q.Catalog, q.Directory, q.Units = d766Catalog(t), enginetest.SampleDirectory(), units
	r, err := report.Compute(context.Background(), st, calendar.VN(), q)
	if err != nil {
		t.Fatal(err)
	}
	if r.D766 == nil {
		t.Fatal("no Decision 766 section")
	}
	return r
}

func rate(num, den int) fig {
	f := fig{"num": num, "den": den, "rate": nil}
	if den > 0 {
		f["rate"] = float64(num) / float64(den)
	}
	return f
}

func TestD766SeededMonth(t *testing.T) {
	t.Parallel()
	r := d766March(t, report.ByUnit, nil)
	tot := r.D766.Total
	for _, tc := range []struct {
		rule string
		got  report.Rate
		want fig
	}{
		// A B D(refused) E(at its one request) H J K on time; C late,
		// G overdue for two requests, I open past its due; N's result
		// was ready in February.
		{"2.1 on time by the 766 rule: a request is the finish, two are overdue", tot.OnTime766, rate(7, 10)},
		// A B E G J N early, C late: G's second restart gave it a new due.
		{"2.1 beside it: the legal rate, the clock restarted by a supplement", tot.OnTimeLegal, rate(6, 7)},
		{"3.3 online ÷ received: B C H K of the ten received", tot.Online, rate(4, 10)},
		{"3.5 fee-bearing procedures whose every dossier carries fee data: F, not S", tot.FeeData, rate(1, 2)},
		{"3.6 paid online ÷ charged: B J of A B J K", tot.PaidOnline, rate(2, 4)},
		{"4.1 a result file ÷ approved finished: A B C J of N A B C E G J", tot.EResult, rate(4, 7)},
		{"4.2 a scan and a result ÷ approved finished: A B J (C has no scan)", tot.Digitised, rate(3, 7)},
		{"4.3 reuse ÷ received: B (D's reused scan was superseded)", tot.Reuse, rate(1, 10)},
	} {
		checkFigures(t, tc.rule, tc.got, tc.want)
	}
	// 5.4 = 1 − (3/10 overdue + 1/4 disliked).
	checkFigures(t, "5.4 satisfaction", tot.Satisfaction, fig{"overdue": 3, "judged": 10, "disliked": 1, "rated": 4, "rate": 1 - 3.0/10 - 1.0/4})
	checkFigures(t, "ratings", tot.Ratings, fig{"count": 4, "disliked": 1, "overall": 3.88})
	want := []report.CriterionScore{{ID: "dung_hen", Count: 2, Average: 3.5}, {ID: "thai_do", Count: 4, Average: 3.75}}
	if len(tot.Ratings.Criteria) != 2 || tot.Ratings.Criteria[0] != want[0] || tot.Ratings.Criteria[1] != want[1] {
		t.Errorf("criteria %+v, want %+v", tot.Ratings.Criteria, want)
	}
	// 2.2: S in working days (9+24.5+104+32+33+33 hours ÷ 6 ÷ 8), F in days.
	if tot.ResolutionAvg != nil || tot.ResolutionCount != 7 {
		t.Errorf("2.2 total: %v over %d, want none (two units of time) over 7", tot.ResolutionAvg, tot.ResolutionCount)
	}
	times := map[string]report.ProcedureTime{}
	for _, pt := range r.D766.ResolutionTimes {
		times[pt.Procedure] = pt
	}
	for code, w := range map[string]struct {
		unit string
		n    int
		avg  float64
	}{enginetest.SampleCode: {report.UnitWorkingDays, 6, 4.91}, FeeCode: {report.UnitDays, 1, 4}} {
		got := times[code]
		if got.Unit != w.unit || got.Count != w.n || got.Average == nil || *got.Average != w.avg {
			t.Errorf("2.2 %s: %+v (avg %v), want %v %s over %d", code, got, got.Average, w.avg, w.unit, w.n)
		}
	}
	// Ratings per unit (the desk returned every rated dossier) and per procedure.
	if len(r.D766.RatingsByUnit) != 1 || r.D766.RatingsByUnit[0].Group != enginetest.UnitDesk || r.D766.RatingsByUnit[0].Count != 4 {
		t.Errorf("ratings by unit %+v, want the desk's 4", r.D766.RatingsByUnit)
	}
	byProc := map[string]report.RatingRow{}
	for _, rr := range r.D766.RatingsByProcedure {
		byProc[rr.Group] = rr
	}
	if s := byProc[enginetest.SampleCode]; s.Count != 3 || s.Overall == nil || *s.Overall != 3.5 || s.Disliked != 1 || s.Name != "Thủ tục mẫu" {
		t.Errorf("ratings of S: %+v, want 3 rated, overall (4.5+2+4)/3 = 3.5, one dislike", s)
	}
	if f := byProc[FeeCode]; f.Count != 1 || f.Overall == nil || *f.Overall != 5 {
		t.Errorf("ratings of F: %+v, want one 5", f)
	}
}

// The rows split the total by the unit each figure is attributed to.
func TestD766ByUnit(t *testing.T) {
	t.Parallel()
	r := d766March(t, report.ByUnit, nil)
	rows := map[string]report.D766Row{}
	for _, row := range r.D766.Rows {
		rows[row.Group] = row
	}
	if len(r.D766.Rows) != len(r.Rows) {
		t.Errorf("%d 766 rows, %d legal rows: both sections list the same groups", len(r.D766.Rows), len(r.Rows))
	}
	desk, office, leader := rows[enginetest.UnitDesk], rows[enginetest.UnitOffice], rows[enginetest.UnitLeader]
	// The leadership signed A B C J, their results ready then (C late);
	// the office refused D, asked E and G for supplements, and holds H I
	// K at the end (I overdue); the desk only returned results.
	checkFigures(t, "leadership 2.1: the unit whose signature made the result ready", leader.OnTime766, rate(3, 4))
	checkFigures(t, "office 2.1", office.OnTime766, rate(4, 6))
	checkFigures(t, "desk 2.1: returning a ready result is not the 766 finish", desk.OnTime766, rate(0, 0))
	checkFigures(t, "desk 3.3 (the receiving unit)", desk.Online, rate(4, 10))
	checkFigures(t, "office 3.3: received nothing, no rate", office.Online, rate(0, 0))
	if office.Satisfaction.Rate != nil || office.Ratings.Overall != nil {
		t.Errorf("office has no rating: satisfaction %v, overall %v, want none (not 0%%)", office.Satisfaction.Rate, office.Ratings.Overall)
	}
	// The desk returned every rated dossier; it judged none for 2.1.
	if desk.Satisfaction.Rate == nil || *desk.Satisfaction.Rate != 1-1.0/4 {
		t.Errorf("desk 5.4 = %v, want 1 − 0 − 1/4", desk.Satisfaction.Rate)
	}
}

// A head's report holds only the figures attributed to their units.
func TestD766Scope(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule  string
		units []string
		ontime,
		online fig
		rated int
	}{
		{"the office sees the dossiers it judged and held, none it received", []string{enginetest.UnitOffice}, rate(4, 6), rate(0, 0), 0},
		{"the desk sees what it received and returned, and no 2.1", []string{enginetest.UnitDesk}, rate(0, 0), rate(4, 10), 4},
		{"the leadership sees the results it signed", []string{enginetest.UnitLeader}, rate(3, 4), rate(0, 0), 0},
		{"a unit with nothing sees no rate at all", []string{"nowhere"}, rate(0, 0), rate(0, 0), 0},
	} {
		r := d766March(t, report.ByNone, tc.units)
		checkFigures(t, tc.rule+" (2.1)", r.D766.Total.OnTime766, tc.ontime)
		checkFigures(t, tc.rule+" (3.3)", r.D766.Total.Online, tc.online)
		if got := r.D766.Total.Ratings.Count; got != tc.rated {
			t.Errorf("%s: %d ratings, want %d", tc.rule, got, tc.rated)
		}
		n := 0
		for _, rr := range r.D766.RatingsByUnit {
			n += rr.Count
		}
		if n != tc.rated {
			t.Errorf("%s: ratings by unit count %d, want %d", tc.rule, n, tc.rated)
		}
	}
}

// Grouped by procedure, each row's 2.2 is in its procedure's own unit.
func TestD766ByProcedure(t *testing.T) {
	t.Parallel()
	r := d766March(t, report.ByProcedure, nil)
	for _, row := range r.D766.Rows {
		switch row.Group {
		case enginetest.SampleCode:
			if row.ResolutionAvg == nil || *row.ResolutionAvg != 4.91 || row.ResolutionUnit != report.UnitWorkingDays {
				t.Errorf("S row 2.2: %v %s", row.ResolutionAvg, row.ResolutionUnit)
			}
			checkFigures(t, "S 3.5: A B only of eight carry fee data", row.FeeData, rate(0, 1))
		case FeeCode:
			if row.ResolutionAvg == nil || *row.ResolutionAvg != 4 || row.ResolutionUnit != report.UnitDays {
				t.Errorf("F row 2.2: %v %s", row.ResolutionAvg, row.ResolutionUnit)
			}
			checkFigures(t, "F 3.5", row.FeeData, rate(1, 1))
		default:
			t.Errorf("unexpected row %q", row.Group)
		}
	}
}

// An empty period has every indicator without a rate, never 0% or 100%.
func TestD766EmptyPeriod(t *testing.T) {
	t.Parallel()
	q := report.Query{From: calendar.Date{Year: 2026, Month: 3, Day: 1}, To: calendar.Date{Year: 2026, Month: 3, Day: 31}, By: report.ByUnit}
	r, err := report.Compute(context.Background(), newMemStore(), calendar.VN(), q)
	if err != nil {
		t.Fatal(err)
	}
	tot := r.D766.Total
	for name, rt := range map[string]report.Rate{"2.1": tot.OnTime766, "legal": tot.OnTimeLegal, "3.3": tot.Online, "3.5": tot.FeeData,
		"3.6": tot.PaidOnline, "4.1": tot.EResult, "4.2": tot.Digitised, "4.3": tot.Reuse} {
		if rt.Rate != nil || rt.Den != 0 {
			t.Errorf("%s = %+v in an empty period, want no rate", name, rt)
		}
	}
	if tot.Satisfaction.Rate != nil || tot.ResolutionAvg != nil || tot.Ratings.Overall != nil {
		t.Errorf("5.4 %v, 2.2 %v, overall %v in an empty period, want none", tot.Satisfaction.Rate, tot.ResolutionAvg, tot.Ratings.Overall)
	}
}

// Each dossier of the month alone, judged by rule 2.1.
func TestD766OnTimeRule(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	codes := seedD766(t, st)
	cat := d766Catalog(t)
	for _, tc := range []struct {
		rule   string
		letter string
		want   fig // OnTime766
	}{
		{"finished before its due: on time", "A", rate(1, 1)},
		{"finished after its due: late", "C", rate(0, 1)},
		{"a refusal is a finish, judged like a result", "D", rate(1, 1)},
		{"one supplement request is the finish, though the dossier went on", "E", rate(1, 1)},
		{"two supplement requests are overdue, though on time by law", "G", rate(0, 1)},
		{"open at the end past its due: overdue", "I", rate(0, 1)},
		{"open at the end within its due: on time", "H", rate(1, 1)},
		{"result ready before the period, returned in it: not counted", "N", rate(0, 0)},
		{"result ready (signed) before its return: judged at the signature", "J", rate(1, 1)},
		{"finished before the period: not counted", "L", rate(0, 0)},
		{"received after the period: not counted", "M", rate(0, 0)},
	} {
		one := newMemStore()
		one.ds[codes[tc.letter]] = st.ds[codes[tc.letter]]
		q := march(report.ByNone)
		q.Catalog = cat
		r, err := report.Compute(context.Background(), one, calendar.VN(), q)
		if err != nil {
			t.Fatal(err)
		}
		checkFigures(t, tc.rule, r.D766.Total.OnTime766, tc.want)
	}
}
