package terraform

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
)

// trail is a trail whose name is expr.
func trail(name, expr string) string {
	return fmt.Sprintf("resource \"aws_cloudtrail\" %q {\n  name           = %s\n  s3_bucket_name = \"b\"\n}\n", name, expr)
}

// limitCase is a reproducer of issue 14: a hostile root module, beside
// which the scan has another, plain one.
type limitCase struct {
	name  string
	files map[string]string // the hostile root module, under hostile/
	// want lists every diagnostic, rendered by describe.
	want []string
	// unknown is the reason the name of a trail of the hostile root
	// module has, as an Unknown (a part of it).
	unknown string
	// trails bounds how many trails the hostile root module has.
	trails int
}

// run checks that the case stops at its limit with one error naming
// where, that the value it would have built is Unknown with the reason,
// and that the other root module is evaluated as if the hostile one were
// not there.
func (tt limitCase) run(t *testing.T) {
	files := map[string]string{"other/main.tf": trail("o", `"other"`)}
	for name, src := range tt.files {
		files[name] = src
	}
	dir := writeTree(t, files)
	inv, diags := Load(dir, Options{})
	if diff := cmp.Diff(tt.want, describe(diags, dir)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	trails, found, other := 0, false, false
	var reasons []string
	for _, e := range inv.Entities {
		switch {
		case e.Type != "aws_cloudtrail":
		case e.Scope == "other":
			other = e.ID == "aws_cloudtrail.o" && e.Attrs["name"] == "other"
		default:
			trails++
			if u, ok := e.Attrs["name"].(*entity.Unknown); ok {
				found = found || strings.Contains(u.Reason, tt.unknown)
				reasons = append(reasons, u.Reason)
			}
		}
	}
	if !found {
		t.Errorf("no trail's name is Unknown with %q; reasons: %q", tt.unknown, reasons[:min(len(reasons), 3)])
	}
	if !other {
		t.Error("the other root module's trail is missing or changed")
	}
	if trails > max(tt.trails, 1) {
		t.Errorf("%d trails in the hostile root module", trails)
	}
}

// TestModuleInstanceLimit runs the module calls that asked for 2^32 and
// 100^4 instances: they stop at MaxModuleInstances, each error given
// once, not for every instance of the calls above.
func TestModuleInstanceLimit(t *testing.T) {
	nested := map[string]string{
		"hostile/main.tf":    "module \"a\" {\n  source = \"./m1\"\n  count  = 100\n}\n" + trail("t", "jsonencode(module.a[99].names)"),
		"hostile/m4/main.tf": trail("t", `"t4"`) + "output \"names\" {\n  value = [aws_cloudtrail.t.name]\n}\n",
	}
	for i := 1; i <= 3; i++ {
		nested[fmt.Sprintf("hostile/m%d/main.tf", i)] = fmt.Sprintf("module \"b\" {\n  source = \"../m%d\"\n  count  = 100\n}\n", i+1) +
			trail("t", fmt.Sprintf(`"t%d"`, i)) + "output \"names\" {\n  value = module.b[*].names\n}\n"
	}
	const tooMany = "Too many module instances: The module calls of the root module in hostile would create more than 10000 module instances; vigil stops here: the outputs of this call, and of the calls it did not expand, are unknown, and their resources are not checked."
	tests := []limitCase{
		{
			name: "self-calling module with count = 2",
			files: map[string]string{
				"hostile/main.tf":      "module \"loop\" {\n  source = \"./loop\"\n}\n",
				"hostile/loop/main.tf": "module \"x\" {\n  source = \"./\"\n  count  = 2\n}\n" + trail("t", `"t-${length(module.x)}"`),
			},
			want: []string{
				"error hostile/loop/main.tf:1,1-4,2: " + tooMany,
				"error hostile/loop/main.tf:2,12-16: Modules nested too deeply: module.loop" + strings.Repeat(".module.x", 32) + " is nested 33 modules deep; vigil follows at most 32. A module that calls itself never ends.",
			},
			unknown: "would create more than 10000 module instances",
			trails:  MaxModuleInstances + 1,
		},
		{
			// The literal count = 100 is not "known only after apply".
			name:    "modules nested 4 deep with count = 100 each",
			files:   nested,
			want:    []string{"error hostile/m3/main.tf:1,1-4,2: " + tooMany},
			unknown: "are unknown: the module calls of this root module would create more than 10000 module instances",
			trails:  MaxModuleInstances + 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

// TestUncomputedCount checks that a count vigil could not compute (here,
// a cycle stopped it) warns that it was not computed, not that it is
// known only after apply.
func TestUncomputedCount(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `locals {
  a = local.b
  b = length(local.a)
}
resource "aws_sns_topic" "n" {
  count = local.b
}
`})
	_, diags := Load(dir, Options{})
	want := []string{
		"error main.tf:3,7-22: Cycle in references: local.b depends on itself: local.b → local.a → local.b. Break the cycle; Terraform rejects it too.",
		"warning main.tf:6,11-18: Instances not computed: How many instances of aws_sns_topic.n exist is unknown: vigil did not compute its count (local.b depends on itself); it checks one representative instance, addressed [*].",
	}
	if diff := cmp.Diff(want, describe(diags, dir)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestWithoutKeys(t *testing.T) {
	tests := map[string]string{
		"module.a":                            "module.a",
		"module.a[0].module.b[12].aws_x.y[*]": "module.a.module.b.aws_x.y",
		`module.a["k]\"["].aws_x.y["z"]`:      "module.a.aws_x.y",
	}
	for in, want := range tests {
		if got := withoutKeys(in); got != want {
			t.Errorf("withoutKeys(%q) = %q, want %q", in, got, want)
		}
	}
}
