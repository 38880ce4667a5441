package sqlitestore

import (
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// TestMigrateFillsSearchKeys opens a folder written by the schema before
// the search keys, whose dossiers are JSON documents only, and checks
// that the step fills each dossier's keys and channel from its document,
// so that a folded search finds the dossiers received before the upgrade.
func TestMigrateFillsSearchKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := schemaAt(t, dir, stepWith(t, "CREATE TABLE dossier_search"))
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	for code, a := range map[string]engine.Applicant{
		"XA01-260302-0001": {Name: "Trần Thị Bình", Phone: "0912345678"},
		"XA01-260302-0002": {Name: "Đặng Văn Cường", IDNo: "001090000002"},
	} {
		d := &engine.Dossier{Code: code, Version: 1, State: "s", Unit: "u", Status: engine.StatusInProgress,
			Procedure: "P", Applicant: a, Channel: engine.ChannelPost, ReceivedAt: at}
		doc, err := encodeDossier(d)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO dossiers (code, version, state, unit, status, procedure, kind,
			received_at, due_at, next_check_at, applicant_name, receive_key, doc)
			VALUES (?, 1, 's', 'u', 'in_progress', 'P', '', ?, NULL, NULL, '', NULL, ?)`,
			d.Code, ms(d.ReceivedAt), doc); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []struct {
		rule string
		q    engine.Query
		want []string
	}{
		{"a word without diacritics", engine.Query{Text: "binh"}, []string{"XA01-260302-0001"}},
		{"đ folds to d", engine.Query{Text: "dang"}, []string{"XA01-260302-0002"}},
		{"the phone in the international form", engine.Query{Text: "+8491"}, []string{"XA01-260302-0001"}},
		{"the ID number", engine.Query{Text: "001090000002"}, []string{"XA01-260302-0002"}},
		{"the code's sequence", engine.Query{Text: "0002"}, []string{"XA01-260302-0002"}},
		{"the channel, from the documents", engine.Query{Channel: engine.ChannelPost}, []string{"XA01-260302-0001", "XA01-260302-0002"}},
		{"another channel", engine.Query{Channel: engine.ChannelOnline}, nil},
	} {
		got, err := s.List(t.Context(), c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		var codes []string
		for _, d := range got {
			codes = append(codes, d.Code)
		}
		if !slices.Equal(codes, c.want) {
			t.Errorf("%s: got %v, want %v", c.rule, codes, c.want)
		}
	}
}
