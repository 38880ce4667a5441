package engine

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// birthWithContents is birthProc with the catalog's components, fees and
// result rule for birth registration.
func birthWithContents(t testing.TB) *Procedure {
	p := birthProc(t)
	p.Components = []Component{
		{ID: "to-khai", Name: "Tờ khai đăng ký khai sinh", NameEN: "Birth registration form", Copy: CopyOriginal, Count: 1, Required: true},
		{ID: "giay-chung-sinh", Name: "Giấy chứng sinh", Copy: CopyOriginal, Count: 1, Required: true},
		{ID: "quyen-su-dung-dat", Name: "Giấy tờ đất", Copy: CopyCertified, Count: 2, Required: true},
		{ID: "tuy-than", Name: "Giấy tờ tùy thân", Copy: CopyAny, Count: 1},
	}
	p.Fees = []Fee{
		{ID: "le-phi", Name: "Lệ phí (miễn)", Amount: 0},
		{ID: "ban-sao", Name: "Phí bản sao trích lục", NameEN: "Copies of the extract", Amount: 8000, Per: FeePerCopy, Due: FeeDueBeforeResult},
		{ID: "dich-vu", Name: "Phí dịch vụ", Amount: 5000},
	}
	p.Result = ResultSpec{Name: "Giấy khai sinh", NameEN: "Birth certificate", File: ResultFileRequired}
	return p
}

// full is a complete checklist for birthWithContents.
func full() []ComponentReceipt {
	return []ComponentReceipt{
		{ID: "to-khai", Copy: CopyOriginal, Count: 1},
		{ID: "giay-chung-sinh", Copy: CopyOriginal, Count: 1},
		{ID: "quyen-su-dung-dat", Copy: CopyCertified, Count: 2},
	}
}

func without(rs []ComponentReceipt, id string) []ComponentReceipt {
	var out []ComponentReceipt
	for _, r := range rs {
		if r.ID != id {
			out = append(out, r)
		}
	}
	return out
}

func with(rs []ComponentReceipt, r ComponentReceipt) []ComponentReceipt {
	return append(without(rs, r.ID), r)
}

// TestCheckComponents names each rule of the reception checklist.
func TestCheckComponents(t *testing.T) {
	t.Parallel()
	p := birthWithContents(t)
	for _, tc := range []struct {
		rule    string
		got     []ComponentReceipt
		missing []string // ids the *IncompleteError lists
		field   string   // the *InvalidInputError's field
		kept    []ComponentReceipt
	}{
		{rule: "a complete checklist is kept in the procedure's order", got: full(), kept: full()},
		{rule: "an optional component is kept when handed in",
			got:  append(full(), ComponentReceipt{ID: "tuy-than", Copy: CopyPlain, Count: 1}),
			kept: append(full(), ComponentReceipt{ID: "tuy-than", Copy: CopyPlain, Count: 1})},
		{rule: "an empty copy kind reads as the kind asked", got: with(full(), ComponentReceipt{ID: "to-khai", Count: 1}), kept: full()},
		{rule: "an original stands for a certified copy",
			got:  with(full(), ComponentReceipt{ID: "quyen-su-dung-dat", Copy: CopyOriginal, Count: 2}),
			kept: []ComponentReceipt{full()[0], full()[1], {ID: "quyen-su-dung-dat", Copy: CopyOriginal, Count: 2}}},
		{rule: "a required component not handed in is missing", got: without(full(), "to-khai"), missing: []string{"to-khai"}},
		{rule: "every missing component is listed, not the first", got: nil, missing: []string{"to-khai", "giay-chung-sinh", "quyen-su-dung-dat"}},
		{rule: "fewer copies than asked is missing", got: with(full(), ComponentReceipt{ID: "quyen-su-dung-dat", Copy: CopyCertified, Count: 1}), missing: []string{"quyen-su-dung-dat"}},
		{rule: "a count of zero is not handed in", got: with(full(), ComponentReceipt{ID: "to-khai", Copy: CopyOriginal, Count: 0}), missing: []string{"to-khai"}},
		{rule: "a copy where an original is asked is missing", got: with(full(), ComponentReceipt{ID: "giay-chung-sinh", Copy: CopyCertified, Count: 1}), missing: []string{"giay-chung-sinh"}},
		{rule: "a plain copy where a certified copy is asked is missing", got: with(full(), ComponentReceipt{ID: "quyen-su-dung-dat", Copy: CopyPlain, Count: 2}), missing: []string{"quyen-su-dung-dat"}},
		{rule: "an unknown component is refused", got: append(full(), ComponentReceipt{ID: "khac", Count: 1}), field: FieldComponents},
		{rule: "a component listed twice is refused", got: append(full(), full()[0]), field: FieldComponents},
		{rule: "a copy kind that is not one is refused", got: with(full(), ComponentReceipt{ID: "to-khai", Copy: "photo", Count: 1}), field: FieldComponents},
		{rule: "any is not a kind handed in", got: with(full(), ComponentReceipt{ID: "to-khai", Copy: CopyAny, Count: 1}), field: FieldComponents},
		{rule: "a negative count is refused", got: with(full(), ComponentReceipt{ID: "to-khai", Copy: CopyOriginal, Count: -1}), field: FieldComponents},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			kept, err := CheckComponents(p, tc.got)
			var inc *IncompleteError
			var bad *InvalidInputError
			switch {
			case tc.missing != nil:
				if !errors.As(err, &inc) {
					t.Fatalf("err = %v, want *IncompleteError", err)
				}
				var ids []string
				for _, m := range inc.Missing {
					ids = append(ids, m.ID)
					if !strings.Contains(inc.Message("vi"), m.Name) {
						t.Errorf("message %q does not name %q", inc.Message("vi"), m.Name)
					}
				}
				if !reflect.DeepEqual(ids, tc.missing) {
					t.Errorf("missing %v, want %v", ids, tc.missing)
				}
				if ErrorCode(err) != EINVALID {
					t.Errorf("code %s", ErrorCode(err))
				}
			case tc.field != "":
				if !errors.As(err, &bad) || bad.Field != tc.field {
					t.Fatalf("err = %v, want invalid %s", err, tc.field)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(kept, tc.kept) {
					t.Errorf("kept %+v, want %+v", kept, tc.kept)
				}
			}
		})
	}
}

