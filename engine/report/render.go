package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/engine/calendar"
)

// Format is an output format of a report.
type Format string

// Output formats.
const (
	FormatTable Format = "table"
	FormatCSV   Format = "csv"
	FormatXLSX  Format = "xlsx"
	FormatJSON  Format = "json"
)

// Content types of the formats, for HTTP.
const (
	ContentTypeJSON = "application/json; charset=utf-8"
	ContentTypeCSV  = "text/csv; charset=utf-8"
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// ParseFormat parses a format name; empty means table.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case "":
		return FormatTable, nil
	case FormatTable, FormatCSV, FormatXLSX, FormatJSON:
		return f, nil
	}
	return "", &QueryError{Field: "format",
		VI: fmt.Sprintf("định dạng %q không hợp lệ: chọn table, csv, xlsx hoặc json", s),
		EN: fmt.Sprintf("format %q is invalid: choose table, csv, xlsx or json", s)}
}

type valueKind int

const (
	count valueKind = iota
	rate            // a fraction, shown as a percentage; nil is "no data"
	hours           // a number of hours; nil is "no data"
)

// column is one figure as every renderer shows it.
type column struct {
	key    string // JSON name
	vi, en string // heading
	kind   valueKind
	n      func(*Figures) int
	f      func(*Figures) *float64
	// brief marks the columns of the terminal table's first block.
	brief bool
}

// columns are the figures in the order every renderer shows them.
var columns = []column{
	{key: "received", vi: "Tiếp nhận", en: "Received", n: func(f *Figures) int { return f.Received }, brief: true},
	{key: "received_counter", vi: "Trực tiếp", en: "Counter", n: func(f *Figures) int { return f.ReceivedCounter }},
	{key: "received_online", vi: "Trực tuyến", en: "Online", n: func(f *Figures) int { return f.ReceivedOnline }},
	{key: "received_post", vi: "Bưu chính", en: "Post", n: func(f *Figures) int { return f.ReceivedPost }},
	{key: "carried_over", vi: "Kỳ trước chuyển sang", en: "Carried over", n: func(f *Figures) int { return f.CarriedOver }, brief: true},
	{key: "finished", vi: "Đã giải quyết", en: "Finished", n: func(f *Figures) int { return f.Finished }, brief: true},
	{key: "early", vi: "Trước hạn", en: "Early", n: func(f *Figures) int { return f.Early }, brief: true},
	{key: "on_time", vi: "Đúng hạn", en: "On time", n: func(f *Figures) int { return f.OnTime }, brief: true},
	{key: "late", vi: "Trễ hạn", en: "Late", n: func(f *Figures) int { return f.Late }, brief: true},
	{key: "refused", vi: "Từ chối", en: "Refused", n: func(f *Figures) int { return f.Refused }, brief: true},
	{key: "withdrawn", vi: "Rút hồ sơ", en: "Withdrawn", n: func(f *Figures) int { return f.Withdrawn }, brief: true},
	{key: "on_time_rate", vi: "Tỷ lệ đúng hạn", en: "On-time rate", kind: rate, f: func(f *Figures) *float64 { return f.OnTimeRate }, brief: true},
	{key: "in_progress", vi: "Đang giải quyết", en: "In progress", n: func(f *Figures) int { return f.InProgress }, brief: true},
	{key: "within_deadline", vi: "Còn hạn", en: "Within deadline", n: func(f *Figures) int { return f.WithinDeadline }},
	{key: "overdue", vi: "Quá hạn", en: "Overdue", n: func(f *Figures) int { return f.Overdue }, brief: true},
	{key: "paused", vi: "Chờ bổ sung", en: "Paused", n: func(f *Figures) int { return f.Paused }, brief: true},
	{key: "steps_early", vi: "Bước trước hạn", en: "Steps early", n: func(f *Figures) int { return f.StepsEarly }},
	{key: "steps_on_time", vi: "Bước đúng hạn", en: "Steps on time", n: func(f *Figures) int { return f.StepsOnTime }},
	{key: "steps_late", vi: "Bước trễ hạn", en: "Steps late", n: func(f *Figures) int { return f.StepsLate }},
	{key: "step_on_time_rate", vi: "Tỷ lệ bước đúng hạn", en: "Step on-time rate", kind: rate, f: func(f *Figures) *float64 { return f.StepOnTimeRate }},
	{key: "avg_work_hours", vi: "Giờ làm việc bình quân", en: "Avg working hours", kind: hours, f: func(f *Figures) *float64 { return f.AvgWorkHours }},
	// Last, so that the CSV and XLSX columns of earlier figures keep
	// their places for the spreadsheets already built on them.
	{key: "within_authority", vi: "Thuộc thẩm quyền", en: "Within authority", n: func(f *Figures) int { return f.WithinAuthority }},
	{key: "outside_authority", vi: "Không thuộc thẩm quyền", en: "Outside authority", n: func(f *Figures) int { return f.OutsideAuthority }},
}

