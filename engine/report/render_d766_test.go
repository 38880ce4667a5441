package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/report"
)

// Every format carries the Decision 766 figures of the seeded month.
func TestD766InEveryFormat(t *testing.T) {
	t.Parallel()
	r := d766March(t, report.ByUnit, nil)

	t.Run("table", func(t *testing.T) {
		var buf bytes.Buffer
		if err := report.WriteTable(&buf, r, "vi"); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, want := range []string{"Chỉ số theo Quyết định 766/QĐ-TTg", "2.1 Đúng hạn theo QĐ 766", "70,0% (7/10)", "85,7% (6/7)",
			"40,0% (4/10)", "57,1% (4/7)", "42,9% (3/7)", "10,0% (1/10)", "45,0%", "4,91", "ngày làm việc", "dung_hen 3,5 (2); thai_do 3,75 (4)"} {
			if !strings.Contains(out, want) {
				t.Errorf("table lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("csv", func(t *testing.T) {
		var buf bytes.Buffer
		if err := report.WriteCSV(&buf, r, "en"); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, h := range recs[0] {
			col[h] = i
		}
		total, desk := recs[len(recs)-1], recs[3]
		if desk[0] != enginetest.UnitDesk {
			t.Fatalf("line 3 is %q, want the desk", desk[0])
		}
		for _, c := range []struct {
			line []string
			head string
			want string
		}{
			{total, "QĐ766 2.1 On time (Decision 766): count", "7"},
			{total, "QĐ766 2.1 On time (Decision 766): of", "10"},
			{total, "QĐ766 2.1 On time (legal): rate", "0.8571428571428571"},
			{total, "QĐ766 3.3 Submitted online: rate", "0.4"},
			{total, "QĐ766 3.6 Paid online: of", "4"},
			{total, "QĐ766 4.3 Reused: count", "1"},
			{total, "QĐ766 5.4 Satisfaction: rate", "0.45"},
			{total, "QĐ766 2.2 Average resolution time", ""}, // two units of time: no single figure
			{total, "QĐ766 Criterion thai_do", "3.75"},
			{recs[2], "QĐ766 2.1 On time (Decision 766): rate", "0.75"}, // the leadership
			{recs[1], "QĐ766 5.4 Satisfaction: rate", ""},               // the office has no rating: no rate, not 0
		} {
			i, ok := col[c.head]
			if !ok {
				t.Errorf("no CSV column %q", c.head)
				continue
			}
			if c.line[i] != c.want {
				t.Errorf("%s of %q = %q, want %q", c.head, c.line[1], c.line[i], c.want)
			}
		}
		// The legal columns keep their places ahead of the section.
		if col["Outside authority"] > col["QĐ766 2.1 On time (Decision 766): count"] {
			t.Error("the Decision 766 columns must come after the legal ones")
		}
	})

	t.Run("xlsx", func(t *testing.T) {
		var buf bytes.Buffer
		if err := report.WriteXLSX(&buf, "vi", r); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, err := x.GetRows("QĐ 766", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		head, total := rows[0], rows[len(rows)-1]
		at := func(h string) string {
			for i, c := range head {
				if c == h && i < len(total) {
					return total[i]
				}
			}
			t.Errorf("no XLSX column %q in %q", h, head)
			return ""
		}
		if got := at("2.1 Đúng hạn theo QĐ 766: số"); got != "7" {
			t.Errorf("2.1 count %q, want 7", got)
		}
		if got := at("4.2 Số hóa hồ sơ"); !strings.HasPrefix(got, "0.428571") {
			t.Errorf("4.2 rate %q, want 3/7", got)
		}
		if shown, _ := x.GetCellValue("QĐ 766", "E"+itoa(len(rows))); shown != "70.0%" {
			t.Errorf("2.1 rate shows %q, want the percentage format", shown)
		}
		times, _ := x.GetRows("QĐ 766 thời gian")
		if len(times) != 3 || times[1][0] != enginetest.SampleCode || times[1][2] != "4.91" || times[1][3] != "ngày làm việc" {
			t.Errorf("2.2 sheet %q", times)
		}
		ratings, _ := x.GetRows("Đánh giá")
		last := ratings[len(ratings)-1]
		if last[0] != "Tổng cộng" || last[3] != "4" || last[4] != "3.88" || last[5] != "1" {
			t.Errorf("ratings total %q", last)
		}
	})

	t.Run("json", func(t *testing.T) {
		var buf bytes.Buffer
		if err := report.WriteJSON(&buf, r); err != nil {
			t.Fatal(err)
		}
		var got struct {
			D766 struct {
				Total map[string]json.RawMessage `json:"total"`
			} `json:"d766"`
		}
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		var ot report.Rate
		if err := json.Unmarshal(got.D766.Total["on_time_766"], &ot); err != nil || ot.Num != 7 || ot.Den != 10 || ot.Rate == nil {
			t.Errorf("on_time_766 = %s (%v)", got.D766.Total["on_time_766"], err)
		}
		if s := string(got.D766.Total["resolution_avg"]); s != "null" {
			t.Errorf("resolution_avg = %s, want null", s)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

// The HTTP handler's JSON carries the section, kept to the scope the
// server sets for a unit head.
func TestD766HandlerScope(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	seedD766(t, st)
	h := report.Handler(st, calendar.VN(), report.WithCatalog(d766Catalog(t)))
	for _, tc := range []struct {
		rule  string
		units []string // nil: the whole agency
		want  fig
	}{
		{"a leader sees the agency's 2.1", nil, rate(7, 10)},
		{"the office head sees the office's 2.1 only", []string{enginetest.UnitOffice}, rate(4, 6)},
	} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/reports/on-time?from=2026-03-01&to=2026-03-31&by=none", nil)
		if tc.units != nil {
			req = req.WithContext(report.WithScope(req.Context(), tc.units))
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", tc.rule, rec.Code, rec.Body)
		}
		var got struct {
			D766 struct {
				Total struct {
					OnTime766 report.Rate `json:"on_time_766"`
				} `json:"total"`
			} `json:"d766"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		checkFigures(t, tc.rule, got.D766.Total.OnTime766, tc.want)
	}
}
