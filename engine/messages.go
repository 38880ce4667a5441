package engine

import (
	"errors"
	"fmt"
	"strings"
)

// Describe renders the core's typed errors for people, in Vietnamese and
// in English, as short sentences without a final period. ok is false for
// any other error: the caller decides what to show (never an internal
// error's text). It is the one place these words live, shared by the API,
// the web pages and the simulator.
func Describe(err error) (vi, en string, ok bool) {
	var (
		nf *NotFoundError
		ua *UnknownActionError
		na *NotAllowedError
		fb *ForbiddenError
		mi *MissingInputError
		ii *InvalidInputError
		lr *LimitReachedError
		fe *FinishedError
		ce *ConflictError
		de *DuplicateError
		pc *ProcedureChangedError
	)
	switch {
	case errors.As(err, &nf):
		return fmt.Sprintf("Không tìm thấy %s %q", whatVI(nf.What), nf.ID), fmt.Sprintf("%s %q not found", nf.What, nf.ID), true
	case errors.As(err, &ua):
		return fmt.Sprintf("Thủ tục %s không có thao tác %q", ua.Procedure, ua.Action),
			fmt.Sprintf("Procedure %s has no action %q", ua.Procedure, ua.Action), true
	case errors.As(err, &na):
		return fmt.Sprintf("Không thể thực hiện %q khi hồ sơ ở bước %q", na.Action, na.State),
			fmt.Sprintf("Action %q is not allowed in state %q", na.Action, na.State), true
	case errors.As(err, &fb) && fb.Reason != "":
		return fmt.Sprintf("%s không được thực hiện thao tác này: %s", fb.Person, fb.Reason),
			fmt.Sprintf("%s may not do this: %s", fb.Person, fb.Reason), true
	case errors.As(err, &fb):
		units := strings.Join(fb.Units, ", ")
		return fmt.Sprintf("%s không thuộc đơn vị được xử lý bước này; chỉ cán bộ của %s được thực hiện", fb.Person, units),
			fmt.Sprintf("%s may not act here: only members of %s may", fb.Person, units), true
	case errors.As(err, &mi):
		inputs := strings.Join(mi.Inputs, ", ")
		return fmt.Sprintf("Thao tác %q cần nhập: %s", mi.Action, inputs),
			fmt.Sprintf("Action %q requires: %s", mi.Action, inputs), true
	case errors.As(err, &ii):
		return fmt.Sprintf("Giá trị %s không hợp lệ: %s", ii.Field, ii.Reason),
			fmt.Sprintf("Invalid %s: %s", ii.Field, ii.Reason), true
	case errors.As(err, &lr):
		return fmt.Sprintf("Thao tác %q chỉ được dùng tối đa %d lần cho mỗi hồ sơ", lr.Action, lr.Max),
			fmt.Sprintf("Action %q may be used at most %d time(s) per dossier", lr.Action, lr.Max), true
	case errors.As(err, &fe):
		return fmt.Sprintf("Hồ sơ %s đã kết thúc (bước %q)", fe.Code, fe.State),
			fmt.Sprintf("Dossier %s is finished (state %q)", fe.Code, fe.State), true
	case errors.As(err, &ce):
		return fmt.Sprintf("Hồ sơ %s đã thay đổi sau phiên bản %d; hãy tải lại", ce.Code, ce.Version),
			fmt.Sprintf("Dossier %s changed since version %d; reload it", ce.Code, ce.Version), true
	case errors.As(err, &pc):
		return fmt.Sprintf("Thủ tục %s phiên bản %d đã được ban hành với nội dung khác; hãy tăng version để ban hành bản sửa đổi", pc.Code, pc.Version),
			fmt.Sprintf("Procedure %s version %d is already published with other content; raise version for a new revision", pc.Code, pc.Version), true
	case errors.As(err, &de) && de.Key != "":
		return "Khoá chống lặp " + de.Key + " đã được dùng", "Reception key " + de.Key + " already used", true
	case errors.As(err, &de):
		return "Hồ sơ " + de.Code + " đã tồn tại", "Dossier " + de.Code + " already exists", true
	}
	return "", "", false
}

// whatVI names a NotFoundError's subject in Vietnamese.
func whatVI(what string) string {
	switch what {
	case "procedure":
		return "thủ tục"
	case "dossier":
		return "hồ sơ"
	case "person":
		return "cán bộ"
	case "unit":
		return "đơn vị"
	case "action":
		return "thao tác"
	case "year":
		return "năm"
	case "credential":
		return "thông tin đăng nhập"
	}
	return what
}
