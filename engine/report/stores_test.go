package report_test

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/mongostore"
	"github.com/motcua/motcua/engine/report"
	"github.com/motcua/motcua/engine/sqlitestore"
	"github.com/motcua/motcua/internal/ferrettest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	ferrettest.Stop()
	os.Exit(code)
}

func openSQLite(t testing.TB) *sqlitestore.Store {
	t.Helper()
	st, err := sqlitestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func openMongo(t testing.TB) *mongostore.Store {
	t.Helper()
	uri := ferrettest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := mongostore.Open(ctx, uri, ferrettest.DBName(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = st.Database().Drop(context.Background())
		_ = st.Close()
	})
	return st
}

// TestMarchOnSQLite: the seeded month, built through the engine on the
// embedded store, gives the hand-counted figures.
func TestMarchOnSQLite(t *testing.T) {
	t.Parallel()
	st := openSQLite(t)
	m := seedMarch(t, st)
	checkMarch(t, st, m)
}

// TestSameFiguresOnBothStores: the same month on MongoDB (FerretDB here)
// gives the hand-counted figures and a JSON report identical byte for
// byte to SQLite's, for every grouping.
func TestSameFiguresOnBothStores(t *testing.T) {
	t.Parallel()
	lite, mongo := openSQLite(t), openMongo(t)
	m := seedMarch(t, lite)
	seedMarch(t, mongo)
	checkMarch(t, mongo, m)
	for _, by := range report.Groupings {
		var out [2]bytes.Buffer
		for i, src := range []report.Source{lite, mongo} {
			q := march(by)
			q.Directory = enginetest.SampleDirectory()
			r, err := report.Compute(context.Background(), src, calendar.VN(), q)
			if err != nil {
				t.Fatal(err)
			}
			if err := report.WriteJSON(&out[i], r); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(out[0].Bytes(), out[1].Bytes()) {
			t.Errorf("by %s: SQLite and MongoDB disagree:\n%s\n---\n%s", by, out[0].Bytes(), out[1].Bytes())
		}
	}
}
