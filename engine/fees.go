package engine

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Fees on a dossier (issue 10). At reception the dossier gets one record
// per fee of its procedure; the desk, or the unit holding the dossier,
// records each payment with how it was paid and the receipt's number
// (Decree 61/2018 Art 22.1c: fees may be paid online through the system;
// Decree 11/2020 and Circular 303/2016/TT-BTC: each collection carries a
// receipt). A fee due before the result blocks the approved final state
// while unpaid (gates.go).

// ActionPayFee is the history action of a fee payment; its row's inputs
// are the fee, the amount, the method, the reference and the receipt
// number. Procedures may not declare an action with this id (procedures
// lint).
const ActionPayFee = "pay_fee"

// Reception and payment field names, as the API's JSON names them.
const (
	FieldCopies     = "copies"
	FieldFee        = "fee"
	FieldPayMethod  = "method"
	FieldPayRef     = "reference"
	FieldPayReceipt = "receipt"
)

// maxReference bounds the free text of a payment: a bank or gateway
// reference and a receipt number are short codes.
const maxReference = 100

// Valid reports whether m is one of the payment methods.
func (m PayMethod) Valid() bool {
	return m == PayCounter || m == PayTransfer || m == PayOnline
}

// Words returns the payment method as people read it in lang.
func (m PayMethod) Words(lang string) string {
	switch m {
	case PayCounter:
		return pickLang("tiền mặt tại quầy", "cash at the desk", lang)
	case PayTransfer:
		return pickLang("chuyển khoản", "bank transfer", lang)
	case PayOnline:
		return pickLang("thanh toán trực tuyến", "online payment", lang)
	}
	return string(m)
}

// checkCopies checks the copies asked per fee at reception: only per-copy
// fees of the procedure, each a number from 0 to maxSets.
func checkCopies(p *Procedure, copies map[string]int) error {
	for id, n := range copies {
		f, ok := p.Fee(id)
		if !ok || f.Per != FeePerCopy {
			return invalid(FieldCopies, fmt.Sprintf("thủ tục không có phí tính theo bản sao %q", id), fmt.Sprintf("the procedure has no per-copy fee %q", id))
		}
		if n < 0 || n > maxSets {
			return invalid(FieldCopies, fmt.Sprintf("số bản sao là số từ 0 đến %d", maxSets), fmt.Sprintf("the number of copies is a number from 0 to %d", maxSets))
		}
	}
	return nil
}

// FeesAt returns the fee records of a dossier received under p: a flat
// fee at its amount, a per-copy fee times the copies asked (none asked:
// nothing to pay). Nothing is paid yet. A procedure without fees gives
// none.
func FeesAt(p *Procedure, copies map[string]int) []FeeRecord {
	var out []FeeRecord
	for _, f := range p.Fees {
		r := FeeRecord{ID: f.ID, Amount: f.Amount}
		if f.Per == FeePerCopy {
			r.Copies = copies[f.ID]
			r.Amount = f.Amount * int64(r.Copies)
		}
		out = append(out, r)
	}
	return out
}

// PayInput is a payment recorded on a dossier.
type PayInput struct {
	// Actor is the officer recording it (a directory person id).
	Actor  string
	Fee    string
	Method PayMethod
	// Reference is the bank's or the payment gateway's reference: required
	// for a transfer and an online payment, which the desk cannot see
	// happen.
	Reference string
	// Receipt is the number of the receipt (biên lai) issued.
	Receipt string
}

// FeePaidError refuses a second payment of a fee.
type FeePaidError struct {
	Code, Fee string
	Receipt   string
}

func (e *FeePaidError) Error() string {
	return fmt.Sprintf("dossier %s: fee %q already paid (receipt %s)", e.Code, e.Fee, e.Receipt)
}

// ErrorCode is ECONFLICT: the page was stale, or someone else recorded it.
func (e *FeePaidError) ErrorCode() Code { return ECONFLICT }

// Message implements Localized.
func (e *FeePaidError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("This fee was already paid (receipt %s)", e.Receipt)
	}
	return fmt.Sprintf("Khoản phí này đã được thu (biên lai %s)", e.Receipt)
}

