package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/report"
)

// marchReport computes the seeded month by unit, units named.
func marchReport(t *testing.T, by report.Grouping) (*report.Report, *memStore) {
	t.Helper()
	st := newMemStore()
	seedMarch(t, st)
	q := march(by)
	q.Directory = enginetest.SampleDirectory()
	r, err := report.Compute(context.Background(), st, calendar.VN(), q)
	if err != nil {
		t.Fatal(err)
	}
	return r, st
}

func TestCSVParsesBack(t *testing.T) {
	t.Parallel()
	r, _ := marchReport(t, report.ByUnit)
	var buf bytes.Buffer
	if err := report.WriteCSV(&buf, r, "vi"); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatalf("CSV must start with a UTF-8 byte-order mark for Excel; starts %q", buf.Bytes()[:8])
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, h := range []string{"Mã", "Đơn vị", "Tiếp nhận", "Đã giải quyết", "Trước hạn", "Đúng hạn", "Trễ hạn", "Từ chối", "Rút hồ sơ", "Tỷ lệ đúng hạn", "Đang giải quyết", "Quá hạn", "Chờ bổ sung"} {
		if _, ok := col[h]; !ok {
			t.Errorf("CSV heading %q missing from %q", h, head)
		}
	}
	if len(recs) != 1+3+1 {
		t.Fatalf("CSV has %d lines, want heading, 3 units and the total", len(recs))
	}
	desk := recs[3] // chuyen-mon, lanh-dao, mot-cua
	if desk[0] != enginetest.UnitDesk || desk[1] != "Bộ phận Một cửa" || desk[col["Tiếp nhận"]] != "7" || desk[col["Tỷ lệ đúng hạn"]] != "0.75" {
		t.Errorf("desk line %q", desk)
	}
	if leader := recs[2]; leader[col["Tỷ lệ đúng hạn"]] != "" {
		t.Errorf("leadership finished nothing: its rate cell must be empty, got %q", leader[col["Tỷ lệ đúng hạn"]])
	}
	total := recs[4]
	if total[1] != "Tổng cộng" || total[col["Đã giải quyết"]] != "6" || total[col["Tỷ lệ đúng hạn"]] != "0.8" || total[col["Chờ bổ sung"]] != "1" {
		t.Errorf("total line %q", total)
	}
}

func TestXLSXOpensBack(t *testing.T) {
	t.Parallel()
	r, st := marchReport(t, report.ByUnit)
	byKind, err := report.Compute(context.Background(), st, calendar.VN(), march(report.ByKind))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.WriteXLSX(&buf, "vi", r, byKind); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got, want := strings.Join(x.GetSheetList(), "|"), "Theo đơn vị|Theo loại|Đơn thư|QĐ 766|QĐ 766 thời gian|Đánh giá"; got != want {
		t.Errorf("sheets %q, want %q", got, want)
	}
	sheet := "Theo đơn vị"
	cell := func(ref string) string {
		v, err := x.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	typ := func(ref string) excelize.CellType {
		ct, err := x.GetCellType(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return ct
	}
	heads := map[string]string{}
	rows, _ := x.GetRows(sheet)
	for i, h := range rows[0] {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		heads[h] = ref[:len(ref)-1]
	}
	for _, h := range []string{"Đơn vị", "Tiếp nhận", "Kỳ trước chuyển sang", "Đã giải quyết", "Tỷ lệ đúng hạn", "Quá hạn", "Chờ bổ sung", "Giờ làm việc bình quân"} {
		if heads[h] == "" {
			t.Errorf("XLSX heading %q missing from %q", h, rows[0])
		}
	}
	// Row 4 is the desk, row 5 the total.
	if got := cell("A4"); got != enginetest.UnitDesk {
		t.Fatalf("A4 = %q, want the desk", got)
	}
	received := heads["Tiếp nhận"] + "4"
	if cell(received) != "7" || typ(received) == excelize.CellTypeSharedString || typ(received) == excelize.CellTypeInlineString {
		t.Errorf("%s = %q (type %v): want the number 7", received, cell(received), typ(received))
	}
	rate := heads["Tỷ lệ đúng hạn"] + "5"
	if cell(rate) != "0.8" {
		t.Errorf("total rate %s = %q, want the number 0.8", rate, cell(rate))
	}
	if shown, _ := x.GetCellValue(sheet, rate); shown != "80.0%" {
		t.Errorf("total rate shows %q, want the percentage format 80.0%%", shown)
	}
	if got := cell(heads["Tỷ lệ đúng hạn"] + "3"); got != "" {
		t.Errorf("leadership's rate cell %q, want empty (no data, not 0%%)", got)
	}
	if got := cell("B5"); got != "Tổng cộng" {
		t.Errorf("B5 = %q, want the total", got)
	}
	pet, _ := x.GetRows("Đơn thư")
	if len(pet) != 4 || pet[2][0] != "Tố cáo" || pet[2][1] != "2" || pet[2][7] != "1" {
		t.Errorf("petition sheet %q", pet)
	}
}

func TestTable(t *testing.T) {
	t.Parallel()
	r, _ := marchReport(t, report.ByUnit)
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"vi", []string{"Báo cáo tình hình giải quyết hồ sơ từ 01/03/2026 đến 31/03/2026", "Tỷ lệ đúng hạn", "Bộ phận Một cửa", "75,0%", "80,0%", "Tổng cộng", "Tố cáo", "—"}},
		{"en", []string{"2026-03-01 to 2026-03-31", "On-time rate", "One-stop desk", "75.0%", "80.0%", "Total", "Denunciation"}},
	} {
		var buf bytes.Buffer
		if err := report.WriteTable(&buf, r, tt.lang); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("table in %s lacks %q:\n%s", tt.lang, w, buf.String())
			}
		}
	}
}