func heading(c column, lang string) string {
	if lang == "en" {
		return c.en
	}
	return c.vi
}

// groupHeading names the group column of grouping by.
func groupHeading(by Grouping, lang string) string {
	names := map[Grouping][2]string{
		ByUnit:      {"Đơn vị", "Unit"},
		ByProcedure: {"Thủ tục", "Procedure"},
		ByKind:      {"Loại", "Kind"},
		ByChannel:   {"Kênh tiếp nhận", "Channel"},
		ByNone:      {"Nhóm", "Group"},
	}
	return pick(names[by], lang, "Nhóm")
}

// sheetName names the XLSX sheet of grouping by (at most 31 characters).
func sheetName(by Grouping, lang string) string {
	names := map[Grouping][2]string{
		ByUnit:      {"Theo đơn vị", "By unit"},
		ByProcedure: {"Theo thủ tục", "By procedure"},
		ByKind:      {"Theo loại", "By kind"},
		ByChannel:   {"Theo kênh", "By channel"},
		ByNone:      {"Tổng hợp", "Summary"},
	}
	return pick(names[by], lang, string(by))
}

func totalLabel(lang string) string {
	if lang == "en" {
		return "Total"
	}
	return "Tổng cộng"
}

// rowName is the label shown for a row: its name in lang, else its id.
func rowName(r Row, lang string) string {
	if lang == "en" && r.NameEN != "" {
		return r.NameEN
	}
	if r.Name != "" {
		return r.Name
	}
	return r.Group
}

// formatDate renders a YYYY-MM-DD date as DD/MM/YYYY for Vietnamese readers.
func formatDate(s, lang string) string {
	d, err := calendar.ParseDate(s)
	if err != nil || lang == "en" {
		return s
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
}

// Title is the report's one-line title in lang.
func (r *Report) Title(lang string) string {
	if lang == "en" {
		t := fmt.Sprintf("Dossier processing report %s to %s", r.From, r.To)
		if r.By != ByNone {
			t += fmt.Sprintf(" (by %s)", r.By)
		}
		return t
	}
	t := fmt.Sprintf("Báo cáo tình hình giải quyết hồ sơ từ %s đến %s", formatDate(r.From, lang), formatDate(r.To, lang))
	if r.By != ByNone {
		t += " (theo " + strings.ToLower(groupHeading(r.By, lang)) + ")"
	}
	return t
}

// cell formats one figure for text output: percentages with one decimal
// (a decimal comma in Vietnamese), "—" for no data.
func cell(c column, f *Figures, lang string) string {
	if c.kind == count {
		return strconv.Itoa(c.n(f))
	}
	v := c.f(f)
	if v == nil {
		return "—"
	}
	var s string
	if c.kind == rate {
		s = strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
	} else {
		s = strconv.FormatFloat(*v, 'f', 1, 64)
	}
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// WriteTable writes r as a table for a terminal, headings in lang ("vi"
// by default, "en"): the main figures, then reception channels, step
// results and working time, then petitions.
func WriteTable(w io.Writer, r *Report, lang string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, r.Title(lang))
	fmt.Fprintln(tw)
	// tabwriter aligns every cell right; names read better on the left,
	// so the first column is padded here (Vietnamese text is NFC: one rune
	// per letter).
	width := utf8.RuneCountInString(groupHeading(r.By, lang))
	names := append(rowNames(r, lang), totalLabel(lang), pick(petitionHeads[0], lang, ""))
	for _, p := range r.Petitions {
		names = append(names, KindName(p.Kind, lang))
	}
	names = append(names, d766Names(r, lang)...)
	for _, n := range names {
		width = max(width, utf8.RuneCountInString(n))
	}
	pad := func(s string) string { return s + strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s))) }
	block := func(brief bool) {
		heads := []string{pad(groupHeading(r.By, lang))}
		for _, c := range columns {
			if c.brief == brief {
				heads = append(heads, heading(c, lang))
			}
		}
		fmt.Fprintln(tw, strings.Join(heads, "\t")+"\t")
		line := func(name string, f *Figures) {
			cells := []string{pad(name)}
			for _, c := range columns {
				if c.brief == brief {
					cells = append(cells, cell(c, f, lang))
				}
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		}
		for i := range r.Rows {
			line(rowName(r.Rows[i], lang), &r.Rows[i].Figures)
		}
		line(totalLabel(lang), &r.Total)
	}
	block(true)
	fmt.Fprintln(tw)
	block(false)
	fmt.Fprintln(tw)
	writePetitions(tw, r, lang, pad)
	writeD766Table(tw, r, lang, pad)
	return tw.Flush()
}

