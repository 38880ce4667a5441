package enginetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// searchTests pin the one search box (Query.Text over engine.SearchKeys),
// the list filters of issue 11 and keyset paging (Query.After).
var searchTests = []storeTest{
	{"List/SearchIgnoresCaseAndDiacritics", false, testSearchFolded},
	{"List/SearchFollowsTheApplicant", false, testSearchAfterApply},
	{"List/ChannelAndDueRange", false, testChannelAndDue},
	{"List/KeysetPagingIsStableUnderInserts", false, testKeysetPaging},
}

// searchFixture stores four dossiers with distinct names, ID numbers and
// phones.
func searchFixture(t *testing.T, s engine.Store) {
	for _, f := range []struct {
		code, name, id, phone string
	}{
		{"XA01-260302-0001", "Trần Thị Bình", "001090000011", "0912345678"},
		{"XA01-260302-0002", "Đặng Văn Cường", "001090000022", "+84 987 654 321"},
		{"XA01-260303-0001", "NGUYỄN BÌNH AN", "001090000033", "024.3825.1234"},
		{"XA02-260304-0001", "Lê Thị Dung", "", ""},
	} {
		mustInsert(t, s, NewDossier(f.code, func(d *engine.Dossier) {
			d.ReceiveKey = ""
			d.Applicant.Name, d.Applicant.IDNo, d.Applicant.Phone = f.name, f.id, f.phone
		}))
	}
}

func testSearchFolded(t *testing.T, s engine.Store) {
	searchFixture(t, s)
	const (
		A = "XA01-260302-0001"
		B = "XA01-260302-0002"
		C = "XA01-260303-0001"
		D = "XA02-260304-0001"
	)
	for _, c := range []struct {
		rule string
		text string
		want []string
	}{
		{"a word without diacritics finds it with them", "binh", []string{A, C}},
		{"upper case and diacritics alike", "BÌNH", []string{A, C}},
		{"đ folds to d", "dang", []string{B}},
		{"a word's beginning", "cuo", []string{B}},
		{"a name written in capitals", "nguyen binh", []string{C}},
		{"several words in their order", "thi binh", []string{A}},
		{"words out of order do not match", "binh thi", nil},
		{"the middle of a word does not match", "inh", nil},
		{"the ID number", "001090000022", []string{B}},
		{"the phone as written in the national form", "0912 345", []string{A}},
		{"a phone written +84 found by its national form", "0987654", []string{B}},
		{"a phone written 0 found by its international form", "+84912", []string{A}},
		{"a landline with dots", "0243825", []string{C}},
		{"the code's prefix, any case", "xa01-260302", []string{A, B}},
		{"the code's day", "260303", []string{C}},
		{"a text only of marks is blank", "\u0300", []string{A, B, C, D}},
	} {
		got, err := s.List(t.Context(), engine.Query{Text: c.text})
		if err != nil {
			t.Errorf("%s: %v", c.rule, err)
			continue
		}
		if codes := codesOf(got); !slices.Equal(codes, c.want) {
			t.Errorf("%s (%q): got %v, want %v", c.rule, c.text, codes, c.want)
		}
	}
	// With the other filters and orders.
	got, err := s.List(t.Context(), engine.Query{Text: "binh", Units: []string{UnitOffice}, OrderByDue: true, Limit: 1})
	if err != nil || !slices.Equal(codesOf(got), []string{A}) {
		t.Errorf("search in a unit by due, a page of one: got %v (%v), want [%s]", codesOf(got), err, A)
	}
}

// testSearchAfterApply checks that a transition that corrects the
// applicant's name moves the dossier's keys with it.
func testSearchAfterApply(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	nd := next(d, "phe_duyet", at(hour))
	nd.Applicant.Name = "Hoàng Thị Mai"
	if err := s.Apply(t.Context(), nd, 1, nil); err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]int{"mai": 1, "hoang": 1, "an": 0, "nguyen": 0, "0912": 1} {
		got, err := s.List(t.Context(), engine.Query{Text: text})
		if err != nil || len(got) != want {
			t.Errorf("after the name changed, %q finds %d (%v), want %d", text, len(got), err, want)
		}
	}
}

