package engine_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/motcua/motcua/engine"
)

func TestDescribeSpeaksVietnameseAndEnglish(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule   string
		err    error
		vi, en string
	}{
		{"an unknown dossier names what is missing", &engine.NotFoundError{What: "dossier", ID: "X-1"}, `Không tìm thấy hồ sơ "X-1"`, `Dossier "X-1" not found`},
		{"an action from the wrong state names both", &engine.NotAllowedError{Action: "ky", State: "tiep-nhan"}, `Không thể thực hiện "ky" khi hồ sơ ở bước "tiep-nhan"`, `Action "ky" is not allowed in state "tiep-nhan"`},
		{"a stale action names the step where the dossier now is, in words", &engine.NotAllowedError{Action: "ky", State: "tra", ActionName: "Ký duyệt", ActionNameEN: "Sign", StepName: "Trả kết quả", StepNameEN: "Returning"},
			"Không thể “Ký duyệt”: hồ sơ hiện đang ở bước “Trả kết quả”. Hãy xem lại hồ sơ trước khi thao tác.", "“Sign” can no longer be done: the dossier is now at the step “Returning”. Check the dossier before acting."},
		{"an officer of another unit is told who may act", &engine.ForbiddenError{Person: "ha", Units: []string{"mot-cua"}}, "ha không thuộc đơn vị được xử lý bước này; chỉ cán bộ của mot-cua được thực hiện", "ha may not act here: only members of mot-cua may"},
		{"missing inputs are listed", &engine.MissingInputError{Action: "tu-choi", Inputs: []string{"reason"}}, `Thao tác "tu-choi" cần nhập: reason`, `Action "tu-choi" requires: reason`},
		{"the apology letter's once-only rule is explained", &engine.LimitReachedError{Action: "xin-loi", Max: 1}, `Thao tác "xin-loi" chỉ được dùng tối đa 1 lần cho mỗi hồ sơ`, `Action "xin-loi" may be used at most 1 time(s) per dossier`},
		{"a stale version asks to reload", &engine.ConflictError{Code: "X-1", Version: 3}, "Hồ sơ X-1 đã thay đổi sau phiên bản 3; hãy tải lại", "Dossier X-1 changed since version 3; reload it"},
		{"a published procedure version may not change", &engine.ProcedureChangedError{Code: "1.001193", Version: 3}, "Thủ tục 1.001193 phiên bản 3 đã được ban hành với nội dung khác; hãy tăng version để ban hành bản sửa đổi", "Procedure 1.001193 version 3 is already published with other content; raise version for a new revision"},
		{"wrapping keeps the words", fmt.Errorf("act: %w", &engine.FinishedError{Code: "X-1", State: "xong"}), `Hồ sơ X-1 đã kết thúc (bước "xong")`, `Dossier X-1 is finished (state "xong")`},
		{"an unknown action names the procedure", &engine.UnknownActionError{Procedure: "1.001193", Action: "bay"}, `Thủ tục 1.001193 không có thao tác "bay"`, `Procedure 1.001193 has no action "bay"`},
		{"a forbidden act with a reason gives the reason", &engine.ForbiddenError{Person: "ha", Reason: "chỉ lãnh đạo"}, "ha không được thực hiện thao tác này: chỉ lãnh đạo", "ha may not do this: chỉ lãnh đạo"},
		{"a bad value names its field", &engine.InvalidInputError{Field: "due_at", Reason: "in the past"}, "Giá trị due_at không hợp lệ: in the past", "Invalid due_at: in the past"},
		{"a reused reception key is named", &engine.DuplicateError{Code: "X-1", Key: "k1"}, "Khoá chống lặp k1 đã được dùng", "Reception key k1 already used"},
		{"a duplicate code is named", &engine.DuplicateError{Code: "X-1"}, "Hồ sơ X-1 đã tồn tại", "Dossier X-1 already exists"},
		{"the outermost error that speaks speaks first", fmt.Errorf("load: %w", &outer{inner: &engine.ConflictError{Code: "X-1", Version: 3}}), "lời ngoài", "outer words"},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			vi, en, ok := engine.Describe(tc.err)
			if !ok || vi != tc.vi || en != tc.en {
				t.Errorf("Describe = %q, %q, %v; want %q, %q", vi, en, ok, tc.vi, tc.en)
			}
		})
	}
	if _, _, ok := engine.Describe(errors.New("disk full")); ok {
		t.Error("rule: an error that is not the core's own gets no words (its text may be internal)")
	}
}

// outer is a wrapper with words of its own, like the command line's
// publishing error around the core's ProcedureChangedError.
type outer struct{ inner error }

func (e *outer) Error() string { return "outer" }
func (e *outer) Unwrap() error { return e.inner }
func (e *outer) Message(lang string) string {
	if lang == "en" {
		return "outer words"
	}
	return "lời ngoài"
}
