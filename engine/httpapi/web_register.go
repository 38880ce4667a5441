package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/engine"
)

// The dossier register (sổ theo dõi hồ sơ, form 06 of Circular
// 01/2018/TT-VPCP): every dossier a desk received in a period, one line
// each in the order of the desk's book, printable as a page and
// exportable as XLSX. The book and line are given at reception
// (engine.RegisterStore) and printed on form 01.

// registerPath is the register's page; ?format=xlsx downloads it.
const registerPath = "/register"

// registerLine is one line of the register.
type registerLine struct {
	// No is the line in the book; 0 for a dossier received before the
	// register existed, which is listed after the numbered ones.
	No            int
	Book          string
	Code          string
	ProcedureName string
	Sets          string
	Applicant     string
	// Contact is the applicant's address and phone, as one cell.
	Contact string
	// Unit is the unit resolving the dossier now (empty once it is
	// back with the applicant).
	Unit       string
	ReceivedAt time.Time
	// Appointment is the date promised on form 01 (or form 04's new one).
	Appointment *time.Time
	// ReturnedAt is when the dossier finished; nil while open.
	ReturnedAt *time.Time
	// Note is the state now, the channel when by post, and the reason of
	// a backdated reception.
	Note string
}

type registerView struct {
	// Units are the desks p may read the register of; Unit the one shown.
	Units []registerUnit
	Unit  string
	// UnitName and Book head the printed page.
	UnitName string
	Books    []string
	// From and To are the period as typed (dd/mm/yyyy), both days
	// included.
	From, To string
	Lines    []registerLine
	XLSXURL  string
}

type registerUnit struct{ ID, Name string }

