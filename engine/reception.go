package engine

import (
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// Reception inputs the core checks besides the applicant: the number of
// sets handed in, and the reason a postal dossier is recorded with an
// earlier reception instant. Both go on the first history row, the record
// of the reception.
const (
	InputSets           = "sets"
	InputBackdateReason = "backdate_reason"
)

// DefaultBackdateDays is how many working days back a postal reception
// may be dated when the engine is not told otherwise (Engine.BackdateDays):
// a letter opened late is recorded on the day it arrived, but not one
// found weeks later, whose time limit would already have run out.
const DefaultBackdateDays = 5

// backdateGrace is how far before now a reception instant still counts
// as "now": an API client's clock and the time a request travels differ
// by seconds, and the page sends instants to the minute.
const backdateGrace = 5 * time.Minute

// Field names of reception errors, as the API's JSON names them: the
// page maps them back to its inputs.
const (
	FieldName           = "applicant.name"
	FieldIDNo           = "applicant.id_no"
	FieldPhone          = "applicant.phone"
	FieldEmail          = "applicant.email"
	FieldSets           = "inputs." + InputSets
	FieldReceivedAt     = "received_at"
	FieldBackdateReason = "inputs." + InputBackdateReason
)

// ValidIDNo reports whether s is a căn cước number: exactly 12 digits
// (Law on Identification 2023; the 9-digit CMND is no longer valid).
func ValidIDNo(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NormalizePhone returns s as a national number (0…) without the
// separators people type (spaces, dots, hyphens, parentheses) and with a
// leading +84 replaced by 0.
func NormalizePhone(s string) string {
	n := strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if strings.HasPrefix(n, "+84") {
		n = "0" + n[3:]
	}
	return n
}

// ValidPhone reports whether s is a Vietnamese telephone number, with or
// without +84: a mobile number (10 digits, 03x, 05x, 07x, 08x, 09x) or a
// landline (11 digits starting 02, the area codes since 2017).
func ValidPhone(s string) bool {
	n := NormalizePhone(s)
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	switch {
	case len(n) == 10 && n[0] == '0' && strings.ContainsRune("35789", rune(n[1])):
		return true
	case len(n) == 11 && strings.HasPrefix(n, "02"):
		return true
	}
	return false
}

// ValidEmail reports whether s is one plain e-mail address (no display
// name, no list) whose domain has a dot: an address a notice can reach.
func ValidEmail(s string) bool {
	if s == "" || strings.ContainsAny(s, " \t\r\n<>,;") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".") && !strings.Contains(domain, "..")
}

// maxSets bounds the number of sets: a desk receives a handful of copies,
// and a mistyped 1000 should be caught, not printed on the receipt.
const maxSets = 100

// ValidSets reports whether s is a number of sets: a positive integer,
// at most 100, written in digits.
func ValidSets(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= maxSets
}

// invalid builds a reception field error with its reason in both
// languages.
func invalid(field, vi, en string) *InvalidInputError {
	return &InvalidInputError{Field: field, Reason: en, ReasonVI: vi}
}

// checkApplicant checks what the desk typed about the applicant and the
// papers, field by field in the order of the form, and returns every
// wrong field: the desk corrects them all at once instead of one refusal
// at a time. Optional fields are checked only when given.
func checkApplicant(in ReceiveInput) []*InvalidInputError {
	a := in.Applicant
	var bad []*InvalidInputError
	if strings.TrimSpace(a.Name) == "" {
		bad = append(bad, invalid(FieldName, "bắt buộc nhập họ và tên", "the name is required"))
	}
	if s := strings.TrimSpace(a.IDNo); s != "" && !ValidIDNo(s) {
		bad = append(bad, invalid(FieldIDNo, "số căn cước gồm đúng 12 chữ số", "a căn cước number has exactly 12 digits"))
	}
	if s := strings.TrimSpace(a.Phone); s != "" && !ValidPhone(s) {
		bad = append(bad, invalid(FieldPhone, "số điện thoại di động (10 số, ví dụ 0912 345 678) hoặc cố định (11 số, ví dụ 0218 3852 123), có thể bắt đầu bằng +84",
			"a mobile number (10 digits, e.g. 0912 345 678) or a landline (11 digits, e.g. 0218 3852 123), optionally starting with +84"))
	}
	if s := strings.TrimSpace(a.Email); s != "" && !ValidEmail(s) {
		bad = append(bad, invalid(FieldEmail, "địa chỉ thư điện tử có dạng ten@mien.vn", "an e-mail address looks like name@domain.vn"))
	}
	if s, ok := in.Inputs[InputSets]; ok && !ValidSets(strings.TrimSpace(s)) {
		bad = append(bad, invalid(FieldSets, fmt.Sprintf("số bộ là số nguyên dương, tối đa %d", maxSets), fmt.Sprintf("the number of sets is a positive whole number, at most %d", maxSets)))
	}
	return bad
}

// checkReceivedAt checks the reception instant against now: never in the
// future; in the past only for a postal dossier, at most backdateDays
// working days back (office time, from the calendar), and with a reason
// that the first history row keeps.
func checkReceivedAt(env Env, in ReceiveInput, received, now time.Time) *InvalidInputError {
	if received.After(now) {
		return invalid(FieldReceivedAt, "không được ở tương lai", "in the future")
	}
	if !received.Before(now.Add(-backdateGrace)) {
		return nil
	}
	if in.Channel != ChannelPost {
		return invalid(FieldReceivedAt, "chỉ hồ sơ nhận qua bưu chính mới được ghi thời điểm tiếp nhận trước hiện tại",
			"only a dossier received by post may be recorded with an earlier reception time")
	}
	days := env.BackdateDays
	if days == 0 {
		days = DefaultBackdateDays
	}
	if days < 0 || (env.Calendar != nil && env.Calendar.Elapsed(received, now) > time.Duration(days)*env.Calendar.DayWork()) {
		return invalid(FieldReceivedAt, fmt.Sprintf("chỉ được ghi lùi tối đa %d ngày làm việc", max(days, 0)),
			fmt.Sprintf("at most %d working days back", max(days, 0)))
	}
	if strings.TrimSpace(in.Inputs[InputBackdateReason]) == "" {
		return invalid(FieldBackdateReason, "ghi lý do tiếp nhận với thời điểm trước hiện tại", "give the reason for the earlier reception time")
	}
	return nil
}
