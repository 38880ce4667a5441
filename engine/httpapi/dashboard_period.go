package httpapi

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// The dashboard's period picker (issue 11): the figures "in the period"
// (finished, on time, refused, step rates, the chart's last month) are
// those of a month, a quarter, a year or the days between two dates,
// inclusive; the figures "now" (open, due today, overdue, paused) are
// always now. A period that has not ended stops today: nothing after
// now exists yet.

// Period kinds of the picker.
const (
	periodMonth   = "month"
	periodQuarter = "quarter"
	periodYear    = "year"
	periodCustom  = "custom"
)

// period is the dashboard's chosen period.
type period struct {
	Kind                 string
	Year, Month, Quarter int
	// From and To are the inclusive civil dates reported; To is today
	// when the period has not ended.
	From, To calendar.Date
	// FromText and ToText are the custom bounds as typed back
	// (dd/mm/yyyy), for the form.
	FromText, ToText string
}

// maxCustomDays bounds a custom period: a longer one is a report to
// export from /api/v1/reports, not a page to wait for.
const maxCustomDays = 5 * 366

// parsePeriod reads the picker's fields from a query string; missing
// fields default to today's month, quarter and year.
func parsePeriod(v url.Values, today calendar.Date) (period, error) {
	p := period{Kind: strings.TrimSpace(v.Get("period")), Year: today.Year, Month: int(today.Month), Quarter: (int(today.Month)-1)/3 + 1}
	if p.Kind == "" {
		p.Kind = periodMonth
	}
	num := func(field string, into *int, lo, hi int, vi, en string) error {
		s := strings.TrimSpace(v.Get(field))
		if s == "" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			return invalid(fmt.Sprintf("%s %q không hợp lệ: cần một số từ %d đến %d.", vi, s, lo, hi),
				fmt.Sprintf("%s %q is invalid: want a number from %d to %d.", en, s, lo, hi))
		}
		*into = n
		return nil
	}
	if err := num("year", &p.Year, 2000, today.Year, "Năm", "Year"); err != nil {
		return p, err
	}
	if err := num("month", &p.Month, 1, 12, "Tháng", "Month"); err != nil {
		return p, err
	}
	if err := num("quarter", &p.Quarter, 1, 4, "Quý", "Quarter"); err != nil {
		return p, err
	}
	switch p.Kind {
	case periodMonth:
		p.From = calendar.Date{Year: p.Year, Month: time.Month(p.Month), Day: 1}
		p.To = lastDay(p.Year, time.Month(p.Month))
	case periodQuarter:
		first := time.Month(3*(p.Quarter-1) + 1)
		p.From = calendar.Date{Year: p.Year, Month: first, Day: 1}
		p.To = lastDay(p.Year, first+2)
	case periodYear:
		p.From = calendar.Date{Year: p.Year, Month: 1, Day: 1}
		p.To = calendar.Date{Year: p.Year, Month: 12, Day: 31}
	case periodCustom:
		p.FromText, p.ToText = strings.TrimSpace(v.Get("from")), strings.TrimSpace(v.Get("to"))
		var err error
		if p.From, err = parseDMY(p.FromText, "Từ ngày", "From"); err != nil {
			return p, err
		}
		if p.ToText == "" {
			p.To = today
		} else if p.To, err = parseDMY(p.ToText, "Đến ngày", "To"); err != nil {
			return p, err
		}
		if p.To.String() < p.From.String() {
			return p, errorf(engine.EINVALID, "Đến ngày %s trước từ ngày %s.", "To %s is before from %s.", dmy(p.To), dmy(p.From))
		}
		if days(p.From, p.To) > maxCustomDays {
			return p, errorf(engine.EINVALID, "Khoảng thời gian quá dài (tối đa 5 năm); hãy dùng báo cáo.", "The period is too long (at most 5 years); use the reports.")
		}
	default:
		return p, errorf(engine.EINVALID, "Loại kỳ %q không hợp lệ: chọn tháng, quý, năm hoặc tùy chọn.", "Period %q is invalid: choose month, quarter, year or custom.", p.Kind)
	}
	if today.String() < p.From.String() {
		return p, errorf(engine.EINVALID, "Kỳ bắt đầu từ %s, sau hôm nay: chưa có số liệu.", "The period starts on %s, after today: there are no figures yet.", dmy(p.From))
	}
	if today.String() < p.To.String() {
		p.To = today
	}
	return p, nil
}

