package httpapi

import (
	"context"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestSupplementQueueOffersTheProcedureAction: the queue row offers the
// action out of the waiting state that the dossier's procedure names,
// once: a button when it needs no input (the sample's "Nhận bổ sung"),
// a link to the dossier's form when it asks for some, never a second,
// generic control beside it.
func TestSupplementQueueOffersTheProcedureAction(t *testing.T) {
	t.Parallel()
	withNote := enginetest.SampleProcedure()
	withNote.Code, withNote.Name, withNote.Source = "TEST.02", "Thủ tục ghi nhận bổ sung có ghi chú", "test"
	for _, a := range withNote.Actions {
		if a.ID == "nhan_bo_sung" {
			a.Requires = []string{"note"}
		}
	}
	if err := withNote.Index(); err != nil {
		t.Fatal(err)
	}
	b := setup(t, setupOpts{procs: []*engine.Procedure{withNote}})
	plain := b.receive("Chờ Một", "chuyen", "yeu_cau_bo_sung")
	ctx := context.Background()
	noted, err := b.eng.Receive(ctx, withNote.Code, 0, enginetest.SampleReception("Chờ Hai"))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []engine.ActInput{{Action: "chuyen", Actor: enginetest.Receiver},
		{Action: "yeu_cau_bo_sung", Actor: enginetest.Officer, Inputs: map[string]string{"reason": "thiếu bản sao"}}} {
		if noted, err = b.eng.Act(ctx, noted.Code, in, 0); err != nil {
			t.Fatal(err)
		}
	}
	desk := b.browser(t)
	desk.signIn(enginetest.Receiver)
	_, page, _ := desk.get("/inbox?view=supplement")
	for _, c := range []struct{ rule, code, want string }{
		{"no input: the procedure's action as one button", plain.Code, `data-action="nhan_bo_sung" data-supplement="` + plain.Code + `"`},
		{"with input: a link to the dossier's form, named for the action", noted.Code, `data-action-link="nhan_bo_sung" data-supplement="` + noted.Code + `"`},
	} {
		if n := strings.Count(page, `data-supplement="`+c.code+`"`); n != 1 || !strings.Contains(page, c.want) {
			t.Errorf("%s: %d supplement controls, or no %q", c.rule, n, c.want)
		}
	}
}