func rowNames(r *Report, lang string) []string {
	out := make([]string, len(r.Rows))
	for i := range r.Rows {
		out[i] = rowName(r.Rows[i], lang)
	}
	return out
}

var petitionHeads = [][2]string{
	{"Đơn thư", "Petitions"}, {"Tiếp nhận", "Received"},
	{"Thuộc thẩm quyền", "Within authority"}, {"Không thuộc thẩm quyền", "Outside authority"},
	{"Đã giải quyết", "Finished"},
	{"Đúng hạn", "On time"}, {"Trễ hạn", "Late"}, {"Gia hạn", "Extended"},
}

func writePetitions(tw io.Writer, r *Report, lang string, pad func(string) string) {
	heads := make([]string, len(petitionHeads))
	for i, h := range petitionHeads {
		heads[i] = pick(h, lang, "")
	}
	heads[0] = pad(heads[0])
	fmt.Fprintln(tw, strings.Join(heads, "\t")+"\t")
	for _, p := range r.Petitions {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", pad(KindName(p.Kind, lang)), p.Received,
			p.WithinAuthority, p.OutsideAuthority, p.Finished, p.OnTime, p.Late, p.Extended)
	}
}

// WriteJSON writes r as indented JSON: {"rows": [...], "total": {...}, ...}.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// csvHeader returns the CSV/XLSX heading row: group id, group name, then
// every figure.
func csvHeader(by Grouping, lang string) []string {
	code := "Mã"
	if lang == "en" {
		code = "Code"
	}
	h := []string{code, groupHeading(by, lang)}
	for _, c := range columns {
		h = append(h, heading(c, lang))
	}
	return h
}

