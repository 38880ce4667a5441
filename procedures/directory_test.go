package procedures

import (
	"strings"
	"testing"
)

func TestDirectoryAgencyAndPlace(t *testing.T) {
	t.Parallel()
	const units = "units:\n  - {id: mot-cua, name: Bộ phận Một cửa, head: lan}\npeople:\n  - {id: lan, name: Trần Thị Lan, email: lan@example.gov.vn, units: [mot-cua]}\n"
	for _, tc := range []struct {
		rule          string
		yaml          string
		agency, place string
		err           string
	}{
		{rule: "agency and place are read for printed documents", yaml: "agency: UBND xã Thử Nghiệm\nplace: Thử Nghiệm\n" + units,
			agency: "UBND xã Thử Nghiệm", place: "Thử Nghiệm"},
		{rule: "both are optional", yaml: units},
		{rule: "an empty agency is an error at its node", yaml: "agency: \"\"\n" + units, err: "dir.yaml:1:9:"},
		{rule: "a list is not a place", yaml: "place: [a, b]\n" + units, err: "dir.yaml:1:8:"},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			d, err := ParseDirectory("dir.yaml", []byte(tc.yaml))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one at %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Agency != tc.agency || d.Place != tc.place {
				t.Errorf("agency %q place %q, want %q %q", d.Agency, d.Place, tc.agency, tc.place)
			}
		})
	}
}

// TestPersonIDs names the shapes of person ids the directory accepts:
// those of existing accounts, dotted and e-mail-like, besides kebab-case.
func TestPersonIDs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule string
		id   string
		ok   bool
	}{
		{"kebab-case as units", "tran-thi-lan", true},
		{"underscores", "tn_01", true},
		{"dotted, as existing accounts", "nguyen.van.a", true},
		{"e-mail-like, as existing accounts", "a.nv@xa.gov.vn", true},
		{"digits first", "01.lan", true},
		{"upper case is refused: ids are compared as typed", "Nguyen.Van.A", false},
		{"two @ are refused", "a@b@c.vn", false},
		{"a leading dot is refused", ".lan", false},
		{"a trailing dot is refused", "lan.", false},
		{"two dots in a row after @ are refused", "a@xa..vn", false},
		{"spaces are refused", "nguyen van a", false},
		{"a slash is refused: ids go into paths", "a/b", false},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			y := "units:\n  - {id: mot-cua, name: Bộ phận Một cửa}\npeople:\n  - {id: \"" + tc.id + "\", name: A, email: a@example.gov.vn, units: [mot-cua]}\n"
			d, err := ParseDirectory("dir.yaml", []byte(y))
			if (err == nil) != tc.ok {
				t.Fatalf("id %q: err %v, want ok=%v", tc.id, err, tc.ok)
			}
			if tc.ok {
				if _, found := d.Person(tc.id); !found {
					t.Errorf("person %q not in the directory", tc.id)
				}
			}
		})
	}
}
