package httpapi

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// BenchmarkDeskViews measures the desk's views of issue 11 against its
// own inbox in the same run, on the SQLite store holding 3,000 open
// dossiers the desk received (a third still at the desk, a third with
// the office, a third waiting for the citizen). The received list and
// the supplement queue filter on the receiving unit in the engine (the
// store indexes the responsible unit only), so they read every open
// dossier, or every paused one, per page; the inbox reads its page
// through an index. Run it bounded:
//
//	go test ./engine/httpapi -run '^$' -bench DeskViews -benchtime 2s
func BenchmarkDeskViews(b *testing.B) {
	const open = 3000
	bd := setup(b)
	ctx := context.Background()
	for i := 0; i < open; i++ {
		bd.clock.Set(enginetest.Monday.Add(time.Duration(i/400) * 24 * time.Hour).Add(time.Duration(i%400) * time.Minute))
		d, err := bd.eng.Receive(ctx, enginetest.SampleCode, 0, enginetest.SampleReception(fmt.Sprintf("Người nộp %05d", i)))
		if err != nil {
			b.Fatal(err)
		}
		if i%3 == 0 {
			continue
		}
		if _, err := bd.eng.Act(ctx, d.Code, engine.ActInput{Action: "chuyen", Actor: receiver}, 0); err != nil {
			b.Fatal(err)
		}
		if i%3 == 2 {
			if _, err := bd.eng.Act(ctx, d.Code, engine.ActInput{Action: "yeu_cau_bo_sung", Actor: officer, Inputs: map[string]string{"reason": "thiếu"}}, 0); err != nil {
				b.Fatal(err)
			}
		}
	}
	desk, _ := bd.eng.Directory.Person(receiver)
	for _, c := range []struct {
		name string
		path string
	}{
		{"inbox", "/api/v1/inbox"},
		{"received", "/api/v1/inbox?view=received"},
		{"supplement", "/api/v1/inbox?view=supplement"},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", c.path, nil)
			for b.Loop() {
				pg, _, err := bd.srv.inboxPage(r, desk)
				if err != nil || len(pg.Items) == 0 {
					b.Fatalf("%s: %v, %d items", c.path, err, len(pg.Items))
				}
			}
		})
	}
}
