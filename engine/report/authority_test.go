package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/report"
)

// seedPetitions builds, through the engine, the petitions whose
// authority figures the tests know by hand (2026):
//
//   - Q0: received Wed 25 Feb, forwarded Mon 2 Mar: in February it was
//     still within the unit's authority; in March it was not received;
//   - Q1: received Mon 2 Mar, given to the office, answered: within;
//   - Q2: received Tue 3 Mar, forwarded Thu 5 Mar: outside;
//   - Q3: received Fri 20 Mar, forwarded Thu 2 Apr: within at the end of
//     March, outside at the end of April;
//   - T1: a denunciation received Wed 4 Mar by the office, whose
//     procedure marks no state outside: within;
//   - S1: an administrative procedure received Mon 9 Mar: no petition.
func seedPetitions(t testing.TB, st engine.Store) *engine.Catalog {
	s := newSeeder(t, st)
	desk, off := enginetest.Receiver, enginetest.Officer
	q0 := s.receiveAs(PetitionCode, desk, "Q0", at(2, 25, 9, 0), engine.ChannelCounter)
	s.act(q0, "chuyen", desk, at(3, 2, 10, 0))
	q1 := s.receiveAs(PetitionCode, desk, "Q1", at(3, 2, 9, 0), engine.ChannelOnline)
	s.act(q1, "giao", desk, at(3, 2, 10, 0))
	s.act(q1, "tra_loi", off, at(3, 10, 10, 0))
	q2 := s.receiveAs(PetitionCode, desk, "Q2", at(3, 3, 9, 0), engine.ChannelPost)
	s.act(q2, "chuyen", desk, at(3, 5, 10, 0))
	q3 := s.receiveAs(PetitionCode, desk, "Q3", at(3, 20, 9, 0), engine.ChannelCounter)
	s.act(q3, "chuyen", desk, at(4, 2, 10, 0))
	s.receiveAs(DenunciationCode, off, "T1", at(3, 4, 9, 0), engine.ChannelCounter)
	s.receive("S1", at(3, 9, 9, 0), engine.ChannelCounter)
	return s.e.Catalog
}