// registerUnits returns the desks whose register p may read: the units
// that receive under some procedure (an initial state's unit), all of
// them for people who read every dossier, else those p belongs to.
func (w *web) registerUnits(p *engine.Person, lang string) []registerUnit {
	units, all := engine.ListUnits(p)
	var out []registerUnit
	seen := map[string]bool{}
	for _, pr := range w.s.eng.Catalog.Latest() {
		st, ok := pr.State(pr.Initial)
		if !ok || seen[st.Unit] || !(all || slices.Contains(units, st.Unit)) {
			continue
		}
		seen[st.Unit] = true
		out = append(out, registerUnit{ID: st.Unit, Name: w.unitName(st.Unit, lang)})
	}
	slices.SortFunc(out, func(a, b registerUnit) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// mayReadRegister reports whether p may read some desk's register, as
// registerUnits would find one, without naming and sorting them: the menu
// asks it on every page.
func (w *web) mayReadRegister(p *engine.Person) bool {
	units, all := engine.ListUnits(p)
	for _, pr := range w.s.eng.Catalog.Latest() {
		if st, ok := pr.State(pr.Initial); ok && (all || slices.Contains(units, st.Unit)) {
			return true
		}
	}
	return false
}

// registerPeriod reads ?from= and ?to= (dd/mm/yyyy, both days included)
// in the calendar's zone; by default the current month up to today.
func registerPeriod(v url.Values, now time.Time, loc *time.Location) (from, to time.Time, err error) {
	day := func(s, field string) (time.Time, error) {
		t, err := time.ParseInLocation("2/1/2006", strings.TrimSpace(s), loc)
		if err != nil {
			return time.Time{}, &engine.InvalidInputError{Field: field, Reason: "want a date dd/mm/yyyy, e.g. 02/03/2026", ReasonVI: "nhập ngày dạng dd/mm/yyyy, ví dụ 02/03/2026"}
		}
		return t, nil
	}
	n := now.In(loc)
	from = time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, loc)
	to = time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	if s := v.Get("from"); s != "" {
		if from, err = day(s, "from"); err != nil {
			return
		}
	}
	if s := v.Get("to"); s != "" {
		if to, err = day(s, "to"); err != nil {
			return
		}
	}
	if to.Before(from) {
		err = &engine.InvalidInputError{Field: "to", Reason: "the end is before the start", ReasonVI: "ngày cuối trước ngày đầu"}
	}
	return
}

// register shows the register of one desk for a period, or downloads it
// as XLSX (?format=xlsx).
func (w *web) register(q *req) error {
	units := w.registerUnits(q.person, q.lang)
	if len(units) == 0 {
		return errorf(engine.EFORBIDDEN, "Chỉ bộ phận tiếp nhận và lãnh đạo xem được sổ theo dõi hồ sơ.", "Only the receiving desk and the leadership may read the dossier register.")
	}
	qs := q.r.URL.Query()
	loc := w.s.eng.Calendar.Location()
	from, to, err := registerPeriod(qs, w.s.now(), loc)
	if err != nil {
		return err
	}
	v := registerView{Units: units, Unit: units[0].ID, From: from.Format("02/01/2006"), To: to.Format("02/01/2006")}
	if u := qs.Get("unit"); u != "" {
		i := slices.IndexFunc(units, func(r registerUnit) bool { return r.ID == u })
		if i < 0 {
			return errorf(engine.EFORBIDDEN, "Anh/chị không xem được sổ của đơn vị này.", "You may not read this unit's register.")
		}
		v.Unit = units[i].ID
	}
	v.UnitName = w.unitName(v.Unit, q.lang)
	v.Lines, err = w.registerLines(q, v.Unit, from, to.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	for _, l := range v.Lines {
		if l.Book != "" && !slices.Contains(v.Books, l.Book) {
			v.Books = append(v.Books, l.Book)
		}
	}
	x := url.Values{"unit": {v.Unit}, "from": {v.From}, "to": {v.To}, "format": {"xlsx"}}
	if q.lang == "en" {
		x.Set("lang", "en")
	}
	v.XLSXURL = registerPath + "?" + x.Encode()
	if qs.Get("format") == "xlsx" {
		return w.registerXLSX(q, v)
	}
	return w.render(q, http.StatusOK, "register", w.data(q, tr("register", q.lang), "register", v))
}

// registerLines reads the dossiers unit received in [from, to), in the
// order of its book.
func (w *web) registerLines(q *req, unit string, from, to time.Time) ([]registerLine, error) {
	var out []registerLine
	err := w.s.eng.Store.Scan(q.r.Context(), engine.Query{ReceivedFrom: from, ReceivedTo: to}, func(d *engine.Dossier) error {
		if d.ReceivingUnit != unit {
			return nil
		}
		p, pname := w.s.procName(d, q.lang)
		l := registerLine{No: d.RegisterNo, Book: d.RegisterBook, Code: d.Code, ProcedureName: pname, Applicant: d.Applicant.Name,
			ReceivedAt: d.ReceivedAt, Appointment: d.AppointmentAt, ReturnedAt: d.FinishedAt}
		var contact []string
		for _, s := range []string{d.Applicant.Address, d.Applicant.Phone} {
			if s != "" {
				contact = append(contact, s)
			}
		}
		l.Contact = strings.Join(contact, "; ")
		if !d.IsFinished() {
			l.Unit = w.unitName(d.Unit, q.lang)
		}
		notes := []string{stateName(p, d.State, q.lang)}
		if d.Channel == engine.ChannelPost {
			notes = append(notes, tr("post", q.lang))
		}
		if len(d.History) > 0 {
			in := d.History[0].Inputs
			l.Sets = strings.TrimSpace(in[inSets])
			if r := strings.TrimSpace(in[engine.InputBackdateReason]); r != "" {
				notes = append(notes, r)
			}
		}
		l.Note = strings.Join(notes, "; ")
		out = append(out, l)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Numbered lines in the book's order; a dossier from before the
	// register (no line) after them, by reception.
	slices.SortStableFunc(out, func(a, b registerLine) int {
		switch {
		case (a.No == 0) != (b.No == 0):
			if a.No == 0 {
				return 1
			}
			return -1
		case a.Book != b.Book:
			return strings.Compare(a.Book, b.Book)
		case a.No != b.No:
			return a.No - b.No
		}
		return a.ReceivedAt.Compare(b.ReceivedAt)
	})
	return out, nil
}

// registerColumns are the register's columns, after form 06.
var registerColumns = [][2]string{
	{"Số thứ tự", "No."},
	{"Mã hồ sơ", "Dossier code"},
	{"Tên thủ tục hành chính", "Procedure"},
	{"Số lượng hồ sơ (bộ)", "Sets"},
	{"Tên cá nhân, tổ chức", "Applicant"},
	{"Địa chỉ, số điện thoại", "Address, phone"},
	{"Cơ quan chủ trì giải quyết", "Resolving body"},
	{"Nhận hồ sơ", "Received"},
	{"Hẹn trả kết quả", "Appointment"},
	{"Trả kết quả", "Returned"},
	{"Ghi chú", "Note"},
}

// registerXLSX writes the register as a workbook: a title row, the
// period, the header and one row per line; dates as dates, so that a
// clerk can sort and filter them.
func (w *web) registerXLSX(q *req, v registerView) error {
	loc := w.s.eng.Calendar.Location()
	x := excelize.NewFile()
	defer x.Close()
	sheet := pick("So theo doi", "Register", q.lang)
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	dateFmt := "dd/mm/yyyy hh:mm"
	dates, err := x.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	set := func(col, row int, val any) error {
		ref, _ := excelize.CoordinatesToCellName(col, row)
		return x.SetCellValue(sheet, ref, val)
	}
	title := strings.ToUpper(tr("register", q.lang)) + " — " + v.UnitName
	if err := set(1, 1, title); err != nil {
		return err
	}
	if err := set(1, 2, fmt.Sprintf("%s %s – %s", pick("Từ ngày", "From", q.lang), v.From, v.To)); err != nil {
		return err
	}
	for i, c := range registerColumns {
		if err := set(i+1, 4, pick(c[0], c[1], q.lang)); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(registerColumns), 4)
	if err := x.SetCellStyle(sheet, "A1", last, bold); err != nil {
		return err
	}
	local := func(t *time.Time) any {
		if t == nil {
			return ""
		}
		// excelize writes a time's wall clock; the office's is the one
		// a clerk reads.
		lt := t.In(loc)
		return time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), 0, 0, time.UTC)
	}
	for i, l := range v.Lines {
		row := i + 5
		no := any("")
		if l.No > 0 {
			no = l.No
		}
		sets := any(l.Sets)
		if n, err := strconv.Atoi(l.Sets); err == nil {
			sets = n
		}
		received := l.ReceivedAt
		for j, val := range []any{no, l.Code, l.ProcedureName, sets, l.Applicant, l.Contact, l.Unit, local(&received), local(l.Appointment), local(l.ReturnedAt), l.Note} {
			if err := set(j+1, row, val); err != nil {
				return err
			}
		}
		from, _ := excelize.CoordinatesToCellName(8, row)
		to, _ := excelize.CoordinatesToCellName(10, row)
		if err := x.SetCellStyle(sheet, from, to, dates); err != nil {
			return err
		}
	}
	for i, width := range []float64{8, 20, 36, 10, 24, 30, 24, 17, 17, 17, 30} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := x.SetColWidth(sheet, col, col, width); err != nil {
			return err
		}
	}
	if err := x.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return err
	}
	name := fmt.Sprintf("so-theo-doi-%s-%s-%s.xlsx", v.Unit, strings.ReplaceAll(v.From, "/", ""), strings.ReplaceAll(v.To, "/", ""))
	h := q.w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	q.w.WriteHeader(http.StatusOK)
	_, err = q.w.Write(buf.Bytes())
	return err
}
