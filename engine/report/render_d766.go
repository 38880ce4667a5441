package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// How each format carries the Decision 766 section (d766.go): the table
// adds three blocks (indicators by group, 2.2 by procedure, ratings),
// CSV adds columns after the legal figures (so the columns of earlier
// figures keep their places), XLSX adds three sheets, JSON the "d766"
// object.

// indicator is one rate of the section as every renderer shows it.
type indicator struct {
	code   string // the indicator's number in Decision 766
	vi, en string
	rate   func(*D766Figures) Rate
}

// indicators are the section's rates in the order every renderer shows them.
var indicators = []indicator{
	{"2.1", "Đúng hạn theo QĐ 766", "On time (Decision 766)", func(f *D766Figures) Rate { return f.OnTime766 }},
	{"2.1", "Đúng hạn theo luật", "On time (legal)", func(f *D766Figures) Rate { return f.OnTimeLegal }},
	{"3.3", "Nộp trực tuyến", "Submitted online", func(f *D766Figures) Rate { return f.Online }},
	{"3.5", "TTHC có phí có dữ liệu phí", "Fee procedures with fee data", func(f *D766Figures) Rate { return f.FeeData }},
	{"3.6", "Thanh toán trực tuyến", "Paid online", func(f *D766Figures) Rate { return f.PaidOnline }},
	{"4.1", "Kết quả điện tử", "Electronic results", func(f *D766Figures) Rate { return f.EResult }},
	{"4.2", "Số hóa hồ sơ", "Digitised", func(f *D766Figures) Rate { return f.Digitised }},
	{"4.3", "Tái sử dụng", "Reused", func(f *D766Figures) Rate { return f.Reuse }},
}

func (i indicator) label(lang string) string {
	return i.code + " " + pick([2]string{i.vi, i.en}, lang, i.vi)
}

// IndicatorLabel is the heading of an indicator rate, e.g. "3.3 Nộp trực
// tuyến", for pages that show the section.
func IndicatorLabel(i int, lang string) string { return indicators[i].label(lang) }

// Indicators returns f's rates in the renderers' order (see IndicatorLabel).
func (f *D766Figures) Indicators() []Rate {
	out := make([]Rate, len(indicators))
	for i, ind := range indicators {
		out[i] = ind.rate(f)
	}
	return out
}

var (
	d766Title      = [2]string{"Chỉ số theo Quyết định 766/QĐ-TTg", "Decision 766/QĐ-TTg indicators"}
	resolutionHead = [2]string{"2.2 Thời gian giải quyết bình quân", "2.2 Average resolution time"}
	satisfyHead    = [2]string{"5.4 Mức độ hài lòng", "5.4 Satisfaction"}
	ratingsHead    = [2]string{"Đánh giá của người dân", "Applicants' ratings"}
	ratedHead      = [2]string{"Số đánh giá", "Ratings"}
	overallHead    = [2]string{"Điểm bình quân", "Average score"}
	dislikedHead   = [2]string{"Không hài lòng", "Dislikes"}
	countHead      = [2]string{"Số hồ sơ", "Dossiers"}
	unitHead       = [2]string{"Đơn vị tính", "Unit of time"}
	procedureHead  = [2]string{"Thủ tục", "Procedure"}
	byUnitHead     = [2]string{"Theo đơn vị", "By unit"}
	byProcHead     = [2]string{"Theo thủ tục", "By procedure"}
	criterionHead  = [2]string{"Tiêu chí", "Criterion"}
)

// TimeUnitName names a unit of resolution time (ProcedureTime.Unit) in lang.
func TimeUnitName(u, lang string) string {
	names := map[string][2]string{
		UnitWorkingDays:    {"ngày làm việc", "working days"},
		UnitWorkingHours:   {"giờ làm việc", "working hours"},
		UnitWorkingMinutes: {"phút làm việc", "working minutes"},
		UnitDays:           {"ngày", "days"},
	}
	return pick(names[u], lang, u)
}