func TestHandler(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	seedMarch(t, st)
	srv := httptest.NewServer(report.Handler(st, calendar.VN(), report.WithDirectory(enginetest.SampleDirectory())))
	defer srv.Close()
	get := func(query, accept string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/reports/on-time?"+query, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	res := get("from=2026-03-01&to=2026-03-31&by=unit", "")
	var body struct {
		Rows  []map[string]any `json:"rows"`
		Total map[string]any   `json:"total"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != 200 {
		t.Fatalf("JSON: status %d, %v", res.StatusCode, err)
	}
	checkFigures(t, "HTTP total", body.Total, wantMarchTotal)
	if len(body.Rows) != 3 || body.Rows[2]["group"] != enginetest.UnitDesk {
		t.Errorf("HTTP rows %v", body.Rows)
	}

	formats := []struct {
		rule, query, accept, ctype string
		prefix                     []byte
	}{
		{"format=csv wins", "format=csv", "application/json", "text/csv; charset=utf-8", []byte("\xEF\xBB\xBF")},
		{"Accept picks CSV", "", "text/csv", "text/csv; charset=utf-8", []byte("\xEF\xBB\xBF")},
		{"Accept picks XLSX", "", report.ContentTypeXLSX, report.ContentTypeXLSX, []byte("PK")},
		{"format=xlsx", "format=xlsx", "", report.ContentTypeXLSX, []byte("PK")},
		{"JSON by default", "", "*/*", report.ContentTypeJSON, []byte("{")},
	}
	for _, f := range formats {
		res := get("from=2026-03-01&to=2026-03-31&"+f.query, f.accept)
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != f.ctype || !bytes.HasPrefix(b, f.prefix) {
			t.Errorf("%s: status %d, type %q, starts %q", f.rule, res.StatusCode, res.Header.Get("Content-Type"), b[:min(len(b), 4)])
		}
	}

	bad := []struct{ rule, query, field string }{
		{"from missing", "to=2026-03-31", "from"},
		{"from malformed", "from=01/03/2026&to=2026-03-31", "from"},
		{"to before from", "from=2026-03-31&to=2026-03-01", "to"},
		{"unknown grouping", "from=2026-03-01&to=2026-03-31&by=officer", "by"},
		{"unknown format", "from=2026-03-01&to=2026-03-31&format=pdf", "format"},
		{"table is not for HTTP", "from=2026-03-01&to=2026-03-31&format=table", "format"},
		{"unknown language", "from=2026-03-01&to=2026-03-31&lang=fr", "lang"},
	}
	for _, b := range bad {
		res := get(b.query, "")
		var e struct {
			Error struct{ Code, Message, MessageEN string } `json:"error"`
		}
		raw, _ := io.ReadAll(res.Body)
		_ = json.Unmarshal(raw, &e)
		var en struct {
			Error struct {
				MessageEN string `json:"message_en"`
			} `json:"error"`
		}
		_ = json.Unmarshal(raw, &en)
		// Bad parameters are invalid input like anywhere under /api/v1:
		// 422 from the one code table (this handler said 400 before it
		// answered errors through httperr).
		if res.StatusCode != http.StatusUnprocessableEntity || e.Error.Code != "invalid" || e.Error.Message == "" || en.Error.MessageEN == "" || !strings.Contains(en.Error.MessageEN, b.field) {
			t.Errorf("%s: status %d, body %s", b.rule, res.StatusCode, raw)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/reports/on-time", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", res.StatusCode)
	}
}

func TestMonthlyRatesAndSVG(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	seedMarch(t, st)
	m, err := report.MonthlyRates(context.Background(), st, calendar.VN(), calendar.Date{Year: 2026, Month: 4, Day: 15}, 12,
		report.WithDirectory(enginetest.SampleDirectory()))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Months) != 12 || m.Months[0] != (calendar.Date{Year: 2025, Month: 5, Day: 1}) || m.Months[11] != (calendar.Date{Year: 2026, Month: 4, Day: 1}) {
		t.Fatalf("months %v, want May 2025 to April 2026", m.Months)
	}
	// February: L (desk, early). March: desk K A B early/on time, C late;
	// office P1 early (D refused is not rated). April: G late at the desk.
	rate := func(s report.Series, i int) any {
		if s.Rates[i] == nil {
			return nil
		}
		return *s.Rates[i]
	}
	if len(m.Series) != 2 || m.Series[0].Group != enginetest.UnitOffice || m.Series[1].Group != enginetest.UnitDesk {
		t.Fatalf("series %+v, want the office and the desk", m.Series)
	}
	desk, office := m.Series[1], m.Series[0]
	checks := []struct {
		rule string
		got  any
		want any
	}{
		{"desk February: L early", rate(desk, 9), 1.0},
		{"desk March: 3 of 4", rate(desk, 10), 0.75},
		{"desk April: G late", rate(desk, 11), 0.0},
		{"desk January: no data, not 0%", rate(desk, 8), nil},
		{"office March: P1", rate(office, 10), 1.0},
		{"total March: 4 of 5", rate(m.Total, 10), 0.8},
		{"total March rated", m.Total.Rated[10], 5},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.rule, c.got, c.want)
		}
	}
	svg := string(report.MonthlySVG(m, "vi"))
	// Well-formed XML with an accessible title first.
	dec := xml.NewDecoder(strings.NewReader(svg))
	var names []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok {
			names = append(names, se.Name.Local)
		}
	}
	if len(names) < 3 || names[0] != "svg" || names[1] != "title" || names[2] != "desc" {
		t.Errorf("SVG must open with <svg><title><desc>, got %v", names[:min(3, len(names))])
	}
	for _, w := range []string{`role="img"`, "Tỷ lệ giải quyết hồ sơ đúng hạn theo đơn vị, 05/2025–04/2026", "Bộ phận Một cửa, 03/2026: 75,0% (4)", "Toàn đơn vị: 0,0%"} {
		if !strings.Contains(svg, w) {
			t.Errorf("SVG lacks %q", w)
		}
	}
	// The desk has data in February, March and April only: its line
	// starts at February (M) and does not drop to 0% in the empty months.
	if strings.Count(svg, "<path") != 3 {
		t.Errorf("want 3 lines (office, desk, total), got %d", strings.Count(svg, "<path"))
	}
	if en := string(report.MonthlySVG(m, "en")); !strings.Contains(en, "On-time rate by unit") || !strings.Contains(en, "One-stop desk, 03/2026: 75.0% (4)") {
		t.Errorf("English SVG lacks its title or labels")
	}
}