// TestNoComponentsNoChecklist: a procedure without components receives as
// before, and refuses a checklist it cannot check.
func TestNoComponentsNoChecklist(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthProc(t))
	in := ReceiveInput{Actor: "tn01", Applicant: Applicant{Name: "A"}}
	if err := CheckReception(env, in, at(t, "2026-03-09T09:00:00+07:00")); err != nil {
		t.Fatal(err)
	}
	in.Components = []ComponentReceipt{{ID: "to-khai", Count: 1}}
	var bad *InvalidInputError
	if err := CheckReception(env, in, at(t, "2026-03-09T09:00:00+07:00")); !errors.As(err, &bad) || bad.Field != FieldComponents {
		t.Fatalf("err = %v", err)
	}
}

// TestReceiveKeepsChecklistAndFees: the dossier keeps the checklist and
// one fee record per fee, a per-copy fee times the copies asked.
func TestReceiveKeepsChecklistAndFees(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthWithContents(t))
	in := ReceiveInput{Actor: "tn01", Applicant: Applicant{Name: "A"}, Components: full(), Copies: map[string]int{"ban-sao": 3}}
	dec, err := Receive(env, in, "UBND-260309-0001", at(t, "2026-03-09T09:00:00+07:00"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(dec.Dossier.Components, full()) {
		t.Errorf("components %+v", dec.Dossier.Components)
	}
	want := []FeeRecord{{ID: "le-phi"}, {ID: "ban-sao", Amount: 24000, Copies: 3}, {ID: "dich-vu", Amount: 5000}}
	if !reflect.DeepEqual(dec.Dossier.Fees, want) {
		t.Errorf("fees %+v, want %+v", dec.Dossier.Fees, want)
	}
	for _, tc := range []struct {
		rule   string
		copies map[string]int
	}{
		{"copies of a flat fee are refused", map[string]int{"dich-vu": 1}},
		{"copies of an unknown fee are refused", map[string]int{"khac": 1}},
		{"a negative number of copies is refused", map[string]int{"ban-sao": -1}},
	} {
		in.Copies = tc.copies
		var bad *InvalidInputError
		if _, err := Receive(env, in, "X", at(t, "2026-03-09T09:00:00+07:00")); !errors.As(err, &bad) || bad.Field != FieldCopies {
			t.Errorf("%s: err = %v", tc.rule, err)
		}
	}
	if got := CompleteChecklist(env.Procedure); !reflect.DeepEqual(got, full()) {
		t.Errorf("CompleteChecklist = %+v", got)
	}
}
