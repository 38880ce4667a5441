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