// invalid is an EINVALID error with its two messages already written
// (errorf formats both with the same arguments).
func invalid(vi, en string) error { return &apiError{code: engine.EINVALID, vi: vi, en: en} }

// lastDay is the last day of month m of year y (m may run past 12).
func lastDay(y int, m time.Month) calendar.Date {
	t := time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC)
	return calendar.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

func days(a, b calendar.Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 12, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 12, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Hours() / 24)
}

// parseDMY reads a date as Vietnamese forms write it, dd/mm/yyyy (d/m
// and "-" or "." accepted); a browser's yyyy-mm-dd too.
func parseDMY(s, vi, en string) (calendar.Date, error) {
	bad := invalid(fmt.Sprintf("%s %q không hợp lệ: cần dạng dd/mm/yyyy.", vi, s), fmt.Sprintf("%s %q is invalid: want dd/mm/yyyy.", en, s))
	if s == "" {
		return calendar.Date{}, invalid(fmt.Sprintf("Thiếu %s (dd/mm/yyyy).", strings.ToLower(vi)), fmt.Sprintf("%s is required (dd/mm/yyyy).", en))
	}
	if d, err := calendar.ParseDate(s); err == nil {
		return d, nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 || len(parts[2]) != 4 {
		return calendar.Date{}, bad
	}
	var n [3]int
	for i, part := range parts {
		v, err := strconv.Atoi(part)
		if err != nil || len(part) > 4 {
			return calendar.Date{}, bad
		}
		n[i] = v
	}
	t := time.Date(n[2], time.Month(n[1]), n[0], 12, 0, 0, 0, time.UTC)
	if n[1] < 1 || n[1] > 12 || n[0] < 1 || t.Day() != n[0] || n[2] < 2000 {
		return calendar.Date{}, bad
	}
	return calendar.Date{Year: n[2], Month: time.Month(n[1]), Day: n[0]}, nil
}

// dmy writes a date as dd/mm/yyyy.
func dmy(d calendar.Date) string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year) }

// Label names the period in lang: "03/2026", "Quý I/2026", "2026",
// "01/03/2026–15/03/2026"; "(đến 20/03/2026)" when it has not ended.
func (p period) Label(lang string, today calendar.Date) string {
	var s string
	switch p.Kind {
	case periodMonth:
		s = fmt.Sprintf("%s %02d/%04d", pick("Tháng", "Month", lang), p.Month, p.Year)
	case periodQuarter:
		s = fmt.Sprintf("%s %s/%04d", pick("Quý", "Quarter", lang), []string{"I", "II", "III", "IV"}[p.Quarter-1], p.Year)
	case periodYear:
		s = fmt.Sprintf("%s %04d", pick("Năm", "Year", lang), p.Year)
	default:
		return dmy(p.From) + "–" + dmy(p.To)
	}
	if p.To == today {
		s += " (" + pick("đến", "to", lang) + " " + dmy(today) + ")"
	}
	return s
}

// Query is the period as a query string, for the download link.
func (p period) Query() string {
	v := url.Values{"period": {p.Kind}}
	switch p.Kind {
	case periodMonth:
		v.Set("year", strconv.Itoa(p.Year))
		v.Set("month", strconv.Itoa(p.Month))
	case periodQuarter:
		v.Set("year", strconv.Itoa(p.Year))
		v.Set("quarter", strconv.Itoa(p.Quarter))
	case periodYear:
		v.Set("year", strconv.Itoa(p.Year))
	default:
		v.Set("from", dmy(p.From))
		v.Set("to", dmy(p.To))
	}
	return v.Encode()
}