// decimal formats v with up to two decimals, a decimal comma in Vietnamese.
func decimal(v float64, lang string) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// pctText formats a fraction as a percentage with one decimal; "—" for nil.
func pctText(v *float64, lang string) string {
	if v == nil {
		return "—"
	}
	s := strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// RateText is a rate with its counts, e.g. "72,7% (8/11)"; "—" without data.
func RateText(r Rate, lang string) string {
	if r.Den == 0 {
		return "—"
	}
	return fmt.Sprintf("%s (%d/%d)", pctText(r.Rate, lang), r.Num, r.Den)
}

// ResolutionText is 2.2 of f, e.g. "4,91 ngày làm việc (6)"; "—" when
// there is no single figure.
func ResolutionText(f *D766Figures, lang string) string {
	if f.ResolutionAvg == nil {
		return "—"
	}
	return fmt.Sprintf("%s %s (%d)", decimal(*f.ResolutionAvg, lang), TimeUnitName(f.ResolutionUnit, lang), f.ResolutionCount)
}

func criteriaText(r *Ratings, lang string) string {
	parts := make([]string, len(r.Criteria))
	for i, c := range r.Criteria {
		parts[i] = fmt.Sprintf("%s %s (%d)", c.ID, decimal(c.Average, lang), c.Count)
	}
	return strings.Join(parts, "; ")
}

func overallText(r *Ratings, lang string) string {
	if r.Overall == nil {
		return "—"
	}
	return decimal(*r.Overall, lang)
}

// writeD766Table writes the section's three blocks for a terminal.
func writeD766Table(tw io.Writer, r *Report, lang string, pad func(string) string) {
	s := r.D766
	if s == nil {
		return
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, pick(d766Title, lang, ""))
	heads := []string{pad(groupHeading(r.By, lang))}
	for _, ind := range indicators {
		heads = append(heads, ind.label(lang))
	}
	heads = append(heads, pick(resolutionHead, lang, ""), pick(satisfyHead, lang, ""))
	fmt.Fprintln(tw, strings.Join(heads, "\t")+"\t")
	line := func(name string, f *D766Figures) {
		cells := []string{pad(name)}
		for _, ind := range indicators {
			cells = append(cells, RateText(ind.rate(f), lang))
		}
		cells = append(cells, ResolutionText(f, lang), pctText(f.Satisfaction.Rate, lang))
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	for i := range s.Rows {
		line(d766RowName(s.Rows[i], lang), &s.Rows[i].D766Figures)
	}
	line(totalLabel(lang), &s.Total)

	fmt.Fprintln(tw)
	fmt.Fprintln(tw, strings.Join([]string{pad(pick(procedureHead, lang, "")), pick(resolutionHead, lang, ""), pick(unitHead, lang, ""), pick(countHead, lang, "")}, "\t")+"\t")
	for _, pt := range s.ResolutionTimes {
		avg := "—"
		if pt.Average != nil {
			avg = decimal(*pt.Average, lang)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t\n", pad(nameOr(pt.Name, pt.NameEN, pt.Procedure, lang)), avg, TimeUnitName(pt.Unit, lang), pt.Count)
	}

	fmt.Fprintln(tw)
	fmt.Fprintln(tw, strings.Join([]string{pad(pick(ratingsHead, lang, "")), pick(ratedHead, lang, ""), pick(overallHead, lang, ""), pick(dislikedHead, lang, ""), pick(criterionHead, lang, "")}, "\t")+"\t")
	for _, g := range []struct {
		head [2]string
		rows []RatingRow
	}{{byUnitHead, s.RatingsByUnit}, {byProcHead, s.RatingsByProcedure}} {
		for _, rr := range g.rows {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t\n", pad(pick(g.head, lang, "")+": "+nameOr(rr.Name, rr.NameEN, rr.Group, lang)),
				rr.Count, overallText(&rr.Ratings, lang), rr.Disliked, criteriaText(&rr.Ratings, lang))
		}
	}
	t := &s.Total.Ratings
	fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t\n", pad(totalLabel(lang)), t.Count, overallText(t, lang), t.Disliked, criteriaText(t, lang))
}

// d766Names are the first-column names the table's 766 blocks use, so
// that WriteTable pads its first column to the widest of them.
func d766Names(r *Report, lang string) []string {
	s := r.D766
	if s == nil {
		return nil
	}
	names := []string{pick(procedureHead, lang, ""), pick(ratingsHead, lang, "")}
	for i := range s.Rows {
		names = append(names, d766RowName(s.Rows[i], lang))
	}
	for _, pt := range s.ResolutionTimes {
		names = append(names, nameOr(pt.Name, pt.NameEN, pt.Procedure, lang))
	}
	for _, rr := range s.RatingsByUnit {
		names = append(names, pick(byUnitHead, lang, "")+": "+nameOr(rr.Name, rr.NameEN, rr.Group, lang))
	}
	for _, rr := range s.RatingsByProcedure {
		names = append(names, pick(byProcHead, lang, "")+": "+nameOr(rr.Name, rr.NameEN, rr.Group, lang))
	}
	return names
}

func nameOr(vi, en, id, lang string) string {
	return rowName(Row{Group: id, Name: vi, NameEN: en}, lang)
}

func d766RowName(r D766Row, lang string) string { return nameOr(r.Name, r.NameEN, r.Group, lang) }

// d766Column is one CSV column of the section.
type d766Column struct {
	head string
	cell func(*D766Figures) string
}

// d766Columns are the section's CSV columns: for each rate its count,
// denominator and fraction; 2.2 with its unit; 5.4 with its parts; the
// ratings' average overall and per criterion of the report (criterion
// ids in the heading, as the ratings stored them).
func d766Columns(r *Report, lang string) []d766Column {
	frac := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	num, den, rt := [2]string{"số", "count"}, [2]string{"trên", "of"}, [2]string{"tỷ lệ", "rate"}
	var cols []d766Column
	for _, ind := range indicators {
		h := "QĐ766 " + ind.label(lang) + ": "
		cols = append(cols,
			d766Column{h + pick(num, lang, ""), func(f *D766Figures) string { return strconv.Itoa(ind.rate(f).Num) }},
			d766Column{h + pick(den, lang, ""), func(f *D766Figures) string { return strconv.Itoa(ind.rate(f).Den) }},
			d766Column{h + pick(rt, lang, ""), func(f *D766Figures) string { return frac(ind.rate(f).Rate) }})
	}
	res := "QĐ766 " + pick(resolutionHead, lang, "")
	sat := "QĐ766 " + pick(satisfyHead, lang, "") + ": "
	cols = append(cols,
		d766Column{res, func(f *D766Figures) string { return frac(f.ResolutionAvg) }},
		d766Column{res + ": " + pick(unitHead, lang, ""), func(f *D766Figures) string {
			if f.ResolutionAvg == nil {
				return ""
			}
			return TimeUnitName(f.ResolutionUnit, lang)
		}},
		d766Column{res + ": " + pick(countHead, lang, ""), func(f *D766Figures) string { return strconv.Itoa(f.ResolutionCount) }},
		d766Column{sat + pick(rt, lang, ""), func(f *D766Figures) string { return frac(f.Satisfaction.Rate) }},
		d766Column{sat + pick([2]string{"quá hạn", "overdue"}, lang, ""), func(f *D766Figures) string { return strconv.Itoa(f.Satisfaction.Overdue) }},
		d766Column{sat + pick([2]string{"đã đánh giá thời hạn", "judged"}, lang, ""), func(f *D766Figures) string { return strconv.Itoa(f.Satisfaction.Judged) }},
		d766Column{sat + pick(dislikedHead, lang, ""), func(f *D766Figures) string { return strconv.Itoa(f.Satisfaction.Disliked) }},
		d766Column{sat + pick(ratedHead, lang, ""), func(f *D766Figures) string { return strconv.Itoa(f.Satisfaction.Rated) }},
		d766Column{"QĐ766 " + pick(overallHead, lang, ""), func(f *D766Figures) string { return frac(f.Ratings.Overall) }},
	)
	if r.D766 != nil {
		for _, c := range r.D766.Total.Ratings.Criteria {
			id := c.ID
			cols = append(cols, d766Column{"QĐ766 " + pick(criterionHead, lang, "") + " " + id, func(f *D766Figures) string {
				for _, c := range f.Ratings.Criteria {
					if c.ID == id {
						return strconv.FormatFloat(c.Average, 'f', -1, 64)
					}
				}
				return ""
			}})
		}
	}
	return cols
}

// d766Lookup returns the section's figures of a report group; the total
// for "". A group the section lacks reads as empty figures.
func d766Lookup(r *Report) func(group string) *D766Figures {
	if r.D766 == nil {
		return nil
	}
	byGroup := map[string]*D766Figures{}
	for i := range r.D766.Rows {
		byGroup[r.D766.Rows[i].Group] = &r.D766.Rows[i].D766Figures
	}
	return func(group string) *D766Figures {
		if group == "" {
			return &r.D766.Total
		}
		if f := byGroup[group]; f != nil {
			return f
		}
		return &D766Figures{}
	}
}

// writeD766Sheets adds the section's sheets to a workbook: indicators by
// group (count, denominator and rate of each), 2.2 by procedure, and the
// ratings by unit and procedure with each criterion's average.
func writeD766Sheets(x *excelize.File, r *Report, lang string, st styles) error {
	s := r.D766
	if s == nil {
		return nil
	}
	sheet := pick([2]string{"QĐ 766", "Decision 766"}, lang, "")
	if _, err := x.NewSheet(sheet); err != nil {
		return err
	}
	num, den := pick([2]string{"số", "count"}, lang, ""), pick([2]string{"trên", "of"}, lang, "")
	head := []any{pick([2]string{"Mã", "Code"}, lang, ""), groupHeading(r.By, lang)}
	for _, ind := range indicators {
		l := ind.label(lang)
		head = append(head, l+": "+num, l+": "+den, l)
	}
	head = append(head, pick(resolutionHead, lang, ""), pick(unitHead, lang, ""), pick(satisfyHead, lang, ""), pick(ratedHead, lang, ""), pick(overallHead, lang, ""))
	if err := x.SetSheetRow(sheet, "A1", &head); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(head), 1)
	if err := x.SetCellStyle(sheet, "A1", last, st.bold); err != nil {
		return err
	}
	row := 2
	line := func(code, name string, f *D766Figures) error {
		vals := []any{code, name}
		var pct []int // columns in the percentage format
		for _, ind := range indicators {
			rt := ind.rate(f)
			vals = append(vals, rt.Num, rt.Den, floatOrNil(rt.Rate))
			pct = append(pct, len(vals))
		}
		unit := ""
		if f.ResolutionAvg != nil {
			unit = TimeUnitName(f.ResolutionUnit, lang)
		}
		vals = append(vals, floatOrNil(f.ResolutionAvg), unit, floatOrNil(f.Satisfaction.Rate))
		pct = append(pct, len(vals))
		vals = append(vals, f.Ratings.Count, floatOrNil(f.Ratings.Overall))
		ref, _ := excelize.CoordinatesToCellName(1, row)
		if err := x.SetSheetRow(sheet, ref, &vals); err != nil {
			return err
		}
		for _, c := range pct {
			ref, _ := excelize.CoordinatesToCellName(c, row)
			if err := x.SetCellStyle(sheet, ref, ref, st.percent); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	for i := range s.Rows {
		if err := line(s.Rows[i].Group, d766RowName(s.Rows[i], lang), &s.Rows[i].D766Figures); err != nil {
			return err
		}
	}
	if err := line("", totalLabel(lang), &s.Total); err != nil {
		return err
	}
	if err := x.SetColWidth(sheet, "B", "B", 28); err != nil {
		return err
	}

	times := pick([2]string{"QĐ 766 thời gian", "D766 times"}, lang, "")
	if _, err := x.NewSheet(times); err != nil {
		return err
	}
	th := []any{pick([2]string{"Mã", "Code"}, lang, ""), pick(procedureHead, lang, ""), pick(resolutionHead, lang, ""), pick(unitHead, lang, ""), pick(countHead, lang, "")}
	if err := x.SetSheetRow(times, "A1", &th); err != nil {
		return err
	}
	for i, pt := range s.ResolutionTimes {
		vals := []any{pt.Procedure, nameOr(pt.Name, pt.NameEN, pt.Procedure, lang), floatOrNil(pt.Average), TimeUnitName(pt.Unit, lang), pt.Count}
		ref, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow(times, ref, &vals); err != nil {
			return err
		}
	}

	ratings := pick([2]string{"Đánh giá", "Ratings"}, lang, "")
	if _, err := x.NewSheet(ratings); err != nil {
		return err
	}
	ids := make([]string, 0, len(s.Total.Ratings.Criteria))
	for _, c := range s.Total.Ratings.Criteria {
		ids = append(ids, c.ID)
	}
	rh := []any{pick([2]string{"Nhóm", "Group"}, lang, ""), pick([2]string{"Mã", "Code"}, lang, ""), pick([2]string{"Tên", "Name"}, lang, ""),
		pick(ratedHead, lang, ""), pick(overallHead, lang, ""), pick(dislikedHead, lang, "")}
	for _, id := range ids {
		rh = append(rh, id)
	}
	if err := x.SetSheetRow(ratings, "A1", &rh); err != nil {
		return err
	}
	n := 2
	put := func(kind string, rr RatingRow) error {
		vals := []any{kind, rr.Group, nameOr(rr.Name, rr.NameEN, rr.Group, lang), rr.Count, floatOrNil(rr.Overall), rr.Disliked}
		for _, id := range ids {
			var v any
			for _, c := range rr.Criteria {
				if c.ID == id {
					v = c.Average
				}
			}
			vals = append(vals, v)
		}
		ref, _ := excelize.CoordinatesToCellName(1, n)
		n++
		return x.SetSheetRow(ratings, ref, &vals)
	}
	for _, rr := range s.RatingsByUnit {
		if err := put(pick(byUnitHead, lang, ""), rr); err != nil {
			return err
		}
	}
	for _, rr := range s.RatingsByProcedure {
		if err := put(pick(byProcHead, lang, ""), rr); err != nil {
			return err
		}
	}
	return put(totalLabel(lang), RatingRow{Ratings: s.Total.Ratings})
}

func floatOrNil(v *float64) any {
	if v == nil {
		return nil // no data: an empty cell, not 0
	}
	return *v
}

// d766Only returns the section's rows of groups the legal figures lack
// (a unit whose only figure is a supplement request it sent, say), so
// that CSV lists every group the section counts.
func d766Only(r *Report) []D766Row {
	if r.D766 == nil {
		return nil
	}
	legal := map[string]bool{}
	for i := range r.Rows {
		legal[r.Rows[i].Group] = true
	}
	var out []D766Row
	for _, row := range r.D766.Rows {
		if !legal[row.Group] {
			out = append(out, row)
		}
	}
	return out
}
