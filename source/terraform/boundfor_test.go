package terraform

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
)

func TestHasForKeyword(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"", false},
		{"for", true},
		{"x = [for s in var.l : s]", true},
		{"x = [\n# comment\nfor s in var.l : s]", true},
		{"x = {for k, v in var.m : k => v}", true},
		{"for_each = var.m", false},
		{"x = format(\"%s\", y)", false},
		{"x = var.platform", false},
		{"x = var.forward-for", false},
		{"x = [ /* c */ for s in l : s]", true},
		{"x = <<EOT\n%{ for s in l }${s}%{ endfor }\nEOT", true},
		{"x = \"%{~for s in l}${s}%{endfor}\"", true},
		{"description = \"data key for ${local.name}\"", false},
		{"x = before", false},
		{"x = \"${[for s in l : s]}\"", true},
	}
	for _, tt := range tests {
		if got := hasForKeyword([]byte(tt.src)); got != tt.want {
			t.Errorf("hasForKeyword(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}

// TestSetProductAsGoCty checks that setproduct, which charges the element
// budget, still gives what go-cty's gives: a set Unknown for an unknown
// argument, marks kept, and the product.
func TestSetProductAsGoCty(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `variable "unknown" {
  type = list(string)
}
resource "aws_sns_topic" "t" {
  name = "t"
}
resource "aws_s3_bucket" "b" {
  unknown = setproduct(var.unknown, ["a"])
  known   = setproduct(["x", "y"], [1, 2])
  marked  = length(setproduct([aws_sns_topic.t.name], ["a", "b"]))
}
`})
	inv := load(t, dir, Options{})
	b := find(t, inv, "aws_s3_bucket", "aws_s3_bucket.b")
	if u, ok := b.Attrs["unknown"].(*entity.Unknown); !ok || u.Kind != entity.UnknownSet {
		t.Errorf("unknown: %#v", b.Attrs["unknown"])
	}
	want := []any{[]any{"x", 1.0}, []any{"x", 2.0}, []any{"y", 1.0}, []any{"y", 2.0}}
	if diff := cmp.Diff(want, b.Attrs["known"]); diff != "" {
		t.Errorf("known (-want +got):\n%s", diff)
	}
	if b.Attrs["marked"] != 2.0 {
		t.Errorf("marked: %#v", b.Attrs["marked"])
	}
}
