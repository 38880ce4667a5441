package simulate

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/engine"
)

// WriteText writes the result as tables for people, in Vietnamese
// unless lang is "en": the dossiers, the notifications and the rejected
// steps, instants as a clerk reads them.
func (r *Result) WriteText(w io.Writer, lang string) error {
	en := lang == "en"
	t := func(vi, e string) string {
		if en {
			return e
		}
		return vi
	}
	when := func(s *string) string {
		if s == nil {
			return "—"
		}
		v, err := time.Parse(time.RFC3339, *s)
		if err != nil {
			return *s
		}
		return r.cal.FormatInstant(v, lang)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s (%d)\n", t("HỒ SƠ", "DOSSIERS"), len(r.Dossiers))
	if len(r.Dossiers) > 0 {
		fmt.Fprintln(tw, t("Ref\tMã hồ sơ\tThủ tục\tTrạng thái\tTiếp nhận\tHạn giải quyết\tHạn bước\tKết thúc\tKết quả",
			"Ref\tCode\tProcedure\tState\tReceived\tDue\tStep due\tFinished\tResult"))
	}
	for _, d := range r.Dossiers {
		recv := d.ReceivedAt
		result := statusText(d.Status, lang)
		if d.Status == engine.StatusFinished {
			result = outcomeText(d.Result, lang)
			if d.Timeliness != "" {
				result += ", " + timelinessText(d.Timeliness, lang)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s v%d\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Ref, d.Code, d.Procedure, d.Version, d.State,
			when(&recv), when(d.DueAt), when(d.StepDueAt), when(d.FinishedAt), result)
	}
	fmt.Fprintf(tw, "\n%s (%d)\n", t("THÔNG BÁO", "NOTIFICATIONS"), len(r.Notifications))
	if len(r.Notifications) > 0 {
		fmt.Fprintln(tw, t("Lúc\tRef\tLoại\tMức\tGửi tới", "At\tRef\tKind\tLevel\tTo"))
	}
	for _, n := range r.Notifications {
		at := n.At
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", when(&at), n.Ref, n.Kind, n.Level, strings.Join(n.To, ", "))
	}
	fmt.Fprintf(tw, "\n%s (%d)\n", t("BƯỚC BỊ TỪ CHỐI", "REJECTED STEPS"), len(r.Errors))
	if len(r.Errors) > 0 {
		fmt.Fprintln(tw, t("Bước\tRef\tLý do", "Step\tRef\tReason"))
	}
	for _, e := range r.Errors {
		fmt.Fprintf(tw, "%d\t%s\t%s\n", e.Index+1, e.Ref, Message(e.err, lang))
	}
	return tw.Flush()
}

// Message renders a step's rejection for people: the typed engine
// errors in Vietnamese (or English with lang "en"), anything else as is.
func Message(err error, lang string) string {
	if err == nil {
		return ""
	}
	if lang == "en" {
		return err.Error()
	}
	var (
		unknown   *engine.UnknownActionError
		notAllow  *engine.NotAllowedError
		forbidden *engine.ForbiddenError
		notFound  *engine.NotFoundError
		missing   *engine.MissingInputError
		invalid   *engine.InvalidInputError
		limit     *engine.LimitReachedError
		finished  *engine.FinishedError
		conflict  *engine.ConflictError
	)
	switch {
	case errors.Is(err, ErrNoSweeper):
		return "chưa có bộ theo dõi thời hạn (deadline watch)"
	case errors.As(err, &unknown):
		return fmt.Sprintf("thủ tục %s không có thao tác %q", unknown.Procedure, unknown.Action)
	case errors.As(err, &notAllow):
		return fmt.Sprintf("không được thực hiện %q khi hồ sơ ở bước %q", notAllow.Action, notAllow.State)
	case errors.As(err, &forbidden) && forbidden.Reason != "":
		return fmt.Sprintf("%s không được thực hiện: %s", forbidden.Person, forbidden.Reason)
	case errors.As(err, &forbidden):
		return fmt.Sprintf("%s không thuộc đơn vị được xử lý bước này (%s)", forbidden.Person, strings.Join(forbidden.Units, ", "))
	case errors.As(err, &notFound):
		return fmt.Sprintf("không tìm thấy %s %q", whatVI(notFound.What), notFound.ID)
	case errors.As(err, &missing):
		return fmt.Sprintf("thao tác %q thiếu thông tin bắt buộc: %s", missing.Action, strings.Join(missing.Inputs, ", "))
	case errors.As(err, &invalid):
		return fmt.Sprintf("giá trị %s không hợp lệ: %s", invalid.Field, invalid.Reason)
	case errors.As(err, &limit):
		return fmt.Sprintf("thao tác %q chỉ được dùng tối đa %d lần cho mỗi hồ sơ", limit.Action, limit.Max)
	case errors.As(err, &finished):
		return fmt.Sprintf("hồ sơ %s đã kết thúc (bước %q)", finished.Code, finished.State)
	case errors.As(err, &conflict):
		return fmt.Sprintf("hồ sơ %s đã thay đổi kể từ phiên bản %d", conflict.Code, conflict.Version)
	}
	return err.Error()
}

func whatVI(what string) string {
	switch what {
	case "procedure":
		return "thủ tục"
	case "dossier":
		return "hồ sơ"
	case "person":
		return "người dùng"
	case "unit":
		return "đơn vị"
	}
	return what
}

func statusText(s engine.Status, lang string) string {
	vi := map[engine.Status]string{
		engine.StatusInProgress: "đang giải quyết", engine.StatusPaused: "tạm dừng (chờ bổ sung)", engine.StatusFinished: "đã kết thúc",
	}
	if lang == "en" {
		return strings.ReplaceAll(string(s), "_", " ")
	}
	return vi[s]
}

func outcomeText(o engine.Outcome, lang string) string {
	vi := map[engine.Outcome]string{
		engine.OutcomeApproved: "đã giải quyết", engine.OutcomeRefused: "từ chối", engine.OutcomeWithdrawn: "rút hồ sơ",
	}
	if lang == "en" {
		return string(o)
	}
	return vi[o]
}

func timelinessText(t engine.Timeliness, lang string) string {
	vi := map[engine.Timeliness]string{engine.Early: "trước hạn", engine.OnTime: "đúng hạn", engine.Late: "trễ hạn"}
	if lang == "en" {
		return strings.ReplaceAll(string(t), "_", " ")
	}
	return vi[t]
}