// WriteCSV writes r as CSV for Excel: UTF-8 with a byte-order mark (Excel
// otherwise reads Vietnamese as Latin-1), headings in lang, one line per
// row and a last line with the total. Rates are fractions with a decimal
// point (0.857), empty when there is no data.
func WriteCSV(w io.Writer, r *Report, lang string) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	// The Decision 766 columns come last (render_d766.go).
	d766, d766Of := d766Columns(r, lang), d766Lookup(r)
	head := csvHeader(r.By, lang)
	for _, c := range d766 {
		head = append(head, c.head)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	line := func(code, name string, f *Figures) error {
		rec := []string{code, name}
		for _, c := range columns {
			if c.kind == count {
				rec = append(rec, strconv.Itoa(c.n(f)))
			} else if v := c.f(f); v != nil {
				rec = append(rec, strconv.FormatFloat(*v, 'f', -1, 64))
			} else {
				rec = append(rec, "")
			}
		}
		if d766Of != nil {
			g := d766Of(code)
			for _, c := range d766 {
				rec = append(rec, c.cell(g))
			}
		}
		return cw.Write(rec)
	}
	for i := range r.Rows {
		if err := line(r.Rows[i].Group, rowName(r.Rows[i], lang), &r.Rows[i].Figures); err != nil {
			return err
		}
	}
	for _, row := range d766Only(r) {
		if err := line(row.Group, d766RowName(row, lang), &Figures{}); err != nil {
			return err
		}
	}
	if err := line("", totalLabel(lang), &r.Total); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes reports as one workbook: one sheet per report (its
// grouping), then a sheet of petitions from the first report. Headings
// in lang, counts as numbers, rates as numbers in a percentage format.
func WriteXLSX(w io.Writer, lang string, reports ...*Report) error {
	if len(reports) == 0 {
		return fmt.Errorf("xlsx: no report to write")
	}
	x := excelize.NewFile()
	defer x.Close()
	st, err := newStyles(x)
	if err != nil {
		return err
	}
	first := true
	used := map[string]bool{}
	for _, r := range reports {
		name := sheetName(r.By, lang)
		if used[name] {
			return fmt.Errorf("xlsx: two reports grouped by %s", r.By)
		}
		used[name] = true
		if first {
			if err := x.SetSheetName("Sheet1", name); err != nil {
				return err
			}
			first = false
		} else if _, err := x.NewSheet(name); err != nil {
			return err
		}
		if err := writeSheet(x, name, r, lang, st); err != nil {
			return err
		}
	}
	if err := writePetitionSheet(x, reports[0], lang, st.bold); err != nil {
		return err
	}
	if err := writeD766Sheets(x, reports[0], lang, st); err != nil {
		return err
	}
	if err := x.SetDocProps(&excelize.DocProperties{Title: reports[0].Title(lang), Creator: "motcua", Language: lang}); err != nil {
		return err
	}
	return x.Write(w)
}

// styles are the cell styles of a workbook, created once.
type styles struct {
	bold, percent, decimal, boldPercent, boldDecimal int
}

func newStyles(x *excelize.File) (styles, error) {
	pct, dec := "0.0%", "0.0"
	var s styles
	var err error
	for _, v := range []struct {
		dst  *int
		bold bool
		fmt  *string
	}{{&s.bold, true, nil}, {&s.percent, false, &pct}, {&s.decimal, false, &dec}, {&s.boldPercent, true, &pct}, {&s.boldDecimal, true, &dec}} {
		style := &excelize.Style{CustomNumFmt: v.fmt}
		if v.bold {
			style.Font = &excelize.Font{Bold: true}
		}
		if *v.dst, err = x.NewStyle(style); err != nil {
			return s, err
		}
	}
	return s, nil
}

func writeSheet(x *excelize.File, sheet string, r *Report, lang string, st styles) error {
	head := csvHeader(r.By, lang)
	for i, h := range head {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := x.SetCellStr(sheet, ref, h); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(head), 1)
	if err := x.SetCellStyle(sheet, "A1", last, st.bold); err != nil {
		return err
	}
	row := 2
	line := func(code, name string, f *Figures, total bool) error {
		vals := []any{code, name}
		for _, c := range columns {
			if c.kind == count {
				vals = append(vals, c.n(f))
			} else if v := c.f(f); v != nil {
				vals = append(vals, *v)
			} else {
				vals = append(vals, nil) // no data: an empty cell, not 0%
			}
		}
		ref, _ := excelize.CoordinatesToCellName(1, row)
		if err := x.SetSheetRow(sheet, ref, &vals); err != nil {
			return err
		}
		if total {
			end, _ := excelize.CoordinatesToCellName(len(vals), row)
			if err := x.SetCellStyle(sheet, ref, end, st.bold); err != nil {
				return err
			}
		}
		for i, c := range columns {
			var style int
			switch {
			case c.kind == rate && total:
				style = st.boldPercent
			case c.kind == rate:
				style = st.percent
			case c.kind == hours && total:
				style = st.boldDecimal
			case c.kind == hours:
				style = st.decimal
			default:
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(i+3, row)
			if err := x.SetCellStyle(sheet, ref, ref, style); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	for i := range r.Rows {
		if err := line(r.Rows[i].Group, rowName(r.Rows[i], lang), &r.Rows[i].Figures, false); err != nil {
			return err
		}
	}
	if err := line("", totalLabel(lang), &r.Total, true); err != nil {
		return err
	}
	if err := x.SetColWidth(sheet, "B", "B", 28); err != nil {
		return err
	}
	return x.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"})
}

func writePetitionSheet(x *excelize.File, r *Report, lang string, bold int) error {
	sheet := pick([2]string{"Đơn thư", "Petitions"}, lang, "")
	if _, err := x.NewSheet(sheet); err != nil {
		return err
	}
	head := make([]any, len(petitionHeads))
	for i, h := range petitionHeads {
		head[i] = pick(h, lang, "")
	}
	if err := x.SetSheetRow(sheet, "A1", &head); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(head), 1)
	if err := x.SetCellStyle(sheet, "A1", last, bold); err != nil {
		return err
	}
	for i, p := range r.Petitions {
		vals := []any{KindName(p.Kind, lang), p.Received, p.WithinAuthority, p.OutsideAuthority, p.Finished, p.OnTime, p.Late, p.Extended}
		ref, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow(sheet, ref, &vals); err != nil {
			return err
		}
	}
	return x.SetColWidth(sheet, "A", "A", 24)
}

// Write renders r in format f; XLSX gets one sheet.
func Write(w io.Writer, r *Report, f Format, lang string) error {
	switch f {
	case FormatCSV:
		return WriteCSV(w, r, lang)
	case FormatXLSX:
		return WriteXLSX(w, lang, r)
	case FormatJSON:
		return WriteJSON(w, r)
	default:
		return WriteTable(w, r, lang)
	}
}
