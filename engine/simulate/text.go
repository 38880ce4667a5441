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
	var nr *notReceivedError
	if errors.Is(err, ErrNoSweeper) {
		return "chưa có bộ theo dõi thời hạn (deadline watch)"
	}
	if errors.As(err, &nr) {
		return fmt.Sprintf("hồ sơ %s chưa được tiếp nhận (bước tiếp nhận bị từ chối)", nr.ref)
	}
	if vi, _, ok := engine.Describe(err); ok {
		return vi
	}
	return err.Error()
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
