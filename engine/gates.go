package engine

import (
	"fmt"
	"strconv"
	"strings"
)

// Gates on the approved final state (issue 10): a dossier is not
// finished as approved while a fee due before the result is unpaid, nor,
// when its procedure says the result is issued electronically, without
// the result file (Decree 61/2018 Art 20.5, carried over by Decree
// 118/2025: results are stored in the system). Refused and withdrawn
// endings pass: they issue no result and collect nothing more.

// ResultMissingError refuses an approved ending without its result file.
type ResultMissingError struct {
	Code             string
	Result, ResultEN string
}

func (e *ResultMissingError) Error() string {
	return fmt.Sprintf("dossier %s: the result %q has no file attached", e.Code, e.Result)
}

// ErrorCode is ECONFLICT: the dossier is not ready for this step yet.
func (e *ResultMissingError) ErrorCode() Code { return ECONFLICT }

// Message implements Localized.
func (e *ResultMissingError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("Attach the result file (%s) before finishing the dossier: this procedure returns its result electronically", orID(e.ResultEN, e.Result))
	}
	return fmt.Sprintf("Cần đính kèm tệp kết quả (%s) trước khi hoàn thành hồ sơ: thủ tục này trả kết quả điện tử", e.Result)
}

// UnpaidFee names one fee that blocks the result.
type UnpaidFee struct {
	ID, Name, NameEN string
	Amount           int64
}

// FeeUnpaidError refuses an approved ending while fees due before the
// result are unpaid; it names them all.
type FeeUnpaidError struct {
	Code string
	Fees []UnpaidFee
}

func (e *FeeUnpaidError) Error() string {
	ids := make([]string, len(e.Fees))
	for i, f := range e.Fees {
		ids[i] = f.ID
	}
	return fmt.Sprintf("dossier %s: fees unpaid before the result: %s", e.Code, strings.Join(ids, ", "))
}

// ErrorCode is ECONFLICT: the dossier is not ready for this step yet.
func (e *FeeUnpaidError) ErrorCode() Code { return ECONFLICT }

// Message implements Localized.
func (e *FeeUnpaidError) Message(lang string) string {
	parts := make([]string, len(e.Fees))
	for i, f := range e.Fees {
		parts[i] = fmt.Sprintf("%s (%s)", pickLang(f.Name, orID(f.NameEN, f.Name), lang), FormatVND(f.Amount))
	}
	if lang == "en" {
		return "Record the payment before returning the result: unpaid " + strings.Join(parts, ", ")
	}
	return "Cần ghi nhận thu phí trước khi trả kết quả: chưa thu " + strings.Join(parts, ", ")
}

// FormatVND writes an amount of đồng as Vietnamese print does: dots
// between thousands, then "đ" (8.000 đ).
func FormatVND(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String() + " đ"
	}
	return b.String() + " đ"
}

// ResultFiles returns d's result files still in force: those no later
// file supersedes.
func ResultFiles(d *Dossier) []FileRef {
	superseded := map[string]bool{}
	for _, f := range d.Files {
		if f.Supersedes != "" {
			superseded[f.Supersedes] = true
		}
	}
	var out []FileRef
	for _, f := range d.Files {
		if f.Result && !superseded[f.ID] {
			out = append(out, f)
		}
	}
	return out
}

// UnpaidBeforeResult returns the fees of d that p says are due before the
// result and are not paid; an exempt or zero fee is never due.
func UnpaidBeforeResult(p *Procedure, d *Dossier) []UnpaidFee {
	var out []UnpaidFee
	for _, r := range d.Fees {
		f, ok := p.Fee(r.ID)
		if !ok || f.Due != FeeDueBeforeResult || r.Paid || r.Amount <= 0 {
			continue
		}
		out = append(out, UnpaidFee{ID: r.ID, Name: f.Name, NameEN: f.NameEN, Amount: r.Amount})
	}
	return out
}

// CheckApproval answers whether d may enter the final state to under p:
// always, unless to is an approved ending; then the result file when p
// requires one, and every fee due before the result paid. The result is
// checked first: it is the work still to do, the fee the applicant's.
func CheckApproval(p *Procedure, d *Dossier, to *State) error {
	if to == nil || to.Final != OutcomeApproved {
		return nil
	}
	if p.Result.File == ResultFileRequired && len(ResultFiles(d)) == 0 {
		return &ResultMissingError{Code: d.Code, Result: orID(p.Result.Name, "kết quả"), ResultEN: orID(p.Result.NameEN, "result")}
	}
	if unpaid := UnpaidBeforeResult(p, d); len(unpaid) > 0 {
		return &FeeUnpaidError{Code: d.Code, Fees: unpaid}
	}
	return nil
}
