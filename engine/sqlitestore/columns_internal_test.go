package sqlitestore

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// columnsIn lists the column names of a SELECT's list or an UPDATE's SET
// clause, in order.
func columnsIn(t *testing.T, sqlText string) []string {
	t.Helper()
	var list string
	if m := regexp.MustCompile(`(?s)^SELECT\s+(.*?)\s+FROM\s`).FindStringSubmatch(sqlText); m != nil {
		list = m[1]
	} else if m := regexp.MustCompile(`(?s)\sSET\s+(.*?)\s+WHERE\s`).FindStringSubmatch(sqlText); m != nil {
		list = m[1]
	} else {
		t.Fatalf("neither a SELECT nor an UPDATE: %s", sqlText)
	}
	var cols []string
	for _, c := range strings.Split(list, ",") {
		name, _, _ := strings.Cut(strings.TrimSpace(c), " ")
		cols = append(cols, name)
	}
	slices.Sort(cols)
	return cols
}

// TestUpdatesSetEveryColumn: the full update sets every column of a
// dossier's row but its keys and the generated ones, Apply reads each of
// them before choosing its update, and the narrow update sets only
// version, doc and slim. A column added to the table but not to these
// statements fails here: the narrow update would leave it stale.
func TestUpdatesSetEveryColumn(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// table_xinfo lists generated columns too, with hidden = 2 or 3.
	rows, err := s.r.QueryContext(t.Context(), `SELECT name FROM pragma_table_xinfo('dossiers') WHERE hidden = 0`)
	if err != nil {
		t.Fatal(err)
	}
	var table []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		// The code is the key, and the reception key is written once,
		// at reception, under its unique index.
		if name != "code" && name != "receive_key" {
			table = append(table, name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(table)
	if got := columnsIn(t, sqlUpdate); !slices.Equal(got, table) {
		t.Errorf("the full update sets %v, the table has %v", got, table)
	}
	if got := columnsIn(t, sqlCurrentRow); !slices.Equal(got, table) {
		t.Errorf("Apply reads %v of the stored row, the table has %v", got, table)
	}
	if got, want := columnsIn(t, sqlUpdateDoc), []string{"doc", "slim", "version"}; !slices.Equal(got, want) {
		t.Errorf("the narrow update sets %v, want %v", got, want)
	}
}

// TestApplyWritesOnlyTheDocumentWhenNoColumnChanges: an Apply that
// changes none of the row's columns (a note) takes the narrow update, one
// that changes one (the next check, the unit) the full update, and the
// columns, the open counts and the document are right after each.
func TestApplyWritesOnlyTheDocumentWhenNoColumnChanges(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	d := enginetest.NewDossier("XA01-260302-0001")
	if err := s.Insert(ctx, d, nil); err != nil {
		t.Fatal(err)
	}
	step := func(rule string, change func(*engine.Dossier)) *engine.Dossier {
		t.Helper()
		nd := d.Clone()
		nd.Version++
		last := nd.History[len(nd.History)-1]
		at := last.At.Add(time.Hour)
		nd.History = append(nd.History, engine.HistoryRow{Seq: last.Seq + 1, At: at, Action: "ghi_chu", Actor: enginetest.Officer,
			FromState: nd.State, ToState: nd.State, FromUnit: nd.Unit, ToUnit: nd.Unit, Inputs: map[string]string{"note": rule}})
		nd.UpdatedAt = at
		change(nd)
		if err := s.Apply(ctx, nd, d.Version, nil); err != nil {
			t.Fatalf("%s: %v", rule, err)
		}
		return nd
	}
	column := func(name string) any {
		var v any
		if err := s.r.QueryRowContext(ctx, `SELECT `+name+` FROM dossiers WHERE code = ?`, d.Code).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	openIn := func(unit string) int {
		counts, err := s.OpenCounts(ctx, d.UpdatedAt, d.UpdatedAt)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range counts {
			if c.Unit == unit {
				n += c.Open
			}
		}
		return n
	}
	for _, c := range []struct {
		rule       string
		change     func(*engine.Dossier)
		narrow     bool
		col        string
		want       func(*engine.Dossier) any
		officeOpen int
	}{
		{"a note changes no column: only version, doc and slim are written", func(*engine.Dossier) {}, true,
			"version", func(nd *engine.Dossier) any { return nd.Version }, 1},
		{"a new next check is a column (the deadline watch reads it): the full update", func(nd *engine.Dossier) {
			next := nd.NextCheckAt.Add(time.Hour)
			nd.NextCheckAt = &next
		}, false, "next_check_at", func(nd *engine.Dossier) any { return nd.NextCheckAt.UnixMilli() }, 1},
		{"a new unit is a column (inboxes and the open counts read it): the full update", func(nd *engine.Dossier) {
			nd.Unit = enginetest.UnitDesk
			nd.History[len(nd.History)-1].ToUnit = enginetest.UnitDesk
		}, false, "unit", func(nd *engine.Dossier) any { return enginetest.UnitDesk }, 0},
		{"a second note at the new unit: narrow again", func(*engine.Dossier) {}, true,
			"unit", func(nd *engine.Dossier) any { return enginetest.UnitDesk }, 0},
	} {
		before := s.narrowWrites.Load()
		nd := step(c.rule, c.change)
		if narrow := s.narrowWrites.Load() > before; narrow != c.narrow {
			t.Errorf("%s: narrow update %v, want %v", c.rule, narrow, c.narrow)
		}
		if got, want := column(c.col), c.want(nd); got != want {
			t.Errorf("%s: column %s = %v, want %v", c.rule, c.col, got, want)
		}
		if got := openIn(enginetest.UnitOffice); got != c.officeOpen {
			t.Errorf("%s: %d open at the office, want %d", c.rule, got, c.officeOpen)
		}
		got, err := s.Get(ctx, d.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != nd.Version || len(got.History) != len(nd.History) || got.Unit != nd.Unit {
			t.Errorf("%s: read back version %d with %d rows at %s, want %d with %d at %s", c.rule,
				got.Version, len(got.History), got.Unit, nd.Version, len(nd.History), nd.Unit)
		}
		d = got
	}
}