func testChannelAndDue(t *testing.T, s engine.Store) {
	listFixture(t, s)
	const (
		A = "XA01-260302-0001" // due 7d
		B = "XA01-260302-0002" // due 1d
		C = "XA01-260303-0001" // no due (paused)
		D = "XA01-260303-0002" // due 1h, finished
		E = "XA02-260304-0001" // due 3d
		F = "XA01-260304-0001" // due 1d
	)
	post := NewDossier("XA03-260305-0001", func(d *engine.Dossier) {
		d.ReceiveKey, d.Channel, d.DueAt = "", engine.ChannelPost, nil
	})
	mustInsert(t, s, post)
	for _, c := range []struct {
		rule string
		q    engine.Query
		want []string
	}{
		{"channel", engine.Query{Channel: engine.ChannelPost}, []string{post.Code}},
		{"another channel", engine.Query{Channel: engine.ChannelOnline}, []string{A, B, C, D, F, E}},
		{"due range [from, to)", engine.Query{DueFrom: at(day), DueTo: at(3 * day)}, []string{B, F}},
		{"due to only: before it", engine.Query{DueTo: at(day)}, []string{D}},
		{"due from only: no due instant never matches", engine.Query{DueFrom: at(3 * day)}, []string{A, E}},
		{"due range by due", engine.Query{DueFrom: at(hour), DueTo: at(7*day + time.Millisecond), OrderByDue: true}, []string{D, B, F, E, A}},
		{"channel and due together", engine.Query{Channel: engine.ChannelPost, DueFrom: at(0)}, nil},
	} {
		got, err := s.List(t.Context(), c.q)
		if err != nil {
			t.Errorf("%s: %v", c.rule, err)
			continue
		}
		if codes := codesOf(got); !slices.Equal(codes, c.want) {
			t.Errorf("%s: got %v, want %v", c.rule, codes, c.want)
		}
	}
}

// testKeysetPaging reads a list page by page with Query.After, in both
// orders, and receives dossiers between the pages, before and after the
// position reached: no row is listed twice and none of those stored at
// the start is skipped.
func testKeysetPaging(t *testing.T, s engine.Store) {
	for _, byDue := range []bool{false, true} {
		t.Run(fmt.Sprintf("byDue=%v", byDue), func(t *testing.T) {
			prefix := "XB01"
			if byDue {
				prefix = "XB02"
			}
			var first []string
			for i := range 10 {
				code := fmt.Sprintf("%s-260302-%04d", prefix, 10*i+5)
				first = append(first, code)
				mustInsert(t, s, NewDossier(code, func(d *engine.Dossier) {
					d.ReceiveKey, d.Unit = "", prefix
					if i%4 == 3 {
						d.DueAt, d.Status = nil, engine.StatusPaused // none last
					} else {
						d.DueAt = ptr(at(10*day - time.Duration(i)*day))
					}
				}))
			}
			q := engine.Query{Units: []string{prefix}, OrderByDue: byDue, Limit: 3}
			seen := map[string]int{}
			inserted := 0
			for page := 0; page < 20; page++ {
				got, err := s.List(t.Context(), q)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) == 0 {
					break
				}
				for _, d := range got {
					seen[d.Code]++
				}
				q.After = engine.PositionOf(got[len(got)-1], q)
				// Between pages a dossier arrives that sorts before the
				// position, and one after it.
				for _, n := range []int{0, 99} {
					inserted++
					code := fmt.Sprintf("%s-260302-%04d", prefix, n*100+2*inserted) // even: never a first code
					mustInsert(t, s, NewDossier(code, func(d *engine.Dossier) {
						d.ReceiveKey, d.Unit = "", prefix
						d.DueAt = ptr(at(time.Duration(n/99) * 20 * day)) // first, or after every other due
					}))
				}
			}
			for code, n := range seen {
				if n > 1 {
					t.Errorf("%s listed %d times", code, n)
				}
			}
			for _, code := range first {
				if seen[code] == 0 {
					t.Errorf("%s, stored before the first page, skipped", code)
				}
			}
		})
	}
}
