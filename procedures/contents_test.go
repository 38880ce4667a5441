package procedures

import (
	"reflect"
	"testing"

	"github.com/motcua/motcua/engine"
)

// TestContentsCompile: the language's online, components, fees and result
// reach engine.Procedure as written, with their defaults.
func TestContentsCompile(t *testing.T) {
	t.Parallel()
	p, err := LoadFile("../examples/procedures/1.001193-dang-ky-khai-sinh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Online != engine.OnlineFull {
		t.Errorf("online = %q", p.Online)
	}
	wantC := []engine.Component{
		{ID: "to-khai", Name: "Tờ khai đăng ký khai sinh", NameEN: "Birth registration form", Copy: engine.CopyOriginal, Count: 1, Required: true},
		{ID: "giay-chung-sinh", Name: "Giấy chứng sinh (hoặc văn bản của người làm chứng)", NameEN: "Medical birth certificate (or a witness's statement)", Copy: engine.CopyOriginal, Count: 1, Required: true},
		{ID: "giay-to-tuy-than", Name: "Giấy tờ tùy thân của người đi khai", NameEN: "Identity paper of the declarant", Copy: engine.CopyAny, Count: 1},
	}
	if !reflect.DeepEqual(p.Components, wantC) {
		t.Errorf("components:\n got %+v\nwant %+v", p.Components, wantC)
	}
	wantF := []engine.Fee{
		{ID: "le-phi", Name: "Lệ phí đăng ký khai sinh (miễn)", NameEN: "Birth registration fee (exempt)", Amount: 0},
		{ID: "ban-sao", Name: "Phí cấp bản sao trích lục khai sinh", NameEN: "Fee for copies of the birth extract", Amount: 8000, Per: engine.FeePerCopy, Due: engine.FeeDueBeforeResult},
	}
	if !reflect.DeepEqual(p.Fees, wantF) {
		t.Errorf("fees:\n got %+v\nwant %+v", p.Fees, wantF)
	}
	if want := (engine.ResultSpec{Name: "Giấy khai sinh", NameEN: "Birth certificate", File: engine.ResultFileRequired}); p.Result != want {
		t.Errorf("result = %+v, want %+v", p.Result, want)
	}
}

// TestContentsDefaults names each default the language gives an omitted
// key, and that a procedure without contents compiles to none.
func TestContentsDefaults(t *testing.T) {
	t.Parallel()
	const head = "code: \"T.1\"\nname: T\nlegal_basis: [x]\ntime_limit: 1 working day\ninitial: a\nstates: [{id: a, name: A, unit: mot-cua}, {id: z, name: Z, final: approved}]\nactions: [{id: f, from: a, to: z}]\n"
	for _, tc := range []struct {
		rule, extra string
		check       func(*engine.Procedure) bool
	}{
		{"no contents: no components, no fees, no result rule", "",
			func(p *engine.Procedure) bool {
				return p.Components == nil && p.Fees == nil && p.Result.File == "" && p.Online == ""
			}},
		{"a component's copy defaults to any and its count to 1, not required", "components: [{id: a, name: A}]\n",
			func(p *engine.Procedure) bool {
				return len(p.Components) == 1 && p.Components[0].Copy == engine.CopyAny && p.Components[0].Count == 1 && !p.Components[0].Required
			}},
		{"a fee without per and due is flat and due at reception", "fees: [{id: a, name: A, amount: 0}]\n",
			func(p *engine.Procedure) bool { return len(p.Fees) == 1 && p.Fees[0].Per == "" && p.Fees[0].Due == "" }},
		{"a result without file is optional", "result: {name: R}\n",
			func(p *engine.Procedure) bool {
				return p.Result.File == engine.ResultFileOptional && p.Result.Name == "R"
			}},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			p, err := Parse("t.yaml", []byte(head+tc.extra))
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(p) {
				t.Errorf("got online %q components %+v fees %+v result %+v", p.Online, p.Components, p.Fees, p.Result)
			}
		})
	}
}