// CanPay reports whether actor may record a payment on d: an active
// member of the one-stop unit that received it (the desk collects fees,
// Decree 61/2018 Art 17) or of the unit holding it now (which may see a
// transfer arrive). A finished dossier takes no more payments.
func CanPay(dir *Directory, d *Dossier, actor string) error {
	if d.IsFinished() {
		return &FinishedError{Code: d.Code, State: d.State}
	}
	units := []string{d.ReceivingUnit}
	if d.Unit != "" && d.Unit != d.ReceivingUnit {
		units = append(units, d.Unit)
	}
	return checkMember(dir, actor, units)
}

// Pay is the pure step of a payment: the dossier with the fee marked paid
// and a history row recording it. It changes neither the state nor the
// clock.
func Pay(env Env, d *Dossier, in PayInput, now time.Time) (*Decision, error) {
	if err := CanPay(env.Directory, d, in.Actor); err != nil {
		return nil, err
	}
	i := -1
	for j, f := range d.Fees {
		if f.ID == in.Fee {
			i = j
		}
	}
	if i < 0 {
		return nil, &NotFoundError{What: "fee", ID: in.Fee}
	}
	f := d.Fees[i]
	if f.Paid {
		return nil, &FeePaidError{Code: d.Code, Fee: f.ID, Receipt: f.Receipt}
	}
	if f.Amount == 0 {
		return nil, invalid(FieldFee, "khoản phí được miễn hoặc bằng 0, không cần thu", "the fee is exempt or zero; there is nothing to collect")
	}
	if !in.Method.Valid() {
		return nil, invalid(FieldPayMethod, fmt.Sprintf("%q không phải tiền mặt (counter), chuyển khoản (transfer) hay trực tuyến (online)", in.Method),
			fmt.Sprintf("%q is not counter, transfer or online", in.Method))
	}
	ref, receipt := strings.TrimSpace(in.Reference), strings.TrimSpace(in.Receipt)
	if in.Method != PayCounter && ref == "" {
		return nil, invalid(FieldPayRef, "ghi mã giao dịch của ngân hàng hoặc cổng thanh toán", "give the bank's or the payment gateway's reference")
	}
	if receipt == "" {
		return nil, invalid(FieldPayReceipt, "ghi số biên lai đã cấp", "give the number of the receipt issued")
	}
	if len(ref) > maxReference || len(receipt) > maxReference {
		return nil, invalid(FieldPayRef, fmt.Sprintf("tối đa %d ký tự", maxReference), fmt.Sprintf("at most %d characters", maxReference))
	}
	if len(d.History) >= MaxHistoryRows-1 {
		// The last row is kept for the action that finishes the dossier.
		return nil, &HistoryFullError{Code: d.Code, Rows: len(d.History)}
	}
	now = storeInstant(now)
	nd := d.Clone()
	paid := now
	nd.Fees[i] = FeeRecord{ID: f.ID, Amount: f.Amount, Copies: f.Copies, Paid: true, Method: in.Method, Reference: ref, Receipt: receipt, PaidAt: &paid, By: in.Actor}
	inputs := map[string]string{"fee": f.ID, "amount": strconv.FormatInt(f.Amount, 10), "method": string(in.Method), "receipt": receipt}
	if ref != "" {
		inputs["reference"] = ref
	}
	row := HistoryRow{
		Seq: len(d.History) + 1, At: now, Action: ActionPayFee, Actor: in.Actor,
		FromState: d.State, ToState: d.State, FromUnit: d.Unit, ToUnit: d.Unit, Inputs: inputs,
	}
	nd.History = append(nd.History, row)
	nd.UpdatedAt = now
	return &Decision{Dossier: nd, Row: row}, nil
}

// Pay records a payment on dossier code (see Pay), with one conditional
// write on the version read, or on expect when it is positive (a stale
// page is a *ConflictError).
func (e *Engine) Pay(ctx context.Context, code string, in PayInput, expect int64) (*Dossier, error) {
	for attempt := 0; ; attempt++ {
		d, err := e.Get(ctx, code)
		if err != nil {
			return nil, err
		}
		if expect > 0 && d.Version != expect {
			return nil, &ConflictError{Code: code, Version: expect}
		}
		env, err := e.EnvFor(d)
		if err != nil {
			return nil, err
		}
		dec, err := Pay(env, d, in, e.Now.Time())
		if err != nil {
			return nil, err
		}
		nd := dec.Dossier
		nd.Version = d.Version + 1
		err = e.Store.Apply(ctx, nd, d.Version, nil)
		if ErrorCode(err) == ECONFLICT && expect == 0 && attempt+1 < e.retries() {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("pay %s: %w", code, err)
		}
		return nd, nil
	}
}