// TestPetitionAuthority: petitions received in the period are within the
// unit's authority unless they entered a state marked authority: outside
// before the period's end (issue 7; Citizen Reception Law 2013 Art 28,
// Denunciations Law 2018 Art 24).
func TestPetitionAuthority(t *testing.T) {
	t.Parallel()
	stores := map[string]engine.Store{"memory": newMemStore(), "sqlite": openSQLite(t)}
	for name, st := range stores {
		cat := seedPetitions(t, st)
		day := func(m, d int) calendar.Date { return calendar.Date{Year: 2026, Month: time.Month(m), Day: d} }
		compute := func(from, to calendar.Date, by report.Grouping, cat *engine.Catalog) *report.Report {
			r, err := report.Compute(context.Background(), st, calendar.VN(), report.Query{From: from, To: to, By: by, Catalog: cat})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		petition := func(r *report.Report, k engine.Kind) report.PetitionRow {
			for _, p := range r.Petitions {
				if p.Kind == k {
					return p
				}
			}
			t.Fatalf("no petition row %s", k)
			return report.PetitionRow{}
		}
		march := compute(day(3, 1), day(3, 31), report.ByUnit, cat)
		tests := []struct {
			rule string
			got  any
			want fig
		}{
			{"March total: Q1 Q3 T1 within, Q2 outside, S1 no petition", march.Total,
				fig{"received": 5, "within_authority": 3, "outside_authority": 1}},
			{"March, the desk received and classified Q1 Q2 Q3", rowOf(t, march, enginetest.UnitDesk),
				fig{"received": 4, "within_authority": 2, "outside_authority": 1}},
			{"March, the office received the denunciation T1", rowOf(t, march, enginetest.UnitOffice),
				fig{"received": 1, "within_authority": 1, "outside_authority": 0}},
			{"March petitions: Q3 forwarded only in April is still within", petition(march, engine.KindPetition),
				fig{"received": 3, "within_authority": 2, "outside_authority": 1}},
			{"March denunciations: no outside state, so within", petition(march, engine.KindDenunciation),
				fig{"received": 1, "within_authority": 1, "outside_authority": 0}},
			{"March complaints: none", petition(march, engine.KindComplaint),
				fig{"received": 0, "within_authority": 0, "outside_authority": 0}},
			{"by kind: administrative procedures are never classified", rowOf(t, compute(day(3, 1), day(3, 31), report.ByKind, cat), "procedure"),
				fig{"received": 1, "within_authority": 0, "outside_authority": 0}},
			{"by kind: the petition row", rowOf(t, compute(day(3, 1), day(3, 31), report.ByKind, cat), "petition"),
				fig{"received": 3, "within_authority": 2, "outside_authority": 1}},
			{"March to April: Q3 forwarded before the end is outside", petition(compute(day(3, 1), day(4, 30), report.ByNone, cat), engine.KindPetition),
				fig{"received": 3, "within_authority": 1, "outside_authority": 2}},
			{"February: Q0 forwarded after the period's end is within", petition(compute(day(2, 1), day(2, 28), report.ByNone, cat), engine.KindPetition),
				fig{"received": 1, "within_authority": 1, "outside_authority": 0}},
			{"without the catalog the marks are unknown: in neither", compute(day(3, 1), day(3, 31), report.ByNone, nil).Total,
				fig{"received": 5, "within_authority": 0, "outside_authority": 0}},
		}
		for _, tt := range tests {
			checkFigures(t, name+": "+tt.rule, tt.got, tt.want)
		}
	}
}

// TestAuthorityRendered: the two figures reach JSON, the table (Vietnamese
// and English headings), CSV and XLSX, in the rows and the petitions.
func TestAuthorityRendered(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	cat := seedPetitions(t, st)
	q := march(report.ByUnit)
	q.Catalog, q.Directory = cat, enginetest.SampleDirectory()
	r, err := report.Compute(context.Background(), st, calendar.VN(), q)
	if err != nil {
		t.Fatal(err)
	}

	var js bytes.Buffer
	if err := report.WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Total     map[string]any   `json:"total"`
		Petitions []map[string]any `json:"petitions"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	checkFigures(t, "JSON total", doc.Total, fig{"within_authority": 3, "outside_authority": 1})
	checkFigures(t, "JSON petitions", doc.Petitions[2], fig{"kind": "petition", "within_authority": 2, "outside_authority": 1})

	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"vi", []string{"Thuộc thẩm quyền", "Không thuộc thẩm quyền"}},
		{"en", []string{"Within authority", "Outside authority"}},
	} {
		var buf bytes.Buffer
		if err := report.WriteTable(&buf, r, tt.lang); err != nil {
			t.Fatal(err)
		}
		// The petitions block: heading, then one line per kind; the
		// petition line reads received 3, within 2, outside 1.
		out := buf.String()
		for _, w := range tt.want {
			if strings.Count(out, w) != 2 {
				t.Errorf("table in %s: %q should head a column of the figures and of the petitions:\n%s", tt.lang, w, out)
			}
		}
		kind := report.KindName(engine.KindPetition, tt.lang)
		var line string
		for _, l := range strings.Split(out, "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, kind) {
				line = l
			}
		}
		if f := strings.Fields(strings.TrimPrefix(line, kind)); len(f) < 3 || strings.Join(f[:3], " ") != "3 2 1" {
			t.Errorf("table in %s: petition line %q, want received 3, within 2, outside 1", tt.lang, line)
		}
	}

	var cbuf bytes.Buffer
	if err := report.WriteCSV(&cbuf, r, "vi"); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(cbuf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	total := recs[len(recs)-1]
	if total[col["Thuộc thẩm quyền"]] != "3" || total[col["Không thuộc thẩm quyền"]] != "1" {
		t.Errorf("CSV heading %q, total %q: want within 3, outside 1", recs[0], total)
	}

	var xbuf bytes.Buffer
	if err := report.WriteXLSX(&xbuf, "vi", r); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&xbuf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("Theo đơn vị")
	last := len(rows) - 1
	for i, h := range rows[0] {
		want := map[string]string{"Thuộc thẩm quyền": "3", "Không thuộc thẩm quyền": "1"}[h]
		if want == "" {
			continue
		}
		ref, _ := excelize.CoordinatesToCellName(i+1, last+1)
		v, _ := x.GetCellValue("Theo đơn vị", ref, excelize.Options{RawCellValue: true})
		ct, _ := x.GetCellType("Theo đơn vị", ref)
		if v != want || ct == excelize.CellTypeSharedString || ct == excelize.CellTypeInlineString {
			t.Errorf("XLSX total %s %s = %q (type %v), want the number %s", h, ref, v, ct, want)
		}
	}
	pet, _ := x.GetRows("Đơn thư")
	if len(pet) != 4 || strings.Join(pet[0][1:4], "|") != "Tiếp nhận|Thuộc thẩm quyền|Không thuộc thẩm quyền" ||
		strings.Join(pet[3][:4], "|") != "Kiến nghị, phản ánh|3|2|1" {
		t.Errorf("petition sheet %q", pet)
	}
}
