package engine

import (
	"errors"
	"fmt"
	"strings"
)

// Localized is an error that speaks to people. Message returns its words
// in lang ("en" for English, anything else Vietnamese) as a short
// sentence; a final period is optional, the API adds one where missing.
//
// It is the one shape of words for errors: the core's typed errors below,
// auth's, the reports' query errors, the embedded store's lock and the
// HTTP layer's own all implement it, and every layer that shows an error
// (the API, the web pages, the command line, the simulator) asks for the
// words through Describe. An error implements it only if its words may be
// shown to anyone: an internal error's text may hold paths, SQL or
// personal data.
type Localized interface {
	error
	Message(lang string) string
}

// Describe renders err for people, in Vietnamese and in English, from the
// outermost error in its chain that is Localized (so a wrapper with more
// context speaks before the error it wraps). ok is false for any other
// error: the caller decides what to show (never an internal error's text;
// Code.Message has generic words).
func Describe(err error) (vi, en string, ok bool) {
	var l Localized
	if !errors.As(err, &l) {
		return "", "", false
	}
	return l.Message("vi"), l.Message("en"), true
}

// The core's words: short sentences without a final period, Vietnamese
// unless lang is "en".

// Message implements Localized.
func (e *NotFoundError) Message(lang string) string {
	if lang == "en" {
		// A sentence for people, as the Vietnamese is: "Dossier … not
		// found" (Error keeps the lower-case form for logs).
		what := e.What
		if what != "" {
			what = strings.ToUpper(what[:1]) + what[1:]
		}
		return fmt.Sprintf("%s %q not found", what, e.ID)
	}
	return fmt.Sprintf("Không tìm thấy %s %q", whatVI(e.What), e.ID)
}

// Message implements Localized.
func (e *UnknownActionError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("Procedure %s has no action %q", e.Procedure, e.Action)
	}
	return fmt.Sprintf("Thủ tục %s không có thao tác %q", e.Procedure, e.Action)
}

// Message implements Localized.
func (e *NotAllowedError) Message(lang string) string {
	if e.StepName != "" {
		action, step := orID(e.ActionName, e.Action), e.StepName
		if lang == "en" {
			action, step = orID(e.ActionNameEN, action), orID(e.StepNameEN, step)
			return fmt.Sprintf("“%s” can no longer be done: the dossier is now at the step “%s”. Check the dossier before acting.", action, step)
		}
		return fmt.Sprintf("Không thể “%s”: hồ sơ hiện đang ở bước “%s”. Hãy xem lại hồ sơ trước khi thao tác.", action, step)
	}
	if lang == "en" {
		return fmt.Sprintf("Action %q is not allowed in state %q", e.Action, e.State)
	}
	return fmt.Sprintf("Không thể thực hiện %q khi hồ sơ ở bước %q", e.Action, e.State)
}

// Message implements Localized: the reason when the rule gave one, else
// the units that may act.
func (e *ForbiddenError) Message(lang string) string {
	if e.Reason != "" {
		if lang == "en" {
			return fmt.Sprintf("%s may not do this: %s", e.Person, e.Reason)
		}
		return fmt.Sprintf("%s không được thực hiện thao tác này: %s", e.Person, e.Reason)
	}
	units := strings.Join(e.Units, ", ")
	if lang == "en" {
		return fmt.Sprintf("%s may not act here: only members of %s may", e.Person, units)
	}
	return fmt.Sprintf("%s không thuộc đơn vị được xử lý bước này; chỉ cán bộ của %s được thực hiện", e.Person, units)
}

// Message implements Localized.
func (e *MissingInputError) Message(lang string) string {
	inputs := strings.Join(e.Inputs, ", ")
	if lang == "en" {
		return fmt.Sprintf("Action %q requires: %s", e.Action, inputs)
	}
	return fmt.Sprintf("Thao tác %q cần nhập: %s", e.Action, inputs)
}

// Message implements Localized: the field, by its label when it has
// one, and the reason.
func (e *InvalidInputError) Message(lang string) string {
	if len(e.More) > 0 {
		var msgs []string
		for _, f := range e.Fields() {
			msgs = append(msgs, f.Message(lang))
		}
		return strings.Join(msgs, "; ")
	}
	label := e.Field
	if l, ok := fieldLabels[e.Field]; ok {
		label = pickLang(l[0], l[1], lang)
	}
	if lang == "en" {
		return fmt.Sprintf("Invalid %s: %s", label, e.Reason)
	}
	return fmt.Sprintf("Giá trị %s không hợp lệ: %s", label, e.ReasonIn(lang))
}

// ReasonIn returns the reason alone in lang, for a page that shows it
// beside the field it concerns.
func (e *InvalidInputError) ReasonIn(lang string) string {
	if lang != "en" && e.ReasonVI != "" {
		return e.ReasonVI
	}
	return e.Reason
}

// fieldLabels are the words people read for the reception's fields.
var fieldLabels = map[string][2]string{
	FieldName:           {"họ và tên", "name"},
	FieldIDNo:           {"số căn cước", "căn cước number"},
	FieldPhone:          {"số điện thoại", "phone number"},
	FieldEmail:          {"thư điện tử", "e-mail"},
	FieldSets:           {"số bộ hồ sơ", "number of sets"},
	FieldReceivedAt:     {"thời điểm tiếp nhận", "reception time"},
	FieldBackdateReason: {"lý do ghi lùi thời điểm tiếp nhận", "reason for the earlier reception time"},
}

func pickLang(vi, en, lang string) string {
	if lang == "en" {
		return en
	}
	return vi
}

// Message implements Localized.
func (e *LimitReachedError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("Action %q may be used at most %d time(s) per dossier", e.Action, e.Max)
	}
	return fmt.Sprintf("Thao tác %q chỉ được dùng tối đa %d lần cho mỗi hồ sơ", e.Action, e.Max)
}

// Message implements Localized.
func (e *FinishedError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("Dossier %s is finished (state %q)", e.Code, e.State)
	}
	return fmt.Sprintf("Hồ sơ %s đã kết thúc (bước %q)", e.Code, e.State)
}

// Message implements Localized.
func (e *ConflictError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("Dossier %s changed since version %d; reload it", e.Code, e.Version)
	}
	return fmt.Sprintf("Hồ sơ %s đã thay đổi sau phiên bản %d; hãy tải lại", e.Code, e.Version)
}

// Message implements Localized.
func (e *NotificationChangedError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("Notification %s was recorded by another dispatcher", e.ID)
	}
	return fmt.Sprintf("Thông báo %s đã được một tiến trình gửi khác ghi nhận", e.ID)
}

// Message implements Localized. The hashes stay in Error, for the logs.
func (e *ProcedureChangedError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("Procedure %s version %d is already published with other content; raise version for a new revision", e.Code, e.Version)
	}
	return fmt.Sprintf("Thủ tục %s phiên bản %d đã được ban hành với nội dung khác; hãy tăng version để ban hành bản sửa đổi", e.Code, e.Version)
}

// Message implements Localized: the reception key when that is what was
// reused, else the dossier code.
func (e *DuplicateError) Message(lang string) string {
	switch {
	case e.Key != "" && lang == "en":
		return "Reception key " + e.Key + " already used"
	case e.Key != "":
		return "Khoá chống lặp " + e.Key + " đã được dùng"
	case lang == "en":
		return "Dossier " + e.Code + " already exists"
	}
	return "Hồ sơ " + e.Code + " đã tồn tại"
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

// Message implements Localized.
func (e *SchemaTooNewError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("The %s data was written by a newer motcua (schema %d, this one knows %d): run that version or a later one", e.Store, e.Have, e.Know)
	}
	return fmt.Sprintf("Dữ liệu %s do một phiên bản motcua mới hơn ghi (lược đồ %d, bản này chỉ biết đến %d): hãy chạy phiên bản đó hoặc mới hơn", e.Store, e.Have, e.Know)
}

// orID is name, or id when the name is empty.
func orID(name, id string) string {
	if name != "" {
		return name
	}
	return id
}
